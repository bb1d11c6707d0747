/**
 * Flow rate (迁徙率): `flow(Mn → Mn+1, t) = outstanding in Mn+1 at t / outstanding in Mn at t − 1`,
 * the chained loss rate M0 → M7+ (product of the month's successive flows) and collection
 * performance per bucket (`1 − flow`).
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { BasisContext, MetricDef } from '../metric.js';
import type { MetricResult } from '../types.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { BucketParams, BucketScale } from './dpd-buckets.js';
import { bucketOf, describeBuckets, resolveBuckets } from './dpd-buckets.js';
import {
  pNum,
  ACTIVE,
  TXT,
  WRITTEN_OFF,
  asOfLabel,
  adjacentRows,
  sortedByLoanMonth,
  monthLabel,
  openLoanMonths,
  pEnum,
  statusAt,
} from './loan-months.js';

/** Parameters of `flow_rate`. */
export interface FlowRateParams extends BucketParams {
  /** `amount` (Σ outstanding, default) or `count` (loans). */
  measure?: 'amount' | 'count';
  /**
   * Numerator of the flow into the open last bucket (M6 → M7+): `entries` (default) counts only
   * loans that were in book below the last bucket at t − 1, i.e. that newly arrived; `stock` takes
   * the whole last bucket at t (which accumulates and is usually not what is wanted).
   */
  lastBucket?: 'entries' | 'stock';
  /**
   * Smallest number of loans in the `from` bucket at t − 1 for a flow to be read as a rate
   * (default 30): flows over fewer loans are flagged `small` (a chart draws them hollow and keeps
   * them out of its axis range). Nothing is dropped.
   */
  minLoans?: number;
}

/** One row of `flow_rate`: per month t ≥ the second observed month, one per transition plus the chain. */
export type FlowRateRow = {
  /** Month t, `YYYY-MM`. */
  month: string;
  /** `flow` for Mn → Mn+1; `chained` for the product M0 → last bucket. */
  kind: 'flow' | 'chained';
  /** From bucket (t − 1) and to bucket (t), e.g. `M0`, `M1`; chained: `M0`, `M7+`. */
  from: string;
  to: string;
  /** `M0→M1` etc. */
  transition: string;
  /** Outstanding (or loans) in `to` at t; null for `chained`. */
  numerator: number | null;
  /** Outstanding (or loans) in `from` at t − 1; null for `chained` or when t − 1 is not observed. */
  denominator: number | null;
  /** numerator / denominator (not clamped: can exceed 1 when loans jump buckets); null when the denominator is 0. */
  rate: number | null;
  /** Collection performance `1 − rate` for flows; null for `chained`. */
  performance: number | null;
  /** Loans in `from` at t − 1 (the flow's base); null for `chained` or when t − 1 is not observed. */
  fromLoans: number | null;
  /** The base has fewer than `minLoans` loans: a rate too noisy to read on its own. */
  small: boolean;
};

export const flowRate: MetricDef = {
  id: 'flow_rate',
  source: 'loan_months',
  reads: ['loans'],
  run(ctx, params, source) {
    const p = flowRateParams(params);
    const { scale, measure, lastMode } = p;
    const lm = openLoanMonths(ctx, source);
    const { rows, count, month, dpd, outstanding, loan } = lm;
    const edges = scale.edges;
    const nb = edges.length;
    const last = nb - 1;
    const amount = measure === 'amount';
    const M = lm.maxMonth === NULL_INDEX ? 0 : lm.maxMonth - lm.minMonth + 1;
    const m0 = lm.minMonth;
    const val = new Float64Array(M * nb);
    /** Loans per month and bucket (the base of each flow, whatever the measure). */
    const loans = new Uint32Array(M * nb);
    /** Last bucket at t restricted to arrivals (loans in book below the last bucket at t − 1). */
    const arrivals = new Float64Array(M);
    const seen = new Uint8Array(M);
    const entries = lastMode === 'entries' && M > 1;
    const sorted = entries && sortedByLoanMonth(lm);
    const prev = entries && !sorted ? adjacentRows(lm, -1).adj : null;
    const sc = lm.statusCodes;
    const sk = lm.statusKind;
    let used = 0;
    let missingDpd = 0;
    let missingOut = 0;
    let missingSnap = 0;
    let closed = 0;
    let writtenOff = 0;
    for (let q = 0; q < count; q++) {
      const i = rows ? rows[q]! : q;
      const m = month[i]!;
      if (m === NULL_INDEX) {
        missingSnap++;
        continue;
      }
      const mo = m - m0;
      seen[mo] = 1;
      const si = sc[i]!;
      const st = si < 0 ? ACTIVE : sk[si]!;
      if (st !== ACTIVE) {
        if (st === WRITTEN_OFF) writtenOff++;
        else closed++;
        continue;
      }
      const b = bucketOf(dpd[i]!, edges);
      if (b < 0) {
        missingDpd++;
        continue;
      }
      let v = 1;
      if (amount) {
        v = outstanding[i]!;
        if (v !== v) {
          missingOut++;
          continue;
        }
      }
      used++;
      val[mo * nb + b]! += v;
      loans[mo * nb + b]!++;
      if (b === last && entries) {
        let p = -1;
        if (prev) p = prev[i]!;
        else if (q > 0) {
          const j = rows ? rows[q - 1]! : q - 1;
          if (loan[j] === loan[i] && month[j] === m - 1) p = j;
        }
        if (p >= 0 && statusAt(lm, p) === ACTIVE) {
          const pb = bucketOf(dpd[p]!, edges);
          if (pb >= 0 && pb < last) arrivals[mo]! += v;
        }
      }
    }
    return flowRateResult(ctx, p, {
      count: lm.count,
      maxDay: lm.maxDay,
      m0,
      M,
      val,
      loans,
      arrivals,
      seen,
      used,
      excluded: {
        missing_snapshot: missingSnap,
        missing_dpd: missingDpd,
        missing_outstanding: missingOut,
        closed,
        written_off: writtenOff,
      },
    });
  },
};

