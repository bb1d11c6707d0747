import { html, nothing, svg, unsafeCSS } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FilterClause, MetricResult } from '../../src/engine/types.js';
import { COHORT_AREA } from '../../src/format/messages/cohort.js';
import { msg, pick } from '../../src/format/messages.js';
import { formatMonth, formatValue } from '../../src/format/number.js';
import {
  RAMP_DARK,
  RAMP_LIGHT,
  cohortModel,
  cohortSpec,
  colorDomain,
  curveColors,
  formatCell,
  headers,
  markCount,
  parseRamp,
  periodLabel,
  valueName,
} from '../../src/specs/cohort.js';
import type { CohortModel, CohortTheme, VlSpec } from '../../src/specs/cohort.js';
import type { TableModel } from '../base/export.js';
import { VegaElement } from '../base/vega-element.js';
import type { CohortElementParams } from '../base/params.js';
import { cohortStyles } from './styles.js';

/** Default date field of the `cohort` metric's default source (`transactions`). */
const DEFAULT_COHORT_DATE_FIELD = 'txn_time';
/** Date field a vintage selection filters on (`loan_months` resolves it through `loan_id → loans`). */
const VINTAGE_FIELD = 'issue_date.month';

// Heat-ramp defaults from constants of src/specs/cohort.ts (never from data).
const rampCss = unsafeCSS(
  `:host { --_cohort-ramp: var(--fin-cohort-ramp, ${RAMP_LIGHT.join(' ')}); }\n` +
    `:host([theme='dark']) { --_cohort-ramp: var(--fin-cohort-ramp, ${RAMP_DARK.join(' ')}); }`,
);

/**
 * Cohort retention and vintage (账龄) analysis: a heat matrix of cohorts (rows, with their size)
 * by period index (columns p0, p1, … or MOB0, MOB1, …), or one curve per cohort over the period
 * index. Right-censored cells — periods a cohort has not reached yet — are left blank, never
 * drawn as 0. Value labels are written into the cells when they fit.
 *
 * Selecting a cohort (click a row label or a cell, the cohort picker, or the cohort button in the
 * table view; the same cohort again clears) emits `fin-select`:
 * - `mode="vintage"`: `{ field: 'issue_date.month', op: 'eq', value: 'YYYY-MM' }` — the loans issued
 *   in that month (`loan_months` resolves `issue_date` through `loans`).
 * - `mode="retention"`: no row-level "cohort" field exists (a cohort is derived from each entity's
 *   first event), so the clause selects the cohort's *period* on the metric's date field:
 *   `{ field: '<dateField>.month', op: 'eq', value: 'YYYY-MM' }` for monthly cohorts, a `range` of
 *   the week (Monday–Sunday, `YYYY-MM-DD`) or of the quarter's months otherwise. Other widgets then
 *   show the activity dated in that period — not only the cohort's members.
 *
 * @summary Cohort retention / vintage matrix and curves.
 * @tag fin-cohort
 * @cssproperty --fin-cohort-ramp - Heat ramp: two or more hex colours, low to high, space separated
 *   (default a blue ramp; the dark theme has its own default).
 * @csspart chart - The chart area.
 * @csspart legend - The colour legend (heat scale or cohort ramp) and the blank-cell key.
 * @csspart controls - Display switch and cohort picker.
 * @csspart display-toggle - The matrix / curves switch.
 * @csspart cohort-select - The cohort picker (keyboard access to the selection).
 * @csspart table - The data-table view (cohort × period, cohort buttons select).
 * @fires fin-select - A cohort was selected (clause above) or the selection was cleared (`clause: null`).
 * @fires fin-error - Loading, computing or rendering failed.
 * @fires fin-quality - The result excluded rows or carries warnings.
 */
export class FinCohort extends VegaElement<CohortElementParams> {
  static override styles = [...VegaElement.styles, rampCss, cohortStyles];

