/**
 * Documented param variants per metric (docs/metrics.md), bad ones included: the differential
 * suite runs each through every backend. A metric compiled to SQL gets its entry here.
 */
import { LOAN_VARIANTS } from './variants-sql-loan.js';
import { CUSTOMER_VARIANTS } from './variants-sql-cust.js';
import { TXN_SHARED } from './variants-sql-txn.js';
import { REST_SHARED } from './variants-sql-rest.js';

const US = [0, 30, 60, 90];

export const PARAM_VARIANTS: Record<string, Array<Record<string, unknown>>> = {
  ...CUSTOMER_VARIANTS,
  overdue_rate: [
    {},
    { k: 3 },
    { k: 4, measure: 'count' },
    { lag: 1 },
    { lag: 3, by: 'region' },
    { by: 'product', measure: 'count' },
    { edges: US },
    { edges: US, labels: ['C', '30+', '60+', '90+'], k: 2 },
    { by: 'segment' },
    // bad params: same typed errors on every backend
    { k: 0 },
    { k: 99 },
    { measure: 'x' },
    { by: 'dpd' },
    { by: 'no_such_field' },
    { edges: [1, 2] },
    { lag: -1 },
  ],
  bucket_trend: [
    {},
    { measure: 'count' },
    { edges: US },
    { edges: US, labels: ['C', 'a', 'b', 'c'] },
    { measure: 1 },
    { labels: ['x'] },
  ],
  dpd_buckets: [
    {},
    { edges: US },
    { month: 'latest' },
    { month: '2025-03' },
    { month: '1999-01' },
    { month: 'soon' },
    { month: 5 },
    { edges: 'x' },
  ],
  roll_rate: [
    {},
    { measure: 'amount' },
    { edges: US },
    { t1: '2025-01' },
    { t0: '2024-06', t1: '2024-12' },
    { t0: '2024-09' },
    { t0: '2025-01', t1: '2024-01' },
    { measure: 'loans' },
    { t0: 'x' },
  ],
  entry_rate: [
    {},
    { measure: 'amount' },
    { measure: 'amount', amountField: 'due_amount' },
    { by: 'region' },
    { by: 'segment', measure: 'amount' },
    { edges: US },
    { amountField: 'x' },
    { by: 'principal' },
    { by: 3 },
  ],
  cure_rate: [
    {},
    { measure: 'amount' },
    { by: 'region' },
    { by: 'product', measure: 'amount' },
    { edges: US },
    { measure: 'all' },
    { by: 'issue_date' },
  ],
  // kpi: series mode (the collection dashboard's KPI cards); measures over rows: variants-sql-txn.ts.
  kpi: [
    { series: { metric: 'entry_rate' }, direction: 'lower-is-better', target: 0.02 },
    { series: { metric: 'overdue_rate', params: { k: 3 } }, compare: 'year-ago', sparkline: { points: 6 } },
    { series: { metric: 'cure_rate', where: { bucket: 'M1+' } }, direction: 'higher-is-better' },
    { series: { metric: 'cure_rate' } },
    { series: { metric: 'overdue_rate', params: { k: 0 } } },
    { series: { metric: 'kpi' } },
    { series: { metric: 'no_such_metric' } },
    { series: { metric: 'entry_rate' }, direction: 'up' },
  ],
  flow_rate: [
    {},
    { measure: 'count' },
    { lastBucket: 'stock' },
    { edges: US, measure: 'count' },
    { lastBucket: 'x' },
    { edges: [0, 0] },
  ],
  ...LOAN_VARIANTS,
};
for (const [id, list] of Object.entries({ ...TXN_SHARED, ...REST_SHARED }))
  (PARAM_VARIANTS[id] ??= []).push(...list);
