// Triage: the Incidents and Entities views, their commands, connecting to Azure and switching backends.
// Every command is registered synchronously; data loads when a view first asks for it.
import * as vscode from 'vscode';
import type { Entity, Incident } from '../../core/backends/types';
import { UserError } from '../../core/errors';
import { renderTemplate, templatesFor, type BaselineTemplate } from '../../core/kql/templates';
import { Commands } from '../commandIds';
import { FeatureContext, registerCommand } from '../features';
import { ENTITIES_VIEW, EntitiesTree } from './entitiesTree';
import { EntityNode, IncidentNode, IncidentsTree, INCIDENTS_VIEW, TriageNode } from './incidentsTree';
import { pickFilter } from './filter';
import { createAzureFromSettings } from './azure';
import { connectAzure, settingsTarget, useLocalLake } from './connect';
import { baselineValue, GroupBy } from './model';
import { affects, read, Settings, settingsUnder, write } from '../settings';
import { askForChange, ChangeKind, sendChange } from './incidentActions';
import { INCIDENT_VIEW_TYPE, IncidentPages } from './incidentPage';


/** A fallback baseline for entity kinds the template library has no template for. */
const GENERIC_BASELINE: BaselineTemplate = {
  id: 'entity-search',
  title: 'Where does this value appear?',
  description: 'Rows per table and day that mention the value, over the last 7 days.',
  entity: 'text',
  text: `// Where does this value appear? Rows per table and day over the last 7 days.
let Value = "value";
search Value
| where TimeGenerated > ago(7d)
| summarize Rows=count() by $table, Day=bin(TimeGenerated, 1d)
| order by Day desc, Rows desc`,
};

