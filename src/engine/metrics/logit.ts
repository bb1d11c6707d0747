/**
 * Logistic regression with an intercept and an L2 penalty, fitted by IRLS (Newton–Raphson on the
 * penalised log-likelihood), with standard errors from the inverse penalised information matrix.
 * `ml-logistic-regression` has neither an intercept nor a penalty, hence this module.
 *
 * The design is standardised inside (each column to mean 0, sd 1) so that λ means the same for every
 * feature (METRICS.md: "λ default 1.0 on standardised features"); the intercept is not penalised.
 * Coefficients are returned on both the standardised and the original scale; with λ = 0 the
 * original-scale fit is the ordinary maximum-likelihood estimate.
 */

export interface LogitOptions {
  /** L2 penalty on the standardised coefficients (not the intercept); default 1. */
  lambda?: number;
  /** Stop when the gradient's Euclidean norm falls below this; default 1e-6. */
  tol?: number;
  /** Newton iterations at most; default 100. */
  maxIter?: number;
}

export interface LogitFit {
  /** Intercept and coefficients on the original scale: [β0, β1..βp]. */
  beta: number[];
  /** Standard errors on the original scale (null when the information matrix is singular). */
  se: (number | null)[];
  /** Intercept and coefficients on the standardised scale. */
  betaStd: number[];
  seStd: (number | null)[];
  /** Column means and standard deviations used for standardising. */
  mean: number[];
  sd: number[];
  iterations: number;
  converged: boolean;
  /** Euclidean norm of the penalised gradient at the end. */
  gradNorm: number;
  /** Log-likelihood (unpenalised) at the estimate. */
  logLik: number;
  lambda: number;
}

/** In-place Cholesky of a symmetric positive-definite p×p matrix (row-major); false if not SPD. */
function cholesky(a: Float64Array, p: number): boolean {
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j]!;
    for (let k = 0; k < j; k++) d -= a[j * p + k]! * a[j * p + k]!;
    if (!(d > 1e-300)) return false;
    const l = Math.sqrt(d);
    a[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= a[i * p + k]! * a[j * p + k]!;
      a[i * p + j] = s / l;
    }
  }
  return true;
}

/** Solve L Lᵀ x = b in place of b. */
function cholSolve(l: Float64Array, p: number, b: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * b[k]!;
    b[i] = s / l[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * b[k]!;
    b[i] = s / l[i * p + i]!;
  }
}

/** Inverse of an SPD matrix from its Cholesky factor. */
function cholInverse(l: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    cholSolve(l, p, e);
    for (let i = 0; i < p; i++) inv[i * p + j] = e[i]!;
  }
  return inv;
}

/** Rows per block of the Hessian sums (q × 512 doubles stay in L2). */
const BLOCK = 512;

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Fit P(y = 1 | x) = σ(β0 + Σ βj xj). `x` is row-major n × p (NaN not allowed: impute first),
 * `y` 0/1, optional case weights `w`.
 */
