// `swb` as installed (dist/cli.js): a small launcher in front of the CLI (dist/cli-main.js).
// Commands that parse KQL start much faster from a V8 start-up snapshot in which the Kusto library is already
// loaded and warmed (dist/cli-snapshot.js). The snapshot is built once per Node version and bundle, in the
// background, into the user cache folder; until it exists, or when it cannot start, the CLI runs in this process.
// Only Node built-ins here, so that starting the launcher costs next to nothing.
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir } from '../core/cacheDir';

const KQL_COMMANDS = new Set(['query', 'analyze', 'audit', 'test', 'mcp']);
const BUILD_COMMAND = '__build-snapshot';
const BLOB_PREFIX = 'cli-snapshot-';
const LOCK_STALE_MS = 5 * 60_000;

interface Paths {
  mainJs: string;
  entry: string;
  blob: string;
}

/** Where the snapshot for this Node and this bundle lives (undefined when there is no snapshot entry or cache). */
export function snapshotPaths(distDir: string, env: NodeJS.ProcessEnv = process.env): Paths | undefined {
  const entry = path.join(distDir, 'cli-snapshot.js');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return undefined;
  }
  const dir = cacheDir(env);
  if (!dir) return undefined;
  const key = crypto
    .createHash('sha256')
    .update([process.version, process.arch, process.platform, entry, stat.size, stat.mtimeMs].join('\n'))
    .digest('hex')
    .slice(0, 16);
  return { mainJs: path.join(distDir, 'cli-main.js'), entry, blob: path.join(dir, `${BLOB_PREFIX}${key}.blob`) };
}

function runInProcess(mainJs: string, argv: string[]): void {
  (require(mainJs) as { runMain(argv: string[]): void }).runMain(argv);
}

/** Runs the CLI in a child started from the snapshot; falls back to this process if the child never started. */
function runFromSnapshot(p: Paths, argv: string[]): void {
  const child = spawn(process.execPath, ['--snapshot-blob', p.blob, p.mainJs, ...argv], {
    stdio: ['inherit', 'inherit', 'pipe', 'pipe'],
    env: { ...process.env, SWB_SNAPSHOT_FD: '3' },
  });
  let started = false;
  // stderr is held back until the child says it started, so that Node's report of a broken snapshot stays unseen
  const held: Buffer[] = [];
  child.stderr!.on('data', (b: Buffer) => {
    if (started) process.stderr.write(b);
    else held.push(b);
  });
  const handshake = child.stdio[3] as NodeJS.ReadableStream;
  handshake.on('data', () => {
    started = true;
    for (const b of held.splice(0)) process.stderr.write(b);
  });
  handshake.on('error', () => undefined);
  // The terminal sends Ctrl-C to the whole process group: the child handles it, the launcher waits for it.
  const onInt = () => undefined;
  const forward = (sig: NodeJS.Signals) => () => {
    child.kill(sig);
  };
  const onTerm = forward('SIGTERM');
  const onHup = forward('SIGHUP');
  process.on('SIGINT', onInt).on('SIGTERM', onTerm).on('SIGHUP', onHup);
  const done = (code: number | null, signal: NodeJS.Signals | null) => {
    process.removeListener('SIGINT', onInt).removeListener('SIGTERM', onTerm).removeListener('SIGHUP', onHup);
    if (!started) {
      // a snapshot that cannot start (corrupt, other Node build): drop it and run here
      try {
        fs.rmSync(p.blob, { force: true });
      } catch {
        /* read-only cache */
      }
      process.once('exit', startBuild);
      runInProcess(p.mainJs, argv);
      return;
    }
    process.exitCode = code ?? (signal ? 128 + (signalNumber(signal) ?? 1) : 1);
  };
  child.on('error', () => done(null, null));
  child.on('close', done);
}

function signalNumber(sig: NodeJS.Signals): number | undefined {
  return (require('os') as typeof import('os')).constants.signals[sig];
}

/** Starts a detached build of the snapshot; the current command does not wait for it. */
function startBuild(): void {
  if (process.env.SWB_SNAPSHOT_NO_REBUILD === '1') return;
  try {
    const child = spawn(process.execPath, [__filename, BUILD_COMMAND], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no snapshot then; the CLI works without it
  }
}

/**
 * Builds the snapshot into a temporary file, checks that a process starts from it, then moves it into place and
 * removes snapshots of other versions (the cache keeps one). Returns whether a usable snapshot is now in place.
 */
export function buildSnapshot(p: Paths): boolean {
  const lock = `${p.blob}.lock`;
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    let age = 0;
    try {
      age = Date.now() - fs.statSync(lock).mtimeMs;
    } catch {
      /* gone meanwhile */
    }
    if (age < LOCK_STALE_MS) return false; // another build is under way
    fs.writeFileSync(lock, String(process.pid));
  }
  const tmp = `${p.blob}.${process.pid}.tmp`;
  try {
    const built = spawnSync(process.execPath, ['--snapshot-blob', tmp, '--build-snapshot', p.entry], {
      stdio: 'ignore',
      timeout: 180_000,
    });
    if (built.status !== 0 || !fs.existsSync(tmp)) return false;
    const check = spawnSync(process.execPath, ['--snapshot-blob', tmp, p.entry], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, SWB_SNAPSHOT_CHECK: '1' },
    });
    if (check.status !== 0 || !check.stdout.includes('snapshot ok')) return false;
    fs.renameSync(tmp, p.blob);
    const dir = path.dirname(p.blob);
    for (const f of fs.readdirSync(dir)) {
      if (f.startsWith(BLOB_PREFIX) && path.join(dir, f) !== p.blob && !f.endsWith('.lock'))
        fs.rmSync(path.join(dir, f), { force: true });
    }
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(lock, { force: true });
  }
}

export function launch(argv: string[], env: NodeJS.ProcessEnv = process.env): void {
  const distDir = __dirname;
  const p = snapshotPaths(distDir, env);
  if (argv[0] === BUILD_COMMAND) {
    process.exitCode = p && buildSnapshot(p) ? 0 : 1;
    return;
  }
  const mainJs = p?.mainJs ?? path.join(distDir, 'cli-main.js');
  if (!p || env.SWB_SNAPSHOT === '0' || !KQL_COMMANDS.has(argv[0])) return runInProcess(mainJs, argv);
  if (fs.existsSync(p.blob)) return runFromSnapshot(p, argv);
  // built after this command, so that it does not compete with it
  if (!fs.existsSync(`${p.blob}.lock`)) process.once('exit', startBuild);
  runInProcess(mainJs, argv);
}

if (require.main === module) launch(process.argv.slice(2));
