/**
 * A cross-filter selection applies only to widgets where its field is the same column: a channel
 * picked in the collection dashboard's channel table (an action channel: phone, SMS…) filters the
 * widgets over collection actions, not the loan-month widgets (whose `channel` would be the loan's
 * origination channel and empty them).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/index.js';
import type { FinDashboard } from '../../components/dashboard/dashboard.js';
import { collectionDashboard, retentionDashboard } from '../../src/dashboard/presets.js';
import { createEngine } from '../../src/engine/create.js';
import type { FilterClause } from '../../src/engine/types.js';
import { allSettled, dashboardWidgets, sleep } from './helpers.js';

describe('fin-dashboard selection scope', function () {
  this.timeout(120000);

  it('an action channel filters action widgets only; loan-month widgets keep their numbers', async () => {
    const engine = createEngine();
    const dash = await fixture<FinDashboard>(
      html`<fin-dashboard locale="en-US" .engine=${engine} .spec=${{ ...collectionDashboard, sample: { customers: 300 }, prepare: false }}></fin-dashboard>`,
    );
    const w = await dashboardWidgets(dash);
    await allSettled(w.values());
    const before = new Map([...w].map(([id, el]) => [id, JSON.stringify(el.currentResult?.data)]));
    expect(w.get('buckets')!.currentResult!.basis.source).to.equal('loan_months');
    expect(w.get('channels')!.currentResult!.basis.source).to.equal('collection_actions');

    const channels = await engine.query({ metric: 'distinct', source: 'collection_actions', params: { field: 'channel' } });
    const channel = String((channels.data[0] as { value: unknown }).value);
    const clause: FilterClause = { field: 'channel', op: 'eq', value: channel };
    (w.get('channels') as unknown as { select(c: FilterClause, l: string): void }).select(clause, channel);
    await dash.updateComplete;
    await sleep(100);
    await allSettled(w.values());
    expect(dash.selectionClauses).to.deep.equal({ channels: clause });

    const has = (id: string): boolean => (w.get(id)!.currentResult!.basis.filters ?? []).some((c) => c.field === 'channel');
    // collection-action widgets are filtered by the action channel …
    expect(has('collectors'), 'collectors').to.equal(true);
    expect(has('contact'), 'contact').to.equal(true);
    expect(JSON.stringify(w.get('collectors')!.currentResult!.data)).to.not.equal(before.get('collectors'));
    // … loan-month widgets are not, and keep exactly their numbers (not emptied by loans.channel)
    for (const id of ['kpi-overdue', 'buckets', 'rates', 'flows', 'rollrate', 'vintage']) {
      expect(has(id), id).to.equal(false);
      expect(JSON.stringify(w.get(id)!.currentResult!.data), id).to.equal(before.get(id));
    }
    dash.remove();
    engine.dispose();
  });
});

describe('fin-dashboard RFM segment selection', function () {
  this.timeout(120000);

  it('filters the other widgets on the segment customers, re-listed when the RFM filters change', async () => {
    const engine = createEngine();
    const dash = await fixture<FinDashboard>(
      html`<fin-dashboard locale="en-US" .engine=${engine} .spec=${{ ...retentionDashboard, sample: { customers: 300 }, prepare: false }}></fin-dashboard>`,
    );
    const w = await dashboardWidgets(dash);
    await allSettled(w.values());
    const rfm = w.get('rfm')!;
    const segRows = () => rfm.currentResult!.data as Array<{ segment: string; customers: number }>;
    const biggest = [...segRows()].sort((a, b) => b.customers - a.customers)[0]!;
    expect(biggest.customers).to.be.greaterThan(0);
    const volumeBefore = JSON.stringify(w.get('kpi-aum')!.currentResult!.data);

    const clause: FilterClause = { field: 'rfm_segment', op: 'eq', value: biggest.segment };
    (rfm as unknown as { select(c: FilterClause, l: string): void }).select(clause, biggest.segment);
    const members = (id: string): string[] | null => {
      const c = (w.get(id)!.currentResult?.basis.filters ?? []).find((f) => f.field === 'customer_id');
      return c && c.op === 'in' ? (c.value as string[]) : null;
    };
    for (let i = 0; i < 200 && !members('kpi-active'); i++) await sleep(50);
    await allSettled(w.values());
    expect(dash.selectionClauses).to.deep.equal({ rfm: clause });
    // Every transaction widget filters on exactly the segment's customers, as the RFM widget counts them.
    const ids = members('kpi-active')!;
    expect(ids).to.have.length(biggest.customers);
    const direct = await engine.query({ metric: 'rfm', params: { scheme: 'cn8', members: [biggest.segment] } });
    expect([...ids].sort()).to.deep.equal([...(direct.meta!['members'] as string[])].sort());
    for (const id of ['kpi-churn', 'kpi-aum', 'cohort', 'churn']) expect(members(id), id).to.deep.equal(ids);
    expect(JSON.stringify(w.get('kpi-aum')!.currentResult!.data)).to.not.equal(volumeBefore);
    // The RFM widget itself is not filtered by its own selection.
    expect(members('rfm')).to.equal(null);
    // A shared URL carries the segment, never the customer ids.
    const saved = location.href;
    try {
      (dash as unknown as { writeHash(): void }).writeHash();
      const hash = decodeURIComponent(location.hash);
      expect(hash).to.include(biggest.segment);
      expect(hash).to.not.include(ids[0]!);
      expect(hash.length).to.be.lessThan(400);
    } finally {
      history.replaceState(null, '', saved);
    }

    // A narrower date range re-scores the customers: the members are listed again.
    const sel = dash.shadowRoot!.querySelector('fin-filter-bar')!.shadowRoot!.querySelector('select')!;
    sel.value = 'last-3-months';
    sel.dispatchEvent(new Event('change'));
    const narrowed = async (): Promise<number> => {
      const row = segRows().find((r) => r.segment === biggest.segment);
      return row ? row.customers : 0;
    };
    let want = -1;
    for (let i = 0; i < 200; i++) {
      await sleep(50);
      if ((rfm.currentResult?.basis.filters ?? []).some((f) => f.op === 'range')) {
        want = await narrowed();
        if (members('kpi-active')?.length === want) break;
      }
    }
    await allSettled(w.values());
    expect(want).to.not.equal(-1);
    expect(members('kpi-active')).to.have.length(await narrowed());

    // Cleared: nobody filters on the customers any more.
    dash.clearSelection('rfm');
    for (let i = 0; i < 200 && members('kpi-active'); i++) await sleep(50);
    await allSettled(w.values());
    for (const id of ['kpi-active', 'kpi-aum', 'cohort', 'churn']) expect(members(id), id).to.equal(null);
    dash.remove();
    engine.dispose();
  });

  it('a segment whose members cannot be listed: fin-error, the chip stays, nothing is filtered', async () => {
    const engine = createEngine();
    const query = engine.query.bind(engine);
    engine.query = (req, opts) =>
      (req.params as { members?: unknown } | undefined)?.members
        ? Promise.reject(Object.assign(new Error('members exploded'), { code: 'compute_failed' }))
        : query(req, opts);
    const dash = await fixture<FinDashboard>(
      html`<fin-dashboard locale="en-US" .engine=${engine} .spec=${{ ...retentionDashboard, sample: { customers: 300 }, prepare: false }}></fin-dashboard>`,
    );
    const errors: Array<{ code: string; message: string; details?: Record<string, unknown> }> = [];
    dash.addEventListener('fin-error', (e) => errors.push((e as CustomEvent).detail));
    const w = await dashboardWidgets(dash);
    await allSettled(w.values());
    const clause: FilterClause = { field: 'rfm_segment', op: 'eq', value: 'important_value' };
    (w.get('rfm') as unknown as { select(c: FilterClause, l: string): void }).select(clause, 'Important value');
    for (let i = 0; i < 100 && !errors.length; i++) await sleep(50);
    await dash.updateComplete;
    await allSettled(w.values());
    expect(errors).to.have.length(1);
    expect(errors[0]!.code).to.equal('compute_failed');
    expect(errors[0]!.message).to.contain('members exploded');
    expect(errors[0]!.details!['widget']).to.equal('rfm');
    expect(dash.selectionClauses).to.deep.equal({ rfm: clause });
    for (const [id, el] of w) {
      expect((el.currentResult?.basis.filters ?? []).some((f) => f.field === 'customer_id' || f.field === 'rfm_segment'), id).to.equal(false);
      expect(el.renderState, id).to.be.oneOf(['ok', 'partial', 'empty']);
    }
    dash.remove();
    engine.dispose();
  });
});
