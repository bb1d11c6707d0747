/** The public types of the hardened handler: limits, audit events, options. See docs/server.md. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FinErrorCode } from '../engine/errors.js';
import type { CallEnvelope } from '../engine/protocol.js';
import type { FilterClause } from '../engine/types.js';
import type { Backend } from './backend.js';
import type { Policy, RoleRule } from './policy.js';

export interface Limits {
  /** Largest request body for callers who cannot load data (default 256 KiB). */
  bodyBytes?: number;
  /** Largest request body for callers allowed to `load` (default 64 MiB). */
  loadBodyBytes?: number;
  /** Most rows in one answer (`data`, and each list in `meta`); more is `too_large` (default 10 000). */
  rows?: number;
  /** Query time in ms; the backend query is cancelled and the caller gets `timeout` (default 30 000). */
  timeoutMs?: number;
  /**
   * Calls in flight per principal (without a policy: per client address); more is `rate_limited`
   * (default 16: a dashboard sends one query per widget at once).
   */
  concurrent?: number;
  /** Largest `customers` a `loadSample` may ask for (default 20 000). */
  sampleCustomers?: number;
  /** Cached answers kept (default 1000; 0 turns the cache off). */
  cacheEntries?: number;
  /** Total bytes of cached answers (as sent; default 256 MiB): least recently used go first. */
  cacheBytes?: number;
  /** Cached answers expire after this many ms (default 60 000). */
  cacheTtlMs?: number;
}

/** One event per call, to the `audit` callback. */
export interface AuditEvent {
  time: string;
  principal: string | null;
  roles: string[];
  op: string;
  metric?: string;
  source?: string;
  /** The filters the backend ran with: forced policy clauses first, then the client's. */
  filters?: FilterClause[];
  rows: number | null;
  ms: number;
  outcome: 'ok' | 'denied' | 'error';
  /** The error code of a denied or failed call. */
  code?: FinErrorCode;
  /** Why a call was denied, in words for the operator (never sent to the client). */
  reason?: string;
  cached?: boolean;
  status: number;
}

export interface Logger {
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface HandlerOptions {
  /** Where data lives and metrics run (default: `memoryBackend()`). */
  backend?: Backend;
  /** Authentication and per-role rules. Without one, every caller is `anonymous` with `anonymous`'s rule. */
  policy?: Policy;
  limits?: Limits;
  audit?: (event: AuditEvent) => void;
  /** Origins (`https://data.example.com`) `load` may fetch URLs from; default none. */
  loadOrigins?: string[];
  /** Rule for callers when there is no policy (default: query/distinct/datasets, no detail, no unmask). */
  anonymous?: RoleRule;
  /** Allowed CORS origin (default none: same origin only). */
  cors?: string;
  /** Send engine messages to clients too (development only; default false: code + safe message). */
  exposeErrors?: boolean;
  logger?: Logger;
  /** @deprecated Operations every caller may call; use `anonymous.operations` or a policy. */
  allow?: CallEnvelope['call']['op'][];
  /** @deprecated Largest body; use `limits.bodyBytes`. */
  maxBody?: number;
}

export type FinHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  readonly backend: Backend;
  /** Close the backend. */
  close(): Promise<void>;
};
