/**
 * `heatmap`: a measure over two dimensions x and y (METRICS.md, Heatmap). Each dimension is a
 * category, a time part of a date (hour, weekday, calendar month, ISO week, day) or numeric bins.
 * The full x × y grid is returned; cells without rows are null, never 0.
 */
import { scratchInt32 } from '../scratch.js';
import { BEFORE_WINDOW, capPeriods, periodCapWarning } from './period-cap.js';
import { NULL_INDEX } from '../../data/dataset.js';
import type { MetricContext } from '../context.js';
import type { BasisContext, MetricDef } from '../metric.js';
import { makeBasis, makeQuality, result, t } from '../metric.js';
import type { FilterClause, LocalText, MetricResult } from '../types.js';
import { badParam, cmpStr, dateCol, dateFieldOf, periodLabel, rowList, whereParam } from './generic-util.js';
import { describeMeasure, evalGrouped, measureKind, parseMeasure, ratioParts } from './measure.js';
import type { Measure } from './measure.js';

export type TimePart = 'hour' | 'dow' | 'month' | 'week' | 'day';
const TIME_PARTS: readonly TimePart[] = ['hour', 'dow', 'month', 'week', 'day'];

/** A heatmap dimension. */
export interface DimensionSpec {
  field: string;
  /** Time part of a date field. */
  part?: TimePart;
  /** Numeric bins: fixed step (from `start`, default the step multiple below the minimum) or thresholds. */
  bins?: { step: number; start?: number } | { thresholds: number[] };
  /** Category order (listed values first, the others after them sorted by label). */
  order?: Array<string | number | boolean>;
  /**
   * Most categories kept on this axis (default 60): the most frequent stay, the rest fold into
   * one `otherLabel` category and a warning says so — a browser cannot draw a 400 × 400 grid.
   */
  maxCategories?: number;
  /** Label of the folded category (default 其他). */
  otherLabel?: string;
}

/** Default cap on categories per axis. */
export const MAX_CATEGORIES = 60;

/** One cell of the grid. */
export interface HeatmapRow {
  x: string | number | boolean;
  y: string | number | boolean;
  /** Measure value; null when the cell has no rows (or its ratio's denominator is 0). */
  value: number | null;
  /** Rows in the cell. */
  n: number;
}

export interface BinInfo {
  label: string;
  /** Inclusive lower bound; null = open. */
  lo: number | null;
  /** Exclusive upper bound; null = open. */
  hi: number | null;
}

/** Ready-made heatmaps: parameter sets that explicit params override. */
export const HEATMAP_PRESETS: Readonly<Record<string, { source: string; params: Record<string, unknown> }>> =
  Object.freeze({
    'contact-rate-weekday-hour': {
      source: 'collection_actions',
      params: {
        x: { field: 'action_time', part: 'hour' },
        y: { field: 'action_time', part: 'dow' },
        measure: { ratio: [{ agg: 'sum', field: 'contacted' }, { agg: 'count' }] },
      },
    },
    'overdue-region-month': {
      source: 'loan_months',
      params: {
        x: { field: 'snapshot_date', part: 'month' },
        y: { field: 'region' },
        measure: {
          ratio: [
            { agg: 'sum', field: 'outstanding', where: [{ field: 'dpd', op: 'range', value: [1, null] }] },
            { agg: 'sum', field: 'outstanding' },
          ],
        },
        stock: true,
      },
    },
    'txn-weekday-hour': {
      source: 'transactions',
      params: {
        x: { field: 'txn_time', part: 'hour' },
        y: { field: 'txn_time', part: 'dow' },
        measure: { agg: 'count' },
      },
    },
  });

export interface Axis {
  /** Per selected row, by its position in the row list: position in the domain, −1 = missing. */
  pos: Int32Array;
  domain: Array<string | number | boolean>;
  bins?: BinInfo[];
  missing: number;
  /** Categories folded into the "other" category (0 when none). */
  folded?: number;
  /** Time axes cut to MAX_PERIODS: the span before the cut, and the rows before the window. */
  capped?: number;
  before?: number;
}

