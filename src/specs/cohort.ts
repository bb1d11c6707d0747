/**
 * Cohort and vintage views as Vega-Lite specs: a pure pipeline, no DOM and no Lit.
 *
 *   result ─ cohortModel() ─▶ CohortModel (dense grid, censored cells null, labels localised)
 *          ─ matrixLayout() ─▶ sizes (row height, column band, header stride, value labels on/off)
 *          ─ cohortSpec()   ─▶ Vega-Lite JSON (matrix: rect + text layers; curves: line + point layers)
 *
 * Every string that reaches Vega is a value in `data.values` or a localised constant; field names
 * are constants of this module; no expression is built (the fill and ink of each cell, the line
 * colours and widths are computed here and passed as values with `scale: null`).
 */
import { COHORT_AREA } from '../format/messages/cohort.js';
import { msg } from '../format/messages.js';
import { formatCompact, formatPeriod, formatValue } from '../format/number.js';
import type { Locale } from '../format/number.js';

/** A Vega-Lite spec as plain JSON. */
export type VlSpec = Record<string, unknown>;

/** Minimal shape of a metric result read here (the engine's `MetricResult`). */
export interface CohortResultLike {
  data: Array<Record<string, unknown>>;
  basis: { metric?: string; measure?: string; options?: Record<string, unknown> };
  meta?: Record<string, unknown>;
}

export type CohortKind = 'retention' | 'vintage';
export type CohortUnit = 'week' | 'month' | 'quarter';

/** One row of the grid: a cohort (or vintage) and its cells p = 0..periods−1. */
export interface CohortRowModel {
  /** Cohort key as the engine gives it: `YYYY-MM`, week Monday `YYYY-MM-DD` or `YYYY-Qn`. */
  key: string;
  /** Localised label: 2023年6月 / Jun 2023. */
  label: string;
  /** Cohort size: entities (retention), principal or loans (vintage); null when unknown. */
  size: number | null;
  /** Localised, compact size text. */
  sizeText: string;
  /** Value per period index; null = right-censored (or undefined), drawn blank. */
  values: Array<number | null>;
  /** Numerator per period (active entities, Σ amount, or bad outstanding / loans); null when censored. */
  counts: Array<number | null>;
}

export interface CohortModel {
  kind: CohortKind;
  unit: CohortUnit;
  /** `ratio` values are fractions shown as percentages; `count` values are entity counts. */
  valueKind: 'ratio' | 'count';
  /** What the size column holds. */
  sizeKind: 'customers' | 'principal' | 'loans';
  /** Vintage measure (`amount` / `count`), retention value (`retention` / `count` / `amount`). */
  measure: string;
  rows: CohortRowModel[];
  /** Number of period columns (max period + 1). */
  periods: number;
  locale: Locale;
}

/** Which row keys a result uses, per kind. */
const PERIOD_FIELD: Record<CohortKind, string> = { retention: 'period', vintage: 'mob' };
const VALUE_FIELD: Record<CohortKind, string> = { retention: 'value', vintage: 'rate' };
const COUNT_FIELD: Record<CohortKind, string> = { retention: 'active', vintage: 'numerator' };

/** Upper bound on period columns drawn (weekly cohorts over years would otherwise explode). */
export const MAX_PERIODS = 120;

const M = (locale: Locale, key: string, vars?: Record<string, string | number>): string =>
  msg(locale, key, vars, COHORT_AREA);

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Whether a result comes from the `vintage` metric (by basis, else by row shape). */
export function isVintageResult(r: CohortResultLike, fallback: CohortKind = 'retention'): boolean {
  const m = r.basis?.metric;
  if (m === 'vintage') return true;
  if (m === 'cohort') return false;
  const first = r.data[0];
  if (first && 'mob' in first) return true;
  if (first && 'period' in first) return false;
  return fallback === 'vintage';
}

/**
 * Normalise a `cohort` or `vintage` result into a dense grid. Rows may come in any order and may
 * omit censored cells; missing cells are null. Throws when a row has no cohort key or no period
 * (the element shows that as its error state).
 */
