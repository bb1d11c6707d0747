/**
 * <fin-model> in Chromium: painted on the seeded sample (the `default` model) and on German Credit
 * (a custom model on the vendored data), tiles showing the engine's own figures with their status,
 * the five displays switched without a new query, the band and feature tables (WOE bins on
 * demand), the data-table view, CSV / SVG export, states (loading, empty, partial, error on a bad
 * result), axe in every display, light and dark.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/model/define.js';
import type { FinModel } from '../../components/model/model.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import { germanCreditParams, parseGermanCredit } from '../../src/data/real/german-credit.js';
import { fig } from '../../src/specs/model-common.js';
import { expectBadResult, expectLoading, fakeEngine, plotTexts, ready, sampleEngine, spyEngine, sr, vegaMounted } from './helpers.js';
import { fetchGzText } from '../../demo/real-data.js';

type Meta = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Painted: fin-render, then the Vega view where the display has one (tiles-only states have none). */
const drawn = (el: FinModel): boolean => !sr(el).querySelector('[part=chart] .plot') || vegaMounted()(el);
const readyModel = (el: FinModel): Promise<void> => ready(el, drawn);

const tile = (el: FinModel, k: string): string => sr(el).querySelector(`.tile-value[data-figure="${k}"]`)?.textContent ?? '';
const status = (el: FinModel, k: string): string =>
  (sr(el).querySelector(`.tile-value[data-figure="${k}"]`)?.closest('[part=tile]')?.className ?? '').trim();
const viewButton = (el: FinModel, label: string): HTMLButtonElement =>
  [...sr(el).querySelectorAll<HTMLButtonElement>('[part=views] button')].find((b) => b.textContent!.trim() === label)!;

async function switchTo(el: FinModel, label: string): Promise<void> {
  viewButton(el, label).click();
  await el.updateComplete;
  await readyModel(el);
  await el.viewReady;
  await el.updateComplete;
}

