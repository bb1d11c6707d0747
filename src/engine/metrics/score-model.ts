/**
 * The model behind `score`: encoding of a modelling sample into a design matrix, the logistic
 * regression (logit.ts) and decision tree (ml-cart) fits, and the model as plain JSON that can be
 * applied again later (`params.model`), including the development score bands and feature bins
 * that `model_monitor` compares later samples against.
 */
import { DecisionTreeClassifier } from 'ml-cart';
import { quantileSorted } from './generic-util.js';
import { fitLogistic, sigmoid } from './logit.js';
import type { LogitFit } from './logit.js';
import type { Definition, ModelSample } from './mining-sample.js';
import type { WoeBin } from './mining-stats.js';
import { binCategorical, binNumeric, decileEdges } from './mining-stats.js';
import { seededSample } from './mining-features.js';

/** How one feature enters the design matrix. */
export type FeatureEncoding =
  | { name: string; kind: 'num'; /** train median, imputed for missing values */ median: number }
  | {
      name: string;
      kind: 'cat';
      /** levels with a column each */ levels: string[];
      /** the reference level (no column) */ reference: string;
    };

/** A tree node: `column ≤ threshold` goes left. Leaves carry the training event rate. */
export type TreeNode =
  | { leaf: true; p: number; n: number }
  | {
      leaf: false;
      column: number;
      threshold: number;
      left: TreeNode;
      right: TreeNode;
      n: number;
      gain: number;
    };

/** Score scaling: score = A − B·ln(p / (1 − p)), B = pdo / ln 2, A = base − B·ln(odds). */
export interface Scaling {
  base: number;
  /** good:bad odds at the base score (19 = 1:19 bad:good). */
  odds: number;
  pdo: number;
  A: number;
  B: number;
}

/** The model as plain JSON: everything needed to score new rows and monitor them. */
export interface ScoreModel {
  format: 'finboard-score-model';
  version: 1;
  kind: 'logistic' | 'tree';
  definition: Definition;
  /** Definition parameters (horizon, bad DPD, churn days, custom label/features…). */
  definitionParams: Record<string, unknown>;
  features: FeatureEncoding[];
  /** Design column names: `feature` or `feature=level`. */
  columns: string[];
  /** Logistic: intercept + coefficients on the original (encoded) scale; λ used. */
  logistic?: { intercept: number; coefficients: number[]; lambda: number };
  tree?: TreeNode;
  scaling: Scaling | null;
  /** The development (training) sample: size, event rate, PD decile edges and feature bins. */
  development: {
    n: number;
    events: number;
    from: string | null;
    to: string | null;
    edges: number[];
    bins: Record<string, WoeBin[]>;
  };
}

const MISSING = '缺失';

