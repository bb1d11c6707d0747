/**
 * AUC and KS of many groups of one scored sample (months, development, monitoring) from one sort:
 * the rows are ordered by score once (an LSD radix sort on the doubles' bits, no comparator), then
 * walked from the riskiest score down, tie by tie. Each group gets exactly what auc() and
 * ksCurve() of mining-stats.ts give on its rows alone — the same Mann–Whitney count (ties ½), the
 * same KS and cut-off (the first maximum from the riskiest side), the same curve points — which a
 * property test checks. Scores must not be NaN.
 */
import type { CurvePoint } from './mining-stats.js';

/**
 * Row indexes ordered by ascending score (stable): an LSD radix sort of the IEEE-754 bits mapped to
 * unsigned order (sign bit flipped for positives, every bit for negatives), 11 bits per pass (a
 * histogram that stays in L1), keys moving with the indexes so every pass reads sequentially.
 * −0 sorts before +0; scores must not be NaN.
 */
export function argsortScores(score: ArrayLike<number>): Int32Array {
  const n = score.length;
  const f = Float64Array.from(score);
  const u = new Uint32Array(f.buffer);
  // little-endian: u[2i] = low word, u[2i + 1] = high word
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = u[2 * i + 1]!;
    const neg = h >>> 31;
    hi[i] = neg ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    lo[i] = neg ? ~u[2 * i]! >>> 0 : u[2 * i]!;
  }
  let idx = Int32Array.from({ length: n }, (_, i) => i);
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let idx2 = new Int32Array(n);
  const count = new Int32Array(2048);
  // (word, shift): bits 0–10, 11–21, 22–31 of the low word, then of the high word
  for (const [high, shift] of [
    [false, 0],
    [false, 11],
    [false, 22],
    [true, 0],
    [true, 11],
    [true, 22],
  ] as const) {
    const key = high ? hi : lo;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(key[i]! >>> shift) & 0x7ff]!++;
    let same = false;
    for (let v = 0, acc = 0; v < 2048; v++) {
      const c = count[v]!;
      if (c === n) same = true;
      count[v] = acc;
      acc += c;
    }
    if (same) continue; // every key has this digit: nothing would move
    for (let i = 0; i < n; i++) {
      const to = count[(key[i]! >>> shift) & 0x7ff]!++;
      hi2[to] = hi[i]!;
      lo2[to] = lo[i]!;
      idx2[to] = idx[i]!;
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}

/** AUC and KS of one group. */
export interface GroupRank {
  count: number;
  events: number;
  /** null when the group has no bads or no goods. */
  auc: number | null;
  ks: number | null;
  /** Flag scores ≥ cutoff: where KS occurs (the riskiest such score). */
  cutoff: number | null;
}

/**
 * AUC, KS and cut-off per group. `groups` are assignments of the rows (group id, or −1 for none);
 * a row may belong to one group of each assignment. `curveGroup` (optional) also gets its ROC/KS
 * curve, as thinCurve(ksCurve(…).curve, curveMax, cutoff) returns it.
 */
