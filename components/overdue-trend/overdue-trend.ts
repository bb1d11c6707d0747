import { html, nothing, svg } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FilterClause, MetricResult } from '../../src/engine/types.js';
import { msg, pick } from '../../src/format/messages.js';
import { OVERDUE_AREA } from '../../src/format/messages/overdue-trend.js';
import { formatMonth } from '../../src/format/number.js';
import {
  DISPLAYS,
  DISPLAY_METRIC,
  bucketClause,
  bucketColors,
  bucketModel,
  bucketRangeLabel,
  bucketSpec,
  flowModel,
  flowSpec,
  mergeRateResults,
  missingField,
  monthIndex,
  monthOf,
  pctExact,
  plusClause,
  rateModel,
  rateRequests,
  rateSpec,
  rollModel,
  rollSpec,
  MAIN_FLOW_EDGES,
} from '../../src/specs/overdue-trend.js';
import type { OverdueColors, OverdueDisplay, RateRequest } from '../../src/specs/overdue-trend.js';
import type { TableModel } from '../base/export.js';
import { VegaElement } from '../base/vega-element.js';
import type { VlSpec } from '../base/vega.js';
import type { OverdueTrendElementParams } from '../base/params.js';
import { changedStructurally } from '../base/fin-element.js';
import { overdueTrendStyles } from './styles.js';
import { cellText, overdueNote, overdueSummary, overdueTableModel, overdueTooltipLines } from './views.js';
import type { Model } from './views.js';

/** `exclude-current="false"` turns it off; a bare or removed attribute keeps the default (on). */
const onUnlessFalse = {
  fromAttribute: (v: string | null): boolean => v === null || !/^(false|0|off|no)$/i.test(v.trim()),
  toAttribute: (v: boolean): string => (v ? 'true' : 'false'),
};

/** `lag="auto"` (default: Mk+ lagged k months), `lag="0"` (coincident only) or a month count. */
const lagConverter = {
  fromAttribute: (v: string | null): number | 'auto' => {
    if (v === null || v.trim() === '' || v.trim().toLowerCase() === 'auto') return 'auto';
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 'auto';
  },
  toAttribute: (v: number | 'auto'): string => String(v),
};

/** `levels="1,3,4"` → [1, 3, 4]. */
const levelsConverter = {
  fromAttribute: (v: string | null): number[] =>
    (v ?? '')
      .split(/[\s,]+/)
      .map((s) => Number(s.replace(/^m/i, '').replace(/\+$/, '')))
      .filter((n) => Number.isInteger(n) && n > 0),
  toAttribute: (v: number[]): string => v.join(','),
};

/** `threshold="0.05"` or `threshold="5%"` → 0.05; empty → null. */
const thresholdConverter = {
  fromAttribute: (v: string | null): number | null => {
    if (v === null || v.trim() === '') return null;
    const s = v.trim();
    const n = s.endsWith('%') ? Number(s.slice(0, -1)) / 100 : Number(s);
    return Number.isFinite(n) ? n : null;
  },
  toAttribute: (v: number | null): string | null => (v === null ? null : String(v)),
};

/** Legend marker paths (centred on 0,0), matching the Vega point shapes of the lines. */
const SHAPE_PATHS: Record<string, string> = {
  circle: 'M3.2,0A3.2,3.2 0 1 1 -3.2,0A3.2,3.2 0 1 1 3.2,0Z',
  square: 'M-2.8,-2.8H2.8V2.8H-2.8Z',
  diamond: 'M0,-3.8L3.8,0L0,3.8L-3.8,0Z',
  'triangle-up': 'M0,-3.6L3.6,3L-3.6,3Z',
  'triangle-down': 'M0,3.6L3.6,-3L-3.6,-3Z',
  cross: 'M-1.2,-3.6H1.2V-1.2H3.6V1.2H1.2V3.6H-1.2V1.2H-3.6V-1.2H-1.2Z',
  'triangle-right': 'M3.6,0L-3,3.6L-3,-3.6Z',
  'triangle-left': 'M-3.6,0L3,3.6L3,-3.6Z',
};

