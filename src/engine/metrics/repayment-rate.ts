/**
 * Repayment rate (回款率): `Σ paid_amount / Σ due_amount` over the loan-months selected, per month
 * and in total; optionally only loans overdue at the start of the month, or per collector / team
 * when run on `collection_actions`.
 */
import { assertPeriods } from './period-cap.js';
import { NULL_INDEX } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { MetricResult } from '../types.js';
import type { BucketParams, BucketScale } from './dpd-buckets.js';
import { bucketOf, describeBuckets, resolveBuckets } from './dpd-buckets.js';
import type { Groups } from './loan-months.js';
import {
  ACTIVE,
  TXT,
  adjacentRows,
  sortedByLoanMonth,
  asOfLabel,
  buildPanel,
  catCol,
  dateCol,
  groupOrder,
  groupsOf,
  monthLabel,
  numCol,
  openLoanMonths,
  optNumCol,
  pBool,
  pStr,
  rowAt,
  statusAt,
  translateCodes,
} from './loan-months.js';

/** Parameters of `repayment_rate`. */
export interface RepaymentRateParams extends BucketParams {
  /**
   * Only loans overdue at the start of the month: in book and in M1+ at the previous month-end
   * snapshot (t − 1). Default false. Ignored on `collection_actions` (cases are overdue by nature).
   */
  overdueOnly?: boolean;
  /** Optional breakdown: a category field (`region`, `product`; on collection_actions `collector_id`, `team`, `channel`). */
  by?: string;
}

/** One row per month × group. */
export type RepaymentRateRow = {
  /** Month `YYYY-MM` (snapshot month; on collection_actions the month of action_time). */
  month: string;
  /** Group value (only with `by`). */
  group?: string | null;
  /** Σ paid_amount. */
  paid: number;
  /** Σ due_amount. */
  due: number;
  /** paid / due (not clamped: prepayments can exceed 1); null when due is 0. */
  rate: number | null;
  /** loan-months (or distinct loans per month on collection_actions) in the denominator. */
  loans: number;
};

/** Totals (meta.total, and meta.totals per group). */
export type RepaymentTotal = {
  group?: string | null;
  paid: number;
  due: number;
  rate: number | null;
  loans: number;
};

export const repaymentRate: MetricDef = {
  id: 'repayment_rate',
  source: 'loan_months',
  reads: ['loans', 'loan_months', 'collection_actions'],
  run(ctx, params, source) {
    const rp = repaymentParams(params);
    const { scale, overdueOnly, by } = rp;
    const ds = ctx.dataset(source);
    if (repaymentOnActions(ds.cols, source)) return onCollectionActions(ctx, source, rp);
    const lm = openLoanMonths(ctx, source);
    const due = numCol(ctx, source, 'due_amount');
    const paid = numCol(ctx, source, 'paid_amount');
    const groups: Groups | null = by ? groupsOf(ctx, source, by) : null;
    const G = groups ? groups.count : 1;
    const gcodes = groups ? groups.codes : null;
    const nullG = groups ? groups.nullGroup : 0;
    const { rows, count, month, dpd, loan } = lm;
    const edges = scale.edges;
    const M = lm.maxMonth === NULL_INDEX ? 0 : lm.maxMonth - lm.minMonth + 1;
    const m0 = lm.minMonth;
    const sorted = overdueOnly && sortedByLoanMonth(lm);
    const adj = overdueOnly && !sorted ? adjacentRows(lm, -1) : null;
    const prev = adj ? adj.adj : null;
    const P = new Float64Array(M * G);
    const D = new Float64Array(M * G);
    const L = new Float64Array(M * G);
    const seen = new Uint8Array(M * G);
    let used = 0;
    let missingSnap = 0;
    let missingDue = 0;
    let missingPaid = 0;
    let notOverdue = 0;
    for (let q = 0; q < count; q++) {
      const i = rows ? rows[q]! : q;
      const m = month[i]!;
      if (m === NULL_INDEX) {
        missingSnap++;
        continue;
      }
      let g = 0;
      if (gcodes) {
        g = gcodes[i]!;
        if (g < 0) g = nullG;
      }
      const cell = (m - m0) * G + g;
      if (overdueOnly) {
        let p = -1;
        if (prev) p = prev[i]!;
        else if (q > 0) {
          const j = rows ? rows[q - 1]! : q - 1;
          if (loan[j] === loan[i] && month[j] === m - 1) p = j;
        }
        if (p < 0 || statusAt(lm, p) !== ACTIVE || bucketOf(dpd[p]!, edges) < 1) {
          notOverdue++;
          continue;
        }
      }
      seen[cell] = 1;
      const du = due[i]!;
      if (du !== du) {
        missingDue++;
        continue;
      }
      const pa = paid[i]!;
      if (pa !== pa) {
        missingPaid++;
        continue;
      }
      used++;
      P[cell]! += pa;
      D[cell]! += du;
      L[cell]!++;
    }
    return repaymentResult(ctx, rp, {
      count: lm.count,
      maxDay: lm.maxDay,
      m0,
      M,
      G,
      P,
      D,
      L,
      seen,
      order: groupOrder(groups),
      labels: groups ? groups.labels : null,
      used,
      excluded: {
        missing_snapshot: missingSnap,
        missing_due_amount: missingDue,
        missing_paid_amount: missingPaid,
        not_overdue: notOverdue,
        duplicate_loan_month: adj ? adj.duplicates : 0,
      },
    });
  },
};

