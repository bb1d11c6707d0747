/**
 * Plain-loop k-means: the floor for `kmeans/plain-lloyd`. Greedy k-means++ seeding (2 + ⌊ln k⌋
 * candidates per step, the one that lowers the potential most) from a mulberry32 stream, then
 * Lloyd's iterations — every point against every centre, every iteration — until no centre moves
 * more than 1e-6 (squared), best of `restarts` by inertia. Written the way one would write it for
 * this one question, sharing no code with src/, so the engine's k-means can be checked against it
 * (same seeds and the same arithmetic order: equal inertia and labels).
 */

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function seedCentres(x: Float64Array, n: number, d: number, k: number, seed: number): Float64Array {
  const rnd = mulberry32(seed * 2654435761 + 1);
  const trials = 2 + Math.floor(Math.log(k));
  const c = new Float64Array(k * d);
  const d2 = (i: number, j: number): number => {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t]! - x[j * d + t]!;
      s += v * v;
    }
    return s;
  };
  const first = Math.floor(rnd() * n);
  c.set(x.subarray(first * d, first * d + d), 0);
  let closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i] = d2(i, first);
  const cand = new Float64Array(n);
  for (let m = 1; m < k; m++) {
    let bestPot = Infinity;
    let best = -1;
    let bestD = closest;
    for (let t = 0; t < trials; t++) {
      let r = rnd() * pot;
      let pick = n - 1;
      for (let i = 0; i < n; i++) {
        r -= closest[i]!;
        if (r < 0) {
          pick = i;
          break;
        }
      }
      let p = 0;
      for (let i = 0; i < n; i++) p += cand[i] = Math.min(closest[i]!, d2(i, pick));
      if (p < bestPot) {
        bestPot = p;
        best = pick;
        bestD = Float64Array.from(cand);
      }
    }
    c.set(x.subarray(best * d, best * d + d), m * d);
    closest = bestD;
    pot = bestPot;
  }
  return c;
}

function nearest(x: Float64Array, i: number, d: number, c: Float64Array, k: number): number {
  let best = Infinity;
  let bc = 0;
  for (let m = 0; m < k; m++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t]! - c[m * d + t]!;
      s += v * v;
    }
    if (s < best) {
      best = s;
      bc = m;
    }
  }
  return bc;
}

export interface PlainFit {
  labels: Int32Array;
  centroids: Float64Array;
  inertia: number;
  iterations: number;
}

/** One seeded run: k-means++ then Lloyd's iterations. */
export function plainLloyd(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  seed: number,
  maxIterations = 300,
): PlainFit {
  let c = seedCentres(x, n, d, k, seed);
  const labels = new Int32Array(n);
  let it = 0;
  for (; it < maxIterations;) {
    it++;
    for (let i = 0; i < n; i++) labels[i] = nearest(x, i, d, c, k);
    const next = new Float64Array(k * d);
    const size = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const m = labels[i]!;
      size[m]!++;
      for (let t = 0; t < d; t++) next[m * d + t]! += x[i * d + t]!;
    }
    let moved = false;
    for (let m = 0; m < k; m++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        next[m * d + t] = size[m] ? next[m * d + t]! / size[m]! : c[m * d + t]!;
        const v = next[m * d + t]! - c[m * d + t]!;
        s += v * v;
      }
      if (s > 1e-6) moved = true;
    }
    c = next;
    if (!moved) break;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const m = (labels[i] = nearest(x, i, d, c, k));
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t]! - c[m * d + t]!;
      inertia += v * v;
    }
  }
  return { labels, centroids: c, inertia, iterations: it };
}

/** Best of `restarts` runs (seeds seed, seed + 1, …) by inertia; the earlier run wins a tie. */
export function plainKmeans(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  seed: number,
  restarts: number,
  maxIterations = 300,
): PlainFit {
  let best: PlainFit | null = null;
  for (let r = 0; r < restarts; r++) {
    const f = plainLloyd(x, n, d, k, seed + r, maxIterations);
    if (!best || f.inertia < best.inertia - 1e-9 * Math.abs(best.inertia)) best = f;
  }
  return best!;
}
