/**
 * The hardened request handler: authenticate → read a bounded body → validate → authorise (policy
 * scope) → limit concurrency → run on the backend under a timeout → apply detail/masking/row
 * limits → cache per policy scope → answer → audit. See docs/server.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FinError } from '../engine/errors.js';
import type { CallEnvelope, ReplyEnvelope } from '../engine/protocol.js';
import type { Backend } from './backend.js';
import { DEFAULT_DETAIL_FIELDS, scopeOf, CLIENT_OPERATIONS, OPERATIONS } from './policy.js';
import type { Operation, Principal, Scope } from './policy.js';
import { SharedAnswers } from './answers.js';
import type { Answer } from './answers.js';
import { acceptsGzip, gzipAround } from './gzip.js';
import { clientError, statusOf } from './client-error.js';
import { deny, readBody, wrapBackendError } from './io.js';
import type { AuditEvent, FinHandler, HandlerOptions } from './handler-types.js';
import { createOperations } from './operations.js';

export type { AuditEvent, FinHandler, HandlerOptions, Limits, Logger } from './handler-types.js';

const ANONYMOUS: Principal = { id: 'anonymous', roles: ['anonymous'] };
const CLOSE = Buffer.from('}');

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

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const t0 = Date.now();
    let done = false;
    /**
     * Send a reply. A shared answer goes out as its stored bytes inside this call's envelope —
     * the same bytes as JSON.stringify(body) with the value in place — gzip-compressed from its
     * stored deflate blocks when the client accepts gzip.
     */
    const reply = (status: number, body: ReplyEnvelope, answer?: Answer): void => {
      if (done) return;
      done = true;
      const headers: Record<string, string | number> = {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      };
      if (opts.cors) headers['access-control-allow-origin'] = opts.cors;
      // Refused before the body was read: do not keep reading it on this connection.
      if (status === 413 || status === 401) headers['connection'] = 'close';
      let pieces: Buffer[];
      if (answer) {
        const prefix = Buffer.from(`{"id":${JSON.stringify(body.id)},"ok":true,"value":`);
        headers['vary'] = 'accept-encoding';
        if (answer.deflated && acceptsGzip(req.headers['accept-encoding'])) {
          headers['content-encoding'] = 'gzip';
          pieces = gzipAround(prefix, answer.json, answer.deflated, CLOSE);
        } else pieces = [prefix, answer.json, CLOSE];
      } else pieces = [Buffer.from(JSON.stringify(body), 'utf8')];
      headers['content-length'] = pieces.reduce((n, p) => n + p.length, 0);
      res.writeHead(status, headers);
      for (let i = 0; i < pieces.length - 1; i++) res.write(pieces[i]);
      res.end(pieces[pieces.length - 1]);
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
    const base: Partial<AuditEvent> = { principal: null, roles: [], op: 'unknown' };
    let bodyText = '';
    const fail = (e: unknown, id = 0): void => {
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
      reply(status, { id, ok: false, error: clientError(err, bodyText, opts.exposeErrors === true) });
    };
    if (req.method !== 'POST') {
      fail(deny('bad_params', 'method not POST'));
      return;
    }
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
      let env: CallEnvelope;
      try {
        env = JSON.parse(text) as CallEnvelope;
        if (
          !env ||
          typeof env !== 'object' ||
          !env.call ||
          typeof env.call !== 'object' ||
          typeof env.call.op !== 'string'
        )
          throw new Error('shape');
      } catch {
        fail(new FinError('bad_params', 'Body must be {"id", "call": {"op", …}}'));
        return;
      }
      const id = typeof env.id === 'number' && Number.isFinite(env.id) ? env.id : 0;
      const op = env.call.op as Operation;
      base.op = OPERATIONS.includes(op) ? op : 'unknown';
      if (!OPERATIONS.includes(op)) {
        fail(new FinError('bad_params', 'Unknown operation'), id);
        return;
      }
      if (!scope.operations.has(op)) {
        fail(deny('forbidden', `operation ${op} not allowed`), id);
        return;
      }
      const who = opts.policy ? principal.id : `anonymous@${req.socket.remoteAddress ?? ''}`;
      const busy = inflight.get(who) ?? 0;
      if (busy >= L.concurrent) {
        fail(
          deny('rate_limited', `${busy} calls in flight (limit ${L.concurrent})`, { limit: L.concurrent }),
          id,
        );
        return;
      }
      inflight.set(who, busy + 1);
      const ac = new AbortController();
      const onClose = (): void => {
        if (!res.writableEnded) ac.abort();
      };
      res.on('close', onClose);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          ac.abort();
          reject(deny('timeout', `over ${L.timeoutMs} ms`, { limit: L.timeoutMs }));
        }, L.timeoutMs);
      });
      try {
        const out = await Promise.race([
          run(scope, env.call as unknown as Record<string, unknown>, ac.signal, base),
          timedOut,
        ]);
        emit({
          time: new Date(t0).toISOString(),
          principal: principal.id,
          roles: principal.roles,
          op,
          ...(base.metric ? { metric: base.metric } : {}),
          ...(base.source ? { source: base.source } : {}),
          ...(base.filters ? { filters: base.filters } : {}),
          rows: out.rows,
          ms: Date.now() - t0,
          outcome: 'ok',
          cached: out.cached,
          status: 200,
        });
        reply(200, { id, ok: true, value: out.value }, out.answer);
      } catch (e) {
        fail(e, id);
      } finally {
        clearTimeout(timer);
        res.off('close', onClose);
        const n = (inflight.get(who) ?? 1) - 1;
        if (n <= 0) inflight.delete(who);
        else inflight.set(who, n);
      }
    })();
  };
  return Object.assign(handler, { backend, close: () => backend.close() });
}
