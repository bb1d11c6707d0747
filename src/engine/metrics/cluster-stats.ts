/**
 * Cluster quality measures ml-kmeans lacks — mean silhouette and Calinski–Harabasz — and the k
 * selection of METRICS.md "Clusters" over the k-means of kmeans.ts. Points are rows of a row-major
 * Float64Array (n × d).
 */
import type { KmeansFit } from './kmeans.js';
import { inertiaOf, kmeansBest } from './kmeans.js';
import { seededSample } from './mining-features.js';

/**
 * Mean silhouette: s(i) = (b − a) / max(a, b), a = mean distance to the other points of i's
 * cluster, b = the smallest mean distance to another cluster's points; s(i) = 0 for a point alone
 * in its cluster (as scikit-learn). Euclidean distances. Null with fewer than 2 clusters in use.
 * O(n²·d): callers sample (≤ 5,000 points).
 */
export function silhouette(
  x: Float64Array,
  n: number,
  d: number,
  labels: ArrayLike<number>,
  k: number,
): number | null {
  return silhouettes(x, n, d, [{ labels, k }])[0]!;
}

/**
 * The mean silhouette of several labelings of the same points, from one distance per pair of
 * points for all of them (the k search scores 9 labelings of one 5,000-point sample).
 *
 * Points with the same label in every labeling form a joint cell (162 cells for the bench's 9
 * labelings of 5,000 points); each point's distances are summed per cell, then the cell sums per
 * cluster of each labeling — C·L additions per point instead of n·L. So that the sums do not
 * depend on how they are grouped (one labeling alone gives bit for bit what it gives among
 * others), every distance is rounded to a multiple of a power-of-two quantum q small enough that
 * no sum reaches 2⁵³·q: all the additions are then exact. q < 2⁻⁵⁰·n·D for the points' bounding-box
 * diameter D, so a mean distance moves by at most q/2 (≈ 1e-11 for the bench's sample), well
 * inside the 1e-9 the silhouettes are documented to.
 */
export function silhouettes(
  x: Float64Array,
  n: number,
  d: number,
  labelings: ReadonlyArray<{ labels: ArrayLike<number>; k: number }>,
  maxTable = 1 << 22,
): (number | null)[] {
  const L = labelings.length;
  // Per labeling: an offset into one Σk table of clusters, and the cluster sizes.
  const off = new Int32Array(L + 1);
  for (let t = 0; t < L; t++) off[t + 1] = off[t]! + labelings[t]!.k;
  const K = off[L]!;
  const size = new Float64Array(K);
  // Joint cells: cellOf[i], and each cell's cluster (with offset) in every labeling.
  const cellOf = new Int32Array(n);
  const cellIds = new Map<string, number>();
  const cellLab: number[] = [];
  const key = new Array<number>(L);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < L; t++) {
      key[t] = off[t]! + labelings[t]!.labels[i]!;
      size[key[t]!]!++;
    }
    const ks = key.join(',');
    let c = cellIds.get(ks);
    if (c === undefined) {
      c = cellIds.size;
      cellIds.set(ks, c);
      cellLab.push(...key);
    }
    cellOf[i] = c;
  }
  const C = cellIds.size;
  const lab = Int32Array.from(cellLab);
  // The quantum: a power of two with n·D/q < 2⁵² (D bounds every pairwise distance).
  let D2 = 0;
  for (let j = 0; j < d; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = x[i * d + j]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi > lo) D2 += (hi - lo) * (hi - lo);
  }
  const q = D2 > 0 ? 2 ** (Math.ceil(Math.log2(n * Math.sqrt(D2) * 1.01)) - 52) : 1;
  const inv = 1 / q;
  // Each pair's distance once: into i's row of cell sums, and into column m of the C × n table of
  // later points' sums (row = i's cell, so the writes run along m). When that table would pass
  // `maxTable` entries (many cells), each point's row is computed whole instead: the same sums.
  const cellSum = new Float64Array(C);
  const sym = C * n <= maxTable;
  const later = new Float64Array(sym ? C * n : 0);
  const sums = new Float64Array(K);
  const total = new Float64Array(L);
  const used = labelings.map(({ k }, t) => {
    let u = 0;
    for (let c = 0; c < k; c++) if (size[off[t]! + c]! > 0) u++;
    return u >= 2;
  });
  const ROUND = 6755399441055744; // 1.5·2⁵²: (v + ROUND) − ROUND rounds v (< 2⁵¹) to an integer
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    const ci = cellOf[i]!;
    const col = ci * n;
    if (sym) for (let c = 0; c < C; c++) cellSum[c] = later[c * n + i]!;
    else cellSum.fill(0);
    for (let m = sym ? i + 1 : 0; m < n; m++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = x[xi + j]! - x[m * d + j]!;
        s += v * v;
      }
      const qd = Math.sqrt(s) * inv + ROUND - ROUND;
      cellSum[cellOf[m]!]! += qd;
      if (sym) later[col + m]! += qd;
    }
    sums.fill(0);
    for (let c = 0; c < C; c++) {
      const v = cellSum[c]!;
      if (v === 0) continue;
      for (let t = 0; t < L; t++) sums[lab[c * L + t]!]! += v;
    }
    for (let t = 0; t < L; t++) {
      if (!used[t]) continue;
      const li = lab[ci * L + t]!;
      if (size[li]! <= 1) continue; // s = 0
      const a = (sums[li]! * q) / (size[li]! - 1);
      let b = Infinity;
      for (let c = off[t]!; c < off[t + 1]!; c++)
        if (c !== li && size[c]! > 0) b = Math.min(b, (sums[c]! * q) / size[c]!);
      const mx = Math.max(a, b);
      total[t]! += mx > 0 ? (b - a) / mx : 0;
    }
  }
  return labelings.map((_, t) => (used[t] ? total[t]! / n : null));
}