/**
 * Delinquency (逾期) trend: the DPD bucket trend as stacked areas or bars, overdue-rate lines
 * (M1+, M3+, optionally M4+; coincident and lagged) with an alert line, flow-rate (迁徙率) lines
 * per bucket transition with the chained loss rate, and the roll-rate (滚动率) matrix.
 *
 * Each display queries its metric: `bucket_trend`, `overdue_rate` (one query per series, merged),
 * `flow_rate`, `roll_rate`. Clicking a month selects `snapshot_date.month` (shift-click a second
 * month for a range); clicking a bucket in the legend or a roll-rate row selects its `dpd` range.
 * Months and buckets are also selectable from the keyboard: legend buttons and, in the table view,
 * the row-header buttons.
 *
 * @summary Overdue bucket trend, overdue rates, flow rates and roll-rate matrix.
 * @tag fin-overdue-trend
 * @csspart legend - The legend (buttons; selecting a bucket or series filters its dpd range).
 * @csspart note - One-line note under the title (hidden M0 share, alert count, chained loss, t0 → t1).
 * @csspart chart - The chart area.
 * @csspart table - The data-table view (row headers are selection buttons).
 * @csspart tooltip - Tooltip.
 * @cssproperty --fin-overdue-trend-legend-gap - Gap between legend items (default 4px 12px).
 * @fires fin-select - A month (`snapshot_date.month` eq / range) or a bucket (`dpd` range) was selected, or the selection cleared.
 * @fires fin-error - Loading, computing or rendering failed (also when a `.result` does not fit the display).
 * @fires fin-quality - The result excluded rows or carries warnings.
 */
export class FinOverdueTrend extends VegaElement<OverdueTrendElementParams> {
  static override styles = [...VegaElement.styles, overdueTrendStyles];

  /** What to draw: `buckets` (bucket trend, default), `rates` (overdue rates), `flows` (flow rates) or `rollrate` (roll-rate matrix). */
  @property({ reflect: true }) display: OverdueDisplay = 'buckets';
  /** Buckets display: `area` (stacked areas, default) or `bar` (stacked bars). */
  @property({ attribute: 'chart-type' }) chartType: 'area' | 'bar' = 'area';
  /** Buckets display: show each bucket's share of the month's book instead of amounts. */
  @property({ type: Boolean }) share = false;
  /**
   * Buckets display: leave M0 (current) out so the overdue buckets are readable (default on;
   * `exclude-current="false"` draws M0 too). A note gives M0's share of the latest month.
   */
  @property({ attribute: 'exclude-current', converter: onUnlessFalse }) excludeCurrent = true;
  /** `amount` (Σ outstanding) or `count` (loans); empty = each metric's default (amount; roll rate: count). */
  @property() measure: '' | 'amount' | 'count' = '';
  /** Rates display: overdue levels k to draw (1 = M1+, 3 = M3+, 4 = M4+). Attribute: `levels="1,3,4"`. */
  @property({ converter: levelsConverter, hasChanged: changedStructurally }) levels: number[] = [1, 3];
  /**
   * Rates display: lag of the lagged series in months. `auto` (default): Mk+ lagged k months;
   * `0`: coincident only; a number: that lag for every level.
   */
  @property({ converter: lagConverter }) lag: number | 'auto' = 'auto';
  /** Rates display: alert threshold as a fraction (`0.05`) or percent (`5%`); points above it are highlighted. */
  @property({ converter: thresholdConverter }) threshold: number | null = null;
  /**
   * Flows display: `main` (default) draws the transitions an analyst reads — M0→M1, M1→M2, M2→M3
   * and M3→M4+ (the later buckets collapsed); `all` every transition of the bucket scale. Ignored
   * when `params.edges` sets the scale.
   */
  @property({ attribute: 'flow-set' }) flowSet: 'main' | 'all' = 'main';
  /** Roll-rate display: start month `YYYY-MM` (default: the month before `t1`). */
  @property() t0 = '';
  /** Roll-rate display: end month `YYYY-MM` (default: the latest month, or `t0` + 1). */
  @property() t1 = '';
  /** Plot height of the trend displays in px (the roll-rate matrix sizes itself by its rows). */
  @property({ type: Number, attribute: 'chart-height' }) chartHeight = 240;

