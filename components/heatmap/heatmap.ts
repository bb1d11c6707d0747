import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../src/engine/types.js';
import { msg, pick } from '../../src/format/messages.js';
import '../../src/format/messages/heatmap.js';
import { formatDelta, formatPoints, formatValue } from '../../src/format/number.js';
import type { ValueFormat } from '../../src/format/number.js';
import {
  heatGrid,
  heatmapSpec,
  orderDomain,
  parseColor,
  selfExplanatory,
  textWidth,
} from '../../src/specs/heatmap.js';
import type { DimPart, HeatDatum, HeatGrid, HeatKey, HeatRow, TextMeasure } from '../../src/specs/heatmap.js';
import type { TableModel } from '../base/export.js';
import { VegaElement } from '../base/vega-element.js';
import type { VlSpec } from '../base/vega.js';
import type { HeatmapElementParams, HeatmapPreset } from '../base/params.js';
import { PRESET_DIMS, PRESET_SOURCES, TIME_PARTS, clauseFor, inferPart } from './dimensions.js';
import type { HeatDimension } from './dimensions.js';
import { sampleScheme } from './schemes.js';
import { heatmapStyles } from './styles.js';

/** A resolved dimension of the result, and the filter clause of a selected key (re-exported). */
export { clauseFor };
export type { HeatDimension };

/**
 * A heatmap of a measure over two dimensions (weekday × hour contact rate, region × month overdue
 * rate, job × month conversion): Vega-Lite rect marks with a sequential or diverging colour scheme
 * from the theme tokens, hatched "no data" cells, value labels when cells are large enough (their
 * ink switches for contrast), a colour legend formatted like the labels (万/亿, %), localised axes
 * (周一 / Mon, 0时 / 00:00, 2023年6月 / Jun 2023) and a text tooltip with the row count.
 *
 * Clicking a cell selects its column (or its row, with `select-on="y"`): `fin-select` carries a
 * filter clause on the dimension's field, e.g. `{ field: 'action_time.dow', op: 'eq', value: 3 }`
 * labelled 周三; clicking it again clears. Keyboard users select from the data-table view, whose
 * rows carry a button for the same selection.
 *
 * @summary Two-dimensional heatmap with legend, no-data cells and cell selection.
 * @tag fin-heatmap
 * @csspart base - The card.
 * @csspart header - Title row with tools.
 * @csspart title - The title.
 * @csspart chart - The chart area (the Vega view, axes and legend).
 * @csspart table - The data-table view (one row per cell; rows carry select buttons).
 * @csspart select - A select button in the data-table view.
 * @csspart tooltip - The text tooltip.
 * @csspart summary - The text alternative (visually hidden).
 * @csspart loading - Loading state.
 * @csspart empty - Empty state.
 * @csspart error - Error state.
 * @csspart quality - Partial-data warning.
 * @csspart basis - The basis (口径) panel.
 * @cssproperty --fin-scheme-sequential - Vega scheme name (or comma-separated colours, low → high) of the sequential scale.
 * @cssproperty --fin-scheme-diverging - Vega scheme name (or comma-separated colours, low → high) of the diverging scale.
 * @cssproperty --fin-heatmap-null-fill - Fill of no-data cells (default the surface colour).
 * @cssproperty --fin-heatmap-null-stroke - Hatch line of no-data cells (default the muted text colour).
 * @cssproperty --fin-color-accent - Outline of the selected column/row.
 * @fires fin-select - A cell's column (or row) was selected, or the selection was cleared: `{ clause, label, source, group }`.
 * @fires fin-error - Loading, computing or rendering failed.
 * @fires fin-quality - The result excluded rows or carries warnings.
 */
export class FinHeatmap extends VegaElement<HeatmapElementParams> {
  static override styles = [...VegaElement.styles, heatmapStyles];

