import { describe, expect, it } from 'vitest';
import { FinError } from '../../../src/engine/errors.js';
import { bucketTrend } from '../../../src/engine/metrics/bucket-trend.js';
import { COLLECTION_METRICS } from '../../../src/engine/metrics/collection.js';
import {
  DEFAULT_DPD_EDGES,
  US_DPD_EDGES,
  bucketOf,
  dpdBuckets,
  resolveBuckets,
} from '../../../src/engine/metrics/dpd-buckets.js';
import type { DpdBucketRow } from '../../../src/engine/metrics/dpd-buckets.js';
import type { BucketTrendRow } from '../../../src/engine/metrics/bucket-trend.js';
import { overdueRate } from '../../../src/engine/metrics/overdue-rate.js';
import type { OverdueRateRow } from '../../../src/engine/metrics/overdue-rate.js';
import type { LmRow } from './collection-fixtures.js';
import { actions, loanMonths, loans, run } from './collection-fixtures.js';

/**
 * Book used below (outstanding, dpd → bucket):
 *   2024-01  L1 1000 0 M0 · L2 500 5 M1 · L3 300 65 M3
 *   2024-02  L1  900 0 M0 · L2 480 35 M2 · L3 300 95 M4 · L4 2000 0 M0 · L5 0 closed
 *   2024-03  L1  800 31 M2 · L2 written_off · L3 290 125 M5 · L4 1900 0 M0
 */
const BOOK: LmRow[] = [
  { loan: 'L1', m: '2024-01', out: 1000, dpd: 0 },
  { loan: 'L2', m: '2024-01', out: 500, dpd: 5 },
  { loan: 'L3', m: '2024-01', out: 300, dpd: 65 },
  { loan: 'L1', m: '2024-02', out: 900, dpd: 0 },
  { loan: 'L2', m: '2024-02', out: 480, dpd: 35 },
  { loan: 'L3', m: '2024-02', out: 300, dpd: 95 },
  { loan: 'L4', m: '2024-02', out: 2000, dpd: 0 },
  { loan: 'L5', m: '2024-02', out: 0, dpd: 0, status: 'closed' },
  { loan: 'L1', m: '2024-03', out: 800, dpd: 31 },
  { loan: 'L2', m: '2024-03', out: 470, dpd: 65, status: 'written_off' },
  { loan: 'L3', m: '2024-03', out: 290, dpd: 125 },
  { loan: 'L4', m: '2024-03', out: 1900, dpd: 0 },
];
const LOANS = loans([
  { id: 'L1', issue: '2023-12-10', principal: 1200, region: '华东' },
  { id: 'L2', issue: '2023-11-10', principal: 600, region: '华东' },
  { id: 'L3', issue: '2023-10-10', principal: 400, region: '华南' },
  { id: 'L4', issue: '2024-02-01', principal: 2000, region: '华南' },
  { id: 'L5', issue: '2023-06-01', principal: 100, region: null },
]);

describe('bucketOf', () => {
  it('maps default edges inclusively', () => {
    const cases: Array<[number, number]> = [
      [0, 0],
      [1, 1],
      [30, 1],
      [31, 2],
      [60, 2],
      [61, 3],
      [90, 3],
      [91, 4],
      [120, 4],
      [121, 5],
      [150, 5],
      [151, 6],
      [180, 6],
      [181, 7],
      [5000, 7],
    ];
    for (const [d, b] of cases) expect(bucketOf(d, DEFAULT_DPD_EDGES), `dpd ${d}`).toBe(b);
  });
  it('missing or negative dpd is −1', () => {
    expect(bucketOf(NaN, DEFAULT_DPD_EDGES)).toBe(-1);
    expect(bucketOf(-1, DEFAULT_DPD_EDGES)).toBe(-1);
  });
  it('US 30/60/90 convention', () => {
    expect([0, 29, 30, 59, 60, 89, 90, 400].map((d) => bucketOf(d, US_DPD_EDGES))).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3,
    ]);
    expect(resolveBuckets({ edges: [...US_DPD_EDGES] }).labels).toEqual(['M0', 'M1', 'M2', 'M3+']);
  });
  it('rejects bad edges and labels', () => {
    expect(() => resolveBuckets({ edges: [1, 30] })).toThrow(FinError);
    expect(() => resolveBuckets({ edges: [0, 30, 30] })).toThrow(FinError);
    expect(() => resolveBuckets({ edges: [0, 30], labels: ['a'] })).toThrow(FinError);
  });
});

