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
export type { VlSpec } from './cohort/shared.js';
export { MAX_PERIODS, isVintageResult, cohortModel } from './cohort/model.js';
export type {
  CohortResultLike,
  CohortKind,
  CohortUnit,
  CohortRowModel,
  CohortModel,
} from './cohort/model.js';
export {
  periodLabel,
  periodAxisTitle,
  valueName,
  headers,
  formatCell,
  colorDomain,
} from './cohort/labels.js';
export {
  parseHex,
  rampColor,
  luminance,
  contrast,
  INK_DARK,
  INK_LIGHT,
  inkFor,
  RAMP_LIGHT,
  RAMP_DARK,
  parseRamp,
} from './cohort/color.js';
export { textWidth, matrixLayout } from './cohort/layout.js';
export type { CohortTheme, CohortSpecOptions, MatrixLayout } from './cohort/layout.js';
export { curveColors } from './cohort/curves.js';
export { cohortSpec, markCount } from './cohort/spec.js';
