// The Entity Analyzer in VS Code: commands (editor selection, entity nodes, CodeLens, palette, incidents),
// the Analyses view, the verdict panel, the selection context key and the MCP server definitions.
// The governed client (scheduler, cache, job state machine) lives in src/core/analyzer.
import * as vscode from 'vscode';
import { systemClock } from '../../core/analyzer/clock';
import { verdictToMarkdown } from '../../core/analyzer/markdown';
import type { AnalysisJob } from '../../core/analyzer/job';
import { AnalyzerService } from '../../core/analyzer/service';
import type { AnalysisEntity, AnalysisRequest, AnalysisResult } from '../../core/analyzer/types';
import type { VerdictMeta } from '../../webview/_verdictProtocol';
import type { BackendManager } from '../backendManager';
import { registerCommands } from '../command';
import { Commands } from '../commandIds';
import { reportError } from '../errors';
import type { FeatureContext } from '../features';
import { read, readAnalyzerSettings, Settings } from '../settings';
import { AnalysesTree } from './analysesView';
import { analyzeEntity } from './commands/analyzeEntity';
import { analyzeIncidentEntities } from './commands/analyzeIncidentEntities';
import { cancelAnalysis } from './commands/cancelAnalysis';
import { copyAnalysis } from './commands/copyAnalysis';
import { openAnalysis } from './commands/openAnalysis';
import { rerunAnalysis } from './commands/rerunAnalysis';
import { EVIDENCE_SCHEME, EvidenceDocuments } from './evidenceDocs';
import { registerMcpServers } from './mcpProvider';
import { followJob } from './progress';
import { backendNow, pickIncident, type AnalyzerCommandServices } from './services';
import { selectionLooksLikeEntity, windowFor } from './targets';
import { VERDICT_VIEW_TYPE, VerdictActions, VerdictPanels } from './verdictPanel';
import { MAX_COMMENT_CHARS } from '../../core/backends/limits';

export const ANALYSES_VIEW = 'sentinelWorkbench.analyses';
export const SELECTION_CONTEXT_KEY = 'sentinelWorkbench.selectionIsEntity';

/** Which backend and workspace results belong to (part of the cache key). */
export function backendScope(backends: BackendManager): string {
  if (backends.kind === 'azure') {
    return `azure:${read(Settings.azureWorkspaceResourceId).toLowerCase()}`;
  }
  return `local:${backends.lakeDir() ?? 'demo'}`;
}