export function fitLogistic(
  x: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  opts: LogitOptions = {},
): LogitFit {
  const lambda = opts.lambda ?? 1;
  const tol = opts.tol ?? 1e-6;
  const maxIter = opts.maxIter ?? 100;
  const q = p + 1;
  const mean = new Array<number>(p).fill(0);
  const sd = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j]! += x[i * p + j]!;
  for (let j = 0; j < p; j++) mean[j]! /= n || 1;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < p; j++) {
      const d = x[i * p + j]! - mean[j]!;
      sd[j]! += d * d;
    }
  // Population sd; a constant column keeps sd 1 (its coefficient stays 0 under any penalty > 0).
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]! / (n || 1)) || 1;
  // Standardised design with a leading 1, column-major (q × n): every sum below is a dot product
  // of two contiguous columns, which is what makes 100k × 20 fit in tens of milliseconds.
  const z = new Float64Array(q * n);
  z.fill(1, 0, n);
  for (let j = 0; j < p; j++) {
    const col = (j + 1) * n;
    const m = mean[j]!;
    const s = sd[j]!;
    for (let i = 0; i < n; i++) z[col + i] = (x[i * p + j]! - m) / s;
  }
  const yy = new Uint8Array(n);
  for (let i = 0; i < n; i++) yy[i] = y[i] ? 1 : 0;
  const beta = new Float64Array(q);
  const grad = new Float64Array(q);
  const hess = new Float64Array(q * q);
  const eta = new Float64Array(n);
  const deta = new Float64Array(n);
  const r = new Float64Array(n);
  const w = new Float64Array(n);
  const wz = new Float64Array(BLOCK);
  /** out = Z·b */
  const linear = (b: Float64Array, out: Float64Array): void => {
    out.fill(b[0]!);
    for (let j = 1; j < q; j++) {
      const bj = b[j]!;
      if (bj === 0) continue;
      const col = j * n;
      for (let i = 0; i < n; i++) out[i]! += bj * z[col + i]!;
    }
  };
  /** Penalised log-likelihood at linear predictors e (log σ(e) = −softplus(−e), stably). */
  const objective = (e: Float64Array, b: Float64Array): number => {
    let ll = 0;
    for (let i = 0; i < n; i++) ll -= softplus(yy[i] ? -e[i]! : e[i]!);
    let pen = 0;
    for (let j = 1; j < q; j++) pen += b[j]! * b[j]!;
    return ll - (lambda / 2) * pen;
  };
  linear(beta, eta);
  let obj = objective(eta, beta);
  let iterations = 0;
  let converged = false;
  let gradNorm = Infinity;
  let factored = false;
  const trial = new Float64Array(q);
  const trialEta = new Float64Array(n);
  for (; iterations <= maxIter; iterations++) {
    for (let i = 0; i < n; i++) {
      const mu = sigmoid(eta[i]!);
      r[i] = yy[i]! - mu;
      w[i] = mu * (1 - mu);
    }
    // Zᵀ·r and Zᵀ·W·Z over blocks of rows that stay in cache (q columns × BLOCK rows).
    grad.fill(0);
    hess.fill(0);
    for (let i0 = 0; i0 < n; i0 += BLOCK) {
      const i1 = Math.min(n, i0 + BLOCK);
      const len = i1 - i0;
      for (let a = 0; a < q; a++) {
        const ca = a * n;
        let g = 0;
        for (let i = i0; i < i1; i++) {
          const za = z[ca + i]!;
          g += za * r[i]!;
          wz[i - i0] = w[i]! * za;
        }
        grad[a]! += g;
        for (let b = 0; b <= a; b++) {
          const cb = b * n + i0;
          let h = 0;
          for (let j = 0; j < len; j++) h += wz[j]! * z[cb + j]!;
          hess[a * q + b]! += h;
        }
      }
    }
    for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) hess[b * q + a] = hess[a * q + b]!;
    for (let j = 1; j < q; j++) {
      grad[j]! -= lambda * beta[j]!;
      hess[j * q + j]! += lambda;
    }
    let g2 = 0;
    for (let j = 0; j < q; j++) g2 += grad[j]! * grad[j]!;
    gradNorm = Math.sqrt(g2);
    factored = cholesky(hess, q);
    if (gradNorm < tol) {
      converged = true;
      break;
    }
    if (!factored || iterations === maxIter) break;
    const step = Float64Array.from(grad);
    cholSolve(hess, q, step);
    // Step halving keeps the penalised likelihood from decreasing; Z·(β + t·step) = η + t·Z·step.
    linear(step, deta);
    let t = 1;
    for (let h = 0; h < 30; h++, t /= 2) {
      for (let j = 0; j < q; j++) trial[j] = beta[j]! + t * step[j]!;
      for (let i = 0; i < n; i++) trialEta[i] = eta[i]! + t * deta[i]!;
      const o = objective(trialEta, trial);
      if (o >= obj - 1e-12 * Math.abs(obj)) {
        obj = o;
        break;
      }
    }
    beta.set(trial);
    linear(beta, eta); // afresh, so rounding does not pile up across steps
  }
  const cov = factored ? cholInverse(hess, q) : null;
  const seStd = Array.from({ length: q }, (_, j) => (cov ? Math.sqrt(cov[j * q + j]!) : null));
  // Back to the original scale: βj = bj / sdj; β0 = b0 − Σ bj·meanj/sdj; covariance through the
  // same linear map A (a0 = [1, −mean/sd], aj = ej/sdj).
  const a = new Float64Array(q * q);
  a[0] = 1;
  for (let j = 1; j < q; j++) {
    a[j] = -mean[j - 1]! / sd[j - 1]!;
    a[j * q + j] = 1 / sd[j - 1]!;
  }
  const orig = new Array<number>(q).fill(0);
  for (let r = 0; r < q; r++) for (let c = 0; c < q; c++) orig[r]! += a[r * q + c]! * beta[c]!;
  const se: (number | null)[] = [];
  for (let r = 0; r < q; r++) {
    if (!cov) {
      se.push(null);
      continue;
    }
    let v = 0;
    for (let c = 0; c < q; c++)
      for (let d = 0; d < q; d++) v += a[r * q + c]! * cov[c * q + d]! * a[r * q + d]!;
    se.push(Math.sqrt(Math.max(0, v)));
  }
  return {
    beta: orig,
    se,
    betaStd: Array.from(beta),
    seStd,
    mean,
    sd,
    iterations,
    converged,
    gradNorm,
    logLik: objective(eta, new Float64Array(q)),
    lambda,
  };
}

function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** Linear predictor β0 + Σ βj xj of one row (original scale). */
export function linearPredictor(beta: readonly number[], row: ArrayLike<number>): number {
  let e = beta[0]!;
  for (let j = 1; j < beta.length; j++) e += beta[j]! * row[j - 1]!;
  return e;
}

export { sigmoid };

/** Two-sided p-value of a z statistic (normal approximation, Abramowitz–Stegun 7.1.26 erfc). */
export function pValue(zs: number): number {
  const x = Math.abs(zs) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.min(1, y * Math.exp(-x * x));
}
