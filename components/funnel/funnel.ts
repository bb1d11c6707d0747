import { html, nothing, svg } from 'lit';
import type { PropertyValues, SVGTemplateResult, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { safeStyle } from '../base/safe-style.js';
import { ResizeController } from '@lit-labs/observers/resize-controller.js';
import type { FilterClause, MetricResult } from '../../src/engine/types.js';
import { msg, pick } from '../../src/format/messages.js';
import '../../src/format/messages/funnel.js';
import { formatValue } from '../../src/format/number.js';
import {
  MISSING_GROUP,
  funnelLayout,
  normalizeFunnel,
  smallMultiplesGrid,
} from '../../src/specs/funnel-layout.js';
import type {
  FunnelLayout,
  FunnelModel,
  FunnelOrientation,
  FunnelStageDatum,
  StageLayout,
  TextLine,
} from '../../src/specs/funnel-layout.js';
import { CATEGORICAL } from '../../src/theme/tokens.js';
import { changedStructurally, FinElement } from '../base/fin-element.js';
import type { TableModel } from '../base/export.js';
import type { FunnelElementParams } from '../base/params.js';
import { cacByGroupOf, cacOf, stageInputs } from './stage-input.js';
import { funnelStyles } from './styles.js';
import { funnelStageText, funnelSummary, funnelTableModel, funnelTipText } from './views.js';
import type { CacInfo, FunnelText } from './views.js';

interface Tip {
  x: number;
  y: number;
  text: string;
}

/** Same-stage keys for the tooltip of a focused / hovered mark. */
interface MarkRef {
  stage: number;
  /** Group key (grouped sub-bar or small-multiples panel), or null for the whole stage. */
  group: string | null;
}

/**
 * A conversion funnel: one bar per stage, sized by its count and centred like a funnel, with
 * trapezoids showing the drop-off between stages; labels for the stage name, count, step and
 * overall conversion, drop-off and median time from the previous stage; the acquisition cost
 * (CAC) when the result carries spend. With a breakdown, groups are drawn side by side in each
 * stage (`grouped`) or as one small funnel per group (`small-multiples`).
 *
 * Selecting a stage (click, or Enter / Space on a focused stage) emits `fin-select` with
 * `{ field: 'stage', op: 'eq', value: <stage> }`; selecting it again clears the selection.
 * Arrow keys, Home and End move between stages.
 *
 * @summary Conversion funnel with drop-off, conversions, median times and CAC.
 * @tag fin-funnel
 * @cssproperty --fin-funnel-bar-color - Bar colour of a funnel without breakdown (default the accent).
 * @cssproperty --fin-funnel-connector-opacity - Opacity of the drop-off trapezoids (default 0.16).
 * @csspart funnel - Each funnel SVG (one per small-multiples panel).
 * @csspart stage - A stage (focusable button: bar, labels and hit area).
 * @csspart bar - A stage bar (or a group's sub-bar).
 * @csspart connector - A drop-off trapezoid between two stages.
 * @csspart legend - Breakdown legend.
 * @csspart panel - A small-multiples panel.
 * @csspart cac - The acquisition-cost line.
 * @csspart tooltip - The text tooltip.
 * @csspart chart - The chart area (base).
 * @csspart table - The data-table view (base).
 * @csspart loading - Loading state (base).
 * @csspart empty - Empty state (base).
 * @csspart error - Error state (base).
 * @csspart quality - Partial-data warning (base).
 * @fires fin-select - A stage was selected (`{ field: 'stage', op: 'eq', value }`) or the selection cleared (`clause: null`).
 * @fires fin-error - Loading or computing failed.
 * @fires fin-quality - The result excluded events or carries warnings.
 */
export class FinFunnel extends FinElement<FunnelElementParams> {
  static override styles = [...FinElement.styles, funnelStyles];

  /** `horizontal`: stages left → right, bar heights by count; `vertical`: stages top → bottom, bar widths by count. A horizontal funnel too narrow for its stages (under 84px per stage) is drawn vertically. */
  @property({ reflect: true }) orientation: FunnelOrientation = 'horizontal';
  /** Counting mode merged into the metric params: `strict` (ordered journeys, the metric default) or `loose` (distinct entities per stage). Empty: `params.mode` or the default. */
  @property() mode: 'strict' | 'loose' | '' = '';
  /** Breakdown field (e.g. `channel`), merged into the metric params. */
  @property() breakdown = '';
  /** How a breakdown is drawn: `grouped` (side-by-side bars per stage) or `small-multiples` (one funnel per group). */
  @property({ attribute: 'breakdown-layout', reflect: true }) breakdownLayout: 'grouped' | 'small-multiples' =
    'grouped';
  /** Ordered stage names (property only); merged into the metric params. */
  @property({ attribute: false, hasChanged: changedStructurally }) stages: string[] | null = null;
  /** Strict mode: stage k must follow stage 1 within this many days. */
  @property({ type: Number, attribute: 'window-days' }) windowDays: number | null = null;
  /** Fraction digits of the conversion percentages (default 1). */
  @property({ type: Number }) digits = 1;
  /** Chart height in px for the horizontal orientation (0: 300, small-multiples panels 240). Vertical funnels take the height their rows need. */
  @property({ type: Number, attribute: 'chart-height' }) chartHeight = 0;

  /** The stage selected on this element (highlighted), or null. */
  @state() protected selectedStage: string | null = null;
  @state() private tip: Tip | null = null;

  /** Width of the chart box itself (the host minus its padding), observed. */
  private readonly chartBox = new ResizeController(this, {
    target: null,
    callback: (entries) => entries[0]?.contentRect.width,
  });
  private observed: Element | null = null;

  protected defaultMetric(): string {
    return 'funnel';
  }

  protected override defaultSource(): string {
    return 'funnel_events';
  }

  protected override queryParams(): Record<string, unknown> {
    const p: Record<string, unknown> = { ...this.params };
    if (this.mode) p['mode'] = this.mode;
    if (this.breakdown) p['breakdown'] = this.breakdown;
    if (this.stages && this.stages.length) p['stages'] = [...this.stages];
    if (this.windowDays !== null && this.windowDays !== undefined && Number.isFinite(this.windowDays))
      p['windowDays'] = this.windowDays;
    return p;
  }

  protected override queryKeys(): string[] {
    return [...super.queryKeys(), 'mode', 'breakdown', 'stages', 'windowDays'];
  }

  /** Validate the rows before taking a result: a stage name and a count on each row. */
  protected override apply(r: MetricResult): void {
    if (r && Array.isArray(r.data) && r.basis) {
      const bad = r.data.find(
        (row) => row === null || typeof row !== 'object' || !('stage' in row) || !('count' in row),
      );
      if (bad !== undefined) {
        const missing = bad && typeof bad === 'object' && 'stage' in bad ? 'count' : 'stage';
        this.fail('missing_column', `Funnel rows need "stage" and "count"; a row has no "${missing}"`, {
          column: missing,
        });
        return;
      }
    }
    super.apply(r);
    // A selection of a stage that is gone no longer highlights anything.
    if (
      this.selectedStage !== null &&
      this.current &&
      !this.model(this.current).stages.includes(this.selectedStage)
    ) {
      this.selectedStage = null;
    }
  }

  protected override select(clause: FilterClause | null, label = ''): void {
    this.selectedStage =
      clause && clause.field === 'stage' && clause.op === 'eq' ? String(clause.value) : null;
    super.select(clause, label);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.observed) this.chartBox.unobserve(this.observed);
    this.observed = null;
    this.tip = null;
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

  // --- model -----------------------------------------------------------------------------------

  private modelCache: { r: MetricResult; bd: string; stages: string[] | null; m: FunnelModel } | null = null;

  /** The result reshaped (cached per result). */
  protected model(r: MetricResult): FunnelModel {
    const c = this.modelCache;
    if (c && c.r === r && c.bd === this.breakdown && c.stages === this.stages) return c.m;
    const meta = r.meta ?? {};
    const metaStages = Array.isArray(meta['stages']) ? (meta['stages'] as unknown[]).map(String) : undefined;
    const overall = Array.isArray(meta['overall'])
      ? (meta['overall'] as Array<Record<string, unknown>>)
      : null;
    const m = normalizeFunnel(r.data, {
      breakdown: this.breakdown,
      stages: metaStages ?? this.stages ?? undefined,
      overall,
    });
    this.modelCache = { r, bd: this.breakdown, stages: this.stages, m };
    return m;
  }

  private fmtPct(v: number | null): string {
    return formatValue(v, 'percent', this.lang_, this.digits);
  }

  private fmtCount(v: number | null): string {
    return formatValue(v, 'count', this.lang_);
  }

  private m(key: string, vars?: Record<string, string | number>): string {
    return msg(this.lang_, key, vars, 'funnel');
  }

  private groupLabel(key: string): string {
    return key === MISSING_GROUP ? this.m('missingGroup') : key;
  }

  private color(i: number): string {
    return CATEGORICAL[i % CATEGORICAL.length]!;
  }

  /** The numbers of one stage as one line of text (aria-label, tooltip). */
  private stageText(d: FunnelStageDatum, i: number, group: string | null, sep: string): string {
    return funnelStageText(this.textHelpers(), d, i, group, sep);
  }

  // --- layout ----------------------------------------------------------------------------------

  private width(): number {
    const own = this.chartBox.value as number | undefined;
    if (typeof own === 'number' && own > 0) return own;
    const host = this.size.value as { width: number } | undefined;
    // Before the first observation: the host's own width less the card padding and border, so the
    // first paint already fits (no flash of a 600px chart in a narrow slot).
    const w = host && host.width > 0 ? host.width : this.clientWidth;
    return w > 0 ? Math.max(0, w - 26) : 600;
  }

  // --- rendering -------------------------------------------------------------------------------

  protected renderChart(r: MetricResult): TemplateResult {
    const model = this.model(r);
    const width = this.width();
    const small = model.groups.length > 0 && this.breakdownLayout === 'small-multiples';
    const cac = cacOf(r);
    const mode = r.meta?.['mode'] ?? r.basis?.options?.['mode'];
    return html`<div class="wrap" @pointerleave=${this.hideTip}>
      ${mode === 'loose' ? html`<p class="mode">${this.m('modeLoose')}</p>` : nothing}
      ${model.groups.length ? this.renderLegend(r, model, small) : nothing}
      ${small ? this.renderSmallMultiples(model, width) : this.renderFunnel(model.total, model.groups, width, null)}
      ${cac && cac.cac !== null ? this.renderCac(cac, model) : nothing}
      ${this.tip ? this.renderTip(this.tip) : nothing}
    </div>`;
  }

  // The tooltip keeps its line breaks (white-space: pre-line), so no whitespace around the text.
  // It is visual only (aria-hidden): each stage button's aria-label carries the same numbers.
  // prettier-ignore
  private renderTip(tip: Tip): TemplateResult {
    return html`<div part="tooltip" aria-hidden="true" style=${safeStyle({ left: `${Math.round(tip.x)}px`, top: `${Math.round(tip.y)}px` })}>${tip.text}</div>`;
  }

  private renderLegend(r: MetricResult, model: FunnelModel, small: boolean): TemplateResult {
    const byGroup = cacByGroupOf(r);
    const last = model.stages.length - 1;
    return html`<ul part="legend" aria-label=${this.m('legend')}>
      ${model.groups.map((g, i) => {
        const first = g.stages[0]?.count ?? null;
        const end = g.stages[last]?.count ?? null;
        const cac = byGroup.get(g.key);
        return html`<li>
          ${
            small
              ? nothing
              : html`<svg width="10" height="10" aria-hidden="true">
                  <rect width="10" height="10" rx="2" fill=${this.color(i)}></rect>
                </svg>`
          }
          <span class="key">${this.groupLabel(g.key)}</span>
          <span
            >${this.fmtCount(first)} → ${this.fmtCount(end)}
            (${this.fmtPct(g.stages[last]?.overallConversion ?? null)})${
              cac && cac.cac !== null ? ` · CAC ${formatValue(cac.cac, 'currency', this.lang_)}` : ''
            }</span
          >
        </li>`;
      })}
    </ul>`;
  }

  private renderSmallMultiples(model: FunnelModel, width: number): TemplateResult {
    const grid = smallMultiplesGrid(width, model.groups.length, this.orientation === 'vertical' ? 300 : 360);
    const inner = Math.max(0, grid.panelWidth - 18);
    const last = model.stages.length - 1;
    return html`<div
      class="grid"
      style=${safeStyle({ gridTemplateColumns: `repeat(${grid.columns}, minmax(0, 1fr))` })}
    >
      ${model.groups.map(
        (g) =>
          html`<section part="panel" aria-label=${this.groupLabel(g.key)}>
            <h4>
              <span>${this.groupLabel(g.key)}</span>
              <span class="muted"
                >${this.m('overallShort', { v: this.fmtPct(g.stages[last]?.overallConversion ?? null) })}</span
              >
            </h4>
            ${this.renderFunnel(g.stages, [], inner, g.key)}
          </section>`,
      )}
    </div>`;
  }

  private renderFunnel(
    series: FunnelStageDatum[],
    groups: FunnelModel['groups'],
    width: number,
    panel: string | null,
  ): TemplateResult {
    const height = this.chartHeight > 0 ? this.chartHeight : panel !== null ? 240 : 300;
    const layout = funnelLayout(stageInputs(this.textHelpers(), series, width, this.orientation, groups), {
      width,
      height: this.orientation === 'horizontal' ? height : undefined,
      orientation: this.orientation,
    });
    const label = panel === null ? this.m('stages') : `${this.m('stages')} · ${this.groupLabel(panel)}`;
    return html`<svg
      part="funnel"
      role="group"
      aria-label=${label}
      width=${layout.width}
      height=${layout.height}
      viewBox="0 0 ${layout.width} ${layout.height}"
    >
      ${layout.connectors.map((c) =>
        c.points.length
          ? svg`<polygon part="connector" class=${this.selectedStage !== null && this.selectedStage !== layout.stages[c.to]?.name ? 'dim-c' : ''}
              points=${c.points.map((p) => p.join(',')).join(' ')} aria-hidden="true"></polygon>`
          : nothing,
      )}
      ${layout.stages.map((s) => this.renderStage(s, series, groups, layout, panel))}
      <g class="labels" aria-hidden="true">
        ${layout.stages.map(
          (s) => svg`<g>
            ${s.subBars.map((b) => (b.label ? this.text(b.label) : nothing))}
            ${s.nameLines.map((l) => this.text(l))} ${this.text(s.count)} ${s.details.map((l) => this.text(l))}
          </g>`,
        )}
        ${layout.connectors.map((c) => c.labels.map((l) => this.text(l)))}
      </g>
    </svg>`;
  }

  /** A placed label. Labels live in one aria-hidden layer: each stage button's aria-label carries the same numbers. */
  private text(l: TextLine): SVGTemplateResult {
    return svg`<text class=${l.role} x=${l.x} y=${l.y} text-anchor=${l.anchor} font-size=${l.size}>${l.text}</text>`;
  }

  private renderStage(
    s: StageLayout,
    series: FunnelStageDatum[],
    groups: FunnelModel['groups'],
    layout: FunnelLayout,
    panel: string | null,
  ): SVGTemplateResult {
    const d = series[s.index]!;
    const sep = this.lang_ === 'zh-CN' ? '，' : ', ';
    const selected = this.selectedStage === d.stage;
    const cls = [
      'stage',
      selected ? 'selected' : '',
      this.selectedStage !== null && !selected ? 'dim' : '',
    ].join(' ');
    let aria = this.stageText(d, s.index, panel, sep);
    if (groups.length) {
      aria +=
        sep +
        groups
          .map((g) => {
            const gd = g.stages[s.index]!;
            return this.m('groupPart', {
              group: this.groupLabel(g.key),
              count: this.fmtCount(gd.count),
              pct: this.fmtPct(gd.overallConversion),
            });
          })
          .join(sep);
    }
    const ref: MarkRef = { stage: s.index, group: panel };
    const zeroBar = s.bar.width === 0 || s.bar.height === 0;
    const horizontal = layout.orientation === 'horizontal';
    return svg`<g
      part="stage"
      class=${cls}
      role="button"
      tabindex="0"
      aria-pressed=${selected ? 'true' : 'false'}
      aria-label=${aria}
      data-stage=${d.stage}
      data-index=${s.index}
      @click=${() => this.toggle(d.stage)}
      @keydown=${(e: KeyboardEvent) => this.onKey(e, d.stage)}
      @focus=${(e: FocusEvent) => this.showTipFor(e, ref, series, groups, s, layout)}
      @blur=${this.hideTip}
      @pointermove=${(e: PointerEvent) => this.moveTip(e, ref, series, groups)}
    >
      <rect class="hit" x=${s.slot.x} y=${s.slot.y} width=${s.slot.width} height=${s.slot.height} rx="4"></rect>
      ${
        groups.length
          ? s.subBars.map(
              (
                b,
                j,
              ) => svg`<rect part="bar" class="sub" data-group=${b.key} x=${b.rect.x} y=${b.rect.y} width=${b.rect.width} height=${b.rect.height}
                fill=${this.color(j)} rx="1.5"
                @pointermove=${(e: PointerEvent) => {
                  e.stopPropagation();
                  this.moveTip(e, { stage: s.index, group: b.key }, groups[j]!.stages, []);
                }}></rect>
`,
            )
          : zeroBar
            ? svg`<line class="zero" x1=${s.bar.x} y1=${s.bar.y} x2=${horizontal ? s.bar.x + s.bar.width : s.bar.x} y2=${horizontal ? s.bar.y : s.bar.y + s.bar.height}></line>`
            : svg`<rect part="bar" class="single" x=${s.bar.x} y=${s.bar.y} width=${s.bar.width} height=${s.bar.height} rx="2"></rect>`
      }
    </g>`;
  }

  private renderCac(cac: CacInfo, model: FunnelModel): TemplateResult {
    const last = model.stages[model.stages.length - 1] ?? '';
    return html`<p part="cac">
      <strong>${this.m('cacShort', { cac: formatValue(cac.cac, 'currency', this.lang_) })}</strong>
      <span
        >${this.m('cacDetail', { spend: formatValue(cac.spend, 'currency-compact', this.lang_), stage: last, n: this.fmtCount(cac.customers) })}</span
      >
    </p>`;
  }

  // --- interaction -----------------------------------------------------------------------------

  private toggle(stage: string): void {
    if (this.selectedStage === stage) this.select(null);
    else this.select({ field: 'stage', op: 'eq', value: stage }, stage);
  }

  private onKey(e: KeyboardEvent, stage: string): void {
    if (e.key === 'Enter' || e.key === ' ' || e.key === 'Spacebar') {
      e.preventDefault();
      this.toggle(stage);
      return;
    }
    if (e.key === 'Escape') {
      this.hideTip();
      return;
    }
    const moves: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    const g = e.currentTarget as SVGGElement;
    const svgEl = g.ownerSVGElement;
    if (!svgEl) return;
    const all = [...svgEl.querySelectorAll<SVGGElement>('g.stage')];
    const i = all.indexOf(g);
    const j =
      e.key in moves ? i + moves[e.key]! : e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : null;
    if (j === null) return;
    e.preventDefault();
    all[Math.max(0, Math.min(all.length - 1, j))]?.focus();
  }

  private tipText(ref: MarkRef, series: FunnelStageDatum[], groups: FunnelModel['groups']): string {
    return funnelTipText(this.textHelpers(), ref, series, groups);
  }

  private placeTip(x: number, y: number, text: string): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.wrap');
    const w = wrap?.clientWidth ?? 600;
    // Keep the tooltip inside the card: flip to the left of the pointer near the right edge.
    const left = x > w - 220 ? Math.max(0, x - 232) : x + 12;
    this.tip = { x: left, y: Math.max(0, y + 12), text };
  }

  private moveTip(
    e: PointerEvent,
    ref: MarkRef,
    series: FunnelStageDatum[],
    groups: FunnelModel['groups'],
  ): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.wrap');
    if (!wrap) return;
    const box = wrap.getBoundingClientRect();
    this.placeTip(e.clientX - box.left, e.clientY - box.top, this.tipText(ref, series, groups));
  }

  private showTipFor(
    e: FocusEvent,
    ref: MarkRef,
    series: FunnelStageDatum[],
    groups: FunnelModel['groups'],
    s: StageLayout,
    _layout: FunnelLayout,
  ): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.wrap');
    const svgEl = (e.currentTarget as SVGGElement).ownerSVGElement;
    if (!wrap || !svgEl) return;
    const a = wrap.getBoundingClientRect();
    const b = svgEl.getBoundingClientRect();
    this.placeTip(
      b.left - a.left + s.bar.x + s.bar.width / 2,
      b.top - a.top + s.bar.y + s.bar.height / 2,
      this.tipText(ref, series, groups),
    );
  }

  private readonly hideTip = (): void => {
    this.tip = null;
  };

  // --- table and summary -----------------------------------------------------------------------

  protected tableModel(r: MetricResult): TableModel {
    return funnelTableModel(this.model(r), this.textHelpers(), this.breakdown);
  }

  /** The text helpers of the table and summary (locale, messages, number formats). */
  private textHelpers(): FunnelText {
    return {
      L: this.lang_,
      m: (key, vars) => this.m(key, vars),
      fmtPct: (v) => this.fmtPct(v),
      fmtCount: (v) => this.fmtCount(v),
      groupLabel: (key) => this.groupLabel(key),
    };
  }

  protected summary(r: MetricResult): string {
    const model = this.model(r);
    if (!model.total.length) return '';
    const title = this.heading || pick(r.basis.title, this.lang_);
    return funnelSummary(model, this.textHelpers(), title, this.breakdown, cacOf(r));
  }
}
