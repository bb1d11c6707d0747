/**
 * Strict `funnel` computed next to the data: each entity's counted journey (the start's group
 * rank, the depth reached, the time of each stage reached), then per group the entities per stage
 * and the median hours from the previous stage, so what crosses to JS is one row per group (and
 * one for all groups) plus the stage-1 group labels — never one per event or entity.
 *
 * The memory engine's semantics (src/engine/metrics/funnel-counts.ts), written as SQL:
 * - a start is a distinct (entity, stage-1 time); its group is the lowest-ranked group label among
 *   the entity's stage-1 events at that instant (memory: time, then group rank);
 * - from a start at t1, stage k's time is the earliest stage-k event at or after stage k−1's time
 *   and, with a window, at or before `t1 + window` (memory's `windowed()` scans the time-sorted
 *   events from each start and takes the first such one: the same greedy choice, so the two agree
 *   by construction, not by a proof of equivalence). The greedy choice is also the deepest from a
 *   fixed start: if any valid times s_1 ≤ … ≤ s_k ≤ limit exist, induction gives greedy g_j ≤ s_j;
 * - without a window only the earliest start is tried (memory's `greedy()`: any journey from a
 *   later start is also one from the earliest, so the earliest is deepest and comes first); with
 *   one, every start is tried and the first (earliest, then lowest group rank) of the deepest is
 *   kept (memory's `windowed()`).
 *
 * One definition for both dialects: the stage chain is K−1 `LEFT JOIN`s of the starts with a
 * stage's events on the entity, each followed by a `GROUP BY` start (`min` of the qualifying times;
 * ClickHouse 18.16 joins only on equalities, so the time conditions sit in the aggregate, and its
 * unmatched right side reads through the join's `x_hit` flag). No window functions, no CTEs.
 */
import type { FunnelAgg } from '../../engine/metrics/funnel.js';
import type { FunnelCounts } from '../../engine/metrics/funnel-counts.js';
import { F64Buf, I32Buf, cmpStr } from '../../engine/metrics/generic-util.js';
import type { CompiledMetric } from './collection.js';
import { INNER_JOIN, LEFT_JOIN, Ident, alt, join, raw, sql } from './sql.js';
import type { Sql } from './sql.js';
import { side } from './collection.js';

type Exec = Parameters<CompiledMetric>[3];

const I = (name: string): Ident => new Ident(name);
const T = (k: number): Ident => I(`t${k}`);
/** `arg_min(value, key)`: the value on the row with the least key (keys unique per group here). */
const argMin = (v: Sql, key: Sql): Sql => sql`${alt(sql`arg_min(${v}, ${key})`, sql`argMin(${v}, ${key})`)}`;

