/**
 * The differential suite's cases, shared by every SQL backend's run (DuckDB, ClickHouse): the
 * request lists (compiled metrics × param variants × filters, policy clauses, hostile strings,
 * the real Taiwan book), the comparison loop and the printed tally.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { parseTaiwanCsv } from '../../../../src/data/real/taiwan.js';
import type { FilterClause, QueryRequest } from '../../../../src/engine/types.js';
import type { Backend } from '../../../../src/server/backend.js';
import { COMPILED } from '../../../../src/server/sql/registry.js';
import { XSS_PAYLOADS } from '../../../fixtures/xss.js';
import { compareOutcomes, outcome } from './compare.js';
import { PARAM_VARIANTS } from './variants.js';
import { loanSourceCases } from './variants-sql-loan.js';

export interface Case {
  req: QueryRequest;
  required?: FilterClause[];
}

export interface Tally {
  comparisons: number;
  /** Comparisons where memory answered with rows (the suite must not compare only empty answers). */
  withRows: number;
  /** Comparisons where both sides failed (typed errors compared). */
  errors: number;
  mismatches: string[];
}

export const newTally = (): Tally => ({ comparisons: 0, withRows: 0, errors: 0, mismatches: [] });

/** Compare every case on two backends, `concurrency` requests in flight (a server backend's pace). */
export async function compareAll(
  a: Backend,
  b: Backend,
  reqs: Case[],
  tally: Tally,
  concurrency = 1,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < reqs.length) await compareOne(a, b, reqs[next++]!, tally);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function compareOne(a: Backend, b: Backend, { req, required }: Case, tally: Tally): Promise<void> {
  {
    const m = await outcome(a, req, required);
    const s = await outcome(b, req, required);
    tally.comparisons++;
    if (m.ok && ((m.value as { data?: unknown[] }).data?.length ?? 0) > 0) tally.withRows++;
    if (!m.ok && !s.ok) tally.errors++;
    const d = compareOutcomes(m, s);
    if (d) tally.mismatches.push(`${JSON.stringify(req).slice(0, 300)} → ${d}`);
    // A SQL backend never leaks an engine failure for a request-side problem.
    if (!s.ok) expect(s.code, JSON.stringify(req)).not.toBe('backend_unavailable');
  }
}

export function report(label: string, t: Tally): void {
  // The suite's figure: printed for the record (docs/server.md quotes it).
  console.log(
    `[differential] ${label}: ${t.comparisons} comparisons (${t.withRows} with rows, ${t.errors} typed errors on both), ${t.mismatches.length} mismatches`,
  );
  for (const m of t.mismatches.slice(0, 10)) console.log(`  ${m}`);
}

/** Filter sets over the seeded sample: eq, in (null included), ranges, date parts, joined fields. */
export async function sampleFilters(mem: Backend): Promise<FilterClause[][]> {
  const values = async (field: string, source = 'loan_months'): Promise<Array<string | number>> =>
    ((await mem.distinct({ source, field, order: 'value' })).data as Array<{ value: string | number }>).map(
      (r) => r.value,
    );
  const regions = await values('region');
  const products = await values('product');
  const segments = await values('segment');
  const months = await values('snapshot_date.month');
  const mid = months[Math.floor(months.length / 2)] as string;
  return [
    [],
    [{ field: 'region', op: 'eq', value: regions[0]! }],
    [{ field: 'product', op: 'in', value: products.slice(0, 2) }],
    [{ field: 'issue_date', op: 'range', value: [null, '2005-04'] }],
    [{ field: 'region', op: 'in', value: [null, regions[1] ?? regions[0]!] }],
    [{ field: 'segment', op: 'eq', value: segments[0]! }],
    [{ field: 'dpd', op: 'range', value: [0, 60] }],
    [{ field: 'outstanding', op: 'range', value: [1000, null] }],
    [{ field: 'snapshot_date', op: 'range', value: [months[1] as string, mid] }],
    [{ field: 'snapshot_date', op: 'range', value: [null, `${mid}-15`] }],
    [
      {
        field: 'snapshot_date.month',
        op: 'in',
        value: [months[2] as string, mid, months[months.length - 1] as string],
      },
    ],
    [{ field: 'issue_date.month', op: 'range', value: [months[0] as string, mid] }],
    [{ field: 'status', op: 'eq', value: 'active' }],
    [{ field: 'no_such_field', op: 'eq', value: 'x' }],
    [
      { field: 'region', op: 'in', value: regions.slice(0, 3) },
      { field: 'snapshot_date.month', op: 'range', value: [mid, null] },
    ],
  ];
}

