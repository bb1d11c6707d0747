/**
 * ClickHouse backend with `persist`: the catalog is kept in the database (`finboard_catalog`), so
 * a second backend on the same database reopens what the first published, answers memory's
 * numbers without ingesting again, keeps an unchanged file's table when it is attached again,
 * ingests a changed one into a new table (dropping the old one on every shard), forgets an
 * unloaded dataset, and refuses an entry that names a table this backend does not generate.
 * Without `persist`, `close()` drops the tables, as before. On a 2-shard cluster started here.
 *
 * ClickHouse missing and not installable (not root): fails under CI=true, skips locally.
 */
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickhouseBackend } from '../../../../src/server/clickhouse.js';
import { clickhouseBackend } from '../../../../src/server/clickhouse.js';
import { writeSample } from '../../../../src/server/generate.js';
import { memoryBackend } from '../../../../src/server/memory.js';
import type { Backend } from '../../../../src/server/backend.js';
import type { QueryRequest } from '../../../../src/engine/types.js';
import type { Cluster } from './clickhouse-cluster.js';
import { clickhouseUnavailable, startCluster } from './clickhouse-cluster.js';
import { outcome } from './compare.js';

const missing = clickhouseUnavailable();
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (missing && !ci) console.log(`SKIP ClickHouse persisted catalog tests: ${missing}`);

describe.runIf(missing !== null && ci)('ClickHouse persisted catalog in CI', () => {
  it('is installed or installable', () => {
    throw new Error(`ClickHouse is required in CI: ${missing}`);
  });
});

const DATASETS = ['customers', 'loans', 'loan_months', 'collection_actions'];
const REQUESTS: QueryRequest[] = [
  { metric: 'overdue_rate', params: { by: 'region' } },
  { metric: 'entry_rate', params: {} },
  { metric: 'collector_performance', params: {} },
  { metric: 'vintage', params: {}, filters: [{ field: 'product', op: 'in', value: ['消费贷'] }] },
];
const DB = 'persisted';

describe.runIf(missing === null)('ClickHouse backend: persisted catalog', () => {
  let cluster: Cluster;
  let dir: string;
  let mem: Backend;
  const open = (persist = true): Promise<ClickhouseBackend> =>
    clickhouseBackend({
      url: cluster.urls[0]!,
      database: DB,
      cluster: cluster.name,
      shardUrls: cluster.urls,
      persist,
    });
  /** Tables of the database on one server (the catalog log included). */
  async function tables(url: string): Promise<string[]> {
    const c = createClient({ url });
    try {
      const rs = await c.query({
        query: `SELECT name FROM system.tables WHERE database = '${DB}' ORDER BY name`,
        format: 'JSONEachRow',
      });
      return (await rs.json<{ name: string }>()).map((r) => r.name);
    } finally {
      await c.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'finboard-chcatalog-'));
    await writeSample(dir, { sample: { customers: 60 }, seed: 11 });
    cluster = await startCluster(2, 'finboard');
    mem = memoryBackend();
    for (const name of DATASETS) await mem.attach(name, { path: join(dir, `${name}.csv`) });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a restarted backend reopens the datasets and answers as memory, without ingesting again', async () => {
    const first = await open();
    for (const name of DATASETS) await first.attach(name, { path: join(dir, `${name}.csv`) });
    const tablesBefore = new Map([...first.catalog].map(([n, t]) => [n, t.table]));
    await first.close();
    // The tables stay on every server: the catalog names them.
    for (const t of tablesBefore.values()) {
      expect(await tables(cluster.urls[0]!)).toContain(t);
      for (const u of cluster.urls) expect(await tables(u)).toContain(`${t}_local`);
    }

    const again = await open();
    try {
      expect(again.skipped).toEqual([]);
      expect((await again.datasets()).map((d) => d.name)).toEqual(DATASETS);
      expect(new Map([...again.catalog].map(([n, t]) => [n, t.table]))).toEqual(tablesBefore);
      expect(again.catalog.get('loan_months')!.uniqueLoanMonths).toBe(true);
      for (const r of REQUESTS) expect(await outcome(again, r), r.metric).toEqual(await outcome(mem, r));
      // The same file, unchanged, attached again: the stored table is kept.
      const report = await again.attach('loans', { path: join(dir, 'loans.csv') });
      expect(again.catalog.get('loans')!.table).toBe(tablesBefore.get('loans'));
      expect(again.attachedBy.get('loans')).toEqual({ by: 'js', kept: true });
      expect(report).toEqual(await mem.attach('loans', { path: join(dir, 'loans.csv') }));
      // Other options, or a changed file: ingested again into a new table, the old one dropped.
      const path = join(dir, 'loans.csv');
      const later = new Date(Date.now() + 60_000);
      utimesSync(path, later, later);
      await again.attach('loans', { path });
      const replaced = again.catalog.get('loans')!.table;
      expect(again.attachedBy.get('loans')).toEqual({ by: 'js' });
      expect(replaced).not.toBe(tablesBefore.get('loans'));
      expect(await tables(cluster.urls[0]!)).not.toContain(tablesBefore.get('loans'));
      for (const u of cluster.urls)
        expect(await tables(u)).not.toContain(`${tablesBefore.get('loans')}_local`);
      await again.unload('collection_actions');
    } finally {
      await again.close();
    }

    const third = await open();
    try {
      expect((await third.datasets()).map((d) => d.name)).toEqual(['customers', 'loans', 'loan_months']);
      expect(third.catalog.get('loans')!.table).not.toBe(tablesBefore.get('loans'));
      const r = REQUESTS[0]!;
      expect(await outcome(third, r)).toEqual(await outcome(mem, r));
    } finally {
      await third.close();
    }
  }, 240_000);

  it('an entry naming a table this backend does not generate, or a missing table, is not reopened', async () => {
    const c = createClient({ url: cluster.urls[0]!, database: DB });
    try {
      const entry = (table: string) =>
        JSON.stringify({
          format: 1,
          info: {
            name: 'loans',
            table,
            n: 1,
            cols: [],
            masked: false,
            timeZone: 'Asia/Shanghai',
            report: {},
            values: [],
            uniqueKeys: [],
            keyCodes: null,
          },
          by: null,
          stamp: null,
        });
      await c.insert({
        table: 'finboard_catalog',
        values: [
          { name: 'loans', seq: 1_000_000, entry: entry('system.one; DROP DATABASE x') },
          { name: 'evil', seq: 1_000_001, entry: entry('t0000abcd_1') },
        ],
        format: 'JSONEachRow',
      });
    } finally {
      await c.close();
    }
    const b = await open();
    try {
      expect(b.skipped).toEqual([
        { name: 'loans', reason: 'table name not generated' },
        { name: 'evil', reason: 'its table is missing or has other columns' },
      ]);
      expect((await b.datasets()).map((d) => d.name)).toEqual(['customers', 'loan_months']);
    } finally {
      await b.close();
    }
  }, 60_000);

  it('without persist, close() drops the tables it created', async () => {
    const b = await open(false);
    await b.attach('loans', { path: join(dir, 'loans.csv') });
    const t = b.catalog.get('loans')!.table;
    expect(await tables(cluster.urls[0]!)).toContain(t);
    await b.close();
    expect(await tables(cluster.urls[0]!)).not.toContain(t);
    for (const u of cluster.urls) expect(await tables(u)).not.toContain(`${t}_local`);
  }, 60_000);
});
