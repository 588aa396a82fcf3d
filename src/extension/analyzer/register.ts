// The Entity Analyzer in VS Code: commands (editor selection, entity nodes, CodeLens, palette, incidents),
// the Analyses view, the verdict panel, the selection context key and the MCP server definitions.
// The governed client (scheduler, cache, job state machine) lives in src/core/analyzer.
import * as vscode from 'vscode';
import { read, Settings } from '../settings';
import { systemClock } from '../../core/analyzer/clock';
import { verdictToMarkdown } from '../../core/analyzer/markdown';
import type { AnalysisJob } from '../../core/analyzer/job';
import { AnalyzerService, AnalyzerSettings } from '../../core/analyzer/service';
import type { AnalysisEntity, AnalysisRequest, AnalysisResult } from '../../core/analyzer/types';
import type { Incident, SentinelBackend } from '../../core/backends/types';
import { UserError } from '../../core/errors';
import { incidentsWithEntityQuery } from '../../core/backends/incidents';
import { formatTime, TimeFormat } from '../../core/timeFormat';
import type { VerdictMeta } from '../../webview/_verdictProtocol';
import type { BackendManager } from '../backendManager';
import { Commands } from '../commandIds';
import { reportError } from '../errors';
import { FeatureContext, registerCommand } from '../features';
import { AnalysesTree, AnalysisNode } from './analysesView';
import { registerMcpServers } from './mcpProvider';
import { followJob } from './progress';
import { parseAnalyzeArgument, selectionLooksLikeEntity, targetFromEntity, targetFromText, validateInput, windowFor } from './targets';
import { VERDICT_VIEW_TYPE, VerdictActions, VerdictPanels } from './verdictPanel';
import { EVIDENCE_SCHEME, EvidenceDocuments } from './evidenceDocs';

export const ANALYSES_VIEW = 'sentinelWorkbench.analyses';
export const SELECTION_CONTEXT_KEY = 'sentinelWorkbench.selectionIsEntity';
/** Sentinel's limit on an incident comment. */
const MAX_COMMENT_CHARS = 30_000;

/** Analyzer settings, read on every call. */
export function readAnalyzerSettings(): AnalyzerSettings {
  return {
    maxConcurrent: read(Settings.analyzerMaxConcurrent),
    runsPerHour: read(Settings.analyzerRunsPerHour),
    runsPerDay: read(Settings.analyzerRunsPerDay),
    maxUserWindowDays: read(Settings.analyzerMaxUserWindowDays),
    resultLifetimeMs: read(Settings.analyzerResultLifetimeMinutes) * 60_000,
  };
}

/** Which backend and workspace results belong to (part of the cache key). */
export function backendScope(backends: BackendManager): string {
  if (backends.kind === 'azure') {
    return `azure:${read(Settings.azureWorkspaceResourceId).toLowerCase()}`;
  }
  return `local:${backends.lakeDir() ?? 'demo'}`;
}

/**
 * The backend's notion of "now": the local lake may pin its clock (lake.json `now`), so the window must end
 * there, not at the wall clock. Azure uses the wall clock.
 */
async function backendNow(backend: SentinelBackend, ctx: FeatureContext): Promise<number> {
  if (backend.kind !== 'local') return Date.now();
  try {
    const r = await backend.runQuery('print Now = now()', { maxRows: 1, signal: AbortSignal.timeout(15_000) });
    const v = r.rows[0]?.[0];
    const t = typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isFinite(t)) return t;
  } catch (e) {
    ctx.logger.warn(`could not read the lake's clock, using the wall clock: ${e instanceof Error ? e.message : String(e)}`);
  }
  return Date.now();
}

