import { consume } from '@lit/context';
import { ResizeController } from '@lit-labs/observers/resize-controller.js';
import { html, LitElement, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Engine } from '../../src/engine/engine-types.js';
import { jsonEqual } from '../../src/engine/json-equal.js';
import type { MetricId } from '../../src/engine/params.generated.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../src/engine/types.js';
import { errorText, msg, pick } from '../../src/format/messages.js';
import { toLocale } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import { finContext } from './context.js';
import type { FinDashboardContext } from './context.js';
import { FinErrorEvent, FinQualityEvent, FinRenderEvent, FinSelectEvent } from './events.js';
import type { FinRenderDetail } from './events.js';
import type { FinSelectDetail } from './events.js';
import { csvOf, download, svgText, svgToPng, tableToPng } from './export.js';
import type { ExportWatermark, TableModel } from './export.js';
import { basisPart, isDataProblem, qualityPart, tablePart } from './result-parts.js';
import { baseStyles } from './styles.js';
import { sessionWatermark, watermarkLayer, watermarkPatternId, watermarkStyles } from './watermark.js';

export type ElementState = 'idle' | 'loading' | 'ok' | 'partial' | 'empty' | 'error';

/** Input accepted by `.data`: rows / columnar / CSV text / Arrow bytes for the element's source, or datasets by name. */
export type ElementData = unknown;

const CANONICAL = new Set(['customers', 'loans', 'loan_months', 'collection_actions', 'transactions', 'funnel_events', 'campaign_spend']);

/**
 * Base of every Finboard element: the three ways of use (presentational `.result`, analytic
 * `.data`, dashboard context), one latest-wins query path, the named-part states (loading, empty,
 * partial, error), the basis panel, the data-table view, exports, link groups and events.
 * Subclasses supply the metric request, the chart, the table model and the text summary.
 *
 * @csspart base - The card.
 * @csspart header - Title row with tools.
 * @csspart title - The title.
 * @csspart chart - The chart area.
 * @csspart table - The data-table view.
 * @csspart loading - Loading state.
 * @csspart empty - Empty state.
 * @csspart error - Error state.
 * @csspart quality - Partial-data warning.
 * @csspart basis - The basis (口径) panel.
 * @csspart tooltip - Tooltip.
 * @fires fin-select - A selection (filter clause) was made or cleared.
 * @fires fin-error - Loading or computing failed.
 * @fires fin-quality - The result excluded rows or carries warnings.
 * @fires fin-render - The answer is on screen (chart painted, or the empty/error state shown); detail `{ state, ms }`.
 * @cssprop --fin-watermark-opacity - Opacity of the watermark layer, clamped to [0.08, 0.5] (default 0.16).
 */
export abstract class FinElement<P extends object = Record<string, unknown>> extends LitElement {
  static override styles = [baseStyles, watermarkStyles];

  /** A precomputed result to render (presentational use); wins over `data`. */
  @property({ attribute: false }) result: MetricResult | null = null;
  /** Raw data to compute from (analytic use): rows, columnar, CSV text, Arrow bytes, or `{ dataset: input }`. */
  @property({ attribute: false }) data: ElementData = null;
  /** Host column names per canonical field, e.g. `{ loan_id: 'LoanNo' }`. */
  @property({ attribute: false, hasChanged: changedStructurally }) fields: Record<string, string> | null = null;
  /**
   * Metric parameters (see docs/metrics.md). Compared structurally: setting params equal in content
   * to the current ones (a new object from a re-render) is not a change and sends no query.
   */
  @property({ attribute: false, hasChanged: changedStructurally }) params: P = {} as P;
  /** Extra filter clauses for this element (compared structurally, like `params`). */
  @property({ attribute: false, hasChanged: changedStructurally }) filters: FilterClause[] = [];
  /** An engine to query (else the dashboard's, else a private in-page engine for `data`). */
  @property({ attribute: false }) engine: Engine | null = null;
  /** Metric id override (one of the engine's metric ids). */
  @property() metric: MetricId | '' = '';
  /** Source dataset override. */
  @property() source = '';
  /** Locale: `zh-CN` or `en-US` (defaults to the dashboard's, then the document's). */
  @property({ reflect: true }) locale: string = '';
  /** `light` or `dark`. */
  @property({ reflect: true }) theme: 'light' | 'dark' | '' = '';
  /** Card title. */
  @property() heading = '';
  /** Widget id used for crossfilter and events (defaults to the element id). */
  @property({ attribute: 'widget-id' }) widgetId = '';
  /** Link group: elements sharing a group cross-filter through DOM events, without a dashboard. */
  @property({ reflect: true }) group = '';
  /** `chart` or `table`. */
  @property({ reflect: true }) view: 'chart' | 'table' = 'chart';
  /**
   * Watermark text (全局水印) to draw over the view and into exports, for hosts without a remote
   * engine. A watermark from the engine's server (`engine.session()`, or the dashboard's) wins over
   * it and cannot be turned off from here.
   */
  @property() watermark = '';

