import { describe, expect, it } from 'vitest';
import { FinError } from '../../../src/engine/errors.js';
import { cureRate } from '../../../src/engine/metrics/cure-rate.js';
import type { CureRateRow } from '../../../src/engine/metrics/cure-rate.js';
import { entryRate } from '../../../src/engine/metrics/entry-rate.js';
import type { EntryRateRow } from '../../../src/engine/metrics/entry-rate.js';
import { flowRate } from '../../../src/engine/metrics/flow-rate.js';
import type { FlowRateRow } from '../../../src/engine/metrics/flow-rate.js';
import { rollRate } from '../../../src/engine/metrics/roll-rate.js';
import type { RollRateRow, RollRateTotal } from '../../../src/engine/metrics/roll-rate.js';
import type { LmRow } from './collection-fixtures.js';
import { loanMonths, loans, run } from './collection-fixtures.js';

/**
 * One loan per bucket in January, rolled in February (dpd → bucket):
 *   a M0 1000 → M0 900 · b M1 400 → M2 380 · c M2 300 → M3 300 · d M3 200 → M4 150
 *   e M4 100 → M5 100 · f M5 100 → M6 80 · g M6 50 → M7+ 50 · h M7+ 70 → M7+ 70 (stock)
 *   i new in February: M1 250
 * plus for the roll-rate / entry-rate columns:
 *   j M0 500 → closed · k M1 200 → no February row · l M0 300 → written_off · m M0 100 → M1 (dpd 20)
 *   n M0 60 → M0, due_amount missing
 */
const F: LmRow[] = [
  { loan: 'a', m: '2024-01', out: 1000, dpd: 0 },
  { loan: 'b', m: '2024-01', out: 400, dpd: 10 },
  { loan: 'c', m: '2024-01', out: 300, dpd: 40 },
  { loan: 'd', m: '2024-01', out: 200, dpd: 70 },
  { loan: 'e', m: '2024-01', out: 100, dpd: 100 },
  { loan: 'f', m: '2024-01', out: 100, dpd: 130 },
  { loan: 'g', m: '2024-01', out: 50, dpd: 160 },
  { loan: 'h', m: '2024-01', out: 70, dpd: 200 },
  { loan: 'a', m: '2024-02', out: 900, dpd: 0, due: 100, paid: 100 },
  { loan: 'b', m: '2024-02', out: 380, dpd: 40, due: 40, paid: 20 },
  { loan: 'c', m: '2024-02', out: 300, dpd: 70, due: 30, paid: 0 },
  { loan: 'd', m: '2024-02', out: 150, dpd: 100, due: 50, paid: 50 },
  { loan: 'e', m: '2024-02', out: 100, dpd: 130, due: 10, paid: 0 },
  { loan: 'f', m: '2024-02', out: 80, dpd: 160, due: 20, paid: 20 },
  { loan: 'g', m: '2024-02', out: 50, dpd: 190, due: 5, paid: 0 },
  { loan: 'h', m: '2024-02', out: 70, dpd: 230, due: 7, paid: 0 },
  { loan: 'i', m: '2024-02', out: 250, dpd: 10, due: 25, paid: 0 },
];
const EXTRA: LmRow[] = [
  { loan: 'j', m: '2024-01', out: 500, dpd: 0 },
  { loan: 'j', m: '2024-02', out: 0, dpd: 0, status: 'closed', due: 500, paid: 500 },
  { loan: 'k', m: '2024-01', out: 200, dpd: 15 },
  { loan: 'l', m: '2024-01', out: 300, dpd: 0 },
  { loan: 'l', m: '2024-02', out: 300, dpd: 40, status: 'written_off', due: 0 },
  { loan: 'm', m: '2024-01', out: 100, dpd: 0 },
  { loan: 'm', m: '2024-02', out: 100, dpd: 20, due: 50, paid: 0 },
  { loan: 'n', m: '2024-01', out: 60, dpd: 0 },
  { loan: 'n', m: '2024-02', out: 60, dpd: 0, due: null },
];

