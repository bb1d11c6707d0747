/**
 * Which widgets a cross-filter selection applies to. A selection names a field of the selecting
 * widget's dataset; another widget applies it only when that field resolves, on its own dataset,
 * to the same column — the dataset itself or the one its keys reach, by the engine's rules
 * (`loan_id → loans`, `customer_id → customers`, loans → customers). A collection action's
 * `channel` (phone, SMS…) is not a loan's origination `channel`: loan-month widgets ignore it. A
 * key (`customer_id`, `loan_id`) is the same entity in every dataset that has it.
 * Pure functions over the loaded datasets' column names.
 */

import { LINKS } from '../engine/links.js';

/** Column names per loaded dataset. */
export type DatasetColumns = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The dataset whose column `field` is when read on `source` (null when it does not resolve).
 * A derived field (`txn_time.month`) is the column before the dot.
 */
export function fieldHome(columns: DatasetColumns, source: string, field: string, depth = 0): string | null {
  const home = ownerOf(columns, source, field, depth);
  // A link key is one entity wherever it appears: `transactions.customer_id` and
  // `loans.customer_id` are the customer, whose home is the linked dataset.
  if (home !== null) {
    const link = LINKS.find((l) => l.key === field);
    if (link && columns.get(link.target)?.has(field)) return link.target;
  }
  return home;
}

function ownerOf(columns: DatasetColumns, source: string, field: string, depth: number): string | null {
  const own = columns.get(source);
  if (!own) return null;
  if (own.has(field)) return source;
  const dot = field.indexOf('.');
  if (dot > 0 && own.has(field.slice(0, dot))) return source;
  if (depth > 2) return null;
  for (const { key, target } of LINKS) {
    if (target === source || !own.has(key)) continue;
    const t = columns.get(target);
    if (!t || !t.has(key)) continue;
    if (t.has(field) || (dot > 0 && t.has(field.slice(0, dot)))) return target;
    if (target === 'loans') {
      const via = ownerOf(columns, 'loans', field, depth + 1);
      if (via) return via;
    }
  }
  return null;
}

/**
 * Whether a selection on `field` made in a widget over `from` applies to a widget over `to`:
 * unless both resolve the field and to different columns. Unknown sources apply (the engine then
 * skips a field it cannot resolve, and says so in the basis).
 */
export function selectionApplies(
  columns: DatasetColumns | null,
  from: string | undefined,
  to: string | undefined,
  field: string,
): boolean {
  if (!columns || !from || !to) return true;
  const a = fieldHome(columns, from, field);
  const b = fieldHome(columns, to, field);
  return a === null || b === null || a === b;
}
