/**
 * A real finboard/server handler inside the browser tests' dev server, at `/__finboard` (same
 * origin as the test page): the hardened handler over the memory backend with the seeded sample
 * (300 customers), so Chromium talks to the shipped server code — batches, NDJSON lines as they
 * end, gzip — instead of a fake `fetch`. `GET /__finboard/stats` answers what it saw: HTTP
 * requests, calls (from the audit callback), requests that accepted gzip.
 *
 * The server sources are bundled with esbuild on first use (node_modules stay external) into
 * node_modules/.cache/finboard-wtr/, then imported.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'node_modules', '.cache', 'finboard-wtr', 'server.mjs');

const ENTRY = `
import { createHandler, memoryBackend } from './src/server.ts';
import { generateSample } from './src/data/sample.ts';
export async function start(stats) {
  const backend = memoryBackend();
  const sample = generateSample({ customers: 300 });
  for (const [name, cols] of Object.entries(sample)) await backend.load(name, cols);
  return createHandler({ backend, audit: () => { stats.calls++; } });
}
`;

let started = null;
const stats = { requests: 0, calls: 0, gzip: 0 };

async function handler() {
  started ??= (async () => {
    mkdirSync(dirname(OUT), { recursive: true });
    await build({
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts', sourcefile: 'wtr-server-entry.ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: OUT,
      logLevel: 'error',
    });
    const mod = await import(`${pathToFileURL(OUT).href}?t=${Date.now()}`);
    return mod.start(stats);
  })();
  return started;
}

/** Koa middleware for web-test-runner's dev server. */
export function finboardServer() {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/__finboard')) return next();
    if (ctx.path === '/__finboard/stats') {
      ctx.body = stats;
      return undefined;
    }
    const h = await handler();
    stats.requests++;
    if (/gzip/.test(ctx.get('accept-encoding'))) stats.gzip++;
    ctx.respond = false;
    await new Promise((done) => {
      ctx.res.on('close', done);
      h(ctx.req, ctx.res);
    });
    return undefined;
  };
}
