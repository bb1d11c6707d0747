/** Flow-rate lines: model (one series per bucket transition, small buckets marked) and spec. */
import type { MetricResult } from '../../engine/types.js';
import { formatMonth } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import { ensureContrast, bucketColor } from './colors.js';
import type { OverdueColors } from './displays.js';
import { fillMonths, bucketLabelsOf, percentFormat } from './labels.js';
import { niceTop, rateCap, capTicks } from './rates.js';
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

export interface FlowSeries {
  key: string;
  from: string;
  to: string;
  color: string;
  /** Point shape (one per transition). */
  shape: string;
}

export interface FlowPoint {
  month: string;
  label: string;
  key: string;
  from: string;
  rate: number | null;
  numerator: number | null;
  denominator: number | null;
  /** Loans in `from` at t − 1, when the metric gives them. */
  fromLoans: number | null;
  /** Under the metric's `minLoans`: drawn hollow, kept out of the axis range, not joined by the line. */
  small: boolean;
}

export interface FlowModel {
  months: string[];
  labels: string[];
  series: FlowSeries[];
  points: FlowPoint[];
  /** Chained loss rate per month (same months), null where a flow is missing. */
  chained: Array<{ month: string; rate: number | null }>;
  chainedLabel: string;
}

/** Flow-rate model: one line per transition, coloured by the bucket flowed into. */
export function flowModel(r: MetricResult, locale: Locale, colors: OverdueColors): FlowModel {
  const rows = r.data as Array<Record<string, unknown>>;
  const flows = rows.filter((x) => x['kind'] !== 'chained');
  const chainedRows = rows.filter((x) => x['kind'] === 'chained');
  const labels = bucketLabelsOf(r);
  const order: string[] = Array.isArray(r.meta?.['transitions'])
    ? (r.meta['transitions'] as string[]).slice()
    : [];
  for (const x of flows) if (!order.includes(str(x['transition']))) order.push(str(x['transition']));
  const present = new Set(flows.map((x) => str(x['transition'])));
  const keys = order.filter((k) => present.has(k));
  const series: FlowSeries[] = keys.map((key, i) => {
    const row = flows.find((x) => str(x['transition']) === key);
    const [f, t] = key.split('→');
    const from = str(row?.['from']) || f || key;
    const to = str(row?.['to']) || t || key;
    const ti = labels.indexOf(to);
    const base = ti >= 0 ? bucketColor(ti, labels.length) : colors.accent;
    return { key, from, to, color: ensureContrast(base, colors.bg, 3), shape: SHAPES[i % SHAPES.length]! };
  });
  const months = fillMonths(rows.map((x) => str(x['month'])));
  const byKey = new Map<string, Record<string, unknown>>();
  for (const x of flows) byKey.set(`${str(x['month'])}|${str(x['transition'])}`, x);
  const points: FlowPoint[] = [];
  for (const s of series) {
    for (const month of months) {
      const x = byKey.get(`${month}|${s.key}`);
      points.push({
        month,
        label: formatMonth(month, locale),
        key: s.key,
        from: s.from,
        rate: x ? num(x['rate']) : null,
        numerator: x ? num(x['numerator']) : null,
        denominator: x ? num(x['denominator']) : null,
        fromLoans: x ? num(x['fromLoans']) : null,
        small: x?.['small'] === true,
      });
    }
  }
  const chainedBy = new Map(chainedRows.map((x) => [str(x['month']), num(x['rate'])]));
  const chainedLabel =
    typeof r.meta?.['chained'] === 'string'
      ? (r.meta['chained'] as string)
      : str(chainedRows[0]?.['transition']) || `${labels[0] ?? 'M0'}→${labels[labels.length - 1] ?? ''}`;
  return {
    months,
    labels: months.map((x) => formatMonth(x, locale)),
    series,
    points,
    chained: months.map((month) => ({ month, rate: chainedBy.get(month) ?? null })),
    chainedLabel,
  };
}

