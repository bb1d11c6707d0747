/** Error codes the engine raises; elements map them to localised error states. */
export type FinErrorCode =
  | 'missing_dataset'
  | 'missing_column'
  | 'bad_input'
  | 'unknown_metric'
  | 'bad_params'
  | 'csp_eval_blocked'
  | 'fetch_failed'
  | 'remote_failed'
  | 'worker_failed'
  | 'aborted'
  // Server (finboard/server) refusals and limits:
  | 'unauthorized'
  | 'forbidden'
  | 'timeout'
  | 'too_large'
  | 'rate_limited'
  | 'backend_unavailable'
  /** A lazily loaded metric was run synchronously before its code was loaded. */
  | 'not_ready'

  // A metric or option a backend does not compute (yet); never a number from another path.
  | 'unsupported';

/** A typed, serialisable engine error. `details` is plain JSON. */
export class FinError extends Error {
  readonly code: FinErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: FinErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'FinError';
    this.code = code;
    this.details = details;
  }
  toJSON(): { name: string; code: FinErrorCode; message: string; details: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
  /** Rebuild from `toJSON()` output (worker and remote transport). */
  static fromJSON(o: { code?: string; message?: string; details?: Record<string, unknown> }): FinError {
    return new FinError((o.code ?? 'bad_input') as FinErrorCode, o.message ?? 'Unknown error', o.details ?? {});
  }
}

/** True when `e` is an EvalError / CSP refusal of `Function()` or `eval`. */
export function isCspEvalError(e: unknown): boolean {
  if (e instanceof EvalError) return true;
  const m = e instanceof Error ? e.message : String(e);
  return /unsafe-eval|Content Security Policy|Refused to evaluate/i.test(m);
}
