/**
 * The sankey display of `<fin-fund-flow>`: d3-sankey (loaded lazily, shared by every instance)
 * drawn into SVG with focusable node buttons, hover / focus highlighting of related marks, a text
 * tooltip and arrow-key navigation between nodes.
 */
import { html, nothing, svg } from 'lit';
import type { SVGTemplateResult, TemplateResult } from 'lit';
import { CATEGORICAL } from '../../src/theme/tokens.js';
import {
  columnLabel,
  money,
  nodeClause,
  related,
  sankeyLayout,
  share,
  signedMoney,
} from '../../src/specs/fund-flow.js';
import type {
  FlowNode,
  NodeGeom,
  SankeyGeometry,
  SankeyModel,
  SankeyModule,
} from '../../src/specs/fund-flow.js';
import { safeStyle } from '../base/safe-style.js';
import { FundFlowView } from './view.js';
import type { FundFlowHost, ViewContext } from './view.js';

let sankeyModule: SankeyModule | null = null;
let sankeyLoad: Promise<SankeyModule> | null = null;

/** Load d3-sankey on first use of the sankey display only (shared by every instance). */
export function loadSankey(): Promise<SankeyModule> {
  if (!sankeyLoad) {
    sankeyLoad = import('d3-sankey').then((mod) => {
      sankeyModule = { sankey: mod.sankey, sankeyLinkHorizontal: mod.sankeyLinkHorizontal };
      return sankeyModule;
    });
    sankeyLoad.catch(() => {
      sankeyLoad = null;
    });
  }
  return sankeyLoad;
}

/** Whether d3-sankey has loaded. */
export function sankeyLoaded(): boolean {
  return sankeyModule !== null;
}

interface Tip {
  x: number;
  y: number;
  text: string;
}

/** Hovered or focused sankey mark. */
interface Focus {
  node?: string;
  link?: number;
}

/** What the sankey reads from its element besides the common context. */
export interface SankeyContext extends ViewContext {
  /** Plot height set by the host (0: automatic). */
  chartHeight(): number;
  /** The selected node id, when the element selected it. */
  selected(): string | null;
  /** Select a node (or clear, when it is the selected one). */
  select(id: string): void;
}

export class SankeyView extends FundFlowView {
  private hot: Focus | null = null;
  private tip: Tip | null = null;
  private geoMemo: { key: unknown[]; geo: SankeyGeometry } | null = null;

  constructor(
    host: FundFlowHost,
    protected override readonly ctx: SankeyContext,
  ) {
    super(host, ctx);
  }

  private setHot(v: Focus | null): void {
    if (v === this.hot) return;
    this.hot = v;
    this.host.requestUpdate();
  }

  private setTip(v: Tip | null): void {
    if (v === this.tip) return;
    this.tip = v;
    this.host.requestUpdate();
  }

  /** Forget the hovered mark and the tooltip (new result, display change, disconnect). */
  reset(): void {
    this.clearFocus();
  }

  // The tooltip keeps its line breaks (white-space: pre-line), so no whitespace around the text.
  // It is visual only (aria-hidden): each node's aria-label carries the same numbers.
  // prettier-ignore
  private renderTip(tip: Tip): TemplateResult {
    return html`<div part="tooltip" aria-hidden="true" style=${safeStyle({ left: `${Math.round(tip.x)}px`, top: `${Math.round(tip.y)}px` })}>${tip.text}</div>`;
  }

  private sankeyHeight(model: SankeyModel, width: number): number {
    const ch = this.ctx.chartHeight();
    if (ch > 0) return Math.max(120, ch);
    const per = Math.max(
      1,
      ...(['in', 'mid', 'out'] as const).map((s) => model.nodes.filter((n) => n.side === s).length),
    );
    const each = width < 440 ? 40 : 32;
    return Math.max(240, Math.min(560, per * each + 48));
  }

  private geometry(mod: SankeyModule, model: SankeyModel, width: number, height: number): SankeyGeometry {
    const c = this.colors();
    const key = [model, width, height, this.lang_, c.muted];
    if (this.geoMemo && this.geoMemo.key.every((k, i) => k === key[i])) return this.geoMemo.geo;
    const geo = sankeyLayout(mod, model, {
      width,
      height,
      locale: this.lang_,
      palette: CATEGORICAL.slice(0, 9),
      otherColor: CATEGORICAL[9]!,
      outColor: c.muted,
    });
    this.geoMemo = { key, geo };
    return geo;
  }

