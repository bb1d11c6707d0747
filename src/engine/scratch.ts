/**
 * Reusable temporaries for the engine's large per-call arrays (a cube build evaluates hundreds of
 * cells, each of which used to allocate its own).
 *
 * A freshly allocated large typed array is cheap to create but not to use: its pages are mapped
 * on first write. In Chromium every large ArrayBuffer is freshly mapped and unmapped again when
 * collected, so each one pays those page faults; measured in a worker on this project's 2-core
 * machine: about 4–5 ms per MiB written the first time, against nothing for a buffer written
 * before (Node's allocator mostly reuses freed memory, which hides the cost there). A slot keeps
 * one buffer, grown to the largest size asked, and hands out a view of it.
 *
 * The buffers live as long as the realm (a worker, a server process) or until `releaseScratch()`
 * — at most one per slot, sized by the largest dataset a slot served (at 1M loan-months and 431k
 * actions about 20 MiB in all); an engine's `dispose()` releases them.
 *
 * Rules for a slot: the view is valid until the next call for the same slot — one user per slot,
 * never kept in a result, and not held across a call that could use the slot again (metrics run
 * synchronously; a metric that calls another metric must not hold its slot meanwhile).
 */
type Scratch = Int32Array | Float64Array | Uint8Array | Int8Array;
const SLOTS = new Map<string, Scratch>();

function take<T extends Scratch>(slot: string, Ctor: new (n: number) => T, n: number, fill: number): T {
  let buf = SLOTS.get(slot);
  if (!(buf instanceof Ctor) || buf.length < n) {
    buf = new Ctor(n);
    SLOTS.set(slot, buf);
  }
  const out = (buf as T).subarray(0, n) as T;
  out.fill(fill);
  return out;
}

/** A view of `n` Int32 values from `slot`'s buffer, every value set to `fill`. */
export function scratchInt32(slot: string, n: number, fill: number): Int32Array {
  return take(slot, Int32Array, n, fill);
}

/** A view of `n` Float64 values from `slot`'s buffer, every value set to `fill`. */
export function scratchFloat64(slot: string, n: number, fill: number): Float64Array {
  return take(slot, Float64Array, n, fill);
}

/** A view of `n` Uint8 values from `slot`'s buffer, every value set to `fill`. */
export function scratchUint8(slot: string, n: number, fill: number): Uint8Array {
  return take(slot, Uint8Array, n, fill);
}

/** A view of `n` Int8 values from `slot`'s buffer, every value set to `fill`. */
export function scratchInt8(slot: string, n: number, fill: number): Int8Array {
  return take(slot, Int8Array, n, fill);
}

/** Drop every scratch buffer (the next use allocates again). */
export function releaseScratch(): void {
  SLOTS.clear();
}
