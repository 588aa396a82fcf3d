// Endpoints, scopes and workspace identity for the Azure backend. Defaults are the Azure public cloud;
// sovereign clouds, proxies and tests override them (settings in VS Code, SWB_* variables in the CLI).
import { UserError } from '../../errors';

export interface AzureEndpoints {
  /** Azure Resource Manager, e.g. https://management.azure.com */
  armEndpoint: string;
  /** Log Analytics query endpoint including /v1, e.g. https://api.loganalytics.io/v1 */
  logsEndpoint: string;
  /** Sentinel MCP server (data exploration collection). */
  sentinelMcpUrl: string;
  armScope: string;
  logsScope: string;
  sentinelMcpScope: string;
}

export const DEFAULT_ENDPOINTS: AzureEndpoints = {
  armEndpoint: 'https://management.azure.com',
  logsEndpoint: 'https://api.loganalytics.io/v1',
  sentinelMcpUrl: 'https://sentinel.microsoft.com/mcp/data-exploration',
  armScope: 'https://management.azure.com/.default',
  logsScope: 'https://api.loganalytics.io/.default',
  sentinelMcpScope: '4500ebfb-89b6-4b14-a480-7f749797bfcd/.default',
};

/** Microsoft Graph (Defender XDR advanced hunting) and its token scope. */
export const DEFAULT_GRAPH_ENDPOINT = 'https://graph.microsoft.com/v1.0';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Microsoft.SecurityInsights api-version (incidents, rules, connectors, onboarding states). */
export const DEFAULT_API_VERSION = '2025-06-01';
/** Microsoft.OperationalInsights api-version for workspace reads and lists. */
export const WORKSPACE_API_VERSION = '2023-09-01';

/** Endpoint overrides from the environment (SWB_ARM_ENDPOINT, SWB_LOGS_ENDPOINT, SWB_SENTINEL_MCP_URL, SWB_*_SCOPE). */
export function endpointsFromEnv(env: NodeJS.ProcessEnv, base: AzureEndpoints = DEFAULT_ENDPOINTS): AzureEndpoints {
  const pick = (name: string, fallback: string) => (env[name]?.trim() ? env[name]!.trim() : fallback);
  return {
    armEndpoint: pick('SWB_ARM_ENDPOINT', base.armEndpoint),
    logsEndpoint: pick('SWB_LOGS_ENDPOINT', base.logsEndpoint),
    sentinelMcpUrl: pick('SWB_SENTINEL_MCP_URL', base.sentinelMcpUrl),
    armScope: pick('SWB_ARM_SCOPE', base.armScope),
    logsScope: pick('SWB_LOGS_SCOPE', base.logsScope),
    sentinelMcpScope: pick('SWB_SENTINEL_MCP_SCOPE', base.sentinelMcpScope),
  };
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Parses and checks an endpoint: https, or plain http only for loopback hosts. Trailing slashes are dropped. */
export function checkEndpoint(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${what} '${value}' is not a URL`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UserError(
      `${what} '${value}' uses plain http://, which is only allowed for loopback hosts (127.0.0.1, localhost); use https://`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UserError(`${what} '${value}' must be an https:// URL`);
  return url.toString().replace(/\/+$/, '');
}

export function checkEndpoints(e: AzureEndpoints): AzureEndpoints {
  return {
    ...e,
    armEndpoint: checkEndpoint(e.armEndpoint, 'ARM endpoint'),
    logsEndpoint: checkEndpoint(e.logsEndpoint, 'Log Analytics endpoint'),
    sentinelMcpUrl: checkEndpoint(e.sentinelMcpUrl, 'Sentinel MCP URL'),
  };
}

export function isInsecureLoopback(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && isLoopbackHost(u.hostname);
}

export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  /** Normalised: /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name} */
  resourceId: string;
}

const WORKSPACE_ID =
  /^\/?subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/?$/i;

export function parseWorkspaceResourceId(value: string): WorkspaceRef {
  const m = WORKSPACE_ID.exec(value.trim());
  if (!m) {
    throw new UserError(
      `'${value}' is not a Log Analytics workspace resource id (expected /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name})`,
    );
  }
  const [, subscriptionId, resourceGroup, workspaceName] = m;
  return {
    subscriptionId,
    resourceGroup,
    workspaceName,
    resourceId: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${workspaceName}`,
  };
}
