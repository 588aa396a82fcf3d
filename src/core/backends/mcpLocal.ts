// The extension's local backend: every call goes to the local MCP server child process over stdio
// (query_lake, ListIncidents, GetIncidentById, analyze_*, get_entity_analysis, …), so the Kusto
// parser and the engine never load in the extension host. A dead child is restarted on the next call.
import type { Logger, QueryResult } from '../types';
import type { AnalysisPoll, AnalysisRequest } from '../analyzer/types';
import { McpToolError, SentinelMcpClient } from './mcpClient';
import { UserError } from '../errors';
import { IncidentChange, IncidentConflictError } from './incidentUpdate';
import type {
  AnalyticsRule,
  AutomationRule,
  DataConnector,
  Incident,
  IncidentDetails,
  IncidentFilter,
  IncidentPage,
  QueryOptions,
  SentinelBackend,
  Workspace,
} from './types';

export interface McpLocalBackendOptions {
  /** Node executable to run the server with (the extension host's process.execPath). */
  nodePath: string;
  /** Path of dist/mcp-server.js. */
  serverPath: string;
  /** Lake folder; undefined = the demo lake (generated if missing). */
  lakeDir?: string;
  logger: Logger;
  env?: Record<string, string>;
  /** The server's query time budget: the client waits this long plus a margin before giving up on a query. */
  queryTimeoutMs?: number;
}

/** Tool errors are the server's answer to bad input: surface them as UserErrors (message shown as is). */
async function asUserError<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof McpToolError && e.structured?.code === 'Conflict' && isIncident(e.structured.current)) {
      throw new IncidentConflictError(e.structured.current);
    }
    if (e instanceof McpToolError) throw new UserError(e.message, String(e.structured?.code ?? 'ToolError'));
    throw e;
  }
}

function isIncident(v: unknown): v is Incident {
  return (
    !!v && typeof v === 'object' && typeof (v as Incident).id === 'string' && typeof (v as Incident).number === 'number'
  );
}

export function createMcpLocalBackend(options: McpLocalBackendOptions): SentinelBackend {
  const args = [options.serverPath, ...(options.lakeDir ? ['--lake', options.lakeDir] : [])];
  const client = new SentinelMcpClient(
    {
      kind: 'stdio',
      command: options.nodePath,
      args,
      // ELECTRON_RUN_AS_NODE lets the extension host's executable run the server as plain Node.
      env: { ELECTRON_RUN_AS_NODE: '1', ...(options.env ?? {}) },
    },
    { logger: options.logger, clientName: 'sentinel-workbench-extension' },
  );
  const backend: SentinelBackend = {
    kind: 'local',
    label: options.lakeDir ? `local lake (${options.lakeDir})` : 'local demo lake',
    listWorkspaces: (signal?: AbortSignal): Promise<Workspace[]> => asUserError(client.listWorkspaces(signal)),
    listIncidents: (
      filter: IncidentFilter,
      page: { top: number; pageToken?: string },
      signal?: AbortSignal,
    ): Promise<IncidentPage> => asUserError(client.listIncidents(filter, page, signal)),
    getIncident: (id: string, signal?: AbortSignal): Promise<IncidentDetails> =>
      asUserError(client.getIncidentById(id, signal)),
    runQuery: (query: string, o: QueryOptions = {}): Promise<QueryResult> =>
      asUserError(
        client.queryLake(query, {
          startTime: o.timeRange?.start.toISOString(),
          endTime: o.timeRange?.end.toISOString(),
          maxRows: o.maxRows,
          signal: o.signal,
          // the server answers "over the time budget" itself; the margin covers replacing a stopped worker
          timeoutMs: options.queryTimeoutMs ? options.queryTimeoutMs + 30_000 : undefined,
        }),
      ),
    // The server's engine knows the lake's clock; `print now()` is the one question that says it.
    now: async (signal?: AbortSignal): Promise<Date> => {
      const r = await asUserError(client.queryLake('print Now = now()', { maxRows: 1, signal }));
      const value = r.rows[0]?.[0];
      const t = typeof value === 'string' ? Date.parse(value) : NaN;
      if (!Number.isFinite(t))
        throw new Error(`the local lake answered print now() with ${JSON.stringify(value)?.slice(0, 80)}`);
      return new Date(t);
    },
    startEntityAnalysis: (request: AnalysisRequest, signal?: AbortSignal): Promise<{ analysisId: string }> =>
      asUserError(
        request.entity.type === 'User'
          ? client.analyzeUser(request.entity.id, request.startTime, request.endTime, request.workspaceId, signal)
          : client.analyzeUrl(request.entity.id, request.startTime, request.endTime, request.workspaceId, signal),
      ),
    getEntityAnalysis: (analysisId: string, signal?: AbortSignal): Promise<AnalysisPoll> =>
      asUserError(client.getEntityAnalysis(analysisId, { signal })),
    addIncidentComment: async (incidentId: string, message: string, signal?: AbortSignal): Promise<void> => {
      await asUserError(client.callToolOrThrow('swb_add_incident_comment', { incidentId, message }, { signal }));
    },
    updateIncident: async (
      incidentId: string,
      change: IncidentChange,
      o: { etag?: string; signal?: AbortSignal } = {},
    ): Promise<Incident> => {
      const { data } = await asUserError(
        client.callToolOrThrow('swb_update_incident', { incidentId, etag: o.etag, ...change }, { signal: o.signal }),
      );
      if (!isIncident(data.incident)) throw new Error('swb_update_incident answered without the updated incident');
      return data.incident;
    },
    listAnalyticsRules: async (signal?: AbortSignal): Promise<AnalyticsRule[]> =>
      ((await asUserError(client.callToolOrThrow('swb_list_analytics_rules', {}, { signal }))).data
        .rules as AnalyticsRule[]) ?? [],
    listAutomationRules: async (signal?: AbortSignal): Promise<AutomationRule[]> =>
      ((await asUserError(client.callToolOrThrow('swb_list_automation_rules', {}, { signal }))).data
        .rules as AutomationRule[]) ?? [],
    listDataConnectors: async (signal?: AbortSignal): Promise<DataConnector[]> =>
      ((await asUserError(client.callToolOrThrow('swb_list_data_connectors', {}, { signal }))).data
        .connectors as DataConnector[]) ?? [],
    dispose: () => client.close(),
  };
  return backend;
}
