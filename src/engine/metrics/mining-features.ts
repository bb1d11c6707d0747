/**
 * Per-customer feature frames for the mining metrics (cluster, churn score, profile): RFM values
 * from `transactions` over a window ending at T, and attributes from `customers` and `loans`.
 * Entities are listed in id order, so every result is independent of the input's row order.
 */
import { NULL_INDEX, dayLabel } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import { t } from '../metric.js';
import type { FilterClause, LocalText } from '../types.js';
import { badParam, catCol, cmpStr, dateCol, numericValues, rowList } from './generic-util.js';

/** Numeric per-customer features the mining metrics know, with their bilingual names. */
export const CUSTOMER_FEATURES: Record<
  string,
  { label: LocalText; unit: LocalText; needs: 'transactions' | 'customers' | 'loans' | 'loan_months' }
> = {
  recency: {
    label: t('最近交易距今天数', 'Days since last transaction'),
    unit: t('天', 'days'),
    needs: 'transactions',
  },
  frequency: { label: t('交易笔数', 'Transactions'), unit: t('笔', 'txns'), needs: 'transactions' },
  monetary: { label: t('交易金额', 'Amount'), unit: t('元', 'CNY'), needs: 'transactions' },
  net_flow: { label: t('净流入', 'Net inflow'), unit: t('元', 'CNY'), needs: 'transactions' },
  flow_trend: {
    label: t('近期交易占比', 'Recent activity share'),
    unit: t('比例', 'share'),
    needs: 'transactions',
  },
  tenure: { label: t('开户时长（天）', 'Tenure (days)'), unit: t('天', 'days'), needs: 'customers' },
  aum: { label: t('资产 AUM', 'AUM'), unit: t('元', 'CNY'), needs: 'customers' },
  age: { label: t('年龄', 'Age'), unit: t('岁', 'years'), needs: 'customers' },
  products: { label: t('持有产品数', 'Products held'), unit: t('个', 'products'), needs: 'customers' },
  loans: { label: t('贷款笔数', 'Loans'), unit: t('笔', 'loans'), needs: 'loans' },
  principal: { label: t('贷款本金合计', 'Principal borrowed'), unit: t('元', 'CNY'), needs: 'loans' },
  overdue: {
    label: t('曾逾期 30 天以上贷款数', 'Loans ever 30+ DPD'),
    unit: t('笔', 'loans'),
    needs: 'loan_months',
  },
};

export interface CustomerFrame {
  /** Customer ids in id order. */
  ids: string[];
  /** As-of day index T and its label. */
  T: number;
  asOf: string | null;
  windowDays: number;
  /** Feature → values aligned with `ids` (NaN = missing). */
  values: Record<string, Float64Array>;
  /** Transactions considered and used. */
  rows: number;
  used: number;
  /** Customers dropped (no transaction in the window while R/F/M are wanted). */
  noActivity: number;
}

export interface FrameOptions {
  entity?: string;
  /** As-of day (default: the last transaction date, else the last customers/loans date). */
  asOf?: number | null;
  windowDays?: number;
  /** Extra transaction clauses (the metric's `where`). */
  where?: FilterClause[];
  /** Require a transaction in the window (default: when a transaction feature is wanted). */
  activeOnly?: boolean;
}

/**
 * A frame of `features` for the customers in scope: the active customers of the window when any
 * transaction feature is wanted, else every customer of `customers` (after filters).
 */
