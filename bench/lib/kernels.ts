/**
 * Hand-written typed-array loops: the floor for `kernel-<metric>`. Each computes the numbers of one
 * metric (no basis, no quality report, no JSON rows) straight from the loaded columns, the way a
 * performance engineer would write it for this one question. `check*` compare them with the
 * engine's result (same summation order, so equal to the last bit after the engine's rounding).
 */
import type { CatColumn, Dataset, DateColumn, NumColumn } from '../../src/data/dataset.js';
import { NULL_INDEX } from '../../src/data/dataset.js';
import { r10 } from '../../src/engine/metric.js';
import type { MetricResult } from '../../src/engine/types.js';

function cat(ds: Dataset, f: string): CatColumn {
  return ds.cols[f] as CatColumn;
}
function num(ds: Dataset, f: string): Float64Array {
  return (ds.cols[f] as NumColumn).data;
}
function date(ds: Dataset, f: string): DateColumn {
  return ds.cols[f] as DateColumn;
}

/** Status codes that are in book (active or unknown). */
function activeCodes(ds: Dataset): Uint8Array {
  const st = cat(ds, 'status');
  const ok = new Uint8Array(st.dict.length);
  st.dict.forEach((s, k) => (ok[k] = s === 'closed' || s === 'written_off' ? 0 : 1));
  return ok;
}

// --- bucket trend -----------------------------------------------------------------------------

export interface BucketTrendOut {
  m0: number;
  M: number;
  cnt: Float64Array;
  amt: Float64Array;
}

export function bucketTrendKernel(lm: Dataset): BucketTrendOut {
  const month = date(lm, 'snapshot_date').month;
  const dpd = num(lm, 'dpd');
  const out = num(lm, 'outstanding');
  const st = cat(lm, 'status').codes;
  const act = activeCodes(lm);
  const n = lm.n;
  let lo = 2147483647;
  let hi = -2147483648;
  for (let i = 0; i < n; i++) {
    const m = month[i]!;
    if (m === NULL_INDEX) continue;
    if (m < lo) lo = m;
    if (m > hi) hi = m;
  }
  const M = hi - lo + 1;
  const cnt = new Float64Array(M * 8);
  const amt = new Float64Array(M * 8);
  for (let i = 0; i < n; i++) {
    const m = month[i]!;
    if (m === NULL_INDEX) continue;
    const s = st[i]!;
    if (s >= 0 && !act[s]) continue;
    const d = dpd[i]!;
    if (!(d >= 0)) continue;
    const o = out[i]!;
    if (o !== o) continue;
    const b = d < 1 ? 0 : d < 31 ? 1 : d < 61 ? 2 : d < 91 ? 3 : d < 121 ? 4 : d < 151 ? 5 : d < 181 ? 6 : 7;
    const c = (m - lo) * 8 + b;
    cnt[c]!++;
    amt[c]! += o;
  }
  return { m0: lo, M, cnt, amt };
}

export function checkBucketTrend(k: BucketTrendOut, r: MetricResult): string | null {
  const rows = r.data as Array<{ index: number; count: number; outstanding: number }>;
  let j = 0;
  for (let mo = 0; mo < k.M; mo++) {
    let any = false;
    for (let b = 0; b < 8; b++) if (k.cnt[mo * 8 + b]) any = true;
    if (!any) continue;
    for (let b = 0; b < 8; b++, j++) {
      const row = rows[j];
      if (!row || row.count !== k.cnt[mo * 8 + b] || row.outstanding !== r10(k.amt[mo * 8 + b]!))
        return `bucket_trend differs at month ${mo} bucket ${b}`;
    }
  }
  return j === rows.length ? null : `bucket_trend: ${rows.length} rows vs ${j}`;
}

// --- cohort retention (transactions, by first-transaction month) -----------------------------

export interface CohortOut {
  minP: number;
  nC: number;
  size: Float64Array;
  active: Float64Array;
}

export function cohortKernel(tx: Dataset): CohortOut {
  const ent = cat(tx, 'customer_id');
  const per = date(tx, 'txn_time').month;
  const codes = ent.codes;
  const D = ent.dict.length;
  const n = tx.n;
  const first = new Int32Array(D).fill(2147483647);
  let minP = 2147483647;
  let maxP = -2147483648;
  for (let i = 0; i < n; i++) {
    const e = codes[i]!;
    const p = per[i]!;
    if (e < 0 || p === NULL_INDEX) continue;
    if (p < first[e]!) first[e] = p;
    if (p < minP) minP = p;
    if (p > maxP) maxP = p;
  }
  const nC = maxP - minP + 1;
  const size = new Float64Array(nC);
  for (let e = 0; e < D; e++) if (first[e]! !== 2147483647) size[first[e]! - minP]!++;
  const active = new Float64Array(nC * nC);
  const seen = new Uint32Array(Math.ceil((D * nC) / 32));
  for (let i = 0; i < n; i++) {
    const e = codes[i]!;
    const p = per[i]!;
    if (e < 0 || p === NULL_INDEX) continue;
    const off = p - first[e]!;
    const b = e * nC + off;
    const w = b >>> 5;
    const m = 1 << (b & 31);
    if ((seen[w]! & m) === 0) {
      seen[w]! |= m;
      active[(first[e]! - minP) * nC + off]!++;
    }
  }
  return { minP, nC, size, active };
}

