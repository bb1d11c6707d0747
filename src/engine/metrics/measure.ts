/**
 * Measures (METRICS.md, KPI): `sum | count | mean | distinct | min | max` of a field, optionally
 * restricted by filter clauses, or a ratio of two measures. One evaluator computes a measure over
 * a set of rows split into groups (a KPI's periods, a heatmap's cells, a sparkline's points) in a
 * few passes over typed arrays: group keys are an Int32Array per row, never strings.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { Column } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import { predicate } from '../context.js';
import { r10 } from '../metric.js';
import type { FilterClause, LocalText } from '../types.js';
import { badParam, numericValues, rowList } from './generic-util.js';

export type AggName = 'sum' | 'count' | 'mean' | 'distinct' | 'min' | 'max';
export const AGGS: readonly AggName[] = ['sum', 'count', 'mean', 'distinct', 'min', 'max'];

/** An aggregate of one field (`count` may omit it: rows), over the rows passing `where`. */
export interface AggMeasure {
  agg: AggName;
  field?: string;
  where?: FilterClause[];
}

/** `ratio: [numerator, denominator]`; null when the denominator is 0 or empty. */
export interface RatioMeasure {
  ratio: [Measure, Measure];
}

export type Measure = AggMeasure | RatioMeasure;

export function isRatio(m: Measure): m is RatioMeasure {
  return (m as RatioMeasure).ratio !== undefined;
}

/** Validate a measure from JSON params; `bad_params` naming the path when malformed. */
export function parseMeasure(x: unknown, path = 'measure'): Measure {
  if (x === undefined || x === null) return { agg: 'count' };
  if (typeof x !== 'object' || Array.isArray(x))
    throw badParam(path, `Parameter "${path}" must be a measure object`, x);
  const o = x as Record<string, unknown>;
  if (o.ratio !== undefined) {
    if (!Array.isArray(o.ratio) || o.ratio.length !== 2) {
      throw badParam(path, `"${path}.ratio" must be [numerator, denominator]`, o.ratio);
    }
    return {
      ratio: [parseMeasure(o.ratio[0], `${path}.ratio[0]`), parseMeasure(o.ratio[1], `${path}.ratio[1]`)],
    };
  }
  if (typeof o.agg !== 'string' || !(AGGS as readonly string[]).includes(o.agg)) {
    throw badParam(path, `"${path}.agg" must be one of ${AGGS.join(', ')}`, o.agg);
  }
  const agg = o.agg as AggName;
  if (o.field !== undefined && (typeof o.field !== 'string' || !o.field)) {
    throw badParam(path, `"${path}.field" must be a field name`, o.field);
  }
  if (agg !== 'count' && !o.field) throw badParam(path, `"${path}": ${agg} needs a field`, x);
  const out: AggMeasure = { agg };
  if (o.field) out.field = o.field as string;
  if (o.where !== undefined) {
    if (!Array.isArray(o.where))
      throw badParam(path, `"${path}.where" must be an array of filter clauses`, o.where);
    out.where = o.where as FilterClause[];
  }
  return out;
}

function clauseText(c: FilterClause): string {
  const v = (x: unknown): string => (x === null ? 'null' : typeof x === 'string' ? x : String(x));
  if (c.op === 'eq') return `${c.field} = ${v(c.value)}`;
  if (c.op === 'in') return `${c.field} ∈ {${c.value.map(v).join(', ')}}`;
  const [lo, hi] = c.value;
  if (lo !== null && hi !== null) return `${v(lo)} ≤ ${c.field} ≤ ${v(hi)}`;
  if (lo !== null) return `${c.field} ≥ ${v(lo)}`;
  if (hi !== null) return `${c.field} ≤ ${v(hi)}`;
  return c.field;
}

/** The measure in words, e.g. `ratio(sum(outstanding | dpd ≥ 1), sum(outstanding))`. */
export function describeMeasure(m: Measure): string {
  if (isRatio(m)) return `ratio(${describeMeasure(m.ratio[0])}, ${describeMeasure(m.ratio[1])})`;
  const w = m.where?.length ? ` | ${m.where.map(clauseText).join(' ∧ ')}` : '';
  return `${m.agg}(${m.field ?? ''}${w})`;
}

