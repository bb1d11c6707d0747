/**
 * Prepared cross-filter answers kept where the data lives (a table `finboard_prepared` in the
 * DuckDB database file, duckdb-cells.ts, or in the ClickHouse database, clickhouse-cells.ts), so
 * a restarted server answers the clicks it had prepared at once instead of building them again
 * (75 s at 10M loan-months on DuckDB for a dashboard's region and product, 18 minutes on the
 * 2-shard ClickHouse cluster).
 *
 * A cell is stored with the stamp of what its answer was computed from: the answers' format, the
 * code stamp (`codeStamp()`: another Finboard version, or a local edit, may compute a metric
 * differently) and every published dataset's generated table name and row count. Generated table
 * names are never reused (a sequence in a DuckDB file; a random instance prefix on ClickHouse),
 * so a cell whose stamp differs from the current catalog's answers for data that is gone; such
 * cells are deleted when the store is opened and are never read. The stamp is taken when the
 * answer is stored, right after the prepared store checked that the data did not change while the
 * cell ran, so it names the tables the answer read.
 *
 * Writes are batched (one multi-row insert per flush), serialised, and never fail a caller: a
 * failed write is counted (`failed`). `flush()` is awaited before the backend closes. At most
 * `maxCells` cells are read back (the newest, as the in-memory store's own bound).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricResult } from '../engine/types.js';

/** Bumped whenever the stored answer's shape changes. */
export const ANSWERS_FORMAT = 1;
/** The table the cells are kept in (in the backend's own database). */
export const CELLS_TABLE = 'finboard_prepared';
/** Cells written per insert. */
export const CELLS_BATCH = 100;

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

/** The stamp of the data a backend's answers are computed from (see the header). */
export function dataStamp(tables: Iterable<{ name: string; table: string; n: number }>): string {
  return JSON.stringify([ANSWERS_FORMAT, codeStamp(), [...tables].map((t) => [t.name, t.table, t.n]).sort()]);
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

/** One stored row: its sequence number, key, dimensions (JSON) and answer (JSON). */
export interface CellRow {
  seq: number;
  stamp: string;
  key: string;
  dims: string;
  answer: string;
}

/** A stored row as the database returned it (numbers or strings), typed. */
export function cellRow(r: Record<string, unknown>): Omit<CellRow, 'stamp'> {
  return {
    seq: Number(r['seq']),
    key: String(r['key']),
    dims: String(r['dims']),
    answer: String(r['answer']),
  };
}

/** The statements a store of cells needs from its database (values bound or quoted by it). */
export interface CellsIo {
  /** Create the table when missing; the greatest sequence number stored (0 when empty). */
  open(): Promise<number>;
  /** Delete the cells of every stamp but `stamp`. */
  dropOthers(stamp: string): Promise<void>;
  /** Delete the cells of every stamp but `stamp`, and all but the rows `read(stamp, keep)` gives. */
  prune(stamp: string, keep: number): Promise<void>;
  /** Of `stamp`'s cells, the newest per key, the newest `keep` of those, oldest first. */
  read(stamp: string, keep: number): Promise<Array<Omit<CellRow, 'stamp'>>>;
  insert(rows: CellRow[]): Promise<void>;
  /** Delete the rows with these sequence numbers. */
  remove(seqs: number[]): Promise<void>;
}

/** A stored row as a cell, or null when it is not one. */
function readCell(r: Omit<CellRow, 'stamp'>): StoredCell | null {
  try {
    const dims = JSON.parse(r.dims) as unknown;
    const answer = JSON.parse(r.answer) as MetricResult;
    if (!Array.isArray(dims) || !dims.every((d) => typeof d === 'string')) return null;
    if (!answer || typeof answer !== 'object' || !Array.isArray(answer.data)) return null;
    return { key: r.key, dims: dims as string[], answer };
  } catch {
    return null;
  }
}

export function persistedCellsOn(
  io: CellsIo,
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
    for (let i = 0; i < rows.length; i += CELLS_BATCH) {
      const part = rows.slice(i, i + CELLS_BATCH);
      const values = part.map(({ cell, stamp: s }) => ({
        seq: ++seq,
        stamp: s,
        key: cell.key,
        dims: JSON.stringify(cell.dims),
        answer: JSON.stringify(cell.answer),
      }));
      try {
        await io.insert(values);
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
      seq = Math.max(seq, await io.open());
      const now = stamp();
      const keep = Math.max(0, Math.floor(maxCells));
      await io.prune(now, keep);
      const rows = await io.read(now, keep);
      const out: StoredCell[] = [];
      const unreadable: number[] = [];
      for (const r of rows) {
        const cell = readCell(r);
        if (cell) out.push(cell);
        else unreadable.push(r.seq);
      }
      // An unreadable row is not an answer (the next build computes that cell again).
      if (unreadable.length) await io.remove(unreadable);
      return out;
    },
    save(cell) {
      queue.push({ cell, stamp: stamp() });
      if (queue.length >= CELLS_BATCH) void drain();
      else timer ??= setTimeout(() => void drain(), 200);
    },
    flush: drain,
    clear() {
      const now = stamp();
      queue = queue.filter((q) => q.stamp === now);
      chain = chain.then(async () => {
        try {
          await io.dropOthers(now);
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
