/**
 * Prepared cross-filter answers kept in the DuckDB database file (src/server/duckdb-cells.ts): a
 * reopened backend answers the prepared clicks from the file, identically to the query path; a
 * data change drops them; cells of another stamp, duplicates and unreadable rows are never read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dashboardRequests } from '../../../../bench/lib/collection.js';
import type { IngestInput } from '../../../../src/data/ingest.js';
import { generateSample, sampleToRows } from '../../../../src/data/sample.js';
import type { FinError } from '../../../../src/engine/errors.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../../../src/engine/types.js';
import { codeStamp, persistedCells } from '../../../../src/server/duckdb-cells.js';
import type { DuckConnection } from '../../../../src/server/duckdb-store.js';
import { duckdbBackend } from '../../../../src/server/duckdb.js';
import { cellAnswer, expectNewestWithinBound } from './cells-store.js';

const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));
const pin = (field: string, value: string): FilterClause => ({ field, op: 'in', value: [value] });

async function rawConnection(path: string): Promise<{ conn: DuckConnection; done(): Promise<void> }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(path);
  const conn = (await inst.connect()) as unknown as DuckConnection;
  return {
    conn,
    async done() {
      await conn.run('CHECKPOINT');
      conn.closeSync();
      inst.closeSync();
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'finboard-cells-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prepared answers in the database file', () => {
  const s = generateSample({ customers: 60, seed: 9 });
  const NAMES = ['customers', 'loans', 'loan_months', 'collection_actions'] as const;
  const reqs: QueryRequest[] = dashboardRequests().map(({ widget: _w, ...r }) => r);

  it('a reopened backend answers the prepared clicks from the file, as the query path does', async () => {
    const path = join(dir, 'a.duckdb');
    const a = await duckdbBackend({ path });
    for (const n of NAMES) await a.load(n, s[n] as IngestInput);
    expect(a.preparedRestored).toBe(0);
    const info = await a.prepare!({ dimensions: ['region', 'product'], requests: reqs, maxCombos: 40 });
    expect(info.cells).toBeGreaterThan(reqs.length * 5);
    await a.close();

    const b = await duckdbBackend({ path });
    const fresh = await duckdbBackend();
    try {
      expect(b.preparedRestored).toBe(info.cells);
      for (const n of NAMES) await fresh.load(n, s[n] as IngestInput);
      const values = async (field: string): Promise<string[]> =>
        (await fresh.distinct({ source: 'loans', field })).data.map((x) => String(x['value']));
      const regions = await values('region');
      const products = await values('product');
      const states: FilterClause[][] = [
        ...regions.map((v) => [pin('region', v)]),
        [pin('product', products[0]!), pin('region', regions[1]!)],
      ];
      let compared = 0;
      for (const f of states)
        for (const r of reqs) {
          const req = { ...r, filters: [...f, ...(r.filters ?? [])] };
          const got = await b.query(req).catch((e: FinError) => ({ error: e.code }));
          const want = await fresh.query(req).catch((e: FinError) => ({ error: e.code }));
          expect(json(got), `${r.metric} ${JSON.stringify(f)}`).toEqual(json(want));
          compared++;
        }
      expect(compared).toBe(states.length * reqs.length);
      // The dashboard's prepare after the restart computes nothing: every cell is there.
      const again = await b.prepare!({ dimensions: ['region', 'product'], requests: reqs, maxCombos: 40 });
      expect(again.cells).toBe(0);
      expect(again.reused).toBe(info.cells);
    } finally {
      await b.close();
      await fresh.close();
    }

    // The answers are read from the file: a cell marked in it is what the click gets.
    const raw = await rawConnection(path);
    const rows = (
      await raw.conn.runAndReadAll('SELECT key, answer FROM finboard_prepared ORDER BY seq LIMIT 1')
    ).getRowObjectsJS();
    const [metric, source, params, filters] = JSON.parse(String(rows[0]!['key'])) as [
      string,
      string | null,
      Record<string, unknown>,
      FilterClause[],
    ];
    const marked = JSON.parse(String(rows[0]!['answer'])) as MetricResult;
    marked.meta = { ...marked.meta, marked: 'from the file' };
    await raw.conn.run('UPDATE finboard_prepared SET answer = $1 WHERE key = $2', [
      JSON.stringify(marked),
      rows[0]!['key'],
    ]);
    await raw.done();
    const c = await duckdbBackend({ path });
    try {
      const got = await c.query({ metric, ...(source ? { source } : {}), params, filters } as QueryRequest);
      expect(got.meta?.['marked']).toBe('from the file');
    } finally {
      await c.close();
    }
  }, 240_000);

  it('a data change drops the stored answers; the next build is stored for the new data', async () => {
    const path = join(dir, 'b.duckdb');
    const a = await duckdbBackend({ path });
    for (const n of NAMES) await a.load(n, s[n] as IngestInput);
    const first = await a.prepare!({ dimensions: ['region'], requests: reqs });
    expect(first.cells).toBeGreaterThan(0);
    // Replace loans (other rows): every cell answered for data that is gone.
    await a.load('loans', sampleToRows(s, 'loans').slice(0, 40) as IngestInput);
    const second = await a.prepare!({ dimensions: ['product'], requests: reqs.slice(0, 3) });
    expect(second.cells).toBeGreaterThan(0);
    await a.close();
    const b = await duckdbBackend({ path });
    try {
      expect(b.preparedRestored).toBe(second.cells);
    } finally {
      await b.close();
    }
    // Unload too.
    const c = await duckdbBackend({ path });
    await c.unload('collection_actions');
    await c.close();
    const d = await duckdbBackend({ path });
    try {
      expect(d.preparedRestored).toBe(0);
    } finally {
      await d.close();
    }
  }, 240_000);
});

describe('keepPrepared: false', () => {
  it('leaves prepared answers in memory', async () => {
    const path = join(dir, 'c.duckdb');
    const s = generateSample({ customers: 30, seed: 4 });
    const a = await duckdbBackend({ path, keepPrepared: false });
    await a.load('loans', s.loans as IngestInput);
    await a.load('loan_months', s.loan_months as IngestInput);
    const info = await a.prepare!({
      dimensions: ['region'],
      requests: [{ metric: 'overdue_rate', params: {} }],
    });
    expect(info.cells).toBeGreaterThan(0);
    await a.close();
    const b = await duckdbBackend({ path });
    try {
      expect(b.preparedRestored).toBe(0);
      expect(b.catalog.size).toBe(2);
    } finally {
      await b.close();
    }
  }, 60_000);
});

describe('persistedCells', () => {
  it('restores the current stamp only, the newest per key, within the bound; counts failed writes', async () => {
    const raw = await rawConnection(':memory:');
    let stamp = 'A';
    const p = persistedCells(raw.conn, () => stamp, 3);
    await expectNewestWithinBound(p);
    // An unreadable row is skipped, and deleted.
    await raw.conn.run(`INSERT INTO finboard_prepared VALUES (99, 'A', 'bad', '["region"]', 'not json')`);
    expect((await p.restore()).map((c) => c.key)).toEqual(['k3', 'k0']);
    expect((await p.restore()).map((c) => c.key)).toEqual(['k3', 'k0']);
    const bad = (
      await raw.conn.runAndReadAll(`SELECT count(*) AS n FROM finboard_prepared WHERE key = 'bad'`)
    ).getRowObjectsJS();
    expect(Number(bad[0]!['n'])).toBe(0);
    // Another stamp: nothing is read, and the old cells are deleted.
    stamp = 'B';
    expect(await p.restore()).toEqual([]);
    const left = (
      await raw.conn.runAndReadAll('SELECT count(*) AS n FROM finboard_prepared')
    ).getRowObjectsJS();
    expect(Number(left[0]!['n'])).toBe(0);
    // clear() keeps the current stamp's cells.
    p.save({ key: 'kb', dims: [], answer: cellAnswer(1) });
    await p.flush();
    p.clear();
    await p.flush();
    expect((await p.restore()).map((c) => c.key)).toEqual(['kb']);
    stamp = 'C';
    p.clear();
    await p.flush();
    stamp = 'B';
    expect(await p.restore()).toEqual([]);
    // A write that fails is counted, never thrown.
    await raw.done();
    p.save({ key: 'kx', dims: [], answer: cellAnswer(1) });
    await p.flush();
    expect(p.failed).toBe(1);
  });

  it('the code stamp is stable and names this code', () => {
    expect(codeStamp()).toMatch(/^[0-9a-f]{16}$/);
    expect(codeStamp()).toBe(codeStamp());
  });
});
