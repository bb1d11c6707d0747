import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The engine worker as ONE self-contained module (`finboard/worker`, dist/src/engine/worker-entry.js):
 * every dependency inlined and no chunk imports, so it works wherever it is copied or inlined — a
 * host bundler that re-bundles it, a data: URL, a CDN, a plain static server. Built after `tsc`,
 * which emits the library's own per-module files into dist/; this overwrites only the worker entry.
 */
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist/src/engine',
    emptyOutDir: false,
    sourcemap: false,
    minify: true,
    copyPublicDir: false,
    lib: {
      formats: ['es'],
      entry: { 'worker-entry': resolve(import.meta.dirname, 'src/engine/worker-entry.ts') },
      fileName: () => 'worker-entry.js',
    },
    rolldownOptions: {
      output: { codeSplitting: false },
    },
  },
});
