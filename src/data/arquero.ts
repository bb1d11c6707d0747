/**
 * Bridges between the columnar `Dataset` and Arquero tables.
 *
 * `toArquero(ds)` exposes a dataset's columns as an Arquero `ColumnTable` for ad-hoc verbs;
 * `columnsOfArquero(table)` reads a host's Arquero (or Arrow-backed) table into raw columns for
 * `ingest` (which is the only way in: `fromArquero` is `ingest(name, table, opts)`).
 */
import type { ColumnType } from './columns.js';
import type { Column } from './dataset.js';

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

/**
 * A dictionary-encoded Arrow column: either as flechette decodes it (typeId −1; per batch, integer
 * keys into the batch's dictionary and a validity bitmap) or as Arquero 8 wraps it (`fromArrow`:
 * per-row keys, nulls as key `size`, and a key → value getter). Ingestion encodes it from the
 * keys, without decoding a string per row.
 */
export interface ArrowDictionaryColumn {
  length: number;
  type?: { typeId?: number };
  data?: ReadonlyArray<{
    length: number;
    nullCount: number;
    values: ArrayLike<number>;
    isValid(index: number): boolean;
    cache?: ArrayLike<unknown>;
    dictionary?: { toArray(): ArrayLike<unknown> };
  }>;
  groups?(names: string[]): { keys: ArrayLike<number>; get: Array<(key: number) => unknown>; size: number };
  toArray(): ArrayLike<unknown>;
}

// flechette / Apache Arrow type id of dictionary-encoded columns
const ARROW_DICTIONARY = -1;

function isDictionaryColumn(c: unknown): c is ArrowDictionaryColumn {
  if (c === null || typeof c !== 'object' || typeof (c as ArrowDictionaryColumn).toArray !== 'function')
    return false;
  const d = c as ArrowDictionaryColumn & { keyFor?: unknown };
  if (d.type?.typeId === ARROW_DICTIONARY && Array.isArray(d.data)) return true;
  return typeof d.groups === 'function' && typeof d.keyFor === 'function';
}

/** Arrays decoded here from Arrow buffers: fresh, owned by ingestion, safe to validate in place. */
const DECODED = new WeakSet<object>();

/**
 * Typed arrays of Arrow IPC bytes the host handed to ingestion (views of those bytes, or arrays the
 * decoder filled): ingestion may keep them as column data without a copy — as Arquero's
 * `fromArrow` and flechette's `tableFromIPC` do — but must never write to them.
 */
const ADOPTABLE = new WeakSet<object>();

/** Mark `a` as adoptable (see ADOPTABLE). */
export function markAdoptable(a: object): void {
  ADOPTABLE.add(a);
}

/** Mark `a` as decoded here, owned by ingestion (see DECODED). */
export function markDecoded(a: object): void {
  DECODED.add(a);
}

/** Whether `a` may become column data as it is (read-only; see ADOPTABLE). */
export function isAdoptableArray(a: object): boolean {
  return ADOPTABLE.has(a);
}

/** Whether `a` is an array this module decoded (see DECODED). */
export function isDecodedArray(a: object): boolean {
  return DECODED.has(a);
}

/**
 * Whether an Arrow column holds wall-clock values: dates (calendar days) and timestamps without a
 * time zone ("naive"). Their epoch numbers are the wall clock read as UTC; ingestion places them in
 * the data's time zone, as it does the same text in a CSV file.
 */
function isWallClock(col: unknown): boolean {
  const t = (col as { type?: { typeId?: number; timezone?: string | null } } | null)?.type;
  if (!t) return false;
  return t.typeId === ARROW_DATE || (t.typeId === ARROW_TIMESTAMP && !t.timezone);
}

/**
 * Raw column arrays of an Arquero table (respecting its filter and order), with type hints.
 * Dictionary-encoded Arrow columns of an unfiltered table are returned in `dictionaries` instead of
 * `columns` when `dictionaries` is requested (ingestion encodes them from their keys).
 */
/** Raw columns of an Arquero table or Arrow IPC bytes, before conversion to the canonical schema. */
export interface RawColumns {
  names: string[];
  columns: Map<string, ArrayLike<unknown>>;
  n: number;
  hints: Map<string, ColumnType>;
  /** Dictionary-encoded Arrow columns (encoded from their keys by ingestion). */
  dictionaries: Map<string, ArrowDictionaryColumn>;
  /** Date columns whose epoch numbers are a wall clock (Arrow dates, zone-less timestamps). */
  wallClock: Set<string>;
}

export function columnsOfArquero(t: ArqueroLike, opts: { dictionaries?: boolean } = {}): RawColumns {
  const names = t.columnNames().map(String);
  const n = t.numRows();
  const plain = !(t.isFiltered?.() ?? false) && !(t.isOrdered?.() ?? false);
  const columns = new Map<string, ArrayLike<unknown>>();
  const hints = new Map<string, ColumnType>();
  const dictionaries = new Map<string, ArrowDictionaryColumn>();
  const wallClock = new Set<string>();
  for (const name of names) {
    const col = t.column(name) as
      | { toArray?: () => ArrayLike<unknown>; type?: { typeId?: number }; length?: number }
      | ArrayLike<unknown>
      | undefined;
    const typeId = (col as { type?: { typeId?: number } } | undefined)?.type?.typeId;
    if (opts.dictionaries && plain && isDictionaryColumn(col) && col.length === n) {
      dictionaries.set(name, col);
      continue;
    }
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
    if (typeId === ARROW_DATE || typeId === ARROW_TIMESTAMP) hints.set(name, 'date');
    else if (typeId === ARROW_BOOL) hints.set(name, 'bool');
    if (opts.dictionaries && isWallClock(col)) wallClock.add(name);
    if (opts.dictionaries && ArrayBuffer.isView(values) && !DECODED.has(values)) ADOPTABLE.add(values);
  }
  return { names, columns, n, hints, dictionaries, wallClock };
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
