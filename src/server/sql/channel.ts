/**
 * `channel_effectiveness` compiled to SQL from its own definition
 * (src/engine/metrics/channel-effectiveness.ts): one GROUP BY channel of the selected actions;
 * `channelResult()` orders the channels and shapes rows, basis and quality as in memory.
 *
 * Rules both sides follow: a row without a channel is `missing_channel` (nothing else counted);
 * contacted / ptp count only when true (missing = not); a PTP implies contact; a missing
 * paid_amount / cost adds 0 and is counted only when the column exists; the latest day is over
 * the used rows.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { channelResult } from '../../engine/metrics/channel-effectiveness.js';
import type { ChannelAgg } from '../../engine/metrics/channel-effectiveness.js';
import type { CompiledMetric } from './collection.js';
import { num } from './collection.js';
import { perShard } from './per-shard.js';
import type { ColKind } from './scope.js';
import type { Sql } from './sql.js';
import { TRUE, raw, sql } from './sql.js';

export const channelEffectivenessSql: CompiledMetric = async (scope, _params, source, exec) => {
  scope.table(source);
  const rel = scope.relation(source);
  const where = scope.where(rel);
  scope.need(source, 'channel', 'cat');
  // Optional columns (the memory engine's `tryCol`): used only when present with the right kind.
  const opt = (field: string, kind: ColKind): Sql | null =>
    scope.resolve(source, field)?.col.kind === kind
      ? rel.colExpr(field, kind === 'date' ? 'day' : undefined)!.sql
      : null;
  const day = opt('action_time', 'date');
  const ct = opt('contacted', 'bool');
  const pt = opt('ptp', 'bool');
  const paid = opt('paid_amount', 'num');
  const cost = opt('cost', 'num');
  const isTrue = (e: Sql | null): Sql => (e ? sql`CASE WHEN ${e} = ${TRUE} THEN 1 ELSE 0 END` : raw('0'));
  const sub = sql`SELECT ${rel.colExpr('channel')!.sql} AS ch, ${isTrue(ct)} AS ct, ${isTrue(pt)} AS pt,
    ${paid ?? raw('NULL')} AS pa, ${cost ?? raw('NULL')} AS co, ${day ?? raw(String(NULL_INDEX))} AS dy
    FROM ${rel.from()} WHERE ${where}`;
  // Counts and sums per channel: they add up over shards whatever the table is sharded by.
  const rows = await exec(
    perShard(
      sql`SELECT ch, count(*) AS n,
      sum(CASE WHEN ct = 1 OR pt = 1 THEN 1 ELSE 0 END) AS cont, sum(pt) AS ptps,
      sum(CASE WHEN pt = 1 AND ct <> 1 THEN 1 ELSE 0 END) AS pnc,
      sum(CASE WHEN pa IS NOT NULL THEN pa ELSE 0 END) AS rec, sum(CASE WHEN pa IS NULL THEN 1 ELSE 0 END) AS npa,
      sum(CASE WHEN co IS NOT NULL THEN co ELSE 0 END) AS cst, sum(CASE WHEN co IS NULL THEN 1 ELSE 0 END) AS nco,
      max(dy) AS md
    FROM (${sub}) AS c GROUP BY ch`,
      rel.joinsColocated(),
      { keys: ['ch'], sums: ['n', 'cont', 'ptps', 'pnc', 'rec', 'npa', 'cst', 'nco'], maxes: ['md'] },
    ),
  );
  const a: ChannelAgg = {
    count: 0,
    used: 0,
    maxDay: NULL_INDEX,
    channels: [],
    ptpNoContact: 0,
    excluded: { missing_channel: 0, missing_paid_amount: 0, missing_cost: 0 },
  };
  for (const r of rows) {
    const n = num(r['n']);
    a.count += n;
    if (r['ch'] === null || r['ch'] === undefined) {
      a.excluded.missing_channel += n;
      continue;
    }
    a.used += n;
    if (r['md'] !== null && r['md'] !== undefined) a.maxDay = Math.max(a.maxDay, num(r['md']));
    a.ptpNoContact += num(r['pnc']);
    if (paid) a.excluded.missing_paid_amount += num(r['npa']);
    if (cost) a.excluded.missing_cost += num(r['nco']);
    a.channels.push({
      channel: String(r['ch']),
      actions: n,
      contacted: num(r['cont']),
      ptps: num(r['ptps']),
      recovered: num(r['rec']),
      cost: num(r['cst']),
    });
  }
  return channelResult(scope, a);
};
