import type { ArgTypes, StoryContext } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { sampleOptionsForLoanMonths } from '../src/data/sample.js';
import { createEngine } from '../src/engine/create.js';
import type { FinEngine } from '../src/engine/create.js';
import type { Engine } from '../src/engine/engine-types.js';
import type { Basis, LocalText, MetricResult, ResultQuality } from '../src/engine/types.js';

/**
 * Sample sizes offered by the dataset-size control: customers of the seeded sample, labelled by
 * the loan-month rows they produce (about 13 per customer at the default options).
 */
const SIZE_ROWS = [1_000, 5_000, 10_000, 50_000, 100_000];
const customersFor = (rows: number): number => sampleOptionsForLoanMonths(rows).customers ?? 1;
export const SIZE_OPTIONS = SIZE_ROWS.map(customersFor);
/** Default sample (≈5k loan-month rows): small, so a story loads in well under a second. */
export const DEFAULT_CUSTOMERS = SIZE_OPTIONS[1]!;

/** The `customers` arg: a dataset-size control from 1k to 100k loan-month rows. */
export const sizeArgTypes: Partial<ArgTypes> = {
  customers: {
    name: 'customers',
    description: 'Sample size (story only): customers of the seeded sample, shown as the loan-month rows they produce.',
    control: {
      type: 'select',
      labels: Object.fromEntries(SIZE_OPTIONS.map((c, i) => [c, `${(SIZE_ROWS[i]! / 1000).toLocaleString('en-US')}k loan-month rows (${c} customers)`])),
    },
    options: SIZE_OPTIONS,
    table: { category: 'story' },
  },
};

const engines = new Map<number, Promise<FinEngine>>();

/** One shared in-page engine per sample size, loaded once per Storybook session. */
export function sampleEngine(customers = DEFAULT_CUSTOMERS): Promise<FinEngine> {
  let p = engines.get(customers);
  if (!p) {
    p = (async () => {
      const e = createEngine();
      await e.loadSample({ customers });
      return e;
    })();
    engines.set(customers, p);
  }
  return p;
}

/** Storybook loader giving each story `loaded.engine` (sample size from the `customers` arg when present). */
export const engineLoader = async (ctx: StoryContext): Promise<{ engine: FinEngine }> => {
  const customers = Number((ctx.args as { customers?: number }).customers ?? DEFAULT_CUSTOMERS);
  return { engine: await sampleEngine(customers) };
};

/** Theme and locale from the toolbar globals, for elements' `theme` / `locale`. */
export function look(ctx: StoryContext): { theme: 'light' | 'dark'; locale: 'zh-CN' | 'en-US' } {
  return { theme: (ctx.globals['theme'] ?? 'light') as 'light' | 'dark', locale: (ctx.globals['locale'] ?? 'zh-CN') as 'zh-CN' | 'en-US' };
}

/** Pick a story text by the toolbar locale. */
export function tr(ctx: StoryContext, zh: string, en: string): string {
  return look(ctx).locale === 'zh-CN' ? zh : en;
}

/** An engine that never answers: the element stays in its loading state (`data-story="loading"` tells the test so). */
export function neverEngine(): Engine {
  return { placement: 'thread', query: () => new Promise(() => {}) } as unknown as Engine;
}

/** An engine whose queries fail with a typed error, as a worker or remote engine would report it. */
export function failingEngine(code = 'csp_eval_blocked', message = "This page's Content-Security-Policy blocks code evaluation that the in-page engine needs. Run the engine in a worker or remotely."): Engine {
  return {
    placement: 'thread',
    query: () => Promise.reject(Object.assign(new Error(message), { code })),
  } as unknown as Engine;
}

/** A result that is not a metric result: the element shows its error state. */
export const BROKEN_RESULT = { nonsense: true } as unknown as MetricResult;

/** The `width` arg: a card width in px; 0 for the full width of the canvas. */
export const widthArgTypes: Partial<ArgTypes> = {
  width: {
    description: 'Container width in px (story only); 0 = full width.',
    control: { type: 'range', min: 0, max: 1200, step: 20 },
    table: { category: 'story' },
  },
};

/** Wrap an element in a box of the story's `width` (0 = full width). */
export function box(width: unknown, content: TemplateResult): TemplateResult {
  const w = Number(width) || 0;
  return html`<div style=${w > 0 ? `width:${w}px;max-width:100%` : 'width:100%'}>${content}</div>`;
}

// --- hand-made results -----------------------------------------------------------------------------

export const L = (zh: string, en: string): LocalText => ({ 'zh-CN': zh, 'en-US': en });

/** A basis (口径) for a hand-made result. */
export function basis(metric: string, title: LocalText, formula: LocalText, more: Partial<Basis> = {}): Basis {
  return { metric, title, formula, options: {}, filters: [], exclusions: [], ...more };
}

/** Result quality: `rows` considered, `excluded` by reason, optional warnings. */
export function quality(rows: number, excluded: Record<string, number> = {}, warnings: LocalText[] = []): ResultQuality {
  const n = Object.values(excluded).reduce((a, b) => a + b, 0);
  return { rows, used: rows - n, excluded, warnings };
}

/** An empty result with a localised reason. */
export function emptyResult(b: Basis, why: LocalText = L('所选范围内没有数据', 'No data in the selected range')): MetricResult {
  return { data: [], basis: b, quality: quality(0), empty: why };
}

/** Partial-data variant of a result: some rows excluded, and a warning. */
export function partial(r: MetricResult, excluded: Record<string, number>, warning?: LocalText): MetricResult {
  const rows = r.quality.rows + Object.values(excluded).reduce((a, b) => a + b, 0);
  return { ...r, quality: quality(rows, excluded, warning ? [warning] : []) };
}

/** A small seeded PRNG (stories must look the same on every run). */
export function rng(seed = 7): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** `n` consecutive months ending at `end` (`YYYY-MM`). */
export function months(n: number, end = '2026-10'): string[] {
  const [y, m] = end.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const t = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** Usage snippet for a docs description (markdown code block). */
export function usage(code: string): string {
  return '```html\n' + code.trim() + '\n```';
}

/** The engine a story gives its element: a story's own (`parameters.finEngine`), else the sample loader's. */
export function engineOf(ctx: StoryContext): Engine | null {
  return (ctx.parameters['finEngine'] as Engine | undefined) ?? (ctx.loaded['engine'] as Engine | undefined) ?? null;
}

/** `data-story` marker: `loading` for stories that stay loading on purpose (the story test waits for every other element to settle). */
export function marker(ctx: StoryContext): string | undefined {
  return ctx.parameters['finLoading'] ? 'loading' : undefined;
}

/** Story annotations: an element kept in its loading state by an engine that never answers. */
export const loadingStory = { parameters: { finEngine: neverEngine(), finLoading: true } };
/** Story annotations: the engine rejects every query with a typed error. */
export const engineErrorStory = { parameters: { finEngine: failingEngine() } };

/** Control label of the empty option ('' = the element's or metric's default). */
export const DEFAULT_LABEL = { '': '(default)' };
