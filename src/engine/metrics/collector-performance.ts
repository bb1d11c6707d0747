/**
 * Collector performance (催收员绩效), per collector and per team, from `collection_actions`
 * (and `loan_months` for the overdue outstanding assigned).
 *
 * cases assigned; coverage = cases with ≥ 1 action / cases assigned; penetration = actions / case;
 * connect rate = contacted phone actions / phone actions; PTP rate = PTPs / contacted actions;
 * PTP kept rate = PTPs paid in full by ptp_due_date / PTPs due; recovered = Σ paid_amount;
 * recovery rate = recovered / overdue outstanding assigned.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { MetricDef } from '../metric.js';
import type { MetricResult } from '../types.js';
import { buildPanel, catCol, dateCol, openLoanMonths, translateCodes } from './loan-months.js';
import type { Panel } from './loan-months.js';
import { aggregate, caseScratch, groupByCase, rowScratch, sortByTime } from './collector-aggregate.js';
import type { Inputs, PanelCheck, RowScratch } from './collector-aggregate.js';
import type { CollectorAgg } from './collector-result.js';
import { collectorLevel, collectorResult } from './collector-result.js';

export type { CollectorPerformanceParams, CollectorPerformanceRow } from './collector-result.js';

const BOOL_TRUE = 1;

export const collectorPerformance: MetricDef = {
  id: 'collector_performance',
  source: 'collection_actions',
  reads: ['loan_months', 'loans'],
  run(ctx, params, source) {
    return runCollectors(ctx, params, source, null);
  },
  runGrouped(groups, params, source) {
    // The cells must partition the source's rows (they share its row scratch).
    if (!groups.groupOf(source)) return null;
    const scratch = rowScratch(groups.base.dataset(source).n);
    // One loan_months panel over the base rows for every cell, when the cells partition loan_months
    // too: a cell's own panel finds, for a (loan, month), the lowest-index row among its rows; the
    // base panel's row is that row whenever it lies in the cell (checked at every look-up — where
    // it does not, the kernel declines and the cells run one by one).
    const lmCells = groups.base.has('loan_months') ? groups.groupOf('loan_months') : null;
    let panel: SharedPanel | null = null;
    if (lmCells) {
      const lm = openLoanMonths(groups.base, 'loan_months');
      panel = {
        panel: buildPanel(lm.loan, lm.month, lm.nLoans, lm.rows, lm.n),
        lmOut: lm.outstanding,
        loanDict: lm.loanDict,
        check: { cellOf: lmCells, g: -1, mismatch: false },
      };
    }
    const out = groups.cells.map((ctx, g) => {
      if (panel) panel.check.g = g;
      return runCollectors(ctx, params, source, scratch, panel);
    });
    return panel?.check.mismatch ? null : out;
  },
};

/** The base rows' loan_months panel shared by the cells of a grouped run. */
interface SharedPanel {
  panel: Panel;
  lmOut: Float64Array;
  loanDict: string[];
  check: PanelCheck;
}

