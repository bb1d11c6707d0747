/**
 * `sankey`: inflow categories → a customer dimension → outflow categories (METRICS.md, Sankey).
 * Link value = Σ amount; the top N categories per side are kept, the rest folded into one `other`
 * node. Flow is conserved: a middle node's incoming links sum to its inflow, outgoing to its outflow.
 */
import type { Column } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, result, t } from '../metric.js';
import type { FilterClause, LocalText, MetricResult } from '../types.js';
import {
  badParam,
  cmpStr,
  enumParam,
  intParam,
  numericValues,
  rowList,
  strParam,
  whereParam,
} from './generic-util.js';

export interface SankeyLink {
  /** Node id (`in:…`, `mid:…`). */
  source: string;
  /** Node id (`mid:…`, `out:…`). */
  target: string;
  value: number;
}

export interface SankeyNode {
  /** Unique across sides: `in:<category>`, `mid:<value>`, `out:<category>`; synthetic `…:__other__`, `mid:__all__`, `mid:__missing__`. */
  id: string;
  label: string;
  side: 'in' | 'mid' | 'out';
  /** Σ of the node's links (middle nodes: the larger of inflow and outflow, as d3-sankey). */
  value: number;
  /** Middle nodes: Σ incoming and Σ outgoing links. */
  inflow?: number;
  outflow?: number;
  /** True for nodes that do not come from a data value (`other`, all customers, missing). */
  synthetic?: boolean;
}

const OTHER = '__other__';
const ALL = '__all__';
const MISSING = '__missing__';

interface Side {
  /** Per dictionary code: folded node index. */
  nodeOf: Int32Array;
  /** Node index for missing values. */
  missingNode: number;
  nodes: Array<{ key: string; label: string; synthetic: boolean }>;
}

/** Keep the top `n` codes by total (ties by label), fold the rest and missing values into `other`. */
function foldSide(
  dict: readonly string[],
  totals: Float64Array,
  missingTotal: number,
  n: number,
  otherLabel: string,
): Side {
  const present: number[] = [];
  for (let c = 0; c < dict.length; c++) if (totals[c]! > 0) present.push(c);
  present.sort((a, b) => totals[b]! - totals[a]! || cmpStr(dict[a]!, dict[b]!));
  const nodeOf = new Int32Array(dict.length).fill(-1);
  const nodes: Side['nodes'] = [];
  const keep = present.length <= n ? present : present.slice(0, n);
  keep.forEach((c, j) => {
    nodeOf[c] = j;
    nodes.push({ key: dict[c]!, label: dict[c]!, synthetic: false });
  });
  const needOther = present.length > keep.length || missingTotal > 0;
  const otherIdx = needOther ? nodes.length : -1;
  if (needOther) {
    nodes.push({ key: OTHER, label: otherLabel, synthetic: true });
    for (const c of present.slice(keep.length)) nodeOf[c] = otherIdx;
  }
  return { nodeOf, missingNode: otherIdx, nodes };
}

/** Validated params of sankey (the `…Params()` step, shared by every backend). */
export interface SankeyParams {
  locale: 'zh-CN' | 'en-US';
  left: string;
  right: string;
  explicitMiddle: boolean;
  middleParam: string | null;
  top: number;
  topMiddle: number;
  amountField: string;
  directionField: string;
  where: FilterClause[];
}

export function sankeyParams(params: Record<string, unknown>): SankeyParams {
  const locale = enumParam(params, 'locale', ['zh-CN', 'en-US'] as const, 'zh-CN');
  const left = strParam(params, 'left', 'category');
  const right = strParam(params, 'right', 'category');
  const explicitMiddle = params.middle !== undefined;
  const middleParam = params.middle === null ? null : strParam(params, 'middle', 'segment');
  const top = intParam(params, 'top', 8, 1, 1000);
  const topMiddle = intParam(params, 'topMiddle', 20, 1, 1000);
  const amountField = strParam(params, 'amountField', 'amount');
  const directionField = strParam(params, 'directionField', 'direction');
  const where = whereParam(params);
  return {
    locale,
    left,
    right,
    explicitMiddle,
    middleParam,
    top,
    topMiddle,
    amountField,
    directionField,
    where,
  };
}

