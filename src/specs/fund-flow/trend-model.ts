/** Net-flow trend view model: the `fund_flow` result per period (and group), period labels and clauses. */
import type { FilterClause, MetricResult } from '../../engine/types.js';
import { formatDay, formatMonth } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import { m, num, str } from './shared.js';

export type PeriodUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';
const UNITS: readonly PeriodUnit[] = ['day', 'week', 'month', 'quarter', 'year'];

export interface TrendPoint {
  period: string;
  /** Localised period label (2023年6月 / Jun 2023). */
  label: string;
  /** Group value (with `by`), null otherwise or for the missing group. */
  group: string | null;
  inflow: number | null;
  outflow: number | null;
  net: number | null;
  cum: number | null;
  count: number | null;
}

export interface TrendModel {
  unit: PeriodUnit;
  periods: string[];
  labels: string[];
  /** Breakdown field, or null. */
  by: string | null;
  /** Group values in the metric's order (largest volume first); empty without `by`. */
  groups: Array<string | null>;
  /** One point per period and group (grouped) or per period. */
  points: TrendPoint[];
  /** One point per period: all groups summed, cumulative recomputed. */
  totals: TrendPoint[];
  /** The date field periods come from (for the selection clause). */
  dateField: string;
}

/** The unit of period labels (the basis option, else read off the first label). */
export function unitOf(r: MetricResult): PeriodUnit {
  const u = r.basis?.options?.['unit'];
  if (typeof u === 'string' && (UNITS as readonly string[]).includes(u)) return u as PeriodUnit;
  const p = str((r.data[0] as Record<string, unknown> | undefined)?.['period']);
  if (/^\d{4}-\d{2}-\d{2}$/.test(p)) return 'day';
  if (/^\d{4}-Q[1-4]$/.test(p)) return 'quarter';
  if (/^\d{4}$/.test(p)) return 'year';
  return 'month';
}

/** Localised period label: 2023年6月 / Jun 2023, days, weeks (their Monday), quarters, years. */
export function periodText(p: string, unit: PeriodUnit, locale: Locale): string {
  if (unit === 'month' && /^\d{4}-\d{2}$/.test(p)) return formatMonth(p, locale);
  if ((unit === 'day' || unit === 'week') && /^\d{4}-\d{2}-\d{2}$/.test(p)) {
    const d = formatDay(p, locale);
    return unit === 'week' ? m(locale, 'weekOf', { d }) : d;
  }
  const q = /^(\d{4})-Q([1-4])$/.exec(p);
  if (q) return locale === 'zh-CN' ? `${q[1]}年第${q[2]}季度` : `Q${q[2]} ${q[1]}`;
  if (unit === 'year' && /^\d{4}$/.test(p)) return locale === 'zh-CN' ? `${p}年` : p;
  return p;
}

/** Group display label (the missing group localised). */
export function groupText(g: string | null, locale: Locale): string {
  return g === null ? m(locale, 'missingGroup') : g;
}

/** The `fund_flow` result per period (and group), with totals per period. */
export function trendModel(r: MetricResult, locale: Locale): TrendModel {
  const unit = unitOf(r);
  const rows = r.data as Array<Record<string, unknown>>;
  const grouped = rows.some((x) => x && typeof x === 'object' && 'group' in x);
  const periods: string[] = [];
  const seenP = new Set<string>();
  const groups: Array<string | null> = [];
  const seenG = new Set<string>();
  const metaGroups = Array.isArray(r.meta?.['groups']) ? (r.meta['groups'] as unknown[]) : [];
  for (const g of metaGroups) {
    const k = g === null ? '\u0000' : String(g);
    if (!seenG.has(k)) {
      seenG.add(k);
      groups.push(g === null ? null : String(g));
    }
  }
  for (const x of rows) {
    const p = str(x?.['period']);
    if (p && !seenP.has(p)) {
      seenP.add(p);
      periods.push(p);
    }
    if (grouped) {
      const g = x?.['group'] === null || x?.['group'] === undefined ? null : String(x['group']);
      const k = g === null ? '\u0000' : g;
      if (!seenG.has(k)) {
        seenG.add(k);
        groups.push(g);
      }
    }
  }
  // Calendar order (labels sort as text within a unit).
  periods.sort();
  const labels = periods.map((p) => periodText(p, unit, locale));
  const labelOf = new Map(periods.map((p, i) => [p, labels[i]!]));
  const points: TrendPoint[] = rows
    .filter((x) => x && typeof x === 'object' && seenP.has(str(x['period'])))
    .map((x) => ({
      period: str(x['period']),
      label: labelOf.get(str(x['period'])) ?? str(x['period']),
      group: grouped ? (x['group'] === null || x['group'] === undefined ? null : String(x['group'])) : null,
      inflow: num(x['inflow']),
      outflow: num(x['outflow']),
      net:
        num(x['net']) ??
        (num(x['inflow']) !== null && num(x['outflow']) !== null
          ? num(x['inflow'])! - num(x['outflow'])!
          : null),
      cum: num(x['cumulativeNet']),
      count: num(x['count']),
    }));
  const pIndex = new Map(periods.map((p, i) => [p, i]));
  const gIndex = (g: string | null): number => groups.indexOf(g);
  points.sort((a, b) => pIndex.get(a.period)! - pIndex.get(b.period)! || gIndex(a.group) - gIndex(b.group));
  let totals: TrendPoint[];
  if (!grouped) {
    // Fill a missing cumulative from the nets.
    let c = 0;
    totals = points.map((p) => {
      c += p.net ?? 0;
      return { ...p, cum: p.cum ?? c };
    });
  } else {
    let c = 0;
    totals = periods.map((p, i) => {
      const ps = points.filter((x) => x.period === p);
      const sum = (k: 'inflow' | 'outflow' | 'net' | 'count'): number | null =>
        ps.some((x) => x[k] !== null) ? ps.reduce((a, x) => a + (x[k] ?? 0), 0) : null;
      const net = sum('net');
      c += net ?? 0;
      return {
        period: p,
        label: labels[i]!,
        group: null,
        inflow: sum('inflow'),
        outflow: sum('outflow'),
        net,
        cum: c,
        count: sum('count'),
      };
    });
  }
  const o = r.basis?.options ?? {};
  return {
    unit,
    periods,
    labels,
    by: grouped ? (typeof o['by'] === 'string' ? o['by'] : null) : null,
    groups: grouped ? groups : [],
    points: grouped ? points : totals,
    totals,
    dateField: typeof o['dateField'] === 'string' && o['dateField'] ? o['dateField'] : 'txn_time',
  };
}

function addDays(ymd: string, days: number): string {
  const [y, mo, d] = ymd.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d + days));
  return t.toISOString().slice(0, 10);
}

/**
 * The filter clause selecting one period of the trend: a month as `<date>.month` eq `YYYY-MM`, a
 * day as eq, weeks, quarters and years as inclusive date ranges.
 */
export function periodClause(period: string, unit: PeriodUnit, dateField: string): FilterClause {
  if (unit === 'month') return { field: `${dateField}.month`, op: 'eq', value: period };
  if (unit === 'day') return { field: dateField, op: 'eq', value: period };
  if (unit === 'week') return { field: dateField, op: 'range', value: [period, addDays(period, 6)] };
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) {
    const first = (Number(q[2]) - 1) * 3 + 1;
    const mm = (k: number): string => `${q[1]}-${String(k).padStart(2, '0')}`;
    return { field: dateField, op: 'range', value: [mm(first), mm(first + 2)] };
  }
  return { field: dateField, op: 'range', value: [`${period}-01`, `${period}-12`] };
}