function jobFrom(service: AnalyzerService, arg: unknown): AnalysisJob {
  const id =
    arg instanceof AnalysisNode ? arg.job.id
    : typeof arg === 'string' ? arg
    : (arg as { job?: { id?: string } })?.job?.id ?? (arg as { jobId?: string })?.jobId;
  const job = id ? service.get(id) : undefined;
  if (!job) throw new UserError('Pick an analysis in the Analyses view.');
  return job;
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
    view.badge = active ? { value: active, tooltip: `${active} analys${active === 1 ? 'is' : 'es'} queued or running` } : undefined;
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
    const end = await backendNow(backend, ctx);
    const request: AnalysisRequest = { entity: target, ...windowFor(end, days) };
    const outcome = service.request(request);
    if (outcome.cached) {
      showVerdict(outcome.job, extra);
      const age = Math.max(1, Math.round(outcome.cached.ageMs / 60_000));
      void vscode.window
        .showInformationMessage(`Showing the cached verdict for ${target.id} from ${age} min ago (no run spent).`, 'Re-run')
        .then((choice) => {
          if (choice === 'Re-run') void run(() => service.request(request, { force: true }).job, extra).catch((e) => reportError(e, 'Re-run Analysis'));
        });
      return;
    }
    await follow(outcome.job, extra);
  };

  const pickLookback = async (type: AnalysisEntity['type']): Promise<number | undefined> => {
    const settings = readAnalyzerSettings();
    const preferred = read(Settings.analyzerDefaultLookbackDays);
    const options = type === 'User' ? Array.from({ length: settings.maxUserWindowDays }, (_, i) => i + 1) : [1, 3, 7, 14, 30];
    const items = options.map((d) => ({ label: `Last ${d} day${d === 1 ? '' : 's'}`, days: d, picked: d === preferred }));
    const pick = vscode.window.createQuickPick<(typeof items)[number]>();
    pick.title = `Analysis window for this ${type === 'User' ? 'user' : 'URL'}`;
    pick.placeholder = type === 'User' ? `The service analyzes at most ${settings.maxUserWindowDays} days of a user's activity` : 'How far back to look';
    pick.items = items;
    const initial = items.find((i) => i.days === preferred) ?? items[items.length - 1];
    pick.activeItems = [initial];
    return new Promise<number | undefined>((resolve) => {
      let value: number | undefined;
      pick.onDidAccept(() => {
        value = pick.selectedItems[0]?.days ?? pick.activeItems[0]?.days;
        pick.hide();
      });
      pick.onDidHide(() => {
        pick.dispose();
        resolve(value);
      });
      pick.show();
    });
  };

  registerCommand(ctx, Commands.analyzeEntity, 'Analyze Entity', async (arg?: unknown) => {
    const parsed = parseAnalyzeArgument(arg);
    let target = parsed.target;
    if (!target && parsed.useSelection) {
      const editor = vscode.window.activeTextEditor;
      if (editor && !editor.selection.isEmpty) target = targetFromText(editor.document.getText(editor.selection));
    }
    if (!target) {
      const text = await vscode.window.showInputBox({
        title: 'Analyze Entity',
        prompt: 'A user (UPN or Entra object id) or a URL; defanged indicators such as hxxps://evil[.]com are fine',
        placeHolder: 'megan.bowen@contoso.com',
        validateInput,
        ignoreFocusOut: true,
      });
      if (!text) return;
      target = targetFromText(text);
    }
    const days = parsed.lookbackDays ?? (await pickLookback(target.type));
    if (!days) return;
    await analyze(target, days, { incidentId: parsed.incidentId });
  });

  registerCommand(ctx, Commands.analyzeIncidentEntities, 'Analyze Incident Entities', async (arg?: unknown) => {
    const backend = await ctx.backends.current();
    let incidentId =
      typeof arg === 'string' ? arg
      : (arg as { incident?: Incident })?.incident?.id ?? (typeof (arg as Incident)?.id === 'string' && typeof (arg as Incident)?.number === 'number' ? (arg as Incident).id : undefined);
    if (!incidentId) incidentId = (await pickIncident(backend, undefined, 'Analyze the accounts and URLs of which incident?'))?.id;
    if (!incidentId) return;
    const details = await backend.getIncident(incidentId);
    const seen = new Set<string>();
    const targets: AnalysisEntity[] = [];
    for (const entity of details.entities) {
      const t = targetFromEntity(entity);
      if (!t) continue;
      const key = `${t.type}:${t.id}`;
      if (!seen.has(key)) {
        seen.add(key);
        targets.push(t);
      }
    }
    const label = `incident #${details.incident.number}`;
    if (!targets.length) {
      void vscode.window.showInformationMessage(`No accounts or URLs to analyze in ${label}.`);
      return;
    }
    const preferred = read(Settings.analyzerDefaultLookbackDays);
    const end = await backendNow(backend, ctx);
    const counts = { queued: 0, cached: 0, joined: 0, refused: [] as string[] };
    for (const t of targets) {
      const days = t.type === 'User' ? Math.min(preferred, readAnalyzerSettings().maxUserWindowDays) : preferred;
      try {
        const outcome = service.request({ entity: t, ...windowFor(end, days) });
        incidentOf.set(outcome.job.id, details.incident.id);
        if (outcome.cached) counts.cached++;
        else if (outcome.joined) counts.joined++;
        else counts.queued++;
      } catch (e) {
        counts.refused.push(`${t.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const usage = service.scheduler.usage();
    const parts = [`${counts.queued} queued`];
    if (counts.cached) parts.push(`${counts.cached} answered from the cache`);
    if (counts.joined) parts.push(`${counts.joined} already running`);
    if (counts.refused.length) parts.push(`${counts.refused.length} refused`);
    const remainingHour = Math.max(0, usage.limits.runsPerHour - usage.lastHour);
    const quotaNote = usage.queued > 0 && remainingHour === 0 ? ` The hourly quota (${usage.limits.runsPerHour}) is used up; queued analyses start as it frees.` : '';
    for (const r of counts.refused) ctx.logger.warn(`analyze ${label}: ${r}`);
    // Neither the summary nor revealing the view holds the command (a menu invoking it waits for it).
    void vscode.window
      .showInformationMessage(
        `Entity Analyzer, ${label}: ${targets.length} entit${targets.length === 1 ? 'y' : 'ies'} — ${parts.join(', ')}.${quotaNote}`,
        ...(counts.refused.length ? ['Show Log'] : []),
      )
      .then((choice) => choice === 'Show Log' && ctx.log.show(true));
    if (counts.queued || counts.joined) {
      const first = service.list().find((j) => !j.done);
      if (first) void view.reveal(tree.nodeFor(first.id) ?? new AnalysisNode(first), { select: false, focus: false }).then(undefined, () => undefined);
    }
  });

  registerCommand(ctx, Commands.openAnalysis, 'Open Verdict', (arg?: unknown) => {
    const job = jobFrom(service, arg);
    if (job.result) return showVerdict(job);
    if (!job.done) return follow(job);
    throw new UserError(job.error ?? `The analysis of ${job.request.entity.id} has no verdict.`);
  });

  registerCommand(ctx, Commands.rerunAnalysis, 'Re-run Analysis', async (arg?: unknown) => {
    const job = jobFrom(service, arg);
    await run(() => service.rerun(job.id).job);
  });

  registerCommand(ctx, Commands.cancelAnalysis, 'Cancel Analysis', (arg?: unknown) => {
    service.cancel(jobFrom(service, arg).id);
  });

  registerCommand(ctx, Commands.copyAnalysis, 'Copy Analysis', async (arg?: unknown) => {
    const job = jobFrom(service, arg);
    if (!job.result) throw new UserError('This analysis has no verdict to copy yet.');
    await vscode.env.clipboard.writeText(verdictToMarkdown(job.result, { queries: true, now: Date.now() }));
    vscode.window.setStatusBarMessage('Copied the verdict as Markdown', 2500);
  });

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

/** Ids of the incidents whose alerts name the entity; empty when the backend cannot say (never fatal). */
async function incidentsNaming(backend: SentinelBackend, entity: string, logger: FeatureContext['logger']): Promise<Set<string>> {
  try {
    const r = await backend.runQuery(incidentsWithEntityQuery(entity), { maxRows: 500, signal: AbortSignal.timeout(20_000) });
    const col = r.columns.findIndex((c) => c.name === 'IncidentName');
    return new Set(r.rows.map((row) => String(row[col] ?? '')).filter(Boolean));
  } catch (e) {
    logger.warn(`Could not find the incidents that contain ${entity}: ${(e as Error).message}`);
    return new Set();
  }
}

/** The incident picker: the one the analysis came from, then the incidents containing the entity, then the rest. */
async function pickIncident(
  backend: SentinelBackend, preferId: string | undefined, placeHolder: string,
  options: { entity?: string; logger?: FeatureContext['logger']; format?: TimeFormat } = {},
): Promise<Incident | undefined> {
  const { entity, logger, format = 'utc' } = options;
  const [page, containing] = await Promise.all([
    backend.listIncidents({}, { top: 50 }),
    entity && logger ? incidentsNaming(backend, entity, logger) : Promise.resolve(new Set<string>()),
  ]);
  const rank = (i: Incident) => (i.id === preferId ? 0 : containing.has(i.id) ? 1 : 2);
  const incidents = page.incidents.map((incident, index) => ({ incident, index }))
    .sort((a, b) => rank(a.incident) - rank(b.incident) || a.index - b.index)
    .map((x) => x.incident);
  if (!incidents.length) throw new UserError(`No incidents found on the ${backend.label}.`);
  const pick = await vscode.window.showQuickPick(
    incidents.map((incident) => ({
      label: `#${incident.number} ${incident.title}`,
      description: `${incident.severity} · ${incident.status}${containing.has(incident.id) ? ` · contains ${entity}` : ''}`,
      detail: `Created ${formatTime(incident.createdTime, format)}${incident.owner ? ` · ${incident.owner}` : ''}`,
      incident,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return pick?.incident;
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
      const incident = await pickIncident(backend, meta.incidentId, `Add the verdict on ${result.entity.id} as a comment to which incident?`, { entity: result.entity.id, logger: ctx.logger, format });
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
      const request: AnalysisRequest = { entity: result.entity, startTime: result.window.startTime, endTime: result.window.endTime };
      // Keep the window's length, ending at the backend's now.
      const backend = await ctx.backends.current();
      const end = await backendNow(backend, ctx);
      const length = Date.parse(request.endTime) - Date.parse(request.startTime);
      const fresh = { ...request, startTime: new Date(end - length).toISOString(), endTime: new Date(end).toISOString() };
      await run(() => service.request(fresh, { force: true }).job, { incidentId: meta.incidentId });
    },
  };
}
