/**
 * Shared helpers of the reliability suites (Chromium): element catalogue, settling, walking shadow
 * roots, geometry and markup checks, error traps.
 */
import '../../../components/index.js';
import type { FinElement } from '../../../components/base/fin-element.js';
import type { Engine } from '../../../src/engine/engine-types.js';
import type { MetricResult } from '../../../src/engine/types.js';
import type { BadDatasetName } from '../../fixtures/bad-data.js';

export type AnyFin = FinElement & {
  view_?: { finalize(): void; runAsync(): Promise<unknown>; toSVG(): Promise<string> } | null;
  renderState: string;
  currentResult: MetricResult | null;
  csv(): string;
  svg(): Promise<string | null>;
  [k: string]: unknown;
};

/** One analytic configuration per element: tag, dataset it reads, extra properties. */
export interface ElementCase {
  tag: string;
  dataset: BadDatasetName;
  props?: Record<string, unknown>;
  /** Whether it draws through Vega (has `view_`). */
  vega: boolean;
}

export const ELEMENT_CASES: ElementCase[] = [
  {
    tag: 'fin-kpi-card',
    dataset: 'loan_months',
    vega: false,
    props: {
      params: {
        measure: { agg: 'sum', field: 'outstanding' },
        stock: true,
        sparkline: { unit: 'month', points: 6 },
      },
    },
  },
  { tag: 'fin-funnel', dataset: 'funnel_events', vega: false },
  { tag: 'fin-heatmap', dataset: 'transactions', vega: true, props: { preset: 'txn-weekday-hour' } },
  { tag: 'fin-cohort', dataset: 'transactions', vega: true },
  { tag: 'fin-rfm', dataset: 'transactions', vega: true },
  { tag: 'fin-overdue-trend', dataset: 'loan_months', vega: true },
  { tag: 'fin-fund-flow', dataset: 'transactions', vega: true },
  { tag: 'fin-table', dataset: 'collection_actions', vega: false },
  // mining-cluster (light K-means settings: the suites time every element)
  { tag: 'fin-cluster', dataset: 'transactions', vega: true, props: { params: { restarts: 1, kMax: 3 } } },
  { tag: 'fin-profile', dataset: 'customers', vega: true, props: { params: { group: { where: [], name: 'all' } } } },
  // mining: model monitoring (the churn model: the one ready definition that reads a single dataset)
  { tag: 'fin-model', dataset: 'transactions', vega: true, props: { params: { definition: 'churn' } } },
];

export const FINAL_STATES = ['ok', 'partial', 'empty', 'error'];

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const frame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));

/** Create, configure and attach an element to `parent` (default a fresh sized container). */
export function mount(tag: string, props: Record<string, unknown> = {}, parent?: HTMLElement): AnyFin {
  const el = document.createElement(tag) as AnyFin;
  el.style.display = 'block';
  el.style.width = '640px';
  for (const [k, v] of Object.entries(props)) el[k] = v;
  (parent ?? document.body).append(el);
  return el;
}

/**
 * Wait until the element leaves idle/loading and, for Vega elements in ok/partial, until the view
 * is mounted and has run (at most `viewMs` more). Returns the final state ('timeout' when it never
 * leaves idle/loading).
 */
export async function settle(el: AnyFin, timeoutMs = 15000, viewMs = 4000): Promise<string> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    await el.updateComplete;
    if (FINAL_STATES.includes(el.renderState)) break;
    await sleep(5);
  }
  if (!FINAL_STATES.includes(el.renderState)) return 'timeout';
  await frame();
  await el.updateComplete;
  // a chart still laying out after a lazy import (fund-flow's sankey shows a `.pending` placeholder)
  for (
    let t1 = performance.now();
    performance.now() - t1 < viewMs && el.renderRoot.querySelector('[part=chart] .pending');
  ) {
    await sleep(10);
    await el.updateComplete;
  }
  if ('view_' in el && (el.renderState === 'ok' || el.renderState === 'partial')) {
    const t1 = performance.now();
    while (
      !el.view_ &&
      performance.now() - t1 < viewMs &&
      el.renderRoot.querySelector('[part=chart] .plot')
    ) {
      await sleep(5);
      await el.updateComplete;
    }
    if (el.view_) await el.view_.runAsync();
    await el.updateComplete;
  }
  return el.renderState;
}

/** Every element under `root`, descending into open shadow roots. */
export function* walk(root: Node): Generator<Element> {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n instanceof Element) {
      yield n;
      if (n.shadowRoot) stack.push(n.shadowRoot);
    }
    for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
}

