/**
 * Which cross-filter cube a dashboard asks its engine for (`engine.prepare`, src/engine/cube.ts).
 *
 * A cube answers a request by look-up when its filters pin the cube's category dimensions to single
 * values (`eq`, or `in` with one value). A dashboard pins fields in two ways: a filter-bar
 * multi-select with one value ticked (`in [v]`), and a widget selection that cross-filters the
 * others (a table row, a heatmap row or column of a category, a funnel stage, a sankey node). These
 * helpers derive those fields from the spec; the dashboard element then keeps the ones that are
 * category columns of the loaded data (see `categorySources`). Everything here is pure.
 */
import { cubeKey, pinnedField } from '../engine/cube.js';
import type { FilterClause, QueryRequest } from '../engine/types.js';
import type { AnyDashboardSpec, WidgetSpec, WidgetSpecV1 } from './spec.js';

/** Layout plays no part in cube dimensions: these read widgets of any spec version. */
type AnyWidget = WidgetSpec | WidgetSpecV1;

/** What a spec asks for: `null` when it opts out (`prepare: false`). */
export interface PrepareSettings {
  /** Candidate dimensions, in order: filter-bar multi fields, then widget selection fields. */
  dimensions: string[];
  /** Largest number of dimensions pinned together (the engine's default when absent). */
  maxDims?: number;
  /** Largest number of value combinations of a pair (the engine's default, 100, when absent). */
  maxCombos?: number;
  /**
   * Whether the dimensions were derived from the spec (true) or listed by the author (false).
   * Derived dimensions with many values (identifiers such as `customer_id`) are dropped at run time.
   */
  auto: boolean;
}

/**
 * Automatic dimensions with more distinct values than this are left out: a cube holds one result
 * per request and value (and per pair of values), so an identifier would multiply its size.
 */
export const MAX_AUTO_VALUES = 64;

/**
 * Heatmap presets whose axes are plain category fields (the others are date parts such as hour or
 * weekday, whose selections are not category pins). Mirrors HEATMAP_PRESETS in the engine.
 */
const HEATMAP_PRESET_AXES: Readonly<Record<string, { x?: string; y?: string }>> = {
  'overdue-region-month': { y: 'region' },
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The field a table selects on with the given (merged) props: filter field, select field, first column. */
function tableField(props: Record<string, unknown>): string | null {
  const cols = props['columns'];
  const first = Array.isArray(cols) && isObj(cols[0]) ? str(cols[0]['key']) : null;
  return str(props['filterField']) ?? str(props['selectField']) ?? first;
}

/** Category field a widget's selection pins with the given params and props, or null. */
function selectionField(w: AnyWidget, params: Record<string, unknown>, props: Record<string, unknown>): string[] {
  switch (w.type) {
    case 'table': {
      const f = tableField(props);
      return f ? [f] : [];
    }
    case 'funnel':
      return ['stage'];
    case 'heatmap': {
      const dim = props['selectOn'] === 'y' ? 'y' : 'x';
      const preset = str(props['preset']) ?? str(params['preset']);
      const axis = params[dim];
      if (isObj(axis)) return axis['part'] === undefined && str(axis['field']) ? [axis['field'] as string] : [];
      const fromPreset = preset ? HEATMAP_PRESET_AXES[preset]?.[dim] : undefined;
      return fromPreset ? [fromPreset] : [];
    }
    case 'fund-flow': {
      const display = str(props['display']) ?? 'sankey';
      if (display === 'alerts') return ['customer_id'];
      if (display !== 'sankey') return []; // trend: a period range or month
      const out = [str(params['left']) ?? 'category'];
      // As the element: a `middle` prop wins (`none` = one node), then params.middle (null = one node).
      const pm = str(props['middle']);
      const middle = pm ? (pm === 'none' ? null : pm) : params['middle'] === null ? null : (str(params['middle']) ?? 'segment');
      if (middle) out.push(middle);
      out.push(str(params['right']) ?? 'category');
      return out;
    }
    // kpi-card: no selection. cohort, overdue-trend: date ranges, months and dpd ranges (date parts
    // and numbers, never category pins). rfm: `rfm_segment` is computed by the metric, not a column.
    default:
      return [];
  }
}

/**
 * Fields a widget's selections pin to a single value for the other widgets (empty when it does not
 * cross-filter). With a drill path, a selection drills at every level but the last, unless it is
 * on another field than the level's.
 */
export function widgetSelectionFields(w: AnyWidget): string[] {
  if (w.crossfilter === false) return [];
  const params = w.params ?? {};
  const props = w.props ?? {};
  const levels = w.drill?.levels ?? [];
  if (!levels.length) return selectionField(w, params, props);
  const out: string[] = [];
  levels.forEach((level, i) => {
    const fields = selectionField(w, { ...params, ...(level.params ?? {}) }, { ...props, ...(level.props ?? {}) });
    for (const f of fields) if (i === levels.length - 1 || f !== level.field) out.push(f);
  });
  return out;
}

/** The candidate cube dimensions of a spec: filter-bar multi fields, then widget selection fields. */
export function dashboardDimensions(spec: AnyDashboardSpec): string[] {
  const out = new Set<string>();
  for (const f of spec.filters ?? []) if (f.type === 'multi' && f.field) out.add(f.field);
  for (const w of spec.widgets) for (const f of widgetSelectionFields(w)) out.add(f);
  return [...out];
}

/** What `spec.prepare` asks for; null when the spec opts out. */
export function prepareSettings(spec: AnyDashboardSpec): PrepareSettings | null {
  const p = spec.prepare;
  if (p === false) return null;
  if (p === undefined || p === true) return { dimensions: dashboardDimensions(spec), auto: true };
  const out: PrepareSettings = p.dimensions
    ? { dimensions: [...new Set(p.dimensions.filter((d) => typeof d === 'string' && d))], auto: false }
    : { dimensions: dashboardDimensions(spec), auto: true };
  if (p.maxDims !== undefined) out.maxDims = p.maxDims;
  if (p.maxCombos !== undefined) out.maxCombos = p.maxCombos;
  return out;
}

/** The parts of `engine.datasetsInfo()` the dimension check reads. */
export interface DatasetColumns {
  name: string;
  rows: number;
  report: { columns: { types: Record<string, string> } };
}

/**
 * For each dimension that is a category column of some loaded dataset, the smallest such dataset
 * (where its values are cheapest to count). Dimensions that are not category columns anywhere
 * (date parts, numbers, computed fields, datasets not loaded) are left out: the cube cannot use them.
 */
export function categorySources(dimensions: readonly string[], infos: readonly DatasetColumns[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of dimensions) {
    let best: DatasetColumns | null = null;
    for (const ds of infos) {
      if (ds.report?.columns?.types?.[d] !== 'cat') continue;
      if (!best || ds.rows < best.rows) best = ds;
    }
    if (best) out.set(d, best.name);
  }
  return out;
}

/**
 * A widget request as the cube's base: without the clauses that pin a cube dimension (the cube
 * holds one cell per value of those) and without `exclude`d clauses (other widgets' selections,
 * matched by identity, as the dashboard passes them on).
 */
export function baseRequest(req: QueryRequest, dimensions: readonly string[], exclude: ReadonlySet<FilterClause> = new Set()): QueryRequest {
  const filters = (req.filters ?? []).filter((c) => {
    if (exclude.has(c)) return false;
    const f = pinnedField(c);
    return f === null || !dimensions.includes(f);
  });
  return { ...req, filters };
}

/** Key of a base request (canonical filters: the order of clauses does not matter). */
export function baseKey(req: QueryRequest): string {
  return cubeKey(req);
}
