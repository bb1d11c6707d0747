/** Heatmap colour: parsing, luminance and contrast, the sampled ramp adapted to the background, the colour scale and cell ink. */
import type { HeatRow } from './types.js';

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

export const r10 = (x: number): number => Math.round(x * 1e10) / 1e10;

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
