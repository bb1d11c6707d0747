/**
 * The server's policy layer: who the caller is (authenticate → principal), what the principal's
 * roles allow (operations, datasets, metrics, detail lists, unmasking), and the row-level clauses
 * forced into every query. Roles combine by union for what they allow and by AND for row filters
 * (two regional roles see the intersection: give a multi-region user one role with an `in` list).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { maskValue } from '../data/mask.js';
import type { PiiKind } from '../data/mask.js';
import { SCHEMAS } from '../data/schemas.js';
import { FinError } from '../engine/errors.js';
import type { FilterClause, MetricResult } from '../engine/types.js';

/** Protocol operations the handler knows. */
export type Operation =
  'session' | 'query' | 'distinct' | 'datasets' | 'prepare' | 'load' | 'loadSample' | 'unload';
export const OPERATIONS: readonly Operation[] = [
  'session',
  'query',
  'distinct',
  'datasets',
  'prepare',
  'load',
  'loadSample',
  'unload',
];
/** What every authenticated caller may call unless a role says more. */
export const CLIENT_OPERATIONS: readonly Operation[] = ['session', 'query', 'distinct', 'datasets'];

/** The authenticated caller. */
export interface Principal {
  id: string;
  /** Display name (audit, watermark). */
  name?: string;
  roles: string[];
  /** Values row filters can refer to as `"$principal.<key>"`, e.g. `{ region: '华东' }`. */
  attributes?: Record<string, string | number | boolean | Array<string | number>>;
}

/**
 * A row-filter clause as a policy writes it: a filter clause whose string values may be
 * `"$principal.<attribute>"`; an `in` clause may take one placeholder for a list attribute.
 */
export type PolicyClause = FilterClause | { field: string; op: 'in'; value: string };

/** What one role allows. Everything not granted is refused. */
export interface RoleRule {
  /** Operations beyond query/distinct/datasets, e.g. `['load', 'unload']` for an operator. */
  operations?: Operation[];
  /** Datasets the role may read (`'*'` all; default all). */
  datasets?: string[] | '*';
  /** Metric ids the role may run (`'*'` all; default all). */
  metrics?: string[] | '*';
  /**
   * Clauses forced into every query of the role (AND with the client's). A string value
   * `"$principal.region"` takes the principal's attribute; a missing attribute refuses the call.
   */
  rowFilters?: PolicyClause[];
  /** May receive detail lists (RFM customers, alert rows, distinct identifiers). Default false. */
  detail?: boolean;
  /** May receive PII unmasked (when the data was loaded unmasked). Default false. */
  unmask?: boolean;
  /** `false`: no watermark for this role (off only when every role of the principal says so). */
  watermark?: boolean;
}

export interface Policy {
  /** The caller of a request, or null (answered 401). May be async (token introspection). */
  authenticate(req: IncomingMessage): Principal | null | Promise<Principal | null>;
  /** Rules by role name; a principal's unknown roles grant nothing. */
  roles: Record<string, RoleRule>;
  /**
   * Identifier fields whose values are detail (grouping or listing by them lists entities).
   * Default: the canonical ids and every PII field of the canonical schemas.
   */
  detailFields?: string[];
  /**
   * The watermark text elements draw over views and exports (全局水印): a function of the
   * principal and the time, or `false` for none. Default: `name id YYYY-MM-DD HH:mm`.
   */
  watermark?: false | ((principal: Principal, now: Date) => string | null);
  /** Time zone of the default watermark's time (default `Asia/Shanghai`). */
  timeZone?: string;
}

/** A principal's effective rights, computed once per request. */
export interface Scope {
  principal: Principal;
  operations: ReadonlySet<Operation>;
  datasets: ReadonlySet<string> | null;
  metrics: ReadonlySet<string> | null;
  rowFilters: FilterClause[];
  detail: boolean;
  unmask: boolean;
  /** Equal for principals with equal rights: the result cache is shared per scope. */
  key: string;
}

