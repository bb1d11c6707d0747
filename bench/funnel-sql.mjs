#!/usr/bin/env node
/**
 * Strict `funnel` on the DuckDB backend: rows returned to JS and ms vs memory on the seeded sample
 * (bench/node/funnel-sql.ts; not in CI). Usage: `node bench/funnel-sql.mjs [5000,50000]` (customers).
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', '.out', 'funnel-sql.mjs');
await build({
  entryPoints: [join(ROOT, 'bench/node/funnel-sql.ts')],
  outfile: OUT,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  logLevel: 'silent',
  external: ['@duckdb/node-api'],
  tsconfig: join(ROOT, 'tsconfig.json'),
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
const r = spawnSync(process.execPath, ['--max-old-space-size=8192', OUT, ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