function readDim(v: unknown, name: string): DimensionSpec {
  if (!v || typeof v !== 'object' || typeof (v as DimensionSpec).field !== 'string') {
    throw badParam(name, `Parameter "${name}" must be { field, part? | bins? | order? }`, v);
  }
  const d = v as DimensionSpec;
  if (d.part !== undefined && !TIME_PARTS.includes(d.part)) {
    throw badParam(name, `"${name}.part" must be one of ${TIME_PARTS.join(', ')}`, d.part);
  }
  if (d.bins !== undefined) {
    const b = d.bins as { step?: unknown; thresholds?: unknown };
    const okStep = typeof b.step === 'number' && b.step > 0 && Number.isFinite(b.step);
    const okThr =
      Array.isArray(b.thresholds) &&
      b.thresholds.length > 0 &&
      b.thresholds.every(
        (x, i, a) => typeof x === 'number' && Number.isFinite(x) && (i === 0 || x > (a[i - 1] as number)),
      );
    if (!okStep && !okThr) {
      throw badParam(
        name,
        `"${name}.bins" must be { step > 0 } or { thresholds: ascending numbers }`,
        d.bins,
      );
    }
  }
  return d;
}

const fmtNum = (x: number): string => String(Math.round(x * 1e10) / 1e10);

/** The bins of ascending thresholds: `<t0`, `t0–t1`, …, `≥tn`. */
export function thresholdBins(thr: number[]): BinInfo[] {
  const bins: BinInfo[] = [];
  bins.push({ label: `<${fmtNum(thr[0]!)}`, lo: null, hi: thr[0]! });
  for (let j = 1; j < thr.length; j++)
    bins.push({ label: `${fmtNum(thr[j - 1]!)}–${fmtNum(thr[j]!)}`, lo: thr[j - 1]!, hi: thr[j]! });
  bins.push({ label: `≥${fmtNum(thr[thr.length - 1]!)}`, lo: thr[thr.length - 1]!, hi: null });
  return bins;
}

/** Start and count of fixed-step bins over values `min..max` (bad_params over 10000 bins). */
export function stepStart(
  b: { step: number; start?: number },
  min: number,
  max: number,
  name: string,
): { start: number; nb: number } {
  const step = b.step;
  const start =
    typeof b.start === 'number' && Number.isFinite(b.start) && b.start <= min
      ? b.start
      : Math.floor(min / step) * step;
  const nb = Math.floor((max - start) / step) + 1;
  if (nb > 10000) throw badParam(name, `"${name}.bins.step" yields more than 10000 bins`, step);
  return { start, nb };
}

/** The bins of `nb` fixed steps from `start`. */
export function stepBins(start: number, step: number, nb: number): BinInfo[] {
  const bins: BinInfo[] = [];
  for (let j = 0; j < nb; j++) {
    const lo = start + j * step;
    bins.push({
      label: `${fmtNum(lo)}–${fmtNum(lo + step)}`,
      lo: Math.round(lo * 1e10) / 1e10,
      hi: Math.round((lo + step) * 1e10) / 1e10,
    });
  }
  return bins;
}

/**
 * A category axis from the values present (with their row counts): the most frequent
 * `maxCategories − 1` kept when there are more (ties by label), the rest folded into one category;
 * kept values in `order`, then by label. `kept` indexes `present`.
 */
export function categoryDomain(
  present: Array<{ label: string | boolean; count: number }>,
  spec: DimensionSpec,
): { kept: number[]; folded: number; domain: Array<string | number | boolean> } {
  const order = (spec.order ?? []).map((v) => String(v));
  const rank = (j: number): number => {
    const r = order.indexOf(String(present[j]!.label));
    return r < 0 ? order.length : r;
  };
  const lab = (j: number): string => String(present[j]!.label);
  const max = Math.max(2, Math.floor(spec.maxCategories ?? MAX_CATEGORIES));
  let kept = present.map((_, j) => j);
  let folded = 0;
  if (present.length > max) {
    // Keep the most frequent (ties by label), fold the rest into one category.
    kept = kept
      .sort((a, b) => present[b]!.count - present[a]!.count || cmpStr(lab(a), lab(b)))
      .slice(0, max - 1);
    folded = present.length - kept.length;
  }
  kept.sort((a, b) => rank(a) - rank(b) || cmpStr(lab(a), lab(b)));
  const domain: Array<string | number | boolean> = kept.map((j) => present[j]!.label);
  if (folded) domain.push(spec.otherLabel ?? '其他');
  return { kept, folded, domain };
}

