// Shared by `npm start` (scripts/start.js) and the e2e harness (test/e2e/harness.ts): package the
// extension, install it into code-server with isolated folders, start code-server on a free loopback
// port and stop it (its whole process group) again. Types: codeServer.d.ts next to this file.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || '4.100.3';
const CACHE_DIR =
  process.env.SWB_CACHE_DIR ||
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'sentinel-workbench');
const VSIX = path.join(ROOT, 'sentinel-workbench.vsix');
const CHROMIUM = process.env.SWB_CHROMIUM || '/usr/bin/chromium';
// Headless Chromium on a machine without internet: no background connections, no sandbox (root).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Path of the code-server launcher installed by scripts/setup.sh, or undefined. */
function codeServerBin() {
  const bin = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
  return fs.existsSync(bin) ? bin : undefined;
}

/** Runs scripts/setup.sh when code-server or Chromium is missing; returns the code-server path. */
function ensureCodeServer(opts = {}) {
  const needChromium = opts.chromium !== false;
  if (!codeServerBin() || (needChromium && !fs.existsSync('/usr/bin/chromium'))) {
    const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'setup.sh')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('scripts/setup.sh failed; see its output above');
  }
  const bin = codeServerBin();
  if (!bin) throw new Error('code-server is not installed; run `bash scripts/setup.sh`');
  return bin;
}

function newestMtime(entries) {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const e of entries) visit(path.join(ROOT, e));
  return newest;
}

const VSIX_INPUTS = [
  'src',
  'syntaxes',
  'media',
  'package.json',
  'esbuild.js',
  'language-configuration.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  '.vscodeignore',
];

/**
 * Builds (production) and packages the extension into sentinel-workbench.vsix, unless the existing
 * .vsix is newer than every input. Returns the .vsix path. SWB_VSIX=path uses that package instead.
 */
function packageVsix(opts = {}) {
  const log = opts.log || ((m) => console.log(m));
  if (process.env.SWB_VSIX) {
    // Use a given package as is (e.g. to rerun e2e while someone's source does not build).
    const given = path.resolve(process.env.SWB_VSIX);
    if (!fs.existsSync(given)) throw new Error(`SWB_VSIX=${given} does not exist`);
    log(`package: using ${given} (SWB_VSIX)`);
    return given;
  }
  if (!opts.force && fs.existsSync(VSIX) && fs.statSync(VSIX).mtimeMs > newestMtime(VSIX_INPUTS)) {
    log(`package: reusing ${path.relative(ROOT, VSIX)} (up to date)`);
    return VSIX;
  }
  log('package: building (production) and packaging the extension');
  run(process.execPath, [path.join(ROOT, 'esbuild.js'), '--production']);
  const tmp = path.join(ROOT, `.sentinel-workbench.${process.pid}.vsix.tmp`);
  try {
    run(process.execPath, [
      require.resolve('@vscode/vsce/vsce', { paths: [ROOT] }),
      'package',
      '--no-dependencies',
      '--no-rewrite-relative-links',
      '--out',
      tmp,
    ]);
    fs.renameSync(tmp, VSIX);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return VSIX;
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', ...options });
  if (r.status !== 0) {
    throw new Error(
      `${path.basename(cmd)} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout || ''}${r.stderr || ''}`,
    );
  }
  return r.stdout;
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Settings that keep a test or demo session quiet: no telemetry, trust prompts, welcome pages or update checks. */
const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

/** Writes <userDataDir>/User/settings.json (merged over QUIET_SETTINGS). */
function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2));
}

/** Installs a .vsix into an isolated extensions folder. */
function installExtension({ bin, vsix, userDataDir, extensionsDir }) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  const out = run(bin, [
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--install-extension',
    vsix,
    '--force',
  ]);
  if (!/successfully installed|already installed/i.test(out)) throw new Error(`installing ${vsix} failed:\n${out}`);
  return out.trim();
}

function get(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode || 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

/**
 * Starts code-server on 127.0.0.1 in its own process group and resolves once it answers /healthz.
 * Returns { url, port, child, stop() }; stop() ends the whole process group.
 */
async function startCodeServer({ bin, userDataDir, extensionsDir, folder, port, env, logFile, timeoutMs = 60000 }) {
  port = port || (await freePort());
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    folder,
  ];
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...env } });
  if (typeof out === 'number') fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const stop = () => stopGroup(child);
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited)
      throw new Error(`code-server exited early (${exited.code ?? exited.signal})${logFile ? `; see ${logFile}` : ''}`);
    if ((await get(`${url}healthz`)) === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, child, stop };
}

/** SIGTERM to the process group, SIGKILL after 5 s; resolves when the leader is gone. */
function stopGroup(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      killGroup(child.pid, 'SIGKILL'); // stragglers
      return resolve();
    }
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL');
      resolve();
    });
    killGroup(child.pid, 'SIGTERM');
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

module.exports = {
  ROOT,
  CACHE_DIR,
  CODE_SERVER_VERSION,
  VSIX,
  QUIET_SETTINGS,
  CHROMIUM,
  CHROMIUM_ARGS,
  codeServerBin,
  ensureCodeServer,
  packageVsix,
  freePort,
  writeUserSettings,
  installExtension,
  startCodeServer,
  stopGroup,
};
