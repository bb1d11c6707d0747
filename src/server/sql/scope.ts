/**
 * The SQL side of `MetricContext`: a backend's catalog (datasets → generated table and column
 * names, the only identifiers that ever reach SQL) and a per-query scope that resolves fields
 * directly or through key links (`loan_months.region` via `loan_id → loans`, then loans →
 * customers; the same LINKS, in the same order, as context.ts) and compiles filter clauses with
 * exactly the semantics of `compileClause()` (selection.ts). A field no path reaches is skipped
 * and noted, as in memory; a skipped clause that is a row-level policy clause is `forbidden`.
 */
import type { DataQualityReport } from '../../data/ingest.js';
import { NULL_INDEX, parseDay, parseMonth } from '../../data/dataset.js';
import { FinError } from '../../engine/errors.js';
import { LINKS } from '../../engine/links.js';
import type { BasisContext } from '../../engine/metric.js';
import type { FilterClause, MetricResult } from '../../engine/types.js';
import type { Sql, SqlValue } from './sql.js';
import { FALSE, IN_SUBQUERY, Ident, LEFT_JOIN, TRUE, alt, and, join, or, raw, sql } from './sql.js';
import type { CodeRanges } from './key-ranges.js';
import { inRanges, values } from './key-ranges.js';
import { shardKey } from './per-shard.js';

export type ColKind = 'num' | 'cat' | 'bool' | 'date';
export type DatePart = 'day' | 'month' | 'week' | 'hour' | 'dow';

/** One column of a stored dataset: its kind and generated SQL name (`c3`; date parts `c3_month`…). */
export interface ColInfo {
  kind: ColKind;
  id: string;
}

/** One stored dataset. Every table also has `r`, the dataset row index (ingestion order). */
export interface TableInfo {
  name: string;
  table: string;
  n: number;
  cols: Map<string, ColInfo>;
  masked: boolean;
  timeZone: string;
  report: DataQualityReport;
  /** Distinct values of category columns that need JS-side classification (status). */
  values: Map<string, string[]>;
  /** Key columns whose values are unique (a join on them needs no de-duplication). */
  uniqueKeys: Set<string>;
  /**
   * Integer codes of key columns (`loan_id` → `c0_k`), from one dictionary per key name shared by
   * every table of the backend: equal codes ⇔ equal keys, NULL ⇔ missing. Joins, self-joins and
   * groups on a key read the code when every side has one (DuckDB; ClickHouse has none).
   */
  keyCodes?: Map<string, string>;
  /** No two rows share a present `loan_id` and a snapshot month (checked at load; DuckDB). */
  uniqueLoanMonths?: boolean;
  /**
   * Every present `case_id` has rows of one `loan_id` only (a missing one counting as one value),
   * so a case sits on one shard of a cluster sharded by loan_id (checked at load; ClickHouse).
   */
  casesOneLoan?: boolean;
}

export type Catalog = Map<string, TableInfo>;

const PART = /\.(month|day|week|hour|dow)$/;

/** A field resolved on a dataset: the column and the link path (key names) to reach it. */
interface Resolved {
  col: ColInfo;
  path: Array<{ key: string; target: string }>;
}

/** Stored date parts: a date column `cK` is stored as epoch ms plus `cK_day`, `cK_month`, … */
export const PARTS = ['day', 'month', 'week', 'hour', 'dow'] as const;

/** Stored column names of a table: `r`, then each column's id (date columns with their parts). */
export function storedColumns(info: TableInfo): string[] {
  const out = ['r'];
  for (const c of info.cols.values()) {
    out.push(c.id);
    if (c.kind === 'date') for (const p of PARTS) out.push(`${c.id}_${p}`);
  }
  if (info.keyCodes) out.push(...info.keyCodes.values());
  return out;
}

/**
 * One relation: a dataset with the LEFT JOINs its expressions need. Call `colExpr()` / `where()`
 * first, `from()` last (joins are added as expressions ask for them). Every column is exposed
 * under a name unique in the whole relation (`<alias>_<column>`: `s_c3`, `s_loan_id_c7_month`),
 * and each join wraps the previous level in a subquery: ClickHouse 18.16 allows one JOIN per
 * SELECT and needs distinct column names on its two sides; DuckDB reads the same SQL.
 */
