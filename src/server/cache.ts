import type { MetricResult } from '../engine/types.js';

/**
 * Answers by (policy scope, request): principals with the same effective rights share entries,
 * principals with different row filters never do. Least recently used entries go first; the
 * handler clears it on every load and unload.
 */
export class ResultCache {
  private readonly map = new Map<string, MetricResult>();
  constructor(private readonly max: number) {}

  get(key: string): MetricResult | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, v: MetricResult): void {
    if (this.max <= 0) return;
    this.map.delete(key);
    while (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, v);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
