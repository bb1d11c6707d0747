/**
 * sql/per-shard.ts without a server: the merge of the shards' groups (fixtures and a property:
 * splitting rows over shards and merging equals grouping them all at once), which relations
 * count as co-located under the cluster's sharding rule, and the shard dialect's table names.
 * The answers themselves are proven on the 2-shard cluster by differential-clickhouse.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataQualityReport } from '../../../../src/data/ingest.js';
import { CLICKHOUSE_TABLE } from '../../../../src/server/clickhouse-catalog.js';
import type { Measure } from '../../../../src/engine/metrics/measure.js';
import { loanMonths } from '../../../../src/server/sql/collection.js';
import { sqlMeasure } from '../../../../src/server/sql/measure.js';
import {
  PerShard,
  mergeShardRows,
  perShard,
  shardDialect,
  shardKey,
} from '../../../../src/server/sql/per-shard.js';
import type { ColInfo, TableInfo } from '../../../../src/server/sql/scope.js';
import { SqlScope } from '../../../../src/server/sql/scope.js';
import { CLICKHOUSE_DISTRIBUTED, Ident, render, sql } from '../../../../src/server/sql/sql.js';
import type { FilterClause } from '../../../../src/engine/types.js';

type Row = Record<string, unknown>;

describe('mergeShardRows', () => {
  it('adds sums, keeps maxima, groups on every key (null included)', () => {
    const merged = mergeShardRows(
      [
        [
          { m: 1, g: 'a', n: 2, amt: 1.5, md: 10 },
          { m: 1, g: null, n: 1, amt: 0, md: null },
        ],
        [
          { m: 1, g: 'a', n: 3, amt: 2.25, md: 7 },
          { m: 2, g: 'a', n: 1, amt: 4, md: 30 },
          { m: 1, g: null, n: 4, amt: 1, md: 5 },
        ],
      ],
      { keys: ['m', 'g'], sums: ['n', 'amt'], maxes: ['md'] },
    );
    const byKey = new Map(merged.map((r) => [`${String(r['m'])}|${String(r['g'])}`, r]));
    expect(merged).toHaveLength(3);
    expect(byKey.get('1|a')).toEqual({ m: 1, g: 'a', n: 5, amt: 3.75, md: 10 });
    expect(byKey.get('1|null')).toEqual({ m: 1, g: null, n: 5, amt: 1, md: 5 });
    expect(byKey.get('2|a')).toEqual({ m: 2, g: 'a', n: 1, amt: 4, md: 30 });
  });

  it('no keys: one row over every shard; a shard with no rows adds nothing; minima kept', () => {
    expect(mergeShardRows([[{ dup: 2 }], [], [{ dup: 3 }]], { keys: [], sums: ['dup'] })).toEqual([
      { dup: 5 },
    ]);
    expect(
      mergeShardRows([[{ n: 2, lo: 5, hi: 9 }], [{ n: 0, lo: null, hi: null }], [{ n: 1, lo: 3, hi: 4 }]], {
        keys: [],
        sums: ['n'],
        maxes: ['hi'],
        mins: ['lo'],
      }),
    ).toEqual([{ n: 3, lo: 3, hi: 9 }]);
  });

  it('refuses a column without a merge rule (a query marked per-shard that is not additive)', () => {
    expect(() => mergeShardRows([[{ m: 1, n: 1, x: 3 }]], { keys: ['m'], sums: ['n'] })).toThrow(
      /no merge rule/,
    );
  });

  it('property: rows split over shards and merged = the rows grouped at once', () => {
    const row = fc.record({
      k: fc.integer({ min: 0, max: 4 }),
      n: fc.integer({ min: 0, max: 100 }),
      d: fc.option(fc.integer({ min: -5, max: 50 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(row, fc.integer({ min: 0, max: 2 })), { maxLength: 60 }), (rows) => {
        const shards: Row[][] = [[], [], []];
        for (const [r, s] of rows) shards[s]!.push({ ...r });
        const once = mergeShardRows([rows.map(([r]) => ({ ...r }))], {
          keys: ['k'],
          sums: ['n'],
          maxes: ['d'],
        });
        const split = mergeShardRows(
          shards.map((part) => mergeShardRows([part], { keys: ['k'], sums: ['n'], maxes: ['d'] })),
          { keys: ['k'], sums: ['n'], maxes: ['d'] },
        );
        const sort = (x: Row[]) => [...x].sort((a, b) => Number(a['k']) - Number(b['k']));
        expect(sort(split)).toEqual(sort(once));
      }),
      { numRuns: 200 },
    );
  });
});

const report = {} as DataQualityReport;
function table(name: string, table: string, cols: Record<string, ColInfo['kind']>): TableInfo {
  let i = 0;
  return {
    name,
    table,
    n: 1,
    cols: new Map(Object.entries(cols).map(([f, kind]) => [f, { id: `c${i++}`, kind }])),
    masked: false,
    timeZone: 'Asia/Shanghai',
    report,
    values: new Map(),
    uniqueKeys: new Set(['loan_id', 'customer_id']),
  };
}

describe('co-location', () => {
  const catalog = new Map<string, TableInfo>([
    [
      'loan_months',
      table('loan_months', 't0000abcd_1', {
        loan_id: 'cat',
        snapshot_date: 'date',
        dpd: 'num',
        outstanding: 'num',
        status: 'cat',
      }),
    ],
    ['loans', table('loans', 't0000abcd_2', { loan_id: 'cat', customer_id: 'cat', region: 'cat' })],
    ['customers', table('customers', 't0000abcd_3', { customer_id: 'cat', segment: 'cat' })],
    [
      'transactions',
      table('transactions', 't0000abcd_4', { txn_id: 'cat', customer_id: 'cat', amount: 'num' }),
    ],
  ]);

  it('the sharding key: loan_id, else customer_id, only as a category', () => {
    expect(shardKey(catalog.get('loans')!.cols)).toBe('loan_id');
    expect(shardKey(catalog.get('customers')!.cols)).toBe('customer_id');
    expect(shardKey(new Map([['loan_id', { id: 'c0', kind: 'num' as const }]]))).toBeNull();
  });

  it("a loan's own rows and its loans row are co-located; a customer's row is not", () => {
    const at = (by: string | null, filters: Array<{ field: string; op: 'eq'; value: string }> = []) =>
      loanMonths(new SqlScope(catalog, filters), 'loan_months', by).colocated;
    expect(at(null)).toBe(true);
    expect(at('region')).toBe(true); // loan_id → loans
    expect(at(null, [{ field: 'region', op: 'eq', value: '华东' }])).toBe(true);
    expect(at('segment')).toBe(false); // loan_id → loans → customer_id → customers
    expect(at(null, [{ field: 'segment', op: 'eq', value: 'A' }])).toBe(false);
  });

  it("a join through the key both tables are sharded by is co-located (a customer's transactions)", () => {
    const joins = (source: string, field: string) => {
      const scope = new SqlScope(catalog, [{ field, op: 'eq', value: 'x' }]);
      const rel = scope.relation(source);
      scope.where(rel);
      return rel.joinsColocated();
    };
    expect(joins('transactions', 'segment')).toBe(true); // customer_id → customers
    expect(joins('loans', 'segment')).toBe(false); // loans are sharded by loan_id
    expect(joins('loan_months', 'region')).toBe(true);
    expect(joins('loan_months', 'segment')).toBe(false);
  });

  it("a measure's aggregates merge over shards unless one is a distinct count", () => {
    const merge = (m: Measure) => {
      const scope = new SqlScope(catalog);
      return sqlMeasure(scope, scope.relation('transactions'), 'transactions', m).merge;
    };
    expect(merge({ agg: 'sum', field: 'amount' })).toEqual({ sums: ['a0'], maxes: [], mins: [] });
    expect(
      merge({
        ratio: [
          { agg: 'mean', field: 'amount' },
          { agg: 'max', field: 'amount' },
        ],
      } as Measure),
    ).toEqual({ sums: ['a0', 'c0'], maxes: ['a1'], mins: [] });
    expect(merge({ agg: 'min', field: 'amount' })).toEqual({ sums: [], maxes: [], mins: ['a0'] });
    expect(
      merge({ ratio: [{ agg: 'count' }, { agg: 'distinct', field: 'customer_id' }] } as Measure),
    ).toBeNull();
  });

  it("on ClickHouse a loans clause is a semi-join on the row's own loan_id where exact, else the join", () => {
    const shape = (
      filters: FilterClause[],
      backend = 'clickhouse',
      source = 'loan_months',
      cat = catalog,
    ) => {
      const scope = new SqlScope(cat, filters, null, new Map(), backend);
      const rel = scope.relation(source);
      const where = render(scope.where(rel), CLICKHOUSE_DISTRIBUTED).text;
      return {
        where,
        joined: /JOIN/.test(render(rel.from(), CLICKHOUSE_DISTRIBUTED).text),
        colocated: rel.joinsColocated(),
      };
    };
    const east = shape([{ field: 'region', op: 'in', value: ['华东', '华北'] }]);
    expect(east.where).toBe(
      "(`s_c0` GLOBAL IN (SELECT `c0` FROM `t0000abcd_2` WHERE (`c2` IN ('华东', '华北'))))",
    );
    expect(east.joined).toBe(false);
    expect(shape([{ field: 'region', op: 'eq', value: '华东' }]).joined).toBe(false);
    // A null in the list (missing regions match), a range, a field beyond loans: the join.
    expect(shape([{ field: 'region', op: 'in', value: ['华东', null] }]).joined).toBe(true);
    expect(shape([{ field: 'region', op: 'range', value: ['A', 'Z'] }]).joined).toBe(true);
    expect(shape([{ field: 'segment', op: 'eq', value: 'A' }]).joined).toBe(true); // two links away
    // DuckDB keeps its code ranges or the join.
    expect(shape([{ field: 'region', op: 'eq', value: '华东' }], 'duckdb').joined).toBe(true);
    // loans' keys not unique: a join reads each loan's first row, so the join stays.
    const dup = new Map(catalog);
    dup.set('loans', { ...catalog.get('loans')!, uniqueKeys: new Set() });
    expect(
      shape([{ field: 'region', op: 'eq', value: '华东' }], 'clickhouse', 'loan_months', dup).joined,
    ).toBe(true);
    // One link through customer_id: a customer's transactions read customers on their own shard;
    // loans (sharded by loan_id) do not, so they no longer run shard by shard.
    const via = (source: string) => shape([{ field: 'segment', op: 'eq', value: 'A' }], 'clickhouse', source);
    expect(via('transactions')).toEqual({
      where: "(`s_c1` GLOBAL IN (SELECT `c0` FROM `t0000abcd_3` WHERE (`c1` IN ('A'))))",
      joined: false,
      colocated: true,
    });
    expect(via('loans')).toMatchObject({ joined: false, colocated: false });
  });

  it('perShard marks only co-located queries; on a shard, generated tables read as local ones', () => {
    const q = sql`SELECT ${new Ident('c1')} FROM ${new Ident('t0000abcd_1')}`;
    expect(perShard(q, true, { keys: [], sums: [] })).toBeInstanceOf(PerShard);
    expect(perShard(q, false, { keys: [], sums: [] })).not.toBeInstanceOf(PerShard);
    expect(render(q, shardDialect(CLICKHOUSE_TABLE)).text).toBe('SELECT `c1` FROM `t0000abcd_1_local`');
  });
});
