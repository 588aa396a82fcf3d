// KQL through Log Analytics with @azure/monitor-query-logs. Results come back in the wire form every
// other layer speaks; a partial failure keeps its rows and carries a warning; errors say what to do.
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { ThrottledError, TransientError } from '../../analyzer/errors';
import { CancelledError, UserError } from '../../errors';
import type { KqlType, QueryResult, ResultColumn, TimeRange } from '../../types';
import { KQL_TYPES } from '../../types';
import { bodyExcerpt, loopbackBearerPolicy } from './arm';
import { echo } from '../../echo';
import { redactSecrets } from '../../secrets';
import { isInsecureLoopback } from './config';

export interface LogsQueryOptions {
  workspaceId: string;
  /** For messages, e.g. the workspace name. */
  targetName?: string;
  timeRange?: TimeRange;
  maxRows?: number;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export type LogsClient = import('@azure/monitor-query-logs').LogsQueryClient;

/** A LogsQueryClient for the endpoint (loaded lazily); over plain http (loopback only) the token is set by our own policy. */
export async function createLogsClient(endpoint: string, scope: string, credential: TokenCredential): Promise<LogsClient> {
  const { LogsQueryClient } = await import('@azure/monitor-query-logs');
  const insecure = isInsecureLoopback(endpoint);
  const c = new LogsQueryClient(credential, {
    endpoint,
    credentials: { scopes: [scope] },
    allowInsecureConnection: insecure,
    retryOptions: { maxRetries: 3, maxRetryDelayInMs: 30_000 },
  });
  if (insecure) {
    c.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
    c.pipeline.addPolicy(loopbackBearerPolicy(credential, [scope]), { phase: 'Sign' });
  }
  c.pipeline.addPolicy(jsonAnswerPolicy);
  return c;
}

/** A success that is not JSON (a proxy's sign-in page, a wrong endpoint) would come back as "no tables": say what came. */
const jsonAnswerPolicy: PipelinePolicy = {
  name: 'swbJsonAnswerPolicy',
  async sendRequest(request, next) {
    const response = await next(request);
    const body = response.bodyAsText;
    if (response.status >= 200 && response.status < 300 && body && !/^\s*[[{]/.test(body)) {
      throw new UserError(`Log Analytics returned a response that is not JSON (HTTP ${response.status}): ${bodyExcerpt(body)}`, 'NotJson');
    }
    return response;
  },
};

function kqlType(t: string | undefined): KqlType {
  const v = (t ?? '').toLowerCase();
  if (v === 'integer') return 'int';
  if (v === 'boolean') return 'bool';
  if (v === 'double' || v === 'float') return 'real';
  if (v === 'uniqueid') return 'guid';
  return (KQL_TYPES as readonly string[]).includes(v) ? (v as KqlType) : 'string';
}

function wireValue(v: unknown, type: KqlType): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().replace(/\.000Z$/, 'Z');
  if (type === 'dynamic' && typeof v === 'string') {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown }).statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** Runs one query; the first table is the result (like the portal). */
export async function queryLogAnalytics(c: LogsClient, query: string, o: LogsQueryOptions): Promise<QueryResult> {
  const started = Date.now();
  const timespan = o.timeRange
    ? { startTime: o.timeRange.start, endTime: o.timeRange.end }
    // Without a time range the query's own filters decide; the API needs some span, so give it the widest.
    : { duration: 'P3650D' };
  const target = o.targetName ? ` on ${o.targetName}` : '';
  let result: Awaited<ReturnType<LogsClient['queryWorkspace']>>;
  try {
    result = await c.queryWorkspace(o.workspaceId, query, timespan, {
      serverTimeoutInSeconds: o.timeoutSeconds,
      abortSignal: o.signal,
    });
  } catch (e) {
    if (o.signal?.aborted) throw new CancelledError();
    if (e instanceof UserError) throw e;
    const status = statusOf(e);
    const details = (e as { details?: { error?: { message?: string; code?: string; innererror?: { message?: string } } } }).details?.error;
    const message = echo(redactSecrets(details?.innererror?.message ?? details?.message ?? (e as Error).message), 1000);
    if (status === 400) throw new UserError(`Log Analytics rejected the query: ${message}`, 'KqlSemantic');
    if (status === 401) throw new Error(`Log Analytics rejected the sign-in (401). Sign in again or check the tenant. (${message})`, { cause: e });
    if (status === 403) throw new Error(`You need the Log Analytics Reader (or Microsoft Sentinel Reader) role${target} to run queries (403). (${message})`, { cause: e });
    if (status === 429) throw new ThrottledError(`Log Analytics is throttling queries (429)${target}. Try again shortly.`);
    if (status === 504 || /timeout|timed out/i.test(message)) throw new TransientError(`The query did not finish in time${target}: ${message}`);
    if (status !== undefined && status >= 500) throw new TransientError(`Log Analytics failed with HTTP ${status}: ${message}`);
    throw e;
  }
  const tables = result.status === 'PartialFailure' ? result.partialTables : result.tables;
  const table = tables[0];
  const columns: ResultColumn[] = (table?.columnDescriptors ?? []).map((c) => ({ name: c.name ?? '', type: kqlType(c.type) }));
  let rows = (table?.rows ?? []).map((r) => r.map((v, i) => wireValue(v, columns[i]?.type ?? 'string')));
  const total = rows.length;
  const truncated = o.maxRows !== undefined && rows.length > o.maxRows;
  if (truncated) rows = rows.slice(0, o.maxRows);
  const out: QueryResult = {
    columns,
    rows,
    stats: { rowsScanned: total, rowsReturned: rows.length, elapsedMs: Date.now() - started, truncated, backend: 'Log Analytics' },
  };
  if (result.status === 'PartialFailure') {
    const err = result.partialError as { code?: string; message?: string; innererror?: { message?: string } };
    out.warnings = [`Partial result: ${err.innererror?.message ?? err.message ?? err.code ?? 'part of the query failed'} — the rows shown may be incomplete.`];
  }
  return out;
}
