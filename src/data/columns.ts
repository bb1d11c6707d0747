import type { BoolColumn, CatColumn, Column, Dataset, DateColumn, NumColumn } from './dataset.js';
import { NULL_INDEX } from './dataset.js';
import { Interner } from './intern.js';
import { parseNumberString } from './number-parse.js';

/** Strict numeric text (see number-parse.ts); re-exported for existing importers. */
export { parseNumberString };

/** Column types the converter produces. */
export type ColumnType = 'num' | 'cat' | 'bool' | 'date';

/** A problem met while converting one cell; ingestion turns these into quality counts. */
export interface CellIssue {
  column: string;
  row: number;
  reason: 'unparseable_number' | 'unparseable_date' | 'unparseable_bool';
}

const DAY = 86400000;

const getters = new Map<string, (ms: number) => number>();

/**
 * UTC offset (ms) of `tz` at instant `ms`, cached per UTC hour: one Intl call per distinct hour,
 * not per row. Getters are shared per zone (building an Intl.DateTimeFormat costs ~0.2 ms).
 * Throws a RangeError for an unknown zone.
 */
export function offsetGetter(tz: string): (ms: number) => number {
  let g = getters.get(tz);
  if (!g) {
    g = makeOffsetGetter(tz);
    getters.set(tz, g);
  }
  return g;
}

function makeOffsetGetter(tz: string): (ms: number) => number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return () => 0;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const cache = new Map<number, number>();
  const atHour = (h: number): number => {
    let off = cache.get(h);
    if (off === undefined) {
      const p: Record<string, number> = {};
      for (const part of fmt.formatToParts(new Date(h * 3600000))) {
        if (part.type !== 'literal') p[part.type] = Number(part.value);
      }
      off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - h * 3600000;
      cache.set(h, off);
    }
    return off;
  };
  // Per UTC day, the offset when it is the same at the day's first and last hour (no transition
  // that day): one typed-array read per value instead of a Map probe. Days with a transition (NaN
  // in the table = not yet known, Infinity = changes within the day) use the per-hour cache.
  let byDay: Float64Array | null = null;
  return (ms: number) => {
    const d = Math.floor(ms / 86400000) - DAY_LO;
    if (d >= 0 && d < DAY_SPAN) {
      byDay ??= new Float64Array(DAY_SPAN).fill(NaN);
      let off = byDay[d]!;
      if (off !== off) {
        const h0 = (d + DAY_LO) * 24;
        const a = atHour(h0);
        off = atHour(h0 + 12) === a && atHour(h0 + 23) === a ? a : Infinity;
        byDay[d] = off;
      }
      if (off !== Infinity) return off;
    }
    return atHour(Math.floor(ms / 3600000));
  };
}

/** UTC days covered by the per-day offset table: 1900-01-01 … 2199-12-31 (others use the hour cache). */
const DAY_LO = -25567;
const DAY_SPAN = 109573;

/** Month index (`year * 12 + month − 1`) of a day index (days since 1970-01-01), by integer arithmetic. */
export function monthOfDayIndex(dd: number): number {
  // civil_from_days (H. Hinnant): exact for every day in the proleptic Gregorian calendar.
  const z = dd + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 12 + m - 1;
}

const DATE_RE =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parse a date / date-time string. Without an explicit offset it is a wall-clock time in `tz`.
 * Returns the UTC epoch ms, or NaN when the string is not a real calendar date (2024-02-30 is NaN).
 */
export function parseDateString(s: string, offsetAt: (ms: number) => number): number {
  const m = DATE_RE.exec(s.trim());
  if (!m) return NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const hh = m[4] ? Number(m[4]) : 0;
  const mi = m[5] ? Number(m[5]) : 0;
  const ss = m[6] ? Number(m[6]) : 0;
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  if (mo < 1 || mo > 12 || d < 1 || hh > 23 || mi > 59 || ss > 59) return NaN;
  const wall = Date.UTC(y, mo - 1, d, hh, mi, ss, frac);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return NaN;
  const tzs = m[8];
  if (tzs) {
    if (tzs === 'Z') return wall;
    const sign = tzs[0] === '-' ? -1 : 1;
    const digits = tzs.slice(1).replace(':', '');
    const off = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
    return wall - off;
  }
  // Wall clock in tz: subtract the offset in force at that moment (two passes settle DST edges).
  let ms = wall - offsetAt(wall);
  ms = wall - offsetAt(ms);
  return ms;
}

