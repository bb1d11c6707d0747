/**
 * <fin-profile> in Chromium: a hand-made result (TGI bars from 100, small values pale and starred,
 * numeric comparisons), the seeded sample through an engine (painted; numbers equal the engine's
 * own answer), the group from a selection (members → { ids }, a linked RFM segment → { segment }),
 * the no-group prompt, the states and axe.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { loadVega } from '../../components/base/vega.js';
import '../../components/profile/define.js';
import type { FinProfile } from '../../components/profile/profile.js';
import { FinSelectEvent } from '../../components/base/events.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import { bi, expectBadResult, expectEmpty, expectLoading, fakeEngine, noData } from './helpers.js';
import { plotTexts, ready, rendered, sampleEngine, spyEngine, sr, viewSettled } from './helpers.js';

/** Group of 40 against a base of 200: gender (F over-represented), city tier with a small value. */
function profile(extra: Partial<MetricResult> = {}): MetricResult {
  const row = (attribute: string, label: [string, string], value: string, g: number, b: number) => ({
    attribute,
    attributeLabel: bi(...label),
    value,
    groupCount: g,
    groupShare: g / 40,
    baseCount: b,
    baseShare: b / 200,
    tgi: (g / 40 / (b / 200)) * 100,
    small: g < 30,
  });
  return {
    data: [
      row('gender', ['性别', 'Gender'], 'F', 30, 100),
      row('gender', ['性别', 'Gender'], 'M', 10, 100),
      row('city_tier', ['城市等级', 'City tier'], 'tier1', 8, 20),
      row('city_tier', ['城市等级', 'City tier'], 'tier2', 32, 180),
    ],
    basis: { metric: 'profile', title: bi('客户画像', 'Customer profile'), formula: bi('TGI', 'TGI'), options: { minCount: 30 }, filters: [], exclusions: [] },
    quality: { rows: 200, used: 200, excluded: {}, warnings: [] },
    meta: {
      group: { kind: 'segment', label: bi('重要价值客户', 'Important value'), size: 40, small: false },
      base: { kind: 'all', size: 200 },
      numeric: [
        { attribute: 'age', label: bi('年龄', 'Age'), group: { n: 40, mean: 41.5, median: 40, q1: 33, q3: 48 }, base: { n: 200, mean: 38, median: 37, q1: 30, q3: 45 }, index: (41.5 / 38) * 100 },
      ],
    },
    ...extra,
  };
}

const rowsOf = (el: Element, sel: string): string[][] =>
  [...sr(el).querySelectorAll(`${sel} tbody tr`)].map((tr) => [...tr.children].map((c) => c.textContent!.trim()));

async function painted(el: FinProfile): Promise<void> {
  await rendered(el, 120_000);
  await viewSettled(el);
}

