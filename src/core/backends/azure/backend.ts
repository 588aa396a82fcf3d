// The Azure backend: Sentinel ARM REST for incidents, comments and rules; Log Analytics for KQL; the
// Sentinel MCP server for entity analyses. One credential; a token per scope.
import { randomUUID } from 'crypto';
import type { TokenCredential } from '@azure/core-auth';
import type { AnalysisPoll, AnalysisRequest } from '../../analyzer/types';
import { UserError } from '../../errors';
import { silentLogger, type Logger, type QueryResult } from '../../types';
import { entitiesFromArm } from '../entities';
import { analyticsRuleFromArm, automationRuleFromArm } from '../../rules/arm';
import { matchesFilter } from '../incidents';
import { applyIncidentChange, IncidentChange, IncidentConflictError, validateIncidentChange } from '../incidentUpdate';
import type {
  EntityAnalyzer,
  Alert,
  AnalyticsRule,
  AutomationRule,
  DataConnector,
  Incident,
  IncidentComment,
  IncidentDetails,
  IncidentFilter,
  IncidentPage,
  QueryOptions,
  SentinelBackend,
  Workspace,
} from '../types';
import { ArmClient, AzureRequestError } from './arm';
import {
  AlertList,
  AlertResource,
  AlertRuleResource,
  AutomationRuleResource,
  CommentResource,
  DataConnectorResource,
  IncidentResource,
  ListPage,
  parseArm,
  WorkspaceResource,
} from './armSchemas';
import {
  AzureEndpoints,
  checkEndpoints,
  DEFAULT_API_VERSION,
  parseWorkspaceResourceId,
  WORKSPACE_API_VERSION,
  WorkspaceRef,
} from './config';
import { createLogsClient, LogsClient, queryLogAnalytics } from './logs';
import { checkCommentText } from '../limits';
import { createSentinelMcpAnalyzer } from './sentinelMcp';
import { rememberingCredential } from './credentials';
import { obj, type Obj, str as s } from '../../fields';

export interface AzureBackendOptions {
  /** ARM resource id of the Sentinel-enabled Log Analytics workspace. */
  workspaceResourceId: string;
  credential: TokenCredential;
  endpoints: AzureEndpoints;
  /** Microsoft.SecurityInsights api-version; default 2025-06-01. */
  apiVersion?: string;
  logger?: Logger;
  /** Per ARM request; default 60 s. */
  requestTimeoutMs?: number;
  /** Server-side wait for a Log Analytics query; default 180 s. */
  queryTimeoutSeconds?: number;
  /** Retries after 429/5xx; default 3. */
  maxRetries?: number;
  /** A Retry-After longer than this fails at once with ThrottledError; default 60 s. */
  maxRetryWaitMs?: number;
  /** Entity analyses; default: the Sentinel MCP server at `endpoints.sentinelMcpUrl`. `false` disables them. */
  analyzer?: ((backend: AzureBackend) => EntityAnalyzer) | false;
  /** Tenant of the signed-in user when it is a guest in the workspace's tenant (sent to the Sentinel MCP server). */
  tenantId?: string;
}

interface ArmResource {
  id?: string;
  name?: string;
  kind?: string;
  etag?: string;
  properties?: Obj;
}

/** An incident from its ARM resource; a resource without the required fields throws InvalidAnswerError. */
export function incidentFromArm(r: unknown): Incident {
  const parsed = parseArm(IncidentResource, r, 'an incident');
  const { name, properties: p } = parsed;
  const owner = p.owner ?? {};
  return {
    id: name,
    number: p.incidentNumber,
    title: p.title,
    description: s(p.description),
    severity: p.severity,
    status: p.status,
    classification: s(p.classification),
    classificationReason: s(p.classificationReason),
    classificationComment: s(p.classificationComment),
    owner: s(owner.userPrincipalName) ?? s(owner.email) ?? s(owner.assignedTo),
    ownerDetails:
      s(owner.userPrincipalName) || s(owner.assignedTo) || s(owner.objectId) || s(owner.email)
        ? {
            userPrincipalName: s(owner.userPrincipalName),
            assignedTo: s(owner.assignedTo),
            objectId: s(owner.objectId),
            email: s(owner.email),
          }
        : undefined,
    etag: s(parsed.etag),
    createdTime: p.createdTimeUtc,
    lastModifiedTime: s(p.lastModifiedTimeUtc),
    firstActivityTime: s(p.firstActivityTimeUtc),
    lastActivityTime: s(p.lastActivityTimeUtc),
    alertsCount: p.additionalData?.alertsCount ?? 0,
    tactics: p.additionalData?.tactics ?? [],
    url: s(p.incidentUrl) ?? s(p.providerIncidentUrl),
    relatedAnalyticRuleIds: p.relatedAnalyticRuleIds ?? [],
  };
}