export class Relation {
  readonly info: TableInfo;
  private readonly scope: SqlScope;
  private readonly joins = new Map<
    string,
    {
      alias: string;
      target: TableInfo;
      from: string;
      fromInfo: TableInfo;
      fk: string;
      tk: string;
      key: string;
    }
  >();
  readonly alias: Ident;
  /** Exposed names the expressions use: `from()` selects only these (and the join keys). */
  private readonly used = new Set<string>();
  /**
   * Clauses on a linked table's own fields applied on the relation's own key instead of through
   * the join: loan-code ranges (key-ranges.ts) or semi-joins (`linkSemiJoin`). A join through that
   * key to that table that other columns still need reads only the rows they keep (exact: every
   * row left has one).
   */
  private readonly ranged: Array<{ c: FilterClause; key: string; target: string }> = [];
  /** Semi-joins added (`linkSemiJoin`), for co-location: each reads its target by `key`. */
  private readonly semis: Array<{ key: string; target: TableInfo }> = [];
  constructor(scope: SqlScope, info: TableInfo, alias: string) {
    this.scope = scope;
    this.info = info;
    this.alias = new Ident(alias);
  }

  /** The exposed name of stored column `id` of the table behind `alias`. */
  private static col(alias: string, id: string): Ident {
    return new Ident(`${alias}_${id}`);
  }

  /** The exposed name of a column an expression reads (remembered for `from()`). */
  private use(alias: string, id: string): Ident {
    const n = Relation.col(alias, id);
    this.used.add(n.name);
    return n;
  }

  /** A stored column of the relation's own table (`r`, `c3`). */
  ref(id: string): Ident {
    return this.use(this.alias.name, id);
  }

  /** Alias of the end of a link path, adding its joins. */
  private aliasFor(path: Resolved['path']): string {
    let from = this.alias.name;
    let fromInfo = this.info;
    let key = '';
    for (const step of path) {
      key += `_${step.key}`;
      const j = this.joins.get(key);
      const target = this.scope.table(step.target);
      if (j) {
        from = j.alias;
        fromInfo = target;
        continue;
      }
      const alias = `${this.alias.name}${key}`.slice(0, 40);
      // Join on the keys' integer codes when both tables have them (same dictionary).
      const fc = fromInfo.keyCodes?.get(step.key);
      const tc = target.keyCodes?.get(step.key);
      this.joins.set(key, {
        alias,
        target,
        from,
        fromInfo,
        fk: fc && tc ? fc : fromInfo.cols.get(step.key)!.id,
        tk: fc && tc ? tc : target.cols.get(step.key)!.id,
        key: step.key,
      });
      from = alias;
      fromInfo = target;
    }
    return from;
  }

  /** Column expression of a resolved field (a date part when given; missing joined values as in memory). */
  colExpr(field: string, part?: DatePart): { kind: ColKind; sql: Sql } | null {
    const r = this.scope.resolve(this.info.name, field);
    if (!r) return null;
    const a = this.aliasFor(r.path);
    if (r.col.kind !== 'date') return { kind: r.col.kind, sql: sql`${this.use(a, r.col.id)}` };
    const p = part ?? 'day';
    const e = sql`${this.use(a, `${r.col.id}_${p}`)}`;
    // Own date parts are stored with the engine's sentinels; a join that finds no row gives NULL.
    if (r.path.length === 0) return { kind: 'date', sql: e };
    return {
      kind: 'date',
      sql: sql`coalesce(${e}, ${raw(String(p === 'hour' || p === 'dow' ? -1 : NULL_INDEX))})`,
    };
  }

  /**
   * A key field (`loan_id`) for joins and groups between selections: the table's integer key code
   * when it has one (equal ⇔ equal keys, NULL ⇔ missing), else the value. Every table of a
   * backend either has codes for its own key columns or none, so two sides always compare alike.
   */
  keyExpr(field: string): Sql | null {
    const code = this.info.keyCodes?.get(field);
    if (code && this.info.cols.has(field)) return sql`${this.ref(code)}`;
    return this.colExpr(field)?.sql ?? null;
  }

