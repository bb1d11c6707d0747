/**
 * web-test-runner: element tests in a real Chromium (see /work/shared/SETUP.md for why these flags).
 *
 *   npx web-test-runner                  # all browser tests (default group + csp group)
 *   npx web-test-runner --group csp      # only the pages served under a Content-Security-Policy
 *   npx web-test-runner --group csp-trusted-types   # *.strict.test.ts under style-src 'self' + Trusted Types
 *   npx web-test-runner --group csp-trusted-types-exact   # *.tt.ts under `trusted-types lit-html` exactly
 *   npx web-test-runner --group reliability-gc      # lifecycle / heap tests (Chromium with gc())
 *   npx web-test-runner --group soak     # 1,000-cycle soak (npm run test:soak; never in the default run)
 *
 * Chromium is looked up (not installed) here; `npm test` runs scripts/ensure-chromium.mjs first.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { findChromium } from './scripts/ensure-chromium.mjs';

const CSP_DIR = 'test/browser/csp';
/** Lifecycle tests that measure the heap: their own Chromium, started with gc() exposed. */
const GC_DIR = 'test/browser/reliability/gc';
/** Soak tests (1,000 cycles): only with `--group soak` (npm run test:soak), never in the default run. */
const SOAK_DIR = 'test/browser/reliability/soak';
const SOAK = process.argv.includes('soak') || process.env.FINBOARD_SOAK === '1';

/** The policy DESIGN.md promises elements work under (no 'unsafe-eval'); inline only for the runner. */
const CSP = "script-src 'self' 'unsafe-inline'; object-src 'none'";
/** The strict variants: no inline styles, and Trusted Types enforced for every script sink. */
const CSP_STRICT_STYLE = `${CSP}; style-src 'self'`;
/**
 * Trusted Types with the policy allowlist of docs/embedding.md: Finboard's only policy is Lit's
 * `lit-html`; `finboard-host` is the test page's own policy for its worker script URL (a host's own
 * policies are its business). The exact variant names nothing but `lit-html`.
 */
const TT_DIRECTIVE = "require-trusted-types-for 'script'; trusted-types lit-html";
const CSP_TRUSTED_TYPES = `${CSP}; style-src 'self'; ${TT_DIRECTIVE} finboard-host`;
const CSP_TRUSTED_TYPES_EXACT = `${CSP}; style-src 'self'; ${TT_DIRECTIVE}`;

/**
 * CommonJS files the mining metrics reach in the browser (ml-kmeans → ml-spectra-processing →
 * fft.js, `module.exports = FFT`, …): the dev server serves node_modules as they are, so importing
 * their default export fails. A module under node_modules with `module.exports` / `exports.x =`
 * and no import or export statement is served wrapped as an ES module whose default export is
 * `module.exports` (what bundlers do).
 */
function cjsShim() {
  return {
    name: 'finboard-cjs-shim',
    transform(context) {
      if (!context.path.includes('/node_modules/') || !/\.c?js$/.test(context.path)) return undefined;
      const body = typeof context.body === 'string' ? context.body : '';
      if (!/\bmodule\.exports\b|\bexports\.\w+\s*=/.test(body) || /^\s*(import|export)\b/m.test(body)) return undefined;
      return { body: `const module = { exports: {} }; const exports = module.exports;\n${body}\nexport default module.exports;\n` };
    },
  };
}

/** wtr refuses to start when a group matches no file, so the csp group exists only once it has tests. */
function hasTests(dir, suffix = '.test.ts') {
  try {
    return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith(suffix));
  } catch {
    return false;
  }
}

/**
 * When FINBOARD_WTR_RESULTS names a file, write `{ passed, failed, skipped, failures }` there at the end of the
 * run (scripts/test.mjs reads it). A test file that fails to load or errors outside a test counts as
 * one failed test, so a broken file can never look like a passing run.
 */
