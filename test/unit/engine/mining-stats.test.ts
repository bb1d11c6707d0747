/**
 * Hand-checkable fixed points of the mining statistics: AUC against the Mann–Whitney count (ties
 * ½), KS against its cumulative table, PSI with an empty band, WOE/IV on a 2 × 2 table, silhouette
 * and Calinski–Harabasz on points with known answers, logistic regression against closed forms
 * and a published maximum-likelihood fit.
 */
import { describe, expect, it } from 'vitest';
import { calinskiHarabasz, silhouette } from '../../../src/engine/metrics/cluster-stats.js';
import { fitLogistic } from '../../../src/engine/metrics/logit.js';
import {
  PSI_FLOOR,
  auc,
  bandOf,
  binCategorical,
  binIndex,
  binNumeric,
  decileEdges,
  ksCurve,
  psi,
  psiReading,
  scoreBands,
} from '../../../src/engine/metrics/mining-stats.js';

describe('AUC and KS', () => {
  // bads score 0.35, 0.8, 0.4; goods 0.1, 0.4, 0.6 (0.4 is a tie between a bad and a good)
  const score = [0.1, 0.4, 0.35, 0.8, 0.4, 0.6];
  const bad = [0, 0, 1, 1, 1, 0];

  it('AUC equals the Mann–Whitney count over all bad × good pairs, ties ½', () => {
    // 0.35 beats 0.1 (1); 0.8 beats all three (3); 0.4 beats 0.1 and ties 0.4 (1.5) → 5.5 / 9
    expect(auc(score, bad)).toBeCloseTo(5.5 / 9, 15);
    // brute force over the pairs
    let u = 0;
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++)
        if (bad[i] && !bad[j]) u += score[i]! > score[j]! ? 1 : score[i] === score[j] ? 0.5 : 0;
    expect(auc(score, bad)).toBeCloseTo(u / 9, 15);
    expect(auc([1, 2], [0, 0])).toBeNull();
    expect(auc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
  });

  it('KS is the largest gap of the cumulative table, first at its threshold', () => {
    // riskiest first: 0.8 B → (1/3, 0); 0.6 G → (1/3, 1/3); 0.4 B+G → (2/3, 2/3); 0.35 B → (1, 2/3); 0.1 G → (1, 1)
    const k = ksCurve(score, bad);
    expect(
      k.curve.map((p) => [p.threshold, p.cumBad, p.cumGood].map((v) => Math.round(v * 1e9) / 1e9)),
    ).toEqual([
      [Infinity, 0, 0],
      [0.8, 0.333333333, 0],
      [0.6, 0.333333333, 0.333333333],
      [0.4, 0.666666667, 0.666666667],
      [0.35, 1, 0.666666667],
      [0.1, 1, 1],
    ]);
    expect(k.ks).toBeCloseTo(1 / 3, 15);
    expect(k.cutoff).toBe(0.8);
    expect(ksCurve([1, 2], [1, 1]).ks).toBeNull();
  });

  it('score bands: counts, bad rates, cumulative %, KS, lift and gain per band', () => {
    // 20 scores 1..20, bads at 20, 19, 18, 15, 10, 3 (6 bads, 14 goods)
    const s = Array.from({ length: 20 }, (_, i) => i + 1);
    const y = s.map((v) => ([20, 19, 18, 15, 10, 3].includes(v) ? 1 : 0));
    const edges = decileEdges(s);
    expect(edges.map((e) => Math.round(e * 10) / 10)).toEqual([
      2.9, 4.8, 6.7, 8.6, 10.5, 12.4, 14.3, 16.2, 18.1,
    ]);
    expect(bandOf(20, edges)).toBe(9);
    expect(bandOf(1, edges)).toBe(0);
    const b = scoreBands(s, y, edges);
    expect(b).toHaveLength(10);
    expect(b[0]).toMatchObject({ band: 1, count: 2, bads: 2, badRate: 1, to: null });
    expect(b[0]!.lift).toBeCloseTo(1 / 0.3, 12);
    expect(b[0]!.cumBadPct).toBeCloseTo(2 / 6, 12);
    expect(b[1]).toMatchObject({ band: 2, count: 2, bads: 1 }); // 17, 18
    expect(b[1]!.ks).toBeCloseTo(3 / 6 - 1 / 14, 12);
    expect(b[9]).toMatchObject({ band: 10, from: null, count: 2, bads: 0 });
    expect(b[9]!.gain).toBe(1);
    expect(b.reduce((a, r) => a + r.count, 0)).toBe(20);
  });
});

