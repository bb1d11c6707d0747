/**
 * `txn_alerts`: large-transaction reporting thresholds (PBOC Order 2016 No. 3) on single
 * transactions or a customer's daily cumulative per rule, and structuring (repeated transactions
 * just below a threshold) — METRICS.md, Large and suspicious transactions.
 */
import { NULL_INDEX, dayLabel } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, result, t } from '../metric.js';
import type { FilterClause, LocalText, MetricResult } from '../types.js';
import {
  I32Buf,
  badParam,
  catCol,
  cmpStr,
  countingSort,
  dateCol,
  dateFieldOf,
  enumParam,
  intParam,
  rowList,
  strParam,
  whereParam,
} from './generic-util.js';

export type AlertRule =
  'cash' | 'individual_domestic' | 'individual_cross_border' | 'non_individual' | 'structuring';
const RULES: AlertRule[] = [
  'cash',
  'individual_domestic',
  'individual_cross_border',
  'non_individual',
  'structuring',
];

export interface TxnAlertRow {
  customer_id: string;
  /** `YYYY-MM-DD`: the day (threshold rules) or the last day of the episode (structuring). */
  date: string;
  rule: AlertRule;
  /** Σ amount of the alert's transactions. */
  amount: number;
  count: number;
  txnIds: string[];
  /** `in` / `out` for threshold rules cumulated per direction; null otherwise. */
  direction: 'in' | 'out' | null;
  /** The threshold applied; null for structuring. */
  threshold: number | null;
  /** True when one transaction alone reaches the threshold. */
  single: boolean;
  /** Structuring: first day of the episode. */
  firstDate?: string;
}

/** Default thresholds, CNY (PBOC Order 2016 No. 3, art. 5). */
export const DEFAULT_THRESHOLDS = Object.freeze({
  cash: 50000,
  individualDomestic: 500000,
  individualCrossBorder: 200000,
  nonIndividual: 2000000,
});

const RULE_LABEL: Record<AlertRule, LocalText> = {
  cash: t('大额现金交易', 'Large cash transaction'),
  individual_domestic: t('自然人境内大额转账', 'Natural person domestic transfer'),
  individual_cross_border: t('自然人跨境大额转账', 'Natural person cross-border transfer'),
  non_individual: t('非自然人大额转账', 'Non-natural-person transfer'),
  structuring: t('拆分交易（接近阈值）', 'Structuring (just below a threshold)'),
};

function readThresholds(v: unknown): number[] {
  const o = (v ?? {}) as Record<string, unknown>;
  if (typeof o !== 'object' || Array.isArray(o))
    throw badParam('thresholds', '"thresholds" must be an object', v);
  const keys = ['cash', 'individualDomestic', 'individualCrossBorder', 'nonIndividual'] as const;
  return keys.map((k) => {
    const x = o[k];
    if (x === undefined || x === null) return DEFAULT_THRESHOLDS[k];
    if (typeof x !== 'number' || !(x > 0))
      throw badParam('thresholds', `"thresholds.${k}" must be a positive number`, x);
    return x;
  });
}

/** Validated params of `txn_alerts` (thresholds in rule order: cash, domestic, cross-border, non-individual). */
export interface TxnAlertsParams {
  thr: number[];
  minCount: number;
  windowDays: number;
  lower: number;
  upper: number;
  cumulateBy: 'direction' | 'both';
  enabled: Set<AlertRule>;
  limit: number;
  entity: string;
  dateField: string;
  where: FilterClause[];
}

