/** Property tests of the collection metrics on random small books (fast-check, seeded). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricDef } from '../../../src/engine/metric.js';
import { COLLECTION_METRICS } from '../../../src/engine/metrics/collection.js';
import type { ActionRow, LmRow, LoanRow } from './collection-fixtures.js';
import { actions, loanMonths, loans, run, shuffled } from './collection-fixtures.js';

const MONTHS = ['2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04'];
const REGIONS = ['华东', '华南', '华北', null];

interface Book {
  lm: LmRow[];
  loans: LoanRow[];
  acts: ActionRow[];
}

/** Random book: unique (loan, month); integer amounts so sums are exact under any row order. */
const bookArb: fc.Arbitrary<Book> = fc
  .array(
    fc.record({
      start: fc.integer({ min: 0, max: MONTHS.length - 1 }),
      len: fc.integer({ min: 1, max: MONTHS.length }),
      principal: fc.integer({ min: 1, max: 5000 }),
      region: fc.constantFrom(...REGIONS),
      gap: fc.integer({ min: -1, max: 5 }),
      months: fc.array(
        fc.record({
          dpd: fc.oneof(
            {
              weight: 6,
              arbitrary: fc.constantFrom(0, 0, 1, 15, 30, 31, 45, 60, 61, 90, 91, 121, 151, 181, 240),
            },
            { weight: 1, arbitrary: fc.constant(null) },
          ),
          frac: fc.integer({ min: 0, max: 100 }),
          missingOut: fc.integer({ min: 0, max: 30 }).map((x) => x === 0),
          due: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null, freq: 8 }),
          paid: fc.integer({ min: 0, max: 300 }),
          status: fc.constantFrom('active', 'active', 'active', 'active', 'closed', 'written_off', null),
        }),
        { minLength: MONTHS.length, maxLength: MONTHS.length },
      ),
    }),
    { minLength: 0, maxLength: 12 },
  )
  .chain((ls) =>
    fc
      .array(
        fc.record({
          loanIdx: fc.integer({ min: 0, max: Math.max(ls.length - 1, 0) }),
          caseNo: fc.integer({ min: 0, max: 5 }),
          collector: fc.constantFrom('X', 'Y', 'Z', null),
          team: fc.constantFrom('T1', 'T2', null),
          day: fc.integer({ min: 0, max: 150 }),
          hour: fc.integer({ min: 8, max: 10 }),
          channel: fc.constantFrom('phone', 'phone', 'sms', 'ivr', 'visit', 'legal', null),
          contacted: fc.constantFrom(true, false, null),
          ptp: fc.constantFrom(true, false, false, null),
          ptpAmount: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null, freq: 6 }),
          ptpDueDays: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null, freq: 6 }),
          paid: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null, freq: 4 }),
          cost: fc.integer({ min: 0, max: 20 }),
        }),
        { minLength: 0, maxLength: ls.length ? 25 : 0 },
      )
      .map((as) => {
        const lm: LmRow[] = [];
        const lr: LoanRow[] = [];
        ls.forEach((l, k) => {
          const id = `L${k}`;
          lr.push({ id, issue: `${MONTHS[l.start]}-15`, principal: l.principal, region: l.region });
          for (let j = 0; j < l.len && l.start + j < MONTHS.length; j++) {
            if (j === l.gap) continue; // an occasional missing month
            const mm = l.months[j]!;
            lm.push({
              loan: id,
              m: MONTHS[l.start + j]!,
              out: mm.missingOut ? null : Math.floor((l.principal * mm.frac) / 100),
              dpd: mm.dpd,
              due: mm.due,
              paid: mm.paid,
              status: mm.status,
            });
          }
        });
        const base = Date.UTC(2023, 10, 1);
        const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        const acts: ActionRow[] = as.map((a) => {
          const t = base + a.day * 86400000;
          return {
            case: `C${a.loanIdx}-${a.caseNo % 2}`,
            loan: `L${a.loanIdx}`,
            collector: a.collector,
            team: a.team,
            time: `${iso(t)} ${String(a.hour).padStart(2, '0')}:00`,
            channel: a.channel,
            contacted: a.contacted,
            ptp: a.ptp,
            ptpAmount: a.ptpAmount,
            ptpDue: a.ptpDueDays === null ? null : iso(t + a.ptpDueDays * 86400000),
            paid: a.paid,
            cost: a.cost,
          };
        });
        return { lm, loans: lr, acts };
      }),
  );

