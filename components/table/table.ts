import { css, html } from 'lit';
import type { TemplateResult } from 'lit';
import { safeStyle } from '../base/safe-style.js';
import { property, state } from 'lit/decorators.js';
import type { MetricResult } from '../../src/engine/types.js';
import { formatPeriod, formatValue } from '../../src/format/number.js';
import type { ValueFormat } from '../../src/format/number.js';
import { pick } from '../../src/format/messages.js';
import { FinElement } from '../base/fin-element.js';
import type { TableModel } from '../base/export.js';
import type { TableElementParams } from '../base/params.js';

/** One column of `<fin-table>`. */
export interface TableColumn {
  key: string;
  label: string | { 'zh-CN': string; 'en-US': string };
  format?: ValueFormat | 'text' | 'period';
  /** Draw an inline bar proportional to the column maximum. */
  bar?: boolean;
}

/** Width of the longest in-cell bar. */
const BAR_PX = 48;

/**
 * A sortable metric table with optional in-cell bars: collector leaderboards, channel
 * effectiveness, any metric whose rows read best as a table. Rows are selectable by keyboard.
 *
 * @summary Sortable metric table (leaderboards).
 * @tag fin-table
 * @csspart table - The table.
 * @fires fin-select - A row was selected: `{ field: select-field, op: 'eq', value }`.
 */
export class FinTable extends FinElement<TableElementParams> {
  static override styles = [
    ...FinElement.styles,
    css`
      /* Scroll shadows: an edge shows a soft shade while there is more table beyond it (the covers
         scroll with the content, the shades stay with the box). */
      .wrap {
        overflow: auto;
        max-height: var(--fin-table-max-height, 420px);
        background:
          linear-gradient(to right, var(--_color-surface) 30%, transparent) left / 24px 100% no-repeat local,
          linear-gradient(to left, var(--_color-surface) 30%, transparent) right / 24px 100% no-repeat local,
          radial-gradient(farthest-side at 0 50%, color-mix(in srgb, var(--_color-fg) 18%, transparent), transparent) left / 10px 100% no-repeat scroll,
          radial-gradient(farthest-side at 100% 50%, color-mix(in srgb, var(--_color-fg) 18%, transparent), transparent) right / 10px 100% no-repeat scroll;
      }
      th,
      td {
        padding-inline: 6px;
      }
      /* Headers wrap between words ("Connect / rate") so a narrow card fits more columns; values never wrap. */
      thead th {
        white-space: normal;
        vertical-align: bottom;
        word-break: keep-all;
        min-width: 3em;
      }
      th button {
        font-weight: 600;
        color: inherit;
        padding: 0;
        min-height: 0;
        white-space: normal;
        text-align: inherit;
      }
      tr.sel td {
        background: color-mix(in srgb, var(--_color-accent) 12%, transparent);
      }
      tbody tr {
        cursor: pointer;
      }
      tbody tr:focus-visible {
        outline: 2px solid var(--_color-focus);
        outline-offset: -2px;
      }
      .bar {
        display: inline-block;
        height: 8px;
        margin-inline-start: 6px;
        vertical-align: middle;
        background: var(--_color-accent);
        opacity: 0.55;
        border-radius: 2px;
      }
    `,
  ];

  /** Columns to show (default: every key of the first row). */
  @property({ attribute: false }) columns: TableColumn[] | null = null;
  /** Field emitted on row selection (e.g. `collector_id`); default the first column's key. */
  @property({ attribute: 'select-field' }) selectField = '';
  /** Dataset field the emitted clause filters on (default `select-field`), e.g. row key `collector` → field `collector_id`. */
  @property({ attribute: 'filter-field' }) filterField = '';
  /** Maximum rows shown (the CSV export has all). */
  @property({ type: Number }) limit = 50;
  @state() private sortKey = '';
  @state() private sortDesc = true;
  @state() private selectedKey: unknown = undefined;

  protected defaultMetric(): string {
    return 'collector_performance';
  }
  protected override defaultSource(): string {
    return 'collection_actions';
  }

  private cols(r: MetricResult): TableColumn[] {
    if (this.columns?.length) return this.columns;
    const first = r.data[0] ?? {};
    return Object.keys(first)
      .filter((k) => typeof (first as Record<string, unknown>)[k] !== 'object')
      .map((k) => ({ key: k, label: k, format: typeof (first as Record<string, unknown>)[k] === 'number' ? 'number' : 'text' }));
  }

