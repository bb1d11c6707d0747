/** Heatmap layout: cell size, axis label thinning, whether value labels fit, legend ticks. */
import type { ValueFormat } from '../../format/number.js';
import { r10 } from './color.js';
import type { HeatColorScale } from './color.js';
import {
  LABEL_MIN_WIDTH,
  LABEL_MIN_HEIGHT,
  AXIS_FONT,
  CELL_FONT,
  textWidth,
  niceTicks,
  digitsForStep,
} from './labels.js';
import type { DimPart, TextMeasure, HeatLayout } from './types.js';

const HOUR_STEPS = [1, 2, 3, 4, 6, 12];
const GENERIC_STEPS = [1, 2, 3, 4, 5, 6, 10, 12, 20, 25, 50, 100];
/** Widest cell: a 2-column grid should not stretch into banners. */
export const MAX_CELL_WIDTH = 120;

/**
 * Cell size, label thinning and value-label decision for a width. The plot takes what the y axis
 * leaves (up to 120 px a cell); cells are about 3/4 as tall as wide within 18–34 px, so a 7 × 24
 * weekday-hour grid stays a short band and a 12 × 12 grid stays square-ish. Value labels use the
 * first text set (e.g. 12.3%) that fits every cell, else the next (12%), else none.
 */
export function heatmapLayout(opts: {
  width: number;
  xLabels: string[];
  yLabels: string[];
  /** Cell label texts per candidate precision, preferred first. */
  valueTexts: string[][];
  xPart: DimPart;
  showLabels?: 'auto' | 'always' | 'never';
  xTitle?: string;
  yTitle?: string;
  measure?: TextMeasure | undefined;
}): HeatLayout {
  const measure = opts.measure ?? textWidth;
  const avail = Math.max(160, Math.floor(opts.width));
  const nx = Math.max(1, opts.xLabels.length);
  const ny = Math.max(1, opts.yLabels.length);
  const yLabelLimit = Math.max(48, Math.floor(avail * 0.3));
  const yLab = Math.min(yLabelLimit, Math.max(0, ...opts.yLabels.map((s) => measure(s, AXIS_FONT))));
  // labelPadding 4 + labels + title (11 px rotated, titlePadding ~4) + a little slack.
  const yAxisWidth = Math.ceil(yLab + 6 + (opts.yTitle ? AXIS_FONT + 8 : 0));
  let plotWidth = Math.max(40, avail - yAxisWidth - 6);
  let cellWidth = plotWidth / nx;
  if (cellWidth > MAX_CELL_WIDTH) {
    cellWidth = MAX_CELL_WIDTH;
    plotWidth = nx * MAX_CELL_WIDTH;
  }
  const width = Math.min(avail, Math.ceil(plotWidth + yAxisWidth + 6));
  const cellHeight = Math.max(LABEL_MIN_HEIGHT, Math.min(34, Math.round(cellWidth * 0.75)));
  const xLab = Math.max(0, ...opts.xLabels.map((s) => measure(s, AXIS_FONT)));
  let xLabelStep = 1;
  let xLabelAngle = 0;
  const need = xLab + 8;
  if (need > cellWidth) {
    if (opts.xPart === 'category') {
      // Unordered categories: rotate rather than drop any; thin only when even rotated they collide.
      xLabelAngle = cellWidth >= AXIS_FONT * 1.8 ? -45 : -90;
      const perLabel = xLabelAngle === -45 ? AXIS_FONT * 1.6 : AXIS_FONT + 3;
      xLabelStep = pickStep(Math.ceil(perLabel / cellWidth), GENERIC_STEPS);
    } else {
      xLabelStep = pickStep(Math.ceil(need / cellWidth), opts.xPart === 'hour' ? HOUR_STEPS : GENERIC_STEPS);
    }
  }
  const mode = opts.showLabels ?? 'auto';
  let labelSet = -1;
  const big = cellWidth >= LABEL_MIN_WIDTH && cellHeight >= LABEL_MIN_HEIGHT;
  if (mode === 'always') labelSet = 0;
  else if (mode === 'auto' && big) {
    labelSet = opts.valueTexts.findIndex(
      (set) => Math.max(0, ...set.map((t) => measure(t, CELL_FONT))) + 6 <= cellWidth,
    );
  }
  return {
    width,
    yAxisWidth,
    plotWidth,
    cellWidth,
    cellHeight,
    height: ny * cellHeight,
    labels: labelSet >= 0,
    labelSet,
    xLabelStep,
    xLabelAngle,
    yLabelLimit,
  };
}

function pickStep(min: number, steps: number[]): number {
  for (const s of steps) if (s >= min) return s;
  return min;
}

/**
 * Legend ticks that fit a gradient of `length` px: nice ticks, fewer until their labels (and a
 * 10 px gap) fit; a diverging scale's centre is always labelled and crowding ticks give way.
 */
export function legendTicks(
  scale: HeatColorScale,
  length: number,
  label: (v: number, digits?: number) => string,
  format: ValueFormat,
  measure: TextMeasure = textWidth,
): { values: number[]; text: string[] } {
  const pos = (v: number): number => ((v - scale.lo) / (scale.hi - scale.lo || 1)) * length;
  for (let count = 6; count >= 1; count--) {
    let ticks = niceTicks(scale.lo, scale.hi, count);
    const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : Math.abs(scale.hi - scale.lo) / 2;
    const digits = format === 'percent' || format === 'number' ? digitsForStep(step, format) : undefined;
    let text = ticks.map((v) => label(v, digits));
    if (scale.mid !== null) {
      const midText = label(scale.mid, format === 'percent' ? Math.max(digits ?? 0, 1) : digits);
      const half = (measure(midText, AXIS_FONT) + 10) / 2;
      const keep = ticks.map(
        (v, i) => Math.abs(pos(v) - pos(scale.mid!)) > half + measure(text[i]!, AXIS_FONT) / 2,
      );
      ticks = ticks.filter((_, i) => keep[i]);
      text = text.filter((_, i) => keep[i]);
      const at = ticks.findIndex((v) => v > scale.mid!);
      const j = at < 0 ? ticks.length : at;
      ticks.splice(j, 0, scale.mid);
      text.splice(j, 0, midText);
    }
    // Vega left-aligns a label at the gradient's start and right-aligns one at its end.
    const extent = (i: number): [number, number] => {
      const p = pos(ticks[i]!);
      const w = measure(text[i]!, AXIS_FONT);
      return p <= 0.5 ? [p, p + w] : p >= length - 0.5 ? [p - w, p] : [p - w / 2, p + w / 2];
    };
    let ok = true;
    for (let i = 1; i < ticks.length && ok; i++) {
      if (extent(i)[0] - extent(i - 1)[1] < 5) ok = false;
    }
    if (ok || count === 1) return { values: ticks.map(r10), text };
  }
  return { values: [], text: [] };
}
