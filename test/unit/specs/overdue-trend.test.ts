/**
 * Spec builders and view models of <fin-overdue-trend> (src/specs/overdue-trend.ts): concrete
 * encodings, scale domains, localised labels, null cells kept as null, constant expressions,
 * and that every spec compiles with Vega-Lite.
 */
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { MetricResult } from '../../../src/engine/types.js';
import { BUCKET_COLORS } from '../../../src/theme/tokens.js';
import {
  DEFAULT_EDGES,
  aboveThreshold,
  bucketClause,
  bucketModel,
  bucketRangeLabel,
  bucketSpec,
  compactLabelExpr,
  contrast,
  defaultColors,
  ensureContrast,
  fillMonths,
  flowAxisRates,
  flowModel,
  flowSpec,
  MAIN_FLOW_EDGES,
  niceTop,
  mergeRateResults,
  missingField,
  monthTicks,
  plusClause,
  rateCap,
  rateModel,
  rateRequests,
  rateSpec,
  rollModel,
  rollSpec,
} from '../../../src/specs/overdue-trend.js';
import type { Spec } from '../../../src/specs/overdue-trend.js';

const LIGHT = defaultColors('light');
const DARK = defaultColors('dark');
const BUCKETS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+'];

function basis(metric: string, extra: Partial<MetricResult['basis']> = {}): MetricResult['basis'] {
  return {
    metric,
    title: { 'zh-CN': metric, 'en-US': metric },
    formula: { 'zh-CN': 'f', 'en-US': 'f' },
    options: { edges: [...DEFAULT_EDGES], labels: BUCKETS },
    filters: [],
    exclusions: [],
    ...extra,
  };
}
const quality = { rows: 10, used: 10, excluded: {}, warnings: [] };

/** Bucket trend for Jan, Feb and Apr 2024 (March missing from the data). */
function bucketResult(): MetricResult {
  const data: Array<Record<string, unknown>> = [];
  for (const [mi, month] of ['2024-01', '2024-02', '2024-04'].entries()) {
    const values = [9000, 400 + mi * 100, 200, 100, 50, 40, 30, 20];
    const tot = values.reduce((a, b) => a + b, 0);
    BUCKETS.forEach((bucket, index) =>
      data.push({
        month,
        bucket,
        index,
        count: 1,
        outstanding: values[index],
        value: values[index],
        share: values[index]! / tot,
      }),
    );
  }
  return { data, basis: basis('bucket_trend', { measure: 'amount' }), quality, meta: { buckets: BUCKETS } };
}

function rateResult(k: number, lag: number, rates: Array<number | null>): MetricResult {
  const months = ['2024-01', '2024-02', '2024-03', '2024-04'];
  return {
    data: months.map((month, i) => ({
      month,
      numerator: rates[i] === null ? 0 : 100 * rates[i]!,
      denominator: rates[i] === null ? null : 100,
      rate: rates[i],
    })),
    basis: basis('overdue_rate', {
      title: { 'zh-CN': `M${k}+ 逾期率`, 'en-US': `M${k}+ overdue rate` },
      options: { k, lag, edges: [...DEFAULT_EDGES] },
    }),
    quality,
    meta: { k, lag, bucket: `M${k}+` },
  };
}

function flowResult(
  rates: Record<string, Array<number | null>>,
  smallAt: Record<string, number[]> = {},
): MetricResult {
  const months = ['2024-02', '2024-03', '2024-04', '2024-05', '2024-06'];
  const data: Array<Record<string, unknown>> = [];
  months.forEach((month, i) => {
    for (const [transition, rs] of Object.entries(rates)) {
      const [from, to] = transition.split('→');
      data.push({
        month,
        kind: 'flow',
        from,
        to,
        transition,
        numerator: 1,
        denominator: 1,
        rate: rs[i],
        performance: null,
        fromLoans: smallAt[transition]?.includes(i) ? 12 : 400,
        small: smallAt[transition]?.includes(i) ?? false,
      });
    }
    data.push({
      month,
      kind: 'chained',
      from: 'M0',
      to: 'M7+',
      transition: 'M0→M7+',
      numerator: null,
      denominator: null,
      rate: 0.001 * (i + 1),
      performance: null,
    });
  });
  return {
    data,
    basis: basis('flow_rate'),
    quality,
    meta: {
      transitions: ['M0→M1', 'M1→M2', 'M2→M3', 'M3→M4', 'M4→M5', 'M5→M6', 'M6→M7+'],
      chained: 'M0→M7+',
    },
  };
}

