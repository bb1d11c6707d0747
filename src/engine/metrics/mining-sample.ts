/**
 * Modelling samples for `score` and `model_monitor` (METRICS.md, "Scores"): one row per entity and
 * observation date with a binary label and the features known at that date, for the ready
 * definitions `default`, `churn`, `cure`, or a custom label + feature list on any dataset.
 * Rows come out in (id, observation day) order, so results never depend on the input's row order.
 */
import type { Column } from '../../data/dataset.js';
import { NULL_INDEX } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import { t } from '../metric.js';
import type { LocalText } from '../types.js';
import { badParam, cmpStr, intParam, rowList } from './generic-util.js';
import { openLoanMonths } from './loan-months.js';
import { customerFrame } from './mining-features.js';

export type Definition = 'default' | 'churn' | 'cure' | 'custom';

export interface FeatureDef {
  name: string;
  kind: 'num' | 'cat';
  label: LocalText;
}

export interface ModelSample {
  definition: Definition;
  /** Entity field (`loan_id`, `customer_id`, …) and ids per row. */
  idField: string;
  ids: string[];
  /** Observation day and month index per row (NULL_INDEX when unknown: custom without a date). */
  day: Int32Array;
  month: Int32Array;
  /** 1 = the event (bad, churned, cured), 0 otherwise. */
  label: Uint8Array;
  features: FeatureDef[];
  num: Record<string, Float64Array>;
  cat: Record<string, (string | null)[]>;
  /** Candidates considered and why some were left out. */
  considered: number;
  excluded: Record<string, number>;
  /** Definition parameters used (into the basis and the model). */
  params: Record<string, unknown>;
  /** What the label and the observation date mean, for the basis. */
  definitionText: LocalText;
}

const F = (name: string, kind: 'num' | 'cat', zh: string, en: string): FeatureDef => ({
  name,
  kind,
  label: t(zh, en),
});

/** Columns read through links (loans → customers) when present. */
function optional(ctx: MetricContext, ds: string, field: string): Column | null {
  try {
    return ctx.tryCol(ds, field);
  } catch {
    return null;
  }
}

/** Order rows by (id, day) and gather every array. */
function finish(s: ModelSample): ModelSample {
  const n = s.ids.length;
  const ord = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => cmpStr(s.ids[a]!, s.ids[b]!) || s.day[a]! - s.day[b]!,
  );
  const out: ModelSample = {
    ...s,
    ids: ord.map((i) => s.ids[i]!),
    day: Int32Array.from(ord, (i) => s.day[i]!),
    month: Int32Array.from(ord, (i) => s.month[i]!),
    label: Uint8Array.from(ord, (i) => s.label[i]!),
    num: {},
    cat: {},
  };
  for (const [k, v] of Object.entries(s.num)) out.num[k] = Float64Array.from(ord, (i) => v[i]!);
  for (const [k, v] of Object.entries(s.cat)) out.cat[k] = ord.map((i) => v[i]!);
  return out;
}

/** Values of a column at rows `at` (−1 → missing): numbers for `num`, strings for everything else. */
function gatherNum(c: Column | null, at: ArrayLike<number>): Float64Array {
  const out = new Float64Array(at.length).fill(NaN);
  if (!c) return out;
  for (let j = 0; j < at.length; j++) {
    const i = at[j]!;
    if (i < 0) continue;
    if (c.kind === 'num') out[j] = c.data[i]!;
    else if (c.kind === 'bool') out[j] = c.data[i]! < 0 ? NaN : c.data[i]!;
  }
  return out;
}
function gatherCat(c: Column | null, at: ArrayLike<number>): (string | null)[] {
  const out: (string | null)[] = new Array<string | null>(at.length).fill(null);
  if (!c) return out;
  for (let j = 0; j < at.length; j++) {
    const i = at[j]!;
    if (i < 0) continue;
    if (c.kind === 'cat') out[j] = c.codes[i]! < 0 ? null : c.dict[c.codes[i]!]!;
    else if (c.kind === 'bool') out[j] = c.data[i]! < 0 ? null : c.data[i] ? 'true' : 'false';
    else if (c.kind === 'num') out[j] = Number.isNaN(c.data[i]!) ? null : String(c.data[i]);
  }
  return out;
}

