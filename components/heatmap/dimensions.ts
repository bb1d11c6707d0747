import type { FilterClause } from '../../src/engine/types.js';
import type { DimPart, HeatKey } from '../../src/specs/heatmap.js';

/**
 * The two dimensions of `<fin-heatmap>`: what field each reads and how its keys read (hour,
 * weekday, month, week, day, quarter, year, numeric bins, categories), the presets' dimensions,
 * and the filter clause a selected key stands for.
 */

/** A resolved dimension of the result: the field it reads and how its keys are read. */
export interface HeatDimension {
  /** Field on the source dataset (null when unknown, e.g. a hand-made result without options). */
  field: string | null;
  part: DimPart;
  /** Numeric bins (from `meta.xBins` / `meta.yBins`), for range selections. */
  bins?: Array<{ label: string; lo: number | null; hi: number | null }>;
}

/**
 * Dataset each preset reads (mirrors HEATMAP_PRESETS in src/engine/metrics/heatmap.ts; kept here
 * so a presentational heatmap never pulls in engine code). Used as the default `source` of `.data`.
 */
export const PRESET_SOURCES: Readonly<Record<string, string>> = {
  'contact-rate-weekday-hour': 'collection_actions',
  'overdue-region-month': 'loan_months',
  'txn-weekday-hour': 'transactions',
};

/** Dimensions of the presets, for results that carry no `basis.options` (hand-made `.result`). */
export const PRESET_DIMS: Readonly<Record<string, { x: HeatDimension; y: HeatDimension }>> = {
  'contact-rate-weekday-hour': {
    x: { field: 'action_time', part: 'hour' },
    y: { field: 'action_time', part: 'dow' },
  },
  'overdue-region-month': {
    x: { field: 'snapshot_date', part: 'month' },
    y: { field: 'region', part: 'category' },
  },
  'txn-weekday-hour': { x: { field: 'txn_time', part: 'hour' }, y: { field: 'txn_time', part: 'dow' } },
};

export const TIME_PARTS = ['hour', 'dow', 'month', 'week', 'day'];
const DAY_MS = 86400000;

/** Guess how keys read when the result carries no dimension options. */
export function inferPart(keys: unknown[]): DimPart {
  const ks = keys.filter((k) => k !== null && k !== undefined);
  if (ks.length === 0) return 'category';
  if (ks.every((k) => typeof k === 'string' && /^\d{4}-\d{2}$/.test(k))) return 'month';
  if (ks.every((k) => typeof k === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(k))) return 'day';
  if (ks.every((k) => typeof k === 'string' && /^\d{4}-Q[1-4]$/.test(k))) return 'quarter';
  if (ks.every((k) => typeof k === 'number' && Number.isInteger(k))) {
    const nums = ks as number[];
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    if (lo >= 1 && hi <= 7 && nums.length <= 7 && new Set(nums).size === 7) return 'dow';
    if (lo >= 0 && hi <= 23 && nums.length >= 12) return 'hour';
  }
  return 'category';
}

/** `YYYY-MM-DD` + k days. */
function addDays(ymd: string, k: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
  if (!m) return ymd;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + k * DAY_MS)
    .toISOString()
    .slice(0, 10);
}

/**
 * The filter clause a selected key stands for: hour/weekday/month parts as `field.part = key`,
 * a week or day as a date range, bins as a numeric range, categories as equality.
 */
export function clauseFor(d: HeatDimension, key: HeatKey, dim: 'x' | 'y' = 'x'): FilterClause {
  const field = d.field ?? dim;
  switch (d.part) {
    case 'hour':
    case 'dow':
      return { field: `${field}.${d.part}`, op: 'eq', value: Number(key) };
    case 'month':
      return { field: `${field}.month`, op: 'eq', value: String(key) };
    case 'week':
      return { field, op: 'range', value: [String(key), addDays(String(key), 6)] };
    case 'day':
      return { field, op: 'range', value: [String(key), String(key)] };
    case 'quarter': {
      const q = /^(\d{4})-Q([1-4])$/.exec(String(key));
      if (q) {
        const m0 = (Number(q[2]) - 1) * 3 + 1;
        const mm = (m: number): string => `${q[1]}-${String(m).padStart(2, '0')}`;
        return { field, op: 'range', value: [mm(m0), mm(m0 + 2)] };
      }
      return { field, op: 'eq', value: key };
    }
    case 'year':
      return { field, op: 'range', value: [`${key}-01`, `${key}-12`] };
    case 'bin': {
      const b = d.bins?.find((x) => x.label === key);
      // Bins are half-open [lo, hi); the clause language has inclusive ranges only, so the upper
      // end is pulled in by a hair to keep a value on a boundary in one bin.
      if (b)
        return {
          field,
          op: 'range',
          value: [b.lo, b.hi === null ? null : b.hi - Math.abs(b.hi) * 1e-12 - 1e-12],
        };
      return { field, op: 'eq', value: key };
    }
    default:
      return { field, op: 'eq', value: key };
  }
}