/** Flow-rate lines, one per transition, coloured by the bucket flowed into. */
/** DPD edges of the flows an analyst reads: M0, M1, M2, M3 and M4+ (the later buckets collapsed). */
export const MAIN_FLOW_EDGES: readonly number[] = [0, 1, 31, 61, 91];

/** Rates that set a flow chart's axis: small-sample points stay out of its range. */
export function flowAxisRates(model: FlowModel): Array<number | null> {
  return model.points.map((p) => (p.small ? null : p.rate));
}

export function flowSpec(model: FlowModel, o: SpecOptions): Spec {
  const height = o.height ?? 240;
  const selected = o.selectedBucket ?? null;
  // The line joins the readable points only; small-sample points are drawn hollow on their own.
  const values = model.points.map((p) => ({ ...p, rate: p.small ? null : p.rate }));
  const smalls = model.points.filter((p) => p.small && p.rate !== null).map((p) => ({ ...p }));
  const axisRates = flowAxisRates(model);
  const cap = rateCap(axisRates);
  let max = 0;
  for (const r of axisRates) if (r !== null && r > max) max = r;
  // Small points above the readable range: a fixed top, where they sit clipped to the edge.
  const fixed = cap === null && max > 0 && smalls.some((p) => p.rate! > max) ? niceTop(max) : null;
  const top = cap ?? fixed ?? max;
  const lw = yLabelWidth('percent', top, o.locale);
  const x = monthX(model.labels, model.months, o, lw + 10);
  const y = {
    field: 'rate',
    type: 'quantitative',
    scale: cap === null && fixed === null ? { zero: true, nice: true } : { domain: [0, top], nice: false },
    // A capped axis is labelled up to its top, where the ▲ overflow marks sit.
    axis: yAxis(m(o.locale, 'flowRate'), lw, {
      format: percentFormat(top),
      ...(cap === null ? {} : { values: capTicks(cap) }),
    }),
  };
  const clip = cap !== null || fixed !== null;
  const series = model.series.map((s) => ({ ...s, dash: [] }));
  const layers = lineLayers(values, series, x, y, o, clip);
  if (smalls.length) {
    const keys = series.map((s) => s.key);
    const by = (range: unknown[]): Record<string, unknown> => ({
      field: 'key',
      type: 'nominal',
      scale: { domain: keys, range },
      legend: null,
    });
    // Hollow: the series' shape and colour, outlined; above a fixed top they sit on its edge.
    layers.push({
      data: { values: smalls.map((p) => ({ ...p, rate: clip ? Math.min(p.rate!, top) : p.rate })) },
      mark: { type: 'point', filled: false, size: 30, strokeWidth: 1.5, opacity: 0.9, clip },
      encoding: {
        x: { ...x, bandPosition: 0.5 },
        y,
        color: by(series.map((s) => s.color)),
        shape: by(series.map((s) => s.shape)),
      },
    });
  }
  if (cap !== null) {
    const over = values.filter((p) => p.rate !== null && p.rate > cap).map((p) => ({ ...p, rate: cap }));
    const keys = model.series.map((s) => s.key);
    layers.push({
      data: { values: over },
      mark: {
        type: 'point',
        shape: 'triangle-up',
        filled: true,
        size: 70,
        stroke: o.colors.bg,
        strokeWidth: 1,
        opacity: 1,
        yOffset: 6,
      },
      encoding: {
        x: { ...x, bandPosition: 0.5 },
        y,
        color: {
          field: 'key',
          type: 'nominal',
          scale: { domain: keys, range: model.series.map((s) => s.color) },
          legend: null,
        },
      },
    });
  }
  if (selected && model.series.some((s) => s.from === selected)) {
    const keys = model.series.map((s) => s.key);
    for (const l of layers) {
      (l['encoding'] as Record<string, unknown>)['opacity'] = {
        field: 'key',
        type: 'nominal',
        scale: { domain: keys, range: model.series.map((s) => (s.from === selected ? 1 : 0.2)) },
        legend: null,
      };
    }
  }
  return {
    ...frame(o, height),
    layer: [
      ...monthHighlight(o, model.months, model.labels, x),
      ...layers,
      monthHover(model.months, model.labels, x),
    ],
  };
}
