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
import type { DuckConnection } from './duckdb-store.js';
import type { CatalogEntry } from './catalog-entry.js';
import { CATALOG_TABLE as TABLE, reopenEntry, toJSON } from './catalog-entry.js';

export type { AttachedBy, CatalogEntry, SourceStamp } from './catalog-entry.js';
export { CATALOG_FORMAT, fileStamp, sameIngestion, stampOf } from './catalog-entry.js';

const GENERATED_TABLE = /^t[0-9]{1,9}$/;

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
    const e = await reopenEntry(
      String(r['entry']),
      GENERATED_TABLE,
      (t) => tables.get(t),
      async (t) =>
        Number((await conn.runAndReadAll(`SELECT count(*) AS n FROM "${t}"`)).getRowObjectsJS()[0]?.['n']),
    );
    if (typeof e === 'string') skipped.push({ name, reason: e });
    else entries.push(e);
  }
  return { entries, skipped, maxSeq };
}
