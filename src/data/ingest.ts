/**
 * The ingestion boundary: any host input → a validated, cleaned, masked `Dataset` plus the
 * `DataQualityReport` describing what happened to it.
 *
 * Pipeline (this module only orchestrates it): read the input into raw columns (read/, one reader
 * per format; raw.ts; one array per host column, no per-row objects for CSV, columnar, Arrow and
 * Arquero inputs; CSV fields decoded by the typed sinks of sinks.ts) → resolve the `fields` mapping
 * onto the canonical schema (plan.ts; columns outside it typed by infer.ts) → convert each column
 * once to its typed form (convert.ts: identifiers and categories are exact strings in a dictionary,
 * numbers Float64Array, dates epoch ms with period indexes) → validate (quality.ts) → drop rejected
 * rows (compact.ts) → mask PII on the dictionaries (mask-columns.ts, with the rules of mask.ts).
 */
// Import order is evaluation order, hence the order of code in a bundle: this one (readers first)
// keeps the headless core's gzip size at or under what it was as one file (scripts/check-build.mjs).
import { readInput } from './read/input.js';
import { fetchRaw, urlOf } from './read/url.js';
import type { RawTable } from './raw.js';
import type { IngestInput, IngestOptions, IngestResult } from './ingest-types.js';
import type { ColumnType } from './columns.js';
import { offsetGetter } from './columns.js';
import type { Column, Dataset } from './dataset.js';
import { applyMasking } from './mask-columns.js';
import { resolveDateRange } from './date-range.js';
import type { CheckedColumn, DataQualityReport, QualityWarning } from './quality.js';
import { emptyRejected, qualityWarning, summarizeRows, validateRows } from './quality.js';
import { schemaOf } from './schemas.js';
import { FinError } from '../engine/errors.js';
import { csvTypes, planColumns } from './plan.js';
import type { Plan, PlanEntry } from './plan.js';
import { convert, normalizeCategories } from './convert.js';
import { compactColumn } from './compact.js';

export type { DataQualityReport, QualityWarning, RejectReason } from './quality.js';
export type {
  ColumnarInput,
  IngestInput,
  IngestOptions,
  IngestResult,
  TypedArray,
  UrlInput,
} from './ingest-types.js';
export type { CsvTypes, PreparedColumn, RawTable } from './raw.js';
export { rawValues } from './raw.js';
export { readInput } from './read/input.js';
export { urlOf } from './read/url.js';
export { quoteUnsafeIntegers } from './read/json.js';
export { parseCSV } from './read/csv.js';
export { AutoSink, CatSink, DateSink, NumSink } from './sinks.js';
export { inferType, isIdLikeName } from './infer.js';

// ---------------------------------------------------------------------------------------------
// Entry points

/** Ingest any input, fetching URLs. */
export async function ingest(
  name: string,
  input: IngestInput,
  opts: IngestOptions = {},
): Promise<IngestResult> {
  const url = urlOf(input);
  if (url !== null) {
    checkTimeZone(opts);
    const raw = await fetchRaw(url, opts, csvTypes(name, opts));
    return buildDataset(name, raw, opts);
  }
  return ingestSync(name, input, opts);
}

/** Ingest an input that needs no fetch (everything but URLs). */
export function ingestSync(name: string, input: IngestInput, opts: IngestOptions = {}): IngestResult {
  if (urlOf(input) !== null) {
    throw new FinError('bad_input', 'A URL input needs the asynchronous ingest()', { dataset: name });
  }
  checkTimeZone(opts);
  return buildDataset(name, readInput(input, opts, csvTypes(name, opts)), opts);
}

function checkTimeZone(opts: IngestOptions): void {
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  try {
    offsetGetter(tz);
  } catch {
    throw new FinError('bad_input', `Unknown time zone "${tz}"`, { timeZone: tz });
  }
}

// ---------------------------------------------------------------------------------------------
// Assembly

/** The load's date range (`opts.dateRange`, else the default), a bad one as `bad_params`. */
export function dateRangeOf(opts: IngestOptions): [number, number] {
  try {
    return resolveDateRange(opts.dateRange);
  } catch (e) {
    throw new FinError('bad_params', e instanceof Error ? e.message : String(e), {
      dateRange: opts.dateRange,
    });
  }
}