  @consume({ context: finContext, subscribe: true })
  @state()
  protected dashboard: FinDashboardContext | undefined;

  @state() protected state: ElementState = 'idle';
  @state() protected current: MetricResult | null = null;
  @state() protected failure: { code: string; message: string } | null = null;
  @state() protected showBasis = false;
  /** Selections of other group members, by source id. */
  @state() protected linked = new Map<string, FilterClause>();
  /** This element's own selection label (shown with a clear button). */
  @state() protected selectionLabel = '';
  /** The watermark of this element's own `engine` (its server's session); null: none. */
  @state() private engineWatermark: string | null = null;
  private readonly watermarkId = watermarkPatternId();

  /** Container size, observed. */
  protected readonly size = new ResizeController(this, {
    callback: (entries) => {
      const r = entries[0]?.contentRect;
      return r ? { width: r.width, height: r.height } : undefined;
    },
  });

  private seq = 0;
  /** When the current query (or the taking of a `.result`) started, for fin-render's `ms`. */
  private queryT0 = 0;
  /** A settled state waiting to be painted; fin-render fires (and clears it) once it is drawn. */
  private paintPending: FinRenderDetail['state'] | null = null;
  private ownEngine: Promise<Engine> | null = null;
  private ownEngineData: unknown = undefined;
  private abort: AbortController | null = null;
  private readonly onGroupSelect = (e: Event): void => {
    const d = (e as FinSelectEvent).detail;
    if (!this.group || d.group !== this.group || d.source === this.id_()) return;
    const next = new Map(this.linked);
    if (d.clause) next.set(d.source, d.clause);
    else next.delete(d.source);
    this.linked = next;
  };

  /** Default metric id for this element type. */
  protected abstract defaultMetric(): string;
  /** Render the chart for a result (Lit template; d3/Vega draw in `updated`). */
  protected abstract renderChart(r: MetricResult): TemplateResult | typeof nothing;
  /** The data-table view and CSV export of a result. */
  protected abstract tableModel(r: MetricResult): TableModel;
  /** One-paragraph text alternative of a result. */
  protected abstract summary(r: MetricResult): string;

  /** Resolved locale. */
  get lang_(): Locale {
    return toLocale(this.locale || this.dashboard?.locale || document.documentElement.lang || 'zh-CN');
  }

  /**
   * Current render state (for tests and hosts). `ok` and `partial` mean drawn: until the chart is
   * painted (Vega view run with its SVG/canvas in the DOM, d3 and template views rendered) this
   * still reads `loading`. `fin-render` fires at the moment it changes.
   */
  get renderState(): ElementState {
    if ((this.state === 'ok' || this.state === 'partial') && this.paintPending) return 'loading';
    return this.state;
  }

  /**
   * Whether the chart of the current result is on screen. Template views are drawn once Lit has
   * updated (the default); Vega and lazily loaded d3 views override this and call `checkPaint()`
   * when their drawing lands.
   */
  protected isDrawn(): boolean {
    return true;
  }

