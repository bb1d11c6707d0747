/** The cohort view model: a dense cohort × period grid (censored cells null) from a retention or vintage result. */
import { formatPeriod } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import { sizeText } from './labels.js';

/** Minimal shape of a metric result read here (the engine's `MetricResult`). */
export interface CohortResultLike {
  data: Array<Record<string, unknown>>;
  basis: { metric?: string; measure?: string; options?: Record<string, unknown> };
  meta?: Record<string, unknown>;
}

export type CohortKind = 'retention' | 'vintage';
export type CohortUnit = 'week' | 'month' | 'quarter';

/** One row of the grid: a cohort (or vintage) and its cells p = 0..periods−1. */
export interface CohortRowModel {
  /** Cohort key as the engine gives it: `YYYY-MM`, week Monday `YYYY-MM-DD` or `YYYY-Qn`. */
  key: string;
  /** Localised label: 2023年6月 / Jun 2023. */
  label: string;
  /** Cohort size: entities (retention), principal or loans (vintage); null when unknown. */
  size: number | null;
  /** Localised, compact size text. */
  sizeText: string;
  /** Value per period index; null = right-censored (or undefined), drawn blank. */
  values: Array<number | null>;
  /** Numerator per period (active entities, Σ amount, or bad outstanding / loans); null when censored. */
  counts: Array<number | null>;
}

export interface CohortModel {
  kind: CohortKind;
  unit: CohortUnit;
  /** `ratio` values are fractions shown as percentages; `count` values are entity counts. */
  valueKind: 'ratio' | 'count';
  /** What the size column holds. */
  sizeKind: 'customers' | 'principal' | 'loans';
  /** Vintage measure (`amount` / `count`), retention value (`retention` / `count` / `amount`). */
  measure: string;
  rows: CohortRowModel[];
  /** Number of period columns (max period + 1). */
  periods: number;
  locale: Locale;
}

/** Which row keys a result uses, per kind. */
const PERIOD_FIELD: Record<CohortKind, string> = { retention: 'period', vintage: 'mob' };
const VALUE_FIELD: Record<CohortKind, string> = { retention: 'value', vintage: 'rate' };
const COUNT_FIELD: Record<CohortKind, string> = { retention: 'active', vintage: 'numerator' };

/** Upper bound on period columns drawn (weekly cohorts over years would otherwise explode). */
export const MAX_PERIODS = 120;

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Whether a result comes from the `vintage` metric (by basis, else by row shape). */
export function isVintageResult(r: CohortResultLike, fallback: CohortKind = 'retention'): boolean {
  const m = r.basis?.metric;
  if (m === 'vintage') return true;
  if (m === 'cohort') return false;
  const first = r.data[0];
  if (first && 'mob' in first) return true;
  if (first && 'period' in first) return false;
  return fallback === 'vintage';
}

/**
 * Normalise a `cohort` or `vintage` result into a dense grid. Rows may come in any order and may
 * omit censored cells; missing cells are null. Throws when a row has no cohort key or no period
 * (the element shows that as its error state).
 */
export function cohortModel(
  r: CohortResultLike,
  locale: Locale,
  fallback: CohortKind = 'retention',
): CohortModel {
  const kind: CohortKind = isVintageResult(r, fallback) ? 'vintage' : 'retention';
  const meta = r.meta ?? {};
  const opts = r.basis?.options ?? {};
  const pField = PERIOD_FIELD[kind];
  const vField = VALUE_FIELD[kind];
  // Numerator per cell: active entities, Σ amount (retention by amount), bad outstanding / loans.
  const cField = kind === 'retention' && String(opts['value']) === 'amount' ? 'amount' : COUNT_FIELD[kind];
  const unitRaw = (meta['unit'] ?? opts['unit'] ?? 'month') as string;
  const unit: CohortUnit = unitRaw === 'week' || unitRaw === 'quarter' ? unitRaw : 'month';
  const measure = String(
    kind === 'vintage'
      ? (r.basis?.measure ?? meta['measure'] ?? opts['measure'] ?? 'amount')
      : (opts['value'] ?? 'retention'),
  );
  const valueKind = kind === 'retention' && measure === 'count' ? 'count' : 'ratio';
  const sizeKind = kind === 'retention' ? 'customers' : measure === 'count' ? 'loans' : 'principal';

  // Sizes per cohort: vintage meta.cohorts objects, retention row.size (or meta.sizes).
  const sizes = new Map<string, number | null>();
  const order: string[] = [];
  const metaCohorts = meta['cohorts'];
  if (Array.isArray(metaCohorts)) {
    metaCohorts.forEach((c: unknown, i) => {
      if (typeof c === 'string') {
        order.push(c);
        const s = Array.isArray(meta['sizes']) ? num((meta['sizes'] as unknown[])[i]) : null;
        if (s !== null) sizes.set(c, s);
      } else if (c && typeof c === 'object' && typeof (c as Record<string, unknown>)['cohort'] === 'string') {
        const o = c as Record<string, unknown>;
        const key = o['cohort'] as string;
        order.push(key);
        sizes.set(key, num(sizeKind === 'principal' ? o['principal'] : o['loans']));
      }
    });
  }

  let maxP = -1;
  const cells = new Map<string, Map<number, { v: number | null; n: number | null }>>();
  for (const row of r.data) {
    const key = row['cohort'];
    const p = row[pField];
    if (typeof key !== 'string' || key === '')
      throw new Error(`A ${kind} row has no "cohort" (row keys: ${Object.keys(row).join(', ')})`);
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0) {
      throw new Error(`A ${kind} row has no integer "${pField}" (row keys: ${Object.keys(row).join(', ')})`);
    }
    if (!cells.has(key)) {
      cells.set(key, new Map());
      if (!order.includes(key)) order.push(key);
    }
    if (p >= MAX_PERIODS) continue;
    if (p > maxP) maxP = p;
    cells.get(key)!.set(p, { v: num(row[vField]), n: num(row[cField]) });
    if (!sizes.has(key)) {
      const s = kind === 'retention' ? num(row['size']) : num(row['denominator']);
      if (s !== null) sizes.set(key, s);
    }
  }
  const metaMax = num(meta['maxPeriod']) ?? (num(meta['mobs']) !== null ? num(meta['mobs'])! - 1 : null);
  if (metaMax !== null && metaMax > maxP) maxP = Math.min(metaMax, MAX_PERIODS - 1);
  const periods = maxP + 1;
  // Keep meta order when given; otherwise ascending keys (YYYY-MM… sort chronologically as text).
  const keys = Array.isArray(metaCohorts) ? order.filter((k) => cells.has(k)) : [...order].sort();
  const rows: CohortRowModel[] = keys.map((key) => {
    const byP = cells.get(key)!;
    const values: Array<number | null> = [];
    const counts: Array<number | null> = [];
    for (let p = 0; p < periods; p++) {
      const c = byP.get(p);
      values.push(c ? c.v : null);
      counts.push(c ? c.n : null);
    }
    const size = sizes.get(key) ?? null;
    return {
      key,
      label: formatPeriod(key, locale),
      size,
      sizeText: sizeText(size, sizeKind, locale),
      values,
      counts,
    };
  });
  return { kind, unit, valueKind, sizeKind, measure, rows, periods, locale };
}
