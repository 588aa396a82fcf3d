// The KQL language server, started by the extension in the real host: diagnostics and completion.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activeExtension, closeAllEditors, waitFor, workspaceDir } from './helpers';

describe('KQL language server (real extension host)', function () {
  this.timeout(240_000);
  before(() => activeExtension());
  after(() => closeAllEditors());

  it('reports a positioned diagnostic for a broken query', async () => {
    // A file in the workspace, as users open them (untitled KQL documents: see the known issue in the README).
    const file = path.join(workspaceDir(), 'host-broken-query.kql');
    fs.writeFileSync(file, 'SigninLogs\n| where UserPrincipalName ==\n| take 10\n');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc);
    // As a user would: if the server was still starting when the document opened, typing makes it look again.
    let nudged = Date.now();
    const diags = await waitFor(
      'diagnostics',
      async () => {
        const d = vscode.languages.getDiagnostics(doc.uri);
        if (d.length > 0) return d;
        if (Date.now() - nudged > 10_000) {
          nudged = Date.now();
          await editor.edit((e) => e.insert(doc.lineAt(doc.lineCount - 1).range.end, ' '));
        }
        return undefined;
      },
      180_000,
    );
    assert.ok(
      diags.some((d) => d.severity === vscode.DiagnosticSeverity.Error),
      diags.map((d) => d.message).join('; '),
    );
    assert.ok(
      diags.every((d) => d.range.start.line <= 2),
      'the diagnostic is placed within the query',
    );
  });

  it('completes columns of the table in scope', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'kql', content: 'SigninLogs\n| where ' });
    await vscode.window.showTextDocument(doc);
    const end = doc.lineAt(1).range.end;
    const items = await waitFor(
      'completion items',
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          doc.uri,
          end,
        );
        const labels = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        return labels.includes('UserPrincipalName') ? labels : undefined;
      },
      180_000,
    );
    assert.ok(items.includes('ResultType'));
  });
});
