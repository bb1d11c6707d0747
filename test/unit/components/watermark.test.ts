/**
 * The watermark's pure parts (components/base/watermark.ts): the text as drawn, the rows that tile
 * an export, and the CSV line. The drawing itself is tested in a browser (test/browser/watermark.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tilePositions, watermarkCsvLine, watermarkShown, watermarkTile, WATERMARK_MAX_CHARS } from '../../../components/base/watermark.js';
import { toCsv } from '../../../src/format/csv.js';

const ANGLE = (-24 * Math.PI) / 180;

describe('watermarkShown', () => {
  it('keeps a policy text as it is', () => {
    expect(watermarkShown('张三 zhang.san 2026-12-05 14:03')).toBe('张三 zhang.san 2026-12-05 14:03');
  });

  it('draws line breaks and control characters as one space, and cuts long text with …', () => {
    expect(watermarkShown('张三\r\nzhang.san\u0000\u0007x')).toBe('张三 zhang.san x');
    const long = '水'.repeat(200);
    expect(watermarkShown(long)).toBe(`${'水'.repeat(WATERMARK_MAX_CHARS - 1)}…`);
  });

  it('property: at most the limit of code points, no control characters, text kept when it fits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const shown = watermarkShown(s);
        expect([...shown].length).toBeLessThanOrEqual(WATERMARK_MAX_CHARS);
        // eslint-disable-next-line no-control-regex
        expect(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(shown)).toBe(false);
        // eslint-disable-next-line no-control-regex
        if ([...s].length <= WATERMARK_MAX_CHARS && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s) && s === s.trim()) {
          expect(shown).toBe(s);
        }
      }),
    );
  });
});

describe('tilePositions', () => {
  it('rows cover every point of the picture: each is near a drawn text, along and across its rotated baseline', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 60 }).filter((s) => watermarkShown(s) !== ''),
        fc.integer({ min: 40, max: 2400 }),
        fc.integer({ min: 40, max: 1600 }),
        (text, width, height) => {
          const shown = watermarkShown(text);
          const { w, h } = watermarkTile(shown);
          const at = tilePositions(shown, width, height);
          for (let px = 0; px <= width; px += Math.max(8, Math.floor(width / 12))) {
            for (let py = 0; py <= height; py += Math.max(8, Math.floor(height / 12))) {
              const near = at.some(([x, y]) => {
                const dx = px - x;
                const dy = py - y;
                const u = dx * Math.cos(ANGLE) + dy * Math.sin(ANGLE);
                const v = -dx * Math.sin(ANGLE) + dy * Math.cos(ANGLE);
                return u >= -8 && u <= w && Math.abs(v) <= h / 2;
              });
              expect(near, `${px},${py} of ${width}×${height}`).toBe(true);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is bounded for huge pictures', () => {
    expect(tilePositions('x', 100_000, 100_000).length).toBe(2000);
  });
});

describe('watermarkCsvLine', () => {
  it('is the first comment line, localised, and none when off', () => {
    expect(watermarkCsvLine('张三 zhang.san', 'zh-CN')).toEqual(['水印: 张三 zhang.san']);
    expect(watermarkCsvLine('张三 zhang.san', 'en-US')).toEqual(['Watermark: 张三 zhang.san']);
    expect(watermarkCsvLine(null, 'zh-CN')).toEqual([]);
    const csv = toCsv(['a'], [[1]], watermarkCsvLine('=HYPERLINK("http://x"),"y"\n2', 'zh-CN'));
    // One quoted cell on one line; it starts with '#', so no spreadsheet reads it as a formula.
    expect(csv).toBe('\uFEFF"# 水印: =HYPERLINK(""http://x""),""y"" 2"\r\na\r\n1\r\n');
  });
});
