/**
 * A cross-filter selection applies only to widgets where its field is the same column: a channel
 * picked in the collection dashboard's channel table (an action channel: phone, SMS…) filters the
 * widgets over collection actions, not the loan-month widgets (whose `channel` would be the loan's
 * origination channel and empty them).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/index.js';
import type { FinDashboard } from '../../components/dashboard/dashboard.js';
import { collectionDashboard } from '../../src/dashboard/presets.js';
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
