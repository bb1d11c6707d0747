/**
 * Arrow IPC (stream) of sample datasets, as a host's data service would ship them: repeated
 * strings dictionary-encoded (categories, and ids that repeat such as loan_id in loan_months),
 * unique strings as utf8, numbers as float64, booleans as bool, calendar dates as date32 (day) and
 * date-times as millisecond timestamps of the wall-clock time.
 */
import {
  bool,
  dateDay,
  dictionary,
  float64,
  tableFromArrays,
  tableToIPC,
  timestamp,
  utf8,
} from '@uwdata/flechette';
import type { SampleData } from '../../src/data/sample.js';
import { typesOf } from '../../src/data/schemas.js';

function wallMs(s: string): number {
  // `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` read as UTC wall clock.
  return Date.parse(s.length > 10 ? `${s.replace(' ', 'T')}Z` : `${s}T00:00:00Z`);
}

export function datasetToArrow(name: string, cols: Record<string, unknown[]>): Uint8Array {
  const schema = typesOf(name);
  const arrays: Record<string, unknown[]> = {};
  const types: Record<string, unknown> = {};
  for (const [c, values] of Object.entries(cols)) {
    const kind = schema[c] ?? 'cat';
    if (kind === 'date') {
      const withTime = values.some((v) => typeof v === 'string' && v.length > 10);
      arrays[c] = values.map((v) => (v === null || v === undefined ? null : wallMs(String(v))));
      types[c] = withTime ? timestamp() : dateDay();
    } else if (kind === 'num') {
      arrays[c] = values.map((v) => (v === null || v === undefined ? null : Number(v)));
      types[c] = float64();
    } else if (kind === 'bool') {
      arrays[c] = values.map((v) => (v === null || v === undefined ? null : Boolean(v)));
      types[c] = bool();
    } else {
      const strs = values.map((v) => (v === null || v === undefined ? null : String(v)));
      arrays[c] = strs;
      const distinct = new Set(strs).size;
      types[c] = distinct <= strs.length / 2 ? dictionary(utf8()) : utf8();
    }
  }
  const table = tableFromArrays(arrays as never, { types: types as never });
  return tableToIPC(table, { format: 'stream' })!;
}

export function sampleToArrow(sample: SampleData, names: readonly string[]): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const n of names)
    out[n] = datasetToArrow(n, sample[n as keyof SampleData] as Record<string, unknown[]>);
  return out;
}
