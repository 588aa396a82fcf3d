#!/usr/bin/env node
// `npm test [suite...]`: runs the suites in order unit → reliability → adapter → grammar → lint → host → e2e (or only those named),
// each as one mocha run with the totals reporter, then prints per-suite counts and, as the last line,
// `N passed, M failed` over all suites. Exits non-zero if anything failed.
//   unit     test/unit/**/*.test.ts      the core, plain mocha
//   reliability test/reliability/**/*.test.ts  hostile queries, lakes and callers (engine, server, CLI)
//   adapter  test/adapter/**/*.test.ts   extension code against the fake `vscode` (test/adapter/support)
//   grammar  test/grammar/**/*.test.ts   TextMate grammar assertions (vscode-tmgrammar-test)
//   lint     test/lint/**/*.test.ts      ESLint over the project and the fence probes
//   host     test/host/suite/*.test.ts   in the real extension host of code-server (scripts/host-tests.js)
//   e2e      test/e2e/**/*.e2e.ts        the packaged .vsix in code-server, driven in Chromium
// Extra mocha flags after `--` are passed through, e.g. `npm run test:e2e -- --grep skeleton`.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { TOTALS, readTotals, recordSuite } = require('./lib/totals-reporter');

const ROOT = path.resolve(__dirname, '..');
const REPORTER = path.join(__dirname, 'lib', 'totals-reporter.js');

const SUITES = {
  unit: { spec: 'test/unit/**/*.test.ts', before: prepareBuild },
  // Built bundles too: the MCP server under a killer query is the real dist/mcp-server.js with its workers.
  reliability: { spec: 'test/reliability/**/*.test.ts', before: prepareBuild, timeout: 120000 },
  adapter: { spec: 'test/adapter/**/*.test.ts', require: ['test/adapter/support/register.ts'], before: prepareBuild },
  grammar: { spec: 'test/grammar/**/*.test.ts' },
  // ESLint over the project (the layer fences) and probes that each fence still bites.
  lint: { spec: 'test/lint/**/*.test.ts', timeout: 180000 },
  // Mocha inside code-server's extension host with the real vscode API (the same files test:electron runs).
  host: { spec: 'test/host/suite/**/*.test.ts', script: 'scripts/host-tests.js', before: prepareE2e },
  e2e: { spec: 'test/e2e/**/*.e2e.ts', timeout: 180000, before: prepareE2e },
};

// Some unit and adapter tests drive the built MCP server and CLI over the demo lake: build them first
// (once per run) so those tests run on a clean clone instead of skipping.
let built = false;
function prepareBuild() {
  if (built) return;
  const run = (args) => {
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
  };
  run(['esbuild.js']);
  const lake = path.join(ROOT, 'sample', 'lake');
  if (!fs.existsSync(path.join(lake, 'lake.json'))) run(['dist/cli.js', 'lake', 'generate', '--out', lake]);
  built = true;
}

let logsCleared = false;
function prepareE2e() {
  const cs = require('./lib/codeServer');
  // Logs of failed tests are copied here per run (once: host and e2e share it); screenshots are overwritten by name.
  if (!logsCleared) fs.rmSync(path.join(ROOT, 'test-results', 'logs'), { recursive: true, force: true });
  logsCleared = true;
  cs.ensureCodeServer();
  cs.packageVsix({ log: (m) => console.log(m) });
}

