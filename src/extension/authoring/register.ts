// KQL authoring: CodeLens on query blocks, run / baseline / parameters / templates, the results panel.
import * as path from 'path';
import * as vscode from 'vscode';
import { QueryHistory } from '../../core/history';
import { registerCommands } from '../command';
import type { FeatureContext } from '../features';
import { affects, read, Settings } from '../settings';
import { QueryBlockCodeLensProvider } from './codeLens';
import { addKustoCluster } from './commands/addKustoCluster';
import { clearHistory } from './commands/clearHistory';
import { copyHistoryQuery } from './commands/copyHistoryQuery';
import { editParameters } from './commands/editParameters';
import { newBaselineFromTemplate } from './commands/newBaselineFromTemplate';
import { openHistoryEntry } from './commands/openHistoryEntry';
import { rerunHistoryEntry } from './commands/rerunHistoryEntry';
import { runBaseline } from './commands/runBaseline';
import { runQuery } from './commands/runQuery';
import { selectQueryTarget } from './commands/selectQueryTarget';
import { HISTORY_VIEW, HistoryTree } from './historyView';
import { startLanguageClient } from './languageClient';
import { RESULTS_VIEW_TYPE, ResultsPanels } from './resultsPanel';
import { QueryRunner } from './runner';
import type { AuthoringServices } from './services';
import { QueryTargets } from './targets';

/** Returns the results panels, which other features (detection tests) show rows in. */
export function registerAuthoring(ctx: FeatureContext): ResultsPanels {
  const panels = new ResultsPanels(ctx.extension);
  const targets = new QueryTargets(ctx);
  const lenses = new QueryBlockCodeLensProvider(targets);
  // Results can hold sensitive data: they live in the extension's global storage, never in the workspace.
  const history = new QueryHistory({
    dir: path.join(ctx.extension.globalStorageUri.fsPath, 'history'),
    storeResults: () => read(Settings.historySaveResults),
    maxResultBytes: read(Settings.historyMaxResultMegabytes) * 1024 * 1024,
  });
  const historyTree = new HistoryTree(history, () => read(Settings.timeFormat));
  const runner = new QueryRunner(
    ctx,
    panels,
    {
      record: async (run, result) => {
        try {
          await history.add(run, result);
        } catch (e) {
          ctx.logger.warn(`Query history: could not record the run: ${(e as Error).message}`);
        }
        historyTree.refresh();
      },
    },
    targets,
  );
  ctx.extension.subscriptions.push(
    historyTree,
    vscode.window.createTreeView(HISTORY_VIEW, { treeDataProvider: historyTree }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, Settings.historySaveResults) && !read(Settings.historySaveResults)) {
        void history.clearResults().then(() => historyTree.refresh());
      }
      if (affects(e, Settings.timeFormat)) historyTree.refresh();
    }),
    panels,
    targets,
    runner,
    vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, panels),
    lenses,
    vscode.languages.registerCodeLensProvider({ language: 'kql' }, lenses),
  );

  const services: AuthoringServices = { runner, panels, history, historyTree, targets };
  registerCommands(ctx, services, [
    runQuery,
    runBaseline,
    editParameters,
    newBaselineFromTemplate,
    openHistoryEntry,
    rerunHistoryEntry,
    copyHistoryQuery,
    clearHistory,
    selectQueryTarget,
    addKustoCluster,
  ]);

  // The language server starts on the first KQL document, never during activation.
  const startServer = (doc: vscode.TextDocument) => {
    if (doc.languageId === 'kql')
      void startLanguageClient(ctx).catch((e) => ctx.logger.error(`KQL language server: ${e}`));
  };
  ctx.extension.subscriptions.push(vscode.workspace.onDidOpenTextDocument(startServer));
  vscode.workspace.textDocuments.forEach(startServer);
  return panels;
}
