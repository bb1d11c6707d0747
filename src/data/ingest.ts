/**
 * The ingestion boundary: any host input → a validated, cleaned, masked `Dataset` plus the
 * `DataQualityReport` describing what happened to it.
 *
 * Pipeline: read the input into raw columns (one array per host column; no per-row objects for
 * CSV, columnar, Arrow and Arquero inputs) → resolve the `fields` mapping onto the canonical
 * schema → convert each column once to its typed form (identifiers and categories are exact
 * strings in a dictionary, numbers Float64Array, dates epoch ms with period indexes) → validate
 * (quality.ts) → drop rejected rows → mask PII (mask.ts) on the dictionaries.
 */
import { tableFromIPC } from '@uwdata/flechette';
import { columnsOfArquero, isAdoptableArray, isArqueroTable, isDecodedArray } from './arquero.js';
import { readArrowFast } from './arrow-ipc.js';
import type { ArrowColumns } from './arrow-ipc.js';
import type { ArqueroLike, ArrowDictionaryColumn } from './arquero.js';
import type { CellIssue, ColumnType } from './columns.js';
import {
  dateColumn,
  isNullToken,
  offsetGetter,
  parseDateString,
  parseNumberString,
  toColumn,
  wallClockDateColumn,
} from './columns.js';
import type { BoolColumn, CatColumn, Column, Dataset, DateColumn, NumColumn } from './dataset.js';
import type { MaskRules, PiiKind } from './mask.js';
import { guessPiiKind, mapDictionary, maskerFor } from './mask.js';
import { resolveDateRange } from './date-range.js';
import type { DateRangeOption } from './date-range.js';
import { mayHoldPii, maskIdentifier, maskShapes, scanShapes } from './pii-shapes.js';
import type { CheckedColumn, DataQualityReport, QualityWarning } from './quality.js';
import { emptyRejected, qualityWarning, summarizeRows, validateRows } from './quality.js';
import type { DatasetSchema, FieldSpec } from './schemas.js';
import { schemaOf } from './schemas.js';
import { FinError } from '../engine/errors.js';
import { Interner } from './intern.js';

export type { DataQualityReport, QualityWarning, RejectReason } from './quality.js';

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

// ---------------------------------------------------------------------------------------------
// Entry points

/** Ingest any input, fetching URLs. */
export async function ingest(
  name: string,
  input: IngestInput,
  opts: IngestOptions = {},
): Promise<IngestResult> {
  const url = urlOf(input);
  if (url !== null) {
    checkTimeZone(opts);
    const raw = await fetchRaw(url, opts, csvTypes(name, opts));
    return buildDataset(name, raw, opts);
  }
  return ingestSync(name, input, opts);
}

/** Ingest an input that needs no fetch (everything but URLs). */
export function ingestSync(name: string, input: IngestInput, opts: IngestOptions = {}): IngestResult {
  if (urlOf(input) !== null) {
    throw new FinError('bad_input', 'A URL input needs the asynchronous ingest()', { dataset: name });
  }
  checkTimeZone(opts);
  return buildDataset(name, readInput(input, opts, csvTypes(name, opts)), opts);
}

function checkTimeZone(opts: IngestOptions): void {
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  try {
    offsetGetter(tz);
  } catch {
    throw new FinError('bad_input', `Unknown time zone "${tz}"`, { timeZone: tz });
  }
}

/** The URL of a URL input, or null. */
export function urlOf(input: unknown): string | null {
  if (typeof input === 'string') return isUrlString(input) ? input.trim() : null;
  if (
    input !== null &&
    typeof input === 'object' &&
    !Array.isArray(input) &&
    Object.hasOwn(input, 'url') &&
    typeof (input as UrlInput).url === 'string' &&
    !Array.isArray((input as Record<string, unknown>).url)
  ) {
    // `{ url }` — but not a columnar object that happens to have a `url` column (arrays).
    return (input as UrlInput).url;
  }
  return null;
}

function isUrlString(s: string): boolean {
  if (s.length > 4096 || /[\r\n]/.test(s)) return false;
  const t = s.trim();
  return (
    /^https?:\/\//i.test(t) ||
    /^(blob|data):/i.test(t) ||
    (t.startsWith('/') && !t.includes(',')) ||
    t.startsWith('./') ||
    t.startsWith('../') ||
    /^[^,;\t]*\.(csv|tsv|json|arrow|feather|ipc)([?#].*)?$/i.test(t)
  );
}

// ---------------------------------------------------------------------------------------------
// Reading inputs into raw columns

function emptyRaw(): RawTable {
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

function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function isArrayLikeColumn(v: unknown): v is readonly unknown[] | TypedArray {
  return Array.isArray(v) || isTypedArray(v);
}

/** Column types to decode while reading CSV: `(header names) → host column → type`. */
export type CsvTypes = (names: string[]) => Map<string, ColumnType>;

/** Read any synchronous input into raw columns. */
export function readInput(input: IngestInput, opts: IngestOptions = {}, types?: CsvTypes): RawTable {
  if (typeof input === 'string') {
    const fmt = opts.format ?? sniffText(input);
    if (fmt === 'arrow') throw new FinError('bad_input', 'Arrow data must be given as bytes, not text');
    return fmt === 'json' ? readJSONText(input, opts) : parseCSV(input, opts, types);
  }
  if (input instanceof ArrayBuffer || input instanceof Uint8Array) {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    const fmt = opts.format ?? sniffBytes(bytes);
    if (fmt === 'arrow') return readArrow(bytes);
    const text = new TextDecoder('utf-8').decode(bytes);
    return fmt === 'json' ? readJSONText(text, opts) : parseCSV(text, opts, types);
  }
  if (Array.isArray(input)) return readArray(input as readonly unknown[], opts);
  if (isArqueroTable(input)) return readArquero(input);
  if (input !== null && typeof input === 'object') return readColumnar(input as Record<string, unknown>);
  throw new FinError('bad_input', `Unsupported input type: ${input === null ? 'null' : typeof input}`);
}

function readArray(rows: readonly unknown[], opts: IngestOptions): RawTable {
  let first: unknown;
  for (const r of rows) {
    if (r !== null && r !== undefined) {
      first = r;
      break;
    }
  }
  if (first === undefined) {
    const raw = emptyRaw();
    raw.n = rows.length;
    if (opts.columns) {
      for (const c of opts.columns) {
        raw.names.push(c);
        raw.columns.set(c, new Array(rows.length));
      }
    }
    return raw;
  }
  return Array.isArray(first) ? readArrays(rows, opts) : readRows(rows);
}

/** Array of row objects: the union of own keys, in first-seen order. */
function readRows(rows: readonly unknown[]): RawTable {
  const n = rows.length;
  const seen = new Set<string>();
  const names: string[] = [];
  let lastKeys: string[] | null = null;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r === null || typeof r !== 'object') continue;
    const keys = Object.keys(r);
    // Rows of one shape: compare with the previous key list instead of probing the set.
    if (lastKeys && keys.length === lastKeys.length) {
      let same = true;
      for (let k = 0; k < keys.length; k++) {
        if (keys[k] !== lastKeys[k]) {
          same = false;
          break;
        }
      }
      if (same) continue;
    }
    for (const k of keys) {
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
    lastKeys = keys;
  }
  const columns = new Map<string, ArrayLike<unknown>>();
  for (const k of names) {
    const arr = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const r = rows[i] as Record<string, unknown> | null | undefined;
      arr[i] = r !== null && typeof r === 'object' && Object.hasOwn(r, k) ? r[k] : undefined;
    }
    columns.set(k, arr);
  }
  return { ...emptyRaw(), names, columns, n };
}

/** Header names: trimmed, blanks named `column_<i>`, duplicates suffixed `_2`, `_3`… */
function cleanHeader(header: readonly unknown[], warnings: QualityWarning[]): string[] {
  const out: string[] = [];
  const used = new Set<string>();
  const dups: string[] = [];
  header.forEach((h, i) => {
    let name = h === null || h === undefined ? '' : String(h).trim();
    if (name === '') name = `column_${i + 1}`;
    if (used.has(name)) {
      dups.push(name);
      let k = 2;
      while (used.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    used.add(name);
    out.push(name);
  });
  if (dups.length) warnings.push(qualityWarning('duplicate_header', { names: dups }));
  return out;
}

function readArrays(rows: readonly unknown[], opts: IngestOptions): RawTable {
  const warnings: QualityWarning[] = [];
  const hasHeader = opts.header ?? !opts.columns;
  let start = 0;
  let header: readonly unknown[];
  if (opts.columns) header = opts.columns;
  else if (hasHeader) {
    header = (rows[0] as readonly unknown[] | undefined) ?? [];
    start = 1;
  } else {
    let w = 0;
    for (const r of rows) if (Array.isArray(r)) w = Math.max(w, r.length);
    header = Array.from({ length: w }, (_, i) => `column_${i + 1}`);
  }
  if (opts.columns && hasHeader && opts.header === true) start = 1;
  const names = cleanHeader(header, warnings);
  const n = rows.length - start;
  const columns = new Map<string, ArrayLike<unknown>>();
  const w = names.length;
  const cols: unknown[][] = names.map(() => new Array<unknown>(n));
  let ragged = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i + start];
    if (!Array.isArray(r)) continue;
    if (r.length !== w) ragged++;
    const m = Math.min(w, r.length);
    for (let c = 0; c < m; c++) cols[c]![i] = r[c];
  }
  names.forEach((nm, c) => columns.set(nm, cols[c]!));
  if (ragged) warnings.push(qualityWarning('ragged_rows', { count: ragged }));
  return { ...emptyRaw(), names, columns, n, warnings };
}

function readColumnar(obj: Record<string, unknown>): RawTable {
  const names = Object.keys(obj);
  const columns = new Map<string, ArrayLike<unknown>>();
  let n = 0;
  for (const k of names) {
    const v = obj[k];
    if (!isArrayLikeColumn(v)) {
      throw new FinError(
        'bad_input',
        `Columnar input: column "${k}" is not an array (expected rows, arrays, columns, text, bytes, a table or { url })`,
        { column: k },
      );
    }
    columns.set(k, v);
    n = Math.max(n, v.length);
  }
  const warnings: QualityWarning[] = [];
  const short = names.filter((k) => columns.get(k)!.length !== n);
  if (short.length) warnings.push(qualityWarning('ragged_columns', { columns: short }));
  return { ...emptyRaw(), names, columns, n, warnings };
}

function readArquero(t: ArqueroLike, fromArrowBytes = false): RawTable {
  return rawOfColumns(columnsOfArquero(t, { dictionaries: fromArrowBytes }));
}

/** Raw table of Arrow / Arquero columns: dictionary columns encoded from their keys. */
function rawOfColumns({ names, columns, n, hints, dictionaries, wallClock }: ArrowColumns): RawTable {
  const prepared = new Map<string, PreparedColumn>();
  for (const [name, col] of dictionaries) {
    const cat = arrowDictionaryToCat(col, n);
    if (cat) prepared.set(name, { type: 'cat', col: cat, unparseable: [], source: col });
    else columns.set(name, col.toArray());
  }
  return { ...emptyRaw(), names, columns, n, hints, prepared, wallClock };
}

/**
 * Dictionary-encode an Arrow dictionary column from its keys: each dictionary entry is normalised
 * once (as `toCat` normalises each value) and codes are assigned in order of first appearance by
 * row, so the result is exactly `toCat` of the decoded values, without decoding a string per row.
 * Null when the dictionary does not hold strings (the caller then decodes the values).
 */
function arrowDictionaryToCat(col: ArrowDictionaryColumn, n: number): CatColumn | null {
  const adopted = adoptDictionary(col, n);
  if (adopted) return adopted;
  const codes = new Int32Array(n);
  const index = new Interner();
  const dict = index.dict;
  /** Code of a dictionary entry (−1 missing), or null when the entry is not a string. */
  const codeOf = (v: unknown): number | null => {
    if (v === null || v === undefined) return -1;
    if (typeof v !== 'string') return null;
    const s = catString(v);
    return s === null ? -1 : index.intern(s);
  };
  if (col.data && col.type?.typeId === -1) {
    // flechette: per batch, keys into the batch's dictionary (shared across batches, or replaced)
    let off = 0;
    let entries: ArrayLike<unknown> | null = null;
    let remap = new Int32Array(0);
    for (const batch of col.data) {
      const d = batch.cache ?? batch.dictionary?.toArray();
      if (!d) return null;
      if (d !== entries) {
        entries = d;
        remap = new Int32Array(d.length).fill(-2); // −2: entry not met yet
      }
      const keys = batch.values;
      const len = batch.length;
      const nulls = batch.nullCount > 0;
      for (let j = 0; j < len; j++) {
        if (nulls && !batch.isValid(j)) {
          codes[off + j] = -1;
          continue;
        }
        const key = keys[j]!;
        let c = remap[key]!;
        if (c === -2) {
          const got = codeOf(entries[key]);
          if (got === null) return null;
          c = remap[key] = got;
        }
        codes[off + j] = c;
      }
      off += len;
    }
    return off === n ? { kind: 'cat', codes, dict } : null;
  }
  if (!col.groups) return null;
  // Arquero's wrapper: per-row keys, nulls as key `size`.
  let g: ReturnType<NonNullable<ArrowDictionaryColumn['groups']>>;
  try {
    g = col.groups(['_']);
  } catch {
    return null;
  }
  const keys = g.keys;
  const get = g.get[0];
  if (!get || keys.length < n) return null;
  const remap = new Int32Array(g.size).fill(-2);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    let c = remap[key]!;
    if (c === -2) {
      const got = codeOf(get(key));
      if (got === null) return null;
      c = remap[key] = got;
    }
    codes[i] = c;
  }
  return { kind: 'cat', codes, dict };
}

