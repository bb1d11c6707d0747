#!/usr/bin/env node
// After `vite build`: the headless core imports in plain Node, and bundle budgets hold.
// Sizes are measured by re-minifying each entry with its static imports (esbuild) and gzipping,
// because Vite does not minify ES library output.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const fail = [];
const core = await import(pathToFileURL('dist/index.js').href);
for (const name of ['createEngine', 'generateSample', 'formatValue', 'collectionDashboard']) {
  if (typeof core[name] === 'undefined') fail.push(`dist/index.js does not export ${name}`);
}
const engine = core.createEngine();
await engine.loadSample({ customers: 50 });
const r = await engine.query({ metric: 'overdue_rate', params: {} });
if (!Array.isArray(r.data) || r.data.length === 0) fail.push('overdue_rate on the sample returned no rows in Node');

async function size(entry, external = []) {
  const out = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false, external, logLevel: 'silent', metafile: true });
  const code = out.outputFiles[0].contents;
  return { gz: gzipSync(code).length, inputs: Object.keys(out.metafile.inputs) };
}
const budgets = [
  ['dist/components/kpi-card.js', 25 * 1024, 'KPI card entry'],
  ['dist/index.js', 100 * 1024, 'headless core'],
];
for (const [file, max, label] of budgets) {
  if (!existsSync(file)) {
    fail.push(`${file} missing`);
    continue;
  }
  // Lazily loaded chunks (dynamic import) are excluded: esbuild leaves them as separate files.
  const { gz, inputs } = await size(file, ['node:*']);
  const heavy = inputs.filter((p) => /node_modules\/(vega|vega-lite|vega-embed|arquero|d3-sankey)\//.test(p));
  console.log(`bundle ${label}: ${(gz / 1024).toFixed(1)} kB min+gzip (budget ${(max / 1024).toFixed(0)} kB)`);
  if (gz > max) fail.push(`${label} is ${gz} bytes gzip, over ${max}`);
  if (file.includes('kpi-card') && heavy.length) fail.push(`${label} statically includes ${heavy.slice(0, 3).join(', ')}`);
}
if (fail.length) {
  console.error('build check failed:\n  ' + fail.join('\n  '));
  process.exit(1);
}
console.log('build check passed');
