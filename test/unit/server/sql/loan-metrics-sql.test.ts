/**
 * The loan-level metrics compiled to SQL on hand-computed books (DuckDB): the cases the seeded
 * sample may not hold — issued loans without any monthly row (`vintage` denominators from `loans`,
 * `no_snapshots`), a filter `loans` cannot apply, missing principal and issue dates — with the
 * figures worked out by hand and memory giving the identical answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInput } from '../../../../src/data/ingest.js';
import type { QueryRequest } from '../../../../src/engine/types.js';
import type { Backend } from '../../../../src/server/backend.js';
import { duckdbBackend } from '../../../../src/server/duckdb.js';
import { memoryBackend } from '../../../../src/server/memory.js';
import { compareOutcomes, outcome } from './compare.js';

const monthEnd = (m: string): string => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
};

/**
 * Cohort 2024-01: V1 (1000), V2 (500), V4 (500, no monthly row); cohort 2024-02: V3 (800);
 * V5 (cohort 2023-11, no monthly row: before every selected cohort, counted in no_snapshots
 * only); V6 has a monthly row but is not in loans (unknown_loan). Last snapshot 2024-04. (Rows
 * the load rejects — a missing loan_id or principal — never reach a metric.)
 */
const LM = [
  ['V1', '2024-01', 1000, 0, 'active'],
  ['V1', '2024-02', 950, 0, 'active'],
  ['V1', '2024-03', 940, 35, 'active'],
  ['V1', '2024-04', 930, 0, 'active'],
  ['V2', '2024-01', 500, 0, 'active'],
  ['V2', '2024-02', 480, 40, 'active'],
  ['V2', '2024-03', 480, 70, 'active'],
  ['V2', '2024-04', 0, 0, 'closed'],
  ['V3', '2024-02', 800, 0, 'active'],
  ['V3', '2024-03', 790, 31, 'active'],
  ['V3', '2024-04', 780, 61, 'active'],
  ['V6', '2024-02', 300, 45, 'active'],
] as const;
const LOANS = [
  ['V1', '2024-01-05', 1000, '华东'],
  ['V2', '2024-01-20', 500, '华南'],
  ['V3', '2024-02-29', 800, '华东'],
  ['V4', '2024-01-25', 500, '华南'],
  ['V5', '2023-11-02', 700, '华南'],
] as const;

const loanMonths = {
  loan_id: LM.map((r) => r[0]),
  snapshot_date: LM.map((r) => monthEnd(r[1])),
  outstanding: LM.map((r) => r[2]),
  dpd: LM.map((r) => r[3]),
  status: LM.map((r) => r[4]),
};
const loans = {
  loan_id: LOANS.map((r) => r[0]),
  issue_date: LOANS.map((r) => r[1]),
  principal: LOANS.map((r) => r[2]),
  region: LOANS.map((r) => r[3]),
};