  /**
   * The relation's own loan code when `field` is an own column of `loans` reached through it
   * (`loan_months.region` via `loan_id`), else null.
   */
  ownLoanCode(field: string): Sql | null {
    const r = this.scope.resolve(this.info.name, field);
    const code = this.info.keyCodes?.get('loan_id');
    if (!r || !code || r.path.length !== 1 || r.path[0]!.key !== 'loan_id' || r.path[0]!.target !== 'loans')
      return null;
    return this.info.cols.has('loan_id') ? sql`${this.ref(code)}` : null;
  }

  /**
   * A clause on an own category field of a table one link away (`loans` through the relation's
   * own `loan_id`, `customers` through its own `customer_id`), as `key IN (SELECT key FROM target
   * WHERE clause)`, when that is exact: an `eq` / `in` without null (a row whose key has no
   * target row is out either way) and the target's keys unique (the join would read that one
   * row). ClickHouse only (tables without key codes; DuckDB reads such clauses as code ranges or
   * joins): 18.16 answers the set far faster than the join (10M rows, a region of 1.25M loans:
   * 0.48 vs 1.85 s). Remembered for co-location (`joinsColocated`).
   */
  linkSemiJoin(c: FilterClause): Sql | null {
    if (this.info.keyCodes || PART.test(c.field) || !values(c)) return null;
    const r = this.scope.resolve(this.info.name, c.field);
    if (!r || r.col.kind !== 'cat' || r.path.length !== 1) return null;
    const { key, target: name } = r.path[0]!;
    const own = this.info.cols.get(key);
    const target = this.scope.table(name);
    const tk = target.cols.get(key);
    if (own?.kind !== 'cat' || tk?.kind !== 'cat' || !target.uniqueKeys.has(key)) return null;
    this.semis.push({ key, target });
    this.rangedClause(c, key, name);
    const picked = clauseSql('cat', sql`${new Ident(r.col.id)}`, c);
    return sql`${this.ref(own.id)} ${IN_SUBQUERY} (SELECT ${new Ident(tk.id)} FROM ${new Ident(target.table)} WHERE ${picked})`;
  }

  /**
   * Whether every row this relation reads sits on the shard of its own loan when tables are
   * sharded by `shardKey()` (a ClickHouse cluster): its table is sharded by loan_id, and every
   * join so far goes through `loan_id` to a table sharded by it (not through `customer_id`).
   * Call after the expressions that add joins.
   */
  loanColocated(): boolean {
    return shardKey(this.info.cols) === 'loan_id' && this.joinsColocated();
  }

  /**
   * Whether every row this relation joins sits on the shard of the row it is joined to (tables
   * sharded by `shardKey()`): each join goes through the key both its tables are sharded by
   * (`loan_months → loans` by loan_id, `transactions → customers` by customer_id; not
   * `loans → customers`). Enough for counts and sums per group over the relation's rows.
   */
  joinsColocated(): boolean {
    for (const j of this.joins.values())
      if (shardKey(j.fromInfo.cols) !== j.key || shardKey(j.target.cols) !== j.key) return false;
    for (const s of this.semis)
      if (shardKey(this.info.cols) !== s.key || shardKey(s.target.cols) !== s.key) return false;
    return true;
  }

  /** Remember a clause applied on the relation's own key, not through the join (see `ranged`). */
  rangedClause(c: FilterClause, key = 'loan_id', target = 'loans'): void {
    this.ranged.push({ c, key, target });
  }

  /**
   * A field as a number, as the memory engine's `numericValues` reads it: numbers as stored, booleans
   * 1/0, dates as epoch ms; missing (or no joined row) NULL. Null for a category or unknown field.
   */
  numExpr(field: string): Sql | null {
    const r = this.scope.resolve(this.info.name, field);
    if (!r || r.col.kind === 'cat') return null;
    const e = sql`${this.use(this.aliasFor(r.path), r.col.id)}`;
    return r.col.kind === 'bool' ? sql`${alt(sql`CAST(${e} AS DOUBLE)`, sql`toFloat64(${e})`)}` : e;
  }

