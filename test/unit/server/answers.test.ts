/**
 * Shared answers: the cache keeps answers as the bytes sent (a hit sends exactly what the miss
 * sent), gzip replies are built around stored deflate blocks and decode to those same bytes, the
 * byte budget bounds the cache, identical calls in flight run once, and keys share answers
 * between principals of one scope only, dropped on unload.
 */
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricResult } from '../../../src/engine/types.js';
import { FinError } from '../../../src/engine/errors.js';
import { SharedAnswers, answerOf } from '../../../src/server/answers.js';
import { ResultCache } from '../../../src/server/cache.js';
import { GZIP_AVAILABLE, acceptsGzip, deflateBody, gzipAround, gzipSegments } from '../../../src/server/gzip.js';
import type { Segment } from '../../../src/server/gzip.js';
import type { Policy } from '../../../src/server/policy.js';
import { serve } from './helpers.js';
import type { Served } from './helpers.js';

const R = (data: Array<Record<string, unknown>>): MetricResult =>
  ({ data, basis: {} as never, quality: {} as never }) as MetricResult;

describe('gzip around stored deflate blocks', () => {
  it.runIf(GZIP_AVAILABLE)('decodes to prefix + body + suffix for any JSON value and id', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (v, id) => {
        const body = Buffer.from(JSON.stringify(v) ?? 'null');
        const prefix = Buffer.from(`{"id":${id},"ok":true,"value":`);
        const suffix = Buffer.from('}');
        const out = gunzipSync(Buffer.concat(gzipAround(prefix, body, deflateBody(body), suffix)));
        expect(out.equals(Buffer.concat([prefix, body, suffix]))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it.runIf(GZIP_AVAILABLE)('holds for bodies of several deflate blocks, compressible or not', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ month: i % 36, rate: (i * 7919) % 1000 }));
    const big = Buffer.from(JSON.stringify(rows));
    const noise = Buffer.from(
      Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(33 + ((i * 2654435761) % 90))).join(''),
    );
    for (const body of [big, noise]) {
      const prefix = Buffer.from('{"id":123456,"ok":true,"value":');
      const pieces = gzipAround(prefix, body, deflateBody(body), Buffer.from('}'));
      expect(gunzipSync(Buffer.concat(pieces)).equals(Buffer.concat([prefix, body, Buffer.from('}')]))).toBe(
        true,
      );
    }
    // JSON rows compress: the stored blocks cost a few bytes, the body shrinks several times.
    expect(deflateBody(big).length).toBeLessThan(big.length / 4);
  });

  it.runIf(GZIP_AVAILABLE)('decodes a batch of plain and deflated segments, long plain ones split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.jsonValue(), fc.integer({ min: 0, max: 3 })), { maxLength: 8 }),
        (parts) => {
          const segments: Segment[] = [];
          const want: Buffer[] = [];
          for (const [plain, v, repeat] of parts) {
            const body = Buffer.from((JSON.stringify(v) ?? 'null').repeat(1 + repeat * 3000));
            segments.push(plain ? body : { body, deflated: deflateBody(body) });
            want.push(body);
          }
          const out = gunzipSync(Buffer.concat(gzipSegments(segments)));
          expect(out.equals(Buffer.concat(want))).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reads accept-encoding as RFC 9110 does for gzip', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('')).toBe(false);
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('deflate, br')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0, *')).toBe(false);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip(['deflate', 'gzip'])).toBe(true);
  });
});

describe('ResultCache byte budget', () => {
  it('drops least recently used entries until the new one fits; never keeps one over budget', () => {
    const c = new ResultCache<string>(
      10,
      1000,
      () => 0,
      10,
      (s) => s.length,
    );
    c.set('a', 'aaaa');
    c.set('b', 'bbbb');
    expect(c.bytes).toBe(8);
    c.get('a'); // a is now most recent
    c.set('c', 'ccc'); // 11 > 10: b goes
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual(['aaaa', undefined, 'ccc']);
    expect(c.bytes).toBe(7);
    c.set('d', 'd'.repeat(11)); // larger than the budget: not kept, nothing dropped for it
    expect(c.get('d')).toBeUndefined();
    expect(c.size).toBe(2);
    c.set('a', 'aaaaaaa'); // replacing counts the new size only: 7 + 3
    expect(c.bytes).toBe(10);
    c.clear();
    expect([c.size, c.bytes]).toEqual([0, 0]);
  });
});