/** PII kind of every PII field of the canonical schemas (`phone` → phone, `account_no` → account). */
export const PII_FIELDS: ReadonlyMap<string, PiiKind> = new Map(
  Object.values(SCHEMAS).flatMap((s) =>
    Object.entries(s.fields).flatMap(([f, d]) => (d.pii ? [[f, d.pii] as const] : [])),
  ),
);

/** Entity identifiers: listing or grouping by them lists customers, loans, cases, transactions. */
export const DEFAULT_DETAIL_FIELDS: readonly string[] = [
  'customer_id',
  'loan_id',
  'case_id',
  'action_id',
  'txn_id',
  'user_id',
  ...PII_FIELDS.keys(),
];

/** Resolve `"$principal.x"` placeholders of a role's row filters; a missing attribute refuses. */
function resolveClause(c: PolicyClause, p: Principal): FilterClause {
  const attr = (v: unknown): unknown => {
    if (typeof v !== 'string' || !v.startsWith('$principal.')) return v;
    const key = v.slice('$principal.'.length);
    const got = p.attributes && Object.hasOwn(p.attributes, key) ? p.attributes[key] : undefined;
    if (got === undefined || got === null) {
      throw new FinError('forbidden', 'The policy needs a principal attribute that is missing', {
        reason: 'missing_attribute',
      });
    }
    return got;
  };
  if (c.op === 'in' && typeof c.value === 'string') {
    const v = attr(c.value);
    return { field: c.field, op: 'in', value: (Array.isArray(v) ? v : [v]) as Array<string | number> };
  }
  if (c.op === 'in') {
    const list = c.value as Array<string | number | boolean | null>;
    return { field: c.field, op: 'in', value: list.flatMap((x) => attr(x) as never) };
  }
  if (c.op === 'range')
    return { field: c.field, op: 'range', value: [attr(c.value[0]), attr(c.value[1])] as [string, string] };
  const v = attr(c.value);
  if (Array.isArray(v)) return { field: c.field, op: 'in', value: v };
  return { field: c.field, op: 'eq', value: v as string };
}

/** The effective scope of a principal under a policy (union of roles; AND of row filters). */
export function scopeOf(
  principal: Principal,
  policy: Pick<Policy, 'roles'>,
  base: readonly Operation[] = CLIENT_OPERATIONS,
): Scope {
  const ops = new Set<Operation>(base);
  let datasets: Set<string> | null = new Set();
  let metrics: Set<string> | null = new Set();
  const rowFilters: FilterClause[] = [];
  let detail = false;
  let unmask = false;
  let any = false;
  for (const role of principal.roles ?? []) {
    const rule = Object.hasOwn(policy.roles, role) ? policy.roles[role] : undefined;
    if (!rule) continue;
    any = true;
    for (const op of rule.operations ?? []) if (OPERATIONS.includes(op)) ops.add(op);
    if (!rule.datasets || rule.datasets === '*') datasets = null;
    else if (datasets) for (const d of rule.datasets) datasets.add(d);
    if (!rule.metrics || rule.metrics === '*') metrics = null;
    else if (metrics) for (const m of rule.metrics) metrics.add(m);
    for (const c of rule.rowFilters ?? []) rowFilters.push(resolveClause(c, principal));
    detail ||= rule.detail === true;
    unmask ||= rule.unmask === true;
  }
  if (!any) {
    // No known role: nothing at all.
    ops.clear();
    datasets = new Set();
    metrics = new Set();
  }
  const key = JSON.stringify([
    [...ops].sort(),
    datasets && [...datasets].sort(),
    metrics && [...metrics].sort(),
    rowFilters,
    detail,
    unmask,
  ]);
  return { principal, operations: ops, datasets, metrics, rowFilters, detail, unmask, key };
}

