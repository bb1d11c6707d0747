#!/usr/bin/env node
/**
 * The consumer suite (issue 12): the PACKED package, installed into fresh apps, built for
 * production, served and opened in Chromium — what a portal team does, not our source tree.
 *
 *   npm run test:consumers                      # npm pack (prepack builds), every app
 *   node scripts/test-consumers.mjs --no-build  # pack the dist/ that is there (CI: after `npm run build`)
 *   node scripts/test-consumers.mjs --apps vite-ts,react19 --keep
 *
 * 1. `npm pack` into a temp dir, then the tarball is checked: budget, no .ts sources but .d.ts,
 *    every custom-elements.json path, every `exports` target, LICENSE/README/docs present, every
 *    element entry covered by `sideEffects`, README links into docs/ shipped.
 * 2. Each README snippet that names a fixture file (`<!-- consumer: app/file -->` above its fence)
 *    must appear in that file verbatim, so the apps prove the README in dev and in production.
 * 3. For each app of test/consumers/: copied to the temp dir, `npm install` (the tarball + the app's
 *    pinned deps, from the npm cache when it has them), strict `tsc --noEmit`, production build,
 *    served from dist/ on 127.0.0.1 (ephemeral port, closed after) and opened in Chromium (one
 *    browser, one page at a time). Every page must PAINT within a bounded wait: KPI value text,
 *    Vega marks / canvas pixels with non-zero size, table rows; the heatmap's selection reaches the
 *    host's handler; the collection dashboard's widgets all paint; the worker page runs a worker.
 *    0 console errors, 0 page errors, 0 failed requests (>= 400). Vite apps marked `dev` are also
 *    run under `vite` dev. The worker-only page's own scripts must not carry the in-page engine.
 * 4. Per app: install time, JS gzip (loaded by the page / emitted in total), time to painted; one
 *    copy of Lit; a closing `N passed, N failed` line.
 */
/* global document, window, MouseEvent -- probe() and the page callbacks run in Chromium */
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'consumers');

// ------------------------------------------------------------------------------------------------
// Options and the apps

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, d) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : d;
};
const NO_BUILD = flag('--no-build');
const KEEP = flag('--keep');
const PAINT_TIMEOUT = Number(opt('--timeout', 90_000));

/** Tarball budget (measured 2026-12-05: 1.27 MB packed, 5.19 MB unpacked, 367 files). */
const BUDGET = { packed: 1.5e6, unpacked: 6e6 };
/** Strings found only in the in-page engine (src/engine/local.ts, src/data/read/json.ts). */
const ENGINE_MARKERS = [
  'blocks code evaluation that the in-page engine needs',
  'JSON input must be an array of rows or an object of columns',
];

/**
 * Each app: its pages and what each must show. `expect` names:
 * kpi (a fin-kpi-card), heatmap (#heatmap, clicked: #selection must show the clause the host got),
 * dashboard (a fin-dashboard, every widget painted), worker (everything in #worker painted, a Worker
 * running, #worker-result filled). `workerOnly`: the page's own scripts must not hold the engine.
 */
const APPS = [
  {
    name: 'vite-ts',
    label: 'Vite + TypeScript',
    dev: true,
    pages: [
      { path: '/', expect: ['kpi', 'heatmap', 'dashboard'] },
      { path: '/worker.html', expect: ['worker'], workerOnly: true },
    ],
  },
  {
    name: 'react18',
    label: 'Vite + React 18',
    dev: true,
    pages: [{ path: '/', expect: ['kpi', 'heatmap', 'dashboard', 'worker'] }],
  },
  {
    name: 'react19',
    label: 'Vite + React 19',
    dev: true,
    pages: [{ path: '/', expect: ['kpi', 'heatmap', 'dashboard', 'worker'] }],
  },
  {
    name: 'vue',
    label: 'Vite + Vue 3',
    dev: true,
    pages: [{ path: '/', expect: ['kpi', 'heatmap', 'dashboard', 'worker'] }],
  },
  {
    name: 'webpack',
    label: 'webpack 5',
    dev: false,
    pages: [{ path: '/', expect: ['kpi', 'heatmap', 'dashboard', 'worker'] }],
  },
];
const only = opt('--apps', '').split(',').filter(Boolean);
const apps = only.length ? APPS.filter((a) => only.includes(a.name)) : APPS;
if (only.length && apps.length !== only.length) {
  console.error(`unknown app in --apps ${only.join(',')}; apps: ${APPS.map((a) => a.name).join(', ')}`);
  process.exit(2);
}
const NO_DEV = flag('--no-dev');

