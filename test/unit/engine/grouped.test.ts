import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/data/dataset.js';
import { generateSample } from '../../../src/data/sample.js';
import { MetricContext } from '../../../src/engine/context.js';
import type { Column } from '../../../src/data/dataset.js';
import { canonicalFilters } from '../../../src/engine/cube.js';
import { cellGroups } from '../../../src/engine/grouped.js';
import { LocalEngine } from '../../../src/engine/local.js';
import type { MetricDef } from '../../../src/engine/metric.js';
import { channelEffectiveness } from '../../../src/engine/metrics/channel-effectiveness.js';
import { collectorPerformance } from '../../../src/engine/metrics/collector-performance.js';
import { overdueRate } from '../../../src/engine/metrics/overdue-rate.js';
import type { FilterClause, MetricResult } from '../../../src/engine/types.js';
import { actions, loanMonths, loans } from './collection-fixtures.js';

/**
 * Grouped kernels (src/engine/grouped.ts, `MetricDef.runGrouped`): every cell's result must be
 * byte-identical to the metric's own run on that cell's filters, for hand fixtures with missing
 * values, a one-row cell and an empty cell, and for random datasets, dimensions and base filters.
 */

function combos(values: string[][]): string[][] {
  let out: string[][] = [[]];
  for (const l of values) out = out.flatMap((p) => l.map((v) => [...p, v]));
  return out;
}

interface Both {
  grouped: Array<MetricResult<object>> | null;
  single: string[];
  cellFilters: FilterClause[][];
  /** Whether the cells partition the source's rows (dimensions and base filters resolve there). */
  partitioned: boolean;
}

/** The grouped results and each cell's own run (as JSON), on shared joins like the engine's. */
function both(
  def: MetricDef,
  datasets: Dataset[],
  params: Record<string, unknown>,
  set: string[],
  values: string[][],
  baseFilters: FilterClause[] = [],
  source = def.source,
): Both {
  const map = new Map(datasets.map((d) => [d.name, d]));
  const joins = new Map<string, Map<string, Column | null>>();
  const context = (f: FilterClause[]): MetricContext => new MetricContext(map, f, joins);
  const cellFilters = combos(values).map((c) =>
    canonicalFilters([
      ...baseFilters,
      ...set.map((d, i): FilterClause => ({ field: d, op: 'in', value: [c[i]!] })),
    ]),
  );
  const groups = cellGroups({ context, baseFilters, set, values, cellFilters });
  const grouped = def.runGrouped!(groups, params, source);
  const single = cellFilters.map((f) => JSON.stringify(def.run(context(f), params, source)));
  return { grouped, single, cellFilters, partitioned: groups.groupOf(source) !== null };
}

function expectSame(b: Both): void {
  expect(b.grouped).not.toBeNull();
  expect(b.grouped!.length).toBe(b.single.length);
  b.grouped!.forEach((r, j) => expect(JSON.stringify(r), JSON.stringify(b.cellFilters[j])).toBe(b.single[j]));
}

// Hand fixture: regions R1 (two loans), R2 (one loan, one row), a loan without region, and a cell
// R9 with no rows at all; missing dpd / outstanding / snapshot and paid / cost values.
const LOANS = loans([
  { id: 'L1', issue: '2024-01-15', principal: 1000, region: 'R1', product: 'cash' },
  { id: 'L2', issue: '2024-02-10', principal: 2000, region: 'R1', product: 'card' },
  { id: 'L3', issue: '2024-02-20', principal: 500, region: 'R2', product: 'cash' },
  { id: 'L4', issue: '2024-01-05', principal: null, region: null, product: 'cash' },
]);
const LM = loanMonths([
  { loan: 'L1', m: '2024-02', out: 900, dpd: 0 },
  { loan: 'L1', m: '2024-03', out: 800, dpd: 35 },
  { loan: 'L2', m: '2024-03', out: null, dpd: 65 },
  { loan: 'L2', m: '2024-04', out: 1900, dpd: null },
  { loan: 'L1', m: null, out: 700, dpd: 10 },
  { loan: 'L3', m: '2024-04', out: 450, dpd: 95 },
  { loan: 'L4', m: '2024-03', out: 300, dpd: 5, status: 'closed' },
  { loan: 'L2', m: '2024-05', out: 1800, dpd: 96, status: 'written_off' },
]);
const ACTS = actions([
  {
    case: 'C1',
    loan: 'L1',
    collector: 'X',
    team: 'T1',
    time: '2024-03-05 10:00',
    channel: 'phone',
    contacted: true,
    ptp: true,
    ptpAmount: 300,
    ptpDue: '2024-03-10',
    paid: 0,
    cost: 2,
  },
  {
    case: 'C1',
    loan: 'L1',
    collector: 'X',
    team: 'T1',
    time: '2024-03-09 12:00',
    channel: 'sms',
    paid: 300,
    cost: null,
  },
  {
    case: 'C2',
    loan: 'L2',
    collector: 'Y',
    team: 'T2',
    time: '2024-03-11 09:00',
    channel: 'phone',
    contacted: false,
    ptp: true,
    ptpAmount: 100,
    ptpDue: '2024-04-30',
    paid: null,
    cost: 3,
  },
  { case: 'C2', loan: 'L2', collector: 'Y', team: 'T2', time: null, channel: 'visit', paid: 50, cost: 10 },
  {
    case: null,
    loan: 'L3',
    collector: 'X',
    team: 'T1',
    time: '2024-04-02 08:00',
    channel: 'phone',
    contacted: true,
    paid: 20,
    cost: 1,
  },
  {
    case: 'C4',
    loan: 'L4',
    collector: null,
    team: null,
    time: '2024-03-20 15:00',
    channel: null,
    paid: null,
    cost: null,
  },
  {
    case: 'C5',
    loan: null,
    collector: 'Y',
    team: 'T2',
    time: '2024-03-21 15:00',
    channel: 'ivr',
    contacted: true,
    paid: 5,
    cost: 0.5,
  },
]);
const HAND = [LOANS, LM, ACTS];
const REGIONS = [['R1', 'R2', 'R9']];

