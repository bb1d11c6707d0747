/**
 * The funnel, collection-team and alert metrics compiled to SQL (funnel, collector_performance,
 * txn_alerts), merged into the registry's table.
 */
import type { CompiledMetric } from './collection.js';
import { txnAlertsSql } from './alerts.js';
import { collectorSql } from './collector.js';
import { funnelSql } from './funnel.js';

export const REST_COMPILED: Readonly<Record<string, CompiledMetric>> = {
  funnel: funnelSql,
  collector_performance: collectorSql,
  txn_alerts: txnAlertsSql,
};
