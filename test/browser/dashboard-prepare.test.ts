/**
 * <fin-dashboard> builds the engine's cross-filter cube (engine.prepare) by itself: once after the
 * load with the spec's dimensions and every widget request (several per widget included), again
 * when the date range changes (debounced), never with `prepare: false`; and a selection answered
 * from the cube gives exactly the numbers of the same selection computed from the rows.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/index.js';
import type { FinDashboard, FinPrepareDetail } from '../../components/dashboard/dashboard.js';
import type { FinElement } from '../../components/base/fin-element.js';
import { collectionDashboard, fundFlowDashboard } from '../../src/dashboard/presets.js';
import type { DashboardSpec } from '../../src/dashboard/spec.js';
import { createEngine } from '../../src/engine/create.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { PrepareOptions } from '../../src/engine/engine-types.js';
import type { FilterClause } from '../../src/engine/types.js';
import { allSettled, dashboardWidgets, sleep } from './helpers.js';

const small = (s: DashboardSpec, over: Partial<DashboardSpec> = {}): DashboardSpec => ({ ...s, sample: { customers: 300 }, ...over });

interface Spied {
  engine: FinEngine;
  /** Every prepare call, as passed. */
  calls: PrepareOptions[];
  /** Raw-path computations (LocalEngine's `compute` with a remembered result; cube cells are not). */
  raw(): number;
}

/** An in-thread engine whose prepare calls and raw-path computations are counted. */
function spiedEngine(): Spied {
  const engine = createEngine();
  const calls: PrepareOptions[] = [];
  const prepare = engine.prepare!.bind(engine);
  engine.prepare = (o: PrepareOptions) => {
    calls.push(JSON.parse(JSON.stringify(o)) as PrepareOptions);
    return prepare(o);
  };
  let raw = 0;
  // createEngine() loads the in-page engine on first use: spy on it once it exists (this callback is
  // registered before any call the dashboard makes, so it runs first).
  void (engine as unknown as { local(): Promise<{ compute: (...a: unknown[]) => unknown }> }).local().then((inner) => {
    const compute = inner.compute;
    inner.compute = function (this: unknown, ...a: unknown[]) {
      if (a[2] !== false) raw++;
      return compute.apply(this, a);
    };
  });
  return { engine, calls, raw: () => raw };
}

async function mount(spec: DashboardSpec, engine: FinEngine, events: FinPrepareDetail[]): Promise<FinDashboard> {
  return fixture<FinDashboard>(
    html`<fin-dashboard locale="en-US" .engine=${engine} .spec=${spec} @fin-prepare=${(e: CustomEvent<FinPrepareDetail>) => events.push(e.detail)}></fin-dashboard>`,
  );
}

/** Until `events` has `n` entries (the dashboard's fin-prepare events). */
async function prepared(events: FinPrepareDetail[], n: number): Promise<void> {
  for (let i = 0; i < 600 && events.length < n; i++) await sleep(50);
  expect(events.length, 'fin-prepare events').to.equal(n);
}

/** The date-range <select> of the filter bar (the first filter of the presets). */
function dateSelect(dash: FinDashboard): HTMLSelectElement {
  return dash.shadowRoot!.querySelector('fin-filter-bar')!.shadowRoot!.querySelector('select')!;
}

function choose(sel: HTMLSelectElement, value: string): void {
  sel.value = value;
  sel.dispatchEvent(new Event('change'));
}

/** Everything a widget shows: numbers, basis and quality. */
const shown = (el: FinElement): string => {
  const r = el.currentResult;
  return r ? JSON.stringify({ data: r.data, basis: r.basis, quality: r.quality }) : `state:${el.renderState}`;
};