describe('grouped kernels on hand fixtures', () => {
  it('overdue_rate: every cell as its own run, with a one-row cell and an empty cell', () => {
    for (const params of [{ k: 1 }, { k: 3, lag: 1 }, { k: 1, measure: 'count' }, { k: 1, by: 'product' }]) {
      const b = both(overdueRate, HAND, params, ['region'], REGIONS);
      expectSame(b);
    }
    // hand-computed: R2 is L3's one row (2024-04, 450, dpd 95): M1+ rate 450 / 450
    const r2 = both(overdueRate, HAND, { k: 1 }, ['region'], REGIONS).grouped![1]!;
    expect(r2.data).toEqual([{ month: '2024-04', numerator: 450, denominator: 450, rate: 1 }]);
    // R1: 2024-02 900 (dpd 0), 2024-03 800 (dpd 35; L2 has no outstanding), 2024-04 L2 without dpd
    const r1 = both(overdueRate, HAND, { k: 1 }, ['region'], REGIONS).grouped![0]!;
    expect(
      r1.data.map((r) => [
        (r as { numerator: number }).numerator,
        (r as { denominator: number }).denominator,
      ]),
    ).toEqual([
      [0, 900],
      [800, 800],
      [0, 0],
      [0, 0],
    ]);
    expect(r1.quality.excluded).toEqual({
      missing_snapshot: 1,
      missing_dpd: 1,
      missing_outstanding: 1,
      written_off: 1,
    });
    // R9 has no row: the empty result of an empty selection
    expect(both(overdueRate, HAND, { k: 1 }, ['region'], REGIONS).grouped![2]!.data).toEqual([]);
  });

  it('channel_effectiveness: every cell as its own run; hand-computed counts', () => {
    const b = both(channelEffectiveness, HAND, {}, ['region'], REGIONS);
    expectSame(b);
    // R1: L1's phone + sms, L2's phone + visit (the visit has no time but a channel)
    const r1 = b.grouped![0]!.data as Array<{
      channel: string;
      actions: number;
      recovered: number;
      cost: number;
    }>;
    expect(r1.map((r) => [r.channel, r.actions, r.recovered, r.cost])).toEqual([
      ['phone', 2, 0, 5],
      ['sms', 1, 300, 0],
      ['visit', 1, 50, 10],
    ]);
    expect(b.grouped![1]!.quality).toMatchObject({ rows: 1, used: 1 });
    expect(b.grouped![2]!.quality).toMatchObject({ rows: 0, used: 0 });
  });

  it('collector_performance: every cell as its own run, at every level', () => {
    for (const level of ['both', 'collector', 'team'])
      expectSame(both(collectorPerformance, HAND, { level }, ['region'], REGIONS));
  });

  it('pairs and base filters: the cells of region × product under a date range', () => {
    const base: FilterClause[] = [{ field: 'snapshot_date', op: 'range', value: ['2024-03', '2024-05'] }];
    const values = [
      ['R1', 'R2'],
      ['card', 'cash'],
    ];
    expectSame(both(overdueRate, HAND, { k: 1, lag: 1 }, ['region', 'product'], values, base));
    const actBase: FilterClause[] = [{ field: 'channel', op: 'in', value: ['phone', 'sms'] }];
    expectSame(both(channelEffectiveness, HAND, {}, ['region', 'product'], values, actBase));
    expectSame(both(collectorPerformance, HAND, {}, ['region', 'product'], values, actBase));
  });

  it('collector_performance: one loan_months panel for all cells, declined when a look-up lands in another cell', () => {
    // consistent: region comes from the loan on both datasets (the shared panel is the cell's)
    const ok = both(collectorPerformance, HAND, { level: 'both' }, ['region'], REGIONS);
    expectSame(ok);
    const r1 = ok.grouped![0]!.data as Array<{ level: string; assignedOutstanding?: number | null }>;
    expect(r1.length).toBeGreaterThan(0);
    // inconsistent: the actions carry a region of their own, contradicting their loan's (C2 is L2's
    // case, an R1 loan, marked R2): in cell R2 the base panel finds L2's row, which lies in cell R1,
    // while the cell's own panel has no row of L2 — the kernel must decline, not answer R1's figure
    const own: Dataset = {
      ...ACTS,
      cols: {
        ...ACTS.cols,
        region: { kind: 'cat', codes: Int32Array.from([0, 0, 1, 1, 1, -1, -1]), dict: ['R1', 'R2'] },
      },
    };
    const bad = both(collectorPerformance, [LOANS, LM, own], { level: 'both' }, ['region'], REGIONS);
    expect(bad.partitioned).toBe(true);
    expect(bad.grouped).toBeNull();
  });

  it('declines when the dimension does not resolve on the source (the cube then runs each cell)', () => {
    // `team` exists on collection_actions only: loan_months rows are not partitioned by it
    const b = both(overdueRate, HAND, { k: 1 }, ['team'], [['T1', 'T2']]);
    expect(b.partitioned).toBe(false);
    expect(b.grouped).toBeNull();
  });
});

