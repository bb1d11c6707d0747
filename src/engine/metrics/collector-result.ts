/**
 * The shared half of `collector_performance` (collector-performance.ts): the row type, the
 * per-entity counts an aggregation gives (the memory engine's row loops, or the SQL backends'
 * `GROUP BY`s), and `collectorResult()`, which shapes rows, basis, quality and meta on every
 * backend.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { BasisContext } from '../metric.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { LocalText, MetricResult } from '../types.js';
import { dayLabel, pEnum } from './loan-months.js';

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

/** One collector's or team's counts (`code` / `teamCode`: the memory engine's dictionary codes). */
export interface EntityAgg {
  code: number;
  teamCode: number;
  cases: number;
  casesWithAction: number;
  actions: number;
  phoneActions: number;
  connected: number;
  contacted: number;
  ptps: number;
  ptpKept: number;
  ptpNotKept: number;
  ptpPending: number;
  recovered: number;
  assigned: number;
  cost: number;
}

/** An entity with nothing counted yet (`code`: the memory engine's dictionary code, −1 none). */
export function newEntityAgg(code = -1): EntityAgg {
  return {
    code,
    teamCode: -1,
    cases: 0,
    casesWithAction: 0,
    actions: 0,
    phoneActions: 0,
    connected: 0,
    contacted: 0,
    ptps: 0,
    ptpKept: 0,
    ptpNotKept: 0,
    ptpPending: 0,
    recovered: 0,
    assigned: 0,
    cost: 0,
  };
}

/** Per-entity counts and the row classification, as the aggregation gives them to `collectorResult()`. */
export interface CollectorAgg {
  /** Selected rows, and those with an action time and a case. */
  count: number;
  usedRows: number;
  asOfDay: number;
  /** loan_months read (assigned outstanding and recovery rate computed). */
  hasLm: boolean;
  collectors: Array<{ collector: string | null; team: string | null; a: EntityAgg }>;
  teams: Array<{ team: string | null; a: EntityAgg }>;
  ptpNoContact: number;
  excluded: Record<
    | 'missing_action_time'
    | 'missing_case'
    | 'missing_ptp_amount'
    | 'missing_ptp_due_date'
    | 'missing_paid_amount'
    | 'missing_outstanding',
    number
  >;
}

/** `level`, checked as memory does (the same `bad_params` on every backend). */
export function collectorLevel(params: Record<string, unknown> | undefined): 'both' | 'collector' | 'team' {
  return pEnum(params, 'level', ['both', 'collector', 'team'] as const, 'both');
}

/** Rows (collectors by id, then teams by name, null last), basis, quality and meta: every backend. */
export function collectorResult(
  ctx: BasisContext,
  level: 'both' | 'collector' | 'team',
  agg: CollectorAgg,
): MetricResult<CollectorPerformanceRow> {
  const { count, usedRows, asOfDay, ptpNoContact } = agg;
  const panel = agg.hasLm;
  const data: CollectorPerformanceRow[] = [
    ...agg.collectors.map((e) => toRow('collector', e.collector, e.team, e.a, panel)),
    ...agg.teams.map((e) => toRow('team', null, e.team, e.a, panel)),
  ];
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
  const quality = makeQuality(count, usedRows, { ...agg.excluded }, warnings);
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