function resultsFileReporter(file) {
  return {
    stop({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
      const firstLine = (text) =>
        String(text ?? '')
          .split('\n')[0]
          .slice(0, 300);
      const walk = (suite, where, path) => {
        for (const t of suite?.tests ?? []) {
          if (t.skipped) counts.skipped++;
          else if (t.passed) counts.passed++;
          else {
            counts.failed++;
            counts.failures.push(
              `${where} › ${[...path, t.name].join(' › ')}: ${firstLine(t.error?.message)}`,
            );
          }
        }
        for (const s of suite?.suites ?? []) walk(s, where, [...path, s.name]);
      };
      for (const session of sessions) {
        const before = counts.failed;
        const where = `${session.group?.name ?? 'default'}:${session.testFile.replace(process.cwd() + '/', '')}`;
        walk(session.testResults, where, []);
        if (session.passed === false && counts.failed === before) {
          counts.failed++;
          const errors = (session.errors ?? []).map((e) => firstLine(e.message)).join('; ');
          counts.failures.push(`${where}: the file failed outside any test${errors ? `: ${errors}` : ''}`);
        }
      }
      writeFileSync(file, JSON.stringify(counts));
    },
  };
}

const resultsFile = process.env.FINBOARD_WTR_RESULTS;

/** A test page carrying a CSP meta tag. */
const cspPage = (policy) => (testFramework) =>
  `<!DOCTYPE html><html lang="zh-CN"><head>` +
  `<meta http-equiv="Content-Security-Policy" content="${policy}">` +
  `</head><body><script type="module" src="${testFramework}"></script></body></html>`;

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Chromium with gc() exposed and exact performance.memory, for heap-growth tests. */
const gcBrowser = () =>
  chromeLauncher({
    launchOptions: {
      executablePath: findChromium() ?? '/usr/bin/chromium',
      args: [...LAUNCH_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
    },
  });

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  rootDir: '.',
  files: ['test/browser/**/*.test.ts', `!${CSP_DIR}/**`, `!${GC_DIR}/**`, `!${SOAK_DIR}/**`],
  nodeResolve: { browser: true, exportConditions: ['browser', 'production'] },
  plugins: [
    // tsconfig passed explicitly, or experimentalDecorators is ignored ("Unsupported decorator location").
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    cjsShim(),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: findChromium() ?? '/usr/bin/chromium',
        args: LAUNCH_ARGS,
      },
    }),
  ],
  concurrentBrowsers: 1,
  concurrency: 1, // one page at a time: background pages throttle ResizeObserver and rAF, which size-dependent tests need
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: SOAK ? 3_600_000 : 900_000, // the whole browser suite on a loaded 2-core machine
  testFramework: { config: { timeout: 20_000 } },
  // Printed once per test file by Lit's dev build; real warnings from Lit still come through.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  reporters: [defaultReporter(), ...(resultsFile ? [resultsFileReporter(resultsFile)] : [])],
  groups: [
    ...(hasTests(CSP_DIR)
      ? [
          // every file under test/browser/csp runs under the runner policy
          { name: 'csp', files: `${CSP_DIR}/**/*.test.ts`, testRunnerHtml: cspPage(CSP) },
        ]
      : []),
    // the strict variants (style-src 'self'; + Trusted Types) run *.strict.test.ts again under theirs
    ...(hasTests(CSP_DIR, '.strict.test.ts')
      ? [
          {
            name: 'csp-style',
            files: `${CSP_DIR}/**/*.strict.test.ts`,
            testRunnerHtml: cspPage(CSP_STRICT_STYLE),
          },
          {
            name: 'csp-trusted-types',
            files: `${CSP_DIR}/**/*.strict.test.ts`,
            testRunnerHtml: cspPage(CSP_TRUSTED_TYPES),
          },
          // the exact directive hosts are told to use (docs/embedding.md), nothing else allowed
          {
            name: 'csp-trusted-types-exact',
            files: `${CSP_DIR}/**/*.tt.ts`,
            testRunnerHtml: cspPage(CSP_TRUSTED_TYPES_EXACT),
          },
        ]
      : []),
    ...(hasTests(GC_DIR)
      ? [{ name: 'reliability-gc', files: `${GC_DIR}/**/*.test.ts`, browsers: [gcBrowser()] }]
      : []),
    ...(SOAK && hasTests(SOAK_DIR)
      ? [{ name: 'soak', files: `${SOAK_DIR}/**/*.test.ts`, browsers: [gcBrowser()] }]
      : []),
  ],
};
