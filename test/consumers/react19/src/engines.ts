import { createEngine } from 'finboard';

/** The in-page engine the KPI card and the heatmap share, with the seeded sample. */
export const engine = createEngine();
export const engineReady = engine.loadSample({ customers: 500 });