describe('loan-level metrics on SQL: hand-computed books', () => {
  let mem: Backend;
  let duck: Backend;
  beforeAll(async () => {
    mem = memoryBackend();
    duck = await duckdbBackend();
    for (const b of [mem, duck]) {
      await b.load('loans', loans as unknown as IngestInput);
      await b.load('loan_months', loanMonths as unknown as IngestInput);
    }
  }, 60_000);
  afterAll(async () => {
    await duck?.close();
  });

  /** The DuckDB answer, after checking memory gives the identical one. */
  async function both(req: QueryRequest): Promise<Record<string, unknown>> {
    const m = await outcome(mem, req);
    const s = await outcome(duck, req);
    expect(compareOutcomes(m, s), JSON.stringify(req)).toBeNull();
    expect(s.ok, JSON.stringify(s)).toBe(true);
    return (s as { value: Record<string, unknown> }).value;
  }
  const cell = (r: Record<string, unknown>, cohort: string, mob: number): unknown =>
    (r['data'] as Array<{ cohort: string; mob: number; rate: unknown }>).find(
      (d) => d.cohort === cohort && d.mob === mob,
    )?.rate;

  it('vintage: cohort denominators from loans, issued loans without rows in no_snapshots', async () => {
    const r = await both({ metric: 'vintage' });
    // 2024-01: issued 1000 + 500 + 500 (V4, no rows); MOB 1 bad: V2 480 (dpd 40 > 30).
    expect(cell(r, '2024-01', 1)).toBeCloseTo(480 / 2000, 10);
    expect(cell(r, '2024-01', 2)).toBeCloseTo((940 + 480) / 2000, 10);
    // 2024-02: V3 (800); MOB 2 bad: V3 780.
    expect(cell(r, '2024-02', 2)).toBeCloseTo(780 / 800, 10);
    expect(cell(r, '2024-02', 3)).toBeNull(); // right-censored
    const q = r['quality'] as { excluded: Record<string, number>; rows: number; used: number };
    // V4 and V5 have no monthly row (V5's cohort is outside the triangle: counted, not added).
    expect(q.excluded['no_snapshots']).toBe(2);
    expect(q.excluded['unknown_loan']).toBe(1);
    expect(q.rows).toBe(12);
    expect(q.used).toBe(11);
    const cohorts = (r['meta'] as { cohorts: unknown[] }).cohorts;
    expect(cohorts[0]).toMatchObject({ cohort: '2024-01', loans: 3, principal: 2000, observedMob: 3 });
    expect(cohorts[1]).toMatchObject({ cohort: '2024-02', loans: 1, principal: 800, observedMob: 2 });
  });

  it('vintage ever / count: first bad MOB carried forward over loans issued', async () => {
    const r = await both({ metric: 'vintage', params: { variant: 'ever', measure: 'count' } });
    // 2024-01 (3 issued): V2 bad from MOB 1, V1 from MOB 2.
    expect([0, 1, 2, 3].map((k) => cell(r, '2024-01', k))).toEqual([
      0, 0.3333333333, 0.6666666667, 0.6666666667,
    ]);
    // 2024-02 (V3 issued): bad from MOB 1 (dpd 31).
    expect([0, 1, 2, 3].map((k) => cell(r, '2024-02', k))).toEqual([0, 1, 1, null]);
  });

  it('vintage: a filter loans cannot apply leaves the denominators to the selection', async () => {
    const r = await both({
      metric: 'vintage',
      filters: [{ field: 'snapshot_date', op: 'range', value: ['2024-02', null] }],
    });
    const q = r['quality'] as { excluded: Record<string, number> };
    expect(q.excluded['no_snapshots']).toBeUndefined();
    expect(cell(r, '2024-01', 0)).toBeNull(); // before the first selected snapshot
    expect(cell(r, '2024-01', 1)).toBeCloseTo(480 / 1500, 10);
    // A filter on loans: the issued loans of 华南 only (V2, V4; V5 outside the triangle).
    const south = await both({ metric: 'vintage', filters: [{ field: 'region', op: 'eq', value: '华南' }] });
    expect(cell(south, '2024-01', 1)).toBeCloseTo(480 / 1000, 10);
    expect((south['quality'] as { excluded: Record<string, number> }).excluded['no_snapshots']).toBe(2);
  });
});

/**
 * A loan_months book carrying its own issue_date and principal, which drift within a loan: W1's
 * first row (row index) says issued 2024-01 with 1000, its second row says 2024-02 with 2000. The
 * cohort and principal are the first row's, for every row of the loan: W1's 2024-01 snapshot is
 * MOB 0 of cohort 2024-01, not a snapshot before its own row's issue month.
 */
