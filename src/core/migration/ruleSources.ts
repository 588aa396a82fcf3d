// Finds rule files under paths and loads them. Used by `swb audit rules` and the checklist's rule audit.
import { promises as fs } from 'fs';
import * as path from 'path';
import { throwIfAborted, UserError } from '../errors';
import {
  isJsonFile,
  isYamlFile,
  loadAnalyticsRules,
  loadAutomationRules,
  LoadedAutomationRule,
  LoadedRule,
  LoadError,
} from './ruleFiles';

const SKIP_DIRS = new Set(['node_modules', '.git', '.vscode-test', 'dist', 'out']);
/** Larger files are not rule files; skipping them keeps a stray data export from stalling the audit. */
export const MAX_RULE_FILE_BYTES = 8 * 1024 * 1024;

export interface RuleFileOptions {
  /** Paths are shown relative to this folder when inside it. */
  cwd?: string;
  signal?: AbortSignal;
}

/** Every .yaml/.yml/.json file under the paths (a path may be a file). A missing path is a UserError. */
export async function findRuleFiles(paths: string[], options: RuleFileOptions = {}): Promise<string[]> {
  const cwd = options.cwd ?? process.cwd();
  const out: string[] = [];
  const walk = async (abs: string): Promise<void> => {
    throwIfAborted(options.signal);
    const entries = await fs.readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = path.join(abs, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(p);
      } else if (e.isFile() && (isYamlFile(e.name) || isJsonFile(e.name))) {
        out.push(p);
      }
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

/** How a file is named in reports: relative to cwd with forward slashes when inside it, else absolute. */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  return shown.split(path.sep).join('/');
}

export interface LoadedRuleSet {
  rules: LoadedRule[];
  automationRules: LoadedAutomationRule[];
  errors: LoadError[];
  /** Files that held at least one rule or a load error. */
  files: string[];
}

/** Reads and loads rule files. Broken files become errors; reading goes on. */
export async function loadRuleFiles(files: string[], options: RuleFileOptions = {}): Promise<LoadedRuleSet> {
  const cwd = options.cwd ?? process.cwd();
  const set: LoadedRuleSet = { rules: [], automationRules: [], errors: [], files: [] };
  for (const abs of files) {
    throwIfAborted(options.signal);
    const shown = displayPath(abs, cwd);
    let text: string;
    try {
      const stat = await fs.stat(abs);
      if (stat.size > MAX_RULE_FILE_BYTES) continue;
      text = await fs.readFile(abs, 'utf8');
    } catch (e) {
      set.errors.push({ file: shown, message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const analytics = loadAnalyticsRules(shown, text);
    let used = analytics.recognised;
    set.rules.push(...analytics.rules);
    set.errors.push(...analytics.errors);
    if (isJsonFile(abs) && !analytics.errors.length) {
      const automation = loadAutomationRules(shown, text);
      set.automationRules.push(...automation.rules);
      set.errors.push(...automation.errors);
      used ||= automation.recognised;
    }
    if (used) set.files.push(shown);
  }
  return set;
}