/** Loan and customer attributes at the loan rows `at` of `ds` (loans or loan_months). */
function loanAttributes(
  ctx: MetricContext,
  ds: string,
  at: ArrayLike<number>,
  issueYear: ArrayLike<number>,
  s: Pick<ModelSample, 'features' | 'num' | 'cat'>,
): void {
  const nums: Array<[string, string, string]> = [
    ['principal', '本金', 'Principal'],
    ['term_months', '期限（月）', 'Term (months)'],
    ['annual_rate', '年利率', 'Annual rate'],
  ];
  for (const [f, zh, en] of nums) {
    const c = optional(ctx, ds, f);
    if (!c || c.kind !== 'num') continue;
    s.features.push(F(f, 'num', zh, en));
    s.num[f] = gatherNum(c, at);
  }
  const by = optional(ctx, ds, 'birth_year');
  if (by && by.kind === 'num') {
    s.features.push(F('age', 'num', '年龄', 'Age'));
    const v = gatherNum(by, at);
    s.num.age = v.map((b, j) => issueYear[j]! - b);
  }
  const cats: Array<[string, string, string]> = [
    ['product', '产品', 'Product'],
    ['channel', '渠道', 'Channel'],
    ['region', '地区', 'Region'],
    ['gender', '性别', 'Gender'],
    ['segment', '客群', 'Segment'],
    ['city_tier', '城市等级', 'City tier'],
    ['risk_grade', '风险等级', 'Risk grade'],
  ];
  for (const [f, zh, en] of cats) {
    const c = optional(ctx, ds, f);
    if (!c || c.kind !== 'cat') continue;
    s.features.push(F(f, 'cat', zh, en));
    s.cat[f] = gatherCat(c, at);
  }
}

/** `default`: loans; label = ever dpd ≥ badDpd within horizon MOB of issue; features at issue. */
function defaultSample(ctx: MetricContext, params: Record<string, unknown>): ModelSample {
  const horizon = intParam(params, 'horizonMonths', 12, 1, 120);
  const badDpd = intParam(params, 'badDpd', 61, 1, 10000);
  const lds = ctx.dataset('loans');
  const lid = ctx.col('loans', 'loan_id');
  const issue = ctx.col('loans', 'issue_date');
  if (lid.kind !== 'cat' || issue.kind !== 'date')
    throw badParam('definition', 'loans needs loan_id and issue_date');
  const lm = openLoanMonths(ctx, 'loan_months');
  // Per loan code of loan_months: the first month with dpd ≥ badDpd, and the last month observed.
  const firstBad = new Int32Array(lm.nLoans).fill(NULL_INDEX);
  const seen = new Uint8Array(lm.nLoans);
  for (let q = 0; q < lm.count; q++) {
    const i = lm.rows ? lm.rows[q]! : q;
    const c = lm.loan[i]!;
    const m = lm.month[i]!;
    if (c < 0 || m === NULL_INDEX) continue;
    seen[c] = 1;
    if (lm.dpd[i]! >= badDpd && (firstBad[c] === NULL_INDEX || m < firstBad[c]!)) firstBad[c] = m;
  }
  const codeOf = new Map<string, number>();
  lm.loanDict.forEach((s, k) => codeOf.set(s, k));
  const lastMonth = lm.maxMonth;
  const list = rowList(lds, ctx.rows('loans'));
  const at: number[] = [];
  const ids: string[] = [];
  const day: number[] = [];
  const month: number[] = [];
  const label: number[] = [];
  const year: number[] = [];
  let immature = 0;
  let noSnap = 0;
  let noId = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const c = lid.codes[i]!;
    const m = issue.month[i]!;
    if (c < 0 || m === NULL_INDEX) {
      noId++;
      continue;
    }
    const code = codeOf.get(lid.dict[c]!);
    if (code === undefined || !seen[code]) {
      noSnap++;
      continue;
    }
    const fb = firstBad[code]!;
    const bad = fb !== NULL_INDEX && fb - m <= horizon;
    // Only loans whose whole window is observed: counting early defaults of young loans would
    // fill the latest cohorts with bads.
    if (m + horizon > lastMonth) {
      immature++;
      continue;
    }
    at.push(i);
    ids.push(lid.dict[c]!);
    day.push(issue.day[i]!);
    month.push(m);
    label.push(bad ? 1 : 0);
    year.push(Math.floor(m / 12));
  }
  const s: ModelSample = {
    definition: 'default',
    idField: 'loan_id',
    ids,
    day: Int32Array.from(day),
    month: Int32Array.from(month),
    label: Uint8Array.from(label),
    features: [],
    num: {},
    cat: {},
    considered: list.length,
    excluded: { immature, no_snapshots: noSnap, missing_loan_or_issue_date: noId },
    params: { horizonMonths: horizon, badDpd },
    definitionText: t(
      `违约：贷款发放后 ${horizon} 个账龄月内曾逾期 ≥ ${badDpd} 天（M3+）为坏（1）；观察日 = 发放日，特征取发放时的贷款与客户属性；发放未满 ${horizon} 个月（表现期未完整）的贷款不参与。`,
      `Default: a loan is bad (1) when it was ever ${badDpd}+ days past due (M3+) within ${horizon} MOB of issue; observation date = issue date, features are loan and customer attributes at issue; loans younger than ${horizon} months (window not yet complete) are left out.`,
    ),
  };
  loanAttributes(ctx, 'loans', at, year, s);
  return finish(s);
}