describe('flow_rate', () => {
  const flows = (r: { data: FlowRateRow[] }, month = '2024-02') =>
    Object.fromEntries(r.data.filter((d) => d.month === month).map((d) => [d.transition, d]));
  it('flags flows over fewer than minLoans loans at t − 1 (default 30) as small, and says so in the basis', () => {
    const r = run<FlowRateRow>(flowRate, [loanMonths(F)]);
    const f = flows(r);
    // One loan per bucket in January: every flow's base is 1 loan, under 30.
    expect(f['M0→M1']).toMatchObject({ fromLoans: 1, small: true });
    expect(f['M3→M4']).toMatchObject({ fromLoans: 1, small: true });
    expect(f['M0→M7+']).toMatchObject({ fromLoans: null, small: false });
    expect(r.basis.options).toMatchObject({ minLoans: 30 });
    expect(r.meta).toMatchObject({ minLoans: 30, smallFlows: 7 });
    expect(r.basis.notes!.some((n) => n['zh-CN'].includes('不足 30 笔') && n['en-US'].includes('fewer than 30 loans'))).toBe(true);
    // minLoans: 1 reads them all; the rates themselves never change.
    const all = flows(run<FlowRateRow>(flowRate, [loanMonths(F)], { minLoans: 1 }));
    expect(Object.values(all).filter((x) => x.small)).toEqual([]);
    expect(all['M3→M4']!.rate).toBe(f['M3→M4']!.rate);
    // M0 in January holds a, j, l, m, n: 5 loans.
    expect(flows(run<FlowRateRow>(flowRate, [loanMonths([...F, ...EXTRA])], { minLoans: 5 }))['M0→M1']).toMatchObject({ fromLoans: 5, small: false });
  });

  it('amount flows, chained loss and performance', () => {
    const r = run<FlowRateRow>(flowRate, [loanMonths(F)]);
    const f = flows(r);
    expect(r.meta!.months).toEqual(['2024-02']); // the first month has no prior month
    expect(f['M0→M1']!.rate).toBeCloseTo(250 / 1000, 10); // i is new in M1; last month's M0 = a
    expect(f['M0→M1']!.performance).toBeCloseTo(1 - 250 / 1000, 10);
    expect(f['M1→M2']!.rate).toBeCloseTo(380 / 400, 10);
    expect(f['M2→M3']!.rate).toBe(1);
    expect(f['M3→M4']!).toMatchObject({ numerator: 150, denominator: 200, rate: 0.75 });
    expect(f['M4→M5']!.rate).toBe(1);
    expect(f['M5→M6']!.rate).toBeCloseTo(80 / 100, 10);
    // flow into the open last bucket counts arrivals only: g (50), not h's 70 stock
    expect(f['M6→M7+']!).toMatchObject({ numerator: 50, denominator: 50, rate: 1 });
    const chain = f['M0→M7+']!;
    expect(chain.kind).toBe('chained');
    expect(chain.rate).toBeCloseTo(0.25 * 0.95 * 1 * 0.75 * 1 * 0.8 * 1, 10);
    expect(r.meta!.transitions).toHaveLength(7);
  });
  it('lastBucket: stock takes the whole M7+', () => {
    const f = flows(run<FlowRateRow>(flowRate, [loanMonths(F)], { lastBucket: 'stock' }));
    expect(f['M6→M7+']!.rate).toBeCloseTo((50 + 70) / 50, 10);
  });
  it('count measure', () => {
    const f = flows(run<FlowRateRow>(flowRate, [loanMonths(F)], { measure: 'count' }));
    expect(f['M0→M1']!.rate).toBe(1); // 1 loan (i) in M1 / 1 loan (a) in M0
    expect(f['M3→M4']!.rate).toBe(1);
  });
  it('zero denominator → null rate and null chain', () => {
    const r = run<FlowRateRow>(flowRate, [
      loanMonths([
        { loan: 'a', m: '2024-01', out: 100, dpd: 0 },
        { loan: 'a', m: '2024-02', out: 100, dpd: 10 },
      ]),
    ]);
    const f = flows(r);
    expect(f['M0→M1']!.rate).toBe(1);
    expect(f['M1→M2']!.rate).toBeNull();
    expect(f['M1→M2']!.performance).toBeNull();
    expect(f['M0→M7+']!.rate).toBeNull();
  });
  it('a gap month gives null denominators; one month gives an empty result', () => {
    const r = run<FlowRateRow>(flowRate, [
      loanMonths([
        { loan: 'a', m: '2024-01', out: 100, dpd: 0 },
        { loan: 'a', m: '2024-03', out: 100, dpd: 0 },
      ]),
    ]);
    expect(r.meta!.months).toEqual(['2024-03']);
    expect(r.data[0]).toMatchObject({ denominator: null, rate: null });
    const one = run(flowRate, [loanMonths([{ loan: 'a', m: '2024-01', out: 100, dpd: 0 }])]);
    expect(one.data).toEqual([]);
    expect(one.empty!['en-US']).toMatch(/two/);
  });
});

