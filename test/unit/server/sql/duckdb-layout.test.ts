/**
 * The DuckDB query layout (src/server/duckdb-layout.ts): key codes from one dictionary per key
 * shared by every dataset (equal keys ⇔ equal codes across tables, codes kept when a dataset is
 * replaced), and answers through those codes identical to memory where the
 * strings would decide: a joined-field filter through `loans` and self-joins across months.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../src/server/backend.js';
import { duckdbBackend } from '../../../../src/server/duckdb.js';
import { memoryBackend } from '../../../../src/server/memory.js';
import type { TableInfo } from '../../../../src/server/sql/scope.js';
import { excludedOf, outcome } from './compare.js';
import { openDuckFile } from './duck-file.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Rows of the loan-month book: loan A twice overdue, B once, C never, one row without a loan. */
const months = {
  loan_id: ['A', 'A', 'A', 'B', 'B', 'C', null, 'C'],
  snapshot_date: [
    '2024-01-31',
    '2024-02-29',
    '2024-03-31',
    '2024-01-31',
    '2024-02-29',
    '2024-02-29',
    '2024-02-29',
    '2024-03-31',
  ],
  dpd: [0, 35, 65, 0, 40, 0, 10, 0],
  outstanding: [100, 90, 80, 200, 190, 50, 10, 45],
  status: ['active', 'active', 'active', 'active', 'active', 'active', 'active', 'active'],
};

/** A `loans` dataset of these keys and regions (issued 2024-01, principal 1000). */
function loansOf(ids: string[], regions: string[]) {
  return {
    loan_id: ids,
    region: regions,
    issue_date: ids.map(() => '2024-01-05'),
    principal: ids.map(() => 1000),
  };
}

/** Raw SQL on a closed backend's database file. */
async function readDb(path: string, text: string): Promise<Array<Record<string, unknown>>> {
  const db = await openDuckFile(path);
  try {
    return await db.run(text);
  } finally {
    db.close();
  }
}

