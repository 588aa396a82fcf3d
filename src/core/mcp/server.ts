// Tool handlers of the local MCP server: the Sentinel data-exploration tool surface over a lake, plus the
// triage tools and the workbench's own extensions. Every tool answers with text (for chat clients) and
// structuredContent (for programs); bad input becomes an isError result, never a dead server.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { echo } from '../echo';
import { UserError } from '../errors';
import type { Logger, QueryResult, ResultColumn } from '../types';
import type { KqlEngine } from '../kql/engine';
import { checkTransferable } from '../kql/transferable';
import type { LocalAnalyzer } from '../analyzer/localAnalyzer';
import { ANALYZER_DEFAULTS, AnalysisPoll, AnalysisResult } from '../analyzer/types';
import type { IncidentFilter, IncidentStatus, SentinelBackend, Severity } from '../backends/types';
import { describeIncidentChange, IncidentChange, IncidentConflictError } from '../backends/incidentUpdate';
import { MAX_CLOSING_COMMENT_CHARS, MAX_COMMENT_CHARS } from '../backends/limits';

/** What the server needs from the lake. */
export interface ServerLake {
  readonly name: string;
  readonly workspaceId: string;
  tableNames(): string[];
  hasTable(name: string): boolean;
  columns(table: string): Promise<ResultColumn[]>;
}

export interface LocalMcpServerDeps {
  lake: ServerLake;
  engine: KqlEngine;
  analyzer: LocalAnalyzer;
  /** Incidents, comments, rules and connectors of the lake (the in-process lake backend). */
  backend?: Pick<
    SentinelBackend,
    | 'listIncidents'
    | 'getIncident'
    | 'addIncidentComment'
    | 'updateIncident'
    | 'listAnalyticsRules'
    | 'listAutomationRules'
    | 'listDataConnectors'
  >;
  logger: Logger;
  /** How long get_entity_analysis waits for a running analysis (default 20 s). */
  pollWaitMs?: number;
  /** Default row cap of query_lake (default 10,000). */
  maxRows?: number;
  /** Per-query time budget of query_lake. */
  queryTimeoutMs?: number;
  version?: string;
}

export const LOCAL_SERVER_NAME = 'sentinel-workbench-local';
const TEXT_ROWS = 50;
const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

/** Plain descriptions of the tables the product knows, for search_tables. */
const TABLE_DESCRIPTIONS: Record<string, string> = {
  SigninLogs: 'Microsoft Entra ID interactive sign-ins: user, result, IP address, location, risk, MFA.',
  AADNonInteractiveUserSignInLogs: 'Microsoft Entra ID non-interactive sign-ins (token refresh, background apps).',
  AlertEvidence: 'Defender XDR alert evidence: accounts, devices, URLs and IPs involved in alerts.',
  SecurityAlert: 'Alerts from Sentinel analytics rules and Microsoft security products.',
  SecurityIncident: 'Sentinel incidents: title, severity, status, owner, alerts.',
  CloudAppEvents: 'Defender for Cloud Apps activity: mailbox rules, consent, file and admin actions.',
  IdentityInfo: 'User identities: UPN, Entra object id, department, roles, account state.',
  BehaviorAnalytics: 'UEBA: unusual user activity with an investigation priority.',
  EmailEvents: 'Email delivery: sender, recipient, subject, delivery action and threat types.',
  EmailUrlInfo: 'URLs found in emails.',
  UrlClickEvents: 'Safe Links clicks: URL, user, allowed or blocked, clicked through.',
  ThreatIntelIndicators: 'Threat intelligence indicators: URLs, domains, IPs, file hashes with confidence.',
  Watchlist: 'Sentinel watchlists: lists of allowed or suspicious values.',
  DeviceNetworkEvents: 'Defender for Endpoint network connections from devices.',
  AuditLogs: 'Microsoft Entra ID audit events: role, app and user changes.',
  IncidentComments: 'Comments added to incidents from Sentinel Workbench.',
};

function ok(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

function fail(text: string, structured?: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], ...(structured ? { structuredContent: structured } : {}), isError: true };
}

