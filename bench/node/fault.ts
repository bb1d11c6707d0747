/**
 * `fault` mode of `npm run bench:warehouse`: a 2-shard ClickHouse cluster behind the hardened
 * handler, under load from `--clients` callers for `--seconds`. Each caller alternates a cached
 * dashboard query (answered once before the run) and a query never sent before (uncached: it
 * reads both shards). Shard 2 (`--stop-shard 1`: shard 1, the server queries go to) is stopped at
 * 1/4 of the run and started again at 3/5; with `--freeze 1` it is frozen instead (SIGSTOP: its
 * kernel still accepts connections, nothing answers) and resumed (SIGCONT), and the backend's
 * deadline defaults to 15 s so the cluster's own shard-connection bound is what answers
 * (`--backend-timeout <ms>` sets it; 5 000 ms by default when stopping).
 *
 * Figures: while the shard is down every uncached call answers a typed error (`backend_unavailable`,
 * or `timeout` when the backend's deadline came first) within the bound, every cached call answers
 * 200; no other code ever; the time from the restart to the first uncached 200; no error after
 * that (each backend query started after the restart that failed is printed with its cause and
 * timing).
 */
import http from 'node:http';
import { emit, now, quantile, valueFigure } from '../lib/stats.js';
import { clickhouseBackend } from '../../src/server/clickhouse.js';
import { createHandler } from '../../src/server.js';
import { startCluster } from '../../test/unit/server/sql/clickhouse-cluster.js';
import { args, attachAll, info, load1, poster } from './common.js';

interface Call {
  sent: number;
  done: number;
  cached: boolean;
  status: number;
  code?: string;
}

