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
import { parseMonth } from './dataset.js';
import {
  CITIES,
  DOMESTIC_BANKS,
  DOMESTIC_BANK_WEIGHTS,
  FOREIGN_BANKS,
  GIVEN_FEMALE,
  GIVEN_MALE,
  MOBILE_PREFIXES,
  PLATFORMS,
  PLATFORM_WEIGHTS,
  REGIONS,
  SURNAMES,
  idCheckDigit,
  luhnDigit,
} from './sample-names.js';
import {
  Labels,
  Rng,
  cents,
  civilFromDays,
  cumulative,
  daysFromCivil,
  isoWeekday,
  monthLength,
  monthStart,
  pad,
  pickIndex,
} from './sample-random.js';
import { genProfile } from './sample-profile.js';

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

/** The seven canonical datasets as columns: canonical column name → plain array of values. */
export type SampleData = Record<DatasetName, Record<string, unknown[]>>;

export const SAMPLE_DEFAULTS = {
  seed: 20240601,
  customers: 2000,
  months: 30,
  end: '2026-10',
  loansPerCustomer: 1.6,
  actionsScale: 1,
  transactionsPerCustomerMonth: 6,
} as const;

// --- dimensions -----------------------------------------------------------------------------------

const PRODUCTS = ['消费贷', '经营贷', '信用卡分期', '房贷'] as const;
const LOAN_CHANNELS = ['线上APP', '网点', '合作渠道', '电销'] as const;
const SEGMENTS = ['大众客户', '贵宾客户', '私行客户'] as const;
const GENDERS = ['男', '女'] as const;
const STATUSES = ['active', 'closed', 'written_off'] as const;
const TEAMS = ['M1组', 'M2组', 'M3+组'] as const;
const TEAM_SIZES = [14, 10, 8];
const ACTION_CHANNELS = ['phone', 'sms', 'ivr', 'visit', 'legal'] as const;
const TXN_CATEGORIES = [
  '工资',
  '奖金',
  '转账转入',
  '转账转出',
  '消费',
  '缴费',
  '理财购买',
  '理财赎回',
  '贷款还款',
  '取现',
  '存现',
  '跨境汇款',
  '跨境汇入',
] as const;
const TXN_CHANNELS = ['手机银行', '网银', '柜面', 'ATM', '第三方支付'] as const;
const COUNTERPARTY_TYPES = ['individual', 'company', 'platform'] as const;
const FUNNEL_STAGES = ['曝光', '点击', '注册', '申请', '审批通过', '放款'] as const;
const FUNNEL_CHANNELS = ['抖音', '微信朋友圈', '百度搜索', '应用商店', '线下地推', '老客推荐'] as const;

interface Campaign {
  name: string;
  /** [startMonth, startDay, endMonth, endDay] every year, or null for always on. */
  window: [number, number, number, number] | null;
  channels: number[];
  /** Traffic multiplier while running (seasonal campaigns add `boost − 1` on top of the base). */
  boost: number;
}

const CAMPAIGNS: readonly Campaign[] = [
  { name: '品牌常投', window: null, channels: [0, 1, 2, 3, 4], boost: 1 },
  { name: '老带新', window: null, channels: [5], boost: 1 },
  { name: '开门红', window: [1, 2, 2, 28], channels: [0, 1, 4], boost: 1.6 },
  { name: '618消费季', window: [5, 25, 6, 18], channels: [0, 1, 2, 3], boost: 1.8 },
  { name: '暑期焕新', window: [7, 1, 8, 31], channels: [0, 3], boost: 1.3 },
  { name: '国庆金秋', window: [9, 20, 10, 7], channels: [0, 1, 4], boost: 1.6 },
  { name: '双十一', window: [10, 20, 11, 11], channels: [0, 1, 2, 3], boost: 2.0 },
  { name: '年终冲刺', window: [12, 1, 12, 31], channels: [1, 2, 4], boost: 1.4 },
];

/** Category values the generator uses (for filter bars, stories and tests); lists are in display order. */
export interface SampleDimensions {
  products: string[];
  /** Loan origination channels. */
  loanChannels: string[];
  regions: string[];
  cities: string[];
  /** City → region. */
  cityRegion: Record<string, string>;
  segments: string[];
  genders: string[];
  loanStatuses: string[];
  /** Collection teams by bucket. */
  teams: string[];
  collectors: string[];
  actionChannels: string[];
  txnCategories: string[];
  txnChannels: string[];
  counterpartyTypes: string[];
  counterpartyBanks: string[];
  /** Funnel stages in order. */
  funnelStages: string[];
  /** Acquisition (funnel and spend) channels. */
  funnelChannels: string[];
  campaigns: string[];
}

export const SAMPLE_DIMENSIONS: SampleDimensions = {
  products: [...PRODUCTS],
  loanChannels: [...LOAN_CHANNELS],
  regions: [...REGIONS],
  cities: CITIES.map((c) => c.name),
  cityRegion: Object.fromEntries(CITIES.map((c) => [c.name, c.region])),
  segments: [...SEGMENTS],
  genders: [...GENDERS],
  loanStatuses: [...STATUSES],
  teams: [...TEAMS],
  collectors: TEAM_SIZES.flatMap((_, t) => collectorIds(t)),
  actionChannels: [...ACTION_CHANNELS],
  txnCategories: [...TXN_CATEGORIES],
  txnChannels: [...TXN_CHANNELS],
  counterpartyTypes: [...COUNTERPARTY_TYPES],
  counterpartyBanks: [...DOMESTIC_BANKS, ...PLATFORMS, ...FOREIGN_BANKS],
  funnelStages: [...FUNNEL_STAGES],
  funnelChannels: [...FUNNEL_CHANNELS],
  campaigns: CAMPAIGNS.map((c) => c.name),
};

function collectorIds(team: number): string[] {
  let first = 1;
  for (let t = 0; t < team; t++) first += TEAM_SIZES[t]!;
  return Array.from({ length: TEAM_SIZES[team]! }, (_, i) => `C${pad(first + i, 3)}`);
}

// --- parameters -----------------------------------------------------------------------------------

const SEG_WEIGHTS = [85, 13, 2];
const SEG_RISK = [1.1, 0.6, 0.35];
const SEG_PRINCIPAL = [1, 1.6, 3];
const SEG_AMOUNT = [1, 2.5, 6];
/** Cash and cross-border amounts grow less with wealth. */
const SEG_CASH = [1, 1.5, 2.5];

interface ProductSpec {
  segWeights: [number, number, number];
  median: number;
  sigma: number;
  min: number;
  max: number;
  unit: number;
  terms: number[];
  termWeights: number[];
  rateLo: number;
  rateHi: number;
  /** Base monthly M0→M1 probability. */
  p01: number;
  /** Monthly prepayment hazard when current. */
  prepay: number;
  /** Multiplier of cure and partial-cure probabilities. */
  cure: number;
  channelWeights: number[];
}

const PRODUCT_SPECS: readonly ProductSpec[] = [
  {
    segWeights: [48, 35, 20],
    median: 40000,
    sigma: 0.7,
    min: 5000,
    max: 300000,
    unit: 1000,
    terms: [6, 12, 24, 36],
    termWeights: [10, 40, 30, 20],
    rateLo: 0.055,
    rateHi: 0.18,
    p01: 0.03,
    prepay: 0.025,
    cure: 1,
    channelWeights: [55, 15, 20, 10],
  },
  {
    segWeights: [14, 30, 45],
    median: 300000,
    sigma: 0.8,
    min: 50000,
    max: 3000000,
    unit: 10000,
    terms: [12, 24, 36],
    termWeights: [40, 35, 25],
    rateLo: 0.036,
    rateHi: 0.075,
    p01: 0.022,
    prepay: 0.02,
    cure: 1,
    channelWeights: [25, 50, 15, 10],
  },
  {
    segWeights: [32, 25, 15],
    median: 15000,
    sigma: 0.7,
    min: 2000,
    max: 100000,
    unit: 100,
    terms: [3, 6, 12, 24],
    termWeights: [15, 30, 40, 15],
    rateLo: 0.09,
    rateHi: 0.17,
    p01: 0.035,
    prepay: 0.012,
    cure: 0.95,
    channelWeights: [70, 10, 10, 10],
  },
  {
    segWeights: [6, 10, 20],
    median: 900000,
    sigma: 0.5,
    min: 300000,
    max: 6000000,
    unit: 10000,
    terms: [240, 300, 360],
    termWeights: [30, 30, 40],
    rateLo: 0.031,
    rateHi: 0.042,
    p01: 0.006,
    prepay: 0.004,
    cure: 1.5,
    channelWeights: [0, 60, 40, 0],
  },
];

