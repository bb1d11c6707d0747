import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetName } from '../../../src/data/dataset.js';
import { SCHEMAS, typesOf } from '../../../src/data/schemas.js';
import { datasetFromColumns, toColumn, type CellIssue } from '../../../src/data/columns.js';
import {
  SAMPLE_DIMENSIONS,
  generateSample,
  sampleOptionsForLoanMonths,
  sampleToRows,
  type SampleData,
} from '../../../src/data/sample.js';
import { CITIES, MOBILE_RE, isValidIdNumber, luhnDigit } from '../../../src/data/sample-names.js';
import { Rng, civilFromDays, daysFromCivil, isoWeekday } from '../../../src/data/sample-random.js';

const DATASETS: DatasetName[] = [
  'customers',
  'loans',
  'loan_months',
  'collection_actions',
  'transactions',
  'funnel_events',
  'campaign_spend',
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function len(data: SampleData, name: DatasetName): number {
  return Object.values(data[name])[0]!.length;
}

function bucket(dpd: number): number {
  return dpd <= 0 ? 0 : Math.min(7, Math.ceil(dpd / 30));
}

function str(col: unknown[] | undefined, i: number): string {
  return col![i] as string;
}

function num(col: unknown[] | undefined, i: number): number {
  return col![i] as number;
}

/** Month index of a `YYYY-MM…` string. */
function mi(s: string): number {
  return Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
}

function dayOf(s: string): number {
  return daysFromCivil(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));
}

function secOf(s: string): number {
  return (
    dayOf(s) * 86400 + Number(s.slice(11, 13)) * 3600 + Number(s.slice(14, 16)) * 60 + Number(s.slice(17, 19))
  );
}

/**
 * Row-level assertions without per-row `expect` (which costs microseconds each): failures are
 * collected and asserted empty once.
 */
class Checker {
  readonly failures: string[] = [];
  ok(cond: boolean, msg: string | (() => string)): void {
    if (!cond && this.failures.length < 10) this.failures.push(typeof msg === 'string' ? msg : msg());
  }
  eq(a: unknown, b: unknown, msg: string): void {
    if (a !== b && this.failures.length < 10) this.failures.push(`${msg}: ${String(a)} !== ${String(b)}`);
  }
  done(): void {
    expect(this.failures).toEqual([]);
  }
}

let d: SampleData;
beforeAll(() => {
  d = generateSample();
});

