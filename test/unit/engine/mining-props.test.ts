/**
 * Properties of the mining statistics and metrics (fast-check): AUC(s) = 1 − AUC(−s), PSI(x, x) = 0
 * and PSI ≥ 0, IV ≥ 0, k-means inertia never increases across Lloyd iterations, and cluster
 * assignments do not depend on the input's row order (same seed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inertiaTrace } from '../../../src/engine/metrics/kmeans.js';
import { clusterMetric } from '../../../src/engine/metrics/cluster.js';
import { auc, binCategorical, binNumeric, ksCurve, psi } from '../../../src/engine/metrics/mining-stats.js';
import { ctxOf, shuffleCols, txns } from './generic-fixtures.js';

const OPTS = { seed: 20261205, numRuns: 100 };

describe('mining properties', () => {
  it('AUC(s) = 1 − AUC(−s), ties included', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), { minLength: 2, maxLength: 60 })
          .filter((a) => a.some((x) => x[1]) && a.some((x) => !x[1])),
        (a) => {
          const s = a.map((x) => x[0]);
          const y = a.map((x) => (x[1] ? 1 : 0));
          expect(
            auc(s, y)! +
              auc(
                s.map((v) => -v),
                y,
              )!,
          ).toBeCloseTo(1, 12);
        },
      ),
      OPTS,
    );
  });

  it('AUC and KS equal their brute-force definitions (pairs; every threshold)', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.boolean()), { minLength: 2, maxLength: 40 })
          .filter((a) => a.some((x) => x[1]) && a.some((x) => !x[1])),
        (a) => {
          const s = a.map((x) => x[0] / 4);
          const y = a.map((x) => (x[1] ? 1 : 0));
          let u = 0;
          let nb = 0;
          for (let i = 0; i < s.length; i++) {
            if (!y[i]) continue;
            nb++;
            for (let j = 0; j < s.length; j++) if (!y[j]) u += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
          }
          const ng = s.length - nb;
          expect(auc(s, y)).toBeCloseTo(u / (nb * ng), 12);
          let ks = 0;
          for (const t of new Set(s)) {
            let cb = 0;
            let cg = 0;
            s.forEach((v, i) => {
              if (v >= t && y[i]) cb++;
              else if (v >= t) cg++;
            });
            ks = Math.max(ks, Math.abs(cb / nb - cg / ng));
          }
          expect(ksCurve(s, y).ks).toBeCloseTo(ks, 12);
        },
      ),
      OPTS,
    );
  });

  it('PSI(x, x) = 0 and PSI ≥ 0', () => {
    const counts = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 12 });
    fc.assert(
      fc.property(counts, counts, (e, a) => {
        fc.pre(e.some((v) => v > 0));
        expect(psi(e, e)).toBe(0);
        const n = Math.min(e.length, a.length);
        fc.pre(a.slice(0, n).some((v) => v > 0) && e.slice(0, n).some((v) => v > 0));
        expect(psi(e.slice(0, n), a.slice(0, n))).toBeGreaterThanOrEqual(0);
      }),
      OPTS,
    );
  });

  it('IV ≥ 0 for numeric and categorical bins', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -100, max: 100, noNaN: true }),
            fc.constantFrom('a', 'b', 'c', 'd'),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 300 },
        ),
        (rows) => {
          const y = rows.map((r) => (r[2] ? 1 : 0));
          const num = binNumeric(
            rows.map((r) => r[0]),
            y,
          );
          const cat = binCategorical(
            rows.map((r) => r[1]),
            y,
          );
          expect(num.iv).toBeGreaterThanOrEqual(0);
          expect(cat.iv).toBeGreaterThanOrEqual(0);
          for (const b of [...num.bins, ...cat.bins]) expect(b.iv).toBeGreaterThanOrEqual(0);
          expect(num.bins.reduce((s, b) => s + b.count, 0)).toBe(rows.length);
        },
      ),
      OPTS,
    );
  });

  it('k-means inertia never increases across iterations', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -50, max: 50, noNaN: true }),
            fc.double({ min: -50, max: 50, noNaN: true }),
          ),
          { minLength: 8, maxLength: 80 },
        ),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (pts, k, seed) => {
          fc.pre(new Set(pts.map((p) => p.join())).size >= k);
          const x = Float64Array.from(pts.flat());
          const trace = inertiaTrace(x, pts.length, 2, k, seed);
          for (let i = 1; i < trace.length; i++)
            expect(trace[i]!).toBeLessThanOrEqual(trace[i - 1]! * (1 + 1e-12) + 1e-9);
        },
      ),
      { ...OPTS, numRuns: 60 },
    );
  });

  it('cluster assignments are invariant to row order with the same seed', () => {
    const T = Date.UTC(2024, 11, 31);
    const day = (k: number) => new Date(T - k * 86400000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 29 }),
            fc.integer({ min: 0, max: 300 }),
            fc.integer({ min: 1, max: 5000 }),
          ),
          { minLength: 40, maxLength: 150 },
        ),
        fc.integer({ min: 1, max: 1e6 }),
        (rows, shuffleSeed) => {
          const cols = txns(
            rows.map(([c, d, a]) => ({ c: `C${String(c).padStart(3, '0')}`, time: day(d), amount: a })),
          );
          fc.pre(new Set(rows.map((r) => r[0])).size >= 6);
          const params = {
            k: 3,
            restarts: 3,
            includeAssignments: true,
            maskIds: false,
            limit: 100,
            members: [1],
          };
          const a = clusterMetric.run(ctxOf({ transactions: cols }), params, 'transactions');
          const b = clusterMetric.run(
            ctxOf({ transactions: shuffleCols(cols, shuffleSeed) }),
            params,
            'transactions',
          );
          expect(JSON.stringify(b.data)).toBe(JSON.stringify(a.data));
          expect(b.meta!.assignments).toEqual(a.meta!.assignments);
          expect(b.meta!.members).toEqual(a.meta!.members);
        },
      ),
      { ...OPTS, numRuns: 25 },
    );
  });
});
