/**
 * One process of `npm run bench:warehouse` (bench/warehouse.mjs runs one per size and backend,
 * so each peak RSS is its own). Modes:
 *
 * - `dashboard --backend duckdb|memory|clickhouse --data <dir>`: attach the collection dashboard's
 *   datasets from the files, then the cold dashboard (every widget query at once, as the page
 *   sends them; no result cache below the handler) and cross-filter clicks (the same queries with
 *   a region / product clause, each state new). Widgets whose metric the backend has not compiled
 *   answer `unsupported` and are counted, not timed.
 * - `viewers --data <dir>` (and its `viewers-client` process): simulated viewers and distinct-query
 *   clients against the hardened handler over DuckDB; see viewers.ts.
 * - `fault`: a 2-shard ClickHouse cluster behind the handler under load; one shard stopped mid-run
 *   and started again (fault.ts).
 *
 * Prints `@@FIGURE {json}` lines (bench/lib/stats.ts) and `INFO` lines.
 */
import { dashboardRequests } from '../lib/collection.js';
import type { WidgetRequest } from '../lib/collection.js';
import { emit, now, skipFigure, valueFigure } from '../lib/stats.js';
import type { Backend } from '../../src/server/backend.js';
import { duckdbBackend } from '../../src/server/duckdb.js';
import { querySlots } from '../../src/server/slots.js';
import { memoryBackend } from '../../src/server/memory.js';
import { clickhouseBackend } from '../../src/server/clickhouse.js';
import { csvToParquet, writeSample } from '../../src/server/generate.js';
import type { FilterClause } from '../../src/engine/types.js';
import { startCluster } from '../../test/unit/server/sql/clickhouse-cluster.js';
import { TAG, args, attachAll, clickStates, info, load1, mode, rssMiB } from './common.js';
import { viewersClientMode, viewersMode } from './viewers.js';
import { faultMode } from './fault.js';

const REPS = Number(args.get('reps') ?? 5);

/** Run a dashboard's queries at once; ms and how many answered / were unsupported / failed. */
async function dashboard(
  b: Backend,
  reqs: WidgetRequest[],
): Promise<{ ms: number; ok: number; unsupported: string[]; unsupportedAt: number[]; failed: string[] }> {
  const t0 = now();
  // `--cap N`: the backend's own bound on queries at once (slots.ts), applied in front of it.
  const cap = Number(args.get('cap') ?? 0);
  const slots = cap > 0 ? querySlots(cap) : null;
  const gate = async <T>(f: () => Promise<T>): Promise<T> => {
    const release = slots ? await slots.acquire() : () => {};
    try {
      return await f();
    } finally {
      release();
    }
  };
  const out = await Promise.allSettled(reqs.map(({ widget: _w, ...r }) => gate(() => b.query(r))));
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

async function dashboardMode(): Promise<void> {
  const kind = args.get('backend') ?? 'duckdb';
  let backend: Backend;
  let cluster: Awaited<ReturnType<typeof startCluster>> | null = null;
  if (kind === 'memory') backend = memoryBackend();
  else if (kind === 'duckdb')
    backend = await duckdbBackend({
      memoryLimit: args.get('memory') ?? '4GB',
      ...(args.get('temp') ? { tempDirectory: args.get('temp')! } : {}),
      // A database file: the first run ingests into it, later runs reopen it (attach keeps
      // unchanged files), so a 10M figure does not cost a 10M ingestion every run.
      ...(args.get('db') ? { path: args.get('db')! } : {}),
      // Prepared answers stay in memory: kept in the file, the next run's query-path clicks
      // (pinning a region or a product) would be look-ups of this run's cells.
      keepPrepared: false,
    });
  else {
    // The shards' receive/send timeout bounds a frozen shard (docs/server.md, "Shard fault"); it
    // also limits a shard's silence while it computes a block, so the 10M dashboard gets 10 s
    // (`--shard-timeout`), and the backend's own deadline 10 minutes (15 cold queries at once).
    cluster = await startCluster(2, 'finboard', 30_000, Number(args.get('shard-timeout') ?? 10));
    backend = await clickhouseBackend({
      url: cluster.urls[0]!,
      cluster: cluster.name,
      shardUrls: cluster.urls,
      requestTimeoutMs: 600_000,
    });
  }
  try {
    const { ms: attachMs, kept } = await attachAll(
      backend,
      kind === 'memory' || kind === 'clickhouse' ? 'csv' : 'parquet',
    );
    emit(
      valueFigure(
        `warehouse-${kept ? 'reopen' : 'attach'}-${kind}@${TAG}`,
        [attachMs / 1000],
        's',
        undefined,
        kept
          ? `collection datasets reopened from the database file ${args.get('db')}; load ${load1()}`
          : `collection datasets, from files; load ${load1()}`,
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
    const keepIdx = dashboardRequests()
      .map((_, i) => i)
      .filter((i) => !keep || keep.includes(i));
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
    // The dashboard prepared for its filter bar (`backend.prepare`, as the remote dashboard asks
    // after its first paint): every widget query × each region and each product answered ahead
    // of time; then the same clicks, now look-ups.
    if (backend.prepare && !args.has('no-prepare')) {
      const tp = now();
      const p = await backend.prepare({
        dimensions: ['region', 'product'],
        requests: reqs.map(({ widget: _w, ...r }) => r),
        maxDims: 1,
      });
      emit(
        valueFigure(
          `warehouse-prepare-${kind}@${TAG}`,
          [(now() - tp) / 1000],
          's',
          undefined,
          `${p.cells} cells (${reqs.length} widget queries × each region and product), ${p.skipped} skipped; region stage ${(((p.stages ?? [])[0]?.ms ?? 0) / 1000).toFixed(1)} s; load ${load1()}`,
        ),
      );
      const fast: number[] = [];
      let fastFailed = 0;
      for (const f of clickStates()) {
        const r = await dashboard(backend, pick(f));
        fast.push(r.ms);
        fastFailed += r.failed.length;
      }
      emit(
        valueFigure(
          `warehouse-prepared-click-${kind}@${TAG}`,
          fast,
          'ms',
          TAG === '10M' && kind === 'duckdb' ? '<= 300' : undefined,
          `one cross-filter click after prepare (every widget's answer a look-up); ${fastFailed} failed`,
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
  else if (mode === 'viewers-client') await viewersClientMode();
  else if (mode === 'fault') await faultMode();
  else await dashboardMode();
} catch (e) {
  const cause = (e as { details?: { cause?: unknown } }).details?.cause;
  emit(
    skipFigure(
      `warehouse-${mode}@${TAG}`,
      `${(e as Error).message}${cause ? ` (${String(cause)})` : ''}`.slice(0, 400),
    ),
  );
  process.exitCode = 1;
}