export function groupRanks(
  score: ArrayLike<number>,
  bad: ArrayLike<number>,
  groups: ReadonlyArray<ArrayLike<number>>,
  G: number,
  order: Int32Array = argsortScores(score),
  curveGroup = -1,
  curveMax = Infinity,
): { ranks: GroupRank[]; curve: CurvePoint[] } {
  const n = score.length;
  const A = groups.length;
  // Everything the walk reads, gathered into score order once (sequential reads from here on).
  const sc = new Float64Array(n);
  const bd = new Uint8Array(n);
  const gr = new Int32Array(n * A);
  for (let p = 0; p < n; p++) {
    const i = order[p]!;
    sc[p] = score[i]!;
    bd[p] = bad[i] ? 1 : 0;
    for (let a = 0; a < A; a++) gr[p * A + a] = groups[a]![i]!;
  }
  const nb = new Float64Array(G);
  const ng = new Float64Array(G);
  for (let p = 0; p < n; p++)
    for (let a = 0; a < A; a++) {
      const g = gr[p * A + a]!;
      if (g < 0) continue;
      if (bd[p]) nb[g]!++;
      else ng[g]!++;
    }
  const cb = new Float64Array(G);
  const cg = new Float64Array(G);
  const tb = new Float64Array(G);
  const tg = new Float64Array(G);
  const u = new Float64Array(G);
  const ks = new Float64Array(G).fill(-1);
  const cutoff = new Float64Array(G).fill(NaN);
  const touched = new Int32Array(G);
  const withCurve = curveGroup >= 0 && nb[curveGroup]! > 0 && ng[curveGroup]! > 0;
  const nCurve = curveGroup >= 0 ? nb[curveGroup]! + ng[curveGroup]! : 0;
  // The curve group's points (after the (0, 0) start), as typed columns until thinned.
  const cap = withCurve ? nCurve : 0;
  const cThr = new Float64Array(cap);
  const cB = new Float64Array(cap);
  const cG = new Float64Array(cap);
  let nc = 0;
  for (let hiPos = n - 1; hiPos >= 0;) {
    const s = sc[hiPos]!;
    let loPos = hiPos;
    while (loPos > 0 && sc[loPos - 1] === s) loPos--;
    let nt = 0;
    for (let p = loPos; p <= hiPos; p++) {
      const isBad = bd[p]!;
      for (let a = 0; a < A; a++) {
        const g = gr[p * A + a]!;
        if (g < 0) continue;
        if (tb[g] === 0 && tg[g] === 0) touched[nt++] = g;
        if (isBad) tb[g]!++;
        else tg[g]!++;
      }
    }
    for (let t = 0; t < nt; t++) {
      const g = touched[t]!;
      const b = tb[g]!;
      const gd = tg[g]!;
      // goods strictly below this score count 1 for each bad here, goods tied count ½
      u[g]! += b * (ng[g]! - cg[g]! - gd + gd / 2);
      cb[g]! += b;
      cg[g]! += gd;
      if (nb[g]! > 0 && ng[g]! > 0) {
        const d = Math.abs(cb[g]! / nb[g]! - cg[g]! / ng[g]!);
        if (d > ks[g]! + 1e-12) {
          ks[g] = d;
          cutoff[g] = s;
        }
        if (g === curveGroup) {
          cThr[nc] = s;
          cB[nc] = cb[g]!;
          cG[nc++] = cg[g]!;
        }
      }
      tb[g] = 0;
      tg[g] = 0;
    }
    hiPos = loPos - 1;
  }
  const ranks: GroupRank[] = [];
  for (let g = 0; g < G; g++) {
    const ok = nb[g]! > 0 && ng[g]! > 0;
    ranks.push({
      count: nb[g]! + ng[g]!,
      events: nb[g]!,
      auc: ok ? u[g]! / (nb[g]! * ng[g]!) : null,
      ks: ok ? ks[g]! : null,
      cutoff: ok ? cutoff[g]! : null,
    });
  }
  // The curve, thinned to curveMax points as thinCurve() does (evenly by population, keeping both
  // ends and the KS point), without making an object per distinct score first.
  const curve: CurvePoint[] = [{ threshold: Infinity, population: 0, cumBad: 0, cumGood: 0 }];
  if (withCurve) {
    const g = curveGroup;
    const keep = cutoff[g]!;
    const len = nc + 1;
    let next = 0;
    if (len > curveMax) while (next <= 0) next += 1 / (curveMax - 2); // the start point
    for (let k = 0; k < nc; k++) {
      const pop = (cB[k]! + cG[k]!) / nCurve;
      const i = k + 1;
      if (len > curveMax && !(i === len - 1 || pop >= next || cThr[k] === keep)) continue;
      curve.push({ threshold: cThr[k]!, population: pop, cumBad: cB[k]! / nb[g]!, cumGood: cG[k]! / ng[g]! });
      if (len > curveMax) while (next <= pop) next += 1 / (curveMax - 2);
    }
  }
  return { ranks, curve };
}