function runCollectors(
  ctx: MetricContext,
  params: Record<string, unknown>,
  source: string,
  shared: RowScratch | null,
  sharedPanel: SharedPanel | null = null,
): MetricResult<object> {
  const level = collectorLevel(params);
  const ds = ctx.dataset(source);
  const n = ds.n;
  const rows = ctx.rows(source);
  const count = rows ? rows.length : n;
  const collector = catCol(ctx, source, 'collector_id');
  const teamC = ctx.tryCol(source, 'team');
  const team = teamC && teamC.kind === 'cat' ? teamC : null;
  const time = dateCol(ctx, source, 'action_time');
  const chan = catCol(ctx, source, 'channel');
  const caseC = ctx.tryCol(source, 'case_id');
  const loanC = ctx.tryCol(source, 'loan_id');
  const caseCodes = caseC && caseC.kind === 'cat' ? caseC : null;
  const loanCodes = loanC && loanC.kind === 'cat' ? loanC : null;
  const contactedC = ctx.tryCol(source, 'contacted');
  const ptpC = ctx.tryCol(source, 'ptp');
  const ptpAmt = ctx.tryCol(source, 'ptp_amount');
  const ptpDue = ctx.tryCol(source, 'ptp_due_date');
  const paidC = ctx.tryCol(source, 'paid_amount');
  const costC = ctx.tryCol(source, 'cost');

  const nCaseDict = caseCodes ? caseCodes.dict.length : 0;
  const nLoanDict = loanCodes ? loanCodes.dict.length : 0;
  const nCases = nCaseDict + nLoanDict;
  const phoneCode = chan.dict.indexOf('phone');

  // loan_months for the assigned outstanding (optional).
  let panel: Panel | null = null;
  let lmOut: Float64Array | null = null;
  let toLm: Int32Array | null = null;
  if (ctx.has('loan_months') && loanCodes) {
    if (sharedPanel) {
      ctx.rows('loan_months'); // the cell's selection there (a clause it cannot apply is noted)
      panel = sharedPanel.panel;
      lmOut = sharedPanel.lmOut;
      toLm = translateCodes(loanCodes.dict, sharedPanel.loanDict);
    } else {
      const lm = openLoanMonths(ctx, 'loan_months');
      panel = buildPanel(lm.loan, lm.month, lm.nLoans, lm.rows, lm.n);
      lmOut = lm.outstanding;
      toLm = translateCodes(loanCodes.dict, lm.loanDict);
    }
  }

  const inp: Inputs = {
    n,
    rows,
    count,
    nCases,
    time: time.data,
    month: time.month,
    lmOut,
    panel,
    panelCheck: sharedPanel ? sharedPanel.check : null,
    ...(shared ?? rowScratch(n)),
    cases: shared ? (shared.cases ??= caseScratch(nCases)) : caseScratch(nCases),
  };
  let missingTime = 0;
  let missingCase = 0;
  let missingPaid = 0;
  let ptpNoContact = 0;
  let asOfDay = NULL_INDEX;
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    if (time.day[i] === NULL_INDEX) {
      missingTime++;
      continue;
    }
    let cs = caseCodes ? caseCodes.codes[i]! : -1;
    const lc = loanCodes ? loanCodes.codes[i]! : -1;
    if (cs < 0 && lc >= 0) cs = nCaseDict + lc;
    if (cs < 0) {
      missingCase++;
      continue;
    }
    inp.caseOf[i] = cs;
    inp.valid[i] = 1;
    if (time.day[i]! > asOfDay) asOfDay = time.day[i]!;
    if (toLm && lc >= 0) inp.loanOfRow[i] = toLm[lc]!;
    const ch = chan.codes[i]!;
    if (ch >= 0) {
      inp.isAction[i] = 1;
      if (ch === phoneCode) inp.isPhone[i] = 1;
      const ct = contactedC && contactedC.kind === 'bool' ? contactedC.data[i]! : -1;
      const pt = ptpC && ptpC.kind === 'bool' ? ptpC.data[i]! : -1;
      if (pt === BOOL_TRUE) {
        inp.ptp[i] = 1;
        if (ct !== BOOL_TRUE) ptpNoContact++;
      }
      if (ct === BOOL_TRUE || pt === BOOL_TRUE) inp.contacted[i] = 1;
    }
    const pa = paidC && paidC.kind === 'num' ? paidC.data[i]! : NaN;
    if (pa === pa) inp.paid[i] = pa;
    else if (paidC) missingPaid++;
    const co = costC && costC.kind === 'num' ? costC.data[i]! : NaN;
    if (co === co) inp.cost[i] = co;
  }

  // PTP kept: per case, actions sorted by time; a PTP is kept when the case's paid_amount from the
  // PTP's action time through the end of ptp_due_date reaches ptp_amount.
  let missingPtpAmount = 0;
  let missingPtpDue = 0;
  const ptpAmtData = ptpAmt && ptpAmt.kind === 'num' ? ptpAmt.data : null;
  const ptpDueDay = ptpDue && ptpDue.kind === 'date' ? ptpDue.day : null;
  // (each case's PTPs depend only on its own actions: the order cases are visited in is free)
  const { order, start, nList } = groupByCase(inp);
  for (let x = 0; x < nList; x++) {
    const s0 = start[x]!;
    const s1 = start[x + 1]!;
    sortByTime(order, s0, s1, inp.time);
    for (let s = s0; s < s1; s++) {
      const p = order[s]!;
      if (!inp.ptp[p]) continue;
      const amt = ptpAmtData ? ptpAmtData[p]! : NaN;
      if (amt !== amt) {
        missingPtpAmount++;
        continue;
      }
      const due = ptpDueDay ? ptpDueDay[p]! : NULL_INDEX;
      if (due === NULL_INDEX) {
        missingPtpDue++;
        continue;
      }
      const tp = inp.time[p]!;
      let a = s;
      while (a > s0 && inp.time[order[a - 1]!] === tp) a--;
      let sum = 0;
      for (let b = a; b < s1; b++) {
        const r = order[b]!;
        if (time.day[r]! > due) break;
        sum += inp.paid[r]!;
      }
      inp.kept[p] = sum >= amt - 1e-9 ? 1 : due > asOfDay ? 2 : 0;
    }
  }

  const collectors: CollectorAgg['collectors'] = [];
  const teams: CollectorAgg['teams'] = [];
  let missingOutstanding = 0;
  let usedRows = 0;
  for (let q = 0; q < count; q++) if (inp.valid[rows ? rows[q]! : q]) usedRows++;
  if (usedRows > 0) {
    if (level !== 'team') {
      const agg = aggregate(
        inp,
        collector.codes,
        collector.dict.length,
        team ? team.codes : null,
        team ? team.dict : [],
      );
      missingOutstanding += agg.missingOutstanding;
      for (const e of agg.entities) {
        collectors.push({
          collector: collector.dict[e.code] ?? null,
          team: e.teamCode < 0 || !team ? null : team.dict[e.teamCode]!,
          a: e,
        });
      }
    }
    if (level !== 'collector') {
      const tcodes = team ? team.codes : new Int32Array(n).fill(-1);
      const agg = aggregate(inp, tcodes, team ? team.dict.length : 0, null, []);
      if (level === 'team') missingOutstanding += agg.missingOutstanding;
      for (const e of agg.entities) teams.push({ team: e.code < 0 || !team ? null : team.dict[e.code]!, a: e });
    }
  }
  return collectorResult(ctx, level, {
    count,
    usedRows,
    asOfDay,
    hasLm: panel !== null,
    collectors,
    teams,
    ptpNoContact,
    excluded: {
      missing_action_time: missingTime,
      missing_case: missingCase,
      missing_ptp_amount: missingPtpAmount,
      missing_ptp_due_date: missingPtpDue,
      missing_paid_amount: missingPaid,
      missing_outstanding: missingOutstanding,
    },
  });
}
