/**
 * The range of dates a load accepts (issue 13 #2).
 *
 * A date such as `1899-12-31` or `9999-12-31` parses, but it is a placeholder or a typo, never a
 * bank event, and one such row poisons everything drawn over time: a period axis from 1899 to 9999
 * has 97,201 months (allocations sized by the data, minutes of rendering), a KPI's "latest period"
 * jumps to 9999-12. So every load has a valid range, by default 1970-01-01 … today + 5 years (a
 * loan's maturity or a promise-to-pay date may lie ahead; nothing lies decades ahead), and a
 * schema date outside it rejects the row as `out_of_range`, counted in the DataQualityReport like
 * a number outside its range. `IngestOptions.dateRange` changes it per load.
 */

const DAY = 86400000;

/** Default first accepted date (inclusive). */
export const DEFAULT_MIN_DATE = '1970-01-01';
/** Default years after today that are still accepted. */
export const DEFAULT_YEARS_AHEAD = 5;

/** `[from, to]` as `YYYY-MM-DD` strings, epoch ms or Dates (inclusive; `to` covers its whole day). */
export type DateRangeOption = [string | number | Date, string | number | Date];

/** Calendar day index (days since 1970-01-01) of a bound; numbers and Dates by their UTC date. */
function toDay(v: string | number | Date): number {
  let ms: number;
  if (typeof v === 'number') ms = v;
  else if (v instanceof Date) ms = v.getTime();
  else {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
    ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  }
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid dateRange bound: ${String(v)}`);
  return Math.floor(ms / DAY);
}

/**
 * The accepted range as calendar day indexes (days since 1970-01-01), inclusive. Dates are compared
 * by their calendar day in the data's time zone (the date column's `day` index), so `2031-12-06`
 * means that day wherever the data lives. `now` is injectable for tests.
 */
export function resolveDateRange(opt: DateRangeOption | undefined, now = Date.now()): [number, number] {
  if (opt) {
    const lo = toDay(opt[0]);
    const hi = toDay(opt[1]);
    if (lo > hi) throw new RangeError('dateRange: from is after to');
    return [lo, hi];
  }
  const d = new Date(now);
  const hi = Math.floor(
    Date.UTC(d.getUTCFullYear() + DEFAULT_YEARS_AHEAD, d.getUTCMonth(), d.getUTCDate()) / DAY,
  );
  return [toDay(DEFAULT_MIN_DATE), hi];
}

/** Mark rows whose date (present) falls on a day outside [lo, hi] with `code`, unless an earlier reason is set. */
export function checkDateRange(
  ms: Float64Array,
  day: Int32Array,
  n: number,
  lo: number,
  hi: number,
  code: number,
  rej: Uint8Array,
): void {
  for (let i = 0; i < n; i++) {
    const d = day[i]!;
    if (ms[i] !== ms[i] || (d >= lo && d <= hi)) continue;
    const cur = rej[i]!;
    if (cur === 0 || code < cur) rej[i] = code;
  }
}
