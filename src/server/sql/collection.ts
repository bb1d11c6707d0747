/**
 * Collection (催收) metrics compiled to SQL from their own definitions: the SQL computes the same
 * per-cell aggregates as the memory engine's row loop (overdue-rate.ts, bucket-trend.ts,
 * flow-rate.ts), and the metric's own `…Result()` shapes rows, basis and quality, so both backends
 * share one definition of everything but the aggregation. Params are validated by the metric's own
 * `…Params()` first: bad params give the same typed errors on every backend.
 *
 * Row classification, exactly as the loops: a missing snapshot month → `missing_snapshot`; else
 * status closed / written_off (classified in JS by `statusKinds` over the column's values) →
 * excluded; else dpd missing or negative → `missing_dpd`; else (amount measure) outstanding
 * missing → `missing_outstanding`; else used. Bucket ≥ k ⇔ dpd ≥ edges[k].
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { FinError } from '../../engine/errors.js';
import type { MetricResult } from '../../engine/types.js';
import { bucketTrendParams, bucketTrendResult } from '../../engine/metrics/bucket-trend.js';
import { dpdBucketsResult, resolveBuckets } from '../../engine/metrics/dpd-buckets.js';
import { flowRateParams, flowRateResult } from '../../engine/metrics/flow-rate.js';
import {
  groupOrder,
  pEnum,
  pMonth,
  statusKinds,
  CLOSED,
  WRITTEN_OFF,
} from '../../engine/metrics/loan-months.js';
import { overdueParams, overdueResult } from '../../engine/metrics/overdue-rate.js';
import { rollMonths, rollRateResult } from '../../engine/metrics/roll-rate.js';
import { perShard } from './per-shard.js';
import type { SqlScope } from './scope.js';
import type { Sql } from './sql.js';
import { FALSE, INNER_JOIN, IN_SUBQUERY, Ident, LEFT_JOIN, TRUE, alt, join, raw, sql } from './sql.js';

/** Runs a fragment on the backend and returns plain rows (numbers as JS numbers). */
export type Exec = (q: Sql) => Promise<Array<Record<string, unknown>>>;

/** A metric compiled to SQL. */
export type CompiledMetric = (
  scope: SqlScope,
  params: Record<string, unknown>,
  source: string,
  exec: Exec,
) => Promise<MetricResult<object>>;

const I = (n: string): Ident => new Ident(n);
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * The selected rows of a loan × month dataset as a subquery with normalised columns:
 * `r, loan, m (month index), d (day index), dpd, o (outstanding), st (0 active, 1 closed,
 * 2 written off)` and `g` (group label) when `by` is given. Column checks in the memory order.
 */
export function loanMonths(
  scope: SqlScope,
  source: string,
  by: string | null,
  extra: Array<{ field: string; kind: 'num' | 'date'; as: string }> = [],
): { sub: Sql; hasGroup: boolean; cols: string[]; colocated: boolean } {
  scope.table(source);
  scope.need(source, 'loan_id', 'cat');
  scope.need(source, 'snapshot_date', 'date');
  scope.need(source, 'dpd', 'num');
  scope.need(source, 'outstanding', 'num');
  const rel = scope.relation(source);
  const col = (f: string, part?: 'month' | 'day'): Sql => rel.colExpr(f, part)!.sql;
  // Status: classified in JS over the column's distinct values (statusKinds), then an IN list.
  const info = rel.info;
  let st: Sql = raw('0');
  const stCol = info.cols.get('status');
  if (stCol && stCol.kind === 'cat') {
    const vals = info.values.get('status') ?? [];
    const kinds = statusKinds(vals);
    const closed = vals.filter((_, i) => kinds[i] === CLOSED);
    const wo = vals.filter((_, i) => kinds[i] === WRITTEN_OFF);
    const e = col('status');
    const arms: Sql[] = [];
    if (wo.length) arms.push(sql`WHEN ${e} IN (${join(wo, ', ')}) THEN 2`);
    if (closed.length) arms.push(sql`WHEN ${e} IN (${join(closed, ', ')}) THEN 1`);
    if (arms.length) st = sql`CASE ${join(arms, ' ')} ELSE 0 END`;
  }
  const where = scope.where(rel);
  // Further columns a metric reads, checked after the rows are selected (the memory order).
  const more: Sql[] = [];
  for (const x of extra) {
    scope.need(source, x.field, x.kind);
    more.push(sql`, ${x.kind === 'date' ? col(x.field, 'month') : col(x.field)} AS ${I(x.as)}`);
  }
  let g: Sql | null = null;
  if (by) {
    const kind = scope.kind(source, by);
    if (kind !== 'cat' && kind !== 'bool') {
      throw new FinError('bad_params', `"by" must name a category or boolean field; "${by}" is ${kind}`, {
        param: 'by',
        value: by,
      });
    }
    const e = rel.colExpr(by)!.sql;
    g = kind === 'cat' ? e : sql`CASE WHEN ${e} = ${TRUE} THEN 'true' WHEN ${e} = ${FALSE} THEN 'false' END`;
  }
  const sel = sql`SELECT ${rel.ref('r')} AS r, ${rel.keyExpr('loan_id')!} AS loan, ${col('snapshot_date', 'month')} AS m, ${col('snapshot_date', 'day')} AS d, ${col('dpd')} AS dpd, ${col('outstanding')} AS o, ${st} AS st${join(more, '')}${g ? sql`, ${g} AS g` : raw('')} FROM ${rel.from()} WHERE ${where}`;
  const cols = ['r', 'loan', 'm', 'd', 'dpd', 'o', 'st', ...extra.map((x) => x.as), ...(g ? ['g'] : [])];
  // After every expression above: their joins decide whether a loan's rows share a shard.
  return { sub: sel, hasGroup: g !== null, cols, colocated: rel.loanColocated() };
}