  /**
   * A ready-made heatmap: `contact-rate-weekday-hour` (collection_actions),
   * `overdue-region-month` (loan_months) or `txn-weekday-hour` (transactions). Sets
   * `params.preset` and the default source; explicit `params` override the preset's.
   */
  @property({ reflect: true }) preset: HeatmapPreset | '' = '';
  /** Colour scheme: `sequential` (low → high) or `diverging` (below / above `domain-mid`). */
  @property({ reflect: true }) scheme: 'sequential' | 'diverging' = 'sequential';
  /**
   * Format of cell labels, legend and tooltip: `percent`, `count`, `compact` (1.23万),
   * `currency-compact`, `currency`, `number`, `days`; empty = from the measure (ratio → percent,
   * count → count, sums → compact).
   */
  @property({ attribute: 'value-format' }) valueFormat: ValueFormat | '' = '';
  /** Fraction digits of cell labels (default 1 for percent); the tooltip shows one more. */
  @property({ type: Number }) digits: number | undefined = undefined;
  /**
   * Value labels in cells: `auto` (only when cells are at least 28 × 18 px and the text fits),
   * `always` or `never`.
   */
  @property({ attribute: 'show-labels' }) showLabels: 'auto' | 'always' | 'never' = 'auto';
  /** Centre of the diverging scale (default: the row-weighted mean of the cells). */
  @property({ attribute: 'domain-mid', type: Number }) domainMid: number | null = null;
  /** Reverse the colour scheme (e.g. a diverging red–blue where high is bad). */
  @property({ attribute: 'reverse-scheme', type: Boolean }) reverseScheme = false;
  /** Which dimension a click selects: `x` (the cell's column, default) or `y` (its row). */
  @property({ attribute: 'select-on' }) selectOn: 'x' | 'y' = 'x';
  /**
   * Axis title of x. Default: the dimension's name (地区 / Region) for categories and bins; none
   * for hours, weekdays, months and dates, whose labels speak for themselves. `none` hides it.
   */
  @property({ attribute: 'x-title' }) xTitle = '';
  /** Axis title of y (as `x-title`). */
  @property({ attribute: 'y-title' }) yTitle = '';

  /** The selected key (of the `select-on` dimension), or null. */
  @state() protected selectedKey: { dim: 'x' | 'y'; key: HeatKey } | null = null;
  /** Colour ramps sampled from Vega schemes, by `kind|scheme name` (Vega is loaded lazily). */
  @state() private ramps = new Map<string, string[]>();
  private rampLoads = new Set<string>();
  /** Centre of the diverging scale last drawn (for the tooltip's "vs midpoint"). */
  private mid: number | null = null;

  protected defaultMetric(): string {
    return 'heatmap';
  }

  protected override defaultSource(): string {
    return PRESET_SOURCES[this.preset] ?? 'transactions';
  }

  protected override queryKeys(): string[] {
    return [...super.queryKeys(), 'preset'];
  }

  protected override queryParams(): Record<string, unknown> {
    return this.preset ? { ...this.params, preset: this.preset } : this.params;
  }

  protected override request(): QueryRequest {
    const req = super.request();
    // `.data` is loaded under defaultSource(); a preset names its dataset: query that one.
    if (!req.source && (this.preset || (this.data !== null && this.data !== undefined)))
      req.source = this.defaultSource();
    return req;
  }

  /** The metric's title is the generic 热力图 / Heatmap: a preset gets its own. */
  protected override apply(r: MetricResult): void {
    const preset = this.preset || (r?.basis?.options?.['preset'] as string | undefined);
    const key = `preset.${preset}`;
    if (
      r &&
      r.basis &&
      preset &&
      r.basis.title?.['en-US'] === 'Heatmap' &&
      msg('en-US', key, undefined, 'heatmap') !== key
    ) {
      r = {
        ...r,
        basis: {
          ...r.basis,
          title: { 'zh-CN': this.ht(key, undefined, 'zh-CN'), 'en-US': this.ht(key, undefined, 'en-US') },
        },
      };
    }
    super.apply(r);
  }

  protected override select(clause: FilterClause | null, label = ''): void {
    if (!clause) this.selectedKey = null;
    super.select(clause, label);
  }

  private ht(key: string, vars?: Record<string, string | number>, locale = this.lang_): string {
    return msg(locale, key, vars, 'heatmap');
  }

  // -------------------------------------------------------------------------------------------
  // Reading the result

  private rows(r: MetricResult): HeatRow[] {
    return r.data as unknown as HeatRow[];
  }

