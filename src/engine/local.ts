import { withLoadQuality } from './load-quality.js';
import type { Column, Dataset } from '../data/dataset.js';
import { ingest } from '../data/ingest.js';
import type { DataQualityReport, IngestInput, IngestOptions } from '../data/ingest.js';
import { MetricContext } from './context.js';
import { CubeStore, canonicalFilters, cubeKey, dimensionSets, pinnedField } from './cube.js';
import type { PrepareInfo, PrepareOptions } from './cube.js';
import { cellGroups, combinationCodes, identityMap, sortByCell } from './grouped.js';
import { combinations, hasGrouped, innerRequests } from './cube-plan.js';
import { yieldToInteraction } from './yield.js';
import { releaseScratch, scratchInt32 } from './scratch.js';
import { SelectionCache } from './selection.js';
import { FinError, isCspEvalError } from './errors.js';
import { getMetric, metricPreload } from './metrics/index.js';
import { checkParams } from './schema.js';
import type { DatasetInfo, Engine, LoadOptions, QueryOptions } from './engine-types.js';
import type { FilterClause, MetricResult, QueryRequest } from './types.js';

const CACHE_LIMIT = 256;
/** Distinct requests remembered per load (the default set `prepare()` pre-aggregates). */
const SERVED_LIMIT = 64;
/** Longest run of cube cells between two yields of `prepare()` (a query waits at most this + one cell). */
const SLICE_MS = 12;

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
  private compute(req: QueryRequest, key: string, remember = true, required: FilterClause[] | null = null): MetricResult {
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
   * Build the cross-filter cube for `requests` (default: the requests served since the load) over
   * category `dimensions`: every request is evaluated once per dimension value (and per pair of
   * values), on rows partitioned once per dimension set. Later requests that pin those dimensions
   * to single values are look-ups, byte-identical to the raw path (cube.ts).
   *
   * Build order (the first fast click): one stage per dimension set, the single dimensions first in
   * the order given — the first is the dashboard's first filter, so a click on one of its values is
   * a look-up as soon as its stage is done, long before the rest — then the pairs; within a stage the
   * requests in the order given (the widgets on screen first). Work is done in slices of about
   * SLICE_MS, yielding in between without a timer clamp, so that a query arriving meanwhile waits
   * at most for the current cell, never behind the build; while a caller's queries keep coming
   * (QUERY_QUIET_MS), the build does not start another slice.
   */
  async prepare(opts: PrepareOptions): Promise<PrepareInfo> {
    const t0 = Date.now();
    const dims = [...new Set((opts.dimensions ?? []).filter((d) => typeof d === 'string' && d))];
    // Stable: singles in the given order, then pairs (dimensionSets lists them depth-first).
    const sets = dimensionSets(dims, Math.max(1, Math.min(opts.maxDims ?? 2, dims.length))).sort(
      (a, b) => a.length - b.length,
    );
    const maxCombos = Math.max(1, opts.maxCombos ?? 100);
    const sliceMs = typeof opts.sliceMs === 'number' && opts.sliceMs >= 0 ? opts.sliceMs : SLICE_MS;
    const cube = this.cube;
    const evicted0 = cube.evicted;
    const build = ++this.buildSeq;
    const owner = typeof opts.key === 'string' ? opts.key : null;
    if (owner !== null) this.builds.set(owner, build);
    for (const d of dims) cube.dimensions.add(d);
    // Base requests: the given (or served) requests without clauses pinning a cube dimension.
    const bases = new Map<string, QueryRequest>();
    const addBase = (r: QueryRequest, filters: FilterClause[]): void => {
      const base: QueryRequest = { metric: r.metric, params: r.params ?? {}, filters };
      if (r.source) base.source = r.source;
      const key = cubeKey(base);
      if (!bases.has(key)) bases.set(key, base);
    };
    for (const r of opts.requests ?? [...this.served.values()]) {
      const filters = (r.filters ?? []).filter((c) => {
        const f = pinnedField(c);
        return f === null || !dims.includes(f);
      });
      // The requests its run issues under the same filters go first (a KPI's series): their cells,
      // built by their own grouped kernels, make each of its cells a look-up inside.
      for (const i of innerRequests(r)) addBase(i, filters);
      addBase(r, filters);
    }
    let cells = 0;
    let skipped = 0;
    let slice = Date.now();
    const stages: NonNullable<PrepareInfo['stages']> = [];
    const info = (superseded: boolean): PrepareInfo => {
      if (owner !== null && this.builds.get(owner) === build) this.builds.delete(owner);
      const out: PrepareInfo = { dimensions: dims, requests: bases.size, cells, skipped, ms: Date.now() - t0, stages };
      if (superseded) out.superseded = true;
      if (cube.evicted > evicted0) out.evicted = cube.evicted - evicted0;
      return out;
    };
    const seeded = new Set<string>();
    // Distinct values per (source, dimension, base filters): one scan, shared by every request.
    const valuesOf = new Map<string, string[] | null>();
    const dimValues = (source: string, d: string, baseFilters: FilterClause[]): string[] | null => {
      const k = JSON.stringify([source, d, canonicalFilters(baseFilters)]);
      if (!valuesOf.has(k)) valuesOf.set(k, this.dimensionValues(source, d, baseFilters));
      return valuesOf.get(k)!;
    };
    // The plan, in build order: every cell is known (and `planned`) before the first is computed.
    const plan: Array<{
      set: string[];
      baseFilters: FilterClause[];
      values: string[][];
      cells: Array<{ req: QueryRequest; key: string }>;
    }> = [];
    for (const set of sets) {
      for (const base of bases.values()) {
        let source: string;
        try {
          source = base.source ?? getMetric(base.metric).source;
        } catch {
          continue; // unknown metric: its queries fail on the raw path as they should
        }
        const baseFilters = base.filters ?? [];
        const values = set.map((d) => dimValues(source, d, baseFilters));
        if (values.some((v) => v === null || v.length === 0)) continue;
        if (set.length > 1 && values.reduce((p, v) => p * v!.length, 1) > maxCombos) continue;
        const keyed = combinations(values as string[][]).map((combo) => {
          const filters = canonicalFilters([
            ...baseFilters,
            ...set.map((d, i): FilterClause => ({ field: d, op: 'in', value: [combo[i]!] })),
          ]);
          const req: QueryRequest = { ...base, filters };
          return { req, key: cubeKey(req) };
        });
        for (const c of keyed) this.planned.add(c.key);
        plan.push({ set, baseFilters, values: values as string[][], cells: keyed });
      }
    }
    // Per dimension set (and base filters): the cell of every row, shared by its grouped kernels.
    const groupCaches = new Map<string, Map<string, Int32Array | null>>();
    const seed = (set: string[], baseFilters: FilterClause[]): string => {
      const seedKey = JSON.stringify([set, canonicalFilters(baseFilters)]);
      if (!seeded.has(seedKey)) {
        seeded.add(seedKey);
        this.seedPartitions(set, baseFilters);
      }
      return seedKey;
    };
    /**
     * Every pending cell of plan entry t by its metric's grouped kernel (grouped.ts): false when
     * the metric has none or it declines (the cells are then run one by one).
     */
    const groupedEntry = (t: number): boolean => {
      const { set, baseFilters, values, cells: keyed } = plan[t]!;
      const seedKey = seed(set, baseFilters);
      let groupCache = groupCaches.get(seedKey);
      if (!groupCache) groupCaches.set(seedKey, (groupCache = new Map()));
      const grouped = this.evaluateGrouped(set, baseFilters, values, keyed, groupCache);
      for (const c of keyed) this.groupedPending.delete(c.key);
      if (!grouped) return false;
      for (let j = 0; j < keyed.length; j++) {
        const key = keyed[j]!.key;
        if (cube.has(key)) continue; // a click stored it meanwhile: the same bytes
        cells++;
        const res = grouped[j];
        if (res) cube.set(key, res);
        else skipped++;
      }
      return true;
    };
    // A click on a cell of a set whose metric has a grouped kernel builds the whole set at once
    // (its cells are all due anyway, and one cell alone costs nearly the pass over all of them).
    for (let t = 0; t < plan.length; t++) {
      const entry = plan[t]!;
      if (entry.cells.length < 2 || !hasGrouped(entry.cells[0]!.req.metric)) continue;
      const run = (): void => {
        if (cube === this.cube && entry.cells.some((c) => !cube.has(c.key))) groupedEntry(t);
      };
      for (const c of entry.cells) if (!cube.has(c.key)) this.groupedPending.set(c.key, run);
    }
    for (let t = 0; t < plan.length; t++) {
      const { set, baseFilters, cells: keyed } = plan[t]!;
      // Built by an earlier prepare (e.g. the singles stage of this dashboard): no re-seeding.
      const pending = keyed.filter((c) => !cube.has(c.key)).length;
      if (pending > 0) {
        seed(set, baseFilters);
        if (cube !== this.cube || (owner !== null && this.builds.get(owner) !== build)) return info(true);
        const grouped = pending > 1 && groupedEntry(t);
        if (grouped && (Date.now() - slice > sliceMs || sliceMs === 0)) {
          await yieldToInteraction(() => this.lastQueryAt);
          slice = Date.now();
        }
        for (const { req, key } of grouped ? [] : keyed) {
          // reloaded, or a newer build with the same key started meanwhile
          if (cube !== this.cube || (owner !== null && this.builds.get(owner) !== build)) return info(true);
          if (cube.has(key)) continue;
          this.sawUnapplied = false;
          let res: MetricResult;
          this.depth++;
          try {
            res = this.compute(req, '', false);
          } catch {
            skipped++;
            continue;
          } finally {
            this.depth--;
          }
          cells++;
          if (this.sawUnapplied) skipped++;
          else cube.set(key, res);
          if (Date.now() - slice > sliceMs || sliceMs === 0) {
            await yieldToInteraction(() => this.lastQueryAt);
            slice = Date.now();
          }
        }
      }
      const next = plan[t + 1];
      if (!next || next.set !== set) stages.push({ dims: set.length, set: [...set], cells, ms: Date.now() - t0 });
    }
    return info(false);
  }

  /**
   * Every cell of a dimension set by the metric's grouped kernel, in `keyed` order: the result, or
   * null for a cell that skipped a clause on some dataset (kept out of the cube, as on the per-cell
   * path). Null when the metric has no kernel, declines or fails: the caller then runs the cells
   * one by one (which reports a failing cell as skipped, as before).
   */
  private evaluateGrouped(
    set: string[],
    baseFilters: FilterClause[],
    values: string[][],
    keyed: Array<{ req: QueryRequest; key: string }>,
    cache: Map<string, Int32Array | null>,
  ): Array<MetricResult | null> | null {
    const req0 = keyed[0]!.req;
    let def: ReturnType<typeof getMetric>;
    try {
      def = getMetric(req0.metric);
      if (!def.runGrouped) return null;
      checkParams(def.id, def.paramsSchema, req0.params);
    } catch {
      return null;
    }
    const source = req0.source ?? def.source;
    const groups = cellGroups({
      context: (f) => this.context(f),
      baseFilters,
      set,
      values,
      cellFilters: keyed.map((c) => c.req.filters ?? []),
      cache,
    });
    let out: MetricResult[] | null;
    try {
      out = def.runGrouped(groups, (req0.params ?? {}) as never, source) as MetricResult[] | null;
    } catch {
      return null;
    }
    if (!out || out.length !== keyed.length) return null;
    return out.map((res, j) => {
      // Every run reads its source's rows: a clause that cannot apply there marks the cell too.
      const cell = groups.cells[j]!;
      cell.rows(source);
      if (cell.unapplied.size) return null;
      res.basis.source = source;
      return res;
    });
  }

  /** Distinct values (dictionary strings) of a category dimension on `source`, or null. */
  private dimensionValues(source: string, field: string, baseFilters: FilterClause[]): string[] | null {
    if (!this.datasets.has(source)) return null;
    const ctx = this.context(baseFilters);
    const col = ctx.tryCol(source, field);
    if (!col || col.kind !== 'cat') return null;
    const rows = ctx.rows(source);
    const seen = new Uint8Array(col.dict.length);
    const n = rows ? rows.length : this.datasets.get(source)!.n;
    for (let k = 0; k < n; k++) {
      const c = col.codes[rows ? rows[k]! : k]!;
      if (c >= 0) seen[c] = 1;
    }
    return col.dict.filter((_, c) => seen[c] === 1);
  }

  /**
   * Partition the (base-filtered) rows of every loaded dataset on which the dimensions resolve by
   * their value combination — one counting sort — and keep each cell's rows as the selection of its
   * canonical filter list, so evaluating a cell selects nothing.
   */
  private seedPartitions(set: string[], baseFilters: FilterClause[]): void {
    const ctx = this.context(baseFilters);
    for (const [name, ds] of this.datasets) {
      const cols = set.map((d) => ctx.tryCol(name, d));
      if (cols.some((c) => !c || c.kind !== 'cat')) continue;
      const cats = cols as Array<{ codes: Int32Array; dict: string[] }>;
      const base = ctx.rows(name);
      if (ctx.unapplied.get(name)?.length) continue;
      const n = base ? base.length : ds.n;
      // cell = mixed-radix code of the combination; −1 when any dimension is missing
      let cellsN = 1;
      for (const c of cats) cellsN *= c.dict.length;
      if (cellsN > 1 << 20) continue;
      // the cell of each base row, read by sortByCell only: a reused buffer (scratch.ts)
      const cellOf = scratchInt32('cube.cellOf', n, -1);
      combinationCodes(
        cats.map((c) => c.codes),
        cats.map((c) => identityMap(c.dict.length)),
        cats.map((c) => c.dict.length),
        base,
        n,
        cellOf,
        false,
      );
      const { counts, order } = sortByCell(cellOf, cellsN, base);
      for (let cell = 0; cell < cellsN; cell++) {
        const lo = counts[cell]!;
        const hi = counts[cell + 1]!;
        if (hi === lo) continue;
        let rest = cell;
        const pins: FilterClause[] = [];
        for (let d = cats.length - 1; d >= 0; d--) {
          const size = cats[d]!.dict.length;
          pins.unshift({ field: set[d]!, op: 'in', value: [cats[d]!.dict[rest % size]!] });
          rest = Math.floor(rest / size);
        }
        const filters = canonicalFilters([...baseFilters, ...pins]);
        this.selections.set(`${name}\u0000${JSON.stringify(filters)}`, {
          rows: order.subarray(lo, hi), // views of one array per dataset, never written
          skipped: [],
        });
      }
    }
  }

  private context(filters: QueryRequest['filters'] = [], required: FilterClause[] | null = null): MetricContext {
    const ctx = new MetricContext(this.datasets, filters, this.joinCache, this.selections);
    if (required) ctx.required = new Set(required.map((c) => JSON.stringify(c)));
    ctx.runMetric = (metric, params, source) =>
      this.querySync({ metric, params: params ?? {}, filters, ...(source ? { source } : {}) }, required ? { required } : {});
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
