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
import { maskValue } from '../../../../src/data/mask.js';
import { XSS_PAYLOADS } from '../../../fixtures/xss.js';
import { serve } from '../helpers.js';
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
  collector_performance: [
    [],
    [{ field: 'team', op: 'eq', value: 'M1组' }],
    [{ field: 'channel', op: 'in', value: ['phone', 'visit', null] }],
    [{ field: 'action_time', op: 'range', value: ['2025-03', '2025-08-15'] }],
    [{ field: 'action_time.month', op: 'in', value: ['2025-02', '2025-05', '2025-09'] }],
    [{ field: 'action_time.hour', op: 'range', value: [9, 12] }],
    [{ field: 'action_time.dow', op: 'in', value: [1, 3, 5] }],
    [{ field: 'region', op: 'in', value: ['华东', '华北', null] }],
    [{ field: 'product', op: 'eq', value: '消费贷' }],
    [{ field: 'segment', op: 'eq', value: '大众客户' }],
    [{ field: 'contacted', op: 'eq', value: true }],
    [{ field: 'paid_amount', op: 'range', value: [1, null] }],
    [{ field: 'collector_id', op: 'in', value: ['C001', 'C015', 'C030'] }],
    [{ field: 'snapshot_date', op: 'range', value: ['2025-01', '2025-06'] }],
    [{ field: 'no_such_field', op: 'eq', value: 'x' }],
    [
      { field: 'team', op: 'in', value: ['M2组', 'M3+组'] },
      { field: 'action_time', op: 'range', value: [null, '2025-10'] },
    ],
  ],
  txn_alerts: [
    [],
    [{ field: 'region', op: 'in', value: ['华东', '华南', null] }],
    [{ field: 'segment', op: 'eq', value: '大众客户' }],
    [{ field: 'channel', op: 'in', value: ['手机银行', 'ATM', null] }],
    [{ field: 'txn_time', op: 'range', value: ['2025-02', '2025-09-15'] }],
    [{ field: 'txn_time.hour', op: 'range', value: [8, 20] }],
    [{ field: 'txn_time.dow', op: 'in', value: [6, 7] }],
    [{ field: 'direction', op: 'eq', value: 'out' }],
    [{ field: 'cash', op: 'eq', value: true }],
    [{ field: 'amount', op: 'range', value: [1000, null] }],
    [{ field: 'counterparty_type', op: 'in', value: ['company', 'platform'] }],
    [
      { field: 'region', op: 'eq', value: '华东' },
      { field: 'txn_time.month', op: 'range', value: ['2025-03', null] },
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
    reqs.push({ req: { metric: 'collector_performance', params: { level: s } } });
    reqs.push({ req: { metric: 'txn_alerts', params: { entity: s } } });
    reqs.push({ req: { metric: 'txn_alerts', params: { rules: [s] } } });
    reqs.push({
      req: {
        metric: 'txn_alerts',
        params: { thresholds: { cash: 3000 } },
        filters: [{ field: 'channel', op: 'in', value: [s, '柜面'] }],
      },
    });
    reqs.push({ req: { metric: 'collector_performance', filters: [{ field: 'team', op: 'eq', value: s }] } });
    reqs.push({
      req: { metric: 'collector_performance', filters: [{ field: 'region', op: 'in', value: [s, '华东'] }] },
    });
  }
  return reqs;
}

