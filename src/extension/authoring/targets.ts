// Where a .kql file runs: the Sentinel workspace of the active backend (default), Defender XDR advanced
// hunting (Microsoft Graph), or an Azure Data Explorer database. The choice is per file (workspace state),
// shown in the status bar for the active KQL editor and on the file's Run lenses, and switched with "Select
// Query Target…". The language server checks each file against its own target's tables. The Graph and
// Kusto clients come from dist/azure.js, loaded only when such a target runs.
import * as vscode from 'vscode';
import { read, Settings, write } from '../settings';
import type { QueryOptions } from '../../core/backends/types';
import { UserError } from '../../core/errors';
import type { KqlType, QueryResult } from '../../core/types';
import { Commands } from '../commandIds';
import type { FeatureContext } from '../features';
import { requireBundle } from '../lazyBundle';
import { asUserAction, credentialFor, loadAzureModule, readAzureSettings, type AzureModule } from '../triage/azure';
import type { TableSchemas } from '../../core/kql/workspaceSchema';
import type { LensTarget } from './codeLens';
import { useDocumentTarget, type TargetTables } from './languageClient';

/** What the runner needs from any target. */
export interface QueryTarget {
  readonly kind: string;
  readonly label: string;
  runQuery(query: string, options?: QueryOptions): Promise<QueryResult>;
  /** The clock "last N hours" counts from (SentinelBackend.now); without it, the wall clock. */
  now?(signal?: AbortSignal): Promise<Date>;
}

export type TargetId = 'workspace' | 'defender' | `kusto:${string}`;

const STATE_PREFIX = 'sentinelWorkbench.queryTarget:';
const KUSTO_URL = /^https?:\/\/[^/\s]+\/[^/\s]+$/i;

export function kustoClusters(): string[] {
  const list = read(Settings.kustoClusters);
  return Array.isArray(list)
    ? list.filter((x): x is string => typeof x === 'string' && KUSTO_URL.test(x.trim())).map((x) => x.trim())
    : [];
}

/** A target's missing sign-in and the actions that fix it (its runs may prompt; "Connect to Azure Workspace" does not sign in there). */
function signInNeeded(what: string): string {
  return `${what} Run the query from this file again and sign in when VS Code asks, or run "Sentinel: Select Query Target…" to send the file elsewhere.`;
}

/** The database name of `url`, with its cluster host when another configured cluster has a database of that name. */
export function kustoShortName(url: string, clusters: readonly string[]): string {
  const database = (u: string) => decodeURIComponent(new URL(u).pathname.slice(1));
  const name = database(url);
  const host = new URL(url).host;
  const clash = clusters.some(
    (other) => new URL(other).host !== host && database(other).toLowerCase() === name.toLowerCase(),
  );
  return clash ? `${host}/${name}` : name;
}