export function cohortModel(
  r: CohortResultLike,
  locale: Locale,
  fallback: CohortKind = 'retention',
): CohortModel {
  const kind: CohortKind = isVintageResult(r, fallback) ? 'vintage' : 'retention';
  const meta = r.meta ?? {};
  const opts = r.basis?.options ?? {};
  const pField = PERIOD_FIELD[kind];
  const vField = VALUE_FIELD[kind];
  // Numerator per cell: active entities, Σ amount (retention by amount), bad outstanding / loans.
  const cField = kind === 'retention' && String(opts['value']) === 'amount' ? 'amount' : COUNT_FIELD[kind];
  const unitRaw = (meta['unit'] ?? opts['unit'] ?? 'month') as string;
  const unit: CohortUnit = unitRaw === 'week' || unitRaw === 'quarter' ? unitRaw : 'month';
  const measure = String(
    kind === 'vintage'
      ? (r.basis?.measure ?? meta['measure'] ?? opts['measure'] ?? 'amount')
      : (opts['value'] ?? 'retention'),
  );
  const valueKind = kind === 'retention' && measure === 'count' ? 'count' : 'ratio';
  const sizeKind = kind === 'retention' ? 'customers' : measure === 'count' ? 'loans' : 'principal';

  // Sizes per cohort: vintage meta.cohorts objects, retention row.size (or meta.sizes).
  const sizes = new Map<string, number | null>();
  const order: string[] = [];
  const metaCohorts = meta['cohorts'];
  if (Array.isArray(metaCohorts)) {
    metaCohorts.forEach((c: unknown, i) => {
      if (typeof c === 'string') {
        order.push(c);
        const s = Array.isArray(meta['sizes']) ? num((meta['sizes'] as unknown[])[i]) : null;
        if (s !== null) sizes.set(c, s);
      } else if (c && typeof c === 'object' && typeof (c as Record<string, unknown>)['cohort'] === 'string') {
        const o = c as Record<string, unknown>;
        const key = o['cohort'] as string;
        order.push(key);
        sizes.set(key, num(sizeKind === 'principal' ? o['principal'] : o['loans']));
      }
    });
  }

  let maxP = -1;
  const cells = new Map<string, Map<number, { v: number | null; n: number | null }>>();
  for (const row of r.data) {
    const key = row['cohort'];
    const p = row[pField];
    if (typeof key !== 'string' || key === '')
      throw new Error(`A ${kind} row has no "cohort" (row keys: ${Object.keys(row).join(', ')})`);
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0) {
      throw new Error(`A ${kind} row has no integer "${pField}" (row keys: ${Object.keys(row).join(', ')})`);
    }
    if (!cells.has(key)) {
      cells.set(key, new Map());
      if (!order.includes(key)) order.push(key);
    }
    if (p >= MAX_PERIODS) continue;
    if (p > maxP) maxP = p;
    cells.get(key)!.set(p, { v: num(row[vField]), n: num(row[cField]) });
    if (!sizes.has(key)) {
      const s = kind === 'retention' ? num(row['size']) : num(row['denominator']);
      if (s !== null) sizes.set(key, s);
    }
  }
  const metaMax = num(meta['maxPeriod']) ?? (num(meta['mobs']) !== null ? num(meta['mobs'])! - 1 : null);
  if (metaMax !== null && metaMax > maxP) maxP = Math.min(metaMax, MAX_PERIODS - 1);
  const periods = maxP + 1;
  // Keep meta order when given; otherwise ascending keys (YYYY-MM… sort chronologically as text).
  const keys = Array.isArray(metaCohorts) ? order.filter((k) => cells.has(k)) : [...order].sort();
  const rows: CohortRowModel[] = keys.map((key) => {
    const byP = cells.get(key)!;
    const values: Array<number | null> = [];
    const counts: Array<number | null> = [];
    for (let p = 0; p < periods; p++) {
      const c = byP.get(p);
      values.push(c ? c.v : null);
      counts.push(c ? c.n : null);
    }
    const size = sizes.get(key) ?? null;
    return {
      key,
      label: formatPeriod(key, locale),
      size,
      sizeText: sizeText(size, sizeKind, locale),
      values,
      counts,
    };
  });
  return { kind, unit, valueKind, sizeKind, measure, rows, periods, locale };
}

const enCompact3 = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });

/**
 * Size column text: counts in full below 10,000, else compact (1.23万 / 12.3K). Principal is
 * compact without the currency sign (the column header names it), three significant digits, so
 * the column stays narrow: 1055万 / 10.6M.
 */
