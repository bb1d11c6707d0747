/**
 * `heatmap` on the SQL backends, from its own definition (src/engine/metrics/heatmap.ts): the
 * params (presets included), the axes' domains (categoryDomain, thresholdBins, stepStart/stepBins,
 * capPeriods), the grid check and `heatmapResult()` are the memory code; SQL only scans each axis
 * (its values and counts, or its extent) and aggregates the measure per grid cell.
 *
 * Each axis is a key per row whose values map one-to-one onto the axis positions, so a cell is one
 * `GROUP BY` group and distinct counts stay exact: time parts and plain values group by the stored
 * value; threshold bins, step bins (`least(nb − 1, floor((v − start) / step))`, the same IEEE
 * arithmetic as JS) and folded categories by a `CASE` position. Missing values (−1), rows before a
 * capped time window (−2) and cells follow buildAxis exactly. Stock: groups also split by the
 * stock date's day, and each cell keeps its last day with rows (undated rows only when the cell
 * has no dated row), as stockKeys does.
 */
import { NULL_INDEX } from '../../data/dataset.js';
import { badParam, periodLabel } from '../../engine/metrics/generic-util.js';
import type { AxisInfo, DimensionSpec, HeatmapParams } from '../../engine/metrics/heatmap.js';
import {
  categoryDomain,
  checkGrid,
  heatmapParams,
  heatmapResult,
  stepBins,
  stepStart,
  stockDateField,
  thresholdBins,
} from '../../engine/metrics/heatmap.js';
import { finalize } from '../../engine/metrics/measure.js';
import { capPeriods } from '../../engine/metrics/period-cap.js';
import { r10 } from '../../engine/metric.js';
import type { CompiledMetric, Exec } from './collection.js';
import { sqlMeasure } from './measure.js';
import { countedMerge, perShard } from './per-shard.js';
import type { Relation, SqlScope } from './scope.js';
import type { Sql } from './sql.js';
import { TRUE, join, raw, sql } from './sql.js';

const NI = raw(String(NULL_INDEX));

/** An axis on SQL: its per-row key, and the key → position map (−1 missing, −2 before the window). */
interface SqlAxis {
  info: AxisInfo;
  key: (rel: Relation) => Sql;
  pos: (k: unknown) => number;
}

/** Rows of the request (filters and `where`) with the given columns, as a subquery. */
type RowsOf = (cols: (rel: Relation) => Sql) => Sql;

