/**
 * <fin-funnel> in Chromium: the three ways of use (.result, .data through the private engine, an
 * engine with the seeded sample), every state, selection by mouse and keyboard, parts, locales,
 * axe, the table view and cleanup on disconnect.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../components/funnel/define.js';
import type { FinFunnel } from '../../components/funnel/funnel.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { Engine } from '../../src/engine/engine-types.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import { appendFor, expectLoading, fakeEngine, mount, rendered, sampleEngine, sleep, sr } from './helpers.js';

const basis = {
  metric: 'funnel',
  title: { 'zh-CN': '转化漏斗', 'en-US': 'Funnel' },
  formula: { 'zh-CN': '各阶段人数', 'en-US': 'Count per stage' },
  options: {},
  filters: [],
  exclusions: [],
};
const quality = { rows: 100, used: 100, excluded: {}, warnings: [] };

const row = (
  stage: string,
  step: number,
  count: number,
  prev: number | null,
  first: number,
  medianHours: number | null = null,
) => ({
  stage,
  step,
  count,
  stepConversion: prev ? count / prev : null,
  overallConversion: count / first,
  dropOff: prev === null ? null : prev - count,
  medianHours,
});

const LONG = '提交贷款申请资料并完成人脸识别认证';
const RESULT: MetricResult = {
  data: [
    row('曝光', 1, 4000, null, 4000),
    row('点击', 2, 1360, 4000, 4000, 0.5),
    row(LONG, 3, 788, 1360, 4000, 26),
    row('放款', 4, 230, 788, 4000, 3),
  ],
  basis,
  quality,
  meta: {
    stages: ['曝光', '点击', LONG, '放款'],
    mode: 'strict',
    cac: { spend: 96163.5, customers: 230, cac: 418.1 },
  },
};

const GROUPED: MetricResult = {
  data: [
    { group: 'app', ...row('a', 1, 600, null, 600) },
    { group: 'app', ...row('b', 2, 120, 600, 600) },
    { group: 'web', ...row('a', 1, 400, null, 400) },
    { group: 'web', ...row('b', 2, 40, 400, 400) },
  ],
  basis,
  quality,
  meta: { stages: ['a', 'b'], overall: [row('a', 1, 1000, null, 1000), row('b', 2, 160, 1000, 1000)] },
};

const stages = (el: FinFunnel): SVGGElement[] => [
  ...sr(el).querySelectorAll<SVGGElement>('g[part~="stage"]'),
];
const settle = async (el: FinFunnel): Promise<void> => {
  await rendered(el);
  await el.updateComplete;
};
/** Render a funnel and wait for its first update. */
const show = (template: TemplateResult): Promise<FinFunnel> =>
  mount(template, async (el: FinFunnel) => void (await el.updateComplete));

