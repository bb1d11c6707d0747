/**
 * Helpers shared by the generic analytics metrics (kpi, heatmap, funnel, cohort, rfm, churn,
 * fund_flow, sankey, txn_alerts): parameter reading, calendar periods on day indexes, row lists,
 * stable counting sorts and quantiles. Pure functions over typed arrays; nothing here allocates
 * per row.
 */
import type { CatColumn, Column, Dataset, DateColumn } from '../../data/dataset.js';
import { NULL_INDEX, dayLabel, parseDay } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import { FinError } from '../errors.js';
import type { FilterClause } from '../types.js';

/** Default date field of each canonical dataset. */
export const DEFAULT_DATE_FIELD: Readonly<Record<string, string>> = Object.freeze({
  loan_months: 'snapshot_date',
  transactions: 'txn_time',
  collection_actions: 'action_time',
  loans: 'issue_date',
  funnel_events: 'event_time',
  customers: 'open_date',
  campaign_spend: 'date',
});

export function badParam(param: string, message: string, value?: unknown): FinError {
  return new FinError('bad_params', message, value === undefined ? { param } : { param, value });
}

/** The date field to use on `source`: the given one, else the source's default. */
export function dateFieldOf(source: string, given: unknown): string {
  if (given !== undefined && given !== null) {
    if (typeof given !== 'string' || !given)
      throw badParam('dateField', 'Parameter "dateField" must be a field name', given);
    return given;
  }
  const d = DEFAULT_DATE_FIELD[source];
  if (!d) throw badParam('dateField', `Source "${source}" has no default date field; pass "dateField"`);
  return d;
}

/** A date column of `source` (joined attributes allowed) or bad_params. */
export function dateCol(ctx: MetricContext, source: string, field: string, param = 'dateField'): DateColumn {
  const c = ctx.col(source, field);
  if (c.kind !== 'date') throw badParam(param, `Field "${field}" of "${source}" is not a date`, field);
  return c;
}

/** A dictionary-encoded column of `source` or bad_params. */
export function catCol(ctx: MetricContext, source: string, field: string, param: string): CatColumn {
  const c = ctx.col(source, field);
  if (c.kind !== 'cat')
    throw badParam(param, `Field "${field}" of "${source}" is not a category/identifier`, field);
  return c;
}

/** Numeric values of a num/bool column as Float64 (bool: 1/0, missing NaN); cached per column. */
const numCache = new WeakMap<Column, Float64Array>();
export function numericValues(c: Column, param: string, field: string): Float64Array {
  if (c.kind === 'num' || c.kind === 'date') return c.data;
  if (c.kind === 'bool') {
    let v = numCache.get(c);
    if (!v) {
      v = new Float64Array(c.data.length);
      for (let i = 0; i < v.length; i++) {
        const b = c.data[i]!;
        v[i] = b < 0 ? NaN : b;
      }
      numCache.set(c, v);
    }
    return v;
  }
  throw notNumeric(param, field);
}

/** The `bad_params` error of a category field used as a number (shared with the SQL backends). */
export function notNumeric(param: string, field: string): FinError {
  return badParam(param, `Field "${field}" is a category; it cannot be summed or averaged`, field);
}

/** Read an optional positive integer parameter. */
export function intParam(
  params: Record<string, unknown>,
  name: string,
  def: number,
  min = 1,
  max = 1e9,
): number {
  const v = params[name];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badParam(name, `Parameter "${name}" must be an integer in [${min}, ${max}]`, v);
  }
  return v;
}

/** Read an optional finite number parameter. */
export function numParam(params: Record<string, unknown>, name: string, def: number | null): number | null {
  const v = params[name];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw badParam(name, `Parameter "${name}" must be a number`, v);
  return v;
}

/** Read an optional enumerated string parameter. */
export function enumParam<T extends string>(
  params: Record<string, unknown>,
  name: string,
  allowed: readonly T[],
  def: T,
): T {
  const v = params[name];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw badParam(name, `Parameter "${name}" must be one of ${allowed.join(', ')}`, v);
  }
  return v as T;
}

/** Read an optional string parameter. */
export function strParam(params: Record<string, unknown>, name: string, def: string): string {
  const v = params[name];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'string' || !v) throw badParam(name, `Parameter "${name}" must be a non-empty string`, v);
  return v;
}

