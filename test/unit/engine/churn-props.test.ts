/**
 * Property test of `churn` (fast-check, seeded): the series from activity runs (churn.ts, shared
 * with the SQL backends) equals a direct reading of the definition, day by day — active at a
 * month's start = an activity day in the N days before it; a churn event = an activity day with
 * no activity in the next N days, dated day + N (≤ T), counted once per customer and month when
 * the customer was active at that month's start.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ctxOf, run, txns } from './generic-fixtures.js';

const DAY = 86400000;
const label = (d: number): string => new Date(d * DAY).toISOString().slice(0, 10);
const monthOf = (d: number): number => {
  const t = new Date(d * DAY);
  return t.getUTCFullYear() * 12 + t.getUTCMonth();
};
const monthStart = (m: number): number => Date.UTC(Math.floor(m / 12), m % 12, 1) / DAY;
const BASE = Date.UTC(2024, 0, 1) / DAY;

/** The definition read literally over each customer's distinct days (T = the last day). */
function reference(days: Map<string, number[]>, N: number) {
  const all = [...days.values()].flat();
  const minDay = Math.min(...all);
  const T = Math.max(...all);
  const out: Array<{ month: string; activeAtStart: number; churned: number }> = [];
  for (let m = monthOf(minDay) + 1; m <= monthOf(T); m++) {
    const s = monthStart(m);
    let active = 0;
    let churned = 0;
    for (const ds of days.values()) {
      const set = new Set(ds);
      const wasActive = ds.some((d) => d >= s - N && d < s);
      if (wasActive) active++;
      const churnsHere = ds.some((d) => {
        const c = d + N;
        if (c > T || monthOf(c) !== m) return false;
        for (let k = 1; k <= N; k++) if (set.has(d + k)) return false;
        return true;
      });
      if (churnsHere && wasActive) churned++;
    }
    const y = Math.floor(m / 12);
    out.push({ month: `${y}-${String((m % 12) + 1).padStart(2, '0')}`, activeAtStart: active, churned });
  }
  return out;
}

describe('churn from activity runs', () => {
  it('equals the day-by-day definition on random activity', () => {
    const custArb = fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(custArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 70 }),
        (customers, N) => {
          const days = new Map<string, number[]>();
          const rows: Array<{ c: string; time: string; amount: number }> = [];
          customers.forEach((offs, i) => {
            days.set(
              `c${i}`,
              [...new Set(offs.map((o) => BASE + o))].sort((a, b) => a - b),
            );
            for (const o of offs) rows.push({ c: `c${i}`, time: label(BASE + o), amount: 1 });
          });
          const r = run(ctxOf({ transactions: txns(rows) }), 'churn', { inactiveDays: N });
          const got = (r.data as Array<{ month: string; activeAtStart: number; churned: number }>).map(
            ({ month, activeAtStart, churned }) => ({ month, activeAtStart, churned }),
          );
          expect(got).toEqual(reference(days, N));
        },
      ),
      { seed: 14, numRuns: 150 },
    );
  });
});
