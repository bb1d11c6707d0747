/**
 * <fin-rfm> in Chromium: the three ways of use (.result, .data through the private engine, an
 * engine with the seeded sample), every state, the displays (bars, treemap, grid, table), segment
 * selection by mouse and keyboard with the customer list, parts, locales, themes, axe, width
 * changes, and cleanup on disconnect.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import '../../components/rfm/define.js';
import type { FinRfm } from '../../components/rfm/rfm.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import { appendFor, bi, clickMark, datum, expectBadResult, expectEmpty, expectLoading } from './helpers.js';
import { expectMissingColumn, fakeEngine, hover, mount, noData, partialNote } from './helpers.js';
import { plotTexts as texts, ready as readyWhen, remounted, sampleEngine, sleep } from './helpers.js';
import { spyEngine, sr, until, vegaMounted } from './helpers.js';
import type { Marked } from './helpers.js';

const LABELS: Array<[string, string, string]> = [
  ['important_value', '重要价值客户', 'Important value'],
  ['important_develop', '重要发展客户', 'Important develop'],
  ['important_retain', '重要保持客户', 'Important retain'],
  ['important_winback', '重要挽留客户', 'Important win-back'],
  ['general_value', '一般价值客户', 'General value'],
  ['general_develop', '一般发展客户', 'General develop'],
  ['general_retain', '一般保持客户', 'General retain'],
  ['general_winback', '一般挽留客户', 'General win-back'],
];

/** A small cn8 result (100 customers) with its grid, thresholds and a customer list for one segment. */
function cn8(extra: Partial<MetricResult> = {}): MetricResult {
  const counts = [20, 5, 15, 10, 12, 8, 10, 20];
  const money = [5e6, 6e5, 2.4e6, 1.2e6, 8e5, 2e5, 4e5, 3e5];
  return {
    data: LABELS.map(([id, zh, en], i) => ({
      segment: id,
      label: bi(zh, en),
      customers: counts[i]!,
      share: counts[i]! / 100,
      monetary: money[i]!,
      meanR: 3,
      meanF: 3,
      meanM: 3,
      meanRecencyDays: 4 + i,
      meanFrequency: 30 - i,
      meanMonetary: money[i]! / counts[i]!,
    })),
    basis: {
      metric: 'rfm',
      title: bi('RFM 客户价值', 'RFM customer value'),
      formula: bi('R/F/M 五分位打分', 'R/F/M quintile scores'),
      measure: 'count',
      asOf: '2024-12-31',
      options: { scheme: 'cn8', windowDays: 365, monetary: 'sum' },
      filters: [],
      exclusions: [],
    },
    quality: { rows: 900, used: 900, excluded: { customers_no_transactions: 3 }, warnings: [] },
    meta: {
      asOf: '2024-12-31',
      windowDays: 365,
      scored: 100,
      excluded: 3,
      thresholds: { R: 3.1, F: 2.9, M: 3 },
      grid: Array.from({ length: 25 }, (_, g) => ({
        r: Math.floor(g / 5) + 1,
        f: (g % 5) + 1,
        customers: 4,
      })),
      customers: [
        {
          customer_id: 'C001',
          name: '张*',
          r: 1,
          f: 40,
          m: 300000,
          R: 5,
          F: 5,
          M: 5,
          segment: 'important_value',
        },
        {
          customer_id: 'C002',
          name: '李*',
          r: 2,
          f: 35,
          m: 250000,
          R: 5,
          F: 4,
          M: 5,
          segment: 'important_value',
        },
      ],
    },
    ...extra,
  };
}

/** Wait until the query settled and (for ok/partial drawn with Vega) a view is mounted. */
const ready = (el: FinRfm): Promise<void> => readyWhen(el, (e) => e.display === 'table' || vegaMounted()(e));
/** Render an RFM element and wait until it has drawn. */
const show = (template: TemplateResult): Promise<FinRfm> => mount(template, ready);
/** The cn8 result at a width. */
const cn8At = (locale: string, width: number): Promise<FinRfm> =>
  show(html`<fin-rfm locale=${locale} .result=${cn8()} style="width: ${width}px"></fin-rfm>`);

