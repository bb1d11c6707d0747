/**
 * Vintage (账龄分析): vintage c = issue month, MOB k = calendar months from issue month to snapshot
 * month (MOB 0 = issue month).
 *
 * current: `vintage(c, k) = Σ outstanding at MOB k of c's loans with dpd > d / Σ principal issued in c`.
 * ever:    `vintage(c, k) = Σ principal of c's loans with dpd > d at any MOB ≤ k / Σ principal issued in c`.
 * Count basis likewise (loans instead of amounts). Cells after the last snapshot month are null.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { BasisContext, MetricDef } from '../metric.js';
import type { MetricResult } from '../types.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import { TXT, asOfLabel, dateCol, monthLabel, numCol, openLoanMonths, pEnum, pNum } from './loan-months.js';

/** Parameters of `vintage`. */
export interface VintageParams {
  /** dpd threshold d: a loan is bad when dpd > d. Default 30. */
  d?: number;
  /** `current` (default): outstanding of loans bad at MOB k; `ever`: principal of loans bad at any MOB ≤ k. */
  variant?: 'current' | 'ever';
  /** `amount` (default) or `count`. */
  measure?: 'amount' | 'count';
  /** Optional cap on the MOB columns (inclusive). Default: up to the longest observable MOB. */
  maxMob?: number;
}

/** One cell of the vintage triangle (long format; every cohort × MOB 0..maxMob present). */
export type VintageRow = {
  /** Issue month `YYYY-MM`. */
  cohort: string;
  /** Months on book. */
  mob: number;
  /** Snapshot month of the cell (`cohort + mob`), `YYYY-MM`. */
  month: string;
  /** current: Σ outstanding (or loans) bad at MOB k; ever: Σ principal (or loans) ever bad by MOB k. Null when not observed (right-censored, or before the first snapshot). */
  numerator: number | null;
  /** Σ principal issued (or loans) in the cohort. */
  denominator: number;
  /** numerator / denominator; null when not observed or the cohort size is 0. */
  rate: number | null;
};

/** Cohort sizes (meta.cohorts). */
export type VintageCohort = {
  cohort: string;
  /** Loans of the cohort seen in the selection. */
  loans: number;
  /** Σ principal of those loans (loans with a missing principal excluded). */
  principal: number;
  /** Largest observed MOB (last snapshot month − cohort). */
  observedMob: number;
  /** Smallest observed MOB (first snapshot month of the selection − cohort, at least 0). */
  firstObservedMob: number;
};

