/**
 * `cohort`: retention by cohort (METRICS.md, Cohort retention). Cohort = calendar period of an
 * entity's first event; period index p = whole calendar periods from the cohort period to the
 * activity period. Cells past the last observed period are right-censored: null, never 0.
 */
import { assertPeriods } from './period-cap.js';
import { NULL_INDEX } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, r10, ratio, result, t } from '../metric.js';
import type { FilterClause, LocalText, MetricResult } from '../types.js';
import {
  badParam,
  catCol,
  dateCol,
  dateFieldOf,
  enumParam,
  intParam,
  numericValues,
  periodIndexes,
  periodLabel,
  rowList,
  strParam,
  whereParam,
} from './generic-util.js';

/** One cell of the cohort triangle. */
export interface CohortRow {
  /** Cohort period label (`YYYY-MM`, week Monday `YYYY-MM-DD`, `YYYY-Qn`). */
  cohort: string;
  /** Entities in the cohort. */
  size: number;
  /** Period index p (0 = the cohort period). */
  period: number;
  /** Retention (fraction), active count, or amount retention; null when right-censored (or amount at p = 0 is 0). */
  value: number | null;
  /** Distinct entities active in p (cumulative: in p or later); null when censored. */
  active: number | null;
  /** Σ amount in p (value 'amount' only); null when censored. */
  amount?: number | null;
}

const DEFAULT_AMOUNT: Record<string, string> = {
  transactions: 'amount',
  loans: 'principal',
  loan_months: 'outstanding',
  collection_actions: 'paid_amount',
};

/** Validated cohort params (the memory order of checks; shared by the SQL compilation). */
export interface CohortParams {
  entity: string;
  dateField: string;
  unit: 'week' | 'month' | 'quarter';
  value: 'retention' | 'count' | 'amount';
  cumulative: boolean;
  amountField: string | null;
  maxPeriodsParam: number | null;
  where: FilterClause[];
  leftCensored: 'keep' | 'exclude';
}

export function cohortParams(params: Record<string, unknown>, source: string): CohortParams {
  const entity = strParam(params, 'entity', 'customer_id');
  const dateField = dateFieldOf(source, params.dateField);
  const unit = enumParam(params, 'unit', ['week', 'month', 'quarter'] as const, 'month');
  const value = enumParam(params, 'value', ['retention', 'count', 'amount'] as const, 'retention');
  const cumulative = params.cumulative === true;
  if (cumulative && value === 'amount') {
    throw badParam(
      'cumulative',
      '"cumulative" applies to retention and count, not amount',
      params.cumulative,
    );
  }
  const amountField =
    value === 'amount' ? strParam(params, 'amountField', DEFAULT_AMOUNT[source] ?? 'amount') : null;
  const maxPeriodsParam =
    params.maxPeriods === undefined || params.maxPeriods === null
      ? null
      : intParam(params, 'maxPeriods', 0, 0, 100000);
  const where = whereParam(params);
  const leftCensored = enumParam(params, 'leftCensored', ['keep', 'exclude'] as const, 'keep');
  return { entity, dateField, unit, value, cumulative, amountField, maxPeriodsParam, where, leftCensored };
}

/**
 * What the aggregation hands `cohortResult()`: row counts, the period extent, and (when rows were
 * used) the cells: entities per cohort, distinct active entities per (cohort, p) — cumulative
 * already summed when asked — and Σ amount per cell. Cohort c is `minP + c`; cell = c · span + p
 * with span = lastObs − minP + 1.
 */
export interface CohortAgg {
  rows: number;
  /** Rows with an entity and a period (before left censoring). */
  used: number;
  missingEntity: number;
  missingDate: number;
  minP: number;
  lastObs: number;
  /** Rows of the entities whose first period is minP (left out by leftCensored 'exclude'). */
  censoredRows: number;
  size: Float64Array;
  active: Float64Array;
  amount: Float64Array | null;
  missingAmount: number;
}

