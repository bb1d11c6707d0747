/**
 * `main-thread` in Chromium: the engine in a Web Worker loads 1M loan-month rows (the seeded sample,
 * generated inside the worker as a dashboard with `sample: { loanMonths }` does), the collection
 * dashboard's widgets query it, then twenty linked interactions each re-query every widget with a
 * new cross-filter clause and update the page. A PerformanceObserver records long tasks on the main
 * thread throughout; interaction-to-paint runs from the input to the frame after the last widget's
 * update.
 */
import { WorkerEngine } from '../../src/engine/clients.js';
import type { PrepareInfo } from '../../src/engine/cube.js';
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
/** A click answered this fast came from the cube (the raw path at 1M takes ~100 ms for the 15 widgets). */
const FAST_CLICK_MS = 40;
/** Pause between two clicks while the cube builds (a user's pace; raw clicks also slow the build). */
const CLICK_GAP_MS = 200;

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

/** The fields of a `long-animation-frame` entry used here (Chromium 123+). */
interface LongFrame {
  startTime: number;
  duration: number;
  renderStart: number;
  styleAndLayoutStart: number;
  scripts: Array<{ duration: number; invoker: string; sourceFunctionName?: string; sourceURL?: string }>;
}

/** What the long animation frame around a long task says of it: script time, the longest script, rendering. */
function scriptIn(frames: LongFrame[], lt: { start: number; duration: number }): string {
  const overlap = (x: LongFrame): number =>
    Math.min(x.startTime + x.duration, lt.start + lt.duration) - Math.max(x.startTime, lt.start);
  const f = frames.filter((x) => overlap(x) > 0).sort((a, b) => overlap(b) - overlap(a))[0];
  if (!f) return 'no long animation frame around it';
  const script = f.scripts.reduce((s, x) => s + x.duration, 0);
  const top = [...f.scripts].sort((a, b) => b.duration - a.duration)[0];
  const render = f.renderStart ? f.startTime + f.duration - f.renderStart : 0;
  return (
    `its frame ${f.duration.toFixed(0)} ms: script ${script.toFixed(0)} ms` +
    (top ? ` (longest ${top.duration.toFixed(0)} ms: ${top.invoker}${top.sourceFunctionName ? ` ${top.sourceFunctionName}` : ''})` : '') +
    `, rendering ${render.toFixed(0)} ms, the rest waiting or the browser's own work`
  );
}