function sizeText(size: number | null, kind: CohortModel['sizeKind'], locale: Locale): string {
  if (size === null) return '—';
  if (kind === 'principal') return locale === 'zh-CN' ? formatCompact(size, locale) : enCompact3.format(size);
  return size < 1e4 ? formatValue(size, 'count', locale) : formatCompact(size, locale);
}

/** Column header of period index p: `p3` / `MOB3`. */
export function periodLabel(m: Pick<CohortModel, 'kind' | 'locale'>, p: number): string {
  return M(m.locale, m.kind === 'vintage' ? 'mobCol' : 'periodCol', { n: p });
}

/** Axis title of the period dimension. */
export function periodAxisTitle(m: Pick<CohortModel, 'kind' | 'unit' | 'locale'>): string {
  if (m.kind === 'vintage') return M(m.locale, 'axisMob');
  return M(m.locale, m.unit === 'week' ? 'axisWeek' : m.unit === 'quarter' ? 'axisQuarter' : 'axisMonth');
}

/** Name of the value: retention / active / amount retention / bad rate. */
export function valueName(m: Pick<CohortModel, 'kind' | 'measure' | 'locale'>): string {
  if (m.kind === 'vintage') return M(m.locale, 'valueVintage');
  return M(
    m.locale,
    m.measure === 'count' ? 'valueCount' : m.measure === 'amount' ? 'valueAmount' : 'valueRetention',
  );
}

/** Header of the row-label column and of the size column. */
export function headers(m: Pick<CohortModel, 'kind' | 'sizeKind' | 'locale'>): {
  cohort: string;
  size: string;
} {
  return {
    cohort: M(m.locale, m.kind === 'vintage' ? 'vintage' : 'cohort'),
    size: M(
      m.locale,
      m.sizeKind === 'principal' ? 'principal' : m.sizeKind === 'loans' ? 'loans' : 'customers',
    ),
  };
}

/** Format a cell value: percent for ratios, compact count otherwise; null → em dash. */
export function formatCell(
  m: Pick<CohortModel, 'valueKind' | 'locale'>,
  v: number | null,
  digits = 1,
): string {
  if (v === null) return '—';
  if (m.valueKind === 'count')
    return v < 1e4 ? formatValue(v, 'count', m.locale) : formatCompact(v, m.locale);
  return formatValue(v, 'percent', m.locale, digits);
}

/**
 * Colour domain `[lo, hi]` of the heat scale, chosen so that differences between cohorts show:
 * - Retention at p = 0 is 100% by definition (the count at p = 0 is the cohort size), so p = 0 is
 *   left out when later periods exist; it is clamped to the top colour.
 * - `lo` is the smallest value (0 when values reach down near 0; ratios floored to 5%), so a
 *   retention matrix between 80% and 100% is not drawn in one colour.
 * - `hi` is the largest value, or the 95th percentile when a few outliers exceed it by half again
 *   (one bad vintage must not wash out every other cohort). Values above are clamped; the legend
 *   says so (≥).
 */
export function colorDomain(m: CohortModel): [number, number] {
  const skipP0 = m.kind === 'retention' && m.periods > 1;
  let vals: number[] = [];
  for (const r of m.rows) r.values.forEach((v, p) => v !== null && !(skipP0 && p === 0) && vals.push(v));
  if (!vals.length) for (const r of m.rows) for (const v of r.values) if (v !== null) vals.push(v);
  vals = vals.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!vals.length) return [0, 1];
  const min = vals[0]!;
  const max = vals[vals.length - 1]!;
  let hi = max;
  if (vals.length >= 20) {
    const q = vals[Math.min(vals.length - 1, Math.floor(0.95 * (vals.length - 1)))]!;
    if (q > 0 && max > 1.5 * q) hi = q;
  }
  let lo = min < 0 ? min : min <= hi * 0.25 ? 0 : min;
  if (m.valueKind === 'ratio' && lo > 0) lo = Math.floor(lo * 20) / 20;
  if (!(hi > lo)) return lo > 0 ? [0, lo] : [lo, lo + 1];
  return [lo, hi];
}

// ---------------------------------------------------------------------------------------------
// Colour arithmetic (sRGB): the same piecewise-linear ramp Vega would interpolate, so the ink of
// every value label can be chosen for contrast against the fill it sits on.

const HEX = /^#([0-9a-f]{6})$/i;

