import { expect } from '@open-wc/testing';
import { createEngine } from '../../src/engine/create.js';
import type { QueryRequest } from '../../src/engine/types.js';

const REQUESTS: QueryRequest[] = [
  { metric: 'overdue_rate', params: { k: 1 } },
  { metric: 'roll_rate', params: {} },
  { metric: 'vintage', params: { threshold: 30 }, filters: [{ field: 'product', op: 'in', value: ['消费贷'] }] },
  { metric: 'rfm', source: 'transactions', params: {} },
  { metric: 'funnel', source: 'funnel_events', params: {} },
  { metric: 'heatmap', params: { preset: 'txn-weekday-hour' } },
];

describe('engine in a Web Worker', () => {
  it('gives the same results as the in-thread engine', async function () {
    this.timeout(60000);
    const local = createEngine();
    await local.loadSample({ customers: 200 });
    const worker = new Worker(new URL('../../src/engine/worker-entry.ts', import.meta.url), { type: 'module' });
    const remote = createEngine({ placement: 'worker', worker });
    await remote.loadSample({ customers: 200 });
    for (const req of REQUESTS) {
      const a = await local.query(req);
      const b = await remote.query(req);
      expect(a.data.length, req.metric).to.be.greaterThan(0);
      expect(JSON.parse(JSON.stringify(b)), req.metric).to.deep.equal(JSON.parse(JSON.stringify(a)));
    }
    let err: { code?: string } | null = null;
    try {
      await remote.query({ metric: 'no_such_metric' });
    } catch (e) {
      err = e as { code?: string };
    }
    expect(err?.code).to.equal('unknown_metric');
    remote.dispose();
  });

  it('rejects a superseded query with an aborted error', async function () {
    this.timeout(60000);
    const worker = new Worker(new URL('../../src/engine/worker-entry.ts', import.meta.url), { type: 'module' });
    const remote = createEngine({ placement: 'worker', worker });
    await remote.loadSample({ customers: 50 });
    const ac = new AbortController();
    const p = remote.query({ metric: 'overdue_rate' }, { signal: ac.signal });
    ac.abort();
    let code = '';
    try {
      await p;
    } catch (e) {
      code = (e as { code: string }).code;
    }
    expect(code).to.equal('aborted');
    remote.dispose();
  });
});
