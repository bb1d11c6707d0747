#!/usr/bin/env node
/**
 * `npm test`: every check the project has, in order, with one closing count.
 *
 *   node scripts/test.mjs [--only static|unit|browser[,…]]
 *
 * Runners: typecheck (tsc), lint (eslint), sinks (scripts/check-sinks.mjs), manifest (scripts/check-manifest.mjs) — the "static" group, each
 * counting as one test — then unit (vitest, node) and browser (web-test-runner, Chromium; Chromium and
 * a CJK font are installed first when missing, see scripts/ensure-chromium.mjs). All runners run even
 * after a failure, each streaming its own output live; children get TZ=Asia/Shanghai.
 *
 * Counting: vitest and wtr report their tests through JSON files (vitest's json reporter, and the
 * results reporter in web-test-runner.config.mjs). A test file that fails to load counts as one failed
 * test, and a runner that exits non-zero without any failed test, or writes no results, counts one
 * failure, so nothing that breaks can add up to "0 failed". The last line of output is exactly
 * `N passed, N failed` (skipped tests are in neither). Exit code 1 when N failed > 0.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium } from './ensure-chromium.mjs';

const GROUPS = ['static', 'unit', 'browser', 'stories'];
const bin = (name) => join('node_modules', '.bin', name);
const env = { ...process.env, TZ: 'Asia/Shanghai' };
const tmp = mkdtempSync(join(tmpdir(), 'finboard-test-'));

/** @param {string[]} argv */
function parseOnly(argv) {
  const picked = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') picked.push(...(argv[++i] ?? '').split(','));
    else if (arg.startsWith('--only=')) picked.push(...arg.slice('--only='.length).split(','));
    else if (arg === '-h' || arg === '--help') {
      console.log(`usage: node scripts/test.mjs [--only ${GROUPS.join('|')}[,…]]`);
      process.exit(0);
    } else {
      console.error(`test.mjs: unknown argument ${arg}`);
      process.exit(2);
    }
  }
  for (const g of picked) {
    if (!GROUPS.includes(g)) {
      console.error(`test.mjs: --only expects ${GROUPS.join('|')}, got "${g}"`);
      process.exit(2);
    }
  }
  return picked.length ? new Set(picked) : new Set(GROUPS);
}

/** Run a command with inherited stdio (live, colours kept); resolves to its exit code. */
function run(cmd, args, extraEnv = {}) {
  const line = `$ ${[cmd, ...args].join(' ')}`;
  console.log(process.stdout.isTTY ? `\n\x1b[1m${line}\x1b[0m` : `\n${line}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
    child.on('error', (error) => {
      console.error(`test.mjs: could not start ${cmd}: ${error.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The first line of an error message, cut to fit a summary line. */
const firstLine = (text) => String(text ?? '').split('\n')[0].slice(0, 300);

/** Exit code only: one check, one test. */
const single = (cmd, args) => async () => {
  const code = await run(cmd, args);
  return { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, code };
};

async function unit() {
  const out = join(tmp, 'vitest.json');
  const code = await run(bin('vitest'), [
    'run',
    '--passWithNoTests',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  const report = readJson(out);
  if (!report) return { passed: 0, failed: 0, skipped: 0, code, note: 'no JSON report' };
  // Files that failed without a failing test (import/syntax error, error in a hook) count once each.
  let brokenFiles = 0;
  const failures = [];
  for (const f of report.testResults ?? []) {
    const file = String(f.name ?? '').replace(process.cwd() + '/', '');
    const failed = (f.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed) failures.push(`${file} › ${t.fullName ?? t.title}: ${firstLine(t.failureMessages?.[0])}`);
    if (f.status === 'failed' && !failed.length) {
      brokenFiles++;
      failures.push(`${file}: the file failed outside any test: ${firstLine(f.message)}`);
    }
  }
  return {
    failures,
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    code,
  };
}

async function browser() {
  try {
    const chrome = ensureChromium();
    console.log(`\nChromium: ${chrome}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return { passed: 0, failed: 1, skipped: 0, code: 1, note: 'no Chromium' };
  }
  const out = join(tmp, 'wtr.json');
  const code = await run(bin('web-test-runner'), [], { FINBOARD_WTR_RESULTS: out });
  const report = existsSync(out) ? readJson(out) : undefined;
  if (!report) return { passed: 0, failed: 0, skipped: 0, code, note: 'no JSON report' };
  return { passed: report.passed, failed: report.failed, skipped: report.skipped, failures: report.failures, code };
}

async function stories() {
  try {
    ensureChromium();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return { passed: 0, failed: 1, skipped: 0, code: 1, note: 'no Chromium' };
  }
  const built = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build-storybook']);
  if (built !== 0) return { passed: 0, failed: 1, skipped: 0, code: built, note: 'storybook build failed' };
  const out = join(tmp, 'stories.json');
  const code = await run(process.execPath, ['scripts/test-stories.mjs', '--json', out]);
  const report = existsSync(out) ? readJson(out) : undefined;
  if (!report) return { passed: 0, failed: 0, skipped: 0, code, note: 'no JSON report' };
  return { passed: report.passed, failed: report.failed, skipped: report.skipped, failures: report.failures, code };
}

const RUNNERS = [
  { name: 'typecheck', group: 'static', fn: single(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) },
  { name: 'lint', group: 'static', fn: single(bin('eslint'), ['.']) },
  { name: 'sinks', group: 'static', fn: single(process.execPath, ['scripts/check-sinks.mjs']) },
  { name: 'manifest', group: 'static', fn: single(process.execPath, ['scripts/check-manifest.mjs']) },
  { name: 'unit', group: 'unit', fn: unit },
  { name: 'browser', group: 'browser', fn: browser },
  { name: 'stories', group: 'stories', fn: stories },
];

const only = parseOnly(process.argv.slice(2));
const rows = [];
try {
  for (const runner of RUNNERS.filter((r) => only.has(r.group))) {
    const start = performance.now();
    const result = await runner.fn();
    // A runner that failed but reported no failed test still failed once.
    if (result.code !== 0 && result.failed === 0) {
      result.failed = 1;
      result.note ??= `exit code ${result.code}`;
    }
    rows.push({ name: runner.name, ...result, seconds: (performance.now() - start) / 1000 });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const total = rows.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed }), {
  passed: 0,
  failed: 0,
});
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(
  `\n${pad('runner', 10)}${lpad('passed', 8)}${lpad('failed', 8)}${lpad('skipped', 9)}${lpad('time', 9)}`,
);
for (const r of rows) {
  const mark = r.failed ? '✗' : '✓';
  console.log(
    `${pad(r.name, 10)}${lpad(r.passed, 8)}${lpad(r.failed, 8)}${lpad(r.skipped, 9)}` +
      `${lpad(r.seconds.toFixed(1) + 's', 9)}  ${mark}${r.note ? ` (${r.note})` : ''}`,
  );
}
// Name what failed just above the closing count, so a log's last lines say which test it was.
const failures = rows.flatMap((r) => (r.failures ?? []).map((f) => `${r.name}: ${f}`));
if (failures.length) {
  console.log('\nfailed:');
  for (const f of failures.slice(0, 40)) console.log(`  ✗ ${f}`);
  if (failures.length > 40) console.log(`  … and ${failures.length - 40} more`);
}
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exitCode = total.failed > 0 ? 1 : 0;
