import type { MetricResult } from '../engine/types.js';

/**
 * Answers by (policy scope, request): principals with the same effective rights share entries,
 * principals with different row filters never do. Keys carry the backend's data version, so a
 * load makes old entries unreachable (the handler also clears it); entries expire after a TTL
 * (data changed outside the backend); least recently used entries go first, by count and, when a
 * size function is given, by total size (an entry larger than the budget is not kept).
 */
export class ResultCache<V = MetricResult> {
  private readonly map = new Map<string, { v: V; at: number; size: number }>();
  private total = 0;
  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly budget = Infinity,
    private readonly sizeOf: (v: V) => number = () => 0,
  ) {}

  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    this.map.delete(key);
    if (this.now() - e.at > this.ttlMs) {
      this.total -= e.size;
      return undefined;
    }
    this.map.set(key, e);
    return e.v;
  }

  set(key: string, v: V): void {
    if (this.max <= 0) return;
    const size = this.sizeOf(v);
    this.drop(key);
    if (size > this.budget) return;
    while (this.map.size >= this.max || (this.map.size > 0 && this.total + size > this.budget))
      this.drop(this.map.keys().next().value as string);
    this.map.set(key, { v, at: this.now(), size });
    this.total += size;
  }

  private drop(key: string): void {
    const e = this.map.get(key);
    if (e === undefined) return;
    this.map.delete(key);
    this.total -= e.size;
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  get size(): number {
    return this.map.size;
  }

  /** Total size of the entries kept (by the size function). */
  get bytes(): number {
    return this.total;
  }
}
