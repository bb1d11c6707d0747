/**
 * One process of `npm run bench:warehouse` (bench/warehouse.mjs runs one per size and backend,
 * so each peak RSS is its own). Modes:
 *
 * - `dashboard --backend duckdb|memory|clickhouse --data <dir>`: attach the collection dashboard's
 *   datasets from the files, then the cold dashboard (every widget query at once, as the page
 *   sends them; no result cache below the handler) and cross-filter clicks (the same queries with
 *   a region / product clause, each state new). Widgets whose metric the backend has not compiled
 *   answer `unsupported` and are counted, not timed.
 * - `viewers --data <dir>`: the hardened handler over DuckDB on a free 127.0.0.1 port; simulated
 *   viewers (each opens the dashboard, then clicks a filter every 30 s) for `--seconds`, and
 *   `--distinct` clients sending uncached queries; latency from the client side.
 * - `fault`: a 2-shard ClickHouse cluster behind the handler; one shard stopped mid-run and
 *   started again.
 *
 * Prints `@@FIGURE {json}` lines (bench/lib/stats.ts) and `INFO` lines.
 */
import http from 'node:http';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { dashboardRequests } from '../lib/collection.js';
import type { WidgetRequest } from '../lib/collection.js';
import { emit, median, now, quantile, skipFigure, valueFigure } from '../lib/stats.js';
import type { Backend } from '../../src/server/backend.js';
import { duckdbBackend } from '../../src/server/duckdb.js';
import { memoryBackend } from '../../src/server/memory.js';
import { clickhouseBackend } from '../../src/server/clickhouse.js';
import { createHandler } from '../../src/server.js';
import { csvToParquet, writeSample } from '../../src/server/generate.js';
import type { Policy } from '../../src/server/policy.js';
import type { FilterClause } from '../../src/engine/types.js';
import { startCluster } from '../../test/unit/server/sql/clickhouse-cluster.js';

const args = new Map<string, string>();
const argv = process.argv.slice(2);
const mode = argv[0] ?? 'dashboard';
for (let i = 1; i < argv.length; i += 2) args.set(argv[i]!.replace(/^--/, ''), argv[i + 1] ?? '');
const DATA = args.get('data') ?? '';
const TAG = args.get('tag') ?? '';
const REPS = Number(args.get('reps') ?? 5);
const DATASETS = ['customers', 'loans', 'loan_months', 'collection_actions'];
const info = (s: string): void => console.log(`INFO ${s}`);
const rssMiB = (): number => process.resourceUsage().maxRSS / 1024;
const load1 = (): string => loadavg()[0]!.toFixed(1);

async function attachAll(b: Backend, ext: string): Promise<number> {
  const t0 = now();
  for (const name of DATASETS) {
    const t = now();
    const r = await b.attach(name, { path: join(DATA, `${name}.${ext}`) });
    // The DuckDB backend says whether it typed the file in SQL or fell back to JavaScript.
    const by = (b as { attachedBy?: Map<string, { by: string; reason?: string }> }).attachedBy?.get(name);
    info(
      `${TAG}: attached ${name} ${r.rowsKept} rows in ${((now() - t) / 1000).toFixed(1)} s` +
        (by ? ` (by ${by.by}${by.reason ? `: ${by.reason}` : ''})` : '') +
        `; load ${load1()}`,
    );
  }
  return now() - t0;
}

/** Run a dashboard's queries at once; ms and how many answered / were unsupported / failed. */
async function dashboard(
  b: Backend,
  reqs: WidgetRequest[],
): Promise<{ ms: number; ok: number; unsupported: string[]; unsupportedAt: number[]; failed: string[] }> {
  const t0 = now();
  const out = await Promise.allSettled(reqs.map(({ widget: _w, ...r }) => b.query(r)));
  const ms = now() - t0;
  const unsupported: string[] = [];
  const unsupportedAt: number[] = [];
  const failed: string[] = [];
  let ok = 0;
  out.forEach((o, i) => {
    if (o.status === 'fulfilled') ok++;
    else if ((o.reason as { code?: string }).code === 'unsupported') {
      unsupported.push(reqs[i]!.metric);
      unsupportedAt.push(i);
    } else failed.push(`${reqs[i]!.metric}: ${(o.reason as { code?: string }).code ?? String(o.reason)}`);
  });
  return { ms, ok, unsupported, unsupportedAt, failed };
}

/** Cross-filter states, never repeated. */
function clickStates(): FilterClause[][] {
  const regions = ['华东', '华南', '华北', '西南', '华中', '西北', '东北'];
  const products = ['消费贷', '经营贷', '信用卡分期', '房贷'];
  const s: FilterClause[][] = [];
  for (const r of regions) s.push([{ field: 'region', op: 'in', value: [r] }]);
  for (const p of products) s.push([{ field: 'product', op: 'in', value: [p] }]);
  return s;
}

