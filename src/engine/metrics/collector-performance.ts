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
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { LocalText, MetricResult } from '../types.js';
import {
  buildPanel,
  catCol,
  dateCol,
  dayLabel,
  openLoanMonths,
  pEnum,
  translateCodes,
} from './loan-months.js';
import type { Panel } from './loan-months.js';
import { aggregate, caseScratch, groupByCase, rowScratch, sortByTime } from './collector-aggregate.js';
import type { EntityAgg, Inputs, RowScratch } from './collector-aggregate.js';

/** Parameters of `collector_performance`. */
export interface CollectorPerformanceParams {
  /** Rows to return: `both` (default: collectors then teams), `collector` or `team`. */
  level?: 'both' | 'collector' | 'team';
}

/** One row per collector (level `collector`) or team (level `team`). */
export type CollectorPerformanceRow = {
  level: 'collector' | 'team';
  /** collector_id (null on team rows). */
  collector: string | null;
  /** Team: the collector's most frequent team (ties → first in label order); the team itself on team rows. */
  team: string | null;
  /** Distinct cases (case_id, else loan_id) in the entity's rows. */
  cases: number;
  /** Of those, cases with at least one action (a row with a channel). */
  casesWithAction: number;
  /** casesWithAction / cases. */
  coverage: number | null;
  /** Actions: rows with a channel. */
  actions: number;
  /** actions / cases. */
  penetration: number | null;
  /** Phone actions, and those with right-party contact. */
  phoneActions: number;
  connected: number;
  /** connected / phoneActions. */
  connectRate: number | null;
  /** Actions with contact (contacted, or a PTP, which implies contact). */
  contacted: number;
  /** Actions with a PTP. */
  ptps: number;
  /** ptps / contacted. */
  ptpRate: number | null;
  /** PTPs whose due date has passed or that are already kept (the kept-rate base). */
  ptpDue: number;
  /** PTPs paid in full by ptp_due_date. */
  ptpKept: number;
  /** PTPs not yet due and not yet kept (left out of the base). */
  ptpPending: number;
  /** ptpKept / ptpDue. */
  ptpKeptRate: number | null;
  /** Σ paid_amount of the entity's actions. */
  recovered: number;
  /** Σ outstanding at the snapshot month of each case's first action (null without loan_months). */
  assignedOutstanding: number | null;
  /** recovered / assignedOutstanding (not clamped). */
  recoveryRate: number | null;
  /** Σ cost. */
  cost: number;
};

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
    return groups.cells.map((ctx) => runCollectors(ctx, params, source, scratch));
  },
};

