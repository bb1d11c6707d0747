/**
 * Public API of the data layer: the `Dataset` contract, column conversion, canonical schemas,
 * ingestion, data-quality reporting, PII masking, the Arquero bridge and the sample generator.
 */
export * from './dataset.js';
export * from './columns.js';
export * from './schemas.js';
export * from './quality.js';
export * from './mask.js';
export * from './ingest.js';
export * from './arquero.js';
export * from './sample.js';