describe('roll_rate', () => {
  const lm = loanMonths([...F, ...EXTRA]);
  const cells = (r: { data: RollRateRow[] }, from: string) =>
    Object.fromEntries(r.data.filter((d) => d.from === from).map((d) => [d.to, d]));
  it('count: default t0/t1 are the last two months; every state is a column', () => {
    const r = run<RollRateRow>(rollRate, [lm]);
    expect(r.meta!.t0).toBe('2024-01');
    expect(r.meta!.t1).toBe('2024-02');
    expect(r.meta!.columns).toEqual([
      'M0',
      'M1',
      'M2',
      'M3',
      'M4',
      'M5',
      'M6',
      'M7+',
      'closed',
      'written_off',
      'missing',
    ]);
    expect(r.data).toHaveLength(8 * 11);
    const m0 = cells(r, 'M0'); // a → M0, j → closed, l → written_off, m → M1, n → M0
    expect(m0.M0!.share).toBeCloseTo(2 / 5, 10);
    expect(m0.closed!.share).toBeCloseTo(1 / 5, 10);
    expect(m0.written_off!.share).toBeCloseTo(1 / 5, 10);
    expect(m0.M1!.share).toBeCloseTo(1 / 5, 10);
    const m1 = cells(r, 'M1'); // b → M2, k → missing
    expect(m1.M2!.share).toBe(0.5);
    expect(m1.missing!.share).toBe(0.5);
    expect(r.quality.excluded.missing_at_t1).toBe(1);
    expect(r.quality.warnings).toHaveLength(1);
    const m7 = cells(r, 'M7+');
    expect(m7['M7+']!.share).toBe(1);
  });
  it('amount: weighted by t0 outstanding', () => {
    const r = run<RollRateRow>(rollRate, [lm], { measure: 'amount' });
    const m0 = cells(r, 'M0');
    const tot = 1000 + 500 + 300 + 100 + 60;
    expect(m0.M0!.share).toBeCloseTo((1000 + 60) / tot, 10);
    expect(m0.closed!.share).toBeCloseTo(500 / tot, 10);
    expect(cells(r, 'M1').missing!.share).toBeCloseTo(200 / 600, 10);
    const totals = r.meta!.totals as RollRateTotal[];
    expect(totals.find((x) => x.from === 'M0')).toEqual({ from: 'M0', loans: 5, amount: tot, value: tot });
  });
  it('rows sum to 1; empty rows have null shares', () => {
    const r = run<RollRateRow>(rollRate, [lm]);
    for (const from of r.meta!.rows as string[]) {
      const row = r.data.filter((d) => d.from === from);
      const s = row.reduce((a, d) => a + (d.share ?? 0), 0);
      expect(s, from).toBeCloseTo(1, 9);
    }
    const r2 = run<RollRateRow>(rollRate, [
      loanMonths([
        { loan: 'a', m: '2024-01', out: 1, dpd: 0 },
        { loan: 'a', m: '2024-02', out: 1, dpd: 0 },
      ]),
    ]);
    expect(cells(r2, 'M3').M3!.share).toBeNull();
  });
  it('explicit non-consecutive t0 / t1; closed at t0 excluded; bad order throws', () => {
    const r = run<RollRateRow>(
      rollRate,
      [
        loanMonths([
          { loan: 'a', m: '2024-01', out: 100, dpd: 0 },
          { loan: 'a', m: '2024-04', out: 100, dpd: 95 },
          { loan: 'b', m: '2024-01', out: 0, dpd: 0, status: 'closed' },
        ]),
      ],
      { t0: '2024-01', t1: '2024-04' },
    );
    expect(cells(r, 'M0').M4!.share).toBe(1);
    expect(r.quality.excluded.closed_at_t0).toBe(1);
    expect(() => run(rollRate, [lm], { t0: '2024-02', t1: '2024-01' })).toThrow(FinError);
  });
  it('empty input', () => {
    const r = run(rollRate, [loanMonths([])]);
    expect(r.data).toEqual([]);
    expect(r.empty).toBeDefined();
  });
});

describe('entry_rate', () => {
  const lm = loanMonths([...F, ...EXTRA]);
  it('count: M0 at t − 1 with due > 0 at t that are M1+ at t', () => {
    const r = run<EntryRateRow>(entryRate, [lm]);
    expect(r.data).toHaveLength(1);
    // base: a (M0, due 100), j (closed, due 500), m (due 50); l has due 0, n has no due; entered: m
    expect(r.data[0]).toMatchObject({ month: '2024-02', baseLoans: 3, enteredLoans: 1 });
    expect(r.data[0]!.rate).toBeCloseTo(1 / 3, 10);
    expect(r.quality.excluded.missing_due_amount).toBe(1);
  });
  it('amount on outstanding at t (default) or due_amount', () => {
    const r = run<EntryRateRow>(entryRate, [lm], { measure: 'amount' });
    expect(r.data[0]!.rate).toBeCloseTo(100 / (900 + 0 + 100), 10);
    const rd = run<EntryRateRow>(entryRate, [lm], { measure: 'amount', amountField: 'due_amount' });
    expect(rd.data[0]!.rate).toBeCloseTo(50 / (100 + 500 + 50), 10);
  });
  it('by region; zero base gives null', () => {
    const ls = loans([
      { id: 'a', issue: '2023-01-01', principal: 1, region: '华东' },
      { id: 'm', issue: '2023-01-01', principal: 1, region: '华南' },
    ]);
    const r = run<EntryRateRow>(entryRate, [lm, ls], { by: 'region' });
    const by = Object.fromEntries(r.data.map((d) => [String(d.group), d]));
    expect(by['华东']!.rate).toBe(0);
    expect(by['华南']!.rate).toBe(1);
    expect(by.null!.baseLoans).toBe(1); // j
    const z = run<EntryRateRow>(entryRate, [
      loanMonths([
        { loan: 'a', m: '2024-01', out: 1, dpd: 5 },
        { loan: 'a', m: '2024-02', out: 1, dpd: 35, due: 1 },
      ]),
    ]);
    expect(z.data[0]!.rate).toBeNull();
  });
});

