// The results panel host. One panel per .kql file (reused by every run from that file): an analyst
// iterates on one query, so a new run replaces the previous answer instead of piling up tabs.
import * as vscode from 'vscode';
import { toCsv, toJson } from '../../core/export';
import type { QueryResult } from '../../core/types';
import { HostToResults, resultMessages, ResultsMeta, ResultsState, ResultsToHost } from '../../webview/_resultsProtocol';
import { RESULTS_BODY } from '../../webview/_resultsMarkup';
import { reportError } from '../errors';
import { webviewHtml } from '../webviewHtml';

export const RESULTS_VIEW_TYPE = 'sentinelWorkbench.results';

export class ResultsPanel {
  private ready = false;
  private readonly queue: HostToResults[] = [];
  private last: { result: QueryResult; meta: ResultsMeta } | undefined;
  /** Re-runs the query that produced this panel's results (set by the runner). */
  rerun: (() => void) | undefined;

  constructor(readonly panel: vscode.WebviewPanel, readonly key: string, private readonly onDispose: () => void) {
    panel.webview.onDidReceiveMessage((m: ResultsToHost) => void this.receive(m).catch((e) => reportError(e, 'Results')));
    panel.onDidDispose(() => this.onDispose());
  }

  post(message: HostToResults): void {
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.queue.push(message);
  }

  /** Sends a result in chunks: the first rows paint at once, the rest stream in. */
  showResult(result: QueryResult, meta: ResultsMeta): void {
    this.last = { result, meta };
    for (const m of resultMessages(result, meta)) this.post(m);
  }

  private async receive(m: ResultsToHost): Promise<void> {
    switch (m.type) {
      case 'ready': {
        // A panel hidden behind another tab is unloaded and says `ready` again when shown: send its rows again.
        const again = this.ready;
        this.ready = true;
        for (const q of this.queue.splice(0)) void this.panel.webview.postMessage(q);
        if (again && this.last) for (const q of resultMessages(this.last.result, this.last.meta)) void this.panel.webview.postMessage(q);
        break;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        vscode.window.setStatusBarMessage(`Copied ${m.what}`, 2000);
        break;
      case 'rerun':
        if (this.rerun) this.rerun();
        else void vscode.window.showInformationMessage('Run the query again from its CodeLens: these results were restored after a reload.');
        break;
      case 'export':
        await this.export(m.format);
        break;
    }
  }

  private async export(format: 'csv' | 'json'): Promise<void> {
    if (!this.last) return;
    const base = this.last.meta.title.replace(/\.(kql|csl|kusto)\b/g, '').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'results';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: `Export results as ${format.toUpperCase()}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.${format}`) : undefined,
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    });
    if (!target) return;
    const text = format === 'csv' ? toCsv(this.last.result) : toJson(this.last.result);
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    this.post({ type: 'exported', path: target.fsPath });
    void vscode.window.showInformationMessage(`Exported ${this.last.result.rows.length.toLocaleString()} rows to ${target.fsPath}`);
  }
}

export class ResultsPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<ResultsState> {
  private readonly panels = new Map<string, ResultsPanel>();

  constructor(private readonly extension: vscode.ExtensionContext) {}

  /** The panel for a document (created or revealed), titled after it. */
  show(key: string, title: string): ResultsPanel {
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.title = `Results: ${title}`;
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, `Results: ${title}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options());
    return this.adopt(panel, key);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: ResultsState | undefined): Promise<void> {
    panel.webview.options = this.options();
    const restored = this.adopt(panel, state?.documentUri ?? `restored:${Date.now()}`);
    restored.post({ type: 'error', title: state?.title ?? 'Results', message: 'The window was reloaded. Run the query again to refresh these results.' });
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extension.extensionUri, 'media'), vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'webview')],
    };
  }

  private adopt(panel: vscode.WebviewPanel, key: string): ResultsPanel {
    panel.iconPath = vscode.Uri.joinPath(this.extension.extensionUri, 'media', 'sentinel.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extension.extensionUri, {
      script: 'results.js',
      styles: ['results.css'],
      state: { documentUri: key },
      body: RESULTS_BODY,
    });
    const result = new ResultsPanel(panel, key, () => this.panels.delete(key));
    this.panels.set(key, result);
    return result;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
  }
}
