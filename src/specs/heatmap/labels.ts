/** Heatmap dimension labels (months, weekdays, time parts), domain order, text width, nice ticks and digits. */
import { formatPeriod } from '../../format/number.js';
import type { Locale, ValueFormat } from '../../format/number.js';
import type { DimPart, HeatKey, HeatRow } from './types.js';

export const LABEL_MIN_WIDTH = 28;
export const LABEL_MIN_HEIGHT = 18;
export const AXIS_FONT = 11;
export const CELL_FONT = 10;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTHS_LONG = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DOWS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Index 0–11 of an English month name or abbreviation ('may', 'Jun', 'september'), else −1. */
export function monthNameIndex(s: string): number {
  const l = s.trim().toLowerCase();
  const i = MONTHS.indexOf(l);
  return i >= 0 ? i : MONTHS_LONG.indexOf(l);
}

function dowNameIndex(s: string): number {
  return DOWS.indexOf(s.trim().toLowerCase().slice(0, 3));
}

/**
 * Localised label of a key: hour 0时 / 00:00, weekday 周一 / Mon, month 2023年6月 / Jun 2023,
 * week (its Monday) 2023年6月5日周 / Wk Jun 5, 2023, quarter, year, booleans 是/否; categories
 * pass through unless `names` says the whole domain is English month or weekday names (the
 * bank-marketing `month` column), which are localised too (5月 / May).
 */
export function dimLabel(
  key: HeatKey,
  part: DimPart,
  locale: Locale,
  blank = locale === 'zh-CN' ? '(空)' : '(blank)',
  names: 'month' | 'dow' | null = null,
): string {
  if (key === null || key === undefined || key === '') return blank;
  if (typeof key === 'boolean') return locale === 'zh-CN' ? (key ? '是' : '否') : key ? 'Yes' : 'No';
  switch (part) {
    case 'hour':
    case 'dow':
      return formatPeriod(Number(key), locale, part);
    case 'month':
    case 'day':
    case 'quarter':
      return formatPeriod(String(key), locale);
    case 'week': {
      const s = formatPeriod(String(key), locale);
      return locale === 'zh-CN' ? `${s}周` : `Wk ${s}`;
    }
    case 'year':
      return locale === 'zh-CN' ? `${key}年` : String(key);
    default: {
      const s = String(key);
      if (names === 'month') {
        const m = monthNameIndex(s);
        if (m >= 0) return locale === 'zh-CN' ? `${m + 1}月` : EN_MONTHS[m]!;
      }
      if (names === 'dow') {
        const d = dowNameIndex(s);
        if (d >= 0) return formatPeriod(d + 1, locale, 'dow');
      }
      return s;
    }
  }
}

/** Whether a category domain is made only of English month names or weekday abbreviations. */
export function nameKind(part: DimPart, keys: HeatKey[]): 'month' | 'dow' | null {
  if (part !== 'category' || keys.length === 0 || !keys.every((k) => typeof k === 'string')) return null;
  const strs = keys as string[];
  if (strs.every((k) => monthNameIndex(k) >= 0)) return 'month';
  if (strs.every((k) => k.length === 3 && dowNameIndex(k) >= 0)) return 'dow';
  return null;
}

export const keyId = (k: HeatKey): string => (k === null || k === undefined ? '\u0000' : `${typeof k}:${k}`);

/**
 * Order of a dimension's keys: the given domain (keys missing from it but present in the rows are
 * appended), else derived: numbers ascending, time labels ascending, categories as they came.
 * Category domains made only of English month (or weekday) names are put in calendar order.
 */
export function orderDomain(
  given: HeatKey[] | null | undefined,
  rows: HeatRow[],
  dim: 'x' | 'y',
  part: DimPart,
): HeatKey[] {
  const seen = new Set<string>();
  const out: HeatKey[] = [];
  const add = (k: HeatKey): void => {
    const id = keyId(k);
    if (!seen.has(id)) {
      seen.add(id);
      out.push(k === undefined ? null : k);
    }
  };
  for (const k of given ?? []) add(k);
  for (const r of rows) add(r[dim]);
  if (!given || given.length === 0) {
    if (part !== 'category') out.sort(cmpKey);
  }
  const names = nameKind(part, out);
  if (names === 'month') out.sort((a, b) => monthNameIndex(String(a)) - monthNameIndex(String(b)));
  else if (names === 'dow') out.sort((a, b) => dowNameIndex(String(a)) - dowNameIndex(String(b)));
  return out;
}

function cmpKey(a: HeatKey, b: HeatKey): number {
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && String(a).trim() !== '' && String(b).trim() !== '')
    return na - nb;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Approximate rendered width of a text, on the wide side (DejaVu/Noto metrics): CJK 1 em,
 * digits 0.64 em, % 0.95 em. Used when no canvas measurer is given (node).
 */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x2e80) w += 1;
    else if (ch === '%') w += 0.95;
    else if (/[MW@]/.test(ch)) w += 0.9;
    else if (/[A-Z#&]/.test(ch)) w += 0.7;
    else if (/[0-9$¥]/.test(ch)) w += 0.64;
    else if (/[ .,:;'!|ijlft()\-/]/.test(ch)) w += 0.34;
    else if (/[mw]/.test(ch)) w += 0.9;
    else w += 0.6;
  }
  return w * size;
}

/** Nice ticks in [lo, hi] (d3's algorithm, simplified): steps of 1, 2 or 5 × 10^k. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const span = hi - lo;
  const raw = span / Math.max(1, count);
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const err = raw / pow;
  const step = (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1) * pow;
  const out: number[] = [];
  const start = Math.ceil(lo / step - 1e-9);
  const end = Math.floor(hi / step + 1e-9);
  for (let i = start; i <= end; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** Fraction digits that tell ticks `step` apart in a format (percent 0.05 → 0, 0.005 → 1). */
export function digitsForStep(step: number, format: ValueFormat): number {
  if (!(step > 0)) return format === 'percent' ? 1 : 0;
  const s = format === 'percent' ? step * 100 : step;
  return Math.max(0, Math.min(4, -Math.floor(Math.log10(s) + 1e-9)));
}
