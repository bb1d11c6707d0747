/**
 * A persisted catalog entry (shared by the backends that keep their catalog next to their tables:
 * DuckDB with a database file, ClickHouse with `persist`): the dataset's generated table and
 * column names, quality report, status values and key facts, plus, for a dataset attached from a
 * file, the file's stamp (resolved path, size, mtime, and the options that shape the ingestion),
 * so an unchanged file attached again with the same options keeps the stored table.
 *
 * Entries are read back through `fromJSON`, which refuses any table or column name that is not
 * one the backend generates, a dataset name outside the allowed shape, or a format from another
 * Finboard version: nothing read from storage is spliced into SQL unchecked.
 */
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { DataQualityReport, IngestOptions } from '../data/ingest.js';
import { dateRangeOf } from '../data/ingest.js';
import type { ColInfo, TableInfo } from './sql/scope.js';
import { storedColumns } from './sql/scope.js';

/** Bumped whenever the ingestion, the table layout or the entry's shape changes. */
export const CATALOG_FORMAT = 1;
/** The table that holds the entries, in every backend that persists them. */
export const CATALOG_TABLE = 'finboard_catalog';

/** How a dataset was attached: in SQL, or by the JavaScript ingestion (and why). */
export interface AttachedBy {
  by: 'sql' | 'js';
  reason?: string;
  /** The stored table was kept: the same file, unchanged, attached with the same options. */
  kept?: boolean;
}

/** What identifies one ingestion of a file. */
export interface SourceStamp {
  path: string;
  size: number;
  mtimeMs: number;
  /** JSON of the options that shape the table, the accepted date range excepted. */
  options: string;
  /** The accepted date range the ingestion used ([min, max] epoch ms). */
  range: [number, number];
}

export interface CatalogEntry {
  info: TableInfo;
  by?: AttachedBy;
  stamp?: SourceStamp;
}

const GENERATED_COL = /^c[0-9]{1,6}$/;
const DATASET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The stamp of a file ingested with `opts`, or null when the options cannot be compared
 * (functions in masking rules) — such a file is ingested on every attach.
 */
export function stampOf(
  file: { path: string; size: number; mtimeMs: number },
  opts: IngestOptions,
  /** How the file is read (`parquet:sql`, `csv:js`, …). */
  how: string,
): SourceStamp | null {
  const shaping = {
    fields: opts.fields ?? null,
    timeZone: opts.timeZone ?? null,
    mask: opts.mask ?? null,
    unmask: opts.unmask ?? null,
    maskRules: opts.maskRules ?? null,
    columns: opts.columns ?? null,
    header: opts.header ?? null,
    delimiter: opts.delimiter ?? null,
    schema: opts.schema ?? null,
    dateRangeGiven: opts.dateRange ?? null,
    how,
  };
  let comparable = true;
  const options = JSON.stringify(shaping, (_k, v: unknown) => {
    if (typeof v === 'function') comparable = false;
    return v;
  });
  if (!comparable) return null;
  return { path: file.path, size: file.size, mtimeMs: file.mtimeMs, options, range: dateRangeOf(opts) };
}

/** The stamp of an attached file (null when it cannot be read or the options cannot be compared). */
export async function fileStamp(path: string, opts: IngestOptions, how: string): Promise<SourceStamp | null> {
  try {
    const full = resolvePath(path);
    const st = await stat(full);
    return stampOf({ path: full, size: st.size, mtimeMs: st.mtimeMs }, opts, how);
  } catch {
    return null;
  }
}

/**
 * Whether `stored` ingested the file exactly as `now` would. Today's default date range moves
 * with the clock, so a different range still matches when the stored ingestion rejected no row
 * as out of range and the new range contains the old one (every date then passes both).
 */
export function sameIngestion(stored: CatalogEntry, now: SourceStamp): boolean {
  const s = stored.stamp;
  if (!s || s.path !== now.path || s.size !== now.size || s.mtimeMs !== now.mtimeMs) return false;
  if (s.options !== now.options) return false;
  if (s.range[0] === now.range[0] && s.range[1] === now.range[1]) return true;
  return (
    stored.info.report.rejected.out_of_range === 0 && now.range[0] <= s.range[0] && now.range[1] >= s.range[1]
  );
}

