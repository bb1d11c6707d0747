/**
 * `loan_months` and `collection_actions`, one simulation: the monthly bucket-transition chain of
 * each loan, and the collection cases its delinquency episodes open, worked by collectors of the
 * bucket team (the `performance`, `actions` and `collectors` streams).
 */
import type { Labels } from './sample-random.js';
import {
  cents,
  civilFromDays,
  cumWeights,
  hours,
  isoWeekday,
  pad,
  pickHourSecond,
  pickIndex,
  Rng,
} from './sample-random.js';
import type { Calendar, Resolved } from './sample-options.js';
import { ACTION_CHANNELS, collectorIds, STATUSES, TEAM_SIZES, TEAMS } from './sample-dimensions.js';
import type { Customers } from './sample-customers.js';
import type { Loans } from './sample-loans.js';
import { CHANNEL_RISK, PRODUCT_SPECS, SEG_RISK } from './sample-loans.js';

/** M0→M1 multiplier by calendar month: worse after the Spring Festival. */
const P01_SEASON = [0, 1, 1.3, 1.4, 1, 1, 1, 1, 1, 1, 1, 1, 1.1];

/** Cure probability (pay all arrears) by months delinquent at the previous month-end (index ≥ 7: M7+). */
const CURE = [0, 0.48, 0.28, 0.15, 0.09, 0.06, 0.04, 0.025];

/** Partial cure (pay one instalment: stay in the bucket). */
const STAY = [0, 0.17, 0.18, 0.15, 0.12, 0.1, 0.08, 0.05];

// Collection: channel mix by team [phone, sms, ivr, visit, legal].
const TEAM_CHANNEL_MIX = [
  [45, 33, 22, 0, 0],
  [60, 20, 12, 8, 0],
  [58, 10, 6, 18, 8],
];

const TEAM_ACTIONS = [3.5, 5, 6];

/** Share of a delinquent month's payments that follow a promise to pay, by team (M1 self-cures often). */
const PTP_PAID = [0.6, 0.7, 0.8];

/** Chance that a contact without payment ends in a (broken) promise, by team. */
const PTP_BROKEN = [0.09, 0.055, 0.028];

const CHANNEL_COST: ReadonlyArray<readonly [number, number]> = [
  [1.5, 2.5], // phone, not contacted (contacted: 3–5)
  [0.05, 0.05],
  [0.3, 0.3],
  [80, 200],
  [500, 3000],
];

const ACTION_HOURS = [
  hours({
    8: 2,
    9: 8,
    10: 11,
    11: 10,
    12: 5,
    13: 6,
    14: 10,
    15: 10,
    16: 9,
    17: 8,
    18: 7,
    19: 8,
    20: 5,
    21: 1,
  }),
  hours({ 8: 10, 9: 25, 10: 15, 11: 5, 14: 6, 15: 4, 16: 3, 17: 2, 18: 2, 19: 1 }),
  hours({ 9: 8, 10: 10, 11: 8, 12: 2, 14: 8, 15: 8, 16: 7, 17: 5, 18: 3, 19: 3 }),
  hours({ 9: 5, 10: 10, 11: 8, 12: 2, 13: 4, 14: 10, 15: 10, 16: 8, 17: 4, 18: 1 }),
  hours({ 9: 6, 10: 10, 11: 8, 14: 8, 15: 8, 16: 6, 17: 2 }),
];

/** Right-party contact probability of a phone call by hour (evenings best, lunch worst). */
// prettier-ignore
const PHONE_CONTACT = [
  0, 0, 0, 0, 0, 0, 0, 0, 0.25, 0.3, 0.34, 0.35, 0.25, 0.27, 0.33, 0.34, 0.33, 0.36, 0.42, 0.47, 0.45, 0.38, 0.3, 0.3,
];

const TEAM_CONTACT = [1.15, 1.0, 0.75];

interface Collector {
  id: string;
  team: number;
  contact: number;
  ptp: number;
  keep: number;
  cure: number;
  diligence: number;
  visit: number;
}

function genCollectors(seed: number): Collector[][] {
  const rng = new Rng(seed, 'collectors');
  const total = TEAM_SIZES.reduce((a, b) => a + b, 0);
  // General skill spread evenly (shuffled) so collectors differ visibly at any seed.
  const g = Array.from({ length: total }, (_, i) => -1.5 + (3 * i) / (total - 1));
  for (let i = total - 1; i > 0; i--) {
    const k = rng.int(i + 1);
    const t = g[i]!;
    g[i] = g[k]!;
    g[k] = t;
  }
  const teams: Collector[][] = [];
  let x = 0;
  for (let t = 0; t < TEAM_SIZES.length; t++) {
    const ids = collectorIds(t);
    teams.push(
      ids.map((cid) => {
        const gi = g[x++]!;
        return {
          id: cid,
          team: t,
          contact: Math.exp(0.12 * gi + 0.06 * rng.normal()),
          ptp: Math.exp(0.15 * gi + 0.08 * rng.normal()),
          keep: Math.exp(0.18 * gi + 0.08 * rng.normal()),
          cure: Math.exp(0.12 * gi + 0.05 * rng.normal()),
          diligence: Math.exp(0.1 * gi + 0.15 * rng.normal()),
          visit: Math.exp(0.4 * rng.normal()),
        };
      }),
    );
  }
  return teams;
}