/** Blank a seeded share of some columns' values (null = missing after ingestion). */
function withHoles<T extends Record<string, unknown[]>>(
  cols: T,
  fields: string[],
  seed: number,
  share: number,
): T {
  let s = seed >>> 0 || 1;
  const out: Record<string, unknown[]> = { ...cols };
  for (const f of fields) {
    if (!out[f]) continue;
    out[f] = out[f]!.map((v) => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32 < share ? null : v;
    });
  }
  return out as T;
}

describe('grouped kernels on random books (property)', () => {
  it('equal each cell’s own run for random data, holes, dimensions and base filters', async () => {
    const DIMS: string[][] = [['region'], ['product'], ['region', 'product'], ['channel']];
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 8, max: 40 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.constantFrom(...DIMS),
        fc.constantFrom<'none' | 'range' | 'multi'>('none', 'range', 'multi'),
        fc.boolean(),
        async (seed, customers, holes, set, baseKind, extraValue) => {
          const sample = generateSample({ customers, seed });
          const e = new LocalEngine();
          await e.load('loans', withHoles(sample.loans, ['region', 'principal'], seed, holes) as never);
          await e.load(
            'loan_months',
            withHoles(
              sample.loan_months,
              ['dpd', 'outstanding', 'snapshot_date', 'status'],
              seed + 1,
              holes,
            ) as never,
          );
          await e.load(
            'collection_actions',
            withHoles(
              sample.collection_actions,
              ['channel', 'paid_amount', 'cost', 'contacted', 'ptp', 'action_time', 'case_id'],
              seed + 2,
              holes,
            ) as never,
          );
          const ds = ['loans', 'loan_months', 'collection_actions'].map((n) => e.dataset(n)!);
          const dictOf = (f: string): string[] => {
            for (const d of ds) {
              const c = d.cols[f];
              if (c && c.kind === 'cat') return c.dict.slice();
            }
            return [];
          };
          const values = set.map((d) => [...dictOf(d), ...(extraValue ? ['no-such-value'] : [])]);
          const base: FilterClause[] =
            baseKind === 'range'
              ? [{ field: 'snapshot_date', op: 'range', value: ['2024-01', '2025-06'] }]
              : baseKind === 'multi'
                ? [{ field: 'product', op: 'in', value: dictOf('product').slice(0, 2) }]
                : [];
          const cases: Array<[MetricDef, Record<string, unknown>]> = [
            [overdueRate, { k: 1 }],
            [overdueRate, { k: 3, lag: 3, measure: 'count' }],
            [overdueRate, { k: 1, by: 'product' }],
            [channelEffectiveness, {}],
            [collectorPerformance, { level: 'both' }],
          ];
          for (const [def, params] of cases) {
            const b = both(def, ds, params, set, values, base);
            if (b.grouped === null) {
              // only allowed when the cells do not partition the source's rows
              expect(b.partitioned).toBe(false);
              continue;
            }
            expectSame(b);
            compared++;
          }
          e.dispose();
        },
      ),
      { numRuns: 25, seed: 20261206 },
    );
    expect(compared).toBeGreaterThan(50);
  }, 240_000);
});
