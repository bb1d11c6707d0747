/**
 * The settings drawer of one widget: title, metric and dataset, metric params (a form generated from
 * the metric's params JSON Schema), display props, place and size as numbers (the one-click
 * alternative to dragging), cross-filter and drill path. Every control commits on `change` (one
 * undo step each); text inputs keep their own native undo while focused, and `input` only refreshes
 * the live preview.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ParamField } from '../../src/dashboard/param-form.js';
import type { SpecIssue, WidgetSpec } from '../../src/dashboard/spec.js';
import type { GridRect } from '../../src/dashboard/grid.js';
import { issueLines, issuesAt } from './issues-panel.js';
import { fill } from './messages.js';
import type { EditorText } from './messages.js';

export interface WidgetSettingsContext {
  t: EditorText;
  widget: WidgetSpec;
  columns: number;
  /** Metric ids offered for this widget (the element's metrics first). */
  metrics: string[];
  /** Loaded dataset names. */
  datasets: string[];
  /** Column names offered for field params (datalist). */
  fields: string[];
  paramFields: ParamField[];
  /** Param key → message of the last rejected input. */
  paramErrors: Record<string, string>;
  /** JSON path of the widget (`$.widgets[i]`). */
  base: string;
  /** Validation issues of this widget (paths below `base`); each also shows under its control. */
  issues: SpecIssue[];
  readonly: boolean;
  /** Set (undefined deletes) a value at a path inside the widget; one undo step. */
  set(path: string[], value: unknown, field: string): void;
  /** Apply typed text to a param (parsed and checked against the schema). */
  setParam(key: string, text: string, commit: boolean): void;
  place(rect: Partial<GridRect>): void;
  remove(): void;
  duplicate(): void;
  /** Set the drill path's fields (levels of fields kept keep their params, props and labels). */
  setDrill(fields: string[]): void;
  /** Apply the props JSON text. */
  setProps(text: string): void;
  propsError: string | null;
}