  /** The sankey of a model (a placeholder until d3-sankey has loaded). */
  render(model: SankeyModel): TemplateResult {
    const mod = sankeyModule;
    // Until d3-sankey has loaded (willUpdate started it): a placeholder of the chart's box.
    if (!mod)
      return html`<div class="wrap">
        <div class="pending" role="status">${this.m('loadingLayout')}</div>
      </div>`;
    const width = Math.max(120, Math.floor(this.width()));
    const height = this.sankeyHeight(model, width);
    const geo = this.geometry(mod, model, width, height);
    const c = this.colors();
    const sel = this.ctx.selected();
    const rel = related(geo, this.hot ?? (sel !== null ? { node: sel } : null));
    const label = this.m('sankeyLabel', {
      in: columnLabel('in', model, this.lang_),
      mid: columnLabel('mid', model, this.lang_),
      out: columnLabel('out', model, this.lang_),
    });
    const fs = 12;
    return html`<div class="wrap" @pointerleave=${this.clearFocus}>
      <svg
        part="sankey"
        role="group"
        aria-label=${label}
        width=${geo.width}
        height=${geo.height}
        viewBox="0 0 ${geo.width} ${geo.height}"
        font-family=${this.ctx.token('--_font-family', 'sans-serif')}
      >
        <g aria-hidden="true">
          ${geo.columns.map(
            (col) =>
              svg`<text part="column-label" class="colhead" x=${col.x} y=${12} text-anchor=${col.anchor} font-size="12" fill=${c.muted}>${col.label}</text>`,
          )}
        </g>
        <g class="links" aria-hidden="true">
          ${geo.links.map((l) => {
            const cls = rel ? (rel.links.has(l.index) ? 'hl' : 'dim') : '';
            return svg`<path part="link" class=${cls} d=${l.path} stroke=${l.color} stroke-width=${l.width} fill="none"
              stroke-opacity="0.38" data-source=${l.source} data-target=${l.target}
              @pointerenter=${(e: PointerEvent) => this.hoverLink(e, l.index, model)}
              @pointermove=${(e: PointerEvent) => this.hoverLink(e, l.index, model)}></path>`;
          })}
        </g>
        <g class="nodes">${geo.nodes.map((n) => this.renderNode(n, model, rel))}</g>
        <g class="labels" aria-hidden="true">${geo.nodes.map((n) => this.renderLabel(n, geo, rel, c, fs))}</g>
      </svg>
      ${this.tip ? this.renderTip(this.tip) : nothing}
    </div>`;
  }

