/**
 * The JSON Schema of every metric's params, keyed by metric id: the contract of docs/metrics.md
 * and of each metric's own parameter checks (src/engine/metrics/<id>.ts), which stay the last
 * word on cross-field rules (t0 before t1, a field the data has). Published as
 * `getMetric(id).paramsSchema`; the dashboard composer generates forms from them, the engine
 * validates requests against them (schema.ts), and `scripts/gen-param-types.mjs` generates
 * `src/engine/params.generated.ts` from them — edit here, then run `node scripts/gen-param-types.mjs`.
 */
import type { JsonSchema } from '../schema.js';
import {
  BUCKETS,
  DATE_FIELD,
  MEASURE,
  PERIOD_UNIT_VALUES,
  WHERE,
  bool,
  day,
  field,
  int,
  month,
  nullable,
  num,
  oneOf,
  paramsSchema,
  str,
} from './params-schema-parts.js';
import { MINING_PARAM_SCHEMAS } from './params-schemas-mining.js';

/** Heatmap preset ids (HEATMAP_PRESETS in heatmap.ts; a unit test keeps the two in step). */
export const HEATMAP_PRESET_IDS = ['contact-rate-weekday-hour', 'overdue-region-month', 'txn-weekday-hour'] as const;
/** Alert rules of txn_alerts. */
export const TXN_ALERT_RULES = ['cash', 'individual_domestic', 'individual_cross_border', 'non_individual', 'structuring'] as const;

const AMOUNT_OR_COUNT = ['amount', 'count'] as const;
const COUNT_OR_AMOUNT = ['count', 'amount'] as const;
const BY = nullable(field('Breakdown: a category or boolean field of the source or of its loan (region, product, …).'));
const ENTITY = (def: string) => nullable(field('Entity id field.', def));

const dimension: JsonSchema = {
  type: 'object',
  required: ['field'],
  description: 'A grid axis: { field, part } (date), { field, bins } (number) or { field, order? } (category).',
  properties: {
    field: field('Field of the source (joined attributes allowed).'),
    part: oneOf(['hour', 'dow', 'month', 'week', 'day'] as const, 'Time part of a date field.'),
    bins: {
      description: 'Numeric bins: a fixed step, or ascending thresholds.',
      anyOf: [
        { type: 'object', required: ['step'], properties: { step: num('Bin width.', { exclusiveMinimum: 0 }), start: num('First bin start.') } },
        { type: 'object', required: ['thresholds'], properties: { thresholds: { type: 'array', minItems: 1, items: { type: 'number' } } } },
      ],
    },
    order: { type: 'array', items: { type: ['string', 'number', 'boolean'] }, description: 'Categories listed first, in this order.' },
    maxCategories: int('Most categories kept; the rest fold into one (default 60).', 1, 10000),
    otherLabel: { type: 'string', description: 'Label of the folded category (default 其他).' },
  },
};

const localText: JsonSchema = {
  type: 'object',
  required: ['zh-CN', 'en-US'],
  properties: { 'zh-CN': { type: 'string' }, 'en-US': { type: 'string' } },
};
const scoreRange: JsonSchema = nullable({
  type: 'array',
  minItems: 2,
  maxItems: 2,
  prefixItems: [{ type: 'number' }, { type: 'number' }],
  description: '[min, max] score, inclusive (default [1, 5]).',
});

