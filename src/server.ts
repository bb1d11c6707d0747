/**
 * `finboard/server`: serve the engine protocol from Node next to the data, hardened for a bank's
 * security review: a policy (authentication, per-role datasets/metrics/operations, row-level
 * filters forced into every query, detail and unmasking permissions), limits (body, rows, time,
 * concurrency), an audit event per call and a result cache per policy scope. The data lives in a
 * backend (`memoryBackend()` today; SQL backends implement the same interface). The browser side
 * is `createEngine({ placement: 'remote', url })`. See docs/server.md.
 *
 * @example
 * import http from 'node:http';
 * import { createHandler, memoryBackend } from 'finboard/server';
 * const backend = memoryBackend();
 * await backend.attach('loan_months', { path: '/data/loan_months.csv' });
 * http.createServer(createHandler({ backend, audit: (e) => log.info(e) })).listen(8787, '127.0.0.1');
 */
import { createHandlerWith } from './server/handler.js';
import type { FinHandler, HandlerOptions } from './server/handler.js';
import { memoryBackend } from './server/memory.js';
import type { LocalEngine } from './engine/local.js';

export type { AuditEvent, FinHandler, Limits, Logger } from './server/handler.js';
export type { AttachSource, Backend, BackendQueryOptions, DistinctRequest } from './server/backend.js';
export type { MemoryBackendOptions } from './server/memory.js';
export type {
  Operation,
  Policy,
  PolicyClause,
  PolicyJSON,
  Principal,
  RoleRule,
  Scope,
} from './server/policy.js';
export { memoryBackend } from './server/memory.js';
export { duckdbBackend } from './server/duckdb.js';
export type { AttachedBy, DuckdbBackendOptions } from './server/duckdb.js';
export { clickhouseBackend } from './server/clickhouse.js';
export type { ClickhouseBackend, ClickhouseBackendOptions } from './server/clickhouse.js';
export { COMPILED as SQL_COMPILED_METRICS } from './server/sql/registry.js';
export { policyFromJSON, scopeOf, DEFAULT_DETAIL_FIELDS, CLIENT_OPERATIONS } from './server/policy.js';
export { writeSample, writeSampleCsv } from './server/generate.js';
export type { GenerateOptions } from './server/generate.js';

export interface CreateHandlerOptions extends HandlerOptions {
  /** @deprecated Serve this in-process engine; use `backend: memoryBackend({ engine })`. */
  engine?: LocalEngine;
}

/**
 * The request handler for `http.createServer`. Defaults are safe: callers may `query`,
 * `distinct` and `datasets` only; loading is operator-only (a policy role with `operations`, or
 * `anonymous.operations` without a policy); URL loads only from `loadOrigins`; errors carry a code
 * and a safe message.
 */
export function createHandler(opts: CreateHandlerOptions = {}): FinHandler {
  const backend = opts.backend ?? memoryBackend(opts.engine ? { engine: opts.engine } : {});
  return createHandlerWith(opts, backend);
}
