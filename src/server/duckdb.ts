/**
 * `duckdbBackend()`: the embedded SQL backend. Data loaded as values goes through the same
 * ingestion as the memory engine (typing per the canonical schemas, validation, de-duplication,
 * PII masking at load) and is stored in DuckDB tables with generated names; dates are stored as
 * epoch ms plus the engine's period indexes computed once at load in the load's time zone (so no
 * SQL date function ever re-derives a month: see docs/server.md, "Dialect notes"). Metrics run as
 * SQL compiled from their definitions (src/server/sql/); a metric not compiled yet answers a typed
 * `unsupported` error, never a number from another path.
 *
 * `@duckdb/node-api` is imported dynamically inside the factory, so `finboard/server` users
 * without DuckDB installed (and every browser bundle) never load it.
 */
import { availableParallelism } from 'node:os';
import type { Dataset } from '../data/dataset.js';
import { emptyReport, ingest } from '../data/ingest.js';
import type { DataQualityReport, IngestInput, IngestOptions } from '../data/ingest.js';
import { qualityWarning } from '../data/quality.js';
import { schemaOf } from '../data/schemas.js';
import type { DatasetInfo, LoadOptions } from '../engine/engine-types.js';
import { FinError } from '../engine/errors.js';
import { wrap } from '../engine/local.js';
import type { MetricResult, QueryRequest } from '../engine/types.js';
import { attachFormat, distinctQuery, readAttached } from './attach.js';
import type { AttachSource, Backend, BackendQueryOptions } from './backend.js';
import { csvChunks, ingestChunks, mergeReports } from './chunks.js';
import { sqlAttach } from './duckdb-attach.js';
import type { AttachedBy, CatalogEntry, SourceStamp } from './duckdb-catalog.js';
import {
  ensureCatalog,
  fileStamp,
  readCatalog,
  removeEntry,
  saveEntry,
  sameIngestion,
} from './duckdb-catalog.js';
import { withKeyCodes } from './duckdb-layout.js';
import { persistedCells } from './duckdb-cells.js';
import type { PersistedCells } from './prepared-cells.js';
import { dataStamp } from './prepared-cells.js';
import { MAX_CUBE_CELLS } from '../engine/cube.js';
import { preparedAnswers } from './prepared.js';
import type { DuckConnection, DuckInstance } from './duckdb-store.js';
import { appendRows, dedupeAcrossChunks, parquetChunks, uniqueKeys } from './duckdb-store.js';
import type { Catalog, ColInfo, TableInfo } from './sql/scope.js';
import { PARTS } from './sql/scope.js';
import { querySlots } from './slots.js';
import { columnIds, datasetInfos, runCompiled, tableInfo } from './sql/stored.js';
import type { Sql, SqlValue } from './sql/sql.js';
import { DUCKDB, render } from './sql/sql.js';

export interface DuckdbBackendOptions extends IngestOptions {
  /**
   * Database file; default in-memory. With a file, published datasets persist (duckdb-catalog.ts):
   * a restarted backend reopens them, and attaching an unchanged file again keeps its table.
   */
  path?: string;
  /** Files to attach at start, by dataset name (the operator's paths). */
  files?: Record<string, string | AttachSource>;
  /** DuckDB `memory_limit` (e.g. `4GB`): past it, DuckDB spills to `tempDirectory`. */
  memoryLimit?: string;
  /** Where DuckDB spills (default: next to `path`, or DuckDB's own default). */
  tempDirectory?: string;
  /** Rows ingested at once when attaching CSV / Parquet files in JavaScript (default 500 000). */
  chunkRows?: number;
  /**
   * How `attach` ingests CSV and Parquet files: `sql` (default) types, validates and masks them in
   * DuckDB with the ingestion's result (duckdb-attach.ts), falling back to `js` for a file it
   * cannot reproduce exactly; `js` runs the JavaScript ingestion on every row, in chunks.
   */
  attachBy?: 'sql' | 'js';
  /**
   * With a `path`, prepared cross-filter answers are kept in the file for the data they were
   * computed from and read back at open (duckdb-cells.ts); default true. False leaves them in memory.
   */
  keepPrepared?: boolean;
  /**
   * Metric queries run at once; the rest wait their turn in order (a caller's abort or timeout
   * still ends a waiting one). Default one per two cores (at least one): DuckDB already runs each
   * query on every core, so more at once only share the threads, the caches and `memory_limit`.
   * At 100M loan-months on 2 cores the cold dashboard's 15 queries took 189 s all at once, 125 s
   * four at a time, 107 s two at a time and 98 s one at a time (10M: 8.9 s in each case).
   */
  maxConcurrentQueries?: number;
}