/**
 * One side of a self-join: the rows of `sub` with every column renamed `<p>_<column>` and a
 * `<p>_hit` marker (1; NULL where an outer join found no row). ClickHouse 18.16 needs distinct
 * column names on the two sides of a join, and fills a LEFT JOIN's missing right key columns from
 * the left side, so "no row" is read from the marker only.
 */
export function side(sub: Sql, p: string, cols: string[], where: Sql = sql`${TRUE}`): Sql {
  const list = cols.map((c) => sql`${I(c)} AS ${I(`${p}_${c}`)}`);
  return sql`(SELECT ${join(list, ', ')}, 1 AS ${I(`${p}_hit`)} FROM (${sub}) AS ${I(`${p}_src`)} WHERE ${where}) AS ${I(p)}`;
}

export const NI = raw(String(NULL_INDEX));

/**
 * Selected rows with a loan and a month beyond the first of their (loan, month), memory's
 * `duplicate_loan_month`: none when the stored table has no two rows of one loan in one month
 * (`uniqueLoanMonths`, checked once at load), else a grouped count (not `count(DISTINCT (loan,
 * m))`, which DuckDB evaluates over row structs: seconds at 1M rows).
 */
export async function duplicateLoanMonths(
  scope: SqlScope,
  source: string,
  sub: Sql,
  exec: Exec,
  colocated = false,
): Promise<number> {
  if (scope.table(source).uniqueLoanMonths) return 0;
  const [dup] = await exec(
    perShard(
      sql`SELECT sum(nd) - count(*) AS dup FROM (SELECT count(*) AS nd FROM (${sub}) AS e WHERE loan IS NOT NULL AND m <> ${NI} GROUP BY loan, m) AS dg`,
      colocated,
      { keys: [], sums: ['dup'] },
    ),
  );
  return num(dup?.['dup']);
}

/** The counters' columns that add up across shards (`max_day` is a maximum). */
const COUNTER_SUMS = ['n_rows', 'n_used', 'n_wo', 'n_closed', 'n_dpd', 'n_out'];

/** Common counters per (m[, g]): rows, excluded reasons, latest day. `ok` = used under the measure. */
function counters(amount: boolean): { ok: Sql; cols: Sql } {
  const inBook = sql`m <> ${NI} AND st = 0 AND dpd >= 0`;
  const ok = amount ? sql`${inBook} AND o IS NOT NULL` : inBook;
  const cols = sql`count(*) AS n_rows,
    sum(CASE WHEN ${ok} THEN 1 ELSE 0 END) AS n_used,
    sum(CASE WHEN m <> ${NI} AND st = 2 THEN 1 ELSE 0 END) AS n_wo,
    sum(CASE WHEN m <> ${NI} AND st = 1 THEN 1 ELSE 0 END) AS n_closed,
    sum(CASE WHEN m <> ${NI} AND st = 0 AND NOT coalesce(dpd >= 0, ${FALSE}) THEN 1 ELSE 0 END) AS n_dpd,
    sum(CASE WHEN ${inBook} AND o IS NULL THEN 1 ELSE 0 END) AS n_out,
    max(CASE WHEN m <> ${NI} THEN d END) AS max_day`;
  return { ok, cols };
}

