/**
 * Sankey view model: the `sankey` metric result as three columns of nodes (inflow categories →
 * customer dimension → outflow categories) and links, plus node filter clauses and column headers.
 */
import type { FilterClause, MetricResult } from '../../engine/types.js';
import type { Locale } from '../../format/number.js';
import { m, num, str } from './shared.js';

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