/** Resolved, validated params of `repayment_rate` (shared by the memory engine and the SQL compilers). */
export interface RepaymentParamsResolved {
  scale: BucketScale;
  overdueOnly: boolean;
  by: string | null;
}

/** Validate the params of `repayment_rate` (same errors on every backend). */
export function repaymentParams(params: Record<string, unknown> | null | undefined): RepaymentParamsResolved {
  const scale = resolveBuckets(params);
  const overdueOnly = pBool(params, 'overdueOnly', false);
  const by = pStr(params, 'by');
  return { scale, overdueOnly, by };
}

/** Whether the source is read as collection actions: no `due_amount`, and `action_time` or the name. */
export function repaymentOnActions(cols: Record<string, unknown>, source: string): boolean {
  return !cols['due_amount'] && (cols['action_time'] !== undefined || source === 'collection_actions');
}

/**
 * Aggregates of `repayment_rate` per (month, group) cell: Σ paid, Σ due, loans (loan-months; on
 * collection_actions distinct loans per cell), what the row loop (memory) or a GROUP BY (SQL
 * backends) computes. Cell index `(month − m0) · G + group`.
 */
export interface RepaymentAgg {
  count: number;
  maxDay: number;
  m0: number;
  M: number;
  G: number;
  P: Float64Array;
  D: Float64Array;
  L: Float64Array;
  seen: Uint8Array;
  /** Group indexes in output order, and labels (null when no `by`). */
  order: number[];
  labels: Array<string | null> | null;
  used: number;
  excluded: Record<string, number>;
}

