/** Reader for columnar input: one array per column. */
import { FinError } from '../../engine/errors.js';
import type { QualityWarning } from '../quality.js';
import { qualityWarning } from '../quality.js';
import { emptyRaw, isArrayLikeColumn } from '../raw.js';
import type { RawTable } from '../raw.js';

export function readColumnar(obj: Record<string, unknown>): RawTable {
  const names = Object.keys(obj);
  const columns = new Map<string, ArrayLike<unknown>>();
  let n = 0;
  for (const k of names) {
    const v = obj[k];
    if (!isArrayLikeColumn(v)) {
      throw new FinError(
        'bad_input',
        `Columnar input: column "${k}" is not an array (expected rows, arrays, columns, text, bytes, a table or { url })`,
        { column: k },
      );
    }
    columns.set(k, v);
    n = Math.max(n, v.length);
  }
  const warnings: QualityWarning[] = [];
  const short = names.filter((k) => columns.get(k)!.length !== n);
  if (short.length) warnings.push(qualityWarning('ragged_columns', { columns: short }));
  return { ...emptyRaw(), names, columns, n, warnings };
}
