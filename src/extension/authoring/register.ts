// KQL authoring: CodeLens on query blocks, run / baseline / parameters / templates, the results panel.
import * as path from 'path';
import * as vscode from 'vscode';
import { blockAtLine, splitQueryBlocks } from '../../core/kql/blocks';
import { findParameters, quoteKqlString, validateParameterValue } from '../../core/kql/parameters';
import { BASELINE_TEMPLATES, renderTemplate } from '../../core/kql/templates';
import { parseCustomRange, RANGE_PRESETS } from '../../core/timeRange';
import type { TimeRange } from '../../core/types';
import { Commands } from '../commandIds';
import { FeatureContext, registerCommand } from '../features';
import { BlockArgs, QueryBlockCodeLensProvider } from './codeLens';
import { startLanguageClient } from './languageClient';
import { RESULTS_VIEW_TYPE, ResultsPanels } from './resultsPanel';
import { QueryRunner, RunRequest } from './runner';
import { QueryHistory } from '../../core/history';
import { formatTime } from '../../core/timeFormat';
import { affects, read, Settings } from '../settings';
import { UserError } from '../../core/errors';
import { HISTORY_VIEW, HistoryNode, HistoryTree } from './historyView';
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
  const runner = new QueryRunner(ctx, panels, {
    record: async (run, result) => {
      try {
        await history.add(run, result);
      } catch (e) {
        ctx.logger.warn(`Query history: could not record the run: ${(e as Error).message}`);
      }
      historyTree.refresh();
    },
  }, targets);
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

  registerCommand(ctx, Commands.runQuery, 'Run Query', async (arg?: unknown) => {
    const request = await requestFrom(arg);
    if (request) await runner.run(request);
  });

  const entryOf = async (arg: unknown) => {
    const id = (arg as { historyId?: unknown } | undefined)?.historyId ?? (arg as HistoryNode | undefined)?.entry?.id;
    const entry = typeof id === 'string' ? (await history.list()).find((e) => e.id === id) : undefined;
    if (!entry) throw new UserError('Pick a run in the History view.');
    return entry;
  };
  registerCommand(ctx, Commands.openHistoryEntry, 'Reopen Result', async (arg?: unknown) => {
    const entry = await entryOf(arg);
    const result = await history.result(entry.id);
    if (!result) {
      void vscode.window.showInformationMessage(`No saved result for ${entry.title}${entry.error ? ' (the run failed)' : ''}. Use Run Again from the History view to run it.`);
      return;
    }
    const panel = panels.show(`history:${entry.id}`, entry.title);
    panel.rerun = () => void runner.run({ query: entry.query, title: entry.title });
    panel.showResult(result, {
      title: entry.title, backend: entry.backend, timeRange: entry.timeRange, ranAt: entry.ranAt,
      note: `Saved result from ${formatTime(entry.ranAt, read(Settings.timeFormat), { seconds: true })}: not run again.`,
    });
  });
  registerCommand(ctx, Commands.rerunHistoryEntry, 'Run Again', async (arg?: unknown) => {
    const entry = await entryOf(arg);
    await runner.run({ query: entry.query, title: entry.title });
  });
  registerCommand(ctx, Commands.copyHistoryQuery, 'Copy Query', async (arg?: unknown) => {
    const entry = await entryOf(arg);
    await vscode.env.clipboard.writeText(entry.query);
    vscode.window.setStatusBarMessage(`Copied the query of ${entry.title}`, 2500);
  });
  registerCommand(ctx, Commands.clearHistory, 'Clear Query History', async () => {
    const yes = await vscode.window.showWarningMessage('Clear the query history and its saved results?', { modal: true }, 'Clear');
    if (yes !== 'Clear') return;
    await history.clear();
    historyTree.refresh();
  });

  registerCommand(ctx, Commands.selectQueryTarget, 'Select Query Target', async (arg?: unknown) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    await targets.pick(uri);
  });

  registerCommand(ctx, Commands.addKustoCluster, 'Add Kusto Cluster', async () => {
    const id = await targets.addKustoCluster();
    const editor = vscode.window.activeTextEditor;
    if (id && editor?.document.languageId === 'kql') await targets.set(editor.document.uri, id);
  });

  registerCommand(ctx, Commands.runBaseline, 'Run Baseline', async (arg?: unknown) => {
    const request = await requestFrom(arg);
    if (!request) return;
    const range = await pickRange();
    if (!range) return;
    await runner.run({ ...request, range, title: `${request.title} (${range.label})` });
  });

  registerCommand(ctx, Commands.editParameters, 'Edit Parameters', async (arg?: BlockArgs) => {
    const target = await blockFrom(arg);
    if (!target) return;
    const { editor, block } = target;
    const params = findParameters(block.text, block.startLine);
    if (!params.length) {
      void vscode.window.showInformationMessage('This query block declares no string parameters (let Name = "value";).');
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const p of params) {
      const value = await vscode.window.showInputBox({
        title: `Parameter ${p.name}`,
        prompt: `New value for ${p.name} (written as an escaped KQL string literal)`,
        value: p.value,
        validateInput: (v) => validateParameterValue(p.shape, v),
        ignoreFocusOut: true,
      });
      if (value === undefined) return; // Escape cancels the whole edit: nothing half-applied.
      if (value === p.value) continue;
      edit.replace(editor.document.uri, new vscode.Range(p.line, p.start, p.line, p.end), quoteKqlString(value));
    }
    if (edit.size) await vscode.workspace.applyEdit(edit);
  });

  registerCommand(ctx, Commands.newBaselineFromTemplate, 'New Baseline from Template', async (arg?: { value?: string; templateId?: string }) => {
    const template = arg?.templateId
      ? BASELINE_TEMPLATES.find((t) => t.id === arg.templateId)
      : (await vscode.window.showQuickPick(
          BASELINE_TEMPLATES.map((t) => ({ label: t.title, detail: t.description, template: t })),
          { title: 'New baseline from template', matchOnDetail: true },
        ))?.template;
    if (!template) return;
    const content = renderTemplate(template, arg?.value);
    const document = await vscode.workspace.openTextDocument({ language: 'kql', content });
    await vscode.window.showTextDocument(document);
  });

  // The language server starts on the first KQL document, never during activation.
  const startServer = (doc: vscode.TextDocument) => {
    if (doc.languageId === 'kql') void startLanguageClient(ctx).catch((e) => ctx.logger.error(`KQL language server: ${e}`));
  };
  ctx.extension.subscriptions.push(vscode.workspace.onDidOpenTextDocument(startServer));
  vscode.workspace.textDocuments.forEach(startServer);
  return panels;
}

