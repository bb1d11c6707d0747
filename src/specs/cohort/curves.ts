/** Retention curves: one line per cohort, colours from a stretch of the ramp with enough contrast. */
import { rampColor, contrast } from './color.js';
import { periodAxisTitle, valueName } from './labels.js';
import { LABEL_FONT } from './layout.js';
import type { CohortTheme, CohortSpecOptions } from './layout.js';
import type { CohortModel } from './model.js';
import { SCHEMA } from './shared.js';
import type { VlSpec } from './shared.js';

/** Line colour of cohort i of n: a stretch of the ramp with ≥ 3:1 contrast to the background, older lighter. */
export function curveColors(n: number, th: CohortTheme): string[] {
  // Start of the ramp stretch with enough contrast for 2px lines (WCAG 1.4.11: 3:1).
  let t0 = 0;
  while (t0 < 0.8 && contrast(rampColor(th.ramp, t0), th.bg) < 3) t0 += 0.02;
  return Array.from({ length: n }, (_, i) => rampColor(th.ramp, n === 1 ? 1 : t0 + ((1 - t0) * i) / (n - 1)));
}

export function curvesSpec(m: CohortModel, o: CohortSpecOptions): VlSpec {
  const th = o.theme;
  const sel = o.selected ?? null;
  const colors = curveColors(m.rows.length, th);
  const points: Array<Record<string, unknown>> = [];
  let ymax = 0;
  // Draw the selected cohort last (on top).
  const order = m.rows
    .map((_, i) => i)
    .sort((a, b) => Number(m.rows[a]!.key === sel) - Number(m.rows[b]!.key === sel));
  for (const i of order) {
    const r = m.rows[i]!;
    const on = sel === null || r.key === sel;
    r.values.forEach((v, p) => {
      if (v === null) return; // censored: the line ends at the last observed period
      if (v > ymax) ymax = v;
      points.push({
        row: i,
        cohort: r.key,
        period: p,
        value: v,
        stroke: colors[i],
        sw: r.key === sel ? 3 : 1.5,
        op: on ? 1 : 0.3,
      });
    });
  }
  const height = Math.round(Math.max(180, Math.min(320, o.width * 0.5)));
  const ratio = m.valueKind === 'ratio';
  let ymin = Infinity;
  for (const pt of points) ymin = Math.min(ymin, pt['value'] as number);
  // Retention curves live near the top when retention is high: start the axis at the tenth below
  // the lowest point instead of 0 (lines, unlike bars, do not need a zero baseline).
  const yLo =
    ratio && m.kind === 'retention' && ymin > 0.4 && ymax <= 1 ? Math.floor(ymin * 10 - 0.5) / 10 : 0;
  const yTop = ratio && m.kind === 'retention' && ymax <= 1 ? 1 : ymax > 0 ? ymax * 1.05 : 1;
  const x = {
    field: 'period',
    type: 'quantitative',
    scale: { domain: [0, Math.max(1, m.periods - 1)], nice: false },
    axis: {
      title: periodAxisTitle(m),
      tickMinStep: 1,
      format: 'd',
      grid: false,
      labelFontSize: LABEL_FONT,
      aria: false,
    },
  };
  const y = {
    field: 'value',
    type: 'quantitative',
    scale: { domain: [Math.max(0, yLo), yTop], nice: !(m.kind === 'retention' && ratio), zero: false },
    axis: {
      title: valueName(m),
      format: ratio ? (yTop < 0.05 ? '.1%' : '.0%') : ',.0f',
      tickCount: 5,
      labelFontSize: LABEL_FONT,
      aria: false,
    },
  };
  const common = {
    x,
    y,
    detail: { field: 'row', type: 'nominal' },
    stroke: { field: 'stroke', type: 'nominal', scale: null, legend: null },
    opacity: { field: 'op', type: 'quantitative', scale: null, legend: null },
  };
  return {
    $schema: SCHEMA,
    // Vega fits the plot into the width after measuring the axes.
    width: Math.max(120, Math.floor(o.width)),
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 0, right: 10, top: 6, bottom: 4 },
    data: { values: points },
    layer: [
      {
        // No tooltip on the line itself: a line's datum is one of its points, so the points carry it.
        mark: { type: 'line', interpolate: 'linear', cursor: 'pointer', aria: false },
        encoding: {
          ...common,
          strokeWidth: { field: 'sw', type: 'quantitative', scale: null, legend: null },
        },
      },
      {
        mark: {
          type: 'point',
          filled: true,
          size: 24,
          cursor: 'pointer',
          tooltip: { content: 'data' },
          aria: false,
        },
        encoding: {
          ...common,
          fill: { field: 'stroke', type: 'nominal', scale: null, legend: null },
          stroke: { value: null },
        },
      },
    ],
    config: { view: { stroke: null } },
  };
}