/** Encodings from the training rows (`train` indexes into the sample). */
export function encodingsOf(s: ModelSample, train: ArrayLike<number>): FeatureEncoding[] {
  return s.features.map((f): FeatureEncoding => {
    if (f.kind === 'num') {
      const v: number[] = [];
      const col = s.num[f.name]!;
      for (let k = 0; k < train.length; k++) {
        const x = col[train[k]!]!;
        if (!Number.isNaN(x)) v.push(x);
      }
      v.sort((a, b) => a - b);
      return { name: f.name, kind: 'num', median: v.length ? quantileSorted(v, 0.5) : 0 };
    }
    const counts = new Map<string, number>();
    const col = s.cat[f.name]!;
    for (let k = 0; k < train.length; k++) {
      const x = col[train[k]!] ?? MISSING;
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    const levels = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map((e) => e[0]);
    return { name: f.name, kind: 'cat', reference: levels[0] ?? MISSING, levels: levels.slice(1).sort() };
  });
}

export function columnNames(enc: FeatureEncoding[]): string[] {
  return enc.flatMap((e) => (e.kind === 'num' ? [e.name] : e.levels.map((l) => `${e.name}=${l}`)));
}

/** Row-major design matrix of the sample rows `rows` (unseen levels count as the reference). */
export function design(
  s: ModelSample,
  enc: FeatureEncoding[],
  rows: ArrayLike<number>,
): { x: Float64Array; p: number } {
  const p = enc.reduce((a, e) => a + (e.kind === 'num' ? 1 : e.levels.length), 0);
  const n = rows.length;
  const x = new Float64Array(n * p);
  let off = 0;
  for (const e of enc) {
    if (e.kind === 'num') {
      const col = s.num[e.name];
      for (let k = 0; k < n; k++) {
        const v = col ? col[rows[k]!]! : NaN;
        x[k * p + off] = Number.isNaN(v) ? e.median : v;
      }
      off++;
    } else {
      const col = s.cat[e.name];
      const pos = new Map<string, number>();
      e.levels.forEach((l, j) => pos.set(l, j));
      for (let k = 0; k < n; k++) {
        const v = col ? (col[rows[k]!] ?? MISSING) : MISSING;
        const j = pos.get(v);
        if (j !== undefined) x[k * p + off + j] = 1;
      }
      off += e.levels.length;
    }
  }
  return { x, p };
}

/** Fit the logistic regression on the training design. */
export function fitLogit(
  x: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  lambda: number,
): LogitFit {
  return fitLogistic(x, n, p, y, { lambda, tol: 1e-6, maxIter: 100 });
}

/**
 * CART via ml-cart (Gini, depth ≤ maxDepth) on at most `cap` seeded training rows, then pruned so
 * every leaf holds ≥ minLeaf of the training rows; leaf rates are the training event rates.
 */
export function fitTree(
  x: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  opts: { maxDepth: number; minLeaf: number; seed: number; cap: number },
): TreeNode {
  const pick = seededSample(n, opts.cap, opts.seed);
  // Numeric columns enter ml-cart as bin indexes, bins of ≥ minLeaf of the training rows: a root
  // split on them leaves ≥ minLeaf on each side (ml-cart has no minimum leaf size of its own), and
  // ml-cart, which tries a split between every pair of neighbouring rows, runs fast.
  const edges: (number[] | null)[] = [];
  for (let j = 0; j < p; j++) {
    const v = Float64Array.from({ length: n }, (_, i) => x[i * p + j]!).sort();
    const distinct = new Set(v).size;
    if (distinct <= 2) {
      edges.push(null);
      continue;
    }
    // Greedy bins of ≥ minLeaf of the rows each, ties kept together; a short last bin merges back.
    const e: number[] = [];
    const step = Math.max(1, Math.ceil(opts.minLeaf * n));
    let start = 0;
    for (let k = 0; k < n;) {
      let end = k;
      while (end + 1 < n && v[end + 1] === v[k]) end++;
      k = end + 1;
      if (k - start >= step && n - k >= step) {
        e.push(v[end]!);
        start = k;
      }
    }
    edges.push(e);
  }
  const binOf = (j: number, v: number): number => {
    const e = edges[j];
    if (!e) return v;
    let b = 0;
    while (b < e.length && e[b]! < v) b++;
    return b;
  };
  const X: number[][] = [];
  const Y: number[] = [];
  for (let k = 0; k < pick.length; k++) {
    const i = pick[k]!;
    X.push(Array.from({ length: p }, (_, j) => binOf(j, x[i * p + j]!)));
    Y.push(y[i] ? 1 : 0);
  }
  const minCount = Math.max(1, Math.ceil(opts.minLeaf * n));
  const clf = new DecisionTreeClassifier({
    gainFunction: 'gini',
    maxDepth: opts.maxDepth,
    minNumSamples: Math.max(2, Math.ceil(opts.minLeaf * pick.length)),
    gainThreshold: 1e-4,
  });
  clf.train(X, Y);
  const json = clf.toJSON() as { root: CartJson };
  // ml-cart sends `value < split` left. In original units: a binned column goes left up to the
  // upper edge of bin floor(split); a 0/1 column goes left at ≤ 0 (or the largest value below).
  const convert = (nd: CartJson): TreeNode => {
    if (!nd.left || !nd.right || nd.splitColumn === undefined || nd.splitValue === undefined)
      return { leaf: true, p: 0, n: 0 };
    const col = nd.splitColumn;
    const e = edges[col];
    let th = -Infinity;
    if (e) th = e[Math.min(e.length - 1, Math.floor(nd.splitValue))]!;
    else
      for (let i = 0; i < n; i++) {
        const v = x[i * p + col]!;
        if (v < nd.splitValue && v > th) th = v;
      }
    return {
      leaf: false,
      column: col,
      threshold: th,
      left: convert(nd.left),
      right: convert(nd.right),
      n: 0,
      gain: nd.gain ?? 0,
    };
  };
  let root = convert(json.root);
  // Leaf rates and counts from every training row, then prune leaves below minCount.
  const refit = (node: TreeNode, rows: number[]): TreeNode => {
    if (node.leaf) {
      let e = 0;
      for (const i of rows) e += y[i] ? 1 : 0;
      return { leaf: true, p: rows.length ? e / rows.length : 0, n: rows.length };
    }
    const l: number[] = [];
    const r: number[] = [];
    for (const i of rows) (x[i * p + node.column]! <= node.threshold ? l : r).push(i);
    if (l.length < minCount || r.length < minCount) return refit({ leaf: true, p: 0, n: 0 }, rows);
    const left = refit(node.left, l);
    const right = refit(node.right, r);
    if (left.leaf && right.leaf && left.p === right.p) return refit({ leaf: true, p: 0, n: 0 }, rows);
    return { ...node, left, right, n: rows.length };
  };
  root = refit(
    root,
    Array.from({ length: n }, (_, i) => i),
  );
  return root;
}

interface CartJson {
  splitColumn?: number;
  splitValue?: number;
  gain?: number | null;
  left?: CartJson;
  right?: CartJson;
}

/** Event probability of design rows under a model. */
export function predict(
  model: Pick<ScoreModel, 'kind' | 'logistic' | 'tree'>,
  x: Float64Array,
  n: number,
  p: number,
): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (model.kind === 'logistic') {
      const lg = model.logistic!;
      let e = lg.intercept;
      for (let j = 0; j < p; j++) e += lg.coefficients[j]! * x[i * p + j]!;
      out[i] = sigmoid(e);
    } else {
      let nd = model.tree!;
      while (!nd.leaf) nd = x[i * p + nd.column]! <= nd.threshold ? nd.left : nd.right;
      out[i] = nd.p;
    }
  }
  return out;
}

