/**
 * Documented param variants per metric (docs/metrics.md), bad ones included: the differential
 * suite runs each through every backend. A metric compiled to SQL gets its entry here.
 */
const US = [0, 30, 60, 90];

export const PARAM_VARIANTS: Record<string, Array<Record<string, unknown>>> = {
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
  vintage: [
    {},
    { variant: 'ever' },
    { measure: 'count' },
    { variant: 'ever', measure: 'count', d: 0 },
    { d: 60, maxMob: 6 },
    { maxMob: 0 },
    { d: -1 },
    { variant: 'sometimes' },
    { maxMob: 1.5 },
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
  flow_rate: [
    {},
    { measure: 'count' },
    { lastBucket: 'stock' },
    { edges: US, measure: 'count' },
    { lastBucket: 'x' },
    { edges: [0, 0] },
  ],
};
