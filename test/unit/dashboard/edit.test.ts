import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addWidget, duplicateWidget, freshId, layoutOf, removeWidget, setIn, setWidgetValue, withLayout } from '../../../src/dashboard/edit.js';
import { placeItem } from '../../../src/dashboard/grid.js';
import { collectionDashboard } from '../../../src/dashboard/presets.js';
import { validateSpec } from '../../../src/dashboard/spec.js';
import type { DashboardSpec } from '../../../src/dashboard/spec.js';
import { paramFields, parseParam, parsePropsText } from '../../../src/dashboard/param-form.js';
import { PARAM_SCHEMAS } from '../../../src/engine/metrics/params-schemas.js';

const base = (): DashboardSpec => ({
  version: 2,
  id: 't',
  title: 'T',
  'x-host': { keep: true },
  widgets: [
    { id: 'a', type: 'kpi-card', metric: 'kpi', params: { measure: { agg: 'count' } }, grid: { x: 0, y: 0, w: 6, h: 2 }, 'x-w': 1 },
    { id: 'b', type: 'table', metric: 'collector_performance', grid: { x: 6, y: 0, w: 6, h: 2 } },
  ],
}) as DashboardSpec;

describe('spec edits', () => {
  it('setIn writes only the path, deletes with undefined, drops emptied objects, shares the rest', () => {
    const o = { a: { b: 1 }, c: { d: 2 } };
    const set = setIn(o, ['a', 'b'], 5);
    expect(set).toEqual({ a: { b: 5 }, c: { d: 2 } });
    expect(set['c']).toBe(o.c);
    expect(o.a.b).toBe(1);
    expect(setIn(o, ['a', 'b'], undefined)).toEqual({ c: { d: 2 } });
    expect(setIn(o, ['a', 'zz'], undefined)).toBe(o);
    expect(setIn(o, ['a', 'b'], 1)).toBe(o);
    expect(setIn({}, ['p', 'q'], undefined)).toEqual({});
  });

  it('a param edit touches that param only; clearing it removes params when empty', () => {
    const s = base();
    const s1 = setWidgetValue(s, 'b', ['params', 'level'], 'team');
    expect(s1.widgets[1]!.params).toEqual({ level: 'team' });
    expect(s1.widgets[0]).toBe(s.widgets[0]);
    const s2 = setWidgetValue(s1, 'b', ['params', 'level'], undefined);
    expect(s2).toEqual(s);
    expect('params' in s2.widgets[1]!).toBe(false);
  });

  it('adding goes to the first free place with a fresh id and keeps unknown keys', () => {
    const { spec, id } = addWidget(base(), { type: 'kpi-card', metric: 'kpi', size: { w: 3, h: 2 } });
    expect(id).toBe('kpi-card');
    expect(spec.widgets.at(-1)).toEqual({ id: 'kpi-card', type: 'kpi-card', metric: 'kpi', grid: { x: 0, y: 2, w: 3, h: 2 } });
    expect((spec as unknown as Record<string, unknown>)['x-host']).toEqual({ keep: true });
    expect(validateSpec(spec)).toEqual([]);
    expect(freshId(spec, 'kpi-card')).toBe('kpi-card-2');
    const dup = duplicateWidget(spec, 'a')!;
    expect(dup.id).toBe('kpi-card-2');
    expect(dup.spec.widgets.at(-1)).toMatchObject({ type: 'kpi-card', params: { measure: { agg: 'count' } }, 'x-w': 1, grid: { x: 3, y: 2, w: 6, h: 2 } });
    expect(removeWidget(dup.spec, 'kpi-card-2').widgets.map((w) => w.id)).toEqual(['a', 'b', 'kpi-card']);
  });

  it('withLayout rewrites only moved widgets', () => {
    const s = collectionDashboard;
    const moved = withLayout(s, placeItem(layoutOf(s), 'contact', { x: 0, y: 0 }));
    const same = moved.widgets.filter((w, i) => w === s.widgets[i]).map((w) => w.id);
    expect(moved.widgets.find((w) => w.id === 'contact')!.grid).toEqual({ x: 0, y: 0, w: 12, h: 4 });
    // contact was last; every other widget is pushed down by 4 rows, so none keeps its object…
    expect(same).toEqual([]);
    expect(validateSpec(moved)).toEqual([]);
    // …while a move into free space keeps every other widget's object.
    const free = withLayout(s, placeItem(layoutOf(s), 'contact', { y: 30 }));
    expect(free.widgets.filter((w, i) => w !== s.widgets[i]).map((w) => w.id)).toEqual(['contact']);
    expect(withLayout(s, layoutOf(s))).toBe(s);
  });

  it('any sequence of moves keeps the spec valid (fast-check)', () => {
    const ids = collectionDashboard.widgets.map((w) => w.id);
    fc.assert(
      fc.property(
        fc.array(fc.record({ i: fc.nat({ max: ids.length - 1 }), x: fc.integer({ min: -2, max: 13 }), y: fc.integer({ min: -2, max: 25 }), w: fc.integer({ min: 1, max: 12 }) }), { maxLength: 12 }),
        (moves) => {
          let s: DashboardSpec = collectionDashboard;
          for (const m of moves) s = withLayout(s, placeItem(layoutOf(s), ids[m.i]!, { x: m.x, y: m.y, w: m.w }));
          expect(validateSpec(s)).toEqual([]);
        },
      ),
    );
  });
});