async function dashboardMode(): Promise<void> {
  const kind = args.get('backend') ?? 'duckdb';
  let backend: Backend;
  let cluster: Awaited<ReturnType<typeof startCluster>> | null = null;
  if (kind === 'memory') backend = memoryBackend();
  else if (kind === 'duckdb')
    backend = await duckdbBackend({
      memoryLimit: args.get('memory') ?? '4GB',
      ...(args.get('temp') ? { tempDirectory: args.get('temp')! } : {}),
    });
  else {
    cluster = await startCluster(2, 'finboard');
    backend = await clickhouseBackend({
      url: cluster.urls[0]!,
      cluster: cluster.name,
      shardUrls: cluster.urls,
    });
  }
  try {
    const attachMs = await attachAll(backend, kind === 'memory' || kind === 'clickhouse' ? 'csv' : 'parquet');
    emit(
      valueFigure(
        `warehouse-attach-${kind}@${TAG}`,
        [attachMs / 1000],
        's',
        undefined,
        `collection datasets, from files; load ${load1()}`,
      ),
    );
    emit(
      valueFigure(
        `warehouse-attach-rss-${kind}@${TAG}`,
        [rssMiB()],
        'MiB',
        undefined,
        'peak RSS after attach',
      ),
    );
    // The dashboard's queries by index; `--keep` limits them to those DuckDB answers (the same
    // set goes to memory and ClickHouse for the ratios).
    const keep = args.get('keep')?.split(',').map(Number);
    const pick = (f: FilterClause[]): WidgetRequest[] =>
      dashboardRequests(undefined, f).filter((_, i) => !keep || keep.includes(i));
    const reqs = pick([]);
    const first = await dashboard(backend, reqs);
    info(
      `${TAG} ${kind}: cold dashboard ${reqs.length} queries: ${first.ok} answered, ${first.unsupported.length} unsupported (${[...new Set(first.unsupported)].join(', ')}), ${first.failed.length} failed ${first.failed.slice(0, 3).join('; ')}`,
    );
    if (!keep) {
      const answered = reqs.map((_, i) => i).filter((i) => !first.unsupportedAt.includes(i));
      console.log(`@@META ${JSON.stringify({ keep: answered })}`);
    }
    emit(
      valueFigure(
        `warehouse-cold-dashboard-${kind}@${TAG}`,
        [first.ms],
        'ms',
        undefined,
        `${first.ok} widget queries at once, first time after attach; load ${load1()}`,
      ),
    );
    const again: number[] = [];
    for (let i = 1; i < REPS; i++) again.push((await dashboard(backend, reqs)).ms);
    if (again.length)
      emit(
        valueFigure(
          `warehouse-repeat-dashboard-${kind}@${TAG}`,
          again,
          'ms',
          undefined,
          'the same queries again (engine caches allowed)',
        ),
      );
    const clicks: number[] = [];
    let failed = 0;
    for (const f of clickStates().slice(0, Math.max(3, REPS))) {
      const r = await dashboard(backend, pick(f));
      clicks.push(r.ms);
      failed += r.failed.length;
    }
    emit(
      valueFigure(
        `warehouse-click-${kind}@${TAG}`,
        clicks,
        'ms',
        TAG === '10M' && kind === 'duckdb' ? '<= 300' : undefined,
        `one cross-filter click (every widget re-queried, a new state each time); ${failed} failed`,
      ),
    );
    // Each widget query alone, in a filter state no earlier run used (so no engine cache answers):
    // the per-query breakdown behind the dashboard figures (same requests on every backend).
    const alone = pick(clickStates()[clickStates().length - 1]!);
    const keepIdx = dashboardRequests().map((_, i) => i).filter((i) => !keep || keep.includes(i));
    for (const [j, { widget: _w, ...r }] of alone.entries()) {
      const t = now();
      try {
        await backend.query(r);
      } catch (e) {
        if ((e as { code?: string }).code === 'unsupported') continue;
        info(`${TAG} ${kind}: query #${keepIdx[j]} ${r.metric} failed: ${(e as Error).message}`);
        continue;
      }
      emit(
        valueFigure(
          `warehouse-query-${keepIdx[j]}-${r.metric}-${kind}@${TAG}`,
          [now() - t],
          'ms',
          undefined,
          `widget query #${keepIdx[j]} alone (${JSON.stringify(r.params ?? {})}), one filter clause`,
        ),
      );
    }
    emit(
      valueFigure(
        `warehouse-rss-${kind}@${TAG}`,
        [rssMiB()],
        'MiB',
        TAG === '100M' ? '<= 8192' : undefined,
        'peak RSS of the process',
      ),
    );
  } finally {
    await backend.close();
    await cluster?.stop();
  }
}

