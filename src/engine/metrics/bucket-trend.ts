/**
 * Bucket trend (逾期阶段趋势): per snapshot month, loans and outstanding per DPD bucket and each
 * bucket's share of the month's in-book total.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { BasisContext, MetricDef } from '../metric.js';
import type { MetricResult } from '../types.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { BucketParams, BucketScale } from './dpd-buckets.js';
import { bucketOf, describeBuckets, resolveBuckets } from './dpd-buckets.js';
import { ACTIVE, TXT, WRITTEN_OFF, asOfLabel, monthLabel, openLoanMonths, pEnum } from './loan-months.js';

/** Parameters of `bucket_trend`. */
export interface BucketTrendParams extends BucketParams {
  /** Which value `value` / `share` carry: `amount` (Σ outstanding, default) or `count` (loans). */
  measure?: 'amount' | 'count';
}

/** One row of `bucket_trend`: one per (snapshot month, bucket); every bucket of each month present. */
export type BucketTrendRow = {
  /** Snapshot month `YYYY-MM`. */
  month: string;
  /** Bucket label (`M0` … `M7+`) and index. */
  bucket: string;
  index: number;
  /** Loans in the bucket at the month. */
  count: number;
  /** Σ outstanding in the bucket at the month. */
  outstanding: number;
  /** `outstanding` (measure amount) or `count` (measure count). */
  value: number;
  /** value / Σ value of the month; null when the month's total is 0. */
  share: number | null;
};

export const bucketTrend: MetricDef = {
  id: 'bucket_trend',
  source: 'loan_months',
  reads: ['loans'],
  run(ctx, params, source) {
    const p = bucketTrendParams(params);
    const { scale, measure } = p;
    const lm = openLoanMonths(ctx, source);
    const { rows, count, month, dpd, outstanding } = lm;
    const sc = lm.statusCodes;
    const sk = lm.statusKind;
    const edges = scale.edges;
    const nb = edges.length;
    const M = lm.maxMonth === NULL_INDEX ? 0 : lm.maxMonth - lm.minMonth + 1;
    const m0 = lm.minMonth;
    const cnt = new Float64Array(M * nb);
    const amt = new Float64Array(M * nb);
    const seen = new Uint8Array(M);
    let used = 0;
    let missingDpd = 0;
    let missingOut = 0;
    let missingSnap = 0;
    let closed = 0;
    let writtenOff = 0;
    for (let k = 0; k < count; k++) {
      const i = rows ? rows[k]! : k;
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
      const o = outstanding[i]!;
      if (o !== o) {
        missingOut++;
        if (measure === 'amount') continue;
      } else amt[mo * nb + b]! += o;
      cnt[mo * nb + b]!++;
      used++;
    }
    return bucketTrendResult(ctx, p, {
      count: lm.count,
      maxDay: lm.maxDay,
      m0,
      M,
      cnt,
      amt,
      seen,
      used,
      excluded: {
        missing_snapshot: missingSnap,
        missing_dpd: missingDpd,
        missing_outstanding: measure === 'amount' ? missingOut : 0,
        closed,
        written_off: writtenOff,
      },
    });
  },
};

/** Validated params of `bucket_trend` (same errors on every backend). */
export function bucketTrendParams(params: Record<string, unknown> | null | undefined): {
  scale: BucketScale;
  measure: 'amount' | 'count';
} {
  const scale = resolveBuckets(params);
  const measure = pEnum(params, 'measure', ['amount', 'count'] as const, 'amount');
  return { scale, measure };
}

/** Per (month, bucket) cell `(month − m0) · nb + b`: loans and Σ outstanding (memory loop or SQL GROUP BY). */
export interface BucketTrendAgg {
  count: number;
  maxDay: number;
  m0: number;
  M: number;
  cnt: Float64Array;
  amt: Float64Array;
  seen: Uint8Array;
  used: number;
  excluded: Record<string, number>;
}

/** Shape the aggregates into the result: one definition for every backend. */
export function bucketTrendResult(
  ctx: BasisContext,
  p: { scale: BucketScale; measure: 'amount' | 'count' },
  a: BucketTrendAgg,
): MetricResult<object> {
  const { scale, measure } = p;
  const { m0, M, cnt, amt, seen, used } = a;
  const nb = scale.edges.length;
  const lm = { count: a.count, maxDay: a.maxDay };
  const data: BucketTrendRow[] = [];
  const months: string[] = [];
  if (used > 0) {
    for (let mo = 0; mo < M; mo++) {
      if (!seen[mo]) continue;
      const label = monthLabel(m0 + mo);
      months.push(label);
      let tot = 0;
      for (let b = 0; b < nb; b++) tot += measure === 'amount' ? amt[mo * nb + b]! : cnt[mo * nb + b]!;
      for (let b = 0; b < nb; b++) {
        const c = cnt[mo * nb + b]!;
        const a = amt[mo * nb + b]!;
        const v = measure === 'amount' ? a : c;
        data.push({
          month: label,
          bucket: scale.labels[b]!,
          index: b,
          count: c,
          outstanding: r10(a),
          value: r10(v),
          share: ratio(v, tot),
        });
      }
    }
  }
  const basis = makeBasis(ctx, {
    metric: 'bucket_trend',
    title: t('逾期阶段趋势', 'DPD bucket trend'),
    formula: t(
      '每个快照月 t、每个阶段 b：value(b, t)，share = value(b, t) / Σ_b value(b, t)',
      'For each snapshot month t and bucket b: value(b, t); share = value(b, t) / Σ_b value(b, t)',
    ),
    numerator:
      measure === 'amount'
        ? t('阶段内余额', 'Outstanding in the bucket')
        : t('阶段内借据笔数', 'Loans in the bucket'),
    denominator:
      measure === 'amount'
        ? t('当月在册总余额', 'Total in-book outstanding of the month')
        : t('当月在册借据笔数', 'In-book loans of the month'),
    measure,
    asOf: asOfLabel(lm.maxDay),
    options: { measure, edges: scale.edges, labels: scale.labels },
    exclusions: [TXT.inBook, TXT.missingDpd, TXT.missingOutstanding],
    notes: [
      describeBuckets(scale),
      TXT.calendar,
      t(
        '只列出所选数据中出现过的快照月；每月列出全部阶段（无借据的阶段为 0）。',
        'Only snapshot months present in the selection are listed; each lists every bucket (0 where empty).',
      ),
    ],
  });
  const quality = makeQuality(lm.count, used, a.excluded);
  return result(data, basis, quality, { buckets: scale.labels, months, measure });
}
