import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** Element entries: one per folder under components/ (each registers its tags). */
export const ELEMENTS = ['kpi-card', 'funnel', 'heatmap', 'cohort', 'rfm', 'overdue-trend', 'fund-flow', 'table', 'dashboard'];

const r = (p: string): string => resolve(import.meta.dirname, p);

/**
 * `vite` serves the demo portal (demo/) on the embedded sample data; `vite build` builds the
 * library: the headless core, the server handler, the worker, all elements and one entry each.
 */
export default defineConfig({
  server: { port: 5173, open: false },
  optimizeDeps: {
    // Scan every demo page up front and pre-bundle the lazily imported libraries too, so the
    // first `npm start` visit never hits a mid-load re-optimisation (504 "Outdated Optimize Dep").
    entries: ['demo/**/*.html'],
    include: [
      'lit',
      'lit/decorators.js',
      'lit/directive.js',
      'lit/directive-helpers.js',
      '@lit/context',
      '@lit-labs/observers/resize-controller.js',
      'd3',
      'd3-shape',
      'd3-sankey',
      'vega',
      'vega-lite',
      'vega-interpreter',
      '@uwdata/flechette',
      'react',
      'react-dom/client',
      'vue',
    ],
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      formats: ['es'],
      entry: {
        index: r('src/index.ts'),
        server: r('src/server.ts'),
        sample: r('src/sample.ts'),
        arquero: r('src/data/arquero-table.ts'),
        dashboards: r('src/dashboard/index.ts'),
        worker: r('src/engine/worker-entry.ts'),
        components: r('components/index.ts'),
        ...Object.fromEntries(ELEMENTS.map((e) => [`components/${e}`, r(`components/${e}/define.ts`)])),
      },
    },
    rolldownOptions: {
      // Server-only engines stay external (loaded by dynamic import inside their backend factories).
      external: [/^node:/, /^@duckdb\/node-api/, /^@clickhouse\/client/],
    },
  },
});
