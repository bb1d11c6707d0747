import { defineConfig } from 'vite';

/**
 * `npm run dev` (`vite`) serves the demo portal (demo/) on the embedded sample data with hot reload.
 * The library itself is built by scripts/build.mjs (tsc per module + the self-contained worker,
 * vite.worker.config.ts), not by this config.
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
});
