import { describe, expect, it } from 'vitest';
import {
  MISSING_GROUP,
  formatDuration,
  funnelLayout,
  normalizeFunnel,
  smallMultiplesGrid,
  textWidth,
  truncate,
  wrapText,
} from '../../../src/specs/funnel-layout.js';
import type { FunnelLayout, LayoutStageInput } from '../../../src/specs/funnel-layout.js';

const stage = (
  name: string,
  count: number | null,
  extra: Partial<LayoutStageInput> = {},
): LayoutStageInput => ({
  name,
  count,
  countText: count === null ? '—' : String(count),
  details: ['转化 50.0%', '总体 25.0%'],
  connector: ['流失 100', '中位 2小时'],
  ...extra,
});

const FIVE = [
  stage('曝光', 4000),
  stage('点击', 1360),
  stage('注册', 788),
  stage('申请', 507),
  stage('放款', 230),
];

/** Every number anywhere in the layout is finite. */
function allFinite(l: FunnelLayout): boolean {
  const nums: number[] = [l.width, l.height];
  for (const s of l.stages) {
    nums.push(s.bar.x, s.bar.y, s.bar.width, s.bar.height, s.slot.x, s.slot.y, s.slot.width, s.slot.height);
    for (const t of [...s.nameLines, s.count, ...s.details]) nums.push(t.x, t.y, t.size);
    for (const b of s.subBars) nums.push(b.rect.x, b.rect.y, b.rect.width, b.rect.height);
  }
  for (const c of l.connectors) {
    for (const p of c.points) nums.push(...p);
    for (const t of c.labels) nums.push(t.x, t.y);
  }
  return nums.every(Number.isFinite);
}

describe('normalizeFunnel', () => {
  const rows = [
    {
      stage: '曝光',
      step: 1,
      count: 100,
      stepConversion: null,
      overallConversion: 1,
      dropOff: null,
      medianHours: null,
    },
    {
      stage: '点击',
      step: 2,
      count: 40,
      stepConversion: 0.4,
      overallConversion: 0.4,
      dropOff: 60,
      medianHours: 1.5,
    },
    {
      stage: '放款',
      step: 3,
      count: 10,
      stepConversion: 0.25,
      overallConversion: 0.1,
      dropOff: 30,
      medianHours: 48,
    },
  ];

  it('keeps stages in step order and converts median hours to ms', () => {
    const m = normalizeFunnel([rows[2]!, rows[0]!, rows[1]!]);
    expect(m.stages).toEqual(['曝光', '点击', '放款']);
    expect(m.total.map((s) => s.count)).toEqual([100, 40, 10]);
    expect(m.total[1]!.medianMs).toBe(1.5 * 3.6e6);
    expect(m.total[0]!.medianMs).toBeNull();
    expect(m.groups).toEqual([]);
  });

  it('derives missing conversions and drop-off from counts; null stays null', () => {
    const m = normalizeFunnel([
      { stage: 'a', count: 200 },
      { stage: 'b', count: 50 },
      { stage: 'c', count: null },
    ]);
    expect(m.total[1]).toMatchObject({ stepConversion: 0.25, overallConversion: 0.25, dropOff: 150 });
    expect(m.total[2]).toMatchObject({
      count: null,
      stepConversion: null,
      overallConversion: null,
      dropOff: null,
    });
    expect(m.total[0]!.stepConversion).toBeNull();
  });

  it('zero counts give null conversions, never NaN or Infinity', () => {
    const m = normalizeFunnel([
      { stage: 'a', count: 0 },
      { stage: 'b', count: 0 },
    ]);
    expect(m.total[1]!.stepConversion).toBeNull();
    expect(m.total[1]!.overallConversion).toBeNull();
    expect(m.total[1]!.dropOff).toBe(0);
  });

  it('reads group rows with meta.overall as the total; the missing group goes last', () => {
    const g = (group: string | null, counts: number[]) =>
      counts.map((count, i) => ({ group, stage: ['a', 'b'][i]!, step: i + 1, count }));
    const m = normalizeFunnel([...g(null, [500, 1]), ...g('web', [30, 10]), ...g('app', [60, 12])], {
      breakdown: 'channel',
      overall: [
        { stage: 'a', step: 1, count: 590 },
        { stage: 'b', step: 2, count: 23 },
      ],
    });
    expect(m.groups.map((x) => x.key)).toEqual(['app', 'web', MISSING_GROUP]);
    expect(m.total.map((s) => s.count)).toEqual([590, 23]);
    expect(m.groups[0]!.stages[1]!.stepConversion).toBe(0.2);
  });

  it('sums groups into a total when the result has no total rows', () => {
    const m = normalizeFunnel(
      [
        { channel: 'x', stage: 'a', count: 10 },
        { channel: 'x', stage: 'b', count: 5 },
        { channel: 'y', stage: 'a', count: 30 },
        { channel: 'y', stage: 'b', count: 3 },
      ],
      { breakdown: 'channel' },
    );
    expect(m.total.map((s) => s.count)).toEqual([40, 8]);
    expect(m.total[1]!.stepConversion).toBe(0.2);
  });

  it('honours a given stage order and throws on a row without a stage', () => {
    expect(normalizeFunnel(rows, { stages: ['放款', '曝光'] }).stages).toEqual(['放款', '曝光', '点击']);
    expect(() => normalizeFunnel([{ count: 1 }])).toThrow(/stage/);
  });
});