describe('PRNG and calendar helpers', () => {
  it('is deterministic per seed and stream, and uniform enough', () => {
    const a = new Rng(7, 'x');
    const b = new Rng(7, 'x');
    const c = new Rng(7, 'y');
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    const r = new Rng(1);
    let s = 0;
    for (let i = 0; i < 20000; i++) s += r.next();
    expect(s / 20000).toBeGreaterThan(0.49);
    expect(s / 20000).toBeLessThan(0.51);
  });

  it('does civil-date arithmetic without Date', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2024, 2, 29)).toBe(Date.UTC(2024, 1, 29) / 86400000);
    for (const z of [-1000, 0, 19000, 20500, 60000]) {
      const [y, m, dd] = civilFromDays(z);
      expect(daysFromCivil(y, m, dd)).toBe(z);
    }
    expect(isoWeekday(daysFromCivil(2026, 10, 31))).toBe(6); // a Saturday
  });

  it('never reads Math.random, the clock or local time', () => {
    for (const f of ['sample.ts', 'sample-random.ts', 'sample-names.ts']) {
      const src = readFileSync(new URL(`../../../src/data/${f}`, import.meta.url), 'utf8');
      expect(src).not.toMatch(/Math\.random\(|Date\.now\(|new Date\(|performance\.now\(|console\./);
    }
  });
});

describe('generateSample', () => {
  it('returns every canonical dataset with exactly the schema columns, of equal length', () => {
    for (const name of DATASETS) {
      const cols = d[name];
      expect(Object.keys(cols).sort(), name).toEqual(Object.keys(SCHEMAS[name]!.fields).sort());
      const n = len(d, name);
      expect(n, name).toBeGreaterThan(0);
      for (const [k, v] of Object.entries(cols)) expect(v.length, `${name}.${k}`).toBe(n);
    }
  });

  it('types values as ingestion expects (strings, cents, booleans, date strings)', () => {
    const ck = new Checker();
    for (const name of DATASETS) {
      for (const [col, spec] of Object.entries(SCHEMAS[name]!.fields)) {
        const values = d[name][col]!;
        const what = `${name}.${col}`;
        const scale = col === 'annual_rate' ? 10000 : 100;
        const re = ['action_time', 'txn_time', 'event_time'].includes(col) ? DATE_TIME : DATE;
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (v === null) {
            ck.ok(col === 'ptp_amount' || col === 'ptp_due_date', `${what}[${i}] null`);
            continue;
          }
          if (spec.type === 'cat') ck.eq(typeof v, 'string', what);
          else if (spec.type === 'bool') ck.eq(typeof v, 'boolean', what);
          else if (spec.type === 'num') {
            const x = v as number;
            ck.ok(typeof v === 'number' && Number.isFinite(x), `${what}[${i}] not finite`);
            ck.eq(Math.round(x * scale) / scale, x, `${what}[${i}] rounding`);
            if (spec.nonNegative) ck.ok(x >= 0, `${what}[${i}] negative`);
            if (spec.range) ck.ok(x >= spec.range[0] && x <= spec.range[1], `${what}[${i}] out of range`);
          } else ck.ok(typeof v === 'string' && re.test(v), `${what}[${i}] '${String(v)}'`);
          if (spec.values) ck.ok(spec.values.includes(v as string), `${what}[${i}] '${String(v)}'`);
        }
      }
    }
    ck.done();
  });

  it('is deterministic: same options give identical output, another seed differs', () => {
    const a = generateSample({ customers: 200, seed: 11 });
    const b = generateSample({ customers: 200, seed: 11 });
    const c = generateSample({ customers: 200, seed: 12 });
    const ja = JSON.stringify(a);
    expect(JSON.stringify(b)).toBe(ja);
    expect(JSON.stringify(c)).not.toBe(ja);
  });

  it('keeps datasets independent: options of one dataset leave the others unchanged', () => {
    const base = generateSample({ customers: 200, seed: 3 });
    const more = generateSample({
      customers: 200,
      seed: 3,
      actionsScale: 2,
      transactionsPerCustomerMonth: 12,
    });
    expect(JSON.stringify(more.loan_months)).toBe(JSON.stringify(base.loan_months));
    expect(JSON.stringify(more.funnel_events)).toBe(JSON.stringify(base.funnel_events));
    expect(len(more, 'collection_actions')).toBeGreaterThan(1.5 * len(base, 'collection_actions'));
    expect(len(more, 'transactions')).toBeGreaterThan(1.4 * len(base, 'transactions'));
  });

  it('scales row counts with the options', () => {
    const s = generateSample({ customers: 300, seed: 5 });
    const l = generateSample({ customers: 600, seed: 5, funnelUsers: 777 });
    expect(len(s, 'customers')).toBe(300);
    expect(len(l, 'customers')).toBe(600);
    for (const name of ['loans', 'loan_months', 'transactions'] as const) {
      const r = len(l, name) / len(s, name);
      expect(r, name).toBeGreaterThan(1.6);
      expect(r, name).toBeLessThan(2.5);
    }
    expect(new Set(s.funnel_events.user_id).size).toBe(1500);
    expect(new Set(l.funnel_events.user_id).size).toBe(777);
    const few = generateSample({ customers: 300, seed: 5, loansPerCustomer: 0.8 });
    expect(len(few, 'loans') / len(s, 'loans')).toBeLessThan(0.65);
    const none = generateSample({ customers: 50, seed: 5, actionsScale: 0 });
    expect(len(none, 'collection_actions')).toBe(0);
  });

  it('honours months and end', () => {
    const s = generateSample({ customers: 200, months: 24, end: '2025-03' });
    const dates = [...new Set(s.loan_months.snapshot_date as string[])].sort();
    expect(dates.length).toBe(24);
    expect(dates[0]).toBe('2023-04-30');
    expect(dates[23]).toBe('2025-03-31');
    for (const t of s.transactions.txn_time as string[]) expect(t <= '2025-03-31 23:59:59').toBe(true);
    expect(() => generateSample({ end: '2025-13' })).toThrow(RangeError);
    expect(() => generateSample({ months: 0 })).toThrow(RangeError);
  });
});

describe('customers', () => {
  it('have valid resident IDs consistent with birth year, gender and (mostly) city', () => {
    const c = d.customers;
    const ck = new Checker();
    const codeCity = new Map(CITIES.map((x) => [x.code, x.name]));
    const ids = new Set<string>();
    let sameCity = 0;
    for (let i = 0; i < c.customer_id!.length; i++) {
      const id = str(c.id_number, i);
      ck.ok(id.length === 18 && isValidIdNumber(id), `invalid id ${id}`);
      ids.add(id);
      const by = num(c.birth_year, i);
      ck.eq(Number(id.slice(6, 10)), by, 'birth year');
      const [y, m, dd] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
      const born = civilFromDays(daysFromCivil(y, m, dd));
      ck.ok(born[0] === y && born[1] === m && born[2] === dd, `not a calendar date: ${id}`);
      ck.eq(Number(id[16]) % 2 === 1 ? '男' : '女', str(c.gender, i), `gender ${id}`);
      ck.ok(codeCity.has(id.slice(0, 6)), `unknown region code ${id}`);
      if (codeCity.get(id.slice(0, 6)) === str(c.city, i)) sameCity++;
      ck.ok(str(c.open_date, i) >= `${by + 18}`, `opened before 18: ${id}`);
    }
    ck.done();
    expect(ids.size).toBe(c.customer_id!.length);
    expect(sameCity / c.customer_id!.length).toBeGreaterThan(0.75);
  });

  it('have mainland mobile numbers, Chinese names, regions matching cities, segments and AUM', () => {
    const c = d.customers;
    const ck = new Checker();
    const n = c.customer_id!.length;
    expect(new Set(c.phone).size).toBe(n);
    expect(new Set(c.customer_id).size).toBe(n);
    const aumBySeg = new Map<string, number[]>();
    let compound = 0;
    for (let i = 0; i < n; i++) {
      ck.ok(MOBILE_RE.test(str(c.phone, i)), `phone ${str(c.phone, i)}`);
      const name = str(c.name, i);
      ck.ok(/^[\u4e00-\u9fff]{2,4}$/.test(name), `name ${name}`);
      if (/^(欧阳|司马|上官|诸葛|东方|皇甫|慕容)/.test(name)) compound++;
      ck.eq(SAMPLE_DIMENSIONS.cityRegion[str(c.city, i)], str(c.region, i), 'region of city');
      ck.ok(SAMPLE_DIMENSIONS.segments.includes(str(c.segment, i)), 'segment');
      const a = aumBySeg.get(str(c.segment, i)) ?? [];
      a.push(num(c.aum, i));
      aumBySeg.set(str(c.segment, i), a);
    }
    ck.done();
    expect(compound).toBeGreaterThan(0);
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1]!;
    expect(median(aumBySeg.get('贵宾客户')!)).toBeGreaterThan(5 * median(aumBySeg.get('大众客户')!));
    expect(median(aumBySeg.get('私行客户')!)).toBeGreaterThan(5 * median(aumBySeg.get('贵宾客户')!));
    const share = aumBySeg.get('大众客户')!.length / n;
    expect(share).toBeGreaterThan(0.75);
    expect(share).toBeLessThan(0.92);
  });
});

