/**
 * The widget elements of a dashboard: found in their grid cells (`[data-widget=id]`) and configured
 * from their spec. Elements are created imperatively from the allowlist of widgets.ts, never from a
 * tag name in a template, and kept across spec changes so that a widget whose settings did not
 * change sends no query.
 */
import type { DashboardSpec, WidgetSpec } from '../../src/dashboard/spec.js';
import { pick } from '../../src/format/messages.js';
import type { Locale } from '../../src/format/number.js';
import type { FinElement } from '../base/fin-element.js';
import { ALLOWED_PROPS, WIDGET_TAGS } from './widgets.js';
import type { DrillPath } from './selection.js';

const TAGS = new Set(Object.values(WIDGET_TAGS));

type Settable = HTMLElement & Record<string, unknown>;

/** Equal values, objects compared by content (a spec rebuilt by an editor holds new objects). */
const same = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

/**
 * The settings a spec put on each element (metric, source, filters, prop names). A later spec that
 * no longer sets one of them gets a fresh element: there is no other way back to the default.
 */
const specSet = new WeakMap<HTMLElement, Set<string>>();

/** The grid cell of a widget (null before it is rendered). */
export function widgetCell(root: ParentNode, id: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[data-widget="${CSS.escape(id)}"]`);
}

/** The element of a widget (null before it is created). */
export function widgetElement(root: ParentNode, w: WidgetSpec): FinElement | null {
  const tag = WIDGET_TAGS[w.type];
  return (tag && widgetCell(root, w.id)?.querySelector<FinElement>(tag)) || null;
}

/** The element of each widget, in spec order (missing ones skipped). */
export function widgetElements(root: ParentNode, spec: DashboardSpec): Array<{ w: WidgetSpec; el: FinElement }> {
  const out: Array<{ w: WidgetSpec; el: FinElement }> = [];
  for (const w of spec.widgets) {
    const el = widgetElement(root, w);
    if (el) out.push({ w, el });
  }
  return out;
}

/** What the dashboard passes down to every widget element. */
export interface WidgetEnv {
  locale: Locale;
  theme: 'light' | 'dark';
  /** The widget's drill path (values chosen so far). */
  path: DrillPath;
  /**
   * The engine to set on the element, when it is not inside a dashboard that provides one (the
   * composer's live preview).
   */
  engine?: unknown;
}

/**
 * Create (or update) the element of widget `w` in `cell`. Only what changed is assigned: params and
 * filters are compared structurally, so an unchanged widget does not query again. Used by
 * `<fin-dashboard>` for its cells and by the composer for its live preview.
 */
export function configureWidget(cell: HTMLElement, w: WidgetSpec, env: WidgetEnv): void {
  const tag = WIDGET_TAGS[w.type];
  const own = new Set<string>(Object.keys(w.props ?? {}).filter((k) => ALLOWED_PROPS.has(k)));
  for (const k of ['metric', 'source', 'filters'] as const) if (w[k] !== undefined) own.add(k);
  let el = cell.querySelector<Settable>(tag);
  // Another type for this id (an edited spec): drop the old element.
  for (const child of [...cell.children]) if (child !== el && TAGS.has(child.localName)) child.remove();
  const before = el ? specSet.get(el) : undefined;
  if (el && before && [...before].some((k) => !own.has(k))) {
    el.remove();
    el = null;
  }
  if (!el) {
    el = document.createElement(tag) as Settable;
    el.style.height = '100%';
    cell.append(el);
  }
  specSet.set(el, own);
  if (env.engine !== undefined) el['engine'] = env.engine;
  el['widgetId'] = w.id;
  el['heading'] = w.title ? pick(w.title, env.locale) : '';
  el['locale'] = env.locale;
  el['theme'] = env.theme;
  if (w.metric) el['metric'] = w.metric;
  if (w.source) el['source'] = w.source;
  const level = w.drill ? w.drill.levels[Math.min(env.path.length, w.drill.levels.length - 1)] : undefined;
  const params = { ...(w.params ?? {}), ...(level?.params ?? {}) };
  if (!same(el['params'], params)) el['params'] = params;
  if (w.filters && !same(el['filters'], w.filters)) el['filters'] = w.filters;
  for (const [k, v] of Object.entries({ ...(w.props ?? {}), ...(level?.props ?? {}) }))
    if (ALLOWED_PROPS.has(k) && !same(el[k], v)) el[k] = v;
}
