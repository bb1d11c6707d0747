import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { autoPlace, clampRect, firstFree, layoutProblems, overlaps, placeItem, pushDown, readingOrder } from '../../../src/dashboard/grid.js';
import type { GridItem } from '../../../src/dashboard/grid.js';

const noOverlap = (items: GridItem[]): boolean => items.every((a, i) => items.every((b, j) => i === j || !overlaps(a, b)));

describe('grid geometry', () => {
  it('overlap is about shared cells, edges do not count', () => {
    expect(overlaps({ x: 0, y: 0, w: 3, h: 2 }, { x: 3, y: 0, w: 3, h: 2 })).toBe(false);
    expect(overlaps({ x: 0, y: 0, w: 3, h: 2 }, { x: 0, y: 2, w: 3, h: 2 })).toBe(false);
    expect(overlaps({ x: 0, y: 0, w: 3, h: 2 }, { x: 2, y: 1, w: 3, h: 2 })).toBe(true);
  });

  it('clamps into the columns', () => {
    expect(clampRect({ x: 11, y: -2, w: 4, h: 0 })).toEqual({ x: 8, y: 0, w: 4, h: 1 });
    expect(clampRect({ x: 1.6, y: 2.2, w: 40, h: 99 })).toEqual({ x: 0, y: 2, w: 12, h: 12 });
    expect(clampRect({ x: Number.NaN, y: 1, w: 2, h: 2 }, 6)).toEqual({ x: 0, y: 1, w: 2, h: 2 });
  });

  it('auto-places like CSS Grid sparse row flow (hand-traced)', () => {
    // k1 k1 k1 k2 k2 k2 .  .  .  .  .  .   row 0–1
    // wide ×8 rows 2–5, then `t` (w4 h3) at column 8 of row 2, then `z` (w4 h1) cannot go back left
    // of the cursor: the first fit after it is row 5, column 8.
    const placed = autoPlace([
      { id: 'k1', w: 3, h: 2 },
      { id: 'k2', w: 3, h: 2 },
      { id: 'wide', w: 8, h: 4 },
      { id: 't', w: 4, h: 3 },
      { id: 'z', w: 4, h: 1 },
    ]);
    expect(placed).toEqual([
      { id: 'k1', x: 0, y: 0, w: 3, h: 2 },
      { id: 'k2', x: 3, y: 0, w: 3, h: 2 },
      { id: 'wide', x: 0, y: 2, w: 8, h: 4 },
      { id: 't', x: 8, y: 2, w: 4, h: 3 },
      { id: 'z', x: 8, y: 5, w: 4, h: 1 },
    ]);
  });

  it('reading order is rows first, then columns', () => {
    const items = [
      { id: 'c', x: 0, y: 4, w: 1, h: 1 },
      { id: 'b', x: 6, y: 0, w: 1, h: 1 },
      { id: 'a', x: 0, y: 0, w: 1, h: 1 },
    ];
    expect(readingOrder(items).map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('moving and resizing', () => {
  const base: GridItem[] = [
    { id: 'a', x: 0, y: 0, w: 6, h: 2 },
    { id: 'b', x: 6, y: 0, w: 6, h: 2 },
    { id: 'c', x: 0, y: 2, w: 12, h: 3 },
    { id: 'd', x: 0, y: 5, w: 4, h: 2 },
  ];

  it('a move onto others pushes exactly those down, just clear of it', () => {
    const out = placeItem(base, 'd', { x: 4, y: 1 });
    expect(out.find((i) => i.id === 'd')).toEqual({ id: 'd', x: 4, y: 1, w: 4, h: 2 });
    // a (x 0–5) and b (x 6–11) sit in row 0 above d's rows 1–2: both overlap row 1.
    expect(out.find((i) => i.id === 'a')).toEqual({ id: 'a', x: 0, y: 3, w: 6, h: 2 });
    expect(out.find((i) => i.id === 'b')).toEqual({ id: 'b', x: 6, y: 3, w: 6, h: 2 });
    // c is pushed below a and b (cascade), never sideways.
    expect(out.find((i) => i.id === 'c')).toEqual({ id: 'c', x: 0, y: 5, w: 12, h: 3 });
  });

  it('a move into free space moves nothing else', () => {
    const out = placeItem(base, 'd', { x: 6, y: 5 });
    expect(out.filter((i) => i.id !== 'd')).toEqual(base.filter((i) => i.id !== 'd'));
    expect(out.find((i) => i.id === 'd')).toEqual({ id: 'd', x: 6, y: 5, w: 4, h: 2 });
  });

  it('a resize is clamped to the columns and pushes what it now covers', () => {
    const out = placeItem(base, 'a', { w: 20, h: 3 });
    expect(out.find((i) => i.id === 'a')).toEqual({ id: 'a', x: 0, y: 0, w: 12, h: 3 });
    expect(out.find((i) => i.id === 'b')!.y).toBe(3);
    expect(out.find((i) => i.id === 'c')!.y).toBe(5);
    expect(out.find((i) => i.id === 'd')!.y).toBe(8);
  });

  it('an unknown id changes nothing', () => {
    expect(placeItem(base, 'zz', { x: 3 })).toEqual(base);
  });

  it('firstFree finds the first hole in reading order, else below everything', () => {
    const items = [
      { x: 0, y: 0, w: 4, h: 2 },
      { x: 8, y: 0, w: 4, h: 2 },
    ];
    expect(firstFree(items, 4, 2)).toEqual({ x: 4, y: 0, w: 4, h: 2 });
    expect(firstFree(items, 5, 1)).toEqual({ x: 0, y: 2, w: 5, h: 1 });
    expect(firstFree([], 3, 3)).toEqual({ x: 0, y: 0, w: 3, h: 3 });
  });

  it('layoutProblems names items outside the grid and overlaps', () => {
    expect(
      layoutProblems([
        { id: 'a', x: 0, y: 0, w: 6, h: 2 },
        { id: 'b', x: 5, y: 1, w: 4, h: 2 },
        { id: 'c', x: 10, y: 0, w: 4, h: 1 },
      ]),
    ).toEqual([
      { id: 'b', kind: 'overlap', other: 'a' },
      { id: 'c', kind: 'outside' },
    ]);
  });
});

const arbLayout = fc
  .array(fc.record({ w: fc.integer({ min: 1, max: 12 }), h: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 14 })
  .map((sizes) => autoPlace(sizes.map((s, i) => ({ id: `w${i}`, ...s }))));

describe('grid properties (fast-check)', () => {
  it('auto-placement never overlaps and stays within the columns', () => {
    fc.assert(
      fc.property(arbLayout, (items) => {
        expect(noOverlap(items)).toBe(true);
        expect(items.every((i) => i.x >= 0 && i.x + i.w <= 12)).toBe(true);
      }),
    );
  });

  it('any move leaves no overlap, puts the widget where asked, and moves others only down', () => {
    fc.assert(
      fc.property(
        arbLayout,
        fc.nat(),
        fc.record({ x: fc.integer({ min: -3, max: 14 }), y: fc.integer({ min: -3, max: 30 }), w: fc.integer({ min: 1, max: 12 }), h: fc.integer({ min: 1, max: 6 }) }),
        (items, pick, rect) => {
          const id = items[pick % items.length]!.id;
          const out = placeItem(items, id, rect);
          expect(noOverlap(out)).toBe(true);
          const moved = out.find((i) => i.id === id)!;
          expect(moved).toEqual({ id, ...clampRect(rect) });
          for (const before of items) {
            if (before.id === id) continue;
            const after = out.find((i) => i.id === before.id)!;
            expect(after.x).toBe(before.x);
            expect(after.w).toBe(before.w);
            expect(after.h).toBe(before.h);
            expect(after.y).toBeGreaterThanOrEqual(before.y);
          }
        },
      ),
    );
  });

  it('pushDown of a layout without overlaps changes nothing', () => {
    fc.assert(
      fc.property(arbLayout, fc.nat(), (items, pick) => {
        expect(pushDown(items, items[pick % items.length]!.id)).toEqual(items);
      }),
    );
  });
});