  /** Months highlighted (the current month selection). */
  @state() private selMonths: string[] = [];
  /** Bucket highlighted (the current bucket selection). */
  @state() private selBucket: string | null = null;
  private anchorMonth: string | null = null;
  private shiftHeld = false;
  private batch: { reqs: RateRequest[]; i: number; got: Array<MetricResult | undefined> } | null = null;
  private batchSeq = 0;
  private memo: { key: unknown[]; model: Model } | null = null;
  private readonly onPointer = (e: MouseEvent): void => {
    this.shiftHeld = e.shiftKey;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Vega's click handler gets no modifier keys through the base: the host sees the click first
    // (capture phase), so remember shift here.
    this.addEventListener('click', this.onPointer, true);
    // (A query dropped by a disconnect is asked again by the base on reconnect.)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('click', this.onPointer, true);
    this.batchSeq++;
    this.batch = null;
  }

  /** The display in effect (an unknown value falls back to `buckets`). */
  get displayMode(): OverdueDisplay {
    return DISPLAYS.includes(this.display) ? this.display : 'buckets';
  }

  protected defaultMetric(): string {
    return DISPLAY_METRIC[this.displayMode];
  }

  protected override defaultSource(): string {
    return 'loan_months';
  }

  /** Title of the display when no result gives one (loading and error states). */
  protected override defaultTitle(): string {
    const key = {
      buckets: 'titleBuckets',
      rates: 'titleRates',
      flows: 'titleFlows',
      rollrate: 'titleRollrate',
    }[this.displayMode];
    return this.m(key);
  }

  protected override queryKeys(): string[] {
    return [...super.queryKeys(), 'display', 'measure', 'levels', 'lag', 't0', 't1', 'flowSet'];
  }

  protected override queryParams(): Record<string, unknown> {
    const p: Record<string, unknown> = { ...this.params };
    if (this.measure === 'amount' || this.measure === 'count') p['measure'] = this.measure;
    const d = this.displayMode;
    if (d === 'rates') {
      const req = this.batch?.reqs[this.batch.i] ?? this.rateReqs()[0]!;
      p['k'] = req.k;
      p['lag'] = req.lag;
    } else if (d === 'flows') {
      if (this.flowSet !== 'all' && p['edges'] === undefined) p['edges'] = [...MAIN_FLOW_EDGES];
    } else if (d === 'rollrate') {
      if (/^\d{4}-\d{2}$/.test(this.t0)) p['t0'] = this.t0;
      if (/^\d{4}-\d{2}$/.test(this.t1)) p['t1'] = this.t1;
    }
    return p;
  }

  private rateReqs(): RateRequest[] {
    const e = this.params?.['edges'];
    const n = Array.isArray(e) && e.length >= 2 ? e.length : 8;
    return rateRequests(this.levels, this.lag, n);
  }

  /**
   * Recompute. The rates display draws several `overdue_rate` series (levels × coincident/lagged):
   * it runs the base query once per series, in order (latest call wins, as in the base), and
   * shows their merge. Every other display is one query.
   */
  override async refresh(): Promise<void> {
    const my = ++this.batchSeq;
    if (this.result || this.displayMode !== 'rates' || this.metric) {
      this.batch = null;
      return super.refresh();
    }
    const reqs = this.rateReqs();
    const batch = { reqs, i: 0, got: [] as Array<MetricResult | undefined> };
    this.batch = batch;
    for (let i = 0; i < reqs.length; i++) {
      batch.i = i;
      await super.refresh();
      if (my !== this.batchSeq) return;
      // No result: the base showed an error or idle state, or the query was superseded.
      if (!batch.got[i]) {
        this.batch = null;
        return;
      }
    }
    this.batch = null;
    this.apply(mergeRateResults(reqs.map((req, i) => ({ req, result: batch.got[i]! }))));
  }

