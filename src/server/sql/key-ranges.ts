/**
 * Filters on a `loans` field as loan-code ranges (DuckDB). The layout hands out loan codes in the
 * order of loans' filter fields (region, then product: duckdb-layout.ts), so the loans of one
 * region, or of one region and product, usually hold consecutive codes. A clause like
 * `region in [华东]` on loan_months is then "the row's loan code lies in [a, b]", which DuckDB
 * answers from its zone maps without probing a hash table of the chosen loans per row (at 100M
 * loan-months that probe grew faster than the data: the chosen loans no longer fit the caches).
 *
 * Exact or not used: per group of loans' cluster fields, the chosen loans' codes must be exactly
 * the integers from their least to their greatest code (count = greatest − least + 1), loans' keys
 * must be unique (so the query's join would find exactly that row) and the clause must reject a
 * missing value (`eq` / `in` without null: a row whose loan is not in loans is out either way).
 * Codes are shared by every table of the backend (one dictionary per key), so a code in a range
 * is the key of a chosen loan and nothing else. Anything else keeps the join.
 */
import type { FilterClause } from '../../engine/types.js';
import type { Exec } from './collection.js';
import type { Catalog, TableInfo } from './scope.js';
import type { Sql } from './sql.js';
import { CLUSTER_FIELDS } from '../duckdb-layout.js';
import { Ident, join, or, raw, sql } from './sql.js';

/** Inclusive code ranges, ascending. */
export type CodeRanges = ReadonlyArray<readonly [number, number]>;

/** Past this many ranges a clause keeps its join (an OR of ranges stops paying). */
const MAX_RANGES = 64;

// Per published `loans` entry (a new publish is a new object): clause → ranges or null (not exact).
const memo = new WeakMap<TableInfo, Map<string, CodeRanges | null>>();

/** The clause's values when it can become ranges (or a semi-join): a category `eq`/`in` without null. */
export function values(c: FilterClause): string[] | null {
  const vals = c.op === 'in' ? (Array.isArray(c.value) ? c.value : null) : c.op === 'eq' ? [c.value] : null;
  if (!vals || vals.some((v) => v === null || v === undefined || typeof v === 'object')) return null;
  return [...new Set(vals.map((v) => String(v)))];
}

/** `loans` when clauses on its fields can become code ranges, else null. */
function rangedLoans(catalog: Catalog): TableInfo | null {
  const loans = catalog.get('loans');
  if (!loans?.keyCodes?.get('loan_id') || !loans.uniqueKeys.has('loan_id')) return null;
  return loans;
}

/**
 * For each filter clause on an own category field of `loans`, its loan-code ranges when they are
 * exact (see above); computed once per published loans table and clause.
 */
export async function keyRanges(
  catalog: Catalog,
  filters: ReadonlyArray<FilterClause>,
  exec: Exec,
): Promise<Map<string, CodeRanges>> {
  const out = new Map<string, CodeRanges>();
  const loans = rangedLoans(catalog);
  if (!loans) return out;
  let seen = memo.get(loans);
  if (!seen) memo.set(loans, (seen = new Map()));
  for (const c of filters) {
    const col = loans.cols.get(c.field);
    const vals = values(c);
    if (col?.kind !== 'cat' || !vals) continue;
    const key = JSON.stringify(c);
    if (!seen.has(key)) {
      if (seen.size >= 256) seen.clear();
      seen.set(key, await compute(loans, col.id, vals, exec));
    }
    const r = seen.get(key);
    if (r) out.set(key, r);
  }
  return out;
}

async function compute(
  loans: TableInfo,
  colId: string,
  vals: string[],
  exec: Exec,
): Promise<CodeRanges | null> {
  if (vals.length === 0) return [];
  const k = new Ident(loans.keyCodes!.get('loan_id')!);
  const groups = CLUSTER_FIELDS.map((f) => loans.cols.get(f))
    .filter((c) => c?.kind === 'cat')
    .map((c) => new Ident(c!.id));
  const by: Sql = groups.length ? sql` GROUP BY ${join(groups, ', ')}` : raw('');
  const rows =
    await exec(sql`SELECT min(${k}) AS lo, max(${k}) AS hi, count(*) AS n FROM ${new Ident(loans.table)}
    WHERE ${k} IS NOT NULL AND ${new Ident(colId)} IN (${join(vals, ', ')})${by}`);
  const runs: Array<[number, number]> = [];
  for (const r of rows) {
    const lo = Number(r['lo']);
    const hi = Number(r['hi']);
    if (!(hi - lo + 1 === Number(r['n']))) return null; // not consecutive: keep the join
    runs.push([lo, hi]);
  }
  runs.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [lo, hi] of runs) {
    const last = merged[merged.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged.length > MAX_RANGES ? null : merged;
}

/** `code BETWEEN a AND b OR …` (FALSE for no range). */
export function inRanges(code: Sql, ranges: CodeRanges): Sql {
  return or(ranges.map(([lo, hi]) => sql`${code} BETWEEN ${lo} AND ${hi}`));
}
