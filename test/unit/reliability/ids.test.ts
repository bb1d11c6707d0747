/**
 * 18- and 19-digit identifiers (resident-ID-like, card-like, snowflake ids) survive every ingestion
 * path digit for digit — row objects, CSV, JSON with quoted and bare literals, Arrow (utf8, int64,
 * uint64 above 2^63) — as schema identifiers and as extra columns, and come back unchanged in metric
 * output (collector leaderboard keyed by collector_id). Prints one figure.
 */
import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC, int64, uint64, utf8, dateDay, float64 } from '@uwdata/flechette';
import { ingestSync } from '../../../src/data/ingest.js';
import { cellValue } from '../../../src/data/dataset.js';
import type { Dataset } from '../../../src/data/dataset.js';
import { createEngine } from '../../../src/engine/create.js';
import { rng } from '../../fixtures/rng.js';

const N = 400;

function ids(len: 18 | 19, seed: number): string[] {
  const r = rng(seed);
  const out = new Set<string>();
  while (out.size < N) {
    let s = String(r.int(1, 9));
    while (s.length < len) s += String(r.int(0, 9));
    out.add(s);
  }
  return [...out];
}

const col = (ds: Dataset, c: string): unknown[] =>
  Array.from({ length: ds.n }, (_, i) => cellValue(ds.cols[c]!, i));

describe('18/19-digit identifiers survive ingestion exactly', () => {
  const id18 = ids(18, 1);
  const id19 = ids(19, 2);
  // unmask: the id columns are compared raw (ext_ref would otherwise be scanned as free text)
  const opts = { unmask: true };
  const results: Array<[string, number, number]> = [];
  const check = (path: string, got: unknown[], want: string[]): void => {
    const exact = got.filter((v, i) => v === want[i]).length;
    results.push([path, exact, want.length]);
    expect(got, path).to.deep.equal(want);
  };

  it('row objects (strings and BigInt), CSV, JSON quoted and bare', () => {
    for (const [label, list] of [
      ['18', id18],
      ['19', id19],
    ] as const) {
      const rows = list.map((id) => ({ loan_id: id, issue_date: '2024-01-05', principal: 1, ext_ref: id }));
      const ds1 = ingestSync('loans', rows, opts).dataset;
      check(`rows/${label}/loan_id`, col(ds1, 'loan_id'), list);
      check(`rows/${label}/extra`, col(ds1, 'ext_ref'), list);
      const big = list.map((id) => ({ loan_id: BigInt(id), issue_date: '2024-01-05', principal: 1 }));
      check(`rows-bigint/${label}`, col(ingestSync('loans', big, opts).dataset, 'loan_id'), list);
      const csv =
        'loan_id,issue_date,principal,ext_ref\r\n' +
        list.map((id) => `${id},2024-01-05,1,${id}`).join('\r\n');
      const ds2 = ingestSync('loans', csv, opts).dataset;
      check(`csv/${label}/loan_id`, col(ds2, 'loan_id'), list);
      check(`csv/${label}/extra`, col(ds2, 'ext_ref'), list);
      check(
        `json-quoted/${label}`,
        col(ingestSync('loans', JSON.stringify(rows), opts).dataset, 'loan_id'),
        list,
      );
      const bare =
        '[' +
        list
          .map((id) => `{"loan_id":${id},"issue_date":"2024-01-05","principal":1,"ext_ref":${id}}`)
          .join(',') +
        ']';
      const ds3 = ingestSync('loans', bare, opts).dataset;
      check(`json-bare/${label}/loan_id`, col(ds3, 'loan_id'), list);
      check(`json-bare/${label}/extra`, col(ds3, 'ext_ref'), list);
    }
  });

  it('Arrow: utf8, int64 and uint64 (19 digits above 2^63 − 1)', () => {
    const dates = id19.map(() => Date.UTC(2024, 0, 5));
    const ones = Float64Array.from(id19, () => 1);
    const t1 = tableFromArrays(
      { loan_id: id18, issue_date: dates, principal: ones },
      { types: { loan_id: utf8(), issue_date: dateDay(), principal: float64() } },
    );
    check(
      'arrow-utf8/18',
      col(ingestSync('loans', tableToIPC(t1, { format: 'stream' })!, opts).dataset, 'loan_id'),
      id18,
    );
    const signed = id19.filter((s) => BigInt(s) < 2n ** 63n);
    const t2 = tableFromArrays(
      {
        loan_id: BigInt64Array.from(signed, (s) => BigInt(s)),
        issue_date: signed.map(() => Date.UTC(2024, 0, 5)),
        principal: signed.map(() => 1),
      },
      { types: { loan_id: int64(), issue_date: dateDay(), principal: float64() } },
    );
    check(
      'arrow-int64/19',
      col(ingestSync('loans', tableToIPC(t2, { format: 'stream' })!, opts).dataset, 'loan_id'),
      signed,
    );
    const unsigned = id19.filter((s) => BigInt(s) >= 2n ** 63n);
    const t3 = tableFromArrays(
      {
        loan_id: BigUint64Array.from(unsigned, (s) => BigInt(s)),
        issue_date: unsigned.map(() => Date.UTC(2024, 0, 5)),
        principal: unsigned.map(() => 1),
      },
      { types: { loan_id: uint64(), issue_date: dateDay(), principal: float64() } },
    );
    check(
      'arrow-uint64/19',
      col(ingestSync('loans', tableToIPC(t3, { format: 'stream' })!, opts).dataset, 'loan_id'),
      unsigned,
    );
  });

  it('comes back unchanged in metric output and over JSON transport', async () => {
    const engine = createEngine({ unmask: true });
    const collectors = id19.slice(0, 50);
    await engine.load(
      'collection_actions',
      collectors.map((c, i) => ({
        action_id: `A${i}`,
        collector_id: c,
        action_time: '2024-01-05 10:00',
        channel: 'phone',
        contacted: true,
      })),
    );
    const r = await engine.query({
      metric: 'distinct',
      source: 'collection_actions',
      params: { field: 'collector_id' },
    });
    const got = (r.data as Array<{ value: unknown }>).map((d) => d.value).sort() as string[];
    check('metric/distinct', got, collectors.slice().sort());
    // and through JSON transport (worker / remote) unchanged
    check(
      'metric/json',
      (JSON.parse(JSON.stringify(r)) as typeof r).data.map((d) => (d as { value: string }).value).sort(),
      collectors.slice().sort(),
    );
  });

  it('prints the figure', () => {
    const exact = results.reduce((a, [, e]) => a + e, 0);
    const total = results.reduce((a, [, , t]) => a + t, 0);
    console.log(
      `ids: ${results.length} paths (rows, BigInt rows, CSV, JSON quoted/bare, Arrow utf8/int64/uint64, metric output), ${exact}/${total} 18/19-digit ids exact`,
    );
    expect(exact).to.equal(total);
  });
});
