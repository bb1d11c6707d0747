import { describe, expect, it } from 'vitest';
import { CLUSTER_FIELD, isGroupField, membersClause, RFM_SEGMENT_FIELD, segmentIds } from '../../../src/dashboard/segments.js';
import type { MetricResult } from '../../../src/engine/types.js';

const answer = (meta: Record<string, unknown> | undefined): MetricResult =>
  ({ data: [], basis: { filters: [] }, quality: { rows: 0, used: 0, excluded: {}, warnings: [] }, meta }) as unknown as MetricResult;

describe('RFM segment selections', () => {
  it('reads the segment ids of an rfm_segment clause (eq or in), nothing from other clauses', () => {
    expect(RFM_SEGMENT_FIELD).toBe('rfm_segment');
    expect(segmentIds({ field: 'rfm_segment', op: 'eq', value: 'important_value' })).toEqual(['important_value']);
    expect(segmentIds({ field: 'rfm_segment', op: 'in', value: ['important_value', 'general_value', null, 3] })).toEqual([
      'important_value',
      'general_value',
    ]);
    expect(segmentIds({ field: 'rfm_segment', op: 'eq', value: null })).toEqual([]);
    expect(segmentIds({ field: 'rfm_segment', op: 'range', value: ['a', 'b'] })).toEqual([]);
    expect(segmentIds({ field: 'region', op: 'eq', value: 'important_value' })).toEqual([]);
  });

  it('reads the cluster numbers of a customer_cluster clause (integers only); both are group fields', () => {
    expect(CLUSTER_FIELD).toBe('customer_cluster');
    expect(isGroupField('customer_cluster') && isGroupField('rfm_segment')).toBe(true);
    expect(isGroupField('customer_id')).toBe(false);
    expect(segmentIds({ field: 'customer_cluster', op: 'eq', value: 2 })).toEqual([2]);
    expect(segmentIds({ field: 'customer_cluster', op: 'in', value: [1, '2', 2.5, null, 3] })).toEqual([1, 3]);
    expect(segmentIds({ field: 'customer_cluster', op: 'eq', value: 'important_value' })).toEqual([]);
  });

  it('turns a members answer into the clause the other widgets apply', () => {
    expect(membersClause(answer({ memberField: 'customer_id', members: ['c1', 'c2'] }))).toEqual({
      field: 'customer_id',
      op: 'in',
      value: ['c1', 'c2'],
    });
    // an empty segment filters to nobody, not to everybody
    expect(membersClause(answer({ memberField: 'customer_id', members: [] }))).toEqual({ field: 'customer_id', op: 'in', value: [] });
    expect(membersClause(answer({ memberField: 'customer_id', members: ['c1', 7, null] }))!.value).toEqual(['c1']);
    expect(membersClause(answer({ members: ['c1'] }))).toBe(null);
    expect(membersClause(answer({ memberField: 'customer_id' }))).toBe(null);
    expect(membersClause(answer(undefined))).toBe(null);
  });
});
