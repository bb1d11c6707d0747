/**
 * Overdue rate (逾期率), coincident or lagged, per snapshot month and optionally per group.
 *
 * Coincident: `rate(t) = Σ outstanding(bucket ≥ Mk at t) / Σ outstanding at t`.
 * Lagged (lag L): `rate(t) = Σ outstanding(bucket ≥ Mk at t) / Σ outstanding at t − L`.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { BasisContext, MetricDef } from '../metric.js';
import type { MetricResult } from '../types.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { BucketParams, BucketScale } from './dpd-buckets.js';
import { describeBuckets, plusLabel, resolveBuckets } from './dpd-buckets.js';
import type { Groups, LoanMonths } from './loan-months.js';
import {
  ACTIVE,
  TXT,
  WRITTEN_OFF,
  asOfLabel,
  groupOrder,
  groupsOf,
  monthLabel,
  openLoanMonths,
  pEnum,
  pNum,
  pStr,
} from './loan-months.js';

/** Parameters of `overdue_rate`. */
export interface OverdueRateParams extends BucketParams {
  /** Threshold bucket index: 1 → M1+ (dpd ≥ 1, default), 3 → M3+ (dpd ≥ 61), 4 → M4+ (dpd ≥ 91). */
  k?: number;
  /** Lag L in calendar months; 0 (default) is the coincident rate. */
  lag?: number;
  /** `amount` (Σ outstanding, default) or `count` (loans). */
  measure?: 'amount' | 'count';
  /** Optional breakdown: a category field of the source or of its loan (e.g. `region`, `product`). */
  by?: string;
}

/** One row of `overdue_rate`: one per snapshot month (× group when `by` is set). */
export type OverdueRateRow = {
  /** Snapshot month t, `YYYY-MM`. */
  month: string;
  /** Group value (only when `by` is set); null for a missing value. */
  group?: string | null;
  /** Σ outstanding (or loans) in bucket ≥ Mk at t. */
  numerator: number;
  /** Σ outstanding (or loans) in book at t (coincident) or at t − L (lagged); null when t − L is not in the data. */
  denominator: number | null;
  /** numerator / denominator; null when the denominator is 0 or not observed. */
  rate: number | null;
};

export const overdueRate: MetricDef = {
  id: 'overdue_rate',
  source: 'loan_months',
  reads: ['loans'],
  run(ctx, params, source) {
    const p = overdueParams(params);
    const lm = openLoanMonths(ctx, source);
    const groups: Groups | null = p.by ? groupsOf(ctx, source, p.by) : null;
    const range = { count: lm.count, minMonth: lm.minMonth, maxMonth: lm.maxMonth, maxDay: lm.maxDay };
    return overdueResult(ctx, p, overdueAggs(lm, null, [range], p, groups)[0]!);
  },
  runGrouped(groups, params, source) {
    // Two ascending passes over the base rows (each cell's month range, then its sums), one
    // accumulator set per cell (grouped.ts).
    const groupOf = groups.groupOf(source);
    if (!groupOf) return null;
    const p = overdueParams(params);
    const lm = openLoanMonths(groups.base, source);
    const by: Groups | null = p.by ? groupsOf(groups.base, source, p.by) : null;
    const ranges = cellRanges(lm, groupOf, groups.cells.length);
    return overdueAggs(lm, groupOf, ranges, p, by).map((a, c) => overdueResult(groups.cells[c]!, p, a));
  },
};

/** A cell's rows, month range and latest day, as `openLoanMonths` gives them for one selection. */
interface CellRange {
  count: number;
  minMonth: number;
  maxMonth: number;
  maxDay: number;
}

/** groupOf → month column → per-cell ranges (read-only; the requests of one set share them). */
const CELL_RANGES = new WeakMap<Int32Array, WeakMap<Int32Array, CellRange[]>>();

/**
 * Per cell (`groupOf` of each selected row): its row count and `monthRange` of its rows. Cached
 * per `groupOf` (one per dimension set and dataset in a build, cells outside the base selection
 * −1) and month column: every overdue-rate request of the set reads the same ranges.
 */
export function cellRanges(lm: LoanMonths, groupOf: Int32Array, C: number): CellRange[] {
  let perMonth = CELL_RANGES.get(groupOf);
  if (!perMonth) CELL_RANGES.set(groupOf, (perMonth = new WeakMap()));
  const hit = perMonth.get(lm.month);
  if (hit && hit.length === C) return hit;
  const out = computeCellRanges(lm, groupOf, C);
  perMonth.set(lm.month, out);
  return out;
}

function computeCellRanges(lm: LoanMonths, groupOf: Int32Array, C: number): CellRange[] {
  const out: CellRange[] = [];
  for (let c = 0; c < C; c++)
    out.push({ count: 0, minMonth: 2147483647, maxMonth: NULL_INDEX, maxDay: NULL_INDEX });
  const { rows, count, month, day } = lm;
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    const c = groupOf[i]!;
    if (c < 0) continue;
    const r = out[c]!;
    r.count++;
    const m = month[i]!;
    if (m === NULL_INDEX) continue;
    if (m < r.minMonth) r.minMonth = m;
    if (m > r.maxMonth) r.maxMonth = m;
    const d = day[i]!;
    if (d > r.maxDay) r.maxDay = d;
  }
  for (const r of out) if (r.maxMonth === NULL_INDEX) r.minMonth = NULL_INDEX;
  return out;
}