/** Read a `YYYY-MM-DD` parameter as a day index, or null when absent. */
export function dayParam(params: Record<string, unknown>, name: string): number | null {
  const v = params[name];
  if (v === undefined || v === null) return null;
  const d = typeof v === 'string' ? parseDay(v) : NaN;
  if (Number.isNaN(d)) throw badParam(name, `Parameter "${name}" must be a date YYYY-MM-DD`, v);
  return d;
}

/** Validate `where` (extra filter clauses of the metric). */
export function whereParam(params: Record<string, unknown>, name = 'where'): FilterClause[] {
  const w = params[name];
  if (w === undefined || w === null) return [];
  if (
    !Array.isArray(w) ||
    !w.every((c) => c && typeof c === 'object' && typeof (c as FilterClause).field === 'string')
  ) {
    throw badParam(name, `Parameter "${name}" must be an array of filter clauses`, w);
  }
  for (const c of w as FilterClause[]) {
    const ok =
      (c.op === 'eq' && !Array.isArray(c.value)) ||
      (c.op === 'in' && Array.isArray(c.value)) ||
      (c.op === 'range' && Array.isArray(c.value) && c.value.length === 2);
    if (!ok) throw badParam(name, `Filter clause on "${c.field}" has an invalid op/value`, c);
  }
  return w as FilterClause[];
}

const identityCache = new WeakMap<Dataset, Int32Array>();
/** The selected rows as an explicit list (the identity list, cached per dataset, when all rows). */
export function rowList(ds: Dataset, rows: Int32Array | null): Int32Array {
  if (rows) return rows;
  let id = identityCache.get(ds);
  if (!id || id.length !== ds.n) {
    id = new Int32Array(ds.n);
    for (let i = 0; i < ds.n; i++) id[i] = i;
    identityCache.set(ds, id);
  }
  return id;
}

// ---------------------------------------------------------------------------------------------
// Calendar periods on day indexes (days since 1970-01-01 in the data's time zone).

export type PeriodUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const PERIOD_UNITS: readonly PeriodUnit[] = ['day', 'week', 'month', 'quarter', 'year'];

const DAY_MS = 86400000;

/** Day index → month index (`year * 12 + month - 1`). */
export function monthOfDay(d: number): number {
  const dt = new Date(d * DAY_MS);
  return dt.getUTCFullYear() * 12 + dt.getUTCMonth();
}

/** First day index of a month index. */
export function monthStartDay(m: number): number {
  const y = Math.floor(m / 12);
  return Math.floor(Date.UTC(y, m - y * 12, 1) / DAY_MS);
}

/** Last day index of a month index. */
export function monthEndDay(m: number): number {
  return monthStartDay(m + 1) - 1;
}

/** ISO week index of a day (same as `DateColumn.week`). */
export function weekOfDay(d: number): number {
  return Math.floor((d + 3) / 7);
}

/** Index of the period containing day `d`. */
export function periodOfDay(unit: PeriodUnit, d: number): number {
  switch (unit) {
    case 'day':
      return d;
    case 'week':
      return weekOfDay(d);
    case 'month':
      return monthOfDay(d);
    case 'quarter':
      return Math.floor(monthOfDay(d) / 3);
    case 'year':
      return Math.floor(monthOfDay(d) / 12);
  }
}

/** First day of period `p`. */
export function periodStart(unit: PeriodUnit, p: number): number {
  switch (unit) {
    case 'day':
      return p;
    case 'week':
      return p * 7 - 3;
    case 'month':
      return monthStartDay(p);
    case 'quarter':
      return monthStartDay(p * 3);
    case 'year':
      return monthStartDay(p * 12);
  }
}

/** Last day of period `p`. */
export function periodEnd(unit: PeriodUnit, p: number): number {
  return periodStart(unit, p + 1) - 1;
}

/**
 * Label of period `p`: day and week `YYYY-MM-DD` (a week by its Monday), month `YYYY-MM`,
 * quarter `YYYY-Qn`, year `YYYY`.
 */
export function periodLabel(unit: PeriodUnit, p: number): string {
  switch (unit) {
    case 'day':
      return dayLabel(p);
    case 'week':
      return dayLabel(p * 7 - 3);
    case 'month': {
      const y = Math.floor(p / 12);
      const mm = p - y * 12 + 1;
      return `${y}-${mm < 10 ? '0' : ''}${mm}`;
    }
    case 'quarter': {
      const y = Math.floor(p / 4);
      return `${y}-Q${p - y * 4 + 1}`;
    }
    case 'year':
      return String(p);
  }
}

