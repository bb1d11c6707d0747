/** Overdue-rate lines: model (Mk+ series, coincident and lagged), axis cap, threshold points and the spec. */
import type { MetricResult } from '../../engine/types.js';
import { formatMonth } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import { ensureContrast } from './colors.js';
import type { OverdueColors } from './displays.js';
import { fillMonths, percentFormat } from './labels.js';
import { m, num, str } from './shared.js';
import type { Spec } from './shared.js';
import {
  frame,
  monthX,
  monthHover,
  monthHighlight,
  yLabelWidth,
  yAxis,
  SHAPES,
  lineLayers,
} from './spec-parts.js';
import type { SpecOptions } from './spec-parts.js';

/** One overdue-rate series (an Mk+ threshold at a lag). */
export interface RateSeries {
  key: string;
  k: number;
  /** `M1+` etc. */
  bucket: string;
  lag: number;
  label: string;
  color: string;
  dash: number[];
  /** Point shape (one per level k). */
  shape: string;
}

export interface RatePoint {
  month: string;
  label: string;
  key: string;
  series: string;
  rate: number | null;
  numerator: number | null;
  denominator: number | null;
}

export interface RateModel {
  months: string[];
  labels: string[];
  series: RateSeries[];
  points: RatePoint[];
  measure: 'amount' | 'count';
}

/** Colour of an Mk+ series: accent for M1+, then deeper reds, contrast-checked on the background. */
export function seriesColor(k: number, colors: OverdueColors): string {
  const ramp = [colors.accent, '#e8743b', '#c03a3a', '#9b2226'];
  const c = k <= 1 ? ramp[0]! : k <= 2 ? ramp[1]! : k <= 3 ? ramp[1]! : k <= 4 ? ramp[2]! : ramp[3]!;
  return ensureContrast(c, colors.bg, 3);
}

/**
 * Overdue-rate model. Accepts the element's merged multi-series result (rows carry `k`, `lag`,
 * `bucket`) or a plain `overdue_rate` result (one series, taken from `meta` / `basis.options`).
 */
export function rateModel(r: MetricResult, locale: Locale, colors: OverdueColors): RateModel {
  const rows = r.data as Array<Record<string, unknown>>;
  const defK = num(r.meta?.['k']) ?? num(r.basis?.options?.['k']) ?? 1;
  const defLag = num(r.meta?.['lag']) ?? num(r.basis?.options?.['lag']) ?? 0;
  const defBucket = typeof r.meta?.['bucket'] === 'string' ? (r.meta['bucket'] as string) : `M${defK}+`;
  const series = new Map<string, RateSeries>();
  const points: RatePoint[] = [];
  const months = fillMonths(rows.map((x) => str(x['month'])));
  const byKey = new Map<string, Record<string, unknown>>();
  for (const x of rows) {
    const k = num(x['k']) ?? defK;
    const lag = num(x['lag']) ?? defLag;
    const bucket =
      typeof x['bucket'] === 'string' ? (x['bucket'] as string) : k === defK ? defBucket : `M${k}+`;
    const group = x['group'] === undefined ? '' : ` · ${str(x['group']) || '—'}`;
    const key = `${bucket}|${lag}${group}`;
    if (!series.has(key)) {
      series.set(key, {
        key,
        k,
        bucket,
        lag,
        label:
          (lag === 0
            ? m(locale, 'seriesCoincident', { k: bucket })
            : m(locale, 'seriesLagged', { k: bucket, lag })) + group,
        color: seriesColor(k, colors),
        dash: lag === 0 ? [] : [6, 4],
        shape: SHAPES[Math.max(0, [1, 3, 4, 2, 5, 6, 7].indexOf(k)) % SHAPES.length]!,
      });
    }
    byKey.set(`${str(x['month'])}|${key}`, x);
  }
  const ordered = [...series.values()].sort(
    (a, b) => a.k - b.k || a.lag - b.lag || a.key.localeCompare(b.key),
  );
  for (const s of ordered) {
    for (const month of months) {
      const x = byKey.get(`${month}|${s.key}`);
      points.push({
        month,
        label: formatMonth(month, locale),
        key: s.key,
        series: s.label,
        rate: x ? num(x['rate']) : null,
        numerator: x ? num(x['numerator']) : null,
        denominator: x ? num(x['denominator']) : null,
      });
    }
  }
  const measure = (r.basis?.measure === 'count' ? 'count' : 'amount') as 'amount' | 'count';
  return { months, labels: months.map((x) => formatMonth(x, locale)), series: ordered, points, measure };
}

