// Detection rule files in the real host: the rule CodeLens once the workspace's tests are found, and rule lint as
// diagnostics, both through VS Code's own provider commands and diagnostics collection.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { activeExtension, closeAllEditors, waitFor, workspaceFile } from './helpers';

const OURS = new Set(['▶ Test', 'Create test…']);

async function ruleLenses(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
  return (lenses ?? [])
    .filter((l) => OURS.has(l.command?.title ?? ''))
    .map((l) => `${l.command!.title}@${l.range.start.line}`);
}

describe('detection rule files (real extension host)', function () {
  this.timeout(120_000);
  before(() => activeExtension());
  after(() => closeAllEditors());

  it('puts "▶ Test" and "Create test…" on rule files that tests name, and nothing on test files', async () => {
    const spray = workspaceFile('rules', 'identity', 'password-spray.yaml');
    await vscode.window.showTextDocument(spray);
    // the first rule file shown starts the discovery of the workspace's tests; the lenses refresh when it is done
    const titles = await waitFor(
      'the ▶ Test lens',
      async () => {
        const t = await ruleLenses(spray);
        return t.some((x) => x.startsWith('▶ Test')) ? t : undefined;
      },
      60_000,
    );
    assert.deepStrictEqual(titles, ['▶ Test@1', 'Create test…@1']);
    const massDownload = workspaceFile('rules', 'cloudapps', 'mass-download.yaml');
    await vscode.window.showTextDocument(massDownload);
    assert.deepStrictEqual(
      await waitFor('the Create test… lens', async () => {
        const t = await ruleLenses(massDownload);
        return t.length > 0 ? t : undefined;
      }),
      ['Create test…@1'],
    );
    const testFile = workspaceFile('tests', 'password-spray.test.yaml');
    await vscode.window.showTextDocument(testFile);
    assert.deepStrictEqual(await ruleLenses(testFile), []);
  });

  it('lints a rule file as it is opened into positioned diagnostics', async () => {
    const sample = fs.readFileSync(workspaceFile('rules', 'identity', 'password-spray.yaml').fsPath, 'utf8');
    const rule = workspaceFile('rules', 'host-lint-spray.yaml');
    fs.writeFileSync(
      rule.fsPath,
      sample.replace('queryPeriod: 1d', 'queryPeriod: 30m').replace('columnName: IPAddress', 'columnName: SourceIp'),
    );
    try {
      await vscode.window.showTextDocument(rule);
      const diags = await waitFor(
        'rule diagnostics',
        () => {
          const d = vscode.languages.getDiagnostics(rule);
          return d.length >= 2 ? d : undefined;
        },
        60_000,
      );
      assert.deepStrictEqual(
        diags.map((d) => `${d.range.start.line}: ${d.message.slice(0, 60)}`),
        [
          '11: queryPeriod (30m) is shorter than queryFrequency (1h): event',
          "36: entity mapping IP.Address uses the column 'SourceIp', which ",
        ],
      );
    } finally {
      await closeAllEditors();
      fs.rmSync(rule.fsPath, { force: true });
    }
  });
});
