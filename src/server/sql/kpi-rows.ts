/**
 * `kpi` measures over rows (sum/count/mean/distinct/min/max of a field, or a ratio, per period) on
 * the SQL backends, from the KPI's own definition (src/engine/metrics/kpi.ts): its `…Params()`,
 * its period plan and its `…Result()` run unchanged; only the two aggregation passes are SQL.
 *
 * 1. Rows per day of the date field (`GROUP BY` day, week, month): the selected row count, the
 *    date extent and the robust latest day (latestOfMonths, the memory rule over the same counts).
 * 2. Mergeable measures: per-day partials over the plan's days (one `GROUP BY` day); the memory
 *    code merges days into periods. Distinct counts: one aggregate per range and one grouped by
 *    the sparkline's period (stored period columns; quarter/year = floor(month / 3 | 12)); stock
 *    rows are those on each group's last day with rows, found from pass 1's day list.
 */
import { monthOfDayIndex } from '../../data/columns.js';
import { NULL_INDEX } from '../../data/dataset.js';
import { badParam } from '../../engine/metrics/generic-util.js';
import type { KpiRowsParams, KpiRowsPlan, KpiRowsScan, KpiRowsValues } from '../../engine/metrics/kpi.js';
import { kpiMergedValues, kpiRowsParams, kpiRowsPlan, kpiRowsResult } from '../../engine/metrics/kpi.js';
import { finalize } from '../../engine/metrics/measure.js';
import { latestOfMonths } from '../../engine/metrics/period-cap.js';
import { r10 } from '../../engine/metric.js';
import type { MetricResult } from '../../engine/types.js';
import type { Exec } from './collection.js';
import { sqlMeasure } from './measure.js';
import { countedMerge, perShard } from './per-shard.js';
import type { SqlScope } from './scope.js';
import type { Sql } from './sql.js';
import { FALSE, join, raw, sql } from './sql.js';

/** Rows per day of pass 1 (day NULL_INDEX = no date), with the day's stored week and month. */
interface DayRow {
  d: number;
  wk: number;
  mo: number;
  n: number;
}

/** The selected rows as a subquery: `d, wk, mo` of the date field, plus the measure's columns. */
function rowsSub(scope: SqlScope, source: string, p: KpiRowsParams, withMeasure: boolean) {
  const rel = scope.relation(source);
  const kind = scope.kind(source, p.dateField); // missing_column, as ctx.col
  if (kind !== 'date')
    throw badParam('dateField', `Field "${p.dateField}" of "${source}" is not a date`, p.dateField);
  const where = scope.where(rel, p.where);
  const m = withMeasure ? sqlMeasure(scope, rel, source, p.measure) : null;
  const part = (x: 'day' | 'week' | 'month'): Sql => rel.colExpr(p.dateField, x)!.sql;
  const sub = sql`SELECT ${part('day')} AS d, ${part('week')} AS wk, ${part('month')} AS mo${m ? m.columns : raw('')} FROM ${rel.from()} WHERE ${where}`;
  // Counts per day add up over the shards of a cluster when the joins keep rows on their shard.
  return { sub, m, colocated: rel.joinsColocated() };
}

export async function kpiRowsSql(
  scope: SqlScope,
  params: Record<string, unknown>,
  source: string,
  exec: Exec,
): Promise<MetricResult<object>> {
  const p = kpiRowsParams(params, source);
  scope.table(source); // missing_dataset first, as ctx.dataset
  const first = rowsSub(scope, source, p, false);
  const days: DayRow[] = (
    await exec(
      perShard(
        sql`SELECT d, wk, mo, count(*) AS n FROM (${first.sub}) AS k GROUP BY d, wk, mo`,
        first.colocated,
        {
          keys: ['d', 'wk', 'mo'],
          sums: ['n'],
        },
      ),
    )
  ).map((r) => ({ d: Number(r['d']), wk: Number(r['wk']), mo: Number(r['mo']), n: Number(r['n']) }));
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const byMonth = new Map<number, { n: number; last: number }>();
  for (const r of days) {
    n += r.n;
    if (r.d === NULL_INDEX) continue;
    lo = Math.min(lo, r.d);
    hi = Math.max(hi, r.d);
    const mo = monthOfDayIndex(r.d);
    const e = byMonth.get(mo);
    if (e) {
      e.n += r.n;
      e.last = Math.max(e.last, r.d);
    } else byMonth.set(mo, { n: r.n, last: r.d });
  }
  const extent: [number, number] | null = lo <= hi ? [lo, hi] : null;
  const scan: KpiRowsScan = { n, extent, robust: extent ? latestOfMonths(byMonth) : null };
  const { endGiven, plan } = kpiRowsPlan(p, scan);
  if (!plan) return kpiRowsResult(scope, p, scan, endGiven, null, null);
  const { sub, m, colocated } = rowsSub(scope, source, p, true);
  const vals = plan.merged
    ? await merged(p, plan, sub, m!, exec, colocated)
    : await unmerged(p, plan, days, sub, m!, exec);
  return kpiRowsResult(scope, p, scan, endGiven, plan, vals);
}

