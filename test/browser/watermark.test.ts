/**
 * Watermark (全局水印, issue 14 §3): the text a server session gives the caller is drawn over every
 * element's view (shadow DOM, aria-hidden, pointer-events none, out of host CSS's reach) and into its
 * SVG, PNG and CSV exports; hostile text stays text; a null watermark draws and exports nothing.
 * The "server" is a RemoteEngine whose fetch is answered in the page by the protocol dispatcher on a
 * local engine, with the session op answering a chosen watermark (what finboard/server's policy does).
 */
import { expect } from '@open-wc/testing';
import '../../components/index.js';
import { watermarkShown } from '../../components/base/watermark.js';
import { collectionDashboard } from '../../src/dashboard/presets.js';
import { createEngine } from '../../src/engine/create.js';
import { dispatch } from '../../src/engine/dispatch.js';
import { LocalEngine } from '../../src/engine/local.js';
import type { BatchEnvelope, CallEnvelope } from '../../src/engine/protocol.js';
import { csvCell } from '../../src/format/csv.js';
import { XSS_PAYLOADS } from '../fixtures/xss.js';
import { ELEMENT_CASES, settle, walk } from './reliability/helpers.js';
import type { AnyFin } from './reliability/helpers.js';

const WM = '张三 zhang.san 2026-12-05 14:03';
const SERVER = 'https://finboard.invalid/watermark-test';

/** What the fake server's session op answers (the policy's watermark for the caller). */
let sessionWatermark: string | null = WM;
let sessionCalls = 0;
/** Batches the fake server answered (a dashboard's widgets ask together). */
let batches = 0;
const local = new LocalEngine();
const realFetch = window.fetch.bind(window);

window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  if (String(input) !== SERVER) return realFetch(input, init);
  const env = JSON.parse(String(init?.body)) as CallEnvelope & Partial<BatchEnvelope>;
  const json = (v: unknown): Response => new Response(JSON.stringify(v), { headers: { 'content-type': 'application/json' } });
  if (env.calls) {
    // A batch (the widgets' queries of one task): one NDJSON line per call, as the handler streams them.
    const lines = await Promise.all(
      env.calls.map(async (call, i) => {
        try {
          return JSON.stringify({ i, ok: true, value: await dispatch(local, call) });
        } catch (e) {
          const err = e as { code?: string; message?: string };
          return JSON.stringify({ i, ok: false, error: { code: err.code ?? 'bad_input', message: err.message ?? String(e) } });
        }
      }),
    );
    batches++;
    return new Response(lines.map((l) => `${l}\n`).join(''), { headers: { 'content-type': 'application/x-ndjson' } });
  }
  try {
    if (env.call.op === 'session') {
      sessionCalls++;
      return json({
        id: env.id,
        ok: true,
        value: { principal: { id: 'zhang.san', name: '张三', roles: ['collector'] }, watermark: sessionWatermark, operations: ['query', 'distinct', 'datasets'], detail: false, unmask: false },
      });
    }
    return json({ id: env.id, ok: true, value: await dispatch(local, env.call) });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return json({ id: env.id, ok: false, error: { code: err.code ?? 'bad_input', message: err.message ?? String(e) } });
  }
};

const remote = (): ReturnType<typeof createEngine> => createEngine({ placement: 'remote', url: SERVER });

function mountWith(tag: string, props: Record<string, unknown>): AnyFin {
  const el = document.createElement(tag) as AnyFin;
  el.style.display = 'block';
  el.style.width = '560px';
  for (const [k, v] of Object.entries(props)) (el as unknown as Record<string, unknown>)[k] = v;
  document.body.append(el);
  return el;
}

function layerOf(root: ShadowRoot | null): SVGSVGElement | null {
  return root?.querySelector<SVGSVGElement>('svg.fin-wm') ?? null;
}

/** The texts of a layer; and that it holds nothing but its own SVG structure (no element from the text). */
function layerTexts(layer: Element): string[] {
  const tags = [...layer.querySelectorAll('*')].map((e) => e.localName).sort();
  expect(tags).to.deep.equal(['defs', 'pattern', 'rect', 'text', 'text', 'text']);
  return [...layer.querySelectorAll('text')].map((t) => t.textContent ?? '');
}

