/**
 * `finboard generate`: write the seeded sample (all seven canonical datasets) as CSV or Parquet
 * files without holding the whole sample in memory.
 *
 * The sample is generated in parts of at most `partCustomers` customers (default 80 000, about
 * 1M loan-month rows): part 0 is `generateSample()` of the options as given (so a sample that fits
 * one part is byte for byte the in-memory sample), part p ≥ 1 is the same options with
 * `seed · 1000 + p` and its keys suffixed `-p` (`CU00000001-3`, `LN2401000001-3`), so keys stay
 * unique across parts and a loan's months and a customer's transactions stay together. The
 * acquisition funnel (funnel_events, campaign_spend) is portfolio-wide and comes from part 0 only.
 * Each part is appended to the CSV files in chunks of rows with back-pressure and then dropped, so
 * memory is one part (≈ 0.3 GB), whatever the total.
 *
 * Parquet: the CSV files are written first (into `<out>/.csv-parts`), then DuckDB converts each
 * with `COPY … TO … (FORMAT parquet)` out of core, reading dates as text (`YYYY-MM-DD` wall-clock
 * strings, exactly as in the CSV) and numbers as numbers; the CSV files are removed afterwards.
 */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSample, sampleOptionsForLoanMonths } from '../data/sample.js';
import type { SampleData, SampleOptions } from '../data/sample.js';

export interface GenerateOptions {
  /** Approximate loan-month rows (the customer count follows); else `sample` options. */
  loanMonths?: number;
  seed?: number;
  sample?: SampleOptions;
  /** Rows per write (default 50 000). */
  chunkRows?: number;
  /** Customers generated at once (default 80 000 ≈ 1M loan-month rows). */
  partCustomers?: number;
  /** `csv` (default) or `parquet` (needs `@duckdb/node-api`). */
  format?: 'csv' | 'parquet';
  /** Called after each part with the customers written so far and the total. */
  progress?: (done: number, total: number) => void;
}

export const DATASET_FILES = [
  'customers',
  'loans',
  'loan_months',
  'collection_actions',
  'transactions',
  'funnel_events',
  'campaign_spend',
] as const;

/** Datasets drawn once for the whole portfolio (part 0 only). */
const PORTFOLIO_WIDE = new Set(['funnel_events', 'campaign_spend']);
/** Key columns made unique across parts by the part suffix. */
const PART_KEYS = new Set(['customer_id', 'loan_id', 'case_id', 'action_id', 'txn_id']);

/** One CSV cell: RFC 4180 quoting; null/undefined empty. Data files keep values verbatim. */
function cell(v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = typeof v === 'string' ? v : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeTo(out: WriteStream, s: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(s)) return resolve();
    const done = (e?: Error): void => {
      out.off('drain', done);
      out.off('error', done);
      if (e) reject(e);
      else resolve();
    };
    out.on('drain', done);
    out.on('error', done);
  });
}

/** The options of part `p` of a sample of `opts` split into parts of `per` customers. */
function partOptions(opts: SampleOptions, p: number, per: number, total: number): SampleOptions {
  const customers = Math.min(per, total - p * per);
  const seed = opts.seed ?? 42;
  return { ...opts, customers, ...(p > 0 ? { seed: seed * 1000 + p } : {}) };
}

