// The verdict panel host: one panel per analyzed entity (re-used when the same entity is analyzed again),
// typed messages queued until the page says ready, restored after a reload by the serializer.
import * as vscode from 'vscode';
import type { AnalysisResult } from '../../core/analyzer/types';
import type { HostToVerdict, VerdictMeta, VerdictState, VerdictToHost } from '../../webview/_verdictProtocol';
import { reportError } from '../errors';
import { webviewHtml } from '../webviewHtml';

export const VERDICT_VIEW_TYPE = 'sentinelWorkbench.verdict';

export interface VerdictActions {
  openQuery(result: AnalysisResult, index: number): Promise<void>;
  runQuery(result: AnalysisResult, index: number): Promise<void>;
  copyMarkdown(result: AnalysisResult): Promise<void>;
  addComment(result: AnalysisResult, meta: VerdictMeta): Promise<string | undefined>;
  rerun(result: AnalysisResult, meta: VerdictMeta): Promise<void>;
}

class VerdictPanel {
  private ready = false;
  private readonly queue: HostToVerdict[] = [];
  state: VerdictState | undefined;

  constructor(readonly panel: vscode.WebviewPanel, private readonly actions: VerdictActions, onDispose: () => void) {
    panel.webview.onDidReceiveMessage((m: VerdictToHost) => void this.receive(m));
    panel.onDidDispose(onDispose);
  }

  post(message: HostToVerdict): void {
    if (message.type === 'show') {
      this.state = { result: message.result, meta: message.meta };
      this.panel.title = title(message.result);
    }
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.queue.push(message);
  }

  private async receive(m: VerdictToHost): Promise<void> {
    if (m.type === 'ready') {
      this.ready = true;
      for (const q of this.queue.splice(0)) void this.panel.webview.postMessage(q);
      return;
    }
    const state = this.state;
    if (!state) return;
    try {
      switch (m.type) {
        case 'openQuery':
          if (validIndex(state.result, m.index)) await this.actions.openQuery(state.result, m.index);
          break;
        case 'runQuery':
          if (validIndex(state.result, m.index)) await this.actions.runQuery(state.result, m.index);
          break;
        case 'copyMarkdown':
          await this.actions.copyMarkdown(state.result);
          break;
        case 'addComment': {
          const done = await this.actions.addComment(state.result, state.meta);
          if (done) this.post({ type: 'notice', kind: 'info', text: done });
          break;
        }
        case 'rerun':
          await this.actions.rerun(state.result, state.meta);
          break;
      }
    } catch (e) {
      await reportError(e, actionTitle(m.type));
    }
  }
}

function validIndex(result: AnalysisResult, index: unknown): index is number {
  return Number.isInteger(index) && (index as number) >= 0 && (index as number) < result.evidence.length;
}

function actionTitle(type: VerdictToHost['type']): string {
  return (
    { openQuery: 'Open Query', runQuery: 'Run Query', copyMarkdown: 'Copy as Markdown', addComment: 'Add Incident Comment', rerun: 'Re-run Analysis', ready: '' } as const
  )[type];
}

function title(result: AnalysisResult): string {
  const id = result.entity.id.length > 40 ? result.entity.id.slice(0, 39) + '…' : result.entity.id;
  return `Verdict: ${id}`;
}

function keyOf(result: AnalysisResult): string {
  return `${result.entity.type}:${result.entity.id.toLowerCase()}`;
}

export class VerdictPanels implements vscode.WebviewPanelSerializer<VerdictState>, vscode.Disposable {
  private readonly panels = new Map<string, VerdictPanel>();
  actions: VerdictActions | undefined;

  constructor(private readonly extension: vscode.ExtensionContext) {}

  show(result: AnalysisResult, meta: VerdictMeta): void {
    const key = keyOf(result);
    let p = this.panels.get(key);
    if (p) {
      p.panel.reveal(p.panel.viewColumn ?? vscode.ViewColumn.Active, false);
    } else {
      const panel = vscode.window.createWebviewPanel(VERDICT_VIEW_TYPE, title(result), vscode.ViewColumn.Active, this.options());
      p = this.adopt(panel, key, { result, meta });
    }
    p.post({ type: 'show', result, meta });
  }

  /** Restores a panel after a window reload from the page's saved state. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: VerdictState | undefined): Promise<void> {
    panel.webview.options = this.options();
    if (!state?.result?.entity) {
      panel.webview.html = webviewHtml(panel.webview, this.extension.extensionUri, {
        script: 'verdict.js', styles: ['verdict.css'], body: '<div id="notice" class="notice" hidden></div><main id="root"><p>This verdict could not be restored. Run the analysis again.</p></main>',
      });
      return;
    }
    const p = this.adopt(panel, keyOf(state.result), state);
    p.post({ type: 'show', result: state.result, meta: { ...state.meta, jobId: undefined } });
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extension.extensionUri, 'media'), vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'webview')],
    };
  }

  private adopt(panel: vscode.WebviewPanel, key: string, state: VerdictState): VerdictPanel {
    const actions: VerdictActions = {
      openQuery: (r, i) => this.need().openQuery(r, i),
      runQuery: (r, i) => this.need().runQuery(r, i),
      copyMarkdown: (r) => this.need().copyMarkdown(r),
      addComment: (r, m) => this.need().addComment(r, m),
      rerun: (r, m) => this.need().rerun(r, m),
    };
    const p = new VerdictPanel(panel, actions, () => {
      if (this.panels.get(key) === p) this.panels.delete(key);
    });
    panel.iconPath = vscode.Uri.joinPath(this.extension.extensionUri, 'media', 'sentinel.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extension.extensionUri, {
      script: 'verdict.js',
      styles: ['verdict.css'],
      body: '<div id="notice" class="notice" role="status" hidden></div><main id="root" aria-live="polite"></main>',
      state,
    });
    this.panels.get(key)?.panel.dispose();
    this.panels.set(key, p);
    return p;
  }

  private need(): VerdictActions {
    if (!this.actions) throw new Error('The Entity Analyzer is still starting.');
    return this.actions;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
  }
}
