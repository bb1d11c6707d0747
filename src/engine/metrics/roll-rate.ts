/**
 * Roll-rate matrix (滚动率矩阵): loan level between snapshot months t0 and t1. Row i = loans in
 * bucket i at t0; column j = their state at t1 (each bucket, `closed`, `written_off`, or `missing`
 * when the loan has no row at t1). Cell = share of the row's loans (or t0 outstanding) in j.
 */
import { scratchInt32 } from '../scratch.js';
import { NULL_INDEX } from '../../data/dataset.js';
import { FinError } from '../errors.js';
import type { BasisContext, MetricDef } from '../metric.js';
import type { MetricResult } from '../types.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { BucketParams, BucketScale } from './dpd-buckets.js';
import { bucketOf, describeBuckets, resolveBuckets } from './dpd-buckets.js';
import {
  ACTIVE,
  CLOSED,
  TXT,
  WRITTEN_OFF,
  dayLabel,
  monthLabel,
  openLoanMonths,
  pEnum,
  pMonth,
  statusAt,
} from './loan-months.js';

/** Parameters of `roll_rate`. */
export interface RollRateParams extends BucketParams {
  /** Start snapshot month `YYYY-MM`; default t1 − 1. */
  t0?: string;
  /** End snapshot month `YYYY-MM`; default t0 + 1 when t0 is given, else the latest month. */
  t1?: string;
  /** `count` (loans, default) or `amount` (t0 outstanding). */
  measure?: 'count' | 'amount';
}

/** One cell of the matrix (long format): every (from, to) pair is present. */
export type RollRateRow = {
  /** Bucket at t0 (`M0` … `M7+`). */
  from: string;
  /** State at t1: a bucket label, `closed`, `written_off` or `missing`. */
  to: string;
  /** Loans of row `from` in state `to`. */
  loans: number;
  /** Their Σ outstanding at t0. */
  amount: number;
  /** `loans` (measure count) or `amount` (measure amount). */
  value: number;
  /** value / row total; each non-empty row sums to 1; null when the row total is 0. */
  share: number | null;
};

/** Row totals (meta.totals). */
export type RollRateTotal = {
  from: string;
  loans: number;
  amount: number;
  value: number;
};

export const rollRate: MetricDef = {
  id: 'roll_rate',
  source: 'loan_months',
  reads: ['loans'],
  run(ctx, params, source) {
    const scale = resolveBuckets(params);
    const measure = pEnum(params, 'measure', ['count', 'amount'] as const, 'count');
    const lm = openLoanMonths(ctx, source);
    const [t0, t1] = rollMonths(params, lm.maxMonth);
    const { rows, count, month, dpd, outstanding, loan, nLoans } = lm;
    const edges = scale.edges;
    const nb = edges.length;
    const cols = [...scale.labels, 'closed', 'written_off', 'missing'];
    const C = cols.length;
    const J_CLOSED = nb;
    const J_WO = nb + 1;
    const J_MISSING = nb + 2;
    // per-loan rows at the two months, this call only: reused buffers (scratch.ts)
    const at0 = scratchInt32('roll.at0', nLoans, -1);
    const at1 = scratchInt32('roll.at1', nLoans, -1);
    let rowsT0 = 0;
    let missingLoan = 0;
    let duplicates = 0;
    let maxDay1 = NULL_INDEX;
    if (t1 !== NULL_INDEX) {
      for (let q = 0; q < count; q++) {
        const i = rows ? rows[q]! : q;
        const m = month[i]!;
        if (m !== t0 && m !== t1) continue;
        if (m === t0) rowsT0++;
        const c = loan[i]!;
        if (c < 0) {
          if (m === t0) missingLoan++;
          continue;
        }
        const arr = m === t0 ? at0 : at1;
        const prev = arr[c]!;
        if (prev < 0) arr[c] = i;
        else {
          duplicates++;
          if (i < prev) arr[c] = i;
        }
        if (m === t1 && lm.day[i]! > maxDay1) maxDay1 = lm.day[i]!;
      }
    }
    const cnt = new Float64Array(nb * C);
    const amt = new Float64Array(nb * C);
    let used = 0;
    let closed0 = 0;
    let wo0 = 0;
    let missingDpd = 0;
    let missingOut = 0;
    let missingAtT1 = 0;
    let missingDpdT1 = 0;
    const amount = measure === 'amount';
    for (let c = 0; c < nLoans; c++) {
      const i = at0[c]!;
      if (i < 0) continue;
      const st0 = statusAt(lm, i);
      if (st0 !== ACTIVE) {
        if (st0 === WRITTEN_OFF) wo0++;
        else closed0++;
        continue;
      }
      const b0 = bucketOf(dpd[i]!, edges);
      if (b0 < 0) {
        missingDpd++;
        continue;
      }
      const o = outstanding[i]!;
      if (o !== o) {
        missingOut++;
        if (amount) continue;
      }
      const r = at1[c]!;
      let j: number;
      if (r < 0) {
        j = J_MISSING;
        missingAtT1++;
      } else {
        const st1 = statusAt(lm, r);
        if (st1 === CLOSED) j = J_CLOSED;
        else if (st1 === WRITTEN_OFF) j = J_WO;
        else {
          const b1 = bucketOf(dpd[r]!, edges);
          if (b1 < 0) {
            j = J_MISSING;
            missingDpdT1++;
          } else j = b1;
        }
      }
      used++;
      cnt[b0 * C + j]!++;
      if (o === o) amt[b0 * C + j]! += o;
    }
    return rollRateResult(ctx, scale, measure, {
      t0,
      t1,
      count: lm.count,
      rowsT0,
      maxDay1,
      cnt,
      amt,
      used,
      missingAtT1,
      missingDpdT1,
      excluded: {
        missing_loan_id: missingLoan,
        closed_at_t0: closed0,
        written_off_at_t0: wo0,
        missing_dpd: missingDpd,
        missing_outstanding: amount ? missingOut : 0,
        duplicate_loan_month: duplicates,
        missing_at_t1: missingAtT1,
        missing_dpd_at_t1: missingDpdT1,
      },
    });
  },
};

