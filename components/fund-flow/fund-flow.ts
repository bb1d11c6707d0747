import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ResizeController } from '@lit-labs/observers/resize-controller.js';
import type { FilterClause, MetricResult } from '../../src/engine/types.js';
import { msg, pick, reasonText } from '../../src/format/messages.js';
import { FUND_FLOW_AREA } from '../../src/format/messages/fund-flow.js';
import { formatValue } from '../../src/format/number.js';
import {
  DISPLAYS,
  DISPLAY_METRIC,
  missingField,
  nodeClause,
  periodClause,
  periodText,
  thresholdsText,
  trendSpec,
} from '../../src/specs/fund-flow.js';
import type { AlertSortKey, FundFlowDisplay, PeriodUnit, TrendColors } from '../../src/specs/fund-flow.js';
import { CATEGORICAL } from '../../src/theme/tokens.js';
import type { TableModel } from '../base/export.js';
import { VegaElement } from '../base/vega-element.js';
import type { VlSpec } from '../base/vega.js';
import type { FundFlowElementParams } from '../base/params.js';
import { AlertsView } from './alerts-view.js';
import { fundFlowModel } from './model.js';
import type { FundFlowModel } from './model.js';
import { loadSankey, sankeyLoaded, SankeyView } from './sankey-view.js';
import { fundFlowStyles } from './styles.js';
import { fundFlowSummary } from './summary.js';
import { fundFlowTable } from './table.js';
import { trendLegend, trendTable, trendTooltip } from './trend-view.js';
import type { ViewContext } from './view.js';

const UNITS: readonly string[] = ['day', 'week', 'month', 'quarter', 'year'];

/**
 * Fund flow (资金流向): where money comes from and where it goes. Three displays, each querying
 * its own metric:
 *
 * - `sankey` (default, metric `sankey`): inflow categories → customer segment (or another
 *   customer dimension) → outflow categories, drawn with d3-sankey into SVG (loaded lazily).
 *   Link width ∝ amount, links coloured by their source; hovering or focusing a node or link
 *   highlights its path, with a text tooltip. Nodes are buttons: click, Enter or Space selects
 *   `{ field: 'category', op: 'eq', value }` (inflow / outflow nodes) or `{ field: 'segment', op:
 *   'eq', value }` (middle nodes; the middle dimension's field); `other` / unknown nodes are not
 *   selectable. Arrow keys move between nodes (up / down in a column, left / right across).
 * - `trend` (metric `fund_flow`): net flow per period as diverging bars (net inflow above zero,
 *   net outflow below; stacked per group with `by`), cumulative net as a line on the right axis
 *   (its zero aligned with the bars'), inflow / outflow optionally as thin lines. Clicking a
 *   period selects it (`<date>.month` eq for months, a date range for other units); from the
 *   keyboard, the table view's row headers select periods.
 * - `alerts` (metric `txn_alerts`): a sortable table of large and suspicious transaction alerts
 *   (rule, customer as delivered — masked at ingestion —, date, amount, count), a count badge and
 *   per-rule filter chips; the rule thresholds are in the basis panel. A customer button selects
 *   `{ field: 'customer_id', op: 'eq', value }`.
 *
 * Selecting the selected mark again clears the selection.
 *
 * @summary Fund-flow sankey, net-flow trend and large / suspicious transaction alerts.
 * @tag fin-fund-flow
 * @cssproperty --fin-fund-flow-link-opacity - Opacity of sankey links at rest (default 0.38).
 * @cssproperty --fin-fund-flow-alerts-max-height - Height of the alerts table before it scrolls (default 360px).
 * @csspart sankey - The sankey SVG.
 * @csspart node - A sankey node (focusable button: bar and hit area).
 * @csspart link - A sankey link (path).
 * @csspart node-label - A sankey node label.
 * @csspart column-label - A sankey column header.
 * @csspart legend - The trend legend.
 * @csspart alerts-header - The alerts count badge and rule chips.
 * @csspart badge - The alert count badge.
 * @csspart rule-chip - A rule filter chip (toggle button).
 * @csspart rule-select - The rule filter on narrow cards (a select instead of chips).
 * @csspart alerts - The alerts table (scrolling region).
 * @csspart tooltip - The text tooltip.
 * @csspart chart - The chart area (base).
 * @csspart table - The data-table view (base).
 * @csspart loading - Loading state (base).
 * @csspart empty - Empty state (base).
 * @csspart error - Error state (base).
 * @csspart quality - Partial-data warning (base).
 * @csspart basis - The basis (口径) panel (base); with `alerts`, the rule thresholds.
 * @fires fin-select - A node (`category` / segment eq), a period (date field eq / range) or a customer (`customer_id` eq) was selected, or the selection cleared (`clause: null`).
 * @fires fin-error - Loading, computing or rendering failed (also when a `.result` does not fit the display).
 * @fires fin-quality - The result excluded transactions or carries warnings.
 */
