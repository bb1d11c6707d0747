/**
 * `npm start` as a newcomer meets it: the production demo (scripts/start.mjs: demo-dist/ built by
 * vite.demo.config.ts, served by the Node static server) opened in Chromium, and the time from
 * navigation to every widget of the collection dashboard painted — each one's `fin-render` — on
 * the first visit (fresh profile, empty HTTP cache) and the second (same profile, cached assets).
 *
 * Used by bench/run.mjs; alone: `node bench/lib/start-visit.mjs [--visits 3]` prints the figures.
 */
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** In the page, before any script: note when each widget first fires fin-render. */
function probe() {
  const seen = new Set();
  window.__paint = { first: null, all: null, widgets: null, states: {} };
  document.addEventListener(
    'fin-render',
    (e) => {
      const el = e.composedPath()[0];
      if (seen.has(el)) return;
      seen.add(el);
      const now = performance.now();
      window.__paint.first ??= now;
      window.__paint.states[el.parentElement?.dataset?.widget ?? el.localName] = e.detail.state;
      const dash = document.querySelector('fin-dashboard');
      const n = dash?.spec?.widgets?.length ?? Infinity;
      window.__paint.widgets = n;
      if (seen.size >= n) window.__paint.all = now;
    },
    true,
  );
}

/**
 * Measure `visits` navigations in one browser context (the first one cold).
 * Returns `{ url, visits: [{ ms, first, states }] }`; ms = navigation start → last widget painted.
 */
export async function measureStartVisit({ chromium, executablePath, visits = 2, timeoutMs = 60000, query = '' } = {}) {
  const { buildDemo, serveDemo } = await import(resolve(ROOT, 'scripts/start.mjs'));
  await buildDemo({ quiet: true });
  const server = await serveDemo(0, '127.0.0.1');
  const url = `http://127.0.0.1:${server.address().port}/${query}`;
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const out = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(probe);
    for (let v = 0; v < visits; v++) {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
      try {
        await page.waitForFunction(() => window.__paint && window.__paint.all !== null, null, { timeout: timeoutMs, polling: 50 });
      } catch {
        const got = await page.evaluate(() => window.__paint).catch(() => null);
        throw new Error(`not every widget painted within ${timeoutMs / 1000} s (${JSON.stringify(got)}; ${errors[0] ?? 'no page error'})`);
      }
      const p = await page.evaluate(() => window.__paint);
      out.push({ ms: p.all, first: p.first, states: p.states, widgets: p.widgets });
      await page.close();
    }
    await context.close();
  } finally {
    await browser.close().catch(() => {});
    server.closeAllConnections?.();
    server.close();
  }
  return { url, visits: out };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--visits');
  const { chromium } = await import('playwright-core');
  const r = await measureStartVisit({
    chromium,
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    visits: i > 0 ? Number(process.argv[i + 1]) : 2,
  });
  for (const [k, v] of r.visits.entries())
    console.log(`visit ${k + 1}: every widget painted at ${Math.round(v.ms)} ms (first at ${Math.round(v.first)} ms; ${v.widgets} widgets: ${Object.entries(v.states).map(([w, s]) => `${w}=${s}`).join(' ')})`);
}