/** Shape the loan-months aggregates into the result (rows, basis, quality): one definition for every backend. */
export function repaymentResult(
  ctx: BasisContext,
  p: RepaymentParamsResolved,
  a: RepaymentAgg,
): MetricResult<RepaymentRateRow> {
  const { scale, overdueOnly, by } = p;
  const lm = { maxDay: a.maxDay };
  const out = assemble(a);
  const basis = makeBasis(ctx, {
    metric: 'repayment_rate',
    title: overdueOnly ? t('逾期回款率', 'Overdue repayment rate') : t('回款率', 'Repayment rate'),
    formula: t(
      '回款率 = Σ paid_amount / Σ due_amount（所选借据与月份）',
      'Repayment rate = Σ paid_amount / Σ due_amount (loans and months selected)',
    ),
    numerator: t('实还金额之和 Σ paid_amount', 'Σ paid_amount'),
    denominator: t('应还金额之和 Σ due_amount', 'Σ due_amount'),
    measure: 'amount',
    asOf: asOfLabel(lm.maxDay),
    variant: overdueOnly ? 'overdue' : 'all',
    options: { overdueOnly, by, ...(overdueOnly ? { edges: scale.edges, labels: scale.labels } : {}) },
    exclusions: [
      t(
        'due_amount 或 paid_amount 缺失的行不参与（missing_due_amount / missing_paid_amount）。',
        'Rows with a missing due_amount or paid_amount are excluded (missing_due_amount / missing_paid_amount).',
      ),
      ...(overdueOnly
        ? [
            t(
              '仅逾期：只取上月末（t−1 快照）在册且处于 M1+ 的借据在 t 月的行；上月无记录的行不计入（not_overdue）。',
              'Overdue only: rows at t of loans in book and in M1+ at the previous month-end snapshot (t−1); rows without a t−1 row are left out (not_overdue).',
            ),
          ]
        : []),
    ],
    notes: [
      TXT.calendar,
      t(
        '不截断：提前还款可使回款率大于 1。meta.total 为全期合计（分子分母分别求和后相除）。',
        'Not clamped: prepayments can push the rate above 1. meta.total is the whole-period ratio (sums divided, not an average of months).',
      ),
      ...(overdueOnly
        ? [
            describeBuckets(scale),
            t(
              '“逾期借据”按月初状态（上月末快照 dpd ≥ 1）判定，而不是按当月末 dpd：当月还清的借据当月末已回到 M0，按月末判定会低估回款。',
              '“Overdue loans” are those overdue at the start of the month (dpd ≥ 1 at the previous month-end snapshot), not at the month end: a loan that pays up is back in M0 at the month end, so a month-end test would understate repayment.',
            ),
          ]
        : []),
    ],
  });
  const quality = makeQuality(a.count, a.used, a.excluded);
  return result(out.data, basis, quality, out.meta);
}

function assemble(a: RepaymentAgg): { data: RepaymentRateRow[]; meta: Record<string, unknown> } {
  const { P, D, L, seen, M, G, m0, order } = a;
  const groups = a.labels ? { labels: a.labels } : null;
  const data: RepaymentRateRow[] = [];
  const months: string[] = [];
  const gp = new Float64Array(G);
  const gd = new Float64Array(G);
  const gl = new Float64Array(G);
  const gs = new Uint8Array(G);
  for (let mo = 0; mo < M; mo++) {
    let any = false;
    for (const g of order) {
      const c = mo * G + g;
      if (!seen[c]) continue;
      any = true;
      gs[g] = 1;
      gp[g]! += P[c]!;
      gd[g]! += D[c]!;
      gl[g]! += L[c]!;
      const row: RepaymentRateRow = {
        month: monthLabel(m0 + mo),
        paid: r10(P[c]!),
        due: r10(D[c]!),
        rate: ratio(P[c]!, D[c]!),
        loans: L[c]!,
      };
      if (groups) row.group = groups.labels[g]!;
      data.push(row);
    }
    if (any) months.push(monthLabel(m0 + mo));
  }
  let tp = 0;
  let td = 0;
  let tl = 0;
  const totals: RepaymentTotal[] = [];
  for (const g of order) {
    tp += gp[g]!;
    td += gd[g]!;
    tl += gl[g]!;
    if (groups && gs[g])
      totals.push({
        group: groups.labels[g]!,
        paid: r10(gp[g]!),
        due: r10(gd[g]!),
        rate: ratio(gp[g]!, gd[g]!),
        loans: gl[g]!,
      });
  }
  const total: RepaymentTotal = { paid: r10(tp), due: r10(td), rate: ratio(tp, td), loans: tl };
  return { data, meta: { months, total, ...(groups ? { totals } : {}) } };
}

