// The results panel host. One panel per .kql file (reused by every run from that file): an analyst
// iterates on one query, so a new run replaces the previous answer instead of piling up tabs.
import * as vscode from 'vscode';
import { toCsv, toJson } from '../../core/export';
import type { QueryResult } from '../../core/types';
import {
  HostToResults,
  resultMessages,
  ResultsMeta,
  ResultsState,
  ResultsToHost,
} from '../../webview/_resultsProtocol';
import { RESULTS_BODY } from '../../webview/_resultsMarkup';
import { KeyedPanels, WebviewHost } from '../webviewHost';

export const RESULTS_VIEW_TYPE = 'sentinelWorkbench.results';

export class ResultsPanel extends WebviewHost<HostToResults, ResultsToHost> {
  private last: { result: QueryResult; meta: ResultsMeta } | undefined;
  /** Re-runs the query that produced this panel's results (set by the runner). */
  rerun: (() => void) | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly key: string,
  ) {
    super(panel, extensionUri, {
      script: 'results.js',
      styles: ['results.css'],
      state: { documentUri: key } satisfies ResultsState,
      body: RESULTS_BODY,
    });
  }

  /** Sends a result in chunks: the first rows paint at once, the rest stream in. */
  showResult(result: QueryResult, meta: ResultsMeta): void {
    this.last = { result, meta };
    for (const m of resultMessages(result, meta)) this.post(m);
  }

  /** A panel hidden behind another tab is unloaded and says `ready` again when shown: send its rows again. */
  protected override pageReady(first: boolean): void {
    if (!first && this.last) for (const m of resultMessages(this.last.result, this.last.meta)) this.post(m);
  }

  protected describe(): string {
    return 'Results';
  }

  protected async handle(m: ResultsToHost): Promise<void> {
    switch (m.type) {
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        vscode.window.setStatusBarMessage(`Copied ${m.what}`, 2000);
        break;
      case 'rerun':
        if (this.rerun) this.rerun();
        else
          void vscode.window.showInformationMessage(
            'Run the query again from its CodeLens: these results were restored after a reload.',
          );
        break;
      case 'export':
        await this.export(m.format);
        break;
    }
  }

  private async export(format: 'csv' | 'json'): Promise<void> {
    if (!this.last) return;
    const base =
      this.last.meta.title
        .replace(/\.(kql|csl|kusto)\b/g, '')
        .replace(/[^\w.-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'results';
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
    void vscode.window.showInformationMessage(
      `Exported ${this.last.result.rows.length.toLocaleString()} rows to ${target.fsPath}`,
    );
  }
}

export class ResultsPanels extends KeyedPanels<ResultsPanel, ResultsState> {
  constructor(extension: vscode.ExtensionContext) {
    super(
      RESULTS_VIEW_TYPE,
      (panel, key, state, restored) => {
        const p = new ResultsPanel(panel, extension.extensionUri, key);
        if (restored)
          p.post({
            type: 'error',
            title: state?.title ?? 'Results',
            message: 'The window was reloaded. Run the query again to refresh these results.',
          });
        return p;
      },
      (state) => state?.documentUri,
    );
  }

  /** The panel for a document (created or revealed), titled after it. */
  show(key: string, title: string): ResultsPanel {
    const { host } = this.open(key, `Results: ${title}`, vscode.ViewColumn.Beside, undefined, true);
    host.panel.title = `Results: ${title}`;
    return host;
  }
}
