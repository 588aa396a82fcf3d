#!/usr/bin/env node
// `npm run test:electron`: the in-host suite (test/host) in desktop VS Code through @vscode/test-electron,
// which downloads VS Code (needs internet; use it on a desktop machine). `npm test` runs the same suite
// files inside code-server instead (scripts/host-tests.js).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { buildHostSuite } = require('./lib/hostSuite');

const ROOT = path.resolve(__dirname, '..');

async function main() {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return 1;
  const { runner } = await buildHostSuite();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-electron-'));
  fs.cpSync(path.join(ROOT, 'sample'), path.join(workspace, 'sample'), { recursive: true });
  const { runTests } = require('@vscode/test-electron');
  try {
    await runTests({
      version: process.env.SWB_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: runner,
      launchArgs: [path.join(workspace, 'sample'), '--disable-extensions', '--disable-workspace-trust'],
    });
    return 0;
  } catch (e) {
    console.error(`test:electron: ${e.message || e}`);
    return 1;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().then((code) => (process.exitCode = code));
