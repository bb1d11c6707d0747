/**
 * The cross-filter cube build (`LocalEngine.prepare`, cube.ts): loaded on the first prepare, so
 * that hosts which never build a cube do not load it.
 */
import type { Dataset } from '../data/dataset.js';
import type { MetricContext } from './context.js';
import { canonicalFilters, cubeKey, dimensionSets, pinnedField } from './cube.js';
import type { CubeStore, PrepareInfo, PrepareOptions } from './cube.js';
import { combinations, hasGrouped, innerRequests } from './cube-plan.js';
import { cellGroups, combinationCodes, identityMap, sortByCell } from './grouped.js';
import { getMetric } from './metrics/index.js';
import { checkParams } from './schema.js';
import { scratchInt32 } from './scratch.js';
import type { SelectionCache } from './selection.js';
import type { FilterClause, MetricResult, QueryRequest } from './types.js';
import { yieldToInteraction } from './yield.js';

/** Longest run of cube cells between two yields of a build (a query waits at most this + one cell). */
const SLICE_MS = 12;

/** What a build reads and writes of its engine (LocalEngine.cubeHost: the current load's state). */
export interface CubeHost {
  readonly datasets: Map<string, Dataset>;
  /** The current load's cube (replaced on every load: a build that sees another one stops). */
  readonly cube: CubeStore;
  readonly selections: SelectionCache;
  /** Cube keys of the cells the builds of this load plan (a click that is one stores its answer). */
  readonly planned: Set<string>;
  /** Planned cells of kernel metrics not built yet → the build of their whole set. */
  readonly groupedPending: Map<string, () => void>;
  /** The latest build per `PrepareOptions.key`. */
  readonly builds: Map<string, number>;
  nextBuild(): number;
  /** The requests served since the load (the default set to build). */
  served(): QueryRequest[];
  context(filters: FilterClause[]): MetricContext;
  /** When a caller's query last started or ended. */
  lastQueryAt(): number;
  /** Set by a computation that could not apply a clause on some dataset. */
  sawUnapplied: boolean;
  /** The raw path's result of one cell (not cached by request; throws as the raw path does). */
  compute(req: QueryRequest): MetricResult;
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
export async function buildCube(host: CubeHost, opts: PrepareOptions): Promise<PrepareInfo> {
  const t0 = Date.now();
  const dims = [...new Set((opts.dimensions ?? []).filter((d) => typeof d === 'string' && d))];
  // Stable: singles in the given order, then pairs (dimensionSets lists them depth-first).
  const sets = dimensionSets(dims, Math.max(1, Math.min(opts.maxDims ?? 2, dims.length))).sort(
    (a, b) => a.length - b.length,
  );
  const maxCombos = Math.max(1, opts.maxCombos ?? 100);
  const sliceMs = typeof opts.sliceMs === 'number' && opts.sliceMs >= 0 ? opts.sliceMs : SLICE_MS;
  const cube = host.cube;
  const evicted0 = cube.evicted;
  const build = host.nextBuild();
  const owner = typeof opts.key === 'string' ? opts.key : null;
  if (owner !== null) host.builds.set(owner, build);
  for (const d of dims) cube.dimensions.add(d);
  // Base requests: the given (or served) requests without clauses pinning a cube dimension.
  const bases = new Map<string, QueryRequest>();
  const addBase = (r: QueryRequest, filters: FilterClause[]): void => {
    const base: QueryRequest = { metric: r.metric, params: r.params ?? {}, filters };
    if (r.source) base.source = r.source;
    const key = cubeKey(base);
    if (!bases.has(key)) bases.set(key, base);
  };
  for (const r of opts.requests ?? host.served()) {
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
    if (owner !== null && host.builds.get(owner) === build) host.builds.delete(owner);
    const out: PrepareInfo = {
      dimensions: dims,
      requests: bases.size,
      cells,
      skipped,
      ms: Date.now() - t0,
      stages,
    };
    if (superseded) out.superseded = true;
    if (cube.evicted > evicted0) out.evicted = cube.evicted - evicted0;
    return out;
  };
  const seeded = new Set<string>();
  // Distinct values per (source, dimension, base filters): one scan, shared by every request.
  const valuesOf = new Map<string, string[] | null>();
  const dimValues = (source: string, d: string, baseFilters: FilterClause[]): string[] | null => {
    const k = JSON.stringify([source, d, canonicalFilters(baseFilters)]);
    if (!valuesOf.has(k)) valuesOf.set(k, dimensionValues(host, source, d, baseFilters));
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
      for (const c of keyed) host.planned.add(c.key);
      plan.push({ set, baseFilters, values: values as string[][], cells: keyed });
    }
  }
  // Per dimension set (and base filters): the cell of every row, shared by its grouped kernels.
  const groupCaches = new Map<string, Map<string, Int32Array | null>>();
  const seed = (set: string[], baseFilters: FilterClause[]): string => {
    const seedKey = JSON.stringify([set, canonicalFilters(baseFilters)]);
    if (!seeded.has(seedKey)) {
      seeded.add(seedKey);
      seedPartitions(host, set, baseFilters);
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
    const grouped = evaluateGrouped(host, set, baseFilters, values, keyed, groupCache);
    for (const c of keyed) host.groupedPending.delete(c.key);
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
      if (cube === host.cube && entry.cells.some((c) => !cube.has(c.key))) groupedEntry(t);
    };
    for (const c of entry.cells) if (!cube.has(c.key)) host.groupedPending.set(c.key, run);
  }
  for (let t = 0; t < plan.length; t++) {
    const { set, baseFilters, cells: keyed } = plan[t]!;
    // Built by an earlier prepare (e.g. the singles stage of this dashboard): no re-seeding.
    const pending = keyed.filter((c) => !cube.has(c.key)).length;
    if (pending > 0) {
      seed(set, baseFilters);
      if (cube !== host.cube || (owner !== null && host.builds.get(owner) !== build)) return info(true);
      const grouped = pending > 1 && groupedEntry(t);
      if (grouped && (Date.now() - slice > sliceMs || sliceMs === 0)) {
        await yieldToInteraction(host.lastQueryAt);
        slice = Date.now();
      }
      for (const { req, key } of grouped ? [] : keyed) {
        // reloaded, or a newer build with the same key started meanwhile
        if (cube !== host.cube || (owner !== null && host.builds.get(owner) !== build)) return info(true);
        if (cube.has(key)) continue;
        host.sawUnapplied = false;
        let res: MetricResult;
        try {
          res = host.compute(req);
        } catch {
          skipped++;
          continue;
        }
        cells++;
        if (host.sawUnapplied) skipped++;
        else cube.set(key, res);
        if (Date.now() - slice > sliceMs || sliceMs === 0) {
          await yieldToInteraction(host.lastQueryAt);
          slice = Date.now();
        }
      }
    }
    const next = plan[t + 1];
    if (!next || next.set !== set)
      stages.push({ dims: set.length, set: [...set], cells, ms: Date.now() - t0 });
  }
  return info(false);
}

