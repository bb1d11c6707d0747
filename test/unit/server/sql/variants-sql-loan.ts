/**
 * Documented param variants (docs/metrics.md) of the loan-level metrics compiled to SQL in
 * src/server/sql/vintage.ts …: merged into PARAM_VARIANTS (variants.ts). The first three of each
 * meet every filter set of the differential suite; bad params must give the same typed errors.
 */
import type { FilterClause, QueryRequest } from '../../../../src/engine/types.js';

export const LOAN_VARIANTS: Record<string, Array<Record<string, unknown>>> = {
  vintage: [
    {},
    { variant: 'ever' },
    { measure: 'count', d: 0 },
    { variant: 'ever', measure: 'count', maxMob: 3 },
    { d: 12.5, maxMob: 0 },
    // bad params
    { d: -1 },
    { variant: 'sometimes' },
    { maxMob: 1.5 },
  ],
  repayment_rate: [
    {},
    { overdueOnly: true },
    { by: 'region' },
    { overdueOnly: true, by: 'product', edges: [0, 30, 60, 90] },
    // bad params
    { overdueOnly: 'yes' },
    { by: 'dpd' },
  ],
  // No params: filters select the actions (the default source is collection_actions).
  channel_effectiveness: [{}, { ignored: 1 }],
};

/** Params per non-default source (the first meets every filter set, the rest two: a shared box). */
const SOURCE_VARIANTS: Array<{ metric: string; source?: string; params: Array<Record<string, unknown>> }> = [
  // KPI cards over these metrics' series (kpi.ts series mode runs their SQL compilation).
  {
    metric: 'kpi',
    params: [
      { series: { metric: 'repayment_rate' }, direction: 'higher-is-better', target: 0.9 },
      { series: { metric: 'repayment_rate', source: 'collection_actions' }, compare: 'year-ago' },
      { series: { metric: 'vintage', period: 'cohort', where: { mob: 1 } }, direction: 'lower-is-better' },
      { series: { metric: 'vintage' } },
      { series: { metric: 'channel_effectiveness', value: 'contactRate', period: 'channel' } },
    ],
  },
  {
    metric: 'repayment_rate',
    source: 'collection_actions',
    params: [
      { by: 'collector_id' },
      {},
      { by: 'team', overdueOnly: true },
      { by: 'region' },
      { by: 'ptp' },
      { by: 'cost' },
    ],
  },
];

/** Requests on the loan-level metrics' other sources (collection_actions) × filters. */
export function loanSourceCases(filters: FilterClause[][]): Array<{ req: QueryRequest }> {
  const out: Array<{ req: QueryRequest }> = [];
  for (const { metric, source, params } of SOURCE_VARIANTS)
    params.forEach((p, v) => {
      for (const f of v < 1 ? filters : filters.slice(0, 2))
        out.push({ req: { metric, ...(source ? { source } : {}), params: p, filters: f } });
    });
  return out;
}
