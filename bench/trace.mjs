#!/usr/bin/env node
/**
 * Chromium traces of two bench pages, read as thread time (CPU of the thread), which holds on a
 * loaded machine where wall clocks do not:
 *
 *   node bench/trace.mjs editor        the composer's drag (bench/browser/editor.ts): per frame inside
 *                                      the page's `drag` measures, the main thread's animation-frame
 *                                      callbacks, style, layout, pre-paint, paint, layerize and commit,
 *                                      elements restyled, and rasterisation on the raster threads
 *   node bench/trace.mjs main-thread   the 1M-row worker page (bench/browser/main-thread.ts): every
 *                                      main-thread task over 50 ms of wall time with its thread time
 *                                      and its longest parts (is it work, or waiting for a core?)
 *
 * Options: --reps N (editor drags, default 5)  --rows N (main-thread, default 1000000)
 *          --out FILE (keep the raw trace, for chrome://tracing or Perfetto)
 * Bundles its page into bench/.out/trace/ and serves the repository on a free loopback port.
 */
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', '.out', 'trace');
const argv = process.argv.slice(2);
const opt = (name, def) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : def);
const PAGE = argv[0];
if (PAGE !== 'editor' && PAGE !== 'main-thread') {
  console.error('usage: node bench/trace.mjs editor|main-thread [--reps N] [--rows N] [--out FILE]');
  process.exit(2);
}
const CHROME = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (p) => p && existsSync(p),
);
if (!CHROME) {
  console.error('no Chromium (set CHROME_PATH)');
  process.exit(2);
}

mkdirSync(OUT, { recursive: true });
const bundle = (entry, out) =>
  build({ entryPoints: [join(ROOT, entry)], outfile: join(OUT, out), bundle: true, format: 'esm', target: 'es2022', platform: 'browser', logLevel: 'silent', tsconfig: join(ROOT, 'tsconfig.json') });
const html = (script, body) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>finboard trace</title></head><body>${body}<script type="module" src="./${script}"></script></body></html>`;
let query;
if (PAGE === 'editor') {
  await bundle('bench/browser/editor.ts', 'editor.js');
  writeFileSync(join(OUT, 'editor.html'), html('editor.js', '<div id="stage"></div>'));
  query = `?reps=${opt('reps', '5')}`;
} else {
  await bundle('src/engine/worker-entry.ts', 'worker.js');
  await bundle('bench/browser/main-thread.ts', 'main-thread.js');
  writeFileSync(join(OUT, 'main-thread.html'), html('main-thread.js', '<button id="filter">filter</button><main id="widgets"></main>'));
  query = `?rows=${opt('rows', '1000000')}&interactions=20`;
}

const server = createServer((req, res) => {
  const path = normalize(join(ROOT, decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)));
  if (req.method !== 'GET' || !path.startsWith(ROOT + sep) || !existsSync(path) || !statSync(path).isFile()) {
    res.writeHead(404).end();
    return;
  }
  const type = { '.js': 'text/javascript', '.html': 'text/html' }[extname(path)] ?? 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(readFileSync(path));
});
await new Promise((r) => server.listen(0, '127.0.0.1', () => r()));
const browser = await chromium.launch({
  executablePath: CHROME,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let events;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => m.text().startsWith('INFO ') && console.log(m.text()));
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'blink.user_timing', 'v8.execute'],
  });
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/.out/trace/${PAGE}.html${query}`, { timeout: 60000 });
  await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: 60000 });
  const figures = await page.evaluate(() => window.benchResult);
  const buf = await browser.stopTracing();
  if (opt('out')) writeFileSync(opt('out'), buf);
  events = JSON.parse(buf.toString()).traceEvents;
  for (const f of figures) if (f.median !== undefined) console.log(`page figure ${f.name} ${f.median.toFixed(1)} ${f.unit ?? ''}`);
} finally {
  await browser.close();
  server.close();
}
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

