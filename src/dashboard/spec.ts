import type { FilterClause, LocalText } from '../engine/types.js';
import { GRID_COLUMNS, layoutProblems } from './grid.js';
import type { GridRect } from './grid.js';
import { migrateSpec, SPEC_VERSION } from './migrate.js';

/**
 * The dashboard spec, version 2 (version 1 specs still load: src/dashboard/migrate.ts). A JSON document product teams write to compose a dashboard:
 * data sources, engine placement, global filters, a 12-column responsive grid and widgets.
 * JSON Schema: docs/dashboard.schema.json; guide: docs/dashboard-spec.md.
 */
export interface DashboardSpec {
  version: 2;
  id: string;
  title: string | LocalText;
  description?: string | LocalText;
  /** Where the engine runs. Default `{ placement: 'thread' }`. */
  engine?: {
    placement: 'thread' | 'worker' | 'remote';
    /** For `remote`: the endpoint served by `createHandler`. */
    url?: string;
    /**
     * For `worker`: the engine worker script's URL (`finboard/worker`, copied to your static files),
     * resolved against the page's base URL. Default: the worker that ships with the package, emitted
     * by your bundler. A host that creates its own Worker passes it as the dashboard's `worker`.
     */
    workerUrl?: string;
  };
  /** Load the embedded seeded sample (all canonical datasets). */
  sample?: { seed?: number; customers?: number; months?: number; loanMonths?: number };
  /** Data sources to load by name (canonical dataset names, or your own). */
  sources?: SourceSpec[];
  /** Global filters shown in the filter bar. */
  filters?: FilterSpec[];
  /** Grid layout. */
  layout?: { columns?: number; rowHeight?: number; gap?: number; breakpoints?: { md?: number; sm?: number } };
  widgets: WidgetSpec[];
  /**
   * Cross-filter cube (`engine.prepare`): after the data is loaded and the widgets have drawn, the
   * dashboard asks the engine to pre-compute every widget's result per value (and pair of values) of
   * the fields it can pin, so that a selection is a look-up. Default `true`: the filter-bar
   * multi-select fields and the category fields widget selections filter on. `false` opts out;
   * `{ dimensions }` names the fields; `maxDims` (1–3, default 2) how many are pinned together;
   * `maxCombos` (default 100) the most value combinations a pair may have to be built.
   */
  prepare?: boolean | PrepareSpec;
}

/** The `prepare` option of a spec as an object. */
export interface PrepareSpec {
  /** Category fields to pre-compute for (replaces the automatic list). */
  dimensions?: string[];
  /** Largest number of dimensions pinned together: 1 = single values only, 2 = also pairs (default). */
  maxDims?: number;
  /**
   * Largest number of value combinations of a pair (or triple) per widget request, default 100:
   * region (8) × product (5) is built, collector (32) × region (8) is left to the raw path.
   */
  maxCombos?: number;
}

export interface SourceSpec {
  name: string;
  /** Fetch from a URL (CSV, JSON or Arrow by content type or extension). */
  url?: string;
  /** Inline rows (objects). */
  rows?: Array<Record<string, unknown>>;
  /** Host column name per canonical field. */
  fields?: Record<string, string>;
}

export type FilterSpec =
  | {
      type: 'date-range';
      id: string;
      label?: string | LocalText;
      /** Date fields the range applies to (each dataset uses the ones it has). */
      fields: string[];
      /** Default preset. */
      default?: DatePreset;
    }
  | {
      type: 'multi';
      id: string;
      label?: string | LocalText;
      field: string;
      /** Dataset to list the values from. */
      source: string;
    };

export type DatePreset = 'all' | 'this-month' | 'last-3-months' | 'last-6-months' | 'last-12-months' | 'ytd';

export const WIDGET_TYPES = [
  'kpi-card', 'funnel', 'heatmap', 'cohort', 'rfm', 'overdue-trend', 'fund-flow', 'table',
  // mining-cluster: K-means clusters and customer profiles
  'cluster', 'profile',
  // mining: model monitoring
  'model',
] as const;
export type WidgetType = (typeof WIDGET_TYPES)[number];

