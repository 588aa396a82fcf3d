// A demo lake generated once per test run into a temp folder (deterministic for the default seed).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateDemoLake } from '../../../src/core/lake/generate';

let pending: Promise<string> | undefined;
const made: string[] = [];
process.once('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

export function demoLakeDir(): Promise<string> {
  if (!pending) {
    pending = (async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-analyzer-'));
      made.push(dir);
      await generateDemoLake({ out: path.join(dir, 'lake') });
      return path.join(dir, 'lake');
    })();
  }
  return pending;
}

/** A copy of the lake without some tables (for the missing-table rules). */
export function lakeWithout(dir: string, tables: string[]): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-analyzer-partial-'));
  made.push(copy);
  for (const f of fs.readdirSync(dir)) {
    if (tables.some((t) => f.startsWith(`${t}.`))) continue;
    fs.copyFileSync(path.join(dir, f), path.join(copy, f));
  }
  return copy;
}
