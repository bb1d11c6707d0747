/**
 * The SQL builder: request strings only ever become bound values (DuckDB) or go through the one
 * literal-quoting function (ClickHouse), and a built fragment does not change afterwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLICKHOUSE, DUCKDB, Ident, join, render, sql } from '../../../../src/server/sql/sql.js';
import type { SqlArg } from '../../../../src/server/sql/sql.js';

describe('sql builder', () => {
  it('join copies its items: pushing to the array later does not change the fragment', () => {
    const items: SqlArg[] = [sql`a = ${1}`, sql`b = ${'x'}`];
    const where = join(items, ' AND ');
    const before = render(where, DUCKDB);
    items.push(sql`c = ${3}`);
    expect(render(where, DUCKDB)).toEqual(before);
    expect(before).toEqual({ text: 'a = $1 AND b = $2', params: [1, 'x'] });
  });

  it('any string value is a bound parameter on DuckDB and one quoted literal on ClickHouse', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const q = sql`SELECT ${new Ident('c1')} FROM ${new Ident('t1')} WHERE ${new Ident('c2')} = ${s}`;
        const d = render(q, DUCKDB);
        expect(d.text).toBe('SELECT "c1" FROM "t1" WHERE "c2" = $1');
        expect(d.params).toEqual([s]);
        const c = render(q, CLICKHOUSE).text;
        const lit = c.slice(c.indexOf('= ') + 2);
        // One literal: starts and ends with a quote, and every quote or backslash inside is escaped.
        expect(lit.startsWith("'") && lit.endsWith("'")).toBe(true);
        expect(/(^|[^\\])(\\\\)*'/.test(lit.slice(1, -1))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses identifiers this package does not generate', () => {
    for (const bad of ['t1"; DROP TABLE x; --', 'T1', '1t', '', 'a b', 'x'.repeat(64)])
      expect(() => new Ident(bad)).toThrow(/Unsafe identifier/);
  });
});
