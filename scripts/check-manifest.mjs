#!/usr/bin/env node
// The committed custom-elements.json must equal a fresh `cem analyze` (it ships in the package and
// feeds Storybook and IDEs). Generates into a scratch folder and compares byte for byte.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// cem joins --outdir to the working directory, so the scratch folder lives under node_modules/.cache.
const out = join('node_modules', '.cache', `cem-check-${process.pid}`);
mkdirSync(out, { recursive: true });
try {
  const r = spawnSync(join('node_modules', '.bin', 'cem'), ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', out], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    process.exit(1);
  }
  const fresh = readFileSync(join(out, 'custom-elements.json'), 'utf8');
  const committed = readFileSync('custom-elements.json', 'utf8');
  if (fresh !== committed) {
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const i = a.findIndex((line, k) => line !== b[k]);
    console.error(`custom-elements.json is stale: first difference at line ${i + 1}:\n  committed: ${a[i]}\n  fresh:     ${b[i]}\nRun \`npm run analyze\` and commit the result.`);
    process.exit(1);
  }
  console.log('custom-elements.json matches a fresh analysis');
} finally {
  rmSync(out, { recursive: true, force: true });
}