/** Per-day partials over the plan's days; the memory code merges them into periods. */
async function merged(
  p: KpiRowsParams,
  plan: KpiRowsPlan,
  sub: Sql,
  m: ReturnType<typeof sqlMeasure>,
  exec: Exec,
  colocated: boolean,
): Promise<KpiRowsValues> {
  const nDays = plan.hi - plan.lo + 1;
  const q = sql`SELECT d, count(*) AS n${m.aggregates} FROM (${sub}) AS k WHERE d >= ${plan.lo} AND d <= ${plan.hi} GROUP BY d`;
  const rows = await exec(perShard(q, colocated, countedMerge(['d'], m.merge)));
  const g = (r: Record<string, unknown>): number => Number(r['d']) - plan.lo;
  const perDay = new Int32Array(nDays);
  for (const r of rows) perDay[g(r)] = Number(r['n']);
  return kpiMergedValues(p, plan, m.partials(rows, nDays, g), perDay);
}

/** The sparkline's period of a day row (the stored period columns, as periodIndexes). */
function periodOf(unit: KpiRowsParams['sparkUnit'], r: DayRow): number {
  if (unit === 'day') return r.d;
  if (unit === 'week') return r.wk;
  if (r.mo === NULL_INDEX) return NULL_INDEX;
  return unit === 'month' ? r.mo : Math.floor(r.mo / (unit === 'quarter' ? 3 : 12));
}

/** Distinct counts: one aggregate per range and one grouped by sparkline period. */
async function unmerged(
  p: KpiRowsParams,
  plan: KpiRowsPlan,
  days: DayRow[],
  sub: Sql,
  m: ReturnType<typeof sqlMeasure>,
  exec: Exec,
): Promise<KpiRowsValues> {
  const value = (
    rows: Array<Record<string, unknown>>,
    nG: number,
    g: (r: Record<string, unknown>) => number,
  ) => {
    const parts = m.partials(rows, nG, g);
    const counts = new Array<number>(nG).fill(0);
    for (const r of rows) {
      const k = g(r);
      if (k >= 0 && k < nG) counts[k] = Number(r['n']);
    }
    return Array.from({ length: nG }, (_, k) => {
      const v = finalize(parts, k, k);
      return { v: Number.isFinite(v) ? r10(v) : null, n: counts[k]! };
    });
  };
  const range = async (a: number, b: number): Promise<{ v: number | null; n: number }> => {
    let cond = sql`d >= ${a} AND d <= ${b}`;
    if (p.stock) {
      let last = NULL_INDEX;
      for (const r of days) if (r.d !== NULL_INDEX && r.d >= a && r.d <= b && r.d > last) last = r.d;
      cond = last === NULL_INDEX ? sql`${FALSE}` : sql`d = ${last}`;
    }
    const rows = await exec(sql`SELECT count(*) AS n${m.aggregates} FROM (${sub}) AS k WHERE ${cond}`);
    return value(rows, 1, () => 0)[0]!;
  };
  const cur = await range(plan.cur[0], plan.cur[1]);
  let used = cur.n;
  let comparison: number | null = null;
  if (plan.cmp) {
    const c = await range(plan.cmp[0], plan.cmp[1]);
    comparison = c.v;
    used += c.n;
  }
  const spark: Array<number | null> = [];
  if (p.points > 0) {
    const unit = p.sparkUnit;
    const pe =
      unit === 'day'
        ? raw('d')
        : unit === 'week'
          ? raw('wk')
          : unit === 'month'
            ? raw('mo')
            : sql`floor(mo / ${raw(unit === 'quarter' ? '3' : '12')})`;
    const conds: Sql[] = [
      sql`mo <> ${raw(String(NULL_INDEX))}`,
      sql`${pe} >= ${plan.pFirst}`,
      sql`${pe} < ${plan.pFirst + p.points}`,
      sql`d <= ${plan.end}`,
    ];
    if (p.stock) {
      // Each point's last day with rows (stockKeys over the same rows).
      const last = new Map<number, number>();
      for (const r of days) {
        const k = periodOf(unit, r) - plan.pFirst;
        if (r.d === NULL_INDEX || k < 0 || k >= p.points || r.d > plan.end) continue;
        last.set(k, Math.max(last.get(k) ?? NULL_INDEX, r.d));
      }
      const lastDays = [...last.values()];
      conds.push(lastDays.length ? sql`d IN (${join(lastDays, ', ')})` : sql`${FALSE}`);
    }
    const rows = await exec(
      sql`SELECT ${pe} AS pp, count(*) AS n${m.aggregates} FROM (${sub}) AS k WHERE ${join(conds, ' AND ')} GROUP BY pp`,
    );
    const vs = value(rows, p.points, (r) => Number(r['pp']) - plan.pFirst);
    for (let k = 0; k < p.points; k++) spark.push(vs[k]!.v);
  }
  return { value: cur.v, comparison, used, spark };
}