const byId = (id: string): MetricDef => COLLECTION_METRICS.find((m) => m.id === id)!;
const inUnit = (x: unknown) => x === null || (typeof x === 'number' && x >= 0 && x <= 1 + 1e-12);
const finiteOrNull = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
const datasets = (b: Book) => [loanMonths(b.lm), loans(b.loans), actions(b.acts)];
const OPTS = { numRuns: 120, seed: 20240601 };

/** Every metric with a few parameter variants, and the fields that are bounded rates. */
const CASES: Array<{ id: string; params: Record<string, unknown>; source?: string; bounded: string[] }> = [
  { id: 'dpd_buckets', params: {}, bounded: ['countShare', 'amountShare'] },
  { id: 'bucket_trend', params: {}, bounded: ['share'] },
  { id: 'bucket_trend', params: { measure: 'count', edges: [0, 30, 60, 90] }, bounded: ['share'] },
  { id: 'overdue_rate', params: {}, bounded: ['rate'] },
  { id: 'overdue_rate', params: { k: 3, measure: 'count', by: 'region' }, bounded: ['rate'] },
  { id: 'overdue_rate', params: { k: 4, lag: 1 }, bounded: [] },
  { id: 'flow_rate', params: {}, bounded: [] },
  { id: 'flow_rate', params: { measure: 'count', lastBucket: 'stock' }, bounded: [] },
  { id: 'roll_rate', params: {}, bounded: ['share'] },
  { id: 'roll_rate', params: { measure: 'amount', t0: '2023-12', t1: '2024-03' }, bounded: ['share'] },
  { id: 'vintage', params: {}, bounded: ['rate'] },
  { id: 'vintage', params: { variant: 'ever', d: 60 }, bounded: ['rate'] },
  { id: 'vintage', params: { variant: 'ever', measure: 'count' }, bounded: ['rate'] },
  { id: 'entry_rate', params: {}, bounded: ['rate'] },
  {
    id: 'entry_rate',
    params: { measure: 'amount', amountField: 'due_amount', by: 'region' },
    bounded: ['rate'],
  },
  { id: 'cure_rate', params: {}, bounded: ['rate'] },
  { id: 'cure_rate', params: { measure: 'amount', by: 'region' }, bounded: ['rate'] },
  { id: 'repayment_rate', params: {}, bounded: [] },
  { id: 'repayment_rate', params: { overdueOnly: true, by: 'region' }, bounded: [] },
  { id: 'repayment_rate', params: { by: 'collector_id' }, source: 'collection_actions', bounded: [] },
  {
    id: 'collector_performance',
    params: {},
    bounded: ['coverage', 'connectRate', 'ptpRate', 'ptpKeptRate'],
  },
  { id: 'channel_effectiveness', params: {}, bounded: ['contactRate', 'ptpRate'] },
];

