/**
 * Duplicate keys: the rows whose schema key (every key cell present) repeats an earlier kept row
 * (quality.ts, rule 7). Key columns become small integer ids, combined into one id per row, and
 * repeats are found with a table (or a set beyond 2^26 distinct keys).
 */
import type { CatColumn, Column, DateColumn } from './dataset.js';

/** Small-integer id per row for one key column (-1 missing) and the number of distinct ids. */
function keyIds(col: Column, n: number): { ids: Int32Array; card: number } {
  switch (col.kind) {
    case 'cat':
      return { ids: col.codes, card: Math.max(1, col.dict.length) };
    case 'bool': {
      const ids = new Int32Array(n);
      for (let i = 0; i < n; i++) ids[i] = col.data[i]!;
      return { ids, card: 2 };
    }
    case 'date':
      return dayIds(col, n) ?? numberIds(col.data, n);
    default:
      return numberIds(col.data, n);
  }
}

/**
 * Dense ids of the days of a date column (in order of first appearance) when each day holds one
 * instant (calendar dates: snapshot and issue dates): `dense[day − lo]`, `days` of them. Null when
 * two instants share a day or the span of days is too wide for a lookup table; `days` 0 when no
 * row has a date.
 */
function denseDays(col: DateColumn, n: number): { lo: number; dense: Int32Array; days: number } | null {
  const day = col.day;
  const ms = col.data;
  let lo = 2147483647;
  let hi = -2147483648;
  for (let i = 0; i < n; i++) {
    if (ms[i] !== ms[i]) continue;
    const d = day[i]!;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  if (lo > hi) return { lo: 0, dense: new Int32Array(0), days: 0 };
  const span = hi - lo + 1;
  if (span > 4_000_000) return null;
  const first = new Float64Array(span).fill(NaN);
  const dense = new Int32Array(span);
  let days = 0;
  for (let i = 0; i < n; i++) {
    const v = ms[i]!;
    if (v !== v) continue;
    const k = day[i]! - lo;
    const f = first[k]!;
    if (f !== v) {
      if (f === f) return null;
      first[k] = v;
      dense[k] = days++;
    }
  }
  return { lo, dense, days };
}

/** Ids of a date column's days (see denseDays); null when the instants must be numbered instead. */
function dayIds(col: DateColumn, n: number): { ids: Int32Array; card: number } | null {
  const dd = denseDays(col, n);
  if (!dd) return null;
  const ids = new Int32Array(n);
  const { lo, dense } = dd;
  for (let i = 0; i < n; i++) ids[i] = col.data[i] !== col.data[i] ? -1 : dense[col.day[i]! - lo]!;
  return { ids, card: Math.max(1, dd.days) };
}

/**
 * Ids of distinct numbers in order of first appearance (−1 for NaN). A direct-mapped cache in
 * front of the Map: key columns such as snapshot dates cycle through few values in any order.
 */
function numberIds(d: Float64Array, n: number): { ids: Int32Array; card: number } {
  const ids = new Int32Array(n);
  const index = new Map<number, number>();
  const cacheVal = new Float64Array(1024).fill(NaN);
  const cacheId = new Int32Array(1024);
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    if (v !== v) {
      ids[i] = -1;
      continue;
    }
    const slot = (Math.floor(v / 1000) ^ Math.floor(v / 86400000)) & 1023;
    if (cacheVal[slot] === v) {
      ids[i] = cacheId[slot]!;
      continue;
    }
    let id = index.get(v);
    if (id === undefined) {
      id = index.size;
      index.set(v, id);
    }
    ids[i] = id;
    cacheVal[slot] = v;
    cacheId[slot] = id;
  }
  return { ids, card: Math.max(1, index.size) };
}

const DIRECT_LIMIT = 2 ** 26;

/** Mark later repeats of the key among kept rows (`rej[i] === 0`) with the rejection code `D`. */
export function markDuplicates(n: number, key: Column[], rej: Uint8Array, D: number): void {
  const [k0, k1] = key;
  if (key.length === 2 && k0!.kind === 'cat' && k1!.kind === 'date' && catDayDuplicates(n, k0!, k1!, rej, D))
    return;
  let { ids: comb, card } = keyIds(key[0]!, n);
  for (let j = 1; j < key.length; j++) {
    const next = keyIds(key[j]!, n);
    const prod = card * next.card;
    const out = new Int32Array(n);
    if (prod <= 0x7fffffff) {
      for (let i = 0; i < n; i++) {
        const a = comb[i]!;
        const b = next.ids[i]!;
        out[i] = a < 0 || b < 0 ? -1 : a * next.card + b;
      }
      card = prod;
    } else {
      // Re-intern the combined key to keep ids small (exact while prod ≤ 2^53).
      const index = new Map<number | string, number>();
      const exact = prod <= Number.MAX_SAFE_INTEGER;
      for (let i = 0; i < n; i++) {
        const a = comb[i]!;
        const b = next.ids[i]!;
        if (a < 0 || b < 0 || rej[i] !== 0) {
          out[i] = -1;
          continue;
        }
        const k = exact ? a * next.card + b : `${a}|${b}`;
        let id = index.get(k);
        if (id === undefined) {
          id = index.size;
          index.set(k, id);
        }
        out[i] = id;
      }
      card = Math.max(1, index.size);
    }
    comb = out;
  }
  if (card <= DIRECT_LIMIT) {
    const seen = new Uint8Array(card);
    for (let i = 0; i < n; i++) {
      if (rej[i] !== 0) continue;
      const k = comb[i]!;
      if (k < 0) continue;
      if (seen[k]) rej[i] = D;
      else seen[k] = 1;
    }
  } else {
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      if (rej[i] !== 0) continue;
      const k = comb[i]!;
      if (k < 0) continue;
      if (seen.has(k)) rej[i] = D;
      else seen.add(k);
    }
  }
}

/**
 * `markDuplicates` for the commonest key, an id and a calendar date (loan_id, snapshot_date),
 * without per-row key arrays: day → dense id from a table over the span of days, then one pass
 * that marks repeats. False (nothing marked) when a day holds two instants or the tables would
 * be too large; the general path then runs.
 */
function catDayDuplicates(n: number, id: CatColumn, date: DateColumn, rej: Uint8Array, D: number): boolean {
  const dd = denseDays(date, n);
  if (!dd) return false;
  if (dd.days === 0) return true; // no dates: no complete key, nothing to mark
  const { lo, dense, days } = dd;
  const prod = Math.max(1, id.dict.length) * days;
  if (prod > DIRECT_LIMIT) return false;
  const seen = new Uint8Array(prod);
  const codes = id.codes;
  const day = date.day;
  const ms = date.data;
  for (let i = 0; i < n; i++) {
    if (rej[i] !== 0) continue;
    const a = codes[i]!;
    const v = ms[i]!;
    if (a < 0 || v !== v) continue;
    const k = a * days + dense[day[i]! - lo]!;
    if (seen[k] === 1) rej[i] = D;
    else seen[k] = 1;
  }
  return true;
}
