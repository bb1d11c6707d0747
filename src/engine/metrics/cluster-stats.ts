/**
 * K-means around `ml-kmeans` (its Lloyd iterations from our seeded k-means++ centres) with restarts, and the cluster
 * quality measures ml-kmeans lacks: inertia, mean silhouette and Calinski–Harabasz. Points are rows
 * of a row-major Float64Array (n × d).
 */
import { kmeans, kmeansGenerator } from 'ml-kmeans';
import { seededRandom, seededSample } from './mining-features.js';

export interface KmeansFit {
  /** Cluster of each point, 0..k−1 (as ml-kmeans numbered them). */
  labels: Int32Array;
  /** k × d centroids, row-major. */
  centroids: Float64Array;
  /** Σ squared distance of each point to its centroid. */
  inertia: number;
  iterations: number;
  converged: boolean;
  /** The restart that won (0-based) and its seed. */
  restart: number;
}

function toRows(x: Float64Array, n: number, d: number): number[][] {
  const rows: number[][] = new Array<number[]>(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(x.subarray(i * d, i * d + d));
  return rows;
}

/** Σ squared distances of points to the centroid of their label. */
export function inertiaOf(
  x: Float64Array,
  n: number,
  d: number,
  labels: ArrayLike<number>,
  centroids: ArrayLike<number>,
): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]! - centroids[c * d + j]!;
      s += v * v;
    }
  }
  return s;
}

/** Nearest-centroid labels for points against given centroids. */
export function assign(
  x: Float64Array,
  n: number,
  d: number,
  centroids: ArrayLike<number>,
  k: number,
): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let bc = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = x[i * d + j]! - centroids[c * d + j]!;
        s += v * v;
      }
      if (s < best) [best, bc] = [s, c];
    }
    out[i] = bc;
  }
  return out;
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii; 2 + ⌊ln k⌋ candidates per step, the one that
 * lowers the potential most, as scikit-learn and ml-kmeans do) on typed arrays. ml-kmeans' own
 * k-means++ builds ml-matrix objects per step and took about 70% of a run; its Lloyd iterations
 * get these centres through `initialization`.
 */
export function kmeansPlusPlus(x: Float64Array, n: number, d: number, k: number, seed: number): number[][] {
  const rnd = seededRandom(seed * 2654435761 + 1);
  const trials = 2 + Math.floor(Math.log(k));
  const centres: number[][] = [];
  const row = (i: number): number[] => Array.from(x.subarray(i * d, i * d + d));
  const dist = (i: number, c: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]! - x[c * d + j]!;
      s += v * v;
    }
    return s;
  };
  const first = Math.floor(rnd() * n);
  centres.push(row(first));
  let closest: Float64Array = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i] = dist(i, first);
  const cand = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPot = Infinity;
    let best = -1;
    let bestD: Float64Array | null = null;
    for (let t = 0; t < trials; t++) {
      // sample a point with probability ∝ its squared distance to the nearest centre
      let r = rnd() * pot;
      let pick = n - 1;
      for (let i = 0; i < n; i++) {
        r -= closest[i]!;
        if (r < 0) {
          pick = i;
          break;
        }
      }
      let p2 = 0;
      for (let i = 0; i < n; i++) p2 += cand[i] = Math.min(closest[i]!, dist(i, pick));
      if (p2 < bestPot) {
        bestPot = p2;
        best = pick;
        bestD = Float64Array.from(cand);
      }
    }
    centres.push(row(best));
    closest = bestD!;
    pot = bestPot;
  }
  return centres;
}

/**
 * Best of `restarts` k-means runs (seeds seed, seed+1, …) by inertia. Ties keep the earlier
 * restart, so the result depends only on the points (in their given order), k and the seed.
 */
export function kmeansBest(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  opts: { seed?: number; restarts?: number; maxIterations?: number } = {},
): KmeansFit {
  const seed = opts.seed ?? 42;
  const restarts = opts.restarts ?? 10;
  const maxIterations = opts.maxIterations ?? 300;
  const rows = toRows(x, n, d);
  let best: KmeansFit | null = null;
  for (let r = 0; r < restarts; r++) {
    const init = kmeansPlusPlus(x, n, d, k, seed + r);
    const res = kmeans(rows, k, { seed: seed + r, maxIterations, initialization: init });
    const centroids = Float64Array.from(res.centroids.flat());
    // Final labels against the final centroids (ml-kmeans reports the last assignment step's).
    const labels = assign(x, n, d, centroids, k);
    const inertia = inertiaOf(x, n, d, labels, centroids);
    if (!best || inertia < best.inertia - 1e-9 * Math.abs(best.inertia)) {
      best = { labels, centroids, inertia, iterations: res.iterations, converged: res.converged, restart: r };
    }
  }
  return best!;
}

/** Inertia after each Lloyd iteration of one seeded ml-kmeans run (for the monotonicity check). */
export function inertiaTrace(x: Float64Array, n: number, d: number, k: number, seed: number): number[] {
  const out: number[] = [];
  const init = kmeansPlusPlus(x, n, d, k, seed);
  for (const step of kmeansGenerator(toRows(x, n, d), k, {
    seed,
    maxIterations: 300,
    initialization: init,
  })) {
    const c = Float64Array.from(step.centroids.flat());
    out.push(inertiaOf(x, n, d, step.clusters, c));
  }
  return out;
}

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
  const size = new Float64Array(k);
  for (let i = 0; i < n; i++) size[labels[i]!]!++;
  let used = 0;
  for (let c = 0; c < k; c++) if (size[c]! > 0) used++;
  if (used < 2) return null;
  const sums = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const li = labels[i]!;
    for (let m = i + 1; m < n; m++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = x[i * d + j]! - x[m * d + j]!;
        s += v * v;
      }
      const dist = Math.sqrt(s);
      sums[i * k + labels[m]!]! += dist;
      sums[m * k + li]! += dist;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const li = labels[i]!;
    if (size[li]! <= 1) continue; // s = 0
    const a = sums[i * k + li]! / (size[li]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== li && size[c]! > 0) b = Math.min(b, sums[i * k + c]! / size[c]!);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
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
  for (const k of ks) {
    if (k > m) continue;
    const fit = kmeansBest(xs, m, d, k, { seed, restarts, maxIterations });
    fits.set(k, fit);
    const s = k >= 2 ? silhouette(xs, m, d, fit.labels, k) : null;
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