describe('referential integrity', () => {
  it('links loans, loan months, actions and transactions by id', () => {
    const ck = new Checker();
    const customers = new Set(d.customers.customer_id as string[]);
    const open = new Map<string, string>();
    const region = new Map<string, string>();
    for (let i = 0; i < d.customers.customer_id!.length; i++) {
      open.set(str(d.customers.customer_id, i), str(d.customers.open_date, i));
      region.set(str(d.customers.customer_id, i), str(d.customers.region, i));
    }
    const loanCustomer = new Map<string, string>();
    for (let i = 0; i < d.loans.loan_id!.length; i++) {
      const c = str(d.loans.customer_id, i);
      ck.ok(customers.has(c), `loan customer ${c}`);
      loanCustomer.set(str(d.loans.loan_id, i), c);
      // Loans are issued on or after the relationship opened, in the customer's region.
      ck.ok(str(d.loans.issue_date, i) >= open.get(c)!, `loan before open date ${str(d.loans.loan_id, i)}`);
      ck.eq(str(d.loans.region, i), region.get(c), 'loan region');
    }
    expect(loanCustomer.size).toBe(d.loans.loan_id!.length);
    for (const id of d.loan_months.loan_id as string[]) ck.ok(loanCustomer.has(id), `loan month of ${id}`);
    const a = d.collection_actions;
    for (let i = 0; i < a.action_id!.length; i++) {
      ck.eq(loanCustomer.get(str(a.loan_id, i)), str(a.customer_id, i), 'action loan/customer');
    }
    for (const id of d.transactions.customer_id as string[]) ck.ok(customers.has(id), `txn customer ${id}`);
    ck.done();
    expect(new Set(a.action_id).size).toBe(a.action_id!.length);
    expect(new Set(d.transactions.txn_id).size).toBe(d.transactions.txn_id!.length);
  });

  it('gives each account number 19 Luhn-valid digits and one owner', () => {
    const ck = new Checker();
    const owner = new Map<string, string>();
    const t = d.transactions;
    for (let i = 0; i < t.txn_id!.length; i++) {
      const acct = str(t.account_no, i);
      const prev = owner.get(acct);
      if (prev === undefined) {
        ck.ok(/^\d{19}$/.test(acct) && luhnDigit(acct.slice(0, 18)) === acct[18], `account ${acct}`);
        owner.set(acct, str(t.customer_id, i));
      } else ck.eq(prev, str(t.customer_id, i), `owner of ${acct}`);
    }
    ck.done();
  });
});

