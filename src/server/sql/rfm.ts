/**
 * `rfm` compiled to SQL from its own definition (src/engine/metrics/rfm.ts): `rfmParams()`
 * validates, the SQL aggregates next to the data to **one row per known entity** (first row index,
 * count and last day in the window, Σ amount in row order), and `rfmResult()` scores, segments and
 * lists them in JS, so quintiles, ties, thresholds and listings are the same code on every backend.
 *
 * Rules both sides follow: T (as-of) is the latest day of a selected row with an entity and a day;
 * the window is the W days ending on T; entities are scored in the entity dictionary's order (first
 * appearance in the dataset: `min(r)` over the whole table); a customer's monetary sum adds its
 * window amounts in row order (`list_reduce` over `list(… ORDER BY r)` in DuckDB, `arraySum` over
 * `arraySort` of `(r, amount)` pairs in ClickHouse) — the exact float the memory loop computes, so
 * equal customers stay equal and quintile ties score alike on every backend.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { FinError } from '../../engine/errors.js';
import { badParam } from '../../engine/metrics/generic-util.js';
import { NO_DAY } from '../../engine/metrics/rfm-params.js';
import { rfmParams, rfmResult } from '../../engine/metrics/rfm.js';
import type { CompiledMetric } from './collection.js';
import { num } from './collection.js';
import type { SqlScope } from './scope.js';
import type { Sql } from './sql.js';
import { FALSE, IN_SUBQUERY, TRUE, alt, raw, sql } from './sql.js';

const NI = raw(String(NULL_INDEX));
/** 1 and 0 as floats (a boolean amount: DuckDB reads `1.0` as DECIMAL). */
const ONE = alt('CAST(1 AS DOUBLE)', 'toFloat64(1)');
const ZERO = alt('CAST(0 AS DOUBLE)', 'toFloat64(0)');

/** `(SELECT r, e, d, a, w …)`: the source's rows, `w` = 1 where the filters select the row. */
function rows(
  scope: SqlScope,
  source: string,
  entity: string,
  dateField: string,
  amountField: string,
  extra: Parameters<SqlScope['where']>[1],
): Sql {
  const rel = scope.relation(source);
  const e = rel.colExpr(entity)!.sql;
  const d = rel.colExpr(dateField, 'day')!.sql;
  const ac = rel.colExpr(amountField)!;
  const a =
    ac.kind === 'bool'
      ? sql`CASE WHEN ${ac.sql} = ${TRUE} THEN ${ONE} WHEN ${ac.sql} = ${FALSE} THEN ${ZERO} END`
      : ac.sql;
  const w = scope.where(rel, extra);
  return sql`SELECT ${rel.ref('r')} AS r, ${e} AS e, ${d} AS d, ${a} AS a, CASE WHEN ${w} THEN 1 ELSE 0 END AS w FROM ${rel.from()}`;
}

/** Whether the catalog holds `name` (the memory context's `has`). */
function has(scope: SqlScope, name: string): boolean {
  try {
    scope.table(name);
    return true;
  } catch {
    return false;
  }
}

