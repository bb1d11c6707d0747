import { css, html, nothing, svg } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { MetricResult } from '../../src/engine/types.js';
import { pick } from '../../src/format/messages.js';
import '../../src/format/messages/model.js';
import { bandsSpec } from '../../src/specs/model-bands.js';
import { DISPLAYS, fig, m, missingField, monitorModel, pct, statusOf, statusText } from '../../src/specs/model-common.js';
import type { Figure, ModelColors, ModelDisplay, MonitorModel, Status } from '../../src/specs/model-common.js';
import { curvesSpec } from '../../src/specs/model-curves.js';
import { stabilitySpec } from '../../src/specs/model-stability.js';
import { trendSpec } from '../../src/specs/model-trend.js';
import { CATEGORICAL } from '../../src/theme/tokens.js';
import type { TableModel } from '../base/export.js';
import type { ModelElementParams } from '../base/params.js';
import { VegaElement } from '../base/vega-element.js';
import type { VlSpec } from '../base/vega.js';
import { bandTable, featureTable, tableModelOf } from './tables.js';

const VIEW_KEYS: Record<ModelDisplay, string> = {
  overview: 'viewOverview',
  curves: 'viewCurves',
  bands: 'viewBands',
  stability: 'viewStability',
  features: 'viewFeatures',
};

/**
 * Model monitoring (模型监控) of a score model from the `model_monitor` metric: KS / AUC / Gini /
 * PSI tiles with a red-amber-green status and a monthly sparkline, the AUC / KS / Gini trend
 * (overview), ROC and KS curves, lift and gain per score band with the band table, expected vs
 * actual score distribution beside the monthly PSI (stability), and the feature table (IV, CSI,
 * WOE bins on demand). One query answers every display: switching displays (the `display`
 * attribute or the view buttons) does not query again.
 *
 * Status thresholds (also in the basis panel): KS < 0.20 red, 0.20–0.30 amber, ≥ 0.30 green; AUC
 * < 0.65 red, 0.65–0.75 amber, ≥ 0.75 green; Gini < 0.30 / 0.50; PSI < 0.10 green, 0.10–0.25
 * amber, ≥ 0.25 red.
 *
 * @summary Score-model monitoring: KS / AUC / Gini / PSI, ROC and KS curves, lift, bands, stability, features.
 * @tag fin-model
 * @csspart views - The view buttons.
 * @csspart tiles - The KS / AUC / Gini / PSI tiles.
 * @csspart tile - One tile.
 * @csspart status - A tile's status (red / amber / green, with its word).
 * @csspart bands - The score-band table (bands display).
 * @csspart features - The feature table (features display).
 * @csspart bins - The WOE bins of the feature opened.
 * @csspart chart - The chart area.
 * @csspart table - The data-table view.
 * @csspart tooltip - Tooltip.
 * @cssproperty --fin-model-tile-min - Minimum tile width (default 130px).
 * @fires fin-error - Loading, computing or rendering failed (also when a `.result` is not a model_monitor result).
 * @fires fin-quality - The result excluded rows or carries warnings.
 */
