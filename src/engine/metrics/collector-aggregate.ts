/**
 * The aggregation kernel of `collector_performance` (collector-performance.ts): the row-indexed
 * inputs of one run, the scratch the cells of a grouped run share, grouping by case and by
 * entity, and the per-entity sums.
 */
import { scratchFloat64, scratchInt32, scratchInt8, scratchUint8 } from '../scratch.js';
import { rowAt } from './loan-months.js';
import type { Panel } from './loan-months.js';
import type { EntityAgg } from './collector-result.js';
import { newEntityAgg } from './collector-result.js';

export type { EntityAgg };

export interface Inputs {
  n: number;
  rows: Int32Array | null;
  count: number;
  caseOf: Int32Array;
  nCases: number;
  loanOfRow: Int32Array; // loan_months loan code per row, −1 unknown
  time: Float64Array;
  month: Int32Array;
  valid: Uint8Array; // row usable (time present, case present)
  isAction: Uint8Array;
  isPhone: Uint8Array;
  contacted: Uint8Array;
  ptp: Uint8Array;
  kept: Int8Array; // per row: 1 kept, 0 not kept, 2 pending, −1 not a PTP / not evaluable
  paid: Float64Array;
  cost: Float64Array;
  lmOut: Float64Array | null;
  panel: Panel | null;
  /** Set when `panel` is the base rows' panel shared by the cells of a grouped run. */
  panelCheck: PanelCheck | null;
  cases: CaseScratch;
}

/**
 * A shared panel's look-ups must land in the running cell: `cellOf` is the cell of each
 * loan_months row, `g` the running cell; `mismatch` is set when a found row lies in another cell.
 */
export interface PanelCheck {
  cellOf: Int32Array;
  g: number;
  mismatch: boolean;
}

/**
 * The row-indexed arrays of a run (length n, at their initial values). A run writes and reads
 * them only at its selected rows, so the cells of a grouped run — disjoint selections — share one
 * set instead of allocating (and zeroing) n-sized arrays per cell.
 */
export interface RowScratch {
  caseOf: Int32Array;
  loanOfRow: Int32Array;
  valid: Uint8Array;
  isAction: Uint8Array;
  isPhone: Uint8Array;
  contacted: Uint8Array;
  ptp: Uint8Array;
  kept: Int8Array;
  paid: Float64Array;
  cost: Float64Array;
  /** Case-indexed scratch, made on first use (its size is known once the columns are resolved). */
  cases?: CaseScratch;
}

/**
 * Case-indexed arrays (length nCases), shared alike: `caseCount` is back to 0 after each use, and
 * the entity stamps of each aggregation start above every earlier one (`base`), so a cell never
 * sees another cell's marks. Per cell the work is then its own cases, not every case of the data.
 */
export interface CaseScratch {
  caseCount: Int32Array;
  touched: Int32Array;
  stamp: Int32Array;
  actStamp: Int32Array;
  firstRow: Int32Array;
  caseList: Int32Array;
  base: number;
}

export function caseScratch(nCases: number): CaseScratch {
  return {
    caseCount: new Int32Array(nCases),
    touched: new Int32Array(nCases),
    stamp: new Int32Array(nCases).fill(-1),
    actStamp: new Int32Array(nCases).fill(-1),
    firstRow: new Int32Array(nCases),
    caseList: new Int32Array(nCases),
    base: 0,
  };
}

export function rowScratch(n: number): RowScratch {
  // One run at a time uses them (a grouped run shares one set between its cells): reused buffers
  // (scratch.ts), at their initial values.
  return {
    caseOf: scratchInt32('collector.caseOf', n, -1),
    loanOfRow: scratchInt32('collector.loanOfRow', n, -1),
    valid: scratchUint8('collector.valid', n, 0),
    isAction: scratchUint8('collector.isAction', n, 0),
    isPhone: scratchUint8('collector.isPhone', n, 0),
    contacted: scratchUint8('collector.contacted', n, 0),
    ptp: scratchUint8('collector.ptp', n, 0),
    kept: scratchInt8('collector.kept', n, -1),
    paid: scratchFloat64('collector.paid', n, 0),
    cost: scratchFloat64('collector.cost', n, 0),
  };
}

/** Counting sort of the valid selected rows by a code (0..k−1); `start` has k + 1 offsets. */
export function groupRows(
  inp: Inputs,
  codes: Int32Array,
  k: number,
  nullCode = -1,
): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(k + 1);
  const { rows, count } = inp;
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    if (!inp.valid[i]) continue;
    let c = codes[i]!;
    if (c < 0) c = nullCode;
    if (c >= 0) start[c + 1]!++;
  }
  for (let c = 0; c < k; c++) start[c + 1]! += start[c]!;
  const pos = start.slice(0, k);
  const order = new Int32Array(start[k]!);
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    if (!inp.valid[i]) continue;
    let c = codes[i]!;
    if (c < 0) c = nullCode;
    if (c >= 0) order[pos[c]!++] = i;
  }
  return { order, start };
}

/**
 * The valid selected rows grouped by case, in the cases' order of first appearance (rows ascending
 * within a case): `order[start[x]..start[x + 1])` are the rows of the x-th case met. Costs the
 * selection's rows and cases, not the dictionary's size.
 */
