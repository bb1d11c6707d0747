import { FinFiltersEvent } from '../base/events.js';
import { css, html, LitElement, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { presetRange } from '../../src/dashboard/spec.js';
import type { DatePreset, FilterSpec } from '../../src/dashboard/spec.js';
import type { Engine } from '../../src/engine/engine-types.js';
import type { FilterClause } from '../../src/engine/types.js';
import { pick } from '../../src/format/messages.js';
import { toLocale } from '../../src/format/number.js';
import { baseStyles } from '../base/styles.js';

const PRESETS: DatePreset[] = ['all', 'this-month', 'last-3-months', 'last-6-months', 'last-12-months', 'ytd'];
const T = {
  'zh-CN': {
    all: '全部时间', 'this-month': '本月', 'last-3-months': '近3个月', 'last-6-months': '近6个月', 'last-12-months': '近12个月', ytd: '今年以来',
    custom: '自定义', from: '起', to: '止', reset: '重置', any: '全部', selected: '已选 {n} 项', date: '日期',
  },
  'en-US': {
    all: 'All time', 'this-month': 'This month', 'last-3-months': 'Last 3 months', 'last-6-months': 'Last 6 months', 'last-12-months': 'Last 12 months', ytd: 'Year to date',
    custom: 'Custom', from: 'From', to: 'To', reset: 'Reset', any: 'All', selected: '{n} selected', date: 'Date',
  },
};

/**
 * Filter bar: a date range with presets (this month, last 3/6/12 months, YTD, custom) and
 * multi-select dimensions whose options come from the engine (`distinct`). Emits `fin-filters`
 * with the clauses of one filter whenever it changes.
 *
 * @summary Global filters of a dashboard.
 * @tag fin-filter-bar
 * @fires fin-filters - `{ id, clauses }` for the filter that changed.
 * @csspart base - The bar.
 */
export class FinFilterBar extends LitElement {
  static override styles = [
    baseStyles,
    css`
      [part='base'] {
        flex-direction: row;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 14px;
        padding: 8px 12px;
      }
      label {
        display: inline-flex;
        gap: 6px;
        align-items: center;
        font-size: 13px;
        color: var(--_color-muted);
      }
      select,
      input {
        font: inherit;
        font-size: 13px;
        color: var(--_color-fg);
        background: var(--_color-bg);
        border: 1px solid var(--_color-border);
        border-radius: 4px;
        padding: 2px 6px;
        min-height: 28px;
      }
      details {
        position: relative;
        font-size: 13px;
      }
      summary {
        cursor: pointer;
        border: 1px solid var(--_color-border);
        border-radius: 4px;
        padding: 3px 8px;
        list-style: none;
        color: var(--_color-fg);
      }
      .menu {
        position: absolute;
        z-index: 20;
        margin-top: 4px;
        max-height: 260px;
        overflow: auto;
        min-width: 180px;
        padding: 6px;
        background: var(--_color-bg);
        border: 1px solid var(--_color-border);
        border-radius: 6px;
        box-shadow: var(--_shadow);
      }
      .menu label {
        display: flex;
        color: var(--_color-fg);
        padding: 2px 0;
      }
    `,
  ];

  @property({ attribute: false }) filters: FilterSpec[] = [];
  @property({ attribute: false }) engine: Engine | null = null;
  @property({ type: Boolean }) ready = false;
  /** Latest date in the data, `YYYY-MM-DD`: presets end here. */
  @property() lastDate = '';
  @property() locale = '';
  @property({ reflect: true }) theme = 'light';

  @state() private presets = new Map<string, DatePreset | 'custom'>();
  @state() private custom = new Map<string, [string, string]>();
  @state() private chosen = new Map<string, Set<string>>();
  @state() private options = new Map<string, string[]>();

  private get L() {
    return T[toLocale(this.locale || document.documentElement.lang)];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('ready') || changed.has('engine') || changed.has('filters')) && this.ready && this.engine) void this.loadOptions();
  }

  private async loadOptions(): Promise<void> {
    // Asked together (a remote engine sends them as one batch), kept in the filters' order.
    const engine = this.engine;
    const lists = await Promise.all(
      this.filters.map(async (f): Promise<[string, string[]] | null> => {
        if (f.type !== 'multi' || !engine) return null;
        try {
          const r = await engine.query({ metric: 'distinct', source: f.source, params: { field: f.field, order: 'value' } });
          return [f.id, r.data.map((d) => String((d as { value: unknown }).value))];
        } catch {
          return [f.id, []];
        }
      }),
    );
    this.options = new Map(lists.filter((x): x is [string, string[]] => x !== null));
  }

  private emit(id: string, clauses: FilterClause[]): void {
    this.dispatchEvent(new FinFiltersEvent({ id, clauses }));
  }

  private setPreset(f: Extract<FilterSpec, { type: 'date-range' }>, p: DatePreset | 'custom'): void {
    this.presets = new Map(this.presets).set(f.id, p);
    if (p === 'custom') return this.emitCustom(f);
    const range = presetRange(p, this.lastDate || new Date().toISOString().slice(0, 10));
    this.emit(f.id, range[0] === null && range[1] === null ? [] : f.fields.map((field) => ({ field, op: 'range', value: range })));
  }

  private emitCustom(f: Extract<FilterSpec, { type: 'date-range' }>): void {
    const [a, b] = this.custom.get(f.id) ?? ['', ''];
    const range: [string | null, string | null] = [a || null, b || null];
    this.emit(f.id, range[0] === null && range[1] === null ? [] : f.fields.map((field) => ({ field, op: 'range', value: range })));
  }

  private toggle(f: Extract<FilterSpec, { type: 'multi' }>, v: string, on: boolean): void {
    const set = new Set(this.chosen.get(f.id) ?? []);
    if (on) set.add(v);
    else set.delete(v);
    this.chosen = new Map(this.chosen).set(f.id, set);
    this.emit(f.id, set.size ? [{ field: f.field, op: 'in', value: [...set] }] : []);
  }

  /** Reset every filter to its default. */
  reset(): void {
    this.chosen = new Map();
    this.custom = new Map();
    const p = new Map<string, DatePreset | 'custom'>();
    for (const f of this.filters) {
      if (f.type === 'date-range') {
        p.set(f.id, f.default ?? 'all');
        this.presets = p;
        this.setPreset(f, f.default ?? 'all');
      } else this.emit(f.id, []);
    }
  }

  protected override render(): TemplateResult {
    const L = this.L;
    const loc = toLocale(this.locale || document.documentElement.lang);
    return html`<div part="base" role="search">
      ${this.filters.map((f) => {
        const label = f.label ? pick(f.label, loc) : f.type === 'date-range' ? L.date : f.field;
        if (f.type === 'date-range') {
          const p = this.presets.get(f.id) ?? f.default ?? 'all';
          const [a, b] = this.custom.get(f.id) ?? ['', ''];
          return html`<label>${label}
              <select @change=${(e: Event) => this.setPreset(f, (e.target as HTMLSelectElement).value as DatePreset)}>
                ${[...PRESETS, 'custom' as const].map((x) => html`<option value=${x} ?selected=${x === p}>${L[x]}</option>`)}
              </select>
            </label>
            ${p === 'custom'
              ? html`<label>${L.from}<input type="month" .value=${a} @change=${(e: Event) => {
                    this.custom = new Map(this.custom).set(f.id, [(e.target as HTMLInputElement).value, b]);
                    this.emitCustom(f);
                  }} /></label>
                  <label>${L.to}<input type="month" .value=${b} @change=${(e: Event) => {
                    this.custom = new Map(this.custom).set(f.id, [a, (e.target as HTMLInputElement).value]);
                    this.emitCustom(f);
                  }} /></label>`
              : nothing}`;
        }
        const chosen = this.chosen.get(f.id) ?? new Set<string>();
        const opts = this.options.get(f.id) ?? [];
        return html`<details>
          <summary>${label}: ${chosen.size ? L.selected.replace('{n}', String(chosen.size)) : L.any}</summary>
          <div class="menu" role="group" aria-label=${label}>
            ${opts.map((v) => html`<label><input type="checkbox" .checked=${chosen.has(v)} @change=${(e: Event) => this.toggle(f, v, (e.target as HTMLInputElement).checked)} />${v}</label>`)}
          </div>
        </details>`;
      })}
      <button @click=${() => this.reset()}>${L.reset}</button>
    </div>`;
  }
}
