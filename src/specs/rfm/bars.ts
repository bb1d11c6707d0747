/** RFM overview as two bar panels (customers | Σ monetary) with direct value labels: layout and spec. */
import { textWidth } from '../heatmap.js';
import type { TextMeasure } from '../heatmap.js';
import type { VlSpec } from './segments.js';
import { AXIS_FONT, VALUE_FONT, M, textOpacity, opacityFor, segmentTexts, baseSpec } from './spec-parts.js';
import type { RfmSpecInput } from './spec-parts.js';

/** A bar as it reaches Vega. */
export interface RfmBarDatum {
  seg: string;
  label: string;
  customers: number;
  monetary: number;
  /** Value labels of the two panels. */
  ct: string;
  mt: string;
  fill: string;
  /** Opacity of the bar and of its label (dimmed when another segment is selected). */
  op: number;
  top: number;
  st: string | null;
}

export interface RfmBarLayout {
  /** Two panels side by side (else stacked). */
  sideBySide: boolean;
  /** Plot width of each panel. */
  panelWidth: number;
  /** Estimated y-axis width (labels + padding). */
  yAxisWidth: number;
  yLabelLimit: number;
  /** Row step and plot height of a panel. */
  step: number;
  height: number;
  /** Upper end of each panel's x domain (room for the value labels right of the longest bar). */
  customersMax: number;
  monetaryMax: number;
  /** Per panel: whether the value labels carry the share (`140 · 18.3%`) or only the value. */
  withShare: { customers: boolean; monetary: boolean };
}

export const BAR_STEP = 26;
export const PANEL_GAP = 24;
const MIN_PANEL = 150;

/**
 * Layout of the two bar panels for a width: side by side when both get ≥ 150 px next to the
 * segment labels, else stacked. The x domains are stretched so the longest bar's value label fits
 * to its right; a panel's labels drop the share when that would leave its longest bar under 45% of the panel.
 */
export function barLayout(opts: {
  width: number;
  labels: string[];
  customers: number[];
  monetary: number[];
  full: { c: string[]; m: string[] };
  short: { c: string[]; m: string[] };
  measure?: TextMeasure | undefined;
}): RfmBarLayout {
  const measure = opts.measure ?? textWidth;
  const avail = Math.max(160, Math.floor(opts.width));
  const yLabelLimit = Math.max(56, Math.min(170, Math.floor(avail * 0.34)));
  const yLab = Math.min(yLabelLimit, Math.max(0, ...opts.labels.map((s) => measure(s, AXIS_FONT))));
  const yAxisWidth = Math.ceil(yLab + 8);
  const sideBySide = avail - yAxisWidth - PANEL_GAP - 6 >= 2 * MIN_PANEL;
  const panelWidth = Math.max(
    60,
    sideBySide ? Math.floor((avail - yAxisWidth - PANEL_GAP - 6) / 2) : avail - yAxisWidth - 6,
  );
  const widest = (xs: string[]): number => Math.max(0, ...xs.map((s) => measure(s, VALUE_FONT)));
  const room = (xs: string[]): number => widest(xs) + 8;
  const withShare = {
    customers: room(opts.full.c) <= panelWidth * 0.55,
    monetary: room(opts.full.m) <= panelWidth * 0.55,
  };
  const texts = {
    c: withShare.customers ? opts.full.c : opts.short.c,
    m: withShare.monetary ? opts.full.m : opts.short.m,
  };
  const stretch = (vals: number[], xs: string[]): number => {
    const max = Math.max(0, ...vals);
    if (!(max > 0)) return 1;
    const free = Math.max(panelWidth * 0.3, panelWidth - room(xs));
    return (max * panelWidth) / free;
  };
  const n = Math.max(1, opts.labels.length);
  return {
    sideBySide,
    panelWidth,
    yAxisWidth,
    yLabelLimit,
    step: BAR_STEP,
    height: n * BAR_STEP,
    customersMax: stretch(opts.customers, texts.c),
    monetaryMax: stretch(opts.monetary, texts.m),
    withShare,
  };
}

