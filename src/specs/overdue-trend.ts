/**
 * Pure Vega-Lite spec builders and view models of `<fin-overdue-trend>`: the DPD bucket trend
 * (stacked area / bars), overdue-rate lines (coincident and lagged, alert threshold), flow-rate
 * lines per bucket transition, and the roll-rate matrix heat table.
 *
 * Pipeline, per display: result → model (validated, months filled in calendar order, labels
 * localised, nulls kept as null) → spec (JSON). Data values only ever go into `data.values`,
 * axis `values` and scale `domain` arrays; every expression string here is a constant.
 * No DOM, no lit: runs and is tested in node.
 */
import type { FilterClause, MetricResult } from '../engine/types.js';
import { msg, pick } from '../format/messages.js';
import { OVERDUE_AREA } from '../format/messages/overdue-trend.js';
import { formatCompact, formatMonth, formatValue } from '../format/number.js';
import type { Locale } from '../format/number.js';
import { BUCKET_COLORS, TOKENS } from '../theme/tokens.js';

/** A Vega-Lite spec as plain JSON. */
export type Spec = Record<string, unknown>;

/** What the element draws. */
export type OverdueDisplay = 'buckets' | 'rates' | 'flows' | 'rollrate';

export const DISPLAYS: readonly OverdueDisplay[] = ['buckets', 'rates', 'flows', 'rollrate'];

/** Metric each display queries. */
export const DISPLAY_METRIC: Record<OverdueDisplay, string> = {
  buckets: 'bucket_trend',
  rates: 'overdue_rate',
  flows: 'flow_rate',
  rollrate: 'roll_rate',
};

/** Default DPD bucket edges (lower bounds, inclusive), as in METRICS.md. */
export const DEFAULT_EDGES: readonly number[] = [0, 1, 31, 61, 91, 121, 151, 181];

/** Resolved theme colours the specs use (read from the element's tokens). */
export interface OverdueColors {
  fg: string;
  muted: string;
  border: string;
  bg: string;
  surface: string;
  accent: string;
  bad: string;
}

function tokenValue(name: string, theme: 'light' | 'dark'): string {
  const t = TOKENS.find((x) => x.name === `--fin-${name}`);
  return t ? t[theme] : '#000000';
}

/** Token defaults for a theme (what the element reads when the host sets no override). */
export function defaultColors(theme: 'light' | 'dark'): OverdueColors {
  return {
    fg: tokenValue('color-fg', theme),
    muted: tokenValue('color-muted', theme),
    border: tokenValue('color-border', theme),
    bg: tokenValue('color-bg', theme),
    surface: tokenValue('color-surface', theme),
    accent: tokenValue('color-accent', theme),
    bad: tokenValue('color-bad', theme),
  };
}

const m = (locale: Locale, key: string, vars?: Record<string, string | number>): string =>
  msg(locale, key, vars, OVERDUE_AREA);

// ---------------------------------------------------------------------------------------------
// Colour helpers

function parseHex(hex: string): [number, number, number] | null {
  const s = hex.trim();
  let h = /^#([0-9a-f]{6})$/i.exec(s)?.[1];
  if (!h) {
    const short = /^#([0-9a-f]{3})$/i.exec(s)?.[1];
    if (short) h = short.replace(/./g, (c) => c + c);
  }
  if (h) return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(s);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : null;
}

function toHex([r, g, b]: [number, number, number]): string {
  const c = (x: number): string =>
    Math.round(Math.max(0, Math.min(255, x)))
      .toString(16)
      .padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

/** WCAG relative luminance of a colour (hex or rgb()); 0 for unparseable input. */
export function luminance(color: string): number {
  const p = parseHex(color);
  if (!p) return 0;
  const [r, g, b] = p.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Mix two colours in RGB: `t` = 0 gives `a`, 1 gives `b`. */
export function mix(a: string, b: string, t: number): string {
  const pa = parseHex(a) ?? [0, 0, 0];
  const pb = parseHex(b) ?? [0, 0, 0];
  return toHex([pa[0] + (pb[0] - pa[0]) * t, pa[1] + (pb[1] - pa[1]) * t, pa[2] + (pb[2] - pa[2]) * t]);
}

/**
 * The colour itself when it reaches `min` contrast on `bg`, else the closest shade that does
 * (darkened on light backgrounds, lightened on dark ones). Lines and points are graphics:
 * WCAG 1.4.11 asks 3:1 against the background.
 */
export function ensureContrast(color: string, bg: string, min = 3): string {
  if (contrast(color, bg) >= min) return color;
  const toward = luminance(bg) > 0.4 ? '#000000' : '#ffffff';
  for (let t = 0.05; t <= 1; t += 0.05) {
    const c = mix(color, toward, t);
    if (contrast(c, bg) >= min) return c;
  }
  return toward;
}

/** Bucket colour for index `i` of `n` buckets: the 8-step ramp, spread when there are fewer buckets. */
export function bucketColor(i: number, n: number): string {
  const last = BUCKET_COLORS.length - 1;
  if (n <= 1) return BUCKET_COLORS[0]!;
  const j = n === BUCKET_COLORS.length ? i : Math.round((i * last) / (n - 1));
  return BUCKET_COLORS[Math.max(0, Math.min(last, j))]!;
}

// ---------------------------------------------------------------------------------------------
// Months, labels and buckets

/** `YYYY-MM` → month index (`y * 12 + m − 1`), NaN when not a month. */
export function monthIndex(s: string): number {
  const r = /^(\d{4})-(\d{2})/.exec(String(s));
  return r ? Number(r[1]) * 12 + Number(r[2]) - 1 : NaN;
}

/** Month index → `YYYY-MM`. */
export function monthOf(i: number): string {
  const y = Math.floor(i / 12);
  const mo = i - y * 12 + 1;
  return `${y}-${mo < 10 ? '0' : ''}${mo}`;
}

/**
 * Every calendar month from the earliest to the latest of `months`, so a month missing from the
 * data shows as a gap (null), never as two adjacent points. Capped at 600 months.
 */
export function fillMonths(months: Iterable<string>): string[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of months) {
    const i = monthIndex(s);
    if (Number.isNaN(i)) continue;
    if (i < lo) lo = i;
    if (i > hi) hi = i;
  }
  if (!Number.isFinite(lo)) return [];
  const out: string[] = [];
  for (let i = Math.max(lo, hi - 599); i <= hi; i++) out.push(monthOf(i));
  return out;
}

/** Approximate rendered width of a label (px): CJK glyphs are square, Latin about 0.6 em. */
export function textWidth(s: string, fontSize = 11): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x2e80 && c <= 0x9fff) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x3000 && c <= 0x303f))
      w += fontSize;
    else if (ch === ' ' || ch === '.' || ch === ',') w += fontSize * 0.3;
    else if (/[A-Z0-9%+→]/.test(ch)) w += fontSize * 0.64;
    else w += fontSize * 0.55;
  }
  return w;
}

