/**
 * <fin-heatmap> in Chromium: the three ways of use (.result, .data through the private engine, an
 * engine with the seeded sample), every state, selection by mouse and keyboard, parts, locales,
 * themes, width changes, axe, and cleanup on disconnect.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import '../../components/heatmap/define.js';
import { clauseFor } from '../../components/heatmap/heatmap.js';
import type { FinHeatmap } from '../../components/heatmap/heatmap.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import { bi, clickMark, expectBadResult, expectEmpty, expectLoading } from './helpers.js';
import { expectMissingColumn, fakeEngine, hover, mount, noData, partialNote } from './helpers.js';
import { plotTexts as texts, ready, remounted, sampleEngine, sleep, spyEngine, sr } from './helpers.js';
import { tooltip } from './helpers.js';

/** Weekday × hour (3 days × 4 hours) contact rates; Wednesday 9h has no rows. */
function weekdayHour(extra: Partial<MetricResult> = {}): MetricResult {
  const data: Array<Record<string, unknown>> = [];
  for (const d of [1, 2, 3]) {
    for (const h of [8, 9, 10, 11]) {
      const empty = d === 3 && h === 9;
      data.push({
        x: h,
        y: d,
        value: empty ? null : Math.round((0.2 + 0.05 * d + 0.02 * h) * 1e4) / 1e4,
        n: empty ? 0 : 10 * d + h,
      });
    }
  }
  return {
    data,
    basis: {
      metric: 'heatmap',
      title: bi('接触率', 'Contact rate'),
      formula: bi('sum(contacted) / count()', 'sum(contacted) / count()'),
      measure: 'ratio',
      options: { x: { field: 'action_time', part: 'hour' }, y: { field: 'action_time', part: 'dow' } },
      filters: [],
      exclusions: [],
    },
    quality: { rows: 200, used: 200, excluded: {}, warnings: [] },
    meta: { xDomain: [8, 9, 10, 11], yDomain: [1, 2, 3] },
    ...extra,
  };
}

/** Render a heatmap and wait until it has drawn. */
const show = (template: TemplateResult): Promise<FinHeatmap> => mount(template, ready);
/** The weekday × hour contact rates at 560px. */
const contactRates = (locale: string): Promise<FinHeatmap> =>
  show(html`<fin-heatmap locale=${locale} .result=${weekdayHour()} style="width: 560px"></fin-heatmap>`);

/** Cell rects (the `cells` layer) as drawn. */
const cells = (el: FinHeatmap): SVGElement[] => [
  ...sr(el).querySelectorAll<SVGElement>('.plot svg g.mark-rect.cells_marks > path'),
];

