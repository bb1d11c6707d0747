/** Row selection: a column restricted to the rows that passed validation. */
import type { Column } from './dataset.js';

export function compactColumn(col: Column, idx: Int32Array): Column {
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
