/**
 * The view model of a `model_monitor` result for `<fin-model>` and its spec builders
 * (src/specs/model-*.ts): the meta read defensively (a hostile `.result` gives a missing-field
 * error, never a throw from a render), finite numbers only, and the red-amber-green status of the
 * headline figures with the thresholds stated in the messages (`thresholdText`).
 */
import type { MetricResult } from '../engine/types.js';
import { msg } from '../format/messages.js';
import { MODEL_AREA } from '../format/messages/model.js';
import { formatValue } from '../format/number.js';
import type { Locale } from '../format/number.js';

export type Spec = Record<string, unknown>;

export type ModelDisplay = 'overview' | 'curves' | 'bands' | 'stability' | 'features';
export const DISPLAYS: readonly ModelDisplay[] = ['overview', 'curves', 'bands', 'stability', 'features'];

export type Status = 'green' | 'amber' | 'red' | 'none';
export type Figure = 'ks' | 'auc' | 'gini' | 'psi';

/**
 * Red-amber-green cut-offs: `[red below, green from]` for the ranking figures (higher is better),
 * `[green below, red from]` for PSI (lower is better). KS follows the common scorecard practice
 * (0.2 / 0.3); AUC 0.65 / 0.75 and Gini 0.30 / 0.50 are the same cut-offs (Gini = 2·AUC − 1); PSI
 * 0.10 / 0.25 as in METRICS.md.
 */
export const THRESHOLDS: Record<Figure, readonly [number, number]> = {
  ks: [0.2, 0.3],
  auc: [0.65, 0.75],
  gini: [0.3, 0.5],
  psi: [0.1, 0.25],
};

export function statusOf(figure: Figure, v: number | null | undefined): Status {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'none';
  const [a, b] = THRESHOLDS[figure];
  if (figure === 'psi') return v < a ? 'green' : v < b ? 'amber' : 'red';
  return v < a ? 'red' : v < b ? 'amber' : 'green';
}

export function statusText(figure: Figure, s: Status, L: Locale): string {
  if (s === 'none') return m(L, 'statusNone');
  const key = figure === 'psi' ? { green: 'psiGreen', amber: 'psiAmber', red: 'psiRed' }[s] : { green: 'statusGreen', amber: 'statusAmber', red: 'statusRed' }[s];
  return m(L, key);
}

export const m = (L: Locale, key: string, vars?: Record<string, string | number>): string => msg(L, key, vars, MODEL_AREA);

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface MonthRow {
  month: string;
  development: boolean;
  count: number;
  events: number;
  eventRate: number | null;
  auc: number | null;
  gini: number | null;
  ks: number | null;
  psi: number | null;
}

export interface Ranks {
  count: number;
  events: number;
  eventRate: number | null;
  auc: number | null;
  gini: number | null;
  ks: number | null;
  ksCutoff: number | null;
  ksCutoffScore: number | null;
}

export interface Band {
  band: number;
  from: number | null;
  to: number | null;
  count: number;
  bads: number;
  badRate: number | null;
  cumBadPct: number | null;
  cumGoodPct: number | null;
  ks: number | null;
  lift: number | null;
  gain: number | null;
}

export interface CurvePoint {
  threshold: number | null;
  population: number;
  tpr: number;
  fpr: number;
  ks: number;
}

export interface Bin {
  label: string;
  count: number;
  bads: number;
  badRate: number | null;
  woe: number | null;
  iv: number | null;
  devShare: number | null;
  monShare: number | null;
}

export interface FeatureRow {
  feature: string;
  label: string;
  iv: number | null;
  ivReading: string;
  ivMonitoring: number | null;
  csi: number | null;
  csiReading: string;
  bins: Bin[] | null;
}

export interface MonitorModel {
  months: MonthRow[];
  overall: Ranks;
  development: Ranks | null;
  psi: number | null;
  bands: Band[];
  distribution: Array<{ band: number; expected: number | null; actual: number | null }>;
  curve: CurvePoint[];
  features: FeatureRow[];
}

function ranks(o: Record<string, unknown>): Ranks {
  return {
    count: num(o['count']) ?? 0,
    events: num(o['events']) ?? 0,
    eventRate: num(o['eventRate']),
    auc: num(o['auc']),
    gini: num(o['gini']),
    ks: num(o['ks']),
    ksCutoff: num(o['ksCutoff']),
    ksCutoffScore: num(o['ksCutoffScore']),
  };
}

/** The first meta field a display needs that the result lacks (null: it fits). */
export function missingField(r: MetricResult): string | null {
  const meta = obj(r.meta);
  if (!meta) return 'meta';
  if (!obj(meta['overall'])) return 'meta.overall';
  for (const k of ['bands', 'distribution', 'curve', 'features']) if (!Array.isArray(meta[k])) return `meta.${k}`;
  return null;
}

/** Label of a feature: the result's bilingual label, else its name. */
function labelOf(v: unknown, name: string, L: Locale): string {
  const o = obj(v);
  if (o) return str(o[L] ?? o['en-US']) || name;
  return typeof v === 'string' && v ? v : name;
}

