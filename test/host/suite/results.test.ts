// Running a block through its CodeLens command in the real host opens the results panel (a webview tab).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activeExtension, closeAllEditors, waitFor, workspaceFile } from './helpers';

function resultTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter(
      (t) => t.input instanceof vscode.TabInputWebview && /results/i.test((t.input as vscode.TabInputWebview).viewType),
    );
}

describe('results panel (real extension host)', function () {
  this.timeout(120_000);
  before(() => activeExtension());
  after(() => closeAllEditors());

  it('the Run lens of the seed baseline opens one results tab for the file, reused on a second run', async () => {
    const uri = workspaceFile('baselines', 'signin-baseline.kql');
    await vscode.window.showTextDocument(uri);
    const lenses = await waitFor('CodeLens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return l && l.length > 0 ? l : undefined;
    });
    const run = lenses.find((l) => /Run$/.test(l.command?.title ?? '') || /▶ Run/.test(l.command?.title ?? ''));
    assert.ok(run?.command, `a Run lens: ${lenses.map((l) => l.command?.title).join(' | ')}`);
    await vscode.commands.executeCommand(run.command.command, ...(run.command.arguments ?? []));
    const tabs = await waitFor('a results tab', () => (resultTabs().length > 0 ? resultTabs() : undefined), 90_000);
    assert.strictEqual(tabs.length, 1);
    await vscode.commands.executeCommand(run.command.command, ...(run.command.arguments ?? []));
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(resultTabs().length, 1, 'a second run reuses the panel of the file');
  });
});
