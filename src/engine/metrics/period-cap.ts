/**
 * A cap on every period axis (issue 13 #2): a metric drawn over time never allocates or draws more
 * than `MAX_PERIODS` periods, whatever the data's span. When the span is longer, the axis keeps the
 * latest `MAX_PERIODS` periods, rows before them are counted under `before_period_window`, and a
 * localised warning says so (the element shows its partial-data state). Ingestion's date range
 * (src/data/date-range.ts) already keeps absurd dates out; this bounds what a wide `dateRange`
 * option, or daily periods over decades, can still ask for.
 */
import type { LocalText } from '../types.js';
import { t } from '../metric.js';
import { FinError } from '../errors.js';

/** Most periods an axis shows (50 years of months; 600 days; 11 years of weeks). */
export const MAX_PERIODS = 600;

/** Exclusion reason of rows before the capped window. */
export const BEFORE_WINDOW = 'before_period_window';

export interface PeriodWindow {
  /** First period index kept. */
  lo: number;
  /** Periods in the data's span (before capping). */
  span: number;
  /** Whether the axis was cut. */
  capped: boolean;
}

/** The window of period indexes [lo, hi] to draw: all of it, or its latest MAX_PERIODS. */
export function capPeriods(lo: number, hi: number, max = MAX_PERIODS): PeriodWindow {
  const span = hi - lo + 1;
  return span > max ? { lo: hi - max + 1, span, capped: true } : { lo, span, capped: false };
}

/** The warning of a capped axis. */
export function periodCapWarning(span: number, max = MAX_PERIODS): LocalText {
  return t(
    `时间跨度 ${span} 个周期，超过上限 ${max}：仅显示最近 ${max} 个周期，更早的数据未计入`,
    `The data spans ${span} periods, more than the limit of ${max}: only the latest ${max} are shown; earlier rows are left out`,
  );
}

/** A month with fewer rows than this share of a typical (median) month is a stray at the end. */
export const STRAY_SHARE = 0.05;

/**
 * The latest day of the data, robust to a few stray future rows: months at the end of the span
 * holding fewer than `STRAY_SHARE` of the median month's rows are skipped (one transaction dated
 * 2031 among thousands a month does not move "the latest period"). Returns the day and what was
 * skipped, for the basis; null when no row has a date.
 */
export function robustLatestDay(
  day: Int32Array,
  list: Int32Array,
  monthOf: (day: number) => number,
): { day: number; skippedRows: number; skippedLatest: number | null } | null {
  const byMonth = new Map<number, { n: number; last: number }>();
  for (let k = 0; k < list.length; k++) {
    const d = day[list[k]!]!;
    if (d === NULL_DAY) continue;
    const m = monthOf(d);
    const e = byMonth.get(m);
    if (e) {
      e.n++;
      if (d > e.last) e.last = d;
    } else byMonth.set(m, { n: 1, last: d });
  }
  return latestOfMonths(byMonth);
}

/**
 * {@link robustLatestDay} from rows counted per month (`n`) with each month's latest day (`last`):
 * what a SQL backend's `GROUP BY` gives.
 */
export function latestOfMonths(
  byMonth: ReadonlyMap<number, { n: number; last: number }>,
): { day: number; skippedRows: number; skippedLatest: number | null } | null {
  if (byMonth.size === 0) return null;
  const months = [...byMonth.keys()].sort((a, b) => a - b);
  const counts = months.map((m) => byMonth.get(m)!.n).sort((a, b) => a - b);
  const median = counts[Math.floor(counts.length / 2)]!;
  const floor = median * STRAY_SHARE;
  let j = months.length - 1;
  let skippedRows = 0;
  while (j > 0 && byMonth.get(months[j]!)!.n < floor) skippedRows += byMonth.get(months[j--]!)!.n;
  return {
    day: byMonth.get(months[j]!)!.last,
    skippedRows,
    skippedLatest: skippedRows ? byMonth.get(months[months.length - 1]!)!.last : null,
  };
}

/** The missing marker of day indexes (dataset.ts NULL_INDEX). */
const NULL_DAY = -2147483648;

/**
 * For metrics whose matrix cannot be cut to a window (cohort × period): a typed error when the
 * span has more than `max` periods, before anything is allocated.
 */
export function assertPeriods(metric: string, span: number, max = MAX_PERIODS): void {
  if (span > max)
    throw new FinError(
      'bad_params',
      `${metric}: the data spans ${span} periods, more than the limit of ${max}; narrow the dates with a filter or a coarser unit`,
      { reason: 'too_many_periods', periods: span, max },
    );
}
