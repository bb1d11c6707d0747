#!/usr/bin/env node
// After `tsc -p tsconfig.build.json` (our modules, one file each) and the worker bundle
// (vite.worker.config.ts): point the default worker URL at the emitted .js file and drop what the
// self-contained worker made stale. Fails loudly when a step no longer matches the sources.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const fail = (msg) => {
  console.error(`finish-build: ${msg}`);
  process.exit(1);
};

// 1. The default worker: `new Worker(new URL('./worker-entry.ts', import.meta.url))` in the sources
//    (what Vite dev and the test runner serve) names the built file in the package.
const dw = 'dist/src/engine/default-worker.js';
if (!existsSync(dw)) fail(`${dw} missing (did tsc run?)`);
const src = readFileSync(dw, 'utf8');
const n = src.split("'./worker-entry.ts'").length - 1;
if (n < 1) fail(`${dw}: no './worker-entry.ts' URL to rewrite`);
writeFileSync(dw, src.replaceAll("'./worker-entry.ts'", "'./worker-entry.js'"));

// 2. The worker entry is the self-contained bundle now: it must import nothing.
const we = 'dist/src/engine/worker-entry.js';
const worker = readFileSync(we, 'utf8');
if (/(^|[;\s}])import\s*[\s{*"'(]|\bfrom\s*["']/.test(worker.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""'))) {
  fail(`${we} still imports modules; it must be self-contained`);
}
rmSync(`${we}.map`, { force: true });
console.log(`finish-build: worker URL rewritten (${n}×), ${we} self-contained (${(worker.length / 1024).toFixed(0)} kB)`);
