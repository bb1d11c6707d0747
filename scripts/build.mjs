#!/usr/bin/env node
/**
 * `npm run build` (also `prepack`): the package a portal installs.
 *
 * 1. tsc emits every module of src/ and components/ as its own file with its .d.ts:
 *    dist/src/**, dist/components/**. No source maps: the output is tsc's readable per-module ES2022
 *    (comments kept, one file per source file), and maps with inlined sources doubled the tarball. No hashed chunks, so `sideEffects` names
 *    exactly the files that register elements, and dependencies (lit, d3, vega, arquero…) stay
 *    bare imports resolved once by the host's bundler (one Lit with the host's own).
 * 2. The engine worker is bundled on its own, self-contained (vite.worker.config.ts).
 * 3. scripts/finish-build.mjs points the default worker URL at it and checks it imports nothing.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const bin = (name) => join('node_modules', '.bin', name);
const run = (cmd, args) => {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

rmSync('dist', { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
run(bin('vite'), ['build', '-c', 'vite.worker.config.ts', '--logLevel', 'warn']);
run(process.execPath, ['scripts/finish-build.mjs']);
