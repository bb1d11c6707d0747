/**
 * The DuckDB backend's SQL attach: a Parquet or CSV file is typed, validated, de-duplicated and
 * masked inside DuckDB, and the table and quality report are those the JavaScript ingestion of the
 * whole file gives (src/data/ingest.ts), without passing every row through Node.
 *
 * How each step stays identical to the ingestion:
 * - Reading: DuckDB reads the file into a staging table (`read_parquet`, or `read_csv` with every
 *   cell as text, the header, `,` and `"` fixed, strict: a ragged or malformed file fails here and
 *   is ingested by JavaScript instead). The row order is the file's (`rowid`).
 * - Planning: the ingestion's own `planColumns` on the header names; a file with columns outside
 *   the schema (whose types the ingestion infers from all values) goes to JavaScript.
 * - Typing and rules 1–6 of quality.ts: every one is a function of the cell alone, so each
 *   column's distinct values (NULL included, in order of first appearance) go once through the
 *   ingestion's own `convert`, `normalizeCategories` and `validateRows`; the typed value, date
 *   parts (in the load's time zone, by the JavaScript code), rejection code and "unparseable" flag
 *   per distinct value come back as a mapping table joined to the rows. A numeric schema column
 *   stored as a SQL number is typed in SQL: `CAST(x AS DOUBLE)`, non-finite values unparseable,
 *   and the same range / sign / required rules with the schema's constants as bound values.
 *   Two shortcuts keep the bulk of a column in DuckDB: text the ingestion keeps as it is
 *   (`keptAsIs`) maps to itself, and `YYYY-MM-DD HH:MM:SS` text maps per hour once the parse of
 *   each hour's first and last second shows the hour linear (`hoursLinear`).
 * - A row's reason is the smallest non-zero code of its cells (validateRows keeps the earliest
 *   reason); duplicates (rule 7) are later rows whose key repeats among rows passing rules 1–6,
 *   with every key cell present (`row_number()` by key in file order).
 * - Masking: the ingestion's own `applyMasking` on the distinct kept values of each text column in
 *   order of first use (the dictionary the ingestion masks; of a column not PII by its schema, only
 *   the values that may hold a personal number); changed values go through a mapping.
 * - The report: counts, samples (first five row numbers per reason) and coerced cells by SQL
 *   aggregates; warnings in the ingestion's order, the validation ones by `pushOutcomeWarnings`.
 *
 * Whatever this path cannot reproduce exactly throws `SqlAttachFallback` with the reason; the
 * backend then ingests the file in JavaScript chunks. Identifiers are generated (`h3`, `v2`,
 * `x4_s`); the path and the schema's constants are bound values.
 */
import { open } from 'node:fs/promises';
import type { CatColumn, Column } from '../data/dataset.js';
import type { DataQualityReport, IngestOptions, QualityWarning } from '../data/ingest.js';
import { convertEntry, dateRangeOf, pushOutcomeWarnings } from '../data/ingest.js';
import { applyMasking } from '../data/mask-columns.js';
import { planColumns } from '../data/plan.js';
import type { PlanEntry } from '../data/plan.js';
import {
  MAX_MAGNITUDE,
  REJECT_REASONS,
  coerceReasonOf,
  emptyRejected,
  qualityWarning,
  validateRows,
} from '../data/quality.js';
import type { CoerceReason, RejectReason } from '../data/quality.js';
import { emptyRaw } from '../data/raw.js';
import type { RawTable } from '../data/raw.js';
import { cleanHeader } from '../data/read/arrays.js';
import { NULL_CAT } from '../data/sinks.js';
import { schemaOf } from '../data/schemas.js';
import type { DuckConnection } from './duckdb-store.js';
import { appendCell, plain } from './duckdb-store.js';
import { sortedByLayout } from './duckdb-layout.js';
import type { ColInfo } from './sql/scope.js';
import { PARTS } from './sql/scope.js';