  private domainOf(r: MetricResult, dim: 'x' | 'y'): HeatKey[] | null {
    const d = r.meta?.[`${dim}Domain`];
    return Array.isArray(d) ? (d as HeatKey[]) : null;
  }

  /** The x and y dimensions: from the basis options, else params, else the preset, else inferred from keys. */
  protected dims(r: MetricResult): { x: HeatDimension; y: HeatDimension } {
    const preset = PRESET_DIMS[this.preset || String(r.basis?.options?.['preset'] ?? '')];
    const read = (dim: 'x' | 'y'): HeatDimension => {
      const spec = (r.basis?.options?.[dim] ?? this.params?.[dim]) as
        { field?: unknown; part?: unknown; bins?: unknown } | undefined;
      const bins = r.meta?.[`${dim}Bins`] as HeatDimension['bins'] | undefined;
      if (spec && typeof spec === 'object' && typeof spec.field === 'string') {
        const part: DimPart =
          typeof spec.part === 'string' && TIME_PARTS.includes(spec.part)
            ? (spec.part as DimPart)
            : spec.bins || bins
              ? 'bin'
              : 'category';
        return { field: spec.field, part, ...(bins ? { bins } : {}) };
      }
      if (preset) return preset[dim];
      return {
        field: null,
        part: bins ? 'bin' : inferPart(this.domainOf(r, dim) ?? this.rows(r).map((row) => row[dim])),
        ...(bins ? { bins } : {}),
      };
    };
    return { x: read('x'), y: read('y') };
  }

  /** Axis title: the override, else the dimension's name unless its labels speak for themselves. */
  private axisTitle(r: MetricResult, dim: 'x' | 'y', d: HeatDimension, override: string): string {
    if (override) return override === 'none' ? '' : override;
    const keys = orderDomain(this.domainOf(r, dim), this.rows(r), dim, d.part);
    return selfExplanatory(d.part, keys) ? '' : this.dimTitle(d, '');
  }

  private measureCtx: CanvasRenderingContext2D | null | undefined = undefined;
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

  private format(r: MetricResult): ValueFormat {
    if (this.valueFormat) return this.valueFormat;
    const m = r.basis?.measure;
    return m === 'ratio' ? 'percent' : m === 'count' ? 'count' : 'compact';
  }

  private dimTitle(d: HeatDimension, override: string): string {
    if (override === 'none') return '';
    if (override) return override;
    if (d.part !== 'category' && d.part !== 'bin') return this.ht(d.part);
    if (!d.field) return '';
    const key = `field.${d.field}`;
    const t = this.ht(key);
    return t === key ? d.field : t;
  }

  private fullText(v: number | null, r: MetricResult): string {
    const f = this.format(r);
    const digits = this.digits !== undefined ? this.digits + 1 : f === 'percent' ? 2 : undefined;
    return formatValue(v, f, this.lang_, digits);
  }

  // -------------------------------------------------------------------------------------------
  // Colours

  /** Ramp for the current scheme, or null while Vega's scheme table loads (then re-renders). */
  private ramp(): string[] | null {
    const kind = this.scheme === 'diverging' ? 'diverging' : 'sequential';
    const name = this.token(`--_scheme-${kind}`, kind === 'diverging' ? 'redblue' : 'blues');
    // A token may list colours directly: "#eff6ff, #1d4ed8".
    const listed = name
      .split(',')
      .map((s) => s.trim())
      .filter((s) => parseColor(s));
    if (listed.length >= 2) return listed;
    const id = `${kind}|${name}`;
    const have = this.ramps.get(id);
    if (have) return have;
    if (!this.rampLoads.has(id)) {
      this.rampLoads.add(id);
      void sampleScheme(name, kind).then((stops) => {
        const next = new Map(this.ramps);
        next.set(id, stops);
        this.ramps = next;
      });
    }
    return null;
  }

  // -------------------------------------------------------------------------------------------
  // VegaElement

