/**
 * Seeded synthetic inputs for the mining benchmarks (bench/node/mining.ts): customer features for
 * k-means, a logistic-regression design, and a scored sample with months, labels and features for
 * model_monitor. Shapes only; the numbers mean nothing beyond "skewed like bank data".
 */
import { t } from '../../src/engine/metric.js';
import type { ModelSample } from '../../src/engine/metrics/mining-sample.js';
import type { ScoreModel } from '../../src/engine/metrics/score-model.js';
import { developmentOf } from '../../src/engine/metrics/score-model.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * n customers × 6 features (recency, frequency, monetary, tenure, aum, products) from five latent
 * segments, then as `cluster` preprocesses them: log1p on the skewed ones, z-scores. Row-major.
 */
export function customerMatrix(n: number, seed = 7): Float64Array {
  const r = rng(seed);
  const z = normal(r);
  const d = 6;
  const x = new Float64Array(n * d);
  const seg = [
    [20, 40, 8000, 1500, 50000, 3],
    [200, 4, 600, 300, 2000, 1],
    [60, 15, 3000, 900, 15000, 2],
    [10, 80, 20000, 2500, 300000, 5],
    [120, 8, 1200, 200, 5000, 1],
  ];
  for (let i = 0; i < n; i++) {
    const s = seg[Math.floor(r() * seg.length)]!;
    x[i * d] = Math.max(0, s[0]! * Math.exp(0.6 * z()));
    x[i * d + 1] = Math.max(1, Math.round(s[1]! * Math.exp(0.5 * z())));
    x[i * d + 2] = s[2]! * Math.exp(0.8 * z());
    x[i * d + 3] = Math.max(1, s[3]! + 250 * z());
    x[i * d + 4] = s[4]! * Math.exp(z());
    x[i * d + 5] = Math.max(1, Math.min(8, Math.round(s[5]! + 0.8 * z())));
  }
  for (let c = 0; c < d; c++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + c]!;
    m /= n;
    let m2 = 0;
    let m3 = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * d + c]! - m;
      m2 += v * v;
      m3 += v * v * v;
    }
    if (Math.abs(m3 / n / Math.pow(m2 / n, 1.5)) > 1)
      for (let i = 0; i < n; i++) x[i * d + c] = Math.log1p(x[i * d + c]!);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + c]!;
    mean /= n;
    let v2 = 0;
    for (let i = 0; i < n; i++) v2 += (x[i * d + c]! - mean) ** 2;
    const sd = Math.sqrt(v2 / n) || 1;
    for (let i = 0; i < n; i++) x[i * d + c] = (x[i * d + c]! - mean) / sd;
  }
  return x;
}

/** n × p correlated features and a 0/1 label from a known logistic model (~15% events). */
export function logitDesign(n: number, p: number, seed = 11): { x: Float64Array; y: Uint8Array } {
  const r = rng(seed);
  const z = normal(r);
  const x = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const common = z();
    let e = -2;
    for (let j = 0; j < p; j++) {
      // mixed scales and a shared factor, as income / balance / counts are
      const v = (0.6 * common + z()) * (1 + j * 10) + j;
      x[i * p + j] = j % 5 === 4 ? (v > j ? 1 : 0) : v;
      e += (((j % 3) - 1) * 0.4 * (x[i * p + j]! - j)) / (1 + j * 10);
    }
    y[i] = r() < 1 / (1 + Math.exp(-e)) ? 1 : 0;
  }
  return { x, y };
}

/**
 * A scored sample of n rows over 24 months: label, a PD that ranks it (AUC ≈ 0.75), 4 numeric and
 * 2 categorical features; the first 70% of months develop the model (its bands and bins computed
 * here, as `score` does), the rest is monitored.
 */
export function scoredSample(
  n: number,
  seed = 13,
): { sample: ModelSample; model: ScoreModel; pd: Float64Array; train: Int32Array; test: Int32Array } {
  const r = rng(seed);
  const z = normal(r);
  const month = new Int32Array(n);
  const day = new Int32Array(n);
  const label = new Uint8Array(n);
  const pd = new Float64Array(n);
  const num: Record<string, Float64Array> = {
    principal: new Float64Array(n),
    term_months: new Float64Array(n),
    annual_rate: new Float64Array(n),
    income: new Float64Array(n),
  };
  const regions = ['华东', '华南', '华北', '西南', '西北', '东北'];
  const products = ['消费贷', '经营贷', '信用卡', '车贷'];
  const region: (string | null)[] = new Array<string | null>(n);
  const product: (string | null)[] = new Array<string | null>(n);
  const ids: string[] = new Array<string>(n);
  const m0 = 2023 * 12;
  for (let i = 0; i < n; i++) {
    const m = Math.floor((i / n) * 24);
    month[i] = m0 + m;
    day[i] = 19358 + m * 30;
    ids[i] = `L${String(i).padStart(7, '0')}`;
    const risk = z() + (m >= 17 ? 0.15 : 0);
    num.principal![i] = Math.round(20000 * Math.exp(0.7 * z() + 0.2 * risk));
    num.term_months![i] = [6, 12, 24, 36][Math.floor(r() * 4)]!;
    num.annual_rate![i] = Math.round((0.08 + 0.03 * risk + 0.02 * z()) * 1e4) / 1e4;
    num.income![i] = r() < 0.03 ? NaN : Math.round(8000 * Math.exp(0.5 * z() - 0.2 * risk));
    region[i] = regions[Math.floor(r() * regions.length)]!;
    product[i] = r() < 0.02 ? null : products[Math.floor(r() * products.length)]!;
    const logit = -2.2 + 0.9 * risk;
    label[i] = r() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    pd[i] = 1 / (1 + Math.exp(-(-2.2 + 0.9 * (risk + 0.6 * z()))));
  }
  const F = (name: string, kind: 'num' | 'cat') => ({ name, kind, label: t(name, name) });
  const sample: ModelSample = {
    definition: 'default',
    idField: 'loan_id',
    ids,
    day,
    month,
    label,
    features: [
      F('principal', 'num'),
      F('term_months', 'num'),
      F('annual_rate', 'num'),
      F('income', 'num'),
      F('region', 'cat'),
      F('product', 'cat'),
    ],
    num,
    cat: { region, product },
    considered: n,
    excluded: {},
    params: {},
    definitionText: t('合成样本', 'synthetic sample'),
  };
  const cut = m0 + 17;
  let nt = 0;
  for (let i = 0; i < n; i++) if (month[i]! < cut) nt++;
  const train = Int32Array.from({ length: nt }, (_, i) => i);
  const test = Int32Array.from({ length: n - nt }, (_, i) => nt + i);
  const model: ScoreModel = {
    format: 'finboard-score-model',
    version: 1,
    kind: 'logistic',
    definition: 'default',
    definitionParams: {},
    features: [],
    columns: [],
    logistic: { intercept: 0, coefficients: [], lambda: 1 },
    scaling: null,
    development: developmentOf(sample, train, pd.slice(0, nt)),
  };
  return { sample, model, pd, train, test };
}
