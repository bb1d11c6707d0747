#!/usr/bin/env node
/**
 * finboard command line:
 *   finboard serve [--backend duckdb|memory|clickhouse] --data <dir> [--policy policy.json]
 *                  [--fields fields.json] [--port 8787] [--host 127.0.0.1] [--load-origin https://…]
 *                  [--duckdb <file>] [--duckdb-memory 4GB] [--duckdb-temp <dir>]
 *                  [--clickhouse <url> [--database <db>] [--cluster <name> --shards <url,url,…>]
 *                   [--clickhouse-timeout <ms>] [--persist]]
 *   finboard generate --loan-months 10M --out <dir> [--format csv|parquet] [--seed N]
 * The default backend is DuckDB: `--data` files (CSV / Parquet named after the canonical datasets)
 * are typed, validated and masked in SQL into DuckDB tables (the JavaScript ingestion's result;
 * files it cannot reproduce are ingested in JavaScript chunks), which spill past `--duckdb-memory`.
 * With `--duckdb <file>` the datasets persist: a restart serves them again (no `--data` needed),
 * and a `--data` file unchanged since it was loaded into the file is kept, not ingested again.
 * `--persist` does the same for ClickHouse: the catalog is kept in the database (one serving
 * process per database), the tables outlive the process.
 * Uses the built package (`finboard/server` through the package's own exports), so it runs the
 * same from a checkout after `npm run build` and from the installed package.
 */
import http from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const USAGE = `Usage:
  finboard serve [--backend duckdb|memory|clickhouse] --data <dir> [--policy policy.json]
                 [--fields fields.json] [--port 8787] [--host 127.0.0.1] [--load-origin <origin>]...
                 [--duckdb <file>] [--duckdb-memory <4GB>] [--duckdb-temp <dir>]
                 [--clickhouse <url> [--database finboard] [--cluster <name> --shards <url,url,...>]
                  [--clickhouse-timeout <ms>] [--persist]]
  finboard generate --loan-months <N|10M> --out <dir> [--format csv|parquet] [--seed <N>]
  (default backend: duckdb)`;

const DATASETS = [
  'customers',
  'loans',
  'loan_months',
  'collection_actions',
  'transactions',
  'funnel_events',
  'campaign_spend',
];

function parse(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      out._.push(a);
      continue;
    }
    const [k, inline] = a.slice(2).split('=', 2);
    if (k === 'persist' && inline === undefined) {
      out.persist = true; // a flag: no value
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined) fail(`--${k} needs a value`);
    if (k === 'load-origin') (out[k] ??= []).push(v);
    else out[k] = v;
  }
  return out;
}