/** Runs a handler, turning errors into isError results with a readable message. */
function guarded<A>(logger: Logger, name: string, fn: (args: A, signal: AbortSignal) => Promise<CallToolResult>) {
  return async (args: A, extra: { signal: AbortSignal }): Promise<CallToolResult> => {
    try {
      return await fn(args, extra.signal);
    } catch (e) {
      if (e instanceof UserError) return fail(e.position ? e.format() : e.message, { error: e.message, code: e.code });
      logger.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fail(`${name} failed: ${e instanceof Error ? e.message : String(e)}`, {
        error: String(e instanceof Error ? e.message : e),
        code: 'InternalError',
      });
    }
  };
}

/** Longest URL analyze_url_entity takes (browsers and proxies stop near 8 KB too); longer input is refused unread. */
const MAX_URL_CHARS = 8192;
const isoTime = z.string().max(64).describe('ISO-8601 date and time, e.g. 2026-11-20T12:00:00Z');
const workspaceIdArg = z
  .string()
  .max(256)
  .optional()
  .describe('Workspace id (optional; the local lake has one workspace).');

export function createLocalMcpServer(deps: LocalMcpServerDeps): McpServer {
  const { lake, engine, analyzer, logger } = deps;
  const server = new McpServer({ name: LOCAL_SERVER_NAME, version: deps.version ?? '0.0.0' });
  // The SDK's generic registerTool makes tsc instantiate zod types for minutes; a plain signature keeps
  // type-checking fast.
  const tool = server.registerTool.bind(server) as unknown as (
    name: string,
    config: {
      title?: string;
      description: string;
      inputSchema?: Record<string, z.ZodTypeAny>;
      outputSchema?: Record<string, z.ZodTypeAny>;
      annotations?: ToolAnnotations;
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arguments are validated at run time by the zod schemas
    handler: (args: any, extra: { signal: AbortSignal }) => Promise<CallToolResult> | CallToolResult,
  ) => void;
  const pollWaitMs = deps.pollWaitMs ?? ANALYZER_DEFAULTS.pollWaitSeconds * 1000;

  const checkWorkspace = (id?: string) => {
    if (id && id !== lake.workspaceId && id !== lake.name) {
      throw new UserError(
        `Unknown workspace '${echo(id)}'. This server serves one workspace: ${lake.name} (${lake.workspaceId}).`,
        'UnknownWorkspace',
      );
    }
  };
  const needBackend = () => {
    if (!deps.backend)
      throw new UserError('Incidents, comments and rules are not available for this lake.', 'Unavailable');
    return deps.backend;
  };

  tool(
    'list_sentinel_workspaces',
    {
      title: 'List Sentinel workspaces',
      annotations: READ_ONLY,
      description: 'Lists the Sentinel workspaces this server can query (the local lake).',
      inputSchema: {},
    },
    guarded(logger, 'list_sentinel_workspaces', async () => {
      const workspaces = [{ id: lake.workspaceId, name: lake.name }];
      return ok(`1 workspace: ${lake.name} (${lake.workspaceId})`, { workspaces });
    }),
  );

  tool(
    'search_tables',
    {
      title: 'Search tables',
      annotations: READ_ONLY,
      description:
        'Finds the tables of the lake relevant to a question (by table name, description and column names) and returns their schemas.',
      inputSchema: {
        query: z.string().min(1).max(1000).describe('What you are looking for, e.g. "sign-in failures by IP"'),
        workspaceId: workspaceIdArg,
      },
    },
    guarded(logger, 'search_tables', async (args: { query: string; workspaceId?: string }) => {
      checkWorkspace(args.workspaceId);
      const terms = args.query
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((t) => t.length >= 2);
      const scored: { name: string; description: string; columns: ResultColumn[]; score: number }[] = [];
      for (const name of lake.tableNames()) {
        const columns = await lake.columns(name);
        const description = TABLE_DESCRIPTIONS[name] ?? '';
        const hay = {
          name: name.toLowerCase(),
          desc: description.toLowerCase(),
          cols: columns.map((c) => c.name.toLowerCase()),
        };
        let score = 0;
        for (const t of terms) {
          if (hay.name.includes(t)) score += 3;
          if (hay.desc.includes(t)) score += 2;
          if (hay.cols.some((c) => c.includes(t))) score += 1;
        }
        if (score > 0 || terms.length === 0) scored.push({ name, description, columns, score });
      }
      scored.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
      const tables = scored.slice(0, 10);
      const text = tables.length
        ? tables
            .map(
              (t) =>
                `${t.name}${t.description ? ` — ${t.description}` : ''}\n  columns: ${t.columns.map((c) => `${c.name}:${c.type}`).join(', ')}`,
            )
            .join('\n')
        : `No table matches '${echo(args.query)}'. Tables: ${lake.tableNames().join(', ')}`;
      return ok(text, { tables });
    }),
  );

  tool(
    'query_lake',
    {
      title: 'Run a KQL query',
      annotations: READ_ONLY,
      description:
        "Runs a KQL query on the local lake with the workbench engine. Optional extensions: startTime/endTime restrict every table's TimeGenerated (like a Log Analytics timespan), maxRows caps the rows.",
      inputSchema: {
        query: z.string().min(1).describe('KQL query'),
        workspaceId: workspaceIdArg,
        startTime: isoTime.optional(),
        endTime: isoTime.optional(),
        maxRows: z.number().int().min(1).max(1_000_000).optional(),
      },
    },
    guarded(
      logger,
      'query_lake',
      async (
        args: { query: string; workspaceId?: string; startTime?: string; endTime?: string; maxRows?: number },
        signal,
      ) => {
        checkWorkspace(args.workspaceId);
        let timeRange: { start: Date; end: Date } | undefined;
        if (args.startTime || args.endTime) {
          const start = new Date(args.startTime ?? 0);
          const end = args.endTime ? new Date(args.endTime) : new Date();
          if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start > end) {
            throw new UserError(
              'startTime and endTime must be ISO-8601 times with startTime before endTime.',
              'BadWindow',
            );
          }
          timeRange = { start, end };
        }
        const result = await engine.execute(args.query, {
          maxRows: args.maxRows ?? deps.maxRows ?? 10_000,
          timeRange,
          timeoutMs: deps.queryTimeoutMs,
          signal,
        });
        checkTransferable(result);
        const answer = withinAnswerSize(result);
        return ok(formatQueryText(answer), answer as unknown as Record<string, unknown>);
      },
    ),
  );

  const startTool = (type: 'User' | 'Url', idName: 'userId' | 'url') =>
    guarded(logger, `analyze_${type.toLowerCase()}_entity`, async (args: Record<string, string | undefined>) => {
      checkWorkspace(args.workspaceId);
      const { analysisId } = analyzer.start({
        entity: { type, id: args[idName] ?? '' },
        startTime: args.startTime ?? '',
        endTime: args.endTime ?? '',
        workspaceId: args.workspaceId,
      });
      return ok(
        `Analysis started. analysisId: ${analysisId}\nCall get_entity_analysis with this id to get the verdict (it may report "in progress"; call again).`,
        { analysisId, status: 'running' },
      );
    });

  tool(
    'analyze_user_entity',
    {
      title: 'Analyze a user',
      annotations: READ_ONLY,
      description:
        'Starts an entity analysis of a cloud user (UPN or Entra object id) over a window of at most 7 days. Returns an analysisId at once; get the verdict with get_entity_analysis. Needs AlertEvidence, SigninLogs, CloudAppEvents and IdentityInfo; works better with AADNonInteractiveUserSignInLogs and BehaviorAnalytics.',
      inputSchema: {
        userId: z.string().min(1).max(1000).describe('UPN or Microsoft Entra object id'),
        startTime: isoTime,
        endTime: isoTime,
        workspaceId: workspaceIdArg,
      },
    },
    startTool('User', 'userId'),
  );

  tool(
    'analyze_url_entity',
    {
      title: 'Analyze a URL',
      annotations: READ_ONLY,
      description:
        'Starts an entity analysis of a URL (defanged URLs such as hxxps://evil[.]com are accepted). Returns an analysisId at once; get the verdict with get_entity_analysis. Works better with EmailUrlInfo, UrlClickEvents, ThreatIntelIndicators, Watchlist and DeviceNetworkEvents.',
      inputSchema: {
        url: z.string().min(1).max(MAX_URL_CHARS),
        startTime: isoTime,
        endTime: isoTime,
        workspaceId: workspaceIdArg,
      },
    },
    startTool('Url', 'url'),
  );

  tool(
    'get_entity_analysis',
    {
      title: 'Get an entity analysis',
      annotations: READ_ONLY,
      description:
        'Returns the verdict of an analysis started with analyze_user_entity or analyze_url_entity. Waits a bounded time; if the analysis is still running it answers "in progress" and you should call again. Results expire one hour after they complete.',
      inputSchema: {
        analysisId: z.string().min(1).max(256),
        waitSeconds: z
          .number()
          .min(0)
          .max(60)
          .optional()
          .describe('Extension: how long to wait for a running analysis (default 20).'),
      },
    },
    guarded(logger, 'get_entity_analysis', async (args: { analysisId: string; waitSeconds?: number }, signal) => {
      const wait = args.waitSeconds !== undefined ? args.waitSeconds * 1000 : pollWaitMs;
      const poll = await analyzer.get(args.analysisId, wait, signal);
      return pollResult(poll, analyzer.failureCode(args.analysisId));
    }),
  );

  // Triage tools (names as in Sentinel's triage collection).
  const statusEnum = z.enum(['New', 'Active', 'Closed']);
  const severityEnum = z.enum(['High', 'Medium', 'Low', 'Informational']);
  tool(
    'ListIncidents',
    {
      title: 'List incidents',
      annotations: READ_ONLY,
      description: "Lists the lake's incidents, newest first, with optional filters and paging.",
      inputSchema: {
        status: z.array(statusEnum).optional(),
        severity: z.array(severityEnum).optional(),
        createdAfter: isoTime.optional(),
        owner: z.string().max(1000).optional(),
        text: z.string().max(1000).optional().describe('Text in the title or incident number'),
        top: z.number().int().min(1).max(1000).optional(),
        pageToken: z.string().max(1000).optional(),
      },
    },
    guarded(
      logger,
      'ListIncidents',
      async (
        args: {
          status?: IncidentStatus[];
          severity?: Severity[];
          createdAfter?: string;
          owner?: string;
          text?: string;
          top?: number;
          pageToken?: string;
        },
        signal,
      ) => {
        const filter: IncidentFilter = {
          status: args.status,
          severity: args.severity,
          owner: args.owner,
          text: args.text,
        };
        if (args.createdAfter) {
          const d = new Date(args.createdAfter);
          if (Number.isNaN(d.getTime()))
            throw new UserError(`createdAfter '${echo(args.createdAfter)}' is not an ISO-8601 time.`);
          filter.createdAfter = d;
        }
        const page = await needBackend().listIncidents(
          filter,
          { top: args.top ?? 50, pageToken: args.pageToken },
          signal,
        );
        const text = page.incidents.length
          ? page.incidents
              .map(
                (i) =>
                  `#${i.number} [${i.severity}/${i.status}] ${i.title} (${i.id}, ${i.alertsCount} alerts, created ${i.createdTime})`,
              )
              .join('\n') + (page.nextPageToken ? `\nMore: pageToken ${page.nextPageToken}` : '')
          : 'No incidents match.';
        return ok(text, page as unknown as Record<string, unknown>);
      },
    ),
  );

  tool(
    'GetIncidentById',
    {
      title: 'Get an incident',
      annotations: READ_ONLY,
      description:
        'An incident with its alerts and entities (accounts, URLs, IPs, hosts…). Accepts the incident id (GUID) or number.',
      inputSchema: { incidentId: z.string().min(1).max(256) },
    },
    guarded(logger, 'GetIncidentById', async (args: { incidentId: string }, signal) => {
      const d = await needBackend().getIncident(args.incidentId, signal);
      const i = d.incident;
      const text = [
        `#${i.number} [${i.severity}/${i.status}] ${i.title}`,
        i.description ?? '',
        `Alerts (${d.alerts.length}): ${d.alerts.map((a) => a.name).join('; ')}`,
        `Entities (${d.entities.length}): ${d.entities.map((e) => `${e.kind} ${e.displayName}`).join('; ')}`,
      ]
        .filter(Boolean)
        .join('\n');
      return ok(text, d as unknown as Record<string, unknown>);
    }),
  );

  // Workbench extensions the local backend needs (not part of Sentinel's tool surface).
  tool(
    'swb_add_incident_comment',
    {
      title: 'Add an incident comment (workbench extension)',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      description:
        'Local workbench extension: appends a comment to an incident of the lake (persisted in the IncidentComments table file).',
      inputSchema: { incidentId: z.string().min(1).max(256), message: z.string().min(1).max(MAX_COMMENT_CHARS) },
    },
    guarded(logger, 'swb_add_incident_comment', async (args: { incidentId: string; message: string }, signal) => {
      await needBackend().addIncidentComment(args.incidentId, args.message, signal);
      return ok(`Comment added to incident ${args.incidentId}.`, { incidentId: args.incidentId, added: true });
    }),
  );
  tool(
    'swb_update_incident',
    {
      title: 'Update an incident (workbench extension)',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      description:
        'Local workbench extension: changes owner, status, severity or closes an incident with a classification ' +
        '(TruePositive: SuspiciousActivity; BenignPositive: SuspiciousButExpected; FalsePositive: IncorrectAlertLogic or InaccurateData; ' +
        'Undetermined: no reason). Appends a new version of the SecurityIncident row; with etag, a newer version is a Conflict.',
      inputSchema: {
        incidentId: z.string().min(1),
        etag: z.string().optional().describe('The version the change is based on (Incident.etag).'),
        owner: z
          .object({
            userPrincipalName: z.string().optional(),
            assignedTo: z.string().optional(),
            objectId: z.string().optional(),
            email: z.string().optional(),
          })
          .nullable()
          .optional(),
        status: z.enum(['New', 'Active', 'Closed']).optional(),
        severity: z.enum(['High', 'Medium', 'Low', 'Informational']).optional(),
        close: z
          .object({
            classification: z.enum(['TruePositive', 'BenignPositive', 'FalsePositive', 'Undetermined']),
            reason: z
              .enum(['SuspiciousActivity', 'SuspiciousButExpected', 'IncorrectAlertLogic', 'InaccurateData'])
              .optional(),
            comment: z.string().max(MAX_CLOSING_COMMENT_CHARS).optional(),
          })
          .optional(),
      },
    },
    guarded(
      logger,
      'swb_update_incident',
      async (args: { incidentId: string; etag?: string } & IncidentChange, signal) => {
        const { incidentId, etag, ...change } = args;
        try {
          const incident = await needBackend().updateIncident(incidentId, change, { etag, signal });
          return ok(`Incident #${incident.number} updated: ${describeIncidentChange(change)}.`, { incident });
        } catch (e) {
          if (e instanceof IncidentConflictError)
            return fail(e.message, { error: e.message, code: e.code, current: e.theirs });
          throw e;
        }
      },
    ),
  );
  tool(
    'swb_list_analytics_rules',
    {
      title: 'List analytics rules (workbench extension)',
      annotations: READ_ONLY,
      description: 'Local workbench extension: the analytics rules of the local workspace (from rule files).',
      inputSchema: {},
    },
    guarded(logger, 'swb_list_analytics_rules', async (_args: Record<string, never>, signal) => {
      const rules = await needBackend().listAnalyticsRules(signal);
      return ok(
        rules.map((r) => `${r.displayName} [${r.severity ?? '?'}] ${r.id}`).join('\n') || 'No analytics rules.',
        { rules },
      );
    }),
  );
  tool(
    'swb_list_automation_rules',
    {
      title: 'List automation rules (workbench extension)',
      annotations: READ_ONLY,
      description: 'Local workbench extension: the automation rules of the local workspace (from rule files).',
      inputSchema: {},
    },
    guarded(logger, 'swb_list_automation_rules', async (_args: Record<string, never>, signal) => {
      const rules = await needBackend().listAutomationRules(signal);
      return ok(
        rules.map((r) => `${r.displayName} (order ${r.order ?? '?'}) ${r.id}`).join('\n') || 'No automation rules.',
        { rules },
      );
    }),
  );
  tool(
    'swb_list_data_connectors',
    {
      title: 'List data connectors (workbench extension)',
      annotations: READ_ONLY,
      description: 'Local workbench extension: the data connectors recorded in the lake.',
      inputSchema: {},
    },
    guarded(logger, 'swb_list_data_connectors', async (_args: Record<string, never>, signal) => {
      const connectors = await needBackend().listDataConnectors(signal);
      return ok(connectors.map((c) => `${c.name} (${c.kind})`).join('\n') || 'No data connectors.', { connectors });
    }),
  );

  return server;
}

