/** Segment colours, one per segment id and the same in every view (cn8 hues by quadrant, rf10 and custom palettes), light and dark. */
import { parseColor } from '../heatmap.js';
import { cn8Quadrant } from './segments.js';
import type { RfmScheme, Cn8Quadrant } from './segments.js';

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
