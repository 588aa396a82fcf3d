// What the triage commands share: the backends, the Incidents and Entities views, the incident pages.
import type * as vscode from 'vscode';
import type { BackendManager } from '../backendManager';
import type { FeatureContext } from '../features';
import type { EntitiesTree } from './entitiesTree';
import type { IncidentPages } from './incidentPage';
import type { IncidentsTree, TriageNode } from './incidentsTree';

export interface TriageServices {
  readonly ctx: FeatureContext;
  readonly backends: BackendManager;
  readonly incidents: IncidentsTree;
  readonly incidentsView: vscode.TreeView<TriageNode>;
  readonly entities: EntitiesTree;
  readonly entitiesView: vscode.TreeView<TriageNode>;
  readonly pages: IncidentPages;
  /** The backend settings a command just wrote are applied: the settings listener need not reset the backend again. */
  backendSettingsApplied(): void;
}
