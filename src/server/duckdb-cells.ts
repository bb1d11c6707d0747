/**
 * Prepared cross-filter answers kept in the DuckDB database file (`finboard_prepared`): the
 * statements of prepared-cells.ts's store on a connection of the backend's own (bound values
 * only). What is stored, its stamp and its bounds: prepared-cells.ts.
 */
import type { DuckConnection } from './duckdb-store.js';
import type { CellsIo, PersistedCells } from './prepared-cells.js';
import { CELLS_TABLE as TABLE, cellRow, persistedCellsOn } from './prepared-cells.js';

export { ANSWERS_FORMAT, codeStamp } from './prepared-cells.js';
export type { PersistedCells, StoredCell } from './prepared-cells.js';

/** The cells' table in a DuckDB database, on `conn`. */
export function duckdbCellsIo(conn: DuckConnection): CellsIo {
  const newest = (keep: number): string =>
    `SELECT max(seq) FROM ${TABLE} WHERE stamp = $1 GROUP BY key ORDER BY max(seq) DESC LIMIT ${keep}`;
  return {
    async open() {
      await conn.run(
        `CREATE TABLE IF NOT EXISTS ${TABLE} (seq BIGINT NOT NULL, stamp VARCHAR NOT NULL, key VARCHAR NOT NULL, dims VARCHAR NOT NULL, answer VARCHAR NOT NULL)`,
      );
      const [r] = (await conn.runAndReadAll(`SELECT max(seq) AS s FROM ${TABLE}`)).getRowObjectsJS();
      return Number(r?.['s'] ?? 0);
    },
    async dropOthers(stamp) {
      await conn.run(`DELETE FROM ${TABLE} WHERE stamp <> $1`, [stamp]);
    },
    async prune(stamp, keep) {
      await conn.run(`DELETE FROM ${TABLE} WHERE stamp <> $1`, [stamp]);
      await conn.run(`DELETE FROM ${TABLE} WHERE seq NOT IN (${newest(keep)})`, [stamp]);
    },
    async read(stamp, keep) {
      const rows = (
        await conn.runAndReadAll(
          `SELECT seq, key, dims, answer FROM ${TABLE} WHERE seq IN (${newest(keep)}) ORDER BY seq`,
          [stamp],
        )
      ).getRowObjectsJS();
      return rows.map(cellRow);
    },
    async insert(rows) {
      const values: unknown[] = [];
      const tuples = rows.map((c, j) => {
        values.push(c.seq, c.stamp, c.key, c.dims, c.answer);
        const b = j * 5;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
      });
      await conn.run(`INSERT INTO ${TABLE} VALUES ${tuples.join(', ')}`, values);
    },
    async remove(seqs) {
      for (const s of seqs) await conn.run(`DELETE FROM ${TABLE} WHERE seq = $1`, [s]);
    },
  };
}

/** The store of prepared cells in the DuckDB database of `conn`. */
export function persistedCells(conn: DuckConnection, stamp: () => string, maxCells: number): PersistedCells {
  return persistedCellsOn(duckdbCellsIo(conn), stamp, maxCells);
}
