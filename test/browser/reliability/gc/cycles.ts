/**
 * Connect/disconnect cycles of every element, with leak accounting: JS heap after GC, Vega views
 * created vs finalized, ResizeObserver targets still observed after removal, window listeners
 * added vs removed. Shared by the lifecycle test (small N) and the soak test (N = 1,000).
 */
import { View } from 'vega';
import { createEngine } from '../../../../src/engine/create.js';
import type { Engine } from '../../../../src/engine/engine-types.js';
import { validRows } from '../../../fixtures/bad-data.js';
import { ELEMENT_CASES, mount, settle, sleep, trapErrors } from '../helpers.js';

export interface CycleReport {
  line: string;
  errors: string[];
  unfinalized: number;
  observing: number;
  /** What is still observed: `host > element[part]`. */
  observedDetached: string[];
  listeners: number;
  /** Relative heap growth after GC over the whole run, or null when the browser exposes no gc(). */
  heapGrowth: number | null;
  /** Final heap after GC relative to the highest one measured before (start after warm-up, midway). */
  steadyGrowth: number | null;
  /** Elements mounted and removed after warm-up (each watched through a WeakRef). */
  tracked: number;
  /** Of those, how many were still alive after the final GC, or null when the browser exposes no gc(). */
  retained: number | null;
}

const gcFn = (globalThis as { gc?: () => void }).gc;

async function collect(): Promise<number | null> {
  const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  if (!gcFn || !mem) return null;
  for (let i = 0; i < 4; i++) {
    gcFn();
    await sleep(30);
  }
  return mem.usedJSHeapSize;
}

/**
 * The heap after GC, as the lowest of three readings 250 ms apart. Garbage only ever inflates a
 * reading (a late timer or a pending paint still holding a scenegraph when gc() runs moved single
 * readings by ±30 MB here), so the lowest is the one comparable across the run.
 */
async function settledHeap(): Promise<number | null> {
  let low: number | null = null;
  for (let k = 0; k < 3; k++) {
    await sleep(250);
    const h = await collect();
    if (h !== null) low = low === null ? h : Math.min(low, h);
  }
  return low;
}

/**
 * Params that depend on the run's size: the churn model of fin-model needs churned and kept
 * customers in its training sample, and the suites' generic rows are dense at 10k rows (nobody is
 * 90 days idle) and sparse at 200 (everybody is 7 days idle). With neither, the element rightly
 * shows the engine's typed error instead of a model.
 */
const SIZED_PROPS: Record<string, (rows: number) => Record<string, unknown>> = {
  'fin-model': (rows) => (rows >= 5000 ? { params: { definition: 'churn', churnDays: 7, windowDays: 30, snapshots: 3 } } : {}),
};

