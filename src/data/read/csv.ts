/** Reader for CSV text: fields decoded straight into typed sinks (sinks.ts), no string per cell. */
import { FinError } from '../../engine/errors.js';
import type { ColumnType } from '../columns.js';
import { isIdLikeName } from '../infer.js';
import type { IngestOptions } from '../ingest-types.js';
import type { QualityWarning } from '../quality.js';
import { qualityWarning } from '../quality.js';
import { emptyRaw } from '../raw.js';
import type { PreparedColumn, RawTable } from '../raw.js';
import { AutoSink, CatSink, DateSink, NumSink } from '../sinks.js';
import type { Sink } from '../sinks.js';
import { cleanHeader } from './arrays.js';

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
