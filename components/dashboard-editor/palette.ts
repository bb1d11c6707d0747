/**
 * The composer's palette: every element type (with a sensible first configuration) and every widget
 * of the ready-made dashboards as a preset, each with a thumbnail and a one-line description.
 * Thumbnails are fixed SVG shapes (no data, no strings from specs).
 */
import { html, svg } from 'lit';
import type { SVGTemplateResult, TemplateResult } from 'lit';
import { DASHBOARDS } from '../../src/dashboard/presets.js';
import type { WidgetType } from '../../src/dashboard/spec.js';
import type { WidgetTemplate } from '../../src/dashboard/edit.js';
import { pick } from '../../src/format/messages.js';
import type { Locale } from '../../src/format/number.js';
import type { EditorText } from './messages.js';

type Bi = { 'zh-CN': string; 'en-US': string };

export interface PaletteItem {
  /** Stable key (`type:<type>` or `preset:<dashboard>/<widget>`). */
  key: string;
  type: WidgetType;
  label: Bi;
  description: Bi;
  template: WidgetTemplate;
}

const TYPES: Array<{ type: WidgetType; label: Bi; description: Bi; template: WidgetTemplate }> = [
  {
    type: 'kpi-card',
    label: { 'zh-CN': '指标卡', 'en-US': 'KPI card' },
    description: { 'zh-CN': '一个数值，含环比/同比与迷你趋势', 'en-US': 'One number with period change and a sparkline' },
    template: { type: 'kpi-card', params: { measure: { agg: 'count' } }, size: { w: 3, h: 2 } },
  },
  {
    type: 'overdue-trend',
    label: { 'zh-CN': '逾期趋势', 'en-US': 'Overdue trend' },
    description: { 'zh-CN': '逾期余额分布、逾期率、迁徙率、滚动率', 'en-US': 'DPD buckets, overdue rate, flow and roll rates' },
    template: { type: 'overdue-trend', size: { w: 6, h: 4 } },
  },
  {
    type: 'cohort',
    label: { 'zh-CN': '同期群', 'en-US': 'Cohort' },
    description: { 'zh-CN': '留存或账龄（Vintage）三角', 'en-US': 'Retention or vintage triangle' },
    template: { type: 'cohort', size: { w: 12, h: 5 } },
  },
  {
    type: 'funnel',
    label: { 'zh-CN': '漏斗', 'en-US': 'Funnel' },
    description: { 'zh-CN': '阶段转化与流失', 'en-US': 'Stage conversion and drop-off' },
    template: { type: 'funnel', size: { w: 6, h: 4 } },
  },
  {
    type: 'heatmap',
    label: { 'zh-CN': '热力图', 'en-US': 'Heatmap' },
    description: { 'zh-CN': '两个维度交叉的数值', 'en-US': 'A value across two dimensions' },
    template: { type: 'heatmap', props: { preset: 'contact-rate-weekday-hour' }, size: { w: 12, h: 4 } },
  },
  {
    type: 'rfm',
    label: { 'zh-CN': 'RFM 分群', 'en-US': 'RFM segments' },
    description: { 'zh-CN': '按最近、频次、金额划分客户', 'en-US': 'Customers by recency, frequency and value' },
    template: { type: 'rfm', size: { w: 6, h: 5 } },
  },
  {
    type: 'fund-flow',
    label: { 'zh-CN': '资金流向', 'en-US': 'Fund flow' },
    description: { 'zh-CN': '桑基图、净流入趋势与可疑交易', 'en-US': 'Sankey, net-flow trend and alerts' },
    template: { type: 'fund-flow', size: { w: 6, h: 4 } },
  },
  {
    type: 'cluster',
    label: { 'zh-CN': '客户分群', 'en-US': 'Customer clusters' },
    description: { 'zh-CN': 'K-means 聚类：散点、簇画像与 k 的选择', 'en-US': 'K-means: scatter, centroid profiles, choice of k' },
    template: { type: 'cluster', params: { features: ['recency', 'frequency', 'monetary', 'aum'] }, size: { w: 6, h: 6 } },
  },
  {
    type: 'profile',
    label: { 'zh-CN': '客户画像', 'en-US': 'Customer profile' },
    description: { 'zh-CN': '群体相对全体的 TGI 与数值对比', 'en-US': 'TGI and numeric comparison of a group against all' },
    template: { type: 'profile', size: { w: 12, h: 6 } },
  },
  {
    type: 'model',
    label: { 'zh-CN': '模型监控', 'en-US': 'Model monitoring' },
    description: { 'zh-CN': 'KS、AUC、PSI、分数段与特征 IV', 'en-US': 'KS, AUC, PSI, score bands and feature IV' },
    template: { type: 'model', size: { w: 12, h: 5 } },
  },
  {
    type: 'table',
    label: { 'zh-CN': '表格', 'en-US': 'Table' },
    description: { 'zh-CN': '任一指标的明细表', 'en-US': 'Any metric as a table' },
    template: { type: 'table', metric: 'collector_performance', size: { w: 6, h: 5 } },
  },
];

