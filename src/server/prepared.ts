/**
 * Prepared cross-filter answers for SQL backends (`backend.prepare`, the server side of
 * `engine.prepare()`): a dashboard's widget requests are answered ahead of time for every value
 * of its filter dimensions (each region, each product, each region × product), by the backend's
 * own query path, and kept in a `CubeStore`; a later query whose filters pin those dimensions to
 * single values is then a look-up instead of a warehouse scan.
 *
 * Why whole answers per cell (as the in-memory cube, src/engine/cube.ts): a cell is exactly the
 * answer the query path gives that request, so a look-up is identical to running it, by
 * construction (the tests compare them). Cells are keyed by the full effective request — the
 * policy's forced row filters included — so one principal's cells only ever answer requests with
 * the same effective filters.
 *
 * The build runs in the background, one cell at a time, and waits while any caller's query is
 * running (a click is never queued behind the build). It is bounded: at most `maxCells` cells per
 * build (default 2 000), builds stop when the data changes (`version()`), when a later prepare
 * with the same `key` starts, or when the backend closes; at most `MAX_BUILDS` builds are kept
 * queued (the oldest is stopped). The prepare call resolves when its build ends; a caller's
 * abort (timeout, a closed page) ends the call, not the build, whose cells serve every caller.
 */
import { CubeStore, cubeKey, dimensionSets, pinnedField } from '../engine/cube.js';
import type { PrepareInfo, PrepareOptions } from '../engine/cube.js';
import { combinations } from '../engine/cube-plan.js';
import { FinError } from '../engine/errors.js';
import type { FilterClause, MetricResult, QueryRequest } from '../engine/types.js';
import type { BackendQueryOptions, DistinctRequest } from './backend.js';

/** What the prepared answers sit on: the backend's own query path. */
export interface PreparedHost {
  run(req: QueryRequest, q: BackendQueryOptions): Promise<MetricResult>;
  distinct(d: DistinctRequest, q: BackendQueryOptions): Promise<MetricResult>;
  /** Changes whenever the data changes (load, attach, unload). */
  version(): number;
  /** Where cells are also written (the DuckDB database file), if anywhere. */
  persist?: {
    save(cell: { key: string; dims: string[]; answer: MetricResult }): void;
    /** The data changed: cells stored for the old data are dropped. */
    clear(): void;
  };
}

/** Default bound of one build, in cells (a dashboard of 20 widgets × region and product ≈ 900). */
export const MAX_PREPARED_CELLS = 2_000;
/** Builds kept at once (queued or running); a newer one stops the oldest. */
export const MAX_BUILDS = 4;
/** Values of one dimension taken per request (the filter bar's option lists are as long). */
const MAX_VALUES = 200;

interface Build {
  key: string | undefined;
  stopped: boolean;
}

export interface Prepared {
  /** A request through the store (a hit) or the backend's query path (counted as a running query). */
  query(req: QueryRequest, q?: BackendQueryOptions): Promise<MetricResult>;
  prepare(opts: PrepareOptions, q?: BackendQueryOptions): Promise<PrepareInfo>;
  /** Cells stored (for tests and diagnostics). */
  readonly size: number;
  /** Cells kept from an earlier run (the database file), for the data as it is now. */
  restore(cells: ReadonlyArray<{ key: string; dims: string[]; answer: MetricResult }>): void;
  close(): void;
}

