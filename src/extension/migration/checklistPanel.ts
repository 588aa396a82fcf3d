// The migration checklist panel on WebviewHost: one panel per window, restored after a reload by the serializer.
// It owns no state of its own: ticks, notes, cutover and check results live in the ChecklistStore.
import * as path from 'path';
import * as vscode from 'vscode';
import { read, Settings } from '../settings';
import { automationMarkdown } from '../../core/migration/automation';
import { CHECKLIST, CheckId, isCheckId } from '../../core/migration/checklist';
import { runCheck } from '../../core/migration/checks';
import { renderRunbook } from '../../core/migration/runbook';
import { titleMapCsv } from '../../core/migration/titleAudit';
import type { LoadedRule } from '../../core/migration/ruleFiles';
import type {
  ChecklistPageState,
  ChecklistSnapshot,
  ChecklistToHost,
  HostToChecklist,
} from '../../webview/_checklistProtocol';
import { reportError } from '../errors';
import type { FeatureContext } from '../features';
import { KeyedPanels, WebviewHost } from '../webviewHost';
import { checkInputs, currentConnectors, workspaceRoot } from './inputs';
import type { ChecklistStore } from './store';

import { CHECKLIST_VIEW_TYPE } from './viewType';
/** One checklist panel per window. */
const KEY = 'checklist';
const PAGE = {
  script: 'checklist.js',
  styles: [],
  body: '<main id="app" aria-busy="true"><p class="loading">Loading the migration checklist…</p></main>',
};

/** The page: a state message renders it from scratch, so it gets a fresh one whenever it (re)loads. */
class ChecklistPage extends WebviewHost<HostToChecklist, ChecklistToHost> {
  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly checklist: ChecklistPanel,
  ) {
    super(panel, extensionUri, PAGE);
  }

  override post(message: HostToChecklist): void {
    // Before `ready` a state would be stale by the time it arrives: pageReady sends the current one.
    if (message.type === 'state' && !this.pageLoaded) return;
    super.post(message);
  }

  protected override pageReady(): void {
    this.checklist.postState();
  }

  protected describe(): string {
    return 'Migration checklist';
  }

  protected handle(m: ChecklistToHost): Promise<void> {
    return this.checklist.receive(m);
  }
}

