/**
 * Pure Vega-Lite spec builders and view models of `<fin-overdue-trend>`: the DPD bucket trend
 * (stacked area / bars), overdue-rate lines (coincident and lagged, alert threshold), flow-rate
 * lines per bucket transition, and the roll-rate matrix heat table.
 *
 * Pipeline, per display: result → model (validated, months filled in calendar order, labels
 * localised, nulls kept as null) → spec (JSON). Data values only ever go into `data.values`,
 * axis `values` and scale `domain` arrays; every expression string here is a constant.
 * No DOM, no lit: runs and is tested in node.
 */
export type { Spec } from './overdue-trend/shared.js';
export {
  DISPLAYS,
  DISPLAY_METRIC,
  DEFAULT_EDGES,
  defaultColors,
  missingField,
} from './overdue-trend/displays.js';
export type { OverdueDisplay, OverdueColors } from './overdue-trend/displays.js';
export { luminance, contrast, mix, ensureContrast, bucketColor } from './overdue-trend/colors.js';
export {
  monthIndex,
  monthOf,
  fillMonths,
  textWidth,
  monthTicks,
  bucketDpdRange,
  edgesOf,
  bucketLabelsOf,
  bucketClause,
  plusClause,
  bucketRangeLabel,
  pct,
  pctExact,
  percentFormat,
  compactLabelExpr,
} from './overdue-trend/labels.js';
export { SHAPES } from './overdue-trend/spec-parts.js';
export type { SpecOptions } from './overdue-trend/spec-parts.js';
export { bucketModel, bucketSpec, bucketColors } from './overdue-trend/buckets.js';
export type { BucketPoint, BucketModel, BucketSpecOptions } from './overdue-trend/buckets.js';
export {
  seriesColor,
  rateModel,
  aboveThreshold,
  niceTop,
  rateCap,
  capTicks,
  rateSpec,
} from './overdue-trend/rates.js';
export type { RateSeries, RatePoint, RateModel, RateSpecOptions } from './overdue-trend/rates.js';
export { rateRequests, mergeRateResults } from './overdue-trend/rate-requests.js';
export type { RateRequest } from './overdue-trend/rate-requests.js';
export { flowModel, MAIN_FLOW_EDGES, flowAxisRates, flowSpec } from './overdue-trend/flows.js';
export type { FlowSeries, FlowPoint, FlowModel } from './overdue-trend/flows.js';
export { heatRange, stateLabel, rollModel, rollSpec } from './overdue-trend/rollrate.js';
export type { RollCell, RollModel } from './overdue-trend/rollrate.js';
