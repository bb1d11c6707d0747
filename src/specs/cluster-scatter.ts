/**
 * `<fin-cluster>` scatter: two chosen features, one point per listed customer coloured by its
 * cluster, and each cluster's centroid (mean in original units) as a ringed marker with its number.
 * Skewed features (log1p before clustering) are drawn on a symlog axis.
 *
 * CSP: no expression is built from data. Field names are constants here; colours and opacities
 * travel in `data.values` and are read with `scale: null`; text is a formatted number.
 */
import { msg } from '../format/messages.js';
import { CLUSTER_AREA } from '../format/messages/cluster.js';
import type { ClusterModel, ClusterTheme, VlSpec } from './cluster-model.js';
import { clusterColor, clusterOpacity } from './cluster-model.js';

export interface ScatterInput {
  model: ClusterModel;
  x: string;
  y: string;
  width: number;
  theme: ClusterTheme;
  selected: number | null;
}

/** A point of the scatter as it reaches Vega. */
export interface ScatterDatum {
  cluster: number;
  x: number;
  y: number;
  fill: string;
  op: number;
}

/** Height of the scatter for a width (a little flatter than square, within 220–420 px). */
export function scatterHeight(width: number): number {
  return Math.round(Math.max(220, Math.min(420, width * 0.62)));
}

export function clusterScatterSpec(input: ScatterInput): { spec: VlSpec; points: ScatterDatum[] } {
  const { model, theme, selected } = input;
  const L = model.locale;
  const fx = model.features.find((f) => f.id === input.x) ?? model.features[0];
  const fy = model.features.find((f) => f.id === input.y) ?? model.features[1] ?? fx;
  if (!fx || !fy) throw new Error('The cluster result names no features');
  const n = model.points.length;
  const dotOp = n > 2000 ? 0.45 : n > 500 ? 0.6 : 0.75;
  const points: ScatterDatum[] = [];
  for (const p of model.points) {
    const x = p.values[fx.id];
    const y = p.values[fy.id];
    if (x === undefined || y === undefined) continue;
    points.push({ cluster: p.cluster, x, y, fill: clusterColor(p.cluster), op: clusterOpacity(p.cluster, selected, dotOp, 0.08) });
  }
  const centres = model.clusters
    .filter((c) => c.centroid[fx.id] !== null && c.centroid[fx.id] !== undefined && c.centroid[fy.id] !== null && c.centroid[fy.id] !== undefined)
    .map((c) => ({
      cluster: c.cluster,
      x: c.centroid[fx.id]!,
      y: c.centroid[fy.id]!,
      fill: clusterColor(c.cluster),
      op: clusterOpacity(c.cluster, selected, 1, 0.3),
      t: String(c.cluster),
    }));
  const title = (f: typeof fx): string => (f.unit ? msg(L, 'withUnit', { label: f.label, unit: f.unit }, CLUSTER_AREA) : f.label);
  const axisScale = (log: boolean): Record<string, unknown> => (log ? { type: 'symlog', nice: false } : { zero: false, nice: true });
  // Symlog axes: ticks at 0, 1, 2, 5, 10, 20, 50 … up to the data (Vega's own crowd at the top).
  const logTicks = (id: string): number[] => {
    let max = 0;
    for (const p of model.points) max = Math.max(max, Math.abs(p.values[id] ?? 0));
    for (const c of model.clusters) max = Math.max(max, Math.abs(c.centroid[id] ?? 0));
    const out = [0];
    for (let m = 1; m <= max * 1.05 && out.length < 40; m *= 10) for (const k of [1, 2, 5]) if (k * m <= max * 1.05) out.push(k * m);
    // At most 8 ticks: keep every other decade step when there are more.
    return out.length > 8 ? out.filter((v, i) => i === 0 || String(v).startsWith('1')) : out;
  };
  const ticks = (f: typeof fx): Record<string, unknown> => (f.log1p ? { values: logTicks(f.id), labelOverlap: true } : {});
  const width = Math.max(160, input.width - 70);
  const enc = {
    x: { field: 'x', type: 'quantitative', scale: axisScale(fx.log1p), axis: { title: title(fx), grid: true, gridColor: theme.border, labelColor: theme.muted, titleColor: theme.fg, tickCount: 6, labelFlush: true, ...ticks(fx) } },
    y: { field: 'y', type: 'quantitative', scale: axisScale(fy.log1p), axis: { title: title(fy), grid: true, gridColor: theme.border, labelColor: theme.muted, titleColor: theme.fg, tickCount: 5, ...ticks(fy) } },
  };
  const spec: VlSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height: scatterHeight(input.width),
    background: null,
    layer: [
      {
        data: { values: points },
        mark: { type: 'circle', size: n > 2000 ? 10 : n > 500 ? 18 : 30, cursor: 'pointer', strokeWidth: 0 },
        encoding: {
          ...enc,
          color: { field: 'fill', type: 'nominal', scale: null, legend: null },
          opacity: { field: 'op', type: 'quantitative', scale: null, legend: null },
        },
      },
      {
        data: { values: centres },
        mark: { type: 'point', shape: 'circle', size: 340, filled: true, stroke: theme.bg, strokeWidth: 2.5, cursor: 'pointer' },
        encoding: {
          ...enc,
          color: { field: 'fill', type: 'nominal', scale: null, legend: null },
          opacity: { field: 'op', type: 'quantitative', scale: null, legend: null },
        },
      },
      {
        data: { values: centres },
        mark: { type: 'text', fontSize: 11, fontWeight: 700, fill: '#ffffff', baseline: 'middle', align: 'center' },
        encoding: { ...enc, text: { field: 't', type: 'nominal' }, opacity: { field: 'op', type: 'quantitative', scale: null, legend: null } },
      },
    ],
    config: { view: { stroke: null } },
  };
  return { spec, points };
}
