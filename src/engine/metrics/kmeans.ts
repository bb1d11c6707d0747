/**
 * K-means on typed arrays (points are rows of a row-major Float64Array, n × d): seeded greedy
 * k-means++ and Lloyd's iterations with Hamerly's bounds, best of `restarts` by inertia.
 *
 * Why not ml-kmeans' loop: it keeps points as number[][] and allocates per step; on 100k × 6 it
 * ran 2.5× a plain typed loop, and its k-means++ (ml-matrix per step) took ~70% of a run. The
 * iterations here are ml-kmeans' exactly — assign every point to its nearest centre (the lower
 * index on a tie), move each centre to its members' mean (an empty cluster keeps its centre), stop
 * when no centre moved more than 1e-6 (squared) or after maxIterations — and a test checks that
 * ml-kmeans, started from the same centres, ends with the same labels and centroids. Hamerly's
 * bounds (an upper bound on the distance to the own centre, a lower bound on the second nearest)
 * only skip points whose nearest centre provably did not change, so the labels are Lloyd's.
 */
import { seededRandom } from './mining-features.js';

export interface KmeansFit {
  /** Cluster of each point, 0..k−1, against the final centroids. */
  labels: Int32Array;
  /** k × d centroids, row-major. */
  centroids: Float64Array;
  /** Σ squared distance of each point to its centroid. */
  inertia: number;
  iterations: number;
  converged: boolean;
  /** The restart that won (0-based). */
  restart: number;
}

/** Σ squared distances of points to the centroid of their label. */
export function inertiaOf(
  x: Float64Array,
  n: number,
  d: number,
  labels: ArrayLike<number>,
  centroids: ArrayLike<number>,
): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]! - centroids[c * d + j]!;
      s += v * v;
    }
  }
  return s;
}

/** Nearest-centroid labels (the lower index on a tie). */
export function assign(
  x: Float64Array,
  n: number,
  d: number,
  centroids: ArrayLike<number>,
  k: number,
): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let bc = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = x[i * d + j]! - centroids[c * d + j]!;
        s += v * v;
      }
      if (s < best) {
        best = s;
        bc = c;
      }
    }
    out[i] = bc;
  }
  return out;
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii; 2 + ⌊ln k⌋ candidates per step, the one that
 * lowers the potential most, as scikit-learn and ml-kmeans do), from a mulberry32 stream seeded by
 * `seed`. Returns k × d centres, row-major.
 */
export function kmeansPlusPlus(x: Float64Array, n: number, d: number, k: number, seed: number): Float64Array {
  const rnd = seededRandom(seed * 2654435761 + 1);
  const trials = 2 + Math.floor(Math.log(k));
  const centres = new Float64Array(k * d);
  const dist = (i: number, c: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]! - x[c * d + j]!;
      s += v * v;
    }
    return s;
  };
  const first = Math.floor(rnd() * n);
  centres.set(x.subarray(first * d, first * d + d), 0);
  let closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i] = dist(i, first);
  let cand = new Float64Array(n);
  let bestD = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPot = Infinity;
    let best = -1;
    for (let t = 0; t < trials; t++) {
      // a point with probability ∝ its squared distance to the nearest centre
      let r = rnd() * pot;
      let pick = n - 1;
      for (let i = 0; i < n; i++) {
        r -= closest[i]!;
        if (r < 0) {
          pick = i;
          break;
        }
      }
      let p2 = 0;
      for (let i = 0; i < n; i++) p2 += cand[i] = Math.min(closest[i]!, dist(i, pick));
      if (p2 < bestPot) {
        bestPot = p2;
        best = pick;
        [bestD, cand] = [cand, bestD];
      }
    }
    centres.set(x.subarray(best * d, best * d + d), c * d);
    [closest, bestD] = [bestD, closest];
    pot = bestPot;
  }
  return centres;
}

const TOLERANCE = 1e-6;

/** Half the distance from each centre to its nearest other centre (Hamerly's s(c) / 2). */
function halfGaps(c: Float64Array, k: number, d: number, half: Float64Array): void {
  for (let m = 0; m < k; m++) {
    let s = Infinity;
    for (let o = 0; o < k; o++) {
      if (o === m) continue;
      let q = 0;
      for (let j = 0; j < d; j++) {
        const v = c[m * d + j]! - c[o * d + j]!;
        q += v * v;
      }
      if (q < s) s = q;
    }
    half[m] = Math.sqrt(s) / 2;
  }
}

/**
 * One assignment sweep with Hamerly's bounds, in place: each point's bounds are first moved by
 * the last centre step (`moved`, the largest move `max1` of centre `arg1` and the second largest
 * `max2`; `first` = no bounds yet, search every centre), then the point is skipped when its upper
 * bound sits below max(half gap, lower bound), else its distance to its own centre is taken, and
 * only when that is not enough every centre is searched (the lower index on a tie). With `sums`,
 * each point is then added to its centre's sum and size (in point order); without, the sweep
 * returns the inertia against `c`.
 */
