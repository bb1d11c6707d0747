/**
 * The DuckDB backend's persisted catalog (duckdb-catalog.ts): a database file reopens its
 * datasets with the same answers; attaching an unchanged file keeps its table, a changed file or
 * other options ingest it again; unload persists; a tampered or stale catalog entry is skipped
 * with a reason and never reaches SQL.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryRequest } from '../../../../src/engine/types.js';
import type { CatalogEntry, SourceStamp } from '../../../../src/server/duckdb-catalog.js';
import { sameIngestion } from '../../../../src/server/duckdb-catalog.js';
import { duckdbBackend } from '../../../../src/server/duckdb.js';
import { writeSample } from '../../../../src/server/generate.js';

type Duck = Awaited<ReturnType<typeof duckdbBackend>>;
const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

const REQUESTS: QueryRequest[] = [
  { metric: 'overdue_rate', params: { by: 'region' } },
  { metric: 'vintage', params: {} },
  { metric: 'overdue_rate', params: {}, filters: [{ field: 'gender', op: 'eq', value: 'F' }] },
  { metric: 'rfm', params: {} },
];

async function answers(b: Duck): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const r of REQUESTS)
    out.push(json(await b.query(r).catch((e: { code?: string }) => ({ error: e.code }))));
  return out;
}

/** A plain DuckDB connection to a database file, to edit what the backend wrote behind its back. */
async function rawConnection(path: string): Promise<{
  /** Checkpoint (the edits in the file, not only in its WAL) and close. */
  done(): Promise<void>;
  conn: {
    run(s: string, v?: unknown[]): Promise<unknown>;
    runAndReadAll(s: string, v?: unknown[]): Promise<{ getRowObjectsJS(): Array<Record<string, unknown>> }>;
    closeSync(): void;
  };
}> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(path);
  const conn = await inst.connect();
  const done = async (): Promise<void> => {
    await conn.run('CHECKPOINT');
    conn.closeSync();
    inst.closeSync();
  };
  return { done, conn: conn as unknown as Awaited<ReturnType<typeof rawConnection>>['conn'] };
}

describe('duckdbBackend with a database file: the persisted catalog', () => {
  let dir: string;
  let db: string;
  let files: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'finboard-catalog-'));
    await writeSample(join(dir, 'pq'), { sample: { customers: 60 }, seed: 5, format: 'parquet' });
    files = Object.fromEntries(
      ['customers', 'loans', 'loan_months', 'transactions'].map((n) => [n, join(dir, 'pq', `${n}.parquet`)]),
    );
    db = join(dir, 'fin.duckdb');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reopens every dataset with the same answers, and keeps an unchanged file on attach', async () => {
    const first = await duckdbBackend({ path: db, files });
    const before = await answers(first);
    const infos = json(await first.datasets());
    const tables = new Map([...first.catalog].map(([n, t]) => [n, t.table]));
    expect([...first.attachedBy.values()].every((b) => b.kept !== true)).toBe(true);
    expect(before.some((a) => (a as { error?: string }).error)).toBe(false);
    await first.close();

    const again = await duckdbBackend({ path: db });
    expect(again.skipped).toEqual([]);
    expect(json(await again.datasets())).toEqual(infos);
    expect(await answers(again)).toEqual(before);
    // Attaching the same files again keeps the stored tables.
    for (const [name, path] of Object.entries(files)) {
      const report = await again.attach(name, { path });
      expect(report.rowsKept).toBe(again.catalog.get(name)!.n);
      expect(again.attachedBy.get(name)?.kept, name).toBe(true);
      expect(again.catalog.get(name)!.table).toBe(tables.get(name));
    }
    // Other options (a time zone) ingest the file again: a new table.
    await again.attach('loans', { path: files['loans']! }, { timeZone: 'UTC' });
    expect(again.attachedBy.get('loans')?.kept).toBeUndefined();
    expect(again.catalog.get('loans')!.table).not.toBe(tables.get('loans'));
    // A changed file (same bytes, newer mtime) is ingested again too.
    const later = new Date(Date.now() + 60_000);
    utimesSync(files['customers']!, later, later);
    await again.attach('customers', { path: files['customers']! });
    expect(again.attachedBy.get('customers')?.kept).toBeUndefined();
    expect(again.catalog.get('customers')!.table).not.toBe(tables.get('customers'));
    // Unload persists: the next open has no transactions.
    await again.unload('transactions');
    await again.close();

    const third = await duckdbBackend({ path: db });
    expect(third.catalog.has('transactions')).toBe(false);
    expect(third.catalog.get('loans')!.timeZone).toBe('UTC');
    // The re-ingested customers (same content) answer as before; new tables never reuse a name.
    expect(json(await third.query(REQUESTS[2]!))).toEqual(before[2]);
    await third.load('campaign_spend', [{ date: '2024-01-01', channel: 'app', campaign: 'c1', spend: 5 }]);
    const names = [...third.catalog.values()].map((t) => t.table);
    expect(new Set(names).size).toBe(names.length);
    await third.close();
    const fourth = await duckdbBackend({ path: db });
    expect(fourth.catalog.get('campaign_spend')?.n).toBe(1);
    await fourth.close();
  }, 180_000);

  it('skips a tampered or stale entry with its reason, never splicing its names', async () => {
    const path = join(dir, 'tampered.duckdb');
    const b = await duckdbBackend({
      path,
      files: { loans: files['loans']!, customers: files['customers']! },
    });
    const loans = b.catalog.get('loans')!;
    await b.close();
    // Edit the file's catalog directly: a spliced table name, and a table dropped behind its back.
    const { done, conn } = await rawConnection(path);
    const entryOf = async (name: string): Promise<string> => {
      const r = (
        await conn.runAndReadAll('SELECT entry FROM finboard_catalog WHERE name = $1', [name])
      ).getRowObjectsJS();
      return String(r[0]!['entry']);
    };
    const hostile = (await entryOf('loans')).replace(
      `"table":"${loans.table}"`,
      `"table":"t1\\"; DROP TABLE finboard_catalog; --"`,
    );
    await conn.run('UPDATE finboard_catalog SET entry = $1 WHERE name = $2', [hostile, 'loans']);
    await conn.run(
      `DROP TABLE "${(JSON.parse(await entryOf('customers')) as { info: { table: string } }).info.table}"`,
    );
    await done();

    const reopened = await duckdbBackend({ path });
    expect(reopened.catalog.size).toBe(0);
    expect(reopened.skipped).toEqual([
      { name: 'loans', reason: 'table name not generated' },
      { name: 'customers', reason: 'its table is missing or has other columns' },
    ]);
    // The catalog table survived (nothing was spliced) and the datasets can be attached again.
    await reopened.attach('loans', { path: files['loans']! });
    expect(reopened.attachedBy.get('loans')?.kept).toBeUndefined();
    expect(reopened.catalog.get('loans')!.n).toBe(loans.n);
    await reopened.close();
  }, 120_000);

  it('a file written under another catalog format is not reopened', async () => {
    const path = join(dir, 'old.duckdb');
    const b = await duckdbBackend({ path, files: { loans: files['loans']! } });
    await b.close();
    const { done, conn } = await rawConnection(path);
    await conn.run(`UPDATE finboard_catalog SET entry = replace(entry, '{"format":1,', '{"format":0,')`);
    await done();
    const reopened = await duckdbBackend({ path });
    expect(reopened.skipped).toEqual([{ name: 'loans', reason: 'catalog format 0, this version reads 1' }]);
    await reopened.close();
  }, 60_000);
});

