/**
 * The mining metrics of METRICS.md ("Mining"): clusters, scores, model monitoring and profiles.
 * This module is the lazily loaded chunk behind the lazy definitions of mining-lazy.ts; it statically imports
 * ml-kmeans and ml-cart, so nothing of it reaches a bundle that does not run these metrics.
 */
import type { MetricDef } from '../metric.js';
import { clusterMetric } from './cluster.js';
import { modelMonitorMetric } from './model-monitor.js';
import { profileMetric } from './profile.js';
import { scoreMetric } from './score.js';

export const MINING_METRICS: MetricDef[] = [clusterMetric, scoreMetric, modelMonitorMetric, profileMetric];
