import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { MIGRATIONS, migrateSpec, SPEC_VERSION } from '../../../src/dashboard/migrate.js';
import { validateSpec } from '../../../src/dashboard/spec.js';
import { DASHBOARDS } from '../../../src/dashboard/presets.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/specs/${name}.json`, import.meta.url), 'utf8'));

describe('spec migrations', () => {
  it('has one migration per step up to the current version', () => {
    for (let n = 1; n < SPEC_VERSION; n++) expect(typeof MIGRATIONS[n]).toBe('function');
    expect(MIGRATIONS[SPEC_VERSION]).toBeUndefined();
  });

  for (const [from, to] of [
    ['v1-flow', 'v2-flow'],
    ['v1-columns8', 'v2-columns8'],
  ] as const) {
    it(`${from} migrates to the ${to} fixture, keeping unknown keys, without touching the input`, () => {
      const input = fixture(from);
      const copy = structuredClone(input);
      const m = migrateSpec(input);
      expect(m.issues).toEqual([]);
      expect(m.from).toBe(1);
      expect(m.spec).toEqual(fixture(to));
      expect(input).toEqual(copy);
      expect(validateSpec(m.spec)).toEqual([]);
      expect(validateSpec(input)).toEqual([]);
    });
  }

  it('a current spec comes back unchanged', () => {
    const v2 = fixture('v2-flow');
    expect(migrateSpec(v2).spec).toEqual(fixture('v2-flow'));
    for (const spec of Object.values(DASHBOARDS)) expect(migrateSpec(spec).spec).toEqual(spec);
  });

  it('refuses a spec newer than the library with one clear issue, and returns no spec', () => {
    const m = migrateSpec(fixture('v99-future'));
    expect(m.spec).toBeUndefined();
    expect(m.from).toBe(99);
    expect(m.issues).toHaveLength(1);
    expect(m.issues[0]!.path).toBe('$.version');
    expect(m.issues[0]!.message).toMatch(/version 99, newer than this library understands \(2\)/);
    expect(validateSpec(fixture('v99-future'))).toEqual(m.issues);
  });

  it('refuses a missing or non-integer version', () => {
    for (const v of [undefined, 0, 1.5, '2', null]) {
      const m = migrateSpec({ id: 'x', title: 'x', widgets: [], version: v });
      expect(m.spec).toBeUndefined();
      expect(m.issues[0]!.path).toBe('$.version');
    }
    expect(migrateSpec([]).issues[0]!.path).toBe('$');
  });

  it('version 1 size errors are still reported at their version 1 path', () => {
    const issues = validateSpec({ version: 1, id: 'x', title: 'x', widgets: [{ id: 'a', type: 'table', size: { w: 13 } }] });
    expect(issues.map((i) => i.path)).toEqual(['$.widgets[0].size.w']);
  });

  it('validates version 2 places: x + w within the columns and no overlaps', () => {
    const spec = {
      version: 2,
      id: 'x',
      title: 'x',
      widgets: [
        { id: 'a', type: 'table', grid: { x: 0, y: 0, w: 6, h: 2 } },
        { id: 'b', type: 'table', grid: { x: 4, y: 1, w: 4, h: 2 } },
        { id: 'c', type: 'table', grid: { x: 10, y: 5, w: 4, h: 2 } },
        { id: 'd', type: 'table' },
        { id: 'e', type: 'table', grid: { x: 0, y: 9, w: 2, h: 2, z: 1 } },
      ],
    };
    const issues = validateSpec(spec);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '$.widgets[1].grid', message: 'Overlaps widget "a" ($.widgets[0].grid)' },
        { path: '$.widgets[2].grid', message: "x + w must be at most 12 (the grid's columns)" },
        { path: '$.widgets[3].grid', message: 'Required: { "x", "y", "w", "h" } (columns and rows of the grid)' },
        { path: '$.widgets[4].grid.z', message: 'Unknown key "z"; expected x, y, w, h' },
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it('any version 1 spec of sized widgets migrates to a valid version 2 spec (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ w: fc.integer({ min: 1, max: 12 }), h: fc.integer({ min: 1, max: 12 }) }, { requiredKeys: [] }), { maxLength: 20 }),
        (sizes) => {
          const v1 = { version: 1, id: 'p', title: 'p', widgets: sizes.map((size, i) => ({ id: `w${i}`, type: 'table', size })) };
          const m = migrateSpec(v1);
          expect(validateSpec(m.spec)).toEqual([]);
          expect((m.spec!['widgets'] as unknown[]).length).toBe(sizes.length);
        },
      ),
    );
  });
});
