#!/usr/bin/env node
// Screenshots of every ready-made dashboard of the production demo, taken when every widget has
// fired fin-render (the portal sets body[data-painted]): one full page per dashboard, and with
// --widgets one picture per widget, for looking at what an analyst sees at the demo's sizes.
// Usage: node scripts/shot-dashboards.mjs [outDir=screenshots] [--widgets] [--locale en-US] [--width 1400] [--only high-value]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildDemo, serveDemo } from './start.mjs';

const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : d;
};
const outDir = args[0] && !args[0].startsWith('--') ? args[0] : 'screenshots';
const locale = opt('--locale', 'zh-CN');
mkdirSync(outDir, { recursive: true });
await buildDemo();
const server = await serveDemo(0);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  // --only a,b: just those dashboards.
  const all = ['collection', 'retention', 'fund-flow', 'high-value', 'model-monitoring'];
  const only = opt('--only', '');
  for (const d of only ? all.filter((x) => only.split(',').includes(x)) : all) {
    const page = await browser.newPage({ viewport: { width: Number(opt('--width', 1400)), height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}?d=${d}&locale=${locale}`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-painted]', { timeout: 120000 });
    const ms = await page.evaluate(() => globalThis.document.body.dataset.painted);
    const file = join(outDir, `${d}-${locale}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`${file}: every widget painted ${ms} ms after opening${errors.length ? `; errors: ${errors.join(' | ')}` : ''}`);
    if (args.includes('--widgets')) {
      for (const cell of await page.locator('fin-dashboard [data-widget]').all()) {
        const id = await cell.getAttribute('data-widget');
        await cell.screenshot({ path: join(outDir, `${d}-${id}-${locale}.png`) });
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
