import type { FilterClause } from '../../src/engine/types.js';

/** Detail of `fin-select`: the filter clause a selection stands for (null = cleared). */
export interface FinSelectDetail {
  /** The clause others should apply, or null when the selection was cleared. */
  clause: FilterClause | null;
  /** Id of the emitting widget (its `widget-id`, id attribute or tag). */
  source: string;
  /** Link group, when the element belongs to one. */
  group: string | null;
  /** Human label of what was selected (masked as displayed). */
  label: string;
}

export interface FinErrorDetail {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface FinQualityDetail {
  rows: number;
  used: number;
  excluded: Record<string, number>;
  warnings: Array<{ 'zh-CN': string; 'en-US': string }>;
}

/** Detail of `fin-render`: the state now on screen and how long it took. */
export interface FinRenderDetail {
  /** `ok`, `partial`, `empty` or `error`: the settled state, drawn. */
  state: 'ok' | 'partial' | 'empty' | 'error';
  /** Milliseconds from the start of the query (or of taking a `.result`) to the paint. */
  ms: number;
}

export interface FinDrilldownDetail {
  /** The level drilled into (field name) and the value chosen at the previous level. */
  field: string;
  value: string | number | boolean | null;
  /** Breadcrumb after the drill (outermost first). */
  path: Array<{ field: string; value: string | number | boolean | null }>;
  source: string;
}

/** Detail of `fin-filters` (from `<fin-filter-bar>`): the clauses of the filter that changed. */
export interface FinFiltersDetail {
  /** The filter's id in the dashboard spec. */
  id: string;
  /** Its clauses now ([] = cleared). */
  clauses: FilterClause[];
}

/** Fired when a user selects marks (stage, cell, segment, node) or clears the selection. */
export class FinSelectEvent extends CustomEvent<FinSelectDetail> {
  constructor(detail: FinSelectDetail) {
    super('fin-select', { detail, bubbles: true, composed: true });
  }
}
/** Fired when loading or computing fails; the element shows its error state. */
export class FinErrorEvent extends CustomEvent<FinErrorDetail> {
  constructor(detail: FinErrorDetail) {
    super('fin-error', { detail, bubbles: true, composed: true });
  }
}
/** Fired when a result excluded rows or carries warnings (partial-data state). */
export class FinQualityEvent extends CustomEvent<FinQualityDetail> {
  constructor(detail: FinQualityDetail) {
    super('fin-quality', { detail, bubbles: true, composed: true });
  }
}
/**
 * Fired once per settled answer, when it is on screen: the chart painted (Vega view run and its
 * SVG/canvas in the DOM, d3 and template views rendered), or the empty or error state shown.
 */
export class FinRenderEvent extends CustomEvent<FinRenderDetail> {
  constructor(detail: FinRenderDetail) {
    super('fin-render', { detail, bubbles: true, composed: true });
  }
}
/** Fired when a user drills down (or back up) a declared drill path. */
export class FinDrilldownEvent extends CustomEvent<FinDrilldownDetail> {
  constructor(detail: FinDrilldownDetail) {
    super('fin-drilldown', { detail, bubbles: true, composed: true });
  }
}

/** Fired by `<fin-filter-bar>` when a filter changes. */
export class FinFiltersEvent extends CustomEvent<FinFiltersDetail> {
  constructor(detail: FinFiltersDetail) {
    super('fin-filters', { detail, bubbles: true, composed: true });
  }
}

/**
 * Events every analytic element (`FinElement` subclass) fires. Each element entry
 * (`components/<name>/define.ts`) declares these in `HTMLElementEventMap` and
 * `GlobalEventHandlersEventMap`, so importing one entry is enough for typed listeners.
 */
export interface FinElementEventMap {
  'fin-select': FinSelectEvent;
  'fin-error': FinErrorEvent;
  'fin-quality': FinQualityEvent;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fin-select': FinSelectEvent;
    'fin-error': FinErrorEvent;
    'fin-quality': FinQualityEvent;
    'fin-drilldown': FinDrilldownEvent;
    'fin-filters': FinFiltersEvent;
    'fin-render': FinRenderEvent;
  }
}
