/* eslint-disable @typescript-eslint/no-explicit-any -- Arquero expressions take untyped row proxies (d) and params ($). */
/**
 * The peer for `cold-collection`: every widget of the collection dashboard computed the
 * straightforward Arquero way, from the raw rows as the host hands them over (strings for ids and
 * dates): `aq.table`, then `derive` / `filter` / `groupby` / `rollup` / `join` verbs. No
 * precomputed indexes, no cubes, no typed-array loops. To keep the comparison conservative the
 * shared derivations (month index, DPD bucket, the loan × previous-month self-join) are computed
 * once per load and reused by every widget, as a careful developer would.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';

const op = aq.op;

/** DPD bucket lower edges of M0 … M7+ (the engine's default scale). */
export const EDGES = [0, 1, 31, 61, 91, 121, 151, 181];

export type RawColumns = Record<string, unknown[]>;

export interface ArqueroLoaded {
  loans: ColumnTable;
  lm: ColumnTable;
  acts: ColumnTable;
  /** loan_months rows at t − 1 joined to the same loan's row at t (left join from t − 1). */
  pairs: ColumnTable;
}

/** "Load": raw columns → tables, with the month index, bucket and status flags derived once. */
export function arqueroLoad(raw: {
  loans: RawColumns;
  loan_months: RawColumns;
  collection_actions: RawColumns;
}): ArqueroLoaded {
  const loans = aq.table(raw.loans).derive({
    issue_mi: (d: any) =>
      op.utcyear(op.parse_date(d.issue_date)) * 12 + op.utcmonth(op.parse_date(d.issue_date)),
  });
  const lm = aq.table(raw.loan_months).derive({
    mi: (d: any) =>
      op.utcyear(op.parse_date(d.snapshot_date)) * 12 + op.utcmonth(op.parse_date(d.snapshot_date)),
    bucket: (d: any) =>
      d.dpd == null || d.dpd < 0
        ? -1
        : d.dpd < 1
          ? 0
          : d.dpd < 31
            ? 1
            : d.dpd < 61
              ? 2
              : d.dpd < 91
                ? 3
                : d.dpd < 121
                  ? 4
                  : d.dpd < 151
                    ? 5
                    : d.dpd < 181
                      ? 6
                      : 7,
    active: (d: any) => d.status == null || d.status === 'active',
    closed: (d: any) => d.status === 'closed',
  });
  const acts = aq
    .table(raw.collection_actions)
    .derive({
      t: (d: any) => op.parse_date(d.action_time),
    })
    .derive({
      ms: (d: any) => +d.t,
      mi: (d: any) => op.year(d.t) * 12 + op.month(d.t),
      dow: (d: any) => ((op.dayofweek(d.t) + 6) % 7) + 1,
      hour: (d: any) => op.hours(d.t),
      day: (d: any) => op.floor(+d.t / 86400000),
      due_day: (d: any) =>
        d.ptp_due_date == null ? null : op.floor(+op.parse_date(d.ptp_due_date) / 86400000),
    });
  const prev = lm
    .select({
      loan_id: 'loan_id',
      mi: 'pmi',
      bucket: 'pbucket',
      dpd: 'pdpd',
      active: 'pactive',
      outstanding: 'pout',
    })
    .derive({ mi: (d: any) => d.pmi + 1 });
  const cur = lm.select({
    loan_id: 'loan_id',
    mi: 'mi',
    bucket: 'bucket',
    dpd: 'dpd',
    active: 'active',
    closed: 'closed',
    status: 'status',
    outstanding: 'outstanding',
    due_amount: 'due_amount',
  });
  const pairs = prev.join_left(
    cur,
    [
      ['loan_id', 'mi'],
      ['loan_id', 'mi'],
    ],
    [aq.all(), aq.not('loan_id', 'mi')],
  );
  return { loans, lm, acts, pairs };
}

type Row = Record<string, unknown>;

