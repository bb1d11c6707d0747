/**
 * <fin-cluster> in Chromium: a hand-made result (table numbers, displays, selection), the seeded
 * sample through an engine (painted, numbers equal the engine's own answer), the states, axe, and
 * cross-filtering in a `<fin-dashboard>` (a selected cluster filters the others on its customers,
 * exactly as an RFM segment does; the profile takes them as its group).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { loadVega } from '../../components/base/vega.js';
import '../../components/cluster/define.js';
import '../../components/profile/define.js';
import '../../components/kpi-card/define.js';
import '../../components/rfm/define.js';
import '../../components/dashboard/define.js';
import type { FinCluster } from '../../components/cluster/cluster.js';
import type { FinDashboard } from '../../components/dashboard/dashboard.js';
import type { FinSelectEvent } from '../../components/base/events.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import { highValueDashboard } from '../../src/dashboard/presets.js';
import { bi, dashboardWidgets, expectBadResult, expectEmpty, expectLoading, fakeEngine, nextSelect, noData } from './helpers.js';
import { plotTexts, ready, rendered, sampleEngine, spyEngine, sr, viewSettled, waitFor } from './helpers.js';

/** Until `cond` holds (at most 120 s: the engine shares a busy runner), else fail naming `what`. */
async function longUntil(cond: () => boolean, what: string): Promise<void> {
  await waitFor(cond, 4800, 25);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

/** Painted, with a long allowance: the engine computes K-means in the page thread of a busy runner. */
async function painted(el: FinCluster): Promise<void> {
  await rendered(el, 120_000);
  await viewSettled(el);
}

/** Two clusters over recency (days) and monetary (CNY), three listed customers. */
function twoClusters(extra: Partial<MetricResult> = {}): MetricResult {
  return {
    data: [
      { cluster: 1, label: bi('高频高额', 'Frequent, high-spend'), size: 60, share: 0.6, centroid: { recency: 5, monetary: 250000 }, median: { recency: 4, monetary: 180000 }, z: { recency: -0.6, monetary: 0.8 } },
      { cluster: 2, label: bi('沉睡低额', 'Dormant, low-spend'), size: 40, share: 0.4, centroid: { recency: 90, monetary: 12000 }, median: { recency: 75, monetary: 9000 }, z: { recency: 0.9, monetary: -1.2 } },
    ],
    basis: { metric: 'cluster', title: bi('K-means 客户分群', 'K-means customer clusters'), formula: bi('K-means', 'K-means'), options: {}, filters: [], exclusions: [] },
    quality: { rows: 100, used: 100, excluded: {}, warnings: [] },
    meta: {
      k: 2,
      kSelection: 'silhouette',
      kTable: [
        { k: 2, inertia: 120, silhouette: 0.61, calinskiHarabasz: 300, chosen: true },
        { k: 3, inertia: 90, silhouette: 0.42, calinskiHarabasz: 250, chosen: false },
      ],
      features: [
        { feature: 'recency', label: bi('最近交易距今天数', 'Days since last transaction'), unit: bi('天', 'days'), log1p: false },
        { feature: 'monetary', label: bi('交易金额', 'Amount'), unit: bi('元', 'CNY'), log1p: true },
      ],
      entities: 100,
      asOf: '2026-10-31',
      sampled: null,
      assignmentsTotal: 100,
      assignments: [
        { customer_id: 'CU***1', cluster: 1, recency: 3, monetary: 300000 },
        { customer_id: 'CU***2', cluster: 2, recency: 120, monetary: 8000 },
        { customer_id: 'CU***3', cluster: 1, recency: 6, monetary: 220000 },
      ],
    },
    ...extra,
  };
}

const cells = (el: Element, part = 'clusters'): string[][] =>
  [...sr(el).querySelectorAll(`[part="${part}"] tbody tr`)].map((tr) => [...tr.children].map((c) => c.textContent!.trim()));

describe('fin-cluster', () => {
  // Vega's chunk once, before the first paint is timed (the runner is shared and busy).
  before(() => loadVega());

  it('presentational: cluster table in original units, context, scatter painted with one point per listed customer', async () => {
    const el = await fixture<FinCluster>(html`<fin-cluster locale="en-US" .result=${twoClusters()}></fin-cluster>`);
    await ready(el);
    expect(el.renderState).to.equal('ok');
    const rows = cells(el);
    expect(rows.length).to.equal(2);
    expect(rows[0]!.slice(0, 4)).to.deep.equal(['1', 'Frequent, high-spend', '60', '60.0%']);
    expect(rows[1]!.slice(0, 4)).to.deep.equal(['2', 'Dormant, low-spend', '40', '40.0%']);
    expect(rows[1]![1]).to.equal('Dormant, low-spend');
    // centroid (recency, monetary) then median (recency, monetary), in original units
    expect(rows[1]!.slice(4)).to.deep.equal(['90', '12K', '75', '9,000']);
    expect(rows[0]!.slice(4)).to.deep.equal(['5', '250K', '4', '180K']);
    expect(sr(el).querySelector('[part="context"]')!.textContent).to.include('100 customers');
    expect(sr(el).querySelector('[part="context"]')!.textContent).to.include('k = 2');
    // three customers and two centroid markers with their numbers
    expect(sr(el).querySelectorAll('.plot svg .mark-symbol path').length).to.equal(5);
    expect(plotTexts(el)).to.include.members(['1', '2']);
    // the skewed feature's axis is noted
    expect(sr(el).querySelector('[part="note"]')!.textContent).to.include('log scale');
  });

  it('displays without re-query: centroid profiles and the choice of k with the chosen k', async () => {
    const el = await fixture<FinCluster>(html`<fin-cluster locale="en-US" .result=${twoClusters()}></fin-cluster>`);
    await ready(el);
    el.display = 'k';
    await el.updateComplete;
    await ready(el);
    const texts = plotTexts(el);
    expect(texts.some((t) => t.includes('silhouette'))).to.equal(true);
    expect(texts.some((t) => t.includes('Inertia'))).to.equal(true);
    el.display = 'profiles';
    await el.updateComplete;
    await ready(el);
    expect(plotTexts(el)).to.include('Amount');
  });

  it('selecting a cluster row emits fin-select { customer_cluster = n } with its label; again clears', async () => {
    const el = await fixture<FinCluster>(html`<fin-cluster locale="en-US" .result=${twoClusters()}></fin-cluster>`);
    await ready(el);
    const btn = sr(el).querySelectorAll<HTMLButtonElement>('[part="select"]')[1]!;
    const ev = await nextSelect(el, () => btn.click());
    expect(ev.detail.clause).to.deep.equal({ field: 'customer_cluster', op: 'eq', value: 2 });
    expect(ev.detail.label).to.equal('Cluster 2: Dormant, low-spend');
    await el.updateComplete;
    expect(btn.getAttribute('aria-pressed')).to.equal('true');
    const again = await nextSelect(el, () => sr(el).querySelectorAll<HTMLButtonElement>('[part="select"]')[1]!.click());
    expect(again.detail.clause).to.equal(null);
  });

  it('loading, empty, error on a bad result; no scatter without assignments says so', async function () {
    this.timeout(90_000);
    await expectLoading(html`<fin-cluster .engine=${fakeEngine(null)}></fin-cluster>`);
    await expectEmpty(html`<fin-cluster .result=${twoClusters(noData())}></fin-cluster>`, (e) => ready(e as FinCluster));
    await expectBadResult('fin-cluster');
    const el = await fixture<FinCluster>(html`<fin-cluster locale="en-US" .result=${twoClusters({ meta: { ...twoClusters().meta, assignments: [] } })}></fin-cluster>`);
    await ready(el, () => true);
    expect(el.renderState).to.equal('ok');
    expect(sr(el).querySelector('[part="note"]')!.textContent).to.include('no scatter');
  });

  it('passes axe light and dark, chart and table view', async function () {
    this.timeout(90_000);
    for (const theme of ['light', 'dark']) {
      const el = await fixture<FinCluster>(html`<fin-cluster theme=${theme} .result=${twoClusters()}></fin-cluster>`);
      await ready(el);
      await expect(el).to.be.accessible();
      el.view = 'table';
      await el.updateComplete;
      await expect(el).to.be.accessible();
    }
  });

  describe('on the seeded sample', function () {
    this.timeout(300_000);
    let engine: FinEngine;
    before(async () => {
      engine = await sampleEngine(300);
    });

    it('paints and shows the numbers of the engine\'s own answer; its members request lists the selected cluster', async () => {
      const seen: QueryRequest[] = [];
      const el = await fixture<FinCluster>(html`<fin-cluster locale="en-US" .engine=${spyEngine(engine, seen)} .params=${{ restarts: 2, kMax: 4 }}></fin-cluster>`);
      await painted(el);
      expect(sr(el).querySelector('.plot svg, .plot canvas')).to.not.equal(null);
      expect(el.renderState).to.be.oneOf(['ok', 'partial']);
      const own = await engine.query({ metric: 'cluster', params: { restarts: 2, kMax: 4, includeAssignments: true, limit: 3000 } });
      expect(seen[0]!.params).to.deep.include({ includeAssignments: true, limit: 3000 });
      const rows = cells(el);
      expect(rows.length).to.equal(own.data.length);
      own.data.forEach((d, i) => {
        expect(rows[i]![0]).to.equal(String(d['cluster']));
        expect(rows[i]![2]).to.equal((d['size'] as number).toLocaleString('en-US'));
      });
      const members = await engine.query(el.membersRequest([1]));
      expect(members.meta!['members']).to.have.length(own.data[0]!['size'] as number);
    });

    it('in the 优质客户 dashboard: selecting a cluster filters the KPIs on its customers and becomes the profile\'s group', async () => {
      const spec = {
        ...highValueDashboard,
        sample: { customers: 300 },
        prepare: false,
        widgets: highValueDashboard.widgets.map((w) => (w.type === 'cluster' ? { ...w, params: { ...w.params, restarts: 2, kMax: 4 } } : w)),
      };
      const dash = await fixture<FinDashboard>(html`<fin-dashboard locale="en-US" .engine=${engine} .spec=${spec}></fin-dashboard>`);
      const widgets = await dashboardWidgets(dash);
      const cl = widgets.get('clusters') as FinCluster;
      const profile = widgets.get('profile')!;
      const kpi = widgets.get('kpi-customers')!;
      await painted(cl);
      await rendered(profile, 120_000);
      await rendered(kpi, 120_000);
      // before any selection: the profile's own group (重要价值客户)
      expect((profile.currentResult!.meta!['group'] as { kind: string }).kind).to.equal('segment');
      const c1 = cl.currentResult!.data[0]!;
      const req = cl.membersRequest([1]);
      const members = (await engine.query(req)).meta!['members'] as string[];
      expect(members).to.have.length(c1['size'] as number);
      let selected: FinSelectEvent | null = null;
      dash.addEventListener('fin-select', (e) => (selected = e as FinSelectEvent), { once: true });
      sr(cl).querySelector<HTMLButtonElement>('[part="select"]')!.click();
      await longUntil(() => selected !== null, 'fin-select from the cluster widget');
      // the KPI counts the cluster's customers (distinct customer ids among their transactions)
      await longUntil(() => kpi.currentResult?.basis.filters.some((f) => f.field === 'customer_id') === true, 'kpi filtered on members');
      const kpiFilter = kpi.currentResult!.basis.filters.find((f) => f.field === 'customer_id')!;
      expect([...(kpiFilter.value as string[])].sort()).to.deep.equal([...members].sort());
      // the profile's group is the cluster's customers
      await longUntil(() => (profile.currentResult?.meta?.['group'] as { size?: number } | undefined)?.size === members.length, 'profile group = cluster members');
      expect((profile.currentResult!.meta!['group'] as { kind: string }).kind).to.equal('ids');
    });
  });
});
