/**
 * Pure builders of `<fin-fund-flow>` (no DOM, no lit; runs in node):
 *
 * - results → view models: `sankeyModel` (metric `sankey`), `trendModel` (`fund_flow`),
 *   `alertsModel` (`txn_alerts`), each tolerant of hand-made presentational results;
 * - `sankeyLayout`: d3-sankey geometry for three fixed columns (inflow categories → customer
 *   dimension → outflow categories) with label placement (truncation, collision spreading). The
 *   d3-sankey module is passed in, so the element can load it lazily and tests in node can pass
 *   the statically imported one;
 * - `trendSpec`: the Vega-Lite spec of the net-flow trend (diverging net bars, cumulative net on a
 *   second axis with its zero aligned to the bars', optional inflow / outflow lines). Data values
 *   only ever travel in `data.values`; the one label expression is a constant.
 */
import type * as D3Sankey from 'd3-sankey';
import type { FilterClause, MetricResult } from '../engine/types.js';
import { msg } from '../format/messages.js';
import { FUND_FLOW_AREA } from '../format/messages/fund-flow.js';
import { formatCompact, formatDay, formatMonth, formatValue } from '../format/number.js';
import type { Locale } from '../format/number.js';
import { textWidth, truncate } from './funnel-layout.js';

/** A Vega-Lite spec as plain JSON. */
export type Spec = Record<string, unknown>;

const m = (locale: Locale, key: string, vars?: Record<string, string | number>): string =>
  msg(locale, key, vars, FUND_FLOW_AREA);

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

// ---------------------------------------------------------------------------------------------
// Displays

export type FundFlowDisplay = 'sankey' | 'trend' | 'alerts';
export const DISPLAYS: readonly FundFlowDisplay[] = ['sankey', 'trend', 'alerts'];
/** The metric each display queries. */
export const DISPLAY_METRIC: Record<FundFlowDisplay, string> = {
  sankey: 'sankey',
  trend: 'fund_flow',
  alerts: 'txn_alerts',
};
const REQUIRED: Record<FundFlowDisplay, string[]> = {
  sankey: ['source', 'target', 'value'],
  trend: ['period', 'net'],
  alerts: ['customer_id', 'date', 'rule', 'amount'],
};

/**
 * The first field a display needs that the result's rows lack (checked on the first rows), or
 * null when the result fits: a presentational host gets a clear error instead of an empty chart.
 */
export function missingField(display: FundFlowDisplay, r: MetricResult): string | null {
  const rows = r.data.slice(0, 50);
  for (const f of REQUIRED[display]) {
    if (rows.some((row) => !row || typeof row !== 'object' || !(f in row))) return f;
  }
  return null;
}

/** Constant label expression for compact amounts (1.2万 / 3.4亿; 12K / 3.4M / 1.2B). No data inside. */
export function compactLabelExpr(locale: Locale): string {
  return locale === 'zh-CN'
    ? "abs(datum.value) >= 1e8 ? format(datum.value / 1e8, '.3~r') + '亿' : abs(datum.value) >= 1e4 ? format(datum.value / 1e4, '.3~r') + '万' : format(datum.value, ',~r')"
    : "abs(datum.value) >= 1e9 ? format(datum.value / 1e9, '.3~r') + 'B' : abs(datum.value) >= 1e6 ? format(datum.value / 1e6, '.3~r') + 'M' : abs(datum.value) >= 1e3 ? format(datum.value / 1e3, '.3~r') + 'K' : format(datum.value, ',~r')";
}

/** Compact CNY amount: ¥1,234 / ¥5.6万 / ¥7.89亿 (zh-CN), CN¥5.6K / CN¥78.9M (en-US). */
export function money(v: number | null | undefined, locale: Locale): string {
  return formatValue(v ?? null, 'currency-compact', locale);
}

const fixed2 = new Map<Locale, Intl.NumberFormat>();
/** An exact amount with two decimals and grouping (669,224.38), no currency sign; '—' for none. */
export function amount2(v: number | null | undefined, locale: Locale): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  let f = fixed2.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    fixed2.set(locale, f);
  }
  return f.format(Object.is(v, -0) ? 0 : v);
}

/** Signed compact amount with a real minus: +1.2万 / −3.4万. */
export function signedCompact(v: number | null | undefined, locale: Locale): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const s = formatCompact(Math.abs(v), locale);
  return v > 0 ? `+${s}` : v < 0 ? `\u2212${s}` : s;
}

/** Signed compact CNY amount: +¥1,750万 / −¥498万 (zh-CN), +CN¥17.5M / −CN¥4.98M (en-US). */
export function signedMoney(v: number | null | undefined, locale: Locale): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const s = money(Math.abs(v), locale);
  return v > 0 ? `+${s}` : v < 0 ? `\u2212${s}` : s;
}

