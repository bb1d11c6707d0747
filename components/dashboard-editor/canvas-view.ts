/**
 * The composer's canvas: the spec's grid with one cell per widget (move bar, type, size, resize
 * handle) and the placeholder of a palette item being dragged in. During a move the cells show the
 * controller's preview layout; the DOM order stays the one of the move's start (focus stays on the
 * moved widget) and is the reading order again after the drop (tab order follows the view).
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { columnsOf, layoutOf } from '../../src/dashboard/edit.js';
import { readingOrder } from '../../src/dashboard/grid.js';
import type { DashboardSpec, SpecIssue } from '../../src/dashboard/spec.js';
import { safeStyle } from '../base/safe-style.js';
import { bottomOf, NEW_ID, ROW_PX } from './layout-controller.js';
import type { LayoutController } from './layout-controller.js';
import { fill } from './messages.js';
import type { EditorText } from './messages.js';
import { thumbnail } from './palette.js';

export interface CanvasContext {
  t: EditorText;
  doc: DashboardSpec | null;
  layout: LayoutController;
  selected: string | null;
  /** Widget id → its validation problems (outlined, and listed in the cell with their paths). */
  issues: ReadonlyMap<string, SpecIssue[]>;
  readonly: boolean;
  nameOf(id: string): string;
  select(id: string): void;
}

/** Rows added at once when a move needs more room: each growth of the canvas repaints the page. */
export const GROW_ROWS = 6;

/**
 * Rows of the canvas: three free rows below the layout, at least ten. While a move is under way
 * (`movingBottom`: the lowest edge its previews have reached) the canvas never shrinks below the
 * committed layout's rows and grows in steps of GROW_ROWS, so a drag down the page grows it once
 * or twice instead of on every row.
 */
export function canvasRows(committedBottom: number, movingBottom: number | null): number {
  const idle = Math.max(committedBottom + 3, 10);
  if (movingBottom === null) return idle;
  const need = Math.max(movingBottom + 3, idle);
  return idle + Math.ceil((need - idle) / GROW_ROWS) * GROW_ROWS;
}

export function renderCanvas(c: CanvasContext): TemplateResult {
  const { doc, t, layout } = c;
  if (!doc) return html`<div part="canvas" class="canvas"></div>`;
  const committed = layoutOf(doc);
  const shown = layout.preview ?? committed;
  const active = layout.active;
  const order = readingOrder(active ? active.start : committed).map((i) => i.id);
  const rect = new Map(shown.map((i) => [i.id, i]));
  const byId = new Map(doc.widgets.map((w) => [w.id, w]));
  const rows = canvasRows(bottomOf(committed), active ? Math.max(bottomOf(shown), layout.peakBottom) : null);
  const ghost = rect.get(NEW_ID);
  // A list of widgets; while empty, a labelled group (a list must have items).
  return html`<div part="canvas" class="canvas" role=${doc.widgets.length ? 'list' : 'group'} aria-label=${t.grid}
    style=${safeStyle({ '--cols': String(columnsOf(doc)), gridTemplateRows: `repeat(${rows}, ${ROW_PX}px)` })}>
    ${doc.widgets.length ? nothing : html`<p class="empty-hint">${t.empty}</p>`}
    ${repeat(
      order.filter((id) => byId.has(id)),
      (id) => id,
      (id) => {
        const w = byId.get(id)!;
        const r = rect.get(id)!;
        const picked = layout.keyboardId === id || active?.id === id;
        const issues = c.issues.get(id);
        const { place, dx, dy } = layout.offsetOf(r);
        return html`<div role="listitem" class=${`w${c.selected === id ? ' selected' : ''}${picked ? ' picked' : ''}${issues ? ' has-issue' : ''}`}
          data-wid=${id} style=${safeStyle({
            gridColumn: `${place.x + 1} / span ${place.w}`,
            gridRow: `${place.y + 1} / span ${place.h}`,
            transform: dx || dy ? `translate(${dx}px, ${dy}px)` : null,
          })}>
          <button type="button" class="grab" data-grab=${id}
            aria-label=${fill(t.moveHandle, { name: c.nameOf(id), x: r.x, y: r.y, w: r.w, h: r.h })}
            aria-pressed=${picked ? 'true' : 'false'} aria-describedby="kbd-help"
            @pointerdown=${(e: PointerEvent) => layout.pointerDown(e, id, 'move')}
            @click=${() => c.select(id)}
            @keydown=${(e: KeyboardEvent) => {
              if (layout.keyDown(e, id)) {
                e.preventDefault();
                e.stopPropagation();
              }
            }}
            @blur=${() => {
              if (layout.keyboardId === id) layout.cancel();
            }}>
            ${guard([w.type], () => html`<svg viewBox="0 0 40 28" width="28" height="20" aria-hidden="true">${thumbnail(w.type)}</svg>`)}
            <span class="wt">${c.nameOf(id)}</span>
          </button>
          <span class="meta">${w.type}${w.metric ? ` · ${w.metric}` : ''}</span>
          <span class="size" aria-hidden="true">${r.w} × ${r.h}</span>
          ${issues
            ? html`<ul class="cell-issues" aria-label=${t.issues}>${issues.map((i) => html`<li data-issue=${i.path}><code>${i.path}</code> ${i.message}</li>`)}</ul>`
            : nothing}
          ${c.readonly
            ? nothing
            : html`<span class="resize" aria-hidden="true" title=${fill(t.resizeHandle, { name: c.nameOf(id) })}
                @pointerdown=${(e: PointerEvent) => layout.pointerDown(e, id, 'resize')}></span>`}
        </div>`;
      },
    )}
    ${ghost ? html`<div class="w ghost" aria-hidden="true" style=${safeStyle({ gridColumn: `${ghost.x + 1} / span ${ghost.w}`, gridRow: `${ghost.y + 1} / span ${ghost.h}` })}></div>` : nothing}
    <p id="kbd-help" class="sr-only">${t.picked.replace('{name}', '')}</p>
  </div>`;
}