  /** Fire fin-render if a settled state is waiting and is now drawn. */
  protected checkPaint(): void {
    const pending = this.paintPending;
    if (!pending || !this.isConnected || this.state !== pending) return;
    if ((pending === 'ok' || pending === 'partial') && this.view !== 'table' && !this.isDrawn()) return;
    this.paintPending = null;
    this.dispatchEvent(new FinRenderEvent({ state: pending, ms: Math.round(performance.now() - this.queryT0) }));
    // renderState changed without a reactive property changing: aria-busy follows here rather
    // than through another update (which would re-render a chart that has just been drawn).
    this.renderRoot.querySelector('[part=base]')?.setAttribute('aria-busy', 'false');
  }

  /** A settled state to announce with fin-render once drawn. */
  private expectPaint(state: FinRenderDetail['state']): void {
    this.paintPending = state;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.checkPaint();
  }

  /**
   * The watermark drawn over the view and into exports: the server's (this element's engine, or
   * the dashboard's), else the `watermark` property; null when none.
   */
  get watermarkText(): string | null {
    return this.engineWatermark ?? this.dashboard?.watermark ?? (this.watermark || null);
  }

  /**
   * The watermark drawn on screen: the one of exports, except in a dashboard that draws it over
   * all its widgets (two layers would overlap into a double pattern).
   */
  protected screenWatermark(): string | null {
    const text = this.watermarkText;
    return text && text === this.dashboard?.watermark ? null : text;
  }

  /** The watermark of exports (text and colours). */
  protected exportWatermark(): ExportWatermark | null {
    const text = this.watermarkText;
    return text ? { text, dark: this.getAttribute('theme') === 'dark' } : null;
  }

  /** The result on screen. */
  get currentResult(): MetricResult | null {
    return this.current;
  }

  protected id_(): string {
    return this.widgetId || this.id || this.localName;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('fin-select', this.onGroupSelect);
    // Moved in the DOM while a query was pending: disconnect dropped it, so ask again.
    if (this.hasUpdated && (this.state === 'loading' || this.state === 'idle')) void this.refresh();
    // Moved while its chart was being drawn: draw again (the view was finalized on disconnect).
    else if (this.hasUpdated && this.paintPending) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('fin-select', this.onGroupSelect);
    this.abort?.abort();
    this.seq++;
  }

  /** The request this element sends; subclasses may extend params. */
  protected request(): QueryRequest {
    const filters = [
      ...(this.dashboard?.filtersFor(this.id_()) ?? []),
      ...this.filters,
      ...this.linked.values(),
    ];
    const req: QueryRequest = { metric: this.metric || this.defaultMetric(), params: this.queryParams(), filters };
    // `.data` is loaded under the element's source, so the query must name it too.
    const useData = this.data !== null && this.data !== undefined && !this.engine;
    if (this.source || useData) req.source = this.source || this.defaultSource();
    return req;
  }

  /**
   * A result to show instead of querying, when the inputs already say what it is (a subclass whose
   * request cannot be formed yet returns an empty result saying why). Default: none.
   */
  protected localAnswer(): MetricResult | null {
    return null;
  }

  /** Params sent with the request (subclasses merge mode switches in). */
  protected queryParams(): Record<string, unknown> {
    return this.params as Record<string, unknown>;
  }

  /** Properties whose change requires a new query (subclasses add their own). */
  protected queryKeys(): string[] {
    return ['result', 'data', 'fields', 'params', 'filters', 'engine', 'metric', 'source', 'dashboard', 'linked'];
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (this.queryKeys().some((k) => changed.has(k as keyof this))) void this.refresh();
    if (changed.has('theme' as keyof this) || changed.has('dashboard' as keyof this)) {
      const t = this.theme || this.dashboard?.theme;
      if (t && this.getAttribute('theme') !== t && !this.theme) this.setAttribute('theme', t);
    }
  }