/**
 * Every compiled metric × its variants × filters. The first three variants (valid ones) meet
 * every filter set; the rest (bad params, rarer options) meet the unfiltered and one joined
 * filter: keeps the suite fast on a shared box.
 */
export function variantCases(filters: FilterClause[][]): Case[] {
  const reqs: Case[] = [];
  for (const metric of Object.keys(COMPILED)) {
    const variants = PARAM_VARIANTS[metric] ?? [{}];
    variants.forEach((params, v) => {
      for (const f of v < 3 ? filters : filters.slice(0, 2))
        reqs.push({ req: { metric, params, filters: f } });
    });
  }
  reqs.push(...loanSourceCases(filters));
  return reqs;
}

/** A policy clause that applies (region) and one no dataset can resolve (→ forbidden). */
export async function policyCases(mem: Backend): Promise<{ reqs: Case[]; nowhere: FilterClause }> {
  const region = {
    field: 'region',
    op: 'eq',
    value: ((await mem.distinct({ field: 'region' })).data[0] as { value: string }).value,
  } as FilterClause;
  const nowhere = { field: 'collector_team', op: 'eq', value: 'A' } as FilterClause;
  const reqs = Object.keys(COMPILED).flatMap((metric) => [
    { req: { metric, params: PARAM_VARIANTS[metric]?.[0] ?? {}, filters: [region] }, required: [region] },
    { req: { metric, params: PARAM_VARIANTS[metric]?.[0] ?? {}, filters: [nowhere] }, required: [nowhere] },
  ]);
  return { reqs, nowhere };
}

/** XSS / SQL-injection strings in filter values, field names, params, sources and metric ids. */
export function hostileCases(): Case[] {
  const payloads = [
    ...XSS_PAYLOADS.slice(0, 12).map((p) => p.text),
    "'; DROP TABLE t1; --",
    '" OR 1=1 --',
    "x' UNION SELECT * FROM duckdb_tables() --",
    "x\\' OR 1=1 --",
    "') FORMAT TabSeparated --",
    '`; DROP DATABASE finboard; --',
    '$1',
    '\\',
    '\u0000',
  ];
  const reqs: Case[] = [];
  for (const s of payloads) {
    reqs.push({ req: { metric: 'overdue_rate', filters: [{ field: 'region', op: 'eq', value: s }] } });
    reqs.push({ req: { metric: 'overdue_rate', filters: [{ field: s, op: 'in', value: [s] }] } });
    reqs.push({
      req: { metric: 'bucket_trend', filters: [{ field: 'snapshot_date', op: 'range', value: [s, s] }] },
    });
    reqs.push({ req: { metric: 'flow_rate', filters: [{ field: 'dpd', op: 'in', value: [s, null] }] } });
    reqs.push({
      req: { metric: 'roll_rate', filters: [{ field: 'product', op: 'range', value: [s, null] }] },
    });
    reqs.push({ req: { metric: 'overdue_rate', params: { by: s } } });
    reqs.push({ req: { metric: 'overdue_rate', params: { measure: s } } });
    reqs.push({
      req: { metric: 'bucket_trend', params: { labels: [s, 'b', 'c', 'd'], edges: [0, 30, 60, 90] } },
    });
    reqs.push({ req: { metric: 'overdue_rate', source: s } });
    reqs.push({ req: { metric: s } });
  }
  return reqs;
}

/** The first 10,000 of the Taiwan credit-default clients (× 6 months): real data, small enough for `npm test`. */
export function taiwanBook(): ReturnType<typeof parseTaiwanCsv> {
  const file = new URL('../../../../datasets/taiwan_credit_default/UCI_Credit_Card.csv.gz', import.meta.url);
  const text = gunzipSync(readFileSync(file)).toString('utf8').split('\n').slice(0, 10_002).join('\n');
  return parseTaiwanCsv(text);
}

/** Compiled metrics × two variants × filters over the Taiwan book. */
export async function taiwanCases(mem: Backend): Promise<Case[]> {
  const products = (
    (await mem.distinct({ source: 'loans', field: 'product', order: 'value' })).data as Array<{
      value: string;
    }>
  ).map((r) => r.value);
  expect(products.length).toBeGreaterThan(0);
  const filters: FilterClause[][] = [
    [],
    [{ field: 'product', op: 'in', value: products.slice(0, 2) }],
    [{ field: 'issue_date', op: 'range', value: [null, '2005-04'] }],
    [{ field: 'snapshot_date.month', op: 'range', value: ['2005-06', null] }],
  ];
  const reqs: Case[] = [];
  for (const metric of Object.keys(COMPILED)) {
    for (const params of (PARAM_VARIANTS[metric] ?? [{}]).slice(0, 2))
      for (const f of filters) reqs.push({ req: { metric, params, filters: f } });
  }
  return reqs;
}
