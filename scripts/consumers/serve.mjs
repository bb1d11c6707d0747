/**
 * Serving apps and the browser: a static server for a production build and `vite` dev, both on
 * 127.0.0.1 at ephemeral ports and closed after, and one shared headless Chromium.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as netServer } from 'node:net';
import { extname, join } from 'node:path';
import { tail } from './util.mjs';

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
export function serveStatic(dir) {
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
export async function serveDev(appDir) {
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
/** The shared Chromium (installed by scripts/ensure-chromium.mjs when missing). */
export async function getBrowser(root) {
  const { ensureChromium } = await import(join(root, 'scripts', 'ensure-chromium.mjs'));
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

/** Closes the shared Chromium if it was started. */
export async function closeBrowser() {
  await browser?.close();
  browser = null;
}
