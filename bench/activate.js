#!/usr/bin/env node
// What the user waits for when the extension activates: loading dist/extension.js (as shipped) plus
// activate(), each sample in a fresh Node process so the bundle is read and compiled cold, as in the
// extension host. The fake vscode module stands in for the host. The CPU time of the same span is printed too:
// on a busy machine the wall clock waits for a core, the CPU time much less so.
// Usage: node esbuild.js --production && node bench/activate.js [runs] [bundle]
// Budget: median load + activate ≤ 50 ms. A second argument times another build of the bundle (before/after).
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.resolve(
  process.argv.find((a, i) => i > 1 && a.endsWith('.js')) ?? path.join(ROOT, 'dist', 'extension.js'),
);
const BUDGET_MS = 50;
const SIZE_BUDGET = 600 * 1024;

function child() {
  // tsx compiles the fake vscode module, then steps aside: it would otherwise transform the bundle too, which
  // the extension host never does (about half of the time it once measured).
  const unregister = require('tsx/cjs/api').register();
  require('../test/adapter/support/register.ts');
  const { fake, createExtensionContext, disposeContext } = require('../test/adapter/support/fakeVscode.ts');
  unregister();
  fake.reset();
  fake.setWorkspaceFolders(path.join(ROOT, 'sample'));
  const context = createExtensionContext({ extensionPath: ROOT });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ext = require(BUNDLE);
  const t1 = performance.now();
  ext.activate(context);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  disposeContext(context);
  if (typeof ext.deactivate === 'function') ext.deactivate();
  process.stdout.write(JSON.stringify({ load: t1 - t0, activate: t2 - t1, cpu: (cpu.user + cpu.system) / 1000 }));
}

function main() {
  const runs = Number(process.argv[2]) || 15;
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [__filename, '--child', BUNDLE], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`sample ${i} failed: ${r.stderr}`);
    samples.push(JSON.parse(r.stdout));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const load = median(samples.map((s) => s.load));
  const act = median(samples.map((s) => s.activate));
  const total = median(samples.map((s) => s.load + s.activate));
  const cpu = median(samples.map((s) => s.cpu));
  const size = require('fs').statSync(BUNDLE).size;
  console.log(`${path.relative(ROOT, BUNDLE)}: ${(size / 1024).toFixed(1)} KiB (budget ${SIZE_BUDGET / 1024} KiB)`);
  console.log(
    `median over ${runs} cold processes: load ${load.toFixed(1)} ms + activate() ${act.toFixed(1)} ms = ${total.toFixed(1)} ms (budget ${BUDGET_MS} ms) ${total <= BUDGET_MS ? 'OK' : 'OVER BUDGET'}; CPU ${cpu.toFixed(1)} ms; load average ${require('os').loadavg()[0].toFixed(1)}`,
  );
  process.exitCode = total <= BUDGET_MS && size <= SIZE_BUDGET ? 0 : 1;
}

if (process.argv.includes('--child')) child();
else main();