describe('collection metrics: properties', () => {
  it('bounded rates are in [0, 1] (or null); every number is finite', () => {
    fc.assert(
      fc.property(bookArb, (b) => {
        const ds = datasets(b);
        for (const c of CASES) {
          const r = run(byId(c.id), ds, c.params, [], c.source ?? byId(c.id).source);
          for (const row of r.data) {
            for (const [k, v] of Object.entries(row)) {
              if (typeof v === 'number' || v === null) expect(finiteOrNull(v), `${c.id}.${k}`).toBe(true);
              if (c.bounded.includes(k)) expect(inUnit(v), `${c.id}.${k} = ${String(v)}`).toBe(true);
            }
          }
          expect(JSON.parse(JSON.stringify(r))).toEqual(r); // plain JSON
        }
      }),
      OPTS,
    );
  });

  it('the generator produces non-trivial books', () => {
    let nonEmpty = 0;
    let withFlows = 0;
    fc.assert(
      fc.property(bookArb, (b) => {
        const ds = datasets(b);
        if (run(byId('roll_rate'), ds).data.length) nonEmpty++;
        if (
          run<{ rate: number | null }>(byId('flow_rate'), ds).data.some((d) => d.rate !== null && d.rate > 0)
        )
          withFlows++;
      }),
      OPTS,
    );
    expect(nonEmpty).toBeGreaterThan(OPTS.numRuns / 2);
    expect(withFlows).toBeGreaterThan(OPTS.numRuns / 5);
  });

  it('each roll-rate row sums to 1', () => {
    fc.assert(
      fc.property(bookArb, fc.constantFrom('count', 'amount'), (b, measure) => {
        const r = run<{ from: string; share: number | null }>(byId('roll_rate'), datasets(b), { measure });
        const sums = new Map<string, number>();
        const nonNull = new Map<string, boolean>();
        for (const d of r.data) {
          sums.set(d.from, (sums.get(d.from) ?? 0) + (d.share ?? 0));
          if (d.share !== null) nonNull.set(d.from, true);
        }
        for (const [from, s] of sums)
          if (nonNull.get(from)) expect(Math.abs(s - 1), from).toBeLessThanOrEqual(1e-9);
      }),
      OPTS,
    );
  });

  it('dpd_buckets shares sum to 1; ever vintage never decreases along MOB', () => {
    fc.assert(
      fc.property(bookArb, (b) => {
        const ds = datasets(b);
        const d = run<{ countShare: number | null }>(byId('dpd_buckets'), ds);
        if (d.data.length) expect(d.data.reduce((s, x) => s + (x.countShare ?? 0), 0)).toBeCloseTo(1, 9);
        const v = run<{ cohort: string; mob: number; rate: number | null }>(byId('vintage'), ds, {
          variant: 'ever',
        });
        const last = new Map<string, number>();
        for (const x of v.data) {
          if (x.rate === null) continue;
          expect(x.rate).toBeGreaterThanOrEqual((last.get(x.cohort) ?? 0) - 1e-12);
          last.set(x.cohort, x.rate);
        }
      }),
      OPTS,
    );
  });

  it('results are unchanged when input rows are shuffled', () => {
    fc.assert(
      fc.property(bookArb, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (b, seed) => {
        const a = datasets(b);
        const s = datasets({
          lm: shuffled(b.lm, seed),
          loans: shuffled(b.loans, seed + 1),
          acts: shuffled(b.acts, seed + 2),
        });
        for (const c of CASES) {
          const m = byId(c.id);
          const src = c.source ?? m.source;
          expect(run(m, s, c.params, [], src), c.id).toEqual(run(m, a, c.params, [], src));
        }
      }),
      { ...OPTS, numRuns: 80 },
    );
  });

  it('a filter equals running on the pre-filtered rows', () => {
    fc.assert(
      fc.property(bookArb, (b) => {
        const keep = new Set(b.loans.filter((l) => l.region === '华东').map((l) => l.id));
        // Both tables pre-filtered: vintage takes its denominators from `loans` (issued loans,
        // with or without monthly rows), so the unfiltered loans table would add the other regions.
        const pre = datasets({ ...b, loans: b.loans.filter((l) => keep.has(l.id)), lm: b.lm.filter((r) => keep.has(r.loan!)) });
        for (const id of ['overdue_rate', 'flow_rate', 'roll_rate', 'vintage', 'cure_rate', 'entry_rate']) {
          const m = byId(id);
          const f = run(m, datasets(b), {}, [{ field: 'region', op: 'in', value: ['华东'] }]);
          const p = run(m, pre, {});
          expect(f.data, id).toEqual(p.data);
        }
      }),
      { ...OPTS, numRuns: 60 },
    );
  });
});
