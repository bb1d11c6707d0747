/**
 * The cross-filter cube of a dashboard (`engine.prepare`): the widgets' requests are recorded as
 * they send them; once they have their first results (and again when the base filters change) the
 * engine pre-computes them per value of the spec's dimensions, so that a selection is a look-up.
 * Built in the background: never blocks a render, never throws, reports with `fin-prepare`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { baseKey, baseRequest, categorySources, MAX_AUTO_VALUES, prepareSettings } from '../../src/dashboard/prepare.js';
import type { PrepareSettings } from '../../src/dashboard/prepare.js';
import type { DashboardSpec } from '../../src/dashboard/spec.js';
import type { Engine, PrepareInfo, PrepareOptions } from '../../src/engine/engine-types.js';
import type { LocalText, QueryRequest } from '../../src/engine/types.js';
import type { SelectionController } from './selection.js';
import { widgetElements } from './widget-cells.js';

/** Warning of a failed cube build (fin-prepare `warning`): nothing breaks, selections are just slower. */
const PREPARE_FAILED: LocalText = {
  'zh-CN': '联动预计算未完成：联动筛选将直接按明细数据计算，结果相同，响应较慢。',
  'en-US':
    'Cross-filter pre-computation did not complete: selections are computed from the rows instead (same numbers, slower).',
};

/** Re-prepare this long after the last change of the base filters (date range, drill level). */
const PREPARE_DEBOUNCE_MS = 300;
/** How often, and at most how long, to wait for the widgets' queries to settle before preparing. */
const SETTLE_POLL_MS = 50;
const SETTLE_MAX_MS = 60000;
/** Bound on recorded requests per round (a dashboard sends a few dozen). */
const RECORD_LIMIT = 256;

/** Detail of `fin-prepare`: the outcome of one cross-filter cube build. */
export interface FinPrepareDetail {
  ok: boolean;
  /** The dimensions asked for. */
  dimensions: string[];
  /** Base requests sent (widget requests not prepared before in this load). */
  requests: number;
  /** What the engine built (when ok). */
  info?: PrepareInfo;
  /** Why it failed (when not ok), and a localised warning for hosts that show one. */
  error?: { code: string; message: string };
  warning?: LocalText;
}

