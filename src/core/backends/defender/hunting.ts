// Defender XDR advanced hunting through Microsoft Graph: POST {graph}/security/runHuntingQuery with
// {"Query", "Timespan"?} → {"schema":[{"name","type"}], "results":[{...}]} (Microsoft Graph v1.0 reference,
// security-security-runhuntingquery and security-huntingqueryresults; permission ThreatHunting.Read.All).
//
// Transport: the Azure core pipeline through our ArmClient (bearer policy, 429 + Retry-After, timeouts, errors
// that name the missing right) rather than the Graph client library — it is already in the lazily loaded Azure
// bundle, one call needs no request builders, and the extension bundle stays as it is.
//
// Service limits (Microsoft Defender advanced hunting API): data of the last 30 days; at most 100,000 rows;
// per tenant 45 calls a minute, 1,500 an hour, 10 minutes of CPU an hour and 3 hours a day; 429 when a quota is
// used up (the body says which). They are stated where they bite: as warnings and error messages.
import type { TokenCredential } from '@azure/core-auth';
import { z } from 'zod';
import { ThrottledError } from '../../errors';
import { KqlError, UserError } from '../../errors';
import { parseAnswer } from '../answers';
import { codeOnly } from '../../kql/lexical';
import type { KqlType, Logger, QueryResult, ResultColumn, TimeRange } from '../../types';
import { silentLogger } from '../../types';
import { ArmClient, AzureRequestError } from '../azure/arm';
import { checkEndpoint, DEFAULT_GRAPH_ENDPOINT, GRAPH_SCOPE } from '../azure/config';
import { positionOf } from '../azure/logs';

export { DEFAULT_GRAPH_ENDPOINT, GRAPH_SCOPE };
export const HUNTING_ROW_CAP = 100_000;
export const HUNTING_RETENTION_DAYS = 30;

export interface HuntingOptions {
  credential: TokenCredential;
  /** Default https://graph.microsoft.com/v1.0 (SWB_GRAPH_ENDPOINT / a setting). */
  endpoint?: string;
  scope?: string;
  logger?: Logger;
  /** Per request; default 210 s (a hunting query may run up to 200 s). */
  timeoutMs?: number;
  maxRetries?: number;
  maxRetryWaitMs?: number;
}

export interface HuntingQueryOptions {
  timeRange?: TimeRange;
  maxRows?: number;
  signal?: AbortSignal;
}

const HuntingAnswer = z
  .object({
    schema: z.array(z.object({ name: z.string().min(1), type: z.string() }).passthrough()),
    results: z.array(z.record(z.unknown())),
  })
  .passthrough();

/** Graph's (.NET) type names → KQL types; anything else passes its values through unchanged as dynamic. */
export function huntingType(t: string): KqlType {
  switch (t.toLowerCase()) {
    case 'string':
      return 'string';
    case 'datetime':
    case 'datetimeoffset':
      return 'datetime';
    case 'boolean':
    case 'bool':
      return 'bool';
    case 'int32':
    case 'int16':
    case 'byte':
    case 'int':
      return 'int';
    case 'int64':
    case 'long':
      return 'long';
    case 'double':
    case 'single':
    case 'real':
      return 'real';
    case 'decimal':
      return 'decimal';
    case 'guid':
      return 'guid';
    case 'timespan':
      return 'timespan';
    default:
      return 'dynamic';
  }
}

/** The longest `ago(Nd)` look-back the query's code asks for (0 when none; comments and strings do not count): the 30-day retention bites there. */
export function longestAgoDays(query: string): number {
  let max = 0;
  for (const m of codeOnly(query).matchAll(/\bago\s*\(\s*(\d+(?:\.\d+)?)\s*d\s*\)/gi))
    max = Math.max(max, Number(m[1]));
  return max;
}

/** ISO-8601 duration of a time range ending now-ish, as Graph's Timespan ("P7D", "PT36H"). */
export function isoDuration(range: TimeRange): string {
  const hours = Math.max(1, Math.ceil((range.end.getTime() - range.start.getTime()) / 3_600_000));
  return hours % 24 === 0 ? `P${hours / 24}D` : `PT${hours}H`;
}

export class DefenderHunting {
  readonly label = 'Defender XDR (advanced hunting)';
  readonly kind = 'defender' as const;
  private readonly graph: ArmClient;
  private readonly logger: Logger;

