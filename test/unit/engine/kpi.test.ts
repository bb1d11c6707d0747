import { describe, expect, it } from 'vitest';
import { ctxOf, run, txns } from './generic-fixtures.js';

// Jan: in 100, out 50 · Feb: in 200 (02-05), out 40 (02-29) · Mar: in 300 (03-01), out 60 (03-15)
const TX = txns([
  { c: 'A', time: '2024-01-10 10:00', amount: 100, dir: 'in' },
  { c: 'B', time: '2024-01-20 10:00', amount: 50, dir: 'out' },
  { c: 'A', time: '2024-02-05 10:00', amount: 200, dir: 'in' },
  { c: 'A', time: '2024-02-29 10:00', amount: 40, dir: 'out' },
  { c: 'B', time: '2024-03-01 10:00', amount: 300, dir: 'in' },
  { c: 'B', time: '2024-03-15 10:00', amount: 60, dir: 'out' },
]);

describe('kpi', () => {
  it('sums the current period to date against the same span of the previous month', () => {
    const r = run(ctxOf({ transactions: TX }), 'kpi', {
      measure: { agg: 'sum', field: 'amount' },
      period: { unit: 'month' },
      target: 400,
      sparkline: { unit: 'month', points: 4 },
    });
    // Current 2024-03-01..03-15 = 300 + 60 = 360; previous 2024-02-01..02-15 = 200 (02-29 is after the 15th).
    expect(r.data).toEqual([
      {
        value: 360,
        comparison: 200,
        delta: 160,
        deltaPct: 0.8, // (360 − 200) / 200
        target: 400,
        attainment: 0.9, // 360 / 400
        period: ['2024-03-01', '2024-03-15'],
        comparisonPeriod: ['2024-02-01', '2024-02-15'],
      },
    ]);
    // Jan 150, Feb 240, Mar (to 15th) 360; Dec 2023 is before the data: null.
    expect(r.meta!.sparkline).toEqual([
      { period: '2023-12', value: null },
      { period: '2024-01', value: 150 },
      { period: '2024-02', value: 240 },
      { period: '2024-03', value: 360 },
    ]);
    expect(r.meta!.direction).toBe('higher-is-better');
    expect(r.meta!.good).toBe(true);
    expect(r.basis.asOf).toBe('2024-03-15');
  });

  it('month-end maps to month-end; year-ago with no rows gives deltaPct null', () => {
    const ctx = ctxOf({ transactions: TX });
    const r = run(ctx, 'kpi', {
      measure: { agg: 'sum', field: 'amount' },
      period: { unit: 'month', end: '2024-02-29' },
    });
    // Feb 200 + 40 = 240 vs Jan 100 + 50 = 150.
    expect(r.data[0]).toMatchObject({ value: 240, comparison: 150, delta: 90, deltaPct: 0.6 });
    expect(r.data[0]!.comparisonPeriod).toEqual(['2024-01-01', '2024-01-31']);
    const y = run(ctx, 'kpi', {
      measure: { agg: 'sum', field: 'amount' },
      period: { unit: 'month', end: '2024-02-29' },
      compare: 'year-ago',
    });
    expect(y.data[0]).toMatchObject({ value: 240, comparison: 0, delta: 240, deltaPct: null });
    expect(y.data[0]!.comparisonPeriod).toEqual(['2023-02-01', '2023-02-28']);
  });

  it('count, mean, distinct, min, max and ratio measures', () => {
    const ctx = ctxOf({ transactions: TX });
    const q = (measure: unknown, extra: Record<string, unknown> = {}) =>
      run(ctx, 'kpi', { measure, period: { unit: 'quarter' }, compare: 'none', ...extra }).data[0]!;
    // Q1 2024 = all six rows.
    expect(q({ agg: 'count' }).value).toBe(6);
    expect(q({ agg: 'mean', field: 'amount' }).value).toBe(125); // 750 / 6
    expect(q({ agg: 'distinct', field: 'customer_id' }).value).toBe(2);
    expect(q({ agg: 'min', field: 'amount' }).value).toBe(40);
    expect(q({ agg: 'max', field: 'amount' }).value).toBe(300);
    // Inflow share: (100 + 200 + 300) / 750 = 0.8
    const share = q({
      ratio: [
        { agg: 'sum', field: 'amount', where: [{ field: 'direction', op: 'eq', value: 'in' }] },
        { agg: 'sum', field: 'amount' },
      ],
    });
    expect(share.value).toBe(0.8);
    expect(share.comparison).toBeNull();
    // zero denominator: outflow share of inflow-only rows
    const onlyIn = q({
      ratio: [
        { agg: 'sum', field: 'amount' },
        { agg: 'sum', field: 'amount', where: [{ field: 'direction', op: 'eq', value: 'none' }] },
      ],
    });
    expect(onlyIn.value).toBeNull();
    expect(share.comparisonPeriod).toBeNull();
  });

  it('explicit comparison range and lower-is-better direction', () => {
    const r = run(ctxOf({ transactions: TX }), 'kpi', {
      measure: { agg: 'count' },
      period: { unit: 'day', end: '2024-03-15', length: 15 },
      compare: { range: ['2024-01-01', '2024-01-31'] },
      direction: 'lower-is-better',
    });
    // 03-01..03-15: 2 rows; January: 2 rows.
    expect(r.data[0]).toMatchObject({
      value: 2,
      comparison: 2,
      delta: 0,
      deltaPct: 0,
      period: ['2024-03-01', '2024-03-15'],
    });
    expect(r.meta!.good).toBeNull();
    const up = run(ctxOf({ transactions: TX }), 'kpi', {
      measure: { agg: 'sum', field: 'amount' },
      direction: 'lower-is-better',
    });
    expect(up.meta!.good).toBe(false); // 360 > 200 is a rise, and lower is better
  });

  it('stock measure takes the last snapshot of the period, not the sum', () => {
    const lm = {
      loan_id: ['L1', 'L2', 'L1', 'L2', 'L1'],
      snapshot_date: ['2024-01-31', '2024-01-31', '2024-02-29', '2024-02-29', '2024-03-31'],
      outstanding: [100, 50, 90, 40, 80],
      dpd: [0, 0, 0, 0, 0],
    };
    const ctx = ctxOf({ loan_months: lm });
    const measure = { agg: 'sum', field: 'outstanding' };
    const r = run(
      ctx,
      'kpi',
      { measure, stock: true, period: { unit: 'quarter' }, sparkline: { unit: 'month', points: 3 } },
      'loan_months',
    );
    // Q1 2024 last snapshot 03-31: 80 (L2 closed); Q4 2023: no rows → 0.
    expect(r.data[0]).toMatchObject({
      value: 80,
      comparison: 0,
      deltaPct: null,
      period: ['2024-01-01', '2024-03-31'],
    });
    expect(r.meta!.sparkline).toEqual([
      { period: '2024-01', value: 150 },
      { period: '2024-02', value: 130 },
      { period: '2024-03', value: 80 },
    ]);
    const flow = run(ctx, 'kpi', { measure, period: { unit: 'quarter' } }, 'loan_months');
    expect(flow.data[0]!.value).toBe(360); // 100 + 50 + 90 + 40 + 80 without the stock option
  });

  it('series mode: last two points of another metric', () => {
    const r = run(ctxOf({ transactions: TX }), 'kpi', {
      series: { metric: 'fund_flow', params: { unit: 'month' }, value: 'net', period: 'period' },
      target: 300,
    });
    // net per month: Jan 100 − 50 = 50, Feb 200 − 40 = 160, Mar 300 − 60 = 240
    expect(r.data[0]).toEqual({
      value: 240,
      comparison: 160,
      delta: 80,
      deltaPct: 0.5,
      target: 300,
      attainment: 0.8,
      period: ['2024-03', '2024-03'],
      comparisonPeriod: ['2024-02', '2024-02'],
    });
    expect(r.meta!.sparkline).toEqual([
      { period: '2024-01', value: 50 },
      { period: '2024-02', value: 160 },
      { period: '2024-03', value: 240 },
    ]);
  });

  it('series mode: several rows per period need series.where (no arbitrary "last" row)', () => {
    const ctx = ctxOf({ transactions: TX });
    // fund_flow by direction: one row per month and direction (in, out)
    const many = { metric: 'fund_flow', params: { unit: 'month', by: 'direction' }, value: 'net', period: 'period' };
    expect(() => run(ctx, 'kpi', { series: many })).toThrow(/series\.where/);
    const groups = (run(ctx, 'fund_flow', { unit: 'month', by: 'direction' }).data as Array<{ group: string }>).map((r) => r.group);
    const one = run(ctx, 'kpi', { series: { ...many, where: { group: groups[0] } } });
    expect(one.data).toHaveLength(1);
    const periods = (one.meta!.sparkline as Array<{ period: string }>).map((p) => p.period);
    expect(new Set(periods).size).toBe(periods.length);
  });

  it('empty and one-row inputs', () => {
    const none = run(
      ctxOf({ transactions: TX }, [{ field: 'customer_id', op: 'eq', value: 'nobody' }]),
      'kpi',
      {
        measure: { agg: 'sum', field: 'amount' },
      },
    );
    expect(none.data).toEqual([]);
    expect(none.empty).toBeDefined();
    const one = run(ctxOf({ transactions: txns([{ c: 'A', time: '2024-05-05', amount: 7 }]) }), 'kpi', {
      measure: { agg: 'mean', field: 'amount' },
    });
    expect(one.data[0]).toMatchObject({
      value: 7,
      comparison: null,
      delta: null,
      deltaPct: null,
      attainment: null,
    });
  });

  it('rejects malformed measures', () => {
    expect(() => run(ctxOf({ transactions: TX }), 'kpi', { measure: { agg: 'sum' } })).toThrow(
      /needs a field/,
    );
    expect(() =>
      run(ctxOf({ transactions: TX }), 'kpi', { measure: { agg: 'median', field: 'amount' } }),
    ).toThrow();
  });
});