export async function runCycles(n: number, rows: number): Promise<CycleReport> {
  const trap = trapErrors();
  // --- accounting patches ----------------------------------------------------------------------
  const views = new Set<View>();
  let viewsCreated = 0;
  const vp = View.prototype as unknown as {
    initialize: (...a: unknown[]) => unknown;
    finalize: () => unknown;
  };
  const init = vp.initialize;
  const fin = vp.finalize;
  vp.initialize = function (this: View, ...a: unknown[]) {
    if (!views.has(this)) viewsCreated++;
    views.add(this);
    return init.apply(this, a);
  };
  vp.finalize = function (this: View) {
    views.delete(this);
    return fin.call(this);
  };
  const observed = new Map<ResizeObserver, Set<Element>>();
  const rp = ResizeObserver.prototype;
  const [observe, unobserve, disconnect] = [rp.observe, rp.unobserve, rp.disconnect];
  rp.observe = function (this: ResizeObserver, t: Element, o?: ResizeObserverOptions) {
    (observed.get(this) ?? observed.set(this, new Set()).get(this)!).add(t);
    return observe.call(this, t, o);
  };
  rp.unobserve = function (this: ResizeObserver, t: Element) {
    observed.get(this)?.delete(t);
    return unobserve.call(this, t);
  };
  rp.disconnect = function (this: ResizeObserver) {
    observed.delete(this);
    return disconnect.call(this);
  };
  const live = new Set<EventListenerOrEventListenerObject>();
  const [add, remove] = [window.addEventListener, window.removeEventListener];
  window.addEventListener = function (
    type: string,
    fn: EventListenerOrEventListenerObject | null,
    o?: unknown,
  ) {
    if (fn && type.startsWith('fin-')) live.add(fn);
    return add.call(window, type, fn as EventListenerOrEventListenerObject, o as AddEventListenerOptions);
  } as typeof window.addEventListener;
  window.removeEventListener = function (
    type: string,
    fn: EventListenerOrEventListenerObject | null,
    o?: unknown,
  ) {
    if (fn && type.startsWith('fin-')) live.delete(fn);
    return remove.call(window, type, fn as EventListenerOrEventListenerObject, o as EventListenerOptions);
  } as typeof window.removeEventListener;

  const perTag = new Map<string, number>();
  const heap: { h0: number | null; hMid: number | null; h1: number | null } = {
    h0: null,
    hMid: null,
    h1: null,
  };
  const t0 = performance.now();
  let cycles = 0;
  // A removed element that something still references (a listener, an observer, a cache, a pending
  // promise) survives GC; heap totals move by ±30 % between readings, a WeakRef does not.
  const refs: WeakRef<HTMLElement>[] = [];
  try {
    // One engine per dataset, `rows` rows each; every cycle mounts a new element on it.
    const engines = new Map<string, Engine>();
    for (const c of ELEMENT_CASES) {
      if (engines.has(c.dataset)) continue;
      const e = createEngine();
      await e.load(c.dataset, validRows(c.dataset, rows, 9));
      engines.set(c.dataset, e);
    }
    const cycle = async (i: number, watch = false): Promise<void> => {
      const c = ELEMENT_CASES[i % ELEMENT_CASES.length]!;
      const t = performance.now();
      const el = mount(c.tag, { ...(c.props ?? {}), ...(SIZED_PROPS[c.tag]?.(rows) ?? {}), engine: engines.get(c.dataset), source: c.dataset });
      if (watch) refs.push(new WeakRef(el));
      const s = await settle(el);
      if (s !== 'ok' && s !== 'partial') trap.errors.push(`${c.tag} cycle ${i}: ${s}`);
      el.remove();
      perTag.set(c.tag, (perTag.get(c.tag) ?? 0) + performance.now() - t);
      cycles++;
    };
    // Warm-up (code, JIT, the engine's result and cube caches, Vega's caches): the heap grows by tens
    // of MB over the first cycles and then stays flat, so the baseline is taken after it.
    const warm = Math.max(3, Math.ceil(n * 0.3));
    for (let i = 0; i < ELEMENT_CASES.length * warm; i++) await cycle(i);
    heap.h0 = await settledHeap();
    const total = ELEMENT_CASES.length * n;
    for (let i = 0; i < total; i++) {
      await cycle(i, true);
      if (i === Math.floor(total / 2) - 1) heap.hMid = await settledHeap();
    }
    heap.h1 = await settledHeap();
  } finally {
    vp.initialize = init;
    vp.finalize = fin;
    rp.observe = observe;
    rp.unobserve = unobserve;
    rp.disconnect = disconnect;
    window.addEventListener = add;
    window.removeEventListener = remove;
    trap.stop();
  }
  const observedDetached: string[] = [];
  for (const set of observed.values())
    for (const t of set)
      if (!t.isConnected) {
        const root = t.getRootNode();
        const host = root instanceof ShadowRoot ? `${root.host.localName} > ` : '';
        observedDetached.push(
          `${host}${t.localName}${t.getAttribute('part') ? `[part=${t.getAttribute('part')}]` : ''}${t.className && typeof t.className === 'string' ? '.' + t.className : ''}`,
        );
      }
  const observing = observedDetached.length;
  const { h0, hMid, h1 } = heap;
  const heapGrowth = h0 !== null && h1 !== null ? (h1 - h0) / h0 : null;
  // A leak grows the heap cycle after cycle, so the end of the run is also its highest point: compare
  // the final heap with the highest one measured after warm-up (GC noise moves single readings ±30 %).
  const peak = h0 !== null && hMid !== null ? Math.max(h0, hMid) : null;
  const steadyGrowth = peak !== null && h1 !== null ? (h1 - peak) / peak : null;
  const alive = refs.map((r) => r.deref()).filter((e): e is HTMLElement => e !== undefined);
  const retained = h1 === null ? null : alive.length;
  const mb = (x: number | null): string => (x === null ? 'n/a' : `${(x / 1048576).toFixed(1)} MB`);
  const line =
    `lifecycle: ${n} connect/disconnect cycles × ${ELEMENT_CASES.length} elements over ${rows.toLocaleString('en-US')} rows ` +
    `(${cycles} mounts in ${((performance.now() - t0) / 1000).toFixed(1)} s) — heap after GC ${mb(h0)} → ${mb(h1)} ` +
    `(${heapGrowth === null ? 'no gc(): not measured' : `${(heapGrowth * 100).toFixed(1)} %; first half ${mb(hMid !== null && h0 !== null ? hMid - h0 : null)}, second half ${mb(hMid !== null && h1 !== null ? h1 - hMid : null)}`}), ` +
    `removed elements still alive after GC ${retained === null ? 'n/a' : `${retained} / ${refs.length}${alive.length ? ` (${alive.map((e) => e.localName).join(', ')})` : ''}`}, ` +
    `Vega views ${viewsCreated} created / ${views.size} unfinalized, ${observing} ResizeObserver targets detached but observed, ` +
    `${live.size} fin-* window listeners left, ${trap.errors.length + trap.rejections.length} errors` +
    (observing ? ` [still observed: ${[...new Set(observedDetached)].join(', ')}]` : '');
  return {
    line,
    errors: [...trap.errors, ...trap.rejections],
    unfinalized: views.size,
    observing,
    observedDetached,
    listeners: live.size,
    heapGrowth,
    steadyGrowth,
    tracked: refs.length,
    retained,
  };
}

