/**
 * Grouped evaluation of cube cells (docs/performance.md, 8): the cells of one dimension set (every
 * region, say) evaluated by one call of a metric's `runGrouped` instead of one `run` per cell.
 *
 * A cell's rows are the base selection's rows with the cell's value combination, so the cells of a
 * set partition the base selection: every row belongs to at most one cell, on every dataset on
 * which the dimensions resolve. `groupOf(name)` gives that cell per row index, computed once per
 * set and dataset; a grouped kernel then reads each dataset in one ascending pass and keeps one
 * accumulator per cell, or shares row-indexed scratch between the cells (no cell reads another
 * cell's rows). Each cell's selection is ascending too, so a cell's sums run over its rows in the
 * same order as on the raw path: the results are bit-identical, not merely close.
 */
import type { MetricContext } from './context.js';
import type { FilterClause } from './types.js';

/** The cells of one dimension set, as a grouped kernel sees them. */
export interface CellGroups {
  /**
   * One context per cell, in cell order: its filters are the cell's (base filters and the pinned
   * values), `rows(name)` its own rows; results are built on it (basis.filters, runMetric).
   */
  readonly cells: readonly MetricContext[];
  /** The context of the base filters alone (the rows every cell is a part of). */
  readonly base: MetricContext;
  /**
   * For dataset `name`: per row index, the cell whose selection holds the row, −1 when none (not
   * in the base selection, a missing or other value). Null when a dimension does not resolve on
   * `name` or a base filter cannot apply there: the cells then do not partition its rows, and a
   * kernel that needs the partition must decline (return null).
   */
  groupOf(name: string): Int32Array | null;
}

/** What `cellGroups` needs: a context factory and the set's cells. */
export interface CellGroupsInput {
  /** A context with these filters (the engine's, sharing its joins and selections). */
  context: (filters: FilterClause[]) => MetricContext;
  baseFilters: FilterClause[];
  /** The dimensions of the set, and per dimension the values its cells pin. */
  set: readonly string[];
  values: ReadonlyArray<readonly string[]>;
  /** The filters of every cell: one per value combination, the first dimension outermost. */
  cellFilters: FilterClause[][];
  /** `groupOf` answers shared by the requests of one set (key: dataset and values). */
  cache?: Map<string, Int32Array | null>;
}

/** The cells of a dimension set with their per-row cell index, computed on first use per dataset. */
export function cellGroups(input: CellGroupsInput): CellGroups {
  const { set, values } = input;
  const base = input.context(input.baseFilters);
  const cells = input.cellFilters.map((f) => input.context(f));
  const cache = input.cache ?? new Map<string, Int32Array | null>();
  return {
    cells,
    base,
    groupOf(name: string): Int32Array | null {
      const key = JSON.stringify([name, values]);
      if (!cache.has(key)) cache.set(key, partition(base, name, set, values));
      return cache.get(key)!;
    },
  };
}

/** Cell index (mixed radix over `values`, first dimension outermost) of every base row of `name`. */
function partition(
  base: MetricContext,
  name: string,
  set: readonly string[],
  values: ReadonlyArray<readonly string[]>,
): Int32Array | null {
  if (!base.has(name)) return null;
  const cols = set.map((d) => base.tryCol(name, d));
  const cats: Array<{ codes: Int32Array; toValue: Int32Array; size: number }> = [];
  for (let d = 0; d < set.length; d++) {
    const c = cols[d];
    if (!c || c.kind !== 'cat') return null;
    // dictionary code → index of its string among the set's values (−1: no cell has it)
    const index = new Map<string, number>();
    values[d]!.forEach((v, k) => {
      if (!index.has(v)) index.set(v, k);
    });
    const toValue = new Int32Array(c.dict.length);
    for (let k = 0; k < c.dict.length; k++) toValue[k] = index.get(c.dict[k]!) ?? -1;
    cats.push({ codes: c.codes, toValue, size: values[d]!.length });
  }
  const rows = base.rows(name);
  if (base.unapplied.get(name)?.length) return null;
  const n = base.dataset(name).n;
  const out = new Int32Array(n).fill(-1);
  combinationCodes(
    cats.map((c) => c.codes),
    cats.map((c) => c.toValue),
    cats.map((c) => c.size),
    rows,
    rows ? rows.length : n,
    out,
    true,
  );
  return out;
}

/**
 * The cell of each base row (row `rows[k]`, or k when `rows` is null): the mixed-radix code of its
 * values over the dimensions (first outermost), where `maps[d]` turns a dictionary code into its
 * index among dimension d's `sizes[d]` values; −1 when a value is missing or has no index. Written
 * at the row index (`byRow`) or at the position k. One pass, a plain loop for one dimension.
 */
export function combinationCodes(
  codes: Int32Array[],
  maps: Int32Array[],
  sizes: number[],
  rows: Int32Array | null,
  count: number,
  out: Int32Array,
  byRow: boolean,
): void {
  if (codes.length === 1) {
    const c0 = codes[0]!;
    const m0 = maps[0]!;
    for (let k = 0; k < count; k++) {
      const i = rows ? rows[k]! : k;
      const code = c0[i]!;
      out[byRow ? i : k] = code < 0 ? -1 : m0[code]!;
    }
    return;
  }
  for (let k = 0; k < count; k++) {
    const i = rows ? rows[k]! : k;
    let cell = 0;
    for (let d = 0; d < codes.length; d++) {
      const code = codes[d]![i]!;
      const v = code < 0 ? -1 : maps[d]![code]!;
      if (v < 0) {
        cell = -1;
        break;
      }
      cell = cell * sizes[d]! + v;
    }
    out[byRow ? i : k] = cell;
  }
}

/**
 * Counting sort of the base rows by cell: `order` holds the rows of cell c (ascending) at
 * `counts[c] .. counts[c + 1]`; `cellOf[k]` is the cell of the k-th base row (`rows[k]`, or k when
 * `rows` is null), −1 for none. Its own function, so that its loops are optimised once for every
 * dataset of a seeding (inside the seeding's loop over datasets they ran in the interpreter for
 * the first large one).
 */
export function sortByCell(
  cellOf: Int32Array,
  cellsN: number,
  rows: Int32Array | null,
): { counts: Int32Array; order: Int32Array } {
  const n = cellOf.length;
  const counts = new Int32Array(cellsN + 1);
  for (let k = 0; k < n; k++) {
    const cell = cellOf[k]!;
    if (cell >= 0) counts[cell + 1]!++;
  }
  for (let c = 0; c < cellsN; c++) counts[c + 1]! += counts[c]!;
  const order = new Int32Array(counts[cellsN]!);
  const pos = counts.slice(0, cellsN);
  for (let k = 0; k < n; k++) {
    const cell = cellOf[k]!;
    if (cell >= 0) order[pos[cell]!++] = rows ? rows[k]! : k;
  }
  return { counts, order };
}

/** The code → code map of a dictionary of `size` entries. */
export function identityMap(size: number): Int32Array {
  const m = new Int32Array(size);
  for (let c = 0; c < size; c++) m[c] = c;
  return m;
}
