import type { CatColumn, Column, Dataset } from '../data/dataset.js';
import { NULL_INDEX, parseDay, parseMonth } from '../data/dataset.js';
import { FinError } from './errors.js';
import type { FilterClause, MetricResult } from './types.js';

/**
 * Links between canonical datasets, used to resolve a field a dataset lacks through its key
 * (e.g. `loan_months.region` through `loan_id → loans.region`). Resolved columns are built once
 * per load and cached, so filters and group-bys on joined attributes cost one typed-array gather.
 */
const LINKS: Array<{ key: string; target: string }> = [
  { key: 'loan_id', target: 'loans' },
  { key: 'customer_id', target: 'customers' },
];

/** Everything a metric reads: datasets, resolved columns and the filtered row sets. */
export class MetricContext {
  readonly filters: FilterClause[];
  private readonly datasets: Map<string, Dataset>;
  private readonly joinCache: Map<string, Map<string, Column | null>>;
  private readonly rowCache = new Map<string, Int32Array | null>();
  /** Filter clauses that could not be applied to a dataset (field unresolvable), by dataset. */
  readonly unapplied = new Map<string, FilterClause[]>();
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
  ) {
    this.datasets = datasets;
    this.filters = filters;
    this.joinCache = joinCache;
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
      resolved = gather(keyCol, targetKey, targetCol, ds.n);
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
    const clauses = [...this.filters, ...extra];
    const cacheKey = `${name}\u0000${JSON.stringify(extra)}`;
    if (this.rowCache.has(cacheKey)) return this.rowCache.get(cacheKey)!;
    const ds = this.dataset(name);
    const preds: Array<(i: number) => boolean> = [];
    const skipped: FilterClause[] = [];
    for (const c of clauses) {
      const col = this.tryCol(name, c.field.replace(/\.(month|day|week|hour|dow)$/, ''));
      if (!col) {
        skipped.push(c);
        continue;
      }
      preds.push(predicate(col, c));
    }
    if (skipped.length) this.unapplied.set(name, skipped);
    let out: Int32Array | null = null;
    if (preds.length) {
      const buf = new Int32Array(ds.n);
      let k = 0;
      outer: for (let i = 0; i < ds.n; i++) {
        for (const p of preds) if (!p(i)) continue outer;
        buf[k++] = i;
      }
      out = buf.slice(0, k);
    }
    this.rowCache.set(cacheKey, out);
    return out;
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

function gather(key: CatColumn, targetKey: CatColumn, target: Column, n: number): Column {
  // Map each source key code to a target row once (dictionary size), then gather per row.
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
  const rowOf = (i: number): number => {
    const c = key.codes[i]!;
    return c < 0 ? -1 : codeToRow[c]!;
  };
  switch (target.kind) {
    case 'num': {
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const r = rowOf(i);
        data[i] = r < 0 ? NaN : target.data[r]!;
      }
      return { kind: 'num', data };
    }
    case 'bool': {
      const data = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const r = rowOf(i);
        data[i] = r < 0 ? -1 : target.data[r]!;
      }
      return { kind: 'bool', data };
    }
    case 'cat': {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const r = rowOf(i);
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
        const r = rowOf(i);
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