async function buildAxis(
  scope: SqlScope,
  source: string,
  spec: DimensionSpec,
  name: string,
  rowsOf: RowsOf,
  exec: Exec,
): Promise<SqlAxis> {
  const kind = scope.kind(source, spec.field); // missing_column, as ctx.col
  const f = spec.field;
  if (spec.part) {
    if (kind !== 'date') throw badParam(name, `"${name}.part" needs a date field; "${f}" is not one`, f);
    const part = spec.part;
    const key = (rel: Relation): Sql => rel.colExpr(f, part)!.sql;
    if (part === 'hour' || part === 'dow') {
      const base = part === 'hour' ? 0 : 1;
      const domain = part === 'hour' ? Array.from({ length: 24 }, (_, h) => h) : [1, 2, 3, 4, 5, 6, 7];
      return { info: { domain, missing: 0 }, key, pos: (k) => (Number(k) < 0 ? -1 : Number(k) - base) };
    }
    const [ext] = await exec(
      sql`SELECT count(*) AS c, min(v) AS lo, max(v) AS hi FROM (${rowsOf((rel) => sql`${key(rel)} AS v`)}) AS a WHERE v <> ${NI}`,
    );
    // ClickHouse answers an empty min/max with 0, not NULL: the row count decides.
    const has = Number(ext?.['c'] ?? 0) > 0;
    const lo0 = has ? Number(ext!['lo']) : 2147483647;
    const hi = has ? Number(ext!['hi']) : -2147483648;
    const win = has ? capPeriods(lo0, hi) : { lo: lo0, span: 0, capped: false };
    const lo = win.lo;
    const domain: string[] = [];
    for (let p = lo; p <= hi; p++) domain.push(periodLabel(part, p));
    return {
      info: { domain, missing: 0, ...(win.capped ? { capped: win.span, before: 0 } : {}) },
      key,
      pos: (k) => {
        const v = Number(k);
        return v === NULL_INDEX ? -1 : v < lo ? -2 : v - lo;
      },
    };
  }
  if (spec.bins) {
    if (kind !== 'num') throw badParam(name, `"${name}.bins" needs a numeric field; "${f}" is not one`, f);
    const b = spec.bins;
    if ('thresholds' in b) {
      const thr = b.thresholds;
      const bins = thresholdBins(thr);
      const key = (rel: Relation): Sql => {
        const v = rel.numExpr(f)!;
        const arms = thr.map(
          (_, j) => sql`WHEN ${v} >= ${thr[thr.length - 1 - j]!} THEN ${raw(String(thr.length - j))}`,
        );
        return sql`CASE WHEN ${v} IS NULL THEN -1 ${join(arms, ' ')} ELSE 0 END`;
      };
      return { info: { domain: bins.map((x) => x.label), bins, missing: 0 }, key, pos: (k) => Number(k) };
    }
    const [ext] = await exec(
      sql`SELECT count(v) AS c, min(v) AS lo, max(v) AS hi FROM (${rowsOf((rel) => sql`${rel.numExpr(f)!} AS v`)}) AS a`,
    );
    if (Number(ext?.['c'] ?? 0) === 0)
      return { info: { domain: [], bins: [], missing: 0 }, key: () => raw('-1'), pos: () => -1 };
    const { start, nb } = stepStart(b, Number(ext!['lo']), Number(ext!['hi']), name);
    const bins = stepBins(start, b.step, nb);
    const key = (rel: Relation): Sql => {
      const v = rel.numExpr(f)!;
      return sql`CASE WHEN ${v} IS NULL THEN -1 ELSE least(${raw(String(nb - 1))}, floor((${v} - ${start}) / ${b.step})) END`;
    };
    return { info: { domain: bins.map((x) => x.label), bins, missing: 0 }, key, pos: (k) => Number(k) };
  }
  if (kind === 'cat' || kind === 'bool') {
    // Booleans as 1/0 keys (labels true/false).
    const raw1 = (rel: Relation): Sql => {
      const e = rel.colExpr(f)!.sql;
      return kind === 'cat' ? e : sql`CASE WHEN ${e} = ${TRUE} THEN 1 WHEN ${e} IS NOT NULL THEN 0 END`;
    };
    const label = (k: unknown): string | boolean => (kind === 'cat' ? String(k) : Number(k) === 1);
    const rows = await exec(
      sql`SELECT v, count(*) AS c FROM (${rowsOf((rel) => sql`${raw1(rel)} AS v`)}) AS a WHERE v IS NOT NULL GROUP BY v`,
    );
    const present = rows.map((r) => ({ label: label(r['v']), count: Number(r['c']) }));
    const cd = categoryDomain(present, spec);
    const info: AxisInfo = { domain: cd.domain, missing: 0, folded: cd.folded };
    if (cd.folded) {
      const kept = cd.kept.map((j) => (kind === 'cat' ? present[j]!.label : present[j]!.label ? 1 : 0));
      const key = (rel: Relation): Sql => {
        const v = raw1(rel);
        const arms = kept.map((k, j) => sql`WHEN ${v} = ${k as string | number} THEN ${raw(String(j))}`);
        return sql`CASE WHEN ${v} IS NULL THEN -1 ${join(arms, ' ')} ELSE ${raw(String(kept.length))} END`;
      };
      return { info, key, pos: (k) => Number(k) };
    }
    const at = new Map<string, number>();
    cd.kept.forEach((j, p) => at.set(String(present[j]!.label), p));
    return {
      info,
      key: raw1,
      pos: (k) => (k === null || k === undefined ? -1 : (at.get(String(label(k))) ?? -1)),
    };
  }
  // Plain numbers or dates without part/bins: each distinct value is a category, ascending.
  const value = (rel: Relation): Sql => sql`${rel.numExpr(f)!} AS v`;
  const [cnt] = await exec(sql`SELECT count(DISTINCT v) AS c FROM (${rowsOf(value)}) AS a`);
  if (Number(cnt?.['c'] ?? 0) > 10000)
    throw badParam(name, `"${name}" has more than 10000 distinct values; use bins`, f);
  const vals = (await exec(sql`SELECT DISTINCT v FROM (${rowsOf(value)}) AS a WHERE v IS NOT NULL`)).map(
    (r) => Number(r['v']),
  );
  vals.sort((a, c) => a - c);
  const index = new Map<number, number>();
  vals.forEach((v, j) => index.set(v, j));
  return {
    info: { domain: vals, missing: 0 },
    key: (rel) => rel.numExpr(f)!,
    pos: (k) => (k === null || k === undefined ? -1 : (index.get(Number(k)) ?? -1)),
  };
}

