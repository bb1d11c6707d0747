/**
 * The generic analytics of METRICS.md: KPI, heatmap, funnel, cohort retention, RFM, churn, fund
 * flow, sankey and large/suspicious transaction alerts. One module each; this list registers them.
 */
import type { MetricDef } from '../metric.js';
import { churnMetric } from './churn.js';
import { cohortMetric } from './cohort.js';
import { fundFlowMetric } from './fund-flow.js';
import { funnelMetric } from './funnel.js';
import { heatmapMetric } from './heatmap.js';
import { kpiMetric } from './kpi.js';
import { rfmMetric } from './rfm.js';
import { sankeyMetric } from './sankey.js';
import { txnAlertsMetric } from './txn-alerts.js';

export const GENERIC_METRICS: MetricDef[] = [
  kpiMetric,
  heatmapMetric,
  funnelMetric,
  cohortMetric,
  rfmMetric,
  churnMetric,
  fundFlowMetric,
  sankeyMetric,
  txnAlertsMetric,
];
