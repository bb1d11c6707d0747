/**
 * `txn_alerts` compiled to SQL from its own definition (src/engine/metrics/txn-alerts.ts):
 * `txnAlertsParams()` validates; SQL classifies the selected transactions (invalid: no customer,
 * day or positive amount; unclassified: no rule or, per direction, no `in`/`out`; else a slot =
 * rule × direction) and computes each threshold alert as one group per (customer, day, slot) whose
 * amounts, summed **in row order** (DuckDB `list_reduce` over `list(… ORDER BY r)`, ClickHouse
 * `arraySum` over `arraySort` of `(r, amount)` pairs, the memory loop's exact float), reach the
 * rule's threshold; the near-threshold transactions of customers with at least `minCount` of them
 * cross the wire for the structuring windows, which `structuringAlerts()` builds in JS; ordering,
 * the limit, basis and quality are `txnAlertsResult()`. Transaction ids are `txn_id`, else `#<row>`
 * (the ingestion row index, as memory). Alert rows list customers: the handler serves them only
 * with the `detail` permission, masks PII-named columns without `unmask`, and refuses an answer
 * over its row limit (`limit` caps the rows first).
 */
import type { TxnAlertRow } from '../../engine/metrics/txn-alerts.js';
import {
  THRESHOLD_RULES,
  structuringAlerts,
  thresholdAlert,
  txnAlertsParams,
  txnAlertsResult,
} from '../../engine/metrics/txn-alerts.js';
import { badParam } from '../../engine/metrics/generic-util.js';
import type { CompiledMetric } from './collection.js';
import { NI, num, side } from './collection.js';
import type { Sql } from './sql.js';
import { FALSE, INNER_JOIN, IN_SUBQUERY, TRUE, alt, join, raw, sql } from './sql.js';

const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);

