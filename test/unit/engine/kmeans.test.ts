/**
 * The typed-array k-means (kmeans.ts) against ml-kmeans and a brute-force silhouette: Lloyd's
 * iterations with Hamerly's bounds end where ml-kmeans' plain loop ends from the same centres (same
 * iteration count, labels and centroids; the final labels and inertia equal a full assignment's),
 * and the one-pass silhouette of several labelings equals each labeling's own, bit for bit.
 */
import fc from 'fast-check';
import { kmeans } from 'ml-kmeans';
import { describe, expect, it } from 'vitest';
import { silhouette, silhouettes } from '../../../src/engine/metrics/cluster-stats.js';
import { assign, inertiaOf, kmeansPlusPlus, lloyd } from '../../../src/engine/metrics/kmeans.js';

const OPTS = { seed: 20261206, numRuns: 60 };

/** Brute-force mean silhouette straight from the definition (all pairs, per point). */
function bruteSilhouette(x: number[][], labels: number[], k: number): number | null {
  const n = x.length;
  const dist = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, j) => s + (v - b[j]!) ** 2, 0));
  const size = Array.from({ length: k }, (_, c) => labels.filter((l) => l === c).length);
  if (size.filter((s) => s > 0).length < 2) return null;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const li = labels[i]!;
    if (size[li]! <= 1) continue;
    const mean = (c: number) =>
      x.reduce((s, p, m) => s + (m !== i && labels[m] === c ? dist(x[i]!, p) : 0), 0) /
      (c === li ? size[c]! - 1 : size[c]!);
    const a = mean(li);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== li && size[c]! > 0) b = Math.min(b, mean(c));
    tot += Math.max(a, b) > 0 ? (b - a) / Math.max(a, b) : 0;
  }
  return tot / n;
}

const points = (dim: number, min: number, max: number) =>
  fc.array(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: dim, maxLength: dim }), {
    minLength: min,
    maxLength: max,
  });

describe('k-means on typed arrays', () => {
  it('Lloyd with Hamerly bounds ends where ml-kmeans ends from the same centres', () => {
    fc.assert(
      fc.property(
        points(3, 10, 200),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 0, max: 999 }),
        (pts, k, seed) => {
          fc.pre(new Set(pts.map((p) => p.join())).size >= k);
          // spread integer grid points apart a little so exact distance ties are rare but possible
          const rows = pts.map((p, i) => p.map((v, j) => v + ((i * 7 + j * 3) % 5) / 10));
          const x = Float64Array.from(rows.flat());
          const n = rows.length;
          const init = kmeansPlusPlus(x, n, 3, k, seed);
          const ours = lloyd(x, n, 3, k, init, 300);
          const initRows = Array.from({ length: k }, (_, c) => Array.from(init.subarray(c * 3, c * 3 + 3)));
          const ref = kmeans(rows, k, { initialization: initRows, maxIterations: 300 });
          expect(ours.iterations).toBe(ref.iterations);
          expect(ours.converged).toBe(ref.converged);
          expect(Array.from(ours.centroids)).toEqual(ref.centroids.flat());
          expect(Array.from(assign(x, n, 3, ours.centroids, k))).toEqual(
            Array.from(assign(x, n, 3, Float64Array.from(ref.centroids.flat()), k)),
          );
          // the final bounded sweep gives what a full assignment and inertiaOf() give, bit for bit
          const full = assign(x, n, 3, ours.centroids, k);
          expect(Array.from(ours.labels)).toEqual(Array.from(full));
          expect(ours.inertia).toBe(inertiaOf(x, n, 3, full, ours.centroids));
        },
      ),
      OPTS,
    );
  });

  it('one-pass silhouettes of several labelings equal each one brute force', () => {
    fc.assert(
      fc.property(
        points(2, 3, 40),
        fc.array(fc.integer({ min: 2, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1e6 }),
        (pts, ks, salt) => {
          const n = pts.length;
          const x = Float64Array.from(pts.flat());
          const labelings = ks.map((k, t) => ({
            k,
            labels: Int32Array.from({ length: n }, (_, i) => ((i * 31 + salt + t * 17) >>> 0) % k),
          }));
          const got = silhouettes(x, n, 2, labelings);
          labelings.forEach((l, t) => {
            const want = bruteSilhouette(pts, Array.from(l.labels), l.k);
            if (want === null) expect(got[t]).toBeNull();
            else expect(got[t]).toBeCloseTo(want, 10);
            expect(silhouette(x, n, 2, l.labels, l.k)).toEqual(got[t]);
          });
          // every distance computed twice (no table of later points' sums): the same exact sums
          expect(silhouettes(x, n, 2, labelings, 0)).toEqual(got);
        },
      ),
      OPTS,
    );
  });
});
