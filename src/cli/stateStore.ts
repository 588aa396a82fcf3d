// The analyzer's state for the CLI: a JSON file, so the run quotas and result cache hold across `swb analyze`
// runs like the extension's globalState does across windows. SWB_STATE_DIR overrides the folder.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StateStore } from '../core/analyzer/store';

export function stateDir(env: NodeJS.ProcessEnv): string {
  if (env.SWB_STATE_DIR?.trim()) return path.resolve(env.SWB_STATE_DIR.trim());
  const base = env.XDG_STATE_HOME?.trim() || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'sentinel-workbench');
}

export class FileStore implements StateStore {
  private values: Record<string, unknown>;

  constructor(readonly file: string) {
    this.values = {};
    try {
      const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) this.values = v as Record<string, unknown>;
    } catch {
      // no state yet, or unreadable: start empty (quotas count from here)
    }
  }

  get<T>(key: string): T | undefined {
    const v = this.values[key];
    return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as T);
  }

  update(key: string, value: unknown): void {
    if (value === undefined) delete this.values[key];
    else this.values[key] = JSON.parse(JSON.stringify(value));
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.values), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
