/**
 * `hash-state`: the dashboard's global filters and selections in `location.hash` (`#fin=…`), so a
 * view can be shared. Segment members are never written (they are listed again on load); a
 * malformed or hostile hash is ignored clause by clause.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FilterClause } from '../../src/engine/types.js';
import type { Selection, SelectionController } from './selection.js';

const okClause = (c: unknown): c is FilterClause =>
  !!c &&
  typeof c === 'object' &&
  typeof (c as FilterClause).field === 'string' &&
  ['eq', 'in', 'range'].includes((c as FilterClause).op);

/** What the hash controller reads from its dashboard. */
export interface HashHost extends ReactiveControllerHost {
  readonly hashState: boolean;
  readonly isReady: boolean;
}

export class HashStateController implements ReactiveController {
  /** The filter state (and readiness) last written. */
  private seen = '';

  constructor(
    private readonly host: HashHost,
    private readonly selection: SelectionController,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    // Once loaded, every change of the filters or selections is written (the URL follows the view).
    const seen = `${this.host.isReady}:${this.selection.revision}`;
    if (seen === this.seen) return;
    this.seen = seen;
    if (this.host.hashState && this.host.isReady) this.write();
  }

  /** Write the current filters and selections to the hash (replacing the history entry). */
  write(): void {
    const state = {
      g: Object.fromEntries(this.selection.global),
      // Members of a segment are listed again on load, never carried in the URL.
      s: Object.fromEntries(
        [...this.selection.selections].map(([k, v]) => [k, { clause: v.clause, label: v.label, ...(v.from ? { from: v.from } : {}) }]),
      ),
    };
    const h = `#fin=${encodeURIComponent(JSON.stringify(state))}`;
    if (location.hash !== h) history.replaceState(null, '', h);
  }

  /** Restore filters and selections from the hash, when it carries them. */
  read(): void {
    const m = /#fin=([^&]+)/.exec(location.hash);
    if (!m) return;
    try {
      const st = JSON.parse(decodeURIComponent(m[1]!)) as {
        g?: Record<string, FilterClause[]>;
        s?: Record<string, { clause: FilterClause; label: string; from?: unknown }>;
      };
      this.selection.setGlobal(new Map(Object.entries(st.g ?? {}).filter(([, v]) => Array.isArray(v) && v.every(okClause))));
      this.selection.setSelections(
        new Map(
          Object.entries(st.s ?? {})
            .filter(([, v]) => v && okClause(v.clause))
            .map(([k, v]): [string, Selection] => [
              k,
              { clause: v.clause, label: String(v.label ?? ''), ...(typeof v.from === 'string' ? { from: v.from } : {}) },
            ]),
        ),
      );
    } catch {
      // A malformed hash is ignored: the dashboard starts from its defaults.
    }
  }
}
