import { css, html, nothing, svg } from 'lit';
import type { PropertyValues, SVGTemplateResult, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { safeStyle } from '../base/safe-style.js';
import { ResizeController } from '@lit-labs/observers/resize-controller.js';
import type { FilterClause, MetricResult } from '../../src/engine/types.js';
import { msg, pick, reasonText } from '../../src/format/messages.js';
import { FUND_FLOW_AREA } from '../../src/format/messages/fund-flow.js';
import { formatValue } from '../../src/format/number.js';
import {
  ALERT_SORT_KEYS,
  DISPLAYS,
  DISPLAY_METRIC,
  alertsModel,
  amount2,
  columnLabel,
  groupText,
  missingField,
  money,
  nodeClause,
  periodClause,
  periodText,
  related,
  sankeyLayout,
  sankeyModel,
  share,
  signedMoney,
  sortAlerts,
  thresholdsText,
  trendModel,
  trendSpec,
} from '../../src/specs/fund-flow.js';
import type {
  AlertSortKey,
  AlertView,
  AlertsModel,
  FlowNode,
  FundFlowDisplay,
  NodeGeom,
  PeriodUnit,
  SankeyGeometry,
  SankeyModel,
  SankeyModule,
  TrendModel,
} from '../../src/specs/fund-flow.js';
import { CATEGORICAL } from '../../src/theme/tokens.js';
import type { TableModel } from '../base/export.js';
import { VegaElement } from '../base/vega-element.js';
import type { VlSpec } from '../base/vega.js';
import type { FundFlowElementParams } from '../base/params.js';

// d3-sankey is loaded on first use of the sankey display only (shared by every instance).
let sankeyModule: SankeyModule | null = null;
let sankeyLoad: Promise<SankeyModule> | null = null;
function loadSankey(): Promise<SankeyModule> {
  if (!sankeyLoad) {
    sankeyLoad = import('d3-sankey').then((mod) => {
      sankeyModule = { sankey: mod.sankey, sankeyLinkHorizontal: mod.sankeyLinkHorizontal };
      return sankeyModule;
    });
    sankeyLoad.catch(() => {
      sankeyLoad = null;
    });
  }
  return sankeyLoad;
}

type Model =
  | { display: 'sankey'; m: SankeyModel }
  | { display: 'trend'; m: TrendModel }
  | { display: 'alerts'; m: AlertsModel };

interface Tip {
  x: number;
  y: number;
  text: string;
}

/** Hovered or focused sankey mark. */
interface Focus {
  node?: string;
  link?: number;
}

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
  static override styles = [
    ...VegaElement.styles,
    css`
      :host {
        --_link-opacity: var(--fin-fund-flow-link-opacity, 0.38);
        min-width: 0;
      }
      /* Narrow cards: the tools wrap under the title instead of squeezing it. */
      [part='header'] {
        flex-wrap: wrap;
      }
      [part='title'] {
        flex: 1 1 8em;
      }
      .wrap {
        position: relative;
        width: 100%;
        min-width: 0;
      }
      .pending {
        min-height: 120px;
        display: flex;
        align-items: center;
        justify-content: center;
        color: var(--_color-muted);
        font-size: 12px;
      }
      svg[part='sankey'] {
        display: block;
        overflow: visible;
        font-family: var(--_font-family);
      }
      [part~='link'] {
        fill: none;
        stroke-opacity: var(--_link-opacity);
        transition: stroke-opacity 120ms ease-out;
      }
      [part~='link'].hl {
        stroke-opacity: 0.7;
      }
      [part~='link'].dim {
        stroke-opacity: 0.1;
      }
      .node {
        cursor: pointer;
        outline: none;
      }
      .node.synthetic {
        cursor: default;
      }
      .node .hit {
        fill: transparent;
      }
      .node:focus-visible .hit {
        stroke: var(--_color-focus);
        stroke-width: 2px;
      }
      .node .bar {
        transition: opacity 120ms ease-out;
      }
      .node.out .bar {
        fill: var(--_color-muted);
      }
      .node.dim .bar {
        opacity: 0.35;
      }
      .node.selected .bar {
        stroke: var(--_color-fg);
        stroke-width: 2px;
      }
      text {
        font-variant-numeric: tabular-nums;
        pointer-events: none;
      }
      text.lbl,
      text.colhead {
        fill: var(--_color-fg);
      }
      text.lbl {
        paint-order: stroke;
        stroke: var(--_color-bg);
        stroke-width: 3px;
        stroke-linejoin: round;
      }
      text.lbl.dim {
        opacity: 0.45;
      }
      text.lbl .amt,
      text.lbl.detail {
        fill: var(--_color-muted);
      }
      text.colhead {
        font-weight: 600;
        fill: var(--_color-muted);
      }
      line.leader {
        stroke: var(--_color-muted);
        stroke-width: 1px;
      }
      .plot {
        width: 100%;
        min-height: 40px;
      }
      .plot svg {
        display: block;
      }
      [part='legend'] {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 14px;
        margin: 0;
        padding: 0;
        list-style: none;
        font-size: 12px;
        color: var(--_color-fg);
      }
      [part='legend'] li {
        display: inline-flex;
        align-items: center;
        gap: 5px;
      }
      [part='legend'] svg {
        flex: none;
      }
      th.rowhead {
        position: static;
        background: transparent;
        font-weight: normal;
      }
      button.link {
        color: var(--_color-fg);
        font-size: 12px;
        padding: 0 4px;
        min-height: 20px;
        text-decoration: underline dotted;
        text-underline-offset: 3px;
        font-variant-numeric: tabular-nums;
      }
      button.link[aria-pressed='true'] {
        color: var(--_color-accent);
        font-weight: 600;
      }
      [part='alerts-header'] {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 10px;
        margin: 0 0 6px;
        font-size: 12px;
      }
      .count {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        color: var(--_color-fg);
        font-weight: 600;
      }
      [part='badge'] {
        display: inline-block;
        min-width: 22px;
        padding: 1px 7px;
        border-radius: 999px;
        background: var(--_color-bad);
        color: var(--_color-bg);
        font-weight: 700;
        text-align: center;
        font-variant-numeric: tabular-nums;
      }
      .count .muted {
        color: var(--_color-muted);
        font-weight: normal;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      [part~='rule-chip'] {
        border: 1px solid var(--_color-border);
        border-radius: 999px;
        padding: 0 8px;
        min-height: 22px;
        color: var(--_color-fg);
      }
      [part~='rule-chip'] .n {
        color: var(--_color-muted);
        margin-left: 3px;
        font-variant-numeric: tabular-nums;
      }
      [part='alerts'] {
        overflow: auto;
        max-height: var(--fin-fund-flow-alerts-max-height, 360px);
      }
      [part='alerts'] th button {
        color: var(--_color-fg);
        font-weight: 600;
        padding: 0 2px;
        min-height: 20px;
        display: inline-flex;
        align-items: center;
        gap: 3px;
      }
      [part='alerts'] th.num button {
        margin-left: auto;
      }
      [part='alerts'] .arrow {
        color: var(--_color-muted);
        font-size: 10px;
        width: 8px;
      }
      [part='alerts'] th,
      [part='alerts'] td {
        padding: 4px 6px;
        vertical-align: top;
      }
      [part='alerts'] td.rule {
        max-width: 13em;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      [part='alerts'] .sub {
        color: var(--_color-muted);
        margin-left: 2px;
      }
      [part='alerts'] .line {
        display: block;
        margin-left: 0;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      [part='alerts'].narrow table {
        table-layout: fixed;
      }
      /* The amount column is never cut (numbers do not truncate); the rule column gives way. */
      col.c-date {
        width: 34%;
      }
      col.c-rule {
        width: 28%;
      }
      col.c-amount {
        width: 38%;
      }
      [part='alerts'].narrow td,
      [part='alerts'].narrow th {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      /* Narrow: rule names wrap rather than lose their distinguishing end ("(non-individual)"). */
      [part='alerts'].narrow td.rule {
        max-width: none;
        white-space: normal;
        overflow-wrap: anywhere;
      }
      [part='alerts'] td .link {
        margin-left: -4px;
      }
      [part='rule-select'] {
        font: inherit;
        font-size: 12px;
        color: var(--_color-fg);
        background: var(--_color-bg);
        border: 1px solid var(--_color-border);
        border-radius: 4px;
        padding: 2px 4px;
        max-width: 100%;
      }
      [part='alerts'] td.none {
        text-align: center;
        color: var(--_color-muted);
      }
      @media (prefers-reduced-motion: reduce) {
        [part~='link'],
        .node .bar {
          transition: none;
        }
      }
    `,
  ];

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
  @state() private hot: Focus | null = null;
  @state() private tip: Tip | null = null;
  /** Alerts: rule chip in effect (local table filter), or null for all. */
  @state() private ruleFilter: string | null = null;

  /** Width of the chart box itself (the host minus its padding), observed. */
  private readonly chartBox = new ResizeController(this, {
    target: null,
    callback: (entries) => entries[0]?.contentRect.width,
  });
  private observed: Element | null = null;
  private loadingSankey = false;
  private memo: { key: unknown[]; model: Model } | null = null;
  private geoMemo: { key: unknown[]; geo: SankeyGeometry } | null = null;

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
    this.hot = null;
    this.tip = null;
    // Highlights of marks that are gone no longer apply.
    const md = this.current && this.current.data.length ? this.safeModel(this.current) : null;
    if (this.selNode !== null && !(md?.display === 'sankey' && md.m.nodes.some((n) => n.id === this.selNode)))
      this.selNode = null;
    if (this.selPeriod !== null && !(md?.display === 'trend' && md.m.periods.includes(this.selPeriod)))
      this.selPeriod = null;
    if (
      this.ruleFilter !== null &&
      !(md?.display === 'alerts' && md.m.byRule.some((b) => b.rule === this.ruleFilter))
    )
      this.ruleFilter = null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('display')) {
      this.hot = null;
      this.tip = null;
    }
    if (this.displayMode === 'sankey' && !sankeyModule && !this.loadingSankey) {
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
    this.tip = null;
    this.hot = null;
  }

  private m(key: string, vars?: Record<string, string | number>): string {
    return msg(this.lang_, key, vars, FUND_FLOW_AREA);
  }

  // --- models ----------------------------------------------------------------------------------

  private model(r: MetricResult): Model {
    const d = this.displayMode;
    const key = [r, d, this.lang_];
    if (this.memo && this.memo.key.every((k, i) => k === key[i])) return this.memo.model;
    const L = this.lang_;
    const model: Model =
      d === 'trend'
        ? { display: d, m: trendModel(r, L) }
        : d === 'alerts'
          ? { display: d, m: alertsModel(r, L) }
          : { display: 'sankey', m: sankeyModel(r, L) };
    this.memo = { key, model };
    return model;
  }

  private safeModel(r: MetricResult): Model | null {
    try {
      return this.model(r);
    } catch {
      return null;
    }
  }

  private colors(): {
    fg: string;
    muted: string;
    border: string;
    bg: string;
    accent: string;
    positive: string;
    negative: string;
  } {
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
    if (md.display === 'trend') return html`${this.renderLegend(md.m)}${super.renderChart(r)}`;
    if (md.display === 'alerts') return this.renderAlerts(md.m);
    return this.renderSankey(md.m);
  }

  // The tooltip keeps its line breaks (white-space: pre-line), so no whitespace around the text.
  // It is visual only (aria-hidden): each node's aria-label carries the same numbers.
  // prettier-ignore
  private renderTip(tip: Tip): TemplateResult {
    return html`<div part="tooltip" aria-hidden="true" style=${safeStyle({ left: `${Math.round(tip.x)}px`, top: `${Math.round(tip.y)}px` })}>${tip.text}</div>`;
  }

  // --- sankey ----------------------------------------------------------------------------------

  private sankeyHeight(model: SankeyModel, width: number): number {
    if (this.chartHeight > 0) return Math.max(120, this.chartHeight);
    const per = Math.max(
      1,
      ...(['in', 'mid', 'out'] as const).map((s) => model.nodes.filter((n) => n.side === s).length),
    );
    const each = width < 440 ? 40 : 32;
    return Math.max(240, Math.min(560, per * each + 48));
  }

  private geometry(mod: SankeyModule, model: SankeyModel, width: number, height: number): SankeyGeometry {
    const c = this.colors();
    const key = [model, width, height, this.lang_, c.muted];
    if (this.geoMemo && this.geoMemo.key.every((k, i) => k === key[i])) return this.geoMemo.geo;
    const geo = sankeyLayout(mod, model, {
      width,
      height,
      locale: this.lang_,
      palette: CATEGORICAL.slice(0, 9),
      otherColor: CATEGORICAL[9]!,
      outColor: c.muted,
    });
    this.geoMemo = { key, geo };
    return geo;
  }

  private renderSankey(model: SankeyModel): TemplateResult {
    const mod = sankeyModule;
    // Until d3-sankey has loaded (willUpdate started it): a placeholder of the chart's box.
    if (!mod)
      return html`<div class="wrap">
        <div class="pending" role="status">${this.m('loadingLayout')}</div>
      </div>`;
    const width = Math.max(120, Math.floor(this.width()));
    const height = this.sankeyHeight(model, width);
    const geo = this.geometry(mod, model, width, height);
    const c = this.colors();
    const rel = related(geo, this.hot ?? (this.selNode !== null ? { node: this.selNode } : null));
    const label = this.m('sankeyLabel', {
      in: columnLabel('in', model, this.lang_),
      mid: columnLabel('mid', model, this.lang_),
      out: columnLabel('out', model, this.lang_),
    });
    const fs = 12;
    return html`<div class="wrap" @pointerleave=${this.clearFocus}>
      <svg
        part="sankey"
        role="group"
        aria-label=${label}
        width=${geo.width}
        height=${geo.height}
        viewBox="0 0 ${geo.width} ${geo.height}"
        font-family=${this.token('--_font-family', 'sans-serif')}
      >
        <g aria-hidden="true">
          ${geo.columns.map(
            (col) =>
              svg`<text part="column-label" class="colhead" x=${col.x} y=${12} text-anchor=${col.anchor} font-size="12" fill=${c.muted}>${col.label}</text>`,
          )}
        </g>
        <g class="links" aria-hidden="true">
          ${geo.links.map((l) => {
            const cls = rel ? (rel.links.has(l.index) ? 'hl' : 'dim') : '';
            return svg`<path part="link" class=${cls} d=${l.path} stroke=${l.color} stroke-width=${l.width} fill="none"
              stroke-opacity="0.38" data-source=${l.source} data-target=${l.target}
              @pointerenter=${(e: PointerEvent) => this.hoverLink(e, l.index, model)}
              @pointermove=${(e: PointerEvent) => this.hoverLink(e, l.index, model)}></path>`;
          })}
        </g>
        <g class="nodes">${geo.nodes.map((n) => this.renderNode(n, model, rel))}</g>
        <g class="labels" aria-hidden="true">${geo.nodes.map((n) => this.renderLabel(n, geo, rel, c, fs))}</g>
      </svg>
      ${this.tip ? this.renderTip(this.tip) : nothing}
    </div>`;
  }

  private renderNode(
    n: NodeGeom,
    model: SankeyModel,
    rel: { nodes: Set<string>; links: Set<number> } | null,
  ): SVGTemplateResult {
    const selectable = nodeClause(model, n) !== null;
    const selected = this.selNode === n.id;
    const cls = [
      'node',
      n.side,
      n.synthetic ? 'synthetic' : '',
      selected ? 'selected' : '',
      rel && !rel.nodes.has(n.id) ? 'dim' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const h = Math.max(2, n.y1 - n.y0);
    const y = n.y1 - n.y0 < 2 ? (n.y0 + n.y1) / 2 - 1 : n.y0;
    // A hit area a little larger than the bar, so thin nodes can be pointed at.
    const hy = Math.min(y - 3, (n.y0 + n.y1) / 2 - 6);
    const hh = Math.max(h + 6, 12);
    return svg`<g
      part="node"
      class=${cls}
      role="button"
      tabindex="0"
      aria-label=${this.nodeAria(n, model, selectable)}
      aria-pressed=${selectable ? (selected ? 'true' : 'false') : nothing}
      aria-disabled=${selectable ? nothing : 'true'}
      data-id=${n.id}
      data-side=${n.side}
      @click=${() => this.selectNode(n.id)}
      @keydown=${(e: KeyboardEvent) => this.onNodeKey(e, n.id)}
      @focus=${() => this.focusNode(n, model)}
      @blur=${this.clearFocus}
      @pointerenter=${(e: PointerEvent) => this.hoverNode(e, n, model)}
      @pointermove=${(e: PointerEvent) => this.hoverNode(e, n, model)}
    >
      <rect class="hit" x=${n.x0 - 3} y=${hy} width=${n.x1 - n.x0 + 6} height=${hh} rx="3" fill="transparent"></rect>
      <rect class="bar" x=${n.x0} y=${y} width=${n.x1 - n.x0} height=${h} rx="1.5" fill=${n.color}></rect>
    </g>`;
  }

  private renderLabel(
    n: NodeGeom,
    geo: SankeyGeometry,
    rel: { nodes: Set<string>; links: Set<number> } | null,
    c: { fg: string; muted: string; bg: string },
    fs: number,
  ): SVGTemplateResult | typeof nothing {
    if (n.labelHidden || !n.name) return nothing;
    const dim = rel && !rel.nodes.has(n.id) ? ' dim' : '';
    const cy = n.twoLine ? n.labelY + geo.lineHeight / 2 - 1 : n.labelY;
    const edge = n.anchor === 'end' ? n.x0 - 1 : n.x1 + 1;
    const leader = n.leader
      ? svg`<line class="leader" x1=${n.anchor === 'end' ? n.labelX + 2 : n.labelX - 2} y1=${cy} x2=${edge} y2=${Math.min(n.y1, Math.max(n.y0, cy))} stroke=${c.muted}></line>`
      : nothing;
    const second = n.twoLine ? n.amount || n.detail : '';
    return svg`${leader}<text part="node-label" class=${`lbl${dim}`} x=${n.labelX} y=${n.labelY} dy="0.35em"
        text-anchor=${n.anchor} font-size=${fs} fill=${c.fg} stroke=${c.bg} stroke-width="3" stroke-linejoin="round" paint-order="stroke">${n.name}${!n.twoLine && n.amount ? svg`<tspan class="amt" fill=${c.muted}> ${n.amount}</tspan>` : nothing}</text>${
          second
            ? svg`<text class=${`lbl detail${dim}`} x=${n.labelX} y=${n.labelY + geo.lineHeight} dy="0.35em" text-anchor=${n.anchor} font-size=${fs - 1} fill=${c.muted} stroke=${c.bg} stroke-width="3" stroke-linejoin="round" paint-order="stroke">${second}</text>`
            : nothing
        }`;
  }

  private nodeAria(n: FlowNode, model: SankeyModel, selectable: boolean): string {
    const L = this.lang_;
    let s: string;
    if (n.side === 'in')
      s = this.m('nodeIn', {
        name: n.label,
        v: money(n.outflow, L),
        share: share(n.outflow, model.totalIn, L),
      });
    else if (n.side === 'out')
      s = this.m('nodeOut', {
        name: n.label,
        v: money(n.inflow, L),
        share: share(n.inflow, model.totalOut, L),
      });
    else
      s = this.m('nodeMid', {
        name: n.label,
        in: money(n.inflow, L),
        out: money(n.outflow, L),
        net: signedMoney(n.inflow - n.outflow, L),
      });
    return selectable ? s : s + this.m('nodeNotSelectable');
  }

  private nodeTip(n: FlowNode, model: SankeyModel): string {
    const L = this.lang_;
    const lines = [n.label];
    if (n.side === 'in') {
      lines.push(this.m('tipInflow', { v: money(n.outflow, L) }));
      lines.push(this.m('tipShareIn', { v: share(n.outflow, model.totalIn, L) }));
    } else if (n.side === 'out') {
      lines.push(this.m('tipOutflow', { v: money(n.inflow, L) }));
      lines.push(this.m('tipShareOut', { v: share(n.inflow, model.totalOut, L) }));
    } else {
      lines.push(this.m('tipInflow', { v: money(n.inflow, L) }));
      lines.push(this.m('tipOutflow', { v: money(n.outflow, L) }));
      lines.push(this.m('tipNet', { v: signedMoney(n.inflow - n.outflow, L) }));
    }
    lines.push(nodeClause(model, n) ? this.m('tipSelect') : this.m('tipGrouped'));
    return lines.join('\n');
  }

  private linkTip(index: number, model: SankeyModel): string {
    const geo = this.geoMemo?.geo;
    const l = geo?.links.find((x) => x.index === index);
    if (!l) return '';
    const L = this.lang_;
    const s = model.nodes.find((n) => n.id === l.source);
    const t = model.nodes.find((n) => n.id === l.target);
    const from = s?.label ?? l.source;
    const to = t?.label ?? l.target;
    const lines = [this.m('linkText', { from, to, v: money(l.value, L) })];
    if (s) lines.push(this.m('linkShare', { from, share: share(l.value, s.outflow, L) }));
    if (t && t.side === 'out')
      lines.push(this.m('linkShare', { from: to, share: share(l.value, t.inflow, L) }));
    return lines.join('\n');
  }

  private placeTip(x: number, y: number, text: string): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.wrap');
    const w = wrap?.clientWidth ?? 600;
    // Keep the tooltip inside the card: flip to the left of the pointer near the right edge.
    const left = x > w - 220 ? Math.max(0, x - 232) : x + 12;
    this.tip = { x: left, y: Math.max(0, y + 12), text };
  }

  private pointerIn(e: PointerEvent): { x: number; y: number } | null {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.wrap');
    if (!wrap) return null;
    const box = wrap.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  private hoverNode(e: PointerEvent, n: FlowNode, model: SankeyModel): void {
    const p = this.pointerIn(e);
    if (!p) return;
    if (this.hot?.node !== n.id) this.hot = { node: n.id };
    this.placeTip(p.x, p.y, this.nodeTip(n, model));
  }

  private hoverLink(e: PointerEvent, index: number, model: SankeyModel): void {
    const p = this.pointerIn(e);
    if (!p) return;
    if (this.hot?.link !== index) this.hot = { link: index };
    this.placeTip(p.x, p.y, this.linkTip(index, model));
  }

  private focusNode(n: NodeGeom | FlowNode, model: SankeyModel): void {
    this.hot = { node: n.id };
    const g = this.geoMemo?.geo.nodes.find((x) => x.id === n.id);
    const wrap = this.renderRoot.querySelector<HTMLElement>('.wrap');
    const svgEl = this.renderRoot.querySelector<SVGSVGElement>('svg[part=sankey]');
    if (!g || !wrap || !svgEl) return;
    const a = wrap.getBoundingClientRect();
    const b = svgEl.getBoundingClientRect();
    this.placeTip(b.left - a.left + g.x1, b.top - a.top + (g.y0 + g.y1) / 2, this.nodeTip(n, model));
  }

  private readonly clearFocus = (): void => {
    this.hot = null;
    this.tip = null;
  };

  private onNodeKey(e: KeyboardEvent, id: string): void {
    if (e.key === 'Enter' || e.key === ' ' || e.key === 'Spacebar') {
      e.preventDefault();
      this.selectNode(id);
      return;
    }
    if (e.key === 'Escape') {
      this.tip = null;
      return;
    }
    const geo = this.geoMemo?.geo;
    if (!geo) return;
    const me = geo.nodes.find((n) => n.id === id);
    if (!me) return;
    const sides = (['in', 'mid', 'out'] as const).filter((s) => geo.nodes.some((n) => n.side === s));
    const column = (s: string): NodeGeom[] =>
      geo.nodes.filter((n) => n.side === s).sort((a, b) => a.y0 - b.y0);
    let target: NodeGeom | undefined;
    const col = column(me.side);
    const i = col.indexOf(me);
    if (e.key === 'ArrowDown') target = col[Math.min(col.length - 1, i + 1)];
    else if (e.key === 'ArrowUp') target = col[Math.max(0, i - 1)];
    else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const k = sides.indexOf(me.side) + (e.key === 'ArrowRight' ? 1 : -1);
      const next = sides[k];
      if (next) {
        const cy = (me.y0 + me.y1) / 2;
        target = column(next).sort(
          (a, b) => Math.abs((a.y0 + a.y1) / 2 - cy) - Math.abs((b.y0 + b.y1) / 2 - cy),
        )[0];
      }
    } else if (e.key === 'Home') target = column(sides[0]!)[0];
    else if (e.key === 'End') {
      const last = column(sides[sides.length - 1]!);
      target = last[last.length - 1];
    } else return;
    e.preventDefault();
    if (!target) return;
    const esc = (s: string): string => s.replace(/["\\]/g, '\\$&');
    this.renderRoot.querySelector<SVGGElement>(`g.node[data-id="${esc(target.id)}"]`)?.focus();
  }

  // --- trend -----------------------------------------------------------------------------------

  private swatch(color: string, kind: 'bar' | 'line' | 'dash' | 'point-line'): TemplateResult {
    return html`<svg width="22" height="12" viewBox="0 0 22 12" aria-hidden="true">
      ${
        kind === 'bar'
          ? svg`<rect x="5" y="1" width="12" height="10" rx="1.5" fill=${color}></rect>`
          : svg`<line x1="1" y1="6" x2="21" y2="6" stroke=${color} stroke-width=${kind === 'point-line' ? 2 : 1.5}
              stroke-dasharray=${kind === 'dash' ? '4 3' : 'none'}></line>
            ${kind === 'point-line' ? svg`<circle cx="11" cy="6" r="3" fill=${color}></circle>` : nothing}`
      }
    </svg>`;
  }

  private renderLegend(model: TrendModel): TemplateResult {
    const c = this.colors();
    const L = this.lang_;
    const items: Array<[string, TemplateResult]> = [];
    if (model.groups.length) {
      model.groups.forEach((g, i) =>
        items.push([groupText(g, L), this.swatch(CATEGORICAL[i % CATEGORICAL.length]!, 'bar')]),
      );
    } else {
      items.push(
        [this.m('netIn'), this.swatch(c.positive, 'bar')],
        [this.m('netOut'), this.swatch(c.negative, 'bar')],
      );
    }
    items.push([this.m('cumulative'), this.swatch(c.accent, 'point-line')]);
    if (this.showFlows)
      items.push(
        [this.m('inflow'), this.swatch(c.positive, 'line')],
        [this.m('outflow'), this.swatch(c.negative, 'dash')],
      );
    return html`<ul part="legend" aria-label=${this.m('legendLabel')}>
      ${items.map(([text, sw]) => html`<li>${sw}<span>${text}</span></li>`)}
    </ul>`;
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
    const tm = md.m;
    const L = this.lang_;
    const t = tm.totals.find((x) => x.period === d['period']);
    if (!t) return [];
    const lines = [
      t.label,
      this.m('tipInflow', { v: money(t.inflow, L) }),
      this.m('tipOutflow', { v: money(t.outflow, L) }),
      this.m('tipNet', { v: signedMoney(t.net, L) }),
      this.m('tipValue', { name: this.m('cumulative'), v: signedMoney(t.cum, L) }),
    ];
    if (t.count !== null) lines.push(this.m('tipCount', { v: formatValue(t.count, 'count', L) }));
    if (tm.groups.length) {
      for (const p of tm.points.filter((x) => x.period === t.period).slice(0, 8))
        lines.push(this.m('tipValue', { name: groupText(p.group, L), v: signedMoney(p.net, L) }));
    }
    lines.push(this.m('periodHint'));
    return lines;
  }

  /** Table view: trend rows get period buttons (keyboard selection of periods). */
  protected override renderTable(r: MetricResult): TemplateResult {
    const md = this.safeModel(r);
    if (md?.display !== 'trend') return super.renderTable(r);
    const t = this.tableModel(r);
    const periods = md.m.points.map((p) => p.period);
    return html`<div part="table" tabindex="0" role="region" aria-label=${this.t('table')}>
      <table>
        <caption>
          ${pick(r.basis.title, this.lang_)}
        </caption>
        <thead>
          <tr>
            ${t.columns.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${t.rows.map((row, ri) => {
            const period = periods[ri]!;
            return html`<tr>
              <th scope="row" class="rowhead">
                <button
                  class="link"
                  aria-pressed=${this.selPeriod === period ? 'true' : 'false'}
                  title=${this.m('periodHint')}
                  @click=${() => this.selectPeriod(period)}
                >
                  ${cellText(row[0])}
                </button>
              </th>
              ${row.slice(1).map((cell, i) => html`<td class=${t.columns[i + 1]?.numeric ? 'num' : ''}>${cellText(cell)}</td>`)}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  // --- alerts ----------------------------------------------------------------------------------

  private sortTo(key: AlertSortKey): void {
    if (this.sortBy === key) this.sortDirection = this.sortDirection === 'asc' ? 'desc' : 'asc';
    else {
      this.sortBy = key;
      this.sortDirection = key === 'customer' || key === 'rule' ? 'asc' : 'desc';
    }
  }

  private renderAlerts(am: AlertsModel): TemplateResult {
    const L = this.lang_;
    const key: AlertSortKey = ALERT_SORT_KEYS.includes(this.sortBy) ? this.sortBy : 'date';
    const dir = this.sortDirection === 'asc' ? 'asc' : 'desc';
    const rows = sortAlerts(
      this.ruleFilter === null ? am.rows : am.rows.filter((a) => a.rule === this.ruleFilter),
      key,
      dir,
    );
    // Narrow cards: three two-line columns (date / customer, rule / direction, amount / count)
    // instead of six, and the rule chips as one select.
    const narrow = this.width() < 470;
    const head = (k: AlertSortKey, label: string, numeric = false): TemplateResult => {
      const on = key === k;
      return html`<th
        scope="col"
        class=${numeric ? 'num' : ''}
        aria-sort=${on ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      >
        <button title=${this.m('sortBy', { col: label })} @click=${() => this.sortTo(k)}>
          <span>${label}</span
          ><span class="arrow" aria-hidden="true">${on ? (dir === 'asc' ? '▲' : '▼') : ''}</span>
        </button>
      </th>`;
    };
    const columns = narrow
      ? html`${head('date', this.m('date'))} ${head('rule', this.m('rule'))}
        ${head('amount', this.m('amount'), true)}`
      : html`${head('date', this.m('date'))} ${head('customer', this.m('customer'))}
          ${head('rule', this.m('rule'))}
          <th scope="col">${this.m('direction')}</th>
          ${head('amount', this.m('amountCny'), true)} ${head('count', this.m('countHead'), true)}`;
    return html`<div class="wrap">
      <div part="alerts-header">
        <span class="count">
          <span part="badge">${formatValue(am.total, 'count', L)}</span>
          <span>${this.m('alertsWord')}</span>
          ${
            am.total > am.rows.length
              ? html`<span class="muted"
                  >(${this.m('alertsShown', { n: formatValue(am.rows.length, 'count', L) })})</span
                >`
              : nothing
          }
        </span>
        ${narrow ? this.renderRuleSelect(am) : this.renderRuleChips(am)}
      </div>
      <div
        part="alerts"
        class=${narrow ? 'narrow' : ''}
        tabindex="0"
        role="region"
        aria-label=${this.heading || this.m('titleAlerts')}
      >
        <table>
          ${
            narrow
              ? html`<colgroup>
                  <col class="c-date" />
                  <col class="c-rule" />
                  <col class="c-amount" />
                </colgroup>`
              : nothing
          }
          <thead>
            <tr>
              ${columns}
            </tr>
          </thead>
          <tbody>
            ${
              rows.length
                ? rows.map((a) => (narrow ? this.renderAlertRowNarrow(a) : this.renderAlertRow(a)))
                : html`<tr>
                    <td class="none" colspan=${narrow ? 3 : 6}>${this.m('noAlertsForRule')}</td>
                  </tr>`
            }
          </tbody>
        </table>
      </div>
    </div>`;
  }

  private renderRuleChips(am: AlertsModel): TemplateResult {
    const L = this.lang_;
    return html`<span class="chips" role="group" aria-label=${this.m('ruleFilter')}>
      <button
        part="rule-chip"
        aria-pressed=${this.ruleFilter === null ? 'true' : 'false'}
        @click=${() => (this.ruleFilter = null)}
      >
        ${this.m('allRules')}<span class="n">${formatValue(am.rows.length, 'count', L)}</span>
      </button>
      ${am.byRule.map(
        (b) =>
          html`<button
            part="rule-chip"
            aria-pressed=${this.ruleFilter === b.rule ? 'true' : 'false'}
            @click=${() => (this.ruleFilter = this.ruleFilter === b.rule ? null : b.rule)}
          >
            ${b.label}<span class="n">${formatValue(b.n, 'count', L)}</span>
          </button>`,
      )}
    </span>`;
  }

  private renderRuleSelect(am: AlertsModel): TemplateResult {
    const L = this.lang_;
    return html`<select
      part="rule-select"
      aria-label=${this.m('ruleFilter')}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        this.ruleFilter = v === '' ? null : v;
      }}
    >
      <option value="" ?selected=${this.ruleFilter === null}>
        ${this.m('allRules')} (${formatValue(am.rows.length, 'count', L)})
      </option>
      ${am.byRule.map(
        (b) =>
          html`<option value=${b.rule} ?selected=${this.ruleFilter === b.rule}>
            ${b.label} (${formatValue(b.n, 'count', L)})
          </option>`,
      )}
    </select>`;
  }

  private alertDate(a: AlertView): string {
    return a.firstDate && a.firstDate !== a.date
      ? this.m('episode', { from: a.firstDate, to: a.date.slice(5) })
      : a.date;
  }

  /** Date cell: the day; a structuring episode shows its first day under the last. */
  private dateCell(a: AlertView): TemplateResult {
    return a.firstDate && a.firstDate !== a.date
      ? html`<span class="line">${a.date}</span>
          <span class="sub line">${this.m('since', { d: a.firstDate.slice(5) })}</span>`
      : html`<span class="line">${a.date}</span>`;
  }

  private alertRuleTitle(a: AlertView): string {
    const L = this.lang_;
    const parts = [a.ruleLabel];
    if (a.threshold !== null)
      parts.push(`${this.m('threshold')} ${formatValue(a.threshold, 'currency', L, 0)}`);
    if (a.txnIds.length) parts.push(`${this.m('txnIds')}: ${a.txnIds.join(', ')}`);
    return parts.join('\n');
  }

  private ruleSub(a: AlertView): string {
    return a.single === true
      ? this.m('single')
      : a.single === false && a.rule !== 'structuring'
        ? this.m('daily')
        : '';
  }

  private dirText(a: AlertView): string {
    return a.direction === 'in' ? this.m('dirIn') : a.direction === 'out' ? this.m('dirOut') : '—';
  }

  private customerButton(a: AlertView): TemplateResult {
    return html`<button
      class="link"
      aria-pressed=${this.selCustomer === a.customer ? 'true' : 'false'}
      title=${this.m('selectCustomer', { c: a.customer })}
      @click=${() => this.selectCustomer(a.customer)}
    >
      ${a.customer}
    </button>`;
  }

  private renderAlertRow(a: AlertView): TemplateResult {
    const L = this.lang_;
    const sub = this.ruleSub(a);
    return html`<tr>
      <td>${this.dateCell(a)}</td>
      <td>${this.customerButton(a)}</td>
      <td class="rule" title=${this.alertRuleTitle(a)}>
        ${a.ruleLabel}${sub ? html` <span class="sub">${sub}</span>` : nothing}
      </td>
      <td>${this.dirText(a)}</td>
      <td class="num">${amount2(a.amount, L)}</td>
      <td class="num">${formatValue(a.count, 'count', L)}</td>
    </tr>`;
  }

  private renderAlertRowNarrow(a: AlertView): TemplateResult {
    const L = this.lang_;
    const sub = [a.direction ? this.dirText(a) : '', this.ruleSub(a)].filter(Boolean).join(' · ');
    return html`<tr>
      <td>${this.dateCell(a)}<span class="line">${this.customerButton(a)}</span></td>
      <td class="rule" title=${this.alertRuleTitle(a)}>
        <span class="line">${a.ruleLabel}</span>${sub ? html`<span class="sub line">${sub}</span>` : nothing}
      </td>
      <td class="num">
        <span class="line">${amount2(a.amount, L)}</span
        ><span class="sub line">${this.m('countShort', { n: formatValue(a.count, 'count', L) })}</span>
      </td>
    </tr>`;
  }

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
    const md = this.model(r);
    const L = this.lang_;
    const cur = (v: number | null): { text: string; raw: number | null } => ({
      text: formatValue(v, 'currency', L, 2),
      raw: v,
    });
    if (md.display === 'sankey') {
      const sm = md.m;
      const byId = new Map(sm.nodes.map((n) => [n.id, n]));
      const order = new Map(sm.nodes.map((n, i) => [n.id, i]));
      const links = [...sm.links].sort(
        (a, b) =>
          (byId.get(a.source)?.side === 'in' ? 0 : 1) - (byId.get(b.source)?.side === 'in' ? 0 : 1) ||
          (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0) ||
          (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0),
      );
      return {
        columns: [
          { key: 'stage', label: this.m('stage') },
          { key: 'source', label: this.m('from') },
          { key: 'target', label: this.m('to') },
          { key: 'value', label: this.m('amount'), numeric: true },
          { key: 'share', label: this.m('shareOfSource'), numeric: true },
        ],
        rows: links.map((l) => {
          const s = byId.get(l.source);
          const t = byId.get(l.target);
          const sh = s && s.outflow > 0 ? l.value / s.outflow : null;
          return [
            this.m(s?.side === 'in' ? 'stageIn' : 'stageOut'),
            s?.label ?? l.source,
            t?.label ?? l.target,
            cur(l.value),
            {
              text: share(l.value, s?.outflow ?? null, L),
              raw: sh === null ? null : Math.round(sh * 1e6) / 1e6,
            },
          ];
        }),
      };
    }
    if (md.display === 'trend') {
      const tm = md.m;
      const grouped = tm.groups.length > 0;
      return {
        columns: [
          { key: 'period', label: this.m('period') },
          ...(grouped
            ? [{ key: 'group', label: tm.by ? this.m('groupBy', { field: tm.by }) : this.m('group') }]
            : []),
          { key: 'inflow', label: this.m('inflow'), numeric: true },
          { key: 'outflow', label: this.m('outflow'), numeric: true },
          { key: 'net', label: this.m('net'), numeric: true },
          { key: 'cumulativeNet', label: this.m('cumulative'), numeric: true },
          { key: 'count', label: this.m('count'), numeric: true },
        ],
        rows: tm.points.map((p) => [
          { text: p.label, raw: p.period },
          ...(grouped ? [{ text: groupText(p.group, L), raw: p.group }] : []),
          cur(p.inflow),
          cur(p.outflow),
          cur(p.net),
          cur(p.cum),
          { text: formatValue(p.count, 'count', L), raw: p.count },
        ]),
      };
    }
    const am = md.m;
    return {
      columns: [
        { key: 'date', label: this.m('date') },
        { key: 'customer_id', label: this.m('customer') },
        { key: 'rule', label: this.m('rule') },
        { key: 'direction', label: this.m('direction') },
        { key: 'amount', label: this.m('amount'), numeric: true },
        { key: 'count', label: this.m('count'), numeric: true },
        { key: 'threshold', label: this.m('threshold'), numeric: true },
        { key: 'txnIds', label: this.m('txnIds') },
      ],
      rows: sortAlerts(am.rows, 'date', 'desc').map((a) => [
        {
          text: this.alertDate(a),
          raw: a.firstDate && a.firstDate !== a.date ? `${a.firstDate}/${a.date}` : a.date,
        },
        a.customer,
        { text: a.ruleLabel, raw: a.rule },
        {
          text: a.direction === 'in' ? this.m('dirIn') : a.direction === 'out' ? this.m('dirOut') : '—',
          raw: a.direction,
        },
        cur(a.amount),
        { text: formatValue(a.count, 'count', L), raw: a.count },
        { text: a.threshold === null ? '—' : formatValue(a.threshold, 'currency', L, 0), raw: a.threshold },
        a.txnIds.join(' '),
      ]),
    };
  }

  protected summary(r: MetricResult): string {
    const md = this.model(r);
    const L = this.lang_;
    const title = this.heading || pick(r.basis.title, L);
    const sep = L === 'zh-CN' ? '；' : '; ';
    if (md.display === 'sankey') {
      const sm = md.m;
      const net = sm.totalIn - sm.totalOut;
      let s = this.m('sumSankey', {
        title,
        in: money(sm.totalIn, L),
        out: money(sm.totalOut, L),
        netText: this.m(net >= 0 ? 'sumNetIn' : 'sumNetOut', { v: money(Math.abs(net), L) }),
      });
      const parts: string[] = [];
      const topIn = sm.nodes.filter((n) => n.side === 'in' && !n.synthetic)[0];
      const topOut = sm.nodes.filter((n) => n.side === 'out' && !n.synthetic)[0];
      if (topIn)
        parts.push(
          this.m('sumTopIn', {
            name: topIn.label,
            v: money(topIn.outflow, L),
            share: share(topIn.outflow, sm.totalIn, L),
          }),
        );
      if (topOut)
        parts.push(
          this.m('sumTopOut', {
            name: topOut.label,
            v: money(topOut.inflow, L),
            share: share(topOut.inflow, sm.totalOut, L),
          }),
        );
      for (const n of sm.nodes.filter((x) => x.side === 'mid').slice(0, 6))
        parts.push(this.m('sumMid', { name: n.label, in: money(n.inflow, L), out: money(n.outflow, L) }));
      if (parts.length) s += ` ${sentence(parts.join(sep), L)}`;
      return s;
    }
    if (md.display === 'trend') {
      const tm = md.m;
      const tt = tm.totals;
      if (!tt.length) return title;
      const sum = (k: 'inflow' | 'outflow'): number => tt.reduce((a, x) => a + (x[k] ?? 0), 0);
      const net = sum('inflow') - sum('outflow');
      let s = this.m('sumTrend', {
        title,
        from: tt[0]!.label,
        to: tt[tt.length - 1]!.label,
        n: tt.length,
        in: money(sum('inflow'), L),
        out: money(sum('outflow'), L),
        netText: this.m(net >= 0 ? 'sumNetIn' : 'sumNetOut', { v: money(Math.abs(net), L) }),
        cum: signedMoney(tt[tt.length - 1]!.cum, L),
      });
      const withNet = tt.filter((x) => x.net !== null);
      const best = [...withNet].sort((a, b) => b.net! - a.net!)[0];
      const worst = [...withNet].sort((a, b) => a.net! - b.net!)[0];
      const parts: string[] = [];
      if (best && best.net! > 0)
        parts.push(this.m('sumBest', { p: best.label, v: signedMoney(best.net, L) }));
      if (worst && worst.net! < 0)
        parts.push(this.m('sumWorst', { p: worst.label, v: signedMoney(worst.net, L) }));
      if (parts.length) s += ` ${sentence(parts.join(sep), L)}`;
      return s;
    }
    const am = md.m;
    const byRule = am.byRule.map((b) => `${b.label} ${b.n}`).join(L === 'zh-CN' ? '，' : ', ');
    let s = this.m('sumAlerts', { title, n: formatValue(am.total, 'count', L), byRule });
    const largest = sortAlerts(am.rows, 'amount', 'desc')[0];
    if (largest)
      s +=
        ' ' +
        this.m('sumLargest', {
          date: this.alertDate(largest),
          customer: largest.customer,
          rule: largest.ruleLabel,
          v: formatValue(largest.amount, 'currency', L, 2),
        });
    return s;
  }
}

/** Parts joined into a sentence: capitalised and closed with a full stop (。 in zh-CN). */
function sentence(text: string, locale: string): string {
  return locale === 'zh-CN' ? `${text}。` : `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function cellText(c: TableModel['rows'][number][number] | undefined): string {
  if (c === null || c === undefined) return '—';
  if (typeof c === 'object') return c.text;
  return String(c);
}
