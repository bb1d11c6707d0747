#!/usr/bin/env node
// `npm start`: the demo portal as a production build on the seeded sample, served from Node.
//
// Builds demo/ into demo-dist/ with vite.demo.config.ts (minified chunks, the worker bundled, the
// sample pre-generated as Arrow files) when the build is missing or older than the sources, then
// serves it on 127.0.0.1 with a small static server: hashed assets are cached for good, pages are
// revalidated. `npm run dev` keeps Vite's dev server with hot reload.
//
// Options: --port <n> (or PORT), --rebuild (build even when up to date), --no-open-hint.
import { createServer } from 'node:http';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'demo-dist');
const argv = process.argv.slice(2);
const opt = (name, d) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : d;
};

/** Newest modification time under `dir` (files only), 0 when it does not exist. */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const f of readdirSync(dir, { recursive: true })) {
    const p = join(dir, String(f));
    const s = statSync(p);
    if (s.isFile() && s.mtimeMs > t) t = s.mtimeMs;
  }
  return t;
}

/** Build demo-dist/ unless it is newer than every source it is made of. */
export async function buildDemo({ force = false, quiet = false } = {}) {
  const stamp = join(DIST, 'index.html');
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const sources = Math.max(
    ...['src', 'components', 'demo', 'bench/lib'].map((d) => newest(join(ROOT, d))),
    ...['vite.demo.config.ts', 'package-lock.json'].map((f) => (existsSync(join(ROOT, f)) ? statSync(join(ROOT, f)).mtimeMs : 0)),
  );
  if (!force && built > sources) return false;
  const t0 = Date.now();
  if (!quiet) console.log('  Building the demo (production build, sample pre-generated as Arrow)…');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.demo.config.ts'), logLevel: quiet ? 'silent' : 'warn' });
  if (!quiet) console.log(`  Built demo-dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return true;
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.arrow': 'application/vnd.apache.arrow.stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.csv': 'text/csv; charset=utf-8',
};

/**
 * Static files of demo-dist/ (and the vendored datasets/ the real-data page fetches), GET/HEAD
 * only, never outside those folders. Content-hashed files (assets/, data/) are immutable.
 */
export function serveDemo(port = 0, host = '127.0.0.1') {
  const roots = [
    ['/datasets/', join(ROOT, 'datasets')],
    ['/', DIST],
  ];
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return void res.writeHead(400).end();
    }
    const [prefix, base] = roots.find(([p]) => pathname.startsWith(p));
    let path = normalize(join(base, pathname.slice(prefix.length)));
    if (path !== base && !path.startsWith(base + sep)) return void res.writeHead(404).end();
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path) || !statSync(path).isFile()) return void res.writeHead(404).end();
    const immutable = /[\\/](assets|data)[\\/]/.test(path.slice(DIST.length)) && path.startsWith(DIST);
    res.writeHead(200, {
      'content-type': MIME[extname(path)] ?? 'application/octet-stream',
      'content-length': statSync(path).size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(path).pipe(res);
  });
  return new Promise((r, j) => {
    server.once('error', j);
    server.listen(port, host, () => r(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDemo({ force: argv.includes('--rebuild') });
  const host = process.env.HOST || '127.0.0.1';
  const wanted = Number(opt('port', process.env.PORT || 5173));
  let server;
  try {
    server = await serveDemo(wanted, host);
  } catch {
    server = await serveDemo(0, host); // port taken: any free one
  }
  const url = `http://${host}:${server.address().port}/`;
  console.log(
    `\n  Finboard demo: ${url}\n  (collection, retention, fund-flow and model-monitoring dashboards on the seeded sample data; production build — \`npm run dev\` for hot reload; Ctrl+C to stop)\n`,
  );
}
