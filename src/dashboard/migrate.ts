/**
 * Dashboard spec versions. A spec carries an integer `version`; this library writes
 * `SPEC_VERSION`. Older specs are migrated on load, one function per step (`MIGRATIONS[n]` turns
 * version n into n + 1), each with fixture tests (test/unit/dashboard/migrate.test.ts). A spec newer
 * than the library is refused with a clear error instead of being guessed at.
 *
 * Migrations never mutate their input, keep every key they do not know, and write only what the
 * new version requires.
 *
 * History:
 * - 1 → 2: widgets get an explicit place on the grid, `grid: { x, y, w, h }`, replacing
 *   `size: { w, h }`. Version 1 widgets flowed in order (CSS Grid auto-placement); the migration
 *   computes the same places (`autoPlace`), so a migrated dashboard looks exactly as before.
 */
import { autoPlace, GRID_COLUMNS } from './grid.js';
import type { SpecIssue } from './spec.js';

/** The spec version this library writes and reads natively. */
export const SPEC_VERSION = 2;

type Json = Record<string, unknown>;
type Migration = (spec: Json) => Json;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Version 1 widgets' default size when `size` was left out (as the version 1 dashboard drew them). */
const V1_DEFAULT = { w: 4, h: 3 };

function v1ToV2(spec: Json): Json {
  const widgets = spec['widgets'];
  const out: Json = { ...spec, version: 2 };
  if (!Array.isArray(widgets)) return out;
  const layout = spec['layout'];
  const cols = isObj(layout) && typeof layout['columns'] === 'number' && layout['columns'] >= 1 ? Math.floor(layout['columns']) : GRID_COLUMNS;
  const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  const sizes = widgets.map((w, i) => {
    const size = isObj(w) && isObj(w['size']) ? w['size'] : {};
    return { id: String(i), w: num(size['w'], V1_DEFAULT.w), h: num(size['h'], V1_DEFAULT.h) };
  });
  const places = autoPlace(sizes, cols);
  out['widgets'] = widgets.map((w, i) => {
    if (!isObj(w)) return w;
    const { size: _size, ...rest } = w;
    const p = places[i]!; // one place per widget, in order
    return { ...rest, grid: { x: p.x, y: p.y, w: p.w, h: p.h } };
  });
  return out;
}

/** `MIGRATIONS[n]` migrates a version n spec to version n + 1. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = { 1: v1ToV2 };

export interface MigrationResult {
  /**
   * The spec at `SPEC_VERSION`: a new object when migrated (the input is never changed), the input
   * itself when it was current already. Absent when refused.
   */
  spec?: Json;
  /** The version the input declared. */
  from?: number;
  /** Why the spec could not be migrated (empty when it was). */
  issues: SpecIssue[];
}

/** Bring a spec of any supported version to `SPEC_VERSION`. Never throws. */
export function migrateSpec(input: unknown): MigrationResult {
  if (!isObj(input)) return { issues: [{ path: '$', message: 'The spec must be a JSON object' }] };
  const v = input['version'];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    return { issues: [{ path: '$.version', message: `Required: an integer version (this library reads 1 to ${SPEC_VERSION}); got ${JSON.stringify(v) ?? 'nothing'}` }] };
  if (v > SPEC_VERSION)
    return {
      from: v,
      issues: [
        {
          path: '$.version',
          message: `This spec is version ${v}, newer than this library understands (${SPEC_VERSION}). Update finboard to open it; it was not changed.`,
        },
      ],
    };
  let spec: Json = input;
  for (let n = v; n < SPEC_VERSION; n++) {
    const step = MIGRATIONS[n];
    if (!step) return { from: v, issues: [{ path: '$.version', message: `No migration from version ${n}` }] };
    spec = step(spec);
  }
  return { spec, from: v, issues: [] };
}