  protected spec(r: MetricResult, width: number): VlSpec | null {
    const ramp = this.ramp();
    if (!ramp) return null;
    const { x, y } = this.dims(r);
    const out = heatmapSpec({
      rows: this.rows(r),
      xDomain: this.domainOf(r, 'x'),
      yDomain: this.domainOf(r, 'y'),
      xPart: x.part,
      yPart: y.part,
      locale: this.lang_,
      width,
      format: this.format(r),
      digits: this.digits,
      scheme: this.scheme === 'diverging' ? 'diverging' : 'sequential',
      domainMid: this.domainMid,
      ramp,
      reverse: this.reverseScheme,
      colors: {
        fg: this.token('--_color-fg', '#111827'),
        bg: this.token('--_color-bg', '#ffffff'),
        muted: this.token('--_color-muted', '#4b5563'),
        nullFill: this.token('--_null-fill', '#f8fafc'),
        nullStroke: this.token('--_null-stroke', '#a3acb9'),
        accent: this.token('--_color-accent', '#1d4ed8'),
      },
      showLabels: this.showLabels === 'always' || this.showLabels === 'never' ? this.showLabels : 'auto',
      xTitle: this.axisTitle(r, 'x', x, this.xTitle),
      yTitle: this.axisTitle(r, 'y', y, this.yTitle),
      noDataLabel: this.ht('noData'),
      blankLabel: this.ht('blank'),
      selected: this.selectedKey,
      // Vega sets the container's aria-label from the description: keep it the text summary.
      description: this.safeSummaryText(r),
      measure: this.measurer(),
    });
    this.mid = out.grid.scale.mid;
    return out.spec;
  }

  protected override markCount(r: MetricResult): number {
    return r.data.length * 2;
  }

  protected override onMarkClick(datum: Record<string, unknown>): void {
    if (typeof datum['k'] !== 'number' || !('xv' in datum)) return; // legend entries, axes
    const d = datum as unknown as HeatDatum;
    if (this.selectOn === 'y') this.toggle('y', d.yv, d.yl);
    else this.toggle('x', d.xv, d.xl);
  }

  protected override tooltipLines(datum: Record<string, unknown>): string[] {
    if (typeof datum['k'] !== 'number' || !this.current) return [];
    const d = datum as unknown as HeatDatum;
    const { x, y } = this.dims(this.current);
    const xt = this.dimTitle(x, this.xTitle === 'none' ? '' : this.xTitle);
    const yt = this.dimTitle(y, this.yTitle === 'none' ? '' : this.yTitle);
    const sep = this.lang_ === 'zh-CN' ? '：' : ': ';
    const lines = [
      xt ? `${xt}${sep}${d.xl}` : d.xl,
      yt ? `${yt}${sep}${d.yl}` : d.yl,
      `${this.ht('value')}${sep}${d.v === null ? this.ht('noData') : this.fullText(d.v, this.current)}`,
    ];
    if (this.scheme === 'diverging' && this.mid !== null && d.v !== null) {
      const f = this.format(this.current);
      const delta =
        f === 'percent'
          ? formatPoints(d.v - this.mid, this.lang_)
          : formatDelta(d.v - this.mid, f, this.lang_);
      lines.push(`${this.ht('vsMid', { mid: this.fullText(this.mid, this.current) })}${sep}${delta}`);
    }
    lines.push(`${this.ht('rows')}${sep}${formatValue(d.n, 'count', this.lang_)}`);
    return lines;
  }

  /** Select (or, when it is already selected, clear) the column/row of a key; `label` as displayed. */
  private toggle(dim: 'x' | 'y', key: HeatKey, label: string): void {
    const r = this.current;
    if (!r) return;
    if (this.selectedKey && this.selectedKey.dim === dim && this.selectedKey.key === key) {
      this.select(null);
      return;
    }
    const clause = clauseFor(this.dims(r)[dim], key, dim);
    this.selectedKey = { dim, key };
    this.select(clause, label);
  }

  // -------------------------------------------------------------------------------------------
  // Table view, text alternative

