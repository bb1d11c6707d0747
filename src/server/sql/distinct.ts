/**
 * `distinct` (the filter bar's and the composer's option lists) on the SQL backends, from the
 * memory metric's definition (src/engine/metrics/distinct.ts): the field resolves through the
 * scope's allowlist (own column or key links, `missing_column` otherwise), the request's filters
 * and the caller's row-level policy clauses apply as in every compiled metric (a policy clause
 * that cannot apply → `forbidden`), and `distinctResult()` orders, cuts and shapes the answer.
 *
 * Values as memory reads them: categories as strings, booleans 1/0, numbers as stored, date parts
 * from the stored period columns (`month` → `YYYY-MM`, `day` → `YYYY-MM-DD`, others as numbers;
 * the missing markers → null). Only the values that can make the cut leave the engine: the
 * `limit` most frequent (`ORDER BY count DESC, value`) or the `limit` first by value; JS then
 * sorts them with the memory comparator. Both orders agree except between strings holding
 * characters U+E000–U+FFFF and characters beyond U+FFFF (SQL compares code points, JS UTF-16 units).
 */
import { NULL_INDEX, dayLabel, monthLabel } from '../../data/dataset.js';
import type { DistinctParams } from '../../engine/metrics/distinct.js';
import { DATE_PARTS, distinctResult } from '../../engine/metrics/distinct.js';
import { badParam } from '../../engine/metrics/generic-util.js';
import type { CompiledMetric } from './collection.js';
import type { DatePart } from './scope.js';
import type { Sql } from './sql.js';
import { TRUE, raw, sql } from './sql.js';

export const distinctSql: CompiledMetric = async (scope, paramsIn, source, exec) => {
  const params = paramsIn as unknown as DistinctParams;
  const [name, part] = String(params.field ?? '').split('.') as [string, string | undefined];
  const kind = scope.kind(source, name); // missing_column, as ctx.col
  const rel = scope.relation(source);
  const where = scope.where(rel);
  let v: Sql;
  let isNull: Sql;
  const p = (part ?? 'day') as DatePart;
  if (kind === 'date') {
    if (!(DATE_PARTS as readonly string[]).includes(p))
      throw badParam(
        'field',
        `"${params.field}": the date part must be one of ${DATE_PARTS.join(', ')}`,
        params.field,
      );
    v = rel.colExpr(name, p)!.sql;
    isNull = sql`(${v} = ${raw(String(NULL_INDEX))} OR ${v} = -1)`;
  } else {
    const e = rel.colExpr(name)!.sql;
    v = kind === 'bool' ? sql`CASE WHEN ${e} = ${TRUE} THEN 1 WHEN ${e} IS NOT NULL THEN 0 END` : e;
    isNull = sql`${v} IS NULL`;
  }
  const sub = sql`SELECT ${v} AS v, CASE WHEN ${isNull} THEN 1 ELSE 0 END AS z FROM ${rel.from()} WHERE ${where}`;
  const [tot] = await exec(sql`SELECT count(*) AS n, sum(z) AS nulls FROM (${sub}) AS k`);
  const n = Number(tot?.['n'] ?? 0);
  const nulls = Number(tot?.['nulls'] ?? 0);
  const limit = params.limit ?? 500;
  const byCount = (params.order ?? 'count') === 'count';
  const cut =
    typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 0
      ? sql` ORDER BY ${byCount ? raw('cnt DESC, v') : raw('v')} LIMIT ${raw(String(limit))}`
      : raw('');
  const rows = await exec(sql`SELECT v, count(*) AS cnt FROM (${sub}) AS k WHERE z = 0 GROUP BY v${cut}`);
  const value = (x: unknown): string | number => {
    if (kind === 'cat') return String(x);
    const num = typeof x === 'boolean' ? (x ? 1 : 0) : Number(x);
    if (kind !== 'date') return num;
    return p === 'month' ? monthLabel(num) : p === 'day' ? dayLabel(num) : num;
  };
  const counted = rows.map((r) => ({ value: value(r['v']), count: Number(r['cnt']) }));
  return distinctResult(scope, params, counted, n, nulls);
};
