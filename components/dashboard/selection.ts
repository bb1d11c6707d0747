/**
 * The filter state of a dashboard: global filters (the filter bar), cross-filter selections (one
 * per widget) and drill paths, and the clauses each widget gets from them (crossfilter: global
 * filters, every other widget's selection where it applies, its own drill path).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { selectionApplies } from '../../src/dashboard/scope.js';
import type { DatasetColumns } from '../../src/dashboard/scope.js';
import { isGroupField } from '../../src/dashboard/segments.js';
import { presetRange } from '../../src/dashboard/spec.js';
import type { DashboardSpec, DatePreset, WidgetSpec } from '../../src/dashboard/spec.js';
import type { FilterClause } from '../../src/engine/types.js';
import { FinDrilldownEvent } from '../base/events.js';
import type { FinSelectEvent } from '../base/events.js';

/** A widget's cross-filter selection. */
export interface Selection {
  clause: FilterClause;
  label: string;
  /** The dataset of the selecting widget (which widgets the clause applies to, scope.ts). */
  from?: string;
  /**
   * RFM segments: what the others apply instead, `customer_id in [members]` (null while unknown or
   * when listing them failed), and the signature of the members request it came from.
   */
  applied?: FilterClause | null;
  sig?: string;
}

/** The values chosen at each drill level of a widget so far. */
export type DrillPath = Array<{ field: string; value: string | number | boolean | null }>;

export interface SelectionOptions {
  /** The spec in use (which widget a `fin-select` comes from). */
  spec(): DashboardSpec | null;
  /** The dataset a widget's metric runs on (from its latest result). */
  sourceOf(widgetId: string): string | undefined;
  /** Column names of the loaded datasets (null before a load). */
  columns(): DatasetColumns | null;
  /** RFM segments of widget `w` were selected: their members are listed first (segment-members.ts). */
  selectSegment(w: WidgetSpec, clause: FilterClause, label: string): void;
  /** The segment answer on its way for a widget (or every widget) is stale. */
  staleSegment(widgetId?: string): void;
}

export class SelectionController implements ReactiveController {
  /** Global filter clauses by filter id (from the filter bar). */
  private globalBy = new Map<string, FilterClause[]>();
  /** Selections by widget id. */
  private selectionBy = new Map<string, Selection>();
  /** Drill paths by widget id. */
  private drillBy = new Map<string, DrillPath>();
  /** Counts changes of the global filters and drill paths (they change the widgets' base requests). */
  baseRevision = 0;
  /** Counts changes of the selections. */
  selectionRevision = 0;

