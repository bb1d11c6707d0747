import { withLoadQuality } from './load-quality.js';
import type { Column, Dataset } from '../data/dataset.js';
import { ingest } from '../data/ingest.js';
import type { DataQualityReport, IngestInput, IngestOptions } from '../data/ingest.js';
import { MetricContext } from './context.js';
import { CubeStore, cubeKey } from './cube.js';
import type { PrepareInfo, PrepareOptions } from './cube.js';
import type * as CubeBuildModule from './cube-build.js';
import type { CubeHost } from './cube-build.js';
import { releaseScratch } from './scratch.js';
import { SelectionCache } from './selection.js';
import { FinError, isCspEvalError } from './errors.js';
import { getMetric, metricPreload } from './metrics/index.js';
import { checkParams } from './schema.js';
import type { DatasetInfo, Engine, LoadOptions, QueryOptions } from './engine-types.js';
import type { FilterClause, MetricResult, QueryRequest } from './types.js';

const CACHE_LIMIT = 256;
/** The cube build's module, once a prepare loaded it. */
let cubeBuild: typeof CubeBuildModule | null = null;
/** Distinct requests remembered per load (the default set `prepare()` pre-aggregates). */
const SERVED_LIMIT = 64;

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
  /** Row selections shared by every query of the load (widgets with the same filters select once). */
  private selections = new SelectionCache();
  /** Cross-filter cube of the load (see cube.ts). */
  private cube = new CubeStore();
  /** The latest build per `PrepareOptions.key`: an older build with the same key stops. */
  private readonly builds = new Map<string, number>();
  private buildSeq = 0;
  /** When a caller's query last started or ended (a build pauses while queries keep coming). */
  private lastQueryAt = 0;
  /** Nesting of answers and build computations (their inner runMetric queries are not callers'). */
  private depth = 0;
  /**
   * Cube keys of the cells the builds of this load plan. A query that is one of them (a click while
   * the cube builds) stores its raw answer as the cell, so the build skips it instead of computing
   * the same result twice: clicks during a build speed it up rather than compete with it.
   */
  private planned = new Set<string>();
  /**
   * Planned cells of metrics with a grouped kernel, not built yet → the build of their whole set
   * (a click on one of them runs it: see prepare).
   */
  private groupedPending = new Map<string, () => void>();
  /** Requests served since the load, by key (what `prepare()` pre-aggregates by default). */
  private served = new Map<string, QueryRequest>();
  /** Set when a query could not apply a filter on some dataset (such cells stay out of the cube). */
  private sawUnapplied = false;
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
    this.reset();
  }

  /** Drop everything derived from the loaded datasets (joins, selections, results, cubes). */
  private reset(): void {
    this.joinCache = new Map();
    this.selections = new SelectionCache();
    this.cube = new CubeStore();
    this.planned = new Set();
    this.groupedPending = new Map();
    this.served = new Map();
    this.cache.clear();
  }

  async query(req: QueryRequest, _opts: QueryOptions = {}): Promise<MetricResult> {
    // Lazily loaded metrics (mining) fetch their code first; the rest run at once.
    const pre = metricPreload(req.metric);
    if (pre) await pre();
    return this.querySync(req);
  }

  /**
   * Synchronous query (the worker and Node handler call this directly). `required`: clauses of
   * `req.filters` that must apply on every dataset the metric reads (a server's row-level policy);
   * where one cannot, the query fails with `forbidden` rather than skipping it. The dataset's load
   * rejections are added to every answer's quality (the element shows them as its partial state).
   */
  querySync(req: QueryRequest, opts: { required?: FilterClause[] } = {}): MetricResult {
    const res = this.answer(req, opts.required?.length ? opts.required : null);
    return withLoadQuality(res, this.reports.get(res.basis.source ?? req.source ?? ''));
  }

  private answer(req: QueryRequest, required: FilterClause[] | null): MetricResult {
    // Only a caller's query marks the time, not the metrics' own runMetric calls (nor the build's).
    const top = this.depth === 0;
    if (top) this.lastQueryAt = Date.now();
    this.depth++;
    try {
      return this.answerNow(req, required);
    } finally {
      this.depth--;
      if (top) this.lastQueryAt = Date.now();
    }
  }

  private answerNow(req: QueryRequest, required: FilterClause[] | null): MetricResult {
    const parts: unknown[] = [req.metric, req.source ?? null, req.params ?? {}, req.filters ?? []];
    // Strict results are cached apart: a lenient result may have skipped a clause.
    if (required) parts.push(required);
    const key = JSON.stringify(parts);
    const hit = this.cache.get(key);
    if (hit) return hit;
    // Cube cells never skipped a clause on any dataset (see compute), so strict queries use them.
    const cell = this.cube.lookup(req);
    if (cell) return cell;
    if (this.served.size < SERVED_LIMIT && !this.served.has(key)) this.served.set(key, req);
    if (required || !this.planned.size) return this.compute(req, key, true, required);
    // A cell a build plans: the raw answer is that cell (the result depends only on the selected
    // rows, and the look-up re-bases `basis.filters`), unless a clause was skipped somewhere.
    const cube = this.cube;
    const cellKey = cubeKey(req);
    const groupedBuild = this.groupedPending.get(cellKey);
    if (groupedBuild) {
      groupedBuild();
      const built = this.cube.lookup(req);
      if (built) return built;
    }
    this.sawUnapplied = false;
    const res = this.compute(req, key, true, null);
    if (this.planned.has(cellKey) && !this.sawUnapplied && cube === this.cube) cube.set(cellKey, res);
    return res;
  }

  /** The raw path: run the metric on the selected rows; cache the result by request. */
  private compute(
    req: QueryRequest,
    key: string,
    remember = true,
    required: FilterClause[] | null = null,
  ): MetricResult {
    const def = getMetric(req.metric);
    // Malformed params fail here with a JSON-pointer path, before any row is read.
    checkParams(def.id, def.paramsSchema, req.params);
    const source = req.source ?? def.source;
    const ctx = this.context(req.filters ?? [], required);
    let res: MetricResult;
    try {
      res = def.run(ctx, (req.params ?? {}) as never, source) as MetricResult;
    } catch (e) {
      throw wrap(e);
    }
    res.basis.source = source;
    // A clause skipped on any dataset read keeps the result out of the cube (strict queries rely on it).
    if (ctx.unapplied.size) this.sawUnapplied = true;
    const skipped = ctx.unapplied.get(source);
    if (skipped?.length) {
      this.sawUnapplied = true;
      res.basis.notes = [
        ...(res.basis.notes ?? []),
        {
          'zh-CN': `以下筛选字段在 ${source} 上不可用，未应用：${skipped.map((c) => c.field).join('、')}`,
          'en-US': `Filters on fields not available on ${source} were not applied: ${skipped.map((c) => c.field).join(', ')}`,
        },
      ];
    }
    if (remember) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, res);
    }
    return res;
  }

  /**
   * Build the cross-filter cube for `requests` over category `dimensions` (cube-build.ts, loaded
   * on the first call: hosts that never build a cube do not load it).
   */
  async prepare(opts: PrepareOptions): Promise<PrepareInfo> {
    // Once loaded, a build plans its cells synchronously, before the caller's next query.
    const m = cubeBuild ?? (cubeBuild = await import('./cube-build.js'));
    return m.buildCube(this.cubeHost(), opts);
  }

  /** What the cube build reads and writes of this engine (the current load's state). */
  private cubeHost(): CubeHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return {
      datasets: this.datasets,
      get cube() {
        return self.cube;
      },
      get selections() {
        return self.selections;
      },
      get planned() {
        return self.planned;
      },
      get groupedPending() {
        return self.groupedPending;
      },
      builds: this.builds,
      nextBuild: () => ++this.buildSeq,
      served: () => [...this.served.values()],
      context: (filters) => this.context(filters),
      lastQueryAt: () => this.lastQueryAt,
      get sawUnapplied() {
        return self.sawUnapplied;
      },
      set sawUnapplied(v: boolean) {
        self.sawUnapplied = v;
      },
      compute: (req) => {
        this.depth++;
        try {
          return this.compute(req, '', false);
        } finally {
          this.depth--;
        }
      },
    };
  }

  private context(
    filters: QueryRequest['filters'] = [],
    required: FilterClause[] | null = null,
  ): MetricContext {
    const ctx = new MetricContext(this.datasets, filters, this.joinCache, this.selections);
    if (required) ctx.required = new Set(required.map((c) => JSON.stringify(c)));
    ctx.runMetric = (metric, params, source) =>
      this.querySync(
        { metric, params: params ?? {}, filters, ...(source ? { source } : {}) },
        required ? { required } : {},
      );
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
    this.reset();
  }

  dispose(): void {
    this.datasets.clear();
    this.reset();
    releaseScratch();
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
