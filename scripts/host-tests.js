#!/usr/bin/env node
// The in-host suite (test/host) inside code-server, as `npm test` runs it: the packaged extension and a
// companion extension holding the suite are installed into a fresh code-server, Chromium opens the
// workbench (the extension host starts when a window connects), the companion's activation runs mocha in
// the extension host and writes the results, which are recorded as the `host` suite of the totals.
// Usage: node scripts/host-tests.js [--grep TEXT]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const cs = require('./lib/codeServer');
const { buildHostSuite, writeCompanionManifest, OUT } = require('./lib/hostSuite');
const { recordSuite } = require('./lib/totals-reporter');

const ROOT = cs.ROOT;
const RESULTS_WAIT_MS = 8 * 60 * 1000;

function packageCompanion(tmp) {
  writeCompanionManifest();
  const vsix = path.join(tmp, 'host-tests.vsix');
  const vsce = require.resolve('@vscode/vsce/vsce', { paths: [ROOT] });
  const r = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', vsix],
    { cwd: OUT, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`packaging the in-host test extension failed:\n${r.stdout}${r.stderr}`);
  return vsix;
}

async function main() {
  const grepAt = process.argv.indexOf('--grep');
  const grep = grepAt > 0 ? process.argv[grepAt + 1] : '';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-host-'));
  const resultsFile = path.join(tmp, 'results.json');
  let server;
  let browser;
  try {
    const bin = cs.ensureCodeServer();
    const vsix = cs.packageVsix({ log: (m) => console.log(m) });
    const { suites } = await buildHostSuite({ resultsFile, grep });
    const companion = packageCompanion(tmp);
    const extensionsDir = path.join(tmp, 'extensions');
    const installData = path.join(tmp, 'install-user-data');
    cs.installExtension({ bin, vsix, userDataDir: installData, extensionsDir });
    cs.installExtension({ bin, vsix: companion, userDataDir: installData, extensionsDir });
    const workspace = path.join(tmp, 'sample');
    fs.cpSync(path.join(ROOT, 'sample'), workspace, { recursive: true });
    const userDataDir = path.join(tmp, 'user-data');
    cs.writeUserSettings(userDataDir, { 'sentinelWorkbench.lakePath': path.join(workspace, 'lake') });
    console.log(`host: ${suites} suite file(s) in code-server ${cs.CODE_SERVER_VERSION}`);
    server = await cs.startCodeServer({
      bin,
      userDataDir,
      extensionsDir,
      folder: workspace,
      logFile: path.join(tmp, 'code-server.log'),
    });
    const { chromium } = require('playwright-core');
    browser = await chromium.launch({ executablePath: cs.CHROMIUM, args: cs.CHROMIUM_ARGS });
    const page = await browser.newPage();
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    const deadline = Date.now() + RESULTS_WAIT_MS;
    while (!fs.existsSync(resultsFile)) {
      if (Date.now() > deadline)
        throw new Error(`no in-host results within ${RESULTS_WAIT_MS / 60000} min (logs in ${tmp})`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    for (const line of results.log) console.log(`  ${line}`);
    for (const f of results.failures)
      console.log(
        `\n  ✗ ${f.title}\n    ${String(f.message || '')
          .split('\n')
          .join('\n    ')}`,
      );
    console.log(
      `\n  ${results.passed} passing, ${results.failed} failing, ${results.pending} pending (in the extension host)`,
    );
    recordSuite('host', {
      passed: results.passed,
      failed: results.failed,
      pending: results.pending,
      failures: results.failures.map((f) => ({ title: f.title, message: f.message })),
      pendingTitles: results.pendingTitles,
    });
    return results.failed > 0 ? 1 : 0;
  } catch (e) {
    console.error(`host: ${e.message || e}`);
    const logs = path.join(ROOT, 'test-results', 'logs', 'host');
    fs.mkdirSync(logs, { recursive: true });
    for (const f of ['code-server.log'])
      if (fs.existsSync(path.join(tmp, f))) fs.copyFileSync(path.join(tmp, f), path.join(logs, f));
    const exthost = path.join(tmp, 'user-data', 'logs');
    if (fs.existsSync(exthost)) fs.cpSync(exthost, logs, { recursive: true });
    recordSuite('host', {
      passed: 0,
      failed: 1,
      pending: 0,
      failures: [{ title: 'host suite', message: String(e.message || e) }],
      pendingTitles: [],
    });
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then((code) => (process.exitCode = code));