/** Totals over the per-cell rows: count, maxDay, month range, used, excluded counts. */
function totals(rows: Array<Record<string, unknown>>, countMissingOut: boolean) {
  let count = 0;
  let used = 0;
  let maxDay = NULL_INDEX;
  let minMonth = 2147483647;
  let maxMonth = NULL_INDEX;
  const ex = { missing_snapshot: 0, missing_dpd: 0, missing_outstanding: 0, closed: 0, written_off: 0 };
  for (const r of rows) {
    const n = num(r['n_rows']);
    count += n;
    const m = num(r['m']);
    if (m === NULL_INDEX) {
      ex.missing_snapshot += n;
      continue;
    }
    if (m < minMonth) minMonth = m;
    if (m > maxMonth) maxMonth = m;
    used += num(r['n_used']);
    ex.missing_dpd += num(r['n_dpd']);
    if (countMissingOut) ex.missing_outstanding += num(r['n_out']);
    ex.closed += num(r['n_closed']);
    ex.written_off += num(r['n_wo']);
    if (r['max_day'] !== null && r['max_day'] !== undefined) maxDay = Math.max(maxDay, num(r['max_day']));
  }
  if (maxMonth === NULL_INDEX) minMonth = NULL_INDEX;
  const M = maxMonth === NULL_INDEX ? 0 : maxMonth - minMonth + 1;
  return { count, used, maxDay, m0: minMonth, M, excluded: ex };
}

export const overdueRateSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = overdueParams(params);
  const { sub, hasGroup, colocated } = loanMonths(scope, source, p.by);
  const amount = p.measure === 'amount';
  const v = amount ? raw('o') : raw('1');
  const { ok, cols } = counters(amount);
  const kEdge = p.scale.edges[p.k]!;
  const gSel = hasGroup ? raw(', g') : raw('');
  const rows = await exec(
    perShard(
      sql`SELECT m${gSel}, ${cols},
    sum(CASE WHEN ${ok} THEN ${v} ELSE 0 END) AS den,
    sum(CASE WHEN ${ok} AND dpd >= ${kEdge} THEN ${v} ELSE 0 END) AS num
    FROM (${sub}) AS b GROUP BY m${gSel}`,
      colocated,
      { keys: hasGroup ? ['m', 'g'] : ['m'], sums: [...COUNTER_SUMS, 'den', 'num'], maxes: ['max_day'] },
    ),
  );
  const tot = totals(rows, true);
  // Group labels present, in the memory engine's order (code-point by label, null last).
  let labels: Array<string | null> | null = null;
  const gi = new Map<string | null, number>();
  if (hasGroup) {
    const seenLabels = [
      ...new Set(
        rows
          .filter((r) => num(r['m']) !== NULL_INDEX)
          .map((r) => (r['g'] === null || r['g'] === undefined ? null : String(r['g']))),
      ),
    ];
    labels = [...seenLabels.filter((x): x is string => x !== null), null];
    labels.forEach((l, i) => gi.set(l, i));
  }
  const G = labels ? labels.length : 1;
  const order = labels ? groupOrder({ codes: new Int32Array(0), count: G, nullGroup: G - 1, labels }) : [0];
  const numA = new Float64Array(tot.M * G);
  const denA = new Float64Array(tot.M * G);
  const seen = new Uint8Array(tot.M * G);
  for (const r of rows) {
    const m = num(r['m']);
    if (m === NULL_INDEX) continue;
    const g = labels ? gi.get(r['g'] === null || r['g'] === undefined ? null : String(r['g']))! : 0;
    const cell = (m - tot.m0) * G + g;
    seen[cell] = 1;
    numA[cell] = num(r['num']);
    denA[cell] = num(r['den']);
  }
  return overdueResult(scope, p, {
    count: tot.count,
    maxDay: tot.maxDay,
    m0: tot.m0,
    M: tot.M,
    G,
    num: numA,
    den: denA,
    seen,
    order,
    labels,
    used: tot.used,
    excluded: tot.excluded,
  });
};

