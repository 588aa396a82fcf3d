// The fences between layers are enforced by ESLint (eslint.config.mjs). These tests run the linter over
// the project, and probe each fence with a file that breaks it, written into a temporary copy of the
// config, so a fence that silently stops working fails here.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ESLint as ESLintType } from 'eslint';

const ROOT = path.resolve(__dirname, '..', '..');
// eslint is ESM-first; require() of it works on Node ≥ 20.19.
const { ESLint } = require('eslint') as typeof import('eslint');

function format(results: ESLintType.LintResult[]): string {
  return results
    .flatMap((r) =>
      r.messages.map(
        (m) => `${path.relative(ROOT, r.filePath)}:${m.line}:${m.column} ${m.ruleId ?? 'parse'}: ${m.message}`,
      ),
    )
    .join('\n');
}

describe('lint', function () {
  this.timeout(180_000);

  it('the project has no lint errors or warnings (npm run lint)', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const results = await eslint.lintFiles(['.']);
    const problems = results.filter((r) => r.messages.length > 0);
    assert.strictEqual(problems.length, 0, `lint problems:\n${format(problems)}`);
  });

  describe('fence probes (a file that breaks the fence, in a temporary copy)', () => {
    let dir: string;
    let eslint: ESLintType;

    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-fence-'));
      fs.copyFileSync(path.join(ROOT, 'eslint.config.mjs'), path.join(dir, 'eslint.config.mjs'));
      fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      for (const d of ['src/core/kql', 'src/core/lake', 'src/extension', 'src/webview', 'src/server', 'src/cli'])
        fs.mkdirSync(path.join(dir, d), { recursive: true });
      fs.writeFileSync(path.join(dir, 'src/extension/panel.ts'), 'export const panel = 1;\n');
      fs.writeFileSync(path.join(dir, 'src/cli/io.ts'), 'export const io = 1;\n');
      fs.writeFileSync(path.join(dir, 'src/core/lake/lake.ts'), 'export const lake = 1;\n');
      eslint = new ESLint({ cwd: dir });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function lintProbe(rel: string, text: string): Promise<string[]> {
      fs.writeFileSync(path.join(dir, rel), text);
      const [result] = await eslint.lintFiles([rel]);
      return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
    }

    const cases: Array<[string, string, string, RegExp]> = [
      [
        'core: import of vscode',
        'src/core/kql/a.ts',
        "import * as vscode from 'vscode';\nexport const x = vscode;\n",
        /no-restricted-imports/,
      ],
      [
        'core: import() of vscode',
        'src/core/kql/b.ts',
        "export async function f() { return import('vscode'); }\n",
        /no-restricted-syntax/,
      ],
      [
        'core: typeof import type of vscode',
        'src/core/kql/c.ts',
        "export type V = typeof import('vscode');\n",
        /no-restricted-syntax/,
      ],
      ['core: require of vscode', 'src/core/kql/d.ts', "export const v = require('vscode');\n", /no-restricted-syntax/],
      [
        'core: import of the extension layer',
        'src/core/kql/e.ts',
        "import { panel } from '../../extension/panel';\nexport const x = panel;\n",
        /no-restricted-imports/,
      ],
      [
        'core: type import of the extension layer',
        'src/core/kql/f.ts',
        "export type P = typeof import('../../extension/panel');\n",
        /no-restricted-syntax/,
      ],
      [
        'webview: import of vscode',
        'src/webview/a.ts',
        "import * as vscode from 'vscode';\nexport const x = vscode;\n",
        /no-restricted-imports/,
      ],
      [
        'webview: Node built-in',
        'src/webview/b.ts',
        "import * as fs from 'fs';\nexport const x = fs;\n",
        /no-restricted-imports/,
      ],
      [
        'webview: node: built-in',
        'src/webview/c.ts',
        "import * as fs from 'node:fs';\nexport const x = fs;\n",
        /no-restricted-imports/,
      ],
      [
        'webview: Node-only core module',
        'src/webview/d.ts',
        "import { lake } from '../core/lake/lake';\nexport const x = lake;\n",
        /no-restricted-imports/,
      ],
      [
        'webview: extension layer',
        'src/webview/e.ts',
        "import { panel } from '../extension/panel';\nexport const x = panel;\n",
        /no-restricted-imports/,
      ],
      [
        'server: the CLI',
        'src/server/a.ts',
        "import { io } from '../cli/io';\nexport const x = io;\n",
        /no-restricted-imports/,
      ],
      [
        'a disable comment that does not say why',
        'src/core/kql/g.ts',
        '// eslint-disable-next-line no-control-regex\nexport const re = /\\x00/;\n',
        /require-description/,
      ],
      [
        'a disable comment that disables nothing',
        'src/core/kql/h.ts',
        '// eslint-disable-next-line no-control-regex -- no control character here\nexport const re = /a/;\n',
        /Unused eslint-disable directive/,
      ],
      [
        'a disable comment without a rule',
        'src/core/kql/i.ts',
        '/* eslint-disable -- everything */\nexport const x = 1;\n',
        /no-unlimited-disable/,
      ],
    ];
    for (const [title, rel, text, rule] of cases) {
      it(`fails on ${title}`, async () => {
        const messages = await lintProbe(rel, text);
        assert.ok(
          messages.some((m) => rule.test(m)),
          `expected ${rule} for ${rel}, got: ${messages.join('; ') || 'no problems'}`,
        );
      });
    }

    it('fails on an import cycle', async () => {
      fs.writeFileSync(
        path.join(dir, 'src/core/kql/cycleB.ts'),
        "import { a } from './cycleA';\nexport const b = () => a;\n",
      );
      const messages = await lintProbe(
        'src/core/kql/cycleA.ts',
        "import { b } from './cycleB';\nexport const a = () => b;\n",
      );
      assert.ok(
        messages.some((m) => /import-x\/no-cycle/.test(m)),
        messages.join('; ') || 'no problems',
      );
    });

    it('passes a file that respects the fences (the probes are not failing for another reason)', async () => {
      const messages = await lintProbe(
        'src/core/kql/ok.ts',
        "import { lake } from '../lake/lake';\nexport const ok = lake + 1;\n",
      );
      assert.deepStrictEqual(messages, []);
    });
  });
});
