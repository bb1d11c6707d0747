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
import type { Dataset } from '../data/dataset.js';
import { ingest } from '../data/ingest.js';
import type { DataQualityReport, IngestInput, IngestOptions } from '../data/ingest.js';
import type { DatasetInfo, LoadOptions } from '../engine/engine-types.js';
import { FinError } from '../engine/errors.js';
import { wrap } from '../engine/local.js';
import type { MetricResult, QueryRequest } from '../engine/types.js';
import { attachFormat, distinctQuery, readAttached } from './attach.js';
import type { AttachSource, Backend, BackendQueryOptions } from './backend.js';
import type { Catalog } from './sql/scope.js';
import { PARTS } from './sql/scope.js';
import { columnIds, datasetInfos, runCompiled, tableInfo } from './sql/stored.js';
import type { Sql, SqlValue } from './sql/sql.js';
import { DUCKDB, render } from './sql/sql.js';

export interface DuckdbBackendOptions extends IngestOptions {
  /** Database file (persisted, and where DuckDB spills out of core); default in-memory. */
  path?: string;
  /** Files to attach at start, by dataset name (the operator's paths). */
  files?: Record<string, string | AttachSource>;
}

// Minimal structural types of the parts of @duckdb/node-api used here (loaded dynamically).
interface DuckConnection {
  runAndReadAll(
    sql: string,
    values?: unknown[],
  ): Promise<{ getRowObjectsJS(): Array<Record<string, unknown>> }>;
  run(sql: string, values?: unknown[]): Promise<unknown>;
  createAppender(table: string): Promise<DuckAppender>;
  interrupt(): void;
  closeSync(): void;
}
interface DuckAppender {
  appendInteger(v: number): void;
  appendDouble(v: number): void;
  appendVarchar(v: string): void;
  appendBoolean(v: boolean): void;
  appendNull(): void;
  endRow(): void;
  flushSync(): void;
  closeSync(): void;
}
interface DuckInstance {
  connect(): Promise<DuckConnection>;
  closeSync(): void;
}

function unavailable(e: unknown): FinError {
  return new FinError('backend_unavailable', 'DuckDB is not available', {
    cause: e instanceof Error ? e.message : String(e),
  });
}

/** Create the DuckDB backend (opens the database; attaches `files`). */
export async function duckdbBackend(
  opts: DuckdbBackendOptions = {},
): Promise<Backend & { readonly catalog: Catalog }> {
  const { path, files, ...defaults } = opts;
  let instance: DuckInstance;
  try {
    const mod = (await import('@duckdb/node-api')) as unknown as {
      DuckDBInstance: { create(path: string): Promise<DuckInstance> };
    };
    instance = await mod.DuckDBInstance.create(path ?? ':memory:');
  } catch (e) {
    throw unavailable(e);
  }
  const admin = await instance.connect();
  const catalog: Catalog = new Map();
  let version = 0;
  let seq = 0;
  let closed = false;

  async function store(name: string, ds: Dataset, report: DataQualityReport): Promise<void> {
    const table = `t${++seq}`;
    const cols = columnIds(ds);
    const defs: string[] = ['"r" INTEGER'];
    for (const [field, col] of Object.entries(ds.cols)) {
      const id = cols.get(field)!.id;
      if (col.kind === 'num') defs.push(`"${id}" DOUBLE`);
      else if (col.kind === 'cat') defs.push(`"${id}" VARCHAR`);
      else if (col.kind === 'bool') defs.push(`"${id}" BOOLEAN`);
      else {
        defs.push(`"${id}" DOUBLE`);
        for (const p of PARTS) defs.push(`"${id}_${p}" INTEGER`);
      }
    }
    await admin.run(`CREATE TABLE "${table}" (${defs.join(', ')})`);
    const app = await admin.createAppender(table);
    const list = [...Object.values(ds.cols)];
    for (let i = 0; i < ds.n; i++) {
      app.appendInteger(i);
      for (const col of list) {
        if (col.kind === 'num') {
          const v = col.data[i]!;
          if (Number.isNaN(v)) app.appendNull();
          else app.appendDouble(v);
        } else if (col.kind === 'cat') {
          const k = col.codes[i]!;
          if (k < 0) app.appendNull();
          else app.appendVarchar(col.dict[k]!);
        } else if (col.kind === 'bool') {
          const b = col.data[i]!;
          if (b < 0) app.appendNull();
          else app.appendBoolean(b === 1);
        } else {
          const v = col.data[i]!;
          if (Number.isNaN(v)) app.appendNull();
          else app.appendDouble(v);
          for (const p of PARTS) app.appendInteger(col[p][i]!);
        }
      }
      app.endRow();
    }
    app.flushSync();
    app.closeSync();
    const old = catalog.get(name);
    catalog.set(name, tableInfo(name, table, ds, cols, report));
    version++;
    if (old) await admin.run(`DROP TABLE IF EXISTS "${old.table}"`);
  }

  async function load(name: string, input: IngestInput, o: LoadOptions = {}): Promise<DataQualityReport> {
    if (closed) throw unavailable('closed');
    let res;
    try {
      res = await ingest(name, input, { ...defaults, ...o });
    } catch (e) {
      throw wrap(e);
    }
    await store(name, res.dataset, res.report);
    return res.report;
  }

  async function attach(name: string, source: AttachSource, o: LoadOptions = {}): Promise<DataQualityReport> {
    const format = attachFormat(source);
    const lo: LoadOptions = { ...o, ...(source.fields ? { fields: source.fields } : {}) };
    if (format === 'parquet') {
      // Read by DuckDB (the path is bound as a value), then typed and masked by the same ingestion.
      const rows = (
        await admin.runAndReadAll('SELECT * FROM read_parquet($1)', [source.path])
      ).getRowObjectsJS();
      const plain = rows.map((r) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r))
          out[k] =
            typeof v === 'bigint'
              ? Number(v)
              : v instanceof Object && 'toString' in v && !(v instanceof Date)
                ? String(v)
                : v;
        return out;
      });
      return load(name, plain as IngestInput, lo);
    }
    return load(name, await readAttached(source.path, format), { ...lo, format });
  }

  /** Run one query on its own connection (so an abort interrupts only it). */
  async function runQuery(req: QueryRequest, q: BackendQueryOptions = {}): Promise<MetricResult> {
    if (closed) throw unavailable('closed');
    if (q.signal?.aborted) throw new FinError('aborted', 'The query was cancelled');
    let conn: DuckConnection;
    try {
      conn = await instance.connect();
    } catch (e) {
      throw unavailable(e);
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
    }
  }

  const backend = {
    kind: 'duckdb',
    catalog,
    version: () => version,
    load,
    attach,
    query: runQuery,
    distinct: (d, q) => runQuery(distinctQuery(d), q),
    datasets: async (): Promise<DatasetInfo[]> => datasetInfos(catalog),
    async unload(name: string) {
      const t = catalog.get(name);
      if (!t) return;
      catalog.delete(name);
      version++;
      await admin.run(`DROP TABLE IF EXISTS "${t.table}"`);
    },
    async close() {
      if (closed) return;
      closed = true;
      admin.closeSync();
      instance.closeSync();
    },
  } satisfies Backend & { catalog: Catalog };
  for (const [name, f] of Object.entries(files ?? {}))
    await attach(name, typeof f === 'string' ? { path: f } : f);
  return backend;
}
