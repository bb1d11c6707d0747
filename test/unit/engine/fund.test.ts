import { describe, expect, it } from 'vitest';
import { ctxOf, run, txns } from './generic-fixtures.js';

const TX = txns([
  { c: 'A', time: '2024-01-03', amount: 1000, dir: 'in', category: '工资', channel: 'app' },
  { c: 'A', time: '2024-01-10', amount: 300, dir: 'out', category: '消费', channel: 'app' },
  { c: 'B', time: '2024-01-20', amount: 500, dir: 'in', category: '转账', channel: 'web' },
  { c: 'B', time: '2024-03-02', amount: 800, dir: 'out', category: '理财', channel: 'web' },
  { c: 'C', time: '2024-03-05', amount: 200, dir: 'in', category: '工资', channel: 'app' },
  { c: 'C', time: '2024-03-06', amount: 100, dir: 'out', category: '消费', channel: 'app' },
]);
const CUSTOMERS = { customer_id: ['A', 'B', 'C'], segment: ['大众', '财富', '大众'] };

describe('fund_flow', () => {
  it('monthly flows with a continuous period axis and cumulative net', () => {
    const r = run(ctxOf({ transactions: TX }), 'fund_flow', {});
    expect(r.data).toEqual([
      { period: '2024-01', inflow: 1500, outflow: 300, net: 1200, cumulativeNet: 1200, count: 3 },
      { period: '2024-02', inflow: 0, outflow: 0, net: 0, cumulativeNet: 1200, count: 0 },
      // 200 − (800 + 100) = −700; 1200 − 700 = 500
      { period: '2024-03', inflow: 200, outflow: 900, net: -700, cumulativeNet: 500, count: 3 },
    ]);
    expect(r.meta!.totals).toEqual({ inflow: 1700, outflow: 1200, net: 500, count: 6 });
  });

  it('by a dimension (joined customer segment), groups by volume', () => {
    const r = run(ctxOf({ transactions: TX, customers: CUSTOMERS }), 'fund_flow', {
      by: 'segment',
      unit: 'quarter',
    });
    // 大众: in 1200, out 400 (volume 1600); 财富: in 500, out 800 (1300)
    expect(r.data).toEqual([
      {
        period: '2024-Q1',
        group: '大众',
        inflow: 1200,
        outflow: 400,
        net: 800,
        cumulativeNet: 800,
        count: 4,
      },
      {
        period: '2024-Q1',
        group: '财富',
        inflow: 500,
        outflow: 800,
        net: -300,
        cumulativeNet: -300,
        count: 2,
      },
    ]);
    expect(r.meta!.groups).toEqual(['大众', '财富']);
  });

  it('daily unit, filters and empty input', () => {
    const r = run(ctxOf({ transactions: TX }, [{ field: 'channel', op: 'eq', value: 'web' }]), 'fund_flow', {
      unit: 'day',
    });
    expect(r.data[0]).toMatchObject({ period: '2024-01-20', inflow: 500 });
    expect(r.data).toHaveLength(43); // 01-20 .. 03-02 inclusive
    const none = run(
      ctxOf({ transactions: TX }, [{ field: 'channel', op: 'eq', value: 'x' }]),
      'fund_flow',
      {},
    );
    expect(none.data).toEqual([]);
  });
});

describe('sankey', () => {
  it('inflow categories → segment → outflow categories, flow conserved', () => {
    const r = run(ctxOf({ transactions: TX, customers: CUSTOMERS }), 'sankey', {});
    expect(r.data).toEqual([
      { source: 'in:工资', target: 'mid:大众', value: 1200 },
      { source: 'in:转账', target: 'mid:财富', value: 500 },
      { source: 'mid:大众', target: 'out:消费', value: 400 },
      { source: 'mid:财富', target: 'out:理财', value: 800 },
    ]);
    expect(r.meta!.nodes).toEqual([
      { id: 'in:工资', label: '工资', side: 'in', value: 1200 },
      { id: 'in:转账', label: '转账', side: 'in', value: 500 },
      { id: 'mid:大众', label: '大众', side: 'mid', value: 1200, inflow: 1200, outflow: 400 },
      { id: 'mid:财富', label: '财富', side: 'mid', value: 800, inflow: 500, outflow: 800 },
      { id: 'out:理财', label: '理财', side: 'out', value: 800 },
      { id: 'out:消费', label: '消费', side: 'out', value: 400 },
    ]);
  });

  it('top N folds the rest into other; one middle node; ids unique across sides', () => {
    const tx = txns([
      { c: 'A', time: '2024-01-01', amount: 100, dir: 'in', category: 'x' },
      { c: 'A', time: '2024-01-01', amount: 50, dir: 'in', category: 'y' },
      { c: 'A', time: '2024-01-01', amount: 20, dir: 'in', category: null },
      { c: 'A', time: '2024-01-01', amount: 70, dir: 'out', category: 'x' },
    ]);
    const r = run(ctxOf({ transactions: tx }), 'sankey', { middle: null, top: 1, locale: 'en-US' });
    expect(r.data).toEqual([
      { source: 'in:x', target: 'mid:__all__', value: 100 },
      { source: 'in:__other__', target: 'mid:__all__', value: 70 }, // y 50 + missing 20
      { source: 'mid:__all__', target: 'out:x', value: 70 },
    ]);
    const nodes = r.meta!.nodes as Array<{ id: string; label: string; synthetic?: boolean }>;
    expect(nodes.map((n) => n.id)).toEqual(['in:x', 'in:__other__', 'mid:__all__', 'out:x']);
    expect(nodes[1]).toMatchObject({ label: 'Other', synthetic: true });
    expect(nodes[2]).toMatchObject({ label: 'Customers' });
    // default middle without customers loaded: one node and a warning
    const fallback = run(ctxOf({ transactions: tx }), 'sankey', {});
    expect(
      (fallback.meta!.nodes as Array<{ id: string; label: string }>).find((n) => n.id === 'mid:__all__')!
        .label,
    ).toBe('客户');
    expect(fallback.quality.warnings).toHaveLength(1);
  });
});
