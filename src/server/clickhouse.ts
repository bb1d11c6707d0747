/**
 * `clickhouseBackend()`: the warehouse backend over HTTP (`@clickhouse/client` 1.x), written for
 * the oldest server it meets on our machines, ClickHouse 18.16: no window functions, no
 * `FILTER`, no `WITH t AS (subquery)`, no server-side query parameters (values go through the
 * one audited literal function, `clickhouseLiteral`), one JOIN per SELECT. The metrics are the
 * same compiled definitions as DuckDB's (src/server/sql/), rendered in the ClickHouse dialect.
 *
 * Data loaded as values goes through the same ingestion as the memory engine (typing, validation,
 * de-duplication, PII masking at load); rows are stored with generated table and column names:
 * dates as epoch ms plus the engine's period indexes computed once at load (no ClickHouse date
 * function ever re-derives a month, so the server's time zone never matters).
 *
 * With `cluster`, each dataset is a `MergeTree` table on every shard (created through
 * `shardUrls`: 18.16 has no `ON CLUSTER` without ZooKeeper) and a `Distributed(cluster, db,
 * <local>, cityHash64(key))` table on `url`, the key `loan_id` (else `customer_id`) so a loan's
 * months and a customer's transactions live on one shard. Joins and `IN` subqueries over
 * Distributed tables are `GLOBAL` (the dialect's `distributed` spelling); a grouped query whose
 * rows stay within one loan (sql/per-shard.ts) runs on every shard's local tables instead, its
 * groups merged here, each shard's `/ping` watched meanwhile. A shard that does not
 * answer makes the queries that read it fail with the typed `backend_unavailable`; a frozen one
 * (its kernel accepts, nothing answers) is bounded by the cluster's own `receive_timeout`
 * (docs/server.md "Deployment": per-query settings do not reach the shard connections on 18.16).
 *
 * Deadline: every request (query, statement, insert) carries a generated `query_id` and runs
 * under `requestTimeoutMs` (clickhouse-calls.ts); past it the call is the typed `timeout` and the
 * query is sent `KILL QUERY … ASYNC`, as one cancelled by the caller's signal (`aborted`).
 *
 * Restarts: the HTTP sockets to `url` are kept alive in this backend's own agent. A metric query
 * (always a SELECT) whose connection is lost (reset, broken pipe, hang up: a kept-alive socket to
 * a server that was restarted, or closed while idle) is sent once more on a new connection after
 * every idle socket of the agent is dropped; a refused connection, a timeout or an exception from
 * ClickHouse is never retried. The Distributed engine's own connections to a restarted shard need
 * nothing: a stale one fails its first try (`Attempt to read after eof`) and ClickHouse reconnects.
 *
 * The catalog (which dataset is which table) lives in this process, as DuckDB's in-memory one:
 * `close()` drops the tables this backend created. With `persist` it is also kept in the
 * database (clickhouse-catalog.ts): a restarted backend reopens it, and `close()` keeps the tables.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { Dataset } from '../data/dataset.js';
import { ingest } from '../data/ingest.js';
import type { DataQualityReport, IngestInput, IngestOptions } from '../data/ingest.js';
import type { DatasetInfo, LoadOptions } from '../engine/engine-types.js';
import { FinError } from '../engine/errors.js';
import { wrap } from '../engine/local.js';
import type { MetricResult, QueryRequest } from '../engine/types.js';
import { attachFormat, distinctQuery, readAttached } from './attach.js';
import type { AttachSource, Backend, BackendQueryOptions } from './backend.js';
import type { ChClient } from './clickhouse-calls.js';
import {
  agentFor,
  connectionLost,
  dropIdleSockets,
  shardWatch,
  unavailable,
  withDeadline,
} from './clickhouse-calls.js';
import type { CatalogIo } from './clickhouse-catalog.js';
import { ensureCatalog, readCatalog, removeEntry, saveEntry } from './clickhouse-catalog.js';
import type { AttachedBy, SourceStamp } from './catalog-entry.js';
import { fileStamp, sameIngestion } from './catalog-entry.js';
import { columnDefs, rowObjects } from './clickhouse-rows.js';
import type { FactsContext } from './clickhouse-facts.js';
import { checkCases, checkKeys, checkLoanMonths } from './clickhouse-facts.js';
import { CLICKHOUSE_TABLE } from './clickhouse-catalog.js';
import { PerShard, mergeShardRows, shardDialect, shardKey } from './sql/per-shard.js';
import { csvChunks, ingestChunks } from './chunks.js';
import { clickhouseCellsIo } from './clickhouse-cells.js';
import { preparedAnswers } from './prepared.js';
import { dataStamp, persistedCellsOn } from './prepared-cells.js';
import { MAX_CUBE_CELLS } from '../engine/cube.js';
import type { Catalog, ColInfo, TableInfo } from './sql/scope.js';
import type { Sql } from './sql/sql.js';
import { CLICKHOUSE, CLICKHOUSE_DISTRIBUTED, Ident, render } from './sql/sql.js';
import { columnIds, datasetInfos, runCompiled, tableInfo } from './sql/stored.js';

export interface ClickhouseBackendOptions extends IngestOptions {
  /** HTTP URL of the server queries go to (e.g. `http://127.0.0.1:8123`). */
  url: string;
  /** Database for this backend's tables (created when missing); default `finboard`. */
  database?: string;
  /** A `remote_servers` cluster name: datasets become `Distributed` tables over its shards. */
  cluster?: string;
  /** HTTP URLs of the cluster's shards (each gets the local tables); default `[url]`. */
  shardUrls?: string[];
  /** Client options passed through (credentials, request timeout). */
  username?: string;
  password?: string;
  /**
   * Milliseconds the backend waits for one request to ClickHouse, from sending it to the end of
   * its answer (default 60 000): past it the call is the typed `timeout` and the query is sent
   * `KILL QUERY`. Keep it under the handler's `limits.timeoutMs` to have the backend's own bound.
   */
  requestTimeoutMs?: number;
  /** Rows per insert request (default 50 000). */
  insertChunk?: number;
  /** Records of a CSV file ingested at once when attaching it (default 500 000; see `attach`). */
  chunkRows?: number;
  /**
   * Keep the catalog in the database (`finboard_catalog`, clickhouse-catalog.ts): a restarted
   * backend reopens the datasets published before, an unchanged file attached again with the
   * same options keeps its table, and `close()` leaves the tables in place. One serving process
   * per database. Default false: the tables live as long as this backend (`close()` drops them).
   */
  persist?: boolean;
  /**
   * With `persist`, keep the prepared cross-filter answers in the database too
   * (`finboard_prepared`, clickhouse-cells.ts) for the data they were computed from, read back
   * when a backend opens the same database; default true. False leaves them in memory.
   */
  keepPrepared?: boolean;
  /**
   * While a query runs shard by shard (sql/per-shard.ts), each shard's `/ping` is checked every
   * second and must answer within this many milliseconds (default 3 000); one that does not
   * (a frozen server) fails the query with `backend_unavailable`, as the Distributed engine's own
   * connection timeout does for the queries it runs.
   */
  shardPingMs?: number;
}

