/**
 * The DuckDB backend's persisted catalog: with a database file (`duckdbBackend({ path })`), every
 * published dataset's catalog entry (its generated table and column names, quality report, status
 * values, key facts) is written to the table `finboard_catalog` in the same transaction that
 * publishes it, so a restarted server reopens its datasets instead of ingesting them again.
 *
 * An entry attached from a file also keeps the file's stamp (resolved path, size, mtime, and the
 * options that shape the ingestion). `attach` of the same file, unchanged, with the same options
 * keeps the stored table (`AttachedBy.kept`); any difference ingests it again. Options that
 * cannot be compared (a masking function) are never stamped, so such a file is always ingested.
 *
 * The file is the operator's, but its catalog is still checked before use: a table or column
 * name that is not one this backend generates, a dataset name outside the allowed shape, a
 * format from another Finboard version, or a table whose columns differ is not reopened (it is
 * reported in `skipped`), so nothing read from the file is ever spliced into SQL unchecked.
 */
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { DataQualityReport, IngestOptions } from '../data/ingest.js';
import { dateRangeOf } from '../data/ingest.js';
import type { DuckConnection } from './duckdb-store.js';
import type { ColInfo, TableInfo } from './sql/scope.js';
import { storedColumns } from './sql/scope.js';

/** Bumped whenever the ingestion, the table layout or the entry's shape changes. */
export const CATALOG_FORMAT = 1;
const TABLE = 'finboard_catalog';

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

const GENERATED_TABLE = /^t[0-9]{1,9}$/;
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
export async function fileStamp(
  path: string,
  opts: IngestOptions,
  how: string,
): Promise<SourceStamp | null> {
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

function toJSON(e: CatalogEntry): string {
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

/** A stored entry back, or the reason it cannot be reopened. */
function fromJSON(text: string): CatalogEntry | string {
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
  if (typeof table !== 'string' || !GENERATED_TABLE.test(table)) return 'table name not generated';
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
  };
  return { info, ...(o.by ? { by: o.by } : {}), ...(o.stamp ? { stamp: o.stamp } : {}) };
}

/** Create the catalog table when missing. */
export async function ensureCatalog(conn: DuckConnection): Promise<void> {
  await conn.run(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (name VARCHAR PRIMARY KEY, ord INTEGER NOT NULL, entry VARCHAR NOT NULL)`,
  );
}

/**
 * Record `entry` as the dataset `entry.info.name`: a replaced dataset keeps its place in the
 * order datasets are listed (as the in-memory catalog does), a new one goes last.
 */
export async function saveEntry(conn: DuckConnection, entry: CatalogEntry): Promise<void> {
  const name = entry.info.name;
  await conn.run(`UPDATE ${TABLE} SET entry = $2 WHERE name = $1`, [name, toJSON(entry)]);
  await conn.run(
    `INSERT INTO ${TABLE} SELECT $1, coalesce((SELECT max(ord) FROM ${TABLE}), 0) + 1, $2
     WHERE NOT EXISTS (SELECT 1 FROM ${TABLE} WHERE name = $1)`,
    [name, toJSON(entry)],
  );
}

export async function removeEntry(conn: DuckConnection, name: string): Promise<void> {
  await conn.run(`DELETE FROM ${TABLE} WHERE name = $1`, [name]);
}

/**
 * The entries a database file holds, each checked against the table it names (same stored
 * columns, same row count); `skipped` says which were not reopened and why. `maxSeq` is the
 * largest number in a generated name of any table in the file, so new names never collide.
 */
export async function readCatalog(conn: DuckConnection): Promise<{
  entries: CatalogEntry[];
  skipped: Array<{ name: string; reason: string }>;
  maxSeq: number;
}> {
  const tables = new Map<string, string[]>();
  const cols = await conn.runAndReadAll(
    `SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index`,
  );
  for (const r of cols.getRowObjectsJS()) {
    const t = String(r['table_name']);
    if (!tables.has(t)) tables.set(t, []);
    tables.get(t)!.push(String(r['column_name']));
  }
  let maxSeq = 0;
  for (const t of tables.keys()) {
    const m = /^[tx]([0-9]{1,9})(?:_|$)/.exec(t);
    if (m) maxSeq = Math.max(maxSeq, Number(m[1]));
  }
  const entries: CatalogEntry[] = [];
  const skipped: Array<{ name: string; reason: string }> = [];
  if (!tables.has(TABLE)) return { entries, skipped, maxSeq };
  const rows = await conn.runAndReadAll(`SELECT name, entry FROM ${TABLE} ORDER BY ord`);
  for (const r of rows.getRowObjectsJS()) {
    const name = String(r['name']);
    const e = fromJSON(String(r['entry']));
    if (typeof e === 'string') {
      skipped.push({ name, reason: e });
      continue;
    }
    const have = tables.get(e.info.table);
    const want = storedColumns(e.info);
    if (!have || have.length !== want.length || want.some((c) => !have.includes(c))) {
      skipped.push({ name, reason: 'its table is missing or has other columns' });
      continue;
    }
    const n = await conn.runAndReadAll(`SELECT count(*) AS n FROM "${e.info.table}"`);
    if (Number(n.getRowObjectsJS()[0]?.['n']) !== e.info.n) {
      skipped.push({ name, reason: 'its table has another row count' });
      continue;
    }
    entries.push(e);
  }
  return { entries, skipped, maxSeq };
}
