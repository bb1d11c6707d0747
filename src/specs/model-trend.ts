/**
 * `<fin-model>` overview: the monthly trend of AUC, KS and Gini (development and monitoring months,
 * a rule where monitoring starts). Pure: view model in, Vega-Lite JSON out; data strings only ever
 * appear as values, never in an expression.
 */
import { fig, frame, m } from './model-common.js';
import type { ModelSpecOptions, MonitorModel, Spec } from './model-common.js';

export const TREND_FIGURES = ['auc', 'ks', 'gini'] as const;

export function trendSpec(model: MonitorModel, o: ModelSpecOptions): Spec {
  const L = o.locale;
  const names: Record<(typeof TREND_FIGURES)[number], string> = { auc: 'AUC', ks: 'KS', gini: 'Gini' };
  const months = model.months.map((r) => r.month);
  const values = model.months.flatMap((r) =>
    TREND_FIGURES.filter((k) => r[k] !== null).map((k) => ({
      month: r.month,
      series: names[k],
      value: r[k],
      tip: [
        `${r.month} · ${m(L, r.development ? 'development' : 'monitoring')}`,
        `${names[k]} ${fig(r[k], L)}`,
        `${m(L, 'colCount')} ${r.count.toLocaleString(L)} · ${m(L, 'colBads')} ${r.events.toLocaleString(L)}`,
      ].join('\n'),
    })),
  );
  const firstMon = model.months.find((r) => !r.development)?.month ?? null;
  const domain = TREND_FIGURES.map((k) => names[k]);
  const x = {
    field: 'month',
    type: 'ordinal',
    scale: { type: 'point', domain: months, padding: 0.5 },
    axis: { title: null, labelAngle: months.length > 8 ? -45 : 0, labelOverlap: true },
  };
  // 0..1, extended below 0 when a small month's Gini (or KS) is negative.
  let lo = 0;
  for (const v of values) if (v.value !== null && v.value < lo) lo = v.value;
  const y = {
    field: 'value',
    type: 'quantitative',
    scale: { domain: [Math.floor(lo * 10) / 10, 1], nice: false },
    axis: { title: null, format: '.1f', tickCount: 5 },
  };
  const color = {
    field: 'series',
    type: 'nominal',
    scale: { domain, range: o.colors.series.slice(0, 3) },
    legend: { title: null, orient: 'top', direction: 'horizontal' },
  };
  const layers: Spec[] = [];
  if (firstMon !== null) {
    layers.push({
      data: { values: [{ month: firstMon, label: `${m(L, 'monitoring')} →` }] },
      layer: [
        { mark: { type: 'rule', color: o.colors.muted, strokeDash: [4, 3] }, encoding: { x: { ...x, bandPosition: 0 } } },
        {
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 2, color: o.colors.muted, fontSize: 11 },
          encoding: { x, y: { value: 0 }, text: { field: 'label', type: 'nominal' } },
        },
      ],
    });
  }
  layers.push({
    data: { values },
    layer: [
      { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
      { mark: { type: 'point', filled: true, size: 36, tooltip: { content: 'data' } }, encoding: { x, y, color } },
    ],
  });
  return { ...frame(o, o.height ?? 200), layer: layers };
}
