/**
 * <fin-kpi-card> and <fin-table> in Chromium: the three ways of use, states, colour convention,
 * locale switch, parts, events, axe, CSV export.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/kpi-card/define.js';
import '../../components/table/define.js';
import type { FinKpiCard } from '../../components/kpi-card/kpi-card.js';
import type { FinTable } from '../../components/table/table.js';
import { createEngine } from '../../src/engine/create.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { MetricResult } from '../../src/engine/types.js';

const basis = {
  metric: 'kpi',
  title: { 'zh-CN': '放款金额', 'en-US': 'Disbursed' },
  formula: { 'zh-CN': 'Σ 本金', 'en-US': 'Σ principal' },
  options: {},
  filters: [],
  exclusions: [],
};
const spark = [1, 2, 3, 2, 4].map((v, i) => ({ period: `2026-0${i + 1}`, value: v * 1e4 }));
const result = (over: Record<string, unknown> = {}, excluded: Record<string, number> = {}): MetricResult => ({
  data: [{ value: 123456, comparison: 100000, delta: 23456, deltaPct: 0.23456, target: 150000, attainment: 0.823, ...over }],
  basis,
  quality: { rows: 10, used: 10, excluded, warnings: [] },
  meta: { sparkline: spark },
});
const shadow = (el: Element) => el.shadowRoot!;
const part = (el: Element, name: string) => shadow(el).querySelector(`[part~="${name}"]`);
const settle = async (el: FinKpiCard | FinTable, state = 'ok') => {
  for (let i = 0; i < 300 && el.renderState !== state; i++) await new Promise((r) => setTimeout(r, 20));
  if (el.renderState !== state) throw new Error(`state ${el.renderState}: ${el.shadowRoot!.textContent!.replace(/\s+/g, " ").slice(0, 300)}`);
  await el.updateComplete;
};

describe('fin-kpi-card', () => {
  let engine: FinEngine;
  before(async () => {
    engine = createEngine();
    await engine.loadSample({ customers: 200 });
  });

  it('renders a result: compact value, delta with arrow and percent, target bar, sparkline', async () => {
    const el = await fixture<FinKpiCard>(html`<fin-kpi-card locale="zh-CN" .result=${result()}></fin-kpi-card>`);
    await settle(el);
    expect(part(el, 'value')!.textContent!.trim()).to.equal('12.3万');
    const delta = part(el, 'delta')!;
    expect(delta.textContent).to.contain('▲');
    expect(delta.textContent).to.contain('+2.35万');
    expect(delta.textContent).to.contain('+23.5%');
    expect(delta.className).to.equal('good');
    expect(part(el, 'target')!.textContent).to.contain('82.3%');
    const paths = [...part(el, 'sparkline')!.querySelectorAll('path')].map((p) => p.getAttribute('d') ?? '');
    expect(paths).to.have.length(2);
    const [fill, stroke] = paths as [string, string];
    // the line runs through every point; the fill is that line closed along the bottom edge (y = 36)
    expect(stroke).to.match(/^M1,\d/);
    expect(stroke.split('L')).to.have.length(spark.length);
    expect(fill.startsWith(stroke)).to.equal(true);
    expect(fill.slice(stroke.length)).to.equal('L199,36L1,36Z');
    expect(part(el, 'title')!.textContent).to.equal('放款金额');
    await expect(el).to.be.accessible();
  });

  it('colours by direction and convention: a rise of a lower-is-better rate is bad', async () => {
    const el = await fixture<FinKpiCard>(html`<fin-kpi-card direction="lower-is-better" format="percent" .result=${result({ value: 0.031, comparison: 0.028, delta: 0.003, deltaPct: 0.107 })}></fin-kpi-card>`);
    await settle(el);
    const delta = part(el, 'delta') as HTMLElement;
    expect(delta.className).to.equal('bad');
    expect(delta.textContent).to.contain('+0.30');
    const western = getComputedStyle(delta).color;
    el.colorConvention = 'cn';
    await el.updateComplete;
    const cn = getComputedStyle(part(el, 'delta') as HTMLElement).color;
    expect(cn).to.not.equal(western);
    expect(cn).to.equal('rgb(27, 127, 59)'); // bad = green in the Chinese convention
  });

  it('switches locale: en-US compact and labels', async () => {
    const el = await fixture<FinKpiCard>(html`<fin-kpi-card locale="en-US" .result=${result()}></fin-kpi-card>`);
    await settle(el);
    expect(part(el, 'value')!.textContent!.trim()).to.equal('123K');
    expect(shadow(el).textContent).to.contain('vs prior');
    el.locale = 'zh-CN';
    await el.updateComplete;
    expect(shadow(el).textContent).to.contain('较上期');
  });

  it('shows partial, empty and error states with events', async () => {
    const p = await fixture<FinKpiCard>(html`<fin-kpi-card></fin-kpi-card>`);
    setTimeout(() => (p.result = result({}, { missing_required: 3, closed: 40 })));
    const q = await oneEvent(p, 'fin-quality');
    expect(q.detail.excluded.missing_required).to.equal(3);
    await settle(p, 'partial');
    expect(part(p, 'quality')!.textContent).to.contain('3');
    const e = await fixture<FinKpiCard>(html`<fin-kpi-card .result=${{ data: [], basis, quality: { rows: 0, used: 0, excluded: {}, warnings: [] } }}></fin-kpi-card>`);
    await settle(e, 'empty');
    expect(part(e, 'empty')).to.not.equal(null);
    const bad = await fixture<FinKpiCard>(html`<fin-kpi-card></fin-kpi-card>`);
    setTimeout(() => (bad.result = { nope: 1 } as unknown as MetricResult));
    const err = await oneEvent(bad, 'fin-error');
    expect(err.detail.code).to.equal('bad_input');
    await settle(bad, 'error');
    expect(part(bad, 'error')!.getAttribute('role')).to.equal('alert');
  });

  it('computes through an engine and from .data rows', async () => {
    const el = await fixture<FinKpiCard>(
      html`<fin-kpi-card .engine=${engine} source="transactions" .params=${{ measure: { agg: 'count' }, sparkline: { unit: 'month', points: 6 } }}></fin-kpi-card>`,
    );
    await settle(el);
    const direct = await engine.query({ metric: 'kpi', source: 'transactions', params: { measure: { agg: 'count' }, sparkline: { unit: 'month', points: 6 } } });
    expect(el.currentResult!.data[0]).to.deep.equal(direct.data[0]);
    const rows = [
      { loan_id: 'L1', snapshot_date: '2026-01-31', outstanding: 100, dpd: 0 },
      { loan_id: 'L1', snapshot_date: '2026-02-28', outstanding: 90, dpd: 0 },
      { loan_id: 'L2', snapshot_date: '2026-02-28', outstanding: 50, dpd: 3 },
    ];
    const d = await fixture<FinKpiCard>(html`<fin-kpi-card .data=${rows} .params=${{ measure: { agg: 'sum', field: 'outstanding' }, stock: true }}></fin-kpi-card>`);
    await settle(d);
    expect((d.currentResult!.data[0] as { value: number }).value).to.equal(90 + 50);
    const missing = await fixture<FinKpiCard>(html`<fin-kpi-card .data=${[{ foo: 1 }]}></fin-kpi-card>`);
    await settle(missing, 'error');
    expect(part(missing, 'error')!.textContent).to.contain('loan_id');
  });

  it('toggles the basis and the table view; exports CSV with the basis and neutralised cells', async () => {
    const el = await fixture<FinKpiCard>(html`<fin-kpi-card locale="en-US" .result=${result()}></fin-kpi-card>`);
    await settle(el);
    const [basisBtn, tableBtn] = [...shadow(el).querySelectorAll('.tools button')] as HTMLButtonElement[];
    basisBtn!.click();
    await el.updateComplete;
    expect(part(el, 'basis')!.textContent).to.contain('Σ principal');
    tableBtn!.click();
    await el.updateComplete;
    expect(part(el, 'table')!.querySelectorAll('tbody tr').length).to.equal(5 + spark.length);
    const csv = el.csv();
    expect(csv).to.contain('# Disbursed');
    expect(csv).to.contain('123456');
  });
});

describe('fin-table', () => {
  it('renders, sorts and selects rows by keyboard with the filter field', async () => {
    const r: MetricResult = {
      data: [
        { collector: 'C001', team: 'M1组', recovered: 500 },
        { collector: 'C002', team: 'M1组', recovered: 900 },
        { collector: '=HYPERLINK("x")', team: 'M2组', recovered: 100 },
      ],
      basis: { ...basis, title: { 'zh-CN': '催收员', 'en-US': 'Collectors' } },
      quality: { rows: 3, used: 3, excluded: {}, warnings: [] },
    };
    const el = await fixture<FinTable>(
      html`<fin-table .result=${r} select-field="collector" filter-field="collector_id" .columns=${[
        { key: 'collector', label: 'Collector' },
        { key: 'recovered', label: 'Recovered', format: 'count', bar: true },
      ]}></fin-table>`,
    );
    await settle(el);
    const head = shadow(el).querySelectorAll('th button')[1] as HTMLButtonElement;
    head.click();
    await el.updateComplete;
    const first = shadow(el).querySelector('tbody tr') as HTMLTableRowElement;
    expect(first.textContent).to.contain('C002');
    setTimeout(() => first.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    const ev = await oneEvent(el, 'fin-select');
    expect(ev.detail.clause).to.deep.equal({ field: 'collector_id', op: 'eq', value: 'C002' });
    expect(el.csv()).to.contain(`"'=HYPERLINK(""x"")"`);
    await expect(el).to.be.accessible();
  });
});
