/**
 * What a cross-filter cube build plans (local.ts `prepare`): the value combinations of a dimension
 * set, the requests a request runs inside (built first), and which metrics have a grouped kernel.
 */
import { getMetric } from './metrics/index.js';
import type { QueryRequest } from './types.js';

/** The requests a request's run issues through `runMetric` (none for unknown metric ids). */
export function innerRequests(r: QueryRequest): QueryRequest[] {
  try {
    return getMetric(r.metric).inner?.(r.params ?? {}) ?? [];
  } catch {
    return []; // unknown metric: its queries fail on the raw path as they should
  }
}

/** Whether a metric has a grouped kernel (false for unknown ids). */
export function hasGrouped(metric: string): boolean {
  try {
    return typeof getMetric(metric).runGrouped === 'function';
  } catch {
    return false;
  }
}

/** Every combination of one value per list (the cells of a dimension set). */
export function combinations(lists: string[][]): string[][] {
  let out: string[][] = [[]];
  for (const l of lists) {
    const next: string[][] = [];
    for (const prefix of out) for (const v of l) next.push([...prefix, v]);
    out = next;
  }
  return out;
}
