import type { FinError } from './errors.js';

/** A message to the worker or the remote handler: one engine call. */
export type EngineCall =
  | { op: 'load'; name: string; input: unknown; opts?: Record<string, unknown> }
  | { op: 'loadSample'; opts?: Record<string, unknown> }
  | { op: 'query'; req: unknown }
  /** Distinct values of a field: `req` is `{ source?, field, order?, limit?, filters? }`. */
  | { op: 'distinct'; req: unknown }
  | { op: 'prepare'; opts: Record<string, unknown> }
  | { op: 'datasets' }
  /** The caller as the server sees it: principal, watermark text, rights (finboard/server). */
  | { op: 'session' }
  | { op: 'unload'; name: string };

export interface CallEnvelope {
  id: number;
  call: EngineCall;
}

export type ReplyEnvelope =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: ReturnType<FinError['toJSON']> };

/**
 * Several calls in one request to the remote handler (a dashboard's widget queries at once): each
 * call is authorised, limited, answered and audited as if sent alone. The 200 answer is NDJSON:
 * one `BatchLine` per call, written as that call ends (so a cached answer is not held back by the
 * batch's slowest query), `i` the call's index. A failure of the whole request (authentication,
 * body, more than `MAX_BATCH` calls) is one `ReplyEnvelope` with its own status, as for one call.
 */
export interface BatchEnvelope {
  id: number;
  calls: EngineCall[];
}

export type BatchLine =
  | { i: number; ok: true; value: unknown }
  | { i: number; ok: false; error: ReturnType<FinError['toJSON']> };

/** Calls one batch may carry (more is `too_large`). */
export const MAX_BATCH = 64;
