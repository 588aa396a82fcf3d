// One interface for the local lake and Azure (Log Analytics + Sentinel ARM + Sentinel MCP).
import type { QueryResult, TimeRange } from '../types';
import type { AnalysisPoll, AnalysisRequest } from '../analyzer/types';

export type BackendKind = 'local' | 'azure';
export type Severity = 'High' | 'Medium' | 'Low' | 'Informational';
export type IncidentStatus = 'New' | 'Active' | 'Closed';

export interface Workspace {
  /** Log Analytics workspace (customer) id. */
  id: string;
  name: string;
  /** ARM resource id (Azure only). */
  resourceId?: string;
  location?: string;
}

export interface Incident {
  /** Stable id: the incident's name (a GUID) in Sentinel. */
  id: string;
  number: number;
  title: string;
  description?: string;
  severity: Severity;
  status: IncidentStatus;
  classification?: string;
  classificationReason?: string;
  classificationComment?: string;
  /** UPN (or name) of the owner, for lists and filters. */
  owner?: string;
  /** The owner as the service records it (assign / unassign keep it whole). */
  ownerDetails?: IncidentOwner;
  /** Version tag: ARM's etag, or the lake row's modification time. A change sent with a stale one is refused. */
  etag?: string;
  /** ISO-8601. */
  createdTime: string;
  lastModifiedTime?: string;
  firstActivityTime?: string;
  lastActivityTime?: string;
  alertsCount: number;
  tactics: string[];
  /** Link to the incident in the Defender / Azure portal. */
  url?: string;
  relatedAnalyticRuleIds: string[];
}

export interface IncidentOwner {
  userPrincipalName?: string;
  /** Display name (ARM `assignedTo`). */
  assignedTo?: string;
  objectId?: string;
  email?: string;
}

export type EntityKind =
  | 'Account'
  | 'Url'
  | 'Ip'
  | 'Host'
  | 'Mailbox'
  | 'FileHash'
  | 'File'
  | 'Process'
  | 'CloudApplication'
  | 'MailMessage'
  | 'Other';

export interface Entity {
  kind: EntityKind;
  /** Stable key, e.g. `account:alice@contoso.com`, `url:https://…`, `ip:10.0.0.1`. */
  key: string;
  /** What the user sees and what gets analyzed (UPN, URL, address, host name…). */
  displayName: string;
  properties: Record<string, unknown>;
}

export interface Alert {
  id: string;
  name: string;
  severity: Severity;
  description?: string;
  productName?: string;
  tactics: string[];
  startTime?: string;
  endTime?: string;
  entities: Entity[];
}

export interface IncidentFilter {
  status?: IncidentStatus[];
  severity?: Severity[];
  /** Only incidents created at or after this time. */
  createdAfter?: Date;
  /** Owner UPN or display name (case-insensitive contains). */
  owner?: string;
  /** Case-insensitive text in the title or number. */
  text?: string;
}

export interface IncidentPage {
  incidents: Incident[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  nextPageToken?: string;
}

export interface IncidentDetails {
  incident: Incident;
  alerts: Alert[];
  /** Entities of all alerts, de-duplicated by key. */
  entities: Entity[];
  /** Comments on the incident, oldest first (when the backend returns them). */
  comments?: IncidentComment[];
  /** Alert entity records that could not be read (malformed JSON, unknown shape). */
  skippedEntities?: number;
}

export interface IncidentComment {
  id: string;
  message: string;
  author?: string;
  /** ISO-8601. */
  createdTime: string;
}

// Rule shapes live in src/core/rules, shared by the backends and the migration checks.
import type { AnalyticsRule, AutomationRule } from '../rules/types';
export type { AnalyticsRule, AutomationRule };

export interface DataConnector {
  id: string;
  kind: string;
  name: string;
}

export interface QueryOptions {
  timeRange?: TimeRange;
  maxRows?: number;
  signal?: AbortSignal;
}

/** Runs entity analyses, start then poll: the local Entity Analyzer or Microsoft's Sentinel MCP server. */
export interface EntityAnalyzer {
  start(request: AnalysisRequest, signal?: AbortSignal): Promise<{ analysisId: string }>;
  /** `request` lets a service that forgot the id (404 after a token refresh) be asked again. */
  get(analysisId: string, signal?: AbortSignal, request?: AnalysisRequest): Promise<AnalysisPoll>;
  dispose?(): void | Promise<void>;
}

export interface SentinelBackend {
  readonly kind: BackendKind;
  /** For the status bar and result headers, e.g. "local demo lake" or the workspace name. */
  readonly label: string;
  listWorkspaces(signal?: AbortSignal): Promise<Workspace[]>;
  listIncidents(
    filter: IncidentFilter,
    page: { top: number; pageToken?: string },
    signal?: AbortSignal,
  ): Promise<IncidentPage>;
  getIncident(id: string, signal?: AbortSignal): Promise<IncidentDetails>;
  runQuery(query: string, options?: QueryOptions): Promise<QueryResult>;
  /**
   * The backend's clock, which `ago()` and `now()` in its queries follow: a local lake may pin it (lake.json `now`;
   * the demo lake does), so "last 7 days" and ages are counted from there. A workspace runs on the wall clock.
   */
  now(signal?: AbortSignal): Promise<Date>;
  startEntityAnalysis(request: AnalysisRequest, signal?: AbortSignal): Promise<{ analysisId: string }>;
  getEntityAnalysis(analysisId: string, signal?: AbortSignal, request?: AnalysisRequest): Promise<AnalysisPoll>;
  addIncidentComment(incidentId: string, message: string, signal?: AbortSignal): Promise<void>;
  /**
   * Changes owner / status / severity / classification (validated by `validateIncidentChange`). With `etag`, a
   * version changed by someone else since is refused with an IncidentConflictError. Returns the new version.
   */
  updateIncident(
    incidentId: string,
    change: IncidentChange,
    options?: { etag?: string; signal?: AbortSignal },
  ): Promise<Incident>;
  listAnalyticsRules(signal?: AbortSignal): Promise<AnalyticsRule[]>;
  listAutomationRules(signal?: AbortSignal): Promise<AutomationRule[]>;
  listDataConnectors(signal?: AbortSignal): Promise<DataConnector[]>;
  dispose(): void | Promise<void>;
}

// What an incident update may change (validated by validateIncidentChange in incidentUpdate.ts).
export type Classification = 'TruePositive' | 'BenignPositive' | 'FalsePositive' | 'Undetermined';
export type ClassificationReason =
  'SuspiciousActivity' | 'SuspiciousButExpected' | 'IncorrectAlertLogic' | 'InaccurateData';

export interface IncidentClose {
  classification: Classification;
  reason?: ClassificationReason;
  comment?: string;
}

export interface IncidentChange {
  owner?: IncidentOwner | null;
  status?: IncidentStatus;
  severity?: Severity;
  /** Required when (and only when) the change closes the incident. */
  close?: IncidentClose;
}
