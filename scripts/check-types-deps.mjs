#!/usr/bin/env node
/**
 * The published declarations (dist/types, from `tsc -p tsconfig.build.json`) must type-check in a
 * consumer's app with `skipLibCheck: false`: every package a .d.ts names must be installed for the
 * consumer — a dependency or (optional) peer dependency of ours, never a devDependency — and must
 * come with types (its own, or an `@types/…` package that is itself a dependency). Otherwise the
 * consumer gets TS7016 ("could not find a declaration file for module 'd3-sankey'"), as issue 12 saw.
 *
 *   node scripts/check-types-deps.mjs [dir]     # default dist/types, else dist
 *
 * Node built-ins are allowed only in the Node entry (`finboard/server`), whose users have @types/node.
 * Exit 1 with one line per offending import.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';

const root = process.cwd();
// dist/types (declarations emitted apart) or dist (declarations next to the emitted modules).
const dir = resolve(root, process.argv[2] ?? (existsSync(join(root, 'dist/types')) ? 'dist/types' : 'dist'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const deps = new Set(Object.keys(pkg.dependencies ?? {}));
const peers = new Set(Object.keys(pkg.peerDependencies ?? {}));
const devDeps = new Set(Object.keys(pkg.devDependencies ?? {}));
/** Declaration files that may name Node built-ins (the server entry and its modules under src/server/). */
const NODE_OK = [/^src\/server\.d\.ts$/, /^src\/server\//];
/** Optional framework entries: their framework is the consumer's own (and brings its types). */
const FRAMEWORK = new Map([
  ['react', [/^components\/react\//, /^components\/jsx\/react\.d\.ts$/]],
  ['vue', [/^components\/jsx\/vue\.d\.ts$/]],
]);

if (!existsSync(dir)) {
  console.error(`check-types-deps: ${dir} does not exist; run npx tsc -p tsconfig.build.json first`);
  process.exit(1);
}

const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.d.ts'));

/** Bare specifiers a declaration file makes the compiler resolve (comments stripped first). */
function specifiers(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/(?!\/ <reference).*$/gm, '');
  const out = new Set();
  for (const re of [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\bdeclare\s+module\s+['"]([^'"]+)['"]/g,
    /\/\/\/\s*<reference\s+types\s*=\s*['"]([^'"]+)['"]/g,
  ]) {
    for (const m of code.matchAll(re)) if (!m[1].startsWith('.')) out.add(m[1]);
  }
  return out;
}

const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const typesPackage = (name) => (name.startsWith('@') ? `@types/${name.slice(1).replace('/', '__')}` : `@types/${name}`);

/** Does the installed package ship its own declarations? */
function shipsTypes(name) {
  const p = join(root, 'node_modules', name, 'package.json');
  if (!existsSync(p)) return false;
  const j = JSON.parse(readFileSync(p, 'utf8'));
  if (j.types || j.typings) return true;
  if (JSON.stringify(j.exports ?? {}).includes('"types"')) return true;
  return existsSync(join(root, 'node_modules', name, 'index.d.ts'));
}

const problems = [];
const seen = new Map();
for (const f of files) {
  const rel = f.split('\\').join('/');
  for (const spec of specifiers(readFileSync(join(dir, f), 'utf8'))) {
    const name = packageName(spec);
    seen.set(name, (seen.get(name) ?? 0) + 1);
    if (name === pkg.name) continue;
    if (spec.startsWith('node:') || builtinModules.includes(name)) {
      if (!NODE_OK.some((re) => re.test(rel))) problems.push(`${rel}: Node built-in "${spec}" outside the server entry`);
      continue;
    }
    if (FRAMEWORK.has(name) && FRAMEWORK.get(name).some((re) => re.test(rel))) {
      if (!peers.has(name) && !deps.has(name) && name !== 'vue')
        problems.push(`${rel}: "${spec}" is not a (peer) dependency`);
      continue;
    }
    if (!deps.has(name) && !peers.has(name)) {
      problems.push(`${rel}: "${spec}" is ${devDeps.has(name) ? 'a devDependency' : 'not a dependency'} — consumers do not have it`);
      continue;
    }
    if (!shipsTypes(name) && !deps.has(typesPackage(name)))
      problems.push(`${rel}: "${spec}" has no types of its own and ${typesPackage(name)} is not a dependency (TS7016 for consumers)`);
  }
}

const summary = [...seen].sort().map(([n, c]) => `${n} ×${c}`).join(', ');
if (problems.length) {
  console.error(`check-types-deps: ${problems.length} problem(s) in ${relative(root, dir)}:`);
  for (const p of problems) console.error(`  ✗ ${p}`);
  process.exit(1);
}
console.log(`check-types-deps: ${files.length} declaration files, packages named: ${summary || 'none'} — all installed for consumers, all typed`);
