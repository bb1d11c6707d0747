/** The cohort spec of a display (matrix or curves) and its mark count. */
import { curvesSpec } from './curves.js';
import { matrixLayout } from './layout.js';
import type { CohortSpecOptions } from './layout.js';
import { matrixSpec } from './matrix.js';
import type { CohortModel } from './model.js';
import type { VlSpec } from './shared.js';

/** The Vega-Lite spec of a cohort model: a heat matrix or one retention curve per cohort. */
export function cohortSpec(m: CohortModel, o: CohortSpecOptions): VlSpec {
  return o.display === 'curves' ? curvesSpec(m, o) : matrixSpec(m, o);
}

/** Approximate number of marks a spec draws (for the canvas-above-1k renderer choice). */
export function markCount(m: CohortModel, display: 'matrix' | 'curves', width: number): number {
  let cells = 0;
  for (const r of m.rows) for (const v of r.values) if (v !== null) cells++;
  if (display === 'curves') return cells + m.rows.length;
  const L = matrixLayout(m, width);
  return cells * (L.showValues ? 2 : 1) + 2 * m.rows.length;
}
