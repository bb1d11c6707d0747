/**
 * The heatmap spec builder: full grid with null cells kept null, localised axis labels and legend
 * texts, colour scales (sequential extent, diverging around the weighted mean), contrast ink,
 * layout decisions (thinning, rotation, label precision, cell cap), and that the spec compiles
 * with Vega-Lite and runs in a CSP-safe (interpreter) Vega view drawing the expected texts.
 */
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import {
  adaptRamp,
  colorOf,
  colorScale,
  contrast,
  dimLabel,
  heatGrid,
  heatmapLayout,
  heatmapSpec,
  inkOn,
  INK_DARK,
  INK_LIGHT,
  legendTicks,
  luminance,
  MAX_CELL_WIDTH,
  niceTicks,
  orderDomain,
  selfExplanatory,
} from '../../../src/specs/heatmap.js';
import type { HeatDatum, HeatmapSpecInput, HeatRow } from '../../../src/specs/heatmap.js';

const BLUES = [
  '#deebf7',
  '#c6dbef',
  '#9ecae1',
  '#6baed6',
  '#4292c6',
  '#2171b5',
  '#08519c',
  '#08306b',
  '#041c40',
];
const REDBLUE = [
  '#67001f',
  '#b2182b',
  '#d6604d',
  '#f4a582',
  '#f7f7f7',
  '#92c5de',
  '#4393c3',
  '#2166ac',
  '#053061',
];
const LIGHT = {
  fg: '#111827',
  bg: '#ffffff',
  muted: '#4b5563',
  nullFill: '#f8fafc',
  nullStroke: '#a3acb9',
  accent: '#1d4ed8',
};
const DARK = {
  fg: '#f3f4f6',
  bg: '#111827',
  muted: '#c4cad3',
  nullFill: '#1f2937',
  nullStroke: '#5b6473',
  accent: '#7aa2ff',
};

/** Weekday × hour contact rates; Sunday 0–2h has no rows (null), as the engine returns them. */
function weekdayHour(): HeatRow[] {
  const rows: HeatRow[] = [];
  for (let d = 1; d <= 7; d++) {
    for (let h = 0; h < 24; h++) {
      const empty = d === 7 && h < 3;
      rows.push({
        x: h,
        y: d,
        value: empty ? null : Math.round((0.1 + 0.3 * Math.sin(h / 5) ** 2 + d / 100) * 1e4) / 1e4,
        n: empty ? 0 : 100 + h,
      });
    }
  }
  return rows;
}

function input(extra: Partial<HeatmapSpecInput> = {}): HeatmapSpecInput {
  return {
    rows: weekdayHour(),
    xDomain: Array.from({ length: 24 }, (_, h) => h),
    yDomain: [1, 2, 3, 4, 5, 6, 7],
    xPart: 'hour',
    yPart: 'dow',
    locale: 'zh-CN',
    width: 900,
    format: 'percent',
    scheme: 'sequential',
    ramp: BLUES,
    colors: LIGHT,
    noDataLabel: '无数据',
    ...extra,
  };
}