/** Validated params of `flow_rate` (same errors on every backend). */
export interface FlowRateParamsResolved {
  scale: BucketScale;
  measure: 'amount' | 'count';
  lastMode: 'entries' | 'stock';
  /** Flows over fewer loans at t − 1 are flagged `small` (drawn hollow, out of the axis range). */
  minLoans: number;
}

export function flowRateParams(params: Record<string, unknown> | null | undefined): FlowRateParamsResolved {
  const scale = resolveBuckets(params);
  const measure = pEnum(params, 'measure', ['amount', 'count'] as const, 'amount');
  const lastMode = pEnum(params, 'lastBucket', ['entries', 'stock'] as const, 'entries');
  const minLoans = pNum(params, 'minLoans', 30, { min: 0, int: true });
  return { scale, measure, lastMode, minLoans };
}

/**
 * Per (month, bucket) cell `(month − m0) · nb + b`: in-book value; `arrivals[month]`: value in the
 * last bucket of loans that were in book below it at month − 1 (used when `lastMode` is entries).
 */
export interface FlowRateAgg {
  count: number;
  maxDay: number;
  m0: number;
  M: number;
  val: Float64Array;
  /** Loans per cell (the base of each flow, whatever the measure). */
  loans: Uint32Array;
  arrivals: Float64Array;
  seen: Uint8Array;
  used: number;
  excluded: Record<string, number>;
}

