// The shell: log, status bar, demo README, lake snapshots. Backend switching lives with the triage feature.
import * as vscode from 'vscode';
import { clearSnapshots, userSnapshotStore } from '../../core/lake/snapshot';
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
  registerCommand(ctx, Commands.clearLakeSnapshots, 'Clear Lake Snapshots', () => {
    const store = userSnapshotStore({ ...process.env, SWB_LAKE_CACHE: undefined });
    if (!store) { void vscode.window.showInformationMessage('There is no lake snapshot folder to clear.'); return; }
    const { files, bytes } = clearSnapshots(store);
    ctx.log.info(`cleared ${files} lake snapshot(s) from ${store.dir}`);
    void vscode.window.showInformationMessage(`Removed ${files} lake snapshot(s), ${(bytes / 2 ** 20).toFixed(1)} MB. Lakes are parsed again the next time they are opened.`);
  });
}
