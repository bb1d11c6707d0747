import { provide } from '@lit/context';
import { css, html, LitElement, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { safeStyle } from '../base/safe-style.js';
import { property, state } from 'lit/decorators.js';
import { presetRange, validateSpec } from '../../src/dashboard/spec.js';
import type { AnyDashboardSpec, DashboardSpec, DatePreset, SpecIssue, WidgetSpec } from '../../src/dashboard/spec.js';
import { migrateSpec } from '../../src/dashboard/migrate.js';
import { readingOrder } from '../../src/dashboard/grid.js';
import {
  baseKey,
  baseRequest,
  categorySources,
  MAX_AUTO_VALUES,
  prepareSettings,
} from '../../src/dashboard/prepare.js';
import type { PrepareSettings } from '../../src/dashboard/prepare.js';
import { selectionApplies } from '../../src/dashboard/scope.js';
import { membersClause, RFM_SEGMENT_FIELD, segmentIds } from '../../src/dashboard/segments.js';
import type { DatasetColumns } from '../../src/dashboard/scope.js';
import type { Engine, PrepareInfo, PrepareOptions } from '../../src/engine/engine-types.js';
import type { DataQualityReport } from '../../src/data/quality.js';
import type { FilterClause, LocalText, QueryRequest } from '../../src/engine/types.js';
import { pick } from '../../src/format/messages.js';
import { toLocale } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import { finContext } from '../base/context.js';
import type { FinDashboardContext } from '../base/context.js';
import { FinDrilldownEvent, FinErrorEvent } from '../base/events.js';
import type { FinSelectEvent } from '../base/events.js';
import type { FinElement } from '../base/fin-element.js';
import { baseStyles } from '../base/styles.js';
import type { FinFilterBar } from './filter-bar.js';
import { ALLOWED_PROPS, WIDGET_TAGS } from './widgets.js';

const T = {
  'zh-CN': {
    invalid: '仪表盘配置无效',
    loading: '正在加载数据…',
    clearAll: '清除全部联动',
    linked: '联动筛选',
    back: '返回',
  },
  'en-US': {
    invalid: 'Invalid dashboard spec',
    loading: 'Loading data…',
    clearAll: 'Clear all selections',
    linked: 'Linked filters',
    back: 'Back',
  },
};

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

/** A widget's cross-filter selection. */
interface Selection {
  clause: FilterClause;
  label: string;
  /** The dataset of the selecting widget (which widgets the clause applies to, scope.ts). */
  from?: string;
  /**
   * RFM segments: what the others apply instead, `customer_id in [members]` (null while unknown or
   * when listing them failed), and the signature of the members request it came from.
   */
  applied?: FilterClause | null;
  sig?: string;
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

const newPrepareState = (): PrepareState => ({
  timer: null,
  dims: null,
  recorded: new Map(),
  done: new Set(),
  failed: false,
});
let dashboardSeq = 0;
/** Bound on recorded requests per round (a dashboard sends a few dozen). */
const RECORD_LIMIT = 256;

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

/**
 * A dashboard composed from a JSON spec: loads data into one engine (in-thread, worker or
 * remote), lays widgets out on a 12-column responsive grid, and links them: a selection in one
 * widget filters every other (crossfilter), drill paths regroup a widget with a breadcrumb back.
 *
 * @summary Dashboard from a JSON spec with linked cross-filtering.
 * @tag fin-dashboard
 * @csspart base - The dashboard.
 * @csspart header - Title, filter bar and selection chips.
 * @csspart grid - The widget grid.
 * @csspart error - Spec validation or loading error.
 * @cssproperty --fin-dashboard-gap - Grid gap.
 * @fires fin-error - The spec is invalid or data failed to load.
 * @fires fin-prepare - A cross-filter cube was built (or failed to build; selections still work, slower).
 */
export class FinDashboard extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      [part='base'] {
        background: transparent;
        border: 0;
        box-shadow: none;
        padding: 0;
        overflow: visible;
      }
      [part='grid'] {
        display: grid;
        grid-template-columns: repeat(var(--_cols), minmax(0, 1fr));
        grid-auto-rows: minmax(var(--_row), auto);
        gap: var(--fin-dashboard-gap, 12px);
      }
      [part='grid'] > * {
        min-width: 0;
      }
      .load-report {
        font-size: 12px;
        color: var(--fin-color-warning-text, #8a5a00);
        background: var(--fin-color-warning-bg, #fff7e6);
        border-radius: var(--fin-radius, 6px);
        padding: 4px 8px;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
        font-size: 12px;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        padding: 2px 4px 2px 8px;
        border: 1px solid var(--_color-accent);
        border-radius: 999px;
        color: var(--_color-accent);
      }
      .crumbs {
        font-size: 12px;
        display: flex;
        gap: 4px;
        align-items: center;
      }
      [part='error'] ul {
        text-align: start;
        margin: 0;
        padding-inline-start: 18px;
      }
      .dash-header {
        flex-direction: column;
        align-items: stretch;
        gap: 8px;
      }
      h2 {
        margin: 0;
        font-size: 18px;
      }
    `,
  ];

  private spec_: DashboardSpec | null = null;
  /**
   * The dashboard spec (see docs/dashboard-spec.md), any supported version: older versions are
   * migrated on assignment (src/dashboard/migrate.ts), so reading it back gives the current version.
   * A spec newer than the library is kept as given and refused by validation.
   */
  @property({ attribute: false })
  get spec(): DashboardSpec | null {
    return this.spec_;
  }
  set spec(value: AnyDashboardSpec | null) {
    const old = this.spec_;
    this.spec_ = value ? ((migrateSpec(value).spec as DashboardSpec | undefined) ?? (value as DashboardSpec)) : null;
    this.requestUpdate('spec', old);
  }
  /** Data by dataset name, loaded in addition to the spec's sources. */
  @property({ attribute: false }) data: Record<string, unknown> | null = null;
  /** Use this engine instead of creating one from the spec. */
  @property({ attribute: false }) engine: Engine | null = null;
  /**
   * For `placement: 'worker'`: a Worker, a function creating one, or the worker script's URL.
   * Default: `spec.engine.workerUrl`, else the worker that ships with the package (see docs/embedding.md).
   */
  @property({ attribute: false }) worker: Worker | (() => Worker) | string | URL | null = null;
  @property({ reflect: true }) locale = '';
  @property({ reflect: true }) theme: 'light' | 'dark' = 'light';
  /** Keep filters and selections in `location.hash` so a view can be shared. */
  @property({ type: Boolean, attribute: 'hash-state' }) hashState = false;

  @provide({ context: finContext }) @state() protected ctx: FinDashboardContext = this.makeCtx();

  @state() private issues: SpecIssue[] = [];
  @state() private loadError: { code: string; message: string } | null = null;
  /** Load reports of datasets that rejected rows, shown in the header (issue 13 #5). */
  @state() private loadReports: DataQualityReport[] = [];
  @state() private ready = false;
  /** Global filter clauses by filter id (from the filter bar). */
  @state() private global = new Map<string, FilterClause[]>();
  /** Selections by widget id. */
  @state() private selections = new Map<string, Selection>();
  /** Per widget, the latest RFM segment resolution started (an older answer is dropped). */
  private segmentSeq = new Map<string, number>();
  /** Column names of the loaded datasets (which widgets a selection applies to, scope.ts). */
  private columnsBy: DatasetColumns | null = null;
  /** Disconnected since the last load (reconnecting loads again). */
  private disconnected = false;
  /** Drill state by widget id: the values chosen at each level so far. */
  @state() private drills = new Map<
    string,
    Array<{ field: string; value: string | number | boolean | null }>
  >();
  private engineOwned: Engine | null = null;
  private loadSeq = 0;
  private version = 0;
  private lastDate = '';
  private prep: PrepareState = newPrepareState();
  /** This dashboard's builds in the engine (PrepareOptions.key): a newer one stops an older one. */
  private readonly prepareKey = `fin-dashboard-${++dashboardSeq}`;
  /** The recording view of the engine handed to widgets (see recordingEngine), per engine. */
  private widgetEngine: { engine: Engine; view: Engine } | null = null;
  private readonly onSelect = (e: Event): void => this.handleSelect(e as FinSelectEvent);

  get lang_(): Locale {
    return toLocale(this.locale || document.documentElement.lang || 'zh-CN');
  }

  /** Whether data is loaded and widgets can query. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The engine in use (after the spec is applied). */
  get activeEngine(): Engine | null {
    return this.engine ?? this.engineOwned;
  }

  /** Current selections (widget id → clause), for hosts and tests. */
  get selectionClauses(): Record<string, FilterClause> {
    return Object.fromEntries([...this.selections].map(([k, v]) => [k, v.clause]));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('fin-select', this.onSelect);
    // Moved in the DOM (a framework re-parenting it): the disconnect disposed the engine, load again.
    if (this.disconnected) {
      this.disconnected = false;
      if (this.spec) void this.load();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('fin-select', this.onSelect);
    this.disconnected = true;
    this.loadSeq++;
    this.resetPrepare();
    this.engineOwned?.dispose();
    this.engineOwned = null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('spec') || changed.has('data') || changed.has('engine')) void this.load();
    // A new round of widget requests starts (widgets re-query after this update): record it afresh.
    if (this.ready && (changed.has('global') || changed.has('drills'))) this.prep.recorded.clear();
    if (
      changed.has('locale') ||
      changed.has('theme') ||
      changed.has('global') ||
      changed.has('selections') ||
      changed.has('drills') ||
      changed.has('ready') ||
      changed.has('loadError')
    ) {
      this.ctx = this.makeCtx();
      if (this.hashState && this.ready) this.writeHash();
    }
  }

  private makeCtx(): FinDashboardContext {
    this.version++;
    const engine = this.engine ?? this.engineOwned;
    return {
      engine: this.viewFor(engine),
      locale: this.lang_,
      theme: this.theme,
      version: this.version,
      ready: this.ready,
      error: this.loadError,
      filtersFor: (id) => this.filtersFor(id),
    };
  }

  /** The engine as handed to widgets: queries pass through `record` on their way. */
  private viewFor(engine: Engine | null): Engine | null {
    if (!engine) return null;
    if (this.widgetEngine?.engine !== engine)
      this.widgetEngine = { engine, view: recordingEngine(engine, (req) => this.record(req)) };
    return this.widgetEngine.view;
  }

  /** Keep a widget request (minus other widgets' selections, matched by identity) as a cube base. */
  private record(req: QueryRequest): void {
    try {
      const st = this.prep;
      if (
        !this.ready ||
        st.failed ||
        st.recorded.size >= RECORD_LIMIT ||
        !this.spec ||
        !prepareSettings(this.spec)
      )
        return;
      const sent = new Set<FilterClause>();
      for (const s of this.selections.values()) sent.add(s.applied ?? s.clause);
      const base = baseRequest(req, [], sent);
      st.recorded.set(baseKey(base), base);
    } catch {
      // Recording is an optimisation: a request it cannot read is simply not pre-computed.
    }
  }

  /** Global filters + other widgets' selections + this widget's drill path (crossfilter). */
  filtersFor(widgetId: string): FilterClause[] {
    const out: FilterClause[] = [];
    for (const c of this.global.values()) out.push(...c);
    const to = this.widgetSource(widgetId);
    for (const [id, s] of this.selections) {
      if (id === widgetId) continue;
      // An RFM segment filters as its members (`customer_id in [...]`), once they are known.
      const c = s.clause.field === RFM_SEGMENT_FIELD ? s.applied : s.clause;
      // A selection applies where its field is the same column (an action's channel is not a loan's).
      if (c && selectionApplies(this.columnsBy, s.from, to, c.field)) out.push(c);
    }
    for (const step of this.drills.get(widgetId) ?? [])
      out.push({ field: step.field, op: 'eq', value: step.value });
    return out;
  }

  private async load(): Promise<void> {
    const my = ++this.loadSeq;
    this.resetPrepare();
    this.columnsBy = null;
    this.ready = false;
    this.loadError = null;
    const spec = this.spec;
    if (!spec) return;
    const issues = validateSpec(spec);
    this.issues = issues;
    if (issues.length) {
      this.dispatchEvent(
        new FinErrorEvent({
          code: 'bad_spec',
          message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
          details: { issues },
        }),
      );
      return;
    }
    if (this.hashState) this.readHash();
    try {
      let engine = this.engine;
      if (!engine) {
        this.engineOwned?.dispose();
        const { createEngine } = await import('../../src/engine/create.js');
        const placement = spec.engine?.placement ?? 'thread';
        engine =
          placement === 'worker'
            ? createEngine({ placement, worker: (this.worker as never) ?? (spec.engine?.workerUrl ? new URL(spec.engine.workerUrl, document.baseURI) : undefined) })
            : placement === 'remote'
              ? createEngine({ placement, url: spec.engine!.url! })
              : createEngine();
        this.engineOwned = engine;
      }
      if (spec.sample) await (engine as Engine & { loadSample(o: object): Promise<unknown> }).loadSample(spec.sample);
      for (const s of spec.sources ?? []) {
        const input = s.url ? { url: s.url } : s.rows;
        await engine.load(s.name, input as never, s.fields ? { fields: s.fields } : {});
      }
      for (const [name, input] of Object.entries(this.data ?? {})) await engine.load(name, input as never);
      if (my !== this.loadSeq) return;
      this.lastDate = await this.latestDate(engine);
      if (my !== this.loadSeq) return;
      const infos = await engine.datasetsInfo();
      this.columnsBy = new Map(infos.map((d) => [d.name, new Set(d.columns)]));
      this.loadReports = infos.map((d) => d.report).filter((r) => r && r.rowsRejected > 0);
      this.applyDefaultFilters(spec);
      this.ready = true;
    } catch (e) {
      if (my !== this.loadSeq) return;
      const err = e as { code?: string; message?: string };
      this.loadError = { code: err.code ?? 'bad_input', message: err.message ?? String(e) };
      this.dispatchEvent(new FinErrorEvent({ code: this.loadError.code, message: this.loadError.message }));
    }
  }

  /** Latest date in the data (for date presets), from the engine's `date_extent` metric. */
  private async latestDate(engine: Engine): Promise<string> {
    const fields = this.spec?.filters?.find((f) => f.type === 'date-range');
    if (!fields || fields.type !== 'date-range') return '';
    const infos = await engine.datasetsInfo();
    for (const f of fields.fields) {
      const ds = infos.find((d) => d.columns.includes(f));
      if (!ds) continue;
      const r = await engine.query({ metric: 'distinct', source: ds.name, params: { field: `${f}.month` } });
      const months = r.data.map((x) => String((x as { value: unknown }).value)).sort();
      if (months.length) {
        const last = months[months.length - 1]!;
        return `${last}-28`;
      }
    }
    return '';
  }

  private applyDefaultFilters(spec: DashboardSpec): void {
    const next = new Map(this.global);
    for (const f of spec.filters ?? []) {
      if (f.type === 'date-range' && f.default && f.default !== 'all' && !next.has(f.id) && this.lastDate) {
        next.set(f.id, this.dateClauses(f.fields, f.default));
      }
    }
    this.global = next;
  }

  private dateClauses(fields: string[], preset: DatePreset, custom?: [string, string]): FilterClause[] {
    const range = custom ?? presetRange(preset, this.lastDate || new Date().toISOString().slice(0, 10));
    if (range[0] === null && range[1] === null) return [];
    return fields.map((field) => ({ field, op: 'range' as const, value: range }));
  }

  private handleSelect(e: FinSelectEvent): void {
    const d = e.detail;
    const w = this.spec?.widgets.find((x) => x.id === d.source);
    if (!w) return;
    if (w.drill && d.clause && d.clause.op === 'eq') {
      const path = this.drills.get(w.id) ?? [];
      const level = path.length;
      if (level < w.drill.levels.length - 1 && d.clause.field === w.drill.levels[level]!.field) {
        const next = new Map(this.drills);
        next.set(w.id, [...path, { field: d.clause.field, value: d.clause.value }]);
        this.drills = next;
        this.dispatchEvent(
          new FinDrilldownEvent({ field: w.drill.levels[level + 1]!.field, value: d.clause.value, path: next.get(w.id)!, source: w.id }),
        );
        this.requestUpdate();
        return;
      }
    }
    if (w.crossfilter === false) return;
    this.staleSegment(w.id);
    if (d.clause && d.clause.field === RFM_SEGMENT_FIELD) {
      void this.selectSegment(w, d.clause, d.label);
      return;
    }
    const next = new Map(this.selections);
    if (d.clause) {
      const from = this.widgetSource(w.id);
      next.set(
        w.id,
        from ? { clause: d.clause, label: d.label, from } : { clause: d.clause, label: d.label },
      );
    } else next.delete(w.id);
    this.selections = next;
  }

  /** The dataset a widget's metric runs on, from its latest result (undefined before one). */
  private widgetSource(widgetId: string): string | undefined {
    const w = this.spec?.widgets.find((x) => x.id === widgetId);
    return w ? this.widgetElement(w)?.currentResult?.basis.source : undefined;
  }

  /** The element of a widget (null before it is created). */
  private widgetElement(w: WidgetSpec): FinElement | null {
    const cell = this.renderRoot.querySelector<HTMLElement>(`[data-widget="${CSS.escape(w.id)}"]`);
    return cell?.querySelector<FinElement>(WIDGET_TAGS[w.type]) ?? null;
  }

  /**
   * Select an RFM segment of widget `w`: its members are asked for first, so that the other widgets
   * re-query once, already filtered on them.
   */
  private async selectSegment(
    w: WidgetSpec,
    clause: FilterClause,
    label: string,
    from = this.widgetSource(w.id),
  ): Promise<void> {
    const seq = this.segmentSeq.get(w.id) ?? 0;
    const answer = await this.resolveSegment(w, clause);
    if (this.segmentSeq.get(w.id) !== seq || !this.spec?.widgets.includes(w)) return; // changed meanwhile
    const next = new Map(this.selections);
    const sel: Selection = { clause, label, applied: answer?.applied ?? null, sig: answer?.sig ?? '' };
    if (from) sel.from = from;
    next.set(w.id, sel);
    this.selections = next;
  }

  /**
   * The members of the segments `clause` selects in widget `w`, as the clause other widgets apply,
   * and the signature of the request that produced them (null when the widget cannot list them).
   * A failure is reported as `fin-error`; the selection then filters nothing.
   */
  private async resolveSegment(
    w: WidgetSpec,
    clause: FilterClause,
  ): Promise<{ applied: FilterClause | null; sig: string } | null> {
    const req = this.membersRequest(w, clause);
    const engine = this.activeEngine;
    if (!req || !engine) return null;
    const sig = JSON.stringify(req);
    try {
      return { applied: membersClause(await engine.query(req)), sig };
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown };
      this.dispatchEvent(
        new FinErrorEvent({
          code: typeof err?.code === 'string' ? err.code : 'selection_failed',
          message: `RFM segment selection of widget "${w.id}" could not be resolved: ${typeof err?.message === 'string' ? err.message : String(e)}`,
          details: { widget: w.id, clause },
        }),
      );
      return { applied: null, sig };
    }
  }

  /**
   * Segment selections whose members are missing (restored from the URL) or were listed under other
   * filters than the RFM widget has now (a date range, another widget's selection): list them again.
   */
  private refreshSegments(): void {
    const spec = this.spec;
    if (!spec || !this.ready) return;
    for (const [id, s] of this.selections) {
      if (s.clause.field !== RFM_SEGMENT_FIELD) continue;
      const w = spec.widgets.find((x) => x.id === id);
      const req = w ? this.membersRequest(w, s.clause) : null;
      if (!w || !req || s.sig === JSON.stringify(req)) continue;
      this.staleSegment(id);
      void this.selectSegment(w, s.clause, s.label, s.from);
    }
  }

  /** The members request of widget `w` for the segments `clause` selects (null when it lists none). */
  private membersRequest(w: WidgetSpec, clause: FilterClause): QueryRequest | null {
    const el = this.widgetElement(w) as
      (FinElement & { membersRequest?: (s: string[]) => QueryRequest }) | null;
    const ids = segmentIds(clause);
    return el && typeof el.membersRequest === 'function' && ids.length ? el.membersRequest(ids) : null;
  }

  /** A segment answer still on its way for this widget is stale from now on. */
  private staleSegment(widgetId: string): void {
    this.segmentSeq.set(widgetId, (this.segmentSeq.get(widgetId) ?? 0) + 1);
  }

  /** Clear one widget's selection, or all. */
  clearSelection(widgetId?: string): void {
    for (const id of widgetId ? [widgetId] : [...this.segmentSeq.keys()]) this.staleSegment(id);
    if (!widgetId) this.selections = new Map();
    else {
      const next = new Map(this.selections);
      next.delete(widgetId);
      this.selections = next;
    }
  }

  /** Walk a widget's drill path back to `level` (0 = top). */
  drillTo(widgetId: string, level: number): void {
    const next = new Map(this.drills);
    const path = next.get(widgetId) ?? [];
    next.set(widgetId, path.slice(0, level));
    this.drills = next;
  }

  private onFilters(e: CustomEvent<{ id: string; clauses: FilterClause[] }>): void {
    const next = new Map(this.global);
    next.set(e.detail.id, e.detail.clauses);
    this.global = next;
  }

  private writeHash(): void {
    const state = {
      g: Object.fromEntries(this.global),
      // Members of a segment are listed again on load, never carried in the URL.
      s: Object.fromEntries(
        [...this.selections].map(([k, v]) => [
          k,
          { clause: v.clause, label: v.label, ...(v.from ? { from: v.from } : {}) },
        ]),
      ),
    };
    const h = `#fin=${encodeURIComponent(JSON.stringify(state))}`;
    if (location.hash !== h) history.replaceState(null, '', h);
  }

  private readHash(): void {
    const m = /#fin=([^&]+)/.exec(location.hash);
    if (!m) return;
    try {
      const st = JSON.parse(decodeURIComponent(m[1]!)) as {
        g?: Record<string, FilterClause[]>;
        s?: Record<string, { clause: FilterClause; label: string; from?: unknown }>;
      };
      const okClause = (c: unknown): c is FilterClause =>
        !!c &&
        typeof c === 'object' &&
        typeof (c as FilterClause).field === 'string' &&
        ['eq', 'in', 'range'].includes((c as FilterClause).op);
      this.global = new Map(
        Object.entries(st.g ?? {}).filter(([, v]) => Array.isArray(v) && v.every(okClause)),
      );
      this.selections = new Map(
        Object.entries(st.s ?? {})
          .filter(([, v]) => v && okClause(v.clause))
          .map(([k, v]): [string, Selection] => [
            k,
            {
              clause: v.clause,
              label: String(v.label ?? ''),
              ...(typeof v.from === 'string' ? { from: v.from } : {}),
            },
          ]),
      );
    } catch {
      // A malformed hash is ignored: the dashboard starts from its defaults.
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Cross-filter cube (engine.prepare): built in the background once the widgets have their first
  // results, and again when the base filters change; never blocks a render, never throws.

  /** Forget the cube state of the current load (a new load, a disconnect). */
  private resetPrepare(): void {
    if (this.prep.timer !== null) clearTimeout(this.prep.timer);
    this.prep = newPrepareState();
  }

  /** Build (or extend) the cube `delay` ms from now; a later call within the delay replaces this one. */
  private schedulePrepare(delay: number): void {
    const st = this.prep;
    if (st.failed || !this.spec || !prepareSettings(this.spec)) return;
    const engine = this.activeEngine;
    if (!engine || typeof engine.prepare !== 'function') return;
    if (st.timer !== null) clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = null;
      void this.runPrepare(st);
    }, delay);
  }

  /**
   * A build for the current round. Every build of this dashboard carries its key, so a build still
   * running for an earlier date range stops (superseded) when this one reaches the engine.
   */
  private async runPrepare(st: PrepareState): Promise<void> {
    try {
      await this.prepareOnce(st);
    } catch {
      // prepareOnce reports its own failures; anything else is not worth a broken dashboard.
    }
  }

  private async prepareOnce(st: PrepareState): Promise<void> {
    const spec = this.spec;
    const settings = spec ? prepareSettings(spec) : null;
    const engine = this.activeEngine;
    if (!spec || !settings || !engine || typeof engine.prepare !== 'function') return;
    await this.widgetsSettled(st);
    if (st !== this.prep || !this.ready) return;
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
      const opts: PrepareOptions = { dimensions: dims, requests, key: this.prepareKey };
      if (settings.maxDims !== undefined) opts.maxDims = settings.maxDims;
      if (settings.maxCombos !== undefined) opts.maxCombos = settings.maxCombos;
      for (const k of fresh.keys()) st.done.add(k);
      const info = await engine.prepare(opts);
      if (st !== this.prep) return;
      // Stopped by a newer build: what it did not reach may be asked for again in a later round.
      if (info.superseded) for (const k of fresh.keys()) st.done.delete(k);
      this.dispatchEvent(
        new FinPrepareEvent({ ok: true, dimensions: dims, requests: requests.length, info }),
      );
    } catch (e) {
      if (st !== this.prep) return; // reloaded or disconnected meanwhile: nothing to report
      st.failed = true;
      const err = e as { code?: unknown; message?: unknown };
      this.dispatchEvent(
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
    const sources = categorySources(settings.dimensions, await engine.datasetsInfo());
    const out: string[] = [];
    for (const [field, source] of sources) {
      if (settings.auto) {
        const r = await engine.query({
          metric: 'distinct',
          source,
          params: { field, limit: MAX_AUTO_VALUES + 1 },
        });
        if (r.data.length > MAX_AUTO_VALUES) continue;
      }
      out.push(field);
    }
    return out;
  }

  /** The element of each widget, in spec order (missing ones skipped). */
  private widgetElements(spec: DashboardSpec): Array<{ w: WidgetSpec; el: FinElement }> {
    const out: Array<{ w: WidgetSpec; el: FinElement }> = [];
    for (const w of spec.widgets) {
      const el = this.widgetElement(w);
      if (el) out.push({ w, el });
    }
    return out;
  }

  /** Until every widget has answered its current query (or SETTLE_MAX_MS passed, or a reload). */
  private async widgetsSettled(st: PrepareState): Promise<void> {
    for (let waited = 0; waited < SETTLE_MAX_MS && st === this.prep; waited += SETTLE_POLL_MS) {
      const els = this.spec ? this.widgetElements(this.spec) : [];
      if (els.length && els.every(({ el }) => el.renderState !== 'loading' && el.renderState !== 'idle'))
        return;
      await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    }
  }

  protected override render(): TemplateResult {
    const L = T[this.lang_];
    const spec = this.spec;
    if (this.issues.length) {
      return html`<section part="base">
        <div part="error" role="alert">
          <strong>${L.invalid}</strong>
          <ul>
            ${this.issues.map((i) => html`<li><code>${i.path}</code>: ${i.message}</li>`)}
          </ul>
        </div>
      </section>`;
    }
    if (!spec) return html``;
    const cols = spec.layout?.columns ?? 12;
    const row = spec.layout?.rowHeight ?? 90;
    const width = this.clientWidth || 1200;
    const bp = spec.layout?.breakpoints ?? {};
    // Wide: each widget at its grid place. Narrower: stacked in reading order, wider spans.
    const narrow = width < (bp.md ?? 1000);
    const column = (w: WidgetSpec): string => {
      const g = w.grid;
      if (!narrow) return `${g.x + 1} / span ${Math.min(cols, g.w)}`;
      return `span ${width < (bp.sm ?? 640) ? cols : Math.min(cols, Math.max(g.w * 2, 6))}`;
    };
    const ordered = narrow ? readingOrder(spec.widgets.map((w) => ({ ...w.grid, widget: w }))).map((i) => i.widget) : spec.widgets;
    return html`<section part="base" style=${safeStyle({ '--_cols': String(cols), '--_row': `${row}px` })}>
      <div part="header" class="dash-header">
        <h2>${pick(spec.title, this.lang_)}</h2>
        ${
          spec.filters?.length
            ? html`<fin-filter-bar
                .filters=${spec.filters}
                .engine=${this.activeEngine}
                .ready=${this.ready}
                .lastDate=${this.lastDate}
                locale=${this.lang_}
                theme=${this.theme}
                @fin-filters=${this.onFilters}
              ></fin-filter-bar>`
            : nothing
        }
        ${
          this.loadReports.length
            ? html`<div part="load-report" class="load-report" role="note">
                ${this.loadReports.map((r) => {
                  const w = r.warnings.find((x) => x.code === 'rows_rejected');
                  return html`<div>
                    <strong>${r.dataset}</strong>:
                    ${w ? w.message[this.lang_] : `${r.rowsRejected} / ${r.rowsRead}`}
                  </div>`;
                })}
              </div>`
            : nothing
        }
        ${
          this.selections.size
            ? html`<div class="chips" role="status" aria-label=${L.linked}>
                <span>${L.linked}:</span>
                ${[...this.selections].map(
                  ([id, s]) =>
                    html`<span class="chip"
                      >${s.label || s.clause.field}<button
                        aria-label=${`${L.clearAll}: ${s.label}`}
                        @click=${() => this.clearSelection(id)}
                      >
                        ×
                      </button></span
                    >`,
                )}
                <button @click=${() => this.clearSelection()}>${L.clearAll}</button>
              </div>`
            : nothing
        }
      </div>
      ${this.loadError ? html`<div part="error" role="alert"><strong>${this.loadError.code}</strong><span class="detail">${this.loadError.message}</span></div>` : nothing}
      <div part="grid">
        ${ordered.map(
          (w) =>
            html`<div
              style=${safeStyle({ gridColumn: column(w), gridRow: narrow ? `span ${w.grid.h}` : `${w.grid.y + 1} / span ${w.grid.h}` })}
              data-widget=${w.id}
            >
              ${this.renderCrumbs(w)}
            </div>`,
        )}
      </div>
    </section>`;
  }

  private renderCrumbs(w: WidgetSpec): TemplateResult | typeof nothing {
    const path = this.drills.get(w.id);
    if (!w.drill || !path?.length) return nothing;
    return html`<nav class="crumbs" aria-label="breadcrumb">
      <button @click=${() => this.drillTo(w.id, 0)}>
        ${w.drill.levels[0]?.label ? pick(w.drill.levels[0].label, this.lang_) : T[this.lang_].back}
      </button>
      ${path.map((p, i) => html`<span aria-hidden="true">›</span><button @click=${() => this.drillTo(w.id, i + 1)} aria-current=${i === path.length - 1 ? 'page' : 'false'}>${String(p.value)}</button>`)}
    </nav>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const spec = this.spec;
    if (!spec || this.issues.length) return;
    this.configureWidgets(spec);
    if (this.ready) {
      // Base filters (date range, multi-value filters) and drill levels change the widgets' requests:
      // the cube is keyed by them. Selections do not (they are what the cube answers).
      const names = changed as PropertyValues;
      if (names.has('ready')) this.schedulePrepare(0);
      else if (names.has('global') || names.has('drills')) this.schedulePrepare(PREPARE_DEBOUNCE_MS);
      if (names.has('ready') || names.has('global') || names.has('drills') || names.has('selections'))
        this.refreshSegments();
    }
  }

  private configureWidgets(spec: DashboardSpec): void {
    // Widgets are created imperatively from the allowlist (no tag names from data in templates).
    for (const w of spec.widgets) {
      const cell = this.renderRoot.querySelector<HTMLElement>(`[data-widget="${CSS.escape(w.id)}"]`);
      if (!cell) continue;
      const tag = WIDGET_TAGS[w.type];
      let el = cell.querySelector<HTMLElement & Record<string, unknown>>(tag);
      if (!el) {
        el = document.createElement(tag) as HTMLElement & Record<string, unknown>;
        el.style.height = '100%';
        cell.append(el);
      }
      el['widgetId'] = w.id;
      el['heading'] = w.title ? pick(w.title, this.lang_) : '';
      el['locale'] = this.lang_;
      el['theme'] = this.theme;
      if (w.metric) el['metric'] = w.metric;
      if (w.source) el['source'] = w.source;
      const path = this.drills.get(w.id) ?? [];
      const level = w.drill ? w.drill.levels[Math.min(path.length, w.drill.levels.length - 1)] : undefined;
      const params = { ...(w.params ?? {}), ...(level?.params ?? {}) };
      if (JSON.stringify(el['params']) !== JSON.stringify(params)) el['params'] = params;
      if (w.filters && JSON.stringify(el['filters']) !== JSON.stringify(w.filters)) el['filters'] = w.filters;
      for (const [k, v] of Object.entries({ ...(w.props ?? {}), ...(level?.props ?? {}) }))
        if (ALLOWED_PROPS.has(k) && el[k] !== v) el[k] = v;
    }
  }
}

export type { FinFilterBar };
