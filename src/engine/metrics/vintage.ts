/**
 * Vintage (账龄分析): vintage c = issue month, MOB k = calendar months from issue month to snapshot
 * month (MOB 0 = issue month).
 *
 * current: `vintage(c, k) = Σ outstanding at MOB k of c's loans with dpd > d / Σ principal issued in c`.
 * ever:    `vintage(c, k) = Σ principal of c's loans with dpd > d at any MOB ≤ k / Σ principal issued in c`.
 * Count basis likewise (loans instead of amounts). Cells after the last snapshot month are null.
 */
import { scratchFloat64, scratchInt32, scratchUint8 } from '../scratch.js';
import { NULL_INDEX } from '../../data/dataset.js';
import type { BasisContext, MetricDef } from '../metric.js';
import type { MetricResult } from '../types.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import {
  TXT,
  asOfLabel,
  dateCol,
  monthLabel,
  numCol,
  openLoanMonths,
  pEnum,
  pNum,
  translateCodes,
} from './loan-months.js';

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
    const vp = vintageParams(params);
    const { d, capMob } = vp;
    const lm = openLoanMonths(ctx, source);
    const issueOwn = lm.ds.cols.issue_date !== undefined;
    const issueMonth = dateCol(ctx, source, 'issue_date').month;
    const principalCol = numCol(ctx, source, 'principal');
    const { rows, count, month, dpd, outstanding, loan, nLoans } = lm;
    const amount = vp.measure === 'amount';
    const ever = vp.variant === 'ever';

    // Pass 1: per loan, its cohort and principal (constant per loan: taken from its first selected row).
    // Per-loan temporaries of this call only (a cube build runs it per cell): reused buffers (scratch.ts).
    const loanCoh = scratchInt32('vintage.loanCoh', nLoans, NULL_INDEX);
    const loanPrin = scratchFloat64('vintage.loanPrin', nLoans, NaN);
    const loanSeen = scratchUint8('vintage.loanSeen', nLoans, 0);
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
    const { nCoh, nMob } = vintageExtent(minC, maxC, lm.maxMonth, capMob);

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

    // Denominators from `loans` when loaded (METRICS.md: what was issued in the cohort): a loan
    // whose monthly rows are all missing still counts as issued. Only when every filter of the
    // query applies to `loans` too, so the two selections describe the same book.
    let noSnapshots = 0;
    let issuedFromLoans = false;
    if (source !== 'loans' && ctx.has('loans') && nCoh > 0) {
      const lds = ctx.dataset('loans');
      const lrows = ctx.rows('loans');
      const lid = lds.cols.loan_id;
      const lIssue = lds.cols.issue_date;
      const lPrin = lds.cols.principal;
      if (
        !ctx.unapplied.get('loans')?.length &&
        lid?.kind === 'cat' &&
        lIssue?.kind === 'date' &&
        lPrin?.kind === 'num'
      ) {
        issuedFromLoans = true;
        // A loan id is known when the selection of `source` has it (through the cached code
        // translation, no string per loan), counted once per id (a dictionary holds each id once).
        const toLm = translateCodes(lid.dict, lm.loanDict);
        const counted = new Uint8Array(lid.dict.length);
        const nl = lrows ? lrows.length : lds.n;
        for (let q = 0; q < nl; q++) {
          const i = lrows ? lrows[q]! : q;
          const code = lid.codes[i]!;
          if (code < 0 || counted[code]) continue;
          const c = toLm[code]!;
          if (c >= 0 && loanSeen[c]) continue;
          counted[code] = 1;
          noSnapshots++;
          const cm = lIssue.month[i]!;
          if (cm === NULL_INDEX || cm < minC || cm > maxC) continue;
          const p = lPrin.data[i]!;
          if (p !== p) {
            missingPrincipal++;
            if (amount) continue;
          } else cohPrin[cm - minC]! += p;
          cohLoans[cm - minC]!++;
        }
      }
    }

    // Pass 2: numerators (current) or first bad MOB per loan (ever).
    const cells = new Float64Array(nCoh * Math.max(nMob, 0));
    const firstBad = ever ? scratchInt32('vintage.firstBad', nLoans, 2147483647) : null;
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
    return vintageResult(ctx, vp, {
      count: lm.count,
      used,
      minMonth: lm.minMonth,
      maxMonth: lm.maxMonth,
      maxDay: lm.maxDay,
      issueOwn,
      minC,
      nCoh,
      nMob,
      cohLoans,
      cohPrin,
      cells,
      issuedFromLoans,
      noSnapshots,
      excluded: {
        missing_loan_id: missingLoan,
        no_cohort: noCohort,
        missing_snapshot: missingSnap,
        snapshot_before_issue: beforeIssue,
        missing_dpd: missingDpd,
        missing_outstanding: missingOut,
        missing_principal: missingPrincipal,
      },
    });
  },
};

