/**
 * Shared plumbing of the collection (催收) metrics: typed access to a `loan_months`-shaped dataset,
 * parameter readers, adjacent-month look-ups (a one-pass path for data sorted by loan and month,
 * else a dense per-loan month grid), and group codes for `by` dimensions. Nothing here allocates
 * per row; every helper works on the typed arrays of the Dataset and the filtered row indexes of
 * the context. Month ranges and sortedness are cached per row selection (WeakMap), because several
 * widgets query the same load.
 */
import type { Column, Dataset } from '../../data/dataset.js';
import { NULL_INDEX, dayLabel, monthLabel, parseMonth } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import { FinError } from '../errors.js';
import type { LocalText } from '../types.js';
import { t } from '../metric.js';

/** Status kinds (index into the status dictionary through `statusKind`). */
export const ACTIVE = 0;
export const CLOSED = 1;
export const WRITTEN_OFF = 2;

/** Typed views of a loan × month-end dataset and its selected rows. */
export interface LoanMonths {
  ds: Dataset;
  /** Rows in the dataset. */
  n: number;
  /** Selected row indexes (filters applied), or null for all rows. */
  rows: Int32Array | null;
  /** Number of selected rows. */
  count: number;
  /** loan_id codes (−1 missing) and dictionary size. */
  loan: Int32Array;
  nLoans: number;
  loanDict: string[];
  /** snapshot_date month index (`NULL_INDEX` missing) and day index. */
  month: Int32Array;
  day: Int32Array;
  /** dpd (NaN missing). */
  dpd: Float64Array;
  /** outstanding (NaN missing). */
  outstanding: Float64Array;
  /**
   * status codes (−1 missing: all −1 when there is no status column) and, per code, ACTIVE /
   * CLOSED / WRITTEN_OFF. Hot loops read them inline: `s = statusCodes[i]; st = s < 0 ? ACTIVE : statusKind[s]`.
   */
  statusCodes: Int32Array;
  statusKind: Int8Array;
  /** Smallest / largest snapshot month index among selected rows; `NULL_INDEX` when there is none. */
  minMonth: number;
  maxMonth: number;
  /** Largest snapshot day among selected rows (for `asOf`), or NULL_INDEX. */
  maxDay: number;
}

function needKind<K extends Column['kind']>(
  ctx: MetricContext,
  name: string,
  field: string,
  kind: K,
): Extract<Column, { kind: K }> {
  const c = ctx.col(name, field);
  if (c.kind !== kind) {
    throw new FinError('bad_input', `Column "${field}" of "${name}" must be of type ${kind}, not ${c.kind}`, {
      dataset: name,
      column: field,
      expected: kind,
      actual: c.kind,
    });
  }
  return c as Extract<Column, { kind: K }>;
}

/** A numeric column, or a `missing_column` / `bad_input` error. */
export function numCol(ctx: MetricContext, name: string, field: string): Float64Array {
  return needKind(ctx, name, field, 'num').data;
}

/** A numeric column when present, else null. */
export function optNumCol(ctx: MetricContext, name: string, field: string): Float64Array | null {
  const c = ctx.tryCol(name, field);
  return c && c.kind === 'num' ? c.data : null;
}

/** A category column (codes + dict). */
export function catCol(
  ctx: MetricContext,
  name: string,
  field: string,
): { codes: Int32Array; dict: string[] } {
  const c = needKind(ctx, name, field, 'cat');
  return { codes: c.codes, dict: c.dict };
}

/** A date column. */
export function dateCol(ctx: MetricContext, name: string, field: string): Extract<Column, { kind: 'date' }> {
  return needKind(ctx, name, field, 'date');
}

/** Per status code: ACTIVE (also unknown values), CLOSED or WRITTEN_OFF. */
export function statusKinds(dict: string[]): Int8Array {
  const k = new Int8Array(dict.length);
  for (let c = 0; c < dict.length; c++) {
    const s = dict[c]!.trim().toLowerCase();
    k[c] =
      s === 'closed'
        ? CLOSED
        : s === 'written_off' || s === 'written-off' || s === 'writtenoff'
          ? WRITTEN_OFF
          : ACTIVE;
  }
  return k;
}