describe('loan months', () => {
  it('run month by month from issue to the end or to a final closed / written-off row', () => {
    const ck = new Checker();
    const lm = d.loan_months;
    const L = d.loans;
    const loan = new Map<string, number>();
    for (let i = 0; i < L.loan_id!.length; i++) loan.set(str(L.loan_id, i), i);
    const endMi = mi('2026-10');
    let i = 0;
    const n = lm.loan_id!.length;
    let loans = 0;
    while (i < n) {
      const id = str(lm.loan_id, i);
      const li = loan.get(id)!;
      const principal = num(L.principal, li);
      const issueMi = mi(str(L.issue_date, li));
      let k = i;
      while (k < n && lm.loan_id![k] === id) {
        const snap = str(lm.snapshot_date, k);
        const at = `${id}@${snap}`;
        ck.eq(mi(snap), issueMi + (k - i), `month sequence ${at}`);
        const [y, m] = [Number(snap.slice(0, 4)), Number(snap.slice(5, 7))];
        ck.eq(dayOf(snap) + 1, daysFromCivil(y, m + 1, 1), `month end ${at}`);
        const status = str(lm.status, k);
        const out = num(lm.outstanding, k);
        const dpd = num(lm.dpd, k);
        ck.ok(Number.isInteger(dpd) && dpd >= 0, `dpd ${at}`);
        ck.ok(num(lm.paid_amount, k) <= num(lm.due_amount, k), `paid > due ${at}`);
        ck.ok(out <= principal, `outstanding > principal ${at}`);
        if (k === i) ck.ok(out === principal && dpd === 0 && num(lm.due_amount, k) === 0, `MOB 0 ${at}`);
        if (status === 'closed') ck.eq(dpd, 0, `closed dpd ${at}`);
        if (status === 'written_off') ck.ok(dpd > 180, `written off at dpd ${dpd} ${at}`);
        if (status !== 'active') {
          ck.eq(out, 0, `terminal outstanding ${at}`);
          ck.ok(lm.loan_id![k + 1] !== id, `rows after terminal ${at}`);
        }
        if (k > i) ck.ok(bucket(dpd) <= bucket(num(lm.dpd, k - 1)) + 1, `bucket jump ${at}`);
        k++;
      }
      if (str(lm.status, k - 1) === 'active')
        ck.eq(mi(str(lm.snapshot_date, k - 1)), endMi, `stops early ${id}`);
      loans++;
      i = k;
    }
    ck.done();
    expect(loans).toBe(L.loan_id!.length);
  });

  it('have overdue, flow, cure, vintage and seasonal patterns in the designed ranges', () => {
    const lm = d.loan_months;
    const n = lm.loan_id!.length;
    // M1+ share of outstanding at the last snapshot
    let tot = 0;
    let over = 0;
    for (let i = 0; i < n; i++) {
      if (lm.snapshot_date![i] !== '2026-10-31') continue;
      tot += num(lm.outstanding, i);
      if (num(lm.dpd, i) > 0) over += num(lm.outstanding, i);
    }
    expect(over / tot).toBeGreaterThan(0.01);
    expect(over / tot).toBeLessThan(0.12);
    // Count-basis transitions between consecutive months
    const from = new Array<number>(8).fill(0);
    const to1 = new Array<number>(8).fill(0);
    const cure = new Array<number>(8).fill(0);
    let wo = 0;
    let woNotM7 = 0;
    let febMar = 0;
    let febMarN = 0;
    let other = 0;
    let otherN = 0;
    for (let i = 1; i < n; i++) {
      if (lm.loan_id![i] !== lm.loan_id![i - 1] || lm.status![i - 1] !== 'active') continue;
      const b0 = bucket(num(lm.dpd, i - 1));
      const status = str(lm.status, i);
      const b1 = status === 'active' ? bucket(num(lm.dpd, i)) : -1;
      from[b0]!++;
      if (b0 < 7 && b1 === b0 + 1) to1[b0]!++;
      if (b0 > 0 && (b1 === 0 || status === 'closed')) cure[b0]!++;
      if (status === 'written_off') {
        wo++;
        if (b0 !== 7) woNotM7++;
      }
      if (b0 === 0 && num(lm.due_amount, i) > 0) {
        const m = str(lm.snapshot_date, i).slice(5, 7);
        const entered = b1 > 0 ? 1 : 0;
        if (m === '02' || m === '03') {
          febMar += entered;
          febMarN++;
        } else {
          other += entered;
          otherN++;
        }
      }
    }
    expect(wo).toBeGreaterThan(0);
    expect(woNotM7).toBe(0);
    const flow = (b: number) => to1[b]! / from[b]!;
    expect(flow(0)).toBeGreaterThan(0.02);
    expect(flow(0)).toBeLessThan(0.045);
    expect(flow(1)).toBeGreaterThan(0.25);
    expect(flow(1)).toBeLessThan(0.45);
    expect(flow(2)).toBeGreaterThan(0.45);
    expect(flow(2)).toBeLessThan(0.7);
    expect(flow(3)).toBeGreaterThan(flow(1));
    const cureRate = (b: number) => cure[b]! / from[b]!;
    expect(cureRate(1)).toBeGreaterThan(0.3);
    expect(cureRate(1)).toBeLessThan(0.6);
    expect(cureRate(1)).toBeGreaterThan(cureRate(3));
    // Spring Festival effect: more entries into delinquency in February and March
    expect(febMar / febMarN).toBeGreaterThan(1.15 * (other / otherN));

    // Loosened-policy vintages (issue months months−16 … months−14) are worse: ever 30+ by MOB 6.
    const issue = new Map<string, number>();
    for (let i = 0; i < d.loans.loan_id!.length; i++)
      issue.set(str(d.loans.loan_id, i), mi(str(d.loans.issue_date, i)));
    const start = mi('2026-10') - 29;
    const bad = new Set<string>();
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const id = str(lm.loan_id, i);
      const v = issue.get(id)! - start;
      if (v > 30 - 7) continue; // needs six months on book
      seen.set(id, v);
      if (mi(str(lm.snapshot_date, i)) - issue.get(id)! <= 6 && num(lm.dpd, i) > 30) bad.add(id);
    }
    const rate = [0, 0, 0, 0]; // in window: n, bad; outside: n, bad
    for (const [id, v] of seen) {
      const o = v >= 14 && v <= 16 ? 0 : 2;
      rate[o]!++;
      if (bad.has(id)) rate[o + 1]!++;
    }
    expect(rate[1]! / rate[0]!).toBeGreaterThan(1.2 * (rate[3]! / rate[2]!));
  });

  it('varies products, channels and regions', () => {
    const L = d.loans;
    expect(new Set(L.product).size).toBe(SAMPLE_DIMENSIONS.products.length);
    expect(new Set(L.channel).size).toBe(SAMPLE_DIMENSIONS.loanChannels.length);
    expect(new Set(L.region).size).toBe(SAMPLE_DIMENSIONS.regions.length);
    const ratio = d.loans.loan_id!.length / d.customers.customer_id!.length;
    expect(ratio).toBeGreaterThan(1.4);
    expect(ratio).toBeLessThan(1.8);
  });
});

