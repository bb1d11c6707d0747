/**
 * What a client learns from a failed call: a code, a fixed safe message for it, and only detail
 * values the client itself sent. Engine messages (which may name files, SQL, other columns or
 * dataset lists) go to the audit event and the logger, never to the client, unless the operator
 * turns `exposeErrors` on for development.
 */
import type { FinError, FinErrorCode } from '../engine/errors.js';

const SAFE_MESSAGES: Record<FinErrorCode, string> = {
  missing_dataset: 'The dataset is not available',
  missing_column: 'A field is not available on the dataset',
  bad_input: 'The data could not be read',
  unknown_metric: 'Unknown metric',
  bad_params: 'Invalid request or parameters',
  csp_eval_blocked: 'The engine cannot run here',
  fetch_failed: 'The data could not be fetched',
  remote_failed: 'The analytics server could not be reached',
  worker_failed: 'The engine failed',
  aborted: 'The call was cancelled',
  unauthorized: 'Authentication required',
  forbidden: 'Not permitted',
  timeout: 'The query took too long and was cancelled',
  too_large: 'The request or its answer is too large',
  rate_limited: 'Too many calls in flight; retry shortly',
  backend_unavailable: 'The data service is unavailable',
  not_ready: 'The metric is still loading; retry shortly',
  unsupported: 'This metric is not available on this data service',
};

/** Detail keys a client may get back, when their value is something it sent (or a limit). */
const ECHO_KEYS = ['param', 'field', 'metric', 'column', 'op'];

const STATUS: Partial<Record<FinErrorCode, number>> = {
  unauthorized: 401,
  forbidden: 403,
  too_large: 413,
  rate_limited: 429,
  timeout: 504,
  backend_unavailable: 503,
  bad_params: 400,
  unsupported: 501,
};

/** HTTP status of an error code (engine errors about the request itself: 422). */
export function statusOf(code: FinErrorCode): number {
  return STATUS[code] ?? (code === 'aborted' ? 499 : 422);
}

export function clientError(
  e: FinError,
  requestText: string,
  expose: boolean,
): ReturnType<FinError['toJSON']> {
  const details: Record<string, unknown> = {};
  for (const k of ECHO_KEYS) {
    const v = e.details[k];
    if (typeof v === 'string' && v.length <= 128 && requestText.includes(JSON.stringify(v).slice(1, -1)))
      details[k] = v;
  }
  const limit = e.details['limit'];
  if (typeof limit === 'number') details['limit'] = limit;
  return {
    name: 'FinError',
    code: e.code,
    message: expose ? e.message : (SAFE_MESSAGES[e.code] ?? 'Error'),
    details,
  };
}
