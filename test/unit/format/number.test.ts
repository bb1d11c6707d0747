import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCompact, formatValue } from '../../../src/format/number.js';

describe('compact numbers', () => {
  it('three significant digits in both locales', () => {
    const en = [1234, 12345, 123456, 1234567, 12345678, 999, 5_000_000].map((x) => formatCompact(x, 'en-US'));
    expect(en).toEqual(['1.23K', '12.3K', '123K', '1.23M', '12.3M', '999', '5M']);
    const zh = [12345, 123456, 1234567, 456_000_000, 1.5e12].map((x) => formatCompact(x, 'zh-CN'));
    expect(zh).toEqual(['1.23万', '12.3万', '123万', '4.56亿', '1.5万亿']);
    expect(formatValue(-12345, 'compact', 'en-US')).toBe('-12.3K');
    expect(formatValue(NaN, 'compact', 'en-US')).toBe('—');
  });

  it('never more than three significant digits (en-US)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e14, noNaN: true }), (x) => {
        const digits = formatCompact(x, 'en-US').replace(/[^0-9]/g, '').replace(/^0+/, '');
        expect(digits.length).toBeLessThanOrEqual(3);
      }),
    );
  });
});