/**
 * Every cell of a dimension set by the metric's grouped kernel, in `keyed` order: the result, or
 * null for a cell that skipped a clause on some dataset (kept out of the cube, as on the per-cell
 * path). Null when the metric has no kernel, declines or fails: the caller then runs the cells
 * one by one (which reports a failing cell as skipped, as before).
 */
function evaluateGrouped(
  host: CubeHost,
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
    context: (f) => host.context(f),
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
function dimensionValues(
  host: CubeHost,
  source: string,
  field: string,
  baseFilters: FilterClause[],
): string[] | null {
  if (!host.datasets.has(source)) return null;
  const ctx = host.context(baseFilters);
  const col = ctx.tryCol(source, field);
  if (!col || col.kind !== 'cat') return null;
  const rows = ctx.rows(source);
  const seen = new Uint8Array(col.dict.length);
  const n = rows ? rows.length : host.datasets.get(source)!.n;
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
function seedPartitions(host: CubeHost, set: string[], baseFilters: FilterClause[]): void {
  const ctx = host.context(baseFilters);
  for (const [name, ds] of host.datasets) {
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
      host.selections.set(`${name}\u0000${JSON.stringify(filters)}`, {
        rows: order.subarray(lo, hi), // views of one array per dataset, never written
        skipped: [],
      });
    }
  }
}
