/**
 * finboard/server policy over real HTTP: authentication (401), a collector-team role that sees only
 * its region (forced row filters that client filters narrow but never widen, also through joined
 * fields and `in` lists, and refused where they cannot apply), dataset/metric allowlists, detail
 * lists and unmasking by permission, hostile strings, and the result cache per policy scope.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterClause, MetricResult, QueryRequest } from '../../../src/engine/types.js';
import { createEngine } from '../../../src/engine/create.js';
import { watermarkOf } from '../../../src/server/policy.js';
import { memoryBackend, policyFromJSON } from '../../../src/server.js';
import type { PolicyJSON } from '../../../src/server.js';
import { XSS_PAYLOADS } from '../../fixtures/xss.js';
import { err, loadSample, serve } from './helpers.js';
import type { Served } from './helpers.js';

const sha = (t: string): string => 'sha256:' + createHash('sha256').update(t).digest('hex');
const EAST: FilterClause = { field: 'region', op: 'eq', value: '华东' };

const POLICY: PolicyJSON = {
  tokens: {
    [sha('tok-east')]: { id: 'c-east', roles: ['collector'], attributes: { region: '华东' } },
    [sha('tok-east-2')]: { id: 'c-east-2', roles: ['collector'], attributes: { region: '华东' } },
    [sha('tok-north')]: { id: 'c-north', roles: ['collector'], attributes: { region: '华北' } },
    [sha('tok-noregion')]: { id: 'c-none', roles: ['collector'] },
    [sha('tok-viewer')]: { id: 'viewer', roles: ['viewer'] },
    [sha('tok-analyst')]: { id: 'analyst', roles: ['analyst'] },
    [sha('tok-compliance')]: { id: 'compliance', roles: ['compliance'] },
    [sha('tok-op')]: { id: 'op', roles: ['operator'] },
    [sha('tok-ghost')]: { id: 'ghost', roles: ['no_such_role'] },
    [sha('tok-kpi')]: { id: 'kpi-only', roles: ['kpi_viewer'] },
    [sha('tok-dash')]: { id: 'dash-east', roles: ['dashboard'], attributes: { region: '华东' } },
  },
  roles: {
    collector: {
      datasets: ['loan_months', 'loans', 'customers', 'collection_actions', 'funnel_events'],
      metrics: ['overdue_rate', 'bucket_trend', 'collector_performance', 'distinct', 'funnel', 'txn_alerts'],
      rowFilters: [{ field: 'region', op: 'eq', value: '$principal.region' }],
    },
    viewer: {},
    analyst: { detail: true },
    compliance: { detail: true, unmask: true },
    operator: { operations: ['load', 'loadSample', 'unload'] },
    kpi_viewer: { metrics: ['kpi'] },
    dashboard: {
      operations: ['prepare'],
      metrics: ['overdue_rate'],
      rowFilters: [{ field: 'region', op: 'in', value: ['$principal.region'] }],
    },
  },
};
const as = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

let s: Served;
const local = memoryBackend();
const localData = (req: QueryRequest): Promise<unknown[]> => local.query(req).then((r) => r.data);
const value = (b: Record<string, unknown>): MetricResult => b['value'] as MetricResult;

beforeAll(async () => {
  const backend = memoryBackend();
  await loadSample(backend, { unmask: true });
  await loadSample(local, { unmask: true });
  s = await serve({ backend, policy: policyFromJSON(POLICY) });
});
afterAll(() => s.close());

describe('authentication', () => {
  it('answers 401 without a known bearer token and audits the refusal', async () => {
    for (const h of [{}, as('nope'), { authorization: 'Basic dG9rLWVhc3Q=' }, as('tok-east tok-east')]) {
      const r = await s.call({ op: 'datasets' }, h);
      expect(r.status).toBe(401);
      expect(err(r.body).code).toBe('unauthorized');
    }
    expect(
      s.audit
        .slice(-4)
        .every((e) => e.outcome === 'denied' && e.principal === null && e.code === 'unauthorized'),
    ).toBe(true);
    // A principal whose roles are unknown gets nothing.
    expect((await s.call({ op: 'datasets' }, as('tok-ghost'))).status).toBe(403);
  });
});

describe('session and watermark', () => {
  it('tells each principal who it is, with the watermark text and its rights', async () => {
    const r = await s.call({ op: 'session' }, as('tok-east'));
    expect(r.status).toBe(200);
    const v = r.body['value'] as {
      principal: { id: string };
      watermark: string;
      operations: string[];
      detail: boolean;
    };
    expect(v.principal.id).toBe('c-east');
    expect(v.watermark).toMatch(/^c-east \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(v.operations).not.toContain('load');
    expect(v.detail).toBe(false);
    expect(s.audit.at(-1)).toMatchObject({ op: 'session', principal: 'c-east', outcome: 'ok' });
    // A remote engine reads it the same way.
    const remote = createEngine({ placement: 'remote', url: s.url, headers: as('tok-analyst') });
    expect(await remote.session!()).toMatchObject({ principal: { id: 'analyst' }, detail: true });
    expect((await s.call({ op: 'session' })).status).toBe(401);
  });

  it('formats the default watermark in the policy time zone and turns it off when the policy says so', () => {
    const p = { id: 'zhang.san', name: '张三', roles: ['r'] };
    const at = new Date('2026-12-05T16:30:00Z');
    expect(watermarkOf(p, { roles: { r: {} } }, at)).toBe('张三 zhang.san 2026-12-06 00:30');
    expect(watermarkOf(p, { roles: { r: {} }, timeZone: 'UTC' }, at)).toBe('张三 zhang.san 2026-12-05 16:30');
    expect(watermarkOf(p, { roles: { r: {} }, watermark: false }, at)).toBeNull();
    expect(watermarkOf(p, { roles: { r: { watermark: false } } }, at)).toBeNull();
    expect(
      watermarkOf({ ...p, roles: ['r', 'q'] }, { roles: { r: { watermark: false }, q: {} } }, at),
    ).not.toBeNull();
    expect(watermarkOf(p, { roles: { r: {} }, watermark: (x) => `内部资料 ${x.id}` }, at)).toBe(
      '内部资料 zhang.san',
    );
  });
});

describe('a collector team sees only its region', () => {
  const Q = { metric: 'overdue_rate', params: { k: 1 } };

  it('forces the region into every query', async () => {
    const r = await s.call({ op: 'query', req: Q }, as('tok-east'));
    expect(r.status).toBe(200);
    expect(value(r.body).data).toEqual(await localData({ ...Q, filters: [EAST] }));
    expect(value(r.body).data).not.toEqual(await localData(Q));
    expect(value(r.body).basis.filters).toEqual([EAST]);
    expect(s.audit.at(-1)).toMatchObject({
      principal: 'c-east',
      op: 'query',
      metric: 'overdue_rate',
      filters: [EAST],
      outcome: 'ok',
    });
    expect(s.audit.at(-1)!.rows).toBe(value(r.body).data.length);
  });

  it('lets client filters narrow, never widen (eq, in lists, other regions, joined fields)', async () => {
    const wider = await s.call(
      {
        op: 'query',
        req: { ...Q, filters: [{ field: 'region', op: 'in', value: ['华东', '华北', '华南'] }] },
      },
      as('tok-east'),
    );
    expect(value(wider.body).data).toEqual(await localData({ ...Q, filters: [EAST] }));
    const other = await s.call(
      { op: 'query', req: { ...Q, filters: [{ field: 'region', op: 'eq', value: '华北' }] } },
      as('tok-east'),
    );
    expect(value(other.body).quality.rows).toBe(0);
    const range = await s.call(
      { op: 'query', req: { ...Q, filters: [{ field: 'region', op: 'range', value: [null, null] }] } },
      as('tok-east'),
    );
    expect(value(range.body).data).toEqual(await localData({ ...Q, filters: [EAST] }));
    const product: FilterClause = { field: 'product', op: 'in', value: ['消费贷'] };
    const joined = await s.call({ op: 'query', req: { ...Q, filters: [product] } }, as('tok-east'));
    expect(value(joined.body).data).toEqual(await localData({ ...Q, filters: [EAST, product] }));
    const d = await s.call(
      { op: 'distinct', req: { source: 'loan_months', field: 'region' } },
      as('tok-east'),
    );
    expect(value(d.body).data.map((x) => x['value'])).toEqual(['华东']);
    const north = await s.call(
      { op: 'distinct', req: { source: 'customers', field: 'region' } },
      as('tok-north'),
    );
    expect(value(north.body).data.map((x) => x['value'])).toEqual(['华北']);
  });

  it('refuses a query whose data cannot carry the region instead of dropping the filter', async () => {
    const r = await s.call(
      { op: 'query', req: { metric: 'funnel', source: 'funnel_events' } },
      as('tok-east'),
    );
    expect(r.status).toBe(403);
    expect(err(r.body).code).toBe('forbidden');
    expect(s.audit.at(-1)).toMatchObject({ outcome: 'denied', code: 'forbidden', filters: [EAST] });
    // …while the same query without a row filter runs.
    expect(
      (await s.call({ op: 'query', req: { metric: 'funnel', source: 'funnel_events' } }, as('tok-viewer')))
        .status,
    ).toBe(200);
    // A principal missing the attribute its row filter needs is refused everything.
    expect((await s.call({ op: 'query', req: Q }, as('tok-noregion'))).status).toBe(403);
  });

  it('allows only the role’s datasets and metrics', async () => {
    const m = await s.call({ op: 'query', req: { metric: 'vintage' } }, as('tok-east'));
    expect(m.status).toBe(403);
    expect(s.audit.at(-1)!.reason).toMatch(/metric vintage not allowed/);
    const d = await s.call(
      { op: 'distinct', req: { source: 'transactions', field: 'channel' } },
      as('tok-east'),
    );
    expect(d.status).toBe(403);
    const list = await s.call({ op: 'datasets' }, as('tok-east'));
    expect((list.body['value'] as Array<{ name: string }>).map((x) => x.name).sort()).toEqual([
      'collection_actions',
      'customers',
      'funnel_events',
      'loan_months',
      'loans',
    ]);
    expect((await s.call({ op: 'load', name: 'loans', input: [] }, as('tok-east'))).status).toBe(403);
  });
});

describe('composite and pre-aggregating calls obey the same rules', () => {
  it('checks the metric a KPI series runs', async () => {
    const kpi = {
      metric: 'kpi',
      source: 'transactions',
      params: { measure: { agg: 'sum', field: 'amount' } },
    };
    expect((await s.call({ op: 'query', req: kpi }, as('tok-kpi'))).status).toBe(200);
    const series = { metric: 'kpi', params: { series: { metric: 'vintage', params: {} } } };
    const r = await s.call({ op: 'query', req: series }, as('tok-kpi'));
    expect(r.status).toBe(403);
    expect(s.audit.at(-1)!.reason).toMatch(/metric vintage not allowed/);
    const alerts = { metric: 'kpi', params: { series: { metric: 'txn_alerts', source: 'transactions' } } };
    expect((await s.call({ op: 'query', req: alerts }, as('tok-viewer'))).status).toBe(403);
  });

  it('builds a cross-filter cube only for roles allowed to, under their row filters', async () => {
    const req = { metric: 'overdue_rate', params: { k: 1 } };
    const prep = {
      op: 'prepare',
      opts: { dimensions: ['product'], requests: [req], maxDims: 9, maxCombos: 1e9 },
    };
    expect((await s.call(prep, as('tok-east'))).status).toBe(403);
    const built = await s.call(prep, as('tok-dash'));
    expect(built.status).toBe(200);
    expect((built.body['value'] as { cells: number }).cells).toBeGreaterThan(0);
    const IN_EAST: FilterClause = { field: 'region', op: 'in', value: ['华东'] };
    const product: FilterClause = { field: 'product', op: 'in', value: ['消费贷'] };
    const r = await s.call({ op: 'query', req: { ...req, filters: [product] } }, as('tok-dash'));
    expect(value(r.body).data).toEqual(await localData({ ...req, filters: [IN_EAST, product] }));
    const bad = await s.call(
      { op: 'prepare', opts: { dimensions: ['product'], requests: [{ metric: 'vintage' }] } },
      as('tok-dash'),
    );
    expect(bad.status).toBe(403);
  });
});

describe('detail lists and unmasking need permissions', () => {
  it('refuses detail lists without the detail permission', async () => {
    const denied = [
      { op: 'query', req: { metric: 'txn_alerts', source: 'transactions' } },
      { op: 'query', req: { metric: 'rfm', source: 'transactions', params: { includeCustomers: true } } },
      { op: 'query', req: { metric: 'rfm', source: 'transactions', params: { members: ['champions'] } } },
      {
        op: 'query',
        req: {
          metric: 'heatmap',
          source: 'transactions',
          params: { x: { field: 'customer_id' }, y: { field: 'channel' } },
        },
      },
      { op: 'distinct', req: { source: 'customers', field: 'customer_id' } },
      { op: 'distinct', req: { source: 'customers', field: 'phone' } },
      { op: 'query', req: { metric: 'distinct', source: 'customers', params: { field: 'name' } } },
    ];
    for (const call of denied) {
      const r = await s.call(call, as('tok-viewer'));
      expect(r.status, JSON.stringify(call)).toBe(403);
      expect(s.audit.at(-1)!.reason).toMatch(/detail/);
    }
    const rfm = await s.call(
      { op: 'query', req: { metric: 'rfm', source: 'transactions' } },
      as('tok-viewer'),
    );
    expect(rfm.status).toBe(200);
    const alerts = await s.call(denied[0]!, as('tok-analyst'));
    expect(alerts.status).toBe(200);
    const customers = await s.call(denied[1]!, as('tok-analyst'));
    expect((value(customers.body).meta!['customers'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('masks PII for principals without unmask, and only unmasks with it', async () => {
    const raw = (await local.distinct({ source: 'customers', field: 'phone', order: 'value' })).data.map(
      (r) => r['value'] as string,
    );
    expect(raw.some((p) => !p.includes('*'))).toBe(true); // loaded unmasked on the server
    const call = { op: 'distinct', req: { source: 'customers', field: 'phone', order: 'value' } };
    const masked = value((await s.call(call, as('tok-analyst'))).body).data.map((r) => r['value'] as string);
    expect(masked.length).toBe(raw.length);
    expect(masked.every((p) => /^\d{3}\*{4}\d{4}$/.test(p))).toBe(true);
    const clear = value((await s.call(call, as('tok-compliance'))).body).data.map((r) => r['value']);
    expect(clear).toEqual(raw);
    const names = await s.call(
      { op: 'query', req: { metric: 'distinct', source: 'customers', params: { field: 'name', limit: 50 } } },
      as('tok-analyst'),
    );
    expect(value(names.body).data.every((r) => String(r['value']).includes('*'))).toBe(true);
  });
});

describe('PII carried under other keys is masked without unmask', () => {
  // The server holds the data unmasked; an analyst (detail, no unmask) asks for answers whose
  // labels are a PII field's values: a breakdown by name, heatmap axes and an RFM list by account.
  const CASES: Array<{ req: QueryRequest; pick: (r: MetricResult) => unknown[] }> = [
    {
      req: { metric: 'overdue_rate', params: { by: 'name' } },
      pick: (r) => r.data.map((x) => x['group']).filter((g) => g !== null),
    },
    {
      req: {
        metric: 'heatmap',
        source: 'transactions',
        params: { x: { field: 'account_no' }, y: { field: 'channel' } },
      },
      pick: (r) => [...r.data.map((x) => x['x']), ...((r.meta?.['xDomain'] as unknown[]) ?? [])],
    },
    {
      req: {
        metric: 'rfm',
        source: 'transactions',
        params: { entity: 'account_no', includeCustomers: true },
      },
      pick: (r) =>
        ((r.meta?.['customers'] as Array<Record<string, unknown>>) ?? []).map((c) => c['customer_id']),
    },
    {
      // A model's scored entities named by a PII field, listed unmasked by the engine (maskIds).
      req: {
        metric: 'score',
        source: 'transactions',
        params: {
          label: 'cross_border',
          features: ['amount', 'cash'],
          idField: 'account_no',
          includeScores: true,
          maskIds: false,
          limit: 40,
        },
      },
      pick: (r) => ((r.meta?.['scores'] as Array<Record<string, unknown>>) ?? []).map((c) => c['id']),
    },
  ];
  for (const c of CASES)
    it(`${c.req.metric} ${JSON.stringify(c.req.params)}`, async () => {
      const raw = c.pick(await local.query(c.req)).map(String);
      expect(raw.length).toBeGreaterThan(0);
      expect(raw.some((v) => !v.includes('*'))).toBe(true);
      const analyst = await s.call({ op: 'query', req: c.req }, as('tok-analyst'));
      expect(analyst.status).toBe(200);
      const masked = c.pick(value(analyst.body)).map(String);
      expect(masked.length).toBe(raw.length);
      expect(masked.every((v) => v.includes('*'))).toBe(true);
      const compliance = await s.call({ op: 'query', req: c.req }, as('tok-compliance'));
      expect(c.pick(value(compliance.body)).map(String)).toEqual(raw);
    });
});

describe('hostile strings', () => {
  const HOSTILE = [
    ...XSS_PAYLOADS.map((p) => p.text),
    "华东' OR '1'='1",
    '华东"; DROP TABLE loans; --',
    "') UNION SELECT name, phone FROM customers --",
    '../../../../etc/passwd',
    'region\u0000',
  ];

  it('never widens, errors out or echoes them (filters, params, fields, datasets, metrics)', async () => {
    let calls = 0;
    for (const h of HOSTILE) {
      const probes = [
        { op: 'query', req: { metric: 'overdue_rate', filters: [{ field: 'region', op: 'eq', value: h }] } },
        {
          op: 'query',
          req: { metric: 'overdue_rate', filters: [{ field: 'region', op: 'in', value: [h, '华北'] }] },
        },
        { op: 'query', req: { metric: 'overdue_rate', filters: [{ field: h, op: 'eq', value: '华北' }] } },
        { op: 'query', req: { metric: 'overdue_rate', params: { k: h, [h]: h } } },
        { op: 'query', req: { metric: h } },
        { op: 'query', req: { metric: 'overdue_rate', source: h } },
        { op: 'distinct', req: { source: h, field: 'region' } },
        { op: 'distinct', req: { source: 'loans', field: h } },
      ];
      for (const p of probes) {
        const r = await s.call(p, as('tok-east'));
        calls++;
        expect([200, 400, 403, 422]).toContain(r.status);
        if (r.status === 200 && p.op === 'query') {
          // Whatever the client sent, nothing outside 华东 is counted.
          const got = value(r.body);
          const east = await local.query({ metric: 'overdue_rate', params: {}, filters: [EAST] });
          expect(got.quality.rows).toBeLessThanOrEqual(east.quality.rows);
        } else if (r.status !== 200) {
          expect(err(r.body).message).not.toContain(h);
        }
      }
    }
    expect(calls).toBe(HOSTILE.length * 8);
    expect(
      s.audit.filter(
        (e) =>
          e.principal === 'c-east' &&
          (e.filters?.[0] as FilterClause | undefined)?.value !== '华东' &&
          e.filters,
      ),
    ).toEqual([]);
  });
});

describe('result cache per policy scope', () => {
  it('shares answers between principals of one scope only, and drops them on load', async () => {
    const req = { op: 'query', req: { metric: 'bucket_trend', params: {} } };
    const a = await s.call(req, as('tok-east'));
    expect(s.audit.at(-1)!.cached).toBe(false);
    const a2 = await s.call(req, as('tok-east-2'));
    expect(s.audit.at(-1)).toMatchObject({ principal: 'c-east-2', cached: true });
    expect(a2.body['value']).toEqual(a.body['value']);
    const n = await s.call(req, as('tok-north'));
    expect(s.audit.at(-1)!.cached).toBe(false);
    expect(value(n.body).data).not.toEqual(value(a.body).data);
    const op = await s.call(
      {
        op: 'load',
        name: 'loan_months',
        input: [{ loan_id: 'L-only', snapshot_date: '2026-10-31', outstanding: 5, dpd: 0 }],
      },
      as('tok-op'),
    );
    expect(op.status).toBe(200);
    const after = await s.call(req, as('tok-east'));
    expect(s.audit.at(-1)!.cached).toBe(false);
    expect(value(after.body).data).not.toEqual(value(a.body).data);
    await s.call(req, as('tok-east'));
    expect(s.audit.at(-1)!.cached).toBe(true);
    // A load by the host's own code (not over HTTP) invalidates too: keys carry the data version.
    await s.backend.load('loan_months', [
      { loan_id: 'L-2', snapshot_date: '2026-09-30', outstanding: 5, dpd: 40 },
    ]);
    await s.call(req, as('tok-east'));
    expect(s.audit.at(-1)!.cached).toBe(false);
  });
});
