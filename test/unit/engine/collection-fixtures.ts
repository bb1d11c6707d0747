/** Shared fixtures for the collection metric tests: tiny hand-computable datasets. */
import { datasetFromColumns } from '../../../src/data/columns.js';
import type { Dataset } from '../../../src/data/dataset.js';
import { typesOf } from '../../../src/data/schemas.js';
import { MetricContext } from '../../../src/engine/context.js';
import type { MetricDef } from '../../../src/engine/metric.js';
import type { FilterClause, MetricResult } from '../../../src/engine/types.js';

/** `YYYY-MM` → month-end date `YYYY-MM-DD`. */
export function monthEnd(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-${String(last).padStart(2, '0')}`;
}

export interface LmRow {
  loan: string | null;
  m: string | null;
  out: number | null;
  dpd: number | null;
  due?: number | null;
  paid?: number | null;
  status?: string | null;
}

export function loanMonths(rows: LmRow[]): Dataset {
  return datasetFromColumns(
    'loan_months',
    {
      loan_id: rows.map((r) => r.loan),
      snapshot_date: rows.map((r) => (r.m === null ? null : monthEnd(r.m))),
      outstanding: rows.map((r) => r.out),
      dpd: rows.map((r) => r.dpd),
      due_amount: rows.map((r) => (r.due === undefined ? null : r.due)),
      paid_amount: rows.map((r) => (r.paid === undefined ? null : r.paid)),
      status: rows.map((r) => r.status ?? 'active'),
    },
    typesOf('loan_months'),
  );
}

export interface LoanRow {
  id: string;
  issue: string;
  principal: number | null;
  region?: string | null;
  product?: string;
}

export function loans(rows: LoanRow[]): Dataset {
  return datasetFromColumns(
    'loans',
    {
      loan_id: rows.map((r) => r.id),
      issue_date: rows.map((r) => r.issue),
      principal: rows.map((r) => r.principal),
      region: rows.map((r) => r.region ?? null),
      product: rows.map((r) => r.product ?? 'cash'),
    },
    typesOf('loans'),
  );
}

export interface ActionRow {
  id?: string;
  case?: string | null;
  loan?: string | null;
  collector: string | null;
  team?: string | null;
  time: string | null;
  channel: string | null;
  contacted?: boolean | null;
  ptp?: boolean | null;
  ptpAmount?: number | null;
  ptpDue?: string | null;
  paid?: number | null;
  cost?: number | null;
}

export function actions(rows: ActionRow[]): Dataset {
  return datasetFromColumns(
    'collection_actions',
    {
      action_id: rows.map((r, i) => r.id ?? `A${i + 1}`),
      case_id: rows.map((r) => r.case ?? null),
      loan_id: rows.map((r) => r.loan ?? null),
      customer_id: rows.map(() => null),
      collector_id: rows.map((r) => r.collector),
      team: rows.map((r) => r.team ?? null),
      action_time: rows.map((r) => r.time),
      channel: rows.map((r) => r.channel),
      contacted: rows.map((r) => r.contacted ?? null),
      ptp: rows.map((r) => r.ptp ?? null),
      ptp_amount: rows.map((r) => r.ptpAmount ?? null),
      ptp_due_date: rows.map((r) => r.ptpDue ?? null),
      paid_amount: rows.map((r) => r.paid ?? null),
      cost: rows.map((r) => r.cost ?? null),
    },
    typesOf('collection_actions'),
  );
}

export function ctxOf(datasets: Dataset[], filters: FilterClause[] = []): MetricContext {
  return new MetricContext(new Map(datasets.map((d) => [d.name, d])), filters);
}

export function run<R = Record<string, unknown>>(
  m: MetricDef,
  datasets: Dataset[],
  params: Record<string, unknown> = {},
  filters: FilterClause[] = [],
  source: string = m.source,
): MetricResult<R> {
  return m.run(ctxOf(datasets, filters), params, source) as unknown as MetricResult<R>;
}

/** Deterministic permutation of an array (seeded LCG) for shuffle tests. */
export function shuffled<T>(xs: T[], seed: number): T[] {
  const a = xs.slice();
  let s = seed >>> 0 || 1;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
