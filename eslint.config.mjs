// Lint: typescript-eslint's recommended rules plus the fences between layers (DESIGN.md "Layers").
// The fences are the point: the core is shared by the CLI, the MCP server and the extension, so it must
// never reach for `vscode` or the extension layer — not by `import`, `import()`, `require()` or a type
// import (`typeof import('vscode')`). Webviews run in a browser: no `vscode`, no Node built-ins, no
// extension code, and from the core only modules that are pure data/logic.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import eslintComments from '@eslint-community/eslint-plugin-eslint-comments/configs';

/** no-restricted-syntax selectors that catch a module name in every import form ESLint can see. */
function banModuleSyntax(pattern, message) {
  return [
    { selector: `ImportExpression[source.value=${pattern}]`, message },
    { selector: `TSImportType[argument.literal.value=${pattern}]`, message },
    { selector: `TSImportType[source.value=${pattern}]`, message },
    { selector: `CallExpression[callee.name='require'][arguments.0.value=${pattern}]`, message },
    { selector: `TSExternalModuleReference[expression.value=${pattern}]`, message },
  ];
}

const NO_VSCODE = 'The core and the webviews never import vscode: go through an adapter in src/extension.';
const NO_EXTENSION = 'This layer never imports src/extension: the extension depends on it, not the other way.';
const NO_NODE = 'Webviews run in a browser: no Node built-ins.';

const coreFence = [
  ...banModuleSyntax("'vscode'", NO_VSCODE),
  ...banModuleSyntax('/(^|\\/)extension(\\/|$)/', NO_EXTENSION),
];

const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'net',
  'http',
  'https',
  'url',
  'stream',
  'zlib',
  'readline',
  'util',
  'events',
];

const webviewFence = [
  ...coreFence,
  ...banModuleSyntax('/^node:/', NO_NODE),
  ...banModuleSyntax(`/^(${NODE_BUILTINS.join('|')})$/`, NO_NODE),
];

// Core modules that need Node (files, processes, the Kusto library): a webview may not import them.
const NODE_ONLY_CORE = [
  'kql',
  'lake',
  'mcp',
  'backends/*',
  'analyzer/localAnalyzer*',
  'analyzer/store*',
  'migration/ruleFiles',
  'migration/ruleSources',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'test-results/**', 'sample/**', '**/*.d.ts', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // A disable comment names its rule and says why after `--`; one that no longer disables anything is an error.
  eslintComments.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
      // A whole-file disable sits above the first import, where a reader sees it first.
      '@eslint-community/eslint-comments/disable-enable-pair': ['error', { allowWholeFile: true }],
    },
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { 'import-x': importX },
    languageOptions: { parserOptions: { tsconfigRootDir: import.meta.dirname } },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } }, 'import-x/extensions': ['.ts', '.js'] },
    rules: {
      // Unused arguments are part of interface shapes (handlers, callbacks); `_` marks the intentional ones.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Empty catch blocks are used where a best-effort step may fail (cleanup, optional probes).
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Lazy `require()` is how heavy modules stay out of start-up (esbuild bundles them like imports).
      '@typescript-eslint/no-require-imports': 'off',
      // Flags the defensive resets of the hand-written scanners (lake/load.ts); clarity wins there.
      'no-useless-assignment': 'off',
      // Messages here quote the cause's text on purpose (one clear line for the user); the chain adds nothing.
      'preserve-caught-error': 'off',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: NO_VSCODE }],
          patterns: [{ regex: '(^|/)extension(/|$)', message: NO_EXTENSION }],
        },
      ],
      'no-restricted-syntax': ['error', ...coreFence],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: NO_VSCODE }, ...NODE_BUILTINS.map((name) => ({ name, message: NO_NODE }))],
          patterns: [
            { regex: '(^|/)extension(/|$)', message: NO_EXTENSION },
            { regex: '^node:', message: NO_NODE },
            {
              group: [...NODE_ONLY_CORE.map((m) => `**/core/${m}`), '!**/core/backends/limits'],
              message: 'This core module needs Node; webviews may import only pure core modules.',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...webviewFence],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Child processes run outside the extension host: no vscode.' }],
          patterns: [
            {
              regex: '(^|/)(extension|cli)(/|$)',
              message: 'Servers build on src/core, never on the extension or the CLI.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests poke at loosely typed protocol payloads; conversion tables keep the published digits.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-loss-of-precision': 'off' },
  },
  {
    files: ['src/core/kql/functions/units.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },
  {
    // bench/grid.js runs part of its code inside the page (page.evaluate).
    files: ['bench/grid.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', requestAnimationFrame: 'readonly' } },
  },
  {
    files: ['scripts/**/*.js', 'bench/**/*.js', 'esbuild.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        setImmediate: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        structuredClone: 'readonly',
        AbortController: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
