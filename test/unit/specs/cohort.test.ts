/**
 * The cohort / vintage spec builder: model normalisation (censored cells stay null), localised
 * labels, layout decisions, colour contrast, and that each spec compiles with Vega-Lite and runs
 * in a headless Vega view drawing exactly the observed cells.
 */
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { parse, View } from 'vega';
import {
  cohortModel,
  cohortSpec,
  colorDomain,
  contrast,
  curveColors,
  formatCell,
  inkFor,
  INK_DARK,
  INK_LIGHT,
  matrixLayout,
  parseRamp,
  rampColor,
  RAMP_DARK,
  RAMP_LIGHT,
} from '../../../src/specs/cohort.js';
import type { CohortResultLike, CohortTheme } from '../../../src/specs/cohort.js';

/** Spec JSON read loosely (deep property access in assertions). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const LIGHT: CohortTheme = {
  ramp: RAMP_LIGHT,
  fg: '#111827',
  muted: '#4b5563',
  bg: '#ffffff',
  border: '#d9dee5',
  accent: '#1d4ed8',
};
const DARK: CohortTheme = {
  ramp: RAMP_DARK,
  fg: '#f3f4f6',
  muted: '#c4cad3',
  bg: '#111827',
  border: '#374151',
  accent: '#7aa2ff',
};

/** A retention triangle: cohorts × periods, right-censored cells null (as the engine returns them). */
function retention(
  nCohorts: number,
  nPeriods = nCohorts,
  opts: { value?: string; start?: [number, number] } = {},
): CohortResultLike {
  const [y0, m0] = opts.start ?? [2023, 1];
  const data: Array<Record<string, unknown>> = [];
  const cohorts: string[] = [];
  for (let c = 0; c < nCohorts; c++) {
    const mi = y0 * 12 + (m0 - 1) + c;
    const key = `${Math.floor(mi / 12)}-${String((mi % 12) + 1).padStart(2, '0')}`;
    cohorts.push(key);
    const size = 100 + c * 10;
    for (let p = 0; p < nPeriods; p++) {
      const censored = c + p > nCohorts - 1;
      const r = p === 0 ? 1 : 0.6 * Math.pow(0.9, p) - c * 0.002;
      data.push({
        cohort: key,
        size,
        period: p,
        value: censored ? null : opts.value === 'count' ? Math.round(r * size) : Math.round(r * 1e4) / 1e4,
        active: censored ? null : Math.round(r * size),
      });
    }
  }
  return {
    data,
    basis: {
      metric: 'cohort',
      measure: 'count',
      options: { unit: 'month', value: opts.value ?? 'retention', dateField: 'txn_time' },
    },
    meta: { cohorts, maxPeriod: nPeriods - 1, unit: 'month' },
  };
}

/** A vintage triangle in the engine's row shape. */
function vintage(nCohorts: number, measure: 'amount' | 'count' = 'amount'): CohortResultLike {
  const data: Array<Record<string, unknown>> = [];
  const cohorts: Array<Record<string, unknown>> = [];
  for (let c = 0; c < nCohorts; c++) {
    const key = `2023-${String(c + 1).padStart(2, '0')}`;
    const observed = nCohorts - 1 - c;
    const den = measure === 'amount' ? 12_340_000 + c * 1e6 : 120 + c;
    cohorts.push({ cohort: key, loans: 120 + c, principal: 12_340_000 + c * 1e6, observedMob: observed });
    for (let k = 0; k < nCohorts; k++) {
      const censored = k > observed;
      const rate = k < 2 ? 0 : 0.004 * (k - 1);
      data.push({
        cohort: key,
        mob: k,
        month: key,
        numerator: censored ? null : rate * den,
        denominator: den,
        rate: censored ? null : rate,
      });
    }
  }
  return {
    data,
    basis: { metric: 'vintage', measure, options: { d: 30, variant: 'current', measure } },
    meta: { cohorts, mobs: nCohorts, d: 30, measure },
  };
}

