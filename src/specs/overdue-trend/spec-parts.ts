/** Parts every `<fin-overdue-trend>` spec shares: frame, month axis with hover and highlight, y axes, shaped series lines. */
import { formatCompact, formatValue } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import type { OverdueColors } from './displays.js';
import { textWidth, monthTicks } from './labels.js';
import type { Spec } from './shared.js';

/** Options every spec builder takes. */
export interface SpecOptions {
  locale: Locale;
  /** Total width of the view in px (axes included). */
  width: number;
  /** Plot height in px (trend displays). */
  height?: number;
  colors: OverdueColors;
  /** Selected months (`YYYY-MM`), highlighted. */
  selectedMonths?: string[];
  /** Selected bucket (label), highlighted where the display draws buckets. */
  selectedBucket?: string | null;
  /** Text alternative; Vega puts it on the view container as its aria-label. */
  description?: string;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export function frame(o: SpecOptions, height: number): Spec {
  return {
    $schema: SCHEMA,
    ...(o.description ? { description: o.description } : {}),
    width: Math.max(120, Math.floor(o.width)),
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 2, right: 10, top: 8, bottom: 2 },
    config: MARKS_HIDDEN,
  };
}

/**
 * Marks stay out of the accessibility tree: hundreds of unlabeled areas, points and bands are
 * noise to a screen reader (and Vega leaves path-mark containers without a name). The view's
 * `description` (the summary) names the chart; the axes stay readable; the table view and the
 * legend / row-header buttons give the values and the selection.
 */
export const MARKS_HIDDEN = { mark: { aria: false } };

/** The shared month x encoding: band scale over the calendar-filled months, thinned labels. */
export function monthX(
  labels: string[],
  months: string[],
  o: SpecOptions,
  yAxisWidth: number,
): Record<string, unknown> {
  const ticks = monthTicks(months, o.locale, Math.max(60, o.width - yAxisWidth - 14));
  return {
    field: 'label',
    type: 'ordinal',
    // No padding: the month bands tile the plot, so the hover / click band of a month has no
    // gaps (bars get their own gap through a relative width).
    scale: { type: 'band', domain: labels, paddingInner: 0, paddingOuter: 0 },
    axis: {
      title: null,
      labelAngle: 0,
      values: ticks.values,
      labelOverlap: false,
      labelPadding: 4,
      ticks: true,
      domain: true,
      grid: false,
    },
  };
}

/** A transparent full-height band per month: month tooltip and click (select a month). */
export function monthHover(months: string[], labels: string[], x: Record<string, unknown>): Spec {
  return {
    name: 'months',
    data: { values: months.map((month, i) => ({ month, label: labels[i], role: 'month' })) },
    mark: { type: 'rect', fill: 'transparent', cursor: 'pointer', tooltip: { content: 'data' } },
    encoding: { x },
  };
}

/** Faint bands behind the selected months. */
export function monthHighlight(
  o: SpecOptions,
  months: string[],
  labels: string[],
  x: Record<string, unknown>,
): Spec[] {
  const sel = new Set(o.selectedMonths ?? []);
  const values = months.map((month, i) => ({ month, label: labels[i] })).filter((d) => sel.has(d.month));
  if (!values.length) return [];
  return [
    {
      data: { values },
      mark: { type: 'rect', fill: o.colors.accent, opacity: 0.14 },
      encoding: { x },
    },
  ];
}

/** Approximate y-axis label width (px) for values up to `max`, for label thinning and the title. */
export function yLabelWidth(kind: 'amount' | 'percent' | 'count', max: number, locale: Locale): number {
  if (kind === 'percent')
    return textWidth(formatValue(max, 'percent', locale, max >= 0.2 ? 0 : max >= 0.02 ? 1 : 2)) + 2;
  return textWidth(kind === 'count' ? formatValue(max, 'count', locale) : formatCompact(max, locale)) + 2;
}

/**
 * A y axis whose title reads horizontally above the axis (Chinese charts put the unit there;
 * a rotated 余额 reads sideways), left-aligned with the tick labels.
 */
export function yAxis(
  title: string,
  labelWidth: number,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    title,
    titleAngle: 0,
    titleAnchor: 'end',
    titleAlign: 'left',
    titleBaseline: 'bottom',
    titleX: -(labelWidth + 8),
    titleY: -8,
    titleFontWeight: 'normal',
    tickCount: 5,
    grid: true,
    gridOpacity: 0.6,
    labelPadding: 4,
    ...extra,
  };
}

/** The point shapes series cycle through (besides colour, so lines are told apart without it). */
export const SHAPES = [
  'circle',
  'square',
  'diamond',
  'triangle-up',
  'triangle-down',
  'cross',
  'triangle-right',
  'triangle-left',
] as const;

/** Lines over months with shaped points: shared by rates and flows. */
export function lineLayers(
  values: Array<Record<string, unknown>>,
  series: Array<{ key: string; color: string; dash: number[]; shape: string }>,
  x: Record<string, unknown>,
  y: Record<string, unknown>,
  o: SpecOptions,
  clip: boolean,
): Spec[] {
  const keys = series.map((s) => s.key);
  const enc = {
    x: { ...x, bandPosition: 0.5 },
    y,
    color: {
      field: 'key',
      type: 'nominal',
      scale: { domain: keys, range: series.map((s) => s.color) },
      legend: null,
    },
  };
  return [
    {
      data: { values },
      mark: { type: 'line', strokeWidth: 2, interpolate: 'linear', clip },
      encoding: {
        ...enc,
        strokeDash: {
          field: 'key',
          type: 'nominal',
          scale: { domain: keys, range: series.map((s) => s.dash) },
          legend: null,
        },
      },
    },
    {
      data: { values },
      mark: {
        type: 'point',
        filled: true,
        size: 26,
        stroke: o.colors.bg,
        strokeWidth: 0.5,
        opacity: 1,
        clip,
      },
      encoding: {
        ...enc,
        shape: {
          field: 'key',
          type: 'nominal',
          scale: { domain: keys, range: series.map((s) => s.shape) },
          legend: null,
        },
      },
    },
  ];
}
