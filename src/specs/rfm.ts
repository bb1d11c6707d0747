/**
 * RFM views as Vega-Lite specs: a pure pipeline, no DOM and no Lit.
 *
 *   result ─ rfmModel() ───────▶ RfmModel (segments in scheme order, labels localised, shares,
 *                                 the 5 × 5 R × F grid, cn8 thresholds)
 *          ─ segmentColors() ──▶ one colour per segment id, the same in every view
 *          ─ rfmBarSpec()      ▶ two bar panels (customers | Σ monetary), direct value labels
 *          ─ rfmTreemapSpec()  ▶ squarified tiles (area = customers or Σ monetary), labels that fit
 *          ─ rfmGridSpec()     ▶ R score × F score heatmap with counts; rf10 segment regions and
 *                                 labels, or the cn8 high/low quadrants split at the mean scores
 *
 * CSP: no expression is ever built from data. Field names are constants of this module; colours,
 * opacities, pixel positions and label texts are computed here and travel in `data.values`, read
 * with `scale: null`. Text that reaches Vega is either a localised constant or a formatted number.
 */
import { msg } from '../format/messages.js';
import { RFM_AREA } from '../format/messages/rfm.js';
import { formatValue } from '../format/number.js';
import type { Locale } from '../format/number.js';
import { inkOn, parseColor, textWidth } from './heatmap.js';
import type { TextMeasure } from './heatmap.js';

export type { TextMeasure };
/** Text width estimate (node, or when no canvas is available). */
export { textWidth };

/** A Vega-Lite spec as plain JSON. */
export type VlSpec = Record<string, unknown>;

export type RfmScheme = 'cn8' | 'rf10' | 'custom';
export type RfmDisplay = 'overview' | 'grid' | 'table';
export type RfmOverview = 'bar' | 'treemap';
export type RfmSizeBy = 'customers' | 'monetary';

/** Minimal shape of a metric result read here (the engine's `MetricResult`). */
export interface RfmResultLike {
  data: Array<Record<string, unknown>>;
  basis?: { options?: Record<string, unknown> } | undefined;
  meta?: Record<string, unknown> | undefined;
}

/** cn8 segment ids in display order (METRICS.md table order). */
export const CN8_IDS = [
  'important_value',
  'important_develop',
  'important_retain',
  'important_winback',
  'general_value',
  'general_develop',
  'general_retain',
  'general_winback',
] as const;

/**
 * rf10 segments and their R and F score ranges (inclusive). Mirrors `RF10` of
 * src/engine/metrics/rfm.ts (a unit test keeps them equal) so that a presentational element
 * never pulls in engine code.
 */
export const RF10_RANGES: ReadonlyArray<{ id: string; r: [number, number]; f: [number, number] }> = [
  { id: 'champions', r: [5, 5], f: [4, 5] },
  { id: 'loyal', r: [3, 4], f: [4, 5] },
  { id: 'potential_loyalist', r: [4, 5], f: [2, 3] },
  { id: 'new_customers', r: [5, 5], f: [1, 1] },
  { id: 'promising', r: [4, 4], f: [1, 1] },
  { id: 'need_attention', r: [3, 3], f: [3, 3] },
  { id: 'about_to_sleep', r: [3, 3], f: [1, 2] },
  { id: 'at_risk', r: [1, 2], f: [3, 4] },
  { id: 'cant_lose', r: [1, 2], f: [5, 5] },
  { id: 'hibernating', r: [1, 2], f: [1, 2] },
];
export const RF10_IDS = RF10_RANGES.map((s) => s.id);

/** The cn8 quadrant of the R × F plane a segment lies in (M splits it into important / general). */
export type Cn8Quadrant = 'value' | 'develop' | 'retain' | 'winback';
export function cn8Quadrant(id: string): Cn8Quadrant | null {
  const m = /^(?:important|general)_(value|develop|retain|winback)$/.exec(id);
  return m ? (m[1] as Cn8Quadrant) : null;
}
/** The quadrant of R high/low × F high/low (cn8: 价值 = R高F高, 发展 = R高F低, 保持 = R低F高, 挽留 = R低F低). */
export function quadrantOf(rHigh: boolean, fHigh: boolean): Cn8Quadrant {
  return rHigh ? (fHigh ? 'value' : 'develop') : fHigh ? 'retain' : 'winback';
}

// ---------------------------------------------------------------------------------------------
// Model

export interface RfmSegment {
  id: string;
  /** Localised label (the row's `label`, else the id). */
  label: string;
  /** Position in the scheme's order. */
  index: number;
  customers: number;
  /** customers / scored customers. */
  share: number | null;
  /** Σ M of the segment. */
  monetary: number;
  /** Σ M / Σ M of all segments. */
  monetaryShare: number | null;
  meanR: number | null;
  meanF: number | null;
  meanM: number | null;
  meanRecencyDays: number | null;
  meanFrequency: number | null;
  meanMonetary: number | null;
}

export interface RfmGridCell {
  /** R score 1–5. */
  r: number;
  /** F score 1–5. */
  f: number;
  customers: number;
}