/** The file cannot be ingested identically in SQL; `message` says why. */
export class SqlAttachFallback extends Error {}

export interface SqlAttached {
  report: DataQualityReport;
  cols: Map<string, ColInfo>;
  n: number;
  masked: boolean;
  /** Distinct kept `status` values in order of first use (the catalog's classification input). */
  statuses: string[];
}

/** DuckDB number types whose values reach JavaScript as plain numbers (typed in SQL). */
const SQL_NUMBERS = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'FLOAT',
  'DOUBLE',
]);

const CSV_OPTIONS =
  "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', strict_mode = true, " +
  "null_padding = false, skip = 0, comment = ''";

const SQL_TYPE = { num: 'DOUBLE', cat: 'VARCHAR', bool: 'BOOLEAN', date: 'DOUBLE' } as const;

/**
 * The SQL condition under which `catString` keeps a text cell as it is: printable ASCII without
 * spaces (nothing to trim, one UTF-16 unit per character) that is not a null token. Such a cell's
 * typed value is itself, with no rejection; `bind` places the tokens as bound values.
 */
function keptAsIs(x: string, bind: (v: string) => string): string {
  const tokens = [...NULL_CAT].filter((t) => /^[!-~]+$/.test(t)).map(bind);
  return `(${x} IS NOT NULL AND regexp_full_match(${x}, ${bind('[!-~]+')}) AND lower(${x}) NOT IN (${tokens.join(', ')}))`;
}

/**
 * A RE2 pattern every text `mayHoldPii` (pii-shapes.ts) accepts matches: 11 digits in a row, or a
 * digit followed by 12 or more characters that are not ASCII letters (JavaScript's digits,
 * whitespace and dashes are among them).
 */
const MAY_HOLD_PII = '[0-9]{11}|[0-9][^A-Za-z]{12,}';

/** The header line of a CSV file as the ingestion names it (simple headers only). */
async function csvHeader(path: string): Promise<string[]> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const nl = text.indexOf('\n');
    if (nl < 0 && bytesRead === buf.length) throw new SqlAttachFallback('CSV header line too long');
    const line = (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
    if (line.includes('"')) throw new SqlAttachFallback('quoted CSV header');
    const parts = line.split(',');
    if (parts.some((p) => p.trim() === '')) throw new SqlAttachFallback('blank CSV header name');
    const warnings: QualityWarning[] = [];
    const names = cleanHeader(parts, warnings);
    if (warnings.length) throw new SqlAttachFallback('duplicate CSV header names');
    return names;
  } finally {
    await fh.close();
  }
}

/** Stream a one-column query's values as the ingestion receives them from DuckDB (`plain`). */
async function column(conn: DuckConnection, sql: string, params?: unknown[]): Promise<unknown[]> {
  const res = await conn.stream(sql, params);
  const out: unknown[] = [];
  for (;;) {
    const chunk = await res.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const c = chunk.getColumns()[0]!;
    for (let i = 0; i < chunk.rowCount; i++) out.push(plain(c[i]));
  }
  return out;
}

async function rows(conn: DuckConnection, sql: string): Promise<Array<Record<string, unknown>>> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS();
}

/**
 * The cells `toCat` counts as identifiers beyond 2^53 in a SQL number column: integer values of
 * magnitude > 2^53 − 1 as JavaScript numbers, except a cell equal to the one before it (`toCat`
 * reuses the previous cell's code without looking at it).
 */
async function unsafeCells(conn: DuckConnection, staged: string, h: number): Promise<number> {
  const d = `CAST("h${h}" AS DOUBLE)`;
  const r = await rows(
    conn,
    `SELECT count(*) FILTER (WHERE isfinite(d) AND d = trunc(d) AND abs(d) > 9007199254740991 ` +
      `AND (p IS NULL OR d <> p)) AS n FROM (SELECT ${d} AS d, lag(${d}) OVER (ORDER BY rowid) AS p FROM ${staged})`,
  );
  return Number(r[0]!['n']);
}

