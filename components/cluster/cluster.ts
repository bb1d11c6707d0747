import { css, html, nothing, svg } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../src/engine/types.js';
import { msg, pick } from '../../src/format/messages.js';
import { CLUSTER_AREA } from '../../src/format/messages/cluster.js';
import { formatDay, formatValue } from '../../src/format/number.js';
import { CLUSTER_FIELD } from '../../src/dashboard/segments.js';
import { clusterColor, clusterModel } from '../../src/specs/cluster-model.js';
import type { ClusterInfo, ClusterModel, ClusterTheme, VlSpec } from '../../src/specs/cluster-model.js';
import { clusterKSpec } from '../../src/specs/cluster-k.js';
import { clusterProfileSpec } from '../../src/specs/cluster-profile.js';
import { clusterScatterSpec } from '../../src/specs/cluster-scatter.js';
import type { TableModel } from '../base/export.js';
import { VegaElement } from '../base/vega-element.js';
import type { ClusterElementParams } from '../base/params.js';

/** The field of the `fin-select` clause: the cluster number. */
export { CLUSTER_FIELD };

/**
 * K-means customer clusters (客户分群): the `cluster` metric (features per customer, log1p on skewed
 * ones, z-scores, k-means++ with a seed, k chosen by the mean silhouette).
 *
 * Three displays of one answer (no re-query when switching): `scatter` — two chosen features
 * (pickers above the chart), one point per listed customer coloured by cluster, centroids as
 * numbered markers, skewed features on a log axis (canvas above 1,000 points); `profiles` —
 * parallel coordinates of each cluster's standardised centroid; `k` — the mean silhouette and the
 * inertia of every k tried with the chosen k marked. Under the chart, the cluster table (size,
 * share, centroid and median in original units, suggested label) is the colour key and the
 * keyboard way to select.
 *
 * Selecting a cluster (a point, a centroid, a line, a table row button; the same again clears)
 * emits `fin-select` with `{ field: 'customer_cluster', op: 'eq', value: <cluster number> }`,
 * labelled with the cluster's suggested label. `customer_cluster` is not a column of any dataset:
 * `<fin-dashboard>` maps it to the cluster's customers (`membersRequest`, then `customer_id in
 * [...]`) exactly as it does an RFM segment.
 *
 * @summary K-means clusters: scatter, centroid profiles, choice of k, cluster table.
 * @tag fin-cluster
 * @csspart base - The card.
 * @csspart header - Title row with tools.
 * @csspart title - The title.
 * @csspart context - The as-of / customers / k line.
 * @csspart controls - The display switch and the feature pickers.
 * @csspart display-toggle - The scatter / profiles / k switch.
 * @csspart picker - A feature picker (x or y).
 * @csspart chart - The chart area (the Vega view).
 * @csspart note - Notes under the chart (sample, points shown, log axes).
 * @csspart clusters - The cluster table under the chart.
 * @csspart select - A cluster button in the table.
 * @csspart table - The data-table view.
 * @csspart tooltip - The text tooltip.
 * @csspart summary - The text alternative (visually hidden).
 * @csspart loading - Loading state.
 * @csspart empty - Empty state.
 * @csspart error - Error state.
 * @csspart quality - Partial-data warning.
 * @csspart basis - The basis (口径) panel.
 * @fires fin-select - A cluster was selected, or the selection was cleared: `{ clause, label, source, group }`.
 * @fires fin-error - Loading, computing or rendering failed.
 * @fires fin-quality - The result excluded rows or carries warnings.
 * @fires fin-render - The answer is on screen.
 */
