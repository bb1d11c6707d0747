/**
 * Mining benchmarks (issue 15, "Speed"), bundled by bench/run.mjs into bench/.out/mining.mjs:
 * - `mining-kmeans-100kx6`: `cluster`'s k search (k = 2..10 on the seeded 5,000-point sample, with
 *   silhouette, inertia and Calinski–Harabasz, 10 restarts each) and the final fit on all 100k
 *   customers × 6 features, run in a worker thread; the figure is the round trip seen from the
 *   main thread.
 * - `kmeans/plain-lloyd`: the final fit (100k × 6 at the chosen k, 10 restarts) against a plain-loop
 *   k-means++ + Lloyd's (bench/lib/lloyd.ts), outputs compared.
 * - `mining-logit-100kx20`: logistic regression with intercept and L2 to a gradient norm < 1e-6.
 * - `mining-model-monitor-1M`: model_monitor's figures on 1M scored rows (24 months, 6 features).
 * The same file is the worker (node:worker_threads), told apart by `isMainThread`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { selectK } from '../../src/engine/metrics/cluster-stats.js';
import { kmeansBest } from '../../src/engine/metrics/kmeans.js';
import { fitLogistic } from '../../src/engine/metrics/logit.js';
import { monitorScored } from '../../src/engine/metrics/model-monitor.js';
import { plainKmeans } from '../lib/lloyd.js';
import { customerMatrix, logitDesign, scoredSample } from '../lib/mining-data.js';
import { alternate, emit, median, now, ratioFigure, valueFigure } from '../lib/stats.js';

const KS = [2, 3, 4, 5, 6, 7, 8, 9, 10];
const OPTS = { seed: 42, restarts: 10, maxIterations: 300, sampleSize: 5000, given: null };

interface Job {
  x: Float64Array;
  n: number;
  d: number;
}
interface Done {
  ms: number;
  chosen: number;
  table: Array<{ k: number; silhouette: number | null }>;
}

if (!isMainThread) {
  parentPort!.on('message', (job: Job) => {
    const t0 = now();
    const r = selectK(job.x, job.n, job.d, KS, OPTS);
    const done: Done = {
      ms: now() - t0,
      chosen: r.chosen,
      table: r.kTable.map((k) => ({ k: k.k, silhouette: k.silhouette })),
    };
    parentPort!.postMessage(done);
  });
} else {
  const args = new Map<string, string>();
  for (let i = 2; i < process.argv.length; i += 2)
    args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
  const REPS = Math.max(5, Number(args.get('reps') ?? 7));
  const ONLY = new Set((args.get('only') ?? 'kmeans,logit,monitor').split(','));
  const info = (m: string): void => console.log(`INFO ${m}`);
  const gc = (globalThis as { gc?: () => void }).gc;

  if (ONLY.has('kmeans')) {
    const n = 100000;
    const d = 6;
    const x = customerMatrix(n);
    const worker = new Worker(fileURLToPath(import.meta.url));
    const run = (): Promise<{ rt: number; done: Done; lag: number }> =>
      new Promise((resolve) => {
        const h = monitorEventLoopDelay({ resolution: 10 });
        h.enable();
        const t0 = now();
        worker.once('message', (done: Done) => {
          const rt = now() - t0;
          h.disable();
          resolve({ rt, done, lag: h.max / 1e6 });
        });
        worker.postMessage({ x, n, d } satisfies Job);
      });
    const first = await run(); // warm-up (JIT in the worker)
    const rts: number[] = [];
    const inside: number[] = [];
    const lags: number[] = [];
    for (let r = 0; r < REPS; r++) {
      gc?.();
      const s = await run();
      rts.push(s.rt);
      inside.push(s.done.ms);
      lags.push(s.lag);
    }
    await worker.terminate();
    const k = first.done.chosen;
    info(
      `mining-kmeans: chosen k = ${k}; silhouette per k ${first.done.table.map((t) => `${t.k}:${t.silhouette?.toFixed(4)}`).join(' ')}; in-worker median ${median(inside).toFixed(0)} ms; main-thread event-loop delay max ${Math.max(...lags).toFixed(1)} ms`,
    );
    emit(
      valueFigure(
        'mining-kmeans-100kx6',
        rts,
        'ms',
        '<= 2000',
        `worker round trip: k = 2..10 on a seeded 5,000 sample (silhouette, inertia, CH; 10 restarts each) + final fit on 100k × 6 at k = ${k}`,
      ),
    );
    // Final fit against a plain-loop k-means++ + Lloyd's, same seeds.
    const ours = kmeansBest(x, n, d, k, { seed: 42, restarts: 10, maxIterations: 300 });
    const plain = plainKmeans(x, n, d, k, 42, 10, 300);
    let diff = 0;
    for (let i = 0; i < n; i++) if (ours.labels[i] !== plain.labels[i]) diff++;
    const rel = Math.abs(ours.inertia - plain.inertia) / plain.inertia;
    info(
      `kmeans/plain-lloyd: ${rel < 1e-9 && diff === 0 ? 'outputs equal' : `OUTPUT MISMATCH: inertia rel. diff ${rel.toExponential(2)}, ${diff} labels differ`} (inertia ${ours.inertia.toFixed(3)}, ${ours.iterations} iterations in the winning restart)`,
    );
    const r = await alternate(
      REPS,
      () => kmeansBest(x, n, d, k, { seed: 42, restarts: 10, maxIterations: 300 }),
      () => plainKmeans(x, n, d, k, 42, 10, 300),
      { warmup: 1, between: () => gc?.() },
    );
    emit(
      ratioFigure(
        'kmeans/plain-lloyd',
        r.a,
        r.b,
        '<= 2',
        `100k × 6, k = ${k}, 10 restarts: ours ${median(r.a).toFixed(0)} ms vs plain loops ${median(r.b).toFixed(0)} ms`,
      ),
    );
  }

  if (ONLY.has('logit')) {
    const n = 100000;
    const p = 20;
    const { x, y } = logitDesign(n, p);
    let fit = fitLogistic(x, n, p, y, { lambda: 1 });
    const ms: number[] = [];
    for (let r = 0; r < REPS; r++) {
      gc?.();
      const t0 = now();
      fit = fitLogistic(x, n, p, y, { lambda: 1 });
      ms.push(now() - t0);
    }
    info(
      `mining-logit: ${fit.iterations} iterations, converged ${fit.converged}, gradient norm ${fit.gradNorm.toExponential(2)}, log-likelihood ${fit.logLik.toFixed(4)}`,
    );
    emit(
      valueFigure(
        'mining-logit-100kx20',
        ms,
        'ms',
        '<= 1000',
        'IRLS, intercept + L2 (λ = 1), to a gradient norm < 1e-6',
      ),
    );
  }

  if (ONLY.has('monitor')) {
    const n = 1000000;
    const t0 = now();
    const run = scoredSample(n);
    info(
      `mining-model-monitor: 1M scored rows built in ${(now() - t0).toFixed(0)} ms (${run.train.length} development, ${run.test.length} monitoring)`,
    );
    let out = monitorScored(run, { curvePoints: 101, includeBins: true });
    const ms: number[] = [];
    for (let r = 0; r < REPS; r++) {
      gc?.();
      const t1 = now();
      out = monitorScored(run, { curvePoints: 101, includeBins: true });
      ms.push(now() - t1);
    }
    const o = out.figures.overall as { auc: number; ks: number };
    info(
      `mining-model-monitor: ${out.data.length} months; monitoring AUC ${o.auc.toFixed(4)}, KS ${o.ks.toFixed(4)}, PSI ${String(out.figures.psi)}`,
    );
    emit(
      valueFigure(
        'mining-model-monitor-1M',
        ms,
        'ms',
        '<= 300',
        'AUC/Gini/KS, curves, bands, monthly trend with PSI, CSI and IV per feature on 1M scored rows (24 months, 6 features)',
      ),
    );
  }
  process.exit(0);
}
