import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Engine } from '../../src/engine/engine-types.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../src/engine/types.js';
import { msg } from '../../src/format/messages.js';
import { RFM_AREA } from '../../src/format/messages/rfm.js';
import { formatDay, formatValue } from '../../src/format/number.js';
import {
  CN8_IDS,
  markCount,
  rfmBarSpec,
  rfmGridSpec,
  rfmModel,
  rfmTreemapSpec,
  segmentColors,
  textWidth,
  thresholdNoteKey,
} from '../../src/specs/rfm.js';
import type { RfmModel, RfmSegment, RfmTheme, TextMeasure, VlSpec } from '../../src/specs/rfm.js';
import type { TableModel } from '../base/export.js';
import { VegaElement } from '../base/vega-element.js';
import { RFM_SEGMENT_FIELD } from '../../src/dashboard/segments.js';
import type { RfmElementParams } from '../base/params.js';
import { deliveredList, queriedList } from './customers.js';
import type { RfmCustomerRow } from './customers.js';
import { rfmStyles } from './styles.js';
import {
  BY_DEFINITION,
  renderCustomerList,
  renderRfmQuality,
  renderSegmentTable,
  rfmSummary,
  rfmReason,
  rfmTableModel,
  rfmTooltipLines,
  segmentSelection,
  swatch,
} from './views.js';
import type { CustomerList } from './views.js';

/** The field of the `fin-select` clause: the segment id under the element's scheme. */
export { RFM_SEGMENT_FIELD };

/** A customer of the list under the chart (the `rfm` metric's `meta.customers` rows, as delivered). */
export type { RfmCustomerRow };

/**
 * RFM customer value (客户价值): customers scored 1–5 on recency, frequency and monetary value and
 * grouped into segments — the Chinese eight-segment scheme (`cn8`: 重要价值客户 … 一般挽留客户), the
 * ten R × F segments (`rf10`: champions … hibernating) or custom rules (`params.rules`).
 *
 * Three displays: `overview` — two bar panels, customers and Σ monetary per segment with direct
 * labels (or a treemap, `overview="treemap"`); `grid` — the 5 × 5 R-score × F-score heatmap with
 * counts, the rf10 segment regions and labels, or the cn8 high/low quadrants at the mean scores;
 * `table` — per-segment averages. Segment colours are the same in every display (重要价值 in the
 * accent colour, win-back in greys); a segment list under the chart is the colour key and the
 * keyboard way to select.
 *
 * Selecting a segment (a bar or tile, a grid cell, a segment button or a table row button; the same
 * again clears) emits `fin-select` with `{ field: 'rfm_segment', op: 'eq', value: <segment id> }`,
 * labelled with the localised segment name, and lists that segment's customers under the chart:
 * the first `list-limit` (default 50) with the total, re-queried from the engine with
 * `{ includeCustomers: true, segment }` (or taken from `result.meta.customers`). Identifiers are
 * shown as delivered — PII is masked at ingestion and never unmasked here. In the cn8 grid a cell
 * stands for a quadrant whose customers M splits into important and general: clicking it selects
 * both, `{ field: 'rfm_segment', op: 'in', value: ['important_value', 'general_value'] }`.
 *
 * `rfm_segment` is not a column of any dataset: `<fin-dashboard>` maps the clause to the
 * segment's customers (`membersRequest`, then `customer_id in [...]`) before filtering other
 * widgets. This element ignores `rfm_segment` clauses it receives through its group.
 *
 * @summary RFM segments: bars or treemap, R × F grid, segment table, customer list.
 * @tag fin-rfm
 * @csspart base - The card.
 * @csspart header - Title row with tools.
 * @csspart title - The title.
 * @csspart context - The as-of / window / scored line and the unscored note.
 * @csspart controls - The display, overview-chart and scheme switches.
 * @csspart display-toggle - The overview / grid / table switch.
 * @csspart overview-toggle - The bars / treemap switch.
 * @csspart scheme-toggle - The cn8 / rf10 switch.
 * @csspart chart - The chart area (the Vega view).
 * @csspart segments - The segment list: colour key and keyboard selection.
 * @csspart segment - A segment button in the list.
 * @csspart note - Notes under the grid (thresholds, quadrants).
 * @csspart table - The per-segment table (display `table`, or the data-table view).
 * @csspart select - A segment button in the table.
 * @csspart customers - The customer list of the selected segment.
 * @csspart tooltip - The text tooltip.
 * @csspart summary - The text alternative (visually hidden).
 * @csspart loading - Loading state.
 * @csspart empty - Empty state.
 * @csspart error - Error state.
 * @csspart quality - Partial-data warning.
 * @csspart basis - The basis (口径) panel.
 * @cssproperty --fin-color-accent - Colour of 重要价值客户 / champions, and of selection.
 * @cssproperty --fin-rfm-color-<segment> - Colour of one segment by id, e.g. `--fin-rfm-color-important_winback: #c2410c`.
 * @fires fin-select - A segment (or a cn8 quadrant's two segments) was selected, or the selection was cleared: `{ clause, label, source, group }`.
 * @fires fin-error - Loading, computing or rendering failed.
 * @fires fin-quality - The result excluded rows (missing customer, date or amount) or carries warnings.
 */
