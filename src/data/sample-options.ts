/** Sample options resolved and checked, and the calendar of the history window they span. */
import { parseMonth } from './dataset.js';
import type { Labels } from './sample-random.js';
import { monthLength, monthStart } from './sample-random.js';

export interface SampleOptions {
  /** PRNG seed (default 20240601). */
  seed?: number;
  /** Number of customers (default 2000). */
  customers?: number;
  /** Months of loan history, the end month included (default 30; ≥ 1). */
  months?: number;
  /** Last snapshot month `YYYY-MM` (default `2026-10`). */
  end?: string;
  /** Mean number of loans per customer (Poisson; default 1.6). */
  loansPerCustomer?: number;
  /** Multiplies the number of collection actions per case-month (default 1; 0 = no actions). */
  actionsScale?: number;
  /** Mean transactions per active customer and month (default 6). */
  transactionsPerCustomerMonth?: number;
  /** Months of transactions, ending at `end` (default min(months, 12)). */
  transactionMonths?: number;
  /** Users entering the acquisition funnel (default 5 × customers). */
  funnelUsers?: number;
  /** Months of funnel events and campaign spend, ending at `end` (default min(months, 6)). */
  funnelMonths?: number;
}

export const SAMPLE_DEFAULTS = {
  seed: 20240601,
  customers: 2000,
  months: 30,
  end: '2026-10',
  loansPerCustomer: 1.6,
  actionsScale: 1,
  transactionsPerCustomerMonth: 6,
} as const;

export interface Resolved {
  seed: number;
  customers: number;
  months: number;
  endMi: number;
  loansPerCustomer: number;
  actionsScale: number;
  tpcm: number;
  txnMonths: number;
  funnelUsers: number;
  funnelMonths: number;
}

export function resolve(opts: SampleOptions): Resolved {
  const seed = opts.seed ?? SAMPLE_DEFAULTS.seed;
  const customers = Math.floor(opts.customers ?? SAMPLE_DEFAULTS.customers);
  const months = Math.floor(opts.months ?? SAMPLE_DEFAULTS.months);
  const end = opts.end ?? SAMPLE_DEFAULTS.end;
  const endMi = parseMonth(end);
  if (!Number.isFinite(seed)) throw new RangeError('generateSample: seed must be a finite number');
  if (!(customers >= 1)) throw new RangeError('generateSample: customers must be ≥ 1');
  if (!(months >= 1)) throw new RangeError('generateSample: months must be ≥ 1');
  if (
    !/^\d{4}-\d{2}$/.test(end) ||
    !Number.isFinite(endMi) ||
    Number(end.slice(5)) < 1 ||
    Number(end.slice(5)) > 12
  ) {
    throw new RangeError(`generateSample: end must be 'YYYY-MM', got '${end}'`);
  }
  const nonNeg = (v: number | undefined, d: number, name: string): number => {
    const x = v ?? d;
    if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`generateSample: ${name} must be ≥ 0`);
    return x;
  };
  return {
    seed,
    customers,
    months,
    endMi,
    loansPerCustomer: nonNeg(opts.loansPerCustomer, SAMPLE_DEFAULTS.loansPerCustomer, 'loansPerCustomer'),
    actionsScale: nonNeg(opts.actionsScale, SAMPLE_DEFAULTS.actionsScale, 'actionsScale'),
    tpcm: nonNeg(
      opts.transactionsPerCustomerMonth,
      SAMPLE_DEFAULTS.transactionsPerCustomerMonth,
      'transactionsPerCustomerMonth',
    ),
    txnMonths: Math.max(1, Math.min(months, Math.floor(opts.transactionMonths ?? 12))),
    funnelUsers: Math.floor(nonNeg(opts.funnelUsers, customers * 5, 'funnelUsers')),
    funnelMonths: Math.max(1, Math.min(months, Math.floor(opts.funnelMonths ?? 6))),
  };
}

/** Calendar of the history window: month offset j = 0 … months−1. */
export interface Calendar {
  startMi: number;
  endMi: number;
  months: number;
  start: Int32Array;
  len: Int32Array;
  calMonth: Int32Array;
  endLabel: string[];
}

export function calendar(r: Resolved, labels: Labels): Calendar {
  const startMi = r.endMi - r.months + 1;
  const start = new Int32Array(r.months);
  const len = new Int32Array(r.months);
  const calMonth = new Int32Array(r.months);
  const endLabel: string[] = [];
  for (let j = 0; j < r.months; j++) {
    const mi = startMi + j;
    start[j] = monthStart(mi);
    len[j] = monthLength(mi);
    calMonth[j] = (((mi % 12) + 12) % 12) + 1;
    endLabel.push(labels.day(start[j]! + len[j]! - 1));
  }
  return { startMi, endMi: r.endMi, months: r.months, start, len, calMonth, endLabel };
}