/** Numerator and denominator of a ratio measure for the basis (empty for a plain aggregate). */
export function ratioParts(m: Measure): { numerator?: LocalText; denominator?: LocalText } {
  if (!isRatio(m)) return {};
  const a = describeMeasure(m.ratio[0]);
  const b = describeMeasure(m.ratio[1]);
  return { numerator: { 'zh-CN': a, 'en-US': a }, denominator: { 'zh-CN': b, 'en-US': b } };
}

/** `amount` when the measure sums/averages an amount-like field, `count` for counts, else the field. */
export function measureKind(m: Measure): string {
  if (isRatio(m)) return 'ratio';
  return m.agg === 'count' || m.agg === 'distinct' ? 'count' : 'amount';
}

/** Grouped evaluation: one value per group and the rows counted in each group. */
export interface GroupedValues {
  /** Measure value per group (r10-rounded); null where undefined (empty mean/min/max, ratio ÷ 0). */
  values: Array<number | null>;
  /** Rows of each group that the measure saw (after the stock selection, before `where`). */
  rows: Int32Array;
}

export interface EvalOptions {
  /**
   * Snapshot stock: in each group only rows on the group's last snapshot day count (e.g.
   * outstanding at the last month-end of a quarter, not the sum over its months). The day index
   * array of the date field.
   */
  stockDay?: Int32Array;
  /** Group of row i is `keys[i] - keyOffset` (lets a precomputed index array serve as keys). */
  keyOffset?: number;
}

/**
 * How rows map to groups: group of row i = `keys[i] - offset` when in `[0, n)`, else no group;
 * `keys` null = every row in group 0.
 */
interface Grouping {
  keys: Int32Array | null;
  offset: number;
  n: number;
}

/**
 * Evaluate `m` over the rows of `source` listed in `rows` (null = all rows), split into groups by
 * `keys[row]` (`-1` = row not in any group; null = every row in group 0).
 *
 * Empty groups: `count`, `distinct` and `sum` are 0, `mean`, `min`, `max` null; callers that
 * must show empty cells as null (heatmap) use `rows[g] === 0`.
 */
export function evalGrouped(
  ctx: MetricContext,
  source: string,
  m: Measure,
  rows: Int32Array | null,
  keys: Int32Array | null,
  nGroups: number,
  opts: EvalOptions = {},
): GroupedValues {
  const ds = ctx.dataset(source);
  const list = rowList(ds, rows);
  let gr: Grouping = { keys, offset: opts.keyOffset ?? 0, n: nGroups };
  if (opts.stockDay) gr = { keys: stockKeys(opts.stockDay, list, gr, ds.n), offset: 0, n: nGroups };
  const counts = rowCounts(list, gr);
  const p = evalPartials(ctx, source, m, list, gr);
  const values: Array<number | null> = new Array<number | null>(nGroups);
  for (let g = 0; g < nGroups; g++) {
    const v = finalize(p, g, g);
    values[g] = Number.isFinite(v) ? r10(v) : null;
  }
  return { values, rows: counts };
}

/** Evaluate `m` over one set of rows (null = all rows of the source). */
export function evalMeasure(
  ctx: MetricContext,
  source: string,
  m: Measure,
  rows: Int32Array | null,
  opts: EvalOptions = {},
): { value: number | null; rows: number } {
  const r = evalGrouped(ctx, source, m, rows, null, 1, opts);
  return { value: r.values[0] ?? null, rows: r.rows[0]! };
}

/** Rows per group. */
function rowCounts(list: Int32Array, gr: Grouping): Int32Array {
  const counts = new Int32Array(gr.n);
  const { keys, offset, n } = gr;
  if (!keys) {
    if (n > 0) counts[0] = list.length;
    return counts;
  }
  for (let k = 0; k < list.length; k++) {
    const g = keys[list[k]!]! - offset;
    if (g >= 0 && g < n) counts[g]!++;
  }
  return counts;
}

/** Keys restricted to rows on their group's last snapshot day. */
function stockKeys(day: Int32Array, list: Int32Array, gr: Grouping, n: number): Int32Array {
  const { keys, offset } = gr;
  const last = new Int32Array(gr.n).fill(NULL_INDEX);
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const g = keys ? keys[i]! - offset : 0;
    if (g < 0 || g >= gr.n) continue;
    const d = day[i]!;
    if (d !== NULL_INDEX && d > last[g]!) last[g] = d;
  }
  const out = new Int32Array(n).fill(-1);
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const g = keys ? keys[i]! - offset : 0;
    if (g >= 0 && g < gr.n && day[i] === last[g]) out[i] = g;
  }
  return out;
}

