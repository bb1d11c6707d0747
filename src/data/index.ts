/**
 * Public API of the data layer: the `Dataset` contract, column conversion, canonical schemas,
 * ingestion, data-quality reporting, PII masking, and the Arquero bridge (the sample
 * generator is its own entry, `finboard/sample`, loaded on demand by `engine.loadSample`).
 */
export * from './dataset.js';
export * from './columns.js';
export * from './schemas.js';
export * from './quality.js';
export * from './mask.js';
export * from './ingest.js';
export * from './arquero.js';
export type { SampleData, SampleOptions } from './sample.js';
