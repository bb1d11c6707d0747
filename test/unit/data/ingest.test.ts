import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import * as aq from 'arquero';
import { int64, tableFromArrays, tableToIPC, utf8, dateDay, float64 } from '@uwdata/flechette';
import {
  DateSink,
  NumSink,
  ingest,
  ingestSync,
  parseCSV,
  quoteUnsafeIntegers,
  inferType,
  rawValues,
} from '../../../src/data/ingest.js';
import { offsetGetter, parseDateString, parseNumberString } from '../../../src/data/columns.js';
import type { RawTable } from '../../../src/data/ingest.js';
import { toArquero } from '../../../src/data/arquero-table.js';
import type { CatColumn, Column, DateColumn, NumColumn, Dataset } from '../../../src/data/dataset.js';
import { cellValue, monthLabel } from '../../../src/data/dataset.js';
import { FinError } from '../../../src/engine/errors.js';
import { REJECT_REASONS } from '../../../src/data/quality.js';

const cat = (ds: Dataset, c: string): CatColumn => ds.cols[c] as CatColumn;
const num = (ds: Dataset, c: string): NumColumn => ds.cols[c] as NumColumn;
const values = (ds: Dataset, c: string): unknown[] => {
  const col: Column = ds.cols[c]!;
  return Array.from({ length: ds.n }, (_, i) => cellValue(col, i));
};
/** Raw CSV column as text (untyped CSV columns come back as numbers when every cell is one). */
const col = (t: RawTable, c: string): unknown[] =>
  Array.from(rawValues(t, c), (v) => (typeof v === 'number' ? (Number.isNaN(v) ? null : String(v)) : v));
const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);

/**
 * loan_months fixture, one row per rule. Row numbers are 1-based data rows.
 *  1 kept
 *  2 missing loan_id                                  → missing_required
 *  3 outstanding 'abc'                                → unparseable_number
 *  4 snapshot 2024-02-30 (impossible date)            → unparseable_date
 *  5 outstanding -5                                   → negative_amount
 *  6 dpd 200000 (range 0..100000)                     → out_of_range
 *  7 status 'bogus'                                   → invalid_category
 *  8 repeats row 1's key (L1, 2024-01-31)             → duplicate_key
 *  9 due_amount 'x' (optional, unparseable)           → kept, coerced
 * 10 missing loan_id AND outstanding -5               → missing_required (order 1 < 4)
 * 11 outstanding 'abc' AND status 'bogus'             → unparseable_number (order 2 < 6)
 * 12 outstanding -0                                   → kept, stored as 0
 * 13 outstanding Infinity                             → unparseable_number
 * 14 L4 again, valid 2024-02-29 (row 4 was rejected, so no duplicate) → kept
 * 15 repeats row 1's key again                        → duplicate_key
 * kept = {1, 9, 12, 14} = 4; rejected 2+3+1+1+1+1+2 = 11; 4 + 11 = 15 rows read.
 */
const HEADER = ['loan_id', 'snapshot_date', 'outstanding', 'dpd', 'due_amount', 'paid_amount', 'status'];
const ROWS: unknown[][] = [
  ['L1', '2024-01-31', 1000, 0, 100, 100, 'active'],
  ['', '2024-01-31', 1000, 0, 100, 100, 'active'],
  ['L3', '2024-01-31', 'abc', 0, 100, 100, 'active'],
  ['L4', '2024-02-30', 1000, 0, 100, 100, 'active'],
  ['L5', '2024-01-31', -5, 0, 100, 100, 'active'],
  ['L6', '2024-01-31', 100, 200000, 100, 100, 'active'],
  ['L7', '2024-01-31', 100, 0, 100, 100, 'bogus'],
  ['L1', '2024-01-31', 999, 3, 100, 100, 'active'],
  ['L9', '2024-01-31', 100, 0, 'x', 100, 'active'],
  [null, '2024-01-31', -5, 0, 100, 100, 'active'],
  ['L11', '2024-01-31', 'abc', 0, 100, 100, 'bogus'],
  ['L12', '2024-01-31', -0, 0, 100, 100, 'closed'],
  ['L13', '2024-01-31', Infinity, 0, 100, 100, 'active'],
  ['L4', '2024-02-29', 1000, 0, 100, 100, 'active'],
  ['L1', '2024-01-31', 5, 0, 100, 100, 'active'],
];
const rowObjects = (): Record<string, unknown>[] =>
  ROWS.map((r) => Object.fromEntries(HEADER.map((h, i) => [h, r[i]])));

