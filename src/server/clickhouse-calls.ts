/**
 * One request of the ClickHouse backend, under the backend's own deadline: every request carries a
 * `query_id` generated here, and a request given up on (the deadline passed, or the caller's
 * signal aborted) is sent `KILL QUERY WHERE query_id = … ASYNC` on the server that runs it,
 * because 18.16 keeps running a query whose HTTP client went away.
 *
 * Outcomes: the deadline → `FinError('timeout')` (the code and safe message of the handler's own
 * timeout); the caller's signal → `FinError('aborted')`; anything else is rethrown as it came
 * (the backend decides between a retry and `backend_unavailable`).
 *
 * Also the backend's own keep-alive sockets: one agent per server, its idle sockets dropped when
 * a connection was lost (`connectionLost`: reset, broken pipe), so the one retry connects afresh.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { FinError } from '../engine/errors.js';
import { clickhouseLiteral } from './sql/sql.js';

// The parts of @clickhouse/client used here (loaded dynamically: users without it never load it).
export interface ChResultSet {
  json<T>(): Promise<T[]>;
}
export interface ChClient {
  query(p: {
    query: string;
    format: 'JSONEachRow';
    query_id?: string;
    abort_signal?: AbortSignal;
    clickhouse_settings?: Record<string, unknown>;
  }): Promise<ChResultSet>;
  command(p: {
    query: string;
    query_id?: string;
    abort_signal?: AbortSignal;
    clickhouse_settings?: Record<string, unknown>;
  }): Promise<unknown>;
  insert(p: {
    table: string;
    values: Array<Record<string, unknown>>;
    format: 'JSONEachRow';
    query_id?: string;
    abort_signal?: AbortSignal;
    clickhouse_settings?: Record<string, unknown>;
  }): Promise<unknown>;
  close(): Promise<void>;
}

/** A backend call that failed for want of ClickHouse, as the typed `backend_unavailable`. */
export function unavailable(e: unknown, what = 'ClickHouse is not available'): FinError {
  // A typed outcome of the call itself (`timeout`, `aborted`) stays what it is.
  if (e instanceof FinError) return e;
  return new FinError('backend_unavailable', what, { cause: e instanceof Error ? e.message : String(e) });
}

/** The request methods used here (each takes a `query_id` and an `abort_signal`). */
export interface ChCaller {
  command(p: { query: string; query_id?: string; abort_signal?: AbortSignal }): Promise<unknown>;
}

/** Milliseconds a `KILL QUERY` request may take (a frozen server never answers it). */
const KILL_WAIT_MS = 5_000;

/** The message `@clickhouse/client` 1.x rejects with when its socket inactivity timeout fires. */
const CLIENT_TIMEOUT = 'Timeout error.';

/** Ask `server` to stop query `id` (fire and forget: the caller already has its answer). */
export function killQuery(server: ChCaller, id: string): Promise<void> {
  return server
    .command({
      query: `KILL QUERY WHERE query_id = ${clickhouseLiteral(id)} ASYNC`,
      query_id: randomUUID(),
      abort_signal: AbortSignal.timeout(KILL_WAIT_MS),
    })
    .then(
      () => {},
      () => {},
    );
}

export interface DeadlineOptions {
  /** The server the request goes to (where `KILL QUERY` is sent). */
  server: ChCaller;
  /** Milliseconds from sending the request to the end of its answer. */
  timeoutMs: number;
  /** The caller's cancellation. */
  signal?: AbortSignal;
}

/**
 * Run `send(id, signal)` with a fresh query id under the deadline. `signal` aborts when the
 * deadline passes or the caller aborts; the request is then killed on the server.
 */
export async function withDeadline<T>(
  o: DeadlineOptions,
  send: (id: string, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const id = randomUUID();
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, o.timeoutMs);
  const onAbort = (): void => ac.abort();
  if (o.signal?.aborted) ac.abort();
  else o.signal?.addEventListener('abort', onAbort);
  try {
    return await send(id, ac.signal);
  } catch (e) {
    // The client's own inactivity timeout is a backstop set no shorter than the deadline.
    const clientTimeout = e instanceof Error && e.message === CLIENT_TIMEOUT;
    if (!ac.signal.aborted && !clientTimeout) throw e;
    void killQuery(o.server, id);
    if (o.signal?.aborted) throw new FinError('aborted', 'The query was cancelled');
    throw new FinError('timeout', `ClickHouse request over ${o.timeoutMs} ms`, {
      limit: o.timeoutMs,
      reason: timedOut ? 'backend deadline' : 'socket inactivity',
    });
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/** Sockets kept per server (the client's own default). */
const MAX_SOCKETS = 10;

/** A keep-alive agent for one server (https when the URL says so). */
export function agentFor(u: string): http.Agent {
  const o = { keepAlive: true, maxSockets: MAX_SOCKETS };
  return new URL(u).protocol === 'https:' ? new https.Agent(o) : new http.Agent(o);
}

/** Close every idle socket of `agent`: the next request opens a new connection. */
export function dropIdleSockets(agent: http.Agent): void {
  for (const list of Object.values(agent.freeSockets)) for (const s of list ?? []) s.destroy();
}

/**
 * The HTTP connection itself failed (reset, broken pipe; Node's "socket hang up" is ECONNRESET
 * too), not ClickHouse: no answer came, so a SELECT can be sent again. Refused connections (the
 * server is down), timeouts and ClickHouse exceptions are not this.
 */
export function connectionLost(e: unknown): boolean {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * Liveness of the servers queries run on directly (queries shard by shard), one watcher per
 * backend shared by the queries in flight: while at least one holds it, every second each URL's
 * `/ping` must answer within `timeoutMs`. The first that does not (a frozen process: its kernel
 * accepts, nothing answers) aborts the signal every current holder got; later holders get a fresh
 * one. A server busy computing still answers `/ping` at once (ClickHouse answers it on the HTTP
 * thread, not a query thread). No query in flight, no pings.
 */
export function shardWatch(
  urls: readonly string[],
  timeoutMs: number,
  everyMs = 1_000,
): { acquire(): { signal: AbortSignal; release(): void } } {
  let gen = new AbortController();
  let holders = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  const inFlight = new Set<string>();
  const fail = (g: AbortController): void => {
    if (g !== gen) return; // a ping of a generation already failed
    g.abort();
    gen = new AbortController();
  };
  const check = (): void => {
    const g = gen;
    for (const u of urls) {
      if (inFlight.has(u)) continue;
      inFlight.add(u);
      fetch(new URL('/ping', u), { signal: AbortSignal.timeout(timeoutMs) })
        .then((r) => {
          if (!r.ok) throw new Error(`ping ${r.status}`);
          return r.text();
        })
        .catch(() => fail(g))
        .finally(() => inFlight.delete(u));
    }
  };
  return {
    acquire() {
      holders++;
      if (!timer) {
        timer = setInterval(check, everyMs);
        timer.unref();
      }
      let held = true;
      return {
        signal: gen.signal,
        release: () => {
          if (!held) return;
          held = false;
          if (--holders === 0 && timer) {
            clearInterval(timer);
            timer = null;
          }
        },
      };
    },
  };
}
