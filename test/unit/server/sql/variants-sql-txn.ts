/**
 * Param variants of the transaction / generic metrics compiled to SQL (issue 14): KPI measures over
 * rows and `distinct`, bad ones included. Merged into PARAM_VARIANTS (variants.ts) and run by the
 * differential suites on every backend with the metric's default source (kpi: transactions,
 * distinct: loan_months); differential-txn.test.ts adds other sources and the real datasets.
 */
export const TXN_VARIANTS: Record<string, Array<Record<string, unknown>>> = {
  kpi: [
    // KPI measures over rows (documented in docs/metrics.md, KPI).
    { measure: { agg: 'sum', field: 'amount' } },
    { measure: { agg: 'count' }, period: { unit: 'week', length: 2 }, compare: 'year-ago', target: 900 },
    { measure: { agg: 'distinct', field: 'customer_id' }, sparkline: { unit: 'month', points: 6 } },
    { measure: { agg: 'mean', field: 'amount' }, period: { unit: 'quarter' }, direction: 'lower-is-better' },
    { measure: { agg: 'max', field: 'amount', where: [{ field: 'direction', op: 'eq', value: 'out' }] } },
    { measure: { agg: 'min', field: 'amount' }, compare: { range: ['2025-01-01', '2025-03-31'] } },
    {
      measure: {
        ratio: [
          { agg: 'sum', field: 'amount', where: [{ field: 'cash', op: 'eq', value: true }] },
          { agg: 'sum', field: 'amount' },
        ],
      },
      period: { unit: 'month', length: 3, end: '2025-12-15' },
    },
    { measure: { agg: 'count', field: 'counterparty_bank' }, compare: 'none', sparkline: false },
    { measure: { agg: 'sum', field: 'cross_border' }, period: { unit: 'day', length: 30 } },
    { measure: { agg: 'distinct', field: 'txn_time' }, stock: true, period: { unit: 'year' } },
    { measure: { agg: 'distinct', field: 'amount' }, sparkline: { unit: 'quarter', points: 4 } },
    {
      measure: { agg: 'sum', field: 'amount' },
      where: [{ field: 'txn_time.hour', op: 'range', value: [9, 17] }],
    },
    { measure: { agg: 'mean', field: 'amount' }, stock: true, sparkline: { unit: 'week', points: 5 } },
    { measure: { agg: 'sum', field: 'txn_time' }, period: { end: '2030-01-01' } },
    // bad params: the same typed errors on every backend
    { measure: { agg: 'sum', field: 'category' } },
    { measure: { agg: 'sum', field: 'no_such_field' } },
    { measure: { agg: 'median', field: 'amount' } },
    { measure: { agg: 'count', where: [{ field: 'nope', op: 'eq', value: 1 }] } },
    { measure: { agg: 'count' }, dateField: 'amount' },
    { measure: { agg: 'count' }, dateField: 'no_such_date' },
    { measure: { agg: 'count' }, period: { unit: 'fortnight' } },
    { measure: { agg: 'count' }, period: { end: 'yesterday' } },
    { measure: { agg: 'count' }, compare: 'lastweek' },
    { measure: { agg: 'count' }, where: 'x' },
    { measure: { agg: 'count' }, sparkline: { points: 0 } },
  ],
  distinct: [
    { field: 'region' },
    { field: 'snapshot_date.month', order: 'value' },
    { field: 'dpd', limit: 5 },
    { field: 'status', order: 'value', limit: 2 },
    { field: 'snapshot_date' },
    { field: 'issue_date.week', limit: 3 },
    { field: 'snapshot_date.dow' },
    { field: 'product' },
    { field: 'outstanding', order: 'value', limit: 10 },
    { field: 'term_months', limit: 0 },
    // bad params
    { field: 'no_such_field' },
    { field: 'snapshot_date.fortnight' },
    { field: '' },
  ],
};
