/** Whether a backend's catalog holds a dataset: the memory context's `has()` on the SQL side. */
import { FinError } from '../../engine/errors.js';
import type { SqlScope } from './scope.js';

/** True when `name` is loaded; any error other than `missing_dataset` is rethrown. */
export function hasDataset(scope: SqlScope, name: string): boolean {
  try {
    scope.table(name);
    return true;
  } catch (e) {
    if (e instanceof FinError && e.code === 'missing_dataset') return false;
    throw e;
  }
}
