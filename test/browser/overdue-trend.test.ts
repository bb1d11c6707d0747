/**
 * <fin-overdue-trend> in Chromium: the three ways of use (.result, .data through the private
 * engine, an engine with the seeded sample), the four displays, every state, selection by mouse
 * (month, shift-click range, roll-rate row, legend) and keyboard (legend and table row headers),
 * parts, locales, width changes, axe, and cleanup on disconnect.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import '../../components/overdue-trend/define.js';
import type { FinOverdueTrend } from '../../components/overdue-trend/overdue-trend.js';
import type { FinErrorEvent, FinQualityEvent, FinSelectEvent } from '../../components/base/events.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import { appendFor, bi, clickMark, expectEmpty, expectLoading, fakeEngine, mount } from './helpers.js';
import { nextSelect, noData, partialNote, plotTexts as texts, ready as readyWhen } from './helpers.js';
import { remounted, rowHeads, sampleEngine, sleep, sr, tooltip, vegaMounted } from './helpers.js';

const BUCKETS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+'];
const EDGES = [0, 1, 31, 61, 91, 121, 151, 181];

/** A bucket_trend result for Jan–Mar 2024. */
function bucketTrend(extra: Partial<MetricResult> = {}): MetricResult {
  const data: Array<Record<string, unknown>> = [];
  for (const [mi, month] of ['2024-01', '2024-02', '2024-03'].entries()) {
    const values = [90000, 4000 + mi * 1000, 2000, 1000, 500, 400, 300, 200 + mi * 100];
    const tot = values.reduce((a, b) => a + b, 0);
    BUCKETS.forEach((bucket, index) =>
      data.push({
        month,
        bucket,
        index,
        count: 1,
        outstanding: values[index],
        value: values[index],
        share: values[index]! / tot,
      }),
    );
  }
  return {
    data,
    basis: {
      metric: 'bucket_trend',
      title: bi('逾期阶段趋势', 'DPD bucket trend'),
      formula: bi('value(b, t)', 'value(b, t)'),
      measure: 'amount',
      options: { measure: 'amount', edges: EDGES, labels: BUCKETS },
      filters: [],
      exclusions: [],
    },
    quality: { rows: 30, used: 30, excluded: {}, warnings: [] },
    meta: { buckets: BUCKETS, months: ['2024-01', '2024-02', '2024-03'], measure: 'amount' },
    ...extra,
  };
}

/** A roll_rate result M0..M7+ × states. */
function rollRate(): MetricResult {
  const cols = [...BUCKETS, 'closed', 'written_off', 'missing'];
  const data: Array<Record<string, unknown>> = [];
  for (const [i, from] of BUCKETS.entries()) {
    for (const [j, to] of cols.entries()) {
      const loans = j === 0 ? 6 : j === Math.min(i + 1, 7) ? 3 : to === 'closed' ? 1 : 0;
      data.push({ from, to, loans, amount: loans * 10, value: loans, share: loans / 10 });
    }
  }
  return {
    data,
    basis: {
      metric: 'roll_rate',
      title: bi('滚动率矩阵', 'Roll-rate matrix'),
      formula: bi('cell(i, j)', 'cell(i, j)'),
      measure: 'count',
      options: { t0: '2024-02', t1: '2024-03', measure: 'count', edges: EDGES, labels: BUCKETS },
      filters: [],
      exclusions: [],
    },
    quality: { rows: 80, used: 80, excluded: {}, warnings: [] },
    meta: { t0: '2024-02', t1: '2024-03', rows: BUCKETS, columns: cols, measure: 'count' },
  };
}

/** Four loans over three month ends: current, rolling M0→M1→M2, curing, and deep in arrears. */
const LOAN_MONTHS = [
  ['L1', [0, 0, 0], 1000],
  ['L2', [0, 15, 45], 500],
  ['L3', [0, 0, 15], 800],
  ['L4', [40, 70, 100], 300],
].flatMap(([loan_id, dpds, outstanding]) =>
  ['2024-01-31', '2024-02-29', '2024-03-31'].map((snapshot_date, i) => ({
    loan_id,
    snapshot_date,
    dpd: (dpds as number[])[i],
    outstanding,
    status: 'active',
  })),
);

