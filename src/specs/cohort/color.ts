/** Colour arithmetic (sRGB) for the cohort ramp, so each value label's ink is chosen for contrast against its fill. */
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
