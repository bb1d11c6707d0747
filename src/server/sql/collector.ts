/**
 * `collector_performance` compiled to SQL from its own definition
 * (src/engine/metrics/collector-performance.ts): `collectorLevel()` validates, SQL aggregates next
 * to the data, and `collectorResult()` (collector-result.ts) shapes rows, basis and quality on
 * every backend.
 *
 * Rules both sides follow. A row without an action day is `missing_action_time`; else without a
 * case (case_id, else loan_id: the two are different cases even when equal as strings) it is
 * `missing_case`; else it is used. A row is an action when it has a channel; a phone action has
 * the channel exactly `phone`; a PTP implies contact. A PTP (with amount and due date) is kept
 * when the case's paid_amount over its used rows at or after the PTP's action time and on or
 * before its due day reaches the amount (− 1e-9), else pending when due after the latest action
 * day, else broken: one self-join of PTP rows to their case's rows. Additive counts are summed per
 * (collector, team) cell and added up per level in JS; distinct cases are counted per entity in
 * SQL. The assigned outstanding is, per (entity, case), the case's first row by (action time, row
 * index) → its loan and action month → the lowest-row-index selected `loan_months` row of that
 * loan and month (missing: `missing_outstanding`). A collector's team is its most frequent team
 * over its used rows (ties: the smaller label).
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { CollectorAgg, EntityAgg } from '../../engine/metrics/collector-result.js';
import { collectorLevel, collectorResult, newEntityAgg } from '../../engine/metrics/collector-result.js';
import type { CompiledMetric, Exec } from './collection.js';
import { NI, loanMonths, num, side } from './collection.js';
import { hasDataset } from './has.js';
import { perShard } from './per-shard.js';
import { first } from './vintage.js';
import type { SqlScope, TableInfo } from './scope.js';
import type { Sql } from './sql.js';
import { FALSE, INNER_JOIN, IN_SUBQUERY, Ident, LEFT_JOIN, TRUE, alt, raw, sql } from './sql.js';

const NULL_STR = alt('CAST(NULL AS VARCHAR)', 'CAST(NULL AS Nullable(String))');
const NULL_NUM = alt('CAST(NULL AS DOUBLE)', 'CAST(NULL AS Nullable(Float64))');
const label = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const I = (n: string): Ident => new Ident(n);

/**
 * The value of `e` on the group's first row by (action time, row index), a missing value
 * included. `packed`: the times are whole milliseconds, so (t, r) orders as the one integer
 * t · 2³² + r (r < 2³²), which DuckDB compares far faster than a STRUCT (at 100M loan-months
 * the assigned-outstanding statement took 11.0 s with the STRUCT key and 6.2 s packed).
 */
const firstByTime = (e: string, packed: boolean): Sql =>
  sql`${alt(
    packed
      ? sql`arg_min_null(${I(e)}, CAST(t AS HUGEINT) * 4294967296 + r)`
      : sql`arg_min_null(${I(e)}, (t, r))`,
    sql`argMin(tuple(${I(e)}), tuple(t, r)).1`,
  )}`;

/** Per stored table: whether its action times are all whole milliseconds (read once, DuckDB). */
const wholeMs = new WeakMap<TableInfo, Promise<boolean>>();

/**
 * Whether `source`'s own `action_time` holds whole milliseconds only (dates parsed from text
 * always do; a numeric epoch may carry a fraction), read once per published table on DuckDB.
 */
function timesWhole(scope: SqlScope, source: string, exec: Exec): Promise<boolean> {
  const info = scope.table(source);
  const col = info.cols.get('action_time');
  if (
    scope.backend !== 'duckdb' ||
    col?.kind !== 'date' ||
    scope.resolve(source, 'action_time')?.path.length !== 0
  )
    return Promise.resolve(false);
  let known = wholeMs.get(info);
  if (!known) {
    const t = I(col.id);
    known = exec(
      sql`SELECT count(*) AS n FROM ${I(info.table)} WHERE ${t} IS NOT NULL AND ${t} <> trunc(${t})`,
    ).then(
      (rows) => num(rows[0]?.['n']) === 0,
      () => {
        // Not known (the query failed or was cancelled): the STRUCT this time, asked again later.
        wholeMs.delete(info);
        return false;
      },
    );
    wholeMs.set(info, known);
  }
  return known;
}

