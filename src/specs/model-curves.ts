/**
 * `<fin-model>` curves: ROC (cum. good % → cum. bad %, with the random diagonal) beside the KS
 * curve (cum. bad % and cum. good % against the share of the sample flagged riskiest first, with
 * the KS gap marked). Pure: view model in, Vega-Lite JSON out.
 */
import { fig, m, pct } from './model-common.js';
import type { ModelSpecOptions, MonitorModel, Spec } from './model-common.js';

export function curvesSpec(model: MonitorModel, o: ModelSpecOptions): Spec {
  const L = o.locale;
  const c = o.colors;
  // Side by side when there is room for two square-ish plots, else stacked.
  const side = o.width >= 560;
  // Each panel needs ~60px for its y axis and title; the spacing between them is 36px.
  const w = side ? Math.floor((o.width - 170) / 2) : Math.max(120, o.width - 80);
  const h = Math.max(160, Math.min(o.height ?? 240, side ? w : 240));
  const pts = model.curve.map((p) => ({
    ...p,
    tip: [
      `${m(L, 'colThreshold')} ${p.threshold === null ? '—' : fig(p.threshold, L, 4)}`,
      `${m(L, 'colPopulation')} ${pct(p.population, L)}`,
      `${m(L, 'colTpr')} ${pct(p.tpr, L)}`,
      `${m(L, 'colFpr')} ${pct(p.fpr, L)}`,
      `KS ${fig(p.ks, L)}`,
    ].join('\n'),
  }));
  const unit = (field: string, title: string): Spec => ({
    field,
    type: 'quantitative',
    scale: { domain: [0, 1], nice: false },
    axis: { title, format: '.0%', tickCount: 5 },
  });
  const roc: Spec = {
    width: w,
    height: h,
    title: { text: m(L, 'rocTitle', { auc: fig(model.overall.auc, L) }), fontSize: 12, anchor: 'start' },
    layer: [
      {
        data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] },
        mark: { type: 'line', color: c.muted, strokeDash: [4, 3], strokeWidth: 1 },
        encoding: { x: unit('fpr', m(L, 'fpr')), y: unit('tpr', m(L, 'tpr')) },
      },
      {
        data: { values: pts },
        layer: [
          { mark: { type: 'line', color: c.series[0], strokeWidth: 2 }, encoding: { x: unit('fpr', m(L, 'fpr')), y: unit('tpr', m(L, 'tpr')), order: { field: 'population', type: 'quantitative' } } },
          { mark: { type: 'point', color: c.series[0], size: 14, opacity: 0, tooltip: { content: 'data' } }, encoding: { x: unit('fpr', m(L, 'fpr')), y: unit('tpr', m(L, 'tpr')) } },
        ],
      },
    ],
  };
  const long = pts.flatMap((p) => [
    { population: p.population, series: m(L, 'cumBad'), value: p.tpr, tip: p.tip },
    { population: p.population, series: m(L, 'cumGood'), value: p.fpr, tip: p.tip },
  ]);
  let best = pts[0] ?? null;
  for (const p of pts) if (best === null || p.ks > best.ks) best = p;
  const x = unit('population', m(L, 'population'));
  const ks: Spec = {
    width: w,
    height: h,
    title: { text: m(L, 'ksTitle', { ks: fig(model.overall.ks, L) }), fontSize: 12, anchor: 'start' },
    layer: [
      {
        data: { values: long },
        layer: [
          {
            mark: { type: 'line', strokeWidth: 2 },
            encoding: {
              x,
              y: unit('value', m(L, 'cumShare')),
              color: { field: 'series', type: 'nominal', scale: { domain: [m(L, 'cumBad'), m(L, 'cumGood')], range: [c.bad, c.good] }, legend: { title: null, orient: 'top', direction: 'horizontal' } },
              order: { field: 'population', type: 'quantitative' },
            },
          },
          { mark: { type: 'point', size: 14, opacity: 0, tooltip: { content: 'data' } }, encoding: { x, y: unit('value', m(L, 'cumShare')) } },
        ],
      },
      ...(best
        ? [
            {
              data: { values: [{ population: best.population, lo: Math.min(best.tpr, best.fpr), hi: Math.max(best.tpr, best.fpr), label: m(L, 'ksLabel', { ks: fig(best.ks, L) }) }] },
              layer: [
                { mark: { type: 'rule', color: c.fg, strokeWidth: 1.5, strokeDash: [3, 2] }, encoding: { x, y: unit('lo', m(L, 'cumShare')), y2: { field: 'hi' } } },
                { mark: { type: 'text', align: 'left', dx: 5, color: c.fg, fontSize: 11, fontWeight: 'bold' }, encoding: { x, y: unit('hi', m(L, 'cumShare')), text: { field: 'label', type: 'nominal' } } },
              ],
            },
          ]
        : []),
    ],
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    autosize: { type: 'pad' },
    padding: { left: 4, right: 8, top: 8, bottom: 4 },
    [side ? 'hconcat' : 'vconcat']: [roc, ks],
    spacing: side ? 36 : 24,
  };
}