export class FinFundFlow extends VegaElement<FundFlowElementParams> {
  static override styles = [...VegaElement.styles, fundFlowStyles];

  /** What to draw: `sankey` (default), `trend` (net flow per period) or `alerts` (transaction alerts table). */
  @property({ reflect: true }) display: FundFlowDisplay = 'sankey';
  /** Trend: period unit merged into the metric params (`day`, `week`, `month`, `quarter`, `year`; empty: the metric default, month). */
  @property() unit: '' | PeriodUnit = '';
  /** Trend: breakdown field (e.g. `channel`), merged into the metric params as `by`; bars stack per group. */
  @property() by = '';
  /** Trend: also draw inflow and outflow as thin lines. */
  @property({ type: Boolean, attribute: 'show-flows' }) showFlows = false;
  /** Colours of net inflow / outflow: `west` (inflow green, outflow red) or `cn` (Chinese market convention: inflow red, outflow green). */
  @property({ attribute: 'color-convention', reflect: true }) colorConvention: 'west' | 'cn' = 'west';
  /** Sankey: categories kept per side (the rest fold into "other"); 0 = the metric default (8). */
  @property({ type: Number }) top = 0;
  /** Sankey: middle customer dimension (default `segment`); `none` draws one "all customers" node. */
  @property() middle = '';
  /** Plot height in px (0: automatic — the sankey sizes itself by its node count, the trend is 240px). */
  @property({ type: Number, attribute: 'chart-height' }) chartHeight = 0;
  /** Alerts: sort column (`date`, `customer`, `rule`, `amount`, `count`). */
  @property({ attribute: 'sort-by' }) sortBy: AlertSortKey = 'date';
  /** Alerts: sort direction. */
  @property({ attribute: 'sort-direction' }) sortDirection: 'asc' | 'desc' = 'desc';

  /** Selected sankey node id, trend period or alert customer (highlighted), when this element selected it. */
  @state() private selNode: string | null = null;
  @state() private selPeriod: string | null = null;
  @state() private selCustomer: string | null = null;

  /** Width of the chart box itself (the host minus its padding), observed. */
  private readonly chartBox = new ResizeController(this, {
    target: null,
    callback: (entries) => entries[0]?.contentRect.width,
  });
  private observed: Element | null = null;
  private loadingSankey = false;
  private memo: { key: unknown[]; model: FundFlowModel } | null = null;
  /** The sankey display: layout, marks, highlighting and tooltip. */
  private readonly sankey = new SankeyView(this, {
    ...this.viewContext(),
    chartHeight: () => this.chartHeight,
    selected: () => this.selNode,
    select: (id) => this.selectNode(id),
  });
  /** The alerts display: table, rule filter, sorting. */
  private readonly alerts = new AlertsView(this, {
    ...this.viewContext(),
    heading: () => this.heading,
    sort: () => ({ by: this.sortBy, dir: this.sortDirection }),
    setSort: (by, dir) => {
      this.sortBy = by;
      this.sortDirection = dir;
    },
    selectedCustomer: () => this.selCustomer,
    selectCustomer: (c) => this.selectCustomer(c),
  });

