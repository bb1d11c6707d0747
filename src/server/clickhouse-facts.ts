/**
 * What the ClickHouse backend reads about a stored table once, at attach or load, in SQL over the
 * Distributed table (grouped per shard where the rows a group needs share a shard): keys repeated
 * across the chunks of one file (refused), which key columns are unique, whether a loan has at
 * most one row per snapshot month (`uniqueLoanMonths`), and whether every case has rows of one
 * loan only (`casesOneLoan`, so a case sits on one shard).
 */
import { NULL_INDEX } from '../data/dataset.js';
import { schemaOf } from '../data/schemas.js';
import { FinError } from '../engine/errors.js';
import { shardKey } from './sql/per-shard.js';
import type { TableInfo } from './sql/scope.js';
import { Ident } from './sql/sql.js';

/** How the checks reach the table: one count query, the table's qualified name, the cluster. */
export interface FactsContext {
  countOf(query: string, settings?: Record<string, number>): Promise<number>;
  table(name: string): string;
  clustered: boolean;
}

/** Across chunks: refuse repeated keys (see loadCsvChunks); which key columns are unique. */
export async function checkKeys(info: TableInfo, name: string, ctx: FactsContext): Promise<void> {
  const id = (f: string): string => `\`${new Ident(info.cols.get(f)!.id).name}\``;
  const key = (schemaOf(name)?.key ?? []).filter((f) => info.cols.has(f));
  const count = ctx.countOf;
  // Rows sharing a key that holds the sharding column sit on one shard: each shard groups its
  // own rows (no merge of 10M groups on the initiator, which ran out of memory at 10M).
  const shardCol = shardKey(info.cols);
  const colocated = ctx.clustered && shardCol !== null && key.includes(shardCol);
  if (key.length) {
    const present = key.map((f) => `isNotNull(${id(f)})`).join(' AND ');
    const repeated = await count(
      `SELECT count() AS n FROM (SELECT ${key.map(id).join(', ')} FROM ${ctx.table(info.table)} WHERE ${present} GROUP BY ${key.map(id).join(', ')} HAVING count() > 1)`,
      colocated ? { distributed_group_by_no_merge: 1 } : {},
    );
    if (repeated > 0)
      throw new FinError(
        'bad_input',
        `The file repeats ${repeated} keys across its parts; de-duplicate it, or attach it with a larger chunkRows`,
        { dataset: name, repeated },
      );
  }
  info.uniqueKeys = new Set();
  for (const k of ['loan_id', 'customer_id']) {
    if (info.cols.get(k)?.kind !== 'cat') continue;
    const dup = await count(
      `SELECT count() - uniqExact(${id(k)}) AS n FROM ${ctx.table(info.table)} WHERE isNotNull(${id(k)})`,
    );
    if (dup === 0) info.uniqueKeys.add(k);
  }
}

/**
 * At most one row per (loan, snapshot month): the metrics then skip counting
 * `duplicate_loan_month` (a grouped pass over every selected row, as long as the rest of
 * entry_rate). Grouped per shard: a loan's rows sit on one shard, as loan_id shards them.
 */
export async function checkLoanMonths(info: TableInfo, ctx: FactsContext): Promise<void> {
  const loanCol = info.cols.get('loan_id');
  const snap = info.cols.get('snapshot_date');
  if (loanCol?.kind !== 'cat' || snap?.kind !== 'date') return;
  const loan = `\`${new Ident(loanCol.id).name}\``;
  const month = `\`${new Ident(`${snap.id}_month`).name}\``;
  const twice = await ctx.countOf(
    `SELECT count() AS n FROM (SELECT 1 FROM ${ctx.table(info.table)} WHERE isNotNull(${loan}) AND ${month} <> ${NULL_INDEX} GROUP BY ${loan}, ${month} HAVING count() > 1)`,
    ctx.clustered ? { distributed_group_by_no_merge: 1 } : {},
  );
  info.uniqueLoanMonths = twice === 0;
}

/**
 * Whether every case (`case_id`) has rows of one loan only, so a case sits on one shard (then
 * `collector_performance` runs shard by shard). Merged over the shards: a case split across
 * two shards has one loan on each.
 */
export async function checkCases(info: TableInfo, ctx: FactsContext): Promise<void> {
  const loanCol = info.cols.get('loan_id');
  const caseCol = info.cols.get('case_id');
  if (loanCol?.kind !== 'cat' || caseCol?.kind !== 'cat') return;
  const loan = `\`${new Ident(loanCol.id).name}\``;
  const kase = `\`${new Ident(caseCol.id).name}\``;
  const spread = await ctx.countOf(
    `SELECT count() AS n FROM (SELECT ${kase} FROM ${ctx.table(info.table)} WHERE isNotNull(${kase}) GROUP BY ${kase} HAVING uniqExact(ifNull(${loan}, '')) > 1)`,
  );
  info.casesOneLoan = spread === 0;
}
