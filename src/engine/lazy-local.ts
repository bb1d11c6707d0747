import type { DataQualityReport } from '../data/ingest.js';
import type { SampleOptions } from '../data/sample.js';
import type { DatasetInfo, Engine, IngestInput, LoadOptions, PrepareInfo, PrepareOptions, QueryOptions } from './engine-types.js';
import { FinError } from './errors.js';
import type { LocalEngine } from './local.js';
import type { MetricResult, QueryRequest } from './types.js';

/**
 * The in-page engine, loaded on first use. `createEngine()` returns this so that a page whose
 * engine runs in a worker or on a server never downloads the in-page engine (ingestion, metrics,
 * cubes: ~80 kB gzip): bundlers split `import('./local.js')` into a chunk fetched only here.
 */
export class LazyLocalEngine implements Engine {
  readonly placement = 'thread' as const;
  private engine: Promise<LocalEngine> | null = null;
  private disposed = false;

  constructor(private readonly defaults: LoadOptions = {}) {}

  /** The underlying LocalEngine (imported and constructed on the first call). */
  local(): Promise<LocalEngine> {
    if (this.disposed) return Promise.reject(new FinError('aborted', 'The engine was disposed'));
    this.engine ??= import('./local.js').then(({ LocalEngine }) => new LocalEngine(this.defaults));
    return this.engine;
  }

  async load(name: string, input: IngestInput, opts?: LoadOptions): Promise<DataQualityReport> {
    return (await this.local()).load(name, input, opts);
  }

  async query(req: QueryRequest, opts?: QueryOptions): Promise<MetricResult> {
    return (await this.local()).query(req, opts);
  }

  async prepare(opts: PrepareOptions): Promise<PrepareInfo> {
    return (await this.local()).prepare(opts);
  }

  async datasetsInfo(): Promise<DatasetInfo[]> {
    return (await this.local()).datasetsInfo();
  }

  async unload(name: string): Promise<void> {
    return (await this.local()).unload(name);
  }

  /** Load the seeded sample (the generator is imported on first use too). */
  async loadSample(opts?: SampleOptions): Promise<Record<string, DataQualityReport>> {
    const local = await this.local();
    const { loadSampleInto } = await import('./dispatch.js');
    return loadSampleInto(local, opts);
  }

  dispose(): void {
    this.disposed = true;
    const pending = this.engine;
    this.engine = null;
    void pending?.then((e) => e.dispose(), () => undefined);
  }
}
