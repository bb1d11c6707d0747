/**
 * `rfm` definitions shared by every backend: segment schemes, quintile scoring, the params'
 * validation (`rfmParams`, in the memory order of checks) and the aggregation's shape (`RfmAgg`:
 * what the memory loop or the SQL `GROUP BY` hands `rfmResult()` in rfm.ts).
 */
import type { FilterClause, LocalText } from '../types.js';
import { t } from '../metric.js';
import {
  badParam,
  dateFieldOf,
  dayParam,
  enumParam,
  intParam,
  numParam,
  quantileSorted,
  strParam,
  whereParam,
} from './generic-util.js';

/** One segment of the result. */
export interface RfmSegmentRow {
  segment: string;
  label: LocalText;
  customers: number;
  /** customers / scored customers. */
  share: number | null;
  /** Σ M of the segment's customers. */
  monetary: number;
  /** Mean R, F, M scores (1–5); null for an empty segment. */
  meanR: number | null;
  meanF: number | null;
  meanM: number | null;
  /** Mean raw values: recency days, transactions in W, M. */
  meanRecencyDays: number | null;
  meanFrequency: number | null;
  meanMonetary: number | null;
}

export interface RfmCustomer {
  customer_id: string;
  /** Recency in days. */
  r: number;
  /** Transactions in the window. */
  f: number;
  /** Σ or mean amount in the window. */
  m: number;
  R: number;
  F: number;
  M: number;
  segment: string;
}

export interface SegmentDef {
  id: string;
  label: LocalText;
}

/** cn8 segments indexed by (R高 << 2) | (F高 << 1) | M高. */
export const CN8_BY_BITS: SegmentDef[] = [
  { id: 'general_winback', label: t('一般挽留客户', 'General win-back') }, // R低 F低 M低
  { id: 'important_winback', label: t('重要挽留客户', 'Important win-back') }, // 低 低 高
  { id: 'general_retain', label: t('一般保持客户', 'General retain') }, // 低 高 低
  { id: 'important_retain', label: t('重要保持客户', 'Important retain') }, // 低 高 高
  { id: 'general_develop', label: t('一般发展客户', 'General develop') }, // 高 低 低
  { id: 'important_develop', label: t('重要发展客户', 'Important develop') }, // 高 低 高
  { id: 'general_value', label: t('一般价值客户', 'General value') }, // 高 高 低
  { id: 'important_value', label: t('重要价值客户', 'Important value') }, // 高 高 高
];
/** Display order of cn8 (METRICS.md table order). */
export const CN8_ORDER = [
  'important_value',
  'important_develop',
  'important_retain',
  'important_winback',
  'general_value',
  'general_develop',
  'general_retain',
  'general_winback',
];

/** rf10 segments with their R and F score ranges (inclusive); together they cover the 5 × 5 grid. */
export const RF10: Array<SegmentDef & { r: [number, number]; f: [number, number] }> = [
  { id: 'champions', label: t('冠军客户', 'Champions'), r: [5, 5], f: [4, 5] },
  { id: 'loyal', label: t('忠诚客户', 'Loyal'), r: [3, 4], f: [4, 5] },
  { id: 'potential_loyalist', label: t('潜力忠诚客户', 'Potential loyalist'), r: [4, 5], f: [2, 3] },
  { id: 'new_customers', label: t('新客户', 'New customers'), r: [5, 5], f: [1, 1] },
  { id: 'promising', label: t('有潜力客户', 'Promising'), r: [4, 4], f: [1, 1] },
  { id: 'need_attention', label: t('需要关注', 'Need attention'), r: [3, 3], f: [3, 3] },
  { id: 'about_to_sleep', label: t('即将沉睡', 'About to sleep'), r: [3, 3], f: [1, 2] },
  { id: 'at_risk', label: t('有流失风险', 'At risk'), r: [1, 2], f: [3, 4] },
  { id: 'cant_lose', label: t('不能失去', "Can't lose"), r: [1, 2], f: [5, 5] },
  { id: 'hibernating', label: t('沉睡客户', 'Hibernating'), r: [1, 2], f: [1, 2] },
];

export const UNMATCHED: SegmentDef = { id: 'unmatched', label: t('未匹配', 'Unmatched') };

export interface Rule {
  segment: string;
  label: LocalText;
  r: [number, number];
  f: [number, number];
  m: [number, number];
}

function readRange(v: unknown, name: string): [number, number] {
  if (v === undefined || v === null) return [1, 5];
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number')) {
    throw badParam('rules', `Rule range "${name}" must be [min, max] scores`, v);
  }
  return [v[0] as number, v[1] as number];
}

