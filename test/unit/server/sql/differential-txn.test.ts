/**
 * Differential suite of the transaction / generic metrics compiled to SQL (KPI measures over rows,
 * `distinct`) beyond their default sources: every other dataset of the seeded sample, joined
 * fields in measures and lists, every sample filter set, policy clauses, and the real datasets
 * (Taiwan credit default as loans × months, Bank Marketing calls as funnel events). Memory vs
 * DuckDB, then memory vs the 2-shard ClickHouse cluster (started here; skipped locally when
 * ClickHouse is missing and not installable, as the main ClickHouse suite does). Prints
 * comparisons and mismatches.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankFunnelEvents } from '../../../../src/data/real/bank-marketing.js';
import { generateSample } from '../../../../src/data/sample.js';
import type { IngestInput } from '../../../../src/data/ingest.js';
import type { FilterClause } from '../../../../src/engine/types.js';
import type { Backend } from '../../../../src/server/backend.js';
import { clickhouseBackend } from '../../../../src/server/clickhouse.js';
import { duckdbBackend } from '../../../../src/server/duckdb.js';
import { memoryBackend } from '../../../../src/server/memory.js';
import type { Case } from './cases.js';
import { compareAll, newTally, report, sampleFilters, taiwanBook } from './cases.js';
import { TXN_VARIANTS } from './variants-sql-txn.js';
import type { Cluster } from './clickhouse-cluster.js';
import { clickhouseUnavailable, startCluster } from './clickhouse-cluster.js';
import { outcome } from './compare.js';

const kpi = (source: string, params: Record<string, unknown>): Case['req'] => ({
  metric: 'kpi',
  source,
  params,
});
const dist = (source: string, field: string, more: Record<string, unknown> = {}): Case['req'] => ({
  metric: 'distinct',
  source,
  params: { field, ...more },
});
const hm = (source: string, params: Record<string, unknown>): Case['req'] => ({
  metric: 'heatmap',
  source,
  params,
});
const overdue = {
  ratio: [
    { agg: 'sum', field: 'outstanding', where: [{ field: 'dpd', op: 'range', value: [1, null] }] },
    { agg: 'sum', field: 'outstanding' },
  ],
};

/** Requests on the sample's other datasets (each meets every filter set). */
const SAMPLE_REQS: Array<Case['req']> = [
  kpi('loan_months', { measure: { agg: 'sum', field: 'outstanding' }, stock: true }),
  kpi('loan_months', { measure: overdue, stock: true, sparkline: { unit: 'quarter', points: 4 } }),
  kpi('loan_months', { measure: { agg: 'distinct', field: 'loan_id' }, compare: 'year-ago' }),
  kpi('loan_months', {
    measure: { agg: 'distinct', field: 'loan_id' },
    stock: true,
    sparkline: { points: 8 },
  }),
  kpi('loan_months', {
    measure: { agg: 'mean', field: 'dpd', where: [{ field: 'region', op: 'in', value: ['华东', null] }] },
  }),
  kpi('loan_months', {
    measure: { agg: 'count', field: 'product' },
    dateField: 'issue_date',
    period: { unit: 'year' },
  }),
  kpi('collection_actions', { measure: { ratio: [{ agg: 'sum', field: 'contacted' }, { agg: 'count' }] } }),
  kpi('collection_actions', { measure: { agg: 'sum', field: 'ptp_amount' }, dateField: 'ptp_due_date' }),
  kpi('collection_actions', {
    measure: { agg: 'distinct', field: 'collector_id' },
    period: { unit: 'week' },
  }),
  kpi('customers', { measure: { agg: 'sum', field: 'aum' }, period: { unit: 'year', length: 2 } }),
  kpi('loans', {
    measure: { agg: 'sum', field: 'principal', where: [{ field: 'risk_grade', op: 'eq', value: 'A' }] },
  }),
  kpi('loans', { measure: { agg: 'max', field: 'annual_rate' }, stock: true, period: { unit: 'quarter' } }),
  kpi('transactions', {
    measure: { agg: 'sum', field: 'amount', where: [{ field: 'segment', op: 'eq', value: '大众客户' }] },
  }),
  kpi('funnel_events', {
    measure: { agg: 'distinct', field: 'user_id' },
    period: { unit: 'week', length: 4 },
  }),
  kpi('campaign_spend', { measure: { agg: 'sum', field: 'spend' }, period: { unit: 'day', length: 7 } }),
  hm('loan_months', {
    x: { field: 'snapshot_date', part: 'month' },
    y: { field: 'product' },
    measure: overdue,
    stock: true,
  }),
  hm('loan_months', { x: { field: 'dpd', bins: { thresholds: [1, 30, 60, 90] } }, y: { field: 'region' } }),
  hm('loan_months', {
    x: { field: 'outstanding', bins: { step: 20000 } },
    y: { field: 'status' },
    measure: { agg: 'distinct', field: 'loan_id' },
  }),
  hm('loan_months', {
    x: { field: 'issue_date', part: 'day' },
    y: { field: 'channel' },
    measure: { agg: 'sum', field: 'outstanding' },
  }),
  hm('loan_months', {
    x: { field: 'term_months' },
    y: { field: 'segment', maxCategories: 2 },
    stock: true,
    measure: { agg: 'count' },
  }),
  hm('collection_actions', { preset: 'contact-rate-weekday-hour' }),
  hm('collection_actions', {
    x: { field: 'team' },
    y: { field: 'channel' },
    measure: { agg: 'sum', field: 'paid_amount' },
  }),
  hm('loans', {
    x: { field: 'issue_date', part: 'month' },
    y: { field: 'risk_grade' },
    measure: { agg: 'mean', field: 'annual_rate' },
  }),
  hm('customers', {
    x: { field: 'birth_year', bins: { step: 10 } },
    y: { field: 'gender' },
    measure: { agg: 'sum', field: 'aum' },
  }),
  {
    metric: 'fund_flow',
    source: 'collection_actions',
    params: { amountField: 'paid_amount', directionField: 'channel', by: 'team' },
  },
  { metric: 'fund_flow', params: { by: 'risk_grade', unit: 'quarter' } },
  {
    metric: 'sankey',
    source: 'collection_actions',
    params: { left: 'channel', right: 'team', amountField: 'paid_amount', directionField: 'channel' },
  },
  { metric: 'sankey', params: { middle: 'segment', top: 4 } },
  dist('transactions', 'category'),
  dist('transactions', 'txn_time.hour', { order: 'value' }),
  dist('transactions', 'cross_border'),
  dist('transactions', 'amount', { limit: 20 }),
  dist('transactions', 'region'),
  dist('transactions', 'txn_time.month', { order: 'value' }),
  dist('customers', 'city', { limit: 4 }),
  dist('customers', 'birth_year', { order: 'value' }),
  dist('loans', 'channel'),
  dist('loans', 'risk_grade'),
  dist('loans', 'issue_date.month', { order: 'value', limit: 6 }),
  dist('collection_actions', 'team'),
  dist('collection_actions', 'contacted'),
  dist('collection_actions', 'ptp_due_date.day', { limit: 15 }),
  dist('funnel_events', 'stage'),
  dist('campaign_spend', 'campaign', { order: 'value' }),
  dist('no_such_dataset', 'region'),
];

