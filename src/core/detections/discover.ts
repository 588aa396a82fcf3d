// Finds `*.test.yaml` files under paths, and the files git says changed since a ref (--changed-since).
import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../errors';
import { isTestFile } from './testFile';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test', 'test-results']);

/** Every test file under the paths (a path may be a test file), sorted, absolute. */
export async function findTestFiles(paths: string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(p);
      } else if (e.isFile() && isTestFile(e.name)) out.push(p);
    }
  };
  for (const given of paths) {
    const abs = path.resolve(cwd, given);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch {
      throw new UserError(`${given}: no such file or directory`);
    }
    if (stat.isDirectory()) await walk(abs);
    else out.push(abs);
  }
  return [...new Set(out)];
}

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new UserError(`git ${args.join(' ')}: ${(stderr || err.message).trim().split('\n')[0]}`));
      else resolve(stdout);
    });
  });
}

/** Absolute paths of files changed since `ref` (committed, staged, unstaged) plus untracked files. */
export async function changedSince(ref: string, cwd: string): Promise<Set<string>> {
  if (!/^[\w./@^~{}:-]+$/.test(ref) || ref.startsWith('-'))
    throw new UserError(`--changed-since: not a git ref: ${ref}`);
  const top = (await git(['rev-parse', '--show-toplevel'], cwd)).trim();
  await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd).catch(() => {
    throw new UserError(`--changed-since: unknown git ref '${ref}'`);
  });
  const diff = await git(['diff', '--name-only', '-z', ref, '--'], top);
  const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z'], top);
  return new Set([...diff.split('\0'), ...untracked.split('\0')].filter(Boolean).map((f) => path.resolve(top, f)));
}
