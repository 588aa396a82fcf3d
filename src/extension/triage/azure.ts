// Creating the Azure backend in the extension: settings → endpoints, the VS Code sign-in as credential,
// and the Azure module loaded from dist/azure.js only when needed.
import type { TokenCredential } from '@azure/core-auth';
import type { SentinelBackend } from '../../core/backends/types';
import { UserError } from '../../core/errors';
import type { Logger } from '../../core/types';
import { requireBundle } from '../lazyBundle';
import { read, readTrimmed, Settings } from '../settings';
import { staticTokenCredential } from '../../core/backends/azure/jwt';
import { vscodeCredential } from './auth';

export type AzureModule = typeof import('../../core/backends/azure/index');

/** dist/azure.js in the packaged extension; the sources when running from them (tests). */
export function loadAzureModule(extensionPath: string): AzureModule {
  return requireBundle<AzureModule>(extensionPath, 'azure');
}

export interface AzureSettings {
  tenantId: string;
  workspaceResourceId: string;
  apiVersion: string;
  endpoints: {
    armEndpoint: string;
    logsEndpoint: string;
    sentinelMcpUrl: string;
    armScope: string;
    logsScope: string;
    sentinelMcpScope: string;
  };
}

export function readAzureSettings(): AzureSettings {
  return {
    tenantId: read(Settings.azureTenantId).trim(),
    workspaceResourceId: read(Settings.azureWorkspaceResourceId).trim(),
    apiVersion: readTrimmed(Settings.azureApiVersion),
    endpoints: {
      armEndpoint: readTrimmed(Settings.azureArmEndpoint),
      logsEndpoint: readTrimmed(Settings.azureLogsEndpoint),
      sentinelMcpUrl: readTrimmed(Settings.azureSentinelMcpUrl),
      armScope: readTrimmed(Settings.azureArmScope),
      logsScope: readTrimmed(Settings.azureLogsScope),
      sentinelMcpScope: readTrimmed(Settings.azureSentinelMcpScope),
    },
  };
}

let interactiveDepth = 0;

/** Runs `fn` as a user action: sign-in prompts are allowed while it runs. */
export async function asUserAction<T>(fn: () => Promise<T>): Promise<T> {
  interactiveDepth++;
  try {
    return await fn();
  } finally {
    interactiveDepth--;
  }
}

let warnedAboutEnvToken = false;

/**
 * The credential for a tenant: the VS Code sign-in. SWB_ACCESS_TOKEN (automation, tests) is used instead only
 * when the machine-scoped development setting says so — a variable in the environment never silently replaces
 * the user's sign-in. `signInNeeded` names the sign-in a query target (Graph, a Kusto cluster) is missing.
 */
export function credentialFor(tenantId: string, logger?: Logger, signInNeeded?: string): TokenCredential {
  const token = process.env.SWB_ACCESS_TOKEN?.trim();
  const allowed = read(Settings.useAccessTokenFromEnvironment);
  if (token && allowed) return staticTokenCredential(token);
  if (token && !warnedAboutEnvToken) {
    warnedAboutEnvToken = true;
    logger?.warn(
      'SWB_ACCESS_TOKEN is set but ignored: the extension signs in through VS Code unless sentinelWorkbench.development.useAccessTokenFromEnvironment is on.',
    );
  }
  const providerId = read(Settings.azureAuthProvider);
  return vscodeCredential({
    tenantId: tenantId || undefined,
    interactive: () => interactiveDepth > 0,
    providerId,
    signInNeeded,
  });
}

/** What BackendManager.azureFactory runs. */
export async function createAzureFromSettings(extensionPath: string, logger: Logger): Promise<SentinelBackend> {
  const settings = readAzureSettings();
  if (!settings.workspaceResourceId) {
    throw new UserError(
      'No Azure workspace is selected. Run "Sentinel: Connect to Azure Workspace…" or switch back with "Sentinel: Use Local Demo Lake".',
    );
  }
  const azure = loadAzureModule(extensionPath);
  const queryTimeoutSeconds = read(Settings.queryTimeoutSeconds);
  return azure.createAzureBackend({
    workspaceResourceId: settings.workspaceResourceId,
    credential: credentialFor(settings.tenantId, logger),
    endpoints: settings.endpoints,
    apiVersion: settings.apiVersion,
    tenantId: settings.tenantId || undefined,
    queryTimeoutSeconds,
    logger,
  });
}
