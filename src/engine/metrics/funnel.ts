/**
 * `funnel`: ordered stages over `funnel_events` (METRICS.md, Funnel). Strict mode follows each
 * entity's journey in time order (stage k counts only after stages 1..k−1 at non-decreasing times,
 * optionally within a window from stage 1); loose mode counts distinct entities per stage.
 * Optional breakdown (first-touch attribution) and acquisition cost from `campaign_spend`.
 */
import type { CatColumn } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { FilterClause, LocalText, MetricResult } from '../types.js';
import {
  F64Buf,
  badParam,
  catCol,
  cmpStr,
  dateCol,
  dateFieldOf,
  enumParam,
  labelRanks,
  medianInPlace,
  numParam,
  rowList,
  strParam,
  whereParam,
} from './generic-util.js';
import type { FunnelCounts, FunnelEvents } from './funnel-counts.js';
import { funnelCounts } from './funnel-counts.js';
import { evalGrouped } from './measure.js';

/** One stage of the funnel (per breakdown group when `breakdown` is set). */
export interface FunnelRow {
  /** Breakdown value (only with `breakdown`; null = missing value). */
  group?: string | null;
  stage: string;
  /** 1-based position. */
  step: number;
  count: number;
  /** `n_k / n_{k−1}`; null for the first stage or when `n_{k−1}` is 0. */
  stepConversion: number | null;
  /** `n_k / n_1`; null when `n_1` is 0. */
  overallConversion: number | null;
  /** `n_{k−1} − n_k`; null for the first stage. */
  dropOff: number | null;
  /** Median hours from the previous stage (strict mode); null for the first stage or loose mode. */
  medianHours: number | null;
}

const MAX_STAGES = 31;

/** Validated params of `funnel` (`stages` null: ordered by distinct entities). */
export interface FunnelParams {
  mode: 'strict' | 'loose';
  entity: string;
  stageField: string;
  dateField: string;
  windowDays: number | null;
  breakdown: string | null;
  where: FilterClause[];
  spend: number | null;
  stages: string[] | null;
}

/** Param checks, in the memory order (the same `bad_params` on every backend). */
export function funnelParams(params: Record<string, unknown>, source: string): FunnelParams {
  const mode = enumParam(params, 'mode', ['strict', 'loose'] as const, 'strict');
  const entity = strParam(params, 'entity', 'user_id');
  const stageField = strParam(params, 'stageField', 'stage');
  const dateField = dateFieldOf(source, params.dateField);
  const windowDays = numParam(params, 'windowDays', null);
  if (windowDays !== null && windowDays <= 0)
    throw badParam('windowDays', '"windowDays" must be positive', windowDays);
  const breakdown =
    params.breakdown === undefined || params.breakdown === null ? null : strParam(params, 'breakdown', '');
  const where = whereParam(params);
  const spend = numParam(params, 'spend', null);
  let stages: string[] | null = null;
  if (params.stages !== undefined && params.stages !== null) {
    const s = params.stages;
    if (
      !Array.isArray(s) ||
      s.length === 0 ||
      !s.every((x) => typeof x === 'string') ||
      new Set(s).size !== s.length
    ) {
      throw badParam('stages', '"stages" must be a non-empty list of distinct stage names', s);
    }
    if (s.length > MAX_STAGES) throw badParam('stages', `At most ${MAX_STAGES} stages`, s.length);
    stages = s as string[];
  }
  return { mode, entity, stageField, dateField, windowDays, breakdown, where, spend, stages };
}

/** Stage order without `stages`: by distinct entities descending, ties by label; at most 31. */
export function stageOrder(labels: readonly string[], distinct: ArrayLike<number | null>): string[] {
  const codes = labels.map((_, c) => c).filter((c) => (distinct[c] ?? 0) > 0);
  codes.sort((a, b) => (distinct[b] ?? 0) - (distinct[a] ?? 0) || cmpStr(labels[a]!, labels[b]!));
  return codes.slice(0, MAX_STAGES).map((c) => labels[c]!);
}

