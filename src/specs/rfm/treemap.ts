/** RFM overview as a treemap: squarified tiles (area = customers or Σ monetary) with labels that fit. */
import { inkOn, textWidth } from '../heatmap.js';
import type { VlSpec, RfmSizeBy } from './segments.js';
import { M, textOpacity, opacityFor, segmentTexts, truncate, baseSpec } from './spec-parts.js';
import type { RfmSpecInput } from './spec-parts.js';

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Squarified treemap (Bruls, Huizing & van Wijk 2000) of non-negative values in a rectangle.
 * Returns one rectangle per value, in input order; a 0 value gets an empty rectangle. Values are
 * laid out largest first (stable for ties), so the biggest segment sits top-left.
 */
export function squarify(values: readonly number[], box: Rect): Rect[] {
  const out: Rect[] = values.map(() => ({ x0: box.x0, y0: box.y0, x1: box.x0, y1: box.y0 }));
  const order = values
    .map((v, i) => ({ v: Number.isFinite(v) && v > 0 ? v : 0, i }))
    .filter((d) => d.v > 0)
    .sort((a, b) => b.v - a.v || a.i - b.i);
  const total = order.reduce((a, d) => a + d.v, 0);
  if (!(total > 0)) return out;
  let { x0, y0 } = box;
  const { x1, y1 } = box;
  const scale = ((x1 - x0) * (y1 - y0)) / total;
  const areas = order.map((d) => d.v * scale);
  const worst = (row: number[], side: number): number => {
    if (!row.length) return Infinity;
    const s = row.reduce((a, b) => a + b, 0);
    const max = Math.max(...row);
    const min = Math.min(...row);
    return Math.max((side * side * max) / (s * s), (s * s) / (side * side * min));
  };
  let k = 0;
  while (k < order.length) {
    const w = x1 - x0;
    const h = y1 - y0;
    const side = Math.min(w, h);
    const row: number[] = [areas[k]!];
    let j = k + 1;
    while (j < order.length && worst([...row, areas[j]!], side) <= worst(row, side)) {
      row.push(areas[j]!);
      j++;
    }
    const s = row.reduce((a, b) => a + b, 0);
    const last = j >= order.length;
    if (w >= h) {
      // A column at the left edge.
      const cw = last ? w : s / h;
      let y = y0;
      row.forEach((a, q) => {
        const rh = q === row.length - 1 ? y1 - y : a / cw;
        out[order[k + q]!.i] = { x0, y0: y, x1: x0 + cw, y1: y + rh };
        y += rh;
      });
      x0 += cw;
    } else {
      // A row at the top edge.
      const rh = last ? h : s / w;
      let x = x0;
      row.forEach((a, q) => {
        const cw = q === row.length - 1 ? x1 - x : a / rh;
        out[order[k + q]!.i] = { x0: x, y0, x1: x + cw, y1: y0 + rh };
        x += cw;
      });
      y0 += rh;
    }
    k = j;
  }
  return out;
}

/** A treemap tile as it reaches Vega (pixel positions, read with `scale: null`). */
export interface RfmTileDatum extends Rect {
  seg: string;
  label: string;
  fill: string;
  op: number;
  st: string | null;
}

/** A line of tile text (pixel position of its top-left corner). */
export interface RfmTileText {
  seg: string;
  label: string;
  x: number;
  y: number;
  text: string;
  ink: string;
  size: number;
  weight: number;
  op: number;
}

export const TILE_GAP = 2;
const TILE_PAD = 6;
const TILE_LINE = 15;
/** Width of bold text relative to regular (the measurer knows regular only). */
const BOLD_WIDTH = 1.12;

/** Treemap height for a width: a wide, calm rectangle; squarer on narrow cards. */
export function treemapHeight(width: number): number {
  return width < 400
    ? Math.round(Math.max(220, width * 0.8))
    : Math.round(Math.min(380, Math.max(220, width * 0.48)));
}

