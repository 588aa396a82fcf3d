// Owns the active SentinelBackend: the local lake (through the local MCP server child process) or Azure.
// Created lazily on first use so activate() stays cheap.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BackendKind, Incident, SentinelBackend } from '../core/backends/types';
import type { Logger } from '../core/types';
import { requireBundle } from './lazyBundle';
import { read, Settings } from './settings';

/** An incident changed through the workbench: a new version (`incident`) or new comments. */
export interface IncidentChangeEvent {
  incidentId: string;
  incident?: Incident;
  comments?: boolean;
}

export class BackendManager implements vscode.Disposable {
  private active: { kind: BackendKind; backend: Promise<SentinelBackend> } | undefined;
  private readonly changed = new vscode.EventEmitter<BackendKind>();
  /** Fires after the active backend changed (switch, or settings that define it). */
  readonly onDidChange = this.changed.event;
  private readonly incidentEmitter = new vscode.EventEmitter<IncidentChangeEvent>();
  /** Fires when a feature changed an incident (the tree, its badge and open incident pages follow). */
  readonly onDidChangeIncident = this.incidentEmitter.event;
  /** Creates the Azure backend; installed by the triage feature (keeps Azure SDKs out of activation). */
  azureFactory: ((logger: Logger) => Promise<SentinelBackend>) | undefined;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly logger: Logger,
  ) {}

  get kind(): BackendKind {
    return read(Settings.backend);
  }

  /** A short label for status bars and result headers. */
  get label(): string {
    return this.kind === 'local' ? 'local demo lake' : 'Azure';
  }

  current(): Promise<SentinelBackend> {
    const kind = this.kind;
    if (!this.active || this.active.kind !== kind) {
      this.disposeActive();
      const backend = kind === 'azure' ? this.createAzure() : this.createLocal();
      this.active = { kind, backend };
      // A failed start must not stick: the next call tries again.
      backend.catch(() => {
        if (this.active?.backend === backend) this.active = undefined;
      });
    }
    return this.active.backend;
  }

  /** Drops the active backend (e.g. after settings changed) and tells listeners. */
  reset(): void {
    this.disposeActive();
    this.changed.fire(this.kind);
  }

  /** The lake folder the local backend uses; undefined means the generated demo lake. */
  lakeDir(): string | undefined {
    const configured = read(Settings.lakePath).trim();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (configured && vscode.workspace.isTrusted) return path.resolve(folder ?? '', configured);
    if (folder) {
      for (const candidate of [path.join(folder, 'lake'), path.join(folder, 'sample', 'lake')]) {
        if (fs.existsSync(path.join(candidate, 'lake.json'))) return candidate;
      }
    }
    return undefined;
  }

  private async createLocal(): Promise<SentinelBackend> {
    const { createMcpLocalBackend } = requireBundle<typeof import('../core/backends/mcpLocal')>(
      this.extension.extensionPath,
      'mcp-local',
    );
    return createMcpLocalBackend({
      nodePath: process.execPath,
      serverPath: this.extension.asAbsolutePath(path.join('dist', 'mcp-server.js')),
      lakeDir: this.lakeDir(),
      logger: this.logger,
      env: {
        SWB_DEMO_CACHE: this.extension.globalStorageUri.fsPath,
        // The local server plays the service's rules with the user's settings.
        SWB_POLL_WAIT_MS: String(read(Settings.analyzerPollWaitSeconds) * 1000),
        SWB_RESULT_LIFETIME_MS: String(read(Settings.analyzerResultLifetimeMinutes) * 60_000),
        ...queryBudgetEnv(),
      },
      queryTimeoutMs: Number(queryBudgetEnv().SWB_QUERY_TIMEOUT_SECONDS) * 1000,
    });
  }

  private async createAzure(): Promise<SentinelBackend> {
    if (!this.azureFactory) throw new Error('The Azure backend is not available in this version.');
    return this.azureFactory(this.logger);
  }

  private disposeActive(): void {
    const old = this.active;
    this.active = undefined;
    old?.backend.then(
      (b) => b.dispose(),
      () => undefined,
    );
  }

  incidentChanged(event: IncidentChangeEvent): void {
    this.incidentEmitter.fire(event);
  }

  dispose(): void {
    this.disposeActive();
    this.changed.dispose();
    this.incidentEmitter.dispose();
  }
}

/** The local server's query budgets from the user's settings (the server stops a query that overruns them). */
export function queryBudgetEnv(): { SWB_QUERY_TIMEOUT_SECONDS: string; SWB_QUERY_MEMORY_MB: string } {
  return {
    SWB_QUERY_TIMEOUT_SECONDS: String(read(Settings.queryTimeoutSeconds)),
    SWB_QUERY_MEMORY_MB: String(read(Settings.queryMemoryMb)),
  };
}
