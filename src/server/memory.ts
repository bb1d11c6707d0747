/**
 * `memoryBackend()`: today's in-process engine (`LocalEngine`) behind the backend interface,
 * computing exactly what the page, the worker and the previous handler computed.
 */
import type { IngestInput } from '../data/ingest.js';
import type { LoadOptions } from '../engine/engine-types.js';
import { FinError } from '../engine/errors.js';
import { LocalEngine } from '../engine/local.js';
import { metricPreload } from '../engine/metrics/index.js';
import type { IngestOptions } from '../data/ingest.js';
import type { QueryRequest } from '../engine/types.js';
import { attachFormat, distinctQuery, readAttached } from './attach.js';
import type { AttachSource, Backend, BackendQueryOptions } from './backend.js';

export interface MemoryBackendOptions extends IngestOptions {
  /** Serve an existing engine (e.g. one the host already loaded); default a new one. */
  engine?: LocalEngine;
}

function abortedError(): FinError {
  return new FinError('aborted', 'The query was cancelled');
}

/**
 * The in-memory backend. Metrics run synchronously over typed arrays on the server's thread:
 * a signal aborted before a query starts cancels it; a running computation finishes (its answer
 * is then discarded). Row-level clauses in `required` are enforced on every dataset a metric
 * reads (`MetricContext.required`).
 */
export function memoryBackend(opts: MemoryBackendOptions = {}): Backend & { readonly engine: LocalEngine } {
  const { engine: given, ...defaults } = opts;
  const engine = given ?? new LocalEngine(defaults);
  // Let the event loop run (timers, other sockets) before each synchronous computation.
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
  let version = 0;
  const changed = <T>(p: Promise<T>): Promise<T> => p.finally(() => version++);
  const run = async (req: QueryRequest, q: BackendQueryOptions = {}) => {
    if (q.signal?.aborted) throw abortedError();
    await turn();
    // Lazily loaded metrics (mining) fetch their code before the synchronous run.
    const pre = metricPreload(req.metric);
    if (pre) await pre();
    if (q.signal?.aborted) throw abortedError();
    return engine.querySync(req, q.required?.length ? { required: q.required } : {});
  };
  return {
    kind: 'memory',
    engine,
    version: () => version,
    load: (name: string, input: IngestInput, o?: LoadOptions) => changed(engine.load(name, input, o)),
    async attach(name: string, source: AttachSource, o: LoadOptions = {}) {
      const format = attachFormat(source);
      if (format === 'parquet') {
        throw new FinError(
          'bad_input',
          'The memory backend reads CSV, JSON and Arrow files; Parquet needs the DuckDB backend',
          { dataset: name },
        );
      }
      const input = await readAttached(source.path, format);
      return changed(
        engine.load(name, input, { ...o, format, ...(source.fields ? { fields: source.fields } : {}) }),
      );
    },
    query: (req, q) => run(req, q),
    distinct: (d, q) => run(distinctQuery(d), q),
    async prepare(p, q = {}) {
      if (q.signal?.aborted) throw abortedError();
      return engine.prepare(p);
    },
    datasets: () => engine.datasetsInfo(),
    unload: (name) => changed(engine.unload(name)),
    async close() {
      engine.dispose();
    },
  };
}
