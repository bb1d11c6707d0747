/**
 * Row selection for filter clauses: each clause compiles to one tight typed-array pass (a lookup
 * table per dictionary code, a range test on a period index, a set test on numbers) instead of a
 * closure call per row and clause; the first clause scans the dataset, each further clause narrows
 * the list in place. Selections are shared by every query of a load through `SelectionCache`, so
 * the widgets of a dashboard that share filters select their rows once.
 *
 * Semantics are exactly those of `predicate()` in context.ts (which stays the reference and is
 * used where a single row test is needed); test/unit/engine/cube.test.ts checks both agree.
 */
import type { Column } from '../data/dataset.js';
import { NULL_INDEX, parseDay, parseMonth } from '../data/dataset.js';
import type { FilterClause } from './types.js';

/** A compiled clause: keeps the rows of `list[0..len)` (or of 0..n−1 when list is null) that pass. */
type Narrow = (list: Int32Array | null, len: number, out: Int32Array) => number;

const PART = /\.(month|day|week|hour|dow)$/;

/** Compile one clause on a resolved column into a narrowing pass. */
export function compileClause(col: Column, c: FilterClause, n: number): Narrow {
  const part = PART.exec(c.field)?.[1] as 'month' | 'day' | 'week' | 'hour' | 'dow' | undefined;
  if (col.kind === 'cat') {
    const wanted = new Set<string | null>(
      (c.op === 'in' ? c.value : c.op === 'eq' ? [c.value] : []).map((v) => (v === null ? null : String(v))),
    );
    // ok[code + 1]: code −1 (missing) at index 0.
    const ok = new Uint8Array(col.dict.length + 1);
    ok[0] = wanted.has(null) ? 1 : 0;
    if (c.op === 'range') {
      const [lo, hi] = c.value;
      ok[0] = 0;
      for (let k = 0; k < col.dict.length; k++) {
        const s = col.dict[k]!;
        ok[k + 1] = (lo === null || s >= String(lo)) && (hi === null || s <= String(hi)) ? 1 : 0;
      }
    } else for (let k = 0; k < col.dict.length; k++) ok[k + 1] = wanted.has(col.dict[k]!) ? 1 : 0;
    const codes = col.codes;
    return (list, len, out) => {
      let k = 0;
      if (list) {
        for (let j = 0; j < len; j++) {
          const i = list[j]!;
          if (ok[codes[i]! + 1] === 1) out[k++] = i;
        }
      } else for (let i = 0; i < n; i++) if (ok[codes[i]! + 1] === 1) out[k++] = i;
      return k;
    };
  }
  if (col.kind === 'bool') {
    const vals = c.op === 'in' ? c.value : c.op === 'eq' ? [c.value] : [];
    // ok[b + 1]: −1 missing, 0 false, 1 true
    const ok = new Uint8Array([
      vals.some((v) => v === null) ? 1 : 0,
      vals.some((v) => v === false || v === 0 || v === 'false') ? 1 : 0,
      vals.some((v) => v === true || v === 1 || v === 'true') ? 1 : 0,
    ]);
    const data = col.data;
    return (list, len, out) => {
      let k = 0;
      if (list) {
        for (let j = 0; j < len; j++) {
          const i = list[j]!;
          if (ok[data[i]! + 1] === 1) out[k++] = i;
        }
      } else for (let i = 0; i < n; i++) if (ok[data[i]! + 1] === 1) out[k++] = i;
      return k;
    };
  }
  if (col.kind === 'date') {
    const arr: Int32Array | Int8Array = part ? col[part] : col.day;
    const conv = (v: string | number | boolean | null, end: boolean): number => {
      if (v === null || typeof v === 'boolean') return NaN;
      if (part) return typeof v === 'string' ? (part === 'month' ? parseMonth(v) : Number(v)) : v;
      if (typeof v === 'number') return Math.floor(v / 86400000);
      if (/^\d{4}-\d{1,2}$/.test(v)) {
        const m = parseMonth(v);
        const y = Math.floor(m / 12);
        const mo = m - y * 12;
        return end
          ? Math.floor(Date.UTC(y, mo + 1, 1) / 86400000) - 1
          : Math.floor(Date.UTC(y, mo, 1) / 86400000);
      }
      return parseDay(v);
    };
    if (c.op === 'range') {
      const loV = conv(c.value[0], false);
      const hiV = conv(c.value[1], true);
      // NaN bound = open; missing (NULL_INDEX) and −1 never pass (as predicate()).
      const lo = Number.isNaN(loV) ? -Infinity : loV;
      const hi = Number.isNaN(hiV) ? Infinity : hiV;
      return (list, len, out) => {
        let k = 0;
        if (list) {
          for (let j = 0; j < len; j++) {
            const i = list[j]!;
            const d = arr[i]!;
            if (d !== NULL_INDEX && d !== -1 && d >= lo && d <= hi) out[k++] = i;
          }
        } else
          for (let i = 0; i < n; i++) {
            const d = arr[i]!;
            if (d !== NULL_INDEX && d !== -1 && d >= lo && d <= hi) out[k++] = i;
          }
        return k;
      };
    }
    const vals = new Set((c.op === 'in' ? c.value : [c.value]).map((v) => conv(v, false)));
    const one = vals.size === 1 ? [...vals][0]! : NaN;
    if (vals.size === 1 && !Number.isNaN(one)) {
      return (list, len, out) => {
        let k = 0;
        if (list) {
          for (let j = 0; j < len; j++) {
            const i = list[j]!;
            if (arr[i] === one) out[k++] = i;
          }
        } else for (let i = 0; i < n; i++) if (arr[i] === one) out[k++] = i;
        return k;
      };
    }
    return (list, len, out) => {
      let k = 0;
      if (list) {
        for (let j = 0; j < len; j++) {
          const i = list[j]!;
          if (vals.has(arr[i]!)) out[k++] = i;
        }
      } else for (let i = 0; i < n; i++) if (vals.has(arr[i]!)) out[k++] = i;
      return k;
    };
  }
  // numeric
  const data = col.data;
  if (c.op === 'range') {
    const lo = c.value[0] === null ? -Infinity : Number(c.value[0]);
    const hi = c.value[1] === null ? Infinity : Number(c.value[1]);
    return (list, len, out) => {
      let k = 0;
      if (list) {
        for (let j = 0; j < len; j++) {
          const i = list[j]!;
          const v = data[i]!;
          if (v >= lo && v <= hi) out[k++] = i;
        }
      } else
        for (let i = 0; i < n; i++) {
          const v = data[i]!;
          if (v >= lo && v <= hi) out[k++] = i;
        }
      return k;
    };
  }
  const vals = (c.op === 'in' ? c.value : [c.value]).map((v) => (v === null ? NaN : Number(v)));
  const nl = vals.some((v) => Number.isNaN(v));
  const set = new Set(vals.filter((v) => !Number.isNaN(v)));
  return (list, len, out) => {
    let k = 0;
    if (list) {
      for (let j = 0; j < len; j++) {
        const i = list[j]!;
        const v = data[i]!;
        if (v !== v ? nl : set.has(v)) out[k++] = i;
      }
    } else
      for (let i = 0; i < n; i++) {
        const v = data[i]!;
        if (v !== v ? nl : set.has(v)) out[k++] = i;
      }
    return k;
  };
}

