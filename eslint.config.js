// @ts-check
/**
 * ESLint flat config for Finboard.
 *
 * Not type-aware on purpose: the whole repo lints in a few seconds, so it can run on every `npm test`.
 * Layer rules (src/ is pure, no DOM, no Lit) and the security rules (no HTML sinks, no eval) live here;
 * scripts/check-sinks.mjs is a second, dumber net over the same sinks.
 */
import { defineConfig, globalIgnores } from 'eslint/config';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import litA11y from 'eslint-plugin-lit-a11y';
import globals from 'globals';

/**
 * `eslint:recommended` without `@eslint/js` (not a devDependency): @eslint/js's recommended set is
 * generated from exactly this flag on the built-in rules' metadata.
 */
const eslintRecommended = {
  name: 'finboard/eslint-recommended',
  rules: Object.fromEntries(
    [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']),
  ),
};

const LINTED = [
  'src/**/*.ts',
  'components/**/*.ts',
  'test/**/*.ts',
  'stories/**/*.ts',
  'demo/**/*.{ts,js}',
  'bench/**/*.{ts,mjs}',
  'scripts/**/*.mjs',
  // root tool configs (eslint.config.js, web-test-runner.config.mjs, vite.config.ts, …)
  '*.{js,mjs,ts}',
];

const NODE_FILES = ['scripts/**/*.mjs', 'bench/**/*.{ts,mjs}', '*.{js,mjs,ts}', 'test/unit/**/*.ts'];
const BROWSER_FILES = ['components/**/*.ts', 'stories/**/*.ts', 'demo/**/*.{ts,js}', 'test/browser/**/*.ts'];
const CORE = ['src/**/*.ts'];
const ELEMENTS = ['components/**/*.ts'];

// --- security: HTML sinks and string-to-code (src/ and components/) --------------------------------

const SINK_PROPERTIES = ['innerHTML', 'outerHTML', 'insertAdjacentHTML'].map((property) => ({
  property,
  message: `${property} is an HTML sink: build DOM with Lit templates or text nodes (DESIGN.md, Security).`,
}));

/** Selectors shared by src/ and components/ (no-restricted-syntax options replace, not merge, per glob). */
const SINK_SYNTAX = [
  {
    // d3's selection.html() parses its argument as HTML.
    selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='html']",
    message: 'd3 .html() is an HTML sink: use .text() (DESIGN.md, Security).',
  },
  {
    selector: 'ImportExpression[source.value=/^lit\\x2Fdirectives\\x2Funsafe-/]',
    message: 'unsafeHTML/unsafeSVG render strings as markup: data must go through text bindings.',
  },
];

const NO_UNSAFE_DIRECTIVES = [
  {
    regex: '^lit/directives/unsafe-(html|svg|mathml)(\\.js)?$',
    message: 'unsafeHTML/unsafeSVG render strings as markup: data must go through text bindings.',
  },
];

const LIT_IMPORT_REGEX = '^(lit|@lit|@lit-labs)($|\\x2F)'; // \x2F is '/': esquery regexes cannot contain one

export default defineConfig([
  globalIgnores([
    '**/dist/',
    '**/storybook-static/',
    '**/node_modules/',
    // Consumer fixture apps: each has its own tsconfig and is type-checked against the packed tarball.
    'test/consumers/',
    '**/coverage/',
    '**/.vite/',
    'bench/.out/',
    'bench/results.json',
    'custom-elements.json',
  ]),

  {
    name: 'finboard/base',
    files: LINTED,
    extends: [eslintRecommended, tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  { name: 'finboard/node-globals', files: NODE_FILES, languageOptions: { globals: { ...globals.node } } },
  {
    // Playwright drivers pass functions that run in the page (page.evaluate / waitForFunction).
    name: 'finboard/page-functions',
    files: ['scripts/test-stories.mjs', 'scripts/shot.mjs', 'bench/**/*.{ts,mjs}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    name: 'finboard/browser-globals',
    files: BROWSER_FILES,
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    name: 'finboard/mocha-globals',
    files: ['test/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.mocha } },
  },

  // --- src/ and components/: security + no console ------------------------------------------------
  {
    name: 'finboard/no-sinks',
    files: [...CORE, ...ELEMENTS],
    rules: {
      'no-console': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-properties': ['error', ...SINK_PROPERTIES],
      'no-restricted-syntax': ['error', ...SINK_SYNTAX],
      'no-restricted-imports': ['error', { patterns: NO_UNSAFE_DIRECTIVES }],
    },
  },

  // --- src/: the headless core never imports Lit nor touches the DOM -------------------------------
  {
    name: 'finboard/core-is-headless',
    files: CORE,
    // Only what every runtime has: src/ runs in node, a page and a worker (self/postMessage are fine).
    languageOptions: { globals: { ...globals['shared-node-browser'], ...globals.worker } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...NO_UNSAFE_DIRECTIVES,
            { regex: LIT_IMPORT_REGEX, message: 'src/ is framework-free: Lit belongs in components/.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...SINK_SYNTAX,
        {
          selector: `ImportExpression[source.value=/${LIT_IMPORT_REGEX}/]`,
          message: 'src/ is framework-free: Lit belongs in components/.',
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['document', 'window', 'HTMLElement', 'customElements', 'localStorage', 'sessionStorage'].map(
          (name) => ({
            name,
            message: `src/ must not touch the DOM (${name}): it runs in node and workers; do it in components/.`,
          }),
        ),
      ],
    },
  },

  // --- components/: Lit, web-component and template-accessibility rules ---------------------------
  {
    name: 'finboard/elements',
    files: ELEMENTS,
    extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended'], litA11y.configs.recommended],
    // eslint-plugin-wc only recognises direct subclasses of HTMLElement and LitElement: list the shared
    // bases from components/base so elements extending them are checked too.
    settings: { wc: { elementBaseClasses: ['FinElement', 'VegaElement'] } },
  },
]);
