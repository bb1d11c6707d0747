/**
 * Reader for Arquero tables and decoded Arrow columns: columns adopted as they are, dictionary
 * columns encoded into categories from their keys.
 */
import { columnsOfArquero } from '../arquero.js';
import type { ArqueroLike, ArrowDictionaryColumn } from '../arquero.js';
import type { ArrowColumns } from '../arrow-ipc.js';
import type { CatColumn } from '../dataset.js';
import { Interner } from '../intern.js';
import { emptyRaw } from '../raw.js';
import type { PreparedColumn, RawTable } from '../raw.js';
import { catString } from '../sinks.js';

export function readArquero(t: ArqueroLike, fromArrowBytes = false): RawTable {
  return rawOfColumns(columnsOfArquero(t, { dictionaries: fromArrowBytes }));
}

/** Raw table of Arrow / Arquero columns: dictionary columns encoded from their keys. */
export function rawOfColumns({ names, columns, n, hints, dictionaries, wallClock }: ArrowColumns): RawTable {
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
