/**
 * `funnel` compiled to SQL from its own definition (src/engine/metrics/funnel.ts): `funnelParams()`
 * validates, SQL selects and classifies the events next to the data (missing entity / time, stages
 * not listed, the stage order by distinct entities), reduces them to what the journey needs, and
 * the memory engine's own counting (`funnelCounts()`) and `funnelResult()` run on that in JS, so
 * journeys, first-touch attribution, medians and CAC are one code path on every backend.
 *
 * What crosses the wire: loose mode, one row per (entity, stage, group) with its earliest time;
 * strict mode, the distinct (entity, stage, time) events, with the group on stage-1 events only
 * (attribution reads the start event's group; later stages need only their times, the earliest one
 * at or after the previous stage). Spend for CAC is one `GROUP BY` over `campaign_spend` with the
 * memory engine's mapped filters (`spendFilters()`: event-time clauses on the spend `date`).
 */
import type { FunnelAgg } from '../../engine/metrics/funnel.js';
import { funnelParams, funnelResult, spendFilters, stageOrder } from '../../engine/metrics/funnel.js';
import { funnelCounts } from '../../engine/metrics/funnel-counts.js';
import { badParam, labelRanks } from '../../engine/metrics/generic-util.js';
import { r10 } from '../../engine/metric.js';
import type { CompiledMetric } from './collection.js';
import { hasDataset } from './has.js';
import { num } from './collection.js';
import type { Sql } from './sql.js';
import { join, raw, sql } from './sql.js';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const funnelSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = funnelParams(params, source);
  scope.table(source); // missing_dataset, as ctx.dataset
  // Column checks in the memory order (catCol / dateCol: missing_column, then bad_params).
  const cat = (field: string, param: string): void => {
    if (scope.kind(source, field) !== 'cat')
      throw badParam(param, `Field "${field}" of "${source}" is not a category/identifier`, field);
  };
  cat(p.entity, 'entity');
  cat(p.stageField, 'stageField');
  if (scope.kind(source, p.dateField) !== 'date')
    throw badParam('dateField', `Field "${p.dateField}" of "${source}" is not a date`, p.dateField);
  if (p.breakdown) cat(p.breakdown, 'breakdown');

  const rel = scope.relation(source);
  const e = rel.colExpr(p.entity)!.sql;
  const st = rel.colExpr(p.stageField)!.sql;
  const t = rel.numExpr(p.dateField)!;
  const g = p.breakdown ? rel.colExpr(p.breakdown)!.sql : null;
  const w = scope.where(rel, p.where);
  const sub = sql`SELECT ${e} AS e, ${st} AS st, ${t} AS t${g ? sql`, ${g} AS g` : raw('')} FROM ${rel.from()} WHERE ${w}`;

  // Stage order: given, else by distinct entities over the selected rows (ties by label).
  let stages: string[];
  if (p.stages) stages = p.stages;
  else {
    const d = await exec(
      sql`SELECT st, count(DISTINCT e) AS n FROM (${sub}) AS s0 WHERE st IS NOT NULL GROUP BY st`,
    );
    stages = stageOrder(
      d.map((r) => String(r['st'])),
      d.map((r) => num(r['n'])),
    );
  }
  const K = stages.length;
  const ok = sql`e IS NOT NULL AND t IS NOT NULL`;
  const kept = K ? sql`${ok} AND st IN (${join(stages, ', ')})` : raw('1 = 0');
  const one = (c: Sql): Sql => sql`sum(CASE WHEN ${c} THEN 1 ELSE 0 END)`;
  const [q] = await exec(sql`SELECT count(*) AS n, ${one(sql`e IS NULL`)} AS me,
      ${one(sql`e IS NOT NULL AND t IS NULL`)} AS mt, ${one(kept)} AS nk
    FROM (${sub}) AS s1`);
  const rows = num(q?.['n']);
  const missingEntity = num(q?.['me']);
  const missingTime = num(q?.['mt']);
  const used = num(q?.['nk']);

  // The reduced events: position by stage, group (stage-1 events only in strict mode).
  const pos = K
    ? sql`CASE ${join(
        stages.map((s, k) => sql`WHEN st = ${s} THEN ${k}`),
        ' ',
      )} END`
    : raw('0');
  const events =
    used === 0
      ? []
      : p.mode === 'loose'
        ? await exec(sql`SELECT e, pos, ${g ? raw('g') : raw('NULL')} AS g0, min(t) AS t0
            FROM (SELECT e, ${pos} AS pos${g ? raw(', g') : raw('')}, t FROM (${sub}) AS s2 WHERE ${kept}) AS k
            GROUP BY e, pos${g ? raw(', g') : raw('')}`)
        : await exec(sql`SELECT DISTINCT e, pos, ${g ? raw('CASE WHEN pos = 0 THEN g END') : raw('NULL')} AS g0, t AS t0
            FROM (SELECT e, ${pos} AS pos${g ? raw(', g') : raw('')}, t FROM (${sub}) AS s2 WHERE ${kept}) AS k`);

  // Parallel arrays for the shared counting: entity codes, groups ranked by label (missing last).
  const n = events.length;
  const userOf = new Map<string, number>();
  const labelsSet = new Set<string>();
  for (const r of events) {
    const l = str(r['g0']);
    if (l !== null) labelsSet.add(l);
  }
  const named = [...labelsSet];
  const labels: Array<string | null> | null = g ? [...named, null] : null;
  const G = labels ? labels.length : 1;
  const gIndex = new Map<string, number>(named.map((l, i) => [l, i]));
  const rank = new Int32Array(G);
  if (labels) rank.set(labelRanks(named));
  rank[G - 1] = G - 1;
  const user = new Int32Array(n);
  const posArr = new Int32Array(n);
  const time = new Float64Array(n);
  const grp = new Int32Array(n);
  events.forEach((r, i) => {
    const id = String(r['e']);
    let u = userOf.get(id);
    if (u === undefined) userOf.set(id, (u = userOf.size));
    user[i] = u;
    posArr[i] = num(r['pos']);
    time[i] = Number(r['t0']);
    const l = str(r['g0']);
    grp[i] = l === null ? G - 1 : gIndex.get(l)!;
  });
  const c = funnelCounts(
    {
      kept: Int32Array.from({ length: n }, (_, i) => i),
      user,
      nUsers: userOf.size,
      pos: posArr,
      time,
      grp,
      rank,
    },
    p.mode,
    K,
    G,
    p.windowDays === null ? Infinity : p.windowDays * 86400000,
  );

  // Acquisition cost from campaign_spend (unless `spend` is given), with memory's mapped filters.
  let spend: FunnelAgg['spend'] = null;
  if (
    p.spend === null &&
    hasDataset(scope, 'campaign_spend') &&
    scope.table('campaign_spend').cols.get('spend')?.kind === 'num'
  ) {
    const srel = scope.relation('campaign_spend', 'c');
    const v = srel.numExpr('spend')!;
    const byCat = p.breakdown !== null && scope.resolve('campaign_spend', p.breakdown)?.col.kind === 'cat';
    const b = byCat ? srel.colExpr(p.breakdown!)!.sql : null;
    const mapped = spendFilters(
      { filters: scope.filters, tryCol: (name, field) => scope.resolve(name, field) },
      p,
    );
    const sw = scope.where(srel, mapped);
    const sums = await exec(sql`SELECT ${b ? raw('b') : raw('NULL')} AS bb, sum(v) AS s
      FROM (SELECT ${v} AS v${b ? sql`, ${b} AS b` : raw('')} FROM ${srel.from()} WHERE ${sw}) AS c0
      WHERE v IS NOT NULL${b ? raw(' GROUP BY b') : raw('')}`);
    let total = 0;
    const byLabel = b ? new Map<string, number>() : null;
    for (const r of sums) {
      const s = num(r['s']);
      total += s;
      const l = str(r['bb']);
      if (byLabel && l !== null) byLabel.set(l, r10(s));
    }
    spend = { total: r10(total), byLabel };
  }

  return funnelResult(scope, p, {
    ...c,
    stages,
    labels,
    rows,
    used,
    missingEntity,
    missingTime,
    otherStage: rows - missingEntity - missingTime - used,
    entities: userOf.size,
    spend,
  });
};