async function run(spec: Record<string, unknown>): Promise<View> {
  const vg = compile(spec as never).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  await view.runAsync();
  return view;
}

/** Scenegraph items of every mark whose role/type matches, flattened. */
function items(view: View, markType: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (
    node: { marktype?: string; role?: string; items?: unknown[] } | undefined,
    inGuide: boolean,
  ): void => {
    if (!node) return;
    const guide = inGuide || /axis|legend|title/.test(node.role ?? '');
    for (const it of (node.items ?? []) as Array<Record<string, unknown>>) {
      if (node.marktype === markType && !guide) out.push(it);
      for (const child of (it['items'] ?? []) as unknown[]) walk(child as never, guide);
    }
  };
  walk((view.scenegraph() as unknown as { root: never }).root, false);
  return out;
}

describe('cohortModel', () => {
  it('builds a dense grid, keeps right-censored cells null and localises labels', () => {
    const m = cohortModel(retention(3), 'zh-CN');
    expect(m.kind).toBe('retention');
    expect(m.periods).toBe(3);
    expect(m.rows.map((r) => r.label)).toEqual(['2023年1月', '2023年2月', '2023年3月']);
    expect(m.rows[2]!.values).toEqual([1, null, null]);
    expect(m.rows[1]!.values[2]).toBeNull();
    expect(m.rows[0]!.values[2]).toBeCloseTo(0.486, 3);
    expect(m.rows[0]!.sizeText).toBe('100');
    const en = cohortModel(retention(3), 'en-US');
    expect(en.rows.map((r) => r.label)).toEqual(['Jan 2023', 'Feb 2023', 'Mar 2023']);
  });

  it('fills cells missing from the rows with null and keeps meta order', () => {
    const r = retention(3);
    r.data = r.data.filter((d) => d['value'] !== null).reverse();
    const m = cohortModel(r, 'en-US');
    expect(m.rows.map((x) => x.key)).toEqual(['2023-01', '2023-02', '2023-03']);
    expect(m.rows[2]!.values).toEqual([1, null, null]);
  });

  it('reads vintage rows: MOB, rate, principal or loan count as size', () => {
    const m = cohortModel(vintage(4), 'zh-CN');
    expect(m.kind).toBe('vintage');
    expect(m.sizeKind).toBe('principal');
    expect(m.rows[0]!.sizeText).toBe('1234万');
    expect(cohortModel(vintage(1), 'en-US').rows[0]!.sizeText).toBe('12.3M');
    expect(m.rows[0]!.values).toEqual([0, 0, 0.004, 0.008]);
    expect(m.rows[3]!.values).toEqual([0, null, null, null]);
    const c = cohortModel(vintage(2, 'count'), 'en-US');
    expect(c.sizeKind).toBe('loans');
    expect(c.rows[1]!.sizeText).toBe('121');
  });

  it('reads Σ amount as the numerator of amount retention', () => {
    const r = retention(2, 2, { value: 'amount' });
    for (const d of r.data) d['amount'] = d['value'] === null ? null : 1000 * (d['period'] as number) + 500;
    const m = cohortModel(r, 'zh-CN');
    expect(m.measure).toBe('amount');
    expect(m.valueKind).toBe('ratio');
    expect(m.rows[0]!.counts).toEqual([500, 1500]);
    expect(m.rows[1]!.counts).toEqual([500, null]);
  });

  it('detects the kind from the row shape when the basis does not say', () => {
    const v = vintage(2);
    v.basis = { options: {} };
    expect(cohortModel(v, 'en-US').kind).toBe('vintage');
  });

  it('throws on rows without a cohort or a period (shown as the error state)', () => {
    expect(() =>
      cohortModel({ data: [{ period: 0, value: 1 }], basis: { metric: 'cohort' } }, 'en-US'),
    ).toThrow(/cohort/);
    expect(() =>
      cohortModel({ data: [{ cohort: '2023-01', value: 1 }], basis: { metric: 'cohort' } }, 'en-US'),
    ).toThrow(/period/);
  });

  it('formats cells as percentages (ratios) or counts, null as a dash', () => {
    const m = cohortModel(retention(2), 'zh-CN');
    expect(formatCell(m, 0.4567, 1)).toBe('45.7%');
    expect(formatCell(m, null)).toBe('—');
    const c = cohortModel(retention(2, 2, { value: 'count' }), 'zh-CN');
    expect(c.valueKind).toBe('count');
    expect(formatCell(c, 23456)).toBe('2.35万');
  });
});