/**
 * The row loop over `lm`'s selected rows: the aggregates of that selection (`groupOf` null, one
 * range), or of every cell at once (`groupOf`: the cell of each row, −1 none; `ranges` per cell).
 * Per cell the rows are met in ascending order, exactly as when the cell runs on its own.
 */
function overdueAggs(
  lm: LoanMonths,
  groupOf: Int32Array | null,
  ranges: CellRange[],
  p: OverdueParamsResolved,
  groups: Groups | null,
): OverdueAgg[] {
  const { scale, k, measure } = p;
  const G = groups ? groups.count : 1;
  const gcodes = groups ? groups.codes : null;
  const nullG = groups ? groups.nullGroup : 0;
  const order = groupOrder(groups);
  const C = ranges.length;
  // Every cell's (month × group) grid in one array: cell c at off[c], its months from m0[c].
  const off = new Int32Array(C + 1);
  const m0 = new Int32Array(C);
  for (let c = 0; c < C; c++) {
    const r = ranges[c]!;
    const M = r.maxMonth === NULL_INDEX ? 0 : r.maxMonth - r.minMonth + 1;
    m0[c] = r.minMonth;
    off[c + 1] = off[c]! + M * G;
  }
  const num = new Float64Array(off[C]!);
  const den = new Float64Array(off[C]!);
  const seen = new Uint8Array(off[C]!);
  const used = new Float64Array(C);
  const missingDpd = new Float64Array(C);
  const missingOut = new Float64Array(C);
  const missingSnap = new Float64Array(C);
  const closed = new Float64Array(C);
  const writtenOff = new Float64Array(C);
  const { rows, count, month, dpd, outstanding } = lm;
  const sc = lm.statusCodes;
  const sk = lm.statusKind;
  const kEdge = scale.edges[k]!;
  const amount = measure === 'amount';
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    let c = 0;
    if (groupOf) {
      c = groupOf[i]!;
      if (c < 0) continue;
    }
    const m = month[i]!;
    if (m === NULL_INDEX) {
      missingSnap[c]!++;
      continue;
    }
    let g = 0;
    if (gcodes) {
      g = gcodes[i]!;
      if (g < 0) g = nullG;
    }
    const cell = off[c]! + (m - m0[c]!) * G + g;
    seen[cell] = 1;
    const si = sc[i]!;
    const st = si < 0 ? ACTIVE : sk[si]!;
    if (st !== ACTIVE) {
      if (st === WRITTEN_OFF) writtenOff[c]!++;
      else closed[c]!++;
      continue;
    }
    const d = dpd[i]!;
    if (!(d >= 0)) {
      missingDpd[c]!++;
      continue;
    }
    let v = 1;
    if (amount) {
      v = outstanding[i]!;
      if (v !== v) {
        missingOut[c]!++;
        continue;
      }
    }
    used[c]!++;
    den[cell]! += v;
    // bucket ≥ k ⇔ dpd ≥ edges[k] (edges ascending)
    if (d >= kEdge) num[cell]! += v;
  }
  const aggs: OverdueAgg[] = [];
  for (let c = 0; c < C; c++) {
    const r = ranges[c]!;
    const lo = off[c]!;
    const hi = off[c + 1]!;
    aggs.push({
      count: r.count,
      maxDay: r.maxDay,
      m0: r.minMonth,
      M: (hi - lo) / G,
      G,
      num: num.subarray(lo, hi),
      den: den.subarray(lo, hi),
      seen: seen.subarray(lo, hi),
      order,
      labels: groups ? groups.labels : null,
      used: used[c]!,
      excluded: {
        missing_snapshot: missingSnap[c]!,
        missing_dpd: missingDpd[c]!,
        missing_outstanding: missingOut[c]!,
        closed: closed[c]!,
        written_off: writtenOff[c]!,
      },
    });
  }
  return aggs;
}

/** Resolved, validated params of `overdue_rate` (shared by the memory engine and the SQL compilers). */
export interface OverdueParamsResolved {
  scale: BucketScale;
  k: number;
  lag: number;
  measure: 'amount' | 'count';
  by: string | null;
}

/** Validate the params of `overdue_rate` (same errors on every backend). */
export function overdueParams(params: Record<string, unknown> | null | undefined): OverdueParamsResolved {
  const scale = resolveBuckets(params);
  const nb = scale.edges.length;
  const k = pNum(params, 'k', 1, { int: true, min: 1, max: nb - 1 });
  const lag = pNum(params, 'lag', 0, { int: true, min: 0, max: 1200 });
  const measure = pEnum(params, 'measure', ['amount', 'count'] as const, 'amount');
  const by = pStr(params, 'by');
  return { scale, k, lag, measure, by };
}

