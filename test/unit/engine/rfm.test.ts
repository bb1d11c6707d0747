import { describe, expect, it } from 'vitest';
import { quintileBreakpoints, quintileScore } from '../../../src/engine/metrics/rfm.js';
import { ctxOf, run, txns } from './generic-fixtures.js';

const DAY = 86400000;
const T = Date.UTC(2024, 11, 31); // 2024-12-31
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Customer ck (k = 1..10): k transactions of 100, the last one 10 − k days before T. */
function fixture() {
  const rows: Parameters<typeof txns>[0] = [];
  for (let k = 1; k <= 10; k++) {
    const last = T - (10 - k) * DAY;
    for (let j = 0; j < k; j++)
      rows.push({ c: `c${String(k).padStart(2, '0')}`, time: iso(last - j * DAY), amount: 100 });
  }
  rows.push({ c: 'c00', time: iso(T - 400 * DAY), amount: 100 }); // outside the 365-day window
  return txns(rows);
}

describe('rfm quintiles', () => {
  it('breakpoints of 1..10 by linear interpolation', () => {
    // i = 9p: 1.8 → 2 + 0.8 = 2.8; 3.6 → 4.6; 5.4 → 6.4; 7.2 → 8.2
    const bp = quintileBreakpoints([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(bp.map((x) => Math.round(x * 1e10) / 1e10)).toEqual([2.8, 4.6, 6.4, 8.2]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => quintileScore(v, bp))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
  });

  it('ties get equal scores', () => {
    // sorted [1, 5, 5, 5, 5]: i = 4p → 0.8 → 1 + 0.8 × 4 = 4.2; 1.6, 2.4, 3.2 → 5
    const bp = quintileBreakpoints([5, 5, 1, 5, 5]);
    expect(bp).toEqual([4.2, 5, 5, 5]);
    expect([5, 5, 1, 5, 5].map((v) => quintileScore(v, bp))).toEqual([2, 2, 1, 2, 2]);
    // a value equal to a breakpoint is not above it
    expect(quintileScore(4.2, bp)).toBe(1);
  });
});

describe('rfm', () => {
  it('members: every entity of the named segments, for a dashboard to filter on', () => {
    const ctx = ctxOf({ transactions: fixture() });
    // Hand-computed above: c07..c10 important value, c01..c06 general win-back, c00 not scored.
    const iv = run(ctx, 'rfm', { members: ['important_value'] });
    expect(iv.meta!['memberField']).toBe('customer_id');
    expect([...(iv.meta!['members'] as string[])].sort()).toEqual(['c07', 'c08', 'c09', 'c10']);
    const both = run(ctx, 'rfm', { members: ['important_value', 'general_winback'] });
    expect([...(both.meta!['members'] as string[])].sort()).toEqual(['c01', 'c02', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08', 'c09', 'c10']);
    expect(run(ctx, 'rfm', { members: ['general_value'] }).meta!['members']).toEqual([]);
    // without `members` the list is absent; unknown ids and wrong types are parameter errors
    expect(run(ctx, 'rfm', {}).meta!['members']).toBeUndefined();
    expect(() => run(ctx, 'rfm', { members: ['vip'] })).toThrow(/Unknown segment "vip"/);
    expect(() => run(ctx, 'rfm', { members: 'important_value' })).toThrow(/members must be an array/);
  });

  it('cn8 segments: 高 = score ≥ 4 by default; exclusions counted', () => {
    const r = run(ctxOf({ transactions: fixture() }), 'rfm', {
      includeCustomers: true,
      segment: 'important_value',
    });
    // Recency days 9..0 → R 1,1,2,2,3,3,4,4,5,5 for c01..c10; F = k and M = 100k → same quintiles.
    // 高 = score 4 or 5 → c07..c10 important value, c01..c06 general win-back.
    const seg = Object.fromEntries(r.data.map((d) => [d.segment, d.customers]));
    expect(seg).toEqual({
      important_value: 4,
      important_develop: 0,
      important_retain: 0,
      important_winback: 0,
      general_value: 0,
      general_develop: 0,
      general_retain: 0,
      general_winback: 6,
    });
    const iv = r.data[0]!;
    expect(iv).toMatchObject({
      segment: 'important_value',
      label: { 'zh-CN': '重要价值客户', 'en-US': 'Important value' },
      share: 0.4,
      monetary: 3400, // 700 + 800 + 900 + 1000
      meanR: 4.5,
      meanF: 4.5,
      meanM: 4.5,
      meanRecencyDays: 1.5, // (3 + 2 + 1 + 0) / 4
      meanFrequency: 8.5,
      meanMonetary: 850,
    });
    expect(r.meta!.scored).toBe(10);
    expect(r.meta!.excluded).toBe(1);
    expect(r.quality.excluded.customers_no_txn_in_window).toBe(1);
    expect(r.meta!.thresholds).toEqual({ R: 3, F: 3, M: 3 });
    expect(r.meta!.asOf).toBe('2024-12-31');
    const cs = r.meta!.customers as Array<Record<string, unknown>>;
    expect(cs.map((c) => c.customer_id)).toEqual(['c10', 'c09', 'c08', 'c07']);
    expect(cs[0]).toEqual({
      customer_id: 'c10',
      r: 0,
      f: 10,
      m: 1000,
      R: 5,
      F: 5,
      M: 5,
      segment: 'important_value',
    });
    // grid: R = F for everyone, two customers per diagonal cell
    const grid = r.meta!.grid as Array<{ r: number; f: number; customers: number }>;
    expect(grid).toHaveLength(25);
    expect(grid.filter((g) => g.customers > 0)).toEqual(
      [1, 2, 3, 4, 5].map((s) => ({ r: s, f: s, customers: 2 })),
    );
  });

  it('rf10 grid covers every cell', () => {
    const r = run(ctxOf({ transactions: fixture() }), 'rfm', { scheme: 'rf10' });
    const seg = Object.fromEntries(
      r.data.filter((d) => (d.customers as number) > 0).map((d) => [d.segment, d.customers]),
    );
    expect(seg).toEqual({ champions: 2, loyal: 2, need_attention: 2, hibernating: 4 });
    expect(r.data.reduce((s, d) => s + (d.customers as number), 0)).toBe(10);
  });

  it('custom rules: first match wins, unmatched counted', () => {
    const r = run(ctxOf({ transactions: fixture() }), 'rfm', {
      rules: [
        { segment: 'vip', label: { 'zh-CN': '贵宾', 'en-US': 'VIP' }, r: [4, 5], f: [4, 5] },
        { segment: 'sleepy', r: [1, 2] },
        { segment: 'vip', m: [5, 5] },
      ],
    });
    expect(r.data.map((d) => [d.segment, d.customers])).toEqual([
      ['vip', 4],
      ['sleepy', 4],
      ['unmatched', 2],
    ]);
    expect(r.meta!.unmatched).toBe(2);
  });

  it('fixed threshold, mean monetary, direction and asOf options', () => {
    const ctx = ctxOf({ transactions: fixture() });
    const fixed = run(ctx, 'rfm', { threshold: 4 });
    expect(fixed.data.find((d) => d.segment === 'important_value')!.customers).toBe(2); // scores of 5 only
    const mean = run(ctx, 'rfm', { monetary: 'mean' });
    // every transaction is 100: all M equal → all M scores 1, none 高
    expect(
      mean.data.filter((d) => (d.segment as string).startsWith('important')).every((d) => d.customers === 0),
    ).toBe(true);
    const inOnly = run(ctx, 'rfm', { direction: 'in' });
    expect(inOnly.data).toEqual([]); // the fixture has outflows only
    const early = run(ctx, 'rfm', { asOf: '2024-12-25' });
    // c01..c04 still have transactions on or before 12-25 (their earliest days); c05..c10 partly
    expect(early.meta!.asOf).toBe('2024-12-25');
    expect(early.quality.excluded.after_as_of).toBeGreaterThan(0);
  });

  it('one customer and empty input', () => {
    const one = run(ctxOf({ transactions: txns([{ c: 'A', time: '2024-01-01', amount: 5 }]) }), 'rfm', {});
    // one value: every breakpoint equals it → scores R 5 (6 − 1), F 1, M 1: R 高 (≥ 4), F and M 低
    expect(one.data.find((d) => d.customers === 1)!.segment).toBe('general_develop');
    // with mean-score the means equal the scores → none 高
    const oneMean = run(ctxOf({ transactions: txns([{ c: 'A', time: '2024-01-01', amount: 5 }]) }), 'rfm', { threshold: 'mean-score' });
    expect(oneMean.data.find((d) => d.customers === 1)!.segment).toBe('general_winback');
    const none = run(
      ctxOf({ transactions: fixture() }, [{ field: 'customer_id', op: 'eq', value: 'x' }]),
      'rfm',
      {},
    );
    expect(none.data).toEqual([]);
    expect(none.empty).toBeDefined();
  });

  it('counts customers of the customers table without transactions as excluded', () => {
    const customers = { customer_id: ['c01', 'c02', 'zz'], segment: ['a', 'a', 'b'] };
    const r = run(ctxOf({ transactions: fixture(), customers }), 'rfm', {});
    expect(r.quality.excluded.customers_no_transactions).toBe(1); // zz
  });

  it('cn8 options: mean-score warns near a whole score, mean-value compares raw values', () => {
    const ctx = ctxOf({ transactions: fixture() });
    // Mean scores are exactly 3 here: mean-score gives the same segments as the default, with a
    // warning in the basis and the quality block because each mean sits on a whole score.
    const ms = run(ctx, 'rfm', { threshold: 'mean-score' });
    expect(ms.meta!.thresholdMode).toBe('mean-score');
    expect(ms.data.find((d) => d.segment === 'important_value')!.customers).toBe(4);
    expect(ms.basis.notes!.some((n) => /within 0.02 of a whole score/.test(n['en-US']))).toBe(true);
    expect(ms.quality.warnings).toHaveLength(1);
    const def = run(ctx, 'rfm', {});
    expect(def.meta!.thresholdMode).toBe('score4');
    expect(def.quality.warnings).toEqual([]);
    expect(def.basis.notes!.some((n) => /within 0.02/.test(n['en-US']))).toBe(false);
    // mean-value: recency days 9..0 (mean 4.5) → 高 for 0..4 days (c06..c10); F = k (mean 5.5) →
    // 高 for c06..c10; M = 100k likewise → c06..c10 important value, c01..c05 general win-back.
    const mv = run(ctx, 'rfm', { threshold: 'mean-value' });
    expect(mv.meta!.thresholds).toEqual({ R: 4.5, F: 5.5, M: 550 });
    const seg = Object.fromEntries(mv.data.map((d) => [d.segment, d.customers]));
    expect(seg.important_value).toBe(5);
    expect(seg.general_winback).toBe(5);
  });
});
