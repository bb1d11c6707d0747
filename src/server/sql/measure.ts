/**
 * Measures (src/engine/metrics/measure.ts) in SQL: the same per-group partials as the memory
 * evaluator's typed-array passes (sums and counts, minima, maxima, distinct counts per leaf), so
 * the memory code's own `finalize()` turns them into values on every backend. Column checks run
 * in the memory order (a leaf's `where` fields, then its field, then "a category cannot be
 * summed"), so bad measures give the same typed errors.
 *
 * Rules both sides follow: a leaf's `where` clauses have exactly the filter semantics
 * (clauseSql = compileClause); missing values never count (count of a field counts present
 * values); distinct counts key categories by value, booleans by 1/0, dates by day, numbers by
 * value; an empty sum is 0, an empty min/max/mean undefined (null).
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { notNumeric } from '../../engine/metrics/generic-util.js';
import type { AggName, Measure, Partials } from '../../engine/metrics/measure.js';
import { isRatio } from '../../engine/metrics/measure.js';
import type { Relation, SqlScope } from './scope.js';
import { clauseSql } from './scope.js';
import type { Sql } from './sql.js';
import { Ident, alt, and, join, raw, sql } from './sql.js';

const PART = /\.(month|day|week|hour|dow)$/;

/** One leaf aggregate: its value column `x<i>` and where-flag column `w<i>` in the row subquery. */
interface Leaf {
  agg: AggName;
  x: Sql;
  w: Sql;
}

/** A measure prepared on a relation: the columns its leaves read, and their aggregates. */
export interface SqlMeasure {
  /** `, x0, w0, x1, w1 …` for the row subquery's SELECT list. */
  columns: Sql;
  /** `, a0, c0, …` aggregates for a `GROUP BY` over the row subquery. */
  aggregates: Sql;
  /**
   * How the aggregates merge over the shards of a cluster (sums and counts added, minima and
   * maxima kept; sql/per-shard.ts), or null when a leaf is a distinct count (not additive).
   */
  merge: { sums: string[]; maxes: string[]; mins: string[] } | null;
  /** Rebuild the memory evaluator's partials from grouped rows (`g` = group index). */
  partials(
    rows: ReadonlyArray<Record<string, unknown>>,
    nGroups: number,
    group: (r: Record<string, unknown>) => number,
  ): Partials;
}

/**
 * Prepare `m` on `rel` (a relation of `source`): resolves every field it reads (the memory
 * evaluator's `ctx.col` / `numericValues` errors, in its order).
 */
export function sqlMeasure(scope: SqlScope, rel: Relation, source: string, m: Measure): SqlMeasure {
  const leaves: Leaf[] = [];
  const walk = (x: Measure): void => {
    if (isRatio(x)) {
      walk(x.ratio[0]);
      walk(x.ratio[1]);
      return;
    }
    const conds: Sql[] = [];
    for (const c of x.where ?? []) {
      const part = PART.exec(c.field)?.[1] as 'month' | 'day' | 'week' | 'hour' | 'dow' | undefined;
      const base = c.field.replace(PART, '');
      const col = rel.colExpr(base, part);
      if (!col) scope.kind(source, base); // missing_column, as ctx.col
      conds.push(clauseSql(col!.kind, col!.sql, c, part));
    }
    const w = conds.length ? sql`CASE WHEN ${and(conds)} THEN 1 ELSE 0 END` : raw('1');
    let value: Sql;
    if (!x.field) value = raw('1');
    else {
      const kind = scope.kind(source, x.field); // missing_column
      if (x.agg === 'count') {
        value = kind === 'cat' ? rel.colExpr(x.field)!.sql : rel.numExpr(x.field)!;
        value = sql`CASE WHEN ${value} IS NOT NULL THEN 1 END`;
      } else if (x.agg === 'distinct') {
        if (kind === 'date') {
          const d = rel.colExpr(x.field, 'day')!.sql;
          value = sql`CASE WHEN ${d} <> ${raw(String(NULL_INDEX))} THEN ${d} END`;
        } else value = kind === 'cat' ? rel.colExpr(x.field)!.sql : rel.numExpr(x.field)!;
      } else {
        if (kind === 'cat') throw notNumeric('measure', x.field);
        value = rel.numExpr(x.field)!;
      }
    }
    leaves.push({ agg: x.agg, x: value, w });
  };
  walk(m);
  const X = (i: number): Ident => new Ident(`x${i}`);
  const W = (i: number): Ident => new Ident(`w${i}`);
  const A = (i: number): Ident => new Ident(`a${i}`);
  const C = (i: number): Ident => new Ident(`c${i}`);
  const columns = join(
    leaves.map((l, i) => sql`, ${l.x} AS ${X(i)}, ${l.w} AS ${W(i)}`),
    '',
  );
  const aggs: Sql[] = leaves.map((l, i) => {
    const picked = sql`CASE WHEN ${W(i)} = 1 THEN ${X(i)} END`;
    const present = sql`sum(CASE WHEN ${W(i)} = 1 AND ${X(i)} IS NOT NULL THEN 1 ELSE 0 END)`;
    switch (l.agg) {
      case 'count':
        return sql`, ${present} AS ${A(i)}`;
      case 'distinct':
        return sql`, ${alt(sql`count(DISTINCT ${picked})`, sql`uniqExact(${picked})`)} AS ${A(i)}`;
      case 'sum':
        return sql`, sum(${picked}) AS ${A(i)}`;
      case 'mean':
        return sql`, sum(${picked}) AS ${A(i)}, ${present} AS ${C(i)}`;
      case 'min':
        return sql`, min(${picked}) AS ${A(i)}`;
      case 'max':
        return sql`, max(${picked}) AS ${A(i)}`;
    }
  });
  const aggregates = join(aggs, '');
  const merge: SqlMeasure['merge'] = { sums: [], maxes: [], mins: [] };
  for (const [i, l] of leaves.entries()) {
    if (l.agg === 'min') merge.mins.push(`a${i}`);
    else if (l.agg === 'max') merge.maxes.push(`a${i}`);
    else if (l.agg === 'mean') merge.sums.push(`a${i}`, `c${i}`);
    else if (l.agg !== 'distinct') merge.sums.push(`a${i}`);
  }
  const partials = (
    rows: ReadonlyArray<Record<string, unknown>>,
    nGroups: number,
    group: (r: Record<string, unknown>) => number,
  ): Partials => {
    let next = 0;
    const build = (x: Measure): Partials => {
      if (isRatio(x)) return { kind: 'ratio', a: build(x.ratio[0]), b: build(x.ratio[1]) };
      const i = next++;
      const agg = x.agg;
      const acc = new Float64Array(nGroups);
      const cnt = agg === 'mean' ? new Float64Array(nGroups) : null;
      if (agg === 'min') acc.fill(Infinity);
      if (agg === 'max') acc.fill(-Infinity);
      for (const r of rows) {
        const g = group(r);
        if (g < 0 || g >= nGroups) continue;
        const a = r[`a${i}`];
        if (a !== null && a !== undefined) acc[g] = Number(a);
        if (cnt) cnt[g] = Number(r[`c${i}`] ?? 0);
      }
      return { kind: 'leaf', agg, acc, cnt };
    };
    return build(m);
  };
  const additive = leaves.every((l) => l.agg !== 'distinct');
  return { columns, aggregates, merge: additive ? merge : null, partials };
}