const CHANNEL_RISK = [1.0, 0.75, 1.45, 1.25];
/** Issue volume by calendar month (1-based index; Spring Festival dip, 618, Double 11, year end). */
const ISSUE_SEASON = [0, 0.95, 0.72, 1.05, 1.0, 1.0, 1.12, 0.98, 0.98, 1.05, 0.92, 1.15, 1.18];
/** M0→M1 multiplier by calendar month: worse after the Spring Festival. */
const P01_SEASON = [0, 1, 1.3, 1.4, 1, 1, 1, 1, 1, 1, 1, 1, 1.1];
/** Cure probability (pay all arrears) by months delinquent at the previous month-end (index ≥ 7: M7+). */
const CURE = [0, 0.48, 0.28, 0.15, 0.09, 0.06, 0.04, 0.025];
/** Partial cure (pay one instalment: stay in the bucket). */
const STAY = [0, 0.17, 0.18, 0.15, 0.12, 0.1, 0.08, 0.05];

// Collection: channel mix by team [phone, sms, ivr, visit, legal].
const TEAM_CHANNEL_MIX = [
  [45, 33, 22, 0, 0],
  [60, 20, 12, 8, 0],
  [58, 10, 6, 18, 8],
];
const TEAM_ACTIONS = [3.5, 5, 6];
/** Share of a delinquent month's payments that follow a promise to pay, by team (M1 self-cures often). */
const PTP_PAID = [0.6, 0.7, 0.8];
/** Chance that a contact without payment ends in a (broken) promise, by team. */
const PTP_BROKEN = [0.09, 0.055, 0.028];
const CHANNEL_COST: ReadonlyArray<readonly [number, number]> = [
  [1.5, 2.5], // phone, not contacted (contacted: 3–5)
  [0.05, 0.05],
  [0.3, 0.3],
  [80, 200],
  [500, 3000],
];

function hours(spec: Record<number, number>): Float64Array {
  const w: number[] = [];
  for (let h = 0; h < 24; h++) w.push(spec[h] ?? 0);
  return cumulative(w);
}

const ACTION_HOURS = [
  hours({
    8: 2,
    9: 8,
    10: 11,
    11: 10,
    12: 5,
    13: 6,
    14: 10,
    15: 10,
    16: 9,
    17: 8,
    18: 7,
    19: 8,
    20: 5,
    21: 1,
  }),
  hours({ 8: 10, 9: 25, 10: 15, 11: 5, 14: 6, 15: 4, 16: 3, 17: 2, 18: 2, 19: 1 }),
  hours({ 9: 8, 10: 10, 11: 8, 12: 2, 14: 8, 15: 8, 16: 7, 17: 5, 18: 3, 19: 3 }),
  hours({ 9: 5, 10: 10, 11: 8, 12: 2, 13: 4, 14: 10, 15: 10, 16: 8, 17: 4, 18: 1 }),
  hours({ 9: 6, 10: 10, 11: 8, 14: 8, 15: 8, 16: 6, 17: 2 }),
];
/** Right-party contact probability of a phone call by hour (evenings best, lunch worst). */
// prettier-ignore
const PHONE_CONTACT = [
  0, 0, 0, 0, 0, 0, 0, 0, 0.25, 0.3, 0.34, 0.35, 0.25, 0.27, 0.33, 0.34, 0.33, 0.36, 0.42, 0.47, 0.45, 0.38, 0.3, 0.3,
];
const TEAM_CONTACT = [1.15, 1.0, 0.75];

// prettier-ignore
const H_CONSUMER = hours({
  0: 1, 1: 0.5, 2: 0.3, 3: 0.2, 4: 0.2, 5: 0.3, 6: 1, 7: 3, 8: 5, 9: 5, 10: 6, 11: 8, 12: 10, 13: 7, 14: 5, 15: 5,
  16: 5, 17: 6, 18: 9, 19: 10, 20: 10, 21: 9, 22: 6, 23: 3,
});
const H_OFFICE = hours({ 9: 8, 10: 10, 11: 9, 12: 4, 13: 5, 14: 9, 15: 9, 16: 8, 17: 4 });
// prettier-ignore
const H_TRANSFER = hours({
  0: 0.5, 7: 2, 8: 4, 9: 7, 10: 8, 11: 8, 12: 6, 13: 6, 14: 7, 15: 7, 16: 7, 17: 6, 18: 6, 19: 6, 20: 6, 21: 5,
  22: 3, 23: 1,
});
// prettier-ignore
const H_ATM = hours({
  0: 0.3, 6: 1, 7: 3, 8: 5, 9: 6, 10: 7, 11: 7, 12: 7, 13: 6, 14: 6, 15: 6, 16: 6, 17: 7, 18: 8, 19: 7, 20: 6,
  21: 4, 22: 2, 23: 1,
});
const H_SALARY = hours({ 9: 5, 10: 3, 11: 1 });
const H_AUTODEBIT = hours({ 5: 3, 6: 5, 7: 2 });
// prettier-ignore
const H_MEDIA = hours({
  0: 2, 1: 1, 2: 0.5, 3: 0.3, 4: 0.3, 5: 0.5, 6: 1, 7: 3, 8: 4, 9: 4, 10: 4, 11: 5, 12: 7, 13: 6, 14: 4, 15: 4,
  16: 4, 17: 5, 18: 6, 19: 7, 20: 9, 21: 10, 22: 8, 23: 5,
});
// prettier-ignore
const H_SEARCH = hours({
  7: 2, 8: 4, 9: 7, 10: 8, 11: 8, 12: 6, 13: 6, 14: 7, 15: 7, 16: 7, 17: 6, 18: 5, 19: 6, 20: 7, 21: 7, 22: 5,
  23: 2, 0: 1,
});
const H_STREET = hours({ 10: 6, 11: 8, 12: 6, 13: 6, 14: 8, 15: 9, 16: 9, 17: 8, 18: 6, 19: 4, 20: 2 });

interface TxnCategorySpec {
  dir: 'in' | 'out';
  /** Counterparty type weights [individual, company, platform]. */
  cp: [number, number, number];
  /** Channel weights over TXN_CHANNELS. */
  chan: [number, number, number, number, number];
  median: number;
  sigma: number;
  hours: Float64Array;
  cash: boolean;
  cross: boolean;
  unit: number;
  /** Counterparty bank is the bank itself. */
  own: boolean;
  /** Cap of organic amounts (kept below the large-transaction thresholds; planted cases exceed them). */
  max: number;
  /** Segment amount multipliers. */
  seg: readonly number[];
}