// --- viewers --------------------------------------------------------------------------------------

const VIEWER_POLICY: Policy = {
  // Every viewer is its own principal (`Bearer v123`); all share the `viewer` role's scope.
  authenticate: (req) => {
    const m = /^Bearer (v\d+)$/.exec(String(req.headers.authorization ?? ''));
    return m ? { id: m[1]!, roles: ['viewer'] } : null;
  },
  roles: { viewer: {} },
};

function poster(url: string, agent: http.Agent) {
  return (token: string, call: object): Promise<{ status: number; ms: number; code?: string }> =>
    new Promise((resolve) => {
      const body = JSON.stringify({ id: 1, call });
      const t0 = now();
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => {
            let code: string | undefined;
            if (res.statusCode !== 200)
              code = (JSON.parse(text || '{}') as { error?: { code?: string } }).error?.code;
            resolve({ status: res.statusCode ?? 0, ms: now() - t0, ...(code ? { code } : {}) });
          });
        },
      );
      req.on('error', (e) => resolve({ status: 0, ms: now() - t0, code: e.message }));
      req.end(body);
    });
}

async function viewersMode(): Promise<void> {
  const viewers = Number(args.get('viewers') ?? 10_000);
  const seconds = Number(args.get('seconds') ?? 60);
  const distinctClients = Number(args.get('distinct') ?? 50);
  const backend = await duckdbBackend({ memoryLimit: args.get('memory') ?? '4GB' });
  await attachAll(backend, 'parquet');
  const handler = createHandler({
    backend,
    policy: VIEWER_POLICY,
    limits: { cacheEntries: 5000, cacheTtlMs: 600_000, concurrent: 64, timeoutMs: 60_000 },
  });
  const srv = http.createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const post = poster(url, agent);
  const keep = args.get('keep')?.split(',').map(Number);
  const reqsFor = (f: FilterClause[]): WidgetRequest[] =>
    dashboardRequests(undefined, f).filter((_, i) => !keep || keep.includes(i));
  const states = clickStates();
  const lat: number[] = [];
  const errors = new Map<string, number>();
  let sent = 0;
  const open = async (viewer: number, f: FilterClause[]): Promise<void> => {
    await Promise.all(
      reqsFor(f).map(async ({ widget: _w, ...req }) => {
        sent++;
        const r = await post(`v${viewer}`, { op: 'query', req });
        lat.push(r.ms);
        if (r.status !== 200)
          errors.set(r.code ?? String(r.status), (errors.get(r.code ?? String(r.status)) ?? 0) + 1);
      }),
    );
  };
  const t0 = now();
  const end = t0 + seconds * 1000;
  const work: Promise<void>[] = [];
  // Viewer i opens at i/viewers of the first 30 s, then clicks a filter every 30 s until the end.
  for (let i = 0; i < viewers; i++) {
    const at = (i / viewers) * 30_000;
    work.push(
      (async () => {
        await new Promise((r) => setTimeout(r, at));
        await open(i, []);
        for (let k = 1; t0 + at + k * 30_000 < end; k++) {
          await new Promise((r) => setTimeout(r, Math.max(0, t0 + at + k * 30_000 - now())));
          await open(i, states[(i + k) % states.length]!);
        }
      })(),
    );
  }
  await Promise.all(work);
  const wall = (now() - t0) / 1000;
  emit(
    valueFigure(
      `viewers-p50@${TAG}`,
      [quantile(lat, 0.5)],
      'ms',
      undefined,
      `${viewers} viewers, ${sent} requests in ${wall.toFixed(0)} s; load ${load1()}`,
    ),
  );
  emit(valueFigure(`viewers-p95@${TAG}`, [quantile(lat, 0.95)], 'ms'));
  emit(
    valueFigure(
      `viewers-errors@${TAG}`,
      [[...errors.values()].reduce((a, b) => a + b, 0)],
      'requests',
      '<= 0',
      JSON.stringify(Object.fromEntries(errors)),
    ),
  );
  emit(
    valueFigure(
      `viewers-rss@${TAG}`,
      [rssMiB()],
      'MiB',
      undefined,
      'peak RSS, server and simulated viewers in one process',
    ),
  );
  // Distinct uncached queries: each client its own overdue_rate k / lag / filter state.
  const dl: number[] = [];
  let dErr = 0;
  const td = now();
  await Promise.all(
    Array.from({ length: distinctClients }, async (_, c) => {
      const req = {
        metric: 'overdue_rate',
        params: { k: 1 + (c % 3), lag: c % 4 },
        filters: [{ field: 'dpd', op: 'range', value: [c, 10_000 + c] }],
      };
      const r = await post(`v${c}`, { op: 'query', req });
      dl.push(r.ms);
      if (r.status !== 200) dErr++;
    }),
  );
  emit(
    valueFigure(
      `distinct-clients-p50@${TAG}`,
      [median(dl)],
      'ms',
      undefined,
      `${distinctClients} clients at once, each an uncached query; all done in ${(now() - td).toFixed(0)} ms; ${dErr} errors`,
    ),
  );
  emit(valueFigure(`distinct-clients-p95@${TAG}`, [quantile(dl, 0.95)], 'ms'));
  agent.destroy();
  srv.close();
  await handler.close();
}

