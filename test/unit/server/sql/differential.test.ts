/**
 * Differential suite, memory vs DuckDB: every metric compiled to SQL × its documented param
 * variants (bad ones too) × filters (eq, in, range, date range, date parts, joined fields through
 * loans and customers, null in lists, an unresolvable field, policy clauses), on the seeded sample
 * (200 customers) and on the Taiwan credit-default data (real, 10,000 loans × 6 months). Answers
 * must be identical JSON (numbers within 1e-9 relative), errors the same code and param. Hostile
 * strings (XSS / SQL injection) in filters, params and dataset names give the same typed errors
 * or empty answers, never a SQL failure. Prints comparisons and mismatches. The same cases run
 * against the 2-shard ClickHouse cluster in differential-clickhouse.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../../../src/data/sample.js';
import type { IngestInput } from '../../../../src/data/ingest.js';
import type { FilterClause } from '../../../../src/engine/types.js';
import { metricIds } from '../../../../src/engine/metrics/index.js';
import type { Backend } from '../../../../src/server/backend.js';
import { duckdbBackend } from '../../../../src/server/duckdb.js';
import { memoryBackend } from '../../../../src/server/memory.js';
import { COMPILED } from '../../../../src/server/sql/registry.js';
import {
  compareAll,
  hostileCases,
  newTally,
  policyCases,
  report,
  sampleFilters,
  taiwanBook,
  taiwanCases,
  variantCases,
} from './cases.js';
import { outcome } from './compare.js';

describe('memory vs DuckDB on the seeded sample (200 customers)', () => {
  let mem: Backend;
  let duck: Backend;
  let filters: FilterClause[][];
  beforeAll(async () => {
    const sample = generateSample({ customers: 200, seed: 7 });
    mem = memoryBackend();
    duck = await duckdbBackend();
    for (const [name, cols] of Object.entries(sample)) {
      await mem.load(name, cols as IngestInput);
      await duck.load(name, cols as IngestInput);
    }
    filters = await sampleFilters(mem);
  }, 60_000);
  afterAll(async () => {
    await duck?.close();
  });

  it('every compiled metric × param variants × filters gives identical JSON', async () => {
    const tally = newTally();
    await compareAll(mem, duck, variantCases(filters), tally);
    report('duckdb sample × variants × filters', tally);
    expect(tally.comparisons).toBeGreaterThan(100);
    expect(tally.withRows).toBeGreaterThan(tally.comparisons / 2);
    expect(tally.errors).toBeGreaterThan(15);
    expect(tally.mismatches).toEqual([]);
  }, 600_000);

  it('policy clauses: applied everywhere, or forbidden on both when they cannot apply', async () => {
    const tally = newTally();
    const { reqs, nowhere } = await policyCases(mem);
    await compareAll(mem, duck, reqs, tally);
    report('duckdb policy clauses', tally);
    expect(tally.mismatches).toEqual([]);
    const forbidden = await outcome(duck, { metric: 'overdue_rate', filters: [nowhere] }, [nowhere]);
    expect(forbidden.ok ? 'answered' : forbidden.code).toBe('forbidden');
  }, 120_000);

  it('hostile strings in filters, params and dataset names: same typed errors or empty answers', async () => {
    const tally = newTally();
    await compareAll(mem, duck, hostileCases(), tally);
    report('duckdb hostile strings', tally);
    expect(tally.mismatches).toEqual([]);
    // The tables are intact afterwards.
    expect((await duck.query({ metric: 'bucket_trend' })).data.length).toBeGreaterThan(0);
  }, 120_000);

  it('a metric not compiled yet answers the typed `unsupported` error, never a number', async () => {
    const missing = metricIds().filter((m) => !Object.hasOwn(COMPILED, m));
    for (const metric of missing) {
      const o = await outcome(duck, { metric });
      expect(o.ok ? 'answered' : o.code, metric).toBe('unsupported');
    }
  });
});

describe('memory vs DuckDB on real data (Taiwan credit default, 10,000 loans × 6 months)', () => {
  let mem: Backend;
  let duck: Backend;
  beforeAll(async () => {
    const data = taiwanBook();
    expect(data.clients).toBeGreaterThanOrEqual(9_999);
    mem = memoryBackend();
    duck = await duckdbBackend();
    for (const b of [mem, duck]) {
      await b.load('loans', data.loans as unknown as IngestInput);
      await b.load('loan_months', data.loan_months as unknown as IngestInput);
    }
  }, 60_000);
  afterAll(async () => {
    await duck?.close();
  });

  it('compiled metrics agree on the real book', async () => {
    const tally = newTally();
    await compareAll(mem, duck, await taiwanCases(mem), tally);
    report('duckdb taiwan', tally);
    expect(tally.mismatches).toEqual([]);
  }, 300_000);
});