/** Drawn marks whose datum has `key` (bars and tiles: `seg`; grid cells: `r`). */
const marks = (el: FinRfm, key: string, tag = 'path'): Marked[] =>
  [...sr(el).querySelectorAll<Marked>(`.plot svg ${tag}`)].filter(
    (n) => n.__data__?.datum && key in n.__data__.datum,
  );

describe('fin-rfm', () => {
  describe('accessibility', () => {
    it('passes axe in every display, light and dark; figure role and name; the chart is labelled with the summary', async function () {
      this.timeout(60_000); // four axe runs
      const el = await cn8At('zh-CN', 640);
      await expect(el).to.be.accessible();
      const base = sr(el).querySelector('[part="base"]')!;
      expect(base.getAttribute('role')).to.equal('figure');
      expect(base.getAttribute('aria-label')).to.equal('RFM 客户价值');
      expect(sr(el).querySelector('.plot')!.getAttribute('aria-label')).to.include('100 位客户分为 8 个分群');
      el.selectSegment('important_retain'); // dims the other segment buttons
      await el.updateComplete;
      await expect(el).to.be.accessible();
      el.display = 'grid';
      el.theme = 'dark';
      await el.updateComplete;
      await ready(el);
      await expect(el).to.be.accessible();
      el.display = 'table';
      el.selectSegment('important_value');
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  });

  describe('rendering from .result', () => {
    it('draws bars for customers and Σ monetary with localised labels; context, controls, segment list and parts', async () => {
      const el = await cn8At('zh-CN', 720);
      expect(el.renderState).to.equal('ok'); // customers without transactions are by definition, not partial
      expect(marks(el, 'seg').length).to.equal(16); // 8 segments × 2 panels
      const t = texts(el);
      for (const s of ['重要价值客户', '一般挽留客户', '客户数', '金额合计', '20 · 20.0%'])
        expect(t, s).to.include(s);
      expect(t.some((s) => s.startsWith('¥500万'))).to.equal(true);
      const ctx = sr(el).querySelector('[part="context"]')!.textContent!;
      expect(ctx).to.include('截至 2024年12月31日');
      expect(ctx).to.include('未评分 3 户');
      for (const p of [
        'base',
        'header',
        'title',
        'chart',
        'tooltip',
        'summary',
        'controls',
        'display-toggle',
        'overview-toggle',
        'scheme-toggle',
        'segments',
        'segment',
        'context',
      ]) {
        expect(sr(el).querySelector(`[part~="${p}"]`) !== null, p).to.equal(true);
      }
      expect(sr(el).querySelectorAll('[part="segment"]').length).to.equal(8);
      expect(sr(el).querySelector('[part="summary"]')!.textContent).to.include(
        '客户最多的是重要价值客户（20 户，占 20.0%）',
      );
      expect(sr(el).querySelector('[part="quality"]') === null).to.equal(true);
    });

    it('switches visible text with the locale', async () => {
      const el = await cn8At('zh-CN', 720);
      const before = el.view_;
      el.locale = 'en-US';
      await remounted(el, before);
      const t = texts(el);
      for (const s of ['Important value', 'Customers', 'Σ Monetary']) expect(t, s).to.include(s);
      expect(t).to.not.include('重要价值客户');
      expect(sr(el).querySelector('[part="title"]')!.textContent).to.equal('RFM customer value');
      expect(sr(el).querySelector('[part="context"]')!.textContent).to.include('As of Dec 31, 2024');
      expect(sr(el).querySelector('[part="display-toggle"]')!.textContent).to.include('R × F grid');
    });

    it('shows the tooltip as text lines (segment, customers, Σ M, averages)', async () => {
      const el = await cn8At('en-US', 720);
      hover(marks(el, 'seg')[0]!);
      const tip = sr(el).querySelector<HTMLElement>('[part="tooltip"]')!;
      await until(() => !tip.hidden, 'tooltip');
      const lines = tip.textContent!.split('\n');
      expect(lines[0]).to.equal('Important value');
      expect(lines[1]).to.equal('Customers: 20 (20.0%)');
      expect(lines[2]).to.match(/^Σ Monetary: CN¥5M \(\d+\.\d%\)$/);
      expect(lines).to.include('Avg recency (days): 4');
      expect(tip.children).to.have.length(0);
    });

    it('display switch (no re-query): grid with counts and quadrant labels, treemap tiles, segment table', async () => {
      const seen: QueryRequest[] = [];
      const el = await show(
        html`<fin-rfm locale="zh-CN" .engine=${fakeEngine(cn8(), seen)} style="width: 720px"></fin-rfm>`,
      );
      expect(seen).to.have.length(1);
      expect(seen[0]!.metric).to.equal('rfm');
      expect(seen[0]!.params).to.deep.include({ scheme: 'cn8' });
      const buttons = (part: string): HTMLButtonElement[] => [
        ...sr(el).querySelectorAll<HTMLButtonElement>(`[part="${part}"] button`),
      ];
      let before = el.view_;
      buttons('display-toggle')[1]!.click();
      await remounted(el, before);
      expect(el.display).to.equal('grid');
      expect(marks(el, 'r').length).to.equal(25);
      const t = texts(el);
      for (const s of ['R 得分（越近越高）', 'F 得分（越频繁越高）', '价值客户', '挽留客户', '4'])
        expect(t, s).to.include(s);
      expect(sr(el).querySelector('[part="note"]')!.textContent).to.include('平均得分 R 3.1，F 2.9');
      before = el.view_;
      buttons('display-toggle')[0]!.click();
      await el.updateComplete;
      buttons('overview-toggle')[1]!.click();
      await remounted(el, before);
      expect(el.overview).to.equal('treemap');
      expect(marks(el, 'seg').length).to.equal(8); // one tile per segment (text marks are <text>)
      expect(texts(el)).to.include('重要价值客户');
      buttons('display-toggle')[2]!.click();
      await el.updateComplete;
      expect(el.view_ === null).to.equal(true);
      const rows = sr(el).querySelectorAll('[part="chart"] [part="table"] tbody tr');
      expect(rows.length).to.equal(8);
      expect(rows[0]!.textContent).to.include('重要价值客户');
      expect(rows[0]!.textContent).to.include('500万'); // the header carries the unit: 金额合计（元）
      expect(seen).to.have.length(1);
    });
  });

  describe('properties', () => {
    it('custom rules → scheme "custom", no scheme switch, categorical colours; hide-controls hides the switches', async () => {
      const seen: QueryRequest[] = [];
      const rules = [{ segment: 'vip', label: bi('贵宾', 'VIP'), r: [4, 5], f: [4, 5] }];
      const answer = cn8({
        data: [
          { segment: 'vip', label: bi('贵宾', 'VIP'), customers: 30, share: 0.3, monetary: 9e5 },
          {
            segment: 'unmatched',
            label: bi('未匹配', 'Unmatched'),
            customers: 70,
            share: 0.7,
            monetary: 3e5,
          },
        ],
      });
      const el = await show(
        html`<fin-rfm
          scheme="rf10"
          locale="zh-CN"
          .params=${{ rules }}
          .engine=${fakeEngine(answer, seen)}
          style="width: 600px"
        ></fin-rfm>`,
      );
      expect(seen[0]!.params).to.deep.include({ scheme: 'custom', rules });
      expect(sr(el).querySelector('[part="scheme-toggle"]') === null).to.equal(true);
      expect(texts(el)).to.include('贵宾');
      const swatches = [...sr(el).querySelectorAll('[part="segment"] rect')].map((r) =>
        r.getAttribute('fill'),
      );
      expect(swatches).to.deep.equal(['#4e79a7', '#9ca3af']);
      el.hideControls = true;
      await el.updateComplete;
      expect(sr(el).querySelector('[part="controls"]') === null).to.equal(true);
    });
  });

  describe('states', () => {
    it('loading, empty, partial with quality warnings, error on a bad result', async () => {
      await expectLoading(html`<fin-rfm .engine=${fakeEngine(null)}></fin-rfm>`);

      await expectEmpty(html`<fin-rfm locale="zh-CN" .result=${cn8(noData())}></fin-rfm>`, ready);

      const partial = await show(
        html`<fin-rfm
          locale="zh-CN"
          .result=${cn8({ quality: { rows: 950, used: 900, excluded: { missing_date: 30, missing_amount: 20, customers_no_transactions: 3 }, warnings: [bi('部分交易缺少客户号', 'Some customer ids are missing')] } })}
          style="width: 600px"
        ></fin-rfm>`,
      );
      const q = partialNote(partial);
      expect(q).to.include('已排除 50 行');
      expect(q).to.include('缺少交易日期 30');
      expect(q).to.include('部分交易缺少客户号');
      expect(q).to.not.include('customers');
      expect(partial.currentResult!.quality.excluded['customers_no_transactions']).to.equal(3);
      expect(marks(partial, 'seg').length).to.equal(16);

      await expectBadResult('fin-rfm');

      const broken = document.createElement('fin-rfm');
      broken.result = cn8({ data: [{ label: 'x' }] });
      expect((await appendFor<{ code: string }>(broken)).detail.code).to.equal('render_failed');
      broken.remove();
    });

    it('error on a missing column (private engine over .data)', async () => {
      const el = document.createElement('fin-rfm');
      el.params = { amountField: 'no_such_column' };
      el.data = [{ txn_id: 'T1', customer_id: 'C1', txn_time: '2024-01-02', amount: 10, direction: 'in' }];
      await expectMissingColumn(el, 'no_such_column');
    });
  });

  describe('selection', () => {
    it('presentational: click a bar → fin-select { rfm_segment = id } and the delivered customer list; again clears', async () => {
      const el = await cn8At('zh-CN', 720);
      const bar = marks(el, 'seg').find((n) => datum(n)['seg'] === 'important_value')!;
      const sel = oneEvent(el, 'fin-select');
      clickMark(bar);
      const d = (await sel).detail;
      expect(d.clause).to.deep.equal({ field: 'rfm_segment', op: 'eq', value: 'important_value' });
      expect(d.label).to.equal('重要价值客户');
      expect(d.source).to.equal('fin-rfm');
      await el.updateComplete;
      expect(sr(el).querySelector('.selection')!.textContent).to.include('重要价值客户');
      const list = sr(el).querySelector('[part="customers"]')!;
      expect(list.textContent).to.include('重要价值客户 · 共 2 户');
      const rows = list.querySelectorAll('tbody tr');
      expect(rows.length).to.equal(2);
      expect(rows[0]!.textContent).to.include('C001');
      expect(rows[0]!.textContent).to.include('张*'); // masked as delivered
      expect(rows[0]!.textContent).to.include('5-5-5');
      // The selection dims the other bars in the chart.
      await remounted(el, null);
      const other = marks(el, 'seg').find((n) => datum(n)['seg'] === 'general_winback')!;
      expect(Number(other.getAttribute('opacity') ?? other.getAttribute('fill-opacity') ?? 1)).to.be.lessThan(
        1,
      );
      const again = oneEvent(el, 'fin-select');
      clickMark(marks(el, 'seg').find((n) => datum(n)['seg'] === 'important_value')!);
      expect((await again).detail.clause).to.equal(null);
      await el.updateComplete;
      expect(sr(el).querySelector('[part="customers"]') === null).to.equal(true);
      // A segment the result has no customer list for: the list says so.
      el.selectSegment('general_winback');
      await el.updateComplete;
      expect(sr(el).querySelector('[part="customers"]')!.textContent).to.include('该分群没有客户');
    });

    it('cn8 grid: a cell selects its quadrant (important + general) with op "in"', async () => {
      const el = await show(
        html`<fin-rfm
          locale="en-US"
          display="grid"
          .result=${cn8({ meta: { ...cn8().meta, customers: undefined } })}
          style="width: 640px"
        ></fin-rfm>`,
      );
      const cell = marks(el, 'r').find((n) => datum(n)['r'] === 5 && datum(n)['f'] === 5)!;
      const sel = oneEvent(el, 'fin-select');
      clickMark(cell);
      const d = (await sel).detail;
      expect(d.clause).to.deep.equal({
        field: 'rfm_segment',
        op: 'in',
        value: ['important_value', 'general_value'],
      });
      expect(d.label).to.equal('Value (important + general)');
      await el.updateComplete;
      expect(sr(el).querySelectorAll('[part="segment"][aria-pressed="true"]').length).to.equal(2);
      // No engine and no meta.customers: the list explains.
      expect(sr(el).querySelector('[part="customers"]')!.textContent).to.include('needs an engine');
    });

    it('analytic (.data): keyboard selection from the segment list re-queries the customer list through the private engine', async () => {
      const rows: Array<Record<string, unknown>> = [];
      for (let c = 0; c < 30; c++) {
        for (let k = 0; k <= c % 5; k++)
          rows.push({
            txn_id: `T${c}-${k}`,
            customer_id: `C${String(c).padStart(2, '0')}`,
            txn_time: `2024-${String(1 + ((c + k) % 12)).padStart(2, '0')}-10`,
            amount: 100 + c * 10 + k,
            direction: k % 2 ? 'in' : 'out',
          });
      }
      const el = await show(
        html`<fin-rfm locale="zh-CN" list-limit="3" .data=${rows} style="width: 640px"></fin-rfm>`,
      );
      expect(el.renderState).to.equal('ok');
      expect(el.currentResult!.meta!['scored']).to.equal(30);
      const seg = el.currentResult!.data.find((d) => (d['customers'] as number) > 3)!;
      const button = [...sr(el).querySelectorAll<HTMLButtonElement>('[part="segment"]')].find((b) =>
        b.textContent!.includes((seg['label'] as { 'zh-CN': string })['zh-CN']),
      )!;
      button.focus();
      const sel = oneEvent(el, 'fin-select');
      await sendKeys({ press: 'Enter' });
      expect((await sel).detail.clause).to.deep.equal({
        field: 'rfm_segment',
        op: 'eq',
        value: seg['segment'],
      });
      await until(() => !!sr(el).querySelector('[part="customers"] tbody'), 'customer list');
      const list = sr(el).querySelector('[part="customers"]')!;
      expect(list.querySelectorAll('tbody tr').length).to.equal(3);
      expect(list.textContent).to.include(`共 ${seg['customers']} 户`);
      expect(list.textContent).to.include('显示前 3 户');
      expect(button.getAttribute('aria-pressed')).to.equal('true');
      const cleared = oneEvent(el, 'fin-select');
      button.focus();
      await sendKeys({ press: 'Space' });
      expect((await cleared).detail.clause).to.equal(null);
    });

    describe('with the seeded sample', () => {
      let engine: FinEngine;
      before(async () => {
        engine = await sampleEngine(200);
      });

      it('cn8 bars: click → list of the segment (first 50 of its total) from the engine; scheme switch re-queries and clears', async () => {
        const seen: QueryRequest[] = [];
        const el = await show(
          html`<fin-rfm locale="en-US" .engine=${spyEngine(engine, seen)} style="width: 760px"></fin-rfm>`,
        );
        expect(el.currentResult!.data.map((d) => d['segment'])).to.have.length(8);
        const biggest = el.currentResult!.data.reduce((a, b) =>
          (b['customers'] as number) > (a['customers'] as number) ? b : a,
        );
        const sel = oneEvent(el, 'fin-select');
        clickMark(marks(el, 'seg').find((n) => datum(n)['seg'] === biggest['segment'])!);
        expect((await sel).detail.clause).to.deep.equal({
          field: 'rfm_segment',
          op: 'eq',
          value: biggest['segment'],
        });
        await until(() => !!sr(el).querySelector('[part="customers"] tbody'), 'customer list');
        const listReq = seen[seen.length - 1]!;
        expect(listReq.params).to.deep.include({
          includeCustomers: true,
          segment: biggest['segment'],
          limit: 50,
          scheme: 'cn8',
        });
        const n = biggest['customers'] as number;
        expect(sr(el).querySelectorAll('[part="customers"] tbody tr').length).to.equal(Math.min(50, n));
        expect(sr(el).querySelector('[part="customers"]')!.textContent).to.include(`${n} customers`);
        // Switching the scheme re-queries (rf10) and clears the selection (ids differ).
        const cleared = oneEvent(el, 'fin-select');
        const before = el.view_;
        [...sr(el).querySelectorAll<HTMLButtonElement>('[part="scheme-toggle"] button')][1]!.click();
        expect((await cleared).detail.clause).to.equal(null);
        await remounted(el, before);
        await ready(el);
        expect(seen[seen.length - 1]!.params).to.deep.include({ scheme: 'rf10' });
        expect(el.currentResult!.data.map((d) => d['segment'])).to.include('champions');
        expect(texts(el)).to.include('Champions');
        // The table view is the CSV export: one row per segment, raw numbers.
        const csv = el.csv();
        expect(csv).to.include(
          'Segment,Customers,Share,Σ Monetary (CNY),Value share,Avg recency (days),Avg frequency,Avg monetary (CNY)',
        );
        expect(csv).to.match(/\nChampions,\d+,0\.\d+,\d+(\.\d+)?,/);
      });

      it('rf10 grid: a cell selects its segment; rfm_segment clauses from the group are not sent to the engine', async () => {
        const seen: QueryRequest[] = [];
        const el = await show(
          html`<fin-rfm
            locale="zh-CN"
            scheme="rf10"
            display="grid"
            .engine=${spyEngine(engine, seen)}
            .filters=${[
              { field: 'rfm_segment', op: 'eq', value: 'x' },
              { field: 'direction', op: 'eq', value: 'in' },
            ]}
            style="width: 640px"
          ></fin-rfm>`,
        );
        expect(seen[0]!.filters).to.deep.equal([{ field: 'direction', op: 'eq', value: 'in' }]);
        const cell = marks(el, 'r').find((n) => datum(n)['r'] === 5 && datum(n)['f'] === 5)!;
        const sel = oneEvent(el, 'fin-select');
        clickMark(cell);
        const d = (await sel).detail;
        expect(d.clause).to.deep.equal({ field: 'rfm_segment', op: 'eq', value: 'champions' });
        expect(d.label).to.equal('冠军客户');
        expect(texts(el)).to.include('冠军客户');
      });
    });
  });

  describe('layout and lifecycle', () => {
    it('re-specs when the container width changes (side-by-side panels ↔ stacked)', async () => {
      const wrap = await fixture<HTMLDivElement>(
        html`<div style="width: 320px"><fin-rfm .result=${cn8()}></fin-rfm></div>`,
      );
      const el = wrap.querySelector('fin-rfm')!;
      await ready(el);
      const narrow = sr(el).querySelector('.plot svg')!.getBoundingClientRect();
      const before = el.view_;
      wrap.style.width = '800px';
      await remounted(el, before);
      await sleep(50);
      const wide = sr(el).querySelector('.plot svg')!.getBoundingClientRect();
      expect(wide.width).to.be.greaterThan(narrow.width + 300);
      expect(wide.height).to.be.lessThan(narrow.height); // stacked panels are twice as tall
    });

    it('finalizes the Vega view on disconnect', async () => {
      const el = await show(html`<fin-rfm .result=${cn8()} style="width: 400px"></fin-rfm>`);
      expect(el.view_ !== null).to.equal(true);
      el.remove();
      expect(el.view_ === null).to.equal(true);
    });
  });
});