/** The selected rows with normalised columns, and the optional-column facts the counts need. */
function actionRows(scope: SqlScope, source: string) {
  const rel = scope.relation(source, 'a');
  const where = scope.where(rel); // memory: ctx.rows(source) before the column checks
  scope.need(source, 'collector_id', 'cat');
  const kind = (f: string) => scope.resolve(source, f)?.col.kind ?? null;
  const opt = (f: string, k: string, none: Sql | typeof NULL_STR): Sql =>
    kind(f) === k ? rel.colExpr(f)!.sql : sql`${none}`;
  const tm = opt('team', 'cat', NULL_STR);
  scope.need(source, 'action_time', 'date');
  scope.need(source, 'channel', 'cat');
  const cs = opt('case_id', 'cat', NULL_STR);
  const ln = opt('loan_id', 'cat', NULL_STR);
  // The loan as loan_months' rows key it (its integer code on DuckDB), for the assigned outstanding.
  const lk = kind('loan_id') === 'cat' ? rel.keyExpr('loan_id')! : sql`${NULL_STR}`;
  const ct = kind('contacted') === 'bool' ? rel.colExpr('contacted')!.sql : null;
  const pt = kind('ptp') === 'bool' ? rel.colExpr('ptp')!.sql : null;
  const pa = opt('paid_amount', 'num', NULL_NUM);
  const co = opt('cost', 'num', NULL_NUM);
  const amt = opt('ptp_amount', 'num', NULL_NUM);
  const due = kind('ptp_due_date') === 'date' ? rel.colExpr('ptp_due_date', 'day')!.sql : NI;
  const yes = (e: Sql | null): Sql => (e ? sql`CASE WHEN ${e} = ${TRUE} THEN 1 ELSE 0 END` : raw('0'));
  const base = sql`SELECT ${rel.ref('r')} AS r, ${rel.colExpr('collector_id')!.sql} AS col, ${tm} AS tm,
      ${cs} AS cs, ${ln} AS ln, ${lk} AS lk, ${rel.numExpr('action_time')!} AS t, ${rel.colExpr('action_time', 'day')!.sql} AS d,
      ${rel.colExpr('action_time', 'month')!.sql} AS m, ${rel.colExpr('channel')!.sql} AS ch, ${yes(ct)} AS ctt,
      ${yes(pt)} AS ptt, ${pa} AS pa, ${co} AS co, ${amt} AS amt, ${due} AS due
    FROM ${rel.from()} WHERE ${where}`;
  const ck = sql`CASE WHEN cs IS NOT NULL THEN concat('c', cs) WHEN ln IS NOT NULL THEN concat('l', ln) END`;
  const v = sql`SELECT r, col, tm, ${ck} AS ck, lk, t, d, m, ctt,
      CASE WHEN ch IS NOT NULL THEN 1 ELSE 0 END AS act, CASE WHEN ch = 'phone' THEN 1 ELSE 0 END AS ph,
      CASE WHEN ch IS NOT NULL AND (ctt = 1 OR ptt = 1) THEN 1 ELSE 0 END AS ctf,
      CASE WHEN ch IS NOT NULL AND ptt = 1 THEN 1 ELSE 0 END AS ptf,
      pa, co, amt, due, CASE WHEN d <> ${NI} AND ${ck} IS NOT NULL THEN 1 ELSE 0 END AS ok
    FROM (${base}) AS b`;
  const paidKind = kind('paid_amount');
  // memory: a paid_amount column that is there but not numeric makes every used row missing one
  const missingPaid = paidKind === null ? sql`${FALSE}` : paidKind === 'num' ? sql`pa IS NULL` : sql`${TRUE}`;
  // A case's rows share a shard when they share a loan (case_id, else loan_id, keys the case).
  const caseOwn = scope.table(source).cols.get('case_id')?.kind === 'cat';
  const casesOnOneShard = !caseOwn ? kind('case_id') === null : scope.table(source).casesOneLoan === true;
  return {
    v,
    missingPaid,
    hasLoan: kind('loan_id') === 'cat',
    colocated: rel.loanColocated() && casesOnOneShard,
  };
}