  /** `retention` (the `cohort` metric) or `vintage` (the `vintage` metric on `loan_months`). */
  @property({ reflect: true }) mode: 'retention' | 'vintage' = 'retention';
  /** `matrix` (heat table) or `curves` (one line per cohort). Changing it does not re-query. */
  @property({ reflect: true }) display: 'matrix' | 'curves' = 'matrix';
  /**
   * What the cells hold. Retention: `retention` (share of the cohort active), `count` (active
   * entities) or `amount` (amount in p / amount in p0) → `params.value`. Vintage: `amount`
   * (outstanding / principal) or `count` (loans) → `params.measure`. Empty: the metric default.
   */
  @property({ attribute: 'value-mode' }) valueMode: 'retention' | 'count' | 'amount' | '' = '';
  /** Vintage only: `current` (bad at MOB k) or `ever` (ever bad by MOB k) → `params.variant`. Empty: `current`. */
  @property() variant: 'current' | 'ever' | '' = '';
  /** Vintage only: the dpd threshold d (bad when dpd > d) → `params.d` (`params.threshold` is accepted as an alias). Unset: the metric default, 30. */
  @property({ type: Number }) threshold: number | null = null;
  /** Retention only: cohort period unit `week`, `month` or `quarter` → `params.unit`. Empty: `month`. */
  @property() unit: 'week' | 'month' | 'quarter' | '' = '';
  /** Retention only: cumulative retention (active in p or later) → `params.cumulative`. */
  @property({ type: Boolean }) cumulative = false;

  /** Key of the selected cohort (`YYYY-MM`, week Monday `YYYY-MM-DD` or `YYYY-Qn`), or null. */
  @state() protected selected: string | null = null;

  private memo: { r: MetricResult; locale: string; mode: string; model: CohortModel } | null = null;
  private lastWidth = 480;

  protected defaultMetric(): string {
    return this.mode === 'vintage' ? 'vintage' : 'cohort';
  }

  protected override defaultSource(): string {
    return this.mode === 'vintage' ? 'loan_months' : 'transactions';
  }

  protected override queryKeys(): string[] {
    return [...super.queryKeys(), 'mode', 'valueMode', 'variant', 'threshold', 'unit', 'cumulative'];
  }

  protected override queryParams(): Record<string, unknown> {
    const p: Record<string, unknown> = { ...this.params };
    if (this.mode === 'vintage') {
      // `threshold` is the element's name for the metric's `d`; accept it in params as well.
      if (typeof p['threshold'] === 'number' && p['d'] === undefined) p['d'] = p['threshold'];
      delete p['threshold'];
      if (this.valueMode === 'amount' || this.valueMode === 'count') p['measure'] = this.valueMode;
      if (this.variant) p['variant'] = this.variant;
      if (this.threshold !== null && this.threshold !== undefined && Number.isFinite(this.threshold))
        p['d'] = this.threshold;
    } else {
      if (this.valueMode) p['value'] = this.valueMode;
      if (this.unit) p['unit'] = this.unit;
      if (this.cumulative) p['cumulative'] = true;
    }
    return p;
  }

  protected override willUpdate(changed: PropertyValues): void {
    // A selection made in one mode means nothing in the other: clear it for the linked widgets.
    if (changed.has('mode') && changed.get('mode') !== undefined && this.selected !== null) this.select(null);
    super.willUpdate(changed);
  }

  private m(key: string, vars?: Record<string, string | number>): string {
    return msg(this.lang_, key, vars, COHORT_AREA);
  }

  /** The normalised grid of a result (memoised per result, locale and mode). */
  protected model(r: MetricResult): CohortModel {
    const locale = this.lang_;
    if (this.memo && this.memo.r === r && this.memo.locale === locale && this.memo.mode === this.mode)
      return this.memo.model;
    const model = cohortModel(r, locale, this.mode);
    this.memo = { r, locale, mode: this.mode, model };
    return model;
  }

  private theme_(): CohortTheme {
    return {
      ramp: parseRamp(
        this.token('--_cohort-ramp', ''),
        this.getAttribute('theme') === 'dark' ? RAMP_DARK : RAMP_LIGHT,
      ),
      fg: this.token('--_color-fg', '#111827'),
      muted: this.token('--_color-muted', '#4b5563'),
      bg: this.token('--_color-bg', '#ffffff'),
      border: this.token('--_color-border', '#d9dee5'),
      accent: this.token('--_color-accent', '#1d4ed8'),
    };
  }

  protected spec(r: MetricResult, width: number): VlSpec | null {
    const model = this.model(r);
    this.lastWidth = width;
    const spec = cohortSpec(model, {
      width,
      display: this.display,
      selected: this.selected,
      theme: this.theme_(),
    });
    // Vega replaces the container's role and aria-label with its own (`graphics-document`, the
    // spec description, default "Vega visualization"): give it the text summary as description.
    const description = this.summaryText(r);
    return description ? { ...spec, description } : spec;
  }

  protected override markCount(r: MetricResult): number {
    return markCount(this.model(r), this.display, this.lastWidth);
  }

  // ---------------------------------------------------------------------------------------------
  // Selection