export function registerAnalyzer(ctx: FeatureContext): void {
  const ext = ctx.extension;
  const service = new AnalyzerService({
    clock: systemClock,
    store: ext.globalState,
    settings: readAnalyzerSettings,
    backend: () => ctx.backends.current(),
    scope: () => backendScope(ctx.backends),
    logger: ctx.logger,
  });
  const panels = new VerdictPanels(ext);
  const tree = new AnalysesTree(service);
  const view = vscode.window.createTreeView(ANALYSES_VIEW, { treeDataProvider: tree });
  tree.view = view;
  ext.subscriptions.push(
    { dispose: () => service.dispose() },
    panels,
    tree,
    view,
    vscode.window.registerWebviewPanelSerializer(VERDICT_VIEW_TYPE, panels),
  );

  const updateBadge = () => {
    const active = service.list().filter((j) => !j.done).length;
    view.badge = active
      ? { value: active, tooltip: `${active} analys${active === 1 ? 'is' : 'es'} queued or running` }
      : undefined;
  };
  ext.subscriptions.push({ dispose: service.onDidChange(updateBadge) });

  /** The incident each job was started from (preselected for "Add as incident comment"). */
  const incidentOf = new Map<string, string>();
  const metaFor = (job: AnalysisJob | undefined, extra: Partial<VerdictMeta> = {}): VerdictMeta => {
    if (job && extra.incidentId) incidentOf.set(job.id, extra.incidentId);
    return {
      ...extra,
      jobId: job?.id,
      fromCache: job?.fromCache ?? false,
      backendLabel: ctx.backends.label,
      incidentId: extra.incidentId ?? (job ? incidentOf.get(job.id) : undefined),
    };
  };

  const showVerdict = (job: AnalysisJob, extra: Partial<VerdictMeta> = {}) => {
    if (job.result) panels.show(job.result, metaFor(job, extra));
  };

  const follow = async (job: AnalysisJob, extra: Partial<VerdictMeta> = {}) => {
    await followJob(job, {
      onCompleted: (j) => showVerdict(j, extra),
      onRerun: (j) => void run(() => service.rerun(j.id).job, extra).catch((e) => reportError(e, 'Re-run Analysis')),
      showLog: () => ctx.log.show(true),
    });
  };

  /** Starts (or joins) a run and follows it with a progress notification. */
  const run = async (start: () => AnalysisJob, extra: Partial<VerdictMeta> = {}) => {
    const job = start();
    await follow(job, extra);
  };

  const analyze = async (target: AnalysisEntity, days: number, extra: Partial<VerdictMeta> = {}) => {
    const backend = await ctx.backends.current();
    const end = await backendNow(backend, ctx.logger);
    const request: AnalysisRequest = { entity: target, ...windowFor(end, days) };
    const outcome = service.request(request);
    if (outcome.cached) {
      showVerdict(outcome.job, extra);
      const age = Math.max(1, Math.round(outcome.cached.ageMs / 60_000));
      void vscode.window
        .showInformationMessage(
          `Showing the cached verdict for ${target.id} from ${age} min ago (no run spent).`,
          'Re-run',
        )
        .then((choice) => {
          if (choice === 'Re-run')
            void run(() => service.request(request, { force: true }).job, extra).catch((e) =>
              reportError(e, 'Re-run Analysis'),
            );
        });
      return;
    }
    await follow(outcome.job, extra);
  };

  const services: AnalyzerCommandServices = { ctx, service, tree, view, incidentOf, analyze, run, follow, showVerdict };
  registerCommands(ctx, services, [
    analyzeEntity,
    analyzeIncidentEntities,
    openAnalysis,
    rerunAnalysis,
    cancelAnalysis,
    copyAnalysis,
  ]);

  const evidence = new EvidenceDocuments();
  ext.subscriptions.push(evidence, vscode.workspace.registerTextDocumentContentProvider(EVIDENCE_SCHEME, evidence));
  panels.actions = verdictActions(ctx, service, run, evidence);

  // Context key for the editor context menu: a cheap check (single line, ≤ 2 KB, a few regexes), set only
  // when it changes, so the menu item is right the moment the menu opens.
  let lastKey: boolean | undefined;
  const updateSelectionKey = (editor: vscode.TextEditor | undefined) => {
    const sel = editor?.selection;
    let value = false;
    if (editor && sel && !sel.isEmpty && sel.isSingleLine && sel.end.character - sel.start.character <= 2048) {
      value = selectionLooksLikeEntity(editor.document.getText(sel));
    }
    if (value !== lastKey) {
      lastKey = value;
      void vscode.commands.executeCommand('setContext', SELECTION_CONTEXT_KEY, value);
    }
  };
  ext.subscriptions.push(
    vscode.window.onDidChangeTextEditorSelection((e) => updateSelectionKey(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor((e) => updateSelectionKey(e)),
  );
  updateSelectionKey(vscode.window.activeTextEditor);

  registerMcpServers(ext, ctx.backends, ctx.logger);

  // Analyses that were in flight when the window closed resume polling, off the activation path.
  if (service.cache.inflight().length) {
    const timer = setTimeout(() => service.resume(), 1500);
    ext.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
}

function verdictActions(
  ctx: FeatureContext,
  service: AnalyzerService,
  run: (start: () => AnalysisJob, extra?: Partial<VerdictMeta>) => Promise<void>,
  evidence: EvidenceDocuments,
): VerdictActions {
  const openQuery = async (result: AnalysisResult, index: number) => {
    const item = result.evidence[index];
    const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').slice(0, 200);
    const header = `// Evidence: ${oneLine(item.title)} (${oneLine(item.table)})\n// Entity Analyzer, ${oneLine(result.entity.id)}, window ${result.window.startTime} → ${result.window.endTime}\n`;
    await evidence.open(item.title, `${header}${item.query}\n`);
  };
  return {
    openQuery,
    runQuery: async (result, index) => {
      const commands = await vscode.commands.getCommands(true);
      if (!commands.includes(Commands.runQuery)) return openQuery(result, index);
      const item = result.evidence[index];
      await vscode.commands.executeCommand(Commands.runQuery, { query: item.query, title: `Evidence: ${item.title}` });
    },
    copyMarkdown: async (result) => {
      await vscode.env.clipboard.writeText(verdictToMarkdown(result, { queries: true, now: Date.now() }));
      vscode.window.setStatusBarMessage('Copied the verdict as Markdown', 2500);
    },
    addComment: async (result, meta) => {
      const backend = await ctx.backends.current();
      const format = read(Settings.timeFormat);
      const incident = await pickIncident(
        backend,
        meta.incidentId,
        `Add the verdict on ${result.entity.id} as a comment to which incident?`,
        { entity: result.entity.id, logger: ctx.logger, format },
      );
      if (!incident) return undefined;
      const message = verdictToMarkdown(result, { maxLength: MAX_COMMENT_CHARS, now: Date.now() });
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Adding a comment to incident #${incident.number}…` },
        () => backend.addIncidentComment(incident.id, message),
      );
      ctx.backends.incidentChanged({ incidentId: incident.id, comments: true });
      const done = `Added the verdict as a comment to incident #${incident.number}.`;
      void vscode.window.showInformationMessage(done);
      return done;
    },
    rerun: async (result, meta) => {
      const request: AnalysisRequest = {
        entity: result.entity,
        startTime: result.window.startTime,
        endTime: result.window.endTime,
      };
      // Keep the window's length, ending at the backend's now.
      const backend = await ctx.backends.current();
      const end = await backendNow(backend, ctx.logger);
      const length = Date.parse(request.endTime) - Date.parse(request.startTime);
      const fresh = {
        ...request,
        startTime: new Date(end - length).toISOString(),
        endTime: new Date(end).toISOString(),
      };
      await run(() => service.request(fresh, { force: true }).job, { incidentId: meta.incidentId });
    },
  };
}
