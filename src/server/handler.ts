/**
 * The hardened request handler: authenticate → read a bounded body → validate → authorise (policy
 * scope) → limit concurrency → run on the backend under a timeout → apply detail/masking/row
 * limits → cache per policy scope → answer → audit. See docs/server.md.
 */
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FinError } from '../engine/errors.js';
import { MAX_BATCH } from '../engine/protocol.js';
import type { Backend } from './backend.js';
import { DEFAULT_DETAIL_FIELDS, scopeOf, CLIENT_OPERATIONS, OPERATIONS } from './policy.js';
import type { Operation, Principal, Scope } from './policy.js';
import { SharedAnswers } from './answers.js';
import type { Answer } from './answers.js';
import { GZIP_AVAILABLE, acceptsGzip, gzipSegments, gzipWriter } from './gzip.js';
import type { Segment } from './gzip.js';
import { clientError, statusOf } from './client-error.js';
import { deny, readBody, wrapBackendError } from './io.js';
import type { AuditEvent, FinHandler, HandlerOptions } from './handler-types.js';
import { createOperations } from './operations.js';

export type { AuditEvent, FinHandler, HandlerOptions, Limits, Logger } from './handler-types.js';

const ANONYMOUS: Principal = { id: 'anonymous', roles: ['anonymous'] };
const CLOSE = Buffer.from('}');
const NEWLINE = Buffer.from('\n');