function bucketTrend(a: ArqueroLoaded): Row[] {
  return a.lm
    .filter((d: any) => d.active && d.bucket >= 0 && d.outstanding != null)
    .groupby('mi', 'bucket')
    .rollup({ count: op.count(), outstanding: op.sum('outstanding') })
    .groupby('mi')
    .derive({ share: (d: any) => d.outstanding / op.sum(d.outstanding) })
    .ungroup()
    .orderby('mi', 'bucket')
    .objects() as Row[];
}

function overdueRate(a: ArqueroLoaded, k: number, lag: number): Row[] {
  const g = a.lm
    .filter((d: any) => d.active && d.dpd >= 0 && d.outstanding != null)
    .params({ e: EDGES[k]! })
    .groupby('mi')
    .rollup({
      den: op.sum('outstanding'),
      num: (d: any, $: any) => op.sum(d.dpd >= $.e ? d.outstanding : 0),
    });
  if (lag === 0)
    return g
      .derive({ rate: (d: any) => d.num / d.den })
      .orderby('mi')
      .objects() as Row[];
  const shifted = g
    .select({ mi: 'lmi', den: 'lden' })
    .params({ lag })
    .derive({ mi: (d: any, $: any) => d.lmi + $.lag });
  return g
    .select('mi', 'num')
    .join_left(shifted, 'mi')
    .derive({ rate: (d: any) => (d.lden == null ? null : d.num / d.lden) })
    .orderby('mi')
    .objects() as Row[];
}

function kpiOf(series: Row[], key: string): Row {
  const last = series[series.length - 1];
  const prev = series[series.length - 2];
  const v = last ? (last[key] as number) : null;
  const p = prev ? (prev[key] as number) : null;
  return {
    value: v,
    previous: p,
    delta: v !== null && p !== null ? v - p : null,
    sparkline: series.slice(-12).map((r) => r[key]),
  };
}

function entryRate(a: ArqueroLoaded): Row[] {
  return a.pairs
    .filter(
      (d: any) =>
        d.closed != null &&
        d.pactive &&
        d.pdpd >= 0 &&
        d.pdpd < 1 &&
        d.due_amount > 0 &&
        (d.closed || d.dpd >= 0),
    )
    .groupby('mi')
    .rollup({ base: op.count(), entered: (d: any) => op.sum(!d.closed && d.dpd >= 1 ? 1 : 0) })
    .derive({ rate: (d: any) => d.entered / d.base })
    .orderby('mi')
    .objects() as Row[];
}

function cureRate(a: ArqueroLoaded): Row[] {
  return a.pairs
    .filter((d: any) => d.pactive && d.pbucket >= 1)
    .derive({ cured: (d: any) => (d.closed ? 1 : d.active && d.dpd >= 0 && d.dpd < 1 ? 1 : 0) })
    .groupby('mi')
    .rollup({ base: op.count(), cured: op.sum('cured') })
    .derive({ rate: (d: any) => d.cured / d.base })
    .orderby('mi')
    .objects() as Row[];
}

function flowRate(a: ArqueroLoaded, trend: Row[]): Row[] {
  // Mn → Mn+1 from the bucket trend; the last bucket counts new entries only (from the pairs).
  const byMonth = aq.from(trend).groupby('mi').pivot('bucket', 'outstanding').orderby('mi');
  const last = EDGES.length - 1;
  const entries = a.pairs
    .filter((d: any) => d.active && d.bucket === 7 && d.pactive && d.pbucket >= 0 && d.pbucket < 7)
    .groupby('mi')
    .rollup({ entries: op.sum('outstanding') });
  const rows = byMonth.join_left(entries, 'mi').objects() as Row[];
  const out: Row[] = [];
  for (let r = 1; r < rows.length; r++) {
    const cur = rows[r]!;
    const prv = rows[r - 1]!;
    let chained = 1;
    for (let b = 0; b < last; b++) {
      const num = b + 1 === last ? ((cur['entries'] as number) ?? 0) : ((cur[String(b + 1)] as number) ?? 0);
      const den = (prv[String(b)] as number) ?? 0;
      const rate = den ? num / den : null;
      chained *= rate ?? 0;
      out.push({ mi: cur['mi'], from: b, to: b + 1, numerator: num, denominator: den, rate });
    }
    out.push({ mi: cur['mi'], kind: 'chained', rate: chained });
  }
  return out;
}