  /** Override: the base's "clear selection" button must clear the highlighted cohort too. */
  protected override select(clause: FilterClause | null, label = ''): void {
    if (!clause) this.selected = null;
    super.select(clause, label);
  }

  /** The filter clause a cohort stands for (see the class documentation for the semantics). */
  cohortClause(key: string): FilterClause {
    const r = this.current;
    const vintage = r ? this.model(r).kind === 'vintage' : this.mode === 'vintage';
    if (vintage) return { field: VINTAGE_FIELD, op: 'eq', value: key };
    const opts = (r?.basis.options ?? {}) as Record<string, unknown>;
    const dateField = String(opts['dateField'] ?? (this.params as Record<string, unknown>)['dateField'] ?? DEFAULT_COHORT_DATE_FIELD);
    const week = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
    if (week) {
      const d = new Date(Date.UTC(Number(week[1]), Number(week[2]) - 1, Number(week[3]) + 6));
      return { field: dateField, op: 'range', value: [key, d.toISOString().slice(0, 10)] };
    }
    const q = /^(\d{4})-Q([1-4])$/.exec(key);
    if (q) {
      const m0 = (Number(q[2]) - 1) * 3 + 1;
      const ym = (mo: number): string => `${q[1]}-${String(mo).padStart(2, '0')}`;
      return { field: dateField, op: 'range', value: [ym(m0), ym(m0 + 2)] };
    }
    return { field: `${dateField}.month`, op: 'eq', value: key };
  }

  /**
   * Select a cohort by key (as a click would), or clear with null. Selecting the selected cohort
   * again clears it. Emits `fin-select`.
   */
  selectCohort(key: string | null): void {
    const r = this.current;
    if (key === null || key === this.selected || !r) {
      if (this.selected !== null || key === null) this.select(null);
      return;
    }
    const model = this.model(r);
    const row = model.rows.find((x) => x.key === key);
    if (!row) return;
    this.selected = key;
    this.select(this.cohortClause(key), `${headers(model).cohort} ${row.label}`);
  }

  protected override onMarkClick(datum: Record<string, unknown>): void {
    const key = datum['cohort'];
    if (typeof key === 'string') this.selectCohort(key);
  }

  // ---------------------------------------------------------------------------------------------
  // Tooltip, table, summary

  protected override tooltipLines(datum: Record<string, unknown>): string[] {
    const r = this.current;
    const key = datum['cohort'];
    const p = datum['period'];
    if (!r || typeof key !== 'string' || typeof p !== 'number') return [];
    const model = this.model(r);
    const row = model.rows.find((x) => x.key === key);
    if (!row) return [];
    const h = headers(model);
    const v = row.values[p] ?? null;
    const lines = [`${h.cohort} ${row.label} · ${periodLabel(model, p)}`];
    if (v === null) return [...lines, this.m('censoredCell')];
    lines.push(`${valueName(model)}: ${formatCell(model, v, model.kind === 'vintage' ? 2 : 1)}`);
    const n = row.counts[p] ?? null;
    if (model.kind === 'vintage') {
      const amount = model.sizeKind === 'principal';
      if (n !== null)
        lines.push(`${this.m('bad')}: ${formatValue(n, amount ? 'currency-compact' : 'count', this.lang_)}`);
      lines.push(
        `${h.size}: ${amount ? formatValue(row.size, 'currency-compact', this.lang_) : row.sizeText}`,
      );
      const mm = /^(\d{4})-(\d{2})$/.exec(key);
      if (mm) {
        const mi = Number(mm[1]) * 12 + Number(mm[2]) - 1 + p;
        lines.push(
          `${this.m('snapshot')}: ${formatMonth(`${Math.floor(mi / 12)}-${String((mi % 12) + 1).padStart(2, '0')}`, this.lang_)}`,
        );
      }
    } else {
      if (n !== null && model.measure === 'amount')
        lines.push(`${this.m('amount')}: ${formatValue(n, 'currency-compact', this.lang_)}`);
      else if (n !== null && model.valueKind === 'ratio')
        lines.push(`${this.m('active')}: ${formatValue(n, 'count', this.lang_)}`);
      lines.push(`${h.size}: ${row.sizeText}`);
    }
    return lines;
  }

