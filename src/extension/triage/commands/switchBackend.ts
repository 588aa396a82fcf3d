// Switch Backend (the status bar item): the local demo lake, the Azure workspace last connected, or connect to another.
import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import { read, Settings, write } from '../../settings';
import { settingsTarget } from '../connect';
import type { TriageServices } from '../services';

export const switchBackend: Command<TriageServices> = {
  id: Commands.switchBackend,
  title: 'Switch Backend',
  async run(s) {
    const { backends } = s;
    const id = read(Settings.azureWorkspaceResourceId).trim();
    const name = /\/workspaces\/([^/]+)$/i.exec(id)?.[1];
    const kind = backends.kind;
    const items: (vscode.QuickPickItem & { run: () => Thenable<unknown> })[] = [
      {
        label: '$(shield) Local demo lake',
        description: kind === 'local' ? 'active' : undefined,
        detail: 'Offline: the embedded lake',
        run: () => vscode.commands.executeCommand(Commands.useLocalLake),
      },
    ];
    if (name) {
      items.push({
        label: `$(azure) Azure: ${name}`,
        description: kind === 'azure' ? 'active' : undefined,
        detail: id,
        run: async () => {
          await write(Settings.backend, 'azure', settingsTarget());
          s.backendSettingsApplied();
          backends.reset();
        },
      });
    }
    items.push({
      label: '$(plug) Connect to an Azure workspace…',
      run: () => vscode.commands.executeCommand(Commands.connectAzure),
    });
    const pick = await vscode.window.showQuickPick(items, {
      title: 'Sentinel Workbench backend',
      placeHolder: `Active: ${backends.label}`,
    });
    if (pick) await pick.run();
  },
};
