/**
 * Model-quality statistics of METRICS.md, "Model monitoring": AUC (Mann–Whitney, ties ½), KS with
 * its cut-off, ROC and KS curves, decile score bands, PSI and WOE binning with IV. Pure functions
 * over typed arrays; `bad[i]` is 1 for a bad (event) and 0 for a good. Scores are "risk" scores
 * here: a higher score is riskier. Callers with a scaled score (higher = safer) negate it.
 */
import { quantileSorted } from './generic-util.js';

/** Share substituted for an empty band in PSI and CSI (METRICS.md). */
export const PSI_FLOOR = 0.0001;

/**
 * AUC = P(a random bad scores riskier than a random good), ties counted ½: the Mann–Whitney U of
 * the bads over nBad·nGood, from mid-ranks. Null when either class is empty.
 */
export function auc(score: ArrayLike<number>, bad: ArrayLike<number>): number | null {
  const { b, g } = splitSorted(score, bad);
  const nb = b.length;
  const ng = g.length;
  if (nb === 0 || ng === 0) return null;
  // For each bad (ascending), goods strictly below count 1, goods equal count ½: one merge pass.
  let below = 0;
  let u = 0;
  for (let i = 0; i < nb;) {
    const v = b[i]!;
    let e = i;
    while (e + 1 < nb && b[e + 1] === v) e++;
    while (below < ng && g[below]! < v) below++;
    let eq = below;
    while (eq < ng && g[eq] === v) eq++;
    u += (e - i + 1) * (below + (eq - below) / 2);
    i = e + 1;
  }
  return u / (nb * ng);
}

/**
 * Scores of the bads and of the goods, each sorted ascending with the native numeric sort (no
 * comparator: about 10× faster than sorting an index array on 1M rows).
 */
function splitSorted(score: ArrayLike<number>, bad: ArrayLike<number>): { b: Float64Array; g: Float64Array } {
  let nb = 0;
  for (let i = 0; i < score.length; i++) if (bad[i]) nb++;
  const b = new Float64Array(nb);
  const g = new Float64Array(score.length - nb);
  for (let i = 0, p = 0, q = 0; i < score.length; i++) {
    if (bad[i]) b[p++] = score[i]!;
    else g[q++] = score[i]!;
  }
  b.sort();
  g.sort();
  return { b, g };
}

/** One point of the ROC / KS curves: at threshold t, everything scoring ≥ t is flagged risky. */
export interface CurvePoint {
  /** Score threshold (risk scale). */
  threshold: number;
  /** Share of the population at or above the threshold. */
  population: number;
  /** Cumulative share of bads flagged (true-positive rate). */
  cumBad: number;
  /** Cumulative share of goods flagged (false-positive rate). */
  cumGood: number;
}

export interface KsResult {
  /** max |cumBad − cumGood| over thresholds, a fraction; null when a class is empty. */
  ks: number | null;
  /** Threshold (risk scale) where KS occurs: flag scores ≥ cutoff. */
  cutoff: number | null;
  /** Curve points at every distinct score, riskiest first, starting at (0, 0, 0). */
  curve: CurvePoint[];
}

/** KS and the ROC/KS curve, walking distinct scores from the riskiest. */
export function ksCurve(score: ArrayLike<number>, bad: ArrayLike<number>): KsResult {
  const n = score.length;
  const { b, g } = splitSorted(score, bad);
  const nb = b.length;
  const ng = g.length;
  const curve: CurvePoint[] = [{ threshold: Infinity, population: 0, cumBad: 0, cumGood: 0 }];
  if (nb === 0 || ng === 0) return { ks: null, cutoff: null, curve };
  // Walk the distinct scores from the riskiest (highest) down, merging both sorted arrays.
  let ib = nb - 1;
  let ig = ng - 1;
  let ks = -1;
  let cutoff = NaN;
  while (ib >= 0 || ig >= 0) {
    const s = Math.max(ib >= 0 ? b[ib]! : -Infinity, ig >= 0 ? g[ig]! : -Infinity);
    while (ib >= 0 && b[ib] === s) ib--;
    while (ig >= 0 && g[ig] === s) ig--;
    const cb = nb - 1 - ib;
    const cg = ng - 1 - ig;
    const d = Math.abs(cb / nb - cg / ng);
    // float noise (|1 − 2/3| vs |1/3 − 0|) must not move the cut-off: the first maximum wins
    if (d > ks + 1e-12) {
      ks = d;
      cutoff = s;
    }
    curve.push({ threshold: s, population: (cb + cg) / n, cumBad: cb / nb, cumGood: cg / ng });
  }
  return { ks, cutoff, curve };
}

