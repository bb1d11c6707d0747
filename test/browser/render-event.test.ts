/**
 * `fin-render` and `renderState` in Chromium: an answer taken is not yet `ok`; the state turns
 * `ok`/`partial` and `fin-render` fires ({ state, ms }, bubbling and composed) only once the chart
 * is on screen — the Vega view run with its marks in the SVG (or a canvas) in the DOM, the d3
 * sankey laid out, template views updated. Every widget of a ready-made dashboard reports it.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/index.js';
import type { FinDashboard } from '../../components/dashboard/dashboard.js';
import type { FinRenderDetail } from '../../components/base/events.js';
import type { FinElement } from '../../components/base/fin-element.js';
import { collectionDashboard, fundFlowDashboard, retentionDashboard } from '../../src/dashboard/presets.js';
// mining: model monitoring
import { modelMonitoringDashboard } from '../../src/dashboard/presets.js';
import type { DashboardSpec } from '../../src/dashboard/spec.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { MetricResult } from '../../src/engine/types.js';
import { fakeEngine, rendered, sampleEngine, sr } from './helpers.js';

type Vega = FinElement & { view_: unknown };

/** What is drawn in the Vega plot: marks in the SVG, or a sized canvas. */
function vegaMarks(el: Element): number {
  const plot = sr(el).querySelector('[part=chart] .plot');
  if (!plot) return 0;
  const canvas = plot.querySelector(':scope > canvas') as HTMLCanvasElement | null;
  if (canvas) return canvas.width > 0 && canvas.height > 0 ? 1 : 0;
  return plot.querySelectorAll(':scope > svg g.role-mark > *').length;
}

/** Elements and props drawn through Vega, each on the seeded sample. */
const VEGA: Array<{ tag: string; props: Record<string, unknown> }> = [
  { tag: 'fin-overdue-trend', props: { display: 'buckets' } },
  { tag: 'fin-overdue-trend', props: { display: 'rates' } },
  { tag: 'fin-overdue-trend', props: { display: 'flows' } },
  { tag: 'fin-overdue-trend', props: { display: 'rollrate' } },
  { tag: 'fin-cohort', props: { mode: 'vintage', params: { d: 30 } } },
  { tag: 'fin-heatmap', props: { preset: 'contact-rate-weekday-hour' } },
  { tag: 'fin-rfm', props: {} },
  { tag: 'fin-fund-flow', props: { display: 'trend' } },
  // mining-cluster
  { tag: 'fin-cluster', props: { params: { restarts: 1, kMax: 3 } } },
  { tag: 'fin-profile', props: { params: { group: { segment: 'important_value' } } } },
  // mining: model monitoring
  { tag: 'fin-model', props: { display: 'curves' } },
];

function make(tag: string, props: Record<string, unknown>): FinElement {
  const el = document.createElement(tag) as FinElement;
  Object.assign(el, props);
  el.locale = 'zh-CN';
  el.style.width = '560px';
  el.style.display = 'block';
  return el;
}

/** Listen for fin-render on `el` and record, at the moment it fires, what is on screen. */
function recorder(el: FinElement): Array<{ detail: FinRenderDetail; state: string; marks: number; view: boolean; bubbles: boolean; composed: boolean }> {
  const seen: ReturnType<typeof recorder> = [];
  el.addEventListener('fin-render', (e) => {
    const ev = e as CustomEvent<FinRenderDetail>;
    seen.push({
      detail: ev.detail,
      state: el.renderState,
      marks: vegaMarks(el),
      view: (el as Vega).view_ !== null && (el as Vega).view_ !== undefined,
      bubbles: ev.bubbles,
      composed: ev.composed,
    });
  });
  return seen;
}

