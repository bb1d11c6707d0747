/**
 * `<fin-dashboard-editor>` in Chromium, what it shows about the data: validation problems of
 * fields and filters that resolve nowhere (next to the widget and under the drawer field at
 * fault), and the XSS corpus in titles, field names and category values (the filter pickers'
 * sample values, the field datalist, the live preview and the full preview) rendered as text only:
 * no element or `on*` attribute created from data, no script run, axe at 0.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../components/dashboard-editor/define.js';
import type { FinDashboardEditor } from '../../components/dashboard-editor/define.js';
import { createEngine } from '../../src/engine/create.js';
import type { FinEngine } from '../../src/engine/create.js';
import { validRows } from '../fixtures/bad-data.js';
import { XSS_PAYLOADS, asCategory } from '../fixtures/xss.js';
import { sampleEngine, sleep, sr, until } from './helpers.js';
import { markupProblems, Monitor, visibleStrings, walk } from './reliability/helpers.js';

declare global {
  interface Window {
    __pwned: number;
  }
}

async function mountEditor(spec: unknown, engine: FinEngine): Promise<FinDashboardEditor> {
  const el = await fixture<FinDashboardEditor>(
    html`<fin-dashboard-editor style="width: 1300px; display: block" locale="en-US" .engine=${engine} .spec=${spec}></fin-dashboard-editor>`,
  );
  await el.updateComplete;
  return el;
}

const issueAt = (root: ParentNode, scope: string, path: string): Element | null =>
  [...root.querySelectorAll(`${scope} [data-issue]`)].find((e) => e.getAttribute('data-issue') === path) ?? null;

before(async () => {
  await setViewport({ width: 1400, height: 1100 });
});

describe('fin-dashboard-editor: data checks', () => {
  it('shows fields and filters that resolve nowhere next to the widget and under the field at fault', async function () {
    this.timeout(60_000);
    const engine = await sampleEngine(200);
    const spec = {
      version: 2,
      id: 'checks',
      title: 'Checks',
      filters: [
        { type: 'date-range', id: 'date', fields: ['snapshot_date', 'paid_on'] },
        { type: 'multi', id: 'region', field: 'regoin', source: 'loans' },
      ],
      widgets: [
        { id: 'a', type: 'kpi-card', params: { measure: { agg: 'sum', field: 'amount_typo' } }, grid: { x: 0, y: 0, w: 6, h: 3 } },
        { id: 'b', type: 'table', metric: 'collector_performance', grid: { x: 6, y: 0, w: 6, h: 3 }, drill: { levels: [{ field: 'team' }, { field: 'collector_idd' }] } },
        { id: 'd', type: 'table', metric: 'distinct', source: 'ledger', params: { field: 'region' }, grid: { x: 0, y: 3, w: 4, h: 3 } },
        { id: 'ok', type: 'table', metric: 'distinct', source: 'loans', params: { field: 'region' }, grid: { x: 4, y: 3, w: 4, h: 3 } },
      ],
    };
    const el = await mountEditor(spec, engine);
    const root = sr(el);
    await until(() => !!issueAt(root, '[data-wid="a"]', '$.widgets[0].params.measure.field'), 'the unknown field in the widget cell');
    expect(issueAt(root, '[data-wid="a"]', '$.widgets[0].params.measure.field')!.textContent).to.contain('amount_typo');
    expect(issueAt(root, '[data-wid="b"]', '$.widgets[1].drill.levels[1].field')).to.not.equal(null);
    expect(issueAt(root, '[data-wid="d"]', '$.widgets[2].source')!.textContent).to.contain('ledger');
    expect(root.querySelector('[data-wid="ok"] .cell-issues')).to.equal(null);
    expect(root.querySelector('[data-wid="ok"]')!.classList.contains('has-issue')).to.equal(false);
    // every problem is in the panel with its path
    const panel = [...root.querySelectorAll('.issues-panel li code')].map((c) => c.textContent);
    expect(panel).to.deep.equal([
      '$.filters[0].fields[1]',
      '$.filters[1].field',
      '$.widgets[0].params.measure.field',
      '$.widgets[1].drill.levels[1].field',
      '$.widgets[2].source',
    ]);
    // the drawer: under the params field, the drill path and the source
    root.querySelector<HTMLElement>('[data-grab="a"]')!.click();
    await el.updateComplete;
    expect(issueAt(root, '[part="drawer"] [data-param="measure"]', '$.widgets[0].params.measure.field')).to.not.equal(null);
    root.querySelector<HTMLElement>('[data-grab="b"]')!.click();
    await el.updateComplete;
    const drill = root.querySelector('[part="drawer"] #drill')!.parentElement!;
    expect(issueAt(drill, '', '$.widgets[1].drill.levels[1].field')).to.not.equal(null);
    // the filter bar (no widget selected): under the filter's field
    root.querySelector<HTMLElement>('[part="drawer"] .link')!.click();
    await el.updateComplete;
    expect(issueAt(root, '[data-filter="region"]', '$.filters[1].field')!.textContent).to.contain('regoin');
    expect(issueAt(root, '[data-filter="date"]', '$.filters[0].fields[1]')!.textContent).to.contain('paid_on');
    await expect(el).to.be.accessible();
  });

  it('renders the XSS corpus in titles, field names and category values as text only', async function () {
    this.timeout(90_000);
    const b = XSS_PAYLOADS.map((p) => p.text);
    // Field names: a column named with a payload; category values: region and product.
    const column = b[0]!;
    const loans = validRows('loans', 80, 3).map((r, i) => ({ ...r, region: b[i % 12]!, product: b[12 + (i % 12)]!, [column]: i }));
    const engine = createEngine();
    await engine.load('loans', loans);
    const L = (i: number): { 'zh-CN': string; 'en-US': string } => ({ 'zh-CN': b[i % b.length]!, 'en-US': b[(i + 1) % b.length]! });
    const spec = {
      version: 2,
      id: 'xss',
      title: L(30),
      filters: [{ type: 'multi', id: 'region', label: L(31), field: 'region', source: 'loans' }],
      widgets: [
        { id: 'kpi', type: 'kpi-card', title: L(33), source: 'loans', params: { measure: { agg: 'sum', field: b[5]! } }, grid: { x: 0, y: 0, w: 4, h: 3 } },
        { id: 'products', type: 'table', title: L(34), metric: 'distinct', source: 'loans', params: { field: 'product' }, grid: { x: 4, y: 0, w: 4, h: 4 } },
        { id: 'drill', type: 'table', title: L(35), metric: 'distinct', source: 'loans', params: { field: 'region' }, drill: { levels: [{ field: 'region' }, { field: b[7]! }] }, grid: { x: 8, y: 0, w: 4, h: 4 } },
      ],
    };
    window.__pwned = 0;
    const monitor = new Monitor();
    monitor.watch(document.body);
    const el = await mountEditor(spec, engine);
    const root = sr(el);
    monitor.watch(el);
    // The filter bar's sample values (category values in the picker).
    await until(() => root.querySelectorAll('[data-filter="region"] .chip').length > 0, 'the filter sample values');
    const chips = [...root.querySelectorAll('[data-filter="region"] .chip')].map((c) => c.textContent);
    expect(chips.length).to.be.greaterThan(0);
    for (const c of chips) expect(b.map(asCategory)).to.include(c);
    const pickers = visibleStrings(el).join('\u0001');
    // The field datalist offers the payload column as an option value.
    const options = [...root.querySelectorAll('#editor-fields option')].map((o) => o.getAttribute('value'));
    expect(options).to.include(column);
    // A widget's drawer and its live preview (title and category values on the real engine).
    root.querySelector<HTMLElement>('[data-grab="products"]')!.click();
    await el.updateComplete;
    await until(() => !!root.querySelector('[data-preview] fin-table'), 'the live preview');
    await sleep(600);
    monitor.watch(el);
    root.querySelector<HTMLElement>('[data-grab="drill"]')!.click();
    await el.updateComplete;
    await sleep(300);
    monitor.watch(el);
    const design = visibleStrings(el).join('\u0001');
    // Accessible in design mode with the payloads on screen.
    await expect(el).to.be.accessible();
    // The full preview.
    root.querySelector<HTMLButtonElement>('#tab-preview')!.click();
    await el.updateComplete;
    await sleep(1500);
    monitor.watch(el);
    for (const e of walk(el)) if (e instanceof HTMLDetailsElement) e.open = true;
    await sleep(100);
    monitor.flush();
    const strings = [pickers, design, ...visibleStrings(el)].join('\u0001');
    // en-US: the dashboard title, the filter label, the three widget titles; the field names (in
    // their validation messages) and the filter's sample values.
    const expected = [b[31]!, b[32]!, b[34]!, b[35]!, b[36]!, b[5]!, b[7]!, ...chips.map(String)];
    const missing = expected.filter((p) => !strings.includes(p));
    // The editor's own forms and text areas are not data: every other forbidden element is.
    const ownControls = (p: string): boolean => /^(added |attr change: )?<(form|textarea)>$/.test(p);
    for (const e of walk(el)) {
      if (e.localName === 'form') expect(e.classList.contains('settings') && !e.hasAttribute('action'), 'a form of the editor').to.equal(true);
      if (e.localName === 'textarea') expect(/^(json-text|props|param-.+)$/.test(e.id), `textarea #${e.id}`).to.equal(true);
    }
    const problems = [...monitor.problems, ...markupProblems(el)].filter((p) => !ownControls(p));
    monitor.stop();
    expect(window.__pwned, 'script executions').to.equal(0);
    expect(problems.slice(0, 10)).to.deep.equal([]);
    expect(missing.map((m) => JSON.stringify(m))).to.deep.equal([]);
  });
});
