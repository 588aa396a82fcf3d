// One MCP client for both servers: the local server over stdio and Microsoft's Sentinel MCP server over
// Streamable HTTP with a bearer token. The transport is the only difference; typed wrappers read
// structuredContent when present and parse the text otherwise. A dead stdio child is restarted on the next call.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CancelledError, UserError } from '../errors';
import { redactSecrets } from '../secrets';
import type { KqlType, Logger, QueryResult, ResultColumn } from '../types';
import type { AnalysisPoll, AnalysisRequest, AnalysisResult } from '../analyzer/types';
import {
  InvalidAnswerError,
  jsonOf,
  parseAnswer,
  QueryAnswer,
  readPollAnswer,
  readStartAnswer,
  WorkspacesAnswer,
} from './answers';
import type { Incident, IncidentDetails, IncidentFilter, IncidentPage, Workspace } from './types';

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

export type McpConnection =
  | { kind: 'stdio'; command: string; args: string[]; env?: Record<string, string>; cwd?: string }
  | {
      kind: 'http';
      url: string;
      /** A fresh bearer token for each request (cached by the caller's credential). */
      getToken: (signal?: AbortSignal) => Promise<string>;
      /** Sent as x-mcp-client-tenant-id (guest tenants). */
      tenantId?: string;
      fetch?: FetchLike;
    };

export interface McpClientOptions {
  logger: Logger;
  clientName?: string;
  clientVersion?: string;
  /** Per-request timeout (default 120 s). */
  requestTimeoutMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ToolOutput {
  text: string;
  structured?: Record<string, unknown>;
  isError: boolean;
}

/** A tool answered with isError: the message is the server's text. */
export class McpToolError extends Error {
  constructor(
    readonly tool: string,
    message: string,
    readonly structured?: Record<string, unknown>,
  ) {
    super(redactSecrets(message));
    this.name = 'McpToolError';
  }
}

/** Largest answer read from the local server (query_lake with many rows). */
const MAX_ANSWER_BYTES = 512 * 1024 * 1024;

/** Plain http is allowed only for loopback hosts (tests, local proxies). */
export function checkServerUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`'${url}' is not a valid MCP server URL.`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]', '::1'].includes(u.hostname);
  if (u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) return u;
  throw new UserError(`The MCP server URL must use https (plain http only for loopback hosts): ${url}`);
}

interface Live {
  client: Client;
  transport: Transport;
  closed: boolean;
}

export class SentinelMcpClient {
  private live: Promise<Live> | undefined;
  private disposed = false;

  constructor(
    readonly connection: McpConnection,
    private readonly options: McpClientOptions,
  ) {
    if (connection.kind === 'http') checkServerUrl(connection.url);
  }

  get isLocal(): boolean {
    return this.connection.kind === 'stdio';
  }

  /** Process id of the running stdio server, if any (diagnostics and tests). */
  async serverPid(): Promise<number | undefined> {
    const live = this.live ? await this.live.catch(() => undefined) : undefined;
    if (!live || live.closed) return undefined;
    return (live.transport as { pid?: number | null }).pid ?? undefined;
  }

