/** Alerts table model: `txn_alerts` rows, rule names, sorting and the thresholds line of the basis. */
import type { MetricResult } from '../../engine/types.js';
import { formatValue } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import { m, num, str } from './shared.js';

export type AlertRuleId =
  'cash' | 'individual_domestic' | 'individual_cross_border' | 'non_individual' | 'structuring';
export const RULE_IDS: readonly AlertRuleId[] = [
  'cash',
  'individual_domestic',
  'individual_cross_border',
  'non_individual',
  'structuring',
];
const RULE_KEY: Record<AlertRuleId, string> = {
  cash: 'ruleCash',
  individual_domestic: 'ruleIndividualDomestic',
  individual_cross_border: 'ruleIndividualCrossBorder',
  non_individual: 'ruleNonIndividual',
  structuring: 'ruleStructuring',
};

/** Localised rule name (short: 大额现金, 疑似拆分交易); unknown rules from `meta.rules` or as given. */
export function ruleText(rule: string, locale: Locale, metaRules?: unknown): string {
  if ((RULE_IDS as readonly string[]).includes(rule)) return m(locale, RULE_KEY[rule as AlertRuleId]);
  const mr = metaRules && typeof metaRules === 'object' ? (metaRules as Record<string, unknown>)[rule] : null;
  if (mr && typeof mr === 'object') {
    const t = (mr as Record<string, unknown>)[locale];
    if (typeof t === 'string') return t;
  }
  return rule;
}

export interface AlertView {
  /** Position in the result (stable key). */
  i: number;
  customer: string;
  /** Day of the alert (last day of a structuring episode). */
  date: string;
  /** First day of a structuring episode. */
  firstDate: string | null;
  rule: string;
  ruleLabel: string;
  direction: 'in' | 'out' | null;
  amount: number | null;
  count: number | null;
  threshold: number | null;
  single: boolean | null;
  txnIds: string[];
}

export interface AlertsModel {
  rows: AlertView[];
  /** All alerts found (the result may hold only the latest `limit`). */
  total: number;
  /** Alerts per rule, in rule order (rules with alerts only). */
  byRule: Array<{ rule: string; label: string; n: number }>;
}

/** The `txn_alerts` result as table rows. */
export function alertsModel(r: MetricResult, locale: Locale): AlertsModel {
  const metaRules = r.meta?.['rules'];
  const rows: AlertView[] = (r.data as Array<Record<string, unknown>>).map((x, i) => {
    const rule = str(x?.['rule']);
    const dir = x?.['direction'];
    return {
      i,
      customer: str(x?.['customer_id']),
      date: str(x?.['date']),
      firstDate: typeof x?.['firstDate'] === 'string' ? (x['firstDate'] as string) : null,
      rule,
      ruleLabel: ruleText(rule, locale, metaRules),
      direction: dir === 'in' || dir === 'out' ? dir : null,
      amount: num(x?.['amount']),
      count: num(x?.['count']),
      threshold: num(x?.['threshold']),
      single: typeof x?.['single'] === 'boolean' ? (x['single'] as boolean) : null,
      txnIds: Array.isArray(x?.['txnIds']) ? (x['txnIds'] as unknown[]).map(str) : [],
    };
  });
  const counts = new Map<string, number>();
  for (const a of rows) counts.set(a.rule, (counts.get(a.rule) ?? 0) + 1);
  const order = (rule: string): number => {
    const k = (RULE_IDS as readonly string[]).indexOf(rule);
    return k < 0 ? RULE_IDS.length : k;
  };
  const byRule = [...counts.entries()]
    .sort((a, b) => order(a[0]) - order(b[0]) || (a[0] < b[0] ? -1 : 1))
    .map(([rule, n]) => ({ rule, label: ruleText(rule, locale, metaRules), n }));
  const total = num(r.meta?.['total']);
  return { rows, total: total !== null && total >= rows.length ? total : rows.length, byRule };
}

export type AlertSortKey = 'date' | 'customer' | 'rule' | 'amount' | 'count';
export const ALERT_SORT_KEYS: readonly AlertSortKey[] = ['date', 'customer', 'rule', 'amount', 'count'];

/** Rows sorted by a column (nulls last either way), ties by date (latest first), customer, position. */
export function sortAlerts(rows: readonly AlertView[], key: AlertSortKey, dir: 'asc' | 'desc'): AlertView[] {
  const sign = dir === 'asc' ? 1 : -1;
  const ruleOrder = (r: string): number => {
    const k = (RULE_IDS as readonly string[]).indexOf(r);
    return k < 0 ? RULE_IDS.length : k;
  };
  const cmpText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const val = (a: AlertView): number | string | null =>
    key === 'date'
      ? a.date
      : key === 'customer'
        ? a.customer
        : key === 'rule'
          ? ruleOrder(a.rule)
          : key === 'amount'
            ? a.amount
            : a.count;
  return [...rows].sort((a, b) => {
    const va = val(a);
    const vb = val(b);
    if (va === null && vb !== null) return 1;
    if (vb === null && va !== null) return -1;
    let c = 0;
    if (va !== null && vb !== null)
      c = typeof va === 'number' ? va - (vb as number) : cmpText(va, vb as string);
    return c * sign || cmpText(b.date, a.date) || cmpText(a.customer, b.customer) || a.i - b.i;
  });
}

/** The rule thresholds of a `txn_alerts` basis, as one localised line (null when absent). */
export function thresholdsText(options: Record<string, unknown> | undefined, locale: Locale): string | null {
  const th = options?.['thresholds'];
  if (!th || typeof th !== 'object') return null;
  const t = th as Record<string, unknown>;
  const items: string[] = [];
  const pairs: Array<[AlertRuleId, string]> = [
    ['cash', 'cash'],
    ['individual_domestic', 'individualDomestic'],
    ['individual_cross_border', 'individualCrossBorder'],
    ['non_individual', 'nonIndividual'],
  ];
  for (const [rule, k] of pairs) {
    const v = num(t[k]);
    if (v !== null)
      items.push(
        m(locale, 'thresholdItem', {
          rule: ruleText(rule, locale),
          v: formatValue(v, 'currency', locale, 0),
        }),
      );
  }
  const st = options?.['structuring'];
  if (st && typeof st === 'object') {
    const s = st as Record<string, unknown>;
    const lo = num(s['lower']);
    const hi = num(s['upper']);
    const n = num(s['minCount']);
    const days = num(s['windowDays']);
    if (lo !== null && hi !== null && n !== null && days !== null)
      items.push(
        m(locale, 'structuringItem', {
          rule: ruleText('structuring', locale),
          days,
          n,
          lo: formatValue(lo, 'percent', locale, 0),
          hi: formatValue(hi, 'percent', locale, 0),
        }),
      );
  }
  if (!items.length) return null;
  return m(locale, 'thresholdsNote', { list: items.join(locale === 'zh-CN' ? '；' : '; ') });
}
