import type { CatColumn, Column, Dataset } from '../data/dataset.js';
import { NULL_INDEX, parseDay, parseMonth } from '../data/dataset.js';
import { FinError } from './errors.js';
import { LINKS } from './links.js';
import { compileClause, selectRows } from './selection.js';
import type { Selection, SelectionCache } from './selection.js';
import type { FilterClause, MetricResult } from './types.js';

// Resolved columns (through LINKS) are built once per load and cached, so filters and group-bys on
// joined attributes cost one typed-array gather.

/** Everything a metric reads: datasets, resolved columns and the filtered row sets. */
export class MetricContext {
  readonly filters: FilterClause[];
  private readonly datasets: Map<string, Dataset>;
  private readonly joinCache: Map<string, Map<string, Column | null>>;
  private readonly rowCache = new Map<string, Int32Array | null>();
  /** Selections shared by every query of the load (set by the engine). */
  private readonly selections: SelectionCache | null;
  /** Filter clauses that could not be applied to a dataset (field unresolvable), by dataset. */
  readonly unapplied = new Map<string, FilterClause[]>();
  /**
   * Clauses (as JSON) that must apply on every dataset the query reads: a server's row-level
   * policy. Where one cannot be resolved, `rows()` refuses with `forbidden` instead of skipping it,
   * so a policy filter can never silently fall away (null: skip unresolvable clauses, as always).
   */
  required: ReadonlySet<string> | null = null;
  /**
   * Run another metric with the same datasets and filters (set by the engine). Lets composite
   * metrics (a KPI over the series of `entry_rate`) reuse a metric instead of re-implementing it.
   */
  runMetric: (metric: string, params?: Record<string, unknown>, source?: string) => MetricResult = (m) => {
    throw new FinError('unknown_metric', `Metric "${m}" is not available in this context`, { metric: m });
  };

  constructor(
    datasets: Map<string, Dataset>,
    filters: FilterClause[] = [],
    joinCache: Map<string, Map<string, Column | null>> = new Map(),
    selections: SelectionCache | null = null,
  ) {
    this.datasets = datasets;
    this.filters = filters;
    this.joinCache = joinCache;
    this.selections = selections;
  }

  has(name: string): boolean {
    const d = this.datasets.get(name);
    return d !== undefined;
  }

  /** The dataset, or a `missing_dataset` error naming it. */
  dataset(name: string): Dataset {
    const d = this.datasets.get(name);
    if (!d) {
      throw new FinError('missing_dataset', `Dataset "${name}" is not loaded`, {
        dataset: name,
        loaded: [...this.datasets.keys()],
      });
    }
    return d;
  }

  /** Resolve `field` on dataset `name`, directly or through a key link; null when impossible. */
  tryCol(name: string, field: string): Column | null {
    const ds = this.dataset(name);
    const own = Object.hasOwn(ds.cols, field) ? ds.cols[field] : undefined;
    if (own) return own;
    let perDs = this.joinCache.get(name);
    if (!perDs) {
      perDs = new Map();
      this.joinCache.set(name, perDs);
    }
    if (perDs.has(field)) return perDs.get(field)!;
    let resolved: Column | null = null;
    for (const link of LINKS) {
      if (link.target === name) continue;
      const keyCol = ds.cols[link.key];
      const target = this.datasets.get(link.target);
      if (!keyCol || keyCol.kind !== 'cat' || !target) continue;
      const targetKey = target.cols[link.key];
      if (!targetKey || targetKey.kind !== 'cat') continue;
      const targetCol = (Object.hasOwn(target.cols, field) ? target.cols[field] : undefined) ?? (link.target === 'loans' ? this.tryCol('loans', field) : null);
      if (!targetCol) continue;
      resolved = gather(linkRows(perDs, link.key, keyCol, targetKey), targetCol, ds.n);
      break;
    }
    perDs.set(field, resolved);
    return resolved;
  }

  /** Resolve a column or fail with `missing_column`. */
  col(name: string, field: string): Column {
    const c = this.tryCol(name, field);
    if (!c) {
      throw new FinError('missing_column', `Column "${field}" is not available on "${name}"`, {
        dataset: name,
        column: field,
      });
    }
    return c;
  }