/** Status kind of row `i`. */
export function statusAt(lm: LoanMonths, i: number): number {
  const c = lm.statusCodes[i]!;
  return c < 0 ? ACTIVE : lm.statusKind[c]!;
}

/** All −1 codes for datasets without a status column, cached per dataset. */
const NO_STATUS = new WeakMap<Dataset, Int32Array>();
function noStatus(ds: Dataset): Int32Array {
  let a = NO_STATUS.get(ds);
  if (!a || a.length !== ds.n) {
    a = new Int32Array(ds.n).fill(-1);
    NO_STATUS.set(ds, a);
  }
  return a;
}

/** Open a loan × month dataset: columns, selected rows and the month range of the selection. */
export function openLoanMonths(ctx: MetricContext, source: string): LoanMonths {
  const ds = ctx.dataset(source);
  const loanC = catCol(ctx, source, 'loan_id');
  const snap = dateCol(ctx, source, 'snapshot_date');
  const dpd = numCol(ctx, source, 'dpd');
  const outstanding = numCol(ctx, source, 'outstanding');
  const st = ctx.tryCol(source, 'status');
  const statusCodes = st && st.kind === 'cat' ? st.codes : noStatus(ds);
  const statusKind = st && st.kind === 'cat' ? statusKinds(st.dict) : new Int8Array(0);
  const rows = ctx.rows(source);
  const n = ds.n;
  const count = rows ? rows.length : n;
  const month = snap.month;
  const day = snap.day;
  const { minMonth, maxMonth, maxDay } = monthRange(rows, count, month, day);
  return {
    ds,
    n,
    rows,
    count,
    loan: loanC.codes,
    nLoans: loanC.dict.length,
    loanDict: loanC.dict,
    month,
    day,
    dpd,
    outstanding,
    statusCodes,
    statusKind,
    minMonth,
    maxMonth,
    maxDay,
  };
}

type Range = { minMonth: number; maxMonth: number; maxDay: number };
/** month column → (row selection, or the day column when unfiltered) → range. */
const RANGES = new WeakMap<Int32Array, WeakMap<object, Range>>();

/**
 * Month range and latest day of the selected rows (`NULL_INDEX` when none). Cached per row
 * selection (per column when unfiltered): several widgets query the same load.
 */
export function monthRange(
  rows: Int32Array | null,
  count: number,
  month: Int32Array,
  day: Int32Array,
): Range {
  let perCol = RANGES.get(month);
  if (!perCol) {
    perCol = new WeakMap();
    RANGES.set(month, perCol);
  }
  const key: object = rows ?? day;
  const hit = perCol.get(key);
  if (hit) return hit;
  let minMonth = 2147483647;
  let maxMonth = NULL_INDEX;
  let maxDay = NULL_INDEX;
  for (let k = 0; k < count; k++) {
    const i = rows ? rows[k]! : k;
    const m = month[i]!;
    if (m === NULL_INDEX) continue;
    if (m < minMonth) minMonth = m;
    if (m > maxMonth) maxMonth = m;
    const d = day[i]!;
    if (d > maxDay) maxDay = d;
  }
  if (maxMonth === NULL_INDEX) minMonth = NULL_INDEX;
  const r = { minMonth, maxMonth, maxDay };
  perCol.set(key, r);
  return r;
}

/** `asOf` of a loan-months result: the latest snapshot date of the selection, or null. */
export function asOfLabel(maxDay: number): string | null {
  return maxDay === NULL_INDEX ? null : dayLabel(maxDay);
}

// ---------------------------------------------------------------------------------------------
// Per-loan month grid

/**
 * Dense per-loan month grid: `grid[off[c] + m − lo[c]]` is the row of loan code `c` at month `m`
 * (or −1). Its size is the sum of each loan's observed month span, i.e. about the number of rows
 * when loans have no gaps. Built in two passes, no sort, no Map.
 */