  protected override apply(input: MetricResult): void {
    const b = this.batch;
    if (b && input && Array.isArray(input.data) && input.basis) {
      b.got[b.i] = input;
      return;
    }
    const r = input;
    if (r && Array.isArray(r.data) && r.basis && r.data.length) {
      const field = missingField(this.displayMode, r);
      if (field) {
        this.fail(
          'bad_input',
          this.m('badShape', { field, display: this.displayMode, metric: DISPLAY_METRIC[this.displayMode] }),
        );
        return;
      }
    }
    super.apply(r);
  }

  private m(key: string, vars?: Record<string, string | number>): string {
    return msg(this.lang_, key, vars, OVERDUE_AREA);
  }

  private colors(): OverdueColors {
    return {
      fg: this.token('--_color-fg', '#111827'),
      muted: this.token('--_color-muted', '#4b5563'),
      border: this.token('--_color-border', '#d9dee5'),
      bg: this.token('--_color-bg', '#ffffff'),
      surface: this.token('--_color-surface', '#f8fafc'),
      accent: this.token('--_color-accent', '#1d4ed8'),
      bad: this.token('--_color-bad', '#b91c1c'),
    };
  }

  /** The view model of the current result (memoised per result, display, locale and theme). */
  private model(r: MetricResult): Model {
    const colors = this.colors();
    const d = this.displayMode;
    const key = [r, d, this.lang_, this.excludeCurrent, JSON.stringify(colors)];
    if (this.memo && this.memo.key.every((k, i) => k === key[i])) return this.memo.model;
    const L = this.lang_;
    const model: Model =
      d === 'rates'
        ? { display: d, m: rateModel(r, L, colors) }
        : d === 'flows'
          ? { display: d, m: flowModel(r, L, colors) }
          : d === 'rollrate'
            ? { display: d, m: rollModel(r, L, colors) }
            : { display: 'buckets', m: bucketModel(r, L, this.excludeCurrent) };
    this.memo = { key, model };
    return model;
  }

  protected spec(r: MetricResult, width: number): VlSpec | null {
    const md = this.model(r);
    const o = {
      locale: this.lang_,
      width,
      height: Math.max(120, this.chartHeight || 240),
      colors: this.colors(),
      selectedMonths: this.selMonths,
      selectedBucket: this.selBucket,
      description: this.summary(r),
    };
    switch (md.display) {
      case 'rates':
        return rateSpec(md.m, { ...o, threshold: this.threshold });
      case 'flows':
        return flowSpec(md.m, o);
      case 'rollrate':
        return rollSpec(md.m, o);
      default:
        return bucketSpec(md.m, {
          ...o,
          chartType: this.chartType === 'bar' ? 'bar' : 'area',
          share: this.share,
        });
    }
  }

  protected override markCount(r: MetricResult): number {
    return r.data.length * 2;
  }

  // -------------------------------------------------------------------------------------------
  // Selection

  protected override select(clause: FilterClause | null, label = ''): void {
    if (!clause) {
      this.selMonths = [];
      this.selBucket = null;
      this.anchorMonth = null;
    }
    super.select(clause, label);
  }

  private isMonthSelected(month: string): boolean {
    return this.selMonths.length === 1 && this.selMonths[0] === month;
  }

