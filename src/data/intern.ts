/**
 * Dictionary encoding of strings: string → code, codes in order of first appearance.
 *
 * While the values arrive in strictly increasing order (sequential ids: txn_id, action_id, and
 * loan_id in loan-month order) every value is new and nothing needs hashing: one string compare
 * each. The first value out of order moves the dictionary to a hash index.
 *
 * A JavaScript Map is the right tool while values repeat (V8 caches a string's hash in the string,
 * so a repeated id costs a probe), but on high-cardinality columns — transaction ids, action ids,
 * one new entry per row — its insertions dominate ingestion (≈1 µs each at a million entries).
 * `Interner` starts as a Map and, once most values turn out to be new, moves to an open-addressing
 * table over typed arrays (FNV-1a with a per-table random seed, linear probing), which inserts
 * 3–6× faster. Either way the result — the codes and the dictionary — is the same.
 */
export class Interner {
  readonly dict: string[] = [];
  /** Still in strictly increasing order (no index kept). */
  private sorted = true;
  private map: Map<string, number> | null = null;
  private slots = new Int32Array(0);
  private hashes = new Int32Array(0);
  private mask = 0;
  private seen = 0;
  private readonly seed = (0x811c9dc5 ^ Math.floor(Math.random() * 0x7fffffff)) | 0;

  /** `expected`: how many values will be interned (sizes the table when most are new). */
  constructor(private readonly expected = 0) {}

  /**
   * Code of `s` (exact string equality), adding it to the dictionary when new — as a flat copy
   * when `copy` (so that a slice of a large text does not keep the text alive).
   */
  intern(s: string, copy = false): number {
    if (this.sorted) {
      const d = this.dict;
      const n = d.length;
      if (n === 0 || s > d[n - 1]!) {
        d.push(copy ? (' ' + s).slice(1) : s);
        return n;
      }
      this.sorted = false;
      if (n < 4096) {
        const map = new Map<string, number>();
        for (let c = 0; c < n; c++) map.set(d[c]!, c);
        this.map = map;
        this.seen = n;
      } else this.toTable();
    }
    const map = this.map;
    if (map) {
      // Mostly new values among the first 8192: switch to the table.
      if (++this.seen === 8192 && this.dict.length > 4096) this.toTable();
      else {
        const c = map.get(s);
        if (c !== undefined) return c;
        const code = this.dict.length;
        this.dict.push(copy ? (' ' + s).slice(1) : s);
        map.set(s, code);
        return code;
      }
    }
    let h = this.seed;
    for (let k = 0; k < s.length; k++) {
      h ^= s.charCodeAt(k);
      h = Math.imul(h, 0x01000193);
    }
    const slots = this.slots;
    const mask = this.mask;
    const dict = this.dict;
    const hashes = this.hashes;
    let p = h & mask;
    for (;;) {
      const e = slots[p]!;
      if (e < 0) break;
      if (hashes[e] === h && dict[e] === s) return e;
      p = (p + 1) & mask;
    }
    const code = dict.length;
    dict.push(copy ? (' ' + s).slice(1) : s);
    if (code >= hashes.length) {
      const nh = new Int32Array(hashes.length * 2);
      nh.set(hashes);
      this.hashes = nh;
    }
    this.hashes[code] = h;
    slots[p] = code;
    if ((code + 1) * 2 > slots.length) this.rehash(slots.length * 2);
    return code;
  }

  private toTable(): void {
    this.map = null;
    const n = this.dict.length;
    this.hashes = new Int32Array(Math.max(16, n * 2));
    for (let c = 0; c < n; c++) {
      const s = this.dict[c]!;
      let h = this.seed;
      for (let k = 0; k < s.length; k++) {
        h ^= s.charCodeAt(k);
        h = Math.imul(h, 0x01000193);
      }
      this.hashes[c] = h;
    }
    let cap = 1024;
    while (cap < Math.max(n, this.expected) * 2) cap *= 2;
    this.rehash(cap);
  }

  private rehash(cap: number): void {
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    const n = this.dict.length;
    const hashes = this.hashes;
    for (let c = 0; c < n; c++) {
      let p = hashes[c]! & mask;
      while (slots[p]! >= 0) p = (p + 1) & mask;
      slots[p] = c;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
