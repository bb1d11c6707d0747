/** The displays of `<fin-overdue-trend>`, the metric each queries, default bucket edges and colours, and the fields each display needs. */
import type { MetricResult } from '../../engine/types.js';
import { TOKENS } from '../../theme/tokens.js';

/** What the element draws. */
export type OverdueDisplay = 'buckets' | 'rates' | 'flows' | 'rollrate';

export const DISPLAYS: readonly OverdueDisplay[] = ['buckets', 'rates', 'flows', 'rollrate'];

/** Metric each display queries. */
export const DISPLAY_METRIC: Record<OverdueDisplay, string> = {
  buckets: 'bucket_trend',
  rates: 'overdue_rate',
  flows: 'flow_rate',
  rollrate: 'roll_rate',
};

/** Default DPD bucket edges (lower bounds, inclusive), as in METRICS.md. */
export const DEFAULT_EDGES: readonly number[] = [0, 1, 31, 61, 91, 121, 151, 181];

/** Resolved theme colours the specs use (read from the element's tokens). */
export interface OverdueColors {
  fg: string;
  muted: string;
  border: string;
  bg: string;
  surface: string;
  accent: string;
  bad: string;
}

function tokenValue(name: string, theme: 'light' | 'dark'): string {
  const t = TOKENS.find((x) => x.name === `--fin-${name}`);
  return t ? t[theme] : '#000000';
}

/** Token defaults for a theme (what the element reads when the host sets no override). */
export function defaultColors(theme: 'light' | 'dark'): OverdueColors {
  return {
    fg: tokenValue('color-fg', theme),
    muted: tokenValue('color-muted', theme),
    border: tokenValue('color-border', theme),
    bg: tokenValue('color-bg', theme),
    surface: tokenValue('color-surface', theme),
    accent: tokenValue('color-accent', theme),
    bad: tokenValue('color-bad', theme),
  };
}

const REQUIRED: Record<OverdueDisplay, string[]> = {
  buckets: ['month', 'bucket', 'value'],
  rates: ['month', 'rate'],
  flows: ['month', 'transition', 'rate'],
  rollrate: ['from', 'to', 'share'],
};

/**
 * The first field a display needs that the result's rows lack (checked on the first rows), or
 * null when the result fits. Presentational hosts get a clear error instead of an empty chart.
 */
export function missingField(display: OverdueDisplay, r: MetricResult): string | null {
  const rows = r.data.slice(0, 20);
  for (const f of REQUIRED[display]) {
    if (rows.some((row) => !row || typeof row !== 'object' || !(f in row))) return f;
  }
  return null;
}
