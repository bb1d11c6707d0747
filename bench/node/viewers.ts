/**
 * The viewers figures of `npm run bench:warehouse` (issue 14 §3 "Load and faults"), in two
 * processes so the figures are the server's:
 *
 * - `viewers --data <dir>` (this process): the hardened handler over DuckDB (or `--backend memory
 *   --sample <customers>` for a quick look at the handler alone) on a free 127.0.0.1 port. It
 *   samples its own RSS and event-loop delay, counts the calls by outcome from the audit
 *   callback (answered from the cache / joined to a query in flight / computed), and spawns:
 * - `viewers-client --url <url>`: the simulated viewers. Viewer i opens the collection dashboard at
 *   i/viewers of the first 30 s (every widget query at once), then clicks a filter every 30 s
 *   until `--seconds`. Each open or click has its own keep-alive connections, at most 6 (a
 *   browser's per-origin limit), closed after it (the server closes idle ones after 5 s anyway),
 *   so one viewer waiting for a cold query never holds up another's cached answers; requests in flight over all viewers are capped at `--sockets` (default 9000: the
 *   process's file limit is 20 000) and a request that had to wait for a slot is counted.
 *   Latency is from the moment a viewer sends to the last byte of the answer, so it includes
 *   waiting for a connection. Then `--distinct` clients each send
 *   `--distinct-each` queries that are all different (never cached). Prints `@@RESULT {json}`.
 */
import http from 'node:http';
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dashboardRequests } from '../lib/collection.js';
import { emit, now, quantile, valueFigure } from '../lib/stats.js';
import type { Backend } from '../../src/server/backend.js';
import { duckdbBackend } from '../../src/server/duckdb.js';
import { memoryBackend } from '../../src/server/memory.js';
import { createHandler } from '../../src/server.js';
import type { AuditEvent } from '../../src/server.js';
import type { IngestInput } from '../../src/data/ingest.js';
import { generateSample } from '../../src/data/sample.js';
import type { Policy } from '../../src/server/policy.js';
import type { FilterClause } from '../../src/engine/types.js';
import { DATASETS, TAG, args, attachAll, batchPoster, clickStates, info, load1, poster } from './common.js';
import type { Posted } from './common.js';

const VIEWER_POLICY: Policy = {
  // Every viewer is its own principal (`Bearer v123`); all share the `viewer` role's scope.
  authenticate: (req) => {
    const m = /^Bearer (v\d+)$/.exec(String(req.headers.authorization ?? ''));
    return m ? { id: m[1]!, roles: ['viewer'] } : null;
  },
  roles: { viewer: {} },
};

interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
const summary = (xs: number[]): Summary => ({
  n: xs.length,
  p50: quantile(xs, 0.5),
  p95: quantile(xs, 0.95),
  p99: quantile(xs, 0.99),
  max: xs.reduce((a, b) => Math.max(a, b), 0),
});

interface ClientResult {
  viewers: number;
  sent: number;
  wallS: number;
  open: Summary;
  click: Summary;
  all: Summary;
  errors: Record<string, number>;
  /** Answers `unsupported` (a widget whose metric the backend has not compiled): not timed. */
  unsupported: number;
  distinct: Summary & { errors: number; wallMs: number; clients: number };
  clientRssMiB: number;
  /** Requests that waited for a slot under the in-flight cap. */
  capped: number;
}

