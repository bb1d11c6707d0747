import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ctxOf, run, shuffleCols, txns } from './generic-fixtures.js';
import type { Cols } from './generic-fixtures.js';

const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86400000).toISOString().slice(0, 10);

const txnArb = fc.array(
  fc.record({
    c: fc.integer({ min: 0, max: 7 }),
    d: fc.integer({ min: 0, max: 200 }),
    h: fc.integer({ min: 0, max: 23 }),
    amount: fc.integer({ min: 1, max: 1000 }),
    dir: fc.constantFrom('in' as const, 'out' as const),
    category: fc.constantFrom('a', 'b', 'c', 'd', null),
  }),
  { minLength: 1, maxLength: 60 },
);
const toTx = (
  rows: Array<{
    c: number;
    d: number;
    h: number;
    amount: number;
    dir: 'in' | 'out';
    category: string | null;
  }>,
): Cols =>
  txns(
    rows.map((r, i) => ({
      id: `t${i}`,
      c: `c${r.c}`,
      time: `${day(r.d)} ${String(r.h).padStart(2, '0')}:00`,
      amount: r.amount,
      dir: r.dir,
      category: r.category,
    })),
  );
const CUSTOMERS = {
  customer_id: ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'],
  segment: ['x', 'y', 'x', 'z', null, 'y', 'x', 'z'],
};

const funnelArb = fc.array(
  fc.record({
    u: fc.integer({ min: 0, max: 9 }),
    t: fc.integer({ min: 0, max: 500 }),
    s: fc.constantFrom('s1', 's2', 's3', 's4'),
    ch: fc.constantFrom('a', 'b'),
  }),
  { minLength: 1, maxLength: 60 },
);
const toFunnel = (rows: Array<{ u: number; t: number; s: string; ch: string }>): Cols => ({
  user_id: rows.map((r) => `u${r.u}`),
  event_time: rows.map((r) => new Date(Date.UTC(2024, 0, 1) + r.t * 3600000).toISOString()),
  stage: rows.map((r) => r.s),
  channel: rows.map((r) => r.ch),
});

/** Paths of numbers that are NaN or ±Infinity (JSON.stringify would hide them as null). */
function nonFinite(x: unknown, path = ''): string[] {
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [path];
  if (Array.isArray(x)) return x.flatMap((v, i) => nonFinite(v, `${path}[${i}]`));
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  return [];
}