describe('fin-dashboard cross-filter cube (prepare)', function () {
  this.timeout(180000);

  it('prepares once after the load with the spec dimensions and every widget request', async () => {
    const { engine, calls } = spiedEngine();
    const events: FinPrepareDetail[] = [];
    const dash = await mount(small(collectionDashboard), engine, events);
    const ws = await dashboardWidgets(dash);
    await allSettled(ws.values());
    await prepared(events, 1);
    expect(events[0]!.ok).to.equal(true);
    expect(events[0]!.info!.cells).to.be.greaterThan(0);
    expect(calls).to.have.length(1);
    // The filter-bar multi fields, then the fields selections filter on (collector table's last drill
    // level, channel table); the heatmap (hour × weekday) and trends pin no category.
    expect(calls[0]!.dimensions).to.deep.equal(['region', 'product', 'collector_id', 'channel']);
    const reqs = calls[0]!.requests!;
    // 13 widgets, 15 requests: the overdue-rate trend sends one request per series.
    expect(reqs.map((r) => r.metric).sort()).to.deep.equal(
      ['bucket_trend', 'channel_effectiveness', 'collector_performance', 'flow_rate', 'heatmap', 'kpi', 'kpi', 'kpi', 'kpi', 'overdue_rate', 'overdue_rate', 'overdue_rate', 'overdue_rate', 'roll_rate', 'vintage'],
    );
    // Default date range 'all': no base filter.
    for (const r of reqs) expect(r.filters ?? []).to.deep.equal([]);
    // Nothing more happens by itself; a selection is what the cube answers, not a reason to rebuild.
    const table = ws.get('channels')! as unknown as { select(c: FilterClause, l: string): void };
    table.select({ field: 'channel', op: 'eq', value: 'phone' }, 'phone');
    await sleep(100);
    await allSettled(ws.values());
    await sleep(800);
    expect(calls).to.have.length(1);
  });

  it('prepares again, debounced, when the date range changes', async () => {
    const { engine, calls } = spiedEngine();
    const events: FinPrepareDetail[] = [];
    const dash = await mount(small(collectionDashboard), engine, events);
    const ws = await dashboardWidgets(dash);
    await allSettled(ws.values());
    await prepared(events, 1);
    // Two changes in a row: one build, for the last one.
    const sel = dateSelect(dash);
    choose(sel, 'last-6-months');
    await sleep(0);
    choose(sel, 'last-3-months');
    await dash.updateComplete;
    await sleep(100);
    await allSettled(ws.values());
    await prepared(events, 2);
    await sleep(800);
    expect(calls).to.have.length(2);
    expect(events[1]!.ok).to.equal(true);
    expect(calls[1]!.dimensions).to.deep.equal(calls[0]!.dimensions);
    const reqs = calls[1]!.requests!;
    expect(reqs).to.have.length(15);
    const ranges = new Set<string>();
    for (const r of reqs) {
      const fields = (r.filters ?? []).map((c) => `${c.field}:${c.op}`).sort();
      expect(fields).to.deep.equal(['action_time:range', 'snapshot_date:range']);
      for (const c of r.filters ?? []) ranges.add(JSON.stringify(c.value));
    }
    // Every base carries the same 3-month range (not the 6-month one issued and replaced meanwhile).
    expect(ranges.size).to.equal(1);
    const [a, b] = JSON.parse([...ranges][0]!) as [string, string];
    const months = (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7)) + 1;
    expect(months).to.equal(3);
    // A single region from the filter bar is a pin, not a base filter: no rebuild.
    const bar = dash.shadowRoot!.querySelector('fin-filter-bar')!;
    let boxes: HTMLInputElement[] = [];
    for (let i = 0; i < 100 && !boxes.length; i++) {
      await sleep(50);
      boxes = [...bar.shadowRoot!.querySelectorAll<HTMLInputElement>('details input[type=checkbox]')];
    }
    boxes[0]!.click();
    await sleep(100);
    await allSettled(ws.values());
    await sleep(800);
    expect(calls).to.have.length(2);
  });

  it('keys its builds, and asks again for what a superseded build did not reach', async () => {
    const { engine, calls } = spiedEngine();
    // The first build is reported stopped by a newer one (as the engine does when the same key
    // prepares again); later builds run for real.
    const prepare = engine.prepare!;
    engine.prepare = (o: PrepareOptions) =>
      calls.length === 0
        ? (calls.push(JSON.parse(JSON.stringify(o)) as PrepareOptions),
          Promise.resolve({ dimensions: o.dimensions, requests: o.requests!.length, cells: 3, skipped: 0, ms: 1, superseded: true }))
        : prepare(o);
    const events: FinPrepareDetail[] = [];
    const dash = await mount(small(collectionDashboard), engine, events);
    const ws = await dashboardWidgets(dash);
    await allSettled(ws.values());
    await prepared(events, 1);
    expect(events[0]!.info!.superseded).to.equal(true);
    const key = calls[0]!.key!;
    expect(key).to.match(/^fin-dashboard-\d+$/);
    expect((document.createElement('fin-dashboard') as unknown as { prepareKey: string }).prepareKey).to.not.equal(key);
    choose(dateSelect(dash), 'last-3-months');
    await sleep(100);
    await allSettled(ws.values());
    await prepared(events, 2);
    expect(calls[1]!.key).to.equal(key);
    expect(events[1]!.info!.superseded).to.equal(undefined);
    // Back to the first range: its requests were never fully built, so they are sent again.
    choose(dateSelect(dash), 'all');
    await sleep(100);
    await allSettled(ws.values());
    await prepared(events, 3);
    expect(calls[2]!.key).to.equal(key);
    expect(calls[2]!.requests!.map((r) => JSON.stringify(r)).sort()).to.deep.equal(calls[0]!.requests!.map((r) => JSON.stringify(r)).sort());
  });

  it('never prepares with `prepare: false`', async () => {
    const { engine, calls } = spiedEngine();
    const events: FinPrepareDetail[] = [];
    const dash = await mount(small(collectionDashboard, { prepare: false }), engine, events);
    const ws = await dashboardWidgets(dash);
    await allSettled(ws.values());
    await sleep(800);
    choose(dateSelect(dash), 'last-3-months');
    await sleep(100);
    await allSettled(ws.values());
    await sleep(800);
    expect(calls).to.have.length(0);
    expect(events).to.have.length(0);
  });

  it('answers selections from the cube with exactly the numbers of the raw path', async () => {
    const a = spiedEngine();
    const b = spiedEngine();
    const evA: FinPrepareDetail[] = [];
    const evB: FinPrepareDetail[] = [];
    const dashA = await mount(small(fundFlowDashboard), a.engine, evA);
    const dashB = await mount(small(fundFlowDashboard, { prepare: false }), b.engine, evB);
    const wa = await dashboardWidgets(dashA);
    const wb = await dashboardWidgets(dashB);
    await allSettled([...wa.values(), ...wb.values()]);
    await prepared(evA, 1);
    expect(a.calls[0]!.dimensions).to.deep.equal(['channel', 'segment', 'category']); // customer_id: too many values
    expect(b.calls).to.have.length(0);
    for (const [id, el] of wa) expect(shown(el), id).to.equal(shown(wb.get(id)!));

    // 1. A channel picked in the channel-mix heatmap (its y axis) filters every other widget.
    const channels = await a.engine.query({ metric: 'distinct', source: 'transactions', params: { field: 'channel' } });
    const channel = String((channels.data[0] as { value: unknown }).value);
    const step = async (act: (dash: FinDashboard) => void | Promise<void>): Promise<{ rawA: number; rawB: number }> => {
      const ra = a.raw();
      const rb = b.raw();
      await act(dashA);
      await act(dashB);
      await Promise.all([dashA.updateComplete, dashB.updateComplete]);
      await sleep(100);
      await allSettled([...wa.values(), ...wb.values()]);
      return { rawA: a.raw() - ra, rawB: b.raw() - rb };
    };
    const pick = (dash: FinDashboard) => {
      const heat = dash.shadowRoot!.querySelector('[data-widget="channels"] fin-heatmap') as unknown as { select(c: FilterClause, l: string): void };
      heat.select({ field: 'channel', op: 'eq', value: channel }, channel);
    };
    const s1 = await step(pick);
    for (const [id, el] of wa) {
      if (id !== 'channels') expect(el.currentResult!.basis.filters, id).to.deep.include({ field: 'channel', op: 'eq', value: channel });
      expect(shown(el), id).to.equal(shown(wb.get(id)!));
    }
    expect(s1.rawB, 'raw computations without a cube').to.be.greaterThan(0);
    expect(s1.rawA, 'raw computations with the cube').to.equal(0);

    // 2. Plus one segment ticked in the filter bar: a pair of pins (channel × segment).
    const tick = async (dash: FinDashboard) => {
      const bar = dash.shadowRoot!.querySelector('fin-filter-bar')!;
      let boxes: HTMLInputElement[] = [];
      for (let i = 0; i < 100 && boxes.length < 2; i++) {
        await sleep(50);
        boxes = [...bar.shadowRoot!.querySelectorAll<HTMLInputElement>('details')].flatMap((d) => [...d.querySelectorAll<HTMLInputElement>('input[type=checkbox]')].slice(0, 1));
      }
      boxes[1]!.click(); // the first value of the second multi-select (segment)
    };
    const s2 = await step(tick);
    for (const [id, el] of wa) {
      expect((el.currentResult!.basis.filters ?? []).some((c) => c.field === 'segment'), id).to.equal(true);
      expect(shown(el), id).to.equal(shown(wb.get(id)!));
    }
    expect(s2.rawB).to.be.greaterThan(0);
    expect(s2.rawA).to.equal(0);
    await sleep(800);
    expect(a.calls).to.have.length(1); // pins need no rebuild
  });

  it('swallows a failing prepare: a fin-prepare warning, no error, widgets unaffected', async () => {
    const { engine } = spiedEngine();
    engine.prepare = () => Promise.reject(Object.assign(new Error('cube exploded'), { code: 'bad_input' }));
    const events: FinPrepareDetail[] = [];
    const errors: string[] = [];
    const onError = (e: ErrorEvent | PromiseRejectionEvent) => errors.push(String('message' in e ? e.message : e.reason));
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    try {
      const dash = await mount(small(collectionDashboard), engine, events);
      const finErrors: unknown[] = [];
      dash.addEventListener('fin-error', (e) => finErrors.push(e.detail));
      const ws = await dashboardWidgets(dash);
      await allSettled(ws.values());
      await prepared(events, 1);
      expect(events[0]!.ok).to.equal(false);
      expect(events[0]!.error).to.deep.equal({ code: 'bad_input', message: 'cube exploded' });
      expect(events[0]!.warning!['zh-CN']).to.be.a('string').and.not.equal('');
      expect(events[0]!.warning!['en-US']).to.contain('Cross-filter');
      // Not retried on the next change in this load; widgets keep working.
      choose(dateSelect(dash), 'last-3-months');
      await sleep(100);
      await allSettled(ws.values());
      await sleep(800);
      expect(events).to.have.length(1);
      for (const [id, el] of ws) expect(el.renderState, id).to.be.oneOf(['ok', 'partial', 'empty']);
      expect(finErrors).to.deep.equal([]);
      expect(errors).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
    }
  });

  it('makes a prepare in flight harmless when the dashboard reloads or is removed', async () => {
    const { engine, calls } = spiedEngine();
    // Prepares that only go on when released, one gate per call.
    const gates: Array<() => void> = [];
    const real = engine.prepare!;
    engine.prepare = async (o: PrepareOptions) => {
      await new Promise<void>((r) => gates.push(r));
      return real(o);
    };
    const called = async (n: number) => {
      for (let i = 0; i < 400 && gates.length < n; i++) await sleep(50);
      expect(gates, 'prepare calls').to.have.length(n);
    };
    const events: FinPrepareDetail[] = [];
    const dash = await mount(small(collectionDashboard), engine, events);
    await allSettled((await dashboardWidgets(dash)).values());
    await called(1);
    // Reloaded (another spec) while the first build runs: its outcome is ignored.
    dash.spec = small(collectionDashboard, { id: 'collection-2' });
    await allSettled((await dashboardWidgets(dash)).values());
    gates[0]!();
    await called(2);
    await sleep(300);
    expect(events, 'the stale build reports nothing').to.have.length(0);
    gates[1]!();
    await prepared(events, 1);
    expect(events[0]!.ok).to.equal(true);
    // Removed during a build: nothing afterwards, and no error.
    dash.spec = small(collectionDashboard, { id: 'collection-3' });
    await allSettled((await dashboardWidgets(dash)).values());
    await called(3);
    dash.remove();
    gates[2]!();
    await sleep(500);
    expect(events).to.have.length(1);
    expect(calls).to.have.length(3);
  });
});