function rollResult(): MetricResult {
  const cols = [...BUCKETS, 'closed', 'written_off', 'missing'];
  const data: Array<Record<string, unknown>> = [];
  for (const from of BUCKETS) {
    const i = BUCKETS.indexOf(from);
    const empty = from === 'M5';
    for (const to of cols) {
      const j = cols.indexOf(to);
      const loans = empty ? 0 : j === 0 ? 6 : j === Math.min(i + 1, 7) ? 3 : to === 'closed' ? 1 : 0;
      data.push({ from, to, loans, amount: loans * 10, value: loans, share: empty ? null : loans / 10 });
    }
  }
  return {
    data,
    basis: basis('roll_rate', { measure: 'count' }),
    quality,
    meta: { t0: '2024-05', t1: '2024-06', rows: BUCKETS, columns: cols, measure: 'count' },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- spec JSON is navigated freely in assertions
type Json = any;
const layers = (s: Spec): Array<Record<string, Json>> => s['layer'] as Array<Record<string, Json>>;
const values = (l: Record<string, Json>): Array<Record<string, Json>> => l['data']['values'];

/** Every expression string in a spec (these must be constants). */
function expressions(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => expressions(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'labelExpr' || k === 'expr' || k === 'calculate' || k === 'test') && typeof v === 'string')
        out.push(v);
      else if (k === 'filter' && typeof v === 'string') out.push(v);
      else if (k !== 'values') expressions(v, out);
    }
  }
  return out;
}

function compiles(s: Spec): void {
  const v = compile(s as never).spec as { marks?: unknown[] };
  expect(v.marks?.length ?? 0).toBeGreaterThan(0);
}

describe('months and labels', () => {
  it('fills calendar gaps so a missing month is a gap, never adjacent points', () => {
    expect(fillMonths(['2024-11', '2025-02', '2024-12'])).toEqual([
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
    ]);
    expect(fillMonths([])).toEqual([]);
  });

  it('shows every month when there is room, in the locale (2024年6月 / Jun 2024)', () => {
    const months = fillMonths(['2024-01', '2024-06']);
    expect(monthTicks(months, 'zh-CN', 800)).toEqual({
      values: ['2024年1月', '2024年2月', '2024年3月', '2024年4月', '2024年5月', '2024年6月'],
      step: 1,
    });
    expect(monthTicks(months, 'en-US', 800).values[5]).toBe('Jun 2024');
  });

  it('thins labels by width, aligned to the calendar', () => {
    const months = fillMonths(['2024-05', '2026-10']);
    const narrow = monthTicks(months, 'zh-CN', 250);
    expect(narrow.step).toBeGreaterThanOrEqual(6);
    expect(narrow.values.every((l) => /年(1|7)月$/.test(l))).toBe(true);
    const wide = monthTicks(months, 'en-US', 1200);
    expect(wide.step).toBeLessThanOrEqual(2);
    // Labels never need more room than they get.
    for (const w of [250, 400, 600, 900]) {
      const t = monthTicks(months, 'zh-CN', w);
      expect(t.values.length * 66).toBeLessThanOrEqual(w + 66);
    }
  });
});