/**
 * Aggregates of `overdue_rate` per (month, group) cell: what the row loop (memory) or a GROUP BY
 * (SQL backends) computes. Cell index `(month − m0) · G + group`.
 */
export interface OverdueAgg {
  /** Rows considered (after filters) and the latest snapshot day (NULL_INDEX when none). */
  count: number;
  maxDay: number;
  m0: number;
  M: number;
  G: number;
  num: Float64Array;
  den: Float64Array;
  seen: Uint8Array;
  /** Group indexes in output order, and labels (null when no `by`). */
  order: number[];
  labels: Array<string | null> | null;
  used: number;
  excluded: Record<string, number>;
}

/** Shape the aggregates into the result (rows, basis, quality): one definition for every backend. */
export function overdueResult(
  ctx: BasisContext,
  p: OverdueParamsResolved,
  a: OverdueAgg,
): MetricResult<object> {
  const { scale, k, lag, measure, by } = p;
  const { M, G, m0, num, den, seen, order, used } = a;
  const groups = a.labels ? { labels: a.labels } : null;
  const amount = measure === 'amount';
  const kEdge = scale.edges[k]!;
  const lm = { count: a.count, maxDay: a.maxDay };
  const data: OverdueRateRow[] = [];
  const months: string[] = [];
  if (used > 0) {
    for (let mo = 0; mo < M; mo++) {
      let any = false;
      for (const g of order) {
        const cell = mo * G + g;
        if (!seen[cell]) continue;
        any = true;
        let d: number | null;
        if (lag === 0) d = den[cell]!;
        else {
          const lmo = mo - lag;
          d = lmo >= 0 && seen[lmo * G + g] ? den[lmo * G + g]! : null;
        }
        const n = num[cell]!;
        const row: OverdueRateRow = {
          month: monthLabel(m0 + mo),
          numerator: r10(n),
          denominator: d === null ? null : r10(d),
          rate: d === null ? null : ratio(n, d),
        };
        if (groups) row.group = groups.labels[g]!;
        data.push(row);
      }
      if (any) months.push(monthLabel(m0 + mo));
    }
  }
  const kl = plusLabel(scale, k);
  const variant = lag === 0 ? 'coincident' : 'lagged';
  const unit = amount ? t('余额', 'outstanding') : t('笔数', 'loans');
  const basis = makeBasis(ctx, {
    metric: 'overdue_rate',
    title: t(`${kl} 逾期率`, `${kl} overdue rate`),
    formula:
      lag === 0
        ? t(
            `t 月 ${kl}（dpd ≥ ${kEdge}）${unit['zh-CN']} / t 月在册总${unit['zh-CN']}`,
            `${unit['en-US']} in ${kl} (dpd ≥ ${kEdge}) at t / total in-book ${unit['en-US']} at t`,
          )
        : t(
            `t 月 ${kl}（dpd ≥ ${kEdge}）${unit['zh-CN']} / (t − ${lag}) 月在册总${unit['zh-CN']}`,
            `${unit['en-US']} in ${kl} (dpd ≥ ${kEdge}) at t / total in-book ${unit['en-US']} at t − ${lag}`,
          ),
    numerator: t(`t 月处于 ${kl} 的在册${unit['zh-CN']}`, `In-book ${unit['en-US']} in ${kl} at t`),
    denominator:
      lag === 0
        ? t(`t 月在册总${unit['zh-CN']}`, `Total in-book ${unit['en-US']} at t`)
        : t(`t − ${lag} 月在册总${unit['zh-CN']}`, `Total in-book ${unit['en-US']} at t − ${lag}`),
    measure,
    asOf: asOfLabel(lm.maxDay),
    variant,
    options: { k, lag, measure, by, edges: scale.edges, labels: scale.labels },
    exclusions: [TXT.inBook, TXT.missingDpd, TXT.missingOutstanding],
    notes: [
      describeBuckets(scale),
      TXT.calendar,
      ...(lag > 0
        ? [
            t(
              `滞后口径按定义取全部借据：分子不限于 t − ${lag} 月已存在的借据。t − ${lag} 月不在所选数据中时分母为 null，逾期率为 null（含被日期筛选截掉的月份）。`,
              `Lagged, as defined: the numerator is not restricted to loans present at t − ${lag}. When t − ${lag} is not in the selection the denominator and the rate are null (including months cut off by a date filter).`,
            ),
          ]
        : []),
      ...(by
        ? [
            t(
              `按 ${by} 分组，分子分母均在组内计算；缺失值单独成组（group 为 null）。`,
              `Grouped by ${by}; numerator and denominator within each group; missing values form their own group (group null).`,
            ),
          ]
        : []),
    ],
  });
  const quality = makeQuality(lm.count, used, a.excluded);
  return result(data, basis, quality, { months, k, bucket: kl, lag, measure, groups: groups ? by : null });
}
