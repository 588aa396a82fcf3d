// Offers the MCP servers to chat agents: the local server (stdio; the demo lake or the configured lake)
// always, and Microsoft's Sentinel MCP server (HTTP, signed in through the `microsoft` auth provider)
// when the Azure backend is active. The API is stable from VS Code 1.101, so it is feature-checked.
import * as vscode from 'vscode';
import { read, Settings } from '../settings';
import { queryBudgetEnv, type BackendManager } from '../backendManager';
import type { Logger } from '../../core/types';
import { checkEndpoint } from '../../core/backends/azure/config';
import { startAuthProxy, type AuthProxy } from '../../core/backends/mcpAuthProxy';
import { asUserAction, credentialFor, readAzureSettings } from '../triage/azure';

export const MCP_PROVIDER_ID = 'sentinelWorkbench.mcpServers';

interface LmWithMcp {
  registerMcpServerDefinitionProvider?: (id: string, provider: unknown) => vscode.Disposable;
}

interface McpCtors {
  McpStdioServerDefinition?: new (
    label: string,
    command: string,
    args?: string[],
    env?: Record<string, string | number | null>,
    version?: string,
  ) => {
    cwd?: vscode.Uri;
  };
  McpHttpServerDefinition?: new (
    label: string,
    uri: vscode.Uri,
    headers?: Record<string, string>,
    version?: string,
  ) => {
    headers: Record<string, string>;
  };
}

const HTTP_LABEL = 'Microsoft Sentinel (data exploration)';

/**
 * Agent mode reaches the Sentinel MCP server through a loopback proxy that signs every request with a fresh
 * token (see core/backends/mcpAuthProxy.ts for why not the definition's headers). One proxy per endpoint, tenant and
 * scope; a settings change closes it so the next start uses the new ones.
 */
class SentinelMcpProxies implements vscode.Disposable {
  private current: { key: string; proxy: Promise<AuthProxy> } | undefined;

  constructor(private readonly logger: Logger) {}

  async forSettings(): Promise<AuthProxy> {
    const s = readAzureSettings();
    const url = checkEndpoint(s.endpoints.sentinelMcpUrl, 'Sentinel MCP URL');
    const scope = s.endpoints.sentinelMcpScope;
    const credential = credentialFor(s.tenantId, this.logger);
    // Sign in now: an agent starting the server is a user action (never while the servers are listed).
    await asUserAction(() => credential.getToken(scope));
    const key = `${url}|${s.tenantId}|${scope}`;
    if (this.current?.key !== key) {
      this.reset();
      const proxy = startAuthProxy({
        target: url,
        tenantId: s.tenantId || undefined,
        logger: this.logger,
        getToken: async (signal) => {
          const token = await credential.getToken(scope, { abortSignal: signal });
          if (!token) throw new Error('No access token for the Sentinel MCP server.');
          return token.token;
        },
      });
      this.current = { key, proxy };
      proxy.catch(() => {
        if (this.current?.proxy === proxy) this.current = undefined;
      });
    }
    return this.current!.proxy;
  }

  reset(): void {
    const old = this.current;
    this.current = undefined;
    old?.proxy.then(
      (p) => p.close(),
      () => undefined,
    );
  }

  dispose(): void {
    this.reset();
  }
}

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
  const proxies = new SentinelMcpProxies(logger);
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
      const url = read(Settings.azureSentinelMcpUrl).trim();
      if (backends.kind === 'azure' && url && ctors.McpHttpServerDefinition) {
        try {
          // The bearer token goes to this URL: https only (plain http for loopback hosts), like the Azure backend.
          defs.push(
            new ctors.McpHttpServerDefinition(
              HTTP_LABEL,
              vscode.Uri.parse(checkEndpoint(url, 'Sentinel MCP URL'), true),
              {},
              version,
            ),
          );
        } catch (e) {
          logger.warn(`Sentinel MCP server not offered to agents: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      return defs;
    },
    resolveMcpServerDefinition: async (server: { label?: string }) => {
      if (server.label !== HTTP_LABEL || !ctors.McpHttpServerDefinition) return server;
      const proxy = await proxies.forSettings();
      return new ctors.McpHttpServerDefinition(HTTP_LABEL, vscode.Uri.parse(proxy.url, true), proxy.headers, version);
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
    proxies,
    backends.onDidChange(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('sentinelWorkbench.azure') || e.affectsConfiguration('sentinelWorkbench.development'))
        proxies.reset();
      if (
        ['lakePath', 'azure', 'backend', 'query.timeoutSeconds', 'query.memoryMb'].some((k) =>
          e.affectsConfiguration(`sentinelWorkbench.${k}`),
        )
      )
        changed.fire();
    }),
  );
  return true;
}
