import type { MetricResult } from '../engine/types.js';

/**
 * Answers by (policy scope, request): principals with the same effective rights share entries,
 * principals with different row filters never do. Keys carry the backend's data version, so a
 * load makes old entries unreachable (the handler also clears it); entries expire after a TTL
 * (data changed outside the backend); least recently used entries go first.
 */
export class ResultCache {
  private readonly map = new Map<string, { v: MetricResult; at: number }>();
  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): MetricResult | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    this.map.delete(key);
    if (this.now() - e.at > this.ttlMs) return undefined;
    this.map.set(key, e);
    return e.v;
  }

  set(key: string, v: MetricResult): void {
    if (this.max <= 0) return;
    this.map.delete(key);
    while (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, { v, at: this.now() });
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
