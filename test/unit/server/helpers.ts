/**
 * Test helpers for finboard/server: a real HTTP server on 127.0.0.1 with an ephemeral port, a
 * small client, a recorded audit log and the seeded sample loaded on the operator side.
 */
import http from 'node:http';
import { afterEach } from 'vitest';
import type { AddressInfo } from 'node:net';
import { generateSample } from '../../../src/data/sample.js';
import { FinError } from '../../../src/engine/errors.js';
import type { QueryRequest } from '../../../src/engine/types.js';
import type { IngestInput } from '../../../src/data/ingest.js';
import { createHandler, memoryBackend } from '../../../src/server.js';
import type { AuditEvent, Backend, CreateHandlerOptions } from '../../../src/server.js';

export interface Served {
  url: string;
  audit: AuditEvent[];
  backend: Backend;
  call(
    call: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown>; text: string }>;
  close(): Promise<void>;
}

/** The sample loaded once per test file, shared by its servers (300 customers, seeded). */
let sample: ReturnType<typeof generateSample> | null = null;
export async function loadSample(backend: Backend, opts: { unmask?: boolean } = {}): Promise<void> {
  sample ??= generateSample({ customers: 300 });
  for (const [name, cols] of Object.entries(sample))
    await backend.load(name, cols as IngestInput, opts.unmask ? { unmask: true } : {});
}

export async function serve(opts: CreateHandlerOptions = {}, data = true): Promise<Served> {
  const backend = opts.backend ?? memoryBackend();
  if (data && !opts.backend) await loadSample(backend);
  const audit: AuditEvent[] = [];
  const handler = createHandler({ ...opts, backend, audit: (e) => audit.push(e) });
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let seq = 0;
  return {
    url,
    audit,
    backend,
    async call(call, headers = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ id: ++seq, call }),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A tiny HTTP server that counts hits (an "internal service" the handler must never fetch). */
export async function internalService(
  body: string,
  status = 200,
  headers: Record<string, string> = {},
): Promise<{ origin: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const s = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(status, { 'content-type': 'text/csv', ...headers });
    res.end(body);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
}

/** Error body of a reply. */
export function err(body: Record<string, unknown>): {
  code: string;
  message: string;
  details: Record<string, unknown>;
} {
  return body['error'] as never;
}

/** Wait until `cond()` holds, failing after `ms` (tests stay bounded in time). */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A backend whose queries wait for `release()` (those `gated(req)` selects; all by default),
 * counting the queries started and those aborted while waiting.
 */
export function gatedBackend(
  inner: Backend,
  gated: (req: QueryRequest) => boolean = () => true,
): Backend & { aborted: number; release(): void; started: number } {
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const b = {
    ...inner,
    aborted: 0,
    started: 0,
    release() {
      release();
      gate = new Promise<void>((r) => (release = r));
    },
    async query(req: QueryRequest, opts: { signal?: AbortSignal } = {}) {
      if (!gated(req)) return inner.query(req, opts);
      b.started++;
      await new Promise<void>((resolve, reject) => {
        void gate.then(resolve);
        opts.signal?.addEventListener('abort', () => {
          b.aborted++;
          reject(new FinError('aborted', 'cancelled'));
        });
      });
      return inner.query(req, opts);
    },
  };
  return b;
}

/** `serve()` for a test file whose servers are all closed after each test. */
export function serversClosedAfterEach(): (...a: Parameters<typeof serve>) => Promise<Served> {
  const open: Served[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  return async (...a) => {
    const s = await serve(...a);
    open.push(s);
    return s;
  };
}
