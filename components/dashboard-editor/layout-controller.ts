/**
 * Moving and resizing widgets on the composer's canvas, by pointer and by keyboard (WCAG 2.1.1 and
 * 2.5.7), as a Lit reactive controller. While a move is under way the controller holds a preview
 * layout (`preview`), computed from the layout at the start of the move with `placeItem`, so what is
 * pushed aside depends only on where the widget is now, never on the path it took; nothing is
 * committed until the drop. Escape, or losing the pointer, restores the start.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { clampRect, placeItem } from '../../src/dashboard/grid.js';
import type { GridItem, GridRect } from '../../src/dashboard/grid.js';

export interface LayoutHost extends ReactiveControllerHost {
  /** The committed layout. */
  layoutItems(): GridItem[];
  columns(): number;
  /** The canvas element (cells are measured on it). */
  canvas(): HTMLElement | null;
  /** Height of one row plus the gap, in CSS pixels. */
  rowPitch(): number;
  /** Commit a finished move/resize (one undo step). */
  commitLayout(items: GridItem[], id: string, kind: 'move' | 'resize'): void;
  /** Add a palette item at a cell (pointer drop from the palette). */
  dropNew(key: string, at: { x: number; y: number }): void;
  announce(text: string): void;
  describe(id: string, rect: GridRect, what: 'picked' | 'moved' | 'dropped' | 'cancelled'): string;
  readonly readonly: boolean;
}

/** Height of one canvas row and the gap between rows, in CSS pixels (styles.ts uses the gap). */
export const ROW_PX = 44;
export const GAP_PX = 8;

type Mode = 'move' | 'resize' | 'keyboard' | 'palette';

interface Active {
  id: string;
  mode: Mode;
  start: GridItem[];
  /** Pointer offset inside the widget, in cells (pointer moves). */
  dx: number;
  dy: number;
  /** Target rectangle of the moved widget. */
  rect: GridRect;
  pointerId?: number;
  /** Palette key for a drop from the palette. */
  key?: string;
  resized: boolean;
}

const sameRect = (a: GridRect, b: GridRect): boolean => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
/** The lowest edge of a layout, in rows. */
export const bottomOf = (items: readonly GridRect[]): number => items.reduce((m, i) => Math.max(m, i.y + i.h), 0);

/** Id of the placeholder while a palette item is dragged over the canvas. */
export const NEW_ID = '\u0000new';

export class LayoutController implements ReactiveController {
  /** The layout to draw while a move is under way (null when idle). */
  preview: GridItem[] | null = null;
  active: Active | null = null;
  /**
   * The lowest edge any preview of the move under way has reached (0 when idle). The canvas keeps
   * its height at least this tall until the drop, so it grows at most a few times during a drag and
   * never shrinks and grows back with every cell (each height change repaints the whole canvas).
   */
  peakBottom = 0;
  private frame = 0;
  private pending: PointerEvent | null = null;

  constructor(private readonly host: LayoutHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stopListening();
    cancelAnimationFrame(this.frame);
    this.active = null;
    this.preview = null;
    this.peakBottom = 0;
  }

  /** The id being moved by keyboard, if any. */
  get keyboardId(): string | null {
    return this.active?.mode === 'keyboard' ? this.active.id : null;
  }

  /**
   * Distance between the left edges of two neighbouring columns, in CSS pixels, measured at the
   * start of a move and at every pointer move: the canvas shows the preview by translating cells
   * from their places at the start (`offsetOf`), which needs it in pixels.
   */
  colPitch = 0;

  private measure(): DOMRect | null {
    const c = this.host.canvas();
    if (!c) return null;
    const r = c.getBoundingClientRect();
    this.colPitch = (r.width + GAP_PX) / this.host.columns();
    return r;
  }