/** Every shadow root under (and including) `root`'s host. */
export function shadowRoots(root: Node): ShadowRoot[] {
  const out: ShadowRoot[] = [];
  for (const e of walk(root)) if (e.shadowRoot) out.push(e.shadowRoot);
  return out;
}

const GEOMETRY = [
  'd',
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'width',
  'height',
  'transform',
  'points',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'viewBox',
];

/** SVG geometry attributes holding NaN or Infinity, as `tag[attr]=value` strings. */
export function badGeometry(root: Node): string[] {
  const out: string[] = [];
  for (const e of walk(root)) {
    if (!(e instanceof SVGElement)) continue;
    for (const a of GEOMETRY) {
      const v = e.getAttribute(a);
      if (v !== null && /NaN|Infinity/.test(v)) out.push(`${e.tagName}[${a}]=${v.slice(0, 60)}`);
    }
    const style = e.getAttribute('style');
    if (style && /NaN|Infinity/.test(style)) out.push(`${e.tagName}[style]=${style.slice(0, 60)}`);
  }
  return out;
}

/** All text a user or assistive technology can get at: text nodes plus labelling attributes. */
export function visibleStrings(root: Node): string[] {
  const out: string[] = [];
  for (const e of walk(root)) {
    for (const a of [
      'aria-label',
      'title',
      'aria-description',
      'aria-valuetext',
      'alt',
      'placeholder',
      'value',
    ]) {
      const v = e.getAttribute(a);
      if (v) out.push(v);
    }
    for (let c = e.firstChild; c; c = c.nextSibling)
      if (c.nodeType === Node.TEXT_NODE && c.nodeValue) out.push(c.nodeValue);
  }
  return out;
}

/** Elements and attributes that data must never create. */
/** (Our elements legitimately render button, details, summary, input, select, label, table and SVG.) */
const FORBIDDEN_TAGS = new Set([
  'script',
  'iframe',
  'img',
  'image',
  'object',
  'embed',
  'frame',
  'frameset',
  'link',
  'meta',
  'base',
  'style',
  'form',
  'video',
  'audio',
  'source',
  'math',
  'mglyph',
  'marquee',
  'body',
  'html',
  'template',
  'foreignobject',
  'animate',
  'set',
  'use',
  'xss',
  'textarea',
  'isindex',
  'keygen',
  'portal',
  'noscript',
  'mtext',
]);
const URL_ATTRS = [
  'href',
  'xlink:href',
  'src',
  'action',
  'formaction',
  'data',
  'srcdoc',
  'background',
  'poster',
];

/** Markup problems under `root`: forbidden elements, `on*` attributes, script URLs. */
export function markupProblems(root: Node): string[] {
  const out: string[] = [];
  for (const e of walk(root)) {
    const tag = e.localName.toLowerCase();
    // Vega's own (empty) container for signal bindings: <form class="vega-bindings">, no action.
    const vegaBindings = tag === 'form' && e.classList.contains('vega-bindings') && !e.hasAttribute('action');
    if (FORBIDDEN_TAGS.has(tag) && !vegaBindings) out.push(`<${tag}>`);
    for (const a of e.getAttributeNames()) {
      if (/^on/i.test(a)) out.push(`<${tag} ${a}>`);
      if (URL_ATTRS.includes(a.toLowerCase())) {
        // Browsers ignore whitespace and control characters inside a URL scheme: drop them too.
        const v = [...(e.getAttribute(a) ?? '')]
          .filter((ch) => ch.charCodeAt(0) > 32)
          .join('')
          .toLowerCase();
        if (/^(javascript|vbscript|data:text\/html)/.test(v)) out.push(`<${tag} ${a}=${v.slice(0, 40)}>`);
      }
    }
  }
  return out;
}

