/**
 * <fin-fund-flow> in Chromium: the three ways of use (.result, .data through the private engine,
 * an engine with the seeded sample), the three displays, every state, selection by mouse and
 * keyboard (sankey nodes, trend periods, alert customers), hover highlight and text tooltips,
 * parts, locales, width changes, axe, and cleanup on disconnect.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import '../../components/fund-flow/define.js';
import type { FinFundFlow } from '../../components/fund-flow/fund-flow.js';
import type { FinErrorEvent, FinQualityEvent } from '../../components/base/events.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import { bi, clickMark, expectEmpty, expectLoading, fakeEngine, mount, nextSelect } from './helpers.js';
import { partialNote, plotTexts as vegaTexts, pointer, ready as readyWhen, rowHeads } from './helpers.js';
import { sampleEngine, sleep, sr, tooltip, waitFor } from './helpers.js';

const basis = (
  metric: string,
  title: { 'zh-CN': string; 'en-US': string },
  options: Record<string, unknown> = {},
) => ({
  metric,
  title,
  formula: bi('f', 'f'),
  options,
  filters: [],
  exclusions: [],
});

function sankeyResult(extra: Partial<MetricResult> = {}): MetricResult {
  return {
    data: [
      { source: 'in:工资', target: 'mid:大众客户', value: 6000000 },
      { source: 'in:工资', target: 'mid:贵宾客户', value: 2000000 },
      { source: 'in:理财赎回', target: 'mid:贵宾客户', value: 3000000 },
      { source: 'in:__other__', target: 'mid:大众客户', value: 500000 },
      { source: 'mid:大众客户', target: 'out:消费', value: 4000000 },
      { source: 'mid:大众客户', target: 'out:贷款还款', value: 2000000 },
      { source: 'mid:贵宾客户', target: 'out:消费', value: 1000000 },
      { source: 'mid:贵宾客户', target: 'out:贷款还款', value: 3500000 },
    ],
    basis: basis('sankey', bi('资金流向桑基图', 'Fund-flow sankey'), {
      left: 'category',
      middle: 'segment',
      right: 'category',
    }),
    quality: { rows: 8, used: 8, excluded: {}, warnings: [] },
    meta: {
      nodes: [
        { id: 'in:工资', label: '工资', side: 'in', value: 8000000 },
        { id: 'in:理财赎回', label: '理财赎回', side: 'in', value: 3000000 },
        { id: 'in:__other__', label: '其他', side: 'in', value: 500000, synthetic: true },
        { id: 'mid:大众客户', label: '大众客户', side: 'mid', value: 6500000 },
        { id: 'mid:贵宾客户', label: '贵宾客户', side: 'mid', value: 5000000 },
        { id: 'out:消费', label: '消费', side: 'out', value: 5000000 },
        { id: 'out:贷款还款', label: '贷款还款', side: 'out', value: 5500000 },
      ],
    },
    ...extra,
  };
}

function trendResult(): MetricResult {
  return {
    data: [
      { period: '2024-01', inflow: 300000, outflow: 100000, net: 200000, cumulativeNet: 200000, count: 30 },
      { period: '2024-02', inflow: 100000, outflow: 400000, net: -300000, cumulativeNet: -100000, count: 25 },
      { period: '2024-03', inflow: 250000, outflow: 50000, net: 200000, cumulativeNet: 100000, count: 12 },
    ],
    basis: basis('fund_flow', bi('资金流向', 'Fund flow'), {
      unit: 'month',
      by: null,
      dateField: 'txn_time',
    }),
    quality: { rows: 67, used: 67, excluded: {}, warnings: [] },
  };
}

function alertsResult(): MetricResult {
  return {
    data: [
      {
        customer_id: 'CU01',
        date: '2024-03-02',
        rule: 'cash',
        amount: 60000,
        count: 1,
        txnIds: ['T1'],
        direction: 'in',
        threshold: 50000,
        single: true,
      },
      {
        customer_id: 'CU02',
        date: '2024-03-05',
        firstDate: '2024-03-01',
        rule: 'structuring',
        amount: 140000,
        count: 3,
        txnIds: ['T2', 'T3', 'T4'],
        direction: null,
        threshold: null,
        single: false,
      },
      {
        customer_id: 'CU03',
        date: '2024-02-10',
        rule: 'non_individual',
        amount: 2500000,
        count: 2,
        txnIds: ['T5', 'T6'],
        direction: 'out',
        threshold: 2000000,
        single: false,
      },
    ],
    basis: basis('txn_alerts', bi('大额与可疑交易预警', 'Large and suspicious transaction alerts'), {
      thresholds: {
        cash: 50000,
        individualDomestic: 500000,
        individualCrossBorder: 200000,
        nonIndividual: 2000000,
      },
      structuring: { minCount: 3, windowDays: 7, lower: 0.9, upper: 1 },
    }),
    quality: { rows: 100, used: 100, excluded: {}, warnings: [] },
    meta: { total: 3 },
  };
}

/** Small transactions for the private engine: two customers, in and out, two months. */
const TXNS = [
  ['t1', 'c1', '2024-01-05', 1000, 'in', '工资'],
  ['t2', 'c1', '2024-01-20', 400, 'out', '消费'],
  ['t3', 'c2', '2024-02-03', 300, 'in', '转账转入'],
  ['t4', 'c2', '2024-02-09', 900, 'out', '贷款还款'],
  ['t5', 'c1', '2024-02-15', 200, 'out', '消费'],
].map(([txn_id, customer_id, txn_time, amount, direction, category]) => ({
  txn_id,
  customer_id,
  account_no: `62220000000000${String(customer_id).slice(1)}`,
  txn_time,
  amount,
  direction,
  category,
  channel: 'app',
  counterparty_type: 'individual',
}));