/**
 * Month tick labels that fit `plotWidth` without overlap: every month when there is room, else
 * every k-th month with k in 2, 3, 4, 6, 12, aligned to the calendar (quarters, half-years,
 * Januaries) so the labels read as a regular scale.
 */
export function monthTicks(
  months: string[],
  locale: Locale,
  plotWidth: number,
): { values: string[]; step: number } {
  const labels = months.map((x) => formatMonth(x, locale));
  if (labels.length === 0) return { values: [], step: 1 };
  const need = Math.max(...labels.map((l) => textWidth(l))) + 10;
  const slot = plotWidth / labels.length;
  for (const k of [1, 2, 3, 4, 6, 12, 24, 60]) {
    if (need > slot * k) continue;
    if (k === 1) return { values: labels, step: 1 };
    const picked = labels.filter((_, i) => monthIndex(months[i]!) % k === 0);
    // Too few aligned months (short ranges): fall back to every k-th from the first.
    const values = picked.length >= 2 || labels.length <= k ? picked : labels.filter((_, i) => i % k === 0);
    return { values: values.length ? values : [labels[0]!], step: k };
  }
  return { values: [labels[0]!, labels[labels.length - 1]!], step: labels.length };
}

/** Inclusive dpd range `[lo, hi]` of bucket `i` (hi null for the open last bucket). */
export function bucketDpdRange(edges: readonly number[], i: number): [number, number | null] {
  const lo = edges[i] ?? 0;
  const next = edges[i + 1];
  return [lo, next === undefined ? null : next - 1];
}

/** Bucket edges of a result (basis options), else the defaults. */
export function edgesOf(r: MetricResult | null | undefined): number[] {
  const e = r?.basis?.options?.['edges'];
  return Array.isArray(e) && e.length >= 2 && e.every((x) => typeof x === 'number')
    ? (e as number[])
    : [...DEFAULT_EDGES];
}

/** Bucket labels of a result (basis options / meta), else `M0 … M7+`. */
export function bucketLabelsOf(r: MetricResult | null | undefined): string[] {
  const l = r?.basis?.options?.['labels'] ?? r?.meta?.['buckets'];
  if (Array.isArray(l) && l.every((x) => typeof x === 'string')) return l as string[];
  const n = edgesOf(r).length;
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? `M${i}+` : `M${i}`));
}

/** The `dpd` range clause of a bucket label (by the result's edges), or null when unknown. */
export function bucketClause(r: MetricResult | null | undefined, bucket: string): FilterClause | null {
  const labels = bucketLabelsOf(r);
  const i = labels.indexOf(bucket);
  if (i < 0) return null;
  const [lo, hi] = bucketDpdRange(edgesOf(r), i);
  return { field: 'dpd', op: 'range', value: [lo, hi] };
}

/** `M3+`-style series: the clause `dpd ≥ edges[k]`. */
export function plusClause(r: MetricResult | null | undefined, k: number): FilterClause | null {
  const e = edgesOf(r);
  if (k < 0 || k >= e.length) return null;
  return { field: 'dpd', op: 'range', value: [e[k]!, null] };
}

/** Human label of a bucket with its dpd range, e.g. `M2（逾期 31–60 天）`. */
export function bucketRangeLabel(r: MetricResult | null | undefined, bucket: string, locale: Locale): string {
  const i = bucketLabelsOf(r).indexOf(bucket);
  if (i < 0) return bucket;
  const [lo, hi] = bucketDpdRange(edgesOf(r), i);
  if (hi === null) return m(locale, 'dpdOpen', { bucket, lo });
  if (lo === 0 && hi === 0) return m(locale, 'dpdZero', { bucket });
  return m(locale, 'dpdRange', { bucket, lo, hi });
}

/** Percent text with digits fitted to the magnitude (rates of 0.02% and 85% both readable). */
export function pct(x: number | null | undefined, locale: Locale, digits?: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  const d = digits ?? (a === 0 ? 0 : a < 0.001 ? 3 : a < 0.01 ? 2 : a < 1 ? 1 : 0);
  return formatValue(x, 'percent', locale, d);
}

/** Percent text with as few digits as the value needs (thresholds: 5%, 0.5%, 1.25%). */
export function pctExact(x: number | null | undefined, locale: Locale): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  let d = 0;
  while (d < 3 && Math.abs(Math.round(x * 100 * 10 ** d) - x * 100 * 10 ** d) > 1e-6) d++;
  return formatValue(x, 'percent', locale, d);
}

/** A d3 format string for a percent axis whose largest value is `max`. */
export function percentFormat(max: number): string {
  return max >= 0.2 ? '.0%' : max >= 0.02 ? '.1%' : '.2%';
}

/**
 * Constant label expression for compact amounts (1.2万 / 3.4亿 in zh-CN, 12K / 3.4M / 1.2B in
 * en-US). A constant: no data value is ever spliced into it.
 */
export function compactLabelExpr(locale: Locale): string {
  return locale === 'zh-CN'
    ? "abs(datum.value) >= 1e8 ? format(datum.value / 1e8, '.3~r') + '亿' : abs(datum.value) >= 1e4 ? format(datum.value / 1e4, '.3~r') + '万' : format(datum.value, ',~r')"
    : "abs(datum.value) >= 1e9 ? format(datum.value / 1e9, '.3~r') + 'B' : abs(datum.value) >= 1e6 ? format(datum.value / 1e6, '.3~r') + 'M' : abs(datum.value) >= 1e3 ? format(datum.value / 1e3, '.3~r') + 'K' : format(datum.value, ',~r')";
}

// ---------------------------------------------------------------------------------------------
// Validation

const REQUIRED: Record<OverdueDisplay, string[]> = {
  buckets: ['month', 'bucket', 'value'],
  rates: ['month', 'rate'],
  flows: ['month', 'transition', 'rate'],
  rollrate: ['from', 'to', 'share'],
};

/**
 * The first field a display needs that the result's rows lack (checked on the first rows), or
 * null when the result fits. Presentational hosts get a clear error instead of an empty chart.
 */