describe('buckets', () => {
  it('leaves M0 out when excluding current, keeps its share for the note, keeps missing months as null', () => {
    const m = bucketModel(bucketResult(), 'zh-CN', true);
    expect(m.months).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
    expect(m.shown).toEqual(BUCKETS.slice(1));
    expect(m.hiddenShare).toBeCloseTo(9000 / (9000 + 600 + 440), 6);
    const march = m.points.filter((p) => p.month === '2024-03');
    expect(march.length).toBe(7);
    expect(march.every((p) => p.value === null && p.share === null)).toBe(true);
    expect(bucketModel(bucketResult(), 'zh-CN', false).shown).toEqual(BUCKETS);
  });

  it('stacks areas per bucket with the bucket colours, localised months and compact 万/亿 axis', () => {
    const m = bucketModel(bucketResult(), 'zh-CN', true);
    const s = bucketSpec(m, { locale: 'zh-CN', width: 600, colors: LIGHT });
    const main = layers(s).find((l) => l['mark']['type'] === 'area')!;
    expect(main['encoding']['y']).toMatchObject({ field: 'y', stack: 'zero' });
    expect(main['encoding']['y']['axis']['title']).toBe('余额');
    expect(main['encoding']['y']['axis']['labelExpr']).toBe(compactLabelExpr('zh-CN'));
    expect(main['encoding']['color']['scale']).toEqual({
      domain: BUCKETS.slice(1),
      range: BUCKET_COLORS.slice(1),
    });
    expect(main['encoding']['order']).toMatchObject({ field: 'index' });
    expect(main['encoding']['x']['scale']['domain']).toEqual([
      '2024年1月',
      '2024年2月',
      '2024年3月',
      '2024年4月',
    ]);
    expect(
      values(main)
        .filter((v) => v['month'] === '2024-03')
        .every((v) => v['y'] === null),
    ).toBe(true);
    // The hover band per month (tooltip + click) sits on top.
    const hover = layers(s)[layers(s).length - 1]!;
    expect(values(hover).map((v) => v['month'])).toEqual(m.months);
    expect(hover['mark']).toMatchObject({ type: 'rect', fill: 'transparent' });
    // Months tile the plot (no band padding), so hover / click bands leave no gaps.
    expect(hover['encoding']['x']['scale']).toMatchObject({ type: 'band', paddingInner: 0, paddingOuter: 0 });
    compiles(s);
  });

  it('draws shares as percent bars, in English', () => {
    const m = bucketModel(bucketResult(), 'en-US', false);
    const s = bucketSpec(m, { locale: 'en-US', width: 500, colors: DARK, chartType: 'bar', share: true });
    const main = layers(s).find((l) => l['mark']['type'] === 'bar')!;
    expect(main['encoding']['y']['axis']).toMatchObject({ title: 'Share of outstanding', format: '.0%' });
    expect(main['encoding']['x']['scale']['domain'][0]).toBe('Jan 2024');
    expect(main['encoding']['color']['scale']['range'][0]).toBe(BUCKET_COLORS[0]);
    compiles(s);
  });

  it('highlights the selected months and bucket', () => {
    const m = bucketModel(bucketResult(), 'zh-CN', true);
    const s = bucketSpec(m, {
      locale: 'zh-CN',
      width: 600,
      colors: LIGHT,
      selectedMonths: ['2024-02'],
      selectedBucket: 'M2',
    });
    expect(values(layers(s)[0]!)).toEqual([{ month: '2024-02', label: '2024年2月' }]);
    const main = layers(s).find((l) => l['mark']['type'] === 'area')!;
    expect(main['encoding']['opacity']['scale']['range'][1]).toBe(1);
    expect(main['encoding']['opacity']['scale']['range'][0]).toBeLessThan(1);
  });
});

