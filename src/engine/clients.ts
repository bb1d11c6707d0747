import type { DataQualityReport, IngestInput } from '../data/ingest.js';
import type { SampleOptions } from '../data/sample.js';
import { FinError } from './errors.js';
import type { DatasetInfo, Engine, LoadOptions, QueryOptions, SessionInfo } from './engine-types.js';
import type { BatchEnvelope, BatchLine, CallEnvelope, EngineCall, ReplyEnvelope } from './protocol.js';
import type { PrepareInfo, PrepareOptions } from './cube.js';
import type { MetricResult, QueryRequest } from './types.js';

/** Shared client half: turns Engine calls into protocol calls over some transport. */
abstract class ProtocolEngine implements Engine {
  abstract readonly placement: 'worker' | 'remote';
  protected abstract send(call: EngineCall, signal?: AbortSignal): Promise<unknown>;

  load(name: string, input: IngestInput, opts: LoadOptions = {}): Promise<DataQualityReport> {
    // Only JSON crosses to a worker or server: functions (custom fetch, mask functions) and
    // signals stay behind; mask rules by name ('none' or the defaults) still apply there.
    const plain = JSON.parse(
      JSON.stringify(opts, (_k, v: unknown) => (typeof v === 'function' ? undefined : v)),
    ) as Record<string, unknown>;
    delete plain['signal'];
    return this.send({ op: 'load', name, input, opts: plain }) as Promise<DataQualityReport>;
  }
  /** Generate and load the seeded sample where the engine runs (no data crosses). */
  loadSample(opts: SampleOptions = {}): Promise<Record<string, DataQualityReport>> {
    return this.send({ op: 'loadSample', opts: opts as Record<string, unknown> }) as Promise<
      Record<string, DataQualityReport>
    >;
  }
  query(req: QueryRequest, opts: QueryOptions = {}): Promise<MetricResult> {
    return this.send({ op: 'query', req }, opts.signal) as Promise<MetricResult>;
  }
  /** Build the cross-filter cube where the engine runs (see LocalEngine.prepare). */
  prepare(opts: PrepareOptions): Promise<PrepareInfo> {
    return this.send({
      op: 'prepare',
      opts: opts as unknown as Record<string, unknown>,
    }) as Promise<PrepareInfo>;
  }
  datasetsInfo(): Promise<DatasetInfo[]> {
    return this.send({ op: 'datasets' }) as Promise<DatasetInfo[]>;
  }
  /** The caller as the server sees it: principal, watermark text, rights. */
  session(): Promise<SessionInfo> {
    return this.send({ op: 'session' }) as Promise<SessionInfo>;
  }
  async unload(name: string): Promise<void> {
    await this.send({ op: 'unload', name });
  }
  abstract dispose(): void;
}

function aborted(): FinError {
  return new FinError('aborted', 'The query was superseded or cancelled');
}

/** Minimal structural type of a Worker, so src/ stays free of DOM lib assumptions. */
export interface WorkerLike {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message' | 'error', fn: (ev: { data?: unknown; message?: string }) => void): void;
  terminate(): void;
}

/** Engine in a Web Worker: the page only sends JSON requests and receives JSON results. */
export class WorkerEngine extends ProtocolEngine {
  readonly placement = 'worker' as const;
  private readonly worker: WorkerLike;
  private seq = 0;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void }
  >();
  /** Set once the worker reported an error it cannot recover from (e.g. its script did not load). */
  private failed: FinError | null = null;

  /**
   * @param worker the worker running finboard's engine script
   * @param url where the script came from, named in errors (the worker itself does not expose it)
   */
  constructor(worker: WorkerLike, url?: string) {
    super();
    this.worker = worker;
    worker.addEventListener('message', (ev) => {
      const msg = ev.data as ReplyEnvelope;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(FinError.fromJSON(msg.error));
    });
    worker.addEventListener('error', (ev) => {
      const where = url ? ` (${url})` : '';
      // A script that fails to load or to evaluate fires a plain Event with no message.
      const cause =
        ev.message ??
        'its script could not be loaded or evaluated: check that the URL is served as JavaScript, that CSP worker-src allows it, and that a bundler emitted it with its imports';
      const err = new FinError('worker_failed', `The engine worker${where} failed: ${cause}`, {
        ...(url ? { url } : {}),
        cause,
      });
      this.failed = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  protected send(call: EngineCall, signal?: AbortSignal): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(aborted());
    if (this.failed) return Promise.reject(this.failed);
    const id = ++this.seq;
    const env: CallEnvelope = { id, call };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The worker finishes the call anyway; an aborted caller just stops waiting for it.
      signal?.addEventListener('abort', () => {
        if (this.pending.delete(id)) reject(aborted());
      });
      const transfer: Transferable[] = [];
      if (call.op === 'load' && call.input instanceof ArrayBuffer) transfer.push(call.input);
      this.worker.postMessage(env, transfer);
    });
  }

  dispose(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(aborted());
    this.pending.clear();
  }
}