export function registerTriage(ctx: FeatureContext): void {
  const { backends, logger } = ctx;
  const subs = ctx.extension.subscriptions;

  // ---- status bar: the active backend; click to switch
  const status = vscode.window.createStatusBarItem('sentinelWorkbench.backend', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Sentinel Workbench backend';
  status.command = Commands.switchBackend;
  const updateStatus = () => {
    if (backends.kind === 'azure') {
      const id = read(Settings.azureWorkspaceResourceId);
      const name = /\/workspaces\/([^/]+)$/i.exec(id.trim())?.[1] ?? 'not connected';
      status.text = `$(azure) Sentinel: ${name}`;
      status.tooltip = `Sentinel Workbench is using the Azure workspace ${name}. Click to switch.`;
    } else {
      status.text = '$(shield) Sentinel: local demo lake';
      status.tooltip = 'Sentinel Workbench is using the local demo lake. Click to switch.';
    }
  };
  updateStatus();
  status.show();
  subs.push(status);

  // Azure is created on demand from dist/azure.js, so activation never loads the Azure SDKs.
  backends.azureFactory = (log) => createAzureFromSettings(ctx.extension.extensionPath, log);

  // ---- views
  const incidents = new IncidentsTree({
    backend: () => backends.current(),
    logger,
    groupBy: () => read(Settings.incidentsGroupBy),
    pageSize: () => read(Settings.incidentsPageSize),
    timeFormat: () => read(Settings.timeFormat),
  });
  const incidentsView = vscode.window.createTreeView(INCIDENTS_VIEW, { treeDataProvider: incidents, showCollapseAll: true });
  incidents.view = incidentsView;
  const entities = new EntitiesTree(incidents, logger);
  const entitiesView = vscode.window.createTreeView(ENTITIES_VIEW, { treeDataProvider: entities, showCollapseAll: true });
  entities.view = entitiesView;
  subs.push(incidents, incidentsView, entities, entitiesView);
  void vscode.commands.executeCommand('setContext', 'sentinelWorkbench.entitiesScope', 'selected');

  const incidentOf = (node: TriageNode | undefined): IncidentNode | undefined => {
    for (let n = node; n; n = n.parent) if (n instanceof IncidentNode) return n;
    return undefined;
  };
  subs.push(incidentsView.onDidChangeSelection((e) => {
    const node = incidentOf(e.selection[0]);
    if (node) entities.select(node.incident.id);
  }));
  subs.push(incidents.onDidLoad(() => entities.refresh()));

  // ---- incident pages; every change made in the workbench reaches the tree, its badge and the open page
  const pages = new IncidentPages({
    extensionUri: ctx.extension.extensionUri,
    backend: () => backends.current(),
    changed: (incident) => backends.incidentChanged({ incidentId: incident.id, incident }),
    commented: (incidentId) => backends.incidentChanged({ incidentId, comments: true }),
  });
  subs.push(pages, vscode.window.registerWebviewPanelSerializer(INCIDENT_VIEW_TYPE, pages));
  subs.push(backends.onDidChangeIncident((e) => {
    if (e.incident) {
      incidents.applyUpdate(e.incident);
      pages.changed(e.incident);
    }
    if (e.comments) {
      incidents.invalidate(e.incidentId);
      pages.commented(e.incidentId);
    }
  }));
  subs.push(backends.onDidChange(() => {
    updateStatus();
    entities.select(undefined);
    void incidents.reset();
  }));

  // ---- refresh interval
  let timer: NodeJS.Timeout | undefined;
  const armTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    const seconds = read(Settings.incidentsRefreshIntervalSeconds);
    if (seconds > 0) {
      timer = setInterval(() => {
        if (incidentsView.visible) void incidents.refresh();
      }, Math.max(10, seconds) * 1000);
    }
  };
  armTimer();
  subs.push({ dispose: () => timer && clearInterval(timer) });

  // ---- settings: grouping, paging, interval; a changed backend definition resets the backend
  // the local server runs with the query budgets it was started with
  const backendSettings = [Settings.backend, Settings.lakePath, ...settingsUnder('azure'), Settings.queryTimeoutSeconds, Settings.queryMemoryMb];
  const backendSignature = () => JSON.stringify(backendSettings.map((s) => read(s)));
  let lastSignature = backendSignature();
  subs.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (affects(e, Settings.incidentsGroupBy)) incidents.regroup();
    if (affects(e, Settings.incidentsPageSize)) void incidents.refresh();
    if (affects(e, Settings.incidentsRefreshIntervalSeconds)) armTimer();
    if (affects(e, ...backendSettings)) {
      const signature = backendSignature();
      if (signature !== lastSignature) {
        lastSignature = signature;
        backends.reset();
      }
    }
  }));

  // ---- argument helpers (tree node, { incident } / { entity }, or the palette)
  const pickLoadedIncident = async (placeHolder: string): Promise<Incident | undefined> => {
    const selected = incidentOf(incidentsView.selection[0]);
    if (selected) return selected.incident;
    await incidents.whenLoaded();
    if (!incidents.incidents.length) throw new UserError('No incidents are loaded.');
    const pick = await vscode.window.showQuickPick(
      incidents.incidents.map((i) => ({ label: `#${i.number} ${i.title}`, description: `${i.severity} · ${i.status}`, incident: i })),
      { placeHolder, matchOnDescription: true },
    );
    return pick?.incident;
  };
  const incidentArg = async (arg: unknown, placeHolder: string): Promise<Incident | undefined> => {
    if (arg instanceof TriageNode) {
      const node = incidentOf(arg);
      if (node) return node.incident;
    }
    const given = (arg as { incident?: Incident } | undefined)?.incident;
    if (given && typeof given.id === 'string') return given;
    return pickLoadedIncident(placeHolder);
  };
  const entityArg = (arg: unknown): EntityNode | { entity: Entity; incidentIds?: string[] } => {
    if (arg instanceof EntityNode) return arg;
    const selected = entitiesView.selection[0] ?? incidentsView.selection[0];
    if (arg === undefined && selected instanceof EntityNode) return selected;
    const entity = (arg as { entity?: Entity } | undefined)?.entity;
    if (entity && typeof entity.displayName === 'string') return { entity, incidentIds: (arg as { incidentIds?: string[] }).incidentIds };
    throw new UserError('Pick an entity in the Entities or Incidents view.');
  };

  // ---- incidents
  registerCommand(ctx, Commands.refreshIncidents, 'Refresh Incidents', () => incidents.refresh());
  registerCommand(ctx, Commands.loadMoreIncidents, 'Load More Incidents', () => incidents.loadMore());
  registerCommand(ctx, Commands.filterIncidents, 'Filter Incidents', async (arg?: unknown) => {
    // A filter object (scripts, tests) applies as is; otherwise ask.
    if (arg && typeof arg === 'object' && !(arg instanceof TriageNode)) {
      await incidents.setFilter(arg as Parameters<IncidentsTree['setFilter']>[0]);
      return;
    }
    await incidents.whenLoaded();
    const next = await pickFilter(incidents.filter, incidents.now());
    if (next) await incidents.setFilter(next);
  });
  registerCommand(ctx, Commands.groupIncidentsBy, 'Group Incidents By', async () => {
    const current = read(Settings.incidentsGroupBy);
    const pick = await vscode.window.showQuickPick(
      (['severity', 'status', 'none'] as GroupBy[]).map((g) => ({ label: g === 'none' ? 'No grouping' : `By ${g}`, description: g === current ? 'current' : undefined, value: g })),
      { title: 'Group Incidents' },
    );
    if (pick) await write(Settings.incidentsGroupBy, pick.value, vscode.ConfigurationTarget.Global);
  });
  registerCommand(ctx, Commands.openIncidentInPortal, 'Open Incident in Portal', async (arg?: unknown) => {
    const incident = await incidentArg(arg, 'Open which incident in the portal?');
    if (!incident) return;
    if (!incident.url || !/^https:\/\//i.test(incident.url)) throw new UserError(`Incident #${incident.number} has no portal link.`);
    await vscode.env.openExternal(vscode.Uri.parse(incident.url, true));
  });
  registerCommand(ctx, Commands.copyIncidentId, 'Copy Incident Id', async (arg?: unknown) => {
    const incident = await incidentArg(arg, 'Copy the id of which incident?');
    if (!incident) return;
    await vscode.env.clipboard.writeText(incident.id);
    vscode.window.setStatusBarMessage(`Copied the id of incident #${incident.number}`, 3000);
  });
  registerCommand(ctx, Commands.addIncidentComment, 'Add Incident Comment', async (arg?: unknown) => {
    const incident = await incidentArg(arg, 'Comment on which incident?');
    if (!incident) return;
    const message = await vscode.window.showInputBox({
      title: `Comment on incident #${incident.number}`,
      prompt: incident.title,
      placeHolder: 'What you found or did',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? (v.length > 30000 ? 'At most 30,000 characters.' : undefined) : 'Type a comment.'),
    });
    if (!message?.trim()) return;
    const backend = await backends.current();
    await backend.addIncidentComment(incident.id, message);
    backends.incidentChanged({ incidentId: incident.id, comments: true });
    void vscode.window.showInformationMessage(`Comment added to incident #${incident.number}.`);
  });

  registerCommand(ctx, Commands.openIncident, 'Open Incident', async (arg?: unknown) => {
    const a = arg as { incidentId?: unknown; preserveFocus?: unknown } | undefined;
    const byId = typeof a?.incidentId === 'string' ? incidents.findIncident(a.incidentId) ?? (await backends.current().then((b) => b.getIncident(a.incidentId as string))).incident : undefined;
    const incident = byId ?? await incidentArg(arg, 'Open which incident?');
    if (!incident) return;
    pages.show(incident, { preserveFocus: a?.preserveFocus === true });
  });
  const changeCommand = (id: (typeof Commands)[keyof typeof Commands], title: string, kind: ChangeKind) =>
    registerCommand(ctx, id, title, async (arg?: unknown) => {
      const picked = await incidentArg(arg, `${title}: which incident?`);
      if (!picked) return;
      // Work on the version the user sees (the open page may be newer than the tree).
      const seen = pages.get(picked.id)?.incident ?? picked;
      const backend = await backends.current();
      const change = await askForChange(kind, seen, backend);
      if (!change) return;
      const { incident } = await sendChange(backend, seen, change);
      backends.incidentChanged({ incidentId: incident.id, incident });
    });
  changeCommand(Commands.assignIncidentToMe, 'Assign to Me', 'assignToMe');
  changeCommand(Commands.assignIncident, 'Assign Incident', 'assign');
  changeCommand(Commands.changeIncidentStatus, 'Change Incident Status', 'status');
  changeCommand(Commands.changeIncidentSeverity, 'Change Incident Severity', 'severity');
  changeCommand(Commands.closeIncident, 'Close Incident', 'close');

  // ---- entities
  registerCommand(ctx, Commands.showAllEntities, 'Show Entities of All Loaded Incidents', () => entities.setScope('all'));
  registerCommand(ctx, Commands.showSelectedIncidentEntities, 'Show Entities of the Selected Incident', () => entities.setScope('selected'));
  registerCommand(ctx, Commands.copyEntity, 'Copy Entity', async (arg?: unknown) => {
    const { entity } = entityArg(arg);
    await vscode.env.clipboard.writeText(entity.displayName);
    vscode.window.setStatusBarMessage(`Copied ${entity.displayName}`, 3000);
  });
  registerCommand(ctx, Commands.runEntityBaseline, 'Run Baseline for Entity', async (arg?: unknown) => {
    const { entity } = entityArg(arg);
    const { value, shape } = baselineValue(entity);
    const fitting = templatesFor(shape);
    const candidates = fitting.length ? fitting : [GENERIC_BASELINE];
    const template = candidates.length === 1 ? candidates[0] : (await vscode.window.showQuickPick(
      candidates.map((t) => ({ label: t.title, detail: t.description, template: t })),
      { title: `Baseline for ${entity.displayName}`, placeHolder: 'Which baseline?' },
    ))?.template;
    if (!template) return;
    const doc = await vscode.workspace.openTextDocument({ language: 'kql', content: renderTemplate(template, value) });
    await vscode.window.showTextDocument(doc);
  });
  registerCommand(ctx, Commands.revealEntityIncidents, 'Reveal Related Incidents', async (arg?: unknown) => {
    const target = entityArg(arg);
    let ids = target.incidentIds ?? [];
    if (!ids.length) {
      // An entity under an incident: look through the loaded incidents' details.
      for (const i of incidents.incidents) {
        const d = await incidents.details(i.id).catch(() => undefined);
        if (d?.entities.some((e) => e.key === target.entity.key)) ids.push(i.id);
      }
    }
    ids = ids.filter((id) => incidents.findIncident(id));
    if (!ids.length) throw new UserError(`No loaded incident contains ${target.entity.displayName}.`);
    let id = ids[0];
    if (ids.length > 1) {
      const pick = await vscode.window.showQuickPick(
        ids.map((x) => incidents.findIncident(x)!).map((i) => ({ label: `#${i.number} ${i.title}`, description: `${i.severity} · ${i.status}`, id: i.id })),
        { title: `Incidents with ${target.entity.displayName}`, placeHolder: `${ids.length} incidents; reveal which?` },
      );
      if (!pick) return;
      id = pick.id;
    }
    await vscode.commands.executeCommand(`${INCIDENTS_VIEW}.focus`);
    await incidents.reveal(id);
  });

  // ---- backends
  registerCommand(ctx, Commands.connectAzure, 'Connect to Azure', async () => {
    await connectAzure(ctx.extension.extensionPath, backends);
    lastSignature = backendSignature();
  });
  registerCommand(ctx, Commands.useLocalLake, 'Use Local Demo Lake', async () => {
    await useLocalLake(backends);
    lastSignature = backendSignature();
  });
  registerCommand(ctx, Commands.switchBackend, 'Switch Backend', async () => {
    const id = read(Settings.azureWorkspaceResourceId).trim();
    const name = /\/workspaces\/([^/]+)$/i.exec(id)?.[1];
    const kind = backends.kind;
    const items: (vscode.QuickPickItem & { run: () => Thenable<unknown> })[] = [
      { label: '$(shield) Local demo lake', description: kind === 'local' ? 'active' : undefined, detail: 'Offline: the embedded lake', run: () => vscode.commands.executeCommand(Commands.useLocalLake) },
    ];
    if (name) {
      items.push({
        label: `$(azure) Azure: ${name}`, description: kind === 'azure' ? 'active' : undefined, detail: id,
        run: async () => {
          await write(Settings.backend, 'azure', settingsTarget());
          lastSignature = backendSignature();
          backends.reset();
        },
      });
    }
    items.push({ label: '$(plug) Connect to an Azure workspace…', run: () => vscode.commands.executeCommand(Commands.connectAzure) });
    const pick = await vscode.window.showQuickPick(items, { title: 'Sentinel Workbench backend', placeHolder: `Active: ${backends.label}` });
    if (pick) await pick.run();
  });
}
