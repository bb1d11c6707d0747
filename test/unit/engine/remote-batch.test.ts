/**
 * The remote engine batches the queries asked in one task (a dashboard's widgets) into one request,
 * settles each call as its line arrives, keeps per-call errors and aborts per call, and talks to a
 * server without batches one call at a time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine/create.js';
import { FinError } from '../../../src/engine/errors.js';
import type { QueryRequest } from '../../../src/engine/types.js';
import { createHandler, memoryBackend } from '../../../src/server.js';
import type { CreateHandlerOptions } from '../../../src/server.js';
import { gatedBackend, loadSample, until } from '../server/helpers.js';

interface Counted {
  url: string;
  /** Bodies received, parsed. */
  bodies: Array<{ call?: unknown; calls?: unknown[] }>;
  close(): Promise<void>;
}

/** The handler behind a server that records every request body; `old` refuses batches as an older server does. */
async function counted(opts: CreateHandlerOptions, old = false): Promise<Counted> {
  const handler = createHandler(opts);
  const bodies: Counted['bodies'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(text) as Counted['bodies'][number];
      bodies.push(body);
      if (old && body.calls) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 0,
            ok: false,
            error: { code: 'bad_params', message: 'Body must be {"id", "call"}' },
          }),
        );
        return;
      }
      // Hand the body on to the handler as a fresh request stream.
      const replay = Object.assign(Readable.from([Buffer.from(text)]), {
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(text)) },
        method: req.method,
        url: req.url,
        socket: req.socket,
      });
      handler(replay as unknown as http.IncomingMessage, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    bodies,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const REQS: QueryRequest[] = [
  { metric: 'overdue_rate', params: { k: 1 } },
  { metric: 'overdue_rate', params: { k: 1 }, filters: [{ field: 'region', op: 'eq', value: '华东' }] },
  { metric: 'vintage', params: {} },
  { metric: 'roll_rate', params: {} },
];

describe('remote engine batches', () => {
  const mem = memoryBackend();
  const slow = gatedBackend(mem, (r) => r.params?.['k'] === 3);
  let s: Counted;
  beforeAll(async () => {
    await loadSample(mem);
    s = await counted({
      backend: slow,
      policy: {
        roles: { viewer: { metrics: ['overdue_rate', 'vintage'] } },
        authenticate: (req) =>
          req.headers['authorization'] === 'Bearer ok' ? { id: 'v', roles: ['viewer'] } : null,
      },
    });
  });
  afterAll(() => s.close());
  const engine = () =>
    createEngine({ placement: 'remote', url: s.url, headers: { authorization: 'Bearer ok' } });

  it('sends the queries of one task as one request; each answer is the one asked alone', async () => {
    const e = engine();
    const alone = [];
    for (const r of REQS) alone.push(await e.query(r).catch((x: FinError) => x.code));
    s.bodies.length = 0;
    const together = await Promise.all(REQS.map((r) => e.query(r).catch((x: FinError) => x.code)));
    expect(s.bodies).toHaveLength(1);
    expect(s.bodies[0]!.calls).toHaveLength(REQS.length);
    expect(together).toEqual(alone);
    // roll_rate is not allowed for the role: that call alone fails, with its own code.
    expect(together[3]).toBe('forbidden');
    expect(alone.slice(0, 3).every((a) => typeof a === 'object')).toBe(true);
  });

  it('settles each call as its line arrives: a slow call does not hold back the others', async () => {
    const e = engine();
    let slowDone = false;
    const p = e.query({ metric: 'overdue_rate', params: { k: 3 } }).then((r) => {
      slowDone = true;
      return r;
    });
    const fast = await e.query({ metric: 'overdue_rate', params: { k: 2 } });
    expect(fast.data.length).toBeGreaterThan(0);
    expect(slowDone).toBe(false);
    slow.release();
    expect((await p).data.length).toBeGreaterThan(0);
  });

  it('an aborted call rejects alone; when every call of a batch is gone the server stops them', async () => {
    const e = engine();
    const ac = new AbortController();
    const cut = e.query({ metric: 'overdue_rate', params: { k: 3, lag: 1 } }, { signal: ac.signal });
    const kept = e.query({ metric: 'overdue_rate', params: { k: 1, lag: 1 } });
    await until(() => slow.started >= 2);
    ac.abort();
    await expect(cut).rejects.toMatchObject({ code: 'aborted' });
    expect((await kept).data.length).toBeGreaterThan(0);
    slow.release(); // the cut call's query still ran: another caller could have shared it

    const a = new AbortController();
    const b = new AbortController();
    const before = slow.aborted;
    const x = e.query({ metric: 'overdue_rate', params: { k: 3, lag: 2 } }, { signal: a.signal });
    const y = e.query({ metric: 'overdue_rate', params: { k: 3, lag: 3 } }, { signal: b.signal });
    await until(() => slow.started >= 4);
    a.abort();
    b.abort();
    await expect(x).rejects.toMatchObject({ code: 'aborted' });
    await expect(y).rejects.toMatchObject({ code: 'aborted' });
    await until(() => slow.aborted >= before + 2);
    expect(slow.aborted).toBe(before + 2);
  });

  it('a refusal of the whole request (credentials) rejects every call with its code', async () => {
    const e = createEngine({ placement: 'remote', url: s.url, headers: { authorization: 'Bearer no' } });
    const all = await Promise.all(REQS.map((r) => e.query(r).catch((x: unknown) => x)));
    expect(all.every((x) => x instanceof FinError && x.code === 'unauthorized')).toBe(true);
  });

  it('talks to a server without batches one call at a time', async () => {
    const m = memoryBackend();
    await loadSample(m);
    const old = await counted({ backend: m }, true);
    try {
      const e = createEngine({ placement: 'remote', url: old.url });
      const first = await Promise.all(REQS.slice(0, 2).map((r) => e.query(r)));
      expect(first.every((r) => r.data.length > 0)).toBe(true);
      // One refused batch, then the two calls alone; later calls go alone at once.
      expect(old.bodies.map((b) => (b.calls ? 'batch' : 'one'))).toEqual(['batch', 'one', 'one']);
      await Promise.all(REQS.slice(0, 2).map((r) => e.query(r)));
      expect(old.bodies).toHaveLength(5);
    } finally {
      await old.close();
    }
  });
});