const threads = new Map();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
events = events.filter((e) => e.ts > 0).sort((a, b) => a.ts - b.ts);
const ms = (us) => (us / 1000).toFixed(2);
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
const mainOf = (pid) => [...threads].find(([k, v]) => k.startsWith(`${pid}:`) && v === 'CrRendererMain')?.[0];

if (PAGE === 'editor') {
  const spans = [];
  const open = new Map();
  for (const e of events) {
    if (e.name !== 'drag' || !e.cat?.includes('blink.user_timing')) continue;
    const k = e.id2?.local ?? e.id;
    if (e.ph === 'b') open.set(k, e.ts);
    else if (e.ph === 'e') spans.push({ pid: e.pid, a: open.get(k), b: e.ts });
  }
  if (!spans.length) throw new Error('no `drag` measure in the trace');
  const main = mainOf(spans[0].pid);
  const inSpan = (ts) => spans.some((s) => ts >= s.a && ts <= s.b);
  const starts = events.filter((e) => `${e.pid}:${e.tid}` === main && e.name === 'BeginMainThreadFrame' && inSpan(e.ts)).map((e) => e.ts);
  const frames = starts.map((a) => ({ a, by: {}, restyled: 0 }));
  const PHASES = ['FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit'];
  let raster = 0;
  let fi = 0;
  for (const e of events) {
    if (e.ph !== 'X' || !inSpan(e.ts)) continue;
    if (e.name === 'RasterTask') raster += e.tdur ?? 0;
    if (`${e.pid}:${e.tid}` !== main || !PHASES.includes(e.name)) continue;
    while (fi < frames.length - 1 && e.ts >= frames[fi + 1].a) fi++;
    const f = frames[fi];
    if (!f || e.ts < f.a) continue;
    f.by[e.name] = (f.by[e.name] ?? 0) + (e.tdur ?? 0);
    if (e.name === 'UpdateLayoutTree') f.restyled += e.args?.elementCount ?? 0;
  }
  console.log(`${spans.length} drags, ${frames.length} frames; thread time per frame in ms (median / p90 / max):`);
  for (const k of PHASES) {
    const xs = frames.map((f) => f.by[k] ?? 0);
    console.log(`  ${k.padEnd(20)} ${ms(q(xs, 0.5))} / ${ms(q(xs, 0.9))} / ${ms(q(xs, 1))}`);
  }
  const total = frames.map((f) => PHASES.reduce((s, k) => s + (f.by[k] ?? 0), 0));
  console.log(`  ${'frame work'.padEnd(20)} ${ms(q(total, 0.5))} / ${ms(q(total, 0.9))} / ${ms(q(total, 1))}  (the drop frames included)`);
  const restyled = frames.map((f) => f.restyled).filter((n) => n > 0);
  console.log(`elements restyled in frames that restyle: median ${q(restyled, 0.5)}, max ${q(restyled, 1)} (${restyled.length} frames)`);
  console.log(`rasterisation (raster threads): ${ms(raster / frames.length)} ms per frame`);
} else {
  const mains = [...threads].filter(([, v]) => v === 'CrRendererMain').map(([k]) => k);
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && mains.includes(`${e.pid}:${e.tid}`));
  const cpu = tasks.reduce((s, e) => s + (e.tdur ?? 0), 0);
  console.log(`main thread: ${tasks.length} tasks, ${ms(cpu)} ms of thread time in all; tasks over 50 ms of wall time:`);
  const t0 = tasks[0]?.ts ?? 0;
  for (const t of tasks.filter((e) => e.dur > 50000)) {
    const parts = events
      .filter((e) => e.ph === 'X' && e.pid === t.pid && e.tid === t.tid && e.ts >= t.ts && e.ts < t.ts + t.dur && e !== t && e.name !== 'ThreadControllerImpl::RunTask')
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 3)
      .map((e) => `${e.name} ${ms(e.dur ?? 0)}/${ms(e.tdur ?? 0)}`);
    console.log(`  at ${ms(t.ts - t0)} ms: wall ${ms(t.dur)}, thread ${ms(t.tdur ?? 0)} ms; longest parts (wall/thread): ${parts.join(', ') || '—'}`);
  }
}
