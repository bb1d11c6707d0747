#!/usr/bin/env node
// Every Storybook story as a test in Chromium: serve storybook-static, visit each story from
// index.json, wait until its Finboard elements settle (not loading), then require no console
// errors, no page errors and zero axe violations. Writes { passed, failed, skipped } to --json.
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium } from './ensure-chromium.mjs';

const root = 'storybook-static';
const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : null;
const filter = process.argv.includes('--grep') ? new RegExp(process.argv[process.argv.indexOf('--grep') + 1]) : null;
if (!existsSync(join(root, 'index.json'))) {
  console.error('storybook-static/index.json missing: run `npm run build-storybook` first');
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
const counts = { passed: 0, failed: 0, skipped: 0 };
const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
for (const s of stories) {
  const errors = [];
  // 404s are reported with their URL (a missing favicon is not a story error).
  const onConsole = (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text());
  const onResponse = (r) => r.status() >= 400 && !/favicon/.test(r.url()) && errors.push(`HTTP ${r.status()} ${r.url()}`);
  page.on('response', onResponse);
  const onError = (e) => errors.push(String(e));
  page.on('console', onConsole);
  page.on('pageerror', onError);
  const t0 = Date.now();
  let violations = [];
  try {
    await page.goto(`${base}/iframe.html?id=${encodeURIComponent(s.id)}&viewMode=story`, { waitUntil: 'load' });
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
        return all.every((el) => el.renderState === undefined || (el.renderState !== 'loading' || el.dataset.story === 'loading'));
      },
      null,
      { timeout: 30000 },
    );
    await page.waitForTimeout(400);
    await page.addScriptTag({ content: axe });
    violations = await page.evaluate(async () => {
      const r = await window.axe.run(document.querySelector('#storybook-root'), { resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.id}: ${v.nodes.length} node(s) — ${v.help} [${v.nodes[0]?.target?.join(' ')}]`);
    });
  } catch (e) {
    errors.push(`did not render: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
  page.off('console', onConsole);
  page.off('pageerror', onError);
  page.off('response', onResponse);
  const ok = errors.length === 0 && violations.length === 0;
  if (ok) counts.passed++;
  else counts.failed++;
  console.log(`${ok ? '✓' : '✗'} ${s.id} (${Date.now() - t0} ms)`);
  for (const e of errors) console.log(`    error: ${e}`);
  for (const v of violations) console.log(`    axe: ${v}`);
}
await browser.close();
server.close();
console.log(`\nstories: ${counts.passed} passed, ${counts.failed} failed`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(counts));
process.exit(counts.failed ? 1 : 0);