export function toJSON(e: CatalogEntry): string {
  const { info } = e;
  return JSON.stringify({
    format: CATALOG_FORMAT,
    info: {
      ...info,
      cols: [...info.cols],
      values: [...info.values],
      uniqueKeys: [...info.uniqueKeys],
      keyCodes: info.keyCodes ? [...info.keyCodes] : null,
    },
    by: e.by ?? null,
    stamp: e.stamp ?? null,
  });
}

/**
 * A stored entry back, or the reason it cannot be reopened. `generatedTable` is the shape of the
 * backend's own table names: any other name is refused, never spliced into SQL.
 */
export function fromJSON(text: string, generatedTable: RegExp): CatalogEntry | string {
  let o: {
    format?: unknown;
    info?: Record<string, unknown>;
    by?: AttachedBy | null;
    stamp?: SourceStamp | null;
  };
  try {
    o = JSON.parse(text) as typeof o;
  } catch {
    return 'unreadable entry';
  }
  if (o.format !== CATALOG_FORMAT)
    return `catalog format ${String(o.format)}, this version reads ${CATALOG_FORMAT}`;
  const i = o.info;
  if (!i || typeof i !== 'object') return 'no table description';
  const name = i['name'];
  const table = i['table'];
  if (typeof name !== 'string' || !DATASET_NAME.test(name)) return 'dataset name not allowed';
  if (typeof table !== 'string' || !generatedTable.test(table)) return 'table name not generated';
  const cols = new Map(i['cols'] as Array<[string, ColInfo]>);
  for (const [, c] of cols)
    if (!GENERATED_COL.test(c?.id ?? '') || !['num', 'cat', 'bool', 'date'].includes(c.kind))
      return 'column not generated';
  const keyCodes = i['keyCodes'] ? new Map(i['keyCodes'] as Array<[string, string]>) : undefined;
  for (const [key, id] of keyCodes ?? [])
    if (cols.get(key)?.id === undefined || id !== `${cols.get(key)!.id}_k`)
      return 'key code column not generated';
  const info: TableInfo = {
    name,
    table,
    n: Number(i['n']),
    cols,
    masked: i['masked'] === true,
    timeZone: String(i['timeZone']),
    report: i['report'] as DataQualityReport,
    values: new Map(i['values'] as Array<[string, string[]]>),
    uniqueKeys: new Set(i['uniqueKeys'] as string[]),
    ...(keyCodes ? { keyCodes } : {}),
    ...(i['uniqueLoanMonths'] !== undefined ? { uniqueLoanMonths: i['uniqueLoanMonths'] === true } : {}),
    ...(i['casesOneLoan'] !== undefined ? { casesOneLoan: i['casesOneLoan'] === true } : {}),
  };
  return { info, ...(o.by ? { by: o.by } : {}), ...(o.stamp ? { stamp: o.stamp } : {}) };
}

/**
 * A stored entry checked against the table it names: its JSON (`fromJSON`), the table's columns
 * (`columnsOf`: the stored columns exactly, in any order) and its row count (`count`: a number,
 * or the reason it could not be read). The entry, or the reason it is not reopened.
 */
export async function reopenEntry(
  text: string,
  generatedTable: RegExp,
  columnsOf: (table: string) => readonly string[] | undefined,
  count: (table: string) => Promise<number | string>,
): Promise<CatalogEntry | string> {
  const e = fromJSON(text, generatedTable);
  if (typeof e === 'string') return e;
  const have = columnsOf(e.info.table);
  const want = storedColumns(e.info);
  if (!have || have.length !== want.length || want.some((c) => !have.includes(c)))
    return 'its table is missing or has other columns';
  const n = await count(e.info.table);
  if (typeof n === 'string') return n;
  if (n !== e.info.n) return 'its table has another row count';
  return e;
}
