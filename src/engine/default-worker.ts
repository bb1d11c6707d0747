import type { WorkerLike } from './clients.js';
import { FinError } from './errors.js';

type WorkerCtor = new (url: string | URL, opts: { type: 'module'; name?: string }) => WorkerLike;

/**
 * Start the engine worker that ships with the package.
 *
 * The literal `new Worker(new URL('./worker-entry.ts', import.meta.url), { type: 'module' })` is the
 * pattern Vite, webpack 5, Rollup plugins and esbuild plugins recognise: a host that bundles
 * finboard emits the worker file and rewrites this URL, in dev and in production, with no
 * configuration. The packed build rewrites `.ts` to `.js` here (scripts/finish-build.mjs); the file
 * it names, dist/src/engine/worker-entry.js, is self-contained (no imports), so it also works when a
 * bundler copies it alone or inlines it as a data: URL.
 */
export function startDefaultWorker(): { worker: WorkerLike; url: string } {
  if (typeof Worker === 'undefined') throw new FinError('worker_failed', 'Web Workers are not available in this environment');
  // Only for messages; the Worker does not expose its URL. Not `import.meta.url`: webpack replaces
  // every other use of it with the build machine's file path (file:///…/node_modules/…), baked
  // into the host's production bundle.
  const url = "finboard's worker-entry.js, as emitted by your bundler";
  try {
    // Keep this expression literal: bundlers match `new Worker(new URL('…', import.meta.url))`.
    const worker = new Worker(new URL('./worker-entry.ts', import.meta.url), { type: 'module', name: 'finboard-engine' });
    return { worker: worker as unknown as WorkerLike, url };
  } catch (e) {
    throw workerStartError(url, e);
  }
}

/** Start a worker from a URL the host gives (string or URL), with the same typed errors. */
export function startWorkerAt(url: string | URL): { worker: WorkerLike; url: string } {
  const Ctor = (globalThis as unknown as { Worker?: WorkerCtor }).Worker;
  if (!Ctor) throw new FinError('worker_failed', 'Web Workers are not available in this environment');
  const href = String(url);
  try {
    return { worker: new Ctor(url, { type: 'module', name: 'finboard-engine' }), url: href };
  } catch (e) {
    throw workerStartError(href, e);
  }
}

function workerStartError(url: string, e: unknown): FinError {
  const cause = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  // Under Trusted Types or a CSP without worker-src for this origin the constructor throws.
  return new FinError(
    'worker_failed',
    `The engine worker ${url} could not be started (${cause}). If a Trusted Types or CSP policy refused it, create the Worker with your policy and pass it as \`worker\`.`,
    { url, cause },
  );
}