export class FinModel extends VegaElement<ModelElementParams> {
  static override styles = [
    ...VegaElement.styles,
    css`
      :host {
        --_tile-min: var(--fin-model-tile-min, 130px);
        min-width: 240px;
      }
      .plot {
        width: 100%;
        min-height: 40px;
      }
      .plot svg {
        display: block;
      }
      [part='views'] {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      [part='views'] button[aria-pressed='true'] {
        color: var(--_color-accent);
        border-color: var(--_color-accent);
        font-weight: 600;
      }
      [part='tiles'] {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(var(--_tile-min), 1fr));
        gap: 8px;
        margin-bottom: 8px;
      }
      [part='tile'] {
        border: 1px solid var(--_color-border);
        border-left-width: 4px;
        border-radius: 6px;
        padding: 6px 8px;
        display: flex;
        flex-direction: column;
        gap: 2px;
        min-width: 0;
      }
      [part='tile'].green {
        border-left-color: var(--_color-good);
      }
      [part='tile'].amber {
        border-left-color: var(--_color-warning);
      }
      [part='tile'].red {
        border-left-color: var(--_color-bad);
      }
      .tile-head {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 4px;
        color: var(--_color-muted);
        font-size: 12px;
      }
      .tile-value {
        font-size: 22px;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .tile-sub {
        color: var(--_color-muted);
        font-size: 11px;
        overflow-wrap: anywhere;
      }
      [part='status'] {
        font-size: 11px;
        font-weight: 600;
        padding: 0 6px;
        border-radius: 999px;
        border: 1px solid currentColor;
        white-space: nowrap;
      }
      [part='status'].green {
        color: var(--_color-good);
      }
      [part='status'].amber {
        color: var(--_color-warning);
      }
      [part='status'].red {
        color: var(--_color-bad);
      }
      .spark {
        width: 100%;
        height: 24px;
        display: block;
      }
      .note {
        margin: 0 0 4px;
        font-size: 12px;
        color: var(--_color-muted);
      }
      [part='bands'],
      [part='features'] {
        overflow: auto;
        max-height: 360px;
        margin-top: 8px;
      }
      [part='bins'] td {
        background: var(--_color-surface);
      }
      [part='features'] button {
        font-size: 11px;
        padding: 0 6px;
      }
      .reading-shifted,
      .reading-suspect {
        color: var(--_color-bad);
        font-weight: 600;
      }
      .reading-watch {
        color: var(--_color-warning);
        font-weight: 600;
      }
    `,
  ];

  /** `overview` (tiles + trend, default), `curves` (ROC / KS), `bands` (lift, gain, band table), `stability` (expected vs actual, PSI by month) or `features` (IV, CSI, WOE bins). */
  @property({ reflect: true }) display: ModelDisplay = 'overview';
  /** Hide the view buttons (a dashboard widget fixed to one display). */
  @property({ type: Boolean, attribute: 'hide-views' }) hideViews = false;
  /** Chart height in px. */
  @property({ type: Number, attribute: 'chart-height' }) chartHeight = 220;

  /** The feature whose WOE bins are open (features display). */
  @state() protected openFeature: string | null = null;

  private memo: { r: MetricResult; L: string; model: MonitorModel } | null = null;

  /** The display in effect (an unknown value falls back to `overview`). */
  get displayMode(): ModelDisplay {
    return DISPLAYS.includes(this.display) ? this.display : 'overview';
  }

  protected defaultMetric(): string {
    return 'model_monitor';
  }

  /** The dataset `.data` is loaded as: the one the definition's sample is drawn from. */
  protected override defaultSource(): string {
    const def = (this.params as { definition?: unknown } | null)?.definition;
    return def === 'churn' ? 'transactions' : def === 'cure' ? 'loan_months' : 'loans';
  }

  protected override defaultTitle(): string {
    return m(this.lang_, 'title');
  }

  /**
   * Empty when nothing was scored. A sample without observation dates (German Credit, a random
   * split) has no monthly rows but still every figure, curve, band and feature in `meta`.
   */
  protected override isEmpty(r: MetricResult): boolean {
    if (r.data.length) return false;
    const overall = (r.meta as { overall?: { count?: unknown } } | undefined)?.overall;
    return !(typeof overall?.count === 'number' && overall.count > 0);
  }

  protected override apply(r: MetricResult): void {
    if (r && Array.isArray(r.data) && r.basis && !this.isEmpty(r)) {
      const field = missingField(r);
      if (field) {
        this.fail('bad_input', m(this.lang_, 'badShape', { field }));
        return;
      }
    }
    this.openFeature = null;
    super.apply(r);
  }

  /** The view model of the current result (memoised per result and locale). */
  model(r: MetricResult): MonitorModel {
    if (this.memo?.r === r && this.memo.L === this.lang_) return this.memo.model;
    const model = monitorModel(r, this.lang_);
    this.memo = { r, L: this.lang_, model };
    return model;
  }

  private colors(): ModelColors {
    const t = (n: string, d: string): string => this.token(n, d);
    return {
      fg: t('--_color-fg', '#111827'),
      muted: t('--_color-muted', '#4b5563'),
      border: t('--_color-border', '#d9dee5'),
      bg: t('--_color-bg', '#ffffff'),
      accent: t('--_color-accent', '#1d4ed8'),
      good: t('--_color-good', '#047857'),
      warning: t('--_color-warning', '#92400e'),
      bad: t('--_color-bad', '#b91c1c'),
      series: [t('--_color-accent', '#1d4ed8'), CATEGORICAL[1]!, CATEGORICAL[6]!],
    };
  }