export class QueryTargets implements vscode.Disposable {
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  /** The target each KQL document's schema was announced for, by URI. */
  private readonly announced = new Map<string, TargetId>();
  private readonly kustoSchemas = new Map<string, Promise<TableSchemas>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** A file's target changed (or the workspace backend, which every default file follows). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: FeatureContext) {
    this.status = vscode.window.createStatusBarItem(
      'sentinelWorkbench.queryTarget',
      vscode.StatusBarAlignment.Left,
      40,
    );
    this.status.name = 'KQL query target';
    this.status.command = Commands.selectQueryTarget;
    this.disposables.push(
      this.status,
      this.changed,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidOpenTextDocument((doc) => {
        if (doc.languageId === 'kql') this.announce(doc.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.announced.delete(doc.uri.toString())),
      ctx.backends.onDidChange(() => {
        this.refresh();
        this.changed.fire(undefined);
      }),
    );
    this.refresh();
    this.announceAll();
  }

  idFor(uri: vscode.Uri | undefined): TargetId {
    if (!uri) return 'workspace';
    const saved = this.ctx.extension.workspaceState.get<string>(STATE_PREFIX + uri.toString());
    if (saved === 'defender') return 'defender';
    if (saved?.startsWith('kusto:') && kustoClusters().includes(saved.slice(6))) return saved as TargetId;
    return 'workspace';
  }

  describe(id: TargetId): string {
    if (id === 'defender') return 'Defender XDR (advanced hunting)';
    if (id.startsWith('kusto:')) return `ADX ${id.slice(6).replace(/^https?:\/\//, '')}`;
    return this.ctx.backends.label;
  }

  async set(uri: vscode.Uri, id: TargetId): Promise<void> {
    await this.ctx.extension.workspaceState.update(STATE_PREFIX + uri.toString(), id === 'workspace' ? undefined : id);
    this.announce(uri);
    this.refresh();
    this.changed.fire(uri);
  }

  /** The target a run from `uri` goes to. */
  async forRun(uri: vscode.Uri | undefined, chosen?: TargetId): Promise<QueryTarget> {
    const id = chosen ?? this.idFor(uri);
    if (id === 'workspace') return this.ctx.backends.current();
    const target = this.open(id);
    // A run is the user's action: the first one may ask VS Code for a sign-in to Graph or the cluster.
    return {
      kind: target.kind,
      label: target.label,
      runQuery: async (query, options) => {
        const result = await asUserAction(() => target.runQuery(query, options));
        // Signed in now: a schema read that failed before (no session yet) is tried again.
        if (uri) this.announce(uri);
        return result;
      },
    };
  }

  private open(id: Exclude<TargetId, 'workspace'>) {
    const azure = loadAzureModule(this.ctx.extension.extensionPath);
    const { tenantId } = readAzureSettings();
    const tenant = tenantId ? ` in tenant ${tenantId}` : '';
    if (id === 'defender') {
      const endpoint = read(Settings.defenderGraphEndpoint) || undefined;
      const credential = credentialFor(
        tenantId,
        this.ctx.logger,
        signInNeeded(
          `Defender XDR advanced hunting needs a Microsoft sign-in to Microsoft Graph${tenant} (scope ${azure.GRAPH_SCOPE}, permission ThreatHunting.Read.All).`,
        ),
      );
      return new azure.DefenderHunting({ credential, endpoint, logger: this.ctx.logger });
    }
    const target = azure.parseKustoTarget(id.slice(6));
    const credential = credentialFor(
      tenantId,
      this.ctx.logger,
      signInNeeded(
        `Azure Data Explorer database ${target.database} needs a Microsoft sign-in to the cluster ${new URL(target.clusterUrl).host}${tenant} (scope ${target.clusterUrl}/.default, Viewer role on the database).`,
      ),
    );
    return new azure.AdxDatabase({ target, credential, logger: this.ctx.logger });
  }

  /** "Select Query Target…" for the active KQL editor (or `uri`). */
  async pick(uri: vscode.Uri | undefined): Promise<void> {
    if (!uri) throw new UserError('Open a .kql file to choose where it runs.');
    const current = this.idFor(uri);
    type Item = vscode.QuickPickItem & { id?: TargetId; add?: boolean };
    const items: Item[] = [
      { label: '$(database) Sentinel workspace', description: this.ctx.backends.label, id: 'workspace' },
      {
        label: '$(shield) Run on Defender XDR (advanced hunting)',
        description: 'Microsoft Graph runHuntingQuery · last 30 days · 100,000 rows',
        id: 'defender',
      },
      ...kustoClusters().map((url): Item => ({
        label: `$(server) ${url.replace(/^https?:\/\//, '')}`,
        description: 'Azure Data Explorer',
        id: `kusto:${url}`,
      })),
      { label: '$(add) Add Kusto cluster…', add: true },
    ];
    for (const i of items) if (i.id === current) i.detail = 'current';
    const choice = await vscode.window.showQuickPick(items, {
      title: 'Run this file on',
      placeHolder: this.describe(current),
    });
    if (!choice) return;
    const id = choice.add ? await this.addKustoCluster() : choice.id;
    if (id) await this.set(uri, id);
  }

  /** "Add Kusto Cluster…": asks for https://CLUSTER/DATABASE and keeps it in the user settings. */
  async addKustoCluster(): Promise<TargetId | undefined> {
    const value = await vscode.window.showInputBox({
      title: 'Add Kusto cluster',
      prompt: 'Azure Data Explorer database as https://CLUSTER/DATABASE (plain http only for 127.0.0.1 / localhost)',
      placeHolder: 'https://mycluster.westeurope.kusto.windows.net/SecurityArchive',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const t = v.trim();
        if (!KUSTO_URL.test(t)) return 'Give the cluster URL and one database name: https://CLUSTER/DATABASE';
        const u = new URL(t);
        if (u.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname))
          return 'Use https:// (the sign-in token goes to this address)';
        return undefined;
      },
    });
    if (!value) return undefined;
    const url = value.trim().replace(/\/+$/, '');
    const list = kustoClusters();
    if (!list.includes(url)) {
      await write(Settings.kustoClusters, [...list, url], vscode.ConfigurationTarget.Global);
    }
    return `kusto:${url}`;
  }

  /** Where the Run lenses of `uri` say they run: nothing for the workspace (the default). */
  lensTarget(uri: vscode.Uri): LensTarget | undefined {
    const id = this.idFor(uri);
    if (id === 'defender') return { short: 'Defender XDR', full: 'Defender XDR (advanced hunting)' };
    if (id.startsWith('kusto:')) {
      const { host, pathname } = new URL(id.slice(6));
      return { short: `ADX ${kustoShortName(id.slice(6), kustoClusters())}`, full: `ADX ${host}${pathname}` };
    }
    return undefined;
  }

  /** Tells the language server which tables each open KQL file's target has (advanced hunting, ADX, the workspace). */
  private announceAll(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.languageId === 'kql') this.announce(doc.uri);
  }

  private announce(uri: vscode.Uri): void {
    const key = uri.toString();
    const id = this.idFor(uri);
    if (this.announced.get(key) === id) return;
    this.announced.set(key, id);
    const send = (tables: TargetTables | undefined) => {
      // A later change of target wins over a slow schema read.
      if (this.announced.get(key) === id) void useDocumentTarget(this.ctx, key, tables);
    };
    if (id === 'workspace') return send(undefined);
    if (id === 'defender') return send({ id, tables: this.languageClientLib().advancedHuntingTables(), only: false });
    void this.kustoTables(id)
      .then((tables) => send({ id, tables, only: true }))
      .catch((e) => {
        if (this.announced.get(key) === id) this.announced.delete(key);
        this.ctx.logger.warn(
          `KQL language server: could not read the ADX schema of ${this.describe(id)}: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
  }

  /** The LSP client bundle, which also holds the advanced-hunting tables (the built-in schemas stay out of activation). */
  private languageClientLib(): typeof import('./languageClientLib') {
    return requireBundle(this.ctx.extension.extensionPath, 'language-client');
  }

  /** An ADX database's tables from `.show database schema as json` (once per session). */
  private kustoTables(id: `kusto:${string}`): Promise<TableSchemas> {
    let tables = this.kustoSchemas.get(id);
    if (!tables) {
      tables = (async () => {
        const schema = await (this.open(id) as InstanceType<AzureModule['AdxDatabase']>).schema();
        return Object.fromEntries(
          Object.entries(schema).map(([t, cols]) => [
            t,
            Object.entries(cols).map(([name, type]) => ({ name, type: type as KqlType })),
          ]),
        );
      })();
      this.kustoSchemas.set(id, tables);
      tables.catch(() => this.kustoSchemas.delete(id));
    }
    return tables;
  }

  private refresh(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'kql') {
      this.status.hide();
      return;
    }
    const id = this.idFor(editor.document.uri);
    const icon = id === 'defender' ? '$(shield)' : id.startsWith('kusto:') ? '$(server)' : '$(database)';
    this.status.text = `${icon} KQL: ${this.describe(id)}`;
    this.status.tooltip =
      'Where Run Query sends this file — click to choose (Sentinel workspace, Defender XDR advanced hunting, Azure Data Explorer)';
    this.status.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
