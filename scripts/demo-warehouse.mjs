#!/usr/bin/env node
// `npm run demo:warehouse`: the collection dashboard on the remote placement against the DuckDB
// backend at 10M loan-month rows, on 127.0.0.1.
//
// 1. Generates the seeded sample (10M loan-months, Parquet) once into the cache dir
//    (default ~/.cache/finboard/warehouse-10M; `--cache <dir>`, `--loan-months 1M` for a quicker one)
//    with `finboard generate`.
// 2. Builds the demo (as `npm start`) and the package (for `finboard/server`) when missing.
// 3. Serves, on one free port (`--port` to choose): the demo pages, and at /finboard the hardened
//    handler over `duckdbBackend()` with the files attached into `<cache>/finboard.duckdb` (the
//    first start ingests them; later starts reopen the file) (no policy: anonymous callers may
//    query; PII masked). Prints the page's URL; Ctrl+C stops it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemo, serveDemo } from './start.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, d) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : d;
};
const rows = opt('loan-months', '10M');
const cache = resolve(opt('cache', join(homedir(), '.cache', 'finboard', `warehouse-${rows}`)));
const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!existsSync(join(ROOT, 'dist', 'src', 'server.js'))) run([join(ROOT, 'scripts', 'build.mjs')]);
if (!existsSync(join(cache, 'campaign_spend.parquet'))) {
  console.log(`Generating the ${rows} loan-month sample into ${cache} (once; minutes at 10M)…`);
  run([
    join(ROOT, 'bin', 'finboard.mjs'),
    'generate',
    '--loan-months',
    rows,
    '--out',
    cache,
    '--format',
    'parquet',
  ]);
}
await buildDemo();
const { createHandler, duckdbBackend } = await import(join(ROOT, 'dist', 'src', 'server.js'));
// The database file keeps the ingested tables: the first start ingests the files into it (minutes
// at 10M), every later start reopens them and keeps the unchanged files.
const backend = await duckdbBackend({
  memoryLimit: opt('duckdb-memory', '4GB'),
  path: join(cache, 'finboard.duckdb'),
});
for (const name of ['customers', 'loans', 'loan_months', 'collection_actions']) {
  const t0 = Date.now();
  const r = await backend.attach(name, { path: join(cache, `${name}.parquet`) });
  const how = backend.attachedBy.get(name)?.kept ? 'kept (unchanged since the first start)' : 'attached';
  console.log(`${how} ${name}: ${r.rowsKept} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
if (backend.preparedRestored)
  console.log(`reopened ${backend.preparedRestored} prepared answers (clicks answered from the file)`);
// Anonymous callers may also `prepare`: the dashboard asks the backend to answer its widgets for
// every region and product once it has painted (docs/server.md, "Prepared cross-filter answers"),
// so a click on the filter bar is a look-up instead of a 10M-row scan.
const handler = createHandler({
  backend,
  // 3 minutes per call: the dashboard's prepare answers when its build ends (about 75 s at 10M on
  // 2 cores), and the first cold queries at 10M can take a minute when all run at once.
  limits: { concurrent: 32, timeoutMs: 180_000 },
  anonymous: { operations: ['prepare'] },
});
const pages = await serveDemo(0, '127.0.0.1');
const statics = pages.listeners('request')[0];
pages.close();
const server = createServer((req, res) => {
  if ((req.url ?? '').split('?')[0] === '/finboard') return handler(req, res);
  return statics(req, res);
});
server.listen(Number(opt('port', 0)), '127.0.0.1', () => {
  console.log(
    `\n  Finboard on DuckDB (${rows} loan-months): http://127.0.0.1:${server.address().port}/warehouse.html\n  (Ctrl+C to stop)\n`,
  );
});
const stop = () => {
  server.close();
  server.closeAllConnections?.();
  void handler.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