describe('rates', () => {
  it('asks for each level coincident and lagged (auto lag = k)', () => {
    expect(rateRequests([1, 3], 'auto', 8)).toEqual([
      { k: 1, lag: 0 },
      { k: 3, lag: 0 },
      { k: 1, lag: 1 },
      { k: 3, lag: 3 },
    ]);
    expect(rateRequests([1, 3, 4], 0, 8)).toEqual([
      { k: 1, lag: 0 },
      { k: 3, lag: 0 },
      { k: 4, lag: 0 },
    ]);
    expect(rateRequests([3, 9, 1], 2, 4)).toEqual([
      { k: 1, lag: 0 },
      { k: 3, lag: 0 },
      { k: 1, lag: 2 },
      { k: 3, lag: 2 },
    ]);
    expect(rateRequests([], 'auto', 8)).toEqual([
      { k: 1, lag: 0 },
      { k: 1, lag: 1 },
    ]);
  });

  it('merges the series results with k, lag and bucket on each row', () => {
    const merged = mergeRateResults([
      { req: { k: 1, lag: 0 }, result: rateResult(1, 0, [0.05, 0.06, 0.04, 0.07]) },
      { req: { k: 3, lag: 3 }, result: rateResult(3, 3, [null, null, null, 0.02]) },
    ]);
    expect(merged.data.length).toBe(8);
    expect(merged.data[4]).toMatchObject({ month: '2024-01', k: 3, lag: 3, bucket: 'M3+', rate: null });
    expect(merged.basis.title['en-US']).toBe('Overdue rate trend');
    expect(merged.basis.options['k']).toEqual([1, 3]);
    expect(merged.basis.notes?.some((n) => n['zh-CN'].includes('滞后 3 月'))).toBe(true);
  });

  it('draws solid coincident and dashed lagged lines, keeps nulls, and marks points above the alert line', () => {
    const merged = mergeRateResults([
      { req: { k: 1, lag: 0 }, result: rateResult(1, 0, [0.05, 0.06, 0.04, 0.07]) },
      { req: { k: 1, lag: 1 }, result: rateResult(1, 1, [null, 0.065, 0.045, 0.075]) },
      { req: { k: 3, lag: 0 }, result: rateResult(3, 0, [0.01, 0.012, 0.011, 0.02]) },
    ]);
    const m = rateModel(merged, 'zh-CN', LIGHT);
    expect(m.series.map((s) => s.key)).toEqual(['M1+|0', 'M1+|1', 'M3+|0']);
    expect(m.series.map((s) => s.label)).toEqual([
      'M1+ 逾期率（同期）',
      'M1+ 逾期率（滞后 1 月）',
      'M3+ 逾期率（同期）',
    ]);
    const s = rateSpec(m, { locale: 'zh-CN', width: 600, colors: LIGHT, threshold: 0.06 });
    const line = layers(s).find((l) => l['mark']['type'] === 'line')!;
    expect(line['encoding']['strokeDash']['scale']).toEqual({
      domain: ['M1+|0', 'M1+|1', 'M3+|0'],
      range: [[], [6, 4], []],
    });
    expect(line['encoding']['y']['axis']['format']).toBe('.1%');
    expect(line['encoding']['y']['axis']['title']).toBe('逾期率');
    const first = values(line).find((v) => v['key'] === 'M1+|1' && v['month'] === '2024-01')!;
    expect(first['rate']).toBeNull();
    const rule = layers(s).find((l) => l['mark']['type'] === 'rule')!;
    expect(values(rule)).toEqual([{ rate: 0.06 }]);
    const rings = layers(s).find((l) => l['mark']['type'] === 'point' && l['mark']['filled'] === false)!;
    expect(values(rings).map((v) => [v['key'], v['month']])).toEqual([
      ['M1+|0', '2024-04'],
      ['M1+|1', '2024-02'],
      ['M1+|1', '2024-04'],
    ]);
    expect(aboveThreshold(m, 0.06).length).toBe(3);
    expect(contrast(rule['mark']['color'], LIGHT.bg)).toBeGreaterThanOrEqual(4.5);
    compiles(s);
  });

  it('reads a plain overdue_rate result as one series', () => {
    const m = rateModel(rateResult(3, 0, [0.01, 0.02, null, 0.03]), 'en-US', DARK);
    expect(m.series).toHaveLength(1);
    expect(m.series[0]).toMatchObject({ key: 'M3+|0', k: 3, label: 'M3+ overdue rate (coincident)' });
    expect(contrast(m.series[0]!.color, DARK.bg)).toBeGreaterThanOrEqual(3);
    compiles(rateSpec(m, { locale: 'en-US', width: 320, colors: DARK }));
  });
});

