/**
 * How the DuckDB backend writes and reads its tables: the structural types of the parts of
 * `@duckdb/node-api` it uses (loaded dynamically), appending an ingested dataset's rows to a
 * table, streaming a Parquet file in chunks, and the catalog facts of a table filled chunk by
 * chunk (keys de-duplicated across chunks, unique keys). Table and column names are the backend's
 * generated ones (`t3`, `c7`); file paths are bound values.
 */
import type { Column, Dataset } from '../data/dataset.js';
import { NULL_INDEX } from '../data/dataset.js';
import type { DataQualityReport } from '../data/ingest.js';
import type { ColInfo, TableInfo } from './sql/scope.js';
import { PARTS } from './sql/scope.js';

export interface DuckChunk {
  readonly rowCount: number;
  getColumns(): unknown[][];
}
export interface DuckStream {
  columnNames(): string[];
  columnTypes(): unknown[];
  fetchChunk(): Promise<DuckChunk | null>;
}
export interface DuckConnection {
  runAndReadAll(
    sql: string,
    values?: unknown[],
  ): Promise<{ getRowObjectsJS(): Array<Record<string, unknown>> }>;
  run(sql: string, values?: unknown[]): Promise<unknown>;
  stream(sql: string, values?: unknown[]): Promise<DuckStream>;
  createAppender(table: string): Promise<DuckAppender>;
  interrupt(): void;
  closeSync(): void;
}
export interface DuckAppender {
  appendBigInt(v: bigint): void;
  appendInteger(v: number): void;
  appendDouble(v: number): void;
  appendVarchar(v: string): void;
  appendBoolean(v: boolean): void;
  appendNull(): void;
  endRow(): void;
  flushSync(): void;
  closeSync(): void;
}
export interface DuckInstance {
  connect(): Promise<DuckConnection>;
  closeSync(): void;
}

const COERCE = { num: 'unparseable_number', bool: 'unparseable_bool', date: 'unparseable_date' } as const;

/** A value of a chunk's column in the table's kind (a later chunk may infer an extra column differently). */
function convert(
  v: string | number | boolean | null,
  kind: ColInfo['kind'],
): string | number | boolean | null {
  if (v === null) return null;
  if (kind === 'cat') return String(v);
  if (kind === 'num') {
    if (typeof v === 'number') return v;
    const x = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(x) ? x : null;
  }
  if (kind === 'bool') return typeof v === 'boolean' ? v : null;
  return null; // a date cannot be recovered from another kind's value
}

function cell(col: Column, i: number): string | number | boolean | null {
  switch (col.kind) {
    case 'num':
    case 'date':
      return Number.isNaN(col.data[i]!) ? null : col.data[i]!;
    case 'cat':
      return col.codes[i]! < 0 ? null : col.dict[col.codes[i]!]!;
    case 'bool':
      return col.data[i]! < 0 ? null : col.data[i] === 1;
  }
}

/**
 * Append row `i` of a typed column: its value (NULL when missing) and, for a date, its period
 * indexes (the `_day`, `_month`, … columns that follow it).
 */
export function appendCell(app: DuckAppender, col: Column, i: number): void {
  if (col.kind === 'cat') {
    const k = col.codes[i]!;
    if (k < 0) app.appendNull();
    else app.appendVarchar(col.dict[k]!);
  } else if (col.kind === 'bool') {
    const b = col.data[i]!;
    if (b < 0) app.appendNull();
    else app.appendBoolean(b === 1);
  } else {
    const v = col.data[i]!;
    if (Number.isNaN(v)) app.appendNull();
    else app.appendDouble(v);
    if (col.kind === 'date') for (const p of PARTS) app.appendInteger(col[p][i]!);
  }
}

/**
 * Append the rows of `ds` to `table` (whose columns are `cols`, in order), `r` numbered from `r0`.
 * A column of another kind than the table's is converted; values lost that way are counted in
 * `report.coerced` (never dropped silently).
 */
