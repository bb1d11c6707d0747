/**
 * `funnel_events` and `campaign_spend`: users through the acquisition funnel per channel and
 * campaign, and the spend that bought the traffic (the `funnel` stream).
 */
import type { Labels } from './sample-random.js';
import {
  cents,
  civilFromDays,
  cumulative,
  hours,
  isoWeekday,
  pad,
  pickHourSecond,
  pickIndex,
  Rng,
} from './sample-random.js';
import type { Calendar, Resolved } from './sample-options.js';
import type { Campaign } from './sample-dimensions.js';
import { CAMPAIGNS, FUNNEL_CHANNELS, FUNNEL_STAGES } from './sample-dimensions.js';

// prettier-ignore
const H_MEDIA = hours({
  0: 2, 1: 1, 2: 0.5, 3: 0.3, 4: 0.3, 5: 0.5, 6: 1, 7: 3, 8: 4, 9: 4, 10: 4, 11: 5, 12: 7, 13: 6, 14: 4, 15: 4,
  16: 4, 17: 5, 18: 6, 19: 7, 20: 9, 21: 10, 22: 8, 23: 5,
});

// prettier-ignore
const H_SEARCH = hours({
  7: 2, 8: 4, 9: 7, 10: 8, 11: 8, 12: 6, 13: 6, 14: 7, 15: 7, 16: 7, 17: 6, 18: 5, 19: 6, 20: 7, 21: 7, 22: 5,
  23: 2, 0: 1,
});

const H_STREET = hours({ 10: 6, 11: 8, 12: 6, 13: 6, 14: 8, 15: 9, 16: 9, 17: 8, 18: 6, 19: 4, 20: 2 });

const FUNNEL_CHANNEL_WEIGHTS = [0.28, 0.22, 0.16, 0.14, 0.08, 0.12];

/** Spend per user entering the funnel, CNY. */
const FUNNEL_COST_PER_USER = [18, 22, 30, 25, 45, 12];

/** Step conversions 曝光→点击, 点击→注册, 注册→申请, 申请→审批通过, 审批通过→放款 per channel. */
const FUNNEL_STEPS = [
  [0.22, 0.45, 0.55, 0.45, 0.85],
  [0.25, 0.5, 0.58, 0.48, 0.86],
  [0.38, 0.55, 0.62, 0.52, 0.88],
  [0.45, 0.62, 0.6, 0.5, 0.87],
  [0.55, 0.7, 0.68, 0.58, 0.9],
  [0.5, 0.68, 0.7, 0.62, 0.92],
];

/** Median seconds between consecutive stages, and log-sigma. */
const FUNNEL_DELAY: ReadonlyArray<readonly [number, number]> = [
  [40, 1.2],
  [300, 1.2],
  [6 * 3600, 1.6],
  [1800, 1.5],
  [4 * 3600, 1.0],
];

const FUNNEL_HOURS = [H_MEDIA, H_MEDIA, H_SEARCH, H_MEDIA, H_STREET, H_MEDIA];

function campaignRuns(cmp: Campaign, day: number): boolean {
  if (!cmp.window) return true;
  const [, m, d] = civilFromDays(day);
  const [sm, sd, em, ed] = cmp.window;
  const v = m * 100 + d;
  return v >= sm * 100 + sd && v <= em * 100 + ed;
}

