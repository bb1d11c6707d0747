/** Reader for an array of row objects. */
import { emptyRaw } from '../raw.js';
import type { RawTable } from '../raw.js';

/** Array of row objects: the union of own keys, in first-seen order. */
export function readRows(rows: readonly unknown[]): RawTable {
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
