/**
 * Vega-Lite spec of the heatmap: x × y rect marks coloured by the cell value, null cells drawn as
 * hatched "no data" cells with their own legend entry, optional value labels whose ink switches for
 * contrast, and a colour legend whose labels are formatted by Finboard (万/亿, %) rather than d3.
 *
 * Pure: no DOM, no Lit. The element resolves tokens (colours, the sampled colour ramp) and passes
 * them in; everything else — labels, layout, colour domain, ink — is computed here so it can be
 * tested in node.
 *
 * CSP: the spec carries no expression built from data. Data values travel in `data.values` and in
 * `params` arrays that constant `labelExpr`s look up: the legend's ticks and texts, and the axis
 * labels. The band scales run over column / row indexes, never over label strings: Vega keys axis
 * ticks by domain value in plain objects, where `__proto__` or `constructor` break (issue 13 #1).
 *
 * Pipeline: grid (every x × y cell, nulls kept) → layout (cell size, label thinning, whether value
 * labels fit) → colour domain and ramp → layers (cells, no-data cells + hatch, labels) → spec.
 */
import { formatPeriod, formatValue } from '../format/number.js';
import type { Locale, ValueFormat } from '../format/number.js';
import { hoistTickValues } from './safe-values.js';

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

export const LABEL_MIN_WIDTH = 28;
export const LABEL_MIN_HEIGHT = 18;
const AXIS_FONT = 11;
const CELL_FONT = 10;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTHS_LONG = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DOWS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Index 0–11 of an English month name or abbreviation ('may', 'Jun', 'september'), else −1. */
export function monthNameIndex(s: string): number {
  const l = s.trim().toLowerCase();
  const i = MONTHS.indexOf(l);
  return i >= 0 ? i : MONTHS_LONG.indexOf(l);
}

function dowNameIndex(s: string): number {
  return DOWS.indexOf(s.trim().toLowerCase().slice(0, 3));
}

/**
 * Localised label of a key: hour 0时 / 00:00, weekday 周一 / Mon, month 2023年6月 / Jun 2023,
 * week (its Monday) 2023年6月5日周 / Wk Jun 5, 2023, quarter, year, booleans 是/否; categories
 * pass through unless `names` says the whole domain is English month or weekday names (the
 * bank-marketing `month` column), which are localised too (5月 / May).
 */
export function dimLabel(
  key: HeatKey,
  part: DimPart,
  locale: Locale,
  blank = locale === 'zh-CN' ? '(空)' : '(blank)',
  names: 'month' | 'dow' | null = null,
): string {
  if (key === null || key === undefined || key === '') return blank;
  if (typeof key === 'boolean') return locale === 'zh-CN' ? (key ? '是' : '否') : key ? 'Yes' : 'No';
  switch (part) {
    case 'hour':
    case 'dow':
      return formatPeriod(Number(key), locale, part);
    case 'month':
    case 'day':
    case 'quarter':
      return formatPeriod(String(key), locale);
    case 'week': {
      const s = formatPeriod(String(key), locale);
      return locale === 'zh-CN' ? `${s}周` : `Wk ${s}`;
    }
    case 'year':
      return locale === 'zh-CN' ? `${key}年` : String(key);
    default: {
      const s = String(key);
      if (names === 'month') {
        const m = monthNameIndex(s);
        if (m >= 0) return locale === 'zh-CN' ? `${m + 1}月` : EN_MONTHS[m]!;
      }
      if (names === 'dow') {
        const d = dowNameIndex(s);
        if (d >= 0) return formatPeriod(d + 1, locale, 'dow');
      }
      return s;
    }
  }
}

/** Whether a category domain is made only of English month names or weekday abbreviations. */
export function nameKind(part: DimPart, keys: HeatKey[]): 'month' | 'dow' | null {
  if (part !== 'category' || keys.length === 0 || !keys.every((k) => typeof k === 'string')) return null;
  const strs = keys as string[];
  if (strs.every((k) => monthNameIndex(k) >= 0)) return 'month';
  if (strs.every((k) => k.length === 3 && dowNameIndex(k) >= 0)) return 'dow';
  return null;
}

const keyId = (k: HeatKey): string => (k === null || k === undefined ? '\u0000' : `${typeof k}:${k}`);

