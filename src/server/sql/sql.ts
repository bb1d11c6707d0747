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

/** A fragment of SQL: fixed text parts and the values/idents/fragments between them. */
export class Sql {
  readonly parts: readonly string[];
  readonly args: ReadonlyArray<SqlValue | Ident | Sql>;
  constructor(parts: readonly string[], args: ReadonlyArray<SqlValue | Ident | Sql>) {
    this.parts = parts;
    this.args = args;
  }
}

/** Tagged template: `sql\`SELECT ${ident} FROM ${table} WHERE x = ${value}\``. */
export function sql(strings: TemplateStringsArray, ...args: Array<SqlValue | Ident | Sql>): Sql {
  return new Sql([...strings], args);
}

/** Fixed SQL text written in this package (keywords, function names, operators). */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

/** Join fragments with a separator (`, `, ` AND `). */
export function join(items: ReadonlyArray<Sql | Ident | SqlValue>, sep: string): Sql {
  if (items.length === 0) return raw('');
  const parts: string[] = [''];
  for (let i = 1; i < items.length; i++) parts.push(sep);
  parts.push('');
  return new Sql(parts, items);
}

/** `a AND b AND …`, `TRUE` when empty. */
export function and(items: Sql[]): Sql {
  return items.length === 0 ? raw('TRUE') : sql`(${join(items, ' AND ')})`;
}

/** `a OR b OR …`, `FALSE` when empty. */
export function or(items: Sql[]): Sql {
  return items.length === 0 ? raw('FALSE') : sql`(${join(items, ' OR ')})`;
}

/** How a dialect writes identifiers and values. */
export interface Dialect {
  readonly name: 'duckdb' | 'clickhouse';
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