  /**
   * Row indexes of `name` passing every filter clause that the dataset can resolve, or null when
   * no clause applies (all rows). Clauses on unresolvable fields are recorded in `unapplied`.
   * `extra` clauses (a metric's own) are applied too; `skipFields` are ignored (crossfilter).
   */
  rows(name: string, extra: FilterClause[] = []): Int32Array | null {
    const cacheKey = `${name}\u0000${JSON.stringify(extra)}`;
    if (this.rowCache.has(cacheKey)) return this.rowCache.get(cacheKey)!;
    const clauses = [...this.filters, ...extra];
    const sel = this.selection(name, clauses);
    if (sel.skipped.length) {
      const req = this.required;
      if (req && sel.skipped.some((c) => req.has(JSON.stringify(c)))) {
        throw new FinError('forbidden', `A row-level policy filter cannot be applied to "${name}"`, { dataset: name });
      }
      this.unapplied.set(name, sel.skipped);
    }
    this.rowCache.set(cacheKey, sel.rows);
    return sel.rows;
  }

  /**
   * The selection of `clauses` on `name`, from the load's shared cache when another query (or a
   * prefix of this clause list) already computed it; each clause is one typed-array pass.
   */
  private selection(name: string, clauses: FilterClause[]): Selection {
    const ds = this.dataset(name);
    const cache = this.selections;
    const keyOf = (k: number): string => `${name}\u0000${JSON.stringify(clauses.slice(0, k))}`;
    const full = cache ? keyOf(clauses.length) : '';
    const hit = cache?.get(full);
    if (hit) return hit;
    // Start from the longest cached prefix (e.g. the global filters, then one more clause).
    let start = 0;
    let base: Selection = { rows: null, skipped: [] };
    if (cache) {
      for (let k = clauses.length - 1; k > 0; k--) {
        const pre = cache.get(keyOf(k));
        if (pre) {
          start = k;
          base = pre;
          break;
        }
      }
    }
    const skipped = base.skipped.slice();
    let rows = base.rows;
    for (let q = start; q < clauses.length; q++) {
      const c = clauses[q]!;
      const col = this.tryCol(name, c.field.replace(/\.(month|day|week|hour|dow)$/, ''));
      if (!col) {
        skipped.push(c);
        continue;
      }
      const pass = compileClause(col, c, ds.n);
      if (rows) {
        const out = new Int32Array(rows.length);
        rows = out.slice(0, pass(rows, rows.length, out));
      } else rows = selectRows(ds.n, [pass]);
    }
    const sel: Selection = { rows, skipped };
    cache?.set(full, sel);
    return sel;
  }

  /** Number of rows `rows()` selects. */
  count(name: string, extra: FilterClause[] = []): number {
    const r = this.rows(name, extra);
    return r ? r.length : this.dataset(name).n;
  }
}

/** Iterate the selected rows (all when `rows` is null). */
export function forRows(n: number, rows: Int32Array | null, fn: (i: number) => void): void {
  if (rows) for (let k = 0; k < rows.length; k++) fn(rows[k]!);
  else for (let i = 0; i < n; i++) fn(i);
}

/** Per load and dataset: for a link key, the target row of every source row (−1 none). */
const LINK_ROWS = new WeakMap<Map<string, Column | null>, Map<string, Int32Array>>();

function linkRows(perDs: Map<string, Column | null>, linkKey: string, key: CatColumn, targetKey: CatColumn): Int32Array {
  let byLink = LINK_ROWS.get(perDs);
  if (!byLink) {
    byLink = new Map();
    LINK_ROWS.set(perDs, byLink);
  }
  let rows = byLink.get(linkKey);
  if (rows) return rows;
  // Map each source key code to a target row once (dictionary size), then one gather per row.
  const byKey = new Map<string, number>();
  for (let r = 0; r < targetKey.codes.length; r++) {
    const c = targetKey.codes[r]!;
    if (c >= 0) {
      const k = targetKey.dict[c]!;
      if (!byKey.has(k)) byKey.set(k, r);
    }
  }
  const codeToRow = new Int32Array(key.dict.length);
  for (let c = 0; c < key.dict.length; c++) codeToRow[c] = byKey.get(key.dict[c]!) ?? -1;
  const codes = key.codes;
  rows = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    rows[i] = c < 0 ? -1 : codeToRow[c]!;
  }
  byLink.set(linkKey, rows);
  return rows;
}