/** The memory aggregation: first/last period per entity, then the cells. */
function cohortAggregate(ctx: MetricContext, pr: CohortParams, source: string): CohortAgg {
  const { entity, dateField, unit, cumulative, amountField, leftCensored } = pr;
  const ds = ctx.dataset(source);
  const ent = catCol(ctx, source, entity, 'entity');
  const date = dateCol(ctx, source, dateField);
  const per = periodIndexes(date, unit);
  const amt = amountField ? numericValues(ctx.col(source, amountField), 'amountField', amountField) : null;
  const rows = ctx.rows(source, pr.where);
  const list = rowList(ds, rows);
  // all rows: index directly (no read of the identity list per row)
  const sel = rows;
  const N = list.length;

  // Pass 1: first and last period per entity, last observed period.
  const D = ent.dict.length;
  const first = new Int32Array(D).fill(2147483647);
  const last = new Int32Array(D).fill(-2147483648);
  let lastObs = -2147483648;
  let minP = 2147483647;
  let missingEntity = 0;
  let missingDate = 0;
  let used = 0;
  for (let k = 0; k < N; k++) {
    const i = sel ? sel[k]! : k;
    const e = ent.codes[i]!;
    const p = per[i]!;
    if (e < 0) {
      missingEntity++;
      continue;
    }
    if (p === NULL_INDEX) {
      missingDate++;
      continue;
    }
    used++;
    if (p < first[e]!) first[e] = p;
    if (p > last[e]!) last[e] = p;
    if (p > lastObs) lastObs = p;
    if (p < minP) minP = p;
  }
  // Left censoring: the first observed period's cohort also holds every entity whose first event
  // precedes the data (all customers already on the books), so it is not a cohort of new entities.
  const dropFirst = leftCensored === 'exclude' && used > 0;
  let censoredRows = 0;
  if (dropFirst) {
    for (let k = 0; k < N; k++) {
      const i = sel ? sel[k]! : k;
      const e = ent.codes[i]!;
      if (e >= 0 && per[i]! !== NULL_INDEX && first[e] === minP) censoredRows++;
    }
  }
  const base = { rows: list.length, used, missingEntity, missingDate, minP, lastObs, censoredRows };
  const none = new Float64Array(0);
  if (used - censoredRows === 0) return { ...base, size: none, active: none, amount: null, missingAmount: 0 };
  const nC = lastObs - minP + 1;
  assertPeriods('cohort', nC);
  const span = nC; // possible p values 0..nC−1
  const size = new Float64Array(nC);
  for (let e = 0; e < D; e++) if (first[e]! !== 2147483647) size[first[e]! - minP]!++;

  // Active entities per (cohort, p).
  const active = new Float64Array(nC * span);
  const amount = amt ? new Float64Array(nC * span) : null;
  if (cumulative) {
    for (let e = 0; e < D; e++) {
      if (first[e]! === 2147483647) continue;
      active[(first[e]! - minP) * span + (last[e]! - first[e]!)]!++;
    }
    for (let c = 0; c < nC; c++)
      for (let p = span - 2; p >= 0; p--) active[c * span + p]! += active[c * span + p + 1]!;
  } else {
    const bits = D * span;
    if (bits <= 2 ** 31) {
      const seen = new Uint32Array(Math.ceil(bits / 32));
      for (let k = 0; k < N; k++) {
        const i = sel ? sel[k]! : k;
        const e = ent.codes[i]!;
        const p = per[i]!;
        if (e < 0 || p === NULL_INDEX) continue;
        const off = p - first[e]!;
        const b = e * span + off;
        const w = b >>> 5;
        const m = 1 << (b & 31);
        if ((seen[w]! & m) === 0) {
          seen[w]! |= m;
          active[(first[e]! - minP) * span + off]!++;
        }
      }
    } else {
      const keys = new Float64Array(used);
      let n = 0;
      for (let k = 0; k < N; k++) {
        const i = sel ? sel[k]! : k;
        const e = ent.codes[i]!;
        const p = per[i]!;
        if (e < 0 || p === NULL_INDEX) continue;
        keys[n++] = e * span + (p - first[e]!);
      }
      keys.sort();
      for (let j = 0; j < n; j++) {
        if (j > 0 && keys[j] === keys[j - 1]) continue;
        const e = Math.floor(keys[j]! / span);
        active[(first[e]! - minP) * span + (keys[j]! - e * span)]!++;
      }
    }
  }
  let missingAmount = 0;
  if (amount && amt) {
    for (let k = 0; k < N; k++) {
      const i = sel ? sel[k]! : k;
      const e = ent.codes[i]!;
      const p = per[i]!;
      if (e < 0 || p === NULL_INDEX) continue;
      const v = amt[i]!;
      if (v !== v) {
        missingAmount++;
        continue;
      }
      amount[(first[e]! - minP) * span + (p - first[e]!)]! += v;
    }
  }
  return { ...base, size, active, amount, missingAmount };
}