/** Requests on the real datasets (each meets every filter set given). */
const TAIWAN_REQS: Array<Case['req']> = [
  kpi('loan_months', { measure: overdue, stock: true }),
  kpi('loan_months', {
    measure: { agg: 'distinct', field: 'loan_id', where: [{ field: 'dpd', op: 'range', value: [30, null] }] },
  }),
  kpi('loan_months', { measure: { agg: 'mean', field: 'dpd' }, sparkline: { unit: 'month', points: 6 } }),
  kpi('loans', { measure: { agg: 'sum', field: 'principal' }, dateField: 'issue_date' }),
  hm('loan_months', { preset: 'overdue-region-month', y: { field: 'product' } }),
  hm('loan_months', {
    x: { field: 'snapshot_date', part: 'month' },
    y: { field: 'dpd', bins: { thresholds: [1, 30, 60] } },
    measure: { agg: 'sum', field: 'outstanding' },
    stock: true,
  }),
  hm('loans', { x: { field: 'principal', bins: { step: 100000 } }, y: { field: 'product' } }),
  dist('loan_months', 'dpd', { order: 'value' }),
  dist('loan_months', 'snapshot_date.month'),
  dist('loans', 'product'),
  dist('loan_months', 'product'),
];
const BANK_REQS: Array<Case['req']> = [
  kpi('funnel_events', {
    measure: { agg: 'distinct', field: 'user_id' },
    sparkline: { unit: 'month', points: 12 },
  }),
  kpi('funnel_events', {
    measure: { agg: 'count', where: [{ field: 'stage', op: 'eq', value: 'Subscribed' }] },
    compare: 'year-ago',
  }),
  hm('funnel_events', {
    x: { field: 'event_time', part: 'month' },
    y: { field: 'stage' },
    measure: { agg: 'distinct', field: 'user_id' },
  }),
  hm('funnel_events', { x: { field: 'channel' }, y: { field: 'event_time', part: 'dow' } }),
  dist('funnel_events', 'campaign', { order: 'value' }),
  dist('funnel_events', 'channel'),
  dist('funnel_events', 'event_time.dow'),
];

