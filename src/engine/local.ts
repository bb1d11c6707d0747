import type { Column, Dataset } from '../data/dataset.js';
import { ingest } from '../data/ingest.js';
import type { DataQualityReport, IngestInput, IngestOptions } from '../data/ingest.js';
import { MetricContext } from './context.js';
import { FinError, isCspEvalError } from './errors.js';
import { getMetric } from './metrics/index.js';
import type { DatasetInfo, Engine, LoadOptions, QueryOptions } from './engine-types.js';
import type { MetricResult, QueryRequest } from './types.js';

const CACHE_LIMIT = 256;

/**
 * The in-thread engine: datasets live in this realm, metrics run synchronously over typed arrays.
 * The worker and the Node handler wrap this same class, so every placement computes identically.
 */
export class LocalEngine implements Engine {
  readonly placement = 'thread' as const;
  private readonly datasets = new Map<string, Dataset>();
  private readonly reports = new Map<string, DataQualityReport>();
  /** Joined columns per dataset, shared by every query until the next load. */
  private joinCache = new Map<string, Map<string, Column | null>>();
  /**
   * Results by request, dropped on every load. Dashboards re-issue the same requests as filters
   * toggle back and forth; a repeated request costs a map lookup.
   */
  private readonly cache = new Map<string, MetricResult>();
  private readonly defaults: IngestOptions;

  constructor(defaults: IngestOptions = {}) {
    this.defaults = defaults;
  }

  async load(name: string, input: IngestInput, opts: LoadOptions = {}): Promise<DataQualityReport> {
    try {
      const { dataset, report } = await ingest(name, input, { ...this.defaults, ...opts });
      this.put(name, dataset, report);
      return report;
    } catch (e) {
      throw wrap(e);
    }
  }

  /** Register an already-built dataset (used by the worker's sample loader and tests). */
  put(name: string, dataset: Dataset, report: DataQualityReport): void {
    this.datasets.set(name, dataset);
    this.reports.set(name, report);
    this.joinCache = new Map();
    this.cache.clear();
  }

  async query(req: QueryRequest, _opts: QueryOptions = {}): Promise<MetricResult> {
    return this.querySync(req);
  }

  /** Synchronous query (the worker and Node handler call this directly). */
  querySync(req: QueryRequest): MetricResult {
    const key = JSON.stringify([req.metric, req.source ?? null, req.params ?? {}, req.filters ?? []]);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const def = getMetric(req.metric);
    const source = req.source ?? def.source;
    const ctx = this.context(req.filters ?? []);
    let res: MetricResult;
    try {
      res = def.run(ctx, (req.params ?? {}) as never, source) as MetricResult;
    } catch (e) {
      throw wrap(e);
    }
    const skipped = ctx.unapplied.get(source);
    if (skipped?.length) {
      res.basis.notes = [
        ...(res.basis.notes ?? []),
        {
          'zh-CN': `以下筛选字段在 ${source} 上不可用，未应用：${skipped.map((c) => c.field).join('、')}`,
          'en-US': `Filters on fields not available on ${source} were not applied: ${skipped.map((c) => c.field).join(', ')}`,
        },
      ];
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, res);
    return res;
  }

  private context(filters: QueryRequest['filters'] = []): MetricContext {
    const ctx = new MetricContext(this.datasets, filters, this.joinCache);
    ctx.runMetric = (metric, params, source) =>
      this.querySync({ metric, params: params ?? {}, filters, ...(source ? { source } : {}) });
    return ctx;
  }

  async datasetsInfo(): Promise<DatasetInfo[]> {
    return [...this.datasets.entries()].map(([name, d]) => ({
      name,
      rows: d.n,
      columns: Object.keys(d.cols),
      masked: d.masked,
      report: this.reports.get(name)!,
    }));
  }

  /** The loaded dataset (in-thread only). */
  dataset(name: string): Dataset | undefined {
    return this.datasets.get(name);
  }

  async unload(name: string): Promise<void> {
    this.datasets.delete(name);
    this.reports.delete(name);
    this.joinCache = new Map();
    this.cache.clear();
  }

  dispose(): void {
    this.datasets.clear();
    this.cache.clear();
  }
}

/** Normalise anything thrown into a FinError; CSP eval refusals get a typed error naming the fix. */
export function wrap(e: unknown): FinError {
  if (e instanceof FinError) return e;
  if (isCspEvalError(e)) {
    return new FinError(
      'csp_eval_blocked',
      "This page's Content-Security-Policy blocks code evaluation that the in-page engine needs. " +
        "Run the engine in a worker (engine: 'worker', served with its own policy) or remotely (engine: 'remote').",
      { cause: e instanceof Error ? e.message : String(e) },
    );
  }
  return new FinError('bad_input', e instanceof Error ? e.message : String(e));
}