  private sorted(r: MetricResult): Array<Record<string, unknown>> {
    const rows = [...(r.data as Array<Record<string, unknown>>)];
    if (!this.sortKey) return rows;
    const k = this.sortKey;
    const dir = this.sortDesc ? -1 : 1;
    return rows.sort((a, b) => {
      const x = a[k];
      const y = b[k];
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  }

  private cell(c: TableColumn, v: unknown): string {
    if (c.format === 'period') return v === null || v === undefined ? '—' : formatPeriod(String(v), this.lang_);
    if (!c.format || c.format === 'text') return v === null || v === undefined ? '—' : String(v);
    return formatValue(typeof v === 'number' ? v : null, c.format, this.lang_);
  }

  protected renderChart(r: MetricResult): TemplateResult {
    const cols = this.cols(r);
    const rows = this.sorted(r).slice(0, this.limit);
    const maxes = new Map(cols.filter((c) => c.bar).map((c) => [c.key, Math.max(0, ...rows.map((row) => Number(row[c.key]) || 0))]));
    const selField = this.selectField || cols[0]?.key || '';
    return html`<div class="wrap" part="table">
      <table>
        <caption class="sr-only">${this.heading || pick(r.basis.title, this.lang_)}</caption>
        <thead>
          <tr>
            ${cols.map((c) => {
              const numeric = c.format && c.format !== 'text' && c.format !== 'period';
              const sort = this.sortKey === c.key ? (this.sortDesc ? 'descending' : 'ascending') : 'none';
              return html`<th scope="col" class=${numeric ? 'num' : ''} aria-sort=${sort}>
                <button @click=${() => this.sortBy(c.key)}>${pick(c.label, this.lang_)}${this.sortKey === c.key ? (this.sortDesc ? ' ▼' : ' ▲') : ''}</button>
              </th>`;
            })}
          </tr>
        </thead>
        <tbody>
          ${rows.map((row) => {
            const key = row[selField];
            const sel = key === this.selectedKey;
            return html`<tr
              tabindex="0"
              class=${sel ? 'sel' : ''}
              aria-selected=${sel ? 'true' : 'false'}
              @click=${() => this.pickRow(selField, key)}
              @keydown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), this.pickRow(selField, key))}
            >
              ${cols.map((c) => {
                const v = row[c.key];
                const numeric = c.format && c.format !== 'text' && c.format !== 'period';
                const max = maxes.get(c.key) ?? 0;
                const w = c.bar && max > 0 && typeof v === 'number' ? Math.max(0, (v / max) * BAR_PX) : 0;
                return html`<td class=${numeric ? 'num' : ''}>${this.cell(c, v)}${c.bar ? html`<span class="bar" style=${safeStyle({ width: `${w.toFixed(1)}px` })}></span>` : ''}</td>`;
              })}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  private sortBy(k: string): void {
    if (this.sortKey === k) this.sortDesc = !this.sortDesc;
    else {
      this.sortKey = k;
      this.sortDesc = true;
    }
  }

  private pickRow(field: string, value: unknown): void {
    if (value === this.selectedKey) {
      this.selectedKey = undefined;
      this.select(null);
      return;
    }
    this.selectedKey = value;
    const v = typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : null;
    this.select({ field: this.filterField || field, op: 'eq', value: v }, String(value));
  }

  protected override renderTable(r: MetricResult): TemplateResult {
    return this.renderChart(r);
  }

  protected tableModel(r: MetricResult): TableModel {
    const cols = this.cols(r);
    return {
      columns: cols.map((c) => ({ key: c.key, label: pick(c.label, this.lang_), numeric: !!c.format && c.format !== 'text' && c.format !== 'period' })),
      rows: this.sorted(r).map((row) => cols.map((c) => ({ text: this.cell(c, row[c.key]), raw: (row[c.key] ?? null) as string | number | null }))),
    };
  }

  protected summary(r: MetricResult): string {
    const cols = this.cols(r);
    const first = this.sorted(r)[0];
    const title = this.heading || pick(r.basis.title, this.lang_);
    if (!first) return title;
    return `${title}: ${r.data.length} ${this.lang_ === 'zh-CN' ? '行' : 'rows'}; ${cols
      .slice(0, 3)
      .map((c) => `${pick(c.label, this.lang_)} ${this.cell(c, first[c.key])}`)
      .join(', ')}`;
  }
}
