/**
 * `funnel` compiled to SQL from its own definition (src/engine/metrics/funnel.ts): `funnelParams()`
 * validates, SQL selects and classifies the events next to the data (missing entity / time, stages
 * not listed, the stage order by distinct entities), reduces them to what the journey needs, and
 * the memory engine's own counting (`funnelCounts()`) and `funnelResult()` run on that in JS, so
 * journeys, first-touch attribution, medians and CAC are one code path on every backend.
 *
 * What crosses the wire: loose mode, one row per (entity, stage, group) with its earliest time;
 * strict mode, one row per entity with a stage-1 event: its counted journey, found in SQL
 * (funnel-strict.ts), which the same counting then replays (one start, one time per stage reached),
 * plus the stage-1 group labels for the ranks. Spend for CAC is one `GROUP BY` over
 * `campaign_spend` with the memory engine's mapped filters (`spendFilters()`: event-time clauses on
 * the spend `date`).
 */
import type { FunnelAgg } from '../../engine/metrics/funnel.js';
import { funnelParams, funnelResult, spendFilters, stageOrder } from '../../engine/metrics/funnel.js';
import type { FunnelCounts, FunnelEvents } from '../../engine/metrics/funnel-counts.js';
import { funnelCounts } from '../../engine/metrics/funnel-counts.js';
import { badParam, labelRanks } from '../../engine/metrics/generic-util.js';
import { r10 } from '../../engine/metric.js';
import type { CompiledMetric } from './collection.js';
import { hasDataset } from './has.js';
import { num } from './collection.js';
import type { Sql } from './sql.js';
import { join, raw, sql } from './sql.js';
import { strictCounts } from './funnel-strict.js';

type Exec = Parameters<CompiledMetric>[3];

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
      ${one(sql`e IS NOT NULL AND t IS NULL`)} AS mt, ${one(kept)} AS nk,
      count(DISTINCT CASE WHEN ${kept} THEN e END) AS ne
    FROM (${sub}) AS s1`);
  const rows = num(q?.['n']);
  const missingEntity = num(q?.['me']);
  const missingTime = num(q?.['mt']);
  const used = num(q?.['nk']);
  const windowMs = p.windowDays === null ? Infinity : p.windowDays * 86400000;

  // The kept events: position by stage, the group when there is a breakdown.
  const pos = K
    ? sql`CASE ${join(
        stages.map((s, k) => sql`WHEN st = ${s} THEN ${k}`),
        ' ',
      )} END`
    : raw('0');
  const kev = sql`SELECT e, ${pos} AS pos${g ? raw(', g') : raw('')}, t FROM (${sub}) AS s2 WHERE ${kept}`;
  const counted =
    used === 0
      ? null
      : p.mode === 'loose'
        ? await shippedCounts(exec, looseRows(kev, !!g), !!g, K, 'loose', Infinity)
        : ((await strictCounts(exec, kev, !!g, K, windowMs)) ??
          (await shippedCounts(exec, strictRows(kev, !!g), !!g, K, 'strict', windowMs)));
  const c = counted ?? funnelCounts(NO_EVENTS, p.mode, K, 1, windowMs);
  const labels = counted ? counted.labels : g ? [null] : null;

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
    rows,
    used,
    missingEntity,
    missingTime,
    otherStage: rows - missingEntity - missingTime - used,
    labels,
    entities: num(q?.['ne']),
    spend,
  });
};

/** Counts and the group labels by group index (the missing group last); null without breakdown. */
interface Counted extends FunnelCounts {
  labels: Array<string | null> | null;
  medianHours?: FunnelAgg['medianHours'];
}

const NO_EVENTS: FunnelEvents = {
  kept: new Int32Array(0),
  user: new Int32Array(0),
  nUsers: 0,
  pos: new Int32Array(0),
  time: new Float64Array(0),
  grp: new Int32Array(0),
  rank: new Int32Array(1),
};

/** Parallel event arrays of `n` events for the shared counting. */
function eventArrays(n: number, nUsers: number, rank: Int32Array): FunnelEvents {
  return {
    kept: Int32Array.from({ length: n }, (_, i) => i),
    user: new Int32Array(n),
    nUsers,
    pos: new Int32Array(n),
    time: new Float64Array(n),
    grp: new Int32Array(n),
    rank,
  };
}

/** Loose: one row per (entity, stage, group) with its earliest time. */
const looseRows = (kev: Sql, hasG: boolean): Sql =>
  sql`SELECT e, pos, ${hasG ? raw('g') : raw('NULL')} AS g0, min(t) AS t0
    FROM (${kev}) AS k GROUP BY e, pos${hasG ? raw(', g') : raw('')}`;

/**
 * Strict with too many stage-1 labels to rank in SQL (funnel-strict.ts): the distinct (entity,
 * stage, time) events, the group on stage-1 events only (attribution reads the start's group).
 */
const strictRows = (kev: Sql, hasG: boolean): Sql =>
  sql`SELECT DISTINCT e, pos, ${hasG ? raw('CASE WHEN pos = 0 THEN g END') : raw('NULL')} AS g0, t AS t0
    FROM (${kev}) AS k`;

/** Events shipped to JS (`e`, `pos`, `g0`, `t0` rows), counted by the memory engine's `funnelCounts()`. */
async function shippedCounts(
  exec: Exec,
  rows: Sql,
  hasG: boolean,
  K: number,
  mode: 'strict' | 'loose',
  windowMs: number,
): Promise<Counted> {
  const events = await exec(rows);
  // Entity codes, groups ranked by label (missing last).
  const labelsSet = new Set<string>();
  for (const r of events) {
    const l = str(r['g0']);
    if (l !== null) labelsSet.add(l);
  }
  const named = [...labelsSet];
  const labels: Array<string | null> | null = hasG ? [...named, null] : null;
  const G = labels ? labels.length : 1;
  const gIndex = new Map<string, number>(named.map((l, i) => [l, i]));
  const rank = new Int32Array(G);
  if (labels) rank.set(labelRanks(named));
  rank[G - 1] = G - 1;
  const userOf = new Map<string, number>();
  const ev = eventArrays(events.length, 0, rank);
  events.forEach((r, i) => {
    const id = String(r['e']);
    let u = userOf.get(id);
    if (u === undefined) userOf.set(id, (u = userOf.size));
    ev.user[i] = u;
    ev.pos[i] = num(r['pos']);
    ev.time[i] = Number(r['t0']);
    const l = str(r['g0']);
    ev.grp[i] = l === null ? G - 1 : gIndex.get(l)!;
  });
  ev.nUsers = userOf.size;
  return { ...funnelCounts(ev, mode, K, G, windowMs), labels };
}
