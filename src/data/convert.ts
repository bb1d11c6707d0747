/**
 * Conversion of a planned column to its typed form: categories as exact strings in a dictionary,
 * numbers as Float64Array, dates as epoch ms with period indexes, booleans as Int8Array.
 */
import { isAdoptableArray, isDecodedArray } from './arquero.js';
import type { CellIssue } from './columns.js';
import { dateColumn, isNullToken, parseNumberString, toColumn, wallClockDateColumn } from './columns.js';
import type { BoolColumn, CatColumn, Column, DateColumn, NumColumn } from './dataset.js';
import type { TypedArray } from './ingest-types.js';
import { Interner } from './intern.js';
import { mapDictionary } from './mask.js';
import type { PlanEntry } from './plan.js';
import { isTypedArray, rawValues } from './raw.js';
import type { RawTable } from './raw.js';
import { catString, DateSink } from './sinks.js';

export interface Converted {
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
export function toCat(values: ArrayLike<unknown>, n: number, flatten: boolean): Converted {
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

export function convert(entry: PlanEntry, raw: RawTable, n: number, tz: string): Converted {
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
export function normalizeCategories(
  col: CatColumn,
  allowed: string[],
): { col: CatColumn; changed: string[] } {
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
