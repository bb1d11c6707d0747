/**
 * `entry_rate` (入催率) and `cure_rate` (出催率) compiled to SQL from their definitions: each
 * selected row is matched to
 * the same loan's selected row at the adjacent month (filters apply to both
 * ends, as the memory engine's adjacent rows); the row tests run in the memory loop's order, and
 * the metric's own `…Result()` shapes rows, basis and quality.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { cureRateParams, cureRateResult } from '../../engine/metrics/cure-rate.js';
import { entryRateParams, entryRateResult } from '../../engine/metrics/entry-rate.js';
import { groupOrder } from '../../engine/metrics/loan-months.js';
import type { CompiledMetric, Exec } from './collection.js';
import { NI, bucketSql, duplicateLoanMonths, loanMonths, num, side } from './collection.js';
import { perShard } from './per-shard.js';
import type { SqlScope } from './scope.js';
import { FALSE, INNER_JOIN, LEFT_JOIN, raw, sql } from './sql.js';
import type { Sql } from './sql.js';

const label = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * What entry_rate and cure_rate both read first: the selected rows per (month, group) cell, the
 * month extent, the latest day, duplicate (loan, month) rows, and the groups in the memory
 * engine's order (null group last).
 */
async function monthGroupExtent(
  scope: SqlScope,
  source: string,
  { sub, hasGroup, colocated }: { sub: Sql; hasGroup: boolean; colocated: boolean },
  exec: Exec,
) {
  const gSel = hasGroup ? raw(', g') : raw('');
  const cells = await exec(
    perShard(
      sql`SELECT m${gSel}, count(*) AS n, max(d) AS md FROM (${sub}) AS e GROUP BY m${gSel}`,
      colocated,
      {
        keys: hasGroup ? ['m', 'g'] : ['m'],
        sums: ['n'],
        maxes: ['md'],
      },
    ),
  );
  const dup = await duplicateLoanMonths(scope, source, sub, exec, colocated);
  let count = 0;
  let maxDay = NULL_INDEX;
  let lo = 2147483647;
  let hi = NULL_INDEX;
  const present = new Set<string | null>();
  for (const r of cells) {
    count += num(r['n']);
    const m = num(r['m']);
    if (m === NULL_INDEX) continue;
    lo = Math.min(lo, m);
    hi = Math.max(hi, m);
    if (r['md'] !== null && r['md'] !== undefined) maxDay = Math.max(maxDay, num(r['md']));
    if (hasGroup) present.add(label(r['g']));
  }
  const m0 = hi === NULL_INDEX ? NULL_INDEX : lo;
  const M = hi === NULL_INDEX ? 0 : hi - lo + 1;
  const labels: Array<string | null> | null = hasGroup
    ? [...[...present].filter((x): x is string => x !== null), null]
    : null;
  const gi = new Map<string | null, number>();
  labels?.forEach((l, i) => gi.set(l, i));
  const G = labels ? labels.length : 1;
  const order = labels ? groupOrder({ codes: new Int32Array(0), count: G, nullGroup: G - 1, labels }) : [0];
  const gOf = (r: Record<string, unknown>): number => (labels ? gi.get(label(r['g']))! : 0);
  return { cells, dup, count, maxDay, m0, M, labels, G, order, gOf };
}

