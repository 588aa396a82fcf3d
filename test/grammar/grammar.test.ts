// TextMate grammar assertions: every test/grammar/cases/*.kql file is a vscode-tmgrammar-test case
// (`// SYNTAX TEST "source.kql" "title"` header; `//  ^^^ scope` lines assert scopes of the line above,
// `- scope` excludes one). Each asserted source line becomes one mocha test, so grammar checks count in
// `npm test`. Add a case file to add tests; run them alone with `npm run test:grammar`.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { createRegistry } from 'vscode-tmgrammar-test/dist/common/index';
import { parseGrammarTestCase, runGrammarTestCase, type TestFailure } from 'vscode-tmgrammar-test/dist/unit/index';

const ROOT = path.resolve(__dirname, '..', '..');
const CASES = path.join(__dirname, 'cases');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const grammars = manifest.contributes.grammars.map((g: { path: string; scopeName: string; language?: string }) => ({
  ...g,
  path: path.join(ROOT, g.path),
}));

describe('KQL grammar', () => {
  it('is contributed for the kql language with scope source.kql and loads', async () => {
    const kql = grammars.find((g: { language?: string }) => g.language === 'kql');
    assert.ok(kql, 'no grammar contributed for language kql');
    assert.strictEqual(kql.scopeName, 'source.kql');
    const grammar = await createRegistry(grammars).loadGrammar('source.kql');
    assert.ok(grammar, 'source.kql does not load');
  });

  for (const file of fs
    .readdirSync(CASES)
    .filter((f) => f.endsWith('.kql'))
    .sort()) {
    const testCase = parseGrammarTestCase(fs.readFileSync(path.join(CASES, file), 'utf8'));
    describe(`${file}: ${testCase.metadata.description}`, () => {
      let failures: TestFailure[] = [];
      before(async () => {
        failures = await runGrammarTestCase(createRegistry(grammars), testCase);
      });
      for (const a of testCase.assertions) {
        const source = testCase.source[a.sourceLineNumber];
        it(`line ${a.sourceLineNumber + 1}: ${source.trim().slice(0, 70)}`, () => {
          const mine = failures.filter((f) => f.srcLine === a.sourceLineNumber);
          const text = mine.map((f) => {
            const token = source.slice(f.start, f.end);
            return `  "${token}" [${f.start}-${f.end}]${f.missing.length ? ` missing ${f.missing.join(' ')}` : ''}${f.unexpected.length ? ` unexpected ${f.unexpected.join(' ')}` : ''}\n    actual: ${f.actual.join(' ')}`;
          });
          assert.ok(mine.length === 0, `${file}:${a.testCaseLineNumber + 1}\n${text.join('\n')}`);
        });
      }
    });
  }
});