/** The SQL that yields one row per entity: `rk`, `d` (stages reached) and `t0`..`t{K−1}`. */
function strictJourneySql(
  /** Kept events: `e`, `pos` (0-based stage), `t` (epoch ms) and `g` when `labels` is given. */
  events: Sql,
  K: number,
  windowMs: number,
  /** Group labels of stage-1 events in rank order (JS code-unit order); null without breakdown. */
  labels: readonly string[] | null,
): Sql {
  // Group rank of an event: its label's position, the missing group last (labels.length).
  const rank =
    labels && labels.length
      ? sql`CASE ${join(
          labels.map((l, r) => sql`WHEN g = ${l} THEN ${r}`),
          ' ',
        )} ELSE ${labels.length} END`
      : raw(String(labels ? labels.length : 0));
  // Starts: distinct (entity, stage-1 time), the lowest group rank at that instant.
  let starts = sql`SELECT e, t AS t0, min(r0) AS rk
    FROM (SELECT e, t, ${rank} AS r0 FROM (${events}) AS s3 WHERE pos = 0) AS s4 GROUP BY e, t`;
  const windowed = windowMs !== Infinity;
  if (!windowed)
    starts = sql`SELECT e, m0 AS t0, m1 AS rk
      FROM (SELECT e, min(t0) AS m0, ${argMin(raw('rk'), raw('t0'))} AS m1 FROM (${starts}) AS s5 GROUP BY e) AS s6`;

  // The chain: level k adds t_k, the earliest qualifying stage-k time (NULL when not reached).
  let level = starts;
  // Grouped by the start's key only; the other carried columns are constant per start (min).
  const keys = windowed ? [I('e'), I('t0')] : [I('e')];
  const carried = windowed ? [I('rk')] : [I('t0'), I('rk')];
  for (let k = 1; k < K; k++) {
    const cond = [sql`x_hit = 1`, sql`x_t >= ${T(k - 1)}`];
    if (windowed) cond.push(sql`x_t <= t0 + ${windowMs}`);
    const keyList = join(keys, ', ');
    // ClickHouse resolves aliases query-wide: `min(c) AS c` would be cyclic, so `v_c`, renamed after.
    const v = (c: Ident): Ident => I(`v_${c.name}`);
    const agg = sql`SELECT ${keyList}, ${join(
      carried.map((c) => sql`min(${c}) AS ${v(c)}`),
      ', ',
    )}, min(CASE WHEN ${join(cond, ' AND ')} THEN x_t END) AS ${v(T(k))}
      FROM (${level}) AS ${I(`l${k}`)} ${LEFT_JOIN} ${side(events, 'x', ['e', 't'], sql`pos = ${k}`)} ON e = x_e
      GROUP BY ${keyList}`;
    carried.push(T(k));
    level = sql`SELECT ${keyList}, ${join(
      carried.map((c) => sql`${v(c)} AS ${c}`),
      ', ',
    )} FROM (${agg}) AS ${I(`w${k}`)}`;
  }
  // Depth: stages reached (each t_k is NULL once one is missed).
  const depth =
    K > 1
      ? sql`CASE ${join(
          Array.from({ length: K - 1 }, (_, j) => sql`WHEN ${T(K - 1 - j)} IS NOT NULL THEN ${K - j}`),
          ' ',
        )} ELSE 1 END`
      : raw('1');
  const times = Array.from({ length: K }, (_, k) => T(k));
  const perStart = sql`SELECT e, rk, ${depth} AS d, ${join(times, ', ')} FROM (${level}) AS p0`;
  if (!windowed) return sql`SELECT rk, d, ${join(times, ', ')} FROM (${perStart}) AS p1`;

  // The first (earliest; its rank already the lowest at that instant) of the deepest starts.
  const best = sql`SELECT e AS b_e, max(d) AS b_d FROM (${perStart}) AS p2 GROUP BY e`;
  const picked = times.map((tk, k) => sql`${argMin(sql`${tk}`, raw('t0'))} AS ${I(`o${k}`)}`);
  const out = sql`SELECT ${argMin(raw('rk'), raw('t0'))} AS orr, max(d) AS od, ${join(picked, ', ')}
    FROM (${perStart}) AS p3 ${INNER_JOIN} (${best}) AS b ON e = b_e WHERE d = b_d GROUP BY e`;
  const rename = times.map((tk, k) => sql`${I(`o${k}`)} AS ${tk}`);
  return sql`SELECT orr AS rk, od AS d, ${join(rename, ', ')} FROM (${out}) AS p4`;
}

/** `count(*)` of the rows meeting `c`. */
const countIf = (c: Sql): Sql => sql`${alt(sql`count(*) FILTER (WHERE ${c})`, sql`countIf(${c})`)}`;
/** The values `v` of the rows meeting `c`, sorted ascending (an array; 1-based indexes). */
const sortedIf = (v: Sql, c: Sql): Sql =>
  sql`${alt(sql`list_sort(list(${v}) FILTER (WHERE ${c}))`, sql`arraySort(groupArrayIf(assumeNotNull(${v}), ${c}))`)}`;