  /** `(SELECT … FROM table [LEFT JOIN …]) AS alias`, the columns used under their exposed names. */
  from(): Sql {
    const R = new Ident('r');
    for (const j of this.joins.values()) this.use(j.from, j.fk);
    const pick = (alias: string, info: TableInfo, key?: string): Array<{ id: string; as: Ident }> =>
      storedColumns(info)
        .filter((id) => id === key || this.used.has(`${alias}_${id}`))
        .map((id) => ({ id, as: Relation.col(alias, id) }));
    const own = pick(this.alias.name, this.info);
    if (own.length === 0) own.push({ id: 'r', as: Relation.col(this.alias.name, 'r') });
    let names: Ident[] = own.map((c) => c.as);
    let body = sql`SELECT ${join(
      own.map((c) => sql`${new Ident(c.id)} AS ${c.as}`),
      ', ',
    )} FROM ${new Ident(this.info.table)}`;
    let level = 0;
    for (const j of this.joins.values()) {
      const tt = new Ident(j.target.table);
      const tk = new Ident(j.tk);
      const cols = pick(j.alias, j.target, j.tk);
      // First row per key, as the memory engine's link (canonical keys are unique after ingestion).
      // The rows the ranged clauses keep, when this is the join through the row's own key.
      const narrow =
        j.from === this.alias.name
          ? this.ranged
              .filter((x) => x.key === j.key && x.target === j.target.name)
              .map(({ c }) => clauseSql('cat', sql`${new Ident(j.target.cols.get(c.field)!.id)}`, c))
          : [];
      const rows = j.target.uniqueKeys.has(j.key)
        ? narrow.length
          ? sql`${tt} WHERE ${and(narrow)}`
          : sql`${tt}`
        : sql`${tt} WHERE ${R} ${IN_SUBQUERY} (SELECT min(${R}) FROM ${tt} GROUP BY ${tk})`;
      const right = sql`SELECT ${join(
        cols.map((c) => sql`${new Ident(c.id)} AS ${c.as}`),
        ', ',
      )} FROM ${rows}`;
      names = [...names, ...cols.map((c) => c.as)];
      body = sql`SELECT ${join(names, ', ')} FROM (${body}) AS ${new Ident(`${this.alias.name}_l${level}`)} ${LEFT_JOIN} (${right}) AS ${new Ident(`${j.alias}_r`)} ON ${Relation.col(j.from, j.fk)} = ${Relation.col(j.alias, j.tk)}`;
      level++;
    }
    return sql`(${body}) AS ${this.alias}`;
  }
}

/** Per-query state: filters, policy clauses, and what could not be applied where. */
export class SqlScope implements BasisContext {
  readonly filters: FilterClause[];
  readonly required: ReadonlySet<string> | null;
  readonly unapplied = new Map<string, FilterClause[]>();
  private readonly catalog: Catalog;
  private readonly requiredList: FilterClause[] | null;

  /** Filter clauses on a `loans` field that read as loan-code ranges (key-ranges.ts), by clause JSON. */
  private readonly ranges: ReadonlyMap<string, CodeRanges>;
  /** The engine the SQL runs on (`duckdb`, `clickhouse`), for facts only one of them reads. */
  readonly backend: string;

  constructor(
    catalog: Catalog,
    filters: FilterClause[] = [],
    required: FilterClause[] | null = null,
    ranges: ReadonlyMap<string, CodeRanges> = new Map(),
    backend = '',
  ) {
    this.backend = backend;
    this.catalog = catalog;
    this.filters = filters;
    this.requiredList = required;
    this.required = required && required.length ? new Set(required.map((c) => JSON.stringify(c))) : null;
    this.ranges = ranges;
  }

  /** A new scope with the same filters and policy clauses (a metric run inside another). */
  fork(): SqlScope {
    return new SqlScope(this.catalog, this.filters, this.requiredList, this.ranges, this.backend);
  }

  /** The dataset, or `missing_dataset` (names are map keys only, never SQL). */
  table(name: string): TableInfo {
    const t = this.catalog.get(name);
    if (!t) {
      throw new FinError('missing_dataset', `Dataset "${name}" is not loaded`, {
        dataset: name,
        loaded: [...this.catalog.keys()],
      });
    }
    return t;
  }

