/**
 * Funnel geometry, one algorithm: stages and a size in, bar rectangles, drop-off connector polygons
 * and placed (wrapped, truncated) text lines out, horizontal or vertical; small-multiples grid.
 */
import type { FunnelOrientation } from './normalize.js';
import { textWidth, truncate, wrapText } from './text.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A placed line of text. `role` lets the renderer style it (name, count, detail, connector, sub). */
export interface TextLine {
  text: string;
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  size: number;
  role: 'name' | 'count' | 'detail' | 'connector' | 'sub';
}

/** Label texts of a stage, already formatted for the locale by the caller. */
export interface LayoutStageInput {
  name: string;
  count: number | null;
  /** Formatted count, e.g. `1.23万`. */
  countText: string;
  /** Detail lines, most important first, e.g. `['转化 45.20%', '总体 12.10%']`. */
  details: string[];
  /** Texts for the connector from the previous stage (drop-off, median time); ignored on stage 0. */
  connector: string[];
  /**
   * Grouped breakdown: one sub-bar per group, in legend order. Sub-bars are sized by `share`
   * (e.g. the group's overall conversion, 0..1) when any group has one, else by `count`, on one
   * scale shared by all stages. `labels` are alternatives, longest first: the first that fits
   * over the sub-bar is drawn.
   */
  groups?: Array<{ key: string; count: number | null; share?: number | null; labels?: string[] }>;
}

export interface LayoutOptions {
  width: number;
  /** Total height; horizontal default 300; vertical default fits the rows. */
  height?: number;
  orientation?: FunnelOrientation;
  /** Base font size in px (names); counts are +3, details and connector texts −1. */
  fontSize?: number;
  /** Narrowest stage column of a horizontal funnel before it falls back to vertical. */
  minColumn?: number;
}

export interface StageLayout {
  index: number;
  name: string;
  /** The stage bar (height or width proportional to the count; 0 for 0 / missing counts). */
  bar: Rect;
  /** The whole stage slot (hit and focus area: bar plus its labels). */
  slot: Rect;
  nameLines: TextLine[];
  /** Whether the name was wrapped short of its full text (the full name belongs in the tooltip). */
  nameTruncated: boolean;
  count: TextLine;
  details: TextLine[];
  /** Grouped breakdown sub-bars. */
  subBars: Array<{ key: string; rect: Rect; label: TextLine | null }>;
}

export interface ConnectorLayout {
  /** Index of the stage the connector leads into. */
  to: number;
  /** Trapezoid from the previous bar to this one; empty when not drawn (grouped, or a missing count). */
  points: Array<[number, number]>;
  labels: TextLine[];
}

export interface FunnelLayout {
  /** Effective orientation (a horizontal funnel too narrow for its stages is laid out vertically). */
  orientation: FunnelOrientation;
  width: number;
  height: number;
  stages: StageLayout[];
  connectors: ConnectorLayout[];
}

const round = (x: number): number => Math.round(x * 100) / 100;
const finitePos = (x: number | null | undefined): number =>
  typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0;

/** Proportional size of a count on a scale whose maximum is `max` → `range`; ≥ 2px when positive. */
function sized(count: number | null, max: number, range: number): number {
  const c = finitePos(count);
  if (c === 0 || max <= 0 || range <= 0) return 0;
  return Math.max(2, (c / max) * range);
}

/**
 * Lay out a funnel. Every coordinate is finite (no NaN for zero counts, missing counts, zero
 * width or no stages). Horizontal: stage columns left → right, bars as tall as their count,
 * centred on a common axis, labels above, drop-off texts below the connectors. Vertical: stage
 * rows top → bottom, bars as wide as their count, names on the left, numbers on the right,
 * drop-off texts in the gaps.
 */
export function funnelLayout(input: readonly LayoutStageInput[], opts: LayoutOptions): FunnelLayout {
  const width = Math.max(0, Number.isFinite(opts.width) ? opts.width : 0);
  const fs = opts.fontSize ?? 12;
  const n = input.length;
  let orientation: FunnelOrientation = opts.orientation ?? 'horizontal';
  if (orientation === 'horizontal' && n > 0 && width / n < (opts.minColumn ?? 84)) orientation = 'vertical';
  if (n === 0 || width === 0) {
    return {
      orientation,
      width: round(width),
      height: round(Math.max(0, opts.height ?? 0)),
      stages: [],
      connectors: [],
    };
  }
  return orientation === 'horizontal'
    ? horizontal(input, width, fs, opts.height)
    : vertical(input, width, fs, opts.height);
}