describe('text fitting', () => {
  it('estimates CJK at 1em and Latin narrower', () => {
    expect(textWidth('资金流向', 10)).toBe(40);
    expect(textWidth('abcd', 10)).toBeLessThan(30);
  });

  it('truncates with an ellipsis', () => {
    expect(truncate('短', 100, 12)).toBe('短');
    const t = truncate('一二三四五六七八九十', 50, 10);
    expect(t.endsWith('…')).toBe(true);
    expect(textWidth(t, 10)).toBeLessThanOrEqual(50);
    expect(truncate('abc', 2, 12)).toBe('');
  });

  it('wraps long Chinese names into two lines, truncating the rest', () => {
    const w = wrapText('贷款申请资料提交并完成人脸识别认证', 60, 12, 2);
    expect(w.lines).toHaveLength(2);
    expect(w.truncated).toBe(true);
    expect(w.lines[1]!.endsWith('…')).toBe(true);
    for (const l of w.lines) expect(textWidth(l, 12)).toBeLessThanOrEqual(60);
    expect(w.lines[0]).toBe('贷款申请资');
  });

  it('wraps Latin at spaces', () => {
    const w = wrapText('Application submitted', 90, 12, 2);
    expect(w.lines).toEqual(['Application', 'submitted']);
    expect(w.truncated).toBe(false);
  });
});

describe('funnelLayout, horizontal', () => {
  const l = funnelLayout(FIVE, { width: 900, height: 300 });

  it('lays out one column per stage with bar heights proportional to counts', () => {
    expect(l.orientation).toBe('horizontal');
    expect(l.stages).toHaveLength(5);
    const h = l.stages.map((s) => s.bar.height);
    expect(h[1]! / h[0]!).toBeCloseTo(1360 / 4000, 2);
    expect(h[4]! / h[0]!).toBeCloseTo(230 / 4000, 2);
    // centred on one axis
    const mids = l.stages.map((s) => s.bar.y + s.bar.height / 2);
    for (const m of mids) expect(m).toBeCloseTo(mids[0]!, 1);
    // columns left → right, equal widths
    expect(l.stages.map((s) => s.slot.x)).toEqual([1, 181, 361, 541, 721]);
    expect(l.height).toBe(300);
  });

  it('draws connectors from one bar edge to the next', () => {
    expect(l.connectors).toHaveLength(4);
    const c = l.connectors[0]!;
    const a = l.stages[0]!.bar;
    const b = l.stages[1]!.bar;
    expect(c.points[0]).toEqual([a.x + a.width, a.y]);
    expect(c.points[1]).toEqual([b.x, b.y]);
    expect(c.points[2]![1]).toBeCloseTo(b.y + b.height, 1);
    expect(c.labels.map((t) => t.text)).toEqual(['流失 100', '中位 2小时']);
    expect(c.labels[0]!.x).toBe(180); // centred on the column boundary
    expect(c.labels[0]!.y).toBeGreaterThan(a.y + a.height); // below the bars
  });

  it('places the name, count and details above the bar, centred in the column', () => {
    const s = l.stages[1]!;
    expect(s.nameLines[0]).toMatchObject({ text: '点击', x: 270, anchor: 'middle', role: 'name' });
    expect(s.count).toMatchObject({ text: '1360', role: 'count' });
    expect(s.details.map((d) => d.text)).toEqual(['转化 50.0%', '总体 25.0%']);
    const lastText = s.details[s.details.length - 1]!.y;
    expect(lastText).toBeLessThan(l.stages[0]!.bar.y);
  });

  it('falls back to vertical when the stage columns would be too narrow', () => {
    expect(funnelLayout(FIVE, { width: 320, orientation: 'horizontal' }).orientation).toBe('vertical');
  });

  it('wraps a long Chinese name and flags truncation for the tooltip', () => {
    const lt = funnelLayout([stage('贷款申请资料提交并完成人脸识别认证', 100), stage('放款', 50)], {
      width: 200,
    });
    expect(lt.stages[0]!.nameLines.length).toBe(2);
    expect(lt.stages[0]!.nameTruncated).toBe(true);
    expect(lt.stages[0]!.name).toBe('贷款申请资料提交并完成人脸识别认证');
  });
});