/** Fired by `<fin-dashboard>` after each cross-filter cube build (`engine.prepare`), ok or not. */
export class FinPrepareEvent extends CustomEvent<FinPrepareDetail> {
  constructor(detail: FinPrepareDetail) {
    super('fin-prepare', { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fin-prepare': FinPrepareEvent;
  }
}

/** The cube state of one load: a new load (or a disconnect) leaves an old one inert. */
interface PrepareState {
  timer: ReturnType<typeof setTimeout> | null;
  /** The dimensions of this load (category columns of the loaded data), resolved once. */
  dims: Promise<string[]> | null;
  /**
   * The widgets' requests of the current round (since the last change of base filters or drill
   * levels), as they sent them minus other widgets' selections, by key: the cube's bases.
   */
  recorded: Map<string, QueryRequest>;
  /** Keys of the base requests already prepared in this load. */
  done: Set<string>;
  /** A build failed: do not retry in this load. */
  failed: boolean;
}

const newPrepareState = (): PrepareState => ({ timer: null, dims: null, recorded: new Map(), done: new Set(), failed: false });

let dashboardSeq = 0;

/**
 * The engine as widgets see it: the same engine, with every query reported to `onQuery` first
 * (the dashboard learns its widgets' requests exactly as they send them, several per widget included).
 */
function recordingEngine(engine: Engine, onQuery: (req: QueryRequest) => void): Engine {
  return {
    get placement() {
      return engine.placement;
    },
    load: (name, input, opts) => engine.load(name, input, opts),
    query: (req, opts) => {
      onQuery(req);
      return engine.query(req, opts);
    },
    datasetsInfo: () => engine.datasetsInfo(),
    unload: (name) => engine.unload(name),
    dispose: () => engine.dispose(),
  };
}

/** What the cube controller reads from its dashboard. */
export interface CubeHost extends ReactiveControllerHost, EventTarget {
  readonly spec: DashboardSpec | null;
  readonly activeEngine: Engine | null;
  readonly isReady: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class CubeController implements ReactiveController {
  private prep: PrepareState = newPrepareState();
  /** This dashboard's builds in the engine (PrepareOptions.key): a newer one stops an older one. */
  readonly key = `fin-dashboard-${++dashboardSeq}`;
  /** The recording view of the engine handed to widgets, per engine. */
  private widgetEngine: { engine: Engine; view: Engine } | null = null;
  /** What the last update saw: readiness, base filters, spec. */
  private seen: { ready: boolean; base: number; spec: DashboardSpec | null } = { ready: false, base: 0, spec: null };

  constructor(
    private readonly host: CubeHost,
    private readonly selection: SelectionController,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    // A new round of widget requests starts (widgets re-query after this update): record it afresh.
    if (this.host.isReady && this.selection.baseRevision !== this.seen.base) this.prep.recorded.clear();
  }

  hostUpdated(): void {
    const ready = this.host.isReady;
    const base = this.selection.baseRevision;
    const spec = this.host.spec;
    // Once the data is loaded; again when base filters (date range, multi-value filters), drill levels
    // or the spec's widgets change the widgets' requests. Selections do not (they are what the cube answers).
    if (ready && !this.seen.ready) this.schedule(0);
    else if (ready && (base !== this.seen.base || spec !== this.seen.spec)) this.schedule(PREPARE_DEBOUNCE_MS);
    this.seen = { ready, base, spec };
  }

  hostDisconnected(): void {
    this.reset();
  }

  /** The engine as handed to widgets: queries pass through `record` on their way. */
  view(engine: Engine | null): Engine | null {
    if (!engine) return null;
    if (this.widgetEngine?.engine !== engine)
      this.widgetEngine = { engine, view: recordingEngine(engine, (req) => this.record(req)) };
    return this.widgetEngine.view;
  }

  /** Forget the cube state of the current load (a new load, a disconnect). */
  reset(): void {
    if (this.prep.timer !== null) clearTimeout(this.prep.timer);
    this.prep = newPrepareState();
  }

  /**
   * The spec's prepare settings changed on loaded data: resolve the dimensions again and build
   * every base again, keeping the requests recorded in this round.
   */
  settingsChanged(): void {
    const recorded = this.prep.recorded;
    this.reset();
    this.prep.recorded = recorded;
  }

  /** Build (or extend) the cube `delay` ms from now; a later call within the delay replaces this one. */
  private schedule(delay: number): void {
    const st = this.prep;
    const spec = this.host.spec;
    if (st.failed || !spec || !prepareSettings(spec)) return;
    const engine = this.host.activeEngine;
    if (!engine || typeof engine.prepare !== 'function') return;
    if (st.timer !== null) clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = null;
      // prepareOnce reports its own failures; anything else is not worth a broken dashboard.
      this.prepareOnce(st).catch(() => undefined);
    }, delay);
  }

  /** Keep a widget request (minus other widgets' selections, matched by identity) as a cube base. */
  private record(req: QueryRequest): void {
    try {
      const st = this.prep;
      const spec = this.host.spec;
      if (!this.host.isReady || st.failed || st.recorded.size >= RECORD_LIMIT || !spec || !prepareSettings(spec)) return;
      const base = baseRequest(req, [], this.selection.sentClauses());
      st.recorded.set(baseKey(base), base);
    } catch {
      // Recording is an optimisation: a request it cannot read is simply not pre-computed.
    }
  }

  /**
   * A build for the current round. Every build of this dashboard carries its key, so a build still
   * running for an earlier date range stops (superseded) when this one reaches the engine.
   */
  private async prepareOnce(st: PrepareState): Promise<void> {
    const spec = this.host.spec;
    const settings = spec ? prepareSettings(spec) : null;
    const engine = this.host.activeEngine;
    if (!spec || !settings || !engine || typeof engine.prepare !== 'function') return;
    await this.widgetsSettled(st);
    if (st !== this.prep || !this.host.isReady) return;
    let dims: string[] = [];
    let requests: QueryRequest[] | null = null;
    try {
      st.dims ??= this.resolveDimensions(engine, settings);
      dims = await st.dims;
      if (st !== this.prep || !dims.length) return;
      // The widgets' requests of this round as they sent them, without other widgets' selections and
      // without pins on the dimensions: the cube's bases. Only bases not prepared yet are sent (the
      // engine's default, "requests served since the load", would also hold the filter bar's option
      // lists and every earlier date range's requests).
      const fresh = new Map<string, QueryRequest>();
      for (const rec of st.recorded.values()) {
        const r = baseRequest(rec, dims);
        const k = baseKey(r);
        if (!st.done.has(k)) fresh.set(k, r);
      }
      if (!fresh.size) return;
      requests = [...fresh.values()];
      const opts: PrepareOptions = { dimensions: dims, requests, key: this.key };
      if (settings.maxDims !== undefined) opts.maxDims = settings.maxDims;
      if (settings.maxCombos !== undefined) opts.maxCombos = settings.maxCombos;
      for (const k of fresh.keys()) st.done.add(k);
      const info = await engine.prepare(opts);
      if (st !== this.prep) return;
      // Stopped by a newer build: what it did not reach may be asked for again in a later round.
      if (info.superseded) for (const k of fresh.keys()) st.done.delete(k);
      this.host.dispatchEvent(new FinPrepareEvent({ ok: true, dimensions: dims, requests: requests.length, info }));
    } catch (e) {
      if (st !== this.prep) return; // reloaded or disconnected meanwhile: nothing to report
      st.failed = true;
      const err = e as { code?: unknown; message?: unknown };
      this.host.dispatchEvent(
        new FinPrepareEvent({
          ok: false,
          dimensions: dims,
          requests: requests?.length ?? 0,
          error: {
            code: typeof err?.code === 'string' ? err.code : 'prepare_failed',
            message: typeof err?.message === 'string' ? err.message : String(e),
          },
          warning: PREPARE_FAILED,
        }),
      );
    }
  }

  /**
   * The dimensions of this load: the spec's candidates that are category columns of the loaded
   * data; automatic ones also need at most MAX_AUTO_VALUES distinct values (no identifiers).
   */
  private async resolveDimensions(engine: Engine, settings: PrepareSettings): Promise<string[]> {
    const sources = [...categorySources(settings.dimensions, await engine.datasetsInfo())];
    // Asked together (a remote engine sends them as one batch), kept in the candidates' order.
    const kept = await Promise.all(
      sources.map(async ([field, source]) => {
        if (!settings.auto) return true;
        const r = await engine.query({ metric: 'distinct', source, params: { field, limit: MAX_AUTO_VALUES + 1 } });
        return r.data.length <= MAX_AUTO_VALUES;
      }),
    );
    return sources.filter((_, i) => kept[i]).map(([field]) => field);
  }

  /** Until every widget has answered its current query (or SETTLE_MAX_MS passed, or a reload). */
  private async widgetsSettled(st: PrepareState): Promise<void> {
    for (let waited = 0; waited < SETTLE_MAX_MS && st === this.prep; waited += SETTLE_POLL_MS) {
      const spec = this.host.spec;
      const els = spec ? widgetElements(this.host.renderRoot, spec) : [];
      if (els.length && els.every(({ el }) => el.renderState !== 'loading' && el.renderState !== 'idle')) return;
      await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    }
  }
}
