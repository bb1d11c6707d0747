/**
 * Strict CSP and Trusted Types (issue 8). This file runs three times (web-test-runner.config.mjs):
 *   csp                script-src 'self' 'unsafe-inline' (inline only for the runner); object-src 'none'
 *   csp-style          … + style-src 'self'
 *   csp-trusted-types  … + style-src 'self'; require-trusted-types-for 'script'
 * Every element renders from `.result` (computed by the engine in a Web Worker), and the three
 * ready-made dashboards run with the engine in a worker: 0 securitypolicyviolation events, all render.
 */
import { expect } from '@open-wc/testing';
import '../../../components/index.js';
import '../../../components/dashboard-editor/define.js';
import {
  collectionDashboard,
  fundFlowDashboard,
  retentionDashboard,
} from '../../../src/dashboard/presets.js';
import type { AnyDashboardSpec as DashboardSpec } from '../../../src/dashboard/spec.js';
import { createEngine } from '../../../src/engine/create.js';
import type { FinEngine } from '../../../src/engine/create.js';
import type { MetricResult, QueryRequest } from '../../../src/engine/types.js';
import { ELEMENT_CASES, figure, settle, sleep, walk } from '../reliability/helpers.js';
import type { AnyFin } from '../reliability/helpers.js';

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) =>
  violations.push(
    `${e.violatedDirective} ${e.blockedURI || ''} ${e.sourceFile ? `${e.sourceFile.replace(/.*\//, '')}:${e.lineNumber}` : ''} ${e.sample}`.trim(),
  ),
);

const policy = (
  document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? 'none'
).replace(/'unsafe-inline'; object-src 'none'/, "'unsafe-inline'…");
const tt = (
  globalThis as unknown as {
    trustedTypes?: { createPolicy(n: string, r: object): { createScriptURL(u: string): unknown } };
  }
).trustedTypes;
/** The host's own Trusted Types policy for its worker script URL (what a portal under TT does). */
const hostPolicy = tt?.createPolicy('finboard-host', { createScriptURL: (u: string) => u });
const WORKER_URL = new URL('../../../src/engine/worker-entry.ts', import.meta.url).href;
const newWorker = (): Worker =>
  new Worker((hostPolicy ? hostPolicy.createScriptURL(WORKER_URL) : WORKER_URL) as string, {
    type: 'module',
  });

const REQUESTS: Record<string, QueryRequest> = {
  'fin-kpi-card': {
    metric: 'kpi',
    source: 'loan_months',
    params: {
      measure: { agg: 'sum', field: 'outstanding' },
      stock: true,
      sparkline: { unit: 'month', points: 6 },
    },
  },
  'fin-funnel': { metric: 'funnel', source: 'funnel_events' },
  'fin-heatmap': { metric: 'heatmap', params: { preset: 'txn-weekday-hour' } },
  'fin-cohort': { metric: 'cohort' },
  'fin-rfm': { metric: 'rfm' },
  'fin-overdue-trend': { metric: 'bucket_trend' },
  'fin-fund-flow': { metric: 'sankey' },
  'fin-table': { metric: 'collector_performance' },
  // mining-cluster
  'fin-cluster': { metric: 'cluster', params: { restarts: 1, kMax: 3, includeAssignments: true, limit: 3000 } },
  'fin-profile': { metric: 'profile', source: 'customers', params: { group: { segment: 'important_value' } } },
  // mining: model monitoring
  'fin-model': { metric: 'model_monitor' },
};

describe(`under CSP: ${policy}`, () => {
  let engine: FinEngine;
  before(async function () {
    this.timeout(60_000);
    engine = createEngine({ placement: 'worker', worker: newWorker() });
    await engine.loadSample({ customers: 200 });
  });
  after(() => engine?.dispose());

  it('every element renders from .result (engine in a worker) with 0 violations', async function () {
    this.timeout(60_000);
    const before = violations.length;
    const states: string[] = [];
    for (const c of ELEMENT_CASES) {
      const r = (await engine.query(REQUESTS[c.tag]!)) as MetricResult;
      const el = document.createElement(c.tag) as AnyFin;
      el.style.display = 'block';
      el.style.width = '640px';
      if (c.tag === 'fin-heatmap') el.preset = 'txn-weekday-hour';
      el.result = r;
      document.body.append(el);
      const s = await settle(el);
      // d3 charts (funnel, sankey) may draw a frame later, after a lazy import
      const hasDrawing = (): boolean =>
        (c.vega && !!el.view_) ||
        [...walk(el)].some((e) => e instanceof SVGSVGElement || e.localName === 'table');
      for (let i = 0; i < 100 && !hasDrawing(); i++) await sleep(20);
      const drawn = hasDrawing();
      states.push(`${c.tag}:${s}${drawn ? '' : '(nothing drawn)'}`);
      // table view and exports too
      el.view = 'table';
      await el.updateComplete;
      el.csv();
      el.view = 'chart';
      await settle(el);
      await el.svg();
      el.remove();
    }
    await sleep(50);
    const bad = states.filter((s) => !/:(ok|partial)$/.test(s));
    figure(
      `csp[${policy}]: ${ELEMENT_CASES.length} elements from .result, ${ELEMENT_CASES.length - bad.length} rendered, ${violations.length - before} securitypolicyviolation events${violations.length > before ? ': ' + violations.slice(before, before + 3).join(' | ') : ''}`,
    );
    expect(violations.slice(before)).to.deep.equal([]);
    expect(bad).to.deep.equal([]);
  });

  it('the watermark layer (server session and hostile attribute text) and its exports with 0 violations', async function () {
    this.timeout(60_000);
    const before = violations.length;
    const hostile = '<img src=x onerror=__pwned=1> ${x} {{x}} url(javascript:__pwned=1) =1+1';
    const drawn: string[] = [];
    for (const c of ELEMENT_CASES) {
      const r = (await engine.query(REQUESTS[c.tag]!)) as MetricResult;
      const el = document.createElement(c.tag) as AnyFin;
      el.style.display = 'block';
      el.style.width = '640px';
      if (c.tag === 'fin-heatmap') el.preset = 'txn-weekday-hour';
      // Half from a server session (an engine answering `session`), half from the attribute.
      const fromSession = ELEMENT_CASES.indexOf(c) % 2 === 0;
      if (fromSession) {
        el.engine = {
          placement: 'remote',
          load: async () => ({}) as never,
          query: async () => r,
          datasetsInfo: async () => [],
          unload: async () => {},
          session: async () => ({ principal: { id: 'u1', roles: [] }, watermark: hostile, operations: ['query'], detail: false, unmask: false }),
          dispose: () => {},
        };
      } else {
        el.result = r;
        el.setAttribute('watermark', hostile);
      }
      document.body.append(el);
      await settle(el);
      const text = el.shadowRoot?.querySelector('svg.fin-wm text')?.textContent ?? '';
      if (text === hostile) drawn.push(c.tag);
      el.csv();
      await el.svg();
      await (el as unknown as { png(): Promise<Blob | null> }).png();
      el.remove();
    }
    await sleep(50);
    figure(
      `csp[${policy}]: watermark drawn as text by ${drawn.length}/${ELEMENT_CASES.length} elements (with SVG, PNG, CSV exports), ${violations.length - before} violations${violations.length > before ? ': ' + violations.slice(before, before + 3).join(' | ') : ''}`,
    );
    expect((window as unknown as { __pwned?: unknown }).__pwned).to.equal(undefined);
    expect(drawn.length).to.equal(ELEMENT_CASES.length);
    expect(violations.slice(before)).to.deep.equal([]);
  });

  // The dashboards run once, under the strictest variant (Trusted Types), which includes the others.
  const dashboards = policy.includes('require-trusted-types-for')
    ? [collectionDashboard, retentionDashboard, fundFlowDashboard]
    : [];
  for (const preset of dashboards) {
    it(`dashboard "${preset.id}" with the engine in a worker renders with 0 violations`, async function () {
      this.timeout(90_000);
      const before = violations.length;
      const spec: DashboardSpec = {
        ...preset,
        engine: { placement: 'worker' },
        sample: { ...(preset.sample ?? {}), customers: 300 },
      };
      const dash = document.createElement('fin-dashboard') as HTMLElement & {
        spec: DashboardSpec;
        worker: Worker;
        isReady: boolean;
      };
      dash.style.display = 'block';
      dash.style.width = '1200px';
      dash.worker = newWorker();
      dash.spec = spec;
      document.body.append(dash);
      try {
        for (let i = 0; i < 3000 && !dash.isReady; i++) await sleep(20);
        const widgets = [...walk(dash)].filter((e) =>
          /^fin-(?!dashboard|filter-bar|link)/.test(e.localName),
        ) as AnyFin[];
        const states = await Promise.all(widgets.map((w) => settle(w, 60_000)));
        const bad = states
          .map((s, i) => `${widgets[i]!.localName}:${s}`)
          .filter((s) => !/:(ok|partial|empty)$/.test(s));
        figure(
          `csp[${policy}]: dashboard ${preset.id} (worker) ready=${dash.isReady}, ${widgets.length - bad.length}/${widgets.length} widgets rendered, ${violations.length - before} violations${violations.length > before ? ': ' + violations.slice(before, before + 3).join(' | ') : ''}`,
        );
        expect(dash.isReady).to.equal(true);
        expect(widgets.length).to.equal(preset.widgets.length);
        expect(bad).to.deep.equal([]);
        expect(violations.slice(before)).to.deep.equal([]);
      } finally {
        dash.remove();
      }
    });
  }

  // Only Trusted Types makes a difference here (the Worker constructor is a TT sink).
  const itTT = policy.includes('require-trusted-types-for') ? it : it.skip;
  itTT(
    'a dashboard asked for a worker without being handed one (it builds the Worker itself)',
    async function () {
      this.timeout(60_000);
      const before = violations.length;
      const errors: string[] = [];
      const dash = document.createElement('fin-dashboard') as HTMLElement & {
        spec: DashboardSpec;
        isReady: boolean;
      };
      dash.addEventListener('fin-error', (e) =>
        errors.push(`${(e as CustomEvent).detail.code}: ${(e as CustomEvent).detail.message}`),
      );
      dash.spec = { ...fundFlowDashboard, engine: { placement: 'worker' }, sample: { customers: 200 } };
      let thrown = '';
      const onError = (e: ErrorEvent): void => {
        thrown = e.message;
      };
      window.addEventListener('error', onError);
      document.body.append(dash);
      try {
        for (let i = 0; i < 1500 && !dash.isReady && !errors.length; i++) await sleep(20);
        figure(
          `csp[${policy}]: dashboard building its own Worker → ${dash.isReady ? 'ready' : (errors[0] ?? (thrown || 'not ready'))}, ${violations.length - before} violations${violations.length > before ? ': ' + violations.slice(before, before + 2).join(' | ') : ''}`,
        );
        // It must either work, or say so in its typed error state — never fail silently.
        expect(dash.isReady || errors.length > 0, 'ready or a fin-error').to.equal(true);
        expect(thrown).to.equal('');
      } finally {
        window.removeEventListener('error', onError);
        dash.remove();
      }
    },
  );

  it('the composer: palette, keyboard move, params form, live preview and full preview with 0 violations', async function () {
    this.timeout(90_000);
    const before = violations.length;
    const engine = createEngine({ placement: 'worker', worker: newWorker() });
    await engine.loadSample({ customers: 200 });
    const editor = document.createElement('fin-dashboard-editor');
    editor.style.display = 'block';
    editor.style.width = '1200px';
    editor.engine = engine;
    editor.spec = collectionDashboard;
    document.body.append(editor);
    try {
      await editor.updateComplete;
      const root = editor.shadowRoot!;
      const grab = root.querySelector<HTMLButtonElement>('[data-grab="rates"]')!;
      grab.click();
      grab.focus();
      for (const key of ['Enter', 'ArrowDown', 'Enter']) {
        grab.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
        await editor.updateComplete;
      }
      expect(editor.value!.widgets.find((w) => w.id === 'rates')!.grid.y).to.equal(3);
      for (let i = 0; i < 400 && !root.querySelector('[data-preview] fin-overdue-trend'); i++) await sleep(20);
      root.querySelector<HTMLButtonElement>('#tab-preview')!.click();
      await editor.updateComplete;
      const dash = root.querySelector('fin-dashboard') as HTMLElement & { isReady: boolean };
      for (let i = 0; i < 1500 && !dash?.isReady; i++) await sleep(20);
      await sleep(300);
      figure(`csp[${policy}]: composer ready=${dash?.isReady}, ${violations.length - before} violations${violations.length > before ? ': ' + violations.slice(before, before + 2).join(' | ') : ''}`);
      expect(dash?.isReady, 'preview dashboard ready').to.equal(true);
      expect(violations.slice(before)).to.deep.equal([]);
    } finally {
      editor.remove();
      engine.dispose();
    }
  });
});