/** `CASE WHEN dpd >= e[n−1] THEN n−1 … ELSE 0 END` (dpd ≥ 0 already). */
export function bucketSql(edges: number[], e: Sql = raw('dpd')): Sql {
  const arms: Sql[] = [];
  for (let b = edges.length - 1; b >= 1; b--)
    arms.push(sql`WHEN ${e} >= ${edges[b]!} THEN ${raw(String(b))}`);
  return arms.length ? sql`CASE ${join(arms, ' ')} ELSE 0 END` : raw('0');
}

/**
 * Per (month, bucket) cells of in-book rows: `cnt_all` (valid dpd), `cnt_o` (and outstanding
 * present), `amt` (Σ outstanding present); bucket −1 holds the rows that are not in book.
 */
async function bucketCells(scope: SqlScope, source: string, edges: number[], exec: Exec, amount: boolean) {
  const { sub, colocated } = loanMonths(scope, source, null);
  const { cols } = counters(amount);
  const inBook = sql`m <> ${NI} AND st = 0 AND dpd >= 0`;
  return exec(
    perShard(
      sql`SELECT m, b, ${cols},
    sum(CASE WHEN ${inBook} THEN 1 ELSE 0 END) AS cnt_all,
    sum(CASE WHEN ${inBook} AND o IS NOT NULL THEN 1 ELSE 0 END) AS cnt_o,
    sum(CASE WHEN ${inBook} AND o IS NOT NULL THEN o ELSE 0 END) AS amt
    FROM (SELECT *, CASE WHEN m <> ${NI} AND st = 0 AND dpd >= 0 THEN ${bucketSql(edges)} ELSE -1 END AS b FROM (${sub}) AS s0) AS b0
    GROUP BY m, b`,
      colocated,
      { keys: ['m', 'b'], sums: [...COUNTER_SUMS, 'cnt_all', 'cnt_o', 'amt'], maxes: ['max_day'] },
    ),
  );
}

export const bucketTrendSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = bucketTrendParams(params);
  const amount = p.measure === 'amount';
  const rows = await bucketCells(scope, source, p.scale.edges, exec, amount);
  const tot = totals(rows, amount);
  const nb = p.scale.edges.length;
  const cnt = new Float64Array(tot.M * nb);
  const amt = new Float64Array(tot.M * nb);
  const seen = new Uint8Array(tot.M);
  for (const r of rows) {
    const m = num(r['m']);
    if (m === NULL_INDEX) continue;
    seen[m - tot.m0] = 1;
    const b = num(r['b']);
    if (b < 0) continue;
    cnt[(m - tot.m0) * nb + b] = num(r[amount ? 'cnt_o' : 'cnt_all']);
    amt[(m - tot.m0) * nb + b] = num(r['amt']);
  }
  return bucketTrendResult(scope, p, {
    count: tot.count,
    maxDay: tot.maxDay,
    m0: tot.m0,
    M: tot.M,
    cnt,
    amt,
    seen,
    used: tot.used,
    excluded: tot.excluded,
  });
};

export const dpdBucketsSql: CompiledMetric = async (scope, params, source, exec) => {
  const scale = resolveBuckets(params);
  const rows = await bucketCells(scope, source, scale.edges, exec, false);
  const wanted = pMonth(params, 'month');
  const tot = totals(rows, true);
  const snap = wanted ?? (tot.M === 0 ? NULL_INDEX : tot.m0 + tot.M - 1);
  const nb = scale.edges.length;
  const counts = new Float64Array(nb);
  const sums = new Float64Array(nb);
  let rowsAt = 0;
  let used = 0;
  let maxDay = NULL_INDEX;
  const ex = { missing_dpd: 0, missing_outstanding: 0, closed: 0, written_off: 0 };
  if (snap !== NULL_INDEX) {
    for (const r of rows) {
      if (num(r['m']) !== snap) continue;
      rowsAt += num(r['n_rows']);
      used += num(r['n_used']);
      ex.missing_dpd += num(r['n_dpd']);
      ex.missing_outstanding += num(r['cnt_all']) - num(r['cnt_o']);
      ex.closed += num(r['n_closed']);
      ex.written_off += num(r['n_wo']);
      if (r['max_day'] !== null && r['max_day'] !== undefined) maxDay = Math.max(maxDay, num(r['max_day']));
      const b = num(r['b']);
      if (b < 0) continue;
      counts[b] = num(r['cnt_all']);
      sums[b] = num(r['amt']);
    }
  }
  return dpdBucketsResult(scope, scale, snap, tot.count, {
    counts,
    sums,
    rowsAt,
    used,
    maxDay,
    excluded: ex,
  });
};

