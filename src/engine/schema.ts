/**
 * The JSON Schema subset Finboard uses for metric params (draft 2020-12 keywords): what the
 * dashboard composer generates forms from, what `scripts/gen-param-types.mjs` turns into
 * TypeScript types (src/engine/params.generated.ts), and what the engine checks every request
 * against before a metric runs. One small validator, no dependency: ajv compiles schemas with
 * `Function()`, which the strict-CSP pages this engine runs on forbid.
 *
 * Schemas are open: unknown params are ignored by the engine, as they always were (an element's
 * `params` are shared across its displays, so a key another display uses is not an error).
 */
import { FinError } from './errors.js';

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** A JSON Schema node, restricted to the keywords below (all of them enforced by `validate`). */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  default?: unknown;
  examples?: unknown[];
  type?: JsonType | JsonType[];
  enum?: ReadonlyArray<string | number | boolean | null>;
  const?: string | number | boolean | null;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  pattern?: string;
  /**
   * Annotation only (not checked): `"field"` marks a string that names a field of the source (the
   * composer offers the dataset's columns for it).
   */
  format?: 'field';
}

/** The first violation found: where (JSON pointer, RFC 6901), what was expected, and the value. */
export interface SchemaIssue {
  path: string;
  message: string;
  value: unknown;
  /** How far into the value the check got (a missing required key counts at its parent). */
  depth: number;
}

const pointer = (path: string, key: string | number): string =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as JsonType;
}

function hasType(v: unknown, t: JsonType): boolean {
  const actual = typeOf(v);
  if (t === 'number') return (actual === 'number' || actual === 'integer') && Number.isFinite(v as number);
  return actual === t;
}

function describe(s: JsonSchema): string {
  if (s.enum) return `one of ${s.enum.map((x) => JSON.stringify(x)).join(', ')}`;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type) return Array.isArray(s.type) ? s.type.join(' or ') : s.type;
  return 'a valid value';
}

function resolve(ref: string, root: JsonSchema): JsonSchema {
  const m = /^#\/\$defs\/(.+)$/.exec(ref);
  const target = m ? root.$defs?.[m[1]!] : undefined;
  if (!target) throw new Error(`Unresolvable $ref ${ref}`);
  return target;
}

/** Validate `value` against `schema`; the first issue, or null when it conforms. */
export function validate(schema: JsonSchema, value: unknown, root: JsonSchema = schema, path = ''): SchemaIssue | null {
  const s = schema.$ref ? resolve(schema.$ref, root) : schema;
  const depth = path.split('/').length;
  const bad = (message: string, at = path, v: unknown = value, d = at === path ? depth : depth + 1): SchemaIssue => ({
    path: at,
    message,
    value: v,
    depth: d,
  });
  if (s.anyOf) {
    const issues: SchemaIssue[] = [];
    for (const branch of s.anyOf) {
      const issue = validate(branch, value, root, path);
      if (!issue) return null;
      issues.push(issue);
    }
    // Report the branch that got furthest into the value: its message is the useful one; branches
    // failing at the same place (a clause's op) say together what would do.
    const deepest = Math.max(...issues.map((i) => i.depth));
    const best = issues.filter((i) => i.depth === deepest);
    const first = best[0];
    if (first && deepest > depth) {
      const same = best.filter((i) => i.path === first.path);
      const messages = [...new Set(same.map((i, k) => (k ? i.message.replace(/^must be /, '') : i.message)))];
      return { ...first, message: messages.join(', or ') };
    }
    return bad(`must be ${s.anyOf.map(describe).join(', or ')}`);
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => hasType(value, t))) return bad(`must be ${describe({ type: s.type })}`);
  }
  // A const is how anyOf branches are told apart ({ op: 'range' }): missing it counts for a little
  // less than failing further inside a branch whose const matched.
  if (s.const !== undefined && value !== s.const) return bad(`must be ${JSON.stringify(s.const)}`, path, value, depth - 0.5);
  if (s.enum && !s.enum.includes(value as never)) return bad(`must be ${describe(s)}`);
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) return bad(`must be ≥ ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) return bad(`must be ≤ ${s.maximum}`);
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) return bad(`must be > ${s.exclusiveMinimum}`);
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength)
      return bad(s.minLength === 1 ? 'must not be empty' : `must have at least ${s.minLength} characters`);
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) return bad(`must match ${s.pattern}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) return bad(`must have at least ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) return bad(`must have at most ${s.maxItems} items`);
    if (s.uniqueItems && new Set(value.map((x) => JSON.stringify(x))).size !== value.length)
      return bad('must not repeat items');
    for (let i = 0; i < value.length; i++) {
      const item = s.prefixItems?.[i] ?? s.items;
      if (!item) continue;
      const issue = validate(item, value[i], root, pointer(path, i));
      if (issue) return issue;
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    for (const k of s.required ?? [])
      if (o[k] === undefined) return bad(`"${k}" is required`, pointer(path, k), undefined, depth);
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined) continue;
      const prop = s.properties?.[k];
      if (prop) {
        const issue = validate(prop, v, root, pointer(path, k));
        if (issue) return issue;
      } else if (s.additionalProperties === false) {
        return bad('is not a known parameter', pointer(path, k), v);
      } else if (typeof s.additionalProperties === 'object') {
        const issue = validate(s.additionalProperties, v, root, pointer(path, k));
        if (issue) return issue;
      }
    }
  }
  return null;
}

/**
 * Check a request's params against its metric's schema: `FinError('bad_params')` whose details
 * carry `path` (a JSON pointer into params, e.g. `/measure/ratio/0/agg`), `param` (the same path in
 * dots, as the metrics' own checks name it: `measure.ratio.0.agg`), `value` and the metric id.
 */
export function checkParams(metric: string, schema: JsonSchema, params: unknown): void {
  const issue = validate(schema, params ?? {});
  if (!issue) return;
  const param = issue.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
  const where = param ? `Parameter "${param}"` : 'Params';
  throw new FinError('bad_params', `${where} of ${metric} ${issue.message}`, {
    metric,
    path: issue.path,
    param: param || null,
    ...(issue.value === undefined ? {} : { value: issue.value as never }),
  });
}
