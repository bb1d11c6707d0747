/**
 * Params schemas of the mining metrics (cluster, score, model_monitor, profile): docs/metrics.md,
 * "Mining". Kept apart from params-schemas.ts (descriptive metrics); merged into PARAM_SCHEMAS there.
 * The metrics' own checks (mining.ts and friends) stay the last word on cross-field rules.
 */
import type { JsonSchema } from '../schema.js';
import { WHERE, bool, field, int, month, nullable, num, oneOf, paramsSchema } from './params-schema-parts.js';

export const CLUSTER_FEATURES = [
  'recency',
  'frequency',
  'monetary',
  'net_flow',
  'flow_trend',
  'tenure',
  'aum',
  'age',
  'products',
  'loans',
  'principal',
  'overdue',
] as const;

const ids = (description: string): JsonSchema => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  description,
});
const LIMIT = nullable(int('Most rows listed.', 1, 100000, 500));
const MASK = nullable(bool('Mask entity ids in listed rows.', true));

const clusterProps: Record<string, JsonSchema> = {
  features: nullable({
    type: 'array',
    minItems: 1,
    items: oneOf(CLUSTER_FEATURES, 'Feature.'),
    description: 'Features (default recency, frequency, monetary).',
  }),
  k: nullable(int('Clusters; null: chosen in kMin..kMax by the mean silhouette.', 1, 50)),
  kMin: nullable(int('Smallest k tried.', 2, 50, 2)),
  kMax: nullable(int('Largest k tried.', 2, 50, 10)),
  seed: nullable(int('Random seed.', 0, 2 ** 31 - 1, 42)),
  restarts: nullable(int('K-means restarts per k.', 1, 100, 10)),
  maxIterations: nullable(int('Iterations per run.', 1, 10000, 300)),
  sampleSize: nullable(int('k selection on a seeded sample above this many entities.', 10, 1e7, 5000)),
  windowDays: nullable(int('RFM window in days ending at asOf.', 1, 3660, 365)),
  asOf: nullable(field('Window end date (default: the last transaction day).')),
  transform: nullable(
    oneOf(['auto', 'none'] as const, 'log1p on skewed non-negative features, or none.', 'auto'),
  ),
  members: nullable({
    type: 'array',
    items: { type: 'integer', minimum: 1 },
    description: 'Cluster numbers whose customer ids go to meta.members.',
  }),
  includeAssignments: nullable(bool('List per-entity assignments.')),
  limit: LIMIT,
  maskIds: MASK,
  where: WHERE,
};

const definitionProps: Record<string, JsonSchema> = {
  horizonMonths: nullable(int('default: months on book observed for the bad flag.', 1, 120, 12)),
  badDpd: nullable(int('default: bad when dpd reaches this within the horizon.', 1, 100000, 61)),
  churnDays: nullable(int('churn: days without activity.', 1, 3660, 90)),
  windowDays: nullable(int('churn: activity window in days.', 1, 3660, 180)),
  snapshots: nullable(int('churn: monthly snapshots.', 1, 120, 6)),
  fromMaxDpd: nullable(int('cure: loans with 1..fromMaxDpd DPD at t.', 1, 100000, 30)),
  label: nullable(field('custom: the 0/1 label field.')),
  features: nullable({
    type: 'array',
    items: { type: 'string', minLength: 1 },
    description: 'custom: feature fields.',
  }),
  dateField: nullable(field('custom: observation date field.')),
  idField: nullable(field('custom: entity id field.')),
};

const scoreProps: Record<string, JsonSchema> = {
  definition: nullable(
    oneOf(
      ['default', 'churn', 'cure', 'custom'] as const,
      'Ready definition, or custom (implied by label).',
      'default',
    ),
  ),
  algorithm: nullable(oneOf(['logistic', 'tree'] as const, 'Logistic regression (L2) or CART.', 'logistic')),
  lambda: nullable(num('L2 penalty on standardised coefficients.', { minimum: 0, default: 1 })),
  maxDepth: nullable(int('Tree depth.', 1, 30, 5)),
  minLeaf: nullable(num('Tree minimum leaf share.', { exclusiveMinimum: 0, maximum: 0.5, default: 0.05 })),
  treeSample: nullable(int('Rows the tree trains on (seeded sample).', 100, 1e7, 3000)),
  split: nullable(oneOf(['oot', 'random'] as const, 'Out-of-time (default) or random split.', 'oot')),
  cutoff: nullable(month("First test month 'YYYY-MM' (default: where 70% of rows are reached).")),
  trainShare: nullable(
    num('Random split: training share.', { exclusiveMinimum: 0, maximum: 0.99, default: 0.7 }),
  ),
  seed: nullable(int('Random seed.', 0, 2 ** 31 - 1, 42)),
  scaling: {
    description: 'Score scaling: true (600 at good:bad 19, PDO 50) or { base, odds, pdo }.',
    anyOf: [
      { type: 'boolean' },
      {
        type: 'object',
        properties: {
          base: num('Score at odds.'),
          odds: num('Good:bad odds at base.', { exclusiveMinimum: 0 }),
          pdo: num('Points to double the odds.', { exclusiveMinimum: 0 }),
        },
      },
      { type: 'null' },
    ],
  },
  model: nullable({ type: 'object', description: 'A model from meta.model to apply instead of training.' }),
  includeScores: nullable(bool('List scored entities.')),
  limit: LIMIT,
  maskIds: MASK,
  ...definitionProps,
};

export const MINING_PARAM_SCHEMAS = {
  cluster: paramsSchema('cluster', 'Customer clusters (K-means)', clusterProps, { defs: ['filterClause'] }),
  score: paramsSchema('score', 'Default / churn / cure score', scoreProps),
  model_monitor: paramsSchema('model_monitor', 'Model monitoring', {
    ...scoreProps,
    curvePoints: nullable(int('ROC / KS curve points.', 2, 10001, 101)),
    includeBins: nullable(bool('Per-feature WOE bins.', true)),
  }),
  profile: paramsSchema(
    'profile',
    'Customer profile (TGI)',
    {
      group: {
        type: 'object',
        description:
          'The group: { segment, rfm? } | { cluster, clusterParams? } | { label: "default" | "churn", value?, params? } | { where, name? } | { ids, name? }.',
        properties: {
          segment: field('RFM segment id.'),
          rfm: { type: 'object', description: 'rfm params.' },
          cluster: { type: 'integer', minimum: 1, description: 'Cluster number.' },
          clusterParams: { type: 'object', description: 'cluster params.' },
          label: oneOf(['default', 'churn'] as const, 'Label definition.'),
          value: {
            type: 'integer',
            minimum: 0,
            maximum: 1,
            description: 'Label value of the group (default 1).',
          },
          params: { type: 'object', description: 'Definition params.' },
          where: WHERE,
          ids: ids('Customer ids.'),
          name: field('Group name shown.'),
        },
      },
      base: nullable(oneOf(['all', 'rest'] as const, 'Compare with everyone or with the rest.', 'all')),
      attributes: nullable({
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'Categorical attributes (default age_band, gender, city_tier, …).',
      }),
      numeric: nullable({
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'Numeric attributes (default age, aum, products, tenure_years, loans).',
      }),
      minCount: nullable(int('Groups or values under this count are flagged small.', 1, 1e9, 30)),
    },
    { required: ['group'], defs: ['filterClause'] },
  ),
} satisfies Record<string, JsonSchema>;
