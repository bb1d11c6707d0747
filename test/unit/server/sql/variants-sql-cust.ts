/**
 * Param variants of the customer metrics compiled to SQL (rfm, cohort, churn): documented options
 * (docs/metrics.md), `where` clauses on transaction fields (eq, in, range, date parts, booleans),
 * and bad params (same typed errors on every backend). Merged into PARAM_VARIANTS (variants.ts).
 */
// The seeded sample's transactions run from 2025-11 to 2026-10.
const inWindow = [{ field: 'txn_time', op: 'range', value: ['2026-02', '2026-06-20'] }];
const byMonth = [{ field: 'txn_time.month', op: 'in', value: ['2026-03', '2026-07'] }];
const nothing = [{ field: 'txn_time', op: 'range', value: ['2024-06', '2024-12'] }];
const channels = [{ field: 'channel', op: 'in', value: ['手机银行', '柜面', null] }];
const mid = [{ field: 'amount', op: 'range', value: [100, 5000] }];
const cash = [{ field: 'cash', op: 'eq', value: true }];
const out = [{ field: 'direction', op: 'eq', value: 'out' }];

export const CUSTOMER_VARIANTS: Record<string, Array<Record<string, unknown>>> = {
  rfm: [
    {},
    { scheme: 'rf10', includeCustomers: true, limit: 20 },
    { threshold: 'mean-score', members: ['important_value', 'general_winback'] },
    { threshold: 'mean-value', monetary: 'mean', includeCustomers: true, segment: 'important_value' },
    { threshold: 2.5 },
    { threshold: 'score4', asOf: '2026-05-31', windowDays: 90 },
    { where: nothing },
    { direction: 'in' },
    { direction: 'out', scheme: 'rf10', members: ['champions', 'hibernating'] },
    {
      rules: [
        { segment: 'vip', label: { 'zh-CN': '贵宾', 'en-US': 'VIP' }, r: [4, 5], f: [4, 5] },
        { segment: 'low', label: '低', m: [1, 2] },
      ],
      includeCustomers: true,
      segment: 'vip',
      members: ['unmatched'],
    },
    { where: channels, windowDays: 30 },
    { where: inWindow },
    { where: byMonth, monetary: 'mean' },
    { where: mid },
    { where: cash },
    { amountField: 'cash' },
    { entity: 'account_no', includeCustomers: true },
    { asOf: '1999-01-01' },
    { windowDays: 1 },
    // bad params
    { windowDays: 0 },
    { monetary: 'median' },
    { scheme: 'x' },
    { threshold: 'abc' },
    { rules: [] },
    { rules: [{ r: [1, 5] }] },
    { members: 'x' },
    { members: ['nope'] },
    { includeCustomers: true, segment: 'nope' },
    { asOf: 'soon' },
    { entity: 'amount' },
    { dateField: 'amount' },
    { amountField: 'channel' },
    { amountField: 'nope' },
    { where: 'x' },
    { limit: 0 },
  ],
  cohort: [
    {},
    { unit: 'week', cumulative: true },
    { unit: 'quarter', value: 'amount' },
    { value: 'count', maxPeriods: 3 },
    { leftCensored: 'exclude' },
    { cumulative: true, value: 'count', leftCensored: 'exclude' },
    { value: 'amount', amountField: 'cash' },
    { where: out, unit: 'week', maxPeriods: 0 },
    { where: byMonth },
    { where: nothing },
    { where: mid, value: 'amount' },
    { entity: 'account_no', unit: 'week', value: 'count' },
    // bad params
    { unit: 'day' },
    { value: 'x' },
    { cumulative: true, value: 'amount' },
    { maxPeriods: -1 },
    { leftCensored: 'x' },
    { entity: 'amount' },
    { dateField: 'channel' },
    { value: 'amount', amountField: 'channel' },
    { value: 'amount', amountField: 'nope' },
  ],
  churn: [
    {},
    { inactiveDays: 30 },
    { asOf: '2026-06-15', inactiveDays: 60 },
    { inactiveDays: 7 },
    { inactiveDays: 365 },
    { where: out },
    { where: inWindow, inactiveDays: 14 },
    { where: channels },
    { entity: 'account_no' },
    { asOf: '1999-01-01' },
    { where: nothing },
    // bad params
    { inactiveDays: 0 },
    { asOf: 'x' },
    { entity: 'txn_time' },
    { dateField: 'channel' },
    { where: [{ field: 'amount', op: 'between' }] },
  ],
};
