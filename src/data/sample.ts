/**
 * Seeded sample-data generator: the embedded default dataset of the demo, the stories, the tests
 * and the benchmarks. One call produces the seven canonical datasets of METRICS.md, linked by id,
 * as columnar plain arrays (canonical column names, values typed as ingestion expects: identifiers
 * and PII as strings, amounts as numbers rounded to cents, booleans, `YYYY-MM-DD` dates and
 * `YYYY-MM-DD HH:mm:ss` wall-clock date-times in Asia/Shanghai).
 *
 * Deterministic: the same options give the same data byte for byte (own PRNG, calendar arithmetic
 * on day numbers; neither `Math.random`, the clock nor the process time zone is read). Each dataset
 * draws from its own stream of the seed, so e.g. changing `transactionsPerCustomerMonth` leaves
 * customers, loans and loan_months unchanged.
 *
 * The story the data tells (so every metric shows something):
 * - loan issuance grows ~2.5 % a month with seasonality (Spring Festival dip in February, 618 in
 *   June, Double 11 and year-end pushes); one loosened-policy vintage window (issue months
 *   `months−16 … months−14`) is ~60 % riskier, the months after it ~10 % safer;
 * - delinquency is a bucket-transition Markov chain per loan: M0→M1 2–4 % a month (product,
 *   channel, segment, customer, vintage and MOB dependent; +30–40 % in February/March after the
 *   Spring Festival), roll M1→M2 ~35 %, M2→M3 ~55 %, M3→M4 ~70 %, later ~80 %; cures 48 % from M1
 *   falling with the bucket; write-off from M7+ (dpd ≥ 181) at 35 % a month, forced at 12 months;
 *   prepayment hazards per product; discounted settlements from M3+;
 * - each delinquency episode is a collection case; the case is worked by a collector of the bucket
 *   team (M1组 / M2组 / M3+组, reassigned when it rolls); collectors differ in skill, which moves
 *   contact, PTP, PTP-kept and cure rates; every payment of a delinquent loan-month is attributed
 *   to one of that month's actions (through a kept PTP or without a promise);
 * - transactions (the last `transactionMonths` months, default ≤ 12) are salaries, bonuses, loan
 *   repayments (the sums paid in loan_months), transfers, consumption, bills, wealth products, cash
 *   and rare cross-border remittances; a few rule-tripping large transactions and structuring
 *   patterns are planted;
 * - customers carry mining attributes (city tier, products held, a risk grade that is a noisy proxy
 *   of the latent risk) and churn is driven by the same latent risk as delinquency
 *   (sample-profile.ts); models trained on the sample have real signal;
 * - the acquisition funnel (the last `funnelMonths` months, default ≤ 6) runs per channel and
 *   campaign, with spend per campaign × channel × day proportional to the traffic it buys, and a
 *   few skipped and out-of-order events so strict and loose funnels differ.
 *
 * Where things are: this module orchestrates; options and the window calendar are in
 * sample-options.ts, the category values in sample-dimensions.ts, one generator per dataset in
 * sample-customers.ts, sample-loans.ts, sample-loan-months.ts (loan_months and collection_actions,
 * one simulation), sample-transactions.ts and sample-funnel.ts (funnel_events and campaign_spend),
 * mining attributes in sample-profile.ts, names and banks in sample-names.ts, the PRNG and calendar
 * arithmetic in sample-random.ts. Generators run in the order of `generateSample`; each draws from
 * its own named stream, so moving code between these modules does not change the data.
 *
 * Conventions worth knowing:
 * - every loan is issued inside the window (no back book), so the first months hold few, young
 *   loans and no late buckets; trends look settled over the last 12–18 months;
 * - loan_months: MOB 0 (issue month) has outstanding = principal and due 0; `due_amount` is what is
 *   owed that month (the instalment plus arrears; payoff amount on prepayment), so
 *   `paid_amount ≤ due_amount`; a `closed` row has dpd 0, a `written_off` row keeps the dpd it was
 *   written off at (≥ 181); both have outstanding 0 and are the loan's last row; penalty interest
 *   is not modelled;
 * - organic transaction amounts are capped below the reporting thresholds, so alerts come from
 *   the planted cases plus the odd large loan prepayment (a company-counterparty `贷款还款`).
 */
