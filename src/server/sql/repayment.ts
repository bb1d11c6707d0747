/**
 * `repayment_rate` compiled to SQL from its own definition (src/engine/metrics/repayment-rate.ts):
 * the SQL sums paid and due per (month, group) cell; `repaymentParams()` validates and
 * `repaymentResult()` / `repaymentActionsResult()` shape rows, totals, basis and quality.
 *
 * Rules both sides follow. On loan-months: a row is classified missing snapshot → (overdueOnly)
 * not overdue → missing due → missing paid → used; "overdue at the start of the month" reads the
 * same loan's selected row at t − 1 (the lowest row index of that loan-month), in book with
 * dpd ≥ edges[1]; a duplicate (loan, month) row other than the lowest row index is not overdue,
 * and duplicates are counted under overdueOnly. On collection_actions: an action's due is its
 * loan's selected loan_months row at the action month (lowest row index); an action whose loan_id
 * is in no loan_months row is `unknown_loan`; each (month, group, loan) adds its due once, each
 * (month, loan) once to the total.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { FinError } from '../../engine/errors.js';
import { groupOrder } from '../../engine/metrics/loan-months.js';
import { assertPeriods } from '../../engine/metrics/period-cap.js';
import type { RepaymentParamsResolved } from '../../engine/metrics/repayment-rate.js';
import {
  repaymentActionsResult,
  repaymentOnActions,
  repaymentParams,
  repaymentResult,
} from '../../engine/metrics/repayment-rate.js';
import type { CompiledMetric, Exec } from './collection.js';
import { NI, duplicateLoanMonths, loanMonths, num, side } from './collection.js';
import { first } from './vintage.js';
import type { SqlScope } from './scope.js';
import type { Sql } from './sql.js';
import { FALSE, IN_SUBQUERY, Ident, LEFT_JOIN, TRUE, raw, sql } from './sql.js';

const I = (n: string): Ident => new Ident(n);
const label = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const opt = (v: unknown): number => (v === null || v === undefined ? NULL_INDEX : num(v));

/** Groups present (labels of `rows`' `g`), in the memory engine's order (null last). */
function groupsOf(rows: Array<Record<string, unknown>>, hasGroup: boolean) {
  const present = [...new Set(rows.map((r) => label(r['g'])))];
  const labels: Array<string | null> | null = hasGroup
    ? [...present.filter((x): x is string => x !== null), null]
    : null;
  const gi = new Map<string | null, number>();
  labels?.forEach((l, i) => gi.set(l, i));
  const G = labels ? labels.length : 1;
  const order = labels ? groupOrder({ codes: new Int32Array(0), count: G, nullGroup: G - 1, labels }) : [0];
  const gOf = (r: Record<string, unknown>): number => (labels ? gi.get(label(r['g']))! : 0);
  return { labels, G, order, gOf };
}

/** Count, month extent and latest day of a subquery's `m` / `d` columns. */
async function extent(sub: Sql, m: string, d: string, exec: Exec) {
  const [e] = await exec(sql`SELECT count(*) AS n, min(CASE WHEN ${I(m)} <> ${NI} THEN ${I(m)} END) AS lo,
    max(CASE WHEN ${I(m)} <> ${NI} THEN ${I(m)} END) AS hi, max(CASE WHEN ${I(m)} <> ${NI} THEN ${I(d)} END) AS md
    FROM (${sub}) AS e`);
  const hi = opt(e!['hi']);
  return {
    count: num(e!['n']),
    m0: hi === NULL_INDEX ? NULL_INDEX : opt(e!['lo']),
    M: hi === NULL_INDEX ? 0 : hi - opt(e!['lo']) + 1,
    maxDay: opt(e!['md']),
  };
}

