/**
 * DPD buckets (逾期阶段): the shared bucket scale of every collection metric, and the `dpd_buckets`
 * metric (distribution of loans and outstanding per bucket at one snapshot month).
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import { FinError } from '../errors.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { LocalText, MetricResult } from '../types.js';
import { ACTIVE, TXT, WRITTEN_OFF, asOfLabel, monthLabel, openLoanMonths, pMonth } from './loan-months.js';

/**
 * Default bucket edges: the lower bound (days past due, inclusive) of each bucket.
 * M0 = 0 (current), M1 = 1–30, M2 = 31–60, M3 = 61–90, M4 = 91–120, M5 = 121–150, M6 = 151–180,
 * M7+ = 181 and over.
 */
export const DEFAULT_DPD_EDGES: readonly number[] = Object.freeze([0, 1, 31, 61, 91, 121, 151, 181]);

/** The US 30/60/90 convention as edges: current (0–29), 30–59, 60–89, 90+. */
export const US_DPD_EDGES: readonly number[] = Object.freeze([0, 30, 60, 90]);

/**
 * Bucket index of a dpd value for `edges` (lower bounds, ascending, first 0): the largest `b`
 * with `dpd ≥ edges[b]`; −1 when dpd is missing (NaN) or negative.
 *
 * Scans from the bottom because most rows are current (M0): one comparison for them.
 */
export function bucketOf(dpd: number, edges: ArrayLike<number>): number {
  if (!(dpd >= 0)) return -1;
  const last = edges.length - 1;
  let b = 0;
  while (b < last && dpd >= edges[b + 1]!) b++;
  return b;
}

/** Bucket labels for edges: `M0 … M(n−2)`, last `M(n−1)+`. */
export function defaultBucketLabels(n: number): string[] {
  const out: string[] = [];
  for (let b = 0; b < n; b++) out.push(b === n - 1 && n > 1 ? `M${b}+` : `M${b}`);
  return out;
}

/** A resolved bucket scale. */
export interface BucketScale {
  /** Lower bounds, inclusive, ascending, first 0. */
  edges: number[];
  /** One label per bucket. */
  labels: string[];
}

/** Bucket parameters shared by the collection metrics. */
export interface BucketParams {
  /** Lower dpd bound (inclusive) of each bucket; integers, ascending, first 0. Default `[0, 1, 31, 61, 91, 121, 151, 181]`. */
  edges?: number[];
  /** Bucket labels, one per edge. Default `M0 … M6, M7+` (generally `M0 … M(n−1)+`). */
  labels?: string[];
}

/** Read and validate `edges` / `labels` from params. */
export function resolveBuckets(params: Record<string, unknown> | null | undefined): BucketScale {
  const e = params?.edges;
  let edges: number[];
  if (e === undefined || e === null) edges = [...DEFAULT_DPD_EDGES];
  else {
    if (!Array.isArray(e) || e.length < 2) {
      throw new FinError(
        'bad_params',
        'Parameter "edges" must be an array of at least two dpd lower bounds',
        {
          param: 'edges',
          value: e as unknown,
        },
      );
    }
    edges = e.map(Number);
    const ok =
      edges[0] === 0 &&
      edges.every((x, i) => Number.isInteger(x) && x >= 0 && (i === 0 || x > edges[i - 1]!));
    if (!ok) {
      throw new FinError('bad_params', 'Parameter "edges" must be ascending integers starting at 0', {
        param: 'edges',
        value: e as unknown,
      });
    }
  }
  const l = params?.labels;
  let labels: string[];
  if (l === undefined || l === null) labels = defaultBucketLabels(edges.length);
  else {
    if (
      !Array.isArray(l) ||
      l.length !== edges.length ||
      !l.every((s) => typeof s === 'string' && s !== '')
    ) {
      throw new FinError('bad_params', 'Parameter "labels" must be one non-empty string per edge', {
        param: 'labels',
        value: l as unknown,
      });
    }
    labels = l as string[];
    if (new Set(labels).size !== labels.length) {
      throw new FinError('bad_params', 'Parameter "labels" must be distinct', {
        param: 'labels',
        value: labels,
      });
    }
  }
  return { edges, labels };
}

/** Inclusive dpd range of bucket `b`: `[min, max]`, max null for the open last bucket. */
export function bucketRange(s: BucketScale, b: number): [number, number | null] {
  const lo = s.edges[b]!;
  const next = s.edges[b + 1];
  return [lo, next === undefined ? null : next - 1];
}

/** The scale in words, e.g. `M0 = 0, M1 = 1–30, …, M7+ ≥ 181`. */
export function describeBuckets(s: BucketScale): LocalText {
  const parts = s.labels.map((lab, b) => {
    const [lo, hi] = bucketRange(s, b);
    if (hi === null) return `${lab} ≥ ${lo}`;
    return lo === hi ? `${lab} = ${lo}` : `${lab} = ${lo}–${hi}`;
  });
  const list = parts.join(', ');
  return t(`逾期阶段（按逾期天数 dpd，含端点）：${list}`, `Buckets by days past due (inclusive): ${list}`);
}

/** Label of "bucket index ≥ k", e.g. `M1+`. */
export function plusLabel(s: BucketScale, k: number): string {
  const lab = s.labels[k]!;
  return lab.endsWith('+') ? lab : `${lab}+`;
}

// ---------------------------------------------------------------------------------------------
// dpd_buckets