  /** Select a month; with `range` (shift) extend from the previous month to a range. */
  selectMonth(month: string, range = false): void {
    if (!/^\d{4}-\d{2}$/.test(month)) return;
    const L = this.lang_;
    if (range && this.anchorMonth && this.anchorMonth !== month) {
      const a = monthIndex(this.anchorMonth);
      const b = monthIndex(month);
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const months: string[] = [];
      for (let i = lo; i <= hi; i++) months.push(monthOf(i));
      this.selBucket = null;
      this.selMonths = months;
      super.select(
        { field: 'snapshot_date.month', op: 'range', value: [monthOf(lo), monthOf(hi)] },
        this.m('monthRange', { from: formatMonth(monthOf(lo), L), to: formatMonth(monthOf(hi), L) }),
      );
      return;
    }
    if (this.isMonthSelected(month)) {
      this.select(null);
      return;
    }
    this.anchorMonth = month;
    this.selBucket = null;
    this.selMonths = [month];
    super.select({ field: 'snapshot_date.month', op: 'eq', value: month }, formatMonth(month, L));
  }

  /** Select (or, when selected, clear) a bucket's dpd range. */
  selectBucket(bucket: string): void {
    if (this.selBucket === bucket) {
      this.select(null);
      return;
    }
    const clause = bucketClause(this.current, bucket);
    if (!clause) return;
    this.selMonths = [];
    this.anchorMonth = null;
    this.selBucket = bucket;
    super.select(clause, bucketRangeLabel(this.current, bucket, this.lang_));
  }

  /** Select (or clear) an Mk+ level: dpd ≥ the k-th edge. */
  private selectLevel(bucket: string, k: number): void {
    if (this.selBucket === bucket) {
      this.select(null);
      return;
    }
    const clause = plusClause(this.current, k);
    if (!clause) return;
    const lo = (clause.value as [number, null])[0];
    this.selMonths = [];
    this.anchorMonth = null;
    this.selBucket = bucket;
    super.select(clause, this.m('dpdOpen', { bucket, lo }));
  }

  protected override onMarkClick(d: Record<string, unknown>): void {
    const shift = this.shiftHeld;
    this.shiftHeld = false;
    if (typeof d['from'] === 'string' && typeof d['to'] === 'string' && this.displayMode === 'rollrate') {
      this.selectBucket(d['from']);
      return;
    }
    if (typeof d['month'] === 'string') this.selectMonth(d['month'], shift);
  }

  // -------------------------------------------------------------------------------------------
  // Rendering

  protected override renderChart(r: MetricResult): TemplateResult {
    let md: Model;
    try {
      md = this.model(r);
    } catch {
      return super.renderChart(r) as TemplateResult;
    }
    return html`${this.renderNote(md)}${this.renderLegend(md)}${super.renderChart(r)}`;
  }

  private renderNote(md: Model): TemplateResult | typeof nothing {
    const minLoans = String(this.current?.meta?.['minLoans'] ?? 30);
    const { text, alert } = overdueNote(md, this.lang_, this.threshold, minLoans);
    return text ? html`<p part="note" class=${alert ? 'alert' : ''}>${text}</p>` : nothing;
  }

  private swatch(color: string, dash: number[] | null, shape = ''): TemplateResult {
    return html`<svg width="22" height="12" viewBox="0 0 22 12" aria-hidden="true">
      ${
        dash === null
          ? svg`<rect x="2" y="2" width="18" height="8" rx="2" fill=${color}></rect>`
          : svg`<line x1="1" y1="6" x2="21" y2="6" stroke=${color} stroke-width="2" stroke-dasharray=${dash.length ? dash.join(' ') : 'none'}></line>
            ${shape ? svg`<path d=${SHAPE_PATHS[shape] ?? SHAPE_PATHS['circle']!} transform="translate(11 6)" fill=${color}></path>` : nothing}`
      }
    </svg>`;
  }