export interface Panel {
  lo: Int32Array;
  hi: Int32Array;
  off: Int32Array;
  grid: Int32Array;
  /** Rows that repeated a (loan, month) already present; the lowest row index is kept. */
  duplicates: number;
}

/** Build the grid over the selected rows with a valid loan code and month. */
export function buildPanel(
  loan: Int32Array,
  month: Int32Array,
  nLoans: number,
  rows: Int32Array | null,
  n: number,
): Panel {
  const count = rows ? rows.length : n;
  const lo = new Int32Array(nLoans).fill(2147483647);
  const hi = new Int32Array(nLoans).fill(-2147483647);
  for (let k = 0; k < count; k++) {
    const i = rows ? rows[k]! : k;
    const c = loan[i]!;
    const m = month[i]!;
    if (c < 0 || m === NULL_INDEX) continue;
    if (m < lo[c]!) lo[c] = m;
    if (m > hi[c]!) hi[c] = m;
  }
  const off = new Int32Array(nLoans);
  let total = 0;
  for (let c = 0; c < nLoans; c++) {
    off[c] = total;
    if (hi[c]! >= lo[c]!) total += hi[c]! - lo[c]! + 1;
  }
  const grid = new Int32Array(total).fill(-1);
  let duplicates = 0;
  for (let k = 0; k < count; k++) {
    const i = rows ? rows[k]! : k;
    const c = loan[i]!;
    const m = month[i]!;
    if (c < 0 || m === NULL_INDEX) continue;
    const p = off[c]! + m - lo[c]!;
    const prev = grid[p]!;
    if (prev < 0) grid[p] = i;
    else {
      duplicates++;
      if (i < prev) grid[p] = i;
    }
  }
  return { lo, hi, off, grid, duplicates };
}

/** Row of loan `c` at month `m` in the grid, or −1. */
export function rowAt(p: Panel, c: number, m: number): number {
  if (c < 0) return -1;
  const lo = p.lo[c]!;
  if (m < lo || m > p.hi[c]!) return -1;
  return p.grid[p.off[c]! + m - lo]!;
}

/** loan column → (row selection, or the month column when unfiltered) → sorted. */
const SORTED = new WeakMap<Int32Array, WeakMap<object, boolean>>();

/**
 * Whether the selected rows are strictly sorted by (loan code, month) with no missing loan_id or
 * snapshot — the usual layout of loan-months data. Then a loan's adjacent month is the adjacent
 * selected row, and loan-level metrics need no grid. Cached per row selection (per dataset when
 * unfiltered).
 */
export function sortedByLoanMonth(lm: LoanMonths): boolean {
  let perCol = SORTED.get(lm.loan);
  if (!perCol) {
    perCol = new WeakMap();
    SORTED.set(lm.loan, perCol);
  }
  const key: object = lm.rows ?? lm.month;
  const hit = perCol.get(key);
  if (hit !== undefined) return hit;
  const { rows, count, loan, month } = lm;
  let pc = -1;
  let pm = 0;
  let ok = true;
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    const c = loan[i]!;
    const m = month[i]!;
    if (c < 0 || m === NULL_INDEX || c < pc || (c === pc && m <= pm)) {
      ok = false;
      break;
    }
    pc = c;
    pm = m;
  }
  perCol.set(key, ok);
  return ok;
}

/**
 * For every selected row, the row of the same loan at the adjacent calendar month (`dir` −1:
 * previous, +1: next), or −1; indexed by row index (length n, unselected rows −1; −2 marks a duplicate (loan, month) row, to be skipped: the lowest
 * row index of a (loan, month) is kept). One pass when
 * the selection is sorted by (loan, month) — the usual layout — otherwise through the month grid.
 * Adjacent rows are always selected rows (filters apply to both ends).
 */
