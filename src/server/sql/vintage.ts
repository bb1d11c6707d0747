/**
 * `vintage` compiled to SQL from its own definition (src/engine/metrics/vintage.ts): the SQL
 * computes the per-loan cohort and principal, the cohort sizes (from the selection, then the
 * issued loans of `loans` that have no selected monthly row) and the per (cohort, MOB) numerators;
 * `vintageParams()` validates and `vintageResult()` shapes rows, basis and quality, as in memory.
 *
 * Rules both sides follow: a loan's cohort and principal come from its first selected row (lowest
 * row index; `arg_min_null` / `argMin(tuple(…))` keep a missing value, as memory does); a loan of
 * `loans` counts once (its first row); row classification in the memory loop's order: missing
 * loan_id → no cohort → missing snapshot → snapshot before issue → (amount) missing principal, not
 * counted → missing dpd → (current, amount) missing outstanding → used. Bad ⇔ dpd > d (strict).
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { vintageExtent, vintageParams, vintageResult } from '../../engine/metrics/vintage.js';
import type { CompiledMetric } from './collection.js';
import { NI, loanMonths, num, side } from './collection.js';
import { perShard } from './per-shard.js';
import type { Relation, SqlScope } from './scope.js';
import type { Sql } from './sql.js';
import { FALSE, IN_SUBQUERY, Ident, LEFT_JOIN, TRUE, alt, raw, sql } from './sql.js';

const I = (n: string): Ident => new Ident(n);

/** The value of `e` at the lowest row index `r` of the group, a missing value included. */
export const first = (e: string): Sql =>
  sql`${alt(sql`arg_min_null(${I(e)}, r)`, sql`argMin(tuple(${I(e)}), r).1`)}`;

/** Whether the dataset is loaded (the memory engine's `ctx.has`). */
function has(scope: SqlScope, name: string): boolean {
  try {
    scope.table(name);
    return true;
  } catch {
    return false;
  }
}

/** Per cohort (and `hs`, when `flagged`): loans, loans with a missing principal, Σ principal present. */
function cohortSizes(per: Sql, where: Sql, flagged = false): Sql {
  const by = flagged ? raw('cm, hs') : raw('cm');
  return sql`SELECT ${by}, count(*) AS n, sum(CASE WHEN p IS NULL THEN 1 ELSE 0 END) AS n_np,
    sum(CASE WHEN p IS NOT NULL THEN p ELSE 0 END) AS sp FROM (${per}) AS cs WHERE ${where} GROUP BY ${by}`;
}

/** The selected `loans` rows as `r, lid, im (issue month), pr (principal)`. */
function loansRows(rel: Relation, where: Sql): Sql {
  const col = (f: string, part?: 'month'): Sql => rel.colExpr(f, part)!.sql;
  return sql`SELECT ${rel.ref('r')} AS r, ${rel.keyExpr('loan_id')!} AS lid, ${col('issue_date', 'month')} AS im, ${col('principal')} AS pr FROM ${rel.from()} WHERE ${where}`;
}

