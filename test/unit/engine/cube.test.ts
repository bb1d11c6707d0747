import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSample } from '../../../src/data/sample.js';
import type { Dataset } from '../../../src/data/dataset.js';
import {
  collectionDashboard,
  fundFlowDashboard,
  retentionDashboard,
} from '../../../src/dashboard/presets.js';
import { predicate } from '../../../src/engine/context.js';
import {
  CubeStore,
  MAX_CUBE_CELLS,
  canonicalFilters,
  cubeKey,
  dimensionSets,
} from '../../../src/engine/cube.js';
import { dispatch } from '../../../src/engine/dispatch.js';
import { LocalEngine } from '../../../src/engine/local.js';
import { getMetric } from '../../../src/engine/metrics/index.js';
import { compileClause, selectRows } from '../../../src/engine/selection.js';
import type { FilterClause, QueryRequest } from '../../../src/engine/types.js';
import { dashboardRequests } from '../../../bench/lib/collection.js';

/**
 * The cross-filter cube (src/engine/cube.ts) must answer exactly what the raw path answers:
 * byte-identical JSON for every widget request of the three dashboards, for every single-value
 * selection of each cube dimension and every pair, in `eq` and `in` form and in any clause order.
 */
const sample = generateSample({ customers: 900, seed: 7 });

async function loadAll(e: LocalEngine): Promise<void> {
  for (const [name, cols] of Object.entries(sample)) await e.load(name, cols as never);
}

const REQUESTS: QueryRequest[] = [
  ...dashboardRequests(collectionDashboard),
  ...dashboardRequests(retentionDashboard),
  ...dashboardRequests(fundFlowDashboard),
  { metric: 'overdue_rate', params: { k: 1, by: 'product', measure: 'count' } },
  { metric: 'entry_rate', params: { measure: 'amount' } },
  { metric: 'cure_rate', params: {} },
  { metric: 'roll_rate', params: { measure: 'amount' } },
  { metric: 'vintage', params: { variant: 'ever', measure: 'count' } },
  { metric: 'dpd_buckets', params: {} },
  { metric: 'collector_performance', source: 'collection_actions', params: {} },
];

describe('cross-filter cube', () => {
  const raw = new LocalEngine();
  const cubed = new LocalEngine();
  let regions: string[] = [];
  let products: string[] = [];

  beforeAll(async () => {
    await loadAll(raw);
    await loadAll(cubed);
    const loans = raw.dataset('loans') as Dataset;
    regions = (loans.cols['region'] as { dict: string[] }).dict.slice().sort();
    products = (loans.cols['product'] as { dict: string[] }).dict.slice().sort();
    const info = await cubed.prepare({ requests: REQUESTS, dimensions: ['region', 'product'] });
    expect(info.cells).toBeGreaterThan(REQUESTS.length * (regions.length + products.length));
  }, 120_000);

  const selections = (): FilterClause[][] => {
    const out: FilterClause[][] = [];
    for (const r of regions) {
      out.push([{ field: 'region', op: 'in', value: [r] }]);
      out.push([{ field: 'region', op: 'eq', value: r }]);
    }
    for (const p of products) out.push([{ field: 'product', op: 'eq', value: p }]);
    for (const r of regions.slice(0, 3))
      for (const p of products) {
        out.push([
          { field: 'region', op: 'in', value: [r] },
          { field: 'product', op: 'in', value: [p] },
        ]);
        out.push([
          { field: 'product', op: 'eq', value: p },
          { field: 'region', op: 'eq', value: r },
        ]);
      }
    return out;
  };

  it('gives byte-identical results to the raw path for every request and single-value selection', () => {
    let hits = 0;
    for (const req of REQUESTS) {
      for (const f of selections()) {
        const q = { ...req, filters: [...(req.filters ?? []), ...f] };
        let a: string;
        try {
          a = JSON.stringify(raw.querySync(q));
        } catch {
          expect(() => cubed.querySync(q)).toThrow();
          continue;
        }
        const b = JSON.stringify(cubed.querySync(q));
        expect(b, `${req.metric} ${JSON.stringify(f)}`).toBe(a);
        hits++;
      }
    }
    expect(hits).toBeGreaterThan(REQUESTS.length * 10);
  }, 120_000);

  it('answers pinned selections from the cube, not by recomputing', () => {
    const q: QueryRequest = {
      metric: 'vintage',
      params: { d: 30 },
      source: 'loan_months',
      filters: [{ field: 'region', op: 'eq', value: regions[1]! }],
    };
    const first = cubed.querySync(q);
    const again = cubed.querySync({ ...q, filters: [{ field: 'region', op: 'in', value: [regions[1]!] }] });
    // same cell object underneath (only basis.filters is re-based on the request)
    expect(again.data).toBe(first.data);
    expect(again.basis.filters).toEqual([{ field: 'region', op: 'in', value: [regions[1]!] }]);
  });

  it('falls back to the raw path for multi-value selections and ranges', () => {
    const fs: FilterClause[][] = [
      [{ field: 'region', op: 'in', value: [regions[0]!, regions[1]!] }],
      [
        { field: 'snapshot_date', op: 'range', value: ['2025-01', '2025-06'] },
        { field: 'region', op: 'in', value: [regions[2]!] },
      ],
      [{ field: 'dpd', op: 'range', value: [1, 30] }],
    ];
    for (const req of REQUESTS.slice(0, 12))
      for (const f of fs) {
        const q = { ...req, filters: f };
        expect(JSON.stringify(cubed.querySync(q))).toBe(JSON.stringify(raw.querySync(q)));
      }
  });

  it('is dropped when data is (re)loaded', async () => {
    const e = new LocalEngine();
    await loadAll(e);
    await e.prepare({ requests: REQUESTS.slice(4, 6), dimensions: ['region'] });
    await e.load('loans', sample.loans as never);
    const q = { ...REQUESTS[4]!, filters: [{ field: 'region', op: 'eq' as const, value: regions[0]! }] };
    expect(JSON.stringify(e.querySync(q))).toBe(JSON.stringify(raw.querySync(q)));
  });
});

