/**
 * `customers`: identity, segment, region, latent risk, accounts, salary and activity of each
 * customer (the `customers` stream; mining attributes and churn come from sample-profile.ts).
 */
import {
  CITIES,
  GIVEN_FEMALE,
  GIVEN_MALE,
  idCheckDigit,
  luhnDigit,
  MOBILE_PREFIXES,
  SURNAMES,
} from './sample-names.js';
import type { Labels } from './sample-random.js';
import { cents, civilFromDays, cumWeights, daysFromCivil, pad, pickIndex, Rng } from './sample-random.js';
import type { Calendar, Resolved } from './sample-options.js';
import { SEGMENTS } from './sample-dimensions.js';

const SEG_WEIGHTS = [85, 13, 2];

export interface Customers {
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

export function genCustomers(r: Resolved, cal: Calendar, labels: Labels): Customers {
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
