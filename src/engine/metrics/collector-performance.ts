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
import type { MetricDef } from '../metric.js';
import { buildPanel, catCol, dateCol, openLoanMonths, rowAt, translateCodes } from './loan-months.js';
import type { Panel } from './loan-months.js';
import type { CollectorAgg, EntityAgg } from './collector-result.js';
import { collectorLevel, collectorResult, newEntityAgg } from './collector-result.js';

export type { CollectorPerformanceParams, CollectorPerformanceRow } from './collector-result.js';

interface Inputs {
  n: number;
  rows: Int32Array | null;
  count: number;
  caseOf: Int32Array;
  nCases: number;
  loanOfRow: Int32Array; // loan_months loan code per row, −1 unknown
  time: Float64Array;
  month: Int32Array;
  valid: Uint8Array; // row usable (time present, case present)
  isAction: Uint8Array;
  isPhone: Uint8Array;
  contacted: Uint8Array;
  ptp: Uint8Array;
  kept: Int8Array; // per row: 1 kept, 0 not kept, 2 pending, −1 not a PTP / not evaluable
  paid: Float64Array;
  cost: Float64Array;
  lmOut: Float64Array | null;
  panel: Panel | null;
}

const BOOL_TRUE = 1;

export const collectorPerformance: MetricDef = {
  id: 'collector_performance',
  source: 'collection_actions',
  reads: ['loan_months', 'loans'],
  run(ctx, params, source) {
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
      const lm = openLoanMonths(ctx, 'loan_months');
      panel = buildPanel(lm.loan, lm.month, lm.nLoans, lm.rows, lm.n);
      lmOut = lm.outstanding;
      toLm = translateCodes(loanCodes.dict, lm.loanDict);
    }

    const inp: Inputs = {
      n,
      rows,
      count,
      caseOf: new Int32Array(n).fill(-1),
      nCases,
      loanOfRow: new Int32Array(n).fill(-1),
      time: time.data,
      month: time.month,
      valid: new Uint8Array(n),
      isAction: new Uint8Array(n),
      isPhone: new Uint8Array(n),
      contacted: new Uint8Array(n),
      ptp: new Uint8Array(n),
      kept: new Int8Array(n).fill(-1),
      paid: new Float64Array(n),
      cost: new Float64Array(n),
      lmOut,
      panel,
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
    const { order, start } = groupRows(inp, inp.caseOf, nCases);
    for (let cs = 0; cs < nCases; cs++) {
      const s0 = start[cs]!;
      const s1 = start[cs + 1]!;
      if (s1 === s0) continue;
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
        for (const e of agg.entities)
          teams.push({ team: e.code < 0 || !team ? null : team.dict[e.code]!, a: e });
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
  },
};

/** Counting sort of the valid selected rows by a code (0..k−1); `start` has k + 1 offsets. */
function groupRows(
  inp: Inputs,
  codes: Int32Array,
  k: number,
  nullCode = -1,
): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(k + 1);
  const { rows, count } = inp;
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    if (!inp.valid[i]) continue;
    let c = codes[i]!;
    if (c < 0) c = nullCode;
    if (c >= 0) start[c + 1]!++;
  }
  for (let c = 0; c < k; c++) start[c + 1]! += start[c]!;
  const pos = start.slice(0, k);
  const order = new Int32Array(start[k]!);
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    if (!inp.valid[i]) continue;
    let c = codes[i]!;
    if (c < 0) c = nullCode;
    if (c >= 0) order[pos[c]!++] = i;
  }
  return { order, start };
}

/** Sort `order[s0..s1)` by (time, row index): insertion sort for short runs (usually near-sorted). */
function sortByTime(order: Int32Array, s0: number, s1: number, time: Float64Array): void {
  if (s1 - s0 > 64) {
    order.subarray(s0, s1).sort((a, b) => time[a]! - time[b]! || a - b);
    return;
  }
  for (let s = s0 + 1; s < s1; s++) {
    const v = order[s]!;
    const tv = time[v]!;
    let j = s - 1;
    while (j >= s0) {
      const u = order[j]!;
      const tu = time[u]!;
      if (tu < tv || (tu === tv && u < v)) break;
      order[j + 1] = u;
      j--;
    }
    order[j + 1] = v;
  }
}

/** Aggregate per entity (collector or team code; −1 → a null entity placed last). */
function aggregate(
  inp: Inputs,
  codes: Int32Array,
  k: number,
  teamCodes: Int32Array | null,
  teamDict: string[],
): { entities: EntityAgg[]; missingOutstanding: number } {
  const { order, start } = groupRows(inp, codes, k + 1, k);
  const stamp = new Int32Array(inp.nCases).fill(-1);
  const actStamp = new Int32Array(inp.nCases).fill(-1);
  const firstRow = new Int32Array(inp.nCases);
  const caseList = new Int32Array(inp.nCases);
  const teamCount = new Int32Array(teamDict.length);
  const entities: EntityAgg[] = [];
  let missingOutstanding = 0;
  for (let e = 0; e <= k; e++) {
    const s0 = start[e]!;
    const s1 = start[e + 1]!;
    if (s1 === s0) continue;
    const a = newEntityAgg(e === k ? -1 : e);
    let nList = 0;
    for (let s = s0; s < s1; s++) {
      const i = order[s]!;
      const cs = inp.caseOf[i]!;
      if (stamp[cs] !== e) {
        stamp[cs] = e;
        firstRow[cs] = i;
        caseList[nList++] = cs;
      } else {
        const f = firstRow[cs]!;
        const ti = inp.time[i]!;
        const tf = inp.time[f]!;
        if (ti < tf || (ti === tf && i < f)) firstRow[cs] = i;
      }
      if (teamCodes) {
        const tc = teamCodes[i]!;
        if (tc >= 0) teamCount[tc]!++;
      }
      a.recovered += inp.paid[i]!;
      a.cost += inp.cost[i]!;
      if (!inp.isAction[i]) continue;
      a.actions++;
      if (actStamp[cs] !== e) {
        actStamp[cs] = e;
        a.casesWithAction++;
      }
      if (inp.isPhone[i]) {
        a.phoneActions++;
        if (inp.contacted[i]) a.connected++;
      }
      if (inp.contacted[i]) a.contacted++;
      if (inp.ptp[i]) {
        a.ptps++;
        const kp = inp.kept[i]!;
        if (kp === 1) a.ptpKept++;
        else if (kp === 0) a.ptpNotKept++;
        else if (kp === 2) a.ptpPending++;
      }
    }
    a.cases = nList;
    if (inp.panel && inp.lmOut) {
      for (let x = 0; x < nList; x++) {
        const f = firstRow[caseList[x]!]!;
        const r = rowAt(inp.panel, inp.loanOfRow[f]!, inp.month[f]!);
        const o = r < 0 ? NaN : inp.lmOut[r]!;
        if (o === o) a.assigned += o;
        else missingOutstanding++;
      }
    }
    if (teamCodes) {
      let best = -1;
      for (let s = s0; s < s1; s++) {
        const tc = teamCodes[order[s]!]!;
        if (tc < 0) continue;
        if (
          best < 0 ||
          teamCount[tc]! > teamCount[best]! ||
          (teamCount[tc] === teamCount[best] && teamDict[tc]! < teamDict[best]!)
        )
          best = tc;
      }
      a.teamCode = best;
      for (let s = s0; s < s1; s++) {
        const tc = teamCodes[order[s]!]!;
        if (tc >= 0) teamCount[tc] = 0;
      }
    }
    entities.push(a);
  }
  return { entities, missingOutstanding };
}