/** Wait until the query settled and the display has drawn. */
const ready = (el: FinFundFlow): Promise<void> =>
  readyWhen(
    el,
    (e) =>
      e.view === 'table' ||
      (e.displayMode === 'trend'
        ? e.view_ !== null && !!sr(e).querySelector('.plot svg')
        : e.displayMode === 'sankey'
          ? !!sr(e).querySelector('svg[part=sankey]')
          : !!sr(e).querySelector('[part=alerts]')),
  );
/** Render a fund-flow element and wait until it has drawn. */
const show = (template: TemplateResult): Promise<FinFundFlow> => mount(template, ready);
/** A result drawn in a display, at a width. */
const drawn = (display: string, result: MetricResult, locale: string, width: number): Promise<FinFundFlow> =>
  show(
    html`<fin-fund-flow
      locale=${locale}
      display=${display}
      .result=${result}
      style="width: ${width}px"
    ></fin-fund-flow>`,
  );
/** The sankey result at 720px. */
const sankey = (locale: string): Promise<FinFundFlow> =>
  show(html`<fin-fund-flow locale=${locale} .result=${sankeyResult()} style="width: 720px"></fin-fund-flow>`);

const nodes = (el: FinFundFlow): SVGGElement[] => [
  ...sr(el).querySelectorAll<SVGGElement>('g[part~="node"]'),
];
const node = (el: FinFundFlow, id: string): SVGGElement =>
  sr(el).querySelector<SVGGElement>(`g[part~="node"][data-id="${id}"]`)!;
const links = (el: FinFundFlow): SVGPathElement[] => [
  ...sr(el).querySelectorAll<SVGPathElement>('path[part~="link"]'),
];
const svgTexts = (el: FinFundFlow): string[] =>
  [...sr(el).querySelectorAll('svg[part=sankey] text')].map((t) => t.textContent ?? '');
const clickNode = (el: FinFundFlow, id: string): boolean =>
  node(el, id).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));