export function checkCohort(k: CohortOut, r: MetricResult): string | null {
  const rows = r.data as Array<{ size: number; period: number; active: number | null }>;
  let j = 0;
  for (let c = 0; c < k.nC; c++) {
    if (!k.size[c]) continue;
    for (let p = 0; p < k.nC; p++, j++) {
      const row = rows[j];
      const censored = c + p >= k.nC;
      if (!row || row.size !== k.size[c] || row.period !== p)
        return `cohort differs at cohort ${c} period ${p}`;
      if (censored ? row.active !== null : row.active !== k.active[c * k.nC + p])
        return `cohort active differs at ${c},${p}`;
    }
  }
  return j === rows.length ? null : `cohort: ${rows.length} rows vs ${j}`;
}

// --- vintage (current, amount, dpd > d) --------------------------------------------------------

/** loan_months loan code → loans row (the join a typed implementation precomputes once per load). */
export function loanRowIndex(lm: Dataset, loans: Dataset): Int32Array {
  const a = cat(lm, 'loan_id');
  const b = cat(loans, 'loan_id');
  const byId = new Map<string, number>();
  for (let r = 0; r < loans.n; r++) {
    const c = b.codes[r]!;
    if (c >= 0 && !byId.has(b.dict[c]!)) byId.set(b.dict[c]!, r);
  }
  const out = new Int32Array(a.dict.length);
  for (let c = 0; c < a.dict.length; c++) out[c] = byId.get(a.dict[c]!) ?? -1;
  return out;
}

export interface VintageOut {
  minC: number;
  nCoh: number;
  nMob: number;
  cells: Float64Array;
  cohPrin: Float64Array;
}

export function vintageKernel(lm: Dataset, loans: Dataset, loanRow: Int32Array, d = 30): VintageOut {
  const loan = cat(lm, 'loan_id').codes;
  const nLoans = loanRow.length;
  const month = date(lm, 'snapshot_date').month;
  const dpd = num(lm, 'dpd');
  const out = num(lm, 'outstanding');
  const issue = date(loans, 'issue_date').month;
  const principal = num(loans, 'principal');
  const n = lm.n;
  let maxM = -2147483648;
  for (let i = 0; i < n; i++) if (month[i]! > maxM) maxM = month[i]!;
  const seen = new Uint8Array(nLoans);
  let minC = 2147483647;
  let maxC = -2147483648;
  for (let i = 0; i < n; i++) {
    const c = loan[i]!;
    if (c < 0 || seen[c]) continue;
    seen[c] = 1;
    const r = loanRow[c]!;
    if (r < 0) continue;
    const cm = issue[r]!;
    if (cm === NULL_INDEX || cm > maxM) continue;
    if (cm < minC) minC = cm;
    if (cm > maxC) maxC = cm;
  }
  const nCoh = maxC - minC + 1;
  const nMob = maxM - minC + 1;
  const cohPrin = new Float64Array(nCoh);
  for (let c = 0; c < nLoans; c++) {
    if (!seen[c]) continue;
    const r = loanRow[c]!;
    if (r < 0) continue;
    const cm = issue[r]!;
    if (cm === NULL_INDEX || cm > maxM) continue;
    const p = principal[r]!;
    if (p === p) cohPrin[cm - minC]! += p;
  }
  const cells = new Float64Array(nCoh * nMob);
  for (let i = 0; i < n; i++) {
    const c = loan[i]!;
    if (c < 0) continue;
    const r = loanRow[c]!;
    if (r < 0) continue;
    const cm = issue[r]!;
    const m = month[i]!;
    if (cm === NULL_INDEX || m === NULL_INDEX) continue;
    const k = m - cm;
    if (k < 0) continue;
    const dv = dpd[i]!;
    const v = out[i]!;
    if (!(dv >= 0) || v !== v || principal[r] !== principal[r]) continue;
    if (dv > d) cells[(cm - minC) * nMob + k]! += v;
  }
  return { minC, nCoh, nMob, cells, cohPrin };
}