/** Share as a percent with one decimal (0.1% floor shown as <0.1%). */
export function share(part: number | null, whole: number | null, locale: Locale): string {
  if (part === null || whole === null || !(whole > 0)) return '—';
  const s = part / whole;
  if (s > 0 && s < 0.001) return locale === 'zh-CN' ? '<0.1%' : '<0.1%';
  return formatValue(s, 'percent', locale, 1);
}

// ---------------------------------------------------------------------------------------------
// Sankey model

export type FlowSide = 'in' | 'mid' | 'out';
export const SIDES: readonly FlowSide[] = ['in', 'mid', 'out'];

/** Synthetic node keys of the `sankey` metric. */
export const OTHER_KEY = '__other__';
export const ALL_KEY = '__all__';
export const MISSING_KEY = '__missing__';

export interface FlowNode {
  /** Node id as in the links (`in:工资`). */
  id: string;
  side: FlowSide;
  /** The data value the node stands for (the id without its side prefix). */
  key: string;
  /** Display label (synthetic nodes localised). */
  label: string;
  /** Σ incoming links (mid and out nodes). */
  inflow: number;
  /** Σ outgoing links (in and mid nodes). */
  outflow: number;
  /** max(inflow, outflow): the node's drawn size. */
  value: number;
  /** `other`, all customers or missing: not a data value, so not selectable. */
  synthetic: boolean;
}

export interface FlowLink {
  source: string;
  target: string;
  value: number;
}

export interface SankeyModel {
  nodes: FlowNode[];
  links: FlowLink[];
  /** Σ of the inflow-category nodes (all money coming in). */
  totalIn: number;
  /** Σ of the outflow-category nodes. */
  totalOut: number;
  /** Dimensions: left and right category fields, the middle customer field (null = one node). */
  left: string;
  middle: string | null;
  right: string;
}

function sideOfId(id: string): FlowSide | null {
  if (id.startsWith('in:')) return 'in';
  if (id.startsWith('mid:')) return 'mid';
  if (id.startsWith('out:')) return 'out';
  return null;
}

function keyOfId(id: string): string {
  const s = sideOfId(id);
  return s ? id.slice(s.length + 1) : id;
}

/** Localised label of a synthetic key, or null for a data value. */
export function syntheticLabel(key: string, locale: Locale): string | null {
  if (key === OTHER_KEY) return m(locale, 'other');
  if (key === ALL_KEY) return m(locale, 'allCustomers');
  if (key === MISSING_KEY) return m(locale, 'unknown');
  return null;
}

/**
 * The sankey result as nodes and links. Links with a non-positive or non-finite value are left
 * out; duplicate links are summed. Nodes come from `meta.nodes` when present (their order kept:
 * largest first, `other` last) or from the link ids (`in:` / `mid:` / `out:` prefixes; without
 * prefixes, a node never targeted is an inflow, one never a source an outflow).
 */
