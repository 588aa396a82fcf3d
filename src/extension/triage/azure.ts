// Creating the Azure backend in the extension: settings → endpoints, the VS Code sign-in as credential,
// and the Azure module loaded from dist/azure.js only when needed.
import type { TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';
import type { SentinelBackend } from '../../core/backends/types';
import { UserError } from '../../core/errors';
import type { Logger } from '../../core/types';
import { requireBundle } from '../lazyBundle';
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
    armEndpoint: string; logsEndpoint: string; sentinelMcpUrl: string; armScope: string; logsScope: string; sentinelMcpScope: string;
  };
}

export function readAzureSettings(): AzureSettings {
  const c = vscode.workspace.getConfiguration('sentinelWorkbench.azure');
  const get = (k: string, d: string) => (c.get<string>(k, d) ?? d).trim() || d;
  return {
    tenantId: (c.get<string>('tenantId', '') ?? '').trim(),
    workspaceResourceId: (c.get<string>('workspaceResourceId', '') ?? '').trim(),
    apiVersion: get('apiVersion', '2025-06-01'),
    endpoints: {
      armEndpoint: get('armEndpoint', 'https://management.azure.com'),
      logsEndpoint: get('logsEndpoint', 'https://api.loganalytics.io/v1'),
      sentinelMcpUrl: get('sentinelMcpUrl', 'https://sentinel.microsoft.com/mcp/data-exploration'),
      armScope: get('armScope', 'https://management.azure.com/.default'),
      logsScope: get('logsScope', 'https://api.loganalytics.io/.default'),
      sentinelMcpScope: get('sentinelMcpScope', '4500ebfb-89b6-4b14-a480-7f749797bfcd/.default'),
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
 * the user's sign-in.
 */
export function credentialFor(tenantId: string, logger?: Logger): TokenCredential {
  const token = process.env.SWB_ACCESS_TOKEN?.trim();
  const allowed = vscode.workspace.getConfiguration('sentinelWorkbench.development').get<boolean>('useAccessTokenFromEnvironment', false) === true;
  if (token && allowed) return staticTokenCredential(token);
  if (token && !warnedAboutEnvToken) {
    warnedAboutEnvToken = true;
    logger?.warn('SWB_ACCESS_TOKEN is set but ignored: the extension signs in through VS Code unless sentinelWorkbench.development.useAccessTokenFromEnvironment is on.');
  }
  const providerId = vscode.workspace.getConfiguration('sentinelWorkbench.azure').get<string>('authProvider', 'microsoft');
  return vscodeCredential({ tenantId: tenantId || undefined, interactive: () => interactiveDepth > 0, providerId });
}

/** What BackendManager.azureFactory runs. */
export async function createAzureFromSettings(extensionPath: string, logger: Logger): Promise<SentinelBackend> {
  const settings = readAzureSettings();
  if (!settings.workspaceResourceId) {
    throw new UserError('No Azure workspace is selected. Run "Sentinel: Connect to Azure Workspace…" or switch back with "Sentinel: Use Local Demo Lake".');
  }
  const azure = loadAzureModule(extensionPath);
  const queryTimeoutSeconds = vscode.workspace.getConfiguration('sentinelWorkbench.query').get<number>('timeoutSeconds', 120);
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
