/**
 * `fund_flow` on the SQL backends, from its own definition (src/engine/metrics/fund-flow.ts):
 * `fundFlowParams()` and `fundFlowResult()` (group order, continuous periods, cumulative net,
 * totals, quality) are the memory code; SQL gives, per group and period, the row count, the rows
 * without an amount, the rows with an amount but no `in`/`out` direction, and the in/out sums and
 * count. The period window (capPeriods) is applied in JS over those cells, with memory's order of
 * exclusions: no date → before the window → no amount → no direction. Directions compare exactly
 * (`'in'`, `'out'`); amounts as memory's numericValues (booleans 1/0, dates epoch ms).
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { badParam, notNumeric } from '../../engine/metrics/generic-util.js';
import type { FundFlowAgg } from '../../engine/metrics/fund-flow.js';
import { fundFlowParams, fundFlowResult } from '../../engine/metrics/fund-flow.js';
import { capPeriods } from '../../engine/metrics/period-cap.js';
import type { CompiledMetric } from './collection.js';
import type { Sql } from './sql.js';
import { TRUE, raw, sql } from './sql.js';

const NI = raw(String(NULL_INDEX));

export const fundFlowSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = fundFlowParams(params ?? {}, source);
  const { unit, dateField, amountField, directionField, by, where } = p;
  scope.table(source); // missing_dataset, as ctx.dataset
  // Column checks in the memory order (ctx.col: missing_column; kinds: bad_params).
  if (scope.kind(source, dateField) !== 'date')
    throw badParam('dateField', `Field "${dateField}" of "${source}" is not a date`, dateField);
  if (scope.kind(source, amountField) === 'cat') throw notNumeric('amountField', amountField);
  if (scope.kind(source, directionField) !== 'cat')
    throw badParam('directionField', `Field "${directionField}" is not a category`, directionField);
  const gKind = by ? scope.kind(source, by) : null;
  if (gKind && gKind !== 'cat' && gKind !== 'bool')
    throw badParam('by', `Field "${by}" is not a category`, by);

  const rel = scope.relation(source);
  const cond = scope.where(rel, where);
  const period = (): Sql => {
    if (unit === 'day' || unit === 'week' || unit === 'month') return rel.colExpr(dateField, unit)!.sql;
    const m = rel.colExpr(dateField, 'month')!.sql;
    return sql`CASE WHEN ${m} = ${NI} THEN ${NI} ELSE floor(${m} / ${raw(unit === 'quarter' ? '3' : '12')}) END`;
  };
  const a = rel.numExpr(amountField)!;
  const d = rel.colExpr(directionField)!.sql;
  let g: Sql = raw('NULL');
  if (by && gKind) {
    const e = rel.colExpr(by)!.sql;
    g =
      gKind === 'cat' ? e : sql`CASE WHEN ${e} = ${TRUE} THEN 'true' WHEN ${e} IS NOT NULL THEN 'false' END`;
  }
  const sub = sql`SELECT ${period()} AS q, ${g} AS g, ${a} AS a, CASE WHEN ${d} = 'in' THEN 0 WHEN ${d} = 'out' THEN 1 ELSE -1 END AS dir FROM ${rel.from()} WHERE ${cond}`;
  const rows = await exec(sql`SELECT q, g, count(*) AS n,
    sum(CASE WHEN a IS NULL THEN 1 ELSE 0 END) AS n_amount,
    sum(CASE WHEN a IS NOT NULL AND dir < 0 THEN 1 ELSE 0 END) AS n_dir,
    sum(CASE WHEN a IS NOT NULL AND dir = 0 THEN a ELSE 0 END) AS s_in,
    sum(CASE WHEN a IS NOT NULL AND dir = 1 THEN a ELSE 0 END) AS s_out,
    sum(CASE WHEN a IS NOT NULL AND dir >= 0 THEN 1 ELSE 0 END) AS n_used
    FROM (${sub}) AS f GROUP BY q, g`);

  // Groups: every label seen (their order is decided by fundFlowResult, by volume then label).
  const labels: Array<string | null> = by ? [] : [null];
  const gi = new Map<string | null, number>();
  const groupOf = (r: Record<string, unknown>): number => {
    if (!by) return 0;
    const l = r['g'] === null || r['g'] === undefined ? null : String(r['g']);
    let k = gi.get(l);
    if (k === undefined) {
      k = labels.length;
      labels.push(l);
      gi.set(l, k);
    }
    return k;
  };
  let n = 0;
  let lo = 2147483647;
  let hi = -2147483648;
  for (const r of rows) {
    n += Number(r['n']);
    groupOf(r);
    const q = Number(r['q']);
    if (q === NULL_INDEX) continue;
    lo = Math.min(lo, q);
    hi = Math.max(hi, q);
  }
  const empty = new Float64Array(0);
  const agg: FundFlowAgg = {
    n,
    lo: 0,
    nP: 0,
    win: null,
    labels,
    inflow: empty,
    outflow: empty,
    count: empty,
    missingDate: 0,
    missingAmount: 0,
    badDirection: 0,
    beforeWindow: 0,
    used: 0,
  };
  if (lo > hi) return fundFlowResult(scope, p, { ...agg, missingDate: n });
  const win = capPeriods(lo, hi);
  const nP = hi - win.lo + 1;
  const nG = labels.length;
  Object.assign(agg, {
    lo: win.lo,
    nP,
    win,
    inflow: new Float64Array(nG * nP),
    outflow: new Float64Array(nG * nP),
    count: new Float64Array(nG * nP),
  });
  for (const r of rows) {
    const q = Number(r['q']);
    const c = Number(r['n']);
    if (q === NULL_INDEX) agg.missingDate += c;
    else if (q < win.lo) agg.beforeWindow += c;
    else {
      agg.missingAmount += Number(r['n_amount']);
      agg.badDirection += Number(r['n_dir']);
      const used = Number(r['n_used']);
      agg.used += used;
      const cell = groupOf(r) * nP + (q - win.lo);
      agg.inflow[cell] = Number(r['s_in']);
      agg.outflow[cell] = Number(r['s_out']);
      agg.count[cell] = used;
    }
  }
  return fundFlowResult(scope, p, agg);
};