export class FinCluster extends VegaElement<ClusterElementParams> {
  static override styles = [
    ...VegaElement.styles,
    css`
      :host {
        min-width: 200px;
      }
      [part='header'] {
        flex-wrap: wrap;
      }
      [part='title'] {
        flex: 1 1 10em;
        min-width: 0;
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
      [part='controls'] {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 12px;
        margin-bottom: 10px;
      }
      .toggle {
        display: inline-flex;
        border: 1px solid var(--_color-border);
        border-radius: 4px;
        overflow: hidden;
      }
      .toggle button {
        border: 0;
        border-radius: 0;
      }
      .toggle button + button {
        border-inline-start: 1px solid var(--_color-border);
      }
      .toggle button[aria-pressed='true'] {
        background: var(--_color-surface);
        color: var(--_color-accent);
        font-weight: 600;
      }
      label.pick {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        font-size: 12px;
        color: var(--_color-muted);
      }
      [part='picker'] {
        font: inherit;
        font-size: 12px;
        color: var(--_color-fg);
        background: var(--_color-bg);
        border: 1px solid var(--_color-border);
        border-radius: 4px;
        padding: 2px 4px;
      }
      [part='clusters'] {
        margin-top: 10px;
        overflow-x: auto;
      }
      th,
      td {
        padding: 4px 6px;
      }
      thead th {
        white-space: normal;
        vertical-align: bottom;
      }
      table.zh thead th {
        word-break: keep-all;
      }
      tbody th {
        font-weight: normal;
        text-align: start;
      }
      [part='select'] {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        font-size: 12px;
        color: var(--_color-fg);
        border-color: transparent;
        padding: 0 4px;
        min-height: 22px;
        text-align: start;
      }
      [part='select'][aria-pressed='true'] {
        border-color: var(--_color-fg);
        font-weight: 600;
      }
      tr.dim td,
      tr.dim [part='select'] {
        color: var(--_color-muted);
      }
    `,
  ];

  /** `scatter`, `profiles` (parallel coordinates of the centroids) or `k` (choice of k). No re-query. */
  @property({ reflect: true }) display: 'scatter' | 'profiles' | 'k' = 'scatter';
  /** Feature on the scatter's x axis (default: the first feature). */
  @property() x = '';
  /** Feature on the scatter's y axis (default: the second feature). */
  @property() y = '';
  /** Customers listed for the scatter (`includeAssignments` with this `limit`); 0 asks for none. */
  @property({ type: Number }) points = 3000;
  /** Hide the display switch and the feature pickers. */
  @property({ attribute: 'hide-controls', type: Boolean }) hideControls = false;

  /** The selected cluster number, or null. */
  @state() protected selected: number | null = null;

  private memo: { r: MetricResult; locale: string; model: ClusterModel } | null = null;

  protected defaultMetric(): string {
    return 'cluster';
  }

  protected override defaultSource(): string {
    return 'transactions';
  }

  protected override queryKeys(): string[] {
    return [...super.queryKeys(), 'points'];
  }

  protected override queryParams(): Record<string, unknown> {
    const p: Record<string, unknown> = { ...this.params };
    const n = Math.floor(Number(this.points));
    if (n > 0 && p['includeAssignments'] === undefined) {
      p['includeAssignments'] = true;
      if (p['limit'] === undefined) p['limit'] = Math.min(10000, n);
    }
    return p;
  }

  /** `customer_cluster` is this element's own output; no dataset has it, so incoming ones are dropped. */
  protected override request(): QueryRequest {
    const req = super.request();
    if (req.filters) req.filters = req.filters.filter((f) => f.field !== CLUSTER_FIELD);
    return req;
  }