  /**
   * Where a cell is drawn while a move is under way: its place at the start of the move (grid
   * placement, so the grid is not laid out again on every step) and a translation to its place in
   * the preview. Moving a cell is then a compositor-only change (its layer moves; nothing is laid
   * out or painted again); only a change of size (a resize) lays out. Idle: the committed place, no
   * translation.
   */
  offsetOf(item: GridItem): { place: GridRect; dx: number; dy: number } {
    const a = this.active;
    const base = a?.start.find((i) => i.id === item.id);
    if (!a || !base) return { place: item, dx: 0, dy: 0 };
    return {
      place: { x: base.x, y: base.y, w: item.w, h: item.h },
      dx: (item.x - base.x) * this.colPitch,
      dy: (item.y - base.y) * this.host.rowPitch(),
    };
  }

  private cellAt(e: PointerEvent): { x: number; y: number } | null {
    const r = this.measure();
    if (!r) return null;
    const colW = r.width / this.host.columns();
    return { x: Math.floor((e.clientX - r.left) / colW), y: Math.floor((e.clientY - r.top) / this.host.rowPitch()) };
  }

  private inside(e: PointerEvent): boolean {
    const c = this.host.canvas();
    if (!c) return false;
    const r = c.getBoundingClientRect();
    return e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom + this.host.rowPitch() * 2;
  }

  /** Pointer down on a widget's move bar or resize handle. */
  pointerDown(e: PointerEvent, id: string, mode: 'move' | 'resize'): void {
    if (this.host.readonly || e.button !== 0 || this.active) return;
    const start = this.host.layoutItems();
    const item = start.find((i) => i.id === id);
    const cell = this.cellAt(e);
    if (!item || !cell) return;
    e.preventDefault();
    this.active = { id, mode, start, dx: cell.x - item.x, dy: cell.y - item.y, rect: { ...item }, pointerId: e.pointerId, resized: false };
    this.listen();
  }

  /** Pointer down on a palette item: dragging it onto the canvas adds it there. */
  paletteDown(e: PointerEvent, key: string, size: { w: number; h: number }): void {
    if (this.host.readonly || e.button !== 0 || this.active) return;
    e.preventDefault();
    this.active = { id: NEW_ID, mode: 'palette', key, start: this.host.layoutItems(), dx: 0, dy: 0, rect: { x: 0, y: 0, ...size }, pointerId: e.pointerId, resized: false };
    this.listen();
  }

  private listen(): void {
    window.addEventListener('pointermove', this.onMove);
    window.addEventListener('pointerup', this.onUp);
    window.addEventListener('pointercancel', this.onCancel);
    window.addEventListener('keydown', this.onEscape, true);
  }

  private stopListening(): void {
    window.removeEventListener('pointermove', this.onMove);
    window.removeEventListener('pointerup', this.onUp);
    window.removeEventListener('pointercancel', this.onCancel);
    window.removeEventListener('keydown', this.onEscape, true);
  }

  private readonly onMove = (e: PointerEvent): void => {
    if (!this.active || e.pointerId !== this.active.pointerId) return;
    this.pending = e;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  };

  private flush(): void {
    this.frame = 0;
    const e = this.pending;
    const a = this.active;
    this.pending = null;
    if (!e || !a) return;
    this.track(e, a);
  }

  /**
   * Applies a pointer position. The preview depends only on the target rectangle, so a move that
   * stays in the same cell changes nothing and renders nothing (most pointer moves: a cell is 52 px
   * high); the canvas re-flows only when the target cell changes.
   */
  private track(e: PointerEvent, a: Active): void {
    const cell = this.cellAt(e);
    if (!cell) return;
    const cols = this.host.columns();
    let rect: GridRect;
    if (a.mode === 'palette') {
      if (!this.inside(e)) {
        if (this.preview) {
          this.preview = null;
          this.host.requestUpdate();
        }
        return;
      }
      rect = clampRect({ ...a.rect, x: cell.x - Math.floor(a.rect.w / 2), y: cell.y }, cols);
    } else if (a.mode === 'resize') {
      const item = a.start.find((i) => i.id === a.id)!;
      rect = clampRect({ x: item.x, y: item.y, w: cell.x - item.x + 1, h: cell.y - item.y + 1 }, cols);
      a.resized = true;
    } else {
      rect = clampRect({ ...a.rect, x: cell.x - a.dx, y: cell.y - a.dy }, cols);
    }
    if (this.preview && sameRect(rect, a.rect)) return;
    a.rect = rect;
    this.preview =
      a.mode === 'palette'
        ? placeItem([...a.start, { id: NEW_ID, ...rect }], NEW_ID, rect, cols)
        : placeItem(a.start, a.id, rect, cols);
    this.peakBottom = Math.max(this.peakBottom, bottomOf(this.preview));
    this.host.requestUpdate();
  }

