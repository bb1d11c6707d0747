/**
 * Pure builders of <fin-fund-flow>: the sankey model and its d3-sankey layout (three columns, no
 * NaN, widths ∝ amounts, labels localised and fitted), the net-flow trend spec (encodings, zero
 * alignment of the two axes, nulls kept, localised months, constant expressions only), period
 * clauses, and the alerts model (rules localised, sorting, thresholds text).
 */
import * as d3s from 'd3-sankey';
import { describe, expect, it } from 'vitest';
import type { MetricResult } from '../../../src/engine/types.js';
import {
  alertsModel,
  alignZero,
  amount2,
  compactLabelExpr,
  missingField,
  nodeClause,
  periodClause,
  periodTicks,
  related,
  ruleText,
  sankeyLayout,
  sankeyModel,
  sortAlerts,
  spreadLabels,
  thresholdsText,
  trendModel,
  trendSpec,
} from '../../../src/specs/fund-flow.js';
import type { SankeyGeometry, SankeyLayoutOptions, TrendSpecOptions } from '../../../src/specs/fund-flow.js';

const bi = (zh: string, en: string): { 'zh-CN': string; 'en-US': string } => ({ 'zh-CN': zh, 'en-US': en });
const basis = (metric: string, options: Record<string, unknown> = {}): MetricResult['basis'] => ({
  metric,
  title: bi('标题', 'Title'),
  formula: bi('f', 'f'),
  options,
  filters: [],
  exclusions: [],
});
const quality = { rows: 10, used: 10, excluded: {}, warnings: [] };

