/**
 * Pure builders of `<fin-fund-flow>` (no DOM, no lit; runs in node):
 *
 * - results → view models: `sankeyModel` (metric `sankey`), `trendModel` (`fund_flow`),
 *   `alertsModel` (`txn_alerts`), each tolerant of hand-made presentational results;
 * - `sankeyLayout`: d3-sankey geometry for three fixed columns (inflow categories → customer
 *   dimension → outflow categories) with label placement (truncation, collision spreading). The
 *   d3-sankey module is passed in, so the element can load it lazily and tests in node can pass
 *   the statically imported one;
 * - `trendSpec`: the Vega-Lite spec of the net-flow trend (diverging net bars, cumulative net on a
 *   second axis with its zero aligned to the bars', optional inflow / outflow lines). Data values
 *   only ever travel in `data.values`; the one label expression is a constant.
 */
export type { Spec } from './fund-flow/shared.js';
export { DISPLAYS, DISPLAY_METRIC, missingField } from './fund-flow/displays.js';
export type { FundFlowDisplay } from './fund-flow/displays.js';
export { compactLabelExpr, money, amount2, signedCompact, signedMoney, share } from './fund-flow/amounts.js';
export {
  SIDES,
  OTHER_KEY,
  ALL_KEY,
  MISSING_KEY,
  syntheticLabel,
  sankeyModel,
  nodeClause,
  columnLabel,
} from './fund-flow/sankey-model.js';
export type { FlowSide, FlowNode, FlowLink, SankeyModel } from './fund-flow/sankey-model.js';
export { spreadLabels, sankeyLayout, related } from './fund-flow/sankey-layout.js';
export type {
  SankeyModule,
  SankeyLayoutOptions,
  NodeGeom,
  LinkGeom,
  SankeyGeometry,
} from './fund-flow/sankey-layout.js';
export { unitOf, periodText, groupText, trendModel, periodClause } from './fund-flow/trend-model.js';
export type { PeriodUnit, TrendPoint, TrendModel } from './fund-flow/trend-model.js';
export { periodTicks, alignZero, trendSpec } from './fund-flow/trend-spec.js';
export type { TrendColors, TrendSpecOptions } from './fund-flow/trend-spec.js';
export {
  RULE_IDS,
  ruleText,
  alertsModel,
  ALERT_SORT_KEYS,
  sortAlerts,
  thresholdsText,
} from './fund-flow/alerts.js';
export type { AlertRuleId, AlertView, AlertsModel, AlertSortKey } from './fund-flow/alerts.js';