/** One column typed through its distinct values: the JavaScript conversion and rules per value. */
interface Mapped {
  col: Column;
  /** Some value is an integer number beyond 2^53 (the ingestion counts such cells). */
  unsafe: boolean;
  code: Uint8Array;
  unparseable: Uint8Array;
}

function mapValues(
  e: PlanEntry,
  values: unknown[],
  tz: string,
  range: [number, number],
  warnings: QualityWarning[],
): Mapped {
  const m = values.length;
  const raw: RawTable = { ...emptyRaw(), names: [e.host], columns: new Map([[e.host, values]]), n: m };
  const { conv, col } = convertEntry(e, raw, m, tz, warnings);
  const code = validateRows(
    m,
    [{ name: e.out, col, spec: e.spec, unparseable: conv.unparseable }],
    null,
    range,
  );
  const unparseable = new Uint8Array(m);
  for (const i of conv.unparseable) unparseable[i] = 1;
  return { col, unsafe: conv.unsafeInts > 0, code, unparseable };
}

/**
 * Type, validate, de-duplicate and mask the file at `path` in SQL into the new table `table`
 * (columns `r`, then `c0, c1, …` with date parts, as the backend's tables). `tmp` prefixes the
 * staging tables (temporary, dropped at the end).
 */
export async function sqlAttach(
  conn: DuckConnection,
  name: string,
  path: string,
  format: 'csv' | 'parquet',
  table: string,
  tmp: string,
  opts: IngestOptions,
): Promise<SqlAttached> {
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  const schema = opts.schema ?? schemaOf(name);
  if (!schema) throw new SqlAttachFallback('no canonical schema');
  const range = dateRangeOf(opts);
  const src = format === 'parquet' ? 'read_parquet($1)' : `read_csv($1, ${CSV_OPTIONS})`;
  const probe = await conn.stream(`SELECT * FROM ${src} LIMIT 0`, [path]);
  const types = probe.columnTypes().map(String);
  const names = format === 'csv' ? await csvHeader(path) : probe.columnNames();
  if (names.length !== types.length) throw new SqlAttachFallback('CSV header differs from the records');
  if (new Set(names).size !== names.length) throw new SqlAttachFallback('duplicate column names');
  const hostIndex = new Map(names.map((h, j) => [h, j]));

  const raw: RawTable = { ...emptyRaw(), names: [...names], columns: new Map(names.map((h) => [h, []])) };
  const plan = planColumns(name, raw, schema, opts.fields ?? {});
  if (plan.entries.some((e) => !e.spec)) throw new SqlAttachFallback('columns outside the schema');
  const warnings: QualityWarning[] = [...plan.warnings];

  const S = `"${tmp}_s"`;
  const temps: string[] = [S];
  const drop = async (): Promise<void> => {
    for (const t of temps) await conn.run(`DROP TABLE IF EXISTS ${t}`);
  };
  try {
    await conn.run(
      `CREATE TEMP TABLE ${S} AS SELECT ${types.map((_, j) => `#${j + 1} AS "h${j}"`).join(', ')} FROM ${src}`,
      [path],
    );
    const rowsRead = Number((await rows(conn, `SELECT count(*) AS n FROM ${S}`))[0]!['n']);
    if (rowsRead === 0) throw new SqlAttachFallback('no rows');

    // Per column: the typed value, date parts, rejection code and unparseable flag of each row.
    const select: string[] = ['s.rowid AS i'];
    const joins: string[] = [];
    const params: unknown[] = [];
    const bind = (v: number): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const codes: string[] = [];
    for (const [j, e] of plan.entries.entries()) {
      const spec = e.spec!;
      const h = hostIndex.get(e.host)!;
      const x = `s."h${h}"`;
      if (e.type === 'num' && SQL_NUMBERS.has(types[h]!)) {
        const d = `CAST(${x} AS DOUBLE)`;
        const [lo, hi] = spec.range ?? [-MAX_MAGNITUDE, MAX_MAGNITUDE];
        select.push(`CASE WHEN isfinite(${d}) THEN ${d} + 0.0 END AS "v${j}"`);
        select.push(`(${x} IS NOT NULL AND NOT isfinite(${d})) AS "u${j}"`);
        select.push(
          `CASE WHEN ${x} IS NULL THEN ${spec.required ? 1 : 0} ` +
            `WHEN NOT isfinite(${d}) THEN ${spec.required ? 2 : 0} ` +
            (spec.nonNegative ? `WHEN ${d} < 0 THEN 4 ` : '') +
            `WHEN ${d} < ${bind(lo)} OR ${d} > ${bind(hi)} THEN 5 ELSE 0 END AS "k${j}"`,
        );
      } else {
        const D = `"${tmp}_d${j}"`;
        const M = `"${tmp}_m${j}"`;
        temps.push(D, M);
        // Text kept as it is (`keptAsIs`) skips the round trip through Node: only the other
        // values of such a column (NULL, padded, null tokens, non-ASCII) are mapped.
        const plain = e.type === 'cat' && !spec.values && types[h] === 'VARCHAR';
        const dp: string[] = [];
        const where = plain ? `WHERE NOT ${keptAsIs(`"h${h}"`, (v) => (dp.push(v), `$${dp.length}`))} ` : '';
        const distinct = async (k: string, w: string, ps?: unknown[]): Promise<unknown[]> => {
          await conn.run(`DROP TABLE IF EXISTS ${D}`);
          await conn.run(
            `CREATE TEMP TABLE ${D} AS SELECT k, (row_number() OVER (ORDER BY f) - 1)::INTEGER AS id ` +
              `FROM (SELECT ${k} AS k, min(rowid) AS f FROM ${S} ${w}GROUP BY ${k})`,
            ps,
          );
          return column(conn, `SELECT k FROM ${D} ORDER BY id`);
        };
        // Timestamps as text map per hour when the ingestion's own parse shows each hour linear.
        const perHour = async (): Promise<Mapped | null> => {
          if (e.type !== 'date' || types[h] !== 'VARCHAR' || !(await allHourShaped(conn, S, h))) return null;
          const values = await distinct(HOUR_KEY(`"h${h}"`), '');
          const w: QualityWarning[] = [];
          const mp = mapValues(e, values, tz, range, w);
          if (!hoursLinear(e, values, mp, tz, range)) return null;
          warnings.push(...w);
          return mp;
        };
        const hours = await perHour();
        const hourly = hours !== null;
        const mp =
          hours ??
          mapValues(e, await distinct(`"h${h}"`, where, dp.length ? dp : undefined), tz, range, warnings);
        if (mp.unsafe) {
          if (!SQL_NUMBERS.has(types[h]!)) throw new SqlAttachFallback(`unsafe integers in ${e.out}`);
          warnings.push(
            qualityWarning('unsafe_integer_id', { column: e.out, count: await unsafeCells(conn, S, h) }),
          );
        }
        const defs = [`id INTEGER`, `v ${SQL_TYPE[e.type]}`];
        if (e.type === 'date') for (const p of PARTS) defs.push(`"p_${p}" INTEGER`);
        defs.push('code INTEGER', 'u BOOLEAN');
        await conn.run(`CREATE TEMP TABLE ${M} (${defs.join(', ')})`);
        await appendMapping(conn, `${tmp}_m${j}`, mp);
        const k = hourly ? HOUR_KEY(x) : x;
        joins.push(`LEFT JOIN ${D} ON ${k} IS NOT DISTINCT FROM ${D}.k LEFT JOIN ${M} ON ${M}.id = ${D}.id`);
        if (hourly)
          select.push(
            `${M}.v + CAST(substr(${x}, 15, 2) AS INTEGER) * 60000 + CAST(substr(${x}, 18, 2) AS INTEGER) * 1000 AS "v${j}"`,
            `${M}.u AS "u${j}"`,
            `${M}.code AS "k${j}"`,
          );
        else if (plain)
          select.push(
            `CASE WHEN ${D}.id IS NULL THEN ${x} ELSE ${M}.v END AS "v${j}"`,
            `COALESCE(${M}.u, false) AS "u${j}"`,
            `COALESCE(${M}.code, 0) AS "k${j}"`,
          );
        else select.push(`${M}.v AS "v${j}"`, `${M}.u AS "u${j}"`, `${M}.code AS "k${j}"`);
        if (e.type === 'date') for (const p of PARTS) select.push(`${M}."p_${p}" AS "v${j}_${p}"`);
      }
      codes.push(`COALESCE(NULLIF("k${j}", 0), 99)`);
    }
    const Z = `"${tmp}_z"`;
    temps.push(Z);
    const first = codes.length > 1 ? `least(${codes.join(', ')})` : codes[0]!;
    await conn.run(
      `CREATE TEMP TABLE ${Z} AS SELECT ${select.join(', ')}, ` +
        `CASE WHEN ${first} = 99 THEN 0 ELSE ${first} END AS code FROM ${S} s ${joins.join(' ')}`,
      params,
    );
    await conn.run(`DROP TABLE ${S}`);
    // Rule 7, only when some key repeats among the rows passing rules 1–6 (a grouping finds out;
    // the ordered window that marks the later rows runs only then).
    const out = (k: string): number => plan.entries.findIndex((e) => e.out === k);
    const key = schema.key.length && schema.key.every((k) => out(k) >= 0) ? schema.key.map(out) : [];
    if (key.length) {
      const present = key.map((j) => `"v${j}" IS NOT NULL`).join(' AND ');
      const list = key.map((j) => `"v${j}"`).join(', ');
      const ok = `code = 0 AND ${present}`;
      const dup = await rows(
        conn,
        `SELECT count(*) AS n FROM (SELECT 1 FROM ${Z} WHERE ${ok} GROUP BY ${list} HAVING count(*) > 1)`,
      );
      if (Number(dup[0]!['n']) > 0)
        await conn.run(
          `UPDATE ${Z} SET code = 7 WHERE i IN (SELECT i FROM (SELECT i, row_number() OVER ` +
            `(PARTITION BY ${list} ORDER BY i) AS rn FROM ${Z} WHERE ${ok}) WHERE rn > 1)`,
        );
    }

    // The report's counts, samples and coerced cells.
    const rejected = emptyRejected();
    for (const r of await rows(conn, `SELECT code, count(*) AS n FROM ${Z} WHERE code > 0 GROUP BY code`))
      rejected[REJECT_REASONS[Number(r['code']) - 1]!] = Number(r['n']);
    const samples = Object.fromEntries(REJECT_REASONS.map((r) => [r, [] as number[]])) as Record<
      RejectReason,
      number[]
    >;
    for (const r of await rows(
      conn,
      `SELECT code, i FROM (SELECT code, i, row_number() OVER (PARTITION BY code ORDER BY i) AS rn ` +
        `FROM ${Z} WHERE code > 0) WHERE rn <= 5 ORDER BY code, i`,
    ))
      samples[REJECT_REASONS[Number(r['code']) - 1]!].push(Number(r['i']) + 1);
    const total = REJECT_REASONS.reduce((a, r) => a + rejected[r], 0);
    const coerced = Object.create(null) as DataQualityReport['coerced'];
    const optional = plan.entries.map((e, j) => [e, j] as const).filter(([e]) => !e.spec!.required);
    if (optional.length) {
      const counts = (
        await rows(
          conn,
          `SELECT ${optional.map(([, j]) => `count(*) FILTER (WHERE "u${j}" AND code = 0) AS "n${j}", count(*) FILTER (WHERE "u${j}") AS "a${j}"`).join(', ')} FROM ${Z}`,
        )
      )[0]!;
      for (const [e, j] of optional) {
        const k = Number(counts[`n${j}`]);
        if (Number(counts[`a${j}`]) === 0 || k === 0) continue;
        const per = Object.create(null) as Partial<Record<CoerceReason, number>>;
        per[coerceReasonOf(e.type)] = k;
        coerced[e.out] = per;
      }
    }
    const summary = {
      rowsRead,
      rowsKept: rowsRead - total,
      rowsRejected: total,
      rejected,
      duplicatesRemoved: rejected.duplicate_key,
      samples,
      coerced,
    };

    // Masking: the ingestion's applyMasking on each text column's kept dictionary. Of a column
    // that is not PII by its schema, masking can change only the values `mayHoldPii` accepts, so
    // only the values matching a wider pattern (MAY_HOLD_PII) make the trip; the rest stay as
    // they are through the mapping's default.
    const dicts = new Map<string, Column>();
    for (const [j, e] of plan.entries.entries()) {
      if (e.type !== 'cat') continue;
      const some = e.spec!.pii ? '' : ` AND regexp_matches("v${j}", $1)`;
      const dict = (await column(
        conn,
        `SELECT v FROM (SELECT "v${j}" AS v, min(i) AS f FROM ${Z} WHERE code = 0 AND "v${j}" IS NOT NULL${some} ` +
          `GROUP BY "v${j}") ORDER BY f`,
        some ? [MAY_HOLD_PII] : undefined,
      )) as string[];
      dicts.set(e.out, { kind: 'cat', dict, codes: Int32Array.from(dict, (_, k) => k) });
    }
    const before = new Map(dicts);
    const { masked, maskedColumns } = applyMasking(dicts, plan.entries, opts, warnings);
    pushOutcomeWarnings(summary, schema, warnings);

    // The table: kept rows in file order, masked values through their mapping.
    const cols = new Map<string, ColInfo>();
    const final: string[] = ['r'];
    const maskJoins: string[] = [];
    for (const [j, e] of plan.entries.entries()) {
      const id = `c${j}`;
      cols.set(e.out, { kind: e.type, id });
      const after = dicts.get(e.out);
      if (e.type === 'cat' && after && after !== before.get(e.out)) {
        const K = `"${tmp}_k${j}"`;
        temps.push(K);
        await conn.run(`CREATE TEMP TABLE ${K} (v VARCHAR, mv VARCHAR)`);
        await appendMasks(conn, `${tmp}_k${j}`, before.get(e.out) as CatColumn, after as CatColumn);
        maskJoins.push(`LEFT JOIN ${K} ON z."v${j}" = ${K}.v`);
        final.push(`CASE WHEN ${K}.v IS NULL THEN z."v${j}" ELSE ${K}.mv END AS "${id}"`);
      } else final.push(`z."v${j}" AS "${id}"`);
      if (e.type === 'date') for (const p of PARTS) final.push(`z."v${j}_${p}" AS "${id}_${p}"`);
    }
    // `r`: the kept-row index = the file row index minus the rejected rows before it (an as-of
    // join on the rejected rows, few, instead of numbering every row in one ordered window; none
    // when no row was rejected). Rows in file order, unless the layout copies the table in its
    // own order next (`sortedByLayout`).
    let from = `${Z} z`;
    if (total > 0) {
      const RJ = `"${tmp}_rj"`;
      temps.push(RJ);
      await conn.run(
        `CREATE TEMP TABLE ${RJ} AS SELECT i AS j, row_number() OVER (ORDER BY i) AS cum FROM ${Z} WHERE code > 0`,
      );
      final[0] = `(z.i - COALESCE(${RJ}.cum, 0))::BIGINT AS "r"`;
      from += ` ASOF LEFT JOIN ${RJ} ON z.i > ${RJ}.j`;
    } else final[0] = `z.i::BIGINT AS "r"`;
    await conn.run(
      `CREATE TABLE "${table}" AS SELECT ${final.join(', ')} FROM ${from} ${maskJoins.join(' ')} WHERE z.code = 0` +
        (sortedByLayout(cols) ? '' : ' ORDER BY z.i'),
    );
    const st = cols.get('status');
    const statuses =
      st && st.kind === 'cat'
        ? ((await column(
            conn,
            `SELECT v FROM (SELECT "${st.id}" AS v, min(r) AS f FROM "${table}" WHERE "${st.id}" IS NOT NULL GROUP BY 1) ORDER BY f`,
          )) as string[])
        : [];
    const report: DataQualityReport = {
      dataset: name,
      ...summary,
      warnings,
      columns: {
        mapped: plan.mapped,
        extra: plan.extra,
        missingOptional: plan.missingOptional,
        types: Object.fromEntries(plan.entries.map((e) => [e.out, e.type])),
      },
      maskedColumns,
    };
    return { report, cols, n: summary.rowsKept, masked, statuses };
  } finally {
    await drop();
  }
}