function gather(rowOfI: Int32Array, target: Column, n: number): Column {
  switch (target.kind) {
    case 'num': {
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const r = rowOfI[i]!;
        data[i] = r < 0 ? NaN : target.data[r]!;
      }
      return { kind: 'num', data };
    }
    case 'bool': {
      const data = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const r = rowOfI[i]!;
        data[i] = r < 0 ? -1 : target.data[r]!;
      }
      return { kind: 'bool', data };
    }
    case 'cat': {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const r = rowOfI[i]!;
        codes[i] = r < 0 ? -1 : target.codes[r]!;
      }
      return { kind: 'cat', codes, dict: target.dict };
    }
    case 'date': {
      const data = new Float64Array(n);
      const day = new Int32Array(n);
      const month = new Int32Array(n);
      const week = new Int32Array(n);
      const hour = new Int8Array(n);
      const dow = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const r = rowOfI[i]!;
        if (r < 0) {
          data[i] = NaN;
          day[i] = month[i] = week[i] = NULL_INDEX;
          hour[i] = dow[i] = -1;
        } else {
          data[i] = target.data[r]!;
          day[i] = target.day[r]!;
          month[i] = target.month[r]!;
          week[i] = target.week[r]!;
          hour[i] = target.hour[r]!;
          dow[i] = target.dow[r]!;
        }
      }
      return { kind: 'date', data, day, month, week, hour, dow };
    }
  }
}

/** Compile one clause into a row predicate over typed arrays (no code strings, no eval). */
export function predicate(col: Column, c: FilterClause): (i: number) => boolean {
  const part = /\.(month|day|week|hour|dow)$/.exec(c.field)?.[1] as
    | 'month'
    | 'day'
    | 'week'
    | 'hour'
    | 'dow'
    | undefined;
  if (col.kind === 'cat') {
    const wanted = new Set<string | null>(
      (c.op === 'in' ? c.value : c.op === 'eq' ? [c.value] : []).map((v) => (v === null ? null : String(v))),
    );
    const ok = new Uint8Array(col.dict.length);
    col.dict.forEach((s, k) => (ok[k] = wanted.has(s) ? 1 : 0));
    const nullOk = wanted.has(null);
    if (c.op === 'range') {
      const [lo, hi] = c.value;
      col.dict.forEach((s, k) => {
        ok[k] = (lo === null || s >= String(lo)) && (hi === null || s <= String(hi)) ? 1 : 0;
      });
    }
    return (i) => {
      const k = col.codes[i]!;
      return k < 0 ? nullOk : ok[k] === 1;
    };
  }
  if (col.kind === 'bool') {
    const vals = c.op === 'in' ? c.value : c.op === 'eq' ? [c.value] : [];
    const t = vals.some((v) => v === true || v === 1 || v === 'true');
    const f = vals.some((v) => v === false || v === 0 || v === 'false');
    const nl = vals.some((v) => v === null);
    return (i) => {
      const b = col.data[i]!;
      return b < 0 ? nl : b === 1 ? t : f;
    };
  }
  if (col.kind === 'date') {
    const arr: ArrayLike<number> = part ? col[part] : col.day;
    const conv = (v: string | number | boolean | null, end: boolean): number => {
      if (v === null || typeof v === 'boolean') return NaN;
      if (part) return typeof v === 'string' ? (part === 'month' ? parseMonth(v) : Number(v)) : v;
      if (typeof v === 'number') return Math.floor(v / 86400000);
      if (/^\d{4}-\d{1,2}$/.test(v)) {
        const m = parseMonth(v);
        const y = Math.floor(m / 12);
        const mo = m - y * 12;
        return end ? Math.floor(Date.UTC(y, mo + 1, 1) / 86400000) - 1 : Math.floor(Date.UTC(y, mo, 1) / 86400000);
      }
      return parseDay(v);
    };
    if (c.op === 'range') {
      const lo = conv(c.value[0], false);
      const hi = conv(c.value[1], true);
      return (i) => {
        const d = arr[i]!;
        if (d === NULL_INDEX || d === -1) return false;
        return (Number.isNaN(lo) || d >= lo) && (Number.isNaN(hi) || d <= hi);
      };
    }
    const vals = new Set((c.op === 'in' ? c.value : [c.value]).map((v) => conv(v, false)));
    return (i) => vals.has(arr[i]!);
  }
  // numeric
  const data = col.data;
  if (c.op === 'range') {
    const lo = c.value[0] === null ? -Infinity : Number(c.value[0]);
    const hi = c.value[1] === null ? Infinity : Number(c.value[1]);
    return (i) => {
      const v = data[i]!;
      return v >= lo && v <= hi;
    };
  }
  const vals = (c.op === 'in' ? c.value : [c.value]).map((v) => (v === null ? NaN : Number(v)));
  const nl = vals.some((v) => Number.isNaN(v));
  const set = new Set(vals.filter((v) => !Number.isNaN(v)));
  return (i) => {
    const v = data[i]!;
    return Number.isNaN(v) ? nl : set.has(v);
  };
}
