/**
 * `render` in Chromium: per element, the time from handing it a new result (`.result`, the
 * presentational path) to the next painted frame. The element module is loaded from its own bundle
 * (`el-<name>.js`, built from components/<name>/define.ts); two results of the same metric (all
 * data, and one region) alternate so every update redraws. Vega elements count as done when their
 * new View is mounted (`view_` replaced), d3 and Lit elements when their update has completed.
 */
import { generateSample } from '../../src/data/sample.js';
import { LocalEngine } from '../../src/engine/local.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import type { Figure } from '../lib/stats.js';
import { median, skipFigure, valueFigure } from '../lib/stats.js';

declare global {
  interface Window {
    benchResult?: Promise<Figure[]>;
  }
}

const params = new URLSearchParams(location.search);
const NAME = params.get('el') ?? 'kpi-card';
const REPS = Math.max(7, Number(params.get('reps') ?? 9));

interface Case {
  tag: string;
  /** Display variant, for elements measured in several displays. */
  name?: string;
  req: QueryRequest;
  props?: Record<string, unknown>;
  goal?: string;
}

/** What each element draws in the benchmark (one representative display each). */
const CASES: Record<string, Case[]> = {
  'kpi-card': [
    {
      tag: 'fin-kpi-card',
      req: {
        metric: 'kpi',
        source: 'loan_months',
        params: { series: { metric: 'overdue_rate', params: { k: 1 }, value: 'rate' } },
      },
      props: { format: 'percent' },
      goal: '<= 16',
    },
  ],
  funnel: [{ tag: 'fin-funnel', req: { metric: 'funnel', params: {} }, goal: '<= 16' }],
  heatmap: [
    {
      tag: 'fin-heatmap',
      req: {
        metric: 'heatmap',
        source: 'collection_actions',
        params: { preset: 'contact-rate-weekday-hour' },
      },
      props: { preset: 'contact-rate-weekday-hour' },
      goal: '<= 50',
    },
  ],
  cohort: [
    {
      tag: 'fin-cohort',
      name: 'retention',
      req: { metric: 'cohort', params: { unit: 'month' } },
      goal: '<= 50',
    },
    {
      tag: 'fin-cohort',
      name: 'vintage',
      req: { metric: 'vintage', params: { d: 30 } },
      props: { mode: 'vintage' },
      goal: '<= 50',
    },
  ],
  rfm: [{ tag: 'fin-rfm', req: { metric: 'rfm', params: {} }, goal: '<= 50' }],
  'overdue-trend': [
    {
      tag: 'fin-overdue-trend',
      name: 'buckets',
      req: { metric: 'bucket_trend', params: {} },
      props: { display: 'buckets' },
      goal: '<= 50',
    },
    {
      tag: 'fin-overdue-trend',
      name: 'flows',
      req: { metric: 'flow_rate', params: {} },
      props: { display: 'flows' },
      goal: '<= 50',
    },
  ],
  'fund-flow': [
    {
      tag: 'fin-fund-flow',
      name: 'trend',
      req: { metric: 'fund_flow', params: {} },
      props: { display: 'trend' },
      goal: '<= 50',
    },
    {
      tag: 'fin-fund-flow',
      name: 'sankey',
      req: { metric: 'sankey', params: {} },
      props: { display: 'sankey' },
      goal: '<= 16',
    },
  ],
  table: [
    {
      tag: 'fin-table',
      req: { metric: 'collector_performance', source: 'collection_actions', params: { level: 'collector' } },
      props: { selectField: 'collector_id' },
      goal: '<= 16',
    },
  ],
};

const nextPaint = (): Promise<number> =>
  new Promise((resolve) => {
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve(performance.now());
      ch.port2.postMessage(null);
    });
  });

type El = HTMLElement & {
  result: MetricResult | null;
  updateComplete: Promise<boolean>;
  view_?: unknown;
  renderState?: string;
};

async function settle(el: El, prevView: unknown): Promise<void> {
  await el.updateComplete;
  // A Vega display replaces its View when the new spec is mounted; d3 displays keep none.
  if (prevView !== null && prevView !== undefined) {
    const until = performance.now() + 5000;
    while (el.view_ === prevView && performance.now() < until) await new Promise((r) => setTimeout(r, 0));
  }
  // d3 drawing and follow-up Lit updates triggered by `updated()`
  await el.updateComplete;
}

async function run(): Promise<Figure[]> {
  const cases = CASES[NAME];
  const figName = (c: Case): string => `render-${NAME}${c.name ? `-${c.name}` : ''}`;
  if (!cases) return [skipFigure(`render-${NAME}`, 'no single-result case (composite element)')];
  try {
    const url = new URL(`./el-${NAME}.js`, import.meta.url).href;
    await import(/* @vite-ignore */ url);
  } catch (e) {
    return [
      skipFigure(
        `render-${NAME}`,
        `element module failed to load: ${e instanceof Error ? e.message : String(e)}`,
      ),
    ];
  }
  const engine = new LocalEngine();
  const sample = generateSample({ customers: 1200 });
  for (const [name, cols] of Object.entries(sample)) await engine.load(name, cols as never);
  const region = ((engine.dataset('loans')!.cols['region'] as { dict: string[] }).dict ?? [])[0]!;
  const out: Figure[] = [];
  for (const c of cases) {
    const name = figName(c);
    if (!customElements.get(c.tag)) {
      out.push(skipFigure(name, `${c.tag} is not defined by components/${NAME}/define.ts`));
      continue;
    }
    let a: MetricResult;
    let b: MetricResult;
    try {
      a = engine.querySync(c.req);
      b = engine.querySync({ ...c.req, filters: [{ field: 'region', op: 'in', value: [region] }] });
    } catch (e) {
      out.push(skipFigure(name, `metric failed: ${e instanceof Error ? e.message : String(e)}`));
      continue;
    }
    const host = document.getElementById('stage')!;
    host.replaceChildren();
    const el = document.createElement(c.tag) as El;
    Object.assign(el, c.props ?? {});
    host.append(el);
    // First render (module chunks, Vega/d3 lazy imports) is not timed.
    el.result = a;
    await settle(el, undefined);
    await nextPaint();
    if (el.renderState && el.renderState !== 'ok' && el.renderState !== 'partial') {
      out.push(skipFigure(name, `element state after first render: ${el.renderState}`));
      continue;
    }
    // Timed: from `.result` set (at the start of a frame) to the element's DOM and chart updated
    // and laid out (forced synchronous layout), i.e. the frame is ready to paint. The paint itself
    // follows at the next vsync, which is not the element's work and is not counted.
    const times: number[] = [];
    for (let r = 0; r < REPS + 1; r++) {
      await nextPaint();
      const prev = el.view_;
      const t0 = await new Promise<number>((res) => requestAnimationFrame(() => res(performance.now())));
      el.result = r % 2 === 0 ? b : a;
      await settle(el, prev);
      void el.getBoundingClientRect();
      void document.body.offsetHeight;
      const t1 = performance.now();
      if (r > 0) times.push(t1 - t0);
    }
    const marks =
      c.req.metric === 'vintage' || c.req.metric === 'cohort' || c.req.metric === 'heatmap'
        ? ` (${a.data.length} cells)`
        : '';
    out.push(
      valueFigure(
        name,
        times,
        'ms',
        c.goal,
        `${c.tag}${marks}: new .result → laid out, median of ${times.length} (max ${Math.max(...times).toFixed(1)})`,
      ),
    );
    console.log(`INFO render ${name}: median ${median(times).toFixed(1)} ms`);
  }
  engine.dispose();
  return out;
}

window.benchResult = run();
