/**
 * Batched calls (`{"id", "calls": [...]}`): each call is answered, refused, limited and audited
 * exactly as if it were sent alone; the replies come in the calls' order in one 200 answer, gzip
 * included; malformed and oversized batches are refused whole.
 */
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH } from '../../../src/engine/protocol.js';
import { memoryBackend } from '../../../src/server.js';
import { gatedBackend, loadSample, serversClosedAfterEach, until } from './helpers.js';
import type { Served } from './helpers.js';

const started = serversClosedAfterEach();

/** POST a body; a batch's NDJSON lines come back as `replies`, in the calls' order. */
async function post(
  s: Served,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  body: Record<string, unknown>;
  lines: Array<Record<string, unknown>>;
  type: string | null;
}> {
  const res = await fetch(s.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  const type = res.headers.get('content-type');
  if (!type?.startsWith('application/x-ndjson'))
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, lines: [], type };
  expect(text.endsWith('\n')).toBe(true);
  const lines = text
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const replies = [...lines].sort((a, b) => Number(a['i']) - Number(b['i'])).map(({ i: _i, ...r }) => r);
  return { status: res.status, body: { replies }, lines, type };
}

const q = (metric: string, params: Record<string, unknown> = {}): Record<string, unknown> => ({
  op: 'query',
  req: { metric, params },
});

const POLICY = {
  roles: { viewer: { metrics: ['overdue_rate', 'vintage', 'distinct'] } },
  authenticate: (req: { headers: Record<string, unknown> }) => ({
    id: String(req.headers['x-user'] ?? 'a'),
    roles: ['viewer'],
  }),
};

describe('batched calls', () => {
  it('answer in order what each call answers alone, a refused call refused alone, one audit event each', async () => {
    const s = await started({ policy: POLICY });
    const calls = [
      q('overdue_rate', { k: 1 }),
      q('rfm'), // not allowed for the role
      { op: 'distinct', req: { source: 'loans', field: 'region' } },
      q('vintage'),
      { op: 'load', name: 'loans', input: [] }, // not a client operation
      { op: 'nope' },
    ];
    const alone: Array<Awaited<ReturnType<Served['call']>>> = [];
    for (const c of calls) alone.push(await s.call(c));
    s.audit.length = 0;
    const r = await post(s, { id: 7, calls });
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/x-ndjson; charset=utf-8');
    const replies = r.body['replies'] as Array<Record<string, unknown>>;
    expect(replies).toHaveLength(calls.length);
    replies.forEach((reply, i) => {
      const { id: _id, ...want } = alone[i]!.body;
      expect(reply, JSON.stringify(calls[i])).toEqual(want);
    });
    expect(replies.map((x) => x['ok'])).toEqual([true, false, true, true, false, false]);
    expect(replies.map((x) => (x['error'] as { code?: string } | undefined)?.code)).toEqual([
      undefined,
      'forbidden',
      undefined,
      undefined,
      'forbidden',
      'bad_params',
    ]);
    expect(s.audit.map((e) => [e.op, e.outcome])).toEqual(
      expect.arrayContaining([
        ['query', 'ok'],
        ['query', 'denied'],
        ['distinct', 'ok'],
        ['query', 'ok'],
        ['load', 'denied'],
        ['unknown', 'error'],
      ]),
    );
    expect(s.audit).toHaveLength(calls.length);
    expect(s.audit.every((e) => e.principal === 'a')).toBe(true);
  });

  it('gzip: shared answers keep their stored deflate blocks, the reply decodes to the same JSON', async () => {
    const s = await started();
    const calls = [q('vintage'), q('overdue_rate', { k: 1 }), { op: 'datasets' }, q('vintage')];
    const plain = await post(s, { id: 1, calls });
    const res = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ id: 1, calls }),
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    // fetch decodes gzip itself; the raw bytes are decoded below from a request of their own.
    const sorted = (text: string): unknown[] =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { i: number })
        .sort((a, b) => a.i - b.i);
    const want = sorted(plain.lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(sorted(await res.text())).toEqual(want);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request(
        s.url,
        { method: 'POST', headers: { 'accept-encoding': 'gzip', 'content-type': 'application/json' } },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (d: Buffer) => chunks.push(d));
          r.on('end', () => resolve(Buffer.concat(chunks)));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ id: 1, calls }));
    });
    expect(sorted(gunzipSync(raw).toString('utf8'))).toEqual(want);
  });

  it('refuses malformed and oversized batches whole', async () => {
    const s = await started();
    for (const body of [
      { id: 1, calls: [] },
      { id: 1, calls: [1] },
      { id: 1, calls: [{ op: 'datasets' }, null] },
      { id: 1, calls: {} },
    ]) {
      const r = await post(s, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.body['error'] as { code: string }).code).toBe('bad_params');
    }
    const many = Array.from({ length: MAX_BATCH + 1 }, () => ({ op: 'datasets' }));
    const r = await post(s, { id: 2, calls: many });
    expect(r.status).toBe(413);
    expect(r.body['error']).toMatchObject({ code: 'too_large', details: { limit: MAX_BATCH } });
    const ok = await post(s, { id: 3, calls: many.slice(0, MAX_BATCH) });
    expect(ok.status).toBe(200);
    expect((ok.body['replies'] as unknown[]).length).toBe(MAX_BATCH);
  });

  it('counts every call against the principal’s calls in flight, as separate requests would', async () => {
    const s = await started({ policy: POLICY, limits: { concurrent: 3 } });
    const calls = Array.from({ length: 5 }, (_, k) => q('overdue_rate', { k: 1 + (k % 3), lag: k }));
    const r = await post(s, { id: 1, calls });
    const codes = (r.body['replies'] as Array<{ error?: { code: string } }>).map(
      (x) => x.error?.code ?? 'ok',
    );
    expect(codes).toEqual(['ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
    // Another principal is not affected, and the first one's calls are free again afterwards.
    const b = await post(s, { id: 2, calls: calls.slice(0, 3) }, { 'x-user': 'b' });
    expect((b.body['replies'] as Array<{ ok: boolean }>).every((x) => x.ok)).toBe(true);
    const again = await post(s, { id: 3, calls: calls.slice(3) });
    expect((again.body['replies'] as Array<{ ok: boolean }>).every((x) => x.ok)).toBe(true);
  });

  it('streams each reply as its call ends; a client that goes away aborts the calls still running', async () => {
    const mem = memoryBackend();
    await loadSample(mem);
    const slow = gatedBackend(mem, (req) => req.params?.['k'] === 3);
    const s = await started({ backend: slow });
    const res = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 1, calls: [q('overdue_rate', { k: 3 }), q('overdue_rate', { k: 1 })] }),
    });
    const reader = res.body!.getReader();
    let first = '';
    while (!first.includes('\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      first += new TextDecoder().decode(value);
    }
    // The fast call (index 1) arrives while the slow one is still waiting at the backend.
    expect(JSON.parse(first.trim())).toMatchObject({ i: 1, ok: true });
    expect(slow.started).toBe(1);
    slow.release();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(JSON.parse(rest.trim())).toMatchObject({ i: 0, ok: true });

    const ac = new AbortController();
    const gone = fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 2,
        calls: [q('overdue_rate', { k: 3, lag: 1 }), q('overdue_rate', { k: 3, lag: 2 })],
      }),
      signal: ac.signal,
    }).catch(() => null);
    await until(() => slow.started >= 3);
    ac.abort();
    await gone;
    await until(() => slow.aborted >= 2);
    expect(slow.aborted).toBe(2);
  });
});
