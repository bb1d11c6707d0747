/**
 * Param variants of `funnel`, `collector_performance` and `txn_alerts` compiled to SQL (issue 14),
 * bad ones included, on the metric's default source. differential-rest.test.ts runs them all (with
 * each metric's own filter sets, policy clauses, hostile strings and the real datasets) on every
 * backend; the shared suites get the first few of each (REST_SHARED, merged into PARAM_VARIANTS).
 */
const STAGES = ['曝光', '点击', '注册', '申请', '审批通过', '放款'];

export const REST_VARIANTS: Record<string, Array<Record<string, unknown>>> = {
  funnel: [
    {},
    { stages: STAGES, breakdown: 'channel' },
    { mode: 'loose', breakdown: 'campaign' },
    { stages: STAGES, windowDays: 2 },
    { stages: STAGES.slice(1, 4), windowDays: 0.5, breakdown: 'channel' },
    { stages: ['注册', '点击', '曝光'], mode: 'strict' },
    { stages: ['申请', '放款', 'no_such_stage'], mode: 'loose' },
    { breakdown: 'campaign', windowDays: 30 },
    { spend: 10000, stages: STAGES.slice(0, 3) },
    { spend: 0, breakdown: 'channel', mode: 'loose' },
    { where: [{ field: 'channel', op: 'in', value: ['抖音', '百度搜索'] }], breakdown: 'channel' },
    { where: [{ field: 'event_time.hour', op: 'range', value: [9, 18] }], breakdown: 'campaign' },
    { where: [{ field: 'event_time', op: 'range', value: ['2025-03', null] }] },
    { breakdown: 'stage' },
    { entity: 'campaign', stageField: 'channel', mode: 'loose' },
    { stages: ['no_such_stage'] },
    // bad params: the same typed errors on every backend
    { mode: 'lenient' },
    { windowDays: 0 },
    { windowDays: 'week' },
    { stages: [] },
    { stages: ['曝光', '曝光'] },
    { stages: Array.from({ length: 32 }, (_, i) => `s${i}`) },
    { entity: 'no_such_field' },
    { stageField: 'event_time' },
    { dateField: 'stage' },
    { breakdown: 'event_time' },
    { spend: 'lots' },
    { where: 'x' },
  ],
  collector_performance: [
    {},
    { level: 'collector' },
    { level: 'team' },
    { level: 'both' },
    // bad params
    { level: 'region' },
    { level: 3 },
  ],
  txn_alerts: [
    {},
    {
      thresholds: {
        cash: 5000,
        individualDomestic: 20000,
        individualCrossBorder: 10000,
        nonIndividual: 50000,
      },
    },
    {
      thresholds: { cash: 2000, individualDomestic: 5000 },
      cumulateBy: 'both',
      structuring: { minCount: 2, windowDays: 30, lower: 0.5, upper: 1 },
    },
    {
      rules: ['structuring'],
      structuring: { minCount: 2, windowDays: 14, lower: 0.3, upper: 0.9 },
      thresholds: { cash: 3000, individualDomestic: 8000, individualCrossBorder: 8000, nonIndividual: 20000 },
    },
    { rules: ['cash', 'non_individual'], thresholds: { cash: 1000, nonIndividual: 10000 }, limit: 5 },
    { entity: 'region', thresholds: { cash: 20000, individualDomestic: 30000 } },
    {
      where: [{ field: 'channel', op: 'in', value: ['手机银行', '柜面', null] }],
      thresholds: { cash: 3000 },
    },
    { limit: 1, thresholds: { cash: 1500, nonIndividual: 8000 }, structuring: { lower: 0.2 } },
    { dateField: 'txn_time', rules: [] },
    // bad params
    { thresholds: { cash: -1 } },
    { thresholds: [1] },
    { structuring: { lower: 0.95, upper: 0.9 } },
    { structuring: { minCount: 1 } },
    { cumulateBy: 'day' },
    { rules: ['cash', 'fraud'] },
    { limit: 0 },
    { entity: 'amount' },
    { entity: 'no_such_field' },
    { dateField: 'amount' },
  ],
};

/**
 * The first variant of each metric and the last bad one, for the shared suites (their ClickHouse
 * run is near its timeout on a loaded box; differential-rest.test.ts runs every variant).
 */
export const REST_SHARED: Record<string, Array<Record<string, unknown>>> = Object.fromEntries(
  Object.entries(REST_VARIANTS).map(([id, list]) => [id, [list[0]!, list[list.length - 1]!]]),
);