export function customerFrame(
  ctx: MetricContext,
  features: readonly string[],
  opts: FrameOptions = {},
): CustomerFrame {
  for (const f of features)
    if (!CUSTOMER_FEATURES[f]) throw badParam('features', `Unknown feature "${f}"`, f);
  const entity = opts.entity ?? 'customer_id';
  const windowDays = opts.windowDays ?? 365;
  const needTxn = features.some((f) => CUSTOMER_FEATURES[f]!.needs === 'transactions');
  const activeOnly = opts.activeOnly ?? needTxn;
  const byId = new Map<string, number>();
  const ids: string[] = [];
  const add = (id: string): number => {
    let k = byId.get(id);
    if (k === undefined) {
      k = ids.length;
      byId.set(id, k);
      ids.push(id);
    }
    return k;
  };
  let T = opts.asOf ?? NULL_INDEX;
  let rows = 0;
  let used = 0;
  // Raw per-id accumulators (indexed by first-seen order, re-ordered by id at the end).
  const last: number[] = [];
  const freq: number[] = [];
  const mon: number[] = [];
  const net: number[] = [];
  const recent: number[] = [];
  if (ctx.has('transactions') && (needTxn || activeOnly)) {
    const ds = ctx.dataset('transactions');
    const ent = catCol(ctx, 'transactions', entity, 'entity');
    const day = dateCol(ctx, 'transactions', 'txn_time').day;
    const amt = numericValues(ctx.col('transactions', 'amount'), 'amountField', 'amount');
    const dir = ctx.tryCol('transactions', 'direction');
    const list = rowList(ds, ctx.rows('transactions', opts.where ?? []));
    rows = list.length;
    if (T === NULL_INDEX) for (let k = 0; k < list.length; k++) if (day[list[k]!]! > T) T = day[list[k]!]!;
    const from = T - windowDays + 1;
    const half = T - Math.floor(windowDays / 4) + 1;
    const inCode = dir && dir.kind === 'cat' ? dir.dict.indexOf('in') : -2;
    const codeTo = new Int32Array(ent.dict.length).fill(-1);
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const e = ent.codes[i]!;
      const d = day[i]!;
      const a = amt[i]!;
      if (e < 0 || d === NULL_INDEX || a !== a || d > T || d < from) continue;
      let c = codeTo[e]!;
      if (c < 0) {
        c = codeTo[e] = add(ent.dict[e]!);
        last[c] = d;
        freq[c] = 0;
        mon[c] = 0;
        net[c] = 0;
        recent[c] = 0;
      }
      used++;
      freq[c]!++;
      mon[c]! += a;
      const isIn = dir && dir.kind === 'cat' ? dir.codes[i] === inCode : false;
      net[c]! += isIn ? a : -a;
      if (d >= half) recent[c]!++;
      if (d > last[c]!) last[c] = d;
    }
  }
  const active = ids.length;
  // Customers without activity join when activity is not required.
  let custRows: Int32Array | null = null;
  if (ctx.has('customers')) {
    const cds = ctx.dataset('customers');
    const cid = cds.cols[entity];
    if (cid && cid.kind === 'cat') {
      custRows = rowList(cds, ctx.rows('customers'));
      if (!activeOnly)
        for (let k = 0; k < custRows.length; k++) {
          const c = cid.codes[custRows[k]!]!;
          if (c >= 0) add(cid.dict[c]!);
        }
      if (T === NULL_INDEX) {
        const od = cds.cols['open_date'];
        if (od && od.kind === 'date')
          for (let k = 0; k < custRows.length; k++) if (od.day[custRows[k]!]! > T) T = od.day[custRows[k]!]!;
      }
    }
  }
  let noActivity = 0;
  if (activeOnly && custRows && ctx.has('customers')) {
    const cid = ctx.dataset('customers').cols[entity];
    if (cid && cid.kind === 'cat') {
      const seen = new Set<string>();
      for (let k = 0; k < custRows.length; k++) {
        const c = cid.codes[custRows[k]!]!;
        if (c >= 0 && !byId.has(cid.dict[c]!) && !seen.has(cid.dict[c]!)) {
          seen.add(cid.dict[c]!);
          noActivity++;
        }
      }
    }
  }
  // Id order.
  const order = ids.map((_, k) => k).sort((a, b) => cmpStr(ids[a]!, ids[b]!));
  const n = ids.length;
  const values: Record<string, Float64Array> = {};
  const col = (f: string, get: (k: number) => number): void => {
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) out[j] = get(order[j]!);
    values[f] = out;
  };
  for (const f of features) {
    switch (f) {
      case 'recency':
        col(f, (k) => (k < active ? T - last[k]! : NaN));
        break;
      case 'frequency':
        col(f, (k) => (k < active ? freq[k]! : 0));
        break;
      case 'monetary':
        col(f, (k) => (k < active ? mon[k]! : 0));
        break;
      case 'net_flow':
        col(f, (k) => (k < active ? net[k]! : 0));
        break;
      case 'flow_trend':
        col(f, (k) => (k < active ? recent[k]! / freq[k]! : NaN));
        break;
      default:
        break;
    }
  }
  const sorted = order.map((k) => ids[k]!);
  const attr = customerAttributes(
    ctx,
    sorted,
    T,
    features.filter((f) => !values[f]),
    entity,
  );
  Object.assign(values, attr);
  return {
    ids: sorted,
    T,
    asOf: T === NULL_INDEX ? null : dayLabel(T),
    windowDays,
    values,
    rows,
    used,
    noActivity,
  };
}

/** Row of each id in a dataset's key column (−1 when absent), honouring the context filters. */
export function rowsById(
  ctx: MetricContext,
  dataset: string,
  key: string,
  ids: readonly string[],
): Int32Array {
  const out = new Int32Array(ids.length).fill(-1);
  if (!ctx.has(dataset)) return out;
  const ds = ctx.dataset(dataset);
  const c = ds.cols[key];
  if (!c || c.kind !== 'cat') return out;
  const pos = new Map<string, number>();
  ids.forEach((id, j) => pos.set(id, j));
  const list = rowList(ds, ctx.rows(dataset));
  for (let k = 0; k < list.length; k++) {
    const code = c.codes[list[k]!]!;
    if (code < 0) continue;
    const j = pos.get(c.dict[code]!);
    if (j !== undefined && out[j] === -1) out[j] = list[k]!;
  }
  return out;
}