describe('sameIngestion', () => {
  const stamp = (over: Partial<SourceStamp> = {}): SourceStamp => ({
    path: '/d/loans.parquet',
    size: 100,
    mtimeMs: 5,
    options: '{}',
    range: [0, 1000],
    ...over,
  });
  const entry = (outOfRange: number, s = stamp()): CatalogEntry =>
    ({ info: { report: { rejected: { out_of_range: outOfRange } } }, stamp: s }) as unknown as CatalogEntry;

  it('needs the same file and options', () => {
    expect(sameIngestion(entry(0), stamp())).toBe(true);
    expect(sameIngestion(entry(0), stamp({ size: 101 }))).toBe(false);
    expect(sameIngestion(entry(0), stamp({ mtimeMs: 6 }))).toBe(false);
    expect(sameIngestion(entry(0), stamp({ path: '/e/loans.parquet' }))).toBe(false);
    expect(sameIngestion(entry(0), stamp({ options: '{"timeZone":"UTC"}' }))).toBe(false);
    expect(sameIngestion({ ...entry(0), stamp: undefined } as unknown as CatalogEntry, stamp())).toBe(false);
  });

  it('accepts a wider date range only when no row was rejected as out of range', () => {
    expect(sameIngestion(entry(0), stamp({ range: [0, 2000] }))).toBe(true);
    expect(sameIngestion(entry(3), stamp({ range: [0, 2000] }))).toBe(false);
    expect(sameIngestion(entry(0), stamp({ range: [0, 900] }))).toBe(false);
    expect(sameIngestion(entry(0), stamp({ range: [10, 1000] }))).toBe(false);
    expect(sameIngestion(entry(3), stamp())).toBe(true);
  });
});

// A CSV (quality problems included) attached into a file is reopened with its report.
describe('a CSV attached into a database file', () => {
  it('is reopened with its quality report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finboard-catalog-csv-'));
    try {
      const csv = join(dir, 'loans.csv');
      writeFileSync(
        csv,
        'loan_id,customer_id,issue_date,principal\nL1,C1,2024-01-05,1000\nL1,C1,2024-01-05,1000\nL2,C2,bad,5\n',
      );
      const path = join(dir, 'f.duckdb');
      const a = await duckdbBackend({ path });
      const report = await a.attach('loans', { path: csv });
      await a.close();
      const b = await duckdbBackend({ path });
      expect(json(b.catalog.get('loans')!.report)).toEqual(json(report));
      expect(report.rowsRejected).toBe(2);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