function expectFixtureReport(report: ReturnType<typeof ingestSync>['report']): void {
  expect(report.rowsRead).toBe(15);
  expect(report.rowsKept).toBe(4);
  expect(report.rejected).toEqual({
    missing_required: 2,
    unparseable_number: 3,
    unparseable_date: 1,
    negative_amount: 1,
    out_of_range: 1,
    invalid_category: 1,
    duplicate_key: 2,
  });
  expect(report.rowsRejected).toBe(2 + 3 + 1 + 1 + 1 + 1 + 2);
  expect(report.rowsRead).toBe(report.rowsKept + sum(report.rejected));
  expect(report.duplicatesRemoved).toBe(2);
  expect(report.samples.missing_required).toEqual([2, 10]);
  expect(report.samples.unparseable_number).toEqual([3, 11, 13]);
  expect(report.samples.unparseable_date).toEqual([4]);
  expect(report.samples.negative_amount).toEqual([5]);
  expect(report.samples.out_of_range).toEqual([6]);
  expect(report.samples.invalid_category).toEqual([7]);
  expect(report.samples.duplicate_key).toEqual([8, 15]);
  expect({ ...report.coerced }).toEqual({ due_amount: { unparseable_number: 1 } });
}

describe('validation and cleaning', () => {
  it('rejects each reason once per row, in the documented order (row objects)', () => {
    const { dataset, report } = ingestSync('loan_months', rowObjects());
    expectFixtureReport(report);
    expect(dataset.n).toBe(4);
    expect(values(dataset, 'loan_id')).toEqual(['L1', 'L9', 'L12', 'L4']);
    // -0 → 0, and the coerced optional cell is missing
    expect(Object.is(num(dataset, 'outstanding').data[2], 0)).toBe(true);
    expect(values(dataset, 'due_amount')).toEqual([100, null, 100, 100]);
    // rejected rows leave no trace in dictionaries (no 'bogus' status, no L3)
    expect(cat(dataset, 'status').dict.sort()).toEqual(['active', 'closed']);
    expect(cat(dataset, 'loan_id').dict).not.toContain('L3');
    // the kept L4 row is 2024-02-29 in Asia/Shanghai
    const d = dataset.cols.snapshot_date as DateColumn;
    expect(d.data[3]).toBe(Date.UTC(2024, 1, 29) - 8 * 3600000);
    expect(monthLabel(d.month[3]!)).toBe('2024-02');
    expect(report.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['rows_rejected', 'duplicates_removed', 'cells_coerced']),
    );
    for (const w of report.warnings) {
      expect(w.message['zh-CN'].length).toBeGreaterThan(0);
      expect(w.message['en-US'].length).toBeGreaterThan(0);
    }
  });

  it('gives the same counts from arrays of arrays, columnar arrays and CSV text', () => {
    expectFixtureReport(ingestSync('loan_months', [HEADER, ...ROWS]).report);
    const columnar = Object.fromEntries(HEADER.map((h, i) => [h, ROWS.map((r) => r[i])]));
    expectFixtureReport(ingestSync('loan_months', columnar).report);
    const csv = [HEADER, ...ROWS]
      .map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))
      .join('\n');
    expectFixtureReport(ingestSync('loan_months', csv).report);
  });

  it('keeps only the first 5 sample row numbers', () => {
    // 7 rows without loan_id among 9: rows 2..8 → samples [2,3,4,5,6]; kept 9 − 7 = 2
    const rows = Array.from({ length: 9 }, (_, i) => ({
      loan_id: i === 0 || i === 8 ? `L${i}` : '',
      snapshot_date: '2024-01-31',
      outstanding: 1,
      dpd: 0,
    }));
    const { report } = ingestSync('loan_months', rows);
    expect(report.rejected.missing_required).toBe(7);
    expect(report.samples.missing_required).toEqual([2, 3, 4, 5, 6]);
    expect(report.rowsKept).toBe(2);
  });

  it('counts unparseable required dates, impossible calendar dates included', () => {
    // 2024-02-30 and 2023-02-29 are impossible, 'soon' is text, '' is missing:
    // unparseable_date 3, missing_required 1, kept 2 (2024-02-29 leap day, 2024-03-01)
    const dates = ['2024-02-30', '2024-02-29', '2023-02-29', 'soon', '', '2024-03-01'];
    const rows = dates.map((d, i) => ({ loan_id: `L${i}`, snapshot_date: d, outstanding: 1, dpd: 0 }));
    const { report } = ingestSync('loan_months', rows);
    expect(report.rejected.unparseable_date).toBe(3);
    expect(report.rejected.missing_required).toBe(1);
    expect(report.samples.unparseable_date).toEqual([1, 3, 4]);
    expect(report.rowsKept).toBe(2);
  });

  it('treats NaN / ±Infinity as unparseable and 1e308 as out of range', () => {
    // required outstanding: NaN, Infinity, -Infinity → 3 unparseable_number; 1e308 → out_of_range
    // (beyond ±1e15 without a declared range); 'NA' missing; 2.5e14 kept
    const out = [NaN, Infinity, -Infinity, 1e308, 'NA', 2.5e14];
    const rows = out.map((v, i) => ({
      loan_id: `L${i}`,
      snapshot_date: '2024-01-31',
      outstanding: v,
      dpd: 0,
    }));
    const { dataset, report } = ingestSync('loan_months', rows);
    expect(report.rejected.unparseable_number).toBe(3);
    expect(report.rejected.missing_required).toBe(1);
    expect(report.rejected.out_of_range).toBe(1);
    expect(values(dataset, 'outstanding')).toEqual([2.5e14]);
  });

  it('treats NaN in a Float64Array column as missing, ±Infinity as unparseable', () => {
    const cols = {
      loan_id: ['a', 'b', 'c', 'd'],
      snapshot_date: ['2024-01-31', '2024-01-31', '2024-01-31', '2024-01-31'],
      outstanding: Float64Array.of(1, NaN, Infinity, 2),
      dpd: Int32Array.of(0, 0, 0, 0),
      paid_amount: Float64Array.of(NaN, 1, 1, -Infinity),
    };
    const { dataset, report } = ingestSync('loan_months', cols);
    // b: missing required; c: unparseable required; d: paid_amount -Infinity optional → coerced
    expect(report.rejected.missing_required).toBe(1);
    expect(report.rejected.unparseable_number).toBe(1);
    expect({ ...report.coerced }).toEqual({ paid_amount: { unparseable_number: 1 } });
    expect(values(dataset, 'loan_id')).toEqual(['a', 'd']);
    expect(values(dataset, 'paid_amount')).toEqual([null, null]);
  });

  it('rejects optional values that break nonNegative / range / values rules too', () => {
    // paid_amount optional but nonNegative: -1 → negative_amount; status optional: 'X' → invalid;
    // 'Closed' is a case variant of an allowed value → normalised, kept
    const rows = [
      { loan_id: 'a', snapshot_date: '2024-01-31', outstanding: 1, dpd: 0, paid_amount: -1 },
      { loan_id: 'b', snapshot_date: '2024-01-31', outstanding: 1, dpd: 0, status: 'X' },
      { loan_id: 'c', snapshot_date: '2024-01-31', outstanding: 1, dpd: 0, status: 'Closed' },
    ];
    const { dataset, report } = ingestSync('loan_months', rows);
    expect(report.rejected.negative_amount).toBe(1);
    expect(report.rejected.invalid_category).toBe(1);
    expect(values(dataset, 'status')).toEqual(['closed']);
    expect(report.warnings.some((w) => w.code === 'category_normalized')).toBe(true);
  });

  it('dedups on a single key and keeps the first occurrence', () => {
    // 6 rows, ids a b a c b a → duplicates at rows 3, 5, 6 → 3 removed, kept a b c
    const ids = ['a', 'b', 'a', 'c', 'b', 'a'];
    const rows = ids.map((id, i) => ({ loan_id: id, issue_date: '2024-01-01', principal: i }));
    const { dataset, report } = ingestSync('loans', rows);
    expect(report.duplicatesRemoved).toBe(3);
    expect(report.samples.duplicate_key).toEqual([3, 5, 6]);
    expect(values(dataset, 'principal')).toEqual([0, 1, 3]);
  });

  it('does not dedup rows whose key has a missing part (funnel_events has no key at all)', () => {
    const rows = [
      { user_id: 'u', event_time: '2024-01-01 10:00:00', stage: 'visit' },
      { user_id: 'u', event_time: '2024-01-01 10:00:00', stage: 'visit' },
    ];
    expect(ingestSync('funnel_events', rows).report.rowsKept).toBe(2);
  });
});

