// Builds the in-host test suite (test/host) into out/host-tests/: the runner, the suite files and a
// config.json the runner reads. Shared by scripts/host-tests.js (code-server) and scripts/test-electron.js.
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'out', 'host-tests');
const SOURCES = path.join(ROOT, 'test', 'host');

async function buildHostSuite({ resultsFile, grep } = {}) {
  fs.rmSync(OUT, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
    external: ['vscode', 'mocha'],
  };
  const suites = fs.readdirSync(path.join(SOURCES, 'suite')).filter((f) => f.endsWith('.test.ts'));
  await esbuild.build({
    ...common,
    entryPoints: [path.join(SOURCES, 'runner.ts')],
    outfile: path.join(OUT, 'runner.js'),
  });
  await esbuild.build({
    ...common,
    entryPoints: suites.map((f) => path.join(SOURCES, 'suite', f)),
    outdir: path.join(OUT, 'suite'),
  });
  const config = {
    mocha: require.resolve('mocha', { paths: [ROOT] }),
    resultsFile: resultsFile || '',
    timeoutMs: 120000,
    grep: grep || '',
  };
  fs.writeFileSync(path.join(OUT, 'config.json'), JSON.stringify(config, null, 2));
  return { dir: OUT, runner: path.join(OUT, 'runner.js'), suites: suites.length };
}

/** The manifest that makes out/host-tests a small extension whose activation runs the suite (code-server). */
function writeCompanionManifest() {
  const manifest = {
    name: 'sentinel-workbench-host-tests',
    displayName: 'Sentinel Workbench in-host tests',
    description: 'Runs the in-host test suite of Sentinel Workbench inside the extension host (tests only).',
    publisher: 'sentinel-workbench',
    version: '0.0.1',
    license: 'MIT',
    private: true,
    engines: { vscode: '^1.100.0' },
    main: './runner.js',
    activationEvents: ['onStartupFinished'],
    extensionDependencies: ['sentinel-workbench.sentinel-workbench'],
  };
  fs.writeFileSync(path.join(OUT, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(
    path.join(OUT, 'README.md'),
    '# In-host tests\n\nTest runner for Sentinel Workbench; not for use.\n',
  );
}

module.exports = { OUT, buildHostSuite, writeCompanionManifest };
