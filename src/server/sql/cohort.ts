/**
 * `cohort` compiled to SQL from its own definition (src/engine/metrics/cohort.ts): `cohortParams()`
 * validates, the SQL aggregates to **one row per (cohort, period) cell** — distinct active
 * entities, rows, Σ amount — through a per-entity first/last period `GROUP BY` joined back to the
 * selected rows, and `cohortResult()` shapes the triangle, censoring, basis and quality in JS.
 * Periods are the stored integer indexes (month, ISO week; quarter = ⌊month / 3⌋), never a SQL
 * date function, so calendar periods and time zones are the ingestion's, as in memory.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { FinError } from '../../engine/errors.js';
import { cohortParams, cohortResult } from '../../engine/metrics/cohort.js';
import { badParam } from '../../engine/metrics/generic-util.js';
import { assertPeriods } from '../../engine/metrics/period-cap.js';
import type { CompiledMetric } from './collection.js';
import { num } from './collection.js';
import type { SqlScope } from './scope.js';
import type { Sql } from './sql.js';
import { FALSE, INNER_JOIN, TRUE, alt, raw, sql } from './sql.js';

const NI = raw(String(NULL_INDEX));
/** 1 and 0 as floats (a boolean amount: DuckDB reads `1.0` as DECIMAL). */
const ONE = alt('CAST(1 AS DOUBLE)', 'toFloat64(1)');
const ZERO = alt('CAST(0 AS DOUBLE)', 'toFloat64(0)');

/**
 * Column checks of the generic customer metrics in the memory order (`catCol`, `dateCol`,
 * `numericValues`): the entity must be a category, the date field a date, an amount a number or
 * boolean (a category is `bad_params`; a date as an amount is not compiled: `unsupported`).
 */
export function checkColumns(
  scope: SqlScope,
  source: string,
  entity: string,
  dateField: string,
  amountField: string | null,
  metric: string,
): void {
  scope.table(source);
  if (scope.kind(source, entity) !== 'cat')
    throw badParam('entity', `Field "${entity}" of "${source}" is not a category/identifier`, entity);
  if (scope.kind(source, dateField) !== 'date')
    throw badParam('dateField', `Field "${dateField}" of "${source}" is not a date`, dateField);
  if (amountField === null) return;
  const ak = scope.kind(source, amountField);
  if (ak === 'cat')
    throw badParam(
      'amountField',
      `Field "${amountField}" is a category; it cannot be summed or averaged`,
      amountField,
    );
  if (ak === 'date')
    throw new FinError('unsupported', 'A date field as an amount is not compiled to SQL', {
      metric,
      backend: 'sql',
    });
}

/** A number or boolean column as a number (boolean 1/0, missing NULL: `numericValues`). */
export function amountExpr(c: { kind: string; sql: Sql }): Sql {
  return c.kind === 'bool'
    ? sql`CASE WHEN ${c.sql} = ${TRUE} THEN ${ONE} WHEN ${c.sql} = ${FALSE} THEN ${ZERO} END`
    : c.sql;
}

export const cohortSql: CompiledMetric = async (scope, params, source, exec) => {
  const pr = cohortParams(params, source);
  checkColumns(scope, source, pr.entity, pr.dateField, pr.amountField, 'cohort');
  const rel = scope.relation(source);
  const e = rel.colExpr(pr.entity)!.sql;
  const m = rel.colExpr(pr.dateField, pr.unit === 'week' ? 'week' : 'month')!.sql;
  const per =
    pr.unit === 'quarter'
      ? sql`CASE WHEN ${m} = ${NI} THEN ${NI} ELSE ${alt(sql`(${m} // 3)`, sql`intDiv(${m}, 3)`)} END`
      : m;
  const a = pr.amountField ? amountExpr(rel.colExpr(pr.amountField)!) : raw('NULL');
  const w = scope.where(rel, pr.where);
  const sub = sql`SELECT ${e} AS e, ${per} AS p, ${a} AS a FROM ${rel.from()} WHERE ${w}`;
  const ok = sql`e IS NOT NULL AND p <> ${NI}`;

  const [c] = await exec(sql`SELECT count(*) AS n,
      sum(CASE WHEN e IS NULL THEN 1 ELSE 0 END) AS me,
      sum(CASE WHEN e IS NOT NULL AND p = ${NI} THEN 1 ELSE 0 END) AS md,
      sum(CASE WHEN ${ok} THEN 1 ELSE 0 END) AS used,
      min(CASE WHEN ${ok} THEN p END) AS lo, max(CASE WHEN ${ok} THEN p END) AS hi
    FROM (${sub}) AS s0`);
  const used = num(c?.['used']);
  const none = new Float64Array(0);
  const agg = {
    rows: num(c?.['n']),
    used,
    missingEntity: num(c?.['me']),
    missingDate: num(c?.['md']),
    minP: used ? num(c!['lo']) : 2147483647,
    lastObs: used ? num(c!['hi']) : -2147483648,
    censoredRows: 0,
    size: none,
    active: none,
    amount: null as Float64Array | null,
    missingAmount: 0,
  };
  if (used === 0) return cohortResult(scope, pr, agg);

  // Per entity: first and last period; per cell (cohort, p): distinct entities, rows, amounts.
  const firsts = sql`SELECT e AS fe, min(p) AS f, max(p) AS l FROM (${sub}) AS s1 WHERE ${ok} GROUP BY e`;
  const cells = await exec(sql`SELECT f, p - f AS o, count(DISTINCT e) AS act, count(*) AS n,
      sum(CASE WHEN a IS NOT NULL THEN a ELSE 0 END) AS amt, sum(CASE WHEN a IS NULL THEN 1 ELSE 0 END) AS ma
    FROM (SELECT e, p, a FROM (${sub}) AS s2 WHERE ${ok}) AS x ${INNER_JOIN} (${firsts}) AS y ON e = fe
    GROUP BY f, o`);
  if (pr.leftCensored === 'exclude')
    for (const r of cells) if (num(r['f']) === agg.minP) agg.censoredRows += num(r['n']);
  if (used - agg.censoredRows === 0) return cohortResult(scope, pr, agg);

  const nC = agg.lastObs - agg.minP + 1;
  assertPeriods('cohort', nC);
  const span = nC;
  const size = new Float64Array(nC);
  const active = new Float64Array(nC * span);
  const amount = pr.amountField ? new Float64Array(nC * span) : null;
  for (const r of cells) {
    const ci = num(r['f']) - agg.minP;
    const o = num(r['o']);
    if (o === 0) size[ci] = num(r['act']);
    if (!pr.cumulative) active[ci * span + o] = num(r['act']);
    if (amount) {
      amount[ci * span + o] = num(r['amt']);
      agg.missingAmount += num(r['ma']);
    }
  }
  if (pr.cumulative) {
    // Active in p or later: entities by (cohort, last − first), then suffix sums.
    const lasts = await exec(sql`SELECT f, l - f AS o, count(*) AS k FROM (${firsts}) AS z GROUP BY f, o`);
    for (const r of lasts) active[(num(r['f']) - agg.minP) * span + num(r['o'])] = num(r['k']);
    for (let ci = 0; ci < nC; ci++)
      for (let p = span - 2; p >= 0; p--) active[ci * span + p]! += active[ci * span + p + 1]!;
  }
  return cohortResult(scope, pr, { ...agg, size, active, amount });
};
