/**
 * Forms from a metric's params JSON Schema (src/engine/metrics/params-schemas.ts), for the
 * composer's settings drawer. Pure: a schema and the current params in, a list of fields out, and
 * the parse of what the user typed back into a param value.
 *
 * - Scalars get a control each: enum → select, integer/number → number input with the schema's
 *   bounds, boolean → checkbox, a field name (`format: "field"`) → a picker fed by the dataset's
 *   columns, other strings → text.
 * - Objects and arrays (measures, filter clauses, bucket edges, dimensions) get a JSON text box,
 *   checked against the schema when applied.
 * - A param's default is shown as the placeholder and never written: an empty control means "not
 *   set" and deletes the key.
 */
import type { JsonSchema } from '../engine/schema.js';
import { validate } from '../engine/schema.js';

export type ParamKind = 'enum' | 'integer' | 'number' | 'boolean' | 'field' | 'text' | 'json';

export interface ParamField {
  /** The param's key in `params`. */
  key: string;
  /** JSON pointer of the param inside the widget (`/params/<key>`), for validation messages. */
  pointer: string;
  kind: ParamKind;
  description: string;
  /** Choices of an enum (without null). */
  options?: Array<string | number | boolean>;
  minimum?: number;
  maximum?: number;
  /** The schema's default, shown as a placeholder; never written. */
  placeholder?: string;
  /** Current value as the control shows it ('' when not set). */
  text: string;
  /** Whether the param is set in the widget's params. */
  set: boolean;
  required: boolean;
}

const escapePointer = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** The non-null alternatives of a (nullable) schema node. */
function core(s: JsonSchema): JsonSchema {
  if (s.anyOf) {
    const alts = s.anyOf.filter((a) => !(a.type === 'null' || (Array.isArray(a.type) && a.type.length === 1 && a.type[0] === 'null')));
    if (alts.length === 1) return { ...alts[0], description: s.description ?? alts[0]!.description };
    return { ...s, anyOf: alts };
  }
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t) => t !== 'null');
    const out: JsonSchema = { ...s, type: types.length === 1 ? types[0] : types };
    if (s.enum) out.enum = s.enum.filter((v) => v !== null);
    return out;
  }
  return s;
}

function kindOf(s: JsonSchema): ParamKind {
  if (s.enum && s.enum.length) return 'enum';
  if (s.$ref || s.anyOf || s.properties || s.items || s.prefixItems) return 'json';
  switch (s.type) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      return s.format === 'field' ? 'field' : 'text';
    case 'object':
    case 'array':
      return 'json';
    default:
      return 'json';
  }
}

const show = (v: unknown, kind: ParamKind): string => {
  if (v === undefined || v === null) return '';
  if (kind === 'json') return JSON.stringify(v);
  return String(v);
};

/** The fields of a params form, in the schema's property order. */
export function paramFields(schema: JsonSchema, params: Record<string, unknown> | undefined): ParamField[] {
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  return Object.entries(props).map(([key, raw]) => {
    const s = core(raw);
    const kind = kindOf(s);
    const value = params?.[key];
    const f: ParamField = {
      key,
      pointer: `/params/${escapePointer(key)}`,
      kind,
      description: raw.description ?? s.description ?? '',
      text: show(value, kind),
      set: value !== undefined,
      required: required.has(key),
    };
    if (kind === 'enum') f.options = (s.enum ?? []).filter((v): v is string | number | boolean => v !== null);
    if (s.minimum !== undefined) f.minimum = s.minimum;
    if (s.maximum !== undefined) f.maximum = s.maximum;
    const def = s.default ?? raw.default;
    if (def !== undefined) f.placeholder = show(def, kind);
    return f;
  });
}

export type ParsedParam = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * What the user typed, as the param's value: `undefined` for an empty control (delete the key), a
 * number for number kinds, booleans from 'true'/'false', parsed JSON for json kinds. The value is
 * then checked against the param's schema (with the params schema's `$defs` for `$ref`s).
 */
export function parseParam(schema: JsonSchema, key: string, text: string): ParsedParam {
  const raw = schema.properties?.[key];
  if (!raw) return { ok: false, message: `Unknown param "${key}"` };
  const s = core(raw);
  const kind = kindOf(s);
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  let value: unknown = t;
  if (kind === 'integer' || kind === 'number') {
    value = Number(t);
    if (!Number.isFinite(value)) return { ok: false, message: 'Not a number' };
  } else if (kind === 'boolean') {
    if (t !== 'true' && t !== 'false') return { ok: false, message: 'true or false' };
    value = t === 'true';
  } else if (kind === 'enum') {
    const hit = (s.enum ?? []).find((v) => String(v) === t);
    if (hit === undefined) return { ok: false, message: `One of ${(s.enum ?? []).filter((v) => v !== null).join(', ')}` };
    value = hit;
  } else if (kind === 'json') {
    try {
      value = JSON.parse(t);
    } catch {
      return { ok: false, message: 'Not valid JSON' };
    }
  }
  const issue = validate({ ...(schema.$defs ? { $defs: schema.$defs } : {}), type: 'object', properties: { [key]: raw } }, { [key]: value });
  return issue ? { ok: false, message: issue.message } : { ok: true, value };
}

export type ParsedProps = { ok: true; value: Record<string, unknown> | undefined } | { ok: false; message: string; json?: true };

/**
 * The display props typed as JSON: `undefined` for empty text (delete the key), else an object
 * whose keys are all in `allowed`. `json: true` marks text that does not parse.
 */
export function parsePropsText(text: string, allowed: ReadonlySet<string>): ParsedProps {
  const t = text.trim();
  if (!t) return { ok: true, value: undefined };
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (err) {
    return { ok: false, message: (err as Error).message, json: true };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, message: 'Must be a JSON object' };
  const unknown = Object.keys(v).filter((k) => !allowed.has(k));
  if (unknown.length) return { ok: false, message: `Unknown props: ${unknown.join(', ')}` };
  return { ok: true, value: v as Record<string, unknown> };
}