describe('COLLECTION_METRICS', () => {
  it('lists every collection metric once', () => {
    expect(COLLECTION_METRICS.map((m) => m.id).sort()).toEqual(
      [
        'bucket_trend',
        'channel_effectiveness',
        'collector_performance',
        'cure_rate',
        'dpd_buckets',
        'entry_rate',
        'flow_rate',
        'overdue_rate',
        'repayment_rate',
        'roll_rate',
        'vintage',
      ].sort(),
    );
  });
});

describe('dpd_buckets', () => {
  it('defaults to the latest snapshot and lists every bucket', () => {
    const r = run<DpdBucketRow>(dpdBuckets, [loanMonths(BOOK)]);
    expect(r.data.map((d) => d.bucket)).toEqual(['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+']);
    const byB = Object.fromEntries(r.data.map((d) => [d.bucket, d]));
    // March in book: L1 800 M2, L3 290 M5, L4 1900 M0 (L2 written off)
    expect(byB.M0!.outstanding).toBe(1900);
    expect(byB.M2!.count).toBe(1);
    expect(byB.M5!.amountShare).toBeCloseTo(290 / (800 + 290 + 1900), 10);
    expect(byB.M5!.countShare).toBeCloseTo(1 / 3, 10);
    expect(byB.M7!).toBeUndefined();
    expect(byB['M7+']!.maxDpd).toBeNull();
    expect(byB.M1!.minDpd).toBe(1);
    expect(byB.M1!.maxDpd).toBe(30);
    expect(r.basis.options.month).toBe('2024-03');
    expect(r.basis.asOf).toBe('2024-03-31');
    expect(r.quality.excluded).toEqual({ written_off: 1 });
  });
  it('explicit month, custom edges', () => {
    const r = run<DpdBucketRow>(dpdBuckets, [loanMonths(BOOK)], { month: '2024-01', edges: [0, 30, 60, 90] });
    expect(r.data.map((d) => [d.bucket, d.count, d.outstanding])).toEqual([
      ['M0', 2, 1500], // dpd 0 and 5 are both below 30
      ['M1', 0, 0],
      ['M2', 1, 300],
      ['M3+', 0, 0],
    ]);
  });
  it('empty input and unknown month give an empty result', () => {
    const e = run(dpdBuckets, [loanMonths([])]);
    expect(e.data).toEqual([]);
    expect(e.empty).toBeDefined();
    const r = run(dpdBuckets, [loanMonths(BOOK)], { month: '2020-01' });
    expect(r.data).toEqual([]);
    expect(r.empty!['en-US']).toMatch(/snapshot/);
  });
  it('missing dpd and outstanding are counted', () => {
    const r = run<DpdBucketRow>(dpdBuckets, [
      loanMonths([
        { loan: 'A', m: '2024-01', out: 100, dpd: null },
        { loan: 'B', m: '2024-01', out: null, dpd: 3 },
        { loan: 'C', m: '2024-01', out: 50, dpd: 3 },
      ]),
    ]);
    expect(r.quality.excluded).toEqual({ missing_dpd: 1, missing_outstanding: 1 });
    const m1 = r.data[1]!;
    expect(m1.count).toBe(2);
    expect(m1.outstanding).toBe(50);
    expect(m1.amountShare).toBe(1);
  });
});