/** The watermark `<g>` of an SVG export, parsed (the export must be well-formed XML). */
function exportedLayer(svgText: string): Element | null {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  expect(doc.querySelector('parsererror'), 'SVG export parses').to.equal(null);
  const layers = doc.querySelectorAll('[data-fin-watermark]');
  expect(layers.length).to.be.at.most(1);
  if (!layers[0]) return null;
  // The layer is the last thing drawn (over the chart).
  expect(layers[0].parentElement?.lastElementChild, 'layer drawn last').to.equal(layers[0]);
  return layers[0];
}

/** The CSV's first line (after the BOM). */
const firstCsvLine = (csv: string): string => csv.replace(/^\uFEFF/, '').split('\r\n')[0]!;

async function pixels(blob: Blob): Promise<Uint8ClampedArray & { w: number; h: number }> {
  const bmp = await createImageBitmap(blob);
  const c = document.createElement('canvas');
  c.width = bmp.width;
  c.height = bmp.height;
  const g = c.getContext('2d')!;
  g.drawImage(bmp, 0, 0);
  return Object.assign(g.getImageData(0, 0, c.width, c.height).data, { w: c.width, h: c.height });
}

/** Share of pixels that differ between two PNGs of the same size. */
async function differing(a: Blob, b: Blob): Promise<number> {
  const [pa, pb] = await Promise.all([pixels(a), pixels(b)]);
  expect([pa.w, pa.h]).to.deep.equal([pb.w, pb.h]);
  let n = 0;
  for (let i = 0; i < pa.length; i += 4) {
    if (Math.abs(pa[i]! - pb[i]!) + Math.abs(pa[i + 1]! - pb[i + 1]!) + Math.abs(pa[i + 2]! - pb[i + 2]!) > 6) n++;
  }
  return n / (pa.length / 4);
}

/** A PNG of the element with no watermark drawn in (the same picture otherwise). */
async function pngWithout(el: AnyFin): Promise<Blob> {
  const own = el as unknown as { exportWatermark: () => unknown; png: () => Promise<Blob> };
  own.exportWatermark = () => null;
  try {
    return await own.png();
  } finally {
    delete (own as { exportWatermark?: unknown }).exportWatermark;
  }
}