function runCollectors(
  ctx: MetricContext,
  params: Record<string, unknown>,
  source: string,
  shared: RowScratch | null,
): MetricResult<object> {
  const level = pEnum(params, 'level', ['both', 'collector', 'team'] as const, 'both');
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
    nCases,
    time: time.data,
    month: time.month,
    lmOut,
    panel,
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

  const data: CollectorPerformanceRow[] = [];
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
        data.push(
          toRow(
            'collector',
            collector.dict[e.code] ?? null,
            e.teamCode < 0 || !team ? null : team.dict[e.teamCode]!,
            e,
            panel !== null,
          ),
        );
      }
    }
    if (level !== 'collector') {
      const tcodes = team ? team.codes : new Int32Array(n).fill(-1);
      const agg = aggregate(inp, tcodes, team ? team.dict.length : 0, null, []);
      if (level === 'team') missingOutstanding += agg.missingOutstanding;
      for (const e of agg.entities) {
        data.push(toRow('team', null, e.code < 0 || !team ? null : team.dict[e.code]!, e, panel !== null));
      }
    }
    const cmp = (a: string | null, b: string | null): number =>
      a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
    data.sort((x, y) =>
      x.level === y.level
        ? x.level === 'collector'
          ? cmp(x.collector, y.collector)
          : cmp(x.team, y.team)
        : x.level === 'collector'
          ? -1
          : 1,
    );
  }

  const notes: LocalText[] = [
    t(
      '已分配案件 = 该催收员（或团队）记录中出现的不同案件（case_id；缺失时用 loan_id）。channel 为空的行视为仅分配、无行动的记录：计入已分配案件，不计入行动。按标准 schema 每行都是行动，此时覆盖率恒为 1。',
      'Cases assigned = distinct cases (case_id, else loan_id) in the collector’s (or team’s) rows. A row with no channel is an assignment without an action: it counts as an assigned case, not as an action. With the canonical schema every row is an action, so coverage is then 1.',
    ),
    t(
      '“逾期在催余额”定义为：每个（催收员，案件）对中，该案件首次行动（含仅分配记录）所在快照月的 loan_months 余额（按 loan_id 与 action_time 的自然月匹配月末快照）；同一案件先后由多人催收时，各人取各自首次行动月。团队同理，按（团队，案件）对。',
      '“Overdue outstanding assigned” is defined as the loan_months outstanding at the snapshot month of the case’s first action (assignment rows included) for each (collector, case) pair, matched by loan_id and the calendar month of action_time (the month-end snapshot). When several collectors work a case in turn, each takes the month of their own first action. Teams likewise, per (team, case) pair.',
    ),
    t(
      '接通率 = 电话行动中 contacted 为真的次数 / 电话行动次数。PTP 视为已接触：contacted 为假但 ptp 为真的行动计入 contacted（见警告）。PTP 率 = PTP 次数 / 接触次数（全渠道）。',
      'Connect rate = phone actions with contacted true / phone actions. A PTP implies contact: an action with ptp true but contacted false counts as contacted (see warnings). PTP rate = PTPs / contacted actions (all channels).',
    ),
    t(
      'PTP 兑现：同一案件自该 PTP 行动时间起至 ptp_due_date 当日（含）所有行动记录的 paid_amount 之和 ≥ ptp_amount。截至数据最新行动日尚未到期且未兑现的 PTP 为待定（ptpPending），不计入兑现率分母。',
      'PTP kept: the case’s paid_amount summed over its actions from the PTP action’s time through the end of ptp_due_date (inclusive) is ≥ ptp_amount. PTPs not yet due at the latest action date and not yet kept are pending (ptpPending) and left out of the kept-rate base.',
    ),
    t(
      '回收率 = 回收金额 / 逾期在催余额，不截断；找不到对应 loan_months 余额的案件不计入分母（missing_outstanding，按案件对计）。催收员行的 team 取其记录中最常见的团队。',
      'Recovery rate = recovered / overdue outstanding assigned, not clamped; cases without a loan_months outstanding are left out of the denominator (missing_outstanding, counted per pair). A collector row’s team is the most frequent team in its rows.',
    ),
  ];
  const warnings: LocalText[] = [];
  if (ptpNoContact > 0) {
    warnings.push(
      t(
        `${ptpNoContact} 条行动 ptp 为真但 contacted 为假，已按已接触计`,
        `${ptpNoContact} actions have ptp true but contacted false; counted as contacted`,
      ),
    );
  }
  if (!panel) {
    warnings.push(
      t(
        '未加载 loan_months（或无 loan_id），无法计算逾期在催余额与回收率',
        'loan_months is not loaded (or there is no loan_id): assigned outstanding and recovery rate are unavailable',
      ),
    );
  }
  const basis = makeBasis(ctx, {
    metric: 'collector_performance',
    title: t('催收员绩效', 'Collector performance'),
    formula: t(
      '覆盖率 = 有行动案件 / 已分配案件；渗透率 = 行动数 / 案件数；接通率 = 电话接通 / 电话行动；PTP 率 = PTP / 接触；PTP 兑现率 = 按期足额兑现 PTP / 到期 PTP；回收率 = Σ paid_amount / 逾期在催余额',
      'coverage = cases with an action / cases assigned; penetration = actions / cases; connect rate = contacted phone actions / phone actions; PTP rate = PTPs / contacted; PTP kept rate = PTPs paid in full by the due date / PTPs due; recovery rate = Σ paid_amount / overdue outstanding assigned',
    ),
    numerator: t('见各指标', 'See each measure'),
    denominator: t('见各指标', 'See each measure'),
    measure: 'count+amount',
    asOf: asOfDay === NULL_INDEX ? null : dayLabel(asOfDay),
    options: { level },
    exclusions: [
      t(
        'action_time 缺失的行不参与（missing_action_time）。',
        'Rows with a missing action_time are excluded (missing_action_time).',
      ),
      t(
        'case_id 与 loan_id 都缺失的行不参与（missing_case）。',
        'Rows with neither case_id nor loan_id are excluded (missing_case).',
      ),
      t(
        'ptp_amount 或 ptp_due_date 缺失的 PTP 不计入兑现率（missing_ptp_amount / missing_ptp_due_date）。',
        'PTPs without ptp_amount or ptp_due_date are left out of the kept rate (missing_ptp_amount / missing_ptp_due_date).',
      ),
      t(
        'collector_id 缺失的行归入 collector 为 null 的一行；team 缺失同理。',
        'Rows with a missing collector_id form a row with collector null; a missing team likewise.',
      ),
    ],
    notes,
  });
  const quality = makeQuality(
    count,
    usedRows,
    {
      missing_action_time: missingTime,
      missing_case: missingCase,
      missing_ptp_amount: missingPtpAmount,
      missing_ptp_due_date: missingPtpDue,
      missing_paid_amount: missingPaid,
      missing_outstanding: missingOutstanding,
    },
    warnings,
  );
  return result(data, basis, quality, { level, asOf: asOfDay === NULL_INDEX ? null : dayLabel(asOfDay) });
}

function toRow(
  level: 'collector' | 'team',
  collector: string | null,
  team: string | null,
  a: EntityAgg,
  hasLm: boolean,
): CollectorPerformanceRow {
  const ptpDue = a.ptpKept + a.ptpNotKept;
  return {
    level,
    collector,
    team,
    cases: a.cases,
    casesWithAction: a.casesWithAction,
    coverage: ratio(a.casesWithAction, a.cases),
    actions: a.actions,
    penetration: ratio(a.actions, a.cases),
    phoneActions: a.phoneActions,
    connected: a.connected,
    connectRate: ratio(a.connected, a.phoneActions),
    contacted: a.contacted,
    ptps: a.ptps,
    ptpRate: ratio(a.ptps, a.contacted),
    ptpDue,
    ptpKept: a.ptpKept,
    ptpPending: a.ptpPending,
    ptpKeptRate: ratio(a.ptpKept, ptpDue),
    recovered: r10(a.recovered),
    assignedOutstanding: hasLm ? r10(a.assigned) : null,
    recoveryRate: hasLm ? ratio(a.recovered, a.assigned) : null,
    cost: r10(a.cost),
  };
}
