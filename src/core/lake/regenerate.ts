// Writing the demo tenant over a folder that already holds a lake: never silently. The analysts' comments in
// IncidentComments.jsonl (where the extension stores them) are carried into the new lake, and the new files
// replace the old ones only once all of them are written (a failed run leaves the old lake as it was).
import * as fs from 'fs';
import * as path from 'path';
import { generateDemoLake, GenerateDemoLakeOptions, GenerateDemoLakeSummary } from './generate';

const COMMENTS_FILE = 'IncidentComments.jsonl';
const TABLE_FILE = /\.(jsonl|ndjson|csv|json|parquet)$/i;

/** True when the folder holds a lake: a lake.json or any table file. */
export function holdsLake(dir: string): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false;
  }
  return names.some((n) => n === 'lake.json' || (TABLE_FILE.test(n) && n !== 'schema.json'));
}

/**
 * Appends to `newDir`'s IncidentComments.jsonl the lines of `oldDir`'s that the generator did not write itself
 * (the comments analysts added). A comments file that is a link or not a regular file is left alone.
 * Returns the number of comments kept.
 */
export function keepAnalystComments(oldDir: string, newDir: string): number {
  const oldFile = path.join(oldDir, COMMENTS_FILE);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(oldFile);
  } catch {
    return 0;
  }
  if (!st.isFile()) return 0;
  const newFile = path.join(newDir, COMMENTS_FILE);
  const generated = new Set(readLines(newFile));
  const kept = readLines(oldFile).filter((l) => !generated.has(l));
  if (!kept.length) return 0;
  let text = kept.join('\n') + '\n';
  const current = fs.existsSync(newFile) ? fs.readFileSync(newFile, 'utf8') : '';
  if (current && !current.endsWith('\n')) text = '\n' + text;
  fs.appendFileSync(newFile, text, 'utf8');
  return kept.length;
}

function readLines(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split(/\r?\n/).filter((l) => l.trim() !== '');
}

/**
 * Generates the demo tenant into a folder that already holds a lake: first into a hidden folder inside it,
 * then the comments are carried over and each new file is renamed over the old one (a link is replaced,
 * never written through). Files of other tables in the folder stay as they are.
 */
export async function regenerateDemoLake(
  options: GenerateDemoLakeOptions,
): Promise<GenerateDemoLakeSummary & { keptComments: number }> {
  const out = path.resolve(options.out);
  const tmp = path.join(out, `.swb-generate-${process.pid}-${Date.now().toString(36)}`);
  try {
    const summary = await generateDemoLake({ ...options, out: tmp });
    const keptComments = keepAnalystComments(out, tmp);
    for (const name of fs.readdirSync(tmp)) {
      const target = path.join(out, name);
      // a folder (or anything not a file) where a generated file goes would make rename fail halfway: refuse first
      const st = fs.lstatSync(target, { throwIfNoEntry: false });
      if (st?.isDirectory()) throw Object.assign(new Error(`${target} is a folder`), { code: 'EISDIR' });
    }
    for (const name of fs.readdirSync(tmp)) fs.renameSync(path.join(tmp, name), path.join(out, name));
    const tables = summary.tables.map((t) => ({ ...t, file: path.join(out, path.basename(t.file)) }));
    return { ...summary, dir: out, tables, keptComments };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
