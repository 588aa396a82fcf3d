// The verdict panel host on WebviewHost: one panel per analyzed entity (re-used when the same entity is
// analyzed again), typed messages queued until the page says ready, restored after a reload by the serializer.
import * as vscode from 'vscode';
import type { AnalysisResult } from '../../core/analyzer/types';
import type { HostToVerdict, VerdictMeta, VerdictState, VerdictToHost } from '../../webview/_verdictProtocol';
import { KeyedPanels, WebviewHost } from '../webviewHost';

export const VERDICT_VIEW_TYPE = 'sentinelWorkbench.verdict';

export interface VerdictActions {
  openQuery(result: AnalysisResult, index: number): Promise<void>;
  runQuery(result: AnalysisResult, index: number): Promise<void>;
  copyMarkdown(result: AnalysisResult): Promise<void>;
  addComment(result: AnalysisResult, meta: VerdictMeta): Promise<string | undefined>;
  rerun(result: AnalysisResult, meta: VerdictMeta): Promise<void>;
}

const BODY =
  '<div id="notice" class="notice" role="status" hidden></div><main id="root" aria-live="polite"><p class="loading">Loading the verdict…</p></main>';
const UNRESTORABLE =
  '<div id="notice" class="notice" hidden></div><main id="root"><p>This verdict could not be restored. Run the analysis again.</p></main>';

function validIndex(result: AnalysisResult, index: unknown): index is number {
  return Number.isInteger(index) && (index as number) >= 0 && (index as number) < result.evidence.length;
}

function title(result: AnalysisResult): string {
  const id = result.entity.id.length > 40 ? result.entity.id.slice(0, 39) + '…' : result.entity.id;
  return `Verdict: ${id}`;
}

function keyOf(result: AnalysisResult): string {
  return `${result.entity.type}:${result.entity.id.toLowerCase()}`;
}

class VerdictPanel extends WebviewHost<HostToVerdict, VerdictToHost> {
  state: VerdictState | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    state: VerdictState | undefined,
    private readonly actions: () => VerdictActions,
  ) {
    super(panel, extensionUri, {
      script: 'verdict.js',
      styles: ['verdict.css'],
      body: state?.result?.entity || !state ? BODY : UNRESTORABLE,
      state,
    });
  }

  override post(message: HostToVerdict): void {
    if (message.type === 'show') {
      this.state = { result: message.result, meta: message.meta };
      this.panel.title = title(message.result);
    }
    super.post(message);
  }

  protected describe(m: VerdictToHost): string {
    return (
      {
        openQuery: 'Open Query',
        runQuery: 'Run Query',
        copyMarkdown: 'Copy as Markdown',
        addComment: 'Add Incident Comment',
        rerun: 'Re-run Analysis',
        ready: '',
      } as const
    )[m.type];
  }

  protected async handle(m: VerdictToHost): Promise<void> {
    const state = this.state;
    if (!state) return;
    switch (m.type) {
      case 'openQuery':
        if (validIndex(state.result, m.index)) await this.actions().openQuery(state.result, m.index);
        break;
      case 'runQuery':
        if (validIndex(state.result, m.index)) await this.actions().runQuery(state.result, m.index);
        break;
      case 'copyMarkdown':
        await this.actions().copyMarkdown(state.result);
        break;
      case 'addComment': {
        const done = await this.actions().addComment(state.result, state.meta);
        if (done) this.post({ type: 'notice', kind: 'info', text: done });
        break;
      }
      case 'rerun':
        await this.actions().rerun(state.result, state.meta);
        break;
    }
  }
}

export class VerdictPanels extends KeyedPanels<VerdictPanel, VerdictState> {
  actions: VerdictActions | undefined;

  constructor(private readonly extension: vscode.ExtensionContext) {
    super(
      VERDICT_VIEW_TYPE,
      (panel, _key, state) => {
        const p = new VerdictPanel(panel, extension.extensionUri, state, () => this.need());
        // A restored panel shows its saved verdict; the job it came from is gone after a reload.
        if (state?.result?.entity)
          p.post({ type: 'show', result: state.result, meta: { ...state.meta, jobId: undefined } });
        return p;
      },
      (state) => (state?.result?.entity ? keyOf(state.result) : undefined),
    );
  }

  show(result: AnalysisResult, meta: VerdictMeta): void {
    const { host } = this.open(keyOf(result), title(result), vscode.ViewColumn.Active);
    host.post({ type: 'show', result, meta });
  }

  private need(): VerdictActions {
    if (!this.actions) throw new Error('The Entity Analyzer is still starting.');
    return this.actions;
  }
}
