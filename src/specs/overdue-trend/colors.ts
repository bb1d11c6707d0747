/** Colour arithmetic (hex parsing, luminance, contrast, mixing) and the DPD bucket ramp. */
import { BUCKET_COLORS } from '../../theme/tokens.js';

function parseHex(hex: string): [number, number, number] | null {
  const s = hex.trim();
  let h = /^#([0-9a-f]{6})$/i.exec(s)?.[1];
  if (!h) {
    const short = /^#([0-9a-f]{3})$/i.exec(s)?.[1];
    if (short) h = short.replace(/./g, (c) => c + c);
  }
  if (h) return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(s);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : null;
}

function toHex([r, g, b]: [number, number, number]): string {
  const c = (x: number): string =>
    Math.round(Math.max(0, Math.min(255, x)))
      .toString(16)
      .padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

/** WCAG relative luminance of a colour (hex or rgb()); 0 for unparseable input. */
export function luminance(color: string): number {
  const p = parseHex(color);
  if (!p) return 0;
  const [r, g, b] = p.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Mix two colours in RGB: `t` = 0 gives `a`, 1 gives `b`. */
export function mix(a: string, b: string, t: number): string {
  const pa = parseHex(a) ?? [0, 0, 0];
  const pb = parseHex(b) ?? [0, 0, 0];
  return toHex([pa[0] + (pb[0] - pa[0]) * t, pa[1] + (pb[1] - pa[1]) * t, pa[2] + (pb[2] - pa[2]) * t]);
}

/**
 * The colour itself when it reaches `min` contrast on `bg`, else the closest shade that does
 * (darkened on light backgrounds, lightened on dark ones). Lines and points are graphics:
 * WCAG 1.4.11 asks 3:1 against the background.
 */
export function ensureContrast(color: string, bg: string, min = 3): string {
  if (contrast(color, bg) >= min) return color;
  const toward = luminance(bg) > 0.4 ? '#000000' : '#ffffff';
  for (let t = 0.05; t <= 1; t += 0.05) {
    const c = mix(color, toward, t);
    if (contrast(c, bg) >= min) return c;
  }
  return toward;
}

/** Bucket colour for index `i` of `n` buckets: the 8-step ramp, spread when there are fewer buckets. */
export function bucketColor(i: number, n: number): string {
  const last = BUCKET_COLORS.length - 1;
  if (n <= 1) return BUCKET_COLORS[0]!;
  const j = n === BUCKET_COLORS.length ? i : Math.round((i * last) / (n - 1));
  return BUCKET_COLORS[Math.max(0, Math.min(last, j))]!;
}