describe('fin-heatmap', () => {
  describe('accessibility', () => {
    it('passes axe in chart and table view, light and dark; figure role and name', async () => {
      const el = await contactRates('zh-CN');
      await expect(el).to.be.accessible();
      const base = sr(el).querySelector('[part="base"]')!;
      expect(base.getAttribute('role')).to.equal('figure');
      expect(base.getAttribute('aria-label')).to.equal('接触率');
      expect(sr(el).querySelector('.plot')!.getAttribute('aria-label')).to.include('3 行 × 4 列');
      el.theme = 'dark';
      el.view = 'table';
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  });

  describe('rendering from .result', () => {
    it('draws the cells, hatched no-data cell, localised axes, formatted legend and labels; parts present', async () => {
      const el = await contactRates('zh-CN');
      expect(el.renderState).to.equal('ok');
      expect(cells(el)).to.have.length(11); // 12 cells, one without rows
      expect(sr(el).querySelectorAll('.plot svg g.mark-rect.nodata_marks > path')).to.have.length(1);
      expect(sr(el).querySelectorAll('.plot svg g.mark-rule.hatch_marks > line')).to.have.length(1);
      const t = texts(el);
      for (const s of ['8时', '11时', '周一', '周三', '无数据', '45.0%']) expect(t, s).to.include(s);
      expect(
        t.some((s) => /^\d+%$/.test(s)),
        'legend labels formatted as percent',
      ).to.equal(true);
      for (const p of ['base', 'header', 'title', 'chart', 'tooltip', 'summary'])
        expect(sr(el).querySelector(`[part~="${p}"]`), p).to.not.equal(null);
      const summary = sr(el).querySelector('[part="summary"]')!.textContent!;
      expect(summary).to.include('最高 周三 11时 57.00%');
      expect(summary).to.include('1 格无数据');
    });

    it('switches visible text with the locale', async () => {
      const el = await contactRates('zh-CN');
      expect(texts(el)).to.include('周二');
      const before = el.view_;
      el.locale = 'en-US';
      await remounted(el, before);
      const t = texts(el);
      for (const s of ['Tue', '08:00', 'No data']) expect(t, s).to.include(s);
      expect(t).to.not.include('周二');
      expect(sr(el).querySelector('[part="title"]')!.textContent).to.equal('Contact rate');
      expect(sr(el).querySelector('[part="summary"]')!.textContent).to.include('highest Wed 11:00 57.00%');
    });

    it('shows the tooltip as text (x, y, value, n)', async () => {
      const el = await contactRates('en-US');
      hover(cells(el)[0]!);
      const tip = await tooltip(el);
      expect(tip.hidden).to.equal(false);
      expect(tip.textContent).to.equal('Hour: 08:00\nWeekday: Mon\nValue: 41.00%\nRows: 18');
      expect(tip.children).to.have.length(0);
    });

    it('uses a diverging scale, another ramp in dark theme, and a host scheme token', async () => {
      const light = await fixture<FinHeatmap>(
        html`<fin-heatmap .result=${weekdayHour()} style="width: 500px"></fin-heatmap>`,
      );
      const dark = await fixture<FinHeatmap>(
        html`<fin-heatmap theme="dark" .result=${weekdayHour()} style="width: 500px"></fin-heatmap>`,
      );
      const custom = await fixture<FinHeatmap>(
        html`<fin-heatmap
          .result=${weekdayHour()}
          style="width: 500px; --fin-scheme-sequential: #ffffff, #ff0000"
        ></fin-heatmap>`,
      );
      const div = await fixture<FinHeatmap>(
        html`<fin-heatmap
          scheme="diverging"
          domain-mid="0.4"
          .result=${weekdayHour()}
          style="width: 500px"
        ></fin-heatmap>`,
      );
      await Promise.all([ready(light), ready(dark), ready(custom), ready(div)]);
      const fills = (el: FinHeatmap): string[] => cells(el).map((c) => c.getAttribute('fill')!);
      expect(fills(light)[0]).to.not.equal(fills(dark)[0]);
      // The highest value (Wed 11h) takes the end of the host ramp.
      expect(fills(custom)).to.include('rgb(255, 0, 0)');
      const legend = texts(div);
      expect(legend).to.include('40.0%'); // the diverging centre is labelled
      const lines = (div as unknown as { tooltipLines(d: unknown): string[] }).tooltipLines(
        (cells(div)[0] as unknown as { __data__: { datum: unknown } }).__data__.datum,
      );
      expect(lines, lines.join(' | ')).to.include('较中点 40.00%：+1.00个百分点');
    });

    it('hides value labels in narrow cells (auto) and shows them with show-labels="always"', async () => {
      const many = weekdayHour();
      many.data = [];
      for (const d of [1, 2])
        for (let h = 0; h < 24; h++) many.data.push({ x: h, y: d, value: 0.3 + h / 100, n: 5 });
      many.meta = { xDomain: Array.from({ length: 24 }, (_, h) => h), yDomain: [1, 2] };
      const el = await show(
        html`<fin-heatmap locale="zh-CN" .result=${many} style="width: 420px"></fin-heatmap>`,
      );
      expect(texts(el).some((s) => /^\d+\.\d%$/.test(s))).to.equal(false);
      const before = el.view_;
      el.showLabels = 'always';
      await remounted(el, before);
      expect(texts(el).some((s) => /^\d+(\.\d)?%$/.test(s))).to.equal(true);
    });
  });

  describe('states', () => {
    it('loading, empty, partial with quality warnings, error on a bad result', async () => {
      await expectLoading(html`<fin-heatmap .engine=${fakeEngine(null)}></fin-heatmap>`);

      await expectEmpty<FinHeatmap>(
        html`<fin-heatmap locale="zh-CN" .result=${weekdayHour(noData())}></fin-heatmap>`,
        ready,
      );

      const partial = await show(
        html`<fin-heatmap
          locale="en-US"
          .result=${weekdayHour({ quality: { rows: 220, used: 200, excluded: { unparseable_date: 20 }, warnings: [bi('部分时间缺失', 'Some times are missing')] } })}
          style="width: 500px"
        ></fin-heatmap>`,
      );
      const q = partialNote(partial);
      expect(q).to.include('20 rows excluded');
      expect(q).to.include('Some times are missing');
      expect(cells(partial).length).to.equal(11);

      await expectBadResult('fin-heatmap');
    });

    it('error on a missing column (private engine over .data)', async () => {
      const el = document.createElement('fin-heatmap');
      el.source = 'rows';
      el.params = { x: { field: 'no_such_column' }, y: { field: 'job' } };
      el.data = [{ job: 'admin.', month: 'may' }];
      await expectMissingColumn(el, 'no_such_column');
    });
  });

  describe('analytic use', () => {
    it('computes from .data rows through the private engine (category × month names in calendar order)', async () => {
      const rows = [
        { job: 'admin.', month: 'may', y: 'yes' },
        { job: 'admin.', month: 'may', y: 'no' },
        { job: 'admin.', month: 'jan', y: 'no' },
        { job: 'retired', month: 'jan', y: 'yes' },
      ];
      const params = {
        x: { field: 'month' },
        y: { field: 'job' },
        measure: {
          ratio: [{ agg: 'count', where: [{ field: 'y', op: 'eq', value: 'yes' }] }, { agg: 'count' }],
        },
      };
      const el = await show(
        html`<fin-heatmap
          source="bank"
          locale="en-US"
          .params=${params}
          .data=${rows}
          style="width: 480px"
        ></fin-heatmap>`,
      );
      expect(el.renderState).to.equal('ok');
      const r = el.currentResult!;
      expect(r.data).to.have.length(4);
      expect(r.data.find((d) => d['x'] === 'may' && d['y'] === 'retired')!['value']).to.equal(null);
      const t = texts(el);
      expect(t.indexOf('Jan')).to.be.lessThan(t.indexOf('May'));
      expect(t).to.include('50.0%');
      expect(t).to.include('Job'); // category axis titled; months need no title
      const err = oneEvent(el, 'fin-select');
      clickMark(cells(el)[0]!);
      const d = (await err).detail;
      expect(d.clause).to.deep.equal({ field: 'month', op: 'eq', value: 'jan' });
      expect(d.label).to.equal('Jan');
    });

    describe('with the seeded sample', () => {
      let engine: FinEngine;
      before(async () => {
        engine = await sampleEngine(200);
      });

      it('preset contact-rate-weekday-hour: 7 × 24 grid, title, click selects the hour, again clears', async () => {
        const seen: QueryRequest[] = [];
        const el = await show(
          html`<fin-heatmap
            preset="contact-rate-weekday-hour"
            locale="zh-CN"
            .engine=${spyEngine(engine, seen)}
            style="width: 760px"
          ></fin-heatmap>`,
        );
        expect(seen[0]!.params).to.deep.include({ preset: 'contact-rate-weekday-hour' });
        expect(seen[0]!.source).to.equal('collection_actions');
        expect(el.currentResult!.data).to.have.length(168);
        expect(sr(el).querySelector('[part="title"]')!.textContent).to.equal('接触率：星期 × 时段');
        const first = cells(el)[0]!;
        const datum = (first as unknown as { __data__: { datum: { xv: number; xl: string } } }).__data__
          .datum;
        const sel = oneEvent(el, 'fin-select');
        clickMark(first);
        const d = (await sel).detail;
        expect(d.clause).to.deep.equal({ field: 'action_time.hour', op: 'eq', value: datum.xv });
        expect(d.label).to.equal(datum.xl);
        expect(d.source).to.equal('fin-heatmap');
        expect(sr(el).querySelector('.selection')!.textContent).to.include(datum.xl);
        const before = el.view_;
        await remounted(el, before);
        const again = oneEvent(el, 'fin-select');
        clickMark(
          cells(el).find(
            (c) => (c as unknown as { __data__: { datum: { xv: number } } }).__data__.datum.xv === datum.xv,
          )!,
        );
        expect((await again).detail.clause).to.equal(null);
      });

      it('select-on="y" emits the weekday clause, e.g. { action_time.dow = 3 } labelled 周三', async () => {
        const el = await show(
          html`<fin-heatmap
            preset="contact-rate-weekday-hour"
            select-on="y"
            locale="zh-CN"
            .engine=${engine}
            style="width: 760px"
          ></fin-heatmap>`,
        );
        const wed = cells(el).find(
          (c) => (c as unknown as { __data__: { datum: { yv: number } } }).__data__.datum.yv === 3,
        )!;
        const sel = oneEvent(el, 'fin-select');
        clickMark(wed);
        const d = (await sel).detail;
        expect(d.clause).to.deep.equal({ field: 'action_time.dow', op: 'eq', value: 3 });
        expect(d.label).to.equal('周三');
      });

      it('overdue-region-month: month clause as YYYY-MM; keyboard selection from the table view', async () => {
        const el = await show(
          html`<fin-heatmap
            preset="overdue-region-month"
            locale="en-US"
            .engine=${engine}
            style="width: 900px"
          ></fin-heatmap>`,
        );
        expect(texts(el).some((s) => /^[A-Z][a-z]{2} \d{4}$/.test(s))).to.equal(true);
        el.view = 'table';
        await el.updateComplete;
        const buttons = sr(el).querySelectorAll<HTMLButtonElement>('[part="table"] [part="select"]');
        expect(buttons.length).to.equal(el.currentResult!.data.length);
        const firstKey = el.currentResult!.data[0]!['x'] as string;
        buttons[0]!.focus();
        const sel = oneEvent(el, 'fin-select');
        await sendKeys({ press: 'Enter' });
        const d = (await sel).detail;
        expect(d.clause).to.deep.equal({ field: 'snapshot_date.month', op: 'eq', value: firstKey });
        await el.updateComplete;
        const pressed = sr(el).querySelectorAll('[part="select"][aria-pressed="true"]');
        expect(pressed.length).to.be.greaterThan(1); // every row of that month
        const cleared = oneEvent(el, 'fin-select');
        sr(el).querySelector<HTMLButtonElement>('[part="select"][aria-pressed="true"]')!.focus();
        await sendKeys({ press: 'Space' });
        expect((await cleared).detail.clause).to.equal(null);
        // The table is also the CSV export: one row per cell, raw values.
        const csv = el.csv();
        expect(csv).to.include('Month,Region,Value,Rows');
        expect(csv.split('\n').filter((l) => /^\d{4}-\d{2},/.test(l))).to.have.length(
          el.currentResult!.data.length,
        );
      });
    });
  });

  describe('selection clauses', () => {
    it('maps every dimension kind onto the filter language', () => {
      expect(clauseFor({ field: 'txn_time', part: 'hour' }, 9)).to.deep.equal({
        field: 'txn_time.hour',
        op: 'eq',
        value: 9,
      });
      expect(clauseFor({ field: 'txn_time', part: 'week' }, '2024-06-03')).to.deep.equal({
        field: 'txn_time',
        op: 'range',
        value: ['2024-06-03', '2024-06-09'],
      });
      expect(clauseFor({ field: 'txn_time', part: 'day' }, '2024-06-03')).to.deep.equal({
        field: 'txn_time',
        op: 'range',
        value: ['2024-06-03', '2024-06-03'],
      });
      expect(clauseFor({ field: 'region', part: 'category' }, null)).to.deep.equal({
        field: 'region',
        op: 'eq',
        value: null,
      });
      const bins = [
        { label: '<1000', lo: null, hi: 1000 },
        { label: '≥1000', lo: 1000, hi: null },
      ];
      const lo = clauseFor({ field: 'amount', part: 'bin', bins }, '<1000');
      expect(lo.op).to.equal('range');
      expect((lo.value as number[])[0]).to.equal(null);
      expect((lo.value as number[])[1])
        .to.be.lessThan(1000)
        .and.greaterThan(999.999);
      expect(clauseFor({ field: 'amount', part: 'bin', bins }, '≥1000')).to.deep.equal({
        field: 'amount',
        op: 'range',
        value: [1000, null],
      });
    });
  });

  describe('layout and lifecycle', () => {
    it('re-specs when the container width changes', async () => {
      const wrap = await fixture<HTMLDivElement>(
        html`<div style="width: 260px"><fin-heatmap .result=${weekdayHour()}></fin-heatmap></div>`,
      );
      const el = wrap.querySelector('fin-heatmap')!;
      await ready(el);
      const narrow = sr(el).querySelector('.plot svg')!.getBoundingClientRect().width;
      const before = el.view_;
      wrap.style.width = '720px';
      await remounted(el, before);
      await sleep(50);
      const wide = sr(el).querySelector('.plot svg')!.getBoundingClientRect().width;
      expect(wide).to.be.greaterThan(narrow + 150);
    });

    it('finalizes the Vega view on disconnect', async () => {
      const el = await show(html`<fin-heatmap .result=${weekdayHour()} style="width: 400px"></fin-heatmap>`);
      expect(el.view_).to.not.equal(null);
      el.remove();
      expect(el.view_).to.equal(null);
    });
  });
});