async function run(): Promise<Figure[]> {
  const longTasks: Array<{ start: number; duration: number }> = [];
  const supported = PerformanceObserver.supportedEntryTypes?.includes('longtask');
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
  });
  if (supported) obs.observe({ type: 'longtask', buffered: true });
  // Long animation frames say how much of a long task was script (and whose): a long task whose
  // script time is a small part of it was the main thread waiting for a core (the worker and its
  // GC threads share this machine's two), not work the page could split.
  const frames: LongFrame[] = [];
  const loafSupported = PerformanceObserver.supportedEntryTypes?.includes('long-animation-frame');
  const loaf = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) frames.push(e as unknown as LongFrame);
  });
  if (loafSupported) loaf.observe({ type: 'long-animation-frame', buffered: true });

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
  // The first filter's values (loans is small: a cheap query, before the timed render).
  const regionValues = (
    (await engine.query({ metric: 'distinct', source: 'loans', params: { field: 'region' } })).data as Array<{ value?: string }>
  )
    .map((d) => d.value)
    .filter((v): v is string => typeof v === 'string');
  phase('first render');
  const c0 = performance.now();
  await query([]);
  await nextPaint();
  const renderedAt = performance.now();
  const coldMs = renderedAt - c0;
  log(`main-thread: first dashboard render ${coldMs.toFixed(0)} ms`);

  // The dashboard prepares its cross-filter cube once per load, right after its first render: one
  // prepare over its filter dimensions (region first), never awaited by the page. Meanwhile the
  // user clicks the first filter (a region) at a user's pace; each click re-queries every widget.
  // The first fast click is the first one answered from the cube (look-ups: a few ms; the raw path
  // takes ~100 ms at 1M): its answer time from the end of the first render. A repeated click
  // would be a result-cache hit, so every click is a new region (`in` then `eq` spellings: distinct
  // cache keys, the same cube cell).
  const prep = (engine as unknown as { prepare?: (o: object) => Promise<PrepareInfo> }).prepare;
  let prepMs = NaN;
  let firstFastMs = NaN;
  const slowClicks: number[] = [];
  let fastClickMs = NaN;
  let regionStageMs = NaN;
  if (prep) {
    phase('cube');
    const dimensions = ['region', 'product'];
    const p0 = renderedAt;
    const building = prep.call(engine, { requests, dimensions, key: 'bench-dashboard' }).then((info) => {
      prepMs = performance.now() - p0;
      regionStageMs = info.stages?.find((s) => s.set?.[0] === 'region' && s.dims === 1)?.ms ?? NaN;
      return info;
    });
    const clicks: FilterClause[][] = [
      ...regionValues.map((v): FilterClause[] => [{ field: 'region', op: 'in', value: [v] }]),
      ...regionValues.map((v): FilterClause[] => [{ field: 'region', op: 'eq', value: v }]),
    ];
    for (const f of clicks) {
      const k0 = performance.now();
      await query(f);
      const ms = performance.now() - k0;
      if (ms <= FAST_CLICK_MS) {
        firstFastMs = performance.now() - p0;
        fastClickMs = ms;
        break;
      }
      slowClicks.push(ms);
      await new Promise((r) => setTimeout(r, CLICK_GAP_MS));
    }
    await building;
    log(
      `main-thread: first fast click ${firstFastMs.toFixed(0)} ms after the first render (took ${fastClickMs.toFixed(1)} ms; ` +
        `${slowClicks.length} raw clicks before it: ${slowClicks.map((x) => x.toFixed(0)).join(', ')} ms); ` +
        `region stage done at ${regionStageMs.toFixed(0)} ms of the build; whole cube ${prepMs.toFixed(0)} ms`,
    );
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
  for (const e of obs.takeRecords()) longTasks.push({ start: e.startTime, duration: e.duration });
  obs.disconnect();
  for (const e of loaf.takeRecords()) frames.push(e as unknown as LongFrame);
  loaf.disconnect();
  const total = performance.now() - t0;
  engine.dispose();
  const longest = longTasks.reduce((m, e) => Math.max(m, e.duration), 0);
  for (const lt of longTasks) {
    const ph = [...phases].reverse().find((p) => p.at <= lt.start)?.name ?? 'page load';
    log(`main-thread: long task ${lt.duration.toFixed(0)} ms at ${lt.start.toFixed(0)} ms (${ph}); ${scriptIn(frames, lt)}`);
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
      Number.isFinite(firstFastMs)
        ? valueFigure(
            'worker-first-fast-click@1M',
            [firstFastMs],
            'ms',
            '<= 2000',
            `first render → a click on one region answered from the cube (${fastClickMs.toFixed(1)} ms); ` +
              `${slowClicks.length} raw clicks before it (${slowClicks.map((x) => x.toFixed(0)).join(', ')} ms)`,
          )
        : skipFigure(
            'worker-first-fast-click@1M',
            `no click answered from the cube within ${slowClicks.length} region clicks (the build took ${prepMs.toFixed(0)} ms)`,
          ),
    );
    out.push(
      valueFigure('worker-cube-build@1M', [prepMs], 'ms', undefined, `first render → whole cube (region, product, pairs); region stage at ${regionStageMs.toFixed(0)} ms`),
    );
    // The engine's own clock: from then on every region click is a look-up. On a loaded machine a
    // look-up click can exceed FAST_CLICK_MS (it waits for the build's current slice), so this is
    // the figure to read next to the click's.
    if (Number.isFinite(regionStageMs))
      out.push(
        valueFigure('worker-cube-first-dimension@1M', [regionStageMs], 'ms', undefined, "prepare start → every request's region cells built (PrepareInfo.stages)"),
      );
    if (slowClicks.length)
      out.push(
        valueFigure('worker-click-during-build@1M', [Math.max(...slowClicks)], 'ms', undefined, 'slowest click answered while the cube was building (raw path)'),
      );
  }
  return out;
}

window.benchResult = run();