export function createHandlerWith(opts: HandlerOptions, backend: Backend): FinHandler {
  const L = {
    bodyBytes: opts.limits?.bodyBytes ?? opts.maxBody ?? 256 * 1024,
    loadBodyBytes: opts.limits?.loadBodyBytes ?? opts.maxBody ?? 64 * 1024 * 1024,
    rows: opts.limits?.rows ?? 10_000,
    timeoutMs: opts.limits?.timeoutMs ?? 30_000,
    concurrent: opts.limits?.concurrent ?? 16,
    sampleCustomers: opts.limits?.sampleCustomers ?? 20_000,
  };
  const origins = new Set((opts.loadOrigins ?? []).map((o) => new URL(o).origin));
  const detailFields = new Set(opts.policy?.detailFields ?? DEFAULT_DETAIL_FIELDS);
  const anonymousPolicy = {
    roles: {
      anonymous: { ...(opts.allow ? { operations: opts.allow as Operation[] } : {}), ...opts.anonymous },
    },
  };
  const answers = new SharedAnswers(
    opts.limits?.cacheEntries ?? 1000,
    opts.limits?.cacheTtlMs ?? 60_000,
    opts.limits?.cacheBytes ?? 256 * 1024 * 1024,
  );
  const inflight = new Map<string, number>();
  const log = (m: string, meta?: Record<string, unknown>): void => opts.logger?.warn(m, meta);

  const emit = (e: AuditEvent): void => {
    try {
      opts.audit?.(e);
    } catch (err) {
      log('audit callback threw', { error: err instanceof Error ? err.message : String(err) });
    }
  };

  const { run } = createOperations({
    backend,
    policy: opts.policy,
    rows: L.rows,
    sampleCustomers: L.sampleCustomers,
    origins,
    detailFields,
    answers,
  });

  /** What one call answers: a value (maybe as stored bytes), or an error with its HTTP status. */
  type Result =
    | { status: 200; value: unknown; answer?: Answer }
    | { status: number; error: ReturnType<FinError['toJSON']> };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const t0 = Date.now();
    let done = false;
    const headersOf = (type: string): Record<string, string | number> => ({
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(opts.cors ? { 'access-control-allow-origin': opts.cors } : {}),
    });
    const send = (status: number, segments: Segment[], compressible: boolean): void => {
      if (done) return;
      done = true;
      const headers = headersOf('application/json');
      // Refused before the body was read: do not keep reading it on this connection.
      if (status === 413 || status === 401) headers['connection'] = 'close';
      let pieces = segments.map((s) => (Buffer.isBuffer(s) ? s : s.body));
      // A shared answer: gzip from its stored deflate blocks when the client accepts it.
      if (compressible) {
        headers['vary'] = 'accept-encoding';
        if (
          GZIP_AVAILABLE &&
          segments.some((s) => !Buffer.isBuffer(s)) &&
          acceptsGzip(req.headers['accept-encoding'])
        ) {
          headers['content-encoding'] = 'gzip';
          pieces = gzipSegments(segments);
        }
      }
      headers['content-length'] = pieces.reduce((n, p) => n + p.length, 0);
      res.writeHead(status, headers);
      for (let i = 0; i < pieces.length - 1; i++) res.write(pieces[i]);
      res.end(pieces[pieces.length - 1]);
    };
    /**
     * One call's reply inside an envelope: a shared answer goes out as its stored bytes (the same
     * bytes as JSON.stringify with the value in place), with its stored deflate blocks for gzip.
     */
    const segmentsOf = (r: Result, head: string): { segments: Segment[]; compressible: boolean } => {
      if ('error' in r)
        return {
          segments: [Buffer.from(`${head}"ok":false,"error":${JSON.stringify(r.error)}}`)],
          compressible: false,
        };
      if (!r.answer)
        return {
          segments: [
            Buffer.from(
              r.value === undefined
                ? `${head}"ok":true}`
                : `${head}"ok":true,"value":${JSON.stringify(r.value)}}`,
            ),
          ],
          compressible: false,
        };
      const a = r.answer;
      return {
        segments: [
          Buffer.from(`${head}"ok":true,"value":`),
          a.deflated ? { body: a.json, deflated: a.deflated } : a.json,
          CLOSE,
        ],
        compressible: true,
      };
    };
    if (req.method === 'OPTIONS' && opts.cors) {
      res.writeHead(204, {
        'access-control-allow-origin': opts.cors,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type, authorization',
      });
      res.end();
      return;
    }
    let bodyText = '';
    /** Audit a failure and turn it into a client error (code and safe message only). */
    const failure = (e: unknown, base: Partial<AuditEvent>): Result => {
      const err = e instanceof FinError ? e : wrapBackendError(e);
      const status = statusOf(err.code);
      const denied =
        ['unauthorized', 'forbidden', 'too_large', 'rate_limited', 'bad_params'].includes(err.code) &&
        typeof err.details['reason'] === 'string';
      if (!(e instanceof FinError))
        log('backend error', { error: e instanceof Error ? e.message : String(e) });
      emit({
        time: new Date(t0).toISOString(),
        principal: base.principal ?? null,
        roles: base.roles ?? [],
        op: base.op ?? 'unknown',
        ...(base.metric ? { metric: base.metric } : {}),
        ...(base.source ? { source: base.source } : {}),
        ...(base.filters ? { filters: base.filters } : {}),
        rows: null,
        ms: Date.now() - t0,
        outcome:
          denied || status === 401 || status === 403 || status === 429 || status === 413 ? 'denied' : 'error',
        code: err.code,
        reason: typeof err.details['reason'] === 'string' ? (err.details['reason'] as string) : err.message,
        status,
      });
      return { status, error: clientError(err, bodyText, opts.exposeErrors === true) };
    };
    const base: Partial<AuditEvent> = { principal: null, roles: [], op: 'unknown' };
    /** A failure of the whole request (before any call ran), as a single envelope. */
    const fail = (e: unknown, id = 0): void => {
      const r = failure(e, base);
      const { segments } = segmentsOf(r, `{"id":${id},`);
      send(r.status, segments, false);
    };
    if (req.method !== 'POST') {
      fail(deny('bad_params', 'method not POST'));
      return;
    }
    // Every call of the request stops when the client goes away.
    const ac = new AbortController();
    setMaxListeners(MAX_BATCH + 1, ac.signal); // one listener per call of a batch
    res.on('close', () => {
      if (!res.writableEnded) ac.abort();
    });

    /** One call: operation allowed → concurrency → run under the timeout → audit. */
    const runCall = async (
      call: Record<string, unknown>,
      principal: Principal,
      scope: Scope,
      who: string,
    ): Promise<Result> => {
      const audit: Partial<AuditEvent> = { principal: principal.id, roles: principal.roles, op: 'unknown' };
      const op = call['op'] as Operation;
      if (typeof op !== 'string' || !OPERATIONS.includes(op))
        return failure(new FinError('bad_params', 'Unknown operation'), audit);
      audit.op = op;
      if (!scope.operations.has(op)) return failure(deny('forbidden', `operation ${op} not allowed`), audit);
      const busy = inflight.get(who) ?? 0;
      if (busy >= L.concurrent)
        return failure(
          deny('rate_limited', `${busy} calls in flight (limit ${L.concurrent})`, { limit: L.concurrent }),
          audit,
        );
      inflight.set(who, busy + 1);
      const own = new AbortController();
      const stop = (): void => own.abort();
      ac.signal.addEventListener('abort', stop);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          own.abort();
          reject(deny('timeout', `over ${L.timeoutMs} ms`, { limit: L.timeoutMs }));
        }, L.timeoutMs);
      });
      try {
        const out = await Promise.race([run(scope, call, own.signal, audit), timedOut]);
        emit({
          time: new Date(t0).toISOString(),
          principal: principal.id,
          roles: principal.roles,
          op,
          ...(audit.metric ? { metric: audit.metric } : {}),
          ...(audit.source ? { source: audit.source } : {}),
          ...(audit.filters ? { filters: audit.filters } : {}),
          rows: out.rows,
          ms: Date.now() - t0,
          outcome: 'ok',
          cached: out.cached,
          status: 200,
        });
        return { status: 200, value: out.value, ...(out.answer ? { answer: out.answer } : {}) };
      } catch (e) {
        return failure(e, audit);
      } finally {
        clearTimeout(timer);
        ac.signal.removeEventListener('abort', stop);
        const n = (inflight.get(who) ?? 1) - 1;
        if (n <= 0) inflight.delete(who);
        else inflight.set(who, n);
      }
    };

    void (async () => {
      let principal: Principal | null;
      try {
        principal = opts.policy ? await opts.policy.authenticate(req) : ANONYMOUS;
      } catch (e) {
        log('authenticate threw', { error: e instanceof Error ? e.message : String(e) });
        principal = null;
      }
      if (!principal) {
        req.resume();
        fail(deny('unauthorized', 'no valid credentials'));
        return;
      }
      base.principal = principal.id;
      base.roles = principal.roles;
      let scope: Scope;
      try {
        scope = scopeOf(principal, opts.policy ?? anonymousPolicy, CLIENT_OPERATIONS);
      } catch (e) {
        req.resume();
        fail(e);
        return;
      }
      const max = scope.operations.has('load') ? L.loadBodyBytes : L.bodyBytes;
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > max) {
        req.resume();
        fail(deny('too_large', `body ${declared} > ${max} bytes`, { limit: max }));
        return;
      }
      let text: string;
      try {
        text = await readBody(req, max);
      } catch (e) {
        fail(e);
        return;
      }
      bodyText = text;
      let env: { id?: unknown; call?: unknown; calls?: unknown };
      const isCall = (c: unknown): c is Record<string, unknown> =>
        !!c && typeof c === 'object' && !Array.isArray(c) && typeof (c as { op?: unknown }).op === 'string';
      try {
        env = JSON.parse(text) as typeof env;
        if (
          !env ||
          typeof env !== 'object' ||
          !(isCall(env.call) || (Array.isArray(env.calls) && env.calls.length > 0 && env.calls.every(isCall)))
        )
          throw new Error('shape');
      } catch {
        fail(
          new FinError(
            'bad_params',
            'Body must be {"id", "call": {"op", …}} or {"id", "calls": [{"op", …}, …]}',
          ),
        );
        return;
      }
      const id = typeof env.id === 'number' && Number.isFinite(env.id) ? env.id : 0;
      const who = opts.policy ? principal.id : `anonymous@${req.socket.remoteAddress ?? ''}`;
      if (isCall(env.call)) {
        const r = await runCall(env.call, principal, scope, who);
        const { segments, compressible } = segmentsOf(r, `{"id":${id},`);
        send(r.status, segments, compressible);
        return;
      }
      const calls = env.calls as Array<Record<string, unknown>>;
      if (calls.length > MAX_BATCH) {
        fail(
          deny('too_large', `${calls.length} calls in one batch (limit ${MAX_BATCH})`, { limit: MAX_BATCH }),
          id,
        );
        return;
      }
      // The replies stream as each call ends, one line per call with its index (NDJSON), so an
      // answer from the cache is not held back by the batch's slowest query. With gzip, each line
      // is its own blocks (a shared answer's stored deflate blocks) in one gzip member.
      done = true;
      const gz = GZIP_AVAILABLE && acceptsGzip(req.headers['accept-encoding']) ? gzipWriter() : null;
      const headers = headersOf('application/x-ndjson');
      headers['vary'] = 'accept-encoding';
      if (gz) headers['content-encoding'] = 'gzip';
      res.writeHead(200, headers);
      const write = (pieces: Buffer[]): void => {
        if (res.destroyed || res.writableEnded) return;
        res.cork();
        for (const p of pieces) res.write(p);
        process.nextTick(() => res.uncork());
      };
      if (gz) write([gz.start]);
      await Promise.all(
        calls.map(async (c, i) => {
          const r = await runCall(c, principal, scope, who);
          const line = [...segmentsOf(r, `{"i":${i},`).segments, NEWLINE];
          write(gz ? gz.add(line) : line.map((x) => (Buffer.isBuffer(x) ? x : x.body)));
        }),
      );
      if (!res.destroyed && !res.writableEnded) res.end(gz ? gz.end() : undefined);
    })();
  };
  return Object.assign(handler, { backend, close: () => backend.close() });
}
