// Workspace functions: the saved functions and Sentinel parsers a real workspace has (imAuthentication, _Im_Dns,
// GitHubAuditData, …), read from a folder so that queries calling them run locally and the language server knows
// them. A folder holds, at any depth:
//   *.yaml / *.yml   Sentinel parser files: the function's names (ParserName, FunctionName, FunctionAlias,
//                    EquivalentBuiltInParser), its KQL (ParserQuery, FunctionQuery, query) and parameters
//                    (ParserParams / FunctionParams: [{Name, Type, Default}])
//   *.kql / *.csl    `let Name = (params) { … };` definitions (every function one defines), or — when the file ends
//   / *.txt          in a query instead — the body of one parameterless function named after the file.
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { UserError } from '../errors';

export interface WorkspaceFunction {
  name: string;
  /** Parameter list as Kusto declares it: `(starttime:datetime=datetime(null), disabled:bool=false)`. */
  params: string;
  /** The function body without braces. */
  body: string;
  /** The file it came from. */
  file: string;
}

export interface WorkspaceFunctionsLoad {
  functions: WorkspaceFunction[];
  /** Files that could not be read as function definitions, with the reason (they are skipped). */
  skipped: { file: string; reason: string }[];
}

const MAX_FILES = 5000;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPES = new Set([
  'string',
  'datetime',
  'bool',
  'boolean',
  'int',
  'long',
  'real',
  'double',
  'decimal',
  'guid',
  'timespan',
  'dynamic',
]);

/** Reads every function definition under a folder. Later files do not replace a name already defined. */
export function loadWorkspaceFunctions(dir: string): WorkspaceFunctionsLoad {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new UserError(`functions folder not found: ${dir}`);
  }
  if (!st.isDirectory()) throw new UserError(`not a folder: ${dir}`);
  const out: WorkspaceFunctionsLoad = { functions: [], skipped: [] };
  const seen = new Set<string>();
  for (const file of listFiles(dir)) {
    let defs: WorkspaceFunction[];
    try {
      defs = readDefinitions(file);
    } catch (e) {
      out.skipped.push({ file, reason: (e as Error).message });
      continue;
    }
    for (const d of defs) {
      if (seen.has(d.name)) continue;
      seen.add(d.name);
      out.functions.push(d);
    }
  }
  return out;
}

function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (files.length >= MAX_FILES) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.(ya?ml|kql|csl|kusto|txt)$/i.test(e.name)) files.push(p);
    }
  };
  walk(dir);
  return files;
}

function readDefinitions(file: string): WorkspaceFunction[] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  if (/\.ya?ml$/i.test(file)) return fromYaml(text, file);
  return fromKql(text, file);
}

function fromYaml(text: string, file: string): WorkspaceFunction[] {
  const doc = YAML.parse(text) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw new Error('not a YAML mapping');
  const query = [doc.ParserQuery, doc.FunctionQuery, doc.query].find(
    (q): q is string => typeof q === 'string' && q.trim() !== '',
  );
  if (!query) throw new Error('no ParserQuery / FunctionQuery');
  const names = [doc.ParserName, doc.FunctionName, doc.FunctionAlias, doc.EquivalentBuiltInParser]
    .filter((n): n is string => typeof n === 'string' && NAME.test(n.trim()))
    .map((n) => n.trim());
  if (names.length === 0) throw new Error('no ParserName / FunctionName / FunctionAlias');
  const rawParams = doc.ParserParams ?? doc.FunctionParams ?? [];
  const params = formatParams(Array.isArray(rawParams) ? rawParams : []);
  return [...new Set(names)].map((name) => ({ name, params, body: query, file }));
}

/** `[{Name, Type, Default}]` → `(Name:Type=Default, …)`. */
export function formatParams(list: unknown[]): string {
  const parts = list.map((p) => {
    const o = (p ?? {}) as Record<string, unknown>;
    const name = String(o.Name ?? '').trim();
    const type = String(o.Type ?? 'string')
      .trim()
      .toLowerCase();
    if (!NAME.test(name) || !TYPES.has(type)) throw new Error(`bad parameter ${JSON.stringify(p)}`);
    if (!('Default' in o) || o.Default === undefined || o.Default === null) return `${name}:${type}`;
    return `${name}:${type}=${formatDefault(o.Default, type)}`;
  });
  return `(${parts.join(', ')})`;
}

function formatDefault(v: unknown, type: string): string {
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(v);
  const s = String(v).trim();
  if (type === 'string' && !/^(['"]).*\1$/s.test(s) && !/^@?(['"])/.test(s)) return JSON.stringify(s);
  if ((type === 'bool' || type === 'boolean') && /^(true|false)$/i.test(s)) return s.toLowerCase();
  return s;
}

/** `let F = (…) { … };` definitions of a KQL file; a file that ends in a query is one function named after it. */
function fromKql(text: string, file: string): WorkspaceFunction[] {
  const defs = letFunctions(text);
  const trailing = stripComments(text)
    .replace(/^\s*let\s[\s\S]*?;\s*/g, '')
    .trim();
  if (defs.length && !endsInQuery(text)) return defs.map((d) => ({ ...d, file }));
  const name = path.basename(file).replace(/\.[^.]+$/, '');
  if (!NAME.test(name)) throw new Error(`the file name ${path.basename(file)} is not a function name`);
  if (!trailing) throw new Error('no query');
  return [{ name, params: '()', body: text, file }];
}

function stripComments(text: string): string {
  return text.replace(/\/\/[^\n]*/g, '');
}

/** Whether the text's last statement is a query rather than a `let`. */
function endsInQuery(text: string): boolean {
  const statements = splitStatements(stripComments(text))
    .map((s) => s.trim())
    .filter(Boolean);
  const last = statements[statements.length - 1];
  return !!last && !/^let\s/i.test(last);
}

/** Splits on top-level semicolons (outside strings, brackets and braces). */
function splitStatements(text: string): string[] {
  const out: string[] = [];
  let depth = 0,
    start = 0,
    quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (c === ';' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function letFunctions(text: string): Omit<WorkspaceFunction, 'file'>[] {
  const out: Omit<WorkspaceFunction, 'file'>[] = [];
  for (const st of splitStatements(stripComments(text))) {
    const m = /^\s*let\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:view\s*)?\(([\s\S]*?)\)\s*\{([\s\S]*)\}\s*$/.exec(st);
    if (m && balanced(m[2])) out.push({ name: m[1], params: `(${m[2].trim()})`, body: m[3] });
  }
  return out;
}

function balanced(s: string): boolean {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    else if (c === ')') d--;
    if (d < 0) return false;
  }
  return d === 0;
}

/** Identifiers the bodies of the called functions mention (transitively), so the engine loads their tables. */
export function identifiersOfCalled(idents: Set<string>, functions: Map<string, WorkspaceFunction>): Set<string> {
  const out = new Set(idents);
  const queue = [...idents].filter((n) => functions.has(n));
  const done = new Set<string>();
  while (queue.length) {
    const n = queue.pop()!;
    if (done.has(n)) continue;
    done.add(n);
    const f = functions.get(n)!;
    for (const id of (f.body + ' ' + f.params).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      out.add(id);
      if (functions.has(id) && !done.has(id)) queue.push(id);
    }
  }
  return out;
}
