/**
 * The customer metrics compiled to SQL (rfm, cohort, churn), merged into the registry's table.
 */
import type { CompiledMetric } from './collection.js';
import { churnSql } from './churn.js';
import { cohortSql } from './cohort.js';
import { rfmSql } from './rfm.js';

export const CUSTOMER_COMPILED: Readonly<Record<string, CompiledMetric>> = {
  rfm: rfmSql,
  cohort: cohortSql,
  churn: churnSql,
};
