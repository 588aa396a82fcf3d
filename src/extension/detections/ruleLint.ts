// `swb test --lint` as the user types: rule YAML/JSON documents are linted in the detection-tests child
// process (debounced, the previous run cancelled) and the findings become diagnostics.
import * as vscode from 'vscode';
import { isTestFile, looksLikeRule } from '../../core/detections/fileKinds';
import type { Logger } from '../../core/types';
import type { DetectionsWorker } from './worker';

const DEBOUNCE_MS = 400;

export class RuleLinter implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('sentinelWorkbench.ruleLint');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Map<string, vscode.CancellationTokenSource>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly worker: DetectionsWorker,
    private readonly schemaFile: () => string | undefined,
    private readonly logger: Logger,
  ) {
    this.disposables.push(
      this.diagnostics,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancel(d.uri.toString());
        this.diagnostics.delete(d.uri);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || !['yaml', 'json'].includes(doc.languageId) || isTestFile(doc.uri.fsPath)) return;
    const key = doc.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lint(doc);
      }, DEBOUNCE_MS),
    );
  }

  private cancel(key: string): void {
    this.inflight.get(key)?.cancel();
    this.inflight.delete(key);
  }

  private async lint(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const text = doc.getText();
    if (!looksLikeRule(text)) {
      this.diagnostics.delete(doc.uri);
      return;
    }
    this.cancel(key);
    const cts = new vscode.CancellationTokenSource();
    this.inflight.set(key, cts);
    try {
      const found = await this.worker.lint({ file: doc.uri.fsPath, text, schemaFile: this.schemaFile() }, cts.token);
      if (cts.token.isCancellationRequested) return;
      this.diagnostics.set(
        doc.uri,
        found.map((d) => {
          const range = new vscode.Range(d.line - 1, d.column - 1, d.line - 1, d.column - 1 + d.length);
          const diag = new vscode.Diagnostic(
            range,
            d.message,
            d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
          );
          diag.source = 'swb test --lint';
          return diag;
        }),
      );
    } catch (e) {
      if (!(e instanceof vscode.CancellationError))
        this.logger.warn(`rule lint: ${doc.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (this.inflight.get(key) === cts) this.inflight.delete(key);
      cts.dispose();
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const c of this.inflight.values()) c.cancel();
    for (const d of this.disposables) d.dispose();
  }
}
