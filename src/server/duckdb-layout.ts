/**
 * The query-side layout of a DuckDB table, built once when a dataset is published (after `load`
 * or `attach` filled its table, however they did): integer codes for the key columns
 * (`loan_id`, `customer_id`) from one dictionary table per key name shared by every dataset
 * (`kd_loan_id`: value → code, codes only ever added), so the compiled SQL joins, self-joins and
 * groups on integers instead of strings (docs/server.md "Scale, measured"). Equal codes ⇔ equal
 * keys and a missing key has a NULL code, so every answer is the same as on the strings. Also
 * read once here: whether a loan has at most one row per snapshot month (`uniqueLoanMonths`).
 * Table and column names are the backend's generated ones; no value is spliced.
 */
import { NULL_INDEX } from '../data/dataset.js';
import type { DuckConnection } from './duckdb-store.js';
import type { TableInfo } from './sql/scope.js';

/** Key columns that get codes (the keys of the LINKS between datasets). */
const KEYS = ['loan_id', 'customer_id'] as const;

/** Fields a dashboard filters on most (the filter bar's region and product), for clustering. */
export const CLUSTER_FIELDS = ['region', 'product'] as const;

/**
 * Whether `withKeyCodes` copies a table with these columns in its own order (by key code, then
 * `r`): a table filled for it needs no order of its own.
 */
export function sortedByLayout(cols: TableInfo['cols']): boolean {
  return KEYS.some((k) => cols.get(k)?.kind === 'cat');
}

/**
 * Add the key-code columns to `info`'s table: the rows are copied into `table` (a new generated
 * name) with a `<id>_k INTEGER` column per key column, the old table dropped. Returns the new
 * catalog entry (`info` unchanged when the dataset has no key column).
 */
export async function withKeyCodes(conn: DuckConnection, info: TableInfo, table: string): Promise<TableInfo> {
  const keys = KEYS.map((k) => ({ key: k, col: info.cols.get(k) })).filter(
    (x): x is { key: (typeof KEYS)[number]; col: { kind: 'cat'; id: string } } => x.col?.kind === 'cat',
  );
  if (keys.length === 0) return info;
  const src = `"${info.table}"`;
  // Codes are handed out in the order of the table's filter fields (region, product), so the
  // rows of one region have neighbouring codes; tables are stored sorted by their first key code.
  const order = CLUSTER_FIELDS.map((f) => info.cols.get(f))
    .filter((c): c is { kind: 'cat'; id: string } => c?.kind === 'cat')
    .map((c) => `"${c.id}"`);
  for (const { key, col } of keys) {
    const dict = `"kd_${key}"`;
    await conn.run(`CREATE TABLE IF NOT EXISTS ${dict} (v VARCHAR PRIMARY KEY, k INTEGER NOT NULL UNIQUE)`);
    // New values get the next codes (codes are only compared for equality: their order only
    // clusters the rows).
    const firsts = order.map((o, i) => `, min(${o}) AS o${i}`).join('');
    const by = [...order.map((_, i) => `o${i}`), 'v'].join(', ');
    await conn.run(
      `INSERT INTO ${dict} SELECT v, (SELECT coalesce(max(k), 0) FROM ${dict}) + row_number() OVER (ORDER BY ${by}) AS k
       FROM (SELECT "${col.id}" AS v${firsts} FROM ${src} WHERE "${col.id}" IS NOT NULL GROUP BY "${col.id}") AS n
       WHERE NOT EXISTS (SELECT 1 FROM ${dict} AS d WHERE d.v = n.v)`,
    );
  }
  const codes = keys.map(({ col }, i) => `d${i}.k AS "${col.id}_k"`).join(', ');
  const joins = keys
    .map(({ key, col }, i) => `LEFT JOIN "kd_${key}" AS d${i} ON t."${col.id}" = d${i}.v`)
    .join(' ');
  // Sorted by the first key's code: a filter through that key (a region on loans) becomes a code
  // range on this table, and DuckDB's scan skips the row groups outside it (zone maps).
  await conn.run(
    `CREATE TABLE "${table}" AS SELECT t.*, ${codes} FROM ${src} AS t ${joins} ORDER BY d0.k NULLS LAST, t."r"`,
  );
  await conn.run(`DROP TABLE IF EXISTS ${src}`);
  const out: TableInfo = {
    ...info,
    table,
    keyCodes: new Map(keys.map(({ key, col }) => [key, `${col.id}_k`])),
  };
  out.uniqueLoanMonths = await uniqueLoanMonths(conn, out);
  return out;
}

/**
 * Whether no two rows share a present `loan_id` and a snapshot month (then no selection has a
 * `duplicate_loan_month` and the metrics skip counting them). Own columns only.
 */
async function uniqueLoanMonths(conn: DuckConnection, info: TableInfo): Promise<boolean> {
  const loan = info.keyCodes?.get('loan_id');
  const snap = info.cols.get('snapshot_date');
  if (!loan || snap?.kind !== 'date') return false;
  const m = `"${snap.id}_month"`;
  const r = await conn.runAndReadAll(
    `SELECT count(*) AS n FROM (SELECT 1 FROM "${info.table}" WHERE "${loan}" IS NOT NULL AND ${m} <> ${NULL_INDEX} GROUP BY "${loan}", ${m} HAVING count(*) > 1) AS d`,
  );
  return Number(r.getRowObjectsJS()[0]?.['n'] ?? 1) === 0;
}
