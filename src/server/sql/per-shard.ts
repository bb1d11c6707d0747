/**
 * Queries a ClickHouse cluster answers shard by shard. The backend shards every dataset by
 * `loan_id`, else `customer_id` (`shardKey`), so a loan's months, actions and its `loans` row
 * share a shard, as do a customer's transactions and `customers` row. A grouped query whose joins
 * stay on a row's shard, and whose per-loan pairs or groups stay within a loan where it has any
 * (the adjacent-month self-joins), with sums, counts, minima or maxima per group, can run on each
 * shard's local tables, and the shards' groups are merged here: the same answer as one query over the Distributed tables, without shipping both
 * sides of a 10M-row join to the initiator and hashing them there (ClickHouse 18.16 distributes
 * only the innermost `SELECT … FROM <distributed>`; every level above it, joins included, runs on
 * the initiator).
 *
 * A compiled metric marks such a query with `perShard()`, saying whether its relation is
 * co-located (`Relation.loanColocated()` / `joinsColocated()`) and how its columns merge; every
 * other backend and dialect renders it as the plain query it is.
 */
import type { ColInfo } from './scope.js';
import type { Dialect } from './sql.js';
import { CLICKHOUSE, Sql } from './sql.js';

/** How one grouped query's rows merge across shards: group columns, then what adds up. */
export interface ShardMerge {
  readonly keys: readonly string[];
  /** Counts and sums (a missing sum is 0). */
  readonly sums: readonly string[];
  /** Maxima (NULL when no shard has one). */
  readonly maxes?: readonly string[];
  /** Minima (NULL when no shard has one). */
  readonly mins?: readonly string[];
}

/** A query a cluster may answer shard by shard and merge as `merge` says. */
export class PerShard extends Sql {
  readonly merge: ShardMerge;
  constructor(s: Sql, merge: ShardMerge) {
    super(s.parts, s.args);
    this.merge = merge;
  }
}

/**
 * `s`, marked per-shard when every row it pairs shares a shard (`colocated`) and its columns
 * merge (`merge` not null).
 */
export function perShard(s: Sql, colocated: boolean, merge: ShardMerge | null): Sql {
  return colocated && merge ? new PerShard(s, merge) : s;
}

/**
 * The merge of a query grouped by `keys` that counts its rows as `n` next to a measure's
 * aggregates (`SqlMeasure.merge`); null when the measure does not merge (a distinct count).
 */
export function countedMerge(
  keys: readonly string[],
  measure: { sums: readonly string[]; maxes: readonly string[]; mins: readonly string[] } | null,
): ShardMerge | null {
  return measure && { keys, sums: ['n', ...measure.sums], maxes: measure.maxes, mins: measure.mins };
}

/**
 * The column a ClickHouse cluster shards a dataset by: `loan_id`, else `customer_id` (each only
 * as a category), else none (the row index). One rule for the tables the backend creates and for
 * the co-location a query relies on.
 */
export function shardKey(cols: ReadonlyMap<string, ColInfo>): 'loan_id' | 'customer_id' | null {
  const key = cols.has('loan_id') ? 'loan_id' : cols.has('customer_id') ? 'customer_id' : null;
  return key && cols.get(key)!.kind === 'cat' ? key : null;
}

/** ClickHouse on one shard: the backend's generated table names read as their local tables. */
export function shardDialect(generatedTable: RegExp): Dialect {
  return {
    ...CLICKHOUSE,
    quoteIdent: (name) => CLICKHOUSE.quoteIdent(generatedTable.test(name) ? `${name}_local` : name),
  };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** `g[c] = v` when `v` is present and beyond it (`dir` 1: larger, −1: smaller). */
function keep(g: Record<string, unknown>, c: string, v: unknown, dir: 1 | -1): void {
  if (v === null || v === undefined) return;
  const cur = g[c];
  if (cur === null || cur === undefined || (num(v) - num(cur)) * dir > 0) g[c] = v;
}

/** One row per group over every shard's rows: sums added, maxima and minima kept. */
export function mergeShardRows(
  parts: ReadonlyArray<ReadonlyArray<Record<string, unknown>>>,
  merge: ShardMerge,
): Array<Record<string, unknown>> {
  const known = new Set([...merge.keys, ...merge.sums, ...(merge.maxes ?? []), ...(merge.mins ?? [])]);
  const groups = new Map<string, Record<string, unknown>>();
  for (const rows of parts)
    for (const r of rows) {
      for (const c of Object.keys(r))
        if (!known.has(c)) throw new Error(`per-shard merge: column ${c} has no merge rule`);
      const id = JSON.stringify(merge.keys.map((k) => r[k] ?? null));
      const g = groups.get(id);
      if (!g) {
        groups.set(id, { ...r });
        continue;
      }
      for (const c of merge.sums) g[c] = num(g[c] ?? 0) + num(r[c] ?? 0);
      for (const c of merge.maxes ?? []) keep(g, c, r[c], 1);
      for (const c of merge.mins ?? []) keep(g, c, r[c], -1);
    }
  return [...groups.values()];
}
