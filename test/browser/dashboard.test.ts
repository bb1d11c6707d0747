/**
 * <fin-dashboard> in Chromium: every ready-made dashboard renders all widgets without console
 * errors; a selection in one widget changes the others' numbers to exactly what the engine gives
 * for that filter, and clearing restores them; drill-down and back; invalid specs name the path.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/index.js';
import type { FinDashboard } from '../../components/dashboard/dashboard.js';
import { collectionDashboard, fundFlowDashboard, retentionDashboard } from '../../src/dashboard/presets.js';
// mining: model monitoring
import { modelMonitoringDashboard } from '../../src/dashboard/presets.js';
import type { DashboardSpec } from '../../src/dashboard/spec.js';
import type { MetricResult } from '../../src/engine/types.js';
import { allSettled, dashboardWidgets } from './helpers.js';

const small = (s: DashboardSpec): DashboardSpec => ({ ...s, sample: { customers: 300 } });

const value = (r: MetricResult | null): unknown => (r ? JSON.stringify(r.data) : null);

describe('fin-dashboard', function () {
  this.timeout(120000);
  const errors: string[] = [];
  const onError = (e: ErrorEvent) => errors.push(e.message);
  before(() => window.addEventListener('error', onError));
  after(() => window.removeEventListener('error', onError));

  for (const spec of [collectionDashboard, retentionDashboard, fundFlowDashboard, modelMonitoringDashboard]) {
    it(`renders every widget of "${spec.id}"`, async () => {
      const dash = await fixture<FinDashboard>(html`<fin-dashboard locale="zh-CN" .spec=${small(spec)}></fin-dashboard>`);
      const ws = await dashboardWidgets(dash);
      expect([...ws.keys()]).to.deep.equal(spec.widgets.map((w) => w.id));
      await allSettled(ws.values());
      for (const [id, el] of ws) expect(el.renderState, id).to.be.oneOf(['ok', 'partial']);
      expect(errors).to.deep.equal([]);
    });
  }

  it('cross-filters: a heatmap selection re-queries the others with exactly the engine numbers; clearing restores', async () => {
    const dash = await fixture<FinDashboard>(html`<fin-dashboard locale="en-US" .spec=${small(collectionDashboard)}></fin-dashboard>`);
    const ws = await dashboardWidgets(dash);
    await allSettled(ws.values());
    const channels = ws.get('channels')!;
    const contact = ws.get('contact')!;
    const before = value(channels.currentResult);
    // Select Wednesday in the contact heatmap (as its click handler does).
    const clause = { field: 'action_time.dow', op: 'eq' as const, value: 3 };
    (contact as unknown as { select(c: unknown, l: string): void }).select(clause, 'Wed');
    await dash.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    await allSettled(ws.values());
    const expected = await dash.activeEngine!.query({ metric: 'channel_effectiveness', source: 'collection_actions', params: {}, filters: [clause] });
    expect(value(channels.currentResult)).to.equal(JSON.stringify(expected.data));
    expect(value(channels.currentResult)).to.not.equal(before);
    // The selecting widget is not filtered by its own selection.
    expect(contact.currentResult!.basis.filters).to.deep.equal([]);
    expect(dash.shadowRoot!.textContent).to.contain('Wed');
    dash.clearSelection();
    await dash.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    await allSettled(ws.values());
    expect(value(channels.currentResult)).to.equal(before);
  });

  it('drills down the collector table from teams to collectors and back', async () => {
    const dash = await fixture<FinDashboard>(html`<fin-dashboard locale="zh-CN" .spec=${small(collectionDashboard)}></fin-dashboard>`);
    const ws = await dashboardWidgets(dash);
    await allSettled(ws.values());
    const table = ws.get('collectors')!;
    const rows = table.currentResult!.data as Array<{ team: string; level: string }>;
    expect(rows.every((r) => r.level === 'team')).to.equal(true);
    const team = rows[0]!.team;
    const tr = table.shadowRoot!.querySelector('tbody tr') as HTMLElement;
    tr.click();
    await dash.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    await allSettled([table]);
    const after = table.currentResult!.data as Array<{ team: string; level: string }>;
    expect(after.length).to.be.greaterThan(0);
    expect(after.every((r) => r.level === 'collector' && r.team === team)).to.equal(true);
    const crumbs = dash.shadowRoot!.querySelector('nav.crumbs')!;
    expect(crumbs.textContent).to.contain(team);
    (crumbs.querySelector('button') as HTMLButtonElement).click();
    await dash.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    await allSettled([table]);
    expect((table.currentResult!.data as Array<{ level: string }>).every((r) => r.level === 'team')).to.equal(true);
  });

  it('applies a filter-bar region to every widget and keeps the state in the URL hash', async () => {
    const dash = await fixture<FinDashboard>(html`<fin-dashboard hash-state locale="zh-CN" .spec=${small(collectionDashboard)}></fin-dashboard>`);
    const ws = await dashboardWidgets(dash);
    await allSettled(ws.values());
    const bar = dash.shadowRoot!.querySelector('fin-filter-bar')!;
    let boxes: HTMLInputElement[] = [];
    for (let i = 0; i < 100 && !boxes.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      boxes = [...bar.shadowRoot!.querySelectorAll<HTMLInputElement>('details input[type=checkbox]')];
    }
    const regionBox = boxes[0]!;
    const region = regionBox.parentElement!.textContent!.trim();
    regionBox.click();
    await dash.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    await allSettled(ws.values());
    const rates = ws.get('buckets')!;
    const clause = { field: 'region', op: 'in', value: [region] };
    expect(rates.currentResult!.basis.filters).to.deep.include(clause);
    const expected = await dash.activeEngine!.query({ ...(rates as unknown as { request(): object }).request(), filters: [clause] } as never);
    expect(JSON.stringify(rates.currentResult!.data)).to.equal(JSON.stringify(expected.data));
    expect(decodeURIComponent(location.hash)).to.contain(region);
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('shows a readable error naming the path of an invalid spec', async () => {
    const bad = { ...collectionDashboard, widgets: [{ id: 'x', type: 'pie' }] } as unknown as DashboardSpec;
    const dash = await fixture<FinDashboard>(html`<fin-dashboard .spec=${bad}></fin-dashboard>`);
    await dash.updateComplete;
    const err = dash.shadowRoot!.querySelector('[part=error]')!;
    expect(err.getAttribute('role')).to.equal('alert');
    expect(err.textContent).to.contain('$.widgets[0].type');
    expect(err.textContent).to.contain('pie');
  });
});
