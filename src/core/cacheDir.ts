// The per-user cache folder of the workbench (start-up snapshot, lake snapshots). Never inside a lake folder.
// Only Node built-ins here: the CLI launcher bundles this file and must stay small.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * `SWB_CACHE_DIR`, else `$XDG_CACHE_HOME/sentinel-workbench`, else `~/.cache/sentinel-workbench`; when that
 * cannot be created, a per-user folder under the system temp folder. Undefined when nothing is writable.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    env.SWB_CACHE_DIR,
    env.XDG_CACHE_HOME ? path.join(env.XDG_CACHE_HOME, 'sentinel-workbench') : undefined,
    safeHome() ? path.join(safeHome()!, '.cache', 'sentinel-workbench') : undefined,
    path.join(os.tmpdir(), `sentinel-workbench-${safeUid()}`),
  ];
  for (const dir of candidates) {
    if (!dir) continue;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      // try the next place
    }
  }
  return undefined;
}

function safeHome(): string | undefined {
  try {
    return os.homedir() || undefined;
  } catch {
    return undefined;
  }
}

function safeUid(): string {
  try {
    return String(os.userInfo().uid);
  } catch {
    return 'user';
  }
}