describe('flows', () => {
  const rates = {
    'M0→M1': [0.02, 0.03, 0.025, 0.02, 0.03],
    'M1→M2': [0.4, 0.5, null, 0.45, 0.5],
    'M2→M3': [0.7, 0.8, 0.75, 0.7, 6.5],
    'M3→M4': [0.9, 0.85, 0.95, 0.9, 0.9],
  };

  it('draws one line per transition coloured by the bucket flowed into, chained loss aside', () => {
    const m = flowModel(flowResult(rates), 'zh-CN', LIGHT);
    expect(m.series.map((s) => s.key)).toEqual(['M0→M1', 'M1→M2', 'M2→M3', 'M3→M4']);
    expect(m.series.map((s) => s.from)).toEqual(['M0', 'M1', 'M2', 'M3']);
    expect(m.series.every((s) => contrast(s.color, LIGHT.bg) >= 3)).toBe(true);
    expect(new Set(m.series.map((s) => s.shape)).size).toBe(4);
    expect(m.chained.map((c) => c.rate)).toEqual([0.001, 0.002, 0.003, 0.004, 0.005]);
    expect(m.points.find((p) => p.key === 'M1→M2' && p.month === '2024-04')!.rate).toBeNull();
  });

  it('caps the axis when one flow over a tiny denominator would flatten the rest', () => {
    expect(rateCap([0.1, 0.2, 0.5, 0.9, 1])).toBeNull();
    const m = flowModel(flowResult(rates), 'en-US', LIGHT);
    const cap = rateCap(m.points.map((p) => p.rate));
    expect(cap).toBe(1.25);
    const s = flowSpec(m, { locale: 'en-US', width: 600, colors: LIGHT });
    const line = layers(s).find((l) => l['mark']['type'] === 'line')!;
    expect(line['encoding']['y']['scale']).toEqual({ domain: [0, 1.25], nice: false });
    expect(line['mark']['clip']).toBe(true);
    expect(line['encoding']['y']['axis']['values']).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
    const marks = layers(s).find((l) => l['mark']['shape'] === 'triangle-up')!;
    expect(values(marks)).toHaveLength(1);
    expect(values(marks)[0]).toMatchObject({ key: 'M2→M3', month: '2024-06', rate: 1.25 });
    expect(line['encoding']['y']['axis']['title']).toBe('Flow rate');
    compiles(s);
  });
});

