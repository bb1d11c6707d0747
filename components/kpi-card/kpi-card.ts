import { css, html, nothing, svg } from 'lit';
import type { TemplateResult } from 'lit';
import { safeStyle } from '../base/safe-style.js';
import { property } from 'lit/decorators.js';
import type { MetricResult } from '../../src/engine/types.js';
import { formatDelta, formatPeriod, formatPoints, formatValue } from '../../src/format/number.js';
import type { ValueFormat } from '../../src/format/number.js';
import { pick } from '../../src/format/messages.js';
import { FinElement } from '../base/fin-element.js';
import type { TableModel } from '../base/export.js';
import type { KpiCardParams } from '../base/params.js';

/** Row of a `kpi` result (see docs/metrics.md). */
export interface KpiRow {
  value: number | null;
  comparison: number | null;
  delta: number | null;
  deltaPct: number | null;
  target: number | null;
  attainment: number | null;
  period?: [string, string];
  comparisonPeriod?: [string, string] | null;
}

const LABELS = {
  'zh-CN': { vs: '较上期', target: '目标', attainment: '达成', up: '上升', down: '下降', flat: '持平', good: '向好', bad: '变差' },
  'en-US': { vs: 'vs prior', target: 'Target', attainment: 'attained', up: 'up', down: 'down', flat: 'flat', good: 'better', bad: 'worse' },
};

/**
 * A KPI card: formatted value, comparison delta with arrow and good/bad colour, target attainment
 * bar, d3 sparkline, and the basis on demand.
 *
 * @summary KPI card with delta, target and sparkline.
 * @tag fin-kpi-card
 * @cssproperty --fin-kpi-card-value-size - Font size of the value (default 28px).
 * @cssproperty --fin-color-up - Rise colour in the Chinese convention (red).
 * @cssproperty --fin-color-down - Fall colour in the Chinese convention (green).
 * @csspart value - The formatted value.
 * @csspart delta - The comparison delta.
 * @csspart target - The target attainment bar.
 * @csspart sparkline - The sparkline SVG.
 * @fires fin-error - Loading or computing failed.
 * @fires fin-quality - The result excluded rows or carries warnings.
 */
export class FinKpiCard extends FinElement<KpiCardParams> {
  static override styles = [
    ...FinElement.styles,
    css`
      :host {
        --_value-size: var(--fin-kpi-card-value-size, 28px);
        min-width: 160px;
      }
      .row {
        display: flex;
        align-items: baseline;
        flex-wrap: wrap;
        gap: 4px 10px;
      }
      [part='value'] {
        font-size: var(--_value-size);
        font-weight: 650;
        font-variant-numeric: tabular-nums;
        letter-spacing: -0.01em;
        color: var(--_color-fg);
      }
      [part='delta'] {
        font-size: 13px;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .good {
        color: var(--_good);
      }
      .bad {
        color: var(--_bad);
      }
      .flat {
        color: var(--_color-muted);
      }
      .muted {
        color: var(--_color-muted);
        font-size: 12px;
      }
      [part='target'] {
        display: grid;
        gap: 2px;
        font-size: 12px;
        color: var(--_color-muted);
      }
      .bar {
        height: 6px;
        border-radius: 3px;
        background: var(--_color-surface);
        border: 1px solid var(--_color-border);
        overflow: hidden;
      }
      .bar > div {
        height: 100%;
        background: var(--_color-accent);
      }
      [part='sparkline'] {
        display: block;
        width: 100%;
        height: 36px;
        overflow: visible;
      }
      :host([color-convention='cn']) {
        --_good: var(--_color-up);
        --_bad: var(--_color-down);
      }
      :host(:not([color-convention='cn'])) {
        --_good: var(--_color-good);
        --_bad: var(--_color-bad);
      }
    `,
  ];

  /** Value format: number, compact (1.23万), currency (CNY), currency-compact, percent, count. */
  @property() format: ValueFormat = 'compact';
  /** Whether a rise is good (`higher-is-better`) or bad (`lower-is-better`, e.g. overdue rate). */
  @property() direction: 'higher-is-better' | 'lower-is-better' = 'higher-is-better';
  /**
   * Colour convention: `cn` (Chinese market: favourable red, unfavourable green) or `west`
   * (favourable green, unfavourable red).
   */
  @property({ attribute: 'color-convention', reflect: true }) colorConvention: 'cn' | 'west' = 'west';
  /** Fraction digits for percent and number formats. */
  @property({ type: Number }) digits: number | undefined = undefined;
  /** Label of the comparison (default "vs prior"). */
  @property({ attribute: 'comparison-label' }) comparisonLabel = '';

  protected defaultMetric(): string {
    return 'kpi';
  }

  protected override defaultSource(): string {
    return 'loan_months';
  }

  protected override queryKeys(): string[] {
    return [...super.queryKeys()];
  }

  private row(r: MetricResult): KpiRow {
    return (r.data[0] ?? {}) as unknown as KpiRow;
  }

  private tone(k: KpiRow): 'good' | 'bad' | 'flat' {
    const d = k.delta;
    if (d === null || d === undefined || !Number.isFinite(d) || d === 0) return 'flat';
    const up = d > 0;
    return up === (this.direction !== 'lower-is-better') ? 'good' : 'bad';
  }

  private fmt(x: number | null | undefined): string {
    return formatValue(x ?? null, this.format, this.lang_, this.digits);
  }

  private deltaText(k: KpiRow): string {
    if (this.format === 'percent') return formatPoints(k.delta, this.lang_);
    const abs = formatDelta(k.delta, this.format === 'currency' ? 'currency-compact' : this.format, this.lang_, this.digits);
    const pct = k.deltaPct === null || k.deltaPct === undefined ? '' : ` (${formatDelta(k.deltaPct, 'percent', this.lang_, 1)})`;
    return abs + pct;
  }