/** Calinski–Harabasz = [B / (k − 1)] / [W / (n − k)]; null when undefined (k < 2, n ≤ k, W = 0). */
export function calinskiHarabasz(
  x: Float64Array,
  n: number,
  d: number,
  labels: ArrayLike<number>,
  k: number,
): number | null {
  if (k < 2 || n <= k) return null;
  const mean = new Float64Array(d);
  const cen = new Float64Array(k * d);
  const size = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    size[c]!++;
    for (let j = 0; j < d; j++) {
      mean[j]! += x[i * d + j]!;
      cen[c * d + j]! += x[i * d + j]!;
    }
  }
  for (let j = 0; j < d; j++) mean[j]! /= n;
  let B = 0;
  for (let c = 0; c < k; c++) {
    if (!size[c]) continue;
    for (let j = 0; j < d; j++) {
      cen[c * d + j]! /= size[c]!;
      const v = cen[c * d + j]! - mean[j]!;
      B += size[c]! * v * v;
    }
  }
  const W = inertiaOf(x, n, d, labels, cen);
  if (!(W > 0)) return null;
  return B / (k - 1) / (W / (n - k));
}

/** One k tried: inertia, mean silhouette and Calinski–Harabasz on the selection sample. */
export interface KTry {
  k: number;
  inertia: number;
  silhouette: number | null;
  calinskiHarabasz: number | null;
}

/**
 * k selection and the final fit (METRICS.md "Clusters"): every k of `ks` is fitted on a seeded
 * sample of `sampleSize` points (all points when there are fewer) and scored by its mean
 * silhouette, inertia and Calinski–Harabasz; the k with the highest silhouette wins (the first on
 * a tie) unless `given`; the final fit at that k uses all n points.
 */
export function selectK(
  x: Float64Array,
  n: number,
  d: number,
  ks: readonly number[],
  opts: { seed: number; restarts: number; maxIterations: number; sampleSize: number; given: number | null },
): { kTable: KTry[]; chosen: number; fit: KmeansFit; sampled: boolean; m: number } {
  const { seed, restarts, maxIterations } = opts;
  const sampled = n > opts.sampleSize;
  const sIdx = seededSample(n, opts.sampleSize, seed);
  const m = sIdx.length;
  const xs = new Float64Array(m * d);
  for (let i = 0; i < m; i++) xs.set(x.subarray(sIdx[i]! * d, sIdx[i]! * d + d), i * d);
  let bestK = ks[0]!;
  let bestS = -Infinity;
  const fits = new Map<number, KmeansFit>();
  const kTable: KTry[] = [];
  const tried = ks.filter((k) => k <= m);
  for (const k of tried) fits.set(k, kmeansBest(xs, m, d, k, { seed, restarts, maxIterations }));
  const scored = tried.filter((k) => k >= 2);
  const sil = silhouettes(
    xs,
    m,
    d,
    scored.map((k) => ({ labels: fits.get(k)!.labels, k })),
  );
  for (const k of tried) {
    const fit = fits.get(k)!;
    const s = k >= 2 ? sil[scored.indexOf(k)]! : null;
    kTable.push({
      k,
      inertia: fit.inertia,
      silhouette: s,
      calinskiHarabasz: k >= 2 ? calinskiHarabasz(xs, m, d, fit.labels, k) : null,
    });
    if (s !== null && s > bestS + 1e-12) [bestS, bestK] = [s, k];
  }
  const chosen = opts.given ?? bestK;
  const fit = sampled ? kmeansBest(x, n, d, chosen, { seed, restarts, maxIterations }) : fits.get(chosen)!;
  return { kTable, chosen, fit, sampled, m };
}