/** The get_entity_analysis answer for a poll state. */
export function pollResult(poll: AnalysisPoll, code?: string): CallToolResult {
  switch (poll.status) {
    case 'running':
      return ok(`in progress: ${poll.message ?? 'the analysis is still running'} (analysisId ${poll.analysisId})`, {
        ...poll,
      });
    case 'completed':
      return ok(formatAnalysisText(poll.result), { ...poll });
    case 'failed':
      return fail(`Analysis ${poll.analysisId} failed: ${poll.error}`, { ...poll, code: code ?? 'Failed' });
    case 'expired':
      return fail(
        `Analysis ${poll.analysisId} expired: results are kept for one hour after they complete. Start a new analysis.`,
        { ...poll },
      );
  }
}

export function formatAnalysisText(r: AnalysisResult): string {
  const lines = [
    `Verdict: ${r.verdict}${r.confidence ? ` (confidence ${r.confidence})` : ''}`,
    `Entity: ${r.entity.type} ${r.entity.id}`,
    `Window: ${r.window.startTime} – ${r.window.endTime}`,
    '',
    r.summary,
    '',
    'Evidence:',
    ...r.evidence.map(
      (e) =>
        `- ${e.title} [${e.table}]${e.weight !== undefined ? ` (${e.weight >= 0 ? '+' : ''}${e.weight})` : ''}: ${e.detail ?? ''}\n  Query:\n${indent(e.query, '    ')}\n  Rows: ${e.rows.length}`,
    ),
    '',
    'Recommendations:',
    ...r.recommendations.map((x) => `- ${x}`),
  ];
  if (r.disclaimer) lines.push('', `Note: ${r.disclaimer}`);
  lines.push('', `Completed ${r.completedAt}${r.expiresAt ? `; expires ${r.expiresAt}` : ''}.`);
  return lines.join('\n');
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/**
 * Most JSON one query_lake answer carries. MCP clients read a stdio message whole (the SDK's default limit is
 * 10 MB and larger ones close the session), so a larger result is cut at a row boundary and says so.
 */
export const MAX_ANSWER_CHARS = 8 * 1024 * 1024;

export function withinAnswerSize(result: QueryResult, maxChars = MAX_ANSWER_CHARS): QueryResult {
  let size = JSON.stringify(result.columns).length + 512;
  for (let i = 0; i < result.rows.length; i++) {
    size += JSON.stringify(result.rows[i]).length + 1;
    if (size > maxChars) {
      const mb = Math.round(maxChars / (1024 * 1024));
      return {
        ...result,
        rows: result.rows.slice(0, i),
        stats: { ...result.stats, rowsReturned: i, truncated: true },
        warnings: [
          ...(result.warnings ?? []),
          `Result cut at ${i.toLocaleString('en-US')} of ${result.rows.length.toLocaleString('en-US')} rows: one answer of the local server holds at most ${mb} MB (ask for fewer rows or columns).`,
        ],
      };
    }
  }
  return result;
}

/** A compact text table for chat clients (the full result is in structuredContent). */
export function formatQueryText(result: QueryResult): string {
  const cols = result.columns.map((c) => c.name);
  const shown = result.rows.slice(0, TEXT_ROWS);
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    const one = s.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
    return one.length > 120 ? one.slice(0, 117) + '…' : one;
  };
  const lines = [
    `| ${cols.join(' | ')} |`,
    `| ${cols.map(() => '---').join(' | ')} |`,
    ...shown.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  const more =
    result.rows.length > shown.length ? `\n(${result.rows.length - shown.length} more rows in structuredContent)` : '';
  const warnings = result.warnings?.length ? `\n${result.warnings.join('\n')}` : '';
  return `${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.stats.truncated ? ' (truncated)' : ''}\n${lines.join('\n')}${more}${warnings}`;
}
