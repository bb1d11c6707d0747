/**
 * The DuckDB backend's contract beyond metric answers: PII masked at load exactly as the memory
 * engine masks it, quality reports identical, abort, unload, attach of an operator's CSV file,
 * typed errors for unknown metrics.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../../../src/data/sample.js';
import type { IngestInput } from '../../../../src/data/ingest.js';
import type { Backend } from '../../../../src/server/backend.js';
import { duckdbBackend } from '../../../../src/server/duckdb.js';
import { memoryBackend } from '../../../../src/server/memory.js';
import { serve } from '../helpers.js';
import { outcome } from './compare.js';

describe('duckdbBackend', () => {
  let duck: Backend & { catalog: Map<string, { table: string }> };
  let mem: ReturnType<typeof memoryBackend>;
  let dir: string;
  beforeAll(async () => {
    const s = generateSample({ customers: 40, seed: 3 });
    duck = (await duckdbBackend()) as typeof duck;
    mem = memoryBackend();
    for (const name of ['customers', 'loans', 'loan_months'] as const) {
      await duck.load(name, s[name] as IngestInput);
      await mem.load(name, s[name] as IngestInput);
    }
    dir = await mkdtemp(join(tmpdir(), 'finboard-duck-'));
  }, 60_000);
  afterAll(async () => {
    await duck?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('masks PII at load exactly like the memory engine, with the same quality report', async () => {
    const [d, m] = [await duck.datasets(), await mem.datasets()];
    const dc = d.find((x) => x.name === 'customers')!;
    const mc = m.find((x) => x.name === 'customers')!;
    expect(dc.masked).toBe(true);
    expect(dc.report).toEqual(mc.report);
    expect(dc.columns).toEqual(mc.columns);
    // The stored phone numbers are the masked strings memory holds (138****1234), never raw.
    const table = duck.catalog.get('customers')!.table;
    expect(table).toMatch(/^t\d+$/);
    const phones = mem.engine.dataset('customers')!.cols['phone'];
    expect(phones?.kind).toBe('cat');
    if (phones?.kind === 'cat') expect(phones.dict.every((p) => p.includes('*'))).toBe(true);
  });

  it('rejects an aborted query with `aborted`, an unknown metric with `unknown_metric`', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(duck.query({ metric: 'overdue_rate' }, { signal: ac.signal })).rejects.toMatchObject({
      code: 'aborted',
    });
    await expect(duck.query({ metric: 'no_such_metric' })).rejects.toMatchObject({ code: 'unknown_metric' });
  });

  it('attaches an operator CSV file and answers as memory does; unload drops it', async () => {
    const csv =
      'loan_id,snapshot_date,outstanding,dpd,status\nA,2024-01-31,100,0,active\nA,2024-02-29,90,15,active\nB,2024-01-31,50,0,active\nB,2024-02-29,0,0,closed\n';
    const path = join(dir, 'lm.csv');
    await writeFile(path, csv);
    await duck.attach('lm_file', { path });
    await mem.attach('lm_file', { path });
    const req = { metric: 'overdue_rate', source: 'lm_file' };
    const [a, b] = [await outcome(mem, req), await outcome(duck, req)];
    expect(b).toEqual(a);
    expect(b.ok && (b.value as { data: Array<{ rate: number }> }).data.map((r) => r.rate)).toEqual([0, 1]);
    const v = duck.version();
    await duck.unload('lm_file');
    expect(duck.version()).toBeGreaterThan(v);
    await expect(duck.query(req)).rejects.toMatchObject({ code: 'missing_dataset' });
  });

  it('serves the protocol through the hardened handler: answers, and a typed 501 for uncompiled metrics', async () => {
    const srv = await serve({ backend: duck });
    try {
      const ok = await srv.call({ op: 'query', req: { metric: 'overdue_rate', params: { by: 'region' } } });
      expect(ok.status).toBe(200);
      const direct = JSON.parse(
        JSON.stringify(await mem.query({ metric: 'overdue_rate', params: { by: 'region' } })),
      );
      expect(JSON.stringify(ok.body)).toContain(JSON.stringify(direct.data[0]));
      const no = await srv.call({ op: 'query', req: { metric: 'cluster', source: 'customers' } });
      expect(no.status).toBe(501);
      expect(no.text).toContain('unsupported');
      expect(no.text).not.toMatch(/SELECT|duckdb|t\d+\b/i);
    } finally {
      await srv.close();
    }
  });
});
