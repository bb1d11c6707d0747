/** The three displays of `<fin-fund-flow>`, the metric each queries and the fields each needs. */
import type { MetricResult } from '../../engine/types.js';

export type FundFlowDisplay = 'sankey' | 'trend' | 'alerts';
export const DISPLAYS: readonly FundFlowDisplay[] = ['sankey', 'trend', 'alerts'];
/** The metric each display queries. */
export const DISPLAY_METRIC: Record<FundFlowDisplay, string> = {
  sankey: 'sankey',
  trend: 'fund_flow',
  alerts: 'txn_alerts',
};
const REQUIRED: Record<FundFlowDisplay, string[]> = {
  sankey: ['source', 'target', 'value'],
  trend: ['period', 'net'],
  alerts: ['customer_id', 'date', 'rule', 'amount'],
};

/**
 * The first field a display needs that the result's rows lack (checked on the first rows), or
 * null when the result fits: a presentational host gets a clear error instead of an empty chart.
 */
export function missingField(display: FundFlowDisplay, r: MetricResult): string | null {
  const rows = r.data.slice(0, 50);
  for (const f of REQUIRED[display]) {
    if (rows.some((row) => !row || typeof row !== 'object' || !(f in row))) return f;
  }
  return null;
}