  /** Resolve a field as context.ts `tryCol` does: own column, then through LINKS in order. */
  resolve(name: string, field: string): Resolved | null {
    const t = this.table(name);
    const own = t.cols.get(field);
    if (own) return { col: own, path: [] };
    for (const link of LINKS) {
      if (link.target === name) continue;
      const key = t.cols.get(link.key);
      const target = this.catalog.get(link.target);
      if (!key || key.kind !== 'cat' || !target) continue;
      const tk = target.cols.get(link.key);
      if (!tk || tk.kind !== 'cat') continue;
      const tc = target.cols.get(field);
      if (tc) return { col: tc, path: [link] };
      if (link.target === 'loans') {
        const deeper = this.resolve('loans', field);
        if (deeper) return { col: deeper.col, path: [link, ...deeper.path] };
      }
    }
    return null;
  }

  /** The kind of a field, or `missing_column` (the memory engine's `ctx.col`). */
  kind(name: string, field: string): ColKind {
    const r = this.resolve(name, field);
    if (!r)
      throw new FinError('missing_column', `Column "${field}" is not available on "${name}"`, {
        dataset: name,
        column: field,
      });
    return r.col.kind;
  }

  /** A column that must have `kind` (`missing_column` / `bad_input` as in memory). */
  need(name: string, field: string, kind: ColKind): void {
    const k = this.kind(name, field);
    if (k !== kind) {
      throw new FinError('bad_input', `Column "${field}" of "${name}" must be of type ${kind}, not ${k}`, {
        dataset: name,
        column: field,
        expected: kind,
        actual: k,
      });
    }
  }

  relation(name: string, alias = 's'): Relation {
    return new Relation(this, this.table(name), alias);
  }

  /**
   * WHERE condition of the request's filters (plus `extra`) on a relation. Clauses on fields the
   * dataset cannot reach are skipped and remembered (policy clauses: `forbidden`).
   */
  where(rel: Relation, extra: FilterClause[] = []): Sql {
    const conds: Sql[] = [];
    const skipped: FilterClause[] = [];
    for (const c of [...this.filters, ...extra]) {
      // A loans field reached through the row's own loan_id: its loan-code ranges when exact.
      const ranged = this.ranges.size ? this.ranges.get(JSON.stringify(c)) : undefined;
      const code = ranged ? rel.ownLoanCode(c.field) : null;
      if (ranged && code) {
        rel.rangedClause(c);
        conds.push(inRanges(code, ranged));
        continue;
      }
      // On ClickHouse a linked table's field as a semi-join on the row's own key, where exact.
      const semi = this.backend === 'clickhouse' ? rel.linkSemiJoin(c) : null;
      if (semi) {
        conds.push(semi);
        continue;
      }
      const part = PART.exec(c.field)?.[1] as DatePart | undefined;
      const base = c.field.replace(PART, '');
      const col = rel.colExpr(base, part);
      if (!col) {
        skipped.push(c);
        continue;
      }
      conds.push(clauseSql(col.kind, col.sql, c, part));
    }
    if (skipped.length) {
      const req = this.required;
      if (req && skipped.some((c) => req.has(JSON.stringify(c)))) {
        throw new FinError('forbidden', `A row-level policy filter cannot be applied to "${rel.info.name}"`, {
          dataset: rel.info.name,
        });
      }
      this.unapplied.set(rel.info.name, skipped);
    }
    return and(conds);
  }
}

/** `e IN (v1, v2, …)` with bound values. */
function inList(e: Sql, vals: SqlValue[]): Sql {
  return vals.length === 0 ? sql`${FALSE}` : sql`${e} IN (${join(vals, ', ')})`;
}

/** Date clause value → period index, as selection.ts `conv` (NaN = none / open). */
function dateValue(v: unknown, part: DatePart | undefined, end: boolean): number {
  if (v === null || typeof v === 'boolean') return NaN;
  if (part) return typeof v === 'string' ? (part === 'month' ? parseMonth(v) : Number(v)) : Number(v);
  if (typeof v === 'number') return Math.floor(v / 86400000);
  const s = String(v);
  if (/^\d{4}-\d{1,2}$/.test(s)) {
    const m = parseMonth(s);
    const y = Math.floor(m / 12);
    const mo = m - y * 12;
    return end
      ? Math.floor(Date.UTC(y, mo + 1, 1) / 86400000) - 1
      : Math.floor(Date.UTC(y, mo, 1) / 86400000);
  }
  return parseDay(s);
}

