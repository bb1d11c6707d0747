import { describe, expect, it } from 'vitest';
import { repaymentRate } from '../../../src/engine/metrics/repayment-rate.js';
import type { RepaymentRateRow, RepaymentTotal } from '../../../src/engine/metrics/repayment-rate.js';
import { vintage } from '../../../src/engine/metrics/vintage.js';
import type { VintageCohort, VintageRow } from '../../../src/engine/metrics/vintage.js';
import type { LmRow } from './collection-fixtures.js';
import { actions, loanMonths, loans, run } from './collection-fixtures.js';

/**
 * Cohort 2024-01: V1 (principal 1000), V2 (500); cohort 2024-02: V3 (800). Last snapshot 2024-04.
 *   V1: MOB0 1000/0 · MOB1 950/0 · MOB2 940/35 · MOB3 930/0 (cured)
 *   V2: MOB0 500/0 · MOB1 480/40 · MOB2 480/70 · MOB3 closed
 *   V3: MOB0 800/0 · MOB1 790/31 · MOB2 780/61 · (MOB3 right-censored)
 */
const VL: LmRow[] = [
  { loan: 'V1', m: '2024-01', out: 1000, dpd: 0 },
  { loan: 'V1', m: '2024-02', out: 950, dpd: 0 },
  { loan: 'V1', m: '2024-03', out: 940, dpd: 35 },
  { loan: 'V1', m: '2024-04', out: 930, dpd: 0 },
  { loan: 'V2', m: '2024-01', out: 500, dpd: 0 },
  { loan: 'V2', m: '2024-02', out: 480, dpd: 40 },
  { loan: 'V2', m: '2024-03', out: 480, dpd: 70 },
  { loan: 'V2', m: '2024-04', out: 0, dpd: 0, status: 'closed' },
  { loan: 'V3', m: '2024-02', out: 800, dpd: 0 },
  { loan: 'V3', m: '2024-03', out: 790, dpd: 31 },
  { loan: 'V3', m: '2024-04', out: 780, dpd: 61 },
];
const VLOANS = loans([
  { id: 'V1', issue: '2024-01-05', principal: 1000, region: '华东' },
  { id: 'V2', issue: '2024-01-20', principal: 500, region: '华南' },
  { id: 'V3', issue: '2024-02-29', principal: 800, region: '华东' },
]);

function grid(r: { data: VintageRow[] }): Record<string, Array<number | null>> {
  const g: Record<string, Array<number | null>> = {};
  for (const d of r.data) (g[d.cohort] ??= [])[d.mob] = d.rate;
  return g;
}