export interface RateSpecOptions extends SpecOptions {
  /** Alert threshold (fraction, e.g. 0.05); points above it are highlighted. */
  threshold?: number | null;
}

/** Points above the threshold (for the highlight layer, the note and the summary). */
export function aboveThreshold(model: RateModel, threshold: number | null | undefined): RatePoint[] {
  if (threshold === null || threshold === undefined || !Number.isFinite(threshold)) return [];
  return model.points.filter((p) => p.rate !== null && p.rate > threshold);
}

/**
 * The top of a rate axis that keeps the bulk readable: flow rates over small denominators can
 * reach 500% or 50,000% and flatten every other line. When the largest value is far above the
 * 90th percentile the axis stops at max(100%, 1.25 × p90), rounded up; points above it are drawn
 * as markers on the top edge. Returns null when no cap is needed.
 */
/** A round axis top at or above `max`: steps of 10 % up to 100 %, of 25 % above. */
export function niceTop(max: number): number {
  const step = max <= 1 ? 0.1 : 0.25;
  return Math.round(Math.ceil(max / step - 1e-9) * step * 1e6) / 1e6;
}

export function rateCap(rates: Array<number | null>): number | null {
  const v = rates.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length < 4) return null;
  const max = v[v.length - 1]!;
  const pos = 0.9 * (v.length - 1);
  const lo = Math.floor(pos);
  const q90 = v[lo]! + (v[Math.min(lo + 1, v.length - 1)]! - v[lo]!) * (pos - lo);
  const raw = Math.max(1, q90 * 1.25);
  const step = raw <= 2 ? 0.25 : raw <= 5 ? 0.5 : 1;
  const cap = Math.ceil(raw / step - 1e-9) * step;
  return max > cap * 1.05 ? cap : null;
}

/** Tick values of a capped rate axis: 0 … cap in steps of 25% / 50% / 100%. */
export function capTicks(cap: number): number[] {
  const step = cap <= 2 ? 0.25 : cap <= 5 ? 0.5 : 1;
  const out: number[] = [];
  for (let v = 0; v <= cap + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/** Overdue-rate lines (Mk+, coincident solid, lagged dashed) with an optional alert rule. */
export function rateSpec(model: RateModel, o: RateSpecOptions): Spec {
  const height = o.height ?? 240;
  const values = model.points.map((p) => ({ ...p }));
  const threshold =
    o.threshold !== null && o.threshold !== undefined && Number.isFinite(o.threshold) ? o.threshold : null;
  let max = threshold ?? 0;
  for (const p of values) if (p.rate !== null && p.rate > max) max = p.rate;
  const lw = yLabelWidth('percent', max, o.locale);
  const x = monthX(model.labels, model.months, o, lw + 10);
  const yScale = { zero: true, nice: true };
  const y = {
    field: 'rate',
    type: 'quantitative',
    scale: yScale,
    axis: yAxis(m(o.locale, 'overdueRate'), lw, { format: percentFormat(max) }),
  };
  const layers: Spec[] = [...monthHighlight(o, model.months, model.labels, x)];
  const alert = ensureContrast(o.colors.bad, o.colors.bg, 4.5);
  if (threshold !== null) {
    layers.push({
      data: { values: [{ rate: threshold }] },
      mark: { type: 'rule', color: alert, strokeDash: [4, 3], strokeWidth: 1.5 },
      encoding: { y },
    });
  }
  layers.push(...lineLayers(values, model.series, x, y, o, false));
  const above = aboveThreshold(model, threshold);
  if (above.length) {
    // A ring around each point above the line: highlighted, and the series shape stays visible.
    layers.push({
      data: { values: above.map((p) => ({ ...p })) },
      mark: { type: 'point', filled: false, size: 110, color: alert, strokeWidth: 2, opacity: 1 },
      encoding: { x: { ...x, bandPosition: 0.5 }, y },
    });
  }
  layers.push(monthHover(model.months, model.labels, x));
  return { ...frame(o, height), layer: layers };
}
