/**
 * finboard/server over real HTTP: safe defaults (operations, URL loads, sample caps, safe errors)
 * and every limit (body, rows, timeout cancelling the backend query, concurrency per principal),
 * each with its audit event.
 */
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryBackend } from '../../../src/server.js';
import type { Backend } from '../../../src/server.js';
import { err, gatedBackend, internalService, loadSample, serversClosedAfterEach, until } from './helpers.js';

const started = serversClosedAfterEach();

const OVERDUE = { op: 'query', req: { metric: 'overdue_rate', params: { k: 1 } } };

describe('safe defaults', () => {
  it('lets clients query, distinct and list datasets, nothing else', async () => {
    const s = await started();
    const q = await s.call(OVERDUE);
    expect(q.status).toBe(200);
    expect((q.body['value'] as { data: unknown[] }).data.length).toBeGreaterThan(0);
    const d = await s.call({ op: 'distinct', req: { source: 'loans', field: 'region' } });
    expect(d.status).toBe(200);
    expect((d.body['value'] as { data: Array<{ value: string }> }).data.map((r) => r.value)).toContain(
      '华东',
    );
    const ds = await s.call({ op: 'datasets' });
    expect((ds.body['value'] as Array<{ name: string; report: object }>).map((x) => x.name)).toContain(
      'loan_months',
    );
    // Clients get column types, not the quality report's details.
    expect(Object.keys((ds.body['value'] as Array<{ report: object }>)[0]!.report)).toEqual(['columns']);
    const before = (ds.body['value'] as unknown[]).length;
    for (const call of [
      { op: 'load', name: 'loans', input: [{ loan_id: 'X' }] },
      { op: 'loadSample', opts: { customers: 10 } },
      { op: 'unload', name: 'loans' },
      { op: 'prepare', opts: { dimensions: ['region'] } },
    ]) {
      const r = await s.call(call);
      expect(r.status, call.op).toBe(403);
      expect(err(r.body).code).toBe('forbidden');
    }
    const after = await s.call({ op: 'datasets' });
    expect((after.body['value'] as unknown[]).length).toBe(before);
    const denied = s.audit.filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => e.op)).toEqual(['load', 'loadSample', 'unload', 'prepare']);
    expect(denied.every((e) => e.code === 'forbidden' && /not allowed/.test(e.reason ?? ''))).toBe(true);
  });

  it('refuses URL loads outside the origin allowlist and fetches nothing', async () => {
    const internal = await internalService('secret_col,other_secret\n1,2\n');
    try {
      const s = await started({
        anonymous: { operations: ['load'] },
        loadOrigins: ['https://data.example.com'],
      });
      for (const input of [
        { url: `${internal.origin}/internal` },
        `${internal.origin}/internal.csv`,
        { url: `${internal.origin.replace('127.0.0.1', 'localhost')}/internal` },
        { url: '/internal' },
        { url: 'file:///etc/passwd' },
      ]) {
        const r = await s.call({ op: 'load', name: 'loans', input });
        expect(r.status, JSON.stringify(input)).toBe(403);
        expect(err(r.body).code).toBe('forbidden');
        expect(r.text).not.toMatch(/secret_col|passwd|data\.example/);
      }
      expect(internal.hits).toEqual([]);
      expect(s.audit.every((e) => e.reason === 'URL origin not in loadOrigins')).toBe(true);
    } finally {
      await internal.close();
    }
  });

  it('does not follow a redirect from an allowed origin, and loads from it otherwise', async () => {
    const inner = await internalService('loan_id,secret_col\nA,1\n');
    const bounce = await internalService('', 302, { location: `${inner.origin}/internal` });
    const good = await internalService(
      'loan_id,customer_id,region,issue_date,principal\nL1,C1,华东,2024-01-15,1000\n',
    );
    try {
      const s = await started({
        anonymous: { operations: ['load'] },
        loadOrigins: [bounce.origin, good.origin],
      });
      const r = await s.call({ op: 'load', name: 'loans', input: { url: `${bounce.origin}/data.csv` } });
      expect(r.body['ok']).toBe(false);
      expect(bounce.hits).toEqual(['/data.csv']);
      expect(inner.hits).toEqual([]);
      const ok = await s.call({ op: 'load', name: 'loans', input: { url: `${good.origin}/loans.csv` } });
      expect(ok.status).toBe(200);
      const d = await s.call({ op: 'distinct', req: { source: 'loans', field: 'region' } });
      expect((d.body['value'] as { data: unknown[] }).data).toEqual([{ value: '华东', count: 1 }]);
    } finally {
      await Promise.all([inner.close(), bounce.close(), good.close()]);
    }
  });

  it('caps sample sizes before generating anything', async () => {
    const s = await started({ anonymous: { operations: ['loadSample'] } }, false);
    const t0 = Date.now();
    const r = await s.call({ op: 'loadSample', opts: { customers: 2_000_000 } });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.status).toBe(413);
    expect(err(r.body)).toMatchObject({ code: 'too_large', details: { param: 'customers', limit: 20_000 } });
    expect((await s.call({ op: 'loadSample', opts: { evil: 1 } })).status).toBe(400);
    expect((await s.call({ op: 'datasets' })).body['value']).toEqual([]);
    const ok = await s.call({ op: 'loadSample', opts: { customers: 50 } });
    expect(ok.status).toBe(200);
  });

  it('answers errors with a code and a safe message: no paths, SQL, dataset lists or other columns', async () => {
    const withCols = await internalService('secret_col,other_secret\n1,2\n');
    try {
      const s = await started({ anonymous: { operations: ['load'] }, loadOrigins: [withCols.origin] }, false);
      // The engine's message names the file's columns; the client must not see them.
      const r = await s.call({ op: 'load', name: 'loans', input: { url: `${withCols.origin}/x.csv` } });
      expect(r.body['ok']).toBe(false);
      expect(r.text).not.toMatch(/secret_col|other_secret|127\.0\.0\.1/);
      const e = s.audit.at(-1)!;
      expect(e.outcome).toBe('error');
      expect(e.reason).toMatch(/secret_col|loan_id/); // the operator's audit keeps the cause
      await s.backend.load('loan_months', [
        { loan_id: 'A', snapshot_date: '2024-01-31', outstanding: 1, dpd: 0 },
      ]);
      const m = await s.call({ op: 'query', req: { metric: 'vintage', source: 'private_dataset_x' } });
      expect(err(m.body).code).toBe('missing_dataset');
      expect(m.text).not.toMatch(/loan_months|loaded/);
      const u = await s.call({ op: 'query', req: { metric: 'no_such_metric' } });
      expect(err(u.body)).toMatchObject({ code: 'unknown_metric', message: 'Unknown metric' });
    } finally {
      await withCols.close();
    }
  });

  it('refuses malformed envelopes and non-POST methods with bad_params', async () => {
    const s = await started();
    const bad = await fetch(s.url, { method: 'POST', body: '{"id":1,"call":' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad_params');
    expect((await fetch(s.url)).status).toBe(400);
    for (const req of [
      { metric: 1 },
      { metric: 'kpi', filters: [{ field: 'region', op: 'like', value: '%' }] },
      { metric: 'kpi', params: [] },
    ]) {
      expect((await s.call({ op: 'query', req })).status).toBe(400);
    }
  });
});

