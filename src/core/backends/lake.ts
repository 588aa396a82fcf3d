// The local backend in-process: a lake folder read through the local KQL engine. Incidents come from
// SecurityIncident (latest record per incident), alerts from SecurityAlert, entities from the alerts'
// `Entities` JSON; comments are appended to the lake's IncidentComments table so they persist.
// Used by the CLI and the local MCP server; the extension reaches it through the MCP child process.
import { randomUUID } from 'crypto';
import { existsSync } from 'fs';
import * as path from 'path';
import type { AnalysisPoll, AnalysisRequest } from '../analyzer/types';
import { echo } from '../echo';
import { throwIfAborted, UserError } from '../errors';
import { createEngine, KqlEngine } from '../kql/engine';
import { Lake, openLake } from '../lake/lake';
import { findRuleFiles, loadRuleFiles } from '../migration/ruleSources';
import { silentLogger, type Logger, type QueryResult } from '../types';
import { entitiesFromAlertJson, mergeEntities } from './entities';
import { normaliseSeverity, normaliseStatus, pageIncidents } from './incidents';
import { applyIncidentChange, IncidentChange, IncidentConflictError, validateIncidentChange } from './incidentUpdate';
import { checkCommentText } from './limits';
import type {
  Alert,
  AnalyticsRule,
  EntityAnalyzer,
  AutomationRule,
  DataConnector,
  Incident,
  IncidentComment,
  IncidentDetails,
  IncidentFilter,
  IncidentOwner,
  IncidentPage,
  QueryOptions,
  SentinelBackend,
  Workspace,
} from './types';
import { trimmed as str } from '../fields';

export interface LakeBackendOptions {
  logger?: Logger;
  /** Runs entity analyses; without it analyses fail with a clear message. */
  analyzer?: EntityAnalyzer;
  /** Folders/files holding analytics and automation rules; default: `rules`-like folders next to the lake. */
  rulePaths?: string[];
  /** Author recorded on comments. */
  author?: string;
  /** Clock (tests); defaults to the real time. */
  now?: () => Date;
  /** Runs the backend's queries (the local MCP server passes its query pool); default: an engine in this thread. */
  engine?: KqlEngine;
}

type Row = Record<string, unknown>;

export function rowsAsObjects(result: QueryResult): Row[] {
  const names = result.columns.map((c) => c.name);
  return result.rows.map((r) => {
    const o: Row = {};
    names.forEach((n, i) => (o[n] = r[i]));
    return o;
  });
}