export const vintage: MetricDef = {
  id: 'vintage',
  source: 'loan_months',
  reads: ['loans'],
  run(ctx, params, source) {
    const p = vintageParams(params);
    const { d, variant, measure, capMob } = p;
    const lm = openLoanMonths(ctx, source);
    const issueOwn = lm.ds.cols.issue_date !== undefined;
    const issueMonth = dateCol(ctx, source, 'issue_date').month;
    const principalCol = numCol(ctx, source, 'principal');
    const { rows, count, month, dpd, outstanding, loan, nLoans } = lm;
    const amount = measure === 'amount';
    const ever = variant === 'ever';

    // Pass 1: per loan, its cohort and principal (constant per loan: taken from its first selected row).
    const loanCoh = new Int32Array(nLoans).fill(NULL_INDEX);
    const loanPrin = new Float64Array(nLoans).fill(NaN);
    const loanSeen = new Uint8Array(nLoans);
    let minC = 2147483647;
    let maxC = NULL_INDEX;
    for (let q = 0; q < count; q++) {
      const i = rows ? rows[q]! : q;
      const c = loan[i]!;
      if (c < 0 || loanSeen[c]) continue;
      loanSeen[c] = 1;
      const cm = issueMonth[i]!;
      loanCoh[c] = cm;
      loanPrin[c] = principalCol[i]!;
      if (cm !== NULL_INDEX && cm <= lm.maxMonth) {
        if (cm < minC) minC = cm;
        if (cm > maxC) maxC = cm;
      }
    }
    const nCoh = maxC === NULL_INDEX ? 0 : maxC - minC + 1;
    let nMob = nCoh === 0 ? 0 : lm.maxMonth - minC + 1;
    if (capMob !== null && nMob > capMob + 1) nMob = capMob + 1;

    // Cohort sizes.
    const cohLoans = new Float64Array(nCoh);
    const cohPrin = new Float64Array(nCoh);
    let missingPrincipal = 0;
    for (let c = 0; c < nLoans; c++) {
      if (!loanSeen[c]) continue;
      const cm = loanCoh[c]!;
      if (cm === NULL_INDEX || cm > lm.maxMonth || nCoh === 0) continue;
      const p = loanPrin[c]!;
      if (p !== p) {
        missingPrincipal++;
        if (amount) continue;
      } else cohPrin[cm - minC]! += p;
      cohLoans[cm - minC]!++;
    }

    // Pass 2: numerators (current) or first bad MOB per loan (ever).
    const cells = new Float64Array(nCoh * Math.max(nMob, 0));
    const firstBad = ever ? new Int32Array(nLoans).fill(2147483647) : null;
    let used = 0;
    let missingLoan = 0;
    let missingSnap = 0;
    let beforeIssue = 0;
    let missingDpd = 0;
    let missingOut = 0;
    let noCohort = 0;
    for (let q = 0; q < count; q++) {
      const i = rows ? rows[q]! : q;
      const c = loan[i]!;
      if (c < 0) {
        missingLoan++;
        continue;
      }
      const cm = loanCoh[c]!;
      if (cm === NULL_INDEX) {
        noCohort++;
        continue;
      }
      const m = month[i]!;
      if (m === NULL_INDEX) {
        missingSnap++;
        continue;
      }
      const k = m - cm;
      if (k < 0) {
        beforeIssue++;
        continue;
      }
      if (amount && loanPrin[c] !== loanPrin[c]) continue; // loan excluded (missing principal)
      const dv = dpd[i]!;
      if (!(dv >= 0)) {
        missingDpd++;
        continue;
      }
      if (ever) {
        used++;
        if (dv > d && k < firstBad![c]!) firstBad![c] = k;
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
      if (dv > d && k < nMob) cells[(cm - minC) * nMob + k]! += v;
    }
    if (ever && firstBad) {
      for (let c = 0; c < nLoans; c++) {
        const k = firstBad[c]!;
        if (k === 2147483647 || k >= nMob) continue;
        const cm = loanCoh[c]!;
        if (cm === NULL_INDEX || cm > lm.maxMonth) continue;
        const p = loanPrin[c]!;
        if (amount && p !== p) continue;
        cells[(cm - minC) * nMob + k]! += amount ? p : 1;
      }
    }
    return vintageResult(ctx, p, {
      issueOwn,
      count: lm.count,
      maxDay: lm.maxDay,
      minMonth: lm.minMonth,
      maxMonth: lm.maxMonth,
      minC,
      nCoh,
      nMob,
      cohLoans,
      cohPrin,
      cells,
      used,
      excluded: {
        missing_loan_id: missingLoan,
        [issueOwn ? 'missing_issue_date' : 'unknown_loan']: noCohort,
        missing_snapshot: missingSnap,
        snapshot_before_issue: beforeIssue,
        missing_dpd: missingDpd,
        missing_outstanding: missingOut,
        missing_principal: amount ? missingPrincipal : 0,
      },
    });
  },
};

/** Validated params of `vintage` (same errors on every backend). */
export interface VintageParamsResolved {
  d: number;
  variant: 'current' | 'ever';
  measure: 'amount' | 'count';
  capMob: number | null;
}

export function vintageParams(params: Record<string, unknown> | null | undefined): VintageParamsResolved {
  const d = pNum(params, 'd', 30, { min: 0 });
  const variant = pEnum(params, 'variant', ['current', 'ever'] as const, 'current');
  const measure = pEnum(params, 'measure', ['amount', 'count'] as const, 'amount');
  const capMob =
    params?.maxMob === undefined || params?.maxMob === null
      ? null
      : pNum(params, 'maxMob', 0, { int: true, min: 0 });
  return { d, variant, measure, capMob };
}

/**
 * Aggregates of `vintage`: cohort sizes per issue month `minC + ci`, and cells `ci · nMob + k`
 * (current: Σ bad value at MOB k; ever: Σ value of loans first bad at MOB k, accumulated here).
 */
export interface VintageAgg {
  issueOwn: boolean;
  count: number;
  maxDay: number;
  minMonth: number;
  maxMonth: number;
  minC: number;
  nCoh: number;
  nMob: number;
  cohLoans: Float64Array;
  cohPrin: Float64Array;
  cells: Float64Array;
  used: number;
  excluded: Record<string, number>;
}

/** Shape `vintage` (triangle, basis, quality) from its aggregates: one definition for every backend. */
export function vintageResult(
  ctx: BasisContext,
  p: VintageParamsResolved,
  a: VintageAgg,
): MetricResult<object> {
  const { d, variant, measure, capMob } = p;
  const { issueOwn, minC, nCoh, nMob, cohLoans, cohPrin, cells, used } = a;
  const lm = { maxDay: a.maxDay, minMonth: a.minMonth, maxMonth: a.maxMonth };
  const amount = measure === 'amount';
  const ever = variant === 'ever';
  if (ever) {
    // cumulative along MOB
    for (let ci = 0; ci < nCoh; ci++) {
      let acc = 0;
      for (let k = 0; k < nMob; k++) {
        acc += cells[ci * nMob + k]!;
        cells[ci * nMob + k] = acc;
      }
    }
  }

  const data: VintageRow[] = [];
  const cohorts: VintageCohort[] = [];
  // `YYYY-MM` of each month index met, built once (the triangle repeats them nCoh times)
  const labels = new Map<number, string>();
  const label_ = (m: number): string => {
    let l = labels.get(m);
    if (l === undefined) {
      l = monthLabel(m);
      labels.set(m, l);
    }
    return l;
  };
  if (used > 0) {
    for (let ci = 0; ci < nCoh; ci++) {
      if (cohLoans[ci] === 0) continue;
      const cm = minC + ci;
      const label = label_(cm);
      const den = amount ? cohPrin[ci]! : cohLoans[ci]!;
      const denR = r10(den);
      const observed = lm.maxMonth - cm;
      cohorts.push({
        cohort: label,
        loans: cohLoans[ci]!,
        principal: r10(cohPrin[ci]!),
        observedMob: observed,
        firstObservedMob: Math.max(0, lm.minMonth - cm),
      });
      for (let k = 0; k < nMob; k++) {
        // right-censored (after the last snapshot) or before the first snapshot of the selection
        const censored = k > observed || cm + k < lm.minMonth;
        const nv = cells[ci * nMob + k]!;
        data.push({
          cohort: label,
          mob: k,
          month: label_(cm + k),
          numerator: censored ? null : r10(nv),
          denominator: denR,
          rate: censored ? null : ratio(nv, den),
        });
      }
    }
  }
  const what = amount ? t('余额', 'outstanding') : t('笔数', 'loans');
  const basis = makeBasis(ctx, {
    metric: 'vintage',
    title: ever
      ? t(`Vintage（曾经 dpd > ${d}）`, `Vintage (ever dpd > ${d})`)
      : t(`Vintage（当前 dpd > ${d}）`, `Vintage (current dpd > ${d})`),
    formula: ever
      ? amount
        ? t(
            `vintage(c, k) = c 月放款中在 MOB ≤ k 任一月曾 dpd > ${d} 的借据本金之和 / c 月放款本金之和`,
            `vintage(c, k) = Σ principal of c's loans with dpd > ${d} at any MOB ≤ k / Σ principal issued in c`,
          )
        : t(
            `vintage(c, k) = c 月放款中在 MOB ≤ k 任一月曾 dpd > ${d} 的借据笔数 / c 月放款笔数`,
            `vintage(c, k) = c's loans with dpd > ${d} at any MOB ≤ k / loans issued in c`,
          )
      : amount
        ? t(
            `vintage(c, k) = c 月放款在 MOB k 时 dpd > ${d} 的借据余额之和 / c 月放款本金之和`,
            `vintage(c, k) = Σ outstanding at MOB k of c's loans with dpd > ${d} / Σ principal issued in c`,
          )
        : t(
            `vintage(c, k) = c 月放款在 MOB k 时 dpd > ${d} 的借据笔数 / c 月放款笔数`,
            `vintage(c, k) = c's loans with dpd > ${d} at MOB k / loans issued in c`,
          ),
    numerator: ever
      ? t(
          `MOB ≤ k 内曾 dpd > ${d} 的借据${amount ? '本金' : '笔数'}`,
          `${amount ? 'Principal' : 'Count'} of loans ever dpd > ${d} by MOB k`,
        )
      : t(
          `MOB k 时 dpd > ${d} 的借据${what['zh-CN']}`,
          `${amount ? 'Outstanding' : 'Count'} of loans with dpd > ${d} at MOB k`,
        ),
    denominator: amount
      ? t('该放款月放款本金之和', 'Σ principal issued in the cohort')
      : t('该放款月放款笔数', 'Loans issued in the cohort'),
    measure,
    asOf: asOfLabel(lm.maxDay),
    variant,
    options: { d, variant, measure, maxMob: capMob },
    exclusions: [
      TXT.missingKeys,
      t(
        issueOwn
          ? 'issue_date 缺失的借据不参与（missing_issue_date）。'
          : '在 loans 中找不到（或无 issue_date）的借据不参与（unknown_loan）。',
        issueOwn
          ? 'Loans with a missing issue_date are excluded (missing_issue_date).'
          : 'Loans not found in `loans` (or without issue_date) are excluded (unknown_loan).',
      ),
      t(
        '余额口径下本金缺失的借据整笔不参与（missing_principal，按借据计）。',
        'Under the amount measure, loans with a missing principal are excluded entirely (missing_principal, counted in loans).',
      ),
      t(
        '快照月早于放款月的行不参与（snapshot_before_issue）。',
        'Rows whose snapshot month precedes the issue month are excluded (snapshot_before_issue).',
      ),
      TXT.missingDpd,
      ...(ever ? [] : [TXT.missingOutstanding]),
    ],
    notes: [
      t(`不良定义：dpd > ${d}（严格大于）。`, `Bad: dpd > ${d} (strictly greater).`),
      TXT.calendar,
      t(
        '右删失：放款月 + MOB 晚于所选数据最新快照月的格子为 null（不是 0）；已观测但借据已结清或无记录的格子为 0（曾经口径向后累计）。',
        'Right-censored: cells whose cohort + MOB is after the latest snapshot month of the selection are null (not 0); observed cells whose loans have closed or have no row are 0 (the ever variant carries forward).',
      ),
      t(
        '左截断：放款月 + MOB 早于所选数据最早快照月的格子同样为 null（无观测）；曾经口径只按已观测的月份累计。',
        'Left-truncated: cells whose cohort + MOB is before the earliest snapshot month of the selection are null as well (not observed); the ever variant accumulates over observed months only.',
      ),
      t(
        '分母为所选数据（含筛选）中出现过的借据：放款本金、放款月经 loan_id 关联 loans 取得。所有 status 的行都计入（核销借据的余额仍计为不良）。',
        'The denominator covers the loans present in the (filtered) selection; principal and issue month come through loan_id → loans. Rows of every status count (written-off balances remain bad).',
      ),
    ],
  });
  const quality = makeQuality(a.count, used, a.excluded);
  return result(data, basis, quality, {
    cohorts,
    mobs: nMob,
    d,
    variant,
    measure,
  });
}