function buildDataset(name: string, raw: RawTable, opts: IngestOptions): IngestResult {
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  const schema = opts.schema ?? schemaOf(name);
  const fields = opts.fields ?? {};
  const warnings: QualityWarning[] = [...raw.warnings];
  const n = raw.n;

  let plan: Plan;
  if (raw.names.length === 0 && n === 0) {
    // Nothing to read (e.g. `[]`): an empty dataset with the schema's columns, not an error.
    warnings.push(qualityWarning('empty_input'));
    const empty: RawTable = { ...raw, names: [], columns: new Map(), prepared: new Map() };
    if (schema)
      for (const k of Object.keys(schema.fields)) {
        empty.names.push(k);
        empty.columns.set(k, []);
      }
    plan = planColumns(name, empty, schema, {});
    raw = empty;
  } else {
    plan = planColumns(name, raw, schema, fields);
  }
  warnings.push(...plan.warnings);

  // Convert.
  const checked: CheckedColumn[] = [];
  for (const e of plan.entries) {
    const { conv, col } = convertEntry(e, raw, n, tz, warnings);
    if (conv.unsafeInts)
      warnings.push(qualityWarning('unsafe_integer_id', { column: e.out, count: conv.unsafeInts }));
    checked.push({ name: e.out, col, spec: e.spec, unparseable: conv.unparseable });
  }

  // Validate.
  const byName = new Map<string, Column>();
  for (const c of checked) byName.set(c.name, c.col);
  const keyCols =
    schema && schema.key.length && schema.key.every((k) => byName.has(k))
      ? schema.key.map((k) => byName.get(k)!)
      : null;
  const rej = validateRows(n, checked, keyCols, dateRangeOf(opts));
  const summary = summarizeRows(n, rej, checked);

  // Keep the good rows.
  const cols = new Map<string, Column>();
  if (summary.rowsKept < n) {
    const idx = new Int32Array(summary.rowsKept);
    let k = 0;
    for (let i = 0; i < n; i++) if (rej[i] === 0) idx[k++] = i;
    for (const c of checked) cols.set(c.name, compactColumn(c.col, idx));
  } else {
    // Every dictionary entry comes from a cell, so with all rows kept none is unused.
    for (const c of checked) cols.set(c.name, c.col);
  }

  // Mask.
  const { masked, maskedColumns } = applyMasking(cols, plan.entries, opts, warnings);

  // Report.
  pushOutcomeWarnings(summary, schema, warnings);

  const outCols: Record<string, Column> = Object.create(null) as Record<string, Column>;
  const types: Record<string, ColumnType> = Object.create(null) as Record<string, ColumnType>;
  for (const e of plan.entries) {
    outCols[e.out] = cols.get(e.out)!;
    types[e.out] = cols.get(e.out)!.kind;
  }
  const dataset: Dataset = { name, n: summary.rowsKept, cols: outCols, timeZone: tz, masked };
  const report: DataQualityReport = {
    dataset: name,
    ...summary,
    warnings,
    columns: { mapped: plan.mapped, extra: plan.extra, missingOptional: plan.missingOptional, types },
    maskedColumns,
  };
  return { dataset, report };
}

/**
 * The warnings that tell what validation did (rows rejected, duplicates removed, cells coerced),
 * appended after the reading, planning and masking warnings. Shared with the DuckDB backend's SQL
 * attach, whose report must be this one.
 */
export function pushOutcomeWarnings(
  summary: ReturnType<typeof summarizeRows>,
  schema: { key: string[] } | undefined,
  warnings: QualityWarning[],
): void {
  const n = summary.rowsRead;
  if (summary.rowsRejected > 0) {
    const byReason = { ...summary.rejected };
    if (summary.rowsKept === 0) warnings.push(qualityWarning('all_rows_rejected', { rowsRead: n }));
    warnings.push(qualityWarning('rows_rejected', { count: summary.rowsRejected, rowsRead: n, byReason }));
  }
  if (summary.duplicatesRemoved > 0 && schema) {
    warnings.push(
      qualityWarning('duplicates_removed', { count: summary.duplicatesRemoved, key: schema.key }),
    );
  }
  const coercedCols = Object.keys(summary.coerced);
  if (coercedCols.length) {
    let count = 0;
    for (const c of coercedCols) for (const v of Object.values(summary.coerced[c]!)) count += v ?? 0;
    warnings.push(qualityWarning('cells_coerced', { count, columns: coercedCols }));
  }
}

/** An empty report (e.g. for a dataset that has not loaded yet). */
export function emptyReport(dataset: string): DataQualityReport {
  return {
    dataset,
    rowsRead: 0,
    rowsKept: 0,
    rowsRejected: 0,
    rejected: emptyRejected(),
    duplicatesRemoved: 0,
    coerced: Object.create(null) as DataQualityReport['coerced'],
    samples: {
      missing_required: [],
      unparseable_number: [],
      unparseable_date: [],
      negative_amount: [],
      out_of_range: [],
      invalid_category: [],
      duplicate_key: [],
    },
    warnings: [],
    columns: { mapped: {}, extra: [], missingOptional: [], types: {} },
    maskedColumns: [],
  };
}

/**
 * Convert one planned column to its type, with its categories normalised to the schema's values
 * (a `category_normalized` warning when some were): what ingestion and the SQL attach both do.
 */
export function convertEntry(
  e: PlanEntry,
  raw: RawTable,
  n: number,
  tz: string,
  warnings: QualityWarning[],
): { conv: ReturnType<typeof convert>; col: Column } {
  const conv = convert(e, raw, n, tz);
  let col: Column = conv.col;
  if (col.kind === 'cat' && e.spec?.values) {
    const norm = normalizeCategories(col, e.spec.values);
    if (norm.changed.length) {
      col = norm.col;
      warnings.push(
        qualityWarning('category_normalized', { column: e.out, values: norm.changed.slice(0, 10) }),
      );
    }
  }
  return { conv, col };
}
