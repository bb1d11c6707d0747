/**
 * `fund_flow`: inflow, outflow, net and cumulative net per period, optionally by a dimension
 * (METRICS.md, Flows).
 */
import { BEFORE_WINDOW, capPeriods, periodCapWarning } from './period-cap.js';
import { NULL_INDEX } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, result, t } from '../metric.js';
import type { FilterClause, MetricResult } from '../types.js';
import type { PeriodUnit } from './generic-util.js';
import type { PeriodWindow } from './period-cap.js';
import {
  PERIOD_UNITS,
  badParam,
  cmpStr,
  dateCol,
  dateFieldOf,
  enumParam,
  numericValues,
  periodIndexes,
  periodLabel,
  rowList,
  strParam,
  whereParam,
} from './generic-util.js';

/** One period (of one group when `by` is set). */
export interface FundFlowRow {
  /** Period label (`YYYY-MM-DD` day / week Monday, `YYYY-MM`, `YYYY-Qn`, `YYYY`). */
  period: string;
  /** Value of the `by` dimension (only with `by`; null = missing). */
  group?: string | null;
  /** Σ amount, direction `in`. */
  inflow: number;
  /** Σ amount, direction `out`. */
  outflow: number;
  /** inflow − outflow. */
  net: number;
  /** Σ net from the first period up to this one (per group). */
  cumulativeNet: number;
  /** Transactions in the period (both directions). */
  count: number;
}

/** Validated params of fund_flow (the `…Params()` step, shared by every backend). */
export interface FundFlowParams {
  unit: PeriodUnit;
  dateField: string;
  amountField: string;
  directionField: string;
  by: string | null;
  where: FilterClause[];
}

export function fundFlowParams(params: Record<string, unknown>, source: string): FundFlowParams {
  const unit = enumParam(params, 'unit', PERIOD_UNITS, 'month');
  const dateField = dateFieldOf(source, params.dateField);
  const amountField = strParam(params, 'amountField', 'amount');
  const directionField = strParam(params, 'directionField', 'direction');
  const by = params.by === undefined || params.by === null ? null : strParam(params, 'by', '');
  const where = whereParam(params);
  return { unit, dateField, amountField, directionField, by, where };
}

/** The aggregation step's answer: flows per group × period cell over the (capped) period window. */
export interface FundFlowAgg {
  /** Selected rows. */
  n: number;
  /** First period of the window and periods in it; null when no row has a date. */
  lo: number;
  nP: number;
  win: PeriodWindow | null;
  /** Groups (index g): label per group (null = missing value; one group without `by`). */
  labels: Array<string | null>;
  /** Per cell `g × nP + (period − lo)`. */
  inflow: Float64Array;
  outflow: Float64Array;
  count: Float64Array;
  missingDate: number;
  missingAmount: number;
  badDirection: number;
  beforeWindow: number;
  used: number;
}

/** The answer (the `…Result()` step, shared by every backend). */
export function fundFlowResult(
  ctx: BasisContext,
  p: FundFlowParams,
  agg: FundFlowAgg,
): MetricResult<FundFlowRow> {
  const { unit, by, dateField, amountField, directionField, where } = p;
  const options = { unit, by, dateField, amountField, directionField, where };
  const basis = makeBasis(ctx, {
    metric: 'fund_flow',
    title: t('资金流向', 'Fund flow'),
    formula: t(
      '净流入 = 流入（方向 in）合计 − 流出（方向 out）合计；累计净流入按期累加',
      'net = Σ amount (in) − Σ amount (out); cumulative net summed over periods',
    ),
    measure: 'amount',
    asOf: null,
    options,
    exclusions: [
      t(
        '缺少日期、金额或方向（非 in/out）的交易不计入。',
        'Transactions without a date, an amount or an in/out direction are left out.',
      ),
    ],
    notes: [
      t(
        '期间连续（无交易的期间流量为 0）；分组按流入加流出总额降序（并列按名称），缺失值为 null 组。',
        'Periods are continuous (a period without transactions has zero flows); groups are ordered by inflow + outflow, descending (ties by name); a missing value forms the null group.',
      ),
    ],
  });
  const { win, lo, nP, labels, inflow, outflow, count, used } = agg;
  if (!win)
    return result([], basis, makeQuality(agg.n, 0, { missing_date: agg.n }), {
      periods: [],
      groups: [],
      totals: null,
    });
  const nG = labels.length;
  const gLabel = (g: number): string | null => labels[g]!;
  const groups: number[] = [];
  const vol = new Float64Array(nG);
  const cnt = new Float64Array(nG);
  for (let g = 0; g < nG; g++) {
    for (let q = 0; q < nP; q++) {
      vol[g]! += inflow[g * nP + q]! + outflow[g * nP + q]!;
      cnt[g]! += count[g * nP + q]!;
    }
    if (cnt[g]! > 0) groups.push(g);
  }
  groups.sort((a, b) => {
    const la = gLabel(a);
    const lb = gLabel(b);
    return vol[b]! - vol[a]! || (la === null ? 1 : lb === null ? -1 : cmpStr(la, lb));
  });

  const data: FundFlowRow[] = [];
  const periods = Array.from({ length: nP }, (_, q) => periodLabel(unit, lo + q));
  const cum = new Float64Array(nG);
  for (let q = 0; q < nP; q++) {
    for (const g of groups) {
      const cell = g * nP + q;
      const net = inflow[cell]! - outflow[cell]!;
      cum[g]! += net;
      const flows = {
        inflow: r10(inflow[cell]!),
        outflow: r10(outflow[cell]!),
        net: r10(net),
        cumulativeNet: r10(cum[g]!),
        count: count[cell]!,
      };
      data.push(by ? { period: periods[q]!, group: gLabel(g), ...flows } : { period: periods[q]!, ...flows });
    }
  }
  let tin = 0;
  let tout = 0;
  for (let j = 0; j < inflow.length; j++) {
    tin += inflow[j]!;
    tout += outflow[j]!;
  }
  const quality = makeQuality(
    agg.n,
    used,
    {
      missing_date: agg.missingDate,
      missing_amount: agg.missingAmount,
      missing_direction: agg.badDirection,
      [BEFORE_WINDOW]: agg.beforeWindow,
    },
    win.capped ? [periodCapWarning(win.span)] : [],
  );
  const meta = {
    periods,
    groups: by ? groups.map(gLabel) : [],
    totals: { inflow: r10(tin), outflow: r10(tout), net: r10(tin - tout), count: used },
  };
  if (used === 0) return result([], basis, quality, meta);
  return result(data, basis, quality, meta);
}

