import type { View } from 'vega';

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

/**
 * Mount a Vega-Lite spec with vega-embed in CSP-safe mode: `ast: true` with vega-interpreter, so
 * no expression is ever compiled with `Function()`; no actions menu and no injected styles.
 * Vega and vega-embed are imported lazily, so elements that never draw Vega never load it.
 */
export async function mountVega(container: HTMLElement, spec: VlSpec, opts: VegaMountOptions = {}): Promise<View> {
  const [{ default: embed }, { expressionInterpreter }] = await Promise.all([
    import('vega-embed'),
    import('vega-interpreter'),
  ]);
  const renderer = opts.renderer ?? ((opts.marks ?? 0) > (opts.canvasAbove ?? 1000) ? 'canvas' : 'svg');
  const res = await embed(container, spec as never, {
    mode: 'vega-lite',
    renderer,
    actions: false,
    ast: true,
    expr: expressionInterpreter,
    defaultStyle: false,
    config: (opts.config ?? {}) as never,
    tooltip: opts.tooltip
      ? (handler: unknown, event: MouseEvent, item: unknown, value: unknown) => opts.tooltip!(event, item, value)
      : false,
    logLevel: 0,
  } as never);
  return res.view as View;
}
