/**
 * `churn` compiled to SQL from its own definition (src/engine/metrics/churn.ts): `churnParams()`
 * validates, the SQL aggregates to **one row per customer**: its activity runs up to T (sorted
 * distinct activity days split where a gap exceeds N days, as two arrays of first and last days),
 * and `churnResult()` builds the monthly series in JS. What crosses the wire is bounded by the
 * customers and their churn events, not by their transactions. Days are the stored day indexes
 * (the load's time zone), so month starts and T are the memory engine's.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { churnParams, churnResult } from '../../engine/metrics/churn.js';
import type { CompiledMetric } from './collection.js';
import { num } from './collection.js';
import { checkColumns } from './cohort.js';
import { alt, raw, sql } from './sql.js';

const NI = raw(String(NULL_INDEX));
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map((x) => Number(x)) : []);

export const churnSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = churnParams(params, source);
  checkColumns(scope, source, p.entity, p.dateField, null, 'churn');
  const rel = scope.relation(source);
  const e = rel.colExpr(p.entity)!.sql;
  const d = rel.colExpr(p.dateField, 'day')!.sql;
  const w = scope.where(rel, p.where);
  const sub = sql`SELECT ${e} AS e, ${d} AS d FROM ${rel.from()} WHERE ${w}`;
  const ok = sql`e IS NOT NULL AND d <> ${NI}`;
  const [c] = await exec(sql`SELECT count(*) AS n,
      sum(CASE WHEN e IS NULL THEN 1 ELSE 0 END) AS me,
      sum(CASE WHEN e IS NOT NULL AND d = ${NI} THEN 1 ELSE 0 END) AS md,
      min(CASE WHEN ${ok} THEN d END) AS lo, max(CASE WHEN ${ok} THEN d END) AS hi
    FROM (${sub}) AS s0`);
  const has = (v: unknown): boolean => v !== null && v !== undefined;
  const T = p.asOfDay ?? (has(c?.['hi']) ? num(c!['hi']) : -2147483648);
  const minDay = has(c?.['lo']) ? num(c!['lo']) : 2147483647;
  const base = {
    T,
    minDay,
    rows: num(c?.['n']),
    missingEntity: num(c?.['me']),
    missingDate: num(c?.['md']),
  };
  if (!(T !== -2147483648 && minDay <= T))
    return churnResult(scope, p, { ...base, used: 0, afterAsOf: 0, customers: [] });

  const [u] = await exec(sql`SELECT sum(CASE WHEN d > ${T} THEN 1 ELSE 0 END) AS aft,
      sum(CASE WHEN d <= ${T} THEN 1 ELSE 0 END) AS used FROM (${sub}) AS s1 WHERE ${ok}`);
  // Runs per customer: a day starts one when it is the first or follows a gap of more than N days,
  // ends one when it is the last or a gap of more than N days follows.
  const N = p.N;
  const runs = alt(
    sql`list_filter(ds, lambda x, i: i = 1 OR x - ds[i - 1] > ${N}) AS st,
      list_filter(ds, lambda x, i: i = len(ds) OR ds[i + 1] - x > ${N}) AS en`,
    sql`arrayFilter((x, i) -> i = 1 OR x - ds[i - 1] > ${N}, ds, arrayEnumerate(ds)) AS st,
      arrayFilter((x, i) -> i = length(ds) OR ds[i + 1] - x > ${N}, ds, arrayEnumerate(ds)) AS en`,
  );
  const days = alt(sql`list_sort(list(DISTINCT d))`, sql`arraySort(groupUniqArray(d))`);
  const rows = await exec(sql`SELECT ${runs}
    FROM (SELECT e, ${days} AS ds FROM (${sub}) AS s2 WHERE ${ok} AND d <= ${T} GROUP BY e) AS s3`);
  return churnResult(scope, p, {
    ...base,
    used: num(u?.['used']),
    afterAsOf: num(u?.['aft']),
    customers: rows.map((r) => ({ starts: nums(r['st']), ends: nums(r['en']) })),
  });
};
