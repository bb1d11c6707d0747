/**
 * Filters on a `loans` field as loan-code ranges (key-ranges.ts): used only when exact, and every
 * answer identical to memory's either way. Two DuckDB files hold the seeded sample: one published
 * loans first (its codes follow region, then product: consecutive per group), one published
 * loan_months first (codes in loan_months' order: not consecutive per region). The compiled SQL is
 * read back through `runCompiled` on each file, so the test sees whether `loans` was joined.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../../../src/data/sample.js';
import type { IngestInput } from '../../../../src/data/ingest.js';
import type { FilterClause, QueryRequest } from '../../../../src/engine/types.js';
import type { Backend } from '../../../../src/server/backend.js';
import { duckdbBackend } from '../../../../src/server/duckdb.js';
import { memoryBackend } from '../../../../src/server/memory.js';
import type { Exec } from '../../../../src/server/sql/collection.js';
import { keyRanges } from '../../../../src/server/sql/key-ranges.js';
import type { Catalog } from '../../../../src/server/sql/scope.js';
import { DUCKDB, render } from '../../../../src/server/sql/sql.js';
import { runCompiled } from '../../../../src/server/sql/stored.js';
import { compareOutcomes, outcome } from './compare.js';
import type { Outcome } from './compare.js';
import { openDuckFile } from './duck-file.js';

interface Opened {
  catalog: Catalog;
  exec: Exec;
  texts: string[];
  close(): void;
}

const sample = generateSample({ customers: 200, seed: 7 });
const dir = mkdtempSync(join(tmpdir(), 'finboard-ranges-'));

/** A DuckDB file with the sample published in `order`; its catalog and a recording exec. */
async function build(file: string, order: string[]): Promise<Opened> {
  const path = join(dir, file);
  const b = await duckdbBackend({ path, keepPrepared: false });
  for (const name of order) await b.load(name, sample[name as keyof typeof sample] as unknown as IngestInput);
  const catalog = (b as unknown as { catalog: Catalog }).catalog;
  await b.close();
  const db = await openDuckFile(path);
  const texts: string[] = [];
  const exec: Exec = async (s) => {
    const { text, params } = render(s, DUCKDB);
    texts.push(text);
    const rows = await db.run(text, params);
    for (const r of rows) for (const k of Object.keys(r)) if (typeof r[k] === 'bigint') r[k] = Number(r[k]);
    return rows;
  };
  return {
    catalog,
    exec,
    texts,
    close: () => db.close(),
  };
}

describe('filters on a loans field as loan-code ranges', () => {
  let mem: Backend;
  let clustered: Opened;
  let scattered: Opened;
  const names = Object.keys(sample);
  beforeAll(async () => {
    mem = memoryBackend();
    for (const [name, cols] of Object.entries(sample)) await mem.load(name, cols as IngestInput);
    const rest = names.filter((n) => n !== 'loans' && n !== 'loan_months');
    clustered = await build('clustered.duckdb', ['loans', 'loan_months', ...rest]);
    scattered = await build('scattered.duckdb', ['loan_months', 'loans', ...rest]);
  }, 120_000);
  afterAll(() => {
    clustered?.close();
    scattered?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const loansTable = (o: Opened): string => o.catalog.get('loans')!.table;
  /**
   * The answer on one file, the statements it ran, and whether any of them read `loans` (the
   * ranges' own query on loans is not among them: each test asks `keyRanges` first, and the
   * answer is kept per published loans table).
   */
  async function run(o: Opened, req: QueryRequest) {
    o.texts.length = 0;
    let value: Outcome;
    try {
      value = {
        ok: true,
        value: JSON.parse(JSON.stringify(await runCompiled('duckdb', o.catalog, req, {}, o.exec))),
      };
    } catch (e) {
      const err = e as { code?: string; details?: Record<string, unknown>; message?: string };
      value = {
        ok: false,
        code: err.code ?? 'thrown',
        param: err.details?.['param'],
        message: String(err.message),
      };
    }
    const joined = o.texts.some((t) => t.includes(`"${loansTable(o)}"`));
    return { value, joined, texts: [...o.texts] };
  }

  const regions = [...new Set((sample.loans.region as unknown[]).map(String))].sort();
  const products = [...new Set((sample.loans.product as unknown[]).map(String))].sort();
  const clauses: FilterClause[] = [
    { field: 'region', op: 'in', value: [regions[0]!] },
    { field: 'region', op: 'in', value: [regions[1]!, regions[2]!] },
    { field: 'product', op: 'eq', value: products[0]! },
    { field: 'region', op: 'in', value: ['no such region'] },
  ];

  it('consecutive codes: a region or product clause is a few ranges, and loans is not joined', async () => {
    const r = await keyRanges(clustered.catalog, clauses, clustered.exec);
    expect(r.get(JSON.stringify(clauses[0]))).toHaveLength(1);
    expect(r.get(JSON.stringify(clauses[1]))!.length).toBeLessThanOrEqual(2);
    expect(r.get(JSON.stringify(clauses[2]))!.length).toBeLessThanOrEqual(regions.length);
    expect(r.get(JSON.stringify(clauses[3]))).toEqual([]);
    for (const c of clauses) {
      for (const metric of ['overdue_rate', 'vintage', 'flow_rate']) {
        const req: QueryRequest = { metric, filters: [c] };
        const got = await run(clustered, req);
        expect(got.joined, `${metric} ${JSON.stringify(c)} joined loans`).toBe(metric === 'vintage');
        const m = await outcome(mem, req);
        expect(compareOutcomes(m, got.value), `${metric} ${JSON.stringify(c)}`).toBeNull();
      }
    }
  }, 120_000);

  it('codes not consecutive per group, a null value, a range: the clause keeps its join', async () => {
    const r = await keyRanges(scattered.catalog, clauses.slice(0, 3), scattered.exec);
    expect(r.size).toBe(0);
    const other: FilterClause[] = [
      { field: 'region', op: 'in', value: [regions[0]!, null] },
      { field: 'region', op: 'range', value: [regions[0]!, regions[1]!] },
    ];
    expect((await keyRanges(clustered.catalog, other, clustered.exec)).size).toBe(0);
    for (const [o, c] of [
      [scattered, clauses[0]!],
      [scattered, clauses[2]!],
      [clustered, other[0]!],
      [clustered, other[1]!],
    ] as const) {
      const req: QueryRequest = { metric: 'overdue_rate', filters: [c] };
      const got = await run(o, req);
      expect(compareOutcomes(await outcome(mem, req), got.value), JSON.stringify(c)).toBeNull();
      expect(got.joined).toBe(true);
    }
  }, 120_000);
});
