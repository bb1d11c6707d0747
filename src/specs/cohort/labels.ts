/** Cohort texts: sizes, period labels and axis titles, headers, cell values, and the colour domain. */
import { formatCompact, formatValue } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import type { CohortModel } from './model.js';
import { M } from './shared.js';

const enCompact3 = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });

/**
 * Size column text: counts in full below 10,000, else compact (1.23万 / 12.3K). Principal is
 * compact without the currency sign (the column header names it), three significant digits, so
 * the column stays narrow: 1055万 / 10.6M.
 */
export function sizeText(size: number | null, kind: CohortModel['sizeKind'], locale: Locale): string {
  if (size === null) return '—';
  if (kind === 'principal') return locale === 'zh-CN' ? formatCompact(size, locale) : enCompact3.format(size);
  return size < 1e4 ? formatValue(size, 'count', locale) : formatCompact(size, locale);
}

/** Column header of period index p: `p3` / `MOB3`. */
export function periodLabel(m: Pick<CohortModel, 'kind' | 'locale'>, p: number): string {
  return M(m.locale, m.kind === 'vintage' ? 'mobCol' : 'periodCol', { n: p });
}

/** Axis title of the period dimension. */
export function periodAxisTitle(m: Pick<CohortModel, 'kind' | 'unit' | 'locale'>): string {
  if (m.kind === 'vintage') return M(m.locale, 'axisMob');
  return M(m.locale, m.unit === 'week' ? 'axisWeek' : m.unit === 'quarter' ? 'axisQuarter' : 'axisMonth');
}

/** Name of the value: retention / active / amount retention / bad rate. */
export function valueName(m: Pick<CohortModel, 'kind' | 'measure' | 'locale'>): string {
  if (m.kind === 'vintage') return M(m.locale, 'valueVintage');
  return M(
    m.locale,
    m.measure === 'count' ? 'valueCount' : m.measure === 'amount' ? 'valueAmount' : 'valueRetention',
  );
}

/** Header of the row-label column and of the size column. */
export function headers(m: Pick<CohortModel, 'kind' | 'sizeKind' | 'locale'>): {
  cohort: string;
  size: string;
} {
  return {
    cohort: M(m.locale, m.kind === 'vintage' ? 'vintage' : 'cohort'),
    size: M(
      m.locale,
      m.sizeKind === 'principal' ? 'principal' : m.sizeKind === 'loans' ? 'loans' : 'customers',
    ),
  };
}

/** Format a cell value: percent for ratios, compact count otherwise; null → em dash. */
export function formatCell(
  m: Pick<CohortModel, 'valueKind' | 'locale'>,
  v: number | null,
  digits = 1,
): string {
  if (v === null) return '—';
  if (m.valueKind === 'count')
    return v < 1e4 ? formatValue(v, 'count', m.locale) : formatCompact(v, m.locale);
  return formatValue(v, 'percent', m.locale, digits);
}

/**
 * Colour domain `[lo, hi]` of the heat scale, chosen so that differences between cohorts show:
 * - Retention at p = 0 is 100% by definition (the count at p = 0 is the cohort size), so p = 0 is
 *   left out when later periods exist; it is clamped to the top colour.
 * - `lo` is the smallest value (0 when values reach down near 0; ratios floored to 5%), so a
 *   retention matrix between 80% and 100% is not drawn in one colour.
 * - `hi` is the largest value, or the 95th percentile when a few outliers exceed it by half again
 *   (one bad vintage must not wash out every other cohort). Values above are clamped; the legend
 *   says so (≥).
 */
export function colorDomain(m: CohortModel): [number, number] {
  const skipP0 = m.kind === 'retention' && m.periods > 1;
  let vals: number[] = [];
  for (const r of m.rows) r.values.forEach((v, p) => v !== null && !(skipP0 && p === 0) && vals.push(v));
  if (!vals.length) for (const r of m.rows) for (const v of r.values) if (v !== null) vals.push(v);
  vals = vals.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!vals.length) return [0, 1];
  const min = vals[0]!;
  const max = vals[vals.length - 1]!;
  let hi = max;
  if (vals.length >= 20) {
    const q = vals[Math.min(vals.length - 1, Math.floor(0.95 * (vals.length - 1)))]!;
    if (q > 0 && max > 1.5 * q) hi = q;
  }
  let lo = min < 0 ? min : min <= hi * 0.25 ? 0 : min;
  if (m.valueKind === 'ratio' && lo > 0) lo = Math.floor(lo * 20) / 20;
  if (!(hi > lo)) return lo > 0 ? [0, lo] : [lo, lo + 1];
  return [lo, hi];
}