/** The simulated viewers and distinct clients (a process of their own). */
export async function viewersClientMode(): Promise<void> {
  const url = args.get('url')!;
  const viewers = Number(args.get('viewers') ?? 10_000);
  const seconds = Number(args.get('seconds') ?? 60);
  const distinctClients = Number(args.get('distinct') ?? 50);
  const distinctEach = Number(args.get('distinct-each') ?? 3);
  // Requests in flight over all viewers, capped below the file limit; waiting for a slot counts.
  const cap = Number(args.get('sockets') ?? 9000);
  let inFlight = 0;
  let capped = 0;
  const slots: Array<() => void> = [];
  /** A viewer's connections for one burst (an open or a click): at most 6, closed after it. */
  const burst = (): {
    post: ReturnType<typeof poster>;
    batch: ReturnType<typeof batchPoster>;
    close: () => void;
  } => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    const gz = { 'accept-encoding': 'gzip' };
    // Batches without gzip: the client finds each line's end in the bytes (no gunzip per batch).
    return { post: poster(url, agent, gz), batch: batchPoster(url, agent), close: () => agent.destroy() };
  };
  // The remote engine sends a dashboard's widget queries as one batch; `--batch 0` sends them one
  // request each (as before batches, or a client that cannot batch).
  const batched = args.get('batch') !== '0';
  const postAs = async (post: ReturnType<typeof poster>, viewer: number, call: object): Promise<Posted> => {
    const t0 = now();
    if (inFlight >= cap) {
      capped++;
      await new Promise<void>((r) => slots.push(r)); // the slot is handed over as it is
    } else inFlight++;
    try {
      const r = await post(`v${viewer}`, call);
      return { ...r, ms: now() - t0 };
    } finally {
      const next = slots.shift();
      if (next) next();
      else inFlight--;
    }
  };
  const keep = args.get('keep')?.split(',').map(Number);
  const reqsFor = (f: FilterClause[]) =>
    dashboardRequests(undefined, f)
      .filter((_, i) => !keep || keep.includes(i))
      .map(({ widget: _w, ...req }) => req);
  const states = clickStates();
  const lat = { open: [] as number[], click: [] as number[] };
  const errors = new Map<string, number>();
  let unsupported = 0;
  let sent = 0;
  const count = (r: Posted, into: number[]): void => {
    if (r.status === 200) into.push(r.ms);
    else if (r.code === 'unsupported') unsupported++;
    else errors.set(r.code ?? String(r.status), (errors.get(r.code ?? String(r.status)) ?? 0) + 1);
  };
  const open = async (viewer: number, f: FilterClause[], into: number[]): Promise<void> => {
    const b = burst();
    if (batched) {
      const calls = reqsFor(f).map((req) => ({ op: 'query', req }));
      sent += calls.length;
      const t0 = now();
      // One request in flight for the batch (the cap counts requests, as sockets).
      if (inFlight >= cap) {
        capped++;
        await new Promise<void>((r) => slots.push(r));
      } else inFlight++;
      const waited = now() - t0; // for a slot under the in-flight cap: part of each call's latency
      try {
        for (const r of await b.batch(`v${viewer}`, calls)) count({ ...r, ms: waited + r.ms }, into);
      } finally {
        const next = slots.shift();
        if (next) next();
        else inFlight--;
        b.close();
      }
      return;
    }
    await Promise.all(
      reqsFor(f).map(async (req) => {
        sent++;
        count(await postAs(b.post, viewer, { op: 'query', req }), into);
      }),
    );
    b.close();
  };
  const t0 = now();
  const end = t0 + seconds * 1000;
  const sleepUntil = (t: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, t - now())));
  const work: Promise<void>[] = [];
  for (let i = 0; i < viewers; i++) {
    const at = t0 + (i / viewers) * 30_000;
    work.push(
      (async () => {
        await sleepUntil(at);
        await open(i, [], lat.open);
        for (let k = 1; at + k * 30_000 < end; k++) {
          await sleepUntil(at + k * 30_000);
          await open(i, states[(i + k) % states.length]!, lat.click);
        }
      })(),
    );
  }
  await Promise.all(work);
  const wallS = (now() - t0) / 1000;
  // Distinct uncached queries: each client its own overdue_rate k / lag / dpd range, never repeated.
  const dl: number[] = [];
  let dErr = 0;
  const td = now();
  await Promise.all(
    Array.from({ length: distinctClients }, async (_, c) => {
      const b = burst();
      for (let j = 0; j < distinctEach; j++) {
        const n = c * distinctEach + j;
        const req = {
          metric: 'overdue_rate',
          params: { k: 1 + (n % 3), lag: n % 4 },
          filters: [{ field: 'dpd', op: 'range', value: [n, 100_000 + n] }],
        };
        const r = await postAs(b.post, c, { op: 'query', req });
        if (r.status === 200) dl.push(r.ms);
        else dErr++;
      }
      b.close();
    }),
  );
  const result: ClientResult = {
    viewers,
    sent,
    wallS,
    open: summary(lat.open),
    click: summary(lat.click),
    all: summary([...lat.open, ...lat.click]),
    errors: Object.fromEntries(errors),
    unsupported,
    distinct: { ...summary(dl), errors: dErr, wallMs: now() - td, clients: distinctClients },
    clientRssMiB: process.resourceUsage().maxRSS / 1024,
    capped,
  };
  console.log(`@@RESULT ${JSON.stringify(result)}`);
}

