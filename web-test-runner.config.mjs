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
import { finboardServer } from './scripts/wtr-finboard-server.mjs';

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

/** See its use in `plugins`: CommonJS files without dependencies of their own, as ES modules. */
function cjsWithoutRequire() {
  return {
    name: 'cjs-without-require',
    transform(context) {
      if (!context.path.includes('/node_modules/') || !/\.c?js$/.test(context.path)) return undefined;
      const body = context.body;
      if (typeof body !== 'string' || /^\s*(import|export)\s/m.test(body) || /\brequire\s*\(/.test(body)) return undefined;
      if (!/\b(module\.exports|exports\.\w+)\s*=/.test(body)) return undefined;
      const names = [...new Set([...body.matchAll(/^exports\.(\w+)\s*=/gm)].map((m) => m[1]))].filter((n) => n !== 'default');
      // The body runs in its own function scope: its top-level names never clash with the exports.
      const named = names.map((n) => `export const ${n} = module.exports.${n};\n`).join('');
      return {
        body: `const module = { exports: {} };\n(function (module, exports) {\n${body}\n}).call(module.exports, module, module.exports);\nexport default module.exports;\n${named}`,
      };
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
  // A real finboard/server handler at /__finboard (test/browser/remote-server.test.ts).
  middleware: [finboardServer()],
  plugins: [
    // tsconfig passed explicitly, or experimentalDecorators is ignored ("Unsupported decorator location").
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    // mining: ml-kmeans and ml-cart reach two CommonJS files (ml-matrix/matrix.js behind its ESM
    // wrapper, and fft.js) that the dev server does not convert, so the mining chunk failed to load
    // in the browser. Serve a CommonJS file of node_modules without require() as an ES module: its
    // `module.exports` as the default export, and its `exports.name =` assignments as named exports.
    cjsWithoutRequire(),
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
