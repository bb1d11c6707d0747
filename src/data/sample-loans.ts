/**
 * `loans`: products and their parameters, issuance with growth and seasonality, vintage quality
 * (the loosened-policy window) and the terms of each loan (the `loans` stream).
 */
import type { Labels } from './sample-random.js';
import { cumWeights, pad, pickIndex, Rng } from './sample-random.js';
import type { Calendar, Resolved } from './sample-options.js';
import { LOAN_CHANNELS, PRODUCTS } from './sample-dimensions.js';
import type { Customers } from './sample-customers.js';

export const SEG_RISK = [1.1, 0.6, 0.35];

const SEG_PRINCIPAL = [1, 1.6, 3];

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

export const PRODUCT_SPECS: readonly ProductSpec[] = [
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

export const CHANNEL_RISK = [1.0, 0.75, 1.45, 1.25];

/** Issue volume by calendar month (1-based index; Spring Festival dip, 618, Double 11, year end). */
const ISSUE_SEASON = [0, 0.95, 0.72, 1.05, 1.0, 1.0, 1.12, 0.98, 0.98, 1.05, 0.92, 1.15, 1.18];

export interface Loans {
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

export function genLoans(r: Resolved, cal: Calendar, cu: Customers, labels: Labels): Loans {
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
