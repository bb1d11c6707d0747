/** The RFM view model: segments in scheme order with localised labels and shares, the 5 × 5 R × F grid, cn8 thresholds. */
import type { Locale } from '../../format/number.js';
import { CN8_IDS, RF10_IDS } from './segments.js';
import type { RfmScheme, RfmDisplay, RfmResultLike } from './segments.js';

export interface RfmSegment {
  id: string;
  /** Localised label (the row's `label`, else the id). */
  label: string;
  /** Position in the scheme's order. */
  index: number;
  customers: number;
  /** customers / scored customers. */
  share: number | null;
  /** Σ M of the segment. */
  monetary: number;
  /** Σ M / Σ M of all segments. */
  monetaryShare: number | null;
  meanR: number | null;
  meanF: number | null;
  meanM: number | null;
  meanRecencyDays: number | null;
  meanFrequency: number | null;
  meanMonetary: number | null;
}

export interface RfmGridCell {
  /** R score 1–5. */
  r: number;
  /** F score 1–5. */
  f: number;
  customers: number;
}

export interface RfmModel {
  scheme: RfmScheme;
  locale: Locale;
  segments: RfmSegment[];
  /** Scored customers (meta.scored, else Σ customers). */
  scored: number;
  /** Customers not scored (no transaction in the window), when known. */
  unscored: number | null;
  totalMonetary: number;
  /** The 25 cells, r-major (r = 1..5, f = 1..5); null when the result carries no grid. */
  grid: RfmGridCell[] | null;
  /** cn8 high/low thresholds (mean scores, or the fixed threshold). */
  thresholds: { R: number; F: number; M: number } | null;
  /**
   * The cn8 高/低 rule (meta.thresholdMode): `score4` (default, score ≥ 4), `mean-score`,
   * `mean-value` (thresholds are raw means) or `fixed`; null when the result does not say.
   */
  thresholdMode: 'score4' | 'mean-score' | 'mean-value' | 'fixed' | null;
  asOf: string | null;
  windowDays: number | null;
  /** `sum` (default) or `mean` monetary. */
  monetaryMode: 'sum' | 'mean';
}

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function labelOf(v: unknown, id: string, locale: Locale): string {
  if (typeof v === 'string' && v) return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const s = o[locale] ?? o['en-US'] ?? o['zh-CN'];
    if (typeof s === 'string' && s) return s;
  }
  return id;
}

/**
 * The scheme of a result: `basis.options.scheme` when the segment ids agree with it, else inferred
 * from the ids (a hand-made result may carry a stale option; colours and the grid depend on it).
 */
export function schemeOf(r: RfmResultLike): RfmScheme {
  const ids = r.data.map((d) => d['segment']);
  const all = (set: readonly unknown[]): boolean => ids.length > 0 && ids.every((id) => set.includes(id));
  const s = r.basis?.options?.['scheme'];
  if (s === 'custom') return 'custom';
  if (s === 'cn8' && (ids.length === 0 || all(CN8_IDS))) return 'cn8';
  if (s === 'rf10' && (ids.length === 0 || all(RF10_IDS))) return 'rf10';
  if (all(CN8_IDS)) return 'cn8';
  if (all(RF10_IDS)) return 'rf10';
  return 'custom';
}

/**
 * Normalise an `rfm` result. Rows keep the engine's (scheme) order. Throws when a row has no
 * `segment` id or no numeric `customers` (the element shows that as its error state).
 */
export function rfmModel(r: RfmResultLike, locale: Locale): RfmModel {
  const meta = r.meta ?? {};
  const opts = r.basis?.options ?? {};
  const rows = r.data;
  let sumCustomers = 0;
  let totalMonetary = 0;
  for (const row of rows) {
    const id = row['segment'];
    const n = num(row['customers']);
    if (typeof id !== 'string' || id === '')
      throw new Error(`An rfm row has no "segment" (row keys: ${Object.keys(row).join(', ')})`);
    if (n === null) throw new Error(`The rfm row "${id}" has no numeric "customers"`);
    sumCustomers += n;
    totalMonetary += num(row['monetary']) ?? 0;
  }
  const scored = num(meta['scored']) ?? sumCustomers;
  const seen = new Map<string, number>();
  const segments: RfmSegment[] = rows.map((row, index) => {
    const id = row['segment'] as string;
    const customers = num(row['customers'])!;
    const monetary = num(row['monetary']) ?? 0;
    let label = labelOf(row['label'], id, locale);
    // Labels are the y domain of the bars: keep them one-to-one.
    const c = seen.get(label) ?? 0;
    seen.set(label, c + 1);
    if (c > 0) label = `${label} (${c + 1})`;
    const share = num(row['share']);
    return {
      id,
      label,
      index,
      customers,
      share: share ?? (scored > 0 ? customers / scored : null),
      monetary,
      monetaryShare: totalMonetary !== 0 ? monetary / totalMonetary : null,
      meanR: num(row['meanR']),
      meanF: num(row['meanF']),
      meanM: num(row['meanM']),
      meanRecencyDays: num(row['meanRecencyDays']),
      meanFrequency: num(row['meanFrequency']),
      meanMonetary: num(row['meanMonetary']),
    };
  });

  let grid: RfmGridCell[] | null = null;
  const g = meta['grid'];
  if (Array.isArray(g) && g.length) {
    const counts = new Map<number, number>();
    for (const cell of g as Array<Record<string, unknown>>) {
      const rr = num(cell?.['r']);
      const ff = num(cell?.['f']);
      const n = num(cell?.['customers']);
      if (rr !== null && ff !== null && rr >= 1 && rr <= 5 && ff >= 1 && ff <= 5)
        counts.set(rr * 10 + ff, n ?? 0);
    }
    if (counts.size) {
      grid = [];
      for (let rr = 1; rr <= 5; rr++)
        for (let ff = 1; ff <= 5; ff++) grid.push({ r: rr, f: ff, customers: counts.get(rr * 10 + ff) ?? 0 });
    }
  }
  const th = meta['thresholds'] as Record<string, unknown> | undefined;
  const thresholds =
    th && num(th['R']) !== null && num(th['F']) !== null
      ? { R: num(th['R'])!, F: num(th['F'])!, M: num(th['M']) ?? 3 }
      : null;
  const asOfRaw = meta['asOf'] ?? opts['asOf'];
  const excluded = num(meta['excluded']);
  return {
    scheme: schemeOf(r),
    locale,
    segments,
    scored,
    unscored: excluded,
    totalMonetary,
    grid,
    thresholds,
    thresholdMode: ['score4', 'mean-score', 'mean-value', 'fixed'].includes(meta['thresholdMode'] as string)
      ? (meta['thresholdMode'] as RfmModel['thresholdMode'])
      : null,
    asOf: typeof asOfRaw === 'string' ? asOfRaw : null,
    windowDays: num(meta['windowDays'] ?? opts['windowDays']),
    monetaryMode: opts['monetary'] === 'mean' ? 'mean' : 'sum',
  };
}

/** Approximate number of marks of a view (renderer choice). */
export function markCount(model: RfmModel, display: RfmDisplay): number {
  return display === 'grid' ? 60 : model.segments.length * 4;
}

/** The message key of the cn8 high/low note for the rule in use (older results: the mean scores). */
export function thresholdNoteKey(model: Pick<RfmModel, 'thresholdMode'>): string {
  switch (model.thresholdMode) {
    case 'score4':
      return 'thresholdNoteScore4';
    case 'mean-value':
      return 'thresholdNoteMeanValue';
    case 'fixed':
      return 'thresholdNoteFixed';
    default:
      return 'thresholdNote';
  }
}