export function missingField(display: OverdueDisplay, r: MetricResult): string | null {
  const rows = r.data.slice(0, 20);
  for (const f of REQUIRED[display]) {
    if (rows.some((row) => !row || typeof row !== 'object' || !(f in row))) return f;
  }
  return null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

// ---------------------------------------------------------------------------------------------
// Models

/** One drawn cell of the bucket trend. */
export interface BucketPoint {
  month: string;
  label: string;
  bucket: string;
  index: number;
  /** Amount (or count) in the bucket; null for a month missing from the data. */
  value: number | null;
  /** Share of the month's total (all buckets, M0 included); null when unknown. */
  share: number | null;
  count: number | null;
  outstanding: number | null;
}

export interface BucketModel {
  months: string[];
  labels: string[];
  /** Every bucket of the result, in order. */
  buckets: string[];
  /** Buckets drawn (M0 left out when excluding current). */
  shown: string[];
  points: BucketPoint[];
  measure: 'amount' | 'count';
  /** M0's share of the latest month (for the note), when M0 was left out. */
  hiddenShare: number | null;
}

/** Bucket-trend model. `excludeCurrent` leaves bucket index 0 (M0) out of the drawing. */
export function bucketModel(r: MetricResult, locale: Locale, excludeCurrent: boolean): BucketModel {
  const rows = r.data as Array<Record<string, unknown>>;
  const declared = bucketLabelsOf(r);
  const seen = new Set<string>(rows.map((x) => str(x['bucket'])));
  const buckets = declared.filter((b) => seen.has(b));
  for (const b of seen) if (!buckets.includes(b)) buckets.push(b);
  const months = fillMonths(rows.map((x) => str(x['month'])));
  const byKey = new Map<string, Record<string, unknown>>();
  for (const x of rows) byKey.set(`${str(x['month'])}|${str(x['bucket'])}`, x);
  const idx = (b: string): number => {
    const i = declared.indexOf(b);
    return i >= 0 ? i : buckets.indexOf(b);
  };
  const shown = excludeCurrent && buckets.length > 1 ? buckets.filter((b) => idx(b) !== 0) : buckets;
  const points: BucketPoint[] = [];
  const totals = new Map<string, number>();
  for (const month of months) {
    let tot = 0;
    for (const b of buckets) tot += num(byKey.get(`${month}|${b}`)?.['value']) ?? 0;
    totals.set(month, tot);
    for (const b of shown) {
      const x = byKey.get(`${month}|${b}`);
      const value = x ? num(x['value']) : null;
      const share = x ? (num(x['share']) ?? (value !== null && tot > 0 ? value / tot : null)) : null;
      points.push({
        month,
        label: formatMonth(month, locale),
        bucket: b,
        index: idx(b),
        value,
        share,
        count: x ? num(x['count']) : null,
        outstanding: x ? num(x['outstanding']) : null,
      });
    }
  }
  let hiddenShare: number | null = null;
  if (shown.length < buckets.length && months.length) {
    const last = months[months.length - 1]!;
    const x = byKey.get(`${last}|${buckets.find((b) => idx(b) === 0) ?? ''}`);
    const v = x ? num(x['value']) : null;
    const tot = totals.get(last) ?? 0;
    hiddenShare = x ? (num(x['share']) ?? (v !== null && tot > 0 ? v / tot : null)) : null;
  }
  const measure = (r.basis?.measure === 'count' || r.meta?.['measure'] === 'count' ? 'count' : 'amount') as
    'amount' | 'count';
  return {
    months,
    labels: months.map((x) => formatMonth(x, locale)),
    buckets,
    shown,
    points,
    measure,
    hiddenShare,
  };
}

/** One overdue-rate series (an Mk+ threshold at a lag). */
export interface RateSeries {
  key: string;
  k: number;
  /** `M1+` etc. */
  bucket: string;
  lag: number;
  label: string;
  color: string;
  dash: number[];
  /** Point shape (one per level k). */
  shape: string;
}

export interface RatePoint {
  month: string;
  label: string;
  key: string;
  series: string;
  rate: number | null;
  numerator: number | null;
  denominator: number | null;
}

export interface RateModel {
  months: string[];
  labels: string[];
  series: RateSeries[];
  points: RatePoint[];
  measure: 'amount' | 'count';
}

/** Colour of an Mk+ series: accent for M1+, then deeper reds, contrast-checked on the background. */
export function seriesColor(k: number, colors: OverdueColors): string {
  const ramp = [colors.accent, '#e8743b', '#c03a3a', '#9b2226'];
  const c = k <= 1 ? ramp[0]! : k <= 2 ? ramp[1]! : k <= 3 ? ramp[1]! : k <= 4 ? ramp[2]! : ramp[3]!;
  return ensureContrast(c, colors.bg, 3);
}

/**
 * Overdue-rate model. Accepts the element's merged multi-series result (rows carry `k`, `lag`,
 * `bucket`) or a plain `overdue_rate` result (one series, taken from `meta` / `basis.options`).
 */
export function rateModel(r: MetricResult, locale: Locale, colors: OverdueColors): RateModel {
  const rows = r.data as Array<Record<string, unknown>>;
  const defK = num(r.meta?.['k']) ?? num(r.basis?.options?.['k']) ?? 1;
  const defLag = num(r.meta?.['lag']) ?? num(r.basis?.options?.['lag']) ?? 0;
  const defBucket = typeof r.meta?.['bucket'] === 'string' ? (r.meta['bucket'] as string) : `M${defK}+`;
  const series = new Map<string, RateSeries>();
  const points: RatePoint[] = [];
  const months = fillMonths(rows.map((x) => str(x['month'])));
  const byKey = new Map<string, Record<string, unknown>>();
  for (const x of rows) {
    const k = num(x['k']) ?? defK;
    const lag = num(x['lag']) ?? defLag;
    const bucket =
      typeof x['bucket'] === 'string' ? (x['bucket'] as string) : k === defK ? defBucket : `M${k}+`;
    const group = x['group'] === undefined ? '' : ` · ${str(x['group']) || '—'}`;
    const key = `${bucket}|${lag}${group}`;
    if (!series.has(key)) {
      series.set(key, {
        key,
        k,
        bucket,
        lag,
        label:
          (lag === 0
            ? m(locale, 'seriesCoincident', { k: bucket })
            : m(locale, 'seriesLagged', { k: bucket, lag })) + group,
        color: seriesColor(k, colors),
        dash: lag === 0 ? [] : [6, 4],
        shape: SHAPES[Math.max(0, [1, 3, 4, 2, 5, 6, 7].indexOf(k)) % SHAPES.length]!,
      });
    }
    byKey.set(`${str(x['month'])}|${key}`, x);
  }
  const ordered = [...series.values()].sort(
    (a, b) => a.k - b.k || a.lag - b.lag || a.key.localeCompare(b.key),
  );
  for (const s of ordered) {
    for (const month of months) {
      const x = byKey.get(`${month}|${s.key}`);
      points.push({
        month,
        label: formatMonth(month, locale),
        key: s.key,
        series: s.label,
        rate: x ? num(x['rate']) : null,
        numerator: x ? num(x['numerator']) : null,
        denominator: x ? num(x['denominator']) : null,
      });
    }
  }
  const measure = (r.basis?.measure === 'count' ? 'count' : 'amount') as 'amount' | 'count';
  return { months, labels: months.map((x) => formatMonth(x, locale)), series: ordered, points, measure };
}

export interface FlowSeries {
  key: string;
  from: string;
  to: string;
  color: string;
  /** Point shape (one per transition). */
  shape: string;
}

export interface FlowPoint {
  month: string;
  label: string;
  key: string;
  from: string;
  rate: number | null;
  numerator: number | null;
  denominator: number | null;
  /** Loans in `from` at t − 1, when the metric gives them. */
  fromLoans: number | null;
  /** Under the metric's `minLoans`: drawn hollow, kept out of the axis range, not joined by the line. */
  small: boolean;
}

export interface FlowModel {
  months: string[];
  labels: string[];
  series: FlowSeries[];
  points: FlowPoint[];
  /** Chained loss rate per month (same months), null where a flow is missing. */
  chained: Array<{ month: string; rate: number | null }>;
  chainedLabel: string;
}

/** Flow-rate model: one line per transition, coloured by the bucket flowed into. */
export function flowModel(r: MetricResult, locale: Locale, colors: OverdueColors): FlowModel {
  const rows = r.data as Array<Record<string, unknown>>;
  const flows = rows.filter((x) => x['kind'] !== 'chained');
  const chainedRows = rows.filter((x) => x['kind'] === 'chained');
  const labels = bucketLabelsOf(r);
  const order: string[] = Array.isArray(r.meta?.['transitions'])
    ? (r.meta['transitions'] as string[]).slice()
    : [];
  for (const x of flows) if (!order.includes(str(x['transition']))) order.push(str(x['transition']));
  const present = new Set(flows.map((x) => str(x['transition'])));
  const keys = order.filter((k) => present.has(k));
  const series: FlowSeries[] = keys.map((key, i) => {
    const row = flows.find((x) => str(x['transition']) === key);
    const [f, t] = key.split('→');
    const from = str(row?.['from']) || f || key;
    const to = str(row?.['to']) || t || key;
    const ti = labels.indexOf(to);
    const base = ti >= 0 ? bucketColor(ti, labels.length) : colors.accent;
    return { key, from, to, color: ensureContrast(base, colors.bg, 3), shape: SHAPES[i % SHAPES.length]! };
  });
  const months = fillMonths(rows.map((x) => str(x['month'])));
  const byKey = new Map<string, Record<string, unknown>>();
  for (const x of flows) byKey.set(`${str(x['month'])}|${str(x['transition'])}`, x);
  const points: FlowPoint[] = [];
  for (const s of series) {
    for (const month of months) {
      const x = byKey.get(`${month}|${s.key}`);
      points.push({
        month,
        label: formatMonth(month, locale),
        key: s.key,
        from: s.from,
        rate: x ? num(x['rate']) : null,
        numerator: x ? num(x['numerator']) : null,
        denominator: x ? num(x['denominator']) : null,
        fromLoans: x ? num(x['fromLoans']) : null,
        small: x?.['small'] === true,
      });
    }
  }
  const chainedBy = new Map(chainedRows.map((x) => [str(x['month']), num(x['rate'])]));
  const chainedLabel =
    typeof r.meta?.['chained'] === 'string'
      ? (r.meta['chained'] as string)
      : str(chainedRows[0]?.['transition']) || `${labels[0] ?? 'M0'}→${labels[labels.length - 1] ?? ''}`;
  return {
    months,
    labels: months.map((x) => formatMonth(x, locale)),
    series,
    points,
    chained: months.map((month) => ({ month, rate: chainedBy.get(month) ?? null })),
    chainedLabel,
  };
}

export interface RollCell {
  from: string;
  to: string;
  fromLabel: string;
  toLabel: string;
  share: number | null;
  loans: number | null;
  amount: number | null;
  value: number | null;
  /** Cell text (percent); empty when too small to print or 0. */
  text: string;
  /** `light` text on dark fills, `dark` text on light fills. */
  tone: 'light' | 'dark';
  /** Fill colour the share maps to (for the text tone and tests). */
  fill: string;
}

export interface RollModel {
  rows: string[];
  rowLabels: string[];
  columns: string[];
  columnLabels: string[];
  cells: RollCell[];
  totals: Map<string, { loans: number; amount: number; value: number }>;
  t0: string | null;
  t1: string | null;
  measure: 'count' | 'amount';
}

/** The two ends of the roll-rate heat scale, per theme background. */
export function heatRange(colors: OverdueColors): [string, string] {
  return luminance(colors.bg) > 0.4 ? ['#eef3fb', '#0b3a82'] : ['#1b2638', '#7cc4fa'];
}

/** Localised roll-rate column label (`closed` → 结清 / Closed). */
export function stateLabel(state: string, locale: Locale): string {
  return state === 'closed' || state === 'written_off' || state === 'missing' ? m(locale, state) : state;
}

/** Roll-rate model: rows = t0 bucket, columns = t1 state; the `missing` column only when used. */
export function rollModel(r: MetricResult, locale: Locale, colors: OverdueColors): RollModel {
  const data = r.data as Array<Record<string, unknown>>;
  const declaredRows = Array.isArray(r.meta?.['rows']) ? (r.meta['rows'] as string[]) : bucketLabelsOf(r);
  const declaredCols = Array.isArray(r.meta?.['columns'])
    ? (r.meta['columns'] as string[])
    : [...declaredRows, 'closed', 'written_off', 'missing'];
  const rows = declaredRows.slice();
  for (const x of data) if (!rows.includes(str(x['from']))) rows.push(str(x['from']));
  let columns = declaredCols.slice();
  for (const x of data) if (!columns.includes(str(x['to']))) columns.push(str(x['to']));
  const used = new Set(
    data
      .filter((x) => (num(x['value']) ?? num(x['loans']) ?? 0) > 0 || (num(x['share']) ?? 0) > 0)
      .map((x) => str(x['to'])),
  );
  columns = columns.filter((c) => c !== 'missing' || used.has('missing'));
  const measure = (r.basis?.measure === 'amount' || r.meta?.['measure'] === 'amount' ? 'amount' : 'count') as
    'count' | 'amount';
  const totals = new Map<string, { loans: number; amount: number; value: number }>();
  const metaTotals = Array.isArray(r.meta?.['totals'])
    ? (r.meta['totals'] as Array<Record<string, unknown>>)
    : [];
  for (const row of rows) {
    const mt = metaTotals.find((x) => x['from'] === row);
    if (mt)
      totals.set(row, {
        loans: num(mt['loans']) ?? 0,
        amount: num(mt['amount']) ?? 0,
        value: num(mt['value']) ?? 0,
      });
    else {
      const cells = data.filter((x) => str(x['from']) === row);
      totals.set(row, {
        loans: cells.reduce((a, x) => a + (num(x['loans']) ?? 0), 0),
        amount: cells.reduce((a, x) => a + (num(x['amount']) ?? 0), 0),
        value: cells.reduce((a, x) => a + (num(x['value']) ?? 0), 0),
      });
    }
  }
  const rowLabel = (b: string): string => {
    const t = totals.get(b)!;
    return measure === 'amount'
      ? m(locale, 'rowAmount', { bucket: b, n: formatCompact(t.amount, locale) })
      : m(locale, 'rowLoans', { bucket: b, n: formatValue(t.loans, 'count', locale) });
  };
  const rowLabels = rows.map(rowLabel);
  const columnLabels = columns.map((c) => stateLabel(c, locale));
  const [lo, hi] = heatRange(colors);
  const byKey = new Map<string, Record<string, unknown>>();
  for (const x of data) byKey.set(`${str(x['from'])}|${str(x['to'])}`, x);
  const cells: RollCell[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < columns.length; j++) {
      const x = byKey.get(`${rows[i]}|${columns[j]}`);
      const share = x ? num(x['share']) : null;
      const fill = share === null ? colors.surface : mix(lo, hi, Math.max(0, Math.min(1, share)));
      const tone = contrast('#ffffff', fill) >= contrast('#111827', fill) ? 'light' : 'dark';
      cells.push({
        from: rows[i]!,
        to: columns[j]!,
        fromLabel: rowLabels[i]!,
        toLabel: columnLabels[j]!,
        share,
        loans: x ? num(x['loans']) : null,
        amount: x ? num(x['amount']) : null,
        value: x ? num(x['value']) : null,
        text:
          share === null || share === 0
            ? ''
            : share < 0.001
              ? '<0.1%'
              : pct(share, locale, share >= 0.995 ? 0 : 1),
        tone,
        fill,
      });
    }
  }
  const t0 =
    typeof r.meta?.['t0'] === 'string' ? (r.meta['t0'] as string) : str(r.basis?.options?.['t0']) || null;
  const t1 =
    typeof r.meta?.['t1'] === 'string' ? (r.meta['t1'] as string) : str(r.basis?.options?.['t1']) || null;
  return { rows, rowLabels, columns, columnLabels, cells, totals, t0, t1, measure };
}

