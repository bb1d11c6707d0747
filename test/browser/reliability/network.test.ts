/**
 * No network request other than the data URL during a full interaction run (issue 8): a dashboard
 * whose data source is a CSV URL, and standalone elements given `.data = { url }`, driven through
 * hover (tooltips), mark clicks (selection / crossfilter), the basis panel, the table view, CSV and
 * SVG export and a CSV download. Watched through Resource Timing (PerformanceObserver) and wrappers
 * on fetch, XMLHttpRequest, sendBeacon, WebSocket, EventSource and Image. Code is loaded before the
 * watch starts (a page that bundles Finboard loads no code at interaction time either).
 */
import { expect } from '@open-wc/testing';
import type { AnyDashboardSpec as DashboardSpec } from '../../../src/dashboard/spec.js';
import { clickButton, figure, harvest, mount, pokeMarks, settle, sleep, walk } from './helpers.js';
import type { AnyFin } from './helpers.js';

const DATA_URL = new URL('./data/transactions.csv', import.meta.url).href;

interface Watch {
  requests: string[];
  stop(): void;
}

function watchNetwork(): Watch {
  const requests: string[] = [];
  const po = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      requests.push(`resource ${(e as PerformanceResourceTiming).initiatorType} ${e.name}`);
  });
  po.observe({ type: 'resource', buffered: false });
  const origFetch = window.fetch;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const u = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requests.push(`fetch ${new URL(u, location.href).href}`);
    return origFetch.call(window, input, init);
  };
  const origOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (
    this: XMLHttpRequest,
    method: string,
    url: string | URL,
    ...rest: unknown[]
  ) {
    requests.push(`xhr ${new URL(String(url), location.href).href}`);
    return (origOpen as (...a: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof XMLHttpRequest.prototype.open;
  const origBeacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => {
    requests.push(`beacon ${String(url)}`);
    return origBeacon(url, data);
  };
  const OrigWS = window.WebSocket;
  const OrigES = window.EventSource;
  window.WebSocket = function (url: string | URL) {
    requests.push(`websocket ${String(url)}`);
    throw new Error('blocked in test');
  } as unknown as typeof WebSocket;
  window.EventSource = function (url: string | URL) {
    requests.push(`eventsource ${String(url)}`);
    throw new Error('blocked in test');
  } as unknown as typeof EventSource;
  return {
    requests,
    stop() {
      po.takeRecords().forEach((e) =>
        requests.push(`resource ${(e as PerformanceResourceTiming).initiatorType} ${e.name}`),
      );
      po.disconnect();
      window.fetch = origFetch;
      XMLHttpRequest.prototype.open = origOpen;
      navigator.sendBeacon = origBeacon;
      window.WebSocket = OrigWS;
      window.EventSource = OrigES;
    },
  };
}

const SPEC: DashboardSpec = {
  version: 1,
  id: 'net',
  title: { 'zh-CN': '资金流向', 'en-US': 'Fund flow' },
  sources: [{ name: 'transactions', url: DATA_URL }],
  filters: [
    {
      type: 'multi',
      id: 'category',
      label: { 'zh-CN': '类别', 'en-US': 'Category' },
      field: 'category',
      source: 'transactions',
    },
  ],
  widgets: [
    {
      id: 'kpi',
      type: 'kpi-card',
      source: 'transactions',
      params: { measure: { agg: 'sum', field: 'amount' } },
    },
    { id: 'flow', type: 'fund-flow' },
    { id: 'rfm', type: 'rfm' },
    { id: 'heat', type: 'heatmap', props: { preset: 'txn-weekday-hour' } },
    { id: 'cohort', type: 'cohort' },
  ],
};

describe('network: only the data URL', () => {
  before(async () => {
    // Load every chunk first: Vega, the interpreter, the engine.
    await Promise.all([
      import('vega'),
      import('vega-lite'),
      import('vega-interpreter'),
      import('d3-sankey'),
      import('../../../src/engine/create.js'),
      // createEngine() loads the in-page engine on first use (lazy-local.ts): preload it too.
      import('../../../src/engine/local.js'),
      import('../../../src/engine/dispatch.js'),
      // a dashboard's first prepare loads the cross-filter cube build (cube-build.ts)
      import('../../../src/engine/cube-build.js'),
    ]);
  });

  it('full interaction run over a dashboard and standalone elements', async function () {
    this.timeout(90_000);
    const w = watchNetwork();
    let selections = 0;
    try {
      const dash = document.createElement('fin-dashboard') as HTMLElement & {
        spec: DashboardSpec;
        isReady: boolean;
      };
      dash.style.display = 'block';
      dash.style.width = '1100px';
      dash.spec = SPEC;
      document.body.append(dash);
      for (let i = 0; i < 500 && !dash.isReady; i++) await sleep(10);
      await sleep(100);
      const widgets = [...walk(dash)].filter((e) =>
        /^fin-(?!dashboard|filter-bar|link)/.test(e.localName),
      ) as AnyFin[];
      for (const el of widgets) {
        await settle(el);
        await pokeMarks(el, 10);
        // a click on the first mark: selection → crossfilter re-queries of the other widgets
        const mark = [...walk(el)].find(
          (e) => e instanceof SVGElement && (e.getAttribute('role') === 'button' || e.localName === 'path'),
        );
        if (mark) {
          const b = mark.getBoundingClientRect();
          mark.dispatchEvent(
            new MouseEvent('click', {
              bubbles: true,
              composed: true,
              clientX: b.left + b.width / 2,
              clientY: b.top + b.height / 2,
            }),
          );
          selections++;
        }
        clickButton(el, /口径|Basis/i);
        el.view = 'table';
        await el.updateComplete;
        el.csv();
        el.view = 'chart';
        await settle(el);
        await el.svg();
      }
      for (const el of widgets) await settle(el);
      // a CSV download (blob: URL anchor) from one widget
      (widgets[0] as unknown as { exportCsv(): void }).exportCsv();
      dash.remove();
      // standalone elements reading the same URL through .data = { url }
      for (const tag of ['fin-rfm', 'fin-fund-flow']) {
        const el = mount(tag, { data: { url: DATA_URL } });
        await harvest(el);
        el.remove();
      }
      await sleep(200);
    } finally {
      w.stop();
    }
    // Lazily imported code of our own (same origin, initiator script) is listed apart from requests.
    const isCode = (r: string): boolean =>
      r.startsWith('resource script ') && r.includes(` ${location.origin}/`);
    const code = w.requests.filter(isCode);
    const other = w.requests.filter((r) => !r.endsWith(` ${DATA_URL}`) && !isCode(r));
    const data = w.requests.length - other.length - code.length;
    figure(
      `network: full interaction run (dashboard 5 widgets, ${selections} selections, 2 standalone), ${data} requests to the data URL, ` +
        `${other.length} other requests${other.length ? ': ' + other.slice(0, 3).join(' | ') : ''}, ${code.length} lazy code chunks`,
    );
    expect(data).to.be.greaterThan(0);
    expect(other).to.deep.equal([]);
    expect(code.slice(0, 5)).to.deep.equal([]);
  });
});
