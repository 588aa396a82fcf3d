// Entity analyses through Microsoft's Sentinel MCP server (data exploration collection) over Streamable
// HTTP: the shared MCP client with a bearer-token fetch that also turns 401/403/429 into clear errors.
import type { TokenCredential } from '@azure/core-auth';
import { parseRetryAfter, ThrottledError } from '../../analyzer/errors';
import type { AnalysisPoll, AnalysisRequest } from '../../analyzer/types';
import { CancelledError } from '../../errors';
import { FetchLike, SentinelMcpClient } from '../../mcp/client';
import type { Logger } from '../../types';
import { AzureRequestError } from './arm';
import type { AzureAnalyzer } from './backend';

export interface SentinelMcpOptions {
  url: string;
  scope: string;
  credential: TokenCredential;
  logger: Logger;
  /** For messages. */
  targetName: string;
  /** Guest tenants: sent as x-mcp-client-tenant-id. */
  tenantId?: string;
  /** Longest Retry-After waited for before failing with ThrottledError (default 60 s). */
  maxRetryWaitMs?: number;
  /** Test hook; default global fetch. */
  fetch?: FetchLike;
}

function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new CancelledError());
    }, { once: true });
  });
}

/** fetch with throttling retries and status errors a person can act on. */
export function policyFetch(base: FetchLike, o: { targetName: string; maxRetryWaitMs?: number; logger: Logger }): FetchLike {
  return async (url, init) => {
    for (let attempt = 0; ; attempt++) {
      const res = await base(url, init);
      if (res.status === 429) {
        const wait = parseRetryAfter(res.headers.get('retry-after'));
        if (attempt < 3 && wait !== undefined && wait <= (o.maxRetryWaitMs ?? 60_000)) {
          o.logger.warn(`Sentinel MCP server: 429; retrying in ${Math.ceil(wait / 1000)} s`);
          await sleep(wait, init?.signal);
          continue;
        }
        throw new ThrottledError(
          `The Sentinel MCP server is throttling requests (429).${wait !== undefined ? ` Try again in ${Math.ceil(wait / 1000)} s.` : ''}`, wait);
      }
      if (res.status === 401) {
        throw new AzureRequestError('The Sentinel MCP server rejected the sign-in (401). Sign in again or check the tenant.', 401);
      }
      if (res.status === 403) {
        throw new AzureRequestError(
          `You need the Microsoft Sentinel Reader role (and access to the Sentinel data lake) on ${o.targetName} to use the Entity Analyzer (403).`, 403);
      }
      return res;
    }
  };
}

export function createSentinelMcpAnalyzer(o: SentinelMcpOptions): AzureAnalyzer {
  const client = new SentinelMcpClient(
    {
      kind: 'http',
      url: o.url,
      tenantId: o.tenantId,
      getToken: async (signal) => {
        const token = await o.credential.getToken(o.scope, { abortSignal: signal });
        if (!token) throw new Error('No access token for the Sentinel MCP server.');
        return token.token;
      },
      fetch: policyFetch(o.fetch ?? ((u, i) => fetch(u, i)), o),
    },
    { logger: o.logger, clientName: 'sentinel-workbench' },
  );
  return {
    start(request: AnalysisRequest, signal?: AbortSignal) {
      return request.entity.type === 'User'
        ? client.analyzeUser(request.entity.id, request.startTime, request.endTime, request.workspaceId, signal)
        : client.analyzeUrl(request.entity.id, request.startTime, request.endTime, request.workspaceId, signal);
    },
    get(analysisId: string, signal?: AbortSignal): Promise<AnalysisPoll> {
      return client.getEntityAnalysis(analysisId, { signal });
    },
    dispose: () => client.close(),
  };
}
