/**
 * Prepared cross-filter answers kept in the ClickHouse database (`finboard_prepared` on `url`, a
 * plain MergeTree beside the persisted catalog), with `clickhouseBackend({ persist: true })`: the
 * statements of prepared-cells.ts's store (what is stored, its stamp and its bounds are there).
 *
 * ClickHouse 18.16 deletes asynchronously (`ALTER TABLE … DELETE`, a mutation): a row of another
 * stamp or an older answer of a key may still be there when the next read runs, so every read
 * selects the current stamp's newest row per key itself and never relies on a delete having run.
 * Values reach the SQL through `clickhouseLiteral` (the stamp) or as integers (sequence numbers);
 * the rows are inserted as JSON.
 */
import type { CatalogIo } from './clickhouse-catalog.js';
import type { CellsIo } from './prepared-cells.js';
import { CELLS_TABLE, cellRow } from './prepared-cells.js';
import { clickhouseLiteral } from './sql/sql.js';

export function clickhouseCellsIo(io: CatalogIo): CellsIo {
  const t = `\`${io.database}\`.\`${CELLS_TABLE}\``;
  const int = (n: number): string => String(Math.max(0, Math.floor(n)));
  const newest = (stamp: string, keep: number): string =>
    `SELECT max(seq) FROM ${t} WHERE stamp = ${clickhouseLiteral(stamp)} GROUP BY key ORDER BY max(seq) DESC LIMIT ${int(keep)}`;
  return {
    async open() {
      await io.command(
        `CREATE TABLE IF NOT EXISTS ${t} (seq UInt64, stamp String, key String, dims String, answer String) ENGINE = MergeTree ORDER BY seq`,
      );
      const [r] = await io.query(`SELECT max(seq) AS s FROM ${t}`);
      return Number(r?.['s'] ?? 0);
    },
    async dropOthers(stamp) {
      await io.command(`ALTER TABLE ${t} DELETE WHERE stamp != ${clickhouseLiteral(stamp)}`);
    },
    async prune(stamp, keep) {
      await io.command(
        `ALTER TABLE ${t} DELETE WHERE stamp != ${clickhouseLiteral(stamp)} OR seq NOT IN (${newest(stamp, keep)})`,
      );
    },
    async read(stamp, keep) {
      const rows = await io.query(
        `SELECT seq, key, dims, answer FROM ${t} WHERE seq IN (${newest(stamp, keep)}) ORDER BY seq`,
      );
      return rows.map(cellRow);
    },
    async insert(rows) {
      await io.insert(CELLS_TABLE, rows as unknown as Array<Record<string, unknown>>);
    },
    async remove(seqs) {
      if (seqs.length) await io.command(`ALTER TABLE ${t} DELETE WHERE seq IN (${seqs.map(int).join(', ')})`);
    },
  };
}