/** Read a `model_monitor` result into the view model (call `missingField` first). */
export function monitorModel(r: MetricResult, L: Locale): MonitorModel {
  const meta = obj(r.meta) ?? {};
  const months: MonthRow[] = arr(r.data)
    .map(obj)
    .filter((o): o is Record<string, unknown> => o !== null && typeof o['month'] === 'string')
    .map((o) => ({
      month: str(o['month']),
      development: o['sample'] === 'development',
      count: num(o['count']) ?? 0,
      events: num(o['events']) ?? 0,
      eventRate: num(o['eventRate']),
      auc: num(o['auc']),
      gini: num(o['gini']),
      ks: num(o['ks']),
      psi: num(o['psi']),
    }));
  const bands: Band[] = arr(meta['bands'])
    .map(obj)
    .filter((o): o is Record<string, unknown> => o !== null && num(o['band']) !== null)
    .map((o) => ({
      band: num(o['band'])!,
      from: num(o['from']),
      to: num(o['to']),
      count: num(o['count']) ?? 0,
      bads: num(o['bads']) ?? 0,
      badRate: num(o['badRate']),
      cumBadPct: num(o['cumBadPct']),
      cumGoodPct: num(o['cumGoodPct']),
      ks: num(o['ks']),
      lift: num(o['lift']),
      gain: num(o['gain']),
    }))
    .sort((a, b) => a.band - b.band);
  const distribution = arr(meta['distribution'])
    .map(obj)
    .filter((o): o is Record<string, unknown> => o !== null && num(o['band']) !== null)
    .map((o) => ({ band: num(o['band'])!, expected: num(o['expected']), actual: num(o['actual']) }))
    .sort((a, b) => a.band - b.band);
  const curve: CurvePoint[] = arr(meta['curve'])
    .map(obj)
    .filter((o): o is Record<string, unknown> => o !== null && num(o['tpr']) !== null && num(o['fpr']) !== null)
    .map((o) => ({
      threshold: num(o['threshold']),
      population: num(o['population']) ?? 0,
      tpr: num(o['tpr'])!,
      fpr: num(o['fpr'])!,
      ks: num(o['ks']) ?? Math.abs(num(o['tpr'])! - num(o['fpr'])!),
    }));
  const features: FeatureRow[] = arr(meta['features'])
    .map(obj)
    .filter((o): o is Record<string, unknown> => o !== null && typeof o['feature'] === 'string')
    .map((o) => {
      const rawBins = Array.isArray(o['bins']) ? (o['bins'] as unknown[]) : null;
      let bins: Bin[] | null = null;
      if (rawBins) {
        const objs = rawBins.map(obj).filter((b): b is Record<string, unknown> => b !== null);
        const tot = objs.reduce((a, b) => a + (num(b['count']) ?? 0), 0);
        bins = objs.map((b) => ({
          label: str(b['label']),
          count: num(b['count']) ?? 0,
          bads: num(b['bads']) ?? 0,
          badRate: num(b['badRate']),
          woe: num(b['woe']),
          iv: num(b['iv']),
          devShare: tot ? (num(b['count']) ?? 0) / tot : null,
          monShare: num(b['monitoringShare']),
        }));
      }
      const name = str(o['feature']);
      return {
        feature: name,
        label: labelOf(o['label'], name, L),
        iv: num(o['iv']),
        ivReading: str(o['ivReading']),
        ivMonitoring: num(o['ivMonitoring']),
        csi: num(o['csi']),
        csiReading: str(o['csiReading']),
        bins,
      };
    });
  const dev = obj(meta['development']);
  return {
    months,
    overall: ranks(obj(meta['overall']) ?? {}),
    development: dev ? ranks(dev) : null,
    psi: num(meta['psi']),
    bands,
    distribution,
    curve,
    features,
  };
}

/** Fixed-decimal figure (KS, AUC, PSI…), '—' when absent. */
export function fig(v: number | null | undefined, L: Locale, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString(L, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function pct(v: number | null | undefined, L: Locale, digits = 1): string {
  return formatValue(v ?? null, 'percent', L, digits);
}

/** Localised IV reading. */
export function ivReadingText(reading: string, L: Locale): string {
  const key = { useless: 'ivUseless', weak: 'ivWeak', medium: 'ivMedium', strong: 'ivStrong', suspect: 'ivSuspect' }[reading];
  return key ? m(L, key) : '—';
}

/** Localised PSI/CSI reading. */
export function psiReadingText(reading: string, L: Locale): string {
  const key = { stable: 'readingStable', watch: 'readingWatch', shifted: 'readingShifted' }[reading];
  return key ? m(L, key) : '—';
}

/** Theme colours the specs use (resolved token values). */
export interface ModelColors {
  fg: string;
  muted: string;
  border: string;
  bg: string;
  accent: string;
  good: string;
  warning: string;
  bad: string;
  series: readonly string[];
}

export interface ModelSpecOptions {
  locale: Locale;
  width: number;
  height?: number;
  colors: ModelColors;
}

/** Common frame of a single-view spec. */
export function frame(o: ModelSpecOptions, height: number): Spec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: Math.max(120, o.width - 70),
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 4, right: 8, top: 8, bottom: 4 },
  };
}
