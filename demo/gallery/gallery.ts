// Shared scaffolding of the gallery pages (demo/gallery/*.html): the page container, headings,
// grids and captioned cells, an element shelf (create, configure, attach and wait for every element),
// the four theme × locale combinations, an engine that never answers (the loading state), and the
// `body[data-ready]` flag scripts/shot.mjs waits for. Text-only DOM building.
import type { Engine } from '../../src/engine/engine-types.js';

export type Theme = 'light' | 'dark';
export type Locale = 'zh-CN' | 'en-US';

/** The four theme × locale combinations every page shows first. */
export const COMBOS = [
  ['light', 'zh-CN'],
  ['light', 'en-US'],
  ['dark', 'zh-CN'],
  ['dark', 'en-US'],
] as const;

/** An engine whose queries never finish (to show the loading state). */
export const never: Engine = {
  placement: 'remote',
  load: () => new Promise(() => {}),
  query: () => new Promise(() => {}),
  datasetsInfo: async () => [],
  unload: async () => {},
  dispose: () => {},
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The page's container (`#root` or `#main`); the page language is zh-CN unless an element says otherwise. */
export function page(id = 'root'): HTMLElement {
  document.documentElement.lang = 'zh-CN';
  return document.getElementById(id)!;
}

/** The cell class of a theme. */
export const dark = (theme: string): string => (theme === 'dark' ? 'dark' : '');

/** Attributes as shown in a caption: `name=value`, or `name` alone for a boolean attribute. */
export const attrList = (attrs: Record<string, string>): string =>
  Object.entries(attrs)
    .map(([k, v]) => (v ? `${k}=${v}` : k))
    .join(' ');

/** An `<h3>` heading appended to `parent`. */
export function heading(parent: HTMLElement, text: string): void {
  const h = document.createElement('h3');
  h.textContent = text;
  parent.append(h);
}

/** A grid (or `row`) appended to `parent`. */
export function grid(parent: HTMLElement, cls = 'grid'): HTMLElement {
  const g = document.createElement('div');
  g.className = cls;
  parent.append(g);
  return g;
}

/** A titled section: an `<h2>` and a grid under it, appended to `parent`. */
export function titled(parent: HTMLElement, title: string, cls = 'grid'): HTMLElement {
  const h = document.createElement('h2');
  h.textContent = title;
  const box = document.createElement('div');
  box.className = cls;
  parent.append(h, box);
  return box;
}

/** A cell titled with an `<h2>` (not attached). */
export function cell(title: string, cls = ''): HTMLElement {
  const box = document.createElement('div');
  box.className = `cell ${cls}`.trim();
  const h = document.createElement('h2');
  h.textContent = title;
  box.append(h);
  return box;
}

/** A cell of class `cls` with a monospace caption above `el`, appended to `parent`. */
export function captioned(parent: HTMLElement, caption: string, el: HTMLElement, cls: string): void {
  const c = document.createElement('div');
  c.className = cls;
  const cap = document.createElement('span');
  cap.className = 'cap';
  cap.textContent = caption;
  c.append(cap, el);
  parent.append(c);
}

/** Poll `done` every `pollMs` until it holds or `timeoutMs` has passed. */
export async function until(done: () => boolean, timeoutMs = 30000, pollMs = 100): Promise<void> {
  const t0 = performance.now();
  while (!done() && performance.now() - t0 < timeoutMs) await sleep(pollMs);
}

/** Tell scripts/shot.mjs the page has drawn. */
export function markReady(): void {
  document.body.dataset.ready = '1';
}

/** The elements of one tag a page shows: made, attached and waited for together. */
export class Shelf<E extends HTMLElement> {
  readonly all: E[] = [];
  private readonly tag: string;

  constructor(tag: string) {
    this.tag = tag;
  }

  /** A new element with attributes and properties (not attached). */
  make(attrs: Record<string, string>, props: Partial<E> = {}): E {
    const el = document.createElement(this.tag) as E;
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    Object.assign(el, props);
    return el;
  }

  /** Append `el` to `parent` and keep it. */
  add(parent: HTMLElement, el: E): E {
    parent.append(el);
    this.all.push(el);
    return el;
  }

  /** Make, append and keep. */
  put(parent: HTMLElement, attrs: Record<string, string>, props: Partial<E> = {}): E {
    return this.add(parent, this.make(attrs, props));
  }

  /** Make an element in a new titled cell (of extra class `cls`) appended to `parent`. */
  inCell(
    parent: HTMLElement,
    title: string,
    attrs: Record<string, string>,
    props: Partial<E> = {},
    cls = '',
  ): E {
    const box = cell(title, cls);
    parent.append(box);
    return this.put(box, attrs, props);
  }

  /** Wait until every element is `settled` (at most `timeoutMs`). */
  settle(settled: (el: E) => boolean, timeoutMs = 30000): Promise<void> {
    return until(() => this.all.every(settled), timeoutMs);
  }
}
