#!/usr/bin/env node
// activate() time of the built extension (dist/extension.js, as shipped) against the fake vscode module.
// Usage: node esbuild.js --production && node bench/activate.js [runs]   Budget: median ≤ 50 ms.
'use strict';
const path = require('path');

require('tsx/cjs');
require('../test/adapter/support/register.ts');
const { fake, createExtensionContext, disposeContext } = require('../test/adapter/support/fakeVscode.ts');

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.join(ROOT, 'dist', 'extension.js');
const BUDGET_MS = 50;
const runs = Number(process.argv[2]) || 21;

function once() {
  delete require.cache[BUNDLE];
  fake.reset();
  fake.setWorkspaceFolders(path.join(ROOT, 'sample'));
  const context = createExtensionContext({ extensionPath: ROOT });
  const t0 = performance.now();
  const ext = require(BUNDLE);
  const t1 = performance.now();
  ext.activate(context);
  const t2 = performance.now();
  disposeContext(context);
  if (typeof ext.deactivate === 'function') ext.deactivate();
  return { load: t1 - t0, activate: t2 - t1 };
}

const samples = Array.from({ length: runs }, once);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const first = samples[0];
const act = median(samples.map((s) => s.activate));
const load = median(samples.map((s) => s.load));
const size = require('fs').statSync(BUNDLE).size;
console.log(`dist/extension.js: ${(size / 1024).toFixed(1)} KiB`);
console.log(`first run: require ${first.load.toFixed(1)} ms, activate() ${first.activate.toFixed(1)} ms`);
console.log(`median over ${runs} runs: require ${load.toFixed(2)} ms, activate() ${act.toFixed(2)} ms (budget ${BUDGET_MS} ms) ${act <= BUDGET_MS ? 'OK' : 'OVER BUDGET'}`);
process.exitCode = act <= BUDGET_MS && size <= 1024 * 1024 ? 0 : 1;
