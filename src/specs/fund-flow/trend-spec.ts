/**
 * The Vega-Lite spec of the net-flow trend: diverging net bars, cumulative net on a second axis
 * with its zero aligned to the bars', optional inflow / outflow lines. Data values only ever travel
 * in `data.values`; the one label expression is a constant.
 */
import type { Locale } from '../../format/number.js';
import { textWidth } from '../funnel-layout.js';
import { compactLabelExpr, signedCompact } from './amounts.js';
import { m } from './shared.js';
import type { Spec } from './shared.js';
import { groupText } from './trend-model.js';
import type { TrendModel } from './trend-model.js';

export interface TrendColors {
  fg: string;
  muted: string;
  border: string;
  bg: string;
  accent: string;
  /** Net inflow bars. */
  positive: string;
  /** Net outflow bars. */
  negative: string;
}

export interface TrendSpecOptions {
  locale: Locale;
  /** Total width in px (axes included). */
  width: number;
  /** Plot height in px. */
  height?: number;
  colors: TrendColors;
  /** Group colours (with `by`). */
  palette: readonly string[];
  /** Draw inflow and outflow as thin lines (left axis). */
  showFlows?: boolean;
  /** Selected period (highlighted). */
  selected?: string | null;
  description?: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Axis tick values: every k-th label so that labels do not collide at this plot width. */
export function periodTicks(labels: string[], plotWidth: number, fontSize = 11): string[] {
  if (!labels.length) return [];
  const need = Math.max(...labels.map((l) => textWidth(l, fontSize))) + 10;
  const slot = plotWidth / labels.length;
  for (const k of [1, 2, 3, 4, 6, 12, 24, 52]) {
    if (need <= slot * k) return labels.filter((_, i) => i % k === 0);
  }
  return labels.length > 1 ? [labels[0]!, labels[labels.length - 1]!] : labels;
}

/**
 * Domains of two axes with their zeros at the same height (so the cumulative line's zero is the
 * bars' baseline), each including 0 and padded by `pad` of its span.
 */
export function alignZero(
  a: [number, number],
  b: [number, number],
  pad = 0.06,
): { a: [number, number]; b: [number, number] } {
  const norm = ([lo, hi]: [number, number]): [number, number] => {
    let l = Math.min(0, Number.isFinite(lo) ? lo : 0);
    let h = Math.max(0, Number.isFinite(hi) ? hi : 0);
    if (l === 0 && h === 0) h = 1;
    const span = h - l;
    if (l < 0) l -= span * pad;
    if (h > 0) h += span * pad;
    return [l, h];
  };
  const A = norm(a);
  const B = norm(b);
  // Fraction of the span above zero.
  const fa = A[1] / (A[1] - A[0]);
  const fb = B[1] / (B[1] - B[0]);
  const fit = (d: [number, number], f: number): [number, number] | null => {
    const [l, h] = d;
    const cur = h / (h - l);
    if (Math.abs(cur - f) < 1e-12) return [l, h];
    if (cur < f) {
      // Needs more room above zero.
      if (f >= 1) return l < 0 ? null : [l, h];
      return [l, (f * -l) / (1 - f)];
    }
    if (f <= 0) return h > 0 ? null : [l, h];
    return [(-h * (1 - f)) / f, h];
  };
  const cost = (d: [number, number] | null, orig: [number, number]): number =>
    d ? (d[1] - d[0]) / (orig[1] - orig[0]) : Infinity;
  const opt1 = { a: A, b: fit(B, fa) };
  const opt2 = { a: fit(A, fb), b: B };
  const c1 = cost(opt1.b, B);
  const c2 = cost(opt2.a, A);
  if (c1 <= c2 && opt1.b) return { a: A, b: opt1.b };
  if (opt2.a) return { a: opt2.a, b: B };
  return { a: A, b: B };
}

/** Gap between bars as a share of the step; hover bands widen by its inverse to cover the gaps. */
const PAD_INNER = 0.28;
const FULL_STEP = { band: Math.round((1 / (1 - PAD_INNER)) * 1e4) / 1e4 };

/** Approximate width of the y labels for values up to |max|. */
function yLabelWidth(max: number, locale: Locale): number {
  return textWidth(signedCompact(-Math.abs(max), locale), 11) + 4;
}

function yAxis(title: string, labelWidth: number, orient: 'left' | 'right', locale: Locale): Spec {
  return {
    orient,
    title,
    titleAngle: 0,
    titleAlign: orient === 'left' ? 'left' : 'right',
    titleBaseline: 'bottom',
    titleAnchor: 'end',
    titleX: orient === 'left' ? -(labelWidth + 8) : labelWidth + 8,
    titleY: -8,
    titleFontWeight: 'normal',
    tickCount: 5,
    grid: orient === 'left',
    gridOpacity: 0.6,
    labelPadding: 4,
    labelExpr: compactLabelExpr(locale),
  };
}

/**
 * The net-flow trend: a bar per period of net flow (inflow − outflow), above zero in the positive
 * colour and below in the negative one (with `by`: stacked per group in group colours, positive
 * and negative parts stacked apart); the cumulative net as a line on the right axis, its zero
 * aligned with the bars' baseline; optionally inflow and outflow as thin lines on the left axis.
 * A transparent full-height band per period carries the tooltip and the click (select a period).
 */
export function trendSpec(model: TrendModel, o: TrendSpecOptions): Spec {
  const L = o.locale;
  const height = Math.max(100, o.height ?? 240);
  const grouped = model.groups.length > 0;
  const sel = o.selected ?? null;
  const dim = (p: string): number => (sel !== null && sel !== p ? 0.4 : 1);

  // Left-axis extent: bars (stacked parts with groups) and the optional flow lines.
  let lo = 0;
  let hi = 0;
  for (const p of model.periods) {
    const ps = model.points.filter((x) => x.period === p);
    let pos = 0;
    let neg = 0;
    for (const x of ps) {
      if (x.net === null) continue;
      if (x.net >= 0) pos += x.net;
      else neg += x.net;
    }
    lo = Math.min(lo, neg);
    hi = Math.max(hi, pos);
  }
  if (o.showFlows) {
    for (const t of model.totals) hi = Math.max(hi, t.inflow ?? 0, t.outflow ?? 0);
  }
  let clo = 0;
  let chi = 0;
  for (const t of model.totals) {
    if (t.cum === null) continue;
    clo = Math.min(clo, t.cum);
    chi = Math.max(chi, t.cum);
  }
  const dom = alignZero([lo, hi], [clo, chi]);
  const lw = yLabelWidth(Math.max(Math.abs(dom.a[0]), Math.abs(dom.a[1])), L);
  const rw = yLabelWidth(Math.max(Math.abs(dom.b[0]), Math.abs(dom.b[1])), L);
  const plotWidth = Math.max(60, o.width - lw - rw - 28);
  const ticks = periodTicks(model.labels, plotWidth);

  const x = {
    field: 'label',
    type: 'ordinal',
    scale: { type: 'band', domain: model.labels, paddingInner: PAD_INNER, paddingOuter: 0.14 },
    axis: {
      title: null,
      labelAngle: 0,
      values: ticks,
      labelOverlap: false,
      labelPadding: 4,
      ticks: true,
      domain: false,
      grid: false,
    },
  };
  const yLeft = {
    type: 'quantitative',
    scale: { domain: dom.a, nice: false, zero: true },
    axis: yAxis(m(L, 'axisNet'), lw, 'left', L),
  };

  const barValues = model.points.map((p) => ({
    period: p.period,
    label: p.label,
    y: p.net,
    sign: (p.net ?? 0) >= 0 ? 'pos' : 'neg',
    group: grouped ? groupText(p.group, L) : null,
    gi: grouped ? model.groups.indexOf(p.group) : 0,
    op: dim(p.period),
  }));
  const groupLabels = model.groups.map((g) => groupText(g, L));
  const bars: Spec = {
    name: 'bars',
    data: { values: barValues },
    mark: { type: 'bar', cornerRadius: 1.5 },
    encoding: {
      x,
      y: { field: 'y', ...yLeft, stack: grouped ? 'zero' : null },
      color: grouped
        ? {
            field: 'group',
            type: 'nominal',
            scale: { domain: groupLabels, range: groupLabels.map((_, i) => o.palette[i % o.palette.length]) },
            legend: null,
          }
        : {
            field: 'sign',
            type: 'nominal',
            scale: { domain: ['pos', 'neg'], range: [o.colors.positive, o.colors.negative] },
            legend: null,
          },
      opacity: { field: 'op', type: 'quantitative', scale: null, legend: null },
      ...(grouped ? { order: { field: 'gi', type: 'quantitative', sort: 'ascending' } } : {}),
    },
  };
  const zero: Spec = {
    data: { values: [{ zero: 0 }] },
    mark: { type: 'rule', color: o.colors.muted, strokeWidth: 1 },
    encoding: { y: { field: 'zero', ...yLeft } },
  };
  const leftLayers: Spec[] = [bars, zero];
  if (o.showFlows) {
    const flowValues = model.totals.flatMap((t) => [
      { label: t.label, period: t.period, series: 'inflow', y: t.inflow },
      { label: t.label, period: t.period, series: 'outflow', y: t.outflow },
    ]);
    leftLayers.push({
      name: 'flows',
      data: { values: flowValues },
      mark: { type: 'line', strokeWidth: 1.25 },
      encoding: {
        x: { ...x, bandPosition: 0.5 },
        y: { field: 'y', ...yLeft },
        detail: { field: 'series', type: 'nominal' },
        color: {
          field: 'series',
          type: 'nominal',
          scale: { domain: ['inflow', 'outflow'], range: [o.colors.positive, o.colors.negative] },
          legend: null,
        },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          scale: {
            domain: ['inflow', 'outflow'],
            range: [
              [1, 0],
              [4, 3],
            ],
          },
          legend: null,
        },
      },
    });
  }
  const cumValues = model.totals.map((t) => ({ period: t.period, label: t.label, cum: t.cum }));
  const cum: Spec = {
    name: 'cumulative',
    data: { values: cumValues },
    mark: {
      type: 'line',
      color: o.colors.accent,
      strokeWidth: 2,
      point: { filled: true, size: 28, color: o.colors.accent, stroke: o.colors.bg, strokeWidth: 1 },
    },
    encoding: {
      x: { ...x, bandPosition: 0.5 },
      y: {
        field: 'cum',
        type: 'quantitative',
        scale: { domain: dom.b, nice: false, zero: true },
        axis: yAxis(m(L, 'axisCum'), rw, 'right', L),
      },
    },
  };
  const layers: Spec[] = [];
  if (sel !== null && model.periods.includes(sel)) {
    const i = model.periods.indexOf(sel);
    layers.push({
      data: { values: [{ label: model.labels[i], period: sel }] },
      mark: { type: 'rect', fill: o.colors.accent, opacity: 0.12, width: FULL_STEP },
      encoding: { x },
    });
  }
  layers.push({ layer: leftLayers }, cum, {
    name: 'periods',
    data: {
      values: model.periods.map((period, i) => ({ period, label: model.labels[i], role: 'period' })),
    },
    // A full step wide (gaps included), so the pointer never falls between two periods.
    mark: {
      type: 'rect',
      fill: 'transparent',
      cursor: 'pointer',
      tooltip: { content: 'data' },
      width: FULL_STEP,
    },
    encoding: { x },
  });
  return {
    $schema: SCHEMA,
    ...(o.description ? { description: o.description } : {}),
    width: Math.max(120, Math.floor(o.width)),
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 2, right: 2, top: 22, bottom: 2 },
    layer: layers,
    resolve: { scale: { y: 'independent' } },
  };
}