/** A sankey result as the metric returns it: two inflow categories + other, two segments, two outflows. */
function sankeyResult(): MetricResult {
  return {
    data: [
      { source: 'in:工资', target: 'mid:大众客户', value: 6000000 },
      { source: 'in:工资', target: 'mid:贵宾客户', value: 2000000 },
      { source: 'in:理财赎回', target: 'mid:贵宾客户', value: 3000000 },
      { source: 'in:__other__', target: 'mid:大众客户', value: 500000 },
      { source: 'mid:大众客户', target: 'out:消费', value: 4000000 },
      { source: 'mid:大众客户', target: 'out:贷款还款', value: 2000000 },
      { source: 'mid:贵宾客户', target: 'out:消费', value: 1000000 },
      { source: 'mid:贵宾客户', target: 'out:贷款还款', value: 3500000 },
      // Dropped: zero and negative amounts.
      { source: 'in:工资', target: 'mid:私行客户', value: 0 },
      { source: 'mid:私行客户', target: 'out:消费', value: -5 },
    ],
    basis: basis('sankey', { left: 'category', middle: 'segment', right: 'category' }),
    quality,
    meta: {
      nodes: [
        { id: 'in:工资', label: '工资', side: 'in', value: 8000000 },
        { id: 'in:理财赎回', label: '理财赎回', side: 'in', value: 3000000 },
        { id: 'in:__other__', label: '其他', side: 'in', value: 500000, synthetic: true },
        { id: 'mid:大众客户', label: '大众客户', side: 'mid', value: 6500000 },
        { id: 'mid:贵宾客户', label: '贵宾客户', side: 'mid', value: 5000000 },
        { id: 'out:消费', label: '消费', side: 'out', value: 5000000 },
        { id: 'out:贷款还款', label: '贷款还款', side: 'out', value: 5500000 },
      ],
    },
  };
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f'];
const layoutOpts = (o: Partial<SankeyLayoutOptions> = {}): SankeyLayoutOptions => ({
  width: 720,
  height: 320,
  locale: 'zh-CN',
  palette: PALETTE,
  otherColor: '#bab0ac',
  outColor: '#4b5563',
  ...o,
});

/** Every number anywhere in a value (deep), for NaN / Infinity checks. */
function numbers(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => numbers(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => numbers(x, out));
  return out;
}

function noNaN(geo: SankeyGeometry): void {
  for (const x of numbers(geo)) expect(Number.isFinite(x)).toBe(true);
  for (const l of geo.links) expect(l.path).not.toMatch(/NaN|Infinity|undefined/);
}

describe('sankeyModel', () => {
  it('keeps positive links, orders nodes by side and meta order, localises synthetic nodes', () => {
    const m = sankeyModel(sankeyResult(), 'zh-CN');
    expect(m.links).toHaveLength(8);
    expect(m.nodes.map((n) => n.id)).toEqual([
      'in:工资',
      'in:理财赎回',
      'in:__other__',
      'mid:大众客户',
      'mid:贵宾客户',
      'out:消费',
      'out:贷款还款',
    ]);
    const other = m.nodes.find((n) => n.id === 'in:__other__')!;
    expect(other.synthetic).toBe(true);
    expect(other.label).toBe('其他');
    expect(sankeyModel(sankeyResult(), 'en-US').nodes.find((n) => n.id === 'in:__other__')!.label).toBe(
      'Other',
    );
    expect(m.totalIn).toBe(11500000);
    expect(m.totalOut).toBe(10500000);
    const mass = m.nodes.find((n) => n.id === 'mid:大众客户')!;
    expect(mass.inflow).toBe(6500000);
    expect(mass.outflow).toBe(6000000);
    expect(mass.value).toBe(6500000);
  });

  it('selection clauses: category for the outer columns, the middle field for segments, none for other', () => {
    const m = sankeyModel(sankeyResult(), 'zh-CN');
    const node = (id: string) => m.nodes.find((n) => n.id === id)!;
    expect(nodeClause(m, node('in:工资'))).toEqual({ field: 'category', op: 'eq', value: '工资' });
    expect(nodeClause(m, node('out:消费'))).toEqual({ field: 'category', op: 'eq', value: '消费' });
    expect(nodeClause(m, node('mid:贵宾客户'))).toEqual({ field: 'segment', op: 'eq', value: '贵宾客户' });
    expect(nodeClause(m, node('in:__other__'))).toBeNull();
  });

  it('derives nodes and sides from links without prefixes or meta', () => {
    const m = sankeyModel(
      {
        data: [
          { source: 'A', target: 'M', value: 2 },
          { source: 'M', target: 'Z', value: 1 },
        ],
        basis: basis('sankey'),
        quality,
      },
      'en-US',
    );
    expect(m.nodes.map((n) => [n.id, n.side])).toEqual([
      ['A', 'in'],
      ['M', 'mid'],
      ['Z', 'out'],
    ]);
  });
});

describe('sankeyLayout', () => {
  it('places three columns left to right with widths ∝ amounts and no NaN', () => {
    const m = sankeyModel(sankeyResult(), 'zh-CN');
    const geo = sankeyLayout(d3s, m, layoutOpts());
    noNaN(geo);
    expect(geo.nodes).toHaveLength(7);
    const xs = (side: string): number[] => [
      ...new Set(geo.nodes.filter((n) => n.side === side).map((n) => n.x0)),
    ];
    expect(xs('in')).toHaveLength(1);
    expect(xs('mid')).toHaveLength(1);
    expect(xs('out')).toHaveLength(1);
    expect(xs('in')[0]!).toBeLessThan(xs('mid')[0]!);
    expect(xs('mid')[0]!).toBeLessThan(xs('out')[0]!);
    // Link width per unit of amount is one constant.
    const k = geo.links.map((l) => l.width / l.value);
    for (const x of k) expect(x).toBeCloseTo(k[0]!, 6);
    // Middle node heights: max(inflow, outflow) at the same scale.
    const mass = geo.nodes.find((n) => n.id === 'mid:大众客户')!;
    expect(mass.y1 - mass.y0).toBeCloseTo(6500000 * k[0]!, 1);
    // Order within a column is the model's (largest first, other last).
    const ins = geo.nodes.filter((n) => n.side === 'in').sort((a, b) => a.y0 - b.y0);
    expect(ins.map((n) => n.id)).toEqual(['in:工资', 'in:理财赎回', 'in:__other__']);
    // Everything inside the box.
    for (const n of geo.nodes) {
      expect(n.x0).toBeGreaterThanOrEqual(0);
      expect(n.x1).toBeLessThanOrEqual(geo.width);
      expect(n.y0).toBeGreaterThanOrEqual(0);
      expect(n.y1).toBeLessThanOrEqual(geo.height);
    }
  });

  it('colours inflow and middle nodes from the palette, other grey, outflows neutral; links by source', () => {
    const geo = sankeyLayout(d3s, sankeyModel(sankeyResult(), 'zh-CN'), layoutOpts());
    const c = (id: string): string => geo.nodes.find((n) => n.id === id)!.color;
    expect(c('in:工资')).toBe(PALETTE[0]);
    expect(c('in:理财赎回')).toBe(PALETTE[1]);
    expect(c('in:__other__')).toBe('#bab0ac');
    expect(c('mid:大众客户')).toBe(PALETTE[2]);
    expect(c('out:消费')).toBe('#4b5563');
    for (const l of geo.links) expect(l.color).toBe(c(l.source));
  });

  it('labels amounts in 万 (zh-CN) and M (en-US), outer labels outside their columns', () => {
    const zh = sankeyLayout(d3s, sankeyModel(sankeyResult(), 'zh-CN'), layoutOpts());
    const wage = zh.nodes.find((n) => n.id === 'in:工资')!;
    expect(wage.name).toBe('工资');
    expect(wage.amount).toBe('800万');
    expect(wage.anchor).toBe('end');
    expect(wage.labelX).toBeLessThan(wage.x0);
    const spend = zh.nodes.find((n) => n.id === 'out:消费')!;
    expect(spend.anchor).toBe('start');
    expect(spend.labelX).toBeGreaterThan(spend.x1);
    const mid = zh.nodes.find((n) => n.id === 'mid:大众客户')!;
    expect(mid.detail).toBe('流入 650万 · 流出 600万');
    expect(zh.columns.map((c) => c.label)).toEqual(['流入类别', '客户分层', '流出类别']);
    const en = sankeyLayout(d3s, sankeyModel(sankeyResult(), 'en-US'), layoutOpts({ locale: 'en-US' }));
    expect(en.nodes.find((n) => n.id === 'in:工资')!.amount).toBe('8M');
    expect(en.nodes.find((n) => n.id === 'in:__other__')!.name).toBe('Other');
    expect(en.columns.map((c) => c.label)).toEqual(['Inflow', 'Segment', 'Outflow']);
  });

  it('narrow widths switch the outer labels to two lines, truncating names that still do not fit', () => {
    const r = sankeyResult();
    (r.meta!['nodes'] as Array<Record<string, unknown>>)[0]!['label'] = '非常长的工资代发收入类别名称';
    const geo = sankeyLayout(d3s, sankeyModel(r, 'zh-CN'), layoutOpts({ width: 290, height: 360 }));
    noNaN(geo);
    const wage = geo.nodes.find((n) => n.id === 'in:工资')!;
    expect(wage.twoLine).toBe(true);
    expect(wage.truncated).toBe(true);
    expect(wage.name.endsWith('…')).toBe(true);
    expect(wage.label).toBe('非常长的工资代发收入类别名称');
    for (const n of geo.nodes) {
      if (n.labelHidden) continue;
      expect(n.labelX).toBeGreaterThanOrEqual(0);
      expect(n.labelX).toBeLessThanOrEqual(geo.width);
    }
  });

  it('spreads crowded labels apart and returns an empty geometry without links', () => {
    const data: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 9; i++)
      data.push({ source: `in:c${i}`, target: 'mid:all', value: i === 0 ? 1e8 : 1000 + i });
    data.push({ source: 'mid:all', target: 'out:x', value: 1e8 });
    const geo = sankeyLayout(
      d3s,
      sankeyModel({ data, basis: basis('sankey'), quality }, 'en-US'),
      layoutOpts(),
    );
    noNaN(geo);
    const ys = geo.nodes
      .filter((n) => n.side === 'in' && !n.labelHidden)
      .map((n) => n.labelY)
      .sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++)
      expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(geo.lineHeight - 0.01);
    const none = sankeyLayout(
      d3s,
      sankeyModel(
        { data: [{ source: 'in:a', target: 'mid:b', value: 0 }], basis: basis('sankey'), quality },
        'zh-CN',
      ),
      layoutOpts(),
    );
    expect(none.nodes).toEqual([]);
    expect(none.links).toEqual([]);
  });

  it('spreadLabels keeps order and gaps within bounds', () => {
    expect(spreadLabels([10, 12, 14], 10, 0, 100).ys).toEqual([10, 20, 30]);
    expect(spreadLabels([90, 95, 99], 10, 0, 100).ys).toEqual([80, 90, 100]);
    const tight = spreadLabels([50, 50, 50, 50], 40, 0, 100);
    expect(tight.fits).toBe(false);
    expect(tight.ys[0]).toBe(0);
    expect(tight.ys[3]).toBe(100);
  });

  it('related(): a node highlights its links and neighbours; a link its two ends', () => {
    const geo = sankeyLayout(d3s, sankeyModel(sankeyResult(), 'zh-CN'), layoutOpts());
    const r = related(geo, { node: 'mid:贵宾客户' })!;
    expect([...r.nodes].sort()).toEqual(
      ['in:工资', 'in:理财赎回', 'mid:贵宾客户', 'out:消费', 'out:贷款还款'].sort(),
    );
    expect(r.links.size).toBe(4);
    const l = geo.links[0]!;
    const rl = related(geo, { link: l.index })!;
    expect([...rl.nodes].sort()).toEqual([l.source, l.target].sort());
    expect(related(geo, null)).toBeNull();
  });
});