const half = (n: Sql): Sql => sql`${alt(sql`((${n}) // 2)`, sql`intDiv(${n}, 2)`)}`;

/**
 * Per group rank `gg` (and `gg = −1` for all groups, with a breakdown): entities per stage
 * `n0`..`n{K−1}` and the median hours from the previous stage `m1`..`m{K−1}` (NULL when none),
 * over the journeys of `strictJourneySql()`. The median is memory's `quantileSorted(·, 0.5)` on the
 * sorted hours with its own float operations: the middle value, or `a + (b − a) * 0.5`.
 */
function strictAggSql(journeys: Sql, K: number, byGroup: boolean): Sql {
  const times = Array.from({ length: K }, (_, k) => T(k));
  const list = join(times, ', ');
  const expanded = byGroup
    ? sql`${alt(
        sql`SELECT unnest([rk, -1]) AS gg, d, ${list} FROM (${journeys}) AS j0`,
        sql`SELECT gg, d, ${list} FROM (${journeys}) AS j0 ARRAY JOIN [toInt32(rk), -1] AS gg`,
      )}`
    : sql`SELECT 0 AS gg, d, ${list} FROM (${journeys}) AS j0`;
  const inner: Sql[] = [sql`count(*) AS n0`];
  const outer: Sql[] = [raw('gg'), raw('n0')];
  for (let k = 1; k < K; k++) {
    const n = I(`n${k}`);
    const a = I(`a${k}`);
    inner.push(sql`${countIf(sql`d > ${k}`)} AS ${n}`);
    inner.push(sql`${sortedIf(sql`(${T(k)} - ${T(k - 1)}) / 3600000`, sql`d > ${k}`)} AS ${a}`);
    const lo = sql`${a}[${half(sql`${n}`)}]`;
    outer.push(sql`${n}`);
    outer.push(sql`CASE WHEN ${n} = 0 THEN NULL WHEN ${n} % 2 = 1 THEN ${a}[${half(sql`${n} + 1`)}]
      ELSE ${lo} + (${a}[${half(sql`${n}`)} + 1] - ${lo}) * 0.5 END AS ${I(`m${k}`)}`);
  }
  return sql`SELECT ${join(outer, ', ')}
    FROM (SELECT gg, ${join(inner, ', ')} FROM (${expanded}) AS j1 GROUP BY gg) AS j2`;
}

/**
 * Stage-1 labels ranked in SQL: one `CASE` branch (a bound value) per label, so their number and
 * size are capped (ClickHouse's 256 KiB `max_query_size`; the ranks appear twice in a windowed
 * query). Beyond, `strictCounts()` answers null and the caller ships the events (funnel.ts).
 */
export const MAX_RANKED_LABELS = 1000;
const MAX_RANKED_CHARS = 32768;
const rankable = (labels: readonly string[]): boolean =>
  labels.length <= MAX_RANKED_LABELS && labels.reduce((n, l) => n + l.length, 0) <= MAX_RANKED_CHARS;

/**
 * Strict counts and medians per group, computed in SQL: what crosses to JS is one row per group
 * (plus one for all groups) and the stage-1 group labels, whatever the number of events or
 * entities. Groups: the stage-1 labels in code-unit order (their rank), the missing group last.
 * Null when the labels are too many to rank in SQL (`rankable()`).
 */
export async function strictCounts(
  exec: Exec,
  kev: Sql,
  hasG: boolean,
  K: number,
  windowMs: number,
): Promise<
  (FunnelCounts & { labels: Array<string | null> | null; medianHours: FunnelAgg['medianHours'] }) | null
> {
  const named = hasG
    ? (await exec(sql`SELECT DISTINCT g FROM (${kev}) AS k WHERE pos = 0 AND g IS NOT NULL`))
        .map((r) => String(r['g']))
        .sort(cmpStr)
    : null;
  if (named && !rankable(named)) return null;
  const G = named ? named.length + 1 : 1;
  const rows = await exec(strictAggSql(strictJourneySql(kev, K, windowMs, named), K, hasG));
  const counts = new Float64Array(G * K);
  const byGroup = new Float64Array(G * K).fill(NaN);
  const overall = new Float64Array(K).fill(NaN);
  const med = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
  for (const r of rows) {
    const gg = Number(r['gg']);
    for (let k = 0; k < K; k++) {
      const m = k > 0 ? med(r[`m${k}`]) : NaN;
      if (gg < 0 || !hasG) overall[k] = m;
      if (gg >= 0) {
        counts[gg * K + k] = Number(r[`n${k}`]);
        byGroup[gg * K + k] = m;
      }
    }
  }
  return {
    counts,
    diffs: Array.from({ length: K }, () => new F64Buf()),
    diffGroups: Array.from({ length: K }, () => new I32Buf()),
    labels: named ? [...named, null] : null,
    medianHours: { byGroup, overall },
  };
}