export interface RfmModel {
  scheme: RfmScheme;
  locale: Locale;
  segments: RfmSegment[];
  /** Scored customers (meta.scored, else Σ customers). */
  scored: number;
  /** Customers not scored (no transaction in the window), when known. */
  unscored: number | null;
  totalMonetary: number;
  /** The 25 cells, r-major (r = 1..5, f = 1..5); null when the result carries no grid. */
  grid: RfmGridCell[] | null;
  /** cn8 high/low thresholds (mean scores, or the fixed threshold). */
  thresholds: { R: number; F: number; M: number } | null;
  /**
   * The cn8 高/低 rule (meta.thresholdMode): `score4` (default, score ≥ 4), `mean-score`,
   * `mean-value` (thresholds are raw means) or `fixed`; null when the result does not say.
   */
  thresholdMode: 'score4' | 'mean-score' | 'mean-value' | 'fixed' | null;
  asOf: string | null;
  windowDays: number | null;
  /** `sum` (default) or `mean` monetary. */
  monetaryMode: 'sum' | 'mean';
}

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function labelOf(v: unknown, id: string, locale: Locale): string {
  if (typeof v === 'string' && v) return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const s = o[locale] ?? o['en-US'] ?? o['zh-CN'];
    if (typeof s === 'string' && s) return s;
  }
  return id;
}

/**
 * The scheme of a result: `basis.options.scheme` when the segment ids agree with it, else inferred
 * from the ids (a hand-made result may carry a stale option; colours and the grid depend on it).
 */
export function schemeOf(r: RfmResultLike): RfmScheme {
  const ids = r.data.map((d) => d['segment']);
  const all = (set: readonly unknown[]): boolean => ids.length > 0 && ids.every((id) => set.includes(id));
  const s = r.basis?.options?.['scheme'];
  if (s === 'custom') return 'custom';
  if (s === 'cn8' && (ids.length === 0 || all(CN8_IDS))) return 'cn8';
  if (s === 'rf10' && (ids.length === 0 || all(RF10_IDS))) return 'rf10';
  if (all(CN8_IDS)) return 'cn8';
  if (all(RF10_IDS)) return 'rf10';
  return 'custom';
}

/**
 * Normalise an `rfm` result. Rows keep the engine's (scheme) order. Throws when a row has no
 * `segment` id or no numeric `customers` (the element shows that as its error state).
 */
export function rfmModel(r: RfmResultLike, locale: Locale): RfmModel {
  const meta = r.meta ?? {};
  const opts = r.basis?.options ?? {};
  const rows = r.data;
  let sumCustomers = 0;
  let totalMonetary = 0;
  for (const row of rows) {
    const id = row['segment'];
    const n = num(row['customers']);
    if (typeof id !== 'string' || id === '')
      throw new Error(`An rfm row has no "segment" (row keys: ${Object.keys(row).join(', ')})`);
    if (n === null) throw new Error(`The rfm row "${id}" has no numeric "customers"`);
    sumCustomers += n;
    totalMonetary += num(row['monetary']) ?? 0;
  }
  const scored = num(meta['scored']) ?? sumCustomers;
  const seen = new Map<string, number>();
  const segments: RfmSegment[] = rows.map((row, index) => {
    const id = row['segment'] as string;
    const customers = num(row['customers'])!;
    const monetary = num(row['monetary']) ?? 0;
    let label = labelOf(row['label'], id, locale);
    // Labels are the y domain of the bars: keep them one-to-one.
    const c = seen.get(label) ?? 0;
    seen.set(label, c + 1);
    if (c > 0) label = `${label} (${c + 1})`;
    const share = num(row['share']);
    return {
      id,
      label,
      index,
      customers,
      share: share ?? (scored > 0 ? customers / scored : null),
      monetary,
      monetaryShare: totalMonetary !== 0 ? monetary / totalMonetary : null,
      meanR: num(row['meanR']),
      meanF: num(row['meanF']),
      meanM: num(row['meanM']),
      meanRecencyDays: num(row['meanRecencyDays']),
      meanFrequency: num(row['meanFrequency']),
      meanMonetary: num(row['meanMonetary']),
    };
  });

  let grid: RfmGridCell[] | null = null;
  const g = meta['grid'];
  if (Array.isArray(g) && g.length) {
    const counts = new Map<number, number>();
    for (const cell of g as Array<Record<string, unknown>>) {
      const rr = num(cell?.['r']);
      const ff = num(cell?.['f']);
      const n = num(cell?.['customers']);
      if (rr !== null && ff !== null && rr >= 1 && rr <= 5 && ff >= 1 && ff <= 5)
        counts.set(rr * 10 + ff, n ?? 0);
    }
    if (counts.size) {
      grid = [];
      for (let rr = 1; rr <= 5; rr++)
        for (let ff = 1; ff <= 5; ff++) grid.push({ r: rr, f: ff, customers: counts.get(rr * 10 + ff) ?? 0 });
    }
  }
  const th = meta['thresholds'] as Record<string, unknown> | undefined;
  const thresholds =
    th && num(th['R']) !== null && num(th['F']) !== null
      ? { R: num(th['R'])!, F: num(th['F'])!, M: num(th['M']) ?? 3 }
      : null;
  const asOfRaw = meta['asOf'] ?? opts['asOf'];
  const excluded = num(meta['excluded']);
  return {
    scheme: schemeOf(r),
    locale,
    segments,
    scored,
    unscored: excluded,
    totalMonetary,
    grid,
    thresholds,
    thresholdMode: ['score4', 'mean-score', 'mean-value', 'fixed'].includes(meta['thresholdMode'] as string)
      ? (meta['thresholdMode'] as RfmModel['thresholdMode'])
      : null,
    asOf: typeof asOfRaw === 'string' ? asOfRaw : null,
    windowDays: num(meta['windowDays'] ?? opts['windowDays']),
    monetaryMode: opts['monetary'] === 'mean' ? 'mean' : 'sum',
  };
}