  /** Recompute (or re-render) from the current inputs. Latest call wins. */
  async refresh(): Promise<void> {
    const my = ++this.seq;
    this.abort?.abort();
    this.queryT0 = performance.now();
    this.paintPending = null;
    // The server's watermark of this element's own engine, known before its first answer is shown.
    const watermark = this.engine ? sessionWatermark(this.engine) : Promise.resolve(null);
    void watermark.then((w) => {
      if (my === this.seq) this.engineWatermark = w;
    });
    if (this.result) {
      this.apply(this.result);
      return;
    }
    if (this.dashboard?.error) {
      this.fail(this.dashboard.error.code, this.dashboard.error.message);
      return;
    }
    const useData = this.data !== null && this.data !== undefined && !this.engine;
    const engineReady = this.engine ?? (this.dashboard?.ready ? this.dashboard.engine : null);
    if (!useData && !engineReady) {
      if (this.dashboard && !this.dashboard.ready) this.state = 'loading';
      else this.state = 'idle';
      return;
    }
    // An answer the element knows without asking (e.g. a profile with no group chosen yet).
    const local = this.localAnswer();
    if (local) {
      this.apply(local);
      return;
    }
    this.state = 'loading';
    const ac = new AbortController();
    this.abort = ac;
    try {
      const engine = useData ? await this.privateEngine() : engineReady!;
      if (my !== this.seq) return;
      const [r, w] = await Promise.all([engine.query(this.request(), { signal: ac.signal }), watermark]);
      if (my !== this.seq) return;
      this.engineWatermark = w;
      this.apply(r);
    } catch (e) {
      if (my !== this.seq) return;
      const err = e as { code?: string; message?: string; details?: Record<string, unknown> };
      if (err.code === 'aborted') return;
      this.fail(err.code ?? 'bad_input', err.message ?? String(e), err.details);
    }
  }

  private async privateEngine(): Promise<Engine> {
    if (this.ownEngine && this.ownEngineData === this.data) return this.ownEngine;
    this.ownEngineData = this.data;
    const data = this.data;
    const fields = this.fields ?? undefined;
    const source = this.source || this.defaultSource();
    this.ownEngine = (async () => {
      // The engine is loaded lazily: presentational use never pulls in ingestion or metrics.
      const { createEngine } = await import('../../src/engine/create.js');
      const engine = createEngine();
      const isMulti =
        data !== null && typeof data === 'object' && !Array.isArray(data) && !ArrayBuffer.isView(data) &&
        !(data instanceof ArrayBuffer) && Object.keys(data).length > 0 &&
        Object.keys(data).every((k) => CANONICAL.has(k));
      const reports = [];
      if (isMulti) {
        for (const [name, input] of Object.entries(data as Record<string, unknown>)) {
          reports.push(await engine.load(name, input as never, fields ? { fields } : {}));
        }
      } else {
        reports.push(await engine.load(source, data as never, fields ? { fields } : {}));
      }
      for (const rep of reports) {
        const rejected = rep.rowsRead - rep.rowsKept;
        if (rejected > 0 || Object.keys(rep.coerced ?? {}).length) {
          this.dispatchEvent(
            new FinQualityEvent({ rows: rep.rowsRead, used: rep.rowsKept, excluded: rep.rejected, warnings: rep.warnings.map((w) => w.message) }),
          );
        }
      }
      return engine;
    })();
    this.ownEngine.catch(() => {
      this.ownEngine = null;
    });
    return this.ownEngine;
  }

  /** Title when neither `heading` nor a result basis gives one (e.g. in the error state). */
  protected defaultTitle(): string {
    return this.lang_ === 'zh-CN' ? '图表' : 'Chart';
  }

  /** Default source dataset for `.data` input (subclasses override). */
  protected defaultSource(): string {
    return 'loan_months';
  }

  /** Whether a (well-formed) result has nothing to draw: no rows by default; elements whose answer lives in `meta` override. */
  protected isEmpty(r: MetricResult): boolean {
    return r.data.length === 0;
  }

  /** Take a result: state ok / partial / empty, and the quality event. */
  protected apply(r: MetricResult): void {
    if (!r || !Array.isArray(r.data) || !r.basis) {
      this.fail('bad_input', 'The result is not a Finboard metric result ({ data, basis, quality })');
      return;
    }
    this.current = r;
    this.failure = null;
    const q = r.quality ?? { rows: 0, used: 0, excluded: {}, warnings: [] };
    // Exclusions by definition (closed loans are outside the book, stages not selected) are
    // in the basis; only data problems (missing, unparseable, invalid, duplicate…) make it partial.
    const problems = Object.entries(q.excluded ?? {}).filter(([k, v]) => v > 0 && isDataProblem(k));
    const partial = problems.length > 0 || (q.warnings?.length ?? 0) > 0;
    this.state = this.isEmpty(r) ? 'empty' : partial ? 'partial' : 'ok';
    this.expectPaint(this.state);
    // A new result object re-renders even when the state is unchanged; make sure of it.
    this.requestUpdate();
    if (partial) {
      this.dispatchEvent(new FinQualityEvent({ rows: q.rows, used: q.used, excluded: q.excluded ?? {}, warnings: q.warnings ?? [] }));
    }
  }

