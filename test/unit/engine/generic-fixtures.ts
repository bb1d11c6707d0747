/** Fixtures and a context builder for the generic metric tests. */
import { datasetFromColumns } from '../../../src/data/columns.js';
import type { Dataset } from '../../../src/data/dataset.js';
import { typesOf } from '../../../src/data/schemas.js';
import { MetricContext } from '../../../src/engine/context.js';
import { GENERIC_METRICS } from '../../../src/engine/metrics/generic.js';
import type { FilterClause, MetricResult } from '../../../src/engine/types.js';

export type Cols = Record<string, unknown[]>;

/** A canonical dataset from plain columns (types from the schema). */
export function ds(name: string, columns: Cols): Dataset {
  return datasetFromColumns(name, columns, typesOf(name));
}

/** A context over the given datasets, with `runMetric` wired to the generic metrics. */
export function ctxOf(datasets: Record<string, Cols | Dataset>, filters: FilterClause[] = []): MetricContext {
  const map = new Map<string, Dataset>();
  for (const [k, v] of Object.entries(datasets))
    map.set(k, 'cols' in v && 'n' in v ? (v as Dataset) : ds(k, v as Cols));
  const ctx = new MetricContext(map, filters);
  ctx.runMetric = (metric, params = {}, source) => run(ctx, metric, params, source);
  return ctx;
}

/** Run a generic metric by id (source defaults to the metric's). */
export function run(
  ctx: MetricContext,
  metric: string,
  params: Record<string, unknown> = {},
  source?: string,
): MetricResult {
  const def = GENERIC_METRICS.find((m) => m.id === metric);
  if (!def) throw new Error(`no metric ${metric}`);
  return def.run(ctx, params, source ?? def.source) as MetricResult;
}

/** Shuffle all columns of a column set with the same permutation (seeded). */
export function shuffleCols(cols: Cols, seed: number): Cols {
  const n = Math.max(...Object.values(cols).map((c) => c.length));
  const idx = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const j = s % (i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const out: Cols = {};
  for (const [k, v] of Object.entries(cols)) out[k] = idx.map((i) => v[i]);
  return out;
}

/** Transactions with sensible defaults for the columns a test does not care about. */
export function txns(
  rows: Array<{
    id?: string;
    c: string;
    time: string;
    amount: number;
    dir?: 'in' | 'out';
    category?: string | null;
    channel?: string;
    cp?: 'individual' | 'company' | 'platform' | null;
    cross?: boolean;
    cash?: boolean;
  }>,
): Cols {
  return {
    txn_id: rows.map((r, i) => r.id ?? `T${i + 1}`),
    customer_id: rows.map((r) => r.c),
    txn_time: rows.map((r) => r.time),
    amount: rows.map((r) => r.amount),
    direction: rows.map((r) => r.dir ?? 'out'),
    category: rows.map((r) => (r.category === undefined ? 'misc' : r.category)),
    channel: rows.map((r) => r.channel ?? 'app'),
    counterparty_type: rows.map((r) => (r.cp === undefined ? 'individual' : r.cp)),
    cross_border: rows.map((r) => r.cross ?? false),
    cash: rows.map((r) => r.cash ?? false),
  };
}
