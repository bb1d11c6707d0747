/**
 * The JSON protocol of the engine: requests and results are plain, serialisable data so the same
 * request runs in-thread, in a worker or on a server unchanged.
 */

/** A declarative filter clause; never code. */
export type FilterClause =
  | { field: string; op: 'eq'; value: string | number | boolean | null }
  | { field: string; op: 'in'; value: Array<string | number | boolean | null> }
  /**
   * Inclusive range `[min, max]`; either end may be null (open). Date fields take `YYYY-MM-DD`
   * strings or epoch ms; a `YYYY-MM` string means the whole month.
   */
  | { field: string; op: 'range'; value: [string | number | null, string | number | null] };

/** A localised text: every user-visible string of a basis comes in both locales. */
export interface LocalText {
  'zh-CN': string;
  'en-US': string;
}

/** The 口径 of a result: how it was computed, so that numbers can be disputed on facts. */
export interface Basis {
  /** Metric id, e.g. `vintage`. */
  metric: string;
  /** The dataset the metric ran on (set by the engine), e.g. `loan_months`. */
  source?: string;
  /** Human title. */
  title: LocalText;
  /** Formula in words, e.g. `Σ outstanding(dpd > 30 at MOB k) / Σ principal issued in c`. */
  formula: LocalText;
  numerator?: LocalText;
  denominator?: LocalText;
  /** `count` or `amount` basis where the metric has both. */
  measure?: 'count' | 'amount' | string;
  /** As-of date `YYYY-MM-DD` (or month `YYYY-MM`) of the result. */
  asOf?: string | null;
  /** `ever` / `current` where the metric distinguishes them. */
  variant?: string;
  /** Options actually used, defaults filled in. */
  options: Record<string, unknown>;
  /** Filter clauses applied. */
  filters: FilterClause[];
  /** What was excluded from the computation and why, in words. */
  exclusions: LocalText[];
  /** Choices the definition left open and what we chose. */
  notes?: LocalText[];
}

/** Counts of what was excluded or coerced, and why. */
export interface ResultQuality {
  /** Rows considered (after filters). */
  rows: number;
  /** Rows used in the result. */
  used: number;
  /** Excluded rows by reason id (e.g. `missing_dpd`: 3). */
  excluded: Record<string, number>;
  /** Warnings to show (partial-data state), localised. */
  warnings: LocalText[];
  /** Rows the source dataset's load rejected, by reason (present when any were; load-quality.ts). */
  load?: { dataset: string; rowsRead: number; rowsKept: number; rejected: Record<string, number> };
}

export interface MetricResult<Row = Record<string, unknown>> {
  /** Plain JSON rows. */
  data: Row[];
  basis: Basis;
  quality: ResultQuality;
  /** Extra structured output some metrics provide (e.g. matrix dimensions, series keys). */
  meta?: Record<string, unknown>;
  /** When `data` is empty: why (localised). */
  empty?: LocalText;
}

export interface QueryRequest {
  metric: string;
  /** Dataset the metric reads first; each metric has a default. */
  source?: string;
  params?: Record<string, unknown>;
  filters?: FilterClause[];
}
