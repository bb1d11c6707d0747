import type { MetricContext } from './context.js';
import type { CellGroups } from './grouped.js';
import type { Basis, FilterClause, LocalText, MetricResult, ResultQuality } from './types.js';

/**
 * One metric: an id, the dataset it reads by default, and a pure function from the context and
 * params to a JSON result. Each lives in its own module under src/engine/metrics/.
 */
export interface MetricDef<P = Record<string, unknown>> {
  id: string;
  /** Default source dataset. */
  source: string;
  /** Datasets it may also read (for cube invalidation and docs). */
  reads?: string[];
  run(ctx: MetricContext, params: P, source: string): MetricResult<object>;
  /**
   * Optional grouped evaluation for the cross-filter cube (grouped.ts): the result of every cell
   * of one dimension set at once, `out[j]` byte-identical to `run(groups.cells[j], params, source)`,
   * in one pass (or with scratch shared by the cells) instead of one run per cell. Returns null
   * when it cannot (e.g. a dimension does not resolve on a dataset it reads): the cube then runs
   * the cells one by one.
   */
  runGrouped?(groups: CellGroups, params: P, source: string): Array<MetricResult<object>> | null;
  /**
   * The requests `run` issues through `ctx.runMetric` under its own filters (a KPI's series), for
   * the cross-filter cube: it builds their cells first, so each cell's run finds its inner result
   * built (by the inner metric's grouped kernel when it has one). Params are not checked yet: return
   * [] for anything malformed (`run` reports it).
   */
  inner?(params: P): Array<{ metric: string; params: Record<string, unknown>; source?: string }>;
  /**
   * Load what `run` needs (code split out of the core bundle); the engine awaits it before the
   * first run. Absent for metrics that are always loaded.
   */
  preload?: () => Promise<void>;
}

/** Bilingual text helper. */
export const t = (zh: string, en: string): LocalText => ({ 'zh-CN': zh, 'en-US': en });

/** What a basis needs of a context: the filters applied (a MetricContext, or a SQL backend's scope). */
export interface BasisContext {
  readonly filters: FilterClause[];
}

/** A basis with the filters of the context and defaults filled in. */
export function makeBasis(
  ctx: BasisContext,
  b: Omit<Basis, 'filters' | 'exclusions'> & Partial<Basis>,
): Basis {
  return { exclusions: [], ...b, filters: ctx.filters };
}

/** A quality block; `excluded` entries of 0 are dropped. */
export function makeQuality(
  rows: number,
  used: number,
  excluded: Record<string, number> = {},
  warnings: LocalText[] = [],
): ResultQuality {
  const ex: Record<string, number> = {};
  for (const [k, v] of Object.entries(excluded)) if (v > 0) ex[k] = v;
  return { rows, used, excluded: ex, warnings };
}

/** Assemble a result; an empty `data` gets the given (or a generic) empty reason. */
export function result<R>(
  data: R[],
  basis: Basis,
  quality: ResultQuality,
  meta?: Record<string, unknown>,
  empty?: LocalText,
): MetricResult<R> {
  const r: MetricResult<R> = { data, basis, quality };
  if (meta) r.meta = meta;
  if (data.length === 0) r.empty = empty ?? t('所选范围内没有数据', 'No data in the selected range');
  return r;
}

/**
 * Round to 14 significant digits (and at most 10 decimals): removes float noise from sums of
 * amounts (85914394.33000004 → 85914394.33) so JSON output is stable across row orders.
 */
export function r10(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x === 0 ? 0 : x;
  // Integers below 1e14 (counts, whole amounts) come back unchanged: skip the string round trip.
  if (Number.isInteger(x) && x < 1e14 && x > -1e14) return x;
  const p = Number(x.toPrecision(14));
  // Large amounts: 14 significant digits already fix the cents; scaling by 1e10 would reintroduce noise.
  return Math.abs(p) >= 1e4 ? p : Math.round(p * 1e10) / 1e10;
}

/** `a / b`, or null when b is 0 or either is not finite. */
export function ratio(a: number, b: number): number | null {
  if (!(b !== 0) || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  return r10(a / b);
}
