// Finds the demo lake or generates it: `<repo or extension>/sample/lake` when that folder can be written,
// otherwise a per-user cache folder. A lake made by an older generator version is regenerated.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isCancellation } from '../errors';
import type { Logger } from '../types';
import { silentLogger } from '../types';
import { DEMO_GENERATOR_VERSION } from './demoFacts';
import { DEMO_TABLES, generateDemoLake } from './generate';
import { keepAnalystComments } from './regenerate';

export interface EnsureDemoLakeOptions {
  logger?: Logger;
  /** Use (and if needed generate) this folder instead of the default locations. */
  dir?: string;
  /** Environment for the cache location (`SWB_DEMO_CACHE`, `XDG_CACHE_HOME`); default process.env. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

interface GeneratorStamp {
  version?: number;
  seed?: number;
  users?: number;
  days?: number;
}

function readStamp(dir: string): { lake: boolean; generator?: GeneratorStamp } {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'lake.json'), 'utf8')) as { generator?: GeneratorStamp };
    return { lake: true, generator: json && typeof json.generator === 'object' ? json.generator : undefined };
  } catch {
    return { lake: false };
  }
}

/** True when `dir` holds a complete demo lake from this generator version. */
export function isCurrentDemoLake(dir: string): boolean {
  const { generator } = readStamp(dir);
  return (
    generator?.version === DEMO_GENERATOR_VERSION &&
    DEMO_TABLES.every((t) => fs.existsSync(path.join(dir, `${t}.jsonl`)))
  );
}

/** The folder holding this package's package.json (the repository, or the installed extension). */
export function packageRoot(start = __dirname): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'sentinel-workbench') return dir;
    } catch {
      /* keep walking up */
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Where a generated demo lake goes when `sample/` cannot hold it. */
export function demoCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWB_DEMO_CACHE) return path.join(env.SWB_DEMO_CACHE, 'demo-lake');
  const base =
    env.XDG_CACHE_HOME || (process.platform === 'win32' && env.LOCALAPPDATA) || path.join(os.homedir(), '.cache');
  return path.join(base, 'sentinel-workbench', 'demo-lake');
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

let counter = 0;

/** Generates into a sibling temporary folder and moves it into place, so readers never see half a lake. */
async function generateInto(
  dir: string,
  stamp: GeneratorStamp | undefined,
  logger: Logger,
  signal?: AbortSignal,
): Promise<void> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tag = `${process.pid}-${++counter}-${Date.now().toString(36)}`;
  const tmp = `${dir}.tmp-${tag}`;
  logger.info(`generating the demo lake into ${dir}`);
  try {
    await generateDemoLake({ out: tmp, seed: stamp?.seed, users: stamp?.users, days: stamp?.days, logger, signal });
    let old: string | undefined;
    if (fs.existsSync(dir)) {
      if (isCurrentDemoLake(dir)) return; // another process finished first
      // a stale demo lake is replaced, its analysts' comments are not
      const kept = keepAnalystComments(dir, tmp);
      if (kept) logger.info(`kept ${kept} comment(s) from the previous demo lake`);
      old = `${dir}.old-${tag}`;
      fs.renameSync(dir, old);
    }
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      if (!isCurrentDemoLake(dir)) throw e;
    }
    if (old) fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Returns a demo lake folder, generating it when missing or stale. With `dir`, that folder is used; a
 * folder holding some other lake (a lake.json not written by the generator) is returned as it is.
 */
export async function ensureDemoLake(options: EnsureDemoLakeOptions = {}): Promise<string> {
  const logger = options.logger ?? silentLogger;
  const ensure = async (dir: string): Promise<string> => {
    const stamp = readStamp(dir);
    if (stamp.lake && !stamp.generator) return dir;
    if (!isCurrentDemoLake(dir)) await generateInto(dir, stamp.generator, logger, options.signal);
    return dir;
  };
  if (options.dir) return ensure(path.resolve(options.dir));
  const root = packageRoot();
  const sample = root ? path.join(root, 'sample') : undefined;
  if (sample && fs.existsSync(sample)) {
    const lake = path.join(sample, 'lake');
    if (isCurrentDemoLake(lake)) return lake;
    if (writable(sample) && (!fs.existsSync(lake) || writable(lake))) {
      try {
        return await ensure(lake);
      } catch (e) {
        if (isCancellation(e)) throw e;
        logger.warn(`could not generate the demo lake in ${lake}: ${(e as Error).message}; using the cache folder`);
      }
    }
  }
  return ensure(demoCacheDir(options.env ?? process.env));
}