// ------------------------------------------------------------------------------------------------
// Bookkeeping

const results = []; // { name, ok, detail }
const figures = []; // per app
function check(name, ok, detail = '') {
  results.push({ name, ok: !!ok, detail });
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  return !!ok;
}
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const kB = (b) => `${(b / 1024).toFixed(1)} kB`;
const MB = (b) => `${(b / 1e6).toFixed(2)} MB`;

/** Run a command; resolves { code, out, ms } (stdout+stderr, last 8 kB kept). */
function run(cmd, args, { cwd, env, quiet = true, timeout = 600_000, max = 64_000 } = {}) {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (d) => {
      out += d;
      if (out.length > max) out = out.slice(-max / 2);
      if (!quiet) process.stdout.write(d);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? 1, out, ms: Date.now() - t0 });
    });
  });
}
const tail = (s, n = 25) => s.trim().split('\n').slice(-n).join('\n');

// ------------------------------------------------------------------------------------------------
// 1. Pack and check the tarball

// --work DIR --reuse: iterate on the suite (keep DIR; reuse its tarball and installed node_modules).
const REUSE = flag('--reuse');
const WORK = opt('--work', null)
  ? resolve(opt('--work'))
  : mkdtempSync(join(tmpdir(), 'finboard-consumers-'));
mkdirSync(WORK, { recursive: true });
const TARBALL = join(WORK, 'finboard.tgz');

async function pack() {
  if (REUSE && existsSync(TARBALL)) {
    console.log(`\n==> reusing ${TARBALL} (no tarball checks)`);
    return { reused: true };
  }
  console.log(
    `\n==> npm pack${NO_BUILD ? ' --ignore-scripts (dist/ as built)' : ' (prepack builds)'} into ${WORK}`,
  );
  if (NO_BUILD && !existsSync(join(ROOT, 'dist', 'src', 'index.js'))) {
    check('dist/ built before --no-build', false, 'run npm run build first');
    return null;
  }
  const args = ['pack', '--json', '--pack-destination', WORK, ...(NO_BUILD ? ['--ignore-scripts'] : [])];
  // `npm pack --json` lists every file (~600 now, > 64 kB): keep all of it to parse.
  const r = await run('npm', args, { cwd: ROOT, max: 64_000_000 });
  const start = r.out.indexOf('[\n');
  let info = null;
  try {
    // The array closes at a line start; npm's notices (mixed into the output) may hold "[...]".
    info = JSON.parse(r.out.slice(start, r.out.indexOf('\n]', start) + 2))[0];
  } catch {
    /* reported below */
  }
  if (!check('npm pack', r.code === 0 && info, r.code === 0 ? '' : tail(r.out))) return null;
  spawnSync('mv', [join(WORK, info.filename), TARBALL]);
  console.log(
    `    ${info.filename}: ${MB(info.size)} packed, ${MB(info.unpackedSize)} unpacked, ${info.entryCount} files (${secs(r.ms)})`,
  );
  return info;
}

