// The KQL language server runs in a child process (the Kusto language service is several MB and
// defines globals): started on the first KQL document, restarted by the client if it crashes.
import type { LanguageClient } from 'vscode-languageclient/node';
import type { FeatureContext } from '../features';

let client: Promise<LanguageClient> | undefined;

export function startLanguageClient(ctx: FeatureContext): Promise<LanguageClient> {
  client ??= create(ctx);
  return client;
}

async function create(ctx: FeatureContext): Promise<LanguageClient> {
  const { LanguageClient, TransportKind } = await import('vscode-languageclient/node');
  const module = ctx.extension.asAbsolutePath('dist/kql-language-server.js');
  const c = new LanguageClient(
    'sentinelWorkbench.kql',
    'Sentinel Workbench KQL',
    {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    },
    {
      documentSelector: [{ language: 'kql' }],
      outputChannel: ctx.log,
      initializationOptions: () => ({ lakeDir: ctx.backends.lakeDir(), backend: ctx.backends.kind }),
    },
  );
  ctx.extension.subscriptions.push({ dispose: () => void c.stop().catch(() => undefined) });
  c.onDidChangeState((e) => {
    // State 1 = Stopped: the client restarts a crashed server itself; say so in the log.
    if (e.newState === 1 && e.oldState === 2) ctx.logger.warn('KQL language server stopped; it is restarted on the next request.');
  });
  await c.start();
  ctx.extension.subscriptions.push(ctx.backends.onDidChange(() => {
    // The server may be restarting after a crash: it reads the backend again in its initialization options.
    c.sendNotification('sentinelWorkbench/backendChanged', { lakeDir: ctx.backends.lakeDir(), backend: ctx.backends.kind })
      .catch((e) => ctx.logger.debug(`KQL language server: backend change not sent: ${e instanceof Error ? e.message : String(e)}`));
  }));
  ctx.logger.info('KQL language server started');
  return c;
}

export function languageClientStarted(): boolean {
  return client !== undefined;
}