/** At most `max` curve points, evenly by population, keeping the ends and the KS point. */
export function thinCurve(curve: CurvePoint[], max: number, keep: number | null = null): CurvePoint[] {
  if (curve.length <= max) return curve;
  const out: CurvePoint[] = [];
  let next = 0;
  for (let i = 0; i < curve.length; i++) {
    const p = curve[i]!;
    const last = i === curve.length - 1;
    if (i === 0 || last || p.population >= next || p.threshold === keep) {
      out.push(p);
      while (next <= p.population) next += 1 / (max - 2);
    }
  }
  return out;
}

/** Nine decile edges (10th..90th percentiles, linear interpolation) of development scores. */
export function decileEdges(score: ArrayLike<number>): number[] {
  const s = Float64Array.from(score).sort();
  if (s.length === 0) return [];
  return [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((p) => quantileSorted(s, p));
}

/** Band 0..edges.length of a score: the number of edges strictly below it (0 = safest). */
export function bandOf(v: number, edges: readonly number[]): number {
  let b = 0;
  for (let j = 0; j < edges.length; j++) if (edges[j]! < v) b++;
  return b;
}

/** One row of the score-band table, riskiest band first. */
export interface ScoreBand {
  /** 1 = riskiest band. */
  band: number;
  /** Risk-scale score range (min exclusive except for the safest band, max inclusive); null = open. */
  from: number | null;
  to: number | null;
  count: number;
  bads: number;
  goods: number;
  /** count / total. */
  share: number;
  badRate: number | null;
  /** Cumulative bads / all bads from the riskiest band down to this one (= gain). */
  cumBadPct: number | null;
  cumGoodPct: number | null;
  /** |cumBadPct − cumGoodPct| at the band's lower edge. */
  ks: number | null;
  /** band bad rate / overall bad rate. */
  lift: number | null;
  /** = cumBadPct. */
  gain: number | null;
}

/** Counts per band (0 = safest) of a sample against fixed edges. */
export function bandCounts(
  score: ArrayLike<number>,
  bad: ArrayLike<number>,
  edges: readonly number[],
): { count: Float64Array; bads: Float64Array } {
  const B = edges.length + 1;
  const count = new Float64Array(B);
  const bads = new Float64Array(B);
  for (let i = 0; i < score.length; i++) {
    const b = bandOf(score[i]!, edges);
    count[b]!++;
    if (bad[i]) bads[b]!++;
  }
  return { count, bads };
}

/** The score-band table of a sample against development edges, riskiest first. */
export function scoreBands(
  score: ArrayLike<number>,
  bad: ArrayLike<number>,
  edges: readonly number[],
): ScoreBand[] {
  const { count, bads } = bandCounts(score, bad, edges);
  return bandTable(count, bads, edges);
}

/** The score-band table from counts and bads per band (0 = safest), riskiest first. */
export function bandTable(
  count: ArrayLike<number>,
  bads: ArrayLike<number>,
  edges: readonly number[],
): ScoreBand[] {
  const B = edges.length + 1;
  let n = 0;
  let nb = 0;
  for (let b = 0; b < B; b++) {
    n += count[b]!;
    nb += bads[b]!;
  }
  const ng = n - nb;
  const overall = n ? nb / n : 0;
  const out: ScoreBand[] = [];
  let cb = 0;
  let cg = 0;
  for (let b = B - 1; b >= 0; b--) {
    const c = count[b]!;
    const bd = bads[b]!;
    cb += bd;
    cg += c - bd;
    const cumBad = nb ? cb / nb : null;
    const cumGood = ng ? cg / ng : null;
    const badRate = c ? bd / c : null;
    out.push({
      band: B - b,
      from: b === 0 ? null : edges[b - 1]!,
      to: b === B - 1 ? null : edges[b]!,
      count: c,
      bads: bd,
      goods: c - bd,
      share: n ? c / n : 0,
      badRate,
      cumBadPct: cumBad,
      cumGoodPct: cumGood,
      ks: cumBad !== null && cumGood !== null ? Math.abs(cumBad - cumGood) : null,
      lift: badRate !== null && overall > 0 ? badRate / overall : null,
      gain: cumBad,
    });
  }
  return out;
}

/** PSI = Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ) over shares; a zero share counts as PSI_FLOOR. */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  let te = 0;
  let ta = 0;
  for (let i = 0; i < expected.length; i++) {
    te += expected[i]!;
    ta += actual[i]!;
  }
  if (te <= 0 || ta <= 0) return NaN;
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]! / te || PSI_FLOOR;
    const a = actual[i]! / ta || PSI_FLOOR;
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/** The reading of a PSI (or CSI) value: < 0.10 stable, 0.10–0.25 watch, ≥ 0.25 shifted. */
export function psiReading(v: number | null): 'stable' | 'watch' | 'shifted' | null {
  if (v === null || !Number.isFinite(v)) return null;
  return v < 0.1 ? 'stable' : v < 0.25 ? 'watch' : 'shifted';
}