const text = (t: unknown, fallback: string): Bi =>
  typeof t === 'string' ? { 'zh-CN': t, 'en-US': t } : t && typeof t === 'object' ? (t as Bi) : { 'zh-CN': fallback, 'en-US': fallback };

/** Every palette item: the element types first, then the ready-made widgets (deduplicated). */
export function paletteItems(): PaletteItem[] {
  const items: PaletteItem[] = TYPES.map((t) => ({ key: `type:${t.type}`, ...t }));
  const seen = new Set<string>();
  for (const [dash, spec] of Object.entries(DASHBOARDS)) {
    for (const w of spec.widgets) {
      const { id: _id, grid, ...rest } = structuredClone(w);
      const template: WidgetTemplate = { ...rest, size: { w: grid.w, h: grid.h } };
      const sig = JSON.stringify({ ...rest, title: undefined });
      if (seen.has(sig)) continue;
      seen.add(sig);
      const typeInfo = TYPES.find((t) => t.type === w.type);
      items.push({
        key: `preset:${dash}/${w.id}`,
        type: w.type,
        label: text(w.title, w.id),
        description: typeInfo?.label ?? { 'zh-CN': w.type, 'en-US': w.type },
        template,
      });
    }
  }
  return items;
}

/** A 40 × 28 thumbnail per element type (static shapes in the current colour). */
export function thumbnail(type: WidgetType): SVGTemplateResult {
  const frame = svg`<rect x="0.5" y="0.5" width="39" height="27" rx="3" fill="none" stroke="currentColor" opacity="0.35"></rect>`;
  switch (type) {
    case 'kpi-card':
      return svg`${frame}<rect x="6" y="7" width="16" height="6" fill="currentColor"></rect><polyline points="6,21 13,18 20,20 27,14 34,16" fill="none" stroke="currentColor"></polyline>`;
    case 'overdue-trend':
      return svg`${frame}<rect x="6" y="14" width="5" height="9" fill="currentColor" opacity="0.5"></rect><rect x="13" y="11" width="5" height="12" fill="currentColor" opacity="0.6"></rect><rect x="20" y="9" width="5" height="14" fill="currentColor" opacity="0.7"></rect><rect x="27" y="6" width="5" height="17" fill="currentColor" opacity="0.8"></rect>`;
    case 'cohort':
      return svg`${frame}${[0, 1, 2, 3].map((r) => svg`${[0, 1, 2, 3].filter((c) => c < 4 - r).map((c) => svg`<rect x=${6 + c * 7} y=${5 + r * 5} width="6" height="4" fill="currentColor" opacity=${0.3 + c * 0.15}></rect>`)}`)}`;
    case 'funnel':
      return svg`${frame}<rect x="6" y="5" width="28" height="4" fill="currentColor"></rect><rect x="10" y="11" width="20" height="4" fill="currentColor" opacity="0.75"></rect><rect x="14" y="17" width="12" height="4" fill="currentColor" opacity="0.5"></rect>`;
    case 'heatmap':
      return svg`${frame}${[0, 1, 2].map((r) => svg`${[0, 1, 2, 3, 4].map((c) => svg`<rect x=${5 + c * 6} y=${5 + r * 6} width="5" height="5" fill="currentColor" opacity=${0.2 + ((r * 5 + c) % 4) * 0.2}></rect>`)}`)}`;
    case 'rfm':
      return svg`${frame}<rect x="5" y="5" width="14" height="9" fill="currentColor" opacity="0.8"></rect><rect x="20" y="5" width="15" height="9" fill="currentColor" opacity="0.5"></rect><rect x="5" y="15" width="20" height="8" fill="currentColor" opacity="0.35"></rect><rect x="26" y="15" width="9" height="8" fill="currentColor" opacity="0.6"></rect>`;
    case 'fund-flow':
      return svg`${frame}<rect x="5" y="6" width="3" height="16" fill="currentColor"></rect><rect x="32" y="5" width="3" height="8" fill="currentColor"></rect><rect x="32" y="16" width="3" height="7" fill="currentColor"></rect><path d="M8 9 C20 9 20 8 32 8 M8 18 C20 18 20 19 32 19" fill="none" stroke="currentColor" stroke-width="3" opacity="0.45"></path>`;
    case 'cluster':
      return svg`${frame}${[[9, 9], [12, 12], [8, 14], [27, 8], [30, 11], [26, 12], [18, 20], [21, 22], [16, 23]].map(([x, y], i) => svg`<circle cx=${x} cy=${y} r="2" fill="currentColor" opacity=${0.4 + (i % 3) * 0.25}></circle>`)}`;
    case 'profile':
      return svg`${frame}<line x1="20" x2="20" y1="4" y2="24" stroke="currentColor" opacity="0.5"></line><rect x="20" y="6" width="12" height="4" fill="currentColor"></rect><rect x="11" y="12" width="9" height="4" fill="currentColor" opacity="0.6"></rect><rect x="20" y="18" width="7" height="4" fill="currentColor"></rect>`;
    case 'model':
      return svg`${frame}<line x1="6" y1="23" x2="34" y2="5" stroke="currentColor" opacity="0.35"></line><path d="M6 23 C8 10 16 6 34 5" fill="none" stroke="currentColor"></path>`;
    default:
      return svg`${frame}${[0, 1, 2, 3].map((r) => svg`<line x1="6" x2="34" y1=${7 + r * 5} y2=${7 + r * 5} stroke="currentColor" opacity=${r === 0 ? 0.9 : 0.4}></line>`)}`;
  }
}

