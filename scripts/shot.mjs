#!/usr/bin/env node
// Screenshot pages of the dev server in Debian Chromium, for looking at what we build.
// Usage: node scripts/shot.mjs <path-or-url> <out.png> [--wait <selector>] [--width 1280] [--height 900] [--full]
// Starts a Vite dev server on a free port unless the argument is an absolute URL.
import { createServer } from 'vite';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : d;
};
const [target, out] = args;
if (!target || !out) {
  console.error('usage: node scripts/shot.mjs <path-or-url> <out.png> [--wait selector] [--width n] [--height n] [--full]');
  process.exit(2);
}
let server;
let url = target;
if (!/^https?:/.test(target)) {
  server = await createServer({ server: { port: 0, host: '127.0.0.1', hmr: false, watch: null }, logLevel: 'error' });
  await server.listen();
  const addr = server.httpServer.address();
  url = `http://127.0.0.1:${addr.port}${target.startsWith('/') ? '' : '/'}${target}`;
}
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: Number(opt('--width', 1280)), height: Number(opt('--height', 900)) } });
const errors = [];
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto(url, { waitUntil: 'load' });
const wait = opt('--wait', null);
if (wait) await page.waitForSelector(wait, { timeout: 60000 });
await page.waitForTimeout(Number(opt('--settle', 1500)));
await page.screenshot({ path: out, fullPage: args.includes('--full') });
await browser.close();
await server?.close();
if (errors.length) console.log('console errors:\n' + errors.join('\n'));
console.log(`saved ${out}`);