// --- ClickHouse shard fault -----------------------------------------------------------------------

async function faultMode(): Promise<void> {
  const cluster = await startCluster(2, 'finboard');
  const backend = await clickhouseBackend({
    url: cluster.urls[0]!,
    cluster: cluster.name,
    shardUrls: cluster.urls,
    requestTimeoutMs: 5000,
  });
  try {
    await attachAll(backend, 'csv');
    const handler = createHandler({ backend, limits: { concurrent: 64 } });
    const srv = http.createServer(handler);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/`;
    const agent = new http.Agent({ keepAlive: true });
    const post = poster(url, agent);
    const q = (k: number) => ({ op: 'query', req: { metric: 'overdue_rate', params: { k } } });
    const before = await post('x', q(1)); // cached from here on
    await cluster.stopShard(1);
    const down = await post('x', q(2)); // uncached: reads both shards
    const cached = await post('x', q(1));
    const datasets = await post('x', { op: 'datasets' });
    const t = now();
    await cluster.startShard(1);
    let back = await post('x', q(3));
    while (back.status !== 200 && now() - t < 30_000) back = await post('x', q(3));
    info(
      `fault: before ${before.status}; shard down: uncached ${down.status} ${down.code ?? ''}, cached ${cached.status}, datasets ${datasets.status}; recovered ${back.status} ${(now() - t).toFixed(0)} ms after restart`,
    );
    emit(
      valueFigure(
        'fault-shard-down-typed',
        [down.code === 'backend_unavailable' ? 1 : 0],
        'yes=1',
        '>= 1',
        `status ${down.status}`,
      ),
    );
    emit(
      valueFigure(
        'fault-others-answered',
        [cached.status === 200 && datasets.status === 200 ? 1 : 0],
        'yes=1',
        '>= 1',
      ),
    );
    emit(
      valueFigure(
        'fault-recovery',
        [(now() - t) / 1000],
        's',
        undefined,
        `answer after restart: ${back.status}`,
      ),
    );
    agent.destroy();
    srv.close();
    await handler.close();
  } finally {
    await cluster.stop();
  }
}

async function generateMode(): Promise<void> {
  const t0 = now();
  if (args.get('from')) {
    // Parquet from the CSV files of the same size (same rows), converted by DuckDB.
    await csvToParquet(args.get('from')!, args.get('out')!, [
      'customers',
      'loans',
      'loan_months',
      'collection_actions',
      'transactions',
      'funnel_events',
      'campaign_spend',
    ]);
    emit(
      valueFigure(
        `convert-parquet@${TAG}`,
        [(now() - t0) / 1000],
        's',
        undefined,
        'CSV → Parquet by DuckDB COPY',
      ),
    );
    emit(valueFigure(`convert-rss@${TAG}`, [rssMiB()], 'MiB'));
    return;
  }
  const counts = await writeSample(args.get('out')!, {
    loanMonths: Number(args.get('rows')),
    format: args.get('format') === 'csv' ? 'csv' : 'parquet',
  });
  const s = (now() - t0) / 1000;
  info(`generated ${JSON.stringify(counts)} as ${args.get('format')} in ${s.toFixed(0)} s`);
  emit(
    valueFigure(`generate-${args.get('format')}@${TAG}`, [s], 's', undefined, 'all seven datasets, in parts'),
  );
  emit(
    valueFigure(
      `generate-rss-${args.get('format')}@${TAG}`,
      [rssMiB()],
      'MiB',
      undefined,
      'peak RSS of the generator',
    ),
  );
}

try {
  if (mode === 'generate') await generateMode();
  else if (mode === 'viewers') await viewersMode();
  else if (mode === 'fault') await faultMode();
  else await dashboardMode();
} catch (e) {
  emit(skipFigure(`warehouse-${mode}@${TAG}`, (e as Error).message.slice(0, 200)));
  process.exitCode = 1;
}