describe('SharedAnswers', () => {
  const never = new AbortController().signal;

  it('runs identical calls in flight once; every caller gets the same bytes', async () => {
    const s = new SharedAnswers(10, 1000, 1 << 20);
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const compute = async (): Promise<MetricResult> => {
      runs++;
      await gate;
      return R([{ x: 1 }]);
    };
    const all = Promise.all([1, 2, 3].map(() => s.get('k', 0, () => 0, compute, never)));
    release();
    const got = await all;
    expect(runs).toBe(1);
    expect(got.map((g) => g.cached)).toEqual([false, true, true]);
    expect(got.every((g) => g.answer === got[0]!.answer)).toBe(true);
    expect(got[0]!.answer.json.toString()).toBe(JSON.stringify(R([{ x: 1 }])));
    const hit = await s.get('k', 0, () => 0, compute, never);
    expect([hit.cached, runs, hit.answer === got[0]!.answer]).toEqual([true, 1, true]);
  });

  it('does not keep an answer computed while the data version changed', async () => {
    const s = new SharedAnswers(10, 1000, 1 << 20);
    let version = 0;
    const compute = async (): Promise<MetricResult> => {
      version++; // a load lands while the query runs
      return R([]);
    };
    await s.get('k', 0, () => version, compute, never);
    expect(s.size.entries).toBe(0);
  });

  it('aborts the shared query when every caller has gone; a later caller starts afresh', async () => {
    const s = new SharedAnswers(10, 1000, 1 << 20);
    const signals: AbortSignal[] = [];
    const hang = (sig: AbortSignal): Promise<MetricResult> =>
      new Promise((_, reject) => {
        signals.push(sig);
        sig.addEventListener('abort', () => setTimeout(() => reject(new FinError('aborted', 'x')), 5));
      });
    const a = new AbortController();
    const b = new AbortController();
    const pa = s.get('k', 0, () => 0, hang, a.signal);
    const pb = s.get('k', 0, () => 0, hang, b.signal);
    a.abort();
    expect(signals[0]!.aborted).toBe(false); // b still waits
    b.abort();
    expect(signals[0]!.aborted).toBe(true);
    // A new caller while the aborted query is still settling gets a query of its own, which the
    // old one's settling does not remove.
    let finish!: (v: MetricResult) => void;
    const pc = s.get(
      'k',
      0,
      () => 0,
      () => new Promise((r) => (finish = r)),
      never,
    );
    await Promise.allSettled([pa, pb]);
    const pd = s.get('k', 0, () => 0, hang, never); // joins c's query, does not start another
    finish(R([{ y: 2 }]));
    const [c, d] = await Promise.all([pc, pd]);
    expect([c.cached, d.cached, signals.length]).toEqual([false, true, 1]);
    expect(d.answer.json.toString()).toBe(JSON.stringify(R([{ y: 2 }])));
  });

  it('keeps refusals that follow from the request (unsupported), never transient failures', async () => {
    const s = new SharedAnswers(10, 1000, 1 << 20);
    let runs = 0;
    const fail =
      (code: 'unsupported' | 'backend_unavailable' | 'timeout') => async (): Promise<MetricResult> => {
        runs++;
        throw new FinError(code, 'no');
      };
    const codes: string[] = [];
    for (const [key, code] of [
      ['u', 'unsupported'],
      ['u', 'unsupported'],
      ['b', 'backend_unavailable'],
      ['b', 'backend_unavailable'],
      ['t', 'timeout'],
      ['t', 'timeout'],
    ] as const)
      await s.get(key, 0, () => 0, fail(code), never).catch((e: FinError) => codes.push(e.code));
    expect(codes).toEqual([
      'unsupported',
      'unsupported',
      'backend_unavailable',
      'backend_unavailable',
      'timeout',
      'timeout',
    ]);
    expect(runs).toBe(5); // the second `unsupported` came from the cache
    // Not kept when the data changed while it ran; dropped with everything on clear().
    let version = 0;
    await s.get('v', 0, () => ++version, fail('unsupported'), never).catch(() => undefined);
    await s.get('v', 1, () => version, fail('unsupported'), never).catch(() => undefined);
    expect(runs).toBe(7);
    s.clear();
    await s.get('u', 0, () => 0, fail('unsupported'), never).catch(() => undefined);
    expect(runs).toBe(8);
  });

  it('counts an answer with its deflated copy against the byte budget', () => {
    const a = answerOf(R(Array.from({ length: 200 }, (_, i) => ({ i }))));
    expect(a.json.length).toBeGreaterThan(1024);
    if (GZIP_AVAILABLE) expect(a.deflated!.length).toBeLessThan(a.json.length);
    const s = new SharedAnswers(10, 1000, a.json.length + (a.deflated?.length ?? 0) - 1);
    return s
      .get(
        'k',
        0,
        () => 0,
        async () => R(Array.from({ length: 200 }, (_, i) => ({ i }))),
        never,
      )
      .then(() => expect(s.size).toEqual({ entries: 0, bytes: 0 }));
  });
});

