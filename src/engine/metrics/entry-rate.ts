/**
 * Entry rate (入催率): for month t, of the loans that were M0 at t − 1 and have `due_amount > 0` at
 * t, the share that is M1+ at t (count and amount bases).
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { BasisContext, MetricDef } from '../metric.js';
import type { MetricResult } from '../types.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { BucketParams, BucketScale } from './dpd-buckets.js';
import { describeBuckets, resolveBuckets } from './dpd-buckets.js';
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
  numCol,
  openLoanMonths,
  pEnum,
  pStr,
} from './loan-months.js';

/** Parameters of `entry_rate`. */
export interface EntryRateParams extends BucketParams {
  /** Which basis `numerator` / `denominator` / `rate` carry: `count` (default) or `amount`. */
  measure?: 'count' | 'amount';
  /** Amount of a loan under the amount basis: `outstanding` at t (default) or `due_amount` at t. */
  amountField?: 'outstanding' | 'due_amount';
  /** Optional breakdown by a category field (e.g. `region`, `product`, `channel`). */
  by?: string;
}

/** One row per month t (from the second observed month) × group. */
export type EntryRateRow = {
  /** Month t, `YYYY-MM`. */
  month: string;
  /** Group value (only with `by`). */
  group?: string | null;
  /** enteredLoans or enteredAmount, per measure. */
  numerator: number;
  /** baseLoans or baseAmount, per measure. */
  denominator: number;
  /** numerator / denominator; null when the base is empty. */
  rate: number | null;
  /** Loans M0 at t − 1 with due_amount > 0 at t. */
  baseLoans: number;
  /** Of those, loans in M1+ at t. */
  enteredLoans: number;
  /** Σ amount (amountField at t) of the base. */
  baseAmount: number;
  /** Σ amount of the entrants. */
  enteredAmount: number;
};

export const entryRate: MetricDef = {
  id: 'entry_rate',
  source: 'loan_months',
  reads: ['loans'],
  run(ctx, params, source) {
    const p_ = entryRateParams(params);
    const { scale, measure, amountField, by } = p_;
    const lm = openLoanMonths(ctx, source);
    const due = numCol(ctx, source, 'due_amount');
    const groups: Groups | null = by ? groupsOf(ctx, source, by) : null;
    const G = groups ? groups.count : 1;
    const gcodes = groups ? groups.codes : null;
    const nullG = groups ? groups.nullGroup : 0;
    const { rows, count, month, dpd, loan } = lm;
    const amt = amountField === 'due_amount' ? due : lm.outstanding;
    const amount = measure === 'amount';
    const edges = scale.edges;
    const m1Edge = edges[1]!;
    const order = groupOrder(groups);
    const M = lm.maxMonth === NULL_INDEX ? 0 : lm.maxMonth - lm.minMonth + 1;
    const m0 = lm.minMonth;
    // previous month of a row: the previous selected row when sorted by (loan, month), else a look-up
    const sorted = sortedByLoanMonth(lm);
    const adj = sorted ? null : adjacentRows(lm, -1);
    const prev = adj ? adj.adj : null;
    const duplicates = adj ? adj.duplicates : 0;
    const sc = lm.statusCodes;
    const sk = lm.statusKind;
    const baseL = new Float64Array(M * G);
    const entL = new Float64Array(M * G);
    const baseA = new Float64Array(M * G);
    const entA = new Float64Array(M * G);
    const seen = new Uint8Array(M * G);
    let used = 0;
    let missingDpd = 0;
    let missingAmt = 0;
    let missingDue = 0;
    for (let q = 0; q < count; q++) {
      const i = rows ? rows[q]! : q;
      const m = month[i]!;
      if (m === NULL_INDEX) continue;
      let g = 0;
      if (gcodes) {
        g = gcodes[i]!;
        if (g < 0) g = nullG;
      }
      const cell = (m - m0) * G + g;
      seen[cell] = 1;
      let p = -1;
      if (prev) p = prev[i]!;
      else if (q > 0) {
        const j = rows ? rows[q - 1]! : q - 1;
        if (loan[j] === loan[i] && month[j] === m - 1) p = j;
      }
      if (p < 0) continue;
      const sp = sc[p]!;
      if (sp >= 0 && sk[sp] !== ACTIVE) continue;
      const pd = dpd[p]!;
      if (!(pd >= 0 && pd < m1Edge)) continue; // M0 at t − 1 (missing dpd at t − 1: not M0)
      const du = due[i]!;
      if (!(du > 0)) {
        if (du !== du) missingDue++;
        continue;
      }
      const si = sc[i]!;
      const st = si < 0 ? ACTIVE : sk[si]!;
      const d = dpd[i]!;
      if (st !== CLOSED && !(d >= 0)) {
        missingDpd++;
        continue;
      }
      const a = amt[i]!;
      if (a !== a) {
        missingAmt++;
        if (amount) continue;
      }
      used++;
      const entered = st !== CLOSED && d >= m1Edge; // bucket ≥ M1
      baseL[cell]!++;
      if (a === a) baseA[cell]! += a;
      if (entered) {
        entL[cell]!++;
        if (a === a) entA[cell]! += a;
      }
    }
    return entryRateResult(ctx, p_, {
      count: lm.count,
      maxDay: lm.maxDay,
      m0,
      M,
      G,
      order,
      labels: groups ? groups.labels : null,
      baseL,
      entL,
      baseA,
      entA,
      seen,
      used,
      excluded: {
        missing_due_amount: missingDue,
        missing_dpd: missingDpd,
        missing_amount: amount ? missingAmt : 0,
        duplicate_loan_month: duplicates,
      },
    });
  },
};

