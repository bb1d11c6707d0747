/**
 * The counting core of `funnel` (funnel.ts): entities per stage and group along each entity's
 * journey, over events given as parallel arrays indexed by event (a dataset row in memory, a
 * shipped `(entity, stage, group, time)` row in loose mode on the SQL backends). Strict mode follows
 * each entity's journey in time order (stage k counts only after stages 1..k−1 at non-decreasing
 * times, optionally within a window from stage 1); loose mode counts distinct entities per stage,
 * attributed to the earliest stage-1 event (else the earliest event), ties by group label rank.
 * The SQL backends compute strict mode next to the data (src/server/sql/funnel-strict.ts): a change
 * to the strict semantics here must be made there too (the differential suite compares them).
 */
import { F64Buf, I32Buf, countingSort } from './generic-util.js';

const HOUR = 3600000;

/** Kept events of a funnel (every array indexed by event id; `kept` lists the ids). */
export interface FunnelEvents {
  kept: Int32Array;
  /** Entity code per event, in [0, nUsers). */
  user: Int32Array;
  nUsers: number;
  /** Funnel position (0-based stage) per event. */
  pos: Int32Array;
  /** Epoch ms per event. */
  time: Float64Array;
  /** Group index per event, in [0, G). */
  grp: Int32Array;
  /** Rank of each group index by label (the missing group last). */
  rank: Int32Array;
}

/** Entities per (group, stage), and per stage k ≥ 1 the hours from stage k−1 with their groups. */
export interface FunnelCounts {
  /** counts[g * K + k]. */
  counts: Float64Array;
  diffs: F64Buf[];
  diffGroups: I32Buf[];
}

/** Count entities per group and stage (`windowMs` Infinity: no window). */
export function funnelCounts(
  ev: FunnelEvents,
  mode: 'strict' | 'loose',
  K: number,
  G: number,
  windowMs: number,
): FunnelCounts {
  const c: FunnelCounts = {
    counts: new Float64Array(G * K),
    diffs: Array.from({ length: K }, () => new F64Buf()),
    diffGroups: Array.from({ length: K }, () => new I32Buf()),
  };
  if (mode === 'loose') loose(ev, K, c);
  else if (windowMs === Infinity) greedy(ev, K, c);
  else windowed(ev, K, windowMs, c);
  return c;
}

/** Loose: a bit per stage reached; attribution to the earliest stage-1 event, else the earliest event. */
function loose(ev: FunnelEvents, K: number, c: FunnelCounts): void {
  const { kept, user, pos, time, grp, rank, nUsers: Du } = ev;
  const mask = new Int32Array(Du);
  const firstT = new Float64Array(Du).fill(Infinity);
  const firstG = new Int32Array(Du).fill(-1);
  const firstIsStage1 = new Uint8Array(Du);
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k]!;
    const u = user[i]!;
    const s = pos[i]!;
    mask[u]! |= 1 << s;
    // Attribution: the earliest stage-1 event, else the earliest event (ties: group label order).
    const isS1 = s === 0 ? 1 : 0;
    const g = grp[i]!;
    const ti = time[i]!;
    const better =
      isS1 > firstIsStage1[u]! ||
      (isS1 === firstIsStage1[u]! &&
        (ti < firstT[u]! || (ti === firstT[u]! && rank[g]! < rank[firstG[u]!]!)));
    if (better) {
      firstIsStage1[u] = isS1;
      firstT[u] = ti;
      firstG[u] = g;
    }
  }
  for (let u = 0; u < Du; u++) {
    const m = mask[u]!;
    if (m === 0) continue;
    const base = firstG[u]! * K;
    for (let s = 0; s < K; s++) if (m & (1 << s)) c.counts[base + s]!++;
  }
}

/**
 * Strict without a window: the journey from the earliest stage-1 event is the deepest, and greedy
 * earliest matches are optimal: t_k = earliest stage-k event at or after t_{k−1}. One pass per
 * stage over that stage's events; no sorting.
 */
