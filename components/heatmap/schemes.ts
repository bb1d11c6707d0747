import { parseColor } from '../../src/specs/heatmap.js';

/** Colour ramps of `<fin-heatmap>` sampled from Vega's named schemes (Vega loaded lazily). */

const schemeCache = new Map<string, Promise<string[]>>();

/** Sample a Vega colour scheme into a ramp (low → high); a sequential ramp skips its near-white end. */
export function sampleScheme(name: string, kind: 'sequential' | 'diverging'): Promise<string[]> {
  const id = `${kind}|${name}`;
  let p = schemeCache.get(id);
  if (!p) {
    p = import('vega')
      .then((vega) => {
        const s = vega.scheme(name) as unknown;
        const fallback = vega.scheme(kind === 'diverging' ? 'redblue' : 'blues') as unknown;
        const src = typeof s === 'function' || Array.isArray(s) ? s : fallback;
        if (Array.isArray(src)) return src.map(String);
        const f = src as (t: number) => string;
        const [t0, t1] = kind === 'diverging' ? [0.04, 0.96] : [0.1, 1];
        return Array.from({ length: 9 }, (_, i) => toHex(f(t0 + ((t1 - t0) * i) / 8)));
      })
      .catch(() => (kind === 'diverging' ? ['#b2182b', '#f7f7f7', '#2166ac'] : ['#deebf7', '#08306b']));
    schemeCache.set(id, p);
  }
  return p;
}

function toHex(c: string): string {
  const rgb = parseColor(c);
  return rgb ? '#' + rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('') : c;
}