/** Minimal glob (`*`, `**`) → RegExp for package.json sideEffects entries. */
function globRe(glob) {
  const g = glob.replace(/^\.\//, '');
  const body = g
    .split('**/')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('(?:.*/)?');
  return new RegExp(`^${g.includes('/') ? '' : '(?:.*/)?'}${body}$`);
}

function checkTarball(info) {
  console.log('\n==> tarball');
  const files = new Map(info.files.map((f) => [f.path, f.size]));
  const has = (p) => files.has(p.replace(/^\.\//, ''));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const mapBytes = info.files.filter((f) => f.path.endsWith('.map')).reduce((s, f) => s + f.size, 0);
  const workerBytes = files.get('dist/src/engine/worker-entry.js') ?? 0;
  const figs = {
    packed: info.size,
    unpacked: info.unpackedSize,
    files: info.entryCount,
    maps: mapBytes,
    worker: workerBytes,
  };
  check(
    `tarball within budget (≤ ${MB(BUDGET.packed)} packed, ≤ ${MB(BUDGET.unpacked)} unpacked)`,
    info.size <= BUDGET.packed && info.unpackedSize <= BUDGET.unpacked,
    `${MB(info.size)} packed, ${MB(info.unpackedSize)} unpacked, ${info.entryCount} files; source maps ${MB(mapBytes)}, worker ${kB(workerBytes)}`,
  );
  const ts = info.files
    .map((f) => f.path)
    .filter((p) => /\.(c|m)?tsx?$/.test(p) && !/\.d\.(c|m)?ts$/.test(p));
  check('no TypeScript sources but .d.ts', ts.length === 0, ts.slice(0, 5).join(', '));

  const cem = JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8'));
  const cemPaths = new Set();
  const walk = (o) => {
    if (Array.isArray(o)) return o.forEach(walk);
    if (!o || typeof o !== 'object') return;
    if (typeof o.path === 'string') cemPaths.add(o.path);
    if (typeof o.module === 'string' && !o.package) cemPaths.add(o.module);
    Object.values(o).forEach(walk);
  };
  walk(cem);
  const missingCem = [...cemPaths].filter((p) => !has(p.replace(/^\//, '')));
  check(
    `custom-elements.json: all ${cemPaths.size} paths in the tarball`,
    has('custom-elements.json') && missingCem.length === 0,
    missingCem.slice(0, 5).join(', '),
  );

  const targets = [];
  const walkExports = (v) => {
    if (typeof v === 'string') targets.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walkExports);
  };
  walkExports(pkg.exports);
  for (const k of ['main', 'types', 'module']) if (typeof pkg[k] === 'string') targets.push(pkg[k]);
  const missingExports = targets.filter((t) => !has(t));
  check(
    `every exports/main/types target exists (${targets.length})`,
    missingExports.length === 0,
    missingExports.join(', '),
  );

  const se = Array.isArray(pkg.sideEffects) ? pkg.sideEffects.map(globRe) : [];
  const registering = Object.entries(pkg.exports)
    .filter(([k]) => k.startsWith('./components'))
    .map(([, v]) => (typeof v === 'string' ? v : (v.default ?? v.import)))
    .concat([pkg.exports['./worker']?.default].filter(Boolean));
  const uncovered = registering.filter((t) => !se.some((re) => re.test(t.replace(/^\.\//, ''))));
  check(
    `sideEffects covers every element entry and the worker (${registering.length})`,
    pkg.sideEffects !== false && uncovered.length === 0,
    uncovered.join(', '),
  );

  const docs = [
    'LICENSE',
    'README.md',
    'docs/embedding.md',
    'docs/dashboard-spec.md',
    'docs/metrics.md',
    'docs/data.md',
  ];
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const linked = [...readme.matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]);
  const embedding = readFileSync(join(ROOT, 'docs', 'embedding.md'), 'utf8');
  linked.push(...[...embedding.matchAll(/\]\(([a-z-]+\.md)[)#]/g)].map((m) => `docs/${m[1]}`));
  const missingDocs = [...new Set([...docs, ...linked])].filter((p) => !has(p));
  check(
    'LICENSE, README and the docs README links to are in the tarball',
    missingDocs.length === 0,
    missingDocs.join(', '),
  );
  return figs;
}

// ------------------------------------------------------------------------------------------------
// 2. README snippets are fixture code

function checkReadmeSnippets() {
  console.log('\n==> README and docs/embedding.md snippets in fixture apps');
  const re = /<!--\s*consumer:\s*([^\s]+)\s*-->\s*\n```[a-z]*\n([\s\S]*?)\n```/g;
  // Compared line by line without indentation or blank lines (a fixture may nest the snippet).
  const norm = (s) =>
    s
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join('\n');
  for (const doc of ['README.md', 'docs/embedding.md']) {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    let n = 0;
    for (const [, file, code] of text.matchAll(re)) {
      n++;
      const path = join(FIXTURES, file);
      const body = existsSync(path) ? readFileSync(path, 'utf8') : '';
      const found = norm(body).includes(norm(code));
      check(
        `${doc} snippet ${n} is part of test/consumers/${file}`,
        found,
        found ? '' : body ? 'not found verbatim' : 'file missing',
      );
    }
    check(`${doc} names its snippets' fixture apps`, n >= 4, `${n} snippets tagged`);
  }
}

// ------------------------------------------------------------------------------------------------
// 3. Serving, the browser, the page probe

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A static server for `dir` on 127.0.0.1 (ephemeral port). Resolves { url, close }. */
function serveStatic(dir) {
  return new Promise((ok) => {
    const server = createServer((req, res) => {
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = join(dir, p);
      if (!file.startsWith(dir)) {
        res.writeHead(403).end();
        return;
      }
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(readFileSync(file));
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      ok({ url: `http://127.0.0.1:${port}`, close: () => new Promise((c) => server.close(() => c())) });
      server.closeAllConnections?.();
    });
  });
}

const freePort = () =>
  new Promise((ok) => {
    const s = netServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

/** `vite` dev for an app dir. Resolves { url, close } once it listens. */
async function serveDev(appDir) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(appDir, 'node_modules', 'vite', 'bin', 'vite.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    {
      cwd: appDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // With CI set, picocolors colours Vite's output even into a pipe: the port in its URL line is
      // wrapped in bold codes and the match below failed in CI only. Plain text, and codes stripped.
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    },
  );
  let out = '';
  const ready = await new Promise((ok) => {
    const t = setTimeout(() => ok(false), 60_000);
    const on = (d) => {
      // eslint-disable-next-line no-control-regex -- ANSI colour codes are what is stripped
      out += String(d).replace(/\x1b\[[0-9;]*m/g, '');
      if (out.includes(`127.0.0.1:${port}`)) {
        clearTimeout(t);
        ok(true);
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('close', () => ok(false));
  });
  const close = () =>
    new Promise((c) => {
      if (child.exitCode !== null) return c();
      child.on('close', () => c());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  if (!ready) {
    await close();
    throw new Error(`vite dev did not start: ${tail(out)}`);
  }
  return { url: `http://127.0.0.1:${port}`, close, log: () => out };
}

let browser = null;
async function getBrowser() {
  if (browser) return browser;
  const { ensureChromium } = await import(join(ROOT, 'scripts', 'ensure-chromium.mjs'));
  const executablePath = ensureChromium();
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return browser;
}

/**
 * Runs IN THE PAGE. Every fin-* element with a renderState (light DOM, and inside dashboards'
 * shadow roots) and whether it painted. Returns the report, with `done` when `expect` is met.
 */
function probe(expect) {
  const area = (n) => {
    const r = n.getBoundingClientRect();
    return r.width * r.height;
  };
  const extent = (n) => {
    const r = n.getBoundingClientRect();
    return r.width > 0 || r.height > 0;
  };
  const painted = (el) => {
    const st = el.renderState;
    const sr = el.shadowRoot;
    if (st !== 'ok' && st !== 'partial') return { ok: false, why: `state ${st}` };
    if (!sr) return { ok: false, why: 'no shadow root' };
    if (area(el) === 0) return { ok: false, why: 'element has no size' };
    if (el.localName === 'fin-kpi-card') {
      const v = sr.querySelector('[part="value"]');
      const text = (v?.textContent ?? '').trim();
      const ok = !!v && text !== '' && !/^[—–-]+$/.test(text) && area(v) > 0;
      return { ok, why: ok ? '' : `value "${text}"`, marks: 1, text };
    }
    if (el.view === 'table' || el.localName === 'fin-table') {
      const rows = [...sr.querySelectorAll('tbody tr')].filter((r) => area(r) > 0).length;
      return { ok: rows > 0, why: rows ? '' : 'no table rows with size', marks: rows };
    }
    let marks = 0;
    for (const c of sr.querySelectorAll('canvas')) {
      if (!c.width || !c.height || area(c) === 0) continue;
      try {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4 * 13) if (d[i] > 0) marks++;
      } catch {
        /* not a 2d canvas */
      }
    }
    marks += [...sr.querySelectorAll('svg .role-mark > *')].filter(extent).length;
    if (!marks)
      marks = [
        ...sr.querySelectorAll(
          '.plot svg path, .plot svg rect, [part~="chart"] svg path, [part~="chart"] svg rect',
        ),
      ].filter((n) => area(n) > 0).length;
    return { ok: marks > 0, why: marks ? '' : 'no marks with size', marks };
  };
  const els = [];
  const dashboards = [];
  const visit = (root, inWorker, dash) => {
    for (const el of root.querySelectorAll('*')) {
      if (!el.localName.startsWith('fin-')) continue;
      const w = inWorker || el.id === 'worker' || !!el.closest?.('#worker');
      if ('renderState' in el) {
        const heat = el.id === 'heatmap' || !!el.closest?.('#heatmap');
        els.push({
          tag: el.localName,
          id: el.id || el.getAttribute('widget-id') || '',
          worker: w,
          heat,
          dash,
          ...painted(el),
        });
      } else if (el.localName === 'fin-dashboard') {
        const widgets = el.shadowRoot ? el.shadowRoot.querySelectorAll('[data-widget]').length : 0;
        const err = el.shadowRoot?.querySelector('[part="error"]')?.textContent?.trim() ?? '';
        const d = { id: el.id || `dashboard${dashboards.length + 1}`, worker: w, widgets, err };
        dashboards.push(d);
        if (el.shadowRoot) visit(el.shadowRoot, w, d.id);
      } else if (el.shadowRoot) visit(el.shadowRoot, w, dash);
    }
  };
  visit(document, false, '');
  for (const d of dashboards) {
    const mine = els.filter((e) => e.dash === d.id);
    d.painted = mine.filter((e) => e.ok).length;
    d.elements = mine.length;
    d.ok = d.widgets > 0 && d.elements >= d.widgets && d.painted === d.elements && !d.err;
  }
  const top = els.filter((e) => !e.dash);
  const need = {
    kpi: () => top.some((e) => e.tag === 'fin-kpi-card' && !e.worker && e.ok),
    // #heatmap is the fin-heatmap itself or a host element around it.
    heatmap: () => top.some((e) => e.tag === 'fin-heatmap' && e.heat && e.ok),
    dashboard: () => dashboards.some((d) => !d.worker && d.ok),
    worker: () => {
      const w = els.filter((e) => e.worker);
      const result = document.querySelector('#worker-result');
      return (
        w.length > 0 &&
        w.every((e) => e.ok) &&
        dashboards.filter((d) => d.worker).every((d) => d.ok) &&
        (!result || /\d/.test(result.textContent ?? ''))
      );
    },
  };
  const missing = expect.filter((k) => !need[k]());
  const notPainted = els.filter((e) => !e.ok);
  return {
    done: missing.length === 0 && notPainted.length === 0,
    at: performance.now(),
    missing,
    notPainted: notPainted.map(
      (e) => `${e.dash ? `${e.dash} › ` : ''}${e.tag}${e.id ? `#${e.id}` : ''}: ${e.why}`,
    ),
    elements: els.length,
    marks: els.reduce((s, e) => s + (e.marks ?? 0), 0),
    dashboards: dashboards.map(
      (d) =>
        `${d.id}${d.worker ? ' (worker)' : ''}: ${d.painted}/${d.widgets} widgets painted${d.err ? `, error ${d.err.slice(0, 120)}` : ''}`,
    ),
    workerResult: document.querySelector('#worker-result')?.textContent ?? null,
  };
}

const gz = (file) => gzipSync(readFileSync(file)).length;
/** Bytes of a package directory, its own nested node_modules excluded (listed on their own). */
function dirBytes(d) {
  let n = 0;
  const walk = (p) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const q = join(p, e.name);
      if (e.isDirectory()) walk(q);
      else if (e.isFile()) n += statSync(q).size;
    }
  };
  try {
    walk(d);
  } catch {
    /* a missing optional package */
  }
  return n;
}
function jsFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.m?js$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Open one page and hold it to the contract. `distDir` (production) maps loaded scripts to files
 * for sizes and the worker-only check. Returns figures for the summary.
 */
async function checkPage(base, page_, app, mode, distDir) {
  const label = `${app.name} ${mode} ${page_.path}`;
  const b = await getBrowser();
  const context = await b.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
  await context.addInitScript(`window.__finProbe = ${probe.toString()};`);
  const page = await context.newPage();
  const problems = [];
  const scripts = new Map(); // url → { worker }
  page.on('console', (m) => {
    if (m.type() === 'error')
      problems.push(
        `console error: ${m.text().slice(0, 300)}${m.location()?.url ? ` (${m.location().url})` : ''}`,
      );
  });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e.message ?? e).slice(0, 300)}`));
  context.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
    const type = r.request().resourceType();
    if (type === 'script' || /\.m?js(\?|$)/.test(r.url())) scripts.set(r.url(), type);
  });
  context.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  const fig = { painted: null };
  try {
    await page.goto(base + page_.path, { waitUntil: 'domcontentloaded', timeout: 30_000 });
    let report = null;
    const h = await page
      .waitForFunction(
        (e) => {
          const r = window.__finProbe(e);
          return r.done ? r : false;
        },
        page_.expect,
        { polling: 100, timeout: PAINT_TIMEOUT },
      )
      .catch(() => null);
    if (h) report = await h.jsonValue();
    if (!report)
      report = await page
        .evaluate((e) => window.__finProbe(e), page_.expect)
        .catch((e) => ({ done: false, missing: [`probe failed: ${e.message}`] }));
    fig.painted = report.done ? report.at : null;
    check(
      `${label}: paints (${page_.expect.join(', ')})`,
      report.done,
      report.done
        ? `${report.elements} elements, ${report.marks} marks in ${secs(report.at)}; ${(report.dashboards ?? []).join('; ')}${report.workerResult ? `; worker query: ${report.workerResult}` : ''}`
        : `after ${secs(PAINT_TIMEOUT)}: missing ${JSON.stringify(report.missing)}; not painted: ${(report.notPainted ?? []).slice(0, 8).join(' | ')}; ${(report.dashboards ?? []).join('; ')}`,
    );

    if (page_.expect.includes('heatmap') && report.done) {
      const cell = page.locator('#heatmap .plot svg .role-mark.cells_marks > path').first();
      let detail = '';
      const received = () =>
        page.waitForFunction(
          () => /"field"/.test(document.querySelector('#selection')?.textContent ?? ''),
          null,
          { timeout: 15_000 },
        );
      try {
        // A real mouse click at the cell; on a busy machine the page may still be laying out the
        // dashboards (Playwright waits for the cell to be stable), so after 15 s the same click is
        // dispatched at the cell's centre, as the element tests do.
        await cell.click({ timeout: 15_000 }).catch(() =>
          cell.evaluate((n) => {
            const r = n.getBoundingClientRect();
            const at = {
              bubbles: true,
              composed: true,
              clientX: r.x + r.width / 2,
              clientY: r.y + r.height / 2,
            };
            n.dispatchEvent(new MouseEvent('click', at));
          }),
        );
        await received();
      } catch (e) {
        detail = String(e.message).split('\n')[0];
      }
      const sel = await page.evaluate(() => document.querySelector('#selection')?.textContent ?? '');
      let clause = null;
      try {
        clause = JSON.parse(sel);
      } catch {
        /* reported */
      }
      check(
        `${label}: heatmap click → host handler got fin-select with a clause`,
        clause && typeof clause.field === 'string' && 'value' in clause,
        sel || detail || 'nothing received',
      );
    }

    if (page_.expect.includes('worker')) {
      const workers = page.workers().map((w) => w.url());
      check(
        `${label}: the engine runs in a Web Worker`,
        workers.length > 0,
        workers.map((u) => u.replace(base, '')).join(', ') || 'no worker started',
      );
    }

    await page.waitForTimeout(300); // late errors (a failing re-query, a worker message)
    check(
      `${label}: 0 console errors, 0 page errors, 0 failed requests`,
      problems.length === 0,
      problems.slice(0, 6).join(' | '),
    );

    if (distDir) {
      const workerUrls = new Set(page.workers().map((w) => w.url()));
      const toFile = (u) => {
        const p = decodeURIComponent(new URL(u).pathname);
        const f = join(distDir, p);
        return f.startsWith(distDir) && existsSync(f) && statSync(f).isFile() ? f : null;
      };
      let pageJs = 0;
      const pageFiles = [];
      const workerFiles = [];
      for (const [u] of scripts) {
        if (!u.startsWith(base)) continue;
        const f = toFile(u);
        if (!f) continue;
        if (workerUrls.has(u)) workerFiles.push(f);
        else {
          pageFiles.push(f);
          pageJs += gz(f);
        }
      }
      fig.pageJs = pageJs;
      if (page_.workerOnly) {
        const withEngine = (f) => {
          const s = readFileSync(f, 'utf8');
          return ENGINE_MARKERS.some((m) => s.includes(m));
        };
        const leaking = pageFiles.filter(withEngine).map((f) => relative(distDir, f));
        const inWorker = workerFiles.filter(withEngine).map((f) => relative(distDir, f));
        // Statically: the HTML's scripts and modulepreloads (what the page fetches up front).
        const html = readFileSync(join(distDir, page_.path === '/' ? 'index.html' : page_.path), 'utf8');
        const upfront = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+\.m?js)"/g)].map(
          (m) => join(distDir, m[1]),
        );
        const upfrontEngine = upfront
          .filter((f) => existsSync(f) && withEngine(f))
          .map((f) => relative(distDir, f));
        const emitted = jsFiles(distDir)
          .filter(withEngine)
          .map((f) => relative(distDir, f));
        check(
          `${label}: worker-only page loads no in-page engine (marker only in the worker asset)`,
          leaking.length === 0 && upfrontEngine.length === 0 && inWorker.length > 0,
          `page scripts ${pageFiles.length} (${kB(pageJs)} gz) without it; worker ${inWorker.join(', ') || 'NONE with the marker'}` +
            (leaking.length || upfrontEngine.length
              ? `; LEAKS into ${[...leaking, ...upfrontEngine].join(', ')}`
              : '') +
            `; emitted with the marker (lazy chunks the page never fetches count too): ${emitted.join(', ')}`,
        );
      }
    }
  } catch (e) {
    check(`${label}: page ran`, false, String(e.message ?? e).split('\n')[0]);
  } finally {
    await context.close();
  }
  return fig;
}

// ------------------------------------------------------------------------------------------------
// 4. One app

async function testApp(app) {
  console.log(`\n==> ${app.label} (test/consumers/${app.name})`);
  const dir = join(WORK, app.name);
  cpSync(join(FIXTURES, app.name), dir, {
    recursive: true,
    filter: (s) => !/[/\\](node_modules|dist)$/.test(s),
  });
  const fig = { name: app.name, label: app.label };
  figures.push(fig);

  const reuse = REUSE && existsSync(join(dir, 'node_modules'));
  const inst = reuse
    ? { code: 0, ms: 0, out: '' }
    : await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: dir,
      });
  fig.install = reuse ? null : inst.ms;
  if (
    !check(
      `${app.name}: npm install (tarball + pinned deps)`,
      inst.code === 0,
      inst.code === 0 ? secs(inst.ms) : tail(inst.out),
    )
  )
    return;
  // What the app's production dependencies install (for vite-ts: finboard alone).
  const prod = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: dir, encoding: 'utf8' });
  const prodDirs = [...new Set(prod.stdout.split('\n').filter((l) => l.includes(`node_modules${sep}`)))];
  fig.prodPackages = prodDirs.length;
  fig.prodBytes = prodDirs.reduce((s, d) => s + dirBytes(d), 0);
  const ls = spawnSync('npm', ['ls', 'lit', '--all', '--parseable'], { cwd: dir, encoding: 'utf8' });
  const litDirs = new Set(ls.stdout.split('\n').filter((l) => /node_modules[/\\]lit$/.test(l)));
  fig.litInstalled = litDirs.size;

  // The type check and the production build side by side (tsc is single-threaded).
  const [tsc, build] = await Promise.all([
    run('npm', ['run', '--silent', 'typecheck'], { cwd: dir }),
    run('npm', ['run', '--silent', 'build'], { cwd: dir }),
  ]);
  fig.typecheck = tsc.ms;
  check(
    `${app.name}: strict typecheck (strict, skipLibCheck false)`,
    tsc.code === 0,
    tsc.code === 0 ? secs(tsc.ms) : tail(tsc.out, 15),
  );
  fig.build = build.ms;
  const dist = join(dir, 'dist');
  if (
    !check(
      `${app.name}: production build`,
      build.code === 0 && existsSync(dist),
      build.code === 0 ? secs(build.ms) : tail(build.out),
    )
  )
    return;

  const js = jsFiles(dist);
  fig.totalJs = js.reduce((s, f) => s + gz(f), 0);
  fig.jsFiles = js.length;
  const litCopies = js.reduce(
    (s, f) => s + (readFileSync(f, 'utf8').match(/litHtmlVersions/g) ?? []).length,
    0,
  );
  fig.litCopies = litCopies;
  const leaks = js.filter((f) => {
    const t = readFileSync(f, 'utf8');
    return t.includes(WORK) || t.includes('file:///');
  });
  check(
    `${app.name}: no build-machine paths (file:///…) in the bundle`,
    leaks.length === 0,
    leaks.map((f) => relative(dist, f)).join(', '),
  );
  check(
    `${app.name}: one copy of Lit in the bundle`,
    litCopies === 1,
    `lit-html version marker ×${litCopies}; lit installed ×${litDirs.size}`,
  );

  const server = await serveStatic(dist);
  try {
    for (const p of app.pages) {
      const f = await checkPage(server.url, p, app, 'prod', dist);
      if (p === app.pages[0]) {
        fig.painted = f.painted;
        fig.pageJs = f.pageJs;
      }
      if (p.workerOnly) fig.workerPageJs = f.pageJs;
    }
  } finally {
    await server.close();
  }

  if (app.dev && !NO_DEV) {
    let dev = null;
    try {
      dev = await serveDev(dir);
      for (const p of app.pages) {
        const f = await checkPage(dev.url, p, app, 'dev', null);
        if (p === app.pages[0]) fig.devPainted = f.painted;
      }
    } catch (e) {
      check(`${app.name}: vite dev`, false, String(e.message ?? e).split('\n')[0]);
    } finally {
      await dev?.close();
    }
  }
}

// ------------------------------------------------------------------------------------------------

const t0 = Date.now();
let tarFigs = null;
try {
  const info = await pack();
  if (info) {
    if (!info.reused) tarFigs = checkTarball(info);
    checkReadmeSnippets();
    for (const app of apps) await testApp(app);
  }
} catch (e) {
  check('consumer suite ran to the end', false, String(e.stack ?? e));
} finally {
  await browser?.close();
  if (!KEEP && !opt('--work', null)) rmSync(WORK, { recursive: true, force: true });
  else console.log(`\nkept ${WORK}`);
}

console.log('\n==> figures');
if (tarFigs)
  console.log(
    `tarball: ${MB(tarFigs.packed)} packed (budget ${MB(BUDGET.packed)}), ${MB(tarFigs.unpacked)} unpacked (budget ${MB(BUDGET.unpacked)}), ${tarFigs.files} files, source maps ${MB(tarFigs.maps)}, worker ${kB(tarFigs.worker)}`,
  );
const pad = (s, n) => String(s).padEnd(n);
for (const f of figures)
  if (f.prodPackages != null)
    console.log(
      `${f.label}: production dependencies install ${f.prodPackages} packages, ${MB(f.prodBytes)}; lit installed ×${f.litInstalled}, lit-html in the bundle ×${f.litCopies ?? '—'}; ${f.jsFiles ?? '—'} JS files emitted`,
    );
console.log(
  pad('app', 20) +
    pad('install', 10) +
    pad('typecheck', 11) +
    pad('build', 9) +
    pad('JS gz (page)', 14) +
    pad('JS gz (all)', 13) +
    pad('painted prod', 14) +
    pad('painted dev', 13) +
    'worker page JS gz',
);
for (const f of figures) {
  const t = (ms) => (ms == null ? '—' : secs(ms));
  const k = (b) => (b == null ? '—' : kB(b));
  console.log(
    pad(f.label, 20) +
      pad(t(f.install), 10) +
      pad(t(f.typecheck), 11) +
      pad(t(f.build), 9) +
      pad(k(f.pageJs), 14) +
      pad(k(f.totalJs), 13) +
      pad(t(f.painted), 14) +
      pad(t(f.devPainted), 13) +
      k(f.workerPageJs),
  );
}
const failed = results.filter((r) => !r.ok);
console.log(`\nconsumer suite: ${secs(Date.now() - t0)}`);
if (failed.length) {
  console.log('failed:');
  for (const r of failed) console.log(`  - ${r.name}${r.detail ? ` — ${r.detail.split('\n')[0]}` : ''}`);
}
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
