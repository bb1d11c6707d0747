/**
 * `churn`: customer churn (METRICS.md, Churn). A customer active before T with no activity in the
 * last N days (default 90) has churned. Monthly churn rate = customers churning in the month /
 * customers active at its start.
 */
import { NULL_INDEX, dayLabel } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, ratio, result, t } from '../metric.js';
import type { FilterClause, LocalText, MetricResult } from '../types.js';
import {
  catCol,
  dateCol,
  dateFieldOf,
  dayParam,
  intParam,
  monthOfDay,
  monthStartDay,
  periodLabel,
  rowList,
  strParam,
  whereParam,
} from './generic-util.js';

/** One month of the churn series. */
export interface ChurnRow {
  /** `YYYY-MM`. */
  month: string;
  /** Customers with activity in the N days before the month's first day. */
  activeAtStart: number;
  /** Customers among them whose churn date (last activity + N days) falls in the month (up to T). */
  churned: number;
  /**
   * churned / activeAtStart; null when no one was active, or when the data does not yet cover the
   * N days before the month's start (too little history to observe churn: not 0).
   */
  rate: number | null;
}

/** Validated churn params (the memory order of checks; shared by the SQL compilation). */
export interface ChurnParams {
  entity: string;
  dateField: string;
  N: number;
  asOfDay: number | null;
  where: FilterClause[];
}

export function churnParams(params: Record<string, unknown>, source: string): ChurnParams {
  const entity = strParam(params, 'entity', 'customer_id');
  const dateField = dateFieldOf(source, params.dateField);
  const N = intParam(params, 'inactiveDays', 90, 1, 100000);
  const asOfDay = dayParam(params, 'asOf');
  const where = whereParam(params);
  return { entity, dateField, N, asOfDay, where };
}

/**
 * Each customer's activity up to T as runs: maximal sets of distinct activity days whose gaps
 * are at most N days, as `[first day, last day]` per run in time order. What the aggregation hands
 * the shaping: the memory loop derives runs from a bitmap of days, SQL from sorted day arrays.
 */
export interface ChurnAgg {
  T: number;
  minDay: number;
  rows: number;
  used: number;
  missingEntity: number;
  missingDate: number;
  afterAsOf: number;
  /** Per customer (with activity up to T) its runs: starts and ends, in time order. */
  customers: Array<{ starts: ArrayLike<number>; ends: ArrayLike<number> }>;
}

/** The memory aggregation: days per customer from a bitmap, chunked over customers. */
function churnAggregate(ctx: MetricContext, p: ChurnParams, source: string): ChurnAgg {
  const { entity, dateField, N, where } = p;
  const asOfParam = p.asOfDay;
  const ds = ctx.dataset(source);
  const ent = catCol(ctx, source, entity, 'entity');
  const day = dateCol(ctx, source, dateField).day;
  const list = rowList(ds, ctx.rows(source, where));

  let T = asOfParam ?? -2147483648;
  let minDay = 2147483647;
  let missingEntity = 0;
  let missingDate = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const d = day[i]!;
    if (ent.codes[i]! < 0) missingEntity++;
    else if (d === NULL_INDEX) missingDate++;
    else {
      if (asOfParam === null && d > T) T = d;
      if (d < minDay) minDay = d;
    }
  }
  const base = { T, minDay, rows: list.length, missingEntity, missingDate };
  if (!(T !== -2147483648 && minDay <= T)) return { ...base, used: 0, afterAsOf: 0, customers: [] };
  const span = T - minDay + 1;
  let used = 0;
  let afterAsOf = 0;
  const customers: ChurnAgg['customers'] = [];
  // Each customer's distinct activity days, ascending, from a bitmap of customer × day (no sort).
  // Customers are taken in chunks so the bitmap stays small (one pass over the rows per chunk).
  const D = ent.dict.length;
  const W = (span + 31) >>> 5;
  const chunk = Math.max(1, Math.floor((1 << 22) / W));
  const bits = new Int32Array(Math.min(D, chunk) * W);
  const days = new Int32Array(span);
  for (let c0 = 0; c0 < D; c0 += chunk) {
    const c1 = Math.min(D, c0 + chunk);
    if (c0 > 0) bits.fill(0);
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const e = ent.codes[i]!;
      if (e < c0 || e >= c1) continue;
      const d = day[i]!;
      if (d === NULL_INDEX) continue;
      if (d > T) {
        afterAsOf++;
        continue;
      }
      used++;
      const off = d - minDay;
      bits[(e - c0) * W + (off >>> 5)]! |= 1 << (off & 31);
    }
    for (let e = c0; e < c1; e++) {
      let nd = 0;
      const base = (e - c0) * W;
      for (let w = 0; w < W; w++) {
        let word = bits[base + w]!;
        while (word !== 0) {
          const low = word & -word;
          days[nd++] = minDay + (w << 5) + (31 - Math.clz32(low));
          word ^= low;
        }
      }
      if (nd === 0) continue;
      // Runs: a gap of more than N days between activity days ends one.
      const starts = [days[0]!];
      const ends: number[] = [];
      for (let j = 1; j < nd; j++) {
        if (days[j]! - days[j - 1]! > N) {
          ends.push(days[j - 1]!);
          starts.push(days[j]!);
        }
      }
      ends.push(days[nd - 1]!);
      customers.push({ starts, ends });
    }
  }
  return { ...base, used, afterAsOf, customers };
}