  /** The display in effect (an unknown value falls back to `sankey`). */
  get displayMode(): FundFlowDisplay {
    return DISPLAYS.includes(this.display) ? this.display : 'sankey';
  }

  protected defaultMetric(): string {
    return DISPLAY_METRIC[this.displayMode];
  }

  protected override defaultSource(): string {
    return 'transactions';
  }

  protected override queryParams(): Record<string, unknown> {
    const p: Record<string, unknown> = { ...this.params };
    const d = this.displayMode;
    if (d === 'sankey') {
      if (Number.isInteger(this.top) && this.top > 0) p['top'] = this.top;
      if (this.middle) p['middle'] = this.middle === 'none' ? null : this.middle;
    } else if (d === 'trend') {
      if (UNITS.includes(this.unit)) p['unit'] = this.unit;
      if (this.by) p['by'] = this.by;
    }
    return p;
  }

  protected override queryKeys(): string[] {
    return [...super.queryKeys(), 'display', 'unit', 'by', 'top', 'middle'];
  }

  /** Check that the rows fit the display before taking a result. */
  protected override apply(r: MetricResult): void {
    if (r && Array.isArray(r.data) && r.basis && r.data.length) {
      const field = missingField(this.displayMode, r);
      if (field) {
        this.fail(
          'missing_column',
          this.m('badShape', { field, display: this.displayMode, metric: DISPLAY_METRIC[this.displayMode] }),
          { column: field },
        );
        return;
      }
    }
    // No alerts is good news, said as such rather than as "no data".
    const input =
      r && Array.isArray(r.data) && r.basis && !r.data.length && this.displayMode === 'alerts'
        ? {
            ...r,
            empty: {
              'zh-CN': msg('zh-CN', 'noAlerts', undefined, FUND_FLOW_AREA),
              'en-US': msg('en-US', 'noAlerts', undefined, FUND_FLOW_AREA),
            },
          }
        : r;
    super.apply(input);
    this.sankey.reset();
    // Highlights of marks that are gone no longer apply.
    const md = this.current && this.current.data.length ? this.safeModel(this.current) : null;
    if (this.selNode !== null && !(md?.display === 'sankey' && md.m.nodes.some((n) => n.id === this.selNode)))
      this.selNode = null;
    if (this.selPeriod !== null && !(md?.display === 'trend' && md.m.periods.includes(this.selPeriod)))
      this.selPeriod = null;
    this.alerts.keepRuleIn(md?.display === 'alerts' ? md.m : null);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('display')) this.sankey.reset();
    if (this.displayMode === 'sankey' && !sankeyLoaded() && !this.loadingSankey) {
      this.loadingSankey = true;
      loadSankey().then(
        () => {
          this.loadingSankey = false;
          this.requestUpdate();
        },
        (e: unknown) => {
          this.loadingSankey = false;
          this.fail('render_failed', e instanceof Error ? e.message : String(e));
        },
      );
    }
  }

  /** The sankey is drawn once d3-sankey has loaded and replaced the placeholder. */
  protected override isDrawn(): boolean {
    return !this.renderRoot.querySelector('[part=chart] .pending') && super.isDrawn();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const wrap = this.renderRoot.querySelector('.wrap');
    if (wrap !== this.observed) {
      if (this.observed) this.chartBox.unobserve(this.observed);
      // Never observe from an update that lands after disconnect: it would keep the element alive.
      if (wrap && this.isConnected) this.chartBox.observe(wrap);
      this.observed = this.isConnected ? wrap : null;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.observed) this.chartBox.unobserve(this.observed);
    this.observed = null;
    this.sankey.reset();
  }

  private m(key: string, vars?: Record<string, string | number>): string {
    return msg(this.lang_, key, vars, FUND_FLOW_AREA);
  }

  // --- models ----------------------------------------------------------------------------------

  private model(r: MetricResult): FundFlowModel {
    const d = this.displayMode;
    const key = [r, d, this.lang_];
    if (this.memo && this.memo.key.every((k, i) => k === key[i])) return this.memo.model;
    const model = fundFlowModel(r, d, this.lang_);
    this.memo = { key, model };
    return model;
  }

  private safeModel(r: MetricResult): FundFlowModel | null {
    try {
      return this.model(r);
    } catch {
      return null;
    }
  }

  /** What the sankey and alerts views read from this element. */
  private viewContext(): ViewContext {
    return {
      lang: () => this.lang_,
      colors: () => this.colors(),
      width: () => this.width(),
      token: (name, fallback) => this.token(name, fallback),
    };
  }

  private colors(): TrendColors {
    const cn = this.colorConvention === 'cn';
    return {
      fg: this.token('--_color-fg', '#111827'),
      muted: this.token('--_color-muted', '#4b5563'),
      border: this.token('--_color-border', '#d9dee5'),
      bg: this.token('--_color-bg', '#ffffff'),
      accent: this.token('--_color-accent', '#1d4ed8'),
      positive: cn ? this.token('--_color-up', '#c62828') : this.token('--_color-good', '#047857'),
      negative: cn ? this.token('--_color-down', '#1b7f3b') : this.token('--_color-bad', '#b91c1c'),
    };
  }

  /** Chart width: the observed chart box, else the host less its padding. */
  private width(): number {
    const own = this.chartBox.value as number | undefined;
    if (typeof own === 'number' && own > 0) return own;
    const host = this.size.value as { width: number } | undefined;
    const w = host && host.width > 0 ? host.width : this.clientWidth;
    return w > 0 ? Math.max(0, w - 26) : 600;
  }

  // --- selection -------------------------------------------------------------------------------

  protected override select(clause: FilterClause | null, label = ''): void {
    if (!clause) {
      this.selNode = null;
      this.selPeriod = null;
      this.selCustomer = null;
    }
    super.select(clause, label);
  }

  /** Select a sankey node by id (or clear, when it is the selected one). Synthetic nodes are not selectable. */
  selectNode(id: string): void {
    const md = this.current ? this.safeModel(this.current) : null;
    if (md?.display !== 'sankey') return;
    const node = md.m.nodes.find((n) => n.id === id);
    if (!node) return;
    const clause = nodeClause(md.m, node);
    if (!clause) return;
    if (this.selNode === id) {
      this.select(null);
      return;
    }
    this.selPeriod = null;
    this.selCustomer = null;
    this.selNode = id;
    super.select(clause, node.label);
  }

  /** Select a trend period (`YYYY-MM` etc. as in the result), or clear when it is the selected one. */
  selectPeriod(period: string): void {
    const md = this.current ? this.safeModel(this.current) : null;
    if (md?.display !== 'trend' || !md.m.periods.includes(period)) return;
    if (this.selPeriod === period) {
      this.select(null);
      return;
    }
    this.selNode = null;
    this.selCustomer = null;
    this.selPeriod = period;
    super.select(periodClause(period, md.m.unit, md.m.dateField), periodText(period, md.m.unit, this.lang_));
  }

  /** Select an alert's customer (`customer_id` eq), or clear when it is the selected one. */
  selectCustomer(customer: string): void {
    if (!customer) return;
    if (this.selCustomer === customer) {
      this.select(null);
      return;
    }
    this.selNode = null;
    this.selPeriod = null;
    this.selCustomer = customer;
    super.select({ field: 'customer_id', op: 'eq', value: customer }, customer);
  }

  protected override onMarkClick(d: Record<string, unknown>): void {
    if (this.displayMode === 'trend' && typeof d['period'] === 'string') this.selectPeriod(d['period']);
  }

  // --- rendering -------------------------------------------------------------------------------

  protected override renderChart(r: MetricResult): TemplateResult | typeof nothing {
    const md = this.model(r);
    if (md.display === 'trend')
      return html`${trendLegend(md.m, this.colors(), this.lang_, this.showFlows)}${super.renderChart(r)}`;
    if (md.display === 'alerts') return this.alerts.render(md.m);
    return this.sankey.render(md.m);
  }

  protected spec(r: MetricResult, width: number): VlSpec | null {
    const md = this.model(r);
    if (md.display !== 'trend') return null;
    return trendSpec(md.m, {
      locale: this.lang_,
      width,
      height: this.chartHeight > 0 ? this.chartHeight : 240,
      colors: this.colors(),
      palette: CATEGORICAL,
      showFlows: this.showFlows,
      selected: this.selPeriod,
      description: this.summary(r),
    });
  }

  protected override markCount(r: MetricResult): number {
    return r.data.length * 3;
  }

  protected override tooltipLines(d: Record<string, unknown>): string[] {
    const r = this.current;
    if (!r || this.displayMode !== 'trend' || typeof d['period'] !== 'string') return [];
    const md = this.model(r);
    if (md.display !== 'trend') return [];
    return trendTooltip(md.m, d['period'], this.lang_);
  }

  /** Table view: trend rows get period buttons (keyboard selection of periods). */
  protected override renderTable(r: MetricResult): TemplateResult {
    const md = this.safeModel(r);
    if (md?.display !== 'trend') return super.renderTable(r);
    return trendTable(this.tableModel(r), {
      locale: this.lang_,
      caption: pick(r.basis.title, this.lang_),
      label: this.t('table'),
      periods: md.m.points.map((p) => p.period),
      selected: this.selPeriod,
      select: (period) => this.selectPeriod(period),
    });
  }

  // --- basis and quality -----------------------------------------------------------------------

  /** With `alerts`, the basis panel also lists the rule thresholds, formatted. */
  protected override renderBasis(r: MetricResult): TemplateResult {
    if (this.displayMode === 'alerts') {
      const zh = thresholdsText(r.basis.options, 'zh-CN');
      const en = thresholdsText(r.basis.options, 'en-US');
      if (zh && en) {
        return super.renderBasis({
          ...r,
          basis: { ...r.basis, notes: [{ 'zh-CN': zh, 'en-US': en }, ...(r.basis.notes ?? [])] },
        });
      }
    }
    return super.renderBasis(r);
  }

  /** Partial-data note with the transaction metrics' own reasons localised. */
  protected override renderQuality(r: MetricResult): TemplateResult {
    const L = this.lang_;
    const ex = r.quality?.excluded ?? {};
    const n = Object.values(ex).reduce((a, b) => a + b, 0);
    const reason = (k: string): string => {
      const own = this.m(`reason_${k}`);
      return own === `reason_${k}` ? reasonText(L, k) : own;
    };
    const reasons = Object.entries(ex)
      .map(([k, v]) => `${reason(k)} ${formatValue(v, 'count', L)}`)
      .join(L === 'zh-CN' ? '，' : ', ');
    const warnings = (r.quality?.warnings ?? []).map((w) => pick(w, L));
    return html`<div part="quality" role="note">
      <strong>${this.t('partial')}</strong>
      ${n > 0 ? html` · ${this.t('partialDetail', { n: formatValue(n, 'count', L), reasons })}` : nothing}
      ${warnings.map((w) => html`<div>${w}</div>`)}
    </div>`;
  }

  // --- table and summary -----------------------------------------------------------------------

  protected tableModel(r: MetricResult): TableModel {
    return fundFlowTable(this.model(r), this.lang_);
  }

  protected summary(r: MetricResult): string {
    return fundFlowSummary(this.model(r), this.lang_, this.heading || pick(r.basis.title, this.lang_));
  }
}
