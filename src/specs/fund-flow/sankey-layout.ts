/**
 * Sankey geometry: d3-sankey layout for the three fixed columns with label placement (truncation,
 * collision spreading), and the hover/focus relation. The d3-sankey module is passed in, so the
 * element can load it lazily and tests in node can pass the statically imported one.
 */
import type * as D3Sankey from 'd3-sankey';
import { formatCompact } from '../../format/number.js';
import type { Locale } from '../../format/number.js';
import { textWidth, truncate } from '../funnel-layout.js';
import { SIDES, ALL_KEY, columnLabel } from './sankey-model.js';
import type { FlowSide, FlowNode, SankeyModel } from './sankey-model.js';
import { m } from './shared.js';

/**
 * The parts of d3-sankey the layout uses (the element imports the module lazily). Typed loosely on
 * purpose: this interface is in the published .d.ts, and d3-sankey's types are a devDependency
 * (@types/d3-sankey) — naming them here gave consumers with `skipLibCheck: false` TS7016. The
 * precise types are applied inside `sankeyLayout` (D3SankeyModule).
 */
export interface SankeyModule {
  sankey: (...args: never[]) => unknown;
  sankeyLinkHorizontal: (...args: never[]) => unknown;
}

/** What the d3-sankey module really is (internal: never in an exported signature). */
interface D3SankeyModule {
  sankey: typeof D3Sankey.sankey;
  sankeyLinkHorizontal: typeof D3Sankey.sankeyLinkHorizontal;
}

export interface SankeyLayoutOptions {
  width: number;
  height: number;
  locale: Locale;
  /** Colours of inflow and middle nodes (and of the links leaving them), in order. */
  palette: readonly string[];
  /** Colour of synthetic nodes (`other`, unknown) and their links. */
  otherColor: string;
  /** Colour of the outflow nodes. */
  outColor: string;
  /** Node bar width in px (default 12). */
  nodeWidth?: number;
  /** Label font size in px (default 12). */
  fontSize?: number;
  /** Column headers above the nodes (default true). */
  headers?: boolean;
}

export interface NodeGeom extends FlowNode {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  color: string;
  /** Label anchor point and alignment. */
  labelX: number;
  labelY: number;
  anchor: 'start' | 'end';
  /** Name as drawn (possibly truncated) and the amount text (may be '' when it does not fit). */
  name: string;
  amount: string;
  /** Second, muted line of middle nodes (inflow · outflow), '' when none. */
  detail: string;
  /** Two-line label: name, then the amount (outer columns) or the detail (middle) below. */
  twoLine: boolean;
  /** The label was moved off its node (crowded thin nodes): draw a leader line to the node. */
  leader: boolean;
  /** The drawn name is cut: the full text is in the tooltip and aria-label. */
  truncated: boolean;
  /** No room for a label at all (crowded column): tooltip and aria-label only. */
  labelHidden: boolean;
}

export interface LinkGeom {
  index: number;
  source: string;
  target: string;
  value: number;
  /** Stroke width (∝ value). */
  width: number;
  /** SVG path of the link centre line. */
  path: string;
  color: string;
}

export interface SankeyGeometry {
  width: number;
  height: number;
  nodes: NodeGeom[];
  links: LinkGeom[];
  /** Column headers. */
  columns: Array<{ side: FlowSide; x: number; anchor: 'start' | 'middle' | 'end'; label: string }>;
  lineHeight: number;
}

/**
 * Spread label centres (given top to bottom) so that neighbours are at least `gap` apart within
 * [lo, hi], moving each as little as the neighbours force. `fits` is false when even an even
 * spread does not fit (then labels still come out ordered, overlapping as little as possible).
 */
export function spreadLabels(
  ys: readonly number[],
  gap: number,
  lo: number,
  hi: number,
): { ys: number[]; fits: boolean } {
  const n = ys.length;
  if (n === 0) return { ys: [], fits: true };
  const fits = (n - 1) * gap <= hi - lo + 1e-9;
  const out = ys.map((y) => Math.min(hi, Math.max(lo, y)));
  for (let i = 1; i < n; i++) out[i] = Math.max(out[i]!, out[i - 1]! + gap);
  if (out[n - 1]! > hi) {
    out[n - 1] = hi;
    for (let i = n - 2; i >= 0; i--) out[i] = Math.min(out[i]!, out[i + 1]! - gap);
  }
  if (out[0]! < lo) {
    // Does not fit: spread evenly over the whole range.
    const step = n > 1 ? (hi - lo) / (n - 1) : 0;
    for (let i = 0; i < n; i++) out[i] = n > 1 ? lo + i * step : (lo + hi) / 2;
  }
  return { ys: out, fits };
}

