import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { sampleToArrow } from './bench/lib/arrow.js';
import { generateSample, sampleOptionsForLoanMonths } from './src/data/sample.js';

/**
 * The production build of the demo portal (`npm start` serves it; `npm run dev` keeps Vite's dev
 * server with hot reload): every page under demo/ built into demo-dist/, and the seeded sample of
 * the portal's pre-set sizes generated here once, as Arrow IPC files the engine reads zero-copy.
 * On a first visit the worker then loads bytes instead of generating 100k loan-months itself.
 *
 *   npx vite build -c vite.demo.config.ts
 */

const r = (p: string): string => resolve(import.meta.dirname, p);
/** The portal's sizes served pre-generated (1M stays generated in the worker: ~100 MB of Arrow). */
export const PREBUILT_SIZES = [10000, 100000];
/** The portal's seed (demo/main.ts). */
export const DEMO_SEED = 20240601;

/** Every HTML page under demo/, as build inputs. */
function pages(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(r('demo'), { recursive: true }).map(String)) {
    if (f.endsWith('.html')) out[f.replace(/\.html$/, '').replace(/[\\/]/g, '-')] = r(`demo/${f}`);
  }
  return out;
}

/**
 * Emit `data/<dataset>-<rows>.<hash>.arrow` per dataset and size, and define the manifest the
 * portal reads (`__FINBOARD_SAMPLE__`: size → dataset → URL relative to the page).
 */
function prebuiltSample(): Plugin {
  const files = new Map<string, { name: string; bytes: Uint8Array }>();
  const manifest: Record<string, Record<string, string>> = {};
  for (const rows of PREBUILT_SIZES) {
    const data = generateSample(sampleOptionsForLoanMonths(rows, DEMO_SEED));
    const names = Object.keys(data);
    const arrow = sampleToArrow(data, names);
    manifest[rows] = {};
    for (const [n, bytes] of Object.entries(arrow)) {
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 10);
      const file = `data/${n}-${rows}.${hash}.arrow`;
      files.set(file, { name: n, bytes });
      manifest[rows]![n] = `./${file}`;
    }
  }
  return {
    name: 'finboard-prebuilt-sample',
    config: () => ({ define: { __FINBOARD_SAMPLE__: JSON.stringify(manifest) } }),
    generateBundle() {
      for (const [fileName, { bytes }] of files) this.emitFile({ type: 'asset', fileName, source: bytes });
    },
  };
}

export default defineConfig({
  root: r('demo'),
  base: './',
  publicDir: false,
  plugins: [prebuiltSample()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: r('demo-dist'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4000,
    rolldownOptions: { input: pages() },
  },
});
