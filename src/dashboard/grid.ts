/**
 * The dashboard grid as data: widgets at integer cells of a `cols`-column grid (12 by default),
 * `x`/`w` in columns, `y`/`h` in rows. Pure functions, no DOM: the dashboard lays widgets out with
 * them, the composer moves and resizes with them, and the spec validator checks them.
 *
 * Rules the composer relies on (issue 17: "other widgets reflowing predictably, never jumping rows"):
 * - A move or resize places the widget exactly where asked (clamped into the grid).
 * - Widgets it now overlaps are pushed straight down, just far enough to clear it; pushing cascades
 *   to what they then overlap. Nothing moves up, nothing moves sideways, and widgets that do not
 *   overlap never move. So a drag across the grid moves only what it touches, always downward.
 * - The result never has two widgets sharing a cell.
 */

export interface GridRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface GridItem extends GridRect {
  id: string;
}

/** Default number of columns of a dashboard grid. */
export const GRID_COLUMNS = 12;
/** Largest widget height in rows (as the spec allows). */
export const MAX_ROWS_SPAN = 12;

/** Whether two rectangles share at least one cell. */
export function overlaps(a: GridRect, b: GridRect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** A rectangle clamped into `cols` columns: 1 ≤ w ≤ cols, 0 ≤ x ≤ cols − w, y ≥ 0, 1 ≤ h ≤ 12. */
export function clampRect(r: GridRect, cols = GRID_COLUMNS): GridRect {
  const int = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.round(Number.isFinite(v) ? v : lo)));
  const w = int(r.w, 1, cols);
  const h = int(r.h, 1, MAX_ROWS_SPAN);
  return { x: int(r.x, 0, cols - w), y: int(r.y, 0, Number.MAX_SAFE_INTEGER), w, h };
}

/**
 * Positions for widgets given only sizes, in order: CSS Grid's auto-placement with
 * `grid-auto-flow: row` (the "sparse" algorithm), which is how a version 1 spec was drawn. A cursor
 * walks forward only: each widget goes at the first column ≥ the cursor in the cursor's row where it
 * fits without overlapping, else the next rows from column 0; the cursor then sits right after it.
 */
export function autoPlace(sizes: ReadonlyArray<{ id: string; w: number; h: number }>, cols = GRID_COLUMNS): GridItem[] {
  const placed: GridItem[] = [];
  let row = 0;
  let col = 0;
  for (const s of sizes) {
    const w = Math.min(cols, Math.max(1, Math.round(s.w)));
    const h = Math.min(MAX_ROWS_SPAN, Math.max(1, Math.round(s.h)));
    for (;;) {
      if (col + w > cols) {
        row += 1;
        col = 0;
        continue;
      }
      const cand = { x: col, y: row, w, h };
      const hit = placed.find((p) => overlaps(p, cand));
      if (!hit) {
        placed.push({ id: s.id, ...cand });
        col += w;
        break;
      }
      col += 1;
    }
  }
  return placed;
}

/** Items sorted in reading order (top to bottom, then left to right): the order of tab stops. */
export function readingOrder<T extends GridRect>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.y - b.y || a.x - b.x);
}

/**
 * Resolve overlaps around `fixedId` by pushing the others down (see the module comment). The fixed
 * item keeps its place; every other item keeps its x and only ever gets a larger y.
 */
export function pushDown(items: readonly GridItem[], fixedId: string): GridItem[] {
  const out = items.map((i) => ({ ...i }));
  const fixed = out.find((i) => i.id === fixedId);
  if (!fixed) return out;
  // Settle items top-down: each is pushed below whatever settled item it overlaps. The fixed item is
  // settled first, then the rest in reading order of their current place, so higher items keep
  // precedence over lower ones and the result is the same for the same input.
  const settled: GridItem[] = [fixed];
  for (const item of readingOrder(out.filter((i) => i !== fixed))) {
    for (;;) {
      const hits = settled.filter((s) => overlaps(s, item));
      if (!hits.length) break;
      item.y = Math.max(...hits.map((s) => s.y + s.h));
    }
    settled.push(item);
  }
  return out;
}

/** Move (and optionally resize) `id` to `rect`, clamped into the grid, pushing what it overlaps down. */
export function placeItem(items: readonly GridItem[], id: string, rect: Partial<GridRect>, cols = GRID_COLUMNS): GridItem[] {
  const cur = items.find((i) => i.id === id);
  if (!cur) return items.map((i) => ({ ...i }));
  const next = clampRect({ x: rect.x ?? cur.x, y: rect.y ?? cur.y, w: rect.w ?? cur.w, h: rect.h ?? cur.h }, cols);
  return pushDown(
    items.map((i) => (i.id === id ? { id, ...next } : { ...i })),
    id,
  );
}

/**
 * Where a new widget of size w × h goes: the first free place in reading order (top row first, left
 * first), the same rule a product manager sees in FineBI/Superset when adding to a grid.
 */
export function firstFree(items: readonly GridRect[], w: number, h: number, cols = GRID_COLUMNS): GridRect {
  const size = clampRect({ x: 0, y: 0, w, h }, cols);
  const bottom = items.reduce((m, i) => Math.max(m, i.y + i.h), 0);
  for (let y = 0; y <= bottom; y++)
    for (let x = 0; x + size.w <= cols; x++) {
      const cand = { x, y, w: size.w, h: size.h };
      if (!items.some((i) => overlaps(i, cand))) return cand;
    }
  return { x: 0, y: bottom, w: size.w, h: size.h };
}

/** Problems of a layout, each naming the item: out of the grid, or overlapping an earlier item. */
export function layoutProblems(
  items: readonly GridItem[],
  cols = GRID_COLUMNS,
): Array<{ id: string; kind: 'outside' | 'overlap'; other?: string }> {
  const out: Array<{ id: string; kind: 'outside' | 'overlap'; other?: string }> = [];
  items.forEach((a, i) => {
    if (a.x < 0 || a.y < 0 || a.w < 1 || a.h < 1 || a.x + a.w > cols) out.push({ id: a.id, kind: 'outside' });
    for (const b of items.slice(0, i)) if (overlaps(b, a)) out.push({ id: a.id, kind: 'overlap', other: b.id });
  });
  return out;
}
