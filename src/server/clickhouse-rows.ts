/**
 * How the ClickHouse backend stores a dataset: its column definitions in ClickHouse types (the
 * DuckDB layout: `r`, generated column names, dates as epoch ms plus their period indexes) and
 * its rows as JSONEachRow objects under those names.
 */
import type { Dataset } from '../data/dataset.js';
import type { ColInfo } from './sql/scope.js';
import { PARTS } from './sql/scope.js';

/** Column definitions of a stored dataset (the DuckDB layout in ClickHouse types). */
export function columnDefs(ds: Dataset, cols: Map<string, ColInfo>): string[] {
  const defs = ['`r` Int64'];
  for (const [field, col] of Object.entries(ds.cols)) {
    const id = cols.get(field)!.id;
    if (col.kind === 'num') defs.push(`\`${id}\` Nullable(Float64)`);
    else if (col.kind === 'cat') defs.push(`\`${id}\` Nullable(String)`);
    else if (col.kind === 'bool') defs.push(`\`${id}\` Nullable(UInt8)`);
    else {
      defs.push(`\`${id}\` Nullable(Float64)`);
      for (const p of PARTS) defs.push(`\`${id}_${p}\` Int64`);
    }
  }
  return defs;
}

/** Rows `from`…`to` of a dataset as JSONEachRow objects under the generated column names. */
export function rowObjects(
  ds: Dataset,
  cols: Map<string, ColInfo>,
  from: number,
  to: number,
): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const list = Object.entries(ds.cols).map(([f, c]) => ({ id: cols.get(f)!.id, c }));
  for (let i = from; i < to; i++) {
    const row: Record<string, unknown> = { r: i };
    for (const { id, c } of list) {
      if (c.kind === 'num') {
        const v = c.data[i]!;
        row[id] = Number.isNaN(v) ? null : v;
      } else if (c.kind === 'cat') {
        const k = c.codes[i]!;
        row[id] = k < 0 ? null : c.dict[k]!;
      } else if (c.kind === 'bool') {
        const b = c.data[i]!;
        row[id] = b < 0 ? null : b;
      } else {
        const v = c.data[i]!;
        row[id] = Number.isNaN(v) ? null : v;
        for (const p of PARTS) row[`${id}_${p}`] = c[p][i]!;
      }
    }
    out.push(row);
  }
  return out;
}
