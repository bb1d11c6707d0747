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
export { CN8_IDS, RF10_RANGES, RF10_IDS, cn8Quadrant, quadrantOf } from './rfm/segments.js';
export type {
  VlSpec,
  RfmScheme,
  RfmDisplay,
  RfmOverview,
  RfmSizeBy,
  RfmResultLike,
  Cn8Quadrant,
} from './rfm/segments.js';
export { schemeOf, rfmModel, markCount, thresholdNoteKey } from './rfm/model.js';
export type { RfmSegment, RfmGridCell, RfmModel } from './rfm/model.js';
export { isDark, mix, GENERAL_FADE, segmentColors } from './rfm/colors.js';
export type { RfmTheme } from './rfm/colors.js';
export { segmentTexts, formatShare, truncate } from './rfm/spec-parts.js';
export type { RfmSpecInput } from './rfm/spec-parts.js';
export { BAR_STEP, PANEL_GAP, barLayout, rfmBarSpec } from './rfm/bars.js';
export type { RfmBarDatum, RfmBarLayout } from './rfm/bars.js';
export { squarify, TILE_GAP, treemapHeight, rfmTreemapSpec } from './rfm/treemap.js';
export type { Rect, RfmTileDatum, RfmTileText } from './rfm/treemap.js';
export { gridRegions, GRID_MAX_CELL, gridLayout, fitLabel, rfmGridSpec } from './rfm/grid.js';
export type { RfmRegion, RfmCellDatum, RfmRegionDatum, RfmGridLayout } from './rfm/grid.js';
export type { TextMeasure } from './heatmap.js';
/** Text width estimate (node, or when no canvas is available). */
export { textWidth } from './heatmap.js';