export const heatmapSql: CompiledMetric = async (scope, params, source, exec) => {
  const hp: HeatmapParams = heatmapParams(params ?? {}, source);
  const src = hp.source;
  scope.table(src); // missing_dataset, as ctx.dataset
  // Whether the last relation built keeps joined rows on their row's shard (sql/per-shard.ts).
  let colocated = false;
  const rowsOf: RowsOf = (cols) => {
    const rel = scope.relation(src);
    const w = scope.where(rel, hp.where);
    const c = cols(rel);
    const s = sql`SELECT ${c} FROM ${rel.from()} WHERE ${w}`;
    colocated = rel.joinsColocated();
    return s;
  };
  rowsOf(() => raw('1')); // the row selection first: a policy clause that cannot apply → forbidden
  const ax = await buildAxis(scope, src, hp.x, 'x', rowsOf, exec);
  const ay = await buildAxis(scope, src, hp.y, 'y', rowsOf, exec);
  const nx = ax.info.domain.length;
  const ny = ay.info.domain.length;
  checkGrid(nx, ny);
  let stockField: string | null = null;
  if (hp.stock) {
    stockField = stockDateField(src, hp.params, hp.x, hp.y);
    if (scope.kind(src, stockField) !== 'date')
      throw badParam('dateField', `Field "${stockField}" of "${src}" is not a date`, stockField);
  }
  let m: ReturnType<typeof sqlMeasure> | null = null;
  const sub = rowsOf((rel) => {
    m = sqlMeasure(scope, rel, src, hp.measure);
    const sd = stockField ? sql`, ${rel.colExpr(stockField, 'day')!.sql} AS sd` : raw('');
    return sql`${ax.key(rel)} AS kx, ${ay.key(rel)} AS ky${sd}${m.columns}`;
  });
  const measure = m as unknown as ReturnType<typeof sqlMeasure>;
  const by = stockField ? raw('kx, ky, sd') : raw('kx, ky');
  const grouped = sql`SELECT ${by}, count(*) AS n${measure.aggregates} FROM (${sub}) AS h GROUP BY ${by}`;
  const groups = await exec(
    perShard(grouped, colocated, countedMerge(stockField ? ['kx', 'ky', 'sd'] : ['kx', 'ky'], measure.merge)),
  );

  // Axis counts over every selected row; each cell's group (stock: its last day's group).
  let n = 0;
  let missingEither = 0;
  const ix = { ...ax.info, missing: 0, ...(ax.info.capped ? { before: 0 } : {}) };
  const iy = { ...ay.info, missing: 0, ...(ay.info.capped ? { before: 0 } : {}) };
  const cellRows = new Map<number, Record<string, unknown>>();
  const cellOf = new Map<Record<string, unknown>, number>();
  for (const r of groups) {
    const c = Number(r['n']);
    n += c;
    const px = ax.pos(r['kx']);
    const py = ay.pos(r['ky']);
    if (px === -1) ix.missing += c;
    if (px === -2) ix.before! += c;
    if (py === -1) iy.missing += c;
    if (py === -2) iy.before! += c;
    if (px < 0 || py < 0) {
      missingEither += c;
      continue;
    }
    const g = py * nx + px;
    const prev = cellRows.get(g);
    if (prev && stockField) {
      const d = Number(r['sd']);
      const pd = Number(prev['sd']);
      if (d === NULL_INDEX || (pd !== NULL_INDEX && pd >= d)) continue;
    }
    cellRows.set(g, r);
  }
  const chosen = [...cellRows.entries()].map(([g, r]) => {
    cellOf.set(r, g);
    return r;
  });
  const parts = measure.partials(chosen, nx * ny, (r) => cellOf.get(r)!);
  const rows = new Float64Array(nx * ny);
  const values = new Array<number | null>(nx * ny).fill(null);
  for (const [g, r] of cellRows) rows[g] = Number(r['n']);
  for (let g = 0; g < nx * ny; g++) {
    const v = finalize(parts, g, g);
    values[g] = Number.isFinite(v) ? r10(v) : null;
  }
  return heatmapResult(scope, hp, ix, iy, { values, rows }, n, missingEither);
};