export function groupByCase(inp: Inputs): { order: Int32Array; start: Int32Array; nList: number } {
  const { rows, count, caseOf } = inp;
  const { caseCount, touched } = inp.cases;
  let nList = 0;
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    if (!inp.valid[i]) continue;
    const c = caseOf[i]!;
    if (caseCount[c]!++ === 0) touched[nList++] = c;
  }
  const start = new Int32Array(nList + 1);
  for (let x = 0; x < nList; x++) {
    const c = touched[x]!;
    start[x + 1] = start[x]! + caseCount[c]!;
    caseCount[c] = start[x]!; // from here: the case's next write position
  }
  const order = new Int32Array(start[nList]!);
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    if (!inp.valid[i]) continue;
    order[caseCount[caseOf[i]!]!++] = i;
  }
  for (let x = 0; x < nList; x++) caseCount[touched[x]!] = 0;
  return { order, start, nList };
}

/** Sort `order[s0..s1)` by (time, row index): insertion sort for short runs (usually near-sorted). */
export function sortByTime(order: Int32Array, s0: number, s1: number, time: Float64Array): void {
  if (s1 - s0 > 64) {
    order.subarray(s0, s1).sort((a, b) => time[a]! - time[b]! || a - b);
    return;
  }
  for (let s = s0 + 1; s < s1; s++) {
    const v = order[s]!;
    const tv = time[v]!;
    let j = s - 1;
    while (j >= s0) {
      const u = order[j]!;
      const tu = time[u]!;
      if (tu < tv || (tu === tv && u < v)) break;
      order[j + 1] = u;
      j--;
    }
    order[j + 1] = v;
  }
}


/** Aggregate per entity (collector or team code; −1 → a null entity placed last). */
export function aggregate(
  inp: Inputs,
  codes: Int32Array,
  k: number,
  teamCodes: Int32Array | null,
  teamDict: string[],
): { entities: EntityAgg[]; missingOutstanding: number } {
  const { order, start } = groupRows(inp, codes, k + 1, k);
  const { stamp, actStamp, firstRow, caseList } = inp.cases;
  // entity e's mark is base + e: above every mark of an earlier aggregation on this scratch
  const base = inp.cases.base;
  inp.cases.base += k + 1;
  const teamCount = new Int32Array(teamDict.length);
  const entities: EntityAgg[] = [];
  let missingOutstanding = 0;
  for (let e = 0; e <= k; e++) {
    const s0 = start[e]!;
    const s1 = start[e + 1]!;
    if (s1 === s0) continue;
    const a = newEntityAgg(e === k ? -1 : e);
    let nList = 0;
    for (let s = s0; s < s1; s++) {
      const i = order[s]!;
      const cs = inp.caseOf[i]!;
      if (stamp[cs] !== base + e) {
        stamp[cs] = base + e;
        firstRow[cs] = i;
        caseList[nList++] = cs;
      } else {
        const f = firstRow[cs]!;
        const ti = inp.time[i]!;
        const tf = inp.time[f]!;
        if (ti < tf || (ti === tf && i < f)) firstRow[cs] = i;
      }
      if (teamCodes) {
        const tc = teamCodes[i]!;
        if (tc >= 0) teamCount[tc]!++;
      }
      a.recovered += inp.paid[i]!;
      a.cost += inp.cost[i]!;
      if (!inp.isAction[i]) continue;
      a.actions++;
      if (actStamp[cs] !== base + e) {
        actStamp[cs] = base + e;
        a.casesWithAction++;
      }
      if (inp.isPhone[i]) {
        a.phoneActions++;
        if (inp.contacted[i]) a.connected++;
      }
      if (inp.contacted[i]) a.contacted++;
      if (inp.ptp[i]) {
        a.ptps++;
        const kp = inp.kept[i]!;
        if (kp === 1) a.ptpKept++;
        else if (kp === 0) a.ptpNotKept++;
        else if (kp === 2) a.ptpPending++;
      }
    }
    a.cases = nList;
    if (inp.panel && inp.lmOut) {
      for (let x = 0; x < nList; x++) {
        const f = firstRow[caseList[x]!]!;
        const r = rowAt(inp.panel, inp.loanOfRow[f]!, inp.month[f]!);
        if (r >= 0 && inp.panelCheck && inp.panelCheck.cellOf[r] !== inp.panelCheck.g) inp.panelCheck.mismatch = true;
        const o = r < 0 ? NaN : inp.lmOut[r]!;
        if (o === o) a.assigned += o;
        else missingOutstanding++;
      }
    }
    if (teamCodes) {
      let best = -1;
      for (let s = s0; s < s1; s++) {
        const tc = teamCodes[order[s]!]!;
        if (tc < 0) continue;
        if (
          best < 0 ||
          teamCount[tc]! > teamCount[best]! ||
          (teamCount[tc] === teamCount[best] && teamDict[tc]! < teamDict[best]!)
        )
          best = tc;
      }
      a.teamCode = best;
      for (let s = s0; s < s1; s++) {
        const tc = teamCodes[order[s]!]!;
        if (tc >= 0) teamCount[tc] = 0;
      }
    }
    entities.push(a);
  }
  return { entities, missingOutstanding };
}