function rollRate(a: ArqueroLoaded): Row[] {
  const t1 = a.lm.rollup({ m: op.max('mi') }).get('m', 0) as number;
  return a.pairs
    .params({ t1 })
    .filter((d: any, $: any) => d.mi === $.t1 && d.pactive && d.pbucket >= 0)
    .derive({
      to: (d: any) =>
        d.closed == null
          ? 'missing'
          : d.closed
            ? 'closed'
            : d.status === 'written_off'
              ? 'written_off'
              : d.bucket < 0
                ? 'missing'
                : 'M' + d.bucket,
    })
    .groupby('pbucket', 'to')
    .rollup({ n: op.count() })
    .groupby('pbucket')
    .derive({ share: (d: any) => d.n / op.sum(d.n) })
    .ungroup()
    .orderby('pbucket', 'to')
    .objects() as Row[];
}

function vintage(a: ArqueroLoaded, dThr: number): Row[] {
  const withCoh = a.lm
    .join(a.loans.select('loan_id', 'issue_mi', 'principal'), 'loan_id')
    .derive({ mob: (d: any) => d.mi - d.issue_mi });
  const sizes = withCoh
    .select('loan_id', 'issue_mi', 'principal')
    .dedupe('loan_id')
    .groupby('issue_mi')
    .rollup({ loans: op.count(), principal: op.sum('principal') });
  return withCoh
    .params({ dThr })
    .filter((d: any) => d.mob >= 0 && d.dpd >= 0 && d.outstanding != null)
    .groupby('issue_mi', 'mob')
    .rollup({ num: (d: any, $: any) => op.sum(d.dpd > $.dThr ? d.outstanding : 0) })
    .join(sizes, 'issue_mi')
    .derive({ rate: (d: any) => d.num / d.principal })
    .orderby('issue_mi', 'mob')
    .objects() as Row[];
}

function collectorTeams(a: ArqueroLoaded): Row[] {
  const acts = a.acts.derive({ case: (d: any) => (d.case_id == null ? d.loan_id : d.case_id) });
  const base = acts.groupby('team').rollup({
    cases: op.distinct('case'),
    actions: op.count(),
    phoneActions: (d: any) => op.sum(d.channel === 'phone' ? 1 : 0),
    connected: (d: any) => op.sum(d.channel === 'phone' && (d.contacted || d.ptp) ? 1 : 0),
    contacted: (d: any) => op.sum(d.contacted || d.ptp ? 1 : 0),
    ptps: (d: any) => op.sum(d.ptp ? 1 : 0),
    recovered: op.sum('paid_amount'),
    cost: op.sum('cost'),
  });
  // PTP kept: the case's payments from the PTP's time through its due date reach ptp_amount.
  const ptps = acts
    .filter((d: any) => d.ptp && d.ptp_amount != null && d.due_day != null)
    .select({ action_id: 'pid', case: 'case', team: 'team', ms: 'pms', ptp_amount: 'pamt', due_day: 'pdue' });
  const pays = acts.filter((d: any) => d.paid_amount > 0).select('case', 'ms', 'day', 'paid_amount');
  const lastDay = acts.rollup({ m: op.max('day') }).get('m', 0) as number;
  const kept = ptps
    .join_left(pays, 'case')
    .derive({ inWin: (d: any) => (d.ms >= d.pms && d.day <= d.pdue ? d.paid_amount : 0) })
    .groupby('pid', 'team', 'pamt', 'pdue')
    .rollup({ paid: op.sum('inWin') })
    .params({ lastDay })
    .derive({ state: (d: any, $: any) => (d.paid >= d.pamt - 1e-9 ? 1 : d.pdue > $.lastDay ? 2 : 0) })
    .groupby('team')
    .rollup({
      ptpKept: (d: any) => op.sum(d.state === 1 ? 1 : 0),
      ptpDue: (d: any) => op.sum(d.state !== 2 ? 1 : 0),
    });
  // Assigned outstanding: loan_months outstanding at the month of each (team, case) first action.
  const firsts = acts
    .groupby('team', 'case')
    .rollup({ first: op.min('ms'), loan_id: op.any('loan_id') })
    .join(
      acts.select({ case: 'case', ms: 'first', mi: 'mi' }),
      [
        ['case', 'first'],
        ['case', 'first'],
      ],
      [aq.all(), aq.not('case', 'first')],
    )
    .dedupe('team', 'case');
  const assigned = firsts
    .join(
      a.lm.select('loan_id', 'mi', 'outstanding'),
      [
        ['loan_id', 'mi'],
        ['loan_id', 'mi'],
      ],
      [aq.all(), aq.not('loan_id', 'mi')],
    )
    .groupby('team')
    .rollup({ assigned: op.sum('outstanding') });
  return base
    .join_left(kept, 'team')
    .join_left(assigned, 'team')
    .derive({
      recoveryRate: (d: any) => d.recovered / d.assigned,
      ptpKeptRate: (d: any) => d.ptpKept / d.ptpDue,
    })
    .orderby('team')
    .objects() as Row[];
}