/**
 * On collection_actions: numerator Σ paid_amount of the actions in month t (action_time), denominator
 * Σ due_amount at t of the distinct loans those actions worked (from loan_months).
 */
function onCollectionActions(
  ctx: MetricContext,
  source: string,
  rp: RepaymentParamsResolved,
): MetricResult<RepaymentRateRow> {
  const { by } = rp;
  const ds = ctx.dataset(source);
  const arows = ctx.rows(source);
  const an = ds.n;
  const acount = arows ? arows.length : an;
  const aloan = catCol(ctx, source, 'loan_id');
  const atime = dateCol(ctx, source, 'action_time');
  const apaid = optNumCol(ctx, source, 'paid_amount') ?? new Float64Array(an).fill(NaN);
  const groups: Groups | null = by ? groupsOf(ctx, source, by) : null;
  const G = groups ? groups.count : 1;
  const gcodes = groups ? groups.codes : null;
  const nullG = groups ? groups.nullGroup : 0;
  const lm = openLoanMonths(ctx, 'loan_months');
  const lmDue = numCol(ctx, 'loan_months', 'due_amount');
  const panel = buildPanel(lm.loan, lm.month, lm.nLoans, lm.rows, lm.n);
  const toLm = translateCodes(aloan.dict, lm.loanDict);
  let minM = 2147483647;
  let maxM = NULL_INDEX;
  let maxDay = NULL_INDEX;
  for (let q = 0; q < acount; q++) {
    const i = arows ? arows[q]! : q;
    const m = atime.month[i]!;
    if (m === NULL_INDEX) continue;
    if (m < minM) minM = m;
    if (m > maxM) maxM = m;
    if (atime.day[i]! > maxDay) maxDay = atime.day[i]!;
  }
  const M = maxM === NULL_INDEX ? 0 : maxM - minM + 1;
  assertPeriods('repayment_rate', M);
  const P = new Float64Array(M * G);
  const D = new Float64Array(M * G);
  const L = new Float64Array(M * G);
  const seen = new Uint8Array(M * G);
  const counted = new Set<number>();
  const nL = Math.max(lm.nLoans, 1);
  let used = 0;
  let missingTime = 0;
  let unknownLoan = 0;
  let missingDue = 0;
  let missingPaid = 0;
  for (let q = 0; q < acount; q++) {
    const i = arows ? arows[q]! : q;
    const m = atime.month[i]!;
    if (m === NULL_INDEX) {
      missingTime++;
      continue;
    }
    const ac = aloan.codes[i]!;
    const c = ac < 0 ? -1 : toLm[ac]!;
    if (c < 0) {
      unknownLoan++;
      continue;
    }
    const r = rowAt(panel, c, m);
    const du = r < 0 ? NaN : lmDue[r]!;
    if (du !== du) {
      missingDue++;
      continue;
    }
    let g = 0;
    if (gcodes) {
      g = gcodes[i]!;
      if (g < 0) g = nullG;
    }
    const cell = (m - minM) * G + g;
    seen[cell] = 1;
    used++;
    const pa = apaid[i]!;
    if (pa === pa) P[cell]! += pa;
    else missingPaid++;
    const key = cell * nL + c;
    if (!counted.has(key)) {
      counted.add(key);
      D[cell]! += du;
      L[cell]!++;
    }
  }
  // Totals must count each (month, loan) once across groups: recompute the overall denominator.
  let total: { due: number; loans: number } | null = null;
  if (groups) {
    const once = new Set<number>();
    let td = 0;
    let tl = 0;
    for (let q = 0; q < acount; q++) {
      const i = arows ? arows[q]! : q;
      const m = atime.month[i]!;
      if (m === NULL_INDEX) continue;
      const ac = aloan.codes[i]!;
      const c = ac < 0 ? -1 : toLm[ac]!;
      if (c < 0) continue;
      const r = rowAt(panel, c, m);
      if (r < 0 || lmDue[r] !== lmDue[r]) continue;
      const key = (m - minM) * nL + c;
      if (once.has(key)) continue;
      once.add(key);
      td += lmDue[r]!;
      tl++;
    }
    total = { due: td, loans: tl };
  }
  return repaymentActionsResult(ctx, rp, source, {
    count: acount,
    maxDay,
    m0: minM,
    M,
    G,
    P,
    D,
    L,
    seen,
    order: groupOrder(groups),
    labels: groups ? groups.labels : null,
    used,
    total,
    excluded: {
      missing_action_time: missingTime,
      unknown_loan: unknownLoan,
      missing_due_amount: missingDue,
      missing_paid_amount: missingPaid,
    },
  });
}

