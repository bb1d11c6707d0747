/**
 * The ClickHouse backend's persisted catalog (`clickhouseBackend({ persist: true })`): every
 * published dataset's entry (catalog-entry.ts: generated table and column names, quality report,
 * status values, key facts, and the attached file's stamp) is written to the table
 * `finboard_catalog` in the backend's database on `url`, so a restarted server reopens its
 * datasets instead of ingesting them again, and an unchanged file attached again keeps its table.
 *
 * ClickHouse 18.16 has no transactions and only asynchronous deletes, so the table is a log:
 * one row per publication or removal (`seq` increasing; a removal is an empty entry), read as
 * the latest row per dataset (`argMax(entry, seq)`). An entry is written before the table it
 * replaces is dropped, so the log never names a dropped table as current; a crash between the two
 * leaves an unused table, never a missing one.
 *
 * What is read back is checked before use, as DuckDB's file: a table name that is not one this
 * backend generates (`t<8 hex>_<n>`), a column that is not generated, another format version, a
 * table that is missing, has other columns, or another row count (a shard's local table dropped,
 * a shard down at start) is not reopened and is reported in `skipped`; its tables are left alone.
 */
import type { CatalogEntry } from './catalog-entry.js';
import { CATALOG_TABLE, reopenEntry, toJSON } from './catalog-entry.js';
import { clickhouseLiteral } from './sql/sql.js';

/** The names this backend gives its tables (`t` + the instance's 8 hex digits + a sequence). */
export const CLICKHOUSE_TABLE = /^t[0-9a-f]{8}_[0-9]{1,9}$/;

/** The statements the catalog needs, sent by the backend under its deadline. */
export interface CatalogIo {
  /** The database the tables live in (already checked safe). */
  database: string;
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  command(sql: string): Promise<unknown>;
  insert(table: string, values: Array<Record<string, unknown>>): Promise<unknown>;
}

const qualified = (io: CatalogIo): string => `\`${io.database}\`.\`${CATALOG_TABLE}\``;

/** Create the log when missing; the next sequence number to write. */
export async function ensureCatalog(io: CatalogIo): Promise<number> {
  await io.command(
    `CREATE TABLE IF NOT EXISTS ${qualified(io)} (name String, seq UInt64, entry String) ENGINE = MergeTree ORDER BY (name, seq)`,
  );
  const [r] = await io.query(`SELECT max(seq) AS s FROM ${qualified(io)}`);
  return Number(r?.['s'] ?? 0) + 1;
}

/** Record `entry` as the current state of its dataset. */
export async function saveEntry(io: CatalogIo, entry: CatalogEntry, seq: number): Promise<void> {
  await io.insert(CATALOG_TABLE, [{ name: entry.info.name, seq, entry: toJSON(entry) }]);
}

/** Record that the dataset `name` is gone. */
export async function removeEntry(io: CatalogIo, name: string, seq: number): Promise<void> {
  await io.insert(CATALOG_TABLE, [{ name, seq, entry: '' }]);
}

/**
 * The current entries (in the order their datasets were first published), each checked against
 * the table it names; `skipped` says which were not reopened and why.
 */
export async function readCatalog(
  io: CatalogIo,
  count: (table: string) => Promise<number>,
): Promise<{ entries: CatalogEntry[]; skipped: Array<{ name: string; reason: string }> }> {
  const entries: CatalogEntry[] = [];
  const skipped: Array<{ name: string; reason: string }> = [];
  const rows = await io.query(
    `SELECT name, argMax(entry, seq) AS entry, min(seq) AS first FROM ${qualified(io)} GROUP BY name ORDER BY first`,
  );
  const live = rows.filter((r) => String(r['entry']) !== '');
  if (!live.length) return { entries, skipped };
  const columns = new Map<string, string[]>();
  for (const r of await io.query(
    `SELECT table, name FROM system.columns WHERE database = ${clickhouseLiteral(io.database)} ORDER BY table`,
  )) {
    const t = String(r['table']);
    if (!columns.has(t)) columns.set(t, []);
    columns.get(t)!.push(String(r['name']));
  }
  for (const r of live) {
    const name = String(r['name']);
    const e = await reopenEntry(
      String(r['entry']),
      CLICKHOUSE_TABLE,
      (t) => columns.get(t),
      (t) => count(t).catch(() => 'its table could not be read (a shard down, or its local table gone)'),
    );
    if (typeof e === 'string') skipped.push({ name, reason: e });
    else entries.push(e);
  }
  return { entries, skipped };
}