  protected tableModel(r: MetricResult): TableModel {
    const { x, y } = this.dims(r);
    const grid = this.gridFor(r);
    const xt = this.dimTitle(x, this.xTitle === 'none' ? '' : this.xTitle) || 'x';
    const yt = this.dimTitle(y, this.yTitle === 'none' ? '' : this.yTitle) || 'y';
    return {
      columns: [
        { key: 'x', label: xt },
        { key: 'y', label: yt },
        { key: 'value', label: this.ht('value'), numeric: true },
        { key: 'n', label: this.ht('rows'), numeric: true },
      ],
      rows: grid.cells.map((c) => [
        { text: c.xl, raw: typeof c.xv === 'boolean' ? String(c.xv) : c.xv },
        { text: c.yl, raw: typeof c.yv === 'boolean' ? String(c.yv) : c.yv },
        { text: this.fullText(c.v, r), raw: c.v },
        { text: formatValue(c.n, 'count', this.lang_), raw: c.n },
      ]),
    };
  }

  /** Every cell with its labels and texts (the table view, CSV and summary). */
  private gridFor(r: MetricResult): HeatGrid {
    const { x, y } = this.dims(r);
    return heatGrid({
      rows: this.rows(r),
      xDomain: this.domainOf(r, 'x'),
      yDomain: this.domainOf(r, 'y'),
      xPart: x.part,
      yPart: y.part,
      locale: this.lang_,
      width: 0,
      format: this.format(r),
      digits: this.digits,
      scheme: 'sequential',
      ramp: [],
      colors: { fg: '', bg: '', muted: '', nullFill: '', nullStroke: '', accent: '' },
      noDataLabel: this.ht('noData'),
      blankLabel: this.ht('blank'),
    });
  }

  protected override renderTable(r: MetricResult): TemplateResult {
    const m = this.tableModel(r);
    const grid = this.gridFor(r);
    const dim = this.selectOn === 'y' ? 'y' : 'x';
    const col = dim === 'x' ? 0 : 1;
    const sel = this.selectedKey;
    const dimName = m.columns[col]!.label;
    return html`<div part="table" tabindex="0" role="region" aria-label=${this.t('table')}>
      <table>
        <caption>
          ${pick(r.basis.title, this.lang_)}
        </caption>
        <thead>
          <tr>
            ${m.columns.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${m.rows.map((row, i) => {
            const cell = grid.cells[i]!;
            const key = dim === 'x' ? cell.xv : cell.yv;
            const label = dim === 'x' ? cell.xl : cell.yl;
            const pressed = !!sel && sel.dim === dim && sel.key === key;
            return html`<tr class=${sel && !pressed ? 'dim' : ''}>
              ${row.map((c, j) => {
                const text = typeof c === 'object' && c !== null ? c.text : c === null ? '—' : String(c);
                if (j === col) {
                  return html`<td>
                    <button
                      part="select"
                      aria-pressed=${pressed ? 'true' : 'false'}
                      title=${`${this.ht('select', { label: text })} (${this.ht('selectHint', { dim: dimName })})`}
                      @click=${() => this.toggle(dim, key, label)}
                    >
                      ${text}
                    </button>
                  </td>`;
                }
                return html`<td class=${m.columns[j]?.numeric ? 'num' : ''}>${text}</td>`;
              })}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  private safeSummaryText(r: MetricResult): string {
    try {
      return this.summary(r);
    } catch {
      return '';
    }
  }

  protected summary(r: MetricResult): string {
    const grid = this.gridFor(r);
    const title = this.heading || pick(r.basis.title, this.lang_);
    let max: HeatDatum | null = null;
    let min: HeatDatum | null = null;
    let nulls = 0;
    for (const c of grid.cells) {
      if (c.v === null) {
        nulls++;
        continue;
      }
      if (!max || c.v > max.v!) max = c;
      if (!min || c.v < min.v!) min = c;
    }
    const at = (c: HeatDatum | null): string => (c ? `${c.yl} ${c.xl}` : '—');
    let s = this.ht('summary', {
      title,
      nx: grid.xKeys.length,
      ny: grid.yKeys.length,
      cells: grid.cells.length,
      maxAt: at(max),
      max: this.fullText(max?.v ?? null, r),
      minAt: at(min),
      min: this.fullText(min?.v ?? null, r),
    });
    if (nulls) s += (this.lang_ === 'zh-CN' ? '' : ' ') + this.ht('summaryNulls', { k: nulls });
    return s;
  }
}
