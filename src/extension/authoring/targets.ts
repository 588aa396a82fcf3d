// Where a .kql file runs: the Sentinel workspace of the active backend (default), Defender XDR advanced
// hunting (Microsoft Graph), or an Azure Data Explorer database. The choice is per file (workspace state),
// shown in the status bar for the active KQL editor, and switched with "Select Query Target…". The Graph and
// Kusto clients come from dist/azure.js, loaded only when such a target runs.
import * as vscode from 'vscode';
import { read, Settings, write } from '../settings';
import type { QueryOptions } from '../../core/backends/types';
import { UserError } from '../../core/errors';
import { advancedHuntingTables } from '../../core/backends/defender/schema';
import type { KqlType, QueryResult } from '../../core/types';
import { Commands } from '../commandIds';
import type { FeatureContext } from '../features';
import { credentialFor, loadAzureModule, readAzureSettings } from '../triage/azure';
import { useTargetSchema } from './languageClient';

/** What the runner needs from any target. */
export interface QueryTarget {
  readonly kind: string;
  readonly label: string;
  runQuery(query: string, options?: QueryOptions): Promise<QueryResult>;
}

export type TargetId = 'workspace' | 'defender' | `kusto:${string}`;

const STATE_PREFIX = 'sentinelWorkbench.queryTarget:';
const KUSTO_URL = /^https?:\/\/[^/\s]+\/[^/\s]+$/i;

export function kustoClusters(): string[] {
  const list = read(Settings.kustoClusters);
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string' && KUSTO_URL.test(x.trim())).map((x) => x.trim()) : [];
}

export class QueryTargets implements vscode.Disposable {
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private announced: TargetId | undefined;
  private readonly kustoSchemas = new Map<string, Record<string, { name: string; type: KqlType }[]>>();

  constructor(private readonly ctx: FeatureContext) {
    this.status = vscode.window.createStatusBarItem('sentinelWorkbench.queryTarget', vscode.StatusBarAlignment.Left, 40);
    this.status.name = 'KQL query target';
    this.status.command = Commands.selectQueryTarget;
    this.disposables.push(
      this.status,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      ctx.backends.onDidChange(() => this.refresh()),
    );
    this.refresh();
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
    this.refresh();
  }

  /** The target a run from `uri` goes to. */
  async forRun(uri: vscode.Uri | undefined, chosen?: TargetId): Promise<QueryTarget> {
    const id = chosen ?? this.idFor(uri);
    if (id === 'workspace') return this.ctx.backends.current();
    const azure = loadAzureModule(this.ctx.extension.extensionPath);
    const settings = readAzureSettings();
    const credential = credentialFor(settings.tenantId, this.ctx.logger);
    if (id === 'defender') {
      const endpoint = read(Settings.defenderGraphEndpoint) || undefined;
      return new azure.DefenderHunting({ credential, endpoint, logger: this.ctx.logger });
    }
    return new azure.AdxDatabase({ target: azure.parseKustoTarget(id.slice(6)), credential, logger: this.ctx.logger });
  }

  /** "Select Query Target…" for the active KQL editor (or `uri`). */
  async pick(uri: vscode.Uri | undefined): Promise<void> {
    if (!uri) throw new UserError('Open a .kql file to choose where it runs.');
    const current = this.idFor(uri);
    type Item = vscode.QuickPickItem & { id?: TargetId; add?: boolean };
    const items: Item[] = [
      { label: '$(database) Sentinel workspace', description: this.ctx.backends.label, id: 'workspace' },
      { label: '$(shield) Run on Defender XDR (advanced hunting)', description: 'Microsoft Graph runHuntingQuery · last 30 days · 100,000 rows', id: 'defender' },
      ...kustoClusters().map((url): Item => ({ label: `$(server) ${url.replace(/^https?:\/\//, '')}`, description: 'Azure Data Explorer', id: `kusto:${url}` })),
      { label: '$(add) Add Kusto cluster…', add: true },
    ];
    for (const i of items) if (i.id === current) i.detail = 'current';
    const choice = await vscode.window.showQuickPick(items, { title: 'Run this file on', placeHolder: this.describe(current) });
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
        if (u.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return 'Use https:// (the sign-in token goes to this address)';
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

  /** Tells the language server which tables the active file's target has (advanced hunting, ADX, the workspace). */
  private announce(id: TargetId): void {
    if (id === this.announced) return;
    const first = this.announced === undefined;
    this.announced = id;
    // The server starts with the workspace's tables: nothing to say until a file picks another target.
    if (first && id === 'workspace') return;
    const send = (tables: Parameters<typeof useTargetSchema>[1]) => useTargetSchema(this.ctx, tables);
    if (id === 'workspace') {
      void send('workspace');
      return;
    }
    if (id === 'defender') {
      void send(advancedHuntingTables());
      return;
    }
    void (async () => {
      let tables = this.kustoSchemas.get(id);
      if (!tables) {
        const target = (await this.forRun(undefined, id)) as QueryTarget & { schema(): Promise<Record<string, Record<string, string>>> };
        const schema = await target.schema();
        tables = Object.fromEntries(Object.entries(schema).map(([t, cols]) => [t, Object.entries(cols).map(([name, type]) => ({ name, type: type as KqlType }))]));
        this.kustoSchemas.set(id, tables);
      }
      if (this.announced === id) await send(tables);
    })().catch((e) => this.ctx.logger.warn(`KQL language server: could not read the ADX schema: ${e instanceof Error ? e.message : String(e)}`));
  }

  private refresh(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'kql') {
      this.status.hide();
      return;
    }
    const id = this.idFor(editor.document.uri);
    this.announce(id);
    const icon = id === 'defender' ? '$(shield)' : id.startsWith('kusto:') ? '$(server)' : '$(database)';
    this.status.text = `${icon} KQL: ${this.describe(id)}`;
    this.status.tooltip = 'Where Run Query sends this file — click to choose (Sentinel workspace, Defender XDR advanced hunting, Azure Data Explorer)';
    this.status.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