export function checkVintage(k: VintageOut, r: MetricResult): string | null {
  const rows = r.data as Array<{ mob: number; numerator: number | null; denominator: number }>;
  let j = 0;
  for (let c = 0; c < k.nCoh; c++) {
    if (!k.cohPrin[c]) continue;
    for (let m = 0; m < k.nMob; m++, j++) {
      const row = rows[j];
      if (!row || row.mob !== m || row.denominator !== r10(k.cohPrin[c]!))
        return `vintage differs at cohort ${c} mob ${m}`;
      if (row.numerator !== null && row.numerator !== r10(k.cells[c * k.nMob + m]!))
        return `vintage numerator differs at ${c},${m}`;
    }
  }
  return j === rows.length ? null : `vintage: ${rows.length} rows vs ${j}`;
}

// --- RFM (cn8 segments, 365-day window ending on the last transaction day) --------------------

export interface RfmOut {
  scored: number;
  /** customers per cn8 bits (R高 << 2 | F高 << 1 | M高). */
  byBits: Float64Array;
  monetaryByBits: Float64Array;
}

function quantile(s: Float64Array, p: number): number {
  const n = s.length;
  if (n === 0) return NaN;
  if (n === 1) return s[0]!;
  const i = (n - 1) * p;
  const lo = Math.floor(i);
  return s[lo]! + (s[lo + 1]! - s[lo]!) * (i - lo);
}

export function rfmKernel(tx: Dataset, windowDays = 365): RfmOut {
  const ent = cat(tx, 'customer_id');
  const codes = ent.codes;
  const day = date(tx, 'txn_time').day;
  const amt = num(tx, 'amount');
  const n = tx.n;
  const D = ent.dict.length;
  let T = -2147483648;
  for (let i = 0; i < n; i++) if (codes[i]! >= 0 && day[i]! !== NULL_INDEX && day[i]! > T) T = day[i]!;
  const from = T - windowDays + 1;
  const last = new Int32Array(D).fill(NULL_INDEX);
  const freq = new Int32Array(D);
  const mon = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    const e = codes[i]!;
    const d = day[i]!;
    const a = amt[i]!;
    if (e < 0 || d === NULL_INDEX || a !== a || d > T || d < from) continue;
    freq[e]!++;
    mon[e]! += a;
    if (d > last[e]!) last[e] = d;
  }
  let S = 0;
  for (let e = 0; e < D; e++) if (freq[e]! > 0) S++;
  const rv = new Float64Array(S);
  const fv = new Float64Array(S);
  const mv = new Float64Array(S);
  for (let e = 0, j = 0; e < D; e++) {
    if (!freq[e]) continue;
    rv[j] = T - last[e]!;
    fv[j] = freq[e]!;
    mv[j] = mon[e]!;
    j++;
  }
  const bp = (v: Float64Array): number[] => {
    const s = Float64Array.from(v).sort();
    return [quantile(s, 0.2), quantile(s, 0.4), quantile(s, 0.6), quantile(s, 0.8)];
  };
  const bR = bp(rv);
  const bF = bp(fv);
  const bM = bp(mv);
  const score = (v: number, b: number[]): number =>
    1 + (b[0]! < v ? 1 : 0) + (b[1]! < v ? 1 : 0) + (b[2]! < v ? 1 : 0) + (b[3]! < v ? 1 : 0);
  const Rs = new Int8Array(S);
  const Fs = new Int8Array(S);
  const Ms = new Int8Array(S);
  let sR = 0;
  let sF = 0;
  let sM = 0;
  for (let j = 0; j < S; j++) {
    sR += Rs[j] = 6 - score(rv[j]!, bR);
    sF += Fs[j] = score(fv[j]!, bF);
    sM += Ms[j] = score(mv[j]!, bM);
  }
  const tR = sR / S;
  const tF = sF / S;
  const tM = sM / S;
  const byBits = new Float64Array(8);
  const monetaryByBits = new Float64Array(8);
  for (let j = 0; j < S; j++) {
    const bits = ((Rs[j]! > tR ? 1 : 0) << 2) | ((Fs[j]! > tF ? 1 : 0) << 1) | (Ms[j]! > tM ? 1 : 0);
    byBits[bits]!++;
    monetaryByBits[bits]! += mv[j]!;
  }
  return { scored: S, byBits, monetaryByBits };
}

const CN8_BITS: Record<string, number> = {
  general_winback: 0,
  important_winback: 1,
  general_retain: 2,
  important_retain: 3,
  general_develop: 4,
  important_develop: 5,
  general_value: 6,
  important_value: 7,
};

export function checkRfm(k: RfmOut, r: MetricResult): string | null {
  const rows = r.data as Array<{ segment: string; customers: number; monetary: number }>;
  if ((r.meta as { scored?: number } | undefined)?.scored !== k.scored) return 'rfm: scored customers differ';
  for (const row of rows) {
    const b = CN8_BITS[row.segment];
    if (b === undefined) return `rfm: unknown segment ${row.segment}`;
    if (row.customers !== k.byBits[b] || row.monetary !== r10(k.monetaryByBits[b]!))
      return `rfm differs at ${row.segment}`;
  }
  return null;
}
