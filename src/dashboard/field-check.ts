/**
 * Data checks of a dashboard spec against the loaded datasets' columns (the composer's validation
 * panel; structural checks are spec.ts's `validateSpec`): datasets named that are not loaded, and
 * field names that resolve nowhere — a widget's field params (`format: "field"` in the metric's
 * params schema, and every `field` inside its object params), its own filters, its drill levels,
 * the field its selections filter the others on (`props.filterField`), and the filter bar's fields.
 * A field resolves on a dataset when it, or a dataset its keys reach, has the column (scope.ts's
 * `fieldHome`); a widget without a `source` is checked against every loaded dataset. Pure: the
 * columns, the schemas and the locale come in; issues with their JSON paths go out.
 */
import type { JsonSchema } from '../engine/schema.js';
import { msg } from '../format/messages.js';
import '../format/messages/dashboard.js';
import type { Locale } from '../format/number.js';
import { paramFields } from './param-form.js';
import { fieldHome } from './scope.js';
import type { DatasetColumns } from './scope.js';
import type { DashboardSpec, SpecIssue, WidgetSpec } from './spec.js';

export interface FieldCheckContext {
  /** Column names per loaded dataset. */
  columns: DatasetColumns;
  /** The params schema of the metric a widget runs (null when unknown). */
  schemaOf(w: WidgetSpec): JsonSchema | null;
  locale: Locale;
  /**
   * Parts not to check (`$.filters`, `$.widgets[i]`): those with structural issues, whose shape
   * the checks cannot rely on.
   */
  skip?: (path: string) => boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `field` string inside a value (measures, axes, filter clauses), with its path below `base`. */
function nestedFields(v: unknown, base: string, out: Array<{ path: string; field: string }>): void {
  if (Array.isArray(v)) v.forEach((x, i) => nestedFields(x, `${base}[${i}]`, out));
  else if (isObj(v))
    for (const [k, x] of Object.entries(v)) {
      if (k === 'field' && typeof x === 'string') out.push({ path: `${base}.field`, field: x });
      else nestedFields(x, `${base}.${k}`, out);
    }
}

/** The field names a widget's params hold, with their paths below `base` (`….params`). */
function paramFieldRefs(params: Record<string, unknown> | undefined, schema: JsonSchema | null, base: string): Array<{ path: string; field: string }> {
  if (!params) return [];
  const out: Array<{ path: string; field: string }> = [];
  const named = new Set(schema ? paramFields(schema, params).filter((f) => f.kind === 'field').map((f) => f.key) : []);
  for (const [k, v] of Object.entries(params)) {
    if (named.has(k) && typeof v === 'string') out.push({ path: `${base}.${k}`, field: v });
    else nestedFields(v, `${base}.${k}`, out);
  }
  return out;
}

/** Where a field resolves from `source` (any loaded dataset when the widget names none). */
function resolves(columns: DatasetColumns, source: string | undefined, field: string): boolean {
  if (source) return fieldHome(columns, source, field) !== null;
  for (const name of columns.keys()) if (fieldHome(columns, name, field) !== null) return true;
  return false;
}

/** Problems of `spec`'s dataset and field names against the loaded columns (empty when all resolve). */
export function fieldIssues(spec: DashboardSpec, ctx: FieldCheckContext): SpecIssue[] {
  const { columns, locale } = ctx;
  const issues: SpecIssue[] = [];
  const known = [...columns.keys()].join(', ') || msg(locale, 'none', undefined, 'dashboard');
  const dataset = (path: string, name: string): boolean => {
    if (columns.has(name)) return true;
    issues.push({ path, message: msg(locale, 'unknownDataset', { name, known }, 'dashboard') });
    return false;
  };
  const field = (path: string, source: string | undefined, name: string, nowhere = false): void => {
    if (resolves(columns, source, name)) return;
    const key = nowhere ? 'filterNowhere' : source ? 'unknownField' : 'unknownFieldAny';
    issues.push({ path, message: msg(locale, key, { field: name, source: source ?? '' }, 'dashboard') });
  };

  const skip = ctx.skip ?? (() => false);
  if (!skip('$.filters')) (spec.filters ?? []).forEach((f, i) => {
    const p = `$.filters[${i}]`;
    if (f.type === 'date-range') (f.fields ?? []).forEach((name, j) => field(`${p}.fields[${j}]`, undefined, name, true));
    else if (dataset(`${p}.source`, f.source)) field(`${p}.field`, f.source, f.field, true);
  });

  spec.widgets.forEach((w, i) => {
    const p = `$.widgets[${i}]`;
    if (skip(p)) return;
    if (w.source !== undefined && !dataset(`${p}.source`, w.source)) return;
    const schema = ctx.schemaOf(w);
    const refs = paramFieldRefs(w.params, schema, `${p}.params`);
    (w.filters ?? []).forEach((c, j) => refs.push({ path: `${p}.filters[${j}].field`, field: c.field }));
    const filterField = w.props?.['filterField'];
    if (w.crossfilter !== false && typeof filterField === 'string') refs.push({ path: `${p}.props.filterField`, field: filterField });
    (w.drill?.levels ?? []).forEach((l, j) => {
      const lp = `${p}.drill.levels[${j}]`;
      refs.push({ path: `${lp}.field`, field: l.field });
      refs.push(...paramFieldRefs(l.params, schema, `${lp}.params`));
      const ff = l.props?.['filterField'];
      if (typeof ff === 'string') refs.push({ path: `${lp}.props.filterField`, field: ff });
    });
    for (const r of refs) field(r.path, w.source, r.field);
  });
  return issues;
}
