/**
 * Number, currency, percent and date formatting for both locales. zh-CN compact notation uses
 * 万 (1e4) and 亿 (1e8) — the units Chinese banking reports use — and en-US uses K/M/B.
 */

export type Locale = 'zh-CN' | 'en-US';
export type ValueFormat = 'number' | 'compact' | 'currency' | 'currency-compact' | 'percent' | 'count' | 'days';

export const LOCALES: Locale[] = ['zh-CN', 'en-US'];

/** Normalise any locale tag to a supported one (zh* → zh-CN, else en-US). */
export function toLocale(tag: string | null | undefined): Locale {
  return tag && /^zh/i.test(tag) ? 'zh-CN' : 'en-US';
}

const nfCache = new Map<string, Intl.NumberFormat>();
function nf(locale: Locale, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = locale + JSON.stringify(opts);
  let f = nfCache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, opts);
    nfCache.set(key, f);
  }
  return f;
}

/** Significant-ish digits for compact numbers: 1.23万, 12.3万, 123万. */
function compactDigits(x: number): number {
  const a = Math.abs(x);
  return a >= 100 ? 0 : a >= 10 ? 1 : 2;
}

/** Compact: 12,345 → 1.23万 (zh-CN) / 12.3K (en-US); 4.56e8 → 4.56亿 / 456M. */
export function formatCompact(x: number, locale: Locale): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (locale === 'zh-CN') {
    if (a >= 1e12) return trim((x / 1e12).toFixed(compactDigits(x / 1e12))) + '万亿';
    if (a >= 1e8) return trim((x / 1e8).toFixed(compactDigits(x / 1e8))) + '亿';
    if (a >= 1e4) return trim((x / 1e4).toFixed(compactDigits(x / 1e4))) + '万';
    return nf(locale, { maximumFractionDigits: a < 10 ? 2 : 0 }).format(x);
  }
  // Three significant digits, like zh-CN: 1.23K, 12.3K, 123K, 1.23M (not 12.35K / 123.46K).
  return nf(locale, { notation: 'compact', maximumSignificantDigits: 3 }).format(x);
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Format a value for display; null/NaN/Infinity render as an em dash, never "NaN". */
export function formatValue(x: number | null | undefined, format: ValueFormat, locale: Locale, digits?: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const v = Object.is(x, -0) ? 0 : x;
  switch (format) {
    case 'percent':
      return nf(locale, { style: 'percent', minimumFractionDigits: digits ?? 2, maximumFractionDigits: digits ?? 2 }).format(v);
    case 'currency':
      return nf(locale, { style: 'currency', currency: 'CNY', maximumFractionDigits: digits ?? 2, minimumFractionDigits: digits ?? 2 }).format(v);
    case 'currency-compact':
      return (locale === 'zh-CN' ? '¥' : 'CN¥') + formatCompact(v, locale);
    case 'compact':
      return formatCompact(v, locale);
    case 'count':
      return nf(locale, { maximumFractionDigits: 0 }).format(v);
    case 'days':
      return nf(locale, { maximumFractionDigits: digits ?? 1 }).format(v) + (locale === 'zh-CN' ? '天' : ' d');
    default:
      return nf(locale, { maximumFractionDigits: digits ?? 2 }).format(v);
  }
}

/** Signed delta for comparisons: +1.23万 / −4.5% (uses the real minus sign). */
export function formatDelta(x: number | null | undefined, format: ValueFormat, locale: Locale, digits?: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const s = formatValue(Math.abs(x), format, locale, digits);
  return x > 0 ? `+${s}` : x < 0 ? `\u2212${s}` : s;
}

/** Percentage points for rate deltas: +0.35pp / +0.35个百分点. */
export function formatPoints(x: number | null | undefined, locale: Locale): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const s = (Math.abs(x) * 100).toFixed(2);
  const sign = x > 0 ? '+' : x < 0 ? '\u2212' : '';
  return locale === 'zh-CN' ? `${sign}${s}个百分点` : `${sign}${s} pp`;
}

/** 'YYYY-MM' → 2023年6月 / Jun 2023. */
export function formatMonth(ym: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})/.exec(ym);
  if (!m) return ym;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (locale === 'zh-CN') return `${y}年${mo}月`;
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${names[mo - 1]} ${y}`;
}

/** 'YYYY-MM-DD' → 2023年6月5日 / Jun 5, 2023. */
export function formatDay(ymd: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
  if (!m) return ymd;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (locale === 'zh-CN') return `${y}年${mo}月${d}日`;
  return `${formatMonth(ymd, locale).split(' ')[0]} ${d}, ${y}`;
}

/** Format a period label of any unit: months, days, hours, weekdays, or pass-through. */
export function formatPeriod(p: string | number, locale: Locale, unit?: 'month' | 'day' | 'hour' | 'dow' | 'week' | 'quarter'): string {
  if (unit === 'hour') return locale === 'zh-CN' ? `${p}时` : `${String(p).padStart(2, '0')}:00`;
  if (unit === 'dow') {
    const i = Number(p) - 1;
    return locale === 'zh-CN' ? (['周一', '周二', '周三', '周四', '周五', '周六', '周日'][i] ?? String(p)) : (['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][i] ?? String(p));
  }
  const s = String(p);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return formatDay(s, locale);
  if (/^\d{4}-\d{2}$/.test(s)) return formatMonth(s, locale);
  const q = /^(\d{4})-Q([1-4])$/.exec(s);
  if (q) return locale === 'zh-CN' ? `${q[1]}年第${q[2]}季度` : `Q${q[2]} ${q[1]}`;
  return s;
}
