/** RFM schemes and segment ids: cn8 (with its value / develop / retain / winback quadrants), rf10 score ranges, display kinds. */
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