async function onLoanMonths(scope: SqlScope, p: RepaymentParamsResolved, source: string, exec: Exec) {
  const { sub, hasGroup, cols } = loanMonths(scope, source, p.by, [
    { field: 'due_amount', kind: 'num', as: 'due' },
    { field: 'paid_amount', kind: 'num', as: 'paid' },
  ]);
  const { count, m0, M, maxDay } = await extent(sub, 'm', 'd', exec);
  let from = side(sub, 'c', cols);
  let overdue = raw('');
  let duplicates = 0;
  if (p.overdueOnly) {
    // Per loan-month: its lowest row index, and the same loan's first row at the month before.
    const firsts = sql`SELECT loan, m, min(r) AS fr, ${first('st')} AS fst, ${first('dpd')} AS fdpd
      FROM (${sub}) AS f0 WHERE loan IS NOT NULL AND m <> ${NI} GROUP BY loan, m`;
    const t = sql`SELECT a_loan AS loan, a_m AS m, a_fr AS fr, b_hit AS phit, b_fst AS pst, b_fdpd AS pdpd
      FROM ${side(firsts, 'a', ['loan', 'm', 'fr'])} ${LEFT_JOIN} ${side(firsts, 'b', ['loan', 'm', 'fst', 'fdpd'])}
      ON a_loan = b_loan AND a_m - 1 = b_m`;
    from = sql`${from} ${LEFT_JOIN} ${side(t, 't', ['loan', 'm', 'fr', 'phit', 'pst', 'pdpd'])} ON c_loan = t_loan AND c_m = t_m`;
    overdue = sql`WHEN NOT coalesce(t_hit = 1 AND c_r = t_fr AND t_phit = 1 AND t_pst = 0 AND t_pdpd >= ${p.scale.edges[1]!}, ${FALSE}) THEN 2`;
    duplicates = await duplicateLoanMonths(scope, source, sub, exec);
  }
  const rows = await exec(sql`SELECT m${hasGroup ? raw(', g') : raw('')}, cls, count(*) AS n,
      sum(CASE WHEN cls = 0 THEN paid ELSE 0 END) AS sp, sum(CASE WHEN cls = 0 THEN due ELSE 0 END) AS sd
    FROM (SELECT c_m AS m${hasGroup ? raw(', c_g AS g') : raw('')}, c_paid AS paid, c_due AS due,
        CASE WHEN c_m = ${NI} THEN 1 ${overdue} WHEN c_due IS NULL THEN 3 WHEN c_paid IS NULL THEN 4 ELSE 0 END AS cls
      FROM ${from}) AS k
    GROUP BY m${hasGroup ? raw(', g') : raw('')}, cls`);
  const inCell = rows.filter((r) => [0, 3, 4].includes(num(r['cls'])));
  const { labels, G, order, gOf } = groupsOf(inCell, hasGroup);
  const P = new Float64Array(M * G);
  const D = new Float64Array(M * G);
  const L = new Float64Array(M * G);
  const seen = new Uint8Array(M * G);
  const ex = [0, 0, 0, 0, 0];
  for (const r of rows) {
    const cls = num(r['cls']);
    ex[cls]! += num(r['n']);
    if (cls === 1 || cls === 2) continue;
    const cell = (num(r['m']) - m0) * G + gOf(r);
    seen[cell] = 1;
    if (cls !== 0) continue;
    P[cell]! += num(r['sp']);
    D[cell]! += num(r['sd']);
    L[cell]! += num(r['n']);
  }
  return repaymentResult(scope, p, {
    count,
    maxDay,
    m0,
    M,
    G,
    P,
    D,
    L,
    seen,
    order,
    labels,
    used: ex[0]!,
    excluded: {
      missing_snapshot: ex[1]!,
      missing_due_amount: ex[3]!,
      missing_paid_amount: ex[4]!,
      not_overdue: ex[2]!,
      duplicate_loan_month: duplicates,
    },
  });
}

