/**
 * Shape checks for what a client sends: the handler refuses malformed requests with `bad_params`
 * before anything reaches a backend, and client errors never echo more than the client sent.
 */
import { FinError } from '../engine/errors.js';
import type { FilterClause, QueryRequest } from '../engine/types.js';
import type { DistinctRequest } from './backend.js';

const MAX_NAME = 128;
const MAX_IN = 10_000;

function bad(message: string, details: Record<string, unknown> = {}): FinError {
  return new FinError('bad_params', message, details);
}

const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  (typeof v === 'string' && v.length <= 1000);

/** A dataset / field / metric name: a short string (resolved against schemas by the backend). */
export function checkName(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_NAME)
    throw bad(`"${what}" must be a non-empty string of at most ${MAX_NAME} characters`, { param: what });
  return v;
}

/** Client filter clauses: a list of `{ field, op: eq|in|range, value }` with scalar values. */
export function checkFilters(v: unknown): FilterClause[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 100)
    throw bad('"filters" must be a list of at most 100 clauses', { param: 'filters' });
  return v.map((c: unknown): FilterClause => {
    if (!c || typeof c !== 'object') throw bad('A filter clause must be an object', { param: 'filters' });
    const { field, op, value } = c as Record<string, unknown>;
    const f = checkName(field, 'filters.field');
    if (op === 'eq' && isScalar(value)) return { field: f, op, value };
    if (op === 'in' && Array.isArray(value) && value.length <= MAX_IN && value.every(isScalar))
      return { field: f, op, value };
    if (
      op === 'range' &&
      Array.isArray(value) &&
      value.length === 2 &&
      value.every((x) => x === null || typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)))
    ) {
      return { field: f, op, value: value as [string | number | null, string | number | null] };
    }
    throw bad('A filter clause needs op eq (scalar), in (list of scalars) or range ([min, max])', {
      param: 'filters',
    });
  });
}

/** Params: a plain JSON object (checked again by the metric itself). */
function checkParams(v: unknown): Record<string, unknown> {
  if (v === undefined) return {};
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw bad('"params" must be an object', { param: 'params' });
  return v as Record<string, unknown>;
}

export function checkQuery(v: unknown): QueryRequest {
  if (!v || typeof v !== 'object') throw bad('"req" must be an object', { param: 'req' });
  const r = v as Record<string, unknown>;
  const out: QueryRequest = {
    metric: checkName(r['metric'], 'metric'),
    params: checkParams(r['params']),
    filters: checkFilters(r['filters']),
  };
  if (r['source'] !== undefined) out.source = checkName(r['source'], 'source');
  return out;
}

export function checkDistinct(v: unknown): DistinctRequest {
  if (!v || typeof v !== 'object') throw bad('"req" must be an object', { param: 'req' });
  const r = v as Record<string, unknown>;
  const out: DistinctRequest = { field: checkName(r['field'], 'field'), filters: checkFilters(r['filters']) };
  if (r['source'] !== undefined) out.source = checkName(r['source'], 'source');
  if (r['order'] !== undefined) {
    if (r['order'] !== 'count' && r['order'] !== 'value')
      throw bad('"order" must be count or value', { param: 'order' });
    out.order = r['order'];
  }
  if (r['limit'] !== undefined) {
    const l = r['limit'];
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 1 || l > 100_000)
      throw bad('"limit" must be an integer ≥ 1', { param: 'limit' });
    out.limit = l;
  }
  return out;
}

/** Sample options a client may pass to `loadSample`, with their largest accepted values. */
export const SAMPLE_CAPS: Record<string, number> = {
  seed: 2 ** 31,
  customers: 20_000,
  months: 60,
  loansPerCustomer: 5,
  actionsScale: 5,
  transactionsPerCustomerMonth: 30,
  transactionMonths: 36,
  funnelUsers: 100_000,
  funnelMonths: 36,
};

/** Validate `loadSample` options against the caps (`customers` capped by `maxCustomers`). */
export function checkSampleOptions(v: unknown, maxCustomers: number): Record<string, unknown> {
  if (v === undefined) return {};
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw bad('"opts" must be an object', { param: 'opts' });
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'end') {
      if (typeof x !== 'string' || !/^\d{4}-\d{2}$/.test(x))
        throw bad('"end" must be YYYY-MM', { param: 'end' });
      out[k] = x;
      continue;
    }
    if (!Object.hasOwn(SAMPLE_CAPS, k)) throw bad('Unknown sample option', { param: k });
    const cap = k === 'customers' ? maxCustomers : SAMPLE_CAPS[k]!;
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
      throw bad('Sample options are non-negative numbers', { param: k });
    if (x > cap)
      throw new FinError('too_large', `Sample option "${k}" is capped at ${cap}`, { param: k, limit: cap });
    out[k] = x;
  }
  return out;
}
