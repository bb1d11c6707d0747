import { describe, expect, it } from 'vitest';
import { ctxOf, run, txns } from './generic-fixtures.js';

// c1 Jan, Feb, Apr · c2 Jan, Mar · c3 Feb, Feb, Mar · c4 Apr. Last observed month: 2024-04.
const TX = txns([
  { c: 'c1', time: '2024-01-05', amount: 100 },
  { c: 'c1', time: '2024-02-10', amount: 50 },
  { c: 'c1', time: '2024-04-01', amount: 30 },
  { c: 'c2', time: '2024-01-20', amount: 200 },
  { c: 'c2', time: '2024-03-03', amount: 80 },
  { c: 'c3', time: '2024-02-14', amount: 10 },
  { c: 'c3', time: '2024-02-20', amount: 20 },
  { c: 'c3', time: '2024-03-30', amount: 40 },
  { c: 'c4', time: '2024-04-10', amount: 70 },
]);
const grid = (rows: Array<Record<string, unknown>>, key = 'value') => {
  const out: Record<string, unknown[]> = {};
  for (const r of rows) (out[r.cohort as string] ??= []).push(r[key]);
  return out;
};

describe('cohort', () => {
  it('monthly retention with right-censored cells null', () => {
    const r = run(ctxOf({ transactions: TX }), 'cohort', {});
    expect(r.meta!.cohorts).toEqual(['2024-01', '2024-02', '2024-04']); // no one started in March
    expect(r.meta!.maxPeriod).toBe(3);
    expect(grid(r.data)).toEqual({
      // Jan (c1, c2): p1 c1, p2 c2, p3 c1 → 1/2 each
      '2024-01': [1, 0.5, 0.5, 0.5],
      // Feb (c3): p1 Mar active, p2 Apr observed but inactive → 0, p3 May censored → null
      '2024-02': [1, 1, 0, null],
      '2024-04': [1, null, null, null],
    });
    expect(grid(r.data, 'active')['2024-01']).toEqual([2, 1, 1, 1]);
    expect(r.data[0]).toEqual({ cohort: '2024-01', size: 2, period: 0, value: 1, active: 2 });
  });

  it('leftCensored: exclude drops the first observed cohort and counts its rows', () => {
    const r = run(ctxOf({ transactions: TX }), 'cohort', { leftCensored: 'exclude' });
    expect(r.meta!.cohorts).toEqual(['2024-02', '2024-04']);
    // p runs to 2 now (Feb → Apr): the dropped Jan cohort held the only p = 3 cells
    expect(grid(r.data)).toEqual({ '2024-02': [1, 1, 0], '2024-04': [1, null, null] });
    expect(r.meta!.maxPeriod).toBe(2);
    // c1 (3 rows) and c2 (2 rows) started in Jan, the first observed month
    expect(r.quality.excluded.left_censored).toBe(5);
    expect(r.quality.used).toBe(4);
    expect(r.basis.exclusions.map((e) => e['en-US']).join(' ')).toContain('2024-01');
    // within a filtered window, the window's first month is the censored one
    const mar = run(
      ctxOf({ transactions: TX }, [{ field: 'txn_time', op: 'range', value: ['2024-03-01', null] }]),
      'cohort',
      { leftCensored: 'exclude' },
    );
    expect(mar.meta!.cohorts).toEqual(['2024-04']);
    expect(() => run(ctxOf({ transactions: TX }), 'cohort', { leftCensored: 'drop' })).toThrow();
  });

  it('cumulative retention counts active in p or later', () => {
    const r = run(ctxOf({ transactions: TX }), 'cohort', { cumulative: true });
    // Jan: c1 last active p3, c2 last p2 → p0..p2 both, p3 c1 only
    expect(grid(r.data)).toEqual({
      '2024-01': [1, 1, 1, 0.5],
      '2024-02': [1, 1, 0, null],
      '2024-04': [1, null, null, null],
    });
  });

  it('count and amount values', () => {
    const ctx = ctxOf({ transactions: TX });
    expect(grid(run(ctx, 'cohort', { value: 'count' }).data)['2024-01']).toEqual([2, 1, 1, 1]);
    const a = run(ctx, 'cohort', { value: 'amount' });
    // Jan amounts: p0 100 + 200 = 300, p1 50, p2 80, p3 30
    expect(grid(a.data)['2024-01']).toEqual([1, 0.1666666667, 0.2666666667, 0.1]);
    // Feb: p0 10 + 20 = 30, p1 40 → 4/3
    expect(grid(a.data)['2024-02']).toEqual([1, 1.3333333333, 0, null]);
    expect(grid(a.data, 'amount')['2024-01']).toEqual([300, 50, 80, 30]);
    expect(() => run(ctx, 'cohort', { value: 'amount', cumulative: true })).toThrow(/cumulative/);
  });

  it('weekly and quarterly units', () => {
    const ctx = ctxOf({ transactions: TX });
    const w = run(ctx, 'cohort', { unit: 'week' });
    expect((w.meta!.cohorts as string[])[0]).toBe('2024-01-01'); // Monday of 2024-01-05's week
    const q = run(ctx, 'cohort', { unit: 'quarter' });
    // Q1: c1 c2 c3; Q2: c4. Q1 p1 (Q2): c1 → 1/3
    expect(grid(q.data)).toEqual({ '2024-Q1': [1, 0.3333333333], '2024-Q2': [1, null] });
  });

  it('activity on loan_months with the customer resolved through loans', () => {
    const loans = {
      loan_id: ['L1', 'L2'],
      customer_id: ['A', 'B'],
      issue_date: ['2024-01-01', '2024-01-01'],
      principal: [1, 1],
    };
    const lm = {
      loan_id: ['L1', 'L2', 'L1'],
      snapshot_date: ['2024-01-31', '2024-01-31', '2024-02-29'],
      outstanding: [1, 1, 1],
      dpd: [0, 0, 0],
    };
    const r = run(ctxOf({ loans, loan_months: lm }), 'cohort', {}, 'loan_months');
    expect(grid(r.data)).toEqual({ '2024-01': [1, 0.5] });
  });

  it('empty and one-row inputs; missing ids counted', () => {
    const none = run(
      ctxOf({ transactions: TX }, [{ field: 'customer_id', op: 'eq', value: 'zz' }]),
      'cohort',
      {},
    );
    expect(none.data).toEqual([]);
    expect(none.empty).toBeDefined();
    const one = run(ctxOf({ transactions: txns([{ c: 'A', time: '2024-01-01', amount: 1 }]) }), 'cohort', {});
    expect(one.data).toEqual([{ cohort: '2024-01', size: 1, period: 0, value: 1, active: 1 }]);
    const miss = txns([
      { c: 'A', time: '2024-01-01', amount: 1 },
      { c: '', time: '2024-01-01', amount: 1 },
    ]);
    expect(run(ctxOf({ transactions: miss }), 'cohort', {}).quality.excluded).toEqual({ missing_entity: 1 });
  });
});
