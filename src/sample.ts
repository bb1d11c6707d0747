/**
 * `finboard/sample`: the seeded sample generator (all seven canonical datasets, linked by id) —
 * demo and test data, kept out of the headless core. Engines load it with `engine.loadSample()`.
 */
export {
  generateSample,
  sampleOptionsForLoanMonths,
  sampleToRows,
  SAMPLE_DEFAULTS,
  SAMPLE_DIMENSIONS,
} from './data/sample.js';
export type { SampleData, SampleDimensions, SampleOptions } from './data/sample.js';
