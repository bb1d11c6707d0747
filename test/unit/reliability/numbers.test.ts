/**
 * Strict numeric parsing (issue 13 #6): `"0x1F"` is not 31. Hex, octal and binary literals,
 * `Infinity` spelled out, overflow and trailing garbage are `unparseable_number` on every ingestion
 * path — row objects, arrays, columnar, CSV (fast and slow cell decoders), JSON, Arrow utf8 — in
 * required and optional number columns. Prints one figure.
 */
import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC, utf8 } from '@uwdata/flechette';
import { ingestSync } from '../../../src/data/ingest.js';
import { cellValue } from '../../../src/data/dataset.js';
import { parseNumberString } from '../../../src/data/number-parse.js';
import { LENIENT_NUMBERS } from '../../fixtures/bad-data.js';

const HOSTILE = [
  ...LENIENT_NUMBERS,
  '1e309',
  '-1e309',
  '1_000',
  '12abc',
  '12 元',
  '１２',
  '1.2.3',
  '0x',
  '--1',
];

describe('parseNumberString is decimal-only', () => {
  it('refuses every notation Number() accepts beyond decimal', () => {
    for (const t of HOSTILE) expect(parseNumberString(t), t).toBeNaN();
    // Number() would have read these
    expect(Number('0x1F')).toBe(31);
    expect(Number('0b11')).toBe(3);
  });
  it('reads decimal notation exactly as Number() does', () => {
    for (const t of [
      '0',
      '-0',
      '12',
      '12.',
      '.5',
      '+7',
      '-0.25',
      '1e6',
      '2.5E-3',
      ' 42 ',
      '1,234.5',
      '1,234,567',
      '1e308',
    ])
      expect(parseNumberString(t), t).toBe(Number(t.replace(/,/g, '').trim()) + 0);
    expect(Object.is(parseNumberString('-0'), 0)).toBe(true);
  });
});

/** One transactions row per hostile amount, plus one good row; loan_months with hostile dpd/outstanding. */
const txn = (amount: unknown, i: number) => ({
  txn_id: `T${i}`,
  customer_id: 'C1',
  txn_time: '2024-05-01 10:00:00',
  amount,
  direction: 'in',
});

describe('issue 13 #6 repro: "0x1F" in amount, dpd and outstanding', () => {
  const cases: Array<[string, number]> = [];
  const rejectedAll = (
    label: string,
    report: { rowsKept: number; rejected: Record<string, number> },
    bad: number,
    kept: number,
  ) => {
    cases.push([label, bad]);
    expect(report.rejected.unparseable_number, label).toBe(bad);
    expect(report.rowsKept, label).toBe(kept);
  };

  it('rows, arrays, columnar, JSON and CSV: every hostile amount is rejected', () => {
    const rows = [...HOSTILE.map(txn), txn('31', 999)];
    rejectedAll('rows', ingestSync('transactions', rows).report, HOSTILE.length, 1);
    const header = Object.keys(rows[0]!);
    const arrays = [header, ...rows.map((r) => header.map((h) => (r as Record<string, unknown>)[h]))];
    rejectedAll('arrays', ingestSync('transactions', arrays).report, HOSTILE.length, 1);
    const columnar = Object.fromEntries(
      header.map((h) => [h, rows.map((r) => (r as Record<string, unknown>)[h])]),
    );
    rejectedAll('columnar', ingestSync('transactions', columnar).report, HOSTILE.length, 1);
    rejectedAll('json', ingestSync('transactions', JSON.stringify(rows)).report, HOSTILE.length, 1);
    const q = (s: string) => (/[",\s]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const csv = [
      header.join(','),
      ...rows.map((r) => header.map((h) => q(String((r as Record<string, unknown>)[h]))).join(',')),
    ].join('\n');
    const { report, dataset } = ingestSync('transactions', csv);
    rejectedAll('csv', report, HOSTILE.length, 1);
    expect(cellValue(dataset.cols.amount!, 0)).toBe(31);
  });

  it('Arrow utf8 strings in a number column', () => {
    const bytes = tableToIPC(
      tableFromArrays(
        {
          loan_id: HOSTILE.map((_, i) => `L${i}`),
          snapshot_date: HOSTILE.map(() => '2024-05-31'),
          outstanding: HOSTILE,
          dpd: HOSTILE.map(() => '0x1F'),
        },
        { types: { loan_id: utf8(), snapshot_date: utf8(), outstanding: utf8(), dpd: utf8() } },
      ),
      {},
    )!;
    const { report } = ingestSync('loan_months', bytes);
    // outstanding is required: every row rejected as unparseable
    rejectedAll('arrow', report, HOSTILE.length, 0);
  });

  it('optional number columns: blanked and counted as coerced, never read as 31', () => {
    const rows = ['0x1F', '0b11', 'Infinity', '7'].map((due, i) => ({
      loan_id: `L${i}`,
      snapshot_date: '2024-05-31',
      outstanding: '100',
      dpd: '0',
      due_amount: due,
    }));
    for (const input of [
      rows,
      JSON.stringify(rows),
      'loan_id,snapshot_date,outstanding,dpd,due_amount\n' +
        rows.map((r) => Object.values(r).join(',')).join('\n'),
    ]) {
      const { dataset, report } = ingestSync('loan_months', input);
      expect(report.rowsKept).toBe(4);
      expect(report.coerced.due_amount?.unparseable_number).toBe(3);
      expect([0, 1, 2, 3].map((i) => cellValue(dataset.cols.due_amount!, i))).toEqual([null, null, null, 7]);
    }
  });

  it('prints the figure', () => {
    const total = cases.reduce((a, [, n]) => a + n, 0);
    console.log(
      `numbers: ${cases.length} paths × ${HOSTILE.length} JS-only/garbage notations → ${total}/${total} rejected as unparseable_number`,
    );
    expect(total).toBeGreaterThan(0);
  });
});
