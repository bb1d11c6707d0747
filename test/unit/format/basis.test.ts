import { describe, expect, it } from 'vitest';
import { filterText, filtersText, optionsText, valueText } from '../../../src/format/basis.js';

describe('basis text', () => {
  it('options read as name=value, lists joined, booleans localised', () => {
    const o = { k: 3, buckets: ['M1', 'M2', 'M3+'], excludeCurrent: true, window: { from: '2024-01', to: '2024-06' } };
    expect(optionsText(o, 'en-US')).toBe('k=3; buckets=M1, M2, M3+; excludeCurrent=yes; window=from: 2024-01; to: 2024-06');
    expect(optionsText(o, 'zh-CN')).toBe('k=3；buckets=M1、M2、M3+；excludeCurrent=是；window=from: 2024-01；to: 2024-06');
    expect(optionsText(undefined, 'en-US')).toBe('');
    expect(valueText(null, 'en-US')).toBe('—');
    expect(valueText(NaN, 'en-US')).toBe('—');
  });

  it('filters read as conditions, open ranges as bounds', () => {
    expect(filterText({ field: 'region', op: 'eq', value: '华东' }, 'zh-CN')).toBe('region = 华东');
    expect(filterText({ field: 'product', op: 'in', value: ['A', 'B'] }, 'en-US')).toBe('product ∈ A, B');
    expect(filterText({ field: 'amount', op: 'range', value: [0, 100] }, 'en-US')).toBe('amount 0 – 100');
    expect(filterText({ field: 'dpd', op: 'range', value: [30, null] }, 'en-US')).toBe('dpd ≥ 30');
    expect(filterText({ field: 'snapshot_date', op: 'range', value: [null, '2024-06'] }, 'en-US')).toBe(
      'snapshot_date ≤ 2024-06',
    );
    expect(
      filtersText(
        [
          { field: 'region', op: 'eq', value: 'x' },
          { field: 'channel', op: 'in', value: ['app'] },
        ],
        'zh-CN',
      ),
    ).toBe('region = x；channel ∈ app');
  });

  it('long lists (a segment of customers) read as their first values and a count', () => {
    const ids = Array.from({ length: 1343 }, (_, i) => `CU${String(i).padStart(8, '0')}`);
    expect(filterText({ field: 'customer_id', op: 'in', value: ids }, 'en-US')).toBe(
      'customer_id ∈ CU00000000, CU00000001, CU00000002, CU00000003, CU00000004 … (1,343 in all)',
    );
    expect(filterText({ field: 'customer_id', op: 'in', value: ids }, 'zh-CN')).toBe(
      'customer_id ∈ CU00000000、CU00000001、CU00000002、CU00000003、CU00000004 等 1,343 项',
    );
    // twelve values are still listed whole
    const twelve = ids.slice(0, 12);
    expect(filterText({ field: 'customer_id', op: 'in', value: twelve }, 'en-US')).toBe(`customer_id ∈ ${twelve.join(', ')}`);
  });

  it('payloads stay text (no markup is produced, only the characters given)', () => {
    const payload = '<img src=x onerror=alert(1)>';
    expect(filterText({ field: 'region', op: 'eq', value: payload }, 'en-US')).toBe(`region = ${payload}`);
  });
});
