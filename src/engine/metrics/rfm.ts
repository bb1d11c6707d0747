/**
 * `rfm`: recency, frequency and monetary scores by quintile and customer segments (METRICS.md,
 * RFM and RFM segments). As-of T, window W days: R = days from the last transaction to T, F = number
 * of transactions in W, M = Σ (or mean) amount in W; scores 1–5 from the 20/40/60/80th percentiles.
 */
import { NULL_INDEX, dayLabel } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { LocalText, MetricResult } from '../types.js';
import { badParam, catCol, cmpStr, dateCol, numericValues, rowList } from './generic-util.js';
import type { RfmAgg, RfmCustomer, RfmParams, RfmSegmentRow, SegmentDef } from './rfm-params.js';
import {
  CN8_BY_BITS,
  CN8_ORDER,
  NO_DAY,
  RF10,
  UNMATCHED,
  quintileBreakpoints,
  quintileScore,
  rfmParams,
} from './rfm-params.js';

export { CN8_ORDER, RF10, quintileBreakpoints, quintileScore, rfmParams };
export type { RfmAgg, RfmCustomer, RfmParams, RfmSegmentRow };

/** The memory aggregation: one pass over the selected rows. */
function rfmAggregate(ctx: MetricContext, p: RfmParams, source: string): RfmAgg {
  const { entity, windowDays } = p;
  const ds = ctx.dataset(source);
  const ent = catCol(ctx, source, entity, 'entity');
  const day = dateCol(ctx, source, p.dateField).day;
  const amt = numericValues(ctx.col(source, p.amountField), 'amountField', p.amountField);
  const rows = ctx.rows(source, p.extra);
  const list = rowList(ds, rows);

  let T = p.asOfDay ?? NO_DAY;
  if (p.asOfDay === null) {
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const d = day[i]!;
      if (d !== NULL_INDEX && ent.codes[i]! >= 0 && d > T) T = d;
    }
  }
  const from = T - windowDays + 1; // window = the W days ending on T: (T − W, T]

  const D = ent.dict.length;
  const lastDay = new Int32Array(D).fill(NULL_INDEX);
  const freq = new Int32Array(D);
  const mon = new Float64Array(D);
  const known = new Uint8Array(D);
  let missingEntity = 0;
  let missingDate = 0;
  let missingAmount = 0;
  let afterAsOf = 0;
  let beforeWindow = 0;
  let used = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const e = ent.codes[i]!;
    const d = day[i]!;
    const a = amt[i]!;
    if (e < 0) missingEntity++;
    else if (d === NULL_INDEX) missingDate++;
    else if (a !== a) missingAmount++;
    else if (d > T) afterAsOf++;
    else {
      known[e] = 1;
      if (d < from) {
        beforeWindow++;
        continue;
      }
      used++;
      freq[e]!++;
      mon[e]! += a;
      if (d > lastDay[e]!) lastDay[e] = d;
    }
  }

  // Scored entities, in code order.
  let S = 0;
  let knownCount = 0;
  for (let e = 0; e < D; e++) {
    if (known[e]) knownCount++;
    if (freq[e]! > 0) S++;
  }
  const ids: string[] = [];
  const lastA = new Float64Array(S);
  const freqA = new Float64Array(S);
  const monA = new Float64Array(S);
  for (let e = 0, j = 0; e < D; e++) {
    if (freq[e]! === 0) continue;
    ids.push(ent.dict[e]!);
    lastA[j] = lastDay[e]!;
    freqA[j] = freq[e]!;
    monA[j] = mon[e]!;
    j++;
  }

  // Customers of the customers table (after filters) with no transaction at all up to T.
  let noTransactions = 0;
  if (ctx.has('customers')) {
    const cds = ctx.dataset('customers');
    const cid = cds.cols[entity];
    if (cid && cid.kind === 'cat') {
      const knownIds = new Set<string>();
      for (let e = 0; e < D; e++) if (known[e]) knownIds.add(ent.dict[e]!);
      const crow = rowList(cds, ctx.rows('customers'));
      const counted = new Uint8Array(cid.dict.length);
      for (let k = 0; k < crow.length; k++) {
        const c = cid.codes[crow[k]!]!;
        if (c < 0 || counted[c]) continue;
        counted[c] = 1;
        if (!knownIds.has(cid.dict[c]!)) noTransactions++;
      }
    }
  }
  return {
    T,
    ids,
    lastDay: lastA,
    freq: freqA,
    mon: monA,
    known: knownCount,
    noTransactions,
    rows: list.length,
    used,
    missingEntity,
    missingDate,
    missingAmount,
    afterAsOf,
    beforeWindow,
  };
}

