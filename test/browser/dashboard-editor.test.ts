/**
 * `<fin-dashboard-editor>` in Chromium: composing a two-widget dashboard by mouse and by keyboard
 * only (same exported JSON as the fixture), undo/redo, native undo in text fields, round-trips,
 * refusing a newer spec, the XSS corpus in titles, and axe in every mode.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import '../../components/dashboard-editor/define.js';
import type { FinDashboardEditor, FinSpecChangeEvent } from '../../components/dashboard-editor/define.js';
import { collectionDashboard } from '../../src/dashboard/presets.js';
import type { DashboardSpec } from '../../src/dashboard/spec.js';
import type { FinEngine } from '../../src/engine/create.js';
import { XSS_PAYLOADS } from '../fixtures/xss.js';
import { frame, sampleEngine, sleep, sr, until } from './helpers.js';

const EMPTY: DashboardSpec = { version: 2, id: 'new', title: { 'zh-CN': '新看板', 'en-US': 'New dashboard' }, widgets: [] };

/** What both compositions must export. */
const EXPECTED = {
  version: 2,
  id: 'new',
  title: { 'zh-CN': '新看板', 'en-US': 'New dashboard' },
  widgets: [
    { id: 'kpi-card', type: 'kpi-card', params: { measure: { agg: 'count' } }, grid: { x: 0, y: 0, w: 3, h: 2 } },
    { id: 'overdue-trend', type: 'overdue-trend', grid: { x: 3, y: 2, w: 7, h: 4 } },
  ],
};

let engine: FinEngine;
before(async function () {
  this.timeout(60_000);
  engine = await sampleEngine(200);
  // Room for the editor at its design width, so every pointer target is inside the viewport.
  await setViewport({ width: 1400, height: 1100 });
});

async function mountEditor(spec: unknown, opts: { locale?: string; theme?: string } = {}): Promise<FinDashboardEditor> {
  const el = await fixture<FinDashboardEditor>(
    html`<fin-dashboard-editor style="width: 1300px; display: block" locale=${opts.locale ?? 'en-US'} theme=${opts.theme ?? 'light'}
      .engine=${engine} .spec=${spec}></fin-dashboard-editor>`,
  );
  await el.updateComplete;
  return el;
}

const q = <T extends Element = HTMLElement>(el: Element, sel: string): T => {
  const hit = sr(el).querySelector<T>(sel);
  if (!hit) throw new Error(`no ${sel}`);
  return hit;
};

function centre(e: Element): [number, number] {
  const r = e.getBoundingClientRect();
  return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
}

/** Viewport point of the middle of a canvas cell. */
function cellPoint(el: FinDashboardEditor, x: number, y: number): [number, number] {
  const c = q(el, '[part="canvas"]').getBoundingClientRect();
  const colW = c.width / 12;
  return [Math.round(c.left + colW * x + colW / 2), Math.round(c.top + 52 * y + 22)];
}

async function undoKey(): Promise<void> {
  await sendKeys({ down: 'Control' });
  await sendKeys({ press: 'z' });
  await sendKeys({ up: 'Control' });
}

async function drag(from: [number, number], to: [number, number]): Promise<void> {
  await sendMouse({ type: 'move', position: from });
  await sendMouse({ type: 'down' });
  const steps = 4;
  for (let i = 1; i <= steps; i++) {
    await sendMouse({ type: 'move', position: [Math.round(from[0] + ((to[0] - from[0]) * i) / steps), Math.round(from[1] + ((to[1] - from[1]) * i) / steps)] });
    await frame();
  }
  await sendMouse({ type: 'up' });
  await frame();
}