export interface PaletteContext {
  t: EditorText;
  locale: Locale;
  items: PaletteItem[];
  /** No document open or read-only: the Add buttons are inert (but stay focusable). */
  inert: boolean;
  /** Pointer down on an item: start dragging it onto the canvas. */
  down(e: PointerEvent, item: PaletteItem): void;
  add(item: PaletteItem): void;
}

/** The palette list: thumbnail, name and description of each item, and its Add button. */
export function renderPalette(c: PaletteContext): TemplateResult {
  return html`<ul>
    ${c.items.map(
      (p) => html`<li class="pal" data-key=${p.key}>
        <span class="thumb" aria-hidden="true" @pointerdown=${(e: PointerEvent) => c.down(e, p)}>
          <svg viewBox="0 0 40 28" width="40" height="28">${thumbnail(p.type)}</svg></span>
        <span class="pal-text" @pointerdown=${(e: PointerEvent) => c.down(e, p)}>
          <strong>${pick(p.label, c.locale)}</strong><small>${pick(p.description, c.locale)}</small></span>
        <button type="button" aria-disabled=${c.inert ? 'true' : 'false'} @click=${() => c.add(p)}
          aria-label=${`${c.t.add}: ${pick(p.label, c.locale)}`}>${c.t.add}</button>
      </li>`,
    )}
  </ul>`;
}
