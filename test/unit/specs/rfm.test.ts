/**
 * The RFM spec builders: the model (scheme order, localised labels, shares, the 5 × 5 grid, null
 * means kept null), segment colours (accent for 重要价值 / champions, greys for win-back, dark theme,
 * host overrides), the bar panels (encodings, x domains with room for labels, side by side or
 * stacked), the squarified treemap, the R × F grid (rf10 regions, cn8 quadrants at the mean
 * scores), and that every spec compiles with Vega-Lite and renders in a CSP-safe (interpreter)
 * Vega view with the expected texts in both locales.
 */
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { RF10 } from '../../../src/engine/metrics/rfm.js';
import { createEngine } from '../../../src/engine/create.js';
import { contrast } from '../../../src/specs/heatmap.js';
import {
  barLayout,
  CN8_IDS,
  fitLabel,
  formatShare,
  gridLayout,
  gridRegions,
  GENERAL_FADE,
  isDark,
  mix,
  RF10_RANGES,
  rfmBarSpec,
  rfmGridSpec,
  rfmModel,
  rfmTreemapSpec,
  schemeOf,
  segmentColors,
  squarify,
  thresholdNoteKey,
  truncate,
} from '../../../src/specs/rfm.js';
import { msg } from '../../../src/format/messages.js';
import '../../../src/format/messages/rfm.js';
import type { RfmResultLike, RfmTheme } from '../../../src/specs/rfm.js';

const LIGHT: RfmTheme = {
  fg: '#111827',
  muted: '#4b5563',
  bg: '#ffffff',
  border: '#d9dee5',
  accent: '#1d4ed8',
};
const DARK: RfmTheme = {
  fg: '#f3f4f6',
  muted: '#c4cad3',
  bg: '#111827',
  border: '#374151',
  accent: '#7aa2ff',
};
const t = (zh: string, en: string): { 'zh-CN': string; 'en-US': string } => ({ 'zh-CN': zh, 'en-US': en });

const CN8_LABELS: Record<string, [string, string]> = {
  important_value: ['重要价值客户', 'Important value'],
  important_develop: ['重要发展客户', 'Important develop'],
  important_retain: ['重要保持客户', 'Important retain'],
  important_winback: ['重要挽留客户', 'Important win-back'],
  general_value: ['一般价值客户', 'General value'],
  general_develop: ['一般发展客户', 'General develop'],
  general_retain: ['一般保持客户', 'General retain'],
  general_winback: ['一般挽留客户', 'General win-back'],
};

/** A cn8 result as the engine returns it; `general_develop` is empty (means null). */
function cn8(): RfmResultLike {
  const counts = [140, 13, 111, 41, 92, 0, 108, 197];
  const money = [157898558, 8109760, 111510362, 36258188, 20518103, 0, 23056017, 24225025];
  const scored = counts.reduce((a, b) => a + b, 0);
  return {
    data: CN8_IDS.map((id, i) => ({
      segment: id,
      label: t(...CN8_LABELS[id]!),
      customers: counts[i]!,
      share: counts[i]! / scored,
      monetary: money[i]!,
      meanR: counts[i] ? 3 : null,
      meanF: counts[i] ? 3 : null,
      meanM: counts[i] ? 3 : null,
      meanRecencyDays: counts[i] ? 10 + i : null,
      meanFrequency: counts[i] ? 50 - i : null,
      meanMonetary: counts[i] ? money[i]! / counts[i]! : null,
    })),
    basis: { options: { scheme: 'cn8', monetary: 'sum', windowDays: 365 } },
    meta: {
      asOf: '2026-10-31',
      windowDays: 365,
      scored,
      excluded: 37,
      thresholds: { R: 3.07, F: 2.97, M: 3 },
      grid: Array.from({ length: 25 }, (_, g) => ({
        r: Math.floor(g / 5) + 1,
        f: (g % 5) + 1,
        customers: g * 2 + 1,
      })),
    },
  };
}