  protected fail(code: string, message: string, details?: Record<string, unknown>): void {
    this.state = 'error';
    this.current = null;
    this.failure = { code, message };
    this.expectPaint('error');
    this.dispatchEvent(new FinErrorEvent({ code, message, ...(details ? { details } : {}) }));
  }

  /** Emit a selection (null clears it); the element also shows it with a clear button. */
  protected select(clause: FilterClause | null, label = ''): void {
    this.selectionLabel = clause ? label : '';
    const detail: FinSelectDetail = { clause, source: this.id_(), group: this.group || null, label };
    this.dispatchEvent(new FinSelectEvent(detail));
  }

  protected t(key: string, vars?: Record<string, string | number>): string {
    return msg(this.lang_, key, vars);
  }

  override render(): TemplateResult {
    const title = this.heading || (this.current ? pick(this.current.basis.title, this.lang_) : '');
    // The frame (not a part) holds the card and the watermark layer over it: host CSS reaches neither.
    return html`<div class="fin-frame"><div part="base" role="figure" aria-label=${title || this.defaultTitle()} aria-busy=${this.renderState === 'loading' ? 'true' : 'false'}>
      <div part="header">
        ${title ? html`<h3 part="title">${title}</h3>` : html`<span part="title"></span>`}
        ${this.current && (this.state === 'ok' || this.state === 'partial') ? this.renderTools() : nothing}
      </div>
      ${this.selectionLabel
        ? html`<div class="selection" role="status">
            <span>${this.t('selected')}: ${this.selectionLabel}</span>
            <button @click=${() => this.select(null)}>${this.t('clearSelection')}</button>
          </div>`
        : nothing}
      ${this.renderBody()}
      ${this.showBasis && this.current ? this.renderBasis(this.current) : nothing}
    </div>${watermarkLayer(this.screenWatermark(), this.watermarkId)}</div>`;
  }

  protected renderTools(): TemplateResult {
    return html`<div class="tools" role="toolbar" aria-label=${this.t('options')}>
      <button aria-pressed=${this.showBasis ? 'true' : 'false'} title=${this.t('showBasis')} @click=${() => (this.showBasis = !this.showBasis)}>
        ${this.t('basis')}
      </button>
      <button
        aria-pressed=${this.view === 'table' ? 'true' : 'false'}
        title=${this.view === 'table' ? this.t('showChart') : this.t('showTable')}
        @click=${() => (this.view = this.view === 'table' ? 'chart' : 'table')}
      >
        ${this.view === 'table' ? this.t('chart') : this.t('table')}
      </button>
      <button title=${this.t('exportCsv')} @click=${() => this.exportCsv()}>CSV</button>
      <button title=${this.t('exportPng')} @click=${() => void this.exportImage('png')}>PNG</button>
    </div>`;
  }