export function sankeyModel(r: MetricResult, locale: Locale): SankeyModel {
  const pairs = new Map<string, FlowLink>();
  for (const row of r.data as Array<Record<string, unknown>>) {
    const v = num(row?.['value']);
    const s = str(row?.['source']);
    const t = str(row?.['target']);
    if (v === null || !(v > 0) || !s || !t || s === t) continue;
    const k = `${s}\u0000${t}`;
    const l = pairs.get(k);
    if (l) l.value += v;
    else pairs.set(k, { source: s, target: t, value: v });
  }
  const links = [...pairs.values()];
  const sources = new Set(links.map((l) => l.source));
  const targets = new Set(links.map((l) => l.target));
  const ids = new Set([...sources, ...targets]);
  const metaNodes = Array.isArray(r.meta?.['nodes'])
    ? (r.meta['nodes'] as Array<Record<string, unknown>>)
    : [];
  const metaById = new Map<
    string,
    { label: string; synthetic: boolean; order: number; side: FlowSide | null }
  >();
  metaNodes.forEach((n, i) => {
    const id = str(n?.['id']);
    if (!id) return;
    const side = n['side'] === 'in' || n['side'] === 'mid' || n['side'] === 'out' ? n['side'] : null;
    metaById.set(id, {
      label: str(n['label']) || keyOfId(id),
      synthetic: n['synthetic'] === true,
      order: i,
      side,
    });
  });
  const inflow = new Map<string, number>();
  const outflow = new Map<string, number>();
  for (const l of links) {
    outflow.set(l.source, (outflow.get(l.source) ?? 0) + l.value);
    inflow.set(l.target, (inflow.get(l.target) ?? 0) + l.value);
  }
  const nodes: Array<FlowNode & { order: number }> = [];
  for (const id of ids) {
    const meta = metaById.get(id);
    const side: FlowSide =
      meta?.side ?? sideOfId(id) ?? (!targets.has(id) ? 'in' : !sources.has(id) ? 'out' : 'mid');
    const key = keyOfId(id);
    const syn = syntheticLabel(key, locale);
    const fin = inflow.get(id) ?? 0;
    const fout = outflow.get(id) ?? 0;
    nodes.push({
      id,
      side,
      key,
      label: syn ?? meta?.label ?? key,
      inflow: fin,
      outflow: fout,
      value: Math.max(fin, fout),
      synthetic: syn !== null || meta?.synthetic === true,
      order: meta ? meta.order : Number.MAX_SAFE_INTEGER,
    });
  }
  nodes.sort(
    (a, b) =>
      SIDES.indexOf(a.side) - SIDES.indexOf(b.side) ||
      Number(a.synthetic) - Number(b.synthetic) ||
      a.order - b.order ||
      b.value - a.value ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  const o = r.basis?.options ?? {};
  const totalIn = nodes.filter((n) => n.side === 'in').reduce((a, n) => a + n.outflow, 0);
  const totalOut = nodes.filter((n) => n.side === 'out').reduce((a, n) => a + n.inflow, 0);
  return {
    nodes: nodes.map(({ order: _o, ...n }) => n),
    links,
    totalIn,
    totalOut,
    left: typeof o['left'] === 'string' ? o['left'] : 'category',
    middle: o['middle'] === null ? null : typeof o['middle'] === 'string' ? o['middle'] : 'segment',
    right: typeof o['right'] === 'string' ? o['right'] : 'category',
  };
}

/** The filter clause selecting a node, or null for synthetic (`other`, all, missing) nodes. */
export function nodeClause(model: SankeyModel, node: FlowNode): FilterClause | null {
  if (node.synthetic) return null;
  if (node.side === 'mid') {
    if (!model.middle) return null;
    return { field: model.middle, op: 'eq', value: node.key };
  }
  return { field: node.side === 'in' ? model.left : model.right, op: 'eq', value: node.key };
}

/** Headers of the usual customer dimensions (others show the field name). */
const MIDDLE_LABEL: Record<string, string> = {
  segment: 'columnSegment',
  region: 'columnRegion',
  city: 'columnCity',
  gender: 'columnGender',
  channel: 'columnChannel',
};

/** Header of a column. */
export function columnLabel(side: FlowSide, model: SankeyModel, locale: Locale): string {
  if (side === 'in') return m(locale, 'columnIn');
  if (side === 'out') return m(locale, 'columnOut');
  if (model.middle === null) return m(locale, 'columnCustomers');
  const key = Object.prototype.hasOwnProperty.call(MIDDLE_LABEL, model.middle)
    ? MIDDLE_LABEL[model.middle]
    : undefined;
  return key ? m(locale, key) : model.middle;
}

// ---------------------------------------------------------------------------------------------
// Sankey layout

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

// ---------------------------------------------------------------------------------------------
// Trend model

export type PeriodUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';
const UNITS: readonly PeriodUnit[] = ['day', 'week', 'month', 'quarter', 'year'];

export interface TrendPoint {
  period: string;
  /** Localised period label (2023年6月 / Jun 2023). */
  label: string;
  /** Group value (with `by`), null otherwise or for the missing group. */
  group: string | null;
  inflow: number | null;
  outflow: number | null;
  net: number | null;
  cum: number | null;
  count: number | null;
}

export interface TrendModel {
  unit: PeriodUnit;
  periods: string[];
  labels: string[];
  /** Breakdown field, or null. */
  by: string | null;
  /** Group values in the metric's order (largest volume first); empty without `by`. */
  groups: Array<string | null>;
  /** One point per period and group (grouped) or per period. */
  points: TrendPoint[];
  /** One point per period: all groups summed, cumulative recomputed. */
  totals: TrendPoint[];
  /** The date field periods come from (for the selection clause). */
  dateField: string;
}

/** The unit of period labels (the basis option, else read off the first label). */
export function unitOf(r: MetricResult): PeriodUnit {
  const u = r.basis?.options?.['unit'];
  if (typeof u === 'string' && (UNITS as readonly string[]).includes(u)) return u as PeriodUnit;
  const p = str((r.data[0] as Record<string, unknown> | undefined)?.['period']);
  if (/^\d{4}-\d{2}-\d{2}$/.test(p)) return 'day';
  if (/^\d{4}-Q[1-4]$/.test(p)) return 'quarter';
  if (/^\d{4}$/.test(p)) return 'year';
  return 'month';
}

/** Localised period label: 2023年6月 / Jun 2023, days, weeks (their Monday), quarters, years. */
export function periodText(p: string, unit: PeriodUnit, locale: Locale): string {
  if (unit === 'month' && /^\d{4}-\d{2}$/.test(p)) return formatMonth(p, locale);
  if ((unit === 'day' || unit === 'week') && /^\d{4}-\d{2}-\d{2}$/.test(p)) {
    const d = formatDay(p, locale);
    return unit === 'week' ? m(locale, 'weekOf', { d }) : d;
  }
  const q = /^(\d{4})-Q([1-4])$/.exec(p);
  if (q) return locale === 'zh-CN' ? `${q[1]}年第${q[2]}季度` : `Q${q[2]} ${q[1]}`;
  if (unit === 'year' && /^\d{4}$/.test(p)) return locale === 'zh-CN' ? `${p}年` : p;
  return p;
}

/** Group display label (the missing group localised). */
export function groupText(g: string | null, locale: Locale): string {
  return g === null ? m(locale, 'missingGroup') : g;
}

/** The `fund_flow` result per period (and group), with totals per period. */
export function trendModel(r: MetricResult, locale: Locale): TrendModel {
  const unit = unitOf(r);
  const rows = r.data as Array<Record<string, unknown>>;
  const grouped = rows.some((x) => x && typeof x === 'object' && 'group' in x);
  const periods: string[] = [];
  const seenP = new Set<string>();
  const groups: Array<string | null> = [];
  const seenG = new Set<string>();
  const metaGroups = Array.isArray(r.meta?.['groups']) ? (r.meta['groups'] as unknown[]) : [];
  for (const g of metaGroups) {
    const k = g === null ? '\u0000' : String(g);
    if (!seenG.has(k)) {
      seenG.add(k);
      groups.push(g === null ? null : String(g));
    }
  }
  for (const x of rows) {
    const p = str(x?.['period']);
    if (p && !seenP.has(p)) {
      seenP.add(p);
      periods.push(p);
    }
    if (grouped) {
      const g = x?.['group'] === null || x?.['group'] === undefined ? null : String(x['group']);
      const k = g === null ? '\u0000' : g;
      if (!seenG.has(k)) {
        seenG.add(k);
        groups.push(g);
      }
    }
  }
  // Calendar order (labels sort as text within a unit).
  periods.sort();
  const labels = periods.map((p) => periodText(p, unit, locale));
  const labelOf = new Map(periods.map((p, i) => [p, labels[i]!]));
  const points: TrendPoint[] = rows
    .filter((x) => x && typeof x === 'object' && seenP.has(str(x['period'])))
    .map((x) => ({
      period: str(x['period']),
      label: labelOf.get(str(x['period'])) ?? str(x['period']),
      group: grouped ? (x['group'] === null || x['group'] === undefined ? null : String(x['group'])) : null,
      inflow: num(x['inflow']),
      outflow: num(x['outflow']),
      net:
        num(x['net']) ??
        (num(x['inflow']) !== null && num(x['outflow']) !== null
          ? num(x['inflow'])! - num(x['outflow'])!
          : null),
      cum: num(x['cumulativeNet']),
      count: num(x['count']),
    }));
  const pIndex = new Map(periods.map((p, i) => [p, i]));
  const gIndex = (g: string | null): number => groups.indexOf(g);
  points.sort((a, b) => pIndex.get(a.period)! - pIndex.get(b.period)! || gIndex(a.group) - gIndex(b.group));
  let totals: TrendPoint[];
  if (!grouped) {
    // Fill a missing cumulative from the nets.
    let c = 0;
    totals = points.map((p) => {
      c += p.net ?? 0;
      return { ...p, cum: p.cum ?? c };
    });
  } else {
    let c = 0;
    totals = periods.map((p, i) => {
      const ps = points.filter((x) => x.period === p);
      const sum = (k: 'inflow' | 'outflow' | 'net' | 'count'): number | null =>
        ps.some((x) => x[k] !== null) ? ps.reduce((a, x) => a + (x[k] ?? 0), 0) : null;
      const net = sum('net');
      c += net ?? 0;
      return {
        period: p,
        label: labels[i]!,
        group: null,
        inflow: sum('inflow'),
        outflow: sum('outflow'),
        net,
        cum: c,
        count: sum('count'),
      };
    });
  }
  const o = r.basis?.options ?? {};
  return {
    unit,
    periods,
    labels,
    by: grouped ? (typeof o['by'] === 'string' ? o['by'] : null) : null,
    groups: grouped ? groups : [],
    points: grouped ? points : totals,
    totals,
    dateField: typeof o['dateField'] === 'string' && o['dateField'] ? o['dateField'] : 'txn_time',
  };
}

function addDays(ymd: string, days: number): string {
  const [y, mo, d] = ymd.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d + days));
  return t.toISOString().slice(0, 10);
}

