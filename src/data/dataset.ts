/**
 * The engine's columnar representation of one loaded dataset.
 *
 * Ingestion (any input: rows, CSV, JSON, Arrow, URL, Arquero table) ends in a `Dataset`: every
 * column typed once, strings dictionary-encoded, dates as numbers with period indexes precomputed.
 * Metrics loop over these typed arrays directly; no metric re-derives a month or parses a string
 * per row. `toArquero()` (src/data/arquero.ts) exposes the same columns as an Arquero table.
 */

/** Numeric column; `NaN` marks a missing value. */
export interface NumColumn {
  kind: 'num';
  data: Float64Array;
}

/**
 * Dictionary-encoded string column (categories, identifiers and PII alike). `codes[i] === -1`
 * marks a missing value; `dict[codes[i]]` is the exact string (identifiers never pass through
 * a JavaScript number).
 */
export interface CatColumn {
  kind: 'cat';
  codes: Int32Array;
  dict: string[];
}

/** Boolean column: 1 true, 0 false, -1 missing. */
export interface BoolColumn {
  kind: 'bool';
  data: Int8Array;
}

/**
 * Date or date-time column. `data` is the UTC epoch in ms of the instant (for a plain calendar
 * date: local midnight in the data's time zone). Period indexes are computed in the data's time
 * zone at load time; every index is -2147483648 (`NULL_INDEX`) where the value is missing.
 */
export interface DateColumn {
  kind: 'date';
  data: Float64Array;
  /** Whole days since 1970-01-01 in the data's time zone. */
  day: Int32Array;
  /** Calendar month index: `year * 12 + (month - 1)`. */
  month: Int32Array;
  /** ISO week index: days since the Monday of 1970-01-05's week, divided by 7 (floor). */
  week: Int32Array;
  /** Hour of day 0..23 (local); -1 missing. */
  hour: Int8Array;
  /** ISO weekday 1 (Monday)..7 (Sunday); -1 missing. */
  dow: Int8Array;
}

export type Column = NumColumn | CatColumn | BoolColumn | DateColumn;

export const NULL_INDEX = -2147483648;

/** The canonical dataset names of METRICS.md. */
export type DatasetName =
  | 'customers'
  | 'loans'
  | 'loan_months'
  | 'collection_actions'
  | 'transactions'
  | 'funnel_events'
  | 'campaign_spend';

export interface Dataset {
  /** Canonical (or host-chosen) dataset name. */
  name: string;
  /** Number of rows kept after validation. */
  n: number;
  /** Columns by canonical name. */
  cols: Record<string, Column>;
  /** IANA time zone the dates were interpreted in. */
  timeZone: string;
  /** Whether PII columns were masked at ingestion. */
  masked: boolean;
}

/** Month index → `YYYY-MM`. */
export function monthLabel(m: number): string {
  const y = Math.floor(m / 12);
  const mm = m - y * 12 + 1;
  return `${y}-${mm < 10 ? '0' : ''}${mm}`;
}

/** `YYYY-MM` or a Date-like string → month index, or NaN. */
export function parseMonth(s: string): number {
  const m = /^(\d{4})-(\d{1,2})/.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

/** Day index (days since epoch) → `YYYY-MM-DD`. */
export function dayLabel(d: number): string {
  return new Date(d * 86400000).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` → day index (days since epoch), or NaN. */
export function parseDay(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return NaN;
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86400000);
}

/** Value of row `i` of a column as plain JSON (string, number, boolean, ms epoch or null). */
export function cellValue(col: Column, i: number): string | number | boolean | null {
  switch (col.kind) {
    case 'num': {
      const v = col.data[i]!;
      return Number.isNaN(v) ? null : v;
    }
    case 'cat': {
      const c = col.codes[i]!;
      return c < 0 ? null : col.dict[c]!;
    }
    case 'bool': {
      const b = col.data[i]!;
      return b < 0 ? null : b === 1;
    }
    case 'date': {
      const v = col.data[i]!;
      return Number.isNaN(v) ? null : v;
    }
  }
}
