/**
 * The data of a dashboard: validates the spec, creates (and disposes) its own engine when the host
 * gives none, loads the spec's sample and sources and the host's `data`, and learns what the widgets
 * need from the loaded data (latest date for the date presets, columns for selection scope, load
 * reports). A new spec with the id and data sources of the loaded one is applied without loading again:
 * an editor that assigns a spec on every keystroke re-lays the dashboard out, it does not reload it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DataQualityReport } from '../../src/data/quality.js';
import type { DatasetColumns } from '../../src/dashboard/scope.js';
import { validateSpec } from '../../src/dashboard/spec.js';
import type { DashboardSpec, SpecIssue } from '../../src/dashboard/spec.js';
import type { Engine } from '../../src/engine/engine-types.js';
import { FinErrorEvent } from '../base/events.js';
import { sessionWatermark } from '../base/watermark.js';
import { rejectingReports } from './load-report.js';

/** What the loader reads from its dashboard. */
export interface LoadHost extends ReactiveControllerHost, EventTarget {
  readonly spec: DashboardSpec | null;
  readonly data: Record<string, unknown> | null;
  readonly engine: Engine | null;
  readonly worker: Worker | (() => Worker) | string | URL | null;
}

/** The dashboard's part in a load. */
export interface LoadHooks {
  /** A load starts: forget what belonged to the previous one. */
  started(): void;
  /** The spec is valid and its data about to load: restore shared state (the URL hash). */
  restore(): void;
  /** Default filters: after a load (`reset` false), or for a new spec's changed filters (`reset` true). */
  defaults(spec: DashboardSpec, lastDate: string, reset: boolean): void;
  /** A new valid spec replaces `prev` on the data already loaded (or loading). */
  relaid(prev: DashboardSpec, spec: DashboardSpec): void;
}

/**
 * The part of a spec that decides a load: its data sources (engine, sample, sources) and its id (a
 * spec with another id is another dashboard, started from scratch). A change here reloads; any
 * other change (layout, widgets, filters, prepare) is applied on the loaded data.
 */
export function loadKey(spec: DashboardSpec): string | null {
  try {
    return JSON.stringify([spec.id, spec.engine ?? null, spec.sample ?? null, spec.sources ?? null]);
  } catch {
    return null; // not JSON (a hostile or broken spec): always load, validation will say why
  }
}

/** Latest date in the data (for date presets): the last month of the first date-range field found. */
async function latestDate(engine: Engine, spec: DashboardSpec): Promise<string> {
  const range = spec.filters?.find((f) => f.type === 'date-range');
  if (!range || range.type !== 'date-range') return '';
  const infos = await engine.datasetsInfo();
  for (const f of range.fields) {
    const ds = infos.find((d) => d.columns.includes(f));
    if (!ds) continue;
    const r = await engine.query({ metric: 'distinct', source: ds.name, params: { field: `${f}.month` } });
    const months = r.data.map((x) => String((x as { value: unknown }).value)).sort();
    if (months.length) return `${months[months.length - 1]!}-28`;
  }
  return '';
}

export class LoadController implements ReactiveController {
  private issueList: SpecIssue[] = [];
  private error: { code: string; message: string } | null = null;
  private reportList: DataQualityReport[] = [];
  private isReady = false;
  private latest = '';
  private columnsBy: DatasetColumns | null = null;
  private owned: Engine | null = null;
  private seq = 0;
  private refilterSeq = 0;
  /** Disconnected since the last load (reconnecting loads again). */
  private disconnected = false;
  /** The load key (loadKey) of the data loaded (or loading) into the current engine. */
  private loadedKey: string | null = null;
  /** The valid spec last applied on that data. */
  private applied: DashboardSpec | null = null;
  /** The data of `loadedKey` is in the engine (the load finished). */
  private loaded = false;
  /** Counts changes of readiness and of the load error. */
  statusRevision = 0;
  /** The watermark the engine's server gives the caller (known before the dashboard is ready). */
  private wm: string | null = null;

  constructor(
    private readonly host: LoadHost,
    private readonly hooks: LoadHooks,
  ) {
    host.addController(this);
  }

  /** Problems of the current spec (the dashboard shows them instead of the grid). */
  get issues(): readonly SpecIssue[] {
    return this.issueList;
  }
  /** Why the data failed to load, if it did. */
  get loadError(): { code: string; message: string } | null {
    return this.error;
  }
  /** Load reports of datasets that rejected rows. */
  get reports(): readonly DataQualityReport[] {
    return this.reportList;
  }
  /** Whether data is loaded and widgets can query. */
  get ready(): boolean {
    return this.isReady;
  }
  /** Latest date in the data, `YYYY-MM-DD` (date presets end there); '' when unknown. */
  get lastDate(): string {
    return this.latest;
  }
  /** Column names of the loaded datasets (null before a load). */
  get columns(): DatasetColumns | null {
    return this.columnsBy;
  }
  /** The watermark text of the engine's server session (null: none, or not a remote engine). */
  get watermark(): string | null {
    return this.wm;
  }
  /** The engine in use: the host's, else the one this dashboard created. */
  get engine(): Engine | null {
    return this.host.engine ?? this.owned;
  }

