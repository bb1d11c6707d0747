/**
 * The one-sort statistics behind model_monitor (rank-stats.ts) against the per-sample functions of
 * mining-stats.ts: the radix argsort orders like a comparator sort (stable), and every group's AUC,
 * KS, cut-off and thinned curve equal auc(), ksCurve() and thinCurve() on that group's rows alone;
 * binLookup() bins like binIndex().
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auc,
  bandOf,
  binCategorical,
  binIndex,
  binLookup,
  binNumeric,
  ksCurve,
  thinCurve,
} from '../../../src/engine/metrics/mining-stats.js';
import { argsortScores, groupRanks } from '../../../src/engine/metrics/rank-stats.js';

const OPTS = { seed: 20261206, numRuns: 150 };

// Scores with ties, signs, zeros (±0 compare equal) and extremes.
const score = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map((v) => v / 4),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.constantFrom(0, -0, 1e-300, -1e-300, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity),
);

describe('one-sort rank statistics', () => {
  it('argsortScores orders like a stable comparator sort', () => {
    fc.assert(
      fc.property(fc.array(score, { maxLength: 300 }), (xs) => {
        // −0 before +0 (their bits differ); Infinity − Infinity is NaN, so equal infinities fall through
        const zero = (v: number) => (Object.is(v, -0) ? -1 : v === 0 ? 1 : 0);
        const want = xs
          .map((_, i) => i)
          .sort((a, b) => xs[a]! - xs[b]! || zero(xs[a]!) - zero(xs[b]!) || a - b);
        expect(Array.from(argsortScores(xs))).toEqual(want);
      }),
      OPTS,
    );
  });

  it('argsortScores orders long runs of one high word by the low word, stably', () => {
    // 1 + v·2⁻⁴⁵ share sign, exponent and the top 20 mantissa bits: one run, ordered by the low word
    const near = fc.integer({ min: 0, max: 60 }).map((v) => 1 + v * 2 ** -45);
    fc.assert(
      fc.property(fc.array(fc.oneof(near, near, score), { maxLength: 300 }), (xs) => {
        const zero = (v: number) => (Object.is(v, -0) ? -1 : v === 0 ? 1 : 0);
        const want = xs
          .map((_, i) => i)
          .sort((a, b) => xs[a]! - xs[b]! || zero(xs[a]!) - zero(xs[b]!) || a - b);
        expect(Array.from(argsortScores(xs))).toEqual(want);
      }),
      OPTS,
    );
  });

  it("every group's AUC, KS, cut-off and curve equal the per-sample functions on its rows", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            score,
            fc.integer({ min: 0, max: 1 }),
            fc.integer({ min: -1, max: 3 }),
            fc.integer({ min: -1, max: 1 }),
          ),
          {
            minLength: 1,
            maxLength: 200,
          },
        ),
        fc.integer({ min: 3, max: 30 }),
        (rows, curveMax) => {
          const s = rows.map((r) => r[0] + 0); // −0 → +0: the per-sample functions see one zero
          const y = rows.map((r) => r[1]);
          const g1 = Int32Array.from(rows, (r) => r[2]);
          const g2 = Int32Array.from(rows, (r) => (r[3] < 0 ? -1 : 4 + r[3]));
          const curveGroup = 5;
          const { ranks, curve } = groupRanks(s, y, [g1, g2], 6, undefined, curveGroup, curveMax);
          for (let g = 0; g < 6; g++) {
            const at = rows.map((_, i) => i).filter((i) => g1[i] === g || g2[i] === g);
            const gs = at.map((i) => s[i]!);
            const gy = at.map((i) => y[i]!);
            const k = ksCurve(gs, gy);
            expect(ranks[g]!.count).toBe(at.length);
            expect(ranks[g]!.events).toBe(gy.filter((v) => v).length);
            expect(ranks[g]!.auc).toBe(auc(gs, gy));
            expect(ranks[g]!.ks).toBe(k.ks);
            expect(ranks[g]!.cutoff).toBe(k.cutoff);
            if (g === curveGroup) expect(curve).toEqual(thinCurve(k.curve, curveMax, k.cutoff));
          }
          // through a given order (rows gathered) as through the packed sort
          expect(groupRanks(s, y, [g1, g2], 6, argsortScores(s), curveGroup, curveMax)).toEqual({
            ranks,
            curve,
            bands: null,
          });
          // band counts on the way = bandOf() per row, whatever the edges' order (repeated, −0, NaN)
          const edges = [0.5, -1, NaN, 0.25, 0.25, 3, -0];
          const B = edges.length + 1;
          const { bands } = groupRanks(s, y, [g1, g2], 6, undefined, -1, Infinity, edges);
          const want = { count: new Float64Array(6 * B), bads: new Float64Array(6 * B) };
          rows.forEach((_, i) => {
            for (const g of [g1[i]!, g2[i]!])
              if (g >= 0) {
                want.count[g * B + bandOf(s[i]!, edges)]!++;
                want.bads[g * B + bandOf(s[i]!, edges)]! += y[i]!;
              }
          });
          expect(bands).toEqual(want);
        },
      ),
      OPTS,
    );
  });

  it('binLookup bins like binIndex (numbers, categories, 其他, missing)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }), fc.integer({ min: 0, max: 1 })),
          {
            minLength: 20,
            maxLength: 200,
          },
        ),
        fc.array(fc.option(fc.integer({ min: -5, max: 70 }), { nil: null }), { maxLength: 50 }),
        (rows, probe) => {
          const bad = rows.map((r) => r[1]);
          const num = binNumeric(
            rows.map((r) => (r[0] === null ? NaN : r[0])),
            bad,
          ).bins;
          const cat = binCategorical(
            rows.map((r) => (r[0] === null ? null : `c${r[0] % 25}`)),
            bad,
            { minShare: 0.08 },
          ).bins;
          const ln = binLookup(num);
          const lc = binLookup(cat);
          for (const v of probe) {
            const x = v === null ? NaN : v;
            expect(ln(x)).toBe(binIndex(num, x));
            const c = v === null ? null : `c${v % 30}`;
            expect(lc(c)).toBe(binIndex(cat, c));
          }
        },
      ),
      OPTS,
    );
  });
});
