/** The DPD bucket trend: model (months × buckets, optional current bucket excluded) and stacked area / bar spec. */
import type { MetricResult } from '../../engine/types.js';
import { formatMonth } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import { bucketColor } from './colors.js';
import { fillMonths, bucketLabelsOf, percentFormat, compactLabelExpr } from './labels.js';
import { m, num, str } from './shared.js';
import type { Spec } from './shared.js';
import { frame, monthX, monthHover, monthHighlight, yLabelWidth, yAxis } from './spec-parts.js';
import type { SpecOptions } from './spec-parts.js';

/** One drawn cell of the bucket trend. */
export interface BucketPoint {
  month: string;
  label: string;
  bucket: string;
  index: number;
  /** Amount (or count) in the bucket; null for a month missing from the data. */
  value: number | null;
  /** Share of the month's total (all buckets, M0 included); null when unknown. */
  share: number | null;
  count: number | null;
  outstanding: number | null;
}

export interface BucketModel {
  months: string[];
  labels: string[];
  /** Every bucket of the result, in order. */
  buckets: string[];
  /** Buckets drawn (M0 left out when excluding current). */
  shown: string[];
  points: BucketPoint[];
  measure: 'amount' | 'count';
  /** M0's share of the latest month (for the note), when M0 was left out. */
  hiddenShare: number | null;
}

/** Bucket-trend model. `excludeCurrent` leaves bucket index 0 (M0) out of the drawing. */
export function bucketModel(r: MetricResult, locale: Locale, excludeCurrent: boolean): BucketModel {
  const rows = r.data as Array<Record<string, unknown>>;
  const declared = bucketLabelsOf(r);
  const seen = new Set<string>(rows.map((x) => str(x['bucket'])));
  const buckets = declared.filter((b) => seen.has(b));
  for (const b of seen) if (!buckets.includes(b)) buckets.push(b);
  const months = fillMonths(rows.map((x) => str(x['month'])));
  const byKey = new Map<string, Record<string, unknown>>();
  for (const x of rows) byKey.set(`${str(x['month'])}|${str(x['bucket'])}`, x);
  const idx = (b: string): number => {
    const i = declared.indexOf(b);
    return i >= 0 ? i : buckets.indexOf(b);
  };
  const shown = excludeCurrent && buckets.length > 1 ? buckets.filter((b) => idx(b) !== 0) : buckets;
  const points: BucketPoint[] = [];
  const totals = new Map<string, number>();
  for (const month of months) {
    let tot = 0;
    for (const b of buckets) tot += num(byKey.get(`${month}|${b}`)?.['value']) ?? 0;
    totals.set(month, tot);
    for (const b of shown) {
      const x = byKey.get(`${month}|${b}`);
      const value = x ? num(x['value']) : null;
      const share = x ? (num(x['share']) ?? (value !== null && tot > 0 ? value / tot : null)) : null;
      points.push({
        month,
        label: formatMonth(month, locale),
        bucket: b,
        index: idx(b),
        value,
        share,
        count: x ? num(x['count']) : null,
        outstanding: x ? num(x['outstanding']) : null,
      });
    }
  }
  let hiddenShare: number | null = null;
  if (shown.length < buckets.length && months.length) {
    const last = months[months.length - 1]!;
    const x = byKey.get(`${last}|${buckets.find((b) => idx(b) === 0) ?? ''}`);
    const v = x ? num(x['value']) : null;
    const tot = totals.get(last) ?? 0;
    hiddenShare = x ? (num(x['share']) ?? (v !== null && tot > 0 ? v / tot : null)) : null;
  }
  const measure = (r.basis?.measure === 'count' || r.meta?.['measure'] === 'count' ? 'count' : 'amount') as
    'amount' | 'count';
  return {
    months,
    labels: months.map((x) => formatMonth(x, locale)),
    buckets,
    shown,
    points,
    measure,
    hiddenShare,
  };
}

export interface BucketSpecOptions extends SpecOptions {
  chartType?: 'area' | 'bar';
  share?: boolean;
}

/** Stacked area (or bars) of outstanding / count / share per bucket over months. */
export function bucketSpec(model: BucketModel, o: BucketSpecOptions): Spec {
  const height = o.height ?? 240;
  const share = !!o.share;
  const kind = share ? 'percent' : model.measure === 'count' ? 'count' : 'amount';
  const values = model.points.map((p) => ({ ...p, y: share ? p.share : p.value }));
  let max = 0;
  const stackTotals = new Map<string, number>();
  for (const p of values) if (p.y !== null) stackTotals.set(p.month, (stackTotals.get(p.month) ?? 0) + p.y);
  for (const v of stackTotals.values()) max = Math.max(max, v);
  const lw = yLabelWidth(kind, max, o.locale);
  const x = monthX(model.labels, model.months, o, lw + 10);
  const colors = bucketColors(model);
  const selected = o.selectedBucket ?? null;
  const bar = o.chartType === 'bar';
  const title = share
    ? m(o.locale, model.measure === 'count' ? 'shareOfLoans' : 'shareOfBook')
    : m(o.locale, model.measure === 'count' ? 'loans' : 'outstanding');
  const main: Spec = {
    data: { values },
    mark: bar
      ? { type: 'bar', width: { band: 0.76 }, stroke: o.colors.bg, strokeWidth: 0.5 }
      : { type: 'area', opacity: 0.88, line: { strokeWidth: 1, stroke: o.colors.bg }, interpolate: 'linear' },
    encoding: {
      x: bar ? x : { ...x, bandPosition: 0.5 },
      y: {
        field: 'y',
        type: 'quantitative',
        stack: 'zero',
        scale: { zero: true, nice: true },
        axis: yAxis(
          title,
          lw,
          share
            ? { format: percentFormat(max) }
            : kind === 'count'
              ? { format: ',~r' }
              : { labelExpr: compactLabelExpr(o.locale) },
        ),
      },
      color: {
        field: 'bucket',
        type: 'nominal',
        scale: { domain: model.shown, range: colors },
        legend: null,
      },
      order: { field: 'index', type: 'quantitative', sort: 'ascending' },
      ...(selected && model.shown.includes(selected)
        ? {
            opacity: {
              field: 'bucket',
              type: 'nominal',
              scale: { domain: model.shown, range: model.shown.map((b) => (b === selected ? 1 : 0.35)) },
              legend: null,
            },
          }
        : {}),
    },
  };
  return {
    ...frame(o, height),
    layer: [
      ...monthHighlight(o, model.months, model.labels, x),
      main,
      monthHover(model.months, model.labels, x),
    ],
  };
}

function totalBuckets(model: BucketModel): number {
  return Math.max(model.buckets.length, ...model.points.map((p) => p.index + 1));
}

function bucketIndex(model: BucketModel, b: string): number {
  const p = model.points.find((x) => x.bucket === b);
  return p ? p.index : model.buckets.indexOf(b);
}

/** Colours of the drawn buckets, in `model.shown` order (for the HTML legend). */
export function bucketColors(model: BucketModel): string[] {
  return model.shown.map((b) => bucketColor(Math.max(0, bucketIndex(model, b)), totalBuckets(model)));
}