function channels(a: ArqueroLoaded): Row[] {
  return a.acts
    .groupby('channel')
    .rollup({
      actions: op.count(),
      contacted: (d: any) => op.sum(d.contacted || d.ptp ? 1 : 0),
      ptps: (d: any) => op.sum(d.ptp ? 1 : 0),
      recovered: op.sum('paid_amount'),
      cost: op.sum('cost'),
    })
    .derive({
      contactRate: (d: any) => d.contacted / d.actions,
      costPer100: (d: any) => (d.cost / d.recovered) * 100,
    })
    .orderby('channel')
    .objects() as Row[];
}

function contactHeatmap(a: ArqueroLoaded): Row[] {
  return a.acts
    .groupby('dow', 'hour')
    .rollup({ actions: op.count(), contacted: (d: any) => op.sum(d.contacted ? 1 : 0) })
    .derive({ rate: (d: any) => d.contacted / d.actions })
    .orderby('dow', 'hour')
    .objects() as Row[];
}

function recoveredKpi(a: ArqueroLoaded): Row {
  const byMonth = a.acts
    .groupby('mi')
    .rollup({ v: op.sum('paid_amount') })
    .orderby('mi')
    .objects() as Row[];
  return { ...kpiOf(byMonth, 'v'), total: a.acts.rollup({ v: op.sum('paid_amount') }).get('v', 0) };
}

/** Every collection widget's numbers, in the dashboard's widget order. */
export function arqueroCollection(
  a: ArqueroLoaded,
  opts: { vintageD?: number } = {},
): Record<string, unknown> {
  const trend = bucketTrend(a);
  return {
    'kpi-overdue': kpiOf(overdueRate(a, 1, 0), 'rate'),
    'kpi-entry': kpiOf(entryRate(a), 'rate'),
    'kpi-cure': kpiOf(cureRate(a), 'rate'),
    'kpi-recovered': recoveredKpi(a),
    buckets: trend,
    rates: [overdueRate(a, 1, 0), overdueRate(a, 3, 0), overdueRate(a, 1, 1), overdueRate(a, 3, 3)],
    flows: flowRate(a, trend),
    rollrate: rollRate(a),
    vintage: vintage(a, opts.vintageD ?? 30),
    collectors: collectorTeams(a),
    channels: channels(a),
    contact: contactHeatmap(a),
  };
}