/** Feature importance of a tree: Σ gain × rows over its splits per feature, normalised to 1. */
export function treeImportance(tree: TreeNode, columns: string[]): Record<string, number> {
  const imp: Record<string, number> = {};
  const walk = (nd: TreeNode): void => {
    if (nd.leaf) return;
    const f = columns[nd.column]!.split('=')[0]!;
    imp[f] = (imp[f] ?? 0) + nd.gain * nd.n;
    walk(nd.left);
    walk(nd.right);
  };
  walk(tree);
  const tot = Object.values(imp).reduce((a, b) => a + b, 0);
  for (const k of Object.keys(imp)) imp[k] = tot > 0 ? imp[k]! / tot : 0;
  return imp;
}

/** Scaling from options (`true` = the METRICS.md defaults: 600 at good:bad 19, PDO 50). */
export function scalingOf(v: unknown): Scaling | null {
  if (v === undefined || v === null || v === false) return null;
  const o = (typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const base = typeof o.base === 'number' ? o.base : 600;
  const odds = typeof o.odds === 'number' && o.odds > 0 ? o.odds : 19;
  const pdo = typeof o.pdo === 'number' && o.pdo > 0 ? o.pdo : 50;
  const B = pdo / Math.LN2;
  // METRICS.md writes A = base + B·ln(base odds) with the odds as bad:good (1/19); with good:bad odds
  // that is A = base − B·ln(odds), so the score is `base` exactly at good:bad = odds.
  return { base, odds, pdo, B, A: base - B * Math.log(odds) };
}

/** The scaled score of a probability (higher = lower risk); clipped away from 0 and 1. */
export function scaled(s: Scaling, pd: number): number {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, pd));
  return s.A - s.B * Math.log(q / (1 - q));
}

/** Development bands and feature bins for the model JSON. */
export function developmentOf(
  s: ModelSample,
  train: ArrayLike<number>,
  pd: Float64Array,
): ScoreModel['development'] {
  const y = Uint8Array.from(train as ArrayLike<number>, (i) => s.label[i]!);
  const bins: Record<string, WoeBin[]> = {};
  for (const f of s.features) {
    if (f.kind === 'num')
      bins[f.name] = binNumeric(
        Float64Array.from(train as ArrayLike<number>, (i) => s.num[f.name]![i]!),
        y,
      ).bins;
    else
      bins[f.name] = binCategorical(
        Array.from(train as ArrayLike<number>, (i) => s.cat[f.name]![i] ?? null),
        y,
      ).bins;
  }
  let events = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < train.length; k++) {
    events += y[k]!;
    const m = s.month[train[k]!]!;
    if (m !== -2147483648) {
      lo = Math.min(lo, m);
      hi = Math.max(hi, m);
    }
  }
  const lab = (m: number): string | null =>
    Number.isFinite(m) ? `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}` : null;
  return { n: train.length, events, from: lab(lo), to: lab(hi), edges: decileEdges(pd), bins };
}
