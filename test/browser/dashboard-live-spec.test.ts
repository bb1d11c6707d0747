/**
 * A new `spec` assigned to a live <fin-dashboard>, as the composer (issue 17) does on every edit:
 * layout and widget settings are applied on the data already loaded — no engine load, and only the
 * widgets whose settings changed query again — while a change of the data sources loads again.
 * Loads and queries are counted on the engine itself.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/index.js';
import type { FinDashboard } from '../../components/dashboard/dashboard.js';
import type { FinElement } from '../../components/base/fin-element.js';
import { collectionDashboard } from '../../src/dashboard/presets.js';
import type { DashboardSpec, WidgetSpec } from '../../src/dashboard/spec.js';
import { createEngine } from '../../src/engine/create.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { FilterClause, QueryRequest } from '../../src/engine/types.js';
import { allSettled, dashboardWidgets, sleep } from './helpers.js';

interface Counted {
  engine: FinEngine;
  /** engine.load and engine.loadSample calls. */
  loads(): number;
  /** Every query, as sent (the widgets', the filter bar's, the dashboard's own). */
  queries: QueryRequest[];
}

function countedEngine(): Counted {
  const engine = createEngine();
  let loads = 0;
  const queries: QueryRequest[] = [];
  const load = engine.load.bind(engine);
  engine.load = (...a: Parameters<FinEngine['load']>) => (loads++, load(...a));
  const loadSample = engine.loadSample.bind(engine);
  engine.loadSample = (o) => (loads++, loadSample(o));
  const query = engine.query.bind(engine);
  engine.query = (req, opts) => (queries.push(req), query(req, opts));
  return { engine, loads: () => loads, queries };
}

const base = (): DashboardSpec => ({ ...structuredClone(collectionDashboard), sample: { customers: 300 }, prepare: false });

/** Assign a spec and wait until every widget has painted. */
async function assign(dash: FinDashboard, spec: DashboardSpec): Promise<Map<string, FinElement>> {
  dash.spec = spec;
  await dash.updateComplete;
  await sleep(100);
  const ws = await dashboardWidgets(dash);
  await allSettled(ws.values());
  return ws;
}

const widget = (spec: DashboardSpec, id: string): WidgetSpec => spec.widgets.find((w) => w.id === id)!;
const request = (el: FinElement): QueryRequest => (el as unknown as { request(): QueryRequest }).request();