describe('typed selections', () => {
  it('select exactly the rows of the reference predicate for every clause kind', async () => {
    const e = new LocalEngine();
    await loadAll(e);
    const lm = e.dataset('loan_months')!;
    const acts = e.dataset('collection_actions')!;
    const cases: Array<[Dataset, string, FilterClause]> = [
      [lm, 'status', { field: 'status', op: 'in', value: ['active', null] }],
      [lm, 'status', { field: 'status', op: 'range', value: ['b', null] }],
      [lm, 'dpd', { field: 'dpd', op: 'range', value: [1, 30] }],
      [lm, 'dpd', { field: 'dpd', op: 'in', value: [0, null] }],
      [lm, 'snapshot_date', { field: 'snapshot_date.month', op: 'eq', value: '2025-03' }],
      [lm, 'snapshot_date', { field: 'snapshot_date', op: 'range', value: ['2025-01', '2025-06-15'] }],
      [lm, 'snapshot_date', { field: 'snapshot_date', op: 'range', value: [null, 1735689600000] }],
      [acts, 'action_time', { field: 'action_time.hour', op: 'in', value: [9, 10, 21] }],
      [acts, 'action_time', { field: 'action_time.dow', op: 'eq', value: 7 }],
      [acts, 'contacted', { field: 'contacted', op: 'in', value: [true, null] }],
      [acts, 'contacted', { field: 'contacted', op: 'eq', value: 'false' }],
      [acts, 'channel', { field: 'channel', op: 'eq', value: 'phone' }],
    ];
    for (const [ds, field, c] of cases) {
      const col = ds.cols[field]!;
      const p = predicate(col, c);
      const want: number[] = [];
      for (let i = 0; i < ds.n; i++) if (p(i)) want.push(i);
      const got = selectRows(ds.n, [compileClause(col, c, ds.n)]);
      expect(Array.from(got), JSON.stringify(c)).toEqual(want);
    }
  });

  it('canonical filters ignore clause order and eq/in-of-one spelling', () => {
    const a = canonicalFilters([
      { field: 'region', op: 'eq', value: '华东' },
      { field: 'product', op: 'in', value: ['房贷'] },
    ]);
    const b = canonicalFilters([
      { field: 'product', op: 'eq', value: '房贷' },
      { field: 'region', op: 'in', value: ['华东'] },
    ]);
    expect(a).toEqual(b);
    expect(dimensionSets(['a', 'b', 'c'], 2)).toEqual([
      ['a'],
      ['a', 'b'],
      ['a', 'c'],
      ['b'],
      ['b', 'c'],
      ['c'],
    ]);
  });
});