/** Rows, basis, quality and meta from the aggregation (every backend). */
export function cohortResult(ctx: BasisContext, pr: CohortParams, agg: CohortAgg): MetricResult<CohortRow> {
  const { entity, dateField, unit, value, cumulative, amountField, maxPeriodsParam, where, leftCensored } =
    pr;
  const { minP, lastObs, missingEntity, missingDate, censoredRows, size, active, amount } = agg;
  const dropFirst = leftCensored === 'exclude' && agg.used > 0;
  const used = agg.used - censoredRows;
  const options = {
    entity,
    dateField,
    unit,
    value,
    cumulative,
    amountField,
    maxPeriods: maxPeriodsParam,
    leftCensored,
    where,
  };
  const notes: LocalText[] = [
    t(
      '同期群 = 实体在所选数据中首次事件所在的自然周期；p = 同期群周期到活跃周期的整自然周期数（p = 0 为同期群周期）。',
      "Cohort = the calendar period of the entity's first event among the selected rows; p = whole calendar periods from the cohort period to the activity period (p = 0 is the cohort period).",
    ),
    t(
      '晚于最后观测周期的单元格为右删失（null），不是 0；最后观测周期可能不完整。流失率 = 1 − 留存率。',
      'Cells past the last observed period are right-censored (null), not 0; the last observed period may be partial. Churn = 1 − retention.',
    ),
  ];
  if (cumulative)
    notes.push(
      t('累计口径：在 p 或其后任一周期活跃即计为活跃。', 'Cumulative: active in p or any later period.'),
    );
  if (value === 'amount') {
    notes.push(
      t(
        `金额留存 = p 期 ${amountField} 合计 / p = 0 期合计。`,
        `Amount retention = Σ ${amountField} in p / Σ in p = 0.`,
      ),
    );
  }
  const formula =
    value === 'amount'
      ? t(
          'r(c, p) = 同期群 c 在 p 期金额 / p = 0 期金额',
          'r(c, p) = amount of cohort c in p / amount in p = 0',
        )
      : value === 'count'
        ? t('同期群 c 在 p 期的活跃实体数', 'Distinct entities of cohort c active in p')
        : t(
            'r(c, p) = 同期群 c 在 p 期活跃的去重实体数 / 同期群规模',
            'r(c, p) = distinct entities of c active in p / size of c',
          );

  const quality = makeQuality(agg.rows, used, {
    missing_entity: missingEntity,
    missing_date: missingDate,
    ...(dropFirst ? { left_censored: censoredRows } : {}),
  });
  const exclusions = [t('缺少实体或日期的行不计入。', 'Rows without an entity or a date are left out.')];
  if (dropFirst)
    exclusions.push(
      t(
        `首个观测周期（${periodLabel(unit, minP)}）的同期群不计入：其中包含首次事件早于数据起点的存量实体（左删失），并非新增。`,
        `The cohort of the first observed period (${periodLabel(unit, minP)}) is left out: it also holds entities whose first event precedes the data (left-censored), not only new ones.`,
      ),
    );
  const basis = makeBasis(ctx, {
    metric: 'cohort',
    title: t('同期群留存', 'Cohort retention'),
    formula,
    numerator:
      value === 'amount'
        ? t('p 期金额', 'Amount in p')
        : t('p 期活跃去重实体数', 'Distinct entities active in p'),
    denominator:
      value === 'amount'
        ? t('p = 0 期金额', 'Amount in p = 0')
        : value === 'retention'
          ? t('同期群规模', 'Cohort size')
          : undefined,
    measure: value === 'amount' ? 'amount' : 'count',
    asOf: used ? periodLabel(unit, lastObs) : null,
    options,
    exclusions,
    notes,
  });
  if (used === 0) return result([], basis, quality, { cohorts: [], maxPeriod: 0, unit });

  if (amount) {
    quality.excluded.missing_amount = agg.missingAmount;
    if (agg.missingAmount === 0) delete quality.excluded.missing_amount;
  }
  const nC = lastObs - minP + 1;
  const span = nC; // possible p values 0..nC−1
  // Without the first cohort, the longest observable p is one shorter.
  const shown = dropFirst ? span - 1 : span;
  const P = maxPeriodsParam === null ? shown : Math.min(shown, maxPeriodsParam + 1);

  const data: CohortRow[] = [];
  const cohorts: string[] = [];
  const sizes: number[] = [];
  for (let c = dropFirst ? 1 : 0; c < nC; c++) {
    const sz = size[c]!;
    if (sz === 0) continue;
    const label = periodLabel(unit, minP + c);
    cohorts.push(label);
    sizes.push(sz);
    for (let p = 0; p < P; p++) {
      const censored = minP + c + p > lastObs;
      const a = active[c * span + p]!;
      let v: number | null = null;
      if (!censored) {
        if (value === 'retention') v = ratio(a, sz);
        else if (value === 'count') v = a;
        else v = ratio(amount![c * span + p]!, amount![c * span]!);
      }
      const row: CohortRow = { cohort: label, size: sz, period: p, value: v, active: censored ? null : a };
      if (amount) row.amount = censored ? null : r10(amount[c * span + p]!);
      data.push(row);
    }
  }
  return result(data, basis, quality, {
    cohorts,
    sizes,
    maxPeriod: P - 1,
    unit,
    lastPeriod: periodLabel(unit, lastObs),
  });
}

export const cohortMetric: MetricDef = {
  id: 'cohort',
  source: 'transactions',
  run: (ctx, params, source) => {
    const p = cohortParams(params ?? {}, source);
    return cohortResult(ctx, p, cohortAggregate(ctx, p, source));
  },
};
