/**
 * Edits of a dashboard spec as pure functions, for the composer (`<fin-dashboard-editor>`).
 *
 * The round-trip rules of issue 17 live here:
 * - every function returns a new spec and never mutates its input; objects that did not change are
 *   shared, so an edit touches only the keys it is about;
 * - nothing is written that the user did not choose: setting a value to `undefined` deletes the key
 *   (and an emptied `params` / `props` / `title` object), and no defaults are filled in;
 * - keys the editor does not know are kept wherever they are.
 */
import type { DashboardSpec, WidgetSpec } from './spec.js';
import { firstFree, GRID_COLUMNS } from './grid.js';
import type { GridItem, GridRect } from './grid.js';

type Json = Record<string, unknown>;

/** Columns of the spec's grid. */
export function columnsOf(spec: DashboardSpec): number {
  const c = spec.layout?.columns;
  return typeof c === 'number' && Number.isInteger(c) && c >= 1 && c <= 24 ? c : GRID_COLUMNS;
}

/** The widgets' places as grid items (widgets without a valid place are left out). */
export function layoutOf(spec: DashboardSpec): GridItem[] {
  return spec.widgets.flatMap((w) => {
    const g = w.grid as Partial<GridRect> | undefined;
    if (!g || ![g.x, g.y, g.w, g.h].every((v) => typeof v === 'number' && Number.isFinite(v))) return [];
    return [{ id: w.id, x: g.x!, y: g.y!, w: g.w!, h: g.h! }];
  });
}

const sameRect = (a: GridRect | undefined, b: GridRect): boolean => !!a && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;

/** The spec with these places; widgets whose place did not change keep their object. */
export function withLayout(spec: DashboardSpec, items: readonly GridItem[]): DashboardSpec {
  const byId = new Map(items.map((i) => [i.id, i]));
  let changed = false;
  const widgets = spec.widgets.map((w) => {
    const it = byId.get(w.id);
    if (!it || sameRect(w.grid, it)) return w;
    changed = true;
    // Keep the key order of the widget: `grid` stays where it was.
    return { ...w, grid: { x: it.x, y: it.y, w: it.w, h: it.h } };
  });
  return changed ? { ...spec, widgets } : spec;
}

/** A widget id not used yet: `<base>`, `<base>-2`, `<base>-3`, … */
export function freshId(spec: DashboardSpec, base: string): string {
  const used = new Set(spec.widgets.map((w) => w.id));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** What a palette item adds: a widget without id and place (both chosen here). */
export type WidgetTemplate = Omit<WidgetSpec, 'id' | 'grid'> & { size?: { w: number; h: number } };

/**
 * Add a widget from a template at `at` (its top-left cell; default the first free place in reading
 * order). Widgets it would overlap are pushed down by the caller's layout step (see `placeItem`).
 * Returns the new spec and the new widget's id.
 */
export function addWidget(
  spec: DashboardSpec,
  template: WidgetTemplate,
  at?: { x: number; y: number },
): { spec: DashboardSpec; id: string } {
  const { size, ...rest } = template;
  const w = size?.w ?? 4;
  const h = size?.h ?? 3;
  const cols = columnsOf(spec);
  const place = at ? { x: Math.max(0, Math.min(cols - Math.min(w, cols), at.x)), y: Math.max(0, at.y), w: Math.min(w, cols), h } : firstFree(layoutOf(spec), w, h, cols);
  const id = freshId(spec, template.type);
  const widget = { id, ...structuredClone(rest), grid: place } as WidgetSpec;
  return { spec: { ...spec, widgets: [...spec.widgets, widget] }, id };
}

/** Remove a widget. */
export function removeWidget(spec: DashboardSpec, id: string): DashboardSpec {
  if (!spec.widgets.some((w) => w.id === id)) return spec;
  return { ...spec, widgets: spec.widgets.filter((w) => w.id !== id) };
}

/** Duplicate a widget (same settings, new id, first free place of its size). */
export function duplicateWidget(spec: DashboardSpec, id: string): { spec: DashboardSpec; id: string } | null {
  const w = spec.widgets.find((x) => x.id === id);
  if (!w) return null;
  const { id: _id, grid, ...rest } = structuredClone(w) as WidgetSpec & Json;
  return addWidget(spec, { ...(rest as WidgetTemplate), size: { w: grid.w, h: grid.h } });
}

/** Set (or with `undefined`, delete) a value at a key path inside one widget, e.g. ['params', 'k']. */
export function setWidgetValue(spec: DashboardSpec, id: string, path: readonly string[], value: unknown): DashboardSpec {
  const i = spec.widgets.findIndex((w) => w.id === id);
  if (i < 0 || !path.length) return spec;
  const before = spec.widgets[i]!;
  const after = setIn(before as unknown as Json, path, value) as unknown as WidgetSpec;
  if (after === before) return spec;
  const widgets = [...spec.widgets];
  widgets[i] = after;
  return { ...spec, widgets };
}

/** Set (or delete) a value at a key path of the spec itself, e.g. ['title', 'en-US'] or ['filters']. */
export function setSpecValue(spec: DashboardSpec, path: readonly string[], value: unknown): DashboardSpec {
  return setIn(spec as unknown as Json, path, value) as unknown as DashboardSpec;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Immutable set at a path of object keys. `undefined` deletes the key; an object left empty by a
 * delete is deleted from its parent too (it was only there to hold what was removed). Returns the
 * same object when nothing changes.
 */
export function setIn(obj: Json, path: readonly string[], value: unknown): Json {
  const [key, ...rest] = path;
  if (key === undefined) return obj;
  if (!rest.length) {
    if (value === undefined) {
      if (!(key in obj)) return obj;
      const { [key]: _gone, ...kept } = obj;
      return kept;
    }
    if (Object.is(obj[key], value)) return obj;
    return { ...obj, [key]: value };
  }
  const child = isObj(obj[key]) ? (obj[key] as Json) : {};
  const next = setIn(child, rest, value);
  if (next === child && key in obj) return obj;
  if (!Object.keys(next).length) {
    if (!(key in obj)) return obj;
    const { [key]: _gone, ...kept } = obj;
    return kept;
  }
  return { ...obj, [key]: next };
}