describe('flows over small buckets', () => {
  it('draws small-sample points hollow, off the line, and keeps them out of the axis range', () => {
    // M3→M4 jumps to 150 % and 210 % in months where M3 held 12 loans: noise, not a trend.
    const rates = {
      'M0→M1': [0.02, 0.03, 0.025, 0.02, 0.03],
      'M1→M2': [0.4, 0.5, 0.45, 0.45, 0.5],
      'M3→M4': [0.9, 1.5, 0.85, 2.1, 0.9],
    };
    const m = flowModel(flowResult(rates, { 'M3→M4': [1, 3] }), 'zh-CN', LIGHT);
    expect(m.points.filter((p) => p.small).map((p) => [p.month, p.fromLoans])).toEqual([
      ['2024-03', 12],
      ['2024-05', 12],
    ]);
    expect(flowAxisRates(m).filter((r) => r !== null && r > 1)).toEqual([]);
    const s = flowSpec(m, { locale: 'zh-CN', width: 600, colors: LIGHT });
    const line = layers(s).find((l) => l['mark']['type'] === 'line')!;
    // The axis ends at the readable maximum (90 %), not at 210 %; no ▲ overflow marks for noise.
    expect(line['encoding']['y']['scale']).toEqual({ domain: [0, 0.9], nice: false });
    expect(layers(s).some((l) => l['mark']['shape'] === 'triangle-up')).toBe(false);
    // The line skips them; the hollow layer holds exactly them, on the top edge.
    expect(values(line).filter((p) => p['key'] === 'M3→M4').map((p) => p['rate'])).toEqual([0.9, null, 0.85, null, 0.9]);
    const hollow = layers(s).find((l) => l['mark']['type'] === 'point' && l['mark']['filled'] === false)!;
    expect(values(hollow).map((p) => [p['month'], p['rate']])).toEqual([
      ['2024-03', 0.9],
      ['2024-05', 0.9],
    ]);
    compiles(s);
  });

  it('without small points nothing changes: no hollow layer, the nice zero-based axis', () => {
    const m = flowModel(flowResult({ 'M0→M1': [0.02, 0.03, 0.025, 0.02, 0.03] }), 'en-US', LIGHT);
    const s = flowSpec(m, { locale: 'en-US', width: 600, colors: LIGHT });
    expect(layers(s).some((l) => l['mark']['filled'] === false)).toBe(false);
    expect(layers(s).find((l) => l['mark']['type'] === 'line')!['encoding']['y']['scale']).toEqual({ zero: true, nice: true });
  });

  it('collapses the main flows at M4+', () => {
    expect(MAIN_FLOW_EDGES).toEqual([0, 1, 31, 61, 91]);
    expect(niceTop(0.83)).toBe(0.9);
    expect(niceTop(1.1)).toBe(1.25);
  });
});

describe('roll rate', () => {
  it('puts t0 buckets in rows and t1 states in columns, localised, dropping an unused missing column', () => {
    const zh = rollModel(rollResult(), 'zh-CN', LIGHT);
    expect(zh.columns).toEqual([...BUCKETS, 'closed', 'written_off']);
    expect(zh.columnLabels.slice(-2)).toEqual(['结清', '核销']);
    expect(zh.rowLabels[0]).toBe('M0（10 笔）');
    const en = rollModel(rollResult(), 'en-US', LIGHT);
    expect(en.columnLabels.slice(-2)).toEqual(['Closed', 'Written off']);
    expect(en.rowLabels[1]).toBe('M1 (n=10)');
    // Non-empty rows sum to 1; the empty row stays null, never 0.
    for (const row of en.rows) {
      const cells = en.cells.filter((c) => c.from === row);
      if (row === 'M5') expect(cells.every((c) => c.share === null)).toBe(true);
      else expect(cells.reduce((a, c) => a + (c.share ?? 0), 0)).toBeCloseTo(1, 9);
    }
  });

  it('builds a heat table with percent labels readable on their fill', () => {
    const m = rollModel(rollResult(), 'zh-CN', LIGHT);
    const s = rollSpec(m, { locale: 'zh-CN', width: 640, colors: LIGHT });
    const heat = layers(s).find((l) => l['encoding']?.['color']?.['field'] === 'share')!;
    expect(heat['encoding']['color']['scale']).toMatchObject({ domain: [0, 1] });
    expect(heat['encoding']['x']['scale']['domain']).toEqual(m.columnLabels);
    expect(heat['encoding']['x']['axis']).toMatchObject({ orient: 'top', title: '期末状态（2024年6月）' });
    expect(heat['encoding']['y']['axis']['title']).toBe('期初阶段（2024年5月）');
    expect(
      values(heat)
        .filter((c) => c['from'] === 'M5')
        .every((c) => c['share'] === null),
    ).toBe(true);
    const text = layers(s).find((l) => l['mark']['type'] === 'text')!;
    expect(values(text).find((c) => c['from'] === 'M0' && c['to'] === 'M0')!['text']).toBe('60.0%');
    for (const c of values(text)) {
      const ink = c['tone'] === 'light' ? '#ffffff' : '#111827';
      expect(contrast(ink, c['fill'])).toBeGreaterThanOrEqual(4.5);
    }
    compiles(s);
  });

  it('hides cell labels and angles column labels when narrow', () => {
    const m = rollModel(rollResult(), 'en-US', DARK);
    const s = rollSpec(m, { locale: 'en-US', width: 320, colors: DARK });
    expect(layers(s).some((l) => l['mark']['type'] === 'text')).toBe(false);
    const heat = layers(s).find((l) => l['encoding']?.['color']?.['field'] === 'share')!;
    expect(heat['encoding']['x']['axis']['labelAngle']).toBe(-45);
    compiles(s);
  });
});