export const entryRateSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = entryRateParams(params);
  const amount = p.measure === 'amount';
  const lm = loanMonths(scope, source, p.by, [{ field: 'due_amount', kind: 'num', as: 'due' }]);
  const { sub, hasGroup, cols, colocated } = lm;
  // Extent and the cells present (every selected row with a month marks its cell as seen).
  const {
    cells: cellsSeen,
    dup,
    count,
    maxDay,
    m0,
    M,
    labels,
    G,
    order,
    gOf,
  } = await monthGroupExtent(scope, source, lm, exec);
  const seen = new Uint8Array(M * G);
  for (const r of cellsSeen) {
    const m = num(r['m']);
    if (m === NULL_INDEX) continue;
    seen[(m - m0) * G + gOf(r)] = 1;
  }
  const m1 = p.scale.edges[1]!;
  const a = p.amountField === 'due_amount' ? raw('c_due') : raw('c_o');
  // Classes: 1 missing due, 2 due ≤ 0, 3 missing dpd, 4 missing amount (amount measure), 0 used.
  const rows = await exec(
    perShard(
      sql`SELECT c_m AS m${hasGroup ? raw(', c_g AS g') : raw('')},
      CASE WHEN c_due IS NULL THEN 1 WHEN NOT (c_due > 0) THEN 2 WHEN c_st <> 1 AND NOT coalesce(c_dpd >= 0, ${FALSE}) THEN 3
        ${amount ? sql`WHEN ${a} IS NULL THEN 4` : raw('')} ELSE 0 END AS cls,
      count(*) AS n, sum(CASE WHEN ${a} IS NULL THEN 1 ELSE 0 END) AS n_anull,
      sum(CASE WHEN ${a} IS NOT NULL THEN ${a} ELSE 0 END) AS base_a,
      sum(CASE WHEN c_st <> 1 AND c_dpd >= ${m1} THEN 1 ELSE 0 END) AS ent_l,
      sum(CASE WHEN c_st <> 1 AND c_dpd >= ${m1} AND ${a} IS NOT NULL THEN ${a} ELSE 0 END) AS ent_a
    FROM ${side(sub, 'c', cols)} ${INNER_JOIN} ${side(sub, 'q', cols)} ON c_loan = q_loan AND c_m - 1 = q_m
    WHERE c_m <> ${NI} AND q_st = 0 AND q_dpd >= 0 AND q_dpd < ${m1}
    GROUP BY c_m${hasGroup ? raw(', c_g') : raw('')}, cls`,
      colocated,
      {
        keys: hasGroup ? ['m', 'g', 'cls'] : ['m', 'cls'],
        sums: ['n', 'n_anull', 'base_a', 'ent_l', 'ent_a'],
      },
    ),
  );
  const baseL = new Float64Array(M * G);
  const entL = new Float64Array(M * G);
  const baseA = new Float64Array(M * G);
  const entA = new Float64Array(M * G);
  let used = 0;
  let missingDue = 0;
  let missingDpd = 0;
  let missingAmt = 0;
  for (const r of rows) {
    const cls = num(r['cls']);
    const n = num(r['n']);
    if (cls === 1) missingDue += n;
    if (cls === 3) missingDpd += n;
    if (cls === 4) missingAmt += n;
    if (cls !== 0) continue;
    if (!amount) missingAmt += num(r['n_anull']);
    used += n;
    const cell = (num(r['m']) - m0) * G + gOf(r);
    baseL[cell]! += n;
    entL[cell]! += num(r['ent_l']);
    baseA[cell]! += num(r['base_a']);
    entA[cell]! += num(r['ent_a']);
  }
  return entryRateResult(scope, p, {
    count,
    maxDay,
    m0,
    M,
    G,
    order,
    labels,
    baseL,
    entL,
    baseA,
    entA,
    seen,
    used,
    excluded: {
      missing_due_amount: missingDue,
      missing_dpd: missingDpd,
      missing_amount: amount ? missingAmt : 0,
      duplicate_loan_month: dup,
    },
  });
};