/** Parse `#rrggbb` (or `#rgb`) into [r, g, b] 0..255; null when not a hex colour. */
export function parseHex(c: string): [number, number, number] | null {
  let s = c.trim();
  if (/^#[0-9a-f]{3}$/i.test(s)) s = '#' + s.slice(1).replace(/./g, (ch) => ch + ch);
  const m = HEX.exec(s);
  if (!m) return null;
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: [number, number, number]): string {
  return (
    '#' +
    [r, g, b]
      .map((x) =>
        Math.round(Math.max(0, Math.min(255, x)))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

/** Colour at t ∈ [0, 1] of a ramp of hex stops, linear in sRGB between evenly spaced stops. */
export function rampColor(ramp: readonly string[], t: number): string {
  const stops = ramp.map(parseHex).filter((x): x is [number, number, number] => x !== null);
  if (stops.length === 0) return '#808080';
  if (stops.length === 1) return toHex(stops[0]!);
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return toHex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

/** WCAG relative luminance of a hex colour. */
export function luminance(c: string): number {
  const rgb = parseHex(c) ?? [128, 128, 128];
  const [r, g, b] = rgb.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two hex colours. */
export function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * Value-label inks: pure black and white. Any fill has ≥ 4.58:1 contrast with one of them; a
 * softer near-black (#111827) drops to 4.4:1 on mid-ramp blues.
 */
export const INK_DARK = '#000000';
export const INK_LIGHT = '#ffffff';

/** Of two candidate text colours, the one with more contrast on `fill`. */
export function inkFor(fill: string, dark: string, light: string): string {
  return contrast(fill, dark) >= contrast(fill, light) ? dark : light;
}

/** Default heat ramps (hex stops, light→dark in light theme, dark→light in dark theme). */
export const RAMP_LIGHT = ['#dbe9f6', '#a9cce8', '#5fa3d3', '#2470b3', '#0b3d78'];
export const RAMP_DARK = ['#1b3350', '#1f5282', '#2f7fbf', '#64addf', '#b6def7'];

/** Parse a ramp token (`#a #b #c`, commas allowed); falls back when fewer than two valid stops. */
export function parseRamp(token: string, fallback: readonly string[]): string[] {
  const stops = token
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => parseHex(s) !== null)
    .map((s) => toHex(parseHex(s)!));
  return stops.length >= 2 ? stops : [...fallback];
}

// ---------------------------------------------------------------------------------------------
// Layout

/** Approximate rendered width of a label (CJK ideographs are 1 em; Latin and digits ≈ 0.6 em). */
export function textWidth(s: string, fontSize: number): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x2e80) w += fontSize;
    else if (/[A-Z%MW@]/.test(ch)) w += fontSize * 0.72;
    else if (/[0-9]/.test(ch)) w += fontSize * 0.58;
    else if (/[.,:;'|!il ]/.test(ch)) w += fontSize * 0.3;
    else w += fontSize * 0.56;
  }
  return Math.ceil(w);
}

export interface CohortTheme {
  /** Heat ramp stops (hex). */
  ramp: string[];
  /** Text, secondary text, background, border, accent (hex or CSS colours). */
  fg: string;
  muted: string;
  bg: string;
  border: string;
  accent: string;
}

export interface CohortSpecOptions {
  /** Available width in CSS pixels (the whole view: labels, size column and plot). */
  width: number;
  display: 'matrix' | 'curves';
  /** Key of the selected cohort, highlighted. */
  selected?: string | null;
  theme: CohortTheme;
}

export interface MatrixLayout {
  /** Width of the row-label column and of the size column. */
  labelW: number;
  sizeW: number;
  /** Plot (cell area) width and height. */
  plotW: number;
  plotH: number;
  /** Width of one period column and height of one row. */
  bandW: number;
  rowH: number;
  /** Show every `stride`-th column header. */
  stride: number;
  /** Column headers as bare numbers (`12`) instead of `p12` / `MOB12` when the full ones do not fit. */
  numericHeads: boolean;
  /** Whether values are written in the cells, and with how many fraction digits. */
  showValues: boolean;
  digits: number;
  /** Font size of value labels. */
  valueFont: number;
}

const LABEL_FONT = 11;
const GAP = 8;
/** Distance of the column headers above the cells. */
const HEAD_GAP = 5;

/** Sizes of the matrix for a width: every label measured, value labels only where they fit. */
export function matrixLayout(m: CohortModel, width: number): MatrixLayout {
  const h = headers(m);
  const labelW = Math.max(
    textWidth(h.cohort, LABEL_FONT),
    ...m.rows.map((r) => textWidth(r.label, LABEL_FONT)),
  );
  const sizeW = Math.max(
    textWidth(h.size, LABEL_FONT),
    ...m.rows.map((r) => textWidth(r.sizeText, LABEL_FONT)),
  );
  const cols = Math.max(1, m.periods);
  const plotW = Math.max(cols * 3, Math.floor(width - labelW - sizeW - 2 * GAP - 10));
  const bandW = plotW / cols;
  const n = m.rows.length;
  const rowH = n <= 6 ? 28 : n <= 14 ? 24 : n <= 24 ? 20 : 17;
  const plotH = Math.max(1, n) * rowH;
  const last = Math.max(0, cols - 1);
  const fullW = textWidth(periodLabel(m, last), LABEL_FONT) + 6;
  const numericHeads = fullW > bandW;
  const stride = numericHeads ? Math.max(1, Math.ceil((textWidth(String(last), LABEL_FONT) + 6) / bandW)) : 1;
  // Value labels: the widest label of the chosen precision must fit in a column with 4px to spare.
  const valueFont = rowH >= 20 ? 11 : 10;
  let digits = m.kind === 'vintage' ? 2 : 1;
  let showValues = false;
  if (rowH >= 17) {
    for (; digits >= 0; digits--) {
      let widest = 0;
      for (const r of m.rows)
        for (const v of r.values)
          if (v !== null) widest = Math.max(widest, textWidth(formatCell(m, v, digits), valueFont));
      if (widest + 4 <= bandW) {
        showValues = true;
        break;
      }
      if (m.valueKind === 'count') break;
    }
    if (!showValues) digits = 0;
  }
  return {
    labelW,
    sizeW,
    plotW,
    plotH,
    bandW,
    rowH,
    stride,
    numericHeads,
    showValues,
    digits: Math.max(0, digits),
    valueFont,
  };
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The Vega-Lite spec of a cohort model: a heat matrix or one retention curve per cohort. */
export function cohortSpec(m: CohortModel, o: CohortSpecOptions): VlSpec {
  return o.display === 'curves' ? curvesSpec(m, o) : matrixSpec(m, o);
}

function matrixSpec(m: CohortModel, o: CohortSpecOptions): VlSpec {
  const L = matrixLayout(m, o.width);
  const th = o.theme;
  const [lo, hi] = colorDomain(m);
  const h = headers(m);
  const cols = Array.from({ length: m.periods }, (_, p) => periodLabel(m, p));
  const sel = o.selected ?? null;
  const cells: Array<Record<string, unknown>> = [];
  const texts: Array<Record<string, unknown>> = [];
  m.rows.forEach((r, row) => {
    r.values.forEach((v, p) => {
      if (v === null) return; // right-censored: drawn blank, never as 0
      const t = hi > lo ? (v - lo) / (hi - lo) : 0;
      const fill = rampColor(th.ramp, t);
      const cell = { row, col: cols[p], period: p, cohort: r.key, value: v, fill };
      cells.push(cell);
      if (L.showValues)
        texts.push({ ...cell, text: formatCell(m, v, L.digits), ink: inkFor(fill, INK_DARK, INK_LIGHT) });
    });
  });
  const rowLabels = m.rows.map((r, row) => ({
    row,
    cohort: r.key,
    label: r.label,
    size: r.sizeText,
    ink: r.key === sel ? th.accent : th.fg,
  }));
  // Column headers and the period title are text marks (not an axis): bare numbers when thinned.
  const x = {
    field: 'col',
    type: 'ordinal',
    scale: { domain: cols, paddingInner: 0, paddingOuter: 0 },
    axis: null,
  };
  const heads = cols
    .map((col, p) => ({ col, text: L.numericHeads ? String(p) : col }))
    .filter((_, p) => p % L.stride === 0);
  const y = {
    field: 'row',
    type: 'ordinal',
    scale: { domain: m.rows.map((_, i) => i), paddingInner: 0, paddingOuter: 0 },
    axis: null,
  };
  const gap = L.bandW >= 6 && L.rowH >= 6 ? 1 : 0;
  const layer: VlSpec[] = [
    {
      data: { values: cells },
      mark: {
        type: 'rect',
        stroke: th.bg,
        strokeWidth: gap,
        cursor: 'pointer',
        tooltip: { content: 'data' },
        aria: false,
      },
      encoding: { x, y, fill: { field: 'fill', type: 'nominal', scale: null, legend: null } },
    },
  ];
  if (L.showValues && texts.length) {
    layer.push({
      data: { values: texts },
      mark: {
        type: 'text',
        fontSize: L.valueFont,
        baseline: 'middle',
        align: 'center',
        cursor: 'pointer',
        tooltip: { content: 'data' },
        aria: false,
      },
      encoding: {
        x: { field: 'col', type: 'ordinal' },
        y: { field: 'row', type: 'ordinal' },
        text: { field: 'text', type: 'nominal' },
        fill: { field: 'ink', type: 'nominal', scale: null, legend: null },
      },
    });
  }
  const labelX = -(L.sizeW + 2 * GAP);
  layer.push(
    {
      // Row labels: clickable marks (an axis label has no datum to select with).
      data: { values: rowLabels },
      mark: {
        type: 'text',
        align: 'right',
        baseline: 'middle',
        fontSize: LABEL_FONT,
        cursor: 'pointer',
        aria: false,
      },
      encoding: {
        x: { value: labelX },
        y: { field: 'row', type: 'ordinal' },
        text: { field: 'label', type: 'nominal' },
        fill: { field: 'ink', type: 'nominal', scale: null, legend: null },
      },
    },
    {
      data: { values: rowLabels },
      mark: {
        type: 'text',
        align: 'right',
        baseline: 'middle',
        fontSize: LABEL_FONT,
        fill: th.muted,
        cursor: 'pointer',
        aria: false,
      },
      encoding: {
        x: { value: -GAP },
        y: { field: 'row', type: 'ordinal' },
        text: { field: 'size', type: 'nominal' },
      },
    },
    {
      data: { values: heads },
      mark: {
        type: 'text',
        align: 'center',
        baseline: 'bottom',
        fontSize: LABEL_FONT,
        fill: th.muted,
        aria: false,
      },
      encoding: {
        x: { field: 'col', type: 'ordinal' },
        y: { value: -HEAD_GAP },
        text: { field: 'text', type: 'nominal' },
      },
    },
    {
      data: { values: [{ text: periodAxisTitle(m) }] },
      mark: {
        type: 'text',
        align: 'center',
        baseline: 'bottom',
        fontSize: LABEL_FONT,
        fill: th.muted,
        aria: false,
      },
      encoding: {
        x: { value: L.plotW / 2 },
        y: { value: -(HEAD_GAP + LABEL_FONT + 6) },
        text: { field: 'text', type: 'nominal' },
      },
    },
    ...[
      { text: h.cohort, x: labelX },
      { text: h.size, x: -GAP },
    ].map((head) => ({
      // Column headers, level with the period headers of the top axis.
      data: { values: [{ text: head.text }] },
      mark: {
        type: 'text',
        align: 'right',
        baseline: 'bottom',
        fontSize: LABEL_FONT,
        fill: th.muted,
        aria: false,
      },
      encoding: { x: { value: head.x }, y: { value: -HEAD_GAP }, text: { field: 'text', type: 'nominal' } },
    })),
  );
  const selRow = m.rows.findIndex((r) => r.key === sel);
  if (selRow >= 0) {
    layer.push({
      data: { values: [{ row: selRow, cohort: sel }] },
      mark: { type: 'rect', fill: null, stroke: th.accent, strokeWidth: 2, cursor: 'pointer', aria: false },
      encoding: {
        x: { value: labelX - L.labelW - 4 },
        x2: { value: L.plotW + 1 },
        y: { field: 'row', type: 'ordinal' },
      },
    });
  }
  return {
    $schema: SCHEMA,
    width: L.plotW,
    height: L.plotH,
    autosize: { type: 'pad' },
    padding: { left: 0, right: 2, top: 0, bottom: 2 },
    layer,
    config: { view: { stroke: null } },
  };
}

/** Line colour of cohort i of n: a stretch of the ramp with ≥ 3:1 contrast to the background, older lighter. */
export function curveColors(n: number, th: CohortTheme): string[] {
  // Start of the ramp stretch with enough contrast for 2px lines (WCAG 1.4.11: 3:1).
  let t0 = 0;
  while (t0 < 0.8 && contrast(rampColor(th.ramp, t0), th.bg) < 3) t0 += 0.02;
  return Array.from({ length: n }, (_, i) => rampColor(th.ramp, n === 1 ? 1 : t0 + ((1 - t0) * i) / (n - 1)));
}

function curvesSpec(m: CohortModel, o: CohortSpecOptions): VlSpec {
  const th = o.theme;
  const sel = o.selected ?? null;
  const colors = curveColors(m.rows.length, th);
  const points: Array<Record<string, unknown>> = [];
  let ymax = 0;
  // Draw the selected cohort last (on top).
  const order = m.rows
    .map((_, i) => i)
    .sort((a, b) => Number(m.rows[a]!.key === sel) - Number(m.rows[b]!.key === sel));
  for (const i of order) {
    const r = m.rows[i]!;
    const on = sel === null || r.key === sel;
    r.values.forEach((v, p) => {
      if (v === null) return; // censored: the line ends at the last observed period
      if (v > ymax) ymax = v;
      points.push({
        row: i,
        cohort: r.key,
        period: p,
        value: v,
        stroke: colors[i],
        sw: r.key === sel ? 3 : 1.5,
        op: on ? 1 : 0.3,
      });
    });
  }
  const height = Math.round(Math.max(180, Math.min(320, o.width * 0.5)));
  const ratio = m.valueKind === 'ratio';
  let ymin = Infinity;
  for (const pt of points) ymin = Math.min(ymin, pt['value'] as number);
  // Retention curves live near the top when retention is high: start the axis at the tenth below
  // the lowest point instead of 0 (lines, unlike bars, do not need a zero baseline).
  const yLo =
    ratio && m.kind === 'retention' && ymin > 0.4 && ymax <= 1 ? Math.floor(ymin * 10 - 0.5) / 10 : 0;
  const yTop = ratio && m.kind === 'retention' && ymax <= 1 ? 1 : ymax > 0 ? ymax * 1.05 : 1;
  const x = {
    field: 'period',
    type: 'quantitative',
    scale: { domain: [0, Math.max(1, m.periods - 1)], nice: false },
    axis: {
      title: periodAxisTitle(m),
      tickMinStep: 1,
      format: 'd',
      grid: false,
      labelFontSize: LABEL_FONT,
      aria: false,
    },
  };
  const y = {
    field: 'value',
    type: 'quantitative',
    scale: { domain: [Math.max(0, yLo), yTop], nice: !(m.kind === 'retention' && ratio), zero: false },
    axis: {
      title: valueName(m),
      format: ratio ? (yTop < 0.05 ? '.1%' : '.0%') : ',.0f',
      tickCount: 5,
      labelFontSize: LABEL_FONT,
      aria: false,
    },
  };
  const common = {
    x,
    y,
    detail: { field: 'row', type: 'nominal' },
    stroke: { field: 'stroke', type: 'nominal', scale: null, legend: null },
    opacity: { field: 'op', type: 'quantitative', scale: null, legend: null },
  };
  return {
    $schema: SCHEMA,
    // Vega fits the plot into the width after measuring the axes.
    width: Math.max(120, Math.floor(o.width)),
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 0, right: 10, top: 6, bottom: 4 },
    data: { values: points },
    layer: [
      {
        // No tooltip on the line itself: a line's datum is one of its points, so the points carry it.
        mark: { type: 'line', interpolate: 'linear', cursor: 'pointer', aria: false },
        encoding: {
          ...common,
          strokeWidth: { field: 'sw', type: 'quantitative', scale: null, legend: null },
        },
      },
      {
        mark: {
          type: 'point',
          filled: true,
          size: 24,
          cursor: 'pointer',
          tooltip: { content: 'data' },
          aria: false,
        },
        encoding: {
          ...common,
          fill: { field: 'stroke', type: 'nominal', scale: null, legend: null },
          stroke: { value: null },
        },
      },
    ],
    config: { view: { stroke: null } },
  };
}

/** Approximate number of marks a spec draws (for the canvas-above-1k renderer choice). */
export function markCount(m: CohortModel, display: 'matrix' | 'curves', width: number): number {
  let cells = 0;
  for (const r of m.rows) for (const v of r.values) if (v !== null) cells++;
  if (display === 'curves') return cells + m.rows.length;
  const L = matrixLayout(m, width);
  return cells * (L.showValues ? 2 : 1) + 2 * m.rows.length;
}
