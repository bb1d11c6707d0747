/**
 * The composer's validation panel: every problem of the document with its JSON path, and a link to
 * the widget at fault.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { DashboardSpec, SpecIssue } from '../../src/dashboard/spec.js';
import type { EditorText } from './messages.js';

/** The widget an issue's path points into (`$.widgets[i]…`), if any. */
export function issueWidget(doc: DashboardSpec, path: string): string | null {
  const m = /^\$\.widgets\[(\d+)\]/.exec(path);
  return (m && doc.widgets[Number(m[1])]?.id) || null;
}

export interface IssuesContext {
  t: EditorText;
  doc: DashboardSpec;
  issues: SpecIssue[];
  nameOf(id: string): string;
  select(id: string): void;
}

export function renderIssues(c: IssuesContext): TemplateResult {
  return html`<details class="issues-panel" ?open=${c.issues.length > 0}>
    <summary>${c.t.issues} (${c.issues.length})</summary>
    ${c.issues.length
      ? html`<ul>${c.issues.map((i) => {
          const id = issueWidget(c.doc, i.path);
          return html`<li><code>${i.path}</code> ${i.message}
            ${id ? html`<button type="button" class="link" @click=${() => c.select(id)}>${c.nameOf(id)}</button>` : nothing}</li>`;
        })}</ul>`
      : html`<p>${c.t.noIssues}</p>`}
  </details>`;
}
