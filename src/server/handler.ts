/**
 * The hardened request handler: authenticate → read a bounded body → validate → authorise (policy
 * scope) → limit concurrency → run on the backend under a timeout → apply detail/masking/row
 * limits → cache per policy scope → answer → audit. See docs/server.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IngestInput } from '../data/ingest.js';
import { urlOf } from '../data/ingest.js';
import { getMetric } from '../engine/metrics/index.js';
import { FinError } from '../engine/errors.js';
import type { FinErrorCode } from '../engine/errors.js';
import type { PrepareOptions } from '../engine/engine-types.js';
import type { CallEnvelope, ReplyEnvelope } from '../engine/protocol.js';
import type { FilterClause, MetricResult, QueryRequest } from '../engine/types.js';
import type { Backend, DistinctRequest } from './backend.js';
import {
  DEFAULT_DETAIL_FIELDS,
  entityColumns,
  maskResult,
  requestIsDetail,
  resultHasDetail,
  scopeOf,
  watermarkOf,
  CLIENT_OPERATIONS,
  OPERATIONS,
} from './policy.js';
import type { Operation, Policy, Principal, RoleRule, Scope } from './policy.js';
import { checkDistinct, checkName, checkQuery, checkSampleOptions } from './validate.js';
import { ResultCache } from './cache.js';
import { clientError, statusOf } from './client-error.js';
import { deny, readBody, sanitiseLoadOptions, wrapBackendError } from './io.js';

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

const ANONYMOUS: Principal = { id: 'anonymous', roles: ['anonymous'] };

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
  const cache = new ResultCache(opts.limits?.cacheEntries ?? 1000, opts.limits?.cacheTtlMs ?? 60_000);
  const inflight = new Map<string, number>();
  /** Backend queries in flight by cache key, with the number of callers waiting for each. */
  interface Pending {
    promise: Promise<MetricResult>;
    ac: AbortController;
    waiters: number;
  }
  const pending = new Map<string, Pending>();
  const log = (m: string, meta?: Record<string, unknown>): void => opts.logger?.warn(m, meta);

  const emit = (e: AuditEvent): void => {
    try {
      opts.audit?.(e);
    } catch (err) {
      log('audit callback threw', { error: err instanceof Error ? err.message : String(err) });
    }
  };

  /** Check `rows` answer limits. */
  const checkRows = (res: MetricResult): void => {
    const lists = [res.data, ...Object.values(res.meta ?? {}).filter(Array.isArray)];
    if (lists.some((l) => l.length > L.rows))
      throw deny('too_large', `answer over ${L.rows} rows`, { limit: L.rows });
  };

  const datasetAllowed = (scope: Scope, name: string): boolean =>
    scope.datasets === null || scope.datasets.has(name);

  /** Authorise a query: metric, dataset, detail by params. Returns the request with forced filters. */
  const authoriseQuery = (scope: Scope, req: QueryRequest, depth = 0): QueryRequest => {
    if (scope.metrics !== null && !scope.metrics.has(req.metric))
      throw deny('forbidden', `metric ${req.metric} not allowed`);
    const source = req.source ?? defaultSourceOf(req.metric);
    if (source !== null && !datasetAllowed(scope, source)) throw deny('forbidden', `dataset not allowed`);
    if (!scope.detail && requestIsDetail(req.metric, req.params, detailFields)) {
      throw deny('forbidden', 'detail list without the detail permission');
    }
    // A KPI over another metric's series runs that metric too: same checks for it.
    const series = req.params?.['series'];
    if (req.metric === 'kpi' && series && typeof series === 'object' && depth < 2) {
      const s = series as Record<string, unknown>;
      if (typeof s['metric'] === 'string') {
        const inner: QueryRequest = { metric: s['metric'] };
        if (typeof s['source'] === 'string') inner.source = s['source'];
        if (s['params'] && typeof s['params'] === 'object')
          inner.params = s['params'] as Record<string, unknown>;
        authoriseQuery(scope, inner, depth + 1);
      }
    }
    // Forced clauses first: the client's can only narrow (every clause is ANDed).
    return { ...req, filters: [...scope.rowFilters, ...(req.filters ?? [])] };
  };

  /** Post-process an answer for the scope: detail check, masking, row limit. */
  const finish = (
    scope: Scope,
    res: MetricResult,
    distinctField: string | null,
    columns: Record<string, string> | null = null,
  ): MetricResult => {
    if (!scope.detail && resultHasDetail(res, detailFields))
      throw deny('forbidden', 'answer lists entities; detail permission missing');
    const out = scope.unmask ? res : maskResult(res, distinctField, columns);
    checkRows(out);
    return out;
  };

  const defaultSourceOf = (metric: string): string | null => {
    try {
      return getMetric(metric).source;
    } catch {
      return null; // unknown metric: the backend answers unknown_metric
    }
  };

  interface Outcome {
    value: unknown;
    rows: number | null;
    cached: boolean;
    metric?: string;
    source?: string;
    filters?: FilterClause[];
  }

  /** Run one call for a scope; throws FinError. */
  const run = async (
    scope: Scope,
    call: Record<string, unknown>,
    signal: AbortSignal,
    audit: Partial<AuditEvent>,
  ): Promise<Outcome> => {
    const op = call['op'] as Operation;
    const required = scope.rowFilters;
    const qopts = { signal, ...(required.length ? { required } : {}) };
    const cached = async (
      key: unknown,
      compute: (q: { signal: AbortSignal; required?: FilterClause[] }) => Promise<MetricResult>,
    ): Promise<Outcome> => {
      const version = backend.version();
      const k = JSON.stringify([version, scope.key, key]);
      const hit = cache.get(k);
      if (hit) return { value: hit, rows: hit.data.length, cached: true };
      // Identical requests of one scope in flight share one backend query (a dashboard opened by
      // many viewers at once). It is aborted when every caller waiting for it has gone.
      let shared = pending.get(k);
      const joined = shared !== undefined;
      if (!shared) {
        const ac = new AbortController();
        const entry: Pending = { ac, waiters: 0, promise: Promise.resolve(null as never) };
        entry.promise = compute({ ...qopts, signal: ac.signal })
          .then((v) => {
            if (backend.version() === version) cache.set(k, v);
            return v;
          })
          .finally(() => pending.delete(k));
        pending.set(k, entry);
        shared = entry;
      }
      const entry = shared;
      entry.waiters++;
      const leave = (): void => {
        if (--entry.waiters > 0) return;
        entry.ac.abort();
        if (pending.get(k) === entry) pending.delete(k); // a later caller starts afresh
      };
      signal.addEventListener('abort', leave, { once: true });
      try {
        const value = await entry.promise;
        return { value, rows: value.data.length, cached: joined };
      } finally {
        signal.removeEventListener('abort', leave);
      }
    };
    switch (op) {
      case 'query': {
        const req0 = checkQuery(call['req']);
        audit.metric = req0.metric;
        if (req0.metric === 'distinct') {
          // The distinct metric through `query`: same checks as the distinct operation.
          const p = req0.params ?? {};
          return run(
            scope,
            { op: 'distinct', req: { ...p, source: req0.source, filters: req0.filters } },
            signal,
            audit,
          );
        }
        const req = authoriseQuery(scope, req0);
        audit.source = req.source ?? defaultSourceOf(req0.metric) ?? undefined;
        audit.filters = req.filters;
        const columns = entityColumns(req.metric, req.params);
        return cached(['query', req], async (q) => finish(scope, await backend.query(req, q), null, columns));
      }
      case 'distinct': {
        const d0 = checkDistinct(call['req']);
        audit.metric = 'distinct';
        const source = d0.source ?? 'loan_months';
        audit.source = source;
        if (scope.metrics !== null && !scope.metrics.has('distinct'))
          throw deny('forbidden', 'metric distinct not allowed');
        if (!datasetAllowed(scope, source)) throw deny('forbidden', 'dataset not allowed');
        if (!scope.detail && detailFields.has(d0.field.replace(/\.(month|day|week|hour|dow)$/, ''))) {
          throw deny('forbidden', 'distinct identifiers without the detail permission');
        }
        const d: DistinctRequest = { ...d0, filters: [...scope.rowFilters, ...(d0.filters ?? [])] };
        audit.filters = d.filters;
        return cached(['distinct', d], async (q) => finish(scope, await backend.distinct(d, q), d.field));
      }
      case 'session': {
        // Who the caller is and what the elements should show: the watermark text, the rights.
        const p = scope.principal;
        const value = {
          principal: opts.policy ? { id: p.id, ...(p.name ? { name: p.name } : {}), roles: p.roles } : null,
          watermark: opts.policy ? watermarkOf(p, opts.policy, new Date()) : null,
          operations: [...scope.operations],
          detail: scope.detail,
          unmask: scope.unmask,
        };
        return { value, rows: null, cached: false };
      }
      case 'datasets': {
        const all = await backend.datasets();
        const operator = scope.operations.has('load');
        const value = all
          .filter((d) => datasetAllowed(scope, d.name))
          .map((d) =>
            operator
              ? d
              : // Clients see names, sizes and column types (for filter bars), not quality details.
                {
                  name: d.name,
                  rows: d.rows,
                  columns: d.columns,
                  masked: d.masked,
                  report: {
                    columns: { types: (d.report as { columns?: { types?: unknown } })?.columns?.types ?? {} },
                  },
                },
          );
        return { value, rows: value.length, cached: false };
      }
      case 'prepare': {
        const p = (call['opts'] ?? {}) as PrepareOptions;
        if (!p || typeof p !== 'object')
          throw new FinError('bad_params', 'prepare needs opts', { param: 'opts' });
        const requests: QueryRequest[] = [];
        for (const r of Array.isArray(p.requests) ? p.requests.slice(0, 64) : []) {
          const q = checkQuery(r);
          requests.push(authoriseQuery(scope, q));
        }
        if (!backend.prepare)
          return {
            value: { dimensions: [], requests: 0, cells: 0, skipped: 0, ms: 0 },
            rows: null,
            cached: false,
          };
        const dims = Array.isArray(p.dimensions)
          ? p.dimensions.slice(0, 8).map((x) => checkName(x, 'dimensions'))
          : [];
        // Only bounded options reach the backend; build keys are namespaced per principal so one
        // caller cannot supersede another's build.
        const po: PrepareOptions = {
          dimensions: dims,
          requests,
          maxDims: Math.min(2, typeof p.maxDims === 'number' && p.maxDims >= 1 ? Math.floor(p.maxDims) : 2),
          maxCombos: Math.min(
            1000,
            typeof p.maxCombos === 'number' && p.maxCombos >= 1 ? Math.floor(p.maxCombos) : 100,
          ),
        };
        if (typeof p.key === 'string') po.key = `${scope.principal.id}\u0000${p.key.slice(0, 128)}`;
        const value = await backend.prepare(po, qopts);
        return { value, rows: null, cached: false };
      }
      case 'load': {
        const name = checkName(call['name'], 'name');
        audit.source = name;
        if (!datasetAllowed(scope, name)) throw deny('forbidden', 'dataset not allowed');
        const input = call['input'] as IngestInput;
        const lo = sanitiseLoadOptions(call['opts'], scope);
        const url = urlOf(input);
        if (url !== null) {
          let origin: string | null = null;
          try {
            const u = new URL(url);
            if (u.protocol === 'http:' || u.protocol === 'https:') origin = u.origin;
          } catch {
            origin = null;
          }
          if (origin === null || !origins.has(origin))
            throw deny('forbidden', 'URL origin not in loadOrigins');
          // No redirects: an allowed origin must not bounce the server to an internal one.
          lo.fetchInit = { redirect: 'error' };
          lo.signal = signal;
        }
        cache.clear();
        const value = await backend.load(name, input, lo);
        cache.clear();
        return { value, rows: null, cached: false };
      }
      case 'loadSample': {
        const so = checkSampleOptions(call['opts'], L.sampleCustomers);
        const { generateSample } = await import('../data/sample.js');
        const data = generateSample(so);
        const out: Record<string, unknown> = {};
        cache.clear();
        for (const [name, columns] of Object.entries(data)) {
          if (signal.aborted) throw new FinError('aborted', 'cancelled');
          if (datasetAllowed(scope, name)) out[name] = await backend.load(name, columns as IngestInput, {});
        }
        cache.clear();
        return { value: out, rows: null, cached: false };
      }
      case 'unload': {
        const name = checkName(call['name'], 'name');
        audit.source = name;
        if (!datasetAllowed(scope, name)) throw deny('forbidden', 'dataset not allowed');
        await backend.unload(name);
        cache.clear();
        return { value: null, rows: null, cached: false };
      }
      default:
        throw new FinError('bad_params', 'Unknown operation', { op: String(op) });
    }
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const t0 = Date.now();
    let done = false;
    const reply = (status: number, body: ReplyEnvelope): void => {
      if (done) return;
      done = true;
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      };
      if (opts.cors) headers['access-control-allow-origin'] = opts.cors;
      // Refused before the body was read: do not keep reading it on this connection.
      if (status === 413 || status === 401) headers['connection'] = 'close';
      res.writeHead(status, headers);
      res.end(JSON.stringify(body));
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
        reply(200, { id, ok: true, value: out.value });
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