/** `cure`: loan-months in M1 (dpd 1–30) at t; label = M0 or closed at t + 1. */
function cureSample(ctx: MetricContext, params: Record<string, unknown>): ModelSample {
  const maxDpd = intParam(params, 'fromMaxDpd', 30, 1, 10000);
  const lm = openLoanMonths(ctx, 'loan_months');
  const key = (c: number, m: number): number => c * 4096 + (m - lm.minMonth);
  const rowOf = new Map<number, number>();
  for (let q = 0; q < lm.count; q++) {
    const i = lm.rows ? lm.rows[q]! : q;
    if (lm.loan[i]! >= 0 && lm.month[i] !== NULL_INDEX) rowOf.set(key(lm.loan[i]!, lm.month[i]!), i);
  }
  const due = optional(ctx, 'loan_months', 'due_amount');
  const paid = optional(ctx, 'loan_months', 'paid_amount');
  const issue = optional(ctx, 'loan_months', 'issue_date');
  const at: number[] = [];
  const ids: string[] = [];
  const day: number[] = [];
  const month: number[] = [];
  const label: number[] = [];
  const year: number[] = [];
  let noNext = 0;
  let considered = 0;
  for (let q = 0; q < lm.count; q++) {
    const i = lm.rows ? lm.rows[q]! : q;
    const c = lm.loan[i]!;
    const m = lm.month[i]!;
    const d = lm.dpd[i]!;
    if (c < 0 || m === NULL_INDEX || !(d >= 1 && d <= maxDpd)) continue;
    considered++;
    const nx = rowOf.get(key(c, m + 1));
    if (nx === undefined) {
      noNext++;
      continue;
    }
    const s = lm.statusCodes[nx]!;
    const closed = s >= 0 && lm.statusKind[s] === 1;
    at.push(i);
    ids.push(lm.loanDict[c]!);
    day.push(lm.day[i]!);
    month.push(m);
    label.push(lm.dpd[nx] === 0 || closed ? 1 : 0);
    year.push(Math.floor(m / 12));
  }
  const s: ModelSample = {
    definition: 'cure',
    idField: 'loan_id',
    ids,
    day: Int32Array.from(day),
    month: Int32Array.from(month),
    label: Uint8Array.from(label),
    features: [
      F('dpd', 'num', '逾期天数', 'Days past due'),
      F('outstanding', 'num', '余额', 'Outstanding'),
      F('mob', 'num', '账龄（月）', 'MOB'),
    ],
    num: {
      dpd: Float64Array.from(at, (i) => lm.dpd[i]!),
      outstanding: Float64Array.from(at, (i) => lm.outstanding[i]!),
      mob: Float64Array.from(at, (i, j) =>
        issue && issue.kind === 'date' && issue.month[i] !== NULL_INDEX ? month[j]! - issue.month[i]! : NaN,
      ),
    },
    cat: {},
    considered,
    excluded: { no_next_month: noNext },
    params: { fromMaxDpd: maxDpd },
    definitionText: t(
      `出催：t 月末处于 M1（逾期 1–${maxDpd} 天）的贷款，t+1 月末为 M0 或已结清记为 1；观察日 = t 月末。无 t+1 月记录的不参与。`,
      `Cure: loans in M1 (1–${maxDpd} DPD) at month-end t; label 1 when M0 or closed at t+1; observation date = month-end t. Loans with no t+1 row are left out.`,
    ),
  };
  if (due && due.kind === 'num' && paid && paid.kind === 'num') {
    s.features.push(F('paid_ratio', 'num', '当月还款比例', 'Paid / due this month'));
    s.num.paid_ratio = Float64Array.from(at, (i) => (due.data[i]! > 0 ? paid.data[i]! / due.data[i]! : NaN));
  }
  loanAttributes(ctx, 'loan_months', at, year, s);
  return finish(s);
}