/** One clause as SQL, with exactly the semantics of `compileClause()` for the column kind. */
export function clauseSql(kind: ColKind, e: Sql, c: FilterClause, part?: DatePart): Sql {
  const list = (): unknown[] =>
    c.op === 'in' ? (Array.isArray(c.value) ? c.value : []) : c.op === 'eq' ? [c.value] : [];
  if (kind === 'cat') {
    if (c.op === 'range') {
      const [lo, hi] = Array.isArray(c.value) ? c.value : [null, null];
      const conds: Sql[] = [sql`${e} IS NOT NULL`];
      if (lo !== null && lo !== undefined) conds.push(sql`${e} >= ${String(lo)}`);
      if (hi !== null && hi !== undefined) conds.push(sql`${e} <= ${String(hi)}`);
      return and(conds);
    }
    const vals = list();
    const strs = [...new Set(vals.filter((v) => v !== null).map((v) => String(v)))];
    const terms: Sql[] = [];
    if (strs.length) terms.push(inList(e, strs));
    if (vals.some((v) => v === null)) terms.push(sql`${e} IS NULL`);
    return or(terms);
  }
  if (kind === 'bool') {
    const vals = list();
    const terms: Sql[] = [];
    if (vals.some((v) => v === null)) terms.push(sql`${e} IS NULL`);
    if (vals.some((v) => v === false || v === 0 || v === 'false')) terms.push(sql`${e} = ${FALSE}`);
    if (vals.some((v) => v === true || v === 1 || v === 'true')) terms.push(sql`${e} = ${TRUE}`);
    return or(terms);
  }
  if (kind === 'date') {
    if (c.op === 'range') {
      const [l, h] = Array.isArray(c.value) ? c.value : [null, null];
      const lo = dateValue(l ?? null, part, false);
      const hi = dateValue(h ?? null, part, true);
      const conds: Sql[] = [sql`${e} <> ${raw(String(NULL_INDEX))}`, sql`${e} <> -1`];
      if (!Number.isNaN(lo)) conds.push(sql`${e} >= ${lo}`);
      if (!Number.isNaN(hi)) conds.push(sql`${e} <= ${hi}`);
      return and(conds);
    }
    const vals = [...new Set(list().map((v) => dateValue(v, part, false)))].filter((v) => Number.isFinite(v));
    return inList(e, vals);
  }
  // numeric (missing = NULL: never passes a comparison)
  if (c.op === 'range') {
    const [l, h] = Array.isArray(c.value) ? c.value : [null, null];
    const lo = l === null || l === undefined ? -Infinity : Number(l);
    const hi = h === null || h === undefined ? Infinity : Number(h);
    if (Number.isNaN(lo) || Number.isNaN(hi)) return sql`${FALSE}`;
    const conds: Sql[] = [sql`${e} IS NOT NULL`];
    if (lo !== -Infinity) conds.push(sql`${e} >= ${lo}`);
    if (hi !== Infinity) conds.push(sql`${e} <= ${hi}`);
    return and(conds);
  }
  const nums = list().map((v) => (v === null ? NaN : Number(v)));
  const terms: Sql[] = [];
  const finite = [...new Set(nums.filter((v) => !Number.isNaN(v)))];
  if (finite.length) terms.push(inList(e, finite));
  if (nums.some((v) => Number.isNaN(v))) terms.push(sql`${e} IS NULL`);
  return or(terms);
}

/**
 * What the memory engine adds to every answer after the metric ran (LocalEngine.compute): the
 * source dataset, and a note naming filter fields the source could not resolve.
 */
export function finishResult(res: MetricResult, scope: SqlScope, source: string): MetricResult {
  res.basis.source = source;
  const skipped = scope.unapplied.get(source);
  if (skipped?.length) {
    res.basis.notes = [
      ...(res.basis.notes ?? []),
      {
        'zh-CN': `以下筛选字段在 ${source} 上不可用，未应用：${skipped.map((c) => c.field).join('、')}`,
        'en-US': `Filters on fields not available on ${source} were not applied: ${skipped.map((c) => c.field).join(', ')}`,
      },
    ];
  }
  return res;
}
