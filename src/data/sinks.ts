/**
 * Typed CSV sinks: each receives a field as a range of the text, so numbers, dates and categories
 * of schema columns are decoded without materialising one string per cell.
 */
import { isNullToken, offsetGetter, parseDateString, parseNumberString } from './columns.js';
import type { CatColumn } from './dataset.js';
import { Interner } from './intern.js';
import type { PreparedColumn } from './raw.js';

export interface Sink {
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

/** Text read as a missing category (compared lower-cased, after trimming). */
export const NULL_CAT: ReadonlySet<string> = new Set(['na', 'n/a', 'null', 'none', 'nan', '-', '—']);

/** Normalise a category string: trimmed; '' and null tokens → null. */
export function catString(v: string): string | null {
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
