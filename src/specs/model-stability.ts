/**
 * `<fin-model>` stability: the expected (development) vs actual (monitoring) share per score band
 * beside the PSI of each monitoring month, coloured green / amber / red with rules at 0.10 and 0.25.
 * Pure: view model in, Vega-Lite JSON out.
 */
import { fig, m, pct, statusOf, statusText } from './model-common.js';
import type { ModelSpecOptions, MonitorModel, Spec } from './model-common.js';

export function stabilitySpec(model: MonitorModel, o: ModelSpecOptions): Spec {
  const L = o.locale;
  const c = o.colors;
  const side = o.width >= 560;
  // Two y axes with titles (~60px each) and the 36px spacing.
  const w = side ? Math.floor((o.width - 180) * 0.55) : Math.max(120, o.width - 80);
  const w2 = side ? Math.floor((o.width - 180) * 0.45) : w;
  const h = o.height ?? 220;
  const exp = m(L, 'expected');
  const act = m(L, 'actual');
  const dist = model.distribution.flatMap((d) =>
    [
      { band: d.band, series: exp, share: d.expected },
      { band: d.band, series: act, share: d.actual },
    ].map((v) => ({
      ...v,
      tip: `${m(L, 'bandShort')} ${d.band}\n${exp} ${pct(d.expected, L)}\n${act} ${pct(d.actual, L)}`,
    })),
  );
  const left: Spec = {
    width: w,
    height: h,
    title: { text: m(L, 'distTitle', { psi: fig(model.psi, L) }), fontSize: 12, anchor: 'start' },
    data: { values: dist },
    mark: { type: 'bar', tooltip: { content: 'data' } },
    encoding: {
      x: { field: 'band', type: 'ordinal', axis: { title: m(L, 'band'), labelAngle: 0 } },
      xOffset: { field: 'series', type: 'nominal', scale: { domain: [exp, act] } },
      y: { field: 'share', type: 'quantitative', axis: { title: m(L, 'share'), format: '.0%' } },
      color: { field: 'series', type: 'nominal', scale: { domain: [exp, act], range: [c.muted, c.series[0]] }, legend: { title: null, orient: 'top', direction: 'horizontal' } },
    },
  };
  const mon = model.months.filter((r) => !r.development);
  const colorOf = { green: c.good, amber: c.warning, red: c.bad, none: c.muted };
  const psiRows = mon.map((r) => {
    const s = statusOf('psi', r.psi);
    return { month: r.month, psi: r.psi ?? 0, status: statusText('psi', s, L), color: colorOf[s], tip: `${r.month}\nPSI ${fig(r.psi, L)} · ${statusText('psi', s, L)}\n${m(L, 'colCount')} ${r.count.toLocaleString(L)}` };
  });
  let top = 0.3;
  for (const r of psiRows) top = Math.max(top, r.psi);
  const y = { field: 'psi', type: 'quantitative', scale: { domain: [0, top], nice: true }, axis: { title: 'PSI', format: '.2f' } };
  const right: Spec = {
    width: w2,
    height: h,
    title: { text: m(L, 'psiTitle'), fontSize: 12, anchor: 'start' },
    layer: [
      {
        data: { values: psiRows },
        mark: { type: 'bar', tooltip: { content: 'data' } },
        encoding: {
          x: { field: 'month', type: 'ordinal', axis: { title: null, labelAngle: psiRows.length > 6 ? -45 : 0 } },
          y,
          color: { field: 'color', type: 'nominal', scale: null, legend: null },
        },
      },
      {
        data: { values: [{ psi: 0.1, label: m(L, 'psiWatch'), color: c.warning }, { psi: 0.25, label: m(L, 'psiShift'), color: c.bad }] },
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y, color: { field: 'color', type: 'nominal', scale: null, legend: null } } },
          { mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, fontSize: 10, color: c.muted }, encoding: { x: { value: w2 - 2 }, y, text: { field: 'label', type: 'nominal' } } },
        ],
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
  // No monitoring months (a sample without dates): the distribution alone, full width.
  if (!psiRows.length) {
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      autosize: { type: 'pad' },
      padding: { left: 4, right: 8, top: 8, bottom: 4 },
      ...left,
      width: Math.max(120, o.width - 70),
    };
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    autosize: { type: 'pad' },
    padding: { left: 4, right: 8, top: 8, bottom: 4 },
    [side ? 'hconcat' : 'vconcat']: [left, right],
    spacing: side ? 36 : 24,
    // The PSI bars' colours are literal status colours: keep them off the distribution's scale.
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  };
}