/** KS reading: < 0.2 weak, 0.2–0.4 fair, > 0.4 good. */
export function ksReading(v: number | null): 'weak' | 'fair' | 'good' | null {
  if (v === null) return null;
  return v < 0.2 ? 'weak' : v <= 0.4 ? 'fair' : 'good';
}

/** IV reading: < 0.02 useless, 0.02–0.1 weak, 0.1–0.3 medium, 0.3–0.5 strong, > 0.5 suspect. */
export function ivReading(v: number): 'useless' | 'weak' | 'medium' | 'strong' | 'suspect' {
  return v < 0.02 ? 'useless' : v < 0.1 ? 'weak' : v < 0.3 ? 'medium' : v <= 0.5 ? 'strong' : 'suspect';
}

// --- WOE binning ----------------------------------------------------------------------------------

/** One WOE bin. Numeric bins cover (lo, hi]; categorical bins list their values. */
export interface WoeBin {
  /** Display label: `(lo, hi]`, a category, `其他` or `缺失`. */
  label: string;
  /** Numeric bins: exclusive lower and inclusive upper edge (null = open). */
  lo?: number | null;
  hi?: number | null;
  /** Categorical bins: the values in the bin. */
  values?: string[];
  /** The bin of missing values. */
  missing?: boolean;
  count: number;
  bads: number;
  goods: number;
  badRate: number | null;
  /** goods in bin / all goods. */
  goodPct: number;
  badPct: number;
  /** ln(goodPct / badPct), with 0.5 added to an empty class count. */
  woe: number;
  /** (goodPct − badPct) · woe. */
  iv: number;
}

interface Cell {
  lo: number | null;
  hi: number | null;
  values?: string[];
  missing?: boolean;
  count: number;
  bads: number;
}

/** Finish bins: percentages, WOE (0.5 added to an empty class), IV terms. */
export function woeOf(cells: Cell[], label: (c: Cell) => string): { bins: WoeBin[]; iv: number } {
  let nb = 0;
  let ng = 0;
  for (const c of cells) {
    nb += c.bads;
    ng += c.count - c.bads;
  }
  let iv = 0;
  const bins = cells.map((c): WoeBin => {
    const g = c.count - c.bads;
    const gAdj = g === 0 || c.bads === 0 ? g + 0.5 : g;
    const bAdj = g === 0 || c.bads === 0 ? c.bads + 0.5 : c.bads;
    const gp = ng ? gAdj / ng : 0;
    const bp = nb ? bAdj / nb : 0;
    const woe = gp > 0 && bp > 0 ? Math.log(gp / bp) : 0;
    const term = (gp - bp) * woe;
    iv += term;
    const bin: WoeBin = {
      label: label(c),
      count: c.count,
      bads: c.bads,
      goods: g,
      badRate: c.count ? c.bads / c.count : null,
      goodPct: ng ? g / ng : 0,
      badPct: nb ? c.bads / nb : 0,
      woe,
      iv: term,
    };
    if (c.values) bin.values = c.values;
    else if (!c.missing) {
      bin.lo = c.lo;
      bin.hi = c.hi;
    }
    if (c.missing) bin.missing = true;
    return bin;
  });
  return { bins, iv };
}

