/**
 * Param variants of the transaction / generic metrics compiled to SQL (issue 14): KPI measures over
 * rows, `heatmap`, `fund_flow`, `sankey` and `distinct`, bad ones included, with the metric's
 * default source (kpi, heatmap, fund_flow, sankey: transactions; distinct: loan_months).
 * differential-txn.test.ts runs them all (and other sources, the real datasets) on every backend;
 * the shared suites get the first few of each (TXN_SHARED, merged into PARAM_VARIANTS) so their
 * run time stays within their timeouts on a loaded 2-core box.
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
  heatmap: [
    { preset: 'txn-weekday-hour' },
    {
      x: { field: 'txn_time', part: 'hour' },
      y: { field: 'category' },
      measure: { agg: 'sum', field: 'amount' },
    },
    {
      x: { field: 'amount', bins: { thresholds: [100, 1000, 10000] } },
      y: { field: 'region' },
      measure: { agg: 'distinct', field: 'customer_id' },
    },
    { preset: 'overdue-region-month' },
    { preset: 'contact-rate-weekday-hour' },
    { x: { field: 'txn_time', part: 'month' }, y: { field: 'channel', order: ['网银', '柜面'] } },
    {
      x: { field: 'txn_time', part: 'week' },
      y: { field: 'direction' },
      measure: { agg: 'mean', field: 'amount' },
    },
    { x: { field: 'txn_time', part: 'day' }, y: { field: 'cash' }, measure: { agg: 'max', field: 'amount' } },
    { x: { field: 'amount', bins: { step: 5000 } }, y: { field: 'txn_time', part: 'dow' } },
    { x: { field: 'amount', bins: { step: 2500, start: -100 } }, y: { field: 'cross_border' } },
    { x: { field: 'counterparty_bank', maxCategories: 5, otherLabel: 'Other' }, y: { field: 'direction' } },
    {
      x: { field: 'counterparty_bank', maxCategories: 3 },
      y: { field: 'category' },
      measure: { agg: 'distinct', field: 'customer_id' },
    },
    {
      x: { field: 'segment' },
      y: { field: 'txn_time', part: 'month' },
      stock: true,
      measure: { agg: 'sum', field: 'amount' },
    },
    { x: { field: 'city_tier' }, y: { field: 'risk_grade' }, measure: { agg: 'min', field: 'amount' } },
    {
      x: { field: 'txn_time', part: 'hour' },
      y: { field: 'direction' },
      where: [{ field: 'amount', op: 'range', value: [1000, null] }],
      measure: {
        ratio: [{ agg: 'count', where: [{ field: 'cash', op: 'eq', value: true }] }, { agg: 'count' }],
      },
    },
    // bad params
    { preset: 'no_such_preset' },
    { x: { field: 'category', part: 'hour' }, y: { field: 'direction' } },
    { x: { field: 'category', bins: { step: 10 } }, y: { field: 'direction' } },
    { x: { field: 'amount', bins: { step: 0.001 } }, y: { field: 'direction' } },
    { x: { field: 'amount' }, y: { field: 'direction' } },
    { x: { field: 'no_such_field' }, y: { field: 'direction' } },
    { x: { field: 'txn_time', part: 'minute' }, y: { field: 'direction' } },
    { x: { field: 'txn_id' }, y: { field: 'txn_time', part: 'day' } },
    { x: { field: 'direction' }, y: { field: 'category' }, measure: { agg: 'sum', field: 'category' } },
    { x: { field: 'direction' }, y: { field: 'category' }, stock: true, dateField: 'amount' },
    { y: { field: 'direction' } },
  ],
  fund_flow: [
    {},
    { by: 'channel' },
    { unit: 'week', by: 'region' },
    { unit: 'quarter', by: 'cash' },
    { unit: 'year', where: [{ field: 'category', op: 'in', value: ['消费', '转账转出'] }] },
    { unit: 'day', by: 'counterparty_type' },
    { by: 'segment', amountField: 'amount' },
    { directionField: 'counterparty_type' },
    { amountField: 'cross_border', by: 'direction' },
    // bad params
    { unit: 'fortnight' },
    { amountField: 'category' },
    { amountField: 'no_such_field' },
    { directionField: 'amount' },
    { by: 'amount' },
    { dateField: 'amount' },
    { by: 3 },
  ],
  sankey: [
    {},
    { middle: 'region', top: 3 },
    { middle: null, left: 'channel', right: 'counterparty_type', locale: 'en-US' },
    { middle: 'city', topMiddle: 4, top: 2 },
    { left: 'counterparty_bank', right: 'counterparty_bank', middle: 'risk_grade' },
    { where: [{ field: 'cash', op: 'eq', value: false }], middle: 'direction' },
    { amountField: 'cross_border' },
    { directionField: 'category' },
    // bad params
    { left: 'amount' },
    { right: 'no_such_field' },
    { middle: 'aum' },
    { middle: 'no_such_field' },
    { amountField: 'category' },
    { directionField: 'cash' },
    { top: 0 },
    { locale: 'fr' },
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

/** The first variants of each metric (valid and one bad), for the shared differential suites. */
export const TXN_SHARED: Record<string, Array<Record<string, unknown>>> = Object.fromEntries(
  Object.entries(TXN_VARIANTS).map(([id, list]) => [id, [...list.slice(0, 3), list[list.length - 1]!]]),
);