function greedy(ev: FunnelEvents, K: number, c: FunnelCounts): void {
  const { kept, user, pos, time, grp, rank, nUsers: Du } = ev;
  const byStage = countingSort(kept, pos, 0, K);
  const stageStart = new Int32Array(K + 1);
  for (let k = 0; k < kept.length; k++) stageStart[pos[byStage[k]!]! + 1]!++;
  for (let k = 0; k < K; k++) stageStart[k + 1]! += stageStart[k]!;
  let prev = new Float64Array(Du).fill(Infinity);
  let cur = new Float64Array(Du).fill(Infinity);
  const gOf = new Int32Array(Du);
  const bestRank = new Int32Array(Du);
  for (let k = 0; k < K; k++) {
    if (k > 0) {
      const tmpArr = prev;
      prev = cur;
      cur = tmpArr.fill(Infinity);
    }
    for (let j = stageStart[k]!; j < stageStart[k + 1]!; j++) {
      const i = byStage[j]!;
      const u = user[i]!;
      const ti = time[i]!;
      if (k === 0) {
        const r = rank[grp[i]!]!;
        if (ti < cur[u]! || (ti === cur[u]! && r < bestRank[u]!)) {
          cur[u] = ti;
          bestRank[u] = r;
          gOf[u] = grp[i]!;
        }
      } else if (ti >= prev[u]! && ti < cur[u]!) cur[u] = ti;
    }
    for (let u = 0; u < Du; u++) {
      const tu = cur[u]!;
      if (tu === Infinity) continue;
      c.counts[gOf[u]! * K + k]!++;
      if (k > 0) {
        c.diffs[k]!.push((tu - prev[u]!) / HOUR);
        c.diffGroups[k]!.push(gOf[u]!);
      }
    }
  }
}

/**
 * Strict with a window: each entity's events in time order (ties: group rank, then stage); every
 * stage-1 event is tried as a start and the first start reaching the greatest depth is kept.
 */
function windowed(ev: FunnelEvents, K: number, window: number, c: FunnelCounts): void {
  const { kept, user, pos, time, grp, rank, nUsers } = ev;
  const order = countingSort(kept, user, 0, nUsers);
  const tie = (i: number): number => rank[grp[i]!]! * 32 + pos[i]!;
  const cmp = (a: number, b: number): number => time[a]! - time[b]! || tie(a) - tie(b);
  const tmp = new Float64Array(K);
  const best = new Float64Array(K);
  let a = 0;
  while (a < order.length) {
    const u = user[order[a]!]!;
    let b = a + 1;
    while (b < order.length && user[order[b]!] === u) b++;
    // Sort the segment by time (insertion sort: segments are short).
    if (b - a > 32) order.subarray(a, b).sort(cmp);
    else {
      for (let x = a + 1; x < b; x++) {
        const v = order[x]!;
        let y = x - 1;
        while (y >= a && cmp(order[y]!, v) > 0) {
          order[y + 1] = order[y]!;
          y--;
        }
        order[y + 1] = v;
      }
    }
    let bestDepth = 0;
    let bestStart = -1;
    let first = a;
    for (let s = a; s < b; s++) {
      const is = order[s]!;
      if (pos[is] !== 0) continue;
      const t1 = time[is]!;
      const limit = t1 + window;
      while (time[order[first]!]! < t1) first++;
      tmp[0] = t1;
      let depth = 1;
      let tPrev = t1;
      let ptr = first;
      for (let k = 1; k < K; k++) {
        while (ptr < b && time[order[ptr]!]! < tPrev) ptr++;
        let found = false;
        for (let j = ptr; j < b; j++) {
          const ij = order[j]!;
          const tj = time[ij]!;
          if (tj > limit) break;
          if (pos[ij] === k) {
            tPrev = tj;
            tmp[k] = tj;
            found = true;
            break;
          }
        }
        if (!found) break;
        depth++;
      }
      if (depth > bestDepth) {
        bestDepth = depth;
        bestStart = is;
        best.set(tmp);
      }
      if (bestDepth === K) break;
    }
    if (bestDepth > 0) {
      const g = grp[bestStart]!;
      const base = g * K;
      for (let k = 0; k < bestDepth; k++) {
        c.counts[base + k]!++;
        if (k > 0) {
          c.diffs[k]!.push((best[k]! - best[k - 1]!) / HOUR);
          c.diffGroups[k]!.push(g);
        }
      }
    }
    a = b;
  }
}