  private renderNode(
    n: NodeGeom,
    model: SankeyModel,
    rel: { nodes: Set<string>; links: Set<number> } | null,
  ): SVGTemplateResult {
    const selectable = nodeClause(model, n) !== null;
    const selected = this.ctx.selected() === n.id;
    const cls = [
      'node',
      n.side,
      n.synthetic ? 'synthetic' : '',
      selected ? 'selected' : '',
      rel && !rel.nodes.has(n.id) ? 'dim' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const h = Math.max(2, n.y1 - n.y0);
    const y = n.y1 - n.y0 < 2 ? (n.y0 + n.y1) / 2 - 1 : n.y0;
    // A hit area a little larger than the bar, so thin nodes can be pointed at.
    const hy = Math.min(y - 3, (n.y0 + n.y1) / 2 - 6);
    const hh = Math.max(h + 6, 12);
    return svg`<g
      part="node"
      class=${cls}
      role="button"
      tabindex="0"
      aria-label=${this.nodeAria(n, model, selectable)}
      aria-pressed=${selectable ? (selected ? 'true' : 'false') : nothing}
      aria-disabled=${selectable ? nothing : 'true'}
      data-id=${n.id}
      data-side=${n.side}
      @click=${() => this.ctx.select(n.id)}
      @keydown=${(e: KeyboardEvent) => this.onNodeKey(e, n.id)}
      @focus=${() => this.focusNode(n, model)}
      @blur=${this.clearFocus}
      @pointerenter=${(e: PointerEvent) => this.hoverNode(e, n, model)}
      @pointermove=${(e: PointerEvent) => this.hoverNode(e, n, model)}
    >
      <rect class="hit" x=${n.x0 - 3} y=${hy} width=${n.x1 - n.x0 + 6} height=${hh} rx="3" fill="transparent"></rect>
      <rect class="bar" x=${n.x0} y=${y} width=${n.x1 - n.x0} height=${h} rx="1.5" fill=${n.color}></rect>
    </g>`;
  }

  private renderLabel(
    n: NodeGeom,
    geo: SankeyGeometry,
    rel: { nodes: Set<string>; links: Set<number> } | null,
    c: { fg: string; muted: string; bg: string },
    fs: number,
  ): SVGTemplateResult | typeof nothing {
    if (n.labelHidden || !n.name) return nothing;
    const dim = rel && !rel.nodes.has(n.id) ? ' dim' : '';
    const cy = n.twoLine ? n.labelY + geo.lineHeight / 2 - 1 : n.labelY;
    const edge = n.anchor === 'end' ? n.x0 - 1 : n.x1 + 1;
    const leader = n.leader
      ? svg`<line class="leader" x1=${n.anchor === 'end' ? n.labelX + 2 : n.labelX - 2} y1=${cy} x2=${edge} y2=${Math.min(n.y1, Math.max(n.y0, cy))} stroke=${c.muted}></line>`
      : nothing;
    const second = n.twoLine ? n.amount || n.detail : '';
    return svg`${leader}<text part="node-label" class=${`lbl${dim}`} x=${n.labelX} y=${n.labelY} dy="0.35em"
        text-anchor=${n.anchor} font-size=${fs} fill=${c.fg} stroke=${c.bg} stroke-width="3" stroke-linejoin="round" paint-order="stroke">${n.name}${!n.twoLine && n.amount ? svg`<tspan class="amt" fill=${c.muted}> ${n.amount}</tspan>` : nothing}</text>${
          second
            ? svg`<text class=${`lbl detail${dim}`} x=${n.labelX} y=${n.labelY + geo.lineHeight} dy="0.35em" text-anchor=${n.anchor} font-size=${fs - 1} fill=${c.muted} stroke=${c.bg} stroke-width="3" stroke-linejoin="round" paint-order="stroke">${second}</text>`
            : nothing
        }`;
  }

  private nodeAria(n: FlowNode, model: SankeyModel, selectable: boolean): string {
    const L = this.lang_;
    let s: string;
    if (n.side === 'in')
      s = this.m('nodeIn', {
        name: n.label,
        v: money(n.outflow, L),
        share: share(n.outflow, model.totalIn, L),
      });
    else if (n.side === 'out')
      s = this.m('nodeOut', {
        name: n.label,
        v: money(n.inflow, L),
        share: share(n.inflow, model.totalOut, L),
      });
    else
      s = this.m('nodeMid', {
        name: n.label,
        in: money(n.inflow, L),
        out: money(n.outflow, L),
        net: signedMoney(n.inflow - n.outflow, L),
      });
    return selectable ? s : s + this.m('nodeNotSelectable');
  }

  private nodeTip(n: FlowNode, model: SankeyModel): string {
    const L = this.lang_;
    const lines = [n.label];
    if (n.side === 'in') {
      lines.push(this.m('tipInflow', { v: money(n.outflow, L) }));
      lines.push(this.m('tipShareIn', { v: share(n.outflow, model.totalIn, L) }));
    } else if (n.side === 'out') {
      lines.push(this.m('tipOutflow', { v: money(n.inflow, L) }));
      lines.push(this.m('tipShareOut', { v: share(n.inflow, model.totalOut, L) }));
    } else {
      lines.push(this.m('tipInflow', { v: money(n.inflow, L) }));
      lines.push(this.m('tipOutflow', { v: money(n.outflow, L) }));
      lines.push(this.m('tipNet', { v: signedMoney(n.inflow - n.outflow, L) }));
    }
    lines.push(nodeClause(model, n) ? this.m('tipSelect') : this.m('tipGrouped'));
    return lines.join('\n');
  }

  private linkTip(index: number, model: SankeyModel): string {
    const geo = this.geoMemo?.geo;
    const l = geo?.links.find((x) => x.index === index);
    if (!l) return '';
    const L = this.lang_;
    const s = model.nodes.find((n) => n.id === l.source);
    const t = model.nodes.find((n) => n.id === l.target);
    const from = s?.label ?? l.source;
    const to = t?.label ?? l.target;
    const lines = [this.m('linkText', { from, to, v: money(l.value, L) })];
    if (s) lines.push(this.m('linkShare', { from, share: share(l.value, s.outflow, L) }));
    if (t && t.side === 'out')
      lines.push(this.m('linkShare', { from: to, share: share(l.value, t.inflow, L) }));
    return lines.join('\n');
  }

  private placeTip(x: number, y: number, text: string): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.wrap');
    const w = wrap?.clientWidth ?? 600;
    // Keep the tooltip inside the card: flip to the left of the pointer near the right edge.
    const left = x > w - 220 ? Math.max(0, x - 232) : x + 12;
    this.setTip({ x: left, y: Math.max(0, y + 12), text });
  }