describe('fin-dashboard-editor', () => {
  it('composes a two-widget dashboard by keyboard only, announcing each step', async () => {
    const el = await mountEditor(EMPTY);
    const changes: string[] = [];
    el.addEventListener('fin-spec-change', (e) => changes.push((e as FinSpecChangeEvent).detail.label));
    q(el, '[data-key="type:kpi-card"] button').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    q(el, '[data-key="type:overdue-trend"] button').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    // The added widget's move handle has focus.
    expect(sr(el).activeElement?.getAttribute('data-grab')).to.equal('overdue-trend');
    await sendKeys({ press: 'Enter' }); // pick up
    await el.updateComplete;
    expect(q(el, '[role="status"]').textContent).to.match(/Picked up/);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ up: 'Shift' });
    await el.updateComplete;
    // Nothing is committed while the widget is held.
    expect(el.value!.widgets[1]!.grid).to.deep.equal({ x: 3, y: 0, w: 6, h: 4 });
    await sendKeys({ press: 'Enter' }); // drop
    await el.updateComplete;
    await until(() => /Dropped/.test(q(el, '[role="status"]').textContent ?? ''), 'the drop announcement');
    expect(JSON.parse(el.exportJson())).to.deep.equal(EXPECTED);
    expect(changes).to.have.length(3);
  });

  it('Escape cancels a keyboard move without an undo step', async () => {
    const el = await mountEditor(EXPECTED);
    q(el, '[data-grab="kpi-card"]').focus();
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.value).to.deep.equal(EXPECTED);
    expect(el.canUndo).to.equal(false);
    expect(q(el, '[role="status"]').textContent).to.match(/Cancelled/);
  });

  it('composes the same dashboard by mouse: drop from the palette, drag to move, drag the corner to resize', async () => {
    const el = await mountEditor(EMPTY);
    await drag(centre(q(el, '[data-key="type:kpi-card"] .thumb')), cellPoint(el, 1, 0));
    await el.updateComplete;
    expect(el.value!.widgets.map((w) => w.id)).to.deep.equal(['kpi-card']);
    await drag(centre(q(el, '[data-key="type:overdue-trend"] .thumb')), cellPoint(el, 6, 0));
    await el.updateComplete;
    expect(el.value!.widgets[1]!.grid).to.deep.equal({ x: 3, y: 0, w: 6, h: 4 });
    // Move: grab the title bar (row 0 of the widget) and drop it two rows lower.
    const grab = q(el, '[data-grab="overdue-trend"]');
    const [gx, gy] = centre(grab);
    await drag([gx, gy], [gx, gy + 2 * 52]);
    await el.updateComplete;
    expect(el.value!.widgets[1]!.grid).to.deep.equal({ x: 3, y: 2, w: 6, h: 4 });
    // Resize: the corner handle one column to the right.
    const [rx, ry] = centre(q(el, '[data-wid="overdue-trend"] .resize'));
    expect(sr(el).elementFromPoint(rx, ry)?.className).to.equal('resize');
    const colW = q(el, '[part="canvas"]').getBoundingClientRect().width / 12;
    await drag([rx, ry], [Math.round(rx + colW), ry]);
    await el.updateComplete;
    expect(JSON.parse(el.exportJson())).to.deep.equal(EXPECTED);
  });

  it('undo and redo walk every step; Ctrl+Z in a text field is the field’s own', async () => {
    const el = await mountEditor(EMPTY);
    const add = async (key: string): Promise<void> => {
      q(el, `[data-key="${key}"] button`).click();
      await el.updateComplete;
    };
    await add('type:kpi-card');
    await add('type:table');
    await add('type:funnel');
    expect(el.value!.widgets).to.have.length(3);
    q(el, '[data-grab="kpi-card"]').focus();
    await undoKey();
    await undoKey();
    await el.updateComplete;
    expect(el.value!.widgets.map((w) => w.id)).to.deep.equal(['kpi-card']);
    await sendKeys({ down: 'Control' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'z' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ up: 'Control' });
    await el.updateComplete;
    expect(el.value!.widgets.map((w) => w.id)).to.deep.equal(['kpi-card', 'table']);
    // In the title field, Ctrl+Z belongs to the field: the layout stays.
    q(el, '[data-grab="kpi-card"]').click();
    await el.updateComplete;
    const title = q<HTMLInputElement>(el, '#title-en');
    title.focus();
    await sendKeys({ type: 'Cards' });
    await undoKey();
    await el.updateComplete;
    expect(el.value!.widgets.map((w) => w.id)).to.deep.equal(['kpi-card', 'table']);
    // Committing the field is one undo step; undo takes the title back out (no empty title left).
    title.value = 'Cards';
    title.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.value!.widgets[0]!.title).to.deep.equal({ 'en-US': 'Cards' });
    el.undo();
    await el.updateComplete;
    expect('title' in el.value!.widgets[0]!).to.equal(false);
  });

  it('keeps at most 100 undo steps', async () => {
    const el = await mountEditor(EXPECTED);
    for (let i = 0; i < 120; i++) {
      (el as unknown as { place(r: object): void; select(id: string): void }).select('kpi-card');
      (el as unknown as { place(r: object): void }).place({ y: 10 + (i % 2) });
    }
    let n = 0;
    while (el.canUndo) {
      el.undo();
      n++;
    }
    expect(n).to.equal(100);
  });

  it('round-trips: opening and exporting changes nothing (v2), migrates v1, keeps unknown keys, fires no change on open', async () => {
    const withExtra = { ...structuredClone(collectionDashboard), 'x-host': { owner: 'team' } };
    let fired = 0;
    const el = await mountEditor(withExtra);
    el.addEventListener('fin-spec-change', () => fired++);
    expect(JSON.parse(el.exportJson())).to.deep.equal(withExtra);
    const v1 = { version: 1, id: 'old', title: 'Old', widgets: [{ id: 'a', type: 'table', metric: 'kpi', size: { w: 6 }, 'x-keep': 1 }] };
    el.spec = v1 as never;
    await el.updateComplete;
    expect(el.value).to.deep.equal({ version: 2, id: 'old', title: 'Old', widgets: [{ id: 'a', type: 'table', metric: 'kpi', 'x-keep': 1, grid: { x: 0, y: 0, w: 6, h: 3 } }] });
    expect(fired).to.equal(0);
  });

  it('refuses a spec newer than the library with a clear error', async () => {
    const errors: string[] = [];
    const el = document.createElement('fin-dashboard-editor');
    el.addEventListener('fin-error', (e) => errors.push((e as CustomEvent<{ message: string }>).detail.message));
    el.spec = { version: 7, id: 'x', title: 'x', widgets: [] } as never;
    document.body.append(el);
    await el.updateComplete;
    expect(errors[0]).to.match(/version 7, newer than this library/);
    expect(sr(el).querySelector('.refused')?.textContent).to.match(/version 7/);
    el.remove();
  });

  it('applies raw JSON with validation paths, and the settings form edits params without defaults', async () => {
    const el = await mountEditor(EXPECTED);
    q<HTMLButtonElement>(el, '#tab-json').click();
    await el.updateComplete;
    const ta = q<HTMLTextAreaElement>(el, '#json-text');
    const bad = structuredClone(EXPECTED);
    bad.widgets[1]!.grid = { x: 0, y: 0, w: 4, h: 2 };
    ta.value = JSON.stringify(bad);
    ta.dispatchEvent(new Event('input'));
    await el.updateComplete;
    q<HTMLButtonElement>(el, '.json .primary').click();
    await el.updateComplete;
    expect(sr(el).querySelector('.json .issues')?.textContent).to.contain('$.widgets[1].grid: Overlaps widget "kpi-card"');
    expect(el.value).to.deep.equal(EXPECTED);
    q<HTMLButtonElement>(el, '#tab-design').click();
    await el.updateComplete;
    q(el, '[data-grab="overdue-trend"]').click();
    await el.updateComplete;
    // Params form of bucket_trend (the element's default metric): the default shows as placeholder only.
    const measure = q<HTMLSelectElement>(el, '[data-param="measure"] select');
    expect(measure.options[0]!.textContent).to.match(/Default: amount/);
    expect(el.value!.widgets[1]).to.not.have.property('params');
    measure.value = 'count';
    measure.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.value!.widgets[1]!.params).to.deep.equal({ measure: 'count' });
    // Live preview of the widget on the real engine.
    await until(() => !!sr(el).querySelector('[data-preview] fin-overdue-trend'), 'the live preview element');
  });

  it('shows the XSS corpus in titles and category values as text only', async () => {
    (window as unknown as { __pwned?: number }).__pwned = 0;
    const spec = {
      ...structuredClone(EXPECTED),
      title: XSS_PAYLOADS[0]!.text,
      widgets: XSS_PAYLOADS.slice(0, 12).map((p, i) => ({ id: `w${i}`, type: 'table', title: { 'zh-CN': p.text, 'en-US': p.text }, grid: { x: 0, y: i * 2, w: 4, h: 2 } })),
    };
    const el = await mountEditor(spec);
    await sleep(50);
    const root = sr(el);
    expect(root.querySelector('img, script, iframe, object, video, audio, details[ontoggle]')).to.equal(null);
    expect(root.querySelector('[data-wid="w0"] .wt')?.textContent).to.equal(XSS_PAYLOADS[0]!.text);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(0);
  });

  for (const mode of ['design', 'preview', 'json'] as const) {
    it(`is accessible (axe) in ${mode} mode, dark theme and zh-CN`, async function () {
      this.timeout(60_000);
      const el = await mountEditor(mode === 'preview' ? { ...EXPECTED } : EXPECTED, { locale: mode === 'json' ? 'zh-CN' : 'en-US', theme: mode === 'design' ? 'dark' : 'light' });
      q<HTMLButtonElement>(el, `#tab-${mode}`).click();
      await el.updateComplete;
      if (mode === 'design') {
        q(el, '[data-grab="kpi-card"]').click();
        await el.updateComplete;
      }
      await sleep(100);
      await expect(el).to.be.accessible();
    });
  }
});
