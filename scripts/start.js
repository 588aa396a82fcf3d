#!/usr/bin/env node
// `npm start`: build, generate the demo lake if missing, then open VS Code with the extension on sample/.
// Desktop VS Code (`code --extensionDevelopmentPath`) when a `code` command exists; otherwise code-server
// (VS Code for the web) on 127.0.0.1 with the freshly packaged extension, printing the URL.
// Options: --web (code-server even if `code` exists), --port N. Ctrl+C stops code-server.
'use strict';
const { spawnSync, spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const cs = require('./lib/codeServer');

const ROOT = cs.ROOT;
const SAMPLE = path.join(ROOT, 'sample');
const argv = process.argv.slice(2);
const forceWeb = argv.includes('--web');
const portArg = argv.includes('--port') ? Number(argv[argv.indexOf('--port') + 1]) : undefined;

function step(message) {
  console.log(`start: ${message}`);
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function build() {
  step('building');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

function ensureLake() {
  const lake = path.join(SAMPLE, 'lake');
  if (fs.existsSync(lake) && fs.readdirSync(lake).length > 0) return;
  step('generating the demo lake into sample/lake');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'lake', 'generate', '--out', lake], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) console.warn('start: warning: could not generate the demo lake; continuing without it');
}

async function web() {
  const bin = cs.ensureCodeServer({ chromium: false });
  const vsix = cs.packageVsix({ log: step }); // a production build of dist/ plus the .vsix
  ensureLake();
  const base = path.join(ROOT, '.cache', 'code-server');
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  // First run only (keep the user's later changes): quiet defaults, and open sample/README.md on start
  // instead of VS Code's own welcome walkthrough.
  if (!fs.existsSync(path.join(userDataDir, 'User', 'settings.json'))) {
    cs.writeUserSettings(userDataDir, { 'workbench.startupEditor': 'readme' });
  }
  step('installing the extension into code-server');
  cs.installExtension({ bin, vsix, userDataDir, extensionsDir });
  const server = await cs.startCodeServer({
    bin,
    userDataDir,
    extensionsDir,
    folder: SAMPLE,
    port: portArg,
    logFile: path.join(base, 'code-server.log'),
  });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstart: stopping code-server');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  server.child.on('exit', (code) => {
    if (stopping) return;
    console.error(`start: code-server exited (${code}); log: .cache/code-server/code-server.log`);
    process.exit(1);
  });
  const url = `${server.url}?folder=${encodeURIComponent(SAMPLE)}`;
  console.log(
    `\nSentinel Workbench is running in VS Code for the web:\n\n  ${url}\n\nOpen it in a browser on this machine (bound to 127.0.0.1 only). Ctrl+C stops it.`,
  );
}

function desktop() {
  step('opening desktop VS Code with the extension in development mode');
  const child = spawn('code', [`--extensionDevelopmentPath=${ROOT}`, SAMPLE], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function main() {
  if (!forceWeb && hasCommand('code')) {
    build();
    ensureLake();
    desktop();
  } else {
    await web();
  }
}

main().catch((e) => {
  console.error(`start: ${e.message || e}`);
  process.exit(1);
});
