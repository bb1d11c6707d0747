#!/usr/bin/env node
// After `vite build`: the headless core imports in plain Node, and bundle budgets hold.
// Sizes are measured by re-minifying each entry with its static imports (esbuild) and gzipping,
// because Vite does not minify ES library output.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const fail = [];
const core = await import(pathToFileURL('dist/src/index.js').href);
for (const name of ['createEngine', 'formatValue']) {
  if (typeof core[name] === 'undefined') fail.push(`dist/src/index.js does not export ${name}`);
}
const sample = await import(pathToFileURL('dist/src/sample.js').href);
if (typeof sample.generateSample !== 'function') fail.push('dist/src/sample.js does not export generateSample');
const dashboards = await import(pathToFileURL('dist/src/dashboard/index.js').href);
if (!dashboards.collectionDashboard || dashboards.validateSpec(dashboards.collectionDashboard).length) fail.push('dist/src/dashboard/index.js: collectionDashboard missing or invalid');
const engine = core.createEngine();
await engine.loadSample({ customers: 50 });
const r = await engine.query({ metric: 'overdue_rate', params: {} });
if (!Array.isArray(r.data) || r.data.length === 0) fail.push('overdue_rate on the sample returned no rows in Node');

/**
 * min+gzip bytes of an entry and every chunk it imports statically; lazily loaded chunks
 * (dynamic import) are measured separately and not counted against the entry.
 */
async function size(entry, external = []) {
  const outdir = mkdtempSync(join(tmpdir(), 'finboard-size-'));
  const out = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', splitting: true, outdir, external, logLevel: 'silent', metafile: true, write: true });
  const outputs = out.metafile.outputs;
  const entryOut = Object.keys(outputs).find((k) => outputs[k].entryPoint);
  const seen = new Set();
  const walk = (k) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const imp of outputs[k].imports) if (imp.kind === 'import-statement' && outputs[imp.path]) walk(imp.path);
  };
  walk(entryOut);
  let gz = 0;
  const inputs = new Set();
  for (const k of seen) {
    gz += gzipSync(readFileSync(k)).length;
    for (const i of Object.keys(outputs[k].inputs)) inputs.add(i);
  }
  let lazy = 0;
  for (const k of Object.keys(outputs)) if (!seen.has(k) && k.endsWith('.js')) lazy += gzipSync(readFileSync(k)).length;
  rmSync(outdir, { recursive: true, force: true });
  return { gz, lazy, inputs: [...inputs] };
}
const budgets = [
  ['dist/components/kpi-card/define.js', 25 * 1024, 'KPI card entry'],
  // 100 → 110 kB (issue 12–15 session): params JSON Schemas with validation (10 kB), strict number,
  // date-range and PII-shape ingestion, mining metric stubs; the in-page engine itself loads lazily
  // from createEngine(), so hosts importing only createEngine do not pay this.
  // 110 → 111 kB (session 10): the remote engine's batches (a dashboard's queries in one request,
  // replies streamed per call: the 10 000-viewer figure), 0.4 kB.
  ['dist/src/index.js', 111 * 1024, 'headless core'],
];
for (const [file, max, label] of budgets) {
  if (!existsSync(file)) {
    fail.push(`${file} missing`);
    continue;
  }
  // Lazily loaded chunks (dynamic import) are excluded: esbuild leaves them as separate files.
  const { gz, lazy, inputs } = await size(file, ['node:*']);
  const heavy = inputs.filter((p) => /node_modules\/(vega|vega-lite|vega-embed|arquero|d3-sankey)\//.test(p));
  console.log(`bundle ${label}: ${(gz / 1024).toFixed(1)} kB min+gzip (budget ${(max / 1024).toFixed(0)} kB); lazily loaded chunks ${(lazy / 1024).toFixed(1)} kB`);
  if (gz > max) fail.push(`${label} is ${gz} bytes gzip, over ${max}`);
  if (file.includes('kpi-card') && heavy.length) fail.push(`${label} statically includes ${heavy.slice(0, 3).join(', ')}`);
}
if (fail.length) {
  console.error('build check failed:\n  ' + fail.join('\n  '));
  process.exit(1);
}
console.log('build check passed');
