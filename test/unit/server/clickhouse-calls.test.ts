/**
 * withDeadline (src/server/clickhouse-calls.ts) without a server: which outcome is typed how, and
 * which request is killed by the id it was sent with. A fake server records the statements it
 * gets; requests that never answer stand for a stuck query (no timing is asserted).
 */
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { FinError } from '../../../src/engine/errors.js';
import { shardWatch, withDeadline } from '../../../src/server/clickhouse-calls.js';
import type { ChCaller } from '../../../src/server/clickhouse-calls.js';

function fakeServer(): ChCaller & { statements: string[]; ids: string[] } {
  const statements: string[] = [];
  const ids: string[] = [];
  return {
    statements,
    ids,
    command(p) {
      statements.push(p.query);
      ids.push(p.query_id ?? '');
      return Promise.resolve({});
    },
  };
}

/** A request that answers only when its signal aborts (rejecting as the client does). */
const stuck = (sent: string[]) => (id: string, signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    sent.push(id);
    signal.addEventListener('abort', () => reject(new Error('The user aborted a request.')));
  });

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('withDeadline', () => {
  it('the deadline: typed timeout with its limit, and KILL QUERY for the id sent', async () => {
    const server = fakeServer();
    const sent: string[] = [];
    const e = await withDeadline({ server, timeoutMs: 20 }, stuck(sent)).catch((x: unknown) => x);
    await settle();
    expect(e).toBeInstanceOf(FinError);
    expect((e as FinError).code).toBe('timeout');
    expect((e as FinError).details['limit']).toBe(20);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.statements).toEqual([`KILL QUERY WHERE query_id = '${sent[0]}' ASYNC`]);
    // The KILL carries an id of its own.
    expect(server.ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.ids[0]).not.toBe(sent[0]);
  });

  it("the caller's signal: aborted, and killed", async () => {
    const server = fakeServer();
    const sent: string[] = [];
    const ac = new AbortController();
    const p = withDeadline({ server, timeoutMs: 60_000, signal: ac.signal }, stuck(sent)).catch(
      (x: unknown) => x,
    );
    ac.abort();
    const e = await p;
    await settle();
    expect((e as FinError).code).toBe('aborted');
    expect(server.statements).toEqual([`KILL QUERY WHERE query_id = '${sent[0]}' ASYNC`]);
  });

  it("the client's own inactivity timeout is the typed timeout too", async () => {
    const server = fakeServer();
    let id = '';
    const e = await withDeadline({ server, timeoutMs: 60_000 }, (i) => {
      id = i;
      return Promise.reject(new Error('Timeout error.'));
    }).catch((x: unknown) => x);
    await settle();
    expect((e as FinError).code).toBe('timeout');
    expect(server.statements).toEqual([`KILL QUERY WHERE query_id = '${id}' ASYNC`]);
  });

  it('a ClickHouse error or a refused connection comes back as it was, nothing killed', async () => {
    const server = fakeServer();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const e = await withDeadline({ server, timeoutMs: 60_000 }, () => Promise.reject(refused)).catch(
      (x: unknown) => x,
    );
    expect(e).toBe(refused);
    const answered = await withDeadline({ server, timeoutMs: 60_000 }, () => Promise.resolve(42));
    expect(answered).toBe(42);
    await settle();
    expect(server.statements).toEqual([]);
  });

  it('every call gets a fresh id', async () => {
    const server = fakeServer();
    const ids = await Promise.all(
      Array.from({ length: 20 }, () =>
        withDeadline({ server, timeoutMs: 60_000 }, (id) => Promise.resolve(id)),
      ),
    );
    expect(new Set(ids).size).toBe(20);
  });
});

describe('shardWatch', () => {
  /** An HTTP server answering /ping, counting the pings; and a TCP server that never answers. */
  async function servers() {
    let pings = 0;
    const ok = http.createServer((req, res) => {
      if (req.url === '/ping') pings++;
      res.end('Ok.\n');
    });
    const frozen = net.createServer(() => {}); // accepts, never answers: a stopped process
    const listen = (s: net.Server) =>
      new Promise<string>((resolve) =>
        s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as net.AddressInfo).port}`)),
      );
    const urls = { ok: await listen(ok), frozen: await listen(frozen) };
    const close = async () => {
      ok.closeAllConnections();
      await new Promise((r) => ok.close(r));
      await new Promise((r) => frozen.close(r));
    };
    return { urls, pings: () => pings, close, frozen };
  }
  const aborted = (signal: AbortSignal, withinMs: number) =>
    new Promise<boolean>((resolve) => {
      if (signal.aborted) return resolve(true);
      const t = setTimeout(() => resolve(false), withinMs);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve(true);
      });
    });

  it('answering shards keep the signal; a frozen one aborts every holder, later holders get a fresh signal', async () => {
    const s = await servers();
    const sockets: net.Socket[] = [];
    s.frozen.on('connection', (c) => sockets.push(c));
    try {
      const alive = shardWatch([s.urls.ok], 300, 50).acquire();
      expect(await aborted(alive.signal, 600)).toBe(false);
      expect(s.pings()).toBeGreaterThan(2);
      alive.release();

      const w = shardWatch([s.urls.ok, s.urls.frozen], 300, 50);
      const a = w.acquire();
      const b = w.acquire();
      expect(await aborted(a.signal, 3_000)).toBe(true);
      expect(b.signal.aborted).toBe(true);
      const c = w.acquire();
      expect(c.signal.aborted).toBe(false);
      for (const h of [a, b, c]) h.release();
    } finally {
      for (const c of sockets) c.destroy();
      await s.close();
    }
  }, 10_000);

  it('no holder, no pings', async () => {
    const s = await servers();
    try {
      const w = shardWatch([s.urls.ok], 300, 30);
      const h = w.acquire();
      await new Promise((r) => setTimeout(r, 200));
      h.release();
      h.release(); // twice is once
      await new Promise((r) => setTimeout(r, 100));
      const after = s.pings();
      expect(after).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(s.pings()).toBe(after);
    } finally {
      await s.close();
    }
  }, 10_000);
});