function fail(msg) {
  process.stderr.write(`finboard: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

/** 10M, 1.5m, 200k, 1e6 → a number. */
function count(s, name) {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmM]?)$/.exec(String(s));
  if (!m) fail(`--${name} must be a number like 1000000 or 10M`);
  const mult = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[m[2]];
  return Math.round(Number(m[1]) * mult);
}

async function server() {
  // Through the package's own exports (self-reference), so the CLI follows whatever dist layout
  // the build produces; the plain path is the fallback for an older layout.
  const errors = [];
  for (const spec of ['finboard/server', '../dist/src/server.js']) {
    try {
      return await import(spec);
    } catch (e) {
      errors.push(`${spec}: ${e.message}`);
    }
  }
  fail(`cannot load the server module (run \`npm run build\` in a checkout):\n  ${errors.join('\n  ')}`);
}

async function serve(o) {
  const backendKind = o.backend ?? 'duckdb';
  if (o.persist && backendKind !== 'clickhouse')
    fail('--persist is for --backend clickhouse (DuckDB keeps its datasets with --duckdb <file>)');
  const mod = await server();
  const { createHandler, policyFromJSON } = mod;
  let backend;
  if (backendKind === 'memory') backend = mod.memoryBackend();
  else if (backendKind === 'duckdb') {
    try {
      backend = await mod.duckdbBackend({
        ...(o.duckdb ? { path: resolve(o.duckdb) } : {}),
        ...(o['duckdb-memory'] ? { memoryLimit: o['duckdb-memory'] } : {}),
        ...(o['duckdb-temp'] ? { tempDirectory: resolve(o['duckdb-temp']) } : {}),
      });
    } catch (e) {
      fail(`cannot start DuckDB (${e.message}); use --backend memory for small data`);
    }
    // A database file keeps what it was given: its datasets are served again without --data.
    for (const info of o.duckdb ? await backend.datasets() : [])
      process.stdout.write(`reopened ${info.name} (${info.rows} rows) from ${o.duckdb}\n`);
    for (const s of backend.skipped ?? [])
      process.stderr.write(`finboard: not reopened from ${o.duckdb}: ${s.name} (${s.reason})\n`);
    if (backend.preparedRestored)
      process.stdout.write(`reopened ${backend.preparedRestored} prepared answers from ${o.duckdb}\n`);
  } else if (backendKind === 'clickhouse') {
    if (!o.clickhouse) fail('--backend clickhouse needs --clickhouse <http url>');
    if (o.shards && !o.cluster) fail('--shards needs --cluster <name>');
    const timeout = o['clickhouse-timeout'];
    if (timeout !== undefined && !/^[1-9]\d*$/.test(timeout))
      fail('--clickhouse-timeout must be a whole number of milliseconds');
    try {
      backend = await mod.clickhouseBackend({
        url: o.clickhouse,
        ...(o.database ? { database: o.database } : {}),
        ...(o.cluster ? { cluster: o.cluster } : {}),
        ...(o.shards ? { shardUrls: o.shards.split(',').map((u) => u.trim()) } : {}),
        ...(timeout !== undefined ? { requestTimeoutMs: Number(timeout) } : {}),
        ...(o.persist ? { persist: true } : {}),
      });
    } catch (e) {
      fail(
        `cannot use ClickHouse at ${o.clickhouse}: ${e.message}${e.details?.cause ? ` (${e.details.cause})` : ''}`,
      );
    }
    // A persisted catalog keeps what it was given, as a DuckDB file.
    for (const info of o.persist ? await backend.datasets() : [])
      process.stdout.write(`reopened ${info.name} (${info.rows} rows) from ${o.clickhouse}\n`);
    for (const s of backend.skipped ?? [])
      process.stderr.write(`finboard: not reopened from ${o.clickhouse}: ${s.name} (${s.reason})\n`);
    if (backend.preparedRestored)
      process.stdout.write(`reopened ${backend.preparedRestored} prepared answers from ${o.clickhouse}\n`);
  } else fail(`unknown backend "${backendKind}" (memory, duckdb, clickhouse)`);
  const fields = o.fields ? JSON.parse(await readFile(o.fields, 'utf8')) : {};
  if (o.data) {
    const dir = resolve(o.data);
    const files = await readdir(dir);
    let loaded = 0;
    // Datasets others link to first (customers, then loans): the DuckDB layout hands out key
    // codes in the order of the first table that has them, and loans' region/product order is
    // what lets a region filter read as a code range (src/server/sql/key-ranges.ts).
    const rank = (f) => ['customers', 'loans'].indexOf(f.replace(/\..*$/, '')) >>> 0;
    for (const f of files.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))) {
      const m = /^(.+)\.(csv|json|arrow|parquet)$/i.exec(f);
      if (!m || !DATASETS.includes(m[1])) continue;
      const t0 = Date.now();
      const report = await backend.attach(m[1], {
        path: join(dir, f),
        ...(fields[m[1]] ? { fields: fields[m[1]] } : {}),
      });
      const kept = backend.attachedBy?.get(m[1])?.kept;
      process.stdout.write(
        kept
          ? `kept ${m[1]} (${report.rowsKept} rows): ${f} is unchanged since it was loaded into ${o.duckdb ?? o.clickhouse}\n`
          : `loaded ${m[1]} (${report.rowsKept} rows kept of ${report.rowsRead}) from ${f} in ${Date.now() - t0} ms\n`,
      );
      loaded++;
    }
    if (!loaded) fail(`no dataset files (${DATASETS.map((d) => d + '.csv').join(', ')}) in ${dir}`);
  }
  let policy;
  if (o.policy) policy = policyFromJSON(JSON.parse(await readFile(o.policy, 'utf8')));
  else
    process.stderr.write(
      'finboard: no --policy: every caller is anonymous (query, distinct, datasets; no detail lists, masked PII)\n',
    );
  const handler = createHandler({
    backend,
    ...(policy ? { policy } : {}),
    ...(o['load-origin'] ? { loadOrigins: o['load-origin'] } : {}),
    audit: (e) => process.stdout.write(JSON.stringify(e) + '\n'),
    logger: {
      warn: (m, meta) => process.stderr.write(`finboard: ${m} ${meta ? JSON.stringify(meta) : ''}\n`),
    },
  });
  const host = o.host ?? '127.0.0.1';
  const port = Number(o.port ?? 8787);
  const srv = http.createServer(handler);
  srv.listen(port, host, () => {
    const a = srv.address();
    process.stdout.write(
      `finboard serving the ${backendKind} backend at http://${host.includes(':') ? `[${host}]` : host}:${a.port}/\n`,
    );
  });
  const stop = () => {
    srv.close();
    srv.closeAllConnections?.();
    void handler.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function generate(o) {
  if (!o.out) fail('--out <dir> is required');
  const format = o.format ?? 'csv';
  if (format !== 'csv' && format !== 'parquet') fail(`unknown format "${format}" (csv, parquet)`);
  const { writeSample } = await server();
  const t0 = Date.now();
  const counts = await writeSample(resolve(o.out), {
    format,
    ...(o['loan-months'] ? { loanMonths: count(o['loan-months'], 'loan-months') } : {}),
    ...(o.seed !== undefined ? { seed: count(o.seed, 'seed') } : {}),
    progress: (done, total) => {
      if (total > 80_000) process.stderr.write(`finboard: ${done} / ${total} customers generated\n`);
    },
  });
  for (const [k, n] of Object.entries(counts)) process.stdout.write(`${k}.${format} ${n} rows\n`);
  const rss = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `written to ${resolve(o.out)} in ${Date.now() - t0} ms (peak RSS ${rss.toFixed(0)} MiB)\n`,
  );
}

const [cmd, ...rest] = process.argv.slice(2);
const o = parse(rest);
if (cmd === 'serve') await serve(o);
else if (cmd === 'generate') await generate(o);
else fail(cmd ? `unknown command "${cmd}"` : 'a command is required');