describe('funnelLayout, vertical', () => {
  const l = funnelLayout(FIVE, { width: 600, orientation: 'vertical' });

  it('stacks rows top → bottom with bar widths proportional to counts, centred', () => {
    expect(l.orientation).toBe('vertical');
    const w = l.stages.map((s) => s.bar.width);
    expect(w[2]! / w[0]!).toBeCloseTo(788 / 4000, 2);
    const ys = l.stages.map((s) => s.bar.y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    const mids = l.stages.map((s) => s.bar.x + s.bar.width / 2);
    for (const m of mids) expect(m).toBeCloseTo(mids[0]!, 1);
    expect(l.height).toBeGreaterThan(5 * 30);
  });

  it('puts names on the left and numbers on the right', () => {
    const s = l.stages[0]!;
    expect(s.nameLines[0]).toMatchObject({ x: 0, anchor: 'start' });
    expect(s.count).toMatchObject({ x: 600, anchor: 'end' });
    expect(s.bar.x).toBeGreaterThan(0);
    expect(s.bar.x + s.bar.width).toBeLessThan(600);
  });

  it('connects the bottom of one bar to the top of the next, with one label line in the gap', () => {
    const c = l.connectors[1]!;
    const a = l.stages[1]!.bar;
    const b = l.stages[2]!.bar;
    expect(c.points[0]).toEqual([a.x, a.y + a.height]);
    expect(c.points[3]).toEqual([b.x, b.y]);
    expect(c.labels).toHaveLength(1);
    expect(c.labels[0]!.text).toBe('流失 100 · 中位 2小时');
    expect(c.labels[0]!.y).toBeGreaterThan(a.y + a.height);
    expect(c.labels[0]!.y).toBeLessThan(b.y);
  });

  it('stacks detail lines when they do not fit the narrow numbers column', () => {
    const narrow = funnelLayout(FIVE, { width: 300, orientation: 'vertical' });
    expect(narrow.stages[1]!.details.length).toBe(2);
    expect(allFinite(narrow)).toBe(true);
  });
});

describe('funnelLayout, degenerate input (no NaN)', () => {
  it('handles no stages', () => {
    const l = funnelLayout([], { width: 500 });
    expect(l.stages).toEqual([]);
    expect(l.connectors).toEqual([]);
    expect(allFinite(l)).toBe(true);
  });

  it('handles zero and missing counts and zero width', () => {
    for (const orientation of ['horizontal', 'vertical'] as const) {
      const zero = funnelLayout([stage('a', 0), stage('b', 0), stage('c', null)], {
        width: 600,
        orientation,
      });
      expect(allFinite(zero)).toBe(true);
      expect(zero.stages.every((s) => s.bar.width === 0 || s.bar.height === 0)).toBe(true);
      expect(zero.connectors.every((c) => c.points.length === 0)).toBe(true);
      const w0 = funnelLayout(FIVE, { width: 0, orientation });
      expect(allFinite(w0)).toBe(true);
      const nan = funnelLayout(FIVE, { width: Number.NaN, orientation });
      expect(allFinite(nan)).toBe(true);
    }
  });

  it('gives a positive count at least 2px', () => {
    const l = funnelLayout([stage('a', 1e9), stage('b', 1)], { width: 600 });
    expect(l.stages[1]!.bar.height).toBe(2);
  });
});

describe('funnelLayout, grouped breakdown', () => {
  const groups = (a: number, b: number) => [
    { key: 'app', count: a, labels: ['50.0%', '50%'] },
    { key: 'web', count: b, labels: ['20.0%', '20%'] },
  ];
  const input = [stage('a', 300, { groups: groups(200, 100) }), stage('b', 120, { groups: groups(100, 20) })];

  it('draws side-by-side sub-bars on one shared scale and no connectors', () => {
    const l = funnelLayout(input, { width: 600 });
    const sb = l.stages[0]!.subBars;
    expect(sb.map((b) => b.key)).toEqual(['app', 'web']);
    expect(sb[1]!.rect.height / sb[0]!.rect.height).toBeCloseTo(0.5, 2);
    expect(l.stages[1]!.subBars[1]!.rect.height / sb[0]!.rect.height).toBeCloseTo(0.1, 2);
    expect(sb[1]!.rect.x).toBeGreaterThan(sb[0]!.rect.x + sb[0]!.rect.width - 0.01);
    expect(l.connectors.every((c) => c.points.length === 0)).toBe(true);
    expect(sb[0]!.label?.text).toBe('50.0%');
  });

  it('picks the first label alternative that fits the sub-bar', () => {
    const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => ({ key, count: 10, labels: ['12.34%', '12%'] }));
    const l = funnelLayout([stage('a', 60, { groups: many }), stage('b', 30, { groups: many })], {
      width: 400,
    });
    const texts = l.stages[0]!.subBars.map((b) => b.label?.text ?? null);
    expect(texts.every((t) => t === '12%')).toBe(true);
    // neighbouring labels never overlap
    const sb = l.stages[0]!.subBars;
    for (let j = 1; j < sb.length; j++) {
      const half = (t: string) => (t.length * 0.64 * 10) / 2;
      expect(sb[j]!.label!.x - half('12%')).toBeGreaterThanOrEqual(sb[j - 1]!.label!.x + half('12%') - 0.5);
    }
  });

  it('sizes sub-bars by share when given (each group relative to its own first stage)', () => {
    const l = funnelLayout(
      [
        stage('a', 1100, {
          groups: [
            { key: 'big', count: 1000, share: 1 },
            { key: 'small', count: 100, share: 1 },
          ],
        }),
        stage('b', 150, {
          groups: [
            { key: 'big', count: 100, share: 0.1 },
            { key: 'small', count: 50, share: 0.5 },
          ],
        }),
      ],
      { width: 600 },
    );
    const [a0, a1] = l.stages[0]!.subBars;
    const [b0, b1] = l.stages[1]!.subBars;
    expect(a0!.rect.height).toBe(a1!.rect.height);
    expect(b0!.rect.height / a0!.rect.height).toBeCloseTo(0.1, 2);
    expect(b1!.rect.height / a0!.rect.height).toBeCloseTo(0.5, 2);
  });

  it('stacks sub-bars within a row when vertical', () => {
    const l = funnelLayout(input, { width: 600, orientation: 'vertical' });
    const sb = l.stages[0]!.subBars;
    expect(sb[1]!.rect.y).toBeGreaterThan(sb[0]!.rect.y);
    expect(sb[1]!.rect.width / sb[0]!.rect.width).toBeCloseTo(0.5, 2);
    expect(allFinite(l)).toBe(true);
  });
});

describe('helpers', () => {
  it('smallMultiplesGrid fits panels of at least the minimum width', () => {
    expect(smallMultiplesGrid(1200, 6, 360)).toEqual({ columns: 3, panelWidth: 392 });
    expect(smallMultiplesGrid(300, 6, 360).columns).toBe(1);
    expect(smallMultiplesGrid(2000, 2, 360).columns).toBe(2);
    expect(smallMultiplesGrid(0, 3).panelWidth).toBe(0);
  });

  it('formatDuration picks a unit and localises it', () => {
    expect(formatDuration(45_000, 'zh-CN')).toBe('45秒');
    expect(formatDuration(40_000, 'en-US')).toBe('40 s');
    expect(formatDuration(0.0111 * 3.6e6, 'en-US')).toBe('40 s');
    expect(formatDuration(5.6 * 3.6e6, 'zh-CN')).toBe('5.6小时');
    expect(formatDuration(12 * 6e4, 'en-US')).toBe('12 min');
    expect(formatDuration(3 * 8.64e7, 'zh-CN')).toBe('3天');
    expect(formatDuration(null, 'zh-CN')).toBe('—');
    expect(formatDuration(Number.NaN, 'en-US')).toBe('—');
  });
});