const val = (e: Event): string => (e.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;

function titleOf(w: WidgetSpec, locale: 'zh-CN' | 'en-US'): string {
  if (typeof w.title === 'string') return locale === 'zh-CN' ? w.title : '';
  return w.title?.[locale] ?? '';
}

function paramControl(c: WidgetSettingsContext, f: ParamField): TemplateResult {
  const id = `param-${f.key}`;
  const at = `${c.base}.params.${f.key}`;
  const err = c.paramErrors[f.key] ?? (issuesAt(c.issues, at).length ? 'issue' : undefined);
  const hint = f.placeholder !== undefined ? fill(c.t.defaultIs, { v: f.placeholder }) : c.t.notSet;
  const common = { id, describedby: `${id}-d` };
  let control: TemplateResult;
  switch (f.kind) {
    case 'enum':
    case 'boolean': {
      const options = f.kind === 'boolean' ? ['true', 'false'] : (f.options ?? []).map(String);
      control = html`<select id=${common.id} aria-describedby=${common.describedby} ?disabled=${c.readonly}
        @change=${(e: Event) => c.setParam(f.key, val(e), true)}>
        <option value="" ?selected=${!f.set}>— ${hint}</option>
        ${options.map((o) => html`<option value=${o} ?selected=${f.set && f.text === o}>${o}</option>`)}
      </select>`;
      break;
    }
    case 'integer':
    case 'number':
      control = html`<input id=${common.id} aria-describedby=${common.describedby} type="number" inputmode="decimal"
        step=${f.kind === 'integer' ? '1' : 'any'} min=${f.minimum ?? nothing} max=${f.maximum ?? nothing}
        .value=${f.text} placeholder=${f.placeholder ?? ''} ?readonly=${c.readonly} aria-invalid=${err ? 'true' : 'false'}
        @input=${(e: Event) => c.setParam(f.key, val(e), false)} @change=${(e: Event) => c.setParam(f.key, val(e), true)} />`;
      break;
    case 'json':
      control = html`<textarea id=${common.id} aria-describedby=${common.describedby} rows="2" spellcheck="false"
        .value=${f.text} placeholder=${f.placeholder ?? ''} ?readonly=${c.readonly} aria-invalid=${err ? 'true' : 'false'}
        @change=${(e: Event) => c.setParam(f.key, val(e), true)}></textarea>`;
      break;
    default:
      control = html`<input id=${common.id} aria-describedby=${common.describedby} type="text"
        list=${f.kind === 'field' ? 'editor-fields' : nothing} .value=${f.text} placeholder=${f.placeholder ?? ''}
        ?readonly=${c.readonly} aria-invalid=${err ? 'true' : 'false'}
        @input=${(e: Event) => c.setParam(f.key, val(e), false)} @change=${(e: Event) => c.setParam(f.key, val(e), true)} />`;
  }
  return html`<div class="field" data-param=${f.key}>
    <label for=${id}>${f.key}${f.required ? ' *' : ''}</label>
    ${control}
    <small id=${`${id}-d`} class="hint">${f.description}</small>
    ${c.paramErrors[f.key] ? html`<small class="error" role="alert">${f.pointer}: ${c.paramErrors[f.key]}</small>` : nothing}
    ${issueLines(c.issues, at)}
  </div>`;
}

function placeControls(c: WidgetSettingsContext): TemplateResult {
  const g = c.widget.grid ?? { x: 0, y: 0, w: 4, h: 3 };
  const num = (k: keyof GridRect, min: number, max: number): TemplateResult =>
    html`<label class="num">${c.t[k]}
      <input type="number" step="1" min=${min} max=${max} .value=${String(g[k])} ?readonly=${c.readonly} data-place=${k}
        @change=${(e: Event) => {
          const n = Number(val(e));
          if (Number.isFinite(n)) c.place({ [k]: n });
        }} />
    </label>`;
  return html`<fieldset class="place"><legend>${c.t.place}</legend>
    ${num('x', 0, c.columns - 1)} ${num('y', 0, 10_000)} ${num('w', 1, c.columns)} ${num('h', 1, 12)}
  </fieldset>`;
}

/** The drawer for one widget. */
export function renderWidgetSettings(c: WidgetSettingsContext): TemplateResult {
  const w = c.widget;
  const drill = w.drill?.levels.map((l) => l.field).join(', ') ?? '';
  return html`<form class="settings" @submit=${(e: Event) => e.preventDefault()} aria-label=${c.t.settings}>
    ${c.issues.length
      ? html`<ul class="issues">${c.issues.map((i) => html`<li><code>${i.path}</code> ${i.message}</li>`)}</ul>`
      : nothing}
    <div class="field"><span class="label">${c.t.type}</span><span class="type">${w.type}</span> <code class="wid">${w.id}</code></div>
    <div class="field">
      <label for="title-zh">${c.t.titleZh}</label>
      <input id="title-zh" type="text" .value=${titleOf(w, 'zh-CN')} ?readonly=${c.readonly}
        @change=${(e: Event) => c.set(['title', 'zh-CN'], val(e) || undefined, c.t.title)} />
    </div>
    <div class="field">
      <label for="title-en">${c.t.titleEn}</label>
      <input id="title-en" type="text" .value=${titleOf(w, 'en-US')} ?readonly=${c.readonly}
        @change=${(e: Event) => c.set(['title', 'en-US'], val(e) || undefined, c.t.title)} />
    </div>
    <div class="field">
      <label for="metric">${c.t.metric}</label>
      <select id="metric" ?disabled=${c.readonly} @change=${(e: Event) => c.set(['metric'], val(e) || undefined, c.t.metric)}>
        <option value="" ?selected=${!w.metric}>${c.t.metricDefault}</option>
        ${c.metrics.map((m) => html`<option value=${m} ?selected=${w.metric === m}>${m}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for="source">${c.t.source}</label>
      <select id="source" ?disabled=${c.readonly} @change=${(e: Event) => c.set(['source'], val(e) || undefined, c.t.source)}>
        <option value="" ?selected=${!w.source}>${c.t.sourceDefault}</option>
        ${[...new Set([...(w.source ? [w.source] : []), ...c.datasets])].map((d) => html`<option value=${d} ?selected=${w.source === d}>${d}</option>`)}
      </select>
      ${issueLines(c.issues, `${c.base}.source`)}
    </div>
    <datalist id="editor-fields">${c.fields.map((f) => html`<option value=${f}></option>`)}</datalist>
    <fieldset class="params"><legend>${c.t.params}</legend>${c.paramFields.map((f) => paramControl(c, f))}</fieldset>
    <div class="field">
      <label for="props">${c.t.props}</label>
      <textarea id="props" rows="2" spellcheck="false" ?readonly=${c.readonly} .value=${w.props ? JSON.stringify(w.props) : ''}
        aria-invalid=${c.propsError ? 'true' : 'false'} @change=${(e: Event) => c.setProps(val(e))}></textarea>
      ${c.propsError ? html`<small class="error" role="alert">/props: ${c.propsError}</small>` : nothing}
      ${issueLines(c.issues, `${c.base}.props`)}
    </div>
    ${placeControls(c)}
    <label class="check"><input type="checkbox" .checked=${w.crossfilter !== false} ?disabled=${c.readonly}
      @change=${(e: Event) => c.set(['crossfilter'], (e.target as HTMLInputElement).checked ? undefined : false, c.t.crossfilter)} />
      ${c.t.crossfilter}</label>
    <div class="field">
      <label for="drill">${c.t.drill}</label>
      <input id="drill" type="text" list="editor-fields" .value=${drill} ?readonly=${c.readonly}
        @change=${(e: Event) => {
          const fields = val(e).split(',').map((s) => s.trim()).filter(Boolean);
          c.setDrill(fields);
        }} />
      ${issueLines(c.issues, `${c.base}.drill`)}
    </div>
    <div class="row">
      <button type="button" ?disabled=${c.readonly} @click=${c.duplicate}>${c.t.duplicate}</button>
      <button type="button" class="danger" ?disabled=${c.readonly} @click=${c.remove}>${c.t.remove}</button>
    </div>
    <section class="live" aria-label=${c.t.livePreview}><h4>${c.t.livePreview}</h4><div class="live-host" data-preview></div></section>
  </form>`;
}
