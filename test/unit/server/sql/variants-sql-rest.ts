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
};

/** The first variants of each metric (valid ones and the last bad one), for the shared suites. */
export const REST_SHARED: Record<string, Array<Record<string, unknown>>> = Object.fromEntries(
  Object.entries(REST_VARIANTS).map(([id, list]) => [id, [...list.slice(0, 3), list[list.length - 1]!]]),
);
