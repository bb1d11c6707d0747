/**
 * SQL as data: a fragment is a list of text parts written by this package's own code and the
 * values between them. Request strings only ever become *values*; identifiers come only from a
 * backend's catalog (`Ident`, generated names checked against a strict pattern). A dialect renders
 * a fragment: DuckDB as `$n` bound parameters, ClickHouse 18.16 (no server-side parameters)
 * through its one audited literal-quoting function. Idea after Mosaic's `@uwdata/mosaic-sql`
 * (queries as trees rendered per dialect); nothing is concatenated from a request.
 */

/** A value that may be bound into a query. */
export type SqlValue = string | number | boolean | null;

/** An identifier from a catalog: generated (`t3`, `c12`, `c12_month`) or an alias of our own. */
export class Ident {
  readonly name: string;
  constructor(name: string) {
    // Only names this package generates; anything else is a programming error, never a request.
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Unsafe identifier ${JSON.stringify(name)}`);
    this.name = name;
  }
}

/** One argument of a fragment. */
export type SqlArg = SqlValue | Ident | Sql | Alt;

/** A fragment of SQL: fixed text parts and the values/idents/fragments between them. */
export class Sql {
  readonly parts: readonly string[];
  readonly args: ReadonlyArray<SqlArg>;
  constructor(parts: readonly string[], args: ReadonlyArray<SqlArg>) {
    this.parts = parts;
    this.args = args;
  }
}

/**
 * The dialect layer: one place in a definition where the dialects spell the same thing
 * differently (`TRUE` vs `1`, `count(DISTINCT (a, b))` vs `uniqExact(a, b)`, `JOIN` vs
 * `ALL INNER JOIN`). `distributed` is ClickHouse over `Distributed` tables (GLOBAL IN / JOIN).
 */
export class Alt {
  readonly duckdb: Sql;
  readonly clickhouse: Sql;
  readonly distributed: Sql;
  constructor(duckdb: Sql, clickhouse: Sql, distributed: Sql = clickhouse) {
    this.duckdb = duckdb;
    this.clickhouse = clickhouse;
    this.distributed = distributed;
  }
}

/** Per-dialect spellings of one fragment (fixed text or fragments of our own). */
export function alt(duckdb: Sql | string, clickhouse: Sql | string, distributed?: Sql | string): Alt {
  const f = (x: Sql | string): Sql => (typeof x === 'string' ? raw(x) : x);
  return new Alt(f(duckdb), f(clickhouse), distributed === undefined ? undefined : f(distributed));
}

/** Tagged template: `sql\`SELECT ${ident} FROM ${table} WHERE x = ${value}\``. */
export function sql(strings: TemplateStringsArray, ...args: SqlArg[]): Sql {
  return new Sql([...strings], args);
}

/** Fixed SQL text written in this package (keywords, function names, operators). */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

/** Join fragments with a separator (`, `, ` AND `). */
export function join(items: ReadonlyArray<SqlArg>, sep: string): Sql {
  if (items.length === 0) return raw('');
  const parts: string[] = [''];
  for (let i = 1; i < items.length; i++) parts.push(sep);
  parts.push('');
  // A copy: a caller that keeps pushing to its array must not change a fragment already built.
  return new Sql(parts, [...items]);
}

/** Boolean constants (ClickHouse 18.16 has no TRUE/FALSE: UInt8 1/0). */
export const TRUE = new Alt(raw('TRUE'), raw('1'));
export const FALSE = new Alt(raw('FALSE'), raw('0'));

/** Join keywords: ClickHouse 18.16 needs the strictness; on Distributed tables, GLOBAL. */
export const INNER_JOIN = new Alt(raw('JOIN'), raw('ALL INNER JOIN'), raw('GLOBAL ALL INNER JOIN'));
export const LEFT_JOIN = new Alt(raw('LEFT JOIN'), raw('ALL LEFT JOIN'), raw('GLOBAL ALL LEFT JOIN'));
/** `x IN (subquery)`: a subquery over Distributed tables runs once on the initiator (GLOBAL IN). */
export const IN_SUBQUERY = new Alt(raw('IN'), raw('IN'), raw('GLOBAL IN'));

/** `a AND b AND …`, `TRUE` when empty. */
export function and(items: Sql[]): Sql {
  return items.length === 0 ? sql`${TRUE}` : sql`(${join(items, ' AND ')})`;
}

/** `a OR b OR …`, `FALSE` when empty. */
export function or(items: Sql[]): Sql {
  return items.length === 0 ? sql`${FALSE}` : sql`(${join(items, ' OR ')})`;
}

/** How a dialect writes identifiers and values. */
export interface Dialect {
  readonly name: 'duckdb' | 'clickhouse';
  /** ClickHouse over Distributed tables (picks the `distributed` spelling of an `Alt`). */
  readonly distributed?: boolean;
  quoteIdent(name: string): string;
  /** Render one value: a placeholder (values collected) or an audited literal. */
  value(v: SqlValue, params: SqlValue[]): string;
}

/** Render a fragment for a dialect: the text and the bound values (empty for literal dialects). */
export function render(s: Sql, d: Dialect): { text: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  const out: string[] = [];
  const walk = (f: Sql): void => {
    for (let i = 0; i < f.parts.length; i++) {
      out.push(f.parts[i]!);
      if (i < f.args.length) {
        const a = f.args[i]!;
        if (a instanceof Sql) walk(a);
        else if (a instanceof Alt)
          walk(d.name === 'duckdb' ? a.duckdb : d.distributed ? a.distributed : a.clickhouse);
        else if (a instanceof Ident) out.push(d.quoteIdent(a.name));
        else out.push(d.value(a, params));
      }
    }
  };
  walk(s);
  return { text: out.join(''), params };
}

/** DuckDB: `$n` positional parameters; identifiers double-quoted. */
export const DUCKDB: Dialect = {
  name: 'duckdb',
  quoteIdent: (name) => `"${name}"`,
  value(v, params) {
    // Numbers that are whole and small bind as themselves; the rest as DOUBLE (JS semantics).
    if (typeof v === 'number' && !Number.isFinite(v))
      return v > 0 ? "'inf'::DOUBLE" : v < 0 ? "'-inf'::DOUBLE" : "'nan'::DOUBLE";
    params.push(v);
    return `$${params.length}`;
  },
};

/**
 * The one literal-quoting function of the ClickHouse dialect (18.16 has no server-side
 * parameters). Strings: every byte that could end or escape a literal is escaped (backslash,
 * quote, control characters); numbers only when finite (written with `toString`, which never
 * yields SQL syntax); booleans as 1/0; null as NULL. Audited by the injection tests.
 */
export function clickhouseLiteral(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') {
    // Whole numbers as integer literals (they compare with Int64 and Float64 columns and mix in
    // IN lists); others as Float64. `String()` of a finite number is never SQL syntax.
    if (Number.isSafeInteger(v)) return Object.is(v, -0) ? '0' : String(v);
    if (Number.isFinite(v)) return `toFloat64(${String(v)})`;
    return v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
  }
  let out = "'";
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/** ClickHouse: literals through `clickhouseLiteral`; identifiers back-quoted. */
export const CLICKHOUSE: Dialect = {
  name: 'clickhouse',
  quoteIdent: (name) => `\`${name}\``,
  value: (v) => clickhouseLiteral(v),
};

/** ClickHouse over `Distributed` tables of a cluster. */
export const CLICKHOUSE_DISTRIBUTED: Dialect = { ...CLICKHOUSE, distributed: true };
