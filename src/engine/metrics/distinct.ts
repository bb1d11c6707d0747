import { dayLabel, monthLabel, NULL_INDEX } from '../../data/dataset.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { badParam } from './generic-util.js';
import { makeBasis, makeQuality, result, t } from '../metric.js';

/** Date parts a distinct list can read. */
export const DATE_PARTS = ['day', 'month', 'week', 'hour', 'dow'] as const;

export interface DistinctParams {
  /** Field, optionally with a date part: `region`, `snapshot_date.month`, `txn_time.hour`. */
  field: string;
  /** Most frequent first (default) or by value. */
  order?: 'count' | 'value';
  /** Maximum values returned (default 500). */
  limit?: number;
}

/**
 * Distinct values of a field with their row counts: the option lists of filter bars and the
 * data extent (`snapshot_date.month`) for date presets.
 */
export const distinct: MetricDef<DistinctParams> = {
  id: 'distinct',
  source: 'loan_months',
  run(ctx, params, source) {
    const [name, part] = String(params.field ?? '').split('.') as [string, string | undefined];
    const col = ctx.col(source, name);
    if (col.kind === 'date' && part !== undefined && !(DATE_PARTS as readonly string[]).includes(part))
      throw badParam(
        'field',
        `"${params.field}": the date part must be one of ${DATE_PARTS.join(', ')}`,
        params.field,
      );
    const ds = ctx.dataset(source);
    const rows = ctx.rows(source);
    const counts = new Map<string | number, number>();
    let nulls = 0;
    const n = rows ? rows.length : ds.n;
    for (let k = 0; k < n; k++) {
      const i = rows ? rows[k]! : k;
      let v: string | number | null;
      if (col.kind === 'cat') v = col.codes[i]! < 0 ? null : col.dict[col.codes[i]!]!;
      else if (col.kind === 'bool') v = col.data[i]! < 0 ? null : col.data[i]!;
      else if (col.kind === 'num') v = Number.isNaN(col.data[i]!) ? null : col.data[i]!;
      else {
        const p = (part ?? 'day') as 'day' | 'month' | 'week' | 'hour' | 'dow';
        const x = col[p][i]!;
        v =
          x === NULL_INDEX || x === -1 ? null : p === 'month' ? monthLabel(x) : p === 'day' ? dayLabel(x) : x;
      }
      if (v === null) nulls++;
      else counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    return distinctResult(
      ctx,
      params,
      [...counts].map(([value, count]) => ({ value, count })),
      n,
      nulls,
    );
  },
};

/**
 * The answer from the counted values (the `…Result()` step, shared with the SQL backends, which
 * may pass only the values that can make the cut): most frequent first, ties by value, or by
 * value; the first `limit`.
 */
export function distinctResult(
  ctx: BasisContext,
  params: DistinctParams,
  counted: Array<{ value: string | number; count: number }>,
  n: number,
  nulls: number,
) {
  let data = counted;
  if ((params.order ?? 'count') === 'count')
    data.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  else data.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  data = data.slice(0, params.limit ?? 500);
  return result(
    data,
    makeBasis(ctx, {
      metric: 'distinct',
      title: t('取值列表', 'Distinct values'),
      formula: t(`${params.field} 的不同取值及行数`, `Distinct values of ${params.field} with row counts`),
      measure: 'count',
      options: { field: params.field, order: params.order ?? 'count', limit: params.limit ?? 500 },
    }),
    makeQuality(n, n - nulls, { missing_value: nulls }),
  );
}