/** The warning of a middle dimension that cannot be resolved (the middle becomes one node). */
export function noMiddleWarning(middleParam: string): LocalText {
  return t(
    `无法取得客户维度 ${middleParam}（客户表未加载？），中间层合并为一个节点。`,
    `The customer dimension ${middleParam} is not available (customers not loaded?); the middle is one node.`,
  );
}

/**
 * The aggregation step's answer: Σ amount per (left value × middle value) of inflows and per
 * (middle value × right value) of outflows over the valid rows; each axis's last index = missing.
 */
export interface SankeyAgg {
  n: number;
  used: number;
  skipped: number;
  /** The middle dimension used (null: one node), and warnings. */
  middle: string | null;
  warnings: LocalText[];
  leftDict: readonly string[];
  rightDict: readonly string[];
  /** Null without a middle dimension. */
  midDict: readonly string[] | null;
  rawIn: Float64Array;
  rawOut: Float64Array;
}

function runSankey(
  ctx: MetricContext,
  params: Record<string, unknown>,
  source: string,
): MetricResult<SankeyLink> {
  const p = sankeyParams(params);
  const { left, right, explicitMiddle, middleParam, amountField, directionField, where } = p;
  const ds = ctx.dataset(source);
  const amt = numericValues(ctx.col(source, amountField), 'amountField', amountField);
  const dirCol = ctx.col(source, directionField);
  const leftCol = ctx.col(source, left);
  const rightCol = ctx.col(source, right);
  if (dirCol.kind !== 'cat')
    throw badParam('directionField', `Field "${directionField}" is not a category`, directionField);
  if (leftCol.kind !== 'cat') throw badParam('left', `Field "${left}" is not a category`, left);
  if (rightCol.kind !== 'cat') throw badParam('right', `Field "${right}" is not a category`, right);
  const warnings: LocalText[] = [];
  let midCol: Column | null = null;
  let middle = middleParam;
  if (middleParam !== null) {
    midCol = explicitMiddle ? ctx.col(source, middleParam) : ctx.tryCol(source, middleParam);
    if (!midCol) {
      middle = null;
      warnings.push(noMiddleWarning(middleParam));
    } else if (midCol.kind !== 'cat')
      throw badParam('middle', `Field "${middleParam}" is not a category`, middleParam);
  }
  const mid = midCol && midCol.kind === 'cat' ? midCol : null;
  const dirOf = new Int8Array(dirCol.dict.length).fill(-1);
  dirCol.dict.forEach((s, c) => (dirOf[c] = s === 'in' ? 0 : s === 'out' ? 1 : -1));
  const list = rowList(ds, ctx.rows(source, where));

  // One pass into raw (category × middle value) tables; the last index of each axis = missing.
  const Ld = leftCol.dict.length;
  const Rd = rightCol.dict.length;
  const midD = mid ? mid.dict.length : 0;
  const M1 = midD + 1;
  if ((Ld + 1) * M1 + M1 * (Rd + 1) > 1 << 23) {
    throw badParam(
      'middle',
      `Too many values for a sankey (${middleParam}: ${midD}); choose a coarser middle dimension`,
      middleParam,
    );
  }
  const rawIn = new Float64Array((Ld + 1) * M1);
  const rawOut = new Float64Array(M1 * (Rd + 1));
  let skipped = 0;
  let used = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const a = amt[i]!;
    const dc = dirCol.codes[i]!;
    const dir = dc < 0 ? -1 : dirOf[dc]!;
    if (a !== a || a <= 0 || dir < 0) {
      skipped++;
      continue;
    }
    used++;
    const mc = mid ? mid.codes[i]! : 0;
    const m = mc < 0 ? midD : mc;
    if (dir === 0) {
      const c = leftCol.codes[i]!;
      rawIn[(c < 0 ? Ld : c) * M1 + m]! += a;
    } else {
      const c = rightCol.codes[i]!;
      rawOut[m * (Rd + 1) + (c < 0 ? Rd : c)]! += a;
    }
  }
  return sankeyResult(ctx, p, {
    n: list.length,
    used,
    skipped,
    middle,
    warnings,
    leftDict: leftCol.dict,
    rightDict: rightCol.dict,
    midDict: mid ? mid.dict : null,
    rawIn,
    rawOut,
  });
}

