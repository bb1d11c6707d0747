/**
 * PNG export where no chart is drawn (table view, alerts list): the button gives a picture of the
 * data table, never a silent no-op.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/kpi-card/define.js';
import '../../components/fund-flow/define.js';
import type { FinKpiCard } from '../../components/kpi-card/kpi-card.js';
import type { MetricResult } from '../../src/engine/types.js';
import { createEngine } from '../../src/engine/create.js';

/** Capture the next download: the anchor click of `download()` is intercepted. */
function captureDownload(): Promise<{ name: string; blob: Blob }> {
  const orig = HTMLAnchorElement.prototype.click;
  return new Promise((resolve, reject) => {
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      HTMLAnchorElement.prototype.click = orig;
      fetch(this.href)
        .then((r) => r.blob())
        .then((blob) => resolve({ name: this.download, blob }), reject);
    };
  });
}

async function pngSize(blob: Blob): Promise<{ w: number; h: number; sig: string }> {
  const head = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
  const bmp = await createImageBitmap(blob);
  return { w: bmp.width, h: bmp.height, sig: Array.from(head.slice(1, 4), (c) => String.fromCharCode(c)).join('') };
}

const result: MetricResult = {
  data: [{ value: 1234, comparison: 1000, delta: 234, deltaPct: 0.234, target: null, attainment: null }],
  basis: {
    metric: 'kpi',
    title: { 'zh-CN': '放款金额', 'en-US': 'Disbursed' },
    formula: { 'zh-CN': 'Σ 本金', 'en-US': 'Σ principal' },
    options: {},
    filters: [],
    exclusions: [],
  },
  quality: { rows: 1, used: 1, excluded: {}, warnings: [] },
};

describe('PNG export without a chart', () => {
  it('table view exports a picture of the table', async () => {
    const el = await fixture<FinKpiCard>(html`<fin-kpi-card .result=${result} view="table"></fin-kpi-card>`);
    await el.updateComplete;
    const got = captureDownload();
    await el.exportImage('png');
    const { name, blob } = await got;
    expect(name).to.equal('fin-kpi-card.png');
    expect(blob.type).to.equal('image/png');
    const { w, h, sig } = await pngSize(blob);
    expect(sig).to.equal('PNG');
    // two columns of text at 2× scale, header + title + one row
    expect(w).to.be.greaterThan(100);
    expect(h).to.be.greaterThan(3 * 22 * 2 - 1);
  });

  it('fund-flow alerts list exports its rows', async () => {
    const engine = createEngine();
    await engine.loadSample({ customers: 300 });
    const el = await fixture<HTMLElement & { exportImage(k: string): Promise<void>; renderState: string }>(
      html`<fin-fund-flow .engine=${engine} display="alerts"></fin-fund-flow>`,
    );
    for (let i = 0; i < 300 && el.renderState !== 'ok'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(el.renderState).to.equal('ok');
    const got = captureDownload();
    await el.exportImage('png');
    const { blob } = await got;
    const { h } = await pngSize(blob);
    expect(h).to.be.greaterThan(4 * 22 * 2);
  });
});