/**
 * The filter clause selecting one period of the trend: a month as `<date>.month` eq `YYYY-MM`, a
 * day as eq, weeks, quarters and years as inclusive date ranges.
 */
export function periodClause(period: string, unit: PeriodUnit, dateField: string): FilterClause {
  if (unit === 'month') return { field: `${dateField}.month`, op: 'eq', value: period };
  if (unit === 'day') return { field: dateField, op: 'eq', value: period };
  if (unit === 'week') return { field: dateField, op: 'range', value: [period, addDays(period, 6)] };
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) {
    const first = (Number(q[2]) - 1) * 3 + 1;
    const mm = (k: number): string => `${q[1]}-${String(k).padStart(2, '0')}`;
    return { field: dateField, op: 'range', value: [mm(first), mm(first + 2)] };
  }
  return { field: dateField, op: 'range', value: [`${period}-01`, `${period}-12`] };
}

// ---------------------------------------------------------------------------------------------
// Trend spec

export interface TrendColors {
  fg: string;
  muted: string;
  border: string;
  bg: string;
  accent: string;
  /** Net inflow bars. */
  positive: string;
  /** Net outflow bars. */
  negative: string;
}

export interface TrendSpecOptions {
  locale: Locale;
  /** Total width in px (axes included). */
  width: number;
  /** Plot height in px. */
  height?: number;
  colors: TrendColors;
  /** Group colours (with `by`). */
  palette: readonly string[];
  /** Draw inflow and outflow as thin lines (left axis). */
  showFlows?: boolean;
  /** Selected period (highlighted). */
  selected?: string | null;
  description?: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Axis tick values: every k-th label so that labels do not collide at this plot width. */
export function periodTicks(labels: string[], plotWidth: number, fontSize = 11): string[] {
  if (!labels.length) return [];
  const need = Math.max(...labels.map((l) => textWidth(l, fontSize))) + 10;
  const slot = plotWidth / labels.length;
  for (const k of [1, 2, 3, 4, 6, 12, 24, 52]) {
    if (need <= slot * k) return labels.filter((_, i) => i % k === 0);
  }
  return labels.length > 1 ? [labels[0]!, labels[labels.length - 1]!] : labels;
}

/**
 * Domains of two axes with their zeros at the same height (so the cumulative line's zero is the
 * bars' baseline), each including 0 and padded by `pad` of its span.
 */
export function alignZero(
  a: [number, number],
  b: [number, number],
  pad = 0.06,
): { a: [number, number]; b: [number, number] } {
  const norm = ([lo, hi]: [number, number]): [number, number] => {
    let l = Math.min(0, Number.isFinite(lo) ? lo : 0);
    let h = Math.max(0, Number.isFinite(hi) ? hi : 0);
    if (l === 0 && h === 0) h = 1;
    const span = h - l;
    if (l < 0) l -= span * pad;
    if (h > 0) h += span * pad;
    return [l, h];
  };
  const A = norm(a);
  const B = norm(b);
  // Fraction of the span above zero.
  const fa = A[1] / (A[1] - A[0]);
  const fb = B[1] / (B[1] - B[0]);
  const fit = (d: [number, number], f: number): [number, number] | null => {
    const [l, h] = d;
    const cur = h / (h - l);
    if (Math.abs(cur - f) < 1e-12) return [l, h];
    if (cur < f) {
      // Needs more room above zero.
      if (f >= 1) return l < 0 ? null : [l, h];
      return [l, (f * -l) / (1 - f)];
    }
    if (f <= 0) return h > 0 ? null : [l, h];
    return [(-h * (1 - f)) / f, h];
  };
  const cost = (d: [number, number] | null, orig: [number, number]): number =>
    d ? (d[1] - d[0]) / (orig[1] - orig[0]) : Infinity;
  const opt1 = { a: A, b: fit(B, fa) };
  const opt2 = { a: fit(A, fb), b: B };
  const c1 = cost(opt1.b, B);
  const c2 = cost(opt2.a, A);
  if (c1 <= c2 && opt1.b) return { a: A, b: opt1.b };
  if (opt2.a) return { a: opt2.a, b: B };
  return { a: A, b: B };
}

/** Gap between bars as a share of the step; hover bands widen by its inverse to cover the gaps. */
const PAD_INNER = 0.28;
const FULL_STEP = { band: Math.round((1 / (1 - PAD_INNER)) * 1e4) / 1e4 };

/** Approximate width of the y labels for values up to |max|. */
function yLabelWidth(max: number, locale: Locale): number {
  return textWidth(signedCompact(-Math.abs(max), locale), 11) + 4;
}

function yAxis(title: string, labelWidth: number, orient: 'left' | 'right', locale: Locale): Spec {
  return {
    orient,
    title,
    titleAngle: 0,
    titleAlign: orient === 'left' ? 'left' : 'right',
    titleBaseline: 'bottom',
    titleAnchor: 'end',
    titleX: orient === 'left' ? -(labelWidth + 8) : labelWidth + 8,
    titleY: -8,
    titleFontWeight: 'normal',
    tickCount: 5,
    grid: orient === 'left',
    gridOpacity: 0.6,
    labelPadding: 4,
    labelExpr: compactLabelExpr(locale),
  };
}

/**
 * The net-flow trend: a bar per period of net flow (inflow − outflow), above zero in the positive
 * colour and below in the negative one (with `by`: stacked per group in group colours, positive
 * and negative parts stacked apart); the cumulative net as a line on the right axis, its zero
 * aligned with the bars' baseline; optionally inflow and outflow as thin lines on the left axis.
 * A transparent full-height band per period carries the tooltip and the click (select a period).
 */
export function trendSpec(model: TrendModel, o: TrendSpecOptions): Spec {
  const L = o.locale;
  const height = Math.max(100, o.height ?? 240);
  const grouped = model.groups.length > 0;
  const sel = o.selected ?? null;
  const dim = (p: string): number => (sel !== null && sel !== p ? 0.4 : 1);

  // Left-axis extent: bars (stacked parts with groups) and the optional flow lines.
  let lo = 0;
  let hi = 0;
  for (const p of model.periods) {
    const ps = model.points.filter((x) => x.period === p);
    let pos = 0;
    let neg = 0;
    for (const x of ps) {
      if (x.net === null) continue;
      if (x.net >= 0) pos += x.net;
      else neg += x.net;
    }
    lo = Math.min(lo, neg);
    hi = Math.max(hi, pos);
  }
  if (o.showFlows) {
    for (const t of model.totals) hi = Math.max(hi, t.inflow ?? 0, t.outflow ?? 0);
  }
  let clo = 0;
  let chi = 0;
  for (const t of model.totals) {
    if (t.cum === null) continue;
    clo = Math.min(clo, t.cum);
    chi = Math.max(chi, t.cum);
  }
  const dom = alignZero([lo, hi], [clo, chi]);
  const lw = yLabelWidth(Math.max(Math.abs(dom.a[0]), Math.abs(dom.a[1])), L);
  const rw = yLabelWidth(Math.max(Math.abs(dom.b[0]), Math.abs(dom.b[1])), L);
  const plotWidth = Math.max(60, o.width - lw - rw - 28);
  const ticks = periodTicks(model.labels, plotWidth);

  const x = {
    field: 'label',
    type: 'ordinal',
    scale: { type: 'band', domain: model.labels, paddingInner: PAD_INNER, paddingOuter: 0.14 },
    axis: {
      title: null,
      labelAngle: 0,
      values: ticks,
      labelOverlap: false,
      labelPadding: 4,
      ticks: true,
      domain: false,
      grid: false,
    },
  };
  const yLeft = {
    type: 'quantitative',
    scale: { domain: dom.a, nice: false, zero: true },
    axis: yAxis(m(L, 'axisNet'), lw, 'left', L),
  };

  const barValues = model.points.map((p) => ({
    period: p.period,
    label: p.label,
    y: p.net,
    sign: (p.net ?? 0) >= 0 ? 'pos' : 'neg',
    group: grouped ? groupText(p.group, L) : null,
    gi: grouped ? model.groups.indexOf(p.group) : 0,
    op: dim(p.period),
  }));
  const groupLabels = model.groups.map((g) => groupText(g, L));
  const bars: Spec = {
    name: 'bars',
    data: { values: barValues },
    mark: { type: 'bar', cornerRadius: 1.5 },
    encoding: {
      x,
      y: { field: 'y', ...yLeft, stack: grouped ? 'zero' : null },
      color: grouped
        ? {
            field: 'group',
            type: 'nominal',
            scale: { domain: groupLabels, range: groupLabels.map((_, i) => o.palette[i % o.palette.length]) },
            legend: null,
          }
        : {
            field: 'sign',
            type: 'nominal',
            scale: { domain: ['pos', 'neg'], range: [o.colors.positive, o.colors.negative] },
            legend: null,
          },
      opacity: { field: 'op', type: 'quantitative', scale: null, legend: null },
      ...(grouped ? { order: { field: 'gi', type: 'quantitative', sort: 'ascending' } } : {}),
    },
  };
  const zero: Spec = {
    data: { values: [{ zero: 0 }] },
    mark: { type: 'rule', color: o.colors.muted, strokeWidth: 1 },
    encoding: { y: { field: 'zero', ...yLeft } },
  };
  const leftLayers: Spec[] = [bars, zero];
  if (o.showFlows) {
    const flowValues = model.totals.flatMap((t) => [
      { label: t.label, period: t.period, series: 'inflow', y: t.inflow },
      { label: t.label, period: t.period, series: 'outflow', y: t.outflow },
    ]);
    leftLayers.push({
      name: 'flows',
      data: { values: flowValues },
      mark: { type: 'line', strokeWidth: 1.25 },
      encoding: {
        x: { ...x, bandPosition: 0.5 },
        y: { field: 'y', ...yLeft },
        detail: { field: 'series', type: 'nominal' },
        color: {
          field: 'series',
          type: 'nominal',
          scale: { domain: ['inflow', 'outflow'], range: [o.colors.positive, o.colors.negative] },
          legend: null,
        },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          scale: {
            domain: ['inflow', 'outflow'],
            range: [
              [1, 0],
              [4, 3],
            ],
          },
          legend: null,
        },
      },
    });
  }
  const cumValues = model.totals.map((t) => ({ period: t.period, label: t.label, cum: t.cum }));
  const cum: Spec = {
    name: 'cumulative',
    data: { values: cumValues },
    mark: {
      type: 'line',
      color: o.colors.accent,
      strokeWidth: 2,
      point: { filled: true, size: 28, color: o.colors.accent, stroke: o.colors.bg, strokeWidth: 1 },
    },
    encoding: {
      x: { ...x, bandPosition: 0.5 },
      y: {
        field: 'cum',
        type: 'quantitative',
        scale: { domain: dom.b, nice: false, zero: true },
        axis: yAxis(m(L, 'axisCum'), rw, 'right', L),
      },
    },
  };
  const layers: Spec[] = [];
  if (sel !== null && model.periods.includes(sel)) {
    const i = model.periods.indexOf(sel);
    layers.push({
      data: { values: [{ label: model.labels[i], period: sel }] },
      mark: { type: 'rect', fill: o.colors.accent, opacity: 0.12, width: FULL_STEP },
      encoding: { x },
    });
  }
  layers.push({ layer: leftLayers }, cum, {
    name: 'periods',
    data: {
      values: model.periods.map((period, i) => ({ period, label: model.labels[i], role: 'period' })),
    },
    // A full step wide (gaps included), so the pointer never falls between two periods.
    mark: {
      type: 'rect',
      fill: 'transparent',
      cursor: 'pointer',
      tooltip: { content: 'data' },
      width: FULL_STEP,
    },
    encoding: { x },
  });
  return {
    $schema: SCHEMA,
    ...(o.description ? { description: o.description } : {}),
    width: Math.max(120, Math.floor(o.width)),
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 2, right: 2, top: 22, bottom: 2 },
    layer: layers,
    resolve: { scale: { y: 'independent' } },
  };
}