/** Run the client process; its INFO lines pass through, its result comes back. */
function runClient(url: string): Promise<ClientResult | null> {
  const pass = ['viewers', 'seconds', 'distinct', 'distinct-each', 'sockets', 'keep', 'batch'].flatMap((k) =>
    args.has(k) ? [`--${k}`, args.get(k)!] : [],
  );
  return new Promise((done) => {
    const p = spawn(process.execPath, [process.argv[1]!, 'viewers-client', '--url', url, ...pass], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    let result: ClientResult | null = null;
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const l = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (l.startsWith('@@RESULT ')) result = JSON.parse(l.slice(9)) as ClientResult;
        else if (l.trim()) console.log(l);
      }
    });
    p.on('close', () => done(result));
  });
}

/**
 * What an operator does after a restart, before viewers arrive (`--no-warm` skips it): open the
 * collection dashboard once through the handler (its answers enter the viewers' shared cache),
 * then `prepare` it for the filter bar (each region and each product: clicks become look-ups).
 */
async function warmUp(backend: Backend, url: string): Promise<void> {
  const t0 = now();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  const post = poster(url, agent);
  const reqs = dashboardRequests().map(({ widget: _w, ...r }) => r);
  const opened = await Promise.all(reqs.map((req) => post('v0', { op: 'query', req })));
  agent.destroy();
  const openS = (now() - t0) / 1000;
  const p = backend.prepare
    ? await backend.prepare({ dimensions: ['region', 'product'], requests: reqs, maxDims: 1 })
    : null;
  emit(
    valueFigure(
      `viewers-warm-up@${TAG}`,
      [(now() - t0) / 1000],
      's',
      undefined,
      `before the viewers: the dashboard opened once (${opened.filter((o) => o.status === 200).length}/${reqs.length} answered, ${openS.toFixed(1)} s), then prepared: ${p ? `${p.cells} cells, ${p.skipped} skipped` : 'the backend has no prepare'}; load ${load1()}`,
    ),
  );
}