export async function appendRows(
  conn: DuckConnection,
  table: string,
  ds: Dataset,
  cols: Map<string, ColInfo>,
  r0: number,
  report?: DataQualityReport,
): Promise<void> {
  const app = await conn.createAppender(table);
  const list = [...cols].map(([field, info]) => ({ field, info, col: ds.cols[field] }));
  const lost = new Map<string, number>();
  try {
    for (let i = 0; i < ds.n; i++) {
      app.appendBigInt(BigInt(r0 + i));
      for (const { field, info, col } of list) {
        if (col && col.kind === info.kind) {
          appendCell(app, col, i);
          continue;
        }
        const raw = col ? cell(col, i) : null;
        const v = convert(raw, info.kind);
        if (raw !== null && v === null) lost.set(field, (lost.get(field) ?? 0) + 1);
        if (v === null) app.appendNull();
        else if (info.kind === 'cat') app.appendVarchar(v as string);
        else if (info.kind === 'num') app.appendDouble(v as number);
        else if (info.kind === 'bool') app.appendBoolean(v as boolean);
        if (info.kind === 'date')
          for (const p of PARTS) app.appendInteger(p === 'hour' || p === 'dow' ? -1 : NULL_INDEX);
      }
      app.endRow();
    }
    app.flushSync();
  } finally {
    app.closeSync();
  }
  if (report)
    for (const [field, n] of lost) {
      const reason = COERCE[cols.get(field)!.kind as keyof typeof COERCE];
      const byReason = (report.coerced[field] ??= {});
      byReason[reason] = (byReason[reason] ?? 0) + n;
    }
}

/** A value streamed from DuckDB as a plain ingestion value (dates as their wall-clock text). */
export function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object') {
    const s = String(v);
    // DECIMAL values print as numbers; DATE / TIMESTAMP as `YYYY-MM-DD[ HH:MM:SS]`.
    return 'scale' in v && 'width' in v ? Number(s) : s;
  }
  return v;
}

/** A Parquet file (the path bound) as columnar chunks of about `rows` rows. */
export async function* parquetChunks(
  connect: () => Promise<DuckConnection>,
  path: string,
  rows: number,
): AsyncGenerator<Record<string, unknown[]>> {
  const conn = await connect();
  try {
    const res = await conn.stream('SELECT * FROM read_parquet($1)', [path]);
    const names = res.columnNames();
    const fresh = (): unknown[][] => names.map(() => []);
    let batch = fresh();
    let count = 0;
    let any = false;
    const out = (): Record<string, unknown[]> => Object.fromEntries(names.map((n, j) => [n, batch[j]!]));
    for (;;) {
      const chunk = await res.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const cols = chunk.getColumns();
      for (let j = 0; j < names.length; j++) {
        const src = cols[j]!;
        const dst = batch[j]!;
        for (let i = 0; i < chunk.rowCount; i++) dst.push(plain(src[i]));
      }
      count += chunk.rowCount;
      if (count >= rows) {
        any = true;
        yield out();
        batch = fresh();
        count = 0;
      }
    }
    if (count > 0 || !any) yield out();
  } finally {
    conn.closeSync();
  }
}

/**
 * Remove rows whose schema key (every key cell present) repeats an earlier row of another chunk
 * (the ingestion already removed repeats within a chunk); returns how many.
 */
export async function dedupeAcrossChunks(
  conn: DuckConnection,
  info: TableInfo,
  key: string[],
): Promise<number> {
  const ids = key.map((k) => info.cols.get(k)?.id);
  if (!ids.length || ids.some((id) => id === undefined)) return 0;
  const list = ids.map((id) => `"${id}"`).join(', ');
  const present = ids.map((id) => `"${id}" IS NOT NULL`).join(' AND ');
  const t = `"${info.table}"`;
  const dup = await conn.runAndReadAll(
    `SELECT count(*) AS n FROM (SELECT 1 FROM ${t} WHERE ${present} GROUP BY ${list} HAVING count(*) > 1)`,
  );
  if (Number(dup.getRowObjectsJS()[0]?.['n'] ?? 0) === 0) return 0;
  const before = Number(
    (await conn.runAndReadAll(`SELECT count(*) AS n FROM ${t}`)).getRowObjectsJS()[0]!['n'],
  );
  await conn.run(
    `DELETE FROM ${t} WHERE ${present} AND "r" NOT IN (SELECT min("r") FROM ${t} WHERE ${present} GROUP BY ${list})`,
  );
  const after = Number(
    (await conn.runAndReadAll(`SELECT count(*) AS n FROM ${t}`)).getRowObjectsJS()[0]!['n'],
  );
  return before - after;
}

/** Key columns (`loan_id`, `customer_id`) whose present values are unique in the table. */
export async function uniqueKeys(conn: DuckConnection, info: TableInfo): Promise<Set<string>> {
  const out = new Set<string>();
  for (const key of ['loan_id', 'customer_id']) {
    const c = info.cols.get(key);
    if (!c || c.kind !== 'cat') continue;
    const r = await conn.runAndReadAll(
      `SELECT count("${c.id}") = count(DISTINCT "${c.id}") AS u FROM "${info.table}"`,
    );
    if (r.getRowObjectsJS()[0]?.['u'] === true) out.add(key);
  }
  return out;
}