describe('selection clauses and labels', () => {
  it('maps buckets to their dpd range with the default edges', () => {
    const r = bucketResult();
    expect(bucketClause(r, 'M0')).toEqual({ field: 'dpd', op: 'range', value: [0, 0] });
    expect(bucketClause(r, 'M1')).toEqual({ field: 'dpd', op: 'range', value: [1, 30] });
    expect(bucketClause(r, 'M3')).toEqual({ field: 'dpd', op: 'range', value: [61, 90] });
    expect(bucketClause(r, 'M7+')).toEqual({ field: 'dpd', op: 'range', value: [181, null] });
    expect(bucketClause(r, 'M9')).toBeNull();
    expect(plusClause(r, 3)).toEqual({ field: 'dpd', op: 'range', value: [61, null] });
    expect(bucketRangeLabel(r, 'M2', 'zh-CN')).toBe('M2（逾期 31–60 天）');
    expect(bucketRangeLabel(r, 'M7+', 'en-US')).toBe('M7+ (≥ 181 dpd)');
  });

  it('follows custom edges from the basis', () => {
    const r = bucketResult();
    r.basis.options = { edges: [0, 30, 60, 90], labels: ['Current', '30+', '60+', '90+'] };
    expect(bucketClause(r, '30+')).toEqual({ field: 'dpd', op: 'range', value: [30, 59] });
    expect(bucketClause(r, '90+')).toEqual({ field: 'dpd', op: 'range', value: [90, null] });
  });
});

describe('results', () => {
  it('names the first field a display needs that a result lacks', () => {
    expect(missingField('buckets', bucketResult())).toBeNull();
    expect(missingField('rollrate', bucketResult())).toBe('from');
    expect(missingField('rates', rollResult())).toBe('month');
  });
});

describe('safety and colour', () => {
  it('uses only constant expressions: no month or bucket label inside any expression', () => {
    const specs = [
      bucketSpec(bucketModel(bucketResult(), 'zh-CN', true), { locale: 'zh-CN', width: 500, colors: LIGHT }),
      rateSpec(rateModel(rateResult(1, 0, [0.1, 0.2, 0.3, 0.4]), 'en-US', LIGHT), {
        locale: 'en-US',
        width: 500,
        colors: LIGHT,
        threshold: 0.2,
      }),
      flowSpec(flowModel(flowResult({ 'M0→M1': [0.1, 0.2, 0.1, 0.2, 0.1] }), 'zh-CN', DARK), {
        locale: 'zh-CN',
        width: 500,
        colors: DARK,
      }),
      rollSpec(rollModel(rollResult(), 'zh-CN', LIGHT), { locale: 'zh-CN', width: 500, colors: LIGHT }),
    ];
    const allowed = new Set([compactLabelExpr('zh-CN'), compactLabelExpr('en-US')]);
    for (const s of specs) for (const e of expressions(s)) expect(allowed.has(e)).toBe(true);
  });

  it('adjusts a colour until it reaches the contrast asked for', () => {
    const yellow = BUCKET_COLORS[1]!;
    expect(contrast(yellow, '#ffffff')).toBeLessThan(3);
    expect(contrast(ensureContrast(yellow, '#ffffff'), '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(contrast(ensureContrast('#5c0f14', '#111827'), '#111827')).toBeGreaterThanOrEqual(3);
    expect(ensureContrast('#1d4ed8', '#ffffff')).toBe('#1d4ed8');
  });
});
