/**
 * Warehouse-sized files, at small sizes: `writeSample` generates in parts (keys unique across
 * parts, part 0 the in-memory sample) as CSV and Parquet; the DuckDB backend's JavaScript attach
 * (`attachBy: 'js'`) reads both in chunks of a few hundred rows (quote-aware CSV cutting, reports
 * merged, keys de-duplicated across chunks) and answers exactly as the memory engine fed the whole
 * file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../../src/data/sample.js';
import { csvChunks } from '../../../src/server/chunks.js';
import { duckdbBackend } from '../../../src/server/duckdb.js';
import { writeSample } from '../../../src/server/generate.js';
import { memoryBackend } from '../../../src/server/memory.js';
import { compareOutcomes, outcome } from './sql/compare.js';

const COLLECTION = ['loans', 'loan_months', 'collection_actions'] as const;
const REQUESTS = [
  { metric: 'overdue_rate', params: {} },
  { metric: 'overdue_rate', params: {}, filters: [{ field: 'region', op: 'in' as const, value: ['华东'] }] },
  {
    metric: 'kpi',
    source: 'loan_months',
    params: { series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' } },
  },
  { metric: 'bucket_trend', params: {}, filters: [{ field: 'product', op: 'eq' as const, value: '消费贷' }] },
  { metric: 'roll_rate', params: {} },
  { metric: 'cure_rate', params: {} },
];

async function collect(path: string, rows: number): Promise<string[]> {
  const out: string[] = [];
  for await (const c of csvChunks(path, rows)) out.push(c);
  return out;
}

describe('csvChunks', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'finboard-chunks-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts whole records only (a quoted newline stays inside its record), each chunk with the header', async () => {
    const path = join(dir, 'q.csv');
    writeFileSync(path, 'a,b\n1,"x\ny"\n2,"say ""hi"""\n3,z\n4,w');
    expect(await collect(path, 2)).toEqual(['a,b\n1,"x\ny"\n2,"say ""hi"""\n', 'a,b\n3,z\n4,w']);
    expect(await collect(path, 3)).toEqual(['a,b\n1,"x\ny"\n2,"say ""hi"""\n3,z\n', 'a,b\n4,w']);
    expect((await collect(path, 100)).join('')).toBe(readFileSync(path, 'utf8'));
  });

  it('a header-only file is one chunk; an empty file is one empty chunk', async () => {
    writeFileSync(join(dir, 'h.csv'), 'a,b\n');
    writeFileSync(join(dir, 'e.csv'), '');
    expect(await collect(join(dir, 'h.csv'), 5)).toEqual(['a,b\n']);
    expect(await collect(join(dir, 'e.csv'), 5)).toEqual(['']);
  });
});

describe('writeSample in parts, attached by DuckDB in chunks', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'finboard-wh-'));
    // 150 customers in parts of 60: three parts.
    await writeSample(join(dir, 'csv'), {
      sample: { customers: 150 },
      seed: 5,
      partCustomers: 60,
      chunkRows: 333,
    });
    await writeSample(join(dir, 'pq'), {
      sample: { customers: 150 },
      seed: 5,
      partCustomers: 60,
      format: 'parquet',
    });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('part 0 is the in-memory sample; later parts add unique keys; funnel data comes once', () => {
    const first = generateSample({ customers: 60, seed: 5 });
    const lines = readFileSync(join(dir, 'csv', 'customers.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines.length - 1).toBe(150);
    const ids = lines.slice(1).map((l) => l.split(',')[0]!);
    expect(new Set(ids).size).toBe(150);
    expect(ids.slice(0, 60)).toEqual(first.customers.customer_id);
    expect(ids[60]).toMatch(/-1$/);
    expect(ids[149]).toMatch(/-2$/);
    const spend = readFileSync(join(dir, 'csv', 'campaign_spend.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(spend.length - 1).toBe(first.campaign_spend['campaign']!.length);
  });

  it('CSV and Parquet attached in chunks answer exactly as memory fed the whole CSV', async () => {
    const mem = memoryBackend();
    const fromCsv = await duckdbBackend({ chunkRows: 200, attachBy: 'js' });
    const fromPq = await duckdbBackend({ chunkRows: 200, attachBy: 'js' });
    try {
      for (const name of COLLECTION) {
        const m = await mem.attach(name, { path: join(dir, 'csv', `${name}.csv`) });
        const c = await fromCsv.attach(name, { path: join(dir, 'csv', `${name}.csv`) });
        const p = await fromPq.attach(name, { path: join(dir, 'pq', `${name}.parquet`) });
        expect(m.rowsKept).toBeGreaterThan(200); // more than one chunk
        for (const r of [c, p]) {
          expect(r.rowsRead).toBe(m.rowsRead);
          expect(r.rowsKept).toBe(m.rowsKept);
          expect(r.maskedColumns).toEqual(m.maskedColumns);
        }
      }
      for (const req of REQUESTS) {
        const want = await outcome(mem, req);
        expect(want.ok, req.metric).toBe(true);
        expect(compareOutcomes(want, await outcome(fromCsv, req)), `csv ${req.metric}`).toBeNull();
        expect(compareOutcomes(want, await outcome(fromPq, req)), `parquet ${req.metric}`).toBeNull();
      }
    } finally {
      await fromCsv.close();
      await fromPq.close();
    }
  }, 120_000);

  it('a key repeated in a later chunk is removed and counted, as the memory engine does for the whole file', async () => {
    const path = join(dir, 'dup.csv');
    writeFileSync(
      path,
      'loan_id,snapshot_date,outstanding,dpd,status\nA,2024-01-31,100,0,active\nB,2024-01-31,50,0,active\n' +
        'A,2024-02-29,90,40,active\nA,2024-01-31,999,99,active\nB,2024-02-29,0,0,closed\n',
    );
    const mem = memoryBackend();
    const duck = await duckdbBackend({ chunkRows: 2, attachBy: 'js' });
    try {
      const m = await mem.attach('loan_months', { path });
      const d = await duck.attach('loan_months', { path });
      expect(m.duplicatesRemoved).toBe(1);
      expect(d.duplicatesRemoved).toBe(1);
      expect(d.rowsKept).toBe(4);
      expect(d.rejected.duplicate_key).toBe(1);
      expect(d.warnings.map((w) => w.code)).toContain('duplicates_removed');
      const req = { metric: 'overdue_rate', params: {} };
      expect(compareOutcomes(await outcome(mem, req), await outcome(duck, req))).toBeNull();
      expect((await duck.datasets())[0]!.rows).toBe(4);
    } finally {
      await duck.close();
    }
  });

  it('a column typed otherwise in a later chunk is refused, and no table is left behind', async () => {
    const path = join(dir, 'mixed.csv');
    // `note` is outside the schema, so each chunk infers its type: numbers, then text.
    writeFileSync(
      path,
      'loan_id,snapshot_date,outstanding,dpd,status,note\nA,2024-01-31,100,0,active,1\nB,2024-01-31,50,0,active,2\n' +
        'C,2024-01-31,90,40,active,late\n',
    );
    const duck = await duckdbBackend({ chunkRows: 2, attachBy: 'js' });
    try {
      await expect(duck.attach('loan_months', { path })).rejects.toMatchObject({
        code: 'bad_input',
        message: expect.stringMatching(/typed differently/),
      });
      expect(await duck.datasets()).toEqual([]);
    } finally {
      await duck.close();
    }
  });
});
