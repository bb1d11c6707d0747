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
 * Sorts `tag` (one Int32 per row, e.g. the row index) by ascending score, stably, and returns the
 * sorted scores. The scores' IEEE-754 bits are mapped to unsigned order (sign bit flipped for
 * positives, every bit for negatives); an LSD radix sort on the high word (11 bits per pass, a
 * histogram that stays in L1; low word and tag move along, so every pass reads sequentially)
 * leaves only rows with the same high word — sign, exponent and 20 mantissa bits — to order by the
 * low word, runs of one to three rows for continuous scores, none to reorder for tied ones.
 * −0 sorts before +0; scores must not be NaN.
 */
function sortByScore(score: ArrayLike<number>, tag: Int32Array): Float64Array {
  const n = score.length;
  let f: Float64Array;
  if (score instanceof Float64Array) f = score;
  else {
    f = new Float64Array(n);
    for (let i = 0; i < n; i++) f[i] = score[i]!;
  }
  const u = new Uint32Array(f.buffer, f.byteOffset, 2 * n);
  // little-endian: u[2i] = low word, u[2i + 1] = high word
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = u[2 * i + 1]!;
    const neg = h >>> 31;
    hi[i] = neg ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    lo[i] = neg ? ~u[2 * i]! >>> 0 : u[2 * i]!;
  }
  let tg = tag;
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let tg2: Int32Array = new Int32Array(n);
  const count = new Int32Array(2048);
  for (const shift of [0, 11, 22]) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(hi[i]! >>> shift) & 0x7ff]!++;
    let same = false;
    for (let v = 0, acc = 0; v < 2048; v++) {
      const c = count[v]!;
      if (c === n) same = true;
      count[v] = acc;
      acc += c;
    }
    if (same) continue; // every key has this digit: nothing would move
    for (let i = 0; i < n; i++) {
      const to = count[(hi[i]! >>> shift) & 0x7ff]!++;
      hi2[to] = hi[i]!;
      lo2[to] = lo[i]!;
      tg2[to] = tg[i]!;
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [tg, tg2] = [tg2, tg];
  }
  if (tg !== tag) tag.set(tg);
  // Runs of one high word: stable by the low word (insertion; a comparator on positions if long).
  for (let p = 0; p < n;) {
    const h = hi[p]!;
    let q = p + 1;
    let mixed = false;
    while (q < n && hi[q] === h) {
      if (lo[q] !== lo[p]) mixed = true;
      q++;
    }
    if (mixed) {
      if (q - p <= 32)
        for (let a = p + 1; a < q; a++) {
          const l = lo[a]!;
          const t = tag[a]!;
          let b = a - 1;
          while (b >= p && lo[b]! > l) {
            lo[b + 1] = lo[b]!;
            tag[b + 1] = tag[b]!;
            b--;
          }
          lo[b + 1] = l;
          tag[b + 1] = t;
        }
      else {
        const pos = Array.from({ length: q - p }, (_, a) => a).sort(
          (a, b) => lo[p + a]! - lo[p + b]! || a - b,
        );
        const l = Uint32Array.from(pos, (a) => lo[p + a]!);
        const t = Int32Array.from(pos, (a) => tag[p + a]!);
        lo.set(l, p);
        tag.set(t, p);
      }
    }
    p = q;
  }
  // The sorted scores, back from the mapped bits.
  const out = new Float64Array(n);
  const ou = new Uint32Array(out.buffer);
  for (let p = 0; p < n; p++) {
    const h = hi[p]!;
    if (h & 0x80000000) {
      ou[2 * p + 1] = h ^ 0x80000000;
      ou[2 * p] = lo[p]!;
    } else {
      ou[2 * p + 1] = ~h >>> 0;
      ou[2 * p] = ~lo[p]! >>> 0;
    }
  }
  return out;
}

/** Row indexes ordered by ascending score (stable; −0 before +0; scores must not be NaN). */
export function argsortScores(score: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(score.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  sortByScore(score, idx);
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
 * curve, as thinCurve(ksCurve(…).curve, curveMax, cutoff) returns it. With `bandEdges`, every
 * group's rows and bads per band (G × (edges + 1), band = bandOf(score, edges)) are counted on the
 * way, the bands running up with the sorted scores.
 */
export function groupRanks(
  score: ArrayLike<number>,
  bad: ArrayLike<number>,
  groups: ReadonlyArray<ArrayLike<number>>,
  G: number,
  order: Int32Array | undefined = undefined,
  curveGroup = -1,
  curveMax = Infinity,
  bandEdges: readonly number[] | null = null,
): { ranks: GroupRank[]; curve: CurvePoint[]; bands: { count: Float64Array; bads: Float64Array } | null } {
  const n = score.length;
  const A = groups.length;
  // Everything the walk reads in score order. Without a given order, the label and the groups
  // are packed into one int per row that the sort carries (bit 0 = bad, then group + 1 per
  // assignment), so nothing is gathered from random rows; else gathered through the order.
  let sc: Float64Array;
  // Bads and goods per group, counted while unpacking.
  const nb = new Float64Array(G);
  const ng = new Float64Array(G);
  const bd = new Uint8Array(n);
  const gr = new Int32Array(n * A);
  const bits = Math.ceil(Math.log2(G + 1));
  if (!order && 1 + A * bits <= 31) {
    const tag = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let v = bad[i] ? 1 : 0;
      for (let a = 0; a < A; a++) v |= (groups[a]![i]! + 1) << (1 + a * bits);
      tag[i] = v;
    }
    sc = sortByScore(score, tag);
    const mask = (1 << bits) - 1;
    for (let p = 0; p < n; p++) {
      const v = tag[p]!;
      const isBad = v & 1;
      bd[p] = isBad;
      for (let a = 0; a < A; a++) {
        const g = ((v >>> (1 + a * bits)) & mask) - 1;
        gr[p * A + a] = g;
        if (g < 0) continue;
        if (isBad) nb[g]!++;
        else ng[g]!++;
      }
    }
  } else {
    const ord = order ?? argsortScores(score);
    sc = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      const i = ord[p]!;
      sc[p] = score[i]!;
      const isBad = bad[i] ? 1 : 0;
      bd[p] = isBad;
      for (let a = 0; a < A; a++) {
        const g = groups[a]![i]!;
        gr[p * A + a] = g;
        if (g < 0) continue;
        if (isBad) nb[g]!++;
        else ng[g]!++;
      }
    }
  }
  // With band edges, rows and bads per group and band, counted on the walk: bandOf() counts the
  // edges strictly below a score, whatever their order, so over the sorted non-NaN edges (a NaN edge
  // is below no score) a pointer moves down with the scores.
  const e = Float64Array.from((bandEdges ?? []).filter((x) => !Number.isNaN(x))).sort();
  const B = bandEdges ? bandEdges.length + 1 : 0;
  const bands = bandEdges ? { count: new Float64Array(G * B), bads: new Float64Array(G * B) } : null;
  const bandCount = bands ? bands.count : new Float64Array(0);
  const bandBads = bands ? bands.bads : new Float64Array(0);
  let band = e.length;
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
    while (band > 0 && e[band - 1]! >= s) band--;
    let nt = 0;
    for (let p = loPos; p <= hiPos; p++) {
      const isBad = bd[p]!;
      for (let a = 0; a < A; a++) {
        const g = gr[p * A + a]!;
        if (g < 0) continue;
        if (bands) {
          bandCount[g * B + band]!++;
          bandBads[g * B + band]! += isBad;
        }
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
  return { ranks, curve, bands };
}