export function genFunnel(
  r: Resolved,
  cal: Calendar,
  labels: Labels,
): { events: Record<string, unknown[]>; spend: Record<string, unknown[]> } {
  const rng = new Rng(r.seed, 'funnel');
  const from = cal.months - r.funnelMonths;
  const pStart = cal.start[from]!;
  const pEnd = cal.start[cal.months - 1]! + cal.len[cal.months - 1]! - 1;
  const endSec = (pEnd + 1) * 86400;
  // Cells: campaign × channel × day, weighted by the traffic they buy.
  const cellCmp: number[] = [];
  const cellCh: number[] = [];
  const cellDay: number[] = [];
  const cellW: number[] = [];
  for (let day = pStart; day <= pEnd; day++) {
    const weekend = isoWeekday(day) >= 6;
    const trend = 1 + (0.15 * (day - pStart)) / Math.max(1, pEnd - pStart);
    for (let ci = 0; ci < CAMPAIGNS.length; ci++) {
      const cmp = CAMPAIGNS[ci]!;
      if (!campaignRuns(cmp, day)) continue;
      for (const ch of cmp.channels) {
        const base = FUNNEL_CHANNEL_WEIGHTS[ch]! * (weekend ? (ch === 4 ? 1.6 : 1.1) : 1) * trend;
        const w = cmp.window ? base * (cmp.boost - 1) : base;
        cellCmp.push(ci);
        cellCh.push(ch);
        cellDay.push(day);
        cellW.push(w * Math.exp(0.1 * rng.normal()));
      }
    }
  }
  const cum = cumulative(cellW);
  const totalW = cum[cum.length - 1] ?? 0;
  const spend = {
    campaign: [] as string[],
    channel: [] as string[],
    date: [] as string[],
    spend: [] as number[],
  };
  for (let k = 0; k < cellW.length; k++) {
    const cmp = CAMPAIGNS[cellCmp[k]!]!;
    const expected = (r.funnelUsers * cellW[k]!) / totalW;
    spend.campaign.push(cmp.name);
    spend.channel.push(FUNNEL_CHANNELS[cellCh[k]!]!);
    spend.date.push(labels.day(cellDay[k]!));
    spend.spend.push(
      cents(expected * FUNNEL_COST_PER_USER[cellCh[k]!]! * (cmp.window ? 1.2 : 1) * rng.range(0.85, 1.15)),
    );
  }
  const user: string[] = [];
  const time: string[] = [];
  const stage: string[] = [];
  const channel: string[] = [];
  const campaign: string[] = [];
  const ts = new Float64Array(FUNNEL_STAGES.length);
  for (let u = 0; u < r.funnelUsers && totalW > 0; u++) {
    const uid = `U${pad(u + 1, 8)}`;
    const k = pickIndex(rng, cum);
    const ch = cellCh[k]!;
    const cmp = CAMPAIGNS[cellCmp[k]!]!;
    const steps = FUNNEL_STEPS[ch]!;
    ts[0] = cellDay[k]! * 86400 + pickHourSecond(rng, FUNNEL_HOURS[ch]!);
    let reached = 1;
    for (let s = 1; s < FUNNEL_STAGES.length; s++) {
      const pStep = steps[s - 1]! * (s === 3 && cmp.window ? 1.08 : 1);
      if (rng.next() >= pStep) break;
      const [med, sig] = FUNNEL_DELAY[s - 1]!;
      const t = ts[s - 1]! + Math.max(1, Math.round(rng.lognormal(med, sig)));
      if (t >= endSec) break; // not happened yet at the end of the period
      ts[s] = t;
      reached = s + 1;
    }
    // Data-quality realism: a lost event (skip), a clock-skewed event (out of order), re-exposures.
    let skip = -1;
    if (reached >= 3 && rng.next() < 0.015) skip = 1 + rng.int(reached - 2);
    if (reached >= 3 && rng.next() < 0.01) {
      const s = 2 + rng.int(reached - 2);
      ts[s] = ts[s - 1]! - 60 - rng.int(3600);
    }
    const cmpName = cmp.name;
    const chName = FUNNEL_CHANNELS[ch]!;
    for (let s = 0; s < reached; s++) {
      if (s === skip) continue;
      const t = ts[s]!;
      const day = Math.floor(t / 86400);
      user.push(uid);
      time.push(labels.dateTime(day, t - day * 86400));
      stage.push(FUNNEL_STAGES[s]!);
      channel.push(chName);
      campaign.push(cmpName);
    }
    if (rng.next() < 0.04) {
      const t = ts[0]! + 3600 + rng.int(3 * 86400);
      if (t < endSec) {
        const day = Math.floor(t / 86400);
        user.push(uid);
        time.push(labels.dateTime(day, t - day * 86400));
        stage.push(FUNNEL_STAGES[0]!);
        channel.push(chName);
        campaign.push(cmpName);
      }
    }
  }
  return { events: { user_id: user, event_time: time, stage, channel, campaign }, spend };
}
