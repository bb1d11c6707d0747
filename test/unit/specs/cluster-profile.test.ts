/**
 * Spec builders of <fin-cluster> and <fin-profile> (pure): models read from results, the symlog
 * ticks, the TGI bars from 100 with small values pale and capped bars, and no data string ever in
 * an expression (every `expr`/`signal` of the compiled specs is checked for the hostile label).
 */
import { describe, expect, it } from 'vitest';
import { clusterColor, clusterModel } from '../../../src/specs/cluster-model.js';
import { clusterKSpec } from '../../../src/specs/cluster-k.js';
import { clusterProfileSpec } from '../../../src/specs/cluster-profile.js';
import { clusterScatterSpec } from '../../../src/specs/cluster-scatter.js';
import { barValues, MAX_BARS, profileModel, profileTgiSpec, tgiCap } from '../../../src/specs/profile-tgi.js';

const bi = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en });
const EVIL = "');alert(1)//";
const theme = { fg: '#111', muted: '#555', border: '#ddd', bg: '#fff', accent: '#00f' };

const cluster = {
  data: [
    { cluster: 1, label: bi('高频', EVIL), size: 3, share: 0.75, centroid: { recency: 2, monetary: 1000 }, median: { recency: 2, monetary: 900 }, z: { recency: -0.5, monetary: 0.7 } },
    { cluster: 2, label: bi('沉睡', 'Dormant'), size: 1, share: 0.25, centroid: { recency: 300, monetary: 10 }, median: { recency: 300, monetary: 10 }, z: { recency: 1.5, monetary: -2.1 } },
  ],
  meta: {
    k: 2,
    kTable: [
      { k: 2, inertia: 4, silhouette: 0.7, calinskiHarabasz: 10, chosen: true },
      { k: 3, inertia: 2, silhouette: null, calinskiHarabasz: null, chosen: false },
    ],
    features: [
      { feature: 'recency', label: bi('天数', EVIL), unit: bi('天', 'days'), log1p: true },
      { feature: 'monetary', label: bi('金额', 'Amount'), unit: bi('元', 'CNY'), log1p: false },
    ],
    entities: 4,
    assignments: [
      { cluster: 1, recency: 1, monetary: 1100 },
      { cluster: 1, recency: 3, monetary: 900 },
      { cluster: 9, recency: 3, monetary: 900 },
      { cluster: 2, recency: 300, monetary: 10 },
    ],
    assignmentsTotal: 4,
  },
};

/** Every string of a spec that Vega would parse as an expression. */
function expressions(spec: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (typeof v === 'string' && (key === 'expr' || key === 'signal' || key === 'test' || key === 'filter' || key === 'calculate')) out.push(v);
  };
  walk(spec);
  return out;
}

describe('cluster specs', () => {
  it('the model keeps listed customers of known clusters only and reads labels in the locale', () => {
    const m = clusterModel(cluster, 'en-US');
    expect(m.points.map((p) => p.cluster)).toEqual([1, 1, 2]);
    expect(m.clusters.map((c) => c.label)).toEqual([EVIL, 'Dormant']);
    expect(m.features.map((f) => [f.id, f.log1p])).toEqual([['recency', true], ['monetary', false]]);
    expect(clusterColor(1)).not.toBe(clusterColor(2));
    expect(clusterColor(11)).toBe(clusterColor(1));
  });

  it('scatter: one datum per listed customer, the selected cluster opaque and the others faded, symlog ticks at 0 and decades when 1-2-5 would crowd', () => {
    const m = clusterModel(cluster, 'zh-CN');
    const { spec, points } = clusterScatterSpec({ model: m, x: 'recency', y: 'monetary', width: 500, theme, selected: 2 });
    expect(points.map((p) => [p.x, p.y])).toEqual([[1, 1100], [3, 900], [300, 10]]);
    expect(points[2]!.op).toBeGreaterThan(points[0]!.op);
    const layer = (spec['layer'] as Array<{ encoding: { x: { scale: { type?: string }; axis: { values?: number[] } } } }>)[0]!;
    expect(layer.encoding.x.scale.type).toBe('symlog');
    // 0, 1, 2, 5 … 200 would be nine ticks: thinned to the decades
    expect(layer.encoding.x.axis.values).toEqual([0, 1, 10, 100]);
    expect(expressions(spec).join(' ')).not.toContain('alert');
  });

  it('k chart marks the chosen k; profile lines carry z per cluster and feature with no label in an expression', () => {
    const m = clusterModel(cluster, 'en-US');
    const k = clusterKSpec({ model: m, width: 600, theme });
    expect(JSON.stringify(k)).toContain('"values":[{"k":2}]');
    const { spec, data } = clusterProfileSpec({ model: m, width: 600, theme, selected: null });
    expect(data.map((d) => [d.cluster, d.feature, d.z])).toEqual([[1, 'recency', -0.5], [1, 'monetary', 0.7], [2, 'recency', 1.5], [2, 'monetary', -2.1]]);
    expect(expressions(spec).join(' ')).not.toContain('alert');
  });
});