/**
 * The common case of `arrowDictionaryToCat` without a pass that writes codes: one dictionary for
 * all batches, no nulls, entries that normalise to themselves and are distinct, and keys that meet
 * the entries in order (0, 1, 2, … as writers that build dictionaries while writing produce). Then
 * the keys *are* the codes `toCat` would assign: they are adopted (a view of the bytes when in one
 * Int32 batch, else one block copy per batch). Null when any condition fails.
 */
function adoptDictionary(col: ArrowDictionaryColumn, n: number): CatColumn | null {
  const batches = col.data;
  if (!batches?.length || col.type?.typeId !== -1) return null;
  const entries = batches[0]!.cache;
  if (!entries) return null;
  for (const b of batches) if (b.cache !== entries || b.nullCount > 0) return null;
  // keys meet the entries in order and reach the last one
  let max = -1;
  for (const b of batches) {
    const keys = b.values;
    const len = b.length;
    for (let j = 0; j < len; j++) {
      const k = keys[j]!;
      if (k > max) {
        if (k !== max + 1) return null;
        max = k;
      }
    }
  }
  if (max !== entries.length - 1) return null;
  const index = new Interner();
  for (let k = 0; k < entries.length; k++) {
    const v = entries[k];
    if (typeof v !== 'string' || catString(v) !== v || index.intern(v) !== k) return null;
  }
  let codes: Int32Array;
  const only = batches.length === 1 ? batches[0]!.values : null;
  if (only instanceof Int32Array && only.length === n) codes = only;
  else {
    codes = new Int32Array(n);
    let off = 0;
    for (const b of batches) {
      const keys = b.values;
      if (ArrayBuffer.isView(keys) && keys.length === b.length) codes.set(keys as ArrayLike<number>, off);
      else for (let j = 0; j < b.length; j++) codes[off + j] = keys[j]!;
      off += b.length;
    }
    if (off !== n) return null;
  }
  return { kind: 'cat', codes, dict: index.dict };
}

function readArrow(bytes: Uint8Array): RawTable {
  // Flat layouts (every canonical dataset): buffers read directly, zero-copy where possible.
  const fast = readArrowFast(bytes);
  if (fast) return rawOfColumns(fast);
  let t: ArqueroLike;
  try {
    // Int64 stays BigInt (exact ids); dates come as epoch-ms numbers (no Date objects).
    // flechette is the Arrow decoder Arquero itself uses; read it directly (zero-copy columns).
    const ft = tableFromIPC(bytes, { useBigInt: true, useDate: false });
    t = {
      columnNames: () => ft.names,
      numRows: () => ft.numRows,
      column: (name: string) => ft.getChild(name),
      array: (name: string) => ft.getChild(name).toArray(),
    } as unknown as ArqueroLike;
  } catch (e) {
    throw new FinError('bad_input', `Invalid Arrow IPC data: ${e instanceof Error ? e.message : String(e)}`);
  }
  return readArquero(t, true);
}

function sniffText(s: string): 'csv' | 'json' {
  for (let i = 0; i < s.length && i < 1000; i++) {
    const c = s.charCodeAt(i);
    if (c === 0xfeff || c === 32 || c === 9 || c === 10 || c === 13) continue;
    return c === 91 || c === 123 ? 'json' : 'csv'; // [ {
  }
  return 'csv';
}

function sniffBytes(b: Uint8Array): 'csv' | 'json' | 'arrow' {
  // Arrow file magic "ARROW1", or an IPC stream starting with the 0xFFFFFFFF continuation marker.
  if (
    b.length >= 6 &&
    b[0] === 0x41 &&
    b[1] === 0x52 &&
    b[2] === 0x52 &&
    b[3] === 0x4f &&
    b[4] === 0x57 &&
    b[5] === 0x31
  ) {
    return 'arrow';
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xff && b[2] === 0xff && b[3] === 0xff) return 'arrow';
  const head = new TextDecoder('utf-8').decode(b.subarray(0, 64));
  return sniffText(head);
}

// ---------------------------------------------------------------------------------------------
// JSON

/**
 * Wrap integer literals that a JavaScript number cannot hold exactly (beyond 2^53) in quotes, so
 * an unquoted 18-digit ID survives `JSON.parse` digit for digit. String contents are skipped.
 */