describe('vintage', () => {
  it('current, amount, d = 30 (default), right-censored cells null', () => {
    const r = run<VintageRow>(vintage, [loanMonths(VL), VLOANS]);
    const g = grid(r);
    expect(g['2024-01']![0]).toBe(0);
    expect(g['2024-01']![1]).toBeCloseTo(480 / 1500, 10);
    expect(g['2024-01']![2]).toBeCloseTo((940 + 480) / 1500, 10);
    expect(g['2024-01']![3]).toBe(0); // V1 cured, V2 closed
    expect(g['2024-02']).toEqual(
      [0, 790 / 800, 780 / 800, null].map((x) => (x === null ? null : Math.round(x * 1e10) / 1e10)),
    );
    const censored = r.data.find((d) => d.cohort === '2024-02' && d.mob === 3)!;
    expect(censored).toMatchObject({ month: '2024-05', numerator: null, rate: null, denominator: 800 });
    expect(r.meta!.cohorts as VintageCohort[]).toEqual([
      { cohort: '2024-01', loans: 2, principal: 1500, observedMob: 3, firstObservedMob: 0 },
      { cohort: '2024-02', loans: 1, principal: 800, observedMob: 2, firstObservedMob: 0 },
    ]);
    expect(r.basis.variant).toBe('current');
    expect(r.basis.options).toMatchObject({ d: 30, measure: 'amount', variant: 'current' });
  });
  it('denominators from loans: a loan without any monthly row stays issued (no_snapshots)', () => {
    // V4 (principal 500, cohort 2024-01) is in loans but has no loan_months row at all.
    const withV4 = loans([
      { id: 'V1', issue: '2024-01-05', principal: 1000, region: '华东' },
      { id: 'V2', issue: '2024-01-20', principal: 500, region: '华南' },
      { id: 'V3', issue: '2024-02-29', principal: 800, region: '华东' },
      { id: 'V4', issue: '2024-01-25', principal: 500, region: '华南' },
    ]);
    const r = run<VintageRow>(vintage, [loanMonths(VL), withV4]);
    const g = grid(r);
    expect(g['2024-01']![1]).toBeCloseTo(480 / 2000, 10); // was 480 / 1500 without V4
    expect(g['2024-02']![1]).toBeCloseTo(790 / 800, 10);
    expect((r.meta!.cohorts as VintageCohort[])[0]).toMatchObject({ cohort: '2024-01', loans: 2 + 1, principal: 2000 });
    expect(r.quality.excluded.no_snapshots).toBe(1);
    expect(r.quality.warnings).toHaveLength(1);
    expect(r.basis.notes!.some((n) => /1 loans without any monthly snapshot/.test(n['en-US']))).toBe(true);
    // count basis likewise: 1 of 3 issued loans bad at MOB 1
    const c = run<VintageRow>(vintage, [loanMonths(VL), withV4], { measure: 'count' });
    expect(grid(c)['2024-01']![1]).toBeCloseTo(1 / 3, 10);
    // a filter on loans applies to the issued loans too: 华东 only → V1 (1000) in 2024-01
    const east = run<VintageRow>(vintage, [loanMonths(VL), withV4], {}, [{ field: 'region', op: 'eq', value: '华东' }]);
    expect(east.quality.excluded.no_snapshots).toBeUndefined();
    expect((east.meta!.cohorts as VintageCohort[])[0]).toMatchObject({ cohort: '2024-01', principal: 1000 });
  });

  it('ever variant is cumulative on principal', () => {
    const g = grid(run<VintageRow>(vintage, [loanMonths(VL), VLOANS], { variant: 'ever' }));
    expect(g['2024-01']).toEqual([0, 500 / 1500, 1, 1].map((x) => Math.round(x * 1e10) / 1e10));
    expect(g['2024-02']).toEqual([0, 1, 1, null]);
  });
  it('count basis, current and ever', () => {
    const c = grid(run<VintageRow>(vintage, [loanMonths(VL), VLOANS], { measure: 'count' }));
    expect(c['2024-01']).toEqual([0, 0.5, 1, 0]);
    const e = grid(run<VintageRow>(vintage, [loanMonths(VL), VLOANS], { measure: 'count', variant: 'ever' }));
    expect(e['2024-01']).toEqual([0, 0.5, 1, 1]);
  });
  it('threshold d is strict: dpd > d', () => {
    const g = grid(run<VintageRow>(vintage, [loanMonths(VL), VLOANS], { d: 60 }));
    expect(g['2024-01']![2]).toBeCloseTo(480 / 1500, 10); // only V2 at 70
    expect(g['2024-02']![2]).toBeCloseTo(780 / 800, 10); // 61 > 60
    const g61 = grid(run<VintageRow>(vintage, [loanMonths(VL), VLOANS], { d: 61 }));
    expect(g61['2024-02']![2]).toBe(0);
  });
  it('cells before the first snapshot of the selection are null (left-truncated)', () => {
    // only March and April snapshots: cohort 2024-01 MOB 0–1 and cohort 2024-02 MOB 0 are unobserved
    const g = grid(run<VintageRow>(vintage, [loanMonths(VL.filter((r) => r.m! >= '2024-03')), VLOANS]));
    expect(g['2024-01']![0]).toBeNull();
    expect(g['2024-01']![1]).toBeNull();
    expect(g['2024-01']![2]).toBeCloseTo((940 + 480) / 1500, 10);
    expect(g['2024-02']).toEqual(
      [null, 790 / 800, 780 / 800, null].map((x) => (x === null ? null : Math.round(x * 1e10) / 1e10)),
    );
  });
  it('maxMob caps the columns', () => {
    const r = run<VintageRow>(vintage, [loanMonths(VL), VLOANS], { maxMob: 1 });
    expect(Math.max(...r.data.map((d) => d.mob))).toBe(1);
    expect(r.meta!.mobs).toBe(2);
  });
  it('filter by region through the loans join', () => {
    const r = run<VintageRow>(vintage, [loanMonths(VL), VLOANS], {}, [
      { field: 'region', op: 'eq', value: '华东' },
    ]);
    const g = grid(r);
    expect(g['2024-01']).toEqual([0, 0, 0.94, 0]); // V1 alone: 940 / 1000
  });
  it('unknown loans and missing principal are excluded and counted', () => {
    const r = run<VintageRow>(vintage, [
      loanMonths([
        ...VL,
        { loan: 'ZZ', m: '2024-03', out: 10, dpd: 90 },
        { loan: 'V4', m: '2024-01', out: 70, dpd: 90 },
      ]),
      loans([
        { id: 'V1', issue: '2024-01-05', principal: 1000 },
        { id: 'V2', issue: '2024-01-20', principal: 500 },
        { id: 'V3', issue: '2024-02-29', principal: 800 },
        { id: 'V4', issue: '2024-01-02', principal: null },
      ]),
    ]);
    expect(r.quality.excluded.unknown_loan).toBe(1);
    expect(r.quality.excluded.missing_principal).toBe(1);
    expect(grid(r)['2024-01']![0]).toBe(0); // V4 (dpd 90) left out of the amount basis
    const c = run<VintageRow>(
      vintage,
      [
        loanMonths([...VL, { loan: 'V4', m: '2024-01', out: 70, dpd: 90 }]),
        loans([
          { id: 'V1', issue: '2024-01-05', principal: 1000 },
          { id: 'V2', issue: '2024-01-20', principal: 500 },
          { id: 'V3', issue: '2024-02-29', principal: 800 },
          { id: 'V4', issue: '2024-01-02', principal: null },
        ]),
      ],
      { measure: 'count' },
    );
    expect(grid(c)['2024-01']![0]).toBeCloseTo(1 / 3, 10); // in the count basis V4 counts
  });
  it('zero principal cohort gives null, never NaN; empty and one-row inputs', () => {
    const r = run<VintageRow>(vintage, [
      loanMonths([{ loan: 'Z', m: '2024-01', out: 0, dpd: 50 }]),
      loans([{ id: 'Z', issue: '2024-01-01', principal: 0 }]),
    ]);
    expect(r.data).toEqual([
      { cohort: '2024-01', mob: 0, month: '2024-01', numerator: 0, denominator: 0, rate: null },
    ]);
    const e = run(vintage, [loanMonths([]), VLOANS]);
    expect(e.data).toEqual([]);
    expect(e.empty).toBeDefined();
  });
});

