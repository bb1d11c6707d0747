/** The R score × F score heatmap with counts: rf10 segment regions and labels, or the cn8 high/low quadrants split at the mean scores. */
import { formatValue } from '../../format/number.js';
import { inkOn, textWidth } from '../heatmap.js';
import type { TextMeasure } from '../heatmap.js';
import { mix } from './colors.js';
import type { RfmModel } from './model.js';
import { RF10_RANGES, quadrantOf } from './segments.js';
import type { VlSpec } from './segments.js';
import { AXIS_FONT, M, DIM_TEXT, textOpacity, opacityFor, baseSpec } from './spec-parts.js';
import type { RfmSpecInput } from './spec-parts.js';

/** A region of the grid: an rf10 segment or a cn8 quadrant (inclusive score ranges). */
export interface RfmRegion {
  /** rf10 segment id, or the cn8 quadrant key. */
  key: string;
  /** Segment ids the region stands for (one for rf10; important + general for a cn8 quadrant). */
  ids: string[];
  label: string;
  r: [number, number];
  f: [number, number];
  /** The hue the region's cells are tinted with. */
  hue: string;
}

/**
 * The regions of a model's scheme: rf10's ten rectangles, or cn8's four quadrants split at the
 * mean scores (high = score above the threshold, so the split lies between ⌊t⌋ and ⌊t⌋ + 1).
 * Custom schemes (rules may use M) and cn8 results without thresholds have none.
 */
export function gridRegions(model: RfmModel, colors: Record<string, string>, accent: string): RfmRegion[] {
  const L = model.locale;
  const byId = new Map(model.segments.map((s) => [s.id, s]));
  if (model.scheme === 'rf10') {
    return RF10_RANGES.map((d) => ({
      key: d.id,
      ids: [d.id],
      label: byId.get(d.id)?.label ?? d.id,
      r: d.r,
      f: d.f,
      hue: colors[d.id] ?? accent,
    }));
  }
  // mean-value thresholds are raw means (days, counts), not scores: no cut in the score grid.
  if (model.scheme === 'cn8' && model.thresholds && model.thresholdMode !== 'mean-value') {
    const cutR = Math.max(0, Math.min(5, Math.floor(model.thresholds.R)));
    const cutF = Math.max(0, Math.min(5, Math.floor(model.thresholds.F)));
    const out: RfmRegion[] = [];
    for (const rHigh of [true, false]) {
      for (const fHigh of [true, false]) {
        const r: [number, number] = rHigh ? [cutR + 1, 5] : [1, cutR];
        const f: [number, number] = fHigh ? [cutF + 1, 5] : [1, cutF];
        if (r[0] > r[1] || f[0] > f[1]) continue;
        const q = quadrantOf(rHigh, fHigh);
        out.push({
          key: q,
          ids: [`important_${q}`, `general_${q}`],
          label: M(L, `quadrant.${q}`),
          r,
          f,
          hue: colors[`important_${q}`] ?? accent,
        });
      }
    }
    return out;
  }
  return [];
}

/** A grid cell as it reaches Vega. */
export interface RfmCellDatum {
  r: number;
  f: number;
  n: number;
  /** Count label. */
  nt: string;
  /** Region key and label (tooltip), or null. */
  region: string | null;
  regionLabel: string | null;
  /** Segment ids of the region (selection). */
  ids: string[];
  fill: string;
  ink: string;
  /** Opacity of the cell and of its count (dimmed when another segment is selected). */
  op: number;
  top: number;
}

export interface RfmRegionDatum {
  key: string;
  ids: string[];
  label: string;
  /** Extent in score units (cell edges at ±0.5). */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Label lines (empty when it does not fit) and their ink. */
  lines: string[];
  ink: string;
  op: number;
  sel: boolean;
}

export interface RfmGridLayout {
  /** Width handed to Vega (plot + y axis + padding), plot size and cell size. */
  width: number;
  plotWidth: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
  /** Whether region labels are drawn (cells tall enough for a label above the count). */
  regionLabels: boolean;
}

export const GRID_MAX_CELL = 130;
const GRID_Y_AXIS = 40;

/** Cell size for a width: up to 130 px wide, a bit more than half as tall (36–80 px). */
export function gridLayout(width: number): RfmGridLayout {
  const avail = Math.max(160, Math.floor(width));
  const plotWidth = Math.min(5 * GRID_MAX_CELL, avail - GRID_Y_AXIS - 8);
  const cellWidth = plotWidth / 5;
  const cellHeight = Math.round(Math.max(36, Math.min(80, cellWidth * 0.62)));
  return {
    width: plotWidth + GRID_Y_AXIS + 8,
    plotWidth,
    height: cellHeight * 5,
    cellWidth,
    cellHeight,
    regionLabels: cellHeight >= 40,
  };
}