// ---------------------------------------------------------------------------------------------
// Specs

/** Options every spec builder takes. */
export interface SpecOptions {
  locale: Locale;
  /** Total width of the view in px (axes included). */
  width: number;
  /** Plot height in px (trend displays). */
  height?: number;
  colors: OverdueColors;
  /** Selected months (`YYYY-MM`), highlighted. */
  selectedMonths?: string[];
  /** Selected bucket (label), highlighted where the display draws buckets. */
  selectedBucket?: string | null;
  /** Text alternative; Vega puts it on the view container as its aria-label. */
  description?: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function frame(o: SpecOptions, height: number): Spec {
  return {
    $schema: SCHEMA,
    ...(o.description ? { description: o.description } : {}),
    width: Math.max(120, Math.floor(o.width)),
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 2, right: 10, top: 8, bottom: 2 },
    config: MARKS_HIDDEN,
  };
}

/**
 * Marks stay out of the accessibility tree: hundreds of unlabeled areas, points and bands are
 * noise to a screen reader (and Vega leaves path-mark containers without a name). The view's
 * `description` (the summary) names the chart; the axes stay readable; the table view and the
 * legend / row-header buttons give the values and the selection.
 */
const MARKS_HIDDEN = { mark: { aria: false } };

/** The shared month x encoding: band scale over the calendar-filled months, thinned labels. */
function monthX(
  labels: string[],
  months: string[],
  o: SpecOptions,
  yAxisWidth: number,
): Record<string, unknown> {
  const ticks = monthTicks(months, o.locale, Math.max(60, o.width - yAxisWidth - 14));
  return {
    field: 'label',
    type: 'ordinal',
    // No padding: the month bands tile the plot, so the hover / click band of a month has no
    // gaps (bars get their own gap through a relative width).
    scale: { type: 'band', domain: labels, paddingInner: 0, paddingOuter: 0 },
    axis: {
      title: null,
      labelAngle: 0,
      values: ticks.values,
      labelOverlap: false,
      labelPadding: 4,
      ticks: true,
      domain: true,
      grid: false,
    },
  };
}