function rf10(): RfmResultLike {
  const r = cn8();
  return {
    data: RF10_RANGES.map((d, i) => ({
      segment: d.id,
      label: t(`段${i}`, d.id.replace(/_/g, ' ')),
      customers: 10 + i * 5,
      monetary: 1e5 * (10 - i),
    })),
    basis: { options: { scheme: 'rf10' } },
    meta: { ...r.meta, thresholds: undefined },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- spec JSON is navigated freely in assertions
type Any = Record<string, any>;

async function texts(spec: Any): Promise<string[]> {
  const vg = compile(spec as never).spec;
  const view = new View(parse(vg, undefined, { ast: true } as never), {
    expr: expressionInterpreter,
    renderer: 'none',
  } as never);
  const svg = await view.toSVG();
  view.finalize();
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replace(/&amp;/g, '&').replace(/&#39;/g, "'"),
  );
}

/** No data-driven expression anywhere: no transforms, no calculate/filter, no signal expressions. */
function expectNoExpressions(spec: Any): void {
  const s = JSON.stringify(spec);
  expect(s).not.toContain('"transform"');
  expect(s).not.toContain('"calculate"');
  expect(s).not.toContain('"expr"');
  expect(s).not.toContain('labelExpr');
}

describe('model', () => {
  it('keeps the scheme order, localises labels, computes value shares, keeps empty-segment means null', () => {
    const zh = rfmModel(cn8(), 'zh-CN');
    expect(zh.scheme).toBe('cn8');
    expect(zh.segments.map((s) => s.id)).toEqual([...CN8_IDS]);
    expect(zh.segments[0]!.label).toBe('重要价值客户');
    expect(rfmModel(cn8(), 'en-US').segments[3]!.label).toBe('Important win-back');
    const total = zh.segments.reduce((a, s) => a + s.monetary, 0);
    expect(zh.totalMonetary).toBe(total);
    expect(zh.segments[0]!.monetaryShare).toBeCloseTo(157898558 / total, 10);
    const empty = zh.segments.find((s) => s.id === 'general_develop')!;
    expect(empty.customers).toBe(0);
    expect(empty.meanR).toBeNull();
    expect(empty.meanRecencyDays).toBeNull();
    expect(empty.meanMonetary).toBeNull();
    expect(zh.scored).toBe(702);
    expect(zh.unscored).toBe(37);
    expect(zh.asOf).toBe('2026-10-31');
    expect(zh.thresholds).toEqual({ R: 3.07, F: 2.97, M: 3 });
    expect(zh.grid).toHaveLength(25);
    expect(zh.grid![0]).toEqual({ r: 1, f: 1, customers: 1 });
    expect(zh.grid![24]).toEqual({ r: 5, f: 5, customers: 49 });
  });

  it('derives shares when absent, infers the scheme from ids, fills missing grid cells with 0, has no grid without meta', () => {
    const r = rf10();
    delete (r.basis as Any)['options'];
    (r.meta as Any)['grid'] = [{ r: 5, f: 5, customers: 9 }];
    delete (r.meta as Any)['scored'];
    const m = rfmModel(r, 'en-US');
    expect(m.scheme).toBe('rf10');
    expect(m.scored).toBe(r.data.reduce((a, d) => a + (d['customers'] as number), 0));
    expect(m.segments[0]!.share).toBeCloseTo(10 / m.scored, 10);
    expect(m.grid!.filter((c) => c.customers === 0)).toHaveLength(24);
    expect(rfmModel({ data: [], meta: {} }, 'zh-CN').grid).toBeNull();
    expect(schemeOf({ data: [{ segment: 'vip' }] })).toBe('custom');
    expect(schemeOf({ data: [{ segment: 'general_winback' }] })).toBe('cn8');
    // A stale option does not override ids of another scheme.
    expect(schemeOf({ data: [{ segment: 'vip' }], basis: { options: { scheme: 'cn8' } } })).toBe('custom');
    expect(schemeOf({ data: [{ segment: 'champions' }], basis: { options: { scheme: 'cn8' } } })).toBe(
      'rf10',
    );
  });

  it('rejects rows without a segment id or numeric customers; keeps duplicate labels one-to-one', () => {
    expect(() => rfmModel({ data: [{ customers: 3 }] }, 'zh-CN')).toThrow(/segment/);
    expect(() => rfmModel({ data: [{ segment: 'a', customers: 'x' }] }, 'zh-CN')).toThrow(/customers/);
    const m = rfmModel(
      {
        data: [
          { segment: 'a', label: 'VIP', customers: 1 },
          { segment: 'b', label: 'VIP', customers: 2 },
        ],
      },
      'en-US',
    );
    expect(m.segments.map((s) => s.label)).toEqual(['VIP', 'VIP (2)']);
    expect(m.segments[0]!.label).toBe('VIP');
  });

  it('mirrors the engine rf10 table, whose regions tile the 5 × 5 grid exactly once', () => {
    expect(RF10_RANGES.map((d) => ({ id: d.id, r: d.r, f: d.f }))).toEqual(
      RF10.map((d) => ({ id: d.id, r: d.r, f: d.f })),
    );
    const cover = new Map<string, number>();
    for (const d of RF10_RANGES)
      for (let r = d.r[0]; r <= d.r[1]; r++)
        for (let f = d.f[0]; f <= d.f[1]; f++) cover.set(`${r}${f}`, (cover.get(`${r}${f}`) ?? 0) + 1);
    expect(cover.size).toBe(25);
    expect([...cover.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('colours', () => {
  it('important value / champions take the accent, general segments fade toward the card, win-back is grey', () => {
    const c = segmentColors('cn8', CN8_IDS, LIGHT);
    expect(c['important_value']).toBe(LIGHT.accent);
    expect(c['general_value']).toBe(mix(LIGHT.accent, LIGHT.bg, GENERAL_FADE));
    // Greys: r ≈ g ≈ b.
    for (const id of ['important_winback', 'general_winback']) {
      const hex = c[id]!;
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      expect(Math.max(r!, g!, b!) - Math.min(r!, g!, b!)).toBeLessThan(30);
    }
    expect(new Set(Object.values(c)).size).toBe(8);
    const r10 = segmentColors(
      'rf10',
      RF10_RANGES.map((d) => d.id),
      LIGHT,
    );
    expect(r10['champions']).toBe(LIGHT.accent);
    expect(new Set(Object.values(r10)).size).toBe(10);
  });

  it('dark theme: other colours, general segments fade toward the dark card; important hues stand out (≥ 3:1)', () => {
    expect(isDark(DARK.bg)).toBe(true);
    expect(isDark(LIGHT.bg)).toBe(false);
    const c = segmentColors('cn8', CN8_IDS, DARK);
    expect(c['important_value']).toBe(DARK.accent);
    expect(c['general_value']).toBe(mix(DARK.accent, DARK.bg, GENERAL_FADE));
    for (const id of CN8_IDS.filter((x) => x.startsWith('important_')))
      expect(contrast(c[id]!, DARK.bg), id).toBeGreaterThanOrEqual(3);
    const r10 = segmentColors(
      'rf10',
      RF10_RANGES.map((d) => d.id),
      DARK,
    );
    for (const [id, col] of Object.entries(r10)) expect(contrast(col, DARK.bg), id).toBeGreaterThanOrEqual(3);
    const r10l = segmentColors(
      'rf10',
      RF10_RANGES.map((d) => d.id),
      LIGHT,
    );
    for (const [id, col] of Object.entries(r10l))
      expect(contrast(col, LIGHT.bg), id).toBeGreaterThanOrEqual(3);
  });

  it('host overrides win when they are colours; custom segments get the categorical palette, unmatched grey', () => {
    const c = segmentColors('cn8', CN8_IDS, LIGHT, { important_winback: '#c2410c', general_value: 'url(x)' });
    expect(c['important_winback']).toBe('#c2410c');
    expect(c['general_value']).toBe(mix(LIGHT.accent, LIGHT.bg, GENERAL_FADE));
    const custom = segmentColors('custom', ['vip', 'mass', 'unmatched'], LIGHT);
    expect(custom['vip']).toBe('#4e79a7');
    expect(custom['mass']).toBe('#f28e2b');
    expect(custom['unmatched']).toBe('#9ca3af');
  });
});

describe('bars', () => {
  const input = (
    width: number,
    locale: 'zh-CN' | 'en-US' = 'zh-CN',
    selected: string[] | null = null,
  ): Parameters<typeof rfmBarSpec>[0] => {
    const model = rfmModel(cn8(), locale);
    return { model, width, theme: LIGHT, colors: segmentColors('cn8', CN8_IDS, LIGHT), selected };
  };

  it('two panels side by side: localised segment domain in scheme order, customers | Σ monetary, colours as values', () => {
    const { spec, layout, data } = rfmBarSpec(input(720));
    expect(layout.sideBySide).toBe(true);
    const [left, right] = spec['hconcat'] as Any[];
    const bar = left!['layer'][0];
    expect(bar.mark.type).toBe('bar');
    expect(bar.encoding.y.field).toBe('label');
    expect(bar.encoding.y.scale.domain).toEqual(CN8_IDS.map((id) => CN8_LABELS[id]![0]));
    expect(bar.encoding.y.axis.labelColor).toBe(LIGHT.fg);
    expect(bar.encoding.x.field).toBe('customers');
    expect(bar.encoding.x.axis).toBeNull();
    expect(bar.encoding.color).toEqual({ field: 'fill', type: 'nominal', scale: null });
    expect(right!['layer'][0].encoding.x.field).toBe('monetary');
    expect(right!['layer'][0].encoding.y.axis).toBeNull();
    expect(left!['title'].text).toBe('客户数');
    expect(right!['title'].text).toBe('金额合计');
    // The x domain leaves room right of the longest bar for its label.
    expect(bar.encoding.x.scale.domain[0]).toBe(0);
    expect(bar.encoding.x.scale.domain[1]).toBeGreaterThan(197);
    expect(layout.customersMax).toBeGreaterThan(197);
    expect(data[0]!.fill).toBe(LIGHT.accent);
    expect(data[0]!.ct).toBe('140 · 19.9%');
    expect(data[0]!.mt).toMatch(/^¥1\.58亿 · \d+\.\d%$/);
    expect(data.every((d) => d.op === 1 && d.st === null)).toBe(true);
    expectNoExpressions(spec);
  });

  it('stacks the panels on a narrow card and drops the share from labels that would crowd the bars', () => {
    const narrow = rfmBarSpec(input(320));
    expect(narrow.layout.sideBySide).toBe(false);
    expect(narrow.spec['vconcat']).toHaveLength(2);
    expect((narrow.spec['vconcat'] as Any[])[1]!['layer'][0].encoding.y.axis).not.toBeNull();
    expect(narrow.layout.panelWidth).toBeLessThanOrEqual(320);
    const lay = barLayout({
      width: 300,
      labels: ['a', 'b'],
      customers: [10, 5],
      monetary: [1, 2],
      full: { c: ['10 · 66.7% of all customers here', '5'], m: ['1', '2'] },
      short: { c: ['10', '5'], m: ['1', '2'] },
    });
    expect(lay.withShare).toEqual({ customers: false, monetary: true });
  });

  it('a selection dims the other bars (labels less) and outlines the selected one', () => {
    const { data } = rfmBarSpec(input(720, 'zh-CN', ['important_retain']));
    const sel = data.find((d) => d.seg === 'important_retain')!;
    expect(sel.op).toBe(1);
    expect(sel.st).toBe(LIGHT.fg);
    const other = data.find((d) => d.seg === 'general_winback')!;
    expect(other.op).toBeLessThan(0.5);
    expect(other.top).toBeGreaterThan(other.op);
  });

  it('renders localised texts in a CSP-safe view (zh-CN, en-US)', async () => {
    const zh = await texts(rfmBarSpec(input(720)).spec);
    for (const s of ['重要价值客户', '一般挽留客户', '客户数', '金额合计', '140 · 19.9%'])
      expect(zh, s).toContain(s);
    expect(zh.some((s) => /^¥\d+(\.\d+)?万 · /.test(s))).toBe(true);
    const en = await texts(rfmBarSpec(input(720, 'en-US')).spec);
    for (const s of ['Important value', 'General win-back', 'Customers', 'Σ Monetary'])
      expect(en, s).toContain(s);
    expect(en).not.toContain('客户数');
  });
});

describe('treemap', () => {
  it('squarify: areas proportional to values, inside the box, no overlaps, empty rect for 0', () => {
    const vals = [6, 6, 4, 3, 2, 2, 1, 0];
    const box = { x0: 0, y0: 0, x1: 600, y1: 400 };
    const rects = squarify(vals, box);
    const total = vals.reduce((a, b) => a + b, 0);
    rects.forEach((r, i) => {
      const area = (r.x1 - r.x0) * (r.y1 - r.y0);
      expect(area).toBeCloseTo((vals[i]! / total) * 600 * 400, 3);
      expect(r.x0).toBeGreaterThanOrEqual(-1e-9);
      expect(r.y1).toBeLessThanOrEqual(400 + 1e-9);
      if (vals[i]! > 0)
        expect(Math.max((r.x1 - r.x0) / (r.y1 - r.y0), (r.y1 - r.y0) / (r.x1 - r.x0))).toBeLessThan(4);
    });
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i]!;
        const b = rects[j]!;
        const ox = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
        const oy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        expect(ox > 1e-6 && oy > 1e-6, `${i} × ${j}`).toBe(false);
      }
    }
    expect(squarify([0, 0], box).every((r) => r.x1 === r.x0)).toBe(true);
  });

  it('tiles for segments with customers (none for the empty one), labels only where they fit, colour and ink', async () => {
    const model = rfmModel(cn8(), 'zh-CN');
    const colors = segmentColors('cn8', CN8_IDS, LIGHT);
    const { spec, tiles, texts: tt } = rfmTreemapSpec({ model, width: 640, theme: LIGHT, colors });
    expect(tiles).toHaveLength(7);
    expect(tiles.find((x) => x.seg === 'general_develop')).toBeUndefined();
    const big = tiles.find((x) => x.seg === 'important_value')!;
    expect(big.fill).toBe(LIGHT.accent);
    const bigText = tt.filter((x) => x.seg === 'important_value');
    expect(bigText.map((x) => x.text)).toEqual([
      '重要价值客户',
      '140 户 · 19.9%',
      expect.stringMatching(/^¥1\.58亿 · /),
    ]);
    expect(bigText[0]!.ink).toBe('#ffffff');
    for (const x of tt) {
      const tile = tiles.find((y) => y.seg === x.seg)!;
      expect(x.y + 14).toBeLessThanOrEqual(tile.y1);
    }
    const layers = spec['layer'] as Any[];
    expect(layers[0]!.encoding.x).toEqual({ field: 'x0', type: 'quantitative', scale: null, axis: null });
    expectNoExpressions(spec);
    const out = await texts(spec);
    expect(out).toContain('重要价值客户');
    // Tile area by Σ monetary.
    const byM = rfmTreemapSpec({ model, width: 640, theme: LIGHT, colors, sizeBy: 'monetary' });
    const area = (x: { x0: number; x1: number; y0: number; y1: number }): number =>
      (x.x1 - x.x0) * (x.y1 - x.y0);
    const vM = byM.tiles.find((x) => x.seg === 'important_value')!;
    expect(area(vM)).toBeGreaterThan(area(big));
  });
});

describe('texts', () => {
  it('shares: one decimal, "<0.1%" for a positive share that would read 0.0%, a dash for null', () => {
    expect(formatShare(0.1834, 'zh-CN')).toBe('18.3%');
    expect(formatShare(3 / 49_250_004, 'en-US')).toBe('<0.1%');
    expect(formatShare(0, 'en-US')).toBe('0.0%');
    expect(formatShare(null, 'zh-CN')).toBe('—');
  });

  it('truncates names with an ellipsis, or drops them when nothing readable fits', () => {
    expect(truncate('Champions', 200, 12)).toBe('Champions');
    const cut = truncate('Important value (high-net-worth customers)', 90, 12);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length).toBeLessThan(20);
    expect(truncate('重要价值客户', 5, 12)).toBe('');
  });

  it('a treemap tile with a very long name shows the name cut and its figures', () => {
    const model = rfmModel(
      {
        data: [
          {
            segment: 'important_value',
            label:
              'Important value (high-net-worth customers with wealth purchases in the last three months)',
            customers: 740,
            monetary: 8e8,
          },
          { segment: 'general_winback', label: 'x', customers: 1090, monetary: 2e7 },
        ],
      },
      'en-US',
    );
    const { texts: tt } = rfmTreemapSpec({
      model,
      width: 560,
      theme: LIGHT,
      colors: segmentColors('cn8', CN8_IDS, LIGHT),
    });
    const v = tt.filter((x) => x.seg === 'important_value').map((x) => x.text);
    expect(v[0]!.startsWith('Important value')).toBe(true);
    expect(v[0]!.endsWith('…')).toBe(true);
    expect(v[1]).toMatch(/^740 customers/);
  });
});

describe('R × F grid', () => {
  it('rf10: 25 cells with counts, ten regions with localised labels, region gaps, axis titles; renders', async () => {
    const model = rfmModel(rf10(), 'en-US');
    const colors = segmentColors(
      'rf10',
      model.segments.map((s) => s.id),
      LIGHT,
    );
    const out = rfmGridSpec({ model, width: 640, theme: LIGHT, colors })!;
    expect(out.cells).toHaveLength(25);
    const c51 = out.cells.find((c) => c.r === 5 && c.f === 1)!;
    expect(c51.region).toBe('new_customers');
    expect(c51.ids).toEqual(['new_customers']);
    expect(c51.nt).toBe('41');
    expect(out.regions).toHaveLength(10);
    const champ = out.regions.find((g) => g.key === 'champions')!;
    expect([champ.x0, champ.x1, champ.y0, champ.y1]).toEqual([4.5, 5.5, 3.5, 5.5]);
    expect(champ.lines).toEqual(['champions']);
    const layers = out.spec['layer'] as Any[];
    expect(layers.map((l) => l.name)).toEqual(['cells', 'regions', 'counts', 'regionLabels']);
    const cellsLayer = layers[0]!;
    expect(cellsLayer.encoding.x.scale.domain).toEqual([0.5, 5.5]);
    expect(cellsLayer.encoding.x.axis.title).toBe('R score (recent = 5)');
    expect(cellsLayer.encoding.y.axis.title).toBe('F score (frequent = 5)');
    // The fullest cell takes the region's hue; ink contrasts.
    const full = out.cells.find((c) => c.n === 49)!;
    expect(full.fill).toBe(colors['champions']);
    for (const c of out.cells) expect(contrast(c.fill, c.ink)).toBeGreaterThanOrEqual(4.5);
    expectNoExpressions(out.spec);
    const t = await texts(out.spec);
    for (const s of ['R score (recent = 5)', 'F score (frequent = 5)', 'champions', '49', '1'])
      expect(t, s).toContain(s);
  });

  it('cn8: quadrants split at the mean scores (high = above), dashed threshold lines, quadrant selection', async () => {
    const model = rfmModel(cn8(), 'zh-CN');
    const colors = segmentColors('cn8', CN8_IDS, LIGHT);
    const regions = gridRegions(model, colors, LIGHT.accent);
    const value = regions.find((g) => g.key === 'value')!;
    expect(value.r).toEqual([4, 5]); // R mean 3.07: scores 4, 5 are high
    expect(value.f).toEqual([3, 5]); // F mean 2.97: scores 3..5 are high
    expect(value.ids).toEqual(['important_value', 'general_value']);
    expect(value.label).toBe('价值客户');
    expect(regions.find((g) => g.key === 'winback')!.r).toEqual([1, 3]);
    const out = rfmGridSpec({ model, width: 640, theme: LIGHT, colors, selected: ['general_value'] })!;
    const rules = (out.spec['layer'] as Any[]).find((l) => l.name === 'thresholds')!;
    expect(rules.data.values).toEqual([
      { x0: 3.5, x1: 3.5, y0: 0.5, y1: 5.5 },
      { x0: 0.5, x1: 5.5, y0: 2.5, y1: 2.5 },
    ]);
    expect(rules.mark.strokeDash).toEqual([5, 4]);
    const cell = out.cells.find((c) => c.r === 5 && c.f === 5)!;
    expect(cell.regionLabel).toBe('价值客户（重要 + 一般）');
    expect(cell.op).toBe(1);
    expect(out.cells.find((c) => c.r === 1 && c.f === 1)!.op).toBeLessThan(1);
    expect((out.spec['layer'] as Any[]).some((l) => l.name === 'selected')).toBe(true);
    const t = await texts(out.spec);
    for (const s of ['R 得分（越近越高）', 'F 得分（越频繁越高）', '价值客户', '挽留客户'])
      expect(t, s).toContain(s);
  });

  it('no grid in the result: no spec; narrow cards drop region labels; custom schemes have no regions', () => {
    expect(
      rfmGridSpec({
        model: rfmModel({ data: [{ segment: 'a', customers: 1 }] }, 'zh-CN'),
        width: 500,
        theme: LIGHT,
        colors: {},
      }),
    ).toBeNull();
    expect(gridLayout(300).regionLabels).toBe(false);
    expect(gridLayout(640).regionLabels).toBe(true);
    expect(gridLayout(2000).cellWidth).toBe(130);
    const custom = rfmModel({ data: [{ segment: 'vip', customers: 3 }], meta: cn8().meta }, 'en-US');
    expect(gridRegions(custom, {}, LIGHT.accent)).toEqual([]);
  });

  it('fits region labels on one or two lines, or not at all', () => {
    expect(fitLabel('Champions', 200, 10)).toEqual(['Champions']);
    expect(fitLabel('Potential loyalist', 60, 10)).toEqual(['Potential', 'loyalist']);
    expect(fitLabel('潜力忠诚客户', 40, 10)).toEqual(['潜力忠', '诚客户']);
    expect(fitLabel('Hibernating', 20, 10)).toEqual([]);
  });
});

describe('with the engine', () => {
  it('builds every view from a real rfm result (cn8 and rf10) and renders it', async () => {
    const engine = createEngine();
    const rows: Array<Record<string, unknown>> = [];
    for (let c = 0; c < 40; c++) {
      for (let k = 0; k <= c % 7; k++) {
        rows.push({
          txn_id: `T${c}-${k}`,
          customer_id: `C${String(c).padStart(3, '0')}`,
          txn_time: `2024-${String(1 + ((c + k) % 12)).padStart(2, '0')}-15`,
          amount: 100 * (1 + ((c * 7) % 11)) + k,
          direction: k % 2 ? 'in' : 'out',
        });
      }
    }
    await engine.load('transactions', rows);
    for (const scheme of ['cn8', 'rf10'] as const) {
      const r = await engine.query({ metric: 'rfm', params: { scheme } });
      const model = rfmModel(r, 'zh-CN');
      expect(model.scheme).toBe(scheme);
      expect(model.scored).toBe(40);
      expect(model.grid!.reduce((a, c) => a + c.customers, 0)).toBe(40);
      const colors = segmentColors(
        scheme,
        model.segments.map((s) => s.id),
        DARK,
      );
      for (const spec of [
        rfmBarSpec({ model, width: 560, theme: DARK, colors }).spec,
        rfmTreemapSpec({ model, width: 560, theme: DARK, colors }).spec,
        rfmGridSpec({ model, width: 560, theme: DARK, colors })!.spec,
      ]) {
        const out = await texts(spec);
        expect(out.length).toBeGreaterThan(5);
      }
    }
  });
});

describe('cn8 high/low note', () => {
  it('names the rule in use: score ≥ 4 by default, mean scores, raw means, a fixed score', () => {
    const base = cn8();
    const mode = (m: string | undefined) =>
      rfmModel({ ...base, meta: { ...base.meta, thresholdMode: m } }, 'en-US');
    expect(mode('score4').thresholdMode).toBe('score4');
    expect(mode(undefined).thresholdMode).toBeNull();
    expect(mode('bogus').thresholdMode).toBeNull();
    const text = (m: string | undefined, locale: 'zh-CN' | 'en-US') =>
      msg(locale, thresholdNoteKey(mode(m)), { r: '3.07', f: '2.97' }, 'rfm');
    expect(text('score4', 'zh-CN')).toContain('得分 ≥ 4');
    expect(text('score4', 'en-US')).toContain('a score of 4 or 5');
    expect(text('mean-score', 'en-US')).toContain('mean score R 3.07');
    expect(text(undefined, 'zh-CN')).toContain('平均得分 R 3.07');
    expect(text('mean-value', 'zh-CN')).toContain('平均值');
    expect(text('mean-value', 'en-US')).toContain('raw values against their means');
    expect(text('fixed', 'en-US')).toContain('a score above 3.07');
    // raw means are not scores: no quadrant cut in the score grid
    expect(gridRegions(mode('mean-value'), {}, LIGHT.accent)).toEqual([]);
    expect(gridRegions(mode('score4'), {}, LIGHT.accent).length).toBeGreaterThan(0);
  });
});
