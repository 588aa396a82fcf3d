// A cheap outline of a test file for the editor's Testing view: its rule, its cases with their lines, and
// the files it reads. yaml only (no zod) so the extension host stays light; the full validation runs with
// the tests (testFile.ts) and its problems are shown then.
import * as path from 'path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';

export { isTestFile } from './fileKinds';

export interface TestFileOutline {
  rule?: string;
  cases: { name: string; line: number }[];
  /** Absolute paths the file reads: itself, the rule, fixture files, the schema file. */
  inputs: string[];
  problems: { message: string; line: number }[];
}

export function outlineTestFile(file: string, text: string): TestFileOutline {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const dir = path.dirname(file);
  const out: TestFileOutline = { cases: [], inputs: [file], problems: [] };
  if (doc.errors.length) {
    out.problems = doc.errors.map((e) => ({
      message: `YAML: ${e.message.split('\n')[0]}`,
      line: lc.linePos(e.pos[0]).line || 1,
    }));
    return out;
  }
  const root = doc.contents;
  if (!isMap(root)) {
    out.problems.push({ message: 'a test file is a map with rule: and cases:', line: 1 });
    return out;
  }
  const str = (m: YAMLMap, key: string) => {
    const v = m.get(key, true);
    return isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
  };
  out.rule = str(root, 'rule');
  if (out.rule) out.inputs.push(path.resolve(dir, out.rule));
  else out.problems.push({ message: 'rule: is required', line: 1 });
  const schema = str(root, 'schema');
  if (schema) out.inputs.push(path.resolve(dir, schema));
  const addTables = (m: unknown) => {
    if (!isMap(m)) return;
    for (const item of m.items)
      if (isScalar(item.value) && typeof item.value.value === 'string')
        out.inputs.push(path.resolve(dir, item.value.value));
  };
  addTables(root.get('tables', true));
  const cases = root.get('cases', true);
  if (!isSeq(cases) || !cases.items.length) {
    out.problems.push({ message: 'cases: needs at least one case', line: 1 });
    return out;
  }
  for (const c of cases.items) {
    if (!isMap(c)) continue;
    const name = str(c, 'name');
    const line = lc.linePos((c as YAMLMap).range?.[0] ?? 0).line || 1;
    if (name) out.cases.push({ name, line });
    else out.problems.push({ message: 'a case has no name:', line });
    addTables(c.get('tables', true));
  }
  return out;
}