/** A transparent full-height band per month: month tooltip and click (select a month). */
function monthHover(months: string[], labels: string[], x: Record<string, unknown>): Spec {
  return {
    name: 'months',
    data: { values: months.map((month, i) => ({ month, label: labels[i], role: 'month' })) },
    mark: { type: 'rect', fill: 'transparent', cursor: 'pointer', tooltip: { content: 'data' } },
    encoding: { x },
  };
}

/** Faint bands behind the selected months. */
function monthHighlight(
  o: SpecOptions,
  months: string[],
  labels: string[],
  x: Record<string, unknown>,
): Spec[] {
  const sel = new Set(o.selectedMonths ?? []);
  const values = months.map((month, i) => ({ month, label: labels[i] })).filter((d) => sel.has(d.month));
  if (!values.length) return [];
  return [
    {
      data: { values },
      mark: { type: 'rect', fill: o.colors.accent, opacity: 0.14 },
      encoding: { x },
    },
  ];
}

/** Approximate y-axis label width (px) for values up to `max`, for label thinning and the title. */
function yLabelWidth(kind: 'amount' | 'percent' | 'count', max: number, locale: Locale): number {
  if (kind === 'percent')
    return textWidth(formatValue(max, 'percent', locale, max >= 0.2 ? 0 : max >= 0.02 ? 1 : 2)) + 2;
  return textWidth(kind === 'count' ? formatValue(max, 'count', locale) : formatCompact(max, locale)) + 2;
}

/**
 * A y axis whose title reads horizontally above the axis (Chinese charts put the unit there;
 * a rotated 余额 reads sideways), left-aligned with the tick labels.
 */
function yAxis(title: string, labelWidth: number, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    title,
    titleAngle: 0,
    titleAnchor: 'end',
    titleAlign: 'left',
    titleBaseline: 'bottom',
    titleX: -(labelWidth + 8),
    titleY: -8,
    titleFontWeight: 'normal',
    tickCount: 5,
    grid: true,
    gridOpacity: 0.6,
    labelPadding: 4,
    ...extra,
  };
}

export interface BucketSpecOptions extends SpecOptions {
  chartType?: 'area' | 'bar';
  share?: boolean;
}