export function quoteUnsafeIntegers(text: string): string {
  if (!/\d{16}/.test(text)) return text;
  let out = '';
  let last = 0;
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // string: jump to the closing quote, honouring escapes
      i++;
      while (i < len) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          i = len;
          break;
        }
        let bs = 0;
        for (let k = q - 1; k >= i && text.charCodeAt(k) === 92; k--) bs++;
        i = q + 1;
        if (bs % 2 === 0) break;
      }
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45) {
      let j = i + 1;
      while (j < len) {
        const d = text.charCodeAt(j);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
        else break;
      }
      const tok = text.slice(i, j);
      if (/^-?\d{16,}$/.test(tok) && !Number.isSafeInteger(Number(tok))) {
        out += text.slice(last, i) + '"' + tok + '"';
        last = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

function readJSONText(text: string, opts: IngestOptions): RawTable {
  let v: unknown;
  try {
    v = JSON.parse(quoteUnsafeIntegers(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
  } catch (e) {
    throw new FinError('bad_input', `Invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (Array.isArray(v)) return readArray(v, opts);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const cols = Object.hasOwn(o, 'columns') ? o.columns : undefined;
    if (Array.isArray(cols)) {
      const body = ['rows', 'data', 'values']
        .map((k) => (Object.hasOwn(o, k) ? o[k] : undefined))
        .find(Array.isArray);
      if (body) return readArrays(body as unknown[], { ...opts, columns: cols.map(String), header: false });
    } else if (cols !== null && typeof cols === 'object')
      return readColumnar(cols as Record<string, unknown>);
    for (const k of ['rows', 'data', 'records']) {
      if (Object.hasOwn(o, k) && Array.isArray(o[k])) return readArray(o[k] as unknown[], opts);
    }
    return readColumnar(o);
  }
  throw new FinError('bad_input', 'JSON input must be an array of rows or an object of columns');
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Pick the delimiter among `,` `;` tab that splits the header line into the most fields. */
function detectDelimiter(text: string, start: number): string {
  const counts = [0, 0, 0];
  let inQ = false;
  for (let i = start; i < text.length && i < start + 65536; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQ = !inQ;
    else if (!inQ) {
      if (c === 10 || c === 13) break;
      if (c === 44) counts[0]!++;
      else if (c === 59) counts[1]!++;
      else if (c === 9) counts[2]!++;
    }
  }
  const best = counts.indexOf(Math.max(...counts));
  return counts[best] === 0 ? ',' : [',', ';', '\t'][best]!;
}

// Typed CSV sinks: each receives a field as a range of the text, so numbers, dates and categories
// of schema columns are decoded without materialising one string per cell.

interface Sink {
  n: number;
  add(s: string, a: number, b: number): void;
}

function grow<T extends Float64Array | Int32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as { new (n: number): T })(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Numbers. Fast path: plain decimals of ≤ 15 digits (`mantissa / 10^scale` of two exact doubles is
 * the correctly rounded value, identical to `Number()`); anything else goes through
 * `parseNumberString`. Empty cells and null tokens are missing; other text is unparseable.
 */
export class NumSink implements Sink {
  n = 0;
  data: Float64Array;
  readonly unparseable: number[] = [];
  constructor(capacity = 16) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  add(s: string, a: number, b: number): void {
    const i = this.n++;
    if (i >= this.data.length) this.data = grow(this.data, i + 1);
    while (a < b && s.charCodeAt(a) <= 32) a++;
    while (b > a && s.charCodeAt(b - 1) <= 32) b--;
    if (a === b) {
      this.data[i] = NaN;
      return;
    }
    let j = a;
    let c = s.charCodeAt(j);
    let neg = false;
    if (c === 45) {
      neg = true;
      j++;
    } else if (c === 43) j++;
    let mant = 0;
    let digits = 0;
    let scale = 0;
    let dot = false;
    for (; j < b; j++) {
      c = s.charCodeAt(j);
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        mant = mant * 10 + d;
        digits++;
        if (dot) scale++;
      } else if (c === 46 && !dot) dot = true;
      else break;
    }
    if (j === b && digits > 0 && digits <= 15) {
      const v = scale ? mant / POW10[scale]! : mant;
      this.data[i] = neg && v !== 0 ? -v : v;
      return;
    }
    const str = s.slice(a, b);
    const x = parseNumberString(str);
    if (x === x) this.data[i] = x;
    else {
      this.data[i] = NaN;
      if (!isNullToken(str)) this.unparseable.push(i);
    }
  }
  finish(): Float64Array {
    return this.data.length === this.n ? this.data : this.data.slice(0, this.n);
  }
}

const NULL_CAT = new Set(['na', 'n/a', 'null', 'none', 'nan', '-', '—']);

/** Normalise a category string: trimmed; '' and null tokens → null. */
function catString(v: string): string | null {
  let s = v;
  const L = s.length;
  if (L === 0) return null;
  if (s.charCodeAt(0) <= 32 || s.charCodeAt(L - 1) <= 32) {
    s = s.trim();
    if (s.length === 0) return null;
  }
  if (s.length <= 4) {
    const c0 = s.charCodeAt(0);
    if ((c0 === 110 || c0 === 78 || c0 === 45 || c0 === 0x2014) && NULL_CAT.has(s.toLowerCase())) return null;
  }
  return s;
}

/** Dictionary encoding straight from the text; a run of equal values costs one compare each. */
export class CatSink implements Sink {
  n = 0;
  codes: Int32Array;
  private readonly index = new Interner();
  readonly dict: string[] = this.index.dict;
  private prev: string | null = null;
  private prevCode = -1;
  /** Copy dictionary entries out of the source text so it can be garbage-collected. */
  constructor(
    capacity = 16,
    private readonly flatten = false,
  ) {
    this.codes = new Int32Array(Math.max(16, capacity));
  }
  add(s: string, a: number, b: number): void {
    const i = this.n++;
    if (i >= this.codes.length) this.codes = grow(this.codes, i + 1);
    const prev = this.prev;
    if (prev !== null && b - a === prev.length) {
      // same text as the previous cell? (char compare: no substring allocation)
      const L = prev.length;
      let k = 0;
      while (k < L && s.charCodeAt(a + k) === prev.charCodeAt(k)) k++;
      if (k === L) {
        this.codes[i] = this.prevCode;
        return;
      }
    }
    const raw = a === 0 && b === s.length ? s : s.slice(a, b);
    const v = catString(raw);
    const code = v === null ? -1 : this.index.intern(v, this.flatten && v.length >= 13);
    this.codes[i] = code;
    this.prev = raw;
    this.prevCode = code;
  }
  finish(): CatColumn {
    return {
      kind: 'cat',
      codes: this.codes.length === this.n ? this.codes : this.codes.slice(0, this.n),
      dict: this.dict,
    };
  }
}

const NOT_FIXED = -Infinity;

/** Digit value at s[i], or a large negative number when not a digit. */
function dig(s: string, i: number): number {
  const x = s.charCodeAt(i) - 48;
  return x >= 0 && x <= 9 ? x : -100000;
}

/** UTC ms of a civil date's midnight, or NaN when it does not exist (2024-02-30). */
function civilDay(y: number, mo: number, d: number): number {
  if (mo < 1 || mo > 12 || d < 1) return NaN;
  const wall = Date.UTC(y, mo - 1, d);
  const chk = new Date(wall);
  return chk.getUTCFullYear() === y && chk.getUTCMonth() === mo - 1 && chk.getUTCDate() === d ? wall : NaN;
}

/**
 * Dates → epoch ms in the data's time zone. `YYYY-MM-DD`, `YYYY-MM-DD HH:mm` and
 * `YYYY-MM-DD HH:mm:ss` (`/` and `T` also) are decoded from character codes, with the same
 * validation as `parseDateString` (which handles every other form). Dates are cached per day.
 */
export class DateSink implements Sink {
  n = 0;
  data: Float64Array;
  readonly unparseable: number[] = [];
  private readonly offsetAt: (ms: number) => number;
  private readonly byDay = new Map<number, number>();
  private readonly byStr = new Map<string, number>();
  constructor(tz: string, capacity = 16) {
    this.data = new Float64Array(Math.max(16, capacity));
    this.offsetAt = offsetGetter(tz);
  }
  private wallToUtc(wall: number): number {
    const ms = wall - this.offsetAt(wall);
    return wall - this.offsetAt(ms);
  }
  private push(v: number): void {
    const i = this.n++;
    if (i >= this.data.length) this.data = grow(this.data, i + 1);
    this.data[i] = v;
  }
  /** Any JS value: number (epoch ms), Date, bigint, string; null/undefined missing. */
  addValue(v: unknown): void {
    if (typeof v === 'string') this.add(v, 0, v.length);
    else if (v === null || v === undefined) this.push(NaN);
    else {
      let x = NaN;
      if (typeof v === 'number') x = v;
      else if (v instanceof Date) x = v.getTime();
      else if (typeof v === 'bigint') x = Number(v);
      const ok = Number.isFinite(x) && Math.abs(x) < 8.64e15;
      if (!ok) this.unparseable.push(this.n);
      this.push(ok ? x : NaN);
    }
  }
  add(s: string, a: number, b: number): void {
    while (a < b && s.charCodeAt(a) <= 32) a++;
    while (b > a && s.charCodeAt(b - 1) <= 32) b--;
    if (a === b) {
      this.push(NaN);
      return;
    }
    const len = b - a;
    if (len === 10 || len === 16 || len === 19) {
      const v = this.fast(s, a, len);
      if (v !== NOT_FIXED) {
        if (v !== v) this.unparseable.push(this.n);
        this.push(v);
        return;
      }
    }
    const str = s.slice(a, b);
    let v = this.byStr.get(str);
    if (v === undefined) {
      v = isNullToken(str) ? -Infinity : parseDateString(str, this.offsetAt);
      if (this.byStr.size < 100000) this.byStr.set(str, v);
    }
    if (v === -Infinity) this.push(NaN);
    else {
      if (v !== v) this.unparseable.push(this.n);
      this.push(v);
    }
  }
  /** Fixed-position decode; NOT_FIXED when the text is not in a fixed form. */
  private fast(s: string, a: number, len: number): number {
    const s1 = s.charCodeAt(a + 4);
    if ((s1 !== 45 && s1 !== 47) || s.charCodeAt(a + 7) !== s1) return NOT_FIXED;
    const y = dig(s, a) * 1000 + dig(s, a + 1) * 100 + dig(s, a + 2) * 10 + dig(s, a + 3);
    const mo = dig(s, a + 5) * 10 + dig(s, a + 6);
    const dd = dig(s, a + 8) * 10 + dig(s, a + 9);
    if (y < 0 || mo < 0 || dd < 0) return NOT_FIXED;
    let secs = 0;
    if (len > 10) {
      const t = s.charCodeAt(a + 10);
      if ((t !== 32 && t !== 84) || s.charCodeAt(a + 13) !== 58) return NOT_FIXED;
      const hh = dig(s, a + 11) * 10 + dig(s, a + 12);
      const mi = dig(s, a + 14) * 10 + dig(s, a + 15);
      let ss = 0;
      if (len === 19) {
        if (s.charCodeAt(a + 16) !== 58) return NOT_FIXED;
        ss = dig(s, a + 17) * 10 + dig(s, a + 18);
      }
      if (hh < 0 || mi < 0 || ss < 0) return NOT_FIXED;
      if (hh > 23 || mi > 59 || ss > 59) return NaN;
      secs = hh * 3600 + mi * 60 + ss;
    }
    const key = y * 10000 + mo * 100 + dd;
    if (len === 10) {
      // date only: cache the zoned instant of local midnight per calendar day
      let z = this.byDay.get(key);
      if (z === undefined) {
        const day = civilDay(y, mo, dd);
        z = day !== day ? NaN : this.wallToUtc(day);
        this.byDay.set(key, z);
      }
      return z;
    }
    let day = this.byDay.get(-key - 1);
    if (day === undefined) {
      day = civilDay(y, mo, dd);
      this.byDay.set(-key - 1, day);
    }
    if (day !== day) return NaN;
    return this.wallToUtc(day + secs * 1000);
  }
  finish(): Float64Array {
    return this.data.length === this.n ? this.data : this.data.slice(0, this.n);
  }
}

/** A numeric cell that is really a code: a leading zero (`007`) or more than 15 digits. */
function looksLikeCode(s: string, a: number, b: number): boolean {
  while (a < b && s.charCodeAt(a) <= 32) a++;
  const c0 = s.charCodeAt(a);
  if (c0 === 43 || c0 === 45) a++;
  if (s.charCodeAt(a) === 48) {
    const c1 = s.charCodeAt(a + 1);
    if (c1 >= 48 && c1 <= 57) return true;
  }
  if (b - a <= 15) return false;
  let digits = 0;
  for (let k = a; k < b; k++) {
    const c = s.charCodeAt(k);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits > 15;
}

/**
 * A column of unknown type (no schema): read as numbers while every cell is one (the inference
 * rule of `inferType`), switching once — re-reading the earlier cells from their text offsets — to
 * a dictionary as soon as a cell is not a number or looks like a code. A high-cardinality numeric
 * column then never goes through a string Map.
 */
export class AutoSink implements Sink {
  n = 0;
  private num: NumSink | null = null;
  private cat: CatSink | null = null;
  private starts: Int32Array;
  private ends: Int32Array;
  private quotedCells: Map<number, string> | null = null;
  private nonNull = 0;
  constructor(
    private readonly text: string,
    private readonly capacity: number,
    idLike: boolean,
  ) {
    if (idLike) {
      this.cat = new CatSink(capacity, true);
      this.starts = this.ends = new Int32Array(0);
    } else {
      this.num = new NumSink(capacity);
      this.starts = new Int32Array(Math.max(16, capacity));
      this.ends = new Int32Array(Math.max(16, capacity));
    }
  }
  add(s: string, a: number, b: number): void {
    const i = this.n++;
    if (this.cat) {
      this.cat.add(s, a, b);
      return;
    }
    const num = this.num!;
    const before = num.unparseable.length;
    num.add(s, a, b);
    if (num.unparseable.length !== before || looksLikeCode(s, a, b)) {
      this.switchToCat(i, s, a, b);
      return;
    }
    if (num.data[i] === num.data[i]) this.nonNull++;
    if (i >= this.starts.length) {
      this.starts = grow(this.starts, i + 1);
      this.ends = grow(this.ends, i + 1);
    }
    if (s === this.text) {
      this.starts[i] = a;
      this.ends[i] = b;
    } else {
      this.starts[i] = -1;
      (this.quotedCells ??= new Map()).set(i, s.slice(a, b));
    }
  }
  private switchToCat(i: number, s: string, a: number, b: number): void {
    const cat = new CatSink(this.capacity, true);
    for (let r = 0; r < i; r++) {
      const st = this.starts[r]!;
      if (st >= 0) cat.add(this.text, st, this.ends[r]!);
      else {
        const v = this.quotedCells!.get(r)!;
        cat.add(v, 0, v.length);
      }
    }
    cat.add(s, a, b);
    this.cat = cat;
    this.num = null;
    this.starts = this.ends = new Int32Array(0);
    this.quotedCells = null;
  }
  finish(): PreparedColumn {
    if (this.cat) return { type: 'cat', col: this.cat.finish(), unparseable: [] };
    if (this.nonNull === 0)
      return {
        type: 'cat',
        col: { kind: 'cat', codes: new Int32Array(this.n).fill(-1), dict: [] },
        unparseable: [],
      };
    return { type: 'num', col: { kind: 'num', data: this.num!.finish() }, unparseable: [] };
  }
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

/**
 * Parse CSV text into columns. RFC 4180 quoting (`""` escapes, delimiters and newlines inside
 * quotes), BOM, CRLF/LF/CR line ends; blank lines are skipped; the delimiter is auto-detected among
 * `,` `;` tab. No autotyping: columns are exact strings, except those `types` names (schema
 * columns), which are decoded as they are read (categories stay exact strings in a dictionary).
 */
export function parseCSV(
  text: string,
  opts: Pick<IngestOptions, 'delimiter' | 'columns' | 'header' | 'timeZone'> = {},
  types?: (names: string[]) => Map<string, ColumnType>,
): RawTable {
  const len = text.length;
  const pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const delim = opts.delimiter ?? detectDelimiter(text, pos);
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
    throw new FinError('bad_input', `Invalid CSV delimiter ${JSON.stringify(delim)}`);
  }
  const D = delim.charCodeAt(0);
  // Bare CR line ends (old Mac files) become LF so that lines can be found with indexOf.
  if (text.indexOf('\r', pos) !== -1 && /\r(?!\n)/.test(text)) text = text.replace(/\r(?!\n)/g, '\n');
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  const hasHeader = opts.header ?? !opts.columns;
  const warnings: QualityWarning[] = [];

  // Capacity: one row per line end (an overestimate when quoted fields hold newlines).
  let cap = 1;
  for (let k = text.indexOf('\n', pos); k !== -1; k = text.indexOf('\n', k + 1)) cap++;

  let names: string[] = [];
  let sinks: Sink[] = [];
  let width = -1;
  let row = 0;
  let ragged = 0;
  let rec: string[] = [];
  const hints = new Map<string, ColumnType>();

  const start = (header: readonly unknown[]): void => {
    names = cleanHeader(header, warnings);
    width = names.length;
    const typeOf = types ? types(names) : new Map<string, ColumnType>();
    sinks = names.map((nm) => {
      const t = typeOf.get(nm);
      if (t === 'num') return new NumSink(cap);
      if (t === 'cat') return new CatSink(cap, true);
      if (t === 'date') {
        hints.set(nm, 'date');
        return new DateSink(tz, cap);
      }
      // Untyped columns: numbers while they are numbers, else dictionary-encoded (the type of a
      // dictionary column is then inferred from its distinct values). No string per cell.
      return new AutoSink(text, cap, isIdLikeName(nm));
    });
  };
  const endRecord = (f: number): void => {
    if (width < 0) {
      if (hasHeader) {
        start(opts.columns ?? rec);
        rec = [];
        return;
      }
      start(opts.columns ?? rec.map((_, k) => `column_${k + 1}`));
      const first = rec;
      rec = [];
      f = Math.min(first.length, width);
      for (let c = 0; c < f; c++) sinks[c]!.add(first[c]!, 0, first[c]!.length);
      if (first.length !== width) ragged++;
    } else if (f !== width) ragged++;
    for (let c = f; c < width; c++) sinks[c]!.add('', 0, 0);
    row++;
  };

  // Scan with indexOf (much faster than a per-character loop): `eol` is the next LF at or after
  // i, `nd` the next delimiter; both are recomputed only once passed.
  let i = pos;
  let eol = -1;
  let nd = -1;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      i++; // blank line
      continue;
    }
    let f = 0;
    for (;;) {
      if (eol < i) {
        eol = text.indexOf('\n', i);
        if (eol === -1) eol = len;
      }
      c = i < len ? text.charCodeAt(i) : -1;
      if (c === 34) {
        // quoted field: "" is an escaped quote; text after the closing quote is kept verbatim
        let val = '';
        let s = i + 1;
        for (;;) {
          const q = text.indexOf('"', s);
          if (q === -1) {
            val += text.slice(s);
            i = len;
            break;
          }
          if (text.charCodeAt(q + 1) === 34) {
            val += text.slice(s, q + 1);
            s = q + 2;
            continue;
          }
          val += text.slice(s, q);
          i = q + 1;
          break;
        }
        const j0 = i;
        while (i < len) {
          const d = text.charCodeAt(i);
          if (d === D || d === 10 || d === 13) break;
          i++;
        }
        if (i > j0) val += text.slice(j0, i);
        if (width < 0) rec.push(val);
        else if (f < width) sinks[f]!.add(val, 0, val.length);
      } else {
        if (nd < i) {
          nd = text.indexOf(delim, i);
          if (nd === -1) nd = len;
        }
        let end = nd < eol ? nd : eol;
        const stop = end;
        if (end === eol && end > i && text.charCodeAt(end - 1) === 13) end--; // CRLF
        if (width < 0) rec.push(text.slice(i, end));
        else if (f < width) sinks[f]!.add(text, i, end);
        i = stop;
      }
      f++;
      c = i < len ? text.charCodeAt(i) : -1;
      if (c === D) {
        i++;
        continue;
      }
      if (c === 13) {
        i++;
        if (i < len && text.charCodeAt(i) === 10) i++;
      } else if (c === 10) i++;
      break;
    }
    endRecord(f);
  }
  if (width < 0) {
    // header only, or no records at all
    if (rec.length || hasHeader) start(opts.columns ?? rec);
    else start(opts.columns ?? []);
  }

  const columns = new Map<string, ArrayLike<unknown>>();
  const prepared = new Map<string, PreparedColumn>();
  names.forEach((nm, k) => {
    const sink = sinks[k]!;
    if (sink instanceof NumSink) {
      const data = sink.finish();
      columns.set(nm, data);
      prepared.set(nm, { type: 'num', col: { kind: 'num', data }, unparseable: sink.unparseable });
    } else if (sink instanceof DateSink) {
      const data = sink.finish();
      columns.set(nm, data);
      prepared.set(nm, { type: 'date', col: { kind: 'num', data }, unparseable: sink.unparseable });
    } else if (sink instanceof CatSink) {
      prepared.set(nm, { type: 'cat', col: sink.finish(), unparseable: [] });
    } else if (sink instanceof AutoSink) {
      const p = sink.finish();
      if (p.col.kind === 'num') columns.set(nm, p.col.data);
      prepared.set(nm, p);
    }
  });
  if (ragged) warnings.push(qualityWarning('ragged_rows', { count: ragged }));
  return { ...emptyRaw(), names, columns, prepared, n: row, hints, fromText: true, warnings };
}

// ---------------------------------------------------------------------------------------------
// URL

async function fetchRaw(url: string, opts: IngestOptions, types?: CsvTypes): Promise<RawTable> {
  const f = opts.fetch ?? (globalThis.fetch as typeof globalThis.fetch | undefined);
  if (typeof f !== 'function')
    throw new FinError('fetch_failed', `Cannot fetch ${url}: fetch() is not available`, { url });
  let res: Response;
  try {
    res = await f(url, { ...opts.fetchInit, ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (e) {
    if (opts.signal?.aborted) throw new FinError('aborted', `Fetching ${url} was aborted`, { url });
    throw new FinError(
      'fetch_failed',
      `Could not fetch ${url}: ${e instanceof Error ? e.message : String(e)}`,
      { url },
    );
  }
  if (!res.ok) {
    throw new FinError(
      'fetch_failed',
      `Fetching ${url} failed: HTTP ${res.status} ${res.statusText}`.trim(),
      {
        url,
        status: res.status,
      },
    );
  }
  const ct = (res.headers.get('content-type') ?? '').toLowerCase();
  const path = url.replace(/[?#].*$/, '').toLowerCase();
  let fmt: 'csv' | 'json' | 'arrow' | undefined = opts.format;
  if (!fmt) {
    if (/arrow/.test(ct)) fmt = 'arrow';
    else if (/json/.test(ct)) fmt = 'json';
    else if (/csv|tab-separated/.test(ct)) fmt = 'csv';
    else if (/\.(arrow|arrows|feather|ipc)$/.test(path)) fmt = 'arrow';
    else if (/\.json$/.test(path)) fmt = 'json';
    else if (/\.(csv|tsv|txt)$/.test(path)) fmt = 'csv';
  }
  try {
    if (fmt === 'csv' || fmt === 'json') return readInput(await res.text(), { ...opts, format: fmt }, types);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return readInput(bytes, fmt ? { ...opts, format: fmt } : opts, types);
  } catch (e) {
    if (e instanceof FinError) throw e;
    throw new FinError(
      'fetch_failed',
      `Could not read ${url}: ${e instanceof Error ? e.message : String(e)}`,
      { url },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Mapping and typing

interface PlanEntry {
  out: string;
  host: string;
  spec: FieldSpec | undefined;
  type: ColumnType;
}

const ID_LIKE = [
  /(?:^|[_\s.-])(id|no|nr|num|number|code|key|phone|mobile|tel|card|account|acct|zip|postcode|zipcode|uuid|guid)$/i,
  /[a-z0-9](Id|ID|No|NO|Num|Number|Code|Key)$/,
  /(号|编号|代码|编码|号码|卡号|账号|帐号|电话|手机)$/,
];

/** Whether a column name says "identifier" (its digits are a label, not a quantity). */
export function isIdLikeName(name: string): boolean {
  return ID_LIKE.some((re) => re.test(name));
}

const DATE_LIKE = /^\s*\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:$|[T\s])/;
const LEADING_ZERO = /^[+-]?0\d/;

/**
 * Type of a column with no schema: `num` if every non-null value is a number (and the name is
 * not identifier-like, no leading zeros, no more than 15 digits), `bool` for true/false values,
 * `date` for Date objects or ISO-like date strings, otherwise `cat`.
 */
export function inferType(name: string, values: ArrayLike<unknown>, hint?: ColumnType): ColumnType {
  if (hint) return hint;
  const idLike = isIdLikeName(name);
  if (isTypedArray(values)) {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      if (idLike) return 'cat';
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) return 'cat';
      }
      return 'num';
    }
    return idLike ? 'cat' : 'num';
  }
  let nonNull = 0;
  let allNum = true;
  let allBool = true;
  let allDate = true;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') {
      if (isNullToken(v)) continue;
      nonNull++;
      if (allBool && !/^\s*(true|false)\s*$/i.test(v)) allBool = false;
      if (allNum) {
        const t = v.trim();
        if (
          parseNumberString(t) !== parseNumberString(t) ||
          LEADING_ZERO.test(t) ||
          t.replace(/\D/g, '').length > 15
        )
          allNum = false;
      }
      if (allDate && !DATE_LIKE.test(v)) allDate = false;
    } else if (typeof v === 'number') {
      nonNull++;
      allBool = false;
      allDate = false;
    } else if (typeof v === 'boolean') {
      nonNull++;
      allNum = false;
      allDate = false;
    } else if (v instanceof Date) {
      nonNull++;
      allNum = false;
      allBool = false;
    } else if (typeof v === 'bigint') {
      nonNull++;
      allBool = false;
      allDate = false;
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) allNum = false;
    } else {
      return 'cat';
    }
    if (!allNum && !allBool && !allDate) return 'cat';
  }
  if (nonNull === 0) return 'cat';
  if (allBool) return 'bool';
  if (allNum) return idLike ? 'cat' : 'num';
  if (allDate) return 'date';
  return 'cat';
}

/** The host column for a wanted name: exact, else the one column equal ignoring case/spaces. */
function resolveHost(names: readonly string[], nameSet: ReadonlySet<string>, host: string): string | null {
  if (nameSet.has(host)) return host;
  const want = host.trim().toLowerCase();
  let found: string | null = null;
  for (const nm of names) {
    if (nm.trim().toLowerCase() === want) {
      if (found !== null) return null;
      found = nm;
    }
  }
  return found;
}

function mappedOf(fields: Record<string, string>, canon: string): string | undefined {
  if (!Object.hasOwn(fields, canon)) return undefined;
  const h = fields[canon];
  return typeof h === 'string' ? h : undefined;
}

/** Host column of each schema field (explicit mapping, else its own name), as `planColumns` resolves it. */
function schemaHosts(
  names: readonly string[],
  schema: DatasetSchema | undefined,
  fields: Record<string, string>,
): Array<{ canon: string; spec: FieldSpec; tried: string; host: string | null; explicit: boolean }> {
  if (!schema) return [];
  const set = new Set(names);
  return Object.entries(schema.fields).map(([canon, spec]) => {
    const explicit = mappedOf(fields, canon);
    const tried = explicit ?? canon;
    const host =
      resolveHost(names, set, tried) ?? (explicit !== undefined ? resolveHost(names, set, canon) : null);
    return { canon, spec, tried, host, explicit: explicit !== undefined };
  });
}

/** CSV columns to decode while parsing: the schema's num, cat and date columns. */
function csvTypes(dataset: string, opts: IngestOptions): CsvTypes | undefined {
  const schema = opts.schema ?? schemaOf(dataset);
  if (!schema) return undefined;
  const fields = opts.fields ?? {};
  return (names) => {
    const out = new Map<string, ColumnType>();
    const conflict = new Set<string>();
    for (const r of schemaHosts(names, schema, fields)) {
      if (r.host === null) continue;
      const prev = out.get(r.host);
      if (prev !== undefined && prev !== r.spec.type) conflict.add(r.host);
      out.set(r.host, r.spec.type);
    }
    for (const [h, t] of out) if (t === 'bool' || conflict.has(h)) out.delete(h);
    return out;
  };
}

/** Inferred type of a host column; a dictionary-encoded one is inferred from its distinct values. */
function inferRaw(name: string, raw: RawTable, host: string): ColumnType {
  const hint = raw.hints.get(host);
  if (hint) return hint;
  const p = raw.prepared.get(host);
  if (p && !p.source) return p.col.kind === 'cat' ? inferType(name, p.col.dict) : p.type;
  return inferType(name, rawValues(raw, host));
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

function missingColumn(
  dataset: string,
  column: string,
  tried: string,
  raw: RawTable,
  missing: string[],
): FinError {
  const available = raw.names.slice();
  const shown = available.length > 50 ? `${available.slice(0, 50).join(', ')}, …` : available.join(', ');
  const mappedNote =
    column === tried ? `column "${tried}"` : `host column "${tried}" (mapped by fields.${column})`;
  return new FinError(
    'missing_column',
    `Dataset "${dataset}": required column "${column}" not found — looked for ${mappedNote}; available columns: ${shown || '(none)'}` +
      (missing.length > 1 ? `. Also missing: ${missing.filter((m) => m !== column).join(', ')}` : ''),
    { dataset, column, tried, available, missing },
  );
}

interface Plan {
  entries: PlanEntry[];
  mapped: Record<string, string>;
  extra: string[];
  missingOptional: string[];
  warnings: QualityWarning[];
}

function planColumns(
  dataset: string,
  raw: RawTable,
  schema: DatasetSchema | undefined,
  fields: Record<string, string>,
): Plan {
  const entries: PlanEntry[] = [];
  const mapped: Record<string, string> = Object.create(null) as Record<string, string>;
  const missingOptional: string[] = [];
  const warnings: QualityWarning[] = [];
  const used = new Set<string>();
  const outNames = new Set<string>();
  const nameSet = new Set(raw.names);
  const missingRequired: Array<[string, string]> = [];
  for (const { canon, spec, tried, host, explicit } of schemaHosts(raw.names, schema, fields)) {
    if (host === null) {
      if (spec.required) missingRequired.push([canon, tried]);
      else {
        missingOptional.push(canon);
        if (explicit) warnings.push(qualityWarning('mapped_column_missing', { column: canon, tried }));
      }
      continue;
    }
    entries.push({ out: canon, host, spec, type: spec.type });
    mapped[canon] = host;
    used.add(host);
    outNames.add(canon);
  }
  if (missingRequired.length) {
    const [canon, tried] = missingRequired[0]!;
    throw missingColumn(
      dataset,
      canon,
      tried,
      raw,
      missingRequired.map(([c]) => c),
    );
  }
  // Mappings for names outside the schema: renames with inferred types.
  for (const canon of Object.keys(fields)) {
    if (outNames.has(canon) || (schema && Object.hasOwn(schema.fields, canon))) continue;
    const tried = mappedOf(fields, canon);
    if (tried === undefined) continue;
    const host = resolveHost(raw.names, nameSet, tried);
    if (host === null) {
      warnings.push(qualityWarning('mapped_column_missing', { column: canon, tried }));
      continue;
    }
    entries.push({ out: canon, host, spec: undefined, type: inferRaw(canon, raw, host) });
    mapped[canon] = host;
    used.add(host);
    outNames.add(canon);
  }
  const extra: string[] = [];
  for (const host of raw.names) {
    if (used.has(host)) continue;
    if (outNames.has(host)) {
      warnings.push(qualityWarning('column_shadowed', { host, column: host, mappedFrom: mapped[host] }));
      continue;
    }
    entries.push({ out: host, host, spec: undefined, type: inferRaw(host, raw, host) });
    extra.push(host);
    outNames.add(host);
  }
  return { entries, mapped, extra, missingOptional, warnings };
}

interface Converted {
  col: Column;
  unparseable: number[];
  unsafeInts: number;
}

/** Pad a short raw column to n (ragged columnar input). */
function padded(values: ArrayLike<unknown>, n: number): ArrayLike<unknown> {
  if (values.length >= n) return values;
  const out = new Array<unknown>(n);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Exact-string dictionary encoding. Strings are trimmed; empty strings and null tokens are missing. */
function toCat(values: ArrayLike<unknown>, n: number, flatten: boolean): Converted {
  const codes = new Int32Array(n);
  const index = new Interner(n);
  const dict = index.dict;
  let unsafeInts = 0;
  let prev: unknown = undefined;
  let prevCode = -1;
  const m = Math.min(n, values.length);
  for (let i = 0; i < m; i++) {
    const v = values[i];
    if (i > 0 && v === prev) {
      codes[i] = prevCode;
      continue;
    }
    let s: string | null;
    if (typeof v === 'string') s = catString(v);
    else if (v === null || v === undefined) s = null;
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) s = null;
      else {
        if (Number.isInteger(v) && Math.abs(v) > MAX_SAFE) unsafeInts++;
        s = String(v);
      }
    } else if (typeof v === 'bigint') s = v.toString();
    else if (typeof v === 'boolean') s = v ? 'true' : 'false';
    else if (v instanceof Date) s = Number.isNaN(v.getTime()) ? null : v.toISOString();
    else {
      try {
        s = JSON.stringify(v) ?? null;
      } catch {
        s = null;
      }
    }
    let code = -1;
    if (s !== null) code = index.intern(s, flatten && s.length >= 13);
    codes[i] = code;
    prev = v;
    prevCode = code;
  }
  for (let i = m; i < n; i++) codes[i] = -1;
  const col: CatColumn = { kind: 'cat', codes, dict };
  return { col, unparseable: [], unsafeInts };
}

/**
 * `toNum` of a Float64Array (Arrow float64, columnar input), monomorphic: a block copy, then one
 * read pass that fixes what the copy cannot (±Infinity → NaN and unparseable, −0 → 0).
 */
function copyFloat64(a: Float64Array, m: number, data: Float64Array, unparseable: number[]): void {
  data.set(m === a.length ? a : a.subarray(0, m));
  for (let i = 0; i < m; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      // NaN stays NaN (missing); ±Infinity is not a value
      if (v === Infinity || v === -Infinity) {
        data[i] = NaN;
        unparseable.push(i);
      }
    } else if (v === 0) data[i] = 0;
  }
}

/** Whether a float column is already what `copyFloat64` would make of it (no ±Infinity, no −0). */
function isCleanFloat64(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v === 0) {
      if (1 / v < 0) return false;
    } else if (v - v !== 0 && v === v) return false;
  }
  return true;
}

/** Numbers: finite only (±Infinity, NaN values and text that is not a number are unparseable). */
function toNum(values: ArrayLike<unknown>, n: number): Converted {
  // Arrow float64 buffers are adopted as they are when nothing needs fixing (zero-copy).
  if (
    values instanceof Float64Array &&
    values.length === n &&
    isAdoptableArray(values) &&
    isCleanFloat64(values)
  )
    return { col: { kind: 'num', data: values }, unparseable: [], unsafeInts: 0 };
  const data = new Float64Array(n);
  const unparseable: number[] = [];
  const m = Math.min(n, values.length);
  if (isTypedArray(values)) {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      for (let i = 0; i < m; i++) data[i] = Number(values[i]!);
    } else if (values instanceof Float64Array) {
      copyFloat64(values, m, data, unparseable);
    } else {
      // NaN in a typed array is the columnar missing marker; ±Infinity is not a value.
      const a = values as Exclude<TypedArray, BigInt64Array | BigUint64Array>;
      for (let i = 0; i < m; i++) {
        const v = a[i]!;
        if (v === Infinity || v === -Infinity) {
          data[i] = NaN;
          unparseable.push(i);
        } else data[i] = v + 0;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      const v = values[i];
      if (typeof v === 'number') {
        if (Number.isFinite(v)) data[i] = v + 0;
        else {
          data[i] = NaN;
          unparseable.push(i);
        }
      } else if (typeof v === 'string') {
        const x = parseNumberString(v);
        if (x === x) data[i] = x;
        else {
          data[i] = NaN;
          if (!isNullToken(v)) unparseable.push(i);
        }
      } else if (v === null || v === undefined) data[i] = NaN;
      else if (typeof v === 'boolean') data[i] = v ? 1 : 0;
      else if (typeof v === 'bigint') data[i] = Number(v);
      else {
        data[i] = NaN;
        unparseable.push(i);
      }
    }
  }
  for (let i = m; i < n; i++) data[i] = NaN;
  const col: NumColumn = { kind: 'num', data };
  return { col, unparseable, unsafeInts: 0 };
}

/** Epoch ms → a date column with period indexes (via `toColumn`); NaN is missing. */
function msToDate(out: string, ms: Float64Array, n: number, tz: string): DateColumn {
  const data = ms.length === n ? ms : padded(ms, n);
  const vals =
    data instanceof Float64Array
      ? data
      : Float64Array.from(data as ArrayLike<number>, (v) => (v === undefined ? NaN : v));
  // Values already validated (NaN, or finite within the Date range) need no converting copy.
  let valid = true;
  for (let i = 0; i < vals.length && valid; i++) {
    const v = vals[i]!;
    if (v === v && !(v > -8.64e15 && v < 8.64e15)) valid = false;
  }
  if (valid) return dateColumn(vals, tz);
  return toColumn(out, 'date', vals, tz) as DateColumn;
}

/**
 * Dates from epoch ms (instants), or from text and Date objects. `wall`: the epoch numbers are a
 * wall clock to place in `tz` (Arrow dates and time-zone-less timestamps).
 */
function toDate(out: string, values: ArrayLike<unknown>, n: number, tz: string, wall = false): Converted {
  let ms: Float64Array;
  let unparseable: number[];
  if (values instanceof Float64Array && values.length === n && isDecodedArray(values)) {
    // Our own decode of Arrow dates (no one else holds it): validate in place, no copy.
    ms = values;
    unparseable = [];
    for (let i = 0; i < n; i++) {
      const v = ms[i]!;
      if (v !== v) continue;
      if (!(Math.abs(v) < 8.64e15)) {
        ms[i] = NaN;
        unparseable.push(i);
      }
    }
    return { col: wall ? wallClockDateColumn(ms, tz) : dateColumn(ms, tz), unparseable, unsafeInts: 0 };
  } else if (values instanceof Float64Array || values instanceof Float32Array) {
    // Epoch ms; NaN is the typed-array missing marker, ±Infinity unparseable.
    ms = new Float64Array(n).fill(NaN);
    unparseable = [];
    const m = Math.min(n, values.length);
    for (let i = 0; i < m; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      if (Number.isFinite(v) && Math.abs(v) < 8.64e15) ms[i] = v;
      else unparseable.push(i);
    }
  } else {
    const sink = new DateSink(tz, n);
    const m = Math.min(n, values.length);
    for (let i = 0; i < m; i++) sink.addValue(values[i]);
    for (let i = m; i < n; i++) sink.addValue(undefined);
    ms = sink.finish();
    unparseable = sink.unparseable;
  }
  if (wall && ms.length === n) return { col: wallClockDateColumn(ms, tz), unparseable, unsafeInts: 0 };
  return { col: msToDate(out, ms, n, tz), unparseable, unsafeInts: 0 };
}

function toBool(out: string, values: ArrayLike<unknown>, n: number, tz: string): Converted {
  let vals: ArrayLike<unknown> = padded(values, n);
  // NaN is the typed-array missing marker (a CSV 0/1 column arrives as a Float64Array): missing.
  if (isTypedArray(vals)) vals = Array.from(vals as ArrayLike<unknown>, (v) => (v === v ? v : null));
  else if (!Array.isArray(vals)) vals = Array.from(vals);
  const unparseable: number[] = [];
  const col = toColumn(out, 'bool', vals, tz, (iss: CellIssue) => unparseable.push(iss.row)) as BoolColumn;
  return { col, unparseable, unsafeInts: 0 };
}

/**
 * Convert a dictionary-encoded column to another type by converting each distinct value once
 * (CSV columns are read dictionary-encoded; missing cells are already code -1).
 */
function fromDictionary(entry: PlanEntry, col: CatColumn, n: number, tz: string): Converted {
  const { dict, codes } = col;
  const bad = new Uint8Array(dict.length);
  let vals: Float64Array;
  if (entry.type === 'num') {
    const conv = toNum(dict, dict.length);
    vals = (conv.col as NumColumn).data;
    for (const k of conv.unparseable) bad[k] = 1;
  } else if (entry.type === 'date') {
    const sink = new DateSink(tz, dict.length);
    for (const d of dict) sink.addValue(d);
    vals = sink.finish();
    for (const k of sink.unparseable) bad[k] = 1;
  } else if (entry.type === 'bool') {
    const b = toColumn(entry.out, 'bool', dict, tz, (iss) => (bad[iss.row] = 1)) as BoolColumn;
    const data = new Int8Array(n);
    const unparseable: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = codes[i]!;
      data[i] = c < 0 ? -1 : b.data[c]!;
      if (c >= 0 && bad[c]) unparseable.push(i);
    }
    return { col: { kind: 'bool', data }, unparseable, unsafeInts: 0 };
  } else return { col, unparseable: [], unsafeInts: 0 };
  const data = new Float64Array(n);
  const unparseable: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c < 0) data[i] = NaN;
    else {
      data[i] = vals[c]!;
      if (bad[c]) unparseable.push(i);
    }
  }
  if (entry.type === 'num') return { col: { kind: 'num', data }, unparseable, unsafeInts: 0 };
  return { col: msToDate(entry.out, data, n, tz), unparseable, unsafeInts: 0 };
}

function convert(entry: PlanEntry, raw: RawTable, n: number, tz: string): Converted {
  const p = raw.prepared.get(entry.host);
  if (p && p.type === entry.type) {
    if (p.type === 'date')
      return {
        col: msToDate(entry.out, (p.col as NumColumn).data, n, tz),
        unparseable: p.unparseable,
        unsafeInts: 0,
      };
    return { col: p.col, unparseable: p.unparseable, unsafeInts: 0 };
  }
  if (p && p.col.kind === 'cat' && !p.source) return fromDictionary(entry, p.col, n, tz);
  const values = rawValues(raw, entry.host);
  switch (entry.type) {
    case 'cat':
      return toCat(values, n, raw.fromText);
    case 'num':
      return toNum(values, n);
    case 'date':
      return toDate(entry.out, values, n, tz, raw.wallClock?.has(entry.host) ?? false);
    case 'bool':
      return toBool(entry.out, values, n, tz);
  }
}

/** Map case variants of allowed categories onto the allowed spelling (`Active` → `active`). */
function normalizeCategories(col: CatColumn, allowed: string[]): { col: CatColumn; changed: string[] } {
  const exact = new Set(allowed);
  const lower = new Map<string, string>();
  for (const a of allowed) lower.set(a.toLowerCase(), a);
  const changed: string[] = [];
  for (const d of col.dict) {
    if (!exact.has(d) && lower.has(d.toLowerCase())) changed.push(d);
  }
  if (!changed.length) return { col, changed };
  return {
    col: mapDictionary(col, (s) => (exact.has(s) ? s : (lower.get(s.toLowerCase()) ?? s))),
    changed,
  };
}

// ---------------------------------------------------------------------------------------------
// Row selection

function compactColumn(col: Column, idx: Int32Array): Column {
  const k = idx.length;
  switch (col.kind) {
    case 'num': {
      const data = new Float64Array(k);
      for (let j = 0; j < k; j++) data[j] = col.data[idx[j]!]!;
      return { kind: 'num', data };
    }
    case 'bool': {
      const data = new Int8Array(k);
      for (let j = 0; j < k; j++) data[j] = col.data[idx[j]!]!;
      return { kind: 'bool', data };
    }
    case 'cat': {
      // Keep only dictionary entries still in use (in first-use order).
      const remap = new Int32Array(col.dict.length).fill(-1);
      const dict: string[] = [];
      const codes = new Int32Array(k);
      for (let j = 0; j < k; j++) {
        const c = col.codes[idx[j]!]!;
        if (c < 0) {
          codes[j] = -1;
          continue;
        }
        let r = remap[c]!;
        if (r < 0) {
          r = dict.length;
          remap[c] = r;
          dict.push(col.dict[c]!);
        }
        codes[j] = r;
      }
      return { kind: 'cat', codes, dict };
    }
    case 'date': {
      const data = new Float64Array(k);
      const day = new Int32Array(k);
      const month = new Int32Array(k);
      const week = new Int32Array(k);
      const hour = new Int8Array(k);
      const dow = new Int8Array(k);
      for (let j = 0; j < k; j++) {
        const i = idx[j]!;
        data[j] = col.data[i]!;
        day[j] = col.day[i]!;
        month[j] = col.month[i]!;
        week[j] = col.week[i]!;
        hour[j] = col.hour[i]!;
        dow[j] = col.dow[i]!;
      }
      return { kind: 'date', data, day, month, week, hour, dow };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Masking

/** Whether (≥ 90 % of sampled) values of a numeric column are mainland mobile numbers. */
function looksLikePhones(data: Float64Array): boolean {
  let seen = 0;
  let phones = 0;
  const step = Math.max(1, Math.floor(data.length / 2000)); // a sample is enough
  for (let i = 0; i < data.length; i += step) {
    const v = data[i]!;
    if (v !== v) continue;
    seen++;
    if (v >= 13000000000 && v < 20000000000 && Number.isInteger(v)) phones++;
  }
  return seen > 0 && phones * 10 >= seen * 9;
}

function applyMasking(
  cols: Map<string, Column>,
  plan: PlanEntry[],
  opts: IngestOptions,
  warnings: QualityWarning[],
): { masked: boolean; maskedColumns: string[] } {
  const piiCols: Array<[PlanEntry, PiiKind]> = [];
  for (const e of plan) {
    const col = cols.get(e.out);
    if (!col || col.kind !== 'cat') continue;
    const kind = e.spec ? e.spec.pii : (guessPiiKind(e.out) ?? guessPiiKind(e.host));
    if (kind) piiCols.push([e, kind]);
  }
  if (opts.unmask === true) {
    if (piiCols.length) warnings.push(qualityWarning('unmasked', { columns: piiCols.map(([e]) => e.out) }));
    return { masked: false, maskedColumns: [] };
  }
  if (opts.mask === false) warnings.push(qualityWarning('mask_off_ignored'));
  const maskedColumns: string[] = [];
  const noneKinds = new Set<PiiKind>();
  const piiOut = new Set(piiCols.map(([e]) => e.out));
  for (const [e, kind] of piiCols) {
    const fn = maskerFor(kind, opts.maskRules);
    if (!fn) {
      noneKinds.add(kind);
      continue;
    }
    cols.set(e.out, mapDictionary(cols.get(e.out) as CatColumn, fn));
    maskedColumns.push(e.out);
  }
  if (noneKinds.size) warnings.push(qualityWarning('mask_rule_none', { kinds: [...noneKinds] }));
  // Mobile numbers that arrived as numbers in a column outside the schema: make them strings.
  for (const e of plan) {
    const col = cols.get(e.out);
    if (e.spec || !col || col.kind !== 'num' || !looksLikePhones(col.data)) continue;
    const strings = Array.from(col.data, (v) => (v === v ? String(v) : null));
    const fn = maskerFor('phone', opts.maskRules);
    const c = toCat(strings, strings.length, false).col as CatColumn;
    cols.set(e.out, fn ? mapDictionary(c, fn) : c);
    if (fn) maskedColumns.push(e.out);
    warnings.push(qualityWarning('pii_in_column', { column: e.out, kinds: ['phone'] }));
  }
  // Free text and unannounced PII in any text column (schema categories such as a transaction
  // description included; they reach labels, tooltips and exports): scan the dictionary.
  for (const e of plan) {
    const col = cols.get(e.out);
    if (!col || col.kind !== 'cat' || piiOut.has(e.out)) continue;
    if (e.spec && /_id$/.test(e.out)) {
      // Schema identifiers are join keys. Every value holding a personal number (a customer_id
      // that is a mobile, resident-ID or card number), whatever its share of the column, shows
      // as its mask plus a stable hash of the raw value: ids stay unique and join alike in every
      // dataset (pii-shapes.ts, issue 13 #3).
      const kinds = new Set<string>();
      for (const s of col.dict) if (mayHoldPii(s)) for (const f of scanShapes(s)) kinds.add(f.kind);
      if (!kinds.size) continue;
      cols.set(
        e.out,
        mapDictionary(col, (s) => (mayHoldPii(s) ? maskIdentifier(s, opts.maskRules) : s)),
      );
      maskedColumns.push(e.out);
      warnings.push(qualityWarning('pii_in_identifier', { column: e.out, kinds: [...kinds] }));
      continue;
    }
    // Free text: personal numbers by shape, not by checksum (issue 13 #4).
    const kinds = new Set<string>();
    for (const s of col.dict) if (mayHoldPii(s)) for (const f of scanShapes(s)) kinds.add(f.kind);
    if (!kinds.size) continue;
    cols.set(
      e.out,
      mapDictionary(col, (s) => (mayHoldPii(s) ? maskShapes(s, opts.maskRules) : s)),
    );
    maskedColumns.push(e.out);
    warnings.push(qualityWarning('pii_in_column', { column: e.out, kinds: [...kinds] }));
  }
  return { masked: true, maskedColumns };
}

// ---------------------------------------------------------------------------------------------
// Assembly

function dateRangeOf(opts: IngestOptions): [number, number] {
  try {
    return resolveDateRange(opts.dateRange);
  } catch (e) {
    throw new FinError('bad_params', e instanceof Error ? e.message : String(e), {
      dateRange: opts.dateRange,
    });
  }
}

function buildDataset(name: string, raw: RawTable, opts: IngestOptions): IngestResult {
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  const schema = opts.schema ?? schemaOf(name);
  const fields = opts.fields ?? {};
  const warnings: QualityWarning[] = [...raw.warnings];
  const n = raw.n;

  let plan: Plan;
  if (raw.names.length === 0 && n === 0) {
    // Nothing to read (e.g. `[]`): an empty dataset with the schema's columns, not an error.
    warnings.push(qualityWarning('empty_input'));
    const empty: RawTable = { ...raw, names: [], columns: new Map(), prepared: new Map() };
    if (schema)
      for (const k of Object.keys(schema.fields)) {
        empty.names.push(k);
        empty.columns.set(k, []);
      }
    plan = planColumns(name, empty, schema, {});
    raw = empty;
  } else {
    plan = planColumns(name, raw, schema, fields);
  }
  warnings.push(...plan.warnings);

  // Convert.
  const checked: CheckedColumn[] = [];
  for (const e of plan.entries) {
    const conv = convert(e, raw, n, tz);
    let col = conv.col;
    if (col.kind === 'cat' && e.spec?.values) {
      const norm = normalizeCategories(col, e.spec.values);
      if (norm.changed.length) {
        col = norm.col;
        warnings.push(
          qualityWarning('category_normalized', { column: e.out, values: norm.changed.slice(0, 10) }),
        );
      }
    }
    if (conv.unsafeInts)
      warnings.push(qualityWarning('unsafe_integer_id', { column: e.out, count: conv.unsafeInts }));
    checked.push({ name: e.out, col, spec: e.spec, unparseable: conv.unparseable });
  }

  // Validate.
  const byName = new Map<string, Column>();
  for (const c of checked) byName.set(c.name, c.col);
  const keyCols =
    schema && schema.key.length && schema.key.every((k) => byName.has(k))
      ? schema.key.map((k) => byName.get(k)!)
      : null;
  const rej = validateRows(n, checked, keyCols, dateRangeOf(opts));
  const summary = summarizeRows(n, rej, checked);

  // Keep the good rows.
  const cols = new Map<string, Column>();
  if (summary.rowsKept < n) {
    const idx = new Int32Array(summary.rowsKept);
    let k = 0;
    for (let i = 0; i < n; i++) if (rej[i] === 0) idx[k++] = i;
    for (const c of checked) cols.set(c.name, compactColumn(c.col, idx));
  } else {
    // Every dictionary entry comes from a cell, so with all rows kept none is unused.
    for (const c of checked) cols.set(c.name, c.col);
  }

  // Mask.
  const { masked, maskedColumns } = applyMasking(cols, plan.entries, opts, warnings);

  // Report.
  if (summary.rowsRejected > 0) {
    const byReason = { ...summary.rejected };
    if (summary.rowsKept === 0) warnings.push(qualityWarning('all_rows_rejected', { rowsRead: n }));
    warnings.push(qualityWarning('rows_rejected', { count: summary.rowsRejected, rowsRead: n, byReason }));
  }
  if (summary.duplicatesRemoved > 0 && schema) {
    warnings.push(
      qualityWarning('duplicates_removed', { count: summary.duplicatesRemoved, key: schema.key }),
    );
  }
  const coercedCols = Object.keys(summary.coerced);
  if (coercedCols.length) {
    let count = 0;
    for (const c of coercedCols) for (const v of Object.values(summary.coerced[c]!)) count += v ?? 0;
    warnings.push(qualityWarning('cells_coerced', { count, columns: coercedCols }));
  }

  const outCols: Record<string, Column> = Object.create(null) as Record<string, Column>;
  const types: Record<string, ColumnType> = Object.create(null) as Record<string, ColumnType>;
  for (const e of plan.entries) {
    outCols[e.out] = cols.get(e.out)!;
    types[e.out] = cols.get(e.out)!.kind;
  }
  const dataset: Dataset = { name, n: summary.rowsKept, cols: outCols, timeZone: tz, masked };
  const report: DataQualityReport = {
    dataset: name,
    ...summary,
    warnings,
    columns: { mapped: plan.mapped, extra: plan.extra, missingOptional: plan.missingOptional, types },
    maskedColumns,
  };
  return { dataset, report };
}

/** An empty report (e.g. for a dataset that has not loaded yet). */
export function emptyReport(dataset: string): DataQualityReport {
  return {
    dataset,
    rowsRead: 0,
    rowsKept: 0,
    rowsRejected: 0,
    rejected: emptyRejected(),
    duplicatesRemoved: 0,
    coerced: Object.create(null) as DataQualityReport['coerced'],
    samples: {
      missing_required: [],
      unparseable_number: [],
      unparseable_date: [],
      negative_amount: [],
      out_of_range: [],
      invalid_category: [],
      duplicate_key: [],
    },
    warnings: [],
    columns: { mapped: {}, extra: [], missingOptional: [], types: {} },
    maskedColumns: [],
  };
}