describe('collection actions', () => {
  it('are realistic per channel and tied to delinquent loan-months', () => {
    const ck = new Checker();
    const a = d.collection_actions;
    const n = a.action_id!.length;
    expect(n).toBeGreaterThan(1000);
    // Actions happen in months where the loan is delinquent at the month end or was the month before.
    const lm = d.loan_months;
    const delinquent = new Set<string>();
    for (let i = 0; i < lm.loan_id!.length; i++) {
      if (num(lm.dpd, i) > 0) {
        const s = str(lm.snapshot_date, i).slice(0, 7);
        delinquent.add(`${str(lm.loan_id, i)}|${s}`);
        const m = mi(s) + 1;
        delinquent.add(
          `${str(lm.loan_id, i)}|${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`,
        );
      }
    }
    const casesLoan = new Map<string, string>();
    let ptp = 0;
    let kept = 0;
    const channelCount = new Map<string, number>();
    const contactBy = new Map<string, [number, number]>();
    const phoneByCollector = new Map<string, [number, number]>();
    for (let i = 0; i < n; i++) {
      const loan = str(a.loan_id, i);
      const time = str(a.action_time, i);
      const at = str(a.action_id, i);
      ck.ok(delinquent.has(`${loan}|${time.slice(0, 7)}`), `action outside delinquency ${at}`);
      const cid = str(a.case_id, i);
      ck.eq(casesLoan.get(cid) ?? loan, loan, `case spans loans ${cid}`);
      casesLoan.set(cid, loan);
      const ch = str(a.channel, i);
      channelCount.set(ch, (channelCount.get(ch) ?? 0) + 1);
      const hour = Number(time.slice(11, 13));
      const wd = isoWeekday(dayOf(time));
      if (ch === 'visit' || ch === 'legal') ck.ok(wd < 6 && hour >= 9 && hour < 19, `${ch} at ${time}`);
      if (ch === 'phone') ck.ok(hour >= 8 && hour < 22, `phone at ${time}`);
      const cost = num(a.cost, i);
      if (ch === 'sms') ck.eq(cost, 0.05, 'sms cost');
      if (ch === 'ivr') ck.eq(cost, 0.3, 'ivr cost');
      if (ch === 'phone') ck.ok(cost >= 1.5 && cost <= 5, `phone cost ${cost}`);
      if (ch === 'visit') ck.ok(cost >= 80 && cost <= 200, `visit cost ${cost}`);
      if (ch === 'legal') ck.ok(cost >= 500, `legal cost ${cost}`);
      const cb = contactBy.get(ch) ?? [0, 0];
      cb[0]++;
      if (a.contacted![i]) cb[1]++;
      contactBy.set(ch, cb);
      if (ch === 'phone') {
        const pc = phoneByCollector.get(str(a.collector_id, i)) ?? [0, 0];
        pc[0]++;
        if (a.contacted![i]) pc[1]++;
        phoneByCollector.set(str(a.collector_id, i), pc);
      }
      ck.ok(SAMPLE_DIMENSIONS.collectors.includes(str(a.collector_id, i)), 'collector');
      ck.ok(SAMPLE_DIMENSIONS.teams.includes(str(a.team, i)), 'team');
      if (a.ptp![i]) {
        ptp++;
        ck.ok(a.contacted![i] === true, `ptp without contact ${at}`);
        ck.ok(num(a.ptp_amount, i) > 0, `ptp amount ${at}`);
        ck.ok(str(a.ptp_due_date, i) >= time.slice(0, 10), `ptp due before action ${at}`);
        if (num(a.paid_amount, i) >= num(a.ptp_amount, i)) kept++;
      } else ck.ok(a.ptp_amount![i] === null && a.ptp_due_date![i] === null, `ptp fields without ptp ${at}`);
    }
    ck.done();
    for (const ch of SAMPLE_DIMENSIONS.actionChannels) expect(channelCount.get(ch), ch).toBeGreaterThan(0);
    expect(kept / ptp).toBeGreaterThan(0.4);
    expect(kept / ptp).toBeLessThan(0.8);
    const rate = (ch: string) => contactBy.get(ch)![1] / contactBy.get(ch)![0];
    expect(rate('phone')).toBeGreaterThan(rate('ivr'));
    expect(rate('ivr')).toBeGreaterThan(rate('sms'));
    // Collectors differ
    const rates = [...phoneByCollector.values()].filter(([t]) => t >= 50).map(([t, c]) => c / t);
    expect(rates.length).toBeGreaterThanOrEqual(20);
    expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(0.15);
  });

  it('attribute exactly the delinquent months’ payments to actions', () => {
    // For each loan-month that has actions, the actions' paid amounts add up to the month's payment.
    const ck = new Checker();
    const a = d.collection_actions;
    const paidBy = new Map<string, number>();
    for (let i = 0; i < a.action_id!.length; i++) {
      const key = `${str(a.loan_id, i)}|${str(a.action_time, i).slice(0, 7)}`;
      paidBy.set(key, (paidBy.get(key) ?? 0) + num(a.paid_amount, i));
    }
    const lm = d.loan_months;
    let checked = 0;
    for (let i = 0; i < lm.loan_id!.length; i++) {
      const key = `${str(lm.loan_id, i)}|${str(lm.snapshot_date, i).slice(0, 7)}`;
      const p = paidBy.get(key);
      if (p === undefined) continue;
      ck.ok(Math.abs(p - num(lm.paid_amount, i)) < 0.01, `${key}: actions ${p} vs ${num(lm.paid_amount, i)}`);
      checked++;
    }
    ck.done();
    expect(checked).toBe(paidBy.size);
  });
});

