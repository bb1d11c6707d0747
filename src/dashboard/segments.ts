/**
 * RFM segment and cluster selections in a dashboard. A segment (or a cluster) is computed by the `rfm` metric, not a column of
 * any dataset, so `{ field: 'rfm_segment', … }` cannot filter other widgets as it is: the dashboard
 * asks the engine for the segment's members (`params.members`, the RFM widget's own request
 * otherwise) and filters the others on `customer_id in [those ids]`. Pure helpers.
 */
import type { FilterClause, MetricResult } from '../engine/types.js';

/** The field of an RFM selection clause (`fin-rfm` emits it). */
export const RFM_SEGMENT_FIELD = 'rfm_segment';

// --- mining-cluster: K-means clusters select like RFM segments -------------------------------
/** The field of a cluster selection clause (`fin-cluster` emits it; values are cluster numbers). */
export const CLUSTER_FIELD = 'customer_cluster';
// --- end mining-cluster ----------------------------------------------------------------------

/**
 * Fields of computed groups: a clause on one of them is resolved to the group's members by the
 * widget that emitted it (`membersRequest`), never applied as it is.
 */
export const GROUP_FIELDS: ReadonlySet<string> = new Set([RFM_SEGMENT_FIELD, CLUSTER_FIELD]);

/** Whether a clause selects a computed group (an RFM segment, a cluster). */
export function isGroupField(field: string): boolean {
  return GROUP_FIELDS.has(field);
}

/**
 * The group ids a clause on a group field selects (empty for any other clause): segment ids (strings)
 * for `rfm_segment`, cluster numbers for `customer_cluster`.
 */
export function segmentIds(c: FilterClause): Array<string | number> {
  if (!isGroupField(c.field)) return [];
  const ok = (v: unknown): v is string | number =>
    c.field === CLUSTER_FIELD ? typeof v === 'number' && Number.isInteger(v) : typeof v === 'string';
  if (c.op === 'eq') return ok(c.value) ? [c.value] : [];
  if (c.op === 'in') return c.value.filter(ok);
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