/** Split a label into at most two lines at a space (en) or in the middle (zh) to fit `w` px. */
export function fitLabel(label: string, w: number, size: number, measure: TextMeasure = textWidth): string[] {
  if (measure(label, size) <= w) return [label];
  const words = label.split(' ');
  if (words.length > 1) {
    for (let k = words.length - 1; k >= 1; k--) {
      const a = words.slice(0, k).join(' ');
      const b = words.slice(k).join(' ');
      if (measure(a, size) <= w && measure(b, size) <= w) return [a, b];
    }
  } else if (/[\u2e80-\u9fff]/.test(label) && label.length >= 4) {
    const k = Math.ceil(label.length / 2);
    const a = label.slice(0, k);
    const b = label.slice(k);
    if (measure(a, size) <= w && measure(b, size) <= w) return [a, b];
  }
  return [];
}

/**
 * The R × F heatmap: cells tinted with their region's hue by customer count (so segments stay
 * recognisable and the concentration shows), counts in contrast ink, thick gaps between regions,
 * region labels in each region's top-left cell, cn8 thresholds as dashed lines.
 */
export function rfmGridSpec(input: RfmSpecInput): {
  spec: VlSpec;
  layout: RfmGridLayout;
  cells: RfmCellDatum[];
  regions: RfmRegionDatum[];
} | null {
  const { model, theme } = input;
  if (!model.grid) return null;
  const L = model.locale;
  const measure = input.measure ?? textWidth;
  const layout = gridLayout(input.width);
  const regions = gridRegions(model, input.colors, theme.accent);
  const regionAt = (r: number, f: number): RfmRegion | null =>
    regions.find((g) => r >= g.r[0] && r <= g.r[1] && f >= g.f[0] && f <= g.f[1]) ?? null;
  const max = Math.max(1, ...model.grid.map((c) => c.customers));
  const sel = input.selected && input.selected.length ? input.selected : null;
  const cells: RfmCellDatum[] = model.grid.map((c) => {
    const g = regionAt(c.r, c.f);
    const hue = g?.hue ?? theme.accent;
    const t = c.customers / max;
    const fill = mix(theme.bg, hue, 0.1 + 0.9 * t);
    const op = sel ? opacityFor(g?.ids ?? [], sel) : 1;
    return {
      r: c.r,
      f: c.f,
      n: c.customers,
      nt: formatValue(c.customers, 'count', L),
      region: g?.key ?? null,
      regionLabel: g ? (model.scheme === 'cn8' ? M(L, 'quadrantBoth', { name: g.label }) : g.label) : null,
      ids: g?.ids ?? [],
      fill,
      ink: inkOn(fill),
      op,
      top: textOpacity(op),
    };
  });
  const regionData: RfmRegionDatum[] = regions.map((g) => {
    const w = (g.r[1] - g.r[0] + 1) * layout.cellWidth - 10;
    const corner = cells.find((c) => c.r === g.r[0] && c.f === g.f[1])!;
    const h = (g.f[1] - g.f[0] + 1) * layout.cellHeight;
    let lines = layout.regionLabels ? fitLabel(g.label, w, 10, measure) : [];
    // A two-line label needs a taller region than the one-cell minimum, or it runs into the count.
    if (lines.length === 2 && h < 66) lines = [];
    const on = !!sel && g.ids.some((id) => sel.includes(id));
    return {
      key: g.key,
      ids: g.ids,
      label: g.label,
      x0: g.r[0] - 0.5,
      x1: g.r[1] + 0.5,
      y0: g.f[0] - 0.5,
      y1: g.f[1] + 0.5,
      lines,
      ink: corner.ink,
      op: sel && !on ? DIM_TEXT : 1,
      sel: on,
    };
  });
  // Every layer carries the same axis definition: Vega-Lite merges the axes of a shared scale and
  // drops them when a layer says `axis: null`.
  const lin = (field: string, dim: 'x' | 'y'): Record<string, unknown> => ({
    field,
    type: 'quantitative',
    scale: { domain: [0.5, 5.5], nice: false, zero: false },
    axis: {
      title: M(L, dim === 'x' ? 'rAxis' : 'fAxis'),
      values: [1, 2, 3, 4, 5],
      format: 'd',
      ticks: false,
      domain: false,
      grid: false,
      labelPadding: 4,
      titlePadding: 6,
      labelColor: theme.muted,
      titleColor: theme.muted,
      labelFontSize: AXIS_FONT,
    },
  });
  const cellRect = { x: lin('x0', 'x'), x2: { field: 'x1' }, y: lin('y0', 'y'), y2: { field: 'y1' } };
  const cellValues = cells.map((c) => ({
    ...c,
    x0: c.r - 0.5,
    x1: c.r + 0.5,
    y0: c.f - 0.5,
    y1: c.f + 0.5,
    xc: c.r,
    yc: c.f,
  }));
  const layers: Array<Record<string, unknown>> = [
    {
      name: 'cells',
      data: { values: cellValues },
      mark: { type: 'rect', cursor: 'pointer', stroke: theme.bg, strokeWidth: 1 },
      encoding: {
        ...cellRect,
        color: { field: 'fill', type: 'nominal', scale: null },
        opacity: { field: 'op', type: 'quantitative', scale: null },
        tooltip: { field: 'nt', type: 'nominal' },
      },
    },
  ];
  if (regionData.length) {
    // Region gaps: the background colour stroked along region edges (cells inside one region
    // keep their 1 px hairline, regions are set apart by 4 px).
    layers.push({
      name: 'regions',
      data: { values: regionData },
      mark: { type: 'rect', fill: null, stroke: theme.bg, strokeWidth: 4, strokeJoin: 'miter' },
      encoding: cellRect,
    });
    const selected = regionData.filter((g) => g.sel);
    if (selected.length) {
      const inset = 0.035;
      layers.push({
        name: 'selected',
        data: {
          values: selected.map((g) => ({
            ...g,
            x0: g.x0 + inset,
            x1: g.x1 - inset,
            y0: g.y0 + inset * 1.6,
            y1: g.y1 - inset * 1.6,
          })),
        },
        mark: { type: 'rect', fill: null, stroke: theme.fg, strokeWidth: 2 },
        encoding: cellRect,
      });
    }
  }
  if (model.scheme === 'cn8' && model.thresholds && model.thresholdMode !== 'mean-value') {
    const rules: Array<Record<string, unknown>> = [];
    const cutR = Math.floor(model.thresholds.R) + 0.5;
    const cutF = Math.floor(model.thresholds.F) + 0.5;
    if (cutR > 0.5 && cutR < 5.5) rules.push({ x0: cutR, x1: cutR, y0: 0.5, y1: 5.5 });
    if (cutF > 0.5 && cutF < 5.5) rules.push({ x0: 0.5, x1: 5.5, y0: cutF, y1: cutF });
    if (rules.length) {
      layers.push({
        name: 'thresholds',
        data: { values: rules },
        mark: { type: 'rule', stroke: theme.fg, strokeWidth: 1.5, strokeDash: [5, 4], opacity: 0.75 },
        encoding: cellRect,
      });
    }
  }
  layers.push({
    name: 'counts',
    data: { values: cellValues },
    mark: {
      type: 'text',
      align: 'center',
      baseline: 'middle',
      fontSize: 12,
      fontWeight: 600,
      cursor: 'pointer',
      ...(layout.regionLabels ? { dy: 6 } : {}),
    },
    encoding: {
      x: lin('xc', 'x'),
      y: lin('yc', 'y'),
      text: { field: 'nt', type: 'nominal' },
      color: { field: 'ink', type: 'nominal', scale: null },
      opacity: { field: 'top', type: 'quantitative', scale: null },
      tooltip: { field: 'nt', type: 'nominal' },
    },
  });
  const labelled = regionData.filter((g) => g.lines.length);
  if (labelled.length) {
    layers.push({
      name: 'regionLabels',
      data: { values: labelled.map((g) => ({ ...g, tx: g.x0, ty: g.y1 })) },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 6, dy: 5, fontSize: 10, lineHeight: 12 },
      encoding: {
        x: lin('tx', 'x'),
        y: lin('ty', 'y'),
        text: { field: 'lines', type: 'nominal' },
        color: { field: 'ink', type: 'nominal', scale: null },
        opacity: { field: 'op', type: 'quantitative', scale: null },
      },
    });
  }
  const spec: VlSpec = {
    ...baseSpec(input),
    width: layout.plotWidth,
    height: layout.height,
    autosize: { type: 'pad' },
    padding: { left: 0, top: 2, right: 6, bottom: 0 },
    layer: layers,
  };
  return { spec, layout, cells, regions: regionData };
}