  private renderLegend(md: Model): TemplateResult | typeof nothing {
    const label = this.m('legendLabel');
    if (md.display === 'buckets') {
      const colors = bucketColors(md.m);
      return html`<ul part="legend" aria-label=${label}>
        ${md.m.shown.map(
          (b, i) =>
            html`<li>
              <button
                aria-pressed=${this.selBucket === b ? 'true' : 'false'}
                title=${bucketRangeLabel(this.current, b, this.lang_)}
                @click=${() => this.selectBucket(b)}
              >
                ${this.swatch(colors[i]!, null)}<span>${b}</span>
              </button>
            </li>`,
        )}
      </ul>`;
    }
    if (md.display === 'rates') {
      return html`<ul part="legend" aria-label=${label}>
        ${md.m.series.map(
          (s) =>
            html`<li>
              <button
                aria-pressed=${this.selBucket === s.bucket ? 'true' : 'false'}
                title=${this.m('selectBucket', { bucket: s.bucket })}
                @click=${() => this.selectLevel(s.bucket, s.k)}
              >
                ${this.swatch(s.color, s.dash, s.shape)}<span>${s.label}</span>
              </button>
            </li>`,
        )}
        ${
          this.threshold !== null && Number.isFinite(this.threshold)
            ? html`<li class="rule">
                ${this.swatch(this.token('--_color-bad', '#b91c1c'), [4, 3])}<span
                  >${this.m('threshold', { v: pctExact(this.threshold, this.lang_) })}</span
                >
              </li>`
            : nothing
        }
      </ul>`;
    }
    if (md.display === 'flows') {
      return html`<ul part="legend" aria-label=${label}>
        ${md.m.series.map(
          (s) =>
            html`<li>
              <button
                aria-pressed=${this.selBucket === s.from ? 'true' : 'false'}
                title=${bucketRangeLabel(this.current, s.from, this.lang_)}
                @click=${() => this.selectBucket(s.from)}
              >
                ${this.swatch(s.color, [], s.shape)}<span>${s.key}</span>
              </button>
            </li>`,
        )}
        ${
          this.params?.['edges'] === undefined
            ? html`<li>
                <button
                  class="flow-set"
                  aria-pressed=${this.flowSet === 'all' ? 'true' : 'false'}
                  @click=${() => (this.flowSet = this.flowSet === 'all' ? 'main' : 'all')}
                >
                  ${this.m('allFlows')}
                </button>
              </li>`
            : nothing
        }
      </ul>`;
    }
    return nothing;
  }

  /** Table view with selection buttons in the row headers (keyboard access to every month / bucket). */
  protected override renderTable(r: MetricResult): TemplateResult {
    const t = this.tableModel(r);
    const md = this.model(r);
    const keys = this.rowKeys(md);
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
            const key = keys[ri];
            const head = cellText(row[0]);
            const pressed = key
              ? md.display === 'rollrate'
                ? this.selBucket === key
                : this.selMonths.includes(key)
              : false;
            return html`<tr>
              <th scope="row" class="rowhead">
                ${
                  key
                    ? html`<button
                        aria-pressed=${pressed ? 'true' : 'false'}
                        title=${md.display === 'rollrate' ? bucketRangeLabel(this.current, key, this.lang_) : this.m('rangeHint')}
                        @click=${(e: MouseEvent) => (md.display === 'rollrate' ? this.selectBucket(key) : this.selectMonth(key, e.shiftKey))}
                      >
                        ${head}
                      </button>`
                    : head
                }
              </th>
              ${row.slice(1).map((cell, i) => html`<td class=${t.columns[i + 1]?.numeric ? 'num' : ''}>${cellText(cell)}</td>`)}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  /** Selection key of each table row: the month (trends) or the t0 bucket (roll rate). */
  private rowKeys(md: Model): Array<string | undefined> {
    return md.display === 'rollrate' ? md.m.rows : md.m.months;
  }

  protected tableModel(r: MetricResult): TableModel {
    return overdueTableModel(this.model(r), r, this.lang_, this.share);
  }

  protected override tooltipLines(d: Record<string, unknown>): string[] {
    const r = this.current;
    if (!r) return [];
    return overdueTooltipLines(this.model(r), r, this.lang_, d, this.threshold, this.selMonths);
  }

  protected summary(r: MetricResult): string {
    return overdueSummary(this.model(r), r, this.lang_, this.heading, this.threshold);
  }
}