/** Write `<dir>/<dataset>.csv` for every dataset; returns rows written per dataset. */
export async function writeSampleCsv(
  dir: string,
  opts: GenerateOptions = {},
): Promise<Record<string, number>> {
  const sampleOpts: SampleOptions = opts.loanMonths
    ? sampleOptionsForLoanMonths(opts.loanMonths, opts.seed)
    : { ...opts.sample, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
  const total = Math.max(1, sampleOpts.customers ?? 2000);
  const per = Math.max(1, opts.partCustomers ?? 80_000);
  const parts = Math.ceil(total / per);
  const chunk = Math.max(1, opts.chunkRows ?? 50_000);
  await mkdir(dir, { recursive: true });
  const outs = new Map<string, { out: WriteStream; names: string[] }>();
  const counts: Record<string, number> = {};
  try {
    for (let p = 0; p < parts; p++) {
      let data: SampleData | null = generateSample(partOptions(sampleOpts, p, per, total));
      for (const [name, cols] of Object.entries(data)) {
        if (p > 0 && PORTFOLIO_WIDE.has(name)) continue;
        let o = outs.get(name);
        if (!o) {
          o = {
            out: createWriteStream(join(dir, `${name}.csv`), { encoding: 'utf8' }),
            names: Object.keys(cols),
          };
          outs.set(name, o);
          await writeTo(o.out, o.names.map(cell).join(',') + '\n');
        }
        const record = cols as Record<string, unknown[]>;
        const arrays = o.names.map((k) => {
          const a = record[k] ?? [];
          return p > 0 && PART_KEYS.has(k)
            ? a.map((v) => (v === null || v === undefined ? v : `${String(v)}-${p}`))
            : a;
        });
        const n = arrays[0]?.length ?? 0;
        for (let lo = 0; lo < n; lo += chunk) {
          const hi = Math.min(n, lo + chunk);
          const lines: string[] = [];
          for (let i = lo; i < hi; i++) lines.push(arrays.map((a) => cell(a[i])).join(','));
          await writeTo(o.out, lines.join('\n') + '\n');
        }
        counts[name] = (counts[name] ?? 0) + n;
      }
      data = null;
      opts.progress?.(Math.min(total, (p + 1) * per), total);
    }
  } finally {
    for (const { out } of outs.values())
      await new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
  }
  return counts;
}

interface DuckConn {
  run(sql: string, values?: unknown[]): Promise<unknown>;
  closeSync(): void;
}

/** CSV files → Parquet files with DuckDB, out of core (paths checked by `plainPath`). */
export async function csvToParquet(csvDir: string, dir: string, names: string[]): Promise<void> {
  const mod = (await import('@duckdb/node-api')) as unknown as {
    DuckDBInstance: {
      create(
        path: string,
        o?: Record<string, string>,
      ): Promise<{ connect(): Promise<DuckConn>; closeSync(): void }>;
    };
  };
  await mkdir(dir, { recursive: true });
  const inst = await mod.DuckDBInstance.create(':memory:', {
    memory_limit: '2GB',
    temp_directory: join(csvDir, '.tmp'),
  });
  const conn = await inst.connect();
  try {
    for (const name of names) {
      // COPY takes no bound parameters: both paths are the operator's own, refused unless plain
      // (`plainPath`); the dataset names come from the fixed list above.
      const from = plainPath(join(csvDir, `${name}.csv`));
      const to = plainPath(join(dir, `${name}.parquet`));
      await conn.run(
        `COPY (SELECT * FROM read_csv('${from}', header = true, sample_size = -1, auto_type_candidates = ['BOOLEAN', 'BIGINT', 'DOUBLE', 'VARCHAR'])) TO '${to}' (FORMAT parquet, COMPRESSION zstd)`,
      );
    }
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

/**
 * COPY's target path, which DuckDB takes only as a literal: no quoting here — a path with anything
 * but letters, digits, space and `/ . _ - + @ , :` is refused (choose a plainer `--out`).
 */
function plainPath(s: string): string {
  if (!/^[\p{L}\p{N} /._\-+@,:]+$/u.test(s))
    throw new Error(`the output path ${JSON.stringify(s)} has characters a Parquet target may not have`);
  return s;
}

/** Write the sample as `<dir>/<dataset>.csv` or `.parquet`; returns rows per dataset. */
export async function writeSample(dir: string, opts: GenerateOptions = {}): Promise<Record<string, number>> {
  if ((opts.format ?? 'csv') === 'csv') return writeSampleCsv(dir, opts);
  const csvDir = join(dir, '.csv-parts');
  try {
    const counts = await writeSampleCsv(csvDir, opts);
    await csvToParquet(csvDir, dir, Object.keys(counts));
    return counts;
  } finally {
    await rm(csvDir, { recursive: true, force: true });
  }
}