/** A call waiting for the next batch: its call, how to settle it, and its caller's signal. */
type Queued = [
  call: EngineCall,
  resolve: (v: unknown) => void,
  reject: (e: unknown) => void,
  signal?: AbortSignal,
];

/**
 * Engine on a server: POSTs the same JSON calls to `url` (see `createHandler` in finboard/server).
 * Queries and distinct values asked in the same task (a dashboard's widgets) go as one batch
 * (`{"id", "calls"}`); the server streams each reply as its call ends, so each widget still paints
 * as soon as its own answer arrives. A server without batches (400 `bad_params`) gets them one by one.
 */
export class RemoteEngine extends ProtocolEngine {
  readonly placement = 'remote' as const;
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private seq = 0;
  private queue: Queued[] = [];
  private single = false;

  constructor(url: string, headers: Record<string, string> = {}) {
    super();
    this.url = url;
    this.headers = headers;
  }

  private async post(body: unknown, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.headers },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      if (signal?.aborted) throw aborted();
      throw new FinError('remote_failed', `The analytics server at ${this.url} could not be reached`, {
        cause: e instanceof Error ? e.message : String(e),
      });
    }
  }

  private async one(call: EngineCall, signal?: AbortSignal): Promise<unknown> {
    const res = await this.post({ id: ++this.seq, call } satisfies CallEnvelope, signal);
    let body: ReplyEnvelope;
    try {
      body = (await res.json()) as ReplyEnvelope;
    } catch {
      throw new FinError('remote_failed', `The analytics server answered ${res.status} without a JSON body`, {
        status: res.status,
      });
    }
    if (!body.ok) throw FinError.fromJSON(body.error);
    return body.value;
  }

  protected send(call: EngineCall, signal?: AbortSignal): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(aborted());
    if (this.single || (call.op !== 'query' && call.op !== 'distinct')) return this.one(call, signal);
    return new Promise((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(aborted()));
      if (this.queue.push([call, resolve, reject, signal]) === 1) setTimeout(() => void this.flush());
    });
  }

  /** Send the queued calls: one alone, several as a batch whose lines settle them as they come. */
  private async flush(): Promise<void> {
    const q = this.queue.filter((x) => !x[3]?.aborted);
    this.queue = [];
    if (q.length < 2) {
      for (const [call, resolve, reject, signal] of q) this.one(call, signal).then(resolve, reject);
      return;
    }
    const left = new Set(q);
    const ac = new AbortController();
    // Every caller gone: stop the request (the server then cancels what still runs).
    for (const x of q) x[3]?.addEventListener('abort', () => q.every((y) => y[3]?.aborted) && ac.abort());
    try {
      const res = await this.post(
        { id: ++this.seq, calls: q.map((x) => x[0]) } satisfies BatchEnvelope,
        ac.signal,
      );
      if (!res.headers.get('content-type')?.includes('ndjson')) {
        const body = (await res.json().catch(() => null)) as ReplyEnvelope | null;
        if (body && !body.ok && body.error.code === 'bad_params' && res.status === 400) {
          this.single = true; // a server without batches
          for (const [call, resolve, reject, signal] of q) this.one(call, signal).then(resolve, reject);
          left.clear();
          return;
        }
        throw body && !body.ok
          ? FinError.fromJSON(body.error)
          : new FinError('remote_failed', `The analytics server answered ${res.status}`);
      }
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
          const line = JSON.parse(text.slice(0, nl)) as BatchLine;
          text = text.slice(nl + 1);
          const x = q[line.i];
          if (!x || !left.delete(x)) continue;
          if (line.ok) x[1](line.value);
          else x[2](FinError.fromJSON(line.error));
        }
      }
      throw new FinError('remote_failed', 'The analytics server ended the batch early');
    } catch (e) {
      for (const x of left)
        x[2](
          e instanceof FinError
            ? e
            : new FinError('remote_failed', 'The analytics server could not answer', { cause: String(e) }),
        );
    }
  }

  dispose(): void {}
}
