/**
 * Cure rate (出催率): of the loans in M1+ at t − 1, the share (count / outstanding at t − 1) that is
 * M0 or `closed` at t. Overall (`M1+`) and per bucket of t − 1.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { BasisContext, MetricDef } from '../metric.js';
import type { MetricResult } from '../types.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { BucketParams, BucketScale } from './dpd-buckets.js';
import { bucketOf, describeBuckets, plusLabel, resolveBuckets } from './dpd-buckets.js';
import type { Groups } from './loan-months.js';
import {
  ACTIVE,
  CLOSED,
  TXT,
  asOfLabel,
  adjacentRows,
  sortedByLoanMonth,
  groupOrder,
  groupsOf,
  monthLabel,
  openLoanMonths,
  pEnum,
  pStr,
} from './loan-months.js';

/** Parameters of `cure_rate`. */
export interface CureRateParams extends BucketParams {
  /** `count` (default) or `amount` (outstanding at t − 1). */
  measure?: 'count' | 'amount';
  /** Optional breakdown by a category field (e.g. `region`). */
  by?: string;
}

/** One row per month t × bucket of t − 1 (`M1+` overall first, then `M1` … `M7+`) × group. */
export type CureRateRow = {
  /** Month t, `YYYY-MM`. */
  month: string;
  /** Bucket at t − 1: `M1+` for all overdue loans, else the bucket label. */
  bucket: string;
  /** Group value (only with `by`). */
  group?: string | null;
  /** curedLoans or curedAmount, per measure. */
  numerator: number;
  /** baseLoans or baseAmount, per measure. */
  denominator: number;
  /** numerator / denominator; null when the base is empty. */
  rate: number | null;
  /** Loans in the bucket at t − 1 (in book). */
  baseLoans: number;
  /** Of those, loans M0 or closed at t. */
  curedLoans: number;
  /** Σ outstanding at t − 1 of the base. */
  baseAmount: number;
  /** Σ outstanding at t − 1 of the cured loans. */
  curedAmount: number;
};

export const cureRate: MetricDef = {
  id: 'cure_rate',
  source: 'loan_months',
  reads: ['loans'],
  run(ctx, params, source) {
    const p_ = cureRateParams(params);
    const { scale, measure } = p_;
    const by = p_.by;
    const lm = openLoanMonths(ctx, source);
    const groups: Groups | null = by ? groupsOf(ctx, source, by) : null;
    const G = groups ? groups.count : 1;
    const gcodes = groups ? groups.codes : null;
    const nullG = groups ? groups.nullGroup : 0;
    const { rows, count, month, dpd, outstanding, loan } = lm;
    const edges = scale.edges;
    const nb = edges.length;
    const m1Edge = edges[1]!;
    const amount = measure === 'amount';
    const order = groupOrder(groups);
    const M = lm.maxMonth === NULL_INDEX ? 0 : lm.maxMonth - lm.minMonth + 1;
    const m0 = lm.minMonth;
    // next month of a row: the next selected row when sorted by (loan, month), else a look-up
    const sorted = sortedByLoanMonth(lm);
    const adj = sorted ? null : adjacentRows(lm, 1);
    const next = adj ? adj.adj : null;
    const duplicates = adj ? adj.duplicates : 0;
    const sc = lm.statusCodes;
    const sk = lm.statusKind;
    // slot 0 of each (month, group) block = all of M1+; slot b ≥ 1 = bucket b at t − 1
    const S = M * G * nb;
    const baseL = new Float64Array(S);
    const curL = new Float64Array(S);
    const baseA = new Float64Array(S);
    const curA = new Float64Array(S);
    // months present in the selection (marked in the main pass); outcomes in absent months are dropped
    const seenMonth = new Uint8Array(M);
    const seen = new Uint8Array(M * G);
    const usedBy = new Float64Array(M);
    const missingNextBy = new Float64Array(M);
    const missingDpdBy = new Float64Array(M);
    const missingOutBy = new Float64Array(M);
    for (let q = 0; q < count; q++) {
      const p = rows ? rows[q]! : q;
      const m = month[p]!;
      if (m === NULL_INDEX) continue;
      let g = 0;
      if (gcodes) {
        g = gcodes[p]!;
        if (g < 0) g = nullG;
      }
      seenMonth[m - m0] = 1;
      const mo = m - m0 + 1; // month t of the outcome
      if (mo >= M) continue; // t after the last snapshot
      seen[mo * G + g] = 1;
      const sp = sc[p]!;
      if (sp >= 0 && sk[sp] !== ACTIVE) continue;
      const b = bucketOf(dpd[p]!, edges);
      if (b === 0) continue;
      let i = -1;
      if (next) {
        i = next[p]!;
        if (i === -2) continue; // duplicate (loan, month) row
      } else if (q + 1 < count) {
        const j = rows ? rows[q + 1]! : q + 1;
        if (loan[j] === loan[p] && month[j] === m + 1) i = j;
      }
      if (b < 0) {
        missingDpdBy[mo]!++;
        continue;
      }
      const o = outstanding[p]!;
      if (o !== o) {
        missingOutBy[mo]!++;
        if (amount) continue;
      }
      usedBy[mo]!++;
      let cured = false;
      if (i < 0) missingNextBy[mo]!++;
      else {
        const si = sc[i]!;
        const st = si < 0 ? ACTIVE : sk[si]!;
        if (st === CLOSED) cured = true;
        else if (st === ACTIVE) {
          const d = dpd[i]!;
          if (d !== d) missingNextBy[mo]!++;
          else cured = d >= 0 && d < m1Edge; // back in M0
        }
      }
      const base = (mo * G + g) * nb;
      baseL[base]!++;
      baseL[base + b]!++;
      if (o === o) {
        baseA[base]! += o;
        baseA[base + b]! += o;
      }
      if (cured) {
        curL[base]!++;
        curL[base + b]!++;
        if (o === o) {
          curA[base]! += o;
          curA[base + b]! += o;
        }
      }
    }
    return cureRateResult(ctx, p_, {
      count: lm.count,
      maxDay: lm.maxDay,
      m0,
      M,
      G,
      order,
      labels: groups ? groups.labels : null,
      baseL,
      curL,
      baseA,
      curA,
      seenMonth,
      seen,
      usedBy,
      missingNextBy,
      missingDpdBy,
      missingOutBy,
      duplicates,
    });
  },
};

