/**
 * What the composer asks the host's engine for, besides previews: the loaded datasets (names and
 * columns, for the source and field pickers and for field validation) and a few sample values of
 * each multi-select filter's field (`distinct`). Latest wins; a failed request leaves nothing to
 * show (the validation panel says why).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DatasetColumns } from '../../src/dashboard/scope.js';
import type { FilterSpec } from '../../src/dashboard/spec.js';
import type { DatasetInfo, Engine } from '../../src/engine/engine-types.js';

export class EngineData implements ReactiveController {
  /** The engine's datasets (replaced, never mutated: usable as a `guard` dependency). */
  datasets: DatasetInfo[] = [];
  /** Column names per dataset, for validation (null before the engine answered). */
  columns: DatasetColumns | null = null;
  /** Filter id → a few distinct values of its field (replaced when a value list arrives). */
  filterValues = new Map<string, string[]>();
  private seq = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  async loadDatasets(engine: Engine | null): Promise<void> {
    const seq = ++this.seq;
    let info: DatasetInfo[] | null;
    try {
      info = engine ? await engine.datasetsInfo() : null;
    } catch {
      info = null;
    }
    if (seq !== this.seq) return;
    this.datasets = info ?? [];
    this.columns = info ? new Map(info.map((d) => [d.name, new Set(d.columns)])) : null;
    this.host.requestUpdate();
  }

  /** Forget the sample values (the filters changed). */
  resetValues(): void {
    this.filterValues = new Map();
  }

  /** Load the sample values of the multi-select filters that have none yet. */
  async loadFilterValues(engine: Engine | null, filters: FilterSpec[]): Promise<void> {
    if (!engine) return;
    for (const f of filters) {
      if (f.type !== 'multi' || this.filterValues.has(f.id)) continue;
      this.filterValues.set(f.id, []);
      try {
        const r = await engine.query({ metric: 'distinct', source: f.source, params: { field: f.field, limit: 8 } });
        const values = (r.data as Array<Record<string, unknown>>).map((row) => String(row['value'] ?? '')).slice(0, 8);
        this.filterValues = new Map(this.filterValues).set(f.id, values);
        this.host.requestUpdate();
      } catch {
        // No values to show (unknown field or dataset): the validation panel says why.
      }
    }
  }
}
