/**
 * Timing helpers shared by the node and browser benchmarks. Every comparison alternates A and B in
 * one process (A, B, A, B, …) so that machine load drifts hit both sides alike; figures are medians
 * with min and max. Lines printed: `RATIO <name> <median A/B> (min <x> max <y>)` and
 * `VALUE <name> <median> <unit>`; `SKIP <name> <reason>` where a figure cannot be measured.
 */

export interface Figure {
  name: string;
  kind: 'ratio' | 'value' | 'skip';
  median?: number;
  min?: number;
  max?: number;
  unit?: string;
  /** Goal, e.g. `<= 0.33`, and whether the median meets it. */
  goal?: string;
  met?: boolean;
  /** Raw samples (ms for A and B, or the values). */
  a?: number[];
  b?: number[];
  samples?: number[];
  reason?: string;
  note?: string;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const n = s.length;
  if (!n) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((x, y) => x - y);
  if (!s.length) return NaN;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo]! + (s[hi]! - s[lo]!) * (h - lo);
}

export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const a = Math.abs(x);
  const d = a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : a >= 0.01 ? 4 : 6;
  return Number(x.toFixed(Math.min(d, digits + 3)));
}

function goalMet(goal: string | undefined, v: number): boolean | undefined {
  if (!goal) return undefined;
  const m = /^(<=|>=)\s*([\d.]+)/.exec(goal);
  if (!m) return undefined;
  const x = Number(m[2]);
  return m[1] === '<=' ? v <= x : v >= x;
}

export function formatFigure(f: Figure): string {
  if (f.kind === 'skip') return `SKIP ${f.name} ${f.reason ?? ''}`.trimEnd();
  const goal = f.goal ? `  [goal ${f.goal}${f.met === undefined ? '' : f.met ? ' met' : ' NOT met'}]` : '';
  if (f.kind === 'ratio')
    return `RATIO ${f.name} ${round(f.median!)} (min ${round(f.min!)} max ${round(f.max!)})${goal}`;
  return `VALUE ${f.name} ${round(f.median!)} ${f.unit ?? ''}${goal}`.replace(/ +\[/, '  [');
}

/** A ratio figure from paired samples: per pair A/B, then median/min/max of the ratios. */
export function ratioFigure(name: string, a: number[], b: number[], goal?: string, note?: string): Figure {
  const r = a.map((x, i) => x / b[i]!);
  const med = median(r);
  const f: Figure = { name, kind: 'ratio', median: med, min: Math.min(...r), max: Math.max(...r), a, b };
  if (goal) {
    f.goal = goal;
    f.met = goalMet(goal, med);
  }
  if (note) f.note = note;
  return f;
}

export function valueFigure(
  name: string,
  samples: number[],
  unit: string,
  goal?: string,
  note?: string,
): Figure {
  const med = median(samples);
  const f: Figure = {
    name,
    kind: 'value',
    median: med,
    min: Math.min(...samples),
    max: Math.max(...samples),
    unit,
    samples,
  };
  if (goal) {
    f.goal = goal;
    f.met = goalMet(goal, med);
  }
  if (note) f.note = note;
  return f;
}

export function skipFigure(name: string, reason: string): Figure {
  return { name, kind: 'skip', reason };
}

/** Emit a figure: the line on stdout, and a machine-readable copy for the orchestrator. */
export function emit(f: Figure): Figure {
  console.log(formatFigure(f));
  console.log(`@@FIGURE ${JSON.stringify(f)}`);
  return f;
}

export function now(): number {
  return performance.now();
}

/** Time one call (ms). */
export function time(fn: () => void): number {
  const t = now();
  fn();
  return now() - t;
}

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = now();
  await fn();
  return now() - t;
}

/**
 * Alternate A and B `reps` times (A first on even reps, B first on odd ones), after `warmup`
 * untimed rounds of each. Returns the per-rep times in ms (per call).
 *
 * `between` runs before every timed sample (e.g. a GC); `before(side)` prepares that side's input
 * outside the timed region.
 *
 * `minSampleMs`: a side whose warm-up call took less than this is run `k` times per sample
 * (k chosen from the warm-up so a sample lasts about `minSampleMs`) and the sample is divided by k:
 * sub-millisecond calls are otherwise lost in timer resolution and scheduler noise.
 */
export async function alternate(
  reps: number,
  a: (rep: number) => unknown,
  b: (rep: number) => unknown,
  opts: {
    warmup?: number;
    between?: () => void;
    before?: (side: 'a' | 'b') => void;
    minSampleMs?: number;
  } = {},
): Promise<{ a: number[]; b: number[]; ka: number; kb: number }> {
  const ta: number[] = [];
  const tb: number[] = [];
  let wa = Infinity;
  let wb = Infinity;
  for (let w = 0; w < (opts.warmup ?? 1); w++) {
    opts.before?.('a');
    let t = now();
    await a(-1 - w);
    wa = Math.min(wa, now() - t);
    opts.before?.('b');
    t = now();
    await b(-1 - w);
    wb = Math.min(wb, now() - t);
  }
  const min = opts.minSampleMs ?? 0;
  const kOf = (w: number): number =>
    min > 0 && Number.isFinite(w) && w < min ? Math.min(1000, Math.ceil(min / Math.max(w, 0.01))) : 1;
  const ka = kOf(wa);
  const kb = kOf(wb);
  for (let r = 0; r < reps; r++) {
    const order: Array<'a' | 'b'> = r % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const side of order) {
      opts.between?.();
      opts.before?.(side);
      const fn = side === 'a' ? a : b;
      const k = side === 'a' ? ka : kb;
      const t = now();
      for (let j = 0; j < k; j++) await fn(r);
      (side === 'a' ? ta : tb).push((now() - t) / k);
    }
  }
  return { a: ta, b: tb, ka, kb };
}