/** `YYYY-MM-DD HH:MM:SS` as text: hours 00–23, minutes and seconds 00–59. */
const HOUR_SHAPED = '[0-9]{4}-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]';
/** The hour of an HOUR_SHAPED cell, as a timestamp text at its first second. */
const HOUR_KEY = (x: string): string => `(substr(${x}, 1, 13) || ':00:00')`;

/** Whether every non-null cell of the staged text column `h` is HOUR_SHAPED. */
async function allHourShaped(conn: DuckConnection, staged: string, h: number): Promise<boolean> {
  const r = await conn.runAndReadAll(
    `SELECT count(*) AS n FROM ${staged} WHERE "h${h}" IS NOT NULL AND NOT regexp_full_match("h${h}", $1)`,
    [HOUR_SHAPED],
  );
  return Number(r.getRowObjectsJS()[0]!['n']) === 0;
}

/**
 * Whether the ingestion's parse is linear within every hour of `values` (hour keys): each hour's
 * first and last second parse, pass every rule and lie 3 599 000 ms apart with the same date
 * parts, so a cell's value is its hour's plus its minutes and seconds (the time zone's offset
 * does not change inside the hour). Anything else maps the column's cells one by one.
 */
function hoursLinear(
  e: PlanEntry,
  values: unknown[],
  first: Mapped,
  tz: string,
  range: [number, number],
): boolean {
  const ends = values.map((v) => (typeof v === 'string' ? `${v.slice(0, 13)}:59:59` : v));
  const last = mapValues(e, ends, tz, range, []);
  const a = first.col;
  const b = last.col;
  if (a.kind !== 'date' || b.kind !== 'date') return false;
  for (let k = 0; k < values.length; k++) {
    if (values[k] === null) continue;
    if (first.code[k] || first.unparseable[k] || last.code[k] || last.unparseable[k]) return false;
    if (b.data[k]! - a.data[k]! !== 3_599_000) return false;
    for (const p of PARTS) if (a[p][k] !== b[p][k]) return false;
  }
  return true;
}

/** Append a column's per-value mapping (id, typed value, date parts, code, unparseable). */
async function appendMapping(conn: DuckConnection, table: string, mp: Mapped): Promise<void> {
  const app = await conn.createAppender(table);
  const col = mp.col;
  try {
    for (let i = 0; i < mp.code.length; i++) {
      app.appendInteger(i);
      appendCell(app, col, i);
      app.appendInteger(mp.code[i]!);
      app.appendBoolean(mp.unparseable[i] === 1);
      app.endRow();
    }
    app.flushSync();
  } finally {
    app.closeSync();
  }
}

/** Append the masked value of every kept value of a text column whose masking changed it. */
async function appendMasks(conn: DuckConnection, table: string, a: CatColumn, b: CatColumn): Promise<void> {
  const app = await conn.createAppender(table);
  try {
    for (let k = 0; k < a.dict.length; k++) {
      app.appendVarchar(a.dict[k]!);
      app.appendVarchar(b.dict[b.codes[k]!]!);
      app.endRow();
    }
    app.flushSync();
  } finally {
    app.closeSync();
  }
}
