/**
 * Deterministic building blocks of the sample-data generator: a seeded PRNG (sfc32 seeded through
 * splitmix32) and calendar arithmetic on whole days. Nothing here reads the clock, `Math.random`
 * or the process time zone, so the same seed gives the same data on every machine.
 */

/** 32-bit FNV-1a hash of a string: derives independent sub-streams from one seed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Small fast seeded generator (sfc32). `stream` selects an independent sequence for the same seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  constructor(seed: number, stream: string | number = 0) {
    // Both 32-bit halves of the seed count (seeds above 2^32 do not alias smaller ones).
    const whole = Math.floor(seed);
    const hi = Math.floor(whole / 4294967296) | 0;
    const mix = typeof stream === 'string' ? hashString(stream) : Math.imul(stream, 0x9e3779b1);
    const st = { s: ((whole >>> 0) ^ Math.imul(hi, 0x85ebca6b) ^ mix) | 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st) | 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Next unsigned 32-bit integer. */
  u32(): number {
    let a = this.a,
      b = this.b,
      c = this.c,
      d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(): number {
    const s = this.spare;
    if (s === s) {
      this.spare = NaN;
      return s;
    }
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Lognormal with the given median and log-scale sigma. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson count (Knuth below 30, a rounded normal above). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > l) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** One element, uniformly. */
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)]!;
  }
}

/** Cumulative weights for `pickIndex`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i]!;
    out[i] = s;
  }
  return out;
}

/** Index drawn with probability proportional to its weight (binary search over `cum`). */
export function pickIndex(rng: Rng, cum: Float64Array, from = 0): number {
  const lo0 = from > 0 ? cum[from - 1]! : 0;
  const x = lo0 + rng.next() * (cum[cum.length - 1]! - lo0);
  let lo = from;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// --- calendar arithmetic (proleptic Gregorian, days since 1970-01-01) -----------------------------

/** Days since 1970-01-01 of a civil date (month 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date `[year, month 1–12, day]` of a day index. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

/** First day (day index) of a month index (`year * 12 + month - 1`). */
export function monthStart(mi: number): number {
  const y = Math.floor(mi / 12);
  return daysFromCivil(y, mi - y * 12 + 1, 1);
}

/** Number of days in a month index. */
export function monthLength(mi: number): number {
  return monthStart(mi + 1) - monthStart(mi);
}

/** ISO weekday of a day index: 1 Monday … 7 Sunday. */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

const PAD2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** `YYYY-MM-DD` of a day index. */
export function formatDay(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${y}-${PAD2[m]}-${PAD2[d]}`;
}

/**
 * Interned date and date-time labels: every day's `YYYY-MM-DD` string is built once and shared,
 * and a date-time is that shared string joined to a shared ` HH:mm:ss` string.
 */
export class Labels {
  /** By day index, offset so that 1900-01-01 … 2228 are dense array indexes. */
  private readonly days: (string | undefined)[] = new Array<string | undefined>(120000);
  private readonly times: (string | undefined)[] = new Array<string | undefined>(86400);

  day(day: number): string {
    const k = day + 25567;
    let s = this.days[k];
    if (s === undefined) {
      s = formatDay(day);
      if (k >= 0 && k < 120000) this.days[k] = s;
    }
    return s;
  }

  /** ` HH:mm:ss` for a second of the day. */
  time(sec: number): string {
    let s = this.times[sec];
    if (s === undefined) {
      const h = Math.floor(sec / 3600);
      const mi = Math.floor((sec - h * 3600) / 60);
      s = ` ${PAD2[h]}:${PAD2[mi]}:${PAD2[sec - h * 3600 - mi * 60]}`;
      this.times[sec] = s;
    }
    return s;
  }

  /** `YYYY-MM-DD HH:mm:ss` (wall clock). */
  dateTime(day: number, sec: number): string {
    return this.day(day) + this.time(sec);
  }
}

/** Zero-padded decimal of a non-negative integer. */
export function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** Round to cents. */
export function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

export function hours(spec: Record<number, number>): Float64Array {
  const w: number[] = [];
  for (let h = 0; h < 24; h++) w.push(spec[h] ?? 0);
  return cumulative(w);
}

export function pickHourSecond(rng: Rng, cum: Float64Array): number {
  return pickIndex(rng, cum) * 3600 + rng.int(3600);
}

export function cumWeights(w: readonly number[]): Float64Array {
  return cumulative(w);
}
