// KQL through Log Analytics with @azure/monitor-query-logs. Results come back in the wire form every
// other layer speaks; a partial failure keeps its rows and carries a warning; errors say what to do.
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { ThrottledError, TransientError } from '../../errors';
import { CancelledError, KqlError, UserError } from '../../errors';
import type { KqlType, QueryResult, ResultColumn, TimeRange } from '../../types';
import { KQL_TYPES } from '../../types';
import { bodyExcerpt, AzureRequestError, loopbackBearerPolicy } from './arm';
import { echo } from '../../echo';
import { redactSecrets } from '../../secrets';
import { z } from 'zod';
import { InvalidAnswerError, parseAnswer } from '../answers';
import { isInsecureLoopback } from './config';

/** The query result tables as the Log Analytics client hands them over: named columns, rows as arrays. */
const LogsTables = z.array(
  z
    .object({
      columnDescriptors: z.array(z.object({ name: z.string().min(1), type: z.string().optional() }).passthrough()),
      rows: z.array(z.array(z.unknown())),
    })
    .passthrough(),
);

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
export async function createLogsClient(
  endpoint: string,
  scope: string,
  credential: TokenCredential,
): Promise<LogsClient> {
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
      throw new UserError(
        `Log Analytics returned a response that is not JSON (HTTP ${response.status}): ${bodyExcerpt(body)}`,
        'NotJson',
      );
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

/** Log Analytics error bodies nest `innererror`s; the deepest one names the problem (and, for KQL, where). */
interface ServiceError {
  code?: string;
  message?: string;
  line?: unknown;
  pos?: unknown;
  innererror?: ServiceError;
}

function innermost(e: ServiceError | undefined): ServiceError | undefined {
  let cur = e;
  for (let i = 0; cur?.innererror && i < 10; i++) cur = cur.innererror;
  return cur;
}

/**
 * Where the server says the query is wrong: `line`/`pos` fields of an innererror (pos counted from 0 within
 * the line), else "line [L,P]" / "[line:L, pos:P]" in its message. Undefined when the server did not say.
 */
export function positionOf(e: ServiceError | undefined): { line: number; column: number } | undefined {
  for (let cur = e, i = 0; cur && i < 10; cur = cur.innererror, i++) {
    if (typeof cur.line === 'number' && typeof cur.pos === 'number' && cur.line >= 1 && cur.pos >= 0)
      return { line: cur.line, column: cur.pos + 1 };
  }
  for (let cur = e, i = 0; cur && i < 10; cur = cur.innererror, i++) {
    const m = /line \[(\d+),(\d+)\]|\[line:(\d+),\s*pos:(\d+)\]/i.exec(cur.message ?? '');
    if (m) return { line: Number(m[1] ?? m[3]), column: Number(m[2] ?? m[4]) + 1 };
  }
  return undefined;
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
    : // Without a time range the query's own filters decide; the API needs some span, so give it the widest.
      { duration: 'P3650D' };
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
    // The SDK reading a 2xx body that is not a query response.
    if (status === undefined && e instanceof TypeError)
      throw new InvalidAnswerError(`Log Analytics${target}`, e.message, '');
    const details = (e as { details?: { error?: ServiceError } }).details?.error;
    const deepest = innermost(details);
    const message = echo(redactSecrets(deepest?.message ?? details?.message ?? (e as Error).message), 1000);
    const raw = (e as { response?: { bodyAsText?: string | null } }).response?.bodyAsText;
    if (status !== undefined && status >= 200 && status < 300 && raw) {
      throw new UserError(
        `Log Analytics returned a response that is not JSON (HTTP ${status}): ${bodyExcerpt(raw)}`,
        'NotJson',
      );
    }
    if (status === 400)
      throw new KqlError(`Log Analytics rejected the query: ${message}`, positionOf(details), 'KqlSemantic');
    if (status === 401)
      throw new AzureRequestError(
        `Log Analytics rejected the sign-in (401). Sign in again or check the tenant. (${message})`,
        401,
        undefined,
        { cause: e },
      );
    if (status === 403)
      throw new AzureRequestError(
        `You need the Log Analytics Reader (or Microsoft Sentinel Reader) role${target} to run queries (403). (${message})`,
        403,
        undefined,
        { cause: e },
      );
    if (status === 429)
      throw new ThrottledError(`Log Analytics is throttling queries (429)${target}. Try again shortly.`);
    if (status === 504 || /timeout|timed out/i.test(message))
      throw new TransientError(`The query did not finish in time${target}: ${message}`);
    if (status !== undefined && status >= 500)
      throw new TransientError(`Log Analytics failed with HTTP ${status}: ${message}`);
    throw e;
  }
  const tables = result.status === 'PartialFailure' ? result.partialTables : result.tables;
  const table = parseAnswer(LogsTables, tables, `Log Analytics${target}`, JSON.stringify(result) ?? '')[0];
  const columns: ResultColumn[] = (table?.columnDescriptors ?? []).map((c) => ({
    name: c.name,
    type: kqlType(c.type),
  }));
  let rows = (table?.rows ?? []).map((r) => r.map((v, i) => wireValue(v, columns[i]?.type ?? 'string')));
  const total = rows.length;
  const truncated = o.maxRows !== undefined && rows.length > o.maxRows;
  if (truncated) rows = rows.slice(0, o.maxRows);
  const out: QueryResult = {
    columns,
    rows,
    stats: {
      rowsScanned: total,
      rowsReturned: rows.length,
      elapsedMs: Date.now() - started,
      truncated,
      backend: 'Log Analytics',
    },
  };
  if (result.status === 'PartialFailure') {
    const err = result.partialError as { code?: string; message?: string; innererror?: { message?: string } };
    out.warnings = [
      `Partial result: ${err.innererror?.message ?? err.message ?? err.code ?? 'part of the query failed'} — the rows shown may be incomplete.`,
    ];
  }
  return out;
}
