/** Funnel rows normalised: stages per series (whole funnel or breakdown groups), conversions, drop-offs, median times. */

export type FunnelOrientation = 'horizontal' | 'vertical';

/** One stage of one series (the whole funnel, or one breakdown group), normalised. */
export interface FunnelStageDatum {
  stage: string;
  /** Entities at the stage; null when the result has no count for it. */
  count: number | null;
  /** `n_k / n_{k−1}`; null on the first stage or when undefined. */
  stepConversion: number | null;
  /** `n_k / n_1`. */
  overallConversion: number | null;
  /** `n_{k−1} − n_k`; null on the first stage. */
  dropOff: number | null;
  /** Median time from the previous stage, in milliseconds; null when absent. */
  medianMs: number | null;
}

/** A breakdown group (e.g. one channel) with its stages in funnel order. */
export interface FunnelGroup {
  key: string;
  stages: FunnelStageDatum[];
}

/** A funnel result reshaped for drawing. */
export interface FunnelModel {
  /** Stage names in funnel order. */
  stages: string[];
  /** The whole funnel (over all groups). */
  total: FunnelStageDatum[];
  /** Breakdown groups, in order of their first-stage count (largest first); empty without breakdown. */
  groups: FunnelGroup[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The first present (non-undefined) of several keys, for row shapes that name a field differently. */
function field(row: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) if (row[k] !== undefined) return row[k];
  return undefined;
}

const MS: Record<string, number> = {
  ms: 1,
  s: 1e3,
  seconds: 1e3,
  min: 6e4,
  minutes: 6e4,
  h: 3.6e6,
  hours: 3.6e6,
  d: 8.64e7,
  days: 8.64e7,
};

/** Median time of a row in ms, whatever unit the metric reported it in. */
function medianOf(row: Record<string, unknown>, unit: string | undefined): number | null {
  const ms = num(field(row, ['medianTimeMs', 'medianMs', 'median_time_ms']));
  if (ms !== null) return ms;
  const s = num(field(row, ['medianSeconds', 'medianTimeSeconds']));
  if (s !== null) return s * 1e3;
  const h = num(field(row, ['medianHours', 'medianTimeHours']));
  if (h !== null) return h * 3.6e6;
  const d = num(field(row, ['medianDays', 'medianTimeDays']));
  if (d !== null) return d * 8.64e7;
  const plain = num(field(row, ['medianTime', 'median_time', 'medianTimeFromPrev', 'median']));
  if (plain === null) return null;
  return plain * (MS[unit ?? 'ms'] ?? 1);
}

function conv(n: number | null, d: number | null): number | null {
  return n === null || d === null || d === 0 ? null : n / d;
}

/** Derive step/overall conversion and drop-off from counts where the rows do not carry them. */
function complete(stages: FunnelStageDatum[]): FunnelStageDatum[] {
  const first = stages[0]?.count ?? null;
  return stages.map((s, i) => {
    const prev = i > 0 ? (stages[i - 1]!.count ?? null) : null;
    return {
      ...s,
      stepConversion: i === 0 ? null : (s.stepConversion ?? conv(s.count, prev)),
      overallConversion: s.overallConversion ?? conv(s.count, first),
      dropOff: i === 0 ? null : (s.dropOff ?? (prev !== null && s.count !== null ? prev - s.count : null)),
    };
  });
}

export interface NormalizeOptions {
  /** Breakdown field name; rows carrying it are group rows (as are rows with a `group` key). */
  breakdown?: string;
  /** Stage order to use when the result does not give one (`meta.stages`, row `step` indexes). */
  stages?: readonly string[];
  /** Total rows when the data rows are all group rows (the metric's `meta.overall`). */
  overall?: ReadonlyArray<Record<string, unknown>> | null;
  /** Unit of a bare `medianTime` field: ms, s, min, h, d. Default ms. */
  timeUnit?: string;
}

/** Key of the breakdown group of rows whose breakdown value is missing (null). */
export const MISSING_GROUP = '\u0000missing';

/**
 * Reshape funnel rows (`{ group?, stage, step, count, stepConversion, overallConversion, dropOff,
 * medianHours }`, see src/engine/metrics/funnel.ts) into stages in order, a total series and
 * groups. Group rows carry a `group` key (or the breakdown field); a null group value is the
 * "missing" group (`MISSING_GROUP`). The total comes from rows without a group, else from
 * `overall`, else it is the sum of the groups (conversions recomputed from the summed counts).
 * Throws on rows without a stage name.
 */
export function normalizeFunnel(
  rows: ReadonlyArray<Record<string, unknown>>,
  opts: NormalizeOptions = {},
): FunnelModel {
  const bd = opts.breakdown || '';
  const groupKeyOf = (row: Record<string, unknown>): string | null => {
    const has = Object.prototype.hasOwnProperty;
    const k = has.call(row, 'group') ? 'group' : bd && has.call(row, bd) ? bd : '';
    if (!k) return null;
    const v = row[k];
    return v === null || v === undefined || v === '' ? MISSING_GROUP : String(v);
  };
  const all = [...rows, ...(opts.overall ?? [])];
  // Stage order: the option, else by `step`/`index`, else first appearance.
  const seen = new Map<string, number>();
  for (const row of all) {
    const name = row['stage'];
    if (typeof name !== 'string' && typeof name !== 'number') throw new Error('A funnel row has no "stage"');
    const step = num(field(row, ['step', 'index', 'stageIndex', 'order']));
    const key = String(name);
    if (!seen.has(key)) seen.set(key, step ?? seen.size);
  }
  const byStep = (a: string, b: string): number => seen.get(a)! - seen.get(b)!;
  let stages: string[];
  if (opts.stages && opts.stages.length) {
    stages = [...new Set(opts.stages.map(String))];
    for (const s of [...seen.keys()].sort(byStep)) if (!stages.includes(s)) stages.push(s);
  } else {
    stages = [...seen.keys()].sort(byStep);
  }
  const datum = (row: Record<string, unknown> | undefined, stage: string): FunnelStageDatum => ({
    stage,
    count: row ? num(field(row, ['count', 'n', 'users', 'value'])) : null,
    stepConversion: row ? num(field(row, ['stepConversion', 'step_conversion', 'conversion'])) : null,
    overallConversion: row ? num(field(row, ['overallConversion', 'overall_conversion'])) : null,
    dropOff: row ? num(field(row, ['dropOff', 'drop_off', 'dropoff'])) : null,
    medianMs: row ? medianOf(row, opts.timeUnit) : null,
  });

  const totalRows = new Map<string, Record<string, unknown>>();
  const groupRows = new Map<string, Map<string, Record<string, unknown>>>();
  for (const row of rows) {
    const g = groupKeyOf(row);
    const stage = String(row['stage']);
    if (g === null) totalRows.set(stage, row);
    else {
      let m = groupRows.get(g);
      if (!m) groupRows.set(g, (m = new Map()));
      m.set(stage, row);
    }
  }
  if (!totalRows.size) for (const row of opts.overall ?? []) totalRows.set(String(row['stage']), row);
  const groups: FunnelGroup[] = [...groupRows.entries()].map(([key, m]) => ({
    key,
    stages: complete(stages.map((s) => datum(m.get(s), s))),
  }));
  // Largest first (the metric's order too); the missing group last.
  groups.sort(
    (a, b) =>
      (a.key === MISSING_GROUP ? 1 : 0) - (b.key === MISSING_GROUP ? 1 : 0) ||
      (b.stages[0]?.count ?? 0) - (a.stages[0]?.count ?? 0) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );

  let total: FunnelStageDatum[];
  if (totalRows.size || !groups.length) {
    total = complete(stages.map((s) => datum(totalRows.get(s), s)));
  } else {
    total = complete(
      stages.map((s, i) => {
        let sum: number | null = null;
        for (const g of groups) {
          const c = g.stages[i]!.count;
          if (c !== null) sum = (sum ?? 0) + c;
        }
        return {
          stage: s,
          count: sum,
          stepConversion: null,
          overallConversion: null,
          dropOff: null,
          medianMs: null,
        };
      }),
    );
  }
  return { stages, total, groups };
}
