import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine/create.js';
import type { FinEngine } from '../../../src/engine/create.js';
import { FinError } from '../../../src/engine/errors.js';
import { LocalEngine, wrap } from '../../../src/engine/local.js';
import { metricIds } from '../../../src/engine/metrics/index.js';
import { createHandler } from '../../../src/server.js';
import type { QueryRequest } from '../../../src/engine/types.js';

/** Requests that exercise every dataset; the same JSON must give the same JSON everywhere. */
const REQUESTS: QueryRequest[] = [
  { metric: 'overdue_rate', params: { k: 1 } },
  { metric: 'overdue_rate', params: { k: 3, lag: 1, measure: 'count' }, filters: [{ field: 'region', op: 'in', value: ['华东'] }] },
  { metric: 'bucket_trend', params: {} },
  { metric: 'flow_rate', params: {} },
  { metric: 'roll_rate', params: {} },
  { metric: 'vintage', params: { threshold: 30 } },
  { metric: 'entry_rate', params: {} },
  { metric: 'cure_rate', params: {} },
  { metric: 'collector_performance', source: 'collection_actions', params: {} },
  { metric: 'channel_effectiveness', source: 'collection_actions', params: {} },
  { metric: 'heatmap', params: { preset: 'contact-rate-weekday-hour' } },
  { metric: 'funnel', source: 'funnel_events', params: {} },
  { metric: 'cohort', source: 'transactions', params: {} },
  { metric: 'rfm', source: 'transactions', params: {} },
  { metric: 'sankey', source: 'transactions', params: {} },
  { metric: 'fund_flow', source: 'transactions', params: {} },
  { metric: 'txn_alerts', source: 'transactions', params: {} },
  { metric: 'kpi', source: 'transactions', params: { measure: { agg: 'sum', field: 'amount' } } },
];

describe('engine placements', () => {
  let local: FinEngine;
  let server: http.Server;
  let remote: FinEngine;

  beforeAll(async () => {
    local = createEngine();
    await local.loadSample({ customers: 300 });
    // The operator's test server: clients may load the sample and receive detail lists (alerts).
    server = http.createServer(createHandler({ allow: ['query', 'distinct', 'datasets', 'loadSample'], anonymous: { detail: true } }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    remote = createEngine({ placement: 'remote', url });
    await remote.loadSample({ customers: 300 });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('knows every metric of METRICS.md', () => {
    const ids = metricIds();
    for (const m of ['kpi', 'heatmap', 'funnel', 'cohort', 'dpd_buckets', 'bucket_trend', 'overdue_rate', 'flow_rate', 'roll_rate', 'vintage', 'entry_rate', 'cure_rate', 'repayment_rate', 'collector_performance', 'channel_effectiveness', 'rfm', 'churn', 'fund_flow', 'sankey', 'txn_alerts']) {
      expect(ids).toContain(m);
    }
  });

  it.each(REQUESTS.map((r) => [r.metric + (r.filters ? '+filter' : ''), r] as const))('%s: in-thread and Node handler agree', async (_n, req) => {
    const a = await local.query(req);
    const b = await remote.query(req);
    expect(a.data.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(a))).toEqual(b);
  });

  it('applies filters through joins and records unapplicable ones in the basis', async () => {
    const all = await local.query({ metric: 'overdue_rate', params: {} });
    const east = await local.query({ metric: 'overdue_rate', params: {}, filters: [{ field: 'region', op: 'in', value: ['华东'] }] });
    expect(east.basis.filters).toEqual([{ field: 'region', op: 'in', value: ['华东'] }]);
    expect(JSON.stringify(east.data)).not.toEqual(JSON.stringify(all.data));
    const odd = await local.query({ metric: 'overdue_rate', params: {}, filters: [{ field: 'no_such_field', op: 'eq', value: 1 }] });
    expect(JSON.stringify(odd.basis.notes)).toContain('no_such_field');
    expect(odd.data).toEqual(all.data);
  });

  it('raises typed errors that survive the remote transport', async () => {
    await expect(local.query({ metric: 'nope' })).rejects.toMatchObject({ code: 'unknown_metric' });
    await expect(remote.query({ metric: 'nope' })).rejects.toBeInstanceOf(FinError);
    await expect(remote.query({ metric: 'nope' })).rejects.toMatchObject({ code: 'unknown_metric' });
    const empty = new LocalEngine();
    await expect(empty.query({ metric: 'overdue_rate' })).rejects.toMatchObject({ code: 'missing_dataset' });
  });

  it('turns a CSP eval refusal into csp_eval_blocked naming the fix', () => {
    const e = wrap(new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source"));
    expect(e.code).toBe('csp_eval_blocked');
    expect(e.message).toMatch(/worker/);
    expect(e.message).toMatch(/remote/);
  });

  it('serves a repeated request from its cache and drops the cache on load', async () => {
    const e = new LocalEngine();
    await e.load('loan_months', [{ loan_id: 'A', snapshot_date: '2024-01-31', outstanding: 100, dpd: 0 }]);
    const a = e.querySync({ metric: 'overdue_rate', params: {} });
    expect(e.querySync({ metric: 'overdue_rate', params: {} })).toBe(a);
    await e.load('loan_months', [{ loan_id: 'A', snapshot_date: '2024-01-31', outstanding: 100, dpd: 45 }]);
    const b = e.querySync({ metric: 'overdue_rate', params: {} });
    expect(b).not.toBe(a);
    expect((b.data[0] as { rate: number }).rate).toBe(1);
    expect((a.data[0] as { rate: number }).rate).toBe(0);
  });
});