describe('params forms from the metric schemas', () => {
  const schema = PARAM_SCHEMAS.overdue_rate;

  it('lists each param with its control, bounds and default as placeholder only', () => {
    const fields = paramFields(schema, { k: 3 });
    const k = fields.find((f) => f.key === 'k')!;
    expect(k).toMatchObject({ kind: 'integer', minimum: 1, maximum: 1000, placeholder: '1', text: '3', set: true, pointer: '/params/k' });
    const measure = fields.find((f) => f.key === 'measure')!;
    expect(measure).toMatchObject({ kind: 'enum', options: ['amount', 'count'], placeholder: 'amount', text: '', set: false });
    expect(fields.find((f) => f.key === 'by')!.kind).toBe('field');
    expect(fields.find((f) => f.key === 'edges')!.kind).toBe('json');
  });

  it('parses typed text into values, empty means not set, and checks the schema', () => {
    expect(parseParam(schema, 'k', '3')).toEqual({ ok: true, value: 3 });
    expect(parseParam(schema, 'k', '')).toEqual({ ok: true, value: undefined });
    expect(parseParam(schema, 'k', '0')).toMatchObject({ ok: false });
    expect(parseParam(schema, 'k', 'abc')).toEqual({ ok: false, message: 'Not a number' });
    expect(parseParam(schema, 'measure', 'count')).toEqual({ ok: true, value: 'count' });
    expect(parseParam(schema, 'measure', 'sum')).toMatchObject({ ok: false });
    expect(parseParam(schema, 'edges', '[0, 1, 31]')).toEqual({ ok: true, value: [0, 1, 31] });
    expect(parseParam(schema, 'edges', '[0,')).toEqual({ ok: false, message: 'Not valid JSON' });
    expect(parseParam(schema, 'edges', '["a"]')).toMatchObject({ ok: false });
    expect(parseParam(schema, 'nope', '1')).toMatchObject({ ok: false });
    // $ref params resolve against the schema's $defs.
    const kpi = PARAM_SCHEMAS.kpi;
    expect(parseParam(kpi, 'measure', '{"agg":"sum","field":"amount"}')).toEqual({ ok: true, value: { agg: 'sum', field: 'amount' } });
    expect(parseParam(kpi, 'measure', '{"agg":"nope"}')).toMatchObject({ ok: false });
  });

  it('every metric schema yields a form', () => {
    for (const [id, s] of Object.entries(PARAM_SCHEMAS)) {
      const fields = paramFields(s, undefined);
      expect(fields.map((f) => f.key), id).toEqual(Object.keys(s.properties ?? {}));
      for (const f of fields) expect(['enum', 'integer', 'number', 'boolean', 'field', 'text', 'json']).toContain(f.kind);
    }
  });
});

describe('display props typed as JSON', () => {
  const allowed = new Set(['format', 'display']);
  it('empty text deletes the key; an object of allowed props is taken as is', () => {
    expect(parsePropsText('  ', allowed)).toEqual({ ok: true, value: undefined });
    expect(parsePropsText('{"format":"percent"}', allowed)).toEqual({ ok: true, value: { format: 'percent' } });
  });
  it('refuses text that does not parse, non-objects and props outside the allowlist', () => {
    const bad = parsePropsText('{format:', allowed);
    expect(bad.ok).toBe(false);
    expect(bad.ok === false && bad.json).toBe(true);
    expect(parsePropsText('[1]', allowed)).toEqual({ ok: false, message: 'Must be a JSON object' });
    expect(parsePropsText('null', allowed)).toEqual({ ok: false, message: 'Must be a JSON object' });
    expect(parsePropsText('{"display":"rates","onclick":"x","style":"y"}', allowed)).toEqual({ ok: false, message: 'Unknown props: onclick, style' });
  });
});
