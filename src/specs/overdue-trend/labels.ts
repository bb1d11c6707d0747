/** Months (index, fill, ticks), bucket labels and DPD ranges, bucket filter clauses, percent formats. */
import type { FilterClause, MetricResult } from '../../engine/types.js';
import { formatMonth, formatValue } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import { DEFAULT_EDGES } from './displays.js';
import { m } from './shared.js';

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
