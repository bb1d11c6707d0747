import { describe, expect, it } from 'vitest';
import type { CheckedColumn, QualityWarningCode } from '../../../src/data/quality.js';
import { REJECT_REASONS, qualityWarning, summarizeRows, validateRows } from '../../../src/data/quality.js';
import type { CatColumn, Column, NumColumn } from '../../../src/data/dataset.js';
import { catColumn, toColumn } from '../../../src/data/columns.js';
import { ingestSync } from '../../../src/data/ingest.js';

const numCol = (xs: number[]): NumColumn => ({ kind: 'num', data: Float64Array.from(xs) });
const catCol = (xs: Array<string | null>): CatColumn => catColumn(xs);

describe('validateRows', () => {
  it('uses the documented order: the lowest failing reason wins for each row', () => {
    // row 0: ok; row 1: missing id + negative → missing_required (1)
    // row 2: negative + out of range + invalid category → negative_amount (4)
    // row 3: out of range + invalid category → out_of_range (5); row 4: invalid category (6)
    const cols: CheckedColumn[] = [
      {
        name: 'id',
        col: catCol(['a', null, 'c', 'd', 'e']),
        spec: { type: 'cat', required: true },
        unparseable: [],
      },
      {
        name: 'amt',
        col: numCol([1, -1, -1, 50, 1]),
        spec: { type: 'num', nonNegative: true, range: [0, 10] },
        unparseable: [],
      },
      {
        name: 'st',
        col: catCol(['x', 'x', 'bad', 'bad', 'bad']),
        spec: { type: 'cat', values: ['x'] },
        unparseable: [],
      },
    ];
    const rej = validateRows(5, cols, null);
    expect(Array.from(rej).map((r) => (r ? REJECT_REASONS[r - 1] : 'kept'))).toEqual([
      'kept',
      'missing_required',
      'negative_amount',
      'out_of_range',
      'invalid_category',
    ]);
  });

  it('reports a present-but-unparseable required cell as unparseable, not missing', () => {
    // rows 1 and 2 are NaN; only row 1 was unparseable text
    const cols: CheckedColumn[] = [
      { name: 'amt', col: numCol([1, NaN, NaN]), spec: { type: 'num', required: true }, unparseable: [1] },
    ];
    const rej = validateRows(3, cols, null);
    expect(Array.from(rej)).toEqual([0, 2, 1]);
  });

  it('dedups on composite keys among rows that pass the other rules', () => {
    // key (id, month): rows 0 & 2 share (a,1) → 2 is a duplicate; row 3 (b,1) is rejected for a
    // negative amount, so row 4 (b,1) is the first kept occurrence and stays; row 5 has a missing
    // key part and is never a duplicate.
    const id = catCol(['a', 'b', 'a', 'b', 'b', null]);
    const month = numCol([1, 1, 1, 2, 2, 1]);
    const amt = numCol([1, 1, 1, -1, 1, 1]);
    const cols: CheckedColumn[] = [
      { name: 'id', col: id, spec: { type: 'cat' }, unparseable: [] },
      { name: 'm', col: month, spec: { type: 'num' }, unparseable: [] },
      { name: 'amt', col: amt, spec: { type: 'num', nonNegative: true }, unparseable: [] },
    ];
    const rej = validateRows(6, cols, [id, month]);
    expect(Array.from(rej)).toEqual([0, 0, 7, 4, 0, 0]);
    const s = summarizeRows(6, rej, cols);
    expect(s.rejected.duplicate_key).toBe(1);
    expect(s.rejected.negative_amount).toBe(1);
    expect(s.rowsKept).toBe(4);
    expect(s.samples.duplicate_key).toEqual([3]);
  });

  it('dedups exactly when the key space is too large for a bitmap', () => {
    // 3 key columns of 3000 distinct values each: 2.7e10 combinations → interned path
    const n = 3000;
    const a = Array.from({ length: n }, (_, i) => `a${i}`);
    const b = Array.from({ length: n }, (_, i) => i);
    const c = Array.from({ length: n }, (_, i) => i * 2);
    // duplicate the first 10 rows at the end
    const cols: Column[] = [
      catCol([...a, ...a.slice(0, 10)]),
      numCol([...b, ...b.slice(0, 10)]),
      numCol([...c, ...c.slice(0, 10)]),
    ];
    const rej = validateRows(n + 10, [], cols);
    let dup = 0;
    for (let i = 0; i < n + 10; i++) if (rej[i] === 7) dup++;
    expect(dup).toBe(10);
    expect(rej[n - 1]).toBe(0);
    expect(rej[n]).toBe(7);
  });

  it('dedups on date keys by instant', () => {
    const d = toColumn(
      't',
      'date',
      ['2024-01-01 10:00:00', '2024-01-01 10:00:00', '2024-01-01 10:00:01'],
      'Asia/Shanghai',
    );
    const rej = validateRows(3, [], [d]);
    expect(Array.from(rej)).toEqual([0, 7, 0]);
  });
});

