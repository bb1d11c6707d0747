/**
 * The collection (催收) metrics of METRICS.md, one module each. Register with the engine through
 * `COLLECTION_METRICS`; request/response shapes are documented in docs/metrics.md.
 */
import type { MetricDef } from '../metric.js';
import { bucketTrend } from './bucket-trend.js';
import { channelEffectiveness } from './channel-effectiveness.js';
import { collectorPerformance } from './collector-performance.js';
import { cureRate } from './cure-rate.js';
import { dpdBuckets } from './dpd-buckets.js';
import { entryRate } from './entry-rate.js';
import { flowRate } from './flow-rate.js';
import { overdueRate } from './overdue-rate.js';
import { repaymentRate } from './repayment-rate.js';
import { rollRate } from './roll-rate.js';
import { vintage } from './vintage.js';

export const COLLECTION_METRICS: MetricDef[] = [
  dpdBuckets,
  bucketTrend,
  overdueRate,
  flowRate,
  rollRate,
  vintage,
  entryRate,
  cureRate,
  repaymentRate,
  collectorPerformance,
  channelEffectiveness,
];

export {
  bucketTrend,
  channelEffectiveness,
  collectorPerformance,
  cureRate,
  dpdBuckets,
  entryRate,
  flowRate,
  overdueRate,
  repaymentRate,
  rollRate,
  vintage,
};
export { DEFAULT_DPD_EDGES, US_DPD_EDGES, bucketOf, resolveBuckets } from './dpd-buckets.js';