describe('columns and mapping', () => {
  it('maps host columns through fields and keeps extra columns with inferred types', () => {
    const rows = [
      {
        LoanNo: 'X1',
        snap: '2024-01-31',
        bal: '1,234.50',
        days_overdue: '3',
        job: 'teacher',
        score: '0.5',
        branch_code: '0101',
      },
      {
        LoanNo: 'X2',
        snap: '2024-02-29',
        bal: '10',
        days_overdue: '0',
        job: 'farmer',
        score: '0.75',
        branch_code: '0102',
      },
    ];
    const { dataset, report } = ingestSync('loan_months', rows, {
      fields: { loan_id: 'LoanNo', snapshot_date: 'snap', outstanding: 'bal', dpd: 'days_overdue' },
    });
    expect(Object.keys(dataset.cols)).toEqual([
      'loan_id',
      'snapshot_date',
      'outstanding',
      'dpd',
      'job',
      'score',
      'branch_code',
    ]);
    expect(values(dataset, 'outstanding')).toEqual([1234.5, 10]);
    expect(dataset.cols.job!.kind).toBe('cat');
    expect(dataset.cols.score!.kind).toBe('num');
    expect(values(dataset, 'branch_code')).toEqual(['0101', '0102']); // id-like name, leading zeros kept
    expect({ ...report.columns.mapped }).toEqual({
      loan_id: 'LoanNo',
      snapshot_date: 'snap',
      outstanding: 'bal',
      dpd: 'days_overdue',
    });
    expect(report.columns.extra).toEqual(['job', 'score', 'branch_code']);
    expect(report.columns.missingOptional).toEqual(['due_amount', 'paid_amount', 'status']);
  });

  it('throws missing_column naming the canonical column, the host column tried and those available', () => {
    const rows = [{ LoanNumber: 'a', snapshot_date: '2024-01-31', outstanding: 1, dpd: 0 }];
    let err: unknown;
    try {
      ingestSync('loan_months', rows, { fields: { loan_id: 'LoanNo' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FinError);
    const fe = err as FinError;
    expect(fe.code).toBe('missing_column');
    expect(fe.message).toContain('"loan_id"');
    expect(fe.message).toContain('"LoanNo"');
    expect(fe.message).toContain('LoanNumber, snapshot_date, outstanding, dpd');
    expect(fe.details).toMatchObject({
      dataset: 'loan_months',
      column: 'loan_id',
      tried: 'LoanNo',
      available: ['LoanNumber', 'snapshot_date', 'outstanding', 'dpd'],
    });
  });

  it('infers types for non-canonical datasets', () => {
    const { dataset } = ingestSync('my_table', {
      customer_no: ['001', '002'],
      amount: ['1.5', '2'],
      when: ['2024-01-01', '2024-01-02'],
      flag: [true, false],
      big: ['123456789012345678', '1'],
      label: ['x', '1'],
    });
    expect(Object.fromEntries(Object.entries(dataset.cols).map(([k, c]) => [k, c.kind]))).toEqual({
      customer_no: 'cat',
      amount: 'num',
      when: 'date',
      flag: 'bool',
      big: 'cat',
      label: 'cat',
    });
    expect(inferType('LoanNo', [1, 2])).toBe('cat');
  });

  it('makes __proto__, constructor and dotted keys harmless', () => {
    const json =
      '[{"__proto__":"p1","constructor":"c1","a.b":"1","x[0]":"y","loan_id":"L","snapshot_date":"2024-01-31","outstanding":1,"dpd":0}]';
    const { dataset, report } = ingestSync('loan_months', json);
    expect(Object.getPrototypeOf(dataset.cols)).toBe(null);
    expect(Object.hasOwn(dataset.cols, '__proto__')).toBe(true);
    expect(values(dataset, '__proto__')).toEqual(['p1']);
    expect(values(dataset, 'constructor')).toEqual(['c1']);
    expect(values(dataset, 'a.b')).toEqual([1]);
    expect(values(dataset, 'x[0]')).toEqual(['y']);
    expect(({} as Record<string, unknown>).p1).toBeUndefined();
    expect(report.columns.extra).toEqual(['__proto__', 'constructor', 'a.b', 'x[0]']);
    // a row without those keys must not read inherited members
    const rows = [{ loan_id: 'L', snapshot_date: '2024-01-31', outstanding: 1, dpd: 0 }];
    const r2 = ingestSync('loan_months', rows, {
      fields: { constructor: 'constructor', toString: 'toString' } as Record<string, string>,
    });
    expect(Object.keys(r2.dataset.cols)).toEqual(['loan_id', 'snapshot_date', 'outstanding', 'dpd']);
    // dataset names that shadow Object.prototype members have no schema
    expect(ingestSync('constructor', rows).dataset.n).toBe(1);
    expect(ingestSync('__proto__', rows).dataset.n).toBe(1);
  });

  it('interprets wall-clock dates in opts.timeZone', () => {
    const rows = [{ loan_id: 'a', snapshot_date: '2024-01-31', outstanding: 1, dpd: 0 }];
    const sh = ingestSync('loan_months', rows).dataset.cols.snapshot_date as DateColumn;
    const ny = ingestSync('loan_months', rows, { timeZone: 'America/New_York' }).dataset.cols
      .snapshot_date as DateColumn;
    expect(sh.data[0]).toBe(Date.UTC(2024, 0, 30, 16));
    expect(ny.data[0]).toBe(Date.UTC(2024, 0, 31, 5));
    expect(sh.day[0]).toBe(ny.day[0]);
  });

  it('rejects an unknown time zone with bad_input', () => {
    expect(() =>
      ingestSync('loans', 'loan_id,issue_date,principal\na,2024-01-01,1', { timeZone: 'Mars/Base' }),
    ).toThrow(expect.objectContaining({ code: 'bad_input' }));
  });

  it('returns an empty dataset with the schema columns for an empty row array', () => {
    const { dataset, report } = ingestSync('loans', []);
    expect(dataset.n).toBe(0);
    expect(Object.keys(dataset.cols)).toContain('loan_id');
    expect(report.warnings.map((w) => w.code)).toContain('empty_input');
  });
});

describe('CSV', () => {
  it('handles quotes, escaped quotes, embedded delimiters and newlines, BOM and CRLF', () => {
    const csv =
      '\uFEFFloan_id,note,amount\r\n"L,1","he said ""hi""\r\nbye",1\r\nL2,,2\r\n\r\n"L3",plain,"3"\r\n';
    const t = parseCSV(csv);
    expect(t.names).toEqual(['loan_id', 'note', 'amount']);
    expect(t.n).toBe(3);
    expect(col(t, 'loan_id')).toEqual(['L,1', 'L2', 'L3']);
    expect(col(t, 'note')).toEqual(['he said "hi"\r\nbye', null, 'plain']);
  });

  it('auto-detects ; and tab delimiters', () => {
    expect(parseCSV('a;b;c\n1;2,5;3').names).toEqual(['a', 'b', 'c']);
    expect(col(parseCSV('a;b;c\n1;2,5;3'), 'b')).toEqual(['2,5']);
    expect(parseCSV('a\tb\n1\t2\n').names).toEqual(['a', 'b']);
    expect(parseCSV('a,b\n1,2').names).toEqual(['a', 'b']);
  });

  it('counts ragged rows and reads missing fields as empty', () => {
    const t = parseCSV('a,b,c\n1,2\n1,2,3,4\n1,2,3');
    expect(t.n).toBe(3);
    expect(col(t, 'c')).toEqual([null, '3', '3']);
    expect(t.warnings.find((w) => w.code === 'ragged_rows')?.details).toEqual({ count: 2 });
  });

  it('keeps identifiers exact and does not autotype categories', () => {
    const csv =
      'customer_id,id_number,name,phone,aum,segment\n007,110101199003071234,张三,13812341234,1e3,001\n';
    const { dataset } = ingestSync('customers', csv, { unmask: true });
    expect(values(dataset, 'customer_id')).toEqual(['007']);
    expect(values(dataset, 'id_number')).toEqual(['110101199003071234']);
    expect(values(dataset, 'segment')).toEqual(['001']);
    expect(values(dataset, 'aum')).toEqual([1000]);
  });

  it('round-trips arbitrary quoted cells (property)', () => {
    const token = fc.constantFrom(
      'a',
      'b',
      'Z',
      ' ',
      ',',
      ';',
      '"',
      '""',
      '\n',
      '\r\n',
      '1',
      '-',
      '\t',
      '张',
    );
    const cellArb = fc.array(token, { maxLength: 6 }).map((a) => a.join(''));
    const quote = (v: string) => (/[",;\r\n\t]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v);
    const NULLS = new Set(['na', 'n/a', 'null', 'none', 'nan', '-', '—']);
    const expected = (v: string) => {
      const t = v.trim();
      return t === '' || NULLS.has(t.toLowerCase()) ? null : t;
    };
    fc.assert(
      fc.property(
        fc.array(fc.array(cellArb, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (rows, crlf) => {
          const eol = crlf ? '\r\n' : '\n';
          const text = ['c0,c1,c2', ...rows.map((r) => r.map(quote).join(','))].join(eol);
          const t = parseCSV(text);
          expect(t.names).toEqual(['c0', 'c1', 'c2']);
          expect(t.n).toBe(rows.length);
          for (let c = 0; c < 3; c++) expect(col(t, `c${c}`)).toEqual(rows.map((r) => expected(r[c]!)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads untyped columns as numbers until a cell is not one, then as exact strings', () => {
    const t = parseCSV('x,y,z,w\n1.50,5,1,\n"2",007,2,\nabc,6,3,NA\n');
    expect(rawValues(t, 'x')).toEqual(['1.50', '2', 'abc']);
    expect(rawValues(t, 'y')).toEqual(['5', '007', '6']);
    expect(Array.from(rawValues(t, 'z'))).toEqual([1, 2, 3]);
    expect(rawValues(t, 'w')).toEqual([null, null, null]);
    // unmask: a 16-digit value has a card's shape and would be masked (pii-shapes.ts); this checks digits
    const { dataset } = ingestSync('t', 'x,big\n1,1234567890123456\n2,7', { unmask: true });
    expect(dataset.cols.x!.kind).toBe('num');
    expect(values(dataset, 'big')).toEqual(['1234567890123456', '7']);
  });

  it('reads single-column files, bare CR line ends and trailing delimiters', () => {
    expect(col(parseCSV('a\nx\ny\n'), 'a')).toEqual(['x', 'y']);
    expect(col(parseCSV('a,b\rx,1\ry,2'), 'b')).toEqual(['1', '2']);
    const t = parseCSV('a,b,\n1,2,\n');
    expect(t.names).toEqual(['a', 'b', 'column_3']);
    expect(t.n).toBe(1);
  });

  it('decodes numbers exactly like Number() (fast path property)', () => {
    const numText = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc
        .tuple(fc.integer({ min: 0, max: 99999999 }), fc.integer({ min: 0, max: 9999999 }), fc.boolean())
        .map(([a, b, neg]) => `${neg ? '-' : ''}${a}.${String(b).padStart(7, '0')}`),
      fc.stringMatching(/^[+-]?\d{0,17}(\.\d{0,8})?$/),
      fc.constantFrom('1,234.5', '1,5', '', ' 7 ', 'NA', '-', '1e5', '.5', '5.', '0x10', 'abc', '1.2.3'),
    );
    fc.assert(
      fc.property(fc.array(numText, { maxLength: 20 }), (xs) => {
        const sink = new NumSink();
        for (const x of xs) sink.add(`,${x},`, 1, x.length + 1);
        const got = Array.from(sink.finish());
        const want = xs.map((x) => parseNumberString(x));
        expect(got).toEqual(want);
        expect(
          Object.is(
            got.find((v) => v === 0),
            -0,
          ),
        ).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes dates exactly like parseDateString (fast path property)', () => {
    const two = (lo: number, hi: number) =>
      fc.integer({ min: lo, max: hi }).map((v) => String(v).padStart(2, '0'));
    const dateText = fc
      .tuple(
        fc.integer({ min: 1900, max: 2100 }),
        two(0, 13),
        two(0, 32),
        fc.constantFrom('', ' ', 'T'),
        two(0, 25),
        two(0, 61),
        two(0, 61),
        fc.constantFrom('-', '/'),
        fc.nat(2),
      )
      .map(([y, m, d, sep, hh, mi, ss, ds, form]) => {
        const date = `${y}${ds}${m}${ds}${d}`;
        if (sep === '') return date;
        return form === 0 ? `${date}${sep}${hh}:${mi}` : `${date}${sep}${hh}:${mi}:${ss}`;
      });
    for (const tz of ['Asia/Shanghai', 'America/New_York']) {
      const off = offsetGetter(tz);
      fc.assert(
        fc.property(dateText, (x) => {
          const sink = new DateSink(tz);
          sink.add(x, 0, x.length);
          const got = sink.finish()[0]!;
          const want = parseDateString(x, off);
          expect(got).toBe(want);
          expect(sink.unparseable.length).toBe(Number.isNaN(want) ? 1 : 0);
        }),
        { numRuns: 1000 },
      );
    }
  });

  it('does not treat a decimal comma as a thousands separator', () => {
    const { dataset, report } = ingestSync('my', 'x;y\n"1,5";"1,234"\n"2";"3"', { fields: {} });
    // '1,5' is not a number → column x is inferred cat; y: '1,234' is 1234
    expect(dataset.cols.x!.kind).toBe('cat');
    expect(values(dataset, 'y')).toEqual([1234, 3]);
    expect(report.rowsKept).toBe(2);
  });

  it('supports headerless input with opts.columns', () => {
    const { dataset } = ingestSync('loans', 'a,2024-01-05,100\nb,2024-01-06,200', {
      columns: ['loan_id', 'issue_date', 'principal'],
    });
    expect(values(dataset, 'principal')).toEqual([100, 200]);
  });
});

describe('JSON, Arrow, Arquero and URL inputs', () => {
  it('reads JSON arrays of rows and {columns} objects, big integer literals exact', () => {
    const a = ingestSync(
      'loans',
      '[{"loan_id": 6222021234567890123, "issue_date": "2024-01-05", "principal": 100}]',
      { unmask: true }, // card-shaped ids are masked by default; this checks the digits survive
    );
    expect(values(a.dataset, 'loan_id')).toEqual(['6222021234567890123']);
    const b = ingestSync(
      'loans',
      '{"columns": {"loan_id": ["a"], "issue_date": ["2024-01-05"], "principal": [1]}}',
    );
    expect(b.dataset.n).toBe(1);
    const c = ingestSync(
      'loans',
      '{"columns": ["loan_id","issue_date","principal"], "rows": [["a","2024-01-05",1]]}',
    );
    expect(values(c.dataset, 'principal')).toEqual([1]);
    expect(quoteUnsafeIntegers('{"s":"12345678901234567890","n":12345678901234567890,"m":1.5}')).toBe(
      '{"s":"12345678901234567890","n":"12345678901234567890","m":1.5}',
    );
  });

  it('round-trips Arrow IPC bytes, int64 ids as exact decimal strings', () => {
    const ids = [110101199003071234n, 6222021234567890123n, 7n];
    const table = tableFromArrays(
      {
        loan_id: BigInt64Array.from(ids),
        customer_id: ['c1', 'c2', 'c3'],
        issue_date: [Date.UTC(2024, 0, 5), Date.UTC(2024, 1, 29), Date.UTC(2023, 11, 31)],
        principal: Float64Array.of(100, 200.5, 300),
        product: ['p', 'q', 'p'],
      },
      {
        types: {
          loan_id: int64(),
          customer_id: utf8(),
          issue_date: dateDay(),
          principal: float64(),
          product: utf8(),
        },
      },
    );
    const bytes = tableToIPC(table, { format: 'stream' })!;
    const { dataset, report } = ingestSync('loans', bytes, { unmask: true }); // digits, not masking
    expect(report.rowsKept).toBe(3);
    expect(values(dataset, 'loan_id')).toEqual(['110101199003071234', '6222021234567890123', '7']);
    // by default the ID- and card-shaped ids are masked with a stable hash suffix (issue 13 #3)
    const masked = values(ingestSync('loans', bytes).dataset, 'loan_id') as string[];
    expect(masked[0]).toMatch(/^110\*{11}1234#[0-9a-z]{14}$/);
    expect(masked[1]).toMatch(/^622202\*{9}0123#[0-9a-z]{14}$/);
    expect(masked[2]).toBe('7');
    expect(values(dataset, 'principal')).toEqual([100, 200.5, 300]);
    const d = dataset.cols.issue_date as DateColumn;
    expect(monthLabel(d.month[1]!)).toBe('2024-02');
    // ArrayBuffer works too
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    expect(ingestSync('loans', ab).dataset.n).toBe(3);
  });

  it('reads Arrow written by arquero and Arquero tables (filtered too)', () => {
    const t = aq.table({
      loan_id: ['a', 'b', 'c'],
      issue_date: ['2024-01-05', '2024-01-06', '2024-01-07'],
      principal: [1, 2, 3],
    });
    const bytes = aq.toArrowIPC(t);
    expect(values(ingestSync('loans', bytes).dataset, 'loan_id')).toEqual(['a', 'b', 'c']);
    expect(ingestSync('loans', t).dataset.n).toBe(3);
    const filtered = t.filter((d: { principal: number }) => d.principal > 1);
    expect(values(ingestSync('loans', filtered).dataset, 'loan_id')).toEqual(['b', 'c']);
  });

  it('exposes a dataset as an Arquero table with month indexes', () => {
    const { dataset } = ingestSync('loan_months', rowObjects());
    const t = toArquero(dataset);
    expect(t.numRows()).toBe(4);
    expect(t.columnNames()).toContain('snapshot_date_month');
    expect(t.array('loan_id')).toEqual(['L1', 'L9', 'L12', 'L4']);
    const m = t.array('snapshot_date_month') as Float64Array;
    expect(monthLabel(m[3]!)).toBe('2024-02');
    const total = t.rollup({ s: (d: { outstanding: number }) => aq.op.sum(d.outstanding) }).get('s', 0);
    expect(total).toBe(1000 + 100 + 0 + 1000);
  });

  describe('URL', () => {
    afterEach(() => vi.unstubAllGlobals());
    const csv = 'loan_id,issue_date,principal\na,2024-01-05,1\nb,2024-01-06,2\n';

    it('fetches CSV by content type, JSON by extension, Arrow bytes', async () => {
      const fetchMock = vi.fn(async (url: string) => {
        if (url.endsWith('.json')) {
          return new Response('[{"loan_id":"j","issue_date":"2024-01-05","principal":5}]', { status: 200 });
        }
        if (url.endsWith('.arrow')) {
          const t = aq.table({ loan_id: ['x'], issue_date: ['2024-01-05'], principal: [9] });
          return new Response(aq.toArrowIPC(t) as unknown as BodyInit, { status: 200 });
        }
        return new Response(csv, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' } });
      });
      vi.stubGlobal('fetch', fetchMock);
      expect((await ingest('loans', 'https://example.test/loans')).dataset.n).toBe(2);
      expect(values((await ingest('loans', { url: '/data/loans.json' })).dataset, 'loan_id')).toEqual(['j']);
      expect(
        values((await ingest('loans', 'https://example.test/loans.arrow')).dataset, 'principal'),
      ).toEqual([9]);
      expect(fetchMock).toHaveBeenCalledTimes(3);
    });

    it('turns HTTP and network errors into fetch_failed', async () => {
      vi.stubGlobal('fetch', async () => new Response('nope', { status: 404, statusText: 'Not Found' }));
      await expect(ingest('loans', 'https://example.test/x.csv')).rejects.toMatchObject({
        code: 'fetch_failed',
        details: { url: 'https://example.test/x.csv', status: 404 },
      });
      vi.stubGlobal('fetch', async () => {
        throw new TypeError('network down');
      });
      await expect(ingest('loans', { url: 'https://example.test/x.csv' })).rejects.toMatchObject({
        code: 'fetch_failed',
      });
    });

    it('refuses URLs in ingestSync', () => {
      expect(() => ingestSync('loans', { url: 'https://example.test/x.csv' })).toThrow(FinError);
    });
  });
});

describe('identifiers round-trip exactly on every path (property)', () => {
  // unmask: 18/19-digit ids have ID/card shapes and are masked by default (pii-shapes.ts); here the
  // digits themselves are under test.
  const U = { unmask: true };
  const digits = (len: number) =>
    fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: len - 1, maxLength: len - 1 })
      .chain((rest) => fc.integer({ min: 1, max: 9 }).map((h) => `${h}${rest.join('')}`));
  const idArb = fc.oneof(digits(18), digits(19), fc.constant('0001234567890123456'));

  it('rows, CSV, JSON (quoted and bare) and Arrow', () => {
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { minLength: 1, maxLength: 8 }), (ids) => {
        const rows = ids.map((id) => ({
          loan_id: id,
          customer_id: id,
          issue_date: '2024-01-05',
          principal: 1,
        }));
        const expectIds = (ds: Dataset) => {
          expect(values(ds, 'loan_id')).toEqual(ids);
          expect(values(ds, 'customer_id')).toEqual(ids);
        };
        expectIds(ingestSync('loans', rows, U).dataset);
        const csv =
          'loan_id,customer_id,issue_date,principal\n' +
          ids.map((id) => `${id},${id},2024-01-05,1`).join('\n');
        expectIds(ingestSync('loans', csv, U).dataset);
        expectIds(ingestSync('loans', JSON.stringify(rows), U).dataset);
        // bare numeric literals (no leading zero) survive JSON parsing digit for digit
        const bareIds = ids.filter((id) => !id.startsWith('0'));
        const bare =
          '[' +
          bareIds.map((id) => `{"loan_id":${id},"issue_date":"2024-01-05","principal":1}`).join(',') +
          ']';
        if (bareIds.length) expect(values(ingestSync('loans', bare, U).dataset, 'loan_id')).toEqual(bareIds);
        const t = aq.table({
          loan_id: ids,
          customer_id: ids,
          issue_date: ids.map(() => '2024-01-05'),
          principal: ids.map(() => 1),
        });
        expectIds(ingestSync('loans', aq.toArrowIPC(t), U).dataset);
        // int64 Arrow column (19-digit ids ≤ 2^63 − 1)
        const big = bareIds.filter((id) => BigInt(id) < 2n ** 63n);
        if (big.length) {
          const at = tableFromArrays(
            {
              loan_id: BigInt64Array.from(big.map((x) => BigInt(x))),
              issue_date: big.map(() => Date.UTC(2024, 0, 5)),
              principal: big.map(() => 1),
            },
            { types: { loan_id: int64(), issue_date: dateDay(), principal: float64() } },
          );
          expect(
            values(ingestSync('loans', tableToIPC(at, { format: 'stream' })!, U).dataset, 'loan_id'),
          ).toEqual(big);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('warns when identifiers arrive as unsafe JavaScript numbers', () => {
    const unsafe = Number('110101199003071234'); // loses digits: the point of the test
    const { report } = ingestSync('loans', [{ loan_id: unsafe, issue_date: '2024-01-05', principal: 1 }]);
    expect(report.warnings.map((w) => w.code)).toContain('unsafe_integer_id');
  });
});

describe('report invariants (property)', () => {
  it('rowsRead = rowsKept + Σ rejected for random messy rows', () => {
    const cell = fc.oneof(
      fc.constant(''),
      fc.constant(null),
      fc.constant('NA'),
      fc.constant('abc'),
      fc.constant(-1),
      fc.constant(Infinity),
      fc.double(),
      fc.integer({ min: -5, max: 200000 }),
      fc.constantFrom('2024-01-31', '2024-02-30', '2024-02-29', 'active', 'closed', 'bogus', 'L1', 'L2'),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 7, maxLength: 7 }), { maxLength: 40 }), (body) => {
        const { dataset, report } = ingestSync('loan_months', [HEADER, ...body]);
        expect(report.rowsRead).toBe(body.length);
        expect(report.rowsRead).toBe(report.rowsKept + sum(report.rejected));
        expect(report.rowsRejected).toBe(sum(report.rejected));
        expect(dataset.n).toBe(report.rowsKept);
        for (const r of REJECT_REASONS)
          expect(report.samples[r].length).toBe(Math.min(5, report.rejected[r]));
      }),
      { numRuns: 200 },
    );
  });
});