/** Stacked area (or bars) of outstanding / count / share per bucket over months. */
export function bucketSpec(model: BucketModel, o: BucketSpecOptions): Spec {
  const height = o.height ?? 240;
  const share = !!o.share;
  const kind = share ? 'percent' : model.measure === 'count' ? 'count' : 'amount';
  const values = model.points.map((p) => ({ ...p, y: share ? p.share : p.value }));
  let max = 0;
  const stackTotals = new Map<string, number>();
  for (const p of values) if (p.y !== null) stackTotals.set(p.month, (stackTotals.get(p.month) ?? 0) + p.y);
  for (const v of stackTotals.values()) max = Math.max(max, v);
  const lw = yLabelWidth(kind, max, o.locale);
  const x = monthX(model.labels, model.months, o, lw + 10);
  const colors = bucketColors(model);
  const selected = o.selectedBucket ?? null;
  const bar = o.chartType === 'bar';
  const title = share
    ? m(o.locale, model.measure === 'count' ? 'shareOfLoans' : 'shareOfBook')
    : m(o.locale, model.measure === 'count' ? 'loans' : 'outstanding');
  const main: Spec = {
    data: { values },
    mark: bar
      ? { type: 'bar', width: { band: 0.76 }, stroke: o.colors.bg, strokeWidth: 0.5 }
      : { type: 'area', opacity: 0.88, line: { strokeWidth: 1, stroke: o.colors.bg }, interpolate: 'linear' },
    encoding: {
      x: bar ? x : { ...x, bandPosition: 0.5 },
      y: {
        field: 'y',
        type: 'quantitative',
        stack: 'zero',
        scale: { zero: true, nice: true },
        axis: yAxis(
          title,
          lw,
          share
            ? { format: percentFormat(max) }
            : kind === 'count'
              ? { format: ',~r' }
              : { labelExpr: compactLabelExpr(o.locale) },
        ),
      },
      color: {
        field: 'bucket',
        type: 'nominal',
        scale: { domain: model.shown, range: colors },
        legend: null,
      },
      order: { field: 'index', type: 'quantitative', sort: 'ascending' },
      ...(selected && model.shown.includes(selected)
        ? {
            opacity: {
              field: 'bucket',
              type: 'nominal',
              scale: { domain: model.shown, range: model.shown.map((b) => (b === selected ? 1 : 0.35)) },
              legend: null,
            },
          }
        : {}),
    },
  };
  return {
    ...frame(o, height),
    layer: [
      ...monthHighlight(o, model.months, model.labels, x),
      main,
      monthHover(model.months, model.labels, x),
    ],
  };
}

function totalBuckets(model: BucketModel): number {
  return Math.max(model.buckets.length, ...model.points.map((p) => p.index + 1));
}

function bucketIndex(model: BucketModel, b: string): number {
  const p = model.points.find((x) => x.bucket === b);
  return p ? p.index : model.buckets.indexOf(b);
}

/** Colours of the drawn buckets, in `model.shown` order (for the HTML legend). */
export function bucketColors(model: BucketModel): string[] {
  return model.shown.map((b) => bucketColor(Math.max(0, bucketIndex(model, b)), totalBuckets(model)));
}

export interface RateSpecOptions extends SpecOptions {
  /** Alert threshold (fraction, e.g. 0.05); points above it are highlighted. */
  threshold?: number | null;
}

/** Points above the threshold (for the highlight layer, the note and the summary). */
export function aboveThreshold(model: RateModel, threshold: number | null | undefined): RatePoint[] {
  if (threshold === null || threshold === undefined || !Number.isFinite(threshold)) return [];
  return model.points.filter((p) => p.rate !== null && p.rate > threshold);
}

/**
 * The top of a rate axis that keeps the bulk readable: flow rates over small denominators can
 * reach 500% or 50,000% and flatten every other line. When the largest value is far above the
 * 90th percentile the axis stops at max(100%, 1.25 × p90), rounded up; points above it are drawn
 * as markers on the top edge. Returns null when no cap is needed.
 */
/** A round axis top at or above `max`: steps of 10 % up to 100 %, of 25 % above. */
export function niceTop(max: number): number {
  const step = max <= 1 ? 0.1 : 0.25;
  return Math.round(Math.ceil(max / step - 1e-9) * step * 1e6) / 1e6;
}

export function rateCap(rates: Array<number | null>): number | null {
  const v = rates.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length < 4) return null;
  const max = v[v.length - 1]!;
  const pos = 0.9 * (v.length - 1);
  const lo = Math.floor(pos);
  const q90 = v[lo]! + (v[Math.min(lo + 1, v.length - 1)]! - v[lo]!) * (pos - lo);
  const raw = Math.max(1, q90 * 1.25);
  const step = raw <= 2 ? 0.25 : raw <= 5 ? 0.5 : 1;
  const cap = Math.ceil(raw / step - 1e-9) * step;
  return max > cap * 1.05 ? cap : null;
}

