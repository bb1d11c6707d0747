/**
 * Readable text of a result's basis parts that are data, not prose: the options a metric ran with
 * and the filters applied (`k=3; buckets: M1, M2, M3+` rather than raw JSON), for the basis panel
 * and export headers.
 */
import type { FilterClause } from '../engine/types.js';
import type { Locale } from './number.js';

const BOOL: Record<Locale, [string, string]> = { 'zh-CN': ['是', '否'], 'en-US': ['yes', 'no'] };

/** One option or filter value as text: lists joined, objects as `key: value`, booleans localised. */
export function valueText(v: unknown, locale: Locale): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return BOOL[locale][v ? 0 : 1];
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '—';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => valueText(x, locale)).join(locale === 'zh-CN' ? '、' : ', ');
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${valueText(x, locale)}`)
      .join(locale === 'zh-CN' ? '；' : '; ');
  return String(v);
}

/** The options a metric ran with, as `name=value` parts. */
export function optionsText(options: Record<string, unknown> | undefined, locale: Locale): string {
  return Object.entries(options ?? {})
    .map(([k, v]) => `${k}=${valueText(v, locale)}`)
    .join(locale === 'zh-CN' ? '；' : '; ');
}

/** Lists longer than this are shown as their first LIST_HEAD values and a count. */
const LIST_MAX = 12;
const LIST_HEAD = 5;

/** A filter clause as a readable condition: `region = 华东`, `product ∈ A, B`, `amount 0 – 100`, `dpd ≥ 30`. */
export function filterText(f: FilterClause, locale: Locale): string {
  if (f.op === 'eq') return `${f.field} = ${valueText(f.value, locale)}`;
  if (f.op === 'in') {
    // A long list (an RFM segment's customers) reads as its first values and a count.
    if (f.value.length > LIST_MAX) {
      const head = valueText(f.value.slice(0, LIST_HEAD), locale);
      const n = f.value.length.toLocaleString(locale);
      return `${f.field} ∈ ${head}${locale === 'zh-CN' ? ` 等 ${n} 项` : ` … (${n} in all)`}`;
    }
    return `${f.field} ∈ ${valueText(f.value, locale)}`;
  }
  const [lo, hi] = f.value;
  if (lo === null || lo === undefined) return `${f.field} ≤ ${valueText(hi, locale)}`;
  if (hi === null || hi === undefined) return `${f.field} ≥ ${valueText(lo, locale)}`;
  return `${f.field} ${valueText(lo, locale)} – ${valueText(hi, locale)}`;
}

/** Every filter, joined. */
export function filtersText(filters: readonly FilterClause[] | undefined, locale: Locale): string {
  return (filters ?? []).map((f) => filterText(f, locale)).join(locale === 'zh-CN' ? '；' : '; ');
}
