// The Sentinel → Defender portal migration checklist: command, panel (restored after reloads) and the
// next-deadline status bar item. The panel code loads on first use, not at activation.
import * as vscode from 'vscode';
import { registerCommands } from '../command';
import type { FeatureContext } from '../features';
import { requireBundle } from '../lazyBundle';
import type { ChecklistPageState } from '../../webview/_checklistProtocol';
import type { ChecklistPanel } from './checklistPanel';
import { DeadlineStatusBar } from './statusBar';
import { ChecklistStore } from './store';
import { openMigrationChecklist } from './commands/openMigrationChecklist';
import { CHECKLIST_VIEW_TYPE } from './viewType';

export function registerMigration(ctx: FeatureContext): void {
  const storage = ctx.extension.storageUri;
  const store = new ChecklistStore(
    ctx.extension.workspaceState,
    storage?.scheme === 'file' ? storage.fsPath : undefined,
  );
  const statusBar = new DeadlineStatusBar(store);
  let panel: ChecklistPanel | undefined;
  const getPanel = async (): Promise<ChecklistPanel> => {
    if (!panel) {
      // Loaded on first use from its own bundle (the rule loader and YAML parser stay out of activation).
      const { ChecklistPanel: Panel } = requireBundle<typeof import('./checklistPanel')>(
        ctx.extension.extensionPath,
        'migration-panel',
      );
      panel = new Panel(ctx, store);
      ctx.extension.subscriptions.push(panel);
    }
    return panel;
  };

  ctx.extension.subscriptions.push(
    store,
    statusBar,
    vscode.window.registerWebviewPanelSerializer(CHECKLIST_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel, state: unknown) =>
        (await getPanel()).deserializeWebviewPanel(webviewPanel, state as ChecklistPageState | undefined),
    }),
  );

  registerCommands(ctx, { panel: getPanel }, [openMigrationChecklist]);
}