describe('<fin-model>', () => {
  describe('on the seeded sample (default model)', () => {
    let engine: FinEngine;
    let answer: MetricResult;
    before(async function () {
      this.timeout(120_000);
      engine = await sampleEngine(900);
      answer = await engine.query({ metric: 'model_monitor', params: { definition: 'default' } });
    });
    after(() => engine.dispose());

    it('renders painted; the tiles show the engine’s KS / AUC / Gini / PSI with their red-amber-green status', async function () {
      this.timeout(60_000);
      const el = await fixture<FinModel>(html`<fin-model style="width:760px" .engine=${engine} .params=${{ definition: 'default' }}></fin-model>`);
      await readyModel(el);
      expect(['ok', 'partial']).to.include(el.renderState);
      const meta = answer.meta as Meta;
      expect(tile(el, 'ks')).to.equal(fig(meta.overall.ks, 'zh-CN'));
      expect(tile(el, 'auc')).to.equal(fig(meta.overall.auc, 'zh-CN'));
      expect(tile(el, 'gini')).to.equal(fig(meta.overall.gini, 'zh-CN'));
      expect(tile(el, 'psi')).to.equal(fig(meta.psi, 'zh-CN'));
      // status by the stated thresholds
      const ks = meta.overall.ks as number;
      expect(status(el, 'ks')).to.include(ks < 0.2 ? 'red' : ks < 0.3 ? 'amber' : 'green');
      const psi = meta.psi as number;
      expect(status(el, 'psi')).to.include(psi < 0.1 ? 'green' : psi < 0.25 ? 'amber' : 'red');
      // the trend chart: one point per month and figure; the monitoring rule label
      expect(plotTexts(el).join(' ')).to.include('监控样本');
      expect(sr(el).querySelectorAll('.spark').length).to.be.greaterThan(2);
      await expect(el).to.be.accessible();
    });

    it('switches displays without a new query: curves, bands with the table, stability, features with WOE bins', async function () {
      this.timeout(60_000);
      const seen: QueryRequest[] = [];
      const el = await fixture<FinModel>(html`<fin-model locale="en-US" style="width:760px" .engine=${spyEngine(engine, seen)}></fin-model>`);
      await readyModel(el);
      expect(seen).to.have.length(1);

      await switchTo(el, 'ROC / KS');
      expect(el.display).to.equal('curves');
      const curveText = plotTexts(el).join(' ');
      expect(curveText).to.include(`AUC ${fig((answer.meta as Meta).overall.auc, 'en-US')}`);
      expect(curveText).to.include('KS ');
      await expect(el).to.be.accessible();

      await switchTo(el, 'Score bands');
      const rows = sr(el).querySelectorAll('[part=bands] tbody tr');
      expect(rows.length).to.equal(10);
      expect(rows[0]!.querySelector('td')!.textContent).to.equal('1');
      expect(plotTexts(el).join(' ')).to.include('Lift');
      await expect(el).to.be.accessible();

      await switchTo(el, 'Stability');
      expect(plotTexts(el).join(' ')).to.include('PSI by month');
      await expect(el).to.be.accessible();

      await switchTo(el, 'Features');
      const feats = (answer.meta as Meta).features as Array<{ label: Record<string, string> }>;
      const heads = [...sr(el).querySelectorAll('[part=features] tbody th[scope=row]')].map((t) => t.textContent);
      expect(heads).to.deep.equal(feats.map((f) => f.label['en-US']));
      const btn = sr(el).querySelector<HTMLButtonElement>('[part=features] button')!;
      expect(btn.getAttribute('aria-expanded')).to.equal('false');
      btn.click();
      await el.updateComplete;
      const bins = sr(el).querySelector('[part=bins]')!;
      expect(bins.querySelectorAll('tbody tr').length).to.be.greaterThan(1);
      expect(sr(el).querySelector('[part=features] button')!.getAttribute('aria-expanded')).to.equal('true');
      await expect(el).to.be.accessible();
      expect(seen).to.have.length(1);
    });

    it('table view per display and CSV / SVG export', async function () {
      this.timeout(60_000);
      const el = await fixture<FinModel>(html`<fin-model style="width:760px" .engine=${engine}></fin-model>`);
      await readyModel(el);
      const svg = await el.svg();
      expect(svg).to.match(/^<svg/);
      el.view = 'table';
      await el.updateComplete;
      expect(sr(el).querySelectorAll('[part=table] tbody tr').length).to.equal(answer.data.length);
      const csv = el.csv();
      expect(csv).to.include('月份');
      expect(csv.split('\n').filter((l) => /^\d{4}-\d{2},/.test(l))).to.have.length(answer.data.length);
      el.display = 'bands';
      await el.updateComplete;
      expect(sr(el).querySelectorAll('[part=table] tbody tr').length).to.equal(10);
      expect(el.csv()).to.include('提升度');
      await expect(el).to.be.accessible();
    });

    it('dark theme and en-US: tiles and axe', async function () {
      this.timeout(60_000);
      const el = await fixture<FinModel>(html`<fin-model theme="dark" locale="en-US" style="width:760px" .result=${answer}></fin-model>`);
      await readyModel(el);
      expect(sr(el).querySelector('[part=views]')!.textContent).to.include('Overview');
      expect(sr(el).querySelector('[part=status]')!.textContent!.trim()).to.match(/^(Good|Watch|Weak|Stable|Shifted)$/);
      await expect(el).to.be.accessible();
    });
  });

  describe('on German Credit (custom model, seeded 70/30 split)', () => {
    it('renders painted; AUC tile equals the engine’s monitoring AUC (in the published 0.70–0.85 range)', async function () {
      this.timeout(90_000);
      const g = parseGermanCredit(await fetchGzText('/datasets/german_credit/germancredit.csv.gz'));
      const { createEngine } = await import('../../src/engine/create.js');
      const engine = createEngine();
      await engine.load('german', g.columns);
      const params = germanCreditParams(g.features);
      const r = await engine.query({ metric: 'model_monitor', source: 'german', params });
      const meta = r.meta as Meta;
      expect(meta.overall.count).to.equal(300);
      expect(meta.overall.auc).to.be.within(0.7, 0.85);
      const el = await fixture<FinModel>(html`<fin-model style="width:760px" source="german" .engine=${engine} .params=${params}></fin-model>`);
      await readyModel(el);
      expect(tile(el, 'auc')).to.equal(fig(meta.overall.auc, 'zh-CN'));
      expect(tile(el, 'ks')).to.equal(fig(meta.overall.ks, 'zh-CN'));
      await switchTo(el, '特征');
      expect(sr(el).querySelectorAll('[part=features] tbody th[scope=row]').length).to.equal(20);
      engine.dispose();
    });
  });

  describe('states', () => {
    const base = (): MetricResult => ({
      data: [{ month: '2024-01', sample: 'monitoring', count: 10, events: 2, eventRate: 0.2, auc: 0.8, gini: 0.6, ks: 0.5, psi: 0.3, psiReading: 'shifted' }],
      basis: { metric: 'model_monitor', title: { 'zh-CN': '模型监控', 'en-US': 'Model monitoring' }, formula: { 'zh-CN': 'f', 'en-US': 'f' }, measure: 'count', options: {}, filters: [], exclusions: [] },
      quality: { rows: 10, used: 10, excluded: {}, warnings: [] },
      meta: {
        overall: { count: 10, events: 2, eventRate: 0.2, auc: 0.8, gini: 0.6, ks: 0.5, ksCutoff: 0.3, ksCutoffScore: null },
        development: null,
        psi: 0.3,
        bands: [],
        distribution: [],
        curve: [],
        features: [],
      },
    });

    it('loading, empty, partial, error on a bad result and on a result of another metric', async function () {
      this.timeout(30_000);
      await expectLoading(html`<fin-model .engine=${fakeEngine(null)}></fin-model>`);
      const empty = await fixture<FinModel>(html`<fin-model .result=${{ ...base(), data: [], meta: { ...base().meta, overall: { count: 0 } } }}></fin-model>`);
      await readyModel(empty);
      expect(empty.renderState).to.equal('empty');
      // no monthly rows (a sample without dates) but a scored sample: every figure still shown
      const undated = await fixture<FinModel>(html`<fin-model .result=${{ ...base(), data: [] }}></fin-model>`);
      await readyModel(undated);
      expect(undated.renderState).to.equal('ok');
      expect(tile(undated, 'ks')).to.equal('0.500');
      const partial = await fixture<FinModel>(html`<fin-model .result=${{ ...base(), quality: { rows: 12, used: 10, excluded: { missing_label: 2 }, warnings: [] } }}></fin-model>`);
      await readyModel(partial);
      expect(partial.renderState).to.equal('partial');
      // hand-set figures: KS 0.5 green, AUC 0.8 green, Gini 0.6 green, PSI 0.3 red
      expect(status(partial, 'ks')).to.include('green');
      expect(status(partial, 'psi')).to.include('red');
      expect(tile(partial, 'psi')).to.equal('0.300');
      await expectBadResult('fin-model');
      const other = await fixture<FinModel>(html`<fin-model .result=${{ ...base(), meta: { overall: {} } }}></fin-model>`);
      await readyModel(other);
      expect(other.renderState).to.equal('error');
      expect(sr(other).querySelector('[part=error]')!.textContent).to.include('meta.bands');
    });
  });
});