  protected spec(r: MetricResult, width: number): VlSpec | null {
    const model = this.model(r);
    const o = { locale: this.lang_, width, height: this.chartHeight, colors: this.colors() };
    switch (this.displayMode) {
      case 'overview':
        return model.months.length ? trendSpec(model, { ...o, height: Math.min(this.chartHeight, 200) }) : null;
      case 'curves':
        return curvesSpec(model, o);
      case 'bands':
        return bandsSpec(model, o);
      case 'stability':
        return stabilitySpec(model, o);
      default:
        return null;
    }
  }

  protected override markCount(r: MetricResult): number {
    const model = this.model(r);
    return model.curve.length * 3 + model.months.length * 4 + 40;
  }

  protected override tooltipLines(d: Record<string, unknown>): string[] {
    return typeof d['tip'] === 'string' ? d['tip'].split('\n') : [];
  }

  private renderViews(): TemplateResult | typeof nothing {
    if (this.hideViews) return nothing;
    const L = this.lang_;
    return html`<div part="views" role="group" aria-label=${m(L, 'views')}>
      ${DISPLAYS.map(
        (d) => html`<button aria-pressed=${this.displayMode === d ? 'true' : 'false'} @click=${() => (this.display = d)}>${m(L, VIEW_KEYS[d])}</button>`,
      )}
    </div>`;
  }

  protected override renderChart(r: MetricResult): TemplateResult {
    const model = this.model(r);
    const plot = (): TemplateResult => super.renderChart(r) as TemplateResult;
    switch (this.displayMode) {
      case 'overview':
        return html`${this.renderViews()}${this.renderTiles(model)}${model.months.length ? plot() : html`<p class="note">${m(this.lang_, 'noMonths')}</p>`}`;
      case 'bands':
        return html`${this.renderViews()}${plot()}${bandTable(model, this.lang_)}`;
      case 'features':
        return html`${this.renderViews()}${featureTable(model, this.lang_, this.openFeature, (f) => (this.openFeature = this.openFeature === f ? null : f))}`;
      default:
        return html`${this.renderViews()}${plot()}`;
    }
  }

  protected override renderTable(r: MetricResult): TemplateResult {
    return html`${this.renderViews()}${super.renderTable(r)}`;
  }

  private renderTiles(model: MonitorModel): TemplateResult {
    const L = this.lang_;
    const o = model.overall;
    const dev = model.development;
    const mon = model.months.filter((x) => !x.development);
    const tiles: Array<{ key: Figure; value: number | null; dev: number | null; sub: string; trend: Array<number | null> }> = [
      {
        key: 'ks',
        value: o.ks,
        dev: dev?.ks ?? null,
        sub:
          o.ksCutoff === null
            ? ''
            : o.ksCutoffScore !== null
              ? m(L, 'ksAtScore', { pd: fig(o.ksCutoff, L, 3), score: fig(o.ksCutoffScore, L, 0) })
              : m(L, 'ksAt', { pd: fig(o.ksCutoff, L, 3) }),
        trend: model.months.map((x) => x.ks),
      },
      { key: 'auc', value: o.auc, dev: dev?.auc ?? null, sub: '', trend: model.months.map((x) => x.auc) },
      { key: 'gini', value: o.gini, dev: dev?.gini ?? null, sub: '', trend: model.months.map((x) => x.gini) },
      { key: 'psi', value: model.psi, dev: null, sub: m(L, 'vsDevelopment'), trend: mon.map((x) => x.psi) },
    ];
    return html`<p class="note">${m(L, 'sampleLine', { n: o.count.toLocaleString(L), bads: o.events.toLocaleString(L), rate: pct(o.eventRate, L) })}</p>
      <div part="tiles">
        ${tiles.map((t) => {
          const s = statusOf(t.key, t.value);
          const name = m(L, `tile${t.key[0]!.toUpperCase()}${t.key.slice(1)}`);
          const word = statusText(t.key, s, L);
          return html`<div part="tile" class=${s} role="group" aria-label=${`${name} ${fig(t.value, L)} ${word}`}>
            <div class="tile-head"><span>${name}</span><span part="status" class=${s}>${word}</span></div>
            <div class="tile-value" data-figure=${t.key}>${fig(t.value, L)}</div>
            <div class="tile-sub">${t.dev !== null ? m(L, 'devValue', { v: fig(t.dev, L) }) : ''}${t.dev !== null && t.sub ? ' · ' : ''}${t.sub}</div>
            ${this.spark(t.trend, s, m(L, 'trendOf', { name }))}
          </div>`;
        })}
      </div>`;
  }

