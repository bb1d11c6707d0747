/** The heatmap Vega-Lite spec: cells, hatched no-data cells with their legend entry, value labels, colour legend. */
import { formatValue } from '../../format/number.js';
import { hoistTickValues } from '../safe-values.js';
import { r10 } from './color.js';
import { labelDigits, heatGrid } from './grid.js';
import type { HeatGrid } from './grid.js';
import { AXIS_FONT, CELL_FONT } from './labels.js';
import { heatmapLayout, legendTicks } from './layout.js';
import type { HeatmapSpecInput, HeatLayout } from './types.js';

export interface HeatmapSpecOutput {
  spec: Record<string, unknown>;
  layout: HeatLayout;
  grid: HeatGrid;
}

/** Build the Vega-Lite spec (and the layout and grid it was built from). */
export function heatmapSpec(input: HeatmapSpecInput): HeatmapSpecOutput {
  const candidates = labelDigits(input.format, input.digits);
  let grid = heatGrid(input, candidates[0]);
  const { xLabels, yLabels } = grid;
  const texts = candidates.map((d, i) =>
    i === 0
      ? grid.cells.map((c) => c.vt)
      : grid.cells.map((c) => (c.v === null ? '' : formatValue(c.v, input.format, input.locale, d))),
  );
  const layout = heatmapLayout({
    width: input.width,
    xLabels,
    yLabels,
    valueTexts: texts,
    xPart: input.xPart,
    showLabels: input.showLabels ?? 'auto',
    ...(input.xTitle ? { xTitle: input.xTitle } : {}),
    ...(input.yTitle ? { yTitle: input.yTitle } : {}),
    measure: input.measure,
  });
  if (layout.labelSet > 0) grid = heatGrid(input, candidates[layout.labelSet]);
  const { cells, scale } = grid;
  const c = input.colors;
  const values = cells.filter((d) => d.v !== null);
  const nulls = cells.filter((d) => d.v === null);

  // Legend ticks with Finboard-formatted labels, looked up by a constant labelExpr.
  const gradientLength = Math.round(Math.max(100, Math.min(260, layout.plotWidth * 0.55)));
  const legend = legendTicks(
    scale,
    gradientLength,
    (v, d) => formatValue(v, input.format, input.locale, d),
    input.format,
    input.measure,
  );

  // Bands over indexes, labels looked up in a param by a constant expression (see HeatDatum.xi).
  const xValues = xLabels.map((_, i) => i).filter((i) => i % layout.xLabelStep === 0);
  const x = {
    field: 'xi',
    type: 'ordinal',
    sort: null,
    scale: { domain: xLabels.map((_, i) => i), paddingInner: 0.08, paddingOuter: 0.02 },
    axis: {
      orient: 'top',
      title: input.xTitle || null,
      values: xValues,
      labelExpr: 'finXLabels[datum.value]',
      labelAngle: layout.xLabelAngle,
      labelAlign: layout.xLabelAngle === 0 ? 'center' : 'left',
      labelBaseline: layout.xLabelAngle === 0 ? 'bottom' : 'middle',
      labelLimit: 90,
      labelOverlap: false,
      labelPadding: 4,
      labelFontSize: AXIS_FONT,
      ticks: false,
      domain: false,
      grid: false,
    },
  };
  const y = {
    field: 'yi',
    type: 'ordinal',
    sort: null,
    scale: { domain: yLabels.map((_, i) => i), paddingInner: 0.08, paddingOuter: 0.02 },
    axis: {
      labelExpr: 'finYLabels[datum.value]',
      title: input.yTitle || null,
      labelLimit: layout.yLabelLimit,
      labelOverlap: false,
      labelPadding: 4,
      labelFontSize: AXIS_FONT,
      ticks: false,
      domain: false,
      grid: false,
    },
  };
  const tooltip = { field: 'xl', type: 'nominal' };
  const opacity = { field: 'op', type: 'quantitative', scale: null };
  const stroke = { field: 'st', type: 'nominal', scale: null };

  const layers: Array<Record<string, unknown>> = [
    {
      name: 'cells',
      data: { values },
      mark: { type: 'rect', cornerRadius: 2, cursor: 'pointer', strokeWidth: 2, aria: false },
      encoding: {
        x,
        y,
        color: {
          field: 'v',
          type: 'quantitative',
          scale: {
            type: 'linear',
            domain: scale.domain,
            range: scale.range,
            interpolate: 'rgb',
            zero: false,
            nice: false,
            clamp: true,
          },
          legend: {
            orient: 'bottom',
            direction: 'horizontal',
            title: null,
            gradientLength,
            gradientThickness: 10,
            values: legend.values,
            labelExpr:
              'indexof(legendTicks, datum.value) < 0 ? datum.label : legendText[indexof(legendTicks, datum.value)]',
            labelOverlap: false,
            labelColor: c.muted,
          },
        },
        stroke,
        opacity,
        tooltip,
      },
    },
  ];
  if (nulls.length) {
    layers.push({
      name: 'nodata',
      data: { values: nulls },
      mark: { type: 'rect', cornerRadius: 2, cursor: 'pointer', strokeWidth: 2, aria: false },
      encoding: {
        x,
        y,
        color: {
          datum: input.noDataLabel,
          type: 'nominal',
          scale: { domain: [input.noDataLabel], range: [c.nullFill] },
          legend: {
            orient: 'bottom',
            title: null,
            symbolType: 'M-1,-1H1V1H-1Z M-0.55,0.55L0.55,-0.55',
            symbolStrokeColor: c.nullStroke,
            symbolStrokeWidth: 1,
            symbolSize: 120,
            labelColor: c.muted,
          },
        },
        stroke,
        opacity,
        tooltip,
      },
    });
    // The hatch: a short diagonal across the middle of every no-data cell, so "no data" never
    // reads as a low value. Band positions keep it square-ish whatever the cell's aspect.
    const half = Math.min(layout.cellWidth, layout.cellHeight) * 0.28;
    const bx = Math.min(0.35, half / Math.max(1, layout.cellWidth));
    const by = Math.min(0.35, half / Math.max(1, layout.cellHeight));
    layers.push({
      name: 'hatch',
      data: { values: nulls },
      mark: { type: 'rule', stroke: c.nullStroke, strokeWidth: 1, cursor: 'pointer', aria: false },
      encoding: {
        x: { ...x, bandPosition: r10(0.5 - bx) },
        x2: { field: 'xi', bandPosition: r10(0.5 + bx) },
        y: { ...y, bandPosition: r10(0.5 + by) },
        y2: { field: 'yi', bandPosition: r10(0.5 - by) },
        opacity,
        tooltip,
      },
    });
  }
  if (layout.labels && values.length) {
    layers.push({
      name: 'labels',
      data: { values },
      mark: {
        type: 'text',
        fontSize: CELL_FONT,
        baseline: 'middle',
        align: 'center',
        cursor: 'pointer',
        aria: false,
      },
      encoding: {
        x,
        y,
        text: { field: 'vt', type: 'nominal' },
        color: { field: 'ink', type: 'nominal', scale: null },
        opacity,
        tooltip,
      },
    });
  }

  const spec: Record<string, unknown> = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(input.description ? { description: input.description } : {}),
    width: layout.width,
    height: layout.height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 0, right: 6, top: 0, bottom: 0 },
    params: [
      { name: 'legendTicks', value: legend.values },
      { name: 'legendText', value: legend.text },
      { name: 'finXLabels', value: xLabels },
      { name: 'finYLabels', value: yLabels },
    ],
    layer: layers,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    config: {
      // The container carries the text summary (role=img); per-mark ARIA labels would only read out
      // internal field names ("xl: May; v: 0.0728…").
      aria: false,
      axis: { labelColor: c.muted, titleColor: c.muted, labelFontSize: AXIS_FONT, titleFontWeight: 'normal' },
      legend: { labelFontSize: AXIS_FONT },
      view: { stroke: null },
    },
  };
  return { spec: hoistTickValues(spec), layout, grid };
}