  /**
   * The request that lists every customer of `clusters` as this element clusters them now (its
   * params and filters, `params.members`): what `<fin-dashboard>` filters the others on.
   */
  membersRequest(clusters: Array<string | number>): QueryRequest {
    const req = this.request();
    const params: Record<string, unknown> = { ...(req.params ?? {}), members: clusters.map(Number) };
    // The k on screen: the same seeded fit without trying every k again (same data → same members).
    const k = this.current?.meta?.['k'];
    if ((params['k'] === undefined || params['k'] === null) && typeof k === 'number') params['k'] = k;
    delete params['includeAssignments'];
    delete params['limit'];
    return { ...req, params };
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('current') && this.selected !== null) {
      const r = this.current;
      if (!r || !r.data.some((d) => d['cluster'] === this.selected)) this.selectCluster(null);
    }
  }

  private m(key: string, vars?: Record<string, string | number>): string {
    return msg(this.lang_, key, vars, CLUSTER_AREA);
  }

  protected model(r: MetricResult): ClusterModel {
    const locale = this.lang_;
    if (this.memo && this.memo.r === r && this.memo.locale === locale) return this.memo.model;
    const model = clusterModel(r, locale);
    this.memo = { r, locale, model };
    return model;
  }

  private theme_(): ClusterTheme {
    return {
      fg: this.token('--_color-fg', '#111827'),
      muted: this.token('--_color-muted', '#4b5563'),
      bg: this.token('--_color-bg', '#ffffff'),
      border: this.token('--_color-border', '#d9dee5'),
      accent: this.token('--_color-accent', '#1d4ed8'),
    };
  }

  /** The features on the scatter's axes (the chosen ones when the result has them). */
  private axes(model: ClusterModel): [string, string] {
    const ids = model.features.map((f) => f.id);
    const x = ids.includes(this.x) ? this.x : (ids[0] ?? '');
    const y = ids.includes(this.y) ? this.y : (ids.find((f) => f !== x) ?? x);
    return [x, y];
  }

  private clusterName(c: ClusterInfo): string {
    return c.label ? this.m('clusterLabel', { n: c.cluster, label: c.label }) : this.m('clusterN', { n: c.cluster });
  }

  /** Select cluster `n` (the same again, or null, clears). */
  selectCluster(n: number | null): void {
    const model = this.current ? this.model(this.current) : null;
    const c = n === null || n === this.selected ? null : model?.clusters.find((x) => x.cluster === n);
    this.selected = c ? c.cluster : null;
    const clause: FilterClause | null = c ? { field: CLUSTER_FIELD, op: 'eq', value: c.cluster } : null;
    this.select(clause, c ? this.clusterName(c) : '');
  }

  /** The base's clear button clears the highlight too. */
  protected override select(clause: FilterClause | null, label = ''): void {
    if (!clause) this.selected = null;
    super.select(clause, label);
  }

  // -------------------------------------------------------------------------------------------
  // VegaElement

  protected spec(r: MetricResult, width: number): VlSpec | null {
    const model = this.model(r);
    const theme = this.theme_();
    if (this.display === 'k') return model.kTable.length ? clusterKSpec({ model, width, theme }) : null;
    if (this.display === 'profiles') return clusterProfileSpec({ model, width, theme, selected: this.selected }).spec;
    if (!model.points.length) return null;
    const [x, y] = this.axes(model);
    return clusterScatterSpec({ model, x, y, width, theme, selected: this.selected }).spec;
  }

  protected override markCount(r: MetricResult): number {
    return this.display === 'scatter' ? this.model(r).points.length : r.data.length * 10;
  }

  protected override onMarkClick(d: Record<string, unknown>): void {
    if (typeof d['cluster'] === 'number') this.selectCluster(d['cluster']);
  }

  protected override tooltipLines(d: Record<string, unknown>): string[] {
    if (!this.current || typeof d['cluster'] !== 'number') return [];
    const model = this.model(this.current);
    const c = model.clusters.find((x) => x.cluster === d['cluster']);
    if (!c) return [];
    const L = this.lang_;
    const lines = [this.clusterName(c), `${this.m('size')} ${formatValue(c.size, 'count', L)} · ${formatValue(c.share, 'percent', L, 1)}`];
    const f = model.features.find((x) => x.id === d['feature']);
    if (f) {
      lines.push(
        f.label,
        `${this.m('zScore')} ${formatValue(c.z[f.id] ?? null, 'number', L, 2)}`,
        `${this.m('centroid')} ${this.fmt(c.centroid[f.id] ?? null)} · ${this.m('median')} ${this.fmt(c.median[f.id] ?? null)}${f.unit ? ` ${f.unit}` : ''}`,
      );
    } else if (typeof d['x'] === 'number' && typeof d['y'] === 'number' && this.display === 'scatter') {
      const [x, y] = this.axes(model);
      for (const [id, v] of [[x, d['x']], [y, d['y']]] as const) {
        const ff = model.features.find((q) => q.id === id);
        if (ff) lines.push(`${ff.label} ${this.fmt(v)}${ff.unit ? ` ${ff.unit}` : ''}`);
      }
    }
    return lines;
  }

  private fmt(v: number | null): string {
    if (v === null) return '—';
    return Math.abs(v) >= 10000 ? formatValue(v, 'compact', this.lang_) : formatValue(v, 'number', this.lang_, Math.abs(v) < 10 ? 2 : 1);
  }

  // -------------------------------------------------------------------------------------------
  // Rendering

  protected override renderChart(r: MetricResult): TemplateResult | typeof nothing {
    const model = this.model(r);
    let body: TemplateResult;
    if (this.display === 'scatter' && !model.points.length) body = html`<p part="note" role="note">${this.m('noPoints')}</p>`;
    else if (this.display === 'k' && !model.kTable.length) body = html`<p part="note" role="note">${this.m('noKTable')}</p>`;
    else body = html`${super.renderChart(r)}${this.notes(model)}`;
    return html`${this.renderContext(model)}${this.hideControls ? nothing : this.renderControls(model)}${body}${this.clusterTable(r, model, true)}`;
  }

  protected override renderTable(r: MetricResult): TemplateResult {
    let model: ClusterModel;
    try {
      model = this.model(r);
    } catch (e) {
      queueMicrotask(() => this.fail('render_failed', e instanceof Error ? e.message : String(e)));
      return html``;
    }
    return this.clusterTable(r, model, false);
  }

  private renderContext(model: ClusterModel): TemplateResult {
    const L = this.lang_;
    const kt = model.kTable;
    const how =
      model.kSelection === 'given' || kt.length < 2
        ? this.m('kGiven', { k: model.k })
        : this.m('kBySilhouette', { k: model.k, min: Math.min(...kt.map((x) => x.k)), max: Math.max(...kt.map((x) => x.k)) });
    return html`<p part="context">
      ${this.m('context', { asOf: model.asOf ? formatDay(model.asOf, L) : '—', n: formatValue(model.entities, 'count', L), k: model.clusters.length })}
      · ${how}
    </p>`;
  }

  private renderControls(model: ClusterModel): TemplateResult {
    const opts: Array<[FinCluster['display'], string]> = [
      ['scatter', this.m('scatter')],
      ['profiles', this.m('profiles')],
      ['k', this.m('kChart')],
    ];
    const [x, y] = this.axes(model);
    const picker = (which: 'x' | 'y', value: string): TemplateResult => html`<label class="pick"
      >${this.m(which === 'x' ? 'xFeature' : 'yFeature')}
      <select part="picker" .value=${value} @change=${(e: Event) => (this[which] = (e.target as HTMLSelectElement).value)}>
        ${model.features.map((f) => html`<option value=${f.id} ?selected=${f.id === value}>${f.label}</option>`)}
      </select></label
    >`;
    return html`<div part="controls">
      <div part="display-toggle" class="toggle" role="group" aria-label=${this.m('display')}>
        ${opts.map(([v, t]) => html`<button aria-pressed=${this.display === v ? 'true' : 'false'} @click=${() => (this.display = v)}>${t}</button>`)}
      </div>
      ${this.display === 'scatter' && model.features.length > 1 && model.points.length ? html`${picker('x', x)}${picker('y', y)}` : nothing}
    </div>`;
  }

  private notes(model: ClusterModel): TemplateResult | typeof nothing {
    const L = this.lang_;
    const out: string[] = [];
    if (this.display === 'scatter') {
      if (model.pointsTotal > model.points.length)
        out.push(this.m('pointsNote', { n: formatValue(model.points.length, 'count', L), total: formatValue(model.pointsTotal, 'count', L) }));
      const [x, y] = this.axes(model);
      if (model.features.some((f) => (f.id === x || f.id === y) && f.log1p)) out.push(this.m('logAxis'));
      if (model.features.length === 1) out.push(this.m('oneFeature'));
    }
    if (this.display === 'k' && model.sampled !== null) out.push(this.m('sampledNote', { m: formatValue(model.sampled, 'count', L) }));
    return out.length ? html`<p part="note">${out.join(L === 'zh-CN' ? '；' : '; ')}</p>` : nothing;
  }

  private swatch(color: string): TemplateResult {
    return html`<svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
      ${svg`<circle cx="5" cy="5" r="5" fill=${color}></circle>`}
    </svg>`;
  }

  /** The cluster table with a select button per row (under the chart, and the data-table view). */
  private clusterTable(r: MetricResult, model: ClusterModel, under: boolean): TemplateResult {
    const t = this.tableModel(r);
    const sel = this.selected;
    return html`<div part=${under ? 'clusters' : 'table'} tabindex="0" role="region" aria-label=${this.m('clusters')}>
      <table class=${this.lang_ === 'zh-CN' ? 'zh' : ''}>
        <caption class="sr-only">${this.heading || pick(r.basis.title, this.lang_)}</caption>
        <thead>
          <tr>${t.columns.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}</tr>
        </thead>
        <tbody>
          ${model.clusters.map((c, i) => {
            const on = sel === c.cluster;
            return html`<tr class=${sel !== null && !on ? 'dim' : ''}>
              <th scope="row">
                <button
                  part="select"
                  aria-pressed=${on ? 'true' : 'false'}
                  title=${`${this.m('select', { label: this.clusterName(c) })} (${this.m('selectHint')})`}
                  @click=${() => this.selectCluster(c.cluster)}
                >
                  ${this.swatch(clusterColor(c.cluster))}<span>${String(c.cluster)}</span>
                </button>
              </th>
              ${t.rows[i]!.slice(1).map((cell, j) => html`<td class=${t.columns[j + 1]?.numeric ? 'num' : ''}>${cellText(cell)}</td>`)}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  // -------------------------------------------------------------------------------------------
  // Table model (table view and CSV), text alternative

  protected tableModel(r: MetricResult): TableModel {
    const model = this.model(r);
    const L = this.lang_;
    const unit = (f: ClusterModel['features'][number], key: 'centroidOf' | 'medianOf'): string => {
      const l = this.m(key, { f: f.label });
      return f.unit ? this.m('withUnit', { label: l, unit: f.unit }) : l;
    };
    return {
      columns: [
        { key: 'cluster', label: this.m('cluster') },
        { key: 'label', label: this.m('label') },
        { key: 'size', label: this.m('size'), numeric: true },
        { key: 'share', label: this.m('share'), numeric: true },
        ...model.features.map((f) => ({ key: `centroid.${f.id}`, label: unit(f, 'centroidOf'), numeric: true })),
        ...model.features.map((f) => ({ key: `median.${f.id}`, label: unit(f, 'medianOf'), numeric: true })),
      ],
      rows: model.clusters.map((c) => [
        { text: String(c.cluster), raw: c.cluster },
        { text: c.label, raw: c.label },
        { text: formatValue(c.size, 'count', L), raw: c.size },
        { text: formatValue(c.share, 'percent', L, 1), raw: c.share },
        ...model.features.map((f) => ({ text: this.fmt(c.centroid[f.id] ?? null), raw: c.centroid[f.id] ?? null })),
        ...model.features.map((f) => ({ text: this.fmt(c.median[f.id] ?? null), raw: c.median[f.id] ?? null })),
      ]),
    };
  }

  protected summary(r: MetricResult): string {
    const model = this.model(r);
    const top = model.clusters[0];
    if (!top) return '';
    const L = this.lang_;
    const kt = model.kTable;
    return this.m('summary', {
      title: this.heading || pick(r.basis.title, L),
      n: formatValue(model.entities, 'count', L),
      k: model.clusters.length,
      how:
        model.kSelection === 'given' || kt.length < 2
          ? this.m('kGiven', { k: model.k })
          : this.m('kBySilhouette', { k: model.k, min: Math.min(...kt.map((x) => x.k)), max: Math.max(...kt.map((x) => x.k)) }),
      top: top.label,
      topN: formatValue(top.size, 'count', L),
      topShare: formatValue(top.share, 'percent', L, 1),
    });
  }
}

function cellText(c: TableModel['rows'][number][number]): string {
  if (c === null || c === undefined) return '—';
  if (typeof c === 'object') return c.text;
  return String(c);
}