function runFundFlow(
  ctx: MetricContext,
  params: Record<string, unknown>,
  source: string,
): MetricResult<FundFlowRow> {
  const p = fundFlowParams(params, source);
  const { unit, dateField, amountField, directionField, by, where } = p;
  const ds = ctx.dataset(source);
  const date = dateCol(ctx, source, dateField);
  const per = periodIndexes(date, unit);
  const amt = numericValues(ctx.col(source, amountField), 'amountField', amountField);
  const dirCol = ctx.col(source, directionField);
  if (dirCol.kind !== 'cat')
    throw badParam('directionField', `Field "${directionField}" is not a category`, directionField);
  const dirOf = new Int8Array(dirCol.dict.length).fill(-1);
  dirCol.dict.forEach((s, c) => (dirOf[c] = s === 'in' ? 0 : s === 'out' ? 1 : -1));
  const groupCol = by ? ctx.col(source, by) : null;
  if (groupCol && groupCol.kind !== 'cat' && groupCol.kind !== 'bool') {
    throw badParam('by', `Field "${by}" is not a category`, by);
  }
  const list = rowList(ds, ctx.rows(source, where));

  // Group codes: cat codes or bool 0/1, the missing value last.
  const nG = groupCol ? (groupCol.kind === 'cat' ? groupCol.dict.length : 2) + 1 : 1;
  const gMissing = nG - 1;
  const gCodes = groupCol ? (groupCol.kind === 'cat' ? groupCol.codes : groupCol.data) : null;
  const labels = Array.from({ length: nG }, (_, g) =>
    g === gMissing || !groupCol
      ? null
      : groupCol.kind === 'cat'
        ? groupCol.dict[g]!
        : g === 1
          ? 'true'
          : 'false',
  );

  let lo = 2147483647;
  let hi = -2147483648;
  for (let k = 0; k < list.length; k++) {
    const q = per[list[k]!]!;
    if (q === NULL_INDEX) continue;
    if (q < lo) lo = q;
    if (q > hi) hi = q;
  }
  const empty = new Float64Array(0);
  if (lo > hi)
    return fundFlowResult(ctx, p, {
      n: list.length,
      lo: 0,
      nP: 0,
      win: null,
      labels,
      inflow: empty,
      outflow: empty,
      count: empty,
      missingDate: list.length,
      missingAmount: 0,
      badDirection: 0,
      beforeWindow: 0,
      used: 0,
    });
  const win = capPeriods(lo, hi);
  lo = win.lo;
  const nP = hi - lo + 1;
  let beforeWindow = 0;
  const inflow = new Float64Array(nG * nP);
  const outflow = new Float64Array(nG * nP);
  const count = new Float64Array(nG * nP);
  let missingDate = 0;
  let missingAmount = 0;
  let badDirection = 0;
  let used = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const q = per[i]!;
    if (q === NULL_INDEX) {
      missingDate++;
      continue;
    }
    if (q < lo) {
      beforeWindow++;
      continue;
    }
    const a = amt[i]!;
    if (a !== a) {
      missingAmount++;
      continue;
    }
    const dc = dirCol.codes[i]!;
    const dir = dc < 0 ? -1 : dirOf[dc]!;
    if (dir < 0) {
      badDirection++;
      continue;
    }
    let g = 0;
    if (gCodes) {
      const c = gCodes[i]!;
      g = c < 0 ? gMissing : c;
    }
    const cell = g * nP + (q - lo);
    if (dir === 0) inflow[cell]! += a;
    else outflow[cell]! += a;
    count[cell]!++;
    used++;
  }
  return fundFlowResult(ctx, p, {
    n: list.length,
    lo,
    nP,
    win,
    labels,
    inflow,
    outflow,
    count,
    missingDate,
    missingAmount,
    badDirection,
    beforeWindow,
    used,
  });
}

export const fundFlowMetric: MetricDef = {
  id: 'fund_flow',
  source: 'transactions',
  run: (ctx, params, source) => runFundFlow(ctx, params ?? {}, source),
};