export const rfmSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = rfmParams(params, source);
  // Column checks in the memory order: entity (cat), date field (date), amount (num/bool).
  scope.table(source);
  if (scope.kind(source, p.entity) !== 'cat')
    throw badParam('entity', `Field "${p.entity}" of "${source}" is not a category/identifier`, p.entity);
  if (scope.kind(source, p.dateField) !== 'date')
    throw badParam('dateField', `Field "${p.dateField}" of "${source}" is not a date`, p.dateField);
  const ak = scope.kind(source, p.amountField);
  if (ak === 'cat')
    throw badParam(
      'amountField',
      `Field "${p.amountField}" is a category; it cannot be summed or averaged`,
      p.amountField,
    );
  if (ak === 'date')
    throw new FinError('unsupported', 'A date field as the RFM amount is not compiled to SQL', {
      metric: 'rfm',
      backend: 'sql',
    });
  const sub = rows(scope, source, p.entity, p.dateField, p.amountField, p.extra);

  let T = p.asOfDay ?? NO_DAY;
  if (p.asOfDay === null) {
    // count(*) first: ClickHouse answers max() over no rows with 0, not NULL.
    const [r] = await exec(
      sql`SELECT count(*) AS n, max(d) AS t FROM (${sub}) AS s0 WHERE w = 1 AND e IS NOT NULL AND d <> ${NI}`,
    );
    if (r && num(r['n']) > 0) T = num(r['t']);
  }
  const from = T - p.windowDays + 1;
  const valid = sql`e IS NOT NULL AND d <> ${NI} AND a IS NOT NULL`;
  const inWin = sql`w = 1 AND ${valid} AND d <= ${T} AND d >= ${from}`;
  const one = (c: Sql): Sql => sql`sum(CASE WHEN ${c} THEN 1 ELSE 0 END)`;

  const [c] = await exec(sql`SELECT count(*) AS n,
      ${one(sql`e IS NULL`)} AS me,
      ${one(sql`e IS NOT NULL AND d = ${NI}`)} AS md,
      ${one(sql`e IS NOT NULL AND d <> ${NI} AND a IS NULL`)} AS ma,
      ${one(sql`${valid} AND d > ${T}`)} AS aft,
      ${one(sql`${valid} AND d <= ${T} AND d < ${from}`)} AS bef,
      ${one(sql`${valid} AND d <= ${T} AND d >= ${from}`)} AS used
    FROM (${sub}) AS s0 WHERE w = 1`);

  // One row per known entity: the window's count, last day and amounts summed in row order.
  const ordered = alt(
    sql`list_reduce(list(a ORDER BY r) FILTER (WHERE ${inWin}), lambda x, y: x + y)`,
    sql`arraySum(arrayMap(x -> tupleElement(x, 2), arraySort(groupArrayIf(tuple(r, assumeNotNull(a)), ${inWin}))))`,
  );
  const known = one(sql`w = 1 AND ${valid} AND d <= ${T}`);
  const ents = await exec(sql`SELECT e, min(r) AS o, ${known} AS k, ${one(inWin)} AS f,
      max(CASE WHEN ${inWin} THEN d END) AS l, ${ordered} AS m
    FROM (${sub}) AS s0 WHERE e IS NOT NULL GROUP BY e HAVING ${known} > 0`);
  ents.sort((x, y) => num(x['o']) - num(y['o']));
  const scored = ents.filter((r) => num(r['f']) > 0);

  // Customers of the customers table (after filters) with no usable transaction up to T.
  let noTransactions = 0;
  const cinfo = has(scope, 'customers') ? scope.table('customers') : null;
  const cc = cinfo?.cols.get(p.entity);
  if (cc && cc.kind === 'cat') {
    const crel = scope.relation('customers', 'c');
    const cid = crel.colExpr(p.entity)!.sql;
    const cw = scope.where(crel);
    const knownSub = rows(scope, source, p.entity, p.dateField, p.amountField, p.extra);
    const [n] = await exec(sql`SELECT count(DISTINCT cid) AS n
      FROM (SELECT ${cid} AS cid FROM ${crel.from()} WHERE ${cw}) AS c0
      WHERE cid IS NOT NULL AND NOT (cid ${IN_SUBQUERY} (SELECT e FROM (${knownSub}) AS k0 WHERE w = 1 AND ${valid} AND d <= ${T}))`);
    noTransactions = num(n?.['n']);
  }

  return rfmResult(scope, p, {
    T,
    ids: scored.map((r) => String(r['e'])),
    lastDay: Float64Array.from(scored, (r) => num(r['l'])),
    freq: Float64Array.from(scored, (r) => num(r['f'])),
    mon: Float64Array.from(scored, (r) => num(r['m'])),
    known: ents.length,
    noTransactions,
    rows: num(c?.['n']),
    used: num(c?.['used']),
    missingEntity: num(c?.['me']),
    missingDate: num(c?.['md']),
    missingAmount: num(c?.['ma']),
    afterAsOf: num(c?.['aft']),
    beforeWindow: num(c?.['bef']),
  });
};
