/**
 * `transactions`: salaries, bonuses, loan repayments (the sums paid in loan_months), transfers,
 * consumption, bills, wealth products, cash and remittances, with planted rule-tripping cases
 * (the `transactions` stream).
 */
import {
  DOMESTIC_BANK_WEIGHTS,
  DOMESTIC_BANKS,
  FOREIGN_BANKS,
  PLATFORM_WEIGHTS,
  PLATFORMS,
} from './sample-names.js';
import type { Labels } from './sample-random.js';
import {
  cents,
  cumWeights,
  hours,
  isoWeekday,
  pad,
  pickHourSecond,
  pickIndex,
  Rng,
} from './sample-random.js';
import type { Calendar, Resolved } from './sample-options.js';
import { COUNTERPARTY_TYPES, TXN_CATEGORIES, TXN_CHANNELS } from './sample-dimensions.js';
import type { Customers } from './sample-customers.js';
import type { Performance } from './sample-loan-months.js';

const SEG_AMOUNT = [1, 2.5, 6];

/** Cash and cross-border amounts grow less with wealth. */
const SEG_CASH = [1, 1.5, 2.5];

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

export function genTransactions(
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
