/**
 * `<fin-cluster>` centroid profiles, as parallel coordinates: one line per cluster across the
 * features, at the cluster's standardised mean (z-score: 0 is the average customer, ±1 one standard
 * deviation), so features in different units compare on one axis. The tooltip gives the centroid
 * and the median in original units.
 *
 * CSP: the feature axis reads its labels from the scale domain (hoisted to signals by
 * safe-values.ts before Vega sees them); colours and opacities travel in `data.values`.
 */
import { msg } from '../format/messages.js';
import { CLUSTER_AREA } from '../format/messages/cluster.js';
import type { ClusterModel, ClusterTheme, VlSpec } from './cluster-model.js';
import { clusterColor, clusterOpacity } from './cluster-model.js';

export interface ProfileLinesInput {
  model: ClusterModel;
  width: number;
  theme: ClusterTheme;
  selected: number | null;
}

export interface ProfileLineDatum {
  cluster: number;
  feature: string;
  /** Feature label (the x category). */
  fl: string;
  z: number;
  stroke: string;
  op: number;
}

export function clusterProfileSpec(input: ProfileLinesInput): { spec: VlSpec; data: ProfileLineDatum[] } {
  const { model, theme, selected } = input;
  const L = model.locale;
  // Labels must be distinct to be categories: two features with one label keep their ids.
  const seen = new Set<string>();
  const labels = model.features.map((f) => {
    const l = seen.has(f.label) ? `${f.label} (${f.id})` : f.label;
    seen.add(l);
    return l;
  });
  const data: ProfileLineDatum[] = [];
  for (const c of model.clusters)
    model.features.forEach((f, i) => {
      const z = c.z[f.id];
      if (z === undefined) return;
      data.push({ cluster: c.cluster, feature: f.id, fl: labels[i]!, z, stroke: clusterColor(c.cluster), op: clusterOpacity(c.cluster, selected, 1, 0.2) });
    });
  const zs = data.map((d) => Math.abs(d.z));
  const zMax = Math.max(1.5, Math.ceil((Math.max(0, ...zs) + 0.25) * 2) / 2);
  const x = { field: 'fl', type: 'nominal', sort: null, scale: { domain: labels, padding: 0.4 }, axis: { title: null, labelAngle: 0, labelColor: theme.fg, labelLimit: Math.max(60, Math.floor((input.width - 80) / Math.max(1, labels.length)) - 6), domain: false, ticks: false, grid: true, gridColor: theme.border } };
  const y = { field: 'z', type: 'quantitative', scale: { domain: [-zMax, zMax], nice: false }, axis: { title: msg(L, 'zAxis', undefined, CLUSTER_AREA), titleColor: theme.fg, labelColor: theme.muted, grid: true, gridColor: theme.border, tickCount: 5 } };
  const enc = {
    x,
    y,
    detail: { field: 'cluster', type: 'nominal' },
    color: { field: 'stroke', type: 'nominal', scale: null, legend: null },
    opacity: { field: 'op', type: 'quantitative', scale: null, legend: null },
  };
  const spec: VlSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: Math.max(160, input.width - 80),
    height: 240,
    background: null,
    layer: [
      { data: { values: [{ z: 0 }] }, mark: { type: 'rule', color: theme.muted, strokeDash: [4, 3] }, encoding: { y: { field: 'z', type: 'quantitative' } } },
      { data: { values: data }, mark: { type: 'line', strokeWidth: 2.5, cursor: 'pointer' }, encoding: enc },
      { data: { values: data }, mark: { type: 'point', filled: true, size: 60, cursor: 'pointer' }, encoding: enc },
    ],
    config: { view: { stroke: null } },
  };
  return { spec, data };
}