/** Per-entity distinct cases and (with loan_months) assigned outstanding, keyed by label. */
async function perEntity(
  e: 'col' | 'tm',
  v: Sql,
  lf: ((wanted: Sql) => Sql) | null,
  exec: Exec,
  colocated: boolean,
  packed: boolean,
): Promise<{
  cases: Map<string | null, [number, number]>;
  assigned: Map<string | null, number>;
  missing: number;
}> {
  const E = I(e);
  // Distinct cases add up across shards when each case sits on one shard.
  const rows = await exec(
    perShard(
      sql`SELECT ${E} AS ek, count(DISTINCT ck) AS nc,
      count(DISTINCT CASE WHEN act = 1 THEN ck END) AS nca FROM (${v}) AS v1 WHERE ok = 1 GROUP BY ${E}`,
      colocated,
      { keys: ['ek'], sums: ['nc', 'nca'] },
    ),
  );
  const cases = new Map<string | null, [number, number]>();
  for (const r of rows) cases.set(label(r['ek']), [num(r['nc']), num(r['nca'])]);
  const assigned = new Map<string | null, number>();
  let missing = 0;
  if (lf) {
    const firsts = sql`SELECT ${E} AS fe, ck AS fk, ${firstByTime('lk', packed)} AS fl, ${firstByTime('m', packed)} AS fm
      FROM (${v}) AS v2 WHERE ok = 1 GROUP BY ${E}, ck`;
    const found = sql`y_hit = 1 AND y_fo IS NOT NULL`;
    const wanted = sql`SELECT fl, fm FROM (${firsts}) AS w`;
    const out = await exec(
      perShard(
        sql`SELECT x_fe AS ae, sum(CASE WHEN ${found} THEN y_fo ELSE 0 END) AS so,
        sum(CASE WHEN ${found} THEN 0 ELSE 1 END) AS nm
      FROM ${side(firsts, 'x', ['fe', 'fl', 'fm'])} ${LEFT_JOIN} ${side(lf(wanted), 'y', ['loan', 'm', 'fo'])}
        ON x_fl = y_loan AND x_fm = y_m
      GROUP BY x_fe`,
        colocated,
        { keys: ['ae'], sums: ['so', 'nm'] },
      ),
    );
    for (const r of out) {
      assigned.set(label(r['ae']), num(r['so']));
      missing += num(r['nm']);
    }
  }
  return { cases, assigned, missing };
}