// ---------------------------------------------------------------------------------------------
// Alerts

export type AlertRuleId =
  'cash' | 'individual_domestic' | 'individual_cross_border' | 'non_individual' | 'structuring';
export const RULE_IDS: readonly AlertRuleId[] = [
  'cash',
  'individual_domestic',
  'individual_cross_border',
  'non_individual',
  'structuring',
];
const RULE_KEY: Record<AlertRuleId, string> = {
  cash: 'ruleCash',
  individual_domestic: 'ruleIndividualDomestic',
  individual_cross_border: 'ruleIndividualCrossBorder',
  non_individual: 'ruleNonIndividual',
  structuring: 'ruleStructuring',
};

/** Localised rule name (short: 大额现金, 疑似拆分交易); unknown rules from `meta.rules` or as given. */
export function ruleText(rule: string, locale: Locale, metaRules?: unknown): string {
  if ((RULE_IDS as readonly string[]).includes(rule)) return m(locale, RULE_KEY[rule as AlertRuleId]);
  const mr = metaRules && typeof metaRules === 'object' ? (metaRules as Record<string, unknown>)[rule] : null;
  if (mr && typeof mr === 'object') {
    const t = (mr as Record<string, unknown>)[locale];
    if (typeof t === 'string') return t;
  }
  return rule;
}

