/**
 * What every backend does the same way with an operator's file and a `distinct` call: the file's
 * format (by option, else by extension), its bytes as an ingestion input, and a `distinct`
 * request as the `distinct` metric query.
 */
import { readFile } from 'node:fs/promises';
import type { IngestInput } from '../data/ingest.js';
import type { QueryRequest } from '../engine/types.js';
import type { AttachSource, DistinctRequest } from './backend.js';

export type AttachFormat = 'csv' | 'json' | 'arrow' | 'parquet';

/** The format of an attached file: `source.format`, else by extension (default CSV). */
export function attachFormat(source: AttachSource): AttachFormat {
  if (source.format) return source.format;
  if (/\.arrow$|\.feather$/i.test(source.path)) return 'arrow';
  if (/\.json$/i.test(source.path)) return 'json';
  if (/\.parquet$/i.test(source.path)) return 'parquet';
  return 'csv';
}

/** A CSV / JSON / Arrow file as the ingestion's input (Arrow as bytes, the others as text). */
export async function readAttached(
  path: string,
  format: Exclude<AttachFormat, 'parquet'>,
): Promise<IngestInput> {
  const bytes = await readFile(path);
  return format === 'arrow'
    ? (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
    : bytes.toString('utf8');
}

/** A `distinct` request as the query of the `distinct` metric. */
export function distinctQuery(d: DistinctRequest): QueryRequest {
  return {
    metric: 'distinct',
    ...(d.source ? { source: d.source } : {}),
    params: {
      field: d.field,
      ...(d.order ? { order: d.order } : {}),
      ...(d.limit !== undefined ? { limit: d.limit } : {}),
    },
    filters: d.filters ?? [],
  };
}