export const flowRateSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = flowRateParams(params);
  const amount = p.measure === 'amount';
  const edges = p.scale.edges;
  const nb = edges.length;
  const last = nb - 1;
  const rows = await bucketCells(scope, source, edges, exec, amount);
  // The adjacent-month join needs the selected rows again (same scope: same filters, no new joins).
  const { sub, cols, colocated } = loanMonths(scope, source, null);
  const tot = totals(rows, true);
  const val = new Float64Array(tot.M * nb);
  const loans = new Uint32Array(tot.M * nb);
  const arrivals = new Float64Array(tot.M);
  const seen = new Uint8Array(tot.M);
  for (const r of rows) {
    const m = num(r['m']);
    if (m === NULL_INDEX) continue;
    seen[m - tot.m0] = 1;
    const b = num(r['b']);
    if (b < 0) continue;
    val[(m - tot.m0) * nb + b] = num(r[amount ? 'amt' : 'cnt_all']);
    // The rows the memory engine counts: in book with a valid dpd (and an outstanding when by amount).
    loans[(m - tot.m0) * nb + b] = num(r[amount ? 'cnt_o' : 'cnt_all']);
  }
  if (p.lastMode === 'entries' && tot.M > 1) {
    // Arrivals: in the last bucket at t, and the same loan's selected row at t − 1 was in book
    // below the last bucket (selected rows on both ends, as the memory engine's adjacent rows).
    // The rows at t − 1 are narrowed to the arrivals' loan-months first (a semi-join on the few
    // rows in the last bucket), so the join's hash table holds those, not every row in book.
    const lastB = edges[last]!;
    const arriving = sql`m <> ${NI} AND st = 0 AND dpd >= ${lastB} ${amount ? raw('AND o IS NOT NULL') : raw('')}`;
    const before = sql`SELECT loan, m - 1 FROM (${sub}) AS w WHERE ${arriving}`;
    const below = sql`st = 0 AND dpd >= 0 AND dpd < ${lastB} AND (loan, m) ${IN_SUBQUERY} (${before})`;
    const arr = await exec(
      perShard(
        sql`SELECT c_m AS m, sum(${amount ? raw('c_o') : raw('1')}) AS a
      FROM ${side(sub, 'c', cols, arriving)} ${INNER_JOIN} ${side(sub, 'q', cols, below)} ON c_loan = q_loan AND c_m - 1 = q_m
      GROUP BY c_m`,
        colocated,
        { keys: ['m'], sums: ['a'] },
      ),
    );
    for (const r of arr) arrivals[num(r['m']) - tot.m0] = num(r['a']);
  }
  return flowRateResult(scope, p, {
    count: tot.count,
    maxDay: tot.maxDay,
    m0: tot.m0,
    M: tot.M,
    val,
    loans,
    arrivals,
    seen,
    used: tot.used,
    excluded: tot.excluded,
  });
};