export class FinRfm extends VegaElement<RfmElementParams> {
  static override styles = [...VegaElement.styles, rfmStyles];

  /**
   * Segmentation scheme → `params.scheme`: `cn8` (the eight Chinese RFM segments) or `rf10`
   * (ten R × F segments). Ignored when `params.rules` is given (custom rules).
   */
  @property({ reflect: true }) scheme: 'cn8' | 'rf10' = 'cn8';
  /** `overview` (bars or treemap), `grid` (R × F heatmap) or `table` (per-segment averages). No re-query. */
  @property({ reflect: true }) display: 'overview' | 'grid' | 'table' = 'overview';
  /** Chart of the overview: `bar` (customers and Σ monetary panels) or `treemap`. */
  @property({ reflect: true }) overview: 'bar' | 'treemap' = 'bar';
  /** Treemap tile area: `customers` (default) or `monetary` (Σ M). */
  @property({ attribute: 'size-by' }) sizeBy: 'customers' | 'monetary' = 'customers';
  /** Customers listed for a selected segment (the total is always shown). 0 hides the list. */
  @property({ attribute: 'list-limit', type: Number }) listLimit = 50;
  /** Hide the display / overview / scheme switches (a host that drives them itself). */
  @property({ attribute: 'hide-controls', type: Boolean }) hideControls = false;

  /** Selected segment ids (one, or a cn8 quadrant's two), or null. */
  @state() protected selected: string[] | null = null;
  /** Customer list of the selection. */
  @state() protected list: CustomerList | null = null;

  private memo: { r: MetricResult; locale: string; model: RfmModel } | null = null;
  private listSeq = 0;
  private listAbort: AbortController | null = null;
  private measureCtx: CanvasRenderingContext2D | null | undefined = undefined;

  protected defaultMetric(): string {
    return 'rfm';
  }

  protected override defaultSource(): string {
    return 'transactions';
  }

  protected override queryKeys(): string[] {
    return [...super.queryKeys(), 'scheme'];
  }

  protected override queryParams(): Record<string, unknown> {
    const p: Record<string, unknown> = { ...this.params };
    if (p['rules'] === undefined || p['rules'] === null)
      p['scheme'] = this.scheme === 'rf10' ? 'rf10' : 'cn8';
    else p['scheme'] = 'custom';
    return p;
  }

  /** `rfm_segment` is this element's own output; no dataset has it, so incoming ones are dropped. */
  protected override request(): QueryRequest {
    const req = super.request();
    if (req.filters) req.filters = req.filters.filter((f) => f.field !== RFM_SEGMENT_FIELD);
    return req;
  }

  /**
   * The request that lists every member of `segments` as this element scores them now (its params
   * and filters, `params.members`): what `<fin-dashboard>` filters the other widgets on when a
   * segment is selected here.
   */
  membersRequest(segments: string[]): QueryRequest {
    const req = this.request();
    return { ...req, params: { ...(req.params ?? {}), members: segments } };
  }

  protected override willUpdate(changed: PropertyValues): void {
    // Segment ids differ between schemes: a selection made under one means nothing under the other.
    if (changed.has('scheme') && changed.get('scheme') !== undefined && this.selected) this.select(null);
    super.willUpdate(changed);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('current') && this.selected) {
      // A new result (filters, params): keep the selection if its segments still exist.
      const r = this.current;
      const ids = r ? new Set(r.data.map((d) => d['segment'])) : new Set();
      if (!r || !this.selected.every((id) => ids.has(id))) this.select(null);
      else void this.loadCustomers();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.listAbort?.abort();
    this.listSeq++;
  }

