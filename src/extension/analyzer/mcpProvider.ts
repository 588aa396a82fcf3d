// Offers the MCP servers to chat agents: the local server (stdio; the demo lake or the configured lake)
// always, and Microsoft's Sentinel MCP server (HTTP, signed in through the `microsoft` auth provider)
// when the Azure backend is active. The API is stable from VS Code 1.101, so it is feature-checked.
import * as vscode from 'vscode';
import { queryBudgetEnv, type BackendManager } from '../backendManager';
import type { Logger } from '../../core/types';
import { checkEndpoint } from '../../core/backends/azure/config';

export const MCP_PROVIDER_ID = 'sentinelWorkbench.mcpServers';

interface LmWithMcp {
  registerMcpServerDefinitionProvider?: (id: string, provider: unknown) => vscode.Disposable;
}

interface McpCtors {
  McpStdioServerDefinition?: new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => {
    cwd?: vscode.Uri;
  };
  McpHttpServerDefinition?: new (label: string, uri: vscode.Uri, headers?: Record<string, string>, version?: string) => {
    headers: Record<string, string>;
  };
}

const HTTP_LABEL = 'Microsoft Sentinel (data exploration)';

/** `api` is the vscode module (a parameter so tests can supply the 1.101+ API). */
export function registerMcpServers(
  extension: vscode.ExtensionContext,
  backends: BackendManager,
  logger: Logger,
  api: { lm?: LmWithMcp } & McpCtors = vscode as unknown as { lm?: LmWithMcp } & McpCtors,
): boolean {
  const lm = api.lm;
  const ctors = api;
  if (typeof lm?.registerMcpServerDefinitionProvider !== 'function' || !ctors.McpStdioServerDefinition) {
    logger.info('MCP server definitions: not supported by this VS Code version (needs 1.101+)');
    return false;
  }
  const changed = new vscode.EventEmitter<void>();
  const version = String(extension.extension.packageJSON?.version ?? '0');
  const provider = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      const defs: unknown[] = [];
      const lakeDir = backends.lakeDir();
      const args = [extension.asAbsolutePath('dist/mcp-server.js'), ...(lakeDir ? ['--lake', lakeDir] : [])];
      // The extension host's executable runs the script as Node (Electron needs ELECTRON_RUN_AS_NODE).
      defs.push(
        new ctors.McpStdioServerDefinition!(
          `Sentinel Workbench (${lakeDir ? 'local lake' : 'demo lake'})`,
          process.execPath,
          args,
          { ELECTRON_RUN_AS_NODE: '1', SWB_DEMO_CACHE: extension.globalStorageUri.fsPath, ...queryBudgetEnv() },
          version,
        ),
      );
      const config = vscode.workspace.getConfiguration('sentinelWorkbench');
      const url = config.get<string>('azure.sentinelMcpUrl', '').trim();
      if (backends.kind === 'azure' && url && ctors.McpHttpServerDefinition) {
        try {
          // The bearer token goes to this URL: https only (plain http for loopback hosts), like the Azure backend.
          defs.push(new ctors.McpHttpServerDefinition(HTTP_LABEL, vscode.Uri.parse(checkEndpoint(url, 'Sentinel MCP URL'), true), {}, version));
        } catch (e) {
          logger.warn(`Sentinel MCP server not offered to agents: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      return defs;
    },
    resolveMcpServerDefinition: async (server: { label?: string; headers?: Record<string, string> }) => {
      if (server.label !== HTTP_LABEL) return server;
      // Sign in only now that an agent starts the server (a user action), never while listing.
      const config = vscode.workspace.getConfiguration('sentinelWorkbench');
      const scope = config.get<string>('azure.sentinelMcpScope', '4500ebfb-89b6-4b14-a480-7f749797bfcd/.default');
      const tenant = config.get<string>('azure.tenantId', '').trim();
      const scopes = tenant ? [scope, `VSCODE_TENANT:${tenant}`] : [scope];
      const provider = config.get<string>('azure.authProvider', 'microsoft')?.trim() || 'microsoft';
      const session = await vscode.authentication.getSession(provider, scopes, { createIfNone: true });
      server.headers = { ...(server.headers ?? {}), Authorization: `Bearer ${session.accessToken}` };
      if (tenant) server.headers['x-mcp-client-tenant-id'] = tenant;
      return server;
    },
  };
  let registration: vscode.Disposable;
  try {
    registration = lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider);
  } catch (e) {
    // VS Code 1.100 exposes a pre-release form of this API with other manifest rules: never fail activation.
    logger.warn(`MCP server definitions not registered: ${e instanceof Error ? e.message : String(e)}`);
    changed.dispose();
    return false;
  }
  extension.subscriptions.push(
    registration,
    changed,
    backends.onDidChange(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (['lakePath', 'azure', 'backend', 'query.timeoutSeconds', 'query.memoryMb'].some((k) => e.affectsConfiguration(`sentinelWorkbench.${k}`))) changed.fire();
    }),
  );
  return true;
}
