import { describe, expect, it } from 'vitest';
import { ctxOf, run, txns } from './generic-fixtures.js';

// c1: 01-05, 02-10 → churn date 02-10 + 90 = 05-10 (May)
// c2: 01-15, 06-20 → churns 01-15 + 90 = 04-14 (April), returns 06-20
// c3: 03-01, 04-01, 05-01, 06-30 → gaps ≤ 90, no churn
const TX = txns([
  { c: 'c1', time: '2024-01-05', amount: 1 },
  { c: 'c1', time: '2024-02-10', amount: 1 },
  { c: 'c2', time: '2024-01-15', amount: 1 },
  { c: 'c2', time: '2024-06-20', amount: 1 },
  { c: 'c3', time: '2024-03-01', amount: 1 },
  { c: 'c3', time: '2024-04-01', amount: 1 },
  { c: 'c3', time: '2024-05-01', amount: 1 },
  { c: 'c3', time: '2024-06-30', amount: 1 },
]);

describe('churn', () => {
  it('monthly churn rate and current churn at T', () => {
    const r = run(ctxOf({ transactions: TX }), 'churn', {});
    // Active at start = activity in the 90 days before the 1st:
    // Feb 1: c1 c2 · Mar 1: c1 c2 · Apr 1: c1 c2 c3 · May 1 (from 02-01): c1 c3 · Jun 1 (from 03-03): c3
    // Data starts 01-05: a month's rate needs the 90 days before its start in the data, so Feb, Mar
    // and Apr (Apr 1 − 90 = Jan 2) have counts but no rate (too little history, not 0).
    expect(r.data).toEqual([
      { month: '2024-02', activeAtStart: 2, churned: 0, rate: null },
      { month: '2024-03', activeAtStart: 2, churned: 0, rate: null },
      { month: '2024-04', activeAtStart: 3, churned: 1, rate: null },
      { month: '2024-05', activeAtStart: 2, churned: 1, rate: 0.5 },
      { month: '2024-06', activeAtStart: 1, churned: 0, rate: 0 },
    ]);
    // T = 06-30; churned = last activity ≤ T − 90 = 04-01: c1 only
    expect(r.meta!.current).toEqual({
      asOf: '2024-06-30',
      customers: 3,
      churned: 1,
      active: 2,
      share: 0.3333333333,
    });
  });

  it('shorter inactivity window and an explicit as-of date', () => {
    const r = run(ctxOf({ transactions: TX }), 'churn', { inactiveDays: 30, asOf: '2024-04-30' });
    // N = 30, T = 04-30. c1: 01-05 → 02-10 gap 36 > 30 → churn 02-04 (Feb); 02-10 → churn 03-11 (Mar).
    // c2: 01-15 → churn 02-14 (Feb). c3: 03-01 → 04-01 gap 31 > 30 → churn 03-31 (Mar); 04-01 → 05-01 > T.
    // Active at Feb 1 (01-02..01-31): c1 c2 · Mar 1 (01-30..02-29): c1 · Apr 1 (03-02..03-31): none
    expect(r.data).toEqual([
      // Feb 1 − 30 = Jan 2, before the data starts (01-05): no rate
      { month: '2024-02', activeAtStart: 2, churned: 2, rate: null },
      // c3's churn date 03-31 counts only if it was active on Mar 1: it was not (first activity 03-01)
      { month: '2024-03', activeAtStart: 1, churned: 1, rate: 1 },
      { month: '2024-04', activeAtStart: 0, churned: 0, rate: null },
    ]);
    expect(r.quality.excluded.after_as_of).toBe(3);
  });

  it('empty and one-row inputs', () => {
    const none = run(
      ctxOf({ transactions: TX }, [{ field: 'customer_id', op: 'eq', value: 'x' }]),
      'churn',
      {},
    );
    expect(none.data).toEqual([]);
    expect(none.empty).toBeDefined();
    const one = run(ctxOf({ transactions: txns([{ c: 'A', time: '2024-01-01', amount: 1 }]) }), 'churn', {});
    expect(one.data).toEqual([]); // no month starts after the first activity
    expect(one.meta!.current).toMatchObject({ customers: 1, churned: 0 });
  });
});