const fmtEdge = (v: number): string => String(Number(v.toPrecision(6)));

/**
 * WOE bins of a numeric feature: up to 20 quantile bins, merged until each holds ≥ minShare of the
 * rows, then until the bad rate is monotone (direction of the first vs last bin), then down to
 * maxBins (merging the adjacent pair with the closest bad rates). Missing values form their own bin.
 */
export function binNumeric(
  x: ArrayLike<number>,
  bad: ArrayLike<number>,
  opts: { maxBins?: number; minShare?: number } = {},
): { bins: WoeBin[]; iv: number } {
  const maxBins = opts.maxBins ?? 8;
  const minShare = opts.minShare ?? 0.05;
  const n = x.length;
  const idx: number[] = [];
  let missN = 0;
  let missB = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i]!)) {
      missN++;
      if (bad[i]) missB++;
    } else idx.push(i);
  }
  idx.sort((a, b) => x[a]! - x[b]!);
  const m = idx.length;
  // Fine bins at distinct quantile edges (upper-inclusive).
  const sorted = idx.map((i) => x[i]!);
  const edges: number[] = [];
  for (let q = 1; q < 20; q++) {
    const e = quantileSorted(sorted, q / 20);
    if (!edges.length || e > edges[edges.length - 1]!) edges.push(e);
  }
  let cells: Cell[] = [];
  let k = 0;
  for (let e = 0; e <= edges.length && k < m; e++) {
    const hi = e < edges.length ? edges[e]! : Infinity;
    let c = 0;
    let b = 0;
    while (k < m && sorted[k]! <= hi) {
      c++;
      if (bad[idx[k]!]) b++;
      k++;
    }
    if (c > 0) cells.push({ lo: null, hi: e < edges.length ? hi : null, count: c, bads: b });
  }
  const merge = (j: number): void => {
    // merge cell j with j + 1
    const a = cells[j]!;
    const b = cells[j + 1]!;
    cells.splice(j, 2, { lo: null, hi: b.hi, count: a.count + b.count, bads: a.bads + b.bads });
  };
  const rate = (c: Cell): number => c.bads / c.count;
  // 1. minimum share
  const minCount = minShare * n;
  for (;;) {
    if (cells.length <= 1) break;
    let j = -1;
    let small = Infinity;
    for (let q = 0; q < cells.length; q++)
      if (cells[q]!.count < minCount && cells[q]!.count < small) [j, small] = [q, cells[q]!.count];
    if (j < 0) break;
    if (j === cells.length - 1) merge(j - 1);
    else if (j === 0) merge(0);
    else
      merge(
        Math.abs(rate(cells[j - 1]!) - rate(cells[j]!)) <= Math.abs(rate(cells[j + 1]!) - rate(cells[j]!))
          ? j - 1
          : j,
      );
  }
  // 2. monotone bad rate
  if (cells.length > 1) {
    const up = rate(cells[cells.length - 1]!) >= rate(cells[0]!);
    for (let j = 0; j < cells.length - 1;) {
      const ok = up ? rate(cells[j + 1]!) >= rate(cells[j]!) : rate(cells[j + 1]!) <= rate(cells[j]!);
      if (ok) j++;
      else {
        merge(j);
        j = Math.max(0, j - 1);
      }
    }
  }
  // 3. at most maxBins (the missing bin not counted)
  while (cells.length > maxBins) {
    let j = 0;
    let best = Infinity;
    for (let q = 0; q < cells.length - 1; q++) {
      const d = Math.abs(rate(cells[q]!) - rate(cells[q + 1]!));
      if (d < best) [j, best] = [q, d];
    }
    merge(j);
  }
  cells = cells.map((c, j) => ({ ...c, lo: j === 0 ? null : cells[j - 1]!.hi }));
  if (missN) cells.push({ lo: null, hi: null, missing: true, count: missN, bads: missB });
  return woeOf(cells, (c) =>
    c.missing ? '缺失' : `(${c.lo === null ? '-∞' : fmtEdge(c.lo)}, ${c.hi === null ? '+∞' : fmtEdge(c.hi)}]`,
  );
}