function buildAxis(
  ctx: MetricContext,
  source: string,
  spec: DimensionSpec,
  list: Int32Array,
  name: string,
): Axis {
  const col = ctx.col(source, spec.field);
  // by position in `list` (a cell's rows are a small part of the dataset: no array of n per axis)
  const pos = new Int32Array(list.length).fill(-1);
  let missing = 0;
  if (spec.part) {
    if (col.kind !== 'date')
      throw badParam(name, `"${name}.part" needs a date field; "${spec.field}" is not one`, spec.field);
    const part = spec.part;
    if (part === 'hour' || part === 'dow') {
      const arr = col[part];
      const base = part === 'hour' ? 0 : 1;
      for (let k = 0; k < list.length; k++) {
        const i = list[k]!;
        const v = arr[i]!;
        if (v < 0) missing++;
        else pos[k] = v - base;
      }
      const domain = part === 'hour' ? Array.from({ length: 24 }, (_, h) => h) : [1, 2, 3, 4, 5, 6, 7];
      return { pos, domain, missing };
    }
    const arr = col[part];
    let lo = 2147483647;
    let hi = -2147483648;
    for (let k = 0; k < list.length; k++) {
      const v = arr[list[k]!]!;
      if (v === NULL_INDEX) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // At most MAX_PERIODS periods: the latest ones (a stray far date never sizes the grid).
    const win = lo <= hi ? capPeriods(lo, hi) : { lo, span: 0, capped: false };
    lo = win.lo;
    let before = 0;
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const v = arr[i]!;
      if (v === NULL_INDEX) missing++;
      else if (v < lo) before++;
      else pos[k] = v - lo;
    }
    const domain: string[] = [];
    for (let p = lo; p <= hi; p++) domain.push(periodLabel(part, p));
    return { pos, domain, missing, ...(win.capped ? { capped: win.span, before } : {}) };
  }
  if (spec.bins) {
    if (col.kind !== 'num')
      throw badParam(name, `"${name}.bins" needs a numeric field; "${spec.field}" is not one`, spec.field);
    const data = col.data;
    const b = spec.bins;
    if ('thresholds' in b) {
      const thr = b.thresholds;
      const bins = thresholdBins(thr);
      for (let k = 0; k < list.length; k++) {
        const i = list[k]!;
        const v = data[i]!;
        if (v !== v) {
          missing++;
          continue;
        }
        let j = 0;
        while (j < thr.length && v >= thr[j]!) j++;
        pos[k] = j;
      }
      return { pos, domain: bins.map((x) => x.label), bins, missing };
    }
    const step = b.step;
    let min = Infinity;
    let max = -Infinity;
    for (let k = 0; k < list.length; k++) {
      const v = data[list[k]!]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min > max) return { pos, domain: [], bins: [], missing: list.length };
    const { start, nb } = stepStart(b, min, max, name);
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const v = data[i]!;
      if (v !== v) missing++;
      else pos[k] = Math.min(nb - 1, Math.floor((v - start) / step));
    }
    const bins = stepBins(start, step, nb);
    return { pos, domain: bins.map((x) => x.label), bins, missing };
  }
  // Category: values present among the selected rows.
  if (col.kind === 'cat' || col.kind === 'bool') {
    const size = col.kind === 'cat' ? col.dict.length : 2;
    const codes = col.kind === 'cat' ? col.codes : col.data;
    const label = (c: number): string | boolean => (col.kind === 'cat' ? col.dict[c]! : c === 1);
    const count = new Float64Array(size);
    for (let k = 0; k < list.length; k++) {
      const c = codes[list[k]!]!;
      if (c >= 0) count[c]!++;
    }
    const codesPresent: number[] = [];
    for (let c = 0; c < size; c++) if (count[c]) codesPresent.push(c);
    const cd = categoryDomain(
      codesPresent.map((c) => ({ label: label(c), count: count[c]! })),
      spec,
    );
    const kept = cd.kept.map((j) => codesPresent[j]!);
    const folded = cd.folded;
    const posOf = new Int32Array(size).fill(folded ? kept.length : -1);
    kept.forEach((c, j) => (posOf[c] = j));
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const c = codes[i]!;
      if (c < 0) missing++;
      else pos[k] = posOf[c]!;
    }
    return { pos, domain: cd.domain, missing, folded };
  }
  // Plain numbers or dates without part/bins: each distinct value is a category, ascending.
  const data = col.data;
  const vals: number[] = [];
  const seen = new Set<number>();
  for (let k = 0; k < list.length; k++) {
    const v = data[list[k]!]!;
    if (v === v && !seen.has(v)) {
      seen.add(v);
      vals.push(v);
    }
  }
  if (vals.length > 10000)
    throw badParam(name, `"${name}" has more than 10000 distinct values; use bins`, spec.field);
  vals.sort((a, b) => a - b);
  const index = new Map<number, number>();
  vals.forEach((v, j) => index.set(v, j));
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const v = data[i]!;
    if (v !== v) missing++;
    else pos[k] = index.get(v)!;
  }
  return { pos, domain: vals, missing };
}