describe('summarizeRows', () => {
  it('counts coerced optional cells of kept rows only', () => {
    // optional 'fee' unparseable in rows 0 and 1; row 1 is rejected (missing id) → coerced 1
    const cols: CheckedColumn[] = [
      { name: 'id', col: catCol(['a', null]), spec: { type: 'cat', required: true }, unparseable: [] },
      { name: 'fee', col: numCol([NaN, NaN]), spec: { type: 'num' }, unparseable: [0, 1] },
    ];
    const s = summarizeRows(2, validateRows(2, cols, null), cols);
    expect({ ...s.coerced }).toEqual({ fee: { unparseable_number: 1 } });
    expect(s.rowsRead).toBe(s.rowsKept + s.rowsRejected);
  });
});

describe('report from ingest', () => {
  it('has every reason key, bilingual warnings and column bookkeeping', () => {
    const { report } = ingestSync('transactions', [
      { txn_id: 't1', customer_id: 'c', txn_time: '2024-01-01 09:00', amount: 10, direction: 'in' },
      { txn_id: 't2', customer_id: 'c', txn_time: '2024-01-01 09:00', amount: 10, direction: 'sideways' },
      {
        txn_id: 't3',
        customer_id: 'c',
        txn_time: '2024-01-01 09:00',
        amount: 10,
        direction: 'out',
        cash: 'maybe',
      },
    ]);
    expect(Object.keys(report.rejected)).toEqual([...REJECT_REASONS]);
    expect(Object.keys(report.samples)).toEqual([...REJECT_REASONS]);
    expect(report.rejected.invalid_category).toBe(1);
    expect({ ...report.coerced }).toEqual({ cash: { unparseable_bool: 1 } });
    expect(report.columns.types.amount).toBe('num');
    expect(report.columns.types.cash).toBe('bool');
    const w = report.warnings.find((x) => x.code === 'rows_rejected')!;
    expect(w.message['en-US']).toBe('1 of 3 rows rejected (invalid category: 1)');
    expect(w.message['zh-CN']).toBe('共读取 3 行，剔除 1 行（类别值无效 1）');
    expect(JSON.parse(JSON.stringify(report)).rowsKept).toBe(2);
  });

  it('has a message in both languages for every warning code', () => {
    const codes: QualityWarningCode[] = [
      'rows_rejected',
      'all_rows_rejected',
      'duplicates_removed',
      'cells_coerced',
      'ragged_rows',
      'ragged_columns',
      'duplicate_header',
      'column_shadowed',
      'mapped_column_missing',
      'unmasked',
      'mask_off_ignored',
      'mask_rule_none',
      'pii_in_column',
      'pii_in_identifier',
      'unsafe_integer_id',
      'category_normalized',
      'empty_input',
    ];
    for (const c of codes) {
      const w = qualityWarning(c, { byReason: {}, kinds: ['phone'] });
      expect(w.message['zh-CN']).toBeTruthy();
      expect(w.message['en-US']).toBeTruthy();
    }
  });

  it('warns about shadowed host columns and duplicate headers', () => {
    const csv = 'loan_id,days,dpd,snapshot_date,outstanding,x,x\nL,3,99,2024-01-31,1,a,b';
    const { dataset, report } = ingestSync('loan_months', csv, { fields: { dpd: 'days' } });
    expect(Array.from((dataset.cols.dpd as NumColumn).data)).toEqual([3]);
    const codes = report.warnings.map((w) => w.code);
    expect(codes).toContain('column_shadowed');
    expect(codes).toContain('duplicate_header');
    expect(Object.keys(dataset.cols)).toContain('x_2');
  });

  it('warns when a schema identifier holds real resident IDs', () => {
    const { report } = ingestSync('customers', [{ customer_id: '11010519491231002X' }]);
    expect(report.warnings.map((w) => w.code)).toContain('pii_in_identifier');
  });
});
