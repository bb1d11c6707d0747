/** Readers for arrays: of arrays (a header row, or `opts.columns`), or of row objects (rows.ts). */
import type { IngestOptions } from '../ingest-types.js';
import type { QualityWarning } from '../quality.js';
import { qualityWarning } from '../quality.js';
import { emptyRaw } from '../raw.js';
import type { RawTable } from '../raw.js';
import { readRows } from './rows.js';

export function readArray(rows: readonly unknown[], opts: IngestOptions): RawTable {
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

/** Header names: trimmed, blanks named `column_<i>`, duplicates suffixed `_2`, `_3`… */
export function cleanHeader(header: readonly unknown[], warnings: QualityWarning[]): string[] {
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

export function readArrays(rows: readonly unknown[], opts: IngestOptions): RawTable {
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