/** Squarified tiles, one per segment with a positive size; labels (name, customers, Σ M) where they fit. */
export function rfmTreemapSpec(input: RfmSpecInput & { sizeBy?: RfmSizeBy | undefined }): {
  spec: VlSpec;
  tiles: RfmTileDatum[];
  texts: RfmTileText[];
  height: number;
} {
  const { model, theme } = input;
  const L = model.locale;
  const measure = input.measure ?? textWidth;
  const width = Math.max(160, Math.floor(input.width) - 2);
  const height = treemapHeight(width);
  const by: RfmSizeBy = input.sizeBy === 'monetary' ? 'monetary' : 'customers';
  const rects = squarify(
    model.segments.map((s) => s[by]),
    { x0: 0, y0: 0, x1: width, y1: height },
  );
  const tiles: RfmTileDatum[] = [];
  const texts: RfmTileText[] = [];
  model.segments.forEach((s, i) => {
    const r = rects[i]!;
    if (r.x1 - r.x0 <= 0 || r.y1 - r.y0 <= 0) return;
    const g = TILE_GAP / 2;
    const t: RfmTileDatum = {
      seg: s.id,
      label: s.label,
      x0: round1(r.x0 + g),
      y0: round1(r.y0 + g),
      x1: round1(Math.max(r.x0 + g, r.x1 - g)),
      y1: round1(Math.max(r.y0 + g, r.y1 - g)),
      fill: input.colors[s.id] ?? theme.accent,
      op: opacityFor([s.id], input.selected),
      st: input.selected?.includes(s.id) ? theme.fg : null,
    };
    tiles.push(t);
    const ink = inkOn(t.fill);
    const tx = segmentTexts(s, L);
    // Each line with shorter fallbacks (without the share) for narrow tiles.
    const customersLine = [
      `${M(L, 'customersN', { n: tx.customers })} · ${tx.share}`,
      M(L, 'customersN', { n: tx.customers }),
    ];
    const monetaryLine = [`${tx.monetary} · ${tx.monetaryShare}`, tx.monetary];
    const lines: Array<{ texts: string[]; size: number; weight: number }> = [
      { texts: [s.label], size: 12, weight: 600 },
      { texts: by === 'customers' ? customersLine : monetaryLine, size: 11, weight: 400 },
      { texts: by === 'customers' ? monetaryLine : customersLine, size: 11, weight: 400 },
    ];
    const w = t.x1 - t.x0 - 2 * TILE_PAD;
    const h = t.y1 - t.y0;
    for (let li = 0; li < lines.length; li++) {
      if (TILE_PAD + (li + 1) * TILE_LINE > h - 2) break;
      const line = lines[li]!;
      // The name may be cut with an ellipsis (the tooltip and the segment list have it whole);
      // figures are never cut: the shorter form, or nothing. Names are bold, measured as regular
      // text: they get 12% less room.
      const text =
        li === 0
          ? truncate(line.texts[0]!, w / BOLD_WIDTH, line.size, measure)
          : line.texts.find((x) => measure(x, line.size) <= w);
      if (!text) break;
      texts.push({
        seg: s.id,
        label: s.label,
        x: round1(t.x0 + TILE_PAD),
        y: round1(t.y0 + TILE_PAD - 1 + li * TILE_LINE),
        text,
        ink,
        size: line.size,
        weight: line.weight,
        op: textOpacity(t.op),
      });
    }
  });
  const px = (field: string): Record<string, unknown> => ({
    field,
    type: 'quantitative',
    scale: null,
    axis: null,
  });
  const spec: VlSpec = {
    ...baseSpec(input),
    width,
    height,
    autosize: { type: 'none' },
    padding: { left: 0, top: 0, right: 2, bottom: 0 },
    layer: [
      {
        name: 'tiles',
        data: { values: tiles },
        mark: { type: 'rect', cursor: 'pointer', strokeWidth: 2, cornerRadius: 2 },
        encoding: {
          x: px('x0'),
          x2: { field: 'x1' },
          y: px('y0'),
          y2: { field: 'y1' },
          color: { field: 'fill', type: 'nominal', scale: null },
          opacity: { field: 'op', type: 'quantitative', scale: null },
          stroke: { field: 'st', type: 'nominal', scale: null },
          tooltip: { field: 'label', type: 'nominal' },
        },
      },
      // Names (bold) and figures in two layers: Vega-Lite has no font-weight channel.
      ...([600, 400] as const).map((weight) => ({
        name: weight === 600 ? 'tileNames' : 'tileFigures',
        data: { values: texts.filter((t) => t.weight === weight) },
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'top',
          fontWeight: weight,
          fontSize: weight === 600 ? 12 : 11,
          cursor: 'pointer',
        },
        encoding: {
          x: px('x'),
          y: px('y'),
          text: { field: 'text', type: 'nominal' },
          color: { field: 'ink', type: 'nominal', scale: null },
          opacity: { field: 'op', type: 'quantitative', scale: null },
          tooltip: { field: 'label', type: 'nominal' },
        },
      })),
    ],
  };
  return { spec, tiles, texts, height };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
