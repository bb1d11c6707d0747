import { defineConfig } from 'vite';

// Two pages: index.html (KPI card, heatmap, collection dashboard) and worker.html (a page whose
// engine is only the worker: its bundle must not carry the in-page engine).
export default defineConfig({
  build: {
    rolldownOptions: {
      input: { main: 'index.html', worker: 'worker.html' },
    },
  },
});
