/**
 * Arrow IPC fast paths of ingestion: wall-clock dates, zero-copy adoption of float and dictionary
 * buffers, and the day-based duplicate check. Each is compared with the CSV path on the same
 * values (the reference) and with the cases where the fast path must step aside.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dateDay,
  dictionary,
  float64,
  int32,
  tableFromArrays,
  tableToIPC,
  timestamp,
  utf8,
} from '@uwdata/flechette';
import { ingestSync } from '../../../src/data/ingest.js';
import type { CatColumn, DateColumn, Dataset, NumColumn } from '../../../src/data/dataset.js';
import { cellValue } from '../../../src/data/dataset.js';

const DAY = 86400000;
const ipc = (cols: Record<string, unknown[]>, types: Record<string, unknown>): Uint8Array =>
  tableToIPC(tableFromArrays(cols as never, { types: types as never }), { format: 'stream' })!;
const values = (ds: Dataset, c: string): unknown[] =>
  Array.from({ length: ds.n }, (_, i) => cellValue(ds.cols[c]!, i));

describe('Arrow dates are wall clock in the data time zone, like the same text in CSV', () => {
  const days = ['2024-01-05', '2024-03-10', '2024-11-03', '2023-12-31'];
  const wall = days.map((d) => Date.parse(`${d}T00:00:00Z`));
  for (const tz of ['Asia/Shanghai', 'America/New_York', 'UTC', 'Pacific/Kiritimati']) {
    it(`date32 in ${tz}`, () => {
      const bytes = ipc(
        { loan_id: ['a', 'b', 'c', 'd'], issue_date: wall, principal: [1, 2, 3, 4] },
        { loan_id: utf8(), issue_date: dateDay(), principal: float64() },
      );
      const csv = `loan_id,issue_date,principal\n${days.map((d, i) => `${'abcd'[i]},${d},${i + 1}`).join('\n')}\n`;
      const a = ingestSync('loans', bytes, { timeZone: tz }).dataset.cols.issue_date as DateColumn;
      const c = ingestSync('loans', csv, { timeZone: tz }).dataset.cols.issue_date as DateColumn;
      expect(Array.from(a.data)).toEqual(Array.from(c.data));
      expect(Array.from(a.day)).toEqual(Array.from(c.day));
      expect(Array.from(a.month)).toEqual(Array.from(c.month));
      expect(Array.from(a.week)).toEqual(Array.from(c.week));
      expect(Array.from(a.dow)).toEqual(Array.from(c.dow));
      expect(Array.from(a.hour)).toEqual([0, 0, 0, 0]);
    });
  }

  it('naive timestamps are wall clock; zoned timestamps are instants', () => {
    const text = ['2024-03-10 02:30:00', '2024-06-01 23:59:59', '2024-01-01 00:00:00'];
    const ms = text.map((s) => Date.parse(`${s.replace(' ', 'T')}Z`));
    const cols = {
      txn_id: ['t1', 't2', 't3'],
      customer_id: ['c', 'c', 'c'],
      txn_time: ms,
      amount: [1, 2, 3],
      direction: ['in', 'in', 'out'],
    };
    const tz = 'America/New_York';
    const naive = ingestSync(
      'transactions',
      ipc(cols, {
        txn_id: utf8(),
        customer_id: utf8(),
        txn_time: timestamp(),
        amount: float64(),
        direction: utf8(),
      }),
      { timeZone: tz },
    ).dataset.cols.txn_time as DateColumn;
    const csv = ingestSync(
      'transactions',
      `txn_id,customer_id,txn_time,amount,direction\n${text.map((s, i) => `t${i + 1},c,${s},${i + 1},${i === 2 ? 'out' : 'in'}`).join('\n')}\n`,
      { timeZone: tz },
    ).dataset.cols.txn_time as DateColumn;
    expect(Array.from(naive.data)).toEqual(Array.from(csv.data));
    expect(Array.from(naive.hour)).toEqual(Array.from(csv.hour));
    const zoned = ingestSync(
      'transactions',
      ipc(cols, {
        txn_id: utf8(),
        customer_id: utf8(),
        txn_time: timestamp(1, 'UTC'),
        amount: float64(),
        direction: utf8(),
      }),
      { timeZone: tz },
    ).dataset.cols.txn_time as DateColumn;
    expect(Array.from(zoned.data)).toEqual(ms);
    // 2024-06-01 23:59:59Z is 19:59:59 in New York (EDT)
    expect(zoned.hour[1]).toBe(19);
  });

  it('second, microsecond and nanosecond timestamps convert to milliseconds', () => {
    const ms = Date.parse('2024-05-06T07:08:09Z');
    // flechette writes ms numbers in the column's unit (seconds, microseconds, nanoseconds)
    for (const unit of [0, 2, 3] as const) {
      const bytes = ipc(
        { txn_id: ['t'], customer_id: ['c'], txn_time: [ms], amount: [1], direction: ['in'] },
        {
          txn_id: utf8(),
          customer_id: utf8(),
          txn_time: timestamp(unit, 'UTC'),
          amount: float64(),
          direction: utf8(),
        },
      );
      const d = ingestSync('transactions', bytes, { timeZone: 'UTC' }).dataset.cols.txn_time as DateColumn;
      expect(d.data[0]).toBe(ms);
    }
  });
});

describe('zero-copy adoption', () => {
  const ids = Array.from({ length: 40 }, (_, i) => `L${String(i % 10).padStart(3, '0')}`);
  const months = ids.map((_, i) => Date.UTC(2024, Math.floor(i / 10), 28));
  const outstanding = ids.map((_, i) => (i * 37) % 1000);

  it('dictionary keys become codes; values equal the CSV path', () => {
    const bytes = ipc(
      {
        loan_id: ids,
        snapshot_date: months,
        outstanding,
        dpd: outstanding.map((v) => v % 90),
        status: ids.map((_, i) => (i % 7 ? 'active' : 'closed')),
      },
      {
        loan_id: dictionary(utf8()),
        snapshot_date: dateDay(),
        outstanding: float64(),
        dpd: float64(),
        status: dictionary(utf8()),
      },
    );
    const a = ingestSync('loan_months', bytes).dataset;
    const csv = `loan_id,snapshot_date,outstanding,dpd,status\n${ids
      .map((id, i) => {
        const d = new Date(months[i]!).toISOString().slice(0, 10);
        return `${id},${d},${outstanding[i]},${outstanding[i]! % 90},${i % 7 ? 'active' : 'closed'}`;
      })
      .join('\n')}\n`;
    const c = ingestSync('loan_months', csv).dataset;
    for (const k of ['loan_id', 'status', 'outstanding', 'dpd', 'snapshot_date'])
      expect(values(a, k)).toEqual(values(c, k));
    expect((a.cols.loan_id as CatColumn).dict).toEqual((c.cols.loan_id as CatColumn).dict);
    expect(Array.from((a.cols.loan_id as CatColumn).codes)).toEqual(
      Array.from((c.cols.loan_id as CatColumn).codes),
    );
  });

  it('keys out of first-appearance order, duplicate or untrimmed entries, and nulls still encode exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', ' a', 'c ', 'NA', 'b', null), { minLength: 1, maxLength: 30 }),
        (raw) => {
          const n = raw.length;
          const bytes = ipc(
            {
              loan_id: raw,
              snapshot_date: raw.map((_, i) => i * DAY),
              outstanding: raw.map(() => 1),
              dpd: raw.map(() => 0),
            },
            { loan_id: dictionary(utf8()), snapshot_date: dateDay(), outstanding: float64(), dpd: float64() },
          );
          const { dataset, report } = ingestSync('loan_months', bytes);
          const csvRows = raw.map((v, i) => {
            const cell = v === null ? '' : `"${v}"`;
            return `${cell},${new Date(i * DAY).toISOString().slice(0, 10)},1,0`;
          });
          const ref = ingestSync(
            'loan_months',
            `loan_id,snapshot_date,outstanding,dpd\n${csvRows.join('\n')}\n`,
          );
          expect(report.rowsRead).toBe(n);
          expect(report.rejected).toEqual(ref.report.rejected);
          expect(values(dataset, 'loan_id')).toEqual(values(ref.dataset, 'loan_id'));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('dictionaries with int32 keys in two batches are copied, not aliased across batches', () => {
    const t = tableFromArrays(
      {
        loan_id: ['x', 'y', 'x', 'z'],
        snapshot_date: [0, DAY, 2 * DAY, 3 * DAY],
        outstanding: [1, 2, 3, 4],
        dpd: [0, 0, 0, 0],
      },
      {
        types: {
          loan_id: dictionary(utf8(), int32()),
          snapshot_date: dateDay(),
          outstanding: float64(),
          dpd: float64(),
        },
        maxBatchRows: 2,
      } as never,
    );
    const ds = ingestSync('loan_months', tableToIPC(t, { format: 'stream' })!).dataset;
    expect(values(ds, 'loan_id')).toEqual(['x', 'y', 'x', 'z']);
  });

  it('float buffers needing a fix (−0, ±Infinity) are copied and fixed; the bytes are never written', () => {
    const bytes = ipc(
      {
        loan_id: ['a', 'b', 'c', 'd'],
        snapshot_date: [0, DAY, 2 * DAY, 3 * DAY],
        outstanding: [-0, Infinity, 5, -Infinity],
        dpd: [0, 0, 0, 0],
      },
      { loan_id: utf8(), snapshot_date: dateDay(), outstanding: float64(), dpd: float64() },
    );
    const before = bytes.slice();
    const { dataset, report } = ingestSync('loan_months', bytes);
    expect(bytes).toEqual(before);
    const o = dataset.cols.outstanding as NumColumn;
    expect(Object.is(o.data[0], 0)).toBe(true);
    expect(Array.from(o.data)).toEqual([0, 5]);
    expect(report.rejected.unparseable_number).toBe(2);
  });

  it('loading the same bytes twice gives equal datasets (nothing adopted is modified)', () => {
    const bytes = ipc(
      { loan_id: ['a', 'b'], snapshot_date: [0, DAY], outstanding: [1.5, 2.5], dpd: [3, 4] },
      { loan_id: dictionary(utf8()), snapshot_date: dateDay(), outstanding: float64(), dpd: float64() },
    );
    const one = ingestSync('loan_months', bytes, { timeZone: 'America/New_York' }).dataset;
    const two = ingestSync('loan_months', bytes, { timeZone: 'America/New_York' }).dataset;
    for (const k of ['loan_id', 'snapshot_date', 'outstanding', 'dpd'])
      expect(values(two, k)).toEqual(values(one, k));
  });
});

describe('duplicate keys on date columns', () => {
  it('(loan_id, snapshot_date) duplicates equal a naive first-seen check, times of day included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.option(fc.constantFrom('L1', 'L2', 'L3'), { nil: null }),
            fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.boolean(),
        (rows, withTimes) => {
          const cell = (d: number | null, late: boolean): string =>
            d === null ? '' : `2024-01-0${d + 1}${withTimes ? (late ? ' 18:00:00' : ' 09:00:00') : ''}`;
          const csv = `loan_id,snapshot_date,outstanding,dpd\n${rows
            .map(([id, d, late]) => `${id ?? ''},${cell(d, late)},1,0`)
            .join('\n')}\n`;
          const seen = new Set<string>();
          let dup = 0;
          for (const [id, d, late] of rows) {
            if (id === null || d === null) continue; // missing_required, rejected before the key check
            const k = `${id}|${cell(d, late)}`;
            if (seen.has(k)) dup++;
            else seen.add(k);
          }
          expect(ingestSync('loan_months', csv).report.rejected.duplicate_key).toBe(dup);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('calendar-date keys: later repeats are duplicates', () => {
    const csv =
      'loan_id,snapshot_date,outstanding,dpd\nL1,2024-01-31,1,0\nL1,2024-02-29,1,0\nL1,2024-01-31,2,0\nL2,2024-01-31,1,0\n';
    const { report } = ingestSync('loan_months', csv);
    expect(report.rejected.duplicate_key).toBe(1);
    expect(report.samples.duplicate_key).toEqual([3]);
  });

  it('two instants on one day are different keys; the same instant is a duplicate', () => {
    const csv =
      'txn_id,customer_id,txn_time,amount,direction\nT1,c,2024-01-05 09:00:00,1,in\nT1,c,2024-01-05 17:30:00,1,in\nT1,c,2024-01-05 09:00:00,1,in\n';
    // transactions are keyed by txn_id alone: all three repeat it
    expect(ingestSync('transactions', csv).report.rejected.duplicate_key).toBe(2);
    const lm =
      'loan_id,snapshot_date,outstanding,dpd\nL1,2024-01-31 08:00:00,1,0\nL1,2024-01-31 20:00:00,1,0\nL1,2024-01-31 08:00:00,1,0\n';
    const r = ingestSync('loan_months', lm).report;
    expect(r.rejected.duplicate_key).toBe(1);
    expect(r.samples.duplicate_key).toEqual([3]);
  });
});

describe('date indexes (week, hour, weekday computed on first use)', () => {
  const parts = (ms: number, tz: string): { day: number; hour: number; dow: number } => {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      weekday: 'short',
    });
    const p: Record<string, string> = {};
    for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value;
    const day = Math.floor(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) / DAY);
    const dow = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday!) + 1;
    return { day, hour: Number(p.hour), dow };
  };
  it('equal Intl calendar parts in zones with and without DST', async () => {
    const { dateColumn } = await import('../../../src/data/columns.js');
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -2e12, max: 4e12 }), { nil: null }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/London', 'UTC'),
        (vals, tz) => {
          const col = dateColumn(Float64Array.from(vals, (v) => (v === null ? NaN : v)), tz);
          vals.forEach((v, i) => {
            if (v === null) {
              expect([col.hour[i], col.dow[i]]).toEqual([-1, -1]);
              return;
            }
            const want = parts(v, tz);
            expect(col.day[i]).toBe(want.day);
            expect(col.hour[i]).toBe(want.hour);
            expect(col.dow[i]).toBe(want.dow);
            expect(col.week[i]).toBe(Math.floor((want.day + 3) / 7));
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
