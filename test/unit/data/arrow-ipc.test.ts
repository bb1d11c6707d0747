/**
 * The direct Arrow IPC reader (src/data/arrow-ipc.ts) against flechette's own decoding of the
 * same bytes: every supported type, nulls, non-ASCII text, several record batches; and the
 * layouts it must leave to flechette.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bool,
  dateDay,
  dictionary,
  float32,
  float64,
  int16,
  int32,
  int64,
  int8,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  timestamp,
  uint16,
  utf8,
} from '@uwdata/flechette';
import { readArrowFast } from '../../../src/data/arrow-ipc.js';
import { ingestSync } from '../../../src/data/ingest.js';
import { cellValue } from '../../../src/data/dataset.js';

const DAY = 86400000;

/** flechette's reading of a column, as plain values (nulls as null, dates as epoch ms). */
function reference(bytes: Uint8Array, name: string): unknown[] {
  const t = tableFromIPC(bytes, { useDate: false, useBigInt: false });
  return Array.from(t.getChild(name).toArray() as ArrayLike<unknown>, (v) => v ?? null);
}

/** readArrowFast's reading of a column, in the same terms. */
function fast(bytes: Uint8Array, name: string): unknown[] {
  const r = readArrowFast(bytes);
  expect(r, 'the direct reader handles this layout').not.toBeNull();
  const dict = r!.dictionaries.get(name);
  const values = dict ? dict.toArray() : r!.columns.get(name)!;
  return Array.from(values, (v) => (typeof v === 'number' && Number.isNaN(v) ? null : (v ?? null)));
}

const cell = fc.option(fc.constantFrom('a', 'b', 'é', '中文', '', ' x ', 'N/A'), { nil: null });

describe('readArrowFast equals flechette', () => {
  it('every supported type, with nulls and several batches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer(),
        (n, batchRows, seed) => {
          let s = seed >>> 0;
          const rnd = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
          const maybe = <T>(v: T): T | null => (rnd() < 0.2 ? null : v);
          const strs = Array.from({ length: n }, () =>
            maybe(['a', 'b', 'é', '中文', '', ' x '][Math.floor(rnd() * 6)]!),
          );
          const cols = {
            f64: Array.from({ length: n }, () => maybe(Math.round(rnd() * 1e6) / 100)),
            f64full: Array.from({ length: n }, () => rnd() * 10),
            f32: Array.from({ length: n }, () => maybe(Math.fround(rnd() * 10))),
            i8: Array.from({ length: n }, () => maybe(Math.floor(rnd() * 200) - 100)),
            i16: Array.from({ length: n }, () => maybe(Math.floor(rnd() * 60000) - 30000)),
            u16: Array.from({ length: n }, () => maybe(Math.floor(rnd() * 60000))),
            i32: Array.from({ length: n }, () => maybe(Math.floor(rnd() * 2e9) - 1e9)),
            text: strs,
            dict: strs.map((v) => (v === null ? null : `k${v}`)),
            day: Array.from({ length: n }, () => maybe(Math.floor(rnd() * 20000) * DAY)),
            ts: Array.from({ length: n }, () => maybe(Math.floor(rnd() * 2e12))),
            tsz: Array.from({ length: n }, () => maybe(Math.floor(rnd() * 2e12))),
            flag: Array.from({ length: n }, () => maybe(rnd() < 0.5)),
          };
          const types = {
            f64: float64(),
            f64full: float64(),
            f32: float32(),
            i8: int8(),
            i16: int16(),
            u16: uint16(),
            i32: int32(),
            text: utf8(),
            dict: dictionary(utf8(), int16()),
            day: dateDay(),
            ts: timestamp(),
            tsz: timestamp(1, 'Asia/Shanghai'),
            flag: bool(),
          };
          const bytes = tableToIPC(
            tableFromArrays(cols as never, { types: types as never, maxBatchRows: batchRows } as never),
            { format: 'stream' },
          )!;
          for (const name of Object.keys(cols))
            expect(fast(bytes, name), name).toEqual(reference(bytes, name));
          const r = readArrowFast(bytes)!;
          expect(r.n).toBe(n);
          expect([...r.wallClock].sort()).toEqual(['day', 'ts']);
          expect(r.hints.get('flag')).toBe('bool');
          expect(r.hints.get('tsz')).toBe('date');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves int64, compressed-free but nested or delta layouts to flechette', () => {
    const withInt64 = tableToIPC(
      tableFromArrays({ id: [1n, 2n] } as never, { types: { id: int64() } } as never),
      {
        format: 'stream',
      },
    )!;
    expect(readArrowFast(withInt64)).toBeNull();
    // and the full ingest still reads them exactly (flechette path)
    const bytes = tableToIPC(
      tableFromArrays(
        { loan_id: [110101199003071234n], issue_date: [Date.UTC(2024, 0, 5)], principal: [1] } as never,
        { types: { loan_id: int64(), issue_date: dateDay(), principal: float64() } } as never,
      ),
      { format: 'stream' },
    )!;
    const ds = ingestSync('loans', bytes, { unmask: true }).dataset;
    expect(cellValue(ds.cols.loan_id!, 0)).toBe('110101199003071234');
  });

  it('garbage bytes are not read (flechette then reports them)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (b) => {
        expect(() => readArrowFast(b)).not.toThrow();
      }),
    );
    expect(() => ingestSync('loans', new Uint8Array([255, 255, 255, 255, 9, 0, 0, 0, 1, 2]))).toThrow();
  });

  it('unaligned bytes are copied into aligned views', () => {
    const bytes = tableToIPC(
      tableFromArrays({ x: [1.5, 2.5, 3.5] } as never, { types: { x: float64() } } as never),
      { format: 'stream' },
    )!;
    const shifted = new Uint8Array(bytes.byteLength + 1).subarray(1);
    shifted.set(bytes);
    expect(fast(shifted, 'x')).toEqual([1.5, 2.5, 3.5]);
  });
});

describe('ingestion through the direct reader', () => {
  it('a loan_months table ingests equal to its CSV text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            cell,
            fc.nat(40),
            fc.option(fc.double({ min: -10, max: 1e6, noNaN: true }), { nil: null }),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        (rows) => {
          const bytes = tableToIPC(
            tableFromArrays(
              {
                loan_id: rows.map((r) => r[0]),
                snapshot_date: rows.map((r) => r[1] * DAY),
                outstanding: rows.map((r) => r[2]),
                dpd: rows.map((r) => r[1] % 5),
              } as never,
              {
                types: {
                  loan_id: dictionary(utf8()),
                  snapshot_date: dateDay(),
                  outstanding: float64(),
                  dpd: float64(),
                },
              } as never,
            ),
            { format: 'stream' },
          )!;
          const csv = `loan_id,snapshot_date,outstanding,dpd\n${rows
            .map((r) => {
              const id = r[0] === null ? '' : `"${r[0]}"`;
              const v = r[2] === null ? '' : String(r[2]);
              return `${id},${new Date(r[1] * DAY).toISOString().slice(0, 10)},${v},${r[1] % 5}`;
            })
            .join('\n')}\n`;
          const a = ingestSync('loan_months', bytes);
          const c = ingestSync('loan_months', csv);
          expect(a.report.rejected).toEqual(c.report.rejected);
          expect(a.dataset.n).toBe(c.dataset.n);
          for (const k of ['loan_id', 'snapshot_date', 'outstanding', 'dpd'])
            for (let i = 0; i < a.dataset.n; i++)
              expect(cellValue(a.dataset.cols[k]!, i)).toEqual(cellValue(c.dataset.cols[k]!, i));
        },
      ),
      { numRuns: 100 },
    );
  });
});
