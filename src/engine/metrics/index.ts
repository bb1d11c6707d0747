import { FinError } from '../errors.js';
import type { MetricDef } from '../metric.js';
import { COLLECTION_METRICS } from './collection.js';
import { distinct } from './distinct.js';
import { GENERIC_METRICS } from './generic.js';

const REGISTRY = new Map<string, MetricDef>();
for (const m of [...GENERIC_METRICS, ...COLLECTION_METRICS, distinct]) REGISTRY.set(m.id, m as MetricDef);

/** The metric with this id, or FinError('unknown_metric') listing the known ones. */
export function getMetric(id: string): MetricDef {
  const m = REGISTRY.get(id);
  if (!m) {
    throw new FinError('unknown_metric', `Unknown metric "${id}"`, { metric: id, known: [...REGISTRY.keys()] });
  }
  return m;
}

/** Ids of every metric the engine knows. */
export function metricIds(): string[] {
  return [...REGISTRY.keys()];
}