/** Label of the bin of rare categories. */
export const OTHER_LABEL = '其他';

/**
 * WOE bins of a categorical feature: one bin per value, values below minShare merged into `其他`;
 * missing values (null) form their own bin. Bins in descending count.
 */
export function binCategorical(
  x: ArrayLike<string | null>,
  bad: ArrayLike<number>,
  opts: { minShare?: number } = {},
): { bins: WoeBin[]; iv: number } {
  const minShare = opts.minShare ?? 0.05;
  const n = x.length;
  const by = new Map<string, Cell>();
  let missN = 0;
  let missB = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v === null || v === undefined) {
      missN++;
      if (bad[i]) missB++;
      continue;
    }
    let c = by.get(v);
    if (!c) by.set(v, (c = { lo: null, hi: null, values: [v], count: 0, bads: 0 }));
    c.count++;
    if (bad[i]) c.bads++;
  }
  const cells: Cell[] = [];
  const other: Cell = { lo: null, hi: null, values: [], count: 0, bads: 0 };
  for (const c of [...by.values()].sort(
    (a, b) => b.count - a.count || (a.values![0]! < b.values![0]! ? -1 : 1),
  )) {
    if (c.count < minShare * n) {
      other.values!.push(c.values![0]!);
      other.count += c.count;
      other.bads += c.bads;
    } else cells.push(c);
  }
  if (other.count) cells.push(other);
  if (missN) cells.push({ lo: null, hi: null, missing: true, count: missN, bads: missB });
  return woeOf(cells, (c) => (c.missing ? '缺失' : c === other ? OTHER_LABEL : c.values![0]!));
}

/** Index of the bin a value falls in (numeric bins by edges, categorical by values); −1 none. */
export function binIndex(bins: readonly WoeBin[], v: number | string | null): number {
  for (let j = 0; j < bins.length; j++) {
    const b = bins[j]!;
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) {
      if (b.missing) return j;
      continue;
    }
    if (b.missing) continue;
    if (b.values) {
      if (
        typeof v === 'string' &&
        (b.values.includes(v) ||
          (b.label === OTHER_LABEL && !bins.some((o) => o.values?.includes(v) && o !== b)))
      )
        return j;
    } else if (
      typeof v === 'number' &&
      (b.lo === null || b.lo === undefined || v > b.lo) &&
      (b.hi === null || b.hi === undefined || v <= b.hi)
    )
      return j;
  }
  return -1;
}

/**
 * binIndex() as a prepared lookup, for many values against the same bins: categories through a
 * map (a value in no bin goes to the first 其他 bin), numbers through the bins' edges.
 */
export function binLookup(bins: readonly WoeBin[]): (v: number | string | null) => number {
  const missing = bins.findIndex((b) => b.missing === true);
  const byValue = new Map<string, number>();
  let other = -1;
  const lo: number[] = [];
  const hi: number[] = [];
  const at: number[] = [];
  bins.forEach((b, j) => {
    if (b.missing) return;
    if (b.values) {
      for (const v of b.values) if (!byValue.has(v)) byValue.set(v, j);
      if (b.label === OTHER_LABEL && other < 0) other = j;
    } else {
      lo.push(b.lo ?? -Infinity);
      hi.push(b.hi ?? Infinity);
      at.push(j);
    }
  });
  return (v) => {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) return missing;
    if (typeof v === 'string') return byValue.get(v) ?? other;
    for (let k = 0; k < at.length; k++) if (v > lo[k]! && v <= hi[k]!) return at[k]!;
    return -1;
  };
}
