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
 *    `node-server` has no page: after install and a strict type check, its `check` script runs
 *    the installed `finboard` command and `finboard/server` (servers on 127.0.0.1, stopped).
 * 4. Per app: install time, JS gzip (loaded by the page / emitted in total), time to painted; one
 *    copy of Lit; a closing `N passed, N failed` line.
 */

/*
 * Parts: consumers/tarball.mjs (1, 2), consumers/serve.mjs and consumers/page.mjs with the in-page
 * probe consumers/probe.mjs (3), consumers/util.mjs (bookkeeping); this file: the apps, one app's
 * install/typecheck/build/serve, the summary.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPage } from './consumers/page.mjs';
import { closeBrowser, serveDev, serveStatic } from './consumers/serve.mjs';
import { BUDGET, checkReadmeSnippets, checkTarball, pack } from './consumers/tarball.mjs';
import {
  check,
  dirBytes,
  figures,
  gz,
  jsFiles,
  kB,
  MB,
  results,
  run,
  secs,
  tail,
} from './consumers/util.mjs';

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
  // No page: a Node server (README "Serve your warehouse"), run by its own `check` script.
  { name: 'node-server', label: 'Node: npx finboard serve + finboard/server', node: true, pages: [] },
];
const only = opt('--apps', '').split(',').filter(Boolean);
const apps = only.length ? APPS.filter((a) => only.includes(a.name)) : APPS;
if (only.length && apps.length !== only.length) {
  console.error(`unknown app in --apps ${only.join(',')}; apps: ${APPS.map((a) => a.name).join(', ')}`);
  process.exit(2);
}
const NO_DEV = flag('--no-dev');
const PAGE_OPTS = { root: ROOT, paintTimeout: PAINT_TIMEOUT };

// --work DIR --reuse: iterate on the suite (keep DIR; reuse its tarball and installed node_modules).
const REUSE = flag('--reuse');
const WORK = opt('--work', null)
  ? resolve(opt('--work'))
  : mkdtempSync(join(tmpdir(), 'finboard-consumers-'));
mkdirSync(WORK, { recursive: true });
const TARBALL = join(WORK, 'finboard.tgz');

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

  if (app.node) {
    // The strict type check and the server checks one after the other (the checks start servers).
    const tsc = await run('npm', ['run', '--silent', 'typecheck'], { cwd: dir });
    fig.typecheck = tsc.ms;
    check(
      `${app.name}: strict typecheck (NodeNext, no DOM lib, skipLibCheck false)`,
      tsc.code === 0,
      tsc.code === 0 ? secs(tsc.ms) : tail(tsc.out, 15),
    );
    const serve = await run('npm', ['run', '--silent', 'check'], { cwd: dir, timeout: 180_000 });
    for (const line of serve.out.split('\n').filter((l) => /^(ok {2}|FAIL) /.test(l)))
      check(`${app.name}: ${line.slice(5)}`, line.startsWith('ok'));
    check(
      `${app.name}: check script`,
      serve.code === 0,
      serve.code === 0 ? secs(serve.ms) : tail(serve.out, 15),
    );
    return;
  }

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
      const f = await checkPage(server.url, p, app, 'prod', dist, PAGE_OPTS);
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
        const f = await checkPage(dev.url, p, app, 'dev', null, PAGE_OPTS);
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
  const info = await pack({ root: ROOT, work: WORK, tarball: TARBALL, reuse: REUSE, noBuild: NO_BUILD });
  if (info) {
    if (!info.reused) tarFigs = checkTarball(ROOT, info);
    checkReadmeSnippets(ROOT, FIXTURES);
    for (const app of apps) await testApp(app);
  }
} catch (e) {
  check('consumer suite ran to the end', false, String(e.stack ?? e));
} finally {
  await closeBrowser();
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