describe('shared answers over HTTP', () => {
  const tokens: Record<string, { id: string; roles: string[] }> = {
    'Bearer a1': { id: 'a1', roles: ['all'] },
    'Bearer a2': { id: 'a2', roles: ['all'] },
    'Bearer e1': { id: 'e1', roles: ['east'] },
    'Bearer op': { id: 'op', roles: ['operator'] },
  };
  const policy: Policy = {
    authenticate: (req) => tokens[String(req.headers.authorization)] ?? null,
    roles: {
      all: {},
      east: { rowFilters: [{ field: 'region', op: 'eq', value: '华东' }] },
      operator: { operations: ['load', 'unload'] },
    },
  };
  let s: Served;
  beforeAll(async () => {
    s = await serve({ policy });
  });
  afterAll(() => s.close());

  /** One raw call: the bytes as sent (no decoding), and the headers. */
  const raw = (
    token: string,
    call: object,
    id: number,
    encoding?: string,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ id, call });
      const req = http.request(
        s.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: token,
            ...(encoding ? { 'accept-encoding': encoding } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const query = { op: 'query', req: { metric: 'bucket_trend', params: {} } };

  it('sends a hit as the very bytes of the miss, equal to JSON.stringify of the reply; gzip decodes to them', async () => {
    const miss = await raw('Bearer a1', query, 41);
    expect(s.audit.at(-1)).toMatchObject({ principal: 'a1', cached: false, outcome: 'ok' });
    const hit = await raw('Bearer a2', query, 41); // another principal of the same scope
    expect(s.audit.at(-1)).toMatchObject({ principal: 'a2', cached: true, outcome: 'ok' });
    expect(hit.status).toBe(200);
    expect(hit.bytes.equals(miss.bytes)).toBe(true);
    expect(miss.bytes.toString()).toBe(JSON.stringify(JSON.parse(miss.bytes.toString())));
    expect(JSON.parse(miss.bytes.toString())).toMatchObject({ id: 41, ok: true });
    expect(Number(miss.headers['content-length'])).toBe(miss.bytes.length);
    expect(miss.headers['content-encoding']).toBeUndefined();
    expect(miss.headers['vary']).toBe('accept-encoding');
    const other = await raw('Bearer a1', query, 7);
    expect(JSON.parse(other.bytes.toString())).toEqual({ ...JSON.parse(miss.bytes.toString()), id: 7 });
    if (GZIP_AVAILABLE) {
      const gz = await raw('Bearer a2', query, 41, 'gzip, deflate');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(Number(gz.headers['content-length'])).toBe(gz.bytes.length);
      expect(gz.bytes.length).toBeLessThan(miss.bytes.length);
      expect(gunzipSync(gz.bytes).equals(miss.bytes)).toBe(true);
      const refused = await raw('Bearer a2', query, 41, 'gzip;q=0');
      expect(refused.bytes.equals(miss.bytes)).toBe(true);
    }
    // Errors and small answers are sent as before (JSON of the envelope).
    const bad = await raw('Bearer a1', { op: 'query', req: { metric: 'no_such' } }, 3, 'gzip');
    expect(bad.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(bad.bytes.toString())).toMatchObject({ id: 3, ok: false });
  });

  it('never serves one scope the answer of another, and drops answers on unload', async () => {
    const before = s.audit.length;
    const a = await raw('Bearer a1', query, 1);
    const e = await raw('Bearer e1', query, 1);
    expect(s.audit.at(-1)).toMatchObject({ principal: 'e1', cached: false });
    expect(e.bytes.equals(a.bytes)).toBe(false);
    await raw('Bearer e1', query, 1);
    expect(s.audit.at(-1)).toMatchObject({ principal: 'e1', cached: true });
    const gone = await raw('Bearer op', { op: 'unload', name: 'collection_actions' }, 1);
    expect(gone.status).toBe(200);
    await raw('Bearer a1', query, 1);
    expect(s.audit.at(-1)).toMatchObject({ principal: 'a1', cached: false });
    // One audit event per call, hits included.
    expect(s.audit.slice(before).map((x) => x.op)).toEqual(['query', 'query', 'query', 'unload', 'query']);
  });
});