/** A KQL string literal for any text (used to embed ids in queries). */
export function kqlStringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`;
}

/** Dynamic columns may arrive as values or (from CSV exports) as JSON text. */
function dyn(v: unknown): unknown {
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return JSON.parse(t);
      } catch {
        return v;
      }
    }
  }
  return v;
}

function stringList(v: unknown): string[] {
  const d = dyn(v);
  if (Array.isArray(d)) return d.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).filter(Boolean);
  if (typeof d === 'string')
    return d
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

function ownerDetails(v: unknown): IncidentOwner | undefined {
  const d = dyn(v);
  if (typeof d === 'string') return d.trim() ? { userPrincipalName: d.trim() } : undefined;
  if (d && typeof d === 'object') {
    const o = d as Row;
    const owner: IncidentOwner = {
      userPrincipalName: str(o.userPrincipalName),
      assignedTo: str(o.assignedTo),
      objectId: str(o.objectId),
      email: str(o.email),
    };
    return owner.userPrincipalName || owner.assignedTo || owner.objectId || owner.email ? owner : undefined;
  }
  return undefined;
}

function ownerName(v: unknown): string | undefined {
  const o = ownerDetails(v);
  return o && (o.userPrincipalName ?? o.email ?? o.assignedTo ?? o.objectId);
}

export function incidentFromRow(r: Row): Incident | undefined {
  const id = str(r.IncidentName);
  const number = typeof r.IncidentNumber === 'number' ? r.IncidentNumber : Number(r.IncidentNumber);
  if (!id || !Number.isFinite(number)) return undefined;
  const additional = dyn(r.AdditionalData);
  const add = additional && typeof additional === 'object' ? (additional as Row) : {};
  const alertIds = stringList(r.AlertIds);
  return {
    id,
    number,
    title: str(r.Title) ?? `Incident ${number}`,
    description: str(r.Description),
    severity: normaliseSeverity(r.Severity),
    status: normaliseStatus(r.Status),
    classification: str(r.Classification),
    classificationReason: str(r.ClassificationReason),
    classificationComment: str(r.ClassificationComment),
    owner: ownerName(r.Owner),
    ownerDetails: ownerDetails(r.Owner),
    etag: rowVersion(r),
    createdTime: str(r.CreatedTime) ?? str(r.TimeGenerated) ?? '',
    lastModifiedTime: str(r.LastModifiedTime),
    firstActivityTime: str(r.FirstActivityTime),
    lastActivityTime: str(r.LastActivityTime),
    alertsCount: typeof add.alertsCount === 'number' ? add.alertsCount : alertIds.length,
    tactics: stringList(add.tactics),
    url: str(r.IncidentUrl),
    relatedAnalyticRuleIds: stringList(r.RelatedAnalyticRuleIds),
  };
}

/** A lake row's version: its modification time (each change is a new row with a later one). */
function rowVersion(r: Row): string | undefined {
  return str(r.LastModifiedTime) ?? str(r.TimeGenerated);
}

function recordTime(r: Row): number {
  const t = Date.parse(str(r.LastModifiedTime) ?? str(r.TimeGenerated) ?? '');
  return Number.isNaN(t) ? -Infinity : t;
}

/** Sentinel writes a new SecurityIncident/SecurityAlert record on every change: keep the latest per key. */
function latestBy(rows: Row[], key: string): Row[] {
  const latest = new Map<string, Row>();
  for (const r of rows) {
    const k = str(r[key]);
    if (!k) continue;
    const prev = latest.get(k);
    if (!prev || recordTime(r) >= recordTime(prev)) latest.set(k, r);
  }
  return [...latest.values()];
}

export class LakeBackend implements SentinelBackend {
  readonly kind = 'local' as const;
  readonly label: string;
  private readonly engine: KqlEngine;
  private readonly logger: Logger;

  constructor(
    readonly lake: Lake,
    private readonly options: LakeBackendOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.engine = options.engine ?? createEngine(lake, { logger: this.logger });
    this.label = `local lake ${lake.name}`;
  }

  async listWorkspaces(): Promise<Workspace[]> {
    return [{ id: this.lake.workspaceId, name: this.lake.name }];
  }

  async now(): Promise<Date> {
    return this.lake.now ? new Date(this.lake.now) : (this.options.now?.() ?? new Date());
  }

  private async table(name: string, query: string, signal?: AbortSignal): Promise<Row[]> {
    if (!this.lake.hasTable(name)) return [];
    const result = await this.engine.execute(query, { signal });
    return rowsAsObjects(result);
  }

  private async allIncidents(signal?: AbortSignal): Promise<Incident[]> {
    const rows = latestBy(await this.table('SecurityIncident', 'SecurityIncident', signal), 'IncidentName');
    const incidents: Incident[] = [];
    let bad = 0;
    for (const r of rows) {
      const i = incidentFromRow(r);
      if (i) incidents.push(i);
      else bad++;
    }
    if (bad) this.logger.warn(`SecurityIncident: ${bad} record(s) without IncidentName/IncidentNumber skipped`);
    return incidents;
  }

  async listIncidents(
    filter: IncidentFilter,
    page: { top: number; pageToken?: string },
    signal?: AbortSignal,
  ): Promise<IncidentPage> {
    return pageIncidents(await this.allIncidents(signal), filter, page);
  }

  private async findIncident(idOrNumber: string, signal?: AbortSignal): Promise<{ incident: Incident; row: Row }> {
    const rows = latestBy(await this.table('SecurityIncident', 'SecurityIncident', signal), 'IncidentName');
    const wanted = idOrNumber.trim().replace(/^#/, '');
    const row =
      rows.find((r) => str(r.IncidentName)?.toLowerCase() === wanted.toLowerCase()) ??
      rows.find((r) => String(r.IncidentNumber) === wanted);
    const incident = row && incidentFromRow(row);
    if (!row || !incident)
      throw new UserError(`incident '${echo(idOrNumber, 80)}' not found in the lake ${this.lake.name}`, 'NotFound');
    return { incident, row };
  }

  async getIncident(id: string, signal?: AbortSignal): Promise<IncidentDetails> {
    const { incident, row } = await this.findIncident(id, signal);
    const alertIds = stringList(row.AlertIds);
    let alertRows: Row[] = [];
    if (alertIds.length) {
      const list = alertIds.map(kqlStringLiteral).join(', ');
      alertRows = latestBy(
        await this.table('SecurityAlert', `SecurityAlert | where SystemAlertId in (${list})`, signal),
        'SystemAlertId',
      );
    }
    let skippedEntities = 0;
    const order = new Map(alertIds.map((a, i) => [a, i]));
    alertRows.sort(
      (a, b) => (order.get(str(a.SystemAlertId) ?? '') ?? 0) - (order.get(str(b.SystemAlertId) ?? '') ?? 0),
    );
    const alerts: Alert[] = alertRows.map((r) => {
      const { entities, skipped } = entitiesFromAlertJson(r.Entities);
      skippedEntities += skipped;
      return {
        id: str(r.SystemAlertId) ?? '',
        name: str(r.AlertName) ?? 'Alert',
        severity: normaliseSeverity(r.AlertSeverity),
        description: str(r.Description),
        productName: str(r.ProductName),
        tactics: stringList(r.Tactics),
        startTime: str(r.StartTime),
        endTime: str(r.EndTime),
        entities,
      };
    });
    if (skippedEntities)
      this.logger.warn(
        `incident ${incident.number}: ${skippedEntities} alert entity record(s) could not be read and were skipped`,
      );
    const comments = await this.comments(incident.id, signal);
    return {
      incident,
      alerts,
      entities: mergeEntities(alerts.map((a) => a.entities)),
      comments,
      skippedEntities,
    };
  }

  private async comments(incidentId: string, signal?: AbortSignal): Promise<IncidentComment[]> {
    const rows = await this.table(
      'IncidentComments',
      `IncidentComments | where IncidentName == ${kqlStringLiteral(incidentId)}`,
      signal,
    );
    return rows
      .map((r) => ({
        id: str(r.CommentId) ?? '',
        message: typeof r.Message === 'string' ? r.Message : '',
        author: str(r.Author),
        createdTime: str(r.TimeGenerated) ?? '',
      }))
      .sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime));
  }

  async runQuery(query: string, options: QueryOptions = {}): Promise<QueryResult> {
    return this.engine.execute(query, {
      timeRange: options.timeRange,
      maxRows: options.maxRows,
      signal: options.signal,
    });
  }

  async startEntityAnalysis(request: AnalysisRequest, signal?: AbortSignal): Promise<{ analysisId: string }> {
    return this.analyzer().start(request, signal);
  }

  async getEntityAnalysis(analysisId: string, signal?: AbortSignal): Promise<AnalysisPoll> {
    return this.analyzer().get(analysisId, signal);
  }

  private analyzer(): EntityAnalyzer {
    if (!this.options.analyzer)
      throw new Error('Entity analysis is not available on this lake backend (no analyzer configured).');
    return this.options.analyzer;
  }

  async addIncidentComment(incidentId: string, message: string, signal?: AbortSignal): Promise<void> {
    const text = checkCommentText(message);
    const { incident } = await this.findIncident(incidentId, signal);
    throwIfAborted(signal);
    const now = this.options.now?.() ?? new Date();
    await this.lake.appendRows('IncidentComments', [
      {
        TimeGenerated: now.toISOString(),
        IncidentName: incident.id,
        IncidentNumber: incident.number,
        CommentId: randomUUID(),
        Author: this.options.author ?? 'Sentinel Workbench',
        Message: text,
      },
    ]);
  }

  /**
   * Appends a new version of the incident's SecurityIncident row, as Sentinel records every change: the
   * latest version wins when read, and earlier ones stay as history.
   */
  async updateIncident(
    incidentId: string,
    change: IncidentChange,
    options: { etag?: string; signal?: AbortSignal } = {},
  ): Promise<Incident> {
    this.lake.invalidate?.('SecurityIncident');
    const { incident, row } = await this.findIncident(incidentId, options.signal);
    if (options.etag !== undefined && options.etag !== incident.etag) {
      throw new IncidentConflictError(incident);
    }
    const valid = validateIncidentChange(incident, change);
    throwIfAborted(options.signal);
    // Strictly later than the version it replaces, even on a lake whose clock is pinned in the past.
    const now = Math.max((this.options.now?.() ?? new Date()).getTime(), recordTime(row) + 1);
    const modified = new Date(now).toISOString();
    const next = applyIncidentChange(incident, valid, modified);
    const nextRow: Row = {
      ...row,
      TimeGenerated: modified,
      LastModifiedTime: modified,
      Severity: next.severity,
      Status: next.status,
      Classification: next.classification ?? '',
      ClassificationReason: next.classificationReason ?? '',
      ClassificationComment: next.classificationComment ?? '',
      ModifiedBy: this.options.author ?? 'Sentinel Workbench',
      ...(valid.status === 'Closed' && incident.status !== 'Closed' ? { ClosedTime: modified } : {}),
    };
    if (valid.owner !== undefined) {
      const o = valid.owner;
      nextRow.Owner = {
        objectId: o?.objectId ?? null,
        email: o?.email ?? o?.userPrincipalName ?? null,
        assignedTo: o?.assignedTo ?? null,
        userPrincipalName: o?.userPrincipalName ?? null,
      };
    }
    await this.lake.appendRows('SecurityIncident', [nextRow]);
    // Read back, so the version tag is the one the next read will compare against.
    return (await this.findIncident(incident.id, options.signal)).incident;
  }

  /** Rule folders: the given paths, else `rules`, `analytics-rules`, `automation-rules`, `automation` next to the lake. */
  private rulePaths(): string[] {
    if (this.options.rulePaths) return this.options.rulePaths;
    const parent = path.dirname(path.resolve(this.lake.dir));
    const candidates = [
      'rules',
      'analytics-rules',
      'analyticsRules',
      'automation-rules',
      'automationRules',
      'automation',
    ].flatMap((n) => [path.join(parent, n), path.join(this.lake.dir, n)]);
    return candidates.filter((p) => existsSync(p));
  }

  private async loadRules(signal?: AbortSignal) {
    const paths = this.rulePaths();
    if (!paths.length) return { rules: [], automationRules: [], errors: [], files: [] };
    const cwd = path.dirname(path.resolve(this.lake.dir));
    const set = await loadRuleFiles(await findRuleFiles(paths, { cwd, signal }), { cwd, signal });
    for (const e of set.errors) this.logger.warn(`${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
    return set;
  }

  async listAnalyticsRules(signal?: AbortSignal): Promise<AnalyticsRule[]> {
    const set = await this.loadRules(signal);
    return set.rules.map((r) => ({
      id: r.id,
      displayName: r.title,
      kind: r.kind,
      severity: r.severity,
      tactics: r.tactics,
      techniques: r.techniques,
      query: r.query,
      enabled: r.enabled,
      source: { file: r.location.file, line: r.location.line },
    }));
  }

  async listAutomationRules(signal?: AbortSignal): Promise<AutomationRule[]> {
    const set = await this.loadRules(signal);
    return set.automationRules.map(({ location, ...rule }) => ({
      ...rule,
      source: location ? { file: location.file, line: location.line } : undefined,
    }));
  }

  async listDataConnectors(signal?: AbortSignal): Promise<DataConnector[]> {
    const rows = latestBy(
      (await this.table('DataConnectors', 'DataConnectors', signal)).map((r) => ({
        ...r,
        _key: str(r.Id) ?? str(r.ConnectorId) ?? str(r.Name) ?? str(r.DataConnectorName),
      })),
      '_key',
    );
    return rows.map((r) => ({
      id: str(r._key) ?? '',
      kind: str(r.Kind) ?? str(r.ConnectorKind) ?? 'Unknown',
      name: str(r.Name) ?? str(r.DisplayName) ?? str(r.Title) ?? str(r.DataConnectorName) ?? str(r._key) ?? '',
    }));
  }

  dispose(): void {}
}

/** Opens the lake folder and returns a backend over it. A missing folder is a UserError. */
export function createLakeBackend(lakeDir: string, options: LakeBackendOptions = {}): LakeBackend {
  if (!existsSync(lakeDir)) throw new UserError(`${lakeDir}: no such lake folder`);
  return new LakeBackend(openLake(lakeDir, { logger: options.logger }), options);
}
