/**
 * Building blocks of the metric params schemas (params-schemas.ts): the shared definitions
 * (filter clause, measure) and small constructors. Every optional param also accepts `null`,
 * which the metrics read as "use the default" — so a form can clear a field.
 */
import type { JsonSchema, JsonType } from '../schema.js';

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

const withNull = (t: JsonType | JsonType[] | undefined): JsonType[] | undefined =>
  t === undefined ? undefined : [...(Array.isArray(t) ? t : [t]), 'null'];

/** The same schema, also accepting null (= the default). */
export function nullable(s: JsonSchema): JsonSchema {
  if (s.$ref || s.anyOf) return { ...(s.description ? { description: s.description } : {}), anyOf: [...(s.anyOf ?? [{ $ref: s.$ref! }]), { type: 'null' }] };
  const out: JsonSchema = { ...s, type: withNull(s.type)! };
  if (s.enum) out.enum = [...s.enum, null];
  return out;
}

export const str = (description: string, extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'string', minLength: 1, description, ...extra });
export const int = (description: string, minimum: number, maximum: number, def?: number): JsonSchema => ({
  type: 'integer',
  minimum,
  maximum,
  description,
  ...(def === undefined ? {} : { default: def }),
});
export const num = (description: string, extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'number', description, ...extra });
export const bool = (description: string, def = false): JsonSchema => ({ type: 'boolean', description, default: def });
export const oneOf = <T extends string>(values: readonly T[], description: string, def?: T): JsonSchema => ({
  type: 'string',
  enum: [...values],
  description,
  ...(def === undefined ? {} : { default: def }),
});
/** A field name of the source (or of a dataset joined to it). */
export const field = (description: string, def?: string): JsonSchema =>
  str(description, def === undefined ? { format: 'field' } : { format: 'field', default: def });
export const day = (description: string): JsonSchema => str(description, { examples: ['2024-03-31'] });
export const month = (description: string): JsonSchema => str(description, { examples: ['2024-03'] });

export const PERIOD_UNIT_VALUES = ['day', 'week', 'month', 'quarter', 'year'] as const;

/** Shared definitions, referenced as `#/$defs/<name>` (and generated as one TS type each). */
export const DEFS: Record<string, JsonSchema> = {
  filterClause: {
    description: 'A declarative filter clause: { field, op: eq | in | range, value }.',
    anyOf: [
      {
        type: 'object',
        required: ['field', 'op', 'value'],
        properties: {
          field: { type: 'string' },
          op: { const: 'eq' },
          value: { type: ['string', 'number', 'boolean', 'null'] },
        },
      },
      {
        type: 'object',
        required: ['field', 'op', 'value'],
        properties: {
          field: { type: 'string' },
          op: { const: 'in' },
          value: { type: 'array', items: { type: ['string', 'number', 'boolean', 'null'] } },
        },
      },
      {
        type: 'object',
        required: ['field', 'op', 'value'],
        properties: {
          field: { type: 'string' },
          op: { const: 'range' },
          value: {
            type: 'array',
            minItems: 2,
            maxItems: 2,
            prefixItems: [{ type: ['string', 'number', 'null'] }, { type: ['string', 'number', 'null'] }],
          },
        },
      },
    ],
  },
  measure: {
    description: 'An aggregate ({ agg, field?, where? }) or a ratio of two measures ({ ratio: [num, den] }).',
    anyOf: [
      {
        type: 'object',
        required: ['agg'],
        properties: {
          agg: oneOf(['sum', 'count', 'mean', 'distinct', 'min', 'max'] as const, 'Aggregate; all but count need a field.'),
          field: field('Field to aggregate (count without it counts rows).'),
          where: { type: 'array', items: { $ref: '#/$defs/filterClause' }, description: 'Rows this aggregate only counts.' },
        },
      },
      {
        type: 'object',
        required: ['ratio'],
        properties: {
          ratio: {
            type: 'array',
            minItems: 2,
            maxItems: 2,
            prefixItems: [{ $ref: '#/$defs/measure' }, { $ref: '#/$defs/measure' }],
            description: '[numerator, denominator]',
          },
        },
      },
    ],
  },
};

export const WHERE: JsonSchema = nullable({
  type: 'array',
  items: { $ref: '#/$defs/filterClause' },
  description: 'Extra filter clauses of this metric only.',
});
export const MEASURE: JsonSchema = nullable({ $ref: '#/$defs/measure', description: 'Default { "agg": "count" }.' });
export const DATE_FIELD: JsonSchema = nullable(field('Date field (default per source: loan_months.snapshot_date, transactions.txn_time, …).'));

/** `edges` / `labels` of every loan-months metric (docs/metrics.md, Buckets). */
export const BUCKETS: Record<string, JsonSchema> = {
  edges: nullable({
    type: 'array',
    minItems: 2,
    items: { type: 'integer', minimum: 0 },
    description: 'Lower dpd bound of each bucket, ascending from 0 (default [0, 1, 31, 61, 91, 121, 151, 181]).',
  }),
  labels: nullable({ type: 'array', items: { type: 'string', minLength: 1 }, description: 'One label per edge (default M0 … M7+).' }),
};

/** A metric's params schema: an object of optional params, with the shared $defs it references. */
export function paramsSchema(
  id: string,
  title: string,
  properties: Record<string, JsonSchema>,
  opts: { required?: string[]; defs?: string[] } = {},
): JsonSchema {
  const s: JsonSchema = {
    $schema: SCHEMA_DIALECT,
    $id: `finboard:metric/${id}/params`,
    title,
    type: 'object',
    properties,
  };
  if (opts.required?.length) s.required = opts.required;
  const defs = opts.defs ?? [];
  // measure refers to filterClause
  const all = new Set(defs.includes('measure') ? [...defs, 'filterClause'] : defs);
  if (all.size) s.$defs = Object.fromEntries([...all].sort().map((d) => [d, DEFS[d]!]));
  return s;
}