/** Scores, segments, listings, basis and quality from the aggregation (every backend). */
export function rfmResult(ctx: BasisContext, p: RfmParams, agg: RfmAgg): MetricResult<RfmSegmentRow> {
  const { entity, dateField, amountField, windowDays, monetary, direction, scheme, thresholdMode } = p;
  const { threshold, rules, includeCustomers, onlySegment, limit, members, where } = p;
  const { T, ids, noTransactions } = agg;
  const asOf = T === NO_DAY ? null : dayLabel(T);
  const S = ids.length;
  const rv = new Float64Array(S);
  const fv = new Float64Array(S);
  const mv = new Float64Array(S);
  for (let j = 0; j < S; j++) {
    rv[j] = T - agg.lastDay[j]!;
    fv[j] = agg.freq[j]!;
    mv[j] = monetary === 'sum' ? agg.mon[j]! : agg.mon[j]! / agg.freq[j]!;
  }
  const noTxnInWindow = agg.known - S;
  const { missingEntity, missingDate, missingAmount, afterAsOf, beforeWindow, used } = agg;

  const bpR = quintileBreakpoints(rv);
  const bpF = quintileBreakpoints(fv);
  const bpM = quintileBreakpoints(mv);
  const Rs = new Int8Array(S);
  const Fs = new Int8Array(S);
  const Ms = new Int8Array(S);
  let sumR = 0;
  let sumF = 0;
  let sumM = 0;
  for (let j = 0; j < S; j++) {
    Rs[j] = 6 - quintileScore(rv[j]!, bpR);
    Fs[j] = quintileScore(fv[j]!, bpF);
    Ms[j] = quintileScore(mv[j]!, bpM);
    sumR += Rs[j]!;
    sumF += Fs[j]!;
    sumM += Ms[j]!;
  }
  const meanScore = [S ? sumR / S : 0, S ? sumF / S : 0, S ? sumM / S : 0] as const;
  const fixedScore = thresholdMode === 'score4' ? 3 : threshold;
  const thrR = fixedScore ?? meanScore[0];
  const thrF = fixedScore ?? meanScore[1];
  const thrM = fixedScore ?? meanScore[2];
  // mean-value: raw means (fewer days is better for R).
  let mr = 0;
  let mf = 0;
  let mm = 0;
  for (let j = 0; j < S; j++) {
    mr += rv[j]!;
    mf += fv[j]!;
    mm += mv[j]!;
  }
  if (S) [mr, mf, mm] = [mr / S, mf / S, mm / S];
  const byValue = thresholdMode === 'mean-value';
  const highR = (j: number): boolean => (byValue ? rv[j]! < mr : Rs[j]! > thrR);
  const highF = (j: number): boolean => (byValue ? fv[j]! > mf : Fs[j]! > thrF);
  const highM = (j: number): boolean => (byValue ? mv[j]! > mm : Ms[j]! > thrM);
  // mean-score: a mean close to a whole score makes every customer with that score flip between
  // 高 and 低 on a tiny change of the data (METRICS.md, RFM segments).
  const nearWhole =
    scheme === 'cn8' && thresholdMode === 'mean-score' && S > 0
      ? (['R', 'F', 'M'] as const).filter(
          (_, q) => Math.abs(meanScore[q]! - Math.round(meanScore[q]!)) < 0.02,
        )
      : [];

  // Segment definitions in display order, and each customer's segment index.
  let defs: SegmentDef[];
  const segOf = new Int32Array(S);
  if (scheme === 'cn8') {
    defs = CN8_ORDER.map((id) => CN8_BY_BITS.find((d) => d.id === id)!);
    const idx = CN8_BY_BITS.map((d) => CN8_ORDER.indexOf(d.id));
    for (let j = 0; j < S; j++) {
      const bits = ((highR(j) ? 1 : 0) << 2) | ((highF(j) ? 1 : 0) << 1) | (highM(j) ? 1 : 0);
      segOf[j] = idx[bits]!;
    }
  } else if (scheme === 'rf10') {
    defs = RF10;
    const grid = new Int32Array(36);
    RF10.forEach((d, s) => {
      for (let r = d.r[0]; r <= d.r[1]; r++) for (let f = d.f[0]; f <= d.f[1]; f++) grid[r * 6 + f] = s;
    });
    for (let j = 0; j < S; j++) segOf[j] = grid[Rs[j]! * 6 + Fs[j]!]!;
  } else {
    const rs = rules!;
    const names: string[] = [];
    defs = [];
    for (const r of rs) {
      if (!names.includes(r.segment)) {
        names.push(r.segment);
        defs.push({ id: r.segment, label: r.label });
      }
    }
    const ruleSeg = rs.map((r) => names.indexOf(r.segment));
    const unmatched = defs.length;
    const inR = (v: number, [lo, hi]: [number, number]): boolean => v >= lo && v <= hi;
    for (let j = 0; j < S; j++) {
      let s = unmatched;
      for (let q = 0; q < rs.length; q++) {
        const r = rs[q]!;
        if (inR(Rs[j]!, r.r) && inR(Fs[j]!, r.f) && inR(Ms[j]!, r.m)) {
          s = ruleSeg[q]!;
          break;
        }
      }
      segOf[j] = s;
    }
    defs.push(UNMATCHED);
  }

  const nS = defs.length;
  const cnt = new Float64Array(nS);
  const sR = new Float64Array(nS);
  const sF = new Float64Array(nS);
  const sM = new Float64Array(nS);
  const sr = new Float64Array(nS);
  const sf = new Float64Array(nS);
  const sm = new Float64Array(nS);
  const grid = new Float64Array(25);
  for (let j = 0; j < S; j++) {
    const s = segOf[j]!;
    cnt[s]!++;
    sR[s]! += Rs[j]!;
    sF[s]! += Fs[j]!;
    sM[s]! += Ms[j]!;
    sr[s]! += rv[j]!;
    sf[s]! += fv[j]!;
    sm[s]! += mv[j]!;
    grid[(Rs[j]! - 1) * 5 + Fs[j]! - 1]!++;
  }
  const data: RfmSegmentRow[] = [];
  let unmatchedCount = 0;
  for (let s = 0; s < nS; s++) {
    const n = cnt[s]!;
    if (defs[s] === UNMATCHED) {
      unmatchedCount = n;
      if (n === 0) continue;
    }
    data.push({
      segment: defs[s]!.id,
      label: defs[s]!.label,
      customers: n,
      share: ratio(n, S),
      monetary: r10(sm[s]!),
      meanR: ratio(sR[s]!, n),
      meanF: ratio(sF[s]!, n),
      meanM: ratio(sM[s]!, n),
      meanRecencyDays: ratio(sr[s]!, n),
      meanFrequency: ratio(sf[s]!, n),
      meanMonetary: ratio(sm[s]!, n),
    });
  }

  const meta: Record<string, unknown> = {
    asOf: asOf,
    windowDays,
    scored: S,
    excluded: noTxnInWindow + noTransactions,
    breakpoints: { recencyDays: bpR.map(r10), frequency: bpF.map(r10), monetary: bpM.map(r10) },
    grid: Array.from({ length: 25 }, (_, g) => ({
      r: Math.floor(g / 5) + 1,
      f: (g % 5) + 1,
      customers: grid[g]!,
    })),
    segments: defs.map((d) => d.id),
  };
  if (scheme === 'cn8') {
    meta.thresholdMode = thresholdMode;
    meta.thresholds = byValue
      ? { R: r10(mr), F: r10(mf), M: r10(mm) }
      : { R: r10(thrR), F: r10(thrF), M: r10(thrM) };
  }
  if (scheme === 'custom') meta.unmatched = unmatchedCount;
  /** The index of segment `id` in this scheme; a `param` error when it has none. */
  const segmentIndex = (id: string, param: string): number => {
    const k = defs.findIndex((d) => d.id === id);
    if (k < 0) throw badParam(param, `Unknown segment "${id}" for scheme ${scheme}`, id);
    return k;
  };
  if (members !== null) {
    // Every entity of the named segments, in dictionary order: what a dashboard filters other
    // widgets on when a segment is selected (`entity in [...]`); no limit, no sort, no scores.
    const want = new Uint8Array(defs.length);
    for (const id of members) want[segmentIndex(id, 'members')] = 1;
    const memberIds: string[] = [];
    for (let j = 0; j < S; j++) if (want[segOf[j]!]) memberIds.push(ids[j]!);
    meta.memberField = entity;
    meta.members = memberIds;
  }
  if (includeCustomers) {
    const segIdx = onlySegment === null ? -1 : segmentIndex(onlySegment, 'segment');
    const pick: number[] = [];
    for (let j = 0; j < S; j++) if (segIdx < 0 || segOf[j] === segIdx) pick.push(j);
    pick.sort(
      (a, b) =>
        Rs[b]! - Rs[a]! || Fs[b]! - Fs[a]! || Ms[b]! - Ms[a]! || mv[b]! - mv[a]! || cmpStr(ids[a]!, ids[b]!),
    );
    meta.customersTotal = pick.length;
    meta.customers = pick.slice(0, limit).map((j): RfmCustomer => ({
      customer_id: ids[j]!,
      r: rv[j]!,
      f: fv[j]!,
      m: r10(mv[j]!),
      R: Rs[j]!,
      F: Fs[j]!,
      M: Ms[j]!,
      segment: defs[segOf[j]!]!.id,
    }));
  }

  const exclusions: LocalText[] = [
    t(
      `窗口内（截至 ${asOf ?? '—'} 的 ${windowDays} 天）无交易的客户不评分：${noTxnInWindow + noTransactions} 户。`,
      `Customers with no transaction in the ${windowDays} days to ${asOf ?? '—'} are not scored: ${noTxnInWindow + noTransactions}.`,
    ),
  ];
  const notes: LocalText[] = [
    t(
      '分位断点为第 20/40/60/80 百分位（线性插值，同 Excel PERCENTILE.INC 与 d3.quantile）；得分 = 1 + 严格小于该值的断点数；相同值得分相同。R 以最近天数计算后反转（6 − 得分），越近越高。',
      'Breakpoints are the 20/40/60/80th percentiles (linear interpolation as Excel PERCENTILE.INC and d3.quantile); score = 1 + the number of breakpoints strictly below the value; equal values get equal scores. R is scored on recency days and reversed (6 − score): most recent = 5.',
    ),
    t(
      `窗口为截至 T（含）的 ${windowDays} 天；T 默认取数据中最后交易日。交易方向：${direction === 'all' ? '收付均计' : direction}。`,
      `The window is the ${windowDays} days ending on T (inclusive); T defaults to the last transaction date. Direction: ${direction === 'all' ? 'both in and out count as activity' : direction}.`,
    ),
  ];
  if (scheme === 'cn8') {
    notes.push(
      thresholdMode === 'score4'
        ? t(
            'cn8：各维得分 ≥ 4（前两个五分位）为“高”，否则为“低”。',
            'cn8: a score of 4 or 5 (the top two quintiles) is high (高), else low (低).',
          )
        : thresholdMode === 'mean-score'
          ? t(
              'cn8：各维得分高于全部已评分客户的平均得分为“高”，否则为“低”。',
              'cn8: a score above the mean score of all scored customers is high (高), else low (低).',
            )
          : thresholdMode === 'mean-value'
            ? t(
                'cn8：原始值优于全部已评分客户的均值为“高”（R 天数更少，F、M 更多）。',
                'cn8: a raw value better than the mean of all scored customers is high (高): fewer days for R, more for F and M.',
              )
            : t(
                `cn8：得分高于固定阈值 ${threshold} 为“高”。`,
                `cn8: a score above the fixed threshold ${threshold} is high (高).`,
              ),
    );
    if (nearWhole.length)
      notes.push(
        t(
          `注意：${nearWhole.join('、')} 的平均得分与整数分相差不足 0.02，数据的微小变化会让该分数的全部客户在“高/低”之间整体切换；建议使用默认规则（得分 ≥ 4）。`,
          `Warning: the mean ${nearWhole.join(', ')} score lies within 0.02 of a whole score, so a tiny change in the data moves every customer with that score between high and low; the default rule (score ≥ 4) avoids this.`,
        ),
      );
  }
  if (scheme === 'custom') {
    notes.push(
      t(
        '自定义规则按顺序匹配，首个命中的规则生效；未命中的计入“未匹配”。',
        'Custom rules match in order, the first match wins; the rest count as unmatched.',
      ),
    );
  }
  const basis = makeBasis(ctx, {
    metric: 'rfm',
    title: t('RFM 客户价值', 'RFM customer value'),
    formula: t(
      `R = T − 最后交易日（天）；F = 窗口内交易笔数；M = 窗口内金额${monetary === 'sum' ? '合计' : '均值'}；各按五分位打分 1–5`,
      `R = days from the last transaction to T; F = transactions in the window; M = ${monetary === 'sum' ? 'Σ' : 'mean'} amount in the window; each scored 1–5 by quintiles`,
    ),
    measure: 'count',
    asOf: asOf,
    options: {
      asOf: asOf,
      windowDays,
      monetary,
      direction,
      scheme,
      threshold: thresholdMode === 'fixed' ? threshold : thresholdMode,
      rules,
      entity,
      dateField,
      amountField,
      where,
    },
    exclusions,
    notes,
  });
  const quality = makeQuality(agg.rows, used, {
    missing_customer: missingEntity,
    missing_date: missingDate,
    missing_amount: missingAmount,
    after_as_of: afterAsOf,
    before_window: beforeWindow,
  });
  quality.excluded.customers_no_txn_in_window = noTxnInWindow;
  quality.excluded.customers_no_transactions = noTransactions;
  if (!noTxnInWindow) delete quality.excluded.customers_no_txn_in_window;
  if (!noTransactions) delete quality.excluded.customers_no_transactions;
  if (nearWhole.length)
    quality.warnings.push(
      t(
        `${nearWhole.join('、')} 的平均得分接近整数分，分群不稳定。`,
        `The mean ${nearWhole.join(', ')} score is near a whole score: segments are unstable.`,
      ),
    );
  if (S === 0) return result([], basis, quality, meta);
  return result(data, basis, quality, meta);
}

export const rfmMetric: MetricDef = {
  id: 'rfm',
  source: 'transactions',
  reads: ['customers'],
  run: (ctx, params, source) => {
    const p = rfmParams(params ?? {}, source);
    return rfmResult(ctx, p, rfmAggregate(ctx, p, source));
  },
};