/** A fund_flow result: Jan–Mar 2024, one period with a missing net. */
function trendResult(extra: Partial<MetricResult> = {}): MetricResult {
  return {
    data: [
      { period: '2024-01', inflow: 300000, outflow: 100000, net: 200000, cumulativeNet: 200000, count: 30 },
      { period: '2024-02', inflow: 100000, outflow: 400000, net: -300000, cumulativeNet: -100000, count: 25 },
      { period: '2024-03', inflow: null, outflow: null, net: null, cumulativeNet: -100000, count: 0 },
    ],
    basis: basis('fund_flow', { unit: 'month', by: null, dateField: 'txn_time' }),
    quality,
    ...extra,
  };
}

const COLORS: TrendSpecOptions['colors'] = {
  fg: '#111827',
  muted: '#4b5563',
  border: '#d9dee5',
  bg: '#ffffff',
  accent: '#1d4ed8',
  positive: '#047857',
  negative: '#b91c1c',
};
const specOpts = (o: Partial<TrendSpecOptions> = {}): TrendSpecOptions => ({
  locale: 'zh-CN',
  width: 640,
  colors: COLORS,
  palette: PALETTE,
  ...o,
});

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('trendSpec', () => {
  it('diverging net bars on localised months, signs coloured, nulls kept as null', () => {
    const spec = trendSpec(trendModel(trendResult(), 'zh-CN'), specOpts()) as Any;
    const left = spec.layer.find((l: Any) => l.layer);
    const bars = left.layer.find((l: Any) => l.name === 'bars');
    expect(bars.mark.type).toBe('bar');
    expect(bars.encoding.x.field).toBe('label');
    expect(bars.encoding.x.scale.domain).toEqual(['2024年1月', '2024年2月', '2024年3月']);
    expect(bars.encoding.y.field).toBe('y');
    expect(bars.encoding.y.stack).toBeNull();
    expect(bars.encoding.color.field).toBe('sign');
    expect(bars.encoding.color.scale).toEqual({ domain: ['pos', 'neg'], range: ['#047857', '#b91c1c'] });
    expect(bars.data.values.map((v: Any) => v.y)).toEqual([200000, -300000, null]);
    expect(bars.data.values.map((v: Any) => v.sign)).toEqual(['pos', 'neg', 'pos']);
    const en = trendSpec(trendModel(trendResult(), 'en-US'), specOpts({ locale: 'en-US' })) as Any;
    expect(en.layer.find((l: Any) => l.layer).layer[0].encoding.x.scale.domain).toEqual([
      'Jan 2024',
      'Feb 2024',
      'Mar 2024',
    ]);
    expect(en.layer.find((l: Any) => l.layer).layer[0].encoding.y.axis.title).toBe('Net flow (CNY)');
  });

  it('cumulative net on the right axis with its zero aligned to the bars', () => {
    const spec = trendSpec(trendModel(trendResult(), 'zh-CN'), specOpts()) as Any;
    expect(spec.resolve).toEqual({ scale: { y: 'independent' } });
    const cum = spec.layer.find((l: Any) => l.name === 'cumulative');
    expect(cum.encoding.y.field).toBe('cum');
    expect(cum.encoding.y.axis.orient).toBe('right');
    expect(cum.encoding.y.axis.title).toBe('累计（元）');
    expect(cum.data.values.map((v: Any) => v.cum)).toEqual([200000, -100000, -100000]);
    const left = spec.layer.find((l: Any) => l.layer).layer[0].encoding.y.scale.domain as [number, number];
    const right = cum.encoding.y.scale.domain as [number, number];
    const f = (d: [number, number]): number => d[1] / (d[1] - d[0]);
    expect(f(left)).toBeCloseTo(f(right), 9);
    expect(left[0]).toBeLessThanOrEqual(-300000);
    expect(left[1]).toBeGreaterThanOrEqual(200000);
    expect(right[0]).toBeLessThanOrEqual(-100000);
    expect(right[1]).toBeGreaterThanOrEqual(200000);
  });

  it('only constant expressions: compact label expressions, no calculate / filter transforms', () => {
    const spec = trendSpec(
      trendModel(trendResult(), 'zh-CN'),
      specOpts({ showFlows: true, selected: '2024-02' }),
    );
    const text = JSON.stringify(spec);
    expect(text).not.toMatch(/"calculate"|"filter"|"expr"/);
    const exprs = [...text.matchAll(/"labelExpr":"((?:[^"\\]|\\.)*)"/g)].map((x) => JSON.parse(`"${x[1]}"`));
    // One per axis (the left axis is declared on each layer sharing its scale): all the constant.
    expect(exprs.length).toBeGreaterThanOrEqual(2);
    for (const e of exprs) expect(e).toBe(compactLabelExpr('zh-CN'));
  });

  it('optional inflow / outflow lines, the selected period highlighted and others dimmed', () => {
    const spec = trendSpec(
      trendModel(trendResult(), 'zh-CN'),
      specOpts({ showFlows: true, selected: '2024-02' }),
    ) as Any;
    const left = spec.layer.find((l: Any) => l.layer);
    const flows = left.layer.find((l: Any) => l.name === 'flows');
    expect(flows.mark.type).toBe('line');
    expect(flows.data.values.filter((v: Any) => v.series === 'inflow').map((v: Any) => v.y)).toEqual([
      300000,
      100000,
      null,
    ]);
    const hl = spec.layer[0];
    expect(hl.mark.type).toBe('rect');
    expect(hl.data.values).toEqual([{ label: '2024年2月', period: '2024-02' }]);
    const bars = left.layer.find((l: Any) => l.name === 'bars');
    expect(bars.data.values.map((v: Any) => v.op)).toEqual([0.4, 1, 0.4]);
    const hover = spec.layer.find((l: Any) => l.name === 'periods');
    expect(hover.mark.tooltip).toEqual({ content: 'data' });
    expect(hover.data.values.map((v: Any) => v.period)).toEqual(['2024-01', '2024-02', '2024-03']);
    const plain = trendSpec(trendModel(trendResult(), 'zh-CN'), specOpts()) as Any;
    expect(plain.layer.find((l: Any) => l.layer).layer.some((l: Any) => l.name === 'flows')).toBe(false);
  });

  it('with `by`: bars stacked per group in palette colours, the line is the total cumulative', () => {
    const r: MetricResult = {
      data: [
        { period: '2024-01', group: 'a', inflow: 10, outflow: 4, net: 6, cumulativeNet: 6, count: 2 },
        { period: '2024-01', group: null, inflow: 1, outflow: 3, net: -2, cumulativeNet: -2, count: 2 },
        { period: '2024-02', group: 'a', inflow: 5, outflow: 10, net: -5, cumulativeNet: 1, count: 2 },
        { period: '2024-02', group: null, inflow: 2, outflow: 0, net: 2, cumulativeNet: 0, count: 1 },
      ],
      basis: basis('fund_flow', { unit: 'month', by: 'channel' }),
      quality,
      meta: { groups: ['a', null] },
    };
    const tm = trendModel(r, 'en-US');
    expect(tm.groups).toEqual(['a', null]);
    expect(tm.totals.map((t) => [t.net, t.cum])).toEqual([
      [4, 4],
      [-3, 1],
    ]);
    const spec = trendSpec(tm, specOpts({ locale: 'en-US' })) as Any;
    const bars = spec.layer.find((l: Any) => l.layer).layer[0];
    expect(bars.encoding.y.stack).toBe('zero');
    expect(bars.encoding.color.field).toBe('group');
    expect(bars.encoding.color.scale.domain).toEqual(['a', '(missing)']);
    expect(bars.encoding.color.scale.range).toEqual([PALETTE[0], PALETTE[1]]);
    // Left domain covers the positive and negative stacks apart: +6 and −5.
    const dom = bars.encoding.y.scale.domain as [number, number];
    expect(dom[0]).toBeLessThanOrEqual(-5);
    expect(dom[1]).toBeGreaterThanOrEqual(6);
  });

  it('thins x labels to fit and aligns zeros for one-sided data', () => {
    const labels = Array.from({ length: 24 }, (_, i) => `2024年${(i % 12) + 1}月`);
    expect(periodTicks(labels, 2400)).toHaveLength(24);
    const thin = periodTicks(labels, 300);
    expect(thin.length).toBeLessThan(8);
    expect(thin[0]).toBe(labels[0]);
    const z = alignZero([0, 10], [-5, 5]);
    expect(z.a[1] / (z.a[1] - z.a[0])).toBeCloseTo(z.b[1] / (z.b[1] - z.b[0]), 9);
    expect(z.a[0]).toBeLessThan(0);
    const flat = alignZero([0, 0], [0, 0]);
    for (const x of numbers(flat)) expect(Number.isFinite(x)).toBe(true);
  });
});

