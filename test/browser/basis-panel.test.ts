/**
 * The basis panel (口径) and the CSV header show options and filters as readable conditions, not
 * raw JSON; payload strings stay text.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/kpi-card/define.js';
import type { FinKpiCard } from '../../components/kpi-card/kpi-card.js';
import type { MetricResult } from '../../src/engine/types.js';

const payload = '<img src=x onerror="window.__basisXss=1">';
const result: MetricResult = {
  data: [{ value: 1234 }],
  basis: {
    metric: 'kpi',
    title: { 'zh-CN': '逾期率', 'en-US': 'Overdue rate' },
    formula: { 'zh-CN': '逾期余额 / 在贷余额', 'en-US': 'overdue balance / outstanding' },
    options: { k: 30, buckets: ['M1', 'M2'], excludeCurrent: true },
    filters: [
      { field: 'region', op: 'eq', value: '华东' },
      { field: 'product', op: 'in', value: ['消费贷', payload] },
      { field: 'dpd', op: 'range', value: [30, null] },
    ],
    exclusions: [],
  },
  quality: { rows: 10, used: 10, excluded: {}, warnings: [] },
};

async function openBasis(lang: string): Promise<{ el: FinKpiCard; text: string }> {
  const el = await fixture<FinKpiCard>(html`<fin-kpi-card locale=${lang} .result=${result}></fin-kpi-card>`);
  await el.updateComplete;
  const toggle = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.getAttribute('aria-pressed') !== null);
  expect(toggle, 'basis toggle').to.not.equal(undefined);
  toggle!.click();
  await el.updateComplete;
  const panel = el.shadowRoot!.querySelector('[part="basis"]');
  expect(panel, 'basis panel').to.not.equal(null);
  return { el, text: panel!.textContent!.replace(/\s+/g, ' ') };
}

describe('basis panel text', () => {
  it('zh-CN: options and filters as conditions', async () => {
    const { el, text } = await openBasis('zh-CN');
    expect(text).to.include('k=30；buckets=M1、M2；excludeCurrent=是');
    expect(text).to.include('region = 华东；product ∈ 消费贷、');
    expect(text).to.include('dpd ≥ 30');
    expect(text).not.to.include('{"');
    expect(text).to.include(payload);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as { __basisXss?: number }).__basisXss).to.equal(undefined);
  });

  it('en-US: the same in English, and in the CSV header', async () => {
    const { el, text } = await openBasis('en-US');
    expect(text).to.include('k=30; buckets=M1, M2; excludeCurrent=yes');
    expect(text).to.include('region = 华东; product ∈ 消费贷, ');
    const csv = el.csv();
    expect(csv).to.include('Filters: region = 华东; product ∈ 消费贷,');
    expect(csv).to.include('Options: k=30; buckets=M1, M2; excludeCurrent=yes');
    expect(csv).not.to.include('{"field"');
  });
});
