import { describe, expect, it } from 'vitest';
import { releaseScratch, scratchFloat64, scratchInt32, scratchUint8 } from '../../../src/engine/scratch.js';

describe('scratch buffers (src/engine/scratch.ts)', () => {
  it('hand out a filled view of one reused buffer per slot, grown to the largest size asked', () => {
    const a = scratchInt32('test.a', 10, -1);
    expect([...a]).toEqual(Array(10).fill(-1));
    a[3] = 7;
    // the same slot again: the same memory, refilled
    const b = scratchInt32('test.a', 6, 0);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(6);
    expect([...b]).toEqual(Array(6).fill(0));
    expect(a[3]).toBe(0);
    // larger: a new buffer of that size
    const c = scratchInt32('test.a', 20, 5);
    expect(c.buffer).not.toBe(a.buffer);
    expect(c.length).toBe(20);
    expect([...c]).toEqual(Array(20).fill(5));
    // another slot never shares memory with this one
    const d = scratchInt32('test.b', 5, 1);
    expect(d.buffer).not.toBe(c.buffer);
    expect(c[0]).toBe(5);
  });

  it('keep the element type of each call, NaN fills included', () => {
    const f = scratchFloat64('test.f', 4, NaN);
    expect(f).toBeInstanceOf(Float64Array);
    expect([...f].every((x) => Number.isNaN(x))).toBe(true);
    const u = scratchUint8('test.u', 4, 0);
    expect(u).toBeInstanceOf(Uint8Array);
    // a slot name reused with another type gets a buffer of that type
    const i = scratchInt32('test.f', 4, 2);
    expect(i).toBeInstanceOf(Int32Array);
    expect([...i]).toEqual([2, 2, 2, 2]);
  });

  it('are dropped by releaseScratch (on an engine dispose): the next use allocates again', () => {
    const a = scratchInt32('test.r', 8, 0);
    expect(scratchInt32('test.r', 8, 0).buffer).toBe(a.buffer);
    releaseScratch();
    expect(scratchInt32('test.r', 8, 0).buffer).not.toBe(a.buffer);
  });
});
