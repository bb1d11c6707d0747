/**
 * The loan-level metrics compiled to SQL in their own files (vintage, repayment rate, the
 * collection-action metrics), gathered for registry.ts in one entry.
 */
import { channelEffectivenessSql } from './channel.js';
import type { CompiledMetric } from './collection.js';
import { repaymentRateSql } from './repayment.js';
import { vintageSql } from './vintage.js';

export const loanTable: Record<string, CompiledMetric> = {
  vintage: vintageSql,
  repayment_rate: repaymentRateSql,
  channel_effectiveness: channelEffectivenessSql,
};