describe('fin-profile', () => {
  // Vega's chunk once, before the first paint is timed (the runner is shared and busy).
  before(() => loadVega());

  it('presentational: TGI labels (small values starred), group line, numeric comparison', async () => {
    const el = await fixture<FinProfile>(html`<fin-profile locale="en-US" .result=${profile()}></fin-profile>`);
    await ready(el);
    expect(el.renderState).to.equal('ok');
    const texts = plotTexts(el);
    // F: 30/40 ÷ 100/200 = 150; M: 50*; tier1: 8/40 ÷ 20/200 = 200*; tier2: 32/40 ÷ 180/200 ≈ 89
    expect(texts).to.include.members(['150', '50*', '200*', '89', 'Gender', 'City tier']);
    expect(sr(el).querySelector('[part="context"]')!.textContent).to.include('Group: Important value, 40 customers');
    expect(rowsOf(el, '[part="numeric"]')[0]).to.deep.equal(['Age', '40', '37', '41.5', '38', '33–48', '109']);
  });

  it('the attribute picker charts one attribute (no re-query); the table view lists every value with its flag', async () => {
    const el = await fixture<FinProfile>(html`<fin-profile locale="en-US" .result=${profile()}></fin-profile>`);
    await ready(el);
    el.attribute = 'city_tier';
    await el.updateComplete;
    await ready(el);
    const texts = plotTexts(el);
    expect(texts).to.include('City tier');
    expect(texts).to.not.include('Gender');
    el.view = 'table';
    await el.updateComplete;
    const rows = rowsOf(el, '[part="table"]');
    expect(rows[2]).to.deep.equal(['City tier', 'tier1', '8', '20.0%', '20', '10.0%', '200', 'Small']);
  });

  it('no group: an empty state that asks for one, without querying', async () => {
    const seen: QueryRequest[] = [];
    const el = await fixture<FinProfile>(html`<fin-profile locale="en-US" .engine=${fakeEngine(profile(), seen)}></fin-profile>`);
    await rendered(el);
    expect(el.renderState).to.equal('empty');
    expect(sr(el).querySelector('[part="empty"]')!.textContent).to.include('Choose a group');
    expect(seen).to.have.length(0);
  });

  it('in a link group, a selected RFM segment becomes the group { segment } and is not sent as a filter', async () => {
    const seen: QueryRequest[] = [];
    const el = await fixture<FinProfile>(html`<fin-profile group="g1" .engine=${fakeEngine(profile(), seen)}></fin-profile>`);
    await rendered(el);
    window.dispatchEvent(new FinSelectEvent({ clause: { field: 'rfm_segment', op: 'eq', value: 'important_value' }, source: 'rfm1', group: 'g1', label: '重要价值客户' }));
    await rendered(el);
    await el.updateComplete;
    const last = seen.at(-1)!;
    expect(last.params!['group']).to.deep.equal({ segment: 'important_value' });
    expect(last.filters).to.deep.equal([]);
  });

  it('loading, empty, error on a bad result; axe light and dark', async function () {
    this.timeout(90_000);
    await expectLoading(html`<fin-profile .params=${{ group: { segment: 'important_value' } }} .engine=${fakeEngine(null)}></fin-profile>`);
    await expectEmpty(html`<fin-profile .result=${profile(noData())}></fin-profile>`, (e) => ready(e as FinProfile));
    await expectBadResult('fin-profile');
    for (const theme of ['light', 'dark']) {
      const el = await fixture<FinProfile>(html`<fin-profile theme=${theme} .result=${profile()}></fin-profile>`);
      await ready(el);
      await expect(el).to.be.accessible();
    }
  });

  describe('on the seeded sample', function () {
    this.timeout(300_000);
    let engine: FinEngine;
    before(async () => {
      engine = await sampleEngine(300);
    });

    it('paints the profile of 重要价值客户 with the engine\'s own TGIs and group size', async () => {
      const seen: QueryRequest[] = [];
      const params = { group: { segment: 'important_value' }, attributes: ['gender', 'city_tier'] };
      const el = await fixture<FinProfile>(html`<fin-profile locale="en-US" .engine=${spyEngine(engine, seen)} .params=${params}></fin-profile>`);
      await painted(el);
      expect(el.renderState).to.be.oneOf(['ok', 'partial']);
      expect(sr(el).querySelector('.plot svg')).to.not.equal(null);
      const own = await engine.query({ metric: 'profile', params });
      el.view = 'table';
      await el.updateComplete;
      const rows = rowsOf(el, '[part="table"]');
      expect(rows.length).to.equal(own.data.length);
      own.data.forEach((d, i) => {
        expect(rows[i]![1]).to.equal(d['value']);
        expect(rows[i]![2]).to.equal((d['groupCount'] as number).toLocaleString('en-US'));
        expect(rows[i]![6]).to.equal(d['tgi'] === null ? '—' : (d['tgi'] as number).toLocaleString('en-US', { maximumFractionDigits: 1 }));
      });
      const g = own.meta!['group'] as { size: number };
      expect(sr(el).querySelector('[part="context"]')!.textContent).to.include(`${g.size} customers`);
    });
  });
});
