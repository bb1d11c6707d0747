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
 * call is authorised, limited, answered and audited as if sent alone; the replies come back in
 * the calls' order in one 200 answer. At most `MAX_BATCH` calls.
 */
export interface BatchEnvelope {
  id: number;
  calls: EngineCall[];
}

export interface BatchReply {
  id: number;
  replies: Array<{ ok: true; value: unknown } | { ok: false; error: ReturnType<FinError['toJSON']> }>;
}

/** Calls one batch may carry (more is `too_large`). */
export const MAX_BATCH = 64;