export interface WidgetSpec {
  id: string;
  type: WidgetType;
  title?: string | LocalText;
  metric?: string;
  source?: string;
  params?: Record<string, unknown>;
  /** Element properties (e.g. `{ format: 'percent', direction: 'lower-is-better', display: 'rates' }`). */
  props?: Record<string, unknown>;
  /**
   * Place on the grid: column `x` (0-based, of `layout.columns`, 12 by default) and row `y`, width
   * `w` in columns and height `h` in rows. Widgets may not overlap, and x + w may not exceed the
   * columns. On narrow screens the dashboard stacks widgets in reading order instead.
   */
  grid: GridRect;
  /** Extra filters for this widget only. */
  filters?: FilterClause[];
  /**
   * Drill path, outermost level first, e.g. team → collector. At level i the widget gets the
   * level's `params` and `props`; selecting a value of `field` there filters the widget to it and
   * moves to level i + 1; the breadcrumb walks back.
   */
  drill?: { levels: DrillLevel[] };
  /** Whether this widget's selections filter the others (default true). */
  crossfilter?: boolean;
}

/** A version 1 widget: sized (`size`, default 4 × 3) and flowing in order, not placed. */
export type WidgetSpecV1 = Omit<WidgetSpec, 'grid'> & { size?: { w?: number; h?: number } };
/** A version 1 spec (still read: migrated to the current version on load, see migrate.ts). */
export type DashboardSpecV1 = Omit<DashboardSpec, 'version' | 'widgets'> & { version: 1; widgets: WidgetSpecV1[] };
/** Any spec this library reads: the current version or an older one. */
export type AnyDashboardSpec = DashboardSpec | DashboardSpecV1;

export interface DrillLevel {
  /** Dataset field the selection at this level filters on (e.g. `team`, `region`). */
  field: string;
  /** Metric params merged in at this level (e.g. `{ level: 'team' }` or `{ y: { field: 'city' } }`). */
  params?: Record<string, unknown>;
  /** Element properties at this level (e.g. `{ selectField: 'team' }`). */
  props?: Record<string, unknown>;
  /** Breadcrumb label of the level. */
  label?: string | LocalText;
}

/** A validation problem, pointing at the offending JSON path. */
export interface SpecIssue {
  path: string;
  message: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): boolean =>
  typeof v === 'string' || (isObj(v) && typeof v['zh-CN'] === 'string' && typeof v['en-US'] === 'string');
const PRESETS = ['all', 'this-month', 'last-3-months', 'last-6-months', 'last-12-months', 'ytd'];

/**
 * Validate a spec of any supported version; returns every issue found (empty when valid). Never
 * throws. Older versions are checked for what only they have (version 1 `size`), then migrated
 * (migrate.ts) and checked as the current version; a spec newer than the library gets one issue.
 */
export function validateSpec(spec: unknown): SpecIssue[] {
  if (!isObj(spec)) return [{ path: '$', message: 'The spec must be a JSON object' }];
  const before = spec['version'] === 1 ? validateV1Sizes(spec) : [];
  const migrated = migrateSpec(spec);
  if (!migrated.spec) return migrated.issues;
  return [...before, ...validateCurrent(migrated.spec)];
}

/** Version 1 widgets' `size` (gone in version 2, where migration turns it into `grid`). */
function validateV1Sizes(spec: Record<string, unknown>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const widgets = spec['widgets'];
  if (!Array.isArray(widgets)) return issues;
  widgets.forEach((w, i) => {
    const size = isObj(w) ? w['size'] : undefined;
    if (size === undefined) return;
    const p = `$.widgets[${i}].size`;
    if (!isObj(size)) return void issues.push({ path: p, message: 'Must be an object' });
    for (const k of ['w', 'h']) {
      const v = size[k];
      if (v !== undefined && (typeof v !== 'number' || v < 1 || v > 12 || !Number.isInteger(v)))
        issues.push({ path: `${p}.${k}`, message: 'Must be an integer from 1 to 12' });
    }
  });
  return issues;
}

