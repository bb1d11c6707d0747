/**
 * The remote engine in Chromium against the real finboard/server handler (served by the test
 * runner at /__finboard, scripts/wtr-finboard-server.mjs): a dashboard's widget queries go as
 * batches, their NDJSON lines (gzip, as the browser accepts it) settle each widget, and every
 * widget paints the server's numbers.
 */
import { expect } from '@open-wc/testing';
import '../../components/index.js';
import { collectionDashboard } from '../../src/dashboard/presets.js';
import { createEngine } from '../../src/engine/create.js';
import type { QueryRequest } from '../../src/engine/types.js';
import { settle, walk } from './reliability/helpers.js';
import type { AnyFin } from './reliability/helpers.js';

const URL_ = '/__finboard';
interface Stats {
  requests: number;
  calls: number;
  gzip: number;
}
const stats = async (): Promise<Stats> => (await (await fetch(`${URL_}/stats`)).json()) as Stats;

describe('the remote engine against the real server (Chromium)', () => {
  it('sends the queries of one task as one request and settles each from its line', async () => {
    const engine = createEngine({ placement: 'remote', url: URL_ });
    const reqs: QueryRequest[] = [
      { metric: 'overdue_rate', params: { k: 1 } },
      { metric: 'vintage', params: {} },
      { metric: 'overdue_rate', params: { k: 1 }, filters: [{ field: 'region', op: 'eq', value: '华东' }] },
      { metric: 'no_such_metric' },
    ];
    const before = await stats();
    const got = await Promise.all(reqs.map((r) => engine.query(r).catch((e: { code?: string }) => e.code)));
    const after = await stats();
    expect(after.requests - before.requests, 'HTTP requests').to.equal(1);
    expect(after.calls - before.calls, 'calls audited').to.equal(reqs.length);
    expect(after.gzip - before.gzip, 'the browser accepted gzip').to.equal(1);
    expect(got[3]).to.equal('unknown_metric');
    for (const r of got.slice(0, 3)) expect((r as { data: unknown[] }).data.length).to.be.greaterThan(0);
    // The same answers one call at a time.
    for (let i = 0; i < 3; i++) expect(JSON.stringify(await engine.query(reqs[i]!))).to.equal(JSON.stringify(got[i]));
  });

  it('a dashboard on the remote placement opens with batches and every widget paints', async () => {
    const before = await stats();
    const dash = document.createElement('fin-dashboard') as HTMLElement & { spec: unknown; isReady: boolean };
    dash.style.display = 'block';
    dash.style.width = '1200px';
    const spec = structuredClone(collectionDashboard) as { sample?: unknown; engine?: unknown };
    delete spec.sample;
    spec.engine = { placement: 'remote', url: URL_ };
    dash.spec = spec;
    document.body.append(dash);
    const t0 = performance.now();
    while (!dash.isReady && performance.now() - t0 < 60000) await new Promise((r) => setTimeout(r, 50));
    expect(dash.isReady).to.equal(true);
    const widgets = [...walk(dash.shadowRoot!)].filter((e) => e.localName.startsWith('fin-') && 'csv' in e) as AnyFin[];
    expect(widgets.length).to.be.greaterThan(5);
    for (const w of widgets) {
      await settle(w);
      expect(w.currentResult, `${w.localName} has the server's answer`).to.not.equal(null);
    }
    const after = await stats();
    const requests = after.requests - before.requests;
    const calls = after.calls - before.calls;
    expect(calls, 'calls').to.be.greaterThan(widgets.length - 1);
    expect(requests, `${requests} requests for ${calls} calls`).to.be.lessThan(calls / 2);
    dash.remove();
  });
});
