/**
 * Design tokens. Hosts theme every element through the public `--fin-*` custom properties; each
 * element copies them into private `--_*` tokens with the light or dark default as fallback, so a
 * host override wins in both themes and `theme="dark"` only changes the fallbacks.
 */
export interface Token {
  /** Public custom property. */
  name: string;
  /** Private property the elements read. */
  private: string;
  light: string;
  dark: string;
  description: string;
}

const tk = (name: string, light: string, dark: string, description: string): Token => ({
  name: `--fin-${name}`,
  private: `--_${name}`,
  light,
  dark,
  description,
});

export const TOKENS: Token[] = [
  tk('color-bg', '#ffffff', '#111827', 'Card background'),
  tk('color-surface', '#f8fafc', '#1f2937', 'Raised surface: table headers, popovers'),
  tk('color-fg', '#111827', '#f3f4f6', 'Primary text'),
  tk('color-muted', '#4b5563', '#c4cad3', 'Secondary text (contrast ≥ 4.5:1 on bg)'),
  tk('color-border', '#d9dee5', '#374151', 'Borders and grid lines'),
  tk('color-accent', '#1d4ed8', '#7aa2ff', 'Accent: selection, focus, primary series'),
  tk('color-good', '#047857', '#34d399', 'Favourable change (before colour convention)'),
  tk('color-bad', '#b91c1c', '#f87171', 'Unfavourable change (before colour convention)'),
  tk('color-up', '#c62828', '#ff6b6b', 'Rise colour in the Chinese market convention (red up)'),
  tk('color-down', '#1b7f3b', '#4ade80', 'Fall colour in the Chinese market convention (green down)'),
  tk('color-warning', '#92400e', '#fbbf24', 'Partial-data warnings'),
  tk('color-warning-bg', '#fffbeb', '#3b2f0b', 'Partial-data warning background'),
  tk('color-error', '#b91c1c', '#fca5a5', 'Error text'),
  tk('color-focus', '#1d4ed8', '#93c5fd', 'Focus ring'),
  tk('font-family', "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif", "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif", 'Font stack (CJK-capable)'),
  tk('font-size', '14px', '14px', 'Base font size'),
  tk('radius', '8px', '8px', 'Card corner radius'),
  tk('space', '12px', '12px', 'Base spacing unit'),
  tk('shadow', '0 1px 2px rgba(0,0,0,.06), 0 1px 3px rgba(0,0,0,.1)', '0 1px 2px rgba(0,0,0,.5)', 'Card shadow'),
  tk('scheme-sequential', 'blues', 'tealblues', 'Vega scheme for sequential heat colours'),
  tk('scheme-diverging', 'redblue', 'redblue', 'Vega scheme for diverging colours'),
  tk('scheme-categorical', 'tableau10', 'tableau10', 'Vega scheme for categories'),
];

/** Categorical palette used by d3-drawn elements (funnel, sankey), matching tableau10. */
export const CATEGORICAL = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** DPD bucket colours: green (current) through amber to deep red (M7+). */
export const BUCKET_COLORS = ['#59a14f', '#edc948', '#f28e2b', '#e8743b', '#e15759', '#c03a3a', '#9b2226', '#5c0f14'];

/** CSS text declaring the private tokens for one theme (constant input only; never data). */
export function tokenCss(theme: 'light' | 'dark'): string {
  return TOKENS.map((t) => `${t.private}: var(${t.name}, ${theme === 'light' ? t.light : t.dark});`).join('\n');
}

/** Vega config derived from resolved token values (a plain JSON object). */
export function vegaConfig(v: { fg: string; muted: string; border: string; bg: string; font: string; categorical: string }): Record<string, unknown> {
  return {
    background: null,
    font: v.font,
    view: { stroke: null },
    axis: { labelColor: v.muted, titleColor: v.muted, domainColor: v.border, gridColor: v.border, tickColor: v.border, labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
    legend: { labelColor: v.muted, titleColor: v.muted, labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
    title: { color: v.fg },
    text: { color: v.fg },
    range: { category: { scheme: v.categorical } },
    header: { labelColor: v.muted, titleColor: v.muted },
  };
}