/** t0 and t1 (month indexes) from params and the latest selected month; `bad_params` when t0 ≥ t1. */
export function rollMonths(
  params: Record<string, unknown> | null | undefined,
  maxMonth: number,
): [number, number] {
  const p0 = pMonth(params, 't0');
  const p1 = pMonth(params, 't1');
  let t0: number;
  let t1: number;
  if (p0 !== null && p1 !== null) {
    t0 = p0;
    t1 = p1;
  } else if (p0 !== null) {
    t0 = p0;
    t1 = p0 + 1;
  } else {
    t1 = p1 ?? maxMonth;
    t0 = t1 === NULL_INDEX ? NULL_INDEX : t1 - 1;
  }
  if (t1 !== NULL_INDEX && t0 >= t1) {
    throw new FinError('bad_params', 'Parameter "t0" must be before "t1"', {
      param: 't0',
      t0: monthLabel(t0),
      t1: monthLabel(t1),
    });
  }
  return [t0, t1];
}

/** Cells `from · C + to` (C = buckets + closed, written_off, missing) and counters (memory loop or SQL). */
export interface RollRateAgg {
  t0: number;
  t1: number;
  count: number;
  rowsT0: number;
  maxDay1: number;
  cnt: Float64Array;
  amt: Float64Array;
  used: number;
  missingAtT1: number;
  missingDpdT1: number;
  excluded: Record<string, number>;
}