describe('transactions', () => {
  it('cover categories, directions, channels and the last 12 months', () => {
    const ck = new Checker();
    const t = d.transactions;
    const n = t.txn_id!.length;
    const perCustMonth = n / (d.customers.customer_id!.length * 12);
    expect(perCustMonth).toBeGreaterThan(3);
    expect(perCustMonth).toBeLessThan(8);
    expect(new Set(t.category)).toEqual(new Set(SAMPLE_DIMENSIONS.txnCategories));
    expect(new Set(t.channel)).toEqual(new Set(SAMPLE_DIMENSIONS.txnChannels));
    let cross = 0;
    let cash = 0;
    for (let i = 0; i < n; i++) {
      const at = str(t.txn_id, i);
      ck.ok(num(t.amount, i) > 0, `amount ${at}`);
      const time = str(t.txn_time, i);
      ck.ok(time >= '2025-11-01' && time <= '2026-10-31 23:59:59', `time ${at}`);
      const cat = str(t.category, i);
      const wd = isoWeekday(dayOf(time));
      if (cat === '工资' || cat === '奖金') {
        ck.ok(t.direction![i] === 'in' && t.counterparty_type![i] === 'company' && wd < 6, `salary ${at}`);
      }
      if (t.channel![i] === '柜面') ck.ok(wd < 7, `branch on Sunday ${at}`);
      if (t.cross_border![i]) cross++;
      if (t.cash![i]) {
        cash++;
        ck.ok(t.channel![i] === 'ATM' || t.channel![i] === '柜面', `cash channel ${at}`);
      }
      if (t.counterparty_type![i] === 'platform') {
        ck.ok(
          ['支付宝', '财付通', '云闪付', '京东支付'].includes(str(t.counterparty_bank, i)),
          `platform ${at}`,
        );
      }
    }
    ck.done();
    expect(cross / n).toBeGreaterThan(0);
    expect(cross / n).toBeLessThan(0.005);
    expect(cash / n).toBeGreaterThan(0.03);
  });

  it('repay loans with what loan_months says was paid', () => {
    const ck = new Checker();
    const loanCust = new Map<string, string>();
    for (let i = 0; i < d.loans.loan_id!.length; i++)
      loanCust.set(str(d.loans.loan_id, i), str(d.loans.customer_id, i));
    const paid = new Map<string, number>();
    const lm = d.loan_months;
    for (let i = 0; i < lm.loan_id!.length; i++) {
      const s = str(lm.snapshot_date, i);
      if (s < '2025-11' || num(lm.paid_amount, i) === 0) continue;
      const key = `${loanCust.get(str(lm.loan_id, i))}|${s.slice(0, 7)}`;
      paid.set(key, (paid.get(key) ?? 0) + num(lm.paid_amount, i));
    }
    const t = d.transactions;
    let matched = 0;
    for (let i = 0; i < t.txn_id!.length; i++) {
      if (t.category![i] !== '贷款还款') continue;
      const key = `${str(t.customer_id, i)}|${str(t.txn_time, i).slice(0, 7)}`;
      ck.ok(Math.abs((paid.get(key) ?? 0) - num(t.amount, i)) < 0.02, `repayment ${key}`);
      matched++;
    }
    ck.done();
    expect(matched).toBeGreaterThan(0.8 * paid.size);
  });

  it('include rule-tripping large transactions and structuring patterns', () => {
    const t = d.transactions;
    const n = t.txn_id!.length;
    const hits = { cash: 0, individual: 0, cross: 0, company: 0 };
    const near = new Map<string, number[]>(); // customer|rule → times of 90–100 % transactions
    for (let i = 0; i < n; i++) {
      const a = num(t.amount, i);
      const cp = str(t.counterparty_type, i);
      let rule: keyof typeof hits;
      let th: number;
      if (t.cash![i]) [rule, th] = ['cash', 50000];
      else if (t.cross_border![i]) [rule, th] = ['cross', 200000];
      else if (cp === 'individual') [rule, th] = ['individual', 500000];
      else if (cp === 'company') [rule, th] = ['company', 2000000];
      else continue;
      if (a >= th) hits[rule]++;
      else if (a >= 0.9 * th) {
        const key = `${str(t.customer_id, i)}|${rule}`;
        const arr = near.get(key) ?? [];
        arr.push(secOf(str(t.txn_time, i)));
        near.set(key, arr);
      }
    }
    expect(hits.cash).toBeGreaterThan(0);
    expect(hits.individual).toBeGreaterThan(0);
    expect(hits.cross).toBeGreaterThan(0);
    expect(hits.company).toBeGreaterThan(0);
    // "a few": alerts stay a tiny share
    expect(hits.cash + hits.individual + hits.cross + hits.company).toBeLessThan(0.001 * n);
    const structuring = new Set<string>();
    for (const [key, times] of near) {
      times.sort((x, y) => x - y);
      for (let k = 2; k < times.length; k++) if (times[k]! - times[k - 2]! <= 7 * 86400) structuring.add(key);
    }
    expect([...structuring].some((k) => k.endsWith('|cash'))).toBe(true);
    expect(structuring.size).toBeLessThan(10);
  });
});