describe('bucket_trend', () => {
  it('per month, per bucket, with shares', () => {
    const r = run<BucketTrendRow>(bucketTrend, [loanMonths(BOOK)]);
    expect(r.meta!.months).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(r.data).toHaveLength(3 * 8);
    const feb = r.data.filter((d) => d.month === '2024-02');
    const tot = 900 + 480 + 300 + 2000;
    expect(feb.find((d) => d.bucket === 'M0')!.share).toBeCloseTo((900 + 2000) / tot, 10);
    expect(feb.find((d) => d.bucket === 'M4')!.value).toBe(300);
    expect(feb.reduce((s, d) => s + (d.share ?? 0), 0)).toBeCloseTo(1, 12);
    const rc = run<BucketTrendRow>(bucketTrend, [loanMonths(BOOK)], { measure: 'count' });
    expect(rc.data.find((d) => d.month === '2024-02' && d.bucket === 'M0')!.share).toBeCloseTo(2 / 4, 10);
  });
  it('one-row input', () => {
    const r = run<BucketTrendRow>(bucketTrend, [
      loanMonths([{ loan: 'A', m: '2024-05', out: 10, dpd: 200 }]),
    ]);
    expect(r.data.filter((d) => d.value > 0)).toEqual([
      { month: '2024-05', bucket: 'M7+', index: 7, count: 1, outstanding: 10, value: 10, share: 1 },
    ]);
  });
  it('a month of only closed loans has null shares, not NaN', () => {
    const r = run<BucketTrendRow>(bucketTrend, [
      loanMonths([
        { loan: 'A', m: '2024-05', out: 10, dpd: 0 },
        { loan: 'A', m: '2024-06', out: 0, dpd: 0, status: 'closed' },
      ]),
    ]);
    expect(r.data.filter((d) => d.month === '2024-06').every((d) => d.share === null)).toBe(true);
  });
});