describe('cube size bound (maxCombos)', () => {
  it('builds every single dimension, and only the pairs with few enough value combinations', async () => {
    const reqs: QueryRequest[] = [{ metric: 'dpd_buckets', params: {} }];
    const full = new LocalEngine();
    const bounded = new LocalEngine();
    await loadAll(full);
    await loadAll(bounded);
    const loans = full.dataset('loans') as Dataset;
    const nR = (loans.cols['region'] as { dict: string[] }).dict.length;
    const nP = (loans.cols['product'] as { dict: string[] }).dict.length;
    const a = await full.prepare({ requests: reqs, dimensions: ['region', 'product'], maxCombos: nR * nP });
    expect(a.cells).toBe(nR + nP + nR * nP);
    // One stage per dimension set: the singles in the order given (the first is the first fast
    // click), then the pair; the stages say when each was complete (cells cumulative).
    expect(a.stages!.map((x) => [x.dims, x.set, x.cells])).toEqual([
      [1, ['region'], nR],
      [1, ['product'], nR + nP],
      [2, ['region', 'product'], nR + nP + nR * nP],
    ]);
    expect(a.stages![0]!.ms).toBeLessThanOrEqual(a.stages![1]!.ms);
    expect(a.stages![1]!.ms).toBeLessThanOrEqual(a.stages![2]!.ms);
    // The order of the dimensions is the build order.
    const swapped = new LocalEngine();
    await loadAll(swapped);
    const s = await swapped.prepare({
      requests: reqs,
      dimensions: ['product', 'region'],
      maxCombos: nR * nP,
    });
    expect(s.stages!.map((x) => [x.set, x.cells])).toEqual([
      [['product'], nP],
      [['region'], nP + nR],
      [['product', 'region'], nR + nP + nR * nP],
    ]);
    // Staged by the caller (singles, then everything): the second build evaluates only the pairs.
    const staged = new LocalEngine();
    await loadAll(staged);
    const one = await staged.prepare({ requests: reqs, dimensions: ['region', 'product'], maxDims: 1 });
    const two = await staged.prepare({
      requests: reqs,
      dimensions: ['region', 'product'],
      maxCombos: nR * nP,
    });
    expect([one.cells, two.cells]).toEqual([nR + nP, nR * nP]);
    const b = await bounded.prepare({
      requests: reqs,
      dimensions: ['region', 'product'],
      maxCombos: nR * nP - 1,
    });
    expect(b.cells).toBe(nR + nP);
    // the pair still answers, on the raw path, with the same numbers
    const regions = (loans.cols['region'] as { dict: string[] }).dict;
    const products = (loans.cols['product'] as { dict: string[] }).dict;
    const req: QueryRequest = {
      metric: 'dpd_buckets',
      params: {},
      filters: [
        { field: 'region', op: 'eq', value: regions[0]! },
        { field: 'product', op: 'eq', value: products[0]! },
      ],
    };
    expect(JSON.stringify(bounded.querySync(req))).toBe(JSON.stringify(full.querySync(req)));
  }, 60_000);
});

describe('cube builds superseded by key', () => {
  it('a later prepare with the same key stops the earlier one; other keys are independent', async () => {
    const e = new LocalEngine();
    await loadAll(e);
    const dims = ['region', 'product'];
    // Started together: A yields after its first ~20 ms slice, B (same key) starts, A stops there.
    const a = e.prepare({ requests: REQUESTS, dimensions: dims, key: 'dash-1' });
    const b = e.prepare({ requests: REQUESTS.slice(0, 3), dimensions: dims, key: 'dash-1' });
    const c = e.prepare({ requests: REQUESTS.slice(3, 5), dimensions: dims, key: 'dash-2' });
    const [ia, ib, ic] = await Promise.all([a, b, c]);
    expect(ia.superseded).toBe(true);
    expect(ib.superseded).toBeUndefined();
    expect(ic.superseded).toBeUndefined();
    // The whole build of A, alone, has many more cells than it made before it was stopped.
    const solo = new LocalEngine();
    await loadAll(solo);
    const alone = await solo.prepare({ requests: REQUESTS, dimensions: dims });
    expect(ia.cells).toBeGreaterThan(0);
    expect(ia.cells).toBeLessThan(alone.cells);
    expect(ib.cells).toBeGreaterThan(0);
    expect(ic.cells).toBeGreaterThan(0);
    // Whatever was built answers exactly as the raw path, whichever build made it.
    const raw = new LocalEngine();
    await loadAll(raw);
    const loans = raw.dataset('loans') as Dataset;
    const region = (loans.cols['region'] as { dict: string[] }).dict[0]!;
    for (const req of REQUESTS.slice(0, 6)) {
      const q = { ...req, filters: [{ field: 'region', op: 'eq' as const, value: region }] };
      expect(JSON.stringify(e.querySync(q))).toBe(JSON.stringify(raw.querySync(q)));
    }
  }, 120_000);
});