/** Validated params of `entry_rate` (same errors on every backend). */
export interface EntryRateParamsResolved {
  scale: BucketScale;
  measure: 'count' | 'amount';
  amountField: 'outstanding' | 'due_amount';
  by: string | null;
}

export function entryRateParams(params: Record<string, unknown> | null | undefined): EntryRateParamsResolved {
  const scale = resolveBuckets(params);
  const measure = pEnum(params, 'measure', ['count', 'amount'] as const, 'count');
  const amountField = pEnum(params, 'amountField', ['outstanding', 'due_amount'] as const, 'outstanding');
  const by = pStr(params, 'by');
  return { scale, measure, amountField, by };
}

/** Per (month, group) cell `(month − m0) · G + g`: base and entrants, loans and amounts (memory loop or SQL). */
export interface EntryRateAgg {
  count: number;
  maxDay: number;
  m0: number;
  M: number;
  G: number;
  order: number[];
  labels: Array<string | null> | null;
  baseL: Float64Array;
  entL: Float64Array;
  baseA: Float64Array;
  entA: Float64Array;
  seen: Uint8Array;
  used: number;
  excluded: Record<string, number>;
}

/** Shape `entry_rate` from its aggregates: one definition for every backend. */
export function entryRateResult(
  ctx: BasisContext,
  p: EntryRateParamsResolved,
  a: EntryRateAgg,
): MetricResult<object> {
  const { scale, measure, amountField, by } = p;
  const { m0, M, G, order, baseL, entL, baseA, entA, seen, used } = a;
  const groups = a.labels ? { labels: a.labels } : null;
  const amount = measure === 'amount';
  const lm = { count: a.count, maxDay: a.maxDay };
  const data: EntryRateRow[] = [];
  const months: string[] = [];
  for (let mo = 1; mo < M; mo++) {
    let any = false;
    for (const g of order) {
      const cell = mo * G + g;
      if (!seen[cell]) continue;
      any = true;
      const n = amount ? entA[cell]! : entL[cell]!;
      const dd = amount ? baseA[cell]! : baseL[cell]!;
      const row: EntryRateRow = {
        month: monthLabel(m0 + mo),
        numerator: r10(n),
        denominator: r10(dd),
        rate: ratio(n, dd),
        baseLoans: baseL[cell]!,
        enteredLoans: entL[cell]!,
        baseAmount: r10(baseA[cell]!),
        enteredAmount: r10(entA[cell]!),
      };
      if (groups) row.group = groups.labels[g]!;
      data.push(row);
    }
    if (any) months.push(monthLabel(m0 + mo));
  }
  const amtText =
    amountField === 'due_amount'
      ? t('t 月应还金额 due_amount', 'due_amount at t')
      : t('t 月余额 outstanding', 'outstanding at t');
  const basis = makeBasis(ctx, {
    metric: 'entry_rate',
    title: t('入催率', 'Entry rate'),
    formula: t(
      `t 月入催率 = t−1 月为 M0 且 t 月 due_amount > 0、t 月进入 M1+ 的借据${amount ? '金额' : '笔数'} / t−1 月为 M0 且 t 月 due_amount > 0 的借据${amount ? '金额' : '笔数'}`,
      `Entry rate at t = ${amount ? 'amount' : 'count'} of loans M0 at t−1 with due_amount > 0 at t that are M1+ at t / ${amount ? 'amount' : 'count'} of loans M0 at t−1 with due_amount > 0 at t`,
    ),
    numerator: t('t 月新进入 M1+ 的借据', 'Loans that entered M1+ at t'),
    denominator: t(
      't−1 月 M0 且 t 月有应还（due_amount > 0）的借据',
      'Loans M0 at t−1 with an amount due (due_amount > 0) at t',
    ),
    measure,
    asOf: asOfLabel(lm.maxDay),
    options: { measure, amountField, by, edges: scale.edges, labels: scale.labels },
    exclusions: [
      t(
        't−1 月没有记录、t−1 月非在册（closed / written_off）或 dpd 缺失的借据不在分母中。',
        'Loans without a row at t−1, not in book at t−1 (closed / written_off), or with a missing dpd at t−1 are not in the base.',
      ),
      t(
        't 月 due_amount 缺失的行不在分母中（missing_due_amount）。',
        'Rows with a missing due_amount at t are not in the base (missing_due_amount).',
      ),
      t(
        't 月未结清且 dpd 缺失的行不参与（missing_dpd）。',
        'Rows not closed at t with a missing dpd are excluded (missing_dpd).',
      ),
      t(
        '金额口径下金额缺失的行不参与（missing_amount）。',
        'Under the amount measure, rows with a missing amount are excluded (missing_amount).',
      ),
    ],
    notes: [
      describeBuckets(scale),
      TXT.calendar,
      t(
        `金额口径取 ${amtText['zh-CN']}（分子分母一致）。t 月 status 为 closed 的借据视为未入催；逐笔按 (loan_id, 月份) 对齐上月。`,
        `The amount basis uses ${amtText['en-US']} (numerator and denominator alike). Loans closed at t did not enter; loans are matched to the previous month by (loan_id, month).`,
      ),
      t('首个观测月没有上月，不输出。', 'The first observed month has no prior month and is not listed.'),
    ],
  });
  const quality = makeQuality(lm.count, used, a.excluded);
  return result(data, basis, quality, { months, measure, amountField, groups: groups ? by : null });
}
