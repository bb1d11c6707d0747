/**
 * Shared helpers of the element suites (test/browser/*.test.ts): bilingual strings, fake and spy
 * engines, the seeded sample, waiting for a query to settle and a Vega view to mount, reading shadow
 * DOM text, pointer events at a mark, capturing fin-select / fin-error events, and the checks of the
 * states every element shares (loading, empty, partial, bad result, missing column). Imports no
 * element (each suite registers its own) and loads the engine only when a suite asks for the sample.
 */
import { expect, fixture, oneEvent } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import type { FinRenderDetail, FinRenderEvent, FinSelectEvent } from '../../components/base/events.js';
import type { FinElement } from '../../components/base/fin-element.js';
import type { FinEngine } from '../../src/engine/create.js';
import type { Engine } from '../../src/engine/engine-types.js';
import type { MetricResult, QueryRequest } from '../../src/engine/types.js';

export type Bi = { 'zh-CN': string; 'en-US': string };
export const bi = (zh: string, en: string): Bi => ({ 'zh-CN': zh, 'en-US': en });

export const sr = (el: Element): ShadowRoot => el.shadowRoot!;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const frame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));

/** Poll `cond` every `ms` until it holds or `tries` polls have passed (never throws). */
export async function waitFor(cond: () => boolean, tries = 400, ms = 25): Promise<void> {
  for (let i = 0; i < tries && !cond(); i++) await sleep(ms);
}

/** Like waitFor, but fails the test when `cond` still does not hold. */
export async function until(cond: () => boolean, what: string): Promise<void> {
  await waitFor(cond);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

/** An element drawn through Vega (or one that may be: fin-fund-flow draws its sankey with d3). */
export type Drawn = FinElement & { view_: unknown };

/** The default "has drawn" test: the table view, or a mounted Vega view with its svg/canvas. */
export const vegaMounted =
  (plot = '.plot svg, .plot canvas') =>
  (el: Drawn): boolean =>
    el.view === 'table' || (el.view_ !== null && !!sr(el).querySelector(plot));

/** The state is settled and on screen (neither waiting for an answer nor for its paint). */
const shown = (el: FinElement): boolean => !['loading', 'idle'].includes(el.renderState);

/**
 * Resolve when `el` has painted its answer: at once when it already has, else at its next
 * `fin-render` (with the event's detail). Fails after `timeoutMs` naming the state it is stuck in.
 */
export async function rendered(el: FinElement, timeoutMs = 15_000): Promise<FinRenderDetail | null> {
  await el.updateComplete;
  if (shown(el)) return null;
  return new Promise<FinRenderDetail>((resolve, reject) => {
    const timer = setTimeout(() => {
      el.removeEventListener('fin-render', on);
      reject(new Error(`${el.localName} fired no fin-render within ${timeoutMs} ms (state ${el.renderState})`));
    }, timeoutMs);
    const on = (e: Event): void => {
      clearTimeout(timer);
      el.removeEventListener('fin-render', on);
      resolve((e as FinRenderEvent).detail);
    };
    el.addEventListener('fin-render', on);
  });
}

/**
 * Until the Vega view mounts in flight have run (a re-mount after a resize or display switch
 * replaces `viewReady`, so await it again while it changes). No-op for elements without Vega.
 */
export async function viewSettled(el: Element): Promise<void> {
  const v = el as Element & { viewReady?: Promise<unknown>; updateComplete?: Promise<unknown> };
  for (let i = 0; i < 50; i++) {
    await v.updateComplete;
    const p = v.viewReady;
    if (!p) return;
    await p;
    await v.updateComplete;
    if (p === v.viewReady) return;
  }
}

/**
 * Wait for the element's fin-render (or its already painted state), then for any Vega re-mount
 * in flight; then `drawn` must hold for ok/partial: fin-render promises the chart is on screen.
 */
export async function ready<E extends Drawn>(
  el: E,
  drawn: (el: E) => boolean = vegaMounted(),
): Promise<void> {
  await rendered(el);
  await viewSettled(el);
  const s = el.renderState;
  if ((s === 'ok' || s === 'partial') && !drawn(el))
    throw new Error(`${el.localName} is ${s} but its chart is not drawn`);
}

/** Mount again after a change that re-specs (the old view is finalized first). */
export async function remounted(el: Drawn, before: unknown): Promise<void> {
  await waitFor(() => !(el.view_ === before || el.view_ === null));
  await el.updateComplete;
}

/**
 * Until the element's Vega view has stayed the same for `quietMs` (a late resize under load
 * re-mounts it, and a click on the old view's nodes would be lost).
 */
export async function steadyView(el: Drawn, quietMs = 300): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const v = el.view_;
    await sleep(quietMs);
    if (v !== null && el.view_ === v) break;
  }
  await el.updateComplete;
}

