/**
 * The UCI Bank Marketing data (bank-full.csv: 45,211 phone-marketing contacts of a Portuguese bank,
 * May 2008 – Nov 2010, `;`-separated) as `funnel_events`, so that `<fin-funnel>` can be checked
 * against a published figure: 5,289 of 45,211 contacted clients subscribed a term deposit (11.70%).
 *
 * One client row becomes up to three events (user_id = the 1-based row number):
 *
 * | stage      | rule                              | event_time                                   |
 * |------------|-----------------------------------|----------------------------------------------|
 * | contacted  | every row (`campaign` ≥ 1)        | the last-contact day at 09:00 UTC             |
 * | reached    | `duration` > 0 (the call connected) | the same instant                            |
 * | subscribed | `y` = `yes`                       | that instant + `duration` seconds (call end) |
 *
 * Every subscriber had a connected call (duration > 0), so strict and loose counts agree and the
 * median time reached → subscribed is the median call length of subscribers.
 *
 * The file gives day and month but no year. It is ordered by date (bank-names.txt: "ordered by date
 * (from May 2008 to November 2010)"), so the year starts at 2008 and advances each time the month
 * goes backwards in row order: rows 1–27,729 are 2008, 27,730–42,591 are 2009, the rest 2010.
 *
 * `channel` is the contact type (cellular / telephone / unknown); `campaign` the contact month
 * (`YYYY-MM`).
 */

export interface BankStageNames {
  contacted: string;
  reached: string;
  subscribed: string;
}

export const BANK_STAGES_ZH: BankStageNames = {
  contacted: '已联系',
  reached: '已接通',
  subscribed: '已认购定存',
};
export const BANK_STAGES_EN: BankStageNames = {
  contacted: 'Contacted',
  reached: 'Reached',
  subscribed: 'Subscribed',
};

/** A `funnel_events` row (a type alias, not an interface: rows must be plain records for `load`). */
export type FunnelEventRow = {
  user_id: string;
  /** Epoch ms (UTC). */
  event_time: number;
  stage: string;
  channel: string;
  campaign: string;
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const unquote = (s: string): string => s.trim().replace(/^"(.*)"$/, '$1');

/** bank-full.csv text → funnel_events rows (see the table above). Throws on a missing column. */
export function bankFunnelEvents(csv: string, names: BankStageNames = BANK_STAGES_EN): FunnelEventRow[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(';').map(unquote);
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`bank-full.csv has no "${name}" column`);
    return i;
  };
  const [iDay, iMonth, iDur, iY, iContact] = [
    col('day'),
    col('month'),
    col('duration'),
    col('y'),
    col('contact'),
  ];
  const out: FunnelEventRow[] = [];
  let year = 2008;
  let prevMonth = -1;
  for (let r = 1; r < lines.length; r++) {
    const f = lines[r]!.split(';');
    const month = MONTHS.indexOf(unquote(f[iMonth] ?? '').toLowerCase());
    if (month < 0) continue;
    if (prevMonth >= 0 && month < prevMonth) year++;
    prevMonth = month;
    const day = Number(unquote(f[iDay] ?? ''));
    const t0 = Date.UTC(year, month, day, 9, 0, 0);
    const duration = Number(unquote(f[iDur] ?? ''));
    const user = String(r);
    const channel = unquote(f[iContact] ?? '');
    const campaign = `${year}-${String(month + 1).padStart(2, '0')}`;
    out.push({ user_id: user, event_time: t0, stage: names.contacted, channel, campaign });
    if (duration > 0) out.push({ user_id: user, event_time: t0, stage: names.reached, channel, campaign });
    if (unquote(f[iY] ?? '') === 'yes')
      out.push({
        user_id: user,
        event_time: t0 + duration * 1000,
        stage: names.subscribed,
        channel,
        campaign,
      });
  }
  return out;
}

/** The funnel request for these events (strict, stages in order). */
export function bankFunnelParams(names: BankStageNames = BANK_STAGES_EN): Record<string, unknown> {
  return { stages: [names.contacted, names.reached, names.subscribed], mode: 'strict' };
}