// ---------------------------------------------------------------------------------------------
// Colours

/** Resolved theme colours (from the element's tokens). */
export interface RfmTheme {
  fg: string;
  muted: string;
  bg: string;
  border: string;
  accent: string;
}

/** Whether a background is dark (the dark theme, or a host's dark card). */
export function isDark(bg: string): boolean {
  const c = parseColor(bg);
  if (!c) return false;
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2] < 110;
}

const hex = (rgb: number[]): string =>
  '#' +
  rgb
    .map((v) =>
      Math.round(Math.max(0, Math.min(255, v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('');

/** `a` blended toward `b` by w (0 = a, 1 = b), in RGB. */
export function mix(a: string, b: string, w: number): string {
  const x = parseColor(a) ?? [128, 128, 128];
  const y = parseColor(b) ?? [128, 128, 128];
  return hex([x[0] + (y[0] - x[0]) * w, x[1] + (y[1] - x[1]) * w, x[2] + (y[2] - x[2]) * w]);
}

/**
 * cn8 hues per quadrant. "Important" segments take the hue, "general" ones the hue faded toward
 * the card background: the value quadrant is the accent, win-back is grey, so the eye goes to
 * 重要价值 first and 一般挽留 recedes — in both themes.
 */
const CN8_HUES: Record<Cn8Quadrant, { light: string; dark: string }> = {
  value: { light: '', dark: '' }, // the theme accent
  develop: { light: '#047857', dark: '#34d399' },
  retain: { light: '#7c3aed', dark: '#b794f6' },
  winback: { light: '#4b5563', dark: '#9ca3af' },
};

/** rf10 colours, best to worst: blues/greens for engaged customers, amber to red for slipping ones, grey for hibernating. */
const RF10_COLORS: Record<string, { light: string; dark: string }> = {
  champions: { light: '', dark: '' }, // the theme accent
  loyal: { light: '#4f46e5', dark: '#a5b4fc' },
  potential_loyalist: { light: '#0e7490', dark: '#22d3ee' },
  new_customers: { light: '#047857', dark: '#34d399' },
  promising: { light: '#4d7c0f', dark: '#a3e635' },
  need_attention: { light: '#a16207', dark: '#facc15' },
  about_to_sleep: { light: '#8b5cf6', dark: '#c4b5fd' },
  at_risk: { light: '#c2410c', dark: '#fb923c' },
  cant_lose: { light: '#b91c1c', dark: '#f87171' },
  hibernating: { light: '#6b7280', dark: '#9ca3af' },
};

/** Categorical colours of custom segments (tableau10, as the theme's categorical scheme). */
const CUSTOM_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
];
const UNMATCHED_COLOR = { light: '#9ca3af', dark: '#6b7280' };

/** How far a "general" cn8 segment fades toward the background. */
export const GENERAL_FADE = 0.5;

/**
 * One colour per segment id, stable across views and re-queries. `overrides` (host tokens
 * `--fin-rfm-color-<id>`) win.
 */
export function segmentColors(
  scheme: RfmScheme,
  ids: readonly string[],
  theme: RfmTheme,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const dark = isDark(theme.bg);
  const tone = (c: { light: string; dark: string }): string => (dark ? c.dark : c.light) || theme.accent;
  const out: Record<string, string> = {};
  let k = 0;
  for (const id of ids) {
    let c: string;
    const q = cn8Quadrant(id);
    if (scheme !== 'custom' && q) {
      const hue = tone(CN8_HUES[q]);
      c = id.startsWith('important_') ? hue : mix(hue, theme.bg, GENERAL_FADE);
    } else if (scheme !== 'custom' && RF10_COLORS[id]) c = tone(RF10_COLORS[id]!);
    else if (id === 'unmatched') c = tone(UNMATCHED_COLOR);
    else c = CUSTOM_COLORS[k++ % CUSTOM_COLORS.length]!;
    const o = overrides[id];
    out[id] = o && parseColor(o) ? o : c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared

const AXIS_FONT = 11;
const VALUE_FONT = 11;
const M = (locale: Locale, key: string, vars?: Record<string, string | number>): string =>
  msg(locale, key, vars, RFM_AREA);

export interface RfmSpecInput {
  model: RfmModel;
  /** Available width in CSS px. */
  width: number;
  theme: RfmTheme;
  /** Segment colours (segmentColors). */
  colors: Record<string, string>;
  /** Selected segment ids (one, or a cn8 quadrant's two); the rest are dimmed. */
  selected?: readonly string[] | null | undefined;
  /** Text alternative: the view's `description` (Vega puts it on the container as aria-label). */
  description?: string | undefined;
  /** Text measurer (px); the element passes a canvas one, node tests use the estimate. */
  measure?: TextMeasure | undefined;
}

const DIM = 0.32;
/** Text of dimmed marks stays readable (the marks themselves fade further). */
const DIM_TEXT = 0.6;
const textOpacity = (op: number): number => (op < 1 ? DIM_TEXT : 1);

function opacityFor(ids: readonly string[], selected: readonly string[] | null | undefined): number {
  if (!selected || selected.length === 0) return 1;
  return ids.some((id) => selected.includes(id)) ? 1 : DIM;
}

/** Formatted texts of a segment (customers, shares, Σ M), shared by bars, treemap and tooltip. */
export function segmentTexts(
  s: RfmSegment,
  locale: Locale,
): { customers: string; share: string; monetary: string; monetaryShare: string } {
  return {
    customers: formatValue(s.customers, 'count', locale),
    share: formatShare(s.share, locale),
    monetary: formatValue(s.monetary, 'currency-compact', locale),
    monetaryShare: formatShare(s.monetaryShare, locale),
  };
}

/** A share with one decimal; a positive share that would round to 0.0% reads `<0.1%`. */
export function formatShare(x: number | null, locale: Locale): string {
  if (x !== null && x > 0 && x < 0.0005) return `<${formatValue(0.001, 'percent', locale, 1)}`;
  return formatValue(x, 'percent', locale, 1);
}

/** Cut a text to `w` px with an ellipsis; '' when not even two characters and the ellipsis fit. */
export function truncate(text: string, w: number, size: number, measure: TextMeasure = textWidth): string {
  if (measure(text, size) <= w) return text;
  const chars = [...text];
  for (let n = chars.length - 1; n >= 2; n--) {
    const cut = chars.slice(0, n).join('').trimEnd() + '…';
    if (measure(cut, size) <= w) return cut;
  }
  return '';
}

function baseSpec(input: RfmSpecInput): Record<string, unknown> {
  const t = input.theme;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(input.description ? { description: input.description } : {}),
    config: {
      view: { stroke: null },
      axis: {
        labelColor: t.muted,
        titleColor: t.muted,
        labelFontSize: AXIS_FONT,
        titleFontSize: AXIS_FONT,
        titleFontWeight: 'normal',
      },
      title: { color: t.fg, fontSize: 12, fontWeight: 600, anchor: 'start', offset: 6 },
      text: { color: t.fg },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Overview: bars

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

// ---------------------------------------------------------------------------------------------
// Overview: treemap

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Squarified treemap (Bruls, Huizing & van Wijk 2000) of non-negative values in a rectangle.
 * Returns one rectangle per value, in input order; a 0 value gets an empty rectangle. Values are
 * laid out largest first (stable for ties), so the biggest segment sits top-left.
 */
export function squarify(values: readonly number[], box: Rect): Rect[] {
  const out: Rect[] = values.map(() => ({ x0: box.x0, y0: box.y0, x1: box.x0, y1: box.y0 }));
  const order = values
    .map((v, i) => ({ v: Number.isFinite(v) && v > 0 ? v : 0, i }))
    .filter((d) => d.v > 0)
    .sort((a, b) => b.v - a.v || a.i - b.i);
  const total = order.reduce((a, d) => a + d.v, 0);
  if (!(total > 0)) return out;
  let { x0, y0 } = box;
  const { x1, y1 } = box;
  const scale = ((x1 - x0) * (y1 - y0)) / total;
  const areas = order.map((d) => d.v * scale);
  const worst = (row: number[], side: number): number => {
    if (!row.length) return Infinity;
    const s = row.reduce((a, b) => a + b, 0);
    const max = Math.max(...row);
    const min = Math.min(...row);
    return Math.max((side * side * max) / (s * s), (s * s) / (side * side * min));
  };
  let k = 0;
  while (k < order.length) {
    const w = x1 - x0;
    const h = y1 - y0;
    const side = Math.min(w, h);
    const row: number[] = [areas[k]!];
    let j = k + 1;
    while (j < order.length && worst([...row, areas[j]!], side) <= worst(row, side)) {
      row.push(areas[j]!);
      j++;
    }
    const s = row.reduce((a, b) => a + b, 0);
    const last = j >= order.length;
    if (w >= h) {
      // A column at the left edge.
      const cw = last ? w : s / h;
      let y = y0;
      row.forEach((a, q) => {
        const rh = q === row.length - 1 ? y1 - y : a / cw;
        out[order[k + q]!.i] = { x0, y0: y, x1: x0 + cw, y1: y + rh };
        y += rh;
      });
      x0 += cw;
    } else {
      // A row at the top edge.
      const rh = last ? h : s / w;
      let x = x0;
      row.forEach((a, q) => {
        const cw = q === row.length - 1 ? x1 - x : a / rh;
        out[order[k + q]!.i] = { x0: x, y0, x1: x + cw, y1: y0 + rh };
        x += cw;
      });
      y0 += rh;
    }
    k = j;
  }
  return out;
}

/** A treemap tile as it reaches Vega (pixel positions, read with `scale: null`). */
export interface RfmTileDatum extends Rect {
  seg: string;
  label: string;
  fill: string;
  op: number;
  st: string | null;
}

/** A line of tile text (pixel position of its top-left corner). */
export interface RfmTileText {
  seg: string;
  label: string;
  x: number;
  y: number;
  text: string;
  ink: string;
  size: number;
  weight: number;
  op: number;
}

export const TILE_GAP = 2;
const TILE_PAD = 6;
const TILE_LINE = 15;
/** Width of bold text relative to regular (the measurer knows regular only). */
const BOLD_WIDTH = 1.12;

/** Treemap height for a width: a wide, calm rectangle; squarer on narrow cards. */
export function treemapHeight(width: number): number {
  return width < 400
    ? Math.round(Math.max(220, width * 0.8))
    : Math.round(Math.min(380, Math.max(220, width * 0.48)));
}

/** Squarified tiles, one per segment with a positive size; labels (name, customers, Σ M) where they fit. */
export function rfmTreemapSpec(input: RfmSpecInput & { sizeBy?: RfmSizeBy | undefined }): {
  spec: VlSpec;
  tiles: RfmTileDatum[];
  texts: RfmTileText[];
  height: number;
} {
  const { model, theme } = input;
  const L = model.locale;
  const measure = input.measure ?? textWidth;
  const width = Math.max(160, Math.floor(input.width) - 2);
  const height = treemapHeight(width);
  const by: RfmSizeBy = input.sizeBy === 'monetary' ? 'monetary' : 'customers';
  const rects = squarify(
    model.segments.map((s) => s[by]),
    { x0: 0, y0: 0, x1: width, y1: height },
  );
  const tiles: RfmTileDatum[] = [];
  const texts: RfmTileText[] = [];
  model.segments.forEach((s, i) => {
    const r = rects[i]!;
    if (r.x1 - r.x0 <= 0 || r.y1 - r.y0 <= 0) return;
    const g = TILE_GAP / 2;
    const t: RfmTileDatum = {
      seg: s.id,
      label: s.label,
      x0: round1(r.x0 + g),
      y0: round1(r.y0 + g),
      x1: round1(Math.max(r.x0 + g, r.x1 - g)),
      y1: round1(Math.max(r.y0 + g, r.y1 - g)),
      fill: input.colors[s.id] ?? theme.accent,
      op: opacityFor([s.id], input.selected),
      st: input.selected?.includes(s.id) ? theme.fg : null,
    };
    tiles.push(t);
    const ink = inkOn(t.fill);
    const tx = segmentTexts(s, L);
    // Each line with shorter fallbacks (without the share) for narrow tiles.
    const customersLine = [
      `${M(L, 'customersN', { n: tx.customers })} · ${tx.share}`,
      M(L, 'customersN', { n: tx.customers }),
    ];
    const monetaryLine = [`${tx.monetary} · ${tx.monetaryShare}`, tx.monetary];
    const lines: Array<{ texts: string[]; size: number; weight: number }> = [
      { texts: [s.label], size: 12, weight: 600 },
      { texts: by === 'customers' ? customersLine : monetaryLine, size: 11, weight: 400 },
      { texts: by === 'customers' ? monetaryLine : customersLine, size: 11, weight: 400 },
    ];
    const w = t.x1 - t.x0 - 2 * TILE_PAD;
    const h = t.y1 - t.y0;
    for (let li = 0; li < lines.length; li++) {
      if (TILE_PAD + (li + 1) * TILE_LINE > h - 2) break;
      const line = lines[li]!;
      // The name may be cut with an ellipsis (the tooltip and the segment list have it whole);
      // figures are never cut: the shorter form, or nothing. Names are bold, measured as regular
      // text: they get 12% less room.
      const text =
        li === 0
          ? truncate(line.texts[0]!, w / BOLD_WIDTH, line.size, measure)
          : line.texts.find((x) => measure(x, line.size) <= w);
      if (!text) break;
      texts.push({
        seg: s.id,
        label: s.label,
        x: round1(t.x0 + TILE_PAD),
        y: round1(t.y0 + TILE_PAD - 1 + li * TILE_LINE),
        text,
        ink,
        size: line.size,
        weight: line.weight,
        op: textOpacity(t.op),
      });
    }
  });
  const px = (field: string): Record<string, unknown> => ({
    field,
    type: 'quantitative',
    scale: null,
    axis: null,
  });
  const spec: VlSpec = {
    ...baseSpec(input),
    width,
    height,
    autosize: { type: 'none' },
    padding: { left: 0, top: 0, right: 2, bottom: 0 },
    layer: [
      {
        name: 'tiles',
        data: { values: tiles },
        mark: { type: 'rect', cursor: 'pointer', strokeWidth: 2, cornerRadius: 2 },
        encoding: {
          x: px('x0'),
          x2: { field: 'x1' },
          y: px('y0'),
          y2: { field: 'y1' },
          color: { field: 'fill', type: 'nominal', scale: null },
          opacity: { field: 'op', type: 'quantitative', scale: null },
          stroke: { field: 'st', type: 'nominal', scale: null },
          tooltip: { field: 'label', type: 'nominal' },
        },
      },
      // Names (bold) and figures in two layers: Vega-Lite has no font-weight channel.
      ...([600, 400] as const).map((weight) => ({
        name: weight === 600 ? 'tileNames' : 'tileFigures',
        data: { values: texts.filter((t) => t.weight === weight) },
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'top',
          fontWeight: weight,
          fontSize: weight === 600 ? 12 : 11,
          cursor: 'pointer',
        },
        encoding: {
          x: px('x'),
          y: px('y'),
          text: { field: 'text', type: 'nominal' },
          color: { field: 'ink', type: 'nominal', scale: null },
          opacity: { field: 'op', type: 'quantitative', scale: null },
          tooltip: { field: 'label', type: 'nominal' },
        },
      })),
    ],
  };
  return { spec, tiles, texts, height };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

// ---------------------------------------------------------------------------------------------
// R × F grid

/** A region of the grid: an rf10 segment or a cn8 quadrant (inclusive score ranges). */
export interface RfmRegion {
  /** rf10 segment id, or the cn8 quadrant key. */
  key: string;
  /** Segment ids the region stands for (one for rf10; important + general for a cn8 quadrant). */
  ids: string[];
  label: string;
  r: [number, number];
  f: [number, number];
  /** The hue the region's cells are tinted with. */
  hue: string;
}

/**
 * The regions of a model's scheme: rf10's ten rectangles, or cn8's four quadrants split at the
 * mean scores (high = score above the threshold, so the split lies between ⌊t⌋ and ⌊t⌋ + 1).
 * Custom schemes (rules may use M) and cn8 results without thresholds have none.
 */
export function gridRegions(model: RfmModel, colors: Record<string, string>, accent: string): RfmRegion[] {
  const L = model.locale;
  const byId = new Map(model.segments.map((s) => [s.id, s]));
  if (model.scheme === 'rf10') {
    return RF10_RANGES.map((d) => ({
      key: d.id,
      ids: [d.id],
      label: byId.get(d.id)?.label ?? d.id,
      r: d.r,
      f: d.f,
      hue: colors[d.id] ?? accent,
    }));
  }
  // mean-value thresholds are raw means (days, counts), not scores: no cut in the score grid.
  if (model.scheme === 'cn8' && model.thresholds && model.thresholdMode !== 'mean-value') {
    const cutR = Math.max(0, Math.min(5, Math.floor(model.thresholds.R)));
    const cutF = Math.max(0, Math.min(5, Math.floor(model.thresholds.F)));
    const out: RfmRegion[] = [];
    for (const rHigh of [true, false]) {
      for (const fHigh of [true, false]) {
        const r: [number, number] = rHigh ? [cutR + 1, 5] : [1, cutR];
        const f: [number, number] = fHigh ? [cutF + 1, 5] : [1, cutF];
        if (r[0] > r[1] || f[0] > f[1]) continue;
        const q = quadrantOf(rHigh, fHigh);
        out.push({
          key: q,
          ids: [`important_${q}`, `general_${q}`],
          label: M(L, `quadrant.${q}`),
          r,
          f,
          hue: colors[`important_${q}`] ?? accent,
        });
      }
    }
    return out;
  }
  return [];
}

/** A grid cell as it reaches Vega. */
export interface RfmCellDatum {
  r: number;
  f: number;
  n: number;
  /** Count label. */
  nt: string;
  /** Region key and label (tooltip), or null. */
  region: string | null;
  regionLabel: string | null;
  /** Segment ids of the region (selection). */
  ids: string[];
  fill: string;
  ink: string;
  /** Opacity of the cell and of its count (dimmed when another segment is selected). */
  op: number;
  top: number;
}

export interface RfmRegionDatum {
  key: string;
  ids: string[];
  label: string;
  /** Extent in score units (cell edges at ±0.5). */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Label lines (empty when it does not fit) and their ink. */
  lines: string[];
  ink: string;
  op: number;
  sel: boolean;
}

export interface RfmGridLayout {
  /** Width handed to Vega (plot + y axis + padding), plot size and cell size. */
  width: number;
  plotWidth: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
  /** Whether region labels are drawn (cells tall enough for a label above the count). */
  regionLabels: boolean;
}

export const GRID_MAX_CELL = 130;
const GRID_Y_AXIS = 40;

/** Cell size for a width: up to 130 px wide, a bit more than half as tall (36–80 px). */
export function gridLayout(width: number): RfmGridLayout {
  const avail = Math.max(160, Math.floor(width));
  const plotWidth = Math.min(5 * GRID_MAX_CELL, avail - GRID_Y_AXIS - 8);
  const cellWidth = plotWidth / 5;
  const cellHeight = Math.round(Math.max(36, Math.min(80, cellWidth * 0.62)));
  return {
    width: plotWidth + GRID_Y_AXIS + 8,
    plotWidth,
    height: cellHeight * 5,
    cellWidth,
    cellHeight,
    regionLabels: cellHeight >= 40,
  };
}

/** Split a label into at most two lines at a space (en) or in the middle (zh) to fit `w` px. */
export function fitLabel(label: string, w: number, size: number, measure: TextMeasure = textWidth): string[] {
  if (measure(label, size) <= w) return [label];
  const words = label.split(' ');
  if (words.length > 1) {
    for (let k = words.length - 1; k >= 1; k--) {
      const a = words.slice(0, k).join(' ');
      const b = words.slice(k).join(' ');
      if (measure(a, size) <= w && measure(b, size) <= w) return [a, b];
    }
  } else if (/[\u2e80-\u9fff]/.test(label) && label.length >= 4) {
    const k = Math.ceil(label.length / 2);
    const a = label.slice(0, k);
    const b = label.slice(k);
    if (measure(a, size) <= w && measure(b, size) <= w) return [a, b];
  }
  return [];
}

/**
 * The R × F heatmap: cells tinted with their region's hue by customer count (so segments stay
 * recognisable and the concentration shows), counts in contrast ink, thick gaps between regions,
 * region labels in each region's top-left cell, cn8 thresholds as dashed lines.
 */
export function rfmGridSpec(input: RfmSpecInput): {
  spec: VlSpec;
  layout: RfmGridLayout;
  cells: RfmCellDatum[];
  regions: RfmRegionDatum[];
} | null {
  const { model, theme } = input;
  if (!model.grid) return null;
  const L = model.locale;
  const measure = input.measure ?? textWidth;
  const layout = gridLayout(input.width);
  const regions = gridRegions(model, input.colors, theme.accent);
  const regionAt = (r: number, f: number): RfmRegion | null =>
    regions.find((g) => r >= g.r[0] && r <= g.r[1] && f >= g.f[0] && f <= g.f[1]) ?? null;
  const max = Math.max(1, ...model.grid.map((c) => c.customers));
  const sel = input.selected && input.selected.length ? input.selected : null;
  const cells: RfmCellDatum[] = model.grid.map((c) => {
    const g = regionAt(c.r, c.f);
    const hue = g?.hue ?? theme.accent;
    const t = c.customers / max;
    const fill = mix(theme.bg, hue, 0.1 + 0.9 * t);
    const op = sel ? opacityFor(g?.ids ?? [], sel) : 1;
    return {
      r: c.r,
      f: c.f,
      n: c.customers,
      nt: formatValue(c.customers, 'count', L),
      region: g?.key ?? null,
      regionLabel: g ? (model.scheme === 'cn8' ? M(L, 'quadrantBoth', { name: g.label }) : g.label) : null,
      ids: g?.ids ?? [],
      fill,
      ink: inkOn(fill),
      op,
      top: textOpacity(op),
    };
  });
  const regionData: RfmRegionDatum[] = regions.map((g) => {
    const w = (g.r[1] - g.r[0] + 1) * layout.cellWidth - 10;
    const corner = cells.find((c) => c.r === g.r[0] && c.f === g.f[1])!;
    const h = (g.f[1] - g.f[0] + 1) * layout.cellHeight;
    let lines = layout.regionLabels ? fitLabel(g.label, w, 10, measure) : [];
    // A two-line label needs a taller region than the one-cell minimum, or it runs into the count.
    if (lines.length === 2 && h < 66) lines = [];
    const on = !!sel && g.ids.some((id) => sel.includes(id));
    return {
      key: g.key,
      ids: g.ids,
      label: g.label,
      x0: g.r[0] - 0.5,
      x1: g.r[1] + 0.5,
      y0: g.f[0] - 0.5,
      y1: g.f[1] + 0.5,
      lines,
      ink: corner.ink,
      op: sel && !on ? DIM_TEXT : 1,
      sel: on,
    };
  });
  // Every layer carries the same axis definition: Vega-Lite merges the axes of a shared scale and
  // drops them when a layer says `axis: null`.
  const lin = (field: string, dim: 'x' | 'y'): Record<string, unknown> => ({
    field,
    type: 'quantitative',
    scale: { domain: [0.5, 5.5], nice: false, zero: false },
    axis: {
      title: M(L, dim === 'x' ? 'rAxis' : 'fAxis'),
      values: [1, 2, 3, 4, 5],
      format: 'd',
      ticks: false,
      domain: false,
      grid: false,
      labelPadding: 4,
      titlePadding: 6,
      labelColor: theme.muted,
      titleColor: theme.muted,
      labelFontSize: AXIS_FONT,
    },
  });
  const cellRect = { x: lin('x0', 'x'), x2: { field: 'x1' }, y: lin('y0', 'y'), y2: { field: 'y1' } };
  const cellValues = cells.map((c) => ({
    ...c,
    x0: c.r - 0.5,
    x1: c.r + 0.5,
    y0: c.f - 0.5,
    y1: c.f + 0.5,
    xc: c.r,
    yc: c.f,
  }));
  const layers: Array<Record<string, unknown>> = [
    {
      name: 'cells',
      data: { values: cellValues },
      mark: { type: 'rect', cursor: 'pointer', stroke: theme.bg, strokeWidth: 1 },
      encoding: {
        ...cellRect,
        color: { field: 'fill', type: 'nominal', scale: null },
        opacity: { field: 'op', type: 'quantitative', scale: null },
        tooltip: { field: 'nt', type: 'nominal' },
      },
    },
  ];
  if (regionData.length) {
    // Region gaps: the background colour stroked along region edges (cells inside one region
    // keep their 1 px hairline, regions are set apart by 4 px).
    layers.push({
      name: 'regions',
      data: { values: regionData },
      mark: { type: 'rect', fill: null, stroke: theme.bg, strokeWidth: 4, strokeJoin: 'miter' },
      encoding: cellRect,
    });
    const selected = regionData.filter((g) => g.sel);
    if (selected.length) {
      const inset = 0.035;
      layers.push({
        name: 'selected',
        data: {
          values: selected.map((g) => ({
            ...g,
            x0: g.x0 + inset,
            x1: g.x1 - inset,
            y0: g.y0 + inset * 1.6,
            y1: g.y1 - inset * 1.6,
          })),
        },
        mark: { type: 'rect', fill: null, stroke: theme.fg, strokeWidth: 2 },
        encoding: cellRect,
      });
    }
  }
  if (model.scheme === 'cn8' && model.thresholds && model.thresholdMode !== 'mean-value') {
    const rules: Array<Record<string, unknown>> = [];
    const cutR = Math.floor(model.thresholds.R) + 0.5;
    const cutF = Math.floor(model.thresholds.F) + 0.5;
    if (cutR > 0.5 && cutR < 5.5) rules.push({ x0: cutR, x1: cutR, y0: 0.5, y1: 5.5 });
    if (cutF > 0.5 && cutF < 5.5) rules.push({ x0: 0.5, x1: 5.5, y0: cutF, y1: cutF });
    if (rules.length) {
      layers.push({
        name: 'thresholds',
        data: { values: rules },
        mark: { type: 'rule', stroke: theme.fg, strokeWidth: 1.5, strokeDash: [5, 4], opacity: 0.75 },
        encoding: cellRect,
      });
    }
  }
  layers.push({
    name: 'counts',
    data: { values: cellValues },
    mark: {
      type: 'text',
      align: 'center',
      baseline: 'middle',
      fontSize: 12,
      fontWeight: 600,
      cursor: 'pointer',
      ...(layout.regionLabels ? { dy: 6 } : {}),
    },
    encoding: {
      x: lin('xc', 'x'),
      y: lin('yc', 'y'),
      text: { field: 'nt', type: 'nominal' },
      color: { field: 'ink', type: 'nominal', scale: null },
      opacity: { field: 'top', type: 'quantitative', scale: null },
      tooltip: { field: 'nt', type: 'nominal' },
    },
  });
  const labelled = regionData.filter((g) => g.lines.length);
  if (labelled.length) {
    layers.push({
      name: 'regionLabels',
      data: { values: labelled.map((g) => ({ ...g, tx: g.x0, ty: g.y1 })) },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 6, dy: 5, fontSize: 10, lineHeight: 12 },
      encoding: {
        x: lin('tx', 'x'),
        y: lin('ty', 'y'),
        text: { field: 'lines', type: 'nominal' },
        color: { field: 'ink', type: 'nominal', scale: null },
        opacity: { field: 'op', type: 'quantitative', scale: null },
      },
    });
  }
  const spec: VlSpec = {
    ...baseSpec(input),
    width: layout.plotWidth,
    height: layout.height,
    autosize: { type: 'pad' },
    padding: { left: 0, top: 2, right: 6, bottom: 0 },
    layer: layers,
  };
  return { spec, layout, cells, regions: regionData };
}

/** Approximate number of marks of a view (renderer choice). */
export function markCount(model: RfmModel, display: RfmDisplay): number {
  return display === 'grid' ? 60 : model.segments.length * 4;
}

/** The message key of the cn8 high/low note for the rule in use (older results: the mean scores). */
export function thresholdNoteKey(model: Pick<RfmModel, 'thresholdMode'>): string {
  switch (model.thresholdMode) {
    case 'score4':
      return 'thresholdNoteScore4';
    case 'mean-value':
      return 'thresholdNoteMeanValue';
    case 'fixed':
      return 'thresholdNoteFixed';
    default:
      return 'thresholdNote';
  }
}