/** Render a template (open-wc fixture) and wait with `wait` (e.g. the suite's `ready`). */
export async function mount<E extends Element>(
  template: TemplateResult,
  wait: (el: E) => Promise<void>,
): Promise<E> {
  const el = await fixture<E>(template);
  await wait(el);
  return el;
}

/** Text of every `<text>` of the drawn Vega svg. */
export const plotTexts = (el: Element): string[] =>
  [...sr(el).querySelectorAll('.plot svg text')].map((t) => t.textContent ?? '');

/** The row-header buttons of the table view (keyboard selection). */
export const rowHeads = (el: Element): HTMLButtonElement[] => [
  ...sr(el).querySelectorAll<HTMLButtonElement>('[part="table"] tbody th button'),
];

/** Vega marks as drawn, with the datum Vega keeps on each. */
export type Marked = Element & { __data__?: { datum?: Record<string, unknown> } };
export const datum = (n: Element): Record<string, unknown> => (n as Marked).__data__!.datum!;

/** Client coordinates of a point inside `node`, as fractions of its box. */
export function pointIn(node: Element, dx = 0.5, dy = 0.5): { clientX: number; clientY: number } {
  const b = node.getBoundingClientRect();
  return { clientX: b.x + b.width * dx, clientY: b.y + b.height * dy };
}

/** Click a mark the way a user does (Vega picks the item from the event target). */
export function clickMark(node: Element, shiftKey = false, dy = 0.5): void {
  node.dispatchEvent(
    new MouseEvent('click', { bubbles: true, composed: true, shiftKey, ...pointIn(node, 0.5, dy) }),
  );
}

/** Dispatch a pointer event at a point inside `target`. */
export function pointer(target: Element, type: string, dx = 0.5, dy = 0.5): void {
  target.dispatchEvent(new PointerEvent(type, { bubbles: true, composed: true, ...pointIn(target, dx, dy) }));
}

/** Hover a mark near its top-left corner (pointer events for Vega 6, mouse events too). */
export function hover(node: Element, offset = 3, init: PointerEventInit = { pointerType: 'mouse' }): void {
  const b = node.getBoundingClientRect();
  const at = { bubbles: true, composed: true, clientX: b.x + offset, clientY: b.y + offset, ...init };
  for (const type of ['pointerover', 'pointermove']) node.dispatchEvent(new PointerEvent(type, at));
  for (const type of ['mouseover', 'mousemove']) node.dispatchEvent(new MouseEvent(type, at));
}

/** The element's tooltip, after waiting (up to 1 s) for it to show. */
export async function tooltip(el: Element, selector = '[part="tooltip"]'): Promise<HTMLElement> {
  const tip = sr(el).querySelector<HTMLElement>(selector)!;
  await waitFor(() => !tip.hidden, 40);
  return tip;
}

/** An engine that records requests and answers with a fixed result, one per request, or never. */
export function fakeEngine(
  answer: MetricResult | ((req: QueryRequest) => MetricResult) | null,
  seen: QueryRequest[] = [],
): Engine {
  return {
    placement: 'thread',
    load: async () => ({}) as never,
    query: (req: QueryRequest) => {
      seen.push(req);
      if (!answer) return new Promise<MetricResult>(() => {});
      return Promise.resolve(typeof answer === 'function' ? answer(req) : answer);
    },
    datasetsInfo: async () => [],
    unload: async () => {},
    dispose: () => {},
  } as unknown as Engine;
}

/** `engine`, recording every request into `seen`. */
export function spyEngine(engine: Engine, seen: QueryRequest[]): Engine {
  return {
    ...engine,
    query: (req: QueryRequest, o?: unknown) => (seen.push(req), engine.query(req, o as never)),
  } as unknown as Engine;
}

/**
 * An in-thread engine with the seeded sample. Imported lazily, as the elements do: only the
 * engine-backed tests load Arquero.
 */
