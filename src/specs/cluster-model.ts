/**
 * The model every `<fin-cluster>` view reads: a `cluster` metric result checked and typed (clusters
 * by number, features with their labels and units, the k table, the points of the scatter) and one
 * colour per cluster. Pure: no DOM, no Lit, no Vega.
 */
import type { Locale } from '../format/number.js';
import { CATEGORICAL } from '../theme/tokens.js';

/** A Vega-Lite spec as plain JSON. */
export type VlSpec = Record<string, unknown>;

type Bi = { 'zh-CN': string; 'en-US': string };

export interface ClusterFeature {
  id: string;
  label: string;
  unit: string;
  /** log1p was applied before the z-scores (a skewed feature): the scatter uses a symlog axis. */
  log1p: boolean;
}

export interface ClusterInfo {
  cluster: number;
  label: string;
  size: number;
  share: number | null;
  centroid: Record<string, number | null>;
  median: Record<string, number | null>;
  z: Record<string, number>;
}

export interface KInfo {
  k: number;
  inertia: number;
  silhouette: number | null;
  calinskiHarabasz: number | null;
  chosen: boolean;
}

export interface ClusterPoint {
  cluster: number;
  values: Record<string, number>;
}

export interface ClusterModel {
  locale: Locale;
  clusters: ClusterInfo[];
  features: ClusterFeature[];
  kTable: KInfo[];
  k: number;
  kSelection: 'silhouette' | 'given';
  entities: number;
  /** Points of the scatter (the first `limit` entities the engine listed) and how many there are in all. */
  points: ClusterPoint[];
  pointsTotal: number;
  /** k selection ran on a sample of this many entities (null: on all). */
  sampled: number | null;
  asOf: string | null;
}

/** Minimal shape of a metric result read here (the engine's `MetricResult`). */
export interface ClusterResultLike {
  data: Array<Record<string, unknown>>;
  meta?: Record<string, unknown> | undefined;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown, L: Locale): string => {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const b = v as Partial<Bi>;
    const s = b[L] ?? b['en-US'];
    return typeof s === 'string' ? s : '';
  }
  return '';
};
const numRecord = (v: unknown): Record<string, number | null> => {
  const out: Record<string, number | null> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = num(x);
  return out;
};

/** Read a `cluster` result; rows that are not clusters are skipped by the caller's validation (throws on a broken shape). */
export function clusterModel(r: ClusterResultLike, locale: Locale): ClusterModel {
  const meta = (r.meta ?? {}) as Record<string, unknown>;
  const fRaw = Array.isArray(meta['features']) ? (meta['features'] as Array<Record<string, unknown>>) : [];
  const features: ClusterFeature[] = fRaw
    .filter((f) => f && typeof f['feature'] === 'string')
    .map((f) => ({
      id: f['feature'] as string,
      label: text(f['label'], locale) || (f['feature'] as string),
      unit: text(f['unit'], locale),
      log1p: f['log1p'] === true,
    }));
  // Features named by the rows when meta lacks them (a hand-made result).
  if (!features.length && r.data[0] && typeof r.data[0]['centroid'] === 'object' && r.data[0]['centroid'])
    for (const id of Object.keys(r.data[0]['centroid'] as object)) features.push({ id, label: id, unit: '', log1p: false });
  const clusters: ClusterInfo[] = r.data.map((d, i) => {
    const c = num(d['cluster']);
    if (c === null) throw new Error(`Row ${i} of the cluster result has no cluster number`);
    const z: Record<string, number> = {};
    for (const [k, v] of Object.entries(numRecord(d['z']))) if (v !== null) z[k] = v;
    return {
      cluster: c,
      label: text(d['label'], locale),
      size: num(d['size']) ?? 0,
      share: num(d['share']),
      centroid: numRecord(d['centroid']),
      median: numRecord(d['median']),
      z,
    };
  });
  const kTable: KInfo[] = (Array.isArray(meta['kTable']) ? (meta['kTable'] as Array<Record<string, unknown>>) : [])
    .filter((k) => k && num(k['k']) !== null)
    .map((k) => ({
      k: num(k['k'])!,
      inertia: num(k['inertia']) ?? 0,
      silhouette: num(k['silhouette']),
      calinskiHarabasz: num(k['calinskiHarabasz']),
      chosen: k['chosen'] === true,
    }));
  const points: ClusterPoint[] = [];
  const known = new Set(clusters.map((c) => c.cluster));
  for (const a of Array.isArray(meta['assignments']) ? (meta['assignments'] as Array<Record<string, unknown>>) : []) {
    const c = num(a?.['cluster']);
    if (c === null || !known.has(c)) continue;
    const values: Record<string, number> = {};
    for (const f of features) {
      const v = num(a[f.id]);
      if (v !== null) values[f.id] = v;
    }
    points.push({ cluster: c, values });
  }
  return {
    locale,
    clusters,
    features,
    kTable,
    k: num(meta['k']) ?? clusters.length,
    kSelection: meta['kSelection'] === 'given' ? 'given' : 'silhouette',
    entities: num(meta['entities']) ?? clusters.reduce((a, c) => a + c.size, 0),
    points,
    pointsTotal: num(meta['assignmentsTotal']) ?? points.length,
    sampled: num(meta['sampled']),
    asOf: typeof meta['asOf'] === 'string' ? meta['asOf'] : null,
  };
}

/** Colour of cluster n (1-based): the categorical palette, cycling after ten. */
export function clusterColor(n: number): string {
  return CATEGORICAL[(((Math.round(n) - 1) % CATEGORICAL.length) + CATEGORICAL.length) % CATEGORICAL.length]!;
}

/** Mark opacity for a cluster under a selection (all full when nothing is selected). */
export function clusterOpacity(n: number, selected: number | null, on = 1, off = 0.18): number {
  return selected === null || selected === n ? on : off;
}

/** Colours of the theme the specs draw with. */
export interface ClusterTheme {
  fg: string;
  muted: string;
  border: string;
  bg: string;
  accent: string;
}