describe('fin-dashboard with a spec edited live', function () {
  this.timeout(180000);

  it('re-lays out and re-configures widgets without loading again; reloads only for new sources', async () => {
    const { engine, loads, queries } = countedEngine();
    const dash = await fixture<FinDashboard>(html`<fin-dashboard locale="en-US" .engine=${engine} .spec=${base()}></fin-dashboard>`);
    let ws = await dashboardWidgets(dash);
    await allSettled(ws.values());
    expect(loads()).to.equal(1); // the sample
    const els = new Map(ws);
    const results = new Map([...ws].map(([id, el]) => [id, el.currentResult]));

    // 1. Layout only: a new title, the heatmap moved first, the bucket trend full width. Every object new.
    let spec = base();
    spec.title = 'Renamed';
    spec.widgets = [widget(spec, 'contact'), ...spec.widgets.filter((w) => w.id !== 'contact')];
    // (Spec version 2: widgets have places; full width in free rows below the others.)
    widget(spec, 'buckets').grid = { x: 0, y: 24, w: 12, h: 5 };
    let q = queries.length;
    ws = await assign(dash, spec);
    expect(loads(), 'loads after a layout edit').to.equal(1);
    expect(queries.slice(q), 'queries after a layout edit').to.deep.equal([]);
    // Cells follow the reading order of the places (the order of `widgets` is not the layout in version 2).
    const reading = [...spec.widgets].sort((a, b) => a.grid.y - b.grid.y || a.grid.x - b.grid.x).map((w) => w.id);
    expect([...ws.keys()]).to.deep.equal(reading);
    for (const [id, el] of ws) {
      expect(el, id).to.equal(els.get(id)); // the same element, moved with its cell
      expect(el.currentResult, id).to.equal(results.get(id));
    }
    const cell = dash.shadowRoot!.querySelector<HTMLElement>('[data-widget="buckets"]')!;
    expect(cell.style.gridColumn).to.equal('span 12');
    expect(dash.shadowRoot!.querySelector('h2')!.textContent).to.equal('Renamed');

    // 2. One widget's settings: only that widget queries, with its new params.
    spec = structuredClone(spec);
    widget(spec, 'vintage').params = { d: 60 };
    widget(spec, 'kpi-cure').title = 'Cure rate (renamed)';
    q = queries.length;
    const vintageBefore = JSON.stringify(ws.get('vintage')!.currentResult!.data);
    ws = await assign(dash, spec);
    expect(loads()).to.equal(1);
    const vintage = ws.get('vintage')!;
    expect(queries.slice(q).map((r) => r.metric)).to.deep.equal([request(vintage).metric]);
    expect((request(vintage).params as { d: number }).d).to.equal(60);
    const direct = await engine.query(request(vintage));
    expect(JSON.stringify(vintage.currentResult!.data)).to.equal(JSON.stringify(direct.data));
    expect(JSON.stringify(vintage.currentResult!.data)).to.not.equal(vintageBefore);
    for (const [id, el] of ws) if (id !== 'vintage') expect(el.currentResult, id).to.equal(results.get(id));
    expect(ws.get('kpi-cure')!.shadowRoot!.textContent).to.contain('Cure rate (renamed)');

    // 3. A prop removed (no way back to its default but a fresh element); a widget removed, one added.
    spec = structuredClone(spec);
    delete widget(spec, 'kpi-overdue').props!['format'];
    spec.widgets = spec.widgets.filter((w) => w.id !== 'rollrate');
    // (a copy needs a place of its own: widgets may not overlap)
    spec.widgets.push({ ...structuredClone(widget(spec, 'kpi-entry')), id: 'kpi-entry-2', grid: { x: 0, y: 30, w: 3, h: 2 } });
    q = queries.length;
    ws = await assign(dash, spec);
    expect(loads()).to.equal(1);
    expect(dash.shadowRoot!.querySelector('[data-widget="rollrate"]')).to.equal(null);
    expect(ws.get('kpi-entry-2')!.renderState).to.equal('ok');
    expect(JSON.stringify(ws.get('kpi-entry-2')!.currentResult!.data)).to.equal(JSON.stringify(ws.get('kpi-entry')!.currentResult!.data));
    const overdue = ws.get('kpi-overdue')! as FinElement & { format: string; direction: string };
    expect(overdue).to.not.equal(els.get('kpi-overdue'));
    expect(overdue.format).to.equal('compact');
    expect(overdue.direction).to.equal('lower-is-better');
    expect(queries.slice(q).map((r) => r.metric).sort()).to.deep.equal(['kpi', 'kpi']);

    // 4. A selection in a widget the next spec drops: the selection goes, the others re-query without it.
    const channel = String(((await engine.query({ metric: 'distinct', source: 'collection_actions', params: { field: 'channel' } })).data[0] as { value: unknown }).value);
    const clause: FilterClause = { field: 'channel', op: 'eq', value: channel };
    (ws.get('channels') as unknown as { select(c: FilterClause, l: string): void }).select(clause, channel);
    await dash.updateComplete;
    await sleep(100);
    await allSettled(ws.values());
    expect(ws.get('collectors')!.currentResult!.basis.filters).to.deep.include(clause);
    spec = structuredClone(spec);
    spec.widgets = spec.widgets.filter((w) => w.id !== 'channels');
    ws = await assign(dash, spec);
    expect(dash.selectionClauses).to.deep.equal({});
    expect(ws.get('collectors')!.currentResult!.basis.filters ?? []).to.not.deep.include(clause);
    expect(loads()).to.equal(1);

    // 5. New filter defaults: every widget gets the range, still without a load.
    spec = structuredClone(spec);
    const date = spec.filters!.find((f) => f.id === 'date')!;
    if (date.type === 'date-range') date.default = 'last-3-months';
    dash.spec = spec;
    const bucketsEl = ws.get('buckets')!;
    for (let i = 0; i < 200 && !(bucketsEl.currentResult?.basis.filters ?? []).some((c) => c.op === 'range'); i++) await sleep(50);
    await allSettled(ws.values());
    expect((bucketsEl.currentResult!.basis.filters ?? []).filter((c) => c.op === 'range').map((c) => c.field)).to.include('snapshot_date');
    expect(loads()).to.equal(1);

    // 6. An invalid spec shows its issues; fixed, the dashboard comes back on the same data.
    const errors: string[] = [];
    dash.addEventListener('fin-error', (e) => errors.push(e.detail.code));
    const broken = structuredClone(spec);
    (broken.widgets[0] as { type: string }).type = 'pie';
    dash.spec = broken;
    await dash.updateComplete;
    expect(dash.shadowRoot!.querySelector('[part=error]')!.textContent).to.contain('$.widgets[0].type');
    expect(errors).to.deep.equal(['bad_spec']);
    ws = await assign(dash, structuredClone(spec));
    expect([...ws.keys()].sort()).to.deep.equal(spec.widgets.map((w) => w.id).sort());
    for (const [id, el] of ws) expect(el.renderState, id).to.be.oneOf(['ok', 'partial', 'empty']);
    expect(loads()).to.equal(1);

    // 7. Other data sources: loaded again, and the widgets show the new data.
    spec = structuredClone(spec);
    spec.sample = { customers: 200 };
    ws = await assign(dash, spec);
    expect(loads()).to.equal(2);
    const kpi = ws.get('kpi-entry')!;
    expect(JSON.stringify(kpi.currentResult!.data)).to.equal(JSON.stringify((await engine.query(request(kpi))).data));
    dash.remove();
    engine.dispose();
  });

  it('keeps its own engine across layout edits and replaces it when the sources change', async () => {
    const dash = await fixture<FinDashboard>(html`<fin-dashboard locale="en-US" .spec=${base()}></fin-dashboard>`);
    await allSettled((await dashboardWidgets(dash)).values());
    const first = dash.activeEngine;
    expect(first).to.not.equal(null);
    const spec = base();
    spec.widgets = spec.widgets.slice(0, 4).map((w, i) => ({ ...w, grid: { x: (i % 2) * 6, y: Math.floor(i / 2) * 2, w: 6, h: 2 } }));
    const ws = await assign(dash, spec);
    expect(dash.activeEngine).to.equal(first);
    expect([...ws.keys()]).to.deep.equal(['kpi-overdue', 'kpi-entry', 'kpi-cure', 'kpi-recovered']);
    await assign(dash, { ...spec, sample: { customers: 200 } });
    expect(dash.activeEngine).to.not.equal(first);
    dash.remove();
  });
});
