/**
 * `main-thread` in Chromium: the engine in a Web Worker loads 1M loan-month rows (the seeded sample,
 * generated inside the worker as a dashboard with `sample: { loanMonths }` does), the collection
 * dashboard's widgets query it, then twenty linked interactions each re-query every widget with a
 * new cross-filter clause and update the page. A PerformanceObserver records long tasks on the main
 * thread throughout; interaction-to-paint runs from the input to the frame after the last widget's
 * update.
 */
import { WorkerEngine } from '../../src/engine/clients.js';
import type { FilterClause, MetricResult } from '../../src/engine/types.js';
import { dashboardRequests } from '../lib/collection.js';
import type { Figure } from '../lib/stats.js';
import { median, quantile, skipFigure, valueFigure } from '../lib/stats.js';

declare global {
  interface Window {
    benchResult?: Promise<Figure[]>;
  }
}

const params = new URLSearchParams(location.search);
const ROWS = Number(params.get('rows') ?? 1000000);
const INTERACTIONS = Number(params.get('interactions') ?? 20);
/** Arrow IPC files of the 1M sample (written by the node bench); else the worker generates the sample. */
const DATA = params.get('data');

function log(msg: string): void {
  console.log(`INFO ${msg}`);
}

const nextPaint = (): Promise<number> =>
  new Promise((resolve) => {
    requestAnimationFrame(() => {
      // The frame is painted after the rAF callbacks; a message posted here runs after the paint.
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve(performance.now());
      ch.port2.postMessage(null);
    });
  });

