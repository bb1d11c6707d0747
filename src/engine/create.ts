import type { IngestOptions } from '../data/ingest.js';
import type { SampleOptions } from '../data/sample.js';
import { RemoteEngine, WorkerEngine } from './clients.js';
import type { WorkerLike } from './clients.js';
import { startDefaultWorker, startWorkerAt } from './default-worker.js';
import type { Engine } from './engine-types.js';
import { FinError } from './errors.js';
import { LazyLocalEngine } from './lazy-local.js';

export interface EngineOptions extends IngestOptions {
  /** Where metrics run. Default `thread`. */
  placement?: 'thread' | 'worker' | 'remote';
  /**
   * For `worker`: a Worker instance, a function that creates one, or the URL of the worker script
   * (module worker). Default: the worker that ships with the package, started with
   * `new Worker(new URL('./worker-entry.js', import.meta.url), { type: 'module' })` so that every
   * bundler emits it (see docs/embedding.md).
   */
  worker?: WorkerLike | (() => WorkerLike) | string | URL;
  /** For `remote`: the endpoint served by `createHandler`. */
  url?: string;
  /** For `remote`: extra request headers (auth). */
  headers?: Record<string, string>;
}

/** An engine that can also load the seeded sample wherever it runs. */
export type FinEngine = Engine & { loadSample(opts?: SampleOptions): Promise<Record<string, unknown>> };

/**
 * Create an engine. JSON in, JSON out, wherever it runs. The in-page engine is loaded on first use,
 * so a page whose engine is a worker or a server never downloads it.
 *
 * @example
 * const engine = createEngine();
 * await engine.load('loans', rows, { fields: { loan_id: 'LoanNo' } });
 * const r = await engine.query({ metric: 'vintage', source: 'loan_months', params: { threshold: 30 } });
 */
export function createEngine(opts: EngineOptions = {}): FinEngine {
  const { placement = 'thread', worker, url, headers, ...ingest } = opts;
  if (placement === 'remote') {
    if (!url) throw new FinError('bad_params', "A remote engine needs a 'url'");
    return new RemoteEngine(url, headers);
  }
  if (placement === 'worker') {
    if (worker && typeof worker === 'object' && 'postMessage' in worker) return new WorkerEngine(worker);
    if (typeof worker === 'function') return new WorkerEngine(worker());
    const started = worker ? startWorkerAt(worker) : startDefaultWorker();
    return new WorkerEngine(started.worker, started.url);
  }
  return new LazyLocalEngine(ingest);
}
