import { provide } from '@lit/context';
import { html, LitElement, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import type { AnyDashboardSpec, DashboardSpec, FilterSpec, WidgetSpec } from '../../src/dashboard/spec.js';
import { migrateSpec } from '../../src/dashboard/migrate.js';
import { readingOrder } from '../../src/dashboard/grid.js';
import { prepareSettings } from '../../src/dashboard/prepare.js';
import type { Engine } from '../../src/engine/engine-types.js';
import type { FilterClause } from '../../src/engine/types.js';
import { pick } from '../../src/format/messages.js';
import { toLocale } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import { finContext } from '../base/context.js';
import type { FinDashboardContext } from '../base/context.js';
import { safeStyle } from '../base/safe-style.js';
import { CubeController } from './cube.js';
import { dashboardStyles } from './dashboard-styles.js';
import type { FinFilterBar } from './filter-bar.js';
import { HashStateController } from './hash-state.js';
import { renderLoadReport } from './load-report.js';
import { LoadController } from './loader.js';
import { SegmentController } from './segment-members.js';
import { SelectionController } from './selection.js';
import { watermarkLayer, watermarkPatternId } from '../base/watermark.js';
import { configureWidget, widgetCell, widgetElement } from './widget-cells.js';

export { FinPrepareEvent } from './cube.js';
export type { FinPrepareDetail } from './cube.js';

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

/**
 * A dashboard composed from a JSON spec: loads data into one engine (in-thread, worker or
 * remote), lays widgets out on a 12-column responsive grid, and links them: a selection in one
 * widget filters every other (crossfilter), drill paths regroup a widget with a breadcrumb back.
 * A new `spec` with the same `id` and data sources is applied live (layout, widgets, filters) without
 * loading the data again; only widgets whose settings changed query again.
 *
 * The element is layout and wiring; each responsibility is a controller in this folder: loader.ts
 * (spec, engine, data), selection.ts (filters, selections, drill paths), segment-members.ts (RFM
 * segments as customer ids), cube.ts (`engine.prepare`), hash-state.ts (`hash-state`), and
 * widget-cells.ts (the widget elements).
 *
 * @summary Dashboard from a JSON spec with linked cross-filtering.
 * @tag fin-dashboard
 * @csspart base - The dashboard.
 * @csspart header - Title, filter bar and selection chips.
 * @csspart grid - The widget grid.
 * @csspart error - Spec validation or loading error.
 * @cssproperty --fin-dashboard-gap - Grid gap.
 * @cssproperty --fin-watermark-opacity - Opacity of the watermark layer, clamped to [0.08, 0.5] (default 0.16).
 * @fires fin-error - The spec is invalid or data failed to load.
 * @fires fin-prepare - A cross-filter cube was built (or failed to build; selections still work, slower).
 */
export class FinDashboard extends LitElement {
  static override styles = dashboardStyles;

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
  /**
   * Watermark text (全局水印) drawn over the dashboard and into every widget's exports, for hosts
   * without a remote engine. The engine's server watermark (`engine.session()`) wins over it.
   */
  @property() watermark = '';
  /** Keep filters and selections in `location.hash` so a view can be shared. */
  @property({ type: Boolean, attribute: 'hash-state' }) hashState = false;

  // The controllers (one responsibility each, see the class comment) and their wiring.
  private readonly selection = new SelectionController(this, {
    spec: () => this.spec,
    sourceOf: (id) => this.widgetSource(id),
    columns: () => this.loader.columns,
    selectSegment: (w, clause, label) => void this.segments.select(w, clause, label),
    staleSegment: (id) => this.segments.stale(id),
  });
  private readonly segments = new SegmentController(this, this.selection, (id) => this.widgetSource(id));
  private readonly cube = new CubeController(this, this.selection);
  private readonly hash = new HashStateController(this, this.selection);
  private readonly loader = new LoadController(this, {
    started: () => this.cube.reset(),
    restore: () => {
      if (this.hashState) this.hash.read();
    },
    defaults: (spec, lastDate, reset) => this.selection.applyDefaults(spec, lastDate, reset),
    relaid: (prev, spec) => {
      this.selection.prune(prev, spec);
      if (JSON.stringify(prepareSettings(prev)) !== JSON.stringify(prepareSettings(spec))) this.cube.settingsChanged();
    },
  });
  private version = 0;
  /** The filter state the context was last made for (a change gives widgets a new one: they re-query). */
  private ctxState = '';
  /** The filter bar's filters, kept while their content is the same (new ones start a fresh bar). */
  private bar: { key: string; filters: FilterSpec[] } | null = null;
  private readonly watermarkId = watermarkPatternId();

  @provide({ context: finContext }) @state() protected ctx: FinDashboardContext = this.makeCtx();

  get lang_(): Locale {
    return toLocale(this.locale || document.documentElement.lang || 'zh-CN');
  }

  /** Whether data is loaded and widgets can query. */
  get isReady(): boolean {
    return this.loader.ready;
  }

  /** The engine in use (after the spec is applied). */
  get activeEngine(): Engine | null {
    return this.loader.engine;
  }

  /** The watermark drawn over the dashboard and into its widgets' exports: the server's, else the `watermark` property; null when none. */
  get watermarkText(): string | null {
    return this.loader.watermark ?? (this.watermark || null);
  }

  /** Current selections (widget id → clause), for hosts and tests. */
  get selectionClauses(): Record<string, FilterClause> {
    return Object.fromEntries([...this.selection.selections].map(([k, v]) => [k, v.clause]));
  }

  /** This dashboard's key for its cube builds in the engine. */
  private get prepareKey(): string {
    return this.cube.key;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('data') || changed.has('engine')) void this.loader.load();
    else if (changed.has('spec')) this.loader.specChanged();
    const now = `${this.loader.statusRevision}:${this.selection.revision}`;
    if (changed.has('locale') || changed.has('theme') || changed.has('watermark') || now !== this.ctxState) this.ctx = this.makeCtx();
  }

  private makeCtx(): FinDashboardContext {
    this.version++;
    this.ctxState = `${this.loader.statusRevision}:${this.selection.revision}`;
    return {
      engine: this.cube.view(this.activeEngine),
      locale: this.lang_,
      theme: this.theme,
      version: this.version,
      ready: this.loader.ready,
      error: this.loader.loadError,
      watermark: this.watermarkText,
      filtersFor: (id) => this.filtersFor(id),
    };
  }

  /** Global filters + other widgets' selections + this widget's drill path (crossfilter). */
  filtersFor(widgetId: string): FilterClause[] {
    return this.selection.filtersFor(widgetId);
  }

  /** The dataset a widget's metric runs on, from its latest result (undefined before one). */
  private widgetSource(widgetId: string): string | undefined {
    const w = this.spec?.widgets.find((x) => x.id === widgetId);
    return w ? widgetElement(this.renderRoot, w)?.currentResult?.basis.source : undefined;
  }

  /** Clear one widget's selection, or all. */
  clearSelection(widgetId?: string): void {
    this.selection.clear(widgetId);
  }

  /** Walk a widget's drill path back to `level` (0 = top). */
  drillTo(widgetId: string, level: number): void {
    this.selection.drillTo(widgetId, level);
  }

  private onFilters(e: CustomEvent<{ id: string; clauses: FilterClause[] }>): void {
    this.selection.setFilter(e.detail.id, e.detail.clauses);
  }

  /** Write the filters and selections to `location.hash` now. */
  private writeHash(): void {
    this.hash.write();
  }

  protected override render(): TemplateResult {
    const L = T[this.lang_];
    const spec = this.spec;
    const issues = this.loader.issues;
    if (issues.length) {
      return html`<section part="base">
        <div part="error" role="alert">
          <strong>${L.invalid}</strong>
          <ul>
            ${issues.map((i) => html`<li><code>${i.path}</code>: ${i.message}</li>`)}
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
    const error = this.loader.loadError;
    // DOM (and tab) order is the reading order of the places, whatever the order of `widgets`.
    const ordered = readingOrder(spec.widgets.map((w) => ({ ...w.grid, widget: w }))).map((i) => i.widget);
    // The frame (not a part) holds the dashboard and the watermark layer over it: host CSS reaches neither.
    return html`<div class="fin-frame"><section part="base" style=${safeStyle({ '--_cols': String(cols), '--_row': `${row}px` })}>
      <div part="header" class="dash-header">
        <h2>${pick(spec.title, this.lang_)}</h2>
        ${this.renderFilterBar(spec)} ${renderLoadReport(this.loader.reports, this.lang_)} ${this.renderChips()}
      </div>
      ${error ? html`<div part="error" role="alert"><strong>${error.code}</strong><span class="detail">${error.message}</span></div>` : nothing}
      <div part="grid">
        ${repeat(
          ordered,
          (w) => w.id,
          (w) =>
            html`<div
              style=${safeStyle({ gridColumn: column(w), gridRow: narrow ? `span ${w.grid.h}` : `${w.grid.y + 1} / span ${w.grid.h}` })}
              data-widget=${w.id}
            >
              ${this.renderCrumbs(w)}
            </div>`,
        )}
      </div>
    </section>${watermarkLayer(this.watermarkText, this.watermarkId)}</div>`;
  }

  private renderFilterBar(spec: DashboardSpec): TemplateResult | typeof nothing {
    if (!spec.filters?.length) return nothing;
    const key = JSON.stringify(spec.filters);
    if (this.bar?.key !== key) this.bar = { key, filters: spec.filters };
    return keyed(
      key,
      html`<fin-filter-bar
        .filters=${this.bar.filters}
        .engine=${this.activeEngine}
        .ready=${this.loader.ready}
        .lastDate=${this.loader.lastDate}
        locale=${this.lang_}
        theme=${this.theme}
        @fin-filters=${this.onFilters}
      ></fin-filter-bar>`,
    ) as TemplateResult;
  }

  private renderChips(): TemplateResult | typeof nothing {
    const L = T[this.lang_];
    const selections = this.selection.selections;
    if (!selections.size) return nothing;
    return html`<div class="chips" role="status" aria-label=${L.linked}>
      <span>${L.linked}:</span>
      ${[...selections].map(
        ([id, s]) =>
          html`<span class="chip"
            >${s.label || s.clause.field}<button aria-label=${`${L.clearAll}: ${s.label}`} @click=${() => this.clearSelection(id)}>
              ×
            </button></span
          >`,
      )}
      <button @click=${() => this.clearSelection()}>${L.clearAll}</button>
    </div>`;
  }

  private renderCrumbs(w: WidgetSpec): TemplateResult | typeof nothing {
    const path = this.selection.drillPath(w.id);
    if (!w.drill || !path.length) return nothing;
    return html`<nav class="crumbs" aria-label="breadcrumb">
      <button @click=${() => this.drillTo(w.id, 0)}>
        ${w.drill.levels[0]?.label ? pick(w.drill.levels[0].label, this.lang_) : T[this.lang_].back}
      </button>
      ${path.map((p, i) => html`<span aria-hidden="true">›</span><button @click=${() => this.drillTo(w.id, i + 1)} aria-current=${i === path.length - 1 ? 'page' : 'false'}>${String(p.value)}</button>`)}
    </nav>`;
  }

  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    // The widget elements, once their cells are rendered (before the controllers' hostUpdated).
    const spec = this.spec;
    if (!spec || this.loader.issues.length) return;
    for (const w of spec.widgets) {
      const cell = widgetCell(this.renderRoot, w.id);
      if (cell) configureWidget(cell, w, { locale: this.lang_, theme: this.theme, path: this.selection.drillPath(w.id) });
    }
  }
}

export type { FinFilterBar };