  protected renderBody(): TemplateResult | typeof nothing {
    switch (this.state) {
      case 'idle':
        return html`<div part="empty" role="status"><span>${this.t('empty')}</span><span class="detail">${this.t('noEngine')}</span></div>`;
      case 'loading':
        return html`<div part="loading" role="status"><div class="spinner" aria-hidden="true"></div><span>${this.t('loading')}</span></div>`;
      case 'error':
        return html`<div part="error" role="alert">
          <strong>${errorText(this.lang_, this.failure?.code ?? 'bad_input')}</strong>
          <span class="detail">${this.failure?.message ?? ''}</span>
          <button @click=${() => void this.refresh()}>${this.t('retry')}</button>
        </div>`;
      case 'empty':
        return html`<div part="empty" role="status">
          <span>${this.t('empty')}</span>
          <span class="detail">${this.current?.empty ? pick(this.current.empty, this.lang_) : this.t('emptyHint')}</span>
        </div>`;
      default: {
        const r = this.current!;
        let body: TemplateResult | typeof nothing;
        try {
          body = this.view === 'table' ? this.renderTable(r) : html`<div part="chart">${this.renderChart(r)}</div>`;
        } catch (e) {
          // Never throw out of render: show the error state on the next frame instead.
          queueMicrotask(() => this.fail('render_failed', e instanceof Error ? e.message : String(e)));
          body = nothing;
        }
        return html`${this.state === 'partial' ? this.renderQuality(r) : nothing}${body}
          <p class="sr-only" part="summary">${this.safeSummary(r)}</p>`;
      }
    }
  }

  private safeSummary(r: MetricResult): string {
    try {
      return this.summary(r);
    } catch {
      return '';
    }
  }

  protected renderQuality(r: MetricResult): TemplateResult {
    return qualityPart(r, this.lang_);
  }

  protected renderTable(r: MetricResult): TemplateResult {
    return tablePart(this.tableModel(r), r, this.lang_);
  }

  protected renderBasis(r: MetricResult): TemplateResult {
    return basisPart(r, this.lang_);
  }

  /** CSV of what is drawn, with the basis as header comments; formula-injection safe. */
  csv(): string {
    if (!this.current) return '';
    return csvOf(this.tableModel(this.current), this.current, this.lang_, this.watermarkText);
  }

  exportCsv(): void {
    if (this.current) download(`${this.localName}.csv`, this.csv());
  }

  /** SVG text of the chart, when it is drawn as SVG (d3 elements, Vega views), the watermark drawn in. */
  async svg(): Promise<string | null> {
    const svg = this.renderRoot.querySelector<SVGSVGElement>('[part=chart] svg');
    return svg ? svgText(svg, this.exportWatermark()) : null;
  }

  /**
   * Download the chart as PNG or SVG (from `png()` / `svg()`, which Vega elements override with the
   * View's own export), the watermark drawn in. Where no chart is drawn (table view, lists,
   * matrices), PNG is a picture of the data table.
   */
  async exportImage(kind: 'png' | 'svg'): Promise<void> {
    if (kind === 'svg') {
      const text = this.view === 'table' ? null : await this.svg();
      if (text) download(`${this.localName}.svg`, text, 'image/svg+xml');
      return;
    }
    const png = await this.png();
    if (png) download(`${this.localName}.png`, png);
  }

  /**
   * The PNG export: the chart picture (SVG charts), else the data table, with the watermark drawn
   * in; null when nothing is shown. Vega elements override with the View's canvas.
   */
  async png(): Promise<Blob | null> {
    const svg = this.view === 'table' ? null : this.renderRoot.querySelector<SVGSVGElement>('[part=chart] svg');
    if (svg) return svgToPng(svg, 2, this.exportWatermark());
    return this.current ? this.tablePng(this.current) : null;
  }

  /** Token value (resolved) for specs and exports that need a colour or scheme name. */
  protected token(name: string, fallback: string): string {
    return getComputedStyle(this).getPropertyValue(name).trim() || fallback;
  }

  /** The data table of `r` as a PNG in the element's colours. */
  protected tablePng(r: MetricResult): Promise<Blob> {
    const title = this.heading || pick(r.basis.title, this.lang_);
    return tableToPng(this.tableModel(r), title, {
      font: `13px ${getComputedStyle(this).fontFamily || 'sans-serif'}`,
      color: this.token('--_color-fg', '#1f2937'),
      muted: this.token('--_color-muted', '#6b7280'),
      background: this.token('--_color-bg', '#ffffff'),
      stripe: this.token('--_color-surface', '#f3f4f6'),
      rule: this.token('--_color-border', '#d1d5db'),
      watermark: this.exportWatermark(),
    });
  }
}

/** Lit `hasChanged` for JSON-like properties: a new value equal in content is no change. */
export function changedStructurally(value: unknown, old: unknown): boolean {
  return !jsonEqual(value, old);
}

export { isDataProblem };
