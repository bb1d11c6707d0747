/**
 * The composer's validation: the document's structural issues (`validateSpec`) and, once the
 * engine said which datasets are loaded, its data issues (`fieldIssues`: datasets not loaded,
 * fields and filters that resolve nowhere), grouped by widget; and the panel that lists them all
 * with their JSON paths and a link to the widget at fault.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { fieldIssues } from '../../src/dashboard/field-check.js';
import type { FieldCheckContext } from '../../src/dashboard/field-check.js';
import type { DatasetColumns } from '../../src/dashboard/scope.js';
import type { DashboardSpec, SpecIssue } from '../../src/dashboard/spec.js';
import type { EditorText } from './messages.js';

/** The widget an issue's path points into (`$.widgets[i]…`), if any. */
export function issueWidget(doc: DashboardSpec, path: string): string | null {
  const m = /^\$\.widgets\[(\d+)\]/.exec(path);
  return (m && doc.widgets[Number(m[1])]?.id) || null;
}

export interface Problems {
  all: SpecIssue[];
  /** Widget id → its issues (paths below `$.widgets[i]`). */
  byWidget: Map<string, SpecIssue[]>;
}

/** The part a structural issue makes unsafe to read (`$.filters`, `$.widgets[i]`, all of `$.widgets`). */
function brokenPart(path: string): string | null {
  if (/^\$\.widgets\[\d+\]\.grid\b/.test(path)) return null;
  return /^\$\.(widgets\[\d+\]|widgets|filters)/.exec(path)?.[0] ?? null;
}

/** Every problem of `doc`: the structural ones, then (with columns) the data ones. */
export function problemsOf(
  doc: DashboardSpec,
  structural: SpecIssue[],
  columns: DatasetColumns | null,
  check: Omit<FieldCheckContext, 'columns'>,
): Problems {
  // Data checks read fields: not in the parts with structural issues (a misplaced widget is fine).
  const broken = new Set(structural.flatMap((i) => brokenPart(i.path) ?? []));
  const skip = (path: string): boolean => broken.has('$.widgets') || broken.has(path);
  const all = columns ? [...structural, ...fieldIssues(doc, { ...check, columns, skip })] : structural;
  const byWidget = new Map<string, SpecIssue[]>();
  for (const i of all) {
    const id = issueWidget(doc, i.path);
    if (id) byWidget.set(id, [...(byWidget.get(id) ?? []), i]);
  }
  return { all, byWidget };
}

/** The issues at `path` or below it. */
export function issuesAt(issues: readonly SpecIssue[], path: string): SpecIssue[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
}

/** The issues at a path, as error lines under its control (path and message). */
export function issueLines(issues: readonly SpecIssue[], path: string): TemplateResult | typeof nothing {
  const at = issuesAt(issues, path);
  return at.length ? html`${at.map((i) => html`<small class="error" data-issue=${i.path}><code>${i.path}</code> ${i.message}</small>`)}` : nothing;
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