export interface AlertView {
  /** Position in the result (stable key). */
  i: number;
  customer: string;
  /** Day of the alert (last day of a structuring episode). */
  date: string;
  /** First day of a structuring episode. */
  firstDate: string | null;
  rule: string;
  ruleLabel: string;
  direction: 'in' | 'out' | null;
  amount: number | null;
  count: number | null;
  threshold: number | null;
  single: boolean | null;
  txnIds: string[];
}

export interface AlertsModel {
  rows: AlertView[];
  /** All alerts found (the result may hold only the latest `limit`). */
  total: number;
  /** Alerts per rule, in rule order (rules with alerts only). */
  byRule: Array<{ rule: string; label: string; n: number }>;
}

/** The `txn_alerts` result as table rows. */
export function alertsModel(r: MetricResult, locale: Locale): AlertsModel {
  const metaRules = r.meta?.['rules'];
  const rows: AlertView[] = (r.data as Array<Record<string, unknown>>).map((x, i) => {
    const rule = str(x?.['rule']);
    const dir = x?.['direction'];
    return {
      i,
      customer: str(x?.['customer_id']),
      date: str(x?.['date']),
      firstDate: typeof x?.['firstDate'] === 'string' ? (x['firstDate'] as string) : null,
      rule,
      ruleLabel: ruleText(rule, locale, metaRules),
      direction: dir === 'in' || dir === 'out' ? dir : null,
      amount: num(x?.['amount']),
      count: num(x?.['count']),
      threshold: num(x?.['threshold']),
      single: typeof x?.['single'] === 'boolean' ? (x['single'] as boolean) : null,
      txnIds: Array.isArray(x?.['txnIds']) ? (x['txnIds'] as unknown[]).map(str) : [],
    };
  });
  const counts = new Map<string, number>();
  for (const a of rows) counts.set(a.rule, (counts.get(a.rule) ?? 0) + 1);
  const order = (rule: string): number => {
    const k = (RULE_IDS as readonly string[]).indexOf(rule);
    return k < 0 ? RULE_IDS.length : k;
  };
  const byRule = [...counts.entries()]
    .sort((a, b) => order(a[0]) - order(b[0]) || (a[0] < b[0] ? -1 : 1))
    .map(([rule, n]) => ({ rule, label: ruleText(rule, locale, metaRules), n }));
  const total = num(r.meta?.['total']);
  return { rows, total: total !== null && total >= rows.length ? total : rows.length, byRule };
}

