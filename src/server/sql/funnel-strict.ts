/**
 * Strict `funnel` journeys computed next to the data: one row per entity that has a stage-1 event
 * (its counted journey: the start's group rank, the depth reached and the time of each stage
 * reached), so what crosses to JS is bounded by entities × stages, never by events.
 *
 * The memory engine's semantics (src/engine/metrics/funnel-counts.ts), written as SQL:
 * - a start is a distinct (entity, stage-1 time); its group is the lowest-ranked group label among
 *   the entity's stage-1 events at that instant (memory: time, then group rank);
 * - from a start at t1, stage k's time is the earliest stage-k event at or after stage k−1's time
 *   and, with a window, at or before `t1 + window` (memory scans the time-sorted events and takes
 *   the first such one: the same event time). Greedy earliest choices are optimal for a fixed
 *   start, as memory's own search assumes;
 * - without a window only the earliest start is tried (memory's `greedy()`: the earliest start's
 *   journey is the deepest, and it comes first); with one, every start is tried and the first
 *   (earliest, then lowest group rank) of the deepest is kept (memory's `windowed()`).
 *
 * One definition for both dialects: the stage chain is K−1 `LEFT JOIN`s of the starts with a
 * stage's events on the entity, each followed by a `GROUP BY` start (`min` of the qualifying times;
 * ClickHouse 18.16 joins only on equalities, so the time conditions sit in the aggregate, and its
 * unmatched right side reads through the join's `x_hit` flag). No window functions, no CTEs.
 */
import type { CompiledMetric } from './collection.js';
import { INNER_JOIN, LEFT_JOIN, Ident, alt, join, raw, sql } from './sql.js';
import type { Sql } from './sql.js';
import { side } from './collection.js';

type Exec = Parameters<CompiledMetric>[3];

const I = (name: string): Ident => new Ident(name);
const T = (k: number): Ident => I(`t${k}`);
/** `arg_min(value, key)`: the value on the row with the least key (keys unique per group here). */
const argMin = (v: Sql, key: Sql): Sql =>
  sql`${alt(sql`arg_min(${v}, ${key})`, sql`argMin(${v}, ${key})`)}`;

/** The SQL that yields one row per entity: `rk`, `d` (stages reached) and `t0`..`t{K−1}`. */
export function strictJourneySql(
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
  const carried = [I('e'), I('t0'), I('rk')];
  for (let k = 1; k < K; k++) {
    const cond = [sql`x_hit = 1`, sql`x_t >= ${T(k - 1)}`];
    if (windowed) cond.push(sql`x_t <= t0 + ${windowMs}`);
    const keys = join([...carried], ', ');
    level = sql`SELECT ${keys}, min(CASE WHEN ${join(cond, ' AND ')} THEN x_t END) AS ${T(k)}
      FROM (${level}) AS ${I(`l${k}`)} ${LEFT_JOIN} ${side(events, 'x', ['e', 't'], sql`pos = ${k}`)} ON e = x_e
      GROUP BY ${keys}`;
    carried.push(T(k));
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

/** Run it: per entity, the group rank, the depth and the stage times (as numbers). */
export async function strictJourneys(
  exec: Exec,
  events: Sql,
  K: number,
  windowMs: number,
  labels: readonly string[] | null,
): Promise<Array<{ rk: number; d: number; t: number[] }>> {
  const rows = await exec(strictJourneySql(events, K, windowMs, labels));
  return rows.map((r) => {
    const d = Number(r['d']);
    return {
      rk: Number(r['rk']),
      d,
      t: Array.from({ length: d }, (_, k) => Number(r[`t${k}`])),
    };
  });
}
