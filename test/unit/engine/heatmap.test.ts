import { describe, expect, it } from 'vitest';
import { ctxOf, run, txns } from './generic-fixtures.js';

describe('heatmap', () => {
  it('contact rate by weekday × hour (preset): full grid, empty cells null', () => {
    const actions = {
      action_id: ['a1', 'a2', 'a3', 'a4', 'a5'],
      // 2024-01-01 and 01-08 are Mondays, 01-02 Tuesday, 01-07 Sunday.
      action_time: [
        '2024-01-01 09:10',
        '2024-01-01 09:40',
        '2024-01-08 09:00',
        '2024-01-02 14:00',
        '2024-01-07 20:00',
      ],
      contacted: [true, false, true, false, null],
    };
    const r = run(ctxOf({ collection_actions: actions }), 'heatmap', { preset: 'contact-rate-weekday-hour' });
    expect(r.data).toHaveLength(24 * 7);
    expect(r.meta!.xDomain).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(r.meta!.yDomain).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const cell = (x: number, y: number) => r.data.find((d) => d.x === x && d.y === y);
    expect(cell(9, 1)).toEqual({ x: 9, y: 1, value: 0.6666666667, n: 3 }); // 2 contacted / 3 actions
    expect(cell(14, 2)).toEqual({ x: 14, y: 2, value: 0, n: 1 }); // a real zero
    expect(cell(20, 7)).toEqual({ x: 20, y: 7, value: 0, n: 1 }); // contacted missing: 0 / count() = 1
    expect(cell(10, 3)).toEqual({ x: 10, y: 3, value: null, n: 0 }); // no rows: null, not 0
    expect(r.basis.options.preset).toBe('contact-rate-weekday-hour');
  });

  it('overdue ratio by region × snapshot month (preset), joined region, stock per cell', () => {
    const loans = {
      loan_id: ['L1', 'L2', 'L3', 'L4'],
      region: ['华东', '华北', '华东', '华南'],
      issue_date: ['2023-06-01', '2023-06-01', '2023-06-01', '2023-06-01'],
      principal: [1, 1, 1, 1],
    };
    const lm = {
      loan_id: ['L1', 'L2', 'L3', 'L1', 'L2', 'L4', 'L1'],
      snapshot_date: [
        '2024-01-31',
        '2024-01-31',
        '2024-01-31',
        '2024-02-29',
        '2024-02-29',
        '2024-02-29',
        '2024-01-15',
      ],
      outstanding: [100, 200, 50, 90, 180, 10, 999],
      dpd: [0, 5, 40, 3, 0, 0, 0],
    };
    const r = run(
      ctxOf({ loans, loan_months: lm }),
      'heatmap',
      { preset: 'overdue-region-month' },
      'loan_months',
    );
    expect(r.meta!.xDomain).toEqual(['2024-01', '2024-02']);
    expect(r.meta!.yDomain).toEqual(['华东', '华北', '华南']); // code-point order of the labels
    expect(r.data).toEqual([
      { x: '2024-01', y: '华东', value: 0.3333333333, n: 2 }, // 50 / (100 + 50); the 01-15 snapshot is not the last
      { x: '2024-02', y: '华东', value: 1, n: 1 }, // 90 / 90
      { x: '2024-01', y: '华北', value: 1, n: 1 }, // 200 / 200
      { x: '2024-02', y: '华北', value: 0, n: 1 }, // 0 / 180
      { x: '2024-01', y: '华南', value: null, n: 0 },
      { x: '2024-02', y: '华南', value: 0, n: 1 },
    ]);
    expect(r.quality.excluded.not_last_snapshot).toBe(1);
  });

  it('numeric step bins × category with an explicit order', () => {
    const tx = txns([
      { c: 'A', time: '2024-01-01', amount: 50, channel: 'app' },
      { c: 'A', time: '2024-01-02', amount: 150, channel: 'web' },
      { c: 'B', time: '2024-01-03', amount: 160, channel: 'web' },
      { c: 'B', time: '2024-01-04', amount: 420, channel: 'app' },
    ]);
    const r = run(ctxOf({ transactions: tx }), 'heatmap', {
      x: { field: 'amount', bins: { step: 100 } },
      y: { field: 'channel', order: ['web'] },
      measure: { agg: 'sum', field: 'amount' },
    });
    expect(r.meta!.xDomain).toEqual(['0–100', '100–200', '200–300', '300–400', '400–500']);
    expect(r.meta!.yDomain).toEqual(['web', 'app']);
    expect(r.data.filter((d) => d.value !== null)).toEqual([
      { x: '100–200', y: 'web', value: 310, n: 2 },
      { x: '0–100', y: 'app', value: 50, n: 1 },
      { x: '400–500', y: 'app', value: 420, n: 1 },
    ]);
    expect((r.meta!.xBins as unknown[])[0]).toEqual({ label: '0–100', lo: 0, hi: 100 });
  });

  it('threshold bins and calendar month part; missing values counted', () => {
    const tx = txns([
      { c: 'A', time: '2024-01-05', amount: 50 },
      { c: 'A', time: '2024-03-05', amount: 150 },
      { c: 'B', time: '2024-03-06', amount: 250 },
      { c: 'B', time: '2024-03-07', amount: 200, category: null },
    ]);
    const r = run(ctxOf({ transactions: tx }), 'heatmap', {
      x: { field: 'txn_time', part: 'month' },
      y: { field: 'amount', bins: { thresholds: [100, 200] } },
    });
    expect(r.meta!.xDomain).toEqual(['2024-01', '2024-02', '2024-03']); // continuous: Feb has no rows
    expect(r.meta!.yDomain).toEqual(['<100', '100–200', '≥200']);
    const v = (x: string, y: string) => r.data.find((d) => d.x === x && d.y === y)!.value;
    expect(v('2024-01', '<100')).toBe(1);
    expect(v('2024-03', '≥200')).toBe(2); // 250 and 200 (200 is in [200, ∞))
    expect(v('2024-02', '<100')).toBeNull();
    const c = run(ctxOf({ transactions: tx }), 'heatmap', {
      x: { field: 'category' },
      y: { field: 'txn_time', part: 'dow' },
    });
    expect(c.quality.excluded['missing_category']).toBe(1);
  });

  it('a ratio with a zero denominator in a non-empty cell is null', () => {
    const tx = txns([
      { c: 'A', time: '2024-01-01 10:00', amount: 50, dir: 'in' },
      { c: 'A', time: '2024-01-01 11:00', amount: 20, dir: 'in' },
      { c: 'B', time: '2024-01-01 11:30', amount: 40, dir: 'out' },
    ]);
    const sumDir = (d: string) => ({
      agg: 'sum',
      field: 'amount',
      where: [{ field: 'direction', op: 'eq', value: d }],
    });
    const r = run(ctxOf({ transactions: tx }), 'heatmap', {
      x: { field: 'txn_time', part: 'hour' },
      y: { field: 'customer_id' },
      measure: { ratio: [sumDir('in'), sumDir('out')] },
    });
    const cell = (x: number, y: string) => r.data.find((d) => d.x === x && d.y === y);
    expect(cell(10, 'A')).toEqual({ x: 10, y: 'A', value: null, n: 1 }); // 50 / 0
    expect(cell(11, 'B')).toEqual({ x: 11, y: 'B', value: 0, n: 1 }); // 0 / 40
    expect(r.basis.numerator).toBeDefined();
  });

  it('empty input returns no rows with a reason', () => {
    const tx = txns([{ c: 'A', time: '2024-01-05', amount: 50 }]);
    const r = run(ctxOf({ transactions: tx }, [{ field: 'customer_id', op: 'eq', value: 'Z' }]), 'heatmap', {
      preset: 'txn-weekday-hour',
    });
    expect(r.data).toEqual([]);
    expect(r.empty).toBeDefined();
  });

  it('rejects a part on a non-date field', () => {
    const tx = txns([{ c: 'A', time: '2024-01-05', amount: 50 }]);
    expect(() =>
      run(ctxOf({ transactions: tx }), 'heatmap', {
        x: { field: 'amount', part: 'hour' },
        y: { field: 'channel' },
      }),
    ).toThrow(/needs a date field/);
  });
});