  private async connect(): Promise<Live> {
    const { logger } = this.options;
    const client = new Client({
      name: this.options.clientName ?? 'sentinel-workbench',
      version: this.options.clientVersion ?? '0.0.0',
    });
    let transport: Transport;
    const stderrTail: string[] = [];
    if (this.connection.kind === 'stdio') {
      const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
      const c = this.connection;
      const t = new StdioClientTransport({
        command: c.command,
        args: c.args,
        env: { ...(process.env as Record<string, string>), ...(c.env ?? {}) },
        cwd: c.cwd,
        stderr: 'pipe',
        // a query answer can be larger than the SDK's default 10 MB, which would close the session
        maxBufferSize: MAX_ANSWER_BYTES,
      });
      let buffered = '';
      t.stderr?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trimEnd();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          logger.debug(`[mcp-server] ${line}`);
          stderrTail.push(line);
          if (stderrTail.length > 20) stderrTail.shift();
        }
      });
      transport = t;
    } else {
      const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
      const c = this.connection;
      const base: FetchLike = c.fetch ?? ((u, i) => fetch(u, i));
      const authFetch: FetchLike = async (url, init) => {
        const headers = new Headers(init?.headers);
        headers.set('Authorization', `Bearer ${await c.getToken(init?.signal ?? undefined)}`);
        if (c.tenantId) headers.set('x-mcp-client-tenant-id', c.tenantId);
        return base(url, { ...init, headers });
      };
      transport = new StreamableHTTPClientTransport(checkServerUrl(c.url), { fetch: authFetch });
    }
    const live: Live = { client, transport, closed: false };
    client.onclose = () => {
      live.closed = true;
      logger.info(`MCP connection closed (${this.describe()})`);
    };
    client.onerror = (e) => logger.debug(`MCP transport: ${e.message}`);
    try {
      await client.connect(transport);
    } catch (e) {
      if (this.connection.kind !== 'stdio') throw e;
      // The child exited before the handshake: its stderr says why (e.g. a wrong lake folder).
      await new Promise((r) => setTimeout(r, 50));
      const reason = stderrTail.filter((l) => /error/i.test(l)).pop() ?? stderrTail[stderrTail.length - 1];
      await transport.close().catch(() => undefined);
      if (reason && /(^|\s)error:/.test(reason))
        throw new UserError(
          `The local MCP server did not start: ${reason.replace(/^.*?error:\s*/, '')}`,
          'ServerStart',
        );
      throw new Error(
        `The local MCP server did not start${reason ? `: ${reason}` : ''} (${e instanceof Error ? e.message : String(e)})`,
        { cause: e },
      );
    }
    logger.info(`MCP connected (${this.describe()})`);
    return live;
  }

  private describe(): string {
    return this.connection.kind === 'stdio' ? 'local server' : this.connection.url;
  }

  /** The live connection, (re)starting it when there is none or the last one closed (e.g. the child died). */
  private async ensure(): Promise<Live> {
    if (this.disposed) throw new Error('The MCP client was closed.');
    if (this.live) {
      try {
        const l = await this.live;
        if (!l.closed) return l;
      } catch {
        /* the last start failed: try again */
      }
    }
    const p = this.connect();
    this.live = p;
    p.catch(() => {
      if (this.live === p) this.live = undefined;
    });
    return p;
  }

  /** Calls a tool; isError results come back as `isError: true` (see callToolOrThrow). */
  async callTool(name: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<ToolOutput> {
    if (options.signal?.aborted) throw new CancelledError();
    for (let attempt = 0; ; attempt++) {
      const live = await this.ensure();
      try {
        const r = await live.client.callTool({ name, arguments: args }, undefined, {
          signal: options.signal,
          timeout: options.timeoutMs ?? this.options.requestTimeoutMs ?? 120_000,
        });
        const text = Array.isArray(r.content)
          ? (r.content as { type: string; text?: string }[])
              .filter((c) => c.type === 'text')
              .map((c) => c.text ?? '')
              .join('\n')
          : '';
        const structured =
          r.structuredContent && typeof r.structuredContent === 'object'
            ? (r.structuredContent as Record<string, unknown>)
            : undefined;
        return { text, structured, isError: r.isError === true };
      } catch (e) {
        if (options.signal?.aborted) throw new CancelledError();
        // The connection died under us (e.g. the server process was killed): retry once on a fresh one.
        if (attempt === 0 && (live.closed || isConnectionError(e))) {
          this.options.logger.warn(`MCP call ${name} lost its connection; reconnecting`);
          live.closed = true;
          continue;
        }
        throw e;
      }
    }
  }

  /** Calls a tool and returns structuredContent (or the text parsed as JSON); isError → McpToolError. */
  async callToolOrThrow(
    name: string,
    args: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<{ data: Record<string, unknown>; text: string }> {
    const r = await this.callTool(name, args, options);
    if (r.isError) throw new McpToolError(name, r.text || `${name} failed`, r.structured);
    const data = jsonOf(r.structured, r.text) ?? (this.isLocal ? parseJsonObject(r.text) : undefined);
    if (!data) throw new InvalidAnswerError(name, 'not a JSON object', r.text);
    return { data, text: r.text };
  }

  async listTools(signal?: AbortSignal): Promise<string[]> {
    const live = await this.ensure();
    const r = await live.client.listTools(undefined, { signal });
    return r.tools.map((t) => t.name);
  }

  // ---- typed wrappers -------------------------------------------------------------------------------

  async listWorkspaces(signal?: AbortSignal): Promise<Workspace[]> {
    const r = await this.callTool('list_sentinel_workspaces', {}, { signal });
    if (r.isError)
      throw new McpToolError('list_sentinel_workspaces', r.text || 'list_sentinel_workspaces failed', r.structured);
    const arr = parseAnswer(
      WorkspacesAnswer,
      r.structured ?? parseJsonValue(r.text),
      'list_sentinel_workspaces',
      r.text,
    );
    return arr.map((w) => {
      const o = w as Record<string, unknown>;
      return {
        id: String(o.id ?? o.workspaceId ?? o.customerId ?? ''),
        name: String(o.name ?? o.workspaceName ?? o.id ?? ''),
        resourceId: o.resourceId ? String(o.resourceId) : undefined,
        location: o.location ? String(o.location) : undefined,
      };
    });
  }

  async searchTables(
    query: string,
    workspaceId?: string,
    signal?: AbortSignal,
  ): Promise<{ name: string; description?: string; columns: ResultColumn[] }[]> {
    const { data, text } = await this.callToolOrThrow('search_tables', compact({ query, workspaceId }), { signal });
    const arr = findArray(data, ['tables', 'value', 'results']);
    if (!arr) throw new InvalidAnswerError('search_tables', 'no list of tables', text);
    return arr.map((t) => {
      const o = t as Record<string, unknown>;
      const cols = Array.isArray(o.columns) ? (o.columns as Record<string, unknown>[]) : [];
      return {
        name: String(o.name ?? o.tableName ?? ''),
        description: o.description ? String(o.description) : undefined,
        columns: cols.map((c) => ({
          name: String(c.name ?? c.columnName ?? ''),
          type: kqlType(c.type ?? c.columnType),
        })),
      };
    });
  }

  async queryLake(
    query: string,
    options: {
      workspaceId?: string;
      startTime?: string;
      endTime?: string;
      maxRows?: number;
      signal?: AbortSignal;
      timeoutMs?: number;
    } = {},
  ): Promise<QueryResult> {
    // startTime/endTime/maxRows are extensions of the local server; Microsoft's server gets the query only.
    const args = this.isLocal
      ? compact({
          query,
          workspaceId: options.workspaceId,
          startTime: options.startTime,
          endTime: options.endTime,
          maxRows: options.maxRows,
        })
      : compact({ query, workspaceId: options.workspaceId });
    const { data, text } = await this.callToolOrThrow('query_lake', args, {
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    parseAnswer(QueryAnswer, data, 'query_lake', text);
    return toQueryResult(data, options.maxRows);
  }

  async analyzeUser(
    userId: string,
    startTime: string,
    endTime: string,
    workspaceId?: string,
    signal?: AbortSignal,
  ): Promise<{ analysisId: string }> {
    const r = await this.callTool('analyze_user_entity', compact({ userId, startTime, endTime, workspaceId }), {
      signal,
    });
    if (r.isError) throw new McpToolError('analyze_user_entity', r.text || 'analyze_user_entity failed', r.structured);
    return { analysisId: readStartAnswer('analyze_user_entity', r.structured, r.text) };
  }

  async analyzeUrl(
    url: string,
    startTime: string,
    endTime: string,
    workspaceId?: string,
    signal?: AbortSignal,
  ): Promise<{ analysisId: string }> {
    const r = await this.callTool('analyze_url_entity', compact({ url, startTime, endTime, workspaceId }), { signal });
    if (r.isError) throw new McpToolError('analyze_url_entity', r.text || 'analyze_url_entity failed', r.structured);
    return { analysisId: readStartAnswer('analyze_url_entity', r.structured, r.text) };
  }

  /** One poll. Expired and failed analyses come back as states, not exceptions. */
  async getEntityAnalysis(
    analysisId: string,
    options: { waitSeconds?: number; signal?: AbortSignal; request?: AnalysisRequest } = {},
  ): Promise<AnalysisPoll> {
    const args = this.isLocal ? compact({ analysisId, waitSeconds: options.waitSeconds }) : { analysisId };
    // Microsoft's tool waits "a few minutes" itself before answering "still running".
    const wait = this.isLocal ? (options.waitSeconds ?? 20) * 1000 : 300_000;
    const r = await this.callTool('get_entity_analysis', args, { signal: options.signal, timeoutMs: wait + 60_000 });
    if (!this.isLocal) {
      const req = options.request;
      return readPollAnswer(
        {
          analysisId,
          entity: req?.entity,
          window: req && { startTime: req.startTime, endTime: req.endTime },
          receivedAt: new Date(),
        },
        r.structured,
        r.text,
        r.isError,
      );
    }
    return toAnalysisPoll(analysisId, r, 'local');
  }

  async listIncidents(
    filter: IncidentFilter,
    page: { top: number; pageToken?: string },
    signal?: AbortSignal,
  ): Promise<IncidentPage> {
    const { data } = await this.callToolOrThrow(
      'ListIncidents',
      compact({
        status: filter.status,
        severity: filter.severity,
        createdAfter: filter.createdAfter?.toISOString(),
        owner: filter.owner,
        text: filter.text,
        top: page.top,
        pageToken: page.pageToken,
      }),
      { signal },
    );
    const incidents = (findArray(data, ['incidents', 'value']) ?? []) as Incident[];
    return { incidents, nextPageToken: typeof data.nextPageToken === 'string' ? data.nextPageToken : undefined };
  }

  async getIncidentById(incidentId: string, signal?: AbortSignal): Promise<IncidentDetails> {
    const { data } = await this.callToolOrThrow('GetIncidentById', { incidentId }, { signal });
    if (!data.incident)
      throw new McpToolError('GetIncidentById', `Incident ${incidentId}: unexpected answer from the server.`);
    return data as unknown as IncidentDetails;
  }

  async close(): Promise<void> {
    this.disposed = true;
    const l = this.live;
    this.live = undefined;
    if (l) {
      try {
        const live = await l;
        await live.client.close();
      } catch {
        /* already gone */
      }
    }
  }
}

function isConnectionError(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown })?.code;
  return (
    code === -32000 || /connection closed|not connected|EPIPE|ECONNRESET|write after end|socket hang up/i.test(msg)
  );
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) r[k] = v;
  return r;
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const t = text.trim();
  const start = t.indexOf('{');
  if (start < 0) return undefined;
  for (const candidate of [t, t.slice(start, t.lastIndexOf('}') + 1)]) {
    try {
      const v = JSON.parse(candidate);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* next */
    }
  }
  return undefined;
}