function dimText(d: DimensionSpec): string {
  if (d.part) return `${d.field}.${d.part}`;
  if (d.bins)
    return 'step' in d.bins
      ? `bin(${d.field}, ${d.bins.step})`
      : `bin(${d.field}, [${d.bins.thresholds.join(', ')}])`;
  return d.field;
}

/** Validated params of a heatmap (the `…Params()` step, shared by every backend). */
export interface HeatmapParams {
  params: Record<string, unknown>;
  source: string;
  presetId: unknown;
  x: DimensionSpec;
  y: DimensionSpec;
  measure: Measure;
  stock: boolean;
  where: FilterClause[];
}

/** Resolve a preset and validate the params, in the memory engine's order. */
export function heatmapParams(paramsIn: Record<string, unknown>, sourceIn: string): HeatmapParams {
  let params = paramsIn;
  let source = sourceIn;
  const presetId = params.preset;
  if (presetId !== undefined && presetId !== null) {
    const preset = typeof presetId === 'string' ? HEATMAP_PRESETS[presetId] : undefined;
    if (!preset)
      throw badParam(
        'preset',
        `Unknown heatmap preset; known: ${Object.keys(HEATMAP_PRESETS).join(', ')}`,
        presetId,
      );
    params = { ...preset.params, ...params };
    // The preset names its dataset unless the caller chose another one explicitly.
    if (sourceIn === heatmapMetric.source) source = preset.source;
  }
  const x = readDim(params.x, 'x');
  const y = readDim(params.y, 'y');
  const measure: Measure = parseMeasure(params.measure);
  const stock = params.stock === true;
  const where = whereParam(params);
  return { params, source, presetId, x, y, measure, stock, where };
}

/** An axis without its per-row positions (what the result needs). */
export type AxisInfo = Omit<Axis, 'pos'>;

/** The grid cells' values and rows (index `y × nx + x`), as `evalGrouped` gives them. */
export interface HeatmapCells {
  values: Array<number | null>;
  rows: ArrayLike<number>;
}

/** bad_params when the grid is too large (checked after both axes are built). */
export function checkGrid(nx: number, ny: number): void {
  if (nx * ny > 1_000_000) {
    throw badParam('x', `The grid would have ${nx} × ${ny} cells; use bins or coarser dimensions`, nx * ny);
  }
}