export const vintageSql: CompiledMetric = async (scope, params, source, exec) => {
  const p = vintageParams(params);
  const amount = p.measure === 'amount';
  const ever = p.variant === 'ever';
  const { sub, cols, colocated } = loanMonths(scope, source, null, [
    { field: 'issue_date', kind: 'date', as: 'im' },
    { field: 'principal', kind: 'num', as: 'pr' },
  ]);
  // The same rows without the cohort columns, for what does not read them: DuckDB keeps a LEFT
  // JOIN whose columns go unused, so `sub` would join `loans` for nothing.
  const plain = loanMonths(scope, source, null);
  const rows = plain.sub;
  const issueOwn = scope.table(source).cols.has('issue_date');
  const [ext] = await exec(
    perShard(
      sql`SELECT count(*) AS n, min(CASE WHEN m <> ${NI} THEN m END) AS lo,
    max(CASE WHEN m <> ${NI} THEN m END) AS hi, max(CASE WHEN m <> ${NI} THEN d END) AS md FROM (${rows}) AS e`,
      plain.colocated,
      { keys: [], sums: ['n'], maxes: ['hi', 'md'], mins: ['lo'] },
    ),
  );
  const opt = (v: unknown): number => (v === null || v === undefined ? NULL_INDEX : num(v));
  const maxMonth = opt(ext!['hi']);
  const minMonth = opt(ext!['lo']);
  const maxDay = opt(ext!['md']);

  // Cohort and principal per loan: from `loans` through the row's own loan_id (every row of a
  // loan carries its first row's values), or from columns of the source itself.
  const viaLoan = (f: string): boolean => {
    const path = scope.resolve(source, f)?.path;
    return path?.length === 1 && path[0]!.key === 'loan_id' && path[0]!.target === 'loans';
  };
  const rowsCarry = viaLoan('issue_date') && viaLoan('principal');
  const sizeMerge = { keys: ['cm'], sums: ['n', 'n_np', 'sp'] };
  let minC = 2147483647;
  let maxC = NULL_INDEX;
  let missingPrincipal = 0;
  const sized: Array<Record<string, unknown>> = [];
  const seeSize = (r: Record<string, unknown>): void => {
    const cm = num(r['cm']);
    minC = Math.min(minC, cm);
    maxC = Math.max(maxC, cm);
    sized.push(r);
  };
  // Issued loans without any selected monthly row (memory's denominators from `loans`), when
  // every filter of the query applies to `loans` too.
  let noSnapshots = 0;
  let issuedFromLoans = false;
  let unsnapped: Array<Record<string, unknown>> = [];
  const lrel = source !== 'loans' && has(scope, 'loans') ? scope.relation('loans', 'l') : null;
  const lwhere = lrel ? scope.where(lrel) : null;
  const lc = lrel?.info.cols;
  const loansUsable =
    lrel !== null &&
    !scope.unapplied.get('loans')?.length &&
    lc!.get('loan_id')?.kind === 'cat' &&
    lc!.get('issue_date')?.kind === 'date' &&
    lc!.get('principal')?.kind === 'num';
  const known = sql`SELECT DISTINCT loan FROM (${rows}) AS kn WHERE loan IS NOT NULL`;
  // Per loan of the selection: cohort and principal from its first selected row.
  const per = sql`SELECT loan, ${first('im')} AS cm, ${first('pr')} AS p FROM (${sub}) AS pl WHERE loan IS NOT NULL GROUP BY loan`;
  const onePass = rowsCarry && lrel !== null && lrel.info.uniqueKeys.has('loan_id');
  if (onePass) {
    // One pass over `loans` (one row per loan): the loans with a selected row are the cohorts'
    // loans (`has`), the others selected by the filters are the issued loans without rows. No
    // group of the selection per loan.
    const col = (f: string, part?: 'month'): Sql => lrel.colExpr(f, part)!.sql;
    const flags = sql`SELECT ${col('issue_date', 'month')} AS cm, ${col('principal')} AS p,
      CASE WHEN ${lrel.keyExpr('loan_id')!} ${IN_SUBQUERY} (${known}) THEN 1 ELSE 0 END AS hs,
      CASE WHEN ${loansUsable ? lwhere! : FALSE} THEN 1 ELSE 0 END AS sel
      FROM ${lrel.from()} WHERE ${lrel.keyExpr('loan_id')!} IS NOT NULL`;
    const both = lrel.loanColocated() && plain.colocated;
    const out = await exec(
      perShard(cohortSizes(flags, sql`hs = 1 OR sel = 1`, true), both, {
        keys: ['cm', 'hs'],
        sums: sizeMerge.sums,
      }),
    );
    for (const r of out) {
      const cm = num(r['cm']);
      if (num(r['hs']) === 0) unsnapped.push(r);
      else if (cm !== NULL_INDEX && cm <= maxMonth) seeSize(r);
    }
  } else {
    // Cohort sizes add up across shards: a loan's rows share one (grouped per loan first).
    const sizes = await exec(
      perShard(cohortSizes(per, sql`cm <> ${NI} AND cm <= ${maxMonth}`), colocated, sizeMerge),
    );
    for (const r of sizes) seeSize(r);
  }
  const { nCoh, nMob } = vintageExtent(minC, maxC, maxMonth, p.capMob);
  if (loansUsable && nCoh > 0) {
    issuedFromLoans = true;
    if (!onePass) {
      const lper = sql`SELECT lid, ${first('im')} AS cm, ${first('pr')} AS p FROM (${loansRows(lrel!, lwhere!)}) AS lr
        WHERE lid IS NOT NULL AND NOT (lid ${IN_SUBQUERY} (${known})) GROUP BY lid`;
      const both = lrel!.loanColocated() && plain.colocated;
      unsnapped = await exec(perShard(cohortSizes(lper, sql`${TRUE}`), both, sizeMerge));
    }
  }
  const cohLoans = new Float64Array(nCoh);
  const cohPrin = new Float64Array(nCoh);
  const addSize = (r: Record<string, unknown>): void => {
    const ci = num(r['cm']) - minC;
    const nnp = num(r['n_np']);
    missingPrincipal += nnp;
    cohLoans[ci]! += amount ? num(r['n']) - nnp : num(r['n']);
    cohPrin[ci]! += num(r['sp']);
  };
  for (const r of sized) addSize(r);
  if (issuedFromLoans)
    for (const r of unsnapped) {
      noSnapshots += num(r['n']);
      const cm = num(r['cm']);
      if (cm === NULL_INDEX || cm < minC || cm > maxC) continue;
      addSize(r);
    }

  // Every selected row with its loan's cohort and principal, classified as the memory loop. When
  // both come from `loans` through the row's own loan_id (not columns of the source), every row of
  // a loan carries its first row's values already: no per-loan table joined back to every row.
  const [cm, pr] = rowsCarry ? [raw('x_im'), raw('x_pr')] : [raw('y_cm'), raw('y_p')];
  const from = rowsCarry
    ? side(sub, 'x', cols)
    : sql`${side(sub, 'x', cols)} ${LEFT_JOIN} ${side(per, 'y', ['loan', 'cm', 'p'])} ON x_loan = y_loan`;
  const v = amount ? raw('x_o') : raw('1');
  // Month differences only between real months (DuckDB integer arithmetic checks overflow).
  const k = sql`CASE WHEN x_loan IS NULL OR ${cm} = ${NI} OR x_m = ${NI} THEN 0 ELSE x_m - ${cm} END`;
  const joined = sql`SELECT x_loan AS loan, ${cm} AS cm, ${pr} AS p, ${k} AS k, x_dpd AS dpd, ${v} AS v,
      CASE WHEN x_loan IS NULL THEN 1 WHEN ${cm} = ${NI} THEN 2 WHEN x_m = ${NI} THEN 3 WHEN ${k} < 0 THEN 4
        ${amount ? sql`WHEN ${pr} IS NULL THEN 5` : raw('')}
        WHEN NOT coalesce(x_dpd >= 0, ${FALSE}) THEN 6
        ${amount && !ever ? raw('WHEN x_o IS NULL THEN 7') : raw('')} ELSE 0 END AS cls
    FROM ${from}`;
  const classes = await exec(
    perShard(
      sql`SELECT cls, CASE WHEN cls = 0 THEN cm ELSE 0 END AS cc, CASE WHEN cls = 0 THEN k ELSE 0 END AS kk,
      count(*) AS n, sum(CASE WHEN cls = 0 AND dpd > ${p.d} THEN v ELSE 0 END) AS bad
    FROM (${joined}) AS j GROUP BY cls, cc, kk`,
      colocated,
      { keys: ['cls', 'cc', 'kk'], sums: ['n', 'bad'] },
    ),
  );
  const cells = new Float64Array(nCoh * Math.max(nMob, 0));
  const ex = [0, 0, 0, 0, 0, 0, 0, 0];
  let used = 0;
  for (const r of classes) {
    const cls = num(r['cls']);
    const n = num(r['n']);
    ex[cls]! += n;
    if (cls !== 0) continue;
    used += n;
    const k = num(r['kk']);
    if (!ever && k < nMob) cells[(num(r['cc']) - minC) * nMob + k]! += num(r['bad']);
  }
  if (ever && nMob > 0) {
    // Per loan, the first MOB it was bad at (over its used rows); per cohort and MOB, Σ principal or loans.
    const firstBad = sql`SELECT min(cm) AS fc, min(p) AS fp, min(CASE WHEN dpd > ${p.d} THEN k END) AS fb
      FROM (${joined}) AS j WHERE cls = 0 GROUP BY loan`;
    const rows = await exec(
      perShard(
        sql`SELECT fc, fb, count(*) AS n, sum(CASE WHEN fp IS NOT NULL THEN fp ELSE 0 END) AS sp
      FROM (${firstBad}) AS f WHERE fb IS NOT NULL AND fb < ${nMob} GROUP BY fc, fb`,
        colocated,
        { keys: ['fc', 'fb'], sums: ['n', 'sp'] },
      ),
    );
    for (const r of rows) cells[(num(r['fc']) - minC) * nMob + num(r['fb'])]! += num(r[amount ? 'sp' : 'n']);
  }
  return vintageResult(scope, p, {
    count: num(ext!['n']),
    used,
    minMonth,
    maxMonth,
    maxDay,
    issueOwn,
    minC,
    nCoh,
    nMob,
    cohLoans,
    cohPrin,
    cells,
    issuedFromLoans,
    noSnapshots,
    excluded: {
      missing_loan_id: ex[1]!,
      no_cohort: ex[2]!,
      missing_snapshot: ex[3]!,
      snapshot_before_issue: ex[4]!,
      missing_dpd: ex[6]!,
      missing_outstanding: ex[7]!,
      missing_principal: missingPrincipal,
    },
  });
};
