import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../../src/engine/json-equal.js';

describe('jsonEqual', () => {
  it('compares plain objects by content, whatever the key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: 1, b: 2 }, { a: 1 })).toBe(false);
  });

  it('treats undefined-valued keys as absent, like JSON.stringify', () => {
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(jsonEqual({ b: undefined }, { b: null })).toBe(false);
  });

  it('compares arrays by position and length', () => {
    expect(jsonEqual([1, 2], [1, 2])).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual([1], [1, 1])).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });

  it('keeps null, numbers, strings and booleans apart', () => {
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual(0, -0)).toBe(true);
    expect(jsonEqual(NaN, NaN)).toBe(true);
    expect(jsonEqual('1', 1)).toBe(false);
    expect(jsonEqual(true, 1)).toBe(false);
    expect(jsonEqual(null, undefined)).toBe(false);
  });

  it('compares filter clauses structurally', () => {
    const a = [{ field: 'region', op: 'in', value: ['华东', '华南'] }];
    expect(jsonEqual(a, [{ op: 'in', field: 'region', value: ['华东', '华南'] }])).toBe(true);
    expect(jsonEqual(a, [{ op: 'in', field: 'region', value: ['华南', '华东'] }])).toBe(false);
  });

  it('does not look inside class instances', () => {
    expect(jsonEqual(new Date(0), new Date(0))).toBe(false);
    const d = new Date(0);
    expect(jsonEqual({ d }, { d })).toBe(true);
    expect(jsonEqual(new Uint8Array([1]), new Uint8Array([1]))).toBe(false);
  });
});