/** Build a typed date column from epoch-ms values, computing period indexes in `tz`. */
export function dateColumn(ms: Float64Array, tz: string): DateColumn {
  return indexDates(ms, tz, false);
}

/**
 * Build a typed date column from wall-clock values in `tz` (calendar dates and time-zone-less
 * timestamps, as epoch ms of the same wall clock in UTC): each value is turned, in place, into the
 * instant that wall clock shows in `tz` — what a CSV cell `2024-01-05` means — and indexed.
 */
export function wallClockDateColumn(wall: Float64Array, tz: string): DateColumn {
  return indexDates(wall, tz, true);
}

/** Slots of the per-value cache of `indexDates` (2^12) and the hash shift that selects one. */
const DATE_CACHE = 4096;
const SHIFT = 32 - 12;

function indexDates(data: Float64Array, tz: string, wall: boolean): DateColumn {
  const n = data.length;
  const offsetAt = offsetGetter(tz);
  const day = new Int32Array(n);
  const month = new Int32Array(n);
  const week = new Int32Array(n);
  const hour = new Int8Array(n);
  const dow = new Int8Array(n);
  // Dates repeat (month-end snapshots, days of transactions): a direct-mapped cache from the value
  // to everything derived from it, so a repeated value costs one compare and six copies.
  const cKey = new Float64Array(DATE_CACHE).fill(NaN);
  const cMs = new Float64Array(DATE_CACHE);
  const cDay = new Int32Array(DATE_CACHE);
  const cMonth = new Int32Array(DATE_CACHE);
  const cWeek = new Int32Array(DATE_CACHE);
  const cHour = new Int8Array(DATE_CACHE);
  const cDow = new Int8Array(DATE_CACHE);
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v !== v) {
      day[i] = month[i] = week[i] = NULL_INDEX;
      hour[i] = dow[i] = -1;
      continue;
    }
    // minute of the value, Fibonacci-hashed (top bits of the product) onto the slots
    const slot = Math.imul((v / 60000) | 0, 0x9e3779b1) >>> SHIFT;
    if (cKey[slot] !== v) {
      let ms = v;
      if (wall) {
        // Wall clock → instant: subtract the offset in force (two passes settle DST edges).
        ms = v - offsetAt(v);
        ms = v - offsetAt(ms);
      }
      const local = ms + offsetAt(ms);
      const dd = Math.floor(local / DAY);
      cKey[slot] = v;
      cMs[slot] = ms;
      cDay[slot] = dd;
      // beyond the Date range (±8.64e15 ms) `new Date()` gave NaN, stored as 0: keep that
      cMonth[slot] = Math.abs(dd * DAY) <= 8.64e15 ? monthOfDayIndex(dd) : 0;
      // 1970-01-01 was a Thursday: ISO weekday = ((dd + 3) mod 7) + 1; weeks start Monday 1969-12-29.
      cDow[slot] = ((((dd + 3) % 7) + 7) % 7) + 1;
      cWeek[slot] = Math.floor((dd + 3) / 7);
      cHour[slot] = Math.floor((local - dd * DAY) / 3600000);
    }
    if (wall) data[i] = cMs[slot]!;
    day[i] = cDay[slot]!;
    month[i] = cMonth[slot]!;
    week[i] = cWeek[slot]!;
    hour[i] = cHour[slot]!;
    dow[i] = cDow[slot]!;
  }
  return { kind: 'date', data, day, month, week, hour, dow };
}

/** Dictionary-encode strings; null/undefined/'' become -1. */
export function catColumn(values: ArrayLike<unknown>): CatColumn {
  const n = values.length;
  const codes = new Int32Array(n);
  const index = new Interner();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || v === '') {
      codes[i] = -1;
      continue;
    }
    codes[i] = index.intern(typeof v === 'string' ? v : String(v));
  }
  return { kind: 'cat', codes, dict: index.dict };
}

const NULL_TOKENS = new Set(['', 'na', 'n/a', 'null', 'none', 'nan', '-', '—']);