describe('vintage on SQL: cohort columns of the source itself, drifting within a loan', () => {
  const own = {
    loan_id: ['W1', 'W1', 'W2', 'W2'],
    snapshot_date: ['2024-02-29', '2024-01-31', '2024-02-29', '2024-03-31'],
    outstanding: [900, 1000, 500, 450],
    dpd: [40, 0, 0, 35],
    status: ['active', 'active', 'active', 'active'],
    issue_date: ['2024-01-10', '2024-02-10', '2024-02-03', '2024-02-03'],
    principal: [1000, 2000, 500, 500],
  };
  let mem: Backend;
  let duck: Backend;
  beforeAll(async () => {
    mem = memoryBackend();
    duck = await duckdbBackend();
    for (const b of [mem, duck]) await b.load('loan_months', own as unknown as IngestInput);
  }, 60_000);
  afterAll(async () => {
    await duck?.close();
  });

  it('every row of a loan takes the first row’s cohort and principal', async () => {
    for (const params of [{}, { variant: 'ever', measure: 'count' }]) {
      const req: QueryRequest = { metric: 'vintage', params };
      const m = await outcome(mem, req);
      const s = await outcome(duck, req);
      expect(compareOutcomes(m, s), JSON.stringify(req)).toBeNull();
      expect(s.ok, JSON.stringify(s)).toBe(true);
    }
    const r = (await outcome(duck, { metric: 'vintage' })) as { value: Record<string, unknown> };
    const rate = (cohort: string, mob: number): unknown =>
      (r.value['data'] as Array<{ cohort: string; mob: number; rate: unknown }>).find(
        (d) => d.cohort === cohort && d.mob === mob,
      )?.rate;
    expect(rate('2024-01', 0)).toBe(0); // W1's 2024-01 row: MOB 0 of its first row's cohort
    expect(rate('2024-01', 1)).toBeCloseTo(900 / 1000, 10);
    expect(rate('2024-02', 1)).toBeCloseTo(450 / 500, 10);
    const q = r.value['quality'] as { excluded: Record<string, number>; used: number };
    expect(q.excluded['snapshot_before_issue']).toBeUndefined();
    expect(q.used).toBe(4);
    const cohorts = (r.value['meta'] as { cohorts: unknown[] }).cohorts;
    expect(cohorts[0]).toMatchObject({ cohort: '2024-01', loans: 1, principal: 1000 });
  });
});

/**
 * Repayment: L1 (Jan due 200 paid 200 dpd 40; Feb due 300 paid 100), L2 (Feb due 400 paid 0).
 * Actions: A1 L1 Feb C1 paid 100 · A2 L1 Feb C2 paid 50 · A3 L2 Feb C1 no paid · A4 L9 (in no
 * loan_months row) · A5 L2 May (no May row: missing due).
 */