/**
 * Partial aggregates per group: sums and counts add, minima and maxima fold, so groups can be
 * merged after one pass (a KPI evaluates per day once, then combines days into its periods).
 * Distinct counts are not mergeable; they carry their final per-group values.
 */
export type Partials =
  | { kind: 'leaf'; agg: AggName; acc: Float64Array; cnt: Float64Array | null }
  | { kind: 'ratio'; a: Partials; b: Partials };

/** True when no part of the measure is a distinct count (its partials merge across groups). */
export function isMergeable(m: Measure): boolean {
  return isRatio(m) ? isMergeable(m.ratio[0]) && isMergeable(m.ratio[1]) : m.agg !== 'distinct';
}

/** Value of the partials merged over groups `from..to` (inclusive); NaN = undefined. */
export function finalize(p: Partials, from: number, to: number): number {
  if (p.kind === 'ratio') {
    const b = finalize(p.b, from, to);
    return b === 0 || Number.isNaN(b) ? NaN : finalize(p.a, from, to) / b;
  }
  const { agg, acc, cnt } = p;
  if (agg === 'min' || agg === 'max') {
    let v = agg === 'min' ? Infinity : -Infinity;
    for (let g = from; g <= to; g++) v = agg === 'min' ? Math.min(v, acc[g]!) : Math.max(v, acc[g]!);
    return Number.isFinite(v) ? v : NaN;
  }
  if (agg === 'distinct' && from !== to) throw new Error('distinct counts do not merge across groups');
  let s = 0;
  let c = 0;
  for (let g = from; g <= to; g++) {
    s += acc[g]!;
    if (cnt) c += cnt[g]!;
  }
  return agg === 'mean' ? (c === 0 ? NaN : s / c) : s;
}

/**
 * One pass per leaf aggregate over `list` into per-group partials. `keys` with `offset` as in
 * {@link EvalOptions.keyOffset}.
 */
export function measurePartials(
  ctx: MetricContext,
  source: string,
  m: Measure,
  list: Int32Array,
  keys: Int32Array | null,
  nGroups: number,
  offset = 0,
): Partials {
  return evalPartials(ctx, source, m, list, { keys, offset, n: nGroups });
}

function evalPartials(
  ctx: MetricContext,
  source: string,
  m: Measure,
  list: Int32Array,
  gr: Grouping,
): Partials {
  if (isRatio(m)) {
    return {
      kind: 'ratio',
      a: evalPartials(ctx, source, m.ratio[0], list, gr),
      b: evalPartials(ctx, source, m.ratio[1], list, gr),
    };
  }
  return evalLeaf(ctx, source, m, list, gr);
}

function wherePredicate(
  ctx: MetricContext,
  source: string,
  where: FilterClause[] | undefined,
): ((i: number) => boolean) | null {
  if (!where || where.length === 0) return null;
  const preds = where.map((c) =>
    predicate(ctx.col(source, c.field.replace(/\.(month|day|week|hour|dow)$/, '')), c),
  );
  if (preds.length === 1) return preds[0]!;
  return (i) => {
    for (const p of preds) if (!p(i)) return false;
    return true;
  };
}