/** A Vega-Lite channel definition, loosely (the builder's output is plain JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Enc = any;
type Layer = {
  name: string;
  data: { values: HeatDatum[] };
  mark: { type: string };
  encoding: Record<string, Enc>;
};
const layers = (spec: Record<string, unknown>): Layer[] => spec['layer'] as Layer[];
const param = (spec: Record<string, unknown>, name: string): string[] =>
  (spec['params'] as Array<{ name: string; value: string[] }>).find((p) => p.name === name)!.value;
const layer = (spec: Record<string, unknown>, name: string): Layer | undefined =>
  layers(spec).find((l) => l.name === name);

async function texts(spec: Record<string, unknown>): Promise<string[]> {
  const vg = compile(spec as never).spec;
  const view = new View(parse(vg, undefined, { ast: true }), {
    expr: expressionInterpreter,
    renderer: 'none',
  } as never);
  const svg = await view.toSVG();
  view.finalize();
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

describe('labels and domains', () => {
  it('localises hours, weekdays, months, weeks, booleans and English month names', () => {
    expect(dimLabel(0, 'hour', 'zh-CN')).toBe('0时');
    expect(dimLabel(9, 'hour', 'en-US')).toBe('09:00');
    expect(dimLabel(3, 'dow', 'zh-CN')).toBe('周三');
    expect(dimLabel(7, 'dow', 'en-US')).toBe('Sun');
    expect(dimLabel('2023-06', 'month', 'zh-CN')).toBe('2023年6月');
    expect(dimLabel('2023-06', 'month', 'en-US')).toBe('Jun 2023');
    expect(dimLabel('2023-06-05', 'week', 'en-US')).toBe('Wk Jun 5, 2023');
    expect(dimLabel(true, 'category', 'zh-CN')).toBe('是');
    expect(dimLabel(null, 'category', 'en-US')).toBe('(blank)');
    expect(dimLabel('may', 'category', 'zh-CN', undefined, 'month')).toBe('5月');
    expect(dimLabel('dec', 'category', 'en-US', undefined, 'month')).toBe('Dec');
    expect(dimLabel('may', 'category', 'zh-CN')).toBe('may'); // only when the whole domain is month names
    const g = heatGrid(
      input({
        rows: [
          { x: 'may', y: 'a', value: 1 },
          { x: 'jan', y: 'a', value: 2 },
        ],
        xDomain: null,
        yDomain: null,
        xPart: 'category',
        yPart: 'category',
      }),
    );
    expect(g.xLabels).toEqual(['1月', '5月']);
    const mixed = heatGrid(
      input({
        rows: [
          { x: 'May', y: 'a', value: 1 },
          { x: 'Acme', y: 'a', value: 2 },
        ],
        xDomain: null,
        yDomain: null,
        xPart: 'category',
        yPart: 'category',
      }),
    );
    expect(mixed.xLabels).toEqual(['May', 'Acme']);
    expect(dimLabel('blue-collar', 'category', 'zh-CN')).toBe('blue-collar');
  });

  it('keeps the given domain order, appends unseen keys, sorts month-name categories by calendar', () => {
    const rows: HeatRow[] = [
      { x: 'b', y: 1, value: 1 },
      { x: 'z', y: 1, value: 2 },
    ];
    expect(orderDomain(['b', 'a'], rows, 'x', 'category')).toEqual(['b', 'a', 'z']);
    expect(
      orderDomain(
        null,
        [
          { x: 3, y: 0, value: 1 },
          { x: 1, y: 0, value: 1 },
        ],
        'x',
        'hour',
      ),
    ).toEqual([1, 3]);
    expect(orderDomain(['apr', 'aug', 'dec', 'jan'], [], 'x', 'category')).toEqual([
      'jan',
      'apr',
      'aug',
      'dec',
    ]);
    expect(selfExplanatory('hour', [])).toBe(true);
    expect(selfExplanatory('category', ['jan', 'feb'])).toBe(true);
    expect(selfExplanatory('category', ['admin.', 'retired'])).toBe(false);
  });

  it('builds the full grid and keeps null cells as null (never 0)', () => {
    const rows = weekdayHour().filter((r) => !(r.y === 2 && r.x === 5)); // a cell absent from the rows
    const g = heatGrid(input({ rows }));
    expect(g.cells).toHaveLength(7 * 24);
    const sun0 = g.cells.find((c) => c.yv === 7 && c.xv === 0)!;
    expect(sun0.v).toBeNull();
    expect(sun0.vt).toBe('');
    expect(sun0.n).toBe(0);
    const missing = g.cells.find((c) => c.yv === 2 && c.xv === 5)!;
    expect(missing.v).toBeNull();
    expect(g.cells.filter((c) => c.v === null)).toHaveLength(4);
    expect(g.xLabels.slice(0, 3)).toEqual(['0时', '1时', '2时']);
    expect(g.yLabels).toEqual(['周一', '周二', '周三', '周四', '周五', '周六', '周日']);
  });
});

describe('spec', () => {
  it('encodes x × y rects on localised band domains with a colour scale over the value extent', () => {
    const { spec, grid } = heatmapSpec(input());
    const cells = layer(spec, 'cells')!;
    expect(cells.mark.type).toBe('rect');
    expect(cells.encoding['x'].field).toBe('xi');
    expect(cells.encoding['x'].scale.domain).toEqual(grid.xLabels.map((_, i) => i));
    expect(param(spec, 'finXLabels')).toEqual(grid.xLabels);
    expect(param(spec, 'finXLabels')[23]).toBe('23时');
    expect(param(spec, 'finYLabels')).toEqual(['周一', '周二', '周三', '周四', '周五', '周六', '周日']);
    expect(cells.encoding['color'].field).toBe('v');
    expect(cells.encoding['color'].type).toBe('quantitative');
    const vals = weekdayHour()
      .map((r) => r.value)
      .filter((v): v is number => v !== null);
    const dom = cells.encoding['color'].scale.domain as number[];
    expect(dom[0]).toBeCloseTo(Math.min(...vals), 8);
    expect(dom[dom.length - 1]).toBeCloseTo(Math.max(...vals), 8);
    expect(cells.encoding['color'].scale.range).toHaveLength(dom.length);
    // No-data cells: their own layer, values null, a legend entry and a hatch.
    const nodata = layer(spec, 'nodata')!;
    expect(nodata.data.values).toHaveLength(3);
    expect(nodata.data.values.every((d) => d.v === null)).toBe(true);
    expect(nodata.encoding['color'].datum).toBe('无数据');
    expect(layer(spec, 'hatch')!.mark.type).toBe('rule');
    expect(cells.data.values.every((d) => d.v !== null)).toBe(true);
  });

  it('localises axis labels and legend texts in en-US', () => {
    const { spec } = heatmapSpec(input({ locale: 'en-US', noDataLabel: 'No data' }));
    expect(param(spec, 'finXLabels')[9]).toBe('09:00');
    expect(param(spec, 'finYLabels')[0]).toBe('Mon');
    const params = spec['params'] as Array<{ name: string; value: unknown[] }>;
    const text = params.find((p) => p.name === 'legendText')!.value as string[];
    expect(text.every((t) => /%$/.test(t))).toBe(true);
    expect(layer(spec, 'nodata')!.encoding['color'].datum).toBe('No data');
  });

  it('carries no expression built from data: values only in data.values and params', () => {
    const rows: HeatRow[] = [
      { x: "a'); alert(1); ('", y: 'r', value: 0.5, n: 3 },
      { x: 'b', y: 'r', value: 0.2, n: 5 },
    ];
    const { spec } = heatmapSpec(
      input({ rows, xDomain: null, yDomain: null, xPart: 'category', yPart: 'category' }),
    );
    const cells = layer(spec, 'cells')!;
    expect(cells.encoding['color'].legend.labelExpr).toBe(
      'indexof(legendTicks, datum.value) < 0 ? datum.label : legendText[indexof(legendTicks, datum.value)]',
    );
    // axis labels are values of the finXLabels / finYLabels params, never part of an expression
    const withoutData = JSON.stringify({
      ...spec,
      params: (spec['params'] as Array<{ name: string }>).filter((p) => !/^fin[XY]Labels$/.test(p.name)),
      layer: layers(spec).map((l) => ({ ...l, data: null, encoding: { ...l.encoding, x: null, y: null } })),
    });
    expect(withoutData).not.toContain('alert');
    expect(JSON.stringify(spec)).not.toMatch(/"calculate"|"filter"/);
  });

  it('draws value labels when cells are large enough, with contrast ink, and drops them when small', () => {
    const big = heatmapSpec(input({ width: 1100 }));
    expect(big.layout.cellWidth).toBeGreaterThanOrEqual(28);
    expect(big.layout.labels).toBe(true);
    const labels = layer(big.spec, 'labels')!;
    expect(labels.encoding['text'].field).toBe('vt');
    expect(labels.data.values[0]!.vt).toMatch(/^\d+(\.\d)?%$/);
    for (const d of labels.data.values) {
      expect([INK_LIGHT, INK_DARK]).toContain(d.ink);
      expect(contrast(d.ink, colorOf(big.grid.scale, d.v!))).toBeGreaterThanOrEqual(4.5);
    }
    const small = heatmapSpec(input({ width: 400 }));
    expect(small.layout.cellWidth).toBeLessThan(28);
    expect(small.layout.labels).toBe(false);
    expect(layer(small.spec, 'labels')).toBeUndefined();
    expect(heatmapSpec(input({ width: 400, showLabels: 'always' })).layout.labels).toBe(true);
    expect(layer(heatmapSpec(input({ width: 1100, showLabels: 'never' })).spec, 'labels')).toBeUndefined();
  });

  it('falls back to fewer digits when 12.3% does not fit a cell but 12% does', () => {
    const measure = (s: string, size: number): number => s.length * size * 0.6;
    // 24 cells in ~760px → ~31px: "41.0%" (30px + 6) does not fit, "41%" (18px + 6) does.
    const out = heatmapSpec(input({ width: 800, measure }));
    expect(out.layout.labels).toBe(true);
    expect(out.layout.labelSet).toBe(1);
    expect(layer(out.spec, 'labels')!.data.values.every((d) => /^\d+%$/.test(d.vt))).toBe(true);
  });

  it('thins hour labels on narrow widths and rotates long category labels instead of dropping them', () => {
    const narrow = heatmapSpec(input({ width: 320 }));
    expect(narrow.layout.xLabelStep).toBeGreaterThan(1);
    const axisValues = layer(narrow.spec, 'cells')!.encoding['x'].axis.values as number[];
    expect(param(narrow.spec, 'finXLabels')[axisValues[0]!]).toBe('0时');
    expect(axisValues.length).toBeLessThan(24);
    const cats = Array.from({ length: 12 }, (_, i) => `category-number-${i}`);
    const lay = heatmapLayout({
      width: 500,
      xLabels: cats,
      yLabels: ['a'],
      valueTexts: [[]],
      xPart: 'category',
    });
    expect(lay.xLabelAngle).toBeLessThan(0);
    expect(lay.xLabelStep).toBe(1);
  });

  it('caps the cell width so a two-column grid does not stretch across the card', () => {
    const rows: HeatRow[] = [
      { x: 9, y: 1, value: 120, n: 120 },
      { x: 10, y: 1, value: 180, n: 180 },
    ];
    const { layout, spec } = heatmapSpec(
      input({ rows, xDomain: [9, 10], yDomain: [1], format: 'count', width: 1000 }),
    );
    expect(layout.cellWidth).toBe(MAX_CELL_WIDTH);
    expect(spec['width']).toBeLessThan(1000);
  });

  it('outlines the selected column and dims the others', () => {
    const { grid } = heatmapSpec(input({ selected: { dim: 'x', key: 10 } }));
    const sel = grid.cells.filter((c) => c.xv === 10);
    expect(sel.every((c) => c.st === LIGHT.accent && c.op === 1)).toBe(true);
    expect(grid.cells.filter((c) => c.xv !== 10).every((c) => c.st === null && c.op < 1)).toBe(true);
  });
});

describe('colour', () => {
  it('diverging: mid onto the ramp centre, each side its own extent (no impossible legend values)', () => {
    const rows: HeatRow[] = [
      { x: 'a', y: 'r', value: 0.02, n: 100 },
      { x: 'b', y: 'r', value: 0.1, n: 800 },
      { x: 'c', y: 'r', value: 0.9, n: 100 },
    ];
    const s = colorScale(rows, 'diverging', REDBLUE);
    expect(s.mid).toBeCloseTo(0.172, 6); // n-weighted mean: (2 + 80 + 90) / 1000
    expect(s.domain).toHaveLength(9);
    expect(s.domain[0]).toBeCloseTo(0.02, 8);
    expect(s.domain[4]).toBeCloseTo(0.172, 8);
    expect(s.domain[8]).toBeCloseTo(0.9, 8);
    expect(colorOf(s, 0.172)).toBe('#f7f7f7');
    expect(colorScale(rows, 'diverging', REDBLUE, 0.5).domain[4]).toBe(0.5);
    const lt = legendTicks(s, 200, (v) => `${Math.round(v * 1000) / 10}%`, 'percent');
    expect(lt.values).toContain(s.mid!);
    expect(lt.values.every((v) => v >= 0)).toBe(true);
  });

  it('sequential: the extent; a constant grid still gets a non-empty domain', () => {
    const s = colorScale([{ x: 1, y: 1, value: 5, n: 1 }], 'sequential', BLUES);
    expect(s.lo).toBeLessThan(5);
    expect(s.hi).toBeGreaterThan(5);
  });

  it('dark cards: sequential ramps run dark → light, a diverging centre fades into the background', () => {
    const seq = adaptRamp(BLUES, 'sequential', DARK.bg);
    expect(luminance(seq[0]!)).toBeLessThan(luminance(seq[seq.length - 1]!));
    expect(adaptRamp(BLUES, 'sequential', LIGHT.bg)).toEqual(BLUES);
    const div = adaptRamp(REDBLUE, 'diverging', DARK.bg);
    expect(luminance(div[4]!)).toBeLessThan(luminance('#f7f7f7') / 3);
    expect(div[0]).toBe(REDBLUE[0]);
    const { grid } = heatmapSpec(input({ colors: DARK }));
    const first = grid.cells.find((c) => c.v !== null)!;
    expect(contrast(first.ink, colorOf(grid.scale, first.v!))).toBeGreaterThanOrEqual(4.5);
  });

  it('reverse flips the fitted ramp in either theme', () => {
    const lo = (bg: typeof LIGHT, reverse: boolean): string => {
      const g = heatGrid(input({ colors: bg, reverse }));
      return colorOf(g.scale, g.scale.lo);
    };
    expect(lo(LIGHT, false)).toBe(BLUES[0]);
    expect(lo(LIGHT, true)).toBe(BLUES[8]);
    expect(lo(DARK, false)).toBe(BLUES[8]);
    expect(lo(DARK, true)).toBe(BLUES[0]);
  });

  it('white or black ink always reaches 4.5:1, on any grey and any ramp colour', () => {
    for (let v = 0; v < 256; v += 3) {
      const c = `rgb(${v}, ${v}, ${v})`;
      expect(contrast(inkOn(c), c)).toBeGreaterThanOrEqual(4.5);
    }
    for (const c of [...BLUES, ...REDBLUE]) expect(contrast(inkOn(c), c)).toBeGreaterThanOrEqual(4.5);
  });

  it('picks the label ink with more contrast', () => {
    expect(inkOn('#08306b')).toBe(INK_LIGHT);
    expect(inkOn('#deebf7')).toBe(INK_DARK);
  });

  it('nice ticks', () => {
    expect(niceTicks(0.02, 0.66, 5)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(niceTicks(0, 1500, 3)).toEqual([0, 500, 1000, 1500]);
  });
});

describe('renders in a CSP-safe Vega view (interpreter, no eval)', () => {
  it('draws localised axis labels, the formatted legend and the no-data entry (zh-CN)', async () => {
    const t = await texts(heatmapSpec(input({ width: 1100 })).spec);
    expect(t).toContain('0时');
    expect(t).toContain('周日');
    expect(t).toContain('无数据');
    expect(t.some((s) => /^\d+%$/.test(s))).toBe(true); // legend, formatted by Finboard
    expect(t.some((s) => /^\d+\.\d%$/.test(s))).toBe(true); // cell labels
  });

  it('formats compact counts with 万 in the legend (zh-CN) and K in en-US', async () => {
    const rows: HeatRow[] = [
      { x: 'a', y: '东北', value: 12000, n: 1 },
      { x: 'b', y: '东北', value: 58000, n: 1 },
    ];
    const zh = await texts(
      heatmapSpec(
        input({
          rows,
          xDomain: null,
          yDomain: null,
          xPart: 'category',
          yPart: 'category',
          format: 'compact',
        }),
      ).spec,
    );
    expect(zh.some((s) => s.endsWith('万'))).toBe(true);
    const en = await texts(
      heatmapSpec(
        input({
          rows,
          xDomain: null,
          yDomain: null,
          xPart: 'category',
          yPart: 'category',
          format: 'compact',
          locale: 'en-US',
        }),
      ).spec,
    );
    expect(en.some((s) => /K$/.test(s))).toBe(true);
  });

  it('months as 2023年6月 / Jun 2023 on the axis', async () => {
    const rows: HeatRow[] = ['2023-06', '2023-07'].flatMap((m, i) => [
      { x: m, y: '华东', value: 0.01 * (i + 1), n: 10 },
    ]);
    const zh = await texts(
      heatmapSpec(input({ rows, xDomain: null, yDomain: null, xPart: 'month', yPart: 'category' })).spec,
    );
    expect(zh).toContain('2023年6月');
    const en = await texts(
      heatmapSpec(
        input({ rows, xDomain: null, yDomain: null, xPart: 'month', yPart: 'category', locale: 'en-US' }),
      ).spec,
    );
    expect(en).toContain('Jun 2023');
  });
});
