// "Connect to Azure Workspace": sign in, pick a tenant (when there are several), a subscription and a
// Sentinel-enabled Log Analytics workspace; remember it in the workspace settings; switch the backend.
import * as vscode from 'vscode';
import { Settings, write } from '../settings';
import type { BackendManager } from '../backendManager';
import { asUserAction, credentialFor, loadAzureModule, readAzureSettings } from './azure';
import { toAbortSignal } from '../errors';

/** Workspace settings when a folder is open (remembered per VS Code workspace), else user settings. */
export function settingsTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
}

export async function connectAzure(extensionPath: string, backends: BackendManager): Promise<boolean> {
  return asUserAction(async () => {
    const azure = loadAzureModule(extensionPath);
    const settings = readAzureSettings();
    const endpoints = azure.checkEndpoints(settings.endpoints);
    const arm = (tenantId: string) =>
      new azure.ArmClient({
        endpoint: endpoints.armEndpoint,
        credential: credentialFor(tenantId),
        scope: endpoints.armScope,
      });

    const picked = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Connecting to Azure', cancellable: true },
      async (progress, token) => {
        const signal = toAbortSignal(token);
        progress.report({ message: 'signing in and listing tenants…' });
        const tenants = await azure.listTenants(arm(settings.tenantId), signal);
        return { tenants, tenantId: settings.tenantId };
      },
    );
    let tenantId = picked.tenantId;
    if (picked.tenants.length > 1) {
      const choice = await vscode.window.showQuickPick(
        picked.tenants.map((t) => ({
          label: t.displayName,
          description: t.defaultDomain,
          detail: t.tenantId,
          tenantId: t.tenantId,
          picked: t.tenantId === tenantId,
        })),
        {
          title: 'Connect to Azure (1/3): tenant',
          placeHolder: 'Which Microsoft Entra tenant holds the Sentinel workspace?',
          ignoreFocusOut: true,
          matchOnDetail: true,
        },
      );
      if (!choice) return false;
      tenantId = choice.tenantId;
    } else if (picked.tenants.length === 1) {
      tenantId = picked.tenants[0].tenantId;
    }

    const subscriptions = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Listing subscriptions…', cancellable: true },
      (_p, token) => azure.listSubscriptions(arm(tenantId), toAbortSignal(token)),
    );
    if (!subscriptions.length) {
      void vscode.window.showWarningMessage('Your account sees no enabled Azure subscription in this tenant.');
      return false;
    }
    const sub =
      subscriptions.length === 1
        ? { subscriptionId: subscriptions[0].subscriptionId }
        : await vscode.window.showQuickPick(
            subscriptions.map((s) => ({
              label: s.displayName,
              description: s.subscriptionId,
              subscriptionId: s.subscriptionId,
            })),
            {
              title: 'Connect to Azure (2/3): subscription',
              placeHolder: 'Subscription of the Sentinel workspace',
              ignoreFocusOut: true,
              matchOnDescription: true,
            },
          );
    if (!sub) return false;

    const workspaces = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Finding Sentinel-enabled workspaces…',
        cancellable: true,
      },
      (_p, token) => azure.listSentinelWorkspaces(arm(tenantId), sub.subscriptionId, toAbortSignal(token)),
    );
    if (!workspaces.length) {
      void vscode.window.showWarningMessage(
        'No Log Analytics workspace with Microsoft Sentinel in this subscription (or you cannot read it).',
      );
      return false;
    }
    const ws = await vscode.window.showQuickPick(
      workspaces.map((w) => ({
        label: w.name,
        description: `${w.resourceGroup} · ${w.location ?? ''}`,
        detail: w.resourceId,
        resourceId: w.resourceId,
      })),
      { title: 'Connect to Azure (3/3): Sentinel workspace', placeHolder: 'Workspace', ignoreFocusOut: true },
    );
    if (!ws) return false;

    // Consent for Log Analytics and the Sentinel MCP server now, while the user is at the keyboard;
    // later calls are silent.
    const credential = credentialFor(tenantId);
    await credential.getToken(endpoints.logsScope);
    try {
      await credential.getToken(endpoints.sentinelMcpScope);
    } catch (e) {
      void vscode.window.showWarningMessage(
        `Signed in, but not for the Sentinel MCP server (entity analyses will not work): ${(e as Error).message}`,
      );
    }

    const target = settingsTarget();
    await write(Settings.azureTenantId, tenantId, target);
    await write(Settings.azureWorkspaceResourceId, ws.resourceId, target);
    await write(Settings.backend, 'azure', target);
    backends.reset();
    void vscode.window.showInformationMessage(`Sentinel Workbench is connected to ${ws.label}.`);
    return true;
  });
}

export async function useLocalLake(backends: BackendManager): Promise<void> {
  await write(Settings.backend, 'local', settingsTarget());
  backends.reset();
}