function evalLeaf(
  ctx: MetricContext,
  source: string,
  m: AggMeasure,
  list: Int32Array,
  gr: Grouping,
): Partials {
  const pred = wherePredicate(ctx, source, m.where);
  const { keys, offset, n: nG } = gr;
  const acc = new Float64Array(nG);
  const leaf = (cnt: Float64Array | null = null): Partials => ({ kind: 'leaf', agg: m.agg, acc, cnt });
  const col: Column | null = m.field ? ctx.col(source, m.field) : null;
  const len = list.length;

  if (m.agg === 'count') {
    const present = col ? presentFn(col) : null;
    for (let k = 0; k < len; k++) {
      const i = list[k]!;
      const g = keys ? keys[i]! - offset : 0;
      if (g < 0 || g >= nG || (pred && !pred(i)) || (present && !present(i))) continue;
      acc[g]!++;
    }
    return leaf();
  }

  if (m.agg === 'distinct') {
    acc.set(distinctCounts(col!, list, gr, pred));
    return leaf();
  }

  const v = numericValues(col!, 'measure', m.field!);
  if (m.agg === 'sum' || m.agg === 'mean') {
    const cnt = m.agg === 'mean' ? new Float64Array(nG) : null;
    for (let k = 0; k < len; k++) {
      const i = list[k]!;
      const g = keys ? keys[i]! - offset : 0;
      if (g < 0 || g >= nG) continue;
      const x = v[i]!;
      if (x !== x || (pred && !pred(i))) continue;
      acc[g]! += x;
      if (cnt) cnt[g]!++;
    }
    return leaf(cnt);
  }
  // min / max
  const isMin = m.agg === 'min';
  acc.fill(isMin ? Infinity : -Infinity);
  for (let k = 0; k < len; k++) {
    const i = list[k]!;
    const g = keys ? keys[i]! - offset : 0;
    if (g < 0 || g >= nG) continue;
    const x = v[i]!;
    if (x !== x || (pred && !pred(i))) continue;
    if (isMin ? x < acc[g]! : x > acc[g]!) acc[g] = x;
  }
  return leaf();
}

function presentFn(col: Column): (i: number) => boolean {
  switch (col.kind) {
    case 'cat':
      return (i) => col.codes[i]! >= 0;
    case 'bool':
      return (i) => col.data[i]! >= 0;
    case 'num':
    case 'date':
      return (i) => !Number.isNaN(col.data[i]!);
  }
}

/** Integer codes of a column for distinct counting: cat codes, bool 0/1, date day, numbers by value. */
function distinctCodes(col: Column, list: Int32Array): { codes: Int32Array; size: number } {
  if (col.kind === 'cat') return { codes: col.codes, size: col.dict.length };
  if (col.kind === 'bool') return { codes: Int32Array.from(col.data), size: 2 };
  if (col.kind === 'date') {
    let lo = 2147483647;
    let hi = -2147483648;
    for (let k = 0; k < list.length; k++) {
      const d = col.day[list[k]!]!;
      if (d === NULL_INDEX) continue;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
    const codes = new Int32Array(col.day.length).fill(-1);
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const d = col.day[i]!;
      if (d !== NULL_INDEX) codes[i] = d - lo;
    }
    return { codes, size: lo > hi ? 0 : hi - lo + 1 };
  }
  // Numbers: code by value, once per distinct value (number keys).
  const map = new Map<number, number>();
  const codes = new Int32Array(col.data.length).fill(-1);
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const x = col.data[i]!;
    if (x !== x) continue;
    let c = map.get(x);
    if (c === undefined) {
      c = map.size;
      map.set(x, c);
    }
    codes[i] = c;
  }
  return { codes, size: map.size };
}

function distinctCounts(
  col: Column,
  list: Int32Array,
  gr: Grouping,
  pred: ((i: number) => boolean) | null,
): Float64Array {
  const { keys, offset, n: nGroups } = gr;
  const out = new Float64Array(nGroups);
  const { codes, size } = distinctCodes(col, list);
  if (size === 0) return out;
  if (nGroups * size <= 1 << 24) {
    const seen = new Uint8Array(nGroups * size);
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const g = keys ? keys[i]! - offset : 0;
      if (g < 0 || g >= nGroups) continue;
      const c = codes[i]!;
      if (c < 0 || (pred && !pred(i))) continue;
      const s = g * size + c;
      if (seen[s] === 0) {
        seen[s] = 1;
        out[g]!++;
      }
    }
    return out;
  }
  // Many groups × many values: sort the (group, value) pairs and count runs.
  const pairs = new Float64Array(list.length);
  let np = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const g = keys ? keys[i]! - offset : 0;
    if (g < 0 || g >= nGroups) continue;
    const c = codes[i]!;
    if (c < 0 || (pred && !pred(i))) continue;
    pairs[np++] = g * size + c;
  }
  const sorted = pairs.subarray(0, np).sort();
  for (let k = 0; k < np; k++) {
    if (k === 0 || sorted[k] !== sorted[k - 1]) out[Math.floor(sorted[k]! / size)]!++;
  }
  return out;
}