  constructor(options: HuntingOptions) {
    const endpoint = checkEndpoint(options.endpoint?.trim() || DEFAULT_GRAPH_ENDPOINT, 'Microsoft Graph endpoint');
    this.logger = options.logger ?? silentLogger;
    this.graph = new ArmClient({
      endpoint,
      credential: options.credential,
      scope: options.scope?.trim() || GRAPH_SCOPE,
      logger: this.logger,
      timeoutMs: options.timeoutMs ?? 210_000,
      maxRetries: options.maxRetries,
      maxRetryWaitMs: options.maxRetryWaitMs,
      targetName: 'Defender XDR advanced hunting',
    });
  }

  async runQuery(query: string, o: HuntingQueryOptions = {}): Promise<QueryResult> {
    if (!query.trim()) throw new UserError('the query is empty');
    const started = Date.now();
    const warnings: string[] = [];
    let timespan: string | undefined;
    if (o.timeRange) {
      timespan = isoDuration(o.timeRange);
      const days = (Date.now() - o.timeRange.start.getTime()) / 86_400_000;
      if (days > HUNTING_RETENTION_DAYS + 0.01) {
        warnings.push(
          `Advanced hunting keeps ${HUNTING_RETENTION_DAYS} days of data: the part of the range before that returns nothing.`,
        );
      }
    }
    const asked = longestAgoDays(query);
    if (!o.timeRange && asked > HUNTING_RETENTION_DAYS) {
      warnings.push(
        `The query looks back ${asked} days; advanced hunting keeps ${HUNTING_RETENTION_DAYS} days of data, so it returns at most the last ${HUNTING_RETENTION_DAYS}.`,
      );
    }
    let body: unknown;
    try {
      body = await this.graph.request<unknown>({
        method: 'POST',
        path: '/security/runHuntingQuery',
        body: timespan ? { Query: query, Timespan: timespan } : { Query: query },
        signal: o.signal,
        what: 'run an advanced hunting query',
        role: 'Security Reader role in Microsoft Defender XDR (Graph permission ThreatHunting.Read.All)',
      });
    } catch (e) {
      throw this.explain(e);
    }
    const answer = parseAnswer(
      HuntingAnswer,
      body,
      'Defender XDR advanced hunting',
      body === undefined ? '' : JSON.stringify(body),
    );
    const columns: ResultColumn[] = answer.schema.map((c) => ({ name: c.name, type: huntingType(c.type) }));
    let rows = answer.results.map((r) => columns.map((c) => (c.name in r ? r[c.name] : null)));
    const total = rows.length;
    if (total >= HUNTING_ROW_CAP) {
      warnings.push(
        `Advanced hunting returns at most ${HUNTING_ROW_CAP.toLocaleString('en-US')} rows: this result is probably cut. Narrow the query (time, summarize).`,
      );
    }
    const truncated = o.maxRows !== undefined && rows.length > o.maxRows;
    if (truncated) rows = rows.slice(0, o.maxRows);
    for (const w of warnings) this.logger.warn(w);
    const result: QueryResult = {
      columns,
      rows,
      stats: {
        rowsScanned: total,
        rowsReturned: rows.length,
        elapsedMs: Date.now() - started,
        truncated,
        backend: this.label,
      },
    };
    if (warnings.length) result.warnings = warnings;
    return result;
  }

  /** Service errors in words: a bad query at its position, quota and CPU limits, missing rights. */
  private explain(e: unknown): unknown {
    if (e instanceof ThrottledError) {
      return new ThrottledError(
        `Advanced hunting quota reached (429): ${e.message.replace(/^Azure is throttling requests \(429\) for run an advanced hunting query\.\s*/, '')} ` +
          'The tenant may run 45 queries a minute, 1,500 an hour, and 10 minutes of CPU an hour (3 hours a day).',
        e.retryAfterMs,
      );
    }
    if (e instanceof AzureRequestError && e.status === 400) {
      const message = e.serverMessage ?? e.message;
      if (/size|too large|exceed/i.test(message)) {
        return new UserError(
          `Advanced hunting refused the result: ${message} (limit: ${HUNTING_ROW_CAP.toLocaleString('en-US')} rows, 124 MB)`,
        );
      }
      return new KqlError(`Advanced hunting rejected the query: ${message}`, positionOf({ message }), 'KqlSemantic');
    }
    return e;
  }

  dispose(): void {
    // Nothing held open: each query is one request.
  }
}