describe('repayment_rate', () => {
  const lm = loanMonths([
    { loan: 'a', m: '2024-01', out: 1000, dpd: 0, due: 100, paid: 100 },
    { loan: 'b', m: '2024-01', out: 400, dpd: 10, due: 50, paid: 0 },
    { loan: 'c', m: '2024-01', out: 300, dpd: 0, due: 40, paid: 40 },
    { loan: 'a', m: '2024-02', out: 900, dpd: 0, due: 100, paid: 100 },
    { loan: 'b', m: '2024-02', out: 380, dpd: 40, due: 90, paid: 30 },
    { loan: 'c', m: '2024-02', out: 270, dpd: 20, due: 40, paid: 0 },
    { loan: 'd', m: '2024-02', out: 500, dpd: 0, due: null, paid: 0 },
    { loan: 'b', m: '2024-03', out: 360, dpd: 0, due: 130, paid: 130 },
    { loan: 'c', m: '2024-03', out: 270, dpd: 50, due: 80, paid: 10 },
  ]);
  it('series per month and total', () => {
    const r = run<RepaymentRateRow>(repaymentRate, [lm]);
    expect(r.data.map((d) => [d.month, d.paid, d.due])).toEqual([
      ['2024-01', 140, 190],
      ['2024-02', 130, 230],
      ['2024-03', 140, 210],
    ]);
    expect(r.data[1]!.rate).toBeCloseTo(130 / 230, 10);
    expect(r.meta!.total).toEqual({
      paid: 410,
      due: 630,
      rate: Math.round((410 / 630) * 1e10) / 1e10,
      loans: 8,
    });
    expect(r.quality.excluded.missing_due_amount).toBe(1);
  });
  it('overdueOnly: loans in M1+ at the previous month end', () => {
    const r = run<RepaymentRateRow>(repaymentRate, [lm], { overdueOnly: true });
    // Feb: b (M1 in Jan); Mar: b (M2 in Feb), c (M1 in Feb)
    expect(r.data.map((d) => [d.month, d.paid, d.due, d.loans])).toEqual([
      ['2024-02', 30, 90, 1],
      ['2024-03', 140, 210, 2],
    ]);
    expect((r.meta!.total as RepaymentTotal).rate).toBeCloseTo(170 / 300, 10);
    expect(r.basis.variant).toBe('overdue');
  });
  it('zero due gives a null rate', () => {
    const r = run<RepaymentRateRow>(repaymentRate, [
      loanMonths([{ loan: 'a', m: '2024-01', out: 1, dpd: 0, due: 0, paid: 0 }]),
    ]);
    expect(r.data[0]!.rate).toBeNull();
    expect((r.meta!.total as RepaymentTotal).rate).toBeNull();
  });
  it('on collection_actions: Σ paid of the actions / Σ due of the loans worked, per collector', () => {
    const acts = actions([
      { case: 'C1', loan: 'b', collector: 'X', time: '2024-02-10 10:00', channel: 'phone', paid: 20 },
      { case: 'C2', loan: 'c', collector: 'Y', time: '2024-02-11 10:00', channel: 'phone', paid: 30 },
      { case: 'C2', loan: 'c', collector: 'Y', time: '2024-02-12 10:00', channel: 'sms', paid: 10 },
      { case: 'C1', loan: 'b', collector: 'Y', time: '2024-02-13 10:00', channel: 'visit', paid: 0 },
      { case: 'C9', loan: 'zz', collector: 'Y', time: '2024-02-13 10:00', channel: 'visit', paid: 5 },
    ]);
    const ra = run<RepaymentRateRow>(
      repaymentRate,
      [lm, acts],
      { by: 'collector_id' },
      [],
      'collection_actions',
    );
    const by = Object.fromEntries(ra.data.map((d) => [String(d.group), d]));
    expect(by.X).toMatchObject({ month: '2024-02', paid: 20, due: 90, loans: 1 });
    expect(by.Y).toMatchObject({ paid: 40, due: 90 + 40, loans: 2 });
    expect(ra.meta!.total as RepaymentTotal).toEqual({
      paid: 60,
      due: 130,
      rate: Math.round((60 / 130) * 1e10) / 1e10,
      loans: 2,
    });
    expect(ra.quality.excluded.unknown_loan).toBe(1);
  });
});