/** What the counting gives `funnelResult()`: counts, row classification, groups and spend. */
export interface FunnelAgg extends FunnelCounts {
  stages: string[];
  /** Group labels by group index (the missing group last); null without `breakdown`. */
  labels: Array<string | null> | null;
  rows: number;
  used: number;
  missingEntity: number;
  missingTime: number;
  otherStage: number;
  entities: number;
  /** Σ spend of the selected `campaign_spend` rows (r10), per breakdown label when it applies; null: no spend data. */
  spend: { total: number; byLabel: Map<string, number> | null } | null;
  /**
   * Median hours per stage, already computed (the SQL backends' strict mode: `diffs` then empty):
   * `byGroup[g * K + k]` and `overall[k]`, NaN where no entity reached stage k.
   */
  medianHours?: { byGroup: Float64Array; overall: Float64Array };
}

function runFunnel(
  ctx: MetricContext,
  params: Record<string, unknown>,
  source: string,
): MetricResult<FunnelRow> {
  const p = funnelParams(params, source);
  const { mode, entity, stageField, dateField, windowDays, breakdown, where } = p;

  const ds = ctx.dataset(source);
  const user = catCol(ctx, source, entity, 'entity');
  const stage = catCol(ctx, source, stageField, 'stageField');
  const time = dateCol(ctx, source, dateField).data;
  const group: CatColumn | null = breakdown ? catCol(ctx, source, breakdown, 'breakdown') : null;
  const rows = ctx.rows(source, where);
  const list = rowList(ds, rows);

  // Stage order: given, else by distinct entities descending (ties by label).
  let stages: string[];
  if (p.stages) stages = p.stages;
  else {
    const d = evalGrouped(
      ctx,
      source,
      { agg: 'distinct', field: entity },
      rows,
      stage.codes,
      stage.dict.length,
    );
    stages = stageOrder(stage.dict, d.values);
  }
  const K = stages.length;
  const posOfCode = new Int32Array(stage.dict.length).fill(-1);
  stage.dict.forEach((s, c) => {
    const k = stages.indexOf(s);
    if (k >= 0) posOfCode[c] = k;
  });

  // Groups: breakdown codes, with the missing value as the last group (ranked last).
  const G = group ? group.dict.length + 1 : 1;
  const gMissing = G - 1;
  const rank = new Int32Array(G);
  if (group) rank.set(labelRanks(group.dict));
  rank[gMissing] = gMissing;

  // Keep rows with an entity, a funnel stage and a time.
  const kept = new Int32Array(list.length);
  let nk = 0;
  let missingEntity = 0;
  let missingTime = 0;
  let otherStage = 0;
  const pos = new Int32Array(ds.n);
  const grp = new Int32Array(ds.n);
  const seenUser = new Uint8Array(user.dict.length);
  let entities = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    if (user.codes[i]! < 0) missingEntity++;
    else if (Number.isNaN(time[i]!)) missingTime++;
    else if (stage.codes[i]! < 0 || posOfCode[stage.codes[i]!]! < 0) otherStage++;
    else {
      if (!seenUser[user.codes[i]!]) {
        seenUser[user.codes[i]!] = 1;
        entities++;
      }
      kept[nk++] = i;
      pos[i] = posOfCode[stage.codes[i]!]!;
      const gc = group ? group.codes[i]! : 0;
      grp[i] = gc < 0 ? gMissing : gc;
    }
  }
  const events: FunnelEvents = {
    kept: kept.subarray(0, nk),
    user: user.codes,
    nUsers: user.dict.length,
    pos,
    time,
    grp,
    rank,
  };
  const c = funnelCounts(events, mode, K, G, windowDays === null ? Infinity : windowDays * 86400000);

  // Acquisition cost: spend from `campaign_spend` (filters on the event time map to its date).
  let spend: FunnelAgg['spend'] = null;
  if (p.spend === null && ctx.has('campaign_spend')) {
    const spendDs = ctx.dataset('campaign_spend');
    const spendCol = spendDs.cols.spend;
    if (spendCol && spendCol.kind === 'num') {
      const sRows = rowList(spendDs, ctx.rows('campaign_spend', spendFilters(ctx, p)));
      let total = 0;
      const byCol = breakdown ? ctx.tryCol('campaign_spend', breakdown) : null;
      const byCode = byCol && byCol.kind === 'cat' ? new Float64Array(byCol.dict.length) : null;
      for (let k = 0; k < sRows.length; k++) {
        const i = sRows[k]!;
        const v = spendCol.data[i]!;
        if (v !== v) continue;
        total += v;
        if (byCode && byCol && byCol.kind === 'cat') {
          const code = byCol.codes[i]!;
          if (code >= 0) byCode[code]! += v;
        }
      }
      let byLabel: Map<string, number> | null = null;
      if (byCode && byCol && byCol.kind === 'cat') {
        byLabel = new Map();
        byCol.dict.forEach((s, code) => byLabel!.set(s, r10(byCode[code]!)));
      }
      spend = { total: r10(total), byLabel };
    }
  }
  return funnelResult(ctx, p, {
    ...c,
    stages,
    labels: group ? [...group.dict, null] : null,
    rows: list.length,
    used: nk,
    missingEntity,
    missingTime,
    otherStage,
    entities,
    spend,
  });
}