/** `churn`: customers active in the window before each month-end T; label = no activity in (T, T+N]. */
function churnSample(ctx: MetricContext, params: Record<string, unknown>): ModelSample {
  const N = intParam(params, 'churnDays', 90, 1, 3650);
  const W = intParam(params, 'windowDays', 180, 1, 3650);
  const snapshots = intParam(params, 'snapshots', 6, 1, 60);
  const ds = ctx.dataset('transactions');
  const ent = ctx.col('transactions', 'customer_id');
  const time = ctx.col('transactions', 'txn_time');
  if (ent.kind !== 'cat' || time.kind !== 'date')
    throw badParam('definition', 'transactions needs customer_id and txn_time');
  const list = rowList(ds, ctx.rows('transactions'));
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < list.length; k++) {
    const d = time.day[list[k]!]!;
    if (d === NULL_INDEX) continue;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  // Month-ends T with a full window before and a full outcome period after.
  const ends: number[] = [];
  if (Number.isFinite(lo)) {
    for (
      let m = time.month.reduce((a, v) => (v !== NULL_INDEX && v > a ? v : a), -Infinity);
      ends.length < 600;
      m--
    ) {
      const T = Math.floor(Date.UTC(Math.floor((m + 1) / 12), (m + 1) % 12, 1) / 86400000) - 1;
      if (T - W + 1 < lo) break;
      if (T + N <= hi) ends.push(T);
    }
  }
  ends.splice(snapshots);
  ends.reverse();
  const feats = ['recency', 'frequency', 'monetary', 'net_flow', 'flow_trend'];
  const extra = ['tenure', 'age', 'products'].filter((f) => {
    if (!ctx.has('customers')) return false;
    const c = ctx.dataset('customers').cols[f === 'tenure' ? 'open_date' : f === 'age' ? 'birth_year' : f];
    return !!c;
  });
  const ids: string[] = [];
  const day: number[] = [];
  const month: number[] = [];
  const label: number[] = [];
  const num: Record<string, number[]> = {};
  for (const f of [...feats, ...extra]) num[f] = [];
  const codeIdx = new Map<string, number>();
  ent.dict.forEach((s, k) => codeIdx.set(s, k));
  for (const T of ends) {
    const frame = customerFrame(ctx, [...feats, ...extra], { asOf: T, windowDays: W });
    const later = new Uint8Array(ent.dict.length);
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const d = time.day[i]!;
      if (d > T && d <= T + N && ent.codes[i]! >= 0) later[ent.codes[i]!] = 1;
    }
    for (let j = 0; j < frame.ids.length; j++) {
      ids.push(frame.ids[j]!);
      day.push(T);
      const dt = new Date(T * 86400000);
      month.push(dt.getUTCFullYear() * 12 + dt.getUTCMonth());
      label.push(later[codeIdx.get(frame.ids[j]!) ?? 0] ? 0 : 1);
      for (const f of [...feats, ...extra]) num[f]!.push(frame.values[f]![j]!);
    }
  }
  const names: Record<string, [string, string]> = {
    recency: ['最近交易距今天数', 'Days since last transaction'],
    frequency: ['窗口内交易笔数', 'Transactions in window'],
    monetary: ['窗口内交易金额', 'Amount in window'],
    net_flow: ['窗口内净流入', 'Net inflow in window'],
    flow_trend: ['近 1/4 窗口交易占比', 'Share of transactions in the last quarter of the window'],
    tenure: ['开户时长（天）', 'Tenure (days)'],
    age: ['年龄', 'Age'],
    products: ['持有产品数', 'Products held'],
  };
  const s: ModelSample = {
    definition: 'churn',
    idField: 'customer_id',
    ids,
    day: Int32Array.from(day),
    month: Int32Array.from(month),
    label: Uint8Array.from(label),
    features: [...feats, ...extra].map((f) => F(f, 'num', names[f]![0], names[f]![1])),
    num: Object.fromEntries(Object.entries(num).map(([k, v]) => [k, Float64Array.from(v)])),
    cat: {},
    considered: ids.length,
    excluded: {},
    params: { churnDays: N, windowDays: W, snapshots },
    definitionText: t(
      `流失：在观察日 T（月末）前 ${W} 天内有交易的客户，若 T 后 ${N} 天内无交易记为 1；取最近 ${ends.length} 个可完整观察的月末。`,
      `Churn: customers with a transaction in the ${W} days to month-end T are labelled 1 when they have none in the ${N} days after T; the latest ${ends.length} fully observable month-ends are used.`,
    ),
  };
  return finish(s);
}