/** One hand-made collection action. */
function a(
  id: string,
  caseId: string | null,
  loan: string | null,
  collector: string,
  team: string | null,
  time: string,
  channel: string,
  more: Record<string, unknown>,
): Record<string, unknown> {
  return {
    action_id: id,
    case_id: caseId,
    loan_id: loan,
    collector_id: collector,
    team,
    action_time: time,
    channel,
    ...more,
  };
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
    const nowhere = { field: 'collector_team', op: 'eq', value: 'A' } as FilterClause;
    const phone = { field: 'channel', op: 'eq', value: 'phone' } as FilterClause;
    const reqs: Case[] = [
      { req: { metric: 'funnel', filters: [region] }, required: [region] },
      { req: { metric: 'funnel', filters: [channel] }, required: [channel] },
      {
        req: { metric: 'funnel', params: { breakdown: 'channel' }, filters: [channel] },
        required: [channel],
      },
      { req: { metric: 'collector_performance', filters: [region] }, required: [region] },
      {
        req: { metric: 'collector_performance', params: { level: 'team' }, filters: [region, phone] },
        required: [region],
      },
      { req: { metric: 'collector_performance', filters: [nowhere] }, required: [nowhere] },
    ];
    const tally = newTally();
    await compareAll(mem, other, reqs, tally);
    report(`${label} funnel/collector/alerts policy`, tally);
    expect(tally.mismatches).toEqual([]);
    // Funnel events carry no region: the policy clause refuses the query.
    const f = await outcome(other, { metric: 'funnel', filters: [region] }, [region]);
    expect(f.ok ? 'answered' : f.code).toBe('forbidden');
    // The collection team's region applies to the actions (through loan_id → loans) and to the
    // loan_months behind the assigned outstanding: smaller figures than the whole book.
    const all = await outcome(other, { metric: 'collector_performance', params: { level: 'team' } });
    const east = await outcome(
      other,
      { metric: 'collector_performance', params: { level: 'team' }, filters: [region] },
      [region],
    );
    const sum = (o: typeof all, k: string): number =>
      o.ok ? (o.value as { data: Array<Record<string, number>> }).data.reduce((s, r) => s + r[k]!, 0) : NaN;
    expect(sum(east, 'actions')).toBeGreaterThan(0);
    expect(sum(east, 'actions')).toBeLessThan(sum(all, 'actions'));
    expect(sum(east, 'assignedOutstanding')).toBeLessThan(sum(all, 'assignedOutstanding'));
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

  it('funnel on hand-made journeys: later starts, ties, first touch, stages out of order', async () => {
    const ev = (u: string, time: string, stage: string, channel: string | null): Record<string, unknown> => ({
      user_id: u,
      event_time: time,
      stage,
      channel,
      campaign: `k${u}`,
    });
    const events = [
      // u1: two starts in two channels; c only after 19 days (outside a 7-day window)
      ev('u1', '2025-01-01 10:00', 'a', 'X'),
      ev('u1', '2025-01-02 10:00', 'a', 'Y'),
      ev('u1', '2025-01-03 10:00', 'b', 'Y'),
      ev('u1', '2025-01-20 10:00', 'c', 'Y'),
      // u2: b before any a; two starts at the same instant (tie: label order); b and c at one instant
      ev('u2', '2025-01-01 09:00', 'b', 'Y'),
      ev('u2', '2025-01-05 09:00', 'a', 'Y'),
      ev('u2', '2025-01-05 09:00', 'a', 'X'),
      ev('u2', '2025-01-06 09:00', 'b', 'Z'),
      ev('u2', '2025-01-06 09:00', 'c', 'Z'),
      // u3: the later start goes deeper within the window
      ev('u3', '2025-01-01 00:00', 'a', 'Z'),
      ev('u3', '2025-01-10 00:00', 'a', 'Y'),
      ev('u3', '2025-01-12 00:00', 'c', 'X'),
      ev('u3', '2025-01-15 00:00', 'b', 'X'),
      // u4: no first stage (loose: attributed to its earliest event, ties by label)
      ev('u4', '2025-01-03 00:00', 'c', 'Y'),
      ev('u4', '2025-01-03 00:00', 'b', 'X'),
      // u5: no channel; u6: a stage not listed
      ev('u5', '2025-01-02 00:00', 'a', null),
      ev('u5', '2025-01-02 12:00', 'b', null),
      ev('u6', '2025-01-02 00:00', 'zzz', 'X'),
      // u7: first touch X, then Y, then X again (loose: the earliest stage-1 event decides)
      ev('u7', '2025-01-01 00:00', 'a', 'X'),
      ev('u7', '2025-01-02 00:00', 'a', 'Y'),
      ev('u7', '2025-01-03 00:00', 'a', 'X'),
      ev('u7', '2025-01-04 00:00', 'b', 'Y'),
    ];
    const m = memoryBackend();
    const b = await open('rest_funnel');
    opened.push(b);
    for (const x of [m, b]) await x.load('funnel_events', events as IngestInput);
    const variants: Array<Record<string, unknown>> = [];
    for (const mode of ['strict', 'loose'])
      for (const windowDays of [null, 7, 0.5])
        for (const breakdown of [null, 'channel'])
          variants.push({ stages: ['a', 'b', 'c'], mode, windowDays, breakdown });
    variants.push(
      {},
      { mode: 'loose', breakdown: 'channel' },
      { stages: ['c', 'b', 'a'], breakdown: 'channel' },
    );
    const reqs: Case[] = variants.flatMap((params) =>
      [[], [{ field: 'channel', op: 'in', value: ['X', 'Y'] }]].map((f) => ({
        req: { metric: 'funnel', params, filters: f as FilterClause[] },
      })),
    );
    const tally = newTally();
    await compareAll(m, b, reqs, tally);
    report(`${label} funnel hand-made`, tally);
    expect(tally.mismatches).toEqual([]);
    // Hand-computed: strict with a 7-day window, by channel. u1 starts on X (depth 2 from either
    // start, the first kept), u2 on X (tie at one instant, label order), u3 on Y (the later start
    // reaches b), u5 on the missing channel, u7 on X (its first start reaches b).
    const r = await outcome(b, {
      metric: 'funnel',
      params: { stages: ['a', 'b', 'c'], windowDays: 7, breakdown: 'channel' },
    });
    const rows = r.ok
      ? (r.value as { data: Array<{ group: string | null; stage: string; count: number }> }).data
      : [];
    const count = (g: string | null, st: string): number =>
      rows.find((x) => x.group === g && x.stage === st)?.count ?? 0;
    expect([count('X', 'a'), count('X', 'b'), count('X', 'c')]).toEqual([3, 3, 1]);
    expect([count('Y', 'a'), count('Y', 'b'), count('Y', 'c')]).toEqual([1, 1, 0]);
    expect([count(null, 'a'), count(null, 'b')]).toEqual([1, 1]);
  }, 120_000);

  it('collector_performance on hand-made actions: PTP timing, missing cases, no loan_months', async () => {
    const actions = [
      // case K1: a PTP kept by a payment at the same instant and one on its due day
      a('A1', 'K1', 'L1', 'C1', 'T1', '2025-03-01 10:00', 'phone', {
        contacted: true,
        ptp: true,
        ptp_amount: 300,
        ptp_due_date: '2025-03-05',
      }),
      a('A2', 'K1', 'L1', 'C1', 'T1', '2025-03-01 10:00', 'sms', { paid_amount: 100 }),
      a('A3', 'K1', 'L1', 'C2', 'T2', '2025-03-05 23:00', 'visit', { paid_amount: 200 }),
      // case K2: a PTP broken (paid after its due day), one pending (due after the latest day)
      a('A4', 'K2', 'L2', 'C1', 'T2', '2025-03-02 09:00', 'phone', {
        ptp: true,
        ptp_amount: 50,
        ptp_due_date: '2025-03-03',
      }),
      a('A5', 'K2', 'L2', 'C1', 'T2', '2025-03-04 09:00', 'phone', { contacted: false, paid_amount: 50 }),
      a('A6', 'K2', 'L2', 'C2', null, '2025-03-06 09:00', 'ivr', {
        contacted: true,
        ptp: true,
        ptp_amount: 10,
        ptp_due_date: '2025-04-30',
      }),
      // no case_id: the loan is the case; PTPs without amount / due date
      a('A7', null, 'L3', 'C3', 'T1', '2025-02-27 12:00', 'phone', { ptp: true, ptp_due_date: '2025-03-01' }),
      a('A8', null, 'L3', 'C3', 'T1', '2025-02-28 12:00', 'legal', { ptp: true, ptp_amount: 5 }),
      // neither case nor loan; a case_id equal to a loan_id string is another case
      a('A9', null, null, 'C3', 'T1', '2025-03-01 08:00', 'phone', { cost: 3 }),
      a('A10', 'L3', null, 'C3', 'T1', '2025-03-01 08:30', 'phone', { cost: 2.5, paid_amount: 7 }),
      // a loan with no loan_months row
      a('A11', 'K9', 'L9', 'C4', 'T2', '2025-03-02 11:00', 'visit', {}),
      // case K5: two first actions at one instant on different loans: the lower row index (A12,
      // L2: 2000 assigned) is the case's first, not A13 (L1: 1000)
      a('A12', 'K5', 'L2', 'C5', 'T3', '2025-03-03 10:00', 'phone', {}),
      a('A13', 'K5', 'L1', 'C5', 'T3', '2025-03-03 10:00', 'sms', {}),
    ];
    // Epoch-ms times with a fraction (a numeric column): A15 is 0.1 ms before A14, so it is the
    // case's first (L2: 2000) although both round to the same millisecond.
    const at = Date.UTC(2025, 2, 3, 2, 0, 0);
    const fractional = [
      ...actions,
      a('A14', 'K6', 'L1', 'C6', 'T3', '', 'phone', { action_time: at + 0.4 }),
      a('A15', 'K6', 'L2', 'C6', 'T3', '', 'phone', { action_time: at + 0.3 }),
    ];
    const months = [
      { loan_id: 'L1', snapshot_date: '2025-03-31', dpd: 10, outstanding: 1000 },
      { loan_id: 'L2', snapshot_date: '2025-03-31', dpd: 40, outstanding: 2000 },
      { loan_id: 'L3', snapshot_date: '2025-02-28', dpd: 5, outstanding: 500 },
      { loan_id: 'L3', snapshot_date: '2025-03-31', dpd: 35 },
    ];
    const withLm = [memoryBackend(), await open('rest_coll')];
    const noLm = [memoryBackend(), await open('rest_coll_nolm')];
    const frac = [memoryBackend(), await open('rest_coll_frac')];
    opened.push(withLm[1]!, noLm[1]!, frac[1]!);
    for (const b of [...withLm, ...noLm]) await b.load('collection_actions', actions as IngestInput);
    for (const b of frac) await b.load('collection_actions', fractional as IngestInput);
    for (const b of [...withLm, ...frac]) await b.load('loan_months', months as IngestInput);
    const reqs: Case[] = ['both', 'collector', 'team'].flatMap((level) =>
      [[], [{ field: 'action_time', op: 'range', value: ['2025-03-01', null] }]].map((f) => ({
        req: { metric: 'collector_performance', params: { level }, filters: f as FilterClause[] },
      })),
    );
    const tally = newTally();
    await compareAll(withLm[0]!, withLm[1]!, reqs, tally);
    await compareAll(noLm[0]!, noLm[1]!, reqs, tally);
    await compareAll(frac[0]!, frac[1]!, reqs, tally);
    report(`${label} collector_performance hand-made`, tally);
    expect(tally.mismatches).toEqual([]);
    // Hand-computed: C1 has 2 PTPs (K1 kept: 100 + 200 by the due day; K2 broken: paid a day late).
    const r = await outcome(withLm[1]!, { metric: 'collector_performance', params: { level: 'collector' } });
    const c1 =
      r.ok && (r.value as { data: Array<Record<string, unknown>> }).data.find((x) => x['collector'] === 'C1');
    expect(c1).toMatchObject({
      ptps: 2,
      ptpKept: 1,
      ptpDue: 2,
      ptpPending: 0,
      cases: 2,
      assignedOutstanding: 3000,
    });
    // The first action of a case by (time, row): a tie goes to the lower row, a fraction counts.
    const assigned = async (b: Backend, collector: string): Promise<unknown> => {
      const o = await outcome(b, { metric: 'collector_performance', params: { level: 'collector' } });
      const rows = o.ok ? (o.value as { data: Array<Record<string, unknown>> }).data : [];
      return rows.find((x) => x['collector'] === collector)?.['assignedOutstanding'];
    };
    expect(await assigned(withLm[1]!, 'C5')).toBe(2000);
    expect(await assigned(frac[1]!, 'C6')).toBe(2000);
  }, 120_000);

  it('txn_alerts rows through the handler: the detail permission, then the rows limit', async () => {
    const req = { metric: 'txn_alerts', params: REST_VARIANTS['txn_alerts']![1] };
    const direct = JSON.parse(JSON.stringify(await mem.query(req))) as { data: unknown[] };
    expect(direct.data.length).toBeGreaterThan(3);
    // The variants reach both kinds of alerts (threshold days and structuring episodes).
    const st = await mem.query({ metric: 'txn_alerts', params: REST_VARIANTS['txn_alerts']![3] });
    expect(st.data.some((r) => (r as { rule: string }).rule === 'structuring')).toBe(true);
    const noDetail = await serve({ backend: other });
    const detail = await serve({ backend: other, anonymous: { detail: true } });
    const small = await serve({ backend: other, anonymous: { detail: true }, limits: { rows: 3 } });
    try {
      const denied = await noDetail.call({ op: 'query', req });
      expect(denied.status).toBe(403);
      expect((denied.body as { error?: { code?: string } }).error?.code).toBe('forbidden');
      const ok = await detail.call({ op: 'query', req });
      expect(ok.status).toBe(200);
      expect((ok.body as { value: { data: unknown[] } }).value.data).toEqual(direct.data);
      const big = await small.call({ op: 'query', req });
      expect(big.status).toBe(413);
      expect((big.body as { error?: { code?: string } }).error?.code).toBe('too_large');
      // The metric's own `limit` caps the rows first: 3 alerts fit the handler's limit.
      const capped = await small.call({ op: 'query', req: { ...req, params: { ...req.params, limit: 3 } } });
      expect(capped.status).toBe(200);
      expect((capped.body as { value: { data: unknown[] } }).value.data).toEqual(direct.data.slice(0, 3));
    } finally {
      await Promise.all([noDetail.close(), detail.close(), small.close()]);
    }
  }, 120_000);

  it('txn_alerts on a PII entity (data loaded unmasked): clear only with `unmask`', async () => {
    const sample = generateSample({ customers: 200, seed: 7 });
    const m = memoryBackend();
    const b = await open('rest_unmask');
    opened.push(b);
    for (const x of [m, b]) {
      await x.load('customers', sample.customers as IngestInput, { unmask: true });
      await x.load('transactions', sample.transactions as IngestInput);
    }
    const req = { metric: 'txn_alerts', params: { ...REST_VARIANTS['txn_alerts']![1], entity: 'phone' } };
    const direct = JSON.parse(JSON.stringify(await m.query(req))) as { data: Array<{ customer_id: string }> };
    const phones = direct.data.map((r) => r.customer_id);
    expect(phones.length).toBeGreaterThan(0);
    const masked = await serve({ backend: b, anonymous: { detail: true } });
    const clear = await serve({ backend: b, anonymous: { detail: true, unmask: true } });
    try {
      const rows = async (s: typeof masked): Promise<Array<{ customer_id: string }>> =>
        ((await s.call({ op: 'query', req })).body as { value: { data: Array<{ customer_id: string }> } })
          .value.data;
      expect(await rows(clear)).toEqual(direct.data);
      const hidden = (await rows(masked)).map((r) => r.customer_id);
      expect(hidden).toEqual(phones.map((p) => maskValue('phone', p)));
      expect(hidden.some((h, i) => h !== phones[i])).toBe(true);
    } finally {
      await Promise.all([masked.close(), clear.close()]);
    }
  }, 120_000);

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