/** Rows (ascending) of a dataset of `n` rows passing every compiled clause. */
export function selectRows(n: number, passes: Narrow[]): Int32Array {
  const buf = new Int32Array(n);
  let len = passes[0]!(null, n, buf);
  for (let p = 1; p < passes.length && len > 0; p++) len = passes[p]!(buf, len, buf);
  return buf.slice(0, len);
}

/** A row selection and the clauses that could not be applied to its dataset. */
export interface Selection {
  rows: Int32Array | null;
  skipped: FilterClause[];
}

/**
 * Selections of one load, shared by every query: key = dataset + the exact clause list. Dropped
 * with the load (the engine makes a new one whenever a dataset is loaded or unloaded). Bounded by
 * the total number of selected rows kept.
 */
export class SelectionCache {
  private readonly map = new Map<string, Selection>();
  private rowsKept = 0;
  constructor(private readonly maxRows = 64_000_000) {}

  get(key: string): Selection | undefined {
    const s = this.map.get(key);
    if (s) {
      // most recently used last
      this.map.delete(key);
      this.map.set(key, s);
    }
    return s;
  }

  set(key: string, s: Selection): void {
    const size = s.rows ? s.rows.length : 0;
    if (size > this.maxRows) return;
    const old = this.map.get(key);
    if (old) {
      this.rowsKept -= old.rows ? old.rows.length : 0;
      this.map.delete(key);
    }
    while (this.rowsKept + size > this.maxRows && this.map.size) {
      const [k, v] = this.map.entries().next().value as [string, Selection];
      this.map.delete(k);
      this.rowsKept -= v.rows ? v.rows.length : 0;
    }
    this.map.set(key, s);
    this.rowsKept += size;
  }
}
