/**
 * The backend interface of `finboard/server`: what the hardened handler asks of a data engine.
 * The handler owns authentication, policy, limits, audit and caching; a backend only answers the
 * JSON protocol over its datasets. Three backends implement it: `memoryBackend()` (the in-process
 * engine), and the SQL backends (DuckDB, ClickHouse) built against this same contract.
 *
 * Contract every backend keeps (the handler relies on it; docs/server.md states it for authors):
 * - `query` applies every clause of `req.filters` (AND). Clauses listed in `opts.required` (the
 *   caller's row-level policy) must apply on *every* dataset the metric reads: where a backend
 *   cannot resolve one, it rejects with `FinError('forbidden')` — it never skips it.
 * - `opts.signal` aborts: the backend stops (or cancels in the engine) and rejects with
 *   `FinError('aborted')`. A backend that cannot reach its engine rejects with
 *   `FinError('backend_unavailable')`.
 * - Identifiers (datasets, fields) come from the request only after the backend resolved them
 *   against its schema; no request string is ever spliced into SQL.
 * - Results are plain JSON `{ data, basis, quality }`, identical across backends.
 */
import type { DataQualityReport, IngestInput } from '../data/ingest.js';
import type { DatasetInfo, LoadOptions, PrepareInfo, PrepareOptions } from '../engine/engine-types.js';
import type { FilterClause, MetricResult, QueryRequest } from '../engine/types.js';

export interface BackendQueryOptions {
  /** Aborted by the handler on timeout or when the client goes away. */
  signal?: AbortSignal;
  /**
   * Row-level policy clauses (also present in `req.filters`) that must apply on every dataset the
   * query reads; when one cannot, reject with `forbidden`.
   */
  required?: FilterClause[];
}

/** Distinct values of one field (filter-bar option lists, date extents). */
export interface DistinctRequest {
  /** Dataset (default `loan_months`). */
  source?: string;
  /** Field, optionally with a date part: `region`, `snapshot_date.month`. */
  field: string;
  order?: 'count' | 'value';
  /** Most values returned (default 500). */
  limit?: number;
  filters?: FilterClause[];
}

/** A file (or a table in the backend's own store) that becomes a dataset. Operator input only. */
export interface AttachSource {
  /** A file path on the server: CSV, Parquet, Arrow, or a table name for SQL backends. */
  path: string;
  format?: 'csv' | 'json' | 'arrow' | 'parquet';
  /** Canonical column → the file's column. */
  fields?: Record<string, string>;
}

export interface Backend {
  /** `memory`, `duckdb`, `clickhouse`, … (shown in audit and `datasets` answers). */
  readonly kind: string;
  /**
   * Load data given as a value (rows, columns, CSV/JSON text, Arrow bytes). URL inputs reach a
   * backend only after the handler checked the origin allowlist.
   */
  load(name: string, input: IngestInput, opts?: LoadOptions): Promise<DataQualityReport>;
  /** Attach a file by path as a dataset: the operator's paths, never a client's. */
  attach(name: string, source: AttachSource, opts?: LoadOptions): Promise<DataQualityReport>;
  /** Run one metric request (see the contract above). */
  query(req: QueryRequest, opts?: BackendQueryOptions): Promise<MetricResult>;
  /** Distinct values of a field with row counts, under the same filter contract as `query`. */
  distinct(req: DistinctRequest, opts?: BackendQueryOptions): Promise<MetricResult>;
  /** Optional pre-aggregation for a dashboard's cross-filtering (see LocalEngine.prepare). */
  prepare?(opts: PrepareOptions, qopts?: BackendQueryOptions): Promise<PrepareInfo>;
  /**
   * A number that changes whenever this backend's data changes through it (load, attach, unload).
   * The handler's result cache keys include it, so answers never outlive the data they came from
   * (data changed behind a backend's back, e.g. in a warehouse, ages out by `limits.cacheTtlMs`).
   */
  version(): number;
  /** Loaded datasets: name, rows, columns, masking, quality report. */
  datasets(): Promise<DatasetInfo[]>;
  unload(name: string): Promise<void>;
  /** Release everything (connections, files, memory). */
  close(): Promise<void>;
}
