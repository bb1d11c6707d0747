import { FinError } from '../errors.js';
import type { MetricDef } from '../metric.js';
import type { JsonSchema } from '../schema.js';
import { COLLECTION_METRICS } from './collection.js';
import { distinct } from './distinct.js';
import { GENERIC_METRICS } from './generic.js';
import { MINING_STUBS } from './mining-lazy.js';
import { PARAM_SCHEMAS } from './params-schemas.js';

/** A registered metric: its definition plus the JSON Schema of its params (params-schemas.ts). */
export interface RegisteredMetric extends MetricDef {
  /** JSON Schema (draft 2020-12) of the params: forms, request validation, generated TS types. */
  readonly paramsSchema: JsonSchema;
}

const SCHEMAS: Record<string, JsonSchema> = PARAM_SCHEMAS;
const REGISTRY = new Map<string, RegisteredMetric>();
for (const m of [...GENERIC_METRICS, ...COLLECTION_METRICS, distinct, ...MINING_STUBS] as MetricDef[]) {
  // A metric without a schema accepts any object (a unit test requires every metric to have one).
  REGISTRY.set(m.id, { ...m, paramsSchema: SCHEMAS[m.id] ?? { type: 'object' } });
}

/** The metric with this id, or FinError('unknown_metric') listing the known ones. */
export function getMetric(id: string): RegisteredMetric {
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

/**
 * The loader a metric needs before it can run (lazily loaded code), or null. Unknown ids give
 * null: the query then fails with `unknown_metric` as before.
 */
export function metricPreload(id: string): (() => Promise<void>) | null {
  return REGISTRY.get(id)?.preload ?? null;
}
