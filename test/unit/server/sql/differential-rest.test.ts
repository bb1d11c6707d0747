/**
 * Differential suite of `funnel`, `collector_performance` and `txn_alerts` compiled to SQL, and of
 * the load's rejections (`quality.load`) on every SQL backend: every documented param variant (bad
 * ones included) × each metric's filter sets (eq, in with null, ranges, date parts, joined fields)
 * on the seeded sample, row-level policy clauses, hostile strings in params and filters, and the
 * real data (Bank Marketing calls as funnel events). Memory vs DuckDB, then memory vs the 2-shard
 * ClickHouse cluster (started here; skipped locally when ClickHouse is missing and not
 * installable). Prints comparisons and mismatches.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankFunnelEvents, bankFunnelParams } from '../../../../src/data/real/bank-marketing.js';
import { generateSample } from '../../../../src/data/sample.js';
import type { IngestInput } from '../../../../src/data/ingest.js';
import type { FilterClause } from '../../../../src/engine/types.js';
import type { Backend } from '../../../../src/server/backend.js';
import { clickhouseBackend } from '../../../../src/server/clickhouse.js';
import { duckdbBackend } from '../../../../src/server/duckdb.js';
import { memoryBackend } from '../../../../src/server/memory.js';
import { XSS_PAYLOADS } from '../../../fixtures/xss.js';
import type { Case } from './cases.js';
import { compareAll, newTally, report } from './cases.js';
import type { Cluster } from './clickhouse-cluster.js';
import { clickhouseUnavailable, startCluster } from './clickhouse-cluster.js';
import { outcome } from './compare.js';
import { REST_VARIANTS } from './variants-sql-rest.js';

/** Filter sets per metric's source (each valid variant meets every set). */
const FILTERS: Record<string, FilterClause[][]> = {
  funnel: [
    [],
    [{ field: 'channel', op: 'eq', value: '抖音' }],
    [{ field: 'campaign', op: 'in', value: ['品牌常投', null, '老带新'] }],
    [{ field: 'event_time', op: 'range', value: ['2025-02', '2025-06-15'] }],
    [{ field: 'event_time.month', op: 'in', value: ['2025-03', '2025-04'] }],
    [{ field: 'event_time.hour', op: 'range', value: [8, 20] }],
    [{ field: 'event_time.dow', op: 'in', value: [1, 2, 3] }],
    [{ field: 'stage', op: 'in', value: ['曝光', '点击', '注册'] }],
    [{ field: 'region', op: 'eq', value: '华东' }],
    [
      { field: 'channel', op: 'in', value: ['抖音', '微信朋友圈', '百度搜索'] },
      { field: 'event_time', op: 'range', value: [null, '2025-05'] },
    ],
  ],
};

const BANK_FILTERS: FilterClause[][] = [
  [],
  [{ field: 'channel', op: 'eq', value: 'cellular' }],
  [{ field: 'event_time', op: 'range', value: ['2008-05-12', '2008-05-21'] }],
  [{ field: 'campaign', op: 'in', value: ['2008-05', '2008-07', null] }],
  [{ field: 'event_time.dow', op: 'in', value: [1, 5] }],
];

function bankEvents(): unknown[] {
  const file = new URL('../../../../datasets/bank_marketing/bank-full.csv.gz', import.meta.url);
  const text = gunzipSync(readFileSync(file)).toString('utf8').split('\n').slice(0, 8_001).join('\n');
  return bankFunnelEvents(text);
}

const HOSTILE = [
  ...XSS_PAYLOADS.slice(0, 6).map((p) => p.text),
  "'; DROP TABLE t1; --",
  "x' UNION SELECT * FROM duckdb_tables() --",
  "x\\' OR 1=1 --",
  "') FORMAT TabSeparated --",
  '$1',
  '\\',
  '\u0000',
];

/** Hostile strings as stage names, group fields, entities and filter values of each metric. */
function hostileCases(): Case[] {
  const reqs: Case[] = [];
  for (const s of HOSTILE) {
    reqs.push({ req: { metric: 'funnel', params: { stages: [s, '曝光', `${s}2`] } } });
    reqs.push({ req: { metric: 'funnel', params: { breakdown: s } } });
    reqs.push({ req: { metric: 'funnel', params: { entity: s, mode: 'loose' } } });
    reqs.push({ req: { metric: 'funnel', params: { where: [{ field: 'channel', op: 'eq', value: s }] } } });
    reqs.push({ req: { metric: 'funnel', filters: [{ field: 'campaign', op: 'range', value: [s, null] }] } });
    reqs.push({ req: { metric: 'funnel', filters: [{ field: s, op: 'in', value: [s] }] } });
    reqs.push({ req: { metric: 'funnel', source: s } });
  }
  return reqs;
}

