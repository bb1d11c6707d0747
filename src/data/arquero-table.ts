/**
 * `finboard/arquero`: loaded datasets as Arquero tables, for hosts that want to continue with
 * Arquero verbs. A separate entry so the headless core does not carry Arquero's expression
 * compiler (and its parser) for the many pages that never need it.
 */
import { ColumnTable } from 'arquero';
import { columnValues } from './arquero.js';
import type { Dataset } from './dataset.js';
import { NULL_INDEX } from './dataset.js';

export interface ToArqueroOptions {
  /** Period index columns to add next to each date column (`<col>_month` …). Default `['month']`. */
  periods?: Array<'day' | 'week' | 'month'>;
}

/**
 * An Arquero table over a dataset's columns: `cat` → string arrays (null missing), `num` →
 * Float64Array (NaN missing, which Arquero's aggregates skip), `bool` → true/false/null,
 * `date` → Float64Array of epoch ms plus a `<col>_month` month-index column (NaN missing).
 * A column literally named `__proto__` is left out (Arquero keeps columns in a plain object).
 */
export function toArquero(ds: Dataset, opts: ToArqueroOptions = {}): ColumnTable {
  const periods = opts.periods ?? ['month'];
  const data: Record<string, ArrayLike<unknown>> = Object.create(null) as Record<string, ArrayLike<unknown>>;
  const names: string[] = [];
  const add = (name: string, values: ArrayLike<unknown>): void => {
    if (name === '__proto__' || Object.hasOwn(data, name)) return;
    data[name] = values;
    names.push(name);
  };
  const own = Object.keys(ds.cols);
  for (const name of own) add(name, columnValues(ds.cols[name]!));
  for (const name of own) {
    const col = ds.cols[name]!;
    if (col.kind !== 'date') continue;
    for (const p of periods) {
      const idx = col[p];
      const out = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) {
        const v = idx[i]!;
        out[i] = v === NULL_INDEX ? NaN : v;
      }
      if (!own.includes(`${name}_${p}`)) add(`${name}_${p}`, out);
    }
  }
  // The constructor copies `data` with object spread (own keys only), never through setters.
  return new ColumnTable(data as never, names);
}

