/**
 * `kpi`: one measure for a current period against a comparison period, with target attainment and
 * a sparkline (METRICS.md, KPI). Either a measure over the source's rows, or the last two points of
 * another metric's monthly series (`series`: entry/cure/overdue rate cards).
 */
import { robustLatestDay, STRAY_SHARE } from './period-cap.js';
import { monthOfDayIndex } from '../../data/columns.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, result, t } from '../metric.js';
import type { FilterClause, LocalText, MetricResult } from '../types.js';
import {
  PERIOD_UNITS,
  badParam,
  dateCol,
  dateFieldOf,
  dayExtent,
  dayParam,
  enumParam,
  intParam,
  numParam,
  periodIndexes,
  periodLabel,
  periodOfDay,
  periodStart,
  rowList,
  shiftDay,
  whereParam,
} from './generic-util.js';
import {
  describeMeasure,
  evalGrouped,
  finalize,
  isMergeable,
  measureKind,
  measurePartials,
  parseMeasure,
  ratioParts,
} from './measure.js';
import type { Measure, Partials } from './measure.js';
import type { PeriodUnit } from './generic-util.js';
import { dayLabel, parseDay } from '../../data/dataset.js';

export type Direction = 'higher-is-better' | 'lower-is-better';

/** The one data row of a KPI result. */
export interface KpiRow {
  value: number | null;
  comparison: number | null;
  /** `value − comparison`. */
  delta: number | null;
  /** `(value − comparison) / |comparison|`; null when comparison is 0 or missing. */
  deltaPct: number | null;
  target: number | null;
  /** `value / target`; null without a target or when it is 0. */
  attainment: number | null;
  /** Current period `[from, to]` (`YYYY-MM-DD`, or series period labels). */
  period: [string, string];
  comparisonPeriod: [string, string] | null;
}

export interface SparkPoint {
  period: string;
  value: number | null;
}

type Compare = 'previous' | 'year-ago' | 'none' | { range: [string, string] };

function readCompare(v: unknown): Compare {
  if (v === undefined || v === null) return 'previous';
  if (v === 'previous' || v === 'year-ago' || v === 'none') return v;
  if (typeof v === 'object' && Array.isArray((v as { range?: unknown }).range)) {
    const r = (v as { range: unknown[] }).range;
    if (r.length === 2 && r.every((x) => typeof x === 'string' && !Number.isNaN(parseDay(x)))) {
      return { range: [r[0] as string, r[1] as string] };
    }
  }
  throw badParam(
    'compare',
    `Parameter "compare" must be 'previous', 'year-ago', 'none' or { range: [from, to] }`,
    v,
  );
}