/** Global error traps: uncaught exceptions and unhandled rejections while `fn` runs. */
export interface Trap {
  errors: string[];
  rejections: string[];
  stop(): void;
}
export function trapErrors(): Trap {
  const t: Trap = {
    errors: [],
    rejections: [],
    stop: () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
  const onError = (e: ErrorEvent): void => {
    // ResizeObserver loop notices are not errors of ours.
    if (/ResizeObserver loop/.test(e.message)) return;
    t.errors.push(e.message);
  };
  const onRejection = (e: PromiseRejectionEvent): void => {
    const r = e.reason as { message?: string } | undefined;
    t.rejections.push(r?.message ?? String(e.reason));
    e.preventDefault();
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return t;
}

/** An Engine that answers every query with a fixed result (presentational feeding through `.engine`). */
export function fixedEngine(result: MetricResult): Engine {
  return {
    placement: 'thread',
    load: async () => ({}) as never,
    query: async () => result,
    datasetsInfo: async () => [],
    unload: async () => {},
    dispose: () => {},
  };
}

/** Hover, point at and focus the marks of a chart; returns the tooltip texts seen. */
export async function pokeMarks(el: AnyFin, limit = 30): Promise<string[]> {
  const tips: string[] = [];
  const marks: Element[] = [];
  for (const e of walk(el)) {
    if (!(e instanceof SVGGraphicsElement) || e instanceof SVGSVGElement) continue;
    if (!['path', 'rect', 'circle', 'g', 'text', 'line', 'polygon'].includes(e.localName)) continue;
    if (e.localName === 'g' && !e.hasAttribute('tabindex') && !e.hasAttribute('role')) continue;
    marks.push(e);
  }
  const step = Math.max(1, Math.floor(marks.length / limit));
  for (let i = 0; i < marks.length; i += step) {
    const m = marks[i]!;
    const b = m.getBoundingClientRect();
    const init = {
      bubbles: true,
      composed: true,
      clientX: b.left + b.width / 2,
      clientY: b.top + b.height / 2,
    };
    for (const type of ['pointerover', 'pointermove', 'mouseover', 'mousemove']) {
      m.dispatchEvent(type.startsWith('pointer') ? new PointerEvent(type, init) : new MouseEvent(type, init));
    }
    if (m.hasAttribute('tabindex')) (m as SVGElement).focus();
    await el.updateComplete;
    for (const e of walk(el)) {
      if ((e.getAttribute('part') ?? '').split(/\s+/).includes('tooltip') && !(e as HTMLElement).hidden) {
        if (e.textContent) tips.push(e.textContent);
      }
    }
  }
  return tips;
}

/** Click the first button whose text or title matches. */
export function clickButton(el: AnyFin, re: RegExp): boolean {
  for (const e of walk(el)) {
    if (e instanceof HTMLButtonElement && (re.test(e.textContent ?? '') || re.test(e.title))) {
      e.click();
      return true;
    }
  }
  return false;
}

/**
 * Everything an element lets a user see or take away: visible text and labels in chart view (marks
 * hovered and focused for tooltips), after selecting the first segment/stage button (lists), with
 * the basis panel open, in table view, plus the CSV and SVG exports.
 */
export async function harvest(el: AnyFin): Promise<{ strings: string[]; csv: string; svg: string | null }> {
  const strings = new Set<string>();
  await settle(el);
  (await pokeMarks(el)).forEach((s) => strings.add(s));
  visibleStrings(el).forEach((s) => strings.add(s));
  for (const e of walk(el)) {
    if ((e.getAttribute('part') ?? '').split(/\s+/).includes('segment') && e instanceof HTMLElement) {
      e.click();
      break;
    }
  }
  await sleep(20);
  await settle(el);
  visibleStrings(el).forEach((s) => strings.add(s));
  clickButton(el, /口径|Basis/i);
  await el.updateComplete;
  visibleStrings(el).forEach((s) => strings.add(s));
  el.view = 'table';
  await el.updateComplete;
  await frame();
  visibleStrings(el).forEach((s) => strings.add(s));
  const csv = el.csv();
  el.view = 'chart';
  await settle(el);
  const svg = await el.svg();
  return { strings: [...strings], csv, svg };
}

/** Print one summary line (web-test-runner forwards browser console output to the terminal). */
export function figure(line: string): void {
  console.log(`[reliability] ${line}`);
}

/** Records elements and attributes added anywhere we can observe: the document and every shadow root. */
export class Monitor {
  readonly problems: string[] = [];
  private readonly observed = new WeakSet<Node>();
  private readonly observers: MutationObserver[] = [];
  private readonly onMutations = (list: MutationRecord[]): void => {
    for (const m of list) {
      if (m.type === 'attributes' && m.attributeName) {
        if (/^on/i.test(m.attributeName))
          this.problems.push(`attr ${m.attributeName} on <${(m.target as Element).localName}>`);
        else if (m.target instanceof Element) {
          for (const p of markupProblems(m.target)) this.problems.push(`attr change: ${p}`);
        }
      }
      for (const n of m.addedNodes)
        if (n instanceof Element) for (const p of markupProblems(n)) this.problems.push(`added ${p}`);
    }
  };
  watch(root: Node): void {
    const roots: Node[] = [root, ...shadowRoots(root)];
    for (const r of roots) {
      if (this.observed.has(r)) continue;
      this.observed.add(r);
      const mo = new MutationObserver(this.onMutations);
      mo.observe(r, { childList: true, subtree: true, attributes: true, characterData: false });
      this.observers.push(mo);
    }
  }
  flush(): void {
    for (const mo of this.observers) this.onMutations(mo.takeRecords());
  }
  stop(): void {
    this.flush();
    for (const mo of this.observers) mo.disconnect();
  }
}