  /**
   * Rows excluded by the RFM definition (outside the window, customers without transactions) are
   * not a data problem: they stay in the result and its basis, but only data problems (missing
   * customer, date or amount) and warnings make the state `partial`.
   */
  protected override apply(r: MetricResult): void {
    const ex = r?.quality?.excluded;
    if (r && Array.isArray(r.data) && r.basis && ex && Object.keys(ex).some((k) => BY_DEFINITION.has(k))) {
      const kept = Object.fromEntries(Object.entries(ex).filter(([k]) => !BY_DEFINITION.has(k)));
      super.apply({ ...r, quality: { ...r.quality, excluded: kept } });
      if (this.current) this.current = r;
      return;
    }
    super.apply(r);
  }

  private m(key: string, vars?: Record<string, string | number>): string {
    return msg(this.lang_, key, vars, RFM_AREA);
  }

  /** ` (x)` / `（x）` */
  private paren(x: string): string {
    return this.lang_ === 'zh-CN' ? `（${x}）` : ` (${x})`;
  }

  /** The normalised model of a result (memoised per result and locale). */
  protected model(r: MetricResult): RfmModel {
    const locale = this.lang_;
    if (this.memo && this.memo.r === r && this.memo.locale === locale) return this.memo.model;
    const model = rfmModel(r, locale);
    this.memo = { r, locale, model };
    return model;
  }

  private theme_(): RfmTheme {
    return {
      fg: this.token('--_color-fg', '#111827'),
      muted: this.token('--_color-muted', '#4b5563'),
      bg: this.token('--_color-bg', '#ffffff'),
      border: this.token('--_color-border', '#d9dee5'),
      accent: this.token('--_color-accent', '#1d4ed8'),
    };
  }

  /** Segment colours of a model, with host overrides `--fin-rfm-color-<id>`. */
  protected colors(model: RfmModel, theme = this.theme_()): Record<string, string> {
    const ids = model.segments.map((s) => s.id);
    const overrides: Record<string, string> = {};
    for (const id of ids) {
      if (!/^[A-Za-z0-9_-]+$/.test(id)) continue;
      const v = this.token(`--fin-rfm-color-${id}`, '');
      if (v) overrides[id] = v;
    }
    return segmentColors(model.scheme, ids, theme, overrides);
  }

  /** Canvas text measurer in the chart's font (Vega draws with the same token font). */
  private measurer(): TextMeasure {
    if (this.measureCtx === undefined) this.measureCtx = document.createElement('canvas').getContext('2d');
    const ctx = this.measureCtx;
    if (!ctx) return textWidth;
    const family = this.token('--_font-family', 'sans-serif');
    return (text, size) => {
      ctx.font = `${size}px ${family}`;
      return ctx.measureText(text).width;
    };
  }

  // -------------------------------------------------------------------------------------------
  // VegaElement

  protected spec(r: MetricResult, width: number): VlSpec | null {
    const model = this.model(r);
    const theme = this.theme_();
    const input = {
      model,
      width,
      theme,
      colors: this.colors(model, theme),
      selected: this.selected,
      description: this.summaryText(r),
      measure: this.measurer(),
    };
    if (this.display === 'grid') return rfmGridSpec(input)?.spec ?? null;
    if (this.overview === 'treemap') return rfmTreemapSpec({ ...input, sizeBy: this.sizeBy }).spec;
    return rfmBarSpec(input).spec;
  }

  protected override markCount(r: MetricResult): number {
    return markCount(this.model(r), this.display);
  }

  protected override onMarkClick(datum: Record<string, unknown>): void {
    const seg = datum['seg'];
    if (typeof seg === 'string') {
      this.selectSegment(seg);
      return;
    }
    const ids = datum['ids'];
    if (Array.isArray(ids) && ids.length && ids.every((x) => typeof x === 'string'))
      this.selectSegments(ids as string[]);
  }

  protected override tooltipLines(datum: Record<string, unknown>): string[] {
    const r = this.current;
    if (!r) return [];
    return rfmTooltipLines(this.model(r), this.lang_, datum);
  }

  // -------------------------------------------------------------------------------------------
  // Selection

  /** Override: the base's "clear selection" button clears the highlight and the list too. */
  protected override select(clause: FilterClause | null, label = ''): void {
    if (!clause) {
      this.selected = null;
      this.list = null;
      this.listAbort?.abort();
      this.listSeq++;
    }
    super.select(clause, label);
  }

  /**
   * Select a segment by id (as a click would), or clear with null; selecting the selected segment
   * again clears. Emits `fin-select` and loads the segment's customer list.
   */
  selectSegment(id: string | null): void {
    if (id === null) {
      if (this.selected) this.select(null);
      return;
    }
    this.selectSegments([id]);
  }

