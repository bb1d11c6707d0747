import { createEngine } from 'finboard';

/** The in-page engine the KPI card and the heatmap share, with the seeded sample. */
export const engine = createEngine();
export const engineReady = engine.loadSample({ customers: 500 });

/** An engine in a Web Worker (the one that ships with finboard; Vite emits it). */
export const workerEngine = createEngine({ placement: 'worker' });
export const workerReady = workerEngine.loadSample({ customers: 500 });