// prettier-ignore
const TXN_SPECS: readonly TxnCategorySpec[] = [
  // 工资, 奖金: generated specially (in, company, 网银)
  { dir: 'in', cp: [0, 1, 0], chan: [0, 1, 0, 0, 0], median: 8000, sigma: 0.45, hours: H_SALARY, cash: false, cross: false, unit: 0, own: false, max: Infinity, seg: SEG_AMOUNT },
  { dir: 'in', cp: [0, 1, 0], chan: [0, 1, 0, 0, 0], median: 20000, sigma: 0.6, hours: H_SALARY, cash: false, cross: false, unit: 0, own: false, max: Infinity, seg: SEG_AMOUNT },
  { dir: 'in', cp: [1, 0, 0], chan: [70, 12, 8, 0, 10], median: 1500, sigma: 1.2, hours: H_TRANSFER, cash: false, cross: false, unit: 0, own: false, max: 300000, seg: SEG_AMOUNT },
  { dir: 'out', cp: [1, 0, 0], chan: [72, 12, 8, 0, 8], median: 1800, sigma: 1.2, hours: H_TRANSFER, cash: false, cross: false, unit: 0, own: false, max: 300000, seg: SEG_AMOUNT },
  { dir: 'out', cp: [0, 25, 75], chan: [1, 0, 0, 0, 0], median: 160, sigma: 1.1, hours: H_CONSUMER, cash: false, cross: false, unit: 0, own: false, max: 50000, seg: SEG_AMOUNT },
  { dir: 'out', cp: [0, 1, 0], chan: [55, 10, 5, 0, 30], median: 180, sigma: 0.7, hours: H_TRANSFER, cash: false, cross: false, unit: 0, own: false, max: 20000, seg: SEG_AMOUNT },
  { dir: 'out', cp: [0, 1, 0], chan: [75, 15, 10, 0, 0], median: 30000, sigma: 0.9, hours: H_OFFICE, cash: false, cross: false, unit: 1000, own: true, max: 1500000, seg: SEG_AMOUNT },
  { dir: 'in', cp: [0, 1, 0], chan: [75, 15, 10, 0, 0], median: 32000, sigma: 0.9, hours: H_OFFICE, cash: false, cross: false, unit: 1000, own: true, max: 1500000, seg: SEG_AMOUNT },
  // 贷款还款: generated from loan_months payments
  { dir: 'out', cp: [0, 1, 0], chan: [1, 0, 0, 0, 0], median: 0, sigma: 0, hours: H_AUTODEBIT, cash: false, cross: false, unit: 0, own: true, max: Infinity, seg: SEG_AMOUNT },
  { dir: 'out', cp: [1, 0, 0], chan: [0, 0, 25, 75, 0], median: 1000, sigma: 0.8, hours: H_ATM, cash: true, cross: false, unit: 100, own: true, max: 30000, seg: SEG_CASH },
  { dir: 'in', cp: [1, 0, 0], chan: [0, 0, 55, 45, 0], median: 3000, sigma: 1.0, hours: H_ATM, cash: true, cross: false, unit: 100, own: true, max: 30000, seg: SEG_CASH },
  { dir: 'out', cp: [60, 40, 0], chan: [0, 40, 60, 0, 0], median: 30000, sigma: 0.9, hours: H_OFFICE, cash: false, cross: true, unit: 0, own: false, max: 150000, seg: SEG_CASH },
  { dir: 'in', cp: [70, 30, 0], chan: [0, 50, 50, 0, 0], median: 25000, sigma: 0.9, hours: H_OFFICE, cash: false, cross: true, unit: 0, own: false, max: 150000, seg: SEG_CASH },
];
/** Weights of the free-form categories (index ≥ 2, not 8) by segment. */
// prettier-ignore
const TXN_CAT_WEIGHTS: readonly number[][] = [
  [0, 0, 12, 13, 48, 8, 3, 2.5, 0, 7, 4, 0.05, 0.05],
  [0, 0, 12, 14, 40, 6, 8, 7, 0, 4, 3, 0.3, 0.2],
  [0, 0, 12, 15, 35, 5, 10, 9, 0, 3, 3, 0.8, 0.6],
];

const FUNNEL_CHANNEL_WEIGHTS = [0.28, 0.22, 0.16, 0.14, 0.08, 0.12];
/** Spend per user entering the funnel, CNY. */
const FUNNEL_COST_PER_USER = [18, 22, 30, 25, 45, 12];
/** Step conversions 曝光→点击, 点击→注册, 注册→申请, 申请→审批通过, 审批通过→放款 per channel. */
const FUNNEL_STEPS = [
  [0.22, 0.45, 0.55, 0.45, 0.85],
  [0.25, 0.5, 0.58, 0.48, 0.86],
  [0.38, 0.55, 0.62, 0.52, 0.88],
  [0.45, 0.62, 0.6, 0.5, 0.87],
  [0.55, 0.7, 0.68, 0.58, 0.9],
  [0.5, 0.68, 0.7, 0.62, 0.92],
];
/** Median seconds between consecutive stages, and log-sigma. */
const FUNNEL_DELAY: ReadonlyArray<readonly [number, number]> = [
  [40, 1.2],
  [300, 1.2],
  [6 * 3600, 1.6],
  [1800, 1.5],
  [4 * 3600, 1.0],
];
const FUNNEL_HOURS = [H_MEDIA, H_MEDIA, H_SEARCH, H_MEDIA, H_STREET, H_MEDIA];

// --- helpers --------------------------------------------------------------------------------------

