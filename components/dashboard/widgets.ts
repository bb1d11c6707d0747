import type { WidgetType } from '../../src/dashboard/spec.js';

/** Allowlist: widget type → tag. Only these tags are ever created from a spec. */
export const WIDGET_TAGS: Record<WidgetType, string> = {
  'kpi-card': 'fin-kpi-card',
  funnel: 'fin-funnel',
  heatmap: 'fin-heatmap',
  cohort: 'fin-cohort',
  rfm: 'fin-rfm',
  'overdue-trend': 'fin-overdue-trend',
  'fund-flow': 'fin-fund-flow',
  table: 'fin-table',
  // mining-cluster
  cluster: 'fin-cluster',
  profile: 'fin-profile',
  // mining: model monitoring
  model: 'fin-model',
};

/** Element properties a spec may set (anything else in `props` is ignored and reported). */
export const ALLOWED_PROPS = new Set([
  'format', 'direction', 'colorConvention', 'digits', 'comparisonLabel', 'display', 'mode', 'orientation', 'breakdown',
  'breakdownLayout', 'preset', 'scheme', 'valueFormat', 'showLabels', 'selectOn', 'valueMode', 'variant', 'threshold',
  'chartType', 'filterField', 'showFlows', 'sortBy', 'sortDirection', 'chartHeight', 'unit', 'by', 'top', 'middle', 'domainMid', 'reverseScheme', 'xTitle', 'yTitle', 'digits', 'share', 'excludeCurrent', 'lag', 'overview', 'columns', 'selectField', 'limit', 'stages', 'view',
  // mining: model monitoring
  'hideViews',
]);
