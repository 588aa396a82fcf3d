// The Sentinel → Defender portal migration checklist: command, panel (restored after reloads) and the
// next-deadline status bar item. The panel code loads on first use, not at activation.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { FeatureContext, registerCommand } from '../features';
import type { ChecklistPanel } from './checklistPanel';
import { DeadlineStatusBar } from './statusBar';
import { ChecklistStore } from './store';

const VIEW_TYPE = 'sentinelWorkbench.checklist';

export function registerMigration(ctx: FeatureContext): void {
  const storage = ctx.extension.storageUri;
  const store = new ChecklistStore(ctx.extension.workspaceState, storage?.scheme === 'file' ? storage.fsPath : undefined);
  const statusBar = new DeadlineStatusBar(store);
  let panel: ChecklistPanel | undefined;
  const getPanel = async (): Promise<ChecklistPanel> => {
    if (!panel) {
      // Loaded on first use (esbuild keeps the module's initialisation lazy behind require).
      const { ChecklistPanel: Panel } = require('./checklistPanel') as typeof import('./checklistPanel');
      panel = new Panel(ctx, store);
      ctx.extension.subscriptions.push(panel);
    }
    return panel;
  };

  ctx.extension.subscriptions.push(
    store,
    statusBar,
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel) => (await getPanel()).deserializeWebviewPanel(webviewPanel),
    }),
  );

  registerCommand(ctx, Commands.openMigrationChecklist, 'Open Migration Checklist', async () => {
    (await getPanel()).show();
  });
}