/** Checks of a spec at the current version. */
function validateCurrent(spec: Record<string, unknown>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const bad = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (spec['version'] !== SPEC_VERSION) bad('$.version', `Expected ${SPEC_VERSION}`);
  if (typeof spec['id'] !== 'string' || !spec['id']) bad('$.id', 'Required: a non-empty string');
  if (!isText(spec['title'])) bad('$.title', 'Required: a string or { "zh-CN", "en-US" }');
  const eng = spec['engine'];
  if (eng !== undefined) {
    if (!isObj(eng)) bad('$.engine', 'Must be an object');
    else {
      if (!['thread', 'worker', 'remote'].includes(eng['placement'] as string))
        bad('$.engine.placement', 'Must be "thread", "worker" or "remote"');
      if (eng['placement'] === 'remote' && typeof eng['url'] !== 'string') bad('$.engine.url', 'Required for a remote engine');
      const wu = eng['workerUrl'];
      if (wu !== undefined && (typeof wu !== 'string' || !/^(https?:\/\/|\/|\.{0,2}\/)/.test(wu) || /^\/\//.test(wu)))
        bad('$.engine.workerUrl', 'Must be an http(s) URL or a path ("/…", "./…", "../…")');
    }
  }
  const sample = spec['sample'];
  if (sample !== undefined && !isObj(sample)) bad('$.sample', 'Must be an object');
  if (isObj(sample)) {
    for (const k of ['seed', 'customers', 'months', 'loanMonths']) {
      const v = sample[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) bad(`$.sample.${k}`, 'Must be a non-negative number');
    }
  }
  const sources = spec['sources'];
  if (sources !== undefined) {
    if (!Array.isArray(sources)) bad('$.sources', 'Must be an array');
    else
      sources.forEach((s, i) => {
        const p = `$.sources[${i}]`;
        if (!isObj(s)) return bad(p, 'Must be an object');
        if (typeof s['name'] !== 'string' || !s['name']) bad(`${p}.name`, 'Required: a non-empty string');
        if (s['url'] === undefined && s['rows'] === undefined) bad(p, 'Needs "url" or "rows"');
        if (s['url'] !== undefined && (typeof s['url'] !== 'string' || /^\s*(javascript|data|vbscript):/i.test(s['url'])))
          bad(`${p}.url`, 'Must be an http(s) or relative URL');
        if (s['rows'] !== undefined && !Array.isArray(s['rows'])) bad(`${p}.rows`, 'Must be an array of objects');
        if (s['fields'] !== undefined && !isObj(s['fields'])) bad(`${p}.fields`, 'Must be an object of strings');
      });
  }
  const filters = spec['filters'];
  if (filters !== undefined) {
    if (!Array.isArray(filters)) bad('$.filters', 'Must be an array');
    else
      filters.forEach((f, i) => {
        const p = `$.filters[${i}]`;
        if (!isObj(f)) return bad(p, 'Must be an object');
        if (typeof f['id'] !== 'string') bad(`${p}.id`, 'Required: a string');
        if (f['type'] === 'date-range') {
          if (!Array.isArray(f['fields']) || !f['fields'].every((x) => typeof x === 'string')) bad(`${p}.fields`, 'Required: an array of date field names');
          if (f['default'] !== undefined && !PRESETS.includes(f['default'] as string)) bad(`${p}.default`, `Must be one of ${PRESETS.join(', ')}`);
        } else if (f['type'] === 'multi') {
          if (typeof f['field'] !== 'string') bad(`${p}.field`, 'Required: a field name');
          if (typeof f['source'] !== 'string') bad(`${p}.source`, 'Required: the dataset to list values from');
        } else bad(`${p}.type`, 'Must be "date-range" or "multi"');
      });
  }
  const prepare = spec['prepare'];
  if (prepare !== undefined && typeof prepare !== 'boolean') {
    if (!isObj(prepare))
      bad('$.prepare', 'Must be true, false or { "dimensions"?: [field names], "maxDims"?: 1–3, "maxCombos"?: 1–10000 }');
    else {
      for (const k of Object.keys(prepare))
        if (k !== 'dimensions' && k !== 'maxDims' && k !== 'maxCombos')
          bad(`$.prepare.${k}`, `Unknown key "${k}"; expected "dimensions", "maxDims" or "maxCombos"`);
      const dims = prepare['dimensions'];
      if (dims !== undefined) {
        if (!Array.isArray(dims)) bad('$.prepare.dimensions', 'Must be an array of field names');
        else
          dims.forEach((d, j) => {
            if (typeof d !== 'string' || !d) bad(`$.prepare.dimensions[${j}]`, 'Must be a non-empty field name');
          });
      }
      const max = prepare['maxDims'];
      if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 3))
        bad('$.prepare.maxDims', 'Must be an integer from 1 to 3');
      const combos = prepare['maxCombos'];
      if (combos !== undefined && (typeof combos !== 'number' || !Number.isInteger(combos) || combos < 1 || combos > 10_000))
        bad('$.prepare.maxCombos', 'Must be an integer from 1 to 10000');
    }
  }
  const layout = spec['layout'];
  if (layout !== undefined && !isObj(layout)) bad('$.layout', 'Must be an object');
  const colsRaw = isObj(layout) ? layout['columns'] : undefined;
  if (colsRaw !== undefined && (typeof colsRaw !== 'number' || !Number.isInteger(colsRaw) || colsRaw < 1 || colsRaw > 24))
    bad('$.layout.columns', 'Must be an integer from 1 to 24');
  const cols = typeof colsRaw === 'number' && Number.isInteger(colsRaw) && colsRaw >= 1 && colsRaw <= 24 ? colsRaw : GRID_COLUMNS;
  const widgets = spec['widgets'];
  if (!Array.isArray(widgets)) bad('$.widgets', 'Required: an array of widgets');
  else {
    const ids = new Set<string>();
    widgets.forEach((w, i) => {
      const p = `$.widgets[${i}]`;
      if (!isObj(w)) return bad(p, 'Must be an object');
      if (typeof w['id'] !== 'string' || !w['id']) bad(`${p}.id`, 'Required: a non-empty string');
      else if (ids.has(w['id'])) bad(`${p}.id`, `Duplicate widget id "${w['id']}"`);
      else ids.add(w['id']);
      if (!WIDGET_TYPES.includes(w['type'] as WidgetType)) bad(`${p}.type`, `Unknown widget type ${JSON.stringify(w['type'])}; expected one of ${WIDGET_TYPES.join(', ')}`);
      if (w['title'] !== undefined && !isText(w['title'])) bad(`${p}.title`, 'Must be a string or { "zh-CN", "en-US" }');
      if (w['params'] !== undefined && !isObj(w['params'])) bad(`${p}.params`, 'Must be an object');
      if (w['props'] !== undefined && !isObj(w['props'])) bad(`${p}.props`, 'Must be an object');
      const grid = w['grid'];
      if (!isObj(grid)) bad(`${p}.grid`, 'Required: { "x", "y", "w", "h" } (columns and rows of the grid)');
      else {
        const int = (k: string, lo: number, hi: number): void => {
          const v = grid[k];
          if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) bad(`${p}.grid.${k}`, `Must be an integer from ${lo} to ${hi}`);
        };
        int('x', 0, cols - 1);
        int('y', 0, 10_000);
        int('w', 1, cols);
        int('h', 1, 12);
        for (const k of Object.keys(grid))
          if (!['x', 'y', 'w', 'h'].includes(k)) bad(`${p}.grid.${k}`, `Unknown key "${k}"; expected x, y, w, h`);
      }
      const drill = w['drill'];
      if (drill !== undefined) {
        if (!isObj(drill) || !Array.isArray(drill['levels']) || drill['levels'].length < 2)
          bad(`${p}.drill`, 'Must be { "levels": [at least two levels] }');
        else
          drill['levels'].forEach((l, j) => {
            if (!isObj(l) || typeof l['field'] !== 'string') bad(`${p}.drill.levels[${j}]`, 'Must be { "field": string, "params"?: {}, "props"?: {} }');
            else {
              if (l['params'] !== undefined && !isObj(l['params'])) bad(`${p}.drill.levels[${j}].params`, 'Must be an object');
              if (l['props'] !== undefined && !isObj(l['props'])) bad(`${p}.drill.levels[${j}].props`, 'Must be an object');
            }
          });
      }
    });
    // Places: x + w within the columns, no two widgets sharing a cell.
    const placed = widgets.flatMap((w, i) => {
      const g = isObj(w) ? w['grid'] : undefined;
      if (!isObj(g) || ![g['x'], g['y'], g['w'], g['h']].every((v) => typeof v === 'number' && Number.isInteger(v))) return [];
      return [{ id: String(i), x: g['x'] as number, y: g['y'] as number, w: g['w'] as number, h: g['h'] as number }];
    });
    const nameOf = (i: number): string => {
      const w: unknown = widgets[i];
      return isObj(w) && typeof w['id'] === 'string' ? JSON.stringify(w['id']) : `#${i}`;
    };
    for (const pr of layoutProblems(placed, cols)) {
      const i = Number(pr.id);
      if (pr.kind === 'outside') bad(`$.widgets[${i}].grid`, `x + w must be at most ${cols} (the grid's columns)`);
      else bad(`$.widgets[${i}].grid`, `Overlaps widget ${nameOf(Number(pr.other))} ($.widgets[${pr.other}].grid)`);
    }
  }
  return issues;
}

/** Date range of a preset ending at `end` ('YYYY-MM-DD'), as a range clause value. */
export function presetRange(preset: DatePreset, end: string): [string | null, string | null] {
  if (preset === 'all') return [null, null];
  const y = Number(end.slice(0, 4));
  const m = Number(end.slice(5, 7));
  const month = (yy: number, mm: number): string => {
    const t = yy * 12 + (mm - 1);
    const Y = Math.floor(t / 12);
    return `${Y}-${String(t - Y * 12 + 1).padStart(2, '0')}`;
  };
  const back = preset === 'this-month' ? 0 : preset === 'last-3-months' ? 2 : preset === 'last-6-months' ? 5 : preset === 'last-12-months' ? 11 : m - 1;
  return [month(y, m - back), month(y, m)];
}