describe('funnel and campaign spend', () => {
  it('has decreasing stage counts, strict ≤ loose with some difference, and spend per campaign × channel × day', () => {
    const f = d.funnel_events;
    const stages = SAMPLE_DIMENSIONS.funnelStages;
    const byUser = new Map<string, Array<[number, number]>>();
    const loose = stages.map(() => new Set<string>());
    for (let i = 0; i < f.user_id!.length; i++) {
      const s = stages.indexOf(str(f.stage, i));
      loose[s]!.add(str(f.user_id, i));
      const arr = byUser.get(str(f.user_id, i)) ?? [];
      arr.push([s, secOf(str(f.event_time, i))]);
      byUser.set(str(f.user_id, i), arr);
    }
    // Strict: stage k counts when stages 1..k were reached at non-decreasing times (greedy earliest).
    const strict = new Array<number>(stages.length).fill(0);
    for (const evs of byUser.values()) {
      let t = -Infinity;
      for (let s = 0; s < stages.length; s++) {
        let best = Infinity;
        for (const [x, ts] of evs) if (x === s && ts >= t && ts < best) best = ts;
        if (best === Infinity) break;
        t = best;
        strict[s]!++;
      }
    }
    const looseN = loose.map((x) => x.size);
    for (let s = 1; s < stages.length; s++) {
      expect(looseN[s]!).toBeLessThan(looseN[s - 1]!);
      expect(strict[s]!).toBeLessThan(strict[s - 1]!);
      expect(strict[s]!).toBeLessThanOrEqual(looseN[s]!);
    }
    expect(strict.some((x, s) => x < looseN[s]!)).toBe(true);
    const overall = strict[stages.length - 1]! / strict[0]!;
    expect(overall).toBeGreaterThan(0.02);
    expect(overall).toBeLessThan(0.15);
    expect(new Set(f.channel).size).toBe(SAMPLE_DIMENSIONS.funnelChannels.length);
    expect(new Set(f.campaign).size).toBeGreaterThan(3);

    const sp = d.campaign_spend;
    const keys = new Set<string>();
    let total = 0;
    for (let i = 0; i < sp.campaign!.length; i++) {
      keys.add(`${str(sp.campaign, i)}|${str(sp.channel, i)}|${str(sp.date, i)}`);
      total += num(sp.spend, i);
    }
    expect(keys.size).toBe(sp.campaign!.length);
    const cac = total / looseN[stages.length - 1]!;
    expect(cac).toBeGreaterThan(100);
    expect(cac).toBeLessThan(2000);
    // spend covers every day of the funnel period (the last six months)
    expect(new Set(sp.date as string[]).size).toBe(dayOf('2026-10-31') - dayOf('2026-05-01') + 1);
  });
});