  private readonly onSelect = (e: Event): void => this.handleSelect(e as FinSelectEvent);

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    private readonly opts: SelectionOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('fin-select', this.onSelect);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('fin-select', this.onSelect);
  }

  /** A widget selected (or cleared): a drill step, an RFM segment, or a cross-filter selection. */
  private handleSelect(e: FinSelectEvent): void {
    const d = e.detail;
    const w = this.opts.spec()?.widgets.find((x) => x.id === d.source);
    if (!w || this.drillDown(w, d.clause) || w.crossfilter === false) return;
    this.opts.staleSegment(w.id);
    if (d.clause && isGroupField(d.clause.field)) this.opts.selectSegment(w, d.clause, d.label);
    else this.select(w.id, d.clause, d.label, this.opts.sourceOf(w.id));
  }

  get global(): ReadonlyMap<string, FilterClause[]> {
    return this.globalBy;
  }

  get selections(): ReadonlyMap<string, Selection> {
    return this.selectionBy;
  }

  /** A widget's drill path (empty at the top level). */
  drillPath(widgetId: string): DrillPath {
    return this.drillBy.get(widgetId) ?? [];
  }

  /** Counts every change (filters, drill paths, selections). */
  get revision(): number {
    return this.baseRevision + this.selectionRevision;
  }

  setGlobal(next: Map<string, FilterClause[]>): void {
    this.globalBy = next;
    this.baseRevision++;
    this.host.requestUpdate();
  }

  setSelections(next: Map<string, Selection>): void {
    this.selectionBy = next;
    this.selectionRevision++;
    this.host.requestUpdate();
  }

  private setDrills(next: Map<string, DrillPath>): void {
    this.drillBy = next;
    this.baseRevision++;
    this.host.requestUpdate();
  }

  /** Global filters + other widgets' selections + this widget's drill path (crossfilter). */
  filtersFor(widgetId: string): FilterClause[] {
    const out: FilterClause[] = [];
    for (const c of this.globalBy.values()) out.push(...c);
    const to = this.opts.sourceOf(widgetId);
    const columns = this.opts.columns();
    for (const [id, s] of this.selectionBy) {
      if (id === widgetId) continue;
      // An RFM segment filters as its members (`customer_id in [...]`), once they are known.
      // An RFM segment or a cluster filters as its members (`customer_id in [...]`), once they are known.
      const c = isGroupField(s.clause.field) ? s.applied : s.clause;
      // A selection applies where its field is the same column (an action's channel is not a loan's).
      if (c && selectionApplies(columns, s.from, to, c.field)) out.push(c);
    }
    for (const step of this.drillBy.get(widgetId) ?? []) out.push({ field: step.field, op: 'eq', value: step.value });
    return out;
  }

  /** The clauses other widgets receive from selections (what a widget request carries besides its own). */
  sentClauses(): Set<FilterClause> {
    const sent = new Set<FilterClause>();
    for (const s of this.selectionBy.values()) sent.add(s.applied ?? s.clause);
    return sent;
  }

  /** One filter of the filter bar changed. */
  setFilter(id: string, clauses: FilterClause[]): void {
    this.setGlobal(new Map(this.globalBy).set(id, clauses));
  }

  /**
   * The spec's default date ranges, ending at `lastDate`; filters already set (from the URL) are
   * kept unless `reset` (the spec's filters changed: every filter starts from its default).
   */
  applyDefaults(spec: DashboardSpec, lastDate: string, reset = false): void {
    const next = reset ? new Map<string, FilterClause[]>() : new Map(this.globalBy);
    for (const f of spec.filters ?? []) {
      if (f.type === 'date-range' && f.default && f.default !== 'all' && !next.has(f.id) && lastDate)
        next.set(f.id, dateClauses(f.fields, f.default, lastDate));
    }
    this.setGlobal(next);
  }

  /** Set (clause) or clear (null) the selection of widget `widgetId`. */
  private select(widgetId: string, clause: FilterClause | null, label: string, from: string | undefined): void {
    const next = new Map(this.selectionBy);
    if (clause) next.set(widgetId, from ? { clause, label, from } : { clause, label });
    else next.delete(widgetId);
    this.setSelections(next);
  }

  /**
   * A selection in a drillable widget on its current level's field: one level down (and
   * `fin-drilldown`). False when the selection is not a drill step.
   */
  private drillDown(w: WidgetSpec, clause: FilterClause | null): boolean {
    if (!w.drill || !clause || clause.op !== 'eq') return false;
    const path = this.drillPath(w.id);
    const level = path.length;
    if (level >= w.drill.levels.length - 1 || clause.field !== w.drill.levels[level]!.field) return false;
    const next = new Map(this.drillBy);
    const to = [...path, { field: clause.field, value: clause.value }];
    next.set(w.id, to);
    this.setDrills(next);
    this.host.dispatchEvent(
      new FinDrilldownEvent({ field: w.drill.levels[level + 1]!.field, value: clause.value, path: to, source: w.id }),
    );
    return true;
  }

  /** Walk a widget's drill path back to `level` (0 = top). */
  drillTo(widgetId: string, level: number): void {
    const next = new Map(this.drillBy);
    next.set(widgetId, this.drillPath(widgetId).slice(0, level));
    this.setDrills(next);
  }

  /** Clear one widget's selection, or all. */
  clear(widgetId?: string): void {
    this.opts.staleSegment(widgetId);
    if (!widgetId) this.setSelections(new Map());
    else {
      const next = new Map(this.selectionBy);
      next.delete(widgetId);
      this.setSelections(next);
    }
  }

  /**
   * A new spec on the same data: forget the selections of widgets it no longer has (or that no
   * longer cross-filter) and the drill paths of widgets whose drill levels changed.
   */
  prune(prev: DashboardSpec, spec: DashboardSpec): void {
    const byId = new Map(spec.widgets.map((w) => [w.id, w]));
    const before = new Map(prev.widgets.map((w) => [w.id, w]));
    const gone = [...this.selectionBy.keys()].filter((id) => !byId.has(id) || byId.get(id)!.crossfilter === false);
    if (gone.length) {
      const next = new Map(this.selectionBy);
      for (const id of gone) {
        this.opts.staleSegment(id);
        next.delete(id);
      }
      this.setSelections(next);
    }
    const stale = [...this.drillBy.keys()].filter(
      (id) => JSON.stringify(byId.get(id)?.drill) !== JSON.stringify(before.get(id)?.drill) || !byId.has(id),
    );
    if (stale.length) {
      const next = new Map(this.drillBy);
      for (const id of stale) next.delete(id);
      this.setDrills(next);
    }
  }
}

/** The clauses of a date preset on each of `fields`, ending at `lastDate`; none for all time. */
export function dateClauses(fields: string[], preset: DatePreset, lastDate: string): FilterClause[] {
  const range = presetRange(preset, lastDate || new Date().toISOString().slice(0, 10));
  if (range[0] === null && range[1] === null) return [];
  return fields.map((field) => ({ field, op: 'range' as const, value: range }));
}