export type { AttachedBy } from './duckdb-catalog.js';

/** What a publish records besides the table: how it was attached and the source file's stamp. */
interface Meta {
  by?: AttachedBy;
  stamp?: SourceStamp | null;
}

function unavailable(e: unknown): FinError {
  return new FinError('backend_unavailable', 'DuckDB is not available', {
    cause: e instanceof Error ? e.message : String(e),
  });
}

/** Create the DuckDB backend (opens the database; attaches `files`). */
export async function duckdbBackend(opts: DuckdbBackendOptions = {}): Promise<
  Backend & {
    readonly catalog: Catalog;
    readonly attachedBy: Map<string, AttachedBy>;
    /** Entries of the database file's catalog that were not reopened, and why. */
    readonly skipped: ReadonlyArray<{ name: string; reason: string }>;
    /** Prepared answers read back from the database file at open (duckdb-cells.ts). */
    readonly preparedRestored: number;
    /** Metric queries running now, and waiting for their turn (`maxConcurrentQueries`). */
    readonly queries: { running: number; waiting: number };
  }
> {
  const {
    path,
    files,
    memoryLimit,
    tempDirectory,
    chunkRows = 500_000,
    attachBy = 'sql',
    keepPrepared = true,
    maxConcurrentQueries = Math.max(1, Math.floor(availableParallelism() / 2)),
    ...defaults
  } = opts;
  const slots = querySlots(maxConcurrentQueries);
  let instance: DuckInstance;
  try {
    const mod = (await import('@duckdb/node-api')) as unknown as {
      DuckDBInstance: { create(path: string, config?: Record<string, string>): Promise<DuckInstance> };
    };
    const config: Record<string, string> = {};
    if (memoryLimit) config['memory_limit'] = memoryLimit;
    if (tempDirectory) config['temp_directory'] = tempDirectory;
    instance = await mod.DuckDBInstance.create(path ?? ':memory:', config);
  } catch (e) {
    throw unavailable(e);
  }
  const admin = await instance.connect();
  const catalog: Catalog = new Map();
  const attachedBy = new Map<string, AttachedBy>();
  const stamps = new Map<string, SourceStamp>();
  let version = 0;
  let seq = 0;
  let closed = false;
  const persisted = path !== undefined && path !== ':memory:';
  let skipped: Array<{ name: string; reason: string }> = [];
  if (persisted) {
    try {
      const found = await readCatalog(admin);
      seq = found.maxSeq;
      skipped = found.skipped;
      for (const e of found.entries) {
        catalog.set(e.info.name, e.info);
        if (e.by) attachedBy.set(e.info.name, e.by);
        if (e.stamp) stamps.set(e.info.name, e.stamp);
      }
      await ensureCatalog(admin);
    } catch (e) {
      admin.closeSync();
      instance.closeSync();
      throw unavailable(e);
    }
  }

  /** Create the table of a dataset's columns (generated names; dates with their parts). */
  async function createTable(ds: Dataset, cols: Map<string, ColInfo>): Promise<string> {
    const table = `t${++seq}`;
    const defs: string[] = ['"r" BIGINT'];
    for (const field of Object.keys(ds.cols)) {
      const { id, kind } = cols.get(field)!;
      if (kind === 'num') defs.push(`"${id}" DOUBLE`);
      else if (kind === 'cat') defs.push(`"${id}" VARCHAR`);
      else if (kind === 'bool') defs.push(`"${id}" BOOLEAN`);
      else {
        defs.push(`"${id}" DOUBLE`);
        for (const p of PARTS) defs.push(`"${id}_${p}" INTEGER`);
      }
    }
    await admin.run(`CREATE TABLE "${table}" (${defs.join(', ')})`);
    return table;
  }

  /**
   * Make `table` the dataset `name` (dropping the table it replaces), in its query layout first
   * (key codes: duckdb-layout.ts); a table that cannot be laid out is dropped, never published.
   */
  async function publish(filled: TableInfo, by?: AttachedBy, stamp?: SourceStamp | null): Promise<void> {
    let info: TableInfo;
    try {
      info = await withKeyCodes(admin, filled, `t${++seq}`);
    } catch (e) {
      await admin.run(`DROP TABLE IF EXISTS "${filled.table}"`);
      throw unavailable(e);
    }
    const old = catalog.get(info.name);
    if (persisted) {
      // The entry and the replaced table's drop commit together: a file never names a dropped table.
      const entry: CatalogEntry = { info, ...(by ? { by } : {}), ...(stamp ? { stamp } : {}) };
      await admin.run('BEGIN TRANSACTION');
      try {
        await saveEntry(admin, entry);
        if (old && old.table !== info.table) await admin.run(`DROP TABLE IF EXISTS "${old.table}"`);
        await admin.run('COMMIT');
      } catch (e) {
        await admin.run('ROLLBACK');
        await admin.run(`DROP TABLE IF EXISTS "${info.table}"`);
        throw unavailable(e);
      }
    }
    catalog.set(info.name, info);
    if (by) attachedBy.set(info.name, by);
    else attachedBy.delete(info.name);
    if (stamp) stamps.set(info.name, stamp);
    else stamps.delete(info.name);
    version++;
    if (!persisted && old && old.table !== info.table) await admin.run(`DROP TABLE IF EXISTS "${old.table}"`);
  }

  async function store(name: string, ds: Dataset, report: DataQualityReport, meta: Meta = {}): Promise<void> {
    const cols = columnIds(ds);
    const table = await createTable(ds, cols);
    await appendRows(admin, table, ds, cols, 0);
    await publish(tableInfo(name, table, ds, cols, report), meta.by, meta.stamp);
  }

  async function load(
    name: string,
    input: IngestInput,
    o: LoadOptions = {},
    meta: Meta = {},
  ): Promise<DataQualityReport> {
    if (closed) throw unavailable('closed');
    let res;
    try {
      res = await ingest(name, input, { ...defaults, ...o });
    } catch (e) {
      throw wrap(e);
    }
    await store(name, res.dataset, res.report, meta);
    return res.report;
  }

  /**
   * A big file in chunks (CSV records, Parquet rows): each chunk through the ingestion, appended
   * to one table; the reports merged; keys de-duplicated across chunks in SQL; the catalog facts
   * (status values, unique keys) read from the stored table.
   */
  async function loadChunks(
    name: string,
    chunks: AsyncIterable<IngestInput>,
    o: LoadOptions,
    meta: Meta,
  ): Promise<DataQualityReport> {
    let table: string | null = null;
    let got;
    try {
      got = await ingestChunks(
        name,
        chunks,
        { ...defaults, ...o },
        {
          create: async (ds, cols) => {
            table = await createTable(ds, cols);
          },
          append: (ds, cols, offset, report) => appendRows(admin, table!, ds, cols, offset, report),
        },
        () => closed,
      );
    } catch (e) {
      if (table) await admin.run(`DROP TABLE IF EXISTS "${table}"`);
      throw e;
    }
    if (!got || !table) throw new FinError('bad_input', 'The file has no header', { dataset: name });
    let report = got.report;
    const { rows, statuses } = got;
    const info = tableInfo(name, table as string, got.ds, got.cols, report);
    const deduped = await dedupeAcrossChunks(admin, info, schemaOf(name)?.key ?? []);
    if (deduped > 0) {
      report = mergeReports(report, {
        ...emptyReport(name),
        rowsRejected: deduped,
        rowsKept: -deduped,
        duplicatesRemoved: deduped,
        rejected: { ...emptyReport(name).rejected, duplicate_key: deduped },
        warnings: [qualityWarning('duplicates_removed', { count: deduped, key: schemaOf(name)?.key ?? [] })],
      });
    }
    info.report = report;
    info.n = rows - deduped;
    if (statuses.size) info.values.set('status', [...statuses]);
    info.uniqueKeys = await uniqueKeys(admin, info);
    await publish(info, meta.by, meta.stamp);
    return report;
  }

  async function attach(name: string, source: AttachSource, o: LoadOptions = {}): Promise<DataQualityReport> {
    if (closed) throw unavailable('closed');
    const format = attachFormat(source);
    const lo: LoadOptions = { ...o, ...(source.fields ? { fields: source.fields } : {}) };
    const stamp = persisted
      ? await fileStamp(source.path, { ...defaults, ...lo }, `${format}:${attachBy}`)
      : null;
    const stored = catalog.get(name);
    const storedStamp = stamps.get(name);
    if (stamp && stored && storedStamp && sameIngestion({ info: stored, stamp: storedStamp }, stamp)) {
      attachedBy.set(name, { ...(attachedBy.get(name) ?? { by: 'sql' }), kept: true });
      return stored.report;
    }
    let reason = attachBy === 'js' ? 'attachBy: js' : `${format} files are ingested in JavaScript`;
    if ((format === 'parquet' || format === 'csv') && attachBy === 'sql') {
      const table = `t${++seq}`;
      try {
        const res = await sqlAttach(admin, name, source.path, format, table, `x${seq}`, {
          ...defaults,
          ...lo,
        });
        const info: TableInfo = {
          name,
          table,
          n: res.n,
          cols: res.cols,
          masked: res.masked,
          timeZone: lo.timeZone ?? defaults.timeZone ?? 'Asia/Shanghai',
          report: res.report,
          values: new Map(res.statuses.length ? [['status', res.statuses]] : []),
          uniqueKeys: new Set(),
        };
        info.uniqueKeys = await uniqueKeys(admin, info);
        await publish(info, { by: 'sql' }, stamp);
        return res.report;
      } catch (e) {
        // Anything the SQL path cannot reproduce (or a file it cannot read) goes to JavaScript,
        // which ingests it, or fails with the ingestion's own error.
        await admin.run(`DROP TABLE IF EXISTS "${table}"`);
        reason = e instanceof Error ? e.message.slice(0, 200) : String(e);
      }
    }
    return attachByJs(name, source, format, lo, { by: { by: 'js', reason }, stamp });
  }

  async function attachByJs(
    name: string,
    source: AttachSource,
    format: ReturnType<typeof attachFormat>,
    lo: LoadOptions,
    meta: Meta,
  ): Promise<DataQualityReport> {
    if (format === 'parquet')
      return loadChunks(
        name,
        parquetChunks(() => instance.connect(), source.path, chunkRows),
        lo,
        meta,
      );
    if (format === 'csv') return loadChunks(name, csvChunks(source.path, chunkRows), { ...lo, format }, meta);
    return load(name, await readAttached(source.path, format), { ...lo, format }, meta);
  }

  /** Run one query on its own connection (so an abort interrupts only it). */
  async function runQuery(req: QueryRequest, q: BackendQueryOptions = {}): Promise<MetricResult> {
    if (closed) throw unavailable('closed');
    if (q.signal?.aborted) throw new FinError('aborted', 'The query was cancelled');
    const release = await slots.acquire(q.signal);
    let conn: DuckConnection;
    try {
      if (closed) throw unavailable('closed');
      conn = await instance.connect();
    } catch (e) {
      release();
      throw e instanceof FinError ? e : unavailable(e);
    }
    const onAbort = (): void => conn.interrupt();
    q.signal?.addEventListener('abort', onAbort);
    const exec = async (s: Sql): Promise<Array<Record<string, unknown>>> => {
      const { text, params } = render(s, DUCKDB);
      try {
        const r = await conn.runAndReadAll(text, params as SqlValue[]);
        return r.getRowObjectsJS().map((row) => {
          for (const k of Object.keys(row)) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
          return row;
        });
      } catch (e) {
        if (q.signal?.aborted) throw new FinError('aborted', 'The query was cancelled');
        throw new FinError('backend_unavailable', 'The DuckDB query failed', {
          cause: e instanceof Error ? e.message : String(e),
        });
      }
    };
    try {
      return await runCompiled('duckdb', catalog, req, q, exec);
    } finally {
      q.signal?.removeEventListener('abort', onAbort);
      conn.closeSync();
      release();
    }
  }

  // Cross-filter cells answered ahead of time (`prepare`), looked up before the query path; with a
  // database file they are kept in it for the data they were computed from (duckdb-cells.ts).
  let cells: PersistedCells | undefined;
  let cellsConn: DuckConnection | undefined;
  if (persisted && keepPrepared) {
    try {
      cellsConn = await instance.connect();
      cells = persistedCells(cellsConn, () => dataStamp(catalog.values()), MAX_CUBE_CELLS);
    } catch (e) {
      admin.closeSync();
      instance.closeSync();
      throw unavailable(e);
    }
  }
  const prepared = preparedAnswers({
    run: runQuery,
    distinct: (d, q) => runQuery(distinctQuery(d), q),
    version: () => version,
    ...(cells ? { persist: cells } : {}),
  });
  let restored = 0;
  if (cells) {
    const kept = await cells.restore().catch(() => []);
    prepared.restore(kept);
    restored = kept.length;
  }

  const backend = {
    kind: 'duckdb',
    catalog,
    attachedBy,
    version: () => version,
    skipped,
    /** Prepared answers read back from the database file at open. */
    preparedRestored: restored,
    get queries() {
      return { running: slots.running, waiting: slots.waiting };
    },
    load: (name: string, input: IngestInput, o?: LoadOptions) => load(name, input, o),
    attach,
    query: prepared.query,
    distinct: (d, q) => runQuery(distinctQuery(d), q),
    prepare: prepared.prepare,
    datasets: async (): Promise<DatasetInfo[]> => datasetInfos(catalog),
    async unload(name: string) {
      const t = catalog.get(name);
      if (!t) return;
      if (persisted) {
        await admin.run('BEGIN TRANSACTION');
        try {
          await removeEntry(admin, name);
          await admin.run(`DROP TABLE IF EXISTS "${t.table}"`);
          await admin.run('COMMIT');
        } catch (e) {
          await admin.run('ROLLBACK');
          throw unavailable(e);
        }
      }
      catalog.delete(name);
      attachedBy.delete(name);
      stamps.delete(name);
      version++;
      if (!persisted) await admin.run(`DROP TABLE IF EXISTS "${t.table}"`);
    },
    async close() {
      if (closed) return;
      closed = true;
      prepared.close();
      // Write everything into the file now: a DuckDB instance is freed only when the last handle to
      // it is collected, and its shutdown checkpoint could then land after another process (or
      // instance) has opened the file. A failed checkpoint leaves the WAL, which the next open replays.
      await cells?.flush();
      cellsConn?.closeSync();
      if (persisted) await admin.run('CHECKPOINT').catch(() => undefined);
      admin.closeSync();
      instance.closeSync();
    },
  } satisfies Backend & {
    catalog: Catalog;
    attachedBy: Map<string, AttachedBy>;
    skipped: ReadonlyArray<{ name: string; reason: string }>;
    preparedRestored: number;
    readonly queries: { running: number; waiting: number };
  };
  for (const [name, f] of Object.entries(files ?? {}))
    await attach(name, typeof f === 'string' ? { path: f } : f);
  return backend;
}
