// The CodeLens provider, asked through VS Code's own command on a real document.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activeExtension, closeAllEditors, waitFor, workspaceFile } from './helpers';

describe('CodeLens on query blocks (real extension host)', () => {
  before(() => activeExtension());
  after(() => closeAllEditors());

  it('offers Run and Baseline on every block of the sample baseline, with their commands', async () => {
    const uri = workspaceFile('baselines', 'signin-baseline.kql');
    await vscode.window.showTextDocument(uri);
    const lenses = await waitFor('CodeLens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return l && l.length > 0 ? l : undefined;
    });
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.some((t) => t.includes('Run')),
      titles.join(' | '),
    );
    assert.ok(
      titles.some((t) => t.includes('Baseline')),
      titles.join(' | '),
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const l of lenses)
      assert.ok(!l.command || registered.has(l.command.command), `lens command ${l.command?.command} is registered`);
  });

  it('shows a Parameters lens for a `let Name = "value";` string parameter', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'kql',
      content: 'let TargetUpn = "megan.bowen@contoso.com";\nSigninLogs\n| where UserPrincipalName == TargetUpn\n',
    });
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor('parameter lens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
      return l?.some((x) => /TargetUpn/.test(x.command?.title ?? '')) ? l : undefined;
    });
    assert.ok(
      lenses.some((x) => /TargetUpn=megan\.bowen@contoso\.com/.test(x.command?.title ?? '')),
      lenses.map((l) => l.command?.title).join(' | '),
    );
  });
});
