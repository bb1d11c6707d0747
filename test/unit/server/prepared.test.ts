/**
 * Prepared cross-filter answers for SQL backends (src/server/prepared.ts): on a fake query path,
 * what is built, looked up, bounded, paced and dropped; on DuckDB, every prepared cell of the
 * collection dashboard's requests answers exactly what the query path answers.
 */
import { describe, expect, it } from 'vitest';
import { generateSample } from '../../../src/data/sample.js';
import type { IngestInput } from '../../../src/data/ingest.js';
import { FinError } from '../../../src/engine/errors.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../../src/engine/types.js';
import { duckdbBackend } from '../../../src/server/duckdb.js';
import { preparedAnswers } from '../../../src/server/prepared.js';
import type { PreparedHost } from '../../../src/server/prepared.js';
import { dashboardRequests } from '../../../bench/lib/collection.js';
import type { Policy } from '../../../src/server/policy.js';
import { serve } from './helpers.js';

const VALUES: Record<string, string[]> = { region: ['east', 'west'], product: ['a', 'b', 'c'] };

/** A query path that answers with the request itself and records every call. */
function fakeHost(): PreparedHost & {
  runs: QueryRequest[];
  distincts: number;
  v: number;
  gate: Promise<void> | null;
} {
  const h = {
    runs: [] as QueryRequest[],
    distincts: 0,
    v: 1,
    gate: null as Promise<void> | null,
    async run(req: QueryRequest): Promise<MetricResult> {
      h.runs.push(req);
      if (h.gate) await h.gate;
      if (req.metric === 'nope') throw new FinError('unsupported', 'not compiled');
      return {
        data: [{ filters: JSON.stringify(req.filters ?? []) }],
        basis: { filters: req.filters ?? [] } as unknown as MetricResult['basis'],
        quality: {} as MetricResult['quality'],
      };
    },
    async distinct(d: { field: string }): Promise<MetricResult> {
      h.distincts++;
      return {
        data: (VALUES[d.field] ?? []).map((value) => ({ value, count: 1 })),
      } as unknown as MetricResult;
    },
    version: () => h.v,
  };
  return h;
}

const pin = (field: string, value: string, op: 'eq' | 'in' = 'in'): FilterClause =>
  op === 'eq' ? { field, op, value } : { field, op, value: [value] };