describe('cure_rate', () => {
  /** January: p M1 100 · q M1 200 · r M2 300 · s M3 400 · u M1 50; February: p M0 · q closed · r M3 · s M0 · u missing. */
  const lm = loanMonths([
    { loan: 'p', m: '2024-01', out: 100, dpd: 10 },
    { loan: 'q', m: '2024-01', out: 200, dpd: 20 },
    { loan: 'r', m: '2024-01', out: 300, dpd: 45 },
    { loan: 's', m: '2024-01', out: 400, dpd: 70 },
    { loan: 'u', m: '2024-01', out: 50, dpd: 5 },
    { loan: 'p', m: '2024-02', out: 90, dpd: 0 },
    { loan: 'q', m: '2024-02', out: 0, dpd: 0, status: 'closed' },
    { loan: 'r', m: '2024-02', out: 300, dpd: 75 },
    { loan: 's', m: '2024-02', out: 350, dpd: 0 },
  ]);
  const rowsOf = (r: { data: CureRateRow[] }) => Object.fromEntries(r.data.map((d) => [d.bucket, d]));
  it('count, overall and per bucket', () => {
    const r = run<CureRateRow>(cureRate, [lm]);
    const b = rowsOf(r);
    expect(r.data[0]!.bucket).toBe('M1+');
    expect(b['M1+']!.rate).toBeCloseTo(3 / 5, 10); // p, q, s cured; r rolled; u missing
    expect(b.M1!.rate).toBeCloseTo(2 / 3, 10);
    expect(b.M2!.rate).toBe(0);
    expect(b.M3!.rate).toBe(1);
    expect(b.M4!.rate).toBeNull();
    expect(r.quality.excluded.missing_next_month).toBe(1);
  });
  it('amount: outstanding at t − 1', () => {
    const b = rowsOf(run<CureRateRow>(cureRate, [lm], { measure: 'amount' }));
    expect(b['M1+']!.rate).toBeCloseTo((100 + 200 + 400) / (100 + 200 + 300 + 400 + 50), 10);
    expect(b.M1!.rate).toBeCloseTo((100 + 200) / (100 + 200 + 50), 10);
  });
  it('one-row input gives an empty result', () => {
    const r = run(cureRate, [loanMonths([{ loan: 'p', m: '2024-01', out: 100, dpd: 10 }])]);
    expect(r.data).toEqual([]);
  });
});

describe('loan-level metrics on unsorted input and duplicate (loan, month) rows', () => {
  const rows: LmRow[] = [
    { loan: 'b', m: '2024-02', out: 90, dpd: 0, due: 10 },
    { loan: 'a', m: '2024-02', out: 100, dpd: 40, due: 10 },
    { loan: 'a', m: '2024-01', out: 100, dpd: 0 },
    { loan: 'b', m: '2024-01', out: 100, dpd: 10 },
    { loan: 'b', m: '2024-01', out: 999, dpd: 99 }, // duplicate of b/2024-01: the lower row index wins
  ];
  it('entry, cure and roll rate keep the first row of a duplicate and count it', () => {
    const e = run<EntryRateRow>(entryRate, [loanMonths(rows)]);
    expect(e.data[0]).toMatchObject({ baseLoans: 1, enteredLoans: 1 }); // a: M0 → M2
    expect(e.quality.excluded.duplicate_loan_month).toBe(1);
    const c = run<CureRateRow>(cureRate, [loanMonths(rows)]);
    expect(c.data[0]).toMatchObject({ bucket: 'M1+', baseLoans: 1, curedLoans: 1 }); // b: M1 → M0
    expect(c.quality.excluded.duplicate_loan_month).toBe(1);
    const r = run<RollRateRow>(rollRate, [loanMonths(rows)]);
    expect(r.data.find((d) => d.from === 'M1' && d.to === 'M0')!.share).toBe(1);
    expect(r.data.find((d) => d.from === 'M3')!.share).toBeNull();
    expect(r.quality.excluded.duplicate_loan_month).toBe(1);
  });
});