describe('colour', () => {
  it('interpolates the ramp linearly in sRGB and clamps', () => {
    expect(rampColor(['#000000', '#ffffff'], 0.5)).toBe('#808080');
    expect(rampColor(['#000000', '#ffffff'], 2)).toBe('#ffffff');
    expect(rampColor(RAMP_LIGHT, 0)).toBe(RAMP_LIGHT[0]);
    expect(rampColor(RAMP_LIGHT, 1)).toBe(RAMP_LIGHT[4]);
  });

  it('chooses value-label ink with at least 4.5:1 contrast on every fill of both ramps', () => {
    for (const ramp of [RAMP_LIGHT, RAMP_DARK]) {
      for (let t = 0; t <= 1.0001; t += 0.05) {
        const fill = rampColor(ramp, t);
        const ink = inkFor(fill, INK_DARK, INK_LIGHT);
        expect(contrast(fill, ink), `${fill} ${ink}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('colours curves from the ramp stretch with ≥ 3:1 contrast to the background, older lighter', () => {
    for (const th of [LIGHT, DARK]) {
      const cs = curveColors(12, th);
      expect(cs).toHaveLength(12);
      for (const c of cs) expect(contrast(c, th.bg)).toBeGreaterThanOrEqual(3);
      expect(contrast(cs[0]!, th.bg)).toBeLessThan(contrast(cs[11]!, th.bg));
    }
  });

  it('parses ramp tokens and falls back on bad ones', () => {
    expect(parseRamp('#fff, #000', RAMP_LIGHT)).toEqual(['#ffffff', '#000000']);
    expect(parseRamp('red blue', RAMP_LIGHT)).toEqual(RAMP_LIGHT);
  });

  it('leaves p0 out of the retention colour domain (100% by definition) and starts at a floored minimum', () => {
    const m = cohortModel(retention(4), 'en-US');
    const [lo, hi] = colorDomain(m);
    expect(lo).toBe(0.4);
    expect(hi).toBeCloseTo(0.54, 3);
    expect(colorDomain(cohortModel(retention(1, 1), 'en-US'))).toEqual([0, 1]);
    expect(colorDomain(cohortModel(vintage(4), 'en-US'))).toEqual([0, 0.008]);
  });

  it('clamps the top at the 95th percentile when a few outliers would wash the rest out', () => {
    const r = vintage(10);
    for (const d of r.data) if (d['cohort'] === '2023-01' && d['mob'] === 5) d['rate'] = 0.2;
    const [lo, hi] = colorDomain(cohortModel(r, 'en-US'));
    expect(lo).toBe(0);
    expect(hi).toBeLessThan(0.05);
    const all = cohortModel(r, 'en-US');
    const spec = cohortSpec(all, { width: 800, display: 'matrix', theme: LIGHT });
    const cells = (spec['layer'] as Array<Record<string, Json>>)[0]!['data'].values as Array<{
      value: number;
      fill: string;
    }>;
    // The outlier and the top of the domain share the darkest colour.
    expect(cells.find((c) => c.value === 0.2)!.fill).toBe(RAMP_LIGHT[4]);
  });
});

describe('matrix spec', () => {
  it('encodes period columns on a top axis, rows by index, fills and censored cells left out', async () => {
    const m = cohortModel(retention(6), 'zh-CN');
    const spec = cohortSpec(m, { width: 720, display: 'matrix', theme: LIGHT });
    const layer = spec['layer'] as Array<Record<string, Json>>;
    const rect = layer[0]!;
    expect(rect['mark'].type).toBe('rect');
    expect(rect['encoding'].x.field).toBe('col');
    expect(rect['encoding'].x.scale.domain).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
    expect(rect['encoding'].y.scale.domain).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rect['encoding'].fill.scale).toBeNull();
    // Column headers and the period title are text marks above the cells.
    const heads = layer.find(
      (l) => l['encoding']?.x?.field === 'col' && l['encoding']?.y?.value !== undefined,
    )!;
    expect(heads['data'].values.map((d: { text: string }) => d.text)).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
    ]);
    const texts = layer
      .filter((l) => l['encoding']?.y?.value !== undefined)
      .map((l) => l['data'].values[0].text);
    expect(texts).toContain('距同期群起始月数 p');
    expect(texts).toContain('同期群');
    expect(texts).toContain('客户数');
    // 6 × 6 triangle: 21 observed cells, 15 censored ones not drawn at all.
    expect(rect['data'].values).toHaveLength(21);
    expect(rect['data'].values.every((d: { value: unknown }) => d.value !== null)).toBe(true);
    // Row labels carry the localised cohort and the size.
    const labels = layer.find((l) => l['encoding']?.text?.field === 'label')!;
    expect(labels['data'].values.map((d: { label: string }) => d.label)).toContain('2023年6月');
    // Value labels fit at this width.
    const values = layer.find((l) => l['encoding']?.text?.field === 'text')!;
    expect(values['data'].values[0].text).toBe('100.0%');

    const view = await run(spec);
    expect(items(view, 'rect').length).toBe(21);
    view.finalize();
  });

  it('uses MOB headers and a vintage axis title, in English too', () => {
    const m = cohortModel(vintage(3), 'en-US');
    const spec = cohortSpec(m, { width: 600, display: 'matrix', theme: LIGHT });
    const layer = spec['layer'] as Array<Record<string, Json>>;
    expect(layer[0]!['encoding'].x.scale.domain).toEqual(['MOB0', 'MOB1', 'MOB2']);
    const texts = layer
      .filter((l) => l['encoding']?.y?.value !== undefined)
      .flatMap((l) => l['data'].values.map((d: { text: string }) => d.text));
    expect(texts).toEqual(['MOB0', 'MOB1', 'MOB2', 'Months on book (MOB)', 'Vintage', 'Principal']);
  });

  it('draws nothing for all-null rows but keeps their labels', async () => {
    const r = retention(3);
    for (const d of r.data) d['value'] = null;
    const m = cohortModel(r, 'en-US');
    const spec = cohortSpec(m, { width: 500, display: 'matrix', theme: LIGHT });
    const layer = spec['layer'] as Array<Record<string, Json>>;
    expect(layer[0]!['data'].values).toHaveLength(0);
    const view = await run(spec);
    expect(items(view, 'rect').length).toBe(0);
    expect(items(view, 'text').some((t) => t['text'] === 'Mar 2023')).toBe(true);
    view.finalize();
  });

  it('renders a single cohort', async () => {
    const m = cohortModel(retention(1, 1), 'zh-CN');
    const spec = cohortSpec(m, { width: 320, display: 'matrix', theme: LIGHT });
    const view = await run(spec);
    expect(items(view, 'rect').length).toBe(1);
    view.finalize();
  });

  it('thins headers and drops value labels in a 36 × 36 matrix at 320px, keeps them at 1400px', async () => {
    const m = cohortModel(retention(36), 'zh-CN');
    const narrow = matrixLayout(m, 320);
    expect(narrow.showValues).toBe(false);
    expect(narrow.stride).toBeGreaterThan(1);
    expect(narrow.rowH).toBeGreaterThanOrEqual(14);
    expect(narrow.plotW).toBeGreaterThanOrEqual(36 * 3);
    expect(narrow.numericHeads).toBe(true);
    const spec = cohortSpec(m, { width: 320, display: 'matrix', theme: LIGHT });
    const heads = (spec['layer'] as Array<Record<string, Json>>).find(
      (l) => l['encoding']?.x?.field === 'col' && l['encoding']?.y?.value !== undefined,
    )!;
    const shown = heads['data'].values as Array<{ col: string; text: string }>;
    expect(shown.length).toBeLessThan(36);
    expect(shown[0]).toEqual({ col: 'p0', text: '0' });
    expect(shown[1]!.text).toBe(String(narrow.stride));
    const view = await run(spec);
    expect(items(view, 'rect').length).toBe((36 * 37) / 2);
    view.finalize();
    const wide = matrixLayout(m, 1400);
    expect(wide.stride).toBe(1);
    expect(wide.numericHeads).toBe(false);
    expect(wide.showValues).toBe(true);
  });

  it('outlines and colours the selected cohort', () => {
    const m = cohortModel(retention(4), 'en-US');
    const spec = cohortSpec(m, { width: 600, display: 'matrix', theme: LIGHT, selected: '2023-02' });
    const layer = spec['layer'] as Array<Record<string, Json>>;
    const outline = layer[layer.length - 1]!;
    expect(outline['mark']).toMatchObject({ type: 'rect', fill: null, stroke: LIGHT.accent });
    expect(outline['data'].values).toEqual([{ row: 1, cohort: '2023-02' }]);
    const labels = layer.find((l) => l['encoding']?.text?.field === 'label')!;
    expect(labels['data'].values[1].ink).toBe(LIGHT.accent);
    expect(labels['data'].values[0].ink).toBe(LIGHT.fg);
  });

  it('keeps data strings out of expressions: only constant field names reach Vega', () => {
    const r = retention(2);
    (r.data[0] as Record<string, unknown>)['cohort'] = "2023-01'); alert(1); ('";
    const m = cohortModel(r, 'en-US');
    const vg = JSON.stringify(
      compile(cohortSpec(m, { width: 400, display: 'matrix', theme: LIGHT }) as never).spec,
    );
    // The hostile key only occurs inside data values, never inside a signal or expression string.
    const spec = JSON.parse(vg) as { signals?: unknown; marks?: unknown; scales?: unknown };
    expect(JSON.stringify([spec.signals, spec.marks, spec.scales])).not.toContain('alert(1)');
  });
});

describe('curves spec', () => {
  it('draws one line per cohort over the period index, ending at the last observed period', async () => {
    const m = cohortModel(retention(5), 'en-US');
    const spec = cohortSpec(m, { width: 600, display: 'curves', theme: LIGHT });
    const layer = spec['layer'] as Array<Record<string, Json>>;
    expect(layer[0]!['mark'].type).toBe('line');
    expect(layer[0]!['encoding'].x).toMatchObject({ field: 'period', type: 'quantitative' });
    expect(layer[0]!['encoding'].y.scale.domain).toEqual([0, 1]);
    expect(layer[0]!['encoding'].y.axis.title).toBe('Retention');
    const values = (spec['data'] as { values: Array<Record<string, unknown>> }).values;
    expect(values).toHaveLength(15);
    expect(values.some((v) => v['value'] === null)).toBe(false);
    const view = await run(spec);
    expect(items(view, 'line').length).toBe(15); // one line item per point, grouped in 5 lines
    view.finalize();
  });

  it('fades the others and widens the selected cohort, drawn last', () => {
    const m = cohortModel(retention(3), 'en-US');
    const spec = cohortSpec(m, { width: 600, display: 'curves', theme: DARK, selected: '2023-01' });
    const values = (spec['data'] as { values: Array<Record<string, unknown>> }).values;
    const last = values[values.length - 1]!;
    expect(last['cohort']).toBe('2023-01');
    expect(last['sw']).toBe(3);
    expect(values.find((v) => v['cohort'] === '2023-02')!['op']).toBe(0.3);
  });

  it('uses small-percentage axis format for vintage bad rates', () => {
    const m = cohortModel(vintage(4), 'zh-CN');
    const spec = cohortSpec(m, { width: 600, display: 'curves', theme: LIGHT });
    const y = (spec['layer'] as Array<Record<string, Json>>)[0]!['encoding'].y;
    expect(y.axis.format).toBe('.1%');
    expect(y.axis.title).toBe('不良率');
  });
});