describe('fin-funnel', () => {
  describe('rendering from .result', () => {
    it('draws one focusable stage per row with bars, connectors and labels', async () => {
      const el = await show(
        html`<fin-funnel locale="zh-CN" .result=${RESULT} style="width: 900px"></fin-funnel>`,
      );
      expect(el.renderState).to.equal('ok');
      const gs = stages(el);
      expect(gs).to.have.length(4);
      for (const g of gs) {
        expect(g.getAttribute('role')).to.equal('button');
        expect(g.getAttribute('tabindex')).to.equal('0');
      }
      expect(sr(el).querySelectorAll('[part~="bar"]')).to.have.length(4);
      expect(sr(el).querySelectorAll('[part~="connector"]')).to.have.length(3);
      const text = sr(el).querySelector('svg')!.textContent!;
      expect(text).to.include('4,000');
      expect(text).to.include('转化 34.0%');
      expect(text).to.include('总体 5.8%');
      expect(text).to.include('流失 2,640');
      expect(text).to.include('中位 30分钟');
      // bars narrow left → right
      const heights = [...sr(el).querySelectorAll<SVGRectElement>('[part~="bar"]')].map((r) =>
        Number(r.getAttribute('height')),
      );
      expect(heights[0]).to.be.greaterThan(heights[1]!);
      expect(heights[1]! / heights[0]!).to.be.closeTo(1360 / 4000, 0.01);
      // parts
      for (const p of ['base', 'header', 'title', 'chart', 'funnel', 'cac', 'summary'])
        expect(sr(el).querySelector(`[part~="${p}"]`), p).to.not.equal(null);
      expect(sr(el).querySelector('[part="cac"]')!.textContent).to.include('¥418.10');
      expect(sr(el).querySelector('[part="summary"]')!.textContent).to.include('总体转化率 5.8%');
    });

    it('puts the full long Chinese stage name and the numbers into the aria-label', async () => {
      const el = await show(
        html`<fin-funnel locale="zh-CN" .result=${RESULT} style="width: 420px"></fin-funnel>`,
      );
      const g = stages(el)[2]!;
      const label = g.getAttribute('aria-label')!;
      expect(label).to.include(LONG);
      expect(label).to.include('788');
      expect(label).to.include('步骤转化率 57.9%');
      // the drawn name is wrapped / cut, never the full string on one line
      const drawn = [...g.querySelectorAll('text.name')].map((t) => t.textContent);
      expect(drawn.join('')).to.not.equal(LONG);
    });

    it('is vertical when asked, and when horizontal columns would be too narrow', async () => {
      const el = await show(
        html`<fin-funnel orientation="vertical" .result=${RESULT} style="width: 600px"></fin-funnel>`,
      );
      const widths = [...sr(el).querySelectorAll<SVGRectElement>('[part~="bar"]')].map((r) =>
        Number(r.getAttribute('width')),
      );
      expect(widths[0]! > widths[3]!).to.equal(true);
      const narrow = await show(html`<fin-funnel .result=${RESULT} style="width: 320px"></fin-funnel>`);
      await new Promise((r) => requestAnimationFrame(r));
      await narrow.updateComplete;
      const svg = sr(narrow).querySelector('svg')!;
      expect(Number(svg.getAttribute('width'))).to.be.lessThan(320);
      const bars = [...sr(narrow).querySelectorAll<SVGRectElement>('[part~="bar"]')];
      expect(Number(bars[0]!.getAttribute('width'))).to.be.greaterThan(
        Number(bars[3]!.getAttribute('width')),
      );
    });

    it('draws a grouped breakdown with a legend, and small multiples as panels', async () => {
      const el = await show(
        html`<fin-funnel
          locale="en-US"
          breakdown="channel"
          .result=${GROUPED}
          style="width: 700px"
        ></fin-funnel>`,
      );
      expect(sr(el).querySelectorAll('[part~="bar"]')).to.have.length(4);
      expect(sr(el).querySelector('[part="legend"]')!.textContent).to.include('app');
      expect(stages(el)[1]!.getAttribute('aria-label')).to.include('web 40 (overall 10.0%)');
      el.breakdownLayout = 'small-multiples';
      await el.updateComplete;
      expect(sr(el).querySelectorAll('[part="panel"]')).to.have.length(2);
      expect(sr(el).querySelectorAll('svg[part="funnel"]')).to.have.length(2);
      // the table lists the total and each group
      el.view = 'table';
      await el.updateComplete;
      expect(sr(el).querySelectorAll('[part="table"] tbody tr')).to.have.length(6);
    });

    it('switches visible text with the locale', async () => {
      const el = await show(html`<fin-funnel locale="zh-CN" .result=${RESULT}></fin-funnel>`);
      expect(sr(el).querySelector('[part="title"]')!.textContent).to.equal('转化漏斗');
      expect(sr(el).querySelector('svg')!.textContent).to.include('流失');
      el.locale = 'en-US';
      await el.updateComplete;
      expect(sr(el).querySelector('[part="title"]')!.textContent).to.equal('Funnel');
      const t = sr(el).querySelector('svg')!.textContent!;
      expect(t).to.include('Step 34.0%');
      expect(t).to.include('−2,640 lost');
      expect(t).to.include('median 30 min');
      expect(sr(el).querySelector('[part="cac"]')!.textContent).to.include('CAC CN¥418.10');
    });

    it('shows the table view and exports CSV with raw numbers', async () => {
      const el = await show(html`<fin-funnel locale="en-US" view="table" .result=${RESULT}></fin-funnel>`);
      const rows = sr(el).querySelectorAll('[part="table"] tbody tr');
      expect(rows).to.have.length(4);
      expect(rows[1]!.textContent).to.include('1,360');
      const csv = el.csv();
      expect(csv).to.include('Stage,Count,Step conversion');
      expect(csv).to.include('点击,1360,0.34');
    });
  });

  describe('selection', () => {
    it('emits fin-select on click and clears on a second click', async () => {
      const el = await show(html`<fin-funnel .result=${RESULT}></fin-funnel>`);
      const g = stages(el)[1]!;
      setTimeout(() => g.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })));
      const e1 = await oneEvent(el, 'fin-select');
      expect(e1.detail.clause).to.deep.equal({ field: 'stage', op: 'eq', value: '点击' });
      expect(e1.detail.label).to.equal('点击');
      await el.updateComplete;
      expect(stages(el)[1]!.getAttribute('aria-pressed')).to.equal('true');
      expect(stages(el)[1]!.classList.contains('selected')).to.equal(true);
      expect(stages(el)[0]!.classList.contains('dim')).to.equal(true);
      setTimeout(() =>
        stages(el)[1]!.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })),
      );
      const e2 = await oneEvent(el, 'fin-select');
      expect(e2.detail.clause).to.equal(null);
      await el.updateComplete;
      expect(stages(el)[1]!.getAttribute('aria-pressed')).to.equal('false');
    });

    it('selects with Enter and Space, moves with arrow keys, and shows a text tooltip on focus', async () => {
      const el = await show(html`<fin-funnel locale="en-US" .result=${RESULT}></fin-funnel>`);
      const [g0, g1] = stages(el);
      g0!.focus();
      await el.updateComplete;
      const tip = sr(el).querySelector('[part="tooltip"]')!;
      expect(tip.textContent).to.include('曝光');
      expect(tip.textContent).to.include('Count 4,000');
      expect(tip.children).to.have.length(0); // text only
      g0!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      expect(sr(el).activeElement).to.equal(g1);
      setTimeout(() => g1!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
      const e = await oneEvent(el, 'fin-select');
      expect(e.detail.clause).to.deep.equal({ field: 'stage', op: 'eq', value: '点击' });
      setTimeout(() => g1!.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true })));
      const e2 = await oneEvent(el, 'fin-select');
      expect(e2.detail.clause).to.equal(null);
    });

    it('clears its highlight when the base clear button is used', async () => {
      const el = await show(html`<fin-funnel .result=${RESULT}></fin-funnel>`);
      stages(el)[2]!.dispatchEvent(new MouseEvent('click'));
      await el.updateComplete;
      const clear = sr(el).querySelector<HTMLButtonElement>('.selection button')!;
      setTimeout(() => clear.click());
      const e = await oneEvent(el, 'fin-select');
      expect(e.detail.clause).to.equal(null);
      await el.updateComplete;
      expect(sr(el).querySelector('.selected')).to.equal(null);
    });
  });

  describe('states', () => {
    it('loading while the engine works', async () => {
      await expectLoading(html`<fin-funnel .engine=${fakeEngine(null)}></fin-funnel>`);
    });

    it('empty for a result without rows', async () => {
      const el = await show(
        html`<fin-funnel
          .result=${{ ...RESULT, data: [], empty: { 'zh-CN': '无事件', 'en-US': 'No events' } }}
          locale="en-US"
        ></fin-funnel>`,
      );
      expect(el.renderState).to.equal('empty');
      expect(sr(el).querySelector('[part="empty"]')!.textContent).to.include('No events');
    });

    it('partial with quality warnings, and fires fin-quality', async () => {
      const partial = {
        ...RESULT,
        quality: {
          rows: 120,
          used: 100,
          excluded: { missing_time: 20 },
          warnings: [{ 'zh-CN': '部分数据缺失', 'en-US': 'Some data is missing' }],
        },
      };
      const el = document.createElement('fin-funnel');
      el.locale = 'en-US';
      el.result = partial;
      const q = appendFor<{ excluded: Record<string, number> }>(el, 'fin-quality');
      try {
        const e = await q;
        expect(e.detail.excluded).to.deep.equal({ missing_time: 20 });
        await el.updateComplete;
        expect(el.renderState).to.equal('partial');
        expect(sr(el).querySelector('[part="quality"]')!.textContent).to.include('Some data is missing');
        expect(sr(el).querySelectorAll('[part~="stage"]')).to.have.length(4);
      } finally {
        el.remove();
      }
    });

    it('error for a result that is not a metric result', async () => {
      const el = await show(
        html`<fin-funnel .result=${{ nope: 1 } as unknown as MetricResult}></fin-funnel>`,
      );
      expect(el.renderState).to.equal('error');
      expect(sr(el).querySelector('[part="error"]')).to.not.equal(null);
    });

    it('error (missing_column) for rows without a count, and for data without a stage column', async () => {
      const el = document.createElement('fin-funnel');
      el.result = { ...RESULT, data: [{ stage: 'a' }] };
      const err = appendFor<{ code: string }>(el);
      try {
        expect((await err).detail.code).to.equal('missing_column');
        await el.updateComplete;
        expect(sr(el).querySelector('[part="error"]')!.textContent).to.include('count');
      } finally {
        el.remove();
      }
      const el2 = await fixture<FinFunnel>(
        html`<fin-funnel .data=${[{ user_id: 'u1', event_time: '2024-01-01' }]}></fin-funnel>`,
      );
      await settle(el2);
      expect(el2.renderState).to.equal('error');
      expect(sr(el2).querySelector('[part="error"]')!.textContent).to.include('stage');
    });
  });

  describe('analytic use', () => {
    it('computes from .data rows through the private engine', async () => {
      const rows = [
        { user_id: 'u1', event_time: '2024-01-01 10:00', stage: 'visit', channel: 'web' },
        { user_id: 'u1', event_time: '2024-01-01 11:00', stage: 'apply', channel: 'web' },
        { user_id: 'u2', event_time: '2024-01-02 10:00', stage: 'visit', channel: 'app' },
        { user_id: 'u3', event_time: '2024-01-02 10:00', stage: 'visit', channel: 'app' },
        { user_id: 'u3', event_time: '2024-01-02 12:00', stage: 'apply', channel: 'app' },
        { user_id: 'u3', event_time: '2024-01-03 12:00', stage: 'loan', channel: 'app' },
      ];
      const el = await fixture<FinFunnel>(
        html`<fin-funnel locale="en-US" .stages=${['visit', 'apply', 'loan']} .data=${rows}></fin-funnel>`,
      );
      await settle(el);
      expect(el.renderState).to.equal('ok');
      const labels = stages(el).map((g) => g.getAttribute('aria-label')!);
      expect(labels[0]).to.match(/^visit: 3/);
      expect(labels[1]).to.match(/^apply: 2/);
      expect(labels[2]).to.match(/^loan: 1/);
      expect(labels[1]).to.include('Median time 1.5 h');
    });

    it('merges mode, breakdown, stages and windowDays into the request', async () => {
      const seen: QueryRequest[] = [];
      const el = await fixture<FinFunnel>(
        html`<fin-funnel
          mode="loose"
          breakdown="channel"
          window-days="7"
          .stages=${['a', 'b']}
          .params=${{ entity: 'user_id' }}
          .engine=${fakeEngine(GROUPED, seen)}
        ></fin-funnel>`,
      );
      await settle(el);
      const req = seen[seen.length - 1]!;
      expect(req.metric).to.equal('funnel');
      expect(req.params).to.deep.equal({
        entity: 'user_id',
        mode: 'loose',
        breakdown: 'channel',
        stages: ['a', 'b'],
        windowDays: 7,
      });
      const n = seen.length;
      el.mode = 'strict';
      await settle(el);
      await el.updateComplete;
      expect(seen.length).to.be.greaterThan(n);
      expect(seen[seen.length - 1]!.params!['mode']).to.equal('strict');
    });

    describe('on the seeded sample', () => {
      let engine: FinEngine;
      before(async () => {
        // Imported lazily, as the element does: only the engine-backed tests load Arquero.
        engine = await sampleEngine(300);
      });

      it('renders the sample funnel, grouped by channel, with CAC', async () => {
        const el = await fixture<FinFunnel>(
          html`<fin-funnel
            locale="zh-CN"
            breakdown="channel"
            .engine=${engine}
            style="width: 900px"
          ></fin-funnel>`,
        );
        await settle(el);
        expect(el.renderState).to.equal('ok');
        const n = stages(el).length;
        expect(n).to.be.greaterThan(2);
        const counts = (el.currentResult!.meta!['overall'] as Array<{ count: number }>).map((r) => r.count);
        for (let i = 1; i < counts.length; i++) expect(counts[i]!).to.be.at.most(counts[i - 1]!);
        expect(sr(el).querySelector('[part="legend"]')).to.not.equal(null);
        expect(sr(el).querySelector('[part="cac"]')!.textContent).to.include('获客成本');
        await expect(el).to.be.accessible();
      });
    });
  });

  describe('accessibility', () => {
    it('passes axe in light and dark, with a selection', async () => {
      const el = await show(html`<fin-funnel locale="zh-CN" .result=${RESULT}></fin-funnel>`);
      await expect(el).to.be.accessible();
      el.theme = 'dark';
      stages(el)[1]!.dispatchEvent(new MouseEvent('click'));
      await el.updateComplete;
      await expect(el).to.be.accessible();
      expect(sr(el).querySelector('[part="base"]')!.getAttribute('role')).to.equal('figure');
      expect(sr(el).querySelector('svg[part="funnel"]')!.getAttribute('aria-label')).to.equal('漏斗阶段');
    });
  });

  describe('cleanup', () => {
    it('drops its tooltip and observers on disconnect and ignores a late answer', async () => {
      let resolve: (r: MetricResult) => void = () => {};
      const slow: Engine = {
        ...fakeEngine(null),
        query: () => new Promise<MetricResult>((r) => (resolve = r)),
      };
      const el = await show(html`<fin-funnel .engine=${slow}></fin-funnel>`);
      expect(el.renderState).to.equal('loading');
      let errors = 0;
      el.addEventListener('fin-error', () => errors++);
      el.remove();
      resolve(RESULT);
      await sleep(20);
      expect(el.currentResult).to.equal(null);
      expect(errors).to.equal(0);
      // reconnecting works
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      el.result = RESULT;
      host.append(el);
      await el.updateComplete;
      expect(el.renderState).to.equal('ok');
      stages(el)[0]!.focus();
      await el.updateComplete;
      expect(sr(el).querySelector('[part="tooltip"]')).to.not.equal(null);
      el.remove();
      await el.updateComplete;
      expect(sr(el).querySelector('[part="tooltip"]')).to.equal(null);
    });
  });
});