/** Param checks, in the memory order (the same `bad_params` on every backend). */
export function txnAlertsParams(params: Record<string, unknown>, source: string): TxnAlertsParams {
  const thr = readThresholds(params.thresholds);
  const st = (params.structuring ?? {}) as Record<string, unknown>;
  const minCount = intParam(st, 'minCount', 3, 2, 1000);
  const windowDays = intParam(st, 'windowDays', 7, 1, 366);
  const lower = typeof st.lower === 'number' ? st.lower : 0.9;
  const upper = typeof st.upper === 'number' ? st.upper : 1;
  if (!(lower > 0 && lower < upper && upper <= 1))
    throw badParam('structuring', '"structuring" needs 0 < lower < upper ≤ 1', st);
  const cumulateBy = enumParam(params, 'cumulateBy', ['direction', 'both'] as const, 'direction');
  const rulesParam = params.rules;
  if (
    rulesParam !== undefined &&
    (!Array.isArray(rulesParam) || !rulesParam.every((r) => RULES.includes(r as AlertRule)))
  ) {
    throw badParam('rules', `"rules" must list rules among ${RULES.join(', ')}`, rulesParam);
  }
  const enabled = new Set<AlertRule>((rulesParam as AlertRule[] | undefined) ?? RULES);
  const limit = intParam(params, 'limit', 1000, 1, 100000);
  const entity = strParam(params, 'entity', 'customer_id');
  const dateField = dateFieldOf(source, params.dateField);
  const where = whereParam(params);
  return { thr, minCount, windowDays, lower, upper, cumulateBy, enabled, limit, entity, dateField, where };
}

/** The threshold rules by rule index (slot >> 1). */
export const THRESHOLD_RULES: AlertRule[] = [
  'cash',
  'individual_domestic',
  'individual_cross_border',
  'non_individual',
];

/** One threshold alert: a customer's day in one slot (rule × direction) whose sum reaches the threshold. */
export function thresholdAlert(
  p: TxnAlertsParams,
  customer: string,
  day: number,
  slot: number,
  sum: number,
  count: number,
  maxOne: number,
  ids: string[],
): TxnAlertRow {
  const r = slot >> 1;
  return {
    customer_id: customer,
    date: dayLabel(day),
    rule: THRESHOLD_RULES[r]!,
    amount: r10(sum),
    count,
    txnIds: ids.slice().sort(cmpStr),
    direction: p.cumulateBy === 'both' ? null : (slot & 1) === 0 ? 'in' : 'out',
    threshold: p.thr[r]!,
    single: maxOne >= p.thr[r]!,
  };
}

/**
 * Structuring alerts of one customer from its near-threshold transactions in (day, row) order:
 * windows of `windowDays` days holding ≥ minCount of them; overlapping windows merge.
 */
export function structuringAlerts(
  p: TxnAlertsParams,
  customer: string,
  days: ArrayLike<number>,
  amounts: ArrayLike<number>,
  ids: readonly string[],
): TxnAlertRow[] {
  const out: TxnAlertRow[] = [];
  const n = days.length;
  if (!p.enabled.has('structuring') || n < p.minCount) return out;
  const { windowDays, minCount } = p;
  const mark = new Uint8Array(n);
  let left = 0;
  for (let j = 0; j < n; j++) {
    const dj = days[j]!;
    while (dj - days[left]! >= windowDays) left++;
    if (j - left + 1 >= minCount) for (let q = left; q <= j; q++) mark[q] = 1;
  }
  let j = 0;
  while (j < n) {
    if (!mark[j]) {
      j++;
      continue;
    }
    const rows: number[] = [j];
    let total = amounts[j]!;
    let q = j + 1;
    while (q < n && mark[q] && days[q]! - days[q - 1]! < windowDays) {
      rows.push(q);
      total += amounts[q]!;
      q++;
    }
    out.push({
      customer_id: customer,
      date: dayLabel(days[rows[rows.length - 1]!]!),
      firstDate: dayLabel(days[rows[0]!]!),
      rule: 'structuring',
      amount: r10(total),
      count: rows.length,
      txnIds: rows.map((x) => ids[x]!).sort(cmpStr),
      direction: null,
      threshold: null,
      single: false,
    });
    j = q;
  }
  return out;
}