describe('cube store bound', () => {
  const result = (n: number) => ({ data: [{ n }], basis: { filters: [] }, quality: {} }) as never;
  const req = (v: string): QueryRequest => ({
    metric: 'kpi',
    params: {},
    filters: [{ field: 'region', op: 'eq', value: v }],
  });

  it('keeps at most maxCells, dropping the least recently used (a look-up is a use)', () => {
    const store = new CubeStore(3);
    store.dimensions.add('region');
    for (const v of ['a', 'b', 'c']) store.set(cubeKey(req(v)), result(v.charCodeAt(0)));
    expect(store.lookup(req('a'))).toBeDefined(); // a is now the most recent
    store.set(cubeKey(req('d')), result(100)); // evicts b, the least recent
    expect(store.size).toBe(3);
    expect(store.evicted).toBe(1);
    expect(store.lookup(req('b'))).toBeUndefined();
    expect((store.lookup(req('a'))!.data[0] as { n: number }).n).toBe(97);
    expect(store.has(cubeKey(req('c')))).toBe(true);
    expect(store.has(cubeKey(req('d')))).toBe(true);
    // re-setting a key replaces it without eviction
    store.set(cubeKey(req('d')), result(101));
    expect(store.size).toBe(3);
    expect(store.evicted).toBe(1);
  });

  it('defaults to MAX_CUBE_CELLS', () => {
    expect(new CubeStore().maxCells).toBe(MAX_CUBE_CELLS);
    expect(MAX_CUBE_CELLS).toBeGreaterThanOrEqual(10_000);
  });
});

describe('cube over random datasets and base filters', () => {
  // A property, not a fixture: for random small samples (seed, size) and a random base filter on
  // the requests (a snapshot-month range, a product pair, or none), every region cell the cube
  // holds answers byte-for-byte what an engine without a cube answers, and is a cube cell.
  it('every built region cell equals the raw path', async () => {
    const reqs = dashboardRequests(collectionDashboard).filter((r) =>
      ['kpi', 'overdue_rate', 'vintage', 'collector_performance', 'heatmap'].includes(r.metric),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 40, max: 160 }),
        fc.constantFrom('none', 'months', 'products'),
        async (seed, customers, baseKind) => {
          const data = generateSample({ customers, seed });
          const raw = new LocalEngine();
          const cubed = new LocalEngine();
          for (const [name, cols] of Object.entries(data)) {
            await raw.load(name, cols as never);
            await cubed.load(name, cols as never);
          }
          const loans = raw.dataset('loans') as Dataset;
          const products = (loans.cols['product'] as { dict: string[] }).dict.slice().sort();
          const base: FilterClause[] =
            baseKind === 'months'
              ? [{ field: 'snapshot_date.month', op: 'range', value: ['2024-03', '2024-09'] }]
              : baseKind === 'products'
                ? [{ field: 'product', op: 'in', value: products.slice(0, 2) }]
                : [];
          const requests = reqs.map((r) => ({ ...r, filters: [...(r.filters ?? []), ...base] }));
          const info = await cubed.prepare({ requests, dimensions: ['region'], sliceMs: 0 });
          expect(info.superseded).toBeUndefined();
          const regions = (loans.cols['region'] as { dict: string[] }).dict;
          let cells = 0;
          for (const req of requests) {
            for (const r of regions) {
              const pin: FilterClause = { field: 'region', op: 'eq', value: r };
              const q = { ...req, filters: [pin, ...(req.filters ?? [])] };
              const strictA = cubed.querySync(q, { required: [pin] });
              const strictB = cubed.querySync(
                { ...q, filters: [{ field: 'region', op: 'in', value: [r] }, ...(req.filters ?? [])] },
                { required: [{ field: 'region', op: 'in', value: [r] }] },
              );
              if (strictA.data === strictB.data) cells++;
              expect(JSON.stringify(cubed.querySync(q)), `${req.metric} ${r} ${baseKind}`).toBe(
                JSON.stringify(raw.querySync(q)),
              );
            }
          }
          // the cube did answer (not only the raw path): most cells exist
          expect(cells).toBeGreaterThan(0);
        },
      ),
      { numRuns: 4 },
    );
  }, 240_000);
});