/** Tick values of a capped rate axis: 0 … cap in steps of 25% / 50% / 100%. */
export function capTicks(cap: number): number[] {
  const step = cap <= 2 ? 0.25 : cap <= 5 ? 0.5 : 1;
  const out: number[] = [];
  for (let v = 0; v <= cap + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/** The point shapes series cycle through (besides colour, so lines are told apart without it). */
export const SHAPES = [
  'circle',
  'square',
  'diamond',
  'triangle-up',
  'triangle-down',
  'cross',
  'triangle-right',
  'triangle-left',
] as const;

/** Lines over months with shaped points: shared by rates and flows. */
function lineLayers(
  values: Array<Record<string, unknown>>,
  series: Array<{ key: string; color: string; dash: number[]; shape: string }>,
  x: Record<string, unknown>,
  y: Record<string, unknown>,
  o: SpecOptions,
  clip: boolean,
): Spec[] {
  const keys = series.map((s) => s.key);
  const enc = {
    x: { ...x, bandPosition: 0.5 },
    y,
    color: {
      field: 'key',
      type: 'nominal',
      scale: { domain: keys, range: series.map((s) => s.color) },
      legend: null,
    },
  };
  return [
    {
      data: { values },
      mark: { type: 'line', strokeWidth: 2, interpolate: 'linear', clip },
      encoding: {
        ...enc,
        strokeDash: {
          field: 'key',
          type: 'nominal',
          scale: { domain: keys, range: series.map((s) => s.dash) },
          legend: null,
        },
      },
    },
    {
      data: { values },
      mark: {
        type: 'point',
        filled: true,
        size: 26,
        stroke: o.colors.bg,
        strokeWidth: 0.5,
        opacity: 1,
        clip,
      },
      encoding: {
        ...enc,
        shape: {
          field: 'key',
          type: 'nominal',
          scale: { domain: keys, range: series.map((s) => s.shape) },
          legend: null,
        },
      },
    },
  ];
}

/** Overdue-rate lines (Mk+, coincident solid, lagged dashed) with an optional alert rule. */
export function rateSpec(model: RateModel, o: RateSpecOptions): Spec {
  const height = o.height ?? 240;
  const values = model.points.map((p) => ({ ...p }));
  const threshold =
    o.threshold !== null && o.threshold !== undefined && Number.isFinite(o.threshold) ? o.threshold : null;
  let max = threshold ?? 0;
  for (const p of values) if (p.rate !== null && p.rate > max) max = p.rate;
  const lw = yLabelWidth('percent', max, o.locale);
  const x = monthX(model.labels, model.months, o, lw + 10);
  const yScale = { zero: true, nice: true };
  const y = {
    field: 'rate',
    type: 'quantitative',
    scale: yScale,
    axis: yAxis(m(o.locale, 'overdueRate'), lw, { format: percentFormat(max) }),
  };
  const layers: Spec[] = [...monthHighlight(o, model.months, model.labels, x)];
  const alert = ensureContrast(o.colors.bad, o.colors.bg, 4.5);
  if (threshold !== null) {
    layers.push({
      data: { values: [{ rate: threshold }] },
      mark: { type: 'rule', color: alert, strokeDash: [4, 3], strokeWidth: 1.5 },
      encoding: { y },
    });
  }
  layers.push(...lineLayers(values, model.series, x, y, o, false));
  const above = aboveThreshold(model, threshold);
  if (above.length) {
    // A ring around each point above the line: highlighted, and the series shape stays visible.
    layers.push({
      data: { values: above.map((p) => ({ ...p })) },
      mark: { type: 'point', filled: false, size: 110, color: alert, strokeWidth: 2, opacity: 1 },
      encoding: { x: { ...x, bandPosition: 0.5 }, y },
    });
  }
  layers.push(monthHover(model.months, model.labels, x));
  return { ...frame(o, height), layer: layers };
}

/** Flow-rate lines, one per transition, coloured by the bucket flowed into. */
/** DPD edges of the flows an analyst reads: M0, M1, M2, M3 and M4+ (the later buckets collapsed). */
export const MAIN_FLOW_EDGES: readonly number[] = [0, 1, 31, 61, 91];

/** Rates that set a flow chart's axis: small-sample points stay out of its range. */
export function flowAxisRates(model: FlowModel): Array<number | null> {
  return model.points.map((p) => (p.small ? null : p.rate));
}

export function flowSpec(model: FlowModel, o: SpecOptions): Spec {
  const height = o.height ?? 240;
  const selected = o.selectedBucket ?? null;
  // The line joins the readable points only; small-sample points are drawn hollow on their own.
  const values = model.points.map((p) => ({ ...p, rate: p.small ? null : p.rate }));
  const smalls = model.points.filter((p) => p.small && p.rate !== null).map((p) => ({ ...p }));
  const axisRates = flowAxisRates(model);
  const cap = rateCap(axisRates);
  let max = 0;
  for (const r of axisRates) if (r !== null && r > max) max = r;
  // Small points above the readable range: a fixed top, where they sit clipped to the edge.
  const fixed = cap === null && max > 0 && smalls.some((p) => p.rate! > max) ? niceTop(max) : null;
  const top = cap ?? fixed ?? max;
  const lw = yLabelWidth('percent', top, o.locale);
  const x = monthX(model.labels, model.months, o, lw + 10);
  const y = {
    field: 'rate',
    type: 'quantitative',
    scale: cap === null && fixed === null ? { zero: true, nice: true } : { domain: [0, top], nice: false },
    // A capped axis is labelled up to its top, where the ▲ overflow marks sit.
    axis: yAxis(m(o.locale, 'flowRate'), lw, {
      format: percentFormat(top),
      ...(cap === null ? {} : { values: capTicks(cap) }),
    }),
  };
  const clip = cap !== null || fixed !== null;
  const series = model.series.map((s) => ({ ...s, dash: [] }));
  const layers = lineLayers(values, series, x, y, o, clip);
  if (smalls.length) {
    const keys = series.map((s) => s.key);
    const by = (range: unknown[]): Record<string, unknown> => ({
      field: 'key',
      type: 'nominal',
      scale: { domain: keys, range },
      legend: null,
    });
    // Hollow: the series' shape and colour, outlined; above a fixed top they sit on its edge.
    layers.push({
      data: { values: smalls.map((p) => ({ ...p, rate: clip ? Math.min(p.rate!, top) : p.rate })) },
      mark: { type: 'point', filled: false, size: 30, strokeWidth: 1.5, opacity: 0.9, clip },
      encoding: {
        x: { ...x, bandPosition: 0.5 },
        y,
        color: by(series.map((s) => s.color)),
        shape: by(series.map((s) => s.shape)),
      },
    });
  }
  if (cap !== null) {
    const over = values.filter((p) => p.rate !== null && p.rate > cap).map((p) => ({ ...p, rate: cap }));
    const keys = model.series.map((s) => s.key);
    layers.push({
      data: { values: over },
      mark: {
        type: 'point',
        shape: 'triangle-up',
        filled: true,
        size: 70,
        stroke: o.colors.bg,
        strokeWidth: 1,
        opacity: 1,
        yOffset: 6,
      },
      encoding: {
        x: { ...x, bandPosition: 0.5 },
        y,
        color: {
          field: 'key',
          type: 'nominal',
          scale: { domain: keys, range: model.series.map((s) => s.color) },
          legend: null,
        },
      },
    });
  }
  if (selected && model.series.some((s) => s.from === selected)) {
    const keys = model.series.map((s) => s.key);
    for (const l of layers) {
      (l['encoding'] as Record<string, unknown>)['opacity'] = {
        field: 'key',
        type: 'nominal',
        scale: { domain: keys, range: model.series.map((s) => (s.from === selected ? 1 : 0.2)) },
        legend: null,
      };
    }
  }
  return {
    ...frame(o, height),
    layer: [
      ...monthHighlight(o, model.months, model.labels, x),
      ...layers,
      monthHover(model.months, model.labels, x),
    ],
  };
}

/** Roll-rate heat table: rows = bucket at t0, columns = state at t1, percent labels in cells. */
export function rollSpec(model: RollModel, o: SpecOptions): Spec {
  const rowH = 26;
  const yW = Math.max(...model.rowLabels.map((l) => textWidth(l))) + 14;
  const plotW = Math.max(60, o.width - yW - 16);
  const colW = plotW / Math.max(1, model.columns.length);
  const maxColLabel = Math.max(...model.columnLabels.map((l) => textWidth(l)));
  const angle = maxColLabel + 6 <= colW ? 0 : -45;
  const showText = colW >= 34;
  const selected = o.selectedBucket ?? null;
  const height = rowH * Math.max(1, model.rows.length);
  const t0 = model.t0 ? formatMonth(model.t0, o.locale) : 't0';
  const t1 = model.t1 ? formatMonth(model.t1, o.locale) : 't1';
  const x = {
    field: 'toLabel',
    type: 'ordinal',
    scale: { domain: model.columnLabels, paddingInner: 0.06, paddingOuter: 0 },
    axis: {
      orient: 'top',
      title: m(o.locale, 'stateAtT1', { t1 }),
      labelAngle: angle,
      ...(angle ? { labelAlign: 'left', labelBaseline: 'middle' } : {}),
      labelOverlap: false,
      ticks: false,
      domain: false,
      labelPadding: 4,
    },
  };
  const y = {
    field: 'fromLabel',
    type: 'ordinal',
    scale: { domain: model.rowLabels, paddingInner: 0.08, paddingOuter: 0 },
    axis: { title: m(o.locale, 'bucketAtT0', { t0 }), ticks: false, domain: false, labelPadding: 6 },
  };
  const [lo, hi] = heatRange(o.colors);
  const cells = model.cells.map((c) => ({ ...c }));
  const layers: Spec[] = [
    {
      data: { values: cells },
      mark: { type: 'rect', fill: o.colors.surface, stroke: o.colors.border, strokeWidth: 0.5 },
      encoding: { x, y },
    },
    {
      name: 'cells',
      data: { values: cells },
      mark: { type: 'rect', cursor: 'pointer', tooltip: { content: 'data' } },
      encoding: {
        x,
        y,
        color: {
          field: 'share',
          type: 'quantitative',
          scale: { domain: [0, 1], range: [lo, hi], interpolate: 'rgb' },
          legend: null,
        },
      },
    },
    {
      data: { values: cells.filter((c) => c.from === c.to) },
      mark: { type: 'rect', filled: false, stroke: o.colors.fg, strokeWidth: 1, strokeOpacity: 0.55 },
      encoding: { x, y },
    },
  ];
  if (selected && model.rows.includes(selected)) {
    layers.push({
      data: { values: cells.filter((c) => c.from === selected) },
      mark: { type: 'rect', filled: false, stroke: o.colors.accent, strokeWidth: 2.5 },
      encoding: { x, y },
    });
  }
  if (showText) {
    layers.push({
      data: { values: cells.filter((c) => c.text !== '') },
      mark: { type: 'text', fontSize: colW >= 46 ? 11 : 10, cursor: 'pointer', tooltip: { content: 'data' } },
      encoding: {
        x,
        y,
        text: { field: 'text', type: 'nominal' },
        color: {
          field: 'tone',
          type: 'nominal',
          scale: { domain: ['dark', 'light'], range: ['#111827', '#ffffff'] },
          legend: null,
        },
      },
    });
  }
  return {
    $schema: SCHEMA,
    ...(o.description ? { description: o.description } : {}),
    width: Math.max(120, Math.floor(o.width)),
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 2, right: 10, top: 4, bottom: 4 },
    config: MARKS_HIDDEN,
    layer: layers,
  };
}

// ---------------------------------------------------------------------------------------------
// Rates: several overdue_rate results merged into one

/** One `overdue_rate` query the rates display makes. */
export interface RateRequest {
  k: number;
  lag: number;
}

/**
 * The series the rates display draws: each level k coincident, and lagged when `lag` is not 0
 * (`'auto'`: lag = k months, the usual pairing of an Mk+ balance with the book k months before).
 */
export function rateRequests(levels: number[], lag: number | 'auto', bucketCount: number): RateRequest[] {
  const ks = [...new Set(levels.filter((k) => Number.isInteger(k) && k >= 1 && k < bucketCount))].sort(
    (a, b) => a - b,
  );
  if (!ks.length) ks.push(1);
  const out: RateRequest[] = ks.map((k) => ({ k, lag: 0 }));
  for (const k of ks) {
    const l = lag === 'auto' ? k : Math.max(0, Math.floor(lag));
    if (l > 0) out.push({ k, lag: l });
  }
  return out;
}

/**
 * Merge the `overdue_rate` results of `rateRequests` into one result: rows gain `k`, `lag` and
 * `bucket`; the basis is the first (coincident M1+) basis with the other series' formulas as
 * notes; quality is the first's (every series reads the same rows) with warnings united.
 */
export function mergeRateResults(parts: Array<{ req: RateRequest; result: MetricResult }>): MetricResult {
  const first = parts[0]!.result;
  const data: Array<Record<string, unknown>> = [];
  const notes = [...(first.basis.notes ?? [])];
  const warnings = [...(first.quality?.warnings ?? [])];
  const seenWarn = new Set(warnings.map((w) => JSON.stringify(w)));
  for (const { req, result } of parts) {
    const bucket =
      typeof result.meta?.['bucket'] === 'string' ? (result.meta['bucket'] as string) : `M${req.k}+`;
    for (const row of result.data) data.push({ ...row, k: req.k, lag: req.lag, bucket });
    if (result !== first) {
      const title = pick(result.basis.title, 'zh-CN');
      const titleEn = pick(result.basis.title, 'en-US');
      notes.push({
        'zh-CN': `${title}${req.lag ? `（滞后 ${req.lag} 月）` : ''}：${pick(result.basis.formula, 'zh-CN')}`,
        'en-US': `${titleEn}${req.lag ? ` (lagged ${req.lag} mo)` : ''}: ${pick(result.basis.formula, 'en-US')}`,
      });
    }
    for (const w of result.quality?.warnings ?? []) {
      const key = JSON.stringify(w);
      if (!seenWarn.has(key)) {
        seenWarn.add(key);
        warnings.push(w);
      }
    }
  }
  const ks = [...new Set(parts.map((p) => p.req.k))];
  const lags = [...new Set(parts.map((p) => p.req.lag))];
  const out: MetricResult = {
    data,
    basis: {
      ...first.basis,
      title: {
        'zh-CN': msg('zh-CN', 'titleRates', undefined, OVERDUE_AREA),
        'en-US': msg('en-US', 'titleRates', undefined, OVERDUE_AREA),
      },
      options: { ...first.basis.options, k: ks, lag: lags },
      notes,
    },
    quality: { ...first.quality, warnings },
    meta: { ...(first.meta ?? {}), series: parts.map((p) => p.req), k: ks, lag: lags },
  };
  if (data.length === 0)
    out.empty = first.empty ?? { 'zh-CN': '所选范围内没有数据', 'en-US': 'No data in the selected range' };
  return out;
}
