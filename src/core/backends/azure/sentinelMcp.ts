// Entity analyses through Microsoft's Sentinel MCP server (data exploration collection) over Streamable
// HTTP: the shared MCP client with a bearer-token fetch that also turns 401/403/429 into clear errors.
import type { TokenCredential } from '@azure/core-auth';
import { parseRetryAfter, ThrottledError } from '../../errors';
import type { AnalysisPoll, AnalysisRequest } from '../../analyzer/types';
import { CancelledError } from '../../errors';
import { FetchLike, SentinelMcpClient } from '../mcpClient';
import type { Logger } from '../../types';
import { AzureRequestError } from './arm';
import type { EntityAnalyzer } from '../types';

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
    if (signal?.aborted) return reject(new CancelledError());
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new CancelledError());
      },
      { once: true },
    );
  });
}

export interface PolicyFetchOptions {
  targetName: string;
  maxRetryWaitMs?: number;
  logger: Logger;
  /** A new bearer token for a retry after 404 (see below). */
  freshToken?: (signal?: AbortSignal) => Promise<string>;
  /** Set when the user is a guest in the workspace's tenant (for the 401 hint). */
  tenantId?: string;
  /** Pauses before retrying a 404; default 0.5 s and 1.5 s. */
  notFoundRetryMs?: number[];
}

async function drain(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    /* nothing to drain */
  }
}

/**
 * fetch with throttling retries and status errors a person can act on. The 404 retries follow Microsoft's
 * troubleshooting page for the Sentinel MCP tools (articles/sentinel/datalake/troubleshoot-sentinel-mcp.md):
 * an intermittent "HTTP 404 Resource not found" when invoking a tool is a token-refresh problem, so the call is
 * repeated with a fresh token; a 404 that persists means the tenant is not onboarded to the data lake.
 */
export function policyFetch(base: FetchLike, o: PolicyFetchOptions): FetchLike {
  const notFoundPauses = o.notFoundRetryMs ?? [500, 1500];
  return async (url, init) => {
    let request = init;
    let notFound = 0;
    for (let attempt = 0; ; attempt++) {
      const res = await base(url, request);
      if (res.status === 404 && notFound < notFoundPauses.length) {
        await drain(res);
        o.logger.warn(
          `Sentinel MCP server: 404 Resource not found; retrying with a fresh token (${notFound + 1}/${notFoundPauses.length})`,
        );
        await sleep(notFoundPauses[notFound++], init?.signal);
        if (o.freshToken) {
          const headers = new Headers(init?.headers);
          headers.set('Authorization', `Bearer ${await o.freshToken(init?.signal ?? undefined)}`);
          request = { ...init, headers };
        }
        continue;
      }
      if (res.status === 404) {
        await drain(res);
        throw new AzureRequestError(
          'The Sentinel MCP server answered 404 (Resource not found) again after fresh sign-ins. Check that the tenant is onboarded to the ' +
            `Microsoft Sentinel data lake and that your account can read a data lake workspace (${o.targetName}).`,
          404,
        );
      }
      if (res.status === 429) {
        const wait = parseRetryAfter(res.headers.get('retry-after'));
        await drain(res);
        if (attempt < 3 && wait !== undefined && wait <= (o.maxRetryWaitMs ?? 60_000)) {
          o.logger.warn(`Sentinel MCP server: 429; retrying in ${Math.ceil(wait / 1000)} s`);
          await sleep(wait, init?.signal);
          continue;
        }
        throw new ThrottledError(
          `The Sentinel MCP server is throttling requests (429).${wait !== undefined ? ` Try again in ${Math.ceil(wait / 1000)} s.` : ''}`,
          wait,
        );
      }
      if (res.status === 401) {
        await drain(res);
        const guest = o.tenantId
          ? ` The token was requested for tenant ${o.tenantId}.`
          : " If you are a guest in the workspace's tenant, set its tenant id (setting sentinelWorkbench.azure.tenantId, or --tenant / AZURE_TENANT_ID in the CLI) so the token is issued there and x-mcp-client-tenant-id is sent.";
        throw new AzureRequestError(
          `The Sentinel MCP server rejected the sign-in (401). Sign in again or check the tenant.${guest}`,
          401,
        );
      }
      if (res.status === 403) {
        await drain(res);
        throw new AzureRequestError(
          'The Sentinel MCP server refused access (403). The Entity Analyzer needs at least the Security Reader role (or Security Operator, ' +
            `Security Administrator) and access to a Microsoft Sentinel data lake workspace (${o.targetName}).`,
          403,
        );
      }
      return res;
    }
  };
}

export function createSentinelMcpAnalyzer(o: SentinelMcpOptions): EntityAnalyzer {
  // Asked per request: the credential caches and refreshes, so a long session never sends an expired token.
  const getToken = async (signal?: AbortSignal) => {
    const token = await o.credential.getToken(o.scope, { abortSignal: signal, tenantId: o.tenantId });
    if (!token) throw new Error('No access token for the Sentinel MCP server.');
    return token.token;
  };
  const client = new SentinelMcpClient(
    {
      kind: 'http',
      url: o.url,
      tenantId: o.tenantId,
      getToken,
      fetch: policyFetch(o.fetch ?? ((u, i) => fetch(u, i)), { ...o, freshToken: getToken }),
    },
    { logger: o.logger, clientName: 'sentinel-workbench' },
  );
  return {
    start(request: AnalysisRequest, signal?: AbortSignal) {
      return request.entity.type === 'User'
        ? client.analyzeUser(request.entity.id, request.startTime, request.endTime, request.workspaceId, signal)
        : client.analyzeUrl(request.entity.id, request.startTime, request.endTime, request.workspaceId, signal);
    },
    get(analysisId: string, signal?: AbortSignal, request?: AnalysisRequest): Promise<AnalysisPoll> {
      return client.getEntityAnalysis(analysisId, { signal, request });
    },
    dispose: () => client.close(),
  };
}
