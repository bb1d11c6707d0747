/**
 * Raw columns: what every reader (read/*) produces and what column planning and conversion
 * consume — one array per host column, before mapping and typing.
 */
import type { ColumnType } from './columns.js';
import type { CatColumn, NumColumn } from './dataset.js';
import type { TypedArray } from './ingest-types.js';
import type { QualityWarning } from './quality.js';

/** Raw columns read from an input, before mapping and typing. */
export interface RawTable {
  names: string[];
  columns: Map<string, ArrayLike<unknown>>;
  n: number;
  /** Types known from the source (Arrow dates and booleans, CSV schema dates). */
  hints: Map<string, ColumnType>;
  /** Columns already decoded to their schema type while reading (CSV). */
  prepared: Map<string, PreparedColumn>;
  /** Values are slices of one big text (flatten dictionary entries so it can be freed). */
  fromText: boolean;
  /** Date columns whose epoch numbers are a wall clock to place in the data's time zone (Arrow). */
  wallClock?: Set<string>;
  warnings: QualityWarning[];
}

/** A column decoded while reading (CSV), ready for its schema type. */
export interface PreparedColumn {
  type: ColumnType;
  /** `cat` → CatColumn; `num` and `date` (epoch ms) → NumColumn. */
  col: CatColumn | NumColumn;
  unparseable: number[];
  /** The original column (an Arrow dictionary column), when its exact values may still be needed. */
  source?: { toArray(): ArrayLike<unknown> };
}

/** Column types to decode while reading CSV: `(header names) → host column → type`. */
export type CsvTypes = (names: string[]) => Map<string, ColumnType>;

export function emptyRaw(): RawTable {
  return {
    names: [],
    columns: new Map(),
    n: 0,
    hints: new Map(),
    prepared: new Map(),
    fromText: false,
    warnings: [],
  };
}

export function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

export function isArrayLikeColumn(v: unknown): v is readonly unknown[] | TypedArray {
  return Array.isArray(v) || isTypedArray(v);
}

/** Raw values of a host column (decoding a prepared category column when needed). */
export function rawValues(raw: RawTable, host: string): ArrayLike<unknown> {
  const v = raw.columns.get(host);
  if (v) return v;
  const p = raw.prepared.get(host);
  if (p?.source) {
    const values = p.source.toArray();
    raw.columns.set(host, values);
    return values;
  }
  if (p && p.col.kind === 'cat') {
    const { codes, dict } = p.col;
    const out = new Array<string | null>(codes.length);
    for (let i = 0; i < codes.length; i++) out[i] = codes[i]! < 0 ? null : dict[codes[i]!]!;
    raw.columns.set(host, out);
    return out;
  }
  return [];
}