/** Shape `roll_rate` from its aggregates: one definition for every backend. */
export function rollRateResult(
  ctx: BasisContext,
  scale: BucketScale,
  measure: 'count' | 'amount',
  a: RollRateAgg,
): MetricResult<object> {
  const { t0, t1, rowsT0, maxDay1, cnt, amt, used, missingAtT1, missingDpdT1 } = a;
  const lm = { count: a.count };
  const amount = measure === 'amount';
  const nb = scale.edges.length;
  const cols = [...scale.labels, 'closed', 'written_off', 'missing'];
  const C = cols.length;
  const data: RollRateRow[] = [];
  const totals: RollRateTotal[] = [];
  if (used > 0) {
    for (let b = 0; b < nb; b++) {
      let tl = 0;
      let ta = 0;
      for (let j = 0; j < C; j++) {
        tl += cnt[b * C + j]!;
        ta += amt[b * C + j]!;
      }
      const tv = amount ? ta : tl;
      totals.push({ from: scale.labels[b]!, loans: tl, amount: r10(ta), value: r10(tv) });
      for (let j = 0; j < C; j++) {
        const l = cnt[b * C + j]!;
        const a = amt[b * C + j]!;
        const v = amount ? a : l;
        data.push({
          from: scale.labels[b]!,
          to: cols[j]!,
          loans: l,
          amount: r10(a),
          value: r10(v),
          share: ratio(v, tv),
        });
      }
    }
  }
  const t0s = t1 === NULL_INDEX ? null : monthLabel(t0);
  const t1s = t1 === NULL_INDEX ? null : monthLabel(t1);
  const basis = makeBasis(ctx, {
    metric: 'roll_rate',
    title: t('滚动率矩阵', 'Roll-rate matrix'),
    formula: t(
      `cell(i, j) = t0 月处于阶段 i 且 t1 月处于状态 j 的借据${amount ? ' t0 余额' : '笔数'} / t0 月处于阶段 i 的借据${amount ? ' t0 余额' : '笔数'}；每行合计为 1`,
      `cell(i, j) = ${amount ? 't0 outstanding' : 'count'} of loans in bucket i at t0 that are in state j at t1 / ${amount ? 't0 outstanding' : 'count'} of loans in bucket i at t0; each row sums to 1`,
    ),
    numerator: t('t0 在阶段 i、t1 在状态 j 的借据', 'Loans in bucket i at t0 and in state j at t1'),
    denominator: t('t0 在阶段 i 的全部在册借据', 'All in-book loans in bucket i at t0'),
    measure,
    asOf: maxDay1 === NULL_INDEX ? t1s : dayLabel(maxDay1),
    variant: `${t0s ?? '?'}→${t1s ?? '?'}`,
    options: { t0: t0s, t1: t1s, measure, edges: scale.edges, labels: scale.labels },
    exclusions: [
      t(
        't0 月 status 为 closed / written_off 的借据不进入矩阵行（closed_at_t0 / written_off_at_t0）。',
        'Loans closed or written off at t0 are not rows of the matrix (closed_at_t0 / written_off_at_t0).',
      ),
      t(
        't0 月 dpd 缺失的借据不进入矩阵（missing_dpd）。',
        'Loans with a missing dpd at t0 are left out (missing_dpd).',
      ),
      t(
        '余额口径下 t0 余额缺失的借据不进入矩阵（missing_outstanding）。',
        'Under the amount measure, loans with a missing t0 outstanding are left out (missing_outstanding).',
      ),
      TXT.missingKeys,
    ],
    notes: [
      describeBuckets(scale),
      t(
        't1 月没有记录的借据（或 t1 月 dpd 缺失且未结清/核销）计入显式的 missing 列，保留在分母中，使每行合计为 1；其数量见 quality.excluded.missing_at_t1 / missing_dpd_at_t1 与警告。t1 月 status 为 closed 计入 closed 列，written_off 计入 written_off 列，其余按 t1 的 dpd 分阶段。',
        'Loans without a row at t1 (or with a missing dpd at t1 while not closed / written off) go to the explicit `missing` column and stay in the denominator so each row sums to 1; their numbers are in quality.excluded.missing_at_t1 / missing_dpd_at_t1 and a warning. Status closed at t1 → `closed`, written_off → `written_off`, otherwise the bucket of the t1 dpd.',
      ),
      t(
        '默认 t1 为最新快照月、t0 = t1 − 1（相邻自然月）。',
        'Default: t1 = the latest snapshot month, t0 = t1 − 1 (consecutive calendar months).',
      ),
      t('余额口径按 t0 余额加权。', 'The amount measure weights each loan by its t0 outstanding.'),
    ],
  });
  const warnings =
    missingAtT1 + missingDpdT1 > 0
      ? [
          t(
            `${missingAtT1 + missingDpdT1} 笔借据在 t1 月缺少状态，计入 missing 列`,
            `${missingAtT1 + missingDpdT1} loans have no state at t1 and are in the missing column`,
          ),
        ]
      : [];
  const quality = makeQuality(rowsT0, used, a.excluded, warnings);
  return result(
    data,
    basis,
    quality,
    { t0: t0s, t1: t1s, rows: scale.labels, columns: cols, totals, measure },
    lm.count > 0 && rowsT0 === 0 ? t('t0 月没有数据', 'No rows at t0') : undefined,
  );
}