/** Wait until the query settled and (for ok/partial in chart view) a Vega view is mounted. */
const ready = (el: FinOverdueTrend): Promise<void> => readyWhen(el, vegaMounted('.plot svg'));
/** Render an overdue-trend element and wait until it has drawn. */
const show = (template: TemplateResult): Promise<FinOverdueTrend> => mount(template, ready);
/** The bucket trend of Jan–Mar 2024 at 560px. */
const buckets = (locale: string): Promise<FinOverdueTrend> =>
  show(
    html`<fin-overdue-trend
      locale=${locale}
      .result=${bucketTrend()}
      style="width: 560px"
    ></fin-overdue-trend>`,
  );

const legend = (el: FinOverdueTrend): HTMLButtonElement[] => [
  ...sr(el).querySelectorAll<HTMLButtonElement>('[part="legend"] button'),
];
/** The transparent month bands (tooltip and click targets). */
const monthBands = (el: FinOverdueTrend): SVGElement[] => [
  ...sr(el).querySelectorAll<SVGElement>('.plot svg g.mark-rect.months_marks > path'),
];
const heatCells = (el: FinOverdueTrend): SVGElement[] => [
  ...sr(el).querySelectorAll<SVGElement>('.plot svg g.mark-rect.cells_marks > path'),
];

