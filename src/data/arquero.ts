/**
 * Bridges between the columnar `Dataset` and Arquero tables.
 *
 * `toArquero(ds)` exposes a dataset's columns as an Arquero `ColumnTable` for ad-hoc verbs;
 * `columnsOfArquero(table)` reads a host's Arquero (or Arrow-backed) table into raw columns for
 * `ingest` (which is the only way in: `fromArquero` is `ingest(name, table, opts)`).
 */
import { ColumnTable } from 'arquero';
import type { ColumnType } from './columns.js';
import type { Column, Dataset } from './dataset.js';
import { NULL_INDEX } from './dataset.js';

/** The part of an Arquero table that ingestion reads (structural, so any 8.x table fits). */
export interface ArqueroLike {
  columnNames(): string[];
  numRows(): number;
  column(name: string): unknown;
  array(name: string): ArrayLike<unknown>;
  isFiltered?(): boolean;
  isOrdered?(): boolean;
}

/** Detect an Arquero table (duck-typed: `typeof x.columnNames === 'function'`). */
export function isArqueroTable(x: unknown): x is ArqueroLike {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as { columnNames?: unknown }).columnNames === 'function' &&
    typeof (x as { numRows?: unknown }).numRows === 'function'
  );
}

// flechette / Apache Arrow type ids
const ARROW_BOOL = 6;
const ARROW_DATE = 8;
const ARROW_TIMESTAMP = 10;

/** Raw column arrays of an Arquero table (respecting its filter and order), with type hints. */
export function columnsOfArquero(t: ArqueroLike): {
  names: string[];
  columns: Map<string, ArrayLike<unknown>>;
  n: number;
  hints: Map<string, ColumnType>;
} {
  const names = t.columnNames().map(String);
  const n = t.numRows();
  const plain = !(t.isFiltered?.() ?? false) && !(t.isOrdered?.() ?? false);
  const columns = new Map<string, ArrayLike<unknown>>();
  const hints = new Map<string, ColumnType>();
  for (const name of names) {
    const col = t.column(name) as
      | { toArray?: () => ArrayLike<unknown>; type?: { typeId?: number }; length?: number }
      | ArrayLike<unknown>
      | undefined;
    let values: ArrayLike<unknown> | undefined;
    if (plain && col) {
      if (Array.isArray(col) || (ArrayBuffer.isView(col) && !(col instanceof DataView)))
        values = col as ArrayLike<unknown>;
      else if (typeof (col as { toArray?: unknown }).toArray === 'function') {
        values = (col as { toArray: () => ArrayLike<unknown> }).toArray();
      }
    }
    values ??= t.array(name);
    columns.set(name, values);
    const typeId = (col as { type?: { typeId?: number } } | undefined)?.type?.typeId;
    if (typeId === ARROW_DATE || typeId === ARROW_TIMESTAMP) hints.set(name, 'date');
    else if (typeId === ARROW_BOOL) hints.set(name, 'bool');
  }
  return { names, columns, n, hints };
}

export interface ToArqueroOptions {
  /** Period index columns to add next to each date column (`<col>_month` …). Default `['month']`. */
  periods?: Array<'day' | 'week' | 'month'>;
}

/**
 * An Arquero table over a dataset's columns: `cat` → string arrays (null missing), `num` →
 * Float64Array (NaN missing, which Arquero's aggregates skip), `bool` → true/false/null,
 * `date` → Float64Array of epoch ms plus a `<col>_month` month-index column (NaN missing).
 * A column literally named `__proto__` is left out (Arquero keeps columns in a plain object).
 */
export function toArquero(ds: Dataset, opts: ToArqueroOptions = {}): ColumnTable {
  const periods = opts.periods ?? ['month'];
  const data: Record<string, ArrayLike<unknown>> = Object.create(null) as Record<string, ArrayLike<unknown>>;
  const names: string[] = [];
  const add = (name: string, values: ArrayLike<unknown>): void => {
    if (name === '__proto__' || Object.hasOwn(data, name)) return;
    data[name] = values;
    names.push(name);
  };
  const own = Object.keys(ds.cols);
  for (const name of own) add(name, columnValues(ds.cols[name]!));
  for (const name of own) {
    const col = ds.cols[name]!;
    if (col.kind !== 'date') continue;
    for (const p of periods) {
      const idx = col[p];
      const out = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) {
        const v = idx[i]!;
        out[i] = v === NULL_INDEX ? NaN : v;
      }
      if (!own.includes(`${name}_${p}`)) add(`${name}_${p}`, out);
    }
  }
  // The constructor copies `data` with object spread (own keys only), never through setters.
  return new ColumnTable(data as never, names);
}

/** Plain values of one column in Arquero's terms. */
export function columnValues(col: Column): ArrayLike<unknown> {
  switch (col.kind) {
    case 'num':
      return col.data;
    case 'date':
      return col.data;
    case 'cat': {
      const out = new Array<string | null>(col.codes.length);
      const { codes, dict } = col;
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i]!;
        out[i] = c < 0 ? null : dict[c]!;
      }
      return out;
    }
    case 'bool': {
      const out = new Array<boolean | null>(col.data.length);
      for (let i = 0; i < col.data.length; i++) {
        const b = col.data[i]!;
        out[i] = b < 0 ? null : b === 1;
      }
      return out;
    }
  }
}