export function preparedAnswers(host: PreparedHost, maxCells = MAX_PREPARED_CELLS): Prepared {
  let store = new CubeStore();
  /** Dimension values per (source, filters, dimension), shared by every build of this data. */
  let values = new Map<string, string[]>();
  let storeVersion = host.version();
  let running = 0;
  let idle: Array<() => void> = [];
  const builds: Build[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;

  const fresh = (): void => {
    const v = host.version();
    if (v !== storeVersion) {
      storeVersion = v;
      for (const b of builds) b.stopped = true;
      store = new CubeStore(); // the old cells answer for data that is gone
      values = new Map();
      host.persist?.clear();
    }
  };

  /** Keep a cell's answer (and write it where cells persist). */
  const keep = (key: string, req: QueryRequest, answer: MetricResult): void => {
    store.set(key, answer);
    if (!host.persist) return;
    const dims: string[] = [];
    for (const c of req.filters ?? []) {
      const f = pinnedField(c);
      if (f !== null && store.dimensions.has(f) && !dims.includes(f)) dims.push(f);
    }
    host.persist.save({ key, dims, answer });
  };

  /** Whether `req` pins a dimension some build covers (so its answer is one of their cells). */
  const pinsPrepared = (req: QueryRequest): boolean =>
    (req.filters ?? []).some((c) => {
      const f = pinnedField(c);
      return f !== null && store.dimensions.has(f);
    });

  /** Resolves when no caller's query is running. */
  const quiet = (): Promise<void> =>
    running === 0 ? Promise.resolve() : new Promise<void>((done) => idle.push(done));

  async function query(req: QueryRequest, q: BackendQueryOptions = {}): Promise<MetricResult> {
    fresh();
    const hit = store.lookup(req);
    if (hit) return hit;
    running++;
    try {
      const version = host.version();
      const r = await host.run(req, q);
      // A click on a prepared dimension before the build reached its cell: the answer is that
      // cell (the same request through the same path), so the build need not compute it again.
      if (host.version() === version && pinsPrepared(req)) keep(cubeKey(req), req, r);
      return r;
    } finally {
      running--;
      if (running === 0) {
        const wake = idle;
        idle = [];
        for (const w of wake) w();
      }
    }
  }

  /** The values of `dim` in `req`'s selection, most rows first. */
  async function valuesOf(req: QueryRequest, dim: string): Promise<string[]> {
    const d: DistinctRequest = {
      field: dim,
      order: 'count',
      limit: MAX_VALUES,
      ...(req.source ? { source: req.source } : {}),
      ...(req.filters?.length ? { filters: req.filters } : {}),
    };
    const r = await host.distinct(d, {});
    return r.data.map((x) => x['value']).filter((v): v is string => typeof v === 'string');
  }

  async function build(b: Build, opts: PrepareOptions): Promise<PrepareInfo> {
    const t0 = Date.now();
    const dims = opts.dimensions;
    // Singles first (each in the order given: from the first one's end a click on any of its
    // values is a look-up), then the pairs.
    const sets = dimensionSets(dims, Math.max(1, opts.maxDims ?? 2)).sort((x, y) => x.length - y.length);
    const maxCombos = opts.maxCombos ?? 100;
    const info: PrepareInfo = {
      dimensions: dims,
      requests: opts.requests?.length ?? 0,
      cells: 0,
      skipped: 0,
      ms: 0,
    };
    info.stages = [];
    const stop = (): boolean => {
      fresh();
      return b.stopped || closed;
    };
    // Looked up from the start: a cell built early answers at once, a missing one runs the query path.
    for (const d of dims) store.dimensions.add(d);
    for (const set of sets) {
      for (const req of opts.requests ?? []) {
        // A request that already pins a dimension of the set is not a cell of it.
        const own = new Set((req.filters ?? []).map((c) => c.field));
        if (set.some((d) => own.has(d))) continue;
        const lists: string[][] = [];
        for (const d of set) {
          const k = JSON.stringify([req.source ?? null, req.filters ?? [], d]);
          if (!values.has(k)) {
            if (stop()) return { ...info, ms: Date.now() - t0, superseded: true };
            await quiet();
            const got = await valuesOf(req, d).catch(() => []);
            if (stop()) return { ...info, ms: Date.now() - t0, superseded: true };
            values.set(k, got);
          }
          lists.push(values.get(k)!);
        }
        const cells = combinations(lists);
        if (set.length > 1 && cells.length > maxCombos) continue;
        for (const combo of cells) {
          if (info.cells >= maxCells) return { ...info, ms: Date.now() - t0 };
          const pins: FilterClause[] = set.map((field, i) => ({ field, op: 'in', value: [combo[i]!] }));
          const cell: QueryRequest = { ...req, filters: [...(req.filters ?? []), ...pins] };
          const key = cubeKey(cell);
          if (store.has(key)) {
            info.reused = (info.reused ?? 0) + 1;
            continue;
          }
          if (stop()) return { ...info, ms: Date.now() - t0, superseded: true };
          await quiet();
          if (stop()) return { ...info, ms: Date.now() - t0, superseded: true };
          const version = host.version();
          try {
            const r = await host.run(cell, {});
            // Data replaced while the cell ran: its answer is not stored.
            if (host.version() !== version) continue;
            fresh();
            keep(key, cell, r);
            info.cells++;
          } catch (e) {
            if (e instanceof FinError && e.code === 'backend_unavailable') throw e;
            info.skipped++; // the query path's own error (forbidden, unsupported): asked raw, it says so
          }
        }
      }
      info.stages.push({ dims: set.length, set, cells: info.cells, ms: Date.now() - t0 });
    }
    info.evicted = store.evicted;
    return { ...info, ms: Date.now() - t0 };
  }

  async function prepare(opts: PrepareOptions, q: BackendQueryOptions = {}): Promise<PrepareInfo> {
    if (closed) throw new FinError('backend_unavailable', 'The backend is closed');
    if (q.signal?.aborted) throw new FinError('aborted', 'The query was cancelled');
    fresh();
    const b: Build = { key: opts.key, stopped: false };
    if (opts.key !== undefined) for (const o of builds) if (o.key === opts.key) o.stopped = true;
    builds.push(b);
    while (builds.filter((x) => !x.stopped).length > MAX_BUILDS)
      builds.find((x) => !x.stopped)!.stopped = true;
    // One build at a time: builds of other keys queue behind it.
    const run = chain.then(() => build(b, opts));
    chain = run.catch(() => undefined);
    const done = run.finally(() => {
      const i = builds.indexOf(b);
      if (i >= 0) builds.splice(i, 1);
    });
    if (!q.signal) return done;
    return new Promise<PrepareInfo>((resolve, reject) => {
      const onAbort = (): void => reject(new FinError('aborted', 'The query was cancelled'));
      q.signal!.addEventListener('abort', onAbort, { once: true });
      done.then(resolve, reject).finally(() => q.signal!.removeEventListener('abort', onAbort));
    });
  }

  return {
    query,
    prepare,
    get size() {
      return store.size;
    },
    restore(cells) {
      for (const c of cells) {
        for (const d of c.dims) store.dimensions.add(d);
        store.set(c.key, c.answer);
      }
    },
    close() {
      closed = true;
      for (const b of builds) b.stopped = true;
    },
  };
}
