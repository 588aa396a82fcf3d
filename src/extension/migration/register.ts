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
  const store = new ChecklistStore(ctx.extension.workspaceState);
  const statusBar = new DeadlineStatusBar(store);
  let panel: Promise<ChecklistPanel> | undefined;
  const getPanel = () =>
    (panel ??= import('./checklistPanel').then(({ ChecklistPanel }) => {
      const p = new ChecklistPanel(ctx, store);
      ctx.extension.subscriptions.push(p);
      return p;
    }));

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