describe('fin-render', function () {
  this.timeout(60000);
  let engine: FinEngine;
  before(async () => {
    engine = await sampleEngine(300);
    // mining: the mining chunk (ml-kmeans, ml-cart: hundreds of unbundled modules under the dev
    // server) is loaded on first use; load it here, not inside a test's 15 s fin-render wait.
    await engine.query({ metric: 'model_monitor' });
  });
  afterEach(() => {
    for (const el of document.querySelectorAll('body > fin-overdue-trend, body > fin-cohort, body > fin-heatmap, body > fin-rfm, body > fin-fund-flow, body > fin-funnel, body > fin-kpi-card, body > fin-table, body > fin-cluster, body > fin-profile, body > fin-model'))
      el.remove();
  });

  for (const { tag, props } of VEGA) {
    it(`${tag} ${JSON.stringify(props)}: loading until painted; at fin-render the Vega marks are in the DOM`, async () => {
      // The answer, computed once through the engine (the element's own request).
      const probe = make(tag, { ...props, engine });
      document.body.append(probe);
      await rendered(probe);
      const result = probe.currentResult as MetricResult;
      probe.remove();
      expect(result, 'an answer').to.not.equal(null);

      // The same answer given as `.result`: taken synchronously, drawn asynchronously.
      const el = make(tag, { ...props, result });
      const seen = recorder(el);
      document.body.append(el);
      await el.updateComplete;
      expect(sr(el).querySelector('[part=chart] .plot'), 'the plot container is rendered').to.not.equal(null);
      expect(el.renderState, 'not ok before the view has run').to.equal('loading');
      expect(vegaMarks(el), 'nothing drawn yet').to.equal(0);
      expect(seen).to.have.length(0);
      await rendered(el);
      expect(seen).to.have.length(1);
      const at = seen[0]!;
      expect(at.state).to.be.oneOf(['ok', 'partial']);
      expect(at.detail.state).to.equal(at.state);
      expect(at.view, 'the Vega view is set').to.equal(true);
      expect(at.marks, 'marks in the DOM at fin-render').to.be.greaterThan(0);
      expect(at.bubbles && at.composed).to.equal(true);
      expect(at.detail.ms).to.be.a('number').and.at.least(0);
      expect(el.renderState).to.equal(at.state);
    });
  }

  it('the d3 sankey: fin-render only once d3-sankey has laid it out', async () => {
    const el = make('fin-fund-flow', { display: 'sankey', engine });
    const seen: Array<{ state: string; sankey: boolean; pending: boolean }> = [];
    el.addEventListener('fin-render', () =>
      seen.push({
        state: el.renderState,
        sankey: !!sr(el).querySelector('svg[part=sankey] path[part=link]'),
        pending: !!sr(el).querySelector('.pending'),
      }),
    );
    document.body.append(el);
    await rendered(el);
    expect(seen).to.deep.equal([{ state: 'ok', sankey: true, pending: false }]);
  });

  it('template and d3 views (funnel, KPI card, table) fire it after their update, with what they draw', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['fin-funnel', {}, '.wrap svg'],
      ['fin-kpi-card', { params: { measure: { agg: 'count' } } }, '[part=value]'],
      ['fin-table', {}, 'table'],
    ];
    for (const [tag, props, sel] of cases) {
      const el = make(tag, { ...props, engine });
      let drawn: boolean | null = null;
      el.addEventListener('fin-render', () => (drawn = !!sr(el).querySelector(sel)));
      document.body.append(el);
      const d = await rendered(el);
      expect(d?.state, tag).to.be.oneOf(['ok', 'partial']);
      expect(drawn, `${tag} draws ${sel} by fin-render`).to.equal(true);
    }
  });

  it('ms counts from the start of the query; a new answer fires again; an error fires with its state', async () => {
    const probe = make('fin-overdue-trend', { display: 'rates', engine });
    document.body.append(probe);
    await rendered(probe);
    const answer = probe.currentResult!;
    probe.remove();
    const slow = fakeEngine(null);
    slow.query = () => new Promise((r) => setTimeout(() => r(answer), 300));
    const el = make('fin-overdue-trend', { display: 'rates', engine: slow });
    const seen = recorder(el);
    document.body.append(el);
    await rendered(el);
    expect(seen).to.have.length(1);
    expect(seen[0]!.detail.ms, 'includes the 300 ms answer').to.be.at.least(290);
    expect(seen[0]!.marks).to.be.greaterThan(0);
    // A new query: loading again, then one more fin-render once the new view has painted.
    el.filters = [{ field: 'region', op: 'in', value: ['华东'] }];
    await el.updateComplete;
    expect(el.renderState).to.equal('loading');
    await rendered(el);
    expect(seen).to.have.length(2);
    expect(seen[1]!.marks).to.be.greaterThan(0);
    // A failing engine: fin-render with state error (after fin-error).
    slow.query = () => Promise.reject(Object.assign(new Error('boom'), { code: 'bad_params' }));
    el.filters = [];
    await rendered(el);
    expect(el.renderState).to.equal('error');
    expect(seen.map((x) => x.detail.state)).to.deep.equal(['ok', 'ok', 'error']);
  });

  for (const spec of [collectionDashboard, retentionDashboard, fundFlowDashboard, modelMonitoringDashboard] as DashboardSpec[]) {
    it(`every widget of the "${spec.id}" dashboard fires fin-render, each drawn at that moment`, async () => {
      const got = new Map<string, { state: string; vega: boolean; marks: number }>();
      let all: () => void = () => {};
      const done = new Promise<void>((r) => (all = r));
      const onRender = (e: Event): void => {
        const el = e.composedPath()[0] as FinElement;
        const cell = el.parentElement as HTMLElement | null;
        const id = cell?.dataset['widget'] ?? el.localName;
        const vega = !!sr(el).querySelector('[part=chart] .plot');
        got.set(id, { state: (e as CustomEvent<FinRenderDetail>).detail.state, vega, marks: vega ? vegaMarks(el) : 1 });
        if (got.size === spec.widgets.length) all();
      };
      const dash = await fixture<FinDashboard>(
        html`<fin-dashboard locale="zh-CN" @fin-render=${onRender} .spec=${{ ...spec, sample: { customers: 300 } }}></fin-dashboard>`,
      );
      await Promise.race([
        done,
        new Promise((_, rej) => setTimeout(() => rej(new Error(`fin-render from ${[...got.keys()].join(', ')} only`)), 45000)),
      ]);
      expect([...got.keys()].sort()).to.deep.equal(spec.widgets.map((w) => w.id).sort());
      for (const [id, g] of got) {
        expect(g.state, id).to.be.oneOf(['ok', 'partial']);
        expect(g.marks, `${id} drawn at fin-render`).to.be.greaterThan(0);
      }
      dash.remove();
    });
  }
});