describe('incremental build (the first fast click)', () => {
  const reqs = dashboardRequests(collectionDashboard);
  const dims = ['region', 'product'];
  const cubed = new LocalEngine();
  const raw = new LocalEngine();
  let regions: string[] = [];
  let products: string[] = [];
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

  beforeAll(async () => {
    await loadAll(cubed);
    await loadAll(raw);
    const loans = raw.dataset('loans') as Dataset;
    regions = (loans.cols['region'] as { dict: string[] }).dict.slice().sort();
    products = (loans.cols['product'] as { dict: string[] }).dict.slice().sort();
  }, 60_000);

  /** Start from an empty cube (same data): a build of the previous run stops at its next cell. */
  const restart = async (): Promise<void> => {
    const report = (await cubed.datasetsInfo()).find((d) => d.name === 'loans')!.report;
    cubed.put('loans', cubed.dataset('loans')!, report);
  };

  /**
   * Whether `cubed` holds the cell of `req` pinned by `pins`, without changing anything: two
   * spellings of the same pins (`eq` and `in`) have different result-cache keys, so only a cube cell
   * gives both the same data object; strict queries (`required`) use cells but never store one.
   */
  const fromCube = (req: QueryRequest, pins: Array<[string, string]>): boolean => {
    const spell = (op: 'eq' | 'in'): [QueryRequest, FilterClause[]] => {
      const clauses = pins.map(([field, v]): FilterClause =>
        op === 'eq' ? { field, op, value: v } : { field, op, value: [v] },
      );
      return [{ ...req, filters: [...(req.filters ?? []), ...clauses] }, clauses];
    };
    const [a, ra] = spell('eq');
    const [b, rb] = spell('in');
    return cubed.querySync(a, { required: ra }).data === cubed.querySync(b, { required: rb }).data;
  };

  it('a query during a build returns the same bytes as without a cube, and the first dimension is built first', async () => {
    let hits = 0;
    let misses = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: reqs.length - 1 }),
        fc.constantFrom('region', 'product', 'pair'),
        fc.nat(40),
        fc.nat(20),
        fc.nat(20),
        fc.boolean(),
        async (ri, kind, turns, vi, vj, reversed) => {
          await restart();
          void cubed.prepare({ requests: reqs, dimensions: dims, key: 'prop' });
          for (let k = 0; k < turns; k++) await turn();
          const region = regions[vi % regions.length]!;
          const product = products[vj % products.length]!;
          const pins: FilterClause[] = [];
          if (kind !== 'product') pins.push({ field: 'region', op: 'eq', value: region });
          if (kind !== 'region') pins.push({ field: 'product', op: 'in', value: [product] });
          if (reversed) pins.reverse();
          const req = reqs[ri]!;
          // Build order: any product cell implies every region cell of every request; any pair
          // cell implies every product cell.
          const productHit = fromCube(req, [['product', product]]);
          const pairHit = fromCube(req, [
            ['region', region],
            ['product', product],
          ]);
          if (productHit || pairHit)
            for (const r of reqs) expect(fromCube(r, [['region', region]])).toBe(true);
          if (pairHit) for (const r of reqs) expect(fromCube(r, [['product', product]])).toBe(true);
          const q: QueryRequest = { ...req, filters: [...(req.filters ?? []), ...pins] };
          if (
            fromCube(
              req,
              pins.map(
                (c) => [c.field, c.op === 'eq' ? c.value : (c.value as string[])[0]!] as [string, string],
              ),
            )
          )
            hits++;
          else misses++;
          expect(JSON.stringify(cubed.querySync(q))).toBe(JSON.stringify(raw.querySync(q)));
        },
      ),
      { numRuns: 24, seed: 16 },
    );
    await restart();
    // Both sides were exercised: queries before and after the first dimension's cells were built.
    expect(hits).toBeGreaterThan(0);
    expect(misses).toBeGreaterThan(0);
  }, 120_000);

  it('a click during the build is stored as its cells: the build does not compute them again', async () => {
    await restart();
    const solo = await cubed.prepare({ requests: reqs, dimensions: dims, maxDims: 1 });
    const region = regions[regions.length - 1]!;
    // The last request the build stores (a cell whose filter cannot apply everywhere stays out).
    const last = [...reqs].reverse().find((r) => fromCube(r, [['region', region]]))!;
    expect(last).toBeDefined();
    await restart();
    // Yield after every cell, so one turn in the build is mid-stage on any machine.
    const build = cubed.prepare({ requests: reqs, dimensions: dims, maxDims: 1, sliceMs: 0 });
    await turn();
    // The last region of the first stage is not built yet: the click answers it on the raw path,
    // and its answers become the cells.
    expect(fromCube(last, [['region', region]])).toBe(false);
    const clicked = reqs.map((r) => {
      const q: QueryRequest = {
        ...r,
        filters: [...(r.filters ?? []), { field: 'region', op: 'in', value: [region] }],
      };
      const res = cubed.querySync(q);
      expect(JSON.stringify(res)).toBe(JSON.stringify(raw.querySync(q)));
      return res;
    });
    const info = await build;
    expect(info.cells).toBeLessThan(solo.cells);
    // The other spelling (another result-cache key) is answered by the stored click: the same data
    // object, byte-identical to the raw path.
    reqs.forEach((r, i) => {
      const q: QueryRequest = {
        ...r,
        filters: [{ field: 'region', op: 'eq', value: region }, ...(r.filters ?? [])],
      };
      const res = cubed.querySync(q);
      expect(JSON.stringify(res)).toBe(JSON.stringify(raw.querySync(q)));
      if (r === last) expect(res.data).toBe(clicked[i]!.data);
    });
  }, 60_000);

  it("pauses the build while a caller's queries keep coming (no slice between the queries of a click)", async () => {
    await restart();
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    // well after the previous tests' queries (the build must not start out waiting for quiet)
    vi.setSystemTime(Date.now() + 60_000);
    try {
      const computed = vi.spyOn(cubed as unknown as { compute: () => unknown }, 'compute');
      const build = cubed.prepare({ requests: reqs, dimensions: dims, maxDims: 1, sliceMs: 0 });
      for (let k = 0; k < 200 && computed.mock.calls.length === 0; k++) await turn();
      const before = computed.mock.calls.length;
      expect(before).toBeGreaterThan(0); // the build is running
      // a click: one query (a region already built, or computed on the raw path right here)
      cubed.querySync({ ...reqs[0]!, filters: [{ field: 'region', op: 'in', value: [regions[1]!] }] });
      const afterQuery = computed.mock.calls.length;
      // the clock has not moved: the build waits for QUERY_QUIET_MS of quiet, however many turns pass
      for (let k = 0; k < 20; k++) await turn();
      expect(computed.mock.calls.length).toBe(afterQuery);
      // quiet for long enough: it goes on
      await vi.advanceTimersByTimeAsync(20);
      for (let k = 0; k < 5; k++) await turn();
      expect(computed.mock.calls.length).toBeGreaterThan(afterQuery);
      // the rest of the build (the previous tests' and this one's pauses run on the fake clock)
      let info: Awaited<typeof build> | null = null;
      void build.then((i) => (info = i));
      for (let k = 0; k < 10_000 && !info; k++) {
        await vi.advanceTimersByTimeAsync(20);
        await turn();
      }
      expect(info).not.toBeNull();
      expect(info!.superseded).toBeUndefined();
      computed.mockRestore();
    } finally {
      vi.useRealTimers();
    }
  }, 60_000);

  it('answers a query that arrives mid-build before the build ends (worker dispatch)', async () => {
    await restart();
    const order: string[] = [];
    const build = dispatch(cubed, { op: 'prepare', opts: { requests: reqs, dimensions: dims } }).then(
      (info) => {
        order.push('build');
        return info as { superseded?: boolean; cells: number };
      },
    );
    await turn(); // the build's first slice ran
    const q: QueryRequest = {
      ...reqs[0]!,
      filters: [{ field: 'region', op: 'in', value: [regions[0]!, regions[1]!] }],
    };
    const answer = dispatch(cubed, { op: 'query', req: q }).then((r) => {
      order.push('query');
      return r;
    });
    const [info, r] = await Promise.all([build, answer]);
    expect(order).toEqual(['query', 'build']);
    expect(info.superseded).toBeUndefined();
    expect(JSON.stringify(r)).toBe(JSON.stringify(raw.querySync(q)));
  }, 60_000);
});

