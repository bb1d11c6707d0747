/**
 * The UCI "default of credit card clients" data set (Yeh & Lien 2009; Taiwan, April–September
 * 2005; 30,000 card holders) mapped onto the canonical `loans` and `loan_months` datasets, so the
 * collection metrics (bucket trend, overdue rate, flow rate, roll rate) run on real data.
 *
 * Source columns (UCI header `ID, X1..X23, Y`; the Kaggle names are accepted too):
 * - X1 `LIMIT_BAL` credit limit (NT$) → `loans.principal`
 * - X6..X11 `PAY_0, PAY_2..PAY_6` repayment status, X6 = September 2005 (most recent) … X11 = April:
 *   −2 no consumption, −1 paid in full, 0 revolving credit, 1..8 months of delay, 9 = 9 or more
 * - X12..X17 `BILL_AMT1..6` bill amount, X12 = September … X17 = April
 * - X18..X23 `PAY_AMT1..6` amount paid, X18 = September … X23 = April
 * - Y `default.payment.next.month` 1 = default in October 2005
 *
 * Mapping, one `loan_months` row per client per month (April … September 2005):
 * - `loan_id` = ID (a string), `snapshot_date` = the month end (2005-04-30 … 2005-09-30)
 * - `dpd`: a status s ≥ 1 means s months late, i.e. bucket M_s. With the default bucket edges
 *   (M1 = 1–30, M2 = 31–60, …) `dpd = 30·s − 15` lands in the middle of M_s (15, 45, 75, …; 8 and
 *   9+ land in M7+). Status −2 / −1 / 0 → dpd 0 (current). A missing status → dpd null.
 * - `outstanding` = max(bill amount, 0) (a negative bill is a credit balance: nothing owed)
 * - `due_amount` = the previous month's bill clipped at 0 (null for April: no earlier bill)
 * - `paid_amount` = the month's payment; `status` = `active` (the data has no closure events)
 * - `loans`: loan_id = customer_id = ID, product `credit_card`, issue_date 2005-04-01 (the data
 *   starts there; the true opening dates are unknown), principal = LIMIT_BAL.
 *
 * Known quirk (COLUMNS.md): status 1 almost never occurs after September, so month-to-month
 * transitions jump M0 → M2 and the M0→M1 flow is near zero; that is the data, not the mapping.
 *
 * Pure: text in, columnar arrays out; no DOM, no I/O.
 */

/** Snapshot months, oldest first, with their month-end dates. */
export const TAIWAN_MONTHS: ReadonlyArray<{ month: string; end: string }> = [
  { month: '2005-04', end: '2005-04-30' },
  { month: '2005-05', end: '2005-05-31' },
  { month: '2005-06', end: '2005-06-30' },
  { month: '2005-07', end: '2005-07-31' },
  { month: '2005-08', end: '2005-08-31' },
  { month: '2005-09', end: '2005-09-30' },
];

/** Columnar `loans`. */
export type TaiwanLoans = {
  loan_id: string[];
  customer_id: string[];
  product: string[];
  issue_date: string[];
  principal: Array<number | null>;
};

/** Columnar `loan_months`. */
export type TaiwanLoanMonths = {
  loan_id: string[];
  snapshot_date: string[];
  outstanding: Array<number | null>;
  dpd: Array<number | null>;
  due_amount: Array<number | null>;
  paid_amount: Array<number | null>;
  status: string[];
};

export interface TaiwanData {
  loans: TaiwanLoans;
  loan_months: TaiwanLoanMonths;
  /** Per client (same order as `loans`): Y, 1 = default in October 2005, null when missing. */
  defaultNextMonth: Array<number | null>;
  /** Clients read, and lines skipped (blank, or without an ID). */
  clients: number;
  skipped: number;
}

/** dpd for a repayment status: s ≥ 1 → 30·s − 15 (inside bucket M_s); −2, −1, 0 → 0; missing → null. */
export function dpdOfStatus(s: number | null): number | null {
  if (s === null || !Number.isFinite(s)) return null;
  return s >= 1 ? 30 * Math.floor(s) - 15 : 0;
}