function subLabelSize(fs: number): number {
  return Math.max(9, fs - 2);
}

type GroupIn = NonNullable<LayoutStageInput['groups']>[number];

/** Sizing value of a group sub-bar: its share when the input uses shares, else its count. */
function groupSizer(input: readonly LayoutStageInput[]): {
  value: (g: GroupIn) => number | null;
  max: number;
} {
  const useShare = input.some((s) => (s.groups ?? []).some((g) => g.share !== undefined));
  const value = (g: GroupIn): number | null => (useShare ? (g.share ?? null) : g.count);
  const max = Math.max(0, ...input.flatMap((s) => (s.groups ?? []).map((g) => finitePos(value(g)))));
  return { value, max };
}

/**
 * Which label alternative a stage's sub-bars use: the first index at which every sub-bar's label
 * fits its room (one precision for the whole stage, never 6.1% beside 15%); -1 when none does.
 */
function labelChoice(groups: readonly GroupIn[], room: (j: number) => number, size: number): number {
  const n = Math.max(0, ...groups.map((g) => g.labels?.length ?? 0));
  for (let a = 0; a < n; a++) {
    if (
      groups.every((g, j) => {
        const l = g.labels?.[a];
        return l !== undefined && textWidth(l, size) <= room(j);
      })
    )
      return a;
  }
  return -1;
}

function horizontal(
  input: readonly LayoutStageInput[],
  width: number,
  fs: number,
  heightOpt: number | undefined,
): FunnelLayout {
  const n = input.length;
  const colW = width / n;
  const textW = Math.max(0, colW - 8);
  const nameLH = Math.round(fs * 1.35);
  const countSize = fs + 4;
  const detailSize = fs - 1;
  const detailLH = Math.round(detailSize * 1.4);
  const connSize = fs - 1;
  const connLH = Math.round(connSize * 1.4);

  const wrapped = input.map((s) => wrapText(s.name, textW, fs, 2));
  const nameLines = Math.max(1, ...wrapped.map((w) => w.lines.length));
  const detailLines = Math.max(0, ...input.map((s) => s.details.length));
  const connLines = Math.max(0, ...input.slice(1).map((s) => s.connector.length));
  const groupCount = Math.max(0, ...input.map((s) => s.groups?.length ?? 0));
  const grouped = groupCount > 0;

  const headerH = nameLines * nameLH + Math.round(countSize * 1.35) + detailLines * detailLH + 6;
  const footerH = connLines ? connLines * connLH + 8 : 0;
  const subLabelH = grouped ? subLabelSize(fs) + 4 : 0;
  const minBars = 60;
  const height = Math.max(heightOpt ?? 300, headerH + footerH + minBars + subLabelH + 8);
  const barTop = headerH + 6 + subLabelH;
  const barBottom = height - footerH - 2;
  const range = Math.max(0, barBottom - barTop);
  const mid = (barTop + barBottom) / 2;
  // Grouped stages get wider bars: several sub-bars share the slot.
  const bw = grouped ? Math.min(colW * 0.82, 60 * groupCount) : Math.min(colW * 0.58, 160);

  const max = Math.max(0, ...input.map((s) => finitePos(s.count)));
  const gs_ = groupSizer(input);

  const stages: StageLayout[] = input.map((s, i) => {
    const cx = colW * i + colW / 2;
    const h = sized(s.count, max, range);
    const bar: Rect = { x: round(cx - bw / 2), y: round(mid - h / 2), width: round(bw), height: round(h) };
    let y = nameLH * 0.8;
    const names: TextLine[] = [];
    // Names are bottom-aligned in their band so counts line up across stages.
    const lines = wrapped[i]!.lines;
    y += (nameLines - lines.length) * nameLH;
    for (const t of lines) {
      names.push({ text: t, x: round(cx), y: round(y), anchor: 'middle', size: fs, role: 'name' });
      y += nameLH;
    }
    y = nameLines * nameLH + countSize * 1.05;
    const count: TextLine = {
      text: truncate(s.countText, textW, countSize),
      x: round(cx),
      y: round(y),
      anchor: 'middle',
      size: countSize,
      role: 'count',
    };
    y += countSize * 0.35 + detailLH * 0.85;
    const details: TextLine[] = s.details.map((d) => {
      const line: TextLine = {
        text: truncate(d, textW, detailSize),
        x: round(cx),
        y: round(y),
        anchor: 'middle',
        size: detailSize,
        role: 'detail',
      };
      y += detailLH;
      return line;
    });
    const subBars: StageLayout['subBars'] = [];
    const gs = s.groups ?? [];
    if (gs.length) {
      const gap = gs.length > 1 ? Math.min(3, bw / gs.length / 4) : 0;
      const sw = (bw - gap * (gs.length - 1)) / gs.length;
      const ls = subLabelSize(fs);
      // Labels sit above their own sub-bar and must not reach the neighbour's.
      const choice = labelChoice(gs, () => sw + gap - 1, ls);
      gs.forEach((g, j) => {
        const gh = sized(gs_.value(g), gs_.max, range);
        const x = cx - bw / 2 + j * (sw + gap);
        const rect: Rect = { x: round(x), y: round(mid - gh / 2), width: round(sw), height: round(gh) };
        const text = choice >= 0 ? (g.labels?.[choice] ?? null) : null;
        subBars.push({
          key: g.key,
          rect,
          label: text
            ? {
                text,
                x: round(x + sw / 2),
                y: round(mid - gh / 2 - 3),
                anchor: 'middle',
                size: ls,
                role: 'sub',
              }
            : null,
        });
      });
    }
    return {
      index: i,
      name: s.name,
      bar,
      slot: { x: round(colW * i + 1), y: 0, width: round(Math.max(0, colW - 2)), height: round(height) },
      nameLines: names,
      nameTruncated: wrapped[i]!.truncated,
      count,
      details,
      subBars,
    };
  });

  const connectors: ConnectorLayout[] = [];
  for (let i = 1; i < n; i++) {
    const a = stages[i - 1]!.bar;
    const b = stages[i]!.bar;
    const draw = !grouped && a.height > 0 && b.height > 0;
    const points: Array<[number, number]> = draw
      ? [
          [round(a.x + a.width), a.y],
          [b.x, b.y],
          [b.x, round(b.y + b.height)],
          [round(a.x + a.width), round(a.y + a.height)],
        ]
      : [];
    const x = round(colW * i);
    let y = barBottom + 4 + connLH * 0.8;
    const labels: TextLine[] = [];
    for (const t of input[i]!.connector) {
      const text = truncate(t, colW - 10, connSize);
      if (text) labels.push({ text, x, y: round(y), anchor: 'middle', size: connSize, role: 'connector' });
      y += connLH;
    }
    connectors.push({ to: i, points, labels });
  }
  return { orientation: 'horizontal', width: round(width), height: round(height), stages, connectors };
}

