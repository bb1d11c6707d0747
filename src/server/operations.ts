/**
 * The handler's operations: authorise a call for a policy scope (metric, dataset, detail; forced
 * row filters), run it on the backend, post-process the answer for the scope (detail check,
 * masking, row limit) and cache it per scope + request, sharing identical calls in flight.
 */
import type { IngestInput } from '../data/ingest.js';
import { urlOf } from '../data/ingest.js';
import { getMetric } from '../engine/metrics/index.js';
import { FinError } from '../engine/errors.js';
import type { PrepareOptions } from '../engine/engine-types.js';
import type { FilterClause, MetricResult, QueryRequest } from '../engine/types.js';
import type { Backend, DistinctRequest } from './backend.js';
import { entityColumns, maskResult, requestIsDetail, resultHasDetail, watermarkOf } from './policy.js';
import type { Operation, Policy, Scope } from './policy.js';
import { checkDistinct, checkName, checkQuery, checkSampleOptions } from './validate.js';
import type { Answer, SharedAnswers } from './answers.js';
import { deny, sanitiseLoadOptions } from './io.js';
import type { AuditEvent } from './handler-types.js';

/** What one call produced, for the reply and the audit event. */
export interface Outcome {
  value: unknown;
  /** The value already serialised (a shared answer): sent as its bytes instead of `value`. */
  answer?: Answer;
  rows: number | null;
  cached: boolean;
  metric?: string;
  source?: string;
  filters?: FilterClause[];
}

export interface OperationsContext {
  backend: Backend;
  policy: Policy | undefined;
  /** Most rows in one answer. */
  rows: number;
  sampleCustomers: number;
  /** Origins `load` may fetch URLs from. */
  origins: Set<string>;
  detailFields: Set<string>;
  answers: SharedAnswers;
}

/** A call runner for the handler: `run(scope, call, signal, audit)`; throws FinError. */
export function createOperations(ctx: OperationsContext): {
  run: (
    scope: Scope,
    call: Record<string, unknown>,
    signal: AbortSignal,
    audit: Partial<AuditEvent>,
  ) => Promise<Outcome>;
} {
  const { backend, detailFields, answers, origins } = ctx;

  /** Check `rows` answer limits. */
  const checkRows = (res: MetricResult): void => {
    const lists = [res.data, ...Object.values(res.meta ?? {}).filter(Array.isArray)];
    if (lists.some((l) => l.length > ctx.rows))
      throw deny('too_large', `answer over ${ctx.rows} rows`, { limit: ctx.rows });
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
    /** Answers of `query` / `distinct`, shared per scope + request (see answers.ts). */
    const cached = async (
      key: unknown,
      compute: (q: { signal: AbortSignal; required?: FilterClause[] }) => Promise<MetricResult>,
    ): Promise<Outcome> => {
      const version = backend.version();
      const k = JSON.stringify([version, scope.key, key]);
      const { answer, cached } = await answers.get(
        k,
        version,
        () => backend.version(),
        (s) => compute({ ...qopts, signal: s }),
        signal,
      );
      return { value: undefined, answer, rows: answer.rows, cached };
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
          principal: ctx.policy ? { id: p.id, ...(p.name ? { name: p.name } : {}), roles: p.roles } : null,
          watermark: ctx.policy ? watermarkOf(p, ctx.policy, new Date()) : null,
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
        answers.clear();
        const value = await backend.load(name, input, lo);
        answers.clear();
        return { value, rows: null, cached: false };
      }
      case 'loadSample': {
        const so = checkSampleOptions(call['opts'], ctx.sampleCustomers);
        const { generateSample } = await import('../data/sample.js');
        const data = generateSample(so);
        const out: Record<string, unknown> = {};
        answers.clear();
        for (const [name, columns] of Object.entries(data)) {
          if (signal.aborted) throw new FinError('aborted', 'cancelled');
          if (datasetAllowed(scope, name)) out[name] = await backend.load(name, columns as IngestInput, {});
        }
        answers.clear();
        return { value: out, rows: null, cached: false };
      }
      case 'unload': {
        const name = checkName(call['name'], 'name');
        audit.source = name;
        if (!datasetAllowed(scope, name)) throw deny('forbidden', 'dataset not allowed');
        await backend.unload(name);
        answers.clear();
        return { value: null, rows: null, cached: false };
      }
      default:
        throw new FinError('bad_params', 'Unknown operation', { op: String(op) });
    }
  };
  return { run };
}