const cross = (reqs: Array<Case['req']>, filters: FilterClause[][]): Case[] =>
  reqs.flatMap((req) => filters.map((f) => ({ req: { ...req, filters: f } })));

function bankEvents(): unknown[] {
  const file = new URL('../../../../datasets/bank_marketing/bank-full.csv.gz', import.meta.url);
  const text = gunzipSync(readFileSync(file)).toString('utf8').split('\n').slice(0, 8_001).join('\n');
  return bankFunnelEvents(text);
}

const TAIWAN_FILTERS: FilterClause[][] = [
  [],
  [{ field: 'issue_date', op: 'range', value: [null, '2005-04'] }],
  [{ field: 'snapshot_date.month', op: 'range', value: ['2005-06', null] }],
  [{ field: 'dpd', op: 'in', value: [0, null] }],
];
const BANK_FILTERS: FilterClause[][] = [
  [],
  [{ field: 'channel', op: 'eq', value: 'cellular' }],
  [{ field: 'event_time', op: 'range', value: ['2008-06', '2009-03'] }],
  [{ field: 'event_time.hour', op: 'in', value: [9] }],
];

/** The whole suite against one SQL backend factory (`db` names a fresh database). */
function suite(label: string, open: (db: string) => Promise<Backend>): void {
  let mem: Backend;
  let other: Backend;
  let filters: FilterClause[][];
  const opened: Backend[] = [];
  beforeAll(async () => {
    const sample = generateSample({ customers: 200, seed: 7 });
    mem = memoryBackend();
    other = await open('txn_sample');
    opened.push(other);
    for (const [name, cols] of Object.entries(sample)) {
      await mem.load(name, cols as IngestInput);
      await other.load(name, cols as IngestInput);
    }
    filters = await sampleFilters(mem);
  }, 120_000);
  afterAll(async () => {
    for (const b of opened) await b.close();
  });

  it('KPI, heatmap, fund flow, sankey and distinct on every sample dataset × every filter set', async () => {
    const tally = newTally();
    await compareAll(mem, other, cross(SAMPLE_REQS, filters), tally, 2);
    report(`${label} txn sample`, tally);
    expect(tally.comparisons).toBeGreaterThan(400);
    expect(tally.withRows).toBeGreaterThan(tally.comparisons / 2);
    expect(tally.mismatches).toEqual([]);
  }, 300_000);

  it('every documented param variant (bad ones too) of these metrics × filters', async () => {
    const tally = newTally();
    const reqs: Case[] = [];
    for (const [metric, variants] of Object.entries(TXN_VARIANTS))
      variants.forEach((params, v) => {
        for (const f of v < 3 ? filters : filters.slice(0, 2))
          reqs.push({ req: { metric, params, filters: f } });
      });
    await compareAll(mem, other, reqs, tally, 2);
    report(`${label} txn variants`, tally);
    expect(tally.withRows).toBeGreaterThan(tally.comparisons / 3);
    expect(tally.errors).toBeGreaterThan(60);
    expect(tally.mismatches).toEqual([]);
  }, 600_000);

  it('distinct applies the row-level policy, or is forbidden where it cannot', async () => {
    const region = { field: 'region', op: 'eq', value: '华东' } as FilterClause;
    const nowhere = { field: 'collector_team', op: 'eq', value: 'A' } as FilterClause;
    const tally = newTally();
    const reqs: Case[] = [
      ...['transactions', 'loans', 'loan_months', 'customers'].map((s) => ({
        req: { ...dist(s, 'channel'), filters: [region] },
        required: [region],
      })),
      { req: { ...dist('loan_months', 'region'), filters: [nowhere] }, required: [nowhere] },
      { req: { ...dist('funnel_events', 'stage'), filters: [region] }, required: [region] },
    ];
    await compareAll(mem, other, reqs, tally);
    report(`${label} txn policy`, tally);
    expect(tally.mismatches).toEqual([]);
    const f = await outcome(other, { ...dist('funnel_events', 'stage'), filters: [region] }, [region]);
    expect(f.ok ? 'answered' : f.code).toBe('forbidden');
    // Only the policy's region is listed.
    const only = await outcome(other, { ...dist('transactions', 'region'), filters: [region] }, [region]);
    expect(only.ok && (only.value as { data: Array<{ value: string }> }).data.map((r) => r.value)).toEqual([
      '华东',
    ]);
  });

  it('real data: Taiwan credit default (loans × months) and Bank Marketing calls (funnel events)', async () => {
    const data = taiwanBook();
    const events = bankEvents();
    expect(events.length).toBeGreaterThan(8_000);
    const memR = memoryBackend();
    const otherR = await open('txn_real');
    opened.push(otherR);
    for (const b of [memR, otherR]) {
      await b.load('loans', data.loans as unknown as IngestInput);
      await b.load('loan_months', data.loan_months as unknown as IngestInput);
      await b.load('funnel_events', events as IngestInput);
    }
    const tally = newTally();
    await compareAll(
      memR,
      otherR,
      [...cross(TAIWAN_REQS, TAIWAN_FILTERS), ...cross(BANK_REQS, BANK_FILTERS)],
      tally,
      2,
    );
    report(`${label} txn real`, tally);
    expect(tally.withRows).toBeGreaterThan(tally.comparisons / 2);
    expect(tally.mismatches).toEqual([]);
  }, 300_000);
}

describe('transaction / generic metrics: memory vs DuckDB', () => {
  suite('duckdb', () => duckdbBackend());
});

const missing = clickhouseUnavailable();
if (missing) console.log(`SKIP ClickHouse txn differential: ${missing}`);

describe.runIf(missing === null)(
  'transaction / generic metrics: memory vs ClickHouse 2-shard cluster',
  () => {
    let cluster: Cluster | undefined;
    beforeAll(async () => {
      cluster = await startCluster(2, 'finboard');
    }, 90_000);
    afterAll(async () => {
      await cluster?.stop();
    });
    suite('clickhouse', async (db) =>
      clickhouseBackend({
        url: cluster!.urls[0]!,
        database: db,
        cluster: cluster!.name,
        shardUrls: cluster!.urls,
      }),
    );
  },
);
