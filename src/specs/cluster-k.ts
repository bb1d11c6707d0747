/**
 * `<fin-cluster>` k-selection chart: the mean silhouette and the inertia of every k tried, side
 * by side, with the chosen k marked by a rule and a larger dot in both panels.
 *
 * CSP: field names are constants; values are numbers; titles are localised constants.
 */
import { msg } from '../format/messages.js';
import { CLUSTER_AREA } from '../format/messages/cluster.js';
import type { ClusterModel, ClusterTheme, VlSpec } from './cluster-model.js';

export interface KChartInput {
  model: ClusterModel;
  width: number;
  theme: ClusterTheme;
}

export function clusterKSpec(input: KChartInput): VlSpec {
  const { model, theme } = input;
  const L = model.locale;
  const rows = model.kTable.map((r) => ({ k: r.k, s: r.silhouette, i: r.inertia, c: r.chosen ? 1 : 0 }));
  const chosen = model.kTable.find((r) => r.chosen)?.k ?? model.k;
  const ks = rows.map((r) => r.k);
  const twoPanels = input.width >= 420;
  const panelW = twoPanels ? Math.max(140, Math.floor((input.width - 120) / 2)) : Math.max(160, input.width - 70);
  const panel = (field: 's' | 'i', title: string): Record<string, unknown> => {
    const x = {
      field: 'k',
      type: 'quantitative',
      scale: { domain: [Math.min(...ks, chosen) - 0.5, Math.max(...ks, chosen) + 0.5], nice: false },
      axis: { title: msg(L, 'k', undefined, CLUSTER_AREA), values: ks, format: 'd', grid: false, labelColor: theme.muted, titleColor: theme.fg },
    };
    const y = { field, type: 'quantitative', scale: { zero: field === 'i' }, axis: { title: null, grid: true, gridColor: theme.border, labelColor: theme.muted, tickCount: 4 } };
    return {
      width: panelW,
      height: 170,
      title: { text: title, anchor: 'start', fontSize: 12, color: theme.fg },
      layer: [
        { data: { values: [{ k: chosen }] }, mark: { type: 'rule', color: theme.accent, strokeDash: [4, 3], strokeWidth: 1.5 }, encoding: { x: { field: 'k', type: 'quantitative' } } },
        { data: { values: rows }, transform: [{ filter: { field, valid: true } }], mark: { type: 'line', color: theme.muted, strokeWidth: 1.5 }, encoding: { x, y } },
        {
          data: { values: rows },
          transform: [{ filter: { field, valid: true } }],
          mark: { type: 'point', filled: true, color: theme.muted },
          encoding: {
            x,
            y,
            size: { field: 'c', type: 'quantitative', scale: { domain: [0, 1], range: [30, 140] }, legend: null },
            color: { field: 'c', type: 'nominal', scale: { domain: [0, 1], range: [theme.muted, theme.accent] }, legend: null },
          },
        },
      ],
    };
  };
  const panels = [panel('s', msg(L, 'silhouette', undefined, CLUSTER_AREA)), panel('i', msg(L, 'inertia', undefined, CLUSTER_AREA))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: null,
    ...(twoPanels ? { hconcat: panels, spacing: 36 } : { vconcat: panels, spacing: 20 }),
    config: { view: { stroke: null } },
  };
}