/** The answer (the `…Result()` step, shared by every backend): folding, links, nodes, basis. */
export function sankeyResult(ctx: BasisContext, p: SankeyParams, agg: SankeyAgg): MetricResult<SankeyLink> {
  const { locale, left, right, top, topMiddle, amountField, directionField, where } = p;
  const L = (x: LocalText): string => x[locale];
  const { middle, warnings, rawIn, rawOut, used, skipped } = agg;
  const Ld = agg.leftDict.length;
  const Rd = agg.rightDict.length;
  const midD = agg.midDict ? agg.midDict.length : 0;
  const M1 = midD + 1;
  const mid = agg.midDict ? { dict: agg.midDict } : null;
  const leftCol = { dict: agg.leftDict };
  const rightCol = { dict: agg.rightDict };
  // Totals per left category (inflow), right category (outflow) and middle value (in + out).
  const inTot = new Float64Array(Ld + 1);
  const outTot = new Float64Array(Rd + 1);
  const midTot = new Float64Array(M1);
  for (let c = 0; c <= Ld; c++) {
    for (let m = 0; m < M1; m++) {
      inTot[c]! += rawIn[c * M1 + m]!;
      midTot[m]! += rawIn[c * M1 + m]!;
    }
  }
  for (let m = 0; m < M1; m++) {
    for (let c = 0; c <= Rd; c++) {
      outTot[c]! += rawOut[m * (Rd + 1) + c]!;
      midTot[m]! += rawOut[m * (Rd + 1) + c]!;
    }
  }
  const otherLabel = L(t('其他', 'Other'));
  const lSide = foldSide(leftCol.dict, inTot.subarray(0, Ld), inTot[Ld]!, top, otherLabel);
  const rSide = foldSide(rightCol.dict, outTot.subarray(0, Rd), outTot[Rd]!, top, otherLabel);
  let mSide: Side;
  if (mid) {
    mSide = foldSide(mid.dict, midTot.subarray(0, midD), 0, topMiddle, otherLabel);
    if (midTot[midD]! > 0) {
      mSide.missingNode = mSide.nodes.length;
      mSide.nodes.push({ key: MISSING, label: L(t('未知', 'Unknown')), synthetic: true });
    }
  } else {
    mSide = {
      nodeOf: new Int32Array(0),
      missingNode: 0,
      nodes: [{ key: ALL, label: L(t('客户', 'Customers')), synthetic: true }],
    };
  }
  const nL = lSide.nodes.length;
  const nM = mSide.nodes.length;
  const nR = rSide.nodes.length;
  const lNode = (c: number): number => (c === Ld ? lSide.missingNode : lSide.nodeOf[c]!);
  const rNode = (c: number): number => (c === Rd ? rSide.missingNode : rSide.nodeOf[c]!);
  const mNode = (m: number): number => (!mid ? 0 : m === midD ? mSide.missingNode : mSide.nodeOf[m]!);

  // Links on folded nodes.
  const inLinks = new Float64Array(nL * nM);
  const outLinks = new Float64Array(nM * nR);
  for (let c = 0; c <= Ld; c++) {
    for (let m = 0; m < M1; m++) {
      const v = rawIn[c * M1 + m]!;
      if (v > 0) inLinks[lNode(c) * nM + mNode(m)]! += v;
    }
  }
  for (let m = 0; m < M1; m++) {
    for (let c = 0; c <= Rd; c++) {
      const v = rawOut[m * (Rd + 1) + c]!;
      if (v > 0) outLinks[mNode(m) * nR + rNode(c)]! += v;
    }
  }

  const id = (side: 'in' | 'mid' | 'out', key: string): string => `${side}:${key}`;
  const data: SankeyLink[] = [];
  const nodeIn = new Float64Array(nL);
  const nodeOut = new Float64Array(nR);
  const midIn = new Float64Array(nM);
  const midOut = new Float64Array(nM);
  for (let l = 0; l < nL; l++) {
    for (let m = 0; m < nM; m++) {
      const v = inLinks[l * nM + m]!;
      if (v <= 0) continue;
      nodeIn[l]! += v;
      midIn[m]! += v;
      data.push({
        source: id('in', lSide.nodes[l]!.key),
        target: id('mid', mSide.nodes[m]!.key),
        value: r10(v),
      });
    }
  }
  for (let m = 0; m < nM; m++) {
    for (let r = 0; r < nR; r++) {
      const v = outLinks[m * nR + r]!;
      if (v <= 0) continue;
      nodeOut[r]! += v;
      midOut[m]! += v;
      data.push({
        source: id('mid', mSide.nodes[m]!.key),
        target: id('out', rSide.nodes[r]!.key),
        value: r10(v),
      });
    }
  }
  const nodes: SankeyNode[] = [];
  const node = (
    side: 'in' | 'mid' | 'out',
    n: Side['nodes'][number],
    value: number,
    extra: Partial<SankeyNode> = {},
  ): SankeyNode => ({
    id: id(side, n.key),
    label: n.label,
    side,
    value: r10(value),
    ...extra,
    ...(n.synthetic ? { synthetic: true } : {}),
  });
  lSide.nodes.forEach((n, l) => nodeIn[l]! > 0 && nodes.push(node('in', n, nodeIn[l]!)));
  mSide.nodes.forEach((n, m) => {
    if (midIn[m]! > 0 || midOut[m]! > 0) {
      nodes.push(
        node('mid', n, Math.max(midIn[m]!, midOut[m]!), { inflow: r10(midIn[m]!), outflow: r10(midOut[m]!) }),
      );
    }
  });
  rSide.nodes.forEach((n, r) => nodeOut[r]! > 0 && nodes.push(node('out', n, nodeOut[r]!)));

  const basis = makeBasis(ctx, {
    metric: 'sankey',
    title: t('资金流向桑基图', 'Fund-flow sankey'),
    formula: t(
      `流入 ${left} → ${middle ?? '客户'} → 流出 ${right}；连线值 = 金额合计`,
      `inflow ${left} → ${middle ?? 'customers'} → outflow ${right}; link value = Σ amount`,
    ),
    measure: 'amount',
    asOf: null,
    options: { left, middle, right, top, topMiddle, amountField, directionField, locale, where },
    exclusions: [
      t(
        '金额缺失或非正、方向非 in/out 的交易不计入。',
        'Transactions with a missing or non-positive amount or a direction other than in/out are left out.',
      ),
    ],
    notes: [
      t(
        `两侧各保留金额最大的 ${top} 个类别（并列按名称），其余及缺失类别合并为“其他”；中间层最多 ${topMiddle} 个节点。每个中间节点流入连线之和等于其流入，流出连线之和等于其流出。`,
        `Each side keeps its ${top} largest categories (ties by name); the rest and missing categories become "other"; the middle keeps at most ${topMiddle} nodes. Each middle node's incoming links sum to its inflow and its outgoing links to its outflow.`,
      ),
    ],
  });
  const quality = makeQuality(agg.n, used, { invalid_amount_or_direction: skipped }, warnings);
  return result(data, basis, quality, { nodes });
}

export const sankeyMetric: MetricDef = {
  id: 'sankey',
  source: 'transactions',
  reads: ['customers'],
  run: (ctx, params, source) => runSankey(ctx, params ?? {}, source),
};