describe('generic metric properties', () => {
  it('strict funnel counts never increase (with and without a window, per group)', () => {
    fc.assert(
      fc.property(funnelArb, fc.option(fc.integer({ min: 1, max: 10 })), (rows, w) => {
        const r = run(ctxOf({ funnel_events: toFunnel(rows) }), 'funnel', {
          stages: ['s1', 's2', 's3', 's4'],
          breakdown: 'channel',
          ...(w === null ? {} : { windowDays: w }),
        });
        const overall = r.meta!.overall as Array<{ count: number }> | undefined;
        const check = (cs: number[]) => cs.every((c, k) => k === 0 || c <= cs[k - 1]!);
        if (overall) expect(check(overall.map((x) => x.count))).toBe(true);
        const byGroup: Record<string, number[]> = {};
        for (const d of r.data) (byGroup[String(d.group)] ??= []).push(d.count as number);
        for (const cs of Object.values(byGroup)) expect(check(cs)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('strict funnel without a window equals the journey search with an unbounded window', () => {
    fc.assert(
      fc.property(funnelArb, (rows) => {
        const ctx = ctxOf({ funnel_events: toFunnel(rows) });
        const params = { stages: ['s1', 's2', 's3', 's4'], breakdown: 'channel' };
        const fast = run(ctx, 'funnel', params);
        const search = run(ctx, 'funnel', { ...params, windowDays: 1e6 });
        expect(search.data).toEqual(fast.data);
        expect(search.meta!.overall).toEqual(fast.meta!.overall);
      }),
      { numRuns: 150 },
    );
  });

  it('churn matches a naive day-by-day reference', () => {
    fc.assert(
      fc.property(txnArb, fc.integer({ min: 5, max: 60 }), (rows, N) => {
        const r = run(ctxOf({ transactions: toTx(rows) }), 'churn', { inactiveDays: N });
        // reference on plain day numbers (days since 2024-01-01)
        const byC = new Map<number, number[]>();
        for (const x of rows) byC.set(x.c, [...(byC.get(x.c) ?? []), x.d]);
        const T = Math.max(...rows.map((x) => x.d));
        const monthStart = (m: number) => (Date.UTC(2024, m, 1) - Date.UTC(2024, 0, 1)) / 86400000;
        const monthOf = (d: number) => {
          let m = 0;
          while (monthStart(m + 1) <= d) m++;
          return m;
        };
        const first = Math.min(...rows.map((x) => x.d));
        const expected = [];
        for (let m = monthOf(first) + 1; m <= monthOf(T); m++) {
          const s = monthStart(m);
          let active = 0;
          let churned = 0;
          for (const ds of byC.values()) {
            const days = [...new Set(ds)].sort((a, b) => a - b);
            const wasActive = days.some((d) => d >= s - N && d <= s - 1);
            if (wasActive) active++;
            const churnsHere = days.some((d, j) => {
              const next = j + 1 < days.length ? days[j + 1]! : Infinity;
              const c = d + N;
              return next > c && c <= T && monthOf(c) === m;
            });
            if (wasActive && churnsHere) churned++;
          }
          expected.push({ activeAtStart: active, churned });
        }
        expect(r.data.map((d) => ({ activeAtStart: d.activeAtStart, churned: d.churned }))).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('retention is in [0, 1] (count retention ≤ size; cumulative non-increasing)', () => {
    fc.assert(
      fc.property(
        txnArb,
        fc.boolean(),
        fc.constantFrom('week', 'month', 'quarter'),
        (rows, cumulative, unit) => {
          const r = run(ctxOf({ transactions: toTx(rows) }), 'cohort', { cumulative, unit });
          let prev: Record<string, number> = {};
          for (const d of r.data) {
            if (d.value === null) continue;
            expect(d.value).toBeGreaterThanOrEqual(0);
            expect(d.value).toBeLessThanOrEqual(1);
            expect(d.active).toBeLessThanOrEqual(d.size as number);
            if (cumulative && d.period !== 0) expect(d.value).toBeLessThanOrEqual(prev[d.cohort as string]!);
            prev = { ...prev, [d.cohort as string]: d.value as number };
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('RFM segments partition the scored customers', () => {
    fc.assert(
      fc.property(txnArb, fc.constantFrom('cn8', 'rf10'), (rows, scheme) => {
        const r = run(ctxOf({ transactions: toTx(rows) }), 'rfm', { scheme, windowDays: 120 });
        const total = r.data.reduce((s, d) => s + (d.customers as number), 0);
        expect(total).toBe(r.meta!.scored);
        const grid = r.meta!.grid as Array<{ customers: number }>;
        expect(grid.reduce((s, g) => s + g.customers, 0)).toBe(r.meta!.scored);
      }),
      { numRuns: 100 },
    );
  });

  it('sankey conserves flow at every middle node and matches fund_flow totals', () => {
    fc.assert(
      fc.property(txnArb, fc.integer({ min: 1, max: 4 }), (rows, top) => {
        const ctx = ctxOf({ transactions: toTx(rows), customers: CUSTOMERS });
        const r = run(ctx, 'sankey', { top });
        const nodes = r.meta!.nodes as Array<{ id: string; side: string; inflow?: number; outflow?: number }>;
        const sum = (f: (l: Record<string, unknown>) => boolean) =>
          r.data.filter(f).reduce((s, l) => s + (l.value as number), 0);
        for (const n of nodes.filter((x) => x.side === 'mid')) {
          expect(sum((l) => l.target === n.id)).toBeCloseTo(n.inflow!, 6);
          expect(sum((l) => l.source === n.id)).toBeCloseTo(n.outflow!, 6);
        }
        const totals = run(ctx, 'fund_flow', {}).meta!.totals as { inflow: number; outflow: number };
        expect(sum((l) => String(l.source).startsWith('in:'))).toBeCloseTo(totals.inflow, 6);
        expect(sum((l) => String(l.target).startsWith('out:'))).toBeCloseTo(totals.outflow, 6);
        expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
      }),
      { numRuns: 100 },
    );
  });

  it('results do not depend on row order', () => {
    fc.assert(
      fc.property(txnArb, funnelArb, fc.integer({ min: 1, max: 1e9 }), (rows, frows, seed) => {
        const tx = toTx(rows);
        const fe = toFunnel(frows);
        const a = ctxOf({ transactions: tx, customers: CUSTOMERS, funnel_events: fe });
        const b = ctxOf({
          transactions: shuffleCols(tx, seed),
          customers: shuffleCols(CUSTOMERS, seed + 1),
          funnel_events: shuffleCols(fe, seed + 2),
        });
        const requests: Array<[string, Record<string, unknown>]> = [
          ['kpi', { measure: { agg: 'sum', field: 'amount' }, period: { unit: 'week' } }],
          ['kpi', { measure: { agg: 'distinct', field: 'customer_id' }, period: { unit: 'month' } }],
          [
            'heatmap',
            {
              x: { field: 'category' },
              y: { field: 'txn_time', part: 'dow' },
              measure: { agg: 'mean', field: 'amount' },
            },
          ],
          ['cohort', { value: 'amount' }],
          ['cohort', { unit: 'week', cumulative: true }],
          ['rfm', { includeCustomers: true, windowDays: 90 }],
          ['rfm', { scheme: 'rf10' }],
          ['churn', { inactiveDays: 20 }],
          ['fund_flow', { by: 'category', unit: 'week' }],
          ['sankey', {}],
          ['txn_alerts', { thresholds: { cash: 1, individualDomestic: 1500 } }],
          ['funnel', { breakdown: 'channel', windowDays: 3 }],
          ['funnel', { mode: 'loose' }],
        ];
        for (const [m, p] of requests) {
          const ra = run(a, m, p);
          const rb = run(b, m, p);
          expect(rb.data).toEqual(ra.data);
          expect(rb.meta).toEqual(ra.meta);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('no NaN or Infinity in any output', () => {
    fc.assert(
      fc.property(txnArb, (rows) => {
        const ctx = ctxOf({ transactions: toTx(rows), customers: CUSTOMERS });
        for (const m of ['kpi', 'cohort', 'rfm', 'churn', 'fund_flow', 'sankey', 'txn_alerts']) {
          const out = run(ctx, m, {});
          expect(nonFinite(out)).toEqual([]);
        }
      }),
      { numRuns: 50 },
    );
  });
});