describe('preparedAnswers on a fake query path', () => {
  const reqs: QueryRequest[] = [
    { metric: 'kpi', params: { k: 1 } },
    { metric: 'vintage', params: {}, filters: [{ field: 'channel', op: 'in', value: ['app'] }] },
  ];

  it('builds singles then pairs, and a pinned request is then a look-up with its own filters', async () => {
    const h = fakeHost();
    const p = preparedAnswers(h);
    const info = await p.prepare({ dimensions: ['region', 'product'], requests: reqs });
    // Per request: 2 regions + 3 products + 6 pairs.
    expect(info.cells).toBe(2 * 11);
    expect(info.stages?.map((s) => s.set)).toEqual([['region'], ['product'], ['region', 'product']]);
    const before = h.runs.length;
    const click: QueryRequest = { ...reqs[1]!, filters: [pin('product', 'b', 'eq'), ...reqs[1]!.filters!] };
    const r = await p.query(click);
    expect(h.runs.length).toBe(before);
    expect(r.basis.filters).toEqual(click.filters);
    // The stored answer is the one the query path gave for that cell.
    expect(JSON.parse(String(r.data[0]!['filters']))).toEqual([...reqs[1]!.filters!, pin('product', 'b')]);
    // Unpinned, two values of one dimension, or a value not built: the query path.
    await p.query(reqs[0]!);
    await p.query({ ...reqs[0]!, filters: [{ field: 'region', op: 'in', value: ['east', 'west'] }] });
    await p.query({ ...reqs[0]!, filters: [pin('region', 'north')] });
    expect(h.runs.length).toBe(before + 3);
    // Another viewer's build of the same dashboard: nothing to compute, no value list asked again.
    const distincts = h.distincts;
    const again = await p.prepare({ dimensions: ['region', 'product'], requests: reqs, key: 'other' });
    expect(again.cells).toBe(0);
    expect(h.distincts).toBe(distincts);
    expect(h.runs.length).toBe(before + 3);
  });

  it('a click on a prepared dimension before the build reached its cell is stored, not computed twice', async () => {
    const h = fakeHost();
    const p = preparedAnswers(h);
    const build = p.prepare({ dimensions: ['region'], requests: reqs });
    const click: QueryRequest = { ...reqs[0]!, filters: [pin('region', 'west', 'eq')] };
    const first = await p.query(click);
    const info = await build;
    const runsOf = (r: QueryRequest): number =>
      h.runs.filter((x) => JSON.stringify(x.filters) === JSON.stringify(r.filters) && x.metric === r.metric)
        .length;
    expect(runsOf(click)).toBe(1);
    expect(info.cells).toBe(3); // the fourth cell was the click's answer
    expect(await p.query(click)).toEqual(first);
    expect(runsOf(click)).toBe(1);
    // An unprepared dimension's answers are not kept.
    const other: QueryRequest = { ...reqs[0]!, filters: [pin('collector', 'c1')] };
    await p.query(other);
    await p.query(other);
    expect(runsOf(other)).toBe(2);
  });

  it('drops every cell when the data changes, and stops a build on it', async () => {
    const h = fakeHost();
    const p = preparedAnswers(h);
    await p.prepare({ dimensions: ['region'], requests: reqs });
    expect(p.size).toBe(4);
    h.v = 2;
    const n = h.runs.length;
    await p.query({ ...reqs[0]!, filters: [pin('region', 'east')] });
    expect(h.runs.length).toBe(n + 1);
    expect(p.size).toBe(0);
    // A change mid-build: the build ends, and nothing computed before it is kept.
    let release!: () => void;
    h.gate = new Promise<void>((r) => (release = r));
    const build = p.prepare({ dimensions: ['region', 'product'], requests: reqs });
    await new Promise((r) => setTimeout(r, 10));
    h.v = 3;
    release();
    h.gate = null;
    const info = await build;
    expect(info.superseded).toBe(true);
    expect(p.size).toBe(0);
  });

  it('waits while a caller query runs, and a later prepare with the same key supersedes', async () => {
    const h = fakeHost();
    const p = preparedAnswers(h);
    let release!: () => void;
    h.gate = new Promise<void>((r) => (release = r));
    const slow = p.query(reqs[0]!);
    h.gate = null;
    const first = p.prepare({ dimensions: ['region', 'product'], requests: reqs, key: 'd1' });
    await new Promise((r) => setTimeout(r, 20));
    // Only the caller's query ran (the distinct values are asked only once it is done).
    expect(h.runs.length).toBe(1);
    release();
    await slow;
    const second = p.prepare({ dimensions: ['region'], requests: reqs, key: 'd1' });
    const [a, b] = await Promise.all([first, second]);
    expect(a.superseded).toBe(true);
    expect(b.superseded).toBeUndefined();
    // The second build adds the region cells the first did not reach; nothing is built twice.
    expect(a.cells + b.cells).toBeGreaterThanOrEqual(4);
    expect(p.size).toBe(a.cells + b.cells);
    expect(new Set(h.runs.slice(1).map((r) => JSON.stringify(r))).size).toBe(h.runs.length - 1);
  });

  it('bounds a build by maxCells, counts errors as skipped, and an aborted call leaves its build running', async () => {
    const h = fakeHost();
    const p = preparedAnswers(h, 5);
    const info = await p.prepare({ dimensions: ['region', 'product'], requests: reqs });
    expect(info.cells).toBe(5);
    const q = preparedAnswers(h);
    const skipped = await q.prepare({ dimensions: ['region'], requests: [{ metric: 'nope' }, reqs[0]!] });
    expect(skipped).toMatchObject({ cells: 2, skipped: 2 });
    const r = preparedAnswers(h);
    const ac = new AbortController();
    const call = r.prepare({ dimensions: ['region'], requests: reqs }, { signal: ac.signal });
    ac.abort();
    await expect(call).rejects.toMatchObject({ code: 'aborted' });
    await new Promise((res) => setTimeout(res, 20));
    expect(r.size).toBe(4);
  });
});