/**
 * The clauses `campaign_spend` is read with (besides the request's filters): clauses on the event
 * time (request filters and `where`) mapped to the spend `date`, and `where` clauses on fields
 * `campaign_spend` has (`tryCol` resolves it there).
 */
export function spendFilters(
  ctx: { filters: FilterClause[]; tryCol(name: string, field: string): unknown },
  p: FunnelParams,
): FilterClause[] {
  const mapped: FilterClause[] = [];
  for (const cl of [...ctx.filters, ...p.where]) {
    const m = /^(.*?)(\.(month|day|week|hour|dow))?$/.exec(cl.field)!;
    if (m[1] === p.dateField) mapped.push({ ...cl, field: `date${m[2] ?? ''}` } as FilterClause);
    else if (p.where.includes(cl) && ctx.tryCol('campaign_spend', m[1]!)) mapped.push(cl);
  }
  return mapped;
}

/** Rows, basis, quality and meta of `funnel` from the counts (shared by every backend). */
export function funnelResult(ctx: BasisContext, p: FunnelParams, agg: FunnelAgg): MetricResult<FunnelRow> {
  const { mode, entity, stageField, dateField, windowDays, breakdown, where } = p;
  const spendParam = p.spend;
  const { stages, labels } = agg;
  const c = agg;
  const K = stages.length;
  const G = labels ? labels.length : 1;
  const nk = agg.used;
  // Rows.
  const medianFor = (k: number, g: number | null): number | null => {
    if (mode !== 'strict' || k === 0) return null;
    if (agg.medianHours) {
      const m = g === null ? agg.medianHours.overall[k]! : agg.medianHours.byGroup[g * K + k]!;
      return Number.isNaN(m) ? null : r10(m);
    }
    const all = c.diffs[k]!.view();
    let vals: Float64Array;
    if (g === null) vals = Float64Array.from(all);
    else {
      const gs = c.diffGroups[k]!.view();
      const buf = new F64Buf();
      for (let j = 0; j < all.length; j++) if (gs[j] === g) buf.push(all[j]!);
      vals = Float64Array.from(buf.view());
    }
    if (vals.length === 0) return null;
    return r10(medianInPlace(vals));
  };
  const stageRows = (counts: ArrayLike<number>, g: number | null, label?: string | null): FunnelRow[] => {
    const out: FunnelRow[] = [];
    const n1 = counts[0] ?? 0;
    for (let k = 0; k < K; k++) {
      const n = counts[k]!;
      const prev = k > 0 ? counts[k - 1]! : null;
      const row: FunnelRow = {
        stage: stages[k]!,
        step: k + 1,
        count: n,
        stepConversion: prev === null ? null : ratio(n, prev),
        overallConversion: ratio(n, n1),
        dropOff: prev === null ? null : prev - n,
        medianHours: medianFor(k, g),
      };
      out.push(label === undefined ? row : { group: label, ...row });
    }
    return out;
  };
  const total = new Float64Array(K);
  for (let g = 0; g < G; g++) for (let k = 0; k < K; k++) total[k]! += c.counts[g * K + k]!;
  const overall = stageRows(total, null);

  let data: FunnelRow[] = overall;
  const groupsOut: Array<{ group: string | null; g: number }> = [];
  if (labels) {
    for (let g = 0; g < G; g++) {
      let any = 0;
      for (let k = 0; k < K; k++) any += c.counts[g * K + k]!;
      if (any > 0) groupsOut.push({ group: labels[g] ?? null, g });
    }
    groupsOut.sort(
      (p, q) =>
        c.counts[q.g * K]! - c.counts[p.g * K]! ||
        (p.group === null ? 1 : q.group === null ? -1 : cmpStr(p.group, q.group)),
    );
    data = [];
    for (const { group: label, g } of groupsOut)
      data.push(...stageRows(c.counts.subarray(g * K, g * K + K), g, label));
  }

  // Acquisition cost.
  const nLast = K > 0 ? total[K - 1]! : 0;
  let cac: Record<string, unknown> | null = null;
  let cacByGroup: Array<Record<string, unknown>> | null = null;
  if (spendParam !== null) {
    cac = { spend: spendParam, customers: nLast, cac: ratio(spendParam, nLast), source: 'param' };
  } else if (agg.spend) {
    const spend = agg.spend.total;
    cac = { spend, customers: nLast, cac: ratio(spend, nLast), source: 'campaign_spend' };
    const byLabel = agg.spend.byLabel;
    if (byLabel && labels) {
      cacByGroup = groupsOut.map(({ group: label, g }) => {
        const sp = label === null ? 0 : (byLabel.get(label) ?? 0);
        const n = c.counts[g * K + K - 1]!;
        return { group: label, spend: sp, customers: n, cac: ratio(sp, n) };
      });
    }
  }

  const notes: LocalText[] = [
    p.stages
      ? t('阶段顺序按参数 stages。', 'Stage order as given in `stages`.')
      : t(
          '未给出 stages：按各阶段去重实体数降序排列（并列按名称）。',
          'No `stages` given: stages ordered by distinct entities, descending (ties by name).',
        ),
    mode === 'strict'
      ? t(
          '严格模式：实体在第 k 阶段计数，仅当其按时间不减的顺序依次到达第 1…k−1 阶段（设窗口时须在第 1 阶段后窗口内）；取到达最深的路径，中位时长按该路径计算（小时）。',
          'Strict: an entity counts at stage k only if it reached stages 1..k−1 at non-decreasing times (within the window from stage 1 when set); the deepest journey is used, and median hours are measured along it.',
        )
      : t(
          '宽松模式：各阶段有事件的去重实体数；计数可能不单调，转化率可能大于 1；不计算时长。',
          'Loose: distinct entities with an event at the stage; counts need not decrease, conversions may exceed 1; no durations.',
        ),
  ];
  if (labels) {
    notes.push(
      t(
        `分组按首次触点归因：实体计入其计数路径起点（严格）或最早第 1 阶段事件（宽松；无则最早事件）的 ${breakdown} 值。`,
        `Breakdown by first touch: an entity belongs to the ${breakdown} of its counted journey's first event (strict) or of its earliest stage-1 event (loose; else its earliest event).`,
      ),
    );
  }
  if (cac) {
    notes.push(
      t(
        '获客成本 CAC = 投放费用合计 / 最后阶段人数；费用按渠道、活动与日期筛选（事件时间筛选映射到费用日期）。',
        'CAC = Σ spend / entities at the last stage; spend honours channel, campaign and date filters (event-time filters map to the spend date).',
      ),
    );
  }
  const basis = makeBasis(ctx, {
    metric: 'funnel',
    title: t('转化漏斗', 'Funnel'),
    formula: t(
      '各阶段人数 n_k；步转化 n_k / n_{k−1}；总转化 n_k / n_1；流失 n_{k−1} − n_k',
      'Count n_k per stage; step conversion n_k / n_{k−1}; overall conversion n_k / n_1; drop-off n_{k−1} − n_k',
    ),
    numerator: t('到达第 k 阶段的去重实体数', 'Distinct entities reaching stage k'),
    denominator: t('上一阶段（或第 1 阶段）的实体数', 'Entities at the previous (or first) stage'),
    measure: 'count',
    asOf: null,
    options: { stages, mode, windowDays, entity, stageField, dateField, breakdown, where, spend: spendParam },
    exclusions: [
      t(
        '缺少实体、时间或不属于所列阶段的事件不计入。',
        'Events without an entity or time, or of stages not listed, are left out.',
      ),
    ],
    notes,
  });
  const quality = makeQuality(agg.rows, nk, {
    missing_entity: agg.missingEntity,
    missing_time: agg.missingTime,
    other_stage: agg.otherStage,
  });
  const meta: Record<string, unknown> = { stages, mode, entities: agg.entities };
  if (labels) meta.overall = overall;
  if (cac) meta.cac = cac;
  if (cacByGroup) meta.cacByGroup = cacByGroup;
  if (nk === 0 || K === 0) return result([], basis, quality, meta);
  return result(data, basis, quality, meta);
}

export const funnelMetric: MetricDef = {
  id: 'funnel',
  source: 'funnel_events',
  reads: ['campaign_spend'],
  run: (ctx, params, source) => runFunnel(ctx, params ?? {}, source),
};
