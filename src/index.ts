/**
 * `finboard`: the headless core. Runs in Node, a page or a worker; never touches the DOM.
 * Engine (createEngine + placements), ingestion and data quality, masking, the seeded sample
 * generator, formatting, Vega-Lite spec builders and design tokens.
 */
export * from './data/index.js';
export { createEngine } from './engine/create.js';
export type { EngineOptions, FinEngine } from './engine/create.js';
export type { Engine, DatasetInfo, LoadOptions, QueryOptions, SessionInfo } from './engine/engine-types.js';
export { LocalEngine } from './engine/local.js';
export { WorkerEngine, RemoteEngine } from './engine/clients.js';
export { FinError, isCspEvalError } from './engine/errors.js';
export type { FinErrorCode } from './engine/errors.js';
export { MetricContext } from './engine/context.js';
export { getMetric, metricIds } from './engine/metrics/index.js';
export type { RegisteredMetric } from './engine/metrics/index.js';
export { PARAM_SCHEMAS } from './engine/metrics/params-schemas.js';
export { checkParams, validate as validateSchema } from './engine/schema.js';
export type { JsonSchema, SchemaIssue } from './engine/schema.js';
export type * from './engine/params.generated.js';
export { jsonEqual } from './engine/json-equal.js';
export type { MetricDef } from './engine/metric.js';
export type { Basis, FilterClause, LocalText, MetricResult, QueryRequest, ResultQuality } from './engine/types.js';
export * from './format/index.js';
export { toCsv, csvCell } from './format/csv.js';
export { TOKENS, CATEGORICAL, BUCKET_COLORS, tokenCss, vegaConfig } from './theme/tokens.js';
export type { Token } from './theme/tokens.js';
export type { DashboardSpec, WidgetSpec, FilterSpec, SourceSpec, SpecIssue, DrillLevel } from './dashboard/spec.js';