  private readonly onUp = (e: PointerEvent): void => {
    const a = this.active;
    if (!a || e.pointerId !== a.pointerId) return;
    // Apply the last position first (the frame may not have run yet).
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.track(e, a);
    const preview = this.preview;
    this.end();
    if (a.mode === 'palette') {
      if (preview && this.inside(e)) this.host.dropNew(a.key!, { x: a.rect.x, y: a.rect.y });
      return;
    }
    if (preview) this.host.commitLayout(preview, a.id, a.mode === 'resize' ? 'resize' : 'move');
  };

  private readonly onCancel = (): void => this.cancel();

  private readonly onEscape = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || !this.active || this.active.mode === 'keyboard') return;
    e.preventDefault();
    e.stopPropagation();
    this.cancel();
  };

  private end(): void {
    this.stopListening();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.active = null;
    this.preview = null;
    this.peakBottom = 0;
    this.host.requestUpdate();
  }

  /** Abandon the move under way; the committed layout is untouched. */
  cancel(): void {
    const a = this.active;
    if (!a) return;
    this.end();
    if (a.mode !== 'palette') {
      const item = a.start.find((i) => i.id === a.id);
      if (item) this.host.announce(this.host.describe(a.id, item, 'cancelled'));
    }
  }

  /**
   * Keyboard on a widget's move handle: Enter/Space picks up or drops, arrows move, Shift+arrows
   * resize, Escape cancels. Returns true when the key was handled.
   */
  keyDown(e: KeyboardEvent, id: string): boolean {
    if (this.host.readonly) return false;
    const a = this.active;
    const cols = this.host.columns();
    if (!a) {
      if (e.key !== 'Enter' && e.key !== ' ') return false;
      const start = this.host.layoutItems();
      const item = start.find((i) => i.id === id);
      if (!item) return false;
      this.measure();
      this.active = { id, mode: 'keyboard', start, dx: 0, dy: 0, rect: { ...item }, resized: false };
      this.preview = start;
      this.host.announce(this.host.describe(id, item, 'picked'));
      this.host.requestUpdate();
      return true;
    }
    if (a.mode !== 'keyboard' || a.id !== id) return false;
    const r = { ...a.rect };
    switch (e.key) {
      case 'Enter':
      case ' ': {
        const preview = this.preview ?? a.start;
        const resized = a.resized;
        this.end();
        this.host.commitLayout(preview, id, resized ? 'resize' : 'move');
        return true;
      }
      case 'Escape':
        this.cancel();
        return true;
      case 'ArrowLeft':
        if (e.shiftKey) r.w -= 1;
        else r.x -= 1;
        break;
      case 'ArrowRight':
        if (e.shiftKey) r.w += 1;
        else r.x += 1;
        break;
      case 'ArrowUp':
        if (e.shiftKey) r.h -= 1;
        else r.y -= 1;
        break;
      case 'ArrowDown':
        if (e.shiftKey) r.h += 1;
        else r.y += 1;
        break;
      default:
        return false;
    }
    if (e.shiftKey) a.resized = true;
    a.rect = clampRect(r, cols);
    this.preview = placeItem(a.start, id, a.rect, cols);
    this.peakBottom = Math.max(this.peakBottom, bottomOf(this.preview));
    this.host.announce(this.host.describe(id, a.rect, 'moved'));
    this.host.requestUpdate();
    return true;
  }
}