function readRules(v: unknown): Rule[] {
  if (!Array.isArray(v) || v.length === 0)
    throw badParam('rules', '"rules" must be a non-empty array of { segment, r?, f?, m? }', v);
  return v.map((x) => {
    const o = (x ?? {}) as Record<string, unknown>;
    if (typeof o.segment !== 'string' || !o.segment)
      throw badParam('rules', 'Each rule needs a "segment" name', x);
    const lab = o.label;
    const label =
      typeof lab === 'string'
        ? t(lab, lab)
        : lab && typeof lab === 'object' && typeof (lab as LocalText)['zh-CN'] === 'string'
          ? (lab as LocalText)
          : t(o.segment, o.segment);
    return {
      segment: o.segment,
      label,
      r: readRange(o.r, 'r'),
      f: readRange(o.f, 'f'),
      m: readRange(o.m, 'm'),
    };
  });
}

/** Quintile breakpoints (20/40/60/80th percentiles, linear interpolation) of unsorted values. */
export function quintileBreakpoints(values: ArrayLike<number>): number[] {
  // No scored customers: no breakpoints (never NaN in a result).
  if (values.length === 0) return [];
  const s = Float64Array.from(values).sort();
  return [0.2, 0.4, 0.6, 0.8].map((p) => quantileSorted(s, p));
}

/** 1 + the number of breakpoints strictly below `v` (equal values, equal scores). */
export function quintileScore(v: number, bp: readonly number[]): number {
  let s = 1;
  for (let j = 0; j < bp.length; j++) if (bp[j]! < v) s++;
  return s;
}

/** `members`: segment ids whose entities the result lists in `meta.members` (null when absent). */
function membersParam(v: unknown): string[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw badParam('members', 'members must be an array of segment ids', v);
  return v as string[];
}

/** Validated rfm params (the memory order of checks; shared by the SQL compilation). */
export interface RfmParams {
  entity: string;
  dateField: string;
  amountField: string;
  windowDays: number;
  monetary: 'sum' | 'mean';
  direction: 'all' | 'in' | 'out';
  scheme: 'cn8' | 'rf10' | 'custom';
  thresholdMode: 'score4' | 'mean-score' | 'mean-value' | 'fixed';
  threshold: number | null;
  rules: Rule[] | null;
  includeCustomers: boolean;
  onlySegment: string | null;
  limit: number;
  members: string[] | null;
  /** `asOf` as a day index, null for the last transaction day. */
  asOfDay: number | null;
  where: FilterClause[];
  /** `where` plus the direction clause: the rows' extra filter. */
  extra: FilterClause[];
}

export function rfmParams(params: Record<string, unknown>, source: string): RfmParams {
  const entity = strParam(params, 'entity', 'customer_id');
  const dateField = dateFieldOf(source, params.dateField);
  const amountField = strParam(params, 'amountField', 'amount');
  const windowDays = intParam(params, 'windowDays', 365, 1, 100000);
  const monetary = enumParam(params, 'monetary', ['sum', 'mean'] as const, 'sum');
  const direction = enumParam(params, 'direction', ['all', 'in', 'out'] as const, 'all');
  const scheme = enumParam(
    params,
    'scheme',
    ['cn8', 'rf10', 'custom'] as const,
    params.rules ? 'custom' : 'cn8',
  );
  // cn8 高/低: default score ≥ 4 (score > 3); 'mean-score' / 'mean-value' or a fixed score.
  const thresholdMode: RfmParams['thresholdMode'] =
    params.threshold === 'mean-score' || params.threshold === 'mean-value'
      ? params.threshold
      : params.threshold === undefined || params.threshold === null || params.threshold === 'score4'
        ? 'score4'
        : 'fixed';
  const threshold = thresholdMode === 'fixed' ? numParam(params, 'threshold', null) : null;
  const rules = scheme === 'custom' ? readRules(params.rules) : null;
  const includeCustomers = params.includeCustomers === true;
  const onlySegment = typeof params.segment === 'string' ? params.segment : null;
  const limit = intParam(params, 'limit', 500, 1, 10000);
  const members = membersParam(params.members);
  const asOfDay = dayParam(params, 'asOf');
  const where = whereParam(params);
  const extra: FilterClause[] =
    direction === 'all' ? where : [...where, { field: 'direction', op: 'eq', value: direction }];
  return {
    entity,
    dateField,
    amountField,
    windowDays,
    monetary,
    direction,
    scheme,
    thresholdMode,
    threshold,
    rules,
    includeCustomers,
    onlySegment,
    limit,
    members,
    asOfDay,
    where,
    extra,
  };
}

/** No as-of day (no dated transaction of a known entity). */
export const NO_DAY = -2147483648;

/**
 * What the aggregation step hands `rfmResult()`: the as-of day T, per scored entity (≥ 1
 * transaction in the window, in the entity dictionary's order) its id, last day, count and Σ
 * amount (summed in row order), and the row and customer counts of the quality block.
 */
export interface RfmAgg {
  T: number;
  ids: string[];
  lastDay: Float64Array;
  freq: Float64Array;
  mon: Float64Array;
  /** Entities with a usable transaction up to T (scored or not). */
  known: number;
  /** Customers of the customers table (after filters) with no usable transaction up to T. */
  noTransactions: number;
  rows: number;
  used: number;
  missingEntity: number;
  missingDate: number;
  missingAmount: number;
  afterAsOf: number;
  beforeWindow: number;
}