export const cureRateSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = cureRateParams(params);
  const amount = p.measure === 'amount';
  const lm = loanMonths(scope, source, p.by);
  const { sub, hasGroup, cols, colocated } = lm;
  const { cells, dup, count, maxDay, m0, M, labels, G, order, gOf } = await monthGroupExtent(
    scope,
    source,
    lm,
    exec,
  );
  const hi = M === 0 ? NULL_INDEX : m0 + M - 1; // the latest selected month
  const seenMonth = new Uint8Array(M);
  const seen = new Uint8Array(M * G);
  for (const r of cells) {
    const m = num(r['m']);
    if (m === NULL_INDEX) continue;
    seenMonth[m - m0] = 1;
    // The outcome month of a row at t − 1 is t: marked when t is inside the selection's span.
    if (m - m0 + 1 < M) seen[(m - m0 + 1) * G + gOf(r)] = 1;
  }
  const edges = p.scale.edges;
  const nb = edges.length;
  const m1 = edges[1]!;
  const S = M * G * nb;
  const baseL = new Float64Array(S);
  const curL = new Float64Array(S);
  const baseA = new Float64Array(S);
  const curA = new Float64Array(S);
  const usedBy = new Float64Array(M);
  const missingNextBy = new Float64Array(M);
  const missingDpdBy = new Float64Array(M);
  const missingOutBy = new Float64Array(M);
  if (M > 1) {
    const bucket = bucketSql(edges, raw('q_dpd'));
    // q: the row at t − 1 (in book, not M0); c: the same loan's selected row at t, if any.
    const rows = await exec(
      perShard(
        sql`SELECT q_m AS m${hasGroup ? raw(', q_g AS g') : raw('')},
        CASE WHEN q_dpd >= 0 THEN ${bucket} ELSE -1 END AS b,
        CASE WHEN NOT coalesce(q_dpd >= 0, ${FALSE}) THEN 1 ${amount ? raw('WHEN q_o IS NULL THEN 2') : raw('')} ELSE 0 END AS cls,
        CASE WHEN c_hit IS NULL THEN 0 WHEN c_st = 1 THEN 1 WHEN c_st = 0 AND c_dpd >= 0 AND c_dpd < ${m1} THEN 1 ELSE 0 END AS cured,
        CASE WHEN c_hit IS NULL THEN 1 WHEN c_st = 0 AND c_dpd IS NULL THEN 1 ELSE 0 END AS miss_next,
        count(*) AS n, sum(CASE WHEN q_o IS NULL THEN 1 ELSE 0 END) AS n_onull, sum(CASE WHEN q_o IS NOT NULL THEN q_o ELSE 0 END) AS amt
      FROM ${side(sub, 'q', cols, sql`m <> ${NI} AND m < ${hi} AND st = 0 AND NOT coalesce(dpd >= 0 AND dpd < ${m1}, ${FALSE})`)}
      ${LEFT_JOIN} ${side(sub, 'c', cols)} ON q_loan = c_loan AND q_m + 1 = c_m
      GROUP BY q_m${hasGroup ? raw(', q_g') : raw('')}, b, cls, cured, miss_next`,
        colocated,
        {
          keys: hasGroup
            ? ['m', 'g', 'b', 'cls', 'cured', 'miss_next']
            : ['m', 'b', 'cls', 'cured', 'miss_next'],
          sums: ['n', 'n_onull', 'amt'],
        },
      ),
    );
    for (const r of rows) {
      const mo = num(r['m']) - m0 + 1;
      const n = num(r['n']);
      const cls = num(r['cls']);
      if (cls === 1) {
        missingDpdBy[mo]! += n;
        continue;
      }
      if (cls === 2) {
        missingOutBy[mo]! += n;
        continue;
      }
      if (!amount) missingOutBy[mo]! += num(r['n_onull']);
      usedBy[mo]! += n;
      if (num(r['miss_next']) === 1) missingNextBy[mo]! += n;
      const base = (mo * G + gOf(r)) * nb;
      const b = num(r['b']);
      const amt = num(r['amt']);
      baseL[base]! += n;
      baseL[base + b]! += n;
      baseA[base]! += amt;
      baseA[base + b]! += amt;
      if (num(r['cured']) === 1) {
        curL[base]! += n;
        curL[base + b]! += n;
        curA[base]! += amt;
        curA[base + b]! += amt;
      }
    }
  }
  return cureRateResult(scope, p, {
    count,
    maxDay,
    m0,
    M,
    G,
    order,
    labels,
    baseL,
    curL,
    baseA,
    curA,
    seenMonth,
    seen,
    usedBy,
    missingNextBy,
    missingDpdBy,
    missingOutBy,
    duplicates: dup,
  });
};