function parseJsonValue(text: string): unknown {
  try {
    return JSON.parse(text.trim());
  } catch {
    return undefined;
  }
}

function findArray(data: Record<string, unknown>, keys: string[]): unknown[] | undefined {
  for (const k of keys) if (Array.isArray(data[k])) return data[k] as unknown[];
  return undefined;
}

const TYPES = new Set<KqlType>([
  'string',
  'datetime',
  'bool',
  'int',
  'long',
  'real',
  'decimal',
  'guid',
  'timespan',
  'dynamic',
]);

function kqlType(t: unknown): KqlType {
  const s = String(t ?? 'string').toLowerCase();
  if (TYPES.has(s as KqlType)) return s as KqlType;
  if (s === 'boolean') return 'bool';
  if (s === 'double' || s === 'float') return 'real';
  if (s === 'date' || s === 'timestamp') return 'datetime';
  if (s === 'object' || s === 'array') return 'dynamic';
  return 'string';
}

/** Accepts the wire form, a Log Analytics response or an array of row objects. */
export function toQueryResult(data: Record<string, unknown>, maxRows?: number): QueryResult {
  let columns: ResultColumn[] = [];
  let rows: unknown[][] = [];
  const tables = Array.isArray(data.tables) ? (data.tables as Record<string, unknown>[]) : undefined;
  const src = tables?.[0] ?? data;
  if (Array.isArray(src.columns) && Array.isArray(src.rows)) {
    columns = (src.columns as Record<string, unknown>[]).map((c) => ({
      name: String(c.name ?? c.ColumnName ?? ''),
      type: kqlType(c.type ?? c.ColumnType),
    }));
    rows = (src.rows as unknown[]).map((r) =>
      Array.isArray(r) ? r : columns.map((c) => (r as Record<string, unknown>)[c.name] ?? null),
    );
  } else {
    const objs = findArray(data, ['rows', 'results', 'value', 'data']);
    if (objs) {
      const names: string[] = [];
      for (const o of objs)
        for (const k of Object.keys((o as Record<string, unknown>) ?? {})) if (!names.includes(k)) names.push(k);
      columns = names.map((n) => ({ name: n, type: inferType(objs.map((o) => (o as Record<string, unknown>)[n])) }));
      rows = objs.map((o) => names.map((n) => (o as Record<string, unknown>)[n] ?? null));
    }
  }
  const stats = (data.stats as QueryResult['stats']) ?? {
    rowsScanned: 0,
    rowsReturned: rows.length,
    elapsedMs: 0,
    truncated: false,
  };
  if (maxRows && rows.length > maxRows) {
    rows = rows.slice(0, maxRows);
    stats.truncated = true;
  }
  const warnings = Array.isArray(data.warnings) ? data.warnings.filter((w): w is string => typeof w === 'string') : [];
  return {
    columns,
    rows,
    stats: { ...stats, rowsReturned: rows.length },
    render: data.render as QueryResult['render'],
    ...(warnings.length ? { warnings } : {}),
  };
}

