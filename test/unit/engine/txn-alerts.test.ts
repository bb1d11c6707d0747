import { describe, expect, it } from 'vitest';
import { ctxOf, run, txns } from './generic-fixtures.js';

const TX = txns([
  // cash: single 50,000 (at the threshold)
  { id: 't1', c: 'c1', time: '2024-03-01 10:00', amount: 50000, cash: true, dir: 'in' },
  // cash: daily cumulative 30,000 + 25,000 in, and 10,000 out the same day
  { id: 't2', c: 'c2', time: '2024-03-02 09:00', amount: 30000, cash: true, dir: 'in' },
  { id: 't3', c: 'c2', time: '2024-03-02 15:00', amount: 25000, cash: true, dir: 'in' },
  { id: 't4', c: 'c2', time: '2024-03-02 16:00', amount: 10000, cash: true, dir: 'out' },
  // natural person domestic 500,000; cross-border 200,000; domestic 200,000 (no alert)
  { id: 't5', c: 'c3', time: '2024-03-03', amount: 500000, cp: 'individual' },
  { id: 't6', c: 'c4', time: '2024-03-03', amount: 200000, cp: 'individual', cross: true },
  { id: 't7', c: 'c5', time: '2024-03-03', amount: 200000, cp: 'individual' },
  // non-natural person: 1,999,999 no, 2,000,000 yes
  { id: 't8', c: 'c6', time: '2024-03-04', amount: 1999999, cp: 'company' },
  { id: 't9', c: 'c7', time: '2024-03-04', amount: 2000000, cp: 'platform' },
  // structuring: 3 cash transactions at 92–100% of 50,000 within 7 days (05-01..05-07)
  { id: 's1', c: 'c9', time: '2024-05-01', amount: 46000, cash: true },
  { id: 's2', c: 'c9', time: '2024-05-03', amount: 47000, cash: true },
  { id: 's3', c: 'c9', time: '2024-05-07', amount: 49999, cash: true },
  // not structuring: 05-01 .. 05-08 spans 8 days
  { id: 'n1', c: 'c10', time: '2024-05-01', amount: 46000, cash: true },
  { id: 'n2', c: 'c10', time: '2024-05-04', amount: 46000, cash: true },
  { id: 'n3', c: 'c10', time: '2024-05-08', amount: 46000, cash: true },
]);

describe('txn_alerts', () => {
  it('threshold rules and structuring, newest first', () => {
    const r = run(ctxOf({ transactions: TX }), 'txn_alerts', {});
    expect(r.data.map((a) => [a.date, a.customer_id, a.rule, a.amount, a.count, a.txnIds, a.single])).toEqual(
      [
        ['2024-05-07', 'c9', 'structuring', 142999, 3, ['s1', 's2', 's3'], false],
        ['2024-03-04', 'c7', 'non_individual', 2000000, 1, ['t9'], true],
        ['2024-03-03', 'c3', 'individual_domestic', 500000, 1, ['t5'], true],
        ['2024-03-03', 'c4', 'individual_cross_border', 200000, 1, ['t6'], true],
        ['2024-03-02', 'c2', 'cash', 55000, 2, ['t2', 't3'], false], // daily cumulative, inflows only
        ['2024-03-01', 'c1', 'cash', 50000, 1, ['t1'], true],
      ],
    );
    expect(r.data[0]!.firstDate).toBe('2024-05-01');
    expect(r.data[4]).toMatchObject({ direction: 'in', threshold: 50000 });
    expect(r.meta!.byRule).toEqual({
      structuring: 1,
      non_individual: 1,
      individual_domestic: 1,
      individual_cross_border: 1,
      cash: 2,
    });
  });

  it('options: thresholds, cumulate both directions, rule selection', () => {
    const ctx = ctxOf({ transactions: TX });
    const both = run(ctx, 'txn_alerts', { cumulateBy: 'both', rules: ['cash'] });
    expect(both.data.find((a) => a.customer_id === 'c2')).toMatchObject({
      amount: 65000,
      count: 3,
      direction: null,
    });
    const lower = run(ctx, 'txn_alerts', {
      thresholds: { individualDomestic: 200000 },
      rules: ['individual_domestic'],
    });
    expect(lower.data.map((a) => a.customer_id)).toEqual(['c3', 'c5']);
    const wide = run(ctx, 'txn_alerts', { rules: ['structuring'], structuring: { windowDays: 8 } });
    expect(wide.data.map((a) => a.customer_id)).toEqual(['c10', 'c9']);
  });

  it('empty input', () => {
    const r = run(
      ctxOf({ transactions: TX }, [{ field: 'customer_id', op: 'eq', value: 'none' }]),
      'txn_alerts',
      {},
    );
    expect(r.data).toEqual([]);
    expect(r.empty).toBeDefined();
  });
});