export interface Performance {
  loanMonths: Record<string, unknown[]>;
  actions: Record<string, unknown[]>;
  /** Loan repayments per customer × transaction month (customer * txnMonths + w). */
  repaid: Float64Array;
  repayDay: Uint8Array;
}

export function genPerformance(
  r: Resolved,
  cal: Calendar,
  cu: Customers,
  lo: Loans,
  labels: Labels,
): Performance {
  const rng = new Rng(r.seed, 'performance');
  const ra = new Rng(r.seed, 'actions');
  const teams = genCollectors(r.seed);
  const months = cal.months;
  const W = r.txnMonths;
  const txnFrom = months - W;
  const repaid = new Float64Array(cu.n * W);
  const repayDay = new Uint8Array(cu.n * W);

  const lmLoan: string[] = [];
  const lmDate: string[] = [];
  const lmOut: number[] = [];
  const lmDpd: number[] = [];
  const lmDue: number[] = [];
  const lmPaid: number[] = [];
  const lmStatus: string[] = [];

  const aId: string[] = [];
  const aCase: string[] = [];
  const aLoan: string[] = [];
  const aCust: string[] = [];
  const aCollector: string[] = [];
  const aTeam: string[] = [];
  const aTime: string[] = [];
  const aChannel: string[] = [];
  const aContacted: boolean[] = [];
  const aPtp: boolean[] = [];
  const aPtpAmount: (number | null)[] = [];
  const aPtpDue: (string | null)[] = [];
  const aPaid: number[] = [];
  const aCost: number[] = [];
  let actionSeq = 0;
  let caseSeq = 0;

  const mixCum = TEAM_CHANNEL_MIX.map((w) => cumWeights(w));
  const mixNoLegal = cumWeights([66, 10, 6, 18, 0]);
  const buf = new Float64Array(64);
  const MAX_ACTIONS = 40;

  /**
   * Actions of one case in one month, in time order. `paid` is the loan-month payment (0: none)
   * made on a day in the window; when `resolved` the case ends with it (no later actions).
   */
  const caseMonth = (
    caseId: string,
    loanId: string,
    custId: string,
    col: Collector,
    prevDel: number,
    winStart: number,
    winEnd: number,
    paid: number,
    resolved: boolean,
    promise: number,
  ): void => {
    const team = col.team;
    const payDay = paid > 0 ? winStart + ra.int(winEnd - winStart + 1) : -1;
    const last = resolved && payDay >= 0 ? payDay : winEnd;
    const lambda = TEAM_ACTIONS[team]! * r.actionsScale * col.diligence;
    const nAct = Math.min(MAX_ACTIONS, 1 + ra.poisson(Math.max(0, lambda - 1)));
    const cum = team === 2 && prevDel < 4 ? mixNoLegal : mixCum[team]!;
    for (let k = 0; k < nAct; k++) {
      let ch: number;
      let day: number;
      if (k === 0) {
        // First touch on the first day of the window; a new case starts with an SMS reminder.
        day = winStart;
        ch = prevDel === 0 ? 1 : pickIndex(ra, cum);
      } else {
        day = winStart + ra.int(last - winStart + 1);
        ch = pickIndex(ra, cum);
        if (ch === 3 && ra.next() > Math.min(1, col.visit)) ch = 0;
      }
      if (ch >= 3) {
        // Visits and legal steps on weekdays only.
        const wd = isoWeekday(day);
        if (wd >= 6) {
          if (k === 0) ch = 0;
          else if (day - (wd - 5) >= winStart) day -= wd - 5;
          else if (day + (8 - wd) <= last) day += 8 - wd;
          else ch = 0;
        }
      }
      const sec = pickHourSecond(ra, ACTION_HOURS[ch]!);
      buf[k] = (day * 86400 + sec) * 8 + ch;
    }
    const acts = buf.subarray(0, nAct).sort();
    // Which action carries the payment, and whether through a kept promise.
    let payIdx = -1;
    let viaPtp = false;
    if (paid > 0) {
      const payLimit = (payDay + 1) * 86400 * 8;
      for (let k = 0; k < nAct; k++) if (acts[k]! < payLimit) payIdx = k;
      if (payIdx < 0) payIdx = 0;
      // Partial payments mostly come unprompted; a promise behind one is a broken promise.
      viaPtp = ra.next() < Math.min(0.95, PTP_PAID[team]! * col.ptp) * (promise > paid ? 0.4 : 1);
    }
    let promises = 0;
    for (let k = 0; k < nAct; k++) {
      const v = acts[k]!;
      let ch = v % 8;
      const t = (v - ch) / 8;
      const day = Math.floor(t / 86400);
      const sec = t - day * 86400;
      const hour = Math.floor(sec / 3600);
      const weekend = isoWeekday(day) >= 6;
      let pc: number;
      if (ch === 0) pc = PHONE_CONTACT[hour]! * (weekend ? 1.15 : 1) * TEAM_CONTACT[team]! * col.contact;
      else if (ch === 1) pc = 0.02;
      else if (ch === 2) pc = 0.12 * TEAM_CONTACT[team]!;
      else if (ch === 3) pc = 0.55 * TEAM_CONTACT[team]! * col.contact;
      else pc = 0.3;
      let contacted = ra.next() < pc;
      let ptp = false;
      let ptpAmount: number | null = null;
      let ptpDue: string | null = null;
      let actPaid = 0;
      if (k === payIdx) {
        actPaid = paid;
        if (viaPtp) {
          if (ch === 1 || ch === 2) ch = 0; // the promise was taken on a call
          contacted = true;
          ptp = true;
          ptpAmount = promise > paid ? promise : paid;
          ptpDue = labels.day(Math.max(payDay, day) + ra.int(3));
        }
      } else if (
        contacted &&
        ch !== 1 &&
        ra.next() < (PTP_BROKEN[team]! * (ch === 2 ? 0.5 : 1) * (promises > 0 ? 0.4 : 1) * col.ptp) / col.keep
      ) {
        // A promise that is broken (nothing paid against it).
        promises++;
        ptp = true;
        ptpAmount = promise;
        ptpDue = labels.day(day + 1 + ra.int(5));
      }
      const [cLo, cHi] = CHANNEL_COST[ch]!;
      const cost =
        ch === 0 && contacted ? cents(ra.range(3, 5)) : cLo === cHi ? cLo : cents(ra.range(cLo, cHi));
      aId.push(`A${pad(++actionSeq, 9)}`);
      aCase.push(caseId);
      aLoan.push(loanId);
      aCust.push(custId);
      aCollector.push(col.id);
      aTeam.push(TEAMS[team]!);
      aTime.push(labels.dateTime(day, sec));
      aChannel.push(ACTION_CHANNELS[ch]!);
      aContacted.push(contacted);
      aPtp.push(ptp);
      aPtpAmount.push(ptpAmount);
      aPtpDue.push(ptpDue);
      aPaid.push(actPaid);
      aCost.push(cost);
    }
  };

  for (let li = 0; li < lo.n; li++) {
    const loanId = lo.id[li]!;
    const c = lo.cust[li]!;
    const custId = cu.id[c]!;
    const p = lo.prod[li]!;
    const spec = PRODUCT_SPECS[p]!;
    const P = lo.principal[li]!;
    const n = lo.term[li]!;
    const rm = lo.rate[li]! / 12;
    const q = 1 + rm;
    const qn = Math.pow(q, n);
    const A = cents((P * rm * qn) / (qn - 1));
    const i0 = lo.issueJ[li]!;
    const dueDom = Math.min(28, civilFromDays(lo.issueDay[li]!)[2]);
    const riskTot = CHANNEL_RISK[lo.chan[li]!]! * SEG_RISK[cu.seg[c]!]! * cu.risk[c]!;
    const p01Base = spec.p01 * riskTot * lo.vintage[i0]!;
    const cureAdj = Math.min(1.5, Math.max(0.6, Math.pow(riskTot, -0.3))) * spec.cure;
    const balance = (k: number): number => (k >= n ? 0 : (P * (qn - Math.pow(q, k))) / (qn - 1));
    let kPaid = 0;
    let credit = 0;
    let caseId = '';
    let col: Collector | null = null;

    for (let j = i0; j < months; j++) {
      const m = j - i0;
      lmLoan.push(loanId);
      lmDate.push(cal.endLabel[j]!);
      if (m === 0) {
        lmOut.push(P);
        lmDpd.push(0);
        lmDue.push(0);
        lmPaid.push(0);
        lmStatus.push('active');
        continue;
      }
      const cm = cal.calMonth[j]!;
      const mStart = cal.start[j]!;
      const mLen = cal.len[j]!;
      const dueCount = Math.min(m, n) - kPaid;
      let due = cents(dueCount * A - credit);
      const prevDel = kPaid < Math.min(m - 1, n) ? m - 1 - kPaid : 0;
      let paid = 0;
      let status = 0; // 0 active, 1 closed, 2 written off
      let missed = false;
      if (prevDel === 0) {
        if (m < n && rng.next() < spec.prepay) {
          // Prepayment: the whole balance plus this month's interest.
          due = paid = cents(balance(kPaid) * q - credit);
          status = 1;
        } else {
          const mob = m === 1 ? 0.8 : m <= 6 ? 1.15 : m <= 12 ? 1 : 0.85;
          if (rng.next() < Math.min(0.5, p01Base * mob * P01_SEASON[cm]!)) {
            missed = true;
            if (rng.next() < 0.3) paid = Math.min(due, cents(A * rng.range(0.1, 0.6)));
          } else paid = due;
        }
      } else {
        const b = Math.min(prevDel, 7);
        const team = prevDel <= 1 ? 0 : prevDel === 2 ? 1 : 2;
        if (col === null || col.team !== team) col = teams[team]![rng.int(TEAM_SIZES[team]!)]!;
        if (prevDel >= 7 && (prevDel >= 12 || rng.next() < 0.35)) {
          status = 2;
        } else if (prevDel >= 3 && rng.next() < 0.015) {
          // Discounted settlement of the whole debt.
          // Owed: the arrears plus the principal not yet due.
          due = cents(dueCount * A - credit + balance(kPaid + dueCount));
          paid = cents(due * rng.range(0.6, 0.95));
          status = 1;
        } else {
          const season = cm === 2 || cm === 3 ? 0.88 : 1;
          let cure = CURE[b]! * cureAdj * col.cure * season;
          let stay = STAY[b]! * cureAdj * col.cure * season;
          if (cure + stay > 0.95) {
            const f = 0.95 / (cure + stay);
            cure *= f;
            stay *= f;
          }
          const u = rng.next();
          if (u < cure) paid = due;
          else if (u < cure + stay) paid = Math.min(due, A);
          else if (rng.next() < 0.25) paid = Math.min(due, cents(A * rng.range(0.1, 0.6)));
        }
      }
      if (status === 0) {
        credit += paid;
        while (credit >= A - 0.005 && kPaid < n) {
          kPaid++;
          credit -= A;
        }
        if (credit < 0.005) credit = 0;
        if (kPaid >= n) status = 1;
      }
      const delMonths = status === 1 ? 0 : kPaid < Math.min(m, n) ? m - kPaid : 0;
      const mEndDom = mLen;
      const dpd = delMonths === 0 ? 0 : 30 * (delMonths - 1) + Math.min(30, Math.max(1, mEndDom - dueDom));
      lmOut.push(status === 0 ? cents(balance(kPaid)) : 0);
      lmDpd.push(dpd);
      lmDue.push(due);
      lmPaid.push(paid);
      lmStatus.push(STATUSES[status]!);
      if (paid > 0 && j >= txnFrom) {
        const x = c * W + (j - txnFrom);
        repaid[x] = cents(repaid[x]! + paid);
        if (repayDay[x] === 0) repayDay[x] = Math.min(dueDom, mLen);
      }
      // Collection.
      if (prevDel > 0 || missed) {
        if (prevDel === 0) {
          caseId = `CS${pad(++caseSeq, 8)}`;
          col = teams[0]![rng.int(TEAM_SIZES[0]!)]!;
        }
        if (r.actionsScale > 0 && col !== null) {
          const winStart = prevDel === 0 ? Math.min(mStart + mLen - 1, mStart + dueDom) : mStart;
          const resolved = status !== 0 || delMonths === 0;
          // Promised amount: what was paid when a full or one-instalment payment was made; one
          // instalment (new case) or the arrears when the month ends with a partial or no payment.
          const partial = paid > 0 && paid < Math.min(due, A) - 0.005;
          const promise = paid > 0 && !partial ? paid : prevDel === 0 ? A : cents(Math.max(A, due));
          caseMonth(
            caseId,
            loanId,
            custId,
            col,
            prevDel,
            winStart,
            mStart + mLen - 1,
            paid,
            resolved,
            promise,
          );
        }
        if (status !== 0 || delMonths === 0) {
          caseId = '';
          col = null;
        }
      }
      if (status !== 0) break;
    }
  }
  return {
    loanMonths: {
      loan_id: lmLoan,
      snapshot_date: lmDate,
      outstanding: lmOut,
      dpd: lmDpd,
      due_amount: lmDue,
      paid_amount: lmPaid,
      status: lmStatus,
    },
    actions: {
      action_id: aId,
      case_id: aCase,
      loan_id: aLoan,
      customer_id: aCust,
      collector_id: aCollector,
      team: aTeam,
      action_time: aTime,
      channel: aChannel,
      contacted: aContacted,
      ptp: aPtp,
      ptp_amount: aPtpAmount,
      ptp_due_date: aPtpDue,
      paid_amount: aPaid,
      cost: aCost,
    },
    repaid,
    repayDay,
  };
}
