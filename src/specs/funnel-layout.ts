/**
 * Funnel geometry, as a pure function: stages and a size in, bar rectangles, drop-off connector
 * polygons and placed (wrapped, truncated) text lines out. No DOM and no Lit, so it runs and is
 * tested in node; `<fin-funnel>` only turns the result into SVG.
 *
 * Pipeline: normalise the metric rows (`normalizeFunnel`) → format the label texts (the element,
 * per locale) → place them (`funnelLayout`) → draw.
 *
 * Text widths are estimated from character classes (a CJK ideograph is 1em, Latin ≈ 0.55em) rather
 * than measured, so the layout is deterministic and identical in node and every browser; the
 * estimate errs wide, so a label that is said to fit does fit.
 */
export { MISSING_GROUP, normalizeFunnel } from './funnel-layout/normalize.js';
export type {
  FunnelOrientation,
  FunnelStageDatum,
  FunnelGroup,
  FunnelModel,
  NormalizeOptions,
} from './funnel-layout/normalize.js';
export { textWidth, truncate, wrapText, formatDuration } from './funnel-layout/text.js';
export { funnelLayout, smallMultiplesGrid } from './funnel-layout/layout.js';
export type {
  Rect,
  TextLine,
  LayoutStageInput,
  LayoutOptions,
  StageLayout,
  ConnectorLayout,
  FunnelLayout,
} from './funnel-layout/layout.js';
