/**
 * Differential suite for the customer metrics compiled to SQL (rfm, cohort, churn) on real data:
 * the Taiwan credit-default book (10,000 card holders × 6 months) read as payment activity — a
 * loan's months with a payment are its events (`where paid_amount > 0`), the payment its amount.
 * Memory vs DuckDB, and vs ClickHouse 18.16 single node and 2-shard cluster when available
 * (started here on free 127.0.0.1 ports). Identical JSON (numbers within 1e-9 relative), basis
 * and typed errors; prints comparisons and mismatches. The seeded sample's transactions run
 * through the shared suites (variants-sql-cust.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInput } from '../../../../src/data/ingest.js';
import { generateSample } from '../../../../src/data/sample.js';
import type { FilterClause } from '../../../../src/engine/types.js';
import type { Backend } from '../../../../src/server/backend.js';
import { clickhouseBackend } from '../../../../src/server/clickhouse.js';
import { duckdbBackend } from '../../../../src/server/duckdb.js';
import { CN8_ORDER } from '../../../../src/engine/metrics/rfm.js';
import { memoryBackend } from '../../../../src/server/memory.js';
import { serve } from '../helpers.js';
import type { Case } from './cases.js';
import { compareAll, newTally, report, taiwanBook } from './cases.js';
import type { Cluster } from './clickhouse-cluster.js';
import { clickhouseUnavailable, startCluster } from './clickhouse-cluster.js';

const paid = { field: 'paid_amount', op: 'range', value: [0.01, null] } as FilterClause;
const loanEvents = { entity: 'loan_id', dateField: 'snapshot_date', where: [paid] };

/** Customer metrics over loan months × params × filters (own, date-part and joined fields). */
function realCases(): Case[] {
  const variants: Record<string, Array<Record<string, unknown>>> = {
    rfm: [
      { ...loanEvents, amountField: 'paid_amount', windowDays: 92 },
      { ...loanEvents, amountField: 'paid_amount', scheme: 'rf10', includeCustomers: true, limit: 50 },
      { ...loanEvents, amountField: 'paid_amount', threshold: 'mean-score', members: CN8_ORDER },
      {
        ...loanEvents,
        amountField: 'paid_amount',
        threshold: 'mean-value',
        monetary: 'mean',
        asOf: '2005-08-31',
      },
      { ...loanEvents, amountField: 'outstanding', entity: 'customer_id', windowDays: 60 },
    ],
    cohort: [
      loanEvents,
      { ...loanEvents, value: 'amount', amountField: 'paid_amount', leftCensored: 'exclude' },
      { ...loanEvents, cumulative: true, unit: 'quarter' },
      { ...loanEvents, unit: 'week', value: 'count' },
    ],
    churn: [
      { ...loanEvents, inactiveDays: 40 },
      { ...loanEvents, inactiveDays: 20, asOf: '2005-09-15' },
      { ...loanEvents, inactiveDays: 65 },
    ],
  };
  const filters: FilterClause[][] = [
    [],
    [{ field: 'snapshot_date.month', op: 'range', value: ['2005-05', '2005-08'] }],
    [{ field: 'dpd', op: 'in', value: [0, 30, null] }],
    [{ field: 'principal', op: 'range', value: [50000, 200000] }],
  ];
  const out: Case[] = [];
  for (const [metric, vs] of Object.entries(variants))
    for (const params of vs)
      for (const f of filters) out.push({ req: { metric, source: 'loan_months', params, filters: f } });
  return out;
}

async function loaded(b: Backend, data: ReturnType<typeof taiwanBook>): Promise<Backend> {
  await b.load('loans', data.loans as unknown as IngestInput);
  await b.load('loan_months', data.loan_months as unknown as IngestInput);
  return b;
}

