/**
 * `sankey` on the SQL backends, from its own definition (src/engine/metrics/sankey.ts):
 * `sankeyParams()` and `sankeyResult()` (top-N folding, ties by label, `other` / missing nodes,
 * links, node values, basis) are the memory code; SQL sums the amount of the valid rows (amount
 * > 0, direction exactly `in` / `out`) per (left value × middle value) for inflows and per
 * (middle value × right value) for outflows. A middle dimension that does not resolve (not given
 * explicitly, customers not loaded) is one node with the memory warning. The size guard counts
 * the values present in the selection (memory counts the column's dictionary): both refuse a
 * middle dimension with millions of values, at slightly different sizes.
 */
import { badParam, notNumeric } from '../../engine/metrics/generic-util.js';
import type { LocalText } from '../../engine/types.js';
import { noMiddleWarning, sankeyParams, sankeyResult } from '../../engine/metrics/sankey.js';
import type { CompiledMetric } from './collection.js';
import type { Sql } from './sql.js';
import { raw, sql } from './sql.js';

export const sankeySql: CompiledMetric = async (scope, params, source, exec) => {
  const p = sankeyParams(params ?? {});
  const { left, right, explicitMiddle, middleParam, amountField, directionField, where } = p;
  scope.table(source); // missing_dataset, as ctx.dataset
  // Column checks in the memory order.
  if (scope.kind(source, amountField) === 'cat') throw notNumeric('amountField', amountField);
  const dirKind = scope.kind(source, directionField);
  const leftKind = scope.kind(source, left);
  const rightKind = scope.kind(source, right);
  if (dirKind !== 'cat')
    throw badParam('directionField', `Field "${directionField}" is not a category`, directionField);
  if (leftKind !== 'cat') throw badParam('left', `Field "${left}" is not a category`, left);
  if (rightKind !== 'cat') throw badParam('right', `Field "${right}" is not a category`, right);
  const warnings: LocalText[] = [];
  let middle = middleParam;
  if (middleParam !== null) {
    const resolved = explicitMiddle
      ? scope.kind(source, middleParam)
      : scope.resolve(source, middleParam)?.col.kind;
    if (!resolved) {
      middle = null;
      warnings.push(noMiddleWarning(middleParam));
    } else if (resolved !== 'cat')
      throw badParam('middle', `Field "${middleParam}" is not a category`, middleParam);
  }
  const rel = scope.relation(source);
  const cond = scope.where(rel, where);
  const d = rel.colExpr(directionField)!.sql;
  const m: Sql = middle ? rel.colExpr(middle)!.sql : raw('NULL');
  const sub = sql`SELECT ${rel.numExpr(amountField)!} AS a, CASE WHEN ${d} = 'in' THEN 0 WHEN ${d} = 'out' THEN 1 ELSE -1 END AS dir, ${rel.colExpr(left)!.sql} AS l, ${m} AS m, ${rel.colExpr(right)!.sql} AS rt FROM ${rel.from()} WHERE ${cond}`;
  const [tot] = await exec(
    sql`SELECT count(*) AS n, sum(CASE WHEN a > 0 AND dir >= 0 THEN 1 ELSE 0 END) AS used FROM (${sub}) AS k`,
  );
  const n = Number(tot?.['n'] ?? 0);
  const used = Number(tot?.['used'] ?? 0);
  const ins = await exec(
    sql`SELECT l, m, sum(a) AS s FROM (${sub}) AS k WHERE a > 0 AND dir = 0 GROUP BY l, m`,
  );
  const outs = await exec(
    sql`SELECT m, rt, sum(a) AS s FROM (${sub}) AS k WHERE a > 0 AND dir = 1 GROUP BY m, rt`,
  );

  // Local dictionaries of the values present (the folding orders by total, then label).
  const dict = (): { list: string[]; at: Map<string, number> } => ({ list: [], at: new Map() });
  const L = dict();
  const R = dict();
  const M = dict();
  const code = (dd: ReturnType<typeof dict>, v: unknown): number => {
    if (v === null || v === undefined) return -1;
    const s = String(v);
    let c = dd.at.get(s);
    if (c === undefined) {
      c = dd.list.length;
      dd.list.push(s);
      dd.at.set(s, c);
    }
    return c;
  };
  const inCells = ins.map((r) => ({
    l: code(L, r['l']),
    m: middle ? code(M, r['m']) : 0,
    s: Number(r['s']),
  }));
  const outCells = outs.map((r) => ({
    m: middle ? code(M, r['m']) : 0,
    r: code(R, r['rt']),
    s: Number(r['s']),
  }));
  const Ld = L.list.length;
  const Rd = R.list.length;
  const midD = middle ? M.list.length : 0;
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
  const mi = (c: number): number => (c < 0 ? midD : c);
  for (const c of inCells) rawIn[(c.l < 0 ? Ld : c.l) * M1 + mi(c.m)] = c.s;
  for (const c of outCells) rawOut[mi(c.m) * (Rd + 1) + (c.r < 0 ? Rd : c.r)] = c.s;
  return sankeyResult(scope, p, {
    n,
    used,
    skipped: n - used,
    middle,
    warnings,
    leftDict: L.list,
    rightDict: R.list,
    midDict: middle ? M.list : null,
    rawIn,
    rawOut,
  });
};