export type AlertSortKey = 'date' | 'customer' | 'rule' | 'amount' | 'count';
export const ALERT_SORT_KEYS: readonly AlertSortKey[] = ['date', 'customer', 'rule', 'amount', 'count'];

/** Rows sorted by a column (nulls last either way), ties by date (latest first), customer, position. */
export function sortAlerts(rows: readonly AlertView[], key: AlertSortKey, dir: 'asc' | 'desc'): AlertView[] {
  const sign = dir === 'asc' ? 1 : -1;
  const ruleOrder = (r: string): number => {
    const k = (RULE_IDS as readonly string[]).indexOf(r);
    return k < 0 ? RULE_IDS.length : k;
  };
  const cmpText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const val = (a: AlertView): number | string | null =>
    key === 'date'
      ? a.date
      : key === 'customer'
        ? a.customer
        : key === 'rule'
          ? ruleOrder(a.rule)
          : key === 'amount'
            ? a.amount
            : a.count;
  return [...rows].sort((a, b) => {
    const va = val(a);
    const vb = val(b);
    if (va === null && vb !== null) return 1;
    if (vb === null && va !== null) return -1;
    let c = 0;
    if (va !== null && vb !== null)
      c = typeof va === 'number' ? va - (vb as number) : cmpText(va, vb as string);
    return c * sign || cmpText(b.date, a.date) || cmpText(a.customer, b.customer) || a.i - b.i;
  });
}