// Files matching DIR + '/**/*' + SUFFIX, the only glob shape the suites use.
function findFiles(spec) {
  const [dir, pattern] = spec.split('/**/');
  const suffix = pattern.replace(/^\*/, '');
  const walk = (d) => {
    let entries = [];
    try {
      entries = fs.readdirSync(path.join(ROOT, d), { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.flatMap((e) =>
      e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(suffix) ? [path.join(d, e.name)] : [],
    );
  };
  return walk(dir);
}

function runSuite(name, extra) {
  const suite = SUITES[name];
  console.log(`\n=== ${name} ===`);
  if (findFiles(suite.spec).length === 0) {
    console.log(`(no test files match ${suite.spec})`);
    recordSuite(name, { passed: 0, failed: 0, pending: 0, failures: [] });
    return;
  }
  try {
    if (suite.before) suite.before();
  } catch (e) {
    console.error(`${name}: setup failed: ${e.message || e}`);
    recordSuite(name, {
      passed: 0,
      failed: 1,
      pending: 0,
      failures: [{ title: `${name} setup`, message: String(e.message || e) }],
    });
    return;
  }
  const args = suite.script
    ? [path.join(ROOT, suite.script), ...extra]
    : [
        require.resolve('mocha/bin/mocha.js', { paths: [ROOT] }),
        '--require',
        'tsx/cjs',
        ...(suite.require || []).flatMap((r) => ['--require', r]),
        '--reporter',
        REPORTER,
        '--reporter-option',
        `suite=${name}`,
        ...(suite.timeout ? ['--timeout', String(suite.timeout)] : []),
        suite.spec,
        ...extra,
      ];
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, SWB_TEST_SUITE: name },
  });
  countSkipsAsFailures(name);
  const recorded = readTotals().suites[name];
  if (!recorded || (r.status !== 0 && recorded.failed === 0)) {
    // mocha died before or without reporting (e.g. a test file that does not compile): count it.
    const prev = recorded || { passed: 0, failed: 0, pending: 0, failures: [] };
    recordSuite(name, {
      ...prev,
      failed: prev.failed + 1,
      failures: [...prev.failures, { title: `${name}: mocha exited with ${r.status ?? r.signal}` }],
    });
  }
}

// A skipped test is a check that did not run: it fails the run instead of passing quietly. The one allowed
// skip is a test of the optional corpora beside the checkout (`../shared/...`, named in its title), which a
// machine without them cannot run.
const OPTIONAL_CORPUS = /\.\.\/shared\//;
function countSkipsAsFailures(name) {
  const s = readTotals().suites[name];
  if (!s || !s.pendingTitles) return;
  const counted = s.pendingTitles.filter((t) => !OPTIONAL_CORPUS.test(t));
  if (!counted.length) return;
  recordSuite(name, {
    ...s,
    failed: s.failed + counted.length,
    failures: [...s.failures, ...counted.map((t) => ({ title: `${t} (skipped: counted as failed)` }))],
  });
}

function main() {
  const argv = process.argv.slice(2);
  // Suite names come first; everything from the first flag (or after `--`) goes to mocha. npm swallows
  // the `--` of `npm run test:e2e -- --grep x`, so a leading flag also starts the mocha arguments.
  const dash = argv.indexOf('--');
  const firstFlag = argv.findIndex((a) => a.startsWith('-'));
  const cut = dash >= 0 ? dash : firstFlag >= 0 ? firstFlag : argv.length;
  const names = argv.slice(0, cut).filter(Boolean);
  const extra = argv.slice(dash >= 0 ? dash + 1 : cut);
  const unknown = names.filter((n) => !SUITES[n]);
  if (unknown.length) {
    console.error(`unknown suite(s): ${unknown.join(', ')} (known: ${Object.keys(SUITES).join(', ')})`);
    process.exit(2);
  }
  const selected = names.length ? Object.keys(SUITES).filter((n) => names.includes(n)) : Object.keys(SUITES);

  fs.mkdirSync(path.dirname(TOTALS), { recursive: true });
  fs.writeFileSync(TOTALS, JSON.stringify({ suites: {} }, null, 2) + '\n');
  for (const name of selected) runSuite(name, extra);

  const { suites } = readTotals();
  let passed = 0;
  let failed = 0;
  let pending = 0;
  console.log('\n=== totals ===');
  for (const name of selected) {
    const s = suites[name] || { passed: 0, failed: 1, pending: 0, failures: [] };
    passed += s.passed;
    failed += s.failed;
    pending += s.pending || 0;
    console.log(
      `${name.padEnd(11)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(4)} failed ${String(s.pending || 0).padStart(3)} pending`,
    );
    for (const f of s.failures || []) console.log(`           ✗ ${f.title}${f.file ? ` (${f.file})` : ''}`);
    for (const t of s.pendingTitles || []) console.log(`           - ${t} (skipped)`);
  }
  if (pending > 0)
    console.log(
      `${pending} test(s) skipped (only tests of the optional ../shared corpora may skip; any other skip is counted as failed)`,
    );
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
