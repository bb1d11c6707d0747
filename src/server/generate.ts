/**
 * `finboard generate`: write the seeded sample (all seven canonical datasets) as CSV files, in
 * chunks of rows with back-pressure, so the text of a 10M-row file is never held in memory.
 * The generator itself still builds the sample's columns in memory (about 1 GB at 10M
 * loan-months); a streaming generator is future work. Parquet has no dependency-free writer
 * here: write CSV, then convert with DuckDB (`COPY (FROM 'x.csv') TO 'x.parquet'`).
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSample, sampleOptionsForLoanMonths } from '../data/sample.js';
import type { SampleOptions } from '../data/sample.js';

export interface GenerateOptions {
  /** Approximate loan-month rows (the customer count follows); else `sample` options. */
  loanMonths?: number;
  seed?: number;
  sample?: SampleOptions;
  /** Rows per write (default 50 000). */
  chunkRows?: number;
}

/** One CSV cell: RFC 4180 quoting; null/undefined empty. Data files keep values verbatim. */
function cell(v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = typeof v === 'string' ? v : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Write `<dir>/<dataset>.csv` for every dataset; returns rows written per dataset. */
export async function writeSampleCsv(
  dir: string,
  opts: GenerateOptions = {},
): Promise<Record<string, number>> {
  const sampleOpts: SampleOptions = opts.loanMonths
    ? sampleOptionsForLoanMonths(opts.loanMonths, opts.seed)
    : { ...opts.sample, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
  const data = generateSample(sampleOpts);
  await mkdir(dir, { recursive: true });
  const chunk = Math.max(1, opts.chunkRows ?? 50_000);
  const counts: Record<string, number> = {};
  for (const [name, cols] of Object.entries(data)) {
    const names = Object.keys(cols);
    const arrays = names.map((k) => (cols as Record<string, unknown[]>)[k]!);
    const n = arrays[0]?.length ?? 0;
    const out = createWriteStream(join(dir, `${name}.csv`), { encoding: 'utf8' });
    const write = (s: string): Promise<void> =>
      new Promise((resolve, reject) => {
        if (out.write(s)) resolve();
        else {
          out.once('drain', resolve);
          out.once('error', reject);
        }
      });
    await write(names.map(cell).join(',') + '\n');
    for (let lo = 0; lo < n; lo += chunk) {
      const hi = Math.min(n, lo + chunk);
      const lines: string[] = [];
      for (let i = lo; i < hi; i++) lines.push(arrays.map((a) => cell(a[i])).join(','));
      await write(lines.join('\n') + '\n');
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    counts[name] = n;
  }
  return counts;
}
