// The files a detection test reads, for --changed-since and re-running on save.
import * as path from 'path';
import type { DetectionTestFile } from './testFile';

/** Everything a test file reads, absolute: for --changed-since and re-run on save. */
export function testInputs(testFile: string, test: DetectionTestFile): string[] {
  const dir = path.dirname(testFile);
  const out = [testFile, path.resolve(dir, test.rule)];
  if (typeof test.schema === 'string') out.push(path.resolve(dir, test.schema));
  const add = (tables: DetectionTestFile['tables']) => {
    for (const src of Object.values(tables ?? {})) if (typeof src === 'string') out.push(path.resolve(dir, src));
  };
  add(test.tables);
  for (const c of test.cases) add(c.tables);
  return [...new Set(out)];
}