/** The answer (the `…Result()` step, shared by every backend). */
export function heatmapResult(
  ctx: BasisContext,
  hp: HeatmapParams,
  ax: AxisInfo,
  ay: AxisInfo,
  r: HeatmapCells,
  n: number,
  missingEither: number,
): MetricResult<HeatmapRow> {
  const { x, y, measure, stock, where, presetId } = hp;
  const desc = describeMeasure(measure);
  const notes: LocalText[] = [
    t('无数据的单元格为空（null），不是 0。', 'Cells with no rows are null, not 0.'),
    t(
      '时间维度：小时 0–23、星期 1（周一）–7（周日）取全域；月、周（以周一日期标记）、日取数据范围内的连续区间。类别按给定顺序，其余按标签排序。',
      'Time parts: hour 0–23 and weekday 1 (Mon)–7 (Sun) are always complete; month, week (labelled by its Monday) and day span the data continuously. Categories follow `order`, the rest sorted by label.',
    ),
  ];
  if (stock)
    notes.push(
      t('存量口径：每个单元格取其最后一个快照日。', 'Stock basis: each cell uses its last snapshot date.'),
    );
  const options = { x, y, measure, stock, where, ...(presetId ? { preset: presetId } : {}) };
  const basis = makeBasis(ctx, {
    metric: 'heatmap',
    title: t('热力图', 'Heatmap'),
    formula: t(`${desc}，按 ${dimText(x)} × ${dimText(y)}`, `${desc} by ${dimText(x)} × ${dimText(y)}`),
    measure: measureKind(measure),
    ...ratioParts(measure),
    asOf: null,
    options,
    notes,
  });
  const nx = ax.domain.length;
  const ny = ay.domain.length;
  const data: HeatmapRow[] = [];
  let used = 0;
  for (let yi = 0; yi < ny; yi++) {
    for (let xi = 0; xi < nx; xi++) {
      const g = yi * nx + xi;
      const c = r.rows[g]!;
      used += c;
      data.push({
        x: ax.domain[xi]!,
        y: ay.domain[yi]!,
        value: c === 0 ? null : (r.values[g] ?? null),
        n: c,
      });
    }
  }
  const meta: Record<string, unknown> = { xDomain: ax.domain, yDomain: ay.domain };
  if (ax.bins) meta.xBins = ax.bins;
  if (ay.bins) meta.yBins = ay.bins;
  const excluded: Record<string, number> = { [`missing_${dimText(x)}`]: ax.missing };
  if (dimText(y) !== dimText(x)) excluded[`missing_${dimText(y)}`] = ay.missing;
  if (stock) excluded.not_last_snapshot = n - missingEither - used;
  const warnings: LocalText[] = [];
  for (const [axis, dim] of [
    [ax, x],
    [ay, y],
  ] as const) {
    if (axis.folded)
      warnings.push(
        t(
          `${dim.field} 有 ${axis.domain.length - 1 + axis.folded} 个取值：显示最多的 ${axis.domain.length - 1} 个，其余 ${axis.folded} 个合并为“${dim.otherLabel ?? '其他'}”`,
          `${dim.field} has ${axis.domain.length - 1 + axis.folded} values: the ${axis.domain.length - 1} most frequent are shown, ${axis.folded} more are folded into "${dim.otherLabel ?? '其他'}"`,
        ),
      );
  }
  for (const axis of [ax, ay]) {
    if (!axis.capped) continue;
    excluded[BEFORE_WINDOW] = (excluded[BEFORE_WINDOW] ?? 0) + (axis.before ?? 0);
    warnings.push(periodCapWarning(axis.capped));
  }
  const quality = makeQuality(n, used, excluded, warnings);
  if (n === 0 || nx * ny === 0) return result([], basis, quality, meta);
  return result(data, basis, quality, meta);
}

function runHeatmap(
  ctx: MetricContext,
  paramsIn: Record<string, unknown>,
  sourceIn: string,
): MetricResult<HeatmapRow> {
  const hp = heatmapParams(paramsIn, sourceIn);
  const { source, x, y, measure, stock, where, params } = hp;
  const ds = ctx.dataset(source);
  const rows = ctx.rows(source, where);
  const list = rowList(ds, rows);
  const ax = buildAxis(ctx, source, x, list, 'x');
  const ay = buildAxis(ctx, source, y, list, 'y');
  const nx = ax.domain.length;
  const ny = ay.domain.length;
  checkGrid(nx, ny);
  // row-indexed cell keys, read by evalGrouped only during this call: a reused buffer (scratch.ts)
  const keys = scratchInt32('heatmap.keys', ds.n, -1);
  let missingEither = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const px = ax.pos[k]!;
    const py = ay.pos[k]!;
    if (px < 0 || py < 0) missingEither++;
    else keys[i] = py * nx + px;
  }
  const stockDay = stock ? dateCol(ctx, source, stockDateField(source, params, x, y)).day : undefined;
  const r = evalGrouped(ctx, source, measure, rows, keys, nx * ny, stockDay ? { stockDay } : {});
  return heatmapResult(ctx, hp, ax, ay, r, list.length, missingEither);
}

/** Date field of the stock selection: `dateField`, else a time-part dimension's field, else the source default. */
export function stockDateField(
  source: string,
  params: Record<string, unknown>,
  x: DimensionSpec,
  y: DimensionSpec,
): string {
  return typeof params.dateField === 'string'
    ? params.dateField
    : x.part
      ? x.field
      : y.part
        ? y.field
        : dateFieldOf(source, undefined);
}

export const heatmapMetric: MetricDef = {
  id: 'heatmap',
  source: 'transactions',
  run: (ctx, params, source) => runHeatmap(ctx, params ?? {}, source),
};
