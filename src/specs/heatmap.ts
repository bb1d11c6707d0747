/**
 * Vega-Lite spec of the heatmap: x × y rect marks coloured by the cell value, null cells drawn as
 * hatched "no data" cells with their own legend entry, optional value labels whose ink switches for
 * contrast, and a colour legend whose labels are formatted by Finboard (万/亿, %) rather than d3.
 *
 * Pure: no DOM, no Lit. The element resolves tokens (colours, the sampled colour ramp) and passes
 * them in; everything else — labels, layout, colour domain, ink — is computed here so it can be
 * tested in node.
 *
 * CSP: the spec carries no expression built from data. Data values travel in `data.values` and in
 * `params` arrays that constant `labelExpr`s look up: the legend's ticks and texts, and the axis
 * labels. The band scales run over column / row indexes, never over label strings: Vega keys axis
 * ticks by domain value in plain objects, where `__proto__` or `constructor` break (issue 13 #1).
 *
 * Pipeline: grid (every x × y cell, nulls kept) → layout (cell size, label thinning, whether value
 * labels fit) → colour domain and ramp → layers (cells, no-data cells + hatch, labels) → spec.
 */
export type {
  DimPart,
  HeatKey,
  HeatRow,
  HeatColors,
  HeatmapSpecInput,
  TextMeasure,
  HeatDatum,
  HeatLayout,
} from './heatmap/types.js';
export {
  LABEL_MIN_WIDTH,
  LABEL_MIN_HEIGHT,
  monthNameIndex,
  dimLabel,
  nameKind,
  orderDomain,
  textWidth,
  niceTicks,
  digitsForStep,
} from './heatmap/labels.js';
export {
  parseColor,
  luminance,
  contrast,
  rampAt,
  INK_LIGHT,
  INK_DARK,
  inkOn,
  adaptRamp,
  colorScale,
  colorOf,
} from './heatmap/color.js';
export type { HeatColorScale } from './heatmap/color.js';
export { MAX_CELL_WIDTH, heatmapLayout, legendTicks } from './heatmap/layout.js';
export { selfExplanatory, heatGrid } from './heatmap/grid.js';
export type { HeatGrid } from './heatmap/grid.js';
export { heatmapSpec } from './heatmap/spec.js';
export type { HeatmapSpecOutput } from './heatmap/spec.js';