describe('prepared cells on DuckDB = the query path', () => {
  it('every collection-dashboard request × region, product and pairs answers identically', async () => {
    const s = generateSample({ customers: 60, seed: 9 });
    const a = await duckdbBackend();
    const b = await duckdbBackend();
    try {
      for (const name of ['customers', 'loans', 'loan_months', 'collection_actions'] as const) {
        await a.load(name, s[name] as IngestInput);
        await b.load(name, s[name] as IngestInput);
      }
      const reqs = dashboardRequests().map(({ widget: _w, ...r }) => r);
      const info = await a.prepare!({ dimensions: ['region', 'product'], requests: reqs, maxCombos: 40 });
      expect(info.cells).toBeGreaterThan(reqs.length * 5);
      const regions = (await b.distinct({ source: 'loans', field: 'region' })).data.map((x) =>
        String(x['value']),
      );
      const products = (await b.distinct({ source: 'loans', field: 'product' })).data.map((x) =>
        String(x['value']),
      );
      const states: FilterClause[][] = [
        ...regions.map((v) => [pin('region', v, 'eq')]),
        ...products.map((v) => [pin('product', v)]),
        [pin('product', products[0]!), pin('region', regions[1]!, 'eq')],
      ];
      let compared = 0;
      for (const f of states)
        for (const r of reqs) {
          const req = { ...r, filters: [...f, ...(r.filters ?? [])] };
          const got = await a.query(req).catch((e: FinError) => ({ error: e.code }));
          const want = await b.query(req).catch((e: FinError) => ({ error: e.code }));
          expect(JSON.parse(JSON.stringify(got)), `${r.metric} ${JSON.stringify(f)}`).toEqual(
            JSON.parse(JSON.stringify(want)),
          );
          compared++;
        }
      expect(compared).toBe(states.length * reqs.length);
    } finally {
      await a.close();
      await b.close();
    }
  }, 240_000);
});

describe('prepare through the handler on DuckDB, under row-level policy', () => {
  it("builds only for a role allowed to; each principal's cells answer only its own scope", async () => {
    const s0 = generateSample({ customers: 60, seed: 4 });
    const duck = await duckdbBackend();
    const plain = await duckdbBackend();
    for (const name of ['customers', 'loans', 'loan_months'] as const) {
      await duck.load(name, s0[name] as IngestInput);
      await plain.load(name, s0[name] as IngestInput);
    }
    const policy: Policy = {
      authenticate: (req) => {
        const m = /^Bearer (east|north|viewer)$/.exec(String(req.headers.authorization ?? ''));
        if (!m) return null;
        if (m[1] === 'viewer') return { id: 'viewer', roles: ['viewer'] };
        return { id: m[1]!, roles: ['dash'], attributes: { region: m[1] === 'east' ? '华东' : '华北' } };
      },
      roles: {
        viewer: {},
        dash: {
          operations: ['prepare'],
          rowFilters: [{ field: 'region', op: 'eq', value: '$principal.region' }],
        },
      },
    };
    const s = await serve({ backend: duck, policy });
    try {
      const req: QueryRequest = { metric: 'overdue_rate', params: { k: 1 } };
      const prep = { op: 'prepare', opts: { dimensions: ['product'], requests: [req] } };
      expect((await s.call(prep, { authorization: 'Bearer viewer' })).status).toBe(403);
      for (const who of ['east', 'north']) {
        const built = await s.call(prep, { authorization: `Bearer ${who}` });
        expect(built.status).toBe(200);
        expect((built.body['value'] as { cells: number }).cells).toBeGreaterThan(0);
      }
      const products = (await plain.distinct({ source: 'loans', field: 'product' })).data.map((x) =>
        String(x['value']),
      );
      for (const [who, region] of [
        ['east', '华东'],
        ['north', '华北'],
      ] as const)
        for (const product of products) {
          const r = await s.call(
            { op: 'query', req: { ...req, filters: [pin('product', product)] } },
            { authorization: `Bearer ${who}` },
          );
          const want = await plain.query({
            ...req,
            filters: [pin('region', region, 'eq'), pin('product', product)],
          });
          expect((r.body['value'] as MetricResult).data, `${who} ${product}`).toEqual(want.data);
        }
    } finally {
      await s.close();
      await duck.close();
      await plain.close();
    }
  }, 120_000);
});