  protected tableModel(r: MetricResult): TableModel {
    const model = this.model(r);
    const h = headers(model);
    const digits = model.kind === 'vintage' ? 2 : 1;
    return {
      columns: [
        { key: 'cohort', label: h.cohort },
        { key: 'size', label: h.size, numeric: true },
        ...Array.from({ length: model.periods }, (_, p) => ({
          key: `p${p}`,
          label: periodLabel(model, p),
          numeric: true,
        })),
      ],
      rows: model.rows.map((row) => [
        { text: row.label, raw: row.key },
        { text: row.sizeText, raw: row.size },
        ...row.values.map((v) =>
          v === null ? { text: '', raw: null } : { text: formatCell(model, v, digits), raw: v },
        ),
      ]),
    };
  }

  /** The table view, with a button per cohort (keyboard selection) and blank censored cells. */
  protected override renderTable(r: MetricResult): TemplateResult {
    let t: TableModel;
    let model: CohortModel;
    try {
      model = this.model(r);
      t = this.tableModel(r);
    } catch (e) {
      queueMicrotask(() => this.fail('render_failed', e instanceof Error ? e.message : String(e)));
      return html``;
    }
    const censored = this.m('censoredCell');
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
          ${model.rows.map((row, i) => {
            const cells = t.rows[i]!;
            return html`<tr>
              <th scope="row">
                <button
                  class="cohort"
                  aria-pressed=${row.key === this.selected ? 'true' : 'false'}
                  @click=${() => this.selectCohort(row.key)}
                >
                  ${row.label}
                </button>
              </th>
              ${cells.slice(1).map((c, j) => {
                const text = typeof c === 'object' && c !== null ? c.text : c === null ? '' : String(c);
                const blank = j > 0 && row.values[j - 1] === null;
                return blank
                  ? html`<td class="num censored" title=${censored}>
                      <span class="sr-only">${censored}</span>
                    </td>`
                  : html`<td class="num">${text}</td>`;
              })}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  protected summary(r: MetricResult): string {
    const model = this.model(r);
    const rows = model.rows;
    if (!rows.length) return '';
    const L = this.lang_;
    const title = this.heading || pick(r.basis.title, L);
    const first = rows[0]!.label;
    const last = rows[rows.length - 1]!.label;
    const range = first === last ? first : this.m('range', { a: first, b: last });
    const vintage = model.kind === 'vintage';
    const cohorts = (n: number): string =>
      this.m(`${vintage ? 'vintage' : 'cohort'}${n === 1 ? 'One' : 'Many'}`);
    const parts: string[] = [];
    if (vintage)
      parts.push(
        this.m('summaryVintage', {
          title,
          n: rows.length,
          cohorts: cohorts(rows.length),
          range,
          maxMob: Math.max(0, model.periods - 1),
        }),
      );
    else {
      const periodsWord = this.m(model.periods === 1 ? 'periodOne' : 'periodMany');
      parts.push(
        this.m('summaryRetention', {
          title,
          n: rows.length,
          cohorts: cohorts(rows.length),
          range,
          periods: model.periods,
          periodsWord,
        }),
      );
    }
    const p = this.referencePeriod(model);
    const at = rows.filter((x) => x.values[p] !== null && x.values[p] !== undefined) as Array<
      CohortModel['rows'][number]
    >;
    if (at.length) {
      const digits = model.kind === 'vintage' ? 2 : 1;
      const col = periodLabel(model, p);
      const vals = at.map((x) => x.values[p]!);
      const avg = vals.reduce((a, b) => a + b, 0) / vals.length;
      parts.push(
        this.m('summaryAvg', {
          col,
          value: formatCell(model, avg, digits),
          n: at.length,
          cohorts: cohorts(at.length),
        }),
      );
      if (at.length > 1) {
        let hi = at[0]!;
        let lo = at[0]!;
        for (const x of at) {
          if (x.values[p]! > hi.values[p]!) hi = x;
          if (x.values[p]! < lo.values[p]!) lo = x;
        }
        parts.push(
          this.m('summaryHigh', {
            col,
            label: hi.label,
            value: formatCell(model, hi.values[p]!, digits),
            lowLabel: lo.label,
            lowValue: formatCell(model, lo.values[p]!, digits),
          }),
        );
      }
    }
    if (rows.some((x) => x.values.some((v) => v === null))) parts.push(this.m('summaryCensored'));
    return parts.join(L === 'zh-CN' ? '' : ' ');
  }

  /** The summary, or '' when it cannot be made (never throws into render). */
  private summaryText(r: MetricResult): string {
    try {
      return this.summary(r);
    } catch {
      return '';
    }
  }

  /** The period the summary compares cohorts at: p1 for retention; for vintage the latest MOB (≤ 12) most cohorts reached. */
  private referencePeriod(model: CohortModel): number {
    if (model.periods <= 1) return 0;
    if (model.kind === 'retention') return 1;
    const need = Math.max(1, Math.min(model.rows.length, Math.max(2, Math.ceil(model.rows.length / 3))));
    let best = 0;
    for (let p = 0; p < Math.min(model.periods, 13); p++) {
      const seen = model.rows.filter((x) => x.values[p] !== null).length;
      if (seen >= need) best = p;
    }
    return best;
  }

  // ---------------------------------------------------------------------------------------------
  // Chart chrome: legend, display switch, cohort picker

  protected override renderChart(r: MetricResult): TemplateResult | typeof nothing {
    const model = this.model(r);
    const label = this.summaryText(r);
    // The plot container of VegaElement, focusable: in a fixed-height host it scrolls, and a
    // scrolling region must be reachable by keyboard; its accessible name is the text summary.
    return html`<div class="plot" role="img" tabindex="0" aria-label=${label}></div>
      <div part="tooltip" hidden></div>
      <div class="foot">
        ${this.renderLegend(model)}
        <div part="controls">
          <div part="display-toggle" role="group" aria-label=${this.m('display')}>
            ${(['matrix', 'curves'] as const).map(
              (d) =>
                html`<button
                  aria-pressed=${this.display === d ? 'true' : 'false'}
                  @click=${() => (this.display = d)}
                >
                  ${this.m(d)}
                </button>`,
            )}
          </div>
          <label>
            <span>${this.m(model.kind === 'vintage' ? 'pickVintage' : 'pickCohort')}</span>
            <select part="cohort-select" @change=${(e: Event) => this.onPick(e)}>
              <option value="" ?selected=${this.selected === null}>${this.m('allCohorts')}</option>
              ${model.rows.map((row) => html`<option value=${row.key} ?selected=${row.key === this.selected}>${row.label}</option>`)}
            </select>
          </label>
        </div>
      </div>`;
  }

  private onPick(e: Event): void {
    const v = (e.target as HTMLSelectElement).value;
    if (!v) {
      if (this.selected !== null) this.select(null);
    } else if (v !== this.selected) this.selectCohort(v);
  }

  private renderLegend(model: CohortModel): TemplateResult {
    const th = this.theme_();
    const hasBlank = model.rows.some((x) => x.values.some((v) => v === null));
    if (this.display === 'curves') {
      const colors = curveColors(Math.max(2, model.rows.length), th);
      const first = model.rows[0]?.label ?? '';
      const last = model.rows[model.rows.length - 1]?.label ?? '';
      return html`<div part="legend" aria-hidden="true">
        <span class="scale">
          <span>${first}</span>
          ${this.gradient(colors, 'curves')}
          <span>${last}</span>
        </span>
      </div>`;
    }
    const hasValues = model.rows.some((x) => x.values.some((v) => v !== null));
    if (!hasValues) {
      return html`<div part="legend">
        ${hasBlank ? html`<span class="blank"><i aria-hidden="true"></i>${this.m('censored')}</span>` : nothing}
      </div>`;
    }
    const [lo, hi] = colorDomain(model);
    const digits = model.valueKind === 'ratio' && hi < 0.1 ? 1 : 0;
    const over = model.rows.some((x) => x.values.some((v) => v !== null && v > hi));
    return html`<div part="legend">
      <span
        class="scale"
        aria-label=${`${valueName(model)} ${formatCell(model, lo, lo === 0 ? 0 : digits)} – ${formatCell(model, hi, digits)}`}
        role="img"
      >
        <span aria-hidden="true">${valueName(model)}</span>
        <span aria-hidden="true">${formatCell(model, lo, lo === 0 ? 0 : digits)}</span>
        ${this.gradient(th.ramp, 'heat')}
        <span aria-hidden="true">${over ? '≥' : ''}${formatCell(model, hi, digits)}</span>
      </span>
      ${hasBlank ? html`<span class="blank"><i aria-hidden="true"></i>${this.m('censored')}</span>` : nothing}
    </div>`;
  }

  private gradient(colors: readonly string[], id: string): TemplateResult {
    const gid = `fin-cohort-${id}`;
    const n = Math.max(1, colors.length - 1);
    return html`<svg viewBox="0 0 96 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      ${svg`<defs><linearGradient id=${gid} x1="0" x2="1" y1="0" y2="0">
          ${colors.map((c, i) => svg`<stop offset=${i / n} stop-color=${c}></stop>`)}
        </linearGradient></defs>
        <rect x="0" y="0" width="96" height="10" rx="2" fill=${`url(#${gid})`}></rect>`}
    </svg>`;
  }
}