describe('fin-fund-flow', () => {
  let sample: FinEngine;
  before(async () => {
    sample = await sampleEngine(300);
  });

  describe('accessibility', () => {
    it('passes axe for every display, chart and table views, light and dark', async () => {
      const el = await show(
        html`<fin-fund-flow locale="zh-CN" .result=${sankeyResult()} style="width: 640px"></fin-fund-flow>`,
      );
      await expect(el).to.be.accessible();
      const base = sr(el).querySelector('[part="base"]')!;
      expect(base.getAttribute('role')).to.equal('figure');
      expect(base.getAttribute('aria-label')).to.equal('资金流向桑基图');
      expect(sr(el).querySelector('svg[part=sankey]')!.getAttribute('aria-label')).to.equal(
        '资金流向：流入类别 → 客户分层 → 流出类别',
      );
      el.theme = 'dark';
      el.view = 'table';
      await el.updateComplete;
      await expect(el).to.be.accessible();
      for (const display of ['trend', 'alerts'] as const) {
        const d = await show(
          html`<fin-fund-flow
            locale="en-US"
            theme="dark"
            display=${display}
            .engine=${sample}
            style="width: 640px"
          ></fin-fund-flow>`,
        );
        expect(d.renderState, display).to.equal('ok');
        await expect(d).to.be.accessible();
      }
    });
  });

  describe('sankey', () => {
    it('draws three columns from .result: nodes as buttons, links ∝ amounts, localised labels, parts', async () => {
      const el = await sankey('zh-CN');
      expect(el.renderState).to.equal('ok');
      expect(nodes(el)).to.have.length(7);
      expect(links(el)).to.have.length(8);
      for (const n of nodes(el)) {
        expect(n.getAttribute('role')).to.equal('button');
        expect(n.getAttribute('tabindex')).to.equal('0');
        expect(n.getAttribute('aria-label')).to.not.equal('');
      }
      expect(node(el, 'in:工资').getAttribute('aria-label')).to.equal('流入 工资：¥800万，占流入 69.6%');
      expect(node(el, 'in:__other__').getAttribute('aria-disabled')).to.equal('true');
      expect(node(el, 'in:__other__').getAttribute('aria-label')).to.include('不可筛选');
      const t = svgTexts(el);
      for (const s of [
        '流入类别',
        '客户分层',
        '流出类别',
        '工资 800万',
        '其他 50万',
        '流入 650万 · 流出 600万',
      ])
        expect(t.join('|'), s).to.include(s);
      // Stroke width per amount is one constant.
      const k = links(el).map((p) => {
        const w = Number(p.getAttribute('stroke-width'));
        const v = sankeyResult().data.find(
          (d) => d['source'] === p.dataset['source'] && d['target'] === p.dataset['target'],
        )!['value'] as number;
        return w / v;
      });
      for (const x of k) expect(x).to.be.closeTo(k[0]!, 1e-7);
      // Links leaving 工资 share its colour.
      const fill = node(el, 'in:工资').querySelector('.bar')!.getAttribute('fill');
      for (const p of links(el).filter((l) => l.dataset['source'] === 'in:工资'))
        expect(p.getAttribute('stroke')).to.equal(fill);
      for (const p of [
        'base',
        'header',
        'title',
        'chart',
        'sankey',
        'node',
        'link',
        'node-label',
        'column-label',
        'summary',
      ])
        expect(sr(el).querySelector(`[part~="${p}"]`), p).to.not.equal(null);
      // The SVG export stands alone: colours, halo and font as attributes, no CSS variables.
      const exported = (await el.svg())!;
      expect(exported).to.include('paint-order="stroke"');
      expect(exported).to.include('font-family=');
      expect(exported).to.not.include('var(');
      const summary = sr(el).querySelector('[part="summary"]')!.textContent!;
      expect(summary).to.include('流入合计 ¥1150万');
      expect(summary).to.include('最大流入类别「工资」');
    });

    it('selects nodes by click and keyboard; other is not selectable; arrows move focus', async () => {
      const el = await sankey('zh-CN');
      let ev = await nextSelect(el, () => clickNode(el, 'in:工资'));
      expect(ev.detail.clause).to.deep.equal({ field: 'category', op: 'eq', value: '工资' });
      expect(ev.detail.label).to.equal('工资');
      await el.updateComplete;
      expect(node(el, 'in:工资').getAttribute('aria-pressed')).to.equal('true');
      // Unrelated links dim while a node is selected.
      expect(links(el).filter((l) => l.classList.contains('dim')).length).to.be.greaterThan(0);
      ev = await nextSelect(el, () => clickNode(el, 'in:工资'));
      expect(ev.detail.clause).to.equal(null);

      let fired = 0;
      el.addEventListener('fin-select', () => fired++);
      clickNode(el, 'in:__other__');
      await sleep(20);
      expect(fired).to.equal(0);

      node(el, 'mid:贵宾客户').focus();
      await el.updateComplete;
      // Focus shows the tooltip and highlights the node's path.
      expect(sr(el).querySelector('[part="tooltip"]')!.textContent).to.include('贵宾客户');
      expect(links(el).filter((l) => l.classList.contains('hl')).length).to.equal(4);
      ev = await nextSelect(el, () => sendKeys({ press: 'Enter' }));
      expect(ev.detail.clause).to.deep.equal({ field: 'segment', op: 'eq', value: '贵宾客户' });
      ev = await nextSelect(el, () => sendKeys({ press: 'Space' }));
      expect(ev.detail.clause).to.equal(null);
      await sendKeys({ press: 'ArrowUp' });
      expect(sr(el).activeElement?.getAttribute('data-id')).to.equal('mid:大众客户');
      await sendKeys({ press: 'ArrowRight' });
      expect(sr(el).activeElement?.getAttribute('data-side')).to.equal('out');
      await sendKeys({ press: 'Home' });
      expect(sr(el).activeElement?.getAttribute('data-id')).to.equal('in:工资');
      ev = await nextSelect(el, async () => {
        await sendKeys({ press: 'ArrowRight' });
        await sendKeys({ press: 'ArrowRight' });
        await sendKeys({ press: 'Enter' });
      });
      expect(ev.detail.clause!.field).to.equal('category');
    });

    it('hover highlights a path with a text tooltip; links have tooltips too', async () => {
      const el = await sankey('en-US');
      pointer(node(el, 'out:消费'), 'pointerenter');
      await el.updateComplete;
      const hl = links(el).filter((l) => l.classList.contains('hl'));
      expect(hl.map((l) => l.dataset['target'])).to.deep.equal(['out:消费', 'out:消费']);
      const tip = sr(el).querySelector<HTMLElement>('[part="tooltip"]')!;
      const lines = tip.textContent!.split('\n');
      expect(lines[0]).to.equal('消费');
      expect(lines[1]).to.equal('Outflow CN¥5M');
      expect(lines[2]).to.equal('47.6% of all outflow');
      expect(tip.children).to.have.length(0);
      const link = links(el).find(
        (l) => l.dataset['source'] === 'in:工资' && l.dataset['target'] === 'mid:贵宾客户',
      )!;
      pointer(link, 'pointermove');
      await el.updateComplete;
      expect(sr(el).querySelector('[part="tooltip"]')!.textContent).to.include('工资 → 贵宾客户: CN¥2M');
      expect(links(el).filter((l) => l.classList.contains('hl'))).to.have.length(1);
      sr(el).querySelector('.wrap')!.dispatchEvent(new PointerEvent('pointerleave'));
      await el.updateComplete;
      expect(sr(el).querySelector('[part="tooltip"]')).to.equal(null);
      expect(links(el).filter((l) => l.classList.contains('dim'))).to.have.length(0);
    });

    it('switches visible text with the locale and re-lays out on a width change', async () => {
      const el = await sankey('zh-CN');
      expect(svgTexts(el)).to.include('流入类别');
      el.locale = 'en-US';
      await el.updateComplete;
      const t = svgTexts(el).join('|');
      for (const s of ['Inflow', 'Segment', 'Outflow', 'Other', '8M']) expect(t, s).to.include(s);
      expect(t).to.not.include('流入类别');
      const wide = Number(sr(el).querySelector('svg[part=sankey]')!.getAttribute('width'));
      el.style.width = '320px';
      await waitFor(
        () => Number(sr(el).querySelector('svg[part=sankey]')!.getAttribute('width')) !== wide,
        40,
      );
      const narrow = Number(sr(el).querySelector('svg[part=sankey]')!.getAttribute('width'));
      expect(narrow).to.be.lessThan(300);
      for (const n of nodes(el)) {
        const b = n.querySelector('.bar')!;
        expect(Number(b.getAttribute('x')) + Number(b.getAttribute('width'))).to.be.at.most(narrow);
      }
    });

    it('draws the seeded sample with segments in the middle; table view lists the links', async () => {
      const el = await show(
        html`<fin-fund-flow locale="zh-CN" .engine=${sample} style="width: 720px"></fin-fund-flow>`,
      );
      expect(el.renderState).to.equal('ok');
      const mids = nodes(el).filter((n) => n.dataset['side'] === 'mid');
      expect(mids.length).to.be.within(2, 4);
      expect(nodes(el).filter((n) => n.dataset['side'] === 'in').length).to.be.greaterThan(2);
      el.view = 'table';
      await el.updateComplete;
      const rows = sr(el).querySelectorAll('[part="table"] tbody tr');
      expect(rows.length).to.equal(links(el).length || el.currentResult!.data.length);
      expect(sr(el).querySelector('[part="table"] thead')!.textContent).to.include('占来源比例');
      expect(el.csv()).to.include('流入 → 客户');
    });
  });

  describe('trend', () => {
    it('draws net bars and the cumulative line with localised months; tooltip; click selects a month', async () => {
      const el = await drawn('trend', trendResult(), 'zh-CN', 640);
      expect(el.renderState).to.equal('ok');
      const t = vegaTexts(el);
      for (const s of ['2024年1月', '2024年2月', '净流入（元）', '累计（元）']) expect(t, s).to.include(s);
      expect(t.some((s) => s.endsWith('万'))).to.equal(true);
      expect(sr(el).querySelectorAll('.plot svg g.mark-rect.bars_marks path').length).to.equal(3);
      expect(sr(el).querySelector('[part="legend"]')!.textContent).to.include('累计净流入');
      const bands = [...sr(el).querySelectorAll<SVGElement>('.plot svg g.mark-rect.periods_marks > path')];
      expect(bands).to.have.length(3);
      for (const type of ['pointermove', 'pointerover']) pointer(bands[1]!, type, 0.5, 0.3);
      const tip = await tooltip(el, '.plot ~ [part="tooltip"]');
      expect(tip.hidden).to.equal(false);
      const lines = tip.textContent!.split('\n');
      expect(lines[0]).to.equal('2024年2月');
      expect(lines).to.include('净流入 \u2212¥30万');
      const ev = await nextSelect(el, () => clickMark(bands[1]!, false, 1 / 3));
      expect(ev.detail.clause).to.deep.equal({ field: 'txn_time.month', op: 'eq', value: '2024-02' });
      expect(ev.detail.label).to.equal('2024年2月');
    });

    it('selects periods from the keyboard in the table view; locale switch; show-flows legend', async () => {
      const el = await show(
        html`<fin-fund-flow
          locale="en-US"
          display="trend"
          view="table"
          .result=${trendResult()}
        ></fin-fund-flow>`,
      );
      const heads = rowHeads(el);
      expect(heads.map((b) => b.textContent!.trim())).to.deep.equal(['Jan 2024', 'Feb 2024', 'Mar 2024']);
      heads[2]!.focus();
      let ev = await nextSelect(el, () => sendKeys({ press: 'Enter' }));
      expect(ev.detail.clause).to.deep.equal({ field: 'txn_time.month', op: 'eq', value: '2024-03' });
      await el.updateComplete;
      expect(rowHeads(el)[2]!.getAttribute('aria-pressed')).to.equal('true');
      ev = await nextSelect(el, () => sendKeys({ press: 'Enter' }));
      expect(ev.detail.clause).to.equal(null);
      expect(el.csv()).to.include('2024-02');
      el.locale = 'zh-CN';
      el.showFlows = true;
      el.view = 'chart';
      await ready(el);
      const legend = sr(el).querySelector('[part="legend"]')!.textContent!;
      for (const s of ['净流入', '净流出', '累计净流入', '流入', '流出']) expect(legend).to.include(s);
      expect(sr(el).querySelectorAll('.plot svg g.mark-line.flows_marks path').length).to.equal(2);
    });

    it('draws the seeded sample by month and by a breakdown', async () => {
      const el = await show(
        html`<fin-fund-flow
          locale="en-US"
          display="trend"
          by="counterparty_type"
          .engine=${sample}
          style="width: 640px"
        ></fin-fund-flow>`,
      );
      expect(el.renderState).to.equal('ok');
      const legend = sr(el).querySelector('[part="legend"]')!.textContent!;
      for (const s of ['company', 'individual', 'Cumulative net']) expect(legend).to.include(s);
      expect(vegaTexts(el).some((s) => /^[A-Z][a-z]{2} \d{4}$/.test(s))).to.equal(true);
    });
  });

  describe('alerts', () => {
    it('lists alerts with a badge, localised rules, sorting, rule chips, customer selection and thresholds', async () => {
      const el = await drawn('alerts', alertsResult(), 'zh-CN', 720);
      expect(el.renderState).to.equal('ok');
      expect(sr(el).querySelector('[part="badge"]')!.textContent!.trim()).to.equal('3');
      const rows = (): string[][] =>
        [...sr(el).querySelectorAll('[part="alerts"] tbody tr')].map((tr) =>
          [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()),
        );
      expect(rows().map((r) => r[0])).to.deep.equal(['2024-03-05 自 03-01 起', '2024-03-02', '2024-02-10']);
      expect(rows()[0]![2]).to.equal('疑似拆分交易');
      expect(rows()[1]![2]).to.equal('大额现金 单笔');
      expect(rows()[2]![2]).to.equal('大额转账(非个人) 当日累计');
      expect(rows()[2]![4]).to.equal('2,500,000.00');
      // Sort by amount (descending first).
      const amountHead = [...sr(el).querySelectorAll<HTMLElement>('[part="alerts"] th')].find((th) =>
        th.textContent!.includes('金额'),
      )!;
      amountHead.querySelector('button')!.click();
      await el.updateComplete;
      expect(amountHead.getAttribute('aria-sort')).to.equal('descending');
      expect(rows().map((r) => r[4])).to.deep.equal(['2,500,000.00', '140,000.00', '60,000.00']);
      amountHead.querySelector('button')!.click();
      await el.updateComplete;
      expect(amountHead.getAttribute('aria-sort')).to.equal('ascending');
      expect(el.sortBy).to.equal('amount');
      expect(el.sortDirection).to.equal('asc');
      // Rule chip filters the table locally.
      const chips = [...sr(el).querySelectorAll<HTMLButtonElement>('[part~="rule-chip"]')];
      expect(chips.map((c) => c.textContent!.replace(/\s+/g, ''))).to.deep.equal([
        '全部3',
        '大额现金1',
        '大额转账(非个人)1',
        '疑似拆分交易1',
      ]);
      chips[1]!.click();
      await el.updateComplete;
      expect(rows()).to.have.length(1);
      expect(chips[1]!.getAttribute('aria-pressed')).to.equal('true');
      // Customer buttons select customer_id, from the keyboard too.
      const customer = sr(el).querySelector<HTMLButtonElement>('[part="alerts"] tbody button.link')!;
      customer.focus();
      let ev = await nextSelect(el, () => sendKeys({ press: 'Enter' }));
      expect(ev.detail.clause).to.deep.equal({ field: 'customer_id', op: 'eq', value: 'CU01' });
      ev = await nextSelect(el, () => customer.click());
      expect(ev.detail.clause).to.equal(null);
      // The basis panel shows the thresholds.
      const basisBtn = [...sr(el).querySelectorAll<HTMLButtonElement>('.tools button')].find(
        (b) => b.textContent!.trim() === '口径',
      )!;
      basisBtn.click();
      await el.updateComplete;
      expect(sr(el).querySelector('[part="basis"]')!.textContent).to.include('阈值：大额现金 ≥ ¥50,000');
      expect(sr(el).querySelector('[part="summary"]')!.textContent).to.include('共 3 条预警');
    });

    it('uses a compact layout and a rule select on a narrow card; en-US rules', async () => {
      const el = await drawn('alerts', alertsResult(), 'en-US', 320);
      await waitFor(() => !!sr(el).querySelector('[part="rule-select"]'), 40);
      const select = sr(el).querySelector<HTMLSelectElement>('[part="rule-select"]')!;
      expect(select).to.not.equal(null);
      expect(sr(el).querySelectorAll('[part="alerts"] thead th')).to.have.length(3);
      expect(sr(el).querySelector('[part="alerts"] tbody')!.textContent).to.include('Suspected structuring');
      select.value = 'cash';
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      expect(sr(el).querySelectorAll('[part="alerts"] tbody tr')).to.have.length(1);
      await expect(el).to.be.accessible();
    });
  });

  describe('analytic use and requests', () => {
    it('computes from .data rows through the private engine (partial without customers), then the trend', async () => {
      const el = await fixture<FinFundFlow>(
        html`<fin-fund-flow locale="zh-CN" .data=${TXNS} style="width: 600px"></fin-fund-flow>`,
      );
      const quality = oneEvent(el, 'fin-quality') as Promise<FinQualityEvent>;
      await ready(el);
      expect(el.renderState).to.equal('partial');
      expect((await quality).detail.warnings.length).to.be.greaterThan(0);
      expect(sr(el).querySelector('[part="quality"]')!.textContent).to.include('中间层合并为一个节点');
      expect(svgTexts(el).join('|')).to.include('全部客户');
      el.display = 'trend';
      await ready(el);
      expect(el.renderState).to.equal('ok');
      expect(el.currentResult!.basis.metric).to.equal('fund_flow');
      expect(el.currentResult!.data.map((d) => d['net'])).to.deep.equal([600, -800]);
    });

    it('sends each display its metric and params', async () => {
      const seen: QueryRequest[] = [];
      const eng = fakeEngine(null, seen);
      const el = await fixture<FinFundFlow>(
        html`<fin-fund-flow top="4" middle="none" .params=${{ x: 1 }} .engine=${eng}></fin-fund-flow>`,
      );
      await el.updateComplete;
      expect(seen[0]).to.deep.include({ metric: 'sankey' });
      expect(seen[0]!.params).to.deep.equal({ x: 1, top: 4, middle: null });
      el.display = 'trend';
      el.unit = 'week';
      el.by = 'channel';
      await el.updateComplete;
      expect(seen[seen.length - 1]!.metric).to.equal('fund_flow');
      expect(seen[seen.length - 1]!.params).to.deep.equal({ x: 1, unit: 'week', by: 'channel' });
      el.display = 'alerts';
      await el.updateComplete;
      expect(seen[seen.length - 1]!.metric).to.equal('txn_alerts');
      expect(seen[seen.length - 1]!.params).to.deep.equal({ x: 1 });
    });
  });

  describe('states', () => {
    it('loading, empty and partial with quality warnings', async () => {
      await expectLoading(html`<fin-fund-flow .engine=${fakeEngine(null)}></fin-fund-flow>`);

      await expectEmpty(
        html`<fin-fund-flow
          locale="zh-CN"
          display="alerts"
          .engine=${sample}
          .filters=${[{ field: 'amount', op: 'range', value: [0, 10] }]}
        ></fin-fund-flow>`,
        ready,
        '没有交易达到报告阈值',
      );

      const partial = await show(
        html`<fin-fund-flow
          locale="zh-CN"
          .result=${sankeyResult({
            quality: {
              rows: 10,
              used: 8,
              excluded: { invalid_amount_or_direction: 2 },
              warnings: [bi('警告一条', 'One warning')],
            },
          })}
        ></fin-fund-flow>`,
      );
      const q = partialNote(partial);
      expect(q).to.include('金额或方向无效 2');
      expect(q).to.include('警告一条');
      expect(sr(partial).querySelector('svg[part=sankey]')).to.not.equal(null);
    });

    it('error on a result that does not fit the display, on a bad result and on a missing column', async () => {
      const el = await fixture<FinFundFlow>(
        html`<fin-fund-flow locale="zh-CN" display="alerts" .result=${trendResult()}></fin-fund-flow>`,
      );
      await el.updateComplete;
      expect(el.renderState).to.equal('error');
      expect(sr(el).querySelector('[part="error"]')!.textContent).to.include('customer_id');

      const bad = await fixture<FinFundFlow>(
        html`<fin-fund-flow .result=${{ rows: [] } as unknown as MetricResult}></fin-fund-flow>`,
      );
      await bad.updateComplete;
      expect(bad.renderState).to.equal('error');

      const missing = await fixture<FinFundFlow>(
        html`<fin-fund-flow
          locale="en-US"
          display="trend"
          .data=${[{ txn_id: 't1', customer_id: 'c1', txn_time: '2024-01-03', amount: 10 }]}
        ></fin-fund-flow>`,
      );
      const err = oneEvent(missing, 'fin-error') as Promise<FinErrorEvent>;
      await ready(missing);
      expect(missing.renderState).to.equal('error');
      expect((await err).detail.message).to.include('direction');
      expect(sr(missing).querySelector('[part="error"]')!.textContent).to.include('Column missing');
    });
  });

  describe('lifecycle', () => {
    it('finalizes the Vega view on disconnect and when leaving the trend display', async () => {
      const el = await show(
        html`<fin-fund-flow display="trend" .result=${trendResult()} style="width: 480px"></fin-fund-flow>`,
      );
      expect(el.view_).to.not.equal(null);
      el.display = 'sankey';
      el.result = sankeyResult();
      await ready(el);
      expect(el.view_).to.equal(null);
      expect(sr(el).querySelector('svg[part=sankey]')).to.not.equal(null);
      el.display = 'trend';
      el.result = trendResult();
      await ready(el);
      expect(el.view_).to.not.equal(null);
      el.remove();
      expect(el.view_).to.equal(null);
    });
  });
});
