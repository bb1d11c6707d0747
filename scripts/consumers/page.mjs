/* global document, window, MouseEvent -- the page callbacks run in Chromium */
/**
 * One page held to the contract: it paints within a bounded wait (probe.mjs), the heatmap's
 * selection reaches the host, the engine runs in a worker where asked, 0 console/page errors and
 * failed requests, and a worker-only page's own scripts carry no in-page engine.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { probe } from './probe.mjs';
import { getBrowser } from './serve.mjs';
import { check, gz, jsFiles, kB, secs } from './util.mjs';

/** Strings found only in the in-page engine (src/engine/local.ts, src/data/read/json.ts). */
const ENGINE_MARKERS = [
  'blocks code evaluation that the in-page engine needs',
  'JSON input must be an array of rows or an object of columns',
];

/**
 * Open one page and hold it to the contract. `distDir` (production) maps loaded scripts to files
 * for sizes and the worker-only check. Returns figures for the summary.
 */
export async function checkPage(base, page_, app, mode, distDir, { root, paintTimeout }) {
  const label = `${app.name} ${mode} ${page_.path}`;
  const b = await getBrowser(root);
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
        { polling: 100, timeout: paintTimeout },
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
        : `after ${secs(paintTimeout)}: missing ${JSON.stringify(report.missing)}; not painted: ${(report.notPainted ?? []).slice(0, 8).join(' | ')}; ${(report.dashboards ?? []).join('; ')}`,
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
