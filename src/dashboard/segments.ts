/**
 * RFM segment selections in a dashboard. A segment is computed by the `rfm` metric, not a column of
 * any dataset, so `{ field: 'rfm_segment', … }` cannot filter other widgets as it is: the dashboard
 * asks the engine for the segment's members (`params.members`, the RFM widget's own request
 * otherwise) and filters the others on `customer_id in [those ids]`. Pure helpers.
 */
import type { FilterClause, MetricResult } from '../engine/types.js';

/** The field of an RFM selection clause (`fin-rfm` emits it). */
export const RFM_SEGMENT_FIELD = 'rfm_segment';

/** The segment ids a clause on `rfm_segment` selects (empty for any other clause). */
export function segmentIds(c: FilterClause): string[] {
  if (c.field !== RFM_SEGMENT_FIELD) return [];
  if (c.op === 'eq') return typeof c.value === 'string' ? [c.value] : [];
  if (c.op === 'in') return c.value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * The clause the other widgets apply for a members answer (`meta.memberField`, `meta.members`):
 * `customer_id in [ids]`, or null when the answer carries no member list.
 */
export function membersClause(r: MetricResult): FilterClause | null {
  const field = r.meta?.['memberField'];
  const ids = r.meta?.['members'];
  if (typeof field !== 'string' || !field || !Array.isArray(ids)) return null;
  return { field, op: 'in', value: ids.filter((v): v is string => typeof v === 'string') };
}