/** Resolved, validated params of `vintage` (shared by the memory engine and the SQL compilers). */
export interface VintageParamsResolved {
  d: number;
  variant: 'current' | 'ever';
  measure: 'amount' | 'count';
  capMob: number | null;
}

/** Validate the params of `vintage` (same errors, in the same order, on every backend). */
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
 * The triangle's extent: cohorts `minC..maxC` (issue months up to the latest snapshot month),
 * MOB columns `0..nMob − 1` (to the longest observable MOB, capped by `maxMob`).
 */
export function vintageExtent(
  minC: number,
  maxC: number,
  maxMonth: number,
  capMob: number | null,
): { nCoh: number; nMob: number } {
  const nCoh = maxC === NULL_INDEX ? 0 : maxC - minC + 1;
  let nMob = nCoh === 0 ? 0 : maxMonth - minC + 1;
  if (capMob !== null && nMob > capMob + 1) nMob = capMob + 1;
  return { nCoh, nMob };
}

/**
 * Aggregates of `vintage`: what the row loop (memory) or the GROUP BYs (SQL backends) compute.
 * Cohort index `issue month − minC`; cell index `cohort · nMob + MOB`.
 */
export interface VintageAgg {
  /** Rows considered (after filters), rows used, and the selection's snapshot months and latest day. */
  count: number;
  used: number;
  minMonth: number;
  maxMonth: number;
  maxDay: number;
  /** The source has its own issue_date (else it comes through loan_id → loans). */
  issueOwn: boolean;
  minC: number;
  nCoh: number;
  nMob: number;
  /** Loans (count measure: all; amount: those with a principal) and Σ principal per cohort. */
  cohLoans: Float64Array;
  cohPrin: Float64Array;
  /** current: Σ bad at (cohort, MOB); ever: Σ of loans first bad at that MOB (cumulated here). */
  cells: Float64Array;
  issuedFromLoans: boolean;
  noSnapshots: number;
  excluded: {
    missing_loan_id: number;
    no_cohort: number;
    missing_snapshot: number;
    snapshot_before_issue: number;
    missing_dpd: number;
    missing_outstanding: number;
    missing_principal: number;
  };
}

/** Shape the aggregates into the result (rows, basis, quality): one definition for every backend. */
export function vintageResult(
  ctx: BasisContext,
  p: VintageParamsResolved,
  a: VintageAgg,
): MetricResult<object> {
  const { d, variant, measure, capMob } = p;
  const amount = measure === 'amount';
  const ever = variant === 'ever';
  const { nCoh, nMob, minC, cohLoans, cohPrin, cells, used, issueOwn, issuedFromLoans, noSnapshots } = a;
  const lm = { count: a.count, minMonth: a.minMonth, maxMonth: a.maxMonth, maxDay: a.maxDay };
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
      ...(issuedFromLoans
        ? [
            t(
              `分母取自 loans：放款月内全部放款（含没有任何月度快照的借据 ${noSnapshots} 笔，其分子为 0）。`,
              `Denominators come from loans: everything issued in the cohort, including ${noSnapshots} loans without any monthly snapshot (which add nothing to the numerators).`,
            ),
          ]
        : []),
    ],
  });
  const ex = a.excluded;
  const quality = makeQuality(lm.count, used, {
    missing_loan_id: ex.missing_loan_id,
    [issueOwn ? 'missing_issue_date' : 'unknown_loan']: ex.no_cohort,
    missing_snapshot: ex.missing_snapshot,
    snapshot_before_issue: ex.snapshot_before_issue,
    missing_dpd: ex.missing_dpd,
    missing_outstanding: ex.missing_outstanding,
    missing_principal: amount ? ex.missing_principal : 0,
  });
  if (noSnapshots > 0) {
    quality.excluded.no_snapshots = noSnapshots;
    quality.warnings.push(
      t(
        `${noSnapshots} 笔借据在 loans 中有放款记录但没有任何月度快照：计入分母，分子为 0（余额可能尚未报送）。`,
        `${noSnapshots} loans in loans have no monthly snapshot at all: they count in the denominators with nothing in the numerators (balances not yet reported?).`,
      ),
    );
  }
  return result(data, basis, quality, {
    cohorts,
    mobs: nMob,
    d,
    variant,
    measure,
  });
}