  protected renderChart(r: MetricResult): TemplateResult {
    const k = this.row(r);
    const L = LABELS[this.lang_];
    const tone = this.tone(k);
    const arrow = k.delta === null || k.delta === 0 ? '→' : k.delta > 0 ? '▲' : '▼';
    const dirWord = k.delta === null || k.delta === 0 ? L.flat : k.delta > 0 ? L.up : L.down;
    const hasCompare = k.comparison !== null && k.comparison !== undefined;
    return html`<div class="row">
        <span part="value">${this.fmt(k.value)}</span>
        ${hasCompare
          ? html`<span part="delta" class=${tone} aria-label=${`${this.comparisonLabel || L.vs} ${dirWord} ${this.deltaText(k)}${tone === 'flat' ? '' : `, ${tone === 'good' ? L.good : L.bad}`}`}>
              <span aria-hidden="true">${arrow}</span> ${this.deltaText(k)}
            </span>`
          : nothing}
      </div>
      ${hasCompare ? html`<div class="muted">${this.comparisonLabel || L.vs} ${this.fmt(k.comparison)}</div>` : nothing}
      ${k.target !== null && k.target !== undefined ? this.renderTarget(k) : nothing} ${this.renderSparkline(r)}`;
  }

  private renderTarget(k: KpiRow): TemplateResult {
    const L = LABELS[this.lang_];
    const a = k.attainment ?? null;
    const pct = a === null || !Number.isFinite(a) ? 0 : Math.max(0, Math.min(1, a));
    return html`<div part="target">
      <span>${L.target} ${this.fmt(k.target)} · ${L.attainment} ${formatValue(a, 'percent', this.lang_, 1)}</span>
      <div class="bar" role="progressbar" aria-label=${L.target} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(pct * 100)}>
        <div style=${safeStyle({ width: `${(pct * 100).toFixed(1)}%` })}></div>
      </div>
    </div>`;
  }

  private sparkPoints(r: MetricResult): Array<{ period: string; value: number }> {
    const s = (r.meta?.['sparkline'] ?? []) as Array<{ period: string; value: number | null }>;
    return s.filter((p): p is { period: string; value: number } => typeof p.value === 'number' && Number.isFinite(p.value));
  }

  private renderSparkline(r: MetricResult): TemplateResult | typeof nothing {
    const pts = this.sparkPoints(r);
    if (pts.length < 2) return nothing;
    const w = 200;
    const h = 36;
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of pts) {
      lo = Math.min(lo, p.value);
      hi = Math.max(hi, p.value);
    }
    if (lo === hi) {
      lo -= 1;
      hi += 1;
    }
    const x = (i: number): number => 1 + (i / (pts.length - 1)) * (w - 2);
    const y = (v: number): number => h - 2 - ((v - lo) / (hi - lo)) * (h - 4);
    // A polyline in d3's linear-curve path syntax (M x,y L x,y …), written out: d3-shape's line
    // generator cost the card entry 16 kB min for this one path.
    let d = '';
    for (let i = 0; i < pts.length; i++) d += `${i ? 'L' : 'M'}${x(i)},${y(pts[i]!.value)}`;
    // The fill under the line: the line's own path closed along the bottom edge (what d3's area with
    // y0 = h draws, without shipping d3's area generator in the card entry).
    const a = d ? `${d}L${x(pts.length - 1)},${h}L${x(0)},${h}Z` : '';
    const last = pts[pts.length - 1]!;
    return html`<svg part="sparkline" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none" aria-hidden="true">
      ${svg`<path d=${a} fill="var(--_color-accent)" opacity="0.12"></path>
        <path d=${d} fill="none" stroke="var(--_color-accent)" stroke-width="1.5" vector-effect="non-scaling-stroke"></path>
        <circle cx=${x(pts.length - 1)} cy=${y(last.value)} r="2.5" fill="var(--_color-accent)"></circle>`}
    </svg>`;
  }

  protected tableModel(r: MetricResult): TableModel {
    const k = this.row(r);
    const zh = this.lang_ === 'zh-CN';
    const rows: TableModel['rows'] = [
      [zh ? '当前值' : 'Value', { text: this.fmt(k.value), raw: k.value }],
      [zh ? '对比值' : 'Comparison', { text: this.fmt(k.comparison), raw: k.comparison }],
      [zh ? '变化' : 'Delta', { text: this.deltaText(k), raw: k.delta }],
      [zh ? '目标' : 'Target', { text: this.fmt(k.target), raw: k.target }],
      [zh ? '达成率' : 'Attainment', { text: formatValue(k.attainment, 'percent', this.lang_, 1), raw: k.attainment }],
    ];
    for (const p of this.sparkPoints(r)) rows.push([formatPeriod(p.period, this.lang_), { text: this.fmt(p.value), raw: p.value }]);
    return {
      columns: [
        { key: 'item', label: zh ? '项目' : 'Item' },
        { key: 'value', label: zh ? '数值' : 'Value', numeric: true },
      ],
      rows,
    };
  }

  protected summary(r: MetricResult): string {
    const k = this.row(r);
    const L = LABELS[this.lang_];
    const title = this.heading || pick(r.basis.title, this.lang_);
    const parts = [`${title}: ${this.fmt(k.value)}`];
    if (k.comparison !== null && k.comparison !== undefined) parts.push(`${this.comparisonLabel || L.vs} ${this.deltaText(k)}`);
    if (k.target !== null && k.target !== undefined) parts.push(`${L.target} ${this.fmt(k.target)}, ${L.attainment} ${formatValue(k.attainment, 'percent', this.lang_, 1)}`);
    return parts.join(this.lang_ === 'zh-CN' ? '；' : '; ');
  }
}