describe('profile TGI spec', () => {
  const r = {
    data: [
      { attribute: 'gender', attributeLabel: bi('性别', 'Gender'), value: 'F', groupCount: 30, groupShare: 0.75, baseCount: 100, baseShare: 0.5, tgi: 150, small: false },
      { attribute: 'gender', attributeLabel: bi('性别', 'Gender'), value: EVIL, groupCount: 10, groupShare: 0.25, baseCount: 100, baseShare: 0.5, tgi: 50, small: true },
      { attribute: 'segment', attributeLabel: bi('客群', 'Segment'), value: '私行', groupCount: 20, groupShare: 0.5, baseCount: 4, baseShare: 0.02, tgi: 2500, small: true },
    ],
    meta: { group: { label: bi('重要价值客户', 'Important value'), size: 40, small: false }, base: { kind: 'all', size: 200 }, numeric: [] },
    basis: { options: { minCount: 30 } },
  };
  const pTheme = { fg: '#111', muted: '#555', border: '#ddd', bg: '#fff', over: '#00f', under: '#f80' };

  it('bars run from 100 to the TGI (capped at the axis end), under-represented in the under colour, small values pale and starred', () => {
    const m = profileModel(r, 'en-US');
    expect(m.attributes.map((a) => a.label)).toEqual(['Gender', 'Segment']);
    expect(tgiCap(m.values)).toBe(400);
    const { spec, cap } = profileTgiSpec({ model: m, width: 600, theme: pTheme, attribute: '' });
    expect(cap).toBe(400);
    const panels = spec['vconcat'] as Array<{ layer: Array<{ data: { values: Array<Record<string, unknown>> } }> }>;
    const g = panels[0]!.layer[0]!.data.values;
    expect(g.map((d) => [d['tgi'], d['b'], d['fill'], d['op'], d['t']])).toEqual([
      [150, 100, '#00f', 0.9, '150'],
      [50, 100, '#f80', 0.35, '50*'],
    ]);
    expect(panels[1]!.layer[0]!.data.values[0]!['tgi']).toBe(400);
    expect(panels[1]!.layer[0]!.data.values[0]!['t']).toBe('2,500*');
    expect(expressions(spec).join(' ')).not.toContain('alert');
    // one attribute only
    expect((profileTgiSpec({ model: m, width: 600, theme: pTheme, attribute: 'segment' }).spec['vconcat'] as unknown[]).length).toBe(1);
  });

  it('above MAX_BARS values an attribute draws the first ones and one "other" bar with summed counts and their TGI', () => {
    const city = Array.from({ length: 20 }, (_, i) => ({
      attribute: 'city', attributeLabel: bi('城市', 'City'), value: `c${i}`, groupCount: 2, groupShare: 0.05, baseCount: 5, baseShare: 0.025, tgi: 200, small: true,
    }));
    const m = profileModel({ ...r, data: city }, 'en-US');
    const bars = barValues(m, 'city');
    expect(bars).toHaveLength(MAX_BARS);
    const other = bars.at(-1)!;
    // 9 values of 2 (group 40) and 5 (base 200): shares 18/40 and 45/200 → TGI 200
    expect([other.value, other.groupCount, other.baseCount, other.tgi]).toEqual(['Other (9 values)', 18, 45, 200]);
  });
});