describe('fin-overdue-trend', () => {
  let sample: FinEngine;
  before(async () => {
    sample = await sampleEngine(300);
  });
  /** A display of the seeded sample, with an alert line. */
  const sampled = (display: string, locale: string, threshold: string, width: number): TemplateResult =>
    html`<fin-overdue-trend
      locale=${locale}
      display=${display}
      threshold=${threshold}
      .engine=${sample}
      style="width: ${width}px"
    ></fin-overdue-trend>`;

  describe('accessibility', () => {
    it('passes axe for each display, in chart and table view, light and dark', async () => {
      const el = await buckets('zh-CN');
      await expect(el).to.be.accessible();
      const base = sr(el).querySelector('[part="base"]')!;
      expect(base.getAttribute('role')).to.equal('figure');
      expect(base.getAttribute('aria-label')).to.equal('逾期阶段趋势');
      expect(sr(el).querySelector('.plot')!.getAttribute('aria-label')).to.include('2024年1月 至 2024年3月');
      el.theme = 'dark';
      el.view = 'table';
      await el.updateComplete;
      await expect(el).to.be.accessible();
      for (const display of ['rates', 'flows', 'rollrate'] as const) {
        const d = await show(sampled(display, 'en-US', '3%', 560));
        expect(d.renderState, display).to.equal('ok');
        await expect(d).to.be.accessible();
      }
    });
  });

  describe('buckets from .result', () => {
    it('draws stacked overdue buckets with M0 left out and noted; localised months and axis; parts present', async () => {
      const el = await buckets('zh-CN');
      expect(el.renderState).to.equal('ok');
      const t = texts(el);
      for (const s of ['2024年1月', '2024年2月', '2024年3月', '余额']) expect(t, s).to.include(s);
      expect(t.some((s) => s.endsWith('万'))).to.equal(true);
      expect(legend(el).map((b) => b.textContent!.trim())).to.deep.equal(BUCKETS.slice(1));
      expect(sr(el).querySelector('[part="note"]')!.textContent).to.include('M0（正常）已隐藏');
      for (const p of ['base', 'header', 'title', 'chart', 'legend', 'note', 'tooltip', 'summary'])
        expect(sr(el).querySelector(`[part~="${p}"]`), p).to.not.equal(null);
      expect(sr(el).querySelectorAll('.plot svg g.mark-area path').length).to.equal(7);
      const summary = sr(el).querySelector('[part="summary"]')!.textContent!;
      expect(summary).to.include('共 3 个月');
      expect(summary).to.include('最大的逾期阶段为 M1');
    });

    it('draws M0 too with exclude-current="false", bars with chart-type="bar", shares with share', async () => {
      const el = await show(
        html`<fin-overdue-trend
          locale="en-US"
          exclude-current="false"
          chart-type="bar"
          share
          .result=${bucketTrend()}
          style="width: 560px"
        ></fin-overdue-trend>`,
      );
      expect(el.excludeCurrent).to.equal(false);
      expect(legend(el)).to.have.length(8);
      expect(sr(el).querySelector('[part="note"]')).to.equal(null);
      expect(sr(el).querySelectorAll('.plot svg g.mark-rect path').length).to.be.greaterThan(20);
      const t = texts(el);
      expect(t).to.include('100%');
      expect(t).to.include('Share of outstanding');
    });

    it('switches visible text with the locale', async () => {
      const el = await buckets('zh-CN');
      const before = el.view_;
      el.locale = 'en-US';
      await remounted(el, before);
      const t = texts(el);
      for (const s of ['Jan 2024', 'Mar 2024', 'Outstanding']) expect(t, s).to.include(s);
      expect(t).to.not.include('2024年1月');
      expect(sr(el).querySelector('[part="title"]')!.textContent).to.equal('DPD bucket trend');
      expect(sr(el).querySelector('[part="note"]')!.textContent).to.include('M0 (current) is hidden');
      el.view = 'table';
      await el.updateComplete;
      expect(sr(el).querySelector('[part="table"] th')!.textContent).to.equal('Month');
      expect(sr(el).querySelector('[part="table"] tbody th')!.textContent!.trim()).to.equal('Jan 2024');
    });

    it('shows a text tooltip per month', async () => {
      const el = await buckets('en-US');
      const band = monthBands(el)[1]!;
      const b = band.getBoundingClientRect();
      // Vega 6 listens to pointer events for hover.
      for (const type of ['pointermove', 'pointerover'])
        band.dispatchEvent(
          new PointerEvent(type, {
            bubbles: true,
            composed: true,
            clientX: b.x + b.width / 2,
            clientY: b.y + 20,
          }),
        );
      const tip = await tooltip(el);
      expect(tip.hidden).to.equal(false);
      const lines = tip.textContent!.split('\n');
      expect(lines[0]).to.equal('Feb 2024');
      expect(lines[1]).to.match(/^M7\+: 300 \(0\.3\d% of total\)$/);
      expect(lines).to.include('M1: 5K (5.0% of total)');
      expect(tip.children).to.have.length(0);
    });

    it('re-specs on a width change, thinning month labels', async () => {
      const months = Array.from(
        { length: 24 },
        (_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
      );
      const r = bucketTrend();
      r.data = months.flatMap((month) =>
        BUCKETS.map((bucket, index) => ({
          month,
          bucket,
          index,
          value: 100 * (8 - index),
          share: null,
          count: 1,
          outstanding: 1,
        })),
      );
      const el = await show(
        html`<fin-overdue-trend locale="zh-CN" .result=${r} style="width: 900px"></fin-overdue-trend>`,
      );
      const monthLabels = (): string[] => texts(el).filter((s) => /^\d{4}年\d+月$/.test(s));
      const wide = monthLabels().length;
      const before = el.view_;
      el.style.width = '320px';
      await remounted(el, before);
      const narrow = monthLabels().length;
      expect(wide).to.be.greaterThan(narrow);
      expect(narrow).to.be.within(2, 5);
      const svgW = Number(sr(el).querySelector('.plot svg')!.getAttribute('width'));
      expect(svgW).to.be.at.most(320);
    });
  });

  describe('analytic use', () => {
    it('computes from .data rows through the private engine, and re-queries when the display switches', async () => {
      const el = await show(
        html`<fin-overdue-trend
          locale="zh-CN"
          .data=${LOAN_MONTHS}
          style="width: 560px"
        ></fin-overdue-trend>`,
      );
      expect(el.renderState).to.equal('ok');
      expect(el.currentResult!.basis.metric).to.equal('bucket_trend');
      const m2 = el.currentResult!.data.find((d) => d['month'] === '2024-03' && d['bucket'] === 'M2')!;
      expect(m2['value']).to.equal(500);

      el.display = 'rates';
      el.levels = [1, 3];
      el.lag = 1;
      await ready(el);
      const r = el.currentResult!;
      expect(r.basis.metric).to.equal('overdue_rate');
      const series = [...new Set(r.data.map((d) => `${d['bucket']}|${d['lag']}`))];
      expect(series).to.deep.equal(['M1+|0', 'M3+|0', 'M1+|1', 'M3+|1']);
      // March: M1+ = L2 (500) + L3 (800) + L4 (300) of 2,600; lagged over February's 2,600.
      const march = (b: string, lag: number): number =>
        r.data.find((d) => d['month'] === '2024-03' && d['bucket'] === b && d['lag'] === lag)![
          'rate'
        ] as number;
      expect(march('M1+', 0)).to.be.closeTo(1600 / 2600, 1e-9);
      expect(march('M3+', 0)).to.be.closeTo(300 / 2600, 1e-9);
      expect(r.data.find((d) => d['month'] === '2024-01' && d['lag'] === 1)!['rate']).to.equal(null);
      expect(legend(el).map((b) => b.textContent!.trim())).to.deep.equal([
        'M1+ 逾期率（同期）',
        'M1+ 逾期率（滞后 1 月）',
        'M3+ 逾期率（同期）',
        'M3+ 逾期率（滞后 1 月）',
      ]);

      el.display = 'rollrate';
      await ready(el);
      expect(el.currentResult!.basis.metric).to.equal('roll_rate');
      expect(heatCells(el).length).to.be.greaterThan(0);
      expect(texts(el)).to.include('结清');
    });

    it('sends the metric and params of each display', async () => {
      const seen: QueryRequest[] = [];
      const engine = fakeEngine((req) => (req.metric === 'roll_rate' ? rollRate() : bucketTrend()), seen);
      const el = await show(html`<fin-overdue-trend measure="count" .engine=${engine}></fin-overdue-trend>`);
      expect(seen.at(-1)).to.deep.include({ metric: 'bucket_trend', params: { measure: 'count' } });
      el.display = 'rollrate';
      el.t0 = '2024-01';
      el.t1 = '2024-03';
      await ready(el);
      expect(seen.at(-1)).to.deep.include({
        metric: 'roll_rate',
        params: { measure: 'count', t0: '2024-01', t1: '2024-03' },
      });
      seen.length = 0;
      el.setAttribute('levels', '1,3,4');
      el.setAttribute('lag', '0');
      el.display = 'rates';
      await sleep(200);
      expect(seen.map((q) => [q.metric, q.params?.['k'], q.params?.['lag']])).to.deep.equal([
        ['overdue_rate', 1, 0],
        ['overdue_rate', 3, 0],
        ['overdue_rate', 4, 0],
      ]);
    });

    it('draws every display on the seeded sample, with the alert line and highlighted points', async () => {
      const els = await Promise.all(
        (['buckets', 'rates', 'flows', 'rollrate'] as const).map((display) =>
          fixture<FinOverdueTrend>(sampled(display, 'zh-CN', '0.5%', 600)),
        ),
      );
      await Promise.all(els.map(ready));
      for (const el of els) {
        expect(el.renderState, el.display).to.equal('ok');
        expect(sr(el).querySelector('.plot svg'), el.display).to.not.equal(null);
      }
      const rates = els[1]!;
      expect(sr(rates).querySelectorAll('.plot svg g.mark-rule line').length).to.be.greaterThan(0);
      expect(sr(rates).querySelector('[part="note"]')!.textContent).to.match(/^\d+ 个点高于预警线 0\.5%$/);
      expect(sr(rates).querySelector('[part="legend"] li.rule')!.textContent).to.include('预警线 0.5%');
      expect(sr(els[2]!).querySelector('[part="note"]')!.textContent).to.include('累计损失率 M0→M4+');
      expect(sr(els[3]!).querySelector('[part="note"]')!.textContent).to.include('每行合计 100%');
    });

    it('flows: the main transitions by default, every one a click away; small-sample points hollow and said', async () => {
      const seen: QueryRequest[] = [];
      const engine = { ...sample, query: (q: QueryRequest, o?: unknown) => (seen.push(q), sample.query(q, o as never)) };
      const el = await show(
        html`<fin-overdue-trend locale="zh-CN" display="flows" .engine=${engine} style="width: 600px"></fin-overdue-trend>`,
      );
      expect(seen.at(-1)!.params).to.deep.include({ edges: [0, 1, 31, 61, 91] });
      expect(legend(el).map((b) => b.textContent!.trim())).to.deep.equal(['M0→M1', 'M1→M2', 'M2→M3', 'M3→M4+', '全部阶段']);
      const small = (el.currentResult!.data as Array<{ small: boolean; rate: number | null }>).filter((d) => d.small && d.rate !== null);
      expect(small.length, 'the 300-customer sample has thin late buckets').to.be.greaterThan(0);
      // Vega-Lite draws unfilled points with a transparent fill: exactly the small ones.
      const hollow = sr(el).querySelectorAll('.plot svg g.mark-symbol path[fill="transparent"]');
      expect(hollow.length).to.equal(small.length);
      expect(sr(el).querySelector('[part="note"]')!.textContent).to.include(`${small.length} 个点的上月阶段不足 30 笔借据，画为空心点`);
      // One click: every transition of the scale, the chain to M7+.
      sr(el).querySelector<HTMLButtonElement>('[part="legend"] button.flow-set')!.click();
      await ready(el);
      const toggle = sr(el).querySelector<HTMLButtonElement>('[part="legend"] button.flow-set')!;
      expect(seen.at(-1)!.params?.['edges']).to.equal(undefined);
      expect(legend(el).map((b) => b.textContent!.trim()).slice(-2)).to.deep.equal(['M6→M7+', '全部阶段']);
      expect(toggle.getAttribute('aria-pressed')).to.equal('true');
      expect(sr(el).querySelector('[part="note"]')!.textContent).to.include('M0→M7+');
    });
  });

  describe('states', () => {
    it('loading, empty, partial with quality warnings', async () => {
      await expectLoading(html`<fin-overdue-trend .engine=${fakeEngine(null)}></fin-overdue-trend>`);

      await expectEmpty(
        html`<fin-overdue-trend locale="zh-CN" .result=${bucketTrend(noData())}></fin-overdue-trend>`,
        ready,
      );

      const el = document.createElement('fin-overdue-trend');
      el.locale = 'en-US';
      el.result = bucketTrend({
        quality: {
          rows: 40,
          used: 30,
          excluded: { missing_dpd: 6, closed: 4 },
          warnings: [bi('6 行缺少 dpd', '6 rows lack a dpd')],
        },
      });
      const quality = appendFor(el, 'fin-quality') as Promise<FinQualityEvent>;
      try {
        const ev = await quality;
        expect(ev.detail.excluded).to.deep.equal({ missing_dpd: 6, closed: 4 });
        await ready(el);
        const q = partialNote(el);
        expect(q).to.include('6 rows lack a dpd');
        expect(q).to.include('missing dpd 6');
        // Closed loans are out of book by definition, not a data problem.
        expect(q).to.not.include('closed');
        expect(sr(el).querySelector('.plot svg')).to.not.equal(null);
        el.locale = 'zh-CN';
        await el.updateComplete;
        expect(sr(el).querySelector('[part="quality"]')!.textContent).to.include('6 行缺少 dpd');
      } finally {
        el.remove();
      }
    });

    it('error on a result that does not fit the display, and on a missing column', async () => {
      const el = document.createElement('fin-overdue-trend');
      el.locale = 'zh-CN';
      el.display = 'rollrate';
      el.result = bucketTrend();
      const failed = appendFor(el) as Promise<FinErrorEvent>;
      try {
        const ev = await failed;
        expect(ev.detail.code).to.equal('bad_input');
        await el.updateComplete;
        expect(el.renderState).to.equal('error');
        expect(sr(el).querySelector('[part="error"]')!.textContent).to.include('结果缺少字段 from');
        // Not even a table model is computed from it.
        el.display = 'buckets';
        await ready(el);
        expect(el.renderState).to.equal('ok');
      } finally {
        el.remove();
      }

      const bad = await show(
        html`<fin-overdue-trend
          locale="en-US"
          .data=${LOAN_MONTHS.map(({ dpd: _d, ...rest }) => rest)}
        ></fin-overdue-trend>`,
      );
      expect(bad.renderState).to.equal('error');
      expect(sr(bad).querySelector('[part="error"]')!.textContent).to.match(/Column missing[\s\S]*dpd/);

      const junk = await show(
        html`<fin-overdue-trend .result=${{ rows: [] } as unknown as MetricResult}></fin-overdue-trend>`,
      );
      expect(junk.renderState).to.equal('error');
    });
  });

  describe('selection', () => {
    it('clicking a month selects it, again clears, shift-click selects a range', async () => {
      const el = await buckets('zh-CN');
      /** Click a month band and wait for the event and for the view re-drawn with the highlight. */
      const clickMonth = async (i: number, shift = false): Promise<FinSelectEvent> => {
        const view = el.view_;
        const ev = await nextSelect(el, () => clickMark(monthBands(el)[i]!, shift));
        await remounted(el, view);
        return ev;
      };
      // The month bands tile the plot: a click anywhere over it hits a month (no gaps between bands).
      const first = monthBands(el)[0]!.getBoundingClientRect();
      const last = monthBands(el)[2]!.getBoundingClientRect();
      for (let x = first.left + 1; x < last.right - 1; x += 7) {
        const hit = sr(el).elementFromPoint(x, first.top + first.height / 2);
        expect(hit?.parentElement?.getAttribute('class'), `x=${x}`).to.include('months_marks');
      }
      let ev = await clickMonth(0);
      expect(ev.detail.clause).to.deep.equal({ field: 'snapshot_date.month', op: 'eq', value: '2024-01' });
      expect(ev.detail.label).to.equal('2024年1月');
      expect(sr(el).querySelector('.selection')!.textContent).to.include('2024年1月');
      // The selected month is highlighted behind the marks.
      expect(sr(el).querySelectorAll('.plot svg g.mark-rect path[fill="#1d4ed8"]').length).to.equal(1);

      ev = await clickMonth(2, true);
      expect(ev.detail.clause).to.deep.equal({
        field: 'snapshot_date.month',
        op: 'range',
        value: ['2024-01', '2024-03'],
      });
      expect(ev.detail.label).to.equal('2024年1月 至 2024年3月');
      expect(sr(el).querySelectorAll('.plot svg g.mark-rect path[fill="#1d4ed8"]').length).to.equal(3);

      ev = await clickMonth(1);
      expect(ev.detail.clause).to.deep.equal({ field: 'snapshot_date.month', op: 'eq', value: '2024-02' });
      ev = await clickMonth(1);
      expect(ev.detail.clause).to.equal(null);
      expect(sr(el).querySelector('.selection')).to.equal(null);
    });

    it('selects a bucket dpd range from the legend, by mouse and keyboard', async () => {
      const el = await buckets('en-US');
      const m2 = legend(el)[1]!;
      let ev = await nextSelect(el, () => m2.click());
      expect(ev.detail.clause).to.deep.equal({ field: 'dpd', op: 'range', value: [31, 60] });
      expect(ev.detail.label).to.equal('M2 (31–60 dpd)');
      await el.updateComplete;
      expect(legend(el)[1]!.getAttribute('aria-pressed')).to.equal('true');

      const m7 = legend(el)[6]!;
      m7.focus();
      ev = await nextSelect(el, () => sendKeys({ press: 'Enter' }));
      expect(ev.detail.clause).to.deep.equal({ field: 'dpd', op: 'range', value: [181, null] });
      ev = await nextSelect(el, () => sendKeys({ press: 'Space' }));
      expect(ev.detail.clause).to.equal(null);
    });

    it('selects months from the keyboard in the table view (shift for a range)', async () => {
      const el = await show(
        html`<fin-overdue-trend locale="zh-CN" view="table" .result=${bucketTrend()}></fin-overdue-trend>`,
      );
      const heads = rowHeads(el);
      expect(heads.map((b) => b.textContent!.trim())).to.deep.equal(['2024年1月', '2024年2月', '2024年3月']);
      heads[1]!.focus();
      let ev = await nextSelect(el, () => sendKeys({ press: 'Enter' }));
      expect(ev.detail.clause).to.deep.equal({ field: 'snapshot_date.month', op: 'eq', value: '2024-02' });
      await el.updateComplete;
      const again = rowHeads(el);
      expect(again[1]!.getAttribute('aria-pressed')).to.equal('true');
      ev = await nextSelect(el, () =>
        again[2]!.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, shiftKey: true })),
      );
      expect(ev.detail.clause).to.deep.equal({
        field: 'snapshot_date.month',
        op: 'range',
        value: ['2024-02', '2024-03'],
      });
      // CSV export carries raw values.
      expect(el.csv()).to.include('2024-02');
    });

    it('roll-rate: clicking a cell or a row header selects the t0 bucket dpd range', async () => {
      const el = await show(
        html`<fin-overdue-trend
          locale="zh-CN"
          display="rollrate"
          .result=${rollRate()}
          style="width: 620px"
        ></fin-overdue-trend>`,
      );
      const t = texts(el);
      for (const s of ['结清', '核销', '期末状态（2024年3月）', 'M1（10 笔）', '60.0%'])
        expect(t, s).to.include(s);
      expect(t).to.not.include('无记录');
      const cells = heatCells(el);
      expect(cells).to.have.length(80);
      let ev = await nextSelect(el, () => clickMark(cells[10 * 3 + 4]!)); // row M3
      expect(ev.detail.clause).to.deep.equal({ field: 'dpd', op: 'range', value: [61, 90] });
      expect(ev.detail.label).to.equal('M3（逾期 61–90 天）');
      el.view = 'table';
      await el.updateComplete;
      const rows = rowHeads(el);
      expect(rows.map((b) => b.textContent!.trim())).to.deep.equal(BUCKETS);
      ev = await nextSelect(el, () => rows[3]!.click());
      expect(ev.detail.clause).to.equal(null);
    });
  });

  describe('lifecycle', () => {
    it('finalizes the Vega view on disconnect and stops pending rate queries', async () => {
      const el = await show(
        html`<fin-overdue-trend .result=${bucketTrend()} style="width: 480px"></fin-overdue-trend>`,
      );
      expect(el.view_).to.not.equal(null);
      el.remove();
      expect(el.view_).to.equal(null);

      const seen: QueryRequest[] = [];
      const slow = fakeEngine(null, seen);
      const r = await fixture<FinOverdueTrend>(
        html`<fin-overdue-trend display="rates" .engine=${slow}></fin-overdue-trend>`,
      );
      await r.updateComplete;
      expect(seen).to.have.length(1);
      r.remove();
      await sleep(50);
      expect(seen).to.have.length(1);
      expect(r.view_).to.equal(null);
      // Moved back into the page while still loading: it asks again.
      document.body.append(r);
      await sleep(50);
      expect(seen).to.have.length(2);
      r.remove();
    });
  });
});
