/**
 * The drawer when no widget is selected: the dashboard's title and its filter bar (date ranges and
 * multi-selects with their fields and value source), edited in forms rather than JSON. Sample values
 * of a multi-select come from the engine (`distinct`) and are shown as text.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { DashboardSpec, FilterSpec, SpecIssue } from '../../src/dashboard/spec.js';
import { issueLines, issuesAt } from './issues-panel.js';
import type { EditorText } from './messages.js';

export interface DashboardSettingsContext {
  t: EditorText;
  spec: DashboardSpec;
  datasets: string[];
  fields: string[];
  /** Filter id → a few distinct values of its field (loaded on demand). */
  values: Map<string, string[]>;
  /** Validation issues of the filter bar (paths below `$.filters`), shown in the filter at fault. */
  issues: SpecIssue[];
  readonly: boolean;
  setTitle(locale: 'zh-CN' | 'en-US', text: string): void;
  setFilters(filters: FilterSpec[] | undefined): void;
}

const val = (e: Event): string => (e.target as HTMLInputElement | HTMLSelectElement).value;

function freshFilterId(filters: FilterSpec[], base: string): string {
  const used = new Set(filters.map((f) => f.id));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function renderDashboardSettings(c: DashboardSettingsContext): TemplateResult {
  const filters = c.spec.filters ?? [];
  const title = (l: 'zh-CN' | 'en-US'): string => (typeof c.spec.title === 'string' ? (l === 'zh-CN' ? c.spec.title : '') : (c.spec.title?.[l] ?? ''));
  const replace = (i: number, f: FilterSpec | null): void => {
    const next = [...filters];
    if (f) next[i] = f;
    else next.splice(i, 1);
    c.setFilters(next.length ? next : undefined);
  };
  return html`<form class="settings" @submit=${(e: Event) => e.preventDefault()} aria-label=${c.t.settings}>
    <div class="field">
      <label for="dash-title-zh">${c.t.dashTitle} · ${c.t.titleZh}</label>
      <input id="dash-title-zh" type="text" .value=${title('zh-CN')} ?readonly=${c.readonly} @change=${(e: Event) => c.setTitle('zh-CN', val(e))} />
    </div>
    <div class="field">
      <label for="dash-title-en">${c.t.dashTitle} · ${c.t.titleEn}</label>
      <input id="dash-title-en" type="text" .value=${title('en-US')} ?readonly=${c.readonly} @change=${(e: Event) => c.setTitle('en-US', val(e))} />
    </div>
    <datalist id="editor-fields">${c.fields.map((f) => html`<option value=${f}></option>`)}</datalist>
    <fieldset class="filters"><legend>${c.t.filters}</legend>
      ${filters.map((f, i) => html`<div class="filter${issuesAt(c.issues, `$.filters[${i}]`).length ? ' has-issue' : ''}" data-filter=${f.id}>
        <div class="row"><strong>${f.type === 'date-range' ? c.t.filterDate : c.t.filterMulti}</strong>
          <button type="button" class="danger" ?disabled=${c.readonly} @click=${() => replace(i, null)} aria-label=${`${c.t.filterRemove} ${f.id}`}>×</button></div>
        <label class="inline">${c.t.filterId}
          <input type="text" .value=${f.id} ?readonly=${c.readonly} @change=${(e: Event) => val(e) && replace(i, { ...f, id: val(e) })} /></label>
        ${f.type === 'date-range'
          ? html`<label class="inline">${c.t.filterFields}
              <input type="text" list="editor-fields" .value=${f.fields.join(', ')} ?readonly=${c.readonly}
                @change=${(e: Event) => replace(i, { ...f, fields: val(e).split(',').map((s) => s.trim()).filter(Boolean) })} /></label>
              ${issueLines(c.issues, `$.filters[${i}].fields`)}`
          : html`<label class="inline">${c.t.filterField}
                <input type="text" list="editor-fields" .value=${f.field} ?readonly=${c.readonly} @change=${(e: Event) => replace(i, { ...f, field: val(e) })} /></label>
              ${issueLines(c.issues, `$.filters[${i}].field`)}
              <label class="inline">${c.t.filterSource}
                <select ?disabled=${c.readonly} @change=${(e: Event) => replace(i, { ...f, source: val(e) })}>
                  ${[...new Set([f.source, ...c.datasets])].map((d) => html`<option value=${d} ?selected=${d === f.source}>${d}</option>`)}
                </select></label>
              ${issueLines(c.issues, `$.filters[${i}].source`)}
              ${c.values.get(f.id)?.length
                ? html`<div class="values" aria-label=${c.t.filterValues}>${c.values.get(f.id)!.map((v) => html`<span class="chip">${v}</span>`)}</div>`
                : nothing}`}
      </div>`)}
      <div class="row">
        <button type="button" ?disabled=${c.readonly}
          @click=${() => c.setFilters([...filters, { type: 'date-range', id: freshFilterId(filters, 'date'), fields: ['snapshot_date'] }])}>
          + ${c.t.filterDate}</button>
        <button type="button" ?disabled=${c.readonly}
          @click=${() => c.setFilters([...filters, { type: 'multi', id: freshFilterId(filters, 'region'), field: 'region', source: c.datasets.includes('loans') ? 'loans' : (c.datasets[0] ?? 'loans') }])}>
          + ${c.t.filterMulti}</button>
      </div>
    </fieldset>
  </form>`;
}
