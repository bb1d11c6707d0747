/**
 * RFM segment selections. Other widgets cannot filter on a segment (it is computed, not a column):
 * they filter on its members, `customer_id in [...]`, listed by the RFM widget's members request
 * under the filters it has now. The members are listed before the selection is set (the others
 * re-query once, already filtered), and listed again when the RFM widget's filters change.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isGroupField, membersClause, segmentIds } from '../../src/dashboard/segments.js';
import type { DashboardSpec, WidgetSpec } from '../../src/dashboard/spec.js';
import type { Engine } from '../../src/engine/engine-types.js';
import type { FilterClause, QueryRequest } from '../../src/engine/types.js';
import { FinErrorEvent } from '../base/events.js';
import type { FinElement } from '../base/fin-element.js';
import type { Selection, SelectionController } from './selection.js';
import { widgetElement } from './widget-cells.js';

/** What the segment controller reads from its dashboard. */
export interface SegmentHost extends ReactiveControllerHost, EventTarget {
  readonly spec: DashboardSpec | null;
  readonly activeEngine: Engine | null;
  readonly isReady: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class SegmentController implements ReactiveController {
  /** Per widget, the latest segment resolution started (an older answer is dropped). */
  private seq = new Map<string, number>();
  /** What the last update saw: readiness, filter state, spec. */
  private seen: { ready: boolean; revision: number; spec: DashboardSpec | null } = { ready: false, revision: -1, spec: null };

  constructor(
    private readonly host: SegmentHost,
    private readonly selection: SelectionController,
    private readonly sourceOf: (widgetId: string) => string | undefined,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    // The RFM widget's filters may have changed (readiness, filters, selections, drill paths, spec).
    const seen = { ready: this.host.isReady, revision: this.selection.revision, spec: this.host.spec };
    const changed = seen.ready !== this.seen.ready || seen.revision !== this.seen.revision || seen.spec !== this.seen.spec;
    this.seen = seen;
    if (changed) this.refresh();
  }

  /** A segment answer still on its way for this widget (or every widget) is stale from now on. */
  stale(widgetId?: string): void {
    for (const id of widgetId ? [widgetId] : [...this.seq.keys()]) this.seq.set(id, (this.seq.get(id) ?? 0) + 1);
  }

  /**
   * Select segments of widget `w`: its members are asked for first, so that the other widgets
   * re-query once, already filtered on them.
   */
  async select(w: WidgetSpec, clause: FilterClause, label: string, from = this.sourceOf(w.id)): Promise<void> {
    const seq = this.seq.get(w.id) ?? 0;
    const answer = await this.resolve(w, clause);
    // Changed meanwhile (another selection, or the widget left the spec).
    if (this.seq.get(w.id) !== seq || !this.host.spec?.widgets.some((x) => x.id === w.id)) return;
    const sel: Selection = { clause, label, applied: answer?.applied ?? null, sig: answer?.sig ?? '' };
    if (from) sel.from = from;
    this.selection.setSelections(new Map(this.selection.selections).set(w.id, sel));
  }

  /**
   * Segment selections whose members are missing (restored from the URL) or were listed under other
   * filters than the RFM widget has now (a date range, another widget's selection): list them again.
   */
  private refresh(): void {
    const spec = this.host.spec;
    if (!spec || !this.host.isReady) return;
    for (const [id, s] of this.selection.selections) {
      if (!isGroupField(s.clause.field)) continue;
      const w = spec.widgets.find((x) => x.id === id);
      const req = w ? this.membersRequest(w, s.clause) : null;
      if (!w || !req || s.sig === JSON.stringify(req)) continue;
      this.stale(id);
      void this.select(w, s.clause, s.label, s.from);
    }
  }

  /**
   * The members of the segments `clause` selects in widget `w`, as the clause other widgets apply,
   * and the signature of the request that produced them (null when the widget cannot list them).
   * A failure is reported as `fin-error`; the selection then filters nothing.
   */
  private async resolve(w: WidgetSpec, clause: FilterClause): Promise<{ applied: FilterClause | null; sig: string } | null> {
    const req = this.membersRequest(w, clause);
    const engine = this.host.activeEngine;
    if (!req || !engine) return null;
    const sig = JSON.stringify(req);
    try {
      return { applied: membersClause(await engine.query(req)), sig };
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown };
      this.host.dispatchEvent(
        new FinErrorEvent({
          code: typeof err?.code === 'string' ? err.code : 'selection_failed',
          message: `RFM segment selection of widget "${w.id}" could not be resolved: ${typeof err?.message === 'string' ? err.message : String(e)}`,
          details: { widget: w.id, clause },
        }),
      );
      return { applied: null, sig };
    }
  }

  /** The members request of widget `w` for the segments `clause` selects (null when it lists none). */
  private membersRequest(w: WidgetSpec, clause: FilterClause): QueryRequest | null {
    const el = widgetElement(this.host.renderRoot, w) as
      | (FinElement & { membersRequest?: (s: Array<string | number>) => QueryRequest })
      | null;
    const ids = segmentIds(clause);
    return el && typeof el.membersRequest === 'function' && ids.length ? el.membersRequest(ids) : null;
  }
}
