import type { IngestOptions } from '../data/ingest.js';
import type { SampleOptions } from '../data/sample.js';
import { RemoteEngine, WorkerEngine } from './clients.js';
import type { WorkerLike } from './clients.js';
import { loadSampleInto } from './dispatch.js';
import type { Engine } from './engine-types.js';
import { FinError } from './errors.js';
import { LocalEngine } from './local.js';

export interface EngineOptions extends IngestOptions {
  /** Where metrics run. Default `thread`. */
  placement?: 'thread' | 'worker' | 'remote';
  /** For `worker`: a Worker instance, or the URL of the worker script (module worker). */
  worker?: WorkerLike | string | URL;
  /** For `remote`: the endpoint served by `createHandler`. */
  url?: string;
  /** For `remote`: extra request headers (auth). */
  headers?: Record<string, string>;
}

/** An engine that can also load the seeded sample wherever it runs. */
export type FinEngine = Engine & { loadSample(opts?: SampleOptions): Promise<Record<string, unknown>> };

/**
 * Create an engine. JSON in, JSON out, wherever it runs:
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
    let w: WorkerLike;
    if (worker && typeof worker === 'object' && 'postMessage' in worker) w = worker;
    else {
      const Ctor = (globalThis as unknown as { Worker?: new (u: string | URL, o: object) => WorkerLike }).Worker;
      if (!Ctor) throw new FinError('worker_failed', 'Web Workers are not available in this environment');
      w = new Ctor(worker ?? new URL('./worker.js', import.meta.url), { type: 'module' });
    }
    return new WorkerEngine(w);
  }
  const local = new LocalEngine(ingest) as LocalEngine & FinEngine;
  local.loadSample = (o?: SampleOptions) => loadSampleInto(local, o);
  return local;
}