  /** Select one segment or a cn8 quadrant's pair (`op: 'in'`); the same selection again clears. */
  selectSegments(ids: string[]): void {
    const r = this.current;
    if (!r || !ids.length) return;
    const model = this.model(r);
    const segs = ids.map((id) => model.segments.find((s) => s.id === id)).filter((s): s is RfmSegment => !!s);
    if (!segs.length) return;
    const same =
      this.selected &&
      this.selected.length === segs.length &&
      segs.every((s) => this.selected!.includes(s.id));
    if (same) {
      this.select(null);
      return;
    }
    this.selected = segs.map((s) => s.id);
    const { clause, label } = segmentSelection(segs, this.lang_);
    this.select(clause, label);
    void this.loadCustomers();
  }

  /** The engine the element queries (mirrors FinElement.refresh: `.data` first, then `engine`, then the dashboard's). */
  private async listEngine(): Promise<Engine | null> {
    if (this.data !== null && this.data !== undefined) {
      // FinElement keeps its private engine private; see the report: a protected accessor is asked for.
      const self = this as unknown as { privateEngine?: () => Promise<Engine> };
      return typeof self.privateEngine === 'function' ? self.privateEngine() : null;
    }
    return this.engine ?? (this.dashboard?.ready ? this.dashboard.engine : null);
  }

  /** Load the customer list of the selection (latest wins). */
  protected async loadCustomers(): Promise<void> {
    const ids = this.selected;
    const r = this.current;
    if (!ids || !r || !(this.listLimit > 0)) {
      this.list = null;
      return;
    }
    const key = ids.join(',');
    const my = ++this.listSeq;
    this.listAbort?.abort();
    const limit = Math.floor(this.listLimit);
    if (this.result) {
      // Presentational: only what the host delivered.
      this.list = deliveredList(r, ids, limit);
      return;
    }
    this.list = { key, state: 'loading', rows: [], total: 0 };
    const ac = new AbortController();
    this.listAbort = ac;
    try {
      const engine = await this.listEngine();
      if (my !== this.listSeq) return;
      if (!engine) {
        this.list = { key, state: 'none', rows: [], total: 0 };
        return;
      }
      const list = await queriedList(engine, this.request(), ids, limit, ac.signal);
      if (my === this.listSeq) this.list = list;
    } catch (e) {
      if (my !== this.listSeq) return;
      const err = e as { code?: string; message?: string };
      if (err.code === 'aborted') return;
      this.list = { key, state: 'error', rows: [], total: 0, message: err.message ?? String(e) };
    }
  }

  // -------------------------------------------------------------------------------------------
  // Rendering

  protected override renderChart(r: MetricResult): TemplateResult | typeof nothing {
    const model = this.model(r);
    let body: TemplateResult;
    if (this.display === 'table') body = this.segmentTable(r, model);
    else if (this.display === 'grid' && !model.grid)
      body = html`<p part="note" role="note">${this.m('noGrid')}</p>`;
    else body = html`${super.renderChart(r)}${this.display === 'grid' ? this.gridNotes(model) : nothing}`;
    return html`${this.renderContext(model)}${this.hideControls ? nothing : this.renderControls(model)}${body}
    ${this.display === 'table' ? nothing : this.renderSegments(model)} ${this.renderCustomers(model)}`;
  }

  /** The data-table view: the segment table with select buttons, and the customer list. */
  protected override renderTable(r: MetricResult): TemplateResult {
    let model: RfmModel;
    try {
      model = this.model(r);
    } catch (e) {
      queueMicrotask(() => this.fail('render_failed', e instanceof Error ? e.message : String(e)));
      return html``;
    }
    return html`${this.segmentTable(r, model)}${this.renderCustomers(model)}`;
  }

  private renderContext(model: RfmModel): TemplateResult | typeof nothing {
    const L = this.lang_;
    const parts: TemplateResult[] = [];
    if (model.asOf && model.windowDays !== null) {
      parts.push(
        html`<span
          >${this.m('context', { asOf: formatDay(model.asOf, L), w: formatValue(model.windowDays, 'count', L), n: formatValue(model.scored, 'count', L) })}</span
        >`,
      );
    }
    if (model.unscored)
      parts.push(html`<span>${this.m('unscored', { n: formatValue(model.unscored, 'count', L) })}</span>`);
    return parts.length ? html`<div part="context">${parts}</div>` : nothing;
  }