/** The whole suite against one SQL backend factory (`db` names a fresh database). */
function suite(label: string, open: (db: string) => Promise<Backend>): void {
  let mem: Backend;
  let other: Backend;
  const opened: Backend[] = [];
  beforeAll(async () => {
    const sample = generateSample({ customers: 200, seed: 7 });
    mem = memoryBackend();
    other = await open('rest_sample');
    opened.push(other);
    for (const [name, cols] of Object.entries(sample)) {
      await mem.load(name, cols as IngestInput);
      await other.load(name, cols as IngestInput);
    }
  }, 120_000);
  afterAll(async () => {
    for (const b of opened) await b.close();
  });

  it('every documented param variant (bad ones too) × filters on the sample', async () => {
    const tally = newTally();
    const reqs: Case[] = [];
    for (const [metric, variants] of Object.entries(REST_VARIANTS)) {
      const filters = FILTERS[metric] ?? [[]];
      variants.forEach((params, v) => {
        for (const f of v < 6 ? filters : filters.slice(0, 2))
          reqs.push({ req: { metric, params, filters: f } });
      });
    }
    await compareAll(mem, other, reqs, tally, 2);
    report(`${label} funnel/collector/alerts variants`, tally);
    expect(tally.withRows).toBeGreaterThan(tally.comparisons / 3);
    expect(tally.errors).toBeGreaterThan(10);
    expect(tally.mismatches).toEqual([]);
  }, 600_000);

  it('row-level policy clauses apply, or the query is forbidden where they cannot', async () => {
    const region = { field: 'region', op: 'eq', value: '华东' } as FilterClause;
    const channel = { field: 'channel', op: 'eq', value: '抖音' } as FilterClause;
    const reqs: Case[] = [
      { req: { metric: 'funnel', filters: [region] }, required: [region] },
      { req: { metric: 'funnel', filters: [channel] }, required: [channel] },
      {
        req: { metric: 'funnel', params: { breakdown: 'channel' }, filters: [channel] },
        required: [channel],
      },
    ];
    const tally = newTally();
    await compareAll(mem, other, reqs, tally);
    report(`${label} funnel/collector/alerts policy`, tally);
    expect(tally.mismatches).toEqual([]);
    // Funnel events carry no region: the policy clause refuses the query.
    const f = await outcome(other, { metric: 'funnel', filters: [region] }, [region]);
    expect(f.ok ? 'answered' : f.code).toBe('forbidden');
  }, 120_000);

  it('hostile strings in params, filters and dataset names: same typed errors or answers', async () => {
    const tally = newTally();
    await compareAll(mem, other, hostileCases(), tally, 2);
    report(`${label} funnel/collector/alerts hostile strings`, tally);
    expect(tally.mismatches).toEqual([]);
    expect((await other.query({ metric: 'funnel' })).data.length).toBeGreaterThan(0);
  }, 300_000);

  it('real data: Bank Marketing calls as funnel events (strict, loose, breakdowns)', async () => {
    const events = bankEvents();
    const memR = memoryBackend();
    const otherR = await open('rest_real');
    opened.push(otherR);
    for (const b of [memR, otherR]) await b.load('funnel_events', events as IngestInput);
    const base = bankFunnelParams();
    const variants = [
      base,
      { ...base, mode: 'loose' },
      { ...base, breakdown: 'channel' },
      { ...base, breakdown: 'campaign', windowDays: 1 / 48 },
      {},
    ];
    const reqs: Case[] = variants.flatMap((params) =>
      BANK_FILTERS.map((f) => ({ req: { metric: 'funnel', params, filters: f } })),
    );
    const tally = newTally();
    await compareAll(memR, otherR, reqs, tally, 2);
    report(`${label} funnel real (bank marketing)`, tally);
    expect(tally.withRows).toBeGreaterThan(tally.comparisons / 2);
    expect(tally.mismatches).toEqual([]);
  }, 300_000);

  it('rows rejected at load reach every answer (`quality.load`), as in memory', async () => {
    const memQ = memoryBackend();
    const otherQ = await open('rest_quality');
    opened.push(otherQ);
    const events = [
      { user_id: 'u1', event_time: '2025-01-02', stage: 'a', channel: 'x' },
      { user_id: 'u1', event_time: 'not a date', stage: 'b', channel: 'x' },
      { user_id: '', event_time: '2025-01-03', stage: 'b', channel: 'x' },
      { user_id: 'u2', event_time: '2025-01-04', stage: 'a', channel: 'y' },
      { user_id: 'u2', event_time: '2025-01-05', stage: 'b', channel: 'y' },
    ];
    for (const b of [memQ, otherQ]) await b.load('funnel_events', events as IngestInput);
    const req = { metric: 'funnel', params: { stages: ['a', 'b'] } };
    const m = await outcome(memQ, req);
    const s = await outcome(otherQ, req);
    expect(m.ok && (m.value as { quality: { load?: unknown } }).quality.load).toBeTruthy();
    expect(s).toEqual(m);
  }, 120_000);
}

describe('funnel, collector_performance, txn_alerts: memory vs DuckDB', () => {
  suite('duckdb', () => duckdbBackend());
});

const missing = clickhouseUnavailable();
if (missing) console.log(`SKIP ClickHouse funnel/collector/alerts differential: ${missing}`);

describe.runIf(missing === null)(
  'funnel, collector_performance, txn_alerts: memory vs ClickHouse 2-shard cluster',
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
