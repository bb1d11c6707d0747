import { html, LitElement, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { addWidget, columnsOf, duplicateWidget, layoutOf, removeWidget, setSpecValue, setWidgetValue, withLayout } from '../../src/dashboard/edit.js';
import { placeItem } from '../../src/dashboard/grid.js';
import type { GridItem, GridRect } from '../../src/dashboard/grid.js';
import { History } from '../../src/dashboard/history.js';
import { migrateSpec } from '../../src/dashboard/migrate.js';
import { paramFields, parseParam, parsePropsText } from '../../src/dashboard/param-form.js';
import { validateSpec } from '../../src/dashboard/spec.js';
import type { AnyDashboardSpec, DashboardSpec, SpecIssue, WidgetSpec } from '../../src/dashboard/spec.js';
import type { Engine } from '../../src/engine/engine-types.js';
import { PARAM_SCHEMAS } from '../../src/engine/metrics/params-schemas.js';
import type { JsonSchema } from '../../src/engine/schema.js';
import { pick } from '../../src/format/messages.js';
import { toLocale } from '../../src/format/number.js';
import type { Locale } from '../../src/format/number.js';
import { FinErrorEvent } from '../base/events.js';
import { configureWidget } from '../dashboard/widget-cells.js';
import { ALLOWED_PROPS } from '../dashboard/widgets.js';
import { renderCanvas } from './canvas-view.js';
import { renderDashboardSettings } from './dashboard-settings.js';
import { EngineData } from './engine-data.js';
import { FinSaveEvent, FinSpecChangeEvent } from './events.js';
import { issuesAt, problemsOf, renderIssues } from './issues-panel.js';
import type { Problems } from './issues-panel.js';
import { parseSpecText, renderJsonTab } from './json-tab.js';
import { GAP_PX, LayoutController, ROW_PX } from './layout-controller.js';
import type { LayoutHost } from './layout-controller.js';
import { EDITOR_TEXT, fill } from './messages.js';
import type { EditorText } from './messages.js';
import { paletteItems, renderPalette } from './palette.js';
import type { PaletteItem } from './palette.js';
import { editorStyles } from './styles.js';
import { renderWidgetSettings } from './widget-settings.js';
import { metricsFor } from './widget-metrics.js';

export { FinSaveEvent, FinSpecChangeEvent };
export type { FinSpecChangeDetail } from './events.js';

type Mode = 'design' | 'preview' | 'json';

const PALETTE = paletteItems();

/** Whether a key event comes from a text control (which keeps its own native undo). */
function fromTextControl(e: Event): boolean {
  const t = e.composedPath()[0] as HTMLElement | undefined;
  if (!t || !('tagName' in t)) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Visual dashboard composer: a palette of elements and ready-made widgets, a 12-column canvas to
 * drop, move and resize them on (pointer or keyboard), a settings drawer with forms generated from
 * each metric's params JSON Schema and a live preview on the real engine, the filter bar, undo/redo,
 * validation with JSON-pointer paths, a raw JSON tab and a full preview in `<fin-dashboard>`.
 *
 * The spec it exports is exactly what the preview shows. Opening and exporting without edits returns
 * the input unchanged (after migration to the current version); keys it does not know are kept; no
 * defaults are written that the user did not choose. It never touches the network: saving is the
 * host's (`fin-save`).
 *
 * @summary Dashboard composer.
 * @tag fin-dashboard-editor
 * @fires fin-spec-change - `{ spec, label }` after every committed edit.
 * @fires fin-save - `{ spec }` when the user presses Save (or Ctrl+S).
 * @fires fin-error - When the spec cannot be opened (newer than the library, not an object).
 * @csspart base - The editor.
 * @csspart toolbar - Title, tabs, undo/redo and save.
 * @csspart palette - The palette.
 * @csspart canvas - The grid.
 * @csspart drawer - The settings drawer.
 */
export class FinDashboardEditor extends LitElement implements LayoutHost {
  static override styles = editorStyles;

  /** The spec to edit (any supported version; migrated on open). Setting it opens a new document. */
  @property({ attribute: false }) spec: AnyDashboardSpec | null = null;
  /** Engine with the data loaded: feeds field pickers, sample values and the previews. */
  @property({ attribute: false }) engine: Engine | null = null;
  /** View only: no edits. */
  @property({ type: Boolean, reflect: true }) readonly = false;
  @property({ reflect: true }) locale = '';
  @property({ reflect: true }) theme: 'light' | 'dark' = 'light';

  @state() private doc: DashboardSpec | null = null;
  @state() private refused: SpecIssue[] = [];
  @state() private issues: SpecIssue[] = [];
  @state() private mode: Mode = 'design';
  @state() private selected: string | null = null;
  @state() private live = '';
  @state() private paramErrors: Record<string, string> = {};
  @state() private propsError: string | null = null;
  @state() private jsonText = '';
  @state() private jsonErrors: string[] = [];

  private history = new History<DashboardSpec | null>(null, 100, sameJson);
  private readonly layout = new LayoutController(this);
  private readonly data = new EngineData(this);
  /** The spec object last emitted, so a host echoing it back into `.spec` does not reopen. */
  private emitted: unknown = null;
  /** Params typed but not committed yet, shown in the live preview (latest wins). */
  private draftParams: Record<string, unknown> | null = null;
  private focusAfter: string | null = null;
  /** The problems shown, recomputed when the document, its issues, the columns or the locale change. */
  private checked: { key: unknown[]; problems: Problems } | null = null;

  get lang_(): Locale {
    return toLocale(this.locale || document.documentElement.lang || 'zh-CN');
  }
  private get t(): EditorText {
    return EDITOR_TEXT[this.lang_];
  }

  /** The current spec (what "export" writes). */
  get value(): DashboardSpec | null {
    return this.doc;
  }
  /** The current spec as JSON text (2-space indent). */
  exportJson(): string {
    return this.doc ? JSON.stringify(this.doc, null, 2) : '';
  }
  get canUndo(): boolean {
    return this.history.canUndo;
  }
  get canRedo(): boolean {
    return this.history.canRedo;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKey);
  }
  override disconnectedCallback(): void {
    this.removeEventListener('keydown', this.onKey);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('spec') && this.spec !== this.emitted) this.open(this.spec);
    if (changed.has('engine')) void this.data.loadDatasets(this.engine);
  }

  private open(input: unknown): void {
    this.layout.cancel();
    this.selected = null;
    this.paramErrors = {};
    this.propsError = null;
    if (input === null || input === undefined) {
      this.doc = null;
      this.refused = [];
      this.issues = [];
      this.history.reset(null);
      return;
    }
    const m = migrateSpec(input);
    if (!m.spec) {
      this.doc = null;
      this.refused = m.issues;
      this.issues = [];
      this.history.reset(null);
      this.dispatchEvent(new FinErrorEvent({ code: 'bad_spec', message: m.issues.map((i) => `${i.path}: ${i.message}`).join('; '), details: { issues: m.issues } }));
      return;
    }
    this.refused = [];
    this.doc = m.spec as unknown as DashboardSpec;
    this.issues = validateSpec(this.doc);
    this.history.reset(this.doc);
    this.jsonText = this.exportJson();
    this.jsonErrors = [];
  }

  /** Reload the dataset list (after the host loads more data into the engine). */
  refreshDatasets(): Promise<void> {
    return this.data.loadDatasets(this.engine);
  }

  // ---------------------------------------------------------------------------------------------
  // Committing edits

  private commit(next: DashboardSpec, label: string): void {
    if (this.readonly || !this.doc) return;
    if (!this.history.commit(next, label)) return;
    this.apply(next, label);
  }

  private apply(next: DashboardSpec, label: string): void {
    this.doc = next;
    this.issues = validateSpec(next);
    this.jsonText = this.exportJson();
    this.jsonErrors = [];
    this.draftParams = null;
    this.emitted = next;
    this.dispatchEvent(new FinSpecChangeEvent({ spec: next, label }));
  }

  undo(): void {
    const undone = this.history.undo();
    if (!undone) return this.announce(this.t.nothingToUndo);
    this.layout.cancel();
    this.apply(this.history.state!, `undo: ${undone.label}`);
    if (this.selected && !this.doc!.widgets.some((w) => w.id === this.selected)) this.selected = null;
    this.announce(fill(this.t.undone, { what: undone.label }));
  }

  redo(): void {
    const redone = this.history.redo();
    if (!redone) return this.announce(this.t.nothingToRedo);
    this.layout.cancel();
    this.apply(this.history.state!, `redo: ${redone.label}`);
    this.announce(fill(this.t.redone, { what: redone.label }));
  }

  save(): void {
    if (this.doc) this.dispatchEvent(new FinSaveEvent({ spec: this.doc }));
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const mod = e.ctrlKey || e.metaKey;
    if (!mod) return;
    const k = e.key.toLowerCase();
    if (k === 's') {
      e.preventDefault();
      this.save();
      return;
    }
    // Text controls keep their own undo while focused (Superset's Ctrl+Z-in-a-title bug).
    if (fromTextControl(e) || this.readonly) return;
    if (k === 'z' && !e.shiftKey) {
      e.preventDefault();
      this.undo();
    } else if ((k === 'z' && e.shiftKey) || k === 'y') {
      e.preventDefault();
      this.redo();
    }
  };

  // ---------------------------------------------------------------------------------------------
  // LayoutHost

  layoutItems(): GridItem[] {
    return this.doc ? layoutOf(this.doc) : [];
  }
  columns(): number {
    return this.doc ? columnsOf(this.doc) : 12;
  }
  canvas(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('[part="canvas"]');
  }
  rowPitch(): number {
    return ROW_PX + GAP_PX;
  }
  private nameOf(id: string): string {
    const w = this.doc?.widgets.find((x) => x.id === id);
    const title = w?.title ? pick(w.title, this.lang_) : '';
    return title || id;
  }
  describe(id: string, r: GridRect, what: 'picked' | 'moved' | 'dropped' | 'cancelled'): string {
    const vars = { name: this.nameOf(id), x: r.x, y: r.y, w: r.w, h: r.h };
    return fill(this.t[what], vars);
  }
  commitLayout(items: GridItem[], id: string, kind: 'move' | 'resize'): void {
    if (!this.doc) return;
    const next = withLayout(this.doc, items);
    const label = fill(kind === 'resize' ? this.t.editResize : this.t.editMove, { name: this.nameOf(id) });
    this.commit(next, label);
    const it = items.find((i) => i.id === id);
    if (it) this.announce(this.describe(id, it, 'dropped'));
    this.focusAfter = id;
  }
  dropNew(key: string, at: { x: number; y: number }): void {
    const item = PALETTE.find((p) => p.key === key);
    if (item) this.addFromPalette(item, at);
  }
  announce(text: string): void {
    // Re-announce identical text: clear first so the live region reports it again.
    this.live = '';
    void this.updateComplete.then(() => {
      this.live = text;
    });
  }

  private addFromPalette(item: PaletteItem, at?: { x: number; y: number }): void {
    if (!this.doc || this.readonly) return;
    const added = addWidget(this.doc, item.template, at);
    let next = added.spec;
    if (at) {
      const w = next.widgets.find((x) => x.id === added.id)!;
      next = withLayout(next, placeItem(layoutOf(next), added.id, w.grid, columnsOf(next)));
    }
    const name = pick(item.label, this.lang_);
    this.commit(next, fill(this.t.editAdd, { name }));
    this.selected = added.id;
    this.focusAfter = added.id;
    this.announce(fill(this.t.added, { name }));
  }

  private removeSelected(): void {
    if (!this.doc || !this.selected) return;
    const name = this.nameOf(this.selected);
    this.commit(removeWidget(this.doc, this.selected), fill(this.t.editRemove, { name }));
    this.selected = null;
    this.announce(fill(this.t.removed, { name }));
  }

  // ---------------------------------------------------------------------------------------------
  // Settings of the selected widget

  /** Structural and data problems of the document (memoized: stable while nothing changes). */
  private problems(): Problems {
    const doc = this.doc;
    if (!doc) return { all: [], byWidget: new Map() };
    const key = [doc, this.issues, this.data.columns, this.lang_];
    if (!this.checked || key.some((k, i) => k !== this.checked!.key[i])) {
      const problems = problemsOf(doc, this.issues, this.data.columns, { schemaOf: (w) => this.schemaOf(w), locale: this.lang_ });
      this.checked = { key, problems };
    }
    return this.checked.problems;
  }

  private schemaOf(w: WidgetSpec): JsonSchema | null {
    const metric = w.metric ?? metricsFor(w)[0];
    return metric ? ((PARAM_SCHEMAS as Record<string, JsonSchema>)[metric] ?? null) : null;
  }

  private setWidget(path: string[], value: unknown, field: string): void {
    if (!this.doc || !this.selected) return;
    const next = setWidgetValue(this.doc, this.selected, path, value);
    this.commit(next, fill(this.t.editSet, { name: this.nameOf(this.selected), field }));
  }

  private setParam(key: string, text: string, commit: boolean): void {
    const w = this.selectedWidget();
    if (!w) return;
    const schema = this.schemaOf(w);
    if (!schema) return;
    const parsed = parseParam(schema, key, text);
    if (!parsed.ok) {
      this.paramErrors = { ...this.paramErrors, [key]: parsed.message };
      return;
    }
    const { [key]: _old, ...rest } = this.paramErrors;
    this.paramErrors = rest;
    if (commit) this.setWidget(['params', key], parsed.value, key);
    else {
      // Live preview as you type (not an undo step; the control keeps its native undo).
      const params = { ...(w.params ?? {}) };
      if (parsed.value === undefined) delete params[key];
      else params[key] = parsed.value;
      this.draftParams = params;
      this.configurePreview();
    }
  }

  private setProps(text: string): void {
    const parsed = parsePropsText(text, ALLOWED_PROPS);
    if (!parsed.ok) {
      this.propsError = parsed.json ? fill(this.t.jsonInvalid, { m: parsed.message }) : parsed.message;
      return;
    }
    this.propsError = null;
    this.setWidget(['props'], parsed.value, 'props');
  }

  private setDrill(fields: string[]): void {
    const w = this.selectedWidget();
    if (!w) return;
    const old = w.drill?.levels ?? [];
    const levels = fields.map((field) => old.find((l) => l.field === field) ?? { field });
    this.setWidget(['drill'], levels.length >= 2 ? { levels } : undefined, this.t.drill);
  }

  private place(rect: Partial<GridRect>): void {
    if (!this.doc || !this.selected) return;
    const items = placeItem(layoutOf(this.doc), this.selected, rect, columnsOf(this.doc));
    this.commitLayout(items, this.selected, rect.w !== undefined || rect.h !== undefined ? 'resize' : 'move');
  }

  private selectedWidget(): WidgetSpec | null {
    return this.doc?.widgets.find((w) => w.id === this.selected) ?? null;
  }

  private select(id: string | null): void {
    if (this.selected === id) return;
    this.selected = id;
    this.paramErrors = {};
    this.propsError = null;
    this.draftParams = null;
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  protected override render(): TemplateResult {
    const t = this.t;
    if (this.refused.length)
      return html`<section part="base" class="refused" role="alert"><h2>${t.refused}</h2>
        <ul>${this.refused.map((i) => html`<li><code>${i.path}</code> ${i.message}</li>`)}</ul></section>`;
    const doc = this.doc;
    return html`<section part="base" aria-label=${t.editor}>
      <header part="toolbar">
        <h2 class="doc-title">${doc ? pick(doc.title, this.lang_) : ''}</h2>
        ${this.readonly ? html`<span class="badge">${t.readonly}</span>` : nothing}
        <div role="tablist" aria-label=${t.editor} class="tabs">
          ${(['design', 'preview', 'json'] as const).map(
            (m) => html`<button role="tab" id=${`tab-${m}`} aria-selected=${this.mode === m ? 'true' : 'false'} aria-controls="panel"
              tabindex=${this.mode === m ? 0 : -1} @click=${() => (this.mode = m)} @keydown=${this.onTabKey}>${t[m]}</button>`,
          )}
        </div>
        <div class="actions">
          <button type="button" @click=${() => this.undo()} ?disabled=${!this.history.canUndo || this.readonly} aria-keyshortcuts="Control+Z">${t.undo}</button>
          <button type="button" @click=${() => this.redo()} ?disabled=${!this.history.canRedo || this.readonly} aria-keyshortcuts="Control+Shift+Z">${t.redo}</button>
          <button type="button" class="primary" @click=${() => this.save()} ?disabled=${!doc} aria-keyshortcuts="Control+S">${t.save}</button>
        </div>
      </header>
      <div class="sr-only" aria-live="polite" role="status">${this.live}</div>
      <div id="panel" role="tabpanel" aria-labelledby=${`tab-${this.mode}`} class="panel">
        ${this.mode === 'design' ? this.renderDesign() : this.mode === 'preview' ? this.renderPreview() : this.renderJson()}
      </div>
      ${this.doc && this.mode !== 'json'
        ? renderIssues({ t, doc: this.doc, issues: this.problems().all, nameOf: (id) => this.nameOf(id), select: (id) => this.select(id) })
        : nothing}
    </section>`;
  }

  private readonly onTabKey = (e: KeyboardEvent): void => {
    const order: Mode[] = ['design', 'preview', 'json'];
    const i = order.indexOf(this.mode);
    const next = e.key === 'ArrowRight' ? order[(i + 1) % 3] : e.key === 'ArrowLeft' ? order[(i + 2) % 3] : null;
    if (!next) return;
    e.preventDefault();
    this.mode = next;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  };

  private renderDesign(): TemplateResult {
    const t = this.t;
    const doc = this.doc;
    return html`<div class="design">
      <aside part="palette" aria-label=${t.palette}>
        <h3>${t.palette}</h3>
        ${guard([this.lang_, this.readonly, !!doc], () =>
          renderPalette({
            t,
            locale: this.lang_,
            items: PALETTE,
            inert: this.readonly || !doc,
            down: (e, p) => this.layout.paletteDown(e, p.key, p.template.size ?? { w: 4, h: 3 }),
            add: (p) => this.addFromPalette(p),
          }),
        )}
      </aside>
      ${renderCanvas({
        t,
        doc,
        layout: this.layout,
        selected: this.selected,
        issues: this.problems().byWidget,
        readonly: this.readonly,
        nameOf: (id) => this.nameOf(id),
        select: (id) => this.select(id),
      })}
      <aside part="drawer" aria-label=${t.settings}>
        ${guard([doc, this.selected, this.data.datasets, this.paramErrors, this.propsError, this.data.filterValues, this.problems(), this.lang_, this.readonly], () => this.renderDrawerPanel())}
      </aside>
    </div>`;
  }

  /** The drawer (not re-rendered while a widget is dragged: the document does not change then). */
  private renderDrawerPanel(): TemplateResult {
    const t = this.t;
    return html`<h3>${this.selected ? `${t.settings}: ${this.nameOf(this.selected)}` : `${t.settings}: ${t.filters}`}</h3>
      ${this.selected ? html`<button type="button" class="link" @click=${() => this.select(null)}>${t.dashSettings}</button>` : nothing}
      ${this.renderDrawer()}`;
  }

  private renderDrawer(): TemplateResult {
    const doc = this.doc;
    if (!doc) return html``;
    const t = this.t;
    const w = this.selectedWidget();
    const datasets = this.data.datasets.map((d) => d.name);
    if (!w) {
      void this.data.loadFilterValues(this.engine, doc.filters ?? []);
      return renderDashboardSettings({
        t,
        spec: doc,
        datasets,
        fields: [...new Set(this.data.datasets.flatMap((d) => d.columns))].sort(),
        values: this.data.filterValues,
        issues: issuesAt(this.problems().all, '$.filters'),
        readonly: this.readonly,
        setTitle: (locale, text) => {
          const title = typeof doc.title === 'string' ? { 'zh-CN': doc.title, 'en-US': doc.title } : doc.title;
          this.commit(setSpecValue(doc, ['title'], { ...title, [locale]: text }), t.editTitle);
        },
        setFilters: (filters) => {
          this.data.resetValues();
          this.commit(setSpecValue(doc, ['filters'], filters), t.editFilters);
        },
      });
    }
    const schema = this.schemaOf(w);
    const source = w.source ?? null;
    const fields = [
      ...new Set(this.data.datasets.filter((d) => !source || d.name === source || datasets.length === 1 || !source).flatMap((d) => d.columns)),
    ].sort();
    const index = doc.widgets.indexOf(w);
    return renderWidgetSettings({
      t,
      widget: w,
      columns: columnsOf(doc),
      metrics: metricsFor(w),
      datasets,
      fields,
      paramFields: schema ? paramFields(schema, w.params) : [],
      paramErrors: this.paramErrors,
      base: `$.widgets[${index}]`,
      issues: this.problems().byWidget.get(w.id) ?? [],
      readonly: this.readonly,
      set: (path, value, field) => this.setWidget(path, value, field),
      setParam: (key, text, commit) => this.setParam(key, text, commit),
      place: (rect) => this.place(rect),
      remove: () => this.removeSelected(),
      duplicate: () => {
        const d = duplicateWidget(doc, w.id);
        if (d) {
          this.commit(d.spec, fill(t.editAdd, { name: this.nameOf(w.id) }));
          this.select(d.id);
        }
      },
      setDrill: (fields) => this.setDrill(fields),
      setProps: (text) => this.setProps(text),
      propsError: this.propsError,
    });
  }

  private renderPreview(): TemplateResult {
    return html`<fin-dashboard .spec=${this.doc} .engine=${this.engine} locale=${this.lang_} theme=${this.theme}></fin-dashboard>`;
  }

  private renderJson(): TemplateResult {
    return renderJsonTab({
      t: this.t,
      text: this.jsonText,
      errors: this.jsonErrors,
      readonly: this.readonly,
      input: (text) => (this.jsonText = text),
      apply: () => {
        const r = parseSpecText(this.jsonText, this.t);
        this.jsonErrors = 'errors' in r ? r.errors : [];
        if ('spec' in r) this.commit(r.spec, this.t.editJson);
      },
    });
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.focusAfter) {
      const id = this.focusAfter;
      this.focusAfter = null;
      this.renderRoot.querySelector<HTMLElement>(`[data-grab="${CSS.escape(id)}"]`)?.focus();
    }
    this.configurePreview();
  }

  /** The live preview in the drawer: the selected widget's element on the real engine. */
  private configurePreview(): void {
    const host = this.renderRoot.querySelector<HTMLElement>('[data-preview]');
    const w = this.selectedWidget();
    if (!host || !w || !this.engine) return;
    const shown = this.draftParams ? { ...w, params: this.draftParams } : w;
    configureWidget(host, shown, { locale: this.lang_, theme: this.theme, path: [], engine: this.engine });
  }
}