/** Builds a run request from a command argument: `{ query }`, a CodeLens block, or the editor (selection or block under the cursor). */
async function requestFrom(arg: unknown): Promise<RunRequest | undefined> {
  if (arg && typeof arg === 'object' && typeof (arg as { query?: unknown }).query === 'string') {
    const { query, title } = arg as { query: string; title?: string };
    return { query, title: title ?? 'Query' };
  }
  const editor = vscode.window.activeTextEditor;
  if (!arg && editor && !editor.selection.isEmpty) {
    return {
      query: editor.document.getText(editor.selection),
      title: `${path.basename(editor.document.fileName)} (selection)`,
      source: { uri: editor.document.uri, startLine: editor.selection.start.line },
    };
  }
  const target = await blockFrom(arg as BlockArgs | undefined);
  if (!target) return undefined;
  const { editor: e, block } = target;
  return {
    query: block.text,
    title: `${path.basename(e.document.fileName)}:${block.firstCodeLine + 1}`,
    source: { uri: e.document.uri, startLine: block.startLine, block: true },
  };
}

async function blockFrom(arg: BlockArgs | undefined) {
  let editor = vscode.window.activeTextEditor;
  let line = editor?.selection.active.line ?? 0;
  if (arg?.uri) {
    const uri = vscode.Uri.parse(arg.uri);
    editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === arg.uri) ?? (await vscode.window.showTextDocument(uri, { preserveFocus: true }));
    line = arg.line;
  }
  if (!editor) {
    void vscode.window.showInformationMessage('Open a .kql file and put the cursor in a query to run it.');
    return undefined;
  }
  const block = blockAtLine(splitQueryBlocks(editor.document.getText()), line);
  if (!block) {
    void vscode.window.showInformationMessage('There is no query here to run.');
    return undefined;
  }
  return { editor, block };
}

type RangeChoice = ({ lastHours: number } | TimeRange) & { label: string };

async function pickRange(): Promise<RangeChoice | undefined> {
  const custom = { label: 'Custom…', detail: 'e.g. 3d, 12h, or 2026-11-01 .. 2026-11-08T12:00 (UTC)' };
  const pick = await vscode.window.showQuickPick([...RANGE_PRESETS.map((p) => ({ label: p.label, preset: p })), custom], {
    title: 'Run baseline over',
    placeHolder: 'Time range (relative to the backend clock)',
  });
  if (!pick) return undefined;
  if ('preset' in pick) return { lastHours: pick.preset.hours, label: pick.preset.label.toLowerCase() };
  const text = await vscode.window.showInputBox({
    title: 'Custom time range',
    prompt: custom.detail,
    validateInput: (v) => {
      try {
        parseCustomRange(v, new Date());
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  if (!text) return undefined;
  if (/^\s*\d+(\.\d+)?\s*[hd]\s*$/i.test(text)) {
    const r = parseCustomRange(text, new Date(0));
    return { lastHours: (r.end.getTime() - r.start.getTime()) / 3600_000, label: `last ${text.trim()}` };
  }
  const r = parseCustomRange(text, new Date());
  return { ...r, label: text.trim() };
}
