// Triage: the Incidents and Entities views, their commands, connecting to Azure and switching backends.
// Every command is registered synchronously; data loads when a view first asks for it.
import * as vscode from 'vscode';
import { registerCommands } from '../command';
import { Commands } from '../commandIds';
import type { FeatureContext } from '../features';
import { affects, read, Settings, settingsUnder } from '../settings';
import { createAzureFromSettings } from './azure';
import { addIncidentComment } from './commands/addIncidentComment';
import { incidentNodeOf } from './commands/arguments';
import {
  assignIncident,
  assignIncidentToMe,
  changeIncidentSeverity,
  changeIncidentStatus,
  closeIncident,
} from './commands/changeIncident';
import { connectAzure } from './commands/connectAzure';
import { copyEntity } from './commands/copyEntity';
import { copyIncidentId } from './commands/copyIncidentId';
import { filterIncidents } from './commands/filterIncidents';
import { groupIncidentsBy } from './commands/groupIncidentsBy';
import { loadMoreIncidents } from './commands/loadMoreIncidents';
import { openIncident } from './commands/openIncident';
import { openIncidentInPortal } from './commands/openIncidentInPortal';
import { refreshIncidents } from './commands/refreshIncidents';
import { revealEntityIncidents } from './commands/revealEntityIncidents';
import { runEntityBaseline } from './commands/runEntityBaseline';
import { showAllEntities } from './commands/showAllEntities';
import { showSelectedIncidentEntities } from './commands/showSelectedIncidentEntities';
import { switchBackend } from './commands/switchBackend';
import { useLocalLake } from './commands/useLocalLake';
import { ENTITIES_VIEW, EntitiesTree } from './entitiesTree';
import { INCIDENT_VIEW_TYPE, IncidentPages } from './incidentPage';
import { IncidentsTree, INCIDENTS_VIEW } from './incidentsTree';
import type { TriageServices } from './services';

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
  const incidentsView = vscode.window.createTreeView(INCIDENTS_VIEW, {
    treeDataProvider: incidents,
    showCollapseAll: true,
  });
  incidents.view = incidentsView;
  const entities = new EntitiesTree(incidents, logger);
  const entitiesView = vscode.window.createTreeView(ENTITIES_VIEW, {
    treeDataProvider: entities,
    showCollapseAll: true,
  });
  entities.view = entitiesView;
  subs.push(incidents, incidentsView, entities, entitiesView);
  void vscode.commands.executeCommand('setContext', 'sentinelWorkbench.entitiesScope', 'selected');

  subs.push(
    incidentsView.onDidChangeSelection((e) => {
      const node = incidentNodeOf(e.selection[0]);
      if (node) entities.select(node.incident.id);
    }),
  );
  subs.push(incidents.onDidLoad(() => entities.refresh()));

  // ---- incident pages; every change made in the workbench reaches the tree, its badge and the open page
  const pages = new IncidentPages({
    extensionUri: ctx.extension.extensionUri,
    backend: () => backends.current(),
    changed: (incident) => backends.incidentChanged({ incidentId: incident.id, incident }),
    commented: (incidentId) => backends.incidentChanged({ incidentId, comments: true }),
  });
  subs.push(pages, vscode.window.registerWebviewPanelSerializer(INCIDENT_VIEW_TYPE, pages));
  subs.push(
    backends.onDidChangeIncident((e) => {
      if (e.incident) {
        incidents.applyUpdate(e.incident);
        pages.changed(e.incident);
      }
      if (e.comments) {
        incidents.invalidate(e.incidentId);
        pages.commented(e.incidentId);
      }
    }),
  );
  subs.push(
    backends.onDidChange(() => {
      updateStatus();
      entities.select(undefined);
      void incidents.reset();
    }),
  );

  // ---- refresh interval
  let timer: NodeJS.Timeout | undefined;
  const armTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    const seconds = read(Settings.incidentsRefreshIntervalSeconds);
    if (seconds > 0) {
      timer = setInterval(
        () => {
          if (incidentsView.visible) void incidents.refresh();
        },
        Math.max(10, seconds) * 1000,
      );
    }
  };
  armTimer();
  subs.push({ dispose: () => timer && clearInterval(timer) });

  // ---- settings: grouping, paging, interval; a changed backend definition resets the backend
  // the local server runs with the query budgets it was started with
  const backendSettings = [
    Settings.backend,
    Settings.lakePath,
    ...settingsUnder('azure'),
    Settings.queryTimeoutSeconds,
    Settings.queryMemoryMb,
  ];
  const backendSignature = () => JSON.stringify(backendSettings.map((s) => read(s)));
  let lastSignature = backendSignature();
  subs.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
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
    }),
  );

  // ---- commands
  const services: TriageServices = {
    ctx,
    backends,
    incidents,
    incidentsView,
    entities,
    entitiesView,
    pages,
    backendSettingsApplied: () => {
      lastSignature = backendSignature();
    },
  };
  registerCommands(ctx, services, [
    refreshIncidents,
    loadMoreIncidents,
    filterIncidents,
    groupIncidentsBy,
    openIncident,
    openIncidentInPortal,
    copyIncidentId,
    addIncidentComment,
    assignIncidentToMe,
    assignIncident,
    changeIncidentStatus,
    changeIncidentSeverity,
    closeIncident,
    showAllEntities,
    showSelectedIncidentEntities,
    copyEntity,
    runEntityBaseline,
    revealEntityIncidents,
    connectAzure,
    useLocalLake,
    switchBackend,
  ]);
}