import type { DatasetName } from './dataset.js';
import { Labels } from './sample-random.js';
import { genProfile } from './sample-profile.js';
import type { SampleOptions } from './sample-options.js';
import { calendar, resolve, SAMPLE_DEFAULTS } from './sample-options.js';
import { genCustomers } from './sample-customers.js';
import { genLoans } from './sample-loans.js';
import { genPerformance } from './sample-loan-months.js';
import { genTransactions } from './sample-transactions.js';
import { genFunnel } from './sample-funnel.js';

export type { SampleOptions } from './sample-options.js';
export { SAMPLE_DEFAULTS } from './sample-options.js';
export type { SampleDimensions } from './sample-dimensions.js';
export { SAMPLE_DIMENSIONS } from './sample-dimensions.js';

/** The seven canonical datasets as columns: canonical column name → plain array of values. */
export type SampleData = Record<DatasetName, Record<string, unknown[]>>;

/** Generate the seven canonical datasets (columnar) for the given options. */
export function generateSample(opts: SampleOptions = {}): SampleData {
  const r = resolve(opts);
  const labels = new Labels();
  const cal = calendar(r, labels);
  const cu = genCustomers(r, cal, labels);
  const lo = genLoans(r, cal, cu, labels);
  // Mining attributes (city tier, products, risk grade) and churn driven by the latent risk, from
  // the `profile` stream (sample-profile.ts).
  const prof = genProfile({
    seed: r.seed,
    city: cu.columns.city as string[],
    seg: cu.seg,
    aum: cu.aum,
    risk: cu.risk,
    hasAccount2: cu.account2.map((a) => a !== null),
    loanCustomer: lo.cust,
    loanProduct: lo.prod,
    months: cal.months,
    txnMonths: r.txnMonths,
  });
  cu.churnJ.set(prof.churnJ);
  Object.assign(cu.columns, prof.columns);
  const perf = genPerformance(r, cal, cu, lo, labels);
  const transactions = genTransactions(r, cal, cu, perf, labels);
  const funnel = genFunnel(r, cal, labels);
  return {
    customers: cu.columns,
    loans: lo.columns,
    loan_months: perf.loanMonths,
    collection_actions: perf.actions,
    transactions,
    funnel_events: funnel.events,
    campaign_spend: funnel.spend,
  };
}

/** Mean loan_months rows per customer at the default options (measured over several seeds). */
const LOAN_MONTHS_PER_CUSTOMER = 12.9;

/**
 * Options whose loan_months has about `rows` rows (±15 %): the customer count at the default
 * history. Above 100k loan-month rows, transactions and funnel users are scaled down so the other
 * datasets stay proportionate (about as many transactions as loan-month rows, ≤ 100k funnel users).
 */
export function sampleOptionsForLoanMonths(rows: number, seed: number = SAMPLE_DEFAULTS.seed): SampleOptions {
  if (!(rows > 0)) throw new RangeError('sampleOptionsForLoanMonths: rows must be > 0');
  const customers = Math.max(1, Math.round(rows / LOAN_MONTHS_PER_CUSTOMER));
  const opts: SampleOptions = { seed, customers };
  if (rows > 100000) {
    opts.transactionsPerCustomerMonth =
      Math.round(Math.max(0.5, (SAMPLE_DEFAULTS.transactionsPerCustomerMonth * 100000) / rows) * 100) / 100;
    opts.funnelUsers = Math.min(customers * 5, 100000);
  }
  return opts;
}

/** Rows of one dataset as objects (for small samples and tests). */
export function sampleToRows(data: SampleData, name: DatasetName): Record<string, unknown>[] {
  const cols = data[name];
  const keys = Object.keys(cols);
  const n = keys.length > 0 ? cols[keys[0]!]!.length : 0;
  const out: Record<string, unknown>[] = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (const k of keys) row[k] = cols[k]![i];
    out[i] = row;
  }
  return out;
}