describe('PSI', () => {
  it('an empty band counts as 0.0001', () => {
    const v = psi([50, 50, 0], [40, 40, 20]);
    expect(v).toBeCloseTo(2 * (-0.1 * Math.log(0.8)) + (0.2 - PSI_FLOOR) * Math.log(0.2 / PSI_FLOOR), 12);
    expect(psiReading(v)).toBe('shifted');
    expect(psi([1, 2, 3], [2, 4, 6])).toBe(0);
    expect(psiReading(0.1)).toBe('watch');
    expect(psiReading(0.0999)).toBe('stable');
  });
});

describe('WOE and IV', () => {
  it('a 2 × 2 table', () => {
    // A: 60 goods, 10 bads; B: 40 goods, 30 bads
    const x: string[] = [];
    const y: number[] = [];
    const put = (v: string, g: number, b: number) => {
      for (let i = 0; i < g; i++) {
        x.push(v);
        y.push(0);
      }
      for (let i = 0; i < b; i++) {
        x.push(v);
        y.push(1);
      }
    };
    put('A', 60, 10);
    put('B', 40, 30);
    const { bins, iv } = binCategorical(x, y);
    const a = bins.find((b) => b.label === 'A')!;
    const b = bins.find((q) => q.label === 'B')!;
    expect(a.woe).toBeCloseTo(Math.log(0.6 / 0.25), 12);
    expect(b.woe).toBeCloseTo(Math.log(0.4 / 0.75), 12);
    expect(iv).toBeCloseTo(0.35 * Math.log(2.4) - 0.35 * Math.log(0.4 / 0.75), 12);
    expect(iv).toBeCloseTo(0.526427, 6);
    expect(binIndex(bins, 'B')).toBe(bins.indexOf(b));
  });

  it('numeric bins: ≥ 5% each, monotone bad rate, at most 8, missing apart', () => {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 1000; i++) {
      x.push(i % 100);
      y.push((i * 7919) % 100 < (i % 100) * 0.6 ? 1 : 0);
    }
    x.push(NaN, NaN);
    y.push(1, 0);
    const { bins, iv } = binNumeric(x, y);
    const real = bins.filter((b) => !b.missing);
    expect(real.length).toBeLessThanOrEqual(8);
    expect(real.length).toBeGreaterThan(1);
    for (const b of real) expect(b.count).toBeGreaterThanOrEqual(0.05 * 1002);
    for (let j = 1; j < real.length; j++)
      expect(real[j]!.badRate!).toBeGreaterThanOrEqual(real[j - 1]!.badRate!);
    expect(bins[bins.length - 1]!.missing).toBe(true);
    expect(iv).toBeGreaterThan(0.3);
    expect(binIndex(bins, NaN)).toBe(bins.length - 1);
    expect(binIndex(bins, 99)).toBe(real.length - 1);
  });
});

describe('cluster quality', () => {
  it('silhouette on points with known answers', () => {
    // 1-D 0, 1 | 5, 6: s = 9/11 for the outer points, 7/9 for the inner ones
    expect(silhouette(Float64Array.from([0, 1, 5, 6]), 4, 1, [0, 0, 1, 1], 2)).toBeCloseTo(
      (9 / 11 + 7 / 9) / 2,
      12,
    );
    // a singleton scores 0: (0.8 + 0.75 + 0) / 3
    expect(silhouette(Float64Array.from([0, 1, 5]), 3, 1, [0, 0, 1], 2)).toBeCloseTo(1.55 / 3, 12);
    // 2-D squares: point (0,0): a = 1, b = (√200 + √221) / 2
    const x = Float64Array.from([0, 0, 0, 1, 10, 10, 10, 11]);
    const s0 = (b: number) => (b - 1) / b;
    const expected =
      (2 * s0((Math.sqrt(200) + Math.sqrt(221)) / 2) + 2 * s0((Math.sqrt(181) + Math.sqrt(200)) / 2)) / 4;
    expect(silhouette(x, 4, 2, [0, 0, 1, 1], 2)).toBeCloseTo(expected, 12);
    expect(silhouette(x, 4, 2, [0, 0, 0, 0], 2)).toBeNull();
  });

  it('Calinski–Harabasz: B / (k − 1) over W / (n − k)', () => {
    // centroids 0.5 and 5.5 around 3: B = 2·2.5² + 2·2.5² = 25; W = 4 · 0.25 = 1 → 25 / (1 / 2) = 50
    expect(calinskiHarabasz(Float64Array.from([0, 1, 5, 6]), 4, 1, [0, 0, 1, 1], 2)).toBeCloseTo(50, 12);
  });
});

