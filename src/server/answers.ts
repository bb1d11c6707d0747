/**
 * Answers shared per (policy scope, request): a cache of answers as the bytes sent, and identical
 * calls in flight joined to one backend query. An answer is serialised once, when it is computed;
 * a hit (or a caller that joined a query in flight) sends the same bytes without touching the
 * value again. The key is the caller's business (the handler keys by data version, scope key and
 * the authorised request), so two principals with the same effective scope share entries and
 * different scopes never do.
 */
import { FinError } from '../engine/errors.js';
import type { FinErrorCode } from '../engine/errors.js';
import type { MetricResult } from '../engine/types.js';
import { ResultCache } from './cache.js';
import { GZIP_AVAILABLE, deflateBody } from './gzip.js';

/**
 * An answer as sent: `json` is exactly `JSON.stringify(value)` in UTF-8; `rows` its data rows;
 * `deflated` its raw deflate blocks for gzip replies (answers of 1 KiB and more; see gzip.ts).
 */
export interface Answer {
  json: Buffer;
  rows: number;
  deflated?: Buffer;
}

/** Smallest answer sent compressed to clients that accept gzip. */
const GZIP_FROM = 1024;

/** The bytes of an answer, as the reply envelope carries them. */
export function answerOf(value: MetricResult): Answer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const a: Answer = { json, rows: value.data.length };
  if (GZIP_AVAILABLE && json.length >= GZIP_FROM) a.deflated = deflateBody(json);
  return a;
}

/**
 * Refusals that follow from the data version, the scope and the request alone (a metric the
 * backend does not compile, bad params, a missing column, a detail answer without the
 * permission, an answer over the row limit): kept like answers, so a widget every viewer opens
 * does not reach the backend once per viewer. Never kept: timeouts, cancellations, an
 * unreachable backend, rate limits.
 */
const KEPT_REFUSALS: ReadonlySet<FinErrorCode> = new Set<FinErrorCode>([
  'unsupported',
  'unknown_metric',
  'bad_params',
  'missing_column',
  'missing_dataset',
  'forbidden',
  'too_large',
]);

type Entry = Answer | FinError;

interface Pending {
  promise: Promise<Answer>;
  ac: AbortController;
  waiters: number;
}

export class SharedAnswers {
  private readonly cache: ResultCache<Entry>;
  /** Backend queries in flight by key, with the number of callers waiting for each. */
  private readonly pending = new Map<string, Pending>();

  constructor(entries: number, ttlMs: number, bytes: number, now: () => number = Date.now) {
    this.cache = new ResultCache<Entry>(entries, ttlMs, now, bytes, (a) =>
      a instanceof FinError ? 256 : a.json.length + (a.deflated?.length ?? 0),
    );
  }

  /**
   * The answer for `key`: from the cache, joined to the same query in flight, or computed (and
   * kept only if `current()` still equals `version` when it arrives: data loaded meanwhile makes
   * it stale). A kept refusal is thrown again. The shared query is aborted when every caller
   * waiting for it has gone.
   */
  async get(
    key: string,
    version: number,
    current: () => number,
    compute: (signal: AbortSignal) => Promise<MetricResult>,
    signal: AbortSignal,
  ): Promise<{ answer: Answer; cached: boolean }> {
    const hit = this.cache.get(key);
    if (hit instanceof FinError) throw hit;
    if (hit) return { answer: hit, cached: true };
    let shared = this.pending.get(key);
    const joined = shared !== undefined;
    if (!shared) {
      const ac = new AbortController();
      const entry: Pending = { ac, waiters: 0, promise: Promise.resolve(null as never) };
      entry.promise = compute(ac.signal)
        .then(
          (v) => {
            const a = answerOf(v);
            if (current() === version) this.cache.set(key, a);
            return a;
          },
          (e: unknown) => {
            if (e instanceof FinError && KEPT_REFUSALS.has(e.code) && current() === version)
              this.cache.set(key, e);
            throw e;
          },
        )
        .finally(() => {
          if (this.pending.get(key) === entry) this.pending.delete(key);
        });
      this.pending.set(key, entry);
      shared = entry;
    }
    const entry = shared;
    entry.waiters++;
    const leave = (): void => {
      if (--entry.waiters > 0) return;
      entry.ac.abort();
      if (this.pending.get(key) === entry) this.pending.delete(key); // a later caller starts afresh
    };
    signal.addEventListener('abort', leave, { once: true });
    try {
      return { answer: await entry.promise, cached: joined };
    } finally {
      signal.removeEventListener('abort', leave);
    }
  }

  /** Forget every answer (data loaded or unloaded); queries in flight are not kept when they end. */
  clear(): void {
    this.cache.clear();
  }

  /** Answers kept and their total bytes. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes };
  }
}
