/**
 * The `params` type of each element, from the generated metric params types
 * (src/engine/params.generated.ts, generated from the metric JSON Schemas). An element whose metric
 * depends on a switch (`display`, `mode`) takes the union of those metrics' params.
 */
import type { MetricId, MetricParams } from '../../src/engine/params.generated.js';

export type { MetricId, MetricParams };
/** `<fin-kpi-card>`: the `kpi` metric (value mode or `series` mode). */
export type KpiCardParams = MetricParams['kpi'];
/** `<fin-heatmap>`: the `heatmap` metric. */
export type HeatmapElementParams = MetricParams['heatmap'];
/** Ready-made heatmaps (`<fin-heatmap preset>` and `params.preset`). */
export type HeatmapPreset = NonNullable<MetricParams['heatmap']['preset']>;
/** `<fin-funnel>`: the `funnel` metric. */
export type FunnelElementParams = MetricParams['funnel'];
/** `<fin-cohort>`: `cohort` (mode retention) or `vintage` (mode vintage; `threshold` is accepted for `d`). */
export type CohortElementParams = MetricParams['cohort'] | (MetricParams['vintage'] & { threshold?: number | null });
/** `<fin-rfm>`: the `rfm` metric. */
export type RfmElementParams = MetricParams['rfm'];
/** `<fin-overdue-trend>`: per display, `bucket_trend`, `overdue_rate`, `flow_rate` or `roll_rate`. */
export type OverdueTrendElementParams = MetricParams['bucket_trend' | 'overdue_rate' | 'flow_rate' | 'roll_rate'];
/** `<fin-fund-flow>`: per display, `sankey`, `fund_flow` or `txn_alerts`. */
export type FundFlowElementParams = MetricParams['sankey' | 'fund_flow' | 'txn_alerts'];
/** `<fin-table>`: any metric (its `metric` says which). */
export type TableElementParams = MetricParams[MetricId];
// --- mining-cluster --------------------------------------------------------------------------
/** `<fin-cluster>`: the `cluster` metric. */
export type ClusterElementParams = MetricParams['cluster'];
/** `<fin-profile>`: the `profile` metric (`group` may come from a selection instead). */
export type ProfileElementParams = Omit<MetricParams['profile'], 'group'> & { group?: MetricParams['profile']['group'] };
// --- end mining-cluster ----------------------------------------------------------------------
/** `<fin-model>`: the `model_monitor` metric. */
export type ModelElementParams = MetricParams['model_monitor'];