  hostConnected(): void {
    // Moved in the DOM (a framework re-parenting it): the disconnect disposed the engine, load again.
    if (!this.disconnected) return;
    this.disconnected = false;
    if (this.host.spec) void this.load();
  }

  hostDisconnected(): void {
    this.disconnected = true;
    this.seq++;
    this.loadedKey = null;
    this.loaded = false;
    this.owned?.dispose();
    this.owned = null;
  }

  /** The spec changed: apply it on the loaded data when its sources are the same, else load. */
  specChanged(): void {
    const spec = this.host.spec;
    const prev = this.applied;
    const key = spec ? loadKey(spec) : null;
    if (!spec || !prev || key === null || key !== this.loadedKey || this.error) {
      void this.load();
      return;
    }
    // An invalid spec shows its issues instead of the grid; the data stays loaded for the next one.
    if (!this.validate(spec)) {
      this.setStatus(false, null);
      return;
    }
    this.applied = spec;
    this.hooks.relaid(prev, spec);
    if (this.loaded && !this.isReady) this.setStatus(true, null);
    // New filters: each starts from its default (the latest date depends on their fields).
    if (this.isReady && JSON.stringify(prev.filters ?? []) !== JSON.stringify(spec.filters ?? [])) void this.refilter();
  }

  /** Load the spec's data (and the host's) into the engine, from scratch. */
  async load(): Promise<void> {
    const my = ++this.seq;
    this.hooks.started();
    this.columnsBy = null;
    this.loadedKey = null;
    this.loaded = false;
    this.applied = null;
    this.setStatus(false, null);
    const spec = this.host.spec;
    if (!spec || !this.validate(spec)) return;
    this.applied = spec;
    this.hooks.restore();
    this.loadedKey = loadKey(spec);
    try {
      let engine = this.host.engine;
      if (!engine) {
        this.owned?.dispose();
        engine = await this.createEngine(spec);
        this.owned = engine;
      }
      if (spec.sample) await (engine as Engine & { loadSample(o: object): Promise<unknown> }).loadSample(spec.sample);
      for (const s of spec.sources ?? []) {
        const input = s.url ? { url: s.url } : s.rows;
        await engine.load(s.name, input as never, s.fields ? { fields: s.fields } : {});
      }
      for (const [name, input] of Object.entries(this.host.data ?? {})) await engine.load(name, input as never);
      if (my !== this.seq) return;
      // The spec may have been edited (same sources) while the data loaded: the latest valid one counts.
      const now = this.applied ?? spec;
      this.latest = await latestDate(engine, now);
      if (my !== this.seq) return;
      const infos = await engine.datasetsInfo();
      // The watermark is known before any widget is ready to show data.
      const wm = await sessionWatermark(engine);
      if (my !== this.seq) return;
      this.wm = wm;
      this.columnsBy = new Map(infos.map((d) => [d.name, new Set(d.columns)]));
      this.reportList = rejectingReports(infos);
      this.hooks.defaults(now, this.latest, false);
      this.loaded = true;
      // Ready, unless the spec became invalid while the data loaded (ready again once it is fixed).
      this.setStatus(!this.issueList.length, null);
    } catch (e) {
      if (my !== this.seq) return;
      this.loadedKey = null;
      const err = e as { code?: string; message?: string };
      const error = { code: err.code ?? 'bad_input', message: err.message ?? String(e) };
      this.setStatus(false, error);
      this.host.dispatchEvent(new FinErrorEvent(error));
    }
  }

  private async createEngine(spec: DashboardSpec): Promise<Engine> {
    const { createEngine } = await import('../../src/engine/create.js');
    const placement = spec.engine?.placement ?? 'thread';
    if (placement === 'remote') return createEngine({ placement, url: spec.engine!.url! });
    if (placement !== 'worker') return createEngine();
    const url = spec.engine?.workerUrl ? new URL(spec.engine.workerUrl, document.baseURI) : undefined;
    return createEngine({ placement, worker: (this.host.worker as never) ?? url });
  }

  /** Validate a spec: its issues are shown, and reported as `fin-error` (bad_spec). */
  private validate(spec: DashboardSpec): boolean {
    const issues = validateSpec(spec);
    this.issueList = issues;
    this.host.requestUpdate();
    if (!issues.length) return true;
    this.host.dispatchEvent(
      new FinErrorEvent({
        code: 'bad_spec',
        message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
        details: { issues },
      }),
    );
    return false;
  }

  /** The filters of the spec changed on loaded data: the latest date again, then their defaults. */
  private async refilter(): Promise<void> {
    const my = this.seq;
    const mine = ++this.refilterSeq;
    const spec = this.applied;
    const engine = this.engine;
    if (!spec || !engine) return;
    let last = '';
    try {
      last = await latestDate(engine, spec);
    } catch {
      // No latest date: presets end today, as for data without dates.
    }
    if (my !== this.seq || mine !== this.refilterSeq) return;
    this.latest = last;
    this.host.requestUpdate();
    this.hooks.defaults(this.applied ?? spec, last, true);
  }

  private setStatus(ready: boolean, error: { code: string; message: string } | null): void {
    if (ready !== this.isReady || error !== this.error) this.statusRevision++;
    this.isReady = ready;
    this.error = error;
    this.host.requestUpdate();
  }
}
