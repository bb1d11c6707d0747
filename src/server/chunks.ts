/**
 * Reading an operator's big file in pieces, so a SQL backend stores 100M rows without holding
 * them in JavaScript: a CSV file is cut into chunks of whole records (quote-aware: a newline
 * inside a quoted cell never ends a record), each chunk prefixed with the file's header line, so
 * every chunk goes through the ordinary ingestion (typing, validation, masking) exactly as the
 * whole file would; Parquet rows are streamed by DuckDB in chunks of plain values. The quality
 * reports of the chunks are merged into the one report of the file (`mergeReports`).
 */
import { createReadStream } from 'node:fs';
import type { Dataset } from '../data/dataset.js';
import { ingest } from '../data/ingest.js';
import type { DataQualityReport, IngestInput, IngestOptions, QualityWarning } from '../data/ingest.js';
import { qualityWarning } from '../data/quality.js';
import { FinError } from '../engine/errors.js';
import { wrap } from '../engine/local.js';
import type { ColInfo } from './sql/scope.js';
import { columnIds } from './sql/stored.js';

/** Chunks of a CSV file: header line + up to `rows` records each (the header alone if empty). */
export async function* csvChunks(path: string, rows: number): AsyncGenerator<string> {
  let header: string | null = null;
  let buf = '';
  let scanned = 0; // chars of `buf` already scanned
  let inQuote = false;
  let records = 0;
  let any = false; // a chunk was yielded
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 22 });
  for await (const piece of stream as AsyncIterable<string>) {
    buf += piece;
    for (let i = scanned; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c === 34) inQuote = !inQuote;
      else if (c === 10 && !inQuote) {
        if (header === null) {
          header = buf.slice(0, i + 1);
          buf = buf.slice(i + 1);
          i = -1;
          continue;
        }
        records++;
        if (records >= rows) {
          any = true;
          yield header + buf.slice(0, i + 1);
          buf = buf.slice(i + 1);
          i = -1;
          records = 0;
        }
      }
    }
    scanned = buf.length;
  }
  if (header === null) {
    yield buf;
    return;
  }
  // The rest (a last record without a newline); a header-only file still yields one chunk, so the
  // dataset exists, empty.
  if (records > 0 || buf.trim() !== '' || !any) yield header + buf;
}

/** Sum two per-key count records. */
function addCounts<K extends string>(
  a: Partial<Record<K, number>>,
  b: Partial<Record<K, number>>,
): Record<K, number> {
  const out = { ...a } as Record<K, number>;
  for (const [k, v] of Object.entries(b) as Array<[K, number]>) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Numeric details of a warning summed (counts, rows read); lists joined without repeats. */
function mergeWarning(a: QualityWarning, b: QualityWarning): QualityWarning {
  const d: Record<string, unknown> = { ...a.details };
  for (const [k, v] of Object.entries(b.details ?? {})) {
    const old = d[k];
    if (typeof v === 'number' && typeof old === 'number') d[k] = old + v;
    else if (Array.isArray(v) && Array.isArray(old)) d[k] = [...new Set([...old, ...v])];
    else if (v && typeof v === 'object' && old && typeof old === 'object')
      d[k] = addCounts(old as Record<string, number>, v as Record<string, number>);
    else if (old === undefined) d[k] = v;
  }
  return qualityWarning(a.code, d);
}

/**
 * The report of a file from the reports of its chunks in order: counts summed, sample row numbers
 * shifted to the file's numbering (first five kept), warnings of one code merged into one.
 */
export function mergeReports(a: DataQualityReport, b: DataQualityReport): DataQualityReport {
  const samples = { ...a.samples };
  for (const [reason, rows] of Object.entries(b.samples) as Array<[keyof typeof samples, number[]]>)
    samples[reason] = [...(samples[reason] ?? []), ...rows.map((r) => r + a.rowsRead)].slice(0, 5);
  const coerced = { ...a.coerced };
  for (const [col, byReason] of Object.entries(b.coerced))
    coerced[col] = addCounts(coerced[col] ?? {}, byReason);
  const warnings = [...a.warnings];
  for (const w of b.warnings) {
    const i = warnings.findIndex((x) => x.code === w.code);
    if (i < 0) warnings.push(w);
    else warnings[i] = mergeWarning(warnings[i]!, w);
  }
  return {
    ...a,
    rowsRead: a.rowsRead + b.rowsRead,
    rowsKept: a.rowsKept + b.rowsKept,
    rowsRejected: a.rowsRejected + b.rowsRejected,
    rejected: addCounts(a.rejected, b.rejected),
    duplicatesRemoved: a.duplicatesRemoved + b.duplicatesRemoved,
    coerced,
    samples,
    warnings,
    maskedColumns: [...new Set([...a.maskedColumns, ...b.maskedColumns])],
  };
}

/** Where a SQL backend stores the chunks of one file: its table, created from the first chunk. */
export interface ChunkSink {
  create(ds: Dataset, cols: Map<string, ColInfo>): Promise<void>;
  /** Append a chunk's rows; `offset` is the number of rows stored before them. */
  append(ds: Dataset, cols: Map<string, ColInfo>, offset: number, report: DataQualityReport): Promise<void>;
}

/**
 * Ingest a file's chunks one by one (typing, validation, masking as for the whole file) into
 * `sink`: the first chunk fixes the columns and their ids, a later chunk typing a column otherwise
 * is refused (`bad_input`), the reports are merged, the status values collected. Null when the
 * file gave no chunk. The caller drops its table on a throw.
 */
export async function ingestChunks(
  name: string,
  chunks: AsyncIterable<IngestInput>,
  opts: IngestOptions,
  sink: ChunkSink,
  closed: () => boolean,
): Promise<{
  ds: Dataset;
  cols: Map<string, ColInfo>;
  report: DataQualityReport;
  rows: number;
  statuses: Set<string>;
} | null> {
  let first: { ds: Dataset; cols: Map<string, ColInfo> } | null = null;
  let report: DataQualityReport | null = null;
  let rows = 0;
  const statuses = new Set<string>();
  for await (const input of chunks) {
    if (closed()) throw new FinError('backend_unavailable', 'The backend is closed');
    let res;
    try {
      res = await ingest(name, input, opts);
    } catch (e) {
      throw wrap(e);
    }
    const ds = res.dataset;
    if (!first) {
      first = { ds, cols: columnIds(ds) };
      await sink.create(ds, first.cols);
    } else {
      for (const [f, c] of Object.entries(ds.cols))
        if (first.cols.get(f)?.kind !== c.kind)
          throw new FinError('bad_input', `Column "${f}" is typed differently in two parts of the file`, {
            dataset: name,
          });
    }
    report = report ? mergeReports(report, res.report) : res.report;
    const st = ds.cols['status'];
    if (st && st.kind === 'cat') for (const v of st.dict) statuses.add(v);
    await sink.append(ds, first.cols, rows, report);
    rows += ds.n;
  }
  return first && report ? { ...first, report, rows, statuses } : null;
}
