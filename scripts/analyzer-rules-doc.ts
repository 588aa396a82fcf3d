// `npm run docs:analyzer`: writes the analyzer rule tables into README.md and the reasoning README
// between their markers; `--check` exits 1 when a file disagrees with the rules.
import * as fs from 'fs';
import * as path from 'path';
import { withGeneratedTables } from '../src/core/analyzer/reasoning/rulesDoc';

export const RULE_DOCS = ['README.md', 'src/core/analyzer/reasoning/README.md'];

const root = path.resolve(__dirname, '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const rel of RULE_DOCS) {
  const file = path.join(root, rel);
  const text = fs.readFileSync(file, 'utf8');
  const next = withGeneratedTables(text);
  if (next === text) continue;
  if (check) {
    console.error(`${rel}: analyzer rule tables differ from the rules; run npm run docs:analyzer`);
    stale++;
  } else {
    fs.writeFileSync(file, next);
    console.log(`${rel}: analyzer rule tables updated`);
  }
}
process.exitCode = stale ? 1 : 0;
