/**
 * The composer's raw JSON tab, the escape hatch: the spec as text, and Apply, which parses,
 * migrates and validates the text and refuses it with the paths of its problems.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { migrateSpec } from '../../src/dashboard/migrate.js';
import { validateSpec } from '../../src/dashboard/spec.js';
import type { DashboardSpec } from '../../src/dashboard/spec.js';
import { fill } from './messages.js';
import type { EditorText } from './messages.js';

export interface JsonTabContext {
  t: EditorText;
  text: string;
  errors: string[];
  readonly: boolean;
  input(text: string): void;
  apply(): void;
}

export function renderJsonTab(c: JsonTabContext): TemplateResult {
  return html`<div class="json">
    <label for="json-text">${c.t.jsonHelp}</label>
    <textarea id="json-text" spellcheck="false" .value=${c.text} ?readonly=${c.readonly}
      @input=${(e: Event) => c.input((e.target as HTMLTextAreaElement).value)}></textarea>
    <div class="row"><button type="button" class="primary" ?disabled=${c.readonly} @click=${() => c.apply()}>${c.t.apply}</button></div>
    ${c.errors.length ? html`<ul class="issues" role="alert">${c.errors.map((m) => html`<li>${m}</li>`)}</ul>` : nothing}
  </div>`;
}

/** The spec in the JSON text (migrated), or the messages that refuse it (each with its path). */
export function parseSpecText(text: string, t: EditorText): { spec: DashboardSpec } | { errors: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { errors: [fill(t.jsonInvalid, { m: (err as Error).message })] };
  }
  const m = migrateSpec(parsed);
  if (!m.spec) return { errors: m.issues.map((i) => `${i.path}: ${i.message}`) };
  const issues = validateSpec(m.spec);
  if (issues.length) return { errors: issues.map((i) => `${i.path}: ${i.message}`) };
  return { spec: m.spec as unknown as DashboardSpec };
}