export function adjacentRows(lm: LoanMonths, dir: -1 | 1): { adj: Int32Array; duplicates: number } {
  const { rows, count, loan, month, n } = lm;
  const adj = new Int32Array(n).fill(-1);
  let pc = -1;
  let pm = 0;
  let pi = -1;
  let sorted = true;
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    const c = loan[i]!;
    const m = month[i]!;
    if (c < 0 || m === NULL_INDEX) continue;
    if (c < pc || (c === pc && m <= pm)) {
      sorted = false;
      break;
    }
    if (c === pc && m === pm + 1) {
      if (dir < 0) adj[i] = pi;
      else adj[pi] = i;
    }
    pc = c;
    pm = m;
    pi = i;
  }
  if (sorted) return { adj, duplicates: 0 };
  const panel = buildPanel(loan, month, lm.nLoans, rows, n);
  for (let q = 0; q < count; q++) {
    const i = rows ? rows[q]! : q;
    const c = loan[i]!;
    const m = month[i]!;
    if (c < 0 || m === NULL_INDEX) continue;
    // a duplicate (loan, month) row is not in the grid: −2 tells metrics to skip it
    adj[i] = panel.grid[panel.off[c]! + m - panel.lo[c]!] === i ? rowAt(panel, c, m + dir) : -2;
  }
  return { adj, duplicates: panel.duplicates };
}

/** from dictionary → to dictionary → translation (dictionaries are fixed once a dataset is loaded). */
const TRANSLATIONS = new WeakMap<string[], WeakMap<string[], Int32Array>>();

/**
 * Map the codes of one loan_id dictionary onto another (by string): −1 where absent. Cached per
 * pair of dictionaries: a dictionary never changes after its dataset is loaded, and the string
 * look-ups (one per loan) would otherwise be repeated by every query.
 */
export function translateCodes(from: string[], to: string[]): Int32Array {
  let byTo = TRANSLATIONS.get(from);
  if (!byTo) {
    byTo = new WeakMap();
    TRANSLATIONS.set(from, byTo);
  }
  const hit = byTo.get(to);
  if (hit && hit.length === from.length) return hit;
  const idx = new Map<string, number>();
  for (let c = 0; c < to.length; c++) if (!idx.has(to[c]!)) idx.set(to[c]!, c);
  const out = new Int32Array(from.length);
  for (let c = 0; c < from.length; c++) out[c] = idx.get(from[c]!) ?? -1;
  byTo.set(to, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Group codes for `by`

/** Group index per row (0..count−1, the last group being the missing value when `hasNull`). */
export interface Groups {
  /** Raw codes per row, −1 missing (mapped to `nullGroup`). */
  codes: Int32Array;
  /** Number of groups including the null group. */
  count: number;
  nullGroup: number;
  labels: Array<string | null>;
}

/** Group codes of `field` on `name`: a category or boolean column (joined attributes included). */
export function groupsOf(ctx: MetricContext, name: string, field: string): Groups {
  const col = ctx.col(name, field);
  if (col.kind === 'cat') {
    return {
      codes: col.codes,
      count: col.dict.length + 1,
      nullGroup: col.dict.length,
      labels: [...col.dict, null],
    };
  }
  if (col.kind === 'bool') {
    const codes = new Int32Array(col.data.length);
    for (let i = 0; i < codes.length; i++) codes[i] = col.data[i]!;
    return { codes, count: 3, nullGroup: 2, labels: ['false', 'true', null] };
  }
  throw new FinError('bad_params', `"by" must name a category or boolean field; "${field}" is ${col.kind}`, {
    param: 'by',
    value: field,
  });
}

/** Group indexes in output order: by label (code-point order), the null group last. */
export function groupOrder(g: Groups | null): number[] {
  if (!g) return [0];
  const idx: number[] = [];
  for (let k = 0; k < g.count; k++) idx.push(k);
  const lab = g.labels;
  return idx.sort((a, b) => {
    const x = lab[a];
    const y = lab[b];
    if (x === y) return a - b;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return x < y ? -1 : 1;
  });
}

/** Group index of row `i` (missing → null group). */
export function groupAt(g: Groups, i: number): number {
  const c = g.codes[i]!;
  return c < 0 ? g.nullGroup : c;
}

// ---------------------------------------------------------------------------------------------
// Parameters

type Params = Record<string, unknown> | undefined | null;

function bad(key: string, value: unknown, expected: string): FinError {
  return new FinError('bad_params', `Parameter "${key}" must be ${expected}`, {
    param: key,
    value: value === undefined ? null : value,
    expected,
  });
}

/** Numeric parameter with a default and bounds. */
export function pNum(
  params: Params,
  key: string,
  def: number,
  opts: { min?: number; max?: number; int?: boolean } = {},
): number {
  const v = params?.[key];
  if (v === undefined || v === null) return def;
  const x = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof x !== 'number' || !Number.isFinite(x)) throw bad(key, v, 'a finite number');
  if (opts.int && !Number.isInteger(x)) throw bad(key, v, 'an integer');
  if (opts.min !== undefined && x < opts.min) throw bad(key, v, `≥ ${opts.min}`);
  if (opts.max !== undefined && x > opts.max) throw bad(key, v, `≤ ${opts.max}`);
  return x;
}

/** Enumerated string parameter with a default. */
export function pEnum<T extends string>(params: Params, key: string, values: readonly T[], def: T): T {
  const v = params?.[key];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
    throw bad(key, v, `one of ${values.join(', ')}`);
  return v as T;
}

/** Boolean parameter with a default. */
export function pBool(params: Params, key: string, def: boolean): boolean {
  const v = params?.[key];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'boolean') throw bad(key, v, 'a boolean');
  return v;
}