/** The rule thresholds of a `txn_alerts` basis, as one localised line (null when absent). */
export function thresholdsText(options: Record<string, unknown> | undefined, locale: Locale): string | null {
  const th = options?.['thresholds'];
  if (!th || typeof th !== 'object') return null;
  const t = th as Record<string, unknown>;
  const items: string[] = [];
  const pairs: Array<[AlertRuleId, string]> = [
    ['cash', 'cash'],
    ['individual_domestic', 'individualDomestic'],
    ['individual_cross_border', 'individualCrossBorder'],
    ['non_individual', 'nonIndividual'],
  ];
  for (const [rule, k] of pairs) {
    const v = num(t[k]);
    if (v !== null)
      items.push(
        m(locale, 'thresholdItem', {
          rule: ruleText(rule, locale),
          v: formatValue(v, 'currency', locale, 0),
        }),
      );
  }
  const st = options?.['structuring'];
  if (st && typeof st === 'object') {
    const s = st as Record<string, unknown>;
    const lo = num(s['lower']);
    const hi = num(s['upper']);
    const n = num(s['minCount']);
    const days = num(s['windowDays']);
    if (lo !== null && hi !== null && n !== null && days !== null)
      items.push(
        m(locale, 'structuringItem', {
          rule: ruleText('structuring', locale),
          days,
          n,
          lo: formatValue(lo, 'percent', locale, 0),
          hi: formatValue(hi, 'percent', locale, 0),
        }),
      );
  }
  if (!items.length) return null;
  return m(locale, 'thresholdsNote', { list: items.join(locale === 'zh-CN' ? '；' : '; ') });
}