describe('repayment_rate on SQL: hand-computed book', () => {
  let mem: Backend;
  let duck: Backend;
  beforeAll(async () => {
    mem = memoryBackend();
    duck = await duckdbBackend();
    const lm = {
      loan_id: ['L1', 'L1', 'L2'],
      snapshot_date: ['2024-01-31', '2024-02-29', '2024-02-29'],
      outstanding: [1000, 900, 800],
      dpd: [40, 0, 0],
      due_amount: [200, 300, 400],
      paid_amount: [200, 100, 0],
    };
    const acts = {
      action_id: ['A1', 'A2', 'A3', 'A4', 'A5'],
      loan_id: ['L1', 'L1', 'L2', 'L9', 'L2'],
      collector_id: ['C1', 'C2', 'C1', 'C1', 'C2'],
      action_time: ['2024-02-10', '2024-02-15', '2024-02-20', '2024-02-11', '2024-05-02'],
      channel: ['phone', 'sms', 'phone', 'visit', 'phone'],
      paid_amount: [100, 50, null, 10, 5],
      contacted: [true, false, null, true, false],
      ptp: [true, true, false, null, false],
      cost: [2, 1, null, 10, 3],
    };
    for (const b of [mem, duck]) {
      await b.load('loan_months', lm as unknown as IngestInput);
      await b.load('collection_actions', acts as unknown as IngestInput);
    }
  }, 60_000);
  afterAll(async () => {
    await duck?.close();
  });

  async function both(req: QueryRequest): Promise<Record<string, unknown>> {
    const m = await outcome(mem, req);
    const s = await outcome(duck, req);
    expect(compareOutcomes(m, s), JSON.stringify(req)).toBeNull();
    expect(s.ok, JSON.stringify(s)).toBe(true);
    return (s as { value: Record<string, unknown> }).value;
  }

  it('on collection_actions by collector: due once per loan in each row, once per loan-month in the total', async () => {
    const r = await both({
      metric: 'repayment_rate',
      source: 'collection_actions',
      params: { by: 'collector_id' },
    });
    expect(r['data']).toEqual([
      { month: '2024-02', group: 'C1', paid: 100, due: 700, rate: 0.1428571429, loans: 2 },
      { month: '2024-02', group: 'C2', paid: 50, due: 300, rate: 0.1666666667, loans: 1 },
    ]);
    expect((r['meta'] as { total: unknown }).total).toEqual({
      paid: 150,
      due: 700,
      rate: 0.2142857143,
      loans: 2,
    });
    expect(r['quality']).toMatchObject({
      rows: 5,
      used: 3,
      excluded: { unknown_loan: 1, missing_due_amount: 1, missing_paid_amount: 1 },
    });
  });

  it('on loan_months, overdueOnly: the loan overdue at the previous month end only', async () => {
    const r = await both({ metric: 'repayment_rate', params: { overdueOnly: true } });
    expect(r['data']).toEqual([{ month: '2024-02', paid: 100, due: 300, rate: 0.3333333333, loans: 1 }]);
    expect(r['quality']).toMatchObject({ rows: 3, used: 1, excluded: { not_overdue: 2 } });
    const all = await both({ metric: 'repayment_rate' });
    expect((all['meta'] as { total: unknown }).total).toEqual({
      paid: 300,
      due: 900,
      rate: 0.3333333333,
      loans: 3,
    });
  });

  it('channel_effectiveness: per channel in the fixed order, a PTP implies contact, missing amounts add 0', async () => {
    const r = await both({ metric: 'channel_effectiveness' });
    expect(r['data']).toEqual([
      {
        channel: 'phone',
        actions: 3,
        contacted: 1,
        contactRate: 0.3333333333,
        ptps: 1,
        ptpRate: 1,
        recovered: 105,
        cost: 5,
        costPer100: 4.7619047619,
      },
      {
        channel: 'sms',
        actions: 1,
        contacted: 1,
        contactRate: 1,
        ptps: 1,
        ptpRate: 1,
        recovered: 50,
        cost: 1,
        costPer100: 2,
      },
      {
        channel: 'visit',
        actions: 1,
        contacted: 1,
        contactRate: 1,
        ptps: 0,
        ptpRate: 0,
        recovered: 10,
        cost: 10,
        costPer100: 100,
      },
    ]);
    expect(r['quality']).toMatchObject({
      rows: 5,
      used: 5,
      excluded: { missing_paid_amount: 1, missing_cost: 1 },
    });
    expect((r['quality'] as { warnings: unknown[] }).warnings).toHaveLength(1);
  });
});

describe('repayment_rate overdueOnly with two snapshots of a loan in one month', () => {
  it('the previous month is read from its lowest row index; the other row counts as a duplicate', async () => {
    const mem = memoryBackend();
    const duck = await duckdbBackend();
    try {
      // Row 0: L1 2024-01-31 dpd 40; row 1: L1 2024-01-10 dpd 0 (a second January snapshot); row 2: February.
      const lm = {
        loan_id: ['L1', 'L1', 'L1'],
        snapshot_date: ['2024-01-31', '2024-01-10', '2024-02-29'],
        outstanding: [1000, 1000, 900],
        dpd: [40, 0, 0],
        due_amount: [200, 200, 300],
        paid_amount: [0, 0, 100],
      };
      for (const b of [mem, duck]) await b.load('loan_months', lm as unknown as IngestInput);
      const req: QueryRequest = { metric: 'repayment_rate', params: { overdueOnly: true } };
      const m = await outcome(mem, req);
      const s = await outcome(duck, req);
      expect(compareOutcomes(m, s)).toBeNull();
      const v = (s as { value: Record<string, unknown> }).value;
      expect(v['data']).toEqual([{ month: '2024-02', paid: 100, due: 300, rate: 0.3333333333, loans: 1 }]);
      expect(v['quality']).toMatchObject({
        rows: 3,
        used: 1,
        excluded: { not_overdue: 2, duplicate_loan_month: 1 },
      });
    } finally {
      await duck.close();
    }
  }, 60_000);
});
