/**
 * <fin-cohort> in Chromium: the three ways of use (.result, .data through the private engine, an
 * engine with the seeded sample), every state, selection by mouse and keyboard, parts, locales,
 * themes, display switch, axe, the table view and cleanup on disconnect.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../components/cohort/define.js';
import type { FinCohort } from '../../components/cohort/cohort.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import { appendFor, bi, datum, expectEmpty, expectLoading, fakeEngine, frame, hover } from './helpers.js';
import { mount, partialNote, ready, remounted, sampleEngine, sr, steadyView, tooltip } from './helpers.js';

const quality = { rows: 100, used: 100, excluded: {}, warnings: [] };

/** A 3-cohort monthly retention triangle (right-censored cells null, as the engine returns them). */
function retention(n = 3, extra: Partial<MetricResult> = {}): MetricResult {
  const data: Array<Record<string, unknown>> = [];
  const cohorts: string[] = [];
  for (let c = 0; c < n; c++) {
    const key = `2023-${String(c + 1).padStart(2, '0')}`;
    cohorts.push(key);
    for (let p = 0; p < n; p++) {
      const censored = c + p > n - 1;
      const v =
        p === 0
          ? 1
          : n > 3
            ? Math.round((0.5 * Math.pow(0.9, p) - 0.002 * c) * 1e4) / 1e4
            : 0.5 - 0.1 * p - 0.01 * c;
      data.push({
        cohort: key,
        size: 200 + c,
        period: p,
        value: censored ? null : v,
        active: censored ? null : Math.round(v * (200 + c)),
      });
    }
  }
  return {
    data,
    basis: {
      metric: 'cohort',
      title: bi('同期群留存', 'Cohort retention'),
      formula: bi('留存', 'retention'),
      options: { unit: 'month', value: 'retention', dateField: 'txn_time' },
      filters: [],
      exclusions: [],
    },
    quality,
    meta: { cohorts, maxPeriod: n - 1, unit: 'month' },
    ...extra,
  };
}

const VINTAGE: MetricResult = {
  data: [
    { cohort: '2024-01', mob: 0, month: '2024-01', numerator: 0, denominator: 1e6, rate: 0 },
    { cohort: '2024-01', mob: 1, month: '2024-02', numerator: 2e4, denominator: 1e6, rate: 0.02 },
    { cohort: '2024-02', mob: 0, month: '2024-02', numerator: 0, denominator: 2e6, rate: 0 },
    { cohort: '2024-02', mob: 1, month: '2024-03', numerator: null, denominator: 2e6, rate: null },
  ],
  basis: {
    metric: 'vintage',
    title: bi('Vintage', 'Vintage'),
    formula: bi('v', 'v'),
    measure: 'amount',
    options: { d: 30 },
    filters: [],
    exclusions: [],
  },
  quality,
  meta: {
    cohorts: [
      { cohort: '2024-01', loans: 10, principal: 1e6, observedMob: 1 },
      { cohort: '2024-02', loans: 20, principal: 2e6, observedMob: 0 },
    ],
    mobs: 2,
    measure: 'amount',
  },
};

/** Render a cohort element and wait until it has drawn. */
const show = (template: TemplateResult): Promise<FinCohort> => mount(template, ready);
/** The 3-cohort retention triangle at a width. */
const triangleAt = (locale: string, width: number): Promise<FinCohort> =>
  show(html`<fin-cohort locale=${locale} .result=${retention()} style="width: ${width}px"></fin-cohort>`);

/** SVG items of a Vega mark type (`rect`, `text`, `line`, `symbol`) inside the plot. */
function marks(el: FinCohort, type: string): SVGElement[] {
  return [...sr(el).querySelectorAll<SVGElement>(`.plot svg g.mark-${type} > *`)];
}
const svgText = (el: FinCohort): string =>
  marks(el, 'text')
    .map((t) => t.textContent)
    .join('|');
const click = (node: Element): void =>
  void node.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: 1, clientY: 1 }));
/** The drawn cell of a cohort. */
const cellOf = (el: FinCohort, cohort: string): SVGElement =>
  marks(el, 'rect').find((r) => datum(r)['cohort'] === cohort)!;

