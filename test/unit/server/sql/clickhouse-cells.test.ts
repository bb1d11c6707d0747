/**
 * Prepared cross-filter answers kept in the ClickHouse database (`persist`,
 * src/server/clickhouse-cells.ts): a backend opened again on the same database answers the
 * prepared clicks from the stored cells, as memory does, and its dashboard's `prepare` computes
 * nothing; a data change or an unload drops them; `keepPrepared: false` leaves them in memory;
 * cells of another stamp, older answers of a key and unreadable rows are never read. On a 2-shard
 * cluster started here.
 *
 * ClickHouse missing and not installable (not root): fails under CI=true, skips locally.
 */
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRequests } from '../../../../bench/lib/collection.js';
import type { IngestInput } from '../../../../src/data/ingest.js';
import { generateSample, sampleToRows } from '../../../../src/data/sample.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../../../src/engine/types.js';
import type { ClickhouseBackend } from '../../../../src/server/clickhouse.js';
import { clickhouseBackend } from '../../../../src/server/clickhouse.js';
import { clickhouseCellsIo } from '../../../../src/server/clickhouse-cells.js';
import type { CatalogIo } from '../../../../src/server/clickhouse-catalog.js';
import { memoryBackend } from '../../../../src/server/memory.js';
import type { Backend } from '../../../../src/server/backend.js';
import { persistedCellsOn } from '../../../../src/server/prepared-cells.js';
import type { Cluster } from './clickhouse-cluster.js';
import { clickhouseUnavailable, startCluster } from './clickhouse-cluster.js';
import { outcome } from './compare.js';
import { cellAnswer, expectNewestWithinBound } from './cells-store.js';

const missing = clickhouseUnavailable();
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (missing && !ci) console.log(`SKIP ClickHouse prepared cells tests: ${missing}`);

describe.runIf(missing !== null && ci)('ClickHouse prepared cells in CI', () => {
  it('is installed or installable', () => {
    throw new Error(`ClickHouse is required in CI: ${missing}`);
  });
});

const NAMES = ['customers', 'loans', 'loan_months', 'collection_actions'] as const;
const pin = (field: string, value: string): FilterClause => ({ field, op: 'in', value: [value] });