// Column names per month index j (0 = September … 5 = April), UCI first, then Kaggle.
const STATUS = [
  ['X6', 'PAY_0'],
  ['X7', 'PAY_2'],
  ['X8', 'PAY_3'],
  ['X9', 'PAY_4'],
  ['X10', 'PAY_5'],
  ['X11', 'PAY_6'],
];
const BILL = [1, 2, 3, 4, 5, 6].map((i) => [`X${11 + i}`, `BILL_AMT${i}`]);
const PAY = [1, 2, 3, 4, 5, 6].map((i) => [`X${17 + i}`, `PAY_AMT${i}`]);

function splitLine(line: string, delim: string): string[] {
  if (!line.includes('"')) return line.split(delim);
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === delim) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const toNum = (s: string | undefined): number | null => {
  if (s === undefined) return null;
  const t = s.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
};

/**
 * Parse `UCI_Credit_Card.csv` text (UCI or Kaggle header) into canonical columnar `loans` and
 * `loan_months`. Throws when a required column is missing.
 */
export function parseTaiwanCsv(text: string): TaiwanData {
  const lines = text.split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h]!.trim() === '') h++;
  const headLine = (lines[h] ?? '').replace(/^\uFEFF/, '');
  const delim = headLine.includes(';') && !headLine.includes(',') ? ';' : ',';
  const header = splitLine(headLine, delim).map((s) => s.trim());
  const col = (names: string[]): number => {
    for (const n of names) {
      const i = header.indexOf(n);
      if (i >= 0) return i;
    }
    throw new Error(`Taiwan credit-card CSV: missing column ${names.join(' / ')}`);
  };
  const iId = col(['ID']);
  const iLimit = col(['X1', 'LIMIT_BAL']);
  const iY = col(['Y', 'default.payment.next.month', 'default payment next month']);
  const iStatus = STATUS.map(col);
  const iBill = BILL.map(col);
  const iPay = PAY.map(col);

  const loans: TaiwanLoans = { loan_id: [], customer_id: [], product: [], issue_date: [], principal: [] };
  const lm: TaiwanLoanMonths = {
    loan_id: [],
    snapshot_date: [],
    outstanding: [],
    dpd: [],
    due_amount: [],
    paid_amount: [],
    status: [],
  };
  const defaultNextMonth: Array<number | null> = [];
  let skipped = 0;
  for (let li = h + 1; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    const f = splitLine(line, delim);
    const id = (f[iId] ?? '').trim();
    if (!id) {
      skipped++;
      continue;
    }
    loans.loan_id.push(id);
    loans.customer_id.push(id);
    loans.product.push('credit_card');
    loans.issue_date.push('2005-04-01');
    loans.principal.push(toNum(f[iLimit]));
    defaultNextMonth.push(toNum(f[iY]));
    // Chronological: April (j = 5) … September (j = 0).
    for (let mIdx = 0; mIdx < TAIWAN_MONTHS.length; mIdx++) {
      const j = TAIWAN_MONTHS.length - 1 - mIdx;
      const bill = toNum(f[iBill[j]!]);
      const prevBill = j + 1 < TAIWAN_MONTHS.length ? toNum(f[iBill[j + 1]!]) : null;
      lm.loan_id.push(id);
      lm.snapshot_date.push(TAIWAN_MONTHS[mIdx]!.end);
      lm.outstanding.push(bill === null ? null : Math.max(bill, 0));
      lm.dpd.push(dpdOfStatus(toNum(f[iStatus[j]!])));
      lm.due_amount.push(prevBill === null ? null : Math.max(prevBill, 0));
      lm.paid_amount.push(toNum(f[iPay[j]!]));
      lm.status.push('active');
    }
  }
  return { loans, loan_months: lm, defaultNextMonth, clients: loans.loan_id.length, skipped };
}
