// Opens the demo workspace's README (the folder's own, or sample/README.md) as a Markdown preview.
import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { FeatureContext } from '../../features';

export const openDemoReadme: Command<FeatureContext> = {
  id: Commands.openDemoReadme,
  title: 'Open Demo README',
  async run() {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const candidates = folder
      ? [vscode.Uri.joinPath(folder.uri, 'README.md'), vscode.Uri.joinPath(folder.uri, 'sample', 'README.md')]
      : [];
    for (const uri of candidates) {
      try {
        await vscode.workspace.fs.stat(uri);
        await vscode.commands.executeCommand('markdown.showPreview', uri);
        return;
      } catch {
        // try the next candidate
      }
    }
    void vscode.window.showInformationMessage(
      'Open the `sample/` folder of Sentinel Workbench to explore the demo workspace.',
    );
  },
};
