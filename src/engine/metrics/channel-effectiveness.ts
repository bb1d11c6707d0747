/**
 * Channel effectiveness (渠道效果): per action channel, actions, contact rate, PTP rate, recovered,
 * cost and cost per 100 CNY recovered.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { LocalText, MetricResult } from '../types.js';
import { catCol, dayLabel } from './loan-months.js';

/** Parameters of `channel_effectiveness` (none; filters select the actions). */
export type ChannelEffectivenessParams = Record<string, never>;

/** One row per channel present in the selection (phone, sms, ivr, visit, legal, then others by name). */
export type ChannelEffectivenessRow = {
  channel: string;
  /** Actions on the channel. */
  actions: number;
  /** Actions with right-party contact (contacted, or a PTP, which implies contact). */
  contacted: number;
  /** contacted / actions. */
  contactRate: number | null;
  /** Actions with a PTP. */
  ptps: number;
  /** ptps / contacted. */
  ptpRate: number | null;
  /** Σ paid_amount. */
  recovered: number;
  /** Σ cost. */
  cost: number;
  /** cost / recovered × 100 (CNY of cost per 100 CNY recovered); null when nothing was recovered. */
  costPer100: number | null;
};

const ORDER = ['phone', 'sms', 'ivr', 'visit', 'legal'];

export const channelEffectiveness: MetricDef = {
  id: 'channel_effectiveness',
  source: 'collection_actions',
  reads: ['loans'],
  run(ctx, _params, source) {
    const rows = ctx.rows(source);
    return channelResult(ctx, channelAggs(ctx, source, rows, null, 1)[0]!);
  },
  runGrouped(groups, _params, source) {
    // One ascending pass over the base rows, one accumulator set per cell (grouped.ts).
    const groupOf = groups.groupOf(source);
    if (!groupOf) return null;
    const aggs = channelAggs(groups.base, source, groups.base.rows(source), groupOf, groups.cells.length);
    return aggs.map((a, g) => channelResult(groups.cells[g]!, a));
  },
};

/**
 * The row loop: aggregates of the selected rows, or of every cell at once when `groupOf` gives the
 * cell of each row (−1: none); per cell the rows are met in ascending order, as on its own.
 */
function channelAggs(
  ctx: MetricContext,
  source: string,
  rows: Int32Array | null,
  groupOf: Int32Array | null,
  G: number,
): ChannelAgg[] {
  const n = ctx.dataset(source).n;
  const len = rows ? rows.length : n;
  const chan = catCol(ctx, source, 'channel');
  const timeC = ctx.tryCol(source, 'action_time');
  const day = timeC && timeC.kind === 'date' ? timeC.day : null;
  const cC = ctx.tryCol(source, 'contacted');
  const pC = ctx.tryCol(source, 'ptp');
  const paidC = ctx.tryCol(source, 'paid_amount');
  const costC = ctx.tryCol(source, 'cost');
  const contacted = cC && cC.kind === 'bool' ? cC.data : null;
  const ptp = pC && pC.kind === 'bool' ? pC.data : null;
  const paid = paidC && paidC.kind === 'num' ? paidC.data : null;
  const cost = costC && costC.kind === 'num' ? costC.data : null;
  const K = chan.dict.length;
  // per cell g: channel c at g·K + c
  const acts = new Float64Array(G * K);
  const cont = new Float64Array(G * K);
  const ptps = new Float64Array(G * K);
  const rec = new Float64Array(G * K);
  const cst = new Float64Array(G * K);
  const count = new Float64Array(G);
  const used = new Float64Array(G);
  const missingChannel = new Float64Array(G);
  const missingPaid = new Float64Array(G);
  const missingCost = new Float64Array(G);
  const ptpNoContact = new Float64Array(G);
  const maxDay = new Int32Array(G).fill(NULL_INDEX);
  for (let q = 0; q < len; q++) {
    const i = rows ? rows[q]! : q;
    let g = 0;
    if (groupOf) {
      g = groupOf[i]!;
      if (g < 0) continue;
    }
    count[g]!++;
    const ch = chan.codes[i]!;
    if (ch < 0) {
      missingChannel[g]!++;
      continue;
    }
    used[g]!++;
    if (day && day[i]! > maxDay[g]!) maxDay[g] = day[i]!;
    const c = g * K + ch;
    acts[c]!++;
    const ct = contacted ? contacted[i]! : -1;
    const pt = ptp ? ptp[i]! : -1;
    if (pt === 1) {
      ptps[c]!++;
      if (ct !== 1) ptpNoContact[g]!++;
    }
    if (ct === 1 || pt === 1) cont[c]!++;
    const pa = paid ? paid[i]! : NaN;
    if (pa === pa) rec[c]! += pa;
    else if (paid) missingPaid[g]!++;
    const co = cost ? cost[i]! : NaN;
    if (co === co) cst[c]! += co;
    else if (cost) missingCost[g]!++;
  }
  const out: ChannelAgg[] = [];
  for (let g = 0; g < G; g++) {
    const per: ChannelAgg['channels'] = [];
    for (let ch = 0; ch < K; ch++) {
      const c = g * K + ch;
      if (acts[c]! > 0)
        per.push({
          channel: chan.dict[ch]!,
          actions: acts[c]!,
          contacted: cont[c]!,
          ptps: ptps[c]!,
          recovered: rec[c]!,
          cost: cst[c]!,
        });
    }
    out.push({
      count: count[g]!,
      used: used[g]!,
      maxDay: maxDay[g]!,
      channels: per,
      ptpNoContact: ptpNoContact[g]!,
      excluded: {
        missing_channel: missingChannel[g]!,
        missing_paid_amount: missingPaid[g]!,
        missing_cost: missingCost[g]!,
      },
    });
  }
  return out;
}