function runTxnAlerts(
  ctx: MetricContext,
  params: Record<string, unknown>,
  source: string,
): MetricResult<TxnAlertRow> {
  const p = txnAlertsParams(params, source);
  const { thr, lower, upper, cumulateBy, enabled, minCount, entity, dateField, where } = p;

  const ds = ctx.dataset(source);
  const ent = catCol(ctx, source, entity, 'entity');
  const day = dateCol(ctx, source, dateField).day;
  const amtCol = ctx.col(source, 'amount');
  if (amtCol.kind !== 'num') throw badParam('amount', 'Column "amount" must be numeric', 'amount');
  const amt = amtCol.data;
  const dir = catCol(ctx, source, 'direction', 'direction');
  const txnCol = ctx.tryCol(source, 'txn_id');
  const txnId = txnCol && txnCol.kind === 'cat' ? txnCol : null;
  const cashCol = ctx.tryCol(source, 'cash');
  const cbCol = ctx.tryCol(source, 'cross_border');
  const cpCol = ctx.tryCol(source, 'counterparty_type');
  const cash = cashCol && cashCol.kind === 'bool' ? cashCol.data : null;
  const cross = cbCol && cbCol.kind === 'bool' ? cbCol.data : null;
  const cp = cpCol && cpCol.kind === 'cat' ? cpCol : null;
  const cpKind = new Int8Array(cp ? cp.dict.length : 0).fill(-1);
  cp?.dict.forEach(
    (s, c) => (cpKind[c] = s === 'individual' ? 0 : s === 'company' || s === 'platform' ? 1 : -1),
  );
  const dirOf = new Int8Array(dir.dict.length).fill(-1);
  dir.dict.forEach((s, c) => (dirOf[c] = s === 'in' ? 0 : s === 'out' ? 1 : -1));
  const list = rowList(ds, ctx.rows(source, where));

  // Slot of each valid row: rule * 2 + direction (0 in, 1 out; 0 for both when cumulating both).
  // Rules: 0 cash, 1 natural person domestic, 2 natural person cross-border, 3 non-natural person.
  const slotOf = new Int8Array(ds.n).fill(-1);
  const total = new Float64Array(ent.dict.length * 8);
  const nearCount = new Int32Array(ent.dict.length);
  let lo = 2147483647;
  let hi = -2147483648;
  let invalid = 0;
  let unclassified = 0;
  let nValid = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const d = day[i]!;
    if (d === NULL_INDEX || ent.codes[i]! < 0 || !(amt[i]! > 0)) {
      invalid++;
      continue;
    }
    let r = -1;
    if (cash && cash[i] === 1) r = 0;
    else if (cp) {
      const c = cp.codes[i]!;
      const kind = c < 0 ? -1 : cpKind[c]!;
      r = kind === 0 ? (cross && cross[i] === 1 ? 2 : 1) : kind === 1 ? 3 : -1;
    }
    const dc = dir.codes[i]!;
    const dv = dc < 0 ? -1 : dirOf[dc]!;
    if (r < 0 || (cumulateBy === 'direction' && dv < 0)) {
      unclassified++;
      continue;
    }
    const slot = r * 2 + (cumulateBy === 'both' ? 0 : dv);
    slotOf[i] = slot;
    nValid++;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
    const e = ent.codes[i]!;
    total[e * 8 + slot]! += amt[i]!;
    if (amt[i]! >= lower * thr[r]! && amt[i]! < upper * thr[r]!) nearCount[e]!++;
  }
  // A customer can only alert when its total in a slot reaches the threshold (a daily sum never
  // exceeds the total) or it has enough near-threshold transactions: only those are sorted.
  const candidate = new Uint8Array(ent.dict.length);
  let nCand = 0;
  for (let e = 0; e < ent.dict.length; e++) {
    let c = enabled.has('structuring') && nearCount[e]! >= minCount ? 1 : 0;
    for (let slot = 0; slot < 8 && !c; slot++) {
      if (total[e * 8 + slot]! >= thr[slot >> 1]! && enabled.has(RULES[slot >> 1]!)) c = 1;
    }
    candidate[e] = c;
  }
  if (hi < lo)
    return txnAlertsResult(ctx, p, {
      alerts: [],
      rows: list.length,
      used: nValid,
      invalid,
      unclassified,
      lo,
      hi,
    });

  // Customer-major, day-ascending order.
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    if (slotOf[i]! >= 0 && candidate[ent.codes[i]!]) nCand++;
  }
  const valid = new Int32Array(nCand);
  for (let k = 0, j = 0; k < list.length; k++) {
    const i = list[k]!;
    if (slotOf[i]! >= 0 && candidate[ent.codes[i]!]) valid[j++] = i;
  }
  const order = countingSort(countingSort(valid, day, lo, hi - lo + 1), ent.codes, 0, ent.dict.length);
  const alerts: TxnAlertRow[] = [];
  const idOf = (i: number): string => {
    const c = txnId ? txnId.codes[i]! : -1;
    return c >= 0 ? txnId!.dict[c]! : `#${i}`;
  };

  const sums = new Float64Array(8);
  const counts = new Int32Array(8);
  const maxOne = new Float64Array(8);
  const near = new I32Buf();
  let a = 0;
  while (a < order.length) {
    const e = ent.codes[order[a]!]!;
    let b = a;
    while (b < order.length && ent.codes[order[b]!] === e) b++;
    const customer = ent.dict[e]!;
    near.length = 0;
    // Threshold rules: runs of one day.
    let s = a;
    while (s < b) {
      const d = day[order[s]!]!;
      let u = s;
      for (let q = 0; q < 8; q++) {
        sums[q] = 0;
        counts[q] = 0;
        maxOne[q] = 0;
      }
      while (u < b && day[order[u]!] === d) {
        const i = order[u]!;
        const slot = slotOf[i]!;
        const r = slot >> 1;
        const x = amt[i]!;
        sums[slot]! += x;
        counts[slot]!++;
        if (x > maxOne[slot]!) maxOne[slot] = x;
        if (x >= lower * thr[r]! && x < upper * thr[r]!) near.push(order[u]!);
        u++;
      }
      for (let slot = 0; slot < 8; slot++) {
        const r = slot >> 1;
        if (counts[slot] === 0 || sums[slot]! < thr[r]! || !enabled.has(THRESHOLD_RULES[r]!)) continue;
        const ids: string[] = [];
        for (let q = s; q < u; q++) if (slotOf[order[q]!] === slot) ids.push(idOf(order[q]!));
        alerts.push(thresholdAlert(p, customer, d, slot, sums[slot]!, counts[slot]!, maxOne[slot]!, ids));
      }
      s = u;
    }
    // Structuring: windows of `windowDays` days holding ≥ minCount near-threshold transactions.
    if (enabled.has('structuring') && near.length >= minCount) {
      const nv = near.view();
      alerts.push(
        ...structuringAlerts(
          p,
          customer,
          Array.from(nv, (i) => day[i]!),
          Array.from(nv, (i) => amt[i]!),
          Array.from(nv, idOf),
        ),
      );
    }
    a = b;
  }
  return txnAlertsResult(ctx, p, { alerts, rows: list.length, used: nValid, invalid, unclassified, lo, hi });
}

