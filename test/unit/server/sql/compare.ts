/**
 * Differential comparison helpers: run one request on two backends and compare the answers as
 * JSON — numbers within 1e-9 relative (float summation order differs between engines), everything
 * else exactly; errors compared by code (and `details.param` when present).
 */
import type { Backend } from '../../../../src/server/backend.js';
import type { QueryRequest } from '../../../../src/engine/types.js';

export type Outcome =
  { ok: true; value: unknown } | { ok: false; code: string; param?: unknown; message: string };

export async function outcome(
  b: Backend,
  req: QueryRequest,
  required?: QueryRequest['filters'],
): Promise<Outcome> {
  try {
    return { ok: true, value: JSON.parse(JSON.stringify(await b.query(req, required ? { required } : {}))) };
  } catch (e) {
    const err = e as { code?: string; details?: Record<string, unknown>; message?: string };
    return {
      ok: false,
      code: err.code ?? 'thrown',
      param: err.details?.['param'],
      message: String(err.message),
    };
  }
}

/** First difference between two JSON values (path and both sides), or null when equal. */
export function diff(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return null;
    const scale = Math.max(Math.abs(a), Math.abs(b));
    return Math.abs(a - b) <= 1e-9 * scale ? null : `${path}: ${a} vs ${b}`;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return a === b
      ? null
      : `${path}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = diff(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  if (ka.join('\u0000') !== kb.join('\u0000')) return `${path}: keys ${ka.join(',')} vs ${kb.join(',')}`;
  for (const k of ka) {
    const d = diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

/** Compare the outcomes of one request: null when identical, else a description. */
export function compareOutcomes(m: Outcome, s: Outcome): string | null {
  if (m.ok && s.ok) return diff(m.value, s.value);
  if (!m.ok && !s.ok)
    return m.code === s.code && m.param === s.param
      ? null
      : `error ${m.code}/${String(m.param)} vs ${s.code}/${String(s.param)} (${s.message})`;
  return m.ok
    ? `memory answered, sql failed: ${(s as { code: string; message: string }).code} ${(s as { message: string }).message}`
    : `memory failed (${(m as { code: string }).code}), sql answered`;
}

/**
 * A source of requests no earlier call sent (each its own dpd range, reading every shard): never a
 * cache hit, and all with one answer, since every range holds every row.
 */
export function freshRequests(): () => QueryRequest {
  let seq = 0;
  return () => {
    const n = seq++;
    return {
      metric: 'bucket_trend',
      params: { measure: 'count' },
      filters: [{ field: 'dpd', op: 'range', value: [-1 - n, 100_000 + n] }],
    };
  };
}

/** An answer's `quality.excluded[reason]`, or the outcome itself when it is an error. */
export function excludedOf(o: Outcome, reason: string): unknown {
  return o.ok ? (o.value as { quality: { excluded: Record<string, number> } }).quality.excluded[reason] : o;
}
