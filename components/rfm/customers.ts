import type { Engine } from '../../src/engine/engine-types.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';
import { sortCustomers } from './views.js';
import type { CustomerList } from './views.js';

/** The customer list of a selected segment: from the host's result, or queried from the engine. */

/** A customer of the list under the chart (the `rfm` metric's `meta.customers` rows, as delivered). */
export interface RfmCustomerRow {
  customer_id: string;
  /** Present when the host's result carries it (already masked at ingestion, e.g. 张*). */
  name?: string;
  /** Recency in days, transactions in the window, Σ (or mean) amount. */
  r: number;
  f: number;
  m: number;
  /** Scores 1–5. */
  R: number;
  F: number;
  M: number;
  segment: string;
}

function customersOf(r: MetricResult): RfmCustomerRow[] | null {
  return Array.isArray(r.meta?.['customers']) ? (r.meta!['customers'] as RfmCustomerRow[]) : null;
}

/**
 * Presentational use: only what the host delivered in `r.meta.customers`, the first `limit` of
 * segments `ids`; the total is `meta.customersTotal` when the delivered rows are exactly one segment's.
 */
export function deliveredList(r: MetricResult, ids: string[], limit: number): CustomerList {
  const key = ids.join(',');
  const all = customersOf(r);
  if (!all) return { key, state: 'none', rows: [], total: 0 };
  const rows = all.filter((c) => ids.includes(c.segment));
  const total =
    ids.length === 1 &&
    typeof r.meta?.['customersTotal'] === 'number' &&
    all.every((c) => c.segment === ids[0])
      ? (r.meta['customersTotal'] as number)
      : rows.length;
  return { key, state: 'ok', rows: sortCustomers(rows).slice(0, limit), total };
}

/**
 * Query the first `limit` customers of each of segments `ids` (`includeCustomers`, one request per
 * segment, on the element's own request `base`) and merge them: sorted, cut to `limit`, totals summed.
 */
export async function queriedList(
  engine: Engine,
  base: QueryRequest,
  ids: string[],
  limit: number,
  signal: AbortSignal,
): Promise<CustomerList> {
  const answers = await Promise.all(
    ids.map((segment) =>
      engine.query(
        { ...base, params: { ...(base.params ?? {}), includeCustomers: true, segment, limit } },
        { signal },
      ),
    ),
  );
  let rows: RfmCustomerRow[] = [];
  let total = 0;
  for (const a of answers) {
    const list = customersOf(a) ?? [];
    rows = rows.concat(list);
    total +=
      typeof a.meta?.['customersTotal'] === 'number' ? (a.meta['customersTotal'] as number) : list.length;
  }
  return { key: ids.join(','), state: 'ok', rows: sortCustomers(rows).slice(0, limit), total };
}