/** The monthly series, current state, basis and quality from the runs (every backend). */
export function churnResult(ctx: BasisContext, p: ChurnParams, agg: ChurnAgg): MetricResult<ChurnRow> {
  const { entity, dateField, N, where } = p;
  const { T, minDay, missingEntity, missingDate } = agg;
  const hasData = T !== -2147483648 && minDay <= T;
  const asOf = T === -2147483648 ? null : dayLabel(T);

  const notes: LocalText[] = [
    t(
      `流失日 = 某次活动后 ${N} 天内再无活动时，该活动日 + ${N} 天；客户可流失后回流并再次流失（同一月内只计一次）。月初活跃 = 月初前 ${N} 天内有活动。分子仅计月初活跃的客户，比率在 [0, 1]。`,
      `Churn date = an activity day + ${N} days when no activity follows within ${N} days; a customer may return and churn again (counted once per month). Active at a month's start = activity in the ${N} days before its first day. The numerator counts only customers active at the start, so the rate is in [0, 1].`,
    ),
    t(
      '序列从首次活动之后的第一个整月开始，至 T 所在月（该月只计截至 T 的流失，可能不完整）。',
      "The series runs from the first month starting after the first activity to T's month (which counts churn up to T only and may be partial).",
    ),
    t(
      `月初前不足 ${N} 天历史（早于首次活动 + ${N} 天）的月份无法观察流失，流失率为空（—），而非 0。`,
      `Months starting less than ${N} days after the first activity have too little history to observe churn: their rate is empty (—), not 0.`,
    ),
  ];
  const basis = makeBasis(ctx, {
    metric: 'churn',
    title: t('客户流失', 'Customer churn'),
    formula: t(
      '月流失率 = 当月流失客户数 / 月初活跃客户数',
      'Monthly churn rate = customers churning in the month / customers active at its start',
    ),
    numerator: t(
      `当月流失日（最后活动 + ${N} 天）落入的客户数`,
      `Customers whose churn date (last activity + ${N} days) falls in the month`,
    ),
    denominator: t(
      `月初前 ${N} 天内有活动的客户数`,
      `Customers with activity in the ${N} days before the month starts`,
    ),
    measure: 'count',
    asOf,
    options: { asOf, inactiveDays: N, entity, dateField, where },
    exclusions: [
      t(
        '晚于 T 的活动、缺少客户或日期的行不计入。',
        'Activity after T and rows without a customer or date are left out.',
      ),
    ],
    notes,
  });
  const emptyMeta = { current: { asOf, customers: 0, churned: 0, active: 0, share: null } };
  if (!hasData)
    return result(
      [],
      basis,
      makeQuality(agg.rows, 0, { missing_customer: missingEntity, missing_date: missingDate }),
      emptyMeta,
    );

  // Month of each day in [minDay, T].
  const span = T - minDay + 1;
  const monthTbl = new Int32Array(span);
  {
    let m = monthOfDay(minDay);
    let next = monthStartDay(m + 1);
    for (let d = minDay; d <= T; d++) {
      if (d >= next) {
        m++;
        next = monthStartDay(m + 1);
      }
      monthTbl[d - minDay] = m;
    }
  }
  const monthOf = (d: number): number => monthTbl[d - minDay]!;
  const mFirst = monthOf(minDay) + 1;
  const mLast = monthOf(T);
  const nM = Math.max(0, mLast - mFirst + 1);
  const starts = new Int32Array(nM);
  for (let j = 0; j < nM; j++) starts[j] = monthStartDay(mFirst + j);
  const diff = new Float64Array(nM + 1);
  const churned = new Float64Array(nM);

  const addActive = (a: number, b: number): void => {
    const hi = Math.min(b, T);
    if (a > hi) return;
    let lo = monthOf(a);
    if (monthOf(a - 1) === lo) lo++; // a is not the first day of its month
    const top = monthOf(hi);
    const j0 = Math.max(lo, mFirst) - mFirst;
    const j1 = Math.min(top, mLast) - mFirst;
    if (j0 > j1) return;
    diff[j0]!++;
    diff[j1 + 1]!--;
  };

  let customers = 0;
  let churnedNow = 0;
  for (const c of agg.customers) processCustomer(c.starts, c.ends);

  function processCustomer(S: ArrayLike<number>, E: ArrayLike<number>): void {
    customers++;
    const nr = S.length;
    if (E[nr - 1]! <= T - N) churnedNow++;
    // Active-at-start coverage: each activity day d covers month starts in [d + 1, d + N]; a run
    // covers [first + 1, last + N].
    for (let r = 0; r < nr; r++) addActive(S[r]! + 1, E[r]! + N);
    // Churn events: the last day of each run (a gap longer than N, or nothing, follows), observed
    // by T. A customer who churns, returns and churns again within one month counts once in it.
    let lastMonth = -1;
    for (let r = 0; r < nr; r++) {
      const c = E[r]! + N;
      if (c > T) continue;
      const m = monthOf(c);
      if (m < mFirst || m === lastMonth) continue;
      const s = starts[m - mFirst]!;
      // Active at the month's start: the last activity before it is within N days. Inside a run
      // that began before s, some activity day lies in [s − N, s) (its gaps are at most N).
      let q = r;
      while (q >= 0 && S[q]! >= s) q--;
      if (q >= 0 && E[q]! >= s - N) {
        churned[m - mFirst]!++;
        lastMonth = m;
      }
    }
  }

  const data: ChurnRow[] = [];
  let run = 0;
  for (let j = 0; j < nM; j++) {
    run += diff[j]!;
    data.push({
      month: periodLabel('month', mFirst + j),
      activeAtStart: run,
      churned: churned[j]!,
      // Churn in a month is observable only once the data covers the N days before its start.
      rate: starts[j]! - N < minDay ? null : ratio(churned[j]!, run),
    });
  }
  const quality = makeQuality(agg.rows, agg.used, {
    missing_customer: missingEntity,
    missing_date: missingDate,
    after_as_of: agg.afterAsOf,
  });
  return result(data, basis, quality, {
    current: {
      asOf,
      customers,
      churned: churnedNow,
      active: customers - churnedNow,
      share: ratio(churnedNow, customers),
    },
    inactiveDays: N,
  });
}

export const churnMetric: MetricDef = {
  id: 'churn',
  source: 'transactions',
  run: (ctx, params, source) => {
    const p = churnParams(params ?? {}, source);
    return churnResult(ctx, p, churnAggregate(ctx, p, source));
  },
};
