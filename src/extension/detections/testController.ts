// Detection tests in VS Code's Testing view: each `*.test.yaml` is an item with its cases as children.
// Test files are outlined here (yaml, loaded on first use; no engine); runs go to the detection-tests child process.
// A failure carries the failures as text with a link to the actual rows, and an expected/actual diff.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CaseResult, FileResult } from '../../core/detections/runner';
import { isTestFile } from '../../core/detections/fileKinds';
import type { QueryResult } from '../../core/types';
import type { Logger } from '../../core/types';
import { Commands } from '../commandIds';
import type { ResultsPanels } from '../authoring/resultsPanel';
import type { DetectionsWorker } from './worker';

export const TEST_FILE_GLOB = '**/*.test.{yaml,yml}';
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out}/**';
export const RESULT_CONTEXT = 'sentinelWorkbench:detectionResult';

/** Reading and writing test files (the YAML library: dist/detection-files.js, loaded on first use). */
export type DetectionFiles = typeof import('./detectionFiles');

interface FileInfo {
  /** Absolute paths the test file reads (itself, rule, fixtures, schema). */
  inputs: string[];
  rule?: string;
}

export class DetectionTestController implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('sentinelWorkbench.detectionTests', 'Detection tests');
  private readonly files = new Map<string, FileInfo>();
  private readonly actual = new Map<string, { result: QueryResult; title: string }>();
  private readonly disposables: vscode.Disposable[] = [];
  private discovered: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the set of test files or the rules they name changed (CodeLens refresh). */
  readonly onDidChangeTests = this.changed.event;

  constructor(
    private readonly worker: DetectionsWorker,
    private readonly panels: ResultsPanels,
    private readonly schemaFile: () => string | undefined,
    private readonly logger: Logger,
    /** The test-file outline and "Create test…" scaffold, loaded on first use. */
    readonly testFiles: () => DetectionFiles,
  ) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
      else if (item.uri) await this.refresh(item.uri);
    };
    this.controller.refreshHandler = async () => {
      this.discovered = undefined;
      await this.discover();
    };
    this.controller.createRunProfile(
      'Run',
      vscode.TestRunProfileKind.Run,
      (request, token) => this.run(request, token),
      true,
      undefined,
      true,
    );
    const watcher = vscode.workspace.createFileSystemWatcher(TEST_FILE_GLOB);
    this.disposables.push(
      this.controller,
      this.changed,
      watcher,
      watcher.onDidCreate((uri) => void this.refresh(uri)),
      watcher.onDidChange((uri) => void this.refresh(uri)),
      watcher.onDidDelete((uri) => this.remove(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (isTestFile(e.document.uri.fsPath)) void this.refresh(e.document.uri, e.document.getText());
      }),
    );
  }

  /** Finds every test file in the workspace once (again after a refresh). */
  discover(): Promise<void> {
    this.discovered ??= (async () => {
      const uris = await vscode.workspace.findFiles(TEST_FILE_GLOB, EXCLUDE_GLOB);
      await Promise.all(uris.map((u) => this.refresh(u)));
    })();
    return this.discovered;
  }

  /** Test files whose `rule:` is the given rule file. */
  testsForRule(rule: vscode.Uri): vscode.TestItem[] {
    const out: vscode.TestItem[] = [];
    for (const [id, info] of this.files) {
      if (info.rule && samePath(info.rule, rule.fsPath)) {
        const item = this.controller.items.get(id);
        if (item) out.push(item);
      }
    }
    return out;
  }

  /** Runs the given items (a file, cases, or all when empty) as the Testing view would. */
  async runItems(items: vscode.TestItem[]): Promise<void> {
    const cts = new vscode.CancellationTokenSource();
    try {
      await this.runOnce(new vscode.TestRunRequest(items.length ? items : undefined), cts.token);
    } finally {
      cts.dispose();
    }
  }

  /** Opens the actual rows of a case in the results panel. */
  showActualRows(testId: string): boolean {
    const hit = this.actual.get(testId);
    if (!hit) return false;
    const panel = this.panels.show(`detection-test:${testId}`, hit.title);
    const [fileId] = testId.split('#');
    const item = this.controller.items.get(fileId)?.children.get(testId);
    panel.rerun = item ? () => void this.runItems([item]).then(() => this.showActualRows(testId)) : undefined;
    panel.showResult(hit.result, {
      title: hit.title,
      backend: 'detection test fixtures',
      timeRange: "the rule's queryPeriod ending at the test's now",
      ranAt: new Date().toISOString(),
    });
    return true;
  }

  private async refresh(uri: vscode.Uri, text?: string): Promise<void> {
    if (!isTestFile(uri.fsPath)) return;
    let body = text ?? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText();
    if (body === undefined) {
      try {
        body = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      } catch {
        this.remove(uri);
        return;
      }
    }
    const id = uri.toString();
    let file = this.controller.items.get(id);
    if (!file) {
      file = this.controller.createTestItem(id, path.basename(uri.fsPath), uri);
      this.controller.items.add(file);
    }
    const outline = this.testFiles().outlineTestFile(uri.fsPath, body);
    this.files.set(id, {
      inputs: outline.inputs,
      rule: outline.inputs[1] && outline.rule ? outline.inputs[1] : undefined,
    });
    file.description = outline.rule;
    file.error = outline.problems.length
      ? outline.problems.map((p) => `line ${p.line}: ${p.message}`).join('\n')
      : undefined;
    file.children.replace(
      outline.cases.map((c) => {
        const item = this.controller.createTestItem(`${id}#${c.name}`, c.name, uri);
        item.range = new vscode.Range(c.line - 1, 0, c.line - 1, 0);
        return item;
      }),
    );
    this.changed.fire();
  }

  private remove(uri: vscode.Uri): void {
    this.controller.items.delete(uri.toString());
    this.files.delete(uri.toString());
    this.changed.fire();
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    await this.runOnce(request, token);
    if (!request.continuous) return;
    // Continuous run: re-run the requested tests whenever a file they read is saved.
    await new Promise<void>((resolve) => {
      const saved = vscode.workspace.onDidSaveTextDocument((doc) => {
        const items = this.itemsReading(request, doc.uri.fsPath);
        if (items.length) void this.runOnce(new vscode.TestRunRequest(items, request.exclude, request.profile), token);
      });
      token.onCancellationRequested(() => {
        saved.dispose();
        resolve();
      });
    });
  }

  /** The requested file items that read the given path. */
  private itemsReading(request: vscode.TestRunRequest, fsPath: string): vscode.TestItem[] {
    const roots = request.include ?? [...collect(this.controller.items)];
    return roots.filter((item) => {
      const fileId = item.parent?.id ?? item.id;
      return this.files.get(fileId)?.inputs.some((p) => samePath(p, fsPath));
    });
  }

  private async runOnce(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    await this.discover();
    const run = this.controller.createTestRun(request);
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    // file item → the cases to run (undefined: all)
    const byFile = new Map<vscode.TestItem, Set<vscode.TestItem> | undefined>();
    for (const item of request.include ?? [...collect(this.controller.items)]) {
      if (excluded.has(item.id)) continue;
      if (item.parent) {
        const set = byFile.get(item.parent);
        if (byFile.has(item.parent) && set === undefined) continue;
        byFile.set(item.parent, new Set([...(set ?? []), item]));
      } else byFile.set(item, undefined);
    }
    try {
      for (const [file, only] of byFile) {
        if (token.isCancellationRequested) break;
        const cases = [...(only ?? collect(file.children))].filter((c) => !excluded.has(c.id));
        for (const c of cases) run.enqueued(c);
        await this.runFile(run, file, cases, only ? cases.map((c) => c.label) : undefined, token);
      }
    } finally {
      run.end();
    }
  }

  private async runFile(
    run: vscode.TestRun,
    file: vscode.TestItem,
    cases: vscode.TestItem[],
    names: string[] | undefined,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const uri = file.uri!;
    const byName = new Map(cases.map((c) => [c.label, c]));
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.isDirty);
    for (const c of cases) run.started(c);
    let result: FileResult;
    try {
      result = await this.worker.run(
        { file: uri.fsPath, cases: names, cwd: folder, text: open?.getText(), schemaFile: this.schemaFile() },
        (r) => {
          const item = byName.get(r.case);
          if (item) this.report(run, item, r);
        },
        token,
      );
    } catch (e) {
      if (e instanceof vscode.CancellationError) {
        for (const c of cases) run.skipped(c);
        return;
      }
      const message = new vscode.TestMessage(e instanceof Error ? e.message : String(e));
      for (const c of cases) run.errored(c, message);
      this.logger.warn(`detection tests: ${uri.fsPath}: ${String(e)}`);
      return;
    }
    if (result.badInput) {
      const message = new vscode.TestMessage(result.cases.map((c) => c.message).join('\n'));
      message.location = new vscode.Location(uri, new vscode.Position((result.cases[0]?.line ?? 1) - 1, 0));
      run.errored(file, message);
      for (const c of cases) run.errored(c, message);
      file.error = result.cases[0]?.message;
      return;
    }
    file.error = undefined;
    const seen = new Set(result.cases.map((c) => c.case));
    for (const c of cases) if (!seen.has(c.label)) run.skipped(c);
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, r: CaseResult): void {
    if (r.result) this.actual.set(item.id, { result: r.result, title: `${r.rule} — ${r.case}` });
    const location = new vscode.Location(item.uri!, new vscode.Position(r.line - 1, 0));
    if (r.status === 'passed') {
      run.passed(item, r.durationMs);
      return;
    }
    const details = new vscode.MarkdownString();
    details.appendText(r.message);
    if (r.result) {
      const args = encodeURIComponent(JSON.stringify([item.id]));
      details.appendMarkdown(
        `\n\n[Open the actual rows (${r.result.rows.length}) in the results panel](command:${Commands.showDetectionTestRows}?${args})`,
      );
      details.isTrusted = { enabledCommands: [Commands.showDetectionTestRows] };
    }
    const messages = [new vscode.TestMessage(details)];
    if (r.expected !== undefined && r.actual !== undefined)
      messages.push(vscode.TestMessage.diff('Expected and actual', r.expected, r.actual));
    for (const m of messages) {
      m.location = location;
      m.contextValue = RESULT_CONTEXT;
    }
    if (r.status === 'failed') run.failed(item, messages, r.durationMs);
    else run.errored(item, messages, r.durationMs);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function* collect(items: vscode.TestItemCollection): Iterable<vscode.TestItem> {
  const all: vscode.TestItem[] = [];
  items.forEach((i) => all.push(i));
  yield* all;
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => (process.platform === 'win32' ? path.resolve(p).toLowerCase() : path.resolve(p));
  return norm(a) === norm(b);
}