/**
 * Shape the collection-actions aggregates into the result. `total`: the overall denominator
 * counting each (month, loan) once across groups (null without `by`: the cells' sums are it).
 */
export function repaymentActionsResult(
  ctx: BasisContext,
  p: RepaymentParamsResolved,
  source: string,
  a: RepaymentAgg & { total: { due: number; loans: number } | null },
): MetricResult<RepaymentRateRow> {
  const { overdueOnly, by } = p;
  const maxDay = a.maxDay;
  const out = assemble(a);
  const basis = makeBasis(ctx, {
    metric: 'repayment_rate',
    title: t('催收回款率', 'Collection repayment rate'),
    formula: t(
      '回款率 = t 月催收行动的 Σ paid_amount / 这些行动涉及借据在 t 月的 Σ due_amount（loan_months，每借据每月计一次）',
      'Repayment rate = Σ paid_amount of the actions in month t / Σ due_amount at t of the distinct loans they worked (loan_months, once per loan and month)',
    ),
    numerator: t('催收行动记录的实收金额之和', 'Σ paid_amount recorded on the actions'),
    denominator: t('被催收借据当月应还金额之和', 'Σ due_amount of the worked loans in the month'),
    measure: 'amount',
    asOf: maxDay === NULL_INDEX ? null : asOfLabel(maxDay),
    variant: 'cases',
    options: { overdueOnly, by, source },
    exclusions: [
      t(
        'action_time 缺失的行动不参与（missing_action_time）。',
        'Actions with a missing action_time are excluded (missing_action_time).',
      ),
      t(
        'loan_id 在 loan_months 中找不到的行动不参与（unknown_loan）。',
        'Actions whose loan_id is not in loan_months are excluded (unknown_loan).',
      ),
      t(
        '借据在行动当月无 loan_months 记录或 due_amount 缺失时，该行动不参与（missing_due_amount）。',
        'Actions whose loan has no loan_months row or due_amount in the action month are excluded (missing_due_amount).',
      ),
    ],
    notes: [
      t(
        'paid_amount 缺失的行动按 0 计（missing_paid_amount 计数）。',
        'A missing paid_amount on an action counts as 0 (counted as missing_paid_amount).',
      ),
      t(
        '分组（如 collector_id）时，同一借据被多人催收会计入每个人的分母；合计中每借据每月只计一次。',
        'When grouped (e.g. by collector_id), a loan worked by several collectors is in each one’s denominator; in the totals each loan counts once per month.',
      ),
      t(
        'overdueOnly 在 collection_actions 上不起作用：催收案件本身即逾期借据。',
        'overdueOnly has no effect on collection_actions: cases are overdue loans by nature.',
      ),
      TXT.calendar,
    ],
  });
  if (a.total) {
    const tot = out.meta.total as RepaymentTotal;
    out.meta.total = {
      paid: tot.paid,
      due: r10(a.total.due),
      rate: ratio(tot.paid, a.total.due),
      loans: a.total.loans,
    };
  }
  const quality = makeQuality(a.count, a.used, a.excluded);
  return result(out.data, basis, quality, { ...out.meta, source });
}
