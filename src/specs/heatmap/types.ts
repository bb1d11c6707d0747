/** Input, datum and layout types of the heatmap spec builder. */
import type { Locale, ValueFormat } from '../../format/number.js';

/** How a dimension's keys are read: a time part, a category, or numeric bins. */
export type DimPart = 'hour' | 'dow' | 'month' | 'week' | 'day' | 'quarter' | 'year' | 'category' | 'bin';

/** A dimension key as the engine returns it (hour 0–23, ISO weekday 1–7, `YYYY-MM`, a category…). */
export type HeatKey = string | number | boolean | null;

/** One row of a `heatmap` result. */
export interface HeatRow {
  x: HeatKey;
  y: HeatKey;
  value: number | null;
  n?: number | null;
}

/** Resolved theme colours (from tokens). */
export interface HeatColors {
  /** Primary text. */
  fg: string;
  /** Card background. */
  bg: string;
  /** Secondary text (axis labels). */
  muted: string;
  /** Fill of no-data cells. */
  nullFill: string;
  /** Hatch line of no-data cells. */
  nullStroke: string;
  /** Outline of selected cells. */
  accent: string;
}

export interface HeatmapSpecInput {
  rows: HeatRow[];
  /** Ordered x keys (meta.xDomain); derived from the rows when absent. */
  xDomain?: HeatKey[] | null;
  /** Ordered y keys (meta.yDomain); derived from the rows when absent. */
  yDomain?: HeatKey[] | null;
  xPart: DimPart;
  yPart: DimPart;
  locale: Locale;
  /** Available width in CSS px. */
  width: number;
  /** Value format of labels, legend and tooltip. */
  format: ValueFormat;
  /** Fraction digits of cell labels (default: 1 for percent, else the format's). */
  digits?: number | undefined;
  scheme: 'sequential' | 'diverging';
  /** Centre of a diverging scale (default: the n-weighted mean of the cells). */
  domainMid?: number | null | undefined;
  /** Colour ramp, low → high (sampled from the token's scheme by the element). */
  ramp: string[];
  /** Reverse the ramp (after it was fitted to the background). */
  reverse?: boolean;
  colors: HeatColors;
  /** `auto`: value labels only where cells are ≥ 28 × 18 px and the text fits. */
  showLabels?: 'auto' | 'always' | 'never';
  xTitle?: string;
  yTitle?: string;
  /** Legend text of no-data cells (无数据 / No data). */
  noDataLabel: string;
  /** Label of a null key (a missing category): (空) / (blank). */
  blankLabel?: string;
  /** The selected x or y key: that column/row is outlined, the rest dimmed. */
  selected?: { dim: 'x' | 'y'; key: HeatKey } | null;
  /** Text alternative of the chart: the view's `description`, which Vega puts on its container as aria-label. */
  description?: string;
  /** Text measurer (px) for layout; the element passes a canvas one, node tests use the estimate. */
  measure?: TextMeasure | undefined;
}

/** Width in px of a text at a font size. */
export type TextMeasure = (text: string, size: number) => number;

/** A grid cell as it reaches Vega (`data.values`). */
export interface HeatDatum {
  /** Cell index (row-major over y then x). */
  k: number;
  /** Raw keys. */
  xv: HeatKey;
  yv: HeatKey;
  /** Localised axis labels (tooltips, the data table). */
  xl: string;
  yl: string;
  /**
   * Column and row indexes: the band scales' domains. Vega keys axis ticks by domain value in
   * plain objects, so a category labelled `__proto__` or `constructor` must never be a domain
   * value; the labels reach the axes through the `finXLabels` / `finYLabels` params instead.
   */
  xi: number;
  yi: number;
  /** Value (null = no rows / undefined), kept as null. */
  v: number | null;
  /** Rows in the cell. */
  n: number;
  /** Formatted value for the cell label. */
  vt: string;
  /** Label ink chosen for contrast on the cell colour. */
  ink: string;
  /** Opacity (dimmed when another column/row is selected). */
  op: number;
  /** Outline colour (selected) or null. */
  st: string | null;
}

export interface HeatLayout {
  /** Width handed to Vega (fit-x: axes included). */
  width: number;
  /** Estimated width of the y axis (labels + title). */
  yAxisWidth: number;
  /** Estimated plot width and cell size. */
  plotWidth: number;
  cellWidth: number;
  cellHeight: number;
  /** Plot height (cells only). */
  height: number;
  /** Whether value labels are drawn. */
  labels: boolean;
  /** Which candidate label precision was chosen (−1: none). */
  labelSet: number;
  /** Every `xLabelStep`-th x label is shown. */
  xLabelStep: number;
  /** Angle of x labels (0 or −45 / −90 for long category labels). */
  xLabelAngle: number;
  /** Max px of a y label before it is truncated with an ellipsis. */
  yLabelLimit: number;
}