export const collectorSql: CompiledMetric = async (scope, params, source, exec) => {
  const level = collectorLevel(params);
  scope.table(source); // missing_dataset, as ctx.dataset
  const rowsOf = actionRows(scope, source);
  const { v, missingPaid, hasLoan } = rowsOf;
  let colocated = rowsOf.colocated;
  // loan_months for the assigned outstanding (its columns checked as memory's openLoanMonths):
  // the first row of each (loan, month) that some case's first action points at. Only those pairs
  // are grouped (`wanted`): grouping every loan-month was a hash table the size of loan_months.
  let lf: ((wanted: Sql) => Sql) | null = null;
  if (hasDataset(scope, 'loan_months') && hasLoan) {
    const lm = loanMonths(scope, 'loan_months', null);
    const sub = lm.sub;
    colocated &&= lm.colocated;
    lf = (wanted) => sql`SELECT loan, m, ${first('o')} AS fo FROM (${sub}) AS lf0
      WHERE loan IS NOT NULL AND m <> ${NI} AND (loan, m) ${IN_SUBQUERY} (${wanted}) GROUP BY loan, m`;
  }

  const one = (c: Sql): Sql => sql`sum(CASE WHEN ${c} THEN 1 ELSE 0 END)`;
  const ptpBase = sql`ok = 1 AND ptf = 1`;
  const [q] = await exec(
    perShard(
      sql`SELECT count(*) AS n, ${one(sql`d = ${NI}`)} AS mt,
      ${one(sql`d <> ${NI} AND ck IS NULL`)} AS mc, ${one(sql`ok = 1`)} AS used,
      max(CASE WHEN ok = 1 THEN d END) AS asof, ${one(sql`ok = 1 AND ${missingPaid}`)} AS mp,
      ${one(sql`${ptpBase} AND ctt = 0`)} AS pnc, ${one(sql`${ptpBase} AND amt IS NULL`)} AS mpa,
      ${one(sql`${ptpBase} AND amt IS NOT NULL AND due = ${NI}`)} AS mpd
    FROM (${v}) AS v0`,
      colocated,
      { keys: [], sums: ['n', 'mt', 'mc', 'used', 'mp', 'pnc', 'mpa', 'mpd'], maxes: ['asof'] },
    ),
  );
  const usedRows = num(q?.['used']);
  const asOfDay = usedRows > 0 ? num(q?.['asof']) : NULL_INDEX;
  const agg: CollectorAgg = {
    count: num(q?.['n']),
    usedRows,
    asOfDay,
    hasLm: lf !== null,
    collectors: [],
    teams: [],
    ptpNoContact: num(q?.['pnc']),
    excluded: {
      missing_action_time: num(q?.['mt']),
      missing_case: num(q?.['mc']),
      missing_ptp_amount: num(q?.['mpa']),
      missing_ptp_due_date: num(q?.['mpd']),
      missing_paid_amount: num(q?.['mp']),
      missing_outstanding: 0,
    },
  };
  if (usedRows === 0) return collectorResult(scope, level, agg);

  // Additive counts per (collector, team) cell.
  const cells = await exec(
    perShard(
      sql`SELECT col, tm, count(*) AS nr, sum(act) AS na, sum(ph) AS np,
      ${one(sql`ph = 1 AND ctf = 1`)} AS nconn, sum(ctf) AS nct, sum(ptf) AS npt,
      sum(CASE WHEN pa IS NULL THEN 0 ELSE pa END) AS sp, sum(CASE WHEN co IS NULL THEN 0 ELSE co END) AS sc
    FROM (${v}) AS v3 WHERE ok = 1 GROUP BY col, tm`,
      colocated,
      { keys: ['col', 'tm'], sums: ['nr', 'na', 'np', 'nconn', 'nct', 'npt', 'sp', 'sc'] },
    ),
  );
  // PTPs kept / pending / broken per cell: each PTP against its case's paid amounts.
  const pside = side(
    v,
    'p',
    ['r', 'col', 'tm', 'ck', 't', 'amt', 'due'],
    sql`${ptpBase} AND amt IS NOT NULL AND due <> ${NI}`,
  );
  const qside = side(v, 'q', ['ck', 't', 'd', 'pa'], sql`ok = 1`);
  const paidBy = sql`SELECT p_r, p_col, p_tm, p_amt, p_due,
      sum(CASE WHEN q_t >= p_t AND q_d <= p_due AND q_pa IS NOT NULL THEN q_pa ELSE 0 END) AS s
    FROM ${pside} ${INNER_JOIN} ${qside} ON p_ck = q_ck GROUP BY p_r, p_col, p_tm, p_amt, p_due`;
  const kept = sql`s >= p_amt - ${1e-9}`;
  const ptps = await exec(
    perShard(
      sql`SELECT p_col AS kc, p_tm AS kt, ${one(kept)} AS nk,
      ${one(sql`NOT (${kept}) AND p_due > ${asOfDay}`)} AS npend, ${one(sql`NOT (${kept}) AND p_due <= ${asOfDay}`)} AS nbr
    FROM (${paidBy}) AS k GROUP BY p_col, p_tm`,
      colocated,
      { keys: ['kc', 'kt'], sums: ['nk', 'npend', 'nbr'] },
    ),
  );

  const cellKey = (c: string | null, t: string | null): string => JSON.stringify([c, t]);
  const ptpOf = new Map<string, Record<string, unknown>>();
  for (const r of ptps) ptpOf.set(cellKey(label(r['kc']), label(r['kt'])), r);
  const addCell = (a: EntityAgg, r: Record<string, unknown>): void => {
    a.actions += num(r['na']);
    a.phoneActions += num(r['np']);
    a.connected += num(r['nconn']);
    a.contacted += num(r['nct']);
    a.ptps += num(r['npt']);
    a.recovered += num(r['sp']);
    a.cost += num(r['sc']);
    const k = ptpOf.get(cellKey(label(r['col']), label(r['tm'])));
    if (k) {
      a.ptpKept += num(k['nk']);
      a.ptpPending += num(k['npend']);
      a.ptpNotKept += num(k['nbr']);
    }
  };
  const packed = lf !== null && (await timesWhole(scope, source, exec));
  const build = async (e: 'col' | 'tm') => {
    const ents = new Map<string | null, EntityAgg>();
    const teamCount = new Map<string | null, Map<string, number>>();
    for (const r of cells) {
      const key = label(r[e]);
      let a = ents.get(key);
      if (!a) ents.set(key, (a = newEntityAgg()));
      addCell(a, r);
      const tl = label(r['tm']);
      if (e === 'col' && tl !== null) {
        let tc = teamCount.get(key);
        if (!tc) teamCount.set(key, (tc = new Map()));
        tc.set(tl, (tc.get(tl) ?? 0) + num(r['nr']));
      }
    }
    const pe = await perEntity(e, v, lf, exec, colocated, packed);
    for (const [key, a] of ents) {
      const [nc, nca] = pe.cases.get(key) ?? [0, 0];
      a.cases = nc;
      a.casesWithAction = nca;
      a.assigned = pe.assigned.get(key) ?? 0;
    }
    const bestTeam = (key: string | null): string | null => {
      let best: string | null = null;
      let bn = -1;
      for (const [tl, n] of teamCount.get(key) ?? [])
        if (n > bn || (n === bn && tl < best!)) [best, bn] = [tl, n];
      return best;
    };
    return { ents, missing: pe.missing, bestTeam };
  };
  if (level !== 'team') {
    const c = await build('col');
    agg.excluded.missing_outstanding += c.missing;
    for (const [key, a] of c.ents) agg.collectors.push({ collector: key, team: c.bestTeam(key), a });
  }
  if (level !== 'collector') {
    const t = await build('tm');
    if (level === 'team') agg.excluded.missing_outstanding += t.missing;
    for (const [key, a] of t.ents) agg.teams.push({ team: key, a });
  }
  return collectorResult(scope, level, agg);
};