async function onActions(scope: SqlScope, p: RepaymentParamsResolved, source: string, exec: Exec) {
  const rel = scope.relation(source, 'a');
  const where = scope.where(rel);
  scope.need(source, 'loan_id', 'cat');
  scope.need(source, 'action_time', 'date');
  const paid =
    scope.resolve(source, 'paid_amount')?.col.kind === 'num' ? rel.colExpr('paid_amount')!.sql : null;
  let g: Sql | null = null;
  if (p.by) {
    const kind = scope.kind(source, p.by);
    if (kind !== 'cat' && kind !== 'bool') {
      throw new FinError('bad_params', `"by" must name a category or boolean field; "${p.by}" is ${kind}`, {
        param: 'by',
        value: p.by,
      });
    }
    const e = rel.colExpr(p.by)!.sql;
    g = kind === 'cat' ? e : sql`CASE WHEN ${e} = ${TRUE} THEN 'true' WHEN ${e} = ${FALSE} THEN 'false' END`;
  }
  const col = (f: string, part?: 'month' | 'day'): Sql => rel.colExpr(f, part)!.sql;
  const acts = sql`SELECT ${rel.ref('r')} AS r, ${rel.keyExpr('loan_id')!} AS al, ${col('action_time', 'month')} AS am,
    ${col('action_time', 'day')} AS ad, ${paid ?? raw('NULL')} AS ap${g ? sql`, ${g} AS g` : raw('')} FROM ${rel.from()} WHERE ${where}`;
  const acols = ['r', 'al', 'am', 'ad', 'ap', ...(g ? ['g'] : [])];
  // The loan-months rows (same filters), their first row per loan-month, and every loan_id there.
  const { sub } = loanMonths(scope, 'loan_months', null, [{ field: 'due_amount', kind: 'num', as: 'due' }]);
  const { count, m0, M, maxDay } = await extent(acts, 'am', 'ad', exec);
  assertPeriods('repayment_rate', M);
  const lf = sql`SELECT loan, m, ${first('due')} AS fdue FROM (${sub}) AS lf0 WHERE loan IS NOT NULL AND m <> ${NI} GROUP BY loan, m`;
  const krel = scope.relation('loan_months', 'k');
  const kloan = krel.keyExpr('loan_id')!;
  const known = sql`SELECT ${kloan} AS kl FROM ${krel.from()} WHERE ${kloan} IS NOT NULL`;
  const j = sql`SELECT x_am AS am${g ? raw(', x_g AS g') : raw('')}, x_al AS al, x_ap AS ap, y_fdue AS due,
      CASE WHEN x_am = ${NI} THEN 1 WHEN x_al IS NULL OR NOT (x_al ${IN_SUBQUERY} (${known})) THEN 2
        WHEN y_hit IS NULL OR y_fdue IS NULL THEN 3 ELSE 0 END AS cls
    FROM ${side(acts, 'x', acols)} ${LEFT_JOIN} ${side(lf, 'y', ['loan', 'm', 'fdue'])} ON x_al = y_loan AND x_am = y_m`;
  const gSel = g ? raw(', g') : raw('');
  const rows = await exec(sql`SELECT am${gSel}, cls, count(*) AS n,
      sum(CASE WHEN cls = 0 AND ap IS NOT NULL THEN ap ELSE 0 END) AS sp,
      sum(CASE WHEN cls = 0 AND ap IS NULL THEN 1 ELSE 0 END) AS n_np
    FROM (${j}) AS j1 GROUP BY am${gSel}, cls`);
  const { labels, G, order, gOf } = groupsOf(
    rows.filter((r) => num(r['cls']) === 0),
    g !== null,
  );
  const P = new Float64Array(M * G);
  const D = new Float64Array(M * G);
  const L = new Float64Array(M * G);
  const seen = new Uint8Array(M * G);
  const ex = [0, 0, 0, 0];
  let missingPaid = 0;
  for (const r of rows) {
    const cls = num(r['cls']);
    ex[cls]! += num(r['n']);
    if (cls !== 0) continue;
    const cell = (num(r['am']) - m0) * G + gOf(r);
    seen[cell] = 1;
    P[cell]! += num(r['sp']);
    missingPaid += num(r['n_np']);
  }
  // Each (month, group, loan) adds its due once; the total, each (month, loan) once.
  const dues = await exec(sql`SELECT am${gSel}, sum(fd) AS sd, count(*) AS nl
    FROM (SELECT am${gSel}, al, min(due) AS fd FROM (${j}) AS j2 WHERE cls = 0 GROUP BY am${gSel}, al) AS j3
    GROUP BY am${gSel}`);
  for (const r of dues) {
    const cell = (num(r['am']) - m0) * G + gOf(r);
    D[cell]! += num(r['sd']);
    L[cell]! += num(r['nl']);
  }
  let total: { due: number; loans: number } | null = null;
  if (g) {
    const [tot] = await exec(sql`SELECT sum(fd) AS sd, count(*) AS nl
      FROM (SELECT am, al, min(due) AS fd FROM (${j}) AS j4 WHERE cls = 0 GROUP BY am, al) AS j5`);
    total = { due: num(tot!['sd']), loans: num(tot!['nl']) };
  }
  return repaymentActionsResult(scope, p, source, {
    count,
    maxDay,
    m0,
    M,
    G,
    P,
    D,
    L,
    seen,
    order,
    labels,
    used: ex[0]!,
    total,
    excluded: {
      missing_action_time: ex[1]!,
      unknown_loan: ex[2]!,
      missing_due_amount: ex[3]!,
      missing_paid_amount: missingPaid,
    },
  });
}

export const repaymentRateSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = repaymentParams(params);
  const info = scope.table(source);
  const cols = Object.fromEntries([...info.cols.keys()].map((k) => [k, true]));
  return repaymentOnActions(cols, source)
    ? onActions(scope, p, source, exec)
    : onLoanMonths(scope, p, source, exec);
};