function sweep(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  c: Float64Array,
  st: {
    labels: Int32Array;
    upper: Float64Array;
    lower: Float64Array;
    half: Float64Array;
    moved: Float64Array;
  },
  first: boolean,
  max1: number,
  max2: number,
  arg1: number,
  sums: Float64Array | null,
  size: Float64Array | null,
): number {
  const { labels, upper, lower, half, moved } = st;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    let a = labels[i]!;
    let full = first;
    if (!first) {
      // Bounds moved by the last centre step (as Hamerly: u += δ(a), l −= max δ of the others).
      const up = upper[i]! + moved[a]!;
      const lo = lower[i]! - (a === arg1 ? max2 : max1);
      lower[i] = lo;
      // A point is skipped only with a margin (1e-9 relative) over rounding.
      const bound = Math.max(half[a]!, lo) * (1 - 1e-9);
      if (up < bound) upper[i] = up;
      else {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const v = x[xi + j]! - c[a * d + j]!;
          s += v * v;
        }
        const u = Math.sqrt(s);
        upper[i] = u;
        full = !(u < bound);
      }
    }
    if (full) {
      let b1 = Infinity;
      let b2 = Infinity;
      let bc = 0;
      for (let m = 0; m < k; m++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const v = x[xi + j]! - c[m * d + j]!;
          s += v * v;
        }
        if (s < b1) {
          b2 = b1;
          b1 = s;
          bc = m;
        } else if (s < b2) b2 = s;
      }
      a = bc;
      labels[i] = bc;
      upper[i] = Math.sqrt(b1);
      lower[i] = Math.sqrt(b2);
    }
    if (sums) {
      // Centre sums in point order (what the means are divided from).
      size![a]!++;
      for (let j = 0; j < d; j++) sums[a * d + j]! += x[xi + j]!;
    } else
      for (let j = 0; j < d; j++) {
        // Inertia summed term by term in point order, exactly as inertiaOf() does.
        const v = x[xi + j]! - c[a * d + j]!;
        inertia += v * v;
      }
  }
  return inertia;
}

/**
 * Lloyd's iterations from `init` (k × d, not modified), with Hamerly's bounds, then the final
 * labels against the final centroids and their inertia (what assign() and inertiaOf() give, from
 * one more bounded sweep). Each iteration is one pass over the points: move the bounds, assign,
 * add the point to its centre's sum. `onStep` sees the labels of each assignment step and the
 * centres they produced (for the monotonicity check).
 */
export function lloyd(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  init: Float64Array,
  maxIterations: number,
  onStep?: (labels: Int32Array, centroids: Float64Array) => void,
): { centroids: Float64Array; iterations: number; converged: boolean; labels: Int32Array; inertia: number } {
  let c = Float64Array.from(init);
  let next = new Float64Array(k * d);
  const st = {
    labels: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
    half: new Float64Array(k),
    moved: new Float64Array(k),
  };
  const size = new Float64Array(k);
  let iterations = 0;
  let converged = false;
  let max1 = 0;
  let max2 = 0;
  let arg1 = -1;
  while (!converged && iterations < maxIterations) {
    iterations++;
    if (iterations > 1) halfGaps(c, k, d, st.half);
    // Assignment and the new centres' sums in one pass; an empty cluster keeps its centre.
    next.fill(0);
    size.fill(0);
    sweep(x, n, d, k, c, st, iterations === 1, max1, max2, arg1, next, size);
    converged = true;
    max1 = 0;
    max2 = 0;
    arg1 = -1;
    for (let m = 0; m < k; m++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = size[m] ? next[m * d + j]! / size[m]! : c[m * d + j]!;
        next[m * d + j] = v;
        const dv = v - c[m * d + j]!;
        s += dv * dv;
      }
      if (s > TOLERANCE) converged = false;
      const p = Math.sqrt(s);
      st.moved[m] = p;
      if (p > max1) {
        max2 = max1;
        max1 = p;
        arg1 = m;
      } else if (p > max2) max2 = p;
    }
    [c, next] = [next, c];
    onStep?.(st.labels, c);
  }
  // Final labels against the final centres (the last step saw the previous ones), and inertia.
  halfGaps(c, k, d, st.half);
  const inertia = sweep(x, n, d, k, c, st, iterations === 0, max1, max2, arg1, null, null);
  return { centroids: c, iterations, converged, labels: st.labels, inertia };
}

/**
 * Best of `restarts` k-means runs (k-means++ seeds seed, seed + 1, …) by inertia. Ties keep the
 * earlier restart, so the result depends only on the points (in their given order), k and the seed.
 */
export function kmeansBest(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  opts: { seed?: number; restarts?: number; maxIterations?: number } = {},
): KmeansFit {
  const seed = opts.seed ?? 42;
  const restarts = opts.restarts ?? 10;
  const maxIterations = opts.maxIterations ?? 300;
  let best: KmeansFit | null = null;
  for (let r = 0; r < restarts; r++) {
    const res = lloyd(x, n, d, k, kmeansPlusPlus(x, n, d, k, seed + r), maxIterations);
    const { labels, inertia } = res;
    if (!best || inertia < best.inertia - 1e-9 * Math.abs(best.inertia))
      best = {
        labels,
        centroids: res.centroids,
        inertia,
        iterations: res.iterations,
        converged: res.converged,
        restart: r,
      };
  }
  return best!;
}

/** Inertia after each Lloyd iteration of one seeded run (for the monotonicity check). */
export function inertiaTrace(x: Float64Array, n: number, d: number, k: number, seed: number): number[] {
  const out: number[] = [];
  lloyd(x, n, d, k, kmeansPlusPlus(x, n, d, k, seed), 300, (labels, c) =>
    out.push(inertiaOf(x, n, d, labels, c)),
  );
  return out;
}