export async function faultMode(): Promise<void> {
  const clients = Number(args.get('clients') ?? 20);
  const freeze = (args.get('freeze') ?? '0') !== '0';
  // Frozen, each uncached call waits out the bound (~6 s), so the run is longer by default.
  const seconds = Number(args.get('seconds') ?? (freeze ? 60 : 24));
  const timeoutMs = Number(args.get('backend-timeout') ?? (freeze ? 15_000 : 5_000));
  const tag = freeze ? 'freeze' : 'fault';
  const typed = new Set(['backend_unavailable', 'timeout']);
  // Which shard stops: 2 (default; queries keep reaching shard 1, whose Distributed table reads
  // shard 2) or 1 (the server queries are sent to: the backend's kept-alive sockets die with it).
  const shard = Number(args.get('stop-shard') ?? 2);
  if (shard !== 1 && shard !== 2) throw new Error('--stop-shard is 1 or 2');
  const cluster = await startCluster(2, 'finboard');
  const backend = await clickhouseBackend({
    url: cluster.urls[0]!,
    cluster: cluster.name,
    shardUrls: cluster.urls,
    requestTimeoutMs: timeoutMs,
  });
  try {
    await attachAll(backend, 'csv');
    // Why a backend query failed (the handler answers clients the code and a safe message only).
    const failures: Array<{ sent: number; done: number; cause: string }> = [];
    const traced: typeof backend = {
      ...backend,
      async query(req, qo) {
        const sent = now();
        try {
          return await backend.query(req, qo);
        } catch (e) {
          const cause = (e as { details?: { cause?: unknown } }).details?.cause ?? e;
          failures.push({ sent, done: now(), cause: String(cause).replace(/\s+/g, ' ') });
          throw e;
        }
      },
    };
    const handler = createHandler({ backend: traced, limits: { concurrent: clients * 2 } });
    const srv = http.createServer(handler);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
    const post = poster(url, agent);
    const cachedReqs = [1, 2, 3].map((k) => ({
      op: 'query',
      req: { metric: 'overdue_rate', params: { k } },
    }));
    for (const r of cachedReqs) {
      const first = await post('x', r);
      if (first.status !== 200) throw new Error(`warm-up answered ${first.status} ${first.code ?? ''}`);
    }
    const calls: Call[] = [];
    let seq = 0;
    const t0 = now();
    const end = t0 + seconds * 1000;
    const loop = async (c: number): Promise<void> => {
      for (let i = 0; now() < end; i++) {
        const cached = i % 2 === 0;
        const n = seq++;
        const call = cached
          ? cachedReqs[(c + i) % cachedReqs.length]!
          : {
              op: 'query',
              req: {
                metric: 'overdue_rate',
                params: { k: 1 },
                filters: [{ field: 'dpd', op: 'range', value: [n, 100_000 + n] }],
              },
            };
        const sent = now();
        const r = await post('x', call);
        calls.push({ sent, done: now(), cached, status: r.status, ...(r.code ? { code: r.code } : {}) });
      }
    };
    const schedule = (async () => {
      await new Promise((r) => setTimeout(r, (seconds * 1000) / 4));
      const stopAt = now();
      if (freeze) cluster.freezeShard(shard - 1);
      else await cluster.stopShard(shard - 1);
      const downAt = now();
      info(
        `${tag}: shard ${shard} ${freeze ? 'frozen' : 'stopped'} (${(downAt - stopAt).toFixed(0)} ms) at ${((downAt - t0) / 1000).toFixed(1)} s`,
      );
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + (seconds * 3000) / 5 - now())));
      const startAt = now();
      if (freeze) cluster.thawShard(shard - 1);
      else await cluster.startShard(shard - 1);
      const upAt = now();
      info(
        `${tag}: shard ${shard} ${freeze ? 'resumed' : 'started again'} at ${((upAt - t0) / 1000).toFixed(1)} s (${(upAt - startAt).toFixed(0)} ms)`,
      );
      return { stopAt, downAt, startAt, upAt };
    })();
    await Promise.all([...Array.from({ length: clients }, (_, c) => loop(c)), schedule]);
    const { stopAt, downAt, startAt, upAt } = await schedule;
    agent.destroy();
    srv.close();
    await handler.close();

    // Every backend query started after the restart that failed: its cause, when it ran.
    const failedAfter = failures.filter((f) => f.sent > upAt);
    for (const f of failedAfter.slice(0, 10))
      info(
        `${tag}: backend query started ${((f.sent - upAt) / 1000).toFixed(3)} s after the restart failed at ${((f.done - upAt) / 1000).toFixed(3)} s: ${f.cause.slice(0, 300)}`,
      );
    const before = calls.filter((x) => x.done < stopAt);
    const during = calls.filter((x) => x.sent > downAt && x.done < startAt);
    const after = calls.filter((x) => x.sent > upAt);
    const firstBack = after.filter((x) => !x.cached && x.status === 200).sort((a, b) => a.done - b.done)[0];
    const recovered = firstBack ? after.filter((x) => x.sent > firstBack.done) : [];
    const otherCodes = calls.filter((x) => x.status !== 200 && !typed.has(x.code ?? ''));
    const dUncached = during.filter((x) => !x.cached);
    const dCached = during.filter((x) => x.cached);
    const codes: Record<string, number> = {};
    for (const x of dUncached)
      codes[x.code ?? String(x.status)] = (codes[x.code ?? String(x.status)] ?? 0) + 1;
    const waits = dUncached.map((x) => x.done - x.sent);
    info(
      `${tag}: uncached calls while down answered in min ${Math.min(...waits).toFixed(0)} / p50 ${quantile(waits, 0.5).toFixed(0)} / max ${Math.max(...waits).toFixed(0)} ms`,
    );
    info(
      `${tag}: ${calls.length} calls by ${clients} clients in ${seconds} s; before ${before.length} (${before.filter((x) => x.status !== 200).length} not 200); while down ${dUncached.length} uncached ${JSON.stringify(codes)} / ${dCached.length} cached; after ${after.length}; backend queries started after the restart that failed: ${failedAfter.length}; codes other than 200 / backend_unavailable / timeout: ${JSON.stringify(otherCodes.slice(0, 5))}`,
    );
    emit(
      valueFigure(
        `${tag}-down-uncached-typed`,
        [dUncached.length ? dUncached.filter((x) => typed.has(x.code ?? '')).length / dUncached.length : 0],
        'share',
        '>= 1',
        `${dUncached.length} uncached calls while the shard was down; answered in p95 ${quantile(
          dUncached.map((x) => x.done - x.sent),
          0.95,
        ).toFixed(0)} ms (backend request timeout ${timeoutMs} ms); load ${load1()}`,
      ),
    );
    emit(
      valueFigure(
        `${tag}-down-cached-answered`,
        [dCached.length ? dCached.filter((x) => x.status === 200).length / dCached.length : 0],
        'share',
        '>= 1',
        `${dCached.length} cached calls while the shard was down`,
      ),
    );
    emit(
      valueFigure(
        `${tag}-other-codes`,
        [otherCodes.length],
        'calls',
        '<= 0',
        'any code but 200 / backend_unavailable / timeout',
      ),
    );
    emit(
      valueFigure(
        `${tag}-recovery`,
        [firstBack ? (firstBack.done - upAt) / 1000 : NaN],
        's',
        undefined,
        'from the shard answering again to the first uncached 200',
      ),
    );
    emit(
      valueFigure(
        `${tag}-errors-after-recovery`,
        [recovered.filter((x) => x.status !== 200).length + before.filter((x) => x.status !== 200).length],
        'calls',
        '<= 0',
        `${recovered.length} calls after recovery, ${before.length} before the fault`,
      ),
    );
  } finally {
    await cluster.stop();
  }
}