/** Validated params of `cure_rate` (same errors on every backend). */
export interface CureRateParamsResolved {
  scale: BucketScale;
  measure: 'count' | 'amount';
  by: string | null;
}

export function cureRateParams(params: Record<string, unknown> | null | undefined): CureRateParamsResolved {
  const scale = resolveBuckets(params);
  const measure = pEnum(params, 'measure', ['count', 'amount'] as const, 'count');
  const by = pStr(params, 'by');
  return { scale, measure, by };
}

/**
 * Aggregates of `cure_rate` by outcome month t (index `t − m0`): slots `((t − m0) · G + g) · nb + s`
 * (s = 0: all of M1+; s ≥ 1: bucket s at t − 1), per-month counters (memory loop or SQL).
 */
export interface CureRateAgg {
  count: number;
  maxDay: number;
  m0: number;
  M: number;
  G: number;
  order: number[];
  labels: Array<string | null> | null;
  baseL: Float64Array;
  curL: Float64Array;
  baseA: Float64Array;
  curA: Float64Array;
  seenMonth: Uint8Array;
  seen: Uint8Array;
  usedBy: Float64Array;
  missingNextBy: Float64Array;
  missingDpdBy: Float64Array;
  missingOutBy: Float64Array;
  duplicates: number;
}

/** Shape `cure_rate` from its aggregates: one definition for every backend. */
export function cureRateResult(
  ctx: BasisContext,
  p: CureRateParamsResolved,
  a: CureRateAgg,
): MetricResult<object> {
  const { scale, measure, by } = p;
  const {
    m0,
    M,
    G,
    order,
    baseL,
    curL,
    baseA,
    curA,
    seenMonth,
    seen,
    usedBy,
    missingNextBy,
    missingDpdBy,
    missingOutBy,
    duplicates,
  } = a;
  const groups = a.labels ? { labels: a.labels } : null;
  const nb = scale.edges.length;
  const amount = measure === 'amount';
  const lm = { count: a.count, maxDay: a.maxDay };
  let used = 0;
  let missingDpd = 0;
  let missingOut = 0;
  let missingNext = 0;
  for (let mo = 1; mo < M; mo++) {
    if (!seenMonth[mo]) continue;
    used += usedBy[mo]!;
    missingDpd += missingDpdBy[mo]!;
    missingOut += missingOutBy[mo]!;
    missingNext += missingNextBy[mo]!;
  }
  const allLabel = plusLabel(scale, 1);
  const data: CureRateRow[] = [];
  const months: string[] = [];
  for (let mo = 1; mo < M; mo++) {
    if (!seenMonth[mo]) continue;
    let any = false;
    for (const g of order) {
      if (!seen[mo * G + g]) continue;
      any = true;
      const base = (mo * G + g) * nb;
      for (let s = 0; s < nb; s++) {
        const k = base + s;
        const n = amount ? curA[k]! : curL[k]!;
        const d = amount ? baseA[k]! : baseL[k]!;
        const row: CureRateRow = {
          month: monthLabel(m0 + mo),
          bucket: s === 0 ? allLabel : scale.labels[s]!,
          numerator: r10(n),
          denominator: r10(d),
          rate: ratio(n, d),
          baseLoans: baseL[k]!,
          curedLoans: curL[k]!,
          baseAmount: r10(baseA[k]!),
          curedAmount: r10(curA[k]!),
        };
        if (groups) row.group = groups.labels[g]!;
        data.push(row);
      }
    }
    if (any) months.push(monthLabel(m0 + mo));
  }
  const unit = amount ? t('t−1 月余额', 'outstanding at t−1') : t('笔数', 'count');
  const basis = makeBasis(ctx, {
    metric: 'cure_rate',
    title: t('出催率', 'Cure rate'),
    formula: t(
      `t 月出催率 = t−1 月处于 ${allLabel}（或某阶段）且 t 月为 M0 或 closed 的借据${unit['zh-CN']} / t−1 月处于 ${allLabel}（或该阶段）的借据${unit['zh-CN']}`,
      `Cure rate at t = ${unit['en-US']} of loans in ${allLabel} (or a bucket) at t−1 that are M0 or closed at t / ${unit['en-US']} of loans in ${allLabel} (or that bucket) at t−1`,
    ),
    numerator: t('t 月回到 M0 或结清的借据', 'Loans back in M0 or closed at t'),
    denominator: t(`t−1 月处于 ${allLabel} 的在册借据`, `In-book loans in ${allLabel} at t−1`),
    measure,
    asOf: asOfLabel(lm.maxDay),
    options: { measure, by, edges: scale.edges, labels: scale.labels },
    exclusions: [
      t(
        't−1 月 closed / written_off 的借据不在分母中。',
        'Loans closed or written off at t−1 are not in the base.',
      ),
      t(
        't−1 月 dpd 缺失的行不参与（missing_dpd）。',
        'Rows with a missing dpd at t−1 are excluded (missing_dpd).',
      ),
      t(
        '余额口径下 t−1 月余额缺失的行不参与（missing_outstanding）。',
        'Under the amount measure, rows with a missing outstanding at t−1 are excluded (missing_outstanding).',
      ),
    ],
    notes: [
      describeBuckets(scale),
      TXT.calendar,
      t(
        't 月没有记录（或 dpd 缺失）的借据保留在分母中、视为未出催，数量见 quality.excluded.missing_next_month；t 月 written_off 视为未出催。',
        'Loans without a row (or dpd) at t stay in the base and count as not cured; see quality.excluded.missing_next_month. Written off at t counts as not cured.',
      ),
      t(
        '余额口径按 t−1 月余额加权（结清借据 t 月余额为 0）。',
        'The amount basis weights loans by their outstanding at t−1 (a closed loan has none at t).',
      ),
      t(
        '所选数据中 t 月整月无数据时，该月不输出。',
        'Months t with no rows at all in the selection are not listed.',
      ),
    ],
  });
  const warnings =
    missingNext > 0
      ? [
          t(
            `${missingNext} 笔借据在下月无记录，按未出催计`,
            `${missingNext} loans have no row next month and count as not cured`,
          ),
        ]
      : [];
  const quality = makeQuality(
    lm.count,
    used,
    {
      missing_dpd: missingDpd,
      missing_outstanding: amount ? missingOut : 0,
      missing_next_month: missingNext,
      duplicate_loan_month: duplicates,
    },
    warnings,
  );
  return result(data, basis, quality, {
    months,
    buckets: [allLabel, ...scale.labels.slice(1)],
    measure,
    groups: groups ? by : null,
  });
}