describe('periodClause', () => {
  it('months as <date>.month eq, days eq, weeks / quarters / years as ranges', () => {
    expect(periodClause('2024-02', 'month', 'txn_time')).toEqual({
      field: 'txn_time.month',
      op: 'eq',
      value: '2024-02',
    });
    expect(periodClause('2024-02-05', 'day', 'txn_time')).toEqual({
      field: 'txn_time',
      op: 'eq',
      value: '2024-02-05',
    });
    expect(periodClause('2024-02-26', 'week', 'txn_time')).toEqual({
      field: 'txn_time',
      op: 'range',
      value: ['2024-02-26', '2024-03-03'],
    });
    expect(periodClause('2024-Q2', 'quarter', 'd')).toEqual({
      field: 'd',
      op: 'range',
      value: ['2024-04', '2024-06'],
    });
    expect(periodClause('2024', 'year', 'd')).toEqual({
      field: 'd',
      op: 'range',
      value: ['2024-01', '2024-12'],
    });
  });
});

describe('alerts', () => {
  const alerts = (): MetricResult => ({
    data: [
      {
        customer_id: 'CU1',
        date: '2024-03-02',
        rule: 'cash',
        amount: 60000,
        count: 1,
        txnIds: ['T1'],
        direction: 'in',
        threshold: 50000,
        single: true,
      },
      {
        customer_id: 'CU2',
        date: '2024-03-05',
        firstDate: '2024-03-01',
        rule: 'structuring',
        amount: 140000,
        count: 3,
        txnIds: ['T2', 'T3', 'T4'],
        direction: null,
        threshold: null,
        single: false,
      },
      {
        customer_id: 'CU3',
        date: '2024-02-10',
        rule: 'non_individual',
        amount: 2500000,
        count: 2,
        txnIds: ['T5', 'T6'],
        direction: 'out',
        threshold: 2000000,
        single: false,
      },
      {
        customer_id: 'CU1',
        date: '2024-02-10',
        rule: 'cash',
        amount: null,
        count: 1,
        txnIds: [],
        direction: 'out',
        threshold: 50000,
        single: true,
      },
    ],
    basis: basis('txn_alerts', {
      thresholds: {
        cash: 50000,
        individualDomestic: 500000,
        individualCrossBorder: 200000,
        nonIndividual: 2000000,
      },
      structuring: { minCount: 3, windowDays: 7, lower: 0.9, upper: 1 },
    }),
    quality,
    meta: { total: 6 },
  });

  it('localises rules (short names) and counts per rule in rule order', () => {
    const am = alertsModel(alerts(), 'zh-CN');
    expect(am.total).toBe(6);
    expect(am.byRule).toEqual([
      { rule: 'cash', label: '大额现金', n: 2 },
      { rule: 'non_individual', label: '大额转账(非个人)', n: 1 },
      { rule: 'structuring', label: '疑似拆分交易', n: 1 },
    ]);
    expect(ruleText('individual_domestic', 'zh-CN')).toBe('大额转账(个人)');
    expect(ruleText('individual_cross_border', 'zh-CN')).toBe('跨境(个人)');
    expect(ruleText('structuring', 'en-US')).toBe('Suspected structuring');
    expect(ruleText('custom', 'en-US', { custom: bi('自定义', 'Custom rule') })).toBe('Custom rule');
    expect(ruleText('unknown_rule', 'zh-CN')).toBe('unknown_rule');
    expect(am.rows[1]!.firstDate).toBe('2024-03-01');
  });

  it('sorts by any column, nulls last, ties by latest date', () => {
    const rows = alertsModel(alerts(), 'en-US').rows;
    expect(sortAlerts(rows, 'amount', 'desc').map((a) => a.amount)).toEqual([2500000, 140000, 60000, null]);
    expect(sortAlerts(rows, 'amount', 'asc').map((a) => a.amount)).toEqual([60000, 140000, 2500000, null]);
    expect(sortAlerts(rows, 'date', 'desc').map((a) => a.date)).toEqual([
      '2024-03-05',
      '2024-03-02',
      '2024-02-10',
      '2024-02-10',
    ]);
    expect(sortAlerts(rows, 'customer', 'asc').map((a) => `${a.customer}@${a.date}`)).toEqual([
      'CU1@2024-03-02',
      'CU1@2024-02-10',
      'CU2@2024-03-05',
      'CU3@2024-02-10',
    ]);
    expect(sortAlerts(rows, 'rule', 'asc').map((a) => a.rule)).toEqual([
      'cash',
      'cash',
      'non_individual',
      'structuring',
    ]);
  });

  it('thresholds as one localised line', () => {
    const zh = thresholdsText(alerts().basis.options, 'zh-CN');
    expect(zh).toBe(
      '阈值：大额现金 ≥ ¥50,000；大额转账(个人) ≥ ¥500,000；跨境(个人) ≥ ¥200,000；大额转账(非个人) ≥ ¥2,000,000；疑似拆分交易：7 天内 ≥ 3 笔、每笔为阈值的 90%–100%',
    );
    expect(thresholdsText(alerts().basis.options, 'en-US')).toMatch(/^Thresholds: Large cash ≥ CN¥50,000; /);
    expect(thresholdsText({}, 'en-US')).toBeNull();
    expect(amount2(842672.2, 'en-US')).toBe('842,672.20');
    expect(amount2(null, 'zh-CN')).toBe('—');
  });

  it('missingField names what a display needs', () => {
    expect(missingField('alerts', alerts())).toBeNull();
    expect(missingField('sankey', alerts())).toBe('source');
    expect(missingField('trend', sankeyResult())).toBe('period');
    expect(missingField('trend', trendResult())).toBeNull();
  });
});