/** Settings of every metric query: SQL NULLs from outer joins, 64-bit integers as JSON numbers. */
const QUERY_SETTINGS = { join_use_nulls: 1, output_format_json_quote_64bit_integers: 0 };

const SAFE_DB = /^[a-z][a-z0-9_]{0,62}$/;

/** Attempts of one metric query: the first, and one more when its connection was lost. */
const READ_ATTEMPTS = 2;

export interface ClickhouseBackend extends Backend {
  readonly catalog: Catalog;
  /** With `persist`: catalog entries not reopened at start, and why (their tables are left alone). */
  readonly skipped: ReadonlyArray<{ name: string; reason: string }>;
  /** How each dataset was attached (always through the ingestion; `kept`: its table was kept). */
  readonly attachedBy: ReadonlyMap<string, AttachedBy>;
  /** Prepared answers read back from the database at open (`persist` and `keepPrepared`). */
  readonly preparedRestored: number;
}

/** Create the ClickHouse backend (checks the server answers; creates the database). */
export async function clickhouseBackend(opts: ClickhouseBackendOptions): Promise<ClickhouseBackend> {
  const {
    url,
    database: db,
    cluster,
    shardUrls,
    username,
    password,
    requestTimeoutMs,
    insertChunk,
    chunkRows = 500_000,
    persist = false,
    keepPrepared = true,
    shardPingMs = 3_000,
    ...defaults
  } = opts;
  const database = db ?? 'finboard';
  if (!SAFE_DB.test(database))
    throw new FinError('bad_input', 'The ClickHouse database name must match [a-z][a-z0-9_]*');
  if (cluster !== undefined && !SAFE_DB.test(cluster))
    throw new FinError('bad_input', 'The ClickHouse cluster name must match [a-z][a-z0-9_]*');
  const dialect = cluster ? CLICKHOUSE_DISTRIBUTED : CLICKHOUSE;
  let createClient: (o: Record<string, unknown>) => ChClient;
  let silent: unknown;
  try {
    const mod = (await import('@clickhouse/client')) as unknown as {
      createClient: (o: Record<string, unknown>) => ChClient;
      ClickHouseLogLevel: { OFF: unknown };
    };
    createClient = mod.createClient;
    silent = mod.ClickHouseLogLevel.OFF;
  } catch (e) {
    throw unavailable(e);
  }
  const timeoutMs = requestTimeoutMs ?? 60_000;
  const connect = (u: string, db?: string, agent = agentFor(u)): ChClient =>
    createClient({
      url: u,
      ...(db ? { database: db } : {}),
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
      // A backstop: the socket inactivity timeout never fires before `withDeadline`'s.
      request_timeout: timeoutMs,
      // Our own agent, so a lost connection can drop the idle sockets to the same server.
      http_agent: agent,
      // Idle sockets past their TTL are closed before a request even when timers ran late.
      keep_alive: { eagerly_destroy_stale_sockets: true },
      // Failures reach the caller as typed errors; the client's own log would print the SQL.
      log: { level: silent },
    });
  /** Send one statement to `server` under the deadline, with a generated query id. */
  const command = (server: ChClient, query: string): Promise<unknown> =>
    withDeadline({ server, timeoutMs }, (query_id, abort_signal) =>
      server.command({ query, query_id, abort_signal }),
    );
  const targets = [...new Set([url, ...(cluster ? (shardUrls ?? [url]) : [])])];
  for (const u of targets) {
    const admin = connect(u);
    try {
      await command(admin, `CREATE DATABASE IF NOT EXISTS \`${database}\``);
    } catch (e) {
      throw unavailable(e);
    } finally {
      await admin.close().catch(() => {});
    }
  }
  const mainAgent = agentFor(url);
  const main = connect(url, database, mainAgent);
  // Each shard's own agent, so a lost connection drops that server's idle sockets.
  const agents = new Map<ChClient, http.Agent>([[main, mainAgent]]);
  const shardList = cluster ? (shardUrls ?? [url]) : [url];
  const shards = cluster
    ? shardList.map((u) => {
        if (u === url) return main;
        const agent = agentFor(u);
        const c = connect(u, database, agent);
        agents.set(c, agent);
        return c;
      })
    : [main];
  // Co-located grouped queries (sql/per-shard.ts) read each shard's local tables, while one
  // watcher shared by them pings every shard.
  const onShard = shardDialect(CLICKHOUSE_TABLE);
  const liveness = shardWatch(shardList, shardPingMs);
  const catalog: Catalog = new Map();
  const prefix = `t${randomBytes(4).toString('hex')}`;
  let version = 0;
  let seq = 0;
  let closed = false;
  const q = (name: string): string => `\`${database}\`.\`${new Ident(name).name}\``;

  /** One SELECT on `url` under the deadline; its rows. */
  const select = (query: string, settings: Record<string, number> = {}) =>
    withDeadline({ server: main, timeoutMs }, async (query_id, abort_signal) => {
      const r = await main.query({
        query,
        format: 'JSONEachRow',
        query_id,
        abort_signal,
        clickhouse_settings: settings,
      });
      return r.json<Record<string, unknown>>();
    });
  /** The number a `SELECT … AS n` answers. */
  const countOf = async (query: string, settings: Record<string, number> = {}): Promise<number> =>
    Number((await select(query, settings))[0]?.['n'] ?? 0);
  // What the attach-time checks read through (clickhouse-facts.ts).
  const facts: FactsContext = { countOf, table: (t) => q(t), clustered: cluster !== undefined };

  // The persisted catalog: reopened here, written at every publish and unload.
  const io: CatalogIo = {
    database,
    query: (sql) => select(sql, { output_format_json_quote_64bit_integers: 0 }),
    command: (sql) => command(main, sql),
    insert: (table, values) =>
      withDeadline({ server: main, timeoutMs }, (query_id, abort_signal) =>
        main.insert({ table: `${database}.${table}`, values, format: 'JSONEachRow', query_id, abort_signal }),
      ),
  };
  const stamps = new Map<string, SourceStamp>();
  const attachedBy = new Map<string, AttachedBy>();
  let skipped: Array<{ name: string; reason: string }> = [];
  let logSeq = 0;
  if (persist) {
    try {
      logSeq = await ensureCatalog(io);
      const found = await readCatalog(io, (t) => countOf(`SELECT count() AS n FROM ${q(t)}`));
      skipped = found.skipped;
      for (const e of found.entries) {
        catalog.set(e.info.name, e.info);
        if (e.stamp) stamps.set(e.info.name, e.stamp);
      }
    } catch (e) {
      await Promise.all([...new Set([main, ...shards])].map((c) => c.close().catch(() => {})));
      throw unavailable(e, 'ClickHouse could not read the persisted catalog');
    }
  }

  async function drop(table: string): Promise<void> {
    await command(main, `DROP TABLE IF EXISTS ${q(table)}`);
    if (cluster) for (const s of shards) await command(s, `DROP TABLE IF EXISTS ${q(`${table}_local`)}`);
  }

  /** Create the (Distributed over local, or MergeTree) table of a dataset's columns. */
  async function createTable(table: string, ds: Dataset, cols: Map<string, ColInfo>): Promise<void> {
    const defs = columnDefs(ds, cols).join(', ');
    if (cluster) {
      const local = `${table}_local`;
      for (const s of shards)
        await command(s, `CREATE TABLE ${q(local)} (${defs}) ENGINE = MergeTree ORDER BY r`);
      const key = shardKey(cols);
      const shardBy = key ? `cityHash64(ifNull(\`${cols.get(key)!.id}\`, ''))` : 'r';
      await command(
        main,
        `CREATE TABLE ${q(table)} (${defs}) ENGINE = Distributed(\`${cluster}\`, \`${database}\`, \`${local}\`, ${shardBy})`,
      );
    } else {
      await command(main, `CREATE TABLE ${q(table)} (${defs}) ENGINE = MergeTree ORDER BY r`);
    }
  }

  /** Insert a dataset's rows; `r` (the dataset row index) starts at `offset`. */
  async function insertRows(
    table: string,
    ds: Dataset,
    cols: Map<string, ColInfo>,
    offset = 0,
  ): Promise<void> {
    const chunk = insertChunk ?? 50_000;
    for (let i = 0; i < ds.n; i += chunk) {
      const values = rowObjects(ds, cols, i, Math.min(ds.n, i + chunk));
      if (offset) for (const v of values) v['r'] = (v['r'] as number) + offset;
      await withDeadline({ server: main, timeoutMs }, (query_id, abort_signal) =>
        main.insert({
          table: `${database}.${table}`,
          values,
          format: 'JSONEachRow',
          query_id,
          abort_signal,
          // Distributed inserts reach the shards before the call returns (no background queue).
          ...(cluster ? { clickhouse_settings: { insert_distributed_sync: 1 } } : {}),
        }),
      );
    }
  }

  /**
   * Make `info` the dataset `info.name`: recorded in the persisted catalog first (when
   * `persist`), then served; the table it replaces is dropped last.
   */
  async function publish(info: TableInfo, stamp: SourceStamp | null = null): Promise<void> {
    if (persist) {
      try {
        await saveEntry(io, { info, ...(stamp ? { stamp } : {}) }, logSeq++);
      } catch (e) {
        await drop(info.table).catch(() => {});
        throw unavailable(e, 'ClickHouse could not store the dataset');
      }
    }
    const old = catalog.get(info.name);
    catalog.set(info.name, info);
    if (stamp) stamps.set(info.name, stamp);
    else stamps.delete(info.name);
    attachedBy.delete(info.name);
    version++;
    if (old && old.table !== info.table) await drop(old.table).catch(() => {});
  }

  async function store(
    name: string,
    ds: Dataset,
    report: DataQualityReport,
    stamp: SourceStamp | null = null,
  ): Promise<void> {
    const table = `${prefix}_${++seq}`;
    const cols = columnIds(ds);
    let info: TableInfo;
    try {
      await createTable(table, ds, cols);
      await insertRows(table, ds, cols);
      info = tableInfo(name, table, ds, cols, report);
      await checkLoanMonths(info, facts);
      await checkCases(info, facts);
    } catch (e) {
      await drop(table).catch(() => {});
      throw unavailable(e, 'ClickHouse could not store the dataset');
    }
    await publish(info, stamp);
  }

  /**
   * A CSV file in chunks of whole records (`chunkRows`): each chunk through the ingestion and
   * inserted into one table, the reports merged (chunks.ts), so Node never holds the file (a
   * 600 MB file is beyond one JavaScript string). Keys repeated within a chunk are removed by the
   * ingestion; a key repeated across chunks is counted in SQL afterwards, and the attach is then
   * refused with a typed error instead of keeping both rows (ClickHouse 18.16 has no synchronous
   * delete to drop the later row as the ingestion does): de-duplicate the file, or raise
   * `chunkRows` above its row count.
   */
  async function loadCsvChunks(
    name: string,
    path: string,
    o: LoadOptions,
    stamp: SourceStamp | null,
  ): Promise<DataQualityReport> {
    const table = `${prefix}_${++seq}`;
    try {
      const got = await ingestChunks(
        name,
        csvChunks(path, chunkRows),
        { ...defaults, ...o, format: 'csv' },
        {
          create: (ds, cols) => createTable(table, ds, cols),
          append: (ds, cols, offset) => insertRows(table, ds, cols, offset),
        },
        () => closed,
      );
      if (!got) throw new FinError('bad_input', 'The file has no header', { dataset: name });
      const { report, rows, statuses } = got;
      const info = tableInfo(name, table, got.ds, got.cols, report);
      info.n = rows;
      if (statuses.size) info.values.set('status', [...statuses]);
      await checkKeys(info, name, facts);
      await checkLoanMonths(info, facts);
      await checkCases(info, facts);
      await publish(info, stamp);
      return report;
    } catch (e) {
      await drop(table).catch(() => {});
      throw e instanceof FinError ? e : unavailable(e, 'ClickHouse could not store the dataset');
    }
  }

  async function load(
    name: string,
    input: IngestInput,
    o: LoadOptions = {},
    stamp: SourceStamp | null = null,
  ): Promise<DataQualityReport> {
    if (closed) throw unavailable('closed');
    let res;
    try {
      res = await ingest(name, input, { ...defaults, ...o });
    } catch (e) {
      throw wrap(e);
    }
    await store(name, res.dataset, res.report, stamp);
    return res.report;
  }

  async function attach(name: string, source: AttachSource, o: LoadOptions = {}): Promise<DataQualityReport> {
    const format = attachFormat(source);
    if (format === 'parquet') {
      throw new FinError(
        'unsupported',
        'Parquet files are not read by the ClickHouse backend; use CSV or Arrow',
        {
          backend: 'clickhouse',
        },
      );
    }
    const lo: LoadOptions = { ...o, ...(source.fields ? { fields: source.fields } : {}) };
    if (closed) throw unavailable('closed');
    // Persisted: the same file, unchanged, attached with the same options keeps its table.
    const stamp = persist ? await fileStamp(source.path, { ...defaults, ...lo }, `${format}:js`) : null;
    const stored = catalog.get(name);
    const storedStamp = stamps.get(name);
    if (stamp && stored && storedStamp && sameIngestion({ info: stored, stamp: storedStamp }, stamp)) {
      attachedBy.set(name, { by: 'js', kept: true });
      return stored.report;
    }
    const report =
      format === 'csv'
        ? await loadCsvChunks(name, source.path, lo, stamp)
        : await load(name, await readAttached(source.path, format), { ...lo, format }, stamp);
    attachedBy.set(name, { by: 'js' });
    return report;
  }

  async function runQuery(req: QueryRequest, qo: BackendQueryOptions = {}): Promise<MetricResult> {
    if (closed) throw unavailable('closed');
    // `s` is a compiled metric query: a SELECT, so sending it twice changes nothing.
    /** One SELECT on `server`, sent once more on a new connection when the connection was lost. */
    const read = async (
      server: ChClient,
      text: string,
      signal = qo.signal,
    ): Promise<Array<Record<string, unknown>>> => {
      for (let attempt = 1; ; attempt++) {
        try {
          // Timed out or cancelled: typed, and killed by id (18.16 keeps running a query whose
          // HTTP request went away).
          return await withDeadline(
            { server, timeoutMs, ...(signal ? { signal } : {}) },
            async (query_id, abort_signal) => {
              const rs = await server.query({
                query: text,
                format: 'JSONEachRow',
                query_id,
                abort_signal,
                clickhouse_settings: QUERY_SETTINGS,
              });
              return rs.json<Record<string, unknown>>();
            },
          );
        } catch (e) {
          if (e instanceof FinError || attempt >= READ_ATTEMPTS || !connectionLost(e))
            throw unavailable(e, 'The ClickHouse query failed');
          // Sockets pooled next to the lost one lead to the same (maybe restarted) server.
          dropIdleSockets(agents.get(server) ?? mainAgent);
        }
      }
    };
    // `s` is a compiled metric query: a SELECT, so sending it twice changes nothing.
    const exec = async (s: Sql): Promise<Array<Record<string, unknown>>> => {
      if (cluster && s instanceof PerShard) {
        const text = render(s, onShard).text;
        const live = liveness.acquire();
        const signal = qo.signal ? AbortSignal.any([qo.signal, live.signal]) : live.signal;
        try {
          return mergeShardRows(
            await Promise.all(shards.map((server) => read(server, text, signal))),
            s.merge,
          );
        } catch (e) {
          if (live.signal.aborted && !qo.signal?.aborted)
            throw new FinError('backend_unavailable', 'A ClickHouse shard does not answer', {
              cause: 'ping',
            });
          throw e;
        } finally {
          live.release();
        }
      }
      return read(main, render(s, dialect).text);
    };
    return runCompiled('clickhouse', catalog, req, qo, exec);
  }

  // Cross-filter cells answered ahead of time (`prepare`), looked up before the query path; with
  // `persist` they are kept in the database for the data they were computed from.
  const cells =
    persist && keepPrepared
      ? persistedCellsOn(clickhouseCellsIo(io), () => dataStamp(catalog.values()), MAX_CUBE_CELLS)
      : undefined;
  const prepared = preparedAnswers({
    run: runQuery,
    distinct: (d, qo) => runQuery(distinctQuery(d), qo),
    version: () => version,
    ...(cells ? { persist: cells } : {}),
  });
  const kept = cells ? await cells.restore().catch(() => []) : [];
  prepared.restore(kept);

  return {
    kind: 'clickhouse',
    catalog,
    version: () => version,
    skipped,
    attachedBy,
    preparedRestored: kept.length,
    load: (name: string, input: IngestInput, o?: LoadOptions) => load(name, input, o),
    attach,
    query: prepared.query,
    distinct: (d, qo) => runQuery(distinctQuery(d), qo),
    prepare: prepared.prepare,
    datasets: async (): Promise<DatasetInfo[]> => datasetInfos(catalog),
    async unload(name: string) {
      const t = catalog.get(name);
      if (!t) return;
      if (persist) {
        try {
          await removeEntry(io, name, logSeq++);
        } catch (e) {
          throw unavailable(e);
        }
      }
      catalog.delete(name);
      stamps.delete(name);
      attachedBy.delete(name);
      version++;
      await drop(t.table).catch((e: unknown) => {
        throw unavailable(e);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      prepared.close();
      await cells?.flush();
      // Persisted tables stay for the next backend on this database (the catalog names them).
      if (!persist) for (const t of catalog.values()) await drop(t.table).catch(() => {});
      catalog.clear();
      await Promise.all([...new Set([main, ...shards])].map((c) => c.close().catch(() => {})));
    },
  } satisfies ClickhouseBackend;
}