interface Resolved {
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

function resolve(opts: SampleOptions): Resolved {
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
interface Calendar {
  startMi: number;
  endMi: number;
  months: number;
  start: Int32Array;
  len: Int32Array;
  calMonth: Int32Array;
  endLabel: string[];
}

function calendar(r: Resolved, labels: Labels): Calendar {
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

function pickHourSecond(rng: Rng, cum: Float64Array): number {
  return pickIndex(rng, cum) * 3600 + rng.int(3600);
}

function cumWeights(w: readonly number[]): Float64Array {
  return cumulative(w);
}

// --- customers ------------------------------------------------------------------------------------

interface Customers {
  n: number;
  id: string[];
  seg: Uint8Array;
  region: string[];
  risk: Float64Array;
  openDay: Int32Array;
  /** Month offset of the open date relative to the window start (may be negative). */
  openJ: Int32Array;
  aum: Float64Array;
  employed: Uint8Array;
  salary: Float64Array;
  payday: Uint8Array;
  activity: Float64Array;
  /** Month offset after which the customer stops transacting (months = never). */
  churnJ: Int32Array;
  dormant: Uint8Array;
  account: string[];
  account2: (string | null)[];
  columns: Record<string, unknown[]>;
}

function genCustomers(r: Resolved, cal: Calendar, labels: Labels): Customers {
  const rng = new Rng(r.seed, 'customers');
  const n = r.customers;
  const surCum = cumWeights(SURNAMES.map((s) => s[1]));
  const cityCum = cumWeights(CITIES.map((c) => c.weight));
  const segCum = cumWeights(SEG_WEIGHTS);
  const prefixes = MOBILE_PREFIXES;
  const windowStart = cal.start[0]!;
  const windowEnd = cal.start[cal.months - 1]! + cal.len[cal.months - 1]! - 1;
  const endYear = civilFromDays(windowEnd)[0];
  const earliestOpen = daysFromCivil(2005, 1, 1);
  const growth = cumWeights(Array.from({ length: cal.months }, (_, j) => Math.pow(1.025, j)));

  const id: string[] = [];
  const name: string[] = [];
  const phone: string[] = [];
  const idNumber: string[] = [];
  const gender: string[] = [];
  const birthYear: number[] = [];
  const city: string[] = [];
  const region: string[] = [];
  const segment: string[] = [];
  const openDate: string[] = [];
  const aumCol: number[] = [];
  const seg = new Uint8Array(n);
  const risk = new Float64Array(n);
  const openDay = new Int32Array(n);
  const openJ = new Int32Array(n);
  const aum = new Float64Array(n);
  const employed = new Uint8Array(n);
  const salary = new Float64Array(n);
  const payday = new Uint8Array(n);
  const activity = new Float64Array(n);
  const churnJ = new Int32Array(n);
  const dormant = new Uint8Array(n);
  const account: string[] = [];
  const account2: (string | null)[] = [];
  const phones = new Set<string>();
  const ids = new Set<string>();
  const accounts = new Set<string>();
  const paydays = [5, 10, 10, 10, 15, 15, 15, 20, 25];
  const digits = (k: number): string => {
    let s = '';
    for (let i = 0; i < k; i++) s += String.fromCharCode(48 + rng.int(10));
    return s;
  };
  const newAccount = (bin: string): string => {
    for (;;) {
      const body = bin + digits(12);
      const acct = body + luhnDigit(body);
      if (!accounts.has(acct)) {
        accounts.add(acct);
        return acct;
      }
    }
  };

  for (let i = 0; i < n; i++) {
    const cid = `CU${pad(i + 1, 8)}`;
    id.push(cid);
    const s = pickIndex(rng, segCum);
    seg[i] = s;
    segment.push(SEGMENTS[s]!);
    const male = rng.next() < 0.5;
    gender.push(male ? '男' : '女');
    // Age at the end of the window: ~N(38, 10) in [20, 70], private banking clients older.
    const age = Math.max(
      20,
      Math.min(70, Math.round(38 + (s === 2 ? 8 : s === 1 ? 4 : 0) + 10 * rng.normal())),
    );
    const by = endYear - age;
    birthYear.push(by);
    const birthDay = daysFromCivil(by, 1, 1) + rng.int(daysFromCivil(by + 1, 1, 1) - daysFromCivil(by, 1, 1));
    const ci = pickIndex(rng, cityCum);
    const c = CITIES[ci]!;
    city.push(c.name);
    region.push(c.region);
    // Name: surname + 1–2 given-name characters of the gender's pool.
    const pool = male ? GIVEN_MALE : GIVEN_FEMALE;
    let nm = SURNAMES[pickIndex(rng, surCum)]![0] + pool[rng.int(pool.length)]!;
    if (rng.next() < 0.7) nm += pool[rng.int(pool.length)]!;
    name.push(nm);
    let ph: string;
    do ph = prefixes[rng.int(prefixes.length)]! + digits(8);
    while (phones.has(ph));
    phones.add(ph);
    phone.push(ph);
    // Resident ID: birthplace code (mostly the city of residence), birth date, sequence with the
    // gender parity in its last digit, ISO 7064 MOD 11-2 check character.
    const home = rng.next() < 0.8 ? c : CITIES[pickIndex(rng, cityCum)]!;
    const [, bm, bd] = civilFromDays(birthDay);
    let idn: string;
    do {
      const seq = rng.int(100) * 10 + (male ? 1 + 2 * rng.int(5) : 2 * rng.int(5));
      const first17 = `${home.code}${by}${pad(bm, 2)}${pad(bd, 2)}${pad(seq, 3)}`;
      idn = first17 + idCheckDigit(first17);
    } while (ids.has(idn));
    ids.add(idn);
    idNumber.push(idn);
    // Open date: ~38 % opened within the window (growing), the rest since 2005, after age 18.
    const adult = daysFromCivil(by + 18, 1, 1) + (birthDay - daysFromCivil(by, 1, 1));
    const lo = Math.max(earliestOpen, adult);
    let od: number;
    if (rng.next() < 0.38 || lo >= windowStart) {
      const j = pickIndex(rng, growth);
      od = cal.start[j]! + rng.int(cal.len[j]!);
      if (od < adult) od = Math.min(windowEnd, adult);
    } else {
      // Skewed towards recent years.
      od = windowStart - 1 - Math.floor((windowStart - 1 - lo) * Math.pow(rng.next(), 1.6));
    }
    openDay[i] = od;
    const [oy, om] = civilFromDays(od);
    openJ[i] = oy * 12 + om - 1 - cal.startMi;
    openDate.push(labels.day(od));
    let a: number;
    if (s === 0) a = Math.min(499999, rng.lognormal(30000, 1.3));
    else if (s === 1) a = Math.min(5999999, 500000 + rng.lognormal(500000, 0.8));
    else a = 6000000 + rng.lognormal(5000000, 0.9);
    a = cents(a);
    aum[i] = a;
    aumCol.push(a);
    risk[i] = Math.exp(0.5 * rng.normal() - 0.125);
    employed[i] = rng.next() < [0.75, 0.65, 0.4][s]! ? 1 : 0;
    salary[i] = rng.lognormal([7000, 22000, 60000][s]!, 0.45);
    payday[i] = paydays[rng.int(paydays.length)]!;
    activity[i] = Math.exp(0.6 * rng.normal() - 0.18);
    churnJ[i] = rng.next() < 0.1 ? cal.months - 1 - rng.int(r.txnMonths) : cal.months;
    dormant[i] = rng.next() < 0.04 ? 1 : 0;
    account.push(newAccount('621700'));
    account2.push(rng.next() < 0.2 ? newAccount('622588') : null);
  }
  return {
    n,
    id,
    seg,
    region,
    risk,
    openDay,
    openJ,
    aum,
    employed,
    salary,
    payday,
    activity,
    churnJ,
    dormant,
    account,
    account2,
    columns: {
      customer_id: id,
      name,
      phone,
      id_number: idNumber,
      gender,
      birth_year: birthYear,
      city,
      region,
      segment,
      open_date: openDate,
      aum: aumCol,
    },
  };
}

// --- loans ----------------------------------------------------------------------------------------

interface Loans {
  n: number;
  id: string[];
  cust: Int32Array;
  prod: Uint8Array;
  chan: Uint8Array;
  issueDay: Int32Array;
  issueJ: Int32Array;
  principal: Float64Array;
  term: Int32Array;
  rate: Float64Array;
  vintage: Float64Array;
  columns: Record<string, unknown[]>;
}

function genLoans(r: Resolved, cal: Calendar, cu: Customers, labels: Labels): Loans {
  const rng = new Rng(r.seed, 'loans');
  const months = cal.months;
  const issueCum = cumWeights(
    Array.from({ length: months }, (_, j) => Math.pow(1.025, j) * ISSUE_SEASON[cal.calMonth[j]!]!),
  );
  const prodCum = [0, 1, 2].map((s) => cumWeights(PRODUCT_SPECS.map((p) => p.segWeights[s]!)));
  const chanCum = PRODUCT_SPECS.map((p) => cumWeights(p.channelWeights));
  const termCum = PRODUCT_SPECS.map((p) => cumWeights(p.termWeights));
  // Vintage quality: noise per issue month, a loosened-policy window and the tightening after it.
  const vintage = new Float64Array(months);
  for (let j = 0; j < months; j++) {
    let v = Math.exp(0.08 * rng.normal());
    if (j >= months - 16 && j <= months - 14) v *= 1.6;
    else if (j > months - 14) v *= 0.9;
    vintage[j] = v;
  }
  const tmpCust: number[] = [];
  const tmpProd: number[] = [];
  const tmpChan: number[] = [];
  const tmpDay: number[] = [];
  const tmpJ: number[] = [];
  const tmpP: number[] = [];
  const tmpTerm: number[] = [];
  const tmpRate: number[] = [];
  for (let c = 0; c < cu.n; c++) {
    const k = rng.poisson(r.loansPerCustomer);
    if (k === 0) continue;
    const from = Math.max(0, cu.openJ[c]!);
    if (from >= months) continue;
    const s = cu.seg[c]!;
    for (let q = 0; q < k; q++) {
      const p = pickIndex(rng, prodCum[s]!);
      const spec = PRODUCT_SPECS[p]!;
      const j = pickIndex(rng, issueCum, from);
      let day = cal.start[j]! + rng.int(cal.len[j]!);
      if (day < cu.openDay[c]!) day = cu.openDay[c]!;
      const scale = SEG_PRINCIPAL[s]!;
      let principal = rng.lognormal(spec.median * scale, spec.sigma);
      principal = Math.min(spec.max * scale, Math.max(spec.min, principal));
      principal = Math.round(principal / spec.unit) * spec.unit;
      const term = spec.terms[pickIndex(rng, termCum[p]!)]!;
      const ch = pickIndex(rng, chanCum[p]!);
      // Risk-based pricing: riskier customers and channels pay more.
      const pos = Math.min(
        1,
        Math.max(
          0,
          0.4 + 0.3 * Math.log(cu.risk[c]! * CHANNEL_RISK[ch]! * SEG_RISK[s]!) + 0.12 * rng.normal(),
        ),
      );
      const rate = Math.round((spec.rateLo + (spec.rateHi - spec.rateLo) * pos) * 10000) / 10000;
      tmpCust.push(c);
      tmpProd.push(p);
      tmpChan.push(ch);
      tmpDay.push(day);
      tmpJ.push(j);
      tmpP.push(principal);
      tmpTerm.push(term);
      tmpRate.push(rate);
    }
  }
  const n = tmpCust.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => tmpDay[a]! - tmpDay[b]! || a - b);
  const id: string[] = [];
  const cust = new Int32Array(n);
  const prod = new Uint8Array(n);
  const chan = new Uint8Array(n);
  const issueDay = new Int32Array(n);
  const issueJ = new Int32Array(n);
  const principal = new Float64Array(n);
  const term = new Int32Array(n);
  const rate = new Float64Array(n);
  const cols = {
    loan_id: id,
    customer_id: [] as string[],
    product: [] as string[],
    channel: [] as string[],
    region: [] as string[],
    issue_date: [] as string[],
    principal: [] as number[],
    term_months: [] as number[],
    annual_rate: [] as number[],
  };
  let seqMonth = -1;
  let seq = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const j = tmpJ[i]!;
    if (j !== seqMonth) {
      seqMonth = j;
      seq = 0;
    }
    const mi = cal.startMi + j;
    const lid = `LN${Math.floor(mi / 12)}${pad((mi % 12) + 1, 2)}${pad(++seq, 6)}`;
    id.push(lid);
    const c = tmpCust[i]!;
    cust[k] = c;
    prod[k] = tmpProd[i]!;
    chan[k] = tmpChan[i]!;
    issueDay[k] = tmpDay[i]!;
    issueJ[k] = j;
    principal[k] = tmpP[i]!;
    term[k] = tmpTerm[i]!;
    rate[k] = tmpRate[i]!;
    cols.customer_id.push(cu.id[c]!);
    cols.product.push(PRODUCTS[tmpProd[i]!]!);
    cols.channel.push(LOAN_CHANNELS[tmpChan[i]!]!);
    cols.region.push(cu.region[c]!);
    cols.issue_date.push(labels.day(tmpDay[i]!));
    cols.principal.push(tmpP[i]!);
    cols.term_months.push(tmpTerm[i]!);
    cols.annual_rate.push(tmpRate[i]!);
  }
  return { n, id, cust, prod, chan, issueDay, issueJ, principal, term, rate, vintage, columns: cols };
}

// --- loan performance and collection --------------------------------------------------------------

interface Collector {
  id: string;
  team: number;
  contact: number;
  ptp: number;
  keep: number;
  cure: number;
  diligence: number;
  visit: number;
}

function genCollectors(seed: number): Collector[][] {
  const rng = new Rng(seed, 'collectors');
  const total = TEAM_SIZES.reduce((a, b) => a + b, 0);
  // General skill spread evenly (shuffled) so collectors differ visibly at any seed.
  const g = Array.from({ length: total }, (_, i) => -1.5 + (3 * i) / (total - 1));
  for (let i = total - 1; i > 0; i--) {
    const k = rng.int(i + 1);
    const t = g[i]!;
    g[i] = g[k]!;
    g[k] = t;
  }
  const teams: Collector[][] = [];
  let x = 0;
  for (let t = 0; t < TEAM_SIZES.length; t++) {
    const ids = collectorIds(t);
    teams.push(
      ids.map((cid) => {
        const gi = g[x++]!;
        return {
          id: cid,
          team: t,
          contact: Math.exp(0.12 * gi + 0.06 * rng.normal()),
          ptp: Math.exp(0.15 * gi + 0.08 * rng.normal()),
          keep: Math.exp(0.18 * gi + 0.08 * rng.normal()),
          cure: Math.exp(0.12 * gi + 0.05 * rng.normal()),
          diligence: Math.exp(0.1 * gi + 0.15 * rng.normal()),
          visit: Math.exp(0.4 * rng.normal()),
        };
      }),
    );
  }
  return teams;
}

interface Performance {
  loanMonths: Record<string, unknown[]>;
  actions: Record<string, unknown[]>;
  /** Loan repayments per customer × transaction month (customer * txnMonths + w). */
  repaid: Float64Array;
  repayDay: Uint8Array;
}

function genPerformance(r: Resolved, cal: Calendar, cu: Customers, lo: Loans, labels: Labels): Performance {
  const rng = new Rng(r.seed, 'performance');
  const ra = new Rng(r.seed, 'actions');
  const teams = genCollectors(r.seed);
  const months = cal.months;
  const W = r.txnMonths;
  const txnFrom = months - W;
  const repaid = new Float64Array(cu.n * W);
  const repayDay = new Uint8Array(cu.n * W);

  const lmLoan: string[] = [];
  const lmDate: string[] = [];
  const lmOut: number[] = [];
  const lmDpd: number[] = [];
  const lmDue: number[] = [];
  const lmPaid: number[] = [];
  const lmStatus: string[] = [];

  const aId: string[] = [];
  const aCase: string[] = [];
  const aLoan: string[] = [];
  const aCust: string[] = [];
  const aCollector: string[] = [];
  const aTeam: string[] = [];
  const aTime: string[] = [];
  const aChannel: string[] = [];
  const aContacted: boolean[] = [];
  const aPtp: boolean[] = [];
  const aPtpAmount: (number | null)[] = [];
  const aPtpDue: (string | null)[] = [];
  const aPaid: number[] = [];
  const aCost: number[] = [];
  let actionSeq = 0;
  let caseSeq = 0;

  const mixCum = TEAM_CHANNEL_MIX.map((w) => cumWeights(w));
  const mixNoLegal = cumWeights([66, 10, 6, 18, 0]);
  const buf = new Float64Array(64);
  const MAX_ACTIONS = 40;

  /**
   * Actions of one case in one month, in time order. `paid` is the loan-month payment (0: none)
   * made on a day in the window; when `resolved` the case ends with it (no later actions).
   */
  const caseMonth = (
    caseId: string,
    loanId: string,
    custId: string,
    col: Collector,
    prevDel: number,
    winStart: number,
    winEnd: number,
    paid: number,
    resolved: boolean,
    promise: number,
  ): void => {
    const team = col.team;
    const payDay = paid > 0 ? winStart + ra.int(winEnd - winStart + 1) : -1;
    const last = resolved && payDay >= 0 ? payDay : winEnd;
    const lambda = TEAM_ACTIONS[team]! * r.actionsScale * col.diligence;
    const nAct = Math.min(MAX_ACTIONS, 1 + ra.poisson(Math.max(0, lambda - 1)));
    const cum = team === 2 && prevDel < 4 ? mixNoLegal : mixCum[team]!;
    for (let k = 0; k < nAct; k++) {
      let ch: number;
      let day: number;
      if (k === 0) {
        // First touch on the first day of the window; a new case starts with an SMS reminder.
        day = winStart;
        ch = prevDel === 0 ? 1 : pickIndex(ra, cum);
      } else {
        day = winStart + ra.int(last - winStart + 1);
        ch = pickIndex(ra, cum);
        if (ch === 3 && ra.next() > Math.min(1, col.visit)) ch = 0;
      }
      if (ch >= 3) {
        // Visits and legal steps on weekdays only.
        const wd = isoWeekday(day);
        if (wd >= 6) {
          if (k === 0) ch = 0;
          else if (day - (wd - 5) >= winStart) day -= wd - 5;
          else if (day + (8 - wd) <= last) day += 8 - wd;
          else ch = 0;
        }
      }
      const sec = pickHourSecond(ra, ACTION_HOURS[ch]!);
      buf[k] = (day * 86400 + sec) * 8 + ch;
    }
    const acts = buf.subarray(0, nAct).sort();
    // Which action carries the payment, and whether through a kept promise.
    let payIdx = -1;
    let viaPtp = false;
    if (paid > 0) {
      const payLimit = (payDay + 1) * 86400 * 8;
      for (let k = 0; k < nAct; k++) if (acts[k]! < payLimit) payIdx = k;
      if (payIdx < 0) payIdx = 0;
      // Partial payments mostly come unprompted; a promise behind one is a broken promise.
      viaPtp = ra.next() < Math.min(0.95, PTP_PAID[team]! * col.ptp) * (promise > paid ? 0.4 : 1);
    }
    let promises = 0;
    for (let k = 0; k < nAct; k++) {
      const v = acts[k]!;
      let ch = v % 8;
      const t = (v - ch) / 8;
      const day = Math.floor(t / 86400);
      const sec = t - day * 86400;
      const hour = Math.floor(sec / 3600);
      const weekend = isoWeekday(day) >= 6;
      let pc: number;
      if (ch === 0) pc = PHONE_CONTACT[hour]! * (weekend ? 1.15 : 1) * TEAM_CONTACT[team]! * col.contact;
      else if (ch === 1) pc = 0.02;
      else if (ch === 2) pc = 0.12 * TEAM_CONTACT[team]!;
      else if (ch === 3) pc = 0.55 * TEAM_CONTACT[team]! * col.contact;
      else pc = 0.3;
      let contacted = ra.next() < pc;
      let ptp = false;
      let ptpAmount: number | null = null;
      let ptpDue: string | null = null;
      let actPaid = 0;
      if (k === payIdx) {
        actPaid = paid;
        if (viaPtp) {
          if (ch === 1 || ch === 2) ch = 0; // the promise was taken on a call
          contacted = true;
          ptp = true;
          ptpAmount = promise > paid ? promise : paid;
          ptpDue = labels.day(Math.max(payDay, day) + ra.int(3));
        }
      } else if (
        contacted &&
        ch !== 1 &&
        ra.next() < (PTP_BROKEN[team]! * (ch === 2 ? 0.5 : 1) * (promises > 0 ? 0.4 : 1) * col.ptp) / col.keep
      ) {
        // A promise that is broken (nothing paid against it).
        promises++;
        ptp = true;
        ptpAmount = promise;
        ptpDue = labels.day(day + 1 + ra.int(5));
      }
      const [cLo, cHi] = CHANNEL_COST[ch]!;
      const cost =
        ch === 0 && contacted ? cents(ra.range(3, 5)) : cLo === cHi ? cLo : cents(ra.range(cLo, cHi));
      aId.push(`A${pad(++actionSeq, 9)}`);
      aCase.push(caseId);
      aLoan.push(loanId);
      aCust.push(custId);
      aCollector.push(col.id);
      aTeam.push(TEAMS[team]!);
      aTime.push(labels.dateTime(day, sec));
      aChannel.push(ACTION_CHANNELS[ch]!);
      aContacted.push(contacted);
      aPtp.push(ptp);
      aPtpAmount.push(ptpAmount);
      aPtpDue.push(ptpDue);
      aPaid.push(actPaid);
      aCost.push(cost);
    }
  };

  for (let li = 0; li < lo.n; li++) {
    const loanId = lo.id[li]!;
    const c = lo.cust[li]!;
    const custId = cu.id[c]!;
    const p = lo.prod[li]!;
    const spec = PRODUCT_SPECS[p]!;
    const P = lo.principal[li]!;
    const n = lo.term[li]!;
    const rm = lo.rate[li]! / 12;
    const q = 1 + rm;
    const qn = Math.pow(q, n);
    const A = cents((P * rm * qn) / (qn - 1));
    const i0 = lo.issueJ[li]!;
    const dueDom = Math.min(28, civilFromDays(lo.issueDay[li]!)[2]);
    const riskTot = CHANNEL_RISK[lo.chan[li]!]! * SEG_RISK[cu.seg[c]!]! * cu.risk[c]!;
    const p01Base = spec.p01 * riskTot * lo.vintage[i0]!;
    const cureAdj = Math.min(1.5, Math.max(0.6, Math.pow(riskTot, -0.3))) * spec.cure;
    const balance = (k: number): number => (k >= n ? 0 : (P * (qn - Math.pow(q, k))) / (qn - 1));
    let kPaid = 0;
    let credit = 0;
    let caseId = '';
    let col: Collector | null = null;

    for (let j = i0; j < months; j++) {
      const m = j - i0;
      lmLoan.push(loanId);
      lmDate.push(cal.endLabel[j]!);
      if (m === 0) {
        lmOut.push(P);
        lmDpd.push(0);
        lmDue.push(0);
        lmPaid.push(0);
        lmStatus.push('active');
        continue;
      }
      const cm = cal.calMonth[j]!;
      const mStart = cal.start[j]!;
      const mLen = cal.len[j]!;
      const dueCount = Math.min(m, n) - kPaid;
      let due = cents(dueCount * A - credit);
      const prevDel = kPaid < Math.min(m - 1, n) ? m - 1 - kPaid : 0;
      let paid = 0;
      let status = 0; // 0 active, 1 closed, 2 written off
      let missed = false;
      if (prevDel === 0) {
        if (m < n && rng.next() < spec.prepay) {
          // Prepayment: the whole balance plus this month's interest.
          due = paid = cents(balance(kPaid) * q - credit);
          status = 1;
        } else {
          const mob = m === 1 ? 0.8 : m <= 6 ? 1.15 : m <= 12 ? 1 : 0.85;
          if (rng.next() < Math.min(0.5, p01Base * mob * P01_SEASON[cm]!)) {
            missed = true;
            if (rng.next() < 0.3) paid = Math.min(due, cents(A * rng.range(0.1, 0.6)));
          } else paid = due;
        }
      } else {
        const b = Math.min(prevDel, 7);
        const team = prevDel <= 1 ? 0 : prevDel === 2 ? 1 : 2;
        if (col === null || col.team !== team) col = teams[team]![rng.int(TEAM_SIZES[team]!)]!;
        if (prevDel >= 7 && (prevDel >= 12 || rng.next() < 0.35)) {
          status = 2;
        } else if (prevDel >= 3 && rng.next() < 0.015) {
          // Discounted settlement of the whole debt.
          // Owed: the arrears plus the principal not yet due.
          due = cents(dueCount * A - credit + balance(kPaid + dueCount));
          paid = cents(due * rng.range(0.6, 0.95));
          status = 1;
        } else {
          const season = cm === 2 || cm === 3 ? 0.88 : 1;
          let cure = CURE[b]! * cureAdj * col.cure * season;
          let stay = STAY[b]! * cureAdj * col.cure * season;
          if (cure + stay > 0.95) {
            const f = 0.95 / (cure + stay);
            cure *= f;
            stay *= f;
          }
          const u = rng.next();
          if (u < cure) paid = due;
          else if (u < cure + stay) paid = Math.min(due, A);
          else if (rng.next() < 0.25) paid = Math.min(due, cents(A * rng.range(0.1, 0.6)));
        }
      }
      if (status === 0) {
        credit += paid;
        while (credit >= A - 0.005 && kPaid < n) {
          kPaid++;
          credit -= A;
        }
        if (credit < 0.005) credit = 0;
        if (kPaid >= n) status = 1;
      }
      const delMonths = status === 1 ? 0 : kPaid < Math.min(m, n) ? m - kPaid : 0;
      const mEndDom = mLen;
      const dpd = delMonths === 0 ? 0 : 30 * (delMonths - 1) + Math.min(30, Math.max(1, mEndDom - dueDom));
      lmOut.push(status === 0 ? cents(balance(kPaid)) : 0);
      lmDpd.push(dpd);
      lmDue.push(due);
      lmPaid.push(paid);
      lmStatus.push(STATUSES[status]!);
      if (paid > 0 && j >= txnFrom) {
        const x = c * W + (j - txnFrom);
        repaid[x] = cents(repaid[x]! + paid);
        if (repayDay[x] === 0) repayDay[x] = Math.min(dueDom, mLen);
      }
      // Collection.
      if (prevDel > 0 || missed) {
        if (prevDel === 0) {
          caseId = `CS${pad(++caseSeq, 8)}`;
          col = teams[0]![rng.int(TEAM_SIZES[0]!)]!;
        }
        if (r.actionsScale > 0 && col !== null) {
          const winStart = prevDel === 0 ? Math.min(mStart + mLen - 1, mStart + dueDom) : mStart;
          const resolved = status !== 0 || delMonths === 0;
          // Promised amount: what was paid when a full or one-instalment payment was made; one
          // instalment (new case) or the arrears when the month ends with a partial or no payment.
          const partial = paid > 0 && paid < Math.min(due, A) - 0.005;
          const promise = paid > 0 && !partial ? paid : prevDel === 0 ? A : cents(Math.max(A, due));
          caseMonth(
            caseId,
            loanId,
            custId,
            col,
            prevDel,
            winStart,
            mStart + mLen - 1,
            paid,
            resolved,
            promise,
          );
        }
        if (status !== 0 || delMonths === 0) {
          caseId = '';
          col = null;
        }
      }
      if (status !== 0) break;
    }
  }
  return {
    loanMonths: {
      loan_id: lmLoan,
      snapshot_date: lmDate,
      outstanding: lmOut,
      dpd: lmDpd,
      due_amount: lmDue,
      paid_amount: lmPaid,
      status: lmStatus,
    },
    actions: {
      action_id: aId,
      case_id: aCase,
      loan_id: aLoan,
      customer_id: aCust,
      collector_id: aCollector,
      team: aTeam,
      action_time: aTime,
      channel: aChannel,
      contacted: aContacted,
      ptp: aPtp,
      ptp_amount: aPtpAmount,
      ptp_due_date: aPtpDue,
      paid_amount: aPaid,
      cost: aCost,
    },
    repaid,
    repayDay,
  };
}

// --- transactions ---------------------------------------------------------------------------------

function genTransactions(
  r: Resolved,
  cal: Calendar,
  cu: Customers,
  perf: Performance,
  labels: Labels,
): Record<string, unknown[]> {
  const rng = new Rng(r.seed, 'transactions');
  const W = r.txnMonths;
  const from = cal.months - W;
  const txnId: string[] = [];
  const custCol: string[] = [];
  const acctCol: string[] = [];
  const timeCol: string[] = [];
  const amountCol: number[] = [];
  const dirCol: string[] = [];
  const catCol: string[] = [];
  const chanCol: string[] = [];
  const cpCol: string[] = [];
  const bankCol: string[] = [];
  const crossCol: boolean[] = [];
  const cashCol: boolean[] = [];
  const bankCum = cumWeights(DOMESTIC_BANK_WEIGHTS);
  const platCum = cumWeights(PLATFORM_WEIGHTS);
  const catCum = TXN_CAT_WEIGHTS.map((w) => cumWeights(w));
  const cpCum = TXN_SPECS.map((s) => cumWeights(s.cp));
  const chanCum = TXN_SPECS.map((s) => cumWeights(s.chan));
  let seq = 0;

  const push = (
    c: number,
    day: number,
    sec: number,
    amount: number,
    cat: number,
    ch: number,
    cp: number,
    bank: string,
    acct?: string,
  ): void => {
    const spec = TXN_SPECS[cat]!;
    txnId.push(`TX${pad(++seq, 10)}`);
    custCol.push(cu.id[c]!);
    acctCol.push(acct ?? cu.account[c]!);
    timeCol.push(labels.dateTime(day, sec));
    amountCol.push(amount);
    dirCol.push(spec.dir);
    catCol.push(TXN_CATEGORIES[cat]!);
    chanCol.push(TXN_CHANNELS[ch]!);
    cpCol.push(COUNTERPARTY_TYPES[cp]!);
    bankCol.push(bank);
    crossCol.push(spec.cross);
    cashCol.push(spec.cash);
  };
  /** Weekend → Friday (salaries are paid on working days). */
  const workday = (day: number): number => {
    const wd = isoWeekday(day);
    return wd >= 6 ? day - (wd - 5) : day;
  };

  for (let c = 0; c < cu.n; c++) {
    if (cu.dormant[c]) continue;
    const s = cu.seg[c]!;
    const employerBank = rng.next() < 0.5 ? '本行' : DOMESTIC_BANKS[pickIndex(rng, bankCum)]!;
    const acct2 = cu.account2[c];
    for (let w = 0; w < W; w++) {
      const j = from + w;
      if (j < cu.openJ[c]! || j > cu.churnJ[c]!) continue;
      const mStart = cal.start[j]!;
      const mLen = cal.len[j]!;
      const first = Math.max(mStart, cu.openDay[c]!);
      const span = mStart + mLen - first;
      if (span <= 0) continue;
      if (cu.employed[c]) {
        const day = workday(mStart + cu.payday[c]! - 1);
        if (day >= first) {
          push(
            c,
            day,
            pickHourSecond(rng, H_SALARY),
            cents(cu.salary[c]! * Math.exp(0.05 * rng.normal())),
            0,
            1,
            1,
            employerBank,
          );
        }
        const bday = workday(mStart + 19);
        if (cal.calMonth[j] === 1 && bday >= first) {
          // Year-end bonus before the Spring Festival.
          push(
            c,
            bday,
            pickHourSecond(rng, H_SALARY),
            cents(cu.salary[c]! * rng.range(1, 6)),
            1,
            1,
            1,
            employerBank,
          );
        }
      }
      const x = c * W + w;
      const rep = perf.repaid[x]!;
      if (rep > 0) {
        const day = Math.max(first, mStart + perf.repayDay[x]! - 1);
        push(c, day, pickHourSecond(rng, H_AUTODEBIT), rep, 8, 0, 1, '本行');
      }
      const k = rng.poisson(r.tpcm * cu.activity[c]! * 0.8);
      for (let t = 0; t < k; t++) {
        let cat = pickIndex(rng, catCum[s]!);
        if ((cat === 6 || cat === 7) && cu.aum[c]! < 20000) cat = 4;
        const spec = TXN_SPECS[cat]!;
        const cp = pickIndex(rng, cpCum[cat]!);
        let ch: number;
        let bank: string;
        if (cat === 4) ch = cp === 2 ? 4 : 0;
        else ch = pickIndex(rng, chanCum[cat]!);
        if (cp === 2) bank = PLATFORMS[pickIndex(rng, platCum)]!;
        else if (spec.cross) bank = FOREIGN_BANKS[rng.int(FOREIGN_BANKS.length)]!;
        else if (spec.own) bank = '本行';
        else bank = DOMESTIC_BANKS[pickIndex(rng, bankCum)]!;
        let amount = rng.lognormal(spec.median * spec.seg[s]!, spec.sigma);
        while (amount > spec.max) amount = rng.lognormal(spec.median * spec.seg[s]!, spec.sigma);
        if (spec.unit > 0) amount = Math.max(spec.unit, Math.round(amount / spec.unit) * spec.unit);
        else amount = Math.max(0.01, cents(amount));
        if (ch === 3 && amount > 20000) ch = 2; // ATM limit: larger cash goes over the counter
        let day = first + rng.int(span);
        if (ch === 2 && isoWeekday(day) === 7) {
          if (day - 1 >= first) day--;
          else if (day + 1 < mStart + mLen) day++;
          else ch = 0; // a one-day span on a Sunday (opened on the month's last day): mobile, not branch
        }
        const sec = pickHourSecond(rng, ch === 2 ? H_OFFICE : spec.hours);
        push(c, day, sec, amount, cat, ch, cp, bank, acct2 && rng.next() < 0.25 ? acct2 : undefined);
      }
    }
  }

  // Planted large-value and structuring cases (PBOC 2016 No. 3 thresholds), a few per sample.
  const winStart = Math.max(cal.start[from]!, 0);
  const winEnd = cal.start[cal.months - 1]! + cal.len[cal.months - 1]! - 1;
  const eligible: number[] = [];
  const rich: number[] = [];
  for (let c = 0; c < cu.n; c++) {
    if (cu.dormant[c] || cu.churnJ[c]! < cal.months - 1 || cu.openDay[c]! > winEnd - 30) continue;
    eligible.push(c);
    if (cu.seg[c]! > 0) rich.push(c);
  }
  if (eligible.length > 0) {
    const pool = rich.length > 0 ? rich : eligible;
    const dayFor = (c: number, tail = 0): number => {
      const lo = Math.max(winStart, cu.openDay[c]!);
      return lo + rng.int(Math.max(1, winEnd - tail - lo + 1));
    };
    /** Branch (柜面) transactions never fall on a Sunday: move to Monday (Saturday at the window's end). */
    const offSunday = (d: number): number => (isoWeekday(d) !== 7 ? d : d + 1 <= winEnd ? d + 1 : d - 1);
    const perRule = Math.max(2, Math.round(cu.n / 1000));
    for (let k = 0; k < perRule; k++) {
      let c = pool[rng.int(pool.length)]!;
      push(
        c,
        offSunday(dayFor(c)),
        pickHourSecond(rng, H_OFFICE),
        Math.round(rng.range(50000, 150000) / 100) * 100,
        10,
        2,
        0,
        '本行',
      );
      c = pool[rng.int(pool.length)]!;
      push(
        c,
        dayFor(c),
        pickHourSecond(rng, H_OFFICE),
        cents(rng.range(500000, 1200000)),
        3,
        1,
        0,
        DOMESTIC_BANKS[1 + rng.int(6)]!,
      );
      c = pool[rng.int(pool.length)]!;
      push(
        c,
        offSunday(dayFor(c)),
        pickHourSecond(rng, H_OFFICE),
        cents(rng.range(200000, 600000)),
        11,
        2,
        0,
        FOREIGN_BANKS[rng.int(FOREIGN_BANKS.length)]!,
      );
      c = pool[rng.int(pool.length)]!;
      push(
        c,
        dayFor(c),
        pickHourSecond(rng, H_OFFICE),
        cents(rng.range(2000000, 5000000)),
        3,
        1,
        1,
        DOMESTIC_BANKS[1 + rng.int(6)]!,
      );
    }
    // Structuring: 3–4 cash deposits just under 50,000 within a week; and transfers under 500,000.
    const patterns = 1 + Math.floor(cu.n / 5000);
    for (let k = 0; k < patterns; k++) {
      let c = eligible[rng.int(eligible.length)]!;
      let d0 = dayFor(c, 7);
      const nDep = 3 + rng.int(2);
      for (let t = 0; t < nDep; t++) {
        push(
          c,
          offSunday(d0 + 2 * t),
          pickHourSecond(rng, H_OFFICE),
          Math.round(rng.range(45000, 49900) / 100) * 100,
          10,
          2,
          0,
          '本行',
        );
      }
      c = pool[rng.int(pool.length)]!;
      d0 = dayFor(c, 7);
      for (let t = 0; t < 3; t++) {
        push(
          c,
          d0 + 3 * t,
          pickHourSecond(rng, H_TRANSFER),
          cents(rng.range(455000, 499000)),
          3,
          0,
          0,
          DOMESTIC_BANKS[1 + rng.int(6)]!,
        );
      }
    }
  }
  return {
    txn_id: txnId,
    customer_id: custCol,
    account_no: acctCol,
    txn_time: timeCol,
    amount: amountCol,
    direction: dirCol,
    category: catCol,
    channel: chanCol,
    counterparty_type: cpCol,
    counterparty_bank: bankCol,
    cross_border: crossCol,
    cash: cashCol,
  };
}

// --- funnel and campaign spend --------------------------------------------------------------------

function campaignRuns(cmp: Campaign, day: number): boolean {
  if (!cmp.window) return true;
  const [, m, d] = civilFromDays(day);
  const [sm, sd, em, ed] = cmp.window;
  const v = m * 100 + d;
  return v >= sm * 100 + sd && v <= em * 100 + ed;
}

function genFunnel(
  r: Resolved,
  cal: Calendar,
  labels: Labels,
): { events: Record<string, unknown[]>; spend: Record<string, unknown[]> } {
  const rng = new Rng(r.seed, 'funnel');
  const from = cal.months - r.funnelMonths;
  const pStart = cal.start[from]!;
  const pEnd = cal.start[cal.months - 1]! + cal.len[cal.months - 1]! - 1;
  const endSec = (pEnd + 1) * 86400;
  // Cells: campaign × channel × day, weighted by the traffic they buy.
  const cellCmp: number[] = [];
  const cellCh: number[] = [];
  const cellDay: number[] = [];
  const cellW: number[] = [];
  for (let day = pStart; day <= pEnd; day++) {
    const weekend = isoWeekday(day) >= 6;
    const trend = 1 + (0.15 * (day - pStart)) / Math.max(1, pEnd - pStart);
    for (let ci = 0; ci < CAMPAIGNS.length; ci++) {
      const cmp = CAMPAIGNS[ci]!;
      if (!campaignRuns(cmp, day)) continue;
      for (const ch of cmp.channels) {
        const base = FUNNEL_CHANNEL_WEIGHTS[ch]! * (weekend ? (ch === 4 ? 1.6 : 1.1) : 1) * trend;
        const w = cmp.window ? base * (cmp.boost - 1) : base;
        cellCmp.push(ci);
        cellCh.push(ch);
        cellDay.push(day);
        cellW.push(w * Math.exp(0.1 * rng.normal()));
      }
    }
  }
  const cum = cumulative(cellW);
  const totalW = cum[cum.length - 1] ?? 0;
  const spend = {
    campaign: [] as string[],
    channel: [] as string[],
    date: [] as string[],
    spend: [] as number[],
  };
  for (let k = 0; k < cellW.length; k++) {
    const cmp = CAMPAIGNS[cellCmp[k]!]!;
    const expected = (r.funnelUsers * cellW[k]!) / totalW;
    spend.campaign.push(cmp.name);
    spend.channel.push(FUNNEL_CHANNELS[cellCh[k]!]!);
    spend.date.push(labels.day(cellDay[k]!));
    spend.spend.push(
      cents(expected * FUNNEL_COST_PER_USER[cellCh[k]!]! * (cmp.window ? 1.2 : 1) * rng.range(0.85, 1.15)),
    );
  }
  const user: string[] = [];
  const time: string[] = [];
  const stage: string[] = [];
  const channel: string[] = [];
  const campaign: string[] = [];
  const ts = new Float64Array(FUNNEL_STAGES.length);
  for (let u = 0; u < r.funnelUsers && totalW > 0; u++) {
    const uid = `U${pad(u + 1, 8)}`;
    const k = pickIndex(rng, cum);
    const ch = cellCh[k]!;
    const cmp = CAMPAIGNS[cellCmp[k]!]!;
    const steps = FUNNEL_STEPS[ch]!;
    ts[0] = cellDay[k]! * 86400 + pickHourSecond(rng, FUNNEL_HOURS[ch]!);
    let reached = 1;
    for (let s = 1; s < FUNNEL_STAGES.length; s++) {
      const pStep = steps[s - 1]! * (s === 3 && cmp.window ? 1.08 : 1);
      if (rng.next() >= pStep) break;
      const [med, sig] = FUNNEL_DELAY[s - 1]!;
      const t = ts[s - 1]! + Math.max(1, Math.round(rng.lognormal(med, sig)));
      if (t >= endSec) break; // not happened yet at the end of the period
      ts[s] = t;
      reached = s + 1;
    }
    // Data-quality realism: a lost event (skip), a clock-skewed event (out of order), re-exposures.
    let skip = -1;
    if (reached >= 3 && rng.next() < 0.015) skip = 1 + rng.int(reached - 2);
    if (reached >= 3 && rng.next() < 0.01) {
      const s = 2 + rng.int(reached - 2);
      ts[s] = ts[s - 1]! - 60 - rng.int(3600);
    }
    const cmpName = cmp.name;
    const chName = FUNNEL_CHANNELS[ch]!;
    for (let s = 0; s < reached; s++) {
      if (s === skip) continue;
      const t = ts[s]!;
      const day = Math.floor(t / 86400);
      user.push(uid);
      time.push(labels.dateTime(day, t - day * 86400));
      stage.push(FUNNEL_STAGES[s]!);
      channel.push(chName);
      campaign.push(cmpName);
    }
    if (rng.next() < 0.04) {
      const t = ts[0]! + 3600 + rng.int(3 * 86400);
      if (t < endSec) {
        const day = Math.floor(t / 86400);
        user.push(uid);
        time.push(labels.dateTime(day, t - day * 86400));
        stage.push(FUNNEL_STAGES[0]!);
        channel.push(chName);
        campaign.push(cmpName);
      }
    }
  }
  return { events: { user_id: user, event_time: time, stage, channel, campaign }, spend };
}

// --- public API -----------------------------------------------------------------------------------

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