describe('grouped kernels in the build (grouped.ts)', () => {
  const GROUPED: QueryRequest[] = [
    { metric: 'overdue_rate', params: { k: 1 } },
    { metric: 'overdue_rate', params: { k: 3, lag: 1, by: 'product' } },
    { metric: 'channel_effectiveness', source: 'collection_actions', params: {} },
    { metric: 'collector_performance', source: 'collection_actions', params: { level: 'team' } },
  ];
  const pins = (loans: Dataset): FilterClause[][] => {
    const regions = (loans.cols['region'] as { dict: string[] }).dict;
    const products = (loans.cols['product'] as { dict: string[] }).dict;
    return [
      ...regions.map((r): FilterClause[] => [{ field: 'region', op: 'eq', value: r }]),
      ...products.map((p): FilterClause[] => [{ field: 'product', op: 'eq', value: p }]),
      ...regions.slice(0, 2).flatMap((r) =>
        products.map((p): FilterClause[] => [
          { field: 'region', op: 'eq', value: r },
          { field: 'product', op: 'eq', value: p },
        ]),
      ),
    ];
  };

  it('evaluates each dimension set of a metric with a kernel in one call, byte-identical to the raw path', async () => {
    const spies = ['overdue_rate', 'channel_effectiveness', 'collector_performance'].map((id) =>
      vi.spyOn(getMetric(id), 'runGrouped'),
    );
    const raw = new LocalEngine();
    const e = new LocalEngine();
    await loadAll(raw);
    await loadAll(e);
    const info = await e.prepare({ requests: GROUPED, dimensions: ['region', 'product'] });
    // singles region, product, then the pair: one call per request and set
    for (const s of spies) expect(s.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(spies.reduce((n, s) => n + s.mock.calls.length, 0)).toBe(GROUPED.length * 3);
    expect(info.cells).toBeGreaterThan(GROUPED.length * 10);
    let looked = 0;
    for (const req of GROUPED)
      for (const f of pins(raw.dataset('loans')!)) {
        const q = { ...req, filters: f };
        expect(JSON.stringify(e.querySync(q)), `${req.metric} ${JSON.stringify(f)}`).toBe(
          JSON.stringify(raw.querySync(q)),
        );
        looked++;
      }
    expect(looked).toBeGreaterThan(GROUPED.length * 10);
    for (const s of spies) s.mockRestore();
  }, 120_000);

  it('falls back to one run per cell when a kernel fails or declines', async () => {
    const def = getMetric('channel_effectiveness');
    const boom = vi.spyOn(def, 'runGrouped').mockImplementation(() => {
      throw new Error('kernel failure');
    });
    const od = getMetric('overdue_rate');
    const decline = vi.spyOn(od, 'runGrouped').mockReturnValue(null);
    const run = vi.spyOn(def, 'run');
    const raw = new LocalEngine();
    const e = new LocalEngine();
    await loadAll(raw);
    await loadAll(e);
    const info = await e.prepare({ requests: GROUPED.slice(0, 3), dimensions: ['region'] });
    const regions = (raw.dataset('loans')!.cols['region'] as { dict: string[] }).dict;
    expect(boom).toHaveBeenCalledTimes(1);
    expect(decline).toHaveBeenCalledTimes(2);
    expect(run.mock.calls.length).toBe(regions.length);
    expect(info.cells).toBe(3 * regions.length);
    for (const req of GROUPED.slice(0, 3))
      for (const r of regions) {
        const q = { ...req, filters: [{ field: 'region', op: 'eq' as const, value: r }] };
        expect(JSON.stringify(e.querySync(q))).toBe(JSON.stringify(raw.querySync(q)));
      }
    boom.mockRestore();
    decline.mockRestore();
    run.mockRestore();
  }, 120_000);

  it('a click on a cell of a kernel metric builds its whole set at once; the build does not run it again', async () => {
    const e = new LocalEngine();
    const raw = new LocalEngine();
    await loadAll(e);
    await loadAll(raw);
    const regions = (e.dataset('loans')!.cols['region'] as { dict: string[] }).dict;
    const req = GROUPED[2]!;
    const kernel = vi.spyOn(getMetric(req.metric), 'runGrouped');
    const inCube = (r: string): boolean => {
      // strict queries use cells but never store one: two spellings share data only through the cube
      const a: FilterClause = { field: 'region', op: 'eq', value: r };
      const b: FilterClause = { field: 'region', op: 'in', value: [r] };
      return (
        e.querySync({ ...req, filters: [a] }, { required: [a] }).data ===
        e.querySync({ ...req, filters: [b] }, { required: [b] }).data
      );
    };
    // the build plans every cell before its first slice; the click lands during the seeding yield
    // (a first prepare loads the build's code; from then on a build plans its cells synchronously)
    await e.prepare({ requests: [], dimensions: ['region'] });
    const building = e.prepare({ requests: [GROUPED[0]!, req], dimensions: ['region'], sliceMs: 0 });
    await Promise.resolve();
    expect(kernel).toHaveBeenCalledTimes(0);
    expect(inCube(regions[1]!)).toBe(false);
    const click = { ...req, filters: [{ field: 'region', op: 'eq' as const, value: regions[0]! }] };
    const first = e.querySync(click);
    expect(JSON.stringify(first)).toBe(JSON.stringify(raw.querySync(click)));
    // one kernel call stored every region's cell, the clicked one and the others
    expect(kernel).toHaveBeenCalledTimes(1);
    const afterClick = regions.map(inCube);
    await building;
    expect(kernel).toHaveBeenCalledTimes(1);
    // the cells the whole build stores (every region with actions) were there right after the click
    expect(afterClick).toEqual(regions.map(inCube));
    expect(afterClick.filter(Boolean).length).toBeGreaterThan(1);
    // `in` spelling: not the result cache, the cube's cell
    const again = e.querySync({ ...req, filters: [{ field: 'region', op: 'in', value: [regions[0]!] }] });
    expect(again.data).toBe(first.data);
    for (const r of regions) {
      const q = { ...req, filters: [{ field: 'region', op: 'in' as const, value: [r] }] };
      expect(JSON.stringify(e.querySync(q))).toBe(JSON.stringify(raw.querySync(q)));
    }
    kernel.mockRestore();
  }, 120_000);

  it("builds a KPI's series cells first (by the series' kernel), so each KPI cell reads them", async () => {
    const kpi: QueryRequest = {
      metric: 'kpi',
      source: 'loan_months',
      params: {
        series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' },
        direction: 'lower-is-better',
      },
    };
    const kernel = vi.spyOn(getMetric('overdue_rate'), 'runGrouped');
    const run = vi.spyOn(getMetric('overdue_rate'), 'run');
    const e = new LocalEngine();
    const raw = new LocalEngine();
    await loadAll(e);
    await loadAll(raw);
    const regions = (e.dataset('loans')!.cols['region'] as { dict: string[] }).dict;
    run.mockClear();
    const info = await e.prepare({ requests: [kpi], dimensions: ['region'] });
    // the series' cells (one kernel call) and the KPI's: two requests, no per-cell run of the series
    expect(info.requests).toBe(2);
    expect(info.cells).toBe(2 * regions.length);
    expect(kernel).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledTimes(0);
    for (const r of regions) {
      for (const q of [
        { ...kpi, filters: [{ field: 'region', op: 'eq' as const, value: r }] },
        {
          metric: 'overdue_rate',
          params: { k: 1 },
          filters: [{ field: 'region', op: 'in' as const, value: [r] }],
        },
      ])
        expect(JSON.stringify(e.querySync(q)), `${q.metric} ${r}`).toBe(JSON.stringify(raw.querySync(q)));
    }
    expect(run).toHaveBeenCalledTimes(0 + regions.length * 2); // only `raw`'s queries ran the series
    kernel.mockRestore();
    run.mockRestore();
  }, 120_000);
});