/** The alerts and row classification an aggregation gives `txnAlertsResult()`. */
export interface TxnAlertsAgg {
  alerts: TxnAlertRow[];
  rows: number;
  used: number;
  invalid: number;
  unclassified: number;
  /** Day range of the classified rows (hi < lo: none). */
  lo: number;
  hi: number;
}

/** Order (newest first, then customer, rule, direction), limit, basis, quality and meta: every backend. */
export function txnAlertsResult(
  ctx: BasisContext,
  p: TxnAlertsParams,
  agg: TxnAlertsAgg,
): MetricResult<TxnAlertRow> {
  const { thr, minCount, windowDays, lower, upper, cumulateBy, enabled, limit, entity, dateField, where } = p;
  const { alerts, lo, hi, invalid, unclassified } = agg;
  const options = {
    thresholds: {
      cash: thr[0],
      individualDomestic: thr[1],
      individualCrossBorder: thr[2],
      nonIndividual: thr[3],
    },
    structuring: { minCount, windowDays, lower, upper },
    cumulateBy,
    rules: [...enabled],
    limit,
    entity,
    dateField,
    where,
  };
  const basis = makeBasis(ctx, {
    metric: 'txn_alerts',
    title: t('大额与可疑交易预警', 'Large and suspicious transaction alerts'),
    formula: t(
      `单笔或客户当日累计（按规则${cumulateBy === 'direction' ? '、分收付方向' : ''}）≥ 阈值：现金 ${thr[0]}，自然人境内转账 ${thr[1]}，自然人跨境 ${thr[2]}，非自然人转账 ${thr[3]}；拆分：${windowDays} 天内 ≥ ${minCount} 笔、每笔为阈值的 ${lower * 100}%–${upper * 100}%`,
      `Single transaction or a customer's daily cumulative (per rule${cumulateBy === 'direction' ? ' and direction' : ''}) ≥ threshold: cash ${thr[0]}, natural person domestic transfer ${thr[1]}, natural person cross-border ${thr[2]}, non-natural-person transfer ${thr[3]}; structuring: ≥ ${minCount} transactions within ${windowDays} days each at ${lower * 100}–${upper * 100}% of a threshold`,
    ),
    measure: 'amount',
    asOf: hi >= lo ? dayLabel(hi) : null,
    options,
    exclusions: [
      t(
        '缺少客户、日期或金额的交易，以及无法归入规则（非现金且交易对手类型缺失）的交易不参与阈值规则。',
        'Transactions without a customer, date or amount, and non-cash transactions without a counterparty type, are left out of the rules.',
      ),
    ],
    notes: [
      t(
        '自然人/非自然人按交易对手类型（individual / company、platform）判定（客户表无客户类型）；现金交易只适用现金规则；当日累计默认按收、付方向分别累计（单边累计）。',
        'Natural vs non-natural person follows counterparty_type (individual / company, platform), as customers carry no customer type; cash transactions fall under the cash rule only; the daily cumulative is per direction (credits and debits separately) by default.',
      ),
      t(
        `拆分：同一客户在任意 ${windowDays} 个自然日内有 ≥ ${minCount} 笔接近阈值（[${lower}, ${upper}) × 其规则阈值）的交易；相互重叠的窗口合并为一条预警。`,
        `Structuring: a customer with ≥ ${minCount} near-threshold transactions ([${lower}, ${upper}) × the rule's threshold) within any ${windowDays} calendar days; overlapping windows merge into one alert.`,
      ),
      t(
        '客户号为摄取时的值（如需脱敏已在摄取时完成）。',
        'Customer ids are as ingested (masked there when PII).',
      ),
    ],
  });
  if (hi < lo)
    return result([], basis, makeQuality(agg.rows, 0, { invalid, unclassified }), {
      total: 0,
      byRule: {},
      rules: RULE_LABEL,
    });
  const ruleRank = (r: AlertRule): number => RULES.indexOf(r);
  alerts.sort(
    (x, y) =>
      cmpStr(y.date, x.date) ||
      cmpStr(x.customer_id, y.customer_id) ||
      ruleRank(x.rule) - ruleRank(y.rule) ||
      cmpStr(x.direction ?? '', y.direction ?? ''),
  );
  const warnings: LocalText[] = [];
  if (alerts.length > limit) {
    warnings.push(
      t(
        `预警共 ${alerts.length} 条，仅返回最近的 ${limit} 条。`,
        `${alerts.length} alerts; only the latest ${limit} are returned.`,
      ),
    );
  }
  const byRule: Record<string, number> = {};
  for (const al of alerts) byRule[al.rule] = (byRule[al.rule] ?? 0) + 1;
  const quality = makeQuality(agg.rows, agg.used, { invalid, unclassified }, warnings);
  return result(alerts.slice(0, limit), basis, quality, { total: alerts.length, byRule, rules: RULE_LABEL });
}

export const txnAlertsMetric: MetricDef = {
  id: 'txn_alerts',
  source: 'transactions',
  run: (ctx, params, source) => runTxnAlerts(ctx, params ?? {}, source),
};
