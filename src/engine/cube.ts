/**
 * Cross-filter cubes (DESIGN.md, Data flow 4): interaction queries answered from results
 * pre-aggregated once per load and per set of dimensions in play.
 *
 * A cube is built for a set of requests (a dashboard's widgets) and a few category dimensions
 * (the dashboard's filters, e.g. region and product): the rows of every dataset are partitioned
 * once per dimension set (a counting sort by dimension code, kept as the selections of the load),
 * and each request is evaluated per cell — each region, each product, each region × product — by
 * the very metric code of the raw path, on the very rows the raw path would select. A later
 * request whose filters pin the cube's dimensions to single values (`eq`, or `in` with one value,
 * in any order) is then a look-up.
 *
 * Why cells hold metric results rather than additive partial sums (Σ outstanding per month ×
 * bucket × region …): floating-point addition is not associative, so Σ over region cells is not
 * bit-for-bit the row-order sum of the raw path (and r10 rounding does not hide the difference
 * reliably). A cell evaluated on its own rows is exactly the raw result of that selection, so the
 * cube is byte-identical to the raw path by construction (test/unit/engine/cube.test.ts). The
 * price: multi-value selections (two regions) and ranges fall back to the raw path, which is fast
 * in its own right (typed selections shared across widgets).
 */
import type { FilterClause, MetricResult, QueryRequest } from './types.js';

/** Options of `engine.prepare()`. */
export interface PrepareOptions {
  /** Requests to pre-aggregate (a dashboard's widget requests); default: those served since the load. */
  requests?: QueryRequest[];
  /**
   * Category fields to cross-filter on (e.g. `['region', 'product']`), in priority order: the
   * first one's cells are built first (a dashboard lists its first filter first). The requests too
   * are built in the order given (the widgets on screen first).
   */
  dimensions: string[];
  /** Largest number of dimensions pinned together (default 2: singles and pairs). */
  maxDims?: number;
  /**
   * Largest number of value combinations of a multi-dimension set per request (default 100):
   * region (8) × product (5) is built, collector (32) × region (8) is left to the raw path.
   * Single dimensions are always built.
   */
  maxCombos?: number;
  /**
   * Who is building (e.g. one dashboard): a later prepare with the same key stops this one at its
   * next slice (it resolves with `superseded: true`), so a date-range change does not leave the
   * previous range's build running to its end. Builds with other keys, or none, are independent.
   */
  key?: string;
  /**
   * Milliseconds of work between yields to waiting queries (default 12). Tests set 0 to yield after
   * every cell, which makes "a click lands mid-build" deterministic on any machine.
   */
  sliceMs?: number;
}

/** What `prepare()` built. */
export interface PrepareInfo {
  dimensions: string[];
  requests: number;
  /** Cells evaluated (request × dimension values). */
  cells: number;
  /** Cells not stored because a filter could not be applied on some dataset (raw path instead). */
  skipped: number;
  ms: number;
  /** Stopped early: a later prepare with the same `key` started, or the data was reloaded. */
  superseded?: boolean;
  /** Cells of the store dropped to stay within its bound (least recently used first). */
  evicted?: number;
  /** Cells already in the store (an earlier build, a click, or a server's database file), not evaluated again. */
  reused?: number;
  /**
   * When each stage was done, one stage per dimension set in build order: the single dimensions in
   * the order given (from the end of the first, a click on any value of the first dimension is a
   * look-up: the first fast click), then the pairs. `cells` counts the cells evaluated so far
   * (cumulative), `ms` is from the build's start.
   */
  stages?: Array<{ dims: number; set?: string[]; cells: number; ms: number }>;
}

/** Default bound of a load's cube store, in cells (a dashboard's build is a few thousand). */
export const MAX_CUBE_CELLS = 20_000;

/** A clause in canonical form: `eq v` and `in [v]` are the same selection. */
export function canonicalClause(c: FilterClause): FilterClause {
  if (c.op === 'eq') return { field: c.field, op: 'in', value: [c.value] };
  if (c.op === 'in') return { field: c.field, op: 'in', value: [...c.value] };
  return { field: c.field, op: 'range', value: [c.value[0], c.value[1]] };
}

/** Canonical filter list: canonical clauses in a fixed order (a selection does not depend on it). */
export function canonicalFilters(filters: readonly FilterClause[]): FilterClause[] {
  return filters
    .map(canonicalClause)
    .map((c) => [JSON.stringify(c), c] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, c]) => c);
}

/** Key of a request with canonical filters. */
export function cubeKey(req: QueryRequest): string {
  return JSON.stringify([
    req.metric,
    req.source ?? null,
    req.params ?? {},
    canonicalFilters(req.filters ?? []),
  ]);
}

/** The field a clause pins to a single value, or null. */
export function pinnedField(c: FilterClause): string | null {
  if (c.op === 'eq') return c.field;
  if (c.op === 'in' && c.value.length === 1) return c.field;
  return null;
}

/** Subsets of `dims` with 1..max members, in a stable order. */
export function dimensionSets(dims: readonly string[], max: number): string[][] {
  const out: string[][] = [];
  const rec = (start: number, cur: string[]): void => {
    if (cur.length) out.push(cur.slice());
    if (cur.length === max) return;
    for (let i = start; i < dims.length; i++) {
      cur.push(dims[i]!);
      rec(i + 1, cur);
      cur.pop();
    }
  };
  rec(0, []);
  return out;
}

/**
 * Cell results by canonical request key, for one load, at most `maxCells` of them: every date range
 * a dashboard visits adds a build, so the least recently used cells go first (a look-up counts as a
 * use). An evicted cell is only slower to answer (the raw path), never different.
 */
export class CubeStore {
  private readonly cells = new Map<string, MetricResult>();
  readonly dimensions = new Set<string>();
  /** Cells dropped so far to stay within the bound. */
  evicted = 0;

  constructor(readonly maxCells = MAX_CUBE_CELLS) {}

  has(key: string): boolean {
    return this.cells.has(key);
  }

  set(key: string, r: MetricResult): void {
    this.cells.delete(key);
    this.cells.set(key, r);
    while (this.cells.size > this.maxCells) {
      this.cells.delete(this.cells.keys().next().value as string);
      this.evicted++;
    }
  }

  get size(): number {
    return this.cells.size;
  }

  /**
   * The cell answering `req`, re-based on the request's own filter list (the result echoes the
   * filters in `basis.filters`; everything else depends only on the selected rows). Only requests
   * that pin a cube dimension are looked up.
   */
  lookup(req: QueryRequest): MetricResult | undefined {
    if (!this.cells.size) return undefined;
    const filters = req.filters ?? [];
    let pins = false;
    for (const c of filters) {
      const f = pinnedField(c);
      if (f !== null && this.dimensions.has(f)) pins = true;
    }
    if (!pins) return undefined;
    const key = cubeKey(req);
    const hit = this.cells.get(key);
    if (!hit) return undefined;
    // Most recently used last (Map order), so eviction drops the cells nobody asked for lately.
    this.cells.delete(key);
    this.cells.set(key, hit);
    return { ...hit, basis: { ...hit.basis, filters } };
  }
}