describe('DuckDB key codes', () => {
  it('one dictionary per key: the same code for the same key in every table, kept on reload', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'finboard-layout-'));
    dirs.push(dir);
    const path = join(dir, 'db.duckdb');
    const duck = (await duckdbBackend({ path })) as Backend & { catalog: Map<string, TableInfo> };
    await duck.load('loan_months', months);
    await duck.load('loans', loansOf(['C', 'B', 'A', 'D'], ['华东', '华北', '华东', '西南']));
    const before = duck.catalog.get('loans')!;
    // Replace loans: A keeps its code, E is new.
    await duck.load('loans', loansOf(['E', 'A'], ['华南', '华东']));
    const lm = duck.catalog.get('loan_months')!;
    const lo = duck.catalog.get('loans')!;
    expect(lm.keyCodes?.get('loan_id')).toBe(`${lm.cols.get('loan_id')!.id}_k`);
    expect(lo.table).not.toBe(before.table);
    expect(lm.uniqueLoanMonths).toBe(true); // one row per loan and month
    expect(lo.uniqueLoanMonths).toBe(false); // no snapshot month on loans
    const [lmT, loT] = [lm.table, lo.table];
    const lmId = lm.cols.get('loan_id')!.id;
    const loId = lo.cols.get('loan_id')!.id;
    await duck.close();
    const dict = await readDb(path, 'SELECT v, k FROM kd_loan_id ORDER BY k');
    // Five keys, each once, codes 1…5: A, B, C (loan_months, in any order), then D, then E.
    expect(dict.map((r) => Number(r['k']))).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(dict.slice(0, 3).map((r) => r['v']))).toEqual(new Set(['A', 'B', 'C']));
    expect(dict.slice(3).map((r) => r['v'])).toEqual(['D', 'E']);
    const code = new Map(dict.map((r) => [r['v'], Number(r['k'])]));
    const lmRows = await readDb(path, `SELECT "${lmId}" AS v, "${lmId}_k" AS k FROM "${lmT}" ORDER BY r`);
    // (The row without a loan_id is rejected at ingestion, on both backends.)
    expect(lmRows.map((r) => r['v'])).toEqual(months.loan_id.filter((v) => v !== null));
    expect(lmRows.map((r) => Number(r['k']))).toEqual(lmRows.map((r) => code.get(r['v'])!));
    const loRows = await readDb(path, `SELECT "${loId}" AS v, "${loId}_k" AS k FROM "${loT}" ORDER BY r`);
    expect(loRows.map((r) => Number(r['k']))).toEqual([code.get('E'), code.get('A')]);
    // The replaced table is gone.
    const tables = await readDb(path, `SELECT table_name FROM information_schema.tables`);
    expect(tables.map((t) => t['table_name'])).not.toContain(before.table);
  }, 60_000);

  it('answers through the codes as memory does: repeated loan keys, a joined filter, adjacent months', async () => {
    const duck = await duckdbBackend();
    const mem = memoryBackend();
    // `loans` with a repeated key (B): ingestion keeps the first row (华北) on both backends.
    const loans = loansOf(['B', 'A', 'B', 'C'], ['华北', '华东', '华东', '华东']);
    try {
      for (const b of [duck, mem]) {
        await b.load('loan_months', months);
        await b.load('loans', loans);
      }
      const east = [{ field: 'region', op: 'in' as const, value: ['华东'] }];
      const reqs = [
        { metric: 'overdue_rate', params: { k: 1 }, filters: east },
        { metric: 'flow_rate', params: {}, filters: east },
        { metric: 'entry_rate', params: {}, filters: [] },
        { metric: 'cure_rate', params: {}, filters: east },
        { metric: 'roll_rate', params: {}, filters: [] },
        { metric: 'vintage', params: { d: 30 }, filters: east },
      ];
      for (const r of reqs) {
        const [d, m] = [await outcome(duck, r), await outcome(mem, r)];
        expect(d, r.metric).toEqual(m);
      }
      // The joined filter selects: B's first row is 华北, so 华北 and 华东 answer differently.
      const north = [{ field: 'region', op: 'in' as const, value: ['华北'] }];
      const q = (f: typeof east) => ({ metric: 'overdue_rate', params: { k: 1 }, filters: f });
      expect(await outcome(duck, q(north))).toEqual(await outcome(mem, q(north)));
      expect(await outcome(duck, q(north))).not.toEqual(await outcome(duck, q(east)));
    } finally {
      await duck.close();
    }
  }, 60_000);

  it('two snapshots of a loan in one month: not unique, and the duplicate counted as memory counts it', async () => {
    const duck = (await duckdbBackend()) as Backend & { catalog: Map<string, TableInfo> };
    const mem = memoryBackend();
    // A has two snapshots in February 2024 (the 10th and the 29th).
    const twice = {
      ...months,
      loan_id: ['A', 'A', 'A', 'B', 'B', 'C', 'A', 'C'],
      snapshot_date: [...months.snapshot_date.slice(0, 6), '2024-02-10', months.snapshot_date[7]!],
      due_amount: [10, 10, 10, 20, 20, 5, 10, 5],
    };
    try {
      for (const b of [duck, mem]) await b.load('loan_months', twice);
      expect(duck.catalog.get('loan_months')!.uniqueLoanMonths).toBe(false);
      for (const metric of ['entry_rate', 'cure_rate']) {
        const [d, m] = [await outcome(duck, { metric }), await outcome(mem, { metric })];
        // The count is memory's; the rates themselves may differ on such data (docs/server.md,
        // "Dialect notes": two snapshots of a loan in one month are a data error).
        expect(excludedOf(d, 'duplicate_loan_month'), metric).toBe(1);
        expect(excludedOf(m, 'duplicate_loan_month'), metric).toBe(1);
      }
    } finally {
      await duck.close();
    }
  }, 60_000);
});