/** An alert of an incident; one without its display name, severity or id throws InvalidAnswerError. */
export function alertFromArm(r: unknown): Alert {
  const p = parseArm(AlertResource, r, 'an incident alert').properties;
  return {
    id: p.systemAlertId,
    name: p.alertDisplayName,
    severity: p.severity,
    description: s(p.description),
    productName: s(p.productName),
    tactics: p.tactics ?? [],
    startTime: s(p.startTimeUtc),
    endTime: s(p.endTimeUtc),
    entities: [],
  };
}

function commentFromArm(r: unknown): IncidentComment {
  const { name, properties: p } = parseArm(CommentResource, r, 'an incident comment');
  const author = p.author ?? {};
  return {
    id: name,
    message: p.message,
    author: s(author.userPrincipalName) ?? s(author.name) ?? s(author.email),
    createdTime: p.createdTimeUtc,
  };
}

/** OData `$filter` for the parts of a filter ARM evaluates (status, severity, creation time). */
export function odataFilter(filter: IncidentFilter): string | undefined {
  const parts: string[] = [];
  const anyOf = (field: string, values: string[]) =>
    `(${values.map((v) => `${field} eq '${v.replace(/'/g, "''")}'`).join(' or ')})`;
  if (filter.status?.length) parts.push(anyOf('properties/status', filter.status));
  if (filter.severity?.length) parts.push(anyOf('properties/severity', filter.severity));
  if (filter.createdAfter) parts.push(`properties/createdTimeUtc ge ${filter.createdAfter.toISOString()}`);
  return parts.length ? parts.join(' and ') : undefined;
}

const TOKEN_PREFIX = 'arm2.';
/** ARM pages read per listIncidents call while filling a page with owner/text matches. */
const MAX_PAGES_PER_CALL = 20;

interface PageCursor {
  /** The ARM page to read (a nextLink); absent = the first page. */
  link?: string;
  /** Incidents of that page already returned. */
  skip: number;
}

function writePageToken(c: PageCursor): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