describe('fin-cohort', () => {
  describe('accessibility', () => {
    it('passes axe in chart and table view, light and dark', async () => {
      const el = await triangleAt('zh-CN', 640);
      await expect(el).to.be.accessible();
      const base = sr(el).querySelector('[part="base"]')!;
      expect(base.getAttribute('role')).to.equal('figure');
      expect(base.getAttribute('aria-label')).to.equal('同期群留存');
      el.theme = 'dark';
      el.view = 'table';
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });

    it('passes axe in a fixed-height host where the plot scrolls (focusable, named by the summary)', async () => {
      const el = await show(
        html`<fin-cohort
          locale="en-US"
          .result=${retention(20)}
          style="width: 500px; height: 260px"
        ></fin-cohort>`,
      );
      const plot = sr(el).querySelector<HTMLElement>('.plot')!;
      expect(plot.scrollHeight).to.be.greaterThan(plot.clientHeight);
      expect(plot.tabIndex).to.equal(0);
      expect(plot.getAttribute('aria-label')).to.include('20 cohorts');
      await expect(el).to.be.accessible();
    });
  });

  describe('rendering from .result', () => {
    it('draws observed cells only (censored blank), labels, sizes and value labels', async () => {
      const el = await triangleAt('zh-CN', 640);
      expect(el.renderState).to.equal('ok');
      // 3 × 3 triangle: 6 observed cells, 3 right-censored ones not drawn.
      const rects = marks(el, 'rect');
      expect(rects).to.have.length(6);
      const t = svgText(el);
      for (const s of [
        '2023年1月',
        '2023年3月',
        '200',
        '202',
        'p0',
        'p2',
        '同期群',
        '客户数',
        '100.0%',
        '30.0%',
        '39.0%',
        '距同期群起始月数 p',
      ])
        expect(t, s).to.include(s);
      for (const p of [
        'base',
        'header',
        'title',
        'chart',
        'legend',
        'controls',
        'display-toggle',
        'cohort-select',
        'summary',
      ]) {
        expect(sr(el).querySelector(`[part~="${p}"]`), p).to.not.equal(null);
      }
      const summary = sr(el).querySelector('[part="summary"]')!.textContent!;
      expect(summary).to.include('3 个同期群');
      expect(summary).to.include('p1 平均');
      expect(summary).to.include('右删失');
      expect(sr(el).querySelector('[part="legend"]')!.textContent).to.include('空白 = 尚未观察到');
    });

    it('renders vintage results with MOB columns and the principal column', async () => {
      const el = await show(
        html`<fin-cohort mode="vintage" locale="en-US" .result=${VINTAGE} style="width: 600px"></fin-cohort>`,
      );
      expect(marks(el, 'rect')).to.have.length(3);
      const t = svgText(el);
      for (const s of [
        'Jan 2024',
        'Feb 2024',
        'MOB0',
        'MOB1',
        'Principal',
        '1M',
        '2M',
        'Months on book (MOB)',
        '2.00%',
      ])
        expect(t, s).to.include(s);
    });

    it('switches visible text with the locale', async () => {
      const el = await triangleAt('zh-CN', 600);
      expect(svgText(el)).to.include('2023年2月');
      expect(sr(el).querySelector('[part="cohort-select"]')!.textContent).to.include('全部');
      const before = el.view_;
      el.locale = 'en-US';
      await remounted(el, before);
      expect(svgText(el)).to.include('Feb 2023');
      expect(svgText(el)).to.include('Months since cohort start (p)');
      expect(sr(el).querySelector('[part="title"]')!.textContent).to.equal('Cohort retention');
      expect(sr(el).querySelector('[part="legend"]')!.textContent).to.include('Blank = not yet observed');
    });

    it('uses the dark ramp under theme="dark" and a host ramp from --fin-cohort-ramp', async () => {
      const light = await fixture<FinCohort>(
        html`<fin-cohort .result=${retention()} style="width: 500px"></fin-cohort>`,
      );
      const dark = await fixture<FinCohort>(
        html`<fin-cohort theme="dark" .result=${retention()} style="width: 500px"></fin-cohort>`,
      );
      const custom = await fixture<FinCohort>(
        html`<fin-cohort
          .result=${retention(1)}
          style="width: 500px; --fin-cohort-ramp: #ffffff #ff0000"
        ></fin-cohort>`,
      );
      await Promise.all([ready(light), ready(dark), ready(custom)]);
      const fill = (el: FinCohort): string => marks(el, 'rect')[0]!.getAttribute('fill')!;
      expect(fill(light)).to.not.equal(fill(dark));
      expect(fill(custom)).to.equal('#ff0000');
    });

    it('switches to curves (no re-query) and back with the display toggle', async () => {
      const seen: QueryRequest[] = [];
      const el = await show(
        html`<fin-cohort .engine=${fakeEngine(retention(), seen)} style="width: 600px"></fin-cohort>`,
      );
      const buttons = sr(el).querySelectorAll<HTMLButtonElement>('[part="display-toggle"] button');
      expect(buttons[0]!.getAttribute('aria-pressed')).to.equal('true');
      const before = el.view_;
      buttons[1]!.click();
      await remounted(el, before);
      expect(el.display).to.equal('curves');
      expect(el.getAttribute('display')).to.equal('curves');
      expect(sr(el).querySelectorAll('.plot svg g.mark-line')).to.have.length(3); // one line per cohort
      expect(marks(el, 'symbol')).to.have.length(6);
      expect(seen).to.have.length(1);
    });

    it('renders a single cohort, all-null rows and a 36 × 36 triangle (canvas)', async () => {
      const one = await fixture<FinCohort>(
        html`<fin-cohort .result=${retention(1)} style="width: 320px"></fin-cohort>`,
      );
      const nulls = retention(3);
      for (const d of nulls.data) d['value'] = null;
      const empty = await fixture<FinCohort>(
        html`<fin-cohort locale="en-US" .result=${nulls} style="width: 400px"></fin-cohort>`,
      );
      // 666 cells with value labels and row labels: > 1,000 marks, drawn on canvas.
      const big = await fixture<FinCohort>(
        html`<fin-cohort .result=${retention(36)} style="width: 1400px"></fin-cohort>`,
      );
      await Promise.all([ready(one), ready(empty), ready(big)]);
      expect(marks(one, 'rect')).to.have.length(1);
      expect(marks(empty, 'rect')).to.have.length(0);
      expect(svgText(empty)).to.include('Mar 2023');
      expect(empty.renderState).to.equal('ok');
      expect(sr(big).querySelector('.plot canvas')).to.not.equal(null);
      expect(big.renderState).to.equal('ok');
    });

    it('re-specs on container width change', async () => {
      const el = await show(html`<fin-cohort .result=${retention(12)} style="width: 800px"></fin-cohort>`);
      const w0 = el.view_!.width();
      const before = el.view_;
      el.style.width = '360px';
      await remounted(el, before);
      expect(el.view_!.width()).to.be.lessThan(w0);
    });

    it('shows a text tooltip for a cell', async () => {
      const el = await triangleAt('zh-CN', 600);
      const cell = marks(el, 'rect').find((r) => {
        const d = datum(r);
        return d['cohort'] === '2023-01' && d['period'] === 1;
      })!;
      hover(cell, 2, {});
      const tip = await tooltip(el);
      expect(tip.hidden).to.equal(false);
      expect(tip.textContent).to.include('同期群 2023年1月 · p1');
      expect(tip.textContent).to.include('留存率: 40.0%');
      expect(tip.textContent).to.include('活跃: 80');
      expect(tip.textContent).to.include('客户数: 200');
      expect(tip.children).to.have.length(0); // text only
    });

    it('shows the table view with blank censored cells and exports raw values', async () => {
      const el = await fixture<FinCohort>(
        html`<fin-cohort locale="en-US" view="table" .result=${retention()}></fin-cohort>`,
      );
      await el.updateComplete;
      const rows = sr(el).querySelectorAll('[part="table"] tbody tr');
      expect(rows).to.have.length(3);
      expect(rows[0]!.textContent).to.include('Jan 2023');
      expect(rows[0]!.textContent).to.include('40.0%');
      expect(rows[2]!.querySelectorAll('td.censored')).to.have.length(2);
      const csv = el.csv();
      expect(csv).to.include('Cohort,Customers,p0,p1,p2');
      expect(csv).to.include('2023-01,200,1,0.4,0.3');
      expect(csv).to.match(/2023-03,202,1,,\r?\n?/);
    });
  });

  describe('states', () => {
    it('shows loading while the engine works', async () => {
      await expectLoading(html`<fin-cohort .engine=${fakeEngine(null)}></fin-cohort>`);
    });

    it('shows the empty state for a result without rows', async () => {
      const r = retention(0, { empty: bi('所选范围内没有数据', 'No data in the selected range') });
      const updated = (el: FinCohort): Promise<boolean> => el.updateComplete;
      await expectEmpty(
        html`<fin-cohort locale="en-US" .result=${r}></fin-cohort>`,
        updated,
        'No data in the selected range',
      );
    });

    it('shows partial data with the quality warnings', async () => {
      const r = retention(3, {
        quality: {
          rows: 100,
          used: 90,
          excluded: { missing_date: 10 },
          warnings: [bi('最后一期不完整', 'Last period is partial')],
        },
      });
      const el = await show(html`<fin-cohort locale="zh-CN" .result=${r}></fin-cohort>`);
      const q = partialNote(el);
      expect(q).to.include('数据不完整');
      expect(q).to.include('最后一期不完整');
      expect(marks(el, 'rect')).to.have.length(6);
    });

    it('shows an error (and fires fin-error) for a result without a cohort column', async () => {
      const bad = { ...retention(), data: [{ month: '2023-01', value: 1 }] };
      const el = document.createElement('fin-cohort');
      el.result = bad;
      const got = appendFor<{ code: string; message: string }>(el);
      try {
        const e = await got;
        expect(e.detail.code).to.equal('render_failed');
        expect(e.detail.message).to.include('cohort');
        await el.updateComplete;
        expect(el.renderState).to.equal('error');
        expect(sr(el).querySelector('[part="error"]')).to.not.equal(null);
      } finally {
        el.remove();
      }
    });

    it('shows an error for data missing a required column', async () => {
      const el = await show(
        html`<fin-cohort
          .data=${[{ txn_id: 't1', txn_time: '2023-01-05', amount: 10, direction: 'in' }]}
        ></fin-cohort>`,
      );
      expect(el.renderState).to.equal('error');
      expect(sr(el).querySelector('[part="error"]')!.textContent).to.match(
        /customer_id|缺少字段|Column missing/,
      );
    });
  });

  describe('ways of use', () => {
    it('computes retention from .data through the private engine', async () => {
      const rows = [
        { txn_id: 't1', customer_id: 'c1', txn_time: '2023-01-05', amount: 10, direction: 'in' },
        { txn_id: 't2', customer_id: 'c1', txn_time: '2023-02-05', amount: 10, direction: 'in' },
        { txn_id: 't3', customer_id: 'c2', txn_time: '2023-01-09', amount: 10, direction: 'out' },
        { txn_id: 't4', customer_id: 'c3', txn_time: '2023-02-10', amount: 10, direction: 'out' },
      ];
      const el = await show(
        html`<fin-cohort locale="en-US" .data=${rows} style="width: 500px"></fin-cohort>`,
      );
      expect(el.renderState).to.equal('ok');
      const r = el.currentResult!;
      expect(r.basis.metric).to.equal('cohort');
      // Jan cohort: c1, c2 (2); p1: c1 → 50%. Feb cohort: c3; p1 censored.
      expect(r.data).to.deep.include({ cohort: '2023-01', size: 2, period: 1, value: 0.5, active: 1 });
      expect(marks(el, 'rect')).to.have.length(3);
      expect(svgText(el)).to.include('50.0%');
    });

    let engine: FinEngine;
    before(async () => {
      engine = await sampleEngine(300);
    });

    it('renders vintage on the seeded sample and maps element properties to params', async () => {
      const el = await show(
        html`<fin-cohort
          mode="vintage"
          value-mode="count"
          variant="ever"
          threshold="60"
          .engine=${engine}
          style="width: 700px"
        ></fin-cohort>`,
      );
      expect(el.renderState).to.be.oneOf(['ok', 'partial']);
      const r = el.currentResult!;
      expect(r.basis.metric).to.equal('vintage');
      expect(r.basis.options).to.include({ d: 60, variant: 'ever', measure: 'count' });
      expect(marks(el, 'rect').length + (sr(el).querySelector('.plot canvas') ? 1 : 0)).to.be.greaterThan(0);
    });

    it('sends value, unit and cumulative for retention, and re-queries when they change', async () => {
      const seen: QueryRequest[] = [];
      const el = await show(
        html`<fin-cohort
          value-mode="count"
          unit="week"
          .engine=${fakeEngine(retention(), seen)}
        ></fin-cohort>`,
      );
      expect(seen[0]).to.deep.include({ metric: 'cohort' });
      expect(seen[0]!.params).to.deep.equal({ value: 'count', unit: 'week' });
      el.cumulative = true;
      await el.updateComplete;
      await ready(el);
      expect(seen.at(-1)!.params).to.deep.equal({ value: 'count', unit: 'week', cumulative: true });
      el.mode = 'vintage';
      el.valueMode = 'amount';
      await el.updateComplete;
      expect(seen.at(-1)!.metric).to.equal('vintage');
      expect(seen.at(-1)!.params).to.deep.equal({ measure: 'amount' });
      // params.threshold (a dashboard preset's spelling) is passed on as the metric's `d`.
      el.params = { threshold: 60 };
      await el.updateComplete;
      expect(seen.at(-1)!.params).to.deep.equal({ d: 60, measure: 'amount' });
    });
  });

  describe('selection', () => {
    it('selects a cohort by clicking a cell, and clears on a second click', async () => {
      const el = await triangleAt('zh-CN', 600);
      await steadyView(el);
      const cell = cellOf(el, '2023-02');
      setTimeout(() => click(cell));
      const e1 = await oneEvent(el, 'fin-select');
      expect(e1.detail.clause).to.deep.equal({ field: 'txn_time.month', op: 'eq', value: '2023-02' });
      expect(e1.detail.label).to.equal('同期群 2023年2月');
      const before = el.view_;
      await remounted(el, before);
      expect(sr(el).querySelector('.selection')!.textContent).to.include('2023年2月');
      expect((sr(el).querySelector('[part="cohort-select"]') as HTMLSelectElement).value).to.equal('2023-02');
      await steadyView(el);
      const again = cellOf(el, '2023-02');
      setTimeout(() => click(again));
      const e2 = await oneEvent(el, 'fin-select');
      expect(e2.detail.clause).to.equal(null);
    });

    it('selects by clicking a row label; vintage selects issue_date.month', async () => {
      const el = await show(
        html`<fin-cohort mode="vintage" locale="en-US" .result=${VINTAGE} style="width: 600px"></fin-cohort>`,
      );
      await steadyView(el); // a late resize re-mounts the view; a click on the old one is lost
      const label = marks(el, 'text').find((t) => t.textContent === 'Feb 2024')!;
      setTimeout(() => click(label));
      const e = await oneEvent(el, 'fin-select');
      expect(e.detail.clause).to.deep.equal({ field: 'issue_date.month', op: 'eq', value: '2024-02' });
    });

    it('offers keyboard selection through the cohort picker and the table buttons', async () => {
      const el = await triangleAt('en-US', 600);
      const select = sr(el).querySelector<HTMLSelectElement>('[part="cohort-select"]')!;
      select.focus();
      select.value = '2023-03';
      setTimeout(() => select.dispatchEvent(new Event('change', { bubbles: true })));
      const e1 = await oneEvent(el, 'fin-select');
      expect(e1.detail.clause).to.deep.equal({ field: 'txn_time.month', op: 'eq', value: '2023-03' });
      // The base's "clear selection" button clears the highlight too.
      await el.updateComplete;
      const clear = sr(el).querySelector<HTMLButtonElement>('.selection button')!;
      setTimeout(() => clear.click());
      const e2 = await oneEvent(el, 'fin-select');
      expect(e2.detail.clause).to.equal(null);
      await el.updateComplete;
      expect(select.value).to.equal('');

      el.view = 'table';
      await el.updateComplete;
      const btn = sr(el).querySelectorAll<HTMLButtonElement>('[part="table"] button.cohort')[0]!;
      expect(btn.textContent!.trim()).to.equal('Jan 2023');
      btn.focus();
      expect(sr(el).activeElement).to.equal(btn);
      // A native button turns Enter / Space into click.
      setTimeout(() => btn.click());
      const e3 = await oneEvent(el, 'fin-select');
      expect(e3.detail.clause).to.deep.equal({ field: 'txn_time.month', op: 'eq', value: '2023-01' });
      await el.updateComplete;
      expect(
        sr(el).querySelectorAll('[part="table"] button.cohort')[0]!.getAttribute('aria-pressed'),
      ).to.equal('true');
    });

    it('selects week and quarter cohorts as date ranges', async () => {
      const el = document.createElement('fin-cohort');
      expect(el.cohortClause('2023-06-05')).to.deep.equal({
        field: 'txn_time',
        op: 'range',
        value: ['2023-06-05', '2023-06-11'],
      });
      expect(el.cohortClause('2023-Q2')).to.deep.equal({
        field: 'txn_time',
        op: 'range',
        value: ['2023-04', '2023-06'],
      });
      el.params = { dateField: 'issue_date' };
      expect(el.cohortClause('2023-06')).to.deep.equal({
        field: 'issue_date.month',
        op: 'eq',
        value: '2023-06',
      });
    });
  });

  describe('cleanup', () => {
    it('finalizes the Vega view on disconnect', async () => {
      const el = await show(html`<fin-cohort .result=${retention()} style="width: 500px"></fin-cohort>`);
      expect(el.view_).to.not.equal(null);
      el.remove();
      expect(el.view_).to.equal(null);
      await frame();
    });
  });
});