export class ChecklistPanel extends KeyedPanels<ChecklistPage, ChecklistPageState> {
  private readonly running = new Map<CheckId, AbortController>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: FeatureContext,
    private readonly store: ChecklistStore,
  ) {
    super(
      CHECKLIST_VIEW_TYPE,
      (panel) => new ChecklistPage(panel, ctx.extension.extensionUri, this),
      () => KEY,
    );
    this.disposables.push(store.onDidChange(() => this.postState()));
  }

  /** Opens the panel, or reveals it when it is already open. */
  show(): void {
    this.open(KEY, 'Migration Checklist', vscode.ViewColumn.Active);
  }

  /** A restored panel while one is open (another window's, say) is closed: the open one stays. */
  override async deserializeWebviewPanel(
    panel: vscode.WebviewPanel,
    state: ChecklistPageState | undefined,
  ): Promise<void> {
    const open = this.get(KEY);
    if (open) {
      panel.dispose();
      open.panel.reveal();
      return;
    }
    await super.deserializeWebviewPanel(panel, state);
  }

  private post(message: HostToChecklist): void {
    this.get(KEY)?.post(message);
  }

  private snapshot(): ChecklistSnapshot {
    return {
      model: CHECKLIST,
      state: this.store.current,
      backend: this.ctx.backends.label,
      running: [...this.running.keys()],
      timeFormat: read(Settings.timeFormat),
    };
  }

  postState(): void {
    this.post({ type: 'state', snapshot: this.snapshot() });
  }

  /** A message from the page (its fields are checked: the page is not trusted). */
  async receive(m: ChecklistToHost): Promise<void> {
    switch (m.type) {
      case 'setDone':
        await this.store.apply({ kind: 'setDone', itemId: String(m.itemId), done: m.done === true });
        return;
      case 'setNote':
        await this.store.apply({ kind: 'setNote', itemId: String(m.itemId), note: String(m.note ?? '') });
        return;
      case 'setCutover':
        await this.store.apply({ kind: 'setCutover', cutover: typeof m.cutover === 'string' ? m.cutover : null });
        return;
      case 'setRbac':
        await this.store.apply({ kind: 'setRbac', mappingId: String(m.mappingId), done: m.done === true });
        return;
      case 'runCheck':
        if (isCheckId(m.checkId)) await this.runCheck(m.checkId);
        return;
      case 'openQuery':
        await this.openQuery(String(m.query ?? ''));
        return;
      case 'openFile':
        await this.openFile(String(m.file ?? ''), Number(m.line) || 1);
        return;
      case 'exportRunbook':
        await this.exportRunbook();
        return;
      case 'exportTitleMap':
        await this.exportTitleMap();
        return;
      case 'exportAutomation':
        await this.exportAutomation();
        return;
      case 'captureInventory':
        await this.captureInventory();
        return;
    }
  }

  /** Runs a live check and records its result (errors are recorded too, so the page shows them inline). */
  async runCheck(id: CheckId): Promise<void> {
    if (this.running.has(id)) return;
    const controller = new AbortController();
    this.running.set(id, controller);
    this.post({ type: 'running', checkId: id, running: true });
    try {
      const run = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Window,
          title: `Migration check: ${CHECKLIST.checks.find((c) => c.id === id)?.title ?? id}`,
        },
        async () => runCheck(id, await checkInputs(this.ctx, this.store, controller.signal)),
      );
      if (run.status === 'error') this.ctx.log.warn(`Migration check ${id} failed: ${run.error}`);
      else this.ctx.log.info(`Migration check ${id}: ${run.summary}`);
      this.running.delete(id);
      await this.store.apply({ kind: 'recordCheck', run });
    } finally {
      this.running.delete(id);
      this.post({ type: 'running', checkId: id, running: false });
    }
  }

  private async openQuery(query: string): Promise<void> {
    if (!query.trim()) return;
    const doc = await vscode.workspace.openTextDocument({
      language: 'kql',
      content: query.endsWith('\n') ? query : `${query}\n`,
    });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  /** Opens a file named in a result, only if it lies inside a workspace folder. */
  private async openFile(file: string, line: number): Promise<void> {
    const root = workspaceRoot();
    if (!file || !root) return;
    const abs = path.isAbsolute(file) ? path.normalize(file) : path.join(root, ...file.split('/'));
    const inside = (vscode.workspace.workspaceFolders ?? []).some((f) => {
      const rel = path.relative(f.uri.fsPath, abs);
      return rel && !rel.startsWith('..') && !path.isAbsolute(rel);
    });
    if (!inside) {
      void vscode.window.showWarningMessage(`Not opening ${file}: it is outside the workspace.`);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(abs));
    const at = new vscode.Position(Math.max(0, Math.min(line - 1, doc.lineCount - 1)), 0);
    await vscode.window.showTextDocument(doc, {
      selection: new vscode.Range(at, at),
      viewColumn: vscode.ViewColumn.Beside,
      preview: false,
    });
  }

  private async save(
    title: string,
    fileName: string,
    filters: Record<string, string[]>,
    text: string,
  ): Promise<vscode.Uri | undefined> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title,
      defaultUri: root ? vscode.Uri.joinPath(root, fileName) : undefined,
      filters,
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    this.post({ type: 'notice', kind: 'info', text: `Saved ${target.fsPath}` });
    void vscode.window
      .showInformationMessage(`Saved ${path.basename(target.fsPath)}`, 'Open')
      .then(async (choice) => {
        if (choice === 'Open') await vscode.window.showTextDocument(target);
      })
      .then(undefined, (e) => reportError(e, 'Migration checklist'));
    return target;
  }

  async exportRunbook(): Promise<vscode.Uri | undefined> {
    const text = renderRunbook(CHECKLIST, this.store.current, {
      now: new Date(),
      backend: this.ctx.backends.label,
      workspaceName: vscode.workspace.name,
    });
    return this.save('Export migration runbook', 'migration-runbook.md', { Markdown: ['md'] }, text);
  }

  private async exportTitleMap(): Promise<void> {
    const run = this.store.current.checks.ruleTitles;
    if (run?.checkId !== 'ruleTitles' || !run.data) {
      this.post({ type: 'notice', kind: 'error', text: 'Run the rule title audit first.' });
      return;
    }
    const rules = run.data.rules.map(
      (r) =>
        ({ ...r, tactics: [], techniques: [], location: { file: r.file, line: r.line }, origin: 'yaml' }) as LoadedRule,
    );
    await this.save('Export title → rule id map', 'rule-titles.csv', { CSV: ['csv'] }, titleMapCsv(rules));
  }

  private async exportAutomation(): Promise<void> {
    const run = this.store.current.checks.automation;
    if (run?.checkId !== 'automation' || !run.data) {
      this.post({ type: 'notice', kind: 'error', text: 'Run the automation rules inventory first.' });
      return;
    }
    await this.save(
      'Export automation rules inventory',
      'automation-rules.md',
      { Markdown: ['md'] },
      automationMarkdown(run.data.rules, new Date()),
    );
  }

  private async captureInventory(): Promise<void> {
    const backend = await this.ctx.backends.current();
    const rows = await currentConnectors(backend);
    await this.store.apply({ kind: 'captureSnapshot', source: backend.label, rows });
    this.post({ type: 'notice', kind: 'info', text: `Captured ${rows.length} connectors from ${backend.label}.` });
  }

  override dispose(): void {
    for (const c of this.running.values()) c.abort();
    super.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