/** Track ResizeObserver targets; `detached()` lists the ones still observed while out of the document. */
export function watchObservers(): { detached(): string[]; stop(): void } {
  const observed = new Map<ResizeObserver, Set<Element>>();
  const rp = ResizeObserver.prototype;
  const [observe, unobserve, disconnect] = [rp.observe, rp.unobserve, rp.disconnect];
  rp.observe = function (this: ResizeObserver, t: Element, o?: ResizeObserverOptions) {
    (observed.get(this) ?? observed.set(this, new Set()).get(this)!).add(t);
    return observe.call(this, t, o);
  };
  rp.unobserve = function (this: ResizeObserver, t: Element) {
    observed.get(this)?.delete(t);
    return unobserve.call(this, t);
  };
  rp.disconnect = function (this: ResizeObserver) {
    observed.delete(this);
    return disconnect.call(this);
  };
  return {
    detached() {
      const out: string[] = [];
      for (const set of observed.values())
        for (const t of set)
          if (!t.isConnected) {
            const root = t.getRootNode();
            const host = root instanceof ShadowRoot ? `${root.host.localName} > ` : '';
            const part = t.getAttribute('part');
            const cls = typeof t.className === 'string' && t.className ? `.${t.className}` : '';
            out.push(`${host}${t.localName}${part ? `[part=${part}]` : ''}${cls}`);
          }
      return out;
    },
    stop() {
      rp.observe = observe;
      rp.unobserve = unobserve;
      rp.disconnect = disconnect;
    },
  };
}