describe('watermark (全局水印)', function () {
  this.timeout(240000);

  before(async () => {
    await dispatch(local, { op: 'loadSample', opts: { customers: 160 } });
  });

  afterEach(() => {
    sessionWatermark = WM;
    document.querySelectorAll('body > *').forEach((e) => e.remove());
  });

  for (const c of ELEMENT_CASES) {
    it(`${c.tag}: the remote session's watermark is drawn over the view and into SVG, PNG and CSV exports`, async () => {
      const el = mountWith(c.tag, { engine: remote(), source: c.dataset, ...(c.props ?? {}) });
      const state = await settle(el);
      expect(['ok', 'partial'], `${c.tag} rendered`).to.include(state);
      expect(el.watermarkText).to.equal(WM);

      const layer = layerOf(el.shadowRoot);
      expect(layer, 'layer in the shadow DOM').to.not.equal(null);
      expect(layerTexts(layer!).every((t) => t === WM)).to.equal(true);
      expect(layer!.getAttribute('aria-hidden')).to.equal('true');
      expect(layer!.hasAttribute('part')).to.equal(false);
      const cs = getComputedStyle(layer!);
      expect(cs.pointerEvents).to.equal('none');
      expect(cs.position).to.equal('absolute');
      // Over the view: it covers the card.
      const card = el.shadowRoot!.querySelector('[part=base]')!.getBoundingClientRect();
      const box = layer!.getBoundingClientRect();
      expect([box.left, box.top, box.width, box.height]).to.deep.equal([card.left, card.top, card.width, card.height]);

      const csv = el.csv();
      expect(firstCsvLine(csv)).to.equal(csvCell(`# 水印: ${WM}`));

      const svg = await el.svg();
      if (svg !== null) {
        const g = exportedLayer(svg);
        expect(g, 'SVG export carries the watermark').to.not.equal(null);
        const texts = [...g!.querySelectorAll('text')].map((t) => t.textContent);
        expect(texts.length).to.be.greaterThan(1);
        expect(texts.every((t) => t === WM)).to.equal(true);
      }

      const png = await (el as unknown as { png(): Promise<Blob | null> }).png();
      expect(png, 'PNG export').to.not.equal(null);
      const share = await differing(png!, await pngWithout(el));
      // Tiled text over the whole picture: a visible share of pixels, but a light layer.
      expect(share, `${c.tag} PNG pixels changed by the watermark`).to.be.greaterThan(0.004);
      expect(share).to.be.lessThan(0.5);
    });
  }

  it('asks the server once per engine, and shows no answer before the watermark is known', async () => {
    const engine = remote();
    sessionCalls = 0;
    const a = mountWith('fin-kpi-card', { engine, source: 'loan_months', ...ELEMENT_CASES[0]!.props });
    const b = mountWith('fin-funnel', { engine, source: 'funnel_events' });
    let seenWithout = 0;
    for (const el of [a, b]) {
      el.addEventListener('fin-render', () => {
        if (!layerOf(el.shadowRoot)) seenWithout++;
      });
    }
    await Promise.all([settle(a), settle(b)]);
    expect(sessionCalls).to.equal(1);
    expect(seenWithout).to.equal(0);
  });

  it('draws and exports nothing when the policy turns it off (null)', async () => {
    sessionWatermark = null;
    for (const c of [ELEMENT_CASES[0]!, ELEMENT_CASES.find((x) => x.tag === 'fin-overdue-trend')!]) {
      const el = mountWith(c.tag, { engine: remote(), source: c.dataset, ...(c.props ?? {}) });
      expect(['ok', 'partial']).to.include(await settle(el));
      expect(el.watermarkText).to.equal(null);
      expect(layerOf(el.shadowRoot)).to.equal(null);
      expect(firstCsvLine(el.csv()).startsWith(csvCell('# 水印').slice(0, 3))).to.equal(false);
      const svg = await el.svg();
      if (svg !== null) expect(exportedLayer(svg)).to.equal(null);
      el.remove();
    }
  });

  it('a server watermark cannot be turned off by the host; the attribute applies without one', async () => {
    const el = mountWith('fin-kpi-card', { engine: remote(), source: 'loan_months', watermark: '', ...ELEMENT_CASES[0]!.props });
    await settle(el);
    expect(el.watermarkText).to.equal(WM);
    el.setAttribute('watermark', 'host text');
    await el.updateComplete;
    expect(el.watermarkText).to.equal(WM);
    expect(layerTexts(layerOf(el.shadowRoot)!)[0]).to.equal(WM);

    sessionWatermark = null;
    const plain = mountWith('fin-kpi-card', { engine: remote(), source: 'loan_months', ...ELEMENT_CASES[0]!.props });
    plain.setAttribute('watermark', '内部资料 仅限查看');
    await settle(plain);
    expect(layerTexts(layerOf(plain.shadowRoot)!)[0]).to.equal('内部资料 仅限查看');
    plain.removeAttribute('watermark');
    await plain.updateComplete;
    expect(layerOf(plain.shadowRoot)).to.equal(null);
  });

  it('host CSS set for other reasons does not hide it (opacity only within its floor)', async () => {
    const style = document.createElement('style');
    style.textContent = `
      fin-overdue-trend { color: transparent; fill: transparent; visibility: visible; font-size: 0; --fin-watermark-opacity: 0; --fin-color-fg: transparent; }
      fin-overdue-trend::part(chart) { position: relative; z-index: 2147483647; }
      fin-overdue-trend::part(base) { position: static; }
    `;
    document.head.append(style);
    try {
      const c = ELEMENT_CASES.find((x) => x.tag === 'fin-overdue-trend')!;
      const el = mountWith(c.tag, { engine: remote(), ...(c.props ?? {}) });
      await settle(el);
      const layer = layerOf(el.shadowRoot)!;
      const cs = getComputedStyle(layer);
      expect(Number(cs.opacity)).to.equal(0.08);
      const text = getComputedStyle(layer.querySelector('text')!);
      expect(text.fill).to.equal('rgb(75, 85, 99)');
      expect(text.fontSize).to.equal('14px');
      // Still over the card (the frame it is positioned in is not a part).
      const card = el.shadowRoot!.querySelector('[part=base]')!.getBoundingClientRect();
      const box = layer.getBoundingClientRect();
      expect([box.width, box.height]).to.deep.equal([card.width, card.height]);
      // The layer is painted above the chart: a hit test without pointer-events none would find it.
      layer.style.pointerEvents = 'auto';
      const hit = el.shadowRoot!.elementFromPoint(card.left + card.width / 2, card.top + card.height / 2);
      expect(hit?.closest('svg.fin-wm')).to.equal(layer);
      layer.style.pointerEvents = '';
      el.style.setProperty('--fin-watermark-opacity', '0.3');
      expect(Number(getComputedStyle(layer).opacity)).to.be.closeTo(0.3, 1e-6);
    } finally {
      style.remove();
    }
  });

  it('hostile text (the XSS corpus) is drawn and exported as text', async () => {
    const w = window as unknown as { __pwned?: unknown };
    delete w.__pwned;
    const el = mountWith('fin-overdue-trend', { engine: createEngine({ placement: 'remote', url: SERVER }) });
    sessionWatermark = null;
    await settle(el);
    const before = [...walk(el.shadowRoot!)].length;
    const sinks = (): number => document.querySelectorAll('img, script, iframe, object, embed').length;
    const sinksBefore = sinks();
    for (const p of XSS_PAYLOADS) {
      el.watermark = p.text;
      await el.updateComplete;
      const shown = watermarkShown(p.text);
      if (!shown) {
        expect(layerOf(el.shadowRoot), p.id).to.equal(null);
        continue;
      }
      const layer = layerOf(el.shadowRoot)!;
      expect(layerTexts(layer).every((t) => t === shown), p.id).to.equal(true);
      expect([...walk(el.shadowRoot!)].length, p.id).to.equal(before + 7);
      const svg = (await el.svg())!;
      const g = exportedLayer(svg)!;
      expect([...g.querySelectorAll('*')].every((e) => e.localName === 'text'), p.id).to.equal(true);
      expect(g.querySelector('text')!.textContent, p.id).to.equal(shown);
      const line = firstCsvLine(el.csv());
      expect(line, p.id).to.equal(csvCell(`# 水印: ${p.text.replace(/[\r\n]+/g, ' ')}`));
      expect(/^[=+\-@\t\r]/.test(line), p.id).to.equal(false);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(w.__pwned, 'no payload ran').to.equal(undefined);
    expect(sinks()).to.equal(sinksBefore);
  });

  it('<fin-dashboard> draws it once over the whole dashboard, and every widget exports it', async () => {
    const dash = document.createElement('fin-dashboard') as HTMLElement & {
      spec: unknown;
      engine: unknown;
      isReady: boolean;
      watermarkText: string | null;
    };
    dash.style.display = 'block';
    dash.style.width = '1200px';
    const spec = structuredClone(collectionDashboard) as { sample?: unknown };
    delete spec.sample;
    dash.engine = remote();
    dash.spec = spec;
    document.body.append(dash);
    const t0 = performance.now();
    while (!dash.isReady && performance.now() - t0 < 60000) await new Promise((r) => setTimeout(r, 50));
    expect(dash.isReady).to.equal(true);
    expect(dash.watermarkText).to.equal(WM);
    expect(batches, 'the widgets asked in batches').to.be.greaterThan(0);
    await (dash as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const layer = layerOf(dash.shadowRoot)!;
    expect(layerTexts(layer).every((t) => t === WM)).to.equal(true);
    const box = layer.getBoundingClientRect();
    const base = dash.shadowRoot!.querySelector('[part=base]')!.getBoundingClientRect();
    expect([box.width, box.height]).to.deep.equal([base.width, base.height]);
    const widgets = [...walk(dash.shadowRoot!)].filter((e) => e.localName.startsWith('fin-') && 'csv' in e) as AnyFin[];
    expect(widgets.length).to.be.greaterThan(2);
    for (const w of widgets) {
      await settle(w);
      expect(w.watermarkText, w.localName).to.equal(WM);
      // Not drawn twice: the dashboard's layer covers the widget.
      expect(layerOf(w.shadowRoot), w.localName).to.equal(null);
      if (w.currentResult) expect(firstCsvLine(w.csv()), w.localName).to.equal(csvCell(`# 水印: ${WM}`));
    }
    await expect(dash).to.be.accessible();
  });

  it('passes axe with the layer, light and dark', async () => {
    const el = mountWith('fin-overdue-trend', { engine: remote() });
    await settle(el);
    await expect(el).to.be.accessible();
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    expect(getComputedStyle(layerOf(el.shadowRoot)!.querySelector('text')!).fill).to.equal('rgb(209, 213, 219)');
    await expect(el).to.be.accessible();
  });
});