  /** A monthly sparkline drawn from numbers only (Lit SVG template, no markup strings). */
  private spark(values: Array<number | null>, s: Status, label: string): TemplateResult | typeof nothing {
    const pts = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
    if (pts.length < 2) return nothing;
    const n = values.length - 1 || 1;
    let lo = Infinity;
    let hi = -Infinity;
    for (const [, v] of pts) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = hi - lo || 1;
    const poly = pts.map(([i, v]) => `${((i / n) * 100).toFixed(2)},${(22 - ((v - lo) / span) * 20).toFixed(2)}`).join(' ');
    const color = s === 'green' ? 'var(--_color-good)' : s === 'amber' ? 'var(--_color-warning)' : s === 'red' ? 'var(--_color-bad)' : 'var(--_color-muted)';
    return html`<svg class="spark" viewBox="0 0 100 24" preserveAspectRatio="none" role="img" aria-label=${label}>
      ${svg`<polyline points=${poly} fill="none" stroke=${color} stroke-width="1.5" vector-effect="non-scaling-stroke"></polyline>`}
    </svg>`;
  }

  protected tableModel(r: MetricResult): TableModel {
    return tableModelOf(this.displayMode, this.model(r), this.lang_);
  }

  protected summary(r: MetricResult): string {
    const model = this.model(r);
    const L = this.lang_;
    const o = model.overall;
    const title = this.heading || pick(r.basis.title, L);
    switch (this.displayMode) {
      case 'curves': {
        let best = model.curve[0];
        for (const p of model.curve) if (best && p.ks > best.ks) best = p;
        return m(L, 'sumCurves', { auc: fig(o.auc, L), ks: fig(o.ks, L), pop: pct(best?.population ?? null, L), pd: fig(best?.threshold ?? null, L, 3) });
      }
      case 'bands': {
        const b = model.bands;
        return m(L, 'sumBands', { top: pct(b[0]?.badRate ?? null, L), lift: fig(b[0]?.lift ?? null, L, 2), bottom: pct(b[b.length - 1]?.badRate ?? null, L), gain3: pct(b[2]?.gain ?? null, L) });
      }
      case 'stability': {
        const mon = model.months.filter((x) => !x.development);
        const st = mon.map((x) => statusOf('psi', x.psi));
        return m(L, 'sumStability', { psi: fig(model.psi, L), psiS: statusText('psi', statusOf('psi', model.psi), L), months: mon.length, shifted: st.filter((s) => s === 'red').length, watch: st.filter((s) => s === 'amber').length });
      }
      case 'features': {
        const sep = L === 'zh-CN' ? '、' : ', ';
        const top = model.features.slice(0, 3).map((f) => `${f.label} ${fig(f.iv, L)}`).join(sep) || m(L, 'none');
        const drift = model.features.filter((f) => f.csi !== null && f.csi >= 0.1).map((f) => f.label).join(sep) || m(L, 'none');
        return m(L, 'sumFeatures', { n: model.features.length, top, drift });
      }
      default: {
        const s = (k: Figure, v: number | null): string => statusText(k, statusOf(k, v), L);
        return m(L, 'sumOverview', { title, ks: fig(o.ks, L), ksS: s('ks', o.ks), auc: fig(o.auc, L), aucS: s('auc', o.auc), gini: fig(o.gini, L), giniS: s('gini', o.gini), psi: fig(model.psi, L), psiS: s('psi', model.psi), n: o.count.toLocaleString(L), rate: pct(o.eventRate, L) });
      }
    }
  }

  protected override renderBasis(r: MetricResult): TemplateResult {
    return html`${super.renderBasis(r)}
      <div part="basis" role="note" aria-label=${m(this.lang_, 'thresholds')}>
        <dl><dt>${m(this.lang_, 'thresholds')}</dt><dd>${m(this.lang_, 'thresholdText')}</dd></dl>
      </div>`;
  }
}