/** True for the textual spellings of a missing value. */
export function isNullToken(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && NULL_TOKENS.has(v.trim().toLowerCase()));
}

/**
 * Convert raw values to a typed column. Unparseable cells become missing and are reported
 * through `onIssue` so the quality report can count them; nothing is dropped silently.
 */
export function toColumn(
  name: string,
  type: ColumnType,
  values: ArrayLike<unknown>,
  tz: string,
  onIssue?: (issue: CellIssue) => void,
): Column {
  const n = values.length;
  if (type === 'cat') return catColumn(values);
  if (type === 'num') {
    if (values instanceof Float64Array) {
      // NaN is the missing marker of a Float64Array; ±Infinity is not a value; -0 → 0.
      let clean = true;
      for (let i = 0; i < n && clean; i++) {
        const v = values[i]!;
        if (v === Infinity || v === -Infinity || Object.is(v, -0)) clean = false;
      }
      if (clean) return { kind: 'num', data: values } as NumColumn;
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (v === Infinity || v === -Infinity) {
          data[i] = NaN;
          onIssue?.({ column: name, row: i, reason: 'unparseable_number' });
        } else data[i] = v + 0;
      }
      return { kind: 'num', data };
    }
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v === 'number') {
        data[i] = Number.isFinite(v) ? v + 0 : NaN;
        if (!Number.isFinite(v)) onIssue?.({ column: name, row: i, reason: 'unparseable_number' });
      } else if (isNullToken(v)) data[i] = NaN;
      else if (typeof v === 'boolean') data[i] = v ? 1 : 0;
      else {
        const x = parseNumberString(String(v));
        if (Number.isFinite(x)) data[i] = x;
        else {
          data[i] = NaN;
          onIssue?.({ column: name, row: i, reason: 'unparseable_number' });
        }
      }
    }
    return { kind: 'num', data };
  }
  if (type === 'bool') {
    const data = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === true || v === 1) data[i] = 1;
      else if (v === false || v === 0) data[i] = 0;
      else if (isNullToken(v)) data[i] = -1;
      else {
        const s = String(v).trim().toLowerCase();
        if (s === 'true' || s === '1' || s === 'yes' || s === 'y' || s === '是') data[i] = 1;
        else if (s === 'false' || s === '0' || s === 'no' || s === 'n' || s === '否') data[i] = 0;
        else {
          data[i] = -1;
          onIssue?.({ column: name, row: i, reason: 'unparseable_bool' });
        }
      }
    }
    return { kind: 'bool', data } as BoolColumn;
  }
  // date
  const offsetAt = offsetGetter(tz);
  const ms = new Float64Array(n);
  const parsed = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      ms[i] = Number.isFinite(v) && Math.abs(v) < 8.64e15 ? v : NaN;
      if (Number.isNaN(ms[i]!)) onIssue?.({ column: name, row: i, reason: 'unparseable_date' });
    } else if (v instanceof Date) {
      ms[i] = v.getTime();
      if (Number.isNaN(ms[i]!)) onIssue?.({ column: name, row: i, reason: 'unparseable_date' });
    } else if (isNullToken(v)) ms[i] = NaN;
    else {
      const s = String(v);
      let x = parsed.get(s);
      if (x === undefined) {
        x = parseDateString(s, offsetAt);
        parsed.set(s, x);
      }
      ms[i] = x;
      if (Number.isNaN(x)) onIssue?.({ column: name, row: i, reason: 'unparseable_date' });
    }
  }
  return dateColumn(ms, tz);
}

/** Build a Dataset from plain column arrays and a type per column (no validation). */
export function datasetFromColumns(
  name: string,
  columns: Record<string, ArrayLike<unknown>>,
  types: Record<string, ColumnType>,
  opts: { timeZone?: string; masked?: boolean } = {},
): Dataset {
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  // Null prototype: column names are data-controlled (`__proto__`, `constructor` stay harmless).
  const cols: Record<string, Column> = Object.create(null) as Record<string, Column>;
  let n = 0;
  for (const [k, v] of Object.entries(columns)) {
    n = Math.max(n, v.length);
    cols[k] = toColumn(k, (Object.hasOwn(types, k) ? types[k] : undefined) ?? 'cat', v, tz);
  }
  return { name, n, cols, timeZone: tz, masked: opts.masked ?? false };
}
