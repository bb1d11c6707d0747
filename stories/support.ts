import type { StoryContext } from '@storybook/web-components-vite';
import { createEngine } from '../src/engine/create.js';
import type { FinEngine } from '../src/engine/create.js';

const engines = new Map<number, Promise<FinEngine>>();

/** One shared in-page engine per sample size, loaded once per Storybook session. */
export function sampleEngine(customers = 600): Promise<FinEngine> {
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

/** Storybook loader giving each story `loaded.engine` (sample size from the `rows` arg when present). */
export const engineLoader = async (ctx: StoryContext): Promise<{ engine: FinEngine }> => {
  const customers = Number((ctx.args as { customers?: number }).customers ?? 600);
  return { engine: await sampleEngine(customers) };
};

/** Theme and locale from the toolbar globals, for elements' `theme` / `locale`. */
export function look(ctx: StoryContext): { theme: 'light' | 'dark'; locale: string } {
  return { theme: (ctx.globals['theme'] ?? 'light') as 'light' | 'dark', locale: (ctx.globals['locale'] ?? 'zh-CN') as string };
}