/** A backend whose queries wait until released (or aborted), to hold calls in flight. */

describe('limits', () => {
  afterAll(() => undefined);

  it('refuses a body over the limit with too_large (413)', async () => {
    const s = await started({ limits: { bodyBytes: 2048 } });
    const big = await s.call({
      op: 'query',
      req: { metric: 'kpi', filters: [{ field: 'region', op: 'in', value: Array(500).fill('华东华东') }] },
    });
    expect(big.status).toBe(413);
    expect(err(big.body).code).toBe('too_large');
    expect(s.audit.at(-1)).toMatchObject({ outcome: 'denied', code: 'too_large' });
    // Without a content-length (chunked), reading stops at the limit too.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const r = http.request(
        s.url,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      r.on('error', reject);
      r.write('{"id":1,"call":{"op":"query","req":{"metric":"kpi","params":{"pad":"');
      r.write('x'.repeat(4096));
      r.end('"}}}}');
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('too_large');
    expect((await s.call(OVERDUE)).status).toBe(200);
  });

  it('refuses answers over the row limit', async () => {
    const s = await started({ limits: { rows: 3 } });
    const r = await s.call({ op: 'distinct', req: { source: 'customers', field: 'city' } });
    expect(r.status).toBe(413);
    expect(err(r.body)).toMatchObject({ code: 'too_large', details: { limit: 3 } });
    const few = await s.call({ op: 'distinct', req: { source: 'customers', field: 'city', limit: 3 } });
    expect(few.status).toBe(200);
  });

  it('times out a slow query, cancels it in the backend, and keeps serving', async () => {
    const mem = memoryBackend();
    await loadSample(mem);
    const slow = gatedBackend(mem);
    const s = await started({ backend: slow, limits: { timeoutMs: 150 } });
    const t0 = Date.now();
    const r = await s.call(OVERDUE);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.status).toBe(504);
    expect(err(r.body)).toMatchObject({ code: 'timeout', details: { limit: 150 } });
    expect(slow.aborted).toBe(1);
    expect(s.audit.at(-1)).toMatchObject({
      op: 'query',
      metric: 'overdue_rate',
      outcome: 'error',
      code: 'timeout',
    });
    const p = s.call(OVERDUE);
    await new Promise((r2) => setTimeout(r2, 30));
    slow.release();
    expect((await p).status).toBe(200);
  });

  it('limits calls in flight per principal (rate_limited) without affecting others', async () => {
    const mem = memoryBackend();
    await loadSample(mem);
    const slow = gatedBackend(mem);
    const s = await started({
      backend: slow,
      limits: { concurrent: 2 },
      policy: {
        roles: { viewer: {} },
        authenticate: (req) => ({ id: String(req.headers['x-user'] ?? 'a'), roles: ['viewer'] }),
      },
    });
    const a1 = s.call(OVERDUE, { 'x-user': 'a' });
    const a2 = s.call({ ...OVERDUE, req: { metric: 'overdue_rate', params: { k: 2 } } }, { 'x-user': 'a' });
    await until(() => slow.started >= 2);
    const a3 = await s.call(
      { ...OVERDUE, req: { metric: 'overdue_rate', params: { k: 3 } } },
      { 'x-user': 'a' },
    );
    expect(a3.status).toBe(429);
    expect(err(a3.body)).toMatchObject({ code: 'rate_limited', details: { limit: 2 } });
    const b1 = s.call({ ...OVERDUE, req: { metric: 'overdue_rate', params: { k: 4 } } }, { 'x-user': 'b' });
    await until(() => slow.started >= 3);
    slow.release();
    expect((await a1).status).toBe(200);
    expect((await a2).status).toBe(200);
    expect((await b1).status).toBe(200);
    expect(s.audit.filter((e) => e.code === 'rate_limited').map((e) => e.principal)).toEqual(['a']);
  });

  it('shares one backend query between identical calls of one scope in flight', async () => {
    const mem = memoryBackend();
    await loadSample(mem);
    const slow = gatedBackend(mem);
    const s = await started({ backend: slow });
    const calls = Array.from({ length: 5 }, () => s.call(OVERDUE));
    const other = s.call({ op: 'query', req: { metric: 'overdue_rate', params: { k: 2 } } });
    await until(() => slow.started >= 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(slow.started).toBe(2); // five identical calls, one backend query; the other request its own
    slow.release();
    const answers = await Promise.all(calls);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => JSON.stringify(a.body['value']))).size).toBe(1);
    expect((await other).status).toBe(200);
    const ok = s.audit.filter((e) => e.outcome === 'ok' && JSON.stringify(e.filters) === '[]');
    expect(ok.filter((e) => e.cached).length).toBe(4);
  });

  it('answers backend_unavailable when the backend fails, without its internals', async () => {
    const mem = memoryBackend();
    const down: Backend = {
      ...mem,
      query: () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:9000 /var/lib/ch')),
    };
    const s = await started({ backend: down });
    const r = await s.call(OVERDUE);
    expect(r.status).toBe(503);
    expect(err(r.body).code).toBe('backend_unavailable');
    expect(r.text).not.toMatch(/10\.1\.2\.3|ECONNREFUSED|\/var/);
    expect(s.audit.at(-1)).toMatchObject({ outcome: 'error', code: 'backend_unavailable' });
    expect(s.audit.at(-1)!.reason).toMatch(/ECONNREFUSED/);
  });
});