/** Custom: `label` (bool or 0/1) and `features` columns on the source dataset. */
function customSample(ctx: MetricContext, params: Record<string, unknown>, source: string): ModelSample {
  const labelField = params.label;
  const feats = params.features;
  if (typeof labelField !== 'string' || !labelField)
    throw badParam('label', 'A custom score needs "label": a 0/1 or boolean field');
  if (!Array.isArray(feats) || !feats.length || feats.some((f) => typeof f !== 'string'))
    throw badParam('features', 'A custom score needs "features": an array of field names', feats);
  const ds = ctx.dataset(source);
  const list = rowList(ds, ctx.rows(source));
  const lab = ctx.col(source, labelField);
  const dateField = typeof params.dateField === 'string' ? params.dateField : null;
  const date = dateField ? ctx.col(source, dateField) : null;
  if (date && date.kind !== 'date')
    throw badParam('dateField', `"${dateField}" is not a date field`, dateField);
  const idField =
    typeof params.idField === 'string'
      ? params.idField
      : (['loan_id', 'customer_id'].find((f) => ds.cols[f]?.kind === 'cat') ?? null);
  const idCol = idField ? ds.cols[idField] : null;
  const at: number[] = [];
  const ids: string[] = [];
  const day: number[] = [];
  const month: number[] = [];
  const label: number[] = [];
  let missingLabel = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const v =
      lab.kind === 'bool'
        ? lab.data[i]!
        : lab.kind === 'num'
          ? lab.data[i]!
          : lab.kind === 'cat' && lab.codes[i]! >= 0
            ? Number(['1', 'true', 'bad', 'yes'].includes(lab.dict[lab.codes[i]!]!.toLowerCase()))
            : NaN;
    if (!(v === 0 || v === 1)) {
      missingLabel++;
      continue;
    }
    at.push(i);
    ids.push(
      idCol && idCol.kind === 'cat' && idCol.codes[i]! >= 0
        ? idCol.dict[idCol.codes[i]!]!
        : String(i).padStart(10, '0'),
    );
    day.push(date && date.kind === 'date' ? date.day[i]! : NULL_INDEX);
    month.push(date && date.kind === 'date' ? date.month[i]! : NULL_INDEX);
    label.push(v);
  }
  const s: ModelSample = {
    definition: 'custom',
    idField: idField ?? 'row',
    ids,
    day: Int32Array.from(day),
    month: Int32Array.from(month),
    label: Uint8Array.from(label),
    features: [],
    num: {},
    cat: {},
    considered: list.length,
    excluded: { missing_label: missingLabel },
    params: { label: labelField, features: feats, dateField, idField },
    definitionText: t(
      `自定义：${source}.${labelField} 为 1（或 true）记为 1；特征 ${(feats as string[]).join('、')}${dateField ? `；观察日 = ${dateField}` : ''}。`,
      `Custom: label 1 when ${source}.${labelField} is 1 (or true); features ${(feats as string[]).join(', ')}${dateField ? `; observation date = ${dateField}` : ''}.`,
    ),
  };
  for (const f of feats as string[]) {
    const c = ctx.col(source, f);
    if (c.kind === 'num') {
      s.features.push({ name: f, kind: 'num', label: t(f, f) });
      s.num[f] = gatherNum(c, at);
    } else if (c.kind === 'cat' || c.kind === 'bool') {
      s.features.push({ name: f, kind: 'cat', label: t(f, f) });
      s.cat[f] = gatherCat(c, at);
    } else throw badParam('features', `Feature "${f}" must be numeric, categorical or boolean`, f);
  }
  return finish(s);
}

/** The modelling sample of a definition. */
export function buildSample(
  ctx: MetricContext,
  definition: Definition,
  params: Record<string, unknown>,
  source: string,
): ModelSample {
  switch (definition) {
    case 'default':
      return defaultSample(ctx, params);
    case 'cure':
      return cureSample(ctx, params);
    case 'churn':
      return churnSample(ctx, params);
    default:
      return customSample(ctx, params, source);
  }
}
