import { css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../src/engine/types.js';
import { msg, pick } from '../../src/format/messages.js';
import { PROFILE_AREA } from '../../src/format/messages/profile.js';
import { formatValue } from '../../src/format/number.js';
import { CLUSTER_FIELD, RFM_SEGMENT_FIELD, isGroupField } from '../../src/dashboard/segments.js';
import { profileModel, profileTgiSpec } from '../../src/specs/profile-tgi.js';
import type { ProfileModel, ProfileTheme, VlSpec } from '../../src/specs/profile-tgi.js';
import type { TableModel } from '../base/export.js';
import type { FinSelectEvent } from '../base/events.js';
import { safeStyle } from '../base/safe-style.js';
import { VegaElement } from '../base/vega-element.js';
import type { ProfileElementParams } from '../base/params.js';

/** The customer id field a dashboard filters a selected segment or cluster on. */
const MEMBER_FIELD = 'customer_id';

/**
 * Customer profile (客户画像): the `profile` metric — a group of customers against a base (everyone
 * by default). TGI bars per categorical attribute (age band, gender, city tier, risk grade, product,
 * channel, …), each drawn from 100 to the value's TGI with a reference line at 100 (right:
 * over-represented in the group; left: under), values held by fewer than `minCount` (30) group
 * customers drawn pale and starred; under the chart, the numeric attributes (age, AUM, products,
 * tenure, loans) with the group's and the base's median, mean and the mean index.
 *
 * The group is `params.group` (`{ segment }`, `{ cluster }`, `{ label: 'default' | 'churn' }`,
 * `{ where }` or `{ ids }`), or follows a selection: in `<fin-dashboard>` a selected RFM segment or
 * cluster reaches this element as `customer_id in [members]`, which becomes the group (several:
 * their intersection) instead of a filter; in a link group an `rfm_segment` or `customer_cluster`
 * clause becomes `{ segment }` / `{ cluster }`. With neither, the element asks for a group (empty
 * state) rather than querying. `ignore-selection` keeps `params.group` whatever is selected.
 *
 * @summary Customer profile: TGI bars per attribute, numeric comparisons, small-group flags.
 * @tag fin-profile
 * @csspart base - The card.
 * @csspart header - Title row with tools.
 * @csspart title - The title.
 * @csspart context - The group / base line.
 * @csspart controls - The attribute picker.
 * @csspart picker - The attribute picker.
 * @csspart chart - The chart area (the Vega view).
 * @csspart note - Notes (small group, capped TGI, key).
 * @csspart numeric - The numeric comparison table.
 * @csspart table - The data-table view.
 * @csspart tooltip - The text tooltip.
 * @csspart summary - The text alternative (visually hidden).
 * @csspart loading - Loading state.
 * @csspart empty - Empty state (also: no group chosen yet).
 * @csspart error - Error state.
 * @csspart quality - Partial-data warning.
 * @csspart basis - The basis (口径) panel.
 * @cssproperty --fin-profile-color-over - Bars of over-represented values (default the accent colour).
 * @cssproperty --fin-profile-color-under - Bars of under-represented values.
 * @fires fin-error - Loading, computing or rendering failed.
 * @fires fin-quality - The result carries warnings (e.g. a small group).
 * @fires fin-render - The answer is on screen.
 */
export class FinProfile extends VegaElement<ProfileElementParams> {
  static override styles = [
    ...VegaElement.styles,
    css`
      :host {
        min-width: 200px;
      }
      .plot {
        width: 100%;
        min-height: 60px;
      }
      .plot svg,
      .plot canvas {
        display: block;
      }
      [part='context'],
      [part='note'] {
        font-size: 12px;
        color: var(--_color-muted);
        margin: 0 0 8px;
      }
      [part='note'] {
        margin: 6px 0 0;
      }
      [part='context'] strong {
        color: var(--_color-fg);
      }
      [part='controls'] {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 12px;
        margin-bottom: 8px;
        font-size: 12px;
        color: var(--_color-muted);
      }
      [part='picker'] {
        font: inherit;
        color: var(--_color-fg);
        background: var(--_color-bg);
        border: 1px solid var(--_color-border);
        border-radius: 4px;
        padding: 2px 4px;
      }
      .key {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        margin-inline-end: 12px;
      }
      .key i {
        display: inline-block;
        width: 10px;
        height: 10px;
        border-radius: 2px;
      }
      [part='numeric'] {
        margin-top: 12px;
      }
      [part='numeric'] h4 {
        margin: 0 0 4px;
        font-size: 13px;
      }
      th,
      td {
        padding: 4px 6px;
      }
      tbody th {
        font-weight: normal;
        text-align: start;
      }
      .scroll {
        overflow: auto;
      }
      td.small {
        color: var(--_color-muted);
      }
    `,
  ];

  /** One categorical attribute to chart, or '' for all. No re-query. */
  @property() attribute = '';
  /** Keep `params.group` whatever other widgets select. */
  @property({ attribute: 'ignore-selection', type: Boolean }) ignoreSelection = false;

  /** Labels of group selections seen (`fin-select` on rfm_segment / customer_cluster), by source. */
  @state() protected groupLabels = new Map<string, string>();

  private memo: { r: MetricResult; locale: string; model: ProfileModel } | null = null;
  private readonly onAnySelect = (e: Event): void => {
    const d = (e as FinSelectEvent).detail;
    if (!d || d.source === this.id_()) return;
    const next = new Map(this.groupLabels);
    if (d.clause && isGroupField(d.clause.field)) next.set(d.source, d.label);
    else if (!d.clause || !isGroupField(d.clause.field)) next.delete(d.source);
    this.groupLabels = next;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('fin-select', this.onAnySelect);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('fin-select', this.onAnySelect);
  }

  protected defaultMetric(): string {
    return 'profile';
  }

  protected override defaultSource(): string {
    return 'customers';
  }

  protected override queryKeys(): string[] {
    return [...super.queryKeys(), 'ignoreSelection'];
  }

  private m(key: string, vars?: Record<string, string | number>): string {
    return msg(this.lang_, key, vars, PROFILE_AREA);
  }

  /**
   * The group and the filters of the request: a selection (members, or a linked segment/cluster)
   * becomes the group unless `ignore-selection`; the rest stay filters.
   */
  private resolve(): { group: Record<string, unknown> | null; filters: FilterClause[] } {
    const fromOthers = [...(this.dashboard?.filtersFor(this.id_()) ?? []), ...this.linked.values()];
    const own = this.filters;
    const given = (this.params as { group?: Record<string, unknown> }).group ?? null;
    if (this.ignoreSelection) return { group: given, filters: [...fromOthers.filter((f) => !isGroupField(f.field)), ...own] };
    let ids = null as Set<string> | null;
    let linkedGroup: Record<string, unknown> | null = null;
    const rest: FilterClause[] = [];
    for (const f of fromOthers) {
      if (f.field === MEMBER_FIELD && f.op === 'in') {
        const these = new Set(f.value.filter((v): v is string => typeof v === 'string'));
        ids = ids === null ? these : new Set([...ids].filter((x) => these.has(x)));
      } else if (f.field === RFM_SEGMENT_FIELD && f.op === 'eq' && typeof f.value === 'string') linkedGroup = { segment: f.value };
      else if (f.field === CLUSTER_FIELD && f.op === 'eq' && typeof f.value === 'number') linkedGroup = { cluster: f.value };
      else if (!isGroupField(f.field)) rest.push(f);
    }
    const labels = [...this.groupLabels.values()].filter(Boolean);
    const name = labels.length ? labels.join(this.lang_ === 'zh-CN' ? ' 且 ' : ' and ') : this.m('selectedGroup');
    const group = ids !== null ? { ids: [...ids].sort(), name } : (linkedGroup ?? given);
    return { group, filters: [...rest, ...own] };
  }

  protected override request(): QueryRequest {
    const req = super.request();
    const { group, filters } = this.resolve();
    return { ...req, params: { ...(req.params ?? {}), ...(group ? { group } : {}) }, filters };
  }

  /** No group chosen: an empty answer that says how to choose one (no query). */
  protected override localAnswer(): MetricResult | null {
    if (this.resolve().group) return null;
    return {
      data: [],
      basis: {
        metric: 'profile',
        title: { 'zh-CN': '客户画像', 'en-US': 'Customer profile' },
        formula: { 'zh-CN': 'TGI = 客群占比 / 基准占比 × 100', 'en-US': 'TGI = group share / base share × 100' },
        options: {},
        filters: [],
        exclusions: [],
      },
      quality: { rows: 0, used: 0, excluded: {}, warnings: [] },
      empty: { 'zh-CN': `${msg('zh-CN', 'noGroup', undefined, PROFILE_AREA)}：${msg('zh-CN', 'noGroupHint', undefined, PROFILE_AREA)}`, 'en-US': `${msg('en-US', 'noGroup', undefined, PROFILE_AREA)}: ${msg('en-US', 'noGroupHint', undefined, PROFILE_AREA)}` },
    };
  }

  protected model(r: MetricResult): ProfileModel {
    const locale = this.lang_;
    if (this.memo && this.memo.r === r && this.memo.locale === locale) return this.memo.model;
    const model = profileModel(r, locale);
    this.memo = { r, locale, model };
    return model;
  }

  private theme_(): ProfileTheme {
    return {
      fg: this.token('--_color-fg', '#111827'),
      muted: this.token('--_color-muted', '#4b5563'),
      bg: this.token('--_color-bg', '#ffffff'),
      border: this.token('--_color-border', '#d9dee5'),
      over: this.token('--fin-profile-color-over', '') || this.token('--_color-accent', '#1d4ed8'),
      under: this.token('--fin-profile-color-under', '#e8743b'),
    };
  }

  // -------------------------------------------------------------------------------------------
  // VegaElement

  protected spec(r: MetricResult, width: number): VlSpec | null {
    const model = this.model(r);
    return profileTgiSpec({ model, width, theme: this.theme_(), attribute: this.chosenAttribute(model) }).spec;
  }

  private chosenAttribute(model: ProfileModel): string {
    return model.attributes.some((a) => a.id === this.attribute) ? this.attribute : '';
  }

  protected override markCount(r: MetricResult): number {
    return r.data.length * 3;
  }

  protected override tooltipLines(d: Record<string, unknown>): string[] {
    if (!this.current || typeof d['attribute'] !== 'string' || typeof d['value'] !== 'string') return [];
    const model = this.model(this.current);
    const v = model.values.find((x) => x.attribute === d['attribute'] && x.value === d['value']);
    if (!v) return [];
    const L = this.lang_;
    const pct = (x: number | null): string => formatValue(x, 'percent', L, 1);
    return [
      `${v.attributeLabel}: ${v.value}`,
      `${this.m('tgi')} ${v.tgi === null ? '—' : formatValue(v.tgi, 'number', L, 1)}${v.small ? ` · ${this.m('smallFlag', { n: model.minCount })}` : ''}`,
      `${this.m('groupShare')} ${pct(v.groupShare)} (${formatValue(v.groupCount, 'count', L)})`,
      `${this.m('baseShare')} ${pct(v.baseShare)} (${formatValue(v.baseCount, 'count', L)})`,
    ];
  }

  // -------------------------------------------------------------------------------------------
  // Rendering

  protected override renderChart(r: MetricResult): TemplateResult | typeof nothing {
    const model = this.model(r);
    const theme = this.theme_();
    const attr = this.chosenAttribute(model);
    const cap = Math.max(0, ...model.values.filter((v) => !attr || v.attribute === attr).map((v) => v.tgi ?? 0));
    const capAt = cap <= 200 ? 200 : cap <= 300 ? 300 : 400;
    return html`${this.renderContext(model)}
      <div part="controls">
        <label
          >${this.m('attribute')}
          <select part="picker" .value=${attr} @change=${(e: Event) => (this.attribute = (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${attr === ''}>${this.m('allAttributes')}</option>
            ${model.attributes.map((a) => html`<option value=${a.id} ?selected=${a.id === attr}>${a.label}</option>`)}
          </select></label
        >
        <span class="key"><i style=${safeStyle({ background: theme.over })}></i>${this.m('legendOver')}</span>
        <span class="key"><i style=${safeStyle({ background: theme.under })}></i>${this.m('legendUnder')}</span>
        <span class="key">${this.m('legendSmall', { n: model.minCount })}</span>
      </div>
      ${super.renderChart(r)}
      ${cap > capAt ? html`<p part="note">${this.m('capped', { cap: capAt })}</p>` : nothing}
      ${this.numericTable(model)}`;
  }

  protected override renderTable(r: MetricResult): TemplateResult {
    let model: ProfileModel;
    try {
      model = this.model(r);
    } catch (e) {
      queueMicrotask(() => this.fail('render_failed', e instanceof Error ? e.message : String(e)));
      return html``;
    }
    return html`${this.renderContext(model)}${super.renderTable(r)}${this.numericTable(model)}`;
  }

  private renderContext(model: ProfileModel): TemplateResult {
    const L = this.lang_;
    return html`<p part="context">
      <strong
        >${this.m('groupHead', {
          label: model.groupLabel || this.m('selectedGroup'),
          n: formatValue(model.groupSize, 'count', L),
          base: this.m(model.baseKind === 'rest' ? 'baseRest' : 'baseAll'),
          m: formatValue(model.baseSize, 'count', L),
        })}</strong
      >
      ${model.groupSmall ? html`<br /><span role="note">${this.m('smallGroup', { n: model.minCount })}</span>` : nothing}
    </p>`;
  }

  private fmt(v: number | null): string {
    if (v === null) return '—';
    return Math.abs(v) >= 10000 ? formatValue(v, 'compact', this.lang_) : formatValue(v, 'number', this.lang_, Math.abs(v) < 10 ? 2 : 1);
  }

  private numericTable(model: ProfileModel): TemplateResult | typeof nothing {
    if (!model.numeric.length) return nothing;
    const L = this.lang_;
    return html`<div part="numeric">
      <h4>${this.m('numeric')}</h4>
      <div class="scroll" tabindex="0" role="region" aria-label=${this.m('numeric')}>
        <table>
          <thead>
            <tr>
              <th scope="col">${this.m('attribute')}</th>
              <th scope="col" class="num">${this.m('groupMedian')}</th>
              <th scope="col" class="num">${this.m('baseMedian')}</th>
              <th scope="col" class="num">${this.m('groupMean')}</th>
              <th scope="col" class="num">${this.m('baseMean')}</th>
              <th scope="col" class="num">${this.m('groupIqr')}</th>
              <th scope="col" class="num">${this.m('index')}</th>
            </tr>
          </thead>
          <tbody>
            ${model.numeric.map(
              (n) => html`<tr>
                <th scope="row">${n.label}</th>
                <td class="num">${this.fmt(n.group.median)}</td>
                <td class="num">${this.fmt(n.base.median)}</td>
                <td class="num">${this.fmt(n.group.mean)}</td>
                <td class="num">${this.fmt(n.base.mean)}</td>
                <td class="num">${`${this.fmt(n.group.q1)}–${this.fmt(n.group.q3)}`}</td>
                <td class="num">${n.index === null ? '—' : formatValue(n.index, 'number', L, 0)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </div>`;
  }

  // -------------------------------------------------------------------------------------------
  // Table model (table view and CSV), text alternative

  protected tableModel(r: MetricResult): TableModel {
    const model = this.model(r);
    const L = this.lang_;
    return {
      columns: [
        { key: 'attribute', label: this.m('attribute') },
        { key: 'value', label: this.m('value') },
        { key: 'groupCount', label: this.m('groupCount'), numeric: true },
        { key: 'groupShare', label: this.m('groupShare'), numeric: true },
        { key: 'baseCount', label: this.m('baseCount'), numeric: true },
        { key: 'baseShare', label: this.m('baseShare'), numeric: true },
        { key: 'tgi', label: this.m('tgi'), numeric: true },
        { key: 'small', label: this.m('small') },
      ],
      rows: model.values.map((v) => [
        { text: v.attributeLabel, raw: v.attributeLabel },
        { text: v.value, raw: v.value },
        { text: formatValue(v.groupCount, 'count', L), raw: v.groupCount },
        { text: formatValue(v.groupShare, 'percent', L, 1), raw: v.groupShare },
        { text: formatValue(v.baseCount, 'count', L), raw: v.baseCount },
        { text: formatValue(v.baseShare, 'percent', L, 1), raw: v.baseShare },
        { text: v.tgi === null ? '—' : formatValue(v.tgi, 'number', L, 1), raw: v.tgi },
        { text: v.small ? this.m('small') : '', raw: v.small ? 1 : 0 },
      ]),
    };
  }

  protected summary(r: MetricResult): string {
    const model = this.model(r);
    const withTgi = model.values.filter((v) => v.tgi !== null && !v.small);
    if (!withTgi.length) return '';
    const top = withTgi.reduce((a, b) => (b.tgi! > a.tgi! ? b : a));
    const low = withTgi.reduce((a, b) => (b.tgi! < a.tgi! ? b : a));
    const L = this.lang_;
    return this.m('summary', {
      title: this.heading || pick(r.basis.title, L),
      label: model.groupLabel || this.m('selectedGroup'),
      n: formatValue(model.groupSize, 'count', L),
      base: this.m(model.baseKind === 'rest' ? 'baseRest' : 'baseAll'),
      top: `${top.attributeLabel} ${top.value}`,
      topTgi: formatValue(top.tgi, 'number', L, 0),
      low: `${low.attributeLabel} ${low.value}`,
      lowTgi: formatValue(low.tgi, 'number', L, 0),
    });
  }
}