export async function sampleEngine(customers: number): Promise<FinEngine> {
  const { createEngine } = await import('../../src/engine/create.js');
  const engine = createEngine();
  await engine.loadSample({ customers });
  return engine;
}

/** Attach `el` to the page and resolve with the next `type` event it fires (listening first). */
export function appendFor<D = Record<string, unknown>>(
  el: HTMLElement,
  type = 'fin-error',
  parent: HTMLElement = document.body,
): Promise<CustomEvent<D>> {
  const next = oneEvent(el, type) as Promise<CustomEvent<D>>;
  parent.append(el);
  return next;
}

/** Listen for the next fin-select of `el`, run `act` (a click, a key press) and resolve with the event. */
export async function nextSelect(el: Element, act: () => unknown): Promise<FinSelectEvent> {
  const next = oneEvent(el, 'fin-select') as Promise<FinSelectEvent>;
  await act();
  return next;
}

/** Render `template` (an element whose engine never answers): it shows the loading state. */
export async function expectLoading(template: TemplateResult): Promise<FinElement> {
  const el = await fixture<FinElement>(template);
  await el.updateComplete;
  expect(el.renderState).to.equal('loading');
  expect(sr(el).querySelector('[part="loading"]')).to.not.equal(null);
  return el;
}

/** The empty message the suites' results carry. */
export const NO_DATA = bi('所选范围内没有数据', 'Nothing');
/** What a result without rows overrides. */
export const noData = (): Partial<MetricResult> => ({ data: [], empty: NO_DATA });

/** Render `template`, wait with `wait`: it shows the empty state saying `text`. */
export async function expectEmpty<E extends FinElement>(
  template: TemplateResult,
  wait: (el: E) => Promise<unknown>,
  text = NO_DATA['zh-CN'],
): Promise<E> {
  const el = await fixture<E>(template);
  await wait(el);
  expect(el.renderState).to.equal('empty');
  expect(sr(el).querySelector('[part="empty"]')!.textContent).to.include(text);
  return el;
}

/** `el` is in the partial state: the text of its quality note. */
export function partialNote(el: Element): string {
  expect((el as FinElement).renderState).to.equal('partial');
  return sr(el).querySelector('[part="quality"]')!.textContent!;
}

/** A `tag` given a result that is no metric result fires fin-error bad_input and shows the error. */
export async function expectBadResult(tag: string): Promise<void> {
  const bad = document.createElement(tag) as FinElement;
  bad.result = { nonsense: true } as unknown as MetricResult;
  try {
    expect((await appendFor<{ code: string }>(bad)).detail.code).to.equal('bad_input');
    await bad.updateComplete;
    expect(sr(bad).querySelector('[part="error"]')).to.not.equal(null);
  } finally {
    bad.remove();
  }
}

/** `el` (set up, not yet attached) fires fin-error missing_column and names `column` in its error. */
export async function expectMissingColumn(el: FinElement, column: string): Promise<void> {
  try {
    expect((await appendFor<{ code: string }>(el)).detail.code).to.equal('missing_column');
    await el.updateComplete;
    expect(sr(el).querySelector('[part="error"]')!.textContent).to.include(column);
  } finally {
    el.remove();
  }
}

/** The widget elements of a ready `<fin-dashboard>`, by widget id (waits for the data to load). */
export async function dashboardWidgets(dash: {
  isReady: boolean;
  updateComplete: Promise<unknown>;
  shadowRoot: ShadowRoot | null;
}): Promise<Map<string, FinElement>> {
  for (let i = 0; i < 600 && !dash.isReady; i++) await sleep(50);
  await dash.updateComplete;
  const out = new Map<string, FinElement>();
  for (const cell of dash.shadowRoot!.querySelectorAll<HTMLElement>('[data-widget]')) {
    const el = [...cell.children].find((c) => c.localName.startsWith('fin-')) as FinElement | undefined;
    if (el) out.set(cell.dataset['widget']!, el);
  }
  return out;
}

/** Until every element has painted its answer (fin-render); fails naming the stragglers. */
export async function allSettled(els: Iterable<FinElement>, timeoutMs = 30_000): Promise<void> {
  const list = [...els];
  try {
    await Promise.all(list.map((e) => rendered(e, timeoutMs)));
  } catch {
    throw new Error(`widgets did not settle: ${list.map((e) => `${e.localName}:${e.renderState}`).join(', ')}`);
  }
}