describe('logistic regression (IRLS)', () => {
  it('one binary predictor: the closed-form MLE (log odds, log odds ratio) and its standard errors', () => {
    // x = 0: 30 events / 70 non-events; x = 1: 45 / 55
    const x: number[] = [];
    const y: number[] = [];
    const put = (xv: number, ev: number, non: number) => {
      for (let i = 0; i < ev; i++) {
        x.push(xv);
        y.push(1);
      }
      for (let i = 0; i < non; i++) {
        x.push(xv);
        y.push(0);
      }
    };
    put(0, 30, 70);
    put(1, 45, 55);
    const f = fitLogistic(Float64Array.from(x), x.length, 1, y, { lambda: 0 });
    expect(f.converged).toBe(true);
    expect(Math.abs(f.beta[0]! - Math.log(30 / 70))).toBeLessThan(1e-6);
    expect(Math.abs(f.beta[1]! - (Math.log(45 / 55) - Math.log(30 / 70)))).toBeLessThan(1e-6);
    expect(Math.abs(f.se[0]! - Math.sqrt(1 / 30 + 1 / 70))).toBeLessThan(1e-6);
    expect(Math.abs(f.se[1]! - Math.sqrt(1 / 30 + 1 / 70 + 1 / 45 + 1 / 55))).toBeLessThan(1e-6);
  });

  it('the Challenger O-ring data: the published fit 15.0429 − 0.2322·temp (SE 7.3786, 0.1082)', () => {
    // 23 launches before Challenger: temperature (°F) and whether any O-ring was damaged.
    // Dalal, Fowlkes & Hoadley (1989); fit as in Agresti, Categorical Data Analysis, and R's glm.
    const temp = [66, 70, 69, 68, 67, 72, 73, 70, 57, 63, 70, 78, 67, 53, 67, 75, 70, 81, 76, 79, 75, 76, 58];
    const td = [0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1];
    const f = fitLogistic(Float64Array.from(temp), 23, 1, td, { lambda: 0 });
    // R glm: coefficients 15.0429016, −0.2321627
    expect(Math.abs(f.beta[0]! - 15.0429016)).toBeLessThan(1e-6);
    expect(Math.abs(f.beta[1]! - -0.2321627)).toBeLessThan(1e-6);
    expect(f.se[0]).toBeCloseTo(7.3786, 4);
    expect(f.se[1]).toBeCloseTo(0.1082, 4);
    expect(f.logLik).toBeCloseTo(-10.1576, 4);
    expect(f.gradNorm).toBeLessThan(1e-6);
  });

  it('the L2 penalty shrinks the standardised coefficients and leaves the intercept free', () => {
    const temp = Float64Array.from({ length: 200 }, (_, i) => (i % 20) - 10);
    const y = Array.from(temp, (v, i) => (v + ((i * 37) % 11) - 5 > 0 ? 1 : 0));
    const f0 = fitLogistic(temp, 200, 1, y, { lambda: 0 });
    const f1 = fitLogistic(temp, 200, 1, y, { lambda: 50 });
    expect(Math.abs(f1.betaStd[1]!)).toBeLessThan(Math.abs(f0.betaStd[1]!));
    // penalised score equation: Σ (y − p)·z = λ·b for the slope, Σ (y − p) = 0 for the intercept
    expect(f1.gradNorm).toBeLessThan(1e-6);
  });
});