export const PARAM_SCHEMAS = {
  kpi: paramsSchema(
    'kpi',
    'KPI',
    {
      measure: MEASURE,
      stock: nullable(bool('Snapshot stock: each period uses its last snapshot day only.')),
      dateField: DATE_FIELD,
      period: nullable({
        type: 'object',
        description: 'The current period: `length` units ending on `end`.',
        properties: {
          unit: nullable(oneOf(PERIOD_UNIT_VALUES, 'Period unit.', 'month')),
          end: nullable(day('Last day (default: the last date in the filtered data).')),
          length: nullable(int('Units in the period.', 1, 10000, 1)),
        },
      }),
      compare: nullable({
        description: 'What the value is compared with.',
        anyOf: [
          oneOf(['previous', 'year-ago', 'none'] as const, 'Previous period, the same period a year ago, or nothing.'),
          {
            type: 'object',
            required: ['range'],
            properties: { range: { type: 'array', minItems: 2, maxItems: 2, prefixItems: [day('From'), day('To')] } },
          },
        ],
      }),
      target: nullable(num('Target value (attainment = value / target).')),
      direction: nullable(oneOf(['higher-is-better', 'lower-is-better'] as const, 'Which change is good.', 'higher-is-better')),
      sparkline: nullable({
        description: 'Sparkline points, or false to omit it.',
        anyOf: [
          { const: false },
          {
            type: 'object',
            properties: {
              unit: nullable(oneOf(PERIOD_UNIT_VALUES, 'Point unit (default: the period unit).')),
              points: nullable(int('Points.', 1, 1000, 12)),
            },
          },
        ],
      }),
      series: nullable({
        type: 'object',
        required: ['metric'],
        description: "Series mode: the card shows the last point of another metric's series.",
        properties: {
          metric: str('Metric id of the series (not kpi).'),
          params: { type: 'object', description: "That metric's params." },
          source: str('Its source dataset.'),
          value: str('Row key of the value (default rate).'),
          period: str('Row key of the period (default month).'),
          where: {
            type: 'object',
            additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
            description: 'Keep rows whose keys equal these values, e.g. { "bucket": "M1+" }.',
          },
        },
      }),
      where: WHERE,
    },
    { defs: ['measure'] },
  ),
  heatmap: paramsSchema(
    'heatmap',
    'Heatmap',
    {
      preset: nullable(oneOf(HEATMAP_PRESET_IDS, 'A ready-made heatmap; explicit params override its own.')),
      x: nullable(dimension),
      y: nullable(dimension),
      measure: MEASURE,
      stock: nullable(bool('Snapshot stock: each cell uses its last snapshot day only.')),
      dateField: DATE_FIELD,
      where: WHERE,
    },
    { defs: ['measure'] },
  ),
  funnel: paramsSchema('funnel', 'Funnel', {
    stages: nullable({ type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string' }, description: 'Stages in order (default: by distinct entities).' }),
    mode: nullable(oneOf(['strict', 'loose'] as const, 'Strict: stages reached in order; loose: any order.', 'strict')),
    windowDays: nullable(num('Strict mode: days from the stage-1 event.', { exclusiveMinimum: 0 })),
    breakdown: nullable({ type: 'string', description: 'Dimension to break down by (first touch).' }),
    entity: ENTITY('user_id'),
    stageField: nullable(field('Stage field.', 'stage')),
    dateField: DATE_FIELD,
    spend: nullable(num('Explicit spend for CAC.')),
    where: WHERE,
  }, { defs: ['filterClause'] }),
  cohort: paramsSchema('cohort', 'Cohort retention', {
    entity: ENTITY('customer_id'),
    dateField: DATE_FIELD,
    unit: nullable(oneOf(['week', 'month', 'quarter'] as const, 'Cohort and period unit.', 'month')),
    value: nullable(oneOf(['retention', 'count', 'amount'] as const, 'Cell value.', 'retention')),
    amountField: nullable(field('Amount field (value amount).')),
    cumulative: nullable(bool('Active in p or any later period (retention, count).')),
    maxPeriods: nullable(int('Cap on periods.', 0, 100000)),
    leftCensored: nullable(oneOf(['keep', 'exclude'] as const, "Keep or leave out the first observed period's cohort.", 'keep')),
    where: WHERE,
  }, { defs: ['filterClause'] }),
  rfm: paramsSchema('rfm', 'RFM', {
    asOf: nullable(day('As-of day T (default: the last transaction date).')),
    windowDays: nullable(int('Window W in days, ending on T.', 1, 100000, 365)),
    monetary: nullable(oneOf(['sum', 'mean'] as const, 'M: sum or mean amount.', 'sum')),
    direction: nullable(oneOf(['all', 'in', 'out'] as const, 'Transactions that count as activity.', 'all')),
    scheme: nullable(oneOf(['cn8', 'rf10', 'custom'] as const, 'Segmentation scheme (custom is implied by rules).')),
    threshold: {
      description: "cn8 高/低: 'score4' (default, score ≥ 4), 'mean-score' or 'mean-value' (the mean as threshold), or a fixed score.",
      anyOf: [{ type: 'number' }, { type: 'string', enum: ['score4', 'mean-score', 'mean-value'] }, { type: 'null' }],
    },
    rules: nullable({
      type: 'array',
      minItems: 1,
      description: 'Custom rules, first match wins.',
      items: {
        type: 'object',
        required: ['segment'],
        properties: {
          segment: str('Segment id.'),
          label: { anyOf: [{ type: 'string' }, localText] },
          r: scoreRange,
          f: scoreRange,
          m: scoreRange,
        },
      },
    }),
    includeCustomers: nullable(bool('Add the scored customers to meta.customers.')),
    segment: nullable({ type: 'string', description: 'Only this segment in meta.customers.' }),
    members: nullable({ type: 'array', items: { type: 'string' }, description: 'Segment ids: every member in meta.members.' }),
    limit: nullable(int('Most customers listed.', 1, 10000, 500)),
    entity: ENTITY('customer_id'),
    dateField: DATE_FIELD,
    amountField: nullable(field('Amount field.', 'amount')),
    where: WHERE,
  }, { defs: ['filterClause'] }),
  churn: paramsSchema('churn', 'Churn', {
    inactiveDays: nullable(int('Days without activity that make a churn.', 1, 100000, 90)),
    asOf: nullable(day('As-of day (default: the last activity date).')),
    entity: ENTITY('customer_id'),
    dateField: DATE_FIELD,
    where: WHERE,
  }, { defs: ['filterClause'] }),
  fund_flow: paramsSchema('fund_flow', 'Fund flow', {
    unit: nullable(oneOf(PERIOD_UNIT_VALUES, 'Period unit.', 'month')),
    by: nullable({ type: 'string', description: 'Category to split by (category, channel, segment, …).' }),
    dateField: DATE_FIELD,
    amountField: nullable(field('Amount field.', 'amount')),
    directionField: nullable(field('Direction field (in / out).', 'direction')),
    where: WHERE,
  }, { defs: ['filterClause'] }),
  sankey: paramsSchema('sankey', 'Sankey', {
    left: nullable(field('Inflow category field.', 'category')),
    middle: nullable(field('Middle node field (null: one node).', 'segment')),
    right: nullable(field('Outflow category field.', 'category')),
    top: nullable(int('Nodes kept per side.', 1, 1000, 8)),
    topMiddle: nullable(int('Middle nodes kept.', 1, 1000, 20)),
    amountField: nullable(field('Amount field.', 'amount')),
    directionField: nullable(field('Direction field.', 'direction')),
    locale: nullable(oneOf(['zh-CN', 'en-US'] as const, 'Locale of synthetic node labels.', 'zh-CN')),
    where: WHERE,
  }, { defs: ['filterClause'] }),
  txn_alerts: paramsSchema('txn_alerts', 'Large and suspicious transactions', {
    thresholds: nullable({
      type: 'object',
      description: 'Thresholds per rule (PBOC Order 2016 No. 3 by default).',
      properties: {
        cash: num('Cash.', { exclusiveMinimum: 0, default: 50000 }),
        individualDomestic: num('Natural person, domestic transfer.', { exclusiveMinimum: 0, default: 500000 }),
        individualCrossBorder: num('Natural person, cross-border.', { exclusiveMinimum: 0, default: 200000 }),
        nonIndividual: num('Non-natural person transfer.', { exclusiveMinimum: 0, default: 2000000 }),
      },
    }),
    structuring: nullable({
      type: 'object',
      description: 'Structuring: minCount transactions within windowDays, each in [lower, upper) of its threshold.',
      properties: {
        minCount: nullable(int('Transactions.', 2, 1000, 3)),
        windowDays: nullable(int('Calendar days.', 1, 366, 7)),
        lower: num('Lower share of the threshold.', { exclusiveMinimum: 0, maximum: 1, default: 0.9 }),
        upper: num('Upper share of the threshold.', { exclusiveMinimum: 0, maximum: 1, default: 1 }),
      },
    }),
    cumulateBy: nullable(oneOf(['direction', 'both'] as const, 'Daily cumulation per direction or both.', 'direction')),
    rules: { type: 'array', items: oneOf(TXN_ALERT_RULES, 'Rule.'), description: 'Rules to run (default all).' },
    limit: nullable(int('Most alerts returned.', 1, 100000, 1000)),
    entity: ENTITY('customer_id'),
    dateField: DATE_FIELD,
    where: WHERE,
  }, { defs: ['filterClause'] }),
  distinct: paramsSchema(
    'distinct',
    'Distinct values',
    {
      field: str('Field, optionally with a date part: region, snapshot_date.month, txn_time.hour.'),
      order: nullable(oneOf(['count', 'value'] as const, 'Most frequent first, or by value.', 'count')),
      limit: nullable(int('Most values returned.', 0, 1e9, 500)),
    },
    { required: ['field'] },
  ),
  dpd_buckets: paramsSchema('dpd_buckets', 'DPD buckets', {
    month: nullable(month("Snapshot month 'YYYY-MM', or 'latest' (default).")),
    ...BUCKETS,
  }),
  bucket_trend: paramsSchema('bucket_trend', 'Buckets per month', {
    measure: nullable(oneOf(AMOUNT_OR_COUNT, 'Σ outstanding or loans.', 'amount')),
    ...BUCKETS,
  }),
  overdue_rate: paramsSchema('overdue_rate', 'Overdue rate', {
    k: nullable(int('Threshold bucket index: 1 → M1+, 3 → M3+, 4 → M4+.', 1, 1000, 1)),
    lag: nullable(int('Lag in months (0: coincident).', 0, 1200, 0)),
    measure: nullable(oneOf(AMOUNT_OR_COUNT, 'Σ outstanding or loans.', 'amount')),
    by: BY,
    ...BUCKETS,
  }),
  flow_rate: paramsSchema('flow_rate', 'Flow rate', {
    measure: nullable(oneOf(AMOUNT_OR_COUNT, 'Σ outstanding or loans.', 'amount')),
    lastBucket: nullable(oneOf(['entries', 'stock'] as const, 'Flow into the open last bucket: new entries or the whole stock.', 'entries')),
    minLoans: nullable(int('Flows over fewer loans at t − 1 are flagged small (drawn hollow, out of the axis range).', 0, 1e9, 30)),
    ...BUCKETS,
  }),
  roll_rate: paramsSchema('roll_rate', 'Roll rate matrix', {
    t0: nullable(month("From month 'YYYY-MM' (default t1 − 1).")),
    t1: nullable(month("To month 'YYYY-MM' (default the latest).")),
    measure: nullable(oneOf(COUNT_OR_AMOUNT, 'Loans, or weighted by t0 outstanding.', 'count')),
    ...BUCKETS,
  }),
  vintage: paramsSchema('vintage', 'Vintage', {
    d: nullable(num('Days past due threshold (dpd > d).', { minimum: 0, default: 30 })),
    variant: nullable(oneOf(['current', 'ever'] as const, 'Current or ever delinquent.', 'current')),
    measure: nullable(oneOf(AMOUNT_OR_COUNT, 'Amounts or loans.', 'amount')),
    maxMob: nullable(int('Cap on MOB columns.', 0, 1200)),
  }),
  entry_rate: paramsSchema('entry_rate', 'Entry rate', {
    measure: nullable(oneOf(COUNT_OR_AMOUNT, 'Loans or amounts.', 'count')),
    amountField: nullable(oneOf(['outstanding', 'due_amount'] as const, 'Amount basis at t.', 'outstanding')),
    by: BY,
    ...BUCKETS,
  }),
  cure_rate: paramsSchema('cure_rate', 'Cure rate', {
    measure: nullable(oneOf(COUNT_OR_AMOUNT, 'Loans or outstanding at t − 1.', 'count')),
    by: BY,
    ...BUCKETS,
  }),
  repayment_rate: paramsSchema('repayment_rate', 'Repayment rate', {
    overdueOnly: nullable(bool('Only loans overdue at the start of the month (loan_months).')),
    by: BY,
    ...BUCKETS,
  }),
  collector_performance: paramsSchema('collector_performance', 'Collector performance', {
    level: nullable(oneOf(['both', 'collector', 'team'] as const, 'Rows: collectors then teams, or one level.', 'both')),
  }),
  channel_effectiveness: paramsSchema('channel_effectiveness', 'Channel effectiveness', {}),
  ...MINING_PARAM_SCHEMAS,
} satisfies Record<string, JsonSchema>;

export type MetricId = keyof typeof PARAM_SCHEMAS;
