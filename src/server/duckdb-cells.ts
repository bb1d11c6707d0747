/**
 * Prepared cross-filter answers kept in the DuckDB database file (`finboard_prepared`), so a
 * restarted server answers the clicks it had prepared at once instead of building them again
 * (75 s at 10M loan-months for a dashboard's region and product).
 *
 * A cell is stored with the stamp of what its answer was computed from: the answers' format, the
 * code stamp (`codeStamp()`: another Finboard version, or a local edit, may compute a metric
 * differently) and every published dataset's generated table name and row count. Table names are never reused in a file, so a cell whose stamp differs from the current
 * catalog's answers for data that is gone; such cells are deleted when the file is opened and are
 * never read. The stamp is taken when the answer is stored, right after the prepared store
 * checked that the data did not change while the cell ran, so it names the tables the answer read.
 *
 * Writes are batched (one multi-row INSERT of bound values per flush) on a connection of their
 * own, serialised, and never fail a caller: a failed write is counted (`failed`). `flush()` is
 * awaited before the backend closes. At most `maxCells` cells are kept (the newest, as the
 * in-memory store's own bound).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricResult } from '../engine/types.js';
import type { DuckConnection } from './duckdb-store.js';

/** Bumped whenever the stored answer's shape changes. */
export const ANSWERS_FORMAT = 1;
const TABLE = 'finboard_prepared';
/** Cells written per INSERT (5 bound values each). */
const BATCH = 100;

let code: string | undefined;

/**
 * A stamp of the code that computes answers: a hash of every module file under this package's
 * `engine`, `data` and `server` folders (the built `dist/src/…` files, or the sources in a
 * checkout), or of this file itself when it runs bundled. Any change of that code (another
 * Finboard version, a local edit) makes the stored cells another stamp's.
 */
export function codeStamp(): string {
  if (code !== undefined) return code;
  const here = fileURLToPath(import.meta.url);
  const root = dirname(dirname(here));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(?:js|mjs|ts)$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(p);
    }
  };
  for (const d of ['engine', 'data', 'server']) if (existsSync(join(root, d))) walk(join(root, d));
  if (!files.includes(here)) files.splice(0, files.length, here);
  const h = createHash('sha256');
  for (const f of files.sort()) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  code = h.digest('hex').slice(0, 16);
  return code;
}

export interface StoredCell {
  key: string;
  /** The prepared dimensions the cell pins (its request's look-up condition). */
  dims: string[];
  answer: MetricResult;
}

export interface PersistedCells {
  /** The cells stored for the current stamp, oldest first; cells of other stamps are deleted. */
  restore(): Promise<StoredCell[]>;
  /** Queue a cell for writing with the current stamp. */
  save(cell: StoredCell): void;
  /** Resolves when every queued cell is written (or counted as failed). */
  flush(): Promise<void>;
  /** Delete the cells of other stamps (the backend's data changed). */
  clear(): void;
  /** Writes that failed (the cell stays in memory; a restart builds it again). */
  readonly failed: number;
}

/** A stored row as a cell, or null when it is not one. */
function readCell(r: Record<string, unknown>): StoredCell | null {
  try {
    const dims = JSON.parse(String(r['dims'])) as unknown;
    const answer = JSON.parse(String(r['answer'])) as MetricResult;
    if (!Array.isArray(dims) || !dims.every((d) => typeof d === 'string')) return null;
    if (!answer || typeof answer !== 'object' || !Array.isArray(answer.data)) return null;
    return { key: String(r['key']), dims: dims as string[], answer };
  } catch {
    return null;
  }
}

export function persistedCells(
  conn: DuckConnection,
  /** The current stamp (answers format, code stamp, published tables). */
  stamp: () => string,
  maxCells: number,
): PersistedCells {
  let queue: Array<{ cell: StoredCell; stamp: string }> = [];
  let chain: Promise<void> = Promise.resolve();
  let failed = 0;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const write = async (rows: Array<{ cell: StoredCell; stamp: string }>): Promise<void> => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const part = rows.slice(i, i + BATCH);
      const values: unknown[] = [];
      const tuples = part.map(({ cell, stamp: s }, j) => {
        values.push(++seq, s, cell.key, JSON.stringify(cell.dims), JSON.stringify(cell.answer));
        const b = j * 5;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
      });
      try {
        await conn.run(`INSERT INTO ${TABLE} VALUES ${tuples.join(', ')}`, values);
      } catch {
        failed += part.length;
      }
    }
  };
  const drain = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const rows = queue;
    queue = [];
    if (rows.length) chain = chain.then(() => write(rows));
    return chain;
  };

  return {
    async restore() {
      await conn.run(
        `CREATE TABLE IF NOT EXISTS ${TABLE} (seq BIGINT NOT NULL, stamp VARCHAR NOT NULL, key VARCHAR NOT NULL, dims VARCHAR NOT NULL, answer VARCHAR NOT NULL)`,
      );
      // Only the current stamp's newest cell per key, and the newest `maxCells` of those.
      await conn.run(`DELETE FROM ${TABLE} WHERE stamp <> $1`, [stamp()]);
      await conn.run(
        `DELETE FROM ${TABLE} WHERE seq NOT IN (SELECT max(seq) FROM ${TABLE} GROUP BY key ORDER BY max(seq) DESC LIMIT ${Math.max(0, Math.floor(maxCells))})`,
      );
      const rows = (
        await conn.runAndReadAll(`SELECT seq, key, dims, answer FROM ${TABLE} ORDER BY seq`)
      ).getRowObjectsJS();
      const out: StoredCell[] = [];
      const unreadable: number[] = [];
      for (const r of rows) {
        seq = Math.max(seq, Number(r['seq']));
        const cell = readCell(r);
        if (cell) out.push(cell);
        else unreadable.push(Number(r['seq']));
      }
      // An unreadable row is not an answer (the next build computes that cell again).
      for (const s of unreadable) await conn.run(`DELETE FROM ${TABLE} WHERE seq = $1`, [s]);
      return out;
    },
    save(cell) {
      queue.push({ cell, stamp: stamp() });
      if (queue.length >= BATCH) void drain();
      else timer ??= setTimeout(() => void drain(), 200);
    },
    flush: drain,
    clear() {
      const now = stamp();
      queue = queue.filter((q) => q.stamp === now);
      chain = chain.then(async () => {
        try {
          await conn.run(`DELETE FROM ${TABLE} WHERE stamp <> $1`, [now]);
        } catch {
          // Cells of another stamp are never read, and the next open deletes them.
        }
      });
    },
    get failed() {
      return failed;
    },
  };
}
