/**
 * The short version of `npm run bench:warehouse`'s viewers run: many principals open the
 * collection dashboard over HTTP against the DuckDB backend and click a filter; every answer is
 * 200, the backend runs each distinct (scope, request) once (the cache is per effective policy
 * scope + request), and a role with a row filter never receives another scope's cached answer.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInput } from '../../../src/data/ingest.js';
import { generateSample } from '../../../src/data/sample.js';
import type { QueryRequest } from '../../../src/engine/types.js';
import type { AuditEvent, FinHandler } from '../../../src/server.js';
import { createHandler } from '../../../src/server.js';
import { duckdbBackend } from '../../../src/server/duckdb.js';
import type { Policy } from '../../../src/server/policy.js';
import { dashboardRequests } from '../../../bench/lib/collection.js';

const POLICY: Policy = {
  authenticate: (req) => {
    const m = /^Bearer (v|east)(\d+)$/.exec(String(req.headers.authorization ?? ''));
    if (!m) return null;
    return m[1] === 'v' ? { id: `v${m[2]}`, roles: ['viewer'] } : { id: `east${m[2]}`, roles: ['east'] };
  },
  roles: { viewer: {}, east: { rowFilters: [{ field: 'region', op: 'eq', value: '华东' }] } },
};

describe('simulated viewers against DuckDB behind the handler', () => {
  let handler: FinHandler;
  let srv: http.Server;
  let url = '';
  const audit: AuditEvent[] = [];
  let open: QueryRequest[] = [];
  let click: QueryRequest[] = [];
  beforeAll(async () => {
    const s = generateSample({ customers: 300, seed: 9 });
    const backend = await duckdbBackend();
    for (const name of ['customers', 'loans', 'loan_months', 'collection_actions'] as const)
      await backend.load(name, s[name] as IngestInput);
    // The dashboard's queries the SQL backend answers today (the others are `unsupported`).
    const strip = ({ widget: _w, ...r }: QueryRequest & { widget: string }): QueryRequest => r;
    const all = dashboardRequests().map(strip);
    const ok = await Promise.all(
      all.map((r) =>
        backend.query(r).then(
          () => true,
          () => false,
        ),
      ),
    );
    open = all.filter((_, i) => ok[i]);
    click = dashboardRequests(undefined, [{ field: 'product', op: 'in', value: ['消费贷'] }])
      .map(strip)
      .filter((_, i) => ok[i]);
    handler = createHandler({
      backend,
      policy: POLICY,
      audit: (e) => audit.push(e),
      limits: { concurrent: 64 },
    });
    srv = http.createServer(handler);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/`;
  }, 60_000);
  afterAll(async () => {
    srv?.close();
    await handler?.close();
  });

  it('120 viewers and 10 regional collectors open and click: all 200, one backend run per scope and request', async () => {
    expect(open.length).toBeGreaterThanOrEqual(5);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const post = (
      token: string,
      req: QueryRequest,
    ): Promise<{ status: number; body: { value?: { data: unknown } } }> =>
      new Promise((resolve, reject) => {
        const body = JSON.stringify({ id: 1, call: { op: 'query', req } });
        const r = http.request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          },
          (res) => {
            let t = '';
            res.on('data', (d: Buffer) => (t += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(t) as never }));
          },
        );
        r.on('error', reject);
        r.end(body);
      });
    const tokens = [
      ...Array.from({ length: 120 }, (_, i) => `v${i}`),
      ...Array.from({ length: 10 }, (_, i) => `east${i}`),
    ];
    const statuses: number[] = [];
    const answers = new Map<string, string>();
    // Viewers arrive in waves of 40 (open, then click), like a morning's logins.
    for (let w = 0; w < tokens.length; w += 40) {
      await Promise.all(
        tokens.slice(w, w + 40).map(async (t) => {
          for (const reqs of [open, click])
            for (const res of await Promise.all(reqs.map((r) => post(t, r)))) statuses.push(res.status);
          const first = await post(t, open[0]!);
          answers.set(t.replace(/\d+$/, ''), JSON.stringify(first.body.value?.data));
        }),
      );
    }
    agent.destroy();
    expect(statuses.length).toBe(tokens.length * (open.length + click.length));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // Each distinct (scope, request) ran on the backend at most a few times (concurrent misses
    // are coalesced); everything else came from the cache.
    const queries = audit.filter((e) => e.op === 'query');
    const ran = queries.filter((e) => !e.cached).length;
    const distinct = 2 * (open.length + click.length);
    expect(ran).toBeGreaterThanOrEqual(distinct);
    expect(ran).toBeLessThanOrEqual(distinct * 2);
    expect(queries.filter((e) => e.cached).length).toBeGreaterThan(queries.length * 0.9);
    // The regional scope got its own (narrower) answers, never the viewers' cached ones.
    expect(answers.get('east')).not.toEqual(answers.get('v'));
    expect(
      queries
        .filter((e) => e.principal?.startsWith('east'))
        .every((e) => JSON.stringify(e.filters).includes('华东')),
    ).toBe(true);
  }, 60_000);
});