/** Shape the aggregates into the result: one definition for every backend. */
export function flowRateResult(
  ctx: BasisContext,
  p: FlowRateParamsResolved,
  a: FlowRateAgg,
): MetricResult<object> {
  const { scale, measure, lastMode, minLoans } = p;
  const { m0, M, val, loans, arrivals, seen, used } = a;
  let smallFlows = 0;
  const nb = scale.edges.length;
  const last = nb - 1;
  const amount = measure === 'amount';
  const entries = lastMode === 'entries' && M > 1;
  const lm = { count: a.count, maxDay: a.maxDay };
  const data: FlowRateRow[] = [];
  const months: string[] = [];
  const transitions: string[] = [];
  for (let b = 0; b < last; b++) transitions.push(`${scale.labels[b]}→${scale.labels[b + 1]}`);
  const chainLabel = `${scale.labels[0]}→${scale.labels[last]}`;
  if (used > 0) {
    for (let mo = 1; mo < M; mo++) {
      if (!seen[mo]) continue;
      const label = monthLabel(m0 + mo);
      months.push(label);
      const prevSeen = seen[mo - 1] === 1;
      let chain: number | null = 1;
      for (let b = 0; b < last; b++) {
        const nRaw = b + 1 === last && entries ? arrivals[mo]! : val[mo * nb + b + 1]!;
        const dRaw = val[(mo - 1) * nb + b]!;
        const rate = prevSeen ? ratio(nRaw, dRaw) : null;
        if (rate === null || chain === null) chain = null;
        else chain *= rate;
        const fromLoans = prevSeen ? loans[(mo - 1) * nb + b]! : null;
        const small = fromLoans !== null && rate !== null && fromLoans < minLoans;
        if (small) smallFlows++;
        data.push({
          month: label,
          kind: 'flow',
          from: scale.labels[b]!,
          to: scale.labels[b + 1]!,
          transition: transitions[b]!,
          numerator: r10(nRaw),
          denominator: prevSeen ? r10(dRaw) : null,
          rate,
          performance: rate === null ? null : r10(1 - rate),
          fromLoans,
          small,
        });
      }
      data.push({
        month: label,
        kind: 'chained',
        from: scale.labels[0]!,
        to: scale.labels[last]!,
        transition: chainLabel,
        numerator: null,
        denominator: null,
        rate: chain === null ? null : r10(chain),
        performance: null,
        fromLoans: null,
        small: false,
      });
    }
  }
  const unit = amount ? t('余额', 'outstanding') : t('笔数', 'loans');
  const basis = makeBasis(ctx, {
    metric: 'flow_rate',
    title: t('迁徙率', 'Flow rate'),
    formula: t(
      `flow(Mn→Mn+1, t) = t 月 Mn+1 ${unit['zh-CN']} / t−1 月 Mn ${unit['zh-CN']}；累计损失率 ${chainLabel} = 同月各级迁徙率之积；催回率 = 1 − flow`,
      `flow(Mn→Mn+1, t) = ${unit['en-US']} in Mn+1 at t / ${unit['en-US']} in Mn at t−1; chained loss ${chainLabel} = product of the month's successive flows; collection performance = 1 − flow`,
    ),
    numerator: t(`t 月 Mn+1 在册${unit['zh-CN']}`, `In-book ${unit['en-US']} in Mn+1 at t`),
    denominator: t(`t−1 月 Mn 在册${unit['zh-CN']}`, `In-book ${unit['en-US']} in Mn at t−1`),
    measure,
    asOf: asOfLabel(lm.maxDay),
    options: { measure, lastBucket: lastMode, minLoans, edges: scale.edges, labels: scale.labels },
    exclusions: [TXT.inBook, TXT.missingDpd, TXT.missingOutstanding],
    notes: [
      describeBuckets(scale),
      TXT.calendar,
      t(
        '迁徙率为阶段汇总口径（非逐笔跟踪），M0→M1 用上月 M0；不截断，借据跨阶段跳跃或新增时可能大于 1。',
        'Flows are aggregate (bucket totals, not loan-tracked); M0→M1 uses last month’s M0; not clamped, so a flow can exceed 1 when loans jump buckets or appear.',
      ),
      lastMode === 'entries'
        ? t(
            `末档 ${scale.labels[last]} 为开放区间会累积，流入末档的分子只取本月新进入者：t 月在 ${scale.labels[last]}、且 t−1 月在册并处于更低阶段的借据（逐笔比对上月）。`,
            `The last bucket ${scale.labels[last]} is open and accumulates, so the flow into it counts only arrivals: loans in ${scale.labels[last]} at t that were in book in a lower bucket at t−1 (loan-level look-up).`,
          )
        : t(
            `流入末档的分子取 t 月 ${scale.labels[last]} 全部存量。`,
            `The flow into the last bucket takes the whole ${scale.labels[last]} stock at t.`,
          ),
      t(
        `累计损失率取同一月份 t 的各级迁徙率连乘（非按账龄错位的对角线），任一级为 null 时为 null。`,
        `The chained loss rate multiplies the flows of the same month t (not a diagonal across months); null when any flow is null.`,
      ),
      t(
        `上月 Mn 不足 ${minLoans} 笔借据的迁徙率样本过小（本结果 ${smallFlows} 个点）：照常计算并标记 small，图中画为空心点，不参与纵轴范围。`,
        `Flows over fewer than ${minLoans} loans in Mn at t−1 are small samples (${smallFlows} points here): computed as usual and flagged small; charts draw them hollow and leave them out of the axis range.`,
      ),
      t(
        '首个观测月没有上月，不输出；上月不在所选数据中时分母与迁徙率为 null。',
        'The first observed month has no prior month and is not listed; when t−1 is not in the selection the denominator and rate are null.',
      ),
    ],
  });
  const quality = makeQuality(lm.count, used, a.excluded);
  return result(
    data,
    basis,
    quality,
    { months, transitions, chained: chainLabel, buckets: scale.labels, measure, minLoans, smallFlows },
    lm.count > 0 && used > 0 && data.length === 0
      ? t('只有一个快照月，无法计算迁徙率', 'Only one snapshot month: flow rates need two')
      : undefined,
  );
}
