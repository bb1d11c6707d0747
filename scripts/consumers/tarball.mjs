/**
 * What ships: `npm pack` into the work dir and the tarball's contract (budget, .d.ts but no .ts,
 * custom-elements.json paths, exports targets, sideEffects, docs), and the README / embedding
 * snippets that must be fixture code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, kB, MB, run, secs, tail } from './util.mjs';

/** Tarball budget (measured 2026-12-05: 1.27 MB packed, 5.19 MB unpacked, 367 files). */
export const BUDGET = { packed: 1.5e6, unpacked: 6e6 };

/**
 * `npm pack` of `root` into `work` as `tarball`. `reuse`: keep an existing tarball (no checks);
 * `noBuild`: pack the dist/ that is there. Resolves npm's file info, `{ reused: true }` or null.
 */
export async function pack({ root, work, tarball, reuse, noBuild }) {
  if (reuse && existsSync(tarball)) {
    console.log(`\n==> reusing ${tarball} (no tarball checks)`);
    return { reused: true };
  }
  console.log(
    `\n==> npm pack${noBuild ? ' --ignore-scripts (dist/ as built)' : ' (prepack builds)'} into ${work}`,
  );
  if (noBuild && !existsSync(join(root, 'dist', 'src', 'index.js'))) {
    check('dist/ built before --no-build', false, 'run npm run build first');
    return null;
  }
  const args = ['pack', '--json', '--pack-destination', work, ...(noBuild ? ['--ignore-scripts'] : [])];
  // `npm pack --json` lists every file (~600 now, > 64 kB): keep all of it to parse.
  const r = await run('npm', args, { cwd: root, max: 64_000_000 });
  const start = r.out.indexOf('[\n');
  let info = null;
  try {
    // The array closes at a line start; npm's notices (mixed into the output) may hold "[...]".
    info = JSON.parse(r.out.slice(start, r.out.indexOf('\n]', start) + 2))[0];
  } catch {
    /* reported below */
  }
  if (!check('npm pack', r.code === 0 && info, r.code === 0 ? '' : tail(r.out))) return null;
  spawnSync('mv', [join(work, info.filename), tarball]);
  console.log(
    `    ${info.filename}: ${MB(info.size)} packed, ${MB(info.unpackedSize)} unpacked, ${info.entryCount} files (${secs(r.ms)})`,
  );
  return info;
}

/** Minimal glob (`*`, `**`) → RegExp for package.json sideEffects entries. */
function globRe(glob) {
  const g = glob.replace(/^\.\//, '');
  const body = g
    .split('**/')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('(?:.*/)?');
  return new RegExp(`^${g.includes('/') ? '' : '(?:.*/)?'}${body}$`);
}

export function checkTarball(root, info) {
  console.log('\n==> tarball');
  const files = new Map(info.files.map((f) => [f.path, f.size]));
  const has = (p) => files.has(p.replace(/^\.\//, ''));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const mapBytes = info.files.filter((f) => f.path.endsWith('.map')).reduce((s, f) => s + f.size, 0);
  const workerBytes = files.get('dist/src/engine/worker-entry.js') ?? 0;
  const figs = {
    packed: info.size,
    unpacked: info.unpackedSize,
    files: info.entryCount,
    maps: mapBytes,
    worker: workerBytes,
  };
  check(
    `tarball within budget (≤ ${MB(BUDGET.packed)} packed, ≤ ${MB(BUDGET.unpacked)} unpacked)`,
    info.size <= BUDGET.packed && info.unpackedSize <= BUDGET.unpacked,
    `${MB(info.size)} packed, ${MB(info.unpackedSize)} unpacked, ${info.entryCount} files; source maps ${MB(mapBytes)}, worker ${kB(workerBytes)}`,
  );
  const ts = info.files
    .map((f) => f.path)
    .filter((p) => /\.(c|m)?tsx?$/.test(p) && !/\.d\.(c|m)?ts$/.test(p));
  check('no TypeScript sources but .d.ts', ts.length === 0, ts.slice(0, 5).join(', '));

  const cem = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  const cemPaths = new Set();
  const walk = (o) => {
    if (Array.isArray(o)) return o.forEach(walk);
    if (!o || typeof o !== 'object') return;
    if (typeof o.path === 'string') cemPaths.add(o.path);
    if (typeof o.module === 'string' && !o.package) cemPaths.add(o.module);
    Object.values(o).forEach(walk);
  };
  walk(cem);
  const missingCem = [...cemPaths].filter((p) => !has(p.replace(/^\//, '')));
  check(
    `custom-elements.json: all ${cemPaths.size} paths in the tarball`,
    has('custom-elements.json') && missingCem.length === 0,
    missingCem.slice(0, 5).join(', '),
  );

  const targets = [];
  const walkExports = (v) => {
    if (typeof v === 'string') targets.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walkExports);
  };
  walkExports(pkg.exports);
  for (const k of ['main', 'types', 'module']) if (typeof pkg[k] === 'string') targets.push(pkg[k]);
  const missingExports = targets.filter((t) => !has(t));
  check(
    `every exports/main/types target exists (${targets.length})`,
    missingExports.length === 0,
    missingExports.join(', '),
  );

  const se = Array.isArray(pkg.sideEffects) ? pkg.sideEffects.map(globRe) : [];
  const registering = Object.entries(pkg.exports)
    .filter(([k]) => k.startsWith('./components'))
    .map(([, v]) => (typeof v === 'string' ? v : (v.default ?? v.import)))
    .concat([pkg.exports['./worker']?.default].filter(Boolean));
  const uncovered = registering.filter((t) => !se.some((re) => re.test(t.replace(/^\.\//, ''))));
  check(
    `sideEffects covers every element entry and the worker (${registering.length})`,
    pkg.sideEffects !== false && uncovered.length === 0,
    uncovered.join(', '),
  );

  const docs = [
    'LICENSE',
    'README.md',
    'docs/embedding.md',
    'docs/dashboard-spec.md',
    'docs/metrics.md',
    'docs/data.md',
  ];
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const linked = [...readme.matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]);
  const embedding = readFileSync(join(root, 'docs', 'embedding.md'), 'utf8');
  linked.push(...[...embedding.matchAll(/\]\(([a-z-]+\.md)[)#]/g)].map((m) => `docs/${m[1]}`));
  const missingDocs = [...new Set([...docs, ...linked])].filter((p) => !has(p));
  check(
    'LICENSE, README and the docs README links to are in the tarball',
    missingDocs.length === 0,
    missingDocs.join(', '),
  );
  return figs;
}

export function checkReadmeSnippets(root, fixtures) {
  console.log('\n==> README and docs/embedding.md snippets in fixture apps');
  const re = /<!--\s*consumer:\s*([^\s]+)\s*-->\s*\n```[a-z]*\n([\s\S]*?)\n```/g;
  // Compared line by line without indentation or blank lines (a fixture may nest the snippet).
  const norm = (s) =>
    s
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join('\n');
  for (const doc of ['README.md', 'docs/embedding.md']) {
    const text = readFileSync(join(root, doc), 'utf8');
    let n = 0;
    for (const [, file, code] of text.matchAll(re)) {
      n++;
      const path = join(fixtures, file);
      const body = existsSync(path) ? readFileSync(path, 'utf8') : '';
      const found = norm(body).includes(norm(code));
      check(
        `${doc} snippet ${n} is part of test/consumers/${file}`,
        found,
        found ? '' : body ? 'not found verbatim' : 'file missing',
      );
    }
    check(`${doc} names its snippets' fixture apps`, n >= 4, `${n} snippets tagged`);
  }
}
