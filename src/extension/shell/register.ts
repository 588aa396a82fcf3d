// The shell: log, status bar, demo README. Backend switching lives with the triage feature.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { FeatureContext, registerCommand } from '../features';

export function registerShell(ctx: FeatureContext): void {
  registerCommand(ctx, Commands.showLog, 'Show Log', () => ctx.log.show());
  registerCommand(ctx, Commands.openDemoReadme, 'Open Demo README', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const candidates = folder ? [vscode.Uri.joinPath(folder.uri, 'README.md'), vscode.Uri.joinPath(folder.uri, 'sample', 'README.md')] : [];
    for (const uri of candidates) {
      try {
        await vscode.workspace.fs.stat(uri);
        await vscode.commands.executeCommand('markdown.showPreview', uri);
        return;
      } catch {
        // try the next candidate
      }
    }
    void vscode.window.showInformationMessage('Open the `sample/` folder of Sentinel Workbench to explore the demo workspace.');
  });
}