/** Numeric customer/loan attributes aligned with `ids` (NaN when unknown). */
function customerAttributes(
  ctx: MetricContext,
  ids: readonly string[],
  T: number,
  features: readonly string[],
  entity: string,
): Record<string, Float64Array> {
  const n = ids.length;
  const out: Record<string, Float64Array> = {};
  if (!features.length) return out;
  const crow = rowsById(ctx, 'customers', entity, ids);
  const cds = ctx.has('customers') ? ctx.dataset('customers') : null;
  const num = (field: string): ((r: number) => number) => {
    const c = cds?.cols[field];
    if (!c || c.kind !== 'num') throw badParam('features', `Feature needs customers.${field}`, field);
    return (r) => c.data[r]!;
  };
  const need = (f: string): Float64Array => (out[f] = new Float64Array(n).fill(NaN));
  for (const f of features) {
    if (f === 'aum' || f === 'products') {
      const get = num(f);
      const o = need(f);
      for (let j = 0; j < n; j++) if (crow[j]! >= 0) o[j] = get(crow[j]!);
    } else if (f === 'age') {
      const get = num('birth_year');
      const o = need(f);
      const year = new Date(T * 86400000).getUTCFullYear();
      for (let j = 0; j < n; j++) if (crow[j]! >= 0) o[j] = year - get(crow[j]!);
    } else if (f === 'tenure') {
      const c = cds?.cols['open_date'];
      if (!c || c.kind !== 'date')
        throw badParam('features', 'Feature "tenure" needs customers.open_date', f);
      const o = need(f);
      for (let j = 0; j < n; j++) {
        const r = crow[j]!;
        if (r >= 0 && c.day[r] !== NULL_INDEX) o[j] = Math.max(0, T - c.day[r]!);
      }
    }
  }
  const loanF = features.filter((f) => f === 'loans' || f === 'principal' || f === 'overdue');
  if (loanF.length) {
    if (!ctx.has('loans'))
      throw badParam('features', `Features ${loanF.join(', ')} need the loans dataset`, loanF);
    const lds = ctx.dataset('loans');
    const lc = catCol(ctx, 'loans', entity, 'entity');
    const issue = dateCol(ctx, 'loans', 'issue_date').day;
    const prin = numericValues(ctx.col('loans', 'principal'), 'principal', 'principal');
    const pos = new Map<string, number>();
    ids.forEach((id, j) => pos.set(id, j));
    const count = new Float64Array(n);
    const sum = new Float64Array(n);
    const loanOwner = new Map<string, number>();
    const lid = lds.cols['loan_id'];
    const list = rowList(lds, ctx.rows('loans'));
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const e = lc.codes[i]!;
      if (e < 0 || issue[i]! > T) continue;
      const j = pos.get(lc.dict[e]!);
      if (j === undefined) continue;
      count[j]!++;
      if (prin[i] === prin[i]) sum[j]! += prin[i]!;
      if (lid && lid.kind === 'cat' && lid.codes[i]! >= 0) loanOwner.set(lid.dict[lid.codes[i]!]!, j);
    }
    if (features.includes('loans')) out.loans = count;
    if (features.includes('principal')) out.principal = sum;
    if (features.includes('overdue')) {
      const o = new Float64Array(n);
      if (ctx.has('loan_months')) {
        const mds = ctx.dataset('loan_months');
        const ml = catCol(ctx, 'loan_months', 'loan_id', 'loan_id');
        const dpd = numericValues(ctx.col('loan_months', 'dpd'), 'dpd', 'dpd');
        const snap = dateCol(ctx, 'loan_months', 'snapshot_date').day;
        const seen = new Set<string>();
        const mlist = rowList(mds, ctx.rows('loan_months'));
        for (let k = 0; k < mlist.length; k++) {
          const i = mlist[k]!;
          if (!(dpd[i]! > 30) || snap[i]! > T || ml.codes[i]! < 0) continue;
          const id = ml.dict[ml.codes[i]!]!;
          if (seen.has(id)) continue;
          seen.add(id);
          const j = loanOwner.get(id);
          if (j !== undefined) o[j]!++;
        }
      }
      out.overdue = o;
    }
  }
  return out;
}

/** Sample skewness (population moments); 0 for a constant column. */
export function skewness(v: ArrayLike<number>): number {
  const n = v.length;
  if (n < 3) return 0;
  let m = 0;
  for (let i = 0; i < n; i++) m += v[i]!;
  m /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = v[i]! - m;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;
}

/** Seeded uniform [0, 1) generator (mulberry32): reproducible samples inside metrics. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** `m` of 0..n−1 chosen by a seeded partial shuffle, returned in increasing order. */
export function seededSample(n: number, m: number, seed: number): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const rnd = seededRandom(seed);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rnd() * (n - i));
    const tmp = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = tmp;
  }
  return idx.slice(0, m).sort();
}

/** Mask the middle of an id for listings: keep the first 2 and last 3 characters. */
export function maskId(id: string): string {
  if (id.length <= 5) return id.slice(0, 1) + '*'.repeat(Math.max(0, id.length - 1));
  return id.slice(0, 2) + '*'.repeat(id.length - 5) + id.slice(-3);
}