async function run(): Promise<Figure[]> {
  const longTasks: Array<{ start: number; duration: number }> = [];
  const supported = PerformanceObserver.supportedEntryTypes?.includes('longtask');
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
  });
  if (supported) obs.observe({ type: 'longtask', buffered: true });

  // Widgets: one output node each, updated with a text summary of each result.
  const requests = dashboardRequests();
  const host = document.getElementById('widgets')!;
  const nodes = requests.map((r, i) => {
    const el = document.createElement('section');
    el.id = `w${i}`;
    el.textContent = `${r.widget}: …`;
    host.append(el);
    return el;
  });
  const show = (i: number, r: MetricResult): void => {
    const d = r.data as Array<Record<string, unknown>>;
    const last = d[d.length - 1];
    nodes[i]!.textContent =
      `${requests[i]!.widget} (${requests[i]!.metric}): ${d.length} rows; last ${last ? JSON.stringify(last).slice(0, 160) : '—'}`;
  };

  const t0 = performance.now();
  // Only the worker client on the page: the engine (ingestion, metrics) lives in the worker script.
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const engine = new WorkerEngine(worker as never);
  const phases: Array<{ at: number; name: string }> = [{ at: 0, name: 'page load' }];
  const phase = (name: string): void => void phases.push({ at: performance.now(), name });
  phase('load');
  const start = performance.now();
  if (DATA) {
    // The host hands the worker URLs: fetch + ingest happen off the main thread.
    for (const name of ['loans', 'loan_months', 'collection_actions'])
      await engine.load(name, { url: `${location.origin}${DATA}/${name}.arrow` });
  } else {
    const { sampleOptionsForLoanMonths } = await import('../../src/data/sample.js');
    await engine.loadSample(sampleOptionsForLoanMonths(ROWS));
  }
  const loadMs = performance.now() - start;
  log(
    `main-thread: worker loaded ${DATA ? 'the 1M Arrow files' : `the ${ROWS}-row sample`} in ${loadMs.toFixed(0)} ms`,
  );

  const query = async (filters: FilterClause[]): Promise<void> => {
    await Promise.all(
      requests.map((r, i) =>
        engine.query({ ...r, filters: [...(r.filters ?? []), ...filters] }).then((res) => show(i, res)),
      ),
    );
  };
  phase('first render');
  const c0 = performance.now();
  await query([]);
  await nextPaint();
  const coldMs = performance.now() - c0;
  log(`main-thread: first dashboard render ${coldMs.toFixed(0)} ms`);

  // The dashboard prepares its cross-filter cube once per load (in the worker).
  const prep = (engine as unknown as { prepare?: (o: object) => Promise<unknown> }).prepare;
  let prepMs = NaN;
  let firstClickMs = NaN;
  let clickMs = NaN;
  if (prep) {
    // In two stages, as the engine orders one build: every single-value cell first (from then on
    // a click on one region or one product is a look-up: the first fast click), then the pairs.
    phase('cube');
    const p0 = performance.now();
    const dimensions = ['region', 'product'];
    await prep.call(engine, { requests, dimensions, maxDims: 1 });
    firstClickMs = performance.now() - p0;
    const region = (await engine.query({ metric: 'distinct', source: 'loans', params: { field: 'region', limit: 1 } })).data[0] as
      | { value?: string }
      | undefined;
    const k0 = performance.now();
    if (region?.value !== undefined) await query([{ field: 'region', op: 'in', value: [region.value] }]);
    clickMs = performance.now() - k0;
    const p1 = performance.now();
    await prep.call(engine, { requests, dimensions });
    prepMs = firstClickMs + (performance.now() - p1);
    log(`main-thread: cube singles in ${firstClickMs.toFixed(0)} ms (a click then: ${clickMs.toFixed(0)} ms), whole cube in ${prepMs.toFixed(0)} ms`);
  }

  phase('interactions');
  const dimsOf = async (field: string): Promise<string[]> => {
    const r = await engine.query({ metric: 'overdue_rate', params: { by: field, k: 1 } });
    return [
      ...new Set(
        (r.data as Array<{ group: string | null }>)
          .map((d) => d.group)
          .filter((g): g is string => g !== null),
      ),
    ].sort();
  };
  const regions = await dimsOf('region');
  const products = await dimsOf('product');
  const states: FilterClause[][] = [];
  for (const r of regions) states.push([{ field: 'region', op: 'in', value: [r] }]);
  for (const p of products) states.push([{ field: 'product', op: 'in', value: [p] }]);
  for (const r of regions)
    for (const p of products)
      states.push([
        { field: 'region', op: 'in', value: [r] },
        { field: 'product', op: 'in', value: [p] },
      ]);

  // Twenty linked interactions: a click on a button changes the cross-filter; all widgets update.
  const button = document.getElementById('filter') as HTMLButtonElement;
  const itp: number[] = [];
  for (let k = 0; k < INTERACTIONS; k++) {
    const f = states[k % states.length]!;
    const done = new Promise<number>((resolve) => {
      button.onclick = (ev) => {
        const tIn = ev.timeStamp;
        button.textContent = `filter: ${JSON.stringify(f)}`;
        void query(f)
          .then(nextPaint)
          .then((tp) => resolve(tp - tIn));
      };
    });
    button.click();
    itp.push(await done);
    await new Promise((r) => setTimeout(r, 30));
  }
  await new Promise((r) => setTimeout(r, 100));
  obs.disconnect();
  const total = performance.now() - t0;
  engine.dispose();
  const longest = longTasks.reduce((m, e) => Math.max(m, e.duration), 0);
  for (const lt of longTasks) {
    const ph = [...phases].reverse().find((p) => p.at <= lt.start)?.name ?? 'page load';
    log(`main-thread: long task ${lt.duration.toFixed(0)} ms at ${lt.start.toFixed(0)} ms (${ph})`);
  }
  log(
    `main-thread: ${longTasks.length} long tasks; interaction-to-paint median ${median(itp).toFixed(1)} ms; total ${total.toFixed(0)} ms`,
  );
  const out: Figure[] = [];
  out.push(
    supported
      ? valueFigure(
          'main-thread-longest-task@1M',
          [longest],
          'ms',
          '<= 50',
          `${longTasks.length} long tasks (> 50 ms) during load + ${INTERACTIONS} interactions`,
        )
      : skipFigure('main-thread-longest-task@1M', 'PerformanceObserver longtask is not supported'),
  );
  out.push(
    valueFigure(
      'interaction-to-paint-p95@1M',
      [quantile(itp, 0.95)],
      'ms',
      '<= 100',
      `p95 of ${INTERACTIONS} linked interactions (median ${median(itp).toFixed(1)} ms)`,
    ),
  );
  out.push(
    valueFigure(
      'worker-load@1M',
      [loadMs],
      'ms',
      undefined,
      DATA
        ? 'fetch + Arrow ingest of loans, loan_months, collection_actions in the worker'
        : 'sample generation + ingest in the worker',
    ),
  );
  out.push(
    valueFigure(
      'worker-first-render@1M',
      [coldMs],
      'ms',
      undefined,
      'every widget query + DOM update after load',
    ),
  );
  if (prep) {
    out.push(
      valueFigure(
        'worker-cube-first-click@1M',
        [firstClickMs],
        'ms',
        '<= 2000',
        `every single-value cell (region, product) built; the next click took ${clickMs.toFixed(0)} ms`,
      ),
    );
    out.push(valueFigure('worker-cube-build@1M', [prepMs], 'ms', undefined, 'singles, then region × product pairs'));
  }
  return out;
}

window.benchResult = run();