  private renderControls(model: RfmModel): TemplateResult {
    const toggle = (
      part: string,
      label: string,
      options: Array<[string, string]>,
      current: string,
      set: (v: string) => void,
    ): TemplateResult =>
      html`<div part=${part} class="toggle" role="group" aria-label=${label}>
        ${options.map(
          ([v, text]) =>
            html`<button aria-pressed=${current === v ? 'true' : 'false'} @click=${() => set(v)}>
              ${text}
            </button>`,
        )}
      </div>`;
    return html`<div part="controls">
      ${toggle(
        'display-toggle',
        this.m('display'),
        [
          ['overview', this.m('overview')],
          ['grid', this.m('grid')],
          ['table', this.m('table')],
        ],
        this.display,
        (v) => (this.display = v as FinRfm['display']),
      )}
      ${
        this.display === 'overview'
          ? toggle(
              'overview-toggle',
              this.m('overviewKind'),
              [
                ['bar', this.m('bar')],
                ['treemap', this.m('treemap')],
              ],
              this.overview,
              (v) => (this.overview = v as FinRfm['overview']),
            )
          : nothing
      }
      ${
        model.scheme === 'custom'
          ? nothing
          : toggle(
              'scheme-toggle',
              this.m('scheme'),
              [
                ['cn8', this.m('cn8')],
                ['rf10', this.m('rf10')],
              ],
              model.scheme,
              (v) => (this.scheme = v as FinRfm['scheme']),
            )
      }
    </div>`;
  }

  private swatch(color: string): TemplateResult {
    return swatch(color);
  }

  /** The colour key, and keyboard selection of segments. */
  private renderSegments(model: RfmModel): TemplateResult {
    const colors = this.colors(model);
    const sel = this.selected;
    const L = this.lang_;
    return html`<ul part="segments" aria-label=${this.m('segments')}>
      ${model.segments.map((s) => {
        const on = !!sel?.includes(s.id);
        return html`<li>
          <button
            part="segment"
            class=${sel && !on ? 'dim' : ''}
            aria-pressed=${on ? 'true' : 'false'}
            title=${`${this.m('select', { label: s.label })}${this.paren(this.m('selectHint'))}`}
            @click=${() => this.selectSegment(s.id)}
          >
            ${this.swatch(colors[s.id] ?? '#888888')}<span class="label">${s.label}</span
            ><span class="n">${formatValue(s.customers, 'count', L)}</span>
          </button>
        </li>`;
      })}
    </ul>`;
  }

  private gridNotes(model: RfmModel): TemplateResult | typeof nothing {
    if (model.scheme !== 'cn8' || !model.thresholds) return nothing;
    const f1 = (v: number): string => formatValue(v, 'number', this.lang_, 2);
    return html`<p part="note">
      ${this.m(thresholdNoteKey(model), { r: f1(model.thresholds.R), f: f1(model.thresholds.F) })}${this.lang_ === 'zh-CN' ? '；' : '. '}${this.m('quadrantNote')}${this.lang_ === 'zh-CN' ? '。' : '.'}
    </p>`;
  }

  /** Per-segment table with a select button per row (display `table` and the data-table view). */
  private segmentTable(r: MetricResult, model: RfmModel): TemplateResult {
    const t = this.tableModel(r);
    const colors = this.colors(model);
    return renderSegmentTable(r, model, t, colors, this.selected, {
      L: this.lang_,
      heading: this.heading,
      regionLabel: this.t('table'),
      onSelect: (id) => this.selectSegment(id),
    });
  }

  /** The customer list of the selected segment(s). */
  private renderCustomers(model: RfmModel): TemplateResult | typeof nothing {
    return renderCustomerList(
      model,
      this.list,
      this.selected,
      this.listLimit,
      this.selectionLabel,
      this.lang_,
    );
  }

  /** Data-quality note with this metric's reason names (rows missing a customer, date or amount). */
  protected override renderQuality(r: MetricResult): TemplateResult {
    return renderRfmQuality(
      r,
      this.lang_,
      (key, vars) => this.t(key, vars),
      (k) => this.reason(k),
    );
  }

  private reason(k: string): string {
    return rfmReason(this.lang_, k);
  }

  // -------------------------------------------------------------------------------------------
  // Table model (table view and CSV), text alternative

  protected tableModel(r: MetricResult): TableModel {
    return rfmTableModel(this.model(r), this.lang_);
  }

  private summaryText(r: MetricResult): string {
    try {
      return this.summary(r);
    } catch {
      return '';
    }
  }

  protected summary(r: MetricResult): string {
    return rfmSummary(r, this.model(r), this.lang_, this.heading);
  }
}

/** cn8 ids, re-exported for hosts mapping the clause. */
export { CN8_IDS };