/**
 * Per-row period index of a date column: the precomputed day/week/month arrays where they exist
 * (no copy), derived from the month index for quarter and year. Missing stays `NULL_INDEX`.
 */
export function periodIndexes(col: DateColumn, unit: PeriodUnit): Int32Array {
  if (unit === 'day') return col.day;
  if (unit === 'week') return col.week;
  if (unit === 'month') return col.month;
  const div = unit === 'quarter' ? 3 : 12;
  const out = new Int32Array(col.month.length);
  for (let i = 0; i < out.length; i++) {
    const m = col.month[i]!;
    out[i] = m === NULL_INDEX ? NULL_INDEX : Math.floor(m / div);
  }
  return out;
}

/**
 * Shift a day by `k` calendar months: the day of month is kept and clamped to the target month's
 * length, and the last day of a month maps to the last day of the target month.
 */
export function shiftMonths(d: number, k: number): number {
  const m = monthOfDay(d);
  const start = monthStartDay(m);
  const isLast = d === monthEndDay(m);
  const tm = m + k;
  if (isLast) return monthEndDay(tm);
  return Math.min(monthStartDay(tm) + (d - start), monthEndDay(tm));
}

/** Shift a day back or forward by `k` units of `unit` (calendar arithmetic for months and up). */
export function shiftDay(unit: PeriodUnit, d: number, k: number): number {
  switch (unit) {
    case 'day':
      return d + k;
    case 'week':
      return d + 7 * k;
    case 'month':
      return shiftMonths(d, k);
    case 'quarter':
      return shiftMonths(d, 3 * k);
    case 'year':
      return shiftMonths(d, 12 * k);
  }
}

/** Min and max valid day index over the selected rows; null when none. */
export function dayExtent(day: Int32Array, list: Int32Array): [number, number] | null {
  let lo = 2147483647;
  let hi = -2147483648;
  for (let k = 0; k < list.length; k++) {
    const d = day[list[k]!]!;
    if (d === NULL_INDEX) continue;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  return lo > hi ? null : [lo, hi];
}

// ---------------------------------------------------------------------------------------------
// Sorting and statistics.

/**
 * Stable counting sort of a row list by an integer key per row (`key[row] - min` in
 * `[0, range)`); rows whose key is out of range are dropped. O(n + range).
 */
export function countingSort(list: Int32Array, key: Int32Array, min: number, range: number): Int32Array {
  const counts = new Int32Array(range + 1);
  let kept = 0;
  for (let k = 0; k < list.length; k++) {
    const v = key[list[k]!]! - min;
    if (v >= 0 && v < range) {
      counts[v + 1]!++;
      kept++;
    }
  }
  for (let v = 0; v < range; v++) counts[v + 1]! += counts[v]!;
  const out = new Int32Array(kept);
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const v = key[i]! - min;
    if (v >= 0 && v < range) out[counts[v]!++] = i;
  }
  return out;
}

/** Quantile of an ascending-sorted array with linear interpolation (d3.quantile, Excel PERCENTILE.INC). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (n === 1 || p <= 0) return sorted[0]!;
  if (p >= 1) return sorted[n - 1]!;
  const i = (n - 1) * p;
  const lo = Math.floor(i);
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  return a + (b - a) * (i - lo);
}

/** Median (mean of the two middle values for an even count); NaN when empty. Sorts `values` in place. */
export function medianInPlace(values: Float64Array): number {
  values.sort();
  return quantileSorted(values, 0.5);
}

/** Rank of each dictionary code when the dictionary is sorted by label (code-point order). */
export function labelRanks(dict: readonly string[]): Int32Array {
  const order = dict
    .map((_, i) => i)
    .sort((a, b) => (dict[a]! < dict[b]! ? -1 : dict[a]! > dict[b]! ? 1 : a - b));
  const rank = new Int32Array(dict.length);
  order.forEach((code, r) => (rank[code] = r));
  return rank;
}

/** Compare two strings by code point (locale-independent, deterministic). */
export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A growable Float64 buffer (amortised doubling, no per-value allocation). */
export class F64Buf {
  data: Float64Array;
  length = 0;
  constructor(cap = 64) {
    this.data = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** A growable Int32 buffer. */
export class I32Buf {
  data: Int32Array;
  length = 0;
  constructor(cap = 64) {
    this.data = new Int32Array(cap);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