/** Optional string parameter. */
export function pStr(params: Params, key: string): string | null {
  const v = params?.[key];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw bad(key, v, 'a string');
  return v;
}

/** Optional month parameter `YYYY-MM` (or `latest` / absent → null). */
export function pMonth(params: Params, key: string): number | null {
  const v = params?.[key];
  if (v === undefined || v === null || v === '' || v === 'latest') return null;
  if (typeof v !== 'string') throw bad(key, v, 'a month "YYYY-MM"');
  const m = parseMonth(v);
  if (Number.isNaN(m)) throw bad(key, v, 'a month "YYYY-MM"');
  return m;
}

export { dayLabel, monthLabel };

// ---------------------------------------------------------------------------------------------
// Shared basis texts

export const TXT = {
  inBook: t(
    '在册口径：status 为 closed（结清）或 written_off（核销）的行不计入该月余额与笔数；status 缺失视为 active。',
    'In-book population: rows with status closed or written_off are left out of that month’s balance and count; a missing status counts as active.',
  ),
  missingDpd: t(
    'dpd 缺失的行不参与计算（quality.excluded.missing_dpd）。',
    'Rows with a missing dpd are excluded (quality.excluded.missing_dpd).',
  ),
  missingOutstanding: t(
    '余额口径下 outstanding 缺失的行不参与计算（quality.excluded.missing_outstanding）。',
    'Under the amount measure, rows with a missing outstanding are excluded (quality.excluded.missing_outstanding).',
  ),
  missingKeys: t(
    'loan_id 或 snapshot_date 缺失的行不参与计算（missing_loan_id / missing_snapshot）。',
    'Rows with a missing loan_id or snapshot_date are excluded (missing_loan_id / missing_snapshot).',
  ),
  duplicates: t(
    '同一借据同一月份的重复行只保留行号最小的一行（duplicate_loan_month）。',
    'Duplicate rows of one loan and month keep only the lowest row index (duplicate_loan_month).',
  ),
  calendar: t(
    '月份为数据时区下的自然月，按自然月差计算，不按 30 天折算。',
    'Months are calendar months in the data time zone; month arithmetic is on calendar months, never 30-day blocks.',
  ),
} satisfies Record<string, LocalText>;