export const rollRateSql: CompiledMetric = async (scope, params, source, exec) => {
  const scale = resolveBuckets(params);
  const measure = pEnum(params, 'measure', ['count', 'amount'] as const, 'count');
  const amount = measure === 'amount';
  const { sub, colocated } = loanMonths(scope, source, null);
  const [ext] = await exec(
    perShard(
      sql`SELECT count(*) AS n, max(CASE WHEN m <> ${NI} THEN m END) AS hi FROM (${sub}) AS e`,
      colocated,
      { keys: [], sums: ['n'], maxes: ['hi'] },
    ),
  );
  const maxMonth = ext!['hi'] === null || ext!['hi'] === undefined ? NULL_INDEX : num(ext!['hi']);
  const [t0, t1] = rollMonths(params, maxMonth);
  const nb = scale.edges.length;
  const C = nb + 3;
  const cnt = new Float64Array(nb * C);
  const amt = new Float64Array(nb * C);
  let rowsT0 = 0;
  let missingLoan = 0;
  let duplicates = 0;
  let maxDay1 = NULL_INDEX;
  let used = 0;
  const ex = [0, 0, 0, 0, 0];
  let missingAtT1 = 0;
  let missingDpdT1 = 0;
  if (t1 !== NULL_INDEX) {
    // One row per (month, loan) at t0 and t1: the lowest row index wins, as memory; duplicates counted.
    // The value at the lowest row index, NULL included (ClickHouse's argMin skips NULL values;
    // a one-element tuple is never NULL). Output names differ from inputs: ClickHouse aliases are
    // query-wide.
    const first = (e: string): Sql =>
      sql`${alt(sql`arg_min_null(${I(e)}, r)`, sql`argMin(tuple(${I(e)}), r).1`)}`;
    const per = sql`SELECT m, loan, count(*) AS n, ${first('st')} AS p_st, ${first('dpd')} AS p_dpd, ${first('o')} AS p_o, max(d) AS md
      FROM (${sub}) AS s1 WHERE m IN (${t0}, ${t1}) GROUP BY m, loan`;
    const heads = await exec(
      perShard(
        sql`SELECT m, loan IS NULL AS nl, sum(n) AS nn, sum(n - 1) AS dup, max(md) AS mmd FROM (${per}) AS h GROUP BY m, loan IS NULL`,
        colocated,
        { keys: ['m', 'nl'], sums: ['nn', 'dup'], maxes: ['mmd'] },
      ),
    );
    for (const h of heads) {
      const m = num(h['m']);
      const nl = num(h['nl']) === 1;
      if (m === t0) rowsT0 += num(h['nn']);
      if (nl) {
        if (m === t0) missingLoan += num(h['nn']);
        continue;
      }
      duplicates += num(h['dup']);
      if (m === t1 && h['mmd'] !== null && h['mmd'] !== undefined) maxDay1 = Math.max(maxDay1, num(h['mmd']));
    }
    const b0 = bucketSql(scale.edges, raw('x_p_dpd'));
    const b1 = bucketSql(scale.edges, raw('y_p_dpd'));
    const pc = ['m', 'loan', 'p_st', 'p_dpd', 'p_o'];
    const cells = await exec(
      perShard(
        sql`SELECT
        CASE WHEN x_p_st = 2 THEN 2 WHEN x_p_st = 1 THEN 1 WHEN NOT coalesce(x_p_dpd >= 0, ${FALSE}) THEN 3 ${amount ? raw('WHEN x_p_o IS NULL THEN 4') : raw('')} ELSE 0 END AS c0,
        CASE WHEN x_p_dpd >= 0 THEN ${b0} ELSE -1 END AS b0,
        CASE WHEN y_hit IS NULL THEN -1 WHEN y_p_st = 1 THEN ${raw(String(nb))} WHEN y_p_st = 2 THEN ${raw(String(nb + 1))}
          WHEN NOT coalesce(y_p_dpd >= 0, ${FALSE}) THEN -2 ELSE ${b1} END AS j,
        count(*) AS n, sum(CASE WHEN x_p_o IS NOT NULL THEN x_p_o ELSE 0 END) AS amt
      FROM ${side(per, 'x', pc, sql`m = ${t0} AND loan IS NOT NULL`)}
      ${LEFT_JOIN} ${side(per, 'y', pc, sql`m = ${t1} AND loan IS NOT NULL`)} ON x_loan = y_loan
      GROUP BY c0, b0, j`,
        colocated,
        { keys: ['c0', 'b0', 'j'], sums: ['n', 'amt'] },
      ),
    );
    for (const c of cells) {
      const kind = num(c['c0']);
      const n = num(c['n']);
      ex[kind]! += n;
      if (kind !== 0) continue;
      used += n;
      let j = num(c['j']);
      if (j === -1) missingAtT1 += n;
      if (j === -2) missingDpdT1 += n;
      if (j < 0) j = nb + 2;
      const cell = num(c['b0']) * C + j;
      cnt[cell]! += n;
      amt[cell]! += num(c['amt']);
    }
  }
  return rollRateResult(scope, scale, measure, {
    t0,
    t1,
    count: num(ext!['n']),
    rowsT0,
    maxDay1,
    cnt,
    amt,
    used,
    missingAtT1,
    missingDpdT1,
    excluded: {
      missing_loan_id: missingLoan,
      closed_at_t0: ex[1]!,
      written_off_at_t0: ex[2]!,
      missing_dpd: ex[3]!,
      missing_outstanding: amount ? ex[4]! : 0,
      duplicate_loan_month: duplicates,
      missing_at_t1: missingAtT1,
      missing_dpd_at_t1: missingDpdT1,
    },
  });
};
