/** Amount and share formatting used by every `<fin-fund-flow>` view (compact, exact, signed, percent). */
import { formatCompact, formatValue } from '../../format/number.js';
import type { Locale } from '../../format/number.js';

/** Constant label expression for compact amounts (1.2万 / 3.4亿; 12K / 3.4M / 1.2B). No data inside. */
export function compactLabelExpr(locale: Locale): string {
  return locale === 'zh-CN'
    ? "abs(datum.value) >= 1e8 ? format(datum.value / 1e8, '.3~r') + '亿' : abs(datum.value) >= 1e4 ? format(datum.value / 1e4, '.3~r') + '万' : format(datum.value, ',~r')"
    : "abs(datum.value) >= 1e9 ? format(datum.value / 1e9, '.3~r') + 'B' : abs(datum.value) >= 1e6 ? format(datum.value / 1e6, '.3~r') + 'M' : abs(datum.value) >= 1e3 ? format(datum.value / 1e3, '.3~r') + 'K' : format(datum.value, ',~r')";
}

/** Compact CNY amount: ¥1,234 / ¥5.6万 / ¥7.89亿 (zh-CN), CN¥5.6K / CN¥78.9M (en-US). */
export function money(v: number | null | undefined, locale: Locale): string {
  return formatValue(v ?? null, 'currency-compact', locale);
}

const fixed2 = new Map<Locale, Intl.NumberFormat>();
/** An exact amount with two decimals and grouping (669,224.38), no currency sign; '—' for none. */
export function amount2(v: number | null | undefined, locale: Locale): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  let f = fixed2.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    fixed2.set(locale, f);
  }
  return f.format(Object.is(v, -0) ? 0 : v);
}

/** Signed compact amount with a real minus: +1.2万 / −3.4万. */
export function signedCompact(v: number | null | undefined, locale: Locale): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const s = formatCompact(Math.abs(v), locale);
  return v > 0 ? `+${s}` : v < 0 ? `\u2212${s}` : s;
}

/** Signed compact CNY amount: +¥1,750万 / −¥498万 (zh-CN), +CN¥17.5M / −CN¥4.98M (en-US). */
export function signedMoney(v: number | null | undefined, locale: Locale): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const s = money(Math.abs(v), locale);
  return v > 0 ? `+${s}` : v < 0 ? `\u2212${s}` : s;
}

/** Share as a percent with one decimal (0.1% floor shown as <0.1%). */
export function share(part: number | null, whole: number | null, locale: Locale): string {
  if (part === null || whole === null || !(whole > 0)) return '—';
  const s = part / whole;
  if (s > 0 && s < 0.001) return locale === 'zh-CN' ? '<0.1%' : '<0.1%';
  return formatValue(s, 'percent', locale, 1);
}