  private pointerIn(e: PointerEvent): { x: number; y: number } | null {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.wrap');
    if (!wrap) return null;
    const box = wrap.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  private hoverNode(e: PointerEvent, n: FlowNode, model: SankeyModel): void {
    const p = this.pointerIn(e);
    if (!p) return;
    if (this.hot?.node !== n.id) this.setHot({ node: n.id });
    this.placeTip(p.x, p.y, this.nodeTip(n, model));
  }

  private hoverLink(e: PointerEvent, index: number, model: SankeyModel): void {
    const p = this.pointerIn(e);
    if (!p) return;
    if (this.hot?.link !== index) this.setHot({ link: index });
    this.placeTip(p.x, p.y, this.linkTip(index, model));
  }

  private focusNode(n: NodeGeom | FlowNode, model: SankeyModel): void {
    this.setHot({ node: n.id });
    const g = this.geoMemo?.geo.nodes.find((x) => x.id === n.id);
    const wrap = this.renderRoot.querySelector<HTMLElement>('.wrap');
    const svgEl = this.renderRoot.querySelector<SVGSVGElement>('svg[part=sankey]');
    if (!g || !wrap || !svgEl) return;
    const a = wrap.getBoundingClientRect();
    const b = svgEl.getBoundingClientRect();
    this.placeTip(b.left - a.left + g.x1, b.top - a.top + (g.y0 + g.y1) / 2, this.nodeTip(n, model));
  }

  /** Clear the hovered / focused mark and its tooltip. */
  readonly clearFocus = (): void => {
    this.setHot(null);
    this.setTip(null);
  };

  private onNodeKey(e: KeyboardEvent, id: string): void {
    if (e.key === 'Enter' || e.key === ' ' || e.key === 'Spacebar') {
      e.preventDefault();
      this.ctx.select(id);
      return;
    }
    if (e.key === 'Escape') {
      this.setTip(null);
      return;
    }
    const geo = this.geoMemo?.geo;
    if (!geo) return;
    const me = geo.nodes.find((n) => n.id === id);
    if (!me) return;
    const sides = (['in', 'mid', 'out'] as const).filter((s) => geo.nodes.some((n) => n.side === s));
    const column = (s: string): NodeGeom[] =>
      geo.nodes.filter((n) => n.side === s).sort((a, b) => a.y0 - b.y0);
    let target: NodeGeom | undefined;
    const col = column(me.side);
    const i = col.indexOf(me);
    if (e.key === 'ArrowDown') target = col[Math.min(col.length - 1, i + 1)];
    else if (e.key === 'ArrowUp') target = col[Math.max(0, i - 1)];
    else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const k = sides.indexOf(me.side) + (e.key === 'ArrowRight' ? 1 : -1);
      const next = sides[k];
      if (next) {
        const cy = (me.y0 + me.y1) / 2;
        target = column(next).sort(
          (a, b) => Math.abs((a.y0 + a.y1) / 2 - cy) - Math.abs((b.y0 + b.y1) / 2 - cy),
        )[0];
      }
    } else if (e.key === 'Home') target = column(sides[0]!)[0];
    else if (e.key === 'End') {
      const last = column(sides[sides.length - 1]!);
      target = last[last.length - 1];
    } else return;
    e.preventDefault();
    if (!target) return;
    const esc = (s: string): string => s.replace(/["\\]/g, '\\$&');
    this.renderRoot.querySelector<SVGGElement>(`g.node[data-id="${esc(target.id)}"]`)?.focus();
  }
}