/**
 * Aggregates of `channel_effectiveness`: per channel present (any order), what the row loop
 * (memory) or a GROUP BY (SQL backends) computes; sums unrounded.
 */
export interface ChannelAgg {
  count: number;
  used: number;
  /** Latest action day of the used rows (NULL_INDEX when none or no action_time). */
  maxDay: number;
  channels: Array<{
    channel: string;
    actions: number;
    contacted: number;
    ptps: number;
    recovered: number;
    cost: number;
  }>;
  ptpNoContact: number;
  excluded: { missing_channel: number; missing_paid_amount: number; missing_cost: number };
}

/** Shape the aggregates into the result (rows in channel order, basis, quality): one definition for every backend. */
export function channelResult(ctx: BasisContext, a: ChannelAgg): MetricResult<ChannelEffectivenessRow> {
  const { count, used, maxDay, ptpNoContact } = a;
  const rank = (s: string): number => {
    const r = ORDER.indexOf(s);
    return r < 0 ? ORDER.length : r;
  };
  const sorted = [...a.channels].sort((x, y) => {
    const sa = x.channel;
    const sb = y.channel;
    return rank(sa) - rank(sb) || (sa < sb ? -1 : sa > sb ? 1 : 0);
  });
  const data: ChannelEffectivenessRow[] = sorted.map((c) => ({
    channel: c.channel,
    actions: c.actions,
    contacted: c.contacted,
    contactRate: ratio(c.contacted, c.actions),
    ptps: c.ptps,
    ptpRate: ratio(c.ptps, c.contacted),
    recovered: r10(c.recovered),
    cost: r10(c.cost),
    costPer100: c.recovered > 0 ? r10((c.cost / c.recovered) * 100) : null,
  }));
  const warnings: LocalText[] = [];
  if (ptpNoContact > 0) {
    warnings.push(
      t(
        `${ptpNoContact} 条行动 ptp 为真但 contacted 为假，已按已接触计`,
        `${ptpNoContact} actions have ptp true but contacted false; counted as contacted`,
      ),
    );
  }
  const basis = makeBasis(ctx, {
    metric: 'channel_effectiveness',
    title: t('催收渠道效果', 'Collection channel effectiveness'),
    formula: t(
      '每渠道：接触率 = 接触次数 / 行动次数；PTP 率 = PTP 次数 / 接触次数；回收 = Σ paid_amount；成本 = Σ cost；每百元回收成本 = 成本 / 回收 × 100',
      'Per channel: contact rate = contacted / actions; PTP rate = PTPs / contacted; recovered = Σ paid_amount; cost = Σ cost; cost per 100 CNY recovered = cost / recovered × 100',
    ),
    numerator: t('见各指标', 'See each measure'),
    denominator: t('见各指标', 'See each measure'),
    measure: 'count+amount',
    asOf: maxDay === NULL_INDEX ? null : dayLabel(maxDay),
    options: {},
    exclusions: [
      t(
        'channel 缺失的行（仅分配记录）不参与（missing_channel）。',
        'Rows without a channel (assignment-only records) are excluded (missing_channel).',
      ),
    ],
    notes: [
      t(
        'PTP 视为已接触：contacted 为假但 ptp 为真的行动计入接触（见警告），因此 PTP 率 ≤ 1。paid_amount / cost 缺失按 0 计（missing_paid_amount / missing_cost）。回收为 0 时每百元回收成本为 null。',
        'A PTP implies contact: an action with ptp true but contacted false counts as contacted (see warnings), so the PTP rate is ≤ 1. A missing paid_amount / cost counts as 0 (missing_paid_amount / missing_cost). Cost per 100 recovered is null when nothing was recovered.',
      ),
      t(
        '回收金额按行动记录上的 paid_amount 归属到该行动的渠道。',
        'Recovered amounts are attributed to the channel of the action row that carries the paid_amount.',
      ),
    ],
  });
  const quality = makeQuality(count, used, a.excluded, warnings);
  return result(data, basis, quality, { channels: data.map((r) => r.channel) });
}