function vertical(
  input: readonly LayoutStageInput[],
  width: number,
  fs: number,
  heightOpt: number | undefined,
): FunnelLayout {
  const n = input.length;
  const nameW = Math.min(170, Math.max(56, width * 0.24));
  // Wide enough for "Overall 100.0%" at 11px even in a 320px card.
  const numW = Math.min(190, Math.max(100, width * 0.3));
  const x0 = nameW + 8;
  const x1 = Math.max(x0, width - numW - 8);
  const range = x1 - x0;
  const cx = (x0 + x1) / 2;
  const nameLH = Math.round(fs * 1.35);
  const countSize = fs + 2;
  const detailSize = fs - 1;
  const detailLH = Math.round(detailSize * 1.4);
  const connSize = fs - 1;
  const groupCount = Math.max(0, ...input.map((s) => s.groups?.length ?? 0));
  const grouped = groupCount > 0;

  const wrapped = input.map((s) => wrapText(s.name, nameW, fs, 2));
  // Details: joined on one line when they fit the numbers column, else stacked.
  const detailRows = input.map((s) => {
    const joined = s.details.join(' · ');
    if (!s.details.length) return [] as string[];
    return textWidth(joined, detailSize) <= numW
      ? [joined]
      : s.details.map((d) => truncate(d, numW, detailSize));
  });
  const numLinesMax = Math.max(1, ...detailRows.map((d) => 1 + d.length));
  const numH = Math.round(countSize * 1.3) + (numLinesMax - 1) * detailLH;
  const barThick = grouped ? Math.max(28, groupCount * 9 + (groupCount - 1) * 2) : 28;
  const rowH = Math.max(
    barThick + 6,
    wrapped.reduce((m, w) => Math.max(m, w.lines.length), 1) * nameLH + 4,
    numH + 4,
  );
  const connLines = input.slice(1).some((s) => s.connector.length) ? 1 : 0;
  const gapH = connLines ? Math.round(connSize * 1.4) + 8 : 10;
  const natural = n * rowH + (n - 1) * gapH;
  const height = Math.max(heightOpt ?? 0, natural);

  const max = Math.max(0, ...input.map((s) => finitePos(s.count)));
  const gs_ = groupSizer(input);

  const stages: StageLayout[] = input.map((s, i) => {
    const top = i * (rowH + gapH);
    const cy = top + rowH / 2;
    const w = sized(s.count, max, range);
    const bar: Rect = {
      x: round(cx - w / 2),
      y: round(cy - barThick / 2),
      width: round(w),
      height: barThick,
    };
    const lines = wrapped[i]!.lines;
    let y = cy - ((lines.length - 1) * nameLH) / 2 + fs * 0.35;
    const names: TextLine[] = lines.map((t) => {
      const l: TextLine = { text: t, x: 0, y: round(y), anchor: 'start', size: fs, role: 'name' };
      y += nameLH;
      return l;
    });
    const d = detailRows[i]!;
    const blockH = countSize * 1.1 + d.length * detailLH;
    let ny = cy - blockH / 2 + countSize * 0.9;
    const count: TextLine = {
      text: truncate(s.countText, numW, countSize),
      x: round(width),
      y: round(ny),
      anchor: 'end',
      size: countSize,
      role: 'count',
    };
    ny += countSize * 0.2 + detailLH * 0.9;
    const details: TextLine[] = d.map((t) => {
      const l: TextLine = {
        text: t,
        x: round(width),
        y: round(ny),
        anchor: 'end',
        size: detailSize,
        role: 'detail',
      };
      ny += detailLH;
      return l;
    });
    const subBars: StageLayout['subBars'] = [];
    const gs = s.groups ?? [];
    if (gs.length) {
      const gap = gs.length > 1 ? 2 : 0;
      const sh = (barThick - gap * (gs.length - 1)) / gs.length;
      const ls = subLabelSize(fs);
      const widths = gs.map((g) => sized(gs_.value(g), gs_.max, range));
      const choice = sh >= ls - 1 ? labelChoice(gs, (j) => x1 - (cx + widths[j]! / 2) - 3, ls) : -1;
      gs.forEach((g, j) => {
        const gw = widths[j]!;
        const y0 = cy - barThick / 2 + j * (sh + gap);
        const rect: Rect = { x: round(cx - gw / 2), y: round(y0), width: round(gw), height: round(sh) };
        const text = choice >= 0 ? (g.labels?.[choice] ?? null) : null;
        subBars.push({
          key: g.key,
          rect,
          label: text
            ? {
                text,
                x: round(cx + gw / 2 + 3),
                y: round(y0 + sh / 2 + ls * 0.35),
                anchor: 'start',
                size: ls,
                role: 'sub',
              }
            : null,
        });
      });
    }
    return {
      index: i,
      name: s.name,
      bar,
      slot: { x: 0, y: round(top), width: round(width), height: round(rowH) },
      nameLines: names,
      nameTruncated: wrapped[i]!.truncated,
      count,
      details,
      subBars,
    };
  });

  const connectors: ConnectorLayout[] = [];
  for (let i = 1; i < n; i++) {
    const a = stages[i - 1]!.bar;
    const b = stages[i]!.bar;
    const draw = !grouped && a.width > 0 && b.width > 0;
    const points: Array<[number, number]> = draw
      ? [
          [a.x, round(a.y + a.height)],
          [round(a.x + a.width), round(a.y + a.height)],
          [round(b.x + b.width), b.y],
          [b.x, b.y],
        ]
      : [];
    const gapMid = i * (rowH + gapH) - gapH / 2;
    const labels: TextLine[] = [];
    const texts = input[i]!.connector;
    if (texts.length) {
      // One line in the gap: everything joined when it fits, else the first text alone.
      const room = Math.max(0, width - x0);
      const joined = texts.join(' · ');
      const text = textWidth(joined, connSize) <= room ? joined : truncate(texts[0]!, room, connSize);
      if (text)
        labels.push({
          text,
          x: round(x0),
          y: round(gapMid + connSize * 0.35),
          anchor: 'start',
          size: connSize,
          role: 'connector',
        });
    }
    connectors.push({ to: i, points, labels });
  }
  return { orientation: 'vertical', width: round(width), height: round(height), stages, connectors };
}

/** Columns and panel width of a small-multiples grid (panels at least `minPanel` px wide). */
export function smallMultiplesGrid(
  width: number,
  count: number,
  minPanel = 280,
  gap = 12,
): { columns: number; panelWidth: number } {
  if (!(width > 0) || count <= 0)
    return { columns: 1, panelWidth: Math.max(0, Number.isFinite(width) ? width : 0) };
  const columns = Math.max(1, Math.min(count, Math.floor((width + gap) / (minPanel + gap))));
  return { columns, panelWidth: round((width - gap * (columns - 1)) / columns) };
}