/** Round to 0.01 px: stable output, no float noise in attributes and snapshots. */
const r2 = (x: number): number => Math.round(x * 100) / 100;

interface LNode extends FlowNode {
  x0?: number;
  x1?: number;
  y0?: number;
  y1?: number;
}
interface LLink {
  source: string | LNode;
  target: string | LNode;
  value: number;
  width?: number;
  y0?: number;
  y1?: number;
  index?: number;
}

/**
 * Geometry of the three-column sankey at a size. Columns: inflow categories (labels to their
 * left), the customer dimension (labels to the right, over the links, on a halo) and outflow
 * categories (labels to their right). Node order within a column is the model's (largest first,
 * `other` last), not d3-sankey's relaxation, so the picture is stable across filters.
 */
export function sankeyLayout(mod: SankeyModule, model: SankeyModel, o: SankeyLayoutOptions): SankeyGeometry {
  const d3s = mod as unknown as D3SankeyModule;
  const width = Math.max(120, Math.floor(o.width));
  const height = Math.max(80, Math.floor(o.height));
  const fs = o.fontSize ?? 12;
  const lineH = fs + 4;
  const nw = o.nodeWidth ?? 12;
  const L = o.locale;
  const empty: SankeyGeometry = { width, height, nodes: [], links: [], columns: [], lineHeight: lineH };
  const nodeIds = new Set(model.nodes.map((n) => n.id));
  const links = model.links.filter(
    (l) => l.value > 0 && Number.isFinite(l.value) && nodeIds.has(l.source) && nodeIds.has(l.target),
  );
  if (!links.length) return empty;
  const used = new Set(links.flatMap((l) => [l.source, l.target]));
  const nodes = model.nodes.filter((n) => used.has(n.id));
  const sides = SIDES.filter((s) => nodes.some((n) => n.side === s));
  const col = (s: FlowSide): number => sides.indexOf(s);

  // Label texts and the room the outer columns need: one line (`工资 5768万`) when the width
  // allows, else two lines (name over amount), which need about half the width but twice the
  // height per label.
  const amountOf = (n: FlowNode): string =>
    formatCompact(n.side === 'in' ? n.outflow : n.side === 'out' ? n.inflow : n.value, L);
  const top = o.headers === false ? 2 : lineH + 6;
  const y0 = top;
  const y1 = height - 2;
  const outer = (s: FlowSide): boolean =>
    sides.includes(s) && s !== 'mid' && (s === 'in' ? col(s) === 0 : col(s) === sides.length - 1);
  const ofSide = (s: FlowSide): FlowNode[] => nodes.filter((n) => n.side === s);
  const maxRoom = Math.max(48, width * 0.3);
  const want1 = (s: FlowSide): number =>
    outer(s)
      ? Math.min(
          maxRoom,
          Math.max(0, ...ofSide(s).map((n) => textWidth(`${n.label} ${amountOf(n)}`, fs))) + 8,
        )
      : 0;
  const want2 = (s: FlowSide): number =>
    outer(s)
      ? Math.min(
          maxRoom,
          Math.max(
            0,
            ...ofSide(s).map((n) => Math.max(textWidth(n.label, fs), textWidth(amountOf(n), fs - 1))),
          ) + 8,
        )
      : 0;
  const canTwo = (s: FlowSide): boolean => {
    const k = ofSide(s).length;
    return (k - 1) * lineH * 2 <= y1 - y0 - lineH * 2;
  };
  const midNeed = sides.includes('mid')
    ? Math.max(0, ...ofSide('mid').map((n) => textWidth(n.label, fs))) + 12
    : 0;
  // The plot between the label rooms: three node bars, and room for the middle labels twice
  // (they sit right of the middle bars, before the outflow column).
  const plotWant = Math.max(nw * sides.length + 60, 2 * (midNeed + nw) + 24);
  const twoLines = new Set<FlowSide>();
  let roomL = want1('in');
  let roomR = want1('out');
  for (const s of ['in', 'out'] as const) {
    if (width - roomL - roomR >= plotWant || !outer(s) || !canTwo(s)) continue;
    twoLines.add(s);
    if (s === 'in') roomL = Math.min(roomL, want2('in'));
    else roomR = Math.min(roomR, want2('out'));
  }
  const minPlot = nw * sides.length + 60;
  if (width - roomL - roomR < minPlot) {
    const k = Math.max(0, (width - minPlot) / Math.max(1, roomL + roomR));
    roomL *= k;
    roomR *= k;
  }
  const x0 = r2(roomL);
  const x1 = r2(width - roomR);

  const maxPerColumn = Math.max(...sides.map((s) => nodes.filter((n) => n.side === s).length));
  const pad = Math.max(4, Math.min(lineH + 4, (y1 - y0) / Math.max(1, maxPerColumn) / 2));
  const gen = d3s
    .sankey<LNode, LLink>()
    .nodeId((d) => d.id)
    .nodeAlign((d) => col((d as LNode).side))
    .nodeSort(null)
    .nodeWidth(nw)
    .nodePadding(pad)
    .extent([
      [x0, y0],
      [x1, y1],
    ]);
  const graph = gen({
    nodes: nodes.map((n) => ({ ...n })),
    links: links.map((l) => ({ ...l })),
  });

  // Colours: inflow then middle data nodes take palette colours in order; synthetic ones grey.
  const color = new Map<string, string>();
  let ci = 0;
  for (const n of nodes) {
    if (n.side === 'out') color.set(n.id, o.outColor);
    else if (n.synthetic && n.key !== ALL_KEY) color.set(n.id, o.otherColor);
    else color.set(n.id, o.palette[ci++ % Math.max(1, o.palette.length)] ?? o.otherColor);
  }

  const geoms: NodeGeom[] = (graph.nodes as LNode[]).map((n) => {
    const gx0 = r2(n.x0 ?? 0);
    const gx1 = r2(n.x1 ?? 0);
    const gy0 = r2(n.y0 ?? 0);
    const gy1 = r2(n.y1 ?? 0);
    return {
      id: n.id,
      side: n.side,
      key: n.key,
      label: n.label,
      inflow: n.inflow,
      outflow: n.outflow,
      value: n.value,
      synthetic: n.synthetic,
      x0: gx0,
      x1: gx1,
      y0: gy0,
      y1: gy1,
      color: color.get(n.id) ?? o.otherColor,
      labelX: 0,
      labelY: r2((gy0 + gy1) / 2),
      anchor: 'start' as const,
      name: n.label,
      amount: amountOf(n),
      detail: '',
      twoLine: false,
      leader: false,
      truncated: false,
      labelHidden: false,
    };
  });

  // Labels per column.
  const colX = new Map<FlowSide, number>();
  for (const s of sides) {
    const g = geoms.find((n) => n.side === s);
    if (g) colX.set(s, g.x0);
  }
  for (const s of sides) {
    const list = geoms.filter((n) => n.side === s).sort((a, b) => a.y0 - b.y0);
    const first = col(s) === 0 && s !== 'mid';
    const last = col(s) === sides.length - 1 && s !== 'mid';
    let anchor: 'start' | 'end' = 'start';
    let room: number;
    let lx: number;
    if (first) {
      anchor = 'end';
      lx = (list[0]?.x0 ?? 0) - 6;
      room = lx;
    } else if (last) {
      lx = (list[0]?.x1 ?? width) + 6;
      room = width - lx;
    } else {
      // Middle: right of the nodes, over the links, up to the next column.
      lx = (list[0]?.x1 ?? 0) + 6;
      const next = sides[col(s) + 1];
      room = (next ? (colX.get(next) ?? width) - 6 : width) - lx;
    }
    const mid = s === 'mid';
    // Middle nodes get a second line (inflow · outflow) when every one has the height for it;
    // outer columns when their one-line labels did not fit the width (decided above).
    const twoLine = mid
      ? list.every((n, i) => {
          const next = list[i + 1];
          const space = next ? next.y0 - n.y0 : y1 - n.y0;
          return space >= lineH * 2 + 2;
        })
      : twoLines.has(s);
    const gap = lineH * (twoLine ? 2 : 1);
    let shown = list;
    // Crowded column: hide the smallest labels until the rest fit.
    while (shown.length > 1 && (shown.length - 1) * gap > y1 - y0 - gap) {
      const smallest = [...shown].sort((a, b) => a.value - b.value)[0]!;
      smallest.labelHidden = true;
      shown = shown.filter((n) => n !== smallest);
    }
    const spread = spreadLabels(
      shown.map((n) => (n.y0 + n.y1) / 2),
      gap,
      y0 + gap / 2,
      y1 - gap / 2,
    );
    shown.forEach((n, i) => (n.labelY = r2(spread.ys[i]!)));
    const roomPx = Math.max(0, room);
    for (const n of list) {
      n.anchor = anchor;
      n.labelX = r2(lx);
      n.twoLine = twoLine;
      if (mid) {
        n.amount = '';
        n.name = truncate(n.label, roomPx, fs);
        if (twoLine) {
          const d = m(L, 'midDetail', { in: formatCompact(n.inflow, L), out: formatCompact(n.outflow, L) });
          n.detail = textWidth(d, fs - 1) <= roomPx ? d : '';
        }
      } else if (twoLine) {
        n.name = truncate(n.label, roomPx, fs);
        if (textWidth(n.amount, fs - 1) > roomPx) n.amount = '';
      } else {
        const nameRoom = roomPx - textWidth(` ${n.amount}`, fs);
        const minName = textWidth(`${[...n.label].slice(0, 2).join('')}…`, fs);
        if (textWidth(n.label, fs) <= nameRoom) n.name = n.label;
        else if (nameRoom >= minName) n.name = truncate(n.label, nameRoom, fs);
        else {
          n.amount = '';
          n.name = truncate(n.label, roomPx, fs);
        }
      }
      n.truncated = n.name !== n.label;
      if (!n.name) n.labelHidden = true;
      if (n.labelHidden) {
        n.name = '';
        n.amount = '';
        n.detail = '';
        n.twoLine = false;
        continue;
      }
      // The label's centre moved off its (thin) node: a leader line shows which node it names.
      n.leader = n.labelY < n.y0 - 3 || n.labelY > n.y1 + 3;
    }
    // Two-line labels: `labelY` is the first line's centre.
    if (twoLine) for (const n of shown) n.labelY = r2(n.labelY - lineH / 2 + 1);
  }

  const linkGen = d3s.sankeyLinkHorizontal();
  const lgeoms: LinkGeom[] = (graph.links as LLink[]).map((l, i) => {
    const s = l.source as LNode;
    const t = l.target as LNode;
    const raw = linkGen(l as never) ?? '';
    // Fixed precision in the path too (d3-path prints full doubles).
    const path = raw.replace(/-?\d+\.\d+(e-?\d+)?/g, (x) => String(r2(Number(x))));
    return {
      index: i,
      source: s.id,
      target: t.id,
      value: l.value,
      width: r2(Math.max(1, l.width ?? 1)),
      path,
      color: color.get(s.id) ?? o.otherColor,
    };
  });
  // Wide links first, so narrow ones stay visible (and hoverable) on top.
  lgeoms.sort((a, b) => b.width - a.width || a.index - b.index);

  const columns: SankeyGeometry['columns'] = [];
  if (o.headers !== false) {
    for (const s of sides) {
      const g = geoms.find((n) => n.side === s)!;
      const c = col(s);
      const anchor = c === 0 ? 'start' : c === sides.length - 1 ? 'end' : 'middle';
      const x = c === 0 ? 0 : c === sides.length - 1 ? width : (g.x0 + g.x1) / 2;
      columns.push({ side: s, x: r2(x), anchor, label: columnLabel(s, model, L) });
    }
  }
  return { width, height, nodes: geoms, links: lgeoms, columns, lineHeight: lineH };
}

/** Ids of the nodes and link indexes related to a hovered / focused node or link (highlighted). */
export function related(
  geo: Pick<SankeyGeometry, 'links'>,
  focus: { node?: string; link?: number } | null,
): { nodes: Set<string>; links: Set<number> } | null {
  if (!focus) return null;
  const nodes = new Set<string>();
  const links = new Set<number>();
  if (focus.link !== undefined) {
    const l = geo.links.find((x) => x.index === focus.link);
    if (!l) return null;
    links.add(l.index);
    nodes.add(l.source).add(l.target);
    return { nodes, links };
  }
  if (focus.node === undefined) return null;
  nodes.add(focus.node);
  for (const l of geo.links) {
    if (l.source === focus.node || l.target === focus.node) {
      links.add(l.index);
      nodes.add(l.source).add(l.target);
    }
  }
  return { nodes, links };
}
