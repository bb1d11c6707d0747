/** The public types of ingestion: what `ingest` accepts, its options and its result. */
import type { ArqueroLike } from './arquero.js';
import type { Dataset } from './dataset.js';
import type { DateRangeOption } from './date-range.js';
import type { MaskRules } from './mask.js';
import type { DataQualityReport } from './quality.js';
import type { DatasetSchema } from './schemas.js';

export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** Columnar input: one array per column (the sample generator's form). */
export type ColumnarInput = Record<string, readonly unknown[] | TypedArray>;

export interface UrlInput {
  url: string;
}

/**
 * Everything `ingest` accepts: row objects; arrays of arrays (first row = header unless
 * `opts.columns`); columnar arrays; CSV or JSON text; Arrow IPC bytes; an Arquero table; a URL
 * (`{ url }` or a string starting with `http(s)://` or `/` or ending in `.csv/.json/.arrow`).
 */
export type IngestInput =
  | readonly Record<string, unknown>[]
  | readonly (readonly unknown[])[]
  | ColumnarInput
  | string
  | Uint8Array
  | ArrayBuffer
  | ArqueroLike
  | UrlInput;

export interface IngestOptions {
  /** Canonical column → host column name, e.g. `{ loan_id: 'LoanNo', dpd: 'days_overdue' }`. */
  fields?: Record<string, string>;
  /** IANA zone that wall-clock dates are in. Default `Asia/Shanghai`. */
  timeZone?: string;
  /**
   * PII masking is on by default. Only `unmask: true` (an explicit permission) turns it off;
   * `mask: false` on its own is ignored with a `mask_off_ignored` warning.
   */
  mask?: boolean;
  unmask?: boolean;
  /** Per-kind overrides: a masking function or `'none'`. */
  maskRules?: MaskRules;
  /** Column names for headerless input (arrays of arrays, CSV); the first row is then data. */
  columns?: string[];
  /** Whether the first row of arrays-of-arrays / CSV is a header (default: true unless `columns`). */
  header?: boolean;
  /** Force the format of text, bytes or a URL body. */
  format?: 'csv' | 'json' | 'arrow';
  /** CSV delimiter; default auto-detected among `,` `;` tab. */
  delimiter?: string;
  /** `fetch` implementation for URL inputs (default: global fetch). */
  fetch?: typeof globalThis.fetch;
  /** Extra `fetch` init (headers, credentials). */
  fetchInit?: RequestInit;
  signal?: AbortSignal;
  /** Schema override (custom datasets); default: the canonical schema of `name`, if any. */
  schema?: DatasetSchema;
  /**
   * Dates accepted in schema date columns, inclusive; others reject their row as `out_of_range`.
   * Default 1970-01-01 … today + 5 years (see date-range.ts).
   */
  dateRange?: DateRangeOption;
}

export interface IngestResult {
  dataset: Dataset;
  report: DataQualityReport;
}