function readObj(params: Record<string, unknown>, name: string): Record<string, unknown> {
  const v = params[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw badParam(name, `Parameter "${name}" must be an object`, v);
  return v as Record<string, unknown>;
}

function deltas(value: number | null, comparison: number | null, target: number | null) {
  const delta = value !== null && comparison !== null ? r10(value - comparison) : null;
  const deltaPct =
    value !== null && comparison !== null && comparison !== 0
      ? r10((value - comparison) / Math.abs(comparison))
      : null;
  const attainment = value !== null && target !== null && target !== 0 ? r10(value / target) : null;
  return { delta, deltaPct, attainment };
}

function good(delta: number | null, direction: Direction): boolean | null {
  if (delta === null || delta === 0) return null;
  return direction === 'higher-is-better' ? delta > 0 : delta < 0;
}

const TITLE = t('指标卡', 'KPI');

/** Validated params of a KPI over rows (the `…Params()` step, shared by every backend). */
export interface KpiRowsParams {
  direction: Direction;
  target: number | null;
  measure: Measure;
  stock: boolean;
  dateField: string;
  where: FilterClause[];
  periodP: Record<string, unknown>;
  unit: PeriodUnit;
  length: number;
  compare: Compare;
  sparkP: Record<string, unknown> | null;
  sparkUnit: PeriodUnit;
  points: number;
}

/** Validate the params of a KPI over rows, in the memory engine's order. */
export function kpiRowsParams(params: Record<string, unknown>, source: string): KpiRowsParams {
  const direction = enumParam(
    params,
    'direction',
    ['higher-is-better', 'lower-is-better'] as const,
    'higher-is-better',
  );
  const target = numParam(params, 'target', null);
  const measure = parseMeasure(params.measure);
  const stock = params.stock === true;
  const dateField = dateFieldOf(source, params.dateField);
  const where = whereParam(params);
  const periodP = readObj(params, 'period');
  const unit = enumParam(periodP, 'unit', PERIOD_UNITS, 'month');
  const length = intParam(periodP, 'length', 1, 1, 10000);
  const compare = readCompare(params.compare);
  const sparkP = params.sparkline === false ? null : readObj(params, 'sparkline');
  const sparkUnit = sparkP ? enumParam(sparkP, 'unit', PERIOD_UNITS, unit) : unit;
  const points = sparkP ? intParam(sparkP, 'points', 12, 1, 1000) : 0;
  return {
    direction,
    target,
    measure,
    stock,
    dateField,
    where,
    periodP,
    unit,
    length,
    compare,
    sparkP,
    sparkUnit,
    points,
  };
}

/** What the first aggregation pass finds: selected rows, the date extent, the robust latest day. */
export interface KpiRowsScan {
  n: number;
  extent: [number, number] | null;
  robust: ReturnType<typeof robustLatestDay>;
}

/** The periods of a KPI over rows: current, comparison, sparkline; the day span they cover. */
export interface KpiRowsPlan {
  end: number;
  cur: [number, number];
  cmp: [number, number] | null;
  pFirst: number;
  /** Days `lo..hi` that every period lies in. */
  lo: number;
  hi: number;
  /** Merge per-day partials (no distinct count, a span under 200,000 days). */
  merged: boolean;
}

/** The measure's values (the aggregation step's answer). */
export interface KpiRowsValues {
  value: number | null;
  comparison: number | null;
  used: number;
  spark: Array<number | null>;
}

/** The periods, from the params and the first pass (`end` param checked here, as in memory). */
export function kpiRowsPlan(
  p: KpiRowsParams,
  scan: KpiRowsScan,
): { endGiven: number | null; plan: KpiRowsPlan | null } {
  const endGiven = dayParam(p.periodP, 'end');
  const { extent, robust } = scan;
  if (!extent) return { endGiven, plan: null };
  const { unit, length, compare, sparkUnit, points } = p;
  const end = endGiven ?? robust?.day ?? extent[1];
  const pEnd = periodOfDay(unit, end);
  const from = periodStart(unit, pEnd - length + 1);
  const cur: [number, number] = [from, end];
  let cmp: [number, number] | null = null;
  if (compare === 'previous') cmp = [shiftDay(unit, from, -length), shiftDay(unit, end, -length)];
  else if (compare === 'year-ago') {
    cmp =
      unit === 'week' ? [from - 364, end - 364] : [shiftDay('month', from, -12), shiftDay('month', end, -12)];
  } else if (compare !== 'none') cmp = [parseDay(compare.range[0]), parseDay(compare.range[1])];
  const pLast = periodOfDay(sparkUnit, end);
  const pFirst = pLast - points + 1;
  const sparkFrom = points > 0 ? periodStart(sparkUnit, pFirst) : end;
  const lo = Math.min(cur[0], sparkFrom, cmp ? cmp[0] : cur[0]);
  const hi = Math.max(end, cmp ? cmp[1] : end);
  return {
    endGiven,
    plan: { end, cur, cmp, pFirst, lo, hi, merged: isMergeable(p.measure) && hi - lo < 200000 },
  };
}

/** The sparkline's point `k` as a day range `[from, to]` (to capped at the end date). */
export function sparkRange(p: KpiRowsParams, plan: KpiRowsPlan, k: number): [number, number] {
  const u = p.sparkUnit;
  return [periodStart(u, plan.pFirst + k), Math.min(plan.end, periodStart(u, plan.pFirst + k + 1) - 1)];
}

/**
 * Values from per-day partials over days `lo..hi` (index = day − lo) and rows per day: each
 * period merges its days (stock: only its last day with rows).
 */
export function kpiMergedValues(
  p: KpiRowsParams,
  plan: KpiRowsPlan,
  parts: Partials,
  perDay: Int32Array,
): KpiRowsValues {
  const lo = plan.lo;
  const over = (a: number, b: number): { v: number | null; n: number } => {
    let from = a - lo;
    let to = b - lo;
    if (p.stock) {
      // Only the last day in the range that has rows (the last snapshot).
      let d = to;
      while (d >= from && perDay[d] === 0) d--;
      if (d < from)
        to = from - 1; // no snapshot: an empty merge
      else from = to = d;
    }
    let n = 0;
    for (let g = from; g <= to; g++) n += perDay[g]!;
    const v = finalize(parts, from, to);
    return { v: Number.isFinite(v) ? r10(v) : null, n };
  };
  const c0 = over(plan.cur[0], plan.cur[1]);
  let used = c0.n;
  let comparison: number | null = null;
  if (plan.cmp) {
    const c1 = over(plan.cmp[0], plan.cmp[1]);
    comparison = c1.v;
    used += c1.n;
  }
  const spark: Array<number | null> = [];
  for (let k = 0; k < p.points; k++) spark.push(over(...sparkRange(p, plan, k)).v);
  return { value: c0.v, comparison, used, spark };
}

/** The answer of a KPI over rows (the `…Result()` step, shared by every backend). */
export function kpiRowsResult(
  ctx: BasisContext,
  p: KpiRowsParams,
  scan: KpiRowsScan,
  endGiven: number | null,
  plan: KpiRowsPlan | null,
  vals: KpiRowsValues | null,
): MetricResult<KpiRow> {
  const {
    measure,
    stock,
    dateField,
    unit,
    length,
    compare,
    target,
    direction,
    sparkP,
    sparkUnit,
    points,
    where,
  } = p;
  const options = {
    measure,
    stock,
    dateField,
    period: { unit, length, end: endGiven === null ? null : dayLabel(endGiven) },
    compare,
    target,
    direction,
    sparkline: sparkP ? { unit: sparkUnit, points } : false,
    where,
  };
  const desc = describeMeasure(measure);
  const notes: LocalText[] = [
    t(
      '当期为包含截止日的 length 个自然周期，截止于截止日（截止日非周期末时为期至今）；环比期为同样长度向前平移，同比期向前平移一年（周为 52 周）；月及以上按自然月平移，月末对月末。',
      'The current period is the `length` calendar units containing the end date, ending on it (period-to-date when the end is not the last day of a unit); "previous" shifts it back by its length, "year-ago" by one year (52 weeks for weeks); months and longer shift by calendar months, month-end to month-end.',
    ),
    t(
      '无数据时：计数、去重计数和求和为 0，均值、最小、最大与比率为空；早于数据起始日的迷你图点为空。',
      'With no rows: count, distinct and sum are 0; mean, min, max and ratios are null. Sparkline points before the first date in the data are null.',
    ),
  ];
  if (stock) {
    notes.push(
      t(
        '存量口径：取周期内最后一个快照日的值，不跨快照求和。',
        'Stock basis: the value at the last snapshot date within the period, not summed over snapshots.',
      ),
    );
  }
  const basisBase = {
    metric: 'kpi',
    title: TITLE,
    formula: t(`${desc}，当期 vs 对比期`, `${desc}, current period vs comparison period`),
    measure: measureKind(measure),
    ...ratioParts(measure),
    options,
    notes,
  };
  const extent = scan.extent;
  if (!extent || !plan || !vals) {
    return result<KpiRow>([], makeBasis(ctx, { ...basisBase, asOf: null }), makeQuality(0, 0), {
      sparkline: [],
      direction,
      good: null,
    });
  }
  const robust = endGiven === null ? scan.robust : null;
  if (robust?.skippedRows) {
    notes.push(
      t(
        `截止日取 ${dayLabel(robust.day)}：其后有 ${robust.skippedRows} 行（最晚 ${dayLabel(robust.skippedLatest!)}）所在月份的行数不足典型月份的 ${STRAY_SHARE * 100}%，视为离群日期未作为最新期。`,
        `End date ${dayLabel(robust.day)}: ${robust.skippedRows} later rows (latest ${dayLabel(robust.skippedLatest!)}) fall in months with under ${STRAY_SHARE * 100}% of a typical month's rows and are treated as stray dates, not the latest period.`,
      ),
    );
  }
  const { end, cur, cmp, pFirst } = plan;
  const { value, comparison, used, spark } = vals;
  // Sparkline points wholly before the first date in the data are unknown, not zero.
  const sparkline: SparkPoint[] = spark.map((v, k) => ({
    period: periodLabel(sparkUnit, pFirst + k),
    value: periodStart(sparkUnit, pFirst + k + 1) - 1 < extent[0] ? null : v,
  }));

  const { delta, deltaPct, attainment } = deltas(value, comparison, target);
  const row: KpiRow = {
    value,
    comparison,
    delta,
    deltaPct,
    target,
    attainment,
    period: [dayLabel(cur[0]), dayLabel(cur[1])],
    comparisonPeriod: cmp ? [dayLabel(cmp[0]), dayLabel(cmp[1])] : null,
  };
  const basis = makeBasis(ctx, {
    ...basisBase,
    asOf: dayLabel(end),
    options: { ...options, period: { unit, length, end: dayLabel(end) } },
  });
  return result([row], basis, makeQuality(scan.n, used), {
    sparkline,
    direction,
    good: good(delta, direction),
    unit,
  });
}

function runKpi(ctx: MetricContext, params: Record<string, unknown>, source: string): MetricResult<KpiRow> {
  if (params.series !== undefined && params.series !== null) {
    const direction = enumParam(
      params,
      'direction',
      ['higher-is-better', 'lower-is-better'] as const,
      'higher-is-better',
    );
    return runSeries(ctx, params, source, direction, numParam(params, 'target', null));
  }
  const p = kpiRowsParams(params, source);
  const ds = ctx.dataset(source);
  const date = dateCol(ctx, source, p.dateField);
  const rows = ctx.rows(source, p.where);
  const list = rowList(ds, rows);
  const extent = dayExtent(date.day, list);
  const scan: KpiRowsScan = {
    n: list.length,
    extent,
    // The latest date, unless given: robust to a few stray future rows (said in the basis).
    robust: extent ? robustLatestDay(date.day, list, monthOfDayIndex) : null,
  };
  const { endGiven, plan } = kpiRowsPlan(p, scan);
  if (!plan) return kpiRowsResult(ctx, p, scan, endGiven, null, null);
  const { measure, stock, sparkUnit, points } = p;
  const { end, cur, cmp, pFirst, lo, hi } = plan;
  const day = date.day;
  let vals: KpiRowsValues;
  if (plan.merged) {
    // One pass per leaf aggregate into per-day partials; periods merge their days.
    const nDays = hi - lo + 1;
    const parts = measurePartials(ctx, source, measure, list, day, nDays, lo);
    const perDay = new Int32Array(nDays);
    for (let k = 0; k < list.length; k++) {
      const g = day[list[k]!]! - lo;
      if (g >= 0 && g < nDays) perDay[g]!++;
    }
    vals = kpiMergedValues(p, plan, parts, perDay);
  } else {
    // Distinct counts do not merge: one pass per range, one grouped pass for the sparkline.
    const keysFor = (range: [number, number]): Int32Array => {
      const keys = new Int32Array(ds.n).fill(-1);
      for (let k = 0; k < list.length; k++) {
        const i = list[k]!;
        const d = day[i]!;
        if (d >= range[0] && d <= range[1]) keys[i] = 0;
      }
      return keys;
    };
    const evalOpts = stock ? { stockDay: day } : {};
    const curRes = evalGrouped(ctx, source, measure, rows, keysFor(cur), 1, evalOpts);
    let comparison: number | null = null;
    let used = curRes.rows[0]!;
    if (cmp) {
      const r = evalGrouped(ctx, source, measure, rows, keysFor(cmp), 1, evalOpts);
      comparison = r.values[0] ?? null;
      used += r.rows[0]!;
    }
    const spark: Array<number | null> = [];
    if (points > 0) {
      const idx = periodIndexes(date, sparkUnit);
      const keys = new Int32Array(ds.n).fill(-1);
      for (let k = 0; k < list.length; k++) {
        const i = list[k]!;
        const g = idx[i]! - pFirst;
        if (g >= 0 && g < points && day[i]! <= end) keys[i] = g;
      }
      const r = evalGrouped(ctx, source, measure, rows, keys, points, evalOpts);
      for (let k = 0; k < points; k++) spark.push(r.values[k] ?? null);
    }
    vals = { value: curRes.values[0] ?? null, comparison, used, spark };
  }
  return kpiRowsResult(ctx, p, scan, endGiven, plan, vals);
}

/** KPI over the last two points of another metric's series. */
function runSeries(
  ctx: MetricContext,
  params: Record<string, unknown>,
  source: string,
  direction: Direction,
  target: number | null,
): MetricResult<KpiRow> {
  const s = readObj(params, 'series');
  if (typeof s.metric !== 'string' || !s.metric)
    throw badParam('series.metric', '"series.metric" must be a metric id', s.metric);
  if (s.metric === 'kpi') throw badParam('series.metric', 'A KPI series cannot be another KPI', s.metric);
  const innerParams = (s.params ?? {}) as Record<string, unknown>;
  const valueKey = typeof s.value === 'string' ? s.value : 'rate';
  const periodKey = typeof s.period === 'string' ? s.period : 'month';
  const match = (s.where ?? {}) as Record<string, unknown>;
  const compare =
    params.compare === 'none' ? 'none' : params.compare === 'year-ago' ? 'year-ago' : 'previous';
  const sparkP = params.sparkline === false ? null : readObj(params, 'sparkline');
  const points = sparkP ? intParam(sparkP, 'points', 12, 1, 1000) : 0;
  const periodP = readObj(params, 'period');
  const endGiven = typeof periodP.end === 'string' ? periodP.end : null;

  const inner = ctx.runMetric(s.metric, innerParams, typeof s.source === 'string' ? s.source : undefined);
  const pts: Array<{ period: string; value: number | null }> = [];
  for (const r of inner.data as Array<Record<string, unknown>>) {
    if (Object.entries(match).some(([k, v]) => r[k] !== v)) continue;
    const p = r[periodKey];
    if (typeof p !== 'string') continue;
    if (endGiven !== null && p > endGiven.slice(0, p.length)) continue;
    const v = r[valueKey];
    pts.push({ period: p, value: typeof v === 'number' && Number.isFinite(v) ? v : null });
  }
  pts.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  // One point per period, or "the last point" is an arbitrary row (cure_rate has one per bucket).
  for (let i = 1; i < pts.length; i++) {
    if (pts[i]!.period === pts[i - 1]!.period)
      throw badParam(
        'series.where',
        `Metric ${s.metric} has several rows for period ${pts[i]!.period}: pick one series with "series.where" (e.g. {"bucket": "M1+"})`,
        match,
      );
  }

  const options = {
    series: { metric: s.metric, params: innerParams, value: valueKey, period: periodKey, where: match },
    compare,
    target,
    direction,
    sparkline: sparkP ? { points } : false,
  };
  const notes: LocalText[] = [
    t(
      `取指标 ${s.metric} 序列（${valueKey} 按 ${periodKey}）的最后一个点为当期值，上一点（同比时为 12 期前）为对比值。`,
      `The value is the last point of metric ${s.metric}'s series (${valueKey} by ${periodKey}); the comparison is the point before it (12 points back for year-ago).`,
    ),
    ...(inner.basis.notes ?? []),
  ];
  const basis = makeBasis(ctx, {
    metric: 'kpi',
    title: TITLE,
    formula: inner.basis.formula,
    ...(inner.basis.numerator ? { numerator: inner.basis.numerator } : {}),
    ...(inner.basis.denominator ? { denominator: inner.basis.denominator } : {}),
    ...(inner.basis.measure ? { measure: inner.basis.measure } : {}),
    asOf: pts.length ? pts[pts.length - 1]!.period : null,
    options,
    exclusions: inner.basis.exclusions,
    notes,
  });
  const meta = { sparkline: pts.slice(-points), direction, good: null as boolean | null, unit: periodKey };
  if (pts.length === 0)
    return result<KpiRow>([], basis, inner.quality, { ...meta, sparkline: [] }, inner.empty);
  const last = pts[pts.length - 1]!;
  let cmpPt: { period: string; value: number | null } | null = null;
  if (compare === 'previous') cmpPt = pts.length > 1 ? pts[pts.length - 2]! : null;
  else if (compare === 'year-ago') {
    const m = /^(\d{4})(.*)$/.exec(last.period);
    const want = m ? `${Number(m[1]) - 1}${m[2]}` : '';
    cmpPt = pts.find((p) => p.period === want) ?? null;
  }
  const comparison = cmpPt ? cmpPt.value : null;
  const { delta, deltaPct, attainment } = deltas(last.value, comparison, target);
  meta.good = good(delta, direction);
  const row: KpiRow = {
    value: last.value,
    comparison,
    delta,
    deltaPct,
    target,
    attainment,
    period: [last.period, last.period],
    comparisonPeriod: cmpPt ? [cmpPt.period, cmpPt.period] : null,
  };
  return result([row], basis, inner.quality, meta);
}

export const kpiMetric: MetricDef = {
  id: 'kpi',
  source: 'transactions',
  run: (ctx, params, source) => runKpi(ctx, params ?? {}, source),
  inner(params) {
    // The series a `series` KPI reads (runSeries): its cube cells are built before the KPI's.
    const s = params?.series;
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return [];
    const { metric, params: p, source } = s as Record<string, unknown>;
    if (typeof metric !== 'string' || !metric || metric === 'kpi') return [];
    const innerParams = p === undefined || p === null ? {} : p;
    if (typeof innerParams !== 'object' || Array.isArray(innerParams)) return [];
    return [
      {
        metric,
        params: innerParams as Record<string, unknown>,
        ...(typeof source === 'string' ? { source } : {}),
      },
    ];
  },
};
