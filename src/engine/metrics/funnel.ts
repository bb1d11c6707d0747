/**
 * `funnel`: ordered stages over `funnel_events` (METRICS.md, Funnel). Strict mode follows each
 * entity's journey in time order (stage k counts only after stages 1..k−1 at non-decreasing times,
 * optionally within a window from stage 1); loose mode counts distinct entities per stage.
 * Optional breakdown (first-touch attribution) and acquisition cost from `campaign_spend`.
 */
import type { CatColumn } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { FilterClause, LocalText, MetricResult } from '../types.js';
import {
  F64Buf,
  I32Buf,
  badParam,
  catCol,
  cmpStr,
  countingSort,
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
const HOUR = 3600000;

interface Counts {
  /** counts[g * K + k]. */
  counts: Float64Array;
  /** Per stage (k ≥ 1): hours from stage k−1 and the group of each entity counted at k. */
  diffs: F64Buf[];
  diffGroups: I32Buf[];
}

function runFunnel(
  ctx: MetricContext,
  params: Record<string, unknown>,
  source: string,
): MetricResult<FunnelRow> {
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
  const spendParam = numParam(params, 'spend', null);
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
  }

  const ds = ctx.dataset(source);
  const user = catCol(ctx, source, entity, 'entity');
  const stage = catCol(ctx, source, stageField, 'stageField');
  const time = dateCol(ctx, source, dateField).data;
  const group: CatColumn | null = breakdown ? catCol(ctx, source, breakdown, 'breakdown') : null;
  const rows = ctx.rows(source, where);
  const list = rowList(ds, rows);

  // Stage order: given, else by distinct entities descending (ties by label).
  let stages: string[];
  if (Array.isArray(params.stages)) stages = params.stages as string[];
  else {
    const d = evalGrouped(
      ctx,
      source,
      { agg: 'distinct', field: entity },
      rows,
      stage.codes,
      stage.dict.length,
    );
    const codes = stage.dict.map((_, c) => c).filter((c) => (d.values[c] ?? 0) > 0);
    codes.sort((a, b) => (d.values[b] ?? 0) - (d.values[a] ?? 0) || cmpStr(stage.dict[a]!, stage.dict[b]!));
    stages = codes.slice(0, MAX_STAGES).map((c) => stage.dict[c]!);
  }
  const K = stages.length;
  const posOfCode = new Int32Array(stage.dict.length).fill(-1);
  stage.dict.forEach((s, c) => {
    const k = stages.indexOf(s);
    if (k >= 0) posOfCode[c] = k;
  });

  // Groups: breakdown codes, with the missing value as the last group.
  const G = group ? group.dict.length + 1 : 1;
  const gMissing = G - 1;
  const gRank = group ? labelRanks(group.dict) : new Int32Array(0);
  const groupOf = (i: number): number => {
    if (!group) return 0;
    const c = group.codes[i]!;
    return c < 0 ? gMissing : c;
  };
  const rankOf = (g: number): number => (group && g !== gMissing ? gRank[g]! : gMissing);

  // Keep rows with an entity, a funnel stage and a time.
  const kept = new Int32Array(list.length);
  let nk = 0;
  let missingEntity = 0;
  let missingTime = 0;
  let otherStage = 0;
  // Per kept row: funnel position, and a tie-break key (group label rank, then position) so that
  // equal times order the same way whatever the input order.
  const pos = new Int32Array(ds.n);
  const tie = new Int32Array(ds.n);
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
      const p = posOfCode[stage.codes[i]!]!;
      pos[i] = p;
      tie[i] = rankOf(groupOf(i)) * 32 + p;
    }
  }
  const keptRows = kept.subarray(0, nk);

  const c: Counts = {
    counts: new Float64Array(G * K),
    diffs: Array.from({ length: K }, () => new F64Buf()),
    diffGroups: Array.from({ length: K }, () => new I32Buf()),
  };
  const window = windowDays === null ? Infinity : windowDays * 86400000;

  if (mode === 'loose') {
    const Du = user.dict.length;
    const mask = new Int32Array(Du);
    const firstT = new Float64Array(Du).fill(Infinity);
    const firstG = new Int32Array(Du).fill(-1);
    const firstIsStage1 = new Uint8Array(Du);
    for (let k = 0; k < nk; k++) {
      const i = keptRows[k]!;
      const u = user.codes[i]!;
      const s = pos[i]!;
      mask[u]! |= 1 << s;
      // Attribution: the earliest stage-1 event, else the earliest event (ties: group label order).
      const isS1 = s === 0 ? 1 : 0;
      const g = groupOf(i);
      const ti = time[i]!;
      const better =
        isS1 > firstIsStage1[u]! ||
        (isS1 === firstIsStage1[u]! &&
          (ti < firstT[u]! || (ti === firstT[u]! && rankOf(g) < rankOf(firstG[u]!))));
      if (better) {
        firstIsStage1[u] = isS1;
        firstT[u] = ti;
        firstG[u] = g;
      }
    }
    for (let u = 0; u < Du; u++) {
      const m = mask[u]!;
      if (m === 0) continue;
      const base = firstG[u]! * K;
      for (let s = 0; s < K; s++) if (m & (1 << s)) c.counts[base + s]!++;
    }
  } else if (window === Infinity) {
    // Without a window the journey from the earliest stage-1 event is the deepest, and greedy
    // earliest matches are optimal: t_k = earliest stage-k event at or after t_{k−1}. One pass
    // per stage over that stage's rows; no sorting.
    const Du = user.dict.length;
    const byStage = countingSort(keptRows, pos, 0, K);
    const stageStart = new Int32Array(K + 1);
    for (let k = 0; k < nk; k++) stageStart[pos[byStage[k]!]! + 1]!++;
    for (let k = 0; k < K; k++) stageStart[k + 1]! += stageStart[k]!;
    let prev = new Float64Array(Du).fill(Infinity);
    let cur = new Float64Array(Du).fill(Infinity);
    const gOf = new Int32Array(Du);
    const bestTie = new Int32Array(Du);
    for (let k = 0; k < K; k++) {
      if (k > 0) {
        const tmpArr = prev;
        prev = cur;
        cur = tmpArr.fill(Infinity);
      }
      for (let j = stageStart[k]!; j < stageStart[k + 1]!; j++) {
        const i = byStage[j]!;
        const u = user.codes[i]!;
        const ti = time[i]!;
        if (k === 0) {
          if (ti < cur[u]! || (ti === cur[u]! && tie[i]! < bestTie[u]!)) {
            cur[u] = ti;
            bestTie[u] = tie[i]!;
            gOf[u] = groupOf(i);
          }
        } else if (ti >= prev[u]! && ti < cur[u]!) cur[u] = ti;
      }
      for (let u = 0; u < Du; u++) {
        const tu = cur[u]!;
        if (tu === Infinity) continue;
        c.counts[gOf[u]! * K + k]!++;
        if (k > 0) {
          c.diffs[k]!.push((tu - prev[u]!) / HOUR);
          c.diffGroups[k]!.push(gOf[u]!);
        }
      }
    }
  } else {
    // Entities' events together (counting sort on entity code), each entity's events by time.
    const order = countingSort(keptRows, user.codes, 0, user.dict.length);
    const cmp = (a: number, b: number): number => time[a]! - time[b]! || tie[a]! - tie[b]!;
    const tmp = new Float64Array(K);
    const best = new Float64Array(K);
    let a = 0;
    while (a < order.length) {
      const u = user.codes[order[a]!]!;
      let b = a + 1;
      while (b < order.length && user.codes[order[b]!] === u) b++;
      // Sort the segment by time (insertion sort: segments are short).
      if (b - a > 32) order.subarray(a, b).sort(cmp);
      else {
        for (let x = a + 1; x < b; x++) {
          const v = order[x]!;
          let y = x - 1;
          while (y >= a && cmp(order[y]!, v) > 0) {
            order[y + 1] = order[y]!;
            y--;
          }
          order[y + 1] = v;
        }
      }
      let bestDepth = 0;
      let bestStart = -1;
      let first = a;
      for (let s = a; s < b; s++) {
        const is = order[s]!;
        if (pos[is] !== 0) continue;
        const t1 = time[is]!;
        const limit = t1 + window;
        while (time[order[first]!]! < t1) first++;
        tmp[0] = t1;
        let depth = 1;
        let tPrev = t1;
        let ptr = first;
        for (let k = 1; k < K; k++) {
          while (ptr < b && time[order[ptr]!]! < tPrev) ptr++;
          let found = false;
          for (let j = ptr; j < b; j++) {
            const ij = order[j]!;
            const tj = time[ij]!;
            if (tj > limit) break;
            if (pos[ij] === k) {
              tPrev = tj;
              tmp[k] = tj;
              found = true;
              break;
            }
          }
          if (!found) break;
          depth++;
        }
        if (depth > bestDepth) {
          bestDepth = depth;
          bestStart = is;
          best.set(tmp);
        }
        // Without a window the earliest start is optimal; with one, later starts may reach further.
        if (bestDepth === K || window === Infinity) break;
      }
      if (bestDepth > 0) {
        const g = groupOf(bestStart);
        const base = g * K;
        for (let k = 0; k < bestDepth; k++) {
          c.counts[base + k]!++;
          if (k > 0) {
            c.diffs[k]!.push((best[k]! - best[k - 1]!) / HOUR);
            c.diffGroups[k]!.push(g);
          }
        }
      }
      a = b;
    }
  }

  // Rows.
  const medianFor = (k: number, g: number | null): number | null => {
    if (mode !== 'strict' || k === 0) return null;
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
  if (group) {
    for (let g = 0; g < G; g++) {
      let any = 0;
      for (let k = 0; k < K; k++) any += c.counts[g * K + k]!;
      if (any > 0) groupsOut.push({ group: g === gMissing ? null : group.dict[g]!, g });
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
  } else if (ctx.has('campaign_spend')) {
    const spendDs = ctx.dataset('campaign_spend');
    const spendCol = spendDs.cols.spend;
    if (spendCol && spendCol.kind === 'num') {
      const mapped: FilterClause[] = [];
      for (const cl of [...ctx.filters, ...where]) {
        const m = /^(.*?)(\.(month|day|week|hour|dow))?$/.exec(cl.field)!;
        if (m[1] === dateField) mapped.push({ ...cl, field: `date${m[2] ?? ''}` } as FilterClause);
        else if (where.includes(cl) && ctx.tryCol('campaign_spend', m[1]!)) mapped.push(cl);
      }
      const sRows = rowList(spendDs, ctx.rows('campaign_spend', mapped));
      let spend = 0;
      const byCol = breakdown ? ctx.tryCol('campaign_spend', breakdown) : null;
      const byCode = byCol && byCol.kind === 'cat' ? new Float64Array(byCol.dict.length) : null;
      for (let k = 0; k < sRows.length; k++) {
        const i = sRows[k]!;
        const v = spendCol.data[i]!;
        if (v !== v) continue;
        spend += v;
        if (byCode && byCol && byCol.kind === 'cat') {
          const code = byCol.codes[i]!;
          if (code >= 0) byCode[code]! += v;
        }
      }
      spend = r10(spend);
      cac = { spend, customers: nLast, cac: ratio(spend, nLast), source: 'campaign_spend' };
      if (byCode && byCol && byCol.kind === 'cat' && group) {
        const idx = new Map<string, number>();
        byCol.dict.forEach((s, code) => idx.set(s, code));
        cacByGroup = groupsOut.map(({ group: label, g }) => {
          const code = label === null ? undefined : idx.get(label);
          const sp = code === undefined ? 0 : r10(byCode[code]!);
          const n = c.counts[g * K + K - 1]!;
          return { group: label, spend: sp, customers: n, cac: ratio(sp, n) };
        });
      }
    }
  }

  const notes: LocalText[] = [
    Array.isArray(params.stages)
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
  if (group) {
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
  const quality = makeQuality(list.length, nk, {
    missing_entity: missingEntity,
    missing_time: missingTime,
    other_stage: otherStage,
  });
  const meta: Record<string, unknown> = { stages, mode, entities };
  if (group) meta.overall = overall;
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