describe('ingestion', () => {
  it('converts every column without a cell issue, and keeps wall-clock hours in Asia/Shanghai', () => {
    for (const name of DATASETS) {
      const issues: CellIssue[] = [];
      const types = typesOf(name);
      for (const [col, values] of Object.entries(d[name])) {
        const c = toColumn(col, types[col]!, values, 'Asia/Shanghai', (x) => issues.push(x));
        if (col === 'action_time' && c.kind === 'date') {
          for (let i = 0; i < values.length; i += 97)
            expect(c.hour[i]).toBe(Number((values[i] as string).slice(11, 13)));
        }
      }
      expect(issues.slice(0, 3), name).toEqual([]);
      const ds = datasetFromColumns(name, d[name], types);
      expect(ds.n).toBe(len(d, name));
    }
  });
});

describe('sampleToRows', () => {
  it('zips columns into row objects', () => {
    const rows = sampleToRows(d, 'loans');
    expect(rows).toHaveLength(d.loans.loan_id!.length);
    expect(rows[3]).toEqual(Object.fromEntries(Object.keys(d.loans).map((k) => [k, d.loans[k]![3]])));
  });
});

describe('sampleOptionsForLoanMonths', () => {
  it.each([10_000, 100_000])('gives about %i loan-month rows, within 15 percent', (rows) => {
    // loan_months does not depend on the other datasets' options (own PRNG streams): skip them for speed.
    const opts = sampleOptionsForLoanMonths(rows, 99);
    const s = generateSample({ ...opts, actionsScale: 0, transactionsPerCustomerMonth: 0, funnelUsers: 0 });
    const n = len(s, 'loan_months');
    expect(n).toBeGreaterThan(rows * 0.85);
    expect(n).toBeLessThan(rows * 1.15);
  });

  it('keeps the other datasets proportionate for large sizes', () => {
    const o = sampleOptionsForLoanMonths(1_000_000);
    expect(o.customers).toBeGreaterThan(60000);
    expect(o.transactionsPerCustomerMonth).toBeLessThan(1);
    expect(o.funnelUsers).toBeLessThanOrEqual(100000);
  });
});