export const txnAlertsSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = txnAlertsParams(params, source);
  scope.table(source); // missing_dataset, as ctx.dataset
  // Column checks in the memory order (missing_column first, then the kind).
  if (scope.kind(source, p.entity) !== 'cat')
    throw badParam('entity', `Field "${p.entity}" of "${source}" is not a category/identifier`, p.entity);
  if (scope.kind(source, p.dateField) !== 'date')
    throw badParam('dateField', `Field "${p.dateField}" of "${source}" is not a date`, p.dateField);
  if (scope.kind(source, 'amount') !== 'num')
    throw badParam('amount', 'Column "amount" must be numeric', 'amount');
  if (scope.kind(source, 'direction') !== 'cat')
    throw badParam('direction', `Field "direction" of "${source}" is not a category/identifier`, 'direction');
  const kind = (f: string) => scope.resolve(source, f)?.col.kind ?? null;

  const rel = scope.relation(source);
  const e = rel.colExpr(p.entity)!.sql;
  const d = rel.colExpr(p.dateField, 'day')!.sql;
  const a = rel.colExpr('amount')!.sql;
  const dir = rel.colExpr('direction')!.sql;
  const tid = kind('txn_id') === 'cat' ? rel.colExpr('txn_id')!.sql : null;
  const cash = kind('cash') === 'bool' ? rel.colExpr('cash')!.sql : null;
  const cb = kind('cross_border') === 'bool' ? rel.colExpr('cross_border')!.sql : null;
  const cp = kind('counterparty_type') === 'cat' ? rel.colExpr('counterparty_type')!.sql : null;
  const w = scope.where(rel, p.where);
  // Rule: 0 cash, 1 natural person domestic, 2 natural person cross-border, 3 non-natural person.
  const arms: Sql[] = [];
  if (cash) arms.push(sql`WHEN ${cash} = ${TRUE} THEN 0`);
  if (cp) {
    const cross = cb ? sql`CASE WHEN ${cb} = ${TRUE} THEN 2 ELSE 1 END` : raw('1');
    arms.push(
      sql`WHEN ${cp} = 'individual' THEN ${cross}`,
      sql`WHEN ${cp} IN ('company', 'platform') THEN 3`,
    );
  }
  const rule = arms.length ? sql`CASE ${join(arms, ' ')} ELSE -1 END` : raw('-1');
  const id = tid
    ? alt(
        sql`coalesce(${tid}, '#' || CAST(${rel.ref('r')} AS VARCHAR))`,
        sql`ifNull(${tid}, concat('#', toString(${rel.ref('r')})))`,
      )
    : alt(sql`'#' || CAST(${rel.ref('r')} AS VARCHAR)`, sql`concat('#', toString(${rel.ref('r')}))`);
  const base = sql`SELECT ${rel.ref('r')} AS r, ${e} AS e, ${d} AS d, ${a} AS a, ${id} AS tid,
      CASE WHEN ${d} = ${NI} OR ${e} IS NULL OR NOT coalesce(${a} > 0, ${FALSE}) THEN 0 ELSE 1 END AS ok,
      ${rule} AS ru, CASE WHEN ${dir} = 'in' THEN 0 WHEN ${dir} = 'out' THEN 1 ELSE -1 END AS dv
    FROM ${rel.from()} WHERE ${w}`;
  const byThr = (vals: number[]): Sql =>
    sql`CASE WHEN ru = 0 THEN ${vals[0]!} WHEN ru = 1 THEN ${vals[1]!} WHEN ru = 2 THEN ${vals[2]!} ELSE ${vals[3]!} END`;
  const unclassified = p.cumulateBy === 'direction' ? sql`ru < 0 OR dv < 0` : sql`ru < 0`;
  const slot = p.cumulateBy === 'both' ? sql`ru * 2` : sql`ru * 2 + dv`;
  const cls = sql`SELECT r, e, d, a, tid, ru, ${slot} AS sl, ${byThr(p.thr)} AS th,
      ${byThr(p.thr.map((x) => p.lower * x))} AS tlo, ${byThr(p.thr.map((x) => p.upper * x))} AS thi
    FROM (${base}) AS b WHERE ok = 1 AND NOT (${unclassified})`;

  const [q] = await exec(sql`SELECT count(*) AS n, sum(CASE WHEN ok = 0 THEN 1 ELSE 0 END) AS ninv,
      sum(CASE WHEN ok = 1 AND (${unclassified}) THEN 1 ELSE 0 END) AS nun,
      sum(CASE WHEN ok = 1 AND NOT (${unclassified}) THEN 1 ELSE 0 END) AS nv,
      min(CASE WHEN ok = 1 AND NOT (${unclassified}) THEN d END) AS lo,
      max(CASE WHEN ok = 1 AND NOT (${unclassified}) THEN d END) AS hi
    FROM (${base}) AS b0`);
  const used = num(q?.['nv']);
  const agg = {
    alerts: [] as TxnAlertRow[],
    rows: num(q?.['n']),
    used,
    invalid: num(q?.['ninv']),
    unclassified: num(q?.['nun']),
    lo: used > 0 ? num(q?.['lo']) : 2147483647,
    hi: used > 0 ? num(q?.['hi']) : -2147483648,
  };
  if (used === 0) return txnAlertsResult(scope, p, agg);

  // Threshold rules: one group per (customer, day, slot), amounts summed in row order.
  const rules = [0, 1, 2, 3].filter((r) => p.enabled.has(THRESHOLD_RULES[r]!));
  if (rules.length) {
    const ordered = alt(
      sql`list_reduce(list(a ORDER BY r), lambda x, y: x + y)`,
      sql`arraySum(arrayMap(x -> tupleElement(x, 2), arraySort(groupArray(tuple(r, assumeNotNull(a))))))`,
    );
    const ids = alt(sql`list(tid)`, sql`groupArray(tid)`);
    // Candidates first by a plain sum with a margin far above any reordering error (the ordered
    // list sum over every group is the slow part), then the exact row-order sum for those only.
    const inRules = sql`ru IN (${join(rules, ', ')})`;
    const cand = sql`SELECT e AS ce, d AS cd, sl AS cs FROM (${cls}) AS c2 WHERE ${inRules}
      GROUP BY e, d, sl, th HAVING sum(a) >= th * ${1 - 1e-9}`;
    const picked = sql`SELECT x_r AS r, x_e AS e, x_d AS d, x_a AS a, x_tid AS tid, x_sl AS sl, x_th AS th
      FROM ${side(cls, 'x', ['r', 'e', 'd', 'a', 'tid', 'sl', 'th'], inRules)} ${INNER_JOIN} ${side(cand, 'y', ['ce', 'cd', 'cs'])}
        ON x_e = y_ce AND x_d = y_cd AND x_sl = y_cs`;
    const groups = await exec(sql`SELECT e AS ge, d AS gd, sl AS gs, s, c, mx, ids FROM (
        SELECT e, d, sl, th, ${ordered} AS s, count(*) AS c, max(a) AS mx, ${ids} AS ids
        FROM (${picked}) AS c0 GROUP BY e, d, sl, th) AS g
      WHERE s >= th`);
    for (const g of groups) {
      agg.alerts.push(
        thresholdAlert(
          p,
          String(g['ge']),
          num(g['gd']),
          num(g['gs']),
          num(g['s']),
          num(g['c']),
          num(g['mx']),
          strs(g['ids']),
        ),
      );
    }
  }
  // Structuring: the near-threshold transactions of customers with at least minCount of them.
  if (p.enabled.has('structuring')) {
    const near = sql`SELECT r, e, d, a, tid FROM (${cls}) AS c1 WHERE a >= tlo AND a < thi`;
    const rows = await exec(sql`SELECT r, e, d, a, tid FROM (${near}) AS n0
      WHERE e ${IN_SUBQUERY} (SELECT e FROM (${near}) AS n1 GROUP BY e HAVING count(*) >= ${p.minCount})`);
    const byCustomer = new Map<string, Array<Record<string, unknown>>>();
    for (const r of rows) {
      const k = String(r['e']);
      let list = byCustomer.get(k);
      if (!list) byCustomer.set(k, (list = []));
      list.push(r);
    }
    for (const [customer, list] of byCustomer) {
      list.sort((x, y) => num(x['d']) - num(y['d']) || num(x['r']) - num(y['r']));
      agg.alerts.push(
        ...structuringAlerts(
          p,
          customer,
          list.map((r) => num(r['d'])),
          list.map((r) => num(r['a'])),
          list.map((r) => String(r['tid'])),
        ),
      );
    }
  }
  return txnAlertsResult(scope, p, agg);
};
