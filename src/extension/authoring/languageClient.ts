// The KQL language server runs in a child process (the Kusto language service is several MB and
// defines globals): started on the first KQL document, restarted by the client if it crashes.
// When the backend is Azure, the workspace's own tables are read through the backend (see
// core/kql/workspaceSchema.ts for what that costs) and sent to the server as `sentinelWorkbench/schema`.
// A file whose query target is Defender XDR or an ADX database is checked against that target's tables
// (`sentinelWorkbench/documentTarget`), whichever editor is active.
import type { LanguageClient } from 'vscode-languageclient/node';
import { fetchWorkspaceSchema, type TableSchemas } from '../../core/kql/workspaceSchema';
import type { FeatureContext } from '../features';
import { requireBundle } from '../lazyBundle';

let client: Promise<LanguageClient> | undefined;
/** Workspace schemas by backend label (which names the workspace), for the session. */
const schemaCache = new Map<string, TableSchemas>();
/** The fetch for the current backend; a backend change cancels it. */
let fetching: AbortController | undefined;
/** What the server was last sent, so a restarted server gets it again. */
let lastSchema: TableSchemas | undefined;
/** Files whose query target is not the workspace, with that target's tables. */
const documentTargets = new Map<string, TargetTables>();
const SCHEMA_BUDGET_MS = 30_000;

export function startLanguageClient(ctx: FeatureContext): Promise<LanguageClient> {
  if (!client) {
    const starting = create(ctx);
    client = starting;
    // A failed start must not stick: the next KQL document tries again.
    starting.catch(() => {
      if (client === starting) client = undefined;
    });
  }
  return client;
}

async function create(ctx: FeatureContext): Promise<LanguageClient> {
  const { LanguageClient, TransportKind } = requireBundle<typeof import('./languageClientLib')>(
    ctx.extension.extensionPath,
    'language-client',
  );
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
    if (e.newState === 1 && e.oldState === 2)
      ctx.logger.warn('KQL language server stopped; it is restarted on the next request.');
    // State 2 = Running: a restarted server starts from its initialization options; give it the workspace's tables again.
    if (e.newState === 2 && lastSchema) sendSchema(ctx, c, lastSchema);
    if (e.newState === 2) for (const [uri, target] of documentTargets) sendDocumentTarget(ctx, c, uri, target);
  });
  await c.start();
  ctx.extension.subscriptions.push(
    ctx.backends.onDidChange(() => {
      // The server may be restarting after a crash: it reads the backend again in its initialization options.
      c.sendNotification('sentinelWorkbench/backendChanged', {
        lakeDir: ctx.backends.lakeDir(),
        backend: ctx.backends.kind,
      }).catch((e) => ctx.logger.debug(`KQL language server: backend change not sent: ${message(e)}`));
      void updateWorkspaceSchema(ctx, c);
    }),
  );
  ctx.extension.subscriptions.push({ dispose: () => fetching?.abort() });
  ctx.logger.info('KQL language server started');
  // Not awaited: the server works with the built-in schemas until the workspace's arrive.
  void updateWorkspaceSchema(ctx, c);
  return c;
}

/** A query target's tables: `only` = nothing else exists there (an ADX database); otherwise over the workspace's. */
export interface TargetTables {
  id: string;
  tables: TableSchemas;
  only: boolean;
}

/**
 * The tables `uri` is checked against: its query target's, or the workspace's (`undefined`). Kept here so a
 * server that starts (or restarts) later gets every file's target again.
 */
export async function useDocumentTarget(
  ctx: Pick<FeatureContext, 'logger'>,
  uri: string,
  target: TargetTables | undefined,
): Promise<void> {
  if (target) documentTargets.set(uri, target);
  else if (!documentTargets.delete(uri)) return;
  const c = client ? await client.catch(() => undefined) : undefined;
  if (c) sendDocumentTarget(ctx, c, uri, target);
}

function sendDocumentTarget(
  ctx: Pick<FeatureContext, 'logger'>,
  c: Notifier,
  uri: string,
  target: TargetTables | undefined,
): void {
  c.sendNotification('sentinelWorkbench/documentTarget', { uri, target: target ?? null }).catch((e) =>
    ctx.logger.debug(`KQL language server: query target of ${uri} not sent: ${message(e)}`),
  );
}

/** The part of the client the schema update uses. */
type Notifier = Pick<LanguageClient, 'sendNotification'>;

/** On Azure, reads the workspace's tables (once per workspace per session) and sends them to the server. */
export async function updateWorkspaceSchema(
  ctx: Pick<FeatureContext, 'backends' | 'logger'>,
  c: Notifier,
): Promise<void> {
  fetching?.abort();
  fetching = undefined;
  lastSchema = undefined;
  if (ctx.backends.kind !== 'azure') return;
  const controller = new AbortController();
  fetching = controller;
  try {
    const backend = await ctx.backends.current();
    if (controller.signal.aborted || backend.kind !== 'azure') return;
    const key = backend.label;
    let tables = schemaCache.get(key);
    if (!tables) {
      const started = Date.now();
      tables = await fetchWorkspaceSchema((query, options) => backend.runQuery(query, options), {
        signal: controller.signal,
        timeoutMs: SCHEMA_BUDGET_MS,
        onWarning: (m) => ctx.logger.warn(`KQL language server: workspace schema: ${m}`),
      });
      // A read that succeeded is kept; a failed or cancelled one is tried again on the next backend change.
      schemaCache.set(key, tables);
      ctx.logger.info(
        `KQL language server: ${Object.keys(tables).length} tables read from ${key} in ${Date.now() - started} ms`,
      );
    }
    if (controller.signal.aborted) return;
    lastSchema = tables;
    sendSchema(ctx, c, tables);
  } catch (e) {
    if (controller.signal.aborted)
      ctx.logger.debug('KQL language server: workspace schema fetch cancelled (backend changed)');
    else
      ctx.logger.warn(
        `KQL language server: could not read the workspace's tables; checking against the built-in schemas: ${message(e)}`,
      );
  } finally {
    if (fetching === controller) fetching = undefined;
  }
}

function sendSchema(ctx: Pick<FeatureContext, 'logger'>, c: Notifier, tables: TableSchemas): void {
  c.sendNotification('sentinelWorkbench/schema', { tables }).catch((e) =>
    ctx.logger.debug(`KQL language server: workspace schema not sent: ${message(e)}`),
  );
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