function readPageToken(token: string): PageCursor {
  const bad = () => new UserError('invalid page token (start again from the first page)');
  if (!token.startsWith(TOKEN_PREFIX)) throw bad();
  try {
    const c = JSON.parse(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8')) as PageCursor;
    if ((c.link !== undefined && typeof c.link !== 'string') || !Number.isInteger(c.skip) || c.skip < 0) throw bad();
    return c;
  } catch {
    throw bad();
  }
}

export class AzureBackend implements SentinelBackend {
  readonly kind = 'azure' as const;
  readonly label: string;
  readonly workspace: WorkspaceRef;
  readonly endpoints: AzureEndpoints;
  readonly arm: ArmClient;
  private readonly logger: Logger;
  private readonly apiVersion: string;
  private customerId: Promise<string> | undefined;
  private logs: Promise<LogsClient> | undefined;
  private analyzerInstance: EntityAnalyzer | undefined;
  /** The caller's credential; every token it hands out is remembered so that no message repeats it. */
  private readonly credential: TokenCredential;

  constructor(readonly options: AzureBackendOptions) {
    this.credential = rememberingCredential(options.credential);
    this.workspace = parseWorkspaceResourceId(options.workspaceResourceId);
    this.endpoints = checkEndpoints(options.endpoints);
    this.logger = options.logger ?? silentLogger;
    this.apiVersion = options.apiVersion?.trim() || DEFAULT_API_VERSION;
    this.label = `Azure: ${this.workspace.workspaceName}`;
    this.arm = new ArmClient({
      endpoint: this.endpoints.armEndpoint,
      credential: this.credential,
      scope: this.endpoints.armScope,
      logger: this.logger,
      timeoutMs: options.requestTimeoutMs,
      maxRetries: options.maxRetries,
      maxRetryWaitMs: options.maxRetryWaitMs,
      targetName: `workspace ${this.workspace.workspaceName}`,
    });
  }

  private get sentinel(): string {
    return `${this.workspace.resourceId}/providers/Microsoft.SecurityInsights`;
  }

  private q(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return { 'api-version': this.apiVersion, ...extra };
  }

  /** The workspace's customer id (what Log Analytics and the Sentinel MCP server call the workspace id). */
  workspaceId(signal?: AbortSignal): Promise<string> {
    if (!this.customerId) {
      this.customerId = this.arm
        .request<ArmResource>({
          method: 'GET',
          path: this.workspace.resourceId,
          query: { 'api-version': WORKSPACE_API_VERSION },
          signal,
          what: 'read the Log Analytics workspace',
          role: 'Reader (or Log Analytics Reader)',
        })
        .then((ws) => parseArm(WorkspaceResource, ws, 'the Log Analytics workspace').properties.customerId);
      this.customerId.catch(() => (this.customerId = undefined));
    }
    return this.customerId;
  }

  async listWorkspaces(signal?: AbortSignal): Promise<Workspace[]> {
    const ws = parseArm(
      WorkspaceResource,
      await this.arm.request<unknown>({
        method: 'GET',
        path: this.workspace.resourceId,
        query: { 'api-version': WORKSPACE_API_VERSION },
        signal,
        what: 'read the Log Analytics workspace',
        role: 'Reader (or Log Analytics Reader)',
      }),
      'the Log Analytics workspace',
    );
    return [
      { id: ws.properties.customerId, name: ws.name, resourceId: this.workspace.resourceId, location: ws.location },
    ];
  }

  /**
   * One page of `page.top` incidents. ARM applies status, severity and time ($filter); owner and text are not
   * filterable there, so pages are read until `top` matches are collected (or the list ends). The page token
   * says where to resume: the ARM page (its nextLink, or the first page) and how many of its incidents were read.
   */
  async listIncidents(
    filter: IncidentFilter,
    page: { top: number; pageToken?: string },
    signal?: AbortSignal,
  ): Promise<IncidentPage> {
    const top = Math.max(1, Math.min(1000, Math.floor(page.top)));
    let cursor: PageCursor = page.pageToken ? readPageToken(page.pageToken) : { skip: 0 };
    const clientSide = { owner: filter.owner, text: filter.text };
    const incidents: Incident[] = [];
    for (let pages = 0; pages < MAX_PAGES_PER_CALL; pages++) {
      const body = parseArm(
        ListPage,
        await this.arm.request<unknown>(
          cursor.link
            ? { method: 'GET', path: cursor.link, signal, what: 'list incidents' }
            : {
                method: 'GET',
                path: `${this.sentinel}/incidents`,
                query: this.q({
                  $filter: odataFilter(filter),
                  $orderby: 'properties/createdTimeUtc desc',
                  $top: String(top),
                }),
                signal,
                what: 'list incidents',
              },
        ),
        'list incidents',
      );
      const all = body.value.map(incidentFromArm);
      for (let i = cursor.skip; i < all.length; i++) {
        if (!matchesFilter(all[i], clientSide)) continue;
        incidents.push(all[i]);
        if (incidents.length === top) {
          const rest =
            i + 1 < all.length
              ? { link: cursor.link, skip: i + 1 }
              : body.nextLink
                ? { link: body.nextLink, skip: 0 }
                : undefined;
          return { incidents, nextPageToken: rest && writePageToken(rest) };
        }
      }
      if (!body.nextLink) return { incidents };
      cursor = { link: body.nextLink, skip: 0 };
    }
    // A long scan for a rare owner/text: hand back what was found and where to go on.
    return { incidents, nextPageToken: writePageToken(cursor) };
  }

  async getIncident(id: string, signal?: AbortSignal): Promise<IncidentDetails> {
    const name = encodeURIComponent(id);
    const base = `${this.sentinel}/incidents/${name}`;
    const incidentRes = await this.arm.request<ArmResource>({
      method: 'GET',
      path: base,
      query: this.q(),
      signal,
      what: 'read the incident',
    });
    const [alertsBody, entitiesBody, comments] = await Promise.all([
      this.arm.request<unknown>({
        method: 'POST',
        path: `${base}/alerts`,
        query: this.q(),
        signal,
        what: 'read the incident alerts',
      }),
      this.arm.request<unknown>({
        method: 'POST',
        path: `${base}/entities`,
        query: this.q(),
        signal,
        what: 'read the incident entities',
      }),
      this.arm.list<unknown>(
        { path: `${base}/comments`, query: this.q(), signal, what: 'read the incident comments' },
        500,
      ),
    ]);
    const { entities, skipped } = entitiesFromArm(entitiesBody);
    if (skipped) this.logger.warn(`incident ${id}: ${skipped} entity record(s) could not be read and were skipped`);
    return {
      incident: incidentFromArm(incidentRes),
      alerts: parseArm(AlertList, alertsBody, 'read the incident alerts').value.map(alertFromArm),
      entities,
      comments: comments.map(commentFromArm).sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime)),
      skippedEntities: skipped,
    };
  }

  private logsClient(): Promise<LogsClient> {
    this.logs ??= createLogsClient(this.endpoints.logsEndpoint, this.endpoints.logsScope, this.credential);
    return this.logs;
  }

  async runQuery(query: string, options: QueryOptions = {}): Promise<QueryResult> {
    const [client, workspaceId] = await Promise.all([this.logsClient(), this.workspaceId(options.signal)]);
    const result = await queryLogAnalytics(client, query, {
      workspaceId,
      targetName: `workspace ${this.workspace.workspaceName}`,
      timeRange: options.timeRange,
      maxRows: options.maxRows,
      timeoutSeconds: this.options.queryTimeoutSeconds,
      signal: options.signal,
    });
    for (const w of result.warnings ?? []) this.logger.warn(w);
    return result;
  }

  /** Log Analytics runs on real time. */
  async now(): Promise<Date> {
    return new Date();
  }

  private analyzer(): EntityAnalyzer {
    if (this.options.analyzer === false) {
      throw new Error('Entity analysis through the Sentinel MCP server is not available for this connection.');
    }
    this.analyzerInstance ??= this.options.analyzer
      ? this.options.analyzer(this)
      : createSentinelMcpAnalyzer({
          url: this.endpoints.sentinelMcpUrl,
          scope: this.endpoints.sentinelMcpScope,
          credential: this.credential,
          logger: this.logger,
          targetName: `workspace ${this.workspace.workspaceName}`,
          tenantId: this.options.tenantId,
          maxRetryWaitMs: this.options.maxRetryWaitMs,
        });
    return this.analyzerInstance;
  }

  async startEntityAnalysis(request: AnalysisRequest, signal?: AbortSignal): Promise<{ analysisId: string }> {
    const workspaceId = request.workspaceId ?? (await this.workspaceId(signal));
    return this.analyzer().start({ ...request, workspaceId }, signal);
  }

  async getEntityAnalysis(analysisId: string, signal?: AbortSignal, request?: AnalysisRequest): Promise<AnalysisPoll> {
    return this.analyzer().get(analysisId, signal, request);
  }

  async addIncidentComment(incidentId: string, message: string, signal?: AbortSignal): Promise<void> {
    const text = checkCommentText(message);
    await this.arm.request({
      method: 'PUT',
      path: `${this.sentinel}/incidents/${encodeURIComponent(incidentId)}/comments/${randomUUID()}`,
      query: this.q(),
      body: { properties: { message: text } },
      signal,
      what: 'add an incident comment',
      role: 'Microsoft Sentinel Responder',
    });
  }

  /**
   * ARM `PUT incidents/{id}` with the incident's writable properties and the etag it was read with; a 412
   * (or 409) means someone else changed it: the current version comes back in an IncidentConflictError.
   */
  async updateIncident(
    incidentId: string,
    change: IncidentChange,
    options: { etag?: string; signal?: AbortSignal } = {},
  ): Promise<Incident> {
    const path = `${this.sentinel}/incidents/${encodeURIComponent(incidentId)}`;
    const read = () =>
      this.arm.request<ArmResource>({
        method: 'GET',
        path,
        query: this.q(),
        signal: options.signal,
        what: 'read the incident',
      });
    const currentRes = await read();
    const current = incidentFromArm(currentRes);
    const etag = options.etag ?? current.etag;
    if (options.etag !== undefined && current.etag !== undefined && options.etag !== current.etag) {
      throw new IncidentConflictError(current);
    }
    const valid = validateIncidentChange(current, change);
    const next = applyIncidentChange(current, valid, new Date().toISOString());
    const p = obj(currentRes.properties);
    const properties: Obj = {
      title: p.title,
      description: p.description,
      severity: next.severity,
      status: next.status,
      firstActivityTimeUtc: p.firstActivityTimeUtc,
      lastActivityTimeUtc: p.lastActivityTimeUtc,
      labels: p.labels,
      owner:
        valid.owner === undefined
          ? p.owner
          : valid.owner === null
            ? {}
            : {
                objectId: valid.owner.objectId,
                userPrincipalName: valid.owner.userPrincipalName,
                assignedTo: valid.owner.assignedTo,
                email: valid.owner.email,
              },
    };
    if (next.status === 'Closed') {
      properties.classification = next.classification;
      properties.classificationReason = next.classificationReason;
      properties.classificationComment = next.classificationComment;
    }
    for (const k of Object.keys(properties)) if (properties[k] === undefined) delete properties[k];
    try {
      const res = await this.arm.request<ArmResource>({
        method: 'PUT',
        path,
        query: this.q(),
        body: { etag, properties },
        ifMatch: etag,
        signal: options.signal,
        what: 'update the incident',
        role: 'Microsoft Sentinel Responder',
      });
      return res?.properties ? incidentFromArm(res) : incidentFromArm(await read());
    } catch (e) {
      if (e instanceof AzureRequestError && (e.status === 412 || e.status === 409))
        throw new IncidentConflictError(incidentFromArm(await read()), current);
      throw e;
    }
  }

  async listAnalyticsRules(signal?: AbortSignal): Promise<AnalyticsRule[]> {
    const list = await this.arm.list<unknown>({
      path: `${this.sentinel}/alertRules`,
      query: this.q(),
      signal,
      what: 'list analytics rules',
    });
    return list.map((item) => {
      const r = parseArm(AlertRuleResource, item, 'an analytics rule');
      const rule = analyticsRuleFromArm(r);
      // Built-in rules (Fusion, ML) may carry no displayName: their resource name is what ARM calls them.
      return { ...rule, id: rule.id ?? r.name, displayName: rule.displayName ?? r.name };
    });
  }

  async listAutomationRules(signal?: AbortSignal): Promise<AutomationRule[]> {
    const list = await this.arm.list<unknown>({
      path: `${this.sentinel}/automationRules`,
      query: this.q(),
      signal,
      what: 'list automation rules',
    });
    return list.map((item) => {
      const r = parseArm(AutomationRuleResource, item, 'an automation rule');
      const rule = automationRuleFromArm(r);
      return { ...rule, id: rule.id ?? r.name, displayName: rule.displayName ?? r.properties.displayName };
    });
  }

  async listDataConnectors(signal?: AbortSignal): Promise<DataConnector[]> {
    const list = await this.arm.list<unknown>({
      path: `${this.sentinel}/dataConnectors`,
      query: this.q(),
      signal,
      what: 'list data connectors',
    });
    return list.map((item) => {
      const r = parseArm(DataConnectorResource, item, 'a data connector');
      // Most connector kinds have no title of their own: the kind names them (as the portal's list does).
      return {
        id: r.name,
        kind: r.kind,
        name: s(r.properties?.connectorUiConfig?.title) ?? s(r.properties?.displayName) ?? r.kind,
      };
    });
  }

  async dispose(): Promise<void> {
    await this.analyzerInstance?.dispose?.();
  }
}

export function createAzureBackend(options: AzureBackendOptions): AzureBackend {
  return new AzureBackend(options);
}
