#!/usr/bin/env node
// Every Storybook story as a test in Chromium: serve storybook-static, visit each story from
// index.json, wait until its Finboard elements settle (not loading), then require no console
// errors, no page errors, no HTTP errors and zero axe violations. Writes { passed, failed,
// skipped, failures } to --json.
//
// Speed: the preview is loaded once and each story is rendered in it through Storybook's own
// channel (`setCurrentStory`, as the manager does when you click a story), so the preview bundle,
// axe and the sample engines (stories/support.ts caches one per size) are loaded once per run
// instead of once per story. A story that does not render that way (no channel, timeout) is
// retried on a fresh page load. The a11y addon's own axe pass is switched off for the run
// (`a11y.manual`): this script runs axe itself.
//
//   node scripts/test-stories.mjs [--grep <regexp over story ids>] [--json out.json] [--dir storybook-static]
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium } from './ensure-chromium.mjs';

const argOf = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : null);
const root = argOf('--dir') ?? 'storybook-static';
const jsonOut = argOf('--json');
const filter = argOf('--grep') ? new RegExp(argOf('--grep')) : null;
if (!existsSync(join(root, 'index.json'))) {
  console.error(`${root}/index.json missing: run \`npm run build-storybook\` first`);
  process.exit(1);
}
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.csv': 'text/csv', '.gz': 'application/gzip' };
const server = http.createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(root, path);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8'));
const stories = Object.values(index.entries).filter((e) => e.type === 'story' && (!filter || filter.test(e.id)));
const browser = await chromium.launch({
  executablePath: findChromium(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const axe = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });

// Errors of the story being tested (handlers stay on for the whole run: one page).
let errors = [];
page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
// 404s are reported with their URL (a missing favicon is not a story error).
page.on('response', (r) => r.status() >= 400 && !/favicon/.test(r.url()) && errors.push(`HTTP ${r.status()} ${r.url()}`));
page.on('pageerror', (e) => errors.push(String(e)));

/** Fresh page load of one story; the preview (and axe) ready for in-page navigation afterwards. */
async function loadFresh(id) {
  await page.goto(`${base}/iframe.html?id=${encodeURIComponent(id)}&viewMode=story&globals=a11y.manual:!true`, { waitUntil: 'load' });
  await page.waitForFunction(() => !!window.__STORYBOOK_ADDONS_CHANNEL__ && !!window.__STORYBOOK_PREVIEW__, null, { timeout: 30000 });
  await page.addScriptTag({ content: axe });
}

/** Render a story in the loaded preview; resolves with null when rendered, or an error text. */
function renderInPage(id) {
  return page.evaluate(
    (storyId) =>
      new Promise((resolve) => {
        const ch = window.__STORYBOOK_ADDONS_CHANNEL__;
        const events = {
          storyRendered: () => null,
          storyErrored: (e) => `story errored: ${e?.title ?? ''} ${e?.description ?? ''}`.trim(),
          storyThrewException: (e) => `story threw: ${e?.message ?? e}`,
          storyMissing: () => 'story missing',
          playFunctionThrewException: (e) => `play function threw: ${e?.message ?? e}`,
        };
        const handlers = {};
        const finish = (v) => {
          clearTimeout(timer);
          for (const [name, h] of Object.entries(handlers)) ch.off(name, h);
          resolve(v);
        };
        for (const [name, f] of Object.entries(events)) {
          handlers[name] = (arg) => {
            // storyRendered carries the id; the others concern the story being rendered.
            if (name === 'storyRendered' && arg !== storyId) return;
            finish(f(arg));
          };
          ch.on(name, handlers[name]);
        }
        const timer = setTimeout(() => finish('timeout'), 30000);
        ch.emit('setCurrentStory', { storyId, viewMode: 'story' });
      }),
    id,
  );
}

/** Wait until every Finboard element (shadow roots included) has left its loading state. */
async function settle() {
  await page.waitForFunction(
    () => {
      const root = document.querySelector('#storybook-root');
      if (!root || root.childElementCount === 0) return false;
      const all = [];
      const walk = (n) => {
        for (const el of n.querySelectorAll('*')) {
          if (el.localName.startsWith('fin-')) all.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(root);
      // Settled: not loading, a dashboard's data loaded, and a Vega plot (if any) mounted.
      return all.every(
        (el) =>
          el.dataset.story === 'loading' ||
          ((el.renderState === undefined || el.renderState !== 'loading') &&
            (el.isReady === undefined || el.isReady) &&
            !(el.shadowRoot?.querySelector('[part=chart] .plot')?.childElementCount === 0)),
      );
    },
    null,
    { timeout: 30000, polling: 100 },
  );
  // Let the last frame (d3 transitions, Vega's render) land.
  await page.waitForTimeout(200);
}

let loaded = false;
for (const s of stories) {
  errors = [];
  const t0 = Date.now();
  let violations = [];
  try {
    let fresh = !loaded;
    if (loaded) {
      const problem = await renderInPage(s.id);
      if (problem === 'timeout') fresh = true;
      else if (problem) throw new Error(problem);
    }
    if (fresh) {
      // First story, or in-page navigation stalled: a fresh load (earlier errors belong to that attempt).
      errors = [];
      await loadFresh(s.id);
      loaded = true;
    }
    await settle();
    // An element whose define module was not loaded (or was tree-shaken away) renders nothing and
    // would otherwise pass.
    const undefinedTags = await page.evaluate(() => {
      const tags = new Set();
      for (const el of document.querySelectorAll('#storybook-root *')) if (el.localName.startsWith('fin-') && !customElements.get(el.localName)) tags.add(el.localName);
      return [...tags];
    });
    for (const t of undefinedTags) errors.push(`<${t}> is not defined (its define module was not loaded)`);
    violations = await page.evaluate(async () => {
      const r = await window.axe.run(document.querySelector('#storybook-root'), { resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.id}: ${v.nodes.length} node(s) — ${v.help} [${v.nodes[0]?.target?.join(' ')}]`);
    });
  } catch (e) {
    errors.push(`did not render: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    loaded = false;
  }
  const ok = errors.length === 0 && violations.length === 0;
  if (ok) counts.passed++;
  else {
    counts.failed++;
    counts.failures.push(`${s.id}: ${[...errors, ...violations.map((v) => `axe ${v}`)][0] ?? 'failed'}`.slice(0, 300));
  }
  console.log(`${ok ? '✓' : '✗'} ${s.id} (${Date.now() - t0} ms)`);
  for (const e of errors) console.log(`    error: ${e}`);
  for (const v of violations) console.log(`    axe: ${v}`);
}
await browser.close();
server.close();
console.log(`\nstories: ${counts.passed} passed, ${counts.failed} failed`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(counts));
process.exit(counts.failed ? 1 : 0);