/**
 * Order of a dimension's keys: the given domain (keys missing from it but present in the rows are
 * appended), else derived: numbers ascending, time labels ascending, categories as they came.
 * Category domains made only of English month (or weekday) names are put in calendar order.
 */
export function orderDomain(
  given: HeatKey[] | null | undefined,
  rows: HeatRow[],
  dim: 'x' | 'y',
  part: DimPart,
): HeatKey[] {
  const seen = new Set<string>();
  const out: HeatKey[] = [];
  const add = (k: HeatKey): void => {
    const id = keyId(k);
    if (!seen.has(id)) {
      seen.add(id);
      out.push(k === undefined ? null : k);
    }
  };
  for (const k of given ?? []) add(k);
  for (const r of rows) add(r[dim]);
  if (!given || given.length === 0) {
    if (part !== 'category') out.sort(cmpKey);
  }
  const names = nameKind(part, out);
  if (names === 'month') out.sort((a, b) => monthNameIndex(String(a)) - monthNameIndex(String(b)));
  else if (names === 'dow') out.sort((a, b) => dowNameIndex(String(a)) - dowNameIndex(String(b)));
  return out;
}

function cmpKey(a: HeatKey, b: HeatKey): number {
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && String(a).trim() !== '' && String(b).trim() !== '')
    return na - nb;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Approximate rendered width of a text, on the wide side (DejaVu/Noto metrics): CJK 1 em,
 * digits 0.64 em, % 0.95 em. Used when no canvas measurer is given (node).
 */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x2e80) w += 1;
    else if (ch === '%') w += 0.95;
    else if (/[MW@]/.test(ch)) w += 0.9;
    else if (/[A-Z#&]/.test(ch)) w += 0.7;
    else if (/[0-9$¥]/.test(ch)) w += 0.64;
    else if (/[ .,:;'!|ijlft()\-/]/.test(ch)) w += 0.34;
    else if (/[mw]/.test(ch)) w += 0.9;
    else w += 0.6;
  }
  return w * size;
}

/** Nice ticks in [lo, hi] (d3's algorithm, simplified): steps of 1, 2 or 5 × 10^k. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const span = hi - lo;
  const raw = span / Math.max(1, count);
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const err = raw / pow;
  const step = (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1) * pow;
  const out: number[] = [];
  const start = Math.ceil(lo / step - 1e-9);
  const end = Math.floor(hi / step + 1e-9);
  for (let i = start; i <= end; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** Fraction digits that tell ticks `step` apart in a format (percent 0.05 → 0, 0.005 → 1). */
export function digitsForStep(step: number, format: ValueFormat): number {
  if (!(step > 0)) return format === 'percent' ? 1 : 0;
  const s = format === 'percent' ? step * 100 : step;
  return Math.max(0, Math.min(4, -Math.floor(Math.log10(s) + 1e-9)));
}

// ---------------------------------------------------------------------------------------------
// Colour

/** `#rgb`/`#rrggbb`/`rgb(r, g, b)` → [r, g, b] 0–255, or null. */
export function parseColor(c: string): [number, number, number] | null {
  const s = c.trim();
  let m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) {
    const n = parseInt(m[1]!, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [...m[1]!].map((h) => parseInt(h + h, 16)) as [number, number, number];
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return null;
}

const hex = (rgb: [number, number, number]): string =>
  '#' +
  rgb
    .map((v) =>
      Math.round(Math.max(0, Math.min(255, v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('');

/** WCAG relative luminance. */
export function luminance(c: string): number {
  const rgb = parseColor(c);
  if (!rgb) return 0;
  const [r, g, b] = rgb.map((v) => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Colour of the ramp at t ∈ [0, 1] (piecewise-linear in RGB, as the spec's scale interpolates). */
export function rampAt(ramp: string[], t: number): string {
  const cols = ramp.map(parseColor).filter((c): c is [number, number, number] => c !== null);
  if (cols.length === 0) return '#808080';
  if (cols.length === 1) return hex(cols[0]!);
  const x = Math.max(0, Math.min(1, t)) * (cols.length - 1);
  const i = Math.min(cols.length - 2, Math.floor(x));
  const f = x - i;
  const a = cols[i]!;
  const b = cols[i + 1]!;
  return hex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

/**
 * The label ink for a cell colour: white or black, whichever contrasts more. Pure black (not the
 * theme's near-black) because only the white/black pair reaches 4.5:1 on every colour: at the
 * crossover luminance the better of the two is ≥ 4.58:1, while white/#111827 drops to 4.2:1.
 */
export const INK_LIGHT = '#ffffff';
export const INK_DARK = '#000000';
export function inkOn(cell: string): string {
  return contrast(cell, INK_LIGHT) >= contrast(cell, INK_DARK) ? INK_LIGHT : INK_DARK;
}

function mix(a: string, b: string, w: number): string {
  const x = parseColor(a) ?? [128, 128, 128];
  const y = parseColor(b) ?? [128, 128, 128];
  return hex([x[0] + (y[0] - x[0]) * w, x[1] + (y[1] - x[1]) * w, x[2] + (y[2] - x[2]) * w]);
}

/**
 * Fit a ramp to the card background: the neutral end of the scale fades into the background and
 * the strong end stands out. On a light card that is how the schemes come (light → dark). On a
 * dark card a sequential ramp is turned around (dark → light) and a diverging ramp gets its light
 * centre blended toward the background, so "nothing special" never glares.
 */
export function adaptRamp(ramp: string[], scheme: 'sequential' | 'diverging', bg: string): string[] {
  const cols = ramp.filter((c) => parseColor(c));
  if (cols.length < 2 || luminance(bg) >= 0.2) return cols;
  if (scheme === 'sequential') {
    return luminance(cols[0]!) > luminance(cols[cols.length - 1]!) ? cols.slice().reverse() : cols;
  }
  const r = cols.length % 2 === 1 ? cols : Array.from({ length: 9 }, (_, i) => rampAt(cols, i / 8));
  const k = (r.length - 1) / 2;
  return r.map((c, i) => mix(c, bg, 0.8 * Math.pow(1 - Math.abs(i - k) / k, 3)));
}

/** A colour scale as the spec draws it: piecewise-linear `domain` → `range` (same length). */
export interface HeatColorScale {
  domain: number[];
  range: string[];
  /** Extent of the domain. */
  lo: number;
  hi: number;
  /** Centre of a diverging scale. */
  mid: number | null;
}

/**
 * The colour scale. Sequential: the value extent onto the ramp. Diverging: `mid` (default the
 * row-weighted mean, i.e. the overall rate) onto the ramp's centre, the lowest value onto its low
 * end and the highest onto its high end — each side uses its full colour range, and the legend
 * never shows impossible values (a −50% conversion rate) that a symmetric domain would invent.
 */
export function colorScale(
  rows: HeatRow[],
  scheme: 'sequential' | 'diverging',
  ramp: string[],
  mid?: number | null,
): HeatColorScale {
  let lo = Infinity;
  let hi = -Infinity;
  let sw = 0;
  let s = 0;
  let cnt = 0;
  let plain = 0;
  for (const r of rows) {
    const v = r.value;
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    const w = typeof r.n === 'number' && r.n > 0 ? r.n : 0;
    sw += w;
    s += v * w;
    plain += v;
    cnt++;
  }
  const range = ramp.length >= 2 ? ramp : [ramp[0] ?? '#c6dbef', ramp[0] ?? '#08519c'];
  if (cnt === 0)
    return { domain: [0, 1], range: [range[0]!, range[range.length - 1]!], lo: 0, hi: 1, mid: null };
  if (scheme === 'diverging') {
    const m = mid !== null && mid !== undefined && Number.isFinite(mid) ? mid : sw > 0 ? s / sw : plain / cnt;
    const r =
      range.length % 2 === 1 && range.length >= 3
        ? range
        : Array.from({ length: 9 }, (_, i) => rampAt(range, i / 8));
    const k = (r.length - 1) / 2;
    const span = Math.max(hi - lo, Math.abs(m) * 0.1, 1e-9);
    // Both halves need a positive extent: values all on one side of `mid` still get the centre colour at `mid`.
    const a = Math.min(lo, m - span * 1e-3);
    const b = Math.max(hi, m + span * 1e-3);
    const domain: number[] = [];
    for (let i = 0; i <= k; i++) domain.push(a + ((m - a) * i) / k);
    for (let i = 1; i <= k; i++) domain.push(m + ((b - m) * i) / k);
    return { domain: domain.map(r10), range: r, lo: r10(a), hi: r10(b), mid: m };
  }
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  // Sequential: as many evenly spaced stops as the ramp has colours.
  const domain = range.map((_, i) => r10(lo + ((hi - lo) * i) / (range.length - 1)));
  return { domain, range, lo, hi, mid: null };
}

const r10 = (x: number): number => Math.round(x * 1e10) / 1e10;

/** Colour of a value on a scale (piecewise-linear in RGB, as Vega interpolates the range). */
export function colorOf(scale: HeatColorScale, v: number): string {
  const d = scale.domain;
  if (v <= d[0]!) return scale.range[0]!;
  for (let i = 1; i < d.length; i++) {
    if (v <= d[i]!) {
      const f = (v - d[i - 1]!) / (d[i]! - d[i - 1]! || 1);
      return mix(scale.range[i - 1]!, scale.range[i]!, f);
    }
  }
  return scale.range[scale.range.length - 1]!;
}

// ---------------------------------------------------------------------------------------------
// Layout

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

// ---------------------------------------------------------------------------------------------
// Grid and spec

/** Unique labels: a repeated label gets a counter (" (2)") so scale domains stay one-to-one. */
function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const c = seen.get(l) ?? 0;
    seen.set(l, c + 1);
    return c === 0 ? l : `${l} (${c + 1})`;
  });
}

/**
 * Whether a dimension's labels speak for themselves (hours, weekdays, months, dates, and
 * categories made of month or weekday names), so the axis needs no title.
 */
export function selfExplanatory(part: DimPart, keys: HeatKey[]): boolean {
  return (part !== 'category' && part !== 'bin') || nameKind(part, keys) !== null;
}

export interface HeatGrid {
  xKeys: HeatKey[];
  yKeys: HeatKey[];
  xLabels: string[];
  yLabels: string[];
  cells: HeatDatum[];
  scale: HeatColorScale;
}

/** Digits of cell labels, preferred first (percent: 12.3% then 12%). */
function labelDigits(format: ValueFormat, digits: number | undefined): Array<number | undefined> {
  if (digits !== undefined) return [digits];
  if (format === 'percent') return [1, 0];
  if (format === 'number') return [2, 1, 0];
  return [undefined];
}

/** Every x × y cell (missing ones as null), with labels, texts and ink. */
export function heatGrid(input: HeatmapSpecInput, labelDigitsChoice?: number | undefined): HeatGrid {
  const L = input.locale;
  const xKeys = orderDomain(input.xDomain, input.rows, 'x', input.xPart);
  const yKeys = orderDomain(input.yDomain, input.rows, 'y', input.yPart);
  const xNames = nameKind(input.xPart, xKeys);
  const yNames = nameKind(input.yPart, yKeys);
  const xLabels = uniqueLabels(xKeys.map((k) => dimLabel(k, input.xPart, L, input.blankLabel, xNames)));
  const yLabels = uniqueLabels(yKeys.map((k) => dimLabel(k, input.yPart, L, input.blankLabel, yNames)));
  const byCell = new Map<string, HeatRow>();
  for (const r of input.rows) byCell.set(`${keyId(r.x)}|${keyId(r.y)}`, r);
  const fitted = adaptRamp(
    input.ramp.length ? input.ramp : ['#c6dbef', '#08519c'],
    input.scheme,
    input.colors.bg || '#ffffff',
  );
  const ramp = input.reverse ? fitted.slice().reverse() : fitted;
  const scale = colorScale(input.rows, input.scheme, ramp, input.domainMid);
  const digits = labelDigitsChoice ?? labelDigits(input.format, input.digits)[0];
  const sel = input.selected ?? null;
  const selId = sel ? keyId(sel.key) : '';
  const cells: HeatDatum[] = [];
  yKeys.forEach((yk, yi) => {
    xKeys.forEach((xk, xi) => {
      const r = byCell.get(`${keyId(xk)}|${keyId(yk)}`);
      const raw = r?.value;
      const v = raw === null || raw === undefined || !Number.isFinite(raw) ? null : raw;
      const n = typeof r?.n === 'number' && Number.isFinite(r.n) ? r.n : 0;
      const isSel = sel ? keyId(sel.dim === 'x' ? xk : yk) === selId : false;
      cells.push({
        k: yi * xKeys.length + xi,
        xv: xk,
        yv: yk,
        xl: xLabels[xi]!,
        yl: yLabels[yi]!,
        xi,
        yi,
        v,
        n,
        vt: v === null ? '' : formatValue(v, input.format, L, digits),
        ink: v === null ? input.colors.muted : inkOn(colorOf(scale, v)),
        op: sel && !isSel ? 0.3 : 1,
        st: isSel ? input.colors.accent : null,
      });
    });
  });
  return { xKeys, yKeys, xLabels, yLabels, cells, scale };
}

export interface HeatmapSpecOutput {
  spec: Record<string, unknown>;
  layout: HeatLayout;
  grid: HeatGrid;
}

/** Build the Vega-Lite spec (and the layout and grid it was built from). */
export function heatmapSpec(input: HeatmapSpecInput): HeatmapSpecOutput {
  const candidates = labelDigits(input.format, input.digits);
  let grid = heatGrid(input, candidates[0]);
  const { xLabels, yLabels } = grid;
  const texts = candidates.map((d, i) =>
    i === 0
      ? grid.cells.map((c) => c.vt)
      : grid.cells.map((c) => (c.v === null ? '' : formatValue(c.v, input.format, input.locale, d))),
  );
  const layout = heatmapLayout({
    width: input.width,
    xLabels,
    yLabels,
    valueTexts: texts,
    xPart: input.xPart,
    showLabels: input.showLabels ?? 'auto',
    ...(input.xTitle ? { xTitle: input.xTitle } : {}),
    ...(input.yTitle ? { yTitle: input.yTitle } : {}),
    measure: input.measure,
  });
  if (layout.labelSet > 0) grid = heatGrid(input, candidates[layout.labelSet]);
  const { cells, scale } = grid;
  const c = input.colors;
  const values = cells.filter((d) => d.v !== null);
  const nulls = cells.filter((d) => d.v === null);

  // Legend ticks with Finboard-formatted labels, looked up by a constant labelExpr.
  const gradientLength = Math.round(Math.max(100, Math.min(260, layout.plotWidth * 0.55)));
  const legend = legendTicks(
    scale,
    gradientLength,
    (v, d) => formatValue(v, input.format, input.locale, d),
    input.format,
    input.measure,
  );

  // Bands over indexes, labels looked up in a param by a constant expression (see HeatDatum.xi).
  const xValues = xLabels.map((_, i) => i).filter((i) => i % layout.xLabelStep === 0);
  const x = {
    field: 'xi',
    type: 'ordinal',
    sort: null,
    scale: { domain: xLabels.map((_, i) => i), paddingInner: 0.08, paddingOuter: 0.02 },
    axis: {
      orient: 'top',
      title: input.xTitle || null,
      values: xValues,
      labelExpr: 'finXLabels[datum.value]',
      labelAngle: layout.xLabelAngle,
      labelAlign: layout.xLabelAngle === 0 ? 'center' : 'left',
      labelBaseline: layout.xLabelAngle === 0 ? 'bottom' : 'middle',
      labelLimit: 90,
      labelOverlap: false,
      labelPadding: 4,
      labelFontSize: AXIS_FONT,
      ticks: false,
      domain: false,
      grid: false,
    },
  };
  const y = {
    field: 'yi',
    type: 'ordinal',
    sort: null,
    scale: { domain: yLabels.map((_, i) => i), paddingInner: 0.08, paddingOuter: 0.02 },
    axis: {
      labelExpr: 'finYLabels[datum.value]',
      title: input.yTitle || null,
      labelLimit: layout.yLabelLimit,
      labelOverlap: false,
      labelPadding: 4,
      labelFontSize: AXIS_FONT,
      ticks: false,
      domain: false,
      grid: false,
    },
  };
  const tooltip = { field: 'xl', type: 'nominal' };
  const opacity = { field: 'op', type: 'quantitative', scale: null };
  const stroke = { field: 'st', type: 'nominal', scale: null };

  const layers: Array<Record<string, unknown>> = [
    {
      name: 'cells',
      data: { values },
      mark: { type: 'rect', cornerRadius: 2, cursor: 'pointer', strokeWidth: 2, aria: false },
      encoding: {
        x,
        y,
        color: {
          field: 'v',
          type: 'quantitative',
          scale: {
            type: 'linear',
            domain: scale.domain,
            range: scale.range,
            interpolate: 'rgb',
            zero: false,
            nice: false,
            clamp: true,
          },
          legend: {
            orient: 'bottom',
            direction: 'horizontal',
            title: null,
            gradientLength,
            gradientThickness: 10,
            values: legend.values,
            labelExpr:
              'indexof(legendTicks, datum.value) < 0 ? datum.label : legendText[indexof(legendTicks, datum.value)]',
            labelOverlap: false,
            labelColor: c.muted,
          },
        },
        stroke,
        opacity,
        tooltip,
      },
    },
  ];
  if (nulls.length) {
    layers.push({
      name: 'nodata',
      data: { values: nulls },
      mark: { type: 'rect', cornerRadius: 2, cursor: 'pointer', strokeWidth: 2, aria: false },
      encoding: {
        x,
        y,
        color: {
          datum: input.noDataLabel,
          type: 'nominal',
          scale: { domain: [input.noDataLabel], range: [c.nullFill] },
          legend: {
            orient: 'bottom',
            title: null,
            symbolType: 'M-1,-1H1V1H-1Z M-0.55,0.55L0.55,-0.55',
            symbolStrokeColor: c.nullStroke,
            symbolStrokeWidth: 1,
            symbolSize: 120,
            labelColor: c.muted,
          },
        },
        stroke,
        opacity,
        tooltip,
      },
    });
    // The hatch: a short diagonal across the middle of every no-data cell, so "no data" never
    // reads as a low value. Band positions keep it square-ish whatever the cell's aspect.
    const half = Math.min(layout.cellWidth, layout.cellHeight) * 0.28;
    const bx = Math.min(0.35, half / Math.max(1, layout.cellWidth));
    const by = Math.min(0.35, half / Math.max(1, layout.cellHeight));
    layers.push({
      name: 'hatch',
      data: { values: nulls },
      mark: { type: 'rule', stroke: c.nullStroke, strokeWidth: 1, cursor: 'pointer', aria: false },
      encoding: {
        x: { ...x, bandPosition: r10(0.5 - bx) },
        x2: { field: 'xi', bandPosition: r10(0.5 + bx) },
        y: { ...y, bandPosition: r10(0.5 + by) },
        y2: { field: 'yi', bandPosition: r10(0.5 - by) },
        opacity,
        tooltip,
      },
    });
  }
  if (layout.labels && values.length) {
    layers.push({
      name: 'labels',
      data: { values },
      mark: {
        type: 'text',
        fontSize: CELL_FONT,
        baseline: 'middle',
        align: 'center',
        cursor: 'pointer',
        aria: false,
      },
      encoding: {
        x,
        y,
        text: { field: 'vt', type: 'nominal' },
        color: { field: 'ink', type: 'nominal', scale: null },
        opacity,
        tooltip,
      },
    });
  }

  const spec: Record<string, unknown> = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(input.description ? { description: input.description } : {}),
    width: layout.width,
    height: layout.height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 0, right: 6, top: 0, bottom: 0 },
    params: [
      { name: 'legendTicks', value: legend.values },
      { name: 'legendText', value: legend.text },
      { name: 'finXLabels', value: xLabels },
      { name: 'finYLabels', value: yLabels },
    ],
    layer: layers,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    config: {
      // The container carries the text summary (role=img); per-mark ARIA labels would only read out
      // internal field names ("xl: May; v: 0.0728…").
      aria: false,
      axis: { labelColor: c.muted, titleColor: c.muted, labelFontSize: AXIS_FONT, titleFontWeight: 'normal' },
      legend: { labelFontSize: AXIS_FONT },
      view: { stroke: null },
    },
  };
  return { spec: hoistTickValues(spec), layout, grid };
}