/** The default watermark: `张三 zhang.san 2026-12-05 14:03` in the policy's time zone. */
export function defaultWatermark(p: Principal, now: Date, timeZone = 'Asia/Shanghai'): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (t: string): string => parts.find((x) => x.type === t)?.value ?? '';
  const when = `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
  return [p.name, p.id, when].filter((x) => x).join(' ');
}

/** The watermark of a principal under a policy, or null when the policy turns it off. */
export function watermarkOf(
  p: Principal,
  policy: Pick<Policy, 'roles' | 'watermark' | 'timeZone'>,
  now: Date,
): string | null {
  if (policy.watermark === false) return null;
  const rules = (p.roles ?? []).flatMap((r) => (Object.hasOwn(policy.roles, r) ? [policy.roles[r]!] : []));
  if (rules.length > 0 && rules.every((r) => r.watermark === false)) return null;
  return policy.watermark ? policy.watermark(p, now) : defaultWatermark(p, now, policy.timeZone);
}

/** Does a request's params group or list by an identifier field? (aggregating over one is fine) */
export function paramsReferenceDetail(params: unknown, detailFields: ReadonlySet<string>): boolean {
  const AGGREGATE_KEYS = new Set(['entity', 'measure', 'numerator', 'denominator', 'where']);
  const walk = (v: unknown, depth: number): boolean => {
    if (depth > 8) return true; // absurd nesting: treat as detail rather than guess
    if (typeof v === 'string') return detailFields.has(v.replace(/\.(month|day|week|hour|dow)$/, ''));
    if (Array.isArray(v)) return v.some((x) => walk(x, depth + 1));
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (!AGGREGATE_KEYS.has(k) && walk(x, depth + 1)) return true;
    }
    return false;
  };
  return walk(params, 0);
}

/** Does an answer list entities (rows keyed by an identifier, member or customer lists)? */
export function resultHasDetail(res: MetricResult, detailFields: ReadonlySet<string>): boolean {
  const meta = res.meta ?? {};
  if (Array.isArray(meta['members']) || Array.isArray(meta['customers'])) return true;
  for (const row of res.data) {
    if (!row || typeof row !== 'object') continue;
    for (const k of Object.keys(row)) if (detailFields.has(k)) return true;
  }
  return false;
}

/** Metrics whose answer is a detail list by definition. */
export const DETAIL_METRICS: ReadonlySet<string> = new Set(['txn_alerts']);

/** Params that ask a metric for a detail list (checked before running, whatever their value). */
export const DETAIL_PARAMS: Readonly<Record<string, readonly string[]>> = {
  rfm: ['members', 'includeCustomers'],
};

/** Is this request a detail list by its metric or its params? */
export function requestIsDetail(
  metric: string,
  params: Record<string, unknown> | undefined,
  detailFields: ReadonlySet<string>,
): boolean {
  if (DETAIL_METRICS.has(metric)) return true;
  const p = params ?? {};
  if ((DETAIL_PARAMS[metric] ?? []).some((k) => Object.hasOwn(p, k) && p[k] !== false && p[k] !== null))
    return true;
  return paramsReferenceDetail(p, detailFields);
}

/**
 * Answer columns that carry the values of a field a param names (key → field): a breakdown's
 * labels (`by`, `breakdown` → `group`), a heatmap's axes (`x` / `y`, and their `meta.xDomain` /
 * `meta.yDomain` lists), the entity a detail list names its rows by (`txn_alerts`, `rfm`:
 * `entity` → `customer_id`), a model's scored entities (`score`: `idField` → `id`). A breakdown by `phone` lists phone numbers under `group`; without
 * `unmask` they are masked as the field is. Null when none.
 */
export function entityColumns(
  metric: string,
  params: Record<string, unknown> | undefined,
): Record<string, string> | null {
  const p = params ?? {};
  const fieldOf = (v: unknown): string | null => {
    if (typeof v === 'string') return v;
    const f = v && typeof v === 'object' ? (v as { field?: unknown }).field : undefined;
    return typeof f === 'string' ? f : null;
  };
  const out: Record<string, string> = {};
  const by = fieldOf(p['by']) ?? fieldOf(p['breakdown']);
  if (by) out['group'] = by;
  if (metric === 'heatmap')
    for (const axis of ['x', 'y'] as const) {
      const f = fieldOf(p[axis]);
      if (f) out[axis] = out[`meta.${axis}Domain`] = f;
    }
  const entity = fieldOf(p['entity']);
  if (entity && (metric === 'txn_alerts' || metric === 'rfm')) out['customer_id'] = entity;
  // A model's scored entities (`meta.scores[].id`) are the values of its `idField`.
  const id = fieldOf(p['idField']);
  if (id && metric === 'score') out['id'] = id;
  return Object.keys(out).length ? out : null;
}

/**
 * Mask PII values in an answer (rows and meta lists) for a principal without `unmask`: keys named
 * like a PII field, the `value` column of `distinct` over one, and columns carrying a PII field's
 * values (`columns`: key → field, from `entityColumns()`). Masking is idempotent, so data already
 * masked at ingestion is unchanged.
 */
export function maskResult(
  res: MetricResult,
  distinctField: string | null,
  columns: Record<string, string> | null = null,
): MetricResult {
  const kindOfDistinct = distinctField ? PII_FIELDS.get(distinctField.replace(/\.\w+$/, '')) : undefined;
  const carried = new Map<string, PiiKind>();
  for (const [k, f] of Object.entries(columns ?? {})) {
    const kind = PII_FIELDS.get(f.replace(/\.\w+$/, '')) ?? PII_FIELDS.get(f);
    if (kind) carried.set(k, kind);
  }
  const maskRow = (row: unknown): unknown => {
    if (!row || typeof row !== 'object' || Array.isArray(row)) return row;
    let out: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(row)) {
      const kind = k === 'value' && kindOfDistinct ? kindOfDistinct : (carried.get(k) ?? PII_FIELDS.get(k));
      if (kind && typeof v === 'string') {
        out ??= { ...(row as Record<string, unknown>) };
        out[k] = maskValue(kind, v);
      }
    }
    return out ?? row;
  };
  // A meta list of plain labels (a heatmap's axis domain) is masked as the field it lists.
  const maskList = (k: string, v: unknown[]): unknown[] => {
    const kind = carried.get(`meta.${k}`);
    return v.map((x) => (kind && typeof x === 'string' ? maskValue(kind, x) : maskRow(x)));
  };
  const meta = res.meta
    ? Object.fromEntries(Object.entries(res.meta).map(([k, v]) => [k, Array.isArray(v) ? maskList(k, v) : v]))
    : undefined;
  return { ...res, data: res.data.map(maskRow) as Array<Record<string, unknown>>, ...(meta ? { meta } : {}) };
}

/** Tokens as configured in policy JSON: `sha256:<hex>` (recommended) or the token itself. */
function tokenKey(token: string): string {
  return 'sha256:' + createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A policy as JSON (e.g. the CLI's `--policy policy.json`): bearer tokens → principals, roles. */
export interface PolicyJSON {
  /** `"sha256:<hex of the token>"` (or the plain token) → principal. */
  tokens: Record<string, Principal>;
  roles: Record<string, RoleRule>;
  detailFields?: string[];
  /** `false` turns watermarks off for everyone. */
  watermark?: false;
  timeZone?: string;
}

/**
 * A policy from JSON: callers authenticate with `Authorization: Bearer <token>`; the token's
 * SHA-256 (or, discouraged, the token itself) names the principal.
 */
export function policyFromJSON(json: PolicyJSON): Policy {
  const byKey = new Map<string, Principal>();
  for (const [k, p] of Object.entries(json.tokens ?? {})) {
    if (!p || typeof p.id !== 'string' || !Array.isArray(p.roles))
      throw new Error(`policy: token entry for "${p?.id ?? '?'}" needs id and roles`);
    byKey.set(k.startsWith('sha256:') ? k.toLowerCase() : tokenKey(k), p);
  }
  return {
    roles: json.roles ?? {},
    ...(json.detailFields ? { detailFields: json.detailFields } : {}),
    ...(json.watermark === false ? { watermark: false as const } : {}),
    ...(json.timeZone ? { timeZone: json.timeZone } : {}),
    authenticate(req) {
      const h = req.headers['authorization'];
      const m = typeof h === 'string' ? /^Bearer\s+(\S{1,512})$/i.exec(h) : null;
      return m ? (byKey.get(tokenKey(m[1]!)) ?? null) : null;
    },
  };
}
