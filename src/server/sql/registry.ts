/**
 * Metrics compiled to SQL, by id. A metric absent here answers `unsupported` on the SQL backends
 * (docs/server.md lists them), never a number computed another way.
 */
import type { CompiledMetric } from './collection.js';
import { cureRateSql, entryRateSql } from './entry.js';
import { kpiSeriesSql } from './kpi.js';
import { loanTable } from './loan-metrics.js';
import { CUSTOMER_COMPILED } from './customer.js';
import { distinctSql } from './distinct.js';
import { heatmapSql } from './heatmap.js';
import { fundFlowSql } from './fund-flow.js';
import { sankeySql } from './sankey.js';
import { REST_COMPILED } from './rest.js';
import { bucketTrendSql, dpdBucketsSql, flowRateSql, overdueRateSql, rollRateSql } from './collection.js';

const table: Record<string, CompiledMetric> = {
  overdue_rate: overdueRateSql,
  bucket_trend: bucketTrendSql,
  flow_rate: flowRateSql,
  dpd_buckets: dpdBucketsSql,
  roll_rate: rollRateSql,
  entry_rate: entryRateSql,
  cure_rate: cureRateSql,
  ...loanTable,
  ...CUSTOMER_COMPILED,
  distinct: distinctSql,
  heatmap: heatmapSql,
  fund_flow: fundFlowSql,
  sankey: sankeySql,
  ...REST_COMPILED,
};
// KPI cards over another compiled metric's series (series mode only).
table['kpi'] = kpiSeriesSql((id) => (id !== 'kpi' && Object.hasOwn(table, id) ? table[id] : undefined));

export const COMPILED: Readonly<Record<string, CompiledMetric>> = Object.freeze(table);
