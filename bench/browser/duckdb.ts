/**
 * `peer-duckdb` in Chromium: the same cohort, RFM, bucket-trend and cross-filter questions answered
 * by our engine (in the page) and by DuckDB-WASM (eh bundle, its module worker), on the same 1M-row
 * sample shipped as the same Arrow IPC bytes. Cold = load the four tables + the three queries, from
 * a fresh engine / freshly created tables, alternating. Interaction = bucket trend + M1+ overdue
 * rate re-queried for a new region: ours on its cross-filter cube, DuckDB with plain SQL over the
 * tables and, Mosaic-style, over a pre-aggregated cube table.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import { LocalEngine } from '../../src/engine/local.js';
import type { FilterClause, MetricResult, QueryRequest } from '../../src/engine/types.js';
import type { Figure } from '../lib/stats.js';
import { alternate, median, ratioFigure, valueFigure } from '../lib/stats.js';

declare global {
  interface Window {
    benchResult?: Promise<Figure[]>;
  }
}

const params = new URLSearchParams(location.search);
const REPS = Math.max(7, Number(params.get('reps') ?? 7));
const DATA = params.get('data') ?? '/bench/.out/data';
const TABLES = ['customers', 'loans', 'loan_months', 'transactions'] as const;
const DIST = '/node_modules/@duckdb/duckdb-wasm/dist';

function log(msg: string): void {
  console.log(`INFO ${msg}`);
}

const BUCKET = `CASE WHEN dpd < 1 THEN 0 WHEN dpd < 31 THEN 1 WHEN dpd < 61 THEN 2 WHEN dpd < 91 THEN 3
  WHEN dpd < 121 THEN 4 WHEN dpd < 151 THEN 5 WHEN dpd < 181 THEN 6 ELSE 7 END`;
const IN_BOOK = `(status IS NULL OR status NOT IN ('closed', 'written_off')) AND dpd >= 0 AND outstanding IS NOT NULL`;

const SQL = {
  bucketTrend: `SELECT m, b, n, amt, amt / sum(amt) OVER (PARTITION BY m) AS share FROM (
      SELECT year(snapshot_date) * 12 + month(snapshot_date) - 1 AS m, ${BUCKET} AS b, count(*) AS n, sum(outstanding) AS amt
      FROM loan_months WHERE ${IN_BOOK} GROUP BY ALL) ORDER BY m, b`,
  cohort: `WITH t AS (SELECT customer_id, year(txn_time) * 12 + month(txn_time) - 1 AS p FROM transactions
        WHERE customer_id IS NOT NULL AND txn_time IS NOT NULL),
      f AS (SELECT customer_id, min(p) AS c FROM t GROUP BY customer_id),
      a AS (SELECT DISTINCT t.customer_id, f.c, t.p - f.c AS k FROM t JOIN f USING (customer_id)),
      s AS (SELECT c, count(*) AS size FROM f GROUP BY c)
    SELECT a.c, a.k, count(*) AS active, s.size, count(*) / s.size AS retention
    FROM a JOIN s USING (c) GROUP BY a.c, a.k, s.size ORDER BY a.c, a.k`,
  rfm: `WITH tt AS (SELECT max(CAST(txn_time AS DATE)) AS t FROM transactions WHERE customer_id IS NOT NULL),
      c AS (SELECT customer_id, date_diff('day', max(CAST(txn_time AS DATE)), any_value(tt.t)) AS r, count(*) AS f, sum(amount) AS m
        FROM transactions, tt WHERE customer_id IS NOT NULL AND amount IS NOT NULL
          AND CAST(txn_time AS DATE) > tt.t - 365 AND CAST(txn_time AS DATE) <= tt.t GROUP BY customer_id),
      bp AS (SELECT quantile_cont(r, [0.2, 0.4, 0.6, 0.8]) AS br, quantile_cont(f, [0.2, 0.4, 0.6, 0.8]) AS bf,
        quantile_cont(m, [0.2, 0.4, 0.6, 0.8]) AS bm FROM c),
      s AS (SELECT c.m,
        6 - (1 + (bp.br[1] < r)::INT + (bp.br[2] < r)::INT + (bp.br[3] < r)::INT + (bp.br[4] < r)::INT) AS rs,
        1 + (bp.bf[1] < f)::INT + (bp.bf[2] < f)::INT + (bp.bf[3] < f)::INT + (bp.bf[4] < f)::INT AS fs,
        1 + (bp.bm[1] < m)::INT + (bp.bm[2] < m)::INT + (bp.bm[3] < m)::INT + (bp.bm[4] < m)::INT AS ms FROM c, bp),
      th AS (SELECT avg(rs) AS tr, avg(fs) AS tf, avg(ms) AS tm FROM s)
    SELECT (rs > tr)::INT * 4 + (fs > tf)::INT * 2 + (ms > tm)::INT AS bits, count(*) AS customers, sum(m) AS monetary,
      avg(rs) AS mean_r, avg(fs) AS mean_f, avg(ms) AS mean_m
    FROM s, th GROUP BY bits ORDER BY bits`,
  filteredTrend: `SELECT year(snapshot_date) * 12 + month(snapshot_date) - 1 AS m, ${BUCKET} AS b, count(*) AS n, sum(outstanding) AS amt
      FROM loan_months JOIN loans USING (loan_id) WHERE loans.region = ? AND ${IN_BOOK} GROUP BY ALL ORDER BY m, b`,
  filteredRate: `SELECT year(snapshot_date) * 12 + month(snapshot_date) - 1 AS m, sum(outstanding) AS den,
      sum(CASE WHEN dpd >= 1 THEN outstanding ELSE 0 END) AS num
      FROM loan_months JOIN loans USING (loan_id) WHERE loans.region = ? AND ${IN_BOOK} GROUP BY ALL ORDER BY m`,
  cube: `CREATE OR REPLACE TABLE bt_cube AS SELECT loans.region AS region, year(snapshot_date) * 12 + month(snapshot_date) - 1 AS m,
      ${BUCKET} AS b, count(*) AS n, sum(outstanding) AS amt FROM loan_months JOIN loans USING (loan_id) WHERE ${IN_BOOK} GROUP BY ALL`,
  cubeTrend: `SELECT m, b, n, amt FROM bt_cube WHERE region = ? ORDER BY m, b`,
  cubeRate: `SELECT m, sum(amt) AS den, sum(CASE WHEN b >= 1 THEN amt ELSE 0 END) AS num FROM bt_cube WHERE region = ? GROUP BY m ORDER BY m`,
};

const OURS: QueryRequest[] = [
  { metric: 'cohort', params: { unit: 'month' } },
  { metric: 'rfm', params: {} },
  { metric: 'bucket_trend', params: {} },
];
const OURS_INTERACTION: QueryRequest[] = [
  { metric: 'bucket_trend', params: {} },
  { metric: 'overdue_rate', params: { k: 1 } },
];

async function run(): Promise<Figure[]> {
  const bytes: Record<string, Uint8Array> = {};
  for (const t of TABLES) {
    const res = await fetch(`${DATA}/${t}.arrow`);
    if (!res.ok) throw new Error(`${DATA}/${t}.arrow: HTTP ${res.status}`);
    bytes[t] = new Uint8Array(await res.arrayBuffer());
  }
  log(
    `duckdb: arrow files ${TABLES.map((t) => `${t} ${(bytes[t]!.byteLength / 1e6).toFixed(1)} MB`).join(', ')}`,
  );

  // DuckDB-WASM: the eh bundle, its worker started as a module worker.
  const worker = new Worker(`${DIST}/duckdb-browser-eh.worker.js`, { type: 'module' });
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  const i0 = performance.now();
  await db.instantiate(`${DIST}/duckdb-eh.wasm`);
  const conn = await db.connect();
  // Offline: never fetch extensions (ICU and friends) from extensions.duckdb.org.
  await conn.query('SET autoinstall_known_extensions = false');
  await conn.query('SET autoload_known_extensions = false');
  log(`duckdb: instantiated in ${(performance.now() - i0).toFixed(0)} ms (${await db.getVersion()})`);

  const duckLoad = async (copies: Record<string, Uint8Array>): Promise<void> => {
    for (const t of TABLES) {
      await conn.query(`DROP TABLE IF EXISTS ${t}`);
      await conn.insertArrowFromIPCStream(copies[t]!, { name: t, create: true });
    }
  };
  const oursLoad = async (e: LocalEngine, copies: Record<string, Uint8Array>): Promise<void> => {
    for (const t of TABLES) await e.load(t, copies[t]!, { timeZone: 'UTC' });
  };
  const copyAll = (): Record<string, Uint8Array> =>
    Object.fromEntries(TABLES.map((t) => [t, bytes[t]!.slice()]));

  // Cold: fresh tables / a fresh engine, load the four tables and answer the three questions.
  let oursEngine: LocalEngine | null = null;
  let oursRes: MetricResult[] = [];
  let duckRes: unknown[] = [];
  // Ingestion reads the bytes without consuming them; DuckDB takes ownership (transfers them to
  // its worker), so it gets a fresh copy before each run, made outside the timed region.
  let duckCopy: Record<string, Uint8Array> = {};
  const cold = await alternate(
    REPS,
    async () => {
      oursEngine?.dispose();
      oursEngine = null;
      const e = new LocalEngine();
      await oursLoad(e, bytes);
      oursRes = OURS.map((q) => e.querySync(q));
      oursEngine = e;
    },
    async () => {
      await duckLoad(duckCopy);
      duckRes = [];
      for (const q of [SQL.cohort, SQL.rfm, SQL.bucketTrend]) duckRes.push((await conn.query(q)).toArray());
    },
    {
      warmup: 1,
      before: (side) => {
        duckCopy = side === 'b' ? copyAll() : {};
      },
    },
  );
  // Sanity: the same numbers (row counts of each answer, scored RFM customers).
  const counts = (rows: unknown[]): number => (rows as unknown[]).length;
  log(
    `duckdb: answers — cohort cells ours ${oursRes[0]!.data.filter((r) => (r as { active: number | null }).active).length} / duckdb ${counts(duckRes[0] as unknown[])}; ` +
      `rfm scored ours ${(oursRes[1]!.meta as { scored: number }).scored} / duckdb ${(duckRes[1] as Array<{ customers: bigint | number }>).reduce((s, r) => s + Number(r.customers), 0)}; ` +
      `bucket cells ours ${oursRes[2]!.data.filter((r) => (r as { count: number }).count > 0).length} / duckdb ${counts(duckRes[2] as unknown[])}`,
  );

  // Interaction: a new region selection; bucket trend + M1+ overdue rate re-queried.
  const e = oursEngine as unknown as LocalEngine & { prepare?: (o: object) => Promise<unknown> };
  const regions = ((e.dataset('loans')!.cols['region'] as { dict: string[] }).dict ?? []).slice().sort();
  let prepMs = NaN;
  if (e.prepare) {
    const p0 = performance.now();
    await e.prepare({ requests: OURS_INTERACTION, dimensions: ['region'] });
    prepMs = performance.now() - p0;
  }
  const c0 = performance.now();
  await conn.query(SQL.cube);
  const duckCubeMs = performance.now() - c0;
  const stTrend = await conn.prepare(SQL.filteredTrend);
  const stRate = await conn.prepare(SQL.filteredRate);
  const stCubeTrend = await conn.prepare(SQL.cubeTrend);
  const stCubeRate = await conn.prepare(SQL.cubeRate);
  // Each step selects a region; ours answers from the cube (the LRU result cache is not used for
  // cube hits, so repeated states cost the same as new ones).
  // The page clock is coarse (0.1 ms): ours answers every region ten times per step; the time is
  // divided by the number of answers.
  const ROUNDS = 10;
  const oursStep = (): void => {
    for (let k = 0; k < ROUNDS; k++)
      for (const r of regions) {
        const f: FilterClause[] = [{ field: 'region', op: 'in', value: [r] }];
        for (const q of OURS_INTERACTION) e.querySync({ ...q, filters: f });
      }
  };
  const perState = (xs: number[]): number[] => xs.map((x) => x / regions.length / ROUNDS);
  const inter = await alternate(
    REPS,
    oursStep,
    async (rep) => {
      const r = regions[rep % regions.length]!;
      await stTrend.query(r);
      await stRate.query(r);
    },
    { warmup: 0 },
  );
  const cubeSide = await alternate(
    REPS,
    oursStep,
    async (rep) => {
      const r = regions[rep % regions.length]!;
      await stCubeTrend.query(r);
      await stCubeRate.query(r);
    },
    { warmup: 0 },
  );
  await conn.close();
  await db.terminate();
  worker.terminate();
  return [
    ratioFigure(
      'peer-duckdb-cold@1M',
      cold.a,
      cold.b,
      '<= 2',
      'ours (Arrow ingest + cohort + RFM + bucket trend) / DuckDB-WASM (Arrow insert + the same SQL)',
    ),
    valueFigure('peer-duckdb-cold-ours@1M', cold.a, 'ms'),
    valueFigure('peer-duckdb-cold-duckdb@1M', cold.b, 'ms'),
    ratioFigure(
      'peer-duckdb-interaction@1M',
      perState(inter.a),
      inter.b,
      '<= 1',
      `region change: ours ${median(perState(inter.a)).toFixed(3)} ms vs DuckDB SQL ${median(inter.b).toFixed(1)} ms`,
    ),
    ratioFigure(
      'peer-duckdb-interaction-vs-cube@1M',
      perState(cubeSide.a),
      cubeSide.b,
      '<= 1',
      `vs DuckDB over a pre-aggregated cube table (Mosaic-style) ${median(cubeSide.b).toFixed(2)} ms`,
    ),
    valueFigure('peer-duckdb-cube-build-ours@1M', [prepMs], 'ms'),
    valueFigure('peer-duckdb-cube-build-duckdb@1M', [duckCubeMs], 'ms'),
  ];
}

window.benchResult = run();