describe('overdue_rate', () => {
  const lm = loanMonths(BOOK);
  it('coincident M1+ amount', () => {
    const r = run<OverdueRateRow>(overdueRate, [lm]);
    expect(r.data.map((d) => d.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(r.data[0]!.rate).toBeCloseTo((500 + 300) / (1000 + 500 + 300), 10);
    expect(r.data[1]!.rate).toBeCloseTo((480 + 300) / (900 + 480 + 300 + 2000), 10);
    expect(r.data[2]!.rate).toBeCloseTo((800 + 290) / (800 + 290 + 1900), 10);
    expect(r.data[2]!.denominator).toBe(800 + 290 + 1900);
    expect(r.basis.variant).toBe('coincident');
    expect(r.basis.options).toMatchObject({ k: 1, lag: 0, measure: 'amount' });
    expect(r.quality.excluded).toEqual({ closed: 1, written_off: 1 });
  });
  it('k = 3 (M3+, dpd ≥ 61) and k = 4 (M4+, dpd ≥ 91)', () => {
    const r3 = run<OverdueRateRow>(overdueRate, [lm], { k: 3 });
    expect(r3.data[0]!.rate).toBeCloseTo(300 / 1800, 10);
    expect(r3.data[1]!.rate).toBeCloseTo(300 / 3680, 10); // L3 at 95 dpd; L2 at 35 is M2
    const r4 = run<OverdueRateRow>(overdueRate, [lm], { k: 4 });
    expect(r4.data[0]!.rate).toBe(0); // 65 dpd is M3
    expect(r4.data[1]!.rate).toBeCloseTo(300 / 3680, 10);
    expect(r4.basis.title['en-US']).toContain('M4+');
  });
  it('count measure', () => {
    const r = run<OverdueRateRow>(overdueRate, [lm], { measure: 'count' });
    expect(r.data.map((d) => d.rate)).toEqual([2 / 3, 2 / 4, 2 / 3].map((x) => Math.round(x * 1e10) / 1e10));
  });
  it('lagged: numerator at t over the book at t − L; null before the data starts', () => {
    const r = run<OverdueRateRow>(overdueRate, [lm], { lag: 1 });
    expect(r.basis.variant).toBe('lagged');
    expect(r.data[0]).toMatchObject({ month: '2024-01', denominator: null, rate: null });
    expect(r.data[1]!.rate).toBeCloseTo((480 + 300) / 1800, 10);
    expect(r.data[2]!.rate).toBeCloseTo((800 + 290) / 3680, 10);
    const r2 = run<OverdueRateRow>(overdueRate, [lm], { lag: 2 });
    expect(r2.data[2]!.rate).toBeCloseTo((800 + 290) / 1800, 10);
  });
  it('by region via the loans join', () => {
    const r = run<OverdueRateRow>(overdueRate, [lm, LOANS], { by: 'region' });
    const feb = r.data.filter((d) => d.month === '2024-02');
    expect(feb.map((d) => d.group)).toEqual(['华东', '华南', null]);
    expect(feb[0]!.rate).toBeCloseTo(480 / (900 + 480), 10);
    expect(feb[1]!.rate).toBeCloseTo(300 / (300 + 2000), 10);
    expect(feb[2]!.rate).toBeNull(); // L5 closed: zero denominator
  });
  it('filters via a MetricContext with filters', () => {
    const r = run<OverdueRateRow>(overdueRate, [lm, LOANS], {}, [
      { field: 'region', op: 'in', value: ['华东'] },
    ]);
    expect(r.data[0]!.rate).toBeCloseTo(500 / 1500, 10);
    expect(r.data[2]!.rate).toBe(1); // March: L1 M2 only (L2 written off)
    expect(r.basis.filters).toEqual([{ field: 'region', op: 'in', value: ['华东'] }]);
    const none = run(overdueRate, [lm, LOANS], {}, [{ field: 'region', op: 'in', value: ['西北'] }]);
    expect(none.data).toEqual([]);
    expect(none.empty).toBeDefined();
  });
  it('bad params throw bad_params', () => {
    expect(() => run(overdueRate, [lm], { k: 0 })).toThrow(FinError);
    expect(() => run(overdueRate, [lm], { k: 8 })).toThrow(/k/);
    expect(() => run(overdueRate, [lm], { measure: 'balance' })).toThrow(FinError);
    expect(() => run(overdueRate, [lm], { lag: 1.5 })).toThrow(FinError);
  });
  it('basis is bilingual and complete', () => {
    const b = run(overdueRate, [lm]).basis;
    for (const key of ['title', 'formula', 'numerator', 'denominator'] as const) {
      expect(b[key]!['zh-CN'].length).toBeGreaterThan(0);
      expect(b[key]!['en-US'].length).toBeGreaterThan(0);
    }
    expect(b.exclusions.length).toBeGreaterThan(0);
    expect(b.notes!.length).toBeGreaterThan(0);
    expect(b.measure).toBe('amount');
    expect(b.asOf).toBe('2024-03-31');
  });
  it('missing dataset throws missing_dataset', () => {
    expect(() => run(overdueRate, [LOANS])).toThrow(expect.objectContaining({ code: 'missing_dataset' }));
  });
});

describe('every collection metric on empty and one-row inputs', () => {
  const oneLm = loanMonths([{ loan: 'L1', m: '2024-03', out: 1000, dpd: 45, due: 100, paid: 50 }]);
  const oneLoan = loans([{ id: 'L1', issue: '2024-01-10', principal: 1200, region: '华东' }]);
  const oneAct = actions([
    {
      case: 'C1',
      loan: 'L1',
      collector: 'X',
      team: 'T1',
      time: '2024-03-05 10:00',
      channel: 'phone',
      contacted: true,
      paid: 10,
      cost: 1,
    },
  ]);
  const emptyAll = [loanMonths([]), loans([]), actions([])];
  for (const m of COLLECTION_METRICS) {
    it(`${m.id}: empty → data [] with an empty reason, never a throw`, () => {
      const r = run(m, emptyAll);
      expect(r.data).toEqual([]);
      expect(r.empty!['zh-CN'].length).toBeGreaterThan(0);
      expect(r.quality.used).toBe(0);
    });
    it(`${m.id}: one row → finite JSON, bilingual basis`, () => {
      const r = run(m, [oneLm, oneLoan, oneAct]);
      expect(JSON.parse(JSON.stringify(r))).toEqual(r);
      expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
      expect(r.basis.metric).toBe(m.id);
      expect(r.basis.title['zh-CN']).toBeTruthy();
      expect(r.basis.formula['en-US']).toBeTruthy();
    });
  }
});
