/**
 * `<fin-model>` score bands: lift per band (bars, 1 = riskiest, a rule at lift 1) with the gain
 * (cum. bads captured) as a line on its own axis. Pure: view model in, Vega-Lite JSON out.
 */
import { fig, frame, m, pct } from './model-common.js';
import type { ModelSpecOptions, MonitorModel, Spec } from './model-common.js';

export function bandsSpec(model: MonitorModel, o: ModelSpecOptions): Spec {
  const L = o.locale;
  const c = o.colors;
  const values = model.bands.map((b) => ({
    band: b.band,
    lift: b.lift,
    gain: b.gain,
    tip: [
      `${m(L, 'bandShort')} ${b.band}`,
      `${m(L, 'colCount')} ${b.count.toLocaleString(L)} · ${m(L, 'colBads')} ${b.bads.toLocaleString(L)}`,
      `${m(L, 'colBadRate')} ${pct(b.badRate, L)}`,
      `${m(L, 'colLift')} ${fig(b.lift, L, 2)}`,
      `${m(L, 'colGain')} ${pct(b.gain, L)}`,
    ].join('\n'),
  }));
  const x = {
    field: 'band',
    type: 'ordinal',
    scale: { domain: model.bands.map((b) => b.band) },
    axis: { title: m(L, 'band'), labelAngle: 0 },
  };
  return {
    ...frame(o, o.height ?? 220),
    data: { values },
    layer: [
      {
        layer: [
          {
            mark: { type: 'bar', color: c.series[0], opacity: 0.85, tooltip: { content: 'data' } },
            encoding: { x, y: { field: 'lift', type: 'quantitative', axis: { title: m(L, 'lift'), titleColor: c.series[0], format: '.1f' } } },
          },
          {
            mark: { type: 'text', dy: -6, color: c.fg, fontSize: 10 },
            encoding: { x, y: { field: 'lift', type: 'quantitative' }, text: { field: 'lift', type: 'quantitative', format: '.2f' } },
          },
          { data: { values: [{ one: 1 }] }, mark: { type: 'rule', color: c.muted, strokeDash: [4, 3] }, encoding: { y: { field: 'one', type: 'quantitative' } } },
        ],
      },
      {
        layer: [
          {
            mark: { type: 'line', color: c.series[1], strokeWidth: 2, point: { filled: true, size: 30, color: c.series[1] } },
            encoding: {
              x,
              y: { field: 'gain', type: 'quantitative', scale: { domain: [0, 1], nice: false }, axis: { title: m(L, 'gain'), titleColor: c.series[1], format: '.0%', orient: 'right', grid: false } },
            },
          },
        ],
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}