/** Parameters of `dpd_buckets`. */
export interface DpdBucketsParams extends BucketParams {
  /** Snapshot month `YYYY-MM`; default (or `latest`): the latest snapshot month in the selection. */
  month?: string;
}

/** One row of `dpd_buckets` (one per bucket, every bucket present). */
export type DpdBucketRow = {
  /** Bucket label, e.g. `M1`. */
  bucket: string;
  /** Bucket index 0..n−1. */
  index: number;
  /** Inclusive dpd range; `maxDpd` null for the open last bucket. */
  minDpd: number;
  maxDpd: number | null;
  /** Loans (rows) in the bucket. */
  count: number;
  /** Σ outstanding in the bucket. */
  outstanding: number;
  /** count / Σ count, null when no loans. */
  countShare: number | null;
  /** outstanding / Σ outstanding, null when the total is 0. */
  amountShare: number | null;
};

export const dpdBuckets: MetricDef = {
  id: 'dpd_buckets',
  source: 'loan_months',
  reads: ['loans'],
  run(ctx: MetricContext, params, source) {
    const scale = resolveBuckets(params);
    const lm = openLoanMonths(ctx, source);
    const wanted = pMonth(params, 'month');
    const snap = wanted ?? lm.maxMonth;
    const nb = scale.edges.length;
    const counts = new Float64Array(nb);
    const sums = new Float64Array(nb);
    let rowsAt = 0;
    let used = 0;
    let missingDpd = 0;
    let missingOut = 0;
    let closed = 0;
    let writtenOff = 0;
    let maxDay = NULL_INDEX;
    const { rows, count, month, dpd, outstanding } = lm;
    const sc = lm.statusCodes;
    const sk = lm.statusKind;
    const edges = scale.edges;
    if (snap !== NULL_INDEX) {
      for (let k = 0; k < count; k++) {
        const i = rows ? rows[k]! : k;
        if (month[i] !== snap) continue;
        rowsAt++;
        if (lm.day[i]! > maxDay) maxDay = lm.day[i]!;
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
        used++;
        counts[b]!++;
        const o = outstanding[i]!;
        if (o === o) sums[b]! += o;
        else missingOut++;
      }
    }
    return dpdBucketsResult(ctx, scale, snap, lm.count, {
      counts,
      sums,
      rowsAt,
      used,
      maxDay,
      excluded: { missing_dpd: missingDpd, missing_outstanding: missingOut, closed, written_off: writtenOff },
    });
  },
};

/** Per bucket at the snapshot month: loans, Σ outstanding, rows at the month, exclusions (memory loop or SQL). */
export interface DpdBucketsAgg {
  counts: Float64Array;
  sums: Float64Array;
  rowsAt: number;
  used: number;
  maxDay: number;
  excluded: Record<string, number>;
}

/** Shape `dpd_buckets` (rows, basis, quality) from its aggregates: one definition for every backend. */
export function dpdBucketsResult(
  ctx: BasisContext,
  scale: BucketScale,
  snap: number,
  selected: number,
  a: DpdBucketsAgg,
): MetricResult<object> {
  const { counts, sums, rowsAt, used, maxDay } = a;
  const nb = scale.edges.length;
  const lm = { count: selected };
  let totC = 0;
  let totA = 0;
  for (let b = 0; b < nb; b++) {
    totC += counts[b]!;
    totA += sums[b]!;
  }
  const data: DpdBucketRow[] =
    used === 0
      ? []
      : scale.labels.map((bucket, b) => {
          const [minDpd, maxDpd] = bucketRange(scale, b);
          return {
            bucket,
            index: b,
            minDpd,
            maxDpd,
            count: counts[b]!,
            outstanding: r10(sums[b]!),
            countShare: ratio(counts[b]!, totC),
            amountShare: ratio(sums[b]!, totA),
          };
        });
  const monthStr = snap === NULL_INDEX ? null : monthLabel(snap);
  const basis = makeBasis(ctx, {
    metric: 'dpd_buckets',
    title: t('逾期阶段分布', 'DPD bucket distribution'),
    formula: t(
      '快照月 t 各逾期阶段的借据笔数与余额；占比 = 阶段值 / 全部在册借据合计',
      'Loans and outstanding per DPD bucket at snapshot month t; share = bucket value / total of all in-book loans',
    ),
    numerator: t('阶段内笔数 / 余额', 'Loans / outstanding in the bucket'),
    denominator: t('快照月全部在册笔数 / 余额', 'All in-book loans / outstanding at the snapshot'),
    measure: 'count+amount',
    asOf: maxDay === NULL_INDEX ? monthStr : asOfLabel(maxDay),
    options: { month: monthStr, edges: scale.edges, labels: scale.labels },
    exclusions: [TXT.inBook, TXT.missingDpd, TXT.missingOutstanding],
    notes: [
      describeBuckets(scale),
      t(
        '未指定 month 时取所选数据中最新的快照月。余额缺失的行计入笔数，不计入余额。',
        'Without `month`, the latest snapshot month of the selection is used. A row with a missing outstanding counts in the loan count, not in the amount.',
      ),
    ],
  });
  const quality = makeQuality(rowsAt, used, a.excluded);
  return result(
    data,
    basis,
    quality,
    { buckets: scale.labels, month: monthStr, totalCount: totC, totalOutstanding: r10(totA) },
    lm.count === 0
      ? undefined
      : rowsAt === 0
        ? t('所选快照月没有数据', 'No rows at the selected snapshot month')
        : undefined,
  );
}
