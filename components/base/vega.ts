import type { View } from 'vega';
import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';
import type * as VegaInterpreter from 'vega-interpreter';
import { hoistTickValues } from '../../src/specs/safe-values.js';

/** A Vega-Lite spec as plain JSON (built by src/specs, never from data strings). */
export type VlSpec = Record<string, unknown>;

export interface VegaMountOptions {
  /** Force a renderer; default svg below `canvasAbove` marks, canvas above (faster for big grids). */
  renderer?: 'svg' | 'canvas';
  /** Mark count above which the canvas renderer is used (default 1000). */
  canvasAbove?: number;
  /** Approximate number of marks, for the renderer choice. */
  marks?: number;
  /** Vega config (theme), plain JSON. */
  config?: Record<string, unknown>;
  /** Text-only tooltip handler: receives the datum and shows it as text nodes. */
  tooltip?: (event: MouseEvent, item: unknown, value: unknown) => void;
}

type VegaModules = [typeof Vega, typeof VegaLite, typeof VegaInterpreter];
let modules: Promise<VegaModules> | null = null;

/**
 * Load Vega, Vega-Lite and the interpreter (once per page). Vega elements start this when they
 * connect, so the chunk arrives while their query runs instead of after the answer; entries
 * without Vega elements never call it.
 */
export function loadVega(): Promise<VegaModules> {
  if (!modules) {
    modules = Promise.all([import('vega'), import('vega-lite'), import('vega-interpreter')]);
    modules.catch(() => {
      modules = null; // a failed chunk load (offline) is retried by the next mount
    });
  }
  return modules;
}

/**
 * Mount a Vega-Lite spec with the Vega View API in CSP-safe mode: compile with vega-lite, parse
 * with `ast: true` and evaluate expressions with vega-interpreter, so nothing is ever compiled
 * with `Function()`. We call the View API directly rather than vega-embed because vega-embed
 * clears its container by assigning an HTML string, which a Trusted Types policy blocks; we need no
 * actions menu and no injected styles either. Vega is imported lazily.
 */
export async function mountVega(container: HTMLElement, spec: VlSpec, opts: VegaMountOptions = {}): Promise<View> {
  // The modules themselves, not loadVega()'s settled promise: resolving a view in the same
  // microtask turn as a ResizeObserver delivery re-sizes observed boxes inside it (a resize loop).
  const [vega, vl, { expressionInterpreter }] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('vega-interpreter'),
  ]);
  const renderer = opts.renderer ?? ((opts.marks ?? 0) > (opts.canvasAbove ?? 1000) ? 'canvas' : 'svg');
  // Tick values that hold data strings reach Vega as signals, never through its expression parser
  // (a category named `constructor` broke the view; src/specs/safe-values.ts).
  const safe = hoistTickValues(structuredClone(spec));
  const compiled = vl.compile(safe as never, { config: (opts.config ?? {}) as never }).spec;
  const runtime = vega.parse(compiled, undefined, { ast: true });
  container.replaceChildren();
  const view = new vega.View(runtime, {
    renderer,
    container,
    hover: true,
    expr: expressionInterpreter,
    logLevel: vega.None,
  } as never);
  if (opts.tooltip) {
    const tip = opts.tooltip;
    view.tooltip((_handler: unknown, event: MouseEvent, item: unknown, value: unknown) =>
      tip(event, item, value),
    );
  }
  await view.runAsync();
  return view;
}