describe('customer metrics on real data (Taiwan payments): memory vs DuckDB', () => {
  let mem: Backend;
  let duck: Backend;
  const data = taiwanBook();
  beforeAll(async () => {
    mem = await loaded(memoryBackend(), data);
    duck = await loaded(await duckdbBackend(), data);
  }, 60_000);
  afterAll(async () => {
    await duck?.close();
  });

  it('rfm, cohort and churn agree', async () => {
    const tally = newTally();
    await compareAll(mem, duck, realCases(), tally);
    report('duckdb customer metrics on taiwan', tally);
    expect(tally.withRows).toBeGreaterThan(tally.comparisons * 0.9);
    expect(tally.mismatches).toEqual([]);
  }, 180_000);

  it('rfm detail lists through the handler: the detail permission, then the rows limit', async () => {
    const req = {
      metric: 'rfm',
      source: 'loan_months',
      params: { ...loanEvents, amountField: 'paid_amount', members: CN8_ORDER },
    };
    const direct = (await mem.query(req)).meta as { members: string[] };
    expect(direct.members.length).toBeGreaterThan(100);
    const noDetail = await serve({ backend: duck });
    const detail = await serve({ backend: duck, anonymous: { detail: true }, limits: { rows: 100_000 } });
    const small = await serve({ backend: duck, anonymous: { detail: true }, limits: { rows: 100 } });
    try {
      const denied = await noDetail.call({ op: 'query', req });
      expect(denied.status).toBe(403);
      expect((denied.body as { error?: { code?: string } }).error?.code).toBe('forbidden');
      const ok = await detail.call({ op: 'query', req });
      expect(ok.status).toBe(200);
      expect((ok.body as { value: { meta: { members: string[] } } }).value.meta.members).toEqual(
        direct.members,
      );
      const big = await small.call({ op: 'query', req });
      expect((big.body as { error?: { code?: string } }).error?.code).toBe('too_large');
    } finally {
      await Promise.all([noDetail.close(), detail.close(), small.close()]);
    }
  }, 60_000);
});

describe('customer metrics on other sources and joined entities (seeded sample): memory vs DuckDB', () => {
  it('rfm, cohort and churn agree with an entity read through key links', async () => {
    const sample = generateSample({ customers: 200, seed: 7 });
    const mem = memoryBackend();
    const duck = await duckdbBackend();
    try {
      for (const [name, cols] of Object.entries(sample)) {
        await mem.load(name, cols as IngestInput);
        await duck.load(name, cols as IngestInput);
      }
      const months = { dateField: 'snapshot_date', amountField: 'paid_amount' };
      const reqs: Case[] = [
        {
          metric: 'rfm',
          source: 'loan_months',
          params: { ...months, entity: 'customer_id', members: CN8_ORDER },
        },
        {
          metric: 'rfm',
          source: 'loan_months',
          params: { ...months, entity: 'region', includeCustomers: true },
        },
        {
          metric: 'rfm',
          source: 'collection_actions',
          params: {
            entity: 'collector_id',
            dateField: 'action_time',
            amountField: 'paid_amount',
            members: CN8_ORDER,
          },
        },
        {
          metric: 'cohort',
          source: 'loan_months',
          params: { entity: 'customer_id', dateField: 'snapshot_date' },
        },
        {
          metric: 'churn',
          source: 'loan_months',
          params: { entity: 'customer_id', dateField: 'snapshot_date', inactiveDays: 31 },
        },
      ].map((req) => ({ req }));
      const tally = newTally();
      await compareAll(mem, duck, reqs, tally);
      report('duckdb customer metrics, joined entities', tally);
      expect(tally.withRows).toBe(reqs.length);
      expect(tally.mismatches).toEqual([]);
    } finally {
      await duck.close();
    }
  }, 120_000);
});

const missing = clickhouseUnavailable();
describe.runIf(missing === null)(
  'customer metrics on real data: memory vs ClickHouse single and 2-shard',
  () => {
    let cluster: Cluster;
    let mem: Backend;
    const data = taiwanBook();
    beforeAll(async () => {
      cluster = await startCluster(2, 'finboard');
      mem = await loaded(memoryBackend(), data);
    }, 90_000);
    afterAll(async () => {
      await cluster?.stop();
    });

    for (const mode of ['single', 'cluster'] as const) {
      it(`rfm, cohort and churn agree (${mode})`, async () => {
        const ch = await clickhouseBackend({
          url: cluster.urls[0]!,
          database: `cust_${mode}`,
          ...(mode === 'cluster' ? { cluster: cluster.name, shardUrls: cluster.urls } : {}),
        });
        try {
          await loaded(ch, data);
          const tally = newTally();
          await compareAll(mem, ch, realCases(), tally, 4);
          report(`clickhouse ${mode} customer metrics on taiwan`, tally);
          expect(tally.withRows).toBeGreaterThan(tally.comparisons * 0.9);
          expect(tally.mismatches).toEqual([]);
        } finally {
          await ch.close();
        }
      }, 240_000);
    }
  },
);