/** The server side: backend, handler, HTTP server; spawns the client and prints the figures. */
export async function viewersMode(): Promise<void> {
  const kind = args.get('backend') ?? 'duckdb';
  const backend: Backend =
    kind === 'memory'
      ? memoryBackend()
      : await duckdbBackend({
          memoryLimit: args.get('memory') ?? '4GB',
          ...(args.get('db') ? { path: args.get('db')! } : {}),
        });
  if (args.has('sample')) {
    // A generated sample loaded in-process: a quick run of the handler without the data files.
    const s = generateSample({ customers: Number(args.get('sample')), seed: 7 });
    for (const name of DATASETS) await backend.load(name, s[name as keyof typeof s] as IngestInput);
  } else await attachAll(backend, 'parquet');
  const calls = { cached: 0, computed: 0, error: new Map<string, number>() };
  /** Durations of the calls that ran on the backend, and when the last one ended. */
  const computedMs: number[] = [];
  let lastComputed = 0;
  const handler = createHandler({
    backend,
    policy: VIEWER_POLICY,
    limits: { cacheEntries: 5000, cacheTtlMs: 600_000, concurrent: 64, timeoutMs: 120_000 },
    audit: (e: AuditEvent) => {
      if (e.outcome !== 'ok') calls.error.set(e.code!, (calls.error.get(e.code!) ?? 0) + 1);
      else if (e.cached) calls.cached++;
      else {
        calls.computed++;
        computedMs.push(e.ms);
        lastComputed = now();
      }
    },
  });
  const srv = http.createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/`;
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 500);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  if (!args.has('no-warm')) await warmUp(backend, url);
  const t0 = now();
  info(`viewers: server ready at ${url} (${kind}); load ${load1()}`);
  const r = await runClient(url);
  const cpu = process.cpuUsage(cpu0);
  const wall = (now() - t0) / 1000;
  loop.disable();
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  srv.close();
  await handler.close();
  if (!r) throw new Error('the viewers client gave no result');
  const MiB = 2 ** 20;
  const errs = Object.values(r.errors).reduce((a, b) => a + b, 0);
  info(
    `viewers: server calls ${calls.cached} answered from the cache or a shared query in flight, ${calls.computed} computed, errors ${JSON.stringify(Object.fromEntries(calls.error))}; computed calls took p50 ${quantile(computedMs, 0.5).toFixed(0)} ms, max ${Math.max(0, ...computedMs).toFixed(0)} ms, the last ended at ${((lastComputed - t0) / 1000).toFixed(0)} s; server CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s in ${wall.toFixed(0)} s; event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`,
  );
  const note = `${r.viewers} viewers, ${r.sent} requests in ${r.wallS.toFixed(0)} s (${(r.sent / r.wallS).toFixed(0)}/s; planned ${args.get('seconds') ?? 60} s); client in its own process, ${r.capped} requests waited for the in-flight cap; load ${load1()}`;
  emit(valueFigure(`viewers-p50@${TAG}`, [r.all.p50], 'ms', undefined, note));
  emit(valueFigure(`viewers-p95@${TAG}`, [r.all.p95], 'ms', undefined, `max ${r.all.max.toFixed(0)} ms`));
  emit(
    valueFigure(
      `viewers-open-p50@${TAG}`,
      [r.open.p50],
      'ms',
      undefined,
      `p95 ${r.open.p95.toFixed(0)} ms, ${r.open.n} answers`,
    ),
  );
  emit(
    valueFigure(
      `viewers-click-p50@${TAG}`,
      [r.click.p50],
      'ms',
      undefined,
      `p95 ${r.click.p95.toFixed(0)} ms, ${r.click.n} answers`,
    ),
  );
  emit(
    valueFigure(
      `viewers-errors@${TAG}`,
      [errs],
      'requests',
      '<= 0',
      `${JSON.stringify(r.errors)}; ${r.unsupported} answered unsupported (not compiled to SQL; not timed)`,
    ),
  );
  emit(
    valueFigure(
      `viewers-server-rss@${TAG}`,
      [rssPeak / MiB],
      'MiB',
      undefined,
      `server process peak; ${(rssStart / MiB).toFixed(0)} MiB when the run started (data attached); client ${r.clientRssMiB.toFixed(0)} MiB`,
    ),
  );
  emit(
    valueFigure(
      `distinct-clients-p50@${TAG}`,
      [r.distinct.p50],
      'ms',
      undefined,
      `${r.distinct.clients} clients at once, ${r.distinct.n + r.distinct.errors} uncached queries in ${r.distinct.wallMs.toFixed(0)} ms; ${r.distinct.errors} errors; load ${load1()}`,
    ),
  );
  emit(valueFigure(`distinct-clients-p95@${TAG}`, [r.distinct.p95], 'ms'));
  emit(valueFigure(`distinct-clients-errors@${TAG}`, [r.distinct.errors], 'requests', '<= 0'));
}