/** Two bar panels: customers and Σ monetary per segment, direct value labels, no x axes. */
export function rfmBarSpec(input: RfmSpecInput): { spec: VlSpec; layout: RfmBarLayout; data: RfmBarDatum[] } {
  const { model, theme } = input;
  const L = model.locale;
  const segs = model.segments;
  const texts = segs.map((s) => segmentTexts(s, L));
  const full = {
    c: texts.map((t) => `${t.customers} · ${t.share}`),
    m: texts.map((t) => `${t.monetary} · ${t.monetaryShare}`),
  };
  const short = { c: texts.map((t) => t.customers), m: texts.map((t) => t.monetary) };
  const layout = barLayout({
    width: input.width,
    labels: segs.map((s) => s.label),
    customers: segs.map((s) => s.customers),
    monetary: segs.map((s) => s.monetary),
    full,
    short,
    measure: input.measure,
  });
  const use = {
    c: layout.withShare.customers ? full.c : short.c,
    m: layout.withShare.monetary ? full.m : short.m,
  };
  const data: RfmBarDatum[] = segs.map((s, i) => {
    const op = opacityFor([s.id], input.selected);
    const on = !!input.selected?.includes(s.id);
    return {
      seg: s.id,
      label: s.label,
      customers: s.customers,
      monetary: s.monetary,
      ct: use.c[i]!,
      mt: use.m[i]!,
      fill: input.colors[s.id] ?? theme.accent,
      op,
      top: textOpacity(op),
      st: on ? theme.fg : null,
    };
  });
  const labels = segs.map((s) => s.label);
  const y = (withAxis: boolean): Record<string, unknown> => ({
    field: 'label',
    type: 'nominal',
    sort: null,
    scale: { domain: labels, paddingInner: 0.3, paddingOuter: 0.15 },
    axis: withAxis
      ? {
          title: null,
          labelLimit: layout.yLabelLimit,
          labelPadding: 6,
          ticks: false,
          domain: false,
          labelColor: theme.fg,
          labelFontSize: AXIS_FONT,
        }
      : null,
  });
  const panel = (field: 'customers' | 'monetary', withAxis: boolean): Record<string, unknown> => {
    const max = field === 'customers' ? layout.customersMax : layout.monetaryMax;
    const minVal = Math.min(0, ...segs.map((s) => s[field]));
    const x = {
      field,
      type: 'quantitative',
      scale: { domain: [minVal, max], nice: false, zero: true },
      axis: null,
    };
    const title =
      field === 'customers'
        ? M(L, 'customers')
        : M(L, model.monetaryMode === 'mean' ? 'monetaryMean' : 'monetary');
    return {
      name: field,
      width: layout.panelWidth,
      height: layout.height,
      title: { text: title },
      layer: [
        {
          mark: { type: 'bar', cornerRadiusEnd: 2, cursor: 'pointer', strokeWidth: 1.5 },
          encoding: {
            y: y(withAxis),
            x,
            color: { field: 'fill', type: 'nominal', scale: null },
            opacity: { field: 'op', type: 'quantitative', scale: null },
            stroke: { field: 'st', type: 'nominal', scale: null },
            tooltip: { field: 'label', type: 'nominal' },
          },
        },
        {
          mark: {
            type: 'text',
            align: 'left',
            baseline: 'middle',
            dx: 4,
            fontSize: VALUE_FONT,
            cursor: 'pointer',
          },
          encoding: {
            y: y(withAxis),
            x,
            text: { field: field === 'customers' ? 'ct' : 'mt', type: 'nominal' },
            color: { value: theme.fg },
            opacity: { field: 'top', type: 'quantitative', scale: null },
            tooltip: { field: 'label', type: 'nominal' },
          },
        },
      ],
    };
  };
  const spec: VlSpec = {
    ...baseSpec(input),
    data: { values: data },
    autosize: { type: 'pad' },
    padding: { left: 0, top: 0, right: 6, bottom: 2 },
    spacing: layout.sideBySide ? PANEL_GAP : 14,
    ...(layout.sideBySide
      ? { hconcat: [panel('customers', true), panel('monetary', false)] }
      : { vconcat: [panel('customers', true), panel('monetary', true)] }),
  };
  return { spec, layout, data };
}