describe.runIf(missing === null)('ClickHouse backend: prepared answers kept in the database', () => {
  let cluster: Cluster;
  let mem: Backend;
  const s = generateSample({ customers: 60, seed: 9 });
  // The collection dashboard's loan-month and collector widgets (every statement shape).
  const reqs: QueryRequest[] = dashboardRequests()
    .map(({ widget: _w, ...r }) => r)
    .filter((r) =>
      ['overdue_rate', 'entry_rate', 'vintage', 'collector_performance', 'kpi'].includes(r.metric),
    )
    .slice(0, 6);
  const open = (database: string, o: { keepPrepared?: boolean } = {}): Promise<ClickhouseBackend> =>
    clickhouseBackend({
      url: cluster.urls[0]!,
      database,
      cluster: cluster.name,
      shardUrls: cluster.urls,
      persist: true,
      ...o,
    });
  /** Run one statement on the first server. */
  async function run(database: string, query: string): Promise<Array<Record<string, unknown>>> {
    const c = createClient({ url: cluster.urls[0]!, database });
    try {
      if (!/^\s*select/i.test(query)) {
        await c.command({ query });
        return [];
      }
      const rs = await c.query({ query, format: 'JSONEachRow' });
      return await rs.json<Record<string, unknown>>();
    } finally {
      await c.close();
    }
  }

  beforeAll(async () => {
    cluster = await startCluster(2, 'finboard');
    mem = memoryBackend();
    for (const n of NAMES) await mem.load(n, s[n] as IngestInput);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('a reopened backend answers the prepared clicks from the database, as memory does', async () => {
    const a = await open('cells_a');
    for (const n of NAMES) await a.load(n, s[n] as IngestInput);
    expect(a.preparedRestored).toBe(0);
    const info = await a.prepare!({ dimensions: ['region'], requests: reqs });
    expect(info.cells).toBeGreaterThanOrEqual(reqs.length * 3);
    await a.close();

    const b = await open('cells_a');
    try {
      expect(b.preparedRestored).toBe(info.cells);
      const regions = (await mem.distinct({ source: 'loans', field: 'region' })).data.map((x) =>
        String(x['value']),
      );
      let compared = 0;
      for (const v of regions)
        for (const r of reqs) {
          const req = { ...r, filters: [pin('region', v), ...(r.filters ?? [])] };
          expect(await outcome(b, req), `${r.metric} ${v}`).toEqual(await outcome(mem, req));
          compared++;
        }
      expect(compared).toBe(regions.length * reqs.length);
      // The dashboard's prepare after the restart computes nothing: every cell is there.
      const again = await b.prepare!({ dimensions: ['region'], requests: reqs });
      expect(again.cells).toBe(0);
      expect(again.reused).toBe(info.cells);
    } finally {
      await b.close();
    }

    // The answers are read from the database: a newer row of a key (same stamp) is what the
    // click gets, so the query path did not answer it.
    const [row] = await run(
      'cells_a',
      'SELECT seq, stamp, key, dims, answer FROM finboard_prepared ORDER BY seq LIMIT 1',
    );
    const [top] = await run('cells_a', 'SELECT max(seq) AS s FROM finboard_prepared');
    const marked = JSON.parse(String(row!['answer'])) as MetricResult;
    marked.meta = { ...marked.meta, marked: 'from the database' };
    const c = createClient({ url: cluster.urls[0]!, database: 'cells_a' });
    await c.insert({
      table: 'finboard_prepared',
      values: [{ ...row, seq: Number(top!['s']) + 1, answer: JSON.stringify(marked) }],
      format: 'JSONEachRow',
    });
    await c.close();
    const [metric, source, params, filters] = JSON.parse(String(row!['key'])) as [
      string,
      string | null,
      Record<string, unknown>,
      FilterClause[],
    ];
    const d = await open('cells_a');
    try {
      const got = await d.query({ metric, ...(source ? { source } : {}), params, filters } as QueryRequest);
      expect(got.meta?.['marked']).toBe('from the database');
    } finally {
      await d.close();
    }
  }, 240_000);

  it('a data change or an unload drops the stored answers; keepPrepared: false keeps none', async () => {
    const a = await open('cells_b');
    for (const n of NAMES) await a.load(n, s[n] as IngestInput);
    const first = await a.prepare!({ dimensions: ['region'], requests: reqs.slice(0, 2) });
    expect(first.cells).toBeGreaterThan(0);
    // Replace loans (other rows): every cell answered for data that is gone.
    await a.load('loans', sampleToRows(s, 'loans').slice(0, 40) as IngestInput);
    const second = await a.prepare!({ dimensions: ['product'], requests: reqs.slice(0, 1) });
    expect(second.cells).toBeGreaterThan(0);
    await a.close();
    const b = await open('cells_b');
    expect(b.preparedRestored).toBe(second.cells);
    await b.unload('collection_actions');
    await b.close();
    const c = await open('cells_b');
    expect(c.preparedRestored).toBe(0);
    await c.close();

    const e = await open('cells_c', { keepPrepared: false });
    for (const n of ['loans', 'loan_months'] as const) await e.load(n, s[n] as IngestInput);
    expect((await e.prepare!({ dimensions: ['region'], requests: reqs.slice(0, 1) })).cells).toBeGreaterThan(
      0,
    );
    await e.close();
    const f = await open('cells_c');
    try {
      expect(f.preparedRestored).toBe(0);
      expect(f.catalog.size).toBe(2);
    } finally {
      await f.close();
    }
  }, 240_000);

  it('the store reads the current stamp only, the newest per key, within the bound', async () => {
    const database = 'cells_io';
    await run('default', `CREATE DATABASE IF NOT EXISTS ${database}`);
    const client = createClient({ url: cluster.urls[0]!, database, log: { level: ClickHouseLogLevel.OFF } });
    const io: CatalogIo = {
      database,
      query: async (q) =>
        (
          await client.query({
            query: q,
            format: 'JSONEachRow',
            clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
          })
        ).json(),
      command: (q) => client.command({ query: q }),
      insert: (table, values) => client.insert({ table, values, format: 'JSONEachRow' }),
    };
    let stamp = 'A';
    const p = persistedCellsOn(clickhouseCellsIo(io), () => stamp, 3);
    try {
      await expectNewestWithinBound(p);
      // An unreadable row is skipped: the newest three are k3, k0 and it.
      await io.insert('finboard_prepared', [
        { seq: 99, stamp: 'A', key: 'bad', dims: '["region"]', answer: 'not json' },
      ]);
      expect((await p.restore()).map((c) => c.key)).toEqual(['k3', 'k0']);
      // A hostile stamp is a value, not SQL: it matches no row.
      stamp = "A' OR 1 = 1 --";
      expect(await p.restore()).toEqual([]);
      // Another stamp: nothing is read.
      stamp = 'B';
      expect(await p.restore()).toEqual([]);
      p.save({ key: 'kb', dims: [], answer: cellAnswer(1) });
      await p.flush();
      expect((await p.restore()).map((c) => c.key)).toEqual(['kb']);
      // A read does not rely on a delete having run (18.16 deletes asynchronously): rows of
      // another stamp and older rows of a key still stored are not read.
      const cellsIo = clickhouseCellsIo(io);
      const row = { dims: '[]', answer: '{"data":[]}' };
      await cellsIo.insert([
        { seq: 200, stamp: 'C', key: 'x', ...row },
        { seq: 201, stamp: 'D', key: 'x', ...row },
        { seq: 202, stamp: 'C', key: 'x', ...row },
        { seq: 203, stamp: 'C', key: 'y', ...row },
      ]);
      expect((await cellsIo.read('C', 10)).map((r) => [r.seq, r.key])).toEqual([
        [202, 'x'],
        [203, 'y'],
      ]);
      expect((await cellsIo.read('C', 1)).map((r) => r.seq)).toEqual([203]);
    } finally {
      await client.close();
    }
    // A write that fails (the server's database is gone) is counted, never thrown.
    await run('default', `DROP DATABASE ${database}`);
    p.save({ key: 'kx', dims: [], answer: cellAnswer(1) });
    await p.flush();
    expect(p.failed).toBe(1);
  }, 60_000);
});
