/**
 * <fin-dashboard> moved in the DOM (frameworks re-parent elements): the disconnect disposes its own
 * engine, and reconnecting loads again, so the widgets come back with the same numbers.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/index.js';
import type { FinDashboard } from '../../components/dashboard/dashboard.js';
import type { FinElement } from '../../components/base/fin-element.js';
import { retentionDashboard } from '../../src/dashboard/presets.js';
import { allSettled, dashboardWidgets, sleep } from './helpers.js';

async function kpis(dash: FinDashboard): Promise<string[]> {
  const els = [...(await dashboardWidgets(dash)).values()].filter((e) => e.localName === 'fin-kpi-card');
  await allSettled(els);
  expect(els.map((e) => e.renderState)).to.deep.equal(els.map(() => 'ok'));
  return els.map((e) => JSON.stringify(e.currentResult?.data));
}

describe('fin-dashboard lifecycle', function () {
  this.timeout(120000);

  it('reloads when re-attached after a move, with the same numbers', async () => {
    const host = await fixture<HTMLDivElement>(html`<div><section></section></div>`);
    const dash = document.createElement('fin-dashboard') as FinDashboard;
    dash.locale = 'en-US';
    dash.spec = { ...retentionDashboard, sample: { customers: 200 }, prepare: false };
    host.append(dash);
    const first = await kpis(dash);
    expect(first.length).to.be.greaterThan(0);
    expect(first.every((d) => d !== undefined && d !== '[]')).to.equal(true);
    // move it: disconnect + connect
    host.querySelector('section')!.append(dash);
    const again = await kpis(dash);
    expect(again).to.deep.equal(first);
    // and it still answers: a new date range re-queries every widget on a live engine
    const sel = dash.shadowRoot!.querySelector('fin-filter-bar')!.shadowRoot!.querySelector('select')!;
    sel.value = [...sel.options].map((o) => o.value).find((v) => v !== sel.value)!;
    sel.dispatchEvent(new Event('change'));
    await sleep(200);
    const cards = [...dash.shadowRoot!.querySelectorAll<FinElement>('fin-kpi-card')];
    for (let i = 0; i < 600 && cards.some((e) => e.renderState === 'loading'); i++) await sleep(50);
    // answered (a short range may leave a card empty), not idle on a disposed engine
    for (const e of cards) expect(['ok', 'empty']).to.include(e.renderState);
    expect(cards.some((e) => e.renderState === 'ok')).to.equal(true);
    dash.remove();
  });
});