function inferType(values: unknown[]): KqlType {
  const v = values.find((x) => x !== null && x !== undefined);
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'object') return 'dynamic';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return 'datetime';
  return 'string';
}

/** Maps the local server's get_entity_analysis answer (structuredContent is the poll itself) to a poll state. */
export function toAnalysisPoll(analysisId: string, r: ToolOutput, _source: 'local' = 'local'): AnalysisPoll {
  const data = r.structured ?? parseJsonObject(r.text);
  const status = String(data?.status ?? '').toLowerCase();
  if (status === 'expired' || (r.isError && /expired/i.test(r.text))) return { status: 'expired', analysisId };
  if (r.isError || status === 'failed') {
    return { status: 'failed', analysisId, error: String(data?.error ?? (r.text || 'The analysis failed.')) };
  }
  if (status === 'running')
    return { status: 'running', analysisId, message: typeof data?.message === 'string' ? data.message : undefined };
  const result = (data?.result && typeof data.result === 'object' ? data.result : undefined) as
    AnalysisResult | undefined;
  if (
    status !== 'completed' ||
    !result ||
    typeof result.verdict !== 'string' ||
    !result.entity ||
    !Array.isArray(result.evidence)
  ) {
    return {
      status: 'failed',
      analysisId,
      error: new InvalidAnswerError('get_entity_analysis', 'not an analysis state', r.text).message,
    };
  }
  return { status: 'completed', analysisId, result };
}
