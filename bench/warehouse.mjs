#!/usr/bin/env node
/**
 * `npm run bench:warehouse`: the server at warehouse scale (issue 14 §3 "Load and faults", §5).
 * Not in CI: it generates up to 100M loan-month rows and runs for minutes.
 *
 * 1. Bundles bench/node/warehouse.ts (from src/, with esbuild) into bench/.out/.
 * 2. Generates the seeded sample once per size into the data cache (default bench/.warehouse-data,
 *    `--cache <dir>`): Parquet for DuckDB, CSV for memory and ClickHouse.
 * 3. One process per figure group, so each peak RSS is its own: DuckDB cold collection dashboard
 *    and cross-filter clicks per size; memory at 1M for the same queries; ClickHouse 2-shard at
 *    `--clickhouse-size`; simulated viewers and distinct-query clients against DuckDB (the clients
 *    in a process of their own, so the server's figures are its own); a ClickHouse
 *    shard stopped mid-run.
 *
 * Prints `RATIO` / `VALUE` / `SKIP` lines (goals as bench/run.mjs) and the load average next to
 * them; writes bench/warehouse-results.json.
 *
 * Options: --sizes 1M,10M[,100M]   --only generate,duckdb,memory,clickhouse,viewers,fault
 *          --viewers 10000 --seconds 60 --sockets 512 --distinct 50 --distinct-each 3 --batch 0|1
 *          --reps 5   --cache <dir>
 *          --clickhouse-size 10M (the ClickHouse dashboard size; ingestion goes through Node)
 *          --no-db-cache (DuckDB ingests the files every run instead of reopening <cache>/<size>.duckdb)
 *          --no-prepare (DuckDB dashboards without the prepare figures)
 *          --cap N (at most N of a dashboard's queries at once on the backend; default all)
 */
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', '.out');
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const count = (s) => {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(String(s));
  if (!m) throw new Error(`not a size: ${s}`);
  return Math.round(Number(m[1]) * { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[m[2]]);
};
const SIZES = opt('sizes', '1M,10M').split(',');
const ONLY = new Set(opt('only', 'generate,duckdb,memory,clickhouse,viewers,fault').split(','));
const CACHE = resolve(opt('cache', join(ROOT, 'bench', '.warehouse-data')));
const REPS = opt('reps', '5');
const CH_SIZE = opt('clickhouse-size', '10M');
// DuckDB ingests each size once into `<cache>/<size>.duckdb` and later runs reopen it
// (`warehouse-reopen-…` instead of `warehouse-attach-…`); `--no-db-cache` ingests every run.
const DB_CACHE = !argv.includes('--no-db-cache');
const t0 = Date.now();
const figures = [];
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const out = (l) => console.log(l);
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

function fmt(x) {
  const a = Math.abs(x);
  return String(Number(x.toFixed(a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : 4)));
}
function goalMet(goal, v) {
  const m = /^(<=|>=)\s*([\d.]+)/.exec(goal ?? '');
  return m ? (m[1] === '<=' ? v <= Number(m[2]) : v >= Number(m[2])) : undefined;
}
function ratio(name, a, b, goal, note) {
  if (!a || !b) return out(`SKIP ${name} (a side is missing)`);
  const v = a.median / b.median;
  const met = goalMet(goal, v);
  const f = { name, kind: 'ratio', median: v, a: a.name, b: b.name, goal, met, note };
  figures.push(f);
  out(
    `RATIO ${name} ${fmt(v)} (${a.name} ${fmt(a.median)} / ${b.name} ${fmt(b.median)})${goal ? `  [goal ${goal} ${met ? 'met' : 'NOT met'}]` : ''}  load ${load()}`,
  );
}

await build({
  entryPoints: [join(ROOT, 'bench/node/warehouse.ts')],
  outfile: join(OUT, 'warehouse.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  logLevel: 'silent',
  external: ['@duckdb/node-api', '@clickhouse/client'],
  tsconfig: join(ROOT, 'tsconfig.json'),
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});

/** Run one bench process; its figures are recorded and printed with the load average. */
function child(args, timeoutMs) {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--max-old-space-size=8192', join(OUT, 'warehouse.mjs'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const got = [];
    let meta = {};
    let buf = '';
    let err = '';
    const line = (l) => {
      if (l.startsWith('@@FIGURE ')) {
        const f = JSON.parse(l.slice(9));
        got.push(f);
        figures.push({ ...f, load: load() });
      } else if (l.startsWith('@@META ')) meta = { ...meta, ...JSON.parse(l.slice(7)) };
      else if (/^(VALUE|RATIO|SKIP) /.test(l)) out(`${l}  load ${load()}`);
      else if (l.trim()) out(l.startsWith('INFO') ? l : `INFO   ${l}`);
    };
    p.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        line(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      out(`INFO ${args.join(' ')}: timed out after ${timeoutMs / 1000} s; stopped`);
      p.kill('SIGKILL');
    }, timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (buf) line(buf);
      if (code !== 0)
        out(`INFO ${args.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
      done({ figures: got, meta });
    });
  });
}
const fig = (r, prefix) => r?.figures.find((f) => f.name.startsWith(prefix));

out(
  `INFO finboard bench:warehouse: sizes ${SIZES.join(', ')}; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${load()}; data cache ${CACHE}`,
);

async function data(size, format) {
  const dir = join(CACHE, `${size}-${format}`);
  if (existsSync(join(dir, `campaign_spend.${format}`))) return dir;
  if (!ONLY.has('generate')) throw new Error(`no ${format} data at ${dir} (add generate to --only)`);
  mkdirSync(dir, { recursive: true });
  const csv = join(CACHE, `${size}-csv`);
  if (format === 'parquet' && existsSync(join(csv, 'campaign_spend.csv'))) {
    out(`INFO [${elapsed()}] converting the ${size} CSV files to Parquet`);
    await child(['generate', '--from', csv, '--out', dir, '--tag', size], 3600_000);
    return dir;
  }
  out(`INFO [${elapsed()}] generating ${size} loan-months as ${format}`);
  await child(
    ['generate', '--rows', String(count(size)), '--out', dir, '--format', format, '--tag', size],
    4 * 3600_000,
  );
  return dir;
}

// Data first (CSV of the base size, the ClickHouse size and the fault size; Parquet of every size).
if (ONLY.has('generate')) {
  const base = SIZES.find((s) => count(s) === 1e6) ?? SIZES[0];
  if (ONLY.has('memory')) await data(base, 'csv');
  if (ONLY.has('clickhouse')) await data(CH_SIZE, 'csv');
  if (ONLY.has('fault')) await data('200k', 'csv');
  for (const size of SIZES) await data(size, 'parquet');
}

const runs = {};
let supported = '';
for (const size of SIZES) {
  if (!ONLY.has('duckdb')) break;
  const dir = await data(size, 'parquet');
  out(`INFO [${elapsed()}] duckdb dashboard at ${size}`);
  runs[`duckdb@${size}`] = await child(
    [
      'dashboard',
      '--backend',
      'duckdb',
      '--data',
      dir,
      '--tag',
      size,
      '--reps',
      REPS,
      '--temp',
      join(CACHE, 'spill'),
      ...(DB_CACHE ? ['--db', join(CACHE, `${size}.duckdb`)] : []),
      // --no-prepare: skip the prepare figures (minutes at 100M).
      ...(argv.includes('--no-prepare') ? ['--no-prepare', '1'] : []),
      ...(opt('cap') ? ['--cap', opt('cap')] : []),
    ],
    3 * 3600_000,
  );
  supported ||= (runs[`duckdb@${size}`].meta.keep ?? []).join(',');
}
const base = SIZES.find((s) => count(s) === 1e6) ?? SIZES[0];
if (ONLY.has('memory')) {
  const dir = await data(base, 'csv');
  out(
    `INFO [${elapsed()}] memory dashboard at ${base} (the dashboard queries DuckDB answers: #${supported || 'all'})`,
  );
  runs[`memory@${base}`] = await child(
    [
      'dashboard',
      '--backend',
      'memory',
      '--data',
      dir,
      '--tag',
      base,
      '--reps',
      REPS,
      ...(supported ? ['--keep', supported] : []),
    ],
    3600_000,
  );
  ratio(
    `duckdb/memory-cold@${base}`,
    fig(runs[`duckdb@${base}`], 'warehouse-cold'),
    fig(runs[`memory@${base}`], 'warehouse-cold'),
    '<= 3',
  );
  ratio(
    `duckdb/memory-click@${base}`,
    fig(runs[`duckdb@${base}`], 'warehouse-click'),
    fig(runs[`memory@${base}`], 'warehouse-click'),
    '<= 3',
  );
  // Per widget query (each alone, the same request on both backends), slowest first.
  const perQuery = (r) => (r?.figures ?? []).filter((f) => f.name.startsWith('warehouse-query-'));
  const mem = new Map(perQuery(runs[`memory@${base}`]).map((f) => [f.name.replace(/-memory@/, '@'), f]));
  for (const f of perQuery(runs[`duckdb@${base}`]).sort((a, b) => b.median - a.median)) {
    const m = mem.get(f.name.replace(/-duckdb@/, '@'));
    if (m) ratio(f.name.replace(/^warehouse-query-/, 'query ').replace(/-duckdb@/, ' duckdb/memory@'), f, m);
  }
}
if (runs['duckdb@100M'] && runs['duckdb@10M']) {
  ratio(
    'duckdb-scaling-cold 100M/10M',
    fig(runs['duckdb@100M'], 'warehouse-cold'),
    fig(runs['duckdb@10M'], 'warehouse-cold'),
    '<= 12',
  );
  ratio(
    'duckdb-scaling-click 100M/10M',
    fig(runs['duckdb@100M'], 'warehouse-click'),
    fig(runs['duckdb@10M'], 'warehouse-click'),
    '<= 12',
  );
} else out('SKIP duckdb-scaling 100M/10M (run with --sizes 1M,10M,100M)');
if (ONLY.has('clickhouse')) {
  const dir = await data(CH_SIZE, 'csv');
  out(`INFO [${elapsed()}] ClickHouse 2-shard dashboard at ${CH_SIZE}`);
  runs[`clickhouse@${CH_SIZE}`] = await child(
    [
      'dashboard',
      '--backend',
      'clickhouse',
      '--data',
      dir,
      '--tag',
      CH_SIZE,
      '--reps',
      REPS,
      ...(supported ? ['--keep', supported] : []),
      // --no-prepare: skip the prepare figures (165 cells took 18 minutes at 10M).
      ...(argv.includes('--no-prepare') ? ['--no-prepare', '1'] : []),
    ],
    3 * 3600_000,
  );
  ratio(
    `clickhouse/duckdb-cold@${CH_SIZE}`,
    fig(runs[`clickhouse@${CH_SIZE}`], 'warehouse-cold'),
    fig(runs[`duckdb@${CH_SIZE}`], 'warehouse-cold'),
  );
  ratio(
    `clickhouse/duckdb-click@${CH_SIZE}`,
    fig(runs[`clickhouse@${CH_SIZE}`], 'warehouse-click'),
    fig(runs[`duckdb@${CH_SIZE}`], 'warehouse-click'),
  );
}
if (ONLY.has('viewers')) {
  const size = SIZES.includes('10M') ? '10M' : base;
  const dir = await data(size, 'parquet');
  out(
    `INFO [${elapsed()}] ${opt('viewers', '10000')} viewers for ${opt('seconds', '60')} s against DuckDB at ${size}`,
  );
  await child(
    [
      'viewers',
      '--data',
      dir,
      '--tag',
      size,
      '--viewers',
      opt('viewers', '10000'),
      '--seconds',
      opt('seconds', '60'),
      '--distinct',
      opt('distinct', '50'),
      '--distinct-each',
      opt('distinct-each', '3'),
      '--sockets',
      opt('sockets', '512'),
      // 0: every widget query its own request (before batches); default: one batch per open or click.
      ...(opt('batch') !== undefined ? ['--batch', opt('batch')] : []),
      ...(DB_CACHE ? ['--db', join(CACHE, `${size}.duckdb`)] : []),
      ...(supported ? ['--keep', supported] : []),
    ],
    3600_000,
  );
}
if (ONLY.has('fault')) {
  const dir = await data('200k', 'csv');
  out(`INFO [${elapsed()}] ClickHouse shard fault (200k loan-months)`);
  // --stop-shard 1|2 and --freeze 1 (SIGSTOP/SIGCONT instead of stop/start) reach the fault mode.
  const faultArgs = ['stop-shard', 'freeze', 'backend-timeout'].flatMap((k) =>
    opt(k) !== undefined ? [`--${k}`, opt(k)] : [],
  );
  await child(['fault', '--data', dir, '--tag', '200k', ...faultArgs], 900_000);
}
out(`INFO done in ${elapsed()}; load average ${load()}`);
writeFileSync(
  join(ROOT, 'bench', 'warehouse-results.json'),
  JSON.stringify({ date: new Date().toISOString(), figures }, null, 2),
);
